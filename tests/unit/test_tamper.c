/*
 * The tamper catalogue: a book with rows in every table of the schema
 * (the shop of examples/shop.yaml after a month of ledger, inventory,
 * billing, payroll, documents and people work), then, for every table the schema
 * lists and every kind of edit made with raw SQL outside the library
 *
 *   update   each column of a row (keys are the renumber edits below),
 *   delete   a row,
 *   insert   a fake row (a copy of one under a new key),
 *   renumber a row's key changed to an unused one,
 *   reorder  the keys of two rows swapped,
 *
 * the full verification must fail, and the first problem it names must be
 * in the edited table (the table and the record: "postings: entry 42 line
 * 2: ..."). After each edit the table is put back; the untouched book
 * verifies clean before, during and after. A table the schema gains later is
 * edited like the others, so it cannot stay outside the verification.
 *
 * The edits go through the library's own driver connection (SQLite with
 * foreign keys and CHECK constraints off, as the sqlite3 shell allows;
 * PostgreSQL with triggers, and so foreign keys, off for the session), so
 * nothing but a UNIQUE or NOT NULL constraint refuses one.
 */
#include "testutil.h"
#include "core/book.h"
#include "core/domain.h"
#include "core/verify.h"
#include "book/provenance.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *path;
static bo_book *book;

/* ---- the book ---------------------------------------------------------------- */

static bo_date D(const char *s)
{
    bo_date d = 0;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t post(const char *date, const char *key, const char *a, const char *b,
                    int64_t amount)
{
    bo_entry *e = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_entry_new(&e, D(date), "journal"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    bo_assert_ok(bo_entry_add(e, a, amount, NULL, "debit"));
    bo_assert_ok(bo_entry_add(e, b, -amount, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    return id;
}

static int64_t sale(const char *key, const char *sku, const char *loc, int64_t qty,
                    int64_t price, int64_t hold, const char *method, int64_t paid)
{
    bo_sale *s = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_sale_new(&s, D("2026-02-14"), "till"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, sku, loc, qty, price, 0));
    if (hold)
        bo_assert_ok(bo_sale_line_hold(s, hold, price, 0));
    bo_assert_ok(bo_sale_payment(s, method, paid));
    bo_assert_ok(bo_inventory_sale_post(book, s, &id));
    bo_sale_free(s);
    return id;
}

static int64_t invoice(int kind, const char *party, const char *date, const char *cur,
                       int64_t price, int64_t credits)
{
    bo_invoice *v = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_invoice_new(&v, kind, party, D(date), cur));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4020",
            .description = "Shop mug", .quantity = 2 * BO_BILLING_QTY_SCALE,
            .unit_price = price, .tax_category = cur ? NULL : "billing-online" }));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4020",
            .description = "Shipping", .quantity = BO_BILLING_QTY_SCALE,
            .unit_price = 500 }));
    if (credits)
        bo_assert_ok(bo_invoice_set_credits(v, credits));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_assert_ok(bo_billing_invoice_post(book, id, D(date), NULL));
    bo_invoice_free(v);
    return id;
}

static int64_t payment(const char *party, const char *date, int64_t amount,
                       const char *cur, const char *account, const char *key,
                       int64_t inv, int64_t alloc)
{
    bo_payment *p = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = party, .date = D(date), .amount = amount, .currency = cur,
            .account = account }));
    bo_assert_ok(bo_payment_set_key(p, key));
    bo_assert_ok(bo_payment_set_reference(p, key));
    if (inv)
        bo_assert_ok(bo_payment_allocate(p, inv, alloc, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, &id));
    bo_payment_free(p);
    return id;
}

static int64_t document(const char *type, const char *title, const char *date)
{
    bo_document *d = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_document_new(&d, type, title, D(date)));
    bo_assert_ok(bo_document_add_tag(d, "supplier"));
    bo_assert_ok(bo_document_add_tag(d, "2026"));
    if (!strcmp(type, "supplier_contract")) {
        bo_assert_ok(bo_document_set_meta(d, "supplier", "ROASTCO"));
        bo_assert_ok(bo_document_set_meta(d, "renewal", "2027-02-01"));
    }
    bo_assert_ok(bo_document_set_body(d, "coffee beans supply terms"));
    bo_assert_ok(bo_document_create(book, d, &id));
    bo_document_free(d);
    return id;
}

static const char second_pack[] =
    "pack: casual\n"
    "currency: USD\n"
    "accounts:\n"
    "  net_pay: \"2200\"\n"
    "components:\n"
    "  - name: wages\n"
    "    kind: earning\n"
    "    account: \"6010\"\n"
    "    expr: round(hourly_rate * hours.regular, 0)\n";

