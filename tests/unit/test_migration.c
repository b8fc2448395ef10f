/*
 * A book written by release 0.1 (schema version 1: the ledger only) is
 * opened by this library: it is migrated to the current schema in one
 * transaction, and nothing committed before is lost or changed.
 *
 * tests/data/books/schema1.db was made with the 0.1 command-line program:
 *   init tests/cli/book.yaml; period-add 2026-01 2026-01-01 2026-01-31;
 *   post 2026-01-05 "Cash sale" --key r-1 1000=25.00 4000=-25.00;
 *   post 2026-01-06 "Supplies" 5000=7.50 2000=-7.50;
 *   post 2026-01-07 "Euro sale" 1300=10.00:EUR 4300=-10.00:EUR;
 *   reverse 2 --date 2026-01-08; period-close 2026-01;
 *   post 2026-02-02 "Online" 1100=12.34 4010=-12.34;
 *   role-define clerk ledger.read ledger.post; grant bob clerk
 * Its audit head was seq 24, hash 8426c3fc...7eea.
 *
 * tests/data/books/schema6.db was made with the 0.2.1 command-line program
 * (schema version 6), with a keyed record of every kind 0.2 kept keys for:
 *   init tests/cli/book.yaml; account-add 1200 Inventory asset, 2100 GRNI
 *   liability, 5100 COGS expense, 5200 Shrinkage expense, 1250 Receivables
 *   asset, 2110 2210 2220 liabilities, 5110 5210 expenses; the inventory
 *   settings of tests/cli/cli_inventory.sh; locations S1, WH (warehouse);
 *   item A; parties ACME (vendor), C1 (customer);
 *   inventory receive A WH 20 80.00 --date 2026-01-02 --key r1      (move 1)
 *   inventory transfer A WH S1 10 --date 2026-01-03 --key t1        (transfer 1)
 *   inventory issue A S1 1 --date 2026-01-04 --reason damaged --key i1 (move 4)
 *   inventory adjust A S1 -1 --date 2026-01-04 --reason lost --key a1  (move 5)
 *   inventory hold A S1 2 --expires 2099-01-01T00:00:00 --key h1    (hold 1)
 *   inventory sell --date 2026-01-05 --key till-1 A@S1=3x5.00 pay:cash=15.00
 *   inventory return 1 1 1 --date 2026-01-06 --method cash --key ret-1
 *   inventory po-add PO-1 ACME; po-line 1 A WH 10 3.00 --expected 2026-01-08
 *   inventory po-receive 1 1 4 --date 2026-01-08 --key grn-1        (move 8)
 *   inventory landed-cost 1 2.00 2000 --date 2026-01-09 --key fr-1  (entry 7)
 *   post --date 2026-01-10 --memo Owner --key e-1 1000=50.00 3000=-50.00
 *   billing setting receivable_account 1250; payable_account 2000
 *   billing invoice C1 4000 100.00 --date 2026-01-11 --key inv-1
 *   billing pay C1 100.00 1100 --invoice 1 --key pay-1 --date 2026-01-12
 *   payroll pack-load (data/payroll/generic.yaml with accounts 2110, 5110,
 *   5210); employee-add E1; terms-set E1 salary 2500.00; hours E1
 *   2024-01-05 regular 7.5; run-create run-1 generic --from 2024-01-01
 *   --to 2024-01-31
 * Its audit head was seq 69, hash 439a3b11...5877.
 *
 * tests/data/books/schema11.db was made by this library at schema version 11
 * (before the domains' settings moved into one table), with the public
 * calls: accounts 1000 1200 1400 2100 5000 6900; inventory settings
 * account.inventory 1400, account.cogs 5000, payment.cash 1000, payment.card
 * 1200 then removed; billing settings receivable_account 1200,
 * payable_account 2100, write_off_account 6900, write_off_limit 5.00; the
 * documents' version limit 4096, open fields of type contract, store
 * database. Actor "owner"; its audit head was seq 19, hash 5a0aa38a...9fa0.
 */
#include "testutil.h"
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char src_path[4096];
static char *path;

/* Copy tests/data/books/NAME to a scratch file (path). */
static void copy_book(const char *name)
{
    const char *f = __FILE__, *suffix = "unit/test_migration.c";
    size_t n = strlen(f), s = strlen(suffix);
    ck_assert(n > s && strcmp(f + n - s, suffix) == 0);
    snprintf(src_path, sizeof src_path, "%.*sdata/books/%s", (int)(n - s), f, name);
    free(path);
    path = bo_test_file("migration.db");
    FILE *in = fopen(src_path, "rb"), *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, got, out), got);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

static void setup(void)
{
    copy_book("schema1.db");
}

static void setup6(void)
{
    copy_book("schema6.db");
}

static void teardown(void)
{
    free(path);
    path = NULL;
}

/* tests/data/books/schema6-demo.db: the shop of release 0.2.1's demo (every
 * domain: ledger, inventory, billing, payroll, documents), made with
 * "examples/demo schema6-demo.db" and vacuumed. Its audit head was seq 317,
 * hash dce3684e...e922. */
static void setup6_demo(void)
{
    copy_book("schema6-demo.db");
}

static void setup11(void)
{
    copy_book("schema11.db");
}

static void raw(const char *sql)
{
    bo_test_raw_sql(path, sql);
}

static bo_book *open_as(const char *actor)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static bo_date ymd(int y, int m, int d)
{
    bo_date out;
    bo_assert_ok(bo_date_from_ymd(y, m, d, &out));
    return out;
}

static int64_t balance(bo_book *b, const char *account, const char *currency)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(b, account, BO_DATE_MAX, currency, &v));
    return v;
}

START_TEST(test_migrated_without_loss)
{
    bo_book *b = open_as("admin");
    /* The ledger as it was. */
    ck_assert_int_eq(balance(b, "1000", NULL), 2500);
    ck_assert_int_eq(balance(b, "1100", NULL), 1234);
    ck_assert_int_eq(balance(b, "1300", "EUR"), 1000);
    ck_assert_int_eq(balance(b, "5000", NULL), 0); /* posted, then reversed */
    ck_assert_int_eq(balance(b, "4000", NULL), -2500 - 1234); /* with 4010 */
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    /* The chain as it was, and one record more: the upgrade to schema 10
     * recorded the state of every record as found ("audit.upgrade"). */
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_eq(seq, 25);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_list(b, 24, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), 24);
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "hash")),
                     "8426c3fc77908e8692825fb825c92749f901c5314f91becdb7315a01f34a7eea");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "action")), "audit.upgrade");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* From here on the chain covers the tables too. */
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    /* Its rules still hold: the closed period, the idempotency key, the
     * reversal done once, the grants. */
    bo_entry *e;
    int64_t id = 0;
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 1, 5), "Cash sale"));
    bo_assert_ok(bo_entry_add(e, "1000", 2500, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -2500, NULL, NULL));
    bo_assert_ok(bo_entry_set_key(e, "r-1"));
    bo_assert_ok(bo_ledger_post(b, e, &id)); /* a replay, answered */
    ck_assert_int_eq(id, 1);
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 1, 20), "late"));
    bo_assert_ok(bo_entry_add(e, "1000", 100, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -100, NULL, NULL));
    bo_assert_err(bo_ledger_post(b, e, &id), BO_EPERIOD);
    bo_entry_free(e);
    bo_assert_err(bo_ledger_reverse(b, 2, ymd(2026, 2, 3), NULL, &id),
                  BO_EEXISTS);
    bo_book_free(b);
    b = open_as("bob");
    ck_assert_int_eq(bo_actor_can(b, "ledger.post"), 1);
    ck_assert_int_eq(bo_actor_can(b, "tax.admin"), 0);
    bo_book_free(b);
}
END_TEST

/* The new parts work on the migrated book, and a second open does not
 * migrate again. */
START_TEST(test_new_parts_usable)
{
    bo_book *b = open_as("admin");
    bo_assert_ok(bo_tax_rate_add(b, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "ST",
            .name = "State tax", .rate_ppm = 62500, .sales_account = "2000" }));
    bo_assert_ok(bo_tax_category_add(b, "standard", "Standard", "ST"));
    bo_assert_ok(bo_party_add(b, "ACME", "Acme", BO_PARTY_VENDOR, NULL));
    bo_book_free(b);
    b = open_as("admin");
    int64_t net, tax;
    bo_assert_ok(bo_tax_compute(b, "standard", 1000, 0, &net, &tax));
    ck_assert_int_eq(tax, 63);
    /* Tables a migration from version 1 created are made with the key
     * columns schema 8 adds to older books' tables. */
    bo_assert_ok(bo_inventory_location_add(b, "S1", "Store", "store", 0));
    bo_inventory_count_options co = BO_INVENTORY_COUNT_OPTIONS_INIT;
    co.key = "count-1";
    int64_t count = 0, again = 0;
    bo_assert_ok(bo_inventory_count_start(b, "S1", ymd(2026, 2, 3), &co, &count));
    bo_assert_ok(bo_inventory_count_start(b, "S1", ymd(2026, 2, 3), &co, &again));
    ck_assert_int_eq(count, again);
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ann", ymd(2026, 1, 1)));
    bo_payroll_time_options to = BO_PAYROLL_TIME_OPTIONS_INIT;
    to.key = "hours-1";
    bo_assert_ok(bo_payroll_hours_add(b, "E1", ymd(2026, 2, 2), "regular", 60, &to, &count));
    bo_assert_ok(bo_payroll_hours_add(b, "E1", ymd(2026, 2, 2), "regular", 60, &to, &again));
    ck_assert_int_eq(count, again);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST

