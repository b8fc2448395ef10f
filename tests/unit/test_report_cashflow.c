/* The cash-flow statement by the indirect method (bo_report_cash_flow),
 * on a book worked out by hand (amounts in dollars):
 *
 *   accounts: 1000 Cash and 1100 Bank (the till's payment accounts: cash),
 *   1200 Receivables and 2000 Payables (billing's defaults: operating),
 *   1300 Inventory (the inventory account: operating), 1500 Equipment
 *   (investing by default), 2500 Loan (financing by default), 3000 Equity,
 *   3200 Retained earnings, 4000 Sales, 5000 Expenses.
 *
 *   2021-02-01 Cash 1000 / Equity 1000            (before the period)
 *   2021-03-01 Equipment 300 / Cash 300
 *   2021-03-02 Bank 500 / Loan 500
 *   2021-03-03 Receivables 800 / Sales 800
 *   2021-03-04 Bank 600 / Receivables 600
 *   2021-03-05 Inventory 400 / Payables 400
 *   2021-03-06 Expenses 250 / Inventory 250
 *   2021-03-07 Payables 100 / Cash 100
 *   2021-03-08 Expenses 50 / Cash 50
 *   2021-03-31 the year closed into 3200 (left out: it moves no cash)
 *
 * March: net income 800 - 250 - 50 = 500; receivables up 200 (-200),
 * inventory up 150 (-150), payables up 300 (+300): operating 450.
 * Equipment bought: investing -300. Loan: financing +500. Net change 650;
 * cash 1000 at the beginning, 550 + 1100 = 1650 at the end = 1000 + 650.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bo_book *book;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void setup(void)
{
    book = bo_test_book("cashflow");
    static const struct { const char *code, *name; int type; } chart[] = {
        { "1000", "Cash", BO_ACCOUNT_ASSET },
        { "1100", "Bank", BO_ACCOUNT_ASSET },
        { "1200", "Receivables", BO_ACCOUNT_ASSET },
        { "1300", "Inventory", BO_ACCOUNT_ASSET },
        { "1500", "Equipment", BO_ACCOUNT_ASSET },
        { "2000", "Payables", BO_ACCOUNT_LIABILITY },
        { "2500", "Loan", BO_ACCOUNT_LIABILITY },
        { "3000", "Equity", BO_ACCOUNT_EQUITY },
        { "3200", "Retained earnings", BO_ACCOUNT_EQUITY },
        { "4000", "Sales", BO_ACCOUNT_INCOME },
        { "5000", "Expenses", BO_ACCOUNT_EXPENSE },
    };
    for (size_t i = 0; i < sizeof chart / sizeof chart[0]; i++)
        bo_assert_ok(bo_ledger_account_add(book, chart[i].code, chart[i].name, chart[i].type,
                                           NULL, NULL));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.cash", "1000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.card", "1100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.inventory", "1300"));
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1200"));
    bo_assert_ok(bo_billing_setting_set(book, "payable_account", "2000"));
    bo_test_post2(book, "2021-02-01", "1000", "3000", 100000);
    bo_test_post2(book, "2021-03-01", "1500", "1000", 30000);
    bo_test_post2(book, "2021-03-02", "1100", "2500", 50000);
    bo_test_post2(book, "2021-03-03", "1200", "4000", 80000);
    bo_test_post2(book, "2021-03-04", "1100", "1200", 60000);
    bo_test_post2(book, "2021-03-05", "1300", "2000", 40000);
    bo_test_post2(book, "2021-03-06", "5000", "1300", 25000);
    bo_test_post2(book, "2021-03-07", "2000", "1000", 10000);
    bo_test_post2(book, "2021-03-08", "5000", "1000", 5000);
    int64_t entry = 0;
    bo_assert_ok(bo_ledger_year_close(book, D("2021-03-31"), "3200", "close-1", &entry));
    ck_assert_int_gt(entry, 0);
}

static void teardown(void)
{
    bo_test_book_free(book);
    book = NULL;
}

static bo_report_options march(void)
{
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D("2021-03-01");
    o.to = D("2021-03-31");
    return o;
}

/* The rows as "section|code|name|amount" lines. */
static char *rows(const char *classes)
{
    bo_report_options o = march();
    bo_cursor *c;
    bo_assert_ok(bo_report_cash_flow(book, &o, classes, &c));
    size_t cap = 4096, len = 0;
    char *out = calloc(1, cap);
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *code = bo_cursor_text(c, 1);
        char amount[32] = "-";
        if (bo_cursor_type(c, 4) == BO_TYPE_INT)
            snprintf(amount, sizeof amount, "%lld", (long long)bo_cursor_int(c, 4));
        ck_assert_str_eq(bo_cursor_text(c, 3), "USD");
        len += (size_t)snprintf(out + len, cap - len, "%s|%s|%s|%s\n", bo_cursor_text(c, 0),
                                code ? code : "", bo_cursor_text(c, 2), amount);
        ck_assert_uint_lt(len, cap);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return out;
}