static void build(void)
{
    const char *f = __FILE__, *suffix = "tests/unit/test_tamper.c";
    size_t n = strlen(f), s = strlen(suffix);
    ck_assert(n > s && strcmp(f + n - s, suffix) == 0);
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%.*sexamples/shop.yaml", (int)(n - s), f);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_create_from_yaml(&book, yaml, path, &o));
    int64_t id, t;

    /* Ledger and commerce. */
    post("2026-01-05", "j-1", "1010", "3000", 500000);
    post("2026-01-06", NULL, "6100", "1010", 120000);
    int64_t rev = post("2026-01-07", "j-3", "6200", "1010", 8000);
    bo_assert_ok(bo_ledger_reverse(book, rev, D("2026-01-08"), "j-3r", &id));
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-09"), "euro float"));
    bo_assert_ok(bo_entry_add_base(e, "1040", 10000, "EUR", 10850, NULL));
    bo_assert_ok(bo_entry_add_base(e, "1010", -10850, "USD", -10850, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    bo_assert_ok(bo_party_update(book, "ROASTCO", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .email = "orders@roast.example",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_ledger_account_add(book, "6900", "Sundries", BO_ACCOUNT_EXPENSE,
                                       "6000", NULL));
    /* A recurring entry with an end and a count, run once
     * (ledger_recurring, ledger_recurring_lines). */
    bo_assert_ok(bo_entry_new(&e, D("2026-01-31"), "rent"));
    bo_assert_ok(bo_entry_add(e, "6100", 9000, NULL, "monthly"));
    bo_assert_ok(bo_entry_add(e, "1010", -9000, NULL, NULL));
    bo_assert_ok(bo_ledger_recurring_add(book, e, BO_RECUR_MONTH, 1, D("2026-12-31"), 6, 1,
                                         &id));
    bo_entry_free(e);
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-02-28"), &t));
    ck_assert_int_eq(t, 2);

    /* Inventory: the day at the shop. */
    static const char *const skus[] = { "COFFEE", "MUG", "FILTER" };
    for (int i = 0; i < 3; i++)
        bo_assert_ok(bo_inventory_item_update(book, skus[i], &(bo_inventory_item_changes){
                .version = BO_INVENTORY_ITEM_CHANGES_VERSION, .tax_category = "standard",
                .negative_stock = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_inventory_item_barcode_add(book, "MUG", "0099887766554"));
    bo_date d = D("2026-02-14");
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .qty = 20000, .cost = 24000, .date = d, .reference = "d-881", .key = "r-1" }, &id));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .qty = 48, .cost = 14400, .date = d, .reference = "d-881", .key = "r-2" }, &id));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .qty = 24, .cost = 8400, .date = d, .reference = "d-882", .key = "r-3" }, &id));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "FILTER", .location = "MAIN",
            .qty = 10, .cost = 2000, .date = d, .key = "r-4" }, &id));
    bo_assert_ok(bo_inventory_transfer(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "WH",
            .to = "MAIN", .qty = 24, .date = d, .reference = "T-1", .key = "t-1" }, &t));
    bo_assert_ok(bo_inventory_transfer(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .to = "MALL", .qty = 4000, .date = d, .in_transit = 1, .reference = "T-2",
            .key = "t-2" }, &t));
    bo_assert_ok(bo_inventory_transfer_arrive(book, t, d));
    bo_assert_ok(bo_inventory_transfer(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "COFFEE", .location = "WH",
            .to = "MAIN", .qty = 8000, .date = d, .reference = "T-3", .key = "t-3" }, &t));
    int64_t hold, hold2;
    bo_assert_ok(bo_inventory_hold(book, "MUG", "MAIN", 2, "3600", "h-1", &hold));
    bo_assert_ok(bo_inventory_hold(book, "MUG", "MAIN", 1, "3600", "h-2", &hold2));
    bo_assert_ok(bo_inventory_hold_release(book, hold2));
    int64_t s1 = sale("main-1", "COFFEE", "MAIN", 750, 2800, hold, "cash", 10000);
    int64_t s2 = sale("mall-1", "COFFEE", "MALL", 1500, 2800, 0, "card", 4200);
    bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "FILTER", .location = "MAIN",
            .qty = 1, .date = d, .reason = "damaged", .key = "i-1" }, &id));
    bo_assert_ok(bo_inventory_adjust(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "FILTER", .location = "MAIN",
            .qty = 2, .cost = -1, .date = d, .reason = "found", .key = "a-1" }, &id));
    int64_t po, po2;
    int line = 0;
    bo_assert_ok(bo_inventory_po_add(book, "PO-17", "ROASTCO", d, &po));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "COFFEE", .location = "MALL", .qty = 10000, .unit_cost = 1150,
            .expected = D("2026-02-16") }, &line));
    bo_assert_ok(bo_inventory_po_receive(book, po, line, 6000, d, "po17-a", &id));
    bo_assert_ok(bo_inventory_po_receive(book, po, line, 2000, d, "po17-b", &id));
    bo_assert_ok(bo_inventory_landed_cost(book, po, 600, "2010", d, "po17-f1", &id));
    bo_assert_ok(bo_inventory_landed_cost(book, po, 150, "2010", d, "po17-f2", &id));
    bo_assert_ok(bo_inventory_po_add(book, "PO-18", "ROASTCO", d, &po2));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po2,
            .sku = "MUG", .location = "WH", .qty = 12, .unit_cost = 300,
            .expected = D("2026-02-20") }, &line));
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s1,
            .line = 1, .qty = 250, .date = d, .method = "cash", .key = "ret-1" }, &id));
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s2,
            .line = 1, .qty = 500, .date = d, .method = "card", .key = "ret-2" }, &id));
    int64_t count;
    bo_inventory_count_options co = BO_INVENTORY_COUNT_OPTIONS_INIT;
    co.key = "count-main";
    bo_assert_ok(bo_inventory_count_start(book, "MAIN", d, &co, &count));
    bo_assert_ok(bo_inventory_count_set(book, count, "MUG", 21));
    bo_assert_ok(bo_inventory_count_set(book, count, "FILTER", 11));
    co.key = "count-main-post";
    bo_assert_ok(bo_inventory_count_post(book, count, &co));
    co.key = "count-mall";
    bo_assert_ok(bo_inventory_count_start(book, "MALL", d, &co, &count));
    bo_assert_ok(bo_inventory_count_set(book, count, "COFFEE", 2500));
    int64_t ship;
    bo_inventory_shipment_options so = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    so.key = "ship-1";
    bo_assert_ok(bo_inventory_shipment_add(book, s1, "UPS", "ground", "1Z999", &so, &ship));
    bo_assert_ok(bo_inventory_shipment_status(book, ship, "shipped", NULL));
    so.key = "ship-2";
    bo_assert_ok(bo_inventory_shipment_add(book, s2, "DHL", "express", "JD01", &so, &ship));
    /* Two tracking events of the carrier (inv_tracking). */
    bo_inventory_tracking_event ev = BO_INVENTORY_TRACKING_EVENT_INIT;
    ev.carrier = "DHL";
    ev.tracking = "JD01";
    ev.at = "2026-01-16T08:00:00Z";
    ev.code = "PU";
    ev.status = "in_transit";
    ev.description = "picked up";
    bo_assert_ok(bo_inventory_shipment_track(book, &ev, NULL));
    ev.at = "2026-01-17T09:30:00Z";
    ev.code = "OK";
    ev.status = "delivered";
    bo_assert_ok(bo_inventory_shipment_track(book, &ev, NULL));
    /* A till session with a cash movement, closed as counted (inv_tills,
     * inv_till_moves). */
    int64_t till;
    bo_assert_ok(bo_inventory_till_open(book, "MAIN", d, 5000, "till-1", &till));
    bo_assert_ok(bo_inventory_till_cash(book, till, d, -2000, "1020", "bank drop", "till-1-drop",
                                        NULL));
    bo_assert_ok(bo_inventory_till_close(book, till, d, 3000, "till-1-close", NULL));
    /* A customer's sale with the rest on account: an invoice of the sale
     * (bill_invoices.sale_id), then part of it returned. */
    bo_sale *sa = NULL;
    int64_t s3;
    bo_assert_ok(bo_sale_new(&sa, d, "till, on account"));
    bo_assert_ok(bo_sale_set_key(sa, "main-2"));
    bo_assert_ok(bo_sale_set_customer(sa, "WEB-1001"));
    bo_assert_ok(bo_sale_line(sa, "MUG", "MAIN", 3, 1200, 0));
    bo_assert_ok(bo_sale_payment(sa, "cash", 1000));
    bo_assert_ok(bo_inventory_sale_post(book, sa, &s3));
    bo_sale_free(sa);
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s3,
            .line = 1, .qty = 1, .date = d, .method = "cash", .key = "ret-3" }, &id));
    /* Units, a price group, a price list and a coupon's promotion, and a
     * sale priced by them (inv_units ... inv_sale_pricing). */
    bo_assert_ok(bo_inventory_unit_set(book, "MUG", "box", 6, 1, -1));
    bo_assert_ok(bo_inventory_customer_group_set(book, "WEB-1001", "web"));
    bo_assert_ok(bo_inventory_pricelist_add(book, "BOXES", NULL, "MAIN", BO_DATE_MIN,
                                            BO_DATE_MAX));
    bo_assert_ok(bo_inventory_pricelist_price(book, "BOXES", "MUG", "box", 0, 6000));
    bo_inventory_promotion promo = BO_INVENTORY_PROMOTION_INIT;
    promo.code = "TAMPER";
    promo.kind = "amount";
    promo.value = 10;
    promo.coupon = "TAMPER";
    bo_assert_ok(bo_inventory_promotion_set(book, &promo));
    bo_assert_ok(bo_sale_new(&sa, d, "till, a box"));
    bo_assert_ok(bo_sale_set_key(sa, "main-3"));
    bo_assert_ok(bo_sale_set_coupon(sa, "TAMPER"));
    bo_assert_ok(bo_sale_line_unit(sa, "MUG", "MAIN", 1, "box", BO_SALE_PRICE_AUTO, 0));
    bo_assert_ok(bo_sale_payment(sa, "cash", 5990));
    bo_assert_ok(bo_inventory_sale_post(book, sa, NULL));
    bo_sale_free(sa);
    /* Lots and serial numbers (inv_track ... inv_serial_moves): milk by lot,
     * a phone by serial, each received and some sold. */
    bo_assert_ok(bo_inventory_item_add(book, "MILK", "Milk", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_item_add(book, "PHONE", "Phone", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_track_set(book, "MILK", BO_INVENTORY_TRACK_LOT));
    bo_assert_ok(bo_inventory_track_set(book, "PHONE", BO_INVENTORY_TRACK_SERIAL));
    bo_assert_ok(bo_inventory_receive_picked(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MILK", .location = "MAIN",
            .qty = 6, .cost = 600, .date = d, .key = "r-milk" }, "L1", "2026-03-31", NULL,
            &id));
    bo_assert_ok(bo_inventory_receive_picked(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "PHONE", .location = "MAIN",
            .qty = 2, .cost = 60000, .date = d, .key = "r-phone" }, "SN1,SN2", NULL, NULL,
            &id));
    bo_assert_ok(bo_sale_new(&sa, d, "till, milk and a phone"));
    bo_assert_ok(bo_sale_set_key(sa, "main-4"));
    bo_assert_ok(bo_sale_line(sa, "MILK", "MAIN", 2, 150, 0));
    bo_assert_ok(bo_sale_line(sa, "PHONE", "MAIN", 1, 45000, 0));
    bo_assert_ok(bo_sale_payment(sa, "cash", 45300));
    bo_assert_ok(bo_inventory_sale_post_picked(book, sa, "1=L1:2;2=SN1", NULL));
    bo_sale_free(sa);

    /* Billing: invoices, payments, a credit note, the bank, euros. */
    int64_t inv = invoice(BO_INVOICE_SALES, "WEB-1001", "2026-03-02", NULL, 1250, 0);
    payment("WEB-1001", "2026-03-05", 2000, NULL, "1020", "web-pay-1", inv, 2000);
    int64_t inv2 = invoice(BO_INVOICE_SALES, "WEB-1001", "2026-03-03", NULL, 1000, 0);
    invoice(BO_INVOICE_SALES_CREDIT, "WEB-1001", "2026-03-04", NULL, 100, inv2);
    int64_t pay = payment("WEB-1001", "2026-03-06", 1500, NULL, "1020", "web-pay-2", 0, 0);
    bo_assert_ok(bo_billing_credit_apply(book, pay, inv, 1000, D("2026-03-06")));
    int64_t eu = invoice(BO_INVOICE_SALES, "EU-7", "2026-03-03", "EUR", 4000, 0);
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-03-20"), "1.10"));
    payment("EU-7", "2026-03-20", 4000, "EUR", "1040", "eu-pay-1", eu, 4000);
    invoice(BO_INVOICE_SALES, "EU-7", "2026-03-25", "EUR", 2500, 0);
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-03-31"), "1.12"));
    bo_assert_ok(bo_billing_revalue(book, D("2026-03-31"), &id));
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-04-30"), "1.09"));
    bo_assert_ok(bo_billing_revalue(book, D("2026-04-30"), &id));
    const char *csv = "Date,Reference,Text,Amount\n"
                      "2026-03-05,web-pay-1,Card payout,20.00\n"
                      "2026-03-06,web-pay-2,Card payout,15.00\n"
                      "2026-03-13,FEE-03,Account fee,-0.35\n";
    int64_t st, matched = 0;
    bo_assert_ok(bo_billing_bank_import(book, "1020", "csv", csv,
                                     "date: Date\nreference: Reference\nmemo: Text\n"
                                     "amount: Amount\n", &st));
    bo_assert_ok(bo_billing_bank_match(book, st, 2, &matched));
    ck_assert_int_ge(matched, 1);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_billing_bank_lines(book, st, &c));
    int64_t fee = 0;
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 6), "unmatched"))
            fee = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    if (fee)
        bo_assert_ok(bo_billing_bank_create(book, fee, "6600", "Bank fee", NULL));
    int64_t rec;
    bo_assert_ok(bo_billing_recurring_add(book, inv2, 1, D("2026-04-03"), &rec));
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-05-10"), &id));

    /* Payroll: a second pack, time, a run through to payment. */
    bo_assert_ok(bo_payroll_pack_load(book, second_pack, sizeof second_pack - 1, NULL));
    bo_payroll_time_options to = BO_PAYROLL_TIME_OPTIONS_INIT;
    to.key = "hours-1";
    bo_assert_ok(bo_payroll_hours_add(book, "E-03", D("2026-04-01"), "regular", 480, &to,
                                     NULL));
    to.key = "hours-2";
    bo_assert_ok(bo_payroll_hours_add(book, "E-04", D("2026-04-02"), "regular", 360, &to,
                                     NULL));
    to.key = "clock-1";
    bo_assert_ok(bo_payroll_clock(book, "E-03", D("2026-04-04"), "09:00", "19:30", &to,
                                 NULL));
    to.key = "leave-1";
    bo_assert_ok(bo_payroll_leave_add(book, "E-04", D("2026-04-06"), D("2026-04-07"),
                                     "unpaid", &to, NULL));
    /* Identifiers are sealed with the host's key. */
    static const unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES] = { 7, 1, 2, 3 };
    bo_assert_ok(bo_document_set_encryption_key(book, key, sizeof key));
    bo_assert_ok(bo_payroll_employee_set(book, "E-02", "bank_account", "DE00 1234"));
    bo_assert_ok(bo_payroll_input_add(book, "E-03", "bonus", D("2026-04-01"),
                                      D("2026-04-30"), 5000));
    bo_payroll_previous prev = BO_PAYROLL_PREVIOUS_INIT;
    prev.year = 2026;
    prev.period_start = D("2026-01-01");
    prev.period_end = D("2026-01-01");
    prev.bruto = 1000;
    prev.neto = 900;
    prev.tax = 50;
    bo_assert_ok(bo_payroll_previous_add(book, "E-04", &prev));
    int64_t run;
    bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-2026-04", .pack = "shop",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2026-04-01"),
            .period_end = D("2026-04-30"), .pay_date = D("2026-04-30") }, &run));
    bo_assert_ok(bo_payroll_run_calculate(book, run));
    bo_assert_ok(bo_payroll_run_approve(book, run));
    bo_assert_ok(bo_payroll_run_post(book, run, &id));
    bo_assert_ok(bo_payroll_run_pay(book, run, "1020", D("2026-04-30"), &id));
    bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-2026-05", .pack = "shop",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2026-05-01"),
            .period_end = D("2026-05-31"), .pay_date = D("2026-05-31") }, &run));
    bo_assert_ok(bo_payroll_run_calculate(book, run));

    /* Documents: a contract with two versions, a scan, links, holds. */
    int64_t doc = document("supplier_contract", "Coffee supply", "2026-01-10");
    bo_assert_ok(bo_document_add_bytes(book, doc, "terms v1", 8, "v1.txt", NULL));
    bo_assert_ok(bo_document_add_bytes(book, doc, "terms v2", 8, "v2.txt", NULL));
    bo_assert_ok(bo_document_link(book, doc, "party", "ROASTCO"));
    bo_assert_ok(bo_document_link(book, doc, "entry", "1"));
    bo_assert_ok(bo_document_checkout(book, doc));
    bo_assert_ok(bo_document_checkin(book, doc));
    int64_t scan = document("invoice", "Scan of bill 44", "2026-02-01");
    bo_assert_ok(bo_document_add_bytes(book, scan, "%PDF-1.4 scan", 13, "scan.pdf", NULL));
    bo_assert_ok(bo_document_hold(book, scan, 1));
    bo_assert_ok(bo_document_type_field_add(book, "invoice", "number", "text"));
    int64_t old = document("other", "Old note", "2010-01-01");
    bo_assert_ok(bo_document_type_add(book, "memo", 1));
    (void)old;
    int64_t memo = document("memo", "Short memo", "2010-01-01");
    bo_assert_ok(bo_document_add_bytes(book, memo, "x", 1, "m.txt", NULL));
    bo_assert_ok(bo_document_dispose(book, memo, D("2026-06-01")));
    /* The documents' settings: a version limit, a type's open fields; a
     * confidential document (its content encrypted, its words hashed). */
    bo_assert_ok(bo_document_set_version_limit(book, 1 << 20));
    bo_assert_ok(bo_document_type_open_fields(book, "memo", 1));
    bo_document *cd = NULL;
    int64_t conf;
    bo_assert_ok(bo_document_new(&cd, "contract", "Lease", D("2026-02-01")));
    bo_assert_ok(bo_document_set_class(cd, BO_DOCUMENT_CONFIDENTIAL));
    bo_assert_ok(bo_document_set_body(cd, "lease of the shop premises"));
    bo_assert_ok(bo_document_create(book, cd, &conf));
    bo_document_free(cd);
    bo_assert_ok(bo_document_add_bytes(book, conf, "lease v1", 8, "lease.txt", NULL));

    /* People: shift types, a night shift and the next day's, punches and
     * their attendance, holidays, leave policies, entitlements, requests,
     * the leave ledger and collective leave. */
    bo_people_shift_options pso = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    pso.start = "18:00";
    pso.end = "07:00";
    pso.break_minutes = 60;
    bo_assert_ok(bo_people_shift_type_add(book, "NIGHT", &pso));
    pso.start = "09:00";
    pso.end = "17:00";
    pso.break_minutes = 0;
    bo_assert_ok(bo_people_shift_type_add(book, "DAY", &pso));
    bo_assert_ok(bo_people_shift_assign(book, "E-03", D("2026-04-13"), "NIGHT", "MAIN", "cashier",
                                        NULL));
    bo_assert_ok(bo_people_shift_assign(book, "E-03", D("2026-04-14"), "DAY", "MAIN", "cashier",
                                        NULL));
    bo_assert_ok(bo_people_roster_publish(book, "MAIN", D("2026-04-13"), D("2026-04-13"), NULL));
    bo_assert_ok(bo_people_punch(book, "E-03", "2026-04-13T17:58", 0, "punch-1", NULL));
    bo_assert_ok(bo_people_punch(book, "E-03", "2026-04-14T07:02", 0, "punch-2", NULL));
    bo_assert_ok(bo_people_punch(book, "E-03", "2026-04-14T09:00", 0, "punch-3", NULL));
    bo_assert_ok(bo_people_punch(book, "E-03", "2026-04-14T17:00", 0, "punch-4", NULL));
    bo_assert_ok(bo_people_attendance_run(book, D("2026-04-13"), D("2026-04-14"),
                                          "2026-04-15T00:00", NULL));
    bo_assert_ok(bo_people_holiday_add(book, "default", D("2026-03-19"), "Nyepi", 0));
    bo_assert_ok(bo_people_holiday_add(book, "default", D("2026-03-20"), "Eve",
                                       BO_PEOPLE_HOLIDAY_HALF));
    bo_assert_ok(bo_people_leave_policy_add(book, "ANNUAL", BO_PEOPLE_ACCRUE_YEARLY, 1200, 2400,
                                            600, 3));
    bo_assert_ok(bo_people_leave_policy_add(book, "SICK", BO_PEOPLE_ACCRUE_MONTHLY, 600, 0, 0, 0));
    bo_assert_ok(bo_people_leave_entitle(book, "E-03", "ANNUAL", D("2026-01-01")));
    bo_assert_ok(bo_people_leave_entitle(book, "E-04", "ANNUAL", D("2026-01-01")));
    int64_t lr;
    bo_assert_ok(bo_people_leave_request(book, "E-03", "ANNUAL", D("2026-05-04"), D("2026-05-05"),
                                         0, "leave-1", &lr));
    bo_assert_ok(bo_people_leave_decide(book, lr, 1));
    bo_assert_ok(bo_people_leave_request(book, "E-04", "ANNUAL", D("2026-05-06"), D("2026-05-06"),
                                         1, "leave-2", &lr));
    bo_assert_ok(bo_people_leave_decide(book, lr, 1));
    bo_assert_ok(bo_people_leave_collective(book, "ANNUAL", D("2026-12-24"), 100));
    bo_assert_ok(bo_people_leave_collective(book, "ANNUAL", D("2026-12-31"), 50));
    /* Recruitment and reviews: stages, an opening, two applicants (one
     * moved on), a cycle with two criteria, a review with scores. */
    bo_assert_ok(bo_people_stage_set(book, "screen", "Screening", 10));
    bo_assert_ok(bo_people_stage_set(book, "interview", "Interview", 20));
    bo_assert_ok(bo_people_opening_add(book, "CASHIER", "Cashier", "MAIN", "cashier",
                                       D("2026-02-01")));
    bo_people_applicant_options pao = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    pao.name = "Applicant One";
    pao.email = "one@example.org";
    pao.consent = "yes";
    pao.applied = D("2026-02-10");
    int64_t pa;
    bo_assert_ok(bo_people_applicant_add(book, "CASHIER", &pao, &pa));
    bo_assert_ok(bo_people_applicant_move(book, pa, "interview", D("2026-02-12")));
    pao.name = "Applicant Two";
    pao.email = "two@example.org";
    bo_assert_ok(bo_people_applicant_add(book, "CASHIER", &pao, NULL));
    bo_assert_ok(bo_people_review_cycle_add(book, "H1", "First half", D("2026-01-01"),
                                            D("2026-06-30")));
    bo_assert_ok(bo_people_review_criterion_add(book, "H1", "service", "Service", 2));
    bo_assert_ok(bo_people_review_criterion_add(book, "H1", "speed", "Speed", 1));
    int64_t rv;
    bo_assert_ok(bo_people_review_open(book, "H1", "E-03", &rv));
    bo_assert_ok(bo_people_review_score(book, rv, "service", BO_PEOPLE_SELF, 400, "ok"));
    bo_assert_ok(bo_people_review_score(book, rv, "speed", BO_PEOPLE_MANAGER, 300, NULL));
    /* Roster gaps: unavailability, a minimum headcount, an open shift
     * claimed, a swap approved. */
    bo_assert_ok(bo_people_unavailable_add(book, "E-04", "2026-04-20T08:00", "2026-04-20T12:00",
                                           NULL));
    /* a keyed one (people_keys), and a role granted at one location
     * (grant_locations) */
    bo_assert_ok(bo_people_unavailable_add_keyed(book, "E-04", "2026-04-22T08:00",
                                                 "2026-04-22T12:00", "unav-1", NULL));
    bo_assert_ok(bo_role_define(book, "store-manager", "people.read"));
    bo_assert_ok(bo_role_grant_location(book, "sari", "store-manager", "MAIN"));
    /* an access token, one revoked (actor_tokens) */
    {
        char tok[BO_ACTOR_TOKEN_LEN + 1];
        int64_t tid;
        bo_assert_ok(bo_actor_token_create(book, "sari", "till PC", &tid, tok, sizeof tok));
        bo_assert_ok(bo_actor_token_create(book, "owner", "old laptop", &tid, tok, sizeof tok));
        bo_assert_ok(bo_actor_token_revoke(book, tid));
    }
    bo_assert_ok(bo_people_headcount_set(book, "MAIN", "cashier", 0x1f, "08:00", "18:00", 2));
    int64_t os, osid, sw;
    bo_assert_ok(bo_people_open_shift_add(book, D("2026-04-21"), "DAY", "MAIN", "cashier", &os));
    bo_assert_ok(bo_people_open_shift_claim(book, os, "E-04", &osid));
    bo_assert_ok(bo_people_swap_propose(book, osid, "E-03", &sw));
    bo_assert_ok(bo_people_swap_accept(book, sw, 1));
    bo_assert_ok(bo_people_swap_decide(book, sw, 1));
    /* Approvals: a rule, a conflicting pair of roles, a grant of a role
     * made by the owner and approved by alice (another owner). */
    bo_approval_rule ar = BO_APPROVAL_RULE_INIT;
    ar.command = "role.grant";
    ar.roles = "owner";
    bo_assert_ok(bo_approval_rule_set(book, &ar));
    bo_assert_ok(bo_approval_conflict_add(book, "clerk", "auditor"));
    bo_assert_err(bo_role_grant(book, "zed", "auditor"), BO_EPENDING);
    int64_t req;
    bo_assert_ok(bo_approval_last(book, &req));
    {
        bo_book_options ao = BO_BOOK_OPTIONS_INIT;
        ao.actor = "alice";
        ao.sync = BO_SYNC_OFF;
        bo_book *alice = NULL;
        bo_assert_ok(bo_book_open(&alice, path, &ao));
        bo_assert_ok(bo_approval_approve(alice, req, NULL));
        bo_book_free(alice);
    }

    /* Sync: this book as a terminal and, through a second handle, as its
     * own central store: a sale in the outbox, pushed (inbox, terminals),
     * taking the mugs at MAIN below zero there (the stock.negative report),
     * and the snapshot pulled. */
    {
        int64_t mugs = 0;
        bo_assert_ok(bo_inventory_stock(book, "MUG", "MAIN", &mugs));
        ck_assert_int_gt(mugs, 0);
        bo_assert_ok(bo_terminal_setup(book, "T1", path));
        sale("till-1", "MUG", "MAIN", mugs, 1000, 0, "cash", mugs * 1000);
        bo_book_options cen = BO_BOOK_OPTIONS_INIT;
        cen.actor = "owner";
        cen.sync = BO_SYNC_OFF;
        bo_book *central = NULL;
        bo_assert_ok(bo_book_open(&central, path, &cen));
        bo_sync_report r = BO_SYNC_REPORT_INIT;
        bo_assert_ok(bo_sync_run(book, central, NULL, &r));
        ck_assert_int_eq(r.negative, 1);
        bo_book_free(central);
    }
    /* A consumer of the change feed and its saved position (feed_consumers). */
    {
        int64_t last = 0;
        bo_assert_ok(bo_feed_head(book, NULL, &last));
        bo_assert_ok(bo_feed_save(book, "webshop", last));
    }

    /* The year: closed, reopened and closed again (ledger_closings). */
    bo_date ye = D("2026-12-31");
    bo_assert_ok(bo_ledger_year_close(book, ye, "3200", "close-2026", &id));
    bo_assert_ok(bo_ledger_year_reopen(book, ye, "reopen-2026", &id));
    bo_assert_ok(bo_ledger_year_close(book, ye, "3200", "close-2026b", &id));

    /* Provenance (an importer's rows, sealed by one audit record per
     * source book): what a GnuCash import of this book would keep. */
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo__prov_put(book, "gnucash", "0123456789abcdef", "acct-1",
                              "5f1c0a6e", "account:1010", "placeholder=0 hidden=0"));
    bo_assert_ok(bo__prov_seal(book, "gnucash", "0123456789abcdef", 1));
    bo_assert_ok(bo_book_commit(book));

    /* Day totals by lane (PostgreSQL writers side by side): one account's
     * day totals as lane 64 had written them (on PostgreSQL the sync
     * above wrote some of lane 2's already). */
    bo_test_raw_sql(path, "INSERT INTO account_lanes (account_id, currency, lane)"
                    " SELECT DISTINCT account_id, currency, 64 FROM account_days"
                    " WHERE account_id = (SELECT MIN(account_id) FROM account_days);"
                    " INSERT INTO account_lane_days (lane, account_id, currency, date, delta,"
                    " total) SELECT 64, account_id, currency, date, delta, total"
                    " FROM account_days"
                    " WHERE account_id = (SELECT MIN(account_id) FROM account_days);"
                    " DELETE FROM account_days WHERE account_id ="
                    " (SELECT MIN(account_id) FROM account_lane_days WHERE lane = 64)");
}

