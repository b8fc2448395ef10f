/* The metrics and the dashboard (include/backoffice/report.h) on a small
 * book built here, every figure worked out by hand below:
 *
 * S1 (Jakarta, WIB) and S2 (Makassar, WITA); items A (20% VAT, category
 * "hardware", cost 1.00), C (no tax, "hardware", cost 1.00) and B (grams,
 * no tax, "food", cost 1.00 a kg).
 *   sale 1, S1, dated 2021-03-01, cashier ani, recorded 2021-03-01 02:15
 *     UTC (09:15 WIB): 2 A at 5.00 less 1.00 discount, VAT included (the
 *     till's default): 9.00 = net 7.50 + VAT 1.50; the discount without
 *     its VAT 1.00 x 7.50 / 9.00 = 0.83, so gross 8.33; cost 2.00; paid
 *     11.00 cash, 2.00 change.
 *   sale 2, S1, dated 2021-02-28 (a till on UTC dates), cashier budi,
 *     recorded 2021-02-28 23:30 UTC = 06:30 on 2021-03-01 in Jakarta:
 *     1.5 kg B at 20.00/kg = 30.00; cost 15.00; paid by card.
 *   sale 3, S2, dated 2021-03-02, cashier ani, recorded 2021-03-01 17:10
 *     UTC (01:10 WITA on 03-02): 1 C at 5.00, net 5.00; cost 1.00; card.
 *   return of 1 A of sale 1 on 2021-03-02, cash: net 3.75, cost 1.00.
 *   sale 4, S1, dated 2021-02-22 (the week before), owner: 1 C at 5.00.
 * Over 2021-03-01 .. 03-02 in the stores' zones: gross 43.33, discounts
 * 0.83, returns 3.75, net 38.75, cost 17.00, margin 21.75, 3 sales,
 * average basket 42.50 / 3 = 14.17. */
#include "testutil.h"

#include "reports/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bo_book *book;
static char *uri;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void receive_on(const char *date, const char *sku, const char *loc, int64_t qty,
                       int64_t cost)
{
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = loc,
            .qty = qty, .cost = cost, .date = D(date), .key = bo_test_key() }, NULL));
}

static void receive(const char *sku, const char *loc, int64_t qty, int64_t cost)
{
    receive_on("2021-02-01", sku, loc, qty, cost);
}

static int64_t sell(const char *actor, const char *date, const char *sku, const char *loc,
                    int64_t qty, int64_t price, int64_t discount, const char *method,
                    int64_t paid)
{
    bo_sale *s;
    int64_t id = 0;
    bo_assert_ok(bo_book_set_actor(book, actor));
    bo_assert_ok(bo_sale_new(&s, D(date), "till"));
    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
    bo_assert_ok(bo_sale_line(s, sku, loc, qty, price, discount));
    bo_assert_ok(bo_sale_payment(s, method, paid));
    bo_assert_ok(bo_inventory_sale_post(book, s, &id));
    bo_sale_free(s);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    return id;
}

/* When the till recorded sale @p id (its audit record's moment). */
static void recorded(int64_t id, const char *at)
{
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE audit_log SET at = '%s' WHERE object = 'sale:%lld'"
             " AND action = 'inventory.sale.post'", at, (long long)id);
    bo_test_raw_sql(uri, sql);
}

static int64_t sale1, sale2, sale3;

