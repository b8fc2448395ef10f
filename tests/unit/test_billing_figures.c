/* Figures a bookkeeper would catch: worked examples of the tax report (till
 * sales, a closed month), the cash-flow statement of a till-only book, the
 * aging of unapplied credit, credit applied in pieces in a foreign
 * currency, a credit note after its invoice was reversed, and allocations
 * dated before the money existed. */
#include "test_billing_fixture.h"

#include <stdio.h>
#include <stdlib.h>

static void setup(void)
{
    book = bo_test_book("billing_figures");
    billing_fixture();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

/* The till on top of the billing fixture: item A taxed "standard" (VAT20,
 * tax payable 2100), item B "reduced" (VAT5, same account), stock in S1. */
static void till(void)
{
    bo_assert_ok(bo_ledger_account_add(book, "1400", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2300", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5300", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    const char *set[][2] = {
        { "account.inventory", "1400" }, { "account.cogs", "5300" },
        { "account.grni", "2300" }, { "account.revenue", "4000" },
        { "payment.cash", "1000" }, { "payment.card", "1100" },
    };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        bo_assert_ok(bo_inventory_setting_set(book, set[i][0], set[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Mug", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_item_add(book, "B", "Book", 0, BO_INVENTORY_FIFO, "reduced"));
    int64_t id;
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 10, .cost = 6000, .date = D("2026-03-01"), .key = "r-a" }, &id));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "B", .location = "S1",
            .qty = 10, .cost = 5000, .date = D("2026-03-01"), .key = "r-b" }, &id));
}

/* One report row's figures, looked up by rate (NULL: the "other" row). */
typedef struct tax_row {
    int64_t sales_base, sales_tax, purchase_base, purchase_tax, sales_book,
        purchase_book, other;
} tax_row;

static int tax_report_row(const char *from, const char *to, const char *rate, tax_row *r)
{
    bo_cursor *c;
    int found = 0, rc;
    memset(r, 0, sizeof *r);
    bo_assert_ok(bo_billing_tax_report(book, D(from), D(to), &c));
    ck_assert_int_eq(bo_cursor_column_count(c), 9);
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *name = bo_cursor_type(c, 0) == BO_TYPE_NULL ? NULL : bo_cursor_text(c, 0);
        if ((rate == NULL) != (name == NULL) || (rate && strcmp(rate, name)))
            continue;
        found++;
        r->sales_base += bo_cursor_int(c, 2);
        r->sales_tax += bo_cursor_int(c, 3);
        r->purchase_base += bo_cursor_int(c, 4);
        r->purchase_tax += bo_cursor_int(c, 5);
        r->sales_book += bo_cursor_int(c, 6);
        r->purchase_book += bo_cursor_int(c, 7);
        r->other += bo_cursor_int(c, 8);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return found;
}

/* The report's book-currency figures over all rows, as a movement of the
 * tax accounts (debit-positive): purchase tax - sales tax + other. */
static int64_t report_movement(const char *from, const char *to)
{
    bo_cursor *c;
    int64_t m = 0;
    bo_assert_ok(bo_billing_tax_report(book, D(from), D(to), &c));
    while (bo_cursor_next(c) == 0)
        m += bo_cursor_int(c, 7) - bo_cursor_int(c, 6) + bo_cursor_int(c, 8);
    bo_cursor_free(c);
    return m;
}

/* The movement of the tax accounts (those the tax rates name) from..to. */
static int64_t tax_accounts_movement(const char *from, const char *to)
{
    bo_cursor *c;
    char seen[16][BO_CODE_MAX + 1];
    int n = 0;
    int64_t m = 0;
    bo_assert_ok(bo_tax_rates(book, &c));
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
            bo_assert_ok(bo_ledger_balance(book, a, D(to), NULL, &end));
            bo_assert_ok(bo_ledger_balance(book, a, D(from) - 1, NULL, &start));
            m += end - start;
        }
    bo_cursor_free(c);
    return m;
}

