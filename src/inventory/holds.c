/* Reservations. A hold raises the row's reserved quantity inside the same
 * write transaction that checks availability, so racing terminals can never
 * hold more than is on hand. Expiry is lazy: a hold whose time has passed
 * stops counting (reads subtract it, writes sweep it), and
 * bo_inventory_holds_expire() tidies the rest. */
#include "inventory/inventory.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_HOLD_ADD[] =
    "INSERT INTO inv_holds (stock_id, qty, expires, status, idem_key, digest, lot_id)"
    " VALUES (?, ?, ?, 'active', ?, ?, ?) RETURNING id";
static const char SQL_TRACK_MODE[] = "SELECT mode FROM inv_track WHERE item_id = ?";
/* The lots of an item at a location with stock, first expired first, with
 * what active holds reserve of each (at ?1, now). */
static const char SQL_HOLD_LOTS[] =
    "SELECT l.id, l.code, l.expiry, s.on_hand,"
    " (SELECT COALESCE(SUM(h.qty), 0) FROM inv_holds h JOIN inv_stock hs"
    "  ON hs.id = h.stock_id WHERE h.lot_id = l.id AND hs.location_id = s.location_id"
    "  AND h.status = 'active' AND h.expires > ?)"
    " FROM inv_lot_stock s JOIN inv_lots l ON l.id = s.lot_id"
    " WHERE s.location_id = ? AND l.item_id = ? AND (? = '' OR l.code = ?)"
    " ORDER BY CASE WHEN l.expiry IS NULL THEN 1 ELSE 0 END, l.expiry, l.id";
static const char SQL_LOT_EXISTS[] = "SELECT id FROM inv_lots WHERE item_id = ? AND code = ?";
static const char SQL_HOLD_BY_KEY[] = "SELECT id, digest FROM inv_holds WHERE idem_key = ?";
static const char SQL_HOLD_GET[] =
    "SELECT stock_id, qty, expires, status FROM inv_holds WHERE id = ?";
static const char SQL_HOLD_STATUS[] =
    "UPDATE inv_holds SET status = ?, sale_id = ? WHERE id = ?";
static const char SQL_RESERVED_SUB[] =
    "UPDATE inv_stock SET reserved = reserved - ? WHERE id = ?";
static const char SQL_EXPIRE_ROWS[] =
    "UPDATE inv_stock SET reserved = reserved - (SELECT COALESCE(SUM(h.qty), 0)"
    " FROM inv_holds h WHERE h.stock_id = inv_stock.id AND h.status = 'active'"
    " AND h.expires <= ?) WHERE id IN (SELECT stock_id FROM inv_holds"
    " WHERE status = 'active' AND expires <= ?)";
static const char SQL_EXPIRE_ALL[] =
    "UPDATE inv_holds SET status = 'expired' WHERE status = 'active' AND expires <= ?";
static const char SQL_HOLDS[] =
    "SELECT h.id, i.sku, l.code, h.qty, h.expires,"
    " CASE WHEN h.status = 'active' AND h.expires <= ? THEN 'expired'"
    " ELSE h.status END, h.sale_id, i.scale,"
    " (SELECT lt.code FROM inv_lots lt WHERE lt.id = h.lot_id) FROM inv_holds h"
    " JOIN inv_stock s ON s.id = h.stock_id JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id"
    " WHERE (? = 0 OR s.item_id = ?) ORDER BY h.id DESC";

/* "900" (seconds from now) or "YYYY-MM-DDTHH:MM:SS[Z]" in the future. */
static int parse_expires(const char *text, char out[32])
{
    if (!text || !text[0])
        return bo__error_set(BO_EINVAL, "expires: required");
    size_t n = strlen(text), digits = strspn(text, "0123456789");
    if (digits == n) {
        if (n > 9)
            return bo__error_set(BO_EINVAL, "expires: more than 999999999 seconds");
        int64_t sec = strtoll(text, NULL, 10);
        if (sec <= 0)
            return bo__error_set(BO_EINVAL, "expires: must be in the future");
        bo__inv_time_after(sec, out);
        return 0;
    }
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    int ok = n == 19 || (n == 20 && text[19] == 'Z');
    for (size_t i = 0; ok && i < 19; i++)
        ok = shape[i] == 'd' ? isdigit((unsigned char)text[i]) != 0 : text[i] == shape[i];
    bo_date d;
    char date[11];
    if (ok) {
        memcpy(date, text, 10);
        date[10] = '\0';
        ok = bo_date_parse(date, &d) == 0 && atoi(text + 11) < 24 &&
             atoi(text + 14) < 60 && atoi(text + 17) < 60;
    }
    if (!ok) {
        bo__error_clear();
        return bo__error_set(BO_EINVAL, "expires: not seconds or "
                             "YYYY-MM-DDTHH:MM:SS");
    }
    memcpy(out, text, 19);
    out[19] = '\0';
    char now[64];
    bo__now_iso(now);
    if (strcmp(out, now) <= 0)
        return bo__error_set(BO_EINVAL, "expires: %s is not in the future", out);
    return 0;
}

