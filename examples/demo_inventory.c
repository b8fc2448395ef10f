/* The demo's inventory chapter. */
#include "demo_parts.h"

int demo_inventory(demo_ctx *ctx)
{
    (void)ctx;
    return 0;
}