static void setup(void)
{
    uri = bo_test_path("report");
    bo_book_options bo = BO_BOOK_OPTIONS_INIT;
    bo.actor = "owner";
    bo.create = 1;
    bo.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2200", "VAT", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20%", .rate_ppm = 200000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    const char *settings[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" },      { "account.adjustments", "5200" },
        { "account.revenue", "4000" },   { "payment.cash", "1000" },
        { "payment.card", "1100" },
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, settings[i][0], settings[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Jakarta", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "S2", "Makassar", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_item_add(book, "C", "Cable", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_item_add(book, "B", "Beans", 3, BO_INVENTORY_AVERAGE, NULL));
    const char *cats[][2] = { { "A", "hardware" }, { "C", "hardware" }, { "B", "food" } };
    for (int i = 0; i < 3; i++) {
        bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
        ch.category = cats[i][1];
        bo_assert_ok(bo_inventory_item_update(book, cats[i][0], &ch));
    }
    receive("A", "S1", 10, 1000);
    receive("C", "S1", 10, 1000);
    receive("C", "S2", 10, 1000);
    receive("B", "S1", 5000, 5000);
    bo_assert_ok(bo_role_grant(book, "ani", "owner"));
    bo_assert_ok(bo_role_grant(book, "budi", "owner"));
    sale1 = sell("ani", "2021-03-01", "A", "S1", 2, 500, 100, "cash", 1100);
    sale2 = sell("budi", "2021-02-28", "B", "S1", 1500, 2000, 0, "card", 3000);
    sale3 = sell("ani", "2021-03-02", "C", "S2", 1, 500, 0, "card", 500);
    sell("owner", "2021-02-22", "C", "S1", 1, 500, 0, "card", 500);
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale1,
            .line = 1, .qty = 1, .date = D("2021-03-02"), .method = "cash",
            .key = "ret-1" }, NULL));
    recorded(sale1, "2021-03-01T02:15:00.000Z");
    recorded(sale2, "2021-02-28T23:30:00.000Z");
    recorded(sale3, "2021-03-01T17:10:00.000Z");
}

static void teardown(void)
{
    bo_test_book_free(book);
    book = NULL;
    free(uri);
    uri = NULL;
}

static bo_report_options opts(int group, const char *zones)
{
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D("2021-03-01");
    o.to = D("2021-03-02");
    o.group = group;
    o.zones = zones;
    return o;
}

#define ZONES "S1=WIB,S2=WITA"

/* One metric row: the named columns of the row whose key is @p key. */
typedef struct row {
    int found;
    int64_t sales, qty, gross, disc, ret, net, cost, margin, basket, prev_sales, prev_net;
} row;

