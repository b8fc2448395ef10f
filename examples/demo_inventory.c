/*
 * The demo's inventory chapter: a day at the shop (two stores and a
 * warehouse, configured in shop.yaml). Receiving at the warehouse, transfers
 * to the stores (one in transit), sales at both tills (one replayed by a
 * till that lost the answer), a low-stock alert and the purchase order it
 * leads to, freight on that order, a return, a stock count, a shipment;
 * then stock, valuation and ledger reports that must agree. Every figure
 * checked below was worked out by hand; a disagreement fails the demo.
 */
#include "demo_parts.h"

#include <stdio.h>
#include <string.h>

static int failures;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo inventory: %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        failures++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "demo inventory: %s is %lld, expected %lld\n", what,
                (long long)got, (long long)want);
        failures++;
    }
}

static bo_date day(const char *s)
{
    bo_date d = 0;
    bo_date_parse(s, &d);
    return d;
}

/* An item's quantity as written ("7.250" kg, "22" mugs). */
static const char *qty(bo_book *b, const char *sku, int64_t q, char *buf, size_t size)
{
    bo_cursor *c = NULL;
    int scale = 0;
    if (bo_inventory_item_get(b, sku, &c) == 0 && bo_cursor_next(c) == 0)
        scale = (int)bo_cursor_int(c, bo_cursor_column_index(c, "scale"));
    bo_cursor_free(c);
    if (bo_inventory_qty_format(q, scale, buf, size) != 0)
        snprintf(buf, size, "%lld", (long long)q);
    return buf;
}

static const char *money(int64_t v, char *buf, size_t size)
{
    if (bo_money_format(v, "USD", buf, size) != 0)
        snprintf(buf, size, "%lld", (long long)v);
    return buf;
}

/* Rows of a cursor whose columns include sku and location, with the named
 * quantity and money columns formatted. */
static void print_stock(bo_book *b, bo_cursor *c, const char *const *qcols, int nq,
                        const char *const *mcols, int nm)
{
    printf("  %-8s %-6s", "sku", "where");
    for (int i = 0; i < nq; i++)
        printf(" %13s", qcols[i]);
    for (int i = 0; i < nm; i++)
        printf(" %10s", mcols[i]);
    printf("\n");
    int sku = bo_cursor_column_index(c, "sku"), loc = bo_cursor_column_index(c, "location");
    while (bo_cursor_next(c) == 0) {
        const char *s = bo_cursor_text(c, sku);
        char buf[48];
        printf("  %-8s %-6s", s, bo_cursor_text(c, loc));
        for (int i = 0; i < nq; i++)
            printf(" %13s", qty(b, s, bo_cursor_int(c, bo_cursor_column_index(c, qcols[i])),
                                buf, sizeof buf));
        for (int i = 0; i < nm; i++)
            printf(" %10s", money(bo_cursor_int(c, bo_cursor_column_index(c, mcols[i])),
                                  buf, sizeof buf));
        printf("\n");
    }
    bo_cursor_free(c);
}

static int64_t stock(bo_book *b, const char *sku, const char *loc)
{
    int64_t q = 0;
    ok(bo_inventory_stock(b, sku, loc, &q), "stock");
    return q;
}

static int64_t balance(bo_book *b, const char *account)
{
    int64_t v = 0;
    ok(bo_ledger_balance(b, account, day("2026-12-31"), NULL, &v), "balance");
    return v;
}

static int64_t sale(bo_book *b, const char *key, const char *sku, const char *loc,
                    int64_t qty, int64_t price, const char *sku2, int64_t qty2,
                    int64_t price2, const char *method, int64_t paid)
{
    bo_sale *s = NULL;
    int64_t id = 0;
    if (ok(bo_sale_new(&s, day("2026-02-14"), "till"), "sale") == 0) {
        ok(bo_sale_set_key(s, key), "sale key");
        ok(bo_sale_line(s, sku, loc, qty, price, 0), "sale line");
        if (sku2)
            ok(bo_sale_line(s, sku2, loc, qty2, price2, 0), "sale line");
        ok(bo_sale_payment(s, method, paid), "payment");
        ok(bo_inventory_sale_post(b, s, &id), "sale post");
    }
    bo_sale_free(s);
    return id;
}

static int low_alerts;
static int64_t low_row;
static void on_low(const char *event, int64_t id, void *user)
{
    (void)event;
    (void)user;
    low_alerts++;
    low_row = id;
}

