/* A seeded random stream of billing work (300 operations by default,
 * BO_BILL_RANDOM_OPS to change, BO_BILL_RANDOM_SEED for another stream):
 * invoices, bills and credit notes in dollars and euros, payments with
 * write-offs and payments on account, refunds, credit applied later,
 * reversals, till sales and returns, exchange rates, month-end
 * revaluations and month closes. Operations are dated up to a few days
 * back, some further (into closed months) or outside every period, which
 * must be refused. At every checkpoint:
 *   - aging as of every date recorded earlier is unchanged (no later
 *     operation may be dated on or before it);
 *   - per side and currency, the aging buckets equal a model of the open
 *     items less unapplied credit kept by this test from what it recorded,
 *     and their total equals the balance of the party accounts as of that
 *     date;
 *   - each month's tax report adds up to the movement of the tax accounts
 *     in that month, and a closed month's report never changes. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
}

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static const char *iso(bo_date d)
{
    static char buf[4][11];
    static int k;
    k = (k + 1) % 4;
    bo_assert_ok(bo_date_format(d, buf[k], sizeof buf[k]));
    return buf[k];
}

static int64_t balance_in(const char *account, bo_date d, const char *cur)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, d, cur, &v));
    return v;
}

/* ---- the parties, and what this test recorded ----------------------------- */

enum { RECV = BO_BILLING_RECEIVABLE, PAYB = BO_BILLING_PAYABLE };

static const struct {
    const char *code, *cur, *account;
    int side;
} parties[] = {
    { "C1", "USD", "1200", RECV }, { "C3", "USD", "1200", RECV },
    { "C2", "EUR", "1210", RECV }, { "V1", "USD", "2000", PAYB },
    { "V2", "EUR", "2010", PAYB },
};
#define NPARTIES 5

/* Documents and payments as recorded, with the book-currency values this
 * test computes by the rules docs/billing.md states (independently of the
 * library): a document carries its book-currency total; settling part of
 * it takes its pro-rata share (half-even), settling the rest takes what is
 * left; a payment's unapplied credit is worth its amount at the payment's
 * rate, and credit applied later is valued cumulatively. */
typedef struct doc {
    int64_t id, total;
    int kind, party;
    bo_date post, due, rev; /* rev 0: not reversed */
    int64_t open, open_base; /* now, in insertion order */
} doc;

typedef struct pay {
    int64_t id, amount;
    int kind, party;
    bo_date date;
    int64_t rate;            /* x 10^-4 */
    int64_t unapplied0;      /* left as credit when posted */
    int64_t applied_later;   /* credit applied since */
} pay;

/* What settles a document, or uses a payment's money, from a date. */
typedef struct alloc {
    int doc, pay; /* indexes, -1 for none */
    bo_date date;
    int64_t amount; /* on the document: amount + write-off */
    int64_t used;   /* of the payment */
} alloc;

#define MAXN 20000
static doc *docs;
static pay *pays;
static alloc *allocs;
static int ndocs, npays, nallocs;
static int64_t *sales;
static int nsales;

static void add_alloc(int d, int p, bo_date date, int64_t amount, int64_t used)
{
    ck_assert_int_lt(nallocs, MAXN);
    allocs[nallocs++] = (alloc){ d, p, date, amount, used };
}

/* Open on document i now (everything recorded), by the model. */
static int64_t doc_open_now(int i)
{
    if (docs[i].rev)
        return 0;
    int64_t open = docs[i].total;
    for (int k = 0; k < nallocs; k++)
        if (allocs[k].doc == i)
            open -= allocs[k].amount;
    return open;
}

static int64_t pay_unapplied_now(int i)
{
    int64_t left = pays[i].amount;
    for (int k = 0; k < nallocs; k++)
        if (allocs[k].pay == i)
            left -= allocs[k].used;
    return left;
}

/* a x b / c (c > 0) rounded half to even, by hand. */
static int64_t muldiv_even(int64_t a, int64_t b, int64_t c)
{
    int64_t p = a * b, q = p / c, r = p % c;
    int64_t twice = 2 * (r < 0 ? -r : r);
    if (twice > c || (twice == c && (q & 1)))
        q += p < 0 ? -1 : 1;
    return q;
}

/* The euro rates, one a week from 2025-12-01, x 10^-4. */
static int64_t eur_rates[64];

static int64_t rate_on(bo_date d)
{
    int k = (int)((d - D("2025-12-01")) / 7);
    ck_assert(k >= 0 && k < 64);
    return eur_rates[k];
}