static row get(const bo_report_options *o, const char *key, int *nrows)
{
    bo_cursor *c;
    row r = { 0 };
    int rc, n = 0;
    bo_assert_ok(bo_report_metrics(book, o, &c));
    while ((rc = bo_cursor_next(c)) == 0) {
        n++;
        if (strcmp(bo_cursor_text(c, 0), key) != 0)
            continue;
        r.found = 1;
        r.sales = bo_cursor_int(c, 1);
        r.qty = bo_cursor_int(c, 3);
        r.gross = bo_cursor_int(c, 4);
        r.disc = bo_cursor_int(c, 5);
        r.ret = bo_cursor_int(c, 6);
        r.net = bo_cursor_int(c, 7);
        r.cost = bo_cursor_int(c, 8);
        r.margin = bo_cursor_int(c, 9);
        r.basket = bo_cursor_int(c, 10);
        r.prev_sales = bo_cursor_int(c, 11);
        r.prev_net = bo_cursor_int(c, 12);
        ck_assert_int_eq(r.net, r.gross - r.disc - r.ret); /* the definition */
        ck_assert_int_eq(r.margin, r.net - r.cost);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    if (nrows)
        *nrows = n;
    return r;
}

START_TEST(metrics_total_by_definition)
{
    bo_report_options o = opts(BO_REPORT_TOTAL, ZONES);
    int n;
    row r = get(&o, "total", &n);
    ck_assert_int_eq(n, 1);
    ck_assert(r.found);
    ck_assert_int_eq(r.sales, 3);
    ck_assert_int_eq(r.gross, 4333);
    ck_assert_int_eq(r.disc, 83);
    ck_assert_int_eq(r.ret, 375);
    ck_assert_int_eq(r.net, 3875);
    ck_assert_int_eq(r.cost, 1700); /* at the time of sale, less returned cost */
    ck_assert_int_eq(r.margin, 2175);
    ck_assert_int_eq(r.basket, 1417); /* 4250 / 3 = 1416.67 */
}
END_TEST

/* A sale recorded at 23:30 UTC counts on the next local day in Jakarta;
 * in UTC it stays on its own day. */
START_TEST(metrics_day_in_store_zone)
{
    bo_report_options o = opts(BO_REPORT_DAY, ZONES);
    int n;
    row d1 = get(&o, "2021-03-01", &n);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(d1.sales, 2);
    ck_assert_int_eq(d1.net, 3750);
    ck_assert_int_eq(d1.cost, 1700);
    row d2 = get(&o, "2021-03-02", NULL);
    ck_assert_int_eq(d2.sales, 1);
    ck_assert_int_eq(d2.net, 500 - 375);
    ck_assert_int_eq(d2.cost, 0);
    o = opts(BO_REPORT_DAY, NULL); /* UTC: sale 2 is on 02-28, outside */
    d1 = get(&o, "2021-03-01", NULL);
    ck_assert_int_eq(d1.sales, 2); /* sale 1 and sale 3 (17:10 UTC on 03-01) */
    ck_assert_int_eq(d1.net, 750 + 500);
    o.from = D("2021-02-28");
    row d0 = get(&o, "2021-02-28", NULL);
    ck_assert_int_eq(d0.net, 3000);
}
END_TEST

START_TEST(metrics_hour_and_heatmap)
{
    bo_report_options o = opts(BO_REPORT_HOUR, ZONES);
    ck_assert_int_eq(get(&o, "06", NULL).net, 3000); /* 23:30 UTC = 06:30 WIB */
    ck_assert_int_eq(get(&o, "09", NULL).net, 750);
    ck_assert_int_eq(get(&o, "01", NULL).net, 500); /* 17:10 UTC = 01:10 WITA */
    ck_assert_int_eq(get(&o, "unknown", NULL).ret, 375); /* the return's moment is now */
    o = opts(BO_REPORT_WEEKDAY_HOUR, ZONES);
    ck_assert_int_eq(get(&o, "Mon 06", NULL).net, 3000); /* 2021-03-01 is a Monday */
    ck_assert_int_eq(get(&o, "Tue 01", NULL).net, 500);
    o = opts(BO_REPORT_WEEKDAY, ZONES);
    ck_assert_int_eq(get(&o, "Mon", NULL).net, 3750);
}
END_TEST

START_TEST(metrics_by_store_item_category_cashier)
{
    bo_report_options o = opts(BO_REPORT_STORE, ZONES);
    ck_assert_int_eq(get(&o, "S1", NULL).net, 3750 - 375);
    ck_assert_int_eq(get(&o, "S2", NULL).net, 500);
    o = opts(BO_REPORT_ITEM, ZONES);
    row a = get(&o, "A", NULL);
    ck_assert_int_eq(a.qty, 2 - 1);
    ck_assert_int_eq(a.gross, 833);
    ck_assert_int_eq(a.disc, 83);
    ck_assert_int_eq(a.margin, (750 - 375) - (200 - 100));
    ck_assert_int_eq(get(&o, "B", NULL).qty, 1500);
    o = opts(BO_REPORT_CATEGORY, ZONES);
    ck_assert_int_eq(get(&o, "hardware", NULL).net, 375 + 500);
    ck_assert_int_eq(get(&o, "food", NULL).net, 3000);
    o = opts(BO_REPORT_CASHIER, ZONES);
    row ani = get(&o, "ani", NULL);
    ck_assert_int_eq(ani.sales, 2);
    ck_assert_int_eq(ani.net, 375 + 500);
    ck_assert_int_eq(get(&o, "budi", NULL).net, 3000);
    o.store = "S2";
    ck_assert_int_eq(get(&o, "ani", NULL).net, 500);
}
END_TEST

/* Cash less the change given; the return refunded in cash. */
START_TEST(metrics_by_payment_method)
{
    bo_report_options o = opts(BO_REPORT_PAYMENT, ZONES);
    row cash = get(&o, "cash", NULL);
    ck_assert_int_eq(cash.sales, 1);
    ck_assert_int_eq(cash.gross, 833);
    ck_assert_int_eq(cash.ret, 375);
    ck_assert_int_eq(cash.net, 375);
    row card = get(&o, "card", NULL);
    ck_assert_int_eq(card.sales, 2);
    ck_assert_int_eq(card.net, 3500);
    ck_assert_int_eq(card.cost, 1600);
}
END_TEST

START_TEST(metrics_compare_previous_week)
{
    bo_report_options o = opts(BO_REPORT_TOTAL, ZONES);
    o.compare = BO_REPORT_COMPARE_WEEK;
    row t = get(&o, "total", NULL);
    ck_assert_int_eq(t.net, 3875);
    ck_assert_int_eq(t.prev_sales, 1);
    ck_assert_int_eq(t.prev_net, 500);
    o.group = BO_REPORT_DAY;
    ck_assert_int_eq(get(&o, "2021-03-01", NULL).prev_net, 500); /* 02-22 */
    o.compare = BO_REPORT_COMPARE_YEAR;
    o.group = BO_REPORT_TOTAL;
    ck_assert_int_eq(get(&o, "total", NULL).prev_net, 0);
}
END_TEST

START_TEST(metrics_bad_options)
{
    bo_cursor *c = (bo_cursor *)1;
    bo_report_options o = opts(BO_REPORT_DAY, "S1=Mars");
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "zones: item 1"));
    o = opts(BO_REPORT_DAY, "S1");
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    o = opts(42, NULL);
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "group"));
    o = opts(BO_REPORT_DAY, NULL);
    o.to = o.from - 1;
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "from/to"));
    o = opts(BO_REPORT_DAY, NULL);
    o.version = 99;
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_int_eq(bo_report_options_init(&o, 99), BO_EINVAL);
    /* a clerk without inventory.read */
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "cleo", "clerk"));
    bo_assert_ok(bo_book_set_actor(book, "cleo"));
    o = opts(BO_REPORT_DAY, NULL);
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EDENIED);
}
END_TEST

