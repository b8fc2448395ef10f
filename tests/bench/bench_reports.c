/*
 * What the reports cost as a book grows: N till sales (default 10,000;
 * `bench_reports 100000`) over a year in two stores, 20 items, each sale
 * one to three lines paid by cash or card, posted 1,000 to a transaction;
 * then the metrics of a month and of the year, and the dashboard of a
 * month and of the year. Prints seconds (wall clock, median of three), the
 * dashboard's size, and the rows the dashboard's metrics read against the
 * rows the book holds (counted with SQLite beside the library, read only).
 *
 * BENCH_REPORTS_DB=FILE keeps the book in FILE: made there when FILE does
 * not exist, opened and measured again when it does (a book of 10^6 sales
 * is made once, then measured as often as needed, under callgrind too:
 * `valgrind --tool=callgrind --toggle-collect=bo_report_dashboard`).
 * BENCH_REPORTS_ONLY=month|year renders only that dashboard, once.
 * SQLite file, synchronous off.
 */
#define _POSIX_C_SOURCE 200809L
#include <backoffice.h>
#include <sqlite3.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "bench_reports"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(int rc, const char *what)
{
    if (rc) {
        fprintf(stderr, BENCH_NAME ": %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        exit(3);
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median3(bo_book *b, int what, const bo_report_options *o, const char *path)
{
    double t[3];
    for (int i = 0; i < 3; i++) {
        double t0 = now();
        if (what == 0) {
            bo_cursor *c;
            check(bo_report_metrics(b, o, &c), "metrics");
            while (bo_cursor_next(c) == 0)
                ;
            bo_cursor_free(c);
        } else {
            check(bo_report_dashboard(b, o, path), "dashboard");
        }
        t[i] = now() - t0;
    }
    qsort(t, 3, sizeof t[0], cmp);
    return t[1];
}

static void build(bo_book *b, long n)
{
    static const struct { const char *code, *name; int type; } chart[] = {
        { "1000", "Cash", BO_ACCOUNT_ASSET },       { "1100", "Bank", BO_ACCOUNT_ASSET },
        { "1300", "Inventory", BO_ACCOUNT_ASSET },  { "2050", "GRNI", BO_ACCOUNT_LIABILITY },
        { "4000", "Sales", BO_ACCOUNT_INCOME },     { "5000", "COGS", BO_ACCOUNT_EXPENSE },
        { "5400", "Shrinkage", BO_ACCOUNT_EXPENSE },
    };
    for (size_t i = 0; i < sizeof chart / sizeof chart[0]; i++)
        check(bo_ledger_account_add(b, chart[i].code, chart[i].name, chart[i].type, NULL, NULL),
              "account");
    const char *settings[][2] = {
        { "account.inventory", "1300" }, { "account.cogs", "5000" }, { "account.grni", "2050" },
        { "account.adjustments", "5400" }, { "account.revenue", "4000" },
        { "payment.cash", "1000" }, { "payment.card", "1100" },
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        check(bo_inventory_setting_set(b, settings[i][0], settings[i][1]), "setting");
    check(bo_inventory_location_add(b, "JKT", "Jakarta", "store", 0), "location");
    check(bo_inventory_location_add(b, "DPS", "Denpasar", "store", 0), "location");
    bo_date jan1;
    bo_date_parse("2025-01-01", &jan1);
    char sku[16], key[48];
    for (int i = 0; i < 20; i++) {
        snprintf(sku, sizeof sku, "ITEM%02d", i);
        check(bo_inventory_item_add(b, sku, sku, 0, BO_INVENTORY_FIFO, NULL), "item");
        for (int s = 0; s < 2; s++) {
            snprintf(key, sizeof key, "r-%d-%d", i, s);
            check(bo_inventory_receive(b, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku,
                    .location = s ? "DPS" : "JKT", .qty = n * 3, .cost = n * 3 * 100,
                    .date = jan1, .key = key }, NULL), "receive");
        }
    }
    double t0 = now();
    uint64_t x = 12345;
    for (long i = 0; i < n; i++) {
        if (i % 1000 == 0)
            check(bo_book_begin(b), "begin");
        bo_sale *s;
        check(bo_sale_new(&s, jan1 + (bo_date)(i * 365 / n), "till"), "sale");
        snprintf(key, sizeof key, "s-%ld", i);
        check(bo_sale_set_key(s, key), "key");
        int lines = 1 + (int)(x % 3);
        int64_t total = 0;
        for (int l = 0; l < lines; l++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            snprintf(sku, sizeof sku, "ITEM%02d", (int)(x >> 33) % 20);
            int64_t price = 500 + (int64_t)((x >> 40) % 5000);
            check(bo_sale_line(s, sku, i % 2 ? "DPS" : "JKT", 1, price, 0), "line");
            total += price;
        }
        check(bo_sale_payment(s, (x >> 20) % 2 ? "cash" : "card", total), "payment");
        check(bo_inventory_sale_post(b, s, NULL), "post");
        bo_sale_free(s);
        if (i % 1000 == 999 || i == n - 1)
            check(bo_book_commit(b), "commit");
    }
    printf("built %ld sales in %.1f s\n", n, now() - t0);
}

/* Rows in the window [from - 1, to + 1] the metrics read (a record counts
 * on a day at most one away from its date): the sales, their lines, each
 * sale's audit record, the returns and theirs. */
static long long window_rows(sqlite3 *db, bo_date from, bo_date to)
{
    char f[11], t[11];
    long long rows = 0;
    static const char *const sql[] = {
        "SELECT 2 * COUNT(DISTINCT s.id) + COUNT(*) FROM inv_sales s"
        " JOIN inv_sale_lines l ON l.sale_id = s.id WHERE s.date BETWEEN ?1 AND ?2",
        "SELECT 2 * COUNT(*) FROM inv_returns WHERE date BETWEEN ?1 AND ?2",
    };
    bo_date_format(from - 1, f, sizeof f);
    bo_date_format(to + 1, t, sizeof t);
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(db, sql[i], -1, &s, NULL) != SQLITE_OK) {
            fprintf(stderr, BENCH_NAME ": count: %s\n", sqlite3_errmsg(db));
            exit(3);
        }
        sqlite3_bind_text(s, 1, f, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, t, -1, SQLITE_STATIC);
        if (sqlite3_step(s) == SQLITE_ROW)
            rows += sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
    }
    return rows;
}

static long long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The rows the dashboard's metrics read for the period from .. to: the
 * tiles' week and the week before, then the period once (its days,
 * weekday x hour and items in one pass). */