static int64_t stock(bo_book *b, const char *sku, const char *loc)
{
    int64_t v = -1;
    bo_assert_ok(bo_inventory_stock(b, sku, loc, &v));
    return v;
}

static int64_t audit_seq(bo_book *b)
{
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    return seq;
}

/* A 0.2 book (schema 6) migrates to the keyed schema without loss; every
 * key it recorded still answers its replay with the original id. Rows of
 * tables that kept no digest in 0.2 (movements, transfers, holds, returns,
 * landed costs, pay runs) answer a replay whatever its content: they are
 * taken as conflict-free. Tables that kept one (sales, payments, invoices,
 * entries) still refuse other content. The new keys work. */
START_TEST(trust_keys_migrated_book)
{
    bo_book *b = open_as("admin");
    ck_assert_int_eq(stock(b, "A", "S1"), 6);
    ck_assert_int_eq(stock(b, "A", "WH"), 14);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    int64_t seq0 = audit_seq(b), id = 0;
    /* Its 69 records, and the upgrade's record of every record's state
     * (audit.upgrade). */
    ck_assert_int_eq(seq0, 70);

    bo_assert_ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "WH",
            .qty = 20, .cost = 8000, .date = ymd(2026, 1, 2), .key = "r1" }, &id));
    ck_assert_int_eq(id, 1);
    bo_assert_ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "WH",
            .qty = 20, .cost = 9999, .date = ymd(2026, 1, 2), .key = "r1" }, &id));
    ck_assert_int_eq(id, 1); /* a legacy row: conflict-free */
    bo_assert_ok(bo_inventory_transfer(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "WH",
            .to = "S1", .qty = 10, .date = ymd(2026, 1, 3), .key = "t1" }, &id));
    ck_assert_int_eq(id, 1);
    bo_assert_ok(bo_inventory_issue(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 1,
            .date = ymd(2026, 1, 4), .reason = "damaged", .key = "i1" }, &id));
    ck_assert_int_eq(id, 4);
    bo_assert_ok(bo_inventory_adjust(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = -1, .cost = -1, .date = ymd(2026, 1, 4), .reason = "lost", .key = "a1" }, &id));
    ck_assert_int_eq(id, 5);
    bo_assert_ok(bo_inventory_hold(b, "A", "S1", 2, "2099-01-01T00:00:00", "h1", &id));
    ck_assert_int_eq(id, 1);
    bo_assert_ok(bo_inventory_return(b, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = 1, .line = 1,
            .qty = 1, .date = ymd(2026, 1, 6), .method = "cash", .key = "ret-1" }, &id));
    ck_assert_int_eq(id, 1);
    bo_assert_ok(bo_inventory_po_receive(b, 1, 1, 4, ymd(2026, 1, 8), "grn-1", &id));
    ck_assert_int_eq(id, 8);
    bo_assert_ok(bo_inventory_landed_cost(b, 1, 200, "2000", ymd(2026, 1, 9), "fr-1", &id));
    ck_assert_int_eq(id, 7);
    bo_assert_ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-1", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = ymd(2024, 1, 1),
            .period_end = ymd(2024, 1, 31), .pay_date = ymd(2024, 1, 31) }, &id));
    ck_assert_int_eq(id, 1);

    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, ymd(2026, 1, 5), NULL));
    bo_assert_ok(bo_sale_set_key(s, "till-1"));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 3, 500, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 1500));
    bo_assert_ok(bo_inventory_sale_post(b, s, &id));
    ck_assert_int_eq(id, 1);
    bo_sale_free(s);
    bo_assert_ok(bo_sale_new(&s, ymd(2026, 1, 5), NULL));
    bo_assert_ok(bo_sale_set_key(s, "till-1"));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 2, 500, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 1500));
    bo_assert_err(bo_inventory_sale_post(b, s, &id), BO_EKEYREUSE);
    bo_sale_free(s);
    bo_invoice *v;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", ymd(2026, 1, 11), NULL));
    bo_assert_ok(bo_invoice_set_key(v, "inv-1"));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = BO_BILLING_QTY_SCALE, .unit_price = 10000 }));
    bo_assert_ok(bo_billing_invoice_save(b, v, &id));
    ck_assert_int_eq(id, 1);
    bo_invoice_free(v);
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = ymd(2026, 1, 12), .amount = 10000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "pay-1"));
    bo_assert_ok(bo_payment_allocate(p, 1, 10000, 0));
    bo_assert_ok(bo_billing_payment_post(b, p, &id));
    ck_assert_int_eq(id, 1);
    bo_payment_free(p);
    ck_assert_int_eq(audit_seq(b), seq0); /* replays record nothing */
    ck_assert_int_eq(stock(b, "A", "S1"), 6);
    ck_assert_int_eq(stock(b, "A", "WH"), 14);

    /* The keys schema 8 added. */
    bo_inventory_shipment_options so = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    so.key = "ship-1";
    int64_t ship = 0, again = 0;
    bo_assert_ok(bo_inventory_shipment_add(b, 1, "DHL", NULL, NULL, &so, &ship));
    bo_assert_ok(bo_inventory_shipment_add(b, 1, "DHL", NULL, NULL, &so, &again));
    ck_assert_int_eq(ship, again);
    bo_inventory_count_options co = BO_INVENTORY_COUNT_OPTIONS_INIT;
    co.key = "count-1";
    bo_assert_ok(bo_inventory_count_start(b, "S1", ymd(2026, 1, 13), &co, &id));
    bo_assert_ok(bo_inventory_count_set(b, id, "A", 6));
    co.key = "count-1-post";
    bo_assert_ok(bo_inventory_count_post(b, id, &co));
    bo_payroll_time_options to = BO_PAYROLL_TIME_OPTIONS_INIT;
    to.key = "clock-1";
    bo_assert_ok(bo_payroll_clock(b, "E1", ymd(2024, 1, 8), "08:00", "16:00", &to, &id));
    ck_assert_int_gt(id, 1);
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    /* The legacy rows and the keyed ones written since, table by table. */
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST


/* The one integer an SQL query on the book's file answers. */
static int64_t raw_count(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A listing of (key, value) rows as "k=v;k=v;". */
static void pairs(bo_cursor *c, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n += (size_t)snprintf(out + n, size - n, "%s=%s;", bo_cursor_text(c, 0),
                              bo_cursor_text(c, 1));
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
}

/* The first finding of a full verification: "table|record|problem". */
static void first_finding(bo_book *b, char *out, size_t size)
{
    bo_cursor *c = NULL;
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.max_findings = 1;
    bo_assert_ok(bo_audit_verify_list(b, &o, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    snprintf(out, size, "%s|%s|%s", bo_cursor_text(c, 1), bo_cursor_text(c, 2),
             bo_cursor_text(c, 3));
    bo_cursor_free(c);
}

/* Issue 14, item 5: the three settings tables of inventory, billing and
 * documents are one table keyed "<domain>.<key>" (schema 12). A book of
 * schema 11 keeps its settings through the upgrade, the states the chain
 * recorded for them are carried over (an edit made before the upgrade is
 * still found), and a setting edited afterwards is named by its full key. */
START_TEST(platform_one_settings_table)
{
    char got[1024];
    bo_book *b = open_as("owner");
    /* Readable as before, through the same calls. */
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_settings(b, &c));
    pairs(c, got, sizeof got);
    ck_assert_str_eq(got, "account.cogs=5000;account.inventory=1400;payment.cash=1000;");
    bo_assert_ok(bo_billing_settings(b, &c));
    pairs(c, got, sizeof got);
    ck_assert_str_eq(got, "payable_account=2100;receivable_account=1200;"
                     "write_off_account=6900;write_off_limit=5.00;");
    int64_t limit = 0;
    bo_assert_ok(bo_document_version_limit(b, &limit));
    ck_assert_int_eq(limit, 4096);
    bo_assert_ok(bo_document_types(b, &c));
    int open = -1;
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 0), "contract"))
            open = (int)bo_cursor_int(c, bo_cursor_column_index(c, "open_fields"));
    bo_cursor_free(c);
    ck_assert_int_eq(open, 1);
    /* One record of the upgrade holds the states carried over, and the
     * whole book verifies. */
    int64_t seq = 0, bad = -1;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_eq(seq, 20);
    bo_assert_ok(bo_audit_list(b, 20, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "action")), "audit.upgrade");
    bo_cursor_free(c);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    /* One table, the former ones gone. */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM settings"), 10);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM settings WHERE key IN"
                                       " ('inventory.account.cogs', 'billing.write_off_limit',"
                                       " 'documents.max_version_bytes',"
                                       " 'documents.open_fields:contract')"), 4);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name"
                                       " IN ('inv_settings', 'bill_settings', 'doc_settings')"),
                     0);

    /* A domain's settings round-trip through the one table. */
    b = open_as("owner");
    bo_assert_ok(bo_billing_setting_set(b, "write_off_limit", "7.50"));
    bo_assert_ok(bo_inventory_setting_set(b, "payment.card", "1200"));
    bo_assert_ok(bo_inventory_setting_set(b, "payment.cash", NULL));
    bo_assert_ok(bo_document_set_version_limit(b, 8192));
    bo_assert_ok(bo_inventory_settings(b, &c));
    pairs(c, got, sizeof got);
    ck_assert_str_eq(got, "account.cogs=5000;account.inventory=1400;payment.card=1200;");
    bo_assert_ok(bo_document_version_limit(b, &limit));
    ck_assert_int_eq(limit, 8192);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM settings WHERE"
                                       " key = 'billing.write_off_limit' AND value = '7.50'"),
                     1);
    /* The same errors as before. */
    bo_assert_err(bo_billing_setting_set(b, "colour", "red"), BO_EINVAL);
    ck_assert_str_eq(bo_error_message(), "key: unknown billing setting");
    bo_assert_err(bo_inventory_setting_set(b, "colour", "red"), BO_EINVAL);
    ck_assert_str_eq(bo_error_message(), "key: '\"colour\"' is not an inventory setting");
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);

    /* Tampering a setting is found and named by its full key. */
    raw("UPDATE settings SET value = '1000' WHERE key = 'inventory.account.cogs'");
    first_finding(b, got, sizeof got);
    ck_assert_str_eq(got, "settings|setting \"inventory.account.cogs\"|rows differ (altered, "
                     "inserted or deleted): not the state recorded by audit record 20");
    raw("UPDATE settings SET value = '5000' WHERE key = 'inventory.account.cogs';"
        " DELETE FROM settings WHERE key = 'documents.max_version_bytes'");
    first_finding(b, got, sizeof got);
    ck_assert_str_eq(got, "settings|setting \"documents.max_version_bytes\"|missing: deleted "
                     "or renumbered (its state was recorded by audit record 24)");
    bo_book_free(b);

    /* Edits made before the upgrade are still found after it: the states
     * were carried over, not recorded as found. */
    copy_book("schema11.db");
    raw("UPDATE inv_settings SET value = '1000' WHERE key = 'account.cogs';"
        " UPDATE doc_settings SET value = '999' WHERE key = 'max_version_bytes'");
    b = open_as("owner");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 20); /* the upgrade's record, which carried the state */
    first_finding(b, got, sizeof got);
    ck_assert_str_eq(got, "settings|setting \"documents.max_version_bytes\"|rows differ "
                     "(altered, inserted or deleted): not the state recorded by audit "
                     "record 20");
    /* The inventory setting (one record per key) is named alone. */
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    bo_assert_ok(bo_audit_verify_list(b, &o, &c));
    int cogs = 0, others = 0;
    while (bo_cursor_next(c) == 0) {
        const char *rec = bo_cursor_text(c, 2);
        if (!strcmp(rec, "setting \"inventory.account.cogs\""))
            cogs++;
        else if (strncmp(rec, "setting \"documents.", 19) != 0)
            others++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(cogs, 1);
    ck_assert_int_eq(others, 0);
    bo_book_free(b);
}
END_TEST

/* A book of release 0.2 is covered from its upgrade on: the state of every
 * record, recorded in one audit record, and then any edit is found. */
START_TEST(trust_upgrade_covers_every_table)
{
    bo_book *b = open_as("admin");
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_eq(seq, 318);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_list(b, 317, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "hash")),
                     "dce3684edd63fb6807947b15a3d9170f014b4098cc23a8f383fb8c5ecfdde922");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "action")), "audit.upgrade");
    bo_cursor_free(c);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    raw("UPDATE inv_sale_lines SET qty = qty + 1 WHERE sale_id = 1 AND line = 1");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 318);
    ck_assert_str_eq(bo_error_message(), "inv_sale_lines: sale 1: rows differ (altered, "
                     "inserted or deleted): not the state recorded by audit record 318");
    raw("UPDATE inv_sale_lines SET qty = qty - 1 WHERE sale_id = 1 AND line = 1;"
        " UPDATE postings SET memo = 'x' WHERE entry_id = 83 AND line = 1");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "postings: entry 83 line 1: memo "
                                                     "differs from audit record "));
    raw("UPDATE postings SET memo = NULL WHERE entry_id = 83 AND line = 1");
    bo_book_free(b);
}
END_TEST

/* ---- the tax lines of a 0.2.1 book (issue 13, "Figures") --------------- */

/* The movement of the tax accounts (those the tax rates name) from..to, in
 * the book currency, debit-positive. */
static int64_t tax_accounts_movement(bo_book *b, bo_date from, bo_date to)
{
    bo_cursor *c;
    char seen[16][BO_CODE_MAX + 1];
    int n = 0;
    int64_t m = 0;
    bo_assert_ok(bo_tax_rates(b, &c));
    while (bo_cursor_next(c) == 0)
        for (int k = 3; k <= 4; k++) {
            const char *a = bo_cursor_text(c, k);
            int dup = 0;
            for (int i = 0; i < n; i++)
                dup |= !strcmp(seen[i], a);
            if (dup || n == 16)
                continue;
            snprintf(seen[n++], sizeof seen[0], "%s", a);
            int64_t end = 0, start = 0;
            bo_assert_ok(bo_ledger_balance(b, a, to, NULL, &end));
            bo_assert_ok(bo_ledger_balance(b, a, from - 1, NULL, &start));
            m += end - start;
        }
    bo_cursor_free(c);
    return m;
}

/* What the documents of 0.2.1 say the tax of rate `rate` was from..to
 * (ISO dates), in the book currency, by side: posted invoices and credit
 * notes (sales), bills and their credit notes (purchases), till sales, and
 * returns of lines taxed at that rate alone. Read from the documents'
 * tables with raw SQL, not from the tax lines. */