START_TEST(money_for_people)
{
    char buf[48];
    bo_assert_ok(bo_report_money(1234500000, "IDR", buf, sizeof buf));
    ck_assert_str_eq(buf, "Rp 12.345.000");
    bo_assert_ok(bo_report_money(1234550, "IDR", buf, sizeof buf));
    ck_assert_str_eq(buf, "Rp 12.345,50");
    bo_assert_ok(bo_report_money(123450, "USD", buf, sizeof buf));
    ck_assert_str_eq(buf, "$1,234.50");
    bo_assert_ok(bo_report_money(-123450, "USD", buf, sizeof buf));
    ck_assert_str_eq(buf, "-$1,234.50");
    bo_assert_ok(bo_report_money(5, "USD", buf, sizeof buf));
    ck_assert_str_eq(buf, "$0.05");
    bo_assert_ok(bo_report_money(123450, "EUR", buf, sizeof buf));
    ck_assert_str_eq(buf, "\xe2\x82\xac" "1.234,50");
    bo_assert_ok(bo_report_money(INT64_MIN, "USD", buf, sizeof buf));
    ck_assert_str_eq(buf, "-$92,233,720,368,547,758.08");
    bo_assert_ok(bo_report_money(INT64_MAX, "JPY", buf, sizeof buf));
    ck_assert_str_eq(buf, "\xc2\xa5" "9,223,372,036,854,775,807");
    bo_assert_ok(bo_report_money(100000, "CHF", buf, sizeof buf));
    ck_assert_str_eq(buf, "1,000.00 CHF");
    bo_assert_err(bo_report_money(1, "XX", buf, sizeof buf), BO_ECURRENCY);
    bo_assert_err(bo_report_money(123450, "USD", buf, 5), BO_ETOOLONG);
}
END_TEST


/* The dashboard file: one bar per day carrying that day's net sales, the
 * tiles, the aging total equal to its buckets, no script, no outside URL. */