/* Item 1. Till sales and returns are taxed postings like invoices: the
 * report shows them, and its totals equal the tax accounts' movement.
 * Sale: 2 mugs at 12.00 with VAT 20 % included (net 20.00, tax 4.00) and a
 * book at 10.50 with VAT 5 % included (net 10.00, tax 0.50); one mug
 * returned (net 10.00, tax 2.00); an invoice of 100.00 + 20.00 and a bill
 * of 50.00 + 10.00 beside them. */
START_TEST(figures_tax_report_includes_till_sales)
{
    till();
    bo_sale *s;
    int64_t sale, ret;
    bo_assert_ok(bo_sale_new(&s, D("2026-03-05"), NULL));
    bo_assert_ok(bo_sale_set_key(s, "till-1"));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 2, 1200, 0));
    bo_assert_ok(bo_sale_line(s, "B", "S1", 1, 1050, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 3450));
    bo_assert_ok(bo_inventory_sale_post(book, s, &sale));
    bo_sale_free(s);
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale,
            .line = 1, .qty = 1, .date = D("2026-03-06"), .method = "cash",
            .key = "ret-1" }, &ret));
    invoice1(BO_INVOICE_SALES, "C1", "2026-03-07", NULL, "4000", 10000, "standard");
    invoice1(BO_INVOICE_PURCHASE, "V1", "2026-03-08", NULL, "5000", 5000, "standard");
    ck_assert_int_eq(balance("2100", "2026-03-31"), -(400 + 50 - 200 + 2000));

    tax_row r;
    ck_assert_int_eq(tax_report_row("2026-03-01", "2026-03-31", "VAT20", &r), 1);
    ck_assert_int_eq(r.sales_base, 2000 - 1000 + 10000);
    ck_assert_int_eq(r.sales_tax, 400 - 200 + 2000);
    ck_assert_int_eq(r.sales_book, 400 - 200 + 2000);
    ck_assert_int_eq(r.purchase_base, 5000);
    ck_assert_int_eq(r.purchase_tax, 1000);
    ck_assert_int_eq(r.purchase_book, 1000);
    ck_assert_int_eq(tax_report_row("2026-03-01", "2026-03-31", "VAT5", &r), 1);
    ck_assert_int_eq(r.sales_base, 1000);
    ck_assert_int_eq(r.sales_tax, 50);
    ck_assert_int_eq(tax_report_row("2026-03-01", "2026-03-31", NULL, &r), 0);
    ck_assert_int_eq(report_movement("2026-03-01", "2026-03-31"),
                     tax_accounts_movement("2026-03-01", "2026-03-31"));
    /* The return falls in its own day: the 5th shows the sale alone. */
    ck_assert_int_eq(tax_report_row("2026-03-05", "2026-03-05", "VAT20", &r), 1);
    ck_assert_int_eq(r.sales_tax, 400);
    ck_assert_int_eq(tax_report_row("2026-03-06", "2026-03-06", "VAT20", &r), 1);
    ck_assert_int_eq(r.sales_base, -1000);
    ck_assert_int_eq(r.sales_tax, -200);

    /* A settlement with the tax office is no document's tax: it shows as
     * "other" (debits positive), so the totals still equal the movement. */
    bo_test_post2(book, "2026-03-20", "2100", "1100", 1000);
    ck_assert_int_eq(tax_report_row("2026-03-01", "2026-03-31", NULL, &r), 1);
    ck_assert_int_eq(r.other, 1000);
    ck_assert_int_eq(report_movement("2026-03-01", "2026-03-31"),
                     tax_accounts_movement("2026-03-01", "2026-03-31"));
}
END_TEST

/* Item 10. Reversing in February an invoice of a closed January moves the
 * tax back in February: January's report stays what it was, February's
 * shows the reversal, and each equals its month's movement. */