static int64_t documents_tax(const char *rate, int sales, const char *from, const char *to)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT COALESCE((SELECT SUM(CASE WHEN i.kind IN (1, 2) THEN t.amount"
             "  ELSE -t.amount END) FROM bill_invoice_taxes t"
             "  JOIN bill_invoices i ON i.id = t.invoice_id WHERE i.entry_id IS NOT NULL"
             "  AND i.currency = (SELECT value FROM bo_meta WHERE key = 'base_currency')"
             "  AND i.kind IN (%s) AND t.rate = '%s' AND i.post_date BETWEEN '%s' AND '%s'),"
             " 0)",
             sales ? "1, 3" : "2, 4", rate, from, to);
    int64_t v = bo_test_raw_int(path, sql);
    if (!sales)
        return v;
    snprintf(sql, sizeof sql,
             "SELECT COALESCE((SELECT SUM(t.amount) FROM inv_sale_taxes t"
             "  JOIN inv_sales s ON s.id = t.sale_id WHERE s.entry_id IS NOT NULL"
             "  AND t.rate = '%s' AND s.date BETWEEN '%s' AND '%s'), 0)"
             " - COALESCE((SELECT SUM(r.tax) FROM inv_returns r JOIN inv_sale_taxes t"
             "  ON t.sale_id = r.sale_id AND t.line = r.line WHERE r.entry_id IS NOT NULL"
             "  AND t.rate = '%s' AND r.date BETWEEN '%s' AND '%s'"
             "  AND (SELECT COUNT(*) FROM inv_sale_taxes x WHERE x.sale_id = r.sale_id"
             "   AND x.line = r.line) = 1), 0)",
             rate, from, to, rate, from, to);
    return v + bo_test_raw_int(path, sql);
}

/* Documents whose tax the tax lines the upgrade filled in do not explain:
 * their sum per source is not the document's tax (signed as the report
 * shows it). */
static const char SQL_UNEXPLAINED[] =
    "SELECT (SELECT COUNT(*) FROM bill_invoices i WHERE i.entry_id IS NOT NULL"
    "  AND EXISTS (SELECT 1 FROM bill_invoice_taxes t WHERE t.invoice_id = i.id)"
    "  AND COALESCE((SELECT SUM(l.amount) FROM tax_lines l WHERE l.entry_id = i.entry_id"
    "   AND l.source = 'invoice:' || i.id), 0)"
    "  <> (CASE WHEN i.kind IN (1, 2) THEN 1 ELSE -1 END)"
    "   * (SELECT SUM(t.amount) FROM bill_invoice_taxes t WHERE t.invoice_id = i.id))"
    " + (SELECT COUNT(*) FROM inv_sales s WHERE s.entry_id IS NOT NULL"
    "  AND EXISTS (SELECT 1 FROM inv_sale_taxes t WHERE t.sale_id = s.id)"
    "  AND COALESCE((SELECT SUM(l.amount) FROM tax_lines l WHERE l.entry_id = s.entry_id"
    "   AND l.source = 'inv.sale:' || s.id), 0)"
    "  <> (SELECT SUM(t.amount) FROM inv_sale_taxes t WHERE t.sale_id = s.id))"
    " + (SELECT COUNT(*) FROM inv_returns r WHERE r.entry_id IS NOT NULL AND r.tax <> 0"
    "  AND COALESCE((SELECT SUM(l.amount) FROM tax_lines l WHERE l.entry_id = r.entry_id"
    "   AND l.source = 'inv.return:' || r.id), 0) <> -r.tax)";

/* Open the 0.2.1 book `name` and check the tax lines its upgrade filled in;
 * returns how many tax lines it holds. */
static int64_t tax_lines_of(const char *name)
{
    copy_book(name);
    bo_book *b = open_as("admin");
    /* Every taxed document is explained by its lines, to the minor unit. */
    ck_assert_int_eq(bo_test_raw_int(path, SQL_UNEXPLAINED), 0);
    /* Month by month, the report equals the movement of the tax accounts,
     * leaves nothing to "other", and each rate's tax is what the
     * documents say. */
    for (int m = 1; m <= 12; m++) {
        bo_date from = ymd(2026, m, 1), to = (m == 12 ? ymd(2027, 1, 1) : ymd(2026, m + 1, 1)) - 1;
        char f[11], t[11];
        bo_assert_ok(bo_date_format(from, f, sizeof f));
        bo_assert_ok(bo_date_format(to, t, sizeof t));
        bo_cursor *c;
        int64_t movement = 0, other = 0;
        bo_assert_ok(bo_billing_tax_report(b, from, to, &c));
        while (bo_cursor_next(c) == 0) {
            movement += bo_cursor_int(c, 7) - bo_cursor_int(c, 6) + bo_cursor_int(c, 8);
            other += bo_cursor_int(c, 8);
            if (bo_cursor_type(c, 0) == BO_TYPE_NULL)
                continue;
            /* (The books' taxed documents are all in dollars.) */
            ck_assert_str_eq(bo_cursor_text(c, 1), "USD");
            const char *rate = bo_cursor_text(c, 0);
            ck_assert_msg(bo_cursor_int(c, 6) == documents_tax(rate, 1, f, t),
                          "%s %s: sales tax %lld, the documents say %lld", name, f,
                          (long long)bo_cursor_int(c, 6),
                          (long long)documents_tax(rate, 1, f, t));
            ck_assert_int_eq(bo_cursor_int(c, 7), documents_tax(rate, 0, f, t));
        }
        bo_cursor_free(c);
        ck_assert_int_eq(movement, tax_accounts_movement(b, from, to));
        ck_assert_int_eq(other, 0);
    }
    /* The lines are covered by the audit chain from the upgrade on. */
    int64_t bad = -1, lines = bo_test_raw_int(path, "SELECT COUNT(*) FROM tax_lines");
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    if (lines) {
        raw("UPDATE tax_lines SET amount = amount + 1"
            " WHERE entry_id = (SELECT MIN(entry_id) FROM tax_lines) AND seq = 1");
        bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "tax_lines: entry-tax "));
        raw("UPDATE tax_lines SET amount = amount - 1"
            " WHERE entry_id = (SELECT MIN(entry_id) FROM tax_lines) AND seq = 1");
        bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    }
    bo_book_free(b);
    return lines;
}

/* Tax lines are filled in for books made before them (schema 6, release
 * 0.2.1), from what their documents kept, and read as the documents say:
 * the demo shop (invoices, till sales, a return) and a keyed book with an
 * untaxed invoice, sale and return. */
START_TEST(figures_tax_lines_of_older_books)
{
    /* An invoice, two sales and a return of the demo: one line each. */
    ck_assert_int_eq(tax_lines_of("schema6-demo.db"), 4);
    ck_assert_int_eq(tax_lines_of("schema6.db"), 0);
}
END_TEST

/* Issue 14 "Platform", item 6: a 0.2 book never searched (its full-text
 * index dropped: 0.2 made it on the first search) gets the index from the
 * migration to schema 11, filled from the text already there, and its
 * built-in document types; both are covered by the upgrade's record, and
 * the first search writes nothing. */
START_TEST(platform_fts_made_by_migration)
{
    raw("DROP TRIGGER doc_text_ai; DROP TRIGGER doc_text_ad; DROP TRIGGER doc_text_au;"
        " DROP TABLE doc_fts");
    bo_book *b = open_as("admin");
    int64_t bad = -1, seq = audit_seq(b);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_document_query *q = NULL;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_text(q, "wholesale"));
    int64_t n = 0;
    bo_assert_ok(bo_document_count(b, q, &n));
    ck_assert_int_eq(n, 2);
    bo_document_query_free(q);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_document_types(b, &c));
    int types = 0;
    while (bo_cursor_next(c) == 0)
        types++;
    bo_cursor_free(c);
    ck_assert_int_eq(types, 7); /* the six built-in ones and the shop's own */
    ck_assert_int_eq(audit_seq(b), seq);
    bo_book_free(b);
}
END_TEST

/* A keyed 0.2 book that never used documents has no document types (0.2
 * made them on first use): the upgrade seeds the built-in ones, covered by
 * its record; listing them writes nothing. */
START_TEST(platform_doc_types_seeded_by_migration)
{
    bo_book *b = open_as("admin");
    int64_t bad = -1, seq = audit_seq(b);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_document_types(b, &c));
    static const char *const names[] = { "application_form", "contract",
                                         "financial_report", "invoice", "other",
                                         "receipt" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 0), names[i]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(audit_seq(b), seq);
    bo_book_free(b);
}
END_TEST

/* The schema of the SQLite book at file as text: every table, index,
 * trigger and view by name, each table's columns in order (name, type,
 * not null, default, key position) and each index's columns and
 * uniqueness. (The CREATE texts differ: an added column is appended to
 * the text by ALTER TABLE.) */
static char *schema_of(const char *file)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_str *out = sqlite3_str_new(db);
    sqlite3_stmt *objs = NULL, *cols = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT type, name, tbl_name FROM sqlite_master"
                                        " ORDER BY type, name", -1, &objs, NULL), SQLITE_OK);
    while (sqlite3_step(objs) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(objs, 0);
        const char *name = (const char *)sqlite3_column_text(objs, 1);
        sqlite3_str_appendf(out, "%s %s on %s\n", type, name, sqlite3_column_text(objs, 2));
        const char *q = !strcmp(type, "table") ? "SELECT name, type, \"notnull\","
                        " COALESCE(dflt_value, ''), pk FROM pragma_table_xinfo(?)"
                      : !strcmp(type, "index") ? "SELECT name, coll, \"desc\", key, ''"
                        " FROM pragma_index_xinfo(?) UNION ALL SELECT 'unique', \"unique\","
                        " partial, origin, '' FROM pragma_index_list((SELECT tbl_name FROM"
                        " sqlite_master WHERE name = ?1)) WHERE name = ?1"
                      : NULL;
        if (!q)
            continue;
        ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &cols, NULL), SQLITE_OK);
        sqlite3_bind_text(cols, 1, name, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(cols) == SQLITE_ROW)
            sqlite3_str_appendf(out, "  %s %s %s %s %s\n", sqlite3_column_text(cols, 0),
                                sqlite3_column_text(cols, 1), sqlite3_column_text(cols, 2),
                                sqlite3_column_text(cols, 3), sqlite3_column_text(cols, 4));
        sqlite3_finalize(cols);
    }
    sqlite3_finalize(objs);
    char *text = sqlite3_str_finish(out);
    char *copy = strdup(text ? text : "");
    sqlite3_free(text);
    sqlite3_close(db);
    return copy;
}

/* Issue 14 "Platform", item 7: postings.base_amount is the ledger's (its
 * CREATE for new books; version 4 adds it to older books, as it always
 * did), and a book migrated from release 0.1 ends with exactly the schema
 * of a new book: the same tables, columns in the same order, indexes and
 * triggers. */
START_TEST(platform_new_and_migrated_schemas_equal)
{
    bo_book_free(open_as("admin")); /* schema 1 -> current */
    char *fresh = bo_test_file("fresh.db");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "admin";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, fresh, &o));
    bo_book_free(b);
    char *migrated = schema_of(path), *made = schema_of(fresh);
    ck_assert_ptr_nonnull(strstr(made, "  base_amount BIGINT 0  0\n"));
    ck_assert_str_eq(migrated, made);
    free(migrated);
    free(made);
    free(fresh);
}
END_TEST

/* The FIFO layers as before version 24: no open flag, the open layers'
 * index on remaining > 0. */
#define LAYERS_BEFORE_24 \
    "DROP INDEX inv_layers_open_by_date;" \
    "ALTER TABLE inv_layers DROP COLUMN is_open;" \
    "CREATE INDEX inv_layers_open_by_date ON inv_layers (stock_id, date, id)" \
    " WHERE remaining > 0;"
/* The layers' own columns (the flag of version 24 left out). */
#define LAYER_COLS "(SELECT id, stock_id, date, qty, remaining, cost FROM inv_layers)"