START_TEST(dashboard_file)
{
    char *path = bo_test_file("dashboard.html");
    bo_report_options o = opts(BO_REPORT_DAY, ZONES);
    bo_assert_ok(bo_report_dashboard(book, &o, path));
    size_t len;
    char *html = bo_test_slurp(path, &len);
    ck_assert_ptr_nonnull(strstr(html, "data-key=\"2021-03-01\" data-value=\"3750\""));
    ck_assert_ptr_nonnull(strstr(html, "data-key=\"2021-03-02\" data-value=\"125\""));
    ck_assert_ptr_nonnull(strstr(html, "id=\"tile-net\" data-value=\"3875\" data-prev=\"500\""));
    ck_assert_ptr_nonnull(strstr(html, "$38.75"));
    ck_assert_ptr_nonnull(strstr(html, "+675.0%"));
    ck_assert_ptr_nonnull(strstr(html, "data-key=\"Mon 06\" data-value=\"3000\""));
    ck_assert_ptr_nonnull(strstr(html, "No cashier sessions"));
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "http"));
    /* the same bytes again */
    char *again_path = bo_test_file("dashboard2.html");
    bo_assert_ok(bo_report_dashboard(book, &o, again_path));
    size_t len2;
    char *again = bo_test_slurp(again_path, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(html, again, len) == 0);
    free(again);
    free(again_path);
    /* a bad option writes nothing */
    char *none = bo_test_file("none.html");
    o.group = 77; /* the dashboard checks its options like the metrics */
    bo_assert_err(bo_report_dashboard(book, &o, none), BO_EINVAL);
    ck_assert_int_ne(access(none, F_OK), 0);
    free(none);
    free(html);
    free(path);
}
END_TEST

/* The statements in each format: the income statement of 03-01..03-02 is
 * sales 7.50 + 5.00 - 3.75 (the return) = 8.75 and cost of goods 2.00 + 1.00
 * - 1.00 = 2.00; compared with the period before (02-27..02-28: sale 2's
 * 30.00 less its cost 15.00). */
START_TEST(statements_in_every_format)
{
    bo_report_options o = opts(BO_REPORT_DAY, NULL);
    o.compare = BO_REPORT_COMPARE_PERIOD;
    char *html = bo_test_file("is.html"), *csv = bo_test_file("is.csv"),
         *pdf = bo_test_file("is.pdf"), *xlsx = bo_test_file("tb.xlsx");
    bo_assert_ok(bo_report_statement_write(book, BO_REPORT_INCOME_STATEMENT, &o,
                                           BO_REPORT_HTML, html));
    size_t len;
    char *text = bo_test_slurp(html, &len);
    ck_assert_ptr_nonnull(strstr(text, "<h2>Income statement</h2>"));
    ck_assert_ptr_nonnull(strstr(text, "From 2021-03-01 to 2021-03-02; comparison 2021-02-27"
                                       " to 2021-02-28"));
    ck_assert_ptr_nonnull(strstr(text, "data-value=\"875\">$8.75</td><td class=\"m\""
                                       " data-value=\"3000\">$30.00"));
    free(text);
    bo_assert_ok(bo_report_statement_write(book, BO_REPORT_INCOME_STATEMENT, &o,
                                           BO_REPORT_CSV, csv));
    text = bo_test_slurp(csv, &len);
    ck_assert_ptr_nonnull(strstr(text, "Section,Code,Account,Currency,Amount,Comparison\r\n"));
    ck_assert_ptr_nonnull(strstr(text, ",5100,COGS,USD,2.00,15.00\r\n"));
    free(text);
    bo_assert_ok(bo_report_statement_write(book, BO_REPORT_BALANCE_SHEET, &o, BO_REPORT_PDF,
                                           pdf));
    text = bo_test_slurp(pdf, &len);
    ck_assert(len > 1000 && memcmp(text, "%PDF-", 5) == 0);
    free(text);
    bo_assert_ok(bo_report_statement_write(book, BO_REPORT_TRIAL_BALANCE, &o, BO_REPORT_XLSX,
                                           xlsx));
    text = bo_test_slurp(xlsx, &len);
    ck_assert(len > 1000 && memcmp(text, "PK", 2) == 0);
    free(text);
    /* bad input writes nothing */
    char *none = bo_test_file("none.csv");
    bo_assert_err(bo_report_statement_write(book, 9, &o, BO_REPORT_CSV, none), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "statement"));
    bo_assert_err(bo_report_statement_write(book, BO_REPORT_AGING, &o, 9, none), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "format"));
    ck_assert_int_ne(access(none, F_OK), 0);
    free(none);
    free(html);
    free(csv);
    free(pdf);
    free(xlsx);
}
END_TEST

