/*
 * Inventory benchmark (prints figures; never a test).
 *
 * 1. Sales per second through the C API, one commit per sale (one line,
 *    FIFO item, tax, card payment), and a plain SQLite program doing the
 *    same writes per sale in one transaction (the idempotency key's lookup,
 *    sale, line, tax line, payment, stock level, cost layer, movement, the
 *    journal entry, its 5 postings and 5 day balances, the tax report's
 *    line, one audit record), side by side in one run, repeated; medians.
 *    Prints `ROW sale.single ours=<lib> plain=<raw> ratio=<lib/raw>`.
 * 2. Stock-on-hand lookup time with 10^4, 10^5 and 10^6 movements in the
 *    book (movements recorded in batches through the API); the lookup must
 *    not grow with history.
 *
 *   bench_inventory [--sales 2000] [--repeat 3] [--sizes 10000,100000,1000000]
 *                   [--lookups 20000] [--sync normal|full|off] [--dir DIR]
 *                   [--side both|lib|raw] [--keep]
 * --side runs one side only (for profiling with callgrind or strace);
 * --keep leaves the library's book of the sales in DIR (its path printed).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backoffice.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "%s: %d (%s): %s\n", what, rc, bo_error_name(rc), bo_error_message());
    exit(1);
}

static void unlink_db(const char *p)
{
    char b[4200];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

static bo_book *make_book(const char *path, int sync)
{
    unlink_db(path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = sync;
    bo_book *b = NULL;
    int rc = bo_book_open(&b, path, &o);
    if (rc)
        die("open", rc);
    const char *acc[][3] = { { "1100", "Card", "asset" }, { "1200", "Inventory", "asset" },
                             { "2100", "GRNI", "liability" }, { "2200", "VAT", "liability" },
                             { "4000", "Sales", "income" }, { "5100", "COGS", "expense" },
                             { "5200", "Shrink", "expense" } };
    for (size_t i = 0; i < sizeof acc / sizeof *acc; i++)
        if ((rc = bo_ledger_account_add(b, acc[i][0], acc[i][1],
                                        bo_account_type_parse(acc[i][2]), NULL, NULL)))
            die("account", rc);
    const char *set[][2] = { { "account.inventory", "1200" }, { "account.cogs", "5100" },
                             { "account.grni", "2100" }, { "account.adjustments", "5200" },
                             { "account.revenue", "4000" }, { "payment.card", "1100" } };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        if ((rc = bo_inventory_setting_set(b, set[i][0], set[i][1])))
            die("setting", rc);
    if ((rc = bo_tax_rate_add(b, &(bo_tax_rate_options){ .version = BO_TAX_RATE_OPTIONS_VERSION,
            .code = "VAT20", .name = "VAT", .rate_ppm = 200000,
            .sales_account = "2200" })) ||
        (rc = bo_tax_category_add(b, "standard", "Standard", "VAT20")) ||
        (rc = bo_inventory_location_add(b, "S1", "Store", "store", 0)) ||
        (rc = bo_inventory_item_add(b, "SKU1", "Item", 0, BO_INVENTORY_FIFO, "standard")))
        die("setup", rc);
    return b;
}

/* --keep: the library side's book is left in place (its pages by table:
 * sqlite3 BOOK "SELECT name, count(*) FROM dbstat GROUP BY name"). */
static int keep;

static double lib_sales(const char *path, int n, int sync)
{
    bo_book *b = make_book(path, sync);
    bo_date d;
    bo_date_parse("2025-06-01", &d);
    int rc = bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "SKU1", .location = "S1",
            .qty = (int64_t)n * 2, .cost = (int64_t)n * 2 * 250, .date = d, .key = "stock" }, NULL);
    if (rc)
        die("receive", rc);
    double t0 = now();
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "s%d", i);
        bo_sale *s;
        int64_t id;
        if ((rc = bo_sale_new(&s, d, NULL)) || (rc = bo_sale_set_key(s, key)) ||
            (rc = bo_sale_line(s, "SKU1", "S1", 1, 600, 0)) ||
            (rc = bo_sale_payment(s, "card", 600)) || (rc = bo_inventory_sale_post(b, s, &id)))
            die("sale", rc);
        bo_sale_free(s);
    }
    double t = now() - t0;
    bo_book_free(b);
    if (keep)
        printf("kept %s\n", path);
    else
        unlink_db(path);
    return n / t;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", err);
        exit(1);
    }
}

