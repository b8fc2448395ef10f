/*
 * Sync benchmark (prints figures; never a test).
 *
 * A terminal offline with N sales (one line, a taxed FIFO item, cash; one
 * commit per sale, as a till makes them), one of them poisoned (an item the
 * central book does not know), then synced to a fresh central book in
 * batches. Side by side in the same run: the same sales posted straight
 * into another fresh central book (a sample of them), one commit each.
 * Prints
 *   ROW sync.sales ours=<synced sales/s> plain=<direct sales/s> ratio=<ours/plain> unit=sales/s
 * and a CHECK line: pushed = N - 1, quarantined = 1, the central inbox
 * holds N - 1 commands.
 *
 *   bench_sync [--sales 50000] [--direct 5000] [--batch 500] [--dir DIR]
 *              [--central URI]   (a PostgreSQL central store, say)
 *
 * With --terminals K (K > 1): K terminals each offline with --sales sales
 * reconnect at once, each in its own process syncing to the same central
 * book (SQLite: its writers take turns; PostgreSQL: side by side). Prints
 *   ROW sync.reconnect terminals=<K> sales=<K x sales> wall=<s> rate=<sales/s>
 *       unit=sales/s central=sqlite|postgresql
 *   ROW sync.reconnect.terminal max=<s> median=<s> min=<s> unit=s busy_reruns=<n>
 * (each terminal's own sync time; runs again after BO_EBUSY) and a CHECK
 * line: every terminal's outbox synced whole, the central inbox
 * holds every sale, none twice, and the central cash, revenue and VAT
 * balances are the sums of the terminals' own.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backoffice.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_sync: %s: %d (%s): %s\n", what, rc, bo_error_name(rc),
            bo_error_message());
    exit(1);
}

#define CK(what, call) do { int rc_ = (call); if (rc_) die(what, rc_); } while (0)

static void unlink_db(const char *p)
{
    char b[4200];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

static bo_book *make_book(const char *uri, int negative)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_NORMAL;
    bo_book *b = NULL;
    CK("open", bo_book_open(&b, uri, &o));
    static const struct { const char *code, *name; bo_account_type t; } acc[] = {
        {"1000", "Cash", BO_ACCOUNT_ASSET}, {"1200", "Inventory", BO_ACCOUNT_ASSET},
        {"2100", "GRNI", BO_ACCOUNT_LIABILITY}, {"2200", "VAT", BO_ACCOUNT_LIABILITY},
        {"3000", "Equity", BO_ACCOUNT_EQUITY}, {"4000", "Sales", BO_ACCOUNT_INCOME},
        {"5100", "COGS", BO_ACCOUNT_EXPENSE},
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        CK("account", bo_ledger_account_add(b, acc[i].code, acc[i].name, acc[i].t, NULL, NULL));
    CK("rate", bo_tax_rate_add(b, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20", .name = "VAT",
            .rate_ppm = 200000, .sales_account = "2200" }));
    CK("category", bo_tax_category_add(b, "standard", "Standard", "VAT20"));
    static const char *const set[][2] = {
        {"account.inventory", "1200"}, {"account.cogs", "5100"}, {"account.grni", "2100"},
        {"account.revenue", "4000"}, {"payment.cash", "1000"},
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        CK("setting", bo_inventory_setting_set(b, set[i][0], set[i][1]));
    CK("location", bo_inventory_location_add(b, "S1", "Store", "store", negative));
    CK("item", bo_inventory_item_add(b, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    return b;
}

static void sell(bo_book *b, const char *key, const char *sku)
{
    bo_date d;
    bo_sale *s;
    CK("date", bo_date_parse("2026-03-01", &d));
    CK("sale", bo_sale_new(&s, d, "till"));
    CK("key", bo_sale_set_key(s, key));
    CK("line", bo_sale_line(s, sku, "S1", 1, 1200, 0));
    CK("pay", bo_sale_payment(s, "cash", 1200));
    CK("post", bo_inventory_sale_post(b, s, NULL));
    bo_sale_free(s);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Cash, revenue and VAT balances of a book (the accounts make_book adds). */
static const char *const TOTALS[] = { "1000", "4000", "2200" };
enum { NTOTALS = 3 };

static void totals(bo_book *b, int64_t out[NTOTALS])
{
    bo_date d;
    CK("date", bo_date_parse("2026-12-31", &d));
    for (int i = 0; i < NTOTALS; i++)
        CK("balance", bo_ledger_balance(b, TOTALS[i], d, NULL, &out[i]));
}