START_TEST(figures_closed_month_tax_report)
{
    int64_t id = invoice1(BO_INVOICE_SALES, "C1", "2026-01-20", NULL, "4000", 10000,
                          "standard");
    bo_assert_ok(bo_ledger_period_add(book, "2026-01", D("2026-01-01"), D("2026-01-31")));
    bo_assert_ok(bo_ledger_period_add(book, "2026-02", D("2026-02-01"), D("2026-02-28")));
    bo_assert_ok(bo_ledger_period_close(book, "2026-01"));
    tax_row jan, after, feb;
    ck_assert_int_eq(tax_report_row("2026-01-01", "2026-01-31", "VAT20", &jan), 1);
    ck_assert_int_eq(jan.sales_base, 10000);
    ck_assert_int_eq(jan.sales_tax, 2000);
    bo_assert_ok(bo_billing_invoice_reverse(book, id, D("2026-02-05"), NULL));
    ck_assert_int_eq(tax_report_row("2026-01-01", "2026-01-31", "VAT20", &after), 1);
    ck_assert_mem_eq(&jan, &after, sizeof jan);
    ck_assert_int_eq(tax_report_row("2026-02-01", "2026-02-28", "VAT20", &feb), 1);
    ck_assert_int_eq(feb.sales_base, -10000);
    ck_assert_int_eq(feb.sales_tax, -2000);
    ck_assert_int_eq(feb.sales_book, -2000);
    const char *months[][2] = { { "2026-01-01", "2026-01-31" }, { "2026-02-01", "2026-02-28" } };
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(report_movement(months[i][0], months[i][1]),
                         tax_accounts_movement(months[i][0], months[i][1]));
    /* Over both months the invoice and its reversal cancel out. */
    ck_assert_int_eq(tax_report_row("2026-01-01", "2026-02-28", "VAT20", &feb), 1);
    ck_assert_int_eq(feb.sales_tax, 0);
}
END_TEST

