/*
 * Billing benchmark (prints figures; not a test): documents saved and
 * posted per second (two lines, taxed), in transactions of --batch
 * documents and with one commit each; then the receivables aging over
 * --open open items spread over --parties customers, as the median of
 * --repeat runs, and the same aging as of a past date.
 *
 *   bench_billing [--open 100000] [--commits 2000] [--batch 1000]
 *                 [--parties 1000] [--repeat 5] [--dir DIR]
 */
#define _DEFAULT_SOURCE
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

#define CHECK(call) do { \
    int rc_ = (call); \
    if (rc_ < 0) { \
        fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, bo_error_message()); \
        exit(1); \
    } \
} while (0)

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static bo_book *open_book(const char *path, int sync)
{
    bo_book_options o;
    bo_book *b;
    CHECK(bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION));
    o.create = 1;
    o.actor = "bench";
    o.base_currency = "USD";
    o.sync = sync;
    unlink(path);
    char uri[4200];
    snprintf(uri, sizeof uri, "sqlite:%s", path);
    CHECK(bo_book_open(&b, uri, &o));
    CHECK(bo_ledger_account_add(b, "1100", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    CHECK(bo_ledger_account_add(b, "1200", "Receivables", BO_ACCOUNT_ASSET, NULL, NULL));
    CHECK(bo_ledger_account_add(b, "2100", "Tax payable", BO_ACCOUNT_LIABILITY, NULL, NULL));
    CHECK(bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    CHECK(bo_ledger_account_add(b, "4100", "Services", BO_ACCOUNT_INCOME, NULL, NULL));
    CHECK(bo_tax_rate_add(b, &(bo_tax_rate_options){ .version = BO_TAX_RATE_OPTIONS_VERSION,
            .code = "VAT20", .name = "VAT", .rate_ppm = 200000,
            .sales_account = "2100" }));
    CHECK(bo_tax_category_add(b, "standard", "Standard", "VAT20"));
    CHECK(bo_billing_setting_set(b, "receivable_account", "1200"));
    return b;
}

static void add_parties(bo_book *b, int n)
{
    CHECK(bo_book_begin(b));
    for (int i = 0; i < n; i++) {
        char code[32];
        snprintf(code, sizeof code, "C%05d", i);
        CHECK(bo_party_add(b, code, "Customer", BO_PARTY_CUSTOMER, NULL));
        CHECK(bo_party_update(b, code, &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = i % 2 ? 30 : 14,
            .roles = BO_UNCHANGED, .active = BO_UNCHANGED }));
    }
    CHECK(bo_book_commit(b));
}

/* Save and post document i (two lines, 20 % tax), dated over 200 days. */
static void one_invoice(bo_book *b, long i, int parties, bo_date base)
{
    bo_invoice *v;
    char code[32];
    int64_t id;
    bo_date d = base + (bo_date)(i % 200);
    snprintf(code, sizeof code, "C%05d", (int)(i % parties));
    CHECK(bo_invoice_new(&v, BO_INVOICE_SALES, code, d, NULL));
    CHECK(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "goods", .quantity = 2000 + (i % 7) * 1000,
            .unit_price = 1999 + i % 100, .tax_category = "standard" }));
    CHECK(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4100",
            .description = "service", .quantity = 1000, .unit_price = 5000,
            .discount_ppm = 50000, .tax_category = "standard" }));
    CHECK(bo_billing_invoice_save(b, v, &id));
    bo_invoice_free(v);
    CHECK(bo_billing_invoice_post(b, id, d, NULL));
}

int main(int argc, char **argv)
{
    long open = 100000, commits = 2000, batch = 1000;
    int parties = 1000, repeat = 5;
    const char *dir = "/tmp";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--open"))
            open = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--commits"))
            commits = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch"))
            batch = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--parties"))
            parties = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--repeat"))
            repeat = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--dir"))
            dir = argv[i + 1];
        else {
            fprintf(stderr, "bench_billing: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (repeat < 1 || repeat > 50 || batch < 1 || parties < 1)
        return 2;
    bo_date base;
    CHECK(bo_date_from_ymd(2026, 1, 1, &base));
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_billing_%ld.db", dir, (long)getpid());

    /* One commit per document, synchronous=NORMAL (a terminal posting). */
    bo_book *b = open_book(path, BO_SYNC_NORMAL);
    add_parties(b, parties);
    double t0 = now();
    for (long i = 0; i < commits; i++)
        one_invoice(b, i, parties, base);
    double t1 = now();
    printf("invoices posted, one commit each (sync NORMAL): %ld in %.2f s = %.0f/s\n",
           commits, t1 - t0, (double)commits / (t1 - t0));
    bo_book_free(b);

    /* Batches (sync FULL, the default), building the open items. */
    b = open_book(path, BO_SYNC_FULL);
    add_parties(b, parties);
    t0 = now();
    for (long i = 0; i < open; i++) {
        if (i % batch == 0)
            CHECK(bo_book_begin(b));
        one_invoice(b, i, parties, base);
        if (i % batch == batch - 1 || i == open - 1)
            CHECK(bo_book_commit(b));
    }
    t1 = now();
    printf("invoices posted, %ld a transaction (sync FULL): %ld in %.2f s = %.0f/s\n",
           batch, open, t1 - t0, (double)open / (t1 - t0));

    bo_date as_of[2] = { base + 230, base + 100 };
    const char *label[2] = { "today (all open)", "a past date (half the items)" };
    for (int k = 0; k < 2; k++) {
        double times[50];
        int64_t total = 0, rows = 0;
        for (int r = 0; r < repeat; r++) {
            bo_cursor *c;
            total = rows = 0;
            double s = now();
            CHECK(bo_billing_aging(b, BO_BILLING_RECEIVABLE, as_of[k], &c));
            while (bo_cursor_next(c) == 0) {
                total += bo_cursor_int(c, 7);
                rows++;
            }
            bo_cursor_free(c);
            times[r] = now() - s;
        }
        qsort(times, (size_t)repeat, sizeof times[0], cmp_double);
        printf("aging as of %s over %ld open items: %" "lld" " parties, median %.3f s "
               "(min %.3f, max %.3f), total %lld\n", label[k], open, (long long)rows,
               times[repeat / 2], times[0], times[repeat - 1], (long long)total);
    }
    bo_book_free(b);
    unlink(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return 0;
}