static int64_t to_usd(int64_t eur, int64_t rate)
{
    return muldiv_even(eur, rate, 10000);
}

/* Take settle off document i's carried value; returns that share. */
static int64_t carry(int i, int64_t settle)
{
    doc *d = &docs[i];
    int64_t base = settle == d->open ? d->open_base
                                     : muldiv_even(settle, d->open_base, d->open);
    d->open -= settle;
    d->open_base -= base;
    return base;
}

static int main_kind(int party)
{
    return parties[party].side == RECV ? BO_INVOICE_SALES : BO_INVOICE_PURCHASE;
}

/* ---- the book ------------------------------------------------------------ */

static void setup(void)
{
    book = bo_test_book("billing_random");
    bo_test_chart(book);
    struct { const char *code, *name; int type; const char *cur; } acc[] = {
        { "1110", "Bank EUR", BO_ACCOUNT_ASSET, "EUR" },
        { "1200", "Receivables", BO_ACCOUNT_ASSET, NULL },
        { "1210", "Receivables EUR", BO_ACCOUNT_ASSET, "EUR" },
        { "1290", "FX revaluation", BO_ACCOUNT_ASSET, NULL },
        { "1300", "Input VAT", BO_ACCOUNT_ASSET, NULL },
        { "1310", "Input levy", BO_ACCOUNT_ASSET, NULL },
        { "1400", "Inventory", BO_ACCOUNT_ASSET, NULL },
        { "2010", "Payables EUR", BO_ACCOUNT_LIABILITY, "EUR" },
        { "2100", "VAT payable", BO_ACCOUNT_LIABILITY, NULL },
        { "2110", "Levy payable", BO_ACCOUNT_LIABILITY, NULL },
        { "2300", "GRNI", BO_ACCOUNT_LIABILITY, NULL },
        { "5300", "COGS", BO_ACCOUNT_EXPENSE, NULL },
        { "6900", "Write-offs", BO_ACCOUNT_EXPENSE, NULL },
        { "7000", "FX gains", BO_ACCOUNT_INCOME, NULL },
        { "7100", "FX losses", BO_ACCOUNT_EXPENSE, NULL },
        { "7200", "Unrealized FX", BO_ACCOUNT_INCOME, NULL },
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        bo_assert_ok(bo_ledger_account_add(book, acc[i].code, acc[i].name, acc[i].type,
                                           NULL, acc[i].cur));
    /* Two rates share each VAT account; a compound levy has its own. */
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20 %", .rate_ppm = 200000, .sales_account = "2100",
            .purchase_account = "1300" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT5",
            .name = "VAT 5 %", .rate_ppm = 50000, .sales_account = "2100",
            .purchase_account = "1300" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "LEVY7",
            .name = "Levy 7 %", .rate_ppm = 70000, .sales_account = "2110",
            .purchase_account = "1310", .flags = BO_TAX_COMPOUND }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_tax_category_add(book, "reduced", "Reduced", "VAT5"));
    bo_assert_ok(bo_tax_category_add(book, "two", "VAT and levy", "VAT20 LEVY7"));
    bo_assert_ok(bo_tax_category_add(book, "zero", "Zero-rated", "VAT5 LEVY7"));
    bo_assert_ok(bo_party_add(book, "C1", "One", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_add(book, "C3", "Three", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_update(book, "C3", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = 10, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_add(book, "C2", "Zwei", BO_PARTY_CUSTOMER, "EUR"));
    bo_assert_ok(bo_party_update(book, "C2", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .receivable_account = "1210",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_add(book, "V1", "Vendor", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_party_add(book, "V2", "Lieferant", BO_PARTY_VENDOR, "EUR"));
    bo_assert_ok(bo_party_update(book, "V2", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .payable_account = "2010",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_update(book, "V2", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = 45, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }));
    const char *set[][2] = {
        { "receivable_account", "1200" }, { "payable_account", "2000" },
        { "write_off_account", "6900" }, { "write_off_limit", "1.00" },
        { "fx_gain_account", "7000" }, { "fx_loss_account", "7100" },
        { "fx_unrealized_account", "7200" }, { "fx_revaluation_account", "1290" },
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        bo_assert_ok(bo_billing_setting_set(book, set[i][0], set[i][1]));
    const char *inv[][2] = {
        { "account.inventory", "1400" }, { "account.cogs", "5300" },
        { "account.grni", "2300" }, { "account.revenue", "4000" },
        { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, inv[i][0], inv[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 1));
    const char *items[][2] = { { "A", "standard" }, { "B", "two" }, { "C", "reduced" },
                               { "Z", "zero" } };
    for (int i = 0; i < 4; i++)
        bo_assert_ok(bo_inventory_item_add(book, items[i][0], items[i][0], 0, BO_INVENTORY_FIFO,
                                     items[i][1]));
    /* A fiscal period per month of 2026; the stream stays inside it. */
    for (int m = 1; m <= 12; m++) {
        bo_date s, e;
        char name[16];
        bo_assert_ok(bo_date_from_ymd(2026, m, 1, &s));
        bo_assert_ok(bo_date_add_months(s, 1, &e));
        snprintf(name, sizeof name, "2026-%02d", m);
        bo_assert_ok(bo_ledger_period_add(book, name, s, e - 1));
    }
    docs = calloc(MAXN, sizeof *docs);
    pays = calloc(MAXN, sizeof *pays);
    allocs = calloc(MAXN, sizeof *allocs);
    sales = calloc(MAXN, sizeof *sales);
    ck_assert(docs && pays && allocs && sales);
    ndocs = npays = nallocs = nsales = 0;
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(docs);
    free(pays);
    free(allocs);
    free(sales);
}

/* What the stream did, to show it reached the cases it is for. */
static struct {
    int credit_after_reversal, foreign_pieces, dates_checked;
} events;

/* A refusal the stream may meet; anything else fails the test. */
static int refused[64];
static int allowed(int rc, const int *codes)
{
    if (rc == 0)
        return 0;
    for (; *codes; codes++)
        if (rc == *codes) {
            refused[-rc & 63]++;
            return rc;
        }
    ck_abort_msg("rc %d (%s): %s", rc, bo_error_name(rc), bo_error_message());
    return rc;
}

/* ---- operations ------------------------------------------------------------ */

static int64_t doc_field(int64_t id, int col)
{
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    int64_t v = bo_cursor_int(c, col);
    bo_cursor_free(c);
    return v;
}

static bo_date doc_due(int64_t id)
{
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    bo_date d = D(bo_cursor_text(c, 8));
    bo_cursor_free(c);
    return d;
}

static int64_t api_open(int64_t id)
{
    int64_t open;
    bo_assert_ok(bo_billing_invoice_open(book, id, D("9999-12-31"), &open));
    return open;
}

/* A document or payment index, half the time among the latest few (so
 * allocations often race their documents' dates). */
static int pick(int n)
{
    if (n > 12 && rnd(2))
        return n - 1 - (int)rnd(12);
    return (int)rnd((uint64_t)n);
}

static int64_t save_doc(int kind, int party, bo_date date, int64_t credits, int64_t cap)
{
    static const char *const cats[] = { "standard", "reduced", "two", "zero", NULL };
    int sales_side = kind == BO_INVOICE_SALES || kind == BO_INVOICE_SALES_CREDIT;
    bo_invoice *v;
    int64_t id;
    bo_assert_ok(bo_invoice_new(&v, kind, parties[party].code, date, NULL));
    if (rnd(3) == 0)
        bo_assert_ok(bo_invoice_set_inclusive(v, 1));
    if (credits)
        bo_assert_ok(bo_invoice_set_credits(v, credits));
    int lines = 1 + (int)rnd(3);
    for (int k = 0; k < lines; k++) {
        int64_t qty = 1000 * (1 + (int64_t)rnd(4)), price = 1 + (int64_t)rnd(cap);
        int64_t disc = rnd(4) == 0 ? (int64_t)rnd(150000) : 0;
        bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
                .version = BO_INVOICE_LINE_OPTIONS_VERSION,
                .account = sales_side ? "4000" : "5000", .quantity = qty,
                .unit_price = price, .discount_ppm = disc,
                .tax_category = cats[rnd(5)] }));
    }
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    return id;
}

static const int OK_PERIOD[] = { BO_EPERIOD, 0 };
static const int OK_DATED[] = { BO_EPERIOD, BO_EDATE, 0 };

static void op_document(int party, bo_date date)
{
    int kind = main_kind(party);
    int64_t id = save_doc(kind, party, date, 0, 20000);
    int rc = allowed(bo_billing_invoice_post(book, id, date, NULL), OK_PERIOD);
    if (rc)
        return;
    ck_assert_int_lt(ndocs, MAXN);
    int64_t total = doc_field(id, 12), base = doc_field(id, 13);
    /* Converted per account (revenue, each tax account), so within a few
     * cents' rounding of the total converted at once. */
    if (!strcmp(parties[party].cur, "EUR"))
        ck_assert_int_le(llabs(base - to_usd(total, rate_on(date))), 2);
    docs[ndocs++] = (doc){ id, total, kind, party, date, doc_due(id), 0, total, base };
}

/* A credit note, in dollars naming an earlier document of the party (which
 * it settles as far as open), sometimes after that document was reversed. */
static void op_credit_note(int party, bo_date date)
{
    int kind = parties[party].side == RECV ? BO_INVOICE_SALES_CREDIT
                                           : BO_INVOICE_PURCHASE_CREDIT;
    int target = -1;
    for (int tries = 0; tries < 12 && target < 0 && ndocs &&
                        !strcmp(parties[party].cur, "USD"); tries++) {
        int i = pick(ndocs);
        if (docs[i].party == party && docs[i].kind == main_kind(party) && !docs[i].rev)
            target = i;
    }
    int64_t id = save_doc(kind, party, date, target >= 0 ? docs[target].id : 0, 6000);
    if (target >= 0 && rnd(3) == 0) {
        bo_date when = date - (bo_date)rnd(3);
        int rc = allowed(bo_billing_invoice_reverse(book, docs[target].id, when, NULL),
                         (const int[]){ BO_EPERIOD, BO_EDATE, BO_ESTATE, 0 });
        if (!rc) {
            docs[target].rev = when;
            events.credit_after_reversal++;
        }
    }
    int64_t before = target >= 0 ? api_open(docs[target].id) : 0;
    int rc = allowed(bo_billing_invoice_post(book, id, date, NULL), OK_DATED);
    if (rc)
        return;
    ck_assert_int_lt(ndocs, MAXN);
    int self = ndocs;
    int64_t total = doc_field(id, 12);
    docs[ndocs++] = (doc){ id, total, kind, party, date, doc_due(id), 0, total,
                           doc_field(id, 13) };
    if (target >= 0) {
        int64_t settled = before - api_open(docs[target].id);
        ck_assert_int_ge(settled, 0);
        if (settled) {
            add_alloc(target, -1, date, settled, 0);
            add_alloc(self, -1, date, settled, 0);
            docs[target].open -= settled; /* book currency: worth itself */
            docs[target].open_base -= settled;
            docs[self].open -= settled;
            docs[self].open_base -= settled;
        }
    }
}

static void op_payment(int party, bo_date date, int op)
{
    const char *cur = parties[party].cur;
    int recv = parties[party].side == RECV;
    int refund = rnd(5) == 0;
    int want = refund ? (recv ? BO_INVOICE_SALES_CREDIT : BO_INVOICE_PURCHASE_CREDIT)
                      : main_kind(party);
    int kind = (recv != refund) ? BO_PAYMENT_RECEIVED : BO_PAYMENT_MADE;
    struct pick { int doc; int64_t amount, wo; } a[2];
    int na = 0;
    int64_t sum = 0;
    for (int tries = 0; tries < 12 && na < 2 && ndocs; tries++) {
        int i = pick(ndocs);
        int64_t open = doc_open_now(i);
        if (docs[i].party != party || docs[i].kind != want || open <= 0 ||
            (na && a[0].doc == i))
            continue;
        int64_t amt = rnd(2) ? open : 1 + (int64_t)rnd((uint64_t)open);
        int64_t wo = !refund && amt < open && rnd(3) == 0
                         ? 1 + (int64_t)rnd((uint64_t)(open - amt < 50 ? open - amt : 50)) : 0;
        if (amt == open && wo == 0 && rnd(4) == 0 && amt > 1) {
            wo = 1;
            amt--;
        }
        a[na++] = (struct pick){ i, amt, wo };
        sum += amt;
    }
    if (refund && !na)
        return; /* a refund pays back credit notes only */
    int64_t extra = refund ? 0 : !na || rnd(3) == 0 ? 1 + (int64_t)rnd(8000) : 0;
    bo_payment *p;
    char key[32];
    snprintf(key, sizeof key, "pay-%d", op);
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = kind,
            .party = parties[party].code, .date = date, .amount = sum + extra,
            .currency = cur, .account = strcmp(cur, "EUR") ? "1100" : "1110" }));
    bo_assert_ok(bo_payment_set_key(p, key));
    for (int k = 0; k < na; k++)
        bo_assert_ok(bo_payment_allocate(p, docs[a[k].doc].id, a[k].amount, a[k].wo));
    int64_t id;
    int rc = allowed(bo_billing_payment_post(book, p, &id), OK_DATED);
    bo_payment_free(p);
    if (rc)
        return;
    ck_assert_int_lt(npays, MAXN);
    int self = npays;
    pays[npays++] = (pay){ id, sum + extra, kind, party, date,
                           strcmp(cur, "EUR") ? 10000 : rate_on(date), extra, 0 };
    for (int k = 0; k < na; k++) {
        add_alloc(a[k].doc, self, date, a[k].amount + a[k].wo, a[k].amount);
        carry(a[k].doc, a[k].amount + a[k].wo);
    }
}