/* The shop book is built once for the cases that read it (building it is
 * most of each case's time on PostgreSQL): the parent names its store (an
 * unchecked fixture), the first case to need it builds it, and each case
 * opens a handle of its own. The copy and the export read it; the catalogue
 * runs last, since it edits every table (putting each back). */
static char *shop_path;

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void shop_name(void)
{
    shop_path = bo_test_path("tamper");
}

static void shop_forget(void)
{
    free(shop_path);
    shop_path = NULL;
}

static void shop(void)
{
    ck_assert_ptr_nonnull(shop_path);
    path = strdup(shop_path);
    ck_assert_ptr_nonnull(path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    int rc = bo_book_open(&book, path, &o);
    if (rc == 0)
        return;
    ck_assert_msg(rc == BO_ENOTFOUND, "open the shop book: %s", bo_error_message());
    double t0 = seconds();
    build();
    printf("tamper: the shop book built in %.1f s\n", seconds() - t0);
}

/* ---- raw edits ------------------------------------------------------------------ */

typedef struct col {
    char name[64];
    char type; /* i, t, b */
} col;

typedef struct ttable {
    const bo__table *t;
    col cols[48];
    int ncols;
    int key[8]; /* indexes of the key columns in cols */
    int nkey;
} ttable;

static bo__store *raw;
static int is_pg;

static void raw_open(void)
{
    bo_driver_settings s = { 1, 5000, BO_SYNC_OFF, 0 };
    bo_assert_ok(bo__store_open(&raw, path, &s));
    is_pg = !strcmp(bo_test_scheme(), "postgresql");
    /* What a person with the sqlite3 shell or psql can switch off. */
    bo_assert_ok(bo__store_exec(raw, is_pg ? "SET session_replication_role = replica"
                                           : "PRAGMA foreign_keys = OFF;"
                                             " PRAGMA ignore_check_constraints = ON"));
}

static void split_cols(const bo__table *t, ttable *out)
{
    memset(out, 0, sizeof *out);
    out->t = t;
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", t->columns);
    for (char *p = strtok(buf, ", "); p; p = strtok(NULL, ", ")) {
        snprintf(out->cols[out->ncols].name, sizeof out->cols[0].name, "%s", p);
        out->cols[out->ncols].type = t->types[out->ncols];
        out->ncols++;
    }
    snprintf(buf, sizeof buf, "%s", t->order_by);
    for (char *p = strtok(buf, ", "); p; p = strtok(NULL, ", "))
        for (int i = 0; i < out->ncols; i++)
            if (!strcmp(out->cols[i].name, p))
                out->key[out->nkey++] = i;
    ck_assert_int_gt(out->nkey, 0);
}

/* Run a query; return its first row's first column as text (malloc'd), or
 * NULL for no row / NULL. */
static char *query1(const char *sql)
{
    bo__stmt *s;
    bo_assert_ok(bo__stmt_new(raw, sql, &s));
    int rc = bo__stmt_step(s);
    ck_assert_msg(rc >= 0, "%s: %s", sql, bo_error_message());
    char *out = NULL;
    if (rc == BO_DRIVER_ROW && !bo__stmt_is_null(s, 0))
        out = strdup(bo__stmt_col_text(s, 0));
    bo__stmt_done(s);
    return out;
}

/* The key values of the table's n-th row (0-based, in key order) as SQL
 * literals, or 0 when there is no such row. */
static int row_key(const ttable *t, int n, char lit[8][512])
{
    char sql[1024];
    int len = snprintf(sql, sizeof sql, "SELECT ");
    for (int k = 0; k < t->nkey; k++) {
        const col *c = &t->cols[t->key[k]];
        len += snprintf(sql + len, sizeof sql - len, "%s%s", k ? ", " : "", c->name);
    }
    snprintf(sql + len, sizeof sql - len, " FROM %s ORDER BY %s LIMIT 1 OFFSET %d",
             t->t->name, t->t->order_by, n);
    bo__stmt *s;
    bo_assert_ok(bo__stmt_new(raw, sql, &s));
    int rc = bo__stmt_step(s);
    ck_assert_msg(rc >= 0, "%s: %s", sql, bo_error_message());
    if (rc == BO_DRIVER_ROW) {
        for (int k = 0; k < t->nkey; k++) {
            const col *c = &t->cols[t->key[k]];
            if (c->type == 'i') {
                snprintf(lit[k], 512, "%" PRId64, bo__stmt_col_int(s, k));
            } else {
                const char *v = bo__stmt_col_text(s, k);
                char *q = lit[k];
                *q++ = '\'';
                for (; *v && q < lit[k] + 500; v++) {
                    if (*v == '\'')
                        *q++ = '\'';
                    *q++ = *v;
                }
                *q++ = '\'';
                *q = '\0';
            }
        }
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_ROW;
}

static void where_key(const ttable *t, char lit[8][512], char *out, size_t size)
{
    int len = 0;
    for (int k = 0; k < t->nkey; k++)
        len += snprintf(out + len, size - (size_t)len, "%s%s = %s", k ? " AND " : "",
                        t->cols[t->key[k]].name, lit[k]);
}

static int64_t count_rows(const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    char *v = query1(sql);
    int64_t n = v ? strtoll(v, NULL, 10) : 0;
    free(v);
    return n;
}

/* The table's rows as they were, once per table (a copy made and dropped
 * for every edit would be two DDL statements an edit, and on PostgreSQL
 * each one invalidates the cached catalogue of every session). */
static void save(const ttable *t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS bo_tamper_bak;"
             " CREATE TABLE bo_tamper_bak AS SELECT * FROM %s", t->t->name);
    bo_assert_ok(bo__store_exec(raw, sql));
}

/* Put the table's rows back as saved (the copy stays for the next edit). */
static void restore(const ttable *t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DELETE FROM %s; INSERT INTO %s SELECT * FROM bo_tamper_bak",
             t->t->name, t->t->name);
    bo_assert_ok(bo__store_exec(raw, sql));
}

