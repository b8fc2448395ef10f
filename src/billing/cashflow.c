/*
 * Cash-flow statement, direct method: the entries that move a cash account
 * (a bank account with statements, or an account payments went through),
 * their other postings grouped by account and classified by the account's
 * type. Amounts are book-currency values (base_amount).
 */
#include "billing/billing.h"

static const char SQL_CASH_FLOW[] =
    "WITH cash AS (SELECT a.id FROM accounts a WHERE a.code IN"
    "  (SELECT account FROM bill_payments UNION SELECT account FROM bill_statements)),"
    " ent AS (SELECT DISTINCT p.entry_id FROM postings p"
    "  WHERE p.account_id IN (SELECT id FROM cash) AND p.date >= ?1 AND p.date <= ?2),"
    " ops AS (SELECT account AS code FROM bill_invoices WHERE account IS NOT NULL"
    "  UNION SELECT account FROM bill_invoice_taxes),"
    " f AS (SELECT CASE WHEN a.type IN (4, 5) OR a.code IN (SELECT code FROM ops)"
    "   THEN 'operating' WHEN a.type = 1 THEN 'investing' ELSE 'financing' END AS section,"
    "  a.code, COALESCE(p.base_amount, p.amount) AS v"
    "  FROM postings p JOIN accounts a ON a.id = p.account_id"
    "  WHERE p.entry_id IN (SELECT entry_id FROM ent)"
    "  AND p.account_id NOT IN (SELECT id FROM cash))"
    " SELECT section, code, SUM(CASE WHEN v < 0 THEN -v ELSE 0 END),"
    " SUM(CASE WHEN v > 0 THEN v ELSE 0 END) FROM f GROUP BY section, code"
    " ORDER BY CASE section WHEN 'operating' THEN 1 WHEN 'investing' THEN 2 ELSE 3 END,"
    " code";
static const bo__col cash_cols[] = {
    { "section", BO_TYPE_TEXT }, { "account", BO_TYPE_TEXT },
    { "inflow", BO_TYPE_INT }, { "outflow", BO_TYPE_INT },
};

int bo_bill_cash_flow(bo_book *book, bo_date from, bo_date to, bo_cursor **out)
{
    return bo__bill_period_cursor(book, SQL_CASH_FLOW, cash_cols, 4, from, to, out);
}
