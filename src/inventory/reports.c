/* Stock lookups, listings, history, valuation and reorder suggestions. Each
 * is one statement (behind a cursor for listings), so they stream. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The reserved quantity of a row less its holds that have expired. */
#define RESERVED_NOW "(s.reserved - COALESCE((SELECT SUM(h.qty) FROM inv_holds h" \
    " WHERE h.stock_id = s.id AND h.status = 'active' AND h.expires <= ?), 0))"

static const char SQL_STOCK_ONE[] =
    "SELECT s.on_hand, s.on_hand - " RESERVED_NOW ", s.value FROM inv_stock s"
    " WHERE s.item_id = ? AND s.location_id = ?";

static int lookup(bo_book *b, const char *sku, const char *location, int what,
                  int64_t *out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    bo__inv_item it;
    bo__inv_loc l;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", location, &l)))
        return rc;
    char now[64];
    bo__now_iso(now);
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_STOCK_ONE, &s)))
        return rc;
    *out = 0;
    if (!(rc = bo__stmt_bind(s, "tii", now, it.id, l.id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            *out = bo__stmt_col_int(s, what);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

int bo_inventory_stock(bo_book *b, const char *sku, const char *location, int64_t *on_hand)
{
    return lookup(b, sku, location, 0, on_hand);
}

int bo_inventory_available(bo_book *b, const char *sku, const char *location,
                     int64_t *available)
{
    return lookup(b, sku, location, 1, available);
}

int bo_inventory_value(bo_book *b, const char *sku, const char *location, int64_t *value)
{
    return lookup(b, sku, location, 2, value);
}

/* Optional filters by code: 0 means every item or location. */
static int filters(bo_book *b, const char *sku, const char *location,
                   int64_t *item, int64_t *loc)
{
    bo__inv_item it;
    bo__inv_loc l;
    int rc;
    *item = *loc = 0;
    if (sku && (rc = bo__inv_item_find(b, "sku", sku, 0, &it)))
        return rc;
    if (location && (rc = bo__inv_loc_find(b, "location", location, &l)))
        return rc;
    if (sku)
        *item = it.id;
    if (location)
        *loc = l.id;
    return 0;
}

static const char SQL_STOCK_LIST[] =
    "SELECT i.sku, l.code, s.on_hand, " RESERVED_NOW ", s.on_hand - " RESERVED_NOW ","
    " s.value, s.reorder_point, s.reorder_qty, i.scale FROM inv_stock s"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " WHERE (? = 0 OR s.item_id = ?) AND (? = 0 OR s.location_id = ?)"
    " ORDER BY i.sku, l.code";
static const bo__col stock_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT }, { "on_hand", BO_TYPE_INT },
    { "reserved", BO_TYPE_INT }, { "available", BO_TYPE_INT }, { "value", BO_TYPE_INT },
    { "reorder_point", BO_TYPE_INT }, { "reorder_qty", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_stock_list(bo_book *b, const char *sku, const char *location,
                      bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int64_t item, loc;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = filters(b, sku, location, &item, &loc)))
        return rc;
    char now[64];
    bo__now_iso(now);
    return bo__listing(b, 0, NULL, SQL_STOCK_LIST, stock_cols, 9, out, "ttiiii", now, now,
                       item, item, loc, loc);
}

static const char SQL_HISTORY[] =
    "SELECT m.id, m.date, m.kind, i.sku, l.code, m.qty, m.value, m.reason,"
    " m.reference, m.entry_id, i.scale FROM inv_moves m JOIN inv_stock s ON s.id = m.stock_id"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " WHERE m.date BETWEEN ? AND ? AND (? = 0 OR s.item_id = ?)"
    " AND (? = 0 OR s.location_id = ?) ORDER BY m.id";
/* One item at one location: the index (stock_id, date, id) alone. */
static const char SQL_HISTORY_ONE[] =
    "SELECT m.id, m.date, m.kind, i.sku, l.code, m.qty, m.value, m.reason,"
    " m.reference, m.entry_id, i.scale FROM inv_moves m JOIN inv_stock s ON s.id = m.stock_id"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " WHERE m.stock_id = (SELECT id FROM inv_stock WHERE item_id = ? AND location_id = ?)"
    " AND m.date BETWEEN ? AND ? ORDER BY m.date, m.id";
static const bo__col hist_cols[] = {
    { "id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT },
    { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT }, { "qty", BO_TYPE_INT },
    { "value", BO_TYPE_INT }, { "reason", BO_TYPE_TEXT }, { "reference", BO_TYPE_TEXT },
    { "entry", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_history(bo_book *b, const char *sku, const char *location, bo_date from,
                   bo_date to, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int64_t item, loc;
    int rc;
    char f[11], t[11];
    bo__date_iso(from, f);
    bo__date_iso(to, t);
    if (!f[0] || !t[0])
        return bo__error_set(BO_EINVAL, "from/to: out of range");
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = filters(b, sku, location, &item, &loc)))
        return rc;
    if (item && loc)
        return bo__listing(b, 0, NULL, SQL_HISTORY_ONE, hist_cols, 11, out, "iitt", item,
                           loc, f, t);
    return bo__listing(b, 0, NULL, SQL_HISTORY, hist_cols, 11, out, "ttiiii", f, t, item,
                       item, loc, loc);
}

static const char SQL_VALUATION[] =
    "SELECT sku, code, method, on_hand, value, account, scale FROM ("
    " SELECT i.sku, l.code, CASE i.method WHEN 1 THEN 'fifo' ELSE 'average' END"
    "  AS method, s.on_hand, s.value,"
    "  COALESCE(l.inventory_account, (SELECT value FROM settings"
    "   WHERE key = 'inventory.account.inventory')) AS account, i.scale"
    " FROM inv_stock s JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id"
    " WHERE s.on_hand <> 0 OR s.value <> 0"
    " UNION ALL"
    " SELECT i.sku, '(transit)', CASE i.method WHEN 1 THEN 'fifo' ELSE 'average' END,"
    "  t.qty, t.value, COALESCE(l.inventory_account, (SELECT value FROM settings"
    "   WHERE key = 'inventory.account.inventory')), i.scale"
    " FROM inv_transfers t JOIN inv_items i ON i.id = t.item_id"
    " JOIN inv_locations l ON l.id = t.from_id WHERE t.arrived IS NULL) v"
    " ORDER BY sku, code";
static const bo__col val_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT }, { "method", BO_TYPE_TEXT },
    { "on_hand", BO_TYPE_INT }, { "value", BO_TYPE_INT }, { "account", BO_TYPE_TEXT },
    { "scale", BO_TYPE_INT },
};