static void drop_saved(void)
{
    bo_assert_ok(bo__store_exec(raw, "DROP TABLE bo_tamper_bak"));
}

/* The table differs from its saved copy (as a set of rows). */
static int changed(const ttable *t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT * FROM %s EXCEPT"
             " SELECT * FROM bo_tamper_bak) x", t->t->name);
    char *a = query1(sql);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM (SELECT * FROM bo_tamper_bak EXCEPT"
             " SELECT * FROM %s) x", t->t->name);
    char *b = query1(sql);
    int diff = (a && strcmp(a, "0")) || (b && strcmp(b, "0"));
    free(a);
    free(b);
    return diff;
}

/* Try the statements in order until one runs; 0 when one did. */
static int try_edit(const char *const *sql, int n)
{
    for (int i = 0; i < n; i++) {
        if (!sql[i][0])
            continue;
        if (bo__store_exec(raw, sql[i]) == 0)
            return 0;
    }
    return -1;
}

/* ---- the catalogue ----------------------------------------------------------- */

/* Tables whose rows another table's state reads through a join: an edit
 * there is named in that table (a version's state holds its content row). */
static const char *reads_through(const char *table)
{
    if (!strcmp(table, "doc_contents"))
        return "doc_versions";
    if (!strcmp(table, "account_lane_days")) /* a day's change: with account_days' */
        return "account_days";
    return NULL;
}

