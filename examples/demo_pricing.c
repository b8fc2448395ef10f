/*
 * The demo's pricing chapter: coffee bought in 1 kg bags and sold by the
 * 100 g, a price list for April with a cheaper break from 500 g, and a
 * buy-two-get-one on the 100 g bags. A till sale of 3 x 100 g, and one of
 * 0.002 x 100 g, a fifth of a gram, refused (never rounded).
 * Every figure was worked out by hand; a disagreement fails the demo.
 */
#include "demo_parts.h"

#include <stdio.h>
#include <string.h>

static int failures;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo pricing: %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        failures++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "demo pricing: %s is %lld, expected %lld\n", what, (long long)got,
                (long long)want);
        failures++;
    }
}

static bo_date day(const char *s)
{
    bo_date d = 0;
    bo_date_parse(s, &d);
    return d;
}

static const char *money(int64_t v, char *buf, size_t size)
{
    if (bo_money_format(v, "USD", buf, size) != 0)
        snprintf(buf, size, "%lld", (long long)v);
    return buf;
}

int demo_pricing(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    char m1[48], m2[48];
    printf("\nPricing: coffee by the 100 g from 1 kg bags, buy two get one\n");
    /* COFFEE is kept in kg to the gram (shop.yaml): a bag is 1 kg, 100 g is
     * a tenth of a kg at 2.90 unless a list says otherwise. */
    ok(bo_inventory_unit_set(b, "COFFEE", "bag", 1, 1, -1), "unit bag");
    ok(bo_inventory_unit_set(b, "COFFEE", "100g", 1, 10, 290), "unit 100g");
    int64_t kg = 0;
    ok(bo_inventory_unit_convert(b, "COFFEE", "bag", NULL, 3000, &kg), "3 bags in kg");
    expect(kg, 3000, "3 bags in grams");
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = "COFFEE";
    o.location = "MAIN";
    o.qty = kg;
    o.cost = 5400; /* 18.00 a bag */
    o.date = day("2026-04-01");
    o.reference = "3 bags";
    o.key = "pricing-bags";
    ok(bo_inventory_receive(b, &o, NULL), "receive 3 bags");
    ok(bo_inventory_pricelist_add(b, "APRIL", NULL, "MAIN", day("2026-04-01"),
                                  day("2026-04-30")), "price list");
    ok(bo_inventory_pricelist_price(b, "APRIL", "COFFEE", "100g", 0, 280), "list price");
    ok(bo_inventory_pricelist_price(b, "APRIL", "COFFEE", "100g", 5000, 260), "list break");
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    p.code = "B2G1";
    p.kind = "buy_get";
    p.sku = "COFFEE";
    p.buy = 2;
    p.get = 1;
    p.from = day("2026-04-01");
    p.to = day("2026-04-30");
    ok(bo_inventory_promotion_set(b, &p), "buy two get one");

    /* 3 x 100 g at the list's 2.80: 8.40; one bag free: -2.80; 5.60 for
     * 0.300 kg, of which 0.33 is the state sales tax (6.25% inclusive:
     * 5.60 / 1.0625 = 5.2706, net 5.27). */
    bo_sale *s = NULL;
    int64_t id = 0;
    ok(bo_sale_new(&s, day("2026-04-02"), "coffee by the 100 g"), "sale");
    ok(bo_sale_set_key(s, "MAIN-0401"), "sale key");
    ok(bo_sale_line_unit(s, "COFFEE", "MAIN", 3000, "100g", BO_SALE_PRICE_AUTO, 0), "line");
    ok(bo_sale_payment(s, "cash", 560), "payment");
    ok(bo_inventory_sale_post(b, s, &id), "post the sale");
    bo_sale_free(s);
    bo_cursor *c = NULL;
    if (ok(bo_inventory_sale_lines(b, id, &c), "sale lines") == 0 && bo_cursor_next(c) == 0) {
        int64_t net = bo_cursor_int(c, bo_cursor_column_index(c, "net"));
        int64_t gross = bo_cursor_int(c, bo_cursor_column_index(c, "gross"));
        int64_t q = bo_cursor_int(c, bo_cursor_column_index(c, "qty"));
        printf("  3 x 100g of COFFEE: %s at %s (list %s v%lld), promotions %s, paid %s\n",
               "0.300 kg", money(bo_cursor_int(c, bo_cursor_column_index(c, "unit_price")),
                                 m1, sizeof m1),
               bo_cursor_text(c, bo_cursor_column_index(c, "price_list")),
               (long long)bo_cursor_int(c, bo_cursor_column_index(c, "price_list_version")),
               bo_cursor_text(c, bo_cursor_column_index(c, "promotions")),
               money(gross, m2, sizeof m2));
        expect(gross, 560, "3 x 100 g less one free");
        expect(net, 527, "3 x 100 g less one free, less its tax");
        expect(q, 300, "the stock issued, in grams");
    }
    bo_cursor_free(c);

    /* 0.002 x 100 g is a fifth of a gram, not a whole number of the item's
     * grams: refused with BO_EUNIT naming item and units, nothing recorded. */
    ok(bo_sale_new(&s, day("2026-04-02"), "a quarter gram"), "sale");
    ok(bo_sale_set_key(s, "MAIN-0402"), "sale key");
    ok(bo_sale_line_unit(s, "COFFEE", "MAIN", 2, "100g", BO_SALE_PRICE_AUTO, 0), "line");
    ok(bo_sale_payment(s, "cash", 100), "payment");
    int rc = bo_inventory_sale_post(b, s, NULL);
    expect(rc, BO_EUNIT, "a sale of a quarter gram");
    printf("  0.002 x 100g refused: %s\n", bo_error_message());
    bo_sale_free(s);
    int64_t left = 0;
    ok(bo_inventory_stock(b, "COFFEE", "MAIN", &left), "stock");
    printf("  COFFEE at MAIN after the sale: %lld g\n", (long long)left);
    return failures ? 1 : 0;
}
