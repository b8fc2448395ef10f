/* Figures a bookkeeper would check in the inventory: landed costs on
 * receipts that settled negative stock (worked examples), and a seeded
 * random stream of receipts, purchase orders, issues and landed costs with
 * negative stock allowed, replayed in an independent model of the valuation
 * rules (FIFO layers, moving average, shortages settled by receipts): every
 * stock row's value, each location's inventory account and the cost of
 * goods sold account must equal the model to the cent
 * (BO_INV_FIGURES_OPS operations, 1,500 by default). */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t balance(const char *account)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D("9999-12-31"), NULL, &v));
    return v;
}

static int64_t value(const char *sku, const char *loc)
{
    int64_t v = -1;
    bo_assert_ok(bo_inventory_value(book, sku, loc, &v));
    return v;
}

static int64_t stock(const char *sku, const char *loc)
{
    int64_t v = -1;
    bo_assert_ok(bo_inventory_stock(book, sku, loc, &v));
    return v;
}

static void setup(void)
{
    book = bo_test_book("inventory_figures");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1210", "Inventory WH", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2150", "Freight payable", BO_ACCOUNT_LIABILITY,
                                       NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    const char *set[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" }, { "account.adjustments", "5200" },
        { "account.revenue", "4000" }, { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        bo_assert_ok(bo_inventory_setting_set(book, set[i][0], set[i][1]));
    bo_assert_ok(bo_party_add(book, "ACME", "Acme Supplies", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store one", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "WH", "Warehouse", "warehouse", 0));
    bo_assert_ok(bo_inventory_location_update(book, "WH", &(bo_inventory_location_changes){
            .version = BO_INVENTORY_LOCATION_CHANGES_VERSION, .inventory_account = "1210",
            .negative_stock = BO_UNCHANGED }));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static void item(const char *sku, int scale, int method)
{
    bo_assert_ok(bo_inventory_item_add(book, sku, sku, scale, method, NULL));
    bo_assert_ok(bo_inventory_item_update(book, sku, &(bo_inventory_item_changes){
            .version = BO_INVENTORY_ITEM_CHANGES_VERSION, .negative_stock = 1,
            .active = BO_UNCHANGED }));
}

/* ---- worked examples ------------------------------------------------------- */

/* Issue 4 units short, receive 10 at 1.00 on a purchase order, add a landed
 * cost of 1.00: the 4 units that settled the shortage were sold before they
 * arrived, so 0.40 of the freight is cost of goods sold and 0.60 goes to
 * the layer of the 6 units in stock. */
START_TEST(figures_landed_cost_negative_stock)
{
    item("A", 0, BO_INVENTORY_FIFO);
    bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 4,
            .date = D("2025-03-01"), .reason = "sold ahead", .key = "iss-1" }, NULL));
    ck_assert_int_eq(stock("A", "S1"), -4);
    int64_t po;
    int line;
    bo_assert_ok(bo_inventory_po_add(book, "PO-1", "ACME", D("2025-03-01"), &po));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "A", .location = "S1", .qty = 10, .unit_cost = 100,
            .expected = D("2025-03-05") }, &line));
    bo_assert_ok(bo_inventory_po_receive(book, po, line, 10, D("2025-03-05"), "grn-1", NULL));
    ck_assert_int_eq(stock("A", "S1"), 6);
    ck_assert_int_eq(value("A", "S1"), 600);
    ck_assert_int_eq(balance("5100"), 400); /* the 4 short units, at 1.00 */
    bo_assert_ok(bo_inventory_landed_cost(book, po, 100, "2150", D("2025-03-06"), "fr-1", NULL));
    ck_assert_int_eq(value("A", "S1"), 660);
    ck_assert_int_eq(balance("1200"), 660);
    ck_assert_int_eq(balance("5100"), 440);
    ck_assert_int_eq(balance("2150"), -100);
    /* The layer carries it: the 6 units issued now cost 6.60. */
    bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 6,
            .date = D("2025-03-07"), .reason = "used", .key = "iss-2" }, NULL));
    ck_assert_int_eq(value("A", "S1"), 0);
    ck_assert_int_eq(balance("5100"), 1100);
}
END_TEST

/* The freight of an order is split over its receipts by their full cost:
 * a receipt that settled a shortage weighs all its units, not only those
 * that entered stock (10.00 and 10.00 of goods: 1.00 each, not 0.75 and
 * 1.25). Moving average: the same 0.60 / 0.40. */