/* Rows a verification leaves alone by design (see src/core/verify_core.c). */
static int exempt(const char *table, const char *column, char lit[8][512])
{
    (void)column;
    return !strcmp(table, "bo_meta") && !strcmp(lit[0], "'generation'");
}

static int edits, detected, noops, unsampled;

/* On PostgreSQL each edit's verification is a few hundred round trips, so
 * the updates there are sampled: in each table one column drawn at random
 * is always edited, each other one with a chance of one in SAMPLE_PG, drawn
 * from a seed that changes every run (printed; BO_TEST_SEED replays it);
 * BO_TAMPER_EVERY_COLUMN=1 edits them all. SQLite, where the verification
 * code is the same, edits every column of every table in every run; the
 * deletes, inserts, renumberings and reorderings are made on every table
 * of every backend. */
#define SAMPLE_PG 3
static int sample_every = 1;
static uint64_t draws;

static uint64_t draw(void)
{
    uint64_t x = (draws += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void expect_found(const ttable *t, const char *what)
{
    bo_cursor *c = NULL;
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.max_findings = 1;
    bo_assert_ok(bo_audit_verify_list(book, &o, &c));
    int rc = bo_cursor_next(c);
    ck_assert_msg(rc == 0, "%s: %s: not detected", t->t->name, what);
    const char *table = bo_cursor_text(c, 1);
    const char *alias = reads_through(t->t->name);
    ck_assert_msg(!strcmp(table, t->t->name) || (alias && !strcmp(table, alias)),
                  "%s: %s: the first problem is in %s: %s: %s", t->t->name, what, table,
                  bo_cursor_text(c, 2), bo_cursor_text(c, 3));
    if (strcmp(table, "audit_log") != 0)
        ck_assert_msg(bo_cursor_text(c, 2)[0], "%s: %s: no record named", t->t->name, what);
    bo_cursor_free(c);
    edits++;
    detected++;
}

static void expect_clean(const char *after)
{
    int64_t bad = -1;
    int rc = bo_audit_verify_full(book, NULL, &bad);
    ck_assert_msg(rc == 0, "after %s: %s", after, bo_error_message());
}

/* A value that differs from column c's (an SQL expression): variants in
 * turn, for the CHECK constraints PostgreSQL keeps (an enumeration, a
 * range); 0 when there are no more. */
#define VARIANTS 8
static int changed_value(const col *c, int variant, char *out, size_t size)
{
    if (c->type == 'i') {
        static const char *const fmt[] = { "%s + 1", "%s - 1", "3 - %s", "%s + 2",
                                           "NULL", "0", NULL, NULL };
        if (!fmt[variant])
            return 0;
        char *p = strstr(fmt[variant], "%s");
        if (p)
            snprintf(out, size, "%.*s%s%s", (int)(p - fmt[variant]), fmt[variant], c->name,
                     p + 2);
        else
            snprintf(out, size, "%s", fmt[variant]);
    } else if (c->type == 'b') {
        if (variant)
            return 0;
        snprintf(out, size, "%s", is_pg ? "'\\x0102'::bytea" : "X'0102'");
    } else {
        static const char *const words[] = { NULL, "'x'", "NULL", "'date'", "'money'",
                                             "'files'", "'database'", "'text'" };
        if (!variant)
            snprintf(out, size, "COALESCE(%s, '') || 'x'", c->name);
        else
            snprintf(out, size, "%s", words[variant]);
    }
    return 1;
}

static void catalogue_table(const ttable *t)
{
    const char *name = t->t->name;
    char lit[8][512], lit2[8][512], where[2048], where2[2048], sql[16384];
    int64_t rows = count_rows(name);
    ck_assert_msg(rows >= 1, "the book has no row in table %s: the fixture must write one",
                  name);
    ck_assert(row_key(t, 0, lit));
    where_key(t, lit, where, sizeof where);
    save(t);

    /* update: each column that is not part of the key (or a sample, see
     * SAMPLE_PG) */
    int always = (int)(draw() % (uint64_t)t->ncols);
    for (int i = 0; i < t->ncols; i++) {
        int is_key = 0;
        for (int k = 0; k < t->nkey; k++)
            is_key |= t->key[k] == i;
        if (is_key || exempt(name, t->cols[i].name, lit))
            continue;
        if (sample_every > 1 && i != always && draw() % (uint64_t)sample_every != 0) {
            unsampled++;
            continue;
        }
        int done = -1;
        for (int variant = 0; variant < VARIANTS && done; variant++) {
            char value[256];
            if (!changed_value(&t->cols[i], variant, value, sizeof value))
                break;
            snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s WHERE %s", name,
                     t->cols[i].name, value, where);
            const char *one[] = { sql };
            done = try_edit(one, 1);
            if (!done && !changed(t)) {
                done = -1; /* the same value: try another */
                restore(t);
            }
        }
        char what[128];
        snprintf(what, sizeof what, "update of %s", t->cols[i].name);
        ck_assert_msg(!done, "%s: %s: no edit could be made: %s", name, what,
                      bo_error_message());
        expect_found(t, what);
        restore(t);
    }

    /* delete a row */
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s", name, where);
    bo_assert_ok(bo__store_exec(raw, sql));
    expect_found(t, "delete");
    restore(t);

    /* insert a fake row: a copy under a new key (texts changed too, so
     * UNIQUE columns take it; then numbers too) */
    {
        char sel[3][4096];
        for (int variant = 0; variant < 3; variant++) {
            int len = 0;
            for (int i = 0; i < t->ncols; i++) {
                const col *c = &t->cols[i];
                int is_key = 0;
                for (int k = 0; k < t->nkey; k++)
                    is_key |= t->key[k] == i && k == t->nkey - 1;
                char e[256];
                if (c->type == 'i' && (is_key || variant == 2))
                    snprintf(e, sizeof e, "%s + 1000000", c->name);
                else if (c->type == 't' && (is_key || variant >= 1))
                    snprintf(e, sizeof e, "%s || '~f'", c->name);
                else
                    snprintf(e, sizeof e, "%s", c->name);
                len += snprintf(sel[variant] + len, sizeof sel[0] - (size_t)len, "%s%s",
                                i ? ", " : "", e);
            }
        }
        /* the columns named: a table may have one the list leaves out (a
         * derived one with a default, as inv_layers.is_open) */
        char names[4096];
        int nlen = 0;
        for (int i = 0; i < t->ncols; i++)
            nlen += snprintf(names + nlen, sizeof names - (size_t)nlen, "%s%s", i ? ", " : "",
                             t->cols[i].name);
        char s0[12288], s1[12288], s2[12288];
        snprintf(s0, sizeof s0, "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s", name, names,
                 sel[0], name, where);
        snprintf(s1, sizeof s1, "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s", name, names,
                 sel[1], name, where);
        snprintf(s2, sizeof s2, "INSERT INTO %s (%s) SELECT %s FROM %s WHERE %s", name, names,
                 sel[2], name, where);
        const char *v[] = { s0, s1, s2 };
        ck_assert_msg(try_edit(v, 3) == 0, "%s: no fake row could be inserted: %s", name,
                      bo_error_message());
    }
    expect_found(t, "insert");
    restore(t);

    /* renumber: the row's last key column changed to an unused value */
    {
        const col *c = &t->cols[t->key[t->nkey - 1]];
        if (c->type == 'i')
            snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s + 1000000 WHERE %s", name,
                     c->name, c->name, where);
        else
            snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s || '~r' WHERE %s", name,
                     c->name, c->name, where);
        bo_assert_ok(bo__store_exec(raw, sql));
    }
    expect_found(t, "renumber");
    restore(t);

    /* reorder: two rows' keys swapped (through a third, unused key) */
    if (rows >= 2) {
        ck_assert(row_key(t, 1, lit2));
        where_key(t, lit2, where2, sizeof where2);
        char set1[2048] = "", set2[2048] = "", tmp[2048] = "", wtmp[2048] = "";
        int l1 = 0, l2 = 0, lt = 0, lw = 0;
        for (int k = 0; k < t->nkey; k++) {
            const col *c = &t->cols[t->key[k]];
            l1 += snprintf(set1 + l1, sizeof set1 - (size_t)l1, "%s%s = %s", k ? ", " : "",
                           c->name, lit2[k]);
            l2 += snprintf(set2 + l2, sizeof set2 - (size_t)l2, "%s%s = %s", k ? ", " : "",
                           c->name, lit[k]);
            const char *tv = c->type == 'i' ? "-987654321" : "'~swap~'";
            lt += snprintf(tmp + lt, sizeof tmp - (size_t)lt, "%s%s = %s", k ? ", " : "",
                           c->name, tv);
            lw += snprintf(wtmp + lw, sizeof wtmp - (size_t)lw, "%s%s = %s", k ? " AND " : "",
                           c->name, tv);
        }
        snprintf(sql, sizeof sql, "UPDATE %s SET %s WHERE %s; UPDATE %s SET %s WHERE %s;"
                 " UPDATE %s SET %s WHERE %s", name, tmp, where, name, set2, where2, name,
                 set1, wtmp);
        bo_assert_ok(bo__store_exec(raw, sql));
        if (changed(t)) {
            expect_found(t, "reorder");
        } else {
            /* The two rows were alike but for their keys: nothing changed. */
            printf("tamper catalogue: swapping two rows of %s changes nothing\n", name);
            noops++;
            edits++;
        }
        restore(t);
    }
    ck_assert_msg(!changed(t), "%s: not put back as it was", name);
    drop_saved();
}

