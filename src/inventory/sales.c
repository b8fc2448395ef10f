/* The sale: a builder, then one call that checks the lines and payments,
 * issues the stock (availability checked inside the write), computes tax per
 * item tax category, and posts one entry: payments, revenue, tax payable,
 * COGS and inventory. Its idempotency key is UNIQUE; a replay with the same
 * content answers the first sale's id and records nothing. */
#include "inventory/pricing.h"
#include "core/approval.h"
#include "billing/billing.h"
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct sale_line {
    char *sku, *loc;
    char *unit; /* NULL: the stock unit (bo_sale_line_unit) */
    int64_t qty, price, discount, hold;
} sale_line;

struct bo_sale {
    bo_date date;
    char *memo, *key, *customer;
    char *coupon; /* bo_sale_set_coupon */
    int inclusive;
    sale_line *lines;
    int n, cap;
    struct { char method[BO_CODE_MAX + 1]; int64_t amount; } pay[BO_SALE_PAYMENTS_MAX];
    int npay;
};

int bo_sale_new(bo_sale **out, bo_date date, const char *memo)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    char d[11];
    bo__date_iso(date, d);
    if (!d[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    int rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, true);
    if (rc)
        return rc;
    bo_sale *s = bo__calloc(1, sizeof *s);
    if (!s)
        return BO_ENOMEM;
    s->date = date;
    s->inclusive = 1;
    if (!(s->memo = bo__strdup(memo ? memo : ""))) {
        bo__free(s);
        return BO_ENOMEM;
    }
    *out = s;
    return 0;
}

int bo_sale_set_key(bo_sale *s, const char *key)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    int rc = bo__text_check("key", key, BO_TEXT_MAX, false, false); /* required */
    return rc ? rc : bo__strdup_into(&s->key, key);
}

int bo_sale_set_inclusive(bo_sale *s, int inclusive)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    s->inclusive = inclusive != 0;
    return 0;
}

int bo_sale_set_customer(bo_sale *s, const char *party)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    if (!party) {
        bo__free(s->customer);
        s->customer = NULL;
        return 0;
    }
    int rc = bo__name_check("customer", party, BO_CODE_MAX);
    return rc ? rc : bo__text_set(&s->customer, "customer", party, BO_CODE_MAX);
}

static int add_line_unit(bo_sale *s, const char *sku, const char *loc, int64_t qty,
                         const char *unit, int64_t price, int64_t discount, int64_t hold);

static int add_line(bo_sale *s, const char *sku, const char *loc, int64_t qty,
                    int64_t price, int64_t discount, int64_t hold)
{
    return add_line_unit(s, sku, loc, qty, NULL, price, discount, hold);
}

static int add_line_unit(bo_sale *s, const char *sku, const char *loc, int64_t qty,
                         const char *unit, int64_t price, int64_t discount, int64_t hold)
{
    int no = s->n + 1, rc;
    if (!hold && ((rc = bo__name_check("sku", sku, BO_CODE_MAX)) ||
                  (rc = bo__name_check("location", loc, BO_CODE_MAX))))
        return bo__error_prefix("line %d: ", no);
    if (!hold && (rc = bo__inv_qty_check("qty", qty, 0)))
        return bo__error_prefix("line %d: ", no);
    if (unit && (rc = bo__name_check("unit", unit, BO_CODE_MAX)))
        return bo__error_prefix("line %d: ", no);
    if (price < 0 && !(price == BO_SALE_PRICE_AUTO && !hold))
        return bo__error_set(BO_EINVAL, "line %d: unit_price: must not be negative", no);
    if (discount < 0)
        return bo__error_set(BO_EINVAL, "line %d: discount: must not be negative", no);
    if (s->n == BO_SALE_LINES_MAX)
        return bo__error_set(BO_ELIMIT, "line %d: a sale holds at most %d lines", no,
                             BO_SALE_LINES_MAX);
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 4;
        sale_line *nl = bo__realloc(s->lines, (size_t)cap * sizeof *nl);
        if (!nl)
            return BO_ENOMEM;
        s->lines = nl;
        s->cap = cap;
    }
    sale_line *l = &s->lines[s->n];
    memset(l, 0, sizeof *l);
    if (!hold && (!(l->sku = bo__strdup(sku)) || !(l->loc = bo__strdup(loc)) ||
                  (unit && !(l->unit = bo__strdup(unit))))) {
        bo__free(l->sku);
        bo__free(l->loc);
        return BO_ENOMEM;
    }
    l->qty = qty;
    l->price = price;
    l->discount = discount;
    l->hold = hold;
    s->n++;
    return 0;
}

int bo_sale_line(bo_sale *s, const char *sku, const char *location, int64_t qty,
                 int64_t unit_price, int64_t discount)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    return add_line(s, sku, location, qty, unit_price, discount, 0);
}

