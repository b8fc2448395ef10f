/* Tracking through a carrier's API: bo_inventory_shipment_poll() asks the
 * carrier registered for the shipment's carrier (bo_carrier_register(), or
 * a plugin) for the events of its tracking number, outside any transaction,
 * then ingests each with bo_inventory_shipment_track(): a duplicate
 * (carrier, number, time, code) is dropped there, a newer status moves the
 * shipment and queues "shipment.status". */
#include "inventory/inventory.h"
#include "backoffice/sys/plugin.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* At most this many events per poll: a carrier answering more is refused
 * before anything is ingested. */
#define POLL_MAX 1000

typedef struct got {
    char at[32], code[BO_CODE_MAX + 1], status[32];
    char *description;
} got;

typedef struct poll_ctx {
    got *ev;
    size_t n, cap;
    int failed;
} poll_ctx;

static int emit(void *p, const bo_carrier_event *ev)
{
    poll_ctx *c = p;
    if (!ev || ev->version < 1 || ev->version > BO_CARRIER_EVENT_VERSION || !ev->at ||
        !ev->code || !ev->status)
        return c->failed = bo__error_set(BO_EINVAL, "event %zu: missing, without time, code"
                                         " or status, or of an unknown version", c->n + 1);
    if (c->n == POLL_MAX)
        return c->failed = bo__error_set(BO_ELIMIT, "events: more than %d in one poll",
                                         POLL_MAX);
    if (strlen(ev->at) >= sizeof c->ev[0].at || strlen(ev->code) > BO_CODE_MAX ||
        strlen(ev->status) >= sizeof c->ev[0].status)
        return c->failed = bo__error_set(BO_ETOOLONG, "event %zu: time, code or status too"
                                         " long", c->n + 1);
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        got *g = bo__realloc(c->ev, nc * sizeof *g);
        if (!g)
            return c->failed = bo__error_set(BO_ENOMEM, "events: out of memory");
        c->ev = g;
        c->cap = nc;
    }
    got *g = &c->ev[c->n];
    memset(g, 0, sizeof *g);
    snprintf(g->at, sizeof g->at, "%s", ev->at);
    snprintf(g->code, sizeof g->code, "%s", ev->code);
    snprintf(g->status, sizeof g->status, "%s", ev->status);
    if (ev->description) {
        size_t len = strlen(ev->description);
        if (len > BO_TEXT_MAX)
            return c->failed = bo__error_set(BO_ETOOLONG, "event %zu: description longer "
                                             "than %d bytes", c->n + 1, BO_TEXT_MAX);
        if (!(g->description = bo__malloc(len + 1)))
            return c->failed = bo__error_set(BO_ENOMEM, "events: out of memory");
        memcpy(g->description, ev->description, len + 1);
    }
    c->n++;
    return 0;
}

static void poll_free(poll_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        bo__free(c->ev[i].description);
    bo__free(c->ev);
}

int bo_inventory_shipment_poll(bo_book *b, int64_t shipment_id, int64_t *recorded)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)))
        return rc;
    /* the shipment's carrier and number, as its history lists them */
    bo_cursor *cur;
    if ((rc = bo_inventory_shipment_history(b, shipment_id, &cur)))
        return rc;
    char carrier[BO_CODE_MAX + 1] = "", tracking[BO_TEXT_MAX + 1] = "";
    if ((rc = bo_cursor_next(cur)) == 0) {
        const char *c = bo_cursor_text(cur, 3), *t = bo_cursor_text(cur, 4);
        snprintf(carrier, sizeof carrier, "%s", c ? c : "");
        snprintf(tracking, sizeof tracking, "%s", t ? t : "");
    }
    bo_cursor_free(cur);
    if (rc && rc != BO_ITEROVER)
        return rc;
    if (!carrier[0] || !tracking[0])
        return bo__error_set(BO_ESTATE, "shipment %" PRId64 ": no carrier or tracking "
                             "number to poll", shipment_id);
    const bo_carrier *cr = bo_carrier_find(carrier);
    if (!cr)
        return bo__error_set(BO_ENOTFOUND, "carrier: no tracking API is registered for "
                             "'%s'", carrier);
    poll_ctx pc = { NULL, 0, 0, 0 };
    bo__error_clear();
    rc = cr->fetch(cr, tracking, emit, &pc);
    if (pc.failed && (!rc || rc == pc.failed))
        rc = bo__error_prefix("carrier '%s': ", carrier);
    else if (rc)
        rc = bo__error_set(rc < 0 ? rc : BO_ERROR, "carrier '%s': fetch failed for '%s'"
                           " (code %d)", carrier, tracking, rc);
    int64_t n = 0;
    for (size_t i = 0; !rc && i < pc.n; i++) {
        bo_inventory_tracking_event ev = BO_INVENTORY_TRACKING_EVENT_INIT;
        ev.carrier = carrier;
        ev.tracking = tracking;
        ev.at = pc.ev[i].at;
        ev.code = pc.ev[i].code;
        ev.status = pc.ev[i].status;
        ev.description = pc.ev[i].description;
        int rec = 0;
        if ((rc = bo_inventory_shipment_track(b, &ev, &rec)))
            rc = bo__error_prefix("carrier '%s' event %zu: ", carrier, i + 1);
        n += rec;
    }
    poll_free(&pc);
    if (recorded)
        *recorded = n;
    return rc;
}