/* Sum of column col over the metric rows of group in UTC over from..to. */
static int64_t sum_of(int group, const char *from, const char *to, int col)
{
    bo_report_options o = opts(group, NULL);
    o.from = D(from);
    o.to = D(to);
    bo_cursor *c;
    int64_t sum = 0;
    int rc;
    bo_assert_ok(bo_report_metrics(book, &o, &c));
    while ((rc = bo_cursor_next(c)) == 0) {
        ck_assert_int_eq(bo_cursor_int(c, 7),
                         bo_cursor_int(c, 4) - bo_cursor_int(c, 5) - bo_cursor_int(c, 6));
        ck_assert_int_eq(bo_cursor_int(c, 9), bo_cursor_int(c, 7) - bo_cursor_int(c, 8));
        sum += bo_cursor_int(c, col);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return sum;
}

static int64_t movement(const char *account, const char *from, const char *to)
{
    int64_t a = 0, b = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D(to), NULL, &b));
    bo_assert_ok(bo_ledger_balance(book, account, D(from) - 1, NULL, &a));
    return b - a;
}

/* A random book: 60 sales over ten days in two stores, random quantities,
 * prices and discounts (tax-inclusive on a taxed item), some returns. Net
 * sales equal the movement of the sales account in the ledger, cost the
 * movement of cost of goods (the cost recorded at each sale), and every
 * grouping adds up to the same total. */
START_TEST(metrics_random_book_invariants)
{
    srand(20210301);
    /* after the fixture's March sales and return: a receipt dated before
     * them would revalue them, and one before a return is refused */
    receive_on("2021-03-31", "A", "S1", 1000, 100000);
    receive_on("2021-03-31", "C", "S2", 1000, 50000);
    receive_on("2021-03-31", "B", "S1", 500000, 400000);
    static const char *const skus[] = { "A", "C", "B" }, *const locs[] = { "S1", "S2", "S1" };
    static const char *const methods[] = { "cash", "card" };
    int64_t ids[60];
    for (int i = 0; i < 60; i++) {
        int k = rand() % 3;
        char date[11];
        snprintf(date, sizeof date, "2021-04-%02d", 1 + rand() % 10);
        int64_t qty = k == 2 ? 1000 * (1 + rand() % 3) : 1 + rand() % 5;
        int64_t price = 100 + rand() % 5000;
        int64_t whole = k == 2 ? price * qty / 1000 : price * qty;
        int64_t discount = rand() % 3 == 0 ? rand() % (whole / 2 + 1) : 0;
        /* the till's prices include tax: the card pays the total, cash
         * more (change given) */
        int m = rand() % 2;
        ids[i] = sell(i % 2 ? "ani" : "budi", date, skus[k], locs[k], qty, price, discount,
                      methods[m], m ? whole - discount : whole + 100);
    }
    for (int i = 0; i < 60; i += 7) {
        char date[11];
        snprintf(date, sizeof date, "2021-04-%02d", 10);
        bo_inventory_return_options r = { .version = BO_INVENTORY_RETURN_OPTIONS_VERSION,
                                          .sale_id = ids[i], .line = 1, .qty = 1,
                                          .date = D(date), .method = "cash",
                                          .key = bo_test_key() };
        bo_assert_ok(bo_inventory_return(book, &r, NULL));
    }
    const char *from = "2021-04-01", *to = "2021-04-10";
    int64_t net = sum_of(BO_REPORT_TOTAL, from, to, 7);
    int64_t cost = sum_of(BO_REPORT_TOTAL, from, to, 8);
    ck_assert_int_eq(net, -movement("4000", from, to));
    ck_assert_int_eq(cost, movement("5100", from, to));
    ck_assert_int_eq(sum_of(BO_REPORT_TOTAL, from, to, 1), 60);
    int groups[] = { BO_REPORT_DAY, BO_REPORT_HOUR, BO_REPORT_WEEKDAY_HOUR, BO_REPORT_WEEKDAY,
                     BO_REPORT_STORE, BO_REPORT_ITEM, BO_REPORT_CATEGORY, BO_REPORT_CASHIER,
                     BO_REPORT_PAYMENT };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        ck_assert_int_eq(sum_of(groups[g], from, to, 7), net);
        ck_assert_int_eq(sum_of(groups[g], from, to, 8), cost);
        ck_assert_int_eq(sum_of(groups[g], from, to, 4), sum_of(BO_REPORT_TOTAL, from, to, 4));
        ck_assert_int_eq(sum_of(groups[g], from, to, 5), sum_of(BO_REPORT_TOTAL, from, to, 5));
    }
    /* each day against the ledger's day */
    for (int d = 1; d <= 10; d++) {
        char day[11];
        snprintf(day, sizeof day, "2021-04-%02d", d);
        ck_assert_int_eq(sum_of(BO_REPORT_TOTAL, day, day, 7), -movement("4000", day, day));
    }
}
END_TEST


