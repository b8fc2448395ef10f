/* Benchmark (not a test): pay runs for N employees (default 10,000) on a
 * pack (default the generic one): hire, then for each of the first M
 * months (default 1) calculate, approve, post. Prints the time of each
 * step and the peak resident memory (getrusage ru_maxrss). With the
 * Indonesian pack and 12 months the last run is December's, the annual
 * reconciliation of every employee (a tenth of them with the tax borne by
 * the employer: the last period's gross-up), followed by December's
 * withholding CSV and form 1721-A1 of every employee.
 * usage: bench_payroll [employees] [store-uri] [pack.yaml] [months] */
#define _POSIX_C_SOURCE 200809L
#include "backoffice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void check(int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, "%s: %s\n", what, bo_error_message());
        exit(1);
    }
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    char uri[256];
    snprintf(uri, sizeof uri, "%s", argc > 2 ? argv[2] : "sqlite:/tmp/bench_payroll.db");
    const char *pack = argc > 3 ? argv[3] : "data/payroll/generic.yaml";
    int months = argc > 4 ? atoi(argv[4]) : 1;
    if (months < 1 || months > 12) {
        fprintf(stderr, "months: 1..12\n");
        return 1;
    }
    if (strncmp(uri, "sqlite:/", 8) == 0) {
        unlink(uri + 7);
        char wal[300];
        snprintf(wal, sizeof wal, "%s-wal", uri + 7);
        unlink(wal);
    }
    FILE *f = fopen(pack, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s (run from the source tree or pass it)\n", pack);
        return 1;
    }
    static char src[1 << 20];
    size_t len = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[len] = '\0';
    /* the pack's name and currency, from its top-level keys */
    char name[64] = "generic", cur[8] = "USD";
    const char *at = strstr(src, "\npack: ");
    if (at)
        sscanf(at + 7, "%63s", name);
    if ((at = strstr(src, "\ncurrency: ")))
        sscanf(at + 11, "%7s", cur);
    int id = strcmp(cur, "IDR") == 0;

    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_NORMAL;
    bo_book *b;
    check(bo_book_open(&b, uri, &o), "open");
    const char *acc[][3] = { { "1100", "Bank", "asset" }, { "2100", "Net pay", "liability" },
                             { "2210", "Tax", "liability" }, { "2220", "Pension", "liability" },
                             { "5100", "Wages", "expense" }, { "5200", "Employer", "expense" },
                             { "2230", "BPJS", "liability" }, { "2240", "Zakat", "liability" } };
    for (int i = 0; i < (id ? 8 : 6); i++)
        check(bo_ledger_account_add(b, acc[i][0], acc[i][1], bo_account_type_parse(acc[i][2]),
                                    NULL, id ? cur : NULL), "account");
    static const char *const status[] = { "TK/0", "TK/1", "TK/2", "TK/3", "K/0", "K/1",
                                          "K/2", "K/3" };
    check(bo_payroll_pack_load(b, src, len, pack), "pack");
    bo_date start, end;
    bo_date_parse("2024-01-01", &start);
    bo_date_parse("2024-01-31", &end);

    double t0 = now();
    check(bo_book_begin(b), "begin");
    for (int i = 0; i < n; i++) {
        char num[16], cc[8];
        snprintf(num, sizeof num, "E%06d", i);
        snprintf(cc, sizeof cc, "CC%d", i % 20);
        check(bo_payroll_employee_add(b, num, "Employee", start), "hire");
        check(bo_payroll_employee_set(b, num, "cost_center", cc), "cc");
        /* the Indonesian pack: 5,000,000..54,900,000 rupiah, every status,
         * a quarter enrolled in BPJS, an allowance all year */
        check(bo_payroll_terms_set(b, num, start, "salary",
                                   id ? (5000000 + (i % 500) * 100000) * 100LL
                                      : 200000 + (i % 500) * 1000,
                                   BO_PAYROLL_MONTHLY), "terms");
        if (id) {
            bo_date dec31;
            bo_date_parse("2024-12-31", &dec31);
            check(bo_payroll_employee_set(b, num, "tax_status", status[i % 8]), "status");
            if (i % 4 == 0)
                check(bo_payroll_employee_set(b, num, "risk_class", "low"), "risk");
            check(bo_payroll_input_add(b, num, "allowance", start, dec31, 150000000),
                  "input");
            if (i % 10 == 5) /* the employer bears the tax: the gross-up, in
                                December the annual one (a fixed point) */
                check(bo_payroll_input_add(b, num, "tax_borne", start, dec31, 1), "borne");
        }
        if (i % 4 == 0) {
            bo_payroll_time_options to = BO_PAYROLL_TIME_OPTIONS_INIT;
            to.key = num;
            check(bo_payroll_hours_add(b, num, start + 3, "overtime", 90, &to, NULL), "hours");
        }
    }
    check(bo_book_commit(b), "commit");
    double t1 = now();
    printf("employees %d\nhire+terms   %8.3f s\n", n, t1 - t0);
    for (int m = 1; m <= months; m++) {
        bo_date ps, pe, next;
        check(bo_date_from_ymd(2024, m, 1, &ps), "date");
        check(bo_date_add_months(ps, 1, &next), "date");
        pe = next - 1;
        char key[16];
        snprintf(key, sizeof key, "bench-%d", m);
        int64_t run, entry;
        double c0 = now();
        check(bo_payroll_run_create(b, &(bo_payroll_run_options){
                .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = key, .pack = name,
                .schedule = BO_PAYROLL_MONTHLY, .period_start = ps, .period_end = pe,
                .pay_date = pe }, &run),
              "create");
        check(bo_payroll_run_calculate(b, run), "calculate");
        double c1 = now();
        check(bo_payroll_run_approve(b, run), "approve");
        check(bo_payroll_run_post(b, run, &entry), "post");
        double c2 = now();
        printf("month %2d calculate    %8.3f s (%.0f slips/s)%s\n"
               "month %2d approve+post %8.3f s\n", m, c1 - c0, n / (c1 - c0),
               m == 12 ? " (December: the annual reconciliation)" : "", m, c2 - c1);
    }
    if (id && months == 12) {
        /* the outputs of the year: December's withholding lines (CSV) and
         * form 1721-A1 of every employee */
        bo_cursor *c;
        double w0 = now();
        check(bo_payroll_withholding_export(b, 2024, 12, "csv", &c), "withholding");
        check(bo_cursor_next(c), "withholding");
        size_t bytes = strlen(bo_cursor_text(c, 0));
        bo_cursor_free(c);
        double w1 = now();
        for (int i = 0; i < n; i++) {
            char num[16];
            snprintf(num, sizeof num, "E%06d", i);
            check(bo_payroll_form_1721a1(b, num, 2024, "text", &c), "form 1721-A1");
            check(bo_cursor_next(c), "form 1721-A1");
            bo_cursor_free(c);
        }
        double w2 = now();
        printf("December withholding CSV %8.3f s (%zu bytes)\n"
               "form 1721-A1 x %d        %8.3f s (%.0f forms/s)\n", w1 - w0, bytes, n,
               w2 - w1, n / (w2 - w1));
    }
    printf("peak RSS     %8ld KiB\n", peak_kib());
    bo_book_free(b);
    return 0;
}
