/*
 * Bank reconciliation: storing imported statements (duplicates counted,
 * not stored twice), matching their lines to postings on the bank account,
 * creating the missing entries, and the reconciled balance checked against
 * the statement's closing balance.
 */
#include "billing/bank.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_STMT_ADD[] =
    "INSERT INTO bill_statements (account, currency, format, opening, closing, lines,"
    " duplicates) VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id";
static const char SQL_LINE_ADD[] =
    "INSERT INTO bill_statement_lines (statement_id, line_no, date, amount, reference,"
    " memo, hash) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING";
static const char SQL_STMT_DUPS[] =
    "UPDATE bill_statements SET duplicates = ?, lines = ? WHERE id = ?";

struct import_ctx {
    const char *account, *format;
    const char *cur;
    bo__bank_file *f;
    int64_t id, dups;
};

/* The identity of a bank line for the account: its bank reference, or its
 * date, amount and text with its occurrence among identical ones. */
static void line_hash(const char *account, const bo__bank_line *l, int occurrence,
                      char out[65])
{
    bo__buf b = BO__BUF_INIT;
    bo__buf_field(&b, account);
    if (l->reference) {
        bo__buf_field(&b, "ref");
        bo__buf_field(&b, l->reference);
    } else {
        bo__buf_field_int(&b, l->date);
        bo__buf_field_int(&b, l->amount);
        bo__buf_field(&b, l->memo);
        bo__buf_field_int(&b, occurrence);
    }
    unsigned char h[BO__SHA256_BYTES];
    bo__sha256(b.ptr ? b.ptr : "", b.len, h);
    bo__hex(h, sizeof h, out);
    bo__buf_free(&b);
}

static int import_tx(bo_book *b, void *p)
{
    struct import_ctx *c = p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_STMT_ADD, &s);
    if (rc)
        return rc;
    c->dups = 0;
    if (!(rc = bo__stmt_bind(s, "tttiii", c->account, c->cur, c->format, c->f->opening,
                             c->f->closing, (int64_t)c->f->n))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            c->id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "statement: no id returned");
        }
    }
    bo__stmt_done(s);
    int64_t stored = 0;
    for (size_t i = 0; i < c->f->n && !rc; i++) {
        const bo__bank_line *l = &c->f->lines[i];
        int occurrence = 0;
        /* Identical lines in one file are distinct payments (two coffees). */
        for (size_t k = 0; k < i && !l->reference; k++)
            occurrence += !c->f->lines[k].reference && c->f->lines[k].date == l->date &&
                          c->f->lines[k].amount == l->amount &&
                          !strcmp(c->f->lines[k].memo, l->memo);
        char hash[65], date[11];
        line_hash(c->account, l, occurrence, hash);
        bo__date_iso(l->date, date);
        if ((rc = bo__store_run(b->store, SQL_LINE_ADD, "iitittt",
                                c->id, (int64_t)l->line_no, date, l->amount, l->reference,
                                l->memo, hash)))
            break;
        if (bo__store_changes(b->store) == 1)
            stored++;
        else
            c->dups++;
    }
    if (!rc)
        rc = bo__store_run(b->store, SQL_STMT_DUPS, "iii", c->dups, stored, c->id);
    if (!rc) {
        char object[32], detail[64];
        snprintf(object, sizeof object, "statement:%" PRId64, c->id);
        snprintf(detail, sizeof detail, "%s %" PRId64 " lines, %" PRId64 " duplicates",
                 c->format, stored, c->dups);
        rc = bo__audit_append(b, "billing.statement.import", object, detail);
    }
    return rc;
}

int bo_billing_bank_import(bo_book *book, const char *account, const char *format,
                        const char *data, const char *mapping, int64_t *statement)
{
    bo__error_clear();
    if (!book || !format || !data)
        return bo__error_set(BO_EINVAL, "book/format/data: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BANK_RECONCILE)) ||
        (rc = bo__text_check("account", account, BO_CODE_MAX, false, false)))
        return rc;
    size_t len = strlen(data);
    if (len > BO_BILLING_STATEMENT_MAX)
        return bo__error_set(BO_ELIMIT, "data: larger than %d bytes", BO_BILLING_STATEMENT_MAX);
    if (!bo__utf8_valid(data, len))
        return bo__error_set(BO_EUTF8, "data: not valid UTF-8");
    bo__ledger_acct a;
    if ((rc = bo__ledger_account(book, account, &a)))
        return bo__error_prefix("account: ");
    char cur[BO_CURRENCY_MAX + 1];
    snprintf(cur, sizeof cur, "%s", a.currency);
    bo__bank_file f;
    memset(&f, 0, sizeof f);
    if (!strcmp(format, "csv"))
        rc = bo__bank_parse_csv(data, mapping, cur, &f);
    else if (!strcmp(format, "camt053"))
        rc = bo__bank_parse_camt053(data, cur, &f);
    else
        rc = bo__error_set(BO_EINVAL, "format: expected \"csv\" or \"camt053\"");
    if (!rc) {
        struct import_ctx c = { account, format, cur, &f, 0, 0 };
        rc = bo__write(book, import_tx, &c);
        if (!rc && statement)
            *statement = c.id;
    }
    bo__bank_free(&f);
    return rc;
}

/* ---- listings ------------------------------------------------------------- */

static const char SQL_STATEMENTS[] =
    "SELECT s.id, s.account, s.currency, s.opening, s.closing, s.lines, s.duplicates,"
    " (SELECT COUNT(*) FROM bill_statement_lines l WHERE l.statement_id = s.id"
    "  AND l.status = 0), s.closed"
    " FROM bill_statements s WHERE s.account = COALESCE(?, s.account) ORDER BY s.id";
static const bo__col statement_cols[] = {
    { "id", BO_TYPE_INT }, { "account", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT },
    { "opening", BO_TYPE_INT }, { "closing", BO_TYPE_INT }, { "lines", BO_TYPE_INT },
    { "duplicates", BO_TYPE_INT }, { "unmatched", BO_TYPE_INT }, { "closed", BO_TYPE_INT },
};

int bo_billing_bank_statements(bo_book *book, const char *account, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_BANK_RECONCILE, NULL, SQL_STATEMENTS, statement_cols, 9,
                       out, "t", account);
}

static const char SQL_LINES[] =
    "SELECT l.id, l.line_no, l.date, l.amount, l.reference, l.memo,"
    " CASE l.status WHEN 0 THEN 'unmatched' WHEN 1 THEN 'matched' ELSE 'created' END,"
    " l.entry_id, s.currency FROM bill_statement_lines l"
    " JOIN bill_statements s ON s.id = l.statement_id"
    " WHERE l.statement_id = ? ORDER BY l.line_no, l.id";
static const bo__col line_cols[] = {
    { "id", BO_TYPE_INT }, { "line", BO_TYPE_INT }, { "date", BO_TYPE_TEXT },
    { "amount", BO_TYPE_INT }, { "reference", BO_TYPE_TEXT }, { "memo", BO_TYPE_TEXT },
    { "status", BO_TYPE_TEXT }, { "entry", BO_TYPE_INT }, { "currency", BO_TYPE_TEXT },
};

int bo_billing_bank_lines(bo_book *book, int64_t statement, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_BANK_RECONCILE, NULL, SQL_LINES, line_cols, 9, out, "i",
                       statement);
}
