/*
 * Export and import benchmark (prints figures; never a test): how long
 * bo_book_export and bo_book_import (which ends with the full verification
 * of the imported book) take on books of 10^4, 10^5 and 10^6 journal
 * entries, the size of the file, and the peak memory of each (read with
 * wait4 from a forked process per measurement: it must not grow with the
 * book). Each export of the imported book is compared with the first:
 * byte-identical, or the benchmark fails.
 *
 * The books are bench_verify's: the entries (2 to 4 postings each, posted
 * 1,000 to a transaction) and, for every 1,000 entries, --sales sales
 * through the inventory. SQLite files, synchronous off.
 *
 *   bench_export [--sizes 10000,100000,1000000] [--repeat 3] [--sales 10]
 *                [--dir DIR] [--keep] [--verbose]
 *
 * --keep leaves the books in DIR (bench-export-N.db) and reuses them.
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

#define BENCH_NAME "bench_export"
#include "bench_book.h"

typedef struct result {
    double seconds;
    int ok;
    long maxrss_kib;
    double cpu; /* user + system seconds of the whole child (a shared machine's
                   wall clock waits for other processes) */
} result;

/* Export path to file (import: file into a fresh store at path) in a
 * forked child, and report. */
static int measure(const char *path, const char *file, int import, result *res)
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
        int rc;
        double t0 = now();
        if (import) {
            bo_book_options o = BO_BOOK_OPTIONS_INIT;
            o.actor = "owner";
            o.sync = BO_SYNC_OFF;
            unlink_db(path);
            rc = bo_book_import(path, file, &o, NULL);
        } else {
            bo_book *b = open_book(path, 0);
            t0 = now();
            rc = bo_book_export(b, file, NULL);
            bo_book_free(b);
        }
        r.seconds = now() - t0;
        if (rc)
            fprintf(stderr, "bench_export: %s\n", bo_error_message());
        r.ok = rc == 0;
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
    res->cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
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

static int same_file(const char *a, const char *b, long *size)
{
    FILE *x = fopen(a, "rb"), *y = fopen(b, "rb");
    int same = x && y;
    long n = 0;
    char p[65536], q[65536];
    while (same) {
        size_t i = fread(p, 1, sizeof p, x), j = fread(q, 1, sizeof q, y);
        same = i == j && memcmp(p, q, i) == 0;
        n += (long)i;
        if (!i)
            break;
    }
    if (x)
        fclose(x);
    if (y)
        fclose(y);
    *size = n;
    return same;
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
            fprintf(stderr, "usage: bench_export [--sizes N,N,..] [--repeat R] "
                    "[--sales S] [--dir DIR] [--keep] [--verbose]\n");
            return 2;
        }
    }
    if (repeat < 1 || repeat > MAX_REPEAT || sales < 0 || sales > 1000) {
        fprintf(stderr, "bench_export: --repeat 1..%d, --sales 0..1000\n", MAX_REPEAT);
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
           "entries; import includes the full verification\n", repeat, sales);
    printf("  %8s %10s %10s %10s %10s %10s %10s %11s %10s %10s\n", "entries", "rows",
           "file KiB", "export s", "exp cpu s", "import s", "imp cpu s", "rows/s imp",
           "exp KiB", "imp KiB");
    for (int z = 0; z < nsizes; z++) {
        char path[4096], copy[4096], a[4200], b[4200];
        snprintf(path, sizeof path, "%s/bench-export-%ld.db", dir, sizes[z]);
        snprintf(copy, sizeof copy, "%s/bench-export-%ld-imported.db", dir, sizes[z]);
        snprintf(a, sizeof a, "%s/bench-export-%ld.zip", dir, sizes[z]);
        snprintf(b, sizeof b, "%s/bench-export-%ld-again.zip", dir, sizes[z]);
        build(path, sizes[z], sales, keep);
        int64_t rows = count(path, "SELECT (SELECT COUNT(*) FROM entries) +"
                                   " (SELECT COUNT(*) FROM postings) +"
                                   " (SELECT COUNT(*) FROM account_days) +"
                                   " (SELECT COUNT(*) FROM audit_log) +"
                                   " (SELECT COUNT(*) FROM audit_states) +"
                                   " (SELECT COUNT(*) FROM inv_sales) * 4 +"
                                   " (SELECT COUNT(*) FROM inv_moves) +"
                                   " (SELECT COUNT(*) FROM inv_layers)");
        double ex[MAX_REPEAT], im[MAX_REPEAT], ekib[MAX_REPEAT], ikib[MAX_REPEAT];
        double ecpu[MAX_REPEAT], icpu[MAX_REPEAT];
        long size = 0;
        for (int r = 0; r < repeat; r++) {
            result e, i, again;
            if (measure(path, a, 0, &e) || measure(copy, a, 1, &i) ||
                measure(copy, b, 0, &again)) {
                fprintf(stderr, "bench_export: %ld entries failed\n", sizes[z]);
                return 1;
            }
            if (!same_file(a, b, &size)) {
                fprintf(stderr, "bench_export: %ld entries: the export of the import "
                        "differs\n", sizes[z]);
                return 1;
            }
            ex[r] = e.seconds;
            ecpu[r] = e.cpu;
            icpu[r] = i.cpu;
            im[r] = i.seconds;
            ekib[r] = (double)e.maxrss_kib;
            ikib[r] = (double)i.maxrss_kib;
            if (verbose)
                printf("  run: %ld entries: export %.3f s %ld KiB, import %.3f s %ld KiB\n",
                       sizes[z], e.seconds, e.maxrss_kib, i.seconds, i.maxrss_kib);
        }
        double imm = median(im, repeat);
        printf("  %8ld %10" PRId64 " %10ld %10.2f %10.2f %10.2f %10.2f %11.0f %10.0f %10.0f\n",
               sizes[z], rows, size / 1024, median(ex, repeat), median(ecpu, repeat), imm,
               median(icpu, repeat), (double)rows / imm, median(ekib, repeat),
               median(ikib, repeat));
        /* the rows a CPU second (the wall clock waits on a shared machine);
         * no plain program: the figures stand alone */
        double ec = median(ecpu, repeat), ic = median(icpu, repeat);
        printf("ROW export.%ld ours=%.0f plain=- ratio=- unit=rows/cpu-s\n", sizes[z],
               ec > 0 ? (double)rows / ec : 0.0);
        printf("ROW import.%ld ours=%.0f plain=- ratio=- unit=rows/cpu-s\n", sizes[z],
               ic > 0 ? (double)rows / ic : 0.0);
        fflush(stdout);
        unlink_db(copy);
        unlink(a);
        unlink(b);
        if (!keep)
            unlink_db(path);
    }
    return 0;
}