START_TEST(figures_landed_cost_split_by_full_cost)
{
    item("A", 0, BO_INVENTORY_FIFO);
    item("M", 0, BO_INVENTORY_AVERAGE);
    item("C", 0, BO_INVENTORY_FIFO);
    bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 4,
            .date = D("2025-03-01"), .reason = "ahead", .key = "i-a" }, NULL));
    bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "M", .location = "S1", .qty = 4,
            .date = D("2025-03-01"), .reason = "ahead", .key = "i-m" }, NULL));
    int64_t po;
    int la, lm, lc;
    bo_assert_ok(bo_inventory_po_add(book, "PO-2", "ACME", D("2025-03-01"), &po));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "A", .location = "S1", .qty = 10, .unit_cost = 100,
            .expected = D("2025-03-05") }, &la));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "M", .location = "S1", .qty = 10, .unit_cost = 100,
            .expected = D("2025-03-05") }, &lm));
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = "C", .location = "WH", .qty = 10, .unit_cost = 100,
            .expected = D("2025-03-05") }, &lc));
    bo_assert_ok(bo_inventory_po_receive(book, po, la, 10, D("2025-03-05"), "g-a", NULL));
    bo_assert_ok(bo_inventory_po_receive(book, po, lm, 10, D("2025-03-05"), "g-m", NULL));
    bo_assert_ok(bo_inventory_po_receive(book, po, lc, 10, D("2025-03-05"), "g-c", NULL));
    int64_t cogs0 = balance("5100");
    ck_assert_int_eq(cogs0, 800);
    bo_assert_ok(bo_inventory_landed_cost(book, po, 300, "2150", D("2025-03-06"), "fr-2", NULL));
    ck_assert_int_eq(value("A", "S1"), 660);
    ck_assert_int_eq(value("M", "S1"), 660);
    ck_assert_int_eq(value("C", "WH"), 1100);
    ck_assert_int_eq(balance("5100") - cogs0, 80);
    ck_assert_int_eq(balance("1200"), 1320);
    ck_assert_int_eq(balance("1210"), 1100);
}
END_TEST

/* A till sale with a customer and not (fully) paid leaves the rest on
 * account: a receivable invoiced to the customer, aged and settled like
 * any invoice. Without a customer it is refused, and nothing changes. */
