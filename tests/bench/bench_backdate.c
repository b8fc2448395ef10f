/*
 * Backdated receipt benchmark (prints figures; never a test).
 *
 * A book of N movements of one FIFO item at one location (a receipt of 2
 * units and an issue of 2, alternating, one movement a day). A receipt of
 * 5 units is then posted dated so that exactly K movements come after it:
 * every one of them is valued again (each issue redraws its layers, the
 * whole chain shifts by the new layer). Each measure runs inside
 * bo_book_begin() .. bo_book_rollback(), so the book stays the same for the
 * next; medians of --repeat runs. The baseline ("plain") is the same receipt
 * posted undated (dated after every movement: no revaluation) in the same
 * book and run; there is no fair raw-SQLite program for a revaluation.
 *
 * With --returns 1 the book is a receipt of 2, a sale of 2, a return of 1
 * unit of that sale and an issue of 1, repeated: a quarter of the later
 * movements are sales and a quarter returns, each found by a lookup (its
 * sale line, the sale's movement) while the replay values it again.
 *
 *   bench_backdate [--sizes 10000,100000] [--ks 10,100,1000,10000]
 *                  [--repeat 5] [--returns 0|1] [--dir DIR]
 *
 * Prints per size and K the CPU and wall microseconds of both (medians),
 * and for the last size, from the CPU times,
 * `ROW backdate.k<K> ours=<backdated/s> plain=<undated/s> ratio=<ours/plain>
 * unit=receipts/s`. Time grows with K; at a given K it does not grow with N.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backoffice.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process: the machine is shared, wall clock waits. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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

static bo_date base;
static int with_returns;
static int64_t last_sale;

/* Movement i of the book with sales and returns. */
static int mixed(bo_book *b, int i, const char *key)
{
    bo_inventory_move_options m = BO_INVENTORY_MOVE_OPTIONS_INIT;
    m.sku = "SKU1";
    m.location = "S1";
    m.date = base + i;
    m.key = key;
    switch (i % 4) {
    case 0:
        m.qty = 2;
        m.cost = 2 * (100 + i % 37);
        return bo_inventory_receive(b, &m, NULL);
    case 1: {
        bo_sale *s = NULL;
        int rc = bo_sale_new(&s, base + i, "sale");
        if (!rc && !(rc = bo_sale_set_key(s, key)) &&
            !(rc = bo_sale_line(s, "SKU1", "S1", 2, 500, 0)) &&
            !(rc = bo_sale_payment(s, "cash", 1000)))
            rc = bo_inventory_sale_post(b, s, &last_sale);
        bo_sale_free(s);
        return rc;
    }
    case 2: {
        bo_inventory_return_options r = BO_INVENTORY_RETURN_OPTIONS_INIT;
        r.sale_id = last_sale;
        r.line = 1;
        r.qty = 1;
        r.date = base + i;
        r.method = "cash";
        r.key = key;
        return bo_inventory_return(b, &r, NULL);
    }
    default:
        m.qty = 1;
        m.reason = "use";
        return bo_inventory_issue(b, &m, NULL);
    }
}

