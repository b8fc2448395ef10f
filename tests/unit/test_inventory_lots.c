/* Lots, expiry and serial numbers: a worked first-expired-first-out example
 * by hand, expired lots refused at the till, what expires and its value, a
 * recall, serials received once and sold once with their history, and a
 * seeded random stream of movements in which, per lot and location and per
 * serial, stock equals receipts minus issues as an independent model counts
 * them (BO_INV_LOTS_OPS operations, 400 by default). */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;
static char *path; /* the store, for the tests that edit it with raw SQL */

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void configure(void)
{
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    const char *set[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" }, { "account.adjustments", "5200" },
        { "account.revenue", "4000" }, { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        bo_assert_ok(bo_inventory_setting_set(book, set[i][0], set[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store one", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "WH", "Warehouse", "warehouse", 0));
    bo_assert_ok(bo_party_add(book, "ANNA", "Anna Berg", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_add(book, "BOB", "Bob Dahl", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_inventory_item_add(book, "MILK", "Milk 1 l", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_track_set(book, "MILK", BO_INVENTORY_TRACK_LOT));
    bo_assert_ok(bo_inventory_item_add(book, "PHONE", "Phone", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_track_set(book, "PHONE", BO_INVENTORY_TRACK_SERIAL));
}

static void setup(void)
{
    book = bo_test_book("inventory_lots");
    configure();
}

static void setup_path(void)
{
    path = bo_test_path("inventory_lots_raw");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    configure();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
    path = NULL;
}

static int seq;

static const char *key(void)
{
    static char k[32];
    snprintf(k, sizeof k, "k%d", ++seq);
    return k;
}

static int64_t receive(const char *sku, const char *loc, int64_t qty, int64_t cost,
                       const char *date, const char *picks, const char *expiry)
{
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = sku;
    o.location = loc;
    o.qty = qty;
    o.cost = cost;
    o.date = D(date);
    o.key = key();
    int64_t id = 0;
    bo_assert_ok(bo_inventory_receive_picked(book, &o, picks, expiry, NULL, &id));
    return id;
}

static int sell(const char *sku, const char *loc, int64_t qty, const char *date,
                const char *customer, const char *picks, int64_t *id)
{
    bo_sale *s = NULL;
    bo_assert_ok(bo_sale_new(&s, D(date), "till"));
    bo_assert_ok(bo_sale_set_key(s, key()));
    if (customer)
        bo_assert_ok(bo_sale_set_customer(s, customer));
    bo_assert_ok(bo_sale_line(s, sku, loc, qty, 100, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 100 * qty));
    int rc = bo_inventory_sale_post_picked(book, s, picks, id);
    bo_sale_free(s);
    return rc;
}

static int64_t lot(const char *sku, const char *code, const char *loc)
{
    int64_t q = -1;
    bo_assert_ok(bo_inventory_lot_stock(book, sku, code, loc, &q));
    return q;
}

static int64_t stock(const char *sku, const char *loc)
{
    int64_t q = -1;
    bo_assert_ok(bo_inventory_stock(book, sku, loc, &q));
    return q;
}

static int rows(bo_cursor *c)
{
    int n = 0, rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return n;
}

static const char *serial_status(const char *sku, const char *serial, char loc[16])
{
    static char status[16];
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_serials(book, sku, &c));
    status[0] = 0;
    loc[0] = 0;
    while (bo_cursor_next(c) == 0)
        if (strcmp(bo_cursor_text(c, 0), serial) == 0) {
            snprintf(status, sizeof status, "%s", bo_cursor_text(c, 1));
            const char *l = bo_cursor_text(c, 2);
            snprintf(loc, 16, "%s", l ? l : "");
        }
    bo_cursor_free(c);
    return status;
}

/* Four lots of milk at S1, sale on 3 March 2026:
 *   D  3 units, expired 1 March     -> skipped (a sale never takes it)
 *   B  5 units, expires 5 March     -> first: all 5
 *   A 10 units, expires 10 March    -> then 2 of it
 *   C  4 units, no expiry           -> last, untouched
 * A sale of 7 with no lot named takes B 5 + A 2; left: D 3, B 0, A 8, C 4. */
START_TEST(lots_fefo_worked_example)
{
    receive("MILK", "S1", 10, 1000, "2026-02-20", "A", "2026-03-10");
    receive("MILK", "S1", 5, 500, "2026-02-21", "B", "2026-03-05");
    receive("MILK", "S1", 4, 400, "2026-02-22", "C", NULL);
    receive("MILK", "S1", 3, 300, "2026-02-18", "D", "2026-03-01");
    ck_assert_int_eq(stock("MILK", "S1"), 22);
    int64_t sale = 0;
    bo_assert_ok(sell("MILK", "S1", 7, "2026-03-03", "ANNA", NULL, &sale));
    ck_assert_int_eq(lot("MILK", "D", "S1"), 3);
    ck_assert_int_eq(lot("MILK", "B", "S1"), 0);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 8);
    ck_assert_int_eq(lot("MILK", "C", "S1"), 4);
    ck_assert_int_eq(stock("MILK", "S1"), 15);
    /* The lots listing by expiry: D, A, C (B is empty). */
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_lots(book, "MILK", &c));
    const char *want[] = { "D", "A", "C" };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 0), want[i]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* A transfer with no lot named also goes first expired first out (an
     * issue or transfer may move expired stock: to waste, to quarantine). */
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = "MILK";
    o.location = "S1";
    o.to = "WH";
    o.qty = 4;
    o.date = D("2026-03-03");
    o.key = key();
    bo_assert_ok(bo_inventory_transfer_picked(book, &o, NULL, NULL));
    ck_assert_int_eq(lot("MILK", "D", "S1"), 0);
    ck_assert_int_eq(lot("MILK", "D", "WH"), 3);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 7);
    ck_assert_int_eq(lot("MILK", "A", "WH"), 1);
    /* The expired lot goes to waste by name (an issue may take it); a
     * count finds one more unit of A at WH, and loses one of C at S1. */
    o.location = "WH";
    o.to = NULL;
    o.qty = 3;
    o.reason = "expired";
    o.key = key();
    bo_assert_ok(bo_inventory_issue_picked(book, &o, "D", NULL));
    ck_assert_int_eq(lot("MILK", "D", "WH"), 0);
    o.qty = 1;
    o.cost = 100;
    o.reason = "found";
    o.key = key();
    bo_assert_ok(bo_inventory_adjust_picked(book, &o, "A", NULL));
    ck_assert_int_eq(lot("MILK", "A", "WH"), 2);
    o.location = "S1";
    o.qty = -1;
    o.cost = 0;
    o.reason = "broken";
    o.key = key();
    bo_assert_ok(bo_inventory_adjust_picked(book, &o, "C", NULL));
    ck_assert_int_eq(lot("MILK", "C", "S1"), 3);
    o.qty = 1;
    o.cost = 100;
    o.key = key();
    bo_assert_err(bo_inventory_adjust_picked(book, &o, "NEW", NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: NEW of MILK does not exist"));
    /* Returned: the units go back into a lot the sale took them from, the
     * latest expiry first (the sale took B 5 and A 2: 1 unit back into A). */
    bo_inventory_return_options r = BO_INVENTORY_RETURN_OPTIONS_INIT;
    r.sale_id = sale;
    r.line = 1;
    r.qty = 1;
    r.date = D("2026-03-04");
    r.method = "cash";
    r.key = key();
    bo_assert_ok(bo_inventory_return(book, &r, NULL));
    ck_assert_int_eq(lot("MILK", "B", "S1"), 0);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 8);
    bo_assert_ok(bo_inventory_lot_recall(book, "MILK", "A", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 4), 2); /* taken */
    ck_assert_int_eq(bo_cursor_int(c, 5), 1); /* returned */
    bo_cursor_free(c);
}
END_TEST

/* A sale naming an expired lot is BO_EEXPIRED naming the lot; so is a sale
 * that only expired lots could fill. Nothing changes. */
START_TEST(lots_expired_sale_refused)
{
    receive("MILK", "S1", 3, 300, "2026-02-18", "D", "2026-03-01");
    receive("MILK", "S1", 2, 200, "2026-02-20", "A", "2026-03-10");
    int64_t id = 0;
    bo_assert_err(sell("MILK", "S1", 1, "2026-03-02", "ANNA", "1=D", &id), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: D of MILK expired on 2026-03-01"));
    bo_assert_err(sell("MILK", "S1", 4, "2026-03-02", NULL, NULL, &id), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "D of MILK expired"));
    ck_assert_int_eq(lot("MILK", "D", "S1"), 3);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 2);
    ck_assert_int_eq(stock("MILK", "S1"), 5);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_lot_recall(book, "MILK", "A", &c));
    ck_assert_int_eq(rows(c), 0);
    /* On its expiry day it still sells. */
    bo_assert_ok(sell("MILK", "S1", 1, "2026-03-01", NULL, "1=D", &id));
    ck_assert_int_eq(lot("MILK", "D", "S1"), 2);
}
END_TEST

/* A receipt of a tracked item names its lot; picks are checked. */
START_TEST(lots_bad_input_changes_nothing)
{
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = "MILK";
    o.location = "S1";
    o.qty = 5;
    o.cost = 50;
    o.date = D("2026-03-01");
    o.key = "r1";
    bo_assert_err(bo_inventory_receive(book, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "MILK is tracked by lot"));
    bo_assert_err(bo_inventory_receive_picked(book, &o, "A:2,B:2", NULL, NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "picks: name 5 of MILK, not 4"));
    bo_assert_err(bo_inventory_receive_picked(book, &o, "A:2,,B", NULL, NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position 5"));
    bo_assert_err(bo_inventory_receive_picked(book, &o, "A", "2026-02-30", NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "expiry"));
    ck_assert_int_eq(stock("MILK", "S1"), 0);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_lots(book, "MILK", &c));
    ck_assert_int_eq(rows(c), 0);
    /* Tracking changes only without stock. */
    receive("MILK", "S1", 5, 50, "2026-03-01", "A", "2026-04-01");
    bo_assert_err(bo_inventory_track_set(book, "MILK", BO_INVENTORY_TRACK_NONE), BO_ESTATE);
    int mode = -1;
    bo_assert_ok(bo_inventory_track_get(book, "MILK", &mode));
    ck_assert_int_eq(mode, BO_INVENTORY_TRACK_LOT);
    /* The same lot keeps its dates. */
    o.key = "r2";
    bo_assert_err(bo_inventory_receive_picked(book, &o, "A", "2026-05-01", NULL, NULL),
                  BO_EINVAL);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 5);
    /* An untracked item takes no picks. */
    bo_assert_ok(bo_inventory_item_add(book, "SOAP", "Soap", 0, BO_INVENTORY_FIFO, NULL));
    o.sku = "SOAP";
    o.key = "r3";
    bo_assert_err(bo_inventory_receive_picked(book, &o, "X", NULL, NULL, NULL), BO_EINVAL);
    ck_assert_int_eq(stock("SOAP", "S1"), 0);
}
END_TEST

/* What expires within 7 days of 1 March 2026, and its value: lot A (10 at
 * 1.00 each, expires 5 March) and lot D (expired) count; lot B (20 March)
 * does not. FIFO row value 1000 + 300 + 2000 = 3300 for 10 + 3 + 10 units:
 * A 3300 x 10 / 23 = 1434.78 -> 1435, D 3300 x 3 / 23 = 430.43 -> 430. */
START_TEST(lots_expiring_report_value)
{
    receive("MILK", "S1", 10, 1000, "2026-02-20", "A", "2026-03-05");
    receive("MILK", "S1", 3, 300, "2026-02-18", "D", "2026-02-27");
    receive("MILK", "S1", 10, 2000, "2026-02-25", "B", "2026-03-20");
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_expiring(book, D("2026-03-01"), 7, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "D");
    ck_assert_int_eq(bo_cursor_int(c, 4), 3);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "A");
    ck_assert_str_eq(bo_cursor_text(c, 2), "2026-03-05");
    ck_assert_int_eq(bo_cursor_int(c, 7), 3300);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    int64_t v = 0;
    bo_assert_ok(bo_inventory_expiring_value(book, D("2026-03-01"), 7, &v));
    ck_assert_int_eq(v, 1435 + 430);
    bo_assert_err(bo_inventory_expiring(book, D("2026-03-01"), -1, &c), BO_EINVAL);
}
END_TEST

/* A recall of lot A: every sale that took it, with its customer. */
START_TEST(lots_recall_lists_sales_and_customers)
{
    receive("MILK", "S1", 4, 400, "2026-02-20", "A", "2026-03-10");
    receive("MILK", "S1", 4, 400, "2026-02-21", "B", "2026-03-20");
    int64_t s1 = 0, s2 = 0, s3 = 0;
    bo_assert_ok(sell("MILK", "S1", 3, "2026-03-01", "ANNA", NULL, &s1));  /* A 3 */
    bo_assert_ok(sell("MILK", "S1", 2, "2026-03-02", "BOB", NULL, &s2));   /* A 1, B 1 */
    bo_assert_ok(sell("MILK", "S1", 1, "2026-03-02", NULL, "1=B", &s3));   /* B 1 */
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_lot_recall(book, "MILK", "A", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), s1);
    ck_assert_str_eq(bo_cursor_text(c, 2), "ANNA");
    ck_assert_int_eq(bo_cursor_int(c, 4), 3);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), s2);
    ck_assert_str_eq(bo_cursor_text(c, 2), "BOB");
    ck_assert_int_eq(bo_cursor_int(c, 4), 1);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_inventory_lot_recall(book, "MILK", "B", &c));
    ck_assert_int_eq(rows(c), 2);
    bo_assert_err(bo_inventory_lot_recall(book, "MILK", "Z", &c), BO_ENOTFOUND);
}
END_TEST

