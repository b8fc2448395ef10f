/*
 * Matching statement lines to ledger postings on the bank account, by hand
 * or automatically (exact amount in a date window, then a reference, then
 * several postings of one day summing to the line), creating missing
 * entries, and closing a statement against the reconciled balance.
 */
#include "billing/bank.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNMATCHED_SQL \
    " AND NOT EXISTS (SELECT 1 FROM bill_bank_matches m" \
    "  WHERE m.entry_id = p.entry_id AND m.posting_line = p.line)"

static const char SQL_STMT[] =
    "SELECT account, closed, opening, closing FROM bill_statements WHERE id = ?";
static const char SQL_UNMATCHED_LINES[] =
    "SELECT id, date, amount, reference FROM bill_statement_lines"
    " WHERE statement_id = ? AND status = 0 ORDER BY line_no, id";
static const char SQL_CAND_WINDOW[] =
    "SELECT p.entry_id, p.line, p.date FROM " BO__LEDGER_POSTINGS " p WHERE p.account_id = ?"
    " AND p.amount = ? AND p.date >= ? AND p.date <= ?" UNMATCHED_SQL
    " ORDER BY p.date, p.entry_id, p.line";
static const char SQL_CAND_REF[] =
    "SELECT p.entry_id, p.line FROM " BO__LEDGER_POSTINGS " p"
    " JOIN " BO__LEDGER_ENTRIES " e ON e.id = p.entry_id"
    " WHERE p.account_id = ? AND p.amount = ?" UNMATCHED_SQL
    " AND (e.memo = ?3 OR e.idem_key = ?3 OR EXISTS (SELECT 1 FROM bill_payments bp"
    "  WHERE bp.entry_id = p.entry_id AND bp.reference = ?3))"
    " ORDER BY p.date, p.entry_id, p.line LIMIT 1";
static const char SQL_DAY_SUMS[] =
    "SELECT p.date, SUM(p.amount), COUNT(*) FROM " BO__LEDGER_POSTINGS " p WHERE p.account_id = ?"
    " AND p.date >= ? AND p.date <= ? AND p.amount * ? > 0" UNMATCHED_SQL
    " GROUP BY p.date ORDER BY p.date";
static const char SQL_DAY_POSTINGS[] =
    "SELECT p.entry_id, p.line, p.amount FROM " BO__LEDGER_POSTINGS " p WHERE p.account_id = ?"
    " AND p.date = ? AND p.amount * ? > 0" UNMATCHED_SQL;
static const char SQL_MATCH_ADD[] =
    "INSERT INTO bill_bank_matches (entry_id, posting_line, line_id, account, amount)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_LINE_MARK[] =
    "UPDATE bill_statement_lines SET status = ?, entry_id = ? WHERE id = ?";

typedef struct stmt_info {
    char account[BO_CODE_MAX + 1];
    int closed;
    int64_t opening, closing;
    int64_t account_id;
} stmt_info;

static int stmt_load(bo_book *b, int64_t id, stmt_info *si)
{
    int found;
    int rc = bo__store_row(b->store, SQL_STMT, &found, "i>tiii", id, si->account,
                           sizeof si->account, &si->closed, &si->opening, &si->closing);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "statement %" PRId64 ": not found", id);
    if (rc)
        return rc;
    bo__ledger_acct a;
    if ((rc = bo__ledger_account(b, si->account, &a)))
        return rc;
    si->account_id = a.id;
    return 0;
}

static int match_one(bo_book *b, const stmt_info *si, int64_t line_id, int64_t entry,
                     int64_t pline, int64_t amount)
{
    return bo__store_run(b->store, SQL_MATCH_ADD, "iiiti", entry, pline, line_id, si->account,
                         amount);
}

static int mark(bo_book *b, int64_t line_id, int status, int64_t entry)
{
    return bo__store_run(b->store, SQL_LINE_MARK, "iii", (int64_t)status, entry, line_id);
}

typedef struct ln {
    int64_t id, amount;
    bo_date date;
    char *ref;
} ln;

/* 1: exact amount, nearest date in the window. */
static int by_window(bo_book *b, const stmt_info *si, const ln *l, int window, int *done)
{
    char lo[11], hi[11];
    bo__date_iso(l->date - window, lo);
    bo__date_iso(l->date + window, hi);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_CAND_WINDOW, &s);
    if (rc)
        return rc;
    int64_t best_e = 0, best_l = 0;
    int best_d = window + 1;
    if (!(rc = bo__stmt_bind(s, "iitt", si->account_id, l->amount, lo, hi))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo_date d;
            if (bo_date_parse(bo__stmt_col_text(s, 2), &d))
                continue;
            int dist = abs(d - l->date);
            if (dist < best_d) {
                best_d = dist;
                best_e = bo__stmt_col_int(s, 0);
                best_l = bo__stmt_col_int(s, 1);
            }
        }
        bo__error_clear();
        rc = rc == BO_DRIVER_DONE ? 0 : rc;
    }
    bo__stmt_done(s);
    if (rc || !best_e)
        return rc;
    if ((rc = match_one(b, si, l->id, best_e, best_l, l->amount)) ||
        (rc = mark(b, l->id, 1, best_e)))
        return rc;
    *done = 1;
    return 0;
}