/* The same rows a library sale writes, by a program that knows them. */
static double raw_sales(const char *path, int n, int sync)
{
    unlink_db(path);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(1);
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, sync == BO_SYNC_FULL ? "PRAGMA synchronous=FULL"
           : sync == BO_SYNC_OFF ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=NORMAL");
    exec(db, "CREATE TABLE stock (id INTEGER PRIMARY KEY, on_hand INT, value INT);"
             "CREATE TABLE layers (id INTEGER PRIMARY KEY, remaining INT, cost INT);"
             "CREATE TABLE sales (id INTEGER PRIMARY KEY, date TEXT, key TEXT UNIQUE,"
             " digest TEXT, total INT, tax INT);"
             "CREATE TABLE lines (sale INT, line INT, stock INT, qty INT, net INT, tax INT,"
             " cost INT, PRIMARY KEY (sale, line));"
             "CREATE TABLE taxes (sale INT, line INT, seq INT, account TEXT, amount INT,"
             " PRIMARY KEY (sale, line, seq));"
             "CREATE TABLE payments (sale INT, seq INT, method TEXT, amount INT,"
             " PRIMARY KEY (sale, seq));"
             "CREATE TABLE moves (id INTEGER PRIMARY KEY, stock INT, kind TEXT, date TEXT,"
             " qty INT, value INT, entry INT);"
             "CREATE INDEX moves_by_stock ON moves (stock, date, id);"
             "CREATE TABLE entries (id INTEGER PRIMARY KEY, date TEXT, memo TEXT, digest TEXT);"
             "CREATE TABLE postings (entry INT, line INT, account INT, amount INT, date TEXT,"
             " PRIMARY KEY (entry, line));"
             "CREATE TABLE days (account INT, date TEXT, delta INT, total INT,"
             " PRIMARY KEY (account, date));"
             "CREATE TABLE tax_report (entry INT, seq INT, date TEXT, account TEXT, base INT,"
             " amount INT, PRIMARY KEY (entry, seq));"
             "CREATE TABLE audit (seq INTEGER PRIMARY KEY, action TEXT, detail TEXT, hash TEXT);"
             "INSERT INTO stock VALUES (1, 1000000, 250000000);"
             "INSERT INTO layers VALUES (1, 1000000, 250000000);");
    const char *sql[] = {
        "BEGIN IMMEDIATE",
        "SELECT id FROM sales WHERE key = ?1",
        "UPDATE layers SET remaining = remaining - 1, cost = cost - 250 WHERE id = 1",
        "UPDATE stock SET on_hand = on_hand - 1, value = value - 250 WHERE id = 1",
        "INSERT INTO entries (date, memo, digest) VALUES ('2025-06-01', 'sale', ?1)",
        "INSERT INTO postings VALUES (?2, 1, 1, 600, '2025-06-01'), (?2, 2, 5, -500, '2025-06-01'),"
        " (?2, 3, 4, -100, '2025-06-01'), (?2, 4, 6, 250, '2025-06-01'),"
        " (?2, 5, 2, -250, '2025-06-01')",
        "INSERT INTO days VALUES (1, '2025-06-01', 600, 600), (5, '2025-06-01', -500, -500),"
        " (4, '2025-06-01', -100, -100), (6, '2025-06-01', 250, 250),"
        " (2, '2025-06-01', -250, -250) ON CONFLICT (account, date) DO UPDATE SET"
        " delta = delta + excluded.delta, total = total + excluded.delta",
        "INSERT INTO sales (date, key, digest, total, tax) VALUES ('2025-06-01', ?1, ?1, 600, 100)",
        "INSERT INTO lines VALUES (?2, 1, 1, 1, 500, 100, 250)",
        "INSERT INTO taxes VALUES (?2, 1, 1, '2200', 100)",
        "INSERT INTO payments VALUES (?2, 1, 'card', 600)",
        "INSERT INTO moves (stock, kind, date, qty, value, entry) VALUES (1, 'sale',"
        " '2025-06-01', -1, -250, ?2)",
        "INSERT INTO tax_report VALUES (?2, 1, '2025-06-01', '2200', 500, 100)",
        "INSERT INTO audit (action, detail, hash) VALUES ('sale', ?1, ?1)",
        "COMMIT",
    };
    enum { NSQL = sizeof sql / sizeof *sql };
    sqlite3_stmt *st[NSQL];
    for (int i = 0; i < NSQL; i++)
        if (sqlite3_prepare_v3(db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st[i], NULL)) {
            fprintf(stderr, "prepare: %s\n", sqlite3_errmsg(db));
            exit(1);
        }
    double t0 = now();
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "s%d", i);
        for (int k = 0; k < NSQL; k++) {
            if (sqlite3_bind_parameter_count(st[k]) >= 1)
                sqlite3_bind_text(st[k], 1, key, -1, SQLITE_STATIC);
            if (sqlite3_bind_parameter_count(st[k]) >= 2)
                sqlite3_bind_int64(st[k], 2, i + 1);
            int rc;
            while ((rc = sqlite3_step(st[k])) == SQLITE_ROW)
                ;
            if (rc != SQLITE_DONE) {
                fprintf(stderr, "step %d: %s\n", k, sqlite3_errmsg(db));
                exit(1);
            }
            sqlite3_reset(st[k]);
        }
    }
    double t = now() - t0;
    for (int i = 0; i < NSQL; i++)
        sqlite3_finalize(st[i]);
    sqlite3_close(db);
    unlink_db(path);
    return n / t;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Grow the book to `size` movements over 100 items x 3 locations, then
 * time `lookups` stock lookups of random (item, location) pairs. */
