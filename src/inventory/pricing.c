/* A sale's pricing: each line's unit converted exactly to the stock unit,
 * its price from the price lists when it gives none, then the promotions.
 * Reads only; sales.c takes the figures into its plan and, once the sale
 * has its id, records what priced each line (bo__pricing_write). */
#include "inventory/pricing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_PRICING_ADD[] =
    "INSERT INTO inv_sale_pricing (sale_id, line, unit, unit_qty, unit_price, price_list,"
    " price_list_version, discount, promotions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* Unit, quantity and price of one line that is priced here. */
static int price_line(bo_book *b, const char *date, const char *group, bo__price_line *l,
                      int no)
{
    bo__uom u;
    int rc;
    if ((rc = bo__inv_item_find(b, "sku", l->sku, 1, &l->it)))
        return bo__error_prefix("line %d: ", no);
    if (l->unit || l->price < 0) {
        if ((rc = bo__uom_to_stock(b, &l->it, l->unit, l->qty, &l->stock_qty, &u)))
            return bo__error_prefix("line %d: ", no);
        snprintf(l->unit_name, sizeof l->unit_name, "%s", u.unit);
        l->active = 1;
    } else {
        l->stock_qty = l->qty;
        u.price = -1;
    }
    l->unit_price = l->price;
    if (l->price < 0) {
        bo__inv_loc loc;
        int found = 0;
        if ((rc = bo__inv_loc_find(b, "location", l->loc, &loc)) ||
            (rc = bo__pricelist_pick(b, date, group, loc.id, &l->it, u.unit, l->qty,
                                     &l->unit_price, l->list, &l->list_version, &found)))
            return bo__error_prefix("line %d: ", no);
        if (!found && u.price < 0)
            return bo__error_set(BO_ENOTFOUND, "line %d: unit_price: no price list in force "
                                 "on %s and no unit price prices item '%s' in '%s'", no,
                                 date, l->it.sku, u.unit);
        if (!found)
            l->unit_price = u.price;
    }
    if (bo_money_muldiv(l->unit_price, l->qty, bo__inv_pow10(l->it.scale),
                        BO_ROUND_HALF_EVEN, &l->amount))
        return bo__error_set(BO_EOVERFLOW, "line %d: amount overflows", no);
    return 0;
}

int bo__pricing_plan(bo_book *b, bo_date date, const char *customer, const char *coupon,
                     bo__price_line *lines, int n)
{
    char d[11], group[BO_CODE_MAX + 1] = "";
    int any = 0, rc;
    bo__date_iso(date, d);
    if ((rc = bo__promotions_coupon_check(b, d, coupon)) ||
        (rc = bo__promotions_any(b, d, coupon, &any)))
        return rc;
    int need = any, lists = 0;
    for (int i = 0; i < n; i++) {
        need |= !lines[i].held && (lines[i].unit || lines[i].price < 0);
        lists |= !lines[i].held && lines[i].price < 0;
    }
    /* a sale without units, list prices or promotions reads nothing more */
    if (!need)
        return 0;
    if (lists && (rc = bo__customer_group(b, customer, group)))
        return rc;
    for (int i = 0; i < n; i++) {
        if (lines[i].held)
            continue;
        if (!any && !lines[i].unit && lines[i].price >= 0)
            continue;
        if ((rc = price_line(b, d, group, &lines[i], i + 1)))
            return rc;
    }
    return any ? bo__promotions_apply(b, d, coupon, lines, n) : 0;
}

int bo__pricing_write(bo_book *b, int64_t sale, const bo__price_line *lines, int n,
                      bo__vcap *cap)
{
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const bo__price_line *l = &lines[i];
        if (!l->active)
            continue;
        rc = bo__store_run(b->store, SQL_PRICING_ADD, "iitiit?iit", sale, (int64_t)i + 1,
                           l->unit ? l->unit_name : NULL, l->qty, l->unit_price,
                           l->list[0] ? l->list : NULL, l->list[0] != 0, l->list_version,
                           l->promo, l->rules.len ? l->rules.ptr : NULL);
        if (!rc)
            rc = bo__vcap_row(cap, "inv_sale_pricing", "iitiit?iit", sale, (int64_t)i + 1,
                              l->unit ? l->unit_name : NULL, l->qty, l->unit_price,
                              l->list[0] ? l->list : NULL, l->list[0] != 0, l->list_version,
                              l->promo, l->rules.len ? l->rules.ptr : NULL);
    }
    return rc;
}

void bo__pricing_free(bo__price_line *lines, int n)
{
    if (!lines)
        return;
    for (int i = 0; i < n; i++)
        bo__buf_free(&lines[i].rules);
    bo__free(lines);
}