/* A serial is received once and sold once; a second sale of it is
 * BO_ESERIAL and records nothing; returned, it is in stock again; its
 * history lists every movement. */
START_TEST(serials_sold_twice_refused)
{
    receive("PHONE", "S1", 2, 80000, "2026-03-01", "SN1,SN2", NULL);
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = "PHONE";
    o.location = "WH";
    o.qty = 1;
    o.cost = 40000;
    o.date = D("2026-03-01");
    o.key = "again";
    bo_assert_err(bo_inventory_receive_picked(book, &o, "SN1", NULL, NULL, NULL), BO_ESERIAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "SN1 of PHONE was received already"));
    ck_assert_int_eq(stock("PHONE", "WH"), 0);
    int64_t sale = 0, id = 0;
    bo_assert_ok(sell("PHONE", "S1", 1, "2026-03-02", "ANNA", "1=SN1", &sale));
    char loc[16];
    ck_assert_str_eq(serial_status("PHONE", "SN1", loc), "sold");
    bo_assert_err(sell("PHONE", "S1", 1, "2026-03-03", "BOB", "1=SN1", &id), BO_ESERIAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "serial: SN1 of PHONE is not in stock"));
    ck_assert_int_eq(stock("PHONE", "S1"), 1);
    ck_assert_str_eq(serial_status("PHONE", "SN2", loc), "stock");
    ck_assert_str_eq(loc, "S1");
    bo_assert_err(sell("PHONE", "S1", 1, "2026-03-03", "BOB", "1=SN9", &id), BO_ENOTFOUND);
    /* Returned: back in stock at S1, then transferred to WH, sold again. */
    bo_inventory_return_options r = BO_INVENTORY_RETURN_OPTIONS_INIT;
    r.sale_id = sale;
    r.line = 1;
    r.qty = 1;
    r.date = D("2026-03-04");
    r.method = "cash";
    r.key = key();
    bo_assert_ok(bo_inventory_return(book, &r, NULL));
    ck_assert_str_eq(serial_status("PHONE", "SN1", loc), "stock");
    o.location = "S1";
    o.to = "WH";
    o.cost = 0;
    o.date = D("2026-03-05");
    o.key = key();
    bo_assert_ok(bo_inventory_transfer_picked(book, &o, "SN1", NULL));
    ck_assert_str_eq(serial_status("PHONE", "SN1", loc), "stock");
    ck_assert_str_eq(loc, "WH");
    bo_assert_ok(sell("PHONE", "WH", 1, "2026-03-06", "BOB", NULL, &id));
    ck_assert_str_eq(serial_status("PHONE", "SN1", loc), "sold");
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_serial_history(book, "PHONE", "SN1", &c));
    const char *kinds[] = { "receive", "sale", "return", "transfer_out", "transfer_in", "sale" };
    const int qty[] = { 1, -1, 1, -1, 1, -1 };
    for (int i = 0; i < 6; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 1), kinds[i]);
        ck_assert_int_eq(bo_cursor_int(c, 4), qty[i]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_err(bo_inventory_serial_history(book, "PHONE", "SN7", &c), BO_ENOTFOUND);
}
END_TEST


