/*
 * Payments received and made: allocations to one or many documents,
 * partial payments, over-payment kept as the party's credit, write-offs of
 * small differences, and the realized gain or loss when a foreign document
 * is settled at another rate than it was posted at. One entry per payment.
 */
#include "billing/billing.h"

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
};

int bo_payment_new(bo_payment **out, int kind, const char *party, bo_date date,
                   int64_t amount, const char *currency, const char *account)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    int rc, exp;
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

int bo_payment_set(bo_payment *p, const char *field, const char *value)
{
    bo__error_clear();
    if (!p || !field)
        return bo__error_set(BO_EINVAL, "payment/field: NULL");
    char **slot = !strcmp(field, "key") ? &p->key : !strcmp(field, "memo") ? &p->memo
                : !strcmp(field, "reference") ? &p->reference : NULL;
    if (!slot)
        return bo__error_set(BO_EINVAL, "field: unknown payment field");
    int rc = bo__text_check(field, value, BO_TEXT_MAX, true, false);
    if (rc)
        return rc;
    char *copy = NULL;
    if (value && !(copy = bo__strdup(value)))
        return BO_ENOMEM;
    bo__free(*slot);
    *slot = copy;
    return 0;
}

int bo_payment_set_key(bo_payment *p, const char *key)
{
    return bo_payment_set(p, "key", key);
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
    if (p->n >= BO_BILL_ALLOC_MAX)
        return bo__error_set(BO_ELIMIT, "allocation %d: at most %d", n, BO_BILL_ALLOC_MAX);
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

static int pay_tx(bo_book *b, void *ctx)
{
    struct pay_ctx *c = ctx;
    const bo_payment *p = c->p;
    int rc;
    bo__party party;
    if ((rc = bo__party_find(b, p->party, &party)))
        return bo__error_prefix("party: ");
    const char *cur = p->currency[0] ? p->currency
                    : party.currency[0] ? party.currency : b->base_currency;
    char digest[65];
    if ((rc = digest_of(p, cur, digest)))
        return rc;
    int state;
    if ((rc = bo__idem_claim(b, SQL_BY_KEY, "payment", p->key, digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY)
        return rc;
    int d = p->kind == BO_PAYMENT_RECEIVED ? 1 : -1;
    int need = d > 0 ? BO_PARTY_CUSTOMER : BO_PARTY_VENDOR;
    char date[11];
    bo__date_iso(p->date, date);
    if ((rc = bo__ledger_period_covers(b, "date", date)))
        return rc;
    int64_t num, den, pay_base;
    if ((rc = bo__bill_rate(b, cur, date, &num, &den)) ||
        (rc = bo__bill_to_base(b, p->amount, cur, num, den, &pay_base)))
        return rc;
    char wo_acct[BO_CODE_MAX + 1] = "", limit_text[64];
    int64_t limit = 0;
    if ((rc = bo__bill_setting(b, "write_off_limit", limit_text, sizeof limit_text)) < 0)
        return rc;
    if (rc == 1 && bo_money_parse(limit_text, b->base_currency, &limit))
        return bo__error_prefix("settings: write_off_limit: ");

    bo_entry *e = NULL;
    char memo[128];
    snprintf(memo, sizeof memo, "payment %s %s", d > 0 ? "from" : "to", p->party);
    if ((rc = bo_entry_new(&e, p->date, memo)))
        return rc;
    if ((rc = bo__bill_add(b, e, p->account, d * p->amount, cur, d * pay_base, NULL)))
        goto out;
    int64_t allocated = 0, carried = 0;
    for (int i = 0; i < p->n; i++) {
        const pay_alloc *a = &p->allocs[i];
        alloc_plan *pl = &c->plans[i];
        int64_t settle, wo_base = 0;
        if ((rc = bo__bill_doc_load(b, a->invoice, &pl->doc)))
            goto fail_alloc;
        const bo__bill_doc *doc = &pl->doc;
        if (doc->status != BO__BILL_POSTED || strcmp(doc->party, p->party) ||
            strcmp(doc->currency, cur) || bo__bill_party_sign(doc->kind) != d) {
            rc = bo__error_set(BO_EPAYMENT, "document %" PRId64 " is not an open "
                               "posted %s document of this party in %s", a->invoice,
                               d > 0 ? "receivable" : "payable", cur);
            goto fail_alloc;
        }
        if (strcmp(doc->post_date, date) > 0) {
            /* Money cannot settle a document before it existed. */
            rc = bo__error_set(BO_EDATE, "date: %s is before document %" PRId64
                               " was posted (%s)", date, a->invoice, doc->post_date);
            goto fail_alloc;
        }
        if (bo_money_add(a->amount, a->write_off, &settle) || settle > doc->open) {
            rc = bo__error_set(BO_EPAYMENT, "amount: more than the %" PRId64
                               " due on document %" PRId64, doc->open, a->invoice);
            goto fail_alloc;
        }
        if ((rc = bo__bill_carried(doc, settle, &pl->base)))
            goto fail_alloc;
        if (a->write_off) {
            if (!wo_acct[0] && (rc = bo__bill_setting_account(b, "write_off_account", wo_acct)))
                goto fail_alloc;
            if (bo_money_muldiv(a->write_off, pl->base, settle, BO_ROUND_HALF_EVEN, &wo_base)) {
                rc = bo__error_set(BO_EOVERFLOW, "write_off: overflows");
                goto fail_alloc;
            }
            if (wo_base > limit) {
                rc = bo__error_set(BO_EPAYMENT, "write_off: more than the limit %s "
                                   "(settings: write_off_limit)",
                                   limit_text[0] ? limit_text : "0");
                goto fail_alloc;
            }
            if ((rc = bo__bill_add(b, e, wo_acct, d * a->write_off, cur, d * wo_base,
                                   "write-off")))
                goto fail_alloc;
        }
        if ((rc = bo__bill_add(b, e, doc->account, -d * settle, cur, -d * pl->base, NULL)))
            goto fail_alloc;
        if (bo_money_add(allocated, a->amount, &allocated) ||
            bo_money_add(carried, pl->base - wo_base, &carried)) {
            rc = bo__error_set(BO_EOVERFLOW, "allocations: overflow");
            goto fail_alloc;
        }
        continue;
fail_alloc:
        bo__error_prefix("allocation %d: ", i + 1);
        goto out;
    }
    if (allocated > p->amount) {
        rc = bo__error_set(BO_EPAYMENT, "allocations: %" PRId64 " allocated, more "
                           "than the payment's %" PRId64, allocated, p->amount);
        goto out;
    }
    int64_t unapplied = p->amount - allocated, un_base = 0;
    if (unapplied) {
        /* Over-payment: the party's credit, on its account. */
        char acct[BO_CODE_MAX + 1];
        const char *pa = d > 0 ? party.receivable_account : party.payable_account;
        if (!(party.roles & need)) {
            rc = bo__error_set(BO_EINVAL, "party '%s': not a %s", p->party,
                               d > 0 ? "customer" : "vendor");
            goto out;
        }
        if (pa[0])
            snprintf(acct, sizeof acct, "%s", pa);
        else if ((rc = bo__bill_setting_account(b, d > 0 ? "receivable_account"
                                                         : "payable_account", acct)))
            goto out;
        if (unapplied == p->amount)
            un_base = pay_base;
        else if ((rc = bo__bill_to_base(b, unapplied, cur, num, den, &un_base)))
            goto out;
        if ((rc = bo__bill_add(b, e, acct, -d * unapplied, cur, -d * un_base, "unapplied")))
            goto out;
    }
    if ((rc = add_fx(b, e, -d * (pay_base - carried - un_base))))
        goto out;
    int64_t entry;
    if ((rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, &entry)))
        goto out;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_INSERT, &s)))
        goto out;
    if (!(rc = bo__stmt_int(s, 1, p->kind)) && !(rc = bo__stmt_text(s, 2, p->party)) &&
        !(rc = bo__stmt_text(s, 3, date)) && !(rc = bo__stmt_int(s, 4, p->amount)) &&
        !(rc = bo__stmt_text(s, 5, cur)) && !(rc = bo__stmt_text(s, 6, p->account)) &&
        !(rc = bo__stmt_int(s, 7, num)) && !(rc = bo__stmt_int(s, 8, den)) &&
        !(rc = bo__stmt_int(s, 9, pay_base)) && !(rc = bo__stmt_int(s, 10, entry)) &&
        !(rc = bo__stmt_text(s, 11, p->reference)) &&
        !(rc = bo__stmt_text(s, 12, p->memo ? p->memo : "")) &&
        !(rc = bo__stmt_text(s, 13, p->key)) && !(rc = bo__stmt_text(s, 14, digest))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            c->id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ECONFLICT, "key: taken by another writer");
        }
    }
    bo__stmt_done(s);
    for (int i = 0; i < p->n && !rc; i++)
        rc = bo__bill_alloc_insert(b, p->allocs[i].invoice, c->id, 0, date,
                                   p->allocs[i].amount, p->allocs[i].write_off,
                                   c->plans[i].base, entry);
    if (!rc) {
        char object[32];
        snprintf(object, sizeof object, "payment:%" PRId64, c->id);
        rc = bo__audit_append(b, "billing.payment", object, digest);
    }