/* 2: exact amount and the line's reference on the entry or its payment. */
static int by_reference(bo_book *b, const stmt_info *si, const ln *l, int *done)
{
    if (!l->ref)
        return 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_CAND_REF, &s);
    if (rc)
        return rc;
    int64_t e = 0, pl = 0;
    if (!(rc = bo__stmt_bind(s, "iit", si->account_id, l->amount, l->ref))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            e = bo__stmt_col_int(s, 0);
            pl = bo__stmt_col_int(s, 1);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || !e)
        return rc;
    if ((rc = match_one(b, si, l->id, e, pl, l->amount)) || (rc = mark(b, l->id, 1, e)))
        return rc;
    *done = 1;
    return 0;
}

/* 3: every unmatched posting of one day in the window, same direction,
 * summing to the line (a deposit of several receipts). */
static int by_day_sum(bo_book *b, const stmt_info *si, const ln *l, int window, int *done)
{
    char lo[11], hi[11], day[11] = "";
    bo__date_iso(l->date - window, lo);
    bo__date_iso(l->date + window, hi);
    int64_t sign = l->amount > 0 ? 1 : -1;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_DAY_SUMS, &s);
    if (rc)
        return rc;
    int best_d = window + 1;
    if (!(rc = bo__stmt_bind(s, "itti", si->account_id, lo, hi, sign))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo_date d;
            if (bo__stmt_col_int(s, 1) != l->amount || bo__stmt_col_int(s, 2) < 2 ||
                bo_date_parse(bo__stmt_col_text(s, 0), &d))
                continue;
            if (abs(d - l->date) < best_d) {
                best_d = abs(d - l->date);
                snprintf(day, sizeof day, "%s", bo__stmt_col_text(s, 0));
            }
        }
        bo__error_clear();
        rc = rc == BO_DRIVER_DONE ? 0 : rc;
    }
    bo__stmt_done(s);
    if (rc || !day[0])
        return rc;
    if ((rc = bo__stmt_new(b->store, SQL_DAY_POSTINGS, &s)))
        return rc;
    int64_t first = 0;
    /* Read all, then write: the statement reads the table it would change. */
    int64_t rows[64][3];
    int n = 0;
    if (!(rc = bo__stmt_bind(s, "iti", si->account_id, day, sign))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && n < 64) {
            rows[n][0] = bo__stmt_col_int(s, 0);
            rows[n][1] = bo__stmt_col_int(s, 1);
            rows[n][2] = bo__stmt_col_int(s, 2);
            n++;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || n >= 64)
        return rc; /* more than 64 postings in a day: leave it to a person */
    for (int i = 0; i < n && !rc; i++) {
        rc = match_one(b, si, l->id, rows[i][0], rows[i][1], rows[i][2]);
        first = first ? first : rows[i][0];
    }
    if (!rc && !(rc = mark(b, l->id, 1, first)))
        *done = 1;
    return rc;
}

struct match_ctx {
    int64_t statement;
    int window;
    int64_t matched;
};

