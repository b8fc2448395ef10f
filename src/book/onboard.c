/*
 * CSV onboarding of a chart of accounts and its opening balances
 * (docs/import-export.md, "CSV onboarding"). The file is read and checked
 * whole (columns, types, parents, currencies, every balance exact at its
 * currency's scale, each currency summing to zero) before anything is
 * written; then the new accounts and one opening entry are written in one
 * transaction. Every refusal names the file, line and column.
 */
#include "book/csv.h"
#include "book/transfer.h"
#include "core/book.h"
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_CODE, C_NAME, C_TYPE, C_PARENT, C_CURRENCY, C_BALANCE, C_N };
static const char *const col_names[C_N] = { "code", "name", "type", "parent", "currency",
                                            "balance" };


typedef struct orow {
    int line, exists, type;
    char *f[C_N]; /* NULL: column absent or empty */
    char currency[BO_CURRENCY_MAX + 1];
    int64_t balance;
} orow;

/* One CSV record at *pp (RFC 4180: quotes, "" inside quotes, CRLF); the
 * fields are copied. Returns the number of fields, or < 0. */
int bo__csv_record(const char *path, int line, const char **pp, const char *end,
                      char *fields[CSV_FIELDS], int *lines)
{
    const char *p = *pp;
    int n = 0;
    *lines = 1;
    for (;;) {
        if (n == CSV_FIELDS)
            return bo__error_set(BO_ELIMIT, "%s:%d: more than %d fields", path, line,
                                 CSV_FIELDS);
        bo__buf b = BO__BUF_INIT;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end) {
                    bo__buf_free(&b);
                    return bo__error_set(BO_EINVAL, "%s:%d: field %d: the quote is not "
                                         "closed", path, line, n + 1);
                }
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        bo__buf_put(&b, "\"", 1);
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    (*lines)++;
                bo__buf_put(&b, p++, 1);
            }
        } else {
            const char *s = p;
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            bo__buf_put(&b, s, (size_t)(p - s));
        }
        if (bo__buf_put(&b, "", 1) || b.failed) {
            bo__buf_free(&b);
            return BO_ENOMEM;
        }
        fields[n++] = b.ptr;
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p != '\n') {
            for (int i = 0; i < n; i++)
                bo__free(fields[i]), fields[i] = NULL;
            return bo__error_set(BO_EINVAL, "%s:%d: field %d: text after the closing quote",
                                 path, line, n);
        }
        if (p < end)
            p++;
        *pp = p;
        return n;
    }
}

int bo__csv_start(const char *path, const char *data, size_t len, const char **pp)
{
    *pp = data;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        *pp += 3; /* a byte-order mark */
    if (!bo__utf8_valid(data, len))
        return bo__error_set(BO_EUTF8, "%s: not valid UTF-8", path);
    return 0;
}

int bo__csv_next(const char *path, int *line, const char **pp, const char *end,
                 char *fields[CSV_FIELDS], int *at)
{
    while (*pp < end) {
        int lines, nf;
        *at = *line;
        if ((nf = bo__csv_record(path, *line, pp, end, fields, &lines)) < 0)
            return nf;
        *line += lines;
        if (nf == 1 && !fields[0][0]) { /* a blank line */
            bo__free(fields[0]), fields[0] = NULL;
            continue;
        }
        return nf;
    }
    return 0;
}

/* "1,234.50" or "-12.5" at exp decimals, exactly. */
int bo__csv_decimal(const char *s, int exp, int64_t *out)
{
    int neg = 0, dec = -1, digits = 0;
    int64_t v = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (dec >= 0 && dec >= exp) { /* past the currency's decimals */
                if (*s != '0')
                    return 1;
                continue;
            }
            if (v > (INT64_MAX - 9) / 10)
                return BO_EOVERFLOW;
            v = v * 10 + (*s - '0');
            digits++;
            if (dec >= 0)
                dec++;
        } else if (*s == '.' && dec < 0)
            dec = 0;
        else if (!(*s == ',' && dec < 0 && digits))
            return BO_EINVAL;
    }
    if (!digits)
        return BO_EINVAL;
    for (int d = dec < 0 ? 0 : dec; d < exp; d++) {
        if (v > INT64_MAX / 10)
            return BO_EOVERFLOW;
        v *= 10;
    }
    *out = neg ? -v : v;
    return 0;
}

static void rows_free(orow *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < C_N; k++)
            bo__free(r[i].f[k]);
    bo__free(r);
}

static int find_row(const orow *r, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].f[C_CODE], code))
            return (int)i;
    return -1;
}