static void op_apply(bo_date date)
{
    if (!npays || !ndocs)
        return;
    int p = -1;
    int64_t left = 0;
    for (int tries = 0; tries < 12 && left <= 0; tries++) {
        p = pick(npays);
        left = pay_unapplied_now(p);
    }
    if (left <= 0)
        return;
    int party = pays[p].party;
    for (int tries = 0; tries < 12; tries++) {
        int i = pick(ndocs);
        int64_t open = doc_open_now(i);
        if (docs[i].party != party || docs[i].kind != main_kind(party) || open <= 0)
            continue;
        int64_t max = open < left ? open : left;
        int64_t amt = rnd(3) == 0 ? max : 1 + (int64_t)rnd((uint64_t)max);
        int rc = allowed(bo_billing_credit_apply(book, pays[p].id, docs[i].id, amt, date),
                         OK_DATED);
        if (!rc) {
            add_alloc(i, p, date, amt, amt);
            carry(i, amt);
            events.foreign_pieces += pays[p].applied_later && pays[p].rate != 10000;
            pays[p].applied_later += amt;
        }
        return;
    }
}

static void op_reverse(bo_date date)
{
    if (!ndocs)
        return;
    int i = pick(ndocs);
    if (docs[i].rev)
        return;
    int rc = allowed(bo_billing_invoice_reverse(book, docs[i].id, date, NULL),
                     (const int[]){ BO_EPERIOD, BO_EDATE, BO_ESTATE, 0 });
    if (!rc)
        docs[i].rev = date;
}