START_TEST(figures_sale_on_account)
{
    bo_assert_ok(bo_ledger_account_add(book, "1150", "Receivables", BO_ACCOUNT_ASSET, NULL,
                                       NULL));
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1150"));
    bo_assert_ok(bo_party_add(book, "C1", "Corner cafe", BO_PARTY_CUSTOMER, NULL));
    item("A", 0, BO_INVENTORY_FIFO);
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 10, .cost = 1000, .date = D("2025-03-01"), .key = "r-1" }, NULL));
    /* No customer, short payment: refused, naming payments; nothing kept. */
    bo_sale *sale;
    bo_assert_ok(bo_sale_new(&sale, D("2025-03-02"), "till 1"));
    bo_assert_ok(bo_sale_set_key(sale, "till-1/1"));
    bo_assert_ok(bo_sale_line(sale, "A", "S1", 2, 600, 0));
    bo_assert_ok(bo_sale_payment(sale, "cash", 500));
    int64_t cash0 = balance("1000");
    bo_assert_err(bo_inventory_sale_post(book, sale, NULL), BO_EPAYMENT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "payments"));
    ck_assert_int_eq(stock("A", "S1"), 10);
    ck_assert_int_eq(balance("1000"), cash0);
    /* The customer's sale: 5.00 paid in cash, 7.00 on account. */
    bo_assert_ok(bo_sale_set_customer(sale, "C1"));
    int64_t id;
    bo_assert_ok(bo_inventory_sale_post(book, sale, &id));
    bo_sale_free(sale);
    ck_assert_int_eq(balance("1000"), cash0 + 500);
    ck_assert_int_eq(balance("1150"), 700);
    ck_assert_int_eq(balance("4000"), -1200);
    ck_assert_int_eq(stock("A", "S1"), 8);
    /* The invoice of the part on account: open 7.00, aged as current. */
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoices(book, "C1", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    int64_t inv = bo_cursor_int(c, 0);
    ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "total")), 700);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    int64_t open;
    bo_assert_ok(bo_billing_invoice_open(book, inv, D("2025-03-02"), &open));
    ck_assert_int_eq(open, 700);
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2025-03-02"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "C1");
    ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "total")), 700);
    bo_cursor_free(c);
    /* It is undone by returning the goods, not by reversing the invoice. */
    bo_assert_err(bo_billing_invoice_reverse(book, inv, D("2025-03-03"), NULL), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "sale"));
    /* A payment settles it like any invoice. */
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2025-03-10"), .amount = 700, .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "pay-1"));
    bo_assert_ok(bo_payment_allocate(p, inv, 700, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    bo_assert_ok(bo_billing_invoice_open(book, inv, D("2025-03-10"), &open));
    ck_assert_int_eq(open, 0);
    ck_assert_int_eq(balance("1150"), 0);
    /* Nothing paid at all: the whole sale on account. */
    bo_assert_ok(bo_sale_new(&sale, D("2025-03-11"), "till 1"));
    bo_assert_ok(bo_sale_set_key(sale, "till-1/2"));
    bo_assert_ok(bo_sale_set_customer(sale, "C1"));
    bo_assert_ok(bo_sale_line(sale, "A", "S1", 1, 600, 0));
    bo_assert_ok(bo_inventory_sale_post(book, sale, &id));
    int64_t again;
    bo_assert_ok(bo_inventory_sale_post(book, sale, &again)); /* a replay: one invoice */
    ck_assert_int_eq(again, id);
    bo_sale_free(sale);
    ck_assert_int_eq(balance("1150"), 600);
    bo_assert_ok(bo_billing_invoices(book, "C1", &c));
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    ck_assert_int_eq(n, 2);
    bo_assert_ok(bo_audit_verify(book, NULL));
}
END_TEST

/* ---- the independent model ------------------------------------------------- */

#define NITEMS 4
#define NLOCS 2
#define MAXLAYERS 4096
#define MAXRECEIPTS 64

static const char *const m_skus[NITEMS] = { "F0", "F2", "V0", "V3" };
static const int m_scale[NITEMS] = { 0, 2, 0, 3 };
static const int m_fifo[NITEMS] = { 1, 1, 0, 0 };
static const char *const m_locs[NLOCS] = { "S1", "WH" };
static const char *const m_acct[NLOCS] = { "1200", "1210" };

typedef struct { int64_t rem, cost; } m_layer;
typedef struct {
    int64_t on_hand, value;
    m_layer *layers;
    int nlayers, first;
} m_row;
typedef struct { int item, loc, layer; int64_t qty, cost, short_; } m_receipt;
typedef struct {
    int64_t id;
    int nlines, item[3], loc[3];
    int64_t ordered[3], got[3], unit[3];
    m_receipt r[MAXRECEIPTS];
    int nr;
} m_po;

static m_row rows_[NITEMS][NLOCS];
static int64_t m_cogs;

static uint64_t rng;
static uint64_t rnd(uint64_t n)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
}

/* a * b / c rounded half to even, exact (the model's own arithmetic). */
static int64_t mdiv(int64_t a, int64_t b, int64_t c)
{
    __int128 n = (__int128)a * b, q = n / c, r = n % c;
    if (r < 0)
        r = -r;
    __int128 twice = 2 * r;
    if (twice > c || (twice == c && (q % 2 != 0)))
        q += (n < 0) ? -1 : 1;
    return (int64_t)q;
}

static int64_t pow10_(int s)
{
    int64_t p = 1;
    while (s-- > 0)
        p *= 10;
    return p;
}

/* Units in: a shortage is settled first (its share of the cost is cost of
 * goods sold), the rest enters stock (FIFO: a new layer). Returns the layer
 * index or -1. */
static int m_in(int i, int l, int64_t qty, int64_t cost, int64_t *short_out)
{
    m_row *r = &rows_[i][l];
    int64_t short_ = r->on_hand < 0 ? (-r->on_hand < qty ? -r->on_hand : qty) : 0;
    int64_t settled = short_ == 0 ? 0 : short_ == qty ? cost : mdiv(cost, short_, qty);
    m_cogs += settled;
    r->on_hand += qty;
    r->value += cost - settled;
    *short_out = short_;
    if (m_fifo[i] && qty - short_ > 0) {
        ck_assert_int_lt(r->nlayers, MAXLAYERS);
        r->layers[r->nlayers] = (m_layer){ qty - short_, cost - settled };
        return r->nlayers++;
    }
    return -1;
}

/* Units out: those in stock at their cost (FIFO oldest first, or the
 * average), those beyond it at nothing until a receipt settles them. */