static int match_tx(bo_book *b, void *p)
{
    struct match_ctx *c = p;
    stmt_info si;
    int rc = stmt_load(b, c->statement, &si);
    if (rc)
        return rc;
    c->matched = 0;
    ln *lines = NULL;
    size_t n = 0, cap = 0;
    bo__stmt *s;
    if ((rc = bo__stmt_new(b->store, SQL_UNMATCHED_LINES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", c->statement))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                ln *q = bo__realloc(lines, cap * sizeof *q);
                if (!q) {
                    rc = BO_ENOMEM;
                    break;
                }
                lines = q;
            }
            ln *l = &lines[n];
            l->id = bo__stmt_col_int(s, 0);
            l->amount = bo__stmt_col_int(s, 2);
            l->ref = bo__stmt_is_null(s, 3) ? NULL : bo__strdup(bo__stmt_col_text(s, 3));
            if (bo_date_parse(bo__stmt_col_text(s, 1), &l->date))
                l->date = 0;
            n++;
        }
        rc = rc == BO_DRIVER_DONE ? 0 : rc;
    }
    bo__stmt_done(s);
    bo__error_clear();
    /* Pass by pass over all lines, so a line's exact match is never taken
     * by another line's reference or day-sum match. */
    for (int pass = 0; pass < 3 && !rc; pass++) {
        for (size_t i = 0; i < n && !rc; i++) {
            if (!lines[i].id)
                continue;
            int done = 0;
            rc = pass == 0 ? by_window(b, &si, &lines[i], c->window, &done)
               : pass == 1 ? by_reference(b, &si, &lines[i], &done)
                           : by_day_sum(b, &si, &lines[i], c->window, &done);
            if (done) {
                lines[i].id = 0;
                c->matched++;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        bo__free(lines[i].ref);
    bo__free(lines);
    if (!rc && c->matched) {
        char object[32], detail[32];
        snprintf(object, sizeof object, "statement:%" PRId64, c->statement);
        snprintf(detail, sizeof detail, "%" PRId64 " matched", c->matched);
        rc = bo__audit_append(b, "billing.statement.match", object, detail);
    }
    return rc;
}

int bo_billing_bank_match(bo_book *book, int64_t statement, int window_days,
                       int64_t *matched)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_BANK_RECONCILE);
    if (rc)
        return rc;
    if (window_days < 0 || window_days > 366)
        return bo__error_set(BO_EINVAL, "window_days: outside 0..366");
    struct match_ctx c = { statement, window_days, 0 };
    rc = bo__write(book, match_tx, &c);
    if (!rc && matched)
        *matched = c.matched;
    return rc;
}

/* ---- by hand ---------------------------------------------------------------- */

static const char SQL_LINE[] =
    "SELECT statement_id, status, amount, date FROM bill_statement_lines WHERE id = ?";
static const char SQL_ENTRY_POSTINGS[] =
    "SELECT p.line, p.amount FROM " BO__LEDGER_POSTINGS " p"
    " WHERE p.entry_id = ? AND p.account_id = ?"
    UNMATCHED_SQL;

typedef struct line_info {
    int64_t statement, amount;
    int status;
    char date[11];
} line_info;

static int line_load(bo_book *b, int64_t id, line_info *li, stmt_info *si)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_LINE, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            li->statement = bo__stmt_col_int(s, 0);
            li->status = (int)bo__stmt_col_int(s, 1);
            li->amount = bo__stmt_col_int(s, 2);
            snprintf(li->date, sizeof li->date, "%s", bo__stmt_col_text(s, 3));
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "statement line %" PRId64 ": not found", id);
        }
    }
    bo__stmt_done(s);
    if (rc || (rc = stmt_load(b, li->statement, si)))
        return rc;
    if (li->status != 0)
        return bo__error_set(BO_ESTATE, "statement line %" PRId64 ": already matched", id);
    return 0;
}

struct hand_ctx {
    int64_t line, entry;
    const char *counter, *memo;
};

static int accept_tx(bo_book *b, void *p)
{
    struct hand_ctx *c = p;
    line_info li;
    stmt_info si;
    int rc = line_load(b, c->line, &li, &si);
    if (rc)
        return rc;
    int64_t rows[BO_POSTINGS_MAX > 64 ? 64 : BO_POSTINGS_MAX][2];
    bo__fx_sum sum = BO__FX_SUM_INIT; /* exact: a wrapped sum could match */
    int n = 0;
    bo__stmt *s;
    if ((rc = bo__stmt_new(b->store, SQL_ENTRY_POSTINGS, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", c->entry, si.account_id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && n < 64) {
            rows[n][0] = bo__stmt_col_int(s, 0);
            rows[n][1] = bo__stmt_col_int(s, 1);
            bo__fx_sum_add(&sum, rows[n][1]);
            n++;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (!n)
        return bo__error_set(BO_ENOTFOUND, "entry %" PRId64 ": no unmatched posting on "
                             "account '%s'", c->entry, si.account);
    if (sum.v != li.amount)
        return bo__error_set(BO_EPAYMENT, "entry %" PRId64 ": its postings on '%s' do "
                             "not sum to the line's amount", c->entry, si.account);
    for (int i = 0; i < n && !rc; i++)
        rc = match_one(b, &si, c->line, c->entry, rows[i][0], rows[i][1]);
    if (!rc)
        rc = mark(b, c->line, 1, c->entry);
    if (!rc) {
        char object[32];
        snprintf(object, sizeof object, "statement-line:%" PRId64, c->line);
        rc = bo__audit_append(b, "billing.statement_line.accept", object, "");
    }
    return rc;
}

int bo_billing_bank_accept(bo_book *book, int64_t line, int64_t entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_BANK_RECONCILE);
    if (rc)
        return rc;
    struct hand_ctx c = { line, entry, NULL, NULL };
    return bo__write(book, accept_tx, &c);
}

static int create_tx(bo_book *b, void *p)
{
    struct hand_ctx *c = p;
    line_info li;
    stmt_info si;
    int rc = line_load(b, c->line, &li, &si);
    if (rc)
        return rc;
    bo_date d;
    if ((rc = bo_date_parse(li.date, &d)))
        return rc;
    char key[64];
    snprintf(key, sizeof key, "bank:line:%" PRId64, c->line);
    bo_entry *e = NULL;
    if (!(rc = bo_entry_new(&e, d, c->memo ? c->memo : "bank statement line")) &&
        !(rc = bo_entry_set_key(e, key)) &&
        !(rc = bo_entry_add(e, si.account, li.amount, NULL, NULL)) &&
        !(rc = bo_entry_add(e, c->counter, -li.amount, NULL, NULL)))
        rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, &c->entry);
    bo_entry_free(e);
    if (rc)
        return rc;
    if ((rc = match_one(b, &si, c->line, c->entry, 1, li.amount)) ||
        (rc = mark(b, c->line, 2, c->entry)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "statement-line:%" PRId64, c->line);
    return bo__audit_append(b, "billing.statement_line.create", object, c->counter);
}

int bo_billing_bank_create(bo_book *book, int64_t line, const char *counter_account,
                        const char *memo, int64_t *entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BANK_RECONCILE)) ||
        (rc = bo__text_check("counter_account", counter_account, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, true)))
        return rc;
    struct hand_ctx c = { line, 0, counter_account, memo };
    rc = bo__write(book, create_tx, &c);
    if (!rc && entry)
        *entry = c.entry;
    return rc;
}

