/* Payslips and the payroll register as files (bo_report_payslip_write,
 * bo_report_payroll_register_write), the PDF read back by pdftotext.
 *
 * The generic pack (data/payroll/generic.yaml, fictional): income tax 0 on
 * the first 1,000, 10% up to 3,000, 20% above; pension 5% from the
 * employee and 5% from the employer. January 2024:
 *   E1 Ani Wijaya, salary 2,500.00: tax 150.00, pension 125.00, net
 *     2,225.00, employer 125.00;
 *   E2 Budi Santoso, salary 4,000.00: tax 200.00 + 200.00 = 400.00,
 *     pension 200.00, net 3,400.00, employer 200.00.
 * The run: gross 6,500.00, deductions 875.00, net 5,625.00, employer
 * 325.00; the ledger's wages account moves by the gross, net pay payable
 * by the net. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bo_book *book;
static int64_t run_id;

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static void need(const char *program, const char *package)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", program);
    ck_assert_msg(system(cmd) == 0, "%s is missing: install the Debian package %s", program,
                  package);
}

/* The text layer of a PDF (pdftotext -layout), which the caller frees. */
static char *pdf_text(const char *path)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    char *out = calloc(1, 65536);
    size_t n = fread(out, 1, 65535, p);
    out[n] = '\0';
    ck_assert_int_eq(pclose(p), 0);
    return out;
}

static void load_pack(const char *name)
{
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    size_t len;
    char *s = bo_test_slurp(path, &len);
    bo_assert_ok(bo_payroll_pack_load(book, s, len, name));
    free(s);
}

static void setup(void)
{
    book = bo_test_book("report_payroll");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "2100", "Net pay payable", BO_ACCOUNT_LIABILITY,
                                       NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2210", "Income tax payable",
                                       BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2220", "Pension payable", BO_ACCOUNT_LIABILITY,
                                       NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Employer contributions",
                                       BO_ACCOUNT_EXPENSE, NULL, NULL));
    load_pack("generic.yaml");
    static const struct { const char *num, *name, *cc; int64_t salary; } staff[] = {
        { "E1", "Ani Wijaya", "SHOP", 250000 },
        { "E2", "Budi Santoso", "WAREHOUSE", 400000 },
    };
    for (int i = 0; i < 2; i++) {
        bo_assert_ok(bo_payroll_employee_add(book, staff[i].num, staff[i].name, D("2023-01-01")));
        bo_assert_ok(bo_payroll_employee_set(book, staff[i].num, "cost_center", staff[i].cc));
        bo_assert_ok(bo_payroll_terms_set(book, staff[i].num, D("2023-01-01"), "salary",
                                          staff[i].salary, BO_PAYROLL_MONTHLY));
    }
    bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-2024-01", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2024-01-01"),
            .period_end = D("2024-01-31"), .pay_date = D("2024-01-31") }, &run_id));
    bo_assert_ok(bo_payroll_run_calculate(book, run_id));
    bo_assert_ok(bo_payroll_run_approve(book, run_id));
    bo_assert_ok(bo_payroll_run_post(book, run_id, NULL));
}

static void teardown(void)
{
    bo_test_book_free(book);
    book = NULL;
}

static int64_t balance(const char *account)
{
    int64_t v;
    bo_assert_ok(bo_ledger_balance(book, account, D("2024-12-31"), NULL, &v));
    return v;
}

