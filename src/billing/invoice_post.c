/*
 * Posting and reversing documents: the number is taken and the journal
 * entry posted in one transaction, so a rolled-back post leaves no gap.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A document and what is settled on it so far. */
static const char SQL_DOC[] =
    "SELECT i.kind, i.status, i.party, i.currency, i.account, i.date, i.total,"
    " COALESCE(i.base_total, i.total),"
    " COALESCE((SELECT SUM(a.amount + a.write_off) FROM bill_allocations a"
    "   WHERE a.invoice_id = i.id), 0)"
    " + COALESCE((SELECT SUM(a.amount) FROM bill_allocations a"
    "   WHERE a.credit_id = i.id), 0),"
    " COALESCE((SELECT SUM(a.base) FROM bill_allocations a"
    "   WHERE a.invoice_id = i.id OR a.credit_id = i.id), 0), COALESCE(i.post_date, '')"
    " FROM bill_invoices i WHERE i.id = ?";

int bo__bill_doc_load(bo_book *b, int64_t id, bo__bill_doc *d)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_DOC, &s);
    if (rc)
        return rc;
    memset(d, 0, sizeof *d);
    d->id = id;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            d->kind = (int)bo__stmt_col_int(s, 0);
            d->status = (int)bo__stmt_col_int(s, 1);
            snprintf(d->party, sizeof d->party, "%s", bo__stmt_col_text(s, 2));
            snprintf(d->currency, sizeof d->currency, "%s", bo__stmt_col_text(s, 3));
            snprintf(d->account, sizeof d->account, "%s", bo__stmt_col_text(s, 4));
            snprintf(d->date, sizeof d->date, "%s", bo__stmt_col_text(s, 5));
            d->total = bo__stmt_col_int(s, 6);
            d->base_total = bo__stmt_col_int(s, 7);
            snprintf(d->post_date, sizeof d->post_date, "%s", bo__stmt_col_text(s, 10));
            /* Only a posted document is due: a draft is not yet, a
             * reversed one no longer (its reversal cancelled it). */
            if (d->status == BO__BILL_POSTED) {
                d->open = d->total - bo__stmt_col_int(s, 8);
                d->open_base = d->base_total - bo__stmt_col_int(s, 9);
            }
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
        }
    }
    bo__stmt_done(s);
    return rc;
}

int bo__bill_carried(const bo__bill_doc *d, int64_t amount, int64_t *base)
{
    if (amount == d->open) {
        *base = d->open_base;
        return 0;
    }
    if (bo_money_muldiv(amount, d->open_base, d->open, BO_ROUND_HALF_EVEN, base))
        return bo__error_set(BO_EOVERFLOW, "document %" PRId64 ": carried value "
                             "overflows", d->id);
    return 0;
}

int bo__bill_add(bo_book *b, bo_entry *e, const char *account, int64_t amount,
                 const char *cur, int64_t base, const char *memo)
{
    if (amount == 0 && base == 0)
        return 0;
    bo__ledger_acct a;
    int rc = bo__ledger_account(b, account, &a);
    if (rc)
        return rc;
    if (!strcmp(a.currency, cur)) {
        if (!strcmp(cur, b->base_currency))
            return bo_entry_add(e, account, amount, cur, memo);
        if (amount != 0)
            return bo_entry_add_base(e, account, amount, cur, base, memo);
    } else if (!strcmp(a.currency, b->base_currency)) {
        return base ? bo_entry_add(e, account, base, b->base_currency, memo) : 0;
    }
    return bo__error_set(BO_ECURRENCY, "account '%s': kept in %s, cannot take "
                         "this %s amount", account, a.currency, cur);
}

static const char SQL_ALLOC[] =
    "INSERT INTO bill_allocations (invoice_id, payment_id, credit_id, date, amount,"
    " write_off, base, entry_id) VALUES (?, NULLIF(?, 0), NULLIF(?, 0), ?, ?, ?, ?,"
    " NULLIF(?, 0))";