/* ---- purchase orders: tracked items and units ------------------------------ */

static int po_line_rows(int64_t po)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_po_lines(book, po, &c));
    return rows(c);
}

static int64_t value(const char *sku, const char *loc)
{
    int64_t v = -1;
    bo_assert_ok(bo_inventory_value(book, sku, loc, &v));
    return v;
}

/* By hand: milk ordered by the case of 12 at 12.00 a case, 3 cases.
 *   receipt of 2 cases into lots A 18 + B 6, expiring 10 March:
 *     24 pieces, cost 2 x 1200 = 2400; A 18, B 6; line received 2 (cases)
 *   a receipt naming 10 pieces for 1 case (12): BO_EINVAL, nothing changes
 *   the plain receipt of a tracked item: BO_EINVAL naming the item
 *   landed cost 300 on the order: all 24 still in stock, value 2700
 * Phones by serial on the same order, SN1 and SN2; SN1 again: BO_ESERIAL. */
START_TEST(po_receive_tracked_lots_serials)
{
    bo_assert_ok(bo_party_add(book, "DAIRY", "Dairy Co", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_inventory_unit_set(book, "MILK", "case", 12, 1, -1));
    int64_t po = 0, id = 0;
    bo_assert_ok(bo_inventory_po_add(book, "P1", "DAIRY", D("2026-03-01"), &po));
    bo_inventory_po_line_options o = BO_INVENTORY_PO_LINE_OPTIONS_INIT;
    o.po_id = po;
    o.sku = "MILK";
    o.location = "S1";
    o.qty = 3;
    o.unit_cost = 1200;
    o.expected = D("2026-03-02");
    int line = 0;
    bo_assert_ok(bo_inventory_po_line_unit(book, &o, "case", &line));
    ck_assert_int_eq(line, 1);
    bo_assert_err(bo_inventory_po_receive(book, po, 1, 1, D("2026-03-02"), "g0", &id),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "MILK is tracked by lot"));
    ck_assert_int_eq(stock("MILK", "S1"), 0);
    bo_assert_ok(bo_inventory_po_receive_picked(book, po, 1, 2, D("2026-03-02"), "g1",
                                                "A:18,B:6", "2026-03-10", NULL, &id));
    ck_assert_int_eq(stock("MILK", "S1"), 24);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 18);
    ck_assert_int_eq(lot("MILK", "B", "S1"), 6);
    ck_assert_int_eq(value("MILK", "S1"), 2400);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_lots(book, "MILK", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "2026-03-10");
    bo_cursor_free(c);
    /* replayed with its key: the same movement, nothing more */
    int64_t again = 0;
    bo_assert_ok(bo_inventory_po_receive_picked(book, po, 1, 2, D("2026-03-02"), "g1",
                                                "A:18,B:6", "2026-03-10", NULL, &again));
    ck_assert_int_eq(again, id);
    ck_assert_int_eq(stock("MILK", "S1"), 24);
    /* picks that do not add up to the receipt's 12 pieces */
    bo_assert_err(bo_inventory_po_receive_picked(book, po, 1, 1, D("2026-03-03"), "g2",
                                                 "C:10", NULL, NULL, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "picks: name 12 of MILK, not 10"));
    bo_assert_err(bo_inventory_po_receive_picked(book, po, 1, 1, D("2026-03-03"), "g2",
                                                 NULL, NULL, NULL, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "picks:"));
    ck_assert_int_eq(stock("MILK", "S1"), 24);
    bo_assert_ok(bo_inventory_po_lines(book, po, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 3), 3);
    ck_assert_int_eq(bo_cursor_int(c, 4), 2);
    ck_assert_int_eq(bo_cursor_int(c, 5), 1200);
    ck_assert_str_eq(bo_cursor_text(c, 8), "case");
    bo_cursor_free(c);
    bo_assert_err(bo_inventory_lot_stock(book, "MILK", "C", "S1", &again), BO_ENOTFOUND);
    /* landed cost over the order's one receipt: all of it still in stock */
    bo_assert_ok(bo_ledger_account_add(book, "2200", "Freight due", BO_ACCOUNT_LIABILITY,
                                       NULL, NULL));
    bo_assert_ok(bo_inventory_landed_cost(book, po, 300, "2200", D("2026-03-04"), "f1",
                                          NULL));
    ck_assert_int_eq(value("MILK", "S1"), 2700);
    /* serials by purchase order */
    o.sku = "PHONE";
    o.qty = 2;
    o.unit_cost = 40000;
    bo_assert_ok(bo_inventory_po_line(book, &o, &line));
    ck_assert_int_eq(line, 2);
    bo_assert_ok(bo_inventory_po_receive_picked(book, po, 2, 1, D("2026-03-02"), "g3",
                                                "SN1", NULL, NULL, &id));
    bo_assert_err(bo_inventory_po_receive_picked(book, po, 2, 1, D("2026-03-02"), "g4",
                                                 "SN1", NULL, NULL, &id), BO_ESERIAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "SN1 of PHONE was received already"));
    ck_assert_int_eq(stock("PHONE", "S1"), 1);
    bo_assert_ok(bo_inventory_po_receive_picked(book, po, 2, 1, D("2026-03-02"), "g4",
                                                "SN2", NULL, NULL, &id));
    char loc[16];
    ck_assert_str_eq(serial_status("PHONE", "SN2", loc), "stock");
    ck_assert_str_eq(loc, "S1");
    ck_assert_int_eq(value("PHONE", "S1"), 80000);
    int64_t bad = 0;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
}
END_TEST