int bo_sale_line_hold(bo_sale *s, int64_t hold_id, int64_t unit_price,
                      int64_t discount)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    if (hold_id <= 0)
        return bo__error_set(BO_EINVAL, "line %d: hold: %" PRId64 " is not a hold id",
                             s->n + 1, hold_id);
    return add_line(s, NULL, NULL, 0, unit_price, discount, hold_id);
}

int bo_sale_line_unit(bo_sale *s, const char *sku, const char *location, int64_t qty,
                      const char *unit, int64_t unit_price, int64_t discount)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    return add_line_unit(s, sku, location, qty, unit, unit_price, discount, 0);
}

int bo_sale_set_coupon(bo_sale *s, const char *code)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    if (!code) {
        bo__free(s->coupon);
        s->coupon = NULL;
        return 0;
    }
    int rc = bo__name_check("coupon", code, BO_CODE_MAX);
    return rc ? rc : bo__text_set(&s->coupon, "coupon", code, BO_CODE_MAX);
}

int bo_sale_payment(bo_sale *s, const char *method, int64_t amount)
{
    bo__error_clear();
    if (!s)
        return bo__error_set(BO_EINVAL, "sale: NULL");
    int rc = bo__name_check("method", method, BO_CODE_MAX - 8);
    if (rc)
        return bo__error_prefix("payment %d: ", s->npay + 1);
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "payment %d: amount: must be positive",
                             s->npay + 1);
    if (s->npay == BO_SALE_PAYMENTS_MAX)
        return bo__error_set(BO_ELIMIT, "payment %d: a sale takes at most %d payments",
                             s->npay + 1, BO_SALE_PAYMENTS_MAX);
    snprintf(s->pay[s->npay].method, sizeof s->pay[0].method, "%s", method);
    s->pay[s->npay++].amount = amount;
    return 0;
}

int bo_sale_line_count(const bo_sale *s)
{
    return s ? s->n : 0;
}

void bo_sale_free(bo_sale *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++) {
        bo__free(s->lines[i].sku);
        bo__free(s->lines[i].loc);
        bo__free(s->lines[i].unit);
    }
    bo__free(s->lines);
    bo__free(s->coupon);
    bo__free(s->memo);
    bo__free(s->key);
    bo__free(s->customer);
    bo__free(s);
}

/* ---- posting ---------------------------------------------------------------- */

static const char SQL_SALE_BY_KEY[] = "SELECT id, digest FROM inv_sales WHERE idem_key = ?";
static const char SQL_SALE_ADD[] =
    "INSERT INTO inv_sales (date, memo, idem_key, digest, customer, inclusive, total,"
    " tax, change_given, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_SALE_ADD_PLAIN[] =
    "INSERT INTO inv_sales (date, memo, idem_key, digest, customer, inclusive, total,"
    " tax, change_given, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_LINE_ADD[] =
    "INSERT INTO inv_sale_lines (sale_id, line, stock_id, qty, net, tax, cost,"
    " revenue_account, hold_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_TAX_ADD[] =
    "INSERT INTO inv_sale_taxes (sale_id, line, seq, rate, account, amount)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_PAY_ADD[] =
    "INSERT INTO inv_sale_payments (sale_id, seq, method, amount) VALUES (?, ?, ?, ?)";
static const char SQL_HOLD_SALE[] = "UPDATE inv_holds SET sale_id = ? WHERE id = ?";

/* What posting found out about one line. */
typedef struct line_plan {
    bo__inv_item it;
    bo__inv_loc l;
    int64_t qty, stock, cost, hold;
    bo__inv_stock row; /* the stock row as plan_stock read it (row.id 0: not
                          kept, sale_issue reads it) */
    bo__tax_result tax;
    char revenue[BO_CODE_MAX + 1];
    char inv[BO_CODE_MAX + 1];
} line_plan;

/* The sale's canonical form: its digest identifies the content for
 * replays (computed once per call, before the transaction). */
static int canonical(const bo_sale *s, bo__buf *b, char digest[65])
{
    char d[11];
    bo__date_iso(s->date, d);
    bo__buf_field(b, d);
    bo__buf_field(b, s->memo);
    bo__buf_field(b, s->customer);
    bo__buf_field_int(b, s->inclusive);
    for (int i = 0; i < s->n; i++) {
        const sale_line *l = &s->lines[i];
        bo__buf_field(b, l->sku);
        bo__buf_field(b, l->loc);
        bo__buf_field_int(b, l->qty);
        bo__buf_field_int(b, l->price);
        bo__buf_field_int(b, l->discount);
        bo__buf_field_int(b, l->hold);
    }
    for (int i = 0; i < s->npay; i++) {
        bo__buf_field(b, s->pay[i].method);
        bo__buf_field_int(b, s->pay[i].amount);
    }
    /* Units and the coupon (pricing.h) follow, only when the sale has
     * them: a sale without keeps the form (and digest) it always had. */
    int priced = s->coupon != NULL;
    for (int i = 0; i < s->n; i++)
        priced |= s->lines[i].unit != NULL;
    if (priced) {
        bo__buf_field(b, "pricing");
        bo__buf_field(b, s->coupon);
        for (int i = 0; i < s->n; i++)
            bo__buf_field(b, s->lines[i].unit);
    }
    return bo__buf_hash(b, digest);
}

