/* Shipments for sales: carrier, service, tracking number, and one status
 * with its history: created, then the normalised tracking statuses
 * (pre_transit, in_transit, out_for_delivery, failed_attempt, delivered,
 * returned, exception; "shipped" kept from 0.2). Each change queues the
 * event shipment.status. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_SHIP_ADD[] =
    "INSERT INTO inv_shipments (sale_id, carrier, service, tracking, status, idem_key,"
    " digest) VALUES (?, ?, ?, ?, 'created', ?, ?) RETURNING id";
static const char SQL_SHIP_BY_KEY[] =
    "SELECT id, digest FROM inv_shipments WHERE idem_key = ?";
static const char SQL_SHIP_GET[] = "SELECT status FROM inv_shipments WHERE id = ?";
static const char SQL_SHIP_SET[] = "UPDATE inv_shipments SET status = ? WHERE id = ?";
static const char SQL_EVENT_ADD[] =
    "INSERT INTO inv_shipment_events (shipment_id, seq, status, at, note)"
    " SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM inv_shipment_events"
    " WHERE shipment_id = ?";
static const char SQL_HISTORY[] =
    "SELECT e.status, e.at, e.note, s.carrier, s.tracking FROM inv_shipment_events e"
    " JOIN inv_shipments s ON s.id = e.shipment_id WHERE e.shipment_id = ?"
    " ORDER BY e.seq";

struct ship_ctx {
    const char *carrier, *service, *tracking, *status, *note, *key;
    int64_t sale, id;
    char digest[65];
};

/* The canonical form of a shipment's creation (bo__idem_claim). */
static int ship_digest(struct ship_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.shipment");
    bo__buf_field_int(&d, c->sale);
    bo__buf_field(&d, c->carrier);
    bo__buf_field(&d, c->service);
    bo__buf_field(&d, c->tracking);
    return bo__buf_digest(&d, c->digest);
}

static int event_add(bo_book *b, int64_t id, const char *status, const char *note)
{
    char now[64];
    bo__now_iso(now);
    int rc = bo__store_run(b->store, SQL_EVENT_ADD, "ittti", id, status, now, note, id);
    if (rc)
        return rc;
    char object[48];
    snprintf(object, sizeof object, "inv.shipment:%" PRId64, id);
    return bo__audit_append(b, "inventory.shipment.add", object, status);
}

/* Read and check what the creation needs; *replay when its key names a
 * shipment already made (c->id). Writes nothing. */
static int add_check(bo_book *b, struct ship_ctx *c, int *replay)
{
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__idem_claim(b, SQL_SHIP_BY_KEY, "shipment", c->key, c->digest, &c->id,
                             &state)))
        return rc;
    *replay = state == BO__IDEM_REPLAY;
    return *replay ? 0 : bo__inv_sale_exists(b, c->sale);
}

/* The shipment's row and its first event. */
static int add_write(bo_book *b, struct ship_ctx *c)
{
    int rc = bo__store_insert(b->store, SQL_SHIP_ADD, NULL, &c->id, "ittttt", c->sale,
                              c->carrier, c->service, c->tracking, c->key, c->digest);
    if (!rc && !c->id)
        rc = bo__error_set(BO_ERROR, "shipment: insert returned no id");
    return rc ? rc : event_add(b, c->id, "created", NULL);
}

static int add_tx(bo_book *b, void *p)
{
    int replay = 0;
    int rc = add_check(b, p, &replay);
    return rc || replay ? rc : add_write(b, p);
}

int bo_inventory_shipment_options_init(bo_inventory_shipment_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_INVENTORY_SHIPMENT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_INVENTORY_SHIPMENT_OPTIONS_VERSION);
    bo_inventory_shipment_options init = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    *opts = init;
    return 0;
}

int bo_inventory_shipment_add(bo_book *b, int64_t sale_id, const char *carrier,
                           const char *service, const char *tracking,
                           const bo_inventory_shipment_options *opts, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct ship_ctx c = { carrier, service, tracking, NULL, NULL, opts ? opts->key : NULL,
                          sale_id, 0, "" };
    int rc;
    if ((opts && (rc = bo__opts_version(opts->version, BO_INVENTORY_SHIPMENT_OPTIONS_VERSION))) ||
        (rc = bo__idem_require("a shipment", c.key)) ||
        (rc = bo__text_check("carrier", carrier, BO_CODE_MAX, true, false)) ||
        (rc = bo__text_check("service", service, BO_CODE_MAX, true, false)) ||
        (rc = bo__text_check("tracking", tracking, BO_TEXT_MAX, true, false)) ||
        (rc = ship_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, add_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* The shipment exists and may still change. Writes nothing. */
static int status_check(bo_book *b, const struct ship_ctx *c)
{
    char cur[32] = "";
    int found = 0;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__store_row(b->store, SQL_SHIP_GET, &found, "i>t", c->id, cur, sizeof cur)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "shipment %" PRId64 " not found", c->id);
    if (!strcmp(cur, "delivered") || !strcmp(cur, "returned"))
        return bo__error_set(BO_ESTATE, "shipment %" PRId64 " is %s already", c->id, cur);
    return 0;
}

static int status_tx(bo_book *b, void *p)
{
    struct ship_ctx *c = p;
    int rc;
    if ((rc = status_check(b, c)) ||
        (rc = bo__store_run(b->store, SQL_SHIP_SET, "ti", c->status, c->id)) ||
        (rc = event_add(b, c->id, c->status, c->note)))
        return rc;
    /* Delivered after the commit, with the shipment's id. */
    return bo__event_queue(b, "shipment.status", c->id);
}

int bo_inventory_shipment_status(bo_book *b, int64_t shipment_id, const char *status,
                           const char *note)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    /* The normalised tracking statuses, and "shipped" (0.2's word for a
     * parcel handed to the carrier). */
    static const char *const ok[] = { "shipped", "pre_transit", "in_transit",
                                      "out_for_delivery", "failed_attempt", "delivered",
                                      "returned", "exception" };
    int valid = 0;
    for (size_t i = 0; status && i < sizeof ok / sizeof *ok; i++)
        valid |= !strcmp(status, ok[i]);
    if (!valid)
        return bo__error_set(BO_EINVAL, "status: must be pre_transit, in_transit, "
                             "out_for_delivery, failed_attempt, delivered, returned, exception "
                             "or shipped");
    int rc = bo__inv_opt_text("note", note);
    if (rc)
        return rc;
    struct ship_ctx c = { NULL, NULL, NULL, status, note, NULL, 0, shipment_id, "" };
    return bo__write(b, status_tx, &c);
}

static const bo__col hist_cols[] = {
    { "status", BO_TYPE_TEXT }, { "at", BO_TYPE_TEXT }, { "note", BO_TYPE_TEXT },
    { "carrier", BO_TYPE_TEXT }, { "tracking", BO_TYPE_TEXT },
};

int bo_inventory_shipment_history(bo_book *b, int64_t shipment_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    static const bo__parent shipment = { SQL_SHIP_GET, "shipment", " not found" };
    return bo__listing(b, BO__P_INVENTORY_READ, &shipment, SQL_HISTORY, hist_cols, 5, out,
                       "i", shipment_id);
}
