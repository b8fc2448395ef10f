/*
 * A test carrier plugin (tests/CMakeLists.txt builds bo_test_carrier.so):
 * it registers the carrier "TESTPOST", whose tracking API answers, for any
 * number, a pick-up, the same pick-up again (a duplicate the ingestion
 * drops) and a delivery; for the number "FAIL" it fails with BO_EIO, for
 * "BAD" it answers an event without a code.
 */
#include <backoffice/errors.h>
#include <backoffice/sys/plugin.h>

#include <string.h>

BO_PLUGIN_MANIFEST;

static int fetch(const bo_carrier *c, const char *tracking, bo_carrier_emit_fn emit, void *ctx)
{
    (void)c;
    if (strcmp(tracking, "FAIL") == 0)
        return BO_EIO;
    if (strcmp(tracking, "BAD") == 0) {
        bo_carrier_event bad = { BO_CARRIER_EVENT_VERSION, "2026-01-16T08:00:00Z", NULL,
                                 "in_transit", NULL };
        return emit(ctx, &bad);
    }
    static const bo_carrier_event evs[] = {
        { BO_CARRIER_EVENT_VERSION, "2026-01-16T08:00:00Z", "PU", "in_transit", "picked up" },
        { BO_CARRIER_EVENT_VERSION, "2026-01-16T08:00:00Z", "PU", "in_transit", "picked up" },
        { BO_CARRIER_EVENT_VERSION, "2026-01-17T09:30:00Z", "OK", "delivered", "delivered" },
    };
    for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) {
        int rc = emit(ctx, &evs[i]);
        if (rc)
            return rc;
    }
    return 0;
}

static const bo_carrier testpost = { BO_CARRIER_VERSION, "TESTPOST", fetch, NULL };

__attribute__((visibility("default"))) int bo_plugin_init(const bo_plugin_host *h);

int bo_plugin_init(const bo_plugin_host *h)
{
    if (!h || h->version < 2 || !h->carrier_register)
        return -1;
    return h->carrier_register(&testpost);
}