static char *read_pack(const char *name, size_t *len)
{
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    ck_assert_ptr_nonnull(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Item 4. A shop with a till and a payroll and no billing at all: its cash
 * flow is the till's takings and the wages paid. Two mugs at 12.00 with
 * VAT 20 % included, paid in cash (revenue 20.00, tax 4.00; their cost of
 * 12.00 moves no cash); one employee's January salary of 2,500.00 paid
 * from the bank: net 2,225.00 (tax 150.00, pension 125.00). */
START_TEST(figures_cash_flow_till_and_payroll)
{
    bo_book_free(book);
    book = bo_test_book("cash_flow_till");
    bo_test_chart(book);
    const char *acc[][3] = {
        { "1400", "Inventory", "1" }, { "2100", "Net pay payable", "2" },
        { "2210", "Income tax payable", "2" }, { "2220", "Pension payable", "2" },
        { "2300", "GRNI", "2" }, { "2400", "Sales tax", "2" },
        { "5100", "Wages", "5" }, { "5200", "Employer contributions", "5" },
        { "5300", "COGS", "5" },
    };
    for (size_t i = 0; i < sizeof acc / sizeof *acc; i++)
        bo_assert_ok(bo_ledger_account_add(book, acc[i][0], acc[i][1], atoi(acc[i][2]),
                                           NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20 %", .rate_ppm = 200000, .sales_account = "2400" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    const char *set[][2] = {
        { "account.inventory", "1400" }, { "account.cogs", "5300" },
        { "account.grni", "2300" }, { "account.revenue", "4000" },
        { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        bo_assert_ok(bo_inventory_setting_set(book, set[i][0], set[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Mug", 0, BO_INVENTORY_FIFO, "standard"));
    int64_t id;
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 10, .cost = 6000, .date = D("2026-01-02"), .key = "r-1" }, &id));
    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, D("2026-01-05"), NULL));
    bo_assert_ok(bo_sale_set_key(s, "till-1"));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 2, 1200, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 2400));
    bo_assert_ok(bo_inventory_sale_post(book, s, &id));
    bo_sale_free(s);

    size_t len;
    char *pack = read_pack("generic.yaml", &len);
    bo_assert_ok(bo_payroll_pack_load(book, pack, len, "generic.yaml"));
    free(pack);
    bo_assert_ok(bo_payroll_employee_add(book, "E1", "Worker", D("2025-01-01")));
    bo_assert_ok(bo_payroll_terms_set(book, "E1", D("2026-01-01"), "salary", 250000,
                                  BO_PAYROLL_MONTHLY));
    int64_t run;
    bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-2026-01", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2026-01-01"),
            .period_end = D("2026-01-31"), .pay_date = D("2026-01-31") }, &run));
    bo_assert_ok(bo_payroll_run_calculate(book, run));
    bo_assert_ok(bo_payroll_run_approve(book, run));
    bo_assert_ok(bo_payroll_run_post(book, run, NULL));
    bo_assert_ok(bo_payroll_run_pay(book, run, "1100", D("2026-01-31"), NULL));

    bo_cursor *c;
    int rc, rows = 0;
    int64_t in = 0, out = 0;
    bo_assert_ok(bo_billing_cash_flow(book, D("2026-01-01"), D("2026-01-31"), &c));
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *sec = bo_cursor_text(c, 0), *a = bo_cursor_text(c, 1);
        int64_t i = bo_cursor_int(c, 2), o = bo_cursor_int(c, 3);
        ck_assert_str_eq(sec, "operating");
        if (!strcmp(a, "4000")) {
            ck_assert_int_eq(i, 2000);
            ck_assert_int_eq(o, 0);
        } else if (!strcmp(a, "2400")) {
            ck_assert_int_eq(i, 400);
        } else if (!strcmp(a, "2100")) {
            ck_assert_int_eq(o, 222500);
        } else {
            ck_abort_msg("unexpected cash-flow row %s %s %lld %lld", sec, a, (long long)i,
                         (long long)o);
        }
        in += i;
        out += o;
        rows++;
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 3);
    /* The statement covers every movement of the cash accounts. */
    ck_assert_int_eq(in - out, balance("1000", "2026-01-31") + balance("1100", "2026-01-31"));
}
END_TEST

/* Item 6. A payment on account of 7.00 dated 5 January is credit the
 * customer can use now: on 15 February it is a negative current item, not
 * 31-60 days old. */
START_TEST(figures_unapplied_credit_is_current)
{
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-01-05"), .amount = 700, .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "on-account-1"));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    bo_cursor *c;
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-02-15"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "C1");
    ck_assert_int_eq(bo_cursor_int(c, 2), -700); /* current */
    for (int i = 3; i <= 6; i++)
        ck_assert_int_eq(bo_cursor_int(c, i), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), -700);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(balance("1200", "2026-02-15"), -700);
}
END_TEST

/* The book-currency value of an account kept in another currency at the
 * end of date: the postings' base amounts. */
static int64_t book_value(const char *account, const char *date)
{
    bo_cursor *j, *e;
    int64_t seen[64], v = 0;
    int n = 0;
    bo_assert_ok(bo_ledger_journal(book, account, D("2000-01-01"), D(date), &j));
    while (bo_cursor_next(j) == 0) {
        int64_t id = bo_cursor_int(j, 0);
        int dup = 0;
        for (int i = 0; i < n; i++)
            dup |= seen[i] == id;
        if (dup)
            continue;
        ck_assert_int_lt(n, 64);
        seen[n++] = id;
        bo_assert_ok(bo_ledger_entry(book, id, &e));
        while (bo_cursor_next(e) == 0)
            if (!strcmp(bo_cursor_text(e, 6), account))
                v += bo_cursor_int(e, 10);
        bo_cursor_free(e);
    }
    bo_cursor_free(j);
    return v;
}