START_TEST(payroll_register_pdf_totals_equal_the_run)
{
    need("pdftotext", "poppler-utils");
    char *pdf = bo_test_file("register.pdf"), *csv = bo_test_file("register.csv");
    int rc = bo_report_payroll_register_write(book, run_id, BO_REPORT_PDF, pdf);
    if (rc == BO_ENOTSUP) {
        free(pdf);
        free(csv);
        return;
    }
    bo_assert_ok(rc);
    char *text = pdf_text(pdf);
    static const char *const want[] = {
        "Payroll register", "Pay run", "2024-01-01 to 2024-01-31, paid 2024-01-31",
        "Ani Wijaya", "Budi Santoso", "SHOP", "WAREHOUSE", "$2,500.00", "$2,225.00",
        "$4,000.00", "$3,400.00", "Total (2 employees)", "$6,500.00", "$875.00",
        "$5,625.00", "$325.00", "Page 1 of 1",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_msg(strstr(text, want[i]) != NULL, "want \"%s\" in:\n%s", want[i], text);
    free(text);
    /* The run's own totals: the ledger's wages and net pay payable, and the
     * register cursor's sums. */
    ck_assert_int_eq(balance("5100"), 650000);
    ck_assert_int_eq(balance("2100"), -562500);
    bo_cursor *c;
    int64_t gross = 0, net = 0;
    bo_assert_ok(bo_payroll_register(book, run_id, &c));
    while (bo_cursor_next(c) == 0) {
        gross += bo_cursor_int(c, 3);
        net += bo_cursor_int(c, 5);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(gross, 650000);
    ck_assert_int_eq(net, 562500);
    bo_assert_ok(bo_report_payroll_register_write(book, run_id, BO_REPORT_CSV, csv));
    size_t len;
    text = bo_test_slurp(csv, &len);
    ck_assert_ptr_nonnull(strstr(text, "Number,Name,Cost center,Currency,Gross,Deductions,"
                                       "Net,Employer cost\r\n"));
    ck_assert_ptr_nonnull(strstr(text, "E1,Ani Wijaya,SHOP,USD,2500.00,275.00,2225.00,"
                                       "125.00\r\n"));
    ck_assert_ptr_nonnull(strstr(text, ",Total (2 employees),,USD,6500.00,875.00,5625.00,"
                                       "325.00\r\n"));
    free(text);
    free(pdf);
    free(csv);
}
END_TEST

START_TEST(payslip_pdf_has_the_figures_and_the_name)
{
    need("pdftotext", "poppler-utils");
    char *pdf = bo_test_file("slip.pdf"), *html = bo_test_file("slip.html");
    int rc = bo_report_payslip_write(book, run_id, "E2", BO_REPORT_PDF, pdf);
    if (rc != BO_ENOTSUP) {
        bo_assert_ok(rc);
        char *text = pdf_text(pdf);
        static const char *const want[] = {
            "Payslip", "Employee E2: Budi Santoso, cost center WAREHOUSE", "salary",
            "income_tax", "pension_employer", "$4,000.00", "$400.00", "$200.00",
            "Gross pay", "Net pay", "$3,400.00", "Page 1 of 1",
        };
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            ck_assert_msg(strstr(text, want[i]) != NULL, "want \"%s\" in:\n%s", want[i], text);
        ck_assert_ptr_null(strstr(text, "Ani Wijaya"));
        free(text);
    }
    bo_assert_ok(bo_report_payslip_write(book, run_id, "E1", BO_REPORT_HTML, html));
    size_t len;
    char *text = bo_test_slurp(html, &len);
    ck_assert_ptr_nonnull(strstr(text, "<h2>Payslip</h2>"));
    ck_assert_ptr_nonnull(strstr(text, "Employee E1: Ani Wijaya"));
    ck_assert_ptr_nonnull(strstr(text, "<td>Net pay</td><td></td><td>USD</td>"
                                       "<td class=\"m\" data-value=\"222500\">$2,225.00</td>"));
    free(text);
    free(pdf);
    free(html);
}
END_TEST

START_TEST(payroll_documents_bad_input_refused)
{
    char *path = bo_test_file("none.pdf");
    bo_assert_err(bo_report_payslip_write(book, run_id, "E9", BO_REPORT_CSV, path),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "number: no payslip for \"E9\""));
    bo_assert_err(bo_report_payslip_write(book, run_id + 7, "E1", BO_REPORT_CSV, path),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "run_id"));
    bo_assert_err(bo_report_payslip_write(book, run_id, "", BO_REPORT_CSV, path), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "number"));
    bo_assert_err(bo_report_payroll_register_write(book, run_id, 0, path), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "format"));
    bo_assert_err(bo_report_payroll_register_write(book, run_id + 7, BO_REPORT_CSV, path),
                  BO_ENOTFOUND);
    bo_assert_err(bo_report_payroll_register_write(book, run_id, BO_REPORT_CSV, ""),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "path"));
    ck_assert_int_ne(access(path, F_OK), 0);
    /* Without payroll.read: denied, nothing written. */
    bo_assert_ok(bo_role_define(book, "teller", "ledger.read inventory.read"));
    bo_assert_ok(bo_role_grant(book, "clerk", "teller"));
    bo_assert_ok(bo_book_set_actor(book, "clerk"));
    bo_assert_err(bo_report_payroll_register_write(book, run_id, BO_REPORT_CSV, path),
                  BO_EDENIED);
    bo_assert_err(bo_report_payslip_write(book, run_id, "E1", BO_REPORT_CSV, path), BO_EDENIED);
    ck_assert_int_ne(access(path, F_OK), 0);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report_payroll");
    TCase *tc = tcase_create("payroll_documents");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, payroll_register_pdf_totals_equal_the_run);
    tcase_add_test(tc, payslip_pdf_has_the_figures_and_the_name);
    tcase_add_test(tc, payroll_documents_bad_input_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