int bo__bill_alloc_insert(bo_book *b, int64_t invoice, int64_t payment, int64_t credit,
                          const char *date, int64_t amount, int64_t write_off,
                          int64_t base, int64_t entry)
{
    int rc = bo__store_run(b->store, SQL_ALLOC, "iiitiiii", invoice, payment, credit, date,
                           amount, write_off, base, entry);
    /* An allocation is a row of the document it settles. */
    return rc ? rc : bo__audit_touch(b, "invoice", invoice);
}

/* ---- posting -------------------------------------------------------------- */

static const char SQL_DRAFT[] =
    "SELECT kind, status, series, COALESCE(want_number, 0), party, currency,"
    " account, total, COALESCE(credits, 0), COALESCE(entry_id, 0), memo,"
    " COALESCE(post_date, '') FROM bill_invoices WHERE id = ?";
static const char SQL_LINES[] =
    "SELECT account, SUM(net) FROM bill_invoice_lines WHERE invoice_id = ?"
    " GROUP BY account ORDER BY account";
static const char SQL_TAXES[] =
    "SELECT account, SUM(amount) FROM bill_invoice_taxes WHERE invoice_id = ?"
    " GROUP BY account ORDER BY account";
static const char SQL_MARK_POSTED[] =
    "UPDATE bill_invoices SET status = 1, number = ?, post_date = ?, rate_num = ?,"
    " rate_den = ?, base_total = ?, entry_id = ? WHERE id = ?";

typedef struct draft {
    int kind, status;
    char series[BO_CODE_MAX + 1], party[BO_CODE_MAX + 1];
    char currency[BO_CURRENCY_MAX + 1], account[BO_CODE_MAX + 1];
    char memo[256];
    char post_date[11]; /* "" for a draft */
    int64_t want, total, credits, entry;
} draft;

static int draft_load(bo_book *b, int64_t id, draft *d)
{
    int found;
    int rc = bo__store_row(b->store, SQL_DRAFT, &found, "i>iititttiiitt", id, &d->kind,
                           &d->status, d->series, sizeof d->series, &d->want, d->party,
                           sizeof d->party, d->currency, sizeof d->currency, d->account,
                           sizeof d->account, &d->total, &d->credits, &d->entry, d->memo,
                           sizeof d->memo, d->post_date, sizeof d->post_date);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
    return rc;
}

/* Credit one posting per account from sql (lines or taxes), converting
 * each sum; *base_sum adds up their book-currency values. */