out:
    bo_entry_free(e);
    return rc;
}

int bo_bill_payment_post(bo_book *book, const bo_payment *payment, int64_t *id)
{
    bo__error_clear();
    if (!book || !payment)
        return bo__error_set(BO_EINVAL, "book/payment: NULL");
    int rc = bo__require(book, BO__P_BILLING_POST);
    if (rc)
        return rc;
    if ((rc = bo__idem_require("a payment", payment->key)))
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

static int apply_tx(bo_book *b, void *ctx)
{
    struct apply_ctx *c = ctx;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_PAYMENT, &s);
    if (rc)
        return rc;
    int kind = 0;
    char party[BO_CODE_MAX + 1] = "", cur[BO_CURRENCY_MAX + 1] = "", paid_on[11] = "";
    int64_t amount = 0, num = 1, den = 1, used = 0, applied = 0;
    if (!(rc = bo__stmt_int(s, 1, c->payment))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            kind = (int)bo__stmt_col_int(s, 0);
            snprintf(party, sizeof party, "%s", bo__stmt_col_text(s, 1));
            snprintf(cur, sizeof cur, "%s", bo__stmt_col_text(s, 2));
            amount = bo__stmt_col_int(s, 3);
            num = bo__stmt_col_int(s, 4);
            den = bo__stmt_col_int(s, 5);
            used = bo__stmt_col_int(s, 6);
            applied = bo__stmt_col_int(s, 7);
            snprintf(paid_on, sizeof paid_on, "%s", bo__stmt_col_text(s, 8));
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "payment %" PRId64 ": not found", c->payment);
        }
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    int d = kind == BO_PAYMENT_RECEIVED ? 1 : -1;
    if (c->amount > amount - used)
        return bo__error_set(BO_EPAYMENT, "amount: more than the payment's unapplied "
                             "%" PRId64, amount - used);
    bo__bill_doc doc;
    if ((rc = bo__bill_doc_load(b, c->invoice, &doc)))
        return rc;
    if (doc.status != BO__BILL_POSTED || strcmp(doc.party, party) ||
        strcmp(doc.currency, cur) || bo__bill_party_sign(doc.kind) != d)
        return bo__error_set(BO_EPAYMENT, "document %" PRId64 " is not a posted "
                             "document of the payment's party and currency", c->invoice);
    if (c->amount > doc.open)
        return bo__error_set(BO_EPAYMENT, "amount: more than the %" PRId64 " due on "
                             "document %" PRId64, doc.open, c->invoice);
    char iso[11];
    bo__date_iso(c->date, iso);
    /* The credit exists from the payment's date, the debt from the
     * document's posting: an application dated before either would change
     * what aging and statements said for days already past. */
    if (strcmp(iso, paid_on) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before payment %" PRId64 "'s date %s",
                             iso, c->payment, paid_on);
    if (strcmp(iso, doc.post_date) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before document %" PRId64 " was "
                             "posted (%s)", iso, c->invoice, doc.post_date);
    if ((rc = bo__ledger_period_covers(b, "date", iso)))
        return rc;
    const char *closed;
    if ((rc = bo__ledger_period_closed(b, iso, &closed)))
        return rc;
    if (closed)
        return bo__error_set(BO_EPERIOD, "date: %s lies in closed period '%s'", iso, closed);
    /* The credit's book-currency value is taken cumulatively: the credit
     * applied so far, with this piece, at the payment's rate, less its value
     * without it. So the pieces add up to the value the payment credited
     * the party with, to the minor unit, when the whole credit is used. */
    int64_t carried, credit_base, before, after, total, entry = 0;
    if (bo_money_add(applied, c->amount, &total))
        return bo__error_set(BO_EOVERFLOW, "amount: overflows");
    if ((rc = bo__bill_carried(&doc, c->amount, &carried)) ||
        (rc = bo__bill_to_base(b, applied, cur, num, den, &before)) ||
        (rc = bo__bill_to_base(b, total, cur, num, den, &after)))
        return rc;
    if (bo_money_sub(after, before, &credit_base))
        return bo__error_set(BO_EOVERFLOW, "amount: book-currency value overflows");
    if (carried != credit_base) {
        /* The credit was taken at the payment's rate, the document carries
         * its own: the difference is realized now. */
        bo_entry *e = NULL;
        if (!(rc = bo_entry_new(&e, c->date, "credit applied")) &&
            !(rc = bo__bill_add(b, e, doc.account, d * c->amount, cur, d * credit_base, NULL)) &&
            !(rc = bo__bill_add(b, e, doc.account, -d * c->amount, cur, -d * carried, NULL)) &&
            !(rc = add_fx(b, e, -d * (credit_base - carried))))
            rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, &entry);
        bo_entry_free(e);
        if (rc)
            return rc;
    }
    if ((rc = bo__bill_alloc_insert(b, c->invoice, c->payment, 0, iso, c->amount, 0,
                                    carried, entry)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "payment:%" PRId64, c->payment);
    return bo__audit_append(b, "billing.credit_apply", object, iso);
}

int bo_bill_credit_apply(bo_book *book, int64_t payment, int64_t invoice,
                         int64_t amount, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) || (rc = bo__bill_date_ok("date", date)))
        return rc;
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "amount: must be positive");
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

int bo_bill_payments(bo_book *book, const char *party, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__bill_cursor(book, BO__P_BILLING_READ, SQL_PAYMENTS, payment_cols, 11, out);
    if (!rc && (rc = bo__stmt_text(bo__cursor_stmt(*out), 1, party))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}
