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
    bo__approval_ask ask = { "inventory.stock.adjust", BO__P_INVENTORY_WRITE, key, value,
                             NULL, 0, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
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
    bo__approval_ask ask = { "inventory.sale.return", BO__P_SALES_POST, key, amount,
                             NULL, 0, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}

/* ---- price overrides and discounts at the till ---------------------------------
 * "inventory.sale.discount": a sale whose lines are sold below their price.
 * The payload is the line counts, the key and the sale's canonical form
 * (sales.c), which holds every input of the sale; its measure is the
 * largest discount of a line as a share of that line's amount at its unit
 * price, in basis points (10% = 1000), truncated. */
static int sale_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t n = bo__payload_int(&r), npay = bo__payload_int(&r);
    char *key = bo__payload_text(&r), *date = bo__payload_text(&r);
    char *memo = bo__payload_text(&r), *customer = bo__payload_text(&r);
    int64_t inclusive = bo__payload_int(&r);
    bo_sale *s = NULL;
    bo_date d = 0;
    int rc = r.bad || n < 0 || n > BO_SALE_LINES_MAX || npay < 0 ||
             npay > BO_SALE_PAYMENTS_MAX || !date || bo_date_parse(date, &d)
           ? bo__error_set(BO_ECORRUPT, "approval: the stored sale is not readable") : 0;
    if (!rc)
        rc = bo_sale_new(&s, d, memo);
    if (!rc && key)
        rc = bo_sale_set_key(s, key);
    if (!rc && customer)
        rc = bo_sale_set_customer(s, customer);
    if (!rc)
        rc = bo_sale_set_inclusive(s, (int)inclusive);
    /* The lines are added once the units and coupon that follow the
     * payments (sales.c, canonical) are read. */
    struct pline { char *sku, *loc, *unit; int64_t qty, price, discount, hold; } *ls = NULL;
    if (!rc && n && !(ls = bo__calloc((size_t)n, sizeof *ls)))
        rc = BO_ENOMEM;
    for (int64_t i = 0; !rc && i < n; i++) {
        ls[i].sku = bo__payload_text(&r);
        ls[i].loc = bo__payload_text(&r);
        ls[i].qty = bo__payload_int(&r);
        ls[i].price = bo__payload_int(&r);
        ls[i].discount = bo__payload_int(&r);
        ls[i].hold = bo__payload_int(&r);
        if (r.bad)
            rc = bo__payload_end(&r, "sale");
    }
    for (int64_t i = 0; !rc && i < npay; i++) {
        char *method = bo__payload_text(&r);
        int64_t amount = bo__payload_int(&r);
        rc = r.bad ? bo__payload_end(&r, "sale") : bo_sale_payment(s, method, amount);
        bo__free(method);
    }
    if (!rc && r.p != r.end) { /* units and the coupon (pricing.h) */
        char *mark = bo__payload_text(&r), *coupon = bo__payload_text(&r);
        if (!mark || strcmp(mark, "pricing"))
            r.bad = 1;
        for (int64_t i = 0; !r.bad && i < n; i++)
            ls[i].unit = bo__payload_text(&r);
        if (!r.bad && coupon)
            rc = bo_sale_set_coupon(s, coupon);
        bo__free(mark);
        bo__free(coupon);
    }
    for (int64_t i = 0; !rc && !r.bad && i < n; i++) {
        if (ls[i].hold)
            rc = bo_sale_line_hold(s, ls[i].hold, ls[i].price, ls[i].discount);
        else if (ls[i].unit || ls[i].price == BO_SALE_PRICE_AUTO)
            rc = bo_sale_line_unit(s, ls[i].sku, ls[i].loc, ls[i].qty, ls[i].unit,
                                   ls[i].price, ls[i].discount);
        else
            rc = bo_sale_line(s, ls[i].sku, ls[i].loc, ls[i].qty, ls[i].price,
                              ls[i].discount);
    }
    for (int64_t i = 0; ls && i < n; i++) {
        bo__free(ls[i].sku);
        bo__free(ls[i].loc);
        bo__free(ls[i].unit);
    }
    bo__free(ls);
    if (!rc)
        rc = bo__payload_end(&r, "sale");
    if (!rc)
        rc = bo_inventory_sale_post(b, s, id);
    bo_sale_free(s);
    bo__free(key);
    bo__free(date);
    bo__free(memo);
    bo__free(customer);
    return rc;
}

