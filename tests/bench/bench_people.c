/* Benchmark (not a test): a store's month of people work for N employees
 * (default 500): the roster (every working day of March 2026, each
 * assignment checked against the rules), two punches a shift, attendance
 * for the month in one call, and a roster check of the store's month (the
 * rules for every employee and every day, nothing written). Prints the
 * time of each step and the peak resident memory.
 * usage: bench_people [employees] [store-uri] */
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
    int n = argc > 1 ? atoi(argv[1]) : 500;
    char uri[256];
    snprintf(uri, sizeof uri, "%s", argc > 2 ? argv[2] : "sqlite:/tmp/bench_people.db");
    if (strncmp(uri, "sqlite:/", 8) == 0) {
        unlink(uri + 7);
        char wal[300];
        snprintf(wal, sizeof wal, "%s-wal", uri + 7);
        unlink(wal);
    }
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.base_currency = "IDR";
    o.sync = BO_SYNC_NORMAL;
    bo_book *b = NULL;
    check(bo_book_open(&b, uri, &o), "open");
    bo_people_shift_options so = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    so.start = "09:00";
    so.end = "17:00";
    so.grace_late = 5;
    check(bo_people_shift_type_add(b, "DAY", &so), "shift type");
    check(bo_people_limit_set(b, "week_hours", 2400), "limit");
    check(bo_people_limit_set(b, "overtime_week", 1080), "limit");
    check(bo_people_limit_set(b, "rest", 660), "limit");
    bo_date from, to;
    bo_date_parse("2026-03-01", &from);
    bo_date_parse("2026-03-31", &to);
    char num[32];
    for (int i = 0; i < n; i++) {
        snprintf(num, sizeof num, "E%05d", i);
        check(bo_payroll_employee_add(b, num, "Employee", from - 365), "employee");
    }
    double t0 = now();
    int64_t shifts = 0, made;
    for (int i = 0; i < n; i++) {
        snprintf(num, sizeof num, "E%05d", i);
        check(bo_people_shift_repeat(b, num, "DAY", "S1", "clerk", from, to, 0x1f, 1, &made),
              "roster");
        shifts += made;
    }
    double t1 = now();
    int64_t punches = 0;
    char at[20], key[48];
    for (int i = 0; i < n; i++) {
        snprintf(num, sizeof num, "E%05d", i);
        for (bo_date d = from; d <= to; d++) {
            int y, m, day;
            bo_date_to_ymd(d, &y, &m, &day);
            if (((int64_t)d + 3) % 7 >= 5)
                continue; /* the weekend */
            snprintf(at, sizeof at, "2026-03-%02dT08:%02d", day, 50 + i % 10);
            snprintf(key, sizeof key, "%s-%d-in", num, day);
            check(bo_people_punch(b, num, at, BO_PEOPLE_PUNCH_ANY, key, NULL), "punch");
            snprintf(at, sizeof at, "2026-03-%02dT17:%02d", day, i % 10);
            snprintf(key, sizeof key, "%s-%d-out", num, day);
            check(bo_people_punch(b, num, at, BO_PEOPLE_PUNCH_ANY, key, NULL), "punch");
            punches += 2;
        }
    }
    double t2 = now();
    int64_t results = 0;
    check(bo_people_attendance_run(b, from, to, "2026-04-02T00:00", &results), "attendance");
    double t3 = now();
    int64_t again = 0;
    check(bo_people_attendance_run(b, from, to, "2026-04-02T00:00", &again), "attendance again");
    double t4 = now();
    int64_t checks = 0, refused = 0;
    for (int i = 0; i < n; i++) {
        snprintf(num, sizeof num, "E%05d", i);
        for (bo_date d = from; d <= to; d++) {
            int rule;
            check(bo_people_shift_check(b, num, d, "DAY", "S1", &rule), "check");
            checks++;
            refused += rule != 0;
        }
    }
    double t5 = now();
    printf("employees %d, shifts %lld, punches %lld\n", n, (long long)shifts,
           (long long)punches);
    printf("roster (checked assignments): %.2f s, %.0f shifts/s\n", t1 - t0,
           shifts / (t1 - t0));
    printf("punches: %.2f s, %.0f punches/s\n", t2 - t1, punches / (t2 - t1));
    printf("attendance for the month: %.2f s for %lld results\n", t3 - t2, (long long)results);
    printf("attendance again (nothing changes): %.2f s, %lld written\n", t4 - t3,
           (long long)again);
    printf("roster check of the store's month: %.2f s for %lld checks (%lld refused)\n",
           t5 - t4, (long long)checks, (long long)refused);
    printf("peak RSS: %ld KiB\n", peak_kib());
    bo_book_free(b);
    return 0;
}