struct post_ctx {
    const bo_sale *s;
    int64_t id;
    char date[11];
    char digest[65];
    const char *text; /* the canonical form: the sale's audit detail */
    line_plan *plans;
    int fact; /* a synced offline sale: no stock check, no outbox hook */
    bo__price_line *pricing; /* units, price lists, promotions (pricing.h) */
    const bo__price_line *given; /* a terminal's own pricing (bo__inv_sale_post_priced) */
    const bo__buf *canon; /* the canonical form, the approval request's payload */
    bo__vcap cap; /* the sale's state, from the rows written (core/verify.h) */
};

static int money_err(int rc, const char *what, int line)
{
    if (rc == BO_EOVERFLOW)
        return bo__error_set(BO_EOVERFLOW, "line %d: %s overflows", line, what);
    return rc;
}

/* Resolve a line: item, location, amount, tax, accounts. No writes. */
static int plan_line(bo_book *b, const sale_line *sl, const bo__price_line *pp, int no,
                     int inclusive,
                     line_plan *p, int64_t *gross)
{
    int rc;
    p->hold = sl->hold;
    if (sl->hold) {
        /* The hold's row says what is sold; it is taken in the write. */
        int64_t item, loc;
        bo__inv_stock st;
        if ((rc = bo__inv_hold_take(b, sl->hold, 0, &p->stock, &p->qty)) ||
            (rc = bo__inv_stock_by_id(b, p->stock, &item, &loc, &st)) ||
            (rc = bo__inv_item_by_id(b, item, &p->it)) ||
            (rc = bo__inv_loc_by_id(b, loc, &p->l)))
            return bo__error_prefix("line %d: ", no);
    } else {
        if ((rc = bo__inv_item_find(b, "sku", sl->sku, 1, &p->it)) ||
            (rc = bo__inv_loc_find(b, "location", sl->loc, &p->l)))
            return bo__error_prefix("line %d: ", no);
        p->qty = sl->qty;
    }
    if (!p->it.active)
        return bo__error_set(BO_ESTATE, "line %d: item '%s' is not active", no, p->it.sku);
    int64_t amount;
    if (pp->active) { /* priced by units, lists or promotions (pricing.c) */
        p->qty = pp->stock_qty;
        amount = pp->amount - pp->promo;
    } else if ((rc = bo_money_muldiv(sl->price, p->qty, bo__inv_pow10(p->it.scale),
                                     BO_ROUND_HALF_EVEN, &amount)))
        return money_err(rc, "amount", no);
    if (sl->discount > amount)
        return bo__error_set(BO_EINVAL, "line %d: discount: more than the line amount", no);
    amount -= sl->discount;
    if (p->it.tax_category[0]) {
        if ((rc = bo__inv_tax_compute(b, p->it.tax_category, amount, inclusive, &p->tax)))
            return bo__error_prefix("line %d: ", no);
    } else {
        memset(&p->tax, 0, sizeof p->tax);
        p->tax.net = p->tax.gross = amount;
    }
    if (bo_money_add(*gross, p->tax.gross, gross))
        return money_err(BO_EOVERFLOW, "the sale's total", no);
    if (p->it.revenue_account[0])
        memcpy(p->revenue, p->it.revenue_account, sizeof p->revenue);
    else if ((rc = bo__inv_account(b, "account.revenue", p->revenue)))
        return rc;
    return bo__inv_loc_account(b, &p->l, p->inv);
}

static int pay_account(bo_book *b, const char *method, int no, char out[BO_CODE_MAX + 1])
{
    char key[BO_CODE_MAX + 1];
    int found = 0;
    snprintf(key, sizeof key, "payment.%s", method);
    int rc = bo__inv_setting(b, key, out, &found);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "payment %d: method '%s' has no account "
                           "(setting '%s')", no, method, key);
    return rc;
}

