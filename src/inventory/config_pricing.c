/*
 * Units, price groups, price lists and promotions in the "inventory" section
 * of a book's YAML configuration (after its items and locations):
 *
 *   inventory:
 *     units:
 *       - {sku: COFFEE, unit: bag, num: 1, den: 1}
 *       - {sku: COFFEE, unit: 100g, num: 1, den: 10, price: "4.50"}
 *     price_groups: {BOB: vip}
 *     price_lists:
 *       - {code: RETAIL, group: vip, location: S1, from: 2026-01-01, to: 2026-12-31,
 *          prices: [{sku: COFFEE, unit: 100g, min_qty: "5.000", price: "4.00"}]}
 *     promotions:
 *       - {code: B2G1, kind: buy_get, sku: COFFEE, buy: 2, get: 1}
 *       - {code: TEN, kind: percent, sku: COFFEE, value: 1000}
 *       - {code: HELLO, kind: amount, value: "0.50", coupon: HELLO, to: 2026-06-30}
 *
 * Prices and amounts are decimals of the book's currency, quantities
 * decimals at the item's scale, a percent promotion's value basis points.
 * Every error names FILE:LINE:COLUMN of the node at fault.
 */
#include "inventory/pricing.h"
#include "core/config_check.h"

#include <stdio.h>
#include <string.h>

static int cfg_money(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *v,
                     const char *field, int64_t *out)
{
    const char *t;
    int rc = bo__cfg_text(d, v, field, &t);
    if (!rc && (rc = bo_money_parse(t, bo_book_base_currency(b), out))) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", bo_error_message());
        rc = bo__cfg_error(d, v, BO_ECONFIG, "%s: %s", field, msg);
    }
    return rc;
}

static int cfg_date(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                    bo_date *out)
{
    const char *t;
    int rc = bo__cfg_text(d, v, field, &t);
    if (!rc && bo_date_parse(t, out))
        rc = bo__cfg_error(d, v, BO_ECONFIG, "%s: '%s' is not a date YYYY-MM-DD", field, t);
    return rc;
}

static int item_scale(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *at,
                      const char *sku, int *scale)
{
    bo_cursor *c = NULL;
    int rc = bo_inventory_item_get(b, sku, &c);
    if (!rc && (rc = bo_cursor_next(c)) == 0)
        *scale = (int)bo_cursor_int(c, bo_cursor_column_index(c, "scale"));
    bo_cursor_free(c);
    return rc < 0 ? bo__cfg_apply_error(d, at, rc) : 0;
}

static int units(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"sku", "unit", "num", "den", "price"};
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "inventory.units");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[5];
        char where[48];
        snprintf(where, sizeof where, "inventory.units[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 5)))
            return rc;
        for (int k = 0; k < 4; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *sku, *unit;
        int num, den;
        int64_t price = -1;
        if ((rc = bo__cfg_text(d, v[0], "sku", &sku)) ||
            (rc = bo__cfg_text(d, v[1], "unit", &unit)) ||
            (rc = bo__cfg_int(d, v[2], "num", 1, 1000000000, &num)) ||
            (rc = bo__cfg_int(d, v[3], "den", 1, 1000000000, &den)) ||
            (v[4] && (rc = cfg_money(b, d, v[4], "price", &price))))
            return rc;
        if ((rc = bo_inventory_unit_set(b, sku, unit, num, den, price)))
            return bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int groups(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *map)
{
    int rc = bo__cfg_kind(d, map, BO__CFG_MAP, "inventory.price_groups");
    for (uint32_t i = 0; !rc && i + 1 < map->n; i += 2) {
        const bo__cfg_node *k = bo__cfg_node_at(d, map->kids[i]);
        const bo__cfg_node *v = bo__cfg_node_at(d, map->kids[i + 1]);
        const char *party, *group;
        if ((rc = bo__cfg_text(d, k, "party", &party)) ||
            (rc = bo__cfg_text(d, v, "group", &group)))
            return rc;
        if ((rc = bo_inventory_customer_group_set(b, party, group)))
            return bo__cfg_apply_error(d, k, rc);
    }
    return rc;
}

static int prices(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq,
                  const char *list, const char *where)
{
    static const char *const keys[] = {"sku", "unit", "min_qty", "price"};
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "prices");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[4];
        char w[96];
        snprintf(w, sizeof w, "%s.prices[%u]", where, (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, w)) ||
            (rc = bo__cfg_fields(d, item, w, keys, v, 4)))
            return rc;
        if (!v[0])
            return bo__cfg_missing(d, item, w, "sku");
        if (!v[3])
            return bo__cfg_missing(d, item, w, "price");
        const char *sku, *unit = NULL, *minq = "0";
        int64_t min = 0, price;
        int scale = 0;
        if ((rc = bo__cfg_text(d, v[0], "sku", &sku)) ||
            (v[1] && (rc = bo__cfg_text(d, v[1], "unit", &unit))) ||
            (v[2] && (rc = bo__cfg_text(d, v[2], "min_qty", &minq))) ||
            (rc = cfg_money(b, d, v[3], "price", &price)) ||
            (rc = item_scale(b, d, v[0], sku, &scale)))
            return rc;
        if ((rc = bo_inventory_qty_parse(minq, scale, &min)))
            return bo__cfg_apply_error(d, v[2], rc);
        if ((rc = bo_inventory_pricelist_price(b, list, sku, unit, min, price)))
            return bo__cfg_apply_error(d, v[1] && rc == BO_EUNIT ? v[1] : item, rc);
    }
    return rc;
}