static void m_out(int i, int l, int64_t qty)
{
    m_row *r = &rows_[i][l];
    int64_t covered = r->on_hand <= 0 ? 0 : qty < r->on_hand ? qty : r->on_hand, cost = 0;
    if (covered > 0 && m_fifo[i]) {
        int64_t need = covered;
        for (int k = r->first; k < r->nlayers && need > 0; k++) {
            m_layer *y = &r->layers[k];
            if (y->rem == 0)
                continue;
            int64_t take = need < y->rem ? need : y->rem;
            int64_t c = take == y->rem ? y->cost : mdiv(y->cost, take, y->rem);
            y->rem -= take;
            y->cost -= c;
            cost += c;
            need -= take;
        }
        while (r->first < r->nlayers && r->layers[r->first].rem == 0)
            r->first++;
    } else if (covered > 0) {
        cost = covered == r->on_hand ? r->value : mdiv(r->value, covered, r->on_hand);
    }
    r->on_hand -= qty;
    r->value -= cost;
    m_cogs += cost;
}

/* The freight of an order: split over its receipts by their full cost; the
 * share of each receipt's units still held stays in stock, the rest (sold,
 * or settling a shortage) is cost of goods sold. */
static void m_landed(m_po *p, int64_t amount)
{
    int64_t w[MAXRECEIPTS], parts[MAXRECEIPTS], total = 0;
    for (int k = 0; k < p->nr; k++)
        total += p->r[k].cost;
    for (int k = 0; k < p->nr; k++)
        w[k] = total > 0 ? p->r[k].cost : p->r[k].qty;
    bo_assert_ok(bo_money_split(amount, w, (size_t)p->nr, parts));
    for (int k = 0; k < p->nr; k++) {
        m_receipt *x = &p->r[k];
        m_row *r = &rows_[x->item][x->loc];
        int64_t held;
        if (m_fifo[x->item])
            held = x->layer >= 0 ? r->layers[x->layer].rem : 0;
        else
            held = x->qty - x->short_ < r->on_hand ? x->qty - x->short_ : r->on_hand;
        int64_t kept = held > 0 ? mdiv(parts[k], held, x->qty) : 0;
        if (kept && m_fifo[x->item])
            r->layers[x->layer].cost += kept;
        r->value += kept;
        m_cogs += parts[k] - kept;
    }
}

