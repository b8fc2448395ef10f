/*
 * Tax report per rate and period, from the tax lines of posted documents
 * (reversed documents are left out: their reversal cancels them).
 */
#include "billing/billing.h"

static const char SQL_TAX[] =
    "SELECT t.rate, i.currency,"
    " SUM(CASE i.kind WHEN 1 THEN t.base WHEN 3 THEN -t.base ELSE 0 END),"
    " SUM(CASE i.kind WHEN 1 THEN t.amount WHEN 3 THEN -t.amount ELSE 0 END),"
    " SUM(CASE i.kind WHEN 2 THEN t.base WHEN 4 THEN -t.base ELSE 0 END),"
    " SUM(CASE i.kind WHEN 2 THEN t.amount WHEN 4 THEN -t.amount ELSE 0 END)"
    " FROM bill_invoice_taxes t JOIN bill_invoices i ON i.id = t.invoice_id"
    " WHERE i.status = 1 AND i.post_date >= ? AND i.post_date <= ?"
    " GROUP BY t.rate, i.currency ORDER BY t.rate, i.currency";
static const bo__col tax_cols[] = {
    { "rate", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT },
    { "sales_base", BO_TYPE_INT }, { "sales_tax", BO_TYPE_INT },
    { "purchase_base", BO_TYPE_INT }, { "purchase_tax", BO_TYPE_INT },
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
    if ((rc = bo__bill_cursor(b, BO__P_BILLING_READ, sql, cols, n, out)))
        return rc;
    char f[11], t[11];
    bo__date_iso(from, f);
    bo__date_iso(to, t);
    bo__stmt *s = bo__cursor_stmt(*out);
    if ((rc = bo__stmt_text(s, 1, f)) || (rc = bo__stmt_text(s, 2, t))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}

int bo_bill_tax_report(bo_book *book, bo_date from, bo_date to, bo_cursor **out)
{
    return bo__bill_period_cursor(book, SQL_TAX, tax_cols, 6, from, to, out);
}
