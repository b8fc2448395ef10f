/* Benchmark (not a test): one pay run for N employees (default 10,000) on
 * the generic pack: hire, calculate, approve, post. Prints the time of each
 * step and the peak resident memory (getrusage ru_maxrss).
 * usage: bench_payroll [employees] [store-uri] [pack.yaml] */
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

    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_NORMAL;
    bo_book *b;
    check(bo_book_open(&b, uri, &o), "open");
    const char *acc[][3] = { { "1100", "Bank", "asset" }, { "2100", "Net pay", "liability" },
                             { "2210", "Tax", "liability" }, { "2220", "Pension", "liability" },
                             { "5100", "Wages", "expense" }, { "5200", "Employer", "expense" } };
    for (int i = 0; i < 6; i++)
        check(bo_ledger_account_add(b, acc[i][0], acc[i][1], bo_account_type_parse(acc[i][2]),
                                    NULL, NULL), "account");
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
        check(bo_payroll_terms_set(b, num, start, "salary", 200000 + (i % 500) * 1000,
                               BO_PAYROLL_MONTHLY), "terms");
        if (i % 4 == 0) {
            bo_payroll_time_options to = BO_PAYROLL_TIME_OPTIONS_INIT;
            to.key = num;
            check(bo_payroll_hours_add(b, num, start + 3, "overtime", 90, &to, NULL), "hours");
        }
    }
    check(bo_book_commit(b), "commit");
    double t1 = now();
    int64_t run, entry;
    check(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "bench", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = start, .period_end = end,
            .pay_date = end }, &run),
          "create");
    check(bo_payroll_run_calculate(b, run), "calculate");
    double t2 = now();
    check(bo_payroll_run_approve(b, run), "approve");
    check(bo_payroll_run_post(b, run, &entry), "post");
    double t3 = now();
    printf("employees %d\nhire+terms   %8.3f s\ncalculate    %8.3f s (%.0f slips/s)\n"
           "approve+post %8.3f s\npeak RSS     %8ld KiB\n", n, t1 - t0, t2 - t1,
           n / (t2 - t1), t3 - t2, peak_kib());
    bo_book_free(b);
    return 0;
}
