/*
 * Listings and statements as cursors. All of them are single SQL
 * statements over the day totals (balances) or postings (journal), so they
 * stream and run the same on every backend.
 */
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define TYPE_NAME_SQL(col) \
    "CASE " col " WHEN 1 THEN 'asset' WHEN 2 THEN 'liability' WHEN 3 THEN 'equity'" \
    " WHEN 4 THEN 'income' ELSE 'expense' END"

/* Each account's own balance per currency at the end of ?1, from the day
 * totals (T = BO__LEDGER_TOTALS) or, while the transaction holds back
 * shifts of later day totals, from the postings (T = BO__LEDGER_POSTED):
 * every statement below comes in both forms, and with_dates picks one. */
#define OWN_TOTALS(T, param) T("<=", param)

/*
 * Amounts are never negated, subtracted or summed by the SQL itself: SQLite
 * turns an integer result past int64 into a float (INT64_MIN negated
 * became 9.2e18 and was read back clamped), PostgreSQL fails without
 * naming the row. The SQL returns each figure as exact parts
 * (BO__SQL_HI/LO, util/fixed.h) in hidden columns after the described
 * ones, and a row hook joins them, applies the sign and splits debit from
 * credit through the checked family: the figure is exact, or the cursor
 * step fails with BO_EOVERFLOW naming the account.
 */

/* A failing row: "<report>: account 'CODE' (CUR): <what> does not fit in
 * 64 bits", or "<report>: 'NAME' (CUR): ..." for a total without a code
 * ("net income", "current earnings"). */
static int row_overflow(bo__stmt *s, const char *report, int code_col, int name_col,
                        int cur_col, const char *what)
{
    int total = bo__stmt_is_null(s, code_col);
    return bo__error_set(BO_EOVERFLOW, "%s: %s'%s' (%s): %s does not fit in 64 bits",
                         report, total ? "" : "account ",
                         bo__stmt_col_text(s, total ? name_col : code_col),
                         bo__stmt_col_text(s, cur_col), what);
}

static int with_dates(bo_book *b, const char *sql, const char *sql_held,
                      const bo__col *cols, int ncols, const bo_date *dates, int ndates,
                      unsigned perm, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    for (int i = 0; i < ndates; i++)
        if (dates[i] < BO_DATE_MIN || dates[i] > BO_DATE_MAX)
            return bo__error_set(BO_EINVAL, "date: outside 0001-01-01..9999-12-31");
    /* Shifts of later day totals held back by this transaction are not in
     * the stored totals yet: read the postings instead (never write them
     * here: a reader that writes can fail half-way in a transaction that
     * goes on). */
    if (bo__ledger_days_held(b))
        sql = sql_held;
    if (ndates == 1)
        return bo__listing(b, perm, NULL, sql, cols, ncols, out, "d", dates[0]);
    return bo__listing(b, perm, NULL, sql, cols, ncols, out, "dd", dates[0], dates[1]);
}

/* ---- trial balance ------------------------------------------------------ */

/* debit and credit (columns 4, 5) are split from the total (6) in C. */
#define SQL_TRIAL_OF(T) \
    "WITH t AS (" OWN_TOTALS(T, "?1") ")" \
    " SELECT a.code, a.name, " TYPE_NAME_SQL("a.type") ", t.currency, 0, 0, t.total" \
    " FROM t JOIN accounts a ON a.id = t.account_id WHERE t.total <> 0" \
    " ORDER BY a.code, t.currency"
static const char SQL_TRIAL[] = SQL_TRIAL_OF(BO__LEDGER_TOTALS);
static const char SQL_TRIAL_HELD[] = SQL_TRIAL_OF(BO__LEDGER_POSTED);

/* A credit balance of INT64_MIN is a credit of 2^63, one more than int64
 * holds: refused by name rather than shown one unit short. */
static int trial_row(bo_cursor *c, bo__stmt *s, int64_t arg)
{
    (void)arg;
    int64_t total = bo__stmt_col_int(s, 6), credit = 0;
    if (total < 0 && bo__fx_neg(total, &credit))
        return row_overflow(s, "trial balance", 0, 1, 3, "the credit balance");
    bo__cursor_put_int(c, 4, total > 0 ? total : 0);
    bo__cursor_put_int(c, 5, credit);
    return 0;
}

static const bo__col trial_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "type", BO_TYPE_TEXT },
    { "currency", BO_TYPE_TEXT }, { "debit", BO_TYPE_INT }, { "credit", BO_TYPE_INT },
};

int bo_ledger_trial_balance(bo_book *b, bo_date as_of, bo_cursor **out)
{
    int rc = with_dates(b, SQL_TRIAL, SQL_TRIAL_HELD, trial_cols, 6, &as_of, 1, BO__P_LEDGER_READ, out);
    if (!rc)
        bo__cursor_on_row(*out, trial_row, 0);
    return rc;
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
    static const bo__parent entry = { SQL_ENTRY_EXISTS, "entry", ": not found" };
    return bo__listing(b, BO__P_LEDGER_READ, &entry, SQL_ENTRY, entry_cols, 11, out, "i",
                       entry_id);
}