static void op_sale(bo_date date, int op)
{
    static const char *const skus[] = { "A", "B", "C", "Z" };
    bo_sale *s;
    char key[32];
    snprintf(key, sizeof key, "sale-%d", op);
    bo_assert_ok(bo_sale_new(&s, date, NULL));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_set_inclusive(s, (int)rnd(2)));
    int lines = 1 + (int)rnd(2);
    for (int k = 0; k < lines; k++)
        bo_assert_ok(bo_sale_line(s, skus[rnd(4)], "S1", 1 + (int64_t)rnd(3),
                                  1 + (int64_t)rnd(5000), 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 3 * 5000 * 2 * 2));
    int64_t id;
    int rc = allowed(bo_inventory_sale_post(book, s, &id), OK_PERIOD);
    bo_sale_free(s);
    if (!rc)
        sales[nsales++] = id;
}

static void op_return(bo_date date, int op)
{
    if (!nsales)
        return;
    char key[32];
    snprintf(key, sizeof key, "ret-%d", op);
    allowed(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION,
            .sale_id = sales[rnd((uint64_t)nsales)], .line = 1, .qty = 1,
            .date = date, .method = "cash", .key = key }, NULL),
            (const int[]){ BO_EPERIOD, BO_EINVAL, 0 });
}