static int add_sums(bo_book *b, bo_entry *e, const char *sql, int64_t id,
                    int sign, const char *cur, int64_t num, int64_t den,
                    int64_t *base_sum)
{
    bo__stmt *s;
    int rc = bo__stmt_new(b->store, sql, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            char acct[BO_CODE_MAX + 1];
            snprintf(acct, sizeof acct, "%s", bo__stmt_col_text(s, 0));
            int64_t amount = bo__stmt_col_int(s, 1), base;
            if ((rc = bo__bill_to_base(b, amount, cur, num, den, &base)) ||
                (rc = bo__bill_add(b, e, acct, -sign * amount, cur, -sign * base, NULL)))
                break;
            if (bo_money_add(*base_sum, base, base_sum)) {
                rc = bo__error_set(BO_EOVERFLOW, "document: book-currency total overflows");
                break;
            }
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* The document's tax lines (commerce.h), per rate and account in the order
 * they were saved. Their book-currency values are cumulative conversions
 * within each account (the value of the rates so far, less that of the
 * ones before), so they add up to what add_sums posted to the account. */
static const char SQL_TAX_ROWS[] =
    "SELECT rate, account, base, amount FROM bill_invoice_taxes WHERE invoice_id = ?"
    " ORDER BY account, seq";

static int tax_lines(bo_book *b, int64_t id, const draft *d, int64_t num, int64_t den,
                     int64_t entry, const char *iso)
{
    int side = bo__bill_side(d->kind) == BO_BILLING_RECEIVABLE ? BO__TAX_SALES
                                                             : BO__TAX_PURCHASE;
    /* Credit notes are negative on the report. */
    int negate = d->kind == BO_INVOICE_SALES_CREDIT || d->kind == BO_INVOICE_PURCHASE_CREDIT;
    bo__tax_lines t = BO__TAX_LINES_INIT;
    bo__stmt *s;
    int rc = bo__stmt_new(b->store, SQL_TAX_ROWS, &s);
    if (rc)
        return rc;
    char prev[BO_CODE_MAX + 1] = "";
    int64_t cum = 0, cum_book = 0;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            char rate[BO_CODE_MAX + 1], acct[BO_CODE_MAX + 1];
            snprintf(rate, sizeof rate, "%s", bo__stmt_col_text(s, 0));
            snprintf(acct, sizeof acct, "%s", bo__stmt_col_text(s, 1));
            int64_t base = bo__stmt_col_int(s, 2), amount = bo__stmt_col_int(s, 3), now;
            if (strcmp(acct, prev)) {
                snprintf(prev, sizeof prev, "%s", acct);
                cum = cum_book = 0;
            }
            if (bo_money_add(cum, amount, &cum)) {
                rc = bo__error_set(BO_EOVERFLOW, "document: tax total overflows");
                break;
            }
            int64_t book;
            if ((rc = bo__bill_to_base(b, cum, d->currency, num, den, &now)))
                break;
            if (bo_money_sub(now, cum_book, &book) ||
                (negate && (bo_money_neg(base, &base) || bo_money_neg(amount, &amount) ||
                            bo_money_neg(book, &book)))) {
                rc = bo__error_set(BO_EOVERFLOW, "document: tax line overflows");
                break;
            }
            if ((rc = bo__tax_lines_add(&t, side, rate, acct, base, amount, book)))
                break;
            cum_book = now;
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    char source[32];
    snprintf(source, sizeof source, "invoice:%" PRId64, id);
    if (!rc)
        rc = bo__tax_lines_write(b, &t, entry, iso, source, d->currency);
    bo__tax_lines_free(&t);
    return rc;
}

/* What posting a draft writes, read and checked before anything is
 * written. */
typedef struct post_plan {
    draft d;
    bo__bill_doc t; /* the document a credit note corrects */
    char iso[11];
    int64_t num, den, number, base_total;
    int64_t at_num, at_den; /* a rate given by the caller (0: the book's of the date) */
    int made; /* the number's series exists */
    bo_entry *e;
} post_plan;

/* Read and check everything the posting needs and build its entry; *done
 * when the draft is posted already (*entry its entry). Writes nothing. */
static int post_check(bo_book *b, int64_t id, bo_date date, post_plan *pl, int64_t *entry,
                      int *done)
{
    draft *d = &pl->d;
    int rc = draft_load(b, id, d);
    *done = 0;
    if (rc)
        return rc;
    if (d->status == BO__BILL_POSTED) {
        *entry = d->entry; /* posting twice answers the first posting */
        *done = 1;
        return 0;
    }
    if (d->status != BO__BILL_DRAFT)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": reversed", id);
    bo__date_iso(date, pl->iso);
    /* A credit note corrects a document that existed on its date; it
     * settles that document only while it is posted (not once reversed). */
    if (d->credits) {
        if ((rc = bo__bill_doc_load(b, d->credits, &pl->t)))
            return bo__error_prefix("credits: ");
        if (pl->t.post_date[0] && strcmp(pl->t.post_date, pl->iso) > 0)
            return bo__error_set(BO_EDATE, "credits: document %" PRId64 " was posted on "
                                 "%s, after this credit note's date %s", d->credits,
                                 pl->t.post_date, pl->iso);
    }
    if (pl->at_den && strcmp(d->currency, b->base_currency)) {
        pl->num = pl->at_num;
        pl->den = pl->at_den;
    } else if ((rc = bo__bill_rate(b, d->currency, pl->iso, &pl->num, &pl->den)))
        return rc;
    if ((rc = bo__bill_number_next(b, d->series, d->want, &pl->number, &pl->made)))
        return rc;
    int sign = bo__bill_party_sign(d->kind);
    char memo[320], key[64];
    snprintf(memo, sizeof memo, "%s %s %" PRId64 " %s", bo__bill_kind_name(d->kind),
             d->series, pl->number, d->party);
    snprintf(key, sizeof key, "billing:invoice:%" PRId64, id);
    if ((rc = bo_entry_new(&pl->e, date, memo)) || (rc = bo_entry_set_key(pl->e, key)))
        return rc;
    /* Revenue/expense and taxes first: the party posting takes their sum,
     * so the entry balances in the book currency to the minor unit. */
    if ((rc = add_sums(b, pl->e, SQL_LINES, id, sign, d->currency, pl->num, pl->den,
                       &pl->base_total)) ||
        (rc = add_sums(b, pl->e, SQL_TAXES, id, sign, d->currency, pl->num, pl->den,
                       &pl->base_total)))
        return rc;
    return bo__bill_add(b, pl->e, d->account, sign * d->total, d->currency,
                        sign * pl->base_total, NULL);
}

/* Take the number, post the entry, mark the draft posted, write its tax
 * lines, settle what a credit note corrects, audit. */
static int post_write(bo_book *b, int64_t id, post_plan *pl, int64_t *entry)
{
    const draft *d = &pl->d;
    int64_t number = pl->number;
    int rc;
    if ((rc = bo__bill_number_use(b, d->series, number, pl->made)) ||
        (rc = bo__ledger_post(b, pl->e, 0, BO__POST_TRUSTED, entry)) ||
        (rc = bo__store_run(b->store, SQL_MARK_POSTED, "itiiiii", number, pl->iso, pl->num,
                            pl->den, pl->base_total, *entry, id)) ||
        (rc = tax_lines(b, id, d, pl->num, pl->den, *entry, pl->iso)))
        return rc;
    /* A book-currency credit note settles the document it corrects, as far
     * as that is still open. (A foreign one stays open beside it: settling
     * at two rates would need a gain or loss of its own.) A reversed
     * document is open for nothing: the credit note stays open instead, to
     * be refunded or reversed. */
    if (d->credits && pl->t.status == BO__BILL_POSTED &&
        !strcmp(d->currency, b->base_currency)) {
        int64_t amount = pl->t.open < d->total ? pl->t.open : d->total;
        if (amount > 0 &&
            (rc = bo__bill_alloc_insert(b, d->credits, 0, id, pl->iso, amount, 0, amount, 0)))
            return rc;
    }
    char object[32];
    snprintf(object, sizeof object, "invoice:%" PRId64, id);
    char detail[96];
    snprintf(detail, sizeof detail, "%s %" PRId64 " entry %" PRId64, d->series, number,
             *entry);
    return bo__audit_append(b, "billing.invoice.post", object, detail);
}

static int post_at(bo_book *b, int64_t id, bo_date date, int64_t num, int64_t den,
                   int64_t *entry)
{
    post_plan pl;
    memset(&pl, 0, sizeof pl);
    pl.at_num = num;
    pl.at_den = den;
    int done;
    int rc = post_check(b, id, date, &pl, entry, &done);
    if (!rc && !done)
        rc = post_write(b, id, &pl, entry);
    bo_entry_free(pl.e);
    return rc;
}

int bo__bill_invoice_post_tx(bo_book *b, int64_t id, bo_date date, int64_t *entry)
{
    return post_at(b, id, date, 0, 0, entry);
}

struct post_ctx {
    int64_t id;
    bo_date date;
    int64_t entry;
    int64_t num, den;
};

static int post_tx(bo_book *b, void *p)
{
    struct post_ctx *c = p;
    return post_at(b, c->id, c->date, c->num, c->den, &c->entry);
}

/* Post (post_tx) or reverse (reverse_tx) document id on date, at the rate
 * num/den (0/0: the book's rate of the date), after the checks both share;
 * *entry (if not NULL): the entry written. */
static int post_checked(bo_book *book, int64_t id, bo_date date, int64_t num, int64_t den,
                        int64_t *entry, int (*tx)(bo_book *, void *))
{
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) || (rc = bo__bill_date_ok("date", date)) ||
        (rc = bo__bill_credit_approval(book, id, date)))
        return rc;
    struct post_ctx c = { id, date, 0, num, den };
    rc = bo__write(book, tx, &c);
    if (!rc && entry)
        *entry = c.entry;
    return rc;
}