struct hold_ctx {
    const char *sku, *loc, *key;
    int64_t qty, id, count;
    char expires[32];
    char digest[65];
    int by_lot;      /* bo_inventory_hold_lot */
    const char *lot; /* the lot named, NULL: first expired first */
    int64_t lot_id;  /* the lot held */
};

/* The canonical form of a hold (bo__idem_claim): the expiry as given, so a
 * retried "900" seconds is the same hold. */
static int hold_digest(struct hold_ctx *c, const char *expires)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.hold");
    bo__buf_field(&d, c->sku);
    bo__buf_field(&d, c->loc);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field(&d, expires);
    if (c->by_lot) {
        bo__buf_field(&d, "lot");
        bo__buf_field(&d, c->lot ? c->lot : "");
    }
    return bo__buf_digest(&d, c->digest);
}

/* The lot a hold of c->qty takes (c->lot_id): the one named, or the first
 * to expire that has c->qty not yet held; expired lots are refused. */
static int hold_pick_lot(bo_book *b, struct hold_ctx *c, const bo__inv_item *it,
                         const bo__inv_loc *l)
{
    int64_t mode = 0;
    int found = 0;
    int rc = bo__store_row(b->store, SQL_TRACK_MODE, &found, "i>i", it->id, &mode);
    if (rc)
        return rc;
    if (!found || mode != BO_INVENTORY_TRACK_LOT)
        return bo__error_set(BO_EINVAL, "lot: %s is not tracked by lot", c->sku);
    if (c->lot) {
        int64_t id;
        if ((rc = bo__store_row(b->store, SQL_LOT_EXISTS, &found, "it>i", it->id, c->lot,
                                &id)))
            return rc;
        if (!found)
            return bo__error_set(BO_ENOTFOUND, "lot: %s of %s does not exist", c->lot,
                                 c->sku);
    }
    char now[64], today[11];
    bo__now_iso(now);
    bo__date_iso(bo_date_today(), today);
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_HOLD_LOTS, &s)))
        return rc;
    char expired[BO_CODE_MAX + 1] = "", expired_on[11] = "";
    int64_t best_free = -1;
    if (!(rc = bo__stmt_bind(s, "tiitt", now, l->id, it->id, c->lot ? c->lot : "",
                                  c->lot ? c->lot : ""))) {
        while (!c->lot_id && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            const char *exp = bo__stmt_col_text(s, 2);
            int64_t free_ = bo__stmt_col_int(s, 3) - bo__stmt_col_int(s, 4);
            if (exp && strcmp(exp, today) < 0) {
                if (!expired[0]) {
                    snprintf(expired, sizeof expired, "%s", bo__stmt_col_text(s, 1));
                    snprintf(expired_on, sizeof expired_on, "%s", exp);
                }
                continue;
            }
            if (free_ >= c->qty)
                c->lot_id = bo__stmt_col_int(s, 0);
            else if (free_ > best_free)
                best_free = free_;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || c->lot_id)
        return rc;
    if (c->lot && expired[0])
        return bo__error_set(BO_EEXPIRED, "lot: %s of %s expired on %s", expired, c->sku,
                             expired_on);
    char w[32];
    bo_inventory_qty_format(c->qty, it->scale, w, sizeof w);
    if (c->lot) {
        char h[32];
        bo_inventory_qty_format(best_free < 0 ? 0 : best_free, it->scale, h, sizeof h);
        return bo__error_set(BO_ESTOCK, "lot: %s of %s at '%s' has %s not held, %s wanted",
                             c->lot, c->sku, l->code, h, w);
    }
    if (expired[0])
        return bo__error_set(BO_EEXPIRED, "lot: no unexpired lot of %s at '%s' has %s not "
                             "held (%s expired on %s)", c->sku, l->code, w, expired,
                             expired_on);
    return bo__error_set(BO_ESTOCK, "lot: no lot of %s at '%s' has %s not held", c->sku,
                         l->code, w);
}

static int hold_tx(bo_book *b, void *p)
{
    struct hold_ctx *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    int state, rc;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_HOLD_BY_KEY, "hold", c->key, c->digest, &c->id,
                             &state)) || state == BO__IDEM_REPLAY ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)))
        return rc;
    /* Holds never borrow: the negative-stock policy does not apply. */
    bo__inv_item strict = it;
    bo__inv_loc strict_l = l;
    strict.negative_ok = strict_l.negative_ok = 0;
    if ((c->by_lot && (rc = hold_pick_lot(b, c, &it, &l))) ||
        (rc = bo__inv_check_out(&strict, &strict_l, &st, c->qty, 0, "qty")))
        return rc;
    if ((rc = bo__store_insert(b->store, SQL_HOLD_ADD, NULL, &c->id, "iitttI", st.id, c->qty,
                               c->expires, c->key, c->key ? c->digest : NULL, c->lot_id)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ERROR, "hold: insert returned no id");
    if ((rc = bo__store_run(b->store, SQL_RESERVED_SUB, "ii", -c->qty, st.id)))
        return rc;
    st.reserved += c->qty;
    char object[48];
    snprintf(object, sizeof object, "hold:%" PRId64, c->id);
    if ((rc = bo__audit_append(b, "inventory.hold.place", object, c->expires)))
        return rc;
    return bo__inv_low_check(b, &st);
}