/* ---- general ledger -------------------------------------------------------- */

/* The running balance starts from the day total before the range, so it is
 * the account's true balance, not a sum from the range's start. Its exact
 * parts (columns 7, 8) are joined into column 6 in C. */
#define JOURNAL_START(part) \
    " (COALESCE((SELECT " part " FROM account_days d WHERE d.account_id = p.account_id" \
    "   AND d.currency = p.currency AND d.date < ?1 ORDER BY d.date DESC LIMIT 1), 0) +" \
    "  COALESCE((SELECT SUM(v.x) FROM (SELECT (SELECT " part " FROM account_lane_days d" \
    "   WHERE d.lane = l.lane AND d.account_id = l.account_id AND d.currency = l.currency" \
    "   AND d.date < ?1 ORDER BY d.date DESC LIMIT 1) AS x FROM account_lanes l" \
    "   WHERE l.account_id = p.account_id AND l.currency = p.currency) v), 0))"
/* The same from the postings (shifts held back: with_dates); part is over
 * q.amount. */
#define JOURNAL_START_HELD(part) \
    " COALESCE((SELECT SUM(" part ") FROM postings q WHERE q.account_id = p.account_id" \
    "   AND q.currency = p.currency AND q.date < ?1), 0)"
#define JOURNAL_RUNNING(part) \
    " SUM(" part ") OVER (PARTITION BY p.account_id, p.currency" \
    "   ORDER BY p.date, p.entry_id, p.line ROWS UNBOUNDED PRECEDING)"
#define JOURNAL_SELECT_OF(start_hi, start_lo) \
    "SELECT p.entry_id, p.date, a.code, COALESCE(p.memo, e.memo), p.amount, p.currency," \
    " 0," start_hi " +" JOURNAL_RUNNING(BO__SQL_HI("p.amount")) "," \
    start_lo " +" JOURNAL_RUNNING(BO__SQL_LO("p.amount")) \
    " FROM postings p JOIN accounts a ON a.id = p.account_id" \
    " JOIN entries e ON e.id = p.entry_id" \
    " WHERE p.date >= ?1 AND p.date <= ?2"

#define JOURNAL_SELECT \
    JOURNAL_SELECT_OF(JOURNAL_START(BO__SQL_HI("d.total")), JOURNAL_START(BO__SQL_LO("d.total")))
#define JOURNAL_SELECT_HELD \
    JOURNAL_SELECT_OF(JOURNAL_START_HELD(BO__SQL_HI("q.amount")), \
                      JOURNAL_START_HELD(BO__SQL_LO("q.amount")))
#define JOURNAL_ACCOUNT " AND a.path >= ?3 AND a.path < ?4"
#define JOURNAL_ORDER " ORDER BY p.date, p.entry_id, p.line"

static const char SQL_JOURNAL_ALL[] = JOURNAL_SELECT JOURNAL_ORDER;
static const char SQL_JOURNAL_ACCOUNT[] = JOURNAL_SELECT JOURNAL_ACCOUNT JOURNAL_ORDER;
static const char SQL_JOURNAL_ALL_HELD[] = JOURNAL_SELECT_HELD JOURNAL_ORDER;
static const char SQL_JOURNAL_ACCOUNT_HELD[] =
    JOURNAL_SELECT_HELD JOURNAL_ACCOUNT JOURNAL_ORDER;