static long long dashboard_rows(sqlite3 *db, bo_date from, bo_date to)
{
    return window_rows(db, to - 6, to) + window_rows(db, to - 13, to - 7) +
           window_rows(db, from, to);
}

/* The book's rows, and those the dashboard of each period read (the
 * periods of n pairs: from[i] .. to[i], named name[i]). */
static void book_rows(const char *path, int n, const char *const *name, const bo_date *from,
                      const bo_date *to)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, BENCH_NAME ": %s: %s\n", path, sqlite3_errmsg(db));
        exit(3);
    }
    printf("the book: %lld sales, %lld sale lines, %lld audit records\n",
           count(db, "SELECT COUNT(*) FROM inv_sales"),
           count(db, "SELECT COUNT(*) FROM inv_sale_lines"),
           count(db, "SELECT COUNT(*) FROM audit_log"));
    for (int i = 0; i < n; i++)
        printf("rows the dashboard's metrics read, %s: %lld\n", name[i],
               dashboard_rows(db, from[i], to[i]));
    sqlite3_close(db);
}

static void measure(bo_book *b, const char *only, const char *html, const char *path)
{
    bo_date jan1;
    bo_date_parse("2025-01-01", &jan1);
    bo_report_options o = BO_REPORT_OPTIONS_INIT;
    o.zones = "JKT=WIB,DPS=WITA";
    bo_date_parse("2025-06-01", &o.from);
    bo_date_parse("2025-06-30", &o.to);
    o.group = BO_REPORT_DAY;
    if (only) {
        if (strcmp(only, "year") == 0) {
            o.from = jan1;
            bo_date_parse("2025-12-31", &o.to);
        }
        double t0 = now();
        check(bo_report_dashboard(b, &o, html), "dashboard");
        printf("dashboard, %s: %.3f s (once)\n", only, now() - t0);
        book_rows(path, 1, &only, &o.from, &o.to);
        return;
    }
    printf("metrics by day, one month:   %.3f s\n", median3(b, 0, &o, NULL));
    o.group = BO_REPORT_ITEM;
    printf("metrics by item, one month:  %.3f s\n", median3(b, 0, &o, NULL));
    o.group = BO_REPORT_DAY;
    printf("dashboard, one month:        %.3f s\n", median3(b, 1, &o, html));
    bo_date mfrom = o.from, mto = o.to;
    o.from = jan1;
    bo_date_parse("2025-12-31", &o.to);
    printf("metrics by day, the year:    %.3f s\n", median3(b, 0, &o, NULL));
    printf("dashboard, the year:         %.3f s\n", median3(b, 1, &o, html));
    struct stat st;
    if (stat(html, &st) == 0)
        printf("dashboard of the year: %lld bytes\n", (long long)st.st_size);
    const char *const names[] = { "month", "year" };
    bo_date froms[] = { mfrom, o.from }, tos[] = { mto, o.to };
    book_rows(path, 2, names, froms, tos);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    setvbuf(stdout, NULL, _IOLBF, 0); /* each figure as soon as it is known */
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char path[4096], uri[4200], html[4200];
    const char *keep = getenv("BENCH_REPORTS_DB");
    const char *only = getenv("BENCH_REPORTS_ONLY");
    if (keep)
        snprintf(path, sizeof path, "%s", keep);
    else
        snprintf(path, sizeof path, "%s/bench_reports-%d.db", tmp, (int)getpid());
    struct stat st;
    int exists = keep && stat(path, &st) == 0;
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    snprintf(html, sizeof html, "%s/bench_reports-%d.html", tmp, (int)getpid());
    bo_book_options bo = BO_BOOK_OPTIONS_INIT;
    bo.actor = "owner";
    bo.create = 1;
    bo.sync = BO_SYNC_OFF;
    bo_book *b;
    check(bo_book_open(&b, uri, &bo), "open");
    if (!exists)
        build(b, n);
    measure(b, only, html, path);
    bo_book_free(b);
    unlink(html);
    if (keep)
        return 0;
    char f[4300];
    const char *suffix[] = { "", "-wal", "-shm" };
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, suffix[i]);
        unlink(f);
    }
    return 0;
}
