/* Till sessions (cashier sessions): a worked example computed by hand
 * (float, cash sales with change, a mixed payment, a cash refund, a bank
 * drop; what another cashier or another store does is not counted), the
 * difference posted to the over/short account in the close's transaction,
 * replays, the bad-input catalogue with nothing changed, and a direct edit
 * of a session found by the full verification. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;
static char *path;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t balance(const char *account)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D("9999-12-31"), NULL, &v));
    return v;
}

static int64_t audit_seq(void)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &seq, hex, sizeof hex));
    return seq;
}

static void shop(void)
{
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2200", "VAT payable", BO_ACCOUNT_LIABILITY, NULL,
                                       NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "6900", "Cash over/short", BO_ACCOUNT_EXPENSE,
                                       NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20%", .rate_ppm = 200000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.inventory", "1200"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.cogs", "5100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.grni", "2000"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.revenue", "4000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.cash", "1000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.card", "1100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.over_short", "6900"));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store one", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "S2", "Store two", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    for (int i = 0; i < 2; i++)
        bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A",
                .location = i ? "S2" : "S1", .qty = 20, .cost = 8000,
                .date = D("2025-03-01"), .key = bo_test_key() }, NULL));
    bo_assert_ok(bo_role_define(book, "cashier", "sales.post inventory.read ledger.read audit.read"));
    bo_assert_ok(bo_role_grant(book, "ana", "cashier"));
    bo_assert_ok(bo_role_grant(book, "ben", "cashier"));
}

static void setup(void)
{
    path = bo_test_path("inventory_tills");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    shop();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
    path = NULL;
}

/* A sale of qty x 12.00 (VAT included) at loc, paid cash and card. */
static int64_t sell(const char *loc, int64_t qty, int64_t cash, int64_t card)
{
    bo_sale *s;
    int64_t id = 0;
    bo_assert_ok(bo_sale_new(&s, D("2025-03-02"), "till"));
    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
    bo_assert_ok(bo_sale_set_inclusive(s, 1));
    bo_assert_ok(bo_sale_line(s, "A", loc, qty, 1200, 0));
    if (cash)
        bo_assert_ok(bo_sale_payment(s, "cash", cash));
    if (card)
        bo_assert_ok(bo_sale_payment(s, "card", card));
    int rc = bo_inventory_sale_post(book, s, &id);
    bo_sale_free(s);
    bo_assert_ok(rc);
    return id;
}

/* The worked example, by hand:
 *   float                                 100.00
 *   sale 1: 3 x 12.00 = 36.00, 40.00 cash, 4.00 change   +36.00
 *   sale 2: 12.00 on card                                  0
 *   sale 3: 12.00, 10.00 cash + 5.00 card, 3.00 change    +7.00
 *   refund of one unit of sale 1 in cash (10.00 + 2.00)  -12.00
 *   bank drop                                             -50.00
 *   expected                                               81.00
 * Ben's cash sale at S1 and Ana's own at S2 are not Ana's S1 session.
 * Counted 80.50: 0.50 short, debited to 6900 against the cash. */