/* ---- checks ---------------------------------------------------------------- */

/* The library's aging as text (one line per party and currency), and its
 * figures summed per currency: [currency][bucket 0..5]. */
static void aging_text(int side, bo_date as_of, char *out, size_t size, int64_t sums[2][6])
{
    bo_cursor *c;
    size_t len = 0;
    out[0] = '\0';
    memset(sums, 0, 2 * 6 * sizeof sums[0][0]);
    bo_assert_ok(bo_billing_aging(book, side, as_of, &c));
    while (bo_cursor_next(c) == 0) {
        int cur = !strcmp(bo_cursor_text(c, 1), "EUR");
        len += (size_t)snprintf(out + len, size - len, "%s %s", bo_cursor_text(c, 0),
                                bo_cursor_text(c, 1));
        for (int i = 0; i < 6; i++) {
            int64_t v = bo_cursor_int(c, i + 2);
            sums[cur][i] += v;
            len += (size_t)snprintf(out + len, size - len, " %lld", (long long)v);
        }
        len += (size_t)snprintf(out + len, size - len, ";");
        ck_assert_uint_lt(len, size);
    }
    bo_cursor_free(c);
}

static int bucket(bo_date due, bo_date as_of)
{
    int64_t late = as_of - due;
    return late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4;
}