START_TEST(trust_tamper_catalogue)
{
    shop();
    double t0 = seconds();
    expect_clean("building the book");
    raw_open();
    const char *every = getenv("BO_TAMPER_EVERY_COLUMN");
    if (is_pg && !(every && !strcmp(every, "1"))) {
        sample_every = SAMPLE_PG;
        draws = bo_test_seed("tamper catalogue");
    }
    const bo__table *bt;
    int ntables = 0;
    for (int i = 0; (bt = bo__schema_table(i)); i++) {
        /* A consumer's saved position is its own bookkeeping, outside the
         * chain by design (saving it writes no audit record, so consuming
         * does not feed itself): the verification checks only that none
         * is negative or past the feed's last position (check_feed in
         * src/core/verify_core.c), so edits of it cannot all be found. */
        if (!strcmp(bt->name, "feed_consumers"))
            continue;
        /* On SQLite (schema 22) feed_events is a view of audit_log (the
         * events from feed_log.first_seq on, at record + shift) and of
         * feed_kept: its edits are audit_log's, and feed_log's are
         * trust_verify_feed_log's. */
        if (!strcmp(bt->name, "feed_events") && !strcmp(bo_test_backend(), "sqlite"))
            continue;
        ttable t;
        split_cols(bt, &t);
        catalogue_table(&t);
        ntables++;
        /* Each table is put back as saved (checked above); the whole
         * verification says so after every table on SQLite, after every
         * eighth and the last on PostgreSQL. */
        if (!is_pg || ntables % 8 == 0)
            expect_clean(bt->name);
    }
    expect_clean("the last table");
    printf("tamper catalogue (%s): %d tables, %d edits, %d detected and named in "
           "their table, %d changed nothing, %d column updates left to other runs, "
           "%.1f s\n", bo_test_backend(), ntables, edits, detected, noops, unsampled,
           seconds() - t0);
    ck_assert_int_eq(detected + noops, edits);
    bo__store_release(raw);
    raw = NULL;
}
END_TEST


/* ---- the verification, case by case --------------------------------------- */

/* A small book: a chart, three entries, a stock item received twice. */
static void small_book(void)
{
    path = bo_test_path("verify");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    bo_test_chart(book);
    bo_test_post2(book, "2026-01-02", "1000", "4000", 1000);
    bo_test_post2(book, "2026-01-03", "1000", "4000", 2000);
    bo_test_post2(book, "2026-01-04", "1100", "4000", 3000);
    bo_assert_ok(bo_inventory_setting_set(book, "account.inventory", "1100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.grni", "2000"));
    bo_assert_ok(bo_inventory_location_add(book, "MAIN", "Main", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "MUG", "Mug", 0, BO_INVENTORY_FIFO, NULL));
    int64_t id;
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 10, .cost = 3000, .date = D("2026-01-05"), .key = "r1" }, &id));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 5, .cost = 1600, .date = D("2026-01-06"), .key = "r2" }, &id));
}

/* The seq of the audit record whose object is `object`. */
static int64_t record_of(const char *object)
{
    bo_cursor *c = NULL;
    int64_t seq = 0;
    bo_assert_ok(bo_audit_list(book, 1, &c));
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 4), object))
            seq = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    ck_assert_int_gt(seq, 0);
    return seq;
}

static void head(int64_t *seq, char hex[BO_HASH_HEX_SIZE])
{
    bo_assert_ok(bo_audit_head(book, seq, hex, BO_HASH_HEX_SIZE));
}

/* The full verification fails with exactly `want` (its first problem) and
 * names audit record bad; the check changes nothing. */
