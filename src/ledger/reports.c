/*
 * Listings and statements as cursors. All of them are single SQL
 * statements over the day totals (balances) or postings (journal), so they
 * stream and run the same on every backend.
 */
#include "ledger/ledger.h"

#include <string.h>

#define TYPE_NAME_SQL(col) \
    "CASE " col " WHEN 1 THEN 'asset' WHEN 2 THEN 'liability' WHEN 3 THEN 'equity'" \
    " WHEN 4 THEN 'income' ELSE 'expense' END"

/* Each account's own balance per currency at the end of ?1. */
#define OWN_TOTALS(param) \
    "SELECT d.account_id, d.currency, d.total FROM account_days d" \
    " WHERE d.date = (SELECT MAX(x.date) FROM account_days x" \
    "  WHERE x.account_id = d.account_id AND x.currency = d.currency" \
    "  AND x.date <= " param ")"

static int with_dates(bo_book *b, const char *sql, const bo__col *cols, int ncols,
                      const bo_date *dates, int ndates, unsigned perm, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    for (int i = 0; i < ndates; i++)
        if (dates[i] < BO_DATE_MIN || dates[i] > BO_DATE_MAX)
            return bo__error_set(BO_EINVAL, "date: outside 0001-01-01..9999-12-31");
    int rc = bo__require(b, perm);
    if (rc || (rc = bo__cursor_new(b, sql, cols, ncols, out)))
        return rc;
    for (int i = 0; i < ndates && !rc; i++) {
        char iso[11];
        bo__date_iso(dates[i], iso);
        rc = bo__stmt_text(bo__cursor_stmt(*out), i + 1, iso);
    }
    if (rc) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- trial balance ------------------------------------------------------ */

static const char SQL_TRIAL[] =
    "WITH t AS (" OWN_TOTALS("?1") ")"
    " SELECT a.code, a.name, " TYPE_NAME_SQL("a.type") ", t.currency,"
    " CASE WHEN t.total > 0 THEN t.total ELSE 0 END,"
    " CASE WHEN t.total < 0 THEN -t.total ELSE 0 END"
    " FROM t JOIN accounts a ON a.id = t.account_id WHERE t.total <> 0"
    " ORDER BY a.code, t.currency";

static const bo__col trial_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "type", BO_TYPE_TEXT },
    { "currency", BO_TYPE_TEXT }, { "debit", BO_TYPE_INT }, { "credit", BO_TYPE_INT },
};

int bo_ledger_trial_balance(bo_book *b, bo_date as_of, bo_cursor **out)
{
    return with_dates(b, SQL_TRIAL, trial_cols, 6, &as_of, 1,
                      BO__P_LEDGER_READ, out);
}

/* ---- one entry ------------------------------------------------------------ */

static const char SQL_ENTRY[] =
    "SELECT e.id, e.date, e.memo, e.idem_key, r.entry_id, p.line, a.code,"
    " p.amount, p.currency, p.memo, p.base_amount FROM entries e"
    " JOIN postings p ON p.entry_id = e.id JOIN accounts a ON a.id = p.account_id"
    " LEFT JOIN reversals r ON r.reversed_by = e.id"
    " WHERE e.id = ? ORDER BY p.line";
static const char SQL_ENTRY_EXISTS[] = "SELECT 1 FROM entries WHERE id = ?";