/* Coffee kept by the 1 kg bag, ordered by the 100 g at 1.50 (unit 1/10 of
 * a bag): 15 x 100 g is 1.5 bags, refused (BO_EUNIT naming the item and the
 * units), nothing written; 20 x 100 g is 2 bags. A receipt of 5 x 100 g is
 * half a bag: refused; 10 x 100 g is 1 bag at 10 x 150 = 1500. An unknown
 * unit is BO_EUNIT too. */
START_TEST(po_line_unit_exact_or_refused)
{
    bo_assert_ok(bo_party_add(book, "ROAST", "Roastery", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_inventory_item_add(book, "COFFEE", "Coffee 1 kg", 0, BO_INVENTORY_FIFO,
                                       NULL));
    bo_assert_ok(bo_inventory_unit_set(book, "COFFEE", "100g", 1, 10, 180));
    int64_t po = 0, id = 0;
    bo_assert_ok(bo_inventory_po_add(book, "P2", "ROAST", D("2026-03-01"), &po));
    bo_inventory_po_line_options o = BO_INVENTORY_PO_LINE_OPTIONS_INIT;
    o.po_id = po;
    o.sku = "COFFEE";
    o.location = "WH";
    o.qty = 15;
    o.unit_cost = 150;
    o.expected = D("2026-03-02");
    int line = 0;
    bo_assert_err(bo_inventory_po_line_unit(book, &o, "100g", &line), BO_EUNIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "item 'COFFEE'"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'100g'"));
    ck_assert_int_eq(po_line_rows(po), 0);
    bo_assert_err(bo_inventory_po_line_unit(book, &o, "crate", &line), BO_EUNIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "no unit 'crate'"));
    ck_assert_int_eq(po_line_rows(po), 0);
    o.qty = 20;
    bo_assert_ok(bo_inventory_po_line_unit(book, &o, "100g", &line));
    ck_assert_int_eq(line, 1);
    bo_assert_err(bo_inventory_po_receive(book, po, 1, 5, D("2026-03-02"), "c1", &id),
                  BO_EUNIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "COFFEE"));
    ck_assert_int_eq(stock("COFFEE", "WH"), 0);
    bo_assert_ok(bo_inventory_po_receive(book, po, 1, 10, D("2026-03-02"), "c1", &id));
    ck_assert_int_eq(stock("COFFEE", "WH"), 1);
    ck_assert_int_eq(value("COFFEE", "WH"), 1500);
    /* more than the 10 x 100 g left */
    bo_assert_err(bo_inventory_po_receive(book, po, 1, 20, D("2026-03-03"), "c2", &id),
                  BO_EINVAL);
    bo_assert_ok(bo_inventory_po_receive(book, po, 1, 10, D("2026-03-03"), "c2", &id));
    ck_assert_int_eq(stock("COFFEE", "WH"), 2);
    ck_assert_int_eq(value("COFFEE", "WH"), 3000);
    int64_t bad = 0;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
}
END_TEST

