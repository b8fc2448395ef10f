/*
 * The book bench_verify and bench_export measure (included by both, after
 * defining BENCH_NAME): a chart, entries of 2 to 4 postings posted 1,000 to
 * a transaction as bench_ledger makes them, and for every 1,000 entries
 * some sales through the inventory. SQLite files, synchronous off.
 */
#ifndef BENCH_BOOK_H
#define BENCH_BOOK_H

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void die(const char *what, int rc)
{
    fprintf(stderr, BENCH_NAME ": %s: %d (%s): %s\n", what, rc, bo_error_name(rc),
            bo_error_message());
    exit(3);
}

static inline uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static const char *const accounts[] = {
    "1000", "1010", "1020", "1100", "1200", "1300", "2000", "2100", "3000", "4000",
    "4010", "5000", "5100", "5200",
};
#define NACC ((int)(sizeof accounts / sizeof accounts[0]))

static inline void unlink_db(const char *p)
{
    char b[4200];
    unlink(p);
    snprintf(b, sizeof b, "%s-wal", p);
    unlink(b);
    snprintf(b, sizeof b, "%s-shm", p);
    unlink(b);
}

static inline bo_book *open_book(const char *path, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_open(&b, path, &o);
    if (rc)
        die("open", rc);
    return b;
}

static inline void chart(bo_book *b)
{
    static const struct { const char *code, *name; int type; const char *parent; } c[] = {
        { "1000", "Cash", BO_ACCOUNT_ASSET, NULL },
        { "1010", "Cash: till 1", BO_ACCOUNT_ASSET, "1000" },
        { "1020", "Cash: till 2", BO_ACCOUNT_ASSET, "1000" },
        { "1100", "Bank", BO_ACCOUNT_ASSET, NULL },
        { "1200", "Receivables", BO_ACCOUNT_ASSET, NULL },
        { "1300", "Inventory", BO_ACCOUNT_ASSET, NULL },
        { "2000", "Payables", BO_ACCOUNT_LIABILITY, NULL },
        { "2100", "Sales tax", BO_ACCOUNT_LIABILITY, NULL },
        { "3000", "Equity", BO_ACCOUNT_EQUITY, NULL },
        { "4000", "Sales", BO_ACCOUNT_INCOME, NULL },
        { "4010", "Sales: online", BO_ACCOUNT_INCOME, "4000" },
        { "5000", "Cost of goods", BO_ACCOUNT_EXPENSE, NULL },
        { "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL },
        { "5200", "Rent", BO_ACCOUNT_EXPENSE, NULL },
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int rc = bo_ledger_account_add(b, c[i].code, c[i].name, c[i].type, c[i].parent, NULL);
        if (rc)
            die("account", rc);
    }
}

/* Entry i of n: 2-4 postings, amounts up to 100,000.00, dates through 2025. */
static inline void post_entry(bo_book *b, long i, long n, bo_date jan1)
{
    uint64_t s = mix(0x5eed ^ mix((uint64_t)i));
    int k = 2 + (int)(s % 3);
    bo_entry *e = NULL;
    char key[32];
    snprintf(key, sizeof key, "e%ld", i);
    int rc = bo_entry_new(&e, jan1 + (bo_date)((int64_t)i * 365 / n), "bench");
    if (!rc)
        rc = bo_entry_set_key(e, key);
    int64_t v[4], sum = 0;
    int a[4];
    for (int j = 0; j < k - 1; j++) {
        s = mix(s);
        v[j] = 1 + (int64_t)((s >> 8) % 10000000);
        if ((s >> 40) & 1)
            v[j] = -v[j];
        a[j] = (int)(s % NACC);
        sum += v[j];
    }
    if (sum == 0) {
        v[0] += 1;
        sum = 1;
    }
    v[k - 1] = -sum;
    a[k - 1] = (int)(mix(s) % NACC);
    for (int j = 0; j < k && !rc; j++)
        rc = bo_entry_add(e, accounts[a[j]], v[j], NULL, NULL);
    if (!rc)
        rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    if (rc)
        die("post", rc);
}

static inline void sale(bo_book *b, long i, bo_date d)
{
    bo_sale *s = NULL;
    char key[32];
    snprintf(key, sizeof key, "s%ld", i);
    int rc = bo_sale_new(&s, d, "till");
    if (!rc)
        rc = bo_sale_set_key(s, key);
    if (!rc)
        rc = bo_sale_line(s, "MUG", "MAIN", 1, 1200, 0);
    if (!rc)
        rc = bo_sale_payment(s, "card", 1200);
    if (!rc)
        rc = bo_inventory_sale_post(b, s, NULL);
    bo_sale_free(s);
    if (rc)
        die("sale", rc);
}

/* Make the book of n entries at path (unless kept from an earlier run). */
static inline void build(const char *path, long n, int sales_per_1000, int keep)
{
    if (keep && access(path, F_OK) == 0)
        return;
    unlink_db(path);
    double t0 = now();
    bo_book *b = open_book(path, 1);
    chart(b);
    int rc;
    if ((rc = bo_tax_rate_add(b, &(bo_tax_rate_options){
             .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "ST", .name = "Sales tax",
             .rate_ppm = 62500, .sales_account = "2100" })) ||
        (rc = bo_tax_category_add(b, "standard", "Standard", "ST")) ||
        (rc = bo_inventory_setting_set(b, "account.inventory", "1300")) ||
        (rc = bo_inventory_setting_set(b, "account.cogs", "5000")) ||
        (rc = bo_inventory_setting_set(b, "account.grni", "2000")) ||
        (rc = bo_inventory_setting_set(b, "account.revenue", "4000")) ||
        (rc = bo_inventory_setting_set(b, "payment.card", "1100")) ||
        (rc = bo_inventory_location_add(b, "MAIN", "Main", "store", 0)) ||
        (rc = bo_inventory_item_add(b, "MUG", "Mug", 0, BO_INVENTORY_FIFO, "standard")))
        die("setup", rc);
    bo_date jan1;
    bo_date_parse("2025-01-01", &jan1);
    long nsales = n / 1000 * sales_per_1000;
    if (nsales && (rc = bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = nsales, .cost = nsales * 300, .date = jan1, .key = "stock" }, NULL)))
        die("receive", rc);
    long sold = 0;
    for (long i = 0; i < n; i += 1000) {
        if ((rc = bo_book_begin(b)))
            die("begin", rc);
        for (long j = i; j < n && j < i + 1000; j++)
            post_entry(b, j, n, jan1);
        for (int k = 0; k < sales_per_1000 && sold < nsales; k++, sold++)
            sale(b, sold, jan1 + (bo_date)(i * 365 / n));
        if ((rc = bo_book_commit(b)))
            die("commit", rc);
    }
    bo_book_free(b);
    printf("  built %ld entries and %ld sales in %.1f s\n", n, nsales, now() - t0);
}

#endif