/* K terminals reconnecting at once (see the top of the file). */
static int reconnect(int k, int n, int batch, const char *dir, const char *central_uri)
{
    char cpath[4096];
    snprintf(cpath, sizeof cpath, "%s/bench_sync_central.db", dir);
    unlink_db(cpath);
    const char *curi = central_uri ? central_uri : cpath;
    bo_book *central = make_book(curi, 0);
    bo_book_free(central);
    int64_t sum[NTOTALS] = { 0 };
    char (*tpath)[4096] = calloc((size_t)k, sizeof *tpath);
    if (!tpath)
        return 2;
    for (int t = 0; t < k; t++) {
        char id[16];
        snprintf(tpath[t], sizeof tpath[t], "%s/bench_sync_term%d.db", dir, t);
        snprintf(id, sizeof id, "T%d", t + 1);
        unlink_db(tpath[t]);
        bo_book *term = make_book(tpath[t], 1);
        CK("setup", bo_terminal_setup(term, id, curi));
        for (int i = 0; i < n; i++) {
            char key[32];
            snprintf(key, sizeof key, "till-%d", i);
            sell(term, key, "A");
        }
        int64_t tt[NTOTALS];
        totals(term, tt);
        for (int j = 0; j < NTOTALS; j++)
            sum[j] += tt[j];
        bo_book_free(term);
    }
    /* each child writes "<terminal> <seconds>\n" (shorter than PIPE_BUF:
     * whole) */
    int fds[2];
    if (pipe(fds))
        return 2;
    double t0 = now();
    for (int t = 0; t < k; t++) {
        pid_t pid = fork();
        if (pid < 0)
            return 2;
        if (pid == 0) {
            bo_book_options o = BO_BOOK_OPTIONS_INIT;
            o.actor = "owner";
            o.sync = BO_SYNC_NORMAL;
            bo_book *term = NULL, *c = NULL;
            CK("open terminal", bo_book_open(&term, tpath[t], &o));
            CK("open central", bo_book_open(&c, curi, &o));
            bo_sync_options so = BO_SYNC_OPTIONS_INIT;
            so.batch = batch;
            bo_sync_report r = BO_SYNC_REPORT_INIT;
            double s0 = now();
            int rc, busy = 0;
            /* a store busy beyond its handler is a sync to run again (the
             * report counts the last run only: the outbox tells) */
            while ((rc = bo_sync_run(term, c, &so, &r)) == BO_EBUSY)
                busy++;
            if (rc)
                die("sync", rc);
            double took = now() - s0;
            bo_cursor *oc;
            int synced = 0;
            CK("outbox", bo_terminal_outbox(term, "synced", &oc));
            while (bo_cursor_next(oc) == 0)
                synced++;
            bo_cursor_free(oc);
            char line[64];
            int len = snprintf(line, sizeof line, "%d %.6f %d\n", t + 1, took, busy);
            if (write(fds[1], line, (size_t)len) != len)
                _exit(1);
            bo_book_free(term);
            bo_book_free(c);
            _exit(synced == n ? 0 : 1);
        }
    }
    close(fds[1]);
    int failed = 0;
    for (int t = 0; t < k; t++) {
        int status = 0;
        if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
            failed++;
    }
    double wall = now() - t0;
    double *took = calloc((size_t)k, sizeof *took);
    int ntook = 0;
    FILE *in = fdopen(fds[0], "r");
    if (!took || !in)
        return 2;
    int tn, tb, busy = 0;
    double ts;
    while (ntook < k && fscanf(in, "%d %lf %d", &tn, &ts, &tb) == 3) {
        took[ntook++] = ts;
        busy += tb;
    }
    fclose(in);
    qsort(took, (size_t)ntook, sizeof *took, cmp_double);
    bo_book_options oo = BO_BOOK_OPTIONS_INIT;
    oo.actor = "owner";
    central = NULL;
    CK("open central", bo_book_open(&central, curi, &oo));
    bo_cursor *c;
    int64_t inbox = 0, prev_seq = 0;
    char prev_t[32] = "";
    int dup = 0;
    CK("inbox", bo_sync_inbox(central, NULL, &c));
    while (bo_cursor_next(c) == 0) {
        const char *t = bo_cursor_text(c, 1);
        int64_t seq = bo_cursor_int(c, 2);
        dup += !strcmp(t, prev_t) && seq <= prev_seq;
        snprintf(prev_t, sizeof prev_t, "%s", t);
        prev_seq = seq;
        inbox++;
    }
    bo_cursor_free(c);
    int64_t ct[NTOTALS];
    totals(central, ct);
    bo_book_free(central);
    int64_t total = (int64_t)k * n;
    printf("ROW sync.reconnect terminals=%d sales=%" PRId64 " wall=%.2f rate=%.0f unit=sales/s"
           " central=%s\n", k, total, wall, (double)total / wall,
           central_uri ? "postgresql" : "sqlite");
    if (ntook)
        printf("ROW sync.reconnect.terminal max=%.2f median=%.2f min=%.2f unit=s"
               " busy_reruns=%d\n", took[ntook - 1],
               ntook % 2 ? took[ntook / 2] : (took[ntook / 2 - 1] + took[ntook / 2]) / 2,
               took[0], busy);
    int same = 1;
    for (int j = 0; j < NTOTALS; j++)
        same &= ct[j] == sum[j];
    int ok = !failed && inbox == total && !dup && same && ntook == k;
    printf("CHECK sync.reconnect %s inbox=%" PRId64 " expected=%" PRId64 " failed=%d"
           " cash=%" PRId64 "/%" PRId64 " revenue=%" PRId64 "/%" PRId64 " vat=%" PRId64
           "/%" PRId64 " (central/sum of terminals)\n", ok ? "ok" : "FAILED", inbox, total,
           failed, ct[0], sum[0], ct[1], sum[1], ct[2], sum[2]);
    free(took);
    for (int t = 0; t < k; t++)
        unlink_db(tpath[t]);
    free(tpath);
    unlink_db(cpath);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    int n = 50000, direct = 5000, batch = 500, terminals = 1;
    const char *dir = "/tmp", *central_uri = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--sales")) n = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--direct")) direct = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--dir")) dir = argv[i + 1];
        else if (!strcmp(argv[i], "--central")) central_uri = argv[i + 1];
        else if (!strcmp(argv[i], "--terminals")) terminals = atoi(argv[i + 1]);
        else { fprintf(stderr, "bench_sync: unknown option %s\n", argv[i]); return 2; }
    }
    if (n < 2 || direct < 1 || batch < 1 || terminals < 1)
        return 2;
    if (terminals > 1)
        return reconnect(terminals, n, batch, dir, central_uri);
    char tpath[4096], cpath[4096], dpath[4096];
    snprintf(tpath, sizeof tpath, "%s/bench_sync_term.db", dir);
    snprintf(cpath, sizeof cpath, "%s/bench_sync_central.db", dir);
    snprintf(dpath, sizeof dpath, "%s/bench_sync_direct.db", dir);
    unlink_db(tpath);
    unlink_db(cpath);
    unlink_db(dpath);

    bo_book *term = make_book(tpath, 1);
    CK("item", bo_inventory_item_add(term, "POISON", "Terminal only", 0, BO_INVENTORY_FIFO,
                                     NULL));
    CK("setup", bo_terminal_setup(term, "T1", central_uri ? central_uri : cpath));
    double t0 = now();
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "till-%d", i);
        sell(term, key, i == n / 2 ? "POISON" : "A");
    }
    double offline = now() - t0;
    bo_book *central = make_book(central_uri ? central_uri : cpath, 0);

    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.batch = batch;
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    t0 = now();
    CK("sync", bo_sync_run(term, central, &o, &r));
    double sync_s = now() - t0;

    bo_book *plain = make_book(dpath, 1);
    t0 = now();
    for (int i = 0; i < direct; i++) {
        char key[32];
        snprintf(key, sizeof key, "direct-%d", i);
        sell(plain, key, "A");
    }
    double direct_s = now() - t0;

    bo_cursor *c;
    int64_t inbox = 0;
    CK("inbox", bo_sync_inbox(central, "T1", &c));
    while (bo_cursor_next(c) == 0)
        inbox++;
    bo_cursor_free(c);
    double ours = (double)(r.pushed + r.quarantined) / sync_s, raw = direct / direct_s;
    printf("offline: %d sales in %.1f s (%.0f sales/s on the terminal)\n", n, offline,
           n / offline);
    printf("sync: %" PRId64 " pushed, %" PRId64 " quarantined, %" PRId64 " negative, %"
           PRId64 " batches in %.1f s\n", r.pushed, r.quarantined, r.negative, r.batches,
           sync_s);
    printf("ROW sync.sales ours=%.0f plain=%.0f ratio=%.2f unit=sales/s\n", ours, raw,
           ours / raw);
    int ok = r.pushed == n - 1 && r.quarantined == 1 && inbox == n - 1;
    printf("CHECK sync.poisoned %s pushed=%" PRId64 " quarantined=%" PRId64 " inbox=%" PRId64
           "\n", ok ? "ok" : "FAILED", r.pushed, r.quarantined, inbox);
    bo_book_free(term);
    bo_book_free(central);
    bo_book_free(plain);
    unlink_db(tpath);
    unlink_db(cpath);
    unlink_db(dpath);
    return ok ? 0 : 1;
}
