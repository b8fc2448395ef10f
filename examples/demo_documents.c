/* The demo's documents chapter. */
#include "demo_parts.h"

int demo_documents(demo_ctx *ctx)
{
    (void)ctx;
    return 0;
}