/* Item 7. A euro invoice of 10.00 at 1.09 (10.90 USD) settled by two
 * applications of 0.05 from a 0.10 payment on account (worth 0.11 USD at
 * 1.09) and a final payment of 9.90 (10.79 USD). The credit's pieces are
 * worth 0.05 and 0.06 (together the 0.11 the payment credited); the second
 * realizes a gain of 0.01 against the 0.05 the invoice carried for it, and
 * the last payment a loss of 0.01 against the 10.80 still carried. The
 * receivable ends at 0.00 EUR worth 0.00 USD. */
START_TEST(figures_credit_in_pieces_leaves_no_cents)
{
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.09"));
    bo_payment *p;
    int64_t pid;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C2", .date = D("2026-01-05"), .amount = 10, .currency = "EUR",
            .account = "1110" }));
    bo_assert_ok(bo_payment_set_key(p, "eur-on-account"));
    bo_assert_ok(bo_billing_payment_post(book, p, &pid));
    bo_payment_free(p);
    ck_assert_int_eq(book_value("1210", "2026-01-05"), -11);
    int64_t id = invoice1(BO_INVOICE_SALES, "C2", "2026-01-06", NULL, "4000", 1000, NULL);
    bo_assert_ok(bo_billing_credit_apply(book, pid, id, 5, D("2026-01-07")));
    bo_assert_ok(bo_billing_credit_apply(book, pid, id, 5, D("2026-01-08")));
    ck_assert_int_eq(balance("7000", "2026-01-08"), -1); /* gain 0.01 */
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C2", .date = D("2026-01-09"), .amount = 990,
            .currency = "EUR", .account = "1110" }));
    bo_assert_ok(bo_payment_set_key(p, "eur-rest"));
    bo_assert_ok(bo_payment_allocate(p, id, 990, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    ck_assert_int_eq(open_of(id, "2026-01-09"), 0);
    ck_assert_int_eq(balance("1210", "2026-01-31"), 0);
    ck_assert_int_eq(book_value("1210", "2026-01-31"), 0);
    ck_assert_int_eq(balance("7100", "2026-01-31"), 1); /* loss 0.01 */
    /* Revenue 10.90 = cash 0.11 + 10.79, gains and losses net nil. */
    ck_assert_int_eq(balance("4000", "2026-01-31"), -1090);
    ck_assert_int_eq(balance("7000", "2026-01-31") + balance("7100", "2026-01-31"), 0);
}
END_TEST

/* Item 8. An invoice of 25.00 + 5.00 tax and a credit note for all of it,
 * saved while the invoice was posted; the invoice is reversed and then the
 * credit note posted. The credit note settles nothing (the invoice is no
 * longer due): it is the customer's open credit of 30.00, in the books and
 * in the aging alike, and can be reversed or refunded. */
START_TEST(figures_credit_note_after_reversal)
{
    int64_t id = invoice1(BO_INVOICE_SALES, "C1", "2026-03-01", NULL, "4000", 2500,
                          "standard");
    bo_invoice *v;
    int64_t cn;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES_CREDIT, "C1", D("2026-03-02"), NULL));
    bo_assert_ok(bo_invoice_set_credits(v, id));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "all of it", .quantity = 1000, .unit_price = 2500,
            .tax_category = "standard" }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &cn));
    bo_invoice_free(v);
    bo_assert_ok(bo_billing_invoice_reverse(book, id, D("2026-03-02"), NULL));
    bo_assert_ok(bo_billing_invoice_post(book, cn, D("2026-03-03"), NULL));
    ck_assert_int_eq(balance("1200", "2026-03-31"), -3000);
    ck_assert_int_eq(open_of(id, "2026-03-31"), 0);
    ck_assert_int_eq(open_of(cn, "2026-03-31"), 3000);
    bo_cursor *c;
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), -3000);
    bo_cursor_free(c);

    /* It can be reversed (tried in a transaction rolled back) ... */
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_billing_invoice_reverse(book, cn, D("2026-03-04"), NULL));
    ck_assert_int_eq(balance("1200", "2026-03-31"), 0);
    bo_assert_ok(bo_book_rollback(book));
    ck_assert_int_eq(balance("1200", "2026-03-31"), -3000);
    /* ... or refunded. */
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_MADE,
            .party = "C1", .date = D("2026-03-10"), .amount = 3000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "refund-1"));
    bo_assert_ok(bo_payment_allocate(p, cn, 3000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    ck_assert_int_eq(balance("1200", "2026-03-31"), 0);
    ck_assert_int_eq(open_of(cn, "2026-03-31"), 0);
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-03-31"), &c));
    ck_assert_int_eq(count_rows(c), 0);
}
END_TEST

/* The aging of the receivables as of date, as one row's six figures. */
static void aging_of(const char *date, int64_t out[6])
{
    bo_cursor *c;
    memset(out, 0, 6 * sizeof *out);
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D(date), &c));
    while (bo_cursor_next(c) == 0)
        for (int i = 0; i < 6; i++)
            out[i] += bo_cursor_int(c, i + 2);
    bo_cursor_free(c);
}