/* A random book with a promotion: 40 sales of the untaxed cable over ten
 * days in two stores at random prices, 10% off by a promotion, some with a
 * line discount of their own too, and some returns. Gross is the list
 * price times the quantity of every line (what the till would have taken
 * without discounts: an independent sum kept here), discounts are gross
 * less what the sales account received, and net = gross - discounts -
 * returns holds in every row and every grouping. */
START_TEST(metrics_random_book_promotions)
{
    srand(20210401);
    bo_inventory_promotion p;
    bo_assert_ok(bo_inventory_promotion_init(&p, BO_INVENTORY_PROMOTION_VERSION));
    p.code = "CABLE10";
    p.kind = "percent";
    p.sku = "C";
    p.value = 1000;
    p.from = D("2021-04-01");
    p.to = D("2021-04-10");
    bo_assert_ok(bo_inventory_promotion_set(book, &p));
    receive_on("2021-03-31", "C", "S1", 1000, 50000);
    receive_on("2021-03-31", "C", "S2", 1000, 50000);
    static const char *const locs[] = { "S1", "S2" };
    int64_t ids[40], gross = 0;
    for (int i = 0; i < 40; i++) {
        char date[11];
        snprintf(date, sizeof date, "2021-04-%02d", 1 + rand() % 10);
        int64_t qty = 1 + rand() % 5, price = 100 + rand() % 5000, whole = price * qty;
        /* the line's own discount comes off after the promotion's 10% */
        int64_t discount = rand() % 3 == 0 ? rand() % (whole / 2 + 1) : 0;
        gross += whole;
        ids[i] = sell(i % 2 ? "ani" : "budi", date, "C", locs[rand() % 2], qty, price,
                      discount, "cash", whole);
    }
    for (int i = 0; i < 40; i += 6) {
        bo_inventory_return_options r = { .version = BO_INVENTORY_RETURN_OPTIONS_VERSION,
                                          .sale_id = ids[i], .line = 1, .qty = 1,
                                          .date = D("2021-04-10"), .method = "cash",
                                          .key = bo_test_key() };
        bo_assert_ok(bo_inventory_return(book, &r, NULL));
    }
    const char *from = "2021-04-01", *to = "2021-04-10";
    int64_t net = sum_of(BO_REPORT_TOTAL, from, to, 7), ret = sum_of(BO_REPORT_TOTAL, from, to, 6);
    ck_assert_int_eq(sum_of(BO_REPORT_TOTAL, from, to, 4), gross);
    ck_assert_int_eq(net, -movement("4000", from, to));
    /* what the sales account received before returns, less the gross */
    ck_assert_int_eq(sum_of(BO_REPORT_TOTAL, from, to, 5), gross - (net + ret));
    ck_assert_int_gt(sum_of(BO_REPORT_TOTAL, from, to, 5), gross / 10 - 40);
    int groups[] = { BO_REPORT_DAY, BO_REPORT_STORE, BO_REPORT_ITEM, BO_REPORT_CASHIER,
                     BO_REPORT_PAYMENT };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        ck_assert_int_eq(sum_of(groups[g], from, to, 4), gross);
        ck_assert_int_eq(sum_of(groups[g], from, to, 5), sum_of(BO_REPORT_TOTAL, from, to, 5));
        ck_assert_int_eq(sum_of(groups[g], from, to, 7), net);
    }
}
END_TEST