START_TEST(till_worked_example)
{
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int64_t till = 0, again = 0, entry = 0, diff = 0;
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "open-1", &till));
    ck_assert_int_gt(till, 0);
    int64_t s1 = sell("S1", 3, 4000, 0);
    sell("S1", 1, 0, 1200);
    sell("S1", 1, 1000, 500);
    sell("S2", 1, 1200, 0);
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s1, .line = 1,
            .qty = 1, .date = D("2025-03-02"), .method = "cash", .key = "ret-1" }, NULL));
    bo_assert_ok(bo_inventory_till_cash(book, till, D("2025-03-02"), -5000, "1100",
                                        "bank drop", "drop-1", &entry));
    ck_assert_int_gt(entry, 0);
    bo_assert_ok(bo_book_set_actor(book, "ben"));
    sell("S1", 1, 1200, 0);
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int64_t cash0 = balance("1000");
    bo_assert_ok(bo_inventory_till_close(book, till, D("2025-03-02"), 8050, "close-1", &diff));
    ck_assert_int_eq(diff, -50);
    ck_assert_int_eq(balance("6900"), 50);
    ck_assert_int_eq(balance("1000"), cash0 - 50);
    bo_cursor *c;
    bo_assert_ok(bo_inventory_tills(book, D("2025-03-01"), D("2025-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 0), till);
    ck_assert_str_eq(bo_cursor_text(c, 1), "ana");
    ck_assert_str_eq(bo_cursor_text(c, 2), "S1");
    ck_assert_str_eq(bo_cursor_text(c, 4), "2025-03-02");
    ck_assert_str_eq(bo_cursor_text(c, 5), "closed");
    ck_assert_int_eq(bo_cursor_int(c, 6), 10000);
    ck_assert_int_eq(bo_cursor_int(c, 7), 3600 + 700);
    ck_assert_int_eq(bo_cursor_int(c, 8), 1200);
    ck_assert_int_eq(bo_cursor_int(c, 9), -5000);
    ck_assert_int_eq(bo_cursor_int(c, 10), 8100);
    ck_assert_int_eq(bo_cursor_int(c, 11), 8050);
    ck_assert_int_eq(bo_cursor_int(c, 12), -50);
    ck_assert_int_gt(bo_cursor_int(c, 13), 0);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* Replays answer the first result and write nothing. */
    int64_t seq = audit_seq();
    bo_assert_ok(bo_inventory_till_close(book, till, D("2025-03-02"), 8050, "close-1", &diff));
    ck_assert_int_eq(diff, -50);
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "open-1", &again));
    ck_assert_int_eq(again, till);
    int64_t e2 = 0;
    bo_assert_ok(bo_inventory_till_cash(book, till, D("2025-03-02"), -5000, "1100",
                                        "bank drop", "drop-1", &e2));
    ck_assert_int_eq(e2, entry);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(balance("6900"), 50);
    /* The same key for another close is refused. */
    bo_assert_err(bo_inventory_till_close(book, till, D("2025-03-02"), 9000, "close-1", NULL),
                  BO_EKEYREUSE);
    /* A closed session takes nothing more. */
    bo_assert_err(bo_inventory_till_close(book, till, D("2025-03-02"), 8050, "close-2", NULL),
                  BO_ESTATE);
    bo_assert_err(bo_inventory_till_cash(book, till, D("2025-03-02"), 100, "1100", NULL,
                                         "cash-2", NULL), BO_ESTATE);
    ck_assert_int_eq(audit_seq(), seq);
    /* A counted amount equal to the expected one posts nothing. */
    int64_t t2 = 0;
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-03"), 5000, "open-2", &t2));
    ck_assert_int_ne(t2, till);
    bo_assert_ok(bo_inventory_till_close(book, t2, D("2025-03-03"), 5000, "close-3", &diff));
    ck_assert_int_eq(diff, 0);
    ck_assert_int_eq(balance("6900"), 50);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(till_bad_input_changes_nothing)
{
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int64_t till = 0;
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "open-1", &till));
    int64_t seq = audit_seq(), cash = balance("1000");
    bo_assert_err(bo_inventory_till_open(book, "S1", D("2025-03-02"), -1, "k1", NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "opening_float"));
    bo_assert_err(bo_inventory_till_open(book, "S1", D("2025-03-02"), 0, NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "key"));
    bo_assert_err(bo_inventory_till_open(book, "NOPE", D("2025-03-02"), 0, "k2", NULL),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "location"));
    /* one open session per cashier and store */
    bo_assert_err(bo_inventory_till_open(book, "S1", D("2025-03-02"), 0, "k3", NULL),
                  BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "ana"));
    bo_assert_err(bo_inventory_till_cash(book, till, D("2025-03-02"), 0, "1100", NULL, "k4",
                                         NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    bo_assert_err(bo_inventory_till_cash(book, till, D("2025-03-02"), 100, "9999", NULL,
                                         "k5", NULL), BO_ENOTFOUND);
    bo_assert_err(bo_inventory_till_cash(book, till + 7, D("2025-03-02"), 100, "1100", NULL,
                                         "k6", NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "till"));
    bo_assert_err(bo_inventory_till_cash(book, till, D("2025-03-01"), 100, "1100", NULL,
                                         "k7", NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "date"));
    bo_assert_err(bo_inventory_till_close(book, till, D("2025-03-02"), -1, "k8", NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "counted"));
    /* another cashier may not close Ana's session */
    bo_assert_ok(bo_book_set_actor(book, "ben"));
    bo_assert_err(bo_inventory_till_close(book, till, D("2025-03-02"), 10000, "k9", NULL),
                  BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "ana"));
    /* no over/short account: a difference cannot be posted */
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.over_short", NULL));
    seq = audit_seq();
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int rc = bo_inventory_till_close(book, till, D("2025-03-02"), 9000, "k10", NULL);
    bo_assert_err(rc, BO_ECONFIG);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(balance("1000"), cash);
    bo_cursor *c;
    bo_assert_ok(bo_inventory_tills(book, D("2025-03-01"), D("2025-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 5), "open");
    ck_assert_int_eq(bo_cursor_type(c, 11), BO_TYPE_NULL);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
}
END_TEST

static void golden_path(char *out, size_t size, const char *name)
{
    const char *f = __FILE__, *suffix = "unit/test_inventory_tills.c";
    size_t n = strlen(f), s = strlen(suffix);
    ck_assert(n > s && strcmp(f + n - s, suffix) == 0);
    snprintf(out, size, "%.*sdata/reports/%s", (int)(n - s), f, name);
}

/* The dashboard's "Cashier sessions": each session's expected and counted
 * cash as bars carrying their values, and its figures in the table beside;
 * the section is compared byte for byte with a golden file
 * (tests/data/reports/dashboard_sessions.html; BO_TEST_UPDATE_GOLDEN=1
 * writes it instead, for a change made on purpose). */
START_TEST(till_dashboard_shows_sessions)
{
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int64_t t1 = 0, t2 = 0, t3 = 0;
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "o1", &t1));
    sell("S1", 1, 2000, 0); /* 12.00 cash, 8.00 change */
    bo_assert_ok(bo_inventory_till_close(book, t1, D("2025-03-02"), 11100, "c1", NULL));
    bo_assert_ok(bo_book_set_actor(book, "ben"));
    bo_assert_ok(bo_inventory_till_open(book, "S2", D("2025-03-02"), 5000, "o2", &t2));
    sell("S2", 2, 2400, 0);
    bo_assert_ok(bo_inventory_till_close(book, t2, D("2025-03-02"), 7400, "c2", NULL));
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-03"), 2000, "o3", &t3));
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    char *out = bo_test_file("tills_dashboard.html");
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D("2025-03-01");
    o.to = D("2025-03-07");
    bo_assert_ok(bo_report_dashboard(book, &o, out));
    size_t len;
    char *html = bo_test_slurp(out, &len);
    char *a = strstr(html, "<section id=\"sessions\">");
    ck_assert_ptr_nonnull(a);
    char *z = strstr(a, "</section>");
    ck_assert_ptr_nonnull(z);
    z += strlen("</section>\n");
    *z = 0;
    /* Ana: 100.00 + 12.00 expected, 111.00 counted, 1.00 short */
    ck_assert_ptr_nonnull(strstr(a, "data-key=\"1 expected\" data-value=\"11200\""));
    ck_assert_ptr_nonnull(strstr(a, "data-key=\"1 counted\" data-value=\"11100\""));
    ck_assert_ptr_nonnull(strstr(a, "<td data-value=\"-100\">"));
    /* Ben at S2: 50.00 + 24.00, counted exactly; his open session has no count */
    ck_assert_ptr_nonnull(strstr(a, "data-key=\"2 expected\" data-value=\"7400\""));
    ck_assert_ptr_nonnull(strstr(a, "data-key=\"2 counted\" data-value=\"7400\""));
    ck_assert_ptr_null(strstr(a, "data-key=\"3 counted\""));
    ck_assert_ptr_nonnull(strstr(a, "<td>open</td>"));
    char gp[4096];
    golden_path(gp, sizeof gp, "dashboard_sessions.html");
    const char *update = getenv("BO_TEST_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(gp, "wb");
        ck_assert_ptr_nonnull(f);
        fputs(a, f);
        fclose(f);
    }
    size_t glen;
    char *golden = bo_test_slurp(gp, &glen);
    ck_assert_msg(golden != NULL, "no golden file %s", gp);
    ck_assert_str_eq(a, golden);
    free(golden);
    free(html);
    free(out);
}
END_TEST

/* A session edited outside the library is found and named. */
START_TEST(till_edit_found_by_verify)
{
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    int64_t till = 0;
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "open-1", &till));
    sell("S1", 1, 1200, 0);
    bo_assert_ok(bo_inventory_till_cash(book, till, D("2025-03-02"), 500, "1100", NULL, "c1",
                                        NULL));
    bo_assert_ok(bo_inventory_till_close(book, till, D("2025-03-02"), 11700, "close-1", NULL));
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_test_raw_sql(path, "UPDATE inv_tills SET counted = counted + 100");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inv_tills"));
    bo_test_raw_sql(path, "UPDATE inv_tills SET counted = counted - 100");
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
    bo_test_raw_sql(path, "UPDATE inv_till_moves SET amount = 400");
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inv_till_moves"));
    bo_test_raw_sql(path, "UPDATE inv_till_moves SET amount = 500");
    bo_test_round_trip(book);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inventory_tills");
    TCase *t = tcase_create("tills");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, till_worked_example);
    tcase_add_test(t, till_bad_input_changes_nothing);
    tcase_add_test(t, till_dashboard_shows_sessions);
    suite_add_tcase(s, t);
    TCase *raw = tcase_create("raw edits");
    tcase_add_checked_fixture(raw, setup, teardown);
    tcase_set_timeout(raw, 120);
    tcase_set_tags(raw, BO_TEST_TAG_REOPEN);
    tcase_add_test(raw, till_edit_found_by_verify);
    suite_add_tcase(s, raw);
    return bo_test_run(s);
}