static void expect_corrupt(const char *want, int64_t bad)
{
    int64_t s0, s1, got = -1;
    char h0[BO_HASH_HEX_SIZE], h1[BO_HASH_HEX_SIZE];
    head(&s0, h0);
    bo_assert_err(bo_audit_verify_full(book, NULL, &got), BO_ECORRUPT);
    ck_assert_str_eq(bo_error_message(), want);
    ck_assert_int_eq(got, bad);
    head(&s1, h1);
    ck_assert_int_eq(s0, s1);
    ck_assert_str_eq(h0, h1);
}

START_TEST(trust_verify_names_altered_posting)
{
    small_book();
    int64_t rec = record_of("entry:2");
    /* Unbalanced by a cent: the chain alone still says intact. */
    bo_test_raw_sql(path, "UPDATE postings SET amount = amount + 1"
                          " WHERE entry_id = 2 AND line = 2");
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(book, &bad));
    ck_assert_int_eq(bad, 0);
    char want[160];
    snprintf(want, sizeof want, "postings: entry 2 line 2: amount differs from audit "
             "record %" PRId64, rec);
    expect_corrupt(want, rec);
    bo_test_raw_sql(path, "UPDATE postings SET amount = amount - 1"
                          " WHERE entry_id = 2 AND line = 2");
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(trust_verify_deleted_and_inserted_entries)
{
    small_book();
    int64_t rec = record_of("entry:3");
    /* A fake entry: a copy of entry 1 as entry 99, its postings too. */
    bo_test_raw_sql(path, "INSERT INTO entries (id, date, memo, idem_key, actor, digest)"
                          " SELECT 99, date, memo, NULL, actor, digest FROM entries"
                          " WHERE id = 1;"
                          " INSERT INTO postings SELECT 99, line, account_id, amount,"
                          " currency, memo, date, base_amount FROM postings"
                          " WHERE entry_id = 1");
    expect_corrupt("entries: entry 99: no audit record wrote it (inserted, or renumbered)",
                   0);
    bo_test_raw_sql(path, "DELETE FROM postings WHERE entry_id = 99;"
                          " DELETE FROM entries WHERE id = 99;"
                          " DELETE FROM postings WHERE entry_id = 3;"
                          " DELETE FROM entries WHERE id = 3");
    char want[160];
    snprintf(want, sizeof want, "entries: entry 3: missing (deleted or renumbered), "
             "recorded by audit record %" PRId64, rec);
    expect_corrupt(want, rec);
}
END_TEST

START_TEST(trust_verify_totals_stock_and_grants)
{
    small_book();
    bo_test_raw_sql(path, "UPDATE account_days SET total = total + 500"
                          " WHERE date = '2026-01-03'");
    bo_assert_err(bo_audit_verify_full(book, NULL, NULL), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "account_days: account "));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), " day 2026-01-03: the balance "
                                                     "differs from the sum of the postings"));
    bo_test_raw_sql(path, "UPDATE account_days SET total = total - 500"
                          " WHERE date = '2026-01-03';"
                          " UPDATE inv_stock SET on_hand = on_hand + 7");
    expect_corrupt("inv_stock: stock 1: on_hand differs from its movements", 0);
    bo_test_raw_sql(path, "UPDATE inv_stock SET on_hand = on_hand - 7;"
                          " INSERT INTO grants (actor, role) VALUES ('mallory', 'owner')");
    expect_corrupt("grants: grant \"mallory\": no audit record wrote it (inserted, or "
                   "renumbered)", 0);
    bo_test_raw_sql(path, "DELETE FROM grants WHERE actor = 'mallory'");
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* The end of the chain cut off with the changes it recorded: invisible from
 * inside the book, found against a head kept outside. */
START_TEST(trust_verify_anchor_finds_truncation)
{
    small_book();
    int64_t id = bo_test_post2(book, "2026-02-01", "5000", "2000", 700);
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    head(&seq, hex);
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.anchor_seq = seq;
    o.anchor_hash = hex;
    bo_assert_ok(bo_audit_verify_full(book, &o, NULL));
    char sql[512];
    snprintf(sql, sizeof sql, "DELETE FROM postings WHERE entry_id = %" PRId64 ";"
             " DELETE FROM entries WHERE id = %" PRId64 ";"
             " DELETE FROM account_days WHERE date = '2026-02-01';"
             " DELETE FROM audit_log WHERE seq = %" PRId64 ";"
             " DELETE FROM %s WHERE event_id = %" PRId64, id, id, seq,
             /* on SQLite (schema 22) the event goes with its record */
             strcmp(bo_test_backend(), "sqlite") ? "feed_events" : "feed_kept", seq);
    bo_test_raw_sql(path, sql);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    int64_t bad = -1;
    bo_assert_err(bo_audit_verify_full(book, &o, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, seq);
    char want[200];
    snprintf(want, sizeof want, "audit: record %" PRId64 " is missing: the chain ends at "
             "record %" PRId64 ", before the anchor kept outside the book (records were "
             "removed from its end)", seq, seq - 1);
    ck_assert_str_eq(bo_error_message(), want);
    /* An anchor of another chain. */
    o.anchor_seq = seq - 1;
    bo_assert_err(bo_audit_verify_full(book, &o, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "differs from the anchor"));
}
END_TEST

/* SQLite, schema 22: the feed read from audit_log. Raising the low-water
 * mark hides events newer than the retention; a second row of feed_log, or
 * none, and an event put into feed_kept that its record does not match are
 * found and named. */
START_TEST(trust_verify_feed_log)
{
    if (strcmp(bo_test_backend(), "sqlite"))
        return;
    small_book();
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    int64_t bad = -1;
    bo_test_raw_sql(path, "UPDATE feed_log SET first_seq = first_seq + 3");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "feed_log: event 1: audit record 1 is "
                                 "newer than the retention and has no event (deleted)"));
    bo_test_raw_sql(path, "UPDATE feed_log SET first_seq = first_seq - 3");
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    bo_test_raw_sql(path, "DELETE FROM feed_log");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "feed_log"));
    bo_test_raw_sql(path, "INSERT INTO feed_log (id, shift, first_seq) VALUES (1, 0, 1)");
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    bo_test_raw_sql(path, "INSERT INTO feed_kept (event_id, position, at, kind, object)"
                          " VALUES (1, 0, '2026-01-01T00:00:00.000Z', 'x', 'y')");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "feed_kept: event 1: its time, kind or "
                                 "object is not its audit record's"));
    bo_test_raw_sql(path, "DELETE FROM feed_kept");
    /* the shift: the positions no longer follow the last kept one */
    bo_test_raw_sql(path, "INSERT INTO feed_kept (event_id, position, at, kind, object)"
                          " SELECT seq, seq, at, action, object FROM audit_log WHERE seq = 1;"
                          " UPDATE feed_log SET first_seq = 2, shift = 5");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "feed_kept: positions: the positions "
                                 "given are not consecutive"));
    bo_test_raw_sql(path, "UPDATE feed_log SET shift = 0");
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(trust_verify_lists_every_problem)
{
    small_book();
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_verify_list(book, NULL, &c));
    ck_assert_int_eq(bo_cursor_column_count(c), 4);
    ck_assert_str_eq(bo_cursor_column_name(c, 1), "table");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_test_raw_sql(path, "UPDATE postings SET memo = 'x' WHERE entry_id = 1 AND line = 1;"
                          " UPDATE inv_items SET name = 'Cup';"
                          " UPDATE inv_moves SET qty = qty + 1 WHERE id = 2");
    bo_assert_ok(bo_audit_verify_list(book, NULL, &c));
    /* the movement's quantity no longer matches its stock row nor its
     * FIFO layer draws */
    const char *want[] = { "postings", "inv_items", "inv_moves", "inv_stock", "inv_draws" };
    int n = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_lt(n, 5);
        ck_assert_str_eq(bo_cursor_text(c, 1), want[n]);
        ck_assert(bo_cursor_text(c, 2)[0]);
        n++;
    }
    ck_assert_int_eq(n, 5);
    bo_cursor_free(c);
    bo_audit_verify_options o;
    bo_assert_ok(bo_audit_verify_options_init(&o, BO_AUDIT_VERIFY_OPTIONS_VERSION));
    o.max_findings = 2;
    bo_assert_ok(bo_audit_verify_list(book, &o, &c));
    for (n = 0; bo_cursor_next(c) == 0; n++)
        ;
    ck_assert_int_eq(n, 2);
    bo_cursor_free(c);
    /* The chain alone finds none of them. */
    o.mode = BO_AUDIT_VERIFY_CHAIN;
    bo_assert_ok(bo_audit_verify_list(book, &o, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
}
END_TEST

/* Records written by the store under a name and object of its choice, as a
 * book written by 0.2 holds them. */
struct old_record {
    const char *action, *object;
};

static int append_tx(bo_book *b, void *p)
{
    const struct old_record *r = p;
    return bo__audit_append(b, r->action, r->object, "");
}

/* A book whose chain holds the names and objects written before 0.3
 * ("inv.adjust" on "inv.move:2", "period.add" on a bare name) verifies: the
 * verifier reads each old name as its action (its domain's alias table), and
 * the old object spelling as the action's own. A name neither an action nor
 * an alias still fails, naming its record. */
START_TEST(trust_verify_reads_old_action_names)
{
    small_book();
    bo_assert_ok(bo_ledger_period_add(book, "2026-01", D("2026-01-01"), D("2026-01-31")));
    static const struct old_record old[] = {
        { "inv.adjust", "inv.move:2" },       /* 0.3: inventory.stock.adjust, move:2 */
        { "inv.reorder.set", "inv.stock:1" }, /* inventory.stock.reorder_set, stock:1 */
        { "period.add", "2026-01" },          /* ledger.period.add, period:2026-01 */
        { "account.close", "account:4000" },  /* ledger.account.close: same object */
    };
    for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
        bo_assert_ok(bo__write(book, append_tx, (void *)&old[i]));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    /* An old name with an object of neither spelling is refused when written,
     * and the refusal writes nothing. */
    int64_t s0, s1;
    char h0[BO_HASH_HEX_SIZE], h1[BO_HASH_HEX_SIZE];
    head(&s0, h0);
    struct old_record wrong = { "inv.adjust", "inv.sale:2" };
    bo_assert_err(bo__write(book, append_tx, &wrong), BO_ERROR);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "does not start with 'move:'"));
    head(&s1, h1);
    ck_assert_int_eq(s0, s1);
    ck_assert_str_eq(h0, h1);
    /* A name no domain declares, old or new: the verification names it. */
    struct old_record unknown = { "inv.teleport", "move:2" };
    bo_assert_ok(bo__write(book, append_tx, &unknown));
    head(&s1, h1);
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, s1);
    char want[160];
    snprintf(want, sizeof want, "audit_log: record %" PRId64 ": action \"inv.teleport\" is "
             "not known to the verification (what it changed cannot be checked)", s1);
    ck_assert_str_eq(bo_error_message(), want);
}
END_TEST