/* Item 9. Money is allocated no earlier than it exists: credit applied on
 * 10 January from a payment dated 20 January, a payment dated 1 February
 * for an invoice posted 10 February, a reversal before the posting and a
 * credit note dated before its invoice are refused with BO_EDATE naming
 * the field; a payment dated outside every fiscal period with BO_EPERIOD.
 * Nothing changes, so aging for past dates stays what it said. */
START_TEST(figures_allocation_before_money)
{
    bo_assert_ok(bo_ledger_period_add(book, "2026", D("2026-01-01"), D("2026-12-31")));
    int64_t jan = invoice1(BO_INVOICE_SALES, "C1", "2026-01-05", NULL, "4000", 10000, NULL);
    bo_payment *p;
    int64_t pid;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-01-20"), .amount = 5000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "on-account"));
    bo_assert_ok(bo_billing_payment_post(book, p, &pid));
    bo_payment_free(p);
    int64_t feb = invoice1(BO_INVOICE_SALES, "C1", "2026-02-10", NULL, "4000", 3000, NULL);
    int64_t before[6], after[6], seq = audit_seq();
    aging_of("2026-01-15", before);
    ck_assert_int_eq(before[5], 10000);

    bo_assert_err(bo_billing_credit_apply(book, pid, jan, 1000, D("2026-01-10")), BO_EDATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "date: 2026-01-10"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "2026-01-20"));
    /* Nor before the document was posted. */
    bo_assert_err(bo_billing_credit_apply(book, pid, feb, 1000, D("2026-02-01")), BO_EDATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "date: 2026-02-01"));

    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-02-01"), .amount = 3000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "too-early"));
    bo_assert_ok(bo_payment_allocate(p, feb, 3000, 0));
    bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EDATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "allocation 1: date: 2026-02-01"));
    bo_payment_free(p);

    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2027-01-05"), .amount = 3000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "no-period"));
    bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EPERIOD);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "date: 2027-01-05"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "outside every fiscal period"));
    bo_payment_free(p);

    bo_assert_err(bo_billing_invoice_reverse(book, feb, D("2026-02-09"), NULL), BO_EDATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "date: 2026-02-09"));
    bo_invoice *v;
    int64_t cn;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES_CREDIT, "C1", D("2026-02-05"), NULL));
    bo_assert_ok(bo_invoice_set_credits(v, feb));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 1000 }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &cn));
    bo_invoice_free(v);
    seq = audit_seq();
    bo_assert_err(bo_billing_invoice_post(book, cn, D("2026-02-05"), NULL), BO_EDATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "credits: "));

    /* Nothing changed. */
    ck_assert_int_eq(audit_seq(), seq);
    aging_of("2026-01-15", after);
    ck_assert_mem_eq(before, after, sizeof before);
    ck_assert_int_eq(open_of(jan, "2026-12-31"), 10000);
    ck_assert_int_eq(open_of(feb, "2026-12-31"), 3000);
    ck_assert_int_eq(balance("1200", "2026-12-31"), 13000 - 5000);
    bo_cursor *c;
    bo_assert_ok(bo_billing_payments(book, NULL, &c));
    ck_assert_int_eq(count_rows(c), 1);

    /* On or after the dates they are fine, and the past stays put. */
    bo_assert_ok(bo_billing_credit_apply(book, pid, jan, 1000, D("2026-01-20")));
    bo_assert_ok(bo_billing_credit_apply(book, pid, feb, 1000, D("2026-02-10")));
    bo_assert_ok(bo_billing_invoice_post(book, cn, D("2026-02-11"), NULL));
    aging_of("2026-01-15", after);
    ck_assert_mem_eq(before, after, sizeof before);
    aging_of("2026-02-28", after);
    ck_assert_int_eq(after[5], balance("1200", "2026-02-28"));
}
END_TEST