const bo__approval_kind bo__approval_inventory_sale = {
    "inventory.sale.discount", BO__MEASURE_PERCENT, sale_execute,
};

static const char SQL_ITEM_SCALE[] = "SELECT scale FROM inv_items WHERE sku = ?";
static const char SQL_HOLD_SCALE[] =
    "SELECT h.qty, i.scale FROM inv_holds h JOIN inv_stock s ON s.id = h.stock_id"
    " JOIN inv_items i ON i.id = s.item_id WHERE h.id = ?";

/* One line's discount in basis points of its amount at its unit price (0
 * for an unknown item or hold: the sale itself refuses it). */
static int line_share(bo_book *b, const char *sku, int64_t qty, int64_t price,
                      int64_t discount, int64_t hold, int64_t *bp)
{
    int64_t scale = 0, amount;
    int found = 0, rc;
    *bp = 0;
    if (discount <= 0)
        return 0;
    if (hold)
        rc = bo__store_row(b->store, SQL_HOLD_SCALE, &found, "i>ii", hold, &qty, &scale);
    else
        rc = bo__store_row(b->store, SQL_ITEM_SCALE, &found, "t>i", sku, &scale);
    if (rc || !found || scale < 0 || scale > BO_INVENTORY_SCALE_MAX)
        return rc;
    if (bo_money_muldiv(price, qty, bo__inv_pow10((int)scale), BO_ROUND_HALF_EVEN,
                        &amount) || amount <= 0 ||
        bo_money_muldiv(discount, 10000, amount, BO_ROUND_DOWN, bp)) {
        *bp = INT64_MAX; /* nothing left to pay, or beyond every threshold */
        bo__error_clear();
    }
    return 0;
}

int bo__inv_sale_approval(bo_book *b, const char *key, int n, int npay,
                          const bo__buf *canonical)
{
    int rc = bo__approval_wanted(b, "inventory.sale.discount");
    if (rc <= 0)
        return rc;
    rc = 0;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, n);
    bo__buf_field_int(&pl, npay);
    bo__buf_field(&pl, key);
    bo__buf_put(&pl, canonical->ptr, canonical->len);
    bo__buf_put(&pl, "", 1);
    if (pl.failed) {
        bo__buf_free(&pl);
        return BO_ENOMEM;
    }
    /* The measure, from the payload as the execution will read it. */
    bo__payload r;
    bo__payload_start(&r, pl.ptr);
    bo__payload_int(&r);
    bo__payload_int(&r);
    char *skip[4] = { bo__payload_text(&r), bo__payload_text(&r), bo__payload_text(&r),
                      bo__payload_text(&r) };
    for (int k = 0; k < 4; k++)
        bo__free(skip[k]);
    bo__payload_int(&r);
    int64_t share = 0;
    for (int i = 0; !rc && !r.bad && i < n; i++) {
        char *sku = bo__payload_text(&r), *loc = bo__payload_text(&r);
        int64_t qty = bo__payload_int(&r), price = bo__payload_int(&r);
        int64_t discount = bo__payload_int(&r), hold = bo__payload_int(&r), bp = 0;
        if (!r.bad && !(rc = line_share(b, sku, qty, price, discount, hold, &bp)) &&
            bp > share)
            share = bp;
        bo__free(sku);
        bo__free(loc);
    }
    if (!rc && r.bad)
        rc = bo__payload_end(&r, "sale");
    if (!rc) {
        bo__approval_ask ask = { "inventory.sale.discount", BO__P_SALES_POST, key, share,
                                 NULL, 0, pl.ptr };
        rc = bo__approval_gate(b, &ask);
    }
    bo__buf_free(&pl);
    return rc;
}