static bo_book *make_book(const char *path, int n)
{
    unlink_db(path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_open(&b, path, &o);
    if (rc)
        die("open", rc);
    const char *acc[][3] = { { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                             { "5100", "COGS", "expense" }, { "5200", "Shrink", "expense" },
                             { "1000", "Cash", "asset" }, { "4000", "Sales", "income" } };
    for (size_t i = 0; i < sizeof acc / sizeof *acc; i++)
        if ((rc = bo_ledger_account_add(b, acc[i][0], acc[i][1],
                                        bo_account_type_parse(acc[i][2]), NULL, NULL)))
            die("account", rc);
    const char *set[][2] = { { "account.inventory", "1200" }, { "account.cogs", "5100" },
                             { "account.grni", "2100" }, { "account.adjustments", "5200" },
                             { "account.revenue", "4000" }, { "payment.cash", "1000" } };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        if ((rc = bo_inventory_setting_set(b, set[i][0], set[i][1])))
            die("setting", rc);
    if ((rc = bo_inventory_location_add(b, "S1", "Store", "store", 0)) ||
        (rc = bo_inventory_item_add(b, "SKU1", "Item", 0, BO_INVENTORY_FIFO, NULL)))
        die("setup", rc);
    for (int i = 0; i < n; i++) {
        if (i % 1000 == 0 && (rc = bo_book_begin(b)))
            die("begin", rc);
        char key[32];
        snprintf(key, sizeof key, "m%d", i);
        bo_inventory_move_options m = BO_INVENTORY_MOVE_OPTIONS_INIT;
        m.sku = "SKU1";
        m.location = "S1";
        m.qty = 2;
        m.date = base + i;
        m.key = key;
        if (with_returns) {
            rc = mixed(b, i, key);
        } else if (i % 2 == 0) {
            m.cost = 2 * (100 + i % 37);
            rc = bo_inventory_receive(b, &m, NULL);
        } else {
            m.reason = "use";
            rc = bo_inventory_issue(b, &m, NULL);
        }
        if (rc)
            die("movement", rc);
        if ((i % 1000 == 999 || i == n - 1) && (rc = bo_book_commit(b)))
            die("commit", rc);
    }
    return b;
}

/* Seconds for one receipt dated date, rolled back; *wall the wall clock. */
static double one(bo_book *b, bo_date date, double *wall)
{
    int rc = bo_book_begin(b);
    if (rc)
        die("begin", rc);
    bo_inventory_move_options m = BO_INVENTORY_MOVE_OPTIONS_INIT;
    m.sku = "SKU1";
    m.location = "S1";
    m.qty = 5;
    m.cost = 611;
    m.date = date;
    m.key = "bench-backdated";
    double w0 = now(), t0 = cpu();
    rc = bo_inventory_receive(b, &m, NULL);
    double t = cpu() - t0;
    *wall = now() - w0;
    if (rc)
        die("receive", rc);
    if ((rc = bo_book_rollback(b)))
        die("rollback", rc);
    return t;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        out[n++] = atoi(s);
        const char *c = strchr(s, ',');
        if (!c)
            break;
        s = c + 1;
    }
    return n;
}

int main(int argc, char **argv)
{
    int sizes[8] = { 10000, 100000 }, nsizes = 2;
    int ks[8] = { 10, 100, 1000, 10000 }, nks = 4, repeat = 5;
    const char *dir = "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--sizes"))
            nsizes = parse_list(argv[i + 1], sizes, 8);
        else if (!strcmp(argv[i], "--ks"))
            nks = parse_list(argv[i + 1], ks, 8);
        else if (!strcmp(argv[i], "--repeat"))
            repeat = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--returns"))
            with_returns = atoi(argv[i + 1]) != 0;
        else if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
    }
    if (repeat < 1 || repeat > 99)
        repeat = 5;
    bo_date_parse("1800-01-01", &base);
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_backdate_%d.db", dir, (int)getpid());
    for (int si = 0; si < nsizes; si++) {
        int n = sizes[si];
        double tb = now();
        bo_book *b = make_book(path, n);
        fprintf(stderr, "book of %d movements made in %.1f s\n", n, now() - tb);
        for (int ki = 0; ki < nks; ki++) {
            int k = ks[ki];
            if (k > n)
                continue;
            double back[99], plain[99], wb[99], wp[99];
            for (int r = 0; r < repeat; r++) {
                /* dated the day before the K-th last movement: K come after */
                back[r] = one(b, base + (n - k) - 1, &wb[r]);
                plain[r] = one(b, base + n, &wp[r]);
            }
            qsort(back, (size_t)repeat, sizeof *back, cmp_d);
            qsort(plain, (size_t)repeat, sizeof *plain, cmp_d);
            qsort(wb, (size_t)repeat, sizeof *wb, cmp_d);
            qsort(wp, (size_t)repeat, sizeof *wp, cmp_d);
            double mb = back[repeat / 2], mp = plain[repeat / 2];
            printf("size=%d k=%d backdated_cpu_us=%.0f undated_cpu_us=%.0f cpu_us_per_later=%.2f"
                   " backdated_wall_us=%.0f undated_wall_us=%.0f\n", n, k, mb * 1e6, mp * 1e6,
                   (mb - mp) * 1e6 / k, wb[repeat / 2] * 1e6, wp[repeat / 2] * 1e6);
            if (si == nsizes - 1)
                printf("ROW backdate.k%d ours=%.1f plain=%.1f ratio=%.4f unit=receipts/s\n", k,
                       1 / mb, 1 / mp, mp / mb);
            fflush(stdout);
        }
        bo_book_free(b);
        unlink_db(path);
    }
    return 0;
}
