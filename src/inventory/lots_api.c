/* The picked forms of the movement commands (each parses its picks, makes
 * them the thread's current picks for the command, runs it, restores), and
 * the listings of lots and serials: stock per lot, what expires, recalls,
 * where a serial is and where it has been. */
#include "inventory/inventory.h"
#include "inventory/lots.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- the picked commands -------------------------------------------------- */

static int date_text(const char *field, const char *s, char out[11])
{
    out[0] = 0;
    if (!s)
        return 0;
    bo_date d;
    if (bo_date_parse(s, &d)) {
        char q[80];
        bo__quote(s, 16, q, sizeof q);
        return bo__error_set(BO_EINVAL, "%s: '%s' is not a date YYYY-MM-DD", field, q);
    }
    bo__date_iso(d, out);
    return 0;
}

typedef enum { RECEIVE, ISSUE, TRANSFER, ADJUST } move_cmd;

static int picked(bo_book *book, move_cmd cmd, const bo_inventory_move_options *opts,
                  const char *text, const char *expiry, const char *best_before,
                  int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    char e[11], bb[11];
    bo__picks *p = NULL;
    int rc;
    if ((rc = date_text("expiry", expiry, e)) ||
        (rc = date_text("best_before", best_before, bb)))
        return rc;
    if (text && (rc = bo__picks_parse(text, 0, &p)))
        return rc;
    if (p)
        bo__picks_dates(p, expiry ? e : NULL, best_before ? bb : NULL);
    else if (expiry || best_before)
        return bo__error_set(BO_EINVAL, "picks: dates need the lots they date");
    const bo__picks *old = bo__picks_swap(p);
    switch (cmd) {
    case RECEIVE: rc = bo_inventory_receive(book, opts, id); break;
    case ISSUE: rc = bo_inventory_issue(book, opts, id); break;
    case TRANSFER: rc = bo_inventory_transfer(book, opts, id); break;
    default: rc = bo_inventory_adjust(book, opts, id); break;
    }
    bo__picks_swap(old);
    bo__picks_free(p);
    return rc;
}

int bo_inventory_receive_picked(bo_book *book, const bo_inventory_move_options *opts,
                                const char *picks, const char *expiry,
                                const char *best_before, int64_t *id)
{
    if (!picks) {
        bo__error_clear();
        return bo__error_set(BO_EINVAL, "picks: a receipt names its lots or serials");
    }
    return picked(book, RECEIVE, opts, picks, expiry, best_before, id);
}

/* A purchase order receipt into the lots or serials named: the receipt's
 * movement runs the same hook as a direct receipt's (move_log.c). */
int bo_inventory_po_receive_picked(bo_book *book, int64_t po_id, int line, int64_t qty,
                                   bo_date date, const char *key, const char *text,
                                   const char *expiry, const char *best_before,
                                   int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (!text)
        return bo__error_set(BO_EINVAL, "picks: a receipt names its lots or serials");
    char e[11], bb[11];
    bo__picks *p = NULL;
    int rc;
    if ((rc = date_text("expiry", expiry, e)) ||
        (rc = date_text("best_before", best_before, bb)) ||
        (rc = bo__picks_parse(text, 0, &p)))
        return rc;
    bo__picks_dates(p, expiry ? e : NULL, best_before ? bb : NULL);
    const bo__picks *old = bo__picks_swap(p);
    rc = bo_inventory_po_receive(book, po_id, line, qty, date, key, id);
    bo__picks_swap(old);
    bo__picks_free(p);
    return rc;
}

int bo_inventory_issue_picked(bo_book *book, const bo_inventory_move_options *opts,
                              const char *picks, int64_t *id)
{
    return picked(book, ISSUE, opts, picks, NULL, NULL, id);
}

int bo_inventory_transfer_picked(bo_book *book, const bo_inventory_move_options *opts,
                                 const char *picks, int64_t *id)
{
    return picked(book, TRANSFER, opts, picks, NULL, NULL, id);
}

int bo_inventory_adjust_picked(bo_book *book, const bo_inventory_move_options *opts,
                               const char *picks, int64_t *id)
{
    return picked(book, ADJUST, opts, picks, NULL, NULL, id);
}

int bo_inventory_sale_post_picked(bo_book *book, const bo_sale *sale, const char *text,
                                  int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    bo__picks *p = NULL;
    int rc;
    if (text && (rc = bo__picks_parse(text, 1, &p)))
        return rc;
    const bo__picks *old = bo__picks_swap(p);
    rc = bo_inventory_sale_post(book, sale, id);
    bo__picks_swap(old);
    bo__picks_free(p);
    return rc;
}

