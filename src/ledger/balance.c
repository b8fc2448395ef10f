/*
 * Balances from the day totals: one index seek per account in the subtree,
 * whatever the number of entries.
 */
#include "ledger/ledger.h"

#include <stdio.h>
#include <string.h>

/* Sub-accounts are those whose path starts with the account's path: a range
 * [path, path with its final '/' turned into '0'), since '0' follows '/'. */
static const char SQL_SUBTREE_TOTALS[] =
    "SELECT (SELECT d.total FROM account_days d WHERE d.account_id = a.id"
    "        AND d.currency = ? AND d.date <= ? ORDER BY d.date DESC LIMIT 1)"
    " FROM accounts a WHERE a.path >= ? AND a.path < ?"
    /* and each lane's latest total (version 16): one seek per lane that
     * ever wrote to the account, summed here, checked */
    " UNION ALL SELECT (SELECT d.total FROM account_lane_days d WHERE d.lane = l.lane"
    "  AND d.account_id = l.account_id AND d.currency = l.currency AND d.date <= ?"
    "  ORDER BY d.date DESC LIMIT 1)"
    " FROM accounts a JOIN account_lanes l ON l.account_id = a.id AND l.currency = ?"
    " WHERE a.path >= ? AND a.path < ?";

/* The same rows with where each comes from (lane, 0 for account_days;
 * account; the row's date), to fold in the shifts of later day totals this
 * transaction holds back (src/ledger/days.c): read only while it holds any. */
static const char SQL_SUBTREE_TOTALS_DATED[] =
    "SELECT 0, a.id, d.date, d.total FROM accounts a JOIN account_days d"
    " ON d.account_id = a.id AND d.currency = ? AND d.date = (SELECT MAX(x.date)"
    "  FROM account_days x WHERE x.account_id = a.id AND x.currency = d.currency"
    "  AND x.date <= ?)"
    " WHERE a.path >= ? AND a.path < ?"
    " UNION ALL SELECT l.lane, a.id, d.date, d.total FROM accounts a"
    " JOIN account_lanes l ON l.account_id = a.id AND l.currency = ?"
    " JOIN account_lane_days d ON d.lane = l.lane AND d.account_id = a.id"
    "  AND d.currency = l.currency AND d.date = (SELECT MAX(x.date) FROM account_lane_days x"
    "  WHERE x.lane = l.lane AND x.account_id = a.id AND x.currency = l.currency"
    "  AND x.date <= ?)"
    " WHERE a.path >= ? AND a.path < ?";

int bo_ledger_balance(bo_book *b, const char *account, bo_date as_of,
                      const char *currency, int64_t *out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc, exp;
    if ((rc = bo__text_check("account", account, BO_CODE_MAX, false, false)))
        return rc;
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    if (as_of < BO_DATE_MIN || as_of > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "as_of: outside 0001-01-01..9999-12-31");
    if ((rc = bo__require(b, BO__P_LEDGER_READ)))
        return rc;
    const bo__account *a;
    if ((rc = bo__account_find(b, account, &a)))
        return rc;
    /* Shifts of later day totals held back by this transaction: folded into
     * the sum, never written here (a reader that writes them can fail
     * half-way inside a transaction that goes on). */
    bo__shifts *held = bo__ledger_days_held(b);
    char date[11];
    bo__date_iso(as_of, date);
    size_t plen = strlen(a->path);
    char *upper = bo__strdup(a->path);
    if (!upper)
        return BO_ENOMEM;
    upper[plen - 1] = '0';
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, held ? SQL_SUBTREE_TOTALS_DATED : SQL_SUBTREE_TOTALS,
                           &s))) {
        bo__free(upper);
        return rc;
    }
    int64_t sum = 0;
    const char *cur = currency ? currency : a->currency;
    rc = held ? bo__stmt_bind(s, "tttttttt", cur, date, a->path, upper, cur, date,
                              a->path, upper)
              : bo__stmt_bind(s, "tttttttt", cur, date, a->path, upper, date, cur,
                              a->path, upper);
    if (!rc) {
        int col = held ? 3 : 0;
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t t = bo__stmt_is_null(s, col) ? 0 : bo__stmt_col_int(s, col);
            if ((held && bo__ledger_days_fold(held, (int)bo__stmt_col_int(s, 0),
                                              bo__stmt_col_int(s, 1), cur,
                                              bo__stmt_col_text(s, 2), &t)) ||
                bo_money_add(sum, t, &sum)) {
                rc = bo__error_set(BO_EOVERFLOW, "account '%s': the %s balance "
                                   "with sub-accounts overflows", account, cur);
                break;
            }
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    bo__free(upper);
    if (!rc)
        *out = sum;
    return rc;
}