int bo_inventory_hold(bo_book *b, const char *sku, const char *location, int64_t qty,
                const char *expires, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct hold_ctx c = { sku, location, key, qty, 0, 0, "", "", 0, NULL, 0 };
    int rc;
    if ((rc = bo__inv_qty_check("qty", qty, 0)) || (rc = bo__idem_check(key)) ||
        (rc = parse_expires(expires, c.expires)) || (rc = hold_digest(&c, expires)))
        return rc;
    if (!(rc = bo__write(b, hold_tx, &c)) && id)
        *id = c.id;
    return rc;
}

int bo_inventory_hold_lot(bo_book *b, const char *sku, const char *location, int64_t qty,
                          const char *lot, const char *expires, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct hold_ctx c = { sku, location, key, qty, 0, 0, "", "", 1, lot, 0 };
    int rc;
    if ((rc = bo__inv_qty_check("qty", qty, 0)) || (rc = bo__idem_check(key)) ||
        (lot && (rc = bo__name_check("lot", lot, BO_CODE_MAX))) ||
        (rc = parse_expires(expires, c.expires)) || (rc = hold_digest(&c, expires)))
        return rc;
    if (!(rc = bo__write(b, hold_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* Read hold id; BO_ESTATE unless it is active and unexpired. */
static int hold_usable(bo_book *b, int64_t id, int64_t *stock, int64_t *qty)
{
    int found = 0;
    char expires[32] = "", status[16] = "";
    int rc = bo__store_row(b->store, SQL_HOLD_GET, &found, "i>iitt", id, stock, qty, expires,
                           sizeof expires, status, sizeof status);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "hold %" PRId64 " not found", id);
    char now[64];
    bo__now_iso(now);
    if (!strcmp(status, "expired") || (!strcmp(status, "active") && strcmp(expires, now) <= 0))
        return bo__error_set(BO_ESTATE, "hold %" PRId64 " expired at %s", id, expires);
    if (strcmp(status, "active"))
        return bo__error_set(BO_ESTATE, "hold %" PRId64 " was %s", id,
                             !strcmp(status, "sold") ? "sold already" : status);
    return 0;
}

int bo__inv_hold_take(bo_book *b, int64_t id, int64_t sale, int64_t *stock,
                      int64_t *qty)
{
    int rc = hold_usable(b, id, stock, qty);
    if (rc || (rc = bo__store_run(b->store, SQL_HOLD_STATUS, "tii", "sold", sale, id)))
        return rc;
    return bo__audit_touch(b, "hold", id); /* the sale's record names the sale */
}

static int release_tx(bo_book *b, void *p)
{
    struct hold_ctx *c = p;
    int64_t stock, qty;
    int rc;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = hold_usable(b, c->id, &stock, &qty)) ||
        (rc = bo__store_run(b->store, SQL_HOLD_STATUS, "tii", "released", (int64_t)0, c->id)) ||
        (rc = bo__store_run(b->store, SQL_RESERVED_SUB, "ii", qty, stock)))
        return rc;
    char object[48];
    snprintf(object, sizeof object, "hold:%" PRId64, c->id);
    return bo__audit_append(b, "inventory.hold.release", object, "");
}

int bo_inventory_hold_release(bo_book *b, int64_t hold_id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct hold_ctx c = { NULL, NULL, NULL, 0, hold_id, 0, "", "", 0, NULL, 0 };
    return bo__write(b, release_tx, &c);
}

static int expire_tx(bo_book *b, void *p)
{
    struct hold_ctx *c = p;
    int rc;
    char now[64];
    bo__now_iso(now);
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__store_run(b->store, SQL_EXPIRE_ROWS, "tt", now, now)) ||
        (rc = bo__store_run(b->store, SQL_EXPIRE_ALL, "t", now)))
        return rc;
    c->count = bo__store_changes(b->store);
    if (c->count == 0)
        return 0;
    char detail[32];
    snprintf(detail, sizeof detail, "%" PRId64, c->count);
    return bo__audit_append(b, "inventory.hold.expire", "hold:*", detail);
}

int bo_inventory_holds_expire(bo_book *b, int64_t *count)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct hold_ctx c = { NULL, NULL, NULL, 0, 0, 0, "", "", 0, NULL, 0 };
    int rc = bo__write(b, expire_tx, &c);
    if (!rc && count)
        *count = c.count;
    return rc;
}

static const bo__col hold_cols[] = {
    { "id", BO_TYPE_INT }, { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "qty", BO_TYPE_INT }, { "expires", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "sale", BO_TYPE_INT }, { "scale", BO_TYPE_INT }, { "lot", BO_TYPE_TEXT },
};

int bo_inventory_holds(bo_book *b, const char *sku, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (sku && (rc = bo__inv_item_find(b, "sku", sku, 0, &it))))
        return rc;
    char now[64];
    bo__now_iso(now);
    int64_t item = sku ? it.id : 0;
    return bo__listing(b, 0, NULL, SQL_HOLDS, hold_cols, 9, out, "tii", now, item, item);
}