/* The model's aging: [currency][bucket 0..4, total]. */
static void model_aging(int side, bo_date as_of, int64_t out[2][6])
{
    memset(out, 0, 2 * 6 * sizeof out[0][0]);
    static int64_t doc_settled[MAXN], pay_used[MAXN];
    memset(doc_settled, 0, sizeof doc_settled);
    memset(pay_used, 0, sizeof pay_used);
    for (int k = 0; k < nallocs; k++)
        if (allocs[k].date <= as_of) {
            if (allocs[k].doc >= 0)
                doc_settled[allocs[k].doc] += allocs[k].amount;
            if (allocs[k].pay >= 0)
                pay_used[allocs[k].pay] += allocs[k].used;
        }
    for (int i = 0; i < ndocs; i++) {
        const doc *d = &docs[i];
        if (parties[d->party].side != side || d->post > as_of || (d->rev && d->rev <= as_of))
            continue;
        int64_t open = d->total - doc_settled[i];
        if (d->kind != main_kind(d->party))
            open = -open;
        int cur = !strcmp(parties[d->party].cur, "EUR");
        out[cur][bucket(d->due, as_of)] += open;
        out[cur][5] += open;
    }
    for (int i = 0; i < npays; i++) {
        const pay *p = &pays[i];
        if (p->kind != side || p->date > as_of)
            continue; /* refunds are allocated in full on their date */
        int cur = !strcmp(parties[p->party].cur, "EUR");
        out[cur][0] -= p->amount - pay_used[i];
        out[cur][5] -= p->amount - pay_used[i];
    }
}

static void check_aging(bo_date as_of, char texts[2][4096])
{
    static const char *const acct[2][2] = { { "1200", "1210" }, { "2000", "2010" } };
    static const char *const cur[2] = { "USD", "EUR" };
    for (int side = RECV; side <= PAYB; side++) {
        int64_t got[2][6], want[2][6];
        aging_text(side, as_of, texts[side - 1], sizeof texts[0], got);
        model_aging(side, as_of, want);
        for (int c = 0; c < 2; c++) {
            int64_t bal = balance_in(acct[side - 1][c], as_of, cur[c]);
            if (side == PAYB)
                bal = -bal;
            int64_t total = 0;
            for (int i = 0; i < 5; i++)
                total += got[c][i];
            ck_assert_msg(!memcmp(got[c], want[c], sizeof got[c]),
                          "%s side %d %s: aging %lld %lld %lld %lld %lld = %lld, model "
                          "%lld %lld %lld %lld %lld = %lld", iso(as_of), side, cur[c],
                          (long long)got[c][0], (long long)got[c][1], (long long)got[c][2],
                          (long long)got[c][3], (long long)got[c][4], (long long)got[c][5],
                          (long long)want[c][0], (long long)want[c][1], (long long)want[c][2],
                          (long long)want[c][3], (long long)want[c][4], (long long)want[c][5]);
            ck_assert_int_eq(total, got[c][5]);
            ck_assert_msg(got[c][5] == bal, "%s side %d %s: aging %lld, balance of %s %lld",
                          iso(as_of), side, cur[c], (long long)got[c][5],
                          acct[side - 1][c], (long long)bal);
        }
    }
}

/* The book-currency value of an account now: its postings' base amounts. */
static int64_t book_value(const char *account)
{
    bo_cursor *j, *e;
    int64_t v = 0, last = -1;
    bo_assert_ok(bo_ledger_journal(book, account, D("2000-01-01"), D("9999-12-31"), &j));
    while (bo_cursor_next(j) == 0) {
        int64_t id = bo_cursor_int(j, 0);
        if (id == last)
            continue; /* the listing keeps an entry's postings together */
        last = id;
        bo_assert_ok(bo_ledger_entry(book, id, &e));
        while (bo_cursor_next(e) == 0)
            if (!strcmp(bo_cursor_text(e, 6), account))
                v += bo_cursor_int(e, 10);
        bo_cursor_free(e);
    }
    bo_cursor_free(j);
    return v;
}

/* The euro party accounts' book-currency values equal the model's: what
 * the open documents carry, less the value of the credit left on payments
 * (no stray cents from settling in parts). */
