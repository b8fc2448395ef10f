/* The demo's payroll chapter. */
#include "demo_parts.h"

int demo_payroll(demo_ctx *ctx)
{
    (void)ctx;
    return 0;
}