START_TEST(cash_flow_worked_example)
{
    char *got = rows(NULL);
    ck_assert_str_eq(got,
                     "operating||Operating activities|-\n"
                     "operating||Net income|50000\n"
                     "operating|1200|Receivables|-20000\n"
                     "operating|1300|Inventory|-15000\n"
                     "operating|2000|Payables|30000\n"
                     "operating||Net cash from operating activities|45000\n"
                     "investing||Investing activities|-\n"
                     "investing|1500|Equipment|-30000\n"
                     "investing||Net cash from investing activities|-30000\n"
                     "financing||Financing activities|-\n"
                     "financing|2500|Loan|50000\n"
                     "financing||Net cash from financing activities|50000\n"
                     "total||Net change in cash|65000\n"
                     "cash||Cash at the beginning|100000\n"
                     "cash||Cash at the end|165000\n");
    free(got);
    /* The cash at the end is the ledger's own. */
    int64_t cash = 0, bank = 0;
    bo_assert_ok(bo_ledger_balance(book, "1000", D("2021-03-31"), NULL, &cash));
    bo_assert_ok(bo_ledger_balance(book, "1100", D("2021-03-31"), NULL, &bank));
    ck_assert_int_eq(cash + bank, 165000);
}
END_TEST

START_TEST(cash_flow_classes_override_the_defaults)
{
    /* The loan as working capital, the equipment as financing. */
    char *got = rows("2500=operating,1500=financing");
    ck_assert_ptr_nonnull(strstr(got, "operating|2500|Loan|50000\n"
                                      "operating||Net cash from operating activities|95000\n"));
    ck_assert_ptr_nonnull(strstr(got, "investing||Investing activities|-\n"
                                      "investing||Net cash from investing activities|0\n"));
    ck_assert_ptr_nonnull(strstr(got, "financing|1500|Equipment|-30000\n"
                                      "financing||Net cash from financing activities|-30000\n"));
    ck_assert_ptr_nonnull(strstr(got, "total||Net change in cash|65000\n"));
    free(got);
    /* The bank no longer cash: its movement is investing, the change in cash
     * is the cash account's alone, -450. */
    got = rows("1100=investing");
    ck_assert_ptr_nonnull(strstr(got, "investing|1100|Bank|-110000\n"));
    ck_assert_ptr_nonnull(strstr(got, "total||Net change in cash|-45000\n"
                                      "cash||Cash at the beginning|100000\n"
                                      "cash||Cash at the end|55000\n"));
    ck_assert_ptr_null(strstr(got, "Unexplained"));
    free(got);
}
END_TEST

START_TEST(cash_flow_bad_classes_refused)
{
    static const struct { const char *spec; int code; const char *msg; } bad[] = {
        { "9999=cash", BO_ENOTFOUND, "classes: item 1: no account \"9999\"" },
        { "1000=cash,1500=capex", BO_EINVAL, "classes: item 2: not cash, operating" },
        { "4000=operating", BO_EINVAL, "classes: item 1: account \"4000\" is not on the balance" },
        { "2500=cash", BO_EINVAL, "classes: item 1: account \"2500\" is not an asset" },
        { "1000", BO_EINVAL, "classes: item 1: not ACCOUNT=CLASS" },
        { "1000=cash,", BO_EINVAL, "classes: item 2: empty" },
        { "=cash", BO_EINVAL, "classes: item 1: not ACCOUNT=CLASS" },
    };
    bo_report_options o = march();
    char *path = bo_test_file("cf-bad.csv");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_cursor *c = (bo_cursor *)&o;
        bo_assert_err(bo_report_cash_flow(book, &o, bad[i].spec, &c), bad[i].code);
        ck_assert_ptr_null(c);
        ck_assert_msg(strstr(bo_error_message(), bad[i].msg), "%s: %s", bad[i].spec,
                      bo_error_message());
        bo_assert_err(bo_report_cash_flow_write(book, &o, bad[i].spec, BO_REPORT_CSV, path),
                      bad[i].code);
        ck_assert_int_ne(access(path, F_OK), 0);
    }
    o.to = o.from - 1;
    bo_cursor *c;
    bo_assert_err(bo_report_cash_flow(book, &o, NULL, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "from/to"));
    free(path);
}
END_TEST

