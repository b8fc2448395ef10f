/*
 * The demo's chapter on lots and serial numbers, late February: milk
 * received by lot with its expiry and sold first expired first out (an
 * expired crate is never sold, it goes to waste), what expires within a
 * week and its value, a recall of one lot; a phone received and sold by
 * serial number, a second sale of the same phone refused, its history; and
 * the label of a milk crate read as a scanner sends it (GS1-128).
 */
#include "demo_parts.h"

#include <stdio.h>
#include <string.h>

static int failures;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo lots: %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        failures++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "demo lots: %s is %lld, expected %lld\n", what, (long long)got,
                (long long)want);
        failures++;
    }
}

static bo_date day(const char *iso)
{
    bo_date d = 0;
    bo_date_parse(iso, &d);
    return d;
}

static int64_t lot(bo_book *b, const char *code)
{
    int64_t q = -1;
    ok(bo_inventory_lot_stock(b, "MILK", code, "MAIN", &q), code);
    return q;
}

static int sell(bo_book *b, const char *date, const char *key, const char *sku, int64_t qty,
                int64_t price, const char *customer, const char *picks, int64_t *id)
{
    bo_sale *s = NULL;
    int rc = bo_sale_new(&s, day(date), "till 1");
    if (!rc)
        rc = bo_sale_set_key(s, key);
    if (!rc && customer)
        rc = bo_sale_set_customer(s, customer);
    if (!rc)
        rc = bo_sale_line(s, sku, "MAIN", qty, price, 0);
    if (!rc)
        rc = bo_sale_payment(s, "cash", price * qty);
    if (!rc)
        rc = bo_inventory_sale_post_picked(b, s, picks, id);
    bo_sale_free(s);
    return rc;
}

int demo_lots(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    printf("\n== Milk by lot, a phone by serial: 18-25 February 2026 ==\n");
    ok(bo_inventory_item_add(b, "MILK", "Whole milk 1 l", 0, BO_INVENTORY_FIFO, NULL), "item");
    ok(bo_inventory_track_set(b, "MILK", BO_INVENTORY_TRACK_LOT), "track");
    ok(bo_inventory_item_add(b, "PHONE", "Phone X2", 0, BO_INVENTORY_FIFO, NULL), "item");
    ok(bo_inventory_track_set(b, "PHONE", BO_INVENTORY_TRACK_SERIAL), "track");

    /* Three crates of 12 at 0.90 each: one expires on the 20th. */
    static const struct { const char *lot, *expiry, *key; } crates[] = {
        { "L0520", "2026-02-20", "milk-1" }, { "L0601", "2026-02-24", "milk-2" },
        { "L0615", "2026-03-05", "milk-3" },
    };
    for (int i = 0; i < 3; i++) {
        bo_inventory_move_options m = BO_INVENTORY_MOVE_OPTIONS_INIT;
        m.sku = "MILK";
        m.location = "MAIN";
        m.qty = 12;
        m.cost = 1080;
        m.date = day("2026-02-18");
        m.key = crates[i].key;
        ok(bo_inventory_receive_picked(b, &m, crates[i].lot, crates[i].expiry, NULL, NULL),
           "receive milk");
    }
    /* 21 February: 15 bottles, no lot named. L0520 expired yesterday and is
     * skipped: L0601 gives 12, L0615 gives 3. */
    int64_t sale = 0;
    ok(sell(b, "2026-02-21", "till1-lots-1", "MILK", 15, 150, "WEB-1001", NULL, &sale),
       "sale of milk");
    expect(lot(b, "L0520"), 12, "L0520 after the sale");
    expect(lot(b, "L0601"), 0, "L0601 after the sale");
    expect(lot(b, "L0615"), 9, "L0615 after the sale");
    printf("Sold 15 bottles first expired first out: L0601 12, L0615 3; L0520 (expired"
           " 2026-02-20) kept back.\n");
    int64_t refused = 0;
    int rc = sell(b, "2026-02-21", "till1-lots-2", "MILK", 1, 150, NULL, "1=L0520", &refused);
    expect(rc, BO_EEXPIRED, "a sale of the expired lot");
    printf("A bottle of L0520 at the till: refused (%s).\n", bo_error_message());

    /* What expires within a week of the 21st, and its value. */
    int64_t value = 0;
    ok(bo_inventory_expiring_value(b, day("2026-02-21"), 7, &value), "expiring");
    expect(value, 1080, "the value expiring within a week");
    printf("Expiring by 28 February: L0520, 12 bottles, worth 10.80.\n");
    bo_inventory_move_options w = BO_INVENTORY_MOVE_OPTIONS_INIT;
    w.sku = "MILK";
    w.location = "MAIN";
    w.qty = 12;
    w.date = day("2026-02-21");
    w.reason = "expired";
    w.key = "milk-waste-1";
    ok(bo_inventory_issue_picked(b, &w, "L0520", NULL), "waste");
    expect(lot(b, "L0520"), 0, "L0520 after the waste");

    /* A recall of L0601: who bought it. */
    bo_cursor *c = NULL;
    int n = 0;
    if (!ok(bo_inventory_lot_recall(b, "MILK", "L0601", &c), "recall")) {
        while (bo_cursor_next(c) == 0) {
            n++;
            printf("Recall L0601: sale %lld on %s to %s, %lld bottles.\n",
                   (long long)bo_cursor_int(c, 0), bo_cursor_text(c, 1),
                   bo_cursor_text(c, 2) ? bo_cursor_text(c, 2) : "(anonymous)",
                   (long long)bo_cursor_int(c, 4));
            expect(bo_cursor_int(c, 0), sale, "the recalled sale");
        }
        bo_cursor_free(c);
    }
    expect(n, 1, "sales in the recall");

    /* Two phones by serial number; one sold, and sold again by mistake. */
    bo_inventory_move_options p = BO_INVENTORY_MOVE_OPTIONS_INIT;
    p.sku = "PHONE";
    p.location = "MAIN";
    p.qty = 2;
    p.cost = 60000;
    p.date = day("2026-02-23");
    p.key = "phones-1";
    ok(bo_inventory_receive_picked(b, &p, "IMEI356938035643809,IMEI356938035643817", NULL,
                                   NULL, NULL), "receive phones");
    ok(sell(b, "2026-02-24", "till1-lots-3", "PHONE", 1, 49900, "WEB-1001",
            "1=IMEI356938035643809", NULL), "sale of a phone");
    rc = sell(b, "2026-02-25", "till1-lots-4", "PHONE", 1, 49900, NULL,
              "1=IMEI356938035643809", &refused);
    expect(rc, BO_ESERIAL, "the same phone sold twice");
    printf("The same phone sold again: refused (%s).\n", bo_error_message());
    n = 0;
    if (!ok(bo_inventory_serial_history(b, "PHONE", "IMEI356938035643809", &c), "history")) {
        while (bo_cursor_next(c) == 0)
            n++;
        bo_cursor_free(c);
    }
    expect(n, 2, "movements of the sold phone");

    /* The crate's label as a scanner sends it: GTIN, expiry, lot. */
    const char *scan = "]C1" "0109506000134352" "17260224" "10L0601";
    char l[32] = "";
    bo_date exp = 0;
    ok(bo_gs1_get(scan, "10", l, sizeof l), "gs1 lot");
    ok(bo_gs1_expiry(scan, &exp), "gs1 expiry");
    expect(strcmp(l, "L0601"), 0, "the scanned lot");
    expect(exp, day("2026-02-24"), "the scanned expiry");
    printf("Scanned crate label: lot %s, expires 2026-02-24.\n", l);
    return failures ? 1 : 0;
}