/* Bad options, NULLs and permissions (every backend: nothing raw here). */
START_TEST(trust_verify_arguments)
{
    book = bo_test_book("verify-args");
    bo_test_chart(book);
    bo_audit_verify_options o;
    bo_assert_err(bo_audit_verify_options_init(&o, 99), BO_EINVAL);
    bo_assert_err(bo_audit_verify_options_init(NULL, BO_AUDIT_VERIFY_OPTIONS_VERSION),
                  BO_EINVAL);
    bo_assert_ok(bo_audit_verify_options_init(&o, BO_AUDIT_VERIFY_OPTIONS_VERSION));
    ck_assert_int_eq(o.mode, BO_AUDIT_VERIFY_FULL);
    ck_assert_int_eq(o.max_findings, 100);
    int64_t bad = -1;
    bo_assert_err(bo_audit_verify_full(NULL, &o, &bad), BO_EINVAL);
    ck_assert_int_eq(bad, 0);
    o.mode = 7;
    bo_assert_err(bo_audit_verify_full(book, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "mode"));
    o.mode = BO_AUDIT_VERIFY_FULL;
    o.anchor_seq = -1;
    bo_assert_err(bo_audit_verify_full(book, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "anchor_seq"));
    o.anchor_seq = 1;
    o.anchor_hash = "xyz";
    bo_assert_err(bo_audit_verify_full(book, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "anchor_hash"));
    o.anchor_seq = 0;
    o.version = 2;
    bo_assert_err(bo_audit_verify_full(book, &o, NULL), BO_EINVAL);
    o.version = BO_AUDIT_VERIFY_OPTIONS_VERSION;
    o.max_findings = 0;
    bo_cursor *c = (bo_cursor *)&o;
    bo_assert_err(bo_audit_verify_list(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_findings"));
    bo_assert_err(bo_audit_verify_list(book, NULL, NULL), BO_EINVAL);
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    /* audit.read, as for the chain */
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read ledger.post"));
    bo_assert_ok(bo_role_grant(book, "bob", "clerk"));
    bo_assert_ok(bo_book_set_actor(book, "bob"));
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_EDENIED);
    bo_assert_err(bo_audit_verify_list(book, NULL, &c), BO_EDENIED);
    bo_assert_err(bo_audit_verify(book, &bad), BO_EDENIED);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    /* Inside a host's transaction, it reads what the transaction wrote. */
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-03-01", "1000", "4000", 5);
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_assert_ok(bo_book_commit(book));
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
}
END_TEST

/* A copy of the whole book is the same book: bo_book_copy() verifies it in
 * full, and so does this (a column read with the wrong type, as documents'
 * dates once were, fails here). */
START_TEST(trust_copy_verifies_every_table)
{
    shop();
    bo_book_free(book);
    book = NULL;
    char *to = bo_test_path("tamper-copy");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_copy(path, to, &o, NULL, NULL));
    bo_assert_ok(bo_book_open(&book, to, &o));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_document_get(book, 1, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "date")), "2026-01-10");
    bo_cursor_free(c);
    free(to);
}
END_TEST

/* The same book, rows in every table of every domain: the lossless export
 * round trip (export, import into a fresh store, export: the same bytes,
 * the same audit head, the import verifies in full). */
START_TEST(export_round_trip_every_table)
{
    shop();
    ck_assert_int_gt(bo_test_round_trip(book), 10000);
}
END_TEST

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
    path = NULL;
}

/* A command committed alone writes its last audit record once, at the
 * commit, with its transaction's states in it (src/core/audit.c, "held
 * record"); inside a transaction of the caller the record is in audit_log
 * for the reads there, and a rollback takes it away. */
START_TEST(trust_states_join_the_commands_record)
{
    small_book();
    int64_t id, s0, s1;
    char h0[BO_HASH_HEX_SIZE], h1[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 2, .cost = 600, .date = D("2026-01-07"), .key = "r3" }, &id));
    head(&s0, h0);
    ck_assert_int_eq(bo_test_raw_int(path, "SELECT COUNT(*) FROM audit_log WHERE seq ="
                                           " (SELECT MAX(seq) FROM audit_log) AND action"
                                           " <> 'audit.state' AND extra LIKE '%states%'"), 1);
    ck_assert_int_gt(bo_test_raw_int(path, "SELECT COUNT(*) FROM audit_states WHERE seq ="
                                           " (SELECT MAX(seq) FROM audit_log)"), 0);
    ck_assert_int_eq(bo_test_raw_int(path, "SELECT COUNT(*) FROM feed_events WHERE event_id ="
                                           " (SELECT MAX(seq) FROM audit_log)"), 1);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    /* What was committed has positions once the feed is read (on lanes of
     * the audit chain the sequencer gives them then, outside transactions). */
    int64_t committed = 0;
    bo_assert_ok(bo_feed_head(book, NULL, &committed));
    ck_assert_int_gt(committed, 0);

    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 1, .cost = 300, .date = D("2026-01-07"), .key = "r4" }, &id));
    bo_cursor *c = NULL;
    int events = 0;
    bo_assert_ok(bo_feed_read(book, 0, 1000, &c));
    while (bo_cursor_next(c) == 0)
        events++;
    bo_cursor_free(c);
    /* The read inside the writer's transaction sees every committed event;
     * where writers take turns its own as well, positioned inside it; on
     * lanes its own get positions after its commit (docs/architecture.md,
     * "The change feed"), so they are not read yet. */
    if (bo__store_has_lanes(book->store))
        ck_assert_int_eq(events, committed);
    else
        ck_assert_int_gt(events, committed);
    int64_t in_tx = 0;
    char h_in[BO_HASH_HEX_SIZE];
    head(&in_tx, h_in);
    ck_assert_int_gt(in_tx, s0); /* its records are in audit_log */
    bo_assert_ok(bo_book_rollback(book));
    head(&s1, h1);
    ck_assert_int_eq(s0, s1);
    ck_assert_str_eq(h0, h1);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));

    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 1, .cost = 300, .date = D("2026-01-07"), .key = "r4" }, &id));
    bo_test_post2(book, "2026-01-07", "1000", "4000", 100);
    bo_assert_ok(bo_book_commit(book));
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("tamper");
    TCase *tc = tcase_create("tamper");
    tcase_add_unchecked_fixture(tc, shop_name, shop_forget);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_set_tags(tc, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, trust_copy_verifies_every_table);
    tcase_add_test(tc, export_round_trip_every_table);
    tcase_add_test(tc, trust_tamper_catalogue);
    tcase_add_test(tc, trust_verify_names_altered_posting);
    tcase_add_test(tc, trust_verify_deleted_and_inserted_entries);
    tcase_add_test(tc, trust_verify_totals_stock_and_grants);
    tcase_add_test(tc, trust_verify_anchor_finds_truncation);
    tcase_add_test(tc, trust_verify_feed_log);
    tcase_add_test(tc, trust_verify_lists_every_problem);
    tcase_add_test(tc, trust_verify_reads_old_action_names);
    tcase_add_test(tc, trust_states_join_the_commands_record);
    suite_add_tcase(s, tc);
    TCase *args = tcase_create("arguments");
    tcase_add_checked_fixture(args, NULL, teardown);
    tcase_add_test(args, trust_verify_arguments);
    suite_add_tcase(s, args);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