static void check_book_values(void)
{
    int64_t want[2] = { 0, 0 };
    for (int i = 0; i < ndocs; i++) {
        const doc *d = &docs[i];
        if (strcmp(parties[d->party].cur, "EUR") || d->rev)
            continue;
        want[parties[d->party].side - 1] +=
            d->kind == main_kind(d->party) ? d->open_base : -d->open_base;
    }
    for (int i = 0; i < npays; i++) {
        const pay *p = &pays[i];
        if (strcmp(parties[p->party].cur, "EUR") || !p->unapplied0)
            continue;
        int64_t left = to_usd(p->unapplied0, p->rate) - to_usd(p->applied_later, p->rate);
        want[parties[p->party].side - 1] -= left;
    }
    int64_t recv = book_value("1210"), payb = -book_value("2010");
    ck_assert_msg(recv == want[0], "receivable 1210 is worth %lld USD, the model says %lld",
                  (long long)recv, (long long)want[0]);
    ck_assert_msg(payb == want[1], "payable 2010 is worth %lld USD, the model says %lld",
                  (long long)payb, (long long)want[1]);
}

/* The tax report for from..to as text, and the movement its book-currency
 * figures make (purchase tax - sales tax + other). */
static int64_t tax_text(bo_date from, bo_date to, char *out, size_t size)
{
    bo_cursor *c;
    size_t len = 0;
    int64_t m = 0;
    out[0] = '\0';
    bo_assert_ok(bo_billing_tax_report(book, from, to, &c));
    while (bo_cursor_next(c) == 0) {
        len += (size_t)snprintf(out + len, size - len, "%s %s",
                                bo_cursor_type(c, 0) == BO_TYPE_NULL ? "-" : bo_cursor_text(c, 0),
                                bo_cursor_text(c, 1));
        for (int i = 2; i < 9; i++)
            len += (size_t)snprintf(out + len, size - len, " %lld",
                                    (long long)bo_cursor_int(c, i));
        len += (size_t)snprintf(out + len, size - len, ";");
        ck_assert_uint_lt(len, size);
        m += bo_cursor_int(c, 7) - bo_cursor_int(c, 6) + bo_cursor_int(c, 8);
    }
    bo_cursor_free(c);
    return m;
}

static int64_t tax_movement(bo_date from, bo_date to)
{
    static const char *const acct[] = { "2100", "1300", "2110", "1310" };
    int64_t m = 0;
    for (int i = 0; i < 4; i++)
        m += balance_in(acct[i], to, NULL) - balance_in(acct[i], from - 1, NULL);
    return m;
}

static bo_date month_start(int m)
{
    bo_date d;
    bo_assert_ok(bo_date_from_ymd(m > 12 ? 2027 : 2026, m > 12 ? m - 12 : m, 1, &d));
    return d;
}

static bo_date month_end(int m)
{
    return month_start(m + 1) - 1;
}

/* Snapshots: aging as of dates no later operation can reach, and the tax
 * reports of closed months. */
#define NSNAP 64
static struct {
    bo_date date;
    char aging[2][4096];
} snaps[NSNAP];
static int nsnaps;
static char closed_tax[13][4096];
static int closed_upto; /* months 1..closed_upto are closed */

static bo_date checked_from;

static void checkpoint(bo_date today, bo_date frontier, int last)
{
    static char texts[2][4096];
    /* Every month so far: the report adds up to the tax accounts. */
    for (int m = 1; m <= 12 && month_start(m) <= today; m++) {
        static char text[4096];
        bo_date to = month_end(m);
        int64_t got = tax_text(month_start(m), to, text, sizeof text);
        ck_assert_msg(got == tax_movement(month_start(m), to),
                      "month %d: tax report %lld, tax accounts moved %lld", m,
                      (long long)got, (long long)tax_movement(month_start(m), to));
        if (m <= closed_upto)
            ck_assert_msg(!strcmp(text, closed_tax[m]), "closed month %d's tax report "
                          "changed:\n  was %s\n  now %s", m, closed_tax[m], text);
    }
    /* Aging: the recorded dates are unchanged (all of them at the end, a
     * few at each checkpoint), and today and a date before the frontier
     * agree with the model and the balances. */
    for (int i = 0; i < nsnaps; i++) {
        if (!last && rnd(4))
            continue;
        check_aging(snaps[i].date, texts);
        for (int s = 0; s < 2; s++)
            ck_assert_msg(!strcmp(texts[s], snaps[i].aging[s]), "aging as of %s (side %d) "
                          "changed:\n  was %s\n  now %s", iso(snaps[i].date), s + 1,
                          snaps[i].aging[s], texts[s]);
    }
    /* Every day operations since the last checkpoint could reach. */
    for (bo_date d = checked_from; d <= today; d++) {
        check_aging(d, texts);
        events.dates_checked++;
    }
    checked_from = frontier;
    check_book_values();
    bo_date d = frontier - 1 - (bo_date)rnd(20);
    if (d >= D("2026-01-01") && nsnaps < NSNAP) {
        check_aging(d, texts);
        snaps[nsnaps].date = d;
        memcpy(snaps[nsnaps].aging, texts, sizeof texts);
        nsnaps++;
    }
}