int demo_inventory(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    bo_date d = day("2026-02-14");
    int64_t id, t1, t2;
    printf("\n== A day at the shop: 14 February 2026 ==\n");

    /* Sales tax on the shop's goods, unless the taxes section made one. */
    int64_t net, tax;
    if (bo_tax_compute(b, "standard", 100, 0, &net, &tax) == BO_ENOTFOUND) {
        ok(bo_tax_rate_add(b, &(bo_tax_rate_options){ .version = BO_TAX_RATE_OPTIONS_VERSION,
                .code = "ST", .name = "State sales tax", .rate_ppm = 62500,
                .sales_account = "2100" }), "tax rate");
        ok(bo_tax_category_add(b, "standard", "Standard rate", "ST"), "tax category");
    }
    int rc = bo_party_add(b, "ROASTCO", "Roast & Co (coffee supplier)", BO_PARTY_VENDOR, NULL);
    if (rc != BO_EEXISTS)
        ok(rc, "supplier");
    for (const char *const *s = (const char *const[]){"COFFEE", "MUG", "FILTER", NULL}; *s; s++)
        ok(bo_inventory_item_update(b, *s, &(bo_inventory_item_changes){
                .version = BO_INVENTORY_ITEM_CHANGES_VERSION, .tax_category = "standard",
                .negative_stock = BO_UNCHANGED, .active = BO_UNCHANGED }), "item tax");
    ok(bo_inventory_item_update(b, "COFFEE", &(bo_inventory_item_changes){
            .version = BO_INVENTORY_ITEM_CHANGES_VERSION, .supplier = "ROASTCO",
            .negative_stock = BO_UNCHANGED, .active = BO_UNCHANGED }), "item supplier");

    /* Morning: the warehouse receives; stock goes out to the stores. */
    ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .qty = 20000, .cost = 24000, .date = d, .reference = "delivery 881",
            .key = "wh-881-1" }, &id),
       "receive coffee");                                  /* 20 kg for 240.00 */
    ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .qty = 48, .cost = 14400, .date = d, .reference = "delivery 881", .key = "wh-881-2" }, &id),
       "receive mugs");                                    /* 48 at 3.00 */
    ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .qty = 24, .cost = 8400, .date = d, .reference = "delivery 882", .key = "wh-882-1" }, &id),
       "receive mugs");                                    /* 24 at 3.50 */
    ok(bo_inventory_transfer(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .to = "MAIN", .qty = 8000, .date = d, .reference = "T-1", .key = "t-1" }, &t1), "transfer");
    ok(bo_inventory_transfer(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .to = "MAIN", .qty = 24, .date = d, .reference = "T-2", .key = "t-2" }, &t1), "transfer");
    ok(bo_inventory_transfer(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .to = "MALL", .qty = 12, .date = d, .reference = "T-3", .key = "t-3" }, &t1), "transfer");
    ok(bo_inventory_transfer(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .to = "MALL", .qty = 4000, .date = d, .in_transit = 1, .reference = "T-4",
            .key = "t-4" }, &t2),
       "transfer in transit");
    printf("Received 20 kg of coffee and 72 mugs at the warehouse; sent 8 kg and 24\n"
           "mugs to Main Street, 12 mugs and (by van, in transit) 4 kg to the Mall.\n");
    ok(bo_inventory_transfer_arrive(b, t2, d), "arrive");

    /* The tills. The Main Street till resends its first sale after a lost
     * answer: the same key records it once. */
    ok(bo_event_subscribe(b, "stock.low", on_low, NULL, NULL, NULL), "subscribe");
    int64_t s1 = sale(b, "main-0001", "MUG", "MAIN", 2, 1200, "COFFEE", 750, 2800, "cash", 5000);
    int64_t again = sale(b, "main-0001", "MUG", "MAIN", 2, 1200, "COFFEE", 750, 2800, "cash",
                         5000);
    expect(again, s1, "replayed sale id");
    sale(b, "mall-0001", "COFFEE", "MALL", 1500, 2800, NULL, 0, 0, "card", 4200);
    printf("Main Street sold 2 mugs and 0.750 kg of coffee (paid cash, change given;\n"
           "the till resent it and it was recorded once). The Mall sold 1.5 kg by card.\n");
    expect(stock(b, "MUG", "MAIN"), 22, "mugs at Main Street");
    expect(stock(b, "COFFEE", "MALL"), 2500, "coffee at the Mall");

    /* The Mall fell below its reorder point of 3 kg: an alert, a purchase. */
    expect(low_alerts, 1, "stock.low alerts");
    bo_cursor *c = NULL;
    char low_what[160] = "?";
    if (ok(bo_inventory_stock_row(b, low_row, &c), "stock row") == 0) {
        if (bo_cursor_next(c) == 0)
            snprintf(low_what, sizeof low_what, "%s at %s",
                     bo_cursor_text(c, bo_cursor_column_index(c, "sku")),
                     bo_cursor_text(c, bo_cursor_column_index(c, "location")));
        bo_cursor_free(c);
    }
    printf("\nstock.low event for stock row %lld (%s); suggested purchases:\n",
           (long long)low_row, low_what);
    if (ok(bo_inventory_reorder_suggest(b, &c), "suggest") == 0) {
        static const char *const q[] = {"available", "reorder_point", "quantity"};
        printf("  supplier ROASTCO\n");
        print_stock(b, c, q, 3, NULL, 0);
    }
    int64_t po;
    int line = 0;
    ok(bo_inventory_po_add(b, "PO-2026-017", "ROASTCO", d, &po), "purchase order");
    ok(bo_inventory_po_line(b, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "COFFEE", .location = "MALL", .qty = 10000, .unit_cost = 1150,
            .expected = day("2026-02-16") }, &line), "po line");
    ok(bo_inventory_po_receive(b, po, line, 6000, d, "po17-a", &id), "po receive"); /* 6 kg: 69.00 */
    ok(bo_inventory_landed_cost(b, po, 600, "2010", d, "po17-freight", &id), "freight"); /* 6.00 */
    if (ctx->npurchase_orders < 8)
        ctx->purchase_orders[ctx->npurchase_orders++] = po;
    printf("Ordered 10 kg from Roast & Co, 6 kg arrived today; 6.00 of freight added\n"
           "to their cost.\n");

    /* A customer brings one mug back; the evening count at Main Street. */
    ok(bo_inventory_return(b, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s1,
            .line = 1, .qty = 1, .date = d, .method = "cash", .key = "main-r-0001" }, &id), "return");
    expect(stock(b, "MUG", "MAIN"), 23, "mugs after the return");
    int64_t count;
    bo_inventory_count_options co = BO_INVENTORY_COUNT_OPTIONS_INIT;
    co.key = "main-count-0214";
    ok(bo_inventory_count_start(b, "MAIN", d, &co, &count), "count");
    ok(bo_inventory_count_set(b, count, "MUG", 22), "count mugs");
    ok(bo_inventory_count_set(b, count, "COFFEE", 7250), "count coffee");
    co.key = "main-count-0214-post";
    ok(bo_inventory_count_post(b, count, &co), "count post");
    printf("A mug came back; the evening count found one mug missing at Main Street.\n");
    int64_t ship;
    bo_inventory_shipment_options so = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    so.key = "main-ship-0001";
    ok(bo_inventory_shipment_add(b, s1, "UPS", "ground", "1Z999AA10123456784", &so, &ship),
       "shipment");
    ok(bo_inventory_shipment_status(b, ship, "shipped", NULL), "shipped");

    /* Reports that must agree. */
    fflush(stdout);
    printf("\nStock at closing:\n");
    if (ok(bo_inventory_stock_list(b, NULL, NULL, &c), "stock list") == 0) {
        static const char *const q[] = {"on_hand", "reserved", "available"};
        static const char *const m[] = {"value"};
        print_stock(b, c, q, 3, m, 1);
    }
    int64_t valuation = 0;
    if (ok(bo_inventory_valuation(b, &c), "valuation") == 0) {
        int col = bo_cursor_column_index(c, "value");
        while (bo_cursor_next(c) == 0)
            valuation += bo_cursor_int(c, col);
        bo_cursor_free(c);
    }
    int64_t inventory = balance(b, "1210") + balance(b, "1230");
    char v1[48], v2[48];
    printf("Valuation report total %s USD = inventory accounts 1210 + 1230: %s USD\n",
           money(valuation, v1, sizeof v1), money(inventory, v2, sizeof v2));
    expect(valuation, inventory, "valuation against the inventory accounts");
    expect(stock(b, "MUG", "MAIN"), 22, "mugs at Main Street after the count");
    expect(stock(b, "MUG", "WH"), 36, "mugs at the warehouse");
    expect(stock(b, "COFFEE", "WH"), 8000, "coffee at the warehouse");
    expect(stock(b, "COFFEE", "MALL"), 8500, "coffee at the Mall");
    /* Cost: coffee at 12.00/kg; the Mall's 2.5 kg (30.00) + 6 kg (69.00 +
     * 6.00 freight) = 105.00; warehouse 96.00; Main 7.25 kg 87.00. Mugs
     * FIFO: warehouse 12 at 3.00 and 24 at 3.50 = 120.00; Main 22 at 3.00 =
     * 66.00; Mall 12 at 3.00 = 36.00. */
    expect(valuation, 10500 + 9600 + 8700 + 12000 + 6600 + 3600, "stock value");
    expect(balance(b, "2050"), -(24000 + 14400 + 8400 + 6900), "goods received not invoiced");
    int64_t diff = 0;
    if (ok(bo_ledger_trial_balance(b, day("2026-12-31"), &c), "trial balance") == 0) {
        while (bo_cursor_next(c) == 0)
            diff += bo_cursor_int(c, 4) - bo_cursor_int(c, 5);
        bo_cursor_free(c);
    }
    expect(diff, 0, "trial balance difference");
    printf("%s\n", failures ? "The inventory chapter FAILED its checks."
                            : "Stock, valuation and ledger agree.");
    return failures ? 1 : 0;
}
