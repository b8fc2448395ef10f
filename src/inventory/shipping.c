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

static int status_valid(const char *status, int legacy);

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
    snprintf(object, sizeof object, "shipment:%" PRId64, id);
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
    if (!status_valid(status, 1))
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

/* ---- carriers' tracking events ------------------------------------------- */

static const char SQL_TRACK_SHIP[] =
    "SELECT id, status FROM inv_shipments WHERE carrier = ? AND tracking = ?"
    " ORDER BY id DESC LIMIT 1";
static const char SQL_TRACK_DUP[] =
    "SELECT id FROM inv_tracking WHERE carrier = ? AND tracking = ? AND at = ? AND code = ?";
static const char SQL_TRACK_NEWEST[] =
    "SELECT COALESCE(MAX(at), '') FROM inv_tracking WHERE shipment_id = ?";
static const char SQL_TRACK_ADD[] =
    "INSERT INTO inv_tracking (shipment_id, carrier, tracking, at, code, status, description)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_TRACK_LIST[] =
    "SELECT at, code, status, description FROM inv_tracking WHERE shipment_id = ?"
    " ORDER BY at, id";

struct track_ctx {
    const bo_inventory_tracking_event *ev;
    int recorded;
};

/* The normalised statuses a carrier's event may carry. */
static int status_valid(const char *status, int legacy)
{
    static const char *const ok[] = { "pre_transit", "in_transit", "out_for_delivery",
                                      "failed_attempt", "delivered", "returned", "exception" };
    int valid = legacy && status && !strcmp(status, "shipped");
    for (size_t i = 0; status && i < sizeof ok / sizeof *ok; i++)
        valid |= !strcmp(status, ok[i]);
    return valid;
}

/* "YYYY-MM-DDTHH:MM:SSZ", so times order as text. */
static int time_check(const char *at)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    int ok = at && strlen(at) == sizeof shape - 1;
    for (size_t i = 0; ok && i < sizeof shape - 1; i++)
        ok = shape[i] == 'd' ? at[i] >= '0' && at[i] <= '9' : at[i] == shape[i];
    if (!ok)
        return bo__error_set(BO_EINVAL, "at: a UTC time \"YYYY-MM-DDTHH:MM:SSZ\" expected");
    return 0;
}

static int track_tx(bo_book *b, void *p)
{
    struct track_ctx *t = p;
    const bo_inventory_tracking_event *ev = t->ev;
    int64_t ship = 0, dup = 0, id = 0;
    char cur[32] = "", newest[32] = "";
    int found = 0, rc;
    t->recorded = 0;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__store_row(b->store, SQL_TRACK_SHIP, &found, "tt>it", ev->carrier,
                            ev->tracking, &ship, cur, sizeof cur)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "tracking: no shipment of carrier %s with number %s",
                             ev->carrier, ev->tracking);
    if ((rc = bo__store_row(b->store, SQL_TRACK_DUP, &found, "tttt>i", ev->carrier,
                            ev->tracking, ev->at, ev->code, &dup)))
        return rc;
    if (found)
        return 0; /* the same event again: recorded once */
    if ((rc = bo__store_row(b->store, SQL_TRACK_NEWEST, NULL, "i>t", ship, newest,
                            sizeof newest)) ||
        (rc = bo__store_insert(b->store, SQL_TRACK_ADD, NULL, &id, "itttttt", ship, ev->carrier,
                               ev->tracking, ev->at, ev->code, ev->status, ev->description)))
        return rc;
    if (!id)
        return bo__error_set(BO_ERROR, "tracking: insert returned no id");
    char object[48];
    snprintf(object, sizeof object, "tracking:%" PRId64, id);
    if ((rc = bo__audit_append(b, "inventory.shipment.track", object, ev->status)))
        return rc;
    t->recorded = 1;
    /* An older event, the same status, or a final one: the status stays. */
    if (strcmp(ev->at, newest) < 0 || !strcmp(cur, ev->status) || !strcmp(cur, "delivered") ||
        !strcmp(cur, "returned"))
        return 0;
    char note[2 * BO_TEXT_MAX + 8];
    snprintf(note, sizeof note, "%s%s%s", ev->code, ev->description ? ": " : "",
             ev->description ? ev->description : "");
    if ((rc = bo__store_run(b->store, SQL_SHIP_SET, "ti", ev->status, ship)) ||
        (rc = event_add(b, ship, ev->status, note)))
        return rc;
    return bo__event_queue(b, "shipment.status", ship);
}

int bo_inventory_tracking_event_init(bo_inventory_tracking_event *ev, unsigned int version)
{
    bo__error_clear();
    if (!ev || version != BO_INVENTORY_TRACKING_EVENT_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_INVENTORY_TRACKING_EVENT_VERSION);
    bo_inventory_tracking_event init = BO_INVENTORY_TRACKING_EVENT_INIT;
    *ev = init;
    return 0;
}

int bo_inventory_shipment_track(bo_book *b, const bo_inventory_tracking_event *ev, int *recorded)
{
    bo__error_clear();
    if (!b || !ev)
        return bo__error_set(BO_EINVAL, "book/event: NULL");
    int rc;
    if ((rc = bo__opts_version(ev->version, BO_INVENTORY_TRACKING_EVENT_VERSION)) ||
        (rc = bo__text_check("carrier", ev->carrier, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("tracking", ev->tracking, BO_TEXT_MAX, false, false)) ||
        (rc = time_check(ev->at)) ||
        (rc = bo__text_check("code", ev->code, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("description", ev->description, BO_TEXT_MAX, true, true)))
        return rc;
    if (!status_valid(ev->status, 0))
        return bo__error_set(BO_EINVAL, "status: must be pre_transit, in_transit, "
                             "out_for_delivery, failed_attempt, delivered, returned or "
                             "exception");
    struct track_ctx t = { ev, 0 };
    if (!(rc = bo__write(b, track_tx, &t)) && recorded)
        *recorded = t.recorded;
    return rc;
}

static const bo__col track_cols[] = {
    { "at", BO_TYPE_TEXT }, { "code", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "description", BO_TYPE_TEXT },
};

int bo_inventory_shipment_tracking(bo_book *b, int64_t shipment_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    static const bo__parent shipment = { SQL_SHIP_GET, "shipment", " not found" };
    return bo__listing(b, BO__P_INVENTORY_READ, &shipment, SQL_TRACK_LIST, track_cols, 4, out,
                       "i", shipment_id);
}