int bo_book_import_opening_csv(bo_book *book, const char *path, bo_date date,
                               const char *memo)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (memo && (rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, false))))
        return rc;
    char ds[16];
    if (bo_date_format(date, ds, sizeof ds))
        return bo__error_set(BO_EINVAL, "date: not a date");
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "opening CSV: inside a transaction");
    if ((rc = bo__require(book, BO__P_LEDGER_ADMIN | BO__P_LEDGER_POST)))
        return rc;
    char *data = NULL;
    size_t len = 0;
    if ((rc = bo__read_file(path, &data, &len)))
        return rc;
    const char *p = data, *end = data + len;
    int line = 1, lines, map[CSV_FIELDS], nf, nh = 0;
    char *fields[CSV_FIELDS] = { 0 };
    orow *rows = NULL;
    size_t n = 0, cap = 0;
    /* the header */
    if (!(rc = bo__csv_start(path, data, len, &p)) &&
        (nf = bo__csv_record(path, line, &p, end, fields, &lines)) < 0)
        rc = nf;
    else if (!rc) {
        int seen[C_N] = { 0 };
        for (int i = 0; i < nf && !rc; i++) {
            map[i] = -1;
            for (int k = 0; k < C_N; k++)
                if (!strcmp(fields[i], col_names[k]))
                    map[i] = k;
            if (map[i] < 0)
                rc = bo__error_set(BO_EINVAL, "%s:1: column %d '%.40s': not one of code, "
                                   "name, type, parent, currency, balance", path, i + 1,
                                   fields[i]);
            else if (seen[map[i]]++)
                rc = bo__error_set(BO_EINVAL, "%s:1: column '%s' twice", path, col_names[map[i]]);
        }
        nh = nf;
        if (!rc && !seen[C_CODE])
            rc = bo__error_set(BO_EINVAL, "%s:1: no column 'code'", path);
        for (int i = 0; i < nf; i++)
            bo__free(fields[i]), fields[i] = NULL;
        line += lines;
    }
    /* the rows, checked */
    while (!rc && p < end) {
        int at;
        if ((nf = bo__csv_next(path, &line, &p, end, fields, &at)) <= 0) {
            rc = nf;
            break;
        }
        if ((rc = bo__grow((void **)&rows, &cap, n, sizeof *rows)))
            break;
        orow *r = &rows[n++];
        memset(r, 0, sizeof *r);
        r->line = at;
        if (nf > nh)
            rc = bo__error_set(BO_EINVAL, "%s:%d: %d fields, more than the header's %d", path,
                               at, nf, nh);
        for (int i = 0; i < nf; i++) {
            if (!rc && map[i] >= 0 && fields[i][0] &&
                !(r->f[map[i]] = bo__strdup(fields[i])))
                rc = BO_ENOMEM;
            bo__free(fields[i]), fields[i] = NULL;
        }
    }
    bo__free(data);
    /* every row: the account (new or existing) and its balance */
    size_t ncur = 0;
    struct { char cur[BO_CURRENCY_MAX + 1]; int64_t sum; } sums[32];
    for (size_t i = 0; i < n && !rc; i++) {
        orow *r = &rows[i];
        bo__ledger_acct a;
        if (!r->f[C_CODE]) {
            rc = bo__error_set(BO_EINVAL, "%s:%d: column 'code': empty", path, r->line);
            break;
        }
        if (find_row(rows, i, r->f[C_CODE]) >= 0) {
            rc = bo__error_set(BO_EEXISTS, "%s:%d: column 'code': '%s' is on an earlier line",
                               path, r->line, r->f[C_CODE]);
            break;
        }
        int found = bo__ledger_account(book, r->f[C_CODE], &a);
        if (found && found != BO_ENOTFOUND) {
            rc = found;
            break;
        }
        bo__error_clear();
        r->exists = found == 0;
        if (r->exists) {
            snprintf(r->currency, sizeof r->currency, "%s", a.currency);
            if (r->f[C_CURRENCY] && strcmp(r->f[C_CURRENCY], a.currency)) {
                rc = bo__error_set(BO_ECURRENCY, "%s:%d: column 'currency': account '%s' is "
                                   "kept in %s, not %s", path, r->line, r->f[C_CODE],
                                   a.currency, r->f[C_CURRENCY]);
                break;
            }
        } else {
            const char *why = NULL;
            int col = C_NAME;
            if ((rc = bo__text_check("code", r->f[C_CODE], BO_CODE_MAX, false, false)) ||
                (rc = bo__name_check("code", r->f[C_CODE], BO_CODE_MAX))) {
                bo__error_prefix("%s:%d: column 'code': ", path, r->line);
                break;
            }
            if (!r->f[C_NAME])
                why = "empty (a new account needs a name)";
            else if (!r->f[C_TYPE] || (r->type = bo_account_type_parse(r->f[C_TYPE])) < 0)
                col = C_TYPE, why = "not asset, liability, equity, income or expense";
            else if (r->f[C_PARENT] && find_row(rows, i, r->f[C_PARENT]) < 0 &&
                     bo__ledger_account(book, r->f[C_PARENT], &a))
                col = C_PARENT, why = "no such account in the book or on an earlier line";
            if (why) {
                rc = bo__error_set(BO_EINVAL, "%s:%d: column '%s': %s", path, r->line,
                                   col_names[col], why);
                break;
            }
            bo__error_clear();
            snprintf(r->currency, sizeof r->currency, "%s",
                     r->f[C_CURRENCY] ? r->f[C_CURRENCY] : book->base_currency);
        }
        int exp;
        if (bo_currency_exponent(r->currency, &exp)) {
            rc = bo__error_set(BO_ECURRENCY, "%s:%d: column 'currency': '%s' is not a "
                               "currency", path, r->line, r->currency);
            break;
        }
        if (!r->f[C_BALANCE])
            continue;
        int d = bo__csv_decimal(r->f[C_BALANCE], exp, &r->balance);
        if (d) {
            rc = bo__error_set(d == BO_EOVERFLOW ? BO_EOVERFLOW : BO_EINVAL,
                               "%s:%d: column 'balance': '%.40s' %s", path, r->line,
                               r->f[C_BALANCE], d == 1 ? "is finer than its currency "
                               "(refused, never rounded)" : d == BO_EOVERFLOW ? "is too large"
                               : "is not a decimal");
            break;
        }
        size_t k = 0;
        while (k < ncur && strcmp(sums[k].cur, r->currency))
            k++;
        if (k == ncur) {
            if (ncur == sizeof sums / sizeof sums[0]) {
                rc = bo__error_set(BO_ELIMIT, "%s:%d: more than 32 currencies", path, r->line);
                break;
            }
            snprintf(sums[k].cur, sizeof sums[k].cur, "%s", r->currency);
            sums[k].sum = 0;
            ncur++;
        }
        if (bo_money_add(sums[k].sum, r->balance, &sums[k].sum))
            rc = bo__error_set(BO_EOVERFLOW, "%s:%d: the %s balances overflow", path, r->line,
                               r->currency);
    }
    for (size_t k = 0; k < ncur && !rc; k++)
        if (sums[k].sum) {
            char amt[48];
            bo__amount_str(sums[k].sum, sums[k].cur, amt);
            rc = bo__error_set(BO_EUNBALANCED, "%s: the %s balances sum to %s, not 0 (add the "
                               "opening-balance equity line)", path, sums[k].cur, amt);
        }
    /* written in one transaction */
    if (!rc && !(rc = bo_book_begin(book))) {
        bo_entry *e = NULL;
        int posts = 0;
        for (size_t i = 0; i < n && !rc; i++) {
            orow *r = &rows[i];
            if (!r->exists &&
                (rc = bo_ledger_account_add(book, r->f[C_CODE], r->f[C_NAME], r->type,
                                            r->f[C_PARENT], r->currency)))
                bo__error_prefix("%s:%d: ", path, r->line);
            posts += r->balance != 0;
        }
        if (!rc && posts && !(rc = bo_entry_new(&e, date, memo ? memo : "opening balances"))) {
            for (size_t i = 0; i < n && !rc; i++)
                if (rows[i].balance &&
                    (rc = bo_entry_add(e, rows[i].f[C_CODE], rows[i].balance, rows[i].currency,
                                       NULL)))
                    bo__error_prefix("%s:%d: ", path, rows[i].line);
            if (!rc && (rc = bo_ledger_post(book, e, NULL)))
                bo__error_prefix("%s: the opening entry: ", path);
            bo_entry_free(e);
        }
        if (!rc)
            rc = bo_book_commit(book);
        else {
            bo__error_state es;
            bo__error_save(&es);
            bo_book_rollback(book);
            bo__error_restore(&es);
        }
    }
    for (int i = 0; i < CSV_FIELDS; i++)
        bo__free(fields[i]);
    rows_free(rows, n);
    if (rc)
        bo__error_prefix("opening CSV: ");
    return rc;
}