START_TEST(figures_random_billing_stream)
{
    const char *env = getenv("BO_BILL_RANDOM_OPS"), *seed = getenv("BO_BILL_RANDOM_SEED");
    int ops = env ? atoi(env) : 300;
    rng_state = seed ? strtoull(seed, NULL, 10) : 20260113;
    nsnaps = closed_upto = 0;
    checked_from = D("2026-01-01");
    memset(refused, 0, sizeof refused);
    memset(&events, 0, sizeof events);
    /* Euro rates every week, between 0.95 and 1.25. */
    for (bo_date d = D("2025-12-01"); d <= D("2026-12-31"); d += 7) {
        char rate[32];
        int64_t r = 9500 + (int64_t)rnd(3001);
        eur_rates[(d - D("2025-12-01")) / 7] = r;
        snprintf(rate, sizeof rate, "%lld.%04lld", (long long)(r / 10000),
                 (long long)(r % 10000));
        bo_assert_ok(bo_billing_rate_set(book, "EUR", d, rate));
    }
    const int back = 5; /* days an operation may be dated back */
    bo_date today = D("2026-01-08");
    int checkpoint_every = 25;
    for (int op = 0; op < ops; op++) {
        today += rnd(3) == 0;
        if (today > D("2026-12-20"))
            today = D("2026-12-20");
        /* Close a month once no operation can be dated in it: revalue its
         * open foreign items at its end, then close it. */
        while (closed_upto < 11 && month_start(closed_upto + 2) + back < today) {
            int m = closed_upto + 1;
            char name[32];
            snprintf(name, sizeof name, "2026-%02d", m);
            bo_assert_ok(bo_billing_revalue(book, month_end(m), NULL));
            bo_assert_ok(bo_ledger_period_close(book, name));
            tax_text(month_start(m), month_end(m), closed_tax[m],
                     sizeof closed_tax[m]);
            closed_upto = m;
        }
        bo_date date = today - (bo_date)rnd((uint64_t)back + 1);
        int party = (int)rnd(NPARTIES), kind = (int)rnd(100);
        if (kind < 3 && closed_upto) {
            /* Into a closed month, or outside every period: refused. */
            bo_date bad = rnd(2) ? month_start(closed_upto) + (bo_date)rnd(20)
                                 : D("2027-01-05");
            bo_payment *p;
            char key[32];
            snprintf(key, sizeof key, "bad-%d", op);
            bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
                    .version = BO_PAYMENT_OPTIONS_VERSION,
                    .kind = BO_PAYMENT_RECEIVED, .party = "C1", .date = bad,
                    .amount = 100, .account = "1100" }));
            bo_assert_ok(bo_payment_set_key(p, key));
            bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EPERIOD);
            bo_payment_free(p);
        } else if (kind < 28) {
            op_document(party, date);
        } else if (kind < 36) {
            op_credit_note(party, date);
        } else if (kind < 58) {
            op_payment(party, date, op);
        } else if (kind < 73) {
            op_apply(date);
        } else if (kind < 79) {
            op_reverse(date);
        } else if (kind < 91) {
            op_sale(date, op);
        } else {
            op_return(date, op);
        }
        if ((op + 1) % checkpoint_every == 0 || op + 1 == ops)
            checkpoint(today, today - back, op + 1 == ops);
    }
    printf("%d operations to %s: %d documents, %d payments, %d allocations, %d sales, "
           "%d months closed, %d aging snapshots\n", ops, iso(today), ndocs, npays,
           nallocs, nsales, closed_upto, nsnaps);
    printf("%d credit notes after their document was reversed, %d later pieces of foreign "
           "credit applied, aging checked on %d dates\n", events.credit_after_reversal,
           events.foreign_pieces, events.dates_checked);
    printf("refused: %d closed period, %d dated before their record, %d settled documents "
           "not reversed, %d returns past the sale\n", refused[-BO_EPERIOD],
           refused[-BO_EDATE], refused[-BO_ESTATE], refused[-BO_EINVAL]);
    ck_assert_int_gt(ndocs, 0);
    ck_assert_int_gt(npays, 0);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(book, &bad));
    /* The random book survives the lossless export: export, import, export
     * give the same bytes (docs/export-format.md). */
    bo_test_round_trip(book);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("billing_random");
    TCase *t = tcase_create("random");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 900);
    tcase_add_test(t, figures_random_billing_stream);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