START_TEST(cash_flow_in_every_format)
{
    bo_report_options o = march();
    char *html = bo_test_file("cf.html"), *csv = bo_test_file("cf.csv"),
         *pdf = bo_test_file("cf.pdf"), *xlsx = bo_test_file("cf.xlsx");
    bo_assert_ok(bo_report_statement_write(book, BO_REPORT_CASH_FLOW, &o, BO_REPORT_HTML, html));
    size_t len;
    char *text = bo_test_slurp(html, &len);
    ck_assert_ptr_nonnull(strstr(text, "<h2>Cash-flow statement</h2>"));
    ck_assert_ptr_nonnull(strstr(text, "From 2021-03-01 to 2021-03-31"));
    ck_assert_ptr_nonnull(strstr(text, "Net cash from operating activities</td><td>USD</td>"
                                       "<td class=\"m\" data-value=\"45000\">$450.00</td>"));
    free(text);
    bo_assert_ok(bo_report_cash_flow_write(book, &o, "2500=operating", BO_REPORT_CSV, csv));
    text = bo_test_slurp(csv, &len);
    ck_assert_ptr_nonnull(strstr(text, "Section,Code,Item,Currency,Amount\r\n"));
    ck_assert_ptr_nonnull(strstr(text, "operating,,Net cash from operating activities,USD,"
                                       "950.00\r\n"));
    ck_assert_ptr_nonnull(strstr(text, "cash,,Cash at the end,USD,1650.00\r\n"));
    free(text);
    int rc = bo_report_statement_write(book, BO_REPORT_CASH_FLOW, &o, BO_REPORT_PDF, pdf);
    if (rc != BO_ENOTSUP) {
        bo_assert_ok(rc);
        text = bo_test_slurp(pdf, &len);
        ck_assert(len > 1000 && memcmp(text, "%PDF-", 5) == 0);
        free(text);
    }
    rc = bo_report_statement_write(book, BO_REPORT_CASH_FLOW, &o, BO_REPORT_XLSX, xlsx);
    if (rc != BO_ENOTSUP) {
        bo_assert_ok(rc);
        text = bo_test_slurp(xlsx, &len);
        ck_assert(len > 1000 && memcmp(text, "PK", 2) == 0);
        free(text);
    }
    free(html);
    free(csv);
    free(pdf);
    free(xlsx);
}
END_TEST

/* Amounts near the int64 limits: the sums are checked, never wrapped. */
START_TEST(cash_flow_overflow_detected)
{
    bo_assert_ok(bo_ledger_account_add(book, "1600", "Land", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2600", "Bond", BO_ACCOUNT_LIABILITY, NULL, NULL));
    /* the closed year takes no posting until it is reopened */
    bo_assert_ok(bo_ledger_year_reopen(book, D("2021-03-31"), NULL, NULL));
    bo_test_post2(book, "2021-03-10", "1600", "2600", INT64_MAX - 100);
    bo_report_options o = march();
    bo_cursor *c;
    bo_assert_err(bo_report_cash_flow(book, &o, NULL, &c), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "investing"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report_cashflow");
    TCase *tc = tcase_create("cash_flow");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, cash_flow_worked_example);
    tcase_add_test(tc, cash_flow_classes_override_the_defaults);
    tcase_add_test(tc, cash_flow_bad_classes_refused);
    tcase_add_test(tc, cash_flow_in_every_format);
    tcase_add_test(tc, cash_flow_overflow_detected);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
