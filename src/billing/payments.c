/*
 * Payments received and made: allocations to one or many documents,
 * partial payments, over-payment kept as the party's credit, write-offs of
 * small differences, and the realized gain or loss when a foreign document
 * is settled at another rate than it was posted at. One entry per payment.
 */
#include "billing/billing.h"
#include "core/approval.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct pay_alloc {
    int64_t invoice, amount, write_off;
} pay_alloc;

struct bo_payment {
    int kind;
    char party[BO_CODE_MAX + 1];
    bo_date date;
    int64_t amount;
    char currency[BO_CURRENCY_MAX + 1];
    char account[BO_CODE_MAX + 1];
    char *key, *memo, *reference;
    pay_alloc *allocs;
    int n, cap;
    int64_t rate_num, rate_den; /* 0: the book's rate of the date */
};

int bo_payment_options_init(bo_payment_options *opts, unsigned int version)
{
    static const bo_payment_options defaults = BO_PAYMENT_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_PAYMENT_OPTIONS_VERSION, &defaults,
                         sizeof defaults);
}

int bo_payment_new(bo_payment **out, const bo_payment_options *o)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    int rc, exp;
    if ((rc = bo__opts_check(o, BO_PAYMENT_OPTIONS_VERSION)))
        return rc;
    int kind = o->kind;
    const char *party = o->party, *currency = o->currency, *account = o->account;
    bo_date date = o->date;
    int64_t amount = o->amount;
    if (kind != BO_PAYMENT_RECEIVED && kind != BO_PAYMENT_MADE)
        return bo__error_set(BO_EINVAL, "kind: %d is not a payment kind", kind);
    if ((rc = bo__text_check("party", party, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("account", account, BO_CODE_MAX, false, false)) ||
        (rc = bo__bill_date_ok("date", date)))
        return rc;
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "amount: must be positive");
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    bo_payment *p = bo__calloc(1, sizeof *p);
    if (!p)
        return BO_ENOMEM;
    p->kind = kind;
    strcpy(p->party, party);
    strcpy(p->account, account);
    p->date = date;
    p->amount = amount;
    if (currency)
        strcpy(p->currency, currency);
    *out = p;
    return 0;
}

static int payment_set(bo_payment *p, const char *field, const char *value)
{
    bo__error_clear();
    if (!p || !field)
        return bo__error_set(BO_EINVAL, "payment/field: NULL");
    char **slot = !strcmp(field, "key") ? &p->key : !strcmp(field, "memo") ? &p->memo
                : !strcmp(field, "reference") ? &p->reference : NULL;
    if (!slot)
        return bo__error_set(BO_EINVAL, "field: unknown payment field");
    return bo__text_set(slot, field, value, BO_TEXT_MAX);
}

int bo__payment_set_rate(bo_payment *p, int64_t num, int64_t den)
{
    if (!p || num <= 0 || den <= 0)
        return bo__error_set(BO_EINVAL, "rate: not a positive fraction");
    p->rate_num = num;
    p->rate_den = den;
    return 0;
}

int bo_payment_set_key(bo_payment *p, const char *key)
{
    return payment_set(p, "key", key);
}

int bo_payment_set_memo(bo_payment *p, const char *memo)
{
    return payment_set(p, "memo", memo);
}

int bo_payment_set_reference(bo_payment *p, const char *reference)
{
    return payment_set(p, "reference", reference);
}

int bo_payment_allocate(bo_payment *p, int64_t invoice, int64_t amount,
                        int64_t write_off)
{
    bo__error_clear();
    if (!p)
        return bo__error_set(BO_EINVAL, "payment: NULL");
    int n = p->n + 1;
    if (invoice < 1)
        return bo__error_set(BO_EINVAL, "allocation %d: invoice: not an id", n);
    if (amount < 0 || write_off < 0 || (amount == 0 && write_off == 0))
        return bo__error_set(BO_EINVAL, "allocation %d: amount and write_off must "
                             "be >= 0 and not both 0", n);
    for (int i = 0; i < p->n; i++)
        if (p->allocs[i].invoice == invoice)
            return bo__error_set(BO_EINVAL, "allocation %d: document %" PRId64
                                 " is already allocated in this payment", n, invoice);
    if (p->n >= BO_BILLING_ALLOC_MAX)
        return bo__error_set(BO_ELIMIT, "allocation %d: at most %d", n, BO_BILLING_ALLOC_MAX);
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 4;
        pay_alloc *a = bo__realloc(p->allocs, (size_t)cap * sizeof *a);
        if (!a)
            return BO_ENOMEM;
        p->allocs = a;
        p->cap = cap;
    }
    p->allocs[p->n++] = (pay_alloc){ invoice, amount, write_off };
    return 0;
}

