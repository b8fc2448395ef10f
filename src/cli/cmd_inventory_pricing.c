/*
 * backoffice inventory: units of measure, price lists and promotions
 * (the verbs listed at the end of the inventory table in cmd_inventory.c).
 * Quantities are typed as decimals at the item's scale, prices as decimals
 * of the book's currency, a percent promotion's value in basis points.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* unit-set SKU UNIT NUM DEN [--price P] */
int cli_inv_unit_set(cli *c, const cli_args *a)
{
    int64_t num, den, price = -1;
    int st;
    if ((st = cli_int64("NUM", a->pos[2], &num)) || (st = cli_int64("DEN", a->pos[3], &den)))
        return st;
    OPEN(c);
    if (cli_opt_get(a, "price"))
        CHECK(c, cli_inv_money(c, cli_opt_get(a, "price"), &price));
    return cli_check(c, bo_inventory_unit_set(c->book, a->pos[0], a->pos[1], num, den, price));
}

/* unit-convert SKU QTY [--from U] [--to U] */
int cli_inv_unit_convert(cli *c, const cli_args *a)
{
    int scale = 0;
    int64_t q, out;
    char buf[32];
    OPEN(c);
    CHECK(c, cli_inv_item_scale(c, a->pos[0], &scale));
    CHECK(c, bo_inventory_qty_parse(a->pos[1], scale, &q));
    CHECK(c, bo_inventory_unit_convert(c->book, a->pos[0], cli_opt_get(a, "from"),
                                       cli_opt_get(a, "to"), q, &out));
    CHECK(c, bo_inventory_qty_format(out, scale, buf, sizeof buf));
    cli_field f[] = {{"qty", BO_TYPE_TEXT, 0, buf}};
    return cli_render_record(c, f, 1, NULL);
}

/* units [--sku S], pricelists, promotions */
int cli_inv_pricing_listing(cli *c, const cli_args *a)
{
    bo_cursor *cur = NULL;
    const char *n = c->cmd->name;
    OPEN(c);
    int rc = !strcmp(n, "units") ? bo_inventory_units(c->book, cli_opt_get(a, "sku"), &cur)
           : !strcmp(n, "pricelists") ? bo_inventory_pricelists(c->book, &cur)
           : bo_inventory_promotions(c->book, &cur);
    return cli_show(c, rc, cur);
}

/* group-set PARTY [GROUP] */
int cli_inv_group_set(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_inventory_customer_group_set(c->book, a->pos[0],
                                                        a->npos > 1 ? a->pos[1] : NULL));
}

/* pricelist-add CODE [--group G] [--location L] [--from D] [--to D] */
int cli_inv_pricelist_add(cli *c, const cli_args *a)
{
    bo_date from, to;
    int st;
    if ((st = cli_opt_date(a, "from", BO_DATE_MIN, &from)) ||
        (st = cli_opt_date(a, "to", BO_DATE_MAX, &to)))
        return st;
    OPEN(c);
    return cli_check(c, bo_inventory_pricelist_add(c->book, a->pos[0], cli_opt_get(a, "group"),
                                                   cli_opt_get(a, "location"), from, to));
}

/* pricelist-price LIST SKU MIN_QTY PRICE [--unit U] */
int cli_inv_pricelist_price(cli *c, const cli_args *a)
{
    int scale = 0;
    int64_t min, price;
    OPEN(c);
    CHECK(c, cli_inv_item_scale(c, a->pos[1], &scale));
    CHECK(c, bo_inventory_qty_parse(a->pos[2], scale, &min));
    CHECK(c, cli_inv_money(c, a->pos[3], &price));
    return cli_check(c, bo_inventory_pricelist_price(c->book, a->pos[0], a->pos[1],
                                                     cli_opt_get(a, "unit"), min, price));
}

/* promotion-set CODE KIND [--sku S] [--sku2 S] [--buy N] [--get N]
 * [--value V] [--coupon C] [--from D] [--to D] */
int cli_inv_promotion_set(cli *c, const cli_args *a)
{
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    int st;
    p.code = a->pos[0];
    p.kind = a->pos[1];
    p.sku = cli_opt_get(a, "sku");
    p.sku2 = cli_opt_get(a, "sku2");
    p.coupon = cli_opt_get(a, "coupon");
    if ((cli_opt_get(a, "buy") && (st = cli_int64("--buy", cli_opt_get(a, "buy"), &p.buy))) ||
        (cli_opt_get(a, "get") && (st = cli_int64("--get", cli_opt_get(a, "get"), &p.get))) ||
        (st = cli_opt_date(a, "from", BO_DATE_MIN, &p.from)) ||
        (st = cli_opt_date(a, "to", BO_DATE_MAX, &p.to)))
        return st;
    OPEN(c);
    const char *v = cli_opt_get(a, "value");
    if (v && !strcmp(p.kind, "percent")) {
        char *end;
        p.value = strtoll(v, &end, 10);
        if (*end || end == v)
            return cli_usage_error("inventory promotion-set: --value of a percent "
                                   "promotion is in basis points (1000 = 10%%)");
    } else if (v)
        CHECK(c, cli_inv_money(c, v, &p.value));
    return cli_check(c, bo_inventory_promotion_set(c->book, &p));
}