int bo_inventory_valuation(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_VALUATION, val_cols, 7, out, "");
}

static const char SQL_LAYERS[] =
    "SELECT y.id, y.date, y.qty, y.remaining, y.cost, i.scale FROM inv_layers y"
    " JOIN inv_stock s ON s.id = y.stock_id JOIN inv_items i ON i.id = s.item_id"
    " WHERE s.item_id = ? AND s.location_id = ? AND y.is_open = 1 AND y.remaining > 0"
    " ORDER BY y.date, y.id";
static const bo__col layer_cols[] = {
    { "id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "qty", BO_TYPE_INT },
    { "remaining", BO_TYPE_INT }, { "cost", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_layers(bo_book *b, const char *sku, const char *location, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out || !sku || !location)
        return bo__error_set(BO_EINVAL, "book/sku/location/out: NULL");
    int64_t item, loc;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = filters(b, sku, location, &item, &loc)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_LAYERS, layer_cols, 6, out, "ii", item, loc);
}

/* ---- reordering ---------------------------------------------------------- */

static const char SQL_REORDER_SET[] =
    "UPDATE inv_stock SET reorder_point = ?, reorder_qty = ? WHERE id = ?";
static const char SQL_REORDER_CLEAR[] =
    "UPDATE inv_stock SET reorder_point = NULL, reorder_qty = NULL WHERE id = ?";

struct reorder { const char *sku, *loc; int64_t point, qty; };

static int reorder_tx(bo_book *b, void *p)
{
    struct reorder *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)))
        return rc;
    rc = c->point < 0 ? bo__store_run(b->store, SQL_REORDER_CLEAR, "i", st.id)
                      : bo__store_run(b->store, SQL_REORDER_SET, "iii", c->point, c->qty, st.id);
    if (rc)
        return rc;
    char object[48];
    snprintf(object, sizeof object, "stock:%" PRId64, st.id);
    return bo__audit_append(b, "inventory.stock.reorder_set", object, it.sku);
}

int bo_inventory_reorder_set(bo_book *b, const char *sku, const char *location,
                       int64_t point, int64_t qty)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (point >= 0 && qty <= 0)
        return bo__error_set(BO_EINVAL, "qty: %" PRId64 " must be positive", qty);
    struct reorder c = { sku, location, point, qty };
    return bo__write(b, reorder_tx, &c);
}

static const char SQL_SUGGEST[] =
    "SELECT supplier, sku, code, available, reorder_point,"
    " CASE WHEN available + reorder_qty < reorder_point"
    "  THEN reorder_point - available ELSE reorder_qty END, scale FROM ("
    " SELECT COALESCE(i.supplier, '') AS supplier, i.sku, l.code,"
    "  s.on_hand - " RESERVED_NOW " AS available, s.reorder_point, s.reorder_qty, i.scale"
    " FROM inv_stock s JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id"
    " WHERE s.reorder_point IS NOT NULL AND i.active = 1) v"
    " WHERE available < reorder_point ORDER BY supplier, sku, code";
static const bo__col suggest_cols[] = {
    { "supplier", BO_TYPE_TEXT }, { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "available", BO_TYPE_INT }, { "reorder_point", BO_TYPE_INT },
    { "quantity", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_reorder_suggest(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc = bo__require(b, BO__P_INVENTORY_READ);
    if (rc)
        return rc;
    char now[64];
    bo__now_iso(now);
    return bo__listing(b, 0, NULL, SQL_SUGGEST, suggest_cols, 7, out, "t", now);
}

static const char SQL_STOCK_ROW[] =
    "SELECT i.sku, l.code, s.on_hand - " RESERVED_NOW ", s.reorder_point, i.scale"
    " FROM inv_stock s JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id WHERE s.id = ?";
static const char SQL_STOCK_EXISTS[] = "SELECT 1 FROM inv_stock WHERE id = ?";
static const bo__col row_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "available", BO_TYPE_INT }, { "reorder_point", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_stock_row(bo_book *b, int64_t stock_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc = bo__require(b, BO__P_INVENTORY_READ);
    if (rc)
        return rc;
    int found = 0;
    rc = bo__store_row(b->store, SQL_STOCK_EXISTS, &found, "i", stock_id);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "stock row %" PRId64 " not found", stock_id);
    char now[64];
    bo__now_iso(now);
    return bo__listing(b, 0, NULL, SQL_STOCK_ROW, row_cols, 5, out, "ti", now, stock_id);
}