static void raw_exec(const char *sql)
{
    sqlite3 *db;
    char *err = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "");
    sqlite3_close(db);
}

/* Issue 15 "Throughput": a version-16 book's feed_events (event_id BIGINT
 * PRIMARY KEY: a rowid table and an index of its key) is rebuilt by version
 * 17 with event_id as the rowid (INTEGER PRIMARY KEY, no index of its own),
 * every event kept with its position; the feed reads on, the next event
 * takes the next position, and the full verification passes. */
START_TEST(throughput_feed_events_keyed_by_rowid)
{
    bo_book *b = open_as("admin"); /* schema 1 -> current */
    /* version 22: what is left of the table (nothing, in a book of one
     * writer at a time) is feed_kept, feed_events its view with audit_log */
    ck_assert_int_eq(raw_count("SELECT pk FROM pragma_table_info('feed_kept')"
                               " WHERE name = 'event_id' AND type = 'INTEGER'"), 1);
    bo_book_free(b);
    /* Back to version 16, as a book of 0.3 before this change: its feed
     * table, and none of version 17's (or later) other tables, columns and
     * indexes (version 19's: bill_recurring's start_date and made;
     * version 20's: the audit states' index by name for the one by record). */
    raw_exec("BEGIN;"
             LAYERS_BEFORE_24
             "DROP TABLE ledger_recurring_lines;"
             "DROP TABLE ledger_recurring;"
             "DROP TABLE actor_tokens;"
             "DROP INDEX audit_log_sale_records;"
             "DROP INDEX audit_log_return_records;"
             "DROP INDEX inv_sales_by_date;"
             "DROP INDEX inv_returns_by_date;"
             "DROP INDEX inv_moves_by_reference;"
             "DROP INDEX inv_returns_by_move;"
             "DROP INDEX inv_holds_by_lot;"
             "ALTER TABLE inv_holds DROP COLUMN lot_id;"
             "ALTER TABLE bill_recurring DROP COLUMN made;"
             "ALTER TABLE bill_recurring DROP COLUMN start_date;"
             "DROP INDEX audit_states_by_name;"
             "CREATE INDEX audit_states_by_record ON audit_states (kind, id, name, seq);"
             "CREATE TABLE feed_old (event_id BIGINT PRIMARY KEY, position BIGINT UNIQUE,"
             " at TEXT COLLATE BINARY NOT NULL, kind TEXT COLLATE BINARY NOT NULL,"
             " object TEXT COLLATE BINARY NOT NULL);"
             "INSERT INTO feed_old SELECT * FROM feed_events;"
             "DROP VIEW feed_events;"
             "DROP TABLE feed_kept;"
             "DROP TABLE feed_log;"
             "ALTER TABLE feed_old RENAME TO feed_events;"
             "CREATE INDEX feed_events_pending ON feed_events (event_id)"
             " WHERE position IS NULL;"
             "UPDATE bo_meta SET value = '16' WHERE key = 'schema_version';"
             "COMMIT");
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name ="
                               " 'sqlite_autoindex_feed_events_1'"), 1);
    int64_t events = raw_count("SELECT COUNT(*) FROM feed_events");
    int64_t sum = raw_count("SELECT SUM(event_id * 7 + position * 3 + LENGTH(kind)"
                            " + LENGTH(object) + LENGTH(at)) FROM feed_events");
    ck_assert_int_gt(events, 20);
    ck_assert_int_eq(raw_count("SELECT MAX(position) FROM feed_events"), events);
    b = open_as("admin"); /* 16 -> current, the upgrade's own record and event */
    events++;
    sum += raw_count("SELECT SUM(event_id * 7 + position * 3 + LENGTH(kind)"
                     " + LENGTH(object) + LENGTH(at)) FROM feed_events WHERE position = (SELECT"
                     " MAX(position) FROM feed_events)");
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    /* version 20: the index by record dropped, the partial one by name made */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name ="
                               " 'audit_states_by_record'"), 0);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name ="
                               " 'audit_states_by_name'"), 1);
    /* version 18's recurring entries, made by the upgrade */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                               " ('ledger_recurring', 'ledger_recurring_lines')"), 2);
    ck_assert_int_eq(raw_count("SELECT pk FROM pragma_table_info('feed_kept')"
                               " WHERE name = 'event_id' AND type = 'INTEGER'"), 1);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE"
                               " 'sqlite_autoindex_feed_kept%'"), 1); /* position's */
    /* version 22: every event moved to audit_log's numbers */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_kept"), 0);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_events"), events);
    ck_assert_int_eq(raw_count("SELECT SUM(event_id * 7 + position * 3 + LENGTH(kind)"
                               " + LENGTH(object) + LENGTH(at)) FROM feed_events"), sum);
    int64_t first = 0, last = 0;
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(last, events);
    bo_assert_ok(bo_ledger_account_add(b, "1901", "Suspense", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(last, events + 1);
    bo_cursor *c;
    bo_assert_ok(bo_feed_read(b, events, 10, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), events + 1);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_book_free(b);
}
END_TEST

/* tests/data/books/schema18-recurring.db was made by this library at schema
 * version 18 (billing's schedules stepped from their last date), with the
 * public calls: accounts 1200 4000 2000, party C1, billing settings
 * receivable_account 1200 and payable_account 2000; invoice 1 for C1
 * (4000, 100.00) dated and posted 2026-01-31; schedule 1 of it every month
 * from 2026-01-31, run to 2026-03-31 (copies dated Jan 31, Feb 28 and Mar
 * 28, next date 2026-04-28); schedule 2 the same, not run. Actor "owner". */
static void setup18(void)
{
    copy_book("schema18-recurring.db");
}

static bo_date D18(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void raw_text(const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(out, size, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
}


/* A current book taken back to version 20: feed_events a table again, one
 * row per event (what version 22's part reads). */
static void feed_back_to_20(void)
{
    raw_exec("BEGIN;"
             LAYERS_BEFORE_24
             "CREATE TABLE feed_old (event_id INTEGER PRIMARY KEY, position BIGINT UNIQUE,"
             " at TEXT COLLATE BINARY NOT NULL, kind TEXT COLLATE BINARY NOT NULL,"
             " object TEXT COLLATE BINARY NOT NULL);"
             "INSERT INTO feed_old SELECT * FROM feed_events;"
             "DROP VIEW feed_events;"
             "DROP TABLE feed_kept;"
             "DROP TABLE feed_log;"
             "ALTER TABLE feed_old RENAME TO feed_events;"
             "CREATE INDEX feed_events_pending ON feed_events (event_id)"
             " WHERE position IS NULL;"
             "UPDATE bo_meta SET value = '20' WHERE key = 'schema_version';"
             "COMMIT");
}

static int64_t feed_sum(bo_book *b, int64_t after, int64_t *n)
{
    bo_cursor *c = NULL;
    int64_t sum = 0;
    *n = 0;
    bo_assert_ok(bo_feed_read(b, after, BO_FEED_READ_MAX, &c));
    while (bo_cursor_next(c) == 0) {
        sum += bo_cursor_int(c, 0) * 7 + bo_cursor_int(c, 1) * 3 +
               (int64_t)strlen(bo_cursor_text(c, 2)) + (int64_t)strlen(bo_cursor_text(c, 3)) +
               (int64_t)strlen(bo_cursor_text(c, 4));
        ++*n;
    }
    bo_cursor_free(c);
    return sum;
}

static void expect_verified(bo_book *b)
{
    bo_test_expect_verified(b);
}

/* Throughput, schema 22: a version-20 book whose events sit at their
 * records' numbers plus one constant (every SQLite book; here after its
 * oldest were pruned) has them moved to audit_log: feed_events' rows go,
 * the feed reads the same events at the same positions, from the same
 * oldest kept, and goes on after the last; a consumer's position means
 * what it meant; the full verification passes. */
START_TEST(throughput_feed_read_from_audit_log_after_upgrade)
{
    bo_book *b = open_as("admin"); /* schema 1 -> current */
    int64_t first = 0, last = 0, n = 0;
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_gt(last, 20);
    bo_assert_ok(bo_feed_save(b, "shop", last - 5));
    bo_book_free(b);
    feed_back_to_20();
    /* positions = record + 100 */
    raw_exec("UPDATE feed_events SET position = position + 100;"
             "UPDATE feed_consumers SET position = position + 100");
    int64_t events = raw_count("SELECT COUNT(*) FROM feed_events");
    int64_t sum = raw_count("SELECT SUM(position * 7 + event_id * 3 + LENGTH(kind)"
                            " + LENGTH(object) + LENGTH(at)) FROM feed_events");
    b = open_as("admin"); /* 20 -> current: the upgrade's own record and event */
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_kept"), 0);
    ck_assert_int_eq(raw_count("SELECT shift FROM feed_log"), 100);
    ck_assert_int_eq(raw_count("SELECT first_seq FROM feed_log"), 1);
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(first, 101);
    ck_assert_int_eq(last, 100 + events + 1);
    int64_t got = feed_sum(b, 100, &n);
    ck_assert_int_eq(n, events + 1);
    ck_assert_int_eq(got - sum, last * 7 + (last - 100) * 3 +
                     raw_count("SELECT LENGTH(at) + LENGTH(action) + LENGTH(object)"
                               " FROM audit_log ORDER BY seq DESC LIMIT 1"));
    int64_t pos = 0;
    bo_assert_ok(bo_feed_position(b, "shop", &pos));
    ck_assert_int_eq(pos, last - 1 - 5);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_feed_read(b, pos, 1, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 0), pos + 1);
    ck_assert_int_eq(bo_cursor_int(c, 1), pos + 1 - 100);
    bo_cursor_free(c);
    expect_verified(b);
    bo_assert_ok(bo_feed_retention_set(b, 5)); /* the next event, the next position */
    bo_assert_ok(bo_feed_head(b, &first, &pos));
    ck_assert_int_eq(pos, last + 1);
    bo_book_free(b);
    /* A version-20 book whose oldest 10 events were pruned: the low-water
     * mark (first_seq) starts at the oldest kept, before it BO_EEXPIRED. */
    feed_back_to_20();
    raw_exec("DELETE FROM feed_events WHERE position <= 110");
    events = raw_count("SELECT COUNT(*) FROM feed_events");
    b = open_as("admin");
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_kept"), 0);
    ck_assert_int_eq(raw_count("SELECT first_seq FROM feed_log"), 11);
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(first, 111);
    ck_assert_int_eq(last, 110 + events + 1);
    feed_sum(b, 110, &n);
    ck_assert_int_eq(n, events + 1);
    bo_assert_err(bo_feed_read(b, 109, 10, &c), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position 109"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "the oldest kept is 111"));
    bo_book_free(b);
}
END_TEST

/* Schema 22, a version-20 book whose positions are not its records'
 * numbers plus one constant (events positioned by the sequencer of
 * writers side by side, in commit order: here two swapped): its events
 * stay in feed_kept with their positions, the new ones follow the last of
 * them, and reading, pruning and the full verification go across both. */
START_TEST(throughput_feed_kept_when_positions_differ)
{
    bo_book *b = open_as("admin"); /* schema 1 -> current */
    int64_t first = 0, last = 0, n = 0;
    bo_assert_ok(bo_feed_head(b, &first, &last));
    bo_book_free(b);
    feed_back_to_20();
    raw_exec("UPDATE feed_events SET position = -1 WHERE event_id = 4;"
             "UPDATE feed_events SET position = 4 WHERE event_id = 5;"
             "UPDATE feed_events SET position = 5 WHERE event_id = 4");
    int64_t events = raw_count("SELECT COUNT(*) FROM feed_events");
    int64_t sum = raw_count("SELECT SUM(position * 7 + event_id * 3 + LENGTH(kind)"
                            " + LENGTH(object) + LENGTH(at)) FROM feed_events");
    b = open_as("admin"); /* 20 -> current */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_kept"), events);
    int64_t got = feed_sum(b, 0, &n);
    ck_assert_int_eq(n, events + 1); /* and the upgrade's own */
    int64_t seq = raw_count("SELECT MAX(seq) FROM audit_log");
    ck_assert_int_eq(got - sum, (events + 1) * 7 + seq * 3 +
                     raw_count("SELECT LENGTH(at) + LENGTH(action) + LENGTH(object)"
                               " FROM audit_log ORDER BY seq DESC LIMIT 1"));
    bo_cursor *c = NULL;
    bo_assert_ok(bo_feed_read(b, 3, 2, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 1), 5);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 1), 4);
    bo_cursor_free(c);
    expect_verified(b);
    /* a new event after the last kept */
    bo_assert_ok(bo_feed_retention_set(b, 1));
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(first, 1);
    ck_assert_int_eq(last, events + 2);
    /* pruning goes through the kept events into audit_log's */
    raw_exec("UPDATE audit_log SET at = '2000-01-01T00:00:00.000Z';"
             "UPDATE feed_kept SET at = '2000-01-01T00:00:00.000Z'");
    int64_t removed = 0;
    bo_assert_ok(bo_feed_prune(b, &removed));
    ck_assert_int_eq(removed, events + 1);
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(first, events + 2);
    ck_assert_int_eq(last, events + 2);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM feed_kept"), 0);
    bo_assert_err(bo_feed_read(b, events, 1, &c), BO_EEXPIRED);
    bo_book_free(b);
}
END_TEST

/* Throughput, schema 25: a state stores its part digests in base64url (43
 * characters, "-" for a part without rows) instead of 64 hex digits. The
 * states a book recorded before keep their form: a version-18 book (hex
 * states, a schedule's invoices of four parts) upgraded verifies in full,
 * records its new states in the short form (an account, the invoices a
 * schedule makes), and the full verification still finds a row changed
 * behind a state of either form, and a state of either form altered. */
START_TEST(throughput_states_short_form_upgraded)
{
    bo_book *b = open_as("owner"); /* 18 -> current */
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    /* the invoices' states as version 18 wrote them: four hex digests */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM audit_states WHERE kind = 'invoice'"
                               " AND length(digest) = 4 * 64 + 3"), 5);
    int64_t bad = -1, created = 0;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_assert_ok(bo_ledger_account_add(b, "1300", "Deposits", BO_ACCOUNT_ASSET, NULL, NULL));
    ck_assert_int_eq(raw_count("SELECT length(digest) FROM audit_states WHERE kind = 'account'"
                               " AND name = '1300'"), 43);
    bo_assert_ok(bo_billing_recurring_run(b, D18("2026-03-31"), &created));
    ck_assert_int_eq(created, 3);
    /* a new invoice's state: a digest or "-" a part, none in hex */
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM audit_states WHERE kind = 'invoice'"
                               " AND seq > (SELECT MIN(seq) FROM audit_states WHERE"
                               " kind = 'account' AND name = '1300')"), 3);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM audit_states WHERE kind = 'invoice'"
                               " AND seq > (SELECT MIN(seq) FROM audit_states WHERE"
                               " kind = 'account' AND name = '1300') AND (length(digest) > 4 * 43 + 3"
                               " OR digest GLOB '*[^A-Za-z0-9_ -]*')"), 0);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    char got[1024];
    /* a row changed behind a state in hex (4000's, recorded by version 18)
     * and behind one in the short form (1300's) */
    const char *const codes[] = { "4000", "1300" };
    for (int i = 0; i < 2; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "UPDATE accounts SET name = 'Changed' WHERE code = '%s'",
                 codes[i]);
        raw_exec(sql);
        b = open_as("owner");
        bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
        first_finding(b, got, sizeof got);
        ck_assert_ptr_nonnull(strstr(got, codes[i]));
        ck_assert_ptr_nonnull(strstr(got, "rows differ"));
        bo_book_free(b);
        snprintf(sql, sizeof sql, "UPDATE accounts SET name = '%s' WHERE code = '%s'",
                 i ? "Deposits" : "Sales", codes[i]);
        raw_exec(sql);
    }
    b = open_as("owner");
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    /* a state of either form altered (its first character): the chain
     * names its record */
    for (int i = 0; i < 2; i++) {
        char sql[512], was[128];
        snprintf(sql, sizeof sql, "SELECT digest FROM audit_states WHERE kind = 'account'"
                 " AND name = '%s' ORDER BY seq DESC LIMIT 1", codes[i]);
        raw_text(sql, was, sizeof was);
        ck_assert_uint_eq(strlen(was), i ? 43 : 64);
        snprintf(sql, sizeof sql, "UPDATE audit_states SET digest = '%c%s' WHERE"
                 " kind = 'account' AND name = '%s' AND digest = '%s'",
                 was[0] == 'a' ? 'b' : 'a', was + 1, codes[i], was);
        raw_exec(sql);
        b = open_as("owner");
        bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
        ck_assert_int_gt(bad, 0);
        first_finding(b, got, sizeof got);
        ck_assert_ptr_nonnull(strstr(got, "audit_states"));
        ck_assert_ptr_nonnull(strstr(got, "altered"));
        bo_book_free(b);
        snprintf(sql, sizeof sql, "UPDATE audit_states SET digest = '%s' WHERE"
                 " kind = 'account' AND name = '%s' AND digest = '%c%s'", was, codes[i],
                 was[0] == 'a' ? 'b' : 'a', was + 1);
        raw_exec(sql);
    }
    b = open_as("owner");
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST

/* Version 19: a schedule counts its dates from its start. A schedule made
 * before starts at its next date with none made, so its next occurrence is
 * the one it had (schedule 1: the 28th, as it drifted), and one not run yet
 * runs on each month's last day from January 31; the copies made before
 * keep their keys, so no run makes one twice; the audit states of the
 * schedules are carried over and the full verification passes. */
START_TEST(billing_recurring_from_start_after_upgrade)
{
    bo_book *b = open_as("owner"); /* 18 -> current */
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    char got[512];
    raw_text("SELECT group_concat(id || ' ' || next_date || ' ' || start_date || ' ' || made,"
             " ', ') FROM (SELECT * FROM bill_recurring ORDER BY id)", got, sizeof got);
    ck_assert_str_eq(got, "1 2026-04-28 2026-04-28 0, 2 2026-01-31 2026-01-31 0");
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    int64_t created;
    bo_assert_ok(bo_billing_recurring_run(b, D18("2026-03-31"), &created));
    ck_assert_int_eq(created, 3); /* schedule 2 only */
    bo_assert_ok(bo_billing_recurring_run(b, D18("2026-05-31"), &created));
    ck_assert_int_eq(created, 4);
    bo_assert_ok(bo_billing_recurring_run(b, D18("2026-05-31"), &created));
    ck_assert_int_eq(created, 0);
    raw_text("SELECT group_concat(idem_key, ' ') FROM (SELECT idem_key FROM bill_invoices"
             " WHERE idem_key IS NOT NULL ORDER BY idem_key)", got, sizeof got);
    ck_assert_str_eq(got, "recurring:1:2026-01-31 recurring:1:2026-02-28 recurring:1:2026-03-28"
                     " recurring:1:2026-04-28 recurring:1:2026-05-28"
                     " recurring:2:2026-01-31 recurring:2:2026-02-28 recurring:2:2026-03-31"
                     " recurring:2:2026-04-30 recurring:2:2026-05-31");
    raw_text("SELECT group_concat(id || ' ' || next_date || ' ' || start_date || ' ' || made,"
             " ', ') FROM (SELECT * FROM bill_recurring ORDER BY id)", got, sizeof got);
    ck_assert_str_eq(got, "1 2026-06-28 2026-04-28 2, 2 2026-06-30 2026-01-31 5");
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_book_free(b);

    /* An edit made before the upgrade is still found after it: the state
     * recorded before was carried over, not recorded as found. */
    copy_book("schema18-recurring.db");
    raw("UPDATE bill_recurring SET months = 2 WHERE id = 2");
    b = open_as("owner");
    int64_t bad = 0;
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    first_finding(b, got, sizeof got);
    ck_assert_ptr_nonnull(strstr(got, "bill_recurring|recurring 2|rows differ"));
    bo_book_free(b);
}
END_TEST