static int lists(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "group", "location", "from", "to", "prices"};
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "inventory.price_lists");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[6];
        char where[48];
        snprintf(where, sizeof where, "inventory.price_lists[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 6)))
            return rc;
        if (!v[0])
            return bo__cfg_missing(d, item, where, "code");
        const char *code, *group = NULL, *loc = NULL;
        bo_date from = BO_DATE_MIN, to = BO_DATE_MAX;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (v[1] && (rc = bo__cfg_text(d, v[1], "group", &group))) ||
            (v[2] && (rc = bo__cfg_text(d, v[2], "location", &loc))) ||
            (v[3] && (rc = cfg_date(d, v[3], "from", &from))) ||
            (v[4] && (rc = cfg_date(d, v[4], "to", &to))))
            return rc;
        if ((rc = bo_inventory_pricelist_add(b, code, group, loc, from, to)))
            return bo__cfg_apply_error(d, v[3] && rc == BO_EEXISTS ? v[3] : item, rc);
        if (v[5] && (rc = prices(b, d, v[5], code, where)))
            return rc;
    }
    return rc;
}

static int promotions(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "kind", "sku", "sku2", "buy", "get",
                                       "value", "coupon", "from", "to"};
    enum { K_CODE, K_KIND, K_SKU, K_SKU2, K_BUY, K_GET, K_VALUE, K_COUPON, K_FROM, K_TO,
           K_N };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "inventory.promotions");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "inventory.promotions[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = K_CODE; k <= K_KIND; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
        int buy = 0, get = 0, bp = 0;
        if ((rc = bo__cfg_text(d, v[K_CODE], "code", &p.code)) ||
            (rc = bo__cfg_text(d, v[K_KIND], "kind", &p.kind)) ||
            (v[K_SKU] && (rc = bo__cfg_text(d, v[K_SKU], "sku", &p.sku))) ||
            (v[K_SKU2] && (rc = bo__cfg_text(d, v[K_SKU2], "sku2", &p.sku2))) ||
            (v[K_COUPON] && (rc = bo__cfg_text(d, v[K_COUPON], "coupon", &p.coupon))) ||
            (v[K_BUY] && (rc = bo__cfg_int(d, v[K_BUY], "buy", 1, 1000000, &buy))) ||
            (v[K_GET] && (rc = bo__cfg_int(d, v[K_GET], "get", 1, 1000000, &get))) ||
            (v[K_FROM] && (rc = cfg_date(d, v[K_FROM], "from", &p.from))) ||
            (v[K_TO] && (rc = cfg_date(d, v[K_TO], "to", &p.to))))
            return rc;
        if (v[K_VALUE] && !strcmp(p.kind, "percent")) {
            if ((rc = bo__cfg_int(d, v[K_VALUE], "value", 0, 10000, &bp)))
                return rc;
            p.value = bp;
        } else if (v[K_VALUE] && (rc = cfg_money(b, d, v[K_VALUE], "value", &p.value)))
            return rc;
        p.buy = buy;
        p.get = get;
        if ((rc = bo_inventory_promotion_set(b, &p)))
            return bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

int bo__cfg_inventory_pricing(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *u,
                              const bo__cfg_node *g, const bo__cfg_node *l,
                              const bo__cfg_node *p)
{
    int rc = 0;
    if (u && (rc = units(b, d, u)))
        return rc;
    if (g && (rc = groups(b, d, g)))
        return rc;
    if (l && (rc = lists(b, d, l)))
        return rc;
    return p ? promotions(b, d, p) : 0;
}