static int journal_row(bo_cursor *c, bo__stmt *s, int64_t arg)
{
    (void)arg;
    int64_t v;
    if (bo__fx_narrow(bo__fx_join(bo__stmt_col_int(s, 7), bo__stmt_col_int(s, 8)), &v)) {
        char what[80];
        snprintf(what, sizeof what, "the running balance after entry %" PRId64,
                 bo__stmt_col_int(s, 0));
        return row_overflow(s, "general ledger", 2, 3, 5, what);
    }
    bo__cursor_put_int(c, 6, v);
    return 0;
}

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
    rc = with_dates(b, a ? SQL_JOURNAL_ACCOUNT : SQL_JOURNAL_ALL,
                    a ? SQL_JOURNAL_ACCOUNT_HELD : SQL_JOURNAL_ALL_HELD, journal_cols, 7,
                    dates, 2, BO__P_LEDGER_READ, out);
    if (!rc)
        bo__cursor_on_row(*out, journal_row, 0);
    if (rc || !a)
        return rc;
    char *upper = bo__strdup(a->path);
    if (!upper)
        rc = BO_ENOMEM;
    else {
        upper[strlen(upper) - 1] = '0';
        rc = bo__stmt_bind_at(bo__cursor_stmt(*out), 3, "tt", a->path, upper);
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
 * ancestor of t when t's path starts with its path), as exact parts: ta
 * holds each account's change as hi, lo (BO__SQL_HI/LO). `neg` says the
 * row is shown with the natural sign of a credit-normal type (negated in
 * C). */
#define ROLLUP(types) \
    " SELECT a.type AS type, " TYPE_NAME_SQL("a.type") " AS section, a.code AS code," \
    "  a.name AS name, a.depth AS depth, t.currency AS currency," \
    "  CASE WHEN a.type IN (2, 3, 4) THEN 1 ELSE 0 END AS neg," \
    "  SUM(t.hi) AS hi, SUM(t.lo) AS lo" \
    " FROM accounts a JOIN ta t ON substr(t.path, 1, length(a.path)) = a.path" \
    " WHERE a.type IN " types " GROUP BY a.id, a.type, a.code, a.name, a.depth, t.currency"

/* section, code, name, depth, currency, amount (set in C); hidden: neg, hi, lo */
#define STATEMENT_SELECT \
    " SELECT section, code, name, depth, currency, 0, neg, hi, lo FROM rows" \
    " ORDER BY type, code IS NULL, code, currency"

static int statement_row(bo_cursor *c, bo__stmt *s, int64_t arg)
{
    bo__i128 v = bo__fx_join(bo__stmt_col_int(s, 7), bo__stmt_col_int(s, 8));
    int64_t amount;
    if (bo__fx_narrow(bo__stmt_col_int(s, 6) ? -v : v, &amount))
        return row_overflow(s, arg ? "income statement" : "balance sheet", 1, 2, 4,
                            "the amount");
    bo__cursor_put_int(c, 5, amount);
    return 0;
}

#define SQL_BALANCE_SHEET_OF(T) \
    "WITH ta AS (SELECT x.path AS path, t.currency AS currency," \
    "  " BO__SQL_HI("t.total") " AS hi, " BO__SQL_LO("t.total") " AS lo," \
    "  x.type AS type FROM (" OWN_TOTALS(T, "?1") ") t JOIN accounts x ON x.id = t.account_id)," \
    " rows AS (" ROLLUP("(1, 2, 3)") \
    " UNION ALL SELECT 3, 'equity', NULL, 'current earnings', 0, currency, 1," \
    "  SUM(hi), SUM(lo) FROM ta WHERE type IN (4, 5) GROUP BY currency)" \
    STATEMENT_SELECT
static const char SQL_BALANCE_SHEET[] = SQL_BALANCE_SHEET_OF(BO__LEDGER_TOTALS);
static const char SQL_BALANCE_SHEET_HELD[] = SQL_BALANCE_SHEET_OF(BO__LEDGER_POSTED);

int bo_ledger_balance_sheet(bo_book *b, bo_date as_of, bo_cursor **out)
{
    int rc = with_dates(b, SQL_BALANCE_SHEET, SQL_BALANCE_SHEET_HELD, statement_cols, 6, &as_of, 1,
                        BO__P_LEDGER_READ, out);
    if (!rc)
        bo__cursor_on_row(*out, statement_row, 0);
    return rc;
}

/* Change over the range = total at the end of ?2 minus total before ?1,
 * part by part: each part's difference stays far inside int64. */
#define CHANGE(part) BO__SQL_##part("e.total") " - " BO__SQL_##part("COALESCE(s.total, 0)") \
    " - COALESCE(k." #part ", 0)"
#define SQL_INCOME_OF(T) \
    "WITH e AS (" OWN_TOTALS(T, "?2") ")," \
    " s AS (" T("<", "?1") ")," \
    /* year-end closing entries and their reversals in the range */ \
    " k AS (SELECT p.account_id, p.currency, SUM(" BO__SQL_HI("p.amount") ") AS HI," \
    "  SUM(" BO__SQL_LO("p.amount") ") AS LO FROM postings p" \
    "  JOIN (SELECT entry_id AS id FROM ledger_closings WHERE entry_id IS NOT NULL" \
    "   UNION ALL SELECT reopened_by FROM ledger_closings WHERE reopened_by > 0) c" \
    "  ON p.entry_id = c.id WHERE p.date >= ?1 AND p.date <= ?2" \
    "  GROUP BY p.account_id, p.currency)," \
    " ta AS (SELECT x.path AS path, e.currency AS currency," \
    "  " CHANGE(HI) " AS hi, " CHANGE(LO) " AS lo, x.type AS type" \
    "  FROM e JOIN accounts x ON x.id = e.account_id" \
    "  LEFT JOIN s ON s.account_id = e.account_id AND s.currency = e.currency" \
    "  LEFT JOIN k ON k.account_id = e.account_id AND k.currency = e.currency" \
    "  WHERE x.type IN (4, 5))," \
    " rows AS (" ROLLUP("(4, 5)") \
    " UNION ALL SELECT 9, 'total', NULL, 'net income', 0, currency, 1, SUM(hi), SUM(lo)" \
    "  FROM ta GROUP BY currency)" \
    STATEMENT_SELECT
static const char SQL_INCOME[] = SQL_INCOME_OF(BO__LEDGER_TOTALS);
static const char SQL_INCOME_HELD[] = SQL_INCOME_OF(BO__LEDGER_POSTED);

int bo_ledger_income_statement(bo_book *b, bo_date from, bo_date to, bo_cursor **out)
{
    bo_date dates[2] = { from, to };
    int rc = with_dates(b, SQL_INCOME, SQL_INCOME_HELD, statement_cols, 6, dates, 2,
                        BO__P_LEDGER_READ, out);
    if (!rc)
        bo__cursor_on_row(*out, statement_row, 1);
    return rc;
}
