/* The demo's billing chapter. */
#include "demo_parts.h"

int demo_billing(demo_ctx *ctx)
{
    (void)ctx;
    return 0;
}