START_TEST(figures_stock_property)
{
    const char *env = getenv("BO_INV_FIGURES_OPS");
    long ops = env ? atol(env) : 1500;
    rng = 20250301u + (uint64_t)ops;
    for (int i = 0; i < NITEMS; i++) {
        item(m_skus[i], m_scale[i], m_fifo[i] ? BO_INVENTORY_FIFO : BO_INVENTORY_AVERAGE);
        for (int l = 0; l < NLOCS; l++) {
            memset(&rows_[i][l], 0, sizeof rows_[i][l]);
            rows_[i][l].layers = calloc(MAXLAYERS, sizeof(m_layer));
        }
    }
    m_cogs = 0;
    m_po *pos = calloc(64, sizeof *pos);
    int npos = 0;
    long done[5] = { 0 };
    char key[64];
    bo_date day = D("2025-01-01");
    for (long op = 0; op < ops; op++) {
        int i = (int)rnd(NITEMS), l = (int)rnd(NLOCS);
        int64_t unit = pow10_(m_scale[i]);
        int64_t qty = (int64_t)(1 + rnd(20)) * unit + (int64_t)rnd((uint64_t)unit);
        snprintf(key, sizeof key, "op-%ld", op);
        day += (bo_date)rnd(2);
        switch (rnd(10)) {
        case 0: case 1: case 2: { /* issue, often beyond what is in stock */
            bo_assert_ok(bo_inventory_issue(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = m_skus[i],
                    .location = m_locs[l], .qty = qty, .date = day, .reason = "used",
                    .key = key }, NULL));
            m_out(i, l, qty);
            done[0]++;
            break;
        }
        case 3: { /* a plain receipt at a cost that need not divide evenly */
            int64_t cost = (int64_t)rnd(5000) + 1;
            int64_t sh;
            bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = m_skus[i],
                    .location = m_locs[l], .qty = qty, .cost = cost, .date = day, .key = key }, NULL));
            m_in(i, l, qty, cost, &sh);
            done[1]++;
            break;
        }
        case 4: case 5: { /* a new purchase order with 1-3 lines */
            if (npos == 64)
                break;
            m_po *p = &pos[npos];
            char num[32];
            snprintf(num, sizeof num, "PO-%d", npos + 1);
            bo_assert_ok(bo_inventory_po_add(book, num, "ACME", day, &p->id));
            p->nlines = 1 + (int)rnd(3);
            for (int k = 0; k < p->nlines; k++) {
                int line;
                p->item[k] = (int)rnd(NITEMS);
                p->loc[k] = (int)rnd(NLOCS);
                p->ordered[k] = (int64_t)(5 + rnd(40)) * pow10_(m_scale[p->item[k]]);
                p->unit[k] = (int64_t)rnd(900) + 1;
                bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
                        .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION,
                        .po_id = p->id, .sku = m_skus[p->item[k]],
                        .location = m_locs[p->loc[k]],
                        .qty = p->ordered[k], .unit_cost = p->unit[k],
                        .expected = day }, &line));
                ck_assert_int_eq(line, k + 1);
            }
            npos++;
            break;
        }
        case 6: case 7: { /* receive part of a line of an order */
            if (npos == 0)
                break;
            m_po *p = &pos[rnd((uint64_t)npos)];
            int k = (int)rnd((uint64_t)p->nlines);
            int64_t left = p->ordered[k] - p->got[k];
            if (left <= 0 || p->nr == MAXRECEIPTS)
                break;
            int64_t q = 1 + (int64_t)rnd((uint64_t)left);
            int it = p->item[k], lo = p->loc[k];
            int64_t cost = mdiv(p->unit[k], q, pow10_(m_scale[it]));
            bo_assert_ok(bo_inventory_po_receive(book, p->id, k + 1, q, day, key, NULL));
            m_receipt *x = &p->r[p->nr++];
            x->item = it;
            x->loc = lo;
            x->qty = q;
            x->cost = cost;
            x->layer = m_in(it, lo, q, cost, &x->short_);
            p->got[k] += q;
            done[2]++;
            break;
        }
        case 8: { /* freight on an order that received something */
            if (npos == 0)
                break;
            m_po *p = &pos[rnd((uint64_t)npos)];
            if (p->nr == 0)
                break;
            int64_t amount = (int64_t)rnd(3000) + 1;
            bo_assert_ok(bo_inventory_landed_cost(book, p->id, amount, "2150", day, key, NULL));
            m_landed(p, amount);
            done[3]++;
            break;
        }
        default: { /* a receipt of exactly what is short, or a round one */
            m_row *r = &rows_[i][l];
            int64_t q = r->on_hand < 0 ? -r->on_hand : qty, sh;
            int64_t cost = (int64_t)rnd(2000);
            bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = m_skus[i],
                    .location = m_locs[l], .qty = q, .cost = cost, .date = day, .key = key }, NULL));
            m_in(i, l, q, cost, &sh);
            done[4]++;
            break;
        }
        }
    }
    int64_t per_loc[NLOCS] = { 0 };
    for (int i = 0; i < NITEMS; i++)
        for (int l = 0; l < NLOCS; l++) {
            m_row *r = &rows_[i][l];
            ck_assert_msg(stock(m_skus[i], m_locs[l]) == r->on_hand, "%s at %s: stock",
                          m_skus[i], m_locs[l]);
            int64_t v = value(m_skus[i], m_locs[l]);
            ck_assert_msg(v == r->value, "%s at %s: value %" PRId64 ", model %" PRId64,
                          m_skus[i], m_locs[l], v, r->value);
            per_loc[l] += r->value;
            free(r->layers);
        }
    for (int l = 0; l < NLOCS; l++)
        ck_assert_msg(balance(m_acct[l]) == per_loc[l], "account %s: %" PRId64 ", model %"
                      PRId64, m_acct[l], balance(m_acct[l]), per_loc[l]);
    ck_assert_msg(balance("5100") == m_cogs, "COGS %" PRId64 ", model %" PRId64,
                  balance("5100"), m_cogs);
    printf("figures_stock_property: %ld operations: %ld issues, %ld receipts, %ld order "
           "receipts, %ld landed costs, %ld settling receipts; COGS %" PRId64 "\n", ops,
           done[0], done[1], done[2], done[3], done[4], m_cogs);
    /* the stream did what it is for */
    ck_assert_int_gt(done[2], ops / 20);
    ck_assert_int_gt(done[3], ops / 40);
    free(pos);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("inventory_figures");
    TCase *t = tcase_create("figures");
    tcase_set_timeout(t, 300);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, figures_landed_cost_negative_stock);
    tcase_add_test(t, figures_landed_cost_split_by_full_cost);
    tcase_add_test(t, figures_stock_property);
    tcase_add_test(t, figures_sale_on_account);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