static int write_rows(bo_book *b, struct post_ctx *c, int64_t entry, int64_t total,
                      int64_t tax, int64_t change)
{
    const bo_sale *s = c->s;
    bo__stmt *st;
    int plain = bo__store_has_insert_id(b->store);
    int rc = bo__stmt_get(b->store, plain ? SQL_SALE_ADD_PLAIN : SQL_SALE_ADD, &st);
    if (rc)
        return rc;
    bo__stmt_borrow(st); /* the texts outlive the step: bound without a copy */
    if (!(rc = bo__stmt_bind(st, "tttttiiiiIt", c->date, s->memo, s->key, c->digest, s->customer,
                             s->inclusive, total, tax, change, entry, b->actor))) {
        rc = bo__stmt_step(st);
        if (rc == BO_DRIVER_ROW)
            c->id = bo__stmt_col_int(st, 0);
        else if (rc == BO_DRIVER_DONE && plain)
            c->id = bo__store_insert_id(b->store);
        rc = rc == BO_DRIVER_ROW || (rc == BO_DRIVER_DONE && plain) ? 0 : rc < 0 ? rc
           : bo__error_set(BO_ERROR, "sale: insert returned no id");
    }
    bo__stmt_done(st);
    if (rc)
        return rc;
    /* The sale is new and every row of it is written here: its state is
     * captured from them rather than read back at the commit. Each
     * capture repeats its insert's values, with the columns the insert
     * leaves to their defaults (0), in the state's column order. */
    bo__vcap *cap = &c->cap;
    bo__vcap_begin(b, cap, "sale", c->id);
    if ((rc = bo__vcap_row(cap, "inv_sales", "itttttiiiiIt", c->id, c->date, s->memo, s->key,
                           c->digest, s->customer, s->inclusive, total, tax, change, entry,
                           b->actor)))
        return rc;
    char ref[48];
    bo__id_name(ref, "sale:", c->id);
    for (int i = 0; i < s->n && !rc; i++) {
        line_plan *p = &c->plans[i];
        if ((rc = bo__store_run(b->store, SQL_LINE_ADD, "iiiiiiiti", c->id, (int64_t)i + 1,
                                p->stock, p->qty, p->tax.net, p->tax.tax, p->cost,
                                p->revenue, p->hold)) ||
            (rc = bo__vcap_row(cap, "inv_sale_lines", "iiiiiiitiiii", c->id,
                               (int64_t)i + 1, p->stock, p->qty, p->tax.net, p->tax.tax,
                               p->cost, p->revenue, p->hold, 0, 0, 0)))
            break;
        for (int k = 0; k < p->tax.n && !rc; k++)
            if (!(rc = bo__store_run(b->store, SQL_TAX_ADD, "iiitti", c->id, (int64_t)i + 1,
                                     (int64_t)k + 1, p->tax.lines[k].rate,
                                     p->tax.lines[k].sales_account, p->tax.lines[k].amount)))
                rc = bo__vcap_row(cap, "inv_sale_taxes", "iiittii", c->id, (int64_t)i + 1,
                                  (int64_t)k + 1, p->tax.lines[k].rate,
                                  p->tax.lines[k].sales_account, p->tax.lines[k].amount, 0);
        int64_t mid;
        if (!rc)
            rc = bo__inv_move_add(b, p->stock, "sale", c->date, -p->qty, -p->cost, NULL,
                                  ref, NULL, NULL, entry, &mid);
        if (!rc && p->hold)
            rc = bo__store_run(b->store, SQL_HOLD_SALE, "ii", c->id, p->hold);
    }
    for (int i = 0; i < s->npay && !rc; i++)
        if (!(rc = bo__store_run(b->store, SQL_PAY_ADD, "iiti", c->id, (int64_t)i + 1,
                                 s->pay[i].method, s->pay[i].amount)))
            rc = bo__vcap_row(cap, "inv_sale_payments", "iiti", c->id, (int64_t)i + 1,
                              s->pay[i].method, s->pay[i].amount);
    return rc ? rc : bo__pricing_write(b, c->id, c->pricing, s->n, cap);
}

/* The sale's tax lines for the tax report (commerce.h), per rate and
 * account over its lines. */
static int sale_tax_lines(bo_book *b, const struct post_ctx *c, int64_t entry)
{
    bo__tax_lines t = BO__TAX_LINES_INIT;
    int rc = 0;
    for (int i = 0; i < c->s->n && !rc; i++)
        for (int k = 0; k < c->plans[i].tax.n && !rc; k++) {
            const bo__tax_line *l = &c->plans[i].tax.lines[k];
            rc = bo__tax_lines_add(&t, BO__TAX_SALES, l->rate, l->sales_account, l->base,
                                   l->amount, l->amount);
        }
    char source[48];
    bo__id_name(source, "inv.sale:", c->id);
    if (!rc)
        rc = bo__tax_lines_write(b, &t, entry, c->date, source, b->base_currency);
    bo__tax_lines_free(&t);
    return rc;
}

/* What the sale writes besides its lines' plans, read and checked before
 * anything is written. */
typedef struct sale_plan {
    char cogs[BO_CODE_MAX + 1], receivable[BO_CODE_MAX + 1];
    char pay[BO_SALE_PAYMENTS_MAX][BO_CODE_MAX + 1];
    int64_t gross, tax, paid, due, change;
} sale_plan;

