/*
 * Cash-flow statement, direct method: the entries that move a cash account,
 * their other postings grouped by account and classified by the account's
 * type. Amounts are book-currency values (base_amount).
 *
 * The cash accounts are found where money comes in and goes out: the
 * accounts payments went through and bank statements were imported for,
 * the accounts a till takes payment into (the inventory settings
 * "payment.<method>"), and the accounts pay runs were paid from. Income and
 * expense, party, tax, stock and payroll accounts are operating; other
 * assets investing; other liabilities and equity financing. A sale's cost
 * of goods moves no cash: postings on the stock accounts (inventory and
 * cost of goods sold) that cancel out within an entry are left out. So the
 * inflows less the outflows are the movement of the cash accounts.
 */
#include "billing/billing.h"

static const char SQL_CASH_FLOW[] =
    "WITH cash AS (SELECT a.id FROM " BO__LEDGER_ACCOUNTS " a WHERE"
    BO__BILLING_CASH_WHERE "),"
    " stock AS (SELECT a.id FROM " BO__LEDGER_ACCOUNTS " a WHERE a.code IN"
    "  (SELECT value FROM settings WHERE key IN ('inventory.account.inventory',"
    "   'inventory.account.cogs')"
    "   UNION SELECT inventory_account FROM inv_locations)),"
    " ent AS (SELECT DISTINCT p.entry_id FROM " BO__LEDGER_POSTINGS " p"
    "  WHERE p.account_id IN (SELECT id FROM cash) AND p.date >= ?1 AND p.date <= ?2),"
    " ops AS (" BO__BILLING_OPERATING_CODES "),"
    " f AS (SELECT CASE WHEN a.type IN (4, 5) OR a.code IN (SELECT code FROM ops)"
    "   THEN 'operating' WHEN a.type = 1 THEN 'investing' ELSE 'financing' END AS section,"
    "  a.code, p.book_amount AS v,"
    "  CASE WHEN p.account_id IN (SELECT id FROM stock) THEN 1 ELSE 0 END AS is_stock,"
    "  SUM(CASE WHEN p.account_id IN (SELECT id FROM stock)"
    "   THEN p.book_amount ELSE 0 END)"
    "   OVER (PARTITION BY p.entry_id) AS stock_net"
    "  FROM " BO__LEDGER_POSTINGS " p"
    "  JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id"
    "  WHERE p.entry_id IN (SELECT entry_id FROM ent)"
    "  AND p.account_id NOT IN (SELECT id FROM cash))"
    " SELECT section, code, SUM(CASE WHEN v < 0 THEN -v ELSE 0 END),"
    " SUM(CASE WHEN v > 0 THEN v ELSE 0 END) FROM f"
    " WHERE NOT (is_stock = 1 AND stock_net = 0) GROUP BY section, code"
    " ORDER BY CASE section WHEN 'operating' THEN 1 WHEN 'investing' THEN 2 ELSE 3 END,"
    " code";
static const bo__col cash_cols[] = {
    { "section", BO_TYPE_TEXT }, { "account", BO_TYPE_TEXT },
    { "inflow", BO_TYPE_INT }, { "outflow", BO_TYPE_INT },
};

int bo_billing_cash_flow(bo_book *book, bo_date from, bo_date to, bo_cursor **out)
{
    return bo__bill_period_cursor(book, SQL_CASH_FLOW, cash_cols, 4, from, to, out);
}