void bo_payment_free(bo_payment *p)
{
    if (!p)
        return;
    bo__free(p->allocs);
    bo__free(p->key);
    bo__free(p->memo);
    bo__free(p->reference);
    bo__free(p);
}

/* ---- posting -------------------------------------------------------------- */

static const char SQL_BY_KEY[] = "SELECT id, digest FROM bill_payments WHERE idem_key = ?";
static const char SQL_INSERT[] =
    "INSERT INTO bill_payments (kind, party, date, amount, currency, account,"
    " rate_num, rate_den, base_amount, entry_id, reference, memo, idem_key, digest)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";

typedef struct alloc_plan {
    bo__bill_doc doc;
    int64_t base; /* carried value taken off the document */
} alloc_plan;

struct pay_ctx {
    const bo_payment *p;
    alloc_plan *plans;
    int64_t id;
};

static int digest_of(const bo_payment *p, const char *cur, char out[65])
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, p->kind);
    bo__buf_field(&d, p->party);
    bo__buf_field_int(&d, p->date);
    bo__buf_field_int(&d, p->amount);
    bo__buf_field(&d, cur);
    bo__buf_field(&d, p->account);
    bo__buf_field(&d, p->memo);
    bo__buf_field(&d, p->reference);
    if (p->rate_den) { /* a rate given (an import's) */
        bo__buf_field_int(&d, p->rate_num);
        bo__buf_field_int(&d, p->rate_den);
    }
    for (int i = 0; i < p->n; i++) {
        bo__buf_field_int(&d, p->allocs[i].invoice);
        bo__buf_field_int(&d, p->allocs[i].amount);
        bo__buf_field_int(&d, p->allocs[i].write_off);
    }
    return bo__buf_digest(&d, out);
}

/* Post the realized difference: a credit is a gain, a debit a loss. */
static int add_fx(bo_book *b, bo_entry *e, int64_t amount)
{
    if (amount == 0)
        return 0;
    char acct[BO_CODE_MAX + 1];
    int rc = bo__bill_setting_account(b, amount < 0 ? "fx_gain_account"
                                                    : "fx_loss_account", acct);
    return rc ? rc : bo_entry_add(e, acct, amount, b->base_currency, "exchange difference");
}

/* What a payment writes, read and checked before anything is written. */
typedef struct pay_plan {
    bo__party party;
    const char *cur;
    char digest[65], date[11];
    int d; /* 1 received, -1 made */
    int64_t num, den, pay_base;
    int64_t limit; /* the write-off limit, in the book currency */
    char limit_text[64], wo_acct[BO_CODE_MAX + 1];
    int64_t allocated, carried; /* so far, over the allocations */
    bo_entry *e;                /* the entry to post */
} pay_plan;

/* Check allocation a against its document; add its lines to the entry. */
static int plan_alloc(bo_book *b, const bo_payment *p, const pay_alloc *a, alloc_plan *ap,
                      pay_plan *pl)
{
    const char *cur = pl->cur;
    int d = pl->d, rc;
    int64_t settle, wo_base = 0;
    if ((rc = bo__bill_doc_load(b, a->invoice, &ap->doc)))
        return rc;
    const bo__bill_doc *doc = &ap->doc;
    if (doc->status != BO__BILL_POSTED || strcmp(doc->party, p->party) ||
        strcmp(doc->currency, cur) || bo__bill_party_sign(doc->kind) != d)
        return bo__error_set(BO_EPAYMENT, "document %" PRId64 " is not an open "
                             "posted %s document of this party in %s", a->invoice,
                             d > 0 ? "receivable" : "payable", cur);
    if (strcmp(doc->post_date, pl->date) > 0)
        /* Money cannot settle a document before it existed. */
        return bo__error_set(BO_EDATE, "date: %s is before document %" PRId64
                             " was posted (%s)", pl->date, a->invoice, doc->post_date);
    if (bo_money_add(a->amount, a->write_off, &settle) || settle > doc->open)
        return bo__error_set(BO_EPAYMENT, "amount: more than the %" PRId64
                             " due on document %" PRId64, doc->open, a->invoice);
    if ((rc = bo__bill_carried(doc, settle, &ap->base)))
        return rc;
    if (a->write_off) {
        if (!pl->wo_acct[0] &&
            (rc = bo__bill_setting_account(b, "write_off_account", pl->wo_acct)))
            return rc;
        if (bo_money_muldiv(a->write_off, ap->base, settle, BO_ROUND_HALF_EVEN, &wo_base))
            return bo__error_set(BO_EOVERFLOW, "write_off: overflows");
        if (wo_base > pl->limit)
            return bo__error_set(BO_EPAYMENT, "write_off: more than the limit %s "
                                 "(settings: write_off_limit)",
                                 pl->limit_text[0] ? pl->limit_text : "0");
        if ((rc = bo__bill_add(b, pl->e, pl->wo_acct, d * a->write_off, cur, d * wo_base,
                               "write-off")))
            return rc;
    }
    if ((rc = bo__bill_add(b, pl->e, doc->account, -d * settle, cur, -d * ap->base, NULL)))
        return rc;
    if (bo_money_add(pl->allocated, a->amount, &pl->allocated) ||
        bo_money_add(pl->carried, ap->base - wo_base, &pl->carried))
        return bo__error_set(BO_EOVERFLOW, "allocations: overflow");
    return 0;
}