/* The tax report at the int64 limits: a document of 7,000,000,000,000,000.00
 * with 20 % tax is reported exactly; when the bases no longer fit the
 * report's sum it is an error, never a wrong figure (PostgreSQL:
 * BO_EOVERFLOW; SQLite's "integer overflow" is still mapped to BO_ERROR by
 * the store). */
START_TEST(figures_tax_report_at_int64_limits)
{
    const int64_t price = 700000000000000000; /* x 1 (quantity 1000 = 1.000) */
    invoice1(BO_INVOICE_SALES, "C1", "2026-03-02", NULL, "4000", price, "standard");
    tax_row r;
    ck_assert_int_eq(tax_report_row("2026-03-01", "2026-03-31", "VAT20", &r), 1);
    ck_assert_int_eq(r.sales_base, price);
    ck_assert_int_eq(r.sales_tax, price / 5);
    ck_assert_int_eq(r.sales_book, price / 5);
    ck_assert_int_eq(report_movement("2026-03-01", "2026-03-31"),
                     tax_accounts_movement("2026-03-01", "2026-03-31"));
    /* Thirteen more, over two receivable and two revenue accounts so that
     * no account overflows: their bases add up to 9.8 * 10^18, past int64. */
    for (int i = 0; i < 13; i++) {
        if (i == 6)
            bo_assert_ok(bo_party_update(book, "C1", &(bo_party_changes){
                    .version = BO_PARTY_CHANGES_VERSION, .receivable_account = "1100",
                    .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
        invoice1(BO_INVOICE_SALES, "C1", "2026-03-03", NULL, i % 2 ? "4000" : "5000",
                 price, "standard");
    }
    bo_cursor *c;
    int rc;
    bo_assert_ok(bo_billing_tax_report(book, D("2026-03-01"), D("2026-03-31"), &c));
    while ((rc = bo_cursor_next(c)) == 0)
        ;
    ck_assert_msg(rc < 0, "rc %d: the report's sum overflowed without an error", rc);
    ck_assert_str_ne(bo_error_message(), "");
    bo_cursor_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("billing_figures");
    TCase *t = tcase_create("figures");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, figures_tax_report_includes_till_sales);
    tcase_add_test(t, figures_closed_month_tax_report);
    tcase_add_test(t, figures_cash_flow_till_and_payroll);
    tcase_add_test(t, figures_unapplied_credit_is_current);
    tcase_add_test(t, figures_credit_in_pieces_leaves_no_cents);
    tcase_add_test(t, figures_credit_note_after_reversal);
    tcase_add_test(t, figures_allocation_before_money);
    tcase_add_test(t, figures_tax_report_at_int64_limits);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
