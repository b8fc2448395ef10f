/*
 * Verification benchmark (prints figures; never a test): how long the
 * audit chain alone (bo_audit_verify) and the full verification of every
 * table (bo_audit_verify_full) take on books of 10^4, 10^5 and 10^6 journal
 * entries, and the peak memory of each (read with wait4 from a forked
 * process per measurement: it must not grow with the book).
 *
 * Each book holds the entries (2 to 4 postings each, as bench_ledger makes
 * them, posted 1,000 to a transaction) and, for every 1,000 entries,
 * --sales sales through the inventory (a stock row, a FIFO layer, a
 * movement and a sale with its line, tax and payment each: records whose
 * states the chain keeps), so both ways of covering a table are timed.
 *
 *   bench_verify [--sizes 10000,100000,1000000] [--repeat 3] [--sales 10]
 *                [--dir DIR] [--keep] [--verbose]
 *
 * --keep leaves the books in DIR (bench-verify-N.db) and reuses them on the
 * next run, so building a large book is paid once.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backoffice.h"

#define MAX_SIZES 8
#define MAX_REPEAT 15

#define BENCH_NAME "bench_verify"
#include "bench_book.h"

typedef struct result {
    double seconds;
    int64_t records;
    int ok;
    long maxrss_kib;
} result;

/* Verify in a forked child (full or chain only) and report. */
static int measure(const char *path, int full, result *res)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        result r;
        memset(&r, 0, sizeof r);
        bo_book *b = open_book(path, 0);
        char hex[BO_HASH_HEX_SIZE];
        bo_audit_head(b, &r.records, hex, sizeof hex);
        bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
        o.mode = full ? BO_AUDIT_VERIFY_FULL : BO_AUDIT_VERIFY_CHAIN;
        double t0 = now();
        int64_t bad = 0;
        int rc = bo_audit_verify_full(b, &o, &bad);
        r.seconds = now() - t0;
        if (rc)
            fprintf(stderr, "bench_verify: %s\n", bo_error_message());
        r.ok = rc == 0;
        bo_book_free(b);
        if (write(fds[1], &r, sizeof r) != (ssize_t)sizeof r)
            _exit(6);
        _exit(0);
    }
    close(fds[1]);
    memset(res, 0, sizeof *res);
    ssize_t got;
    do
        got = read(fds[0], res, sizeof *res);
    while (got < 0 && errno == EINTR);
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    wait4(pid, &status, 0, &ru);
    res->maxrss_kib = ru.ru_maxrss;
    return got == (ssize_t)sizeof *res && res->ok && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int64_t count(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int64_t n = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return n;
}

int main(int argc, char **argv)
{
    long sizes[MAX_SIZES] = { 10000, 100000, 1000000 };
    int nsizes = 3, repeat = 3, sales = 10, keep = 0, verbose = 0;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sizes") && i + 1 < argc) {
            nsizes = 0;
            for (char *p = strtok(argv[++i], ","); p && nsizes < MAX_SIZES; p = strtok(NULL, ","))
                sizes[nsizes++] = atol(p);
        } else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
            repeat = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--sales") && i + 1 < argc) {
            sales = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--dir") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(argv[i], "--keep")) {
            keep = 1;
        } else if (!strcmp(argv[i], "--verbose")) {
            verbose = 1;
        } else {
            fprintf(stderr, "usage: bench_verify [--sizes N,N,..] [--repeat R] "
                    "[--sales S] [--dir DIR] [--keep] [--verbose]\n");
            return 2;
        }
    }
    if (repeat < 1 || repeat > MAX_REPEAT || sales < 0 || sales > 1000) {
        fprintf(stderr, "bench_verify: --repeat 1..%d, --sales 0..1000\n", MAX_REPEAT);
        return 2;
    }
    char model[256] = "unknown", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "model name", 10)) {
            char *p = strchr(line, ':');
            if (p) {
                p += 1 + (p[1] == ' ');
                p[strcspn(p, "\n")] = '\0';
                snprintf(model, sizeof model, "%s", p);
            }
            break;
        }
    }
    if (f)
        fclose(f);
    printf("machine: nproc %ld, cpu \"%s\", sqlite %s, libbackoffice %s, files in %s\n",
           sysconf(_SC_NPROCESSORS_ONLN), model, sqlite3_libversion(), bo_version(), dir);
    printf("bench: medians of %d runs, each in its own process; %d sales per 1000 "
           "entries\n", repeat, sales);
    printf("  %8s %8s %9s %10s %10s %10s %11s %10s %10s\n", "entries", "sales",
           "records", "rows", "chain s", "full s", "full rows/s", "chain KiB",
           "full KiB");
    for (int z = 0; z < nsizes; z++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/bench-verify-%ld.db", dir, sizes[z]);
        build(path, sizes[z], sales, keep);
        int64_t rows = count(path, "SELECT (SELECT COUNT(*) FROM entries) +"
                                   " (SELECT COUNT(*) FROM postings) +"
                                   " (SELECT COUNT(*) FROM account_days) +"
                                   " (SELECT COUNT(*) FROM audit_log) +"
                                   " (SELECT COUNT(*) FROM audit_states) +"
                                   " (SELECT COUNT(*) FROM inv_sales) * 4 +"
                                   " (SELECT COUNT(*) FROM inv_moves) +"
                                   " (SELECT COUNT(*) FROM inv_layers)");
        int64_t nsales = count(path, "SELECT COUNT(*) FROM inv_sales");
        double chain[MAX_REPEAT], full[MAX_REPEAT], ckib[MAX_REPEAT], fkib[MAX_REPEAT];
        int64_t records = 0;
        for (int r = 0; r < repeat; r++) {
            result a, b;
            if (measure(path, 0, &a) || measure(path, 1, &b)) {
                fprintf(stderr, "bench_verify: a verification of %ld entries failed\n",
                        sizes[z]);
                return 1;
            }
            chain[r] = a.seconds;
            full[r] = b.seconds;
            ckib[r] = (double)a.maxrss_kib;
            fkib[r] = (double)b.maxrss_kib;
            records = a.records;
            if (verbose)
                printf("  run: %ld entries: chain %.3f s %ld KiB, full %.3f s %ld KiB\n",
                       sizes[z], a.seconds, a.maxrss_kib, b.seconds, b.maxrss_kib);
        }
        double fm = median(full, repeat);
        printf("  %8ld %8" PRId64 " %9" PRId64 " %10" PRId64 " %10.2f %10.2f %11.0f"
               " %10.0f %10.0f\n", sizes[z], nsales, records, rows, median(chain, repeat),
               fm, (double)rows / fm, median(ckib, repeat), median(fkib, repeat));
        fflush(stdout);
        if (!keep)
            unlink_db(path);
    }
    return 0;
}