/* The dashboard's one pass over the period (bo__rep_tables) gives, group
 * by group, the same rows as a pass of each grouping alone
 * (bo__rep_table), returns and time zones included; grouping by payment
 * is refused beside other groupings, and nothing is returned then. */
START_TEST(metrics_one_pass_equals_each_grouping)
{
    bo_report_options o = opts(BO_REPORT_TOTAL, ZONES);
    o.from = D("2021-02-20");
    o.to = D("2021-03-05");
    bo__rep_zones z;
    bo_assert_ok(bo__rep_check(book, &o, &z));
    const int groups[] = { BO_REPORT_DAY, BO_REPORT_WEEKDAY_HOUR, BO_REPORT_ITEM,
                           BO_REPORT_CASHIER };
    enum { NG = sizeof groups / sizeof groups[0], NC = 16 };
    bo__cell *cells[NG];
    size_t n[NG];
    bo_assert_ok(bo__rep_tables(book, &o, &z, groups, NG, cells, n));
    for (int g = 0; g < NG; g++) {
        bo_report_options one = o;
        one.group = groups[g];
        bo__cell *c1;
        size_t n1;
        bo_assert_ok(bo__rep_table(book, &one, &z, &c1, &n1));
        ck_assert_uint_eq(n[g], n1);
        ck_assert_uint_gt(n1, 0);
        for (size_t i = 0; i < n1 * NC; i++) {
            ck_assert_int_eq(cells[g][i].type, c1[i].type);
            if (c1[i].type == BO_TYPE_TEXT)
                ck_assert_str_eq(cells[g][i].text, c1[i].text);
            else
                ck_assert_int_eq(cells[g][i].i, c1[i].i);
        }
        bo__cells_free(c1, n1 * NC);
        bo__cells_free(cells[g], n[g] * NC);
    }
    const int pay[] = { BO_REPORT_DAY, BO_REPORT_PAYMENT };
    cells[0] = cells[1] = NULL;
    bo_assert_err(bo__rep_tables(book, &o, &z, pay, 2, cells, n), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "groups"));
    ck_assert_ptr_null(cells[0]);
    bo_assert_err(bo__rep_tables(book, &o, &z, groups, 0, cells, n), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "groups"));
    bo__rep_zones_free(&z);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("metrics");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_tags(tc, BO_TEST_TAG_REOPEN); /* raw SQL sets when sales were recorded */
    tcase_add_test(tc, metrics_total_by_definition);
    tcase_add_test(tc, metrics_day_in_store_zone);
    tcase_add_test(tc, metrics_hour_and_heatmap);
    tcase_add_test(tc, metrics_by_store_item_category_cashier);
    tcase_add_test(tc, metrics_by_payment_method);
    tcase_add_test(tc, metrics_compare_previous_week);
    tcase_add_test(tc, metrics_bad_options);
    tcase_add_test(tc, dashboard_file);
    tcase_add_test(tc, statements_in_every_format);
    tcase_add_test(tc, metrics_random_book_invariants);
    tcase_add_test(tc, metrics_random_book_promotions);
    tcase_add_test(tc, metrics_one_pass_equals_each_grouping);
    suite_add_tcase(s, tc);
    TCase *tm = tcase_create("money");
    tcase_add_test(tm, money_for_people);
    suite_add_tcase(s, tm);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
