/*
 * Tax report per rate and currency for a period, read from the postings of
 * the tax accounts (the accounts the tax rates name) dated in the period,
 * each explained by the tax lines its entry recorded (commerce.h): invoices,
 * bills, credit notes, till sales and returns. A reversal is read from the
 * lines of the entry it reverses, negated, in the period it was posted, so
 * a closed month's report never changes. What no tax line explains
 * (a settlement with the tax office, a manual adjustment) is the row
 * "other". So the report's book-currency figures add up to the movement of
 * the tax accounts in the period, by construction.
 */
#include "billing/billing.h"

/* ?1 from, ?2 to. mv: per entry and tax account, the movement in the
 * period (book currency, debit-positive); ent: the entries with tax lines
 * or tax postings in the period, and the reversals posted in it (a
 * reversal of a zero-rated sale moves no tax account but has a base);
 * src: each of them back through the reversals to the entry that recorded
 * the lines, with the sign (-1 for an odd number of reversals). */
static const char SQL_TAX[] =
    "WITH RECURSIVE"
    " acc AS (SELECT a.id, a.code FROM " BO__LEDGER_ACCOUNTS " a WHERE a.code IN"
    "  (SELECT sales_account FROM tax_rates UNION SELECT purchase_account FROM tax_rates)),"
    " mv AS (SELECT p.entry_id, acc.code AS account,"
    "  SUM(p.book_amount) AS v"
    "  FROM acc JOIN " BO__LEDGER_POSTINGS " p ON p.account_id = acc.id"
    "  WHERE p.date >= ?1 AND p.date <= ?2 GROUP BY p.entry_id, acc.code),"
    " ent AS (SELECT entry_id FROM mv"
    "  UNION SELECT entry_id FROM tax_lines WHERE date >= ?1 AND date <= ?2"
    "  UNION SELECT r.reversed_by FROM " BO__LEDGER_REVERSALS " r"
    "  JOIN " BO__LEDGER_ENTRIES " e ON e.id = r.reversed_by"
    "  WHERE e.date >= ?1 AND e.date <= ?2),"
    " src (entry_id, orig, sgn) AS (SELECT entry_id, entry_id, 1 FROM ent"
    "  UNION ALL SELECT s.entry_id, r.entry_id, -s.sgn FROM src s"
    "  JOIN " BO__LEDGER_REVERSALS " r ON r.reversed_by = s.orig),"
    " ln AS (SELECT t.side, t.rate, t.currency, s.sgn * t.base AS base,"
    "  s.sgn * t.amount AS amount, s.sgn * t.book AS book"
    "  FROM src s JOIN tax_lines t ON t.entry_id = s.orig),"
    " oth AS (SELECT COALESCE((SELECT SUM(v) FROM mv), 0)"
    "  - COALESCE((SELECT SUM(CASE side WHEN 1 THEN -book ELSE book END) FROM ln), 0) AS v)"
    " SELECT rate, currency, sales_base, sales_tax, purchase_base, purchase_tax,"
    " sales_tax_book, purchase_tax_book, other_book FROM ("
    " SELECT rate, currency,"
    "  SUM(CASE side WHEN 1 THEN base ELSE 0 END) AS sales_base,"
    "  SUM(CASE side WHEN 1 THEN amount ELSE 0 END) AS sales_tax,"
    "  SUM(CASE side WHEN 2 THEN base ELSE 0 END) AS purchase_base,"
    "  SUM(CASE side WHEN 2 THEN amount ELSE 0 END) AS purchase_tax,"
    "  SUM(CASE side WHEN 1 THEN book ELSE 0 END) AS sales_tax_book,"
    "  SUM(CASE side WHEN 2 THEN book ELSE 0 END) AS purchase_tax_book,"
    "  0 AS other_book FROM ln GROUP BY rate, currency"
    " UNION ALL"
    " SELECT NULL, (SELECT value FROM bo_meta WHERE key = 'base_currency'),"
    "  0, 0, 0, 0, 0, 0, v FROM oth WHERE v <> 0) x"
    " ORDER BY rate IS NULL, rate, currency";
static const bo__col tax_cols[] = {
    { "rate", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT },
    { "sales_base", BO_TYPE_INT }, { "sales_tax", BO_TYPE_INT },
    { "purchase_base", BO_TYPE_INT }, { "purchase_tax", BO_TYPE_INT },
    { "sales_tax_book", BO_TYPE_INT }, { "purchase_tax_book", BO_TYPE_INT },
    { "other_book", BO_TYPE_INT },
};

int bo__bill_period_cursor(bo_book *b, const char *sql, const bo__col *cols, int n,
                           bo_date from, bo_date to, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if ((rc = bo__bill_date_ok("from", from)) || (rc = bo__bill_date_ok("to", to)))
        return rc;
    if (to < from)
        return bo__error_set(BO_EINVAL, "to: before from");
    return bo__listing(b, BO__P_BILLING_READ, NULL, sql, cols, n, out, "dd", from, to);
}

int bo_billing_tax_report(bo_book *book, bo_date from, bo_date to, bo_cursor **out)
{
    return bo__bill_period_cursor(book, SQL_TAX, tax_cols, 9, from, to, out);
}