int bo_billing_invoice_post(bo_book *book, int64_t id, bo_date date, int64_t *entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    return post_checked(book, id, date, 0, 0, entry, post_tx);
}

int bo__bill_invoice_post_at(bo_book *book, int64_t id, bo_date date, int64_t num,
                             int64_t den, int64_t *entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (num <= 0 || den <= 0)
        return bo__error_set(BO_EINVAL, "rate: %" PRId64 "/%" PRId64 " is not a positive "
                             "fraction", num, den);
    return post_checked(book, id, date, num, den, entry, post_tx);
}

/* ---- reversal ------------------------------------------------------------- */

static const char SQL_ALLOCATED[] =
    "SELECT COUNT(*) FROM bill_allocations WHERE invoice_id = ? OR credit_id = ?";
static const char SQL_SALE_OF[] = "SELECT sale_id FROM bill_invoices WHERE id = ?";
static const char SQL_MARK_REVERSED[] =
    "UPDATE bill_invoices SET status = 2, rev_date = ?, rev_entry_id = ? WHERE id = ?";

static int reverse_tx(bo_book *b, void *p)
{
    struct post_ctx *c = p;
    draft d;
    int rc = draft_load(b, c->id, &d);
    if (rc)
        return rc;
    if (d.status != BO__BILL_POSTED)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": %s", c->id,
                             d.status == BO__BILL_DRAFT ? "a draft (nothing to reverse)"
                                                        : "already reversed");
    bo__stmt *s;
    int64_t sale = 0;
    if ((rc = bo__stmt_get(b->store, SQL_SALE_OF, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", c->id))) {
        rc = bo__stmt_step(s);
        sale = rc == BO_DRIVER_ROW && !bo__stmt_is_null(s, 0) ? bo__stmt_col_int(s, 0) : 0;
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (sale)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": the part of till sale %"
                             PRId64 " left on account; return the goods instead", c->id,
                             sale);
    if ((rc = bo__stmt_get(b->store, SQL_ALLOCATED, &s)))
        return rc;
    int64_t n = 0;
    if (!(rc = bo__stmt_bind(s, "ii", c->id, c->id))) {
        rc = bo__stmt_step(s);
        n = rc == BO_DRIVER_ROW ? bo__stmt_col_int(s, 0) : 0;
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (n)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": settled in part; "
                             "issue a credit note instead", c->id);
    char key[64], iso[11];
    bo__date_iso(c->date, iso);
    if (strcmp(iso, d.post_date) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before document %" PRId64 " was "
                             "posted (%s)", iso, c->id, d.post_date);
    snprintf(key, sizeof key, "billing:invoice-reversal:%" PRId64, c->id);
    if ((rc = bo__ledger_reverse(b, d.entry, c->date, key, BO__POST_TRUSTED, &c->entry)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_MARK_REVERSED, "tii", iso, c->entry, c->id)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "invoice:%" PRId64, c->id);
    return bo__audit_append(b, "billing.invoice.reverse", object, iso);
}

int bo_billing_invoice_reverse(bo_book *book, int64_t id, bo_date date, int64_t *entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    return post_checked(book, id, date, 0, 0, entry, reverse_tx);
}