static void lookup_run(bo_book *b, int64_t *have, int64_t size, int lookups)
{
    bo_date d;
    bo_date_parse("2025-06-01", &d);
    static const char *const locs[] = { "S1", "S2", "S3" };
    int rc;
    while (*have < size) {
        if ((rc = bo_book_begin(b)))
            die("begin", rc);
        for (int k = 0; k < 5000 && *have < size; k++, (*have)++) {
            char sku[16], key[32];
            snprintf(sku, sizeof sku, "I%03d", (int)(*have % 100));
            snprintf(key, sizeof key, "grow-%lld", (long long)*have);
            if ((rc = bo_inventory_receive(b, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku,
                    .location = locs[(*have / 100) % 3], .qty = 1, .cost = 100,
                    .date = d + (int)(*have / 20000), .key = key }, NULL)))
                die("receive", rc);
        }
        if ((rc = bo_book_commit(b)))
            die("commit", rc);
    }
    uint64_t x = 7;
    double t0 = now();
    int64_t sum = 0;
    for (int i = 0; i < lookups; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        char sku[16];
        snprintf(sku, sizeof sku, "I%03d", (int)((x >> 33) % 100));
        int64_t q;
        if ((rc = bo_inventory_stock(b, sku, locs[(x >> 20) % 3], &q)))
            die("stock", rc);
        sum += q;
    }
    double t = now() - t0;
    printf("  %8" PRId64 " movements: %.2f us per stock lookup (%d lookups, total %" PRId64 ")\n",
           size, t / lookups * 1e6, lookups, sum);
}

int main(int argc, char **argv)
{
    int sales = 2000, repeat = 3, lookups = 20000, sync = BO_SYNC_NORMAL, side = 3;
    char sizes[256] = "10000,100000,1000000";
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--sales") && i + 1 < argc)
            sales = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--lookups") && i + 1 < argc)
            lookups = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--sizes") && i + 1 < argc)
            snprintf(sizes, sizeof sizes, "%s", argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else if (!strcmp(argv[i], "--side") && i + 1 < argc) {
            const char *v = argv[++i];
            side = !strcmp(v, "lib") ? 1 : !strcmp(v, "raw") ? 2 : 3;
        }
        else if (!strcmp(argv[i], "--sync") && i + 1 < argc) {
            const char *v = argv[++i];
            sync = !strcmp(v, "full") ? BO_SYNC_FULL : !strcmp(v, "off") ? BO_SYNC_OFF
                 : BO_SYNC_NORMAL;
        } else {
            fprintf(stderr, "usage: %s [--sales N] [--repeat R] [--sizes a,b,c] "
                    "[--lookups L] [--sync normal|full|off] [--dir DIR] "
                    "[--side both|lib|raw] [--keep]\n", argv[0]);
            return 2;
        }
    }
    if (repeat < 1 || repeat > 15 || sales < 1)
        return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_inventory_%d.db", dir, (int)getpid());
    double lib[16], raw[16];
    for (int r = 0; r < repeat; r++) {
        lib[r] = side & 1 ? lib_sales(path, sales, sync) : 0;
        raw[r] = side & 2 ? raw_sales(path, sales, sync) : 0;
    }
    qsort(lib, (size_t)repeat, sizeof *lib, cmp);
    qsort(raw, (size_t)repeat, sizeof *raw, cmp);
    const char *sn = sync == BO_SYNC_FULL ? "FULL" : sync == BO_SYNC_OFF ? "OFF" : "NORMAL";
    printf("sales, one commit each (synchronous=%s), %d sales, median of %d:\n", sn, sales,
           repeat);
    printf("  library %.0f sales/s, plain SQLite %.0f sales/s, library/raw %.2f\n",
           lib[repeat / 2], raw[repeat / 2], lib[repeat / 2] / raw[repeat / 2]);
    if (side == 3)
        printf("ROW sale.single ours=%.0f plain=%.0f ratio=%.2f unit=sales/s\n", lib[repeat / 2],
               raw[repeat / 2], lib[repeat / 2] / raw[repeat / 2]);

    printf("stock-on-hand lookup:\n");
    if (keep) /* the sales' book stays; the look-ups get their own */
        snprintf(path, sizeof path, "%s/bench_inventory_%d_lookup.db", dir, (int)getpid());
    bo_book *b = make_book(path, BO_SYNC_OFF);
    int rc;
    for (int i = 0; i < 100; i++) {
        char sku[16];
        snprintf(sku, sizeof sku, "I%03d", i);
        if ((rc = bo_inventory_item_add(b, sku, sku, 0, BO_INVENTORY_AVERAGE, NULL)))
            die("item", rc);
    }
    if ((rc = bo_inventory_location_add(b, "S2", "Two", "store", 0)) ||
        (rc = bo_inventory_location_add(b, "S3", "Three", "store", 0)))
        die("location", rc);
    int64_t have = 0;
    for (char *p = sizes; *p;) {
        int64_t size = strtoll(p, &p, 10);
        if (size > 0)
            lookup_run(b, &have, size, lookups);
        if (*p == ',')
            p++;
        else
            break;
    }
    bo_book_free(b);
    unlink_db(path);
    return 0;
}
