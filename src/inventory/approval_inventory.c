/*
 * Inventory's approvable commands (docs/architecture.md, "Approvals"):
 * stock adjustments ("inventory.stock.adjust", measured by the value they
 * move) and returns at the till ("inventory.sale.return", measured by the
 * refund: the returned part of the line's net and tax). Each has its
 * payload, its measure and its execution of a stored payload.
 */
#include "inventory/inventory.h"
#include "core/approval.h"

#include <string.h>

/* ---- adjustments ----------------------------------------------------------- */
static int adjust_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    char *sku = bo__payload_text(&r), *loc = bo__payload_text(&r);
    o.qty = bo__payload_int(&r);
    o.cost = bo__payload_int(&r);
    o.date = (bo_date)bo__payload_int(&r);
    char *reason = bo__payload_text(&r), *key = bo__payload_text(&r);
    int rc = bo__payload_end(&r, "adjustment");
    o.sku = sku;
    o.location = loc;
    o.reason = reason;
    o.key = key;
    if (!rc)
        rc = bo_inventory_adjust(b, &o, id);
    bo__free(sku);
    bo__free(loc);
    bo__free(reason);
    bo__free(key);
    return rc;
}

const bo__approval_kind bo__approval_inventory_adjust = {
    "inventory.stock.adjust", BO__MEASURE_VALUE, adjust_execute,
};

static const char SQL_STOCK_VALUE[] =
    "SELECT s.on_hand, s.value FROM inv_stock s"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " WHERE i.sku = ? AND l.code = ?";

/* The value an adjustment moves: a gain's given cost, else the quantity at
 * the stock's average unit value (a rule compares it with its minimum). */
static int adjust_value(bo_book *b, const char *sku, const char *loc, int64_t delta,
                        int64_t cost, int64_t *value)
{
    *value = 0;
    if (delta > 0 && cost >= 0) {
        *value = cost;
        return 0;
    }
    int64_t on_hand = 0, total = 0;
    int found = 0;
    int rc = bo__store_row(b->store, SQL_STOCK_VALUE, &found, "tt>ii", sku, loc,
                           &on_hand, &total);
    if (rc || !found || on_hand <= 0)
        return rc;
    int64_t q = delta < 0 ? (delta == INT64_MIN ? INT64_MAX : -delta) : delta;
    if (bo_money_muldiv(total, q, on_hand, BO_ROUND_HALF_EVEN, value)) {
        *value = INT64_MAX; /* beyond every threshold */
        bo__error_clear();
    }
    if (*value < 0)
        *value = 0;
    return 0;
}

int bo__inv_adjust_approval(bo_book *b, const char *sku, const char *loc, int64_t delta,
                            int64_t cost, bo_date date, const char *reason,
                            const char *key)
{
    int rc = bo__approval_wanted(b, "inventory.stock.adjust");
    if (rc <= 0)
        return rc;
    int64_t value;
    if ((rc = adjust_value(b, sku, loc, delta, cost, &value)))
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field(&pl, sku);
    bo__buf_field(&pl, loc);
    bo__buf_field_int(&pl, delta);
    bo__buf_field_int(&pl, cost);
    bo__buf_field_int(&pl, date);
    bo__buf_field(&pl, reason);
    bo__buf_field(&pl, key);
    bo__buf_put(&pl, "", 1);
    if (pl.failed) {
        bo__buf_free(&pl);
        return BO_ENOMEM;
    }
    bo__approval_ask ask = { "inventory.stock.adjust", BO__P_INVENTORY_WRITE, key, value,
                             NULL, 0, pl.ptr };
    rc = bo__approval_gate(b, &ask);
    bo__buf_free(&pl);
    return rc;
}

/* ---- returns at the till ------------------------------------------------------ */
static int return_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t sale = bo__payload_int(&r), line = bo__payload_int(&r);
    int64_t qty = bo__payload_int(&r), date = bo__payload_int(&r);
    char *method = bo__payload_text(&r), *key = bo__payload_text(&r);
    int rc = bo__payload_end(&r, "return");
    if (!rc && (line < 1 || line > INT32_MAX))
        rc = bo__error_set(BO_ECORRUPT, "approval: the stored return is not readable");
    if (!rc) {
        bo_inventory_return_options ro = BO_INVENTORY_RETURN_OPTIONS_INIT;
        ro.sale_id = sale;
        ro.line = (int)line;
        ro.qty = qty;
        ro.date = (bo_date)date;
        ro.method = method;
        ro.key = key;
        rc = bo_inventory_return(b, &ro, id);
    }
    bo__free(method);
    bo__free(key);
    return rc;
}

const bo__approval_kind bo__approval_inventory_return = {
    "inventory.sale.return", BO__MEASURE_AMOUNT, return_execute,
};

static const char SQL_LINE_GROSS[] =
    "SELECT qty, net, tax FROM inv_sale_lines WHERE sale_id = ? AND line = ?";

/* The refund: qty's part of the line's net and tax (0 for an unknown line:
 * the return itself refuses it). */
static int refund(bo_book *b, int64_t sale, int line, int64_t qty, int64_t *amount)
{
    int64_t lqty = 0, net = 0, tax = 0, gross;
    int found = 0;
    *amount = 0;
    int rc = bo__store_row(b->store, SQL_LINE_GROSS, &found, "ii>iii", sale, line, &lqty,
                           &net, &tax);
    if (rc || !found || lqty <= 0)
        return rc;
    if (bo_money_add(net, tax, &gross) ||
        bo_money_muldiv(gross, qty, lqty, BO_ROUND_HALF_EVEN, amount)) {
        *amount = INT64_MAX; /* beyond every threshold */
        bo__error_clear();
    }
    return 0;
}

int bo__inv_return_approval(bo_book *b, int64_t sale, int line, int64_t qty,
                            bo_date date, const char *method, const char *key)
{
    int rc = bo__approval_wanted(b, "inventory.sale.return");
    if (rc <= 0)
        return rc;
    int64_t amount;
    if ((rc = refund(b, sale, line, qty, &amount)))
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, sale);
    bo__buf_field_int(&pl, line);
    bo__buf_field_int(&pl, qty);
    bo__buf_field_int(&pl, date);
    bo__buf_field(&pl, method);
    bo__buf_field(&pl, key);
    bo__buf_put(&pl, "", 1);
    if (pl.failed) {
        bo__buf_free(&pl);
        return BO_ENOMEM;
    }
    bo__approval_ask ask = { "inventory.sale.return", BO__P_SALES_POST, key, amount,
                             NULL, 0, pl.ptr };
    rc = bo__approval_gate(b, &ask);
    bo__buf_free(&pl);
    return rc;
}
