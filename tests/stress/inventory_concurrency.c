/*
 * Inventory concurrency: several processes, each with its own book handle,
 * sell the same few items from one store of one SQLite book at the same
 * time. Stock is short on purpose, so the last units are raced for. Every
 * sale is one call, one transaction; availability is checked inside the
 * write, so there is no oversell. A child counts refusals for lack of stock
 * (BO_ESTOCK, the expected answer when stock runs out) apart from errors
 * (anything else, which must be 0), and replays some of its keys, which
 * must answer the original ids. The parent checks: no stock below zero,
 * stock decrements = what the children recorded as sold = the sale
 * movements, valuation = inventory account, trial balance zero, audit
 * chain intact.
 *
 *   inventory_concurrency [--procs N] [--sales K] [--stock Q] [--dir DIR] [--keep]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress_util.h"

#define ITEMS 3
#define MAX_PROCS 64
static const char *const skus[ITEMS] = { "HOT1", "HOT2", "HOT3" };

typedef struct result {
    int32_t errors, sold_sales, refused, replays_bad;
    int64_t sold[ITEMS];
    double seconds;
} result;

/* Report a failed final check (a check that could not run must fail the
 * test, never read as zero). */
static int must(int rc, const char *what)
{
    if (rc)
        fprintf(stderr, "final check %s: %s\n", what, bo_error_message());
    return rc != 0;
}

static int setup(const char *path, int64_t stock)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_NORMAL;
    bo_book *b = NULL;
    int rc = bo_book_open(&b, path, &opts);
    if (rc)
        return rc;
    bo_date d;
    bo_date_parse("2025-06-01", &d);
    const char *acc[][3] = { { "1000", "Cash", "asset" }, { "1100", "Card", "asset" },
                             { "1200", "Inventory", "asset" }, { "2100", "GRNI", "liability" },
                             { "2200", "VAT", "liability" }, { "4000", "Sales", "income" },
                             { "5100", "COGS", "expense" }, { "5200", "Shrink", "expense" } };
    for (size_t i = 0; i < sizeof acc / sizeof *acc && !rc; i++)
        rc = bo_ledger_account_add(b, acc[i][0], acc[i][1], bo_account_type_parse(acc[i][2]),
                                   NULL, NULL);
    const char *set[][2] = { { "account.inventory", "1200" }, { "account.cogs", "5100" },
                             { "account.grni", "2100" }, { "account.adjustments", "5200" },
                             { "account.revenue", "4000" }, { "payment.cash", "1000" },
                             { "payment.card", "1100" } };
    for (size_t i = 0; i < sizeof set / sizeof *set && !rc; i++)
        rc = bo_inventory_setting_set(b, set[i][0], set[i][1]);
    if (!rc)
        rc = bo_tax_rate_add(b, &(bo_tax_rate_options){ .version = BO_TAX_RATE_OPTIONS_VERSION,
                .code = "VAT20", .name = "VAT", .rate_ppm = 200000,
                .sales_account = "2200" });
    if (!rc)
        rc = bo_tax_category_add(b, "standard", "Standard", "VAT20");
    if (!rc)
        rc = bo_inventory_location_add(b, "S1", "Store", "store", 0);
    for (int i = 0; i < ITEMS && !rc; i++) {
        rc = bo_inventory_item_add(b, skus[i], skus[i], 0, i == 1 ? BO_INVENTORY_AVERAGE : BO_INVENTORY_FIFO,
                             "standard");
        if (!rc)
            rc = bo_inventory_receive(b, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = skus[i],
                    .location = "S1", .qty = stock, .cost = stock * 137, .date = d,
                    .key = skus[i] }, NULL);
    }
    if (!rc)
        rc = bo_role_define(b, "cashier", "sales.post inventory.read");
    for (int p = 0; p < MAX_PROCS && !rc; p++) {
        char actor[32];
        snprintf(actor, sizeof actor, "till%d", p);
        rc = bo_role_grant(b, actor, "cashier");
    }
    if (rc)
        st_report("setup", rc);
    bo_book_free(b);
    return rc;
}