/* The payments: their accounts and what they leave due or give back. */
static int plan_payments(bo_book *b, const bo_sale *s, sale_plan *pl)
{
    int64_t cash = 0;
    int rc;
    for (int i = 0; i < s->npay; i++) {
        if ((rc = pay_account(b, s->pay[i].method, i + 1, pl->pay[i])))
            return rc;
        if (bo_money_add(pl->paid, s->pay[i].amount, &pl->paid))
            return bo__error_set(BO_EOVERFLOW, "payment %d: the total paid overflows", i + 1);
        if (!strcmp(s->pay[i].method, "cash"))
            cash += s->pay[i].amount;
    }
    char a[48], t[48];
    if (pl->paid < pl->gross) {
        /* A customer's sale may leave the rest on account: a receivable,
         * invoiced to the customer in the write. Without a customer it must
         * be paid in full. */
        if (!s->customer) {
            bo__amount_str(pl->paid, b->base_currency, a);
            bo__amount_str(pl->gross, b->base_currency, t);
            return bo__error_set(BO_EPAYMENT, "payments: %s paid does not cover the "
                                 "total %s (a sale with a customer may leave the rest "
                                 "on account)", a, t);
        }
        if ((rc = bo__bill_sale_account(b, s->customer, pl->receivable)))
            return rc;
        pl->due = pl->gross - pl->paid;
    }
    pl->change = pl->paid > pl->gross ? pl->paid - pl->gross : 0;
    if (pl->change > cash) {
        bo__amount_str(pl->change, b->base_currency, a);
        return bo__error_set(BO_EPAYMENT, "payments: exceed the total by %s, more "
                             "than the cash paid to give change from", a);
    }
    return 0;
}

/* Is the stock there? Line by line as the write issues it: a line without a
 * hold takes from what is available after the lines before it at the same
 * row (a held line takes what its hold reserved, leaving the available as it
 * was). Reads only. */
static int plan_stock(bo_book *b, struct post_ctx *c)
{
    int rc;
    for (int i = 0; i < c->s->n; i++) {
        const line_plan *p = &c->plans[i];
        if (p->hold)
            continue;
        bo__inv_stock st;
        if ((rc = bo__inv_stock_get(b, p->it.id, p->l.id, 0, &st)))
            return rc;
        /* A row without holds reads as the write finds it (nothing to
         * sweep): sale_issue takes it from here instead of reading it
         * again, unless a line before changed it. */
        if (st.id && st.reserved <= 0)
            c->plans[i].row = st;
        else if ((rc = bo__inv_stock_peek(b, p->it.id, p->l.id, &st)))
            return rc;
        for (int j = 0; j < i; j++) {
            const line_plan *q = &c->plans[j];
            if (!q->hold && q->it.id == p->it.id && q->l.id == p->l.id &&
                bo_money_sub(st.on_hand, q->qty, &st.on_hand))
                return money_err(BO_EOVERFLOW, "the quantity", i + 1);
        }
        if ((rc = bo__inv_check_out(&p->it, &p->l, &st, p->qty, 0, "qty")))
            return bo__error_prefix("line %d: ", i + 1);
    }
    return 0;
}

/* A sale a terminal priced (src/sync): each line keeps the price, the
 * promotions' discount and the record (unit, list and version, promotions
 * and versions) the terminal gave it; the promotions in force here are not
 * applied again. A line the terminal did not price (active 0) is priced as
 * the sale gives it. Reads only. */
static int given_pricing(bo_book *b, struct post_ctx *c)
{
    const bo_sale *s = c->s;
    int rc;
    for (int i = 0; i < s->n; i++) {
        const bo__price_line *g = &c->given[i];
        bo__price_line *pp = &c->pricing[i];
        if (!g->active || s->lines[i].hold)
            continue;
        if ((rc = bo__inv_item_find(b, "sku", s->lines[i].sku, 1, &pp->it)))
            return bo__error_prefix("line %d: ", i + 1);
        if (bo_money_muldiv(s->lines[i].price, s->lines[i].qty, bo__inv_pow10(pp->it.scale),
                            BO_ROUND_HALF_EVEN, &pp->amount))
            return money_err(BO_EOVERFLOW, "amount", i + 1);
        if (g->promo < 0 || g->promo > pp->amount)
            return bo__error_set(BO_EINVAL, "line %d: promotion_discount: %" PRId64 " is not "
                                 "within the line amount", i + 1, g->promo);
        pp->active = 1;
        pp->stock_qty = s->lines[i].qty;
        pp->qty = g->qty;
        pp->unit_price = g->unit_price;
        pp->promo = g->promo;
        pp->list_version = g->list_version;
        memcpy(pp->unit_name, g->unit_name, sizeof pp->unit_name);
        memcpy(pp->list, g->list, sizeof pp->list);
        pp->unit = g->unit ? pp->unit_name : NULL;
        if (g->rules.len && bo__buf_puts(&pp->rules, g->rules.ptr))
            return BO_ENOMEM;
    }
    return 0;
}