/* Every row of a table of the SQLite book, in the order given, as text. */
static char *rows_of(const char *table, const char *order)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char *sql = sqlite3_mprintf("SELECT * FROM %s ORDER BY %s", table, order);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_free(sql);
    sqlite3_str *out = sqlite3_str_new(db);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            sqlite3_str_appendf(out, "%s|", t ? (const char *)t : "NULL");
        }
        sqlite3_str_appendchar(out, 1, '\n');
    }
    sqlite3_finalize(st);
    char *text = sqlite3_str_finish(out);
    char *copy = strdup(text ? text : "");
    sqlite3_free(text);
    sqlite3_close(db);
    return copy;
}

/* Issue "Throughput", a sale's pages: version 21 stores a sale's lines, tax
 * lines, payments and pricing and the tax lines by their key (WITHOUT
 * ROWID), keeps only the keys in the key indexes of entries and movements
 * (partial unique indexes for the UNIQUE columns) and drops the open layers'
 * index by id. A version-20 book (the 0.2 demo upgraded, then put back in
 * version 20's shape) keeps every row of those tables, ends with the schema
 * of a new book, verifies, and its keys still answer a replay and refuse a
 * second row. */
START_TEST(throughput_sale_pages_upgraded)
{
    bo_book_free(open_as("admin")); /* 6 -> current */
    feed_back_to_20(); /* version 22's feed as version 20 kept it */
    raw_exec("BEGIN;"
             "CREATE TABLE t (sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
             " line INTEGER NOT NULL, stock_id BIGINT NOT NULL REFERENCES inv_stock(id),"
             " qty BIGINT NOT NULL, net BIGINT NOT NULL, tax BIGINT NOT NULL,"
             " cost BIGINT NOT NULL, revenue_account TEXT NOT NULL, hold_id BIGINT,"
             " ret_qty BIGINT NOT NULL DEFAULT 0, ret_net BIGINT NOT NULL DEFAULT 0,"
             " ret_cost BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (sale_id, line));"
             "INSERT INTO t SELECT * FROM inv_sale_lines; DROP TABLE inv_sale_lines;"
             "ALTER TABLE t RENAME TO inv_sale_lines;"
             "CREATE TABLE t (sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
             " line INTEGER NOT NULL, seq INTEGER NOT NULL, rate TEXT NOT NULL,"
             " account TEXT NOT NULL, amount BIGINT NOT NULL,"
             " returned BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (sale_id, line, seq));"
             "INSERT INTO t SELECT * FROM inv_sale_taxes; DROP TABLE inv_sale_taxes;"
             "ALTER TABLE t RENAME TO inv_sale_taxes;"
             "CREATE TABLE t (sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
             " seq INTEGER NOT NULL, method TEXT NOT NULL, amount BIGINT NOT NULL,"
             " PRIMARY KEY (sale_id, seq));"
             "INSERT INTO t SELECT * FROM inv_sale_payments; DROP TABLE inv_sale_payments;"
             "ALTER TABLE t RENAME TO inv_sale_payments;"
             "CREATE TABLE t (sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
             " line INTEGER NOT NULL, unit TEXT, unit_qty BIGINT NOT NULL,"
             " unit_price BIGINT NOT NULL, price_list TEXT, price_list_version BIGINT,"
             " discount BIGINT NOT NULL, promotions TEXT, PRIMARY KEY (sale_id, line));"
             "INSERT INTO t SELECT * FROM inv_sale_pricing; DROP TABLE inv_sale_pricing;"
             "ALTER TABLE t RENAME TO inv_sale_pricing;"
             "CREATE TABLE t (entry_id BIGINT NOT NULL REFERENCES entries(id),"
             " seq INTEGER NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL,"
             " side INTEGER NOT NULL CHECK (side IN (1, 2)), rate TEXT NOT NULL,"
             " account TEXT NOT NULL, currency TEXT NOT NULL, base BIGINT NOT NULL,"
             " amount BIGINT NOT NULL, book BIGINT NOT NULL, PRIMARY KEY (entry_id, seq));"
             "INSERT INTO t SELECT * FROM tax_lines; DROP TABLE tax_lines;"
             "ALTER TABLE t RENAME TO tax_lines;"
             "CREATE INDEX tax_lines_by_date ON tax_lines (date, entry_id);"
             "CREATE TABLE t (id INTEGER PRIMARY KEY, date TEXT NOT NULL, memo TEXT NOT NULL,"
             " idem_key TEXT UNIQUE, actor TEXT, digest TEXT NOT NULL);"
             "INSERT INTO t SELECT * FROM entries; DROP TABLE entries;"
             "ALTER TABLE t RENAME TO entries;"
             "CREATE TABLE t (id INTEGER PRIMARY KEY,"
             " stock_id BIGINT NOT NULL REFERENCES inv_stock(id), kind TEXT NOT NULL,"
             " date TEXT NOT NULL, qty BIGINT NOT NULL, value BIGINT NOT NULL, reason TEXT,"
             " reference TEXT, idem_key TEXT UNIQUE, entry_id BIGINT REFERENCES entries(id),"
             " actor TEXT, digest TEXT);"
             "INSERT INTO t SELECT * FROM inv_moves; DROP TABLE inv_moves;"
             "ALTER TABLE t RENAME TO inv_moves;"
             "CREATE INDEX inv_moves_by_stock ON inv_moves (stock_id, date, id);"
             "CREATE INDEX inv_moves_by_date ON inv_moves (date, id);"
             "CREATE INDEX inv_moves_by_reference ON inv_moves (reference, stock_id, id);"
             "CREATE INDEX inv_layers_open ON inv_layers (stock_id, id) WHERE remaining > 0;"
             "UPDATE bo_meta SET value = '20' WHERE key = 'schema_version';"
             "COMMIT");
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name IN ("
                               "'sqlite_autoindex_inv_sale_lines_1',"
                               " 'sqlite_autoindex_inv_sale_taxes_1',"
                               " 'sqlite_autoindex_inv_sale_payments_1',"
                               " 'sqlite_autoindex_inv_sale_pricing_1',"
                               " 'sqlite_autoindex_tax_lines_1', 'sqlite_autoindex_entries_1',"
                               " 'sqlite_autoindex_inv_moves_1', 'inv_layers_open')"), 8);
    static const char *const tables[][2] = {
        { "inv_sale_lines", "sale_id, line" }, { "inv_sale_taxes", "sale_id, line, seq" },
        { "inv_sale_payments", "sale_id, seq" }, { "tax_lines", "entry_id, seq" },
        { "entries", "id" }, { "inv_moves", "id" }, { LAYER_COLS, "id" },
    };
    enum { NT = sizeof tables / sizeof tables[0] };
    char *before[NT];
    for (int i = 0; i < NT; i++) {
        before[i] = rows_of(tables[i][0], tables[i][1]);
        ck_assert_ptr_nonnull(strchr(before[i], '\n')); /* the demo has rows in each */
    }
    bo_book *b = open_as("admin"); /* 20 -> current */
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE"
                               " 'sqlite_autoindex_%' AND tbl_name IN ('inv_sale_lines',"
                               " 'inv_sale_taxes', 'inv_sale_payments', 'inv_sale_pricing',"
                               " 'tax_lines', 'entries', 'inv_moves')"), 0);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                               " AND sql LIKE '%WITHOUT ROWID' AND name IN ('inv_sale_lines',"
                               " 'inv_sale_taxes', 'inv_sale_payments', 'inv_sale_pricing',"
                               " 'tax_lines')"), 5);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                               " ('entries_by_key', 'inv_moves_by_key', 'tax_lines_by_date',"
                               " 'inv_moves_by_stock', 'inv_moves_by_date',"
                               " 'inv_moves_by_reference')"), 6);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name ="
                               " 'inv_layers_open'"), 0);
    for (int i = 0; i < NT; i++) {
        char *after = rows_of(tables[i][0], tables[i][1]);
        ck_assert_str_eq(after, before[i]);
        free(after);
        free(before[i]);
    }
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    /* the keys: a replay answered with the entry it made, a key refused
     * twice, entries without a key as many as posted */
    bo_entry *e;
    int64_t id = 0, again = 0, n = raw_count("SELECT COUNT(*) FROM entries");
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 5, 2), "keyed"));
    bo_assert_ok(bo_entry_add(e, "1000", 700, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -700, NULL, NULL));
    bo_assert_ok(bo_entry_set_key(e, "v21-key"));
    bo_assert_ok(bo_ledger_post(b, e, &id));
    bo_assert_ok(bo_ledger_post(b, e, &again));
    ck_assert_int_eq(again, id);
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 5, 2), "no key"));
    bo_assert_ok(bo_entry_add(e, "1000", 300, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -300, NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, &id));
    bo_assert_ok(bo_ledger_post(b, e, &again));
    ck_assert_int_ne(again, id);
    bo_entry_free(e);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM entries"), n + 3);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    bo_book_free(b);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "INSERT INTO inv_moves (stock_id, kind, date, qty, value,"
                                  " idem_key) SELECT stock_id, kind, date, qty, value, idem_key"
                                  " FROM inv_moves WHERE idem_key IS NOT NULL LIMIT 1",
                                  NULL, NULL, NULL), SQLITE_CONSTRAINT);
    sqlite3_close(db);
    /* the schema a new book has */
    char *fresh = bo_test_file("fresh21.db");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "admin";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&b, fresh, &o));
    bo_book_free(b);
    char *migrated = schema_of(path), *made = schema_of(fresh);
    ck_assert_str_eq(migrated, made);
    free(migrated);
    free(made);
    free(fresh);
}
END_TEST