/* ---- balances ---------------------------------------------------------------- */

/* Opening of the account's first statement plus the postings matched to
 * lines of its statements up to ?2. */
static const char SQL_RECONCILED[] =
    "SELECT COALESCE((SELECT s.opening FROM bill_statements s WHERE s.account = ?1"
    "  ORDER BY s.id LIMIT 1), 0),"
    " COALESCE((SELECT SUM(m.amount) FROM bill_bank_matches m"
    "  JOIN bill_statement_lines l ON l.id = m.line_id"
    "  WHERE m.account = ?1 AND l.statement_id <= ?2), 0)";

static int reconciled(bo_book *b, const char *account, int64_t upto, int64_t *out)
{
    int64_t opening, matched;
    int found;
    int rc = bo__store_row(b->store, SQL_RECONCILED, &found, "ti>ii", account, upto, &opening,
                           &matched);
    if (!rc && found && bo_money_add(opening, matched, out))
        rc = bo__error_set(BO_EOVERFLOW, "account '%s': reconciled balance overflows",
                           account);
    return rc;
}

int bo_billing_bank_reconciled(bo_book *book, const char *account, int64_t *balance)
{
    bo__error_clear();
    if (!book || !balance)
        return bo__error_set(BO_EINVAL, "book/balance: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BANK_RECONCILE)) ||
        (rc = bo__text_check("account", account, BO_CODE_MAX, false, false)))
        return rc;
    bo__ledger_acct a;
    if ((rc = bo__ledger_account(book, account, &a)))
        return rc;
    return reconciled(book, account, INT64_MAX, balance);
}

static const char SQL_FIRST_UNMATCHED[] =
    "SELECT line_no FROM bill_statement_lines WHERE statement_id = ? AND status = 0"
    " ORDER BY line_no LIMIT 1";
static const char SQL_CLOSE[] = "UPDATE bill_statements SET closed = 1 WHERE id = ?";

struct close_ctx {
    int64_t statement;
};

static int close_tx(bo_book *b, void *p)
{
    struct close_ctx *c = p;
    stmt_info si;
    int rc = stmt_load(b, c->statement, &si);
    if (rc)
        return rc;
    if (si.closed)
        return 0;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_FIRST_UNMATCHED, &s)))
        return rc;
    int64_t first = 0;
    if (!(rc = bo__stmt_bind(s, "i", c->statement))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            first = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (first)
        return bo__error_set(BO_ESTATE, "statement %" PRId64 ": line %" PRId64 " is not "
                             "matched", c->statement, first);
    int64_t bal;
    if ((rc = reconciled(b, si.account, c->statement, &bal)))
        return rc;
    if (bal != si.closing) {
        return bo__error_set(BO_EUNBALANCED, "statement %" PRId64 ": reconciled balance "
                             "differs from the closing balance by %" PRId64 " minor units",
                             c->statement, bal - si.closing);
    }
    if ((rc = bo__store_run(b->store, SQL_CLOSE, "i", c->statement)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "statement:%" PRId64, c->statement);
    return bo__audit_append(b, "billing.statement.close", object, si.account);
}

int bo_billing_bank_close(bo_book *book, int64_t statement)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_BANK_RECONCILE);
    if (rc)
        return rc;
    struct close_ctx c = { statement };
    return bo__write(book, close_tx, &c);
}