/* Read and check everything the sale needs; *replay when its key names a
 * sale already made (c->id). Writes nothing. */
static int sale_check(bo_book *b, struct post_ctx *c, sale_plan *pl, int *replay)
{
    const bo_sale *s = c->s;
    int state, rc;
    *replay = 0;
    if ((rc = bo__require(b, BO__P_SALES_POST)))
        return rc;
    int64_t kid = 0;
    char kd[BO_HASH_HEX_SIZE] = "";
    /* The key read with the batch's others (bo__inv_sale_keys_claim), or
     * alone. */
    int claimed = s->key ? bo__inv_sale_claimed(b, s->key, &kid, kd, sizeof kd) : -1;
    rc = claimed >= 0
             ? bo__idem_judge("sale", s->key, claimed, kid, kd, c->digest, &c->id, &state)
             : bo__idem_claim(b, SQL_SALE_BY_KEY, "sale", s->key, c->digest, &c->id, &state);
    if (rc)
        return rc;
    if (state == BO__IDEM_REPLAY) {
        *replay = 1;
        return 0;
    }
    if (s->customer) {
        bo__party party;
        if ((rc = bo__party_find(b, s->customer, &party)))
            return bo__error_prefix("customer: ");
        if (!(party.roles & BO_PARTY_CUSTOMER))
            return bo__error_set(BO_EINVAL, "customer: party '%s' is not a customer",
                                 s->customer);
    }
    for (int i = 0; i < s->n; i++) {
        bo__price_line *pp = &c->pricing[i];
        bo__buf_free(&pp->rules);
        memset(pp, 0, sizeof *pp);
        pp->sku = s->lines[i].sku;
        pp->loc = s->lines[i].loc;
        pp->unit = s->lines[i].unit;
        pp->qty = s->lines[i].qty;
        pp->price = s->lines[i].price;
        pp->held = s->lines[i].hold != 0;
    }
    if ((rc = c->given ? given_pricing(b, c)
                       : bo__pricing_plan(b, s->date, s->customer, s->coupon, c->pricing, s->n)))
        return rc;
    for (int i = 0; i < s->n; i++) {
        memset(&c->plans[i], 0, sizeof c->plans[i]);
        if ((rc = plan_line(b, &s->lines[i], &c->pricing[i], i + 1, s->inclusive,
                            &c->plans[i], &pl->gross)))
            return rc;
        pl->tax += c->plans[i].tax.tax;
    }
    if ((rc = plan_payments(b, s, pl)) ||
        (rc = bo__inv_account(b, "account.cogs", pl->cogs)))
        return rc;
    return c->fact ? 0 : plan_stock(b, c);
}

/* Issue the stock (checked by plan_stock). */
static int sale_issue(bo_book *b, struct post_ctx *c)
{
    int rc, revalued = 0;
    bo__inv_left_begin(b);
    for (int i = 0; i < c->s->n; i++) {
        line_plan *p = &c->plans[i];
        bo__inv_stock st;
        int64_t held = p->hold ? p->qty : 0, back = 0, settled;
        int done = 0;
        /* The row plan_stock read is the row now unless a line before
         * wrote it (the same row, or a revaluation that reached others). */
        int kept = p->row.id && !revalued;
        for (int j = 0; j < i && kept; j++)
            kept = c->plans[j].stock != p->row.id;
        if (kept)
            st = p->row;
        /* Dated before later movements (and not from a hold): it takes its
         * place in date order and they are valued again (revalue.c). */
        if ((!kept && (rc = bo__inv_stock_get(b, p->it.id, p->l.id, 1, &st))) ||
            (!held && (rc = bo__inv_backdated(b, &p->it, &p->l, &st, c->date, -p->qty, 0,
                                              "a sale", &done, &back, &settled, NULL))) ||
            (!done && (rc = bo__inv_out(b, &p->it, &st, p->qty, held, &p->cost))) ||
            (rc = bo__inv_low_check(b, &st)))
            return rc;
        if (done)
            p->cost = -back;
        revalued |= done;
        p->stock = st.id;
        if (done || held)
            bo__inv_left_lost(b); /* the row as the revaluation or hold left it: read it */
        else
            bo__inv_left_note(b, c->s->lines[i].sku, c->s->lines[i].loc, st.on_hand);
    }
    return 0;
}

/* The entry: payments (less the change, from the cash), the rest on
 * account, then per line revenue, tax, COGS and inventory. */