/* Over-payment: the party's credit, on its account; *un_base its value. */
static int plan_unapplied(bo_book *b, const bo_payment *p, pay_plan *pl, int64_t *un_base)
{
    int d = pl->d, rc;
    int64_t unapplied = p->amount - pl->allocated;
    *un_base = 0;
    if (!unapplied)
        return 0;
    char acct[BO_CODE_MAX + 1];
    const char *pa = d > 0 ? pl->party.receivable_account : pl->party.payable_account;
    if (!(pl->party.roles & (d > 0 ? BO_PARTY_CUSTOMER : BO_PARTY_VENDOR)))
        return bo__error_set(BO_EINVAL, "party '%s': not a %s", p->party,
                             d > 0 ? "customer" : "vendor");
    if (pa[0])
        snprintf(acct, sizeof acct, "%s", pa);
    else if ((rc = bo__bill_setting_account(b, d > 0 ? "receivable_account"
                                                     : "payable_account", acct)))
        return rc;
    if (unapplied == p->amount)
        *un_base = pl->pay_base;
    else if ((rc = bo__bill_to_base(b, unapplied, pl->cur, pl->num, pl->den, un_base)))
        return rc;
    return bo__bill_add(b, pl->e, acct, -d * unapplied, pl->cur, -d * *un_base, "unapplied");
}

/* Read and check everything the payment needs and build its entry; *replay
 * when its key names a payment already made (c->id). Writes nothing. */
static int pay_check(bo_book *b, struct pay_ctx *c, pay_plan *pl, int *replay)
{
    const bo_payment *p = c->p;
    int rc;
    *replay = 0;
    if ((rc = bo__party_find(b, p->party, &pl->party)))
        return bo__error_prefix("party: ");
    pl->cur = p->currency[0] ? p->currency
            : pl->party.currency[0] ? pl->party.currency : b->base_currency;
    if ((rc = digest_of(p, pl->cur, pl->digest)))
        return rc;
    int state;
    if ((rc = bo__idem_claim(b, SQL_BY_KEY, "payment", p->key, pl->digest, &c->id, &state)))
        return rc;
    if (state == BO__IDEM_REPLAY) {
        *replay = 1;
        return 0;
    }
    pl->d = p->kind == BO_PAYMENT_RECEIVED ? 1 : -1;
    bo__date_iso(p->date, pl->date);
    pl->num = p->rate_num;
    pl->den = p->rate_den;
    if ((rc = bo__ledger_period_covers(b, "date", pl->date)) ||
        ((!p->rate_den || !strcmp(pl->cur, b->base_currency)) &&
         (rc = bo__bill_rate(b, pl->cur, pl->date, &pl->num, &pl->den))) ||
        (rc = bo__bill_to_base(b, p->amount, pl->cur, pl->num, pl->den, &pl->pay_base)))
        return rc;
    if ((rc = bo__bill_setting(b, "write_off_limit", pl->limit_text,
                               sizeof pl->limit_text)) < 0)
        return rc;
    if (rc == 1 && bo_money_parse(pl->limit_text, b->base_currency, &pl->limit))
        return bo__error_prefix("settings: write_off_limit: ");

    char memo[128];
    snprintf(memo, sizeof memo, "payment %s %s", pl->d > 0 ? "from" : "to", p->party);
    /* At a given rate (an import's) the payment is worth what it settles
     * is carried at, and its unapplied part at the rate: its source moved
     * the currency alone, with no exchange difference. */
    int carried = p->rate_den && strcmp(pl->cur, b->base_currency);
    if ((rc = bo_entry_new(&pl->e, p->date, memo)) ||
        (!carried && (rc = bo__bill_add(b, pl->e, p->account, pl->d * p->amount, pl->cur,
                                        pl->d * pl->pay_base, NULL))))
        return rc;
    for (int i = 0; i < p->n; i++)
        if ((rc = plan_alloc(b, p, &p->allocs[i], &c->plans[i], pl))) {
            bo__error_prefix("allocation %d: ", i + 1);
            return rc;
        }
    if (pl->allocated > p->amount)
        return bo__error_set(BO_EPAYMENT, "allocations: %" PRId64 " allocated, more "
                             "than the payment's %" PRId64, pl->allocated, p->amount);
    int64_t un_base;
    if ((rc = plan_unapplied(b, p, pl, &un_base)))
        return rc;
    if (carried) {
        if (bo_money_add(pl->carried, un_base, &pl->pay_base))
            return bo__error_set(BO_EOVERFLOW, "payment: book-currency value overflows");
        if ((rc = bo__bill_add(b, pl->e, p->account, pl->d * p->amount, pl->cur,
                               pl->d * pl->pay_base, NULL)))
            return rc;
    }
    return add_fx(b, pl->e, -pl->d * (pl->pay_base - pl->carried - un_base));
}