/* ---- listings ---------------------------------------------------------------- */

static const char SQL_LOT_ID[] =
    "SELECT id FROM inv_lots WHERE item_id = ? AND code = ?";

static int lot_id(bo_book *b, const char *sku, const char *lot, bo__inv_item *it,
                  int64_t *id)
{
    int rc = bo__inv_item_find(b, "sku", sku, 0, it);
    if (rc)
        return rc;
    if (!lot)
        return bo__error_set(BO_EINVAL, "lot: NULL");
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_LOT_ID, &found, "it>i", it->id, lot, id)))
        return rc;
    if (!found) {
        char q[280];
        bo__quote(lot, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "lot: %s of %s does not exist", q, it->sku);
    }
    return 0;
}

static const char SQL_LOT_STOCK[] =
    "SELECT on_hand FROM inv_lot_stock WHERE lot_id = ? AND location_id = ?";

int bo_inventory_lot_stock(bo_book *b, const char *sku, const char *lot,
                           const char *location, int64_t *on_hand)
{
    bo__error_clear();
    if (!b || !sku || !on_hand)
        return bo__error_set(BO_EINVAL, "book/sku/on_hand: NULL");
    bo__inv_item it;
    bo__inv_loc l;
    int64_t id = 0, q = 0;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = lot_id(b, sku, lot, &it, &id)) ||
        (rc = bo__inv_loc_find(b, "location", location, &l)) ||
        (rc = bo__store_row(b->store, SQL_LOT_STOCK, NULL, "ii>i", id, l.id, &q)))
        return rc;
    *on_hand = q;
    return 0;
}

static const char SQL_LOTS[] =
    "SELECT l.code, l.expiry, l.best_before, c.code, s.on_hand, i.scale FROM inv_lots l"
    " JOIN inv_lot_stock s ON s.lot_id = l.id JOIN inv_locations c ON c.id = s.location_id"
    " JOIN inv_items i ON i.id = l.item_id"
    " WHERE l.item_id = ? AND s.on_hand <> 0"
    " ORDER BY CASE WHEN l.expiry IS NULL THEN 1 ELSE 0 END, l.expiry, l.code, c.code";
static const bo__col lots_cols[] = {
    { "lot", BO_TYPE_TEXT }, { "expiry", BO_TYPE_TEXT }, { "best_before", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT }, { "on_hand", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_lots(bo_book *b, const char *sku, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !sku || !out)
        return bo__error_set(BO_EINVAL, "book/sku/out: NULL");
    *out = NULL;
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", sku, 0, &it)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_LOTS, lots_cols, 6, out, "i", it.id);
}

static const char SQL_EXPIRING[] =
    "SELECT i.sku, l.code, l.expiry, c.code, s.on_hand, i.scale, st.on_hand, st.value"
    " FROM inv_lots l JOIN inv_lot_stock s ON s.lot_id = l.id"
    " JOIN inv_items i ON i.id = l.item_id JOIN inv_locations c ON c.id = s.location_id"
    " JOIN inv_stock st ON st.item_id = l.item_id AND st.location_id = s.location_id"
    " WHERE l.expiry IS NOT NULL AND l.expiry <= ? AND s.on_hand > 0"
    " ORDER BY l.expiry, i.sku, l.code, c.code";
static const bo__col exp_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "lot", BO_TYPE_TEXT }, { "expiry", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT }, { "qty", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
    { "on_hand", BO_TYPE_INT }, { "value", BO_TYPE_INT },
};