static int sell(bo_book *b, int proc, int n, int item, int64_t qty, int64_t *id)
{
    char key[48];
    bo_date d;
    bo_date_parse("2025-06-02", &d);
    snprintf(key, sizeof key, "till%d-%d", proc, n);
    bo_sale *s = NULL;
    int rc = bo_sale_new(&s, d, NULL);
    if (!rc)
        rc = bo_sale_set_key(s, key);
    if (!rc)
        rc = bo_sale_line(s, skus[item], "S1", qty, 499, 0);
    if (!rc)
        rc = bo_sale_payment(s, n % 2 ? "cash" : "card", 499 * qty);
    if (!rc)
        rc = bo_inventory_sale_post(b, s, id);
    bo_sale_free(s);
    return rc;
}

static void child(const char *path, int proc, int sales, int fd)
{
    result res;
    memset(&res, 0, sizeof res);
    char actor[32];
    snprintf(actor, sizeof actor, "till%d", proc);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = actor;
    opts.sync = BO_SYNC_NORMAL;
    bo_book *b = NULL;
    double t0 = st_now();
    if (bo_book_open(&b, path, &opts) != 0)
        _exit(32);
    st_rng r;
    st_rng_seed(&r, 1000 + (uint64_t)proc);
    int64_t last_id = 0;
    int last_n = -1, last_item = 0;
    int64_t last_qty = 0;
    for (int n = 0; n < sales; n++) {
        int item = (int)st_rng_below(&r, ITEMS);
        int64_t qty = 1 + (int64_t)st_rng_below(&r, 3), id = 0;
        int rc = sell(b, proc, n, item, qty, &id);
        if (rc == 0) {
            res.sold_sales++;
            res.sold[item] += qty;
            last_id = id;
            last_n = n;
            last_item = item;
            last_qty = qty;
        } else if (rc == BO_ESTOCK) {
            res.refused++;
        } else {
            st_report("child: sale", rc);
            res.errors++;
        }
        /* Every 25th sale: resend the last recorded one, as a till would
         * after a lost answer. */
        if (n % 25 == 24 && last_n >= 0) {
            int64_t again = 0;
            rc = sell(b, proc, last_n, last_item, last_qty, &again);
            if (rc != 0 || again != last_id) {
                if (rc)
                    st_report("child: replay", rc);
                res.replays_bad++;
            }
        }
    }
    res.seconds = st_now() - t0;
    bo_book_free(b);
    if (write(fd, &res, sizeof res) != (ssize_t)sizeof res)
        _exit(33);
    _exit(0);
}