/* Post the planned entry, record the payment and its allocations, audit. */
static int pay_write(bo_book *b, struct pay_ctx *c, const pay_plan *pl)
{
    const bo_payment *p = c->p;
    int64_t entry;
    int rc = bo__ledger_post(b, pl->e, 0, BO__POST_TRUSTED, &entry);
    if (rc || (rc = bo__store_insert(b->store, SQL_INSERT, NULL, &c->id, "ittittiiiitttt",
                                     p->kind, p->party, pl->date, p->amount, pl->cur,
                                     p->account, pl->num, pl->den, pl->pay_base, entry,
                                     p->reference, p->memo ? p->memo : "", p->key,
                                     pl->digest)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ECONFLICT, "key: taken by another writer");
    for (int i = 0; i < p->n && !rc; i++)
        rc = bo__bill_alloc_insert(b, p->allocs[i].invoice, c->id, 0, pl->date,
                                   p->allocs[i].amount, p->allocs[i].write_off,
                                   c->plans[i].base, entry);
    if (rc)
        return rc;
    char object[32];
    snprintf(object, sizeof object, "payment:%" PRId64, c->id);
    return bo__audit_append(b, "billing.payment.post", object, pl->digest);
}

static int pay_tx(bo_book *b, void *ctx)
{
    pay_plan pl = { .e = NULL };
    int replay;
    int rc = pay_check(b, ctx, &pl, &replay);
    if (!rc && !replay)
        rc = pay_write(b, ctx, &pl);
    bo_entry_free(pl.e);
    return rc;
}

int bo_billing_payment_post(bo_book *book, const bo_payment *payment, int64_t *id)
{
    bo__error_clear();
    if (!book || !payment)
        return bo__error_set(BO_EINVAL, "book/payment: NULL");
    int rc = bo__require(book, BO__P_BILLING_POST);
    if (rc)
        return rc;
    if ((rc = bo__idem_require("a payment", payment->key)) ||
        (rc = bo__bill_payment_approval(book, payment)))
        return rc;
    struct pay_ctx c = { payment, NULL, 0 };
    if (!(c.plans = bo__calloc((size_t)payment->n + 1, sizeof *c.plans)))
        return BO_ENOMEM;
    rc = bo__write(book, pay_tx, &c);
    bo__free(c.plans);
    if (!rc && id)
        *id = c.id;
    return rc;
}

/* ---- credit applied later -------------------------------------------------- */

/* A payment, what is allocated from it, and how much of that is credit
 * applied later (allocations not made by the payment's own entry). */
static const char SQL_PAYMENT[] =
    "SELECT p.kind, p.party, p.currency, p.amount, p.rate_num, p.rate_den,"
    " COALESCE((SELECT SUM(a.amount) FROM bill_allocations a WHERE a.payment_id = p.id), 0),"
    " COALESCE((SELECT SUM(a.amount) FROM bill_allocations a WHERE a.payment_id = p.id"
    "  AND (a.entry_id IS NULL OR a.entry_id <> p.entry_id)), 0), p.date"
    " FROM bill_payments p WHERE p.id = ?";

struct apply_ctx {
    int64_t payment, invoice, amount;
    bo_date date;
};

/* What applying a credit writes, read and checked first. */
typedef struct apply_plan {
    char party[BO_CODE_MAX + 1], cur[BO_CURRENCY_MAX + 1], paid_on[11], date[11];
    int kind, d;
    int64_t amount, num, den, used, applied;
    bo__bill_doc doc;
    int64_t carried, credit_base; /* the piece's value on the document, in the credit */
} apply_plan;

static int read_payment(bo__stmt *s, void *arg)
{
    apply_plan *pl = arg;
    pl->kind = (int)bo__stmt_col_int(s, 0);
    snprintf(pl->party, sizeof pl->party, "%s", bo__stmt_col_text(s, 1));
    snprintf(pl->cur, sizeof pl->cur, "%s", bo__stmt_col_text(s, 2));
    pl->amount = bo__stmt_col_int(s, 3);
    pl->num = bo__stmt_col_int(s, 4);
    pl->den = bo__stmt_col_int(s, 5);
    pl->used = bo__stmt_col_int(s, 6);
    pl->applied = bo__stmt_col_int(s, 7);
    snprintf(pl->paid_on, sizeof pl->paid_on, "%s", bo__stmt_col_text(s, 8));
    return 0;
}

/* Read the payment and the document, check the piece, value it. */
static int apply_check(bo_book *b, const struct apply_ctx *c, apply_plan *pl)
{
    int found;
    int rc = bo__store_row_read(b->store, SQL_PAYMENT, read_payment, pl, &found, "i",
                                c->payment);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "payment %" PRId64 ": not found", c->payment);
    pl->d = pl->kind == BO_PAYMENT_RECEIVED ? 1 : -1;
    if (c->amount > pl->amount - pl->used)
        return bo__error_set(BO_EPAYMENT, "amount: more than the payment's unapplied "
                             "%" PRId64, pl->amount - pl->used);
    const bo__bill_doc *doc = &pl->doc;
    if ((rc = bo__bill_doc_load(b, c->invoice, &pl->doc)))
        return rc;
    if (doc->status != BO__BILL_POSTED || strcmp(doc->party, pl->party) ||
        strcmp(doc->currency, pl->cur) || bo__bill_party_sign(doc->kind) != pl->d)
        return bo__error_set(BO_EPAYMENT, "document %" PRId64 " is not a posted "
                             "document of the payment's party and currency", c->invoice);
    if (c->amount > doc->open)
        return bo__error_set(BO_EPAYMENT, "amount: more than the %" PRId64 " due on "
                             "document %" PRId64, doc->open, c->invoice);
    bo__date_iso(c->date, pl->date);
    /* The credit exists from the payment's date, the debt from the
     * document's posting: an application dated before either would change
     * what aging and statements said for days already past. */
    if (strcmp(pl->date, pl->paid_on) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before payment %" PRId64 "'s date %s",
                             pl->date, c->payment, pl->paid_on);
    if (strcmp(pl->date, doc->post_date) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before document %" PRId64 " was "
                             "posted (%s)", pl->date, c->invoice, doc->post_date);
    if ((rc = bo__ledger_period_covers(b, "date", pl->date)))
        return rc;
    const char *closed;
    if ((rc = bo__ledger_period_closed(b, pl->date, &closed)))
        return rc;
    if (closed)
        return bo__error_set(BO_EPERIOD, "date: %s lies in closed period '%s'", pl->date,
                             closed);
    /* The credit's book-currency value is taken cumulatively: the credit
     * applied so far, with this piece, at the payment's rate, less its value
     * without it. So the pieces add up to the value the payment credited
     * the party with, to the minor unit, when the whole credit is used. */
    int64_t before, after, total;
    if (bo_money_add(pl->applied, c->amount, &total))
        return bo__error_set(BO_EOVERFLOW, "amount: overflows");
    if ((rc = bo__bill_carried(doc, c->amount, &pl->carried)) ||
        (rc = bo__bill_to_base(b, pl->applied, pl->cur, pl->num, pl->den, &before)) ||
        (rc = bo__bill_to_base(b, total, pl->cur, pl->num, pl->den, &after)))
        return rc;
    if (bo_money_sub(after, before, &pl->credit_base))
        return bo__error_set(BO_EOVERFLOW, "amount: book-currency value overflows");
    return 0;
}