/* ---- property: random movements against a model ---------------------------- */

enum { NLOTS = 5, NSER = 24, NLOC = 2 };
static const char *locs[NLOC] = { "S1", "WH" };

typedef struct model {
    int64_t lot[NLOTS][NLOC];
    int ser_loc[NSER]; /* -1: never received, -2: out (sold/issued), 0..: location */
    int ser_received[NSER];
} model;

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static int64_t sum_lots(const model *m, int l)
{
    int64_t s = 0;
    for (int i = 0; i < NLOTS; i++)
        s += m->lot[i][l];
    return s;
}

START_TEST(lots_serials_random_property)
{
    const char *env = getenv("BO_INV_LOTS_OPS");
    int ops = env ? atoi(env) : 400;
    unsigned s = 20261206u;
    model m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < NSER; i++)
        m.ser_loc[i] = -1;
    char code[32], picks[256];
    for (int op = 0; op < ops; op++) {
        int kind = (int)(rnd(&s) % 6), l = (int)(rnd(&s) % NLOC);
        int lt = (int)(rnd(&s) % NLOTS), q = 1 + (int)(rnd(&s) % 5);
        char exp[11];
        snprintf(exp, sizeof exp, "2027-0%d-10", lt + 1);
        snprintf(code, sizeof code, "L%d", lt);
        bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
        o.date = D("2026-06-01");
        o.key = key();
        o.location = locs[l];
        int64_t id;
        if (kind == 0) { /* receive milk into a lot */
            o.sku = "MILK";
            o.qty = q;
            o.cost = 100 * q;
            bo_assert_ok(bo_inventory_receive_picked(book, &o, code, exp, NULL, &id));
            m.lot[lt][l] += q;
        } else if (kind == 1) { /* sell milk, FEFO or named */
            int named = rnd(&s) % 2;
            int rc;
            if (named) {
                snprintf(picks, sizeof picks, "1=%s", code);
                rc = sell("MILK", locs[l], q, "2026-06-01", NULL, picks, &id);
                if (m.lot[lt][l] >= q) {
                    bo_assert_ok(rc);
                    m.lot[lt][l] -= q;
                } else {
                    ck_assert_msg(rc == BO_ESTOCK || rc == BO_ENOTFOUND, "rc %d", rc);
                }
            } else {
                rc = sell("MILK", locs[l], q, "2026-06-01", NULL, NULL, &id);
                if (sum_lots(&m, l) >= q) {
                    bo_assert_ok(rc);
                    int64_t need = q; /* expiry follows the lot number */
                    for (int i = 0; i < NLOTS && need; i++) {
                        int64_t t = m.lot[i][l] < need ? m.lot[i][l] : need;
                        m.lot[i][l] -= t;
                        need -= t;
                    }
                } else {
                    ck_assert_int_eq(rc, BO_ESTOCK);
                }
            }
        } else if (kind == 2) { /* transfer milk, named lot */
            o.sku = "MILK";
            o.to = locs[1 - l];
            o.qty = q;
            int rc = bo_inventory_transfer_picked(book, &o, code, &id);
            if (m.lot[lt][l] >= q) {
                bo_assert_ok(rc);
                m.lot[lt][l] -= q;
                m.lot[lt][1 - l] += q;
            } else {
                ck_assert_msg(rc == BO_ESTOCK || rc == BO_ENOTFOUND, "rc %d", rc);
            }
        } else if (kind == 3) { /* receive a phone by serial */
            int sn = (int)(rnd(&s) % NSER);
            snprintf(code, sizeof code, "SN%d", sn);
            o.sku = "PHONE";
            o.qty = 1;
            o.cost = 500;
            int rc = bo_inventory_receive_picked(book, &o, code, NULL, NULL, &id);
            if (!m.ser_received[sn]) {
                bo_assert_ok(rc);
                m.ser_received[sn] = 1;
                m.ser_loc[sn] = l;
            } else {
                ck_assert_int_eq(rc, BO_ESERIAL);
            }
        } else if (kind == 4) { /* sell a named phone */
            int sn = (int)(rnd(&s) % NSER);
            snprintf(picks, sizeof picks, "1=SN%d", sn);
            int rc = sell("PHONE", locs[l], 1, "2026-06-01", NULL, picks, &id);
            if (m.ser_loc[sn] == l) {
                bo_assert_ok(rc);
                m.ser_loc[sn] = -2;
            } else if (!m.ser_received[sn]) {
                ck_assert_msg(rc == BO_ENOTFOUND || rc == BO_ESTOCK, "rc %d", rc);
            } else {
                ck_assert_msg(rc == BO_ESERIAL || rc == BO_ESTOCK, "rc %d", rc);
            }
        } else { /* transfer a named phone */
            int sn = (int)(rnd(&s) % NSER);
            snprintf(code, sizeof code, "SN%d", sn);
            o.sku = "PHONE";
            o.to = locs[1 - l];
            o.qty = 1;
            int rc = bo_inventory_transfer_picked(book, &o, code, &id);
            if (m.ser_loc[sn] == l) {
                bo_assert_ok(rc);
                m.ser_loc[sn] = 1 - l;
            } else {
                ck_assert_msg(rc != 0, "transfer of SN%d from %s succeeded", sn, locs[l]);
            }
        }
    }
    /* Per lot and location: the model's receipts - issues. */
    for (int i = 0; i < NLOTS; i++)
        for (int l = 0; l < NLOC; l++) {
            snprintf(code, sizeof code, "L%d", i);
            int64_t q = 0;
            int rc = bo_inventory_lot_stock(book, "MILK", code, locs[l], &q);
            if (rc == BO_ENOTFOUND)
                q = 0;
            else
                bo_assert_ok(rc);
            ck_assert_msg(q == m.lot[i][l], "lot %s at %s: %" PRId64 ", model %" PRId64,
                          code, locs[l], q, m.lot[i][l]);
        }
    for (int l = 0; l < NLOC; l++) {
        ck_assert_int_eq(stock("MILK", locs[l]), sum_lots(&m, l));
        int64_t phones = 0;
        for (int i = 0; i < NSER; i++)
            phones += m.ser_loc[i] == l;
        ck_assert_int_eq(stock("PHONE", locs[l]), phones);
    }
    /* Each serial: in one place at most, and where the model has it; its
     * history nets to 1 in stock, 0 out. */
    for (int i = 0; i < NSER; i++) {
        snprintf(code, sizeof code, "SN%d", i);
        char loc[16];
        const char *st = serial_status("PHONE", code, loc);
        if (m.ser_loc[i] >= 0) {
            ck_assert_str_eq(st, "stock");
            ck_assert_str_eq(loc, locs[m.ser_loc[i]]);
        } else if (m.ser_loc[i] == -2) {
            ck_assert_str_eq(st, "sold");
        } else {
            ck_assert_str_eq(st, "");
            continue;
        }
        bo_cursor *c = NULL;
        bo_assert_ok(bo_inventory_serial_history(book, "PHONE", code, &c));
        int64_t net = 0;
        while (bo_cursor_next(c) == 0) {
            net += bo_cursor_int(c, 4);
            ck_assert_msg(net == 0 || net == 1, "%s is in %" PRId64 " places", code, net);
        }
        bo_cursor_free(c);
        ck_assert_int_eq(net, m.ser_loc[i] >= 0 ? 1 : 0);
    }
    bo_test_round_trip(book);
}
END_TEST