/* Issue "Throughput", a sale's pages: version 24 keys the open layers'
 * index on a flag set when a layer closes, not on remaining > 0, which
 * every FIFO issue changed (SQLite wrote the index's leaf again each
 * time). A version-23 book (the 0.2 demo upgraded, a sale emptying two of
 * its layers, then put back in version 23's shape) gets the flag closed
 * exactly for its empty layers, verifies, sells on from the open layers
 * (the one emptied closes), refuses a flag that would hide stock, keeps
 * the flags in a copy, and ends with the schema of a new book. */
START_TEST(throughput_layer_open_flag_upgraded)
{
    bo_book *b = open_as("admin"); /* 6 -> current */
    bo_sale *s;
    int64_t id = 0, bad = -1;
    /* MUG at MAIN: layers 3 (21) and 5 (1), both emptied */
    bo_assert_ok(bo_sale_new(&s, ymd(2026, 3, 1), NULL));
    bo_assert_ok(bo_sale_set_key(s, "v24-empty"));
    bo_assert_ok(bo_sale_line(s, "MUG", "MAIN", 22, 1000, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 22000));
    bo_assert_ok(bo_inventory_sale_post(b, s, &id));
    bo_sale_free(s);
    bo_book_free(b);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM inv_layers WHERE remaining = 0"), 2);
    raw_exec("BEGIN;" LAYERS_BEFORE_24
             "UPDATE bo_meta SET value = '23' WHERE key = 'schema_version';"
             "COMMIT");
    char *before = rows_of(LAYER_COLS, "id");
    b = open_as("admin"); /* 23 -> current */
    ck_assert_int_eq(raw_count("SELECT value FROM bo_meta WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    char *after = rows_of(LAYER_COLS, "id");
    ck_assert_str_eq(after, before); /* the layers' own columns as they were */
    free(after);
    free(before);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM inv_layers WHERE is_open = 0"), 2);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM inv_layers WHERE is_open <> (remaining > 0)"),
                     0);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM sqlite_master WHERE name ="
                               " 'inv_layers_open_by_date' AND sql LIKE '%WHERE is_open = 1'"), 1);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    /* MUG at WH: layers 1 (12) and 2 (24); 12 empty the first, which closes,
     * and the next sale takes from the second */
    for (int i = 0; i < 2; i++) {
        bo_assert_ok(bo_sale_new(&s, ymd(2026, 3, 2), NULL));
        bo_assert_ok(bo_sale_set_key(s, i ? "v24-second" : "v24-first"));
        bo_assert_ok(bo_sale_line(s, "MUG", "WH", 12, 1000, 0));
        bo_assert_ok(bo_sale_payment(s, "cash", 12000));
        bo_assert_ok(bo_inventory_sale_post(b, s, &id));
        bo_sale_free(s);
        ck_assert_int_eq(raw_count("SELECT is_open FROM inv_layers WHERE id = 1"), 0);
        ck_assert_int_eq(raw_count("SELECT remaining FROM inv_layers WHERE id = 2"),
                         24 - 12 * i);
        ck_assert_int_eq(raw_count("SELECT is_open FROM inv_layers WHERE id = 2"), 1);
    }
    bo_cursor *c = NULL;
    bo_assert_ok(bo_inventory_layers(b, "MUG", "WH", &c));
    int n = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_eq(bo_cursor_int(c, 0), 2);
        n++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, 1);
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    /* a flag that would hide a layer holding stock is refused */
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "UPDATE inv_layers SET is_open = 0 WHERE id = 2",
                                  NULL, NULL, NULL), SQLITE_CONSTRAINT);
    /* written with the checks off, the full verification names it */
    ck_assert_int_eq(sqlite3_exec(db, "PRAGMA ignore_check_constraints = ON;"
                                  "UPDATE inv_layers SET is_open = 0 WHERE id = 2",
                                  NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    b = open_as("admin");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "layer 2: a layer holding stock"));
    bo_book_free(b);
    raw_exec("UPDATE inv_layers SET is_open = 1 WHERE id = 2");
    /* a copy closes the empty layers it reads in */
    char *copy = bo_test_file("layers-copy.db");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "admin";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_copy(path, copy, &o, NULL, NULL));
    char *made = schema_of(copy), *migrated = schema_of(path);
    ck_assert_str_eq(migrated, made);
    free(made);
    free(migrated);
    char *p = path;
    path = copy;
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM inv_layers WHERE is_open = 0"), 3);
    ck_assert_int_eq(raw_count("SELECT COUNT(*) FROM inv_layers WHERE is_open <> (remaining > 0)"),
                     0);
    path = p;
    free(copy);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("migration");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_migrated_without_loss);
    tcase_add_test(tc, test_new_parts_usable);
    tcase_add_test(tc, platform_new_and_migrated_schemas_equal);
    tcase_add_test(tc, throughput_feed_events_keyed_by_rowid);
    tcase_add_test(tc, throughput_feed_read_from_audit_log_after_upgrade);
    tcase_add_test(tc, throughput_feed_kept_when_positions_differ);
    suite_add_tcase(s, tc);
    tc = tcase_create("migration_keys");
    tcase_add_checked_fixture(tc, setup6, teardown);
    tcase_add_test(tc, trust_keys_migrated_book);
    tcase_add_test(tc, platform_doc_types_seeded_by_migration);
    suite_add_tcase(s, tc);
    TCase *tc18 = tcase_create("migration from 18");
    tcase_add_checked_fixture(tc18, setup18, teardown);
    tcase_add_test(tc18, billing_recurring_from_start_after_upgrade);
    tcase_add_test(tc18, throughput_states_short_form_upgraded);
    suite_add_tcase(s, tc18);
    TCase *tc6 = tcase_create("migration from 0.2");
    tcase_add_checked_fixture(tc6, setup6_demo, teardown);
    tcase_add_test(tc6, trust_upgrade_covers_every_table);
    tcase_add_test(tc6, figures_tax_lines_of_older_books);
    tcase_add_test(tc6, platform_fts_made_by_migration);
    tcase_add_test(tc6, throughput_sale_pages_upgraded);
    tcase_add_test(tc6, throughput_layer_open_flag_upgraded);
    suite_add_tcase(s, tc6);
    TCase *tc11 = tcase_create("migration from schema 11");
    tcase_add_checked_fixture(tc11, setup11, teardown);
    tcase_add_test(tc11, platform_one_settings_table);
    suite_add_tcase(s, tc11);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