/* Post the realized difference (if any), record the allocation, audit. */
static int apply_write(bo_book *b, const struct apply_ctx *c, const apply_plan *pl)
{
    int d = pl->d, rc;
    int64_t entry = 0;
    if (pl->carried != pl->credit_base) {
        /* The credit was taken at the payment's rate, the document carries
         * its own: the difference is realized now. */
        bo_entry *e = NULL;
        if (!(rc = bo_entry_new(&e, c->date, "credit applied")) &&
            !(rc = bo__bill_add(b, e, pl->doc.account, d * c->amount, pl->cur,
                                d * pl->credit_base, NULL)) &&
            !(rc = bo__bill_add(b, e, pl->doc.account, -d * c->amount, pl->cur,
                                -d * pl->carried, NULL)) &&
            !(rc = add_fx(b, e, -d * (pl->credit_base - pl->carried))))
            rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, &entry);
        bo_entry_free(e);
        if (rc)
            return rc;
    }
    if ((rc = bo__bill_alloc_insert(b, c->invoice, c->payment, 0, pl->date, c->amount, 0,
                                    pl->carried, entry)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "payment:%" PRId64, c->payment);
    return bo__audit_append(b, "billing.credit.apply", object, pl->date);
}

static int apply_tx(bo_book *b, void *ctx)
{
    apply_plan pl = { .num = 1, .den = 1 };
    int rc = apply_check(b, ctx, &pl);
    return rc ? rc : apply_write(b, ctx, &pl);
}