/* A direct edit of a lot's stock, of a serial's place or of the lots a
 * movement moved is found by the full verification, which names it. */
START_TEST(lots_tamper_detected_and_named)
{
    receive("MILK", "S1", 4, 400, "2026-02-20", "A", "2026-03-10");
    receive("PHONE", "S1", 1, 500, "2026-02-20", "SN1", NULL);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_test_raw_sql(path, "UPDATE inv_lot_stock SET on_hand = on_hand + 1");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inv_lot_stock"));
    bo_test_raw_sql(path, "UPDATE inv_lot_stock SET on_hand = on_hand - 1");
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_test_raw_sql(path, "UPDATE inv_serials SET status = 'sold', location_id = NULL");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inv_serials"));
    bo_test_raw_sql(path, "UPDATE inv_serials SET status = 'stock',"
                          " location_id = (SELECT id FROM inv_locations WHERE code = 'S1')");
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_test_raw_sql(path, "UPDATE inv_lot_moves SET qty = qty + 1");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inv_lot_moves"));
    bo_test_raw_sql(path, "UPDATE inv_lots SET expiry = '2030-01-01'");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
}
END_TEST

/* Holds of a lot. Milk at S1: OLD 5 (expired 1 Nov 2026), A 10 (expires
 * 10 Jan 2027), B 10 (20 Jan 2027).
 *   a hold of 4 naming no lot: first expired first, OLD is past: A
 *   a hold of OLD: BO_EEXPIRED; of PHONE (serials): BO_EINVAL; of lot NOPE:
 *     BO_ENOTFOUND; of 7 of A (10 - 4 held = 6): BO_ESTOCK; nothing changed
 *   a sale of 8 by FEFO on 20 Dec 2026: OLD has expired, A gives its 6 not
 *     held, B 2: A 4, B 8
 *   a sale naming 1 of A: BO_ESTOCK (4 here, 4 held), nothing changed
 *   the sale of the hold takes A: A 0
 *   a hold of 3 by FEFO: B; released, a sale naming 8 of B takes them. */