static void sale_entry(const struct post_ctx *c, const sale_plan *pl, bo__inv_post *e)
{
    const bo_sale *s = c->s;
    int64_t change = pl->change;
    for (int i = 0; i < s->npay; i++) {
        int64_t amt = s->pay[i].amount;
        if (change && !strcmp(s->pay[i].method, "cash")) {
            int64_t give = change < amt ? change : amt;
            amt -= give;
            change -= give;
        }
        bo__inv_post_add(e, pl->pay[i], amt);
    }
    if (pl->due)
        bo__inv_post_add(e, pl->receivable, pl->due);
    for (int i = 0; i < s->n; i++) {
        const line_plan *p = &c->plans[i];
        bo__inv_post_add(e, p->revenue, -p->tax.net);
        for (int k = 0; k < p->tax.n; k++)
            bo__inv_post_add(e, p->tax.lines[k].sales_account, -p->tax.lines[k].amount);
        bo__inv_post_add(e, pl->cogs, p->cost);
        bo__inv_post_add(e, p->inv, -p->cost);
    }
}

/* Issue the stock, post, record the sale, invoice what is left on account. */
static int sale_write(bo_book *b, struct post_ctx *c, const sale_plan *pl)
{
    const bo_sale *s = c->s;
    int rc;
    if ((rc = sale_issue(b, c)))
        return rc;
    bo__inv_post e = { 0 };
    sale_entry(c, pl, &e);
    int64_t entry;
    /* One audit record for the sale and its entry: the entry's form rides
     * in the sale's record (bo__ledger_hold_record). */
    bo__buf extra = BO__BUF_INIT;
    bo__ledger_hold_record(b);
    rc = bo__inv_post_commit(b, &e, c->date, s->memo[0] ? s->memo : "sale", &entry);
    int hrc = bo__ledger_held_record(b, &extra); /* ends the hold either way */
    if (!rc)
        rc = hrc;
    if (rc) {
        bo__buf_free(&extra);
        return rc;
    }
    if ((rc = write_rows(b, c, entry, pl->gross, pl->tax, pl->change)) ||
        (rc = sale_tax_lines(b, c, entry))) {
        bo__buf_free(&extra);
        return rc;
    }
    if (pl->due) {
        int64_t invoice;
        if ((rc = bo__store_run(b->store, SQL_PAY_ADD, "iiti", c->id, (int64_t)s->npay + 1,
                                "account", pl->due)) ||
            (rc = bo__vcap_row(&c->cap, "inv_sale_payments", "iiti", c->id,
                               (int64_t)s->npay + 1, "account", pl->due)) ||
            (rc = bo__bill_sale_invoice(b, s->customer, s->date, pl->due, pl->receivable,
                                        c->plans[0].revenue, c->id, entry, &invoice))) {
            bo__buf_free(&extra);
            return rc;
        }
    }
    /* The sale's own record, beside its entry's: its detail is the sale's
     * canonical form (each line's price and discount, the payments), which
     * the sale's rows do not keep and the reports read (src/reports), and
     * its time is the sale's moment. The digest was computed once, before
     * the transaction. Its extra holds the entry's id and canonical form
     * where the entry wrote no record of its own. */
    char object[48];
    bo__id_name(object, "sale:", c->id);
    rc = bo__audit_append_extra(b, "inventory.sale.post", object, c->text, c->digest,
                                extra.len ? extra.ptr : NULL);
    bo__buf_free(&extra);
    if (!rc) /* after the record's touch of the sale, which it replaces */
        rc = bo__vcap_end(b, &c->cap);
    if (!rc && !c->fact && bo__inv_sale_hook) /* a terminal's outbox (src/sync) */
        rc = bo__inv_sale_hook(b, s, c->id, pl->gross, c->digest);
    return rc;
}

static int post_tx(bo_book *b, void *ctx)
{
    sale_plan pl;
    memset(&pl, 0, sizeof pl);
    int replay;
    int rc = sale_check(b, ctx, &pl, &replay);
    if (!rc && !replay)
        rc = sale_write(b, ctx, &pl);
    return rc;
}

/* A sale below its prices may wait for approval (bo__write_gated). */
static int sale_gate(bo_book *b, void *ctx)
{
    struct post_ctx *c = ctx;
    return bo__inv_sale_approval(b, c->s->key, c->s->n, c->s->npay, c->canon);
}

bo__inv_sale_hook_fn bo__inv_sale_hook;