int bo__bill_apply_ok(bo_book *book, int64_t amount, bo_date date)
{
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) || (rc = bo__bill_date_ok("date", date)))
        return rc;
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "amount: must be positive");
    return 0;
}

int bo_billing_credit_apply(bo_book *book, int64_t payment, int64_t invoice,
                         int64_t amount, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__bill_apply_ok(book, amount, date);
    if (rc)
        return rc;
    struct apply_ctx c = { payment, invoice, amount, date };
    return bo__write(book, apply_tx, &c);
}

static const char SQL_PAYMENTS[] =
    "SELECT p.id, CASE p.kind WHEN 1 THEN 'received' ELSE 'made' END, p.party, p.date,"
    " p.amount, p.currency, p.account,"
    " COALESCE((SELECT SUM(a.amount) FROM bill_allocations a WHERE a.payment_id = p.id), 0),"
    " p.amount - COALESCE((SELECT SUM(a.amount) FROM bill_allocations a"
    "   WHERE a.payment_id = p.id), 0), p.entry_id, p.reference"
    " FROM bill_payments p WHERE p.party = COALESCE(?, p.party) ORDER BY p.id";
static const bo__col payment_cols[] = {
    { "id", BO_TYPE_INT }, { "kind", BO_TYPE_TEXT }, { "party", BO_TYPE_TEXT },
    { "date", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT }, { "currency", BO_TYPE_TEXT },
    { "account", BO_TYPE_TEXT }, { "allocated", BO_TYPE_INT },
    { "unapplied", BO_TYPE_INT }, { "entry", BO_TYPE_INT }, { "reference", BO_TYPE_TEXT },
};

int bo_billing_payments(bo_book *book, const char *party, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_BILLING_READ, NULL, SQL_PAYMENTS, payment_cols, 11, out,
                       "t", party);
}

/* ---- approval ---------------------------------------------------------------
 * The gate of a payment ("billing.payment.post", measured by its amount in
 * its currency, its bank account the rule's accounts): its payload holds
 * every field, read back by approval_billing.c. */
int bo__bill_payment_approval(bo_book *b, const bo_payment *p)
{
    int rc = bo__approval_wanted(b, "billing.payment.post");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, p->kind);
    bo__buf_field(&pl, p->party);
    bo__buf_field_int(&pl, p->date);
    bo__buf_field_int(&pl, p->amount);
    bo__buf_field(&pl, p->currency[0] ? p->currency : NULL);
    bo__buf_field(&pl, p->account);
    bo__buf_field(&pl, p->key);
    bo__buf_field(&pl, p->memo);
    bo__buf_field(&pl, p->reference);
    bo__buf_field_int(&pl, p->n);
    for (int i = 0; i < p->n; i++) {
        bo__buf_field_int(&pl, p->allocs[i].invoice);
        bo__buf_field_int(&pl, p->allocs[i].amount);
        bo__buf_field_int(&pl, p->allocs[i].write_off);
    }
    const char *accounts[1] = { p->account };
    bo__approval_ask ask = { "billing.payment.post", BO__P_BILLING_POST, p->key,
                             p->amount, accounts, 1, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}