static int64_t available(void)
{
    int64_t q = -1;
    bo_assert_ok(bo_inventory_available(book, "MILK", "S1", &q));
    return q;
}

static int holds_count(void)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_holds(book, "MILK", &c));
    return rows(c);
}

START_TEST(hold_of_a_lot_reserves_it)
{
    receive("MILK", "S1", 5, 500, "2026-10-01", "OLD", "2026-11-01");
    receive("MILK", "S1", 10, 1000, "2026-10-02", "A", "2027-01-10");
    receive("MILK", "S1", 10, 1000, "2026-10-03", "B", "2027-01-20");
    int64_t h1 = 0, h = 0, sale = 0;
    bo_assert_ok(bo_inventory_hold_lot(book, "MILK", "S1", 4, NULL, "900", "h1", &h1));
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_holds(book, "MILK", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 8), "A");
    ck_assert_int_eq(bo_cursor_int(c, 3), 4);
    bo_cursor_free(c);
    ck_assert_int_eq(available(), 21);
    /* bad input: specific codes, the field named, nothing changed */
    bo_assert_err(bo_inventory_hold_lot(book, "MILK", "S1", 1, "OLD", "900", NULL, &h),
                  BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: OLD of MILK expired on 2026-11-01"));
    bo_assert_err(bo_inventory_hold_lot(book, "PHONE", "S1", 1, NULL, "900", NULL, &h),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: PHONE is not tracked by lot"));
    bo_assert_err(bo_inventory_hold_lot(book, "MILK", "S1", 1, "NOPE", "900", NULL, &h),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: NOPE of MILK"));
    bo_assert_err(bo_inventory_hold_lot(book, "MILK", "S1", 7, "A", "900", NULL, &h),
                  BO_ESTOCK);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: A of MILK at 'S1' has 6 not held"));
    bo_assert_err(bo_inventory_hold_lot(book, "MILK", "S1", 0, "A", "900", NULL, &h),
                  BO_EINVAL);
    bo_assert_err(bo_inventory_hold_lot(book, "MILK", "S1", 1, "A", "0", NULL, &h),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "expires"));
    ck_assert_int_eq(holds_count(), 1);
    ck_assert_int_eq(available(), 21);
    /* first expired first out leaves what the hold reserves */
    bo_assert_ok(sell("MILK", "S1", 8, "2026-12-20", NULL, NULL, &sale));
    ck_assert_int_eq(lot("MILK", "A", "S1"), 4);
    ck_assert_int_eq(lot("MILK", "B", "S1"), 8);
    ck_assert_int_eq(lot("MILK", "OLD", "S1"), 5);
    /* a sale naming the held lot finds nothing free in it */
    ck_assert_int_eq(sell("MILK", "S1", 1, "2026-12-20", NULL, "1=A", &sale), BO_ESTOCK);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "lot: A of MILK has 4 here, 4 of them held"));
    ck_assert_int_eq(lot("MILK", "A", "S1"), 4);
    ck_assert_int_eq(stock("MILK", "S1"), 17);
    /* the hold's sale takes its lot */
    bo_sale *s = NULL;
    bo_assert_ok(bo_sale_new(&s, D("2026-12-21"), "web"));
    bo_assert_ok(bo_sale_set_key(s, "web-1"));
    bo_assert_ok(bo_sale_line_hold(s, h1, 100, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 400));
    bo_assert_ok(bo_inventory_sale_post(book, s, &sale));
    bo_sale_free(s);
    ck_assert_int_eq(lot("MILK", "A", "S1"), 0);
    ck_assert_int_eq(lot("MILK", "B", "S1"), 8);
    /* a hold by FEFO takes B now; released, B sells in full */
    int64_t h2 = 0;
    bo_assert_ok(bo_inventory_hold_lot(book, "MILK", "S1", 3, NULL, "900", NULL, &h2));
    ck_assert_int_eq(sell("MILK", "S1", 8, "2026-12-22", NULL, "1=B", &sale), BO_ESTOCK);
    ck_assert_int_eq(available(), 10);
    bo_assert_ok(bo_inventory_hold_release(book, h2));
    ck_assert_int_eq(available(), 13);
    bo_assert_ok(sell("MILK", "S1", 8, "2026-12-22", NULL, "1=B", &sale));
    ck_assert_int_eq(lot("MILK", "B", "S1"), 0);
    bo_test_round_trip(book);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("inventory_lots");
    TCase *t = tcase_create("lots");
    tcase_set_timeout(t, 300);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lots_fefo_worked_example);
    tcase_add_test(t, lots_expired_sale_refused);
    tcase_add_test(t, lots_bad_input_changes_nothing);
    tcase_add_test(t, lots_expiring_report_value);
    tcase_add_test(t, lots_recall_lists_sales_and_customers);
    tcase_add_test(t, serials_sold_twice_refused);
    tcase_add_test(t, lots_serials_random_property);
    tcase_add_test(t, po_receive_tracked_lots_serials);
    tcase_add_test(t, po_line_unit_exact_or_refused);
    tcase_add_test(t, hold_of_a_lot_reserves_it);
    suite_add_tcase(s, t);
    TCase *raw = tcase_create("raw");
    tcase_set_tags(raw, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(raw, 120);
    tcase_add_checked_fixture(raw, setup_path, teardown);
    tcase_add_test(raw, lots_tamper_detected_and_named);
    suite_add_tcase(s, raw);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