static const bo__col entry_cols[] = {
    { "entry", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "memo", BO_TYPE_TEXT },
    { "key", BO_TYPE_TEXT }, { "reverses", BO_TYPE_INT }, { "line", BO_TYPE_INT },
    { "account", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
    { "currency", BO_TYPE_TEXT }, { "line_memo", BO_TYPE_TEXT },
    { "base_amount", BO_TYPE_INT },
};

int bo_ledger_entry(bo_book *b, int64_t entry_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__require(b, BO__P_LEDGER_READ);
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_ENTRY_EXISTS, &s)))
        return rc;
    if (!(rc = bo__stmt_int(s, 1, entry_id))) {
        rc = bo__stmt_step(s);
        rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
           : bo__error_set(BO_ENOTFOUND, "entry %lld: not found", (long long)entry_id);
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__cursor_new(b, SQL_ENTRY, entry_cols, 11, out)))
        return rc;
    if ((rc = bo__stmt_int(bo__cursor_stmt(*out), 1, entry_id))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- general ledger -------------------------------------------------------- */

/* The running balance starts from the day total before the range, so it is
 * the account's true balance, not a sum from the range's start. */
#define JOURNAL_SELECT \
    "SELECT p.entry_id, p.date, a.code, COALESCE(p.memo, e.memo), p.amount, p.currency," \
    " COALESCE((SELECT d.total FROM account_days d WHERE d.account_id = p.account_id" \
    "   AND d.currency = p.currency AND d.date < ?1 ORDER BY d.date DESC LIMIT 1), 0)" \
    " + SUM(p.amount) OVER (PARTITION BY p.account_id, p.currency" \
    "   ORDER BY p.date, p.entry_id, p.line ROWS UNBOUNDED PRECEDING)" \
    " FROM postings p JOIN accounts a ON a.id = p.account_id" \
    " JOIN entries e ON e.id = p.entry_id" \
    " WHERE p.date >= ?1 AND p.date <= ?2"

static const char SQL_JOURNAL_ALL[] =
    JOURNAL_SELECT " ORDER BY p.date, p.entry_id, p.line";
static const char SQL_JOURNAL_ACCOUNT[] =
    JOURNAL_SELECT " AND a.path >= ?3 AND a.path < ?4"
    " ORDER BY p.date, p.entry_id, p.line";

static const bo__col journal_cols[] = {
    { "entry", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "account", BO_TYPE_TEXT },
    { "memo", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT }, { "currency", BO_TYPE_TEXT },
    { "balance", BO_TYPE_INT },
};

int bo_ledger_journal(bo_book *b, const char *account, bo_date from, bo_date to,
                      bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    const bo__account *a = NULL;
    int rc;
    if (account) {
        if ((rc = bo__text_check("account", account, BO_CODE_MAX, false, false)) ||
            (rc = bo__require(b, BO__P_LEDGER_READ)) ||
            (rc = bo__account_find(b, account, &a)))
            return rc;
    }
    bo_date dates[2] = { from, to };
    rc = with_dates(b, a ? SQL_JOURNAL_ACCOUNT : SQL_JOURNAL_ALL, journal_cols, 7,
                    dates, 2, BO__P_LEDGER_READ, out);
    if (rc || !a)
        return rc;
    char *upper = bo__strdup(a->path);
    if (!upper)
        rc = BO_ENOMEM;
    else {
        upper[strlen(upper) - 1] = '0';
        if (!(rc = bo__stmt_text(bo__cursor_stmt(*out), 3, a->path)))
            rc = bo__stmt_text(bo__cursor_stmt(*out), 4, upper);
        bo__free(upper);
    }
    if (rc) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}

/* ---- statements ------------------------------------------------------------- */

static const bo__col statement_cols[] = {
    { "section", BO_TYPE_TEXT }, { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT },
    { "depth", BO_TYPE_INT }, { "currency", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
};

/* Roll each account's own change up into every ancestor (an account is an
 * ancestor of t when t's path starts with its path), shown with the natural
 * sign of its type: credit-normal types negated. */
#define ROLLUP(types) \
    " SELECT a.type AS type, " TYPE_NAME_SQL("a.type") " AS section, a.code AS code," \
    "  a.name AS name, a.depth AS depth, t.currency AS currency," \
    "  SUM(CASE WHEN a.type IN (2, 3, 4) THEN -t.amount ELSE t.amount END) AS amount" \
    " FROM accounts a JOIN ta t ON substr(t.path, 1, length(a.path)) = a.path" \
    " WHERE a.type IN " types " GROUP BY a.id, a.type, a.code, a.name, a.depth, t.currency"

static const char SQL_BALANCE_SHEET[] =
    "WITH ta AS (SELECT x.path AS path, t.currency AS currency, t.total AS amount,"
    "  x.type AS type FROM (" OWN_TOTALS("?1") ") t JOIN accounts x ON x.id = t.account_id),"
    " rows AS (" ROLLUP("(1, 2, 3)")
    " UNION ALL SELECT 3, 'equity', NULL, 'current earnings', 0, currency,"
    "  -SUM(amount) FROM ta WHERE type IN (4, 5) GROUP BY currency)"
    " SELECT section, code, name, depth, currency, amount FROM rows"
    " ORDER BY type, code IS NULL, code, currency";

int bo_ledger_balance_sheet(bo_book *b, bo_date as_of, bo_cursor **out)
{
    return with_dates(b, SQL_BALANCE_SHEET, statement_cols, 6, &as_of, 1,
                      BO__P_LEDGER_READ, out);
}

/* Change over the range = total at the end of ?2 minus total before ?1. */
static const char SQL_INCOME[] =
    "WITH e AS (" OWN_TOTALS("?2") "),"
    " s AS (SELECT d.account_id, d.currency, d.total FROM account_days d"
    "  WHERE d.date = (SELECT MAX(x.date) FROM account_days x"
    "   WHERE x.account_id = d.account_id AND x.currency = d.currency AND x.date < ?1)),"
    /* year-end closing entries and their reversals in the range */
    " k AS (SELECT p.account_id, p.currency, SUM(p.amount) AS amount FROM postings p"
    "  JOIN (SELECT entry_id AS id FROM ledger_closings WHERE entry_id IS NOT NULL"
    "   UNION ALL SELECT reopened_by FROM ledger_closings WHERE reopened_by > 0) c"
    "  ON p.entry_id = c.id WHERE p.date >= ?1 AND p.date <= ?2"
    "  GROUP BY p.account_id, p.currency),"
    " ta AS (SELECT x.path AS path, e.currency AS currency,"
    "  e.total - COALESCE(s.total, 0) - COALESCE(k.amount, 0) AS amount, x.type AS type"
    "  FROM e JOIN accounts x ON x.id = e.account_id"
    "  LEFT JOIN s ON s.account_id = e.account_id AND s.currency = e.currency"
    "  LEFT JOIN k ON k.account_id = e.account_id AND k.currency = e.currency"
    "  WHERE x.type IN (4, 5)),"
    " rows AS (" ROLLUP("(4, 5)")
    " UNION ALL SELECT 9, 'total', NULL, 'net income', 0, currency, -SUM(amount)"
    "  FROM ta GROUP BY currency)"
    " SELECT section, code, name, depth, currency, amount FROM rows"
    " ORDER BY type, code IS NULL, code, currency";

int bo_ledger_income_statement(bo_book *b, bo_date from, bo_date to, bo_cursor **out)
{
    bo_date dates[2] = { from, to };
    return with_dates(b, SQL_INCOME, statement_cols, 6, dates, 2,
                      BO__P_LEDGER_READ, out);
}