int main(int argc, char **argv)
{
    int procs = 8, sales = 300, keep = 0;
    int64_t stock = 0;
    const char *dir = st_tmpdir();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--procs") && i + 1 < argc)
            procs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--sales") && i + 1 < argc)
            sales = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--stock") && i + 1 < argc)
            stock = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else {
            fprintf(stderr, "usage: %s [--procs N] [--sales K] [--stock Q] [--dir DIR] "
                    "[--keep]\n", argv[0]);
            return 2;
        }
    }
    if (procs < 1 || procs > MAX_PROCS || sales < 1)
        return 2;
    /* By default about 85% of what the tills will try to sell: the last
     * units are raced for and some sales are refused. */
    if (stock <= 0)
        stock = (int64_t)procs * sales * 2 / ITEMS * 85 / 100;
    char path[4096];
    snprintf(path, sizeof path, "%s/inventory_concurrency_%d.db", dir, (int)getpid());
    st_unlink_db(path);
    if (setup(path, stock))
        return 1;
    int fds[MAX_PROCS];
    pid_t pids[MAX_PROCS];
    for (int p = 0; p < procs; p++) {
        int pipefd[2];
        if (pipe(pipefd))
            return 1;
        pids[p] = fork();
        if (pids[p] == 0) {
            close(pipefd[0]);
            child(path, p, sales, pipefd[1]);
        }
        close(pipefd[1]);
        fds[p] = pipefd[0];
    }
    result total;
    memset(&total, 0, sizeof total);
    int failed = 0;
    double slowest = 0;
    for (int p = 0; p < procs; p++) {
        result r;
        int status;
        ssize_t got = read(fds[p], &r, sizeof r);
        close(fds[p]);
        waitpid(pids[p], &status, 0);
        if (got != (ssize_t)sizeof r || !WIFEXITED(status) || WEXITSTATUS(status)) {
            fprintf(stderr, "child %d failed (status %d)\n", p, status);
            failed = 1;
            continue;
        }
        total.errors += r.errors;
        total.sold_sales += r.sold_sales;
        total.refused += r.refused;
        total.replays_bad += r.replays_bad;
        for (int i = 0; i < ITEMS; i++)
            total.sold[i] += r.sold[i];
        if (r.seconds > slowest)
            slowest = r.seconds;
    }
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    bo_book *b = NULL;
    if (bo_book_open(&b, path, &opts))
        return 1;
    bo_date from, to;
    bo_date_parse("2000-01-01", &from);
    bo_date_parse("2999-12-31", &to);
    for (int i = 0; i < ITEMS; i++) {
        int64_t on_hand = -1, moved = 0;
        bo_cursor *c = NULL;
        failed |= must(bo_inventory_stock(b, skus[i], "S1", &on_hand), "stock");
        failed |= must(bo_inventory_history(b, skus[i], "S1", from, to, &c), "history");
        int rc;
        while ((rc = bo_cursor_next(c)) == 0)
            if (!strcmp(bo_cursor_text(c, 2), "sale"))
                moved -= bo_cursor_int(c, 5);
        failed |= must(rc == BO_ITEROVER ? 0 : rc, "history rows");
        bo_cursor_free(c);
        printf("%s: stock %" PRId64 " -> %" PRId64 ", sold by tills %" PRId64
               ", sale movements %" PRId64 "\n", skus[i], stock, on_hand, total.sold[i], moved);
        if (on_hand < 0 || stock - on_hand != total.sold[i] || moved != total.sold[i])
            failed = 1;
    }
    int64_t valuation = 0, inv = 0, diff = 0, bad = -1;
    int rows = 0, rc;
    bo_cursor *c = NULL;
    failed |= must(bo_inventory_valuation(b, &c), "valuation");
    while ((rc = bo_cursor_next(c)) == 0)
        valuation += bo_cursor_int(c, 4);
    failed |= must(rc == BO_ITEROVER ? 0 : rc, "valuation rows");
    bo_cursor_free(c);
    c = NULL;
    failed |= must(bo_ledger_balance(b, "1200", to, NULL, &inv), "inventory balance");
    int64_t cogs = -1, units = 0;
    failed |= must(bo_ledger_balance(b, "5100", to, NULL, &cogs), "COGS balance");
    for (int i = 0; i < ITEMS; i++)
        units += total.sold[i];
    failed |= must(bo_ledger_trial_balance(b, to, &c), "trial balance");
    while ((rc = bo_cursor_next(c)) == 0) {
        diff += bo_cursor_int(c, 4) - bo_cursor_int(c, 5);
        rows++;
    }
    failed |= must(rc == BO_ITEROVER ? 0 : rc, "trial balance rows");
    bo_cursor_free(c);
    int audit = bo_audit_verify_full(b, NULL, &bad); /* sales, stock, holds too */
    bo_book_free(b);
    printf("%d tills x %d sales: %d recorded, %d refused (no stock), %d errors, "
           "%d bad replays, %.2f s\n", procs, sales, total.sold_sales, total.refused,
           total.errors, total.replays_bad, slowest);
    printf("valuation %" PRId64 ", inventory account %" PRId64 ", trial balance "
           "difference %" PRId64 ", audit %s\n", valuation, inv, diff, audit ? "BROKEN" : "ok");
    /* The work happened: sales were recorded, every unit sold was costed
     * at its receipt cost (137) into COGS, the trial balance has rows, and
     * the race for the last units was run (some refused). */
    printf("cost of goods sold %" PRId64 " for %" PRId64 " units\n", cogs, units);
    if (total.errors || total.replays_bad || valuation != inv || diff || audit ||
        !total.refused || total.sold_sales <= 0 || units <= 0 || cogs != 137 * units ||
        rows < 3)
        failed = 1;
    if (!keep)
        st_unlink_db(path);
    printf("%s\n", failed ? "FAILED" : "ok");
    return failed;
}