static int sale_post(bo_book *b, const bo_sale *s, int fact, const bo__price_line *given,
                     int64_t *id)
{
    int rc = bo__idem_require("a sale", s->key);
    if (rc)
        return rc;
    if (s->n == 0)
        return bo__error_set(BO_EINVAL, "sale: has no lines");
    bo__buf d = BO__BUF_INIT;
    struct post_ctx c = { s, 0, "", "", NULL, NULL, fact, NULL, given, &d, { 0 } };
    bo__date_iso(s->date, c.date);
    rc = canonical(s, &d, c.digest);
    if (!rc && (!(c.plans = bo__calloc((size_t)s->n, sizeof *c.plans)) ||
                !(c.pricing = bo__calloc((size_t)s->n, sizeof *c.pricing))))
        rc = BO_ENOMEM;
    if (rc) {
        bo__free(c.plans);
        bo__pricing_free(c.pricing, s->n);
        bo__buf_free(&d);
        return rc;
    }
    c.text = d.ptr;
    rc = bo__write_gated(b, "inventory.sale.discount", 0, post_tx, sale_gate, &c);
    bo__free(c.plans);
    bo__pricing_free(c.pricing, s->n);
    bo__buf_free(&d);
    if (!rc && id)
        *id = c.id;
    return rc;
}

int bo_inventory_sale_post(bo_book *b, const bo_sale *s, int64_t *id)
{
    bo__error_clear();
    if (!b || !s)
        return bo__error_set(BO_EINVAL, "book/sale: NULL");
    return sale_post(b, s, 0, NULL, id);
}

int bo__inv_sale_post_fact(bo_book *b, const bo_sale *s, int64_t *id)
{
    return sale_post(b, s, 1, NULL, id);
}

int bo__inv_sale_post_priced(bo_book *b, const bo_sale *s, const bo__price_line *given,
                             int64_t *id)
{
    return sale_post(b, s, 1, given, id);
}

int bo__inv_sale_encode(const bo_sale *s, bo__buf *out)
{
    char d[11];
    bo__date_iso(s->date, d);
    bo__buf_field(out, "sale");
    bo__buf_field(out, d);
    bo__buf_field(out, s->memo);
    bo__buf_field(out, s->key);
    bo__buf_field(out, s->customer);
    bo__buf_field_int(out, s->inclusive);
    bo__buf_field_int(out, s->n);
    for (int i = 0; i < s->n; i++) {
        const sale_line *l = &s->lines[i];
        bo__buf_field(out, l->sku);
        bo__buf_field(out, l->loc);
        bo__buf_field_int(out, l->qty);
        bo__buf_field_int(out, l->price);
        bo__buf_field_int(out, l->discount);
        bo__buf_field_int(out, l->hold);
    }
    bo__buf_field_int(out, s->npay);
    for (int i = 0; i < s->npay; i++) {
        bo__buf_field(out, s->pay[i].method);
        bo__buf_field_int(out, s->pay[i].amount);
    }
    return out->failed ? BO_ENOMEM : 0;
}

static const char SQL_SALE_EXISTS[] = "SELECT 1 FROM inv_sales WHERE id = ?";
static const char SQL_SALE_LINES[] =
    "SELECT sl.line, i.sku, l.code, sl.qty, sl.net, sl.tax, sl.net + sl.tax, sl.cost,"
    " sl.ret_qty, sa.entry_id, i.scale, sp.unit, sp.unit_qty, sp.unit_price, sp.price_list,"
    " sp.price_list_version, sp.discount, sp.promotions"
    " FROM inv_sale_lines sl JOIN inv_sales sa ON sa.id = sl.sale_id"
    " LEFT JOIN inv_sale_pricing sp ON sp.sale_id = sl.sale_id AND sp.line = sl.line"
    " JOIN inv_stock s ON s.id = sl.stock_id JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id WHERE sl.sale_id = ? ORDER BY sl.line";
static const bo__col line_cols[] = {
    { "line", BO_TYPE_INT }, { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "qty", BO_TYPE_INT }, { "net", BO_TYPE_INT }, { "tax", BO_TYPE_INT },
    { "gross", BO_TYPE_INT }, { "cost", BO_TYPE_INT }, { "returned", BO_TYPE_INT },
    { "entry", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
    /* what priced the line, when units, lists or promotions did (pricing.h) */
    { "unit", BO_TYPE_TEXT }, { "unit_qty", BO_TYPE_INT }, { "unit_price", BO_TYPE_INT },
    { "price_list", BO_TYPE_TEXT }, { "price_list_version", BO_TYPE_INT },
    { "promotion_discount", BO_TYPE_INT }, { "promotions", BO_TYPE_TEXT },
};

int bo__inv_sale_exists(bo_book *b, int64_t id)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_SALE_EXISTS, &found, "i", id);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "sale %" PRId64 " not found", id);
    return rc;
}

int bo_inventory_sale_lines(bo_book *b, int64_t sale_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    static const bo__parent sale = { SQL_SALE_EXISTS, "sale", " not found" };
    return bo__listing(b, BO__P_INVENTORY_READ, &sale, SQL_SALE_LINES, line_cols, 18, out,
                       "i", sale_id);
}