static int horizon(bo_date date, int days, char out[11])
{
    if (days < 0)
        return bo__error_set(BO_EINVAL, "days: %d must not be negative", days);
    int64_t d = (int64_t)date + days;
    if (date < BO_DATE_MIN || d > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    bo__date_iso((bo_date)d, out);
    return 0;
}

int bo_inventory_expiring(bo_book *b, bo_date date, int days, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    char until[11];
    int rc;
    if ((rc = horizon(date, days, until)) || (rc = bo__require(b, BO__P_INVENTORY_READ)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_EXPIRING, exp_cols, 8, out, "t", until);
}

int bo_inventory_expiring_value(bo_book *b, bo_date date, int days, int64_t *value)
{
    bo__error_clear();
    if (!value)
        return bo__error_set(BO_EINVAL, "value: NULL");
    bo_cursor *c = NULL;
    int rc = bo_inventory_expiring(b, date, days, &c);
    int64_t sum = 0;
    while (!rc && (rc = bo_cursor_next(c)) == 0) {
        int64_t qty = bo_cursor_int(c, 4), sq = bo_cursor_int(c, 6), sv = bo_cursor_int(c, 7);
        int64_t v = 0;
        if (sq > 0 && (bo_money_muldiv(sv, qty, sq, BO_ROUND_HALF_EVEN, &v) ||
                       bo_money_add(sum, v, &sum))) {
            bo__error_clear();
            rc = bo__error_set(BO_EOVERFLOW, "value: the expiring value overflows");
        }
    }
    bo_cursor_free(c);
    if (rc == BO_ITEROVER) {
        bo__error_clear();
        *value = sum;
        return 0;
    }
    return rc;
}

static const char SQL_RECALL[] =
    "SELECT sa.id, sa.date, sa.customer, c.code, -lm.qty, -lm.qty - lm.open, i.scale"
    " FROM inv_lot_moves lm JOIN inv_moves m ON m.id = lm.move_id"
    " JOIN inv_stock st ON st.id = m.stock_id JOIN inv_locations c ON c.id = st.location_id"
    " JOIN inv_sales sa ON sa.id = CAST(SUBSTR(m.reference, 6) AS BIGINT)"
    " JOIN inv_lots lo ON lo.id = lm.lot_id JOIN inv_items i ON i.id = lo.item_id"
    " WHERE lm.lot_id = ? AND m.kind = 'sale'"
    " ORDER BY sa.date, sa.id";
static const bo__col recall_cols[] = {
    { "sale", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "customer", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT }, { "qty", BO_TYPE_INT }, { "returned", BO_TYPE_INT },
    { "scale", BO_TYPE_INT },
};

int bo_inventory_lot_recall(bo_book *b, const char *sku, const char *lot, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !sku || !out)
        return bo__error_set(BO_EINVAL, "book/sku/out: NULL");
    *out = NULL;
    bo__inv_item it;
    int64_t id = 0;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) || (rc = lot_id(b, sku, lot, &it, &id)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_RECALL, recall_cols, 7, out, "i", id);
}

static const char SQL_SERIALS[] =
    "SELECT s.serial, s.status, c.code FROM inv_serials s"
    " LEFT JOIN inv_locations c ON c.id = s.location_id WHERE s.item_id = ?"
    " ORDER BY s.serial";
static const bo__col serial_cols[] = {
    { "serial", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
};

int bo_inventory_serials(bo_book *b, const char *sku, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !sku || !out)
        return bo__error_set(BO_EINVAL, "book/sku/out: NULL");
    *out = NULL;
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", sku, 0, &it)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_SERIALS, serial_cols, 3, out, "i", it.id);
}

static const char SQL_SERIAL_ID[] =
    "SELECT id FROM inv_serials WHERE item_id = ? AND serial = ?";
static const char SQL_SERIAL_HISTORY[] =
    "SELECT m.id, m.kind, m.date, c.code, CASE WHEN m.qty > 0 THEN 1 ELSE -1 END,"
    " m.reference, 0 FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    " JOIN inv_stock st ON st.id = m.stock_id JOIN inv_locations c ON c.id = st.location_id"
    " WHERE sm.serial_id = ? ORDER BY m.id";
static const bo__col history_cols[] = {
    { "id", BO_TYPE_INT }, { "kind", BO_TYPE_TEXT }, { "date", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT }, { "qty", BO_TYPE_INT }, { "reference", BO_TYPE_TEXT },
    { "scale", BO_TYPE_INT },
};

int bo_inventory_serial_history(bo_book *b, const char *sku, const char *serial,
                                bo_cursor **out)
{
    bo__error_clear();
    if (!b || !sku || !serial || !out)
        return bo__error_set(BO_EINVAL, "book/sku/serial/out: NULL");
    *out = NULL;
    bo__inv_item it;
    int64_t id = 0;
    int found = 0, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", sku, 0, &it)) ||
        (rc = bo__store_row(b->store, SQL_SERIAL_ID, &found, "it>i", it.id, serial, &id)))
        return rc;
    if (!found) {
        char q[280];
        bo__quote(serial, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "serial: %s of %s was never received", q, it.sku);
    }
    return bo__listing(b, 0, NULL, SQL_SERIAL_HISTORY, history_cols, 7, out, "i", id);
}
