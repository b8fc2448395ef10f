/*
 * Statement of account per party: documents, reversals, payments and
 * write-offs in date order with a running balance per currency (positive:
 * the party owes the business).
 */
#include "billing/billing.h"

#include <string.h>

/* ?1 party, ?2 from, ?3 to. */
static const char SQL_STATEMENT[] =
    "WITH m AS ("
    " SELECT i.post_date AS date, 1 AS ord, i.id AS seq,"
    "  CASE i.kind WHEN 1 THEN 'invoice' WHEN 2 THEN 'bill' WHEN 3 THEN 'credit note'"
    "  ELSE 'vendor credit' END AS kind,"
    "  COALESCE((SELECT s.prefix FROM bill_series s WHERE s.code = i.series), '')"
    "  || CAST(i.number AS TEXT) AS reference, i.currency,"
    "  CASE WHEN i.kind IN (1, 4) THEN i.total ELSE 0 END AS debit,"
    "  CASE WHEN i.kind IN (1, 4) THEN 0 ELSE i.total END AS credit"
    " FROM bill_invoices i WHERE i.party = ?1 AND i.status > 0"
    " UNION ALL"
    " SELECT i.rev_date, 2, i.id, 'reversal',"
    "  COALESCE((SELECT s.prefix FROM bill_series s WHERE s.code = i.series), '')"
    "  || CAST(i.number AS TEXT), i.currency,"
    "  CASE WHEN i.kind IN (1, 4) THEN 0 ELSE i.total END,"
    "  CASE WHEN i.kind IN (1, 4) THEN i.total ELSE 0 END"
    " FROM bill_invoices i WHERE i.party = ?1 AND i.status = 2"
    " UNION ALL"
    " SELECT p.date, 3, p.id, 'payment', p.reference, p.currency,"
    "  CASE WHEN p.kind = 2 THEN p.amount ELSE 0 END,"
    "  CASE WHEN p.kind = 1 THEN p.amount ELSE 0 END"
    " FROM bill_payments p WHERE p.party = ?1"
    " UNION ALL"
    " SELECT a.date, 4, a.id, 'write-off', NULL, i.currency,"
    "  CASE WHEN i.kind IN (1, 4) THEN 0 ELSE a.write_off END,"
    "  CASE WHEN i.kind IN (1, 4) THEN a.write_off ELSE 0 END"
    " FROM bill_allocations a JOIN bill_invoices i ON i.id = a.invoice_id"
    " WHERE i.party = ?1 AND a.write_off <> 0),"
    " o AS (SELECT currency, SUM(debit - credit) AS bal FROM m WHERE date < ?2"
    "  GROUP BY currency),"
    " c AS (SELECT DISTINCT currency FROM m WHERE date <= ?3)"
    " SELECT date, kind, reference, currency, debit, credit, balance FROM ("
    " SELECT ?2 AS date, 0 AS ord, 0 AS seq, 'opening' AS kind, NULL AS reference,"
    "  c.currency, 0 AS debit, 0 AS credit, COALESCE(o.bal, 0) AS balance"
    "  FROM c LEFT JOIN o ON o.currency = c.currency"
    " UNION ALL"
    " SELECT m.date, m.ord, m.seq, m.kind, m.reference, m.currency, m.debit, m.credit,"
    "  COALESCE((SELECT o.bal FROM o WHERE o.currency = m.currency), 0)"
    "  + SUM(m.debit - m.credit) OVER (PARTITION BY m.currency"
    "   ORDER BY m.date, m.ord, m.seq ROWS UNBOUNDED PRECEDING)"
    "  FROM m WHERE m.date >= ?2 AND m.date <= ?3) x"
    " ORDER BY currency, date, ord, seq";
static const bo__col statement_cols[] = {
    { "date", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT }, { "reference", BO_TYPE_TEXT },
    { "currency", BO_TYPE_TEXT }, { "debit", BO_TYPE_INT }, { "credit", BO_TYPE_INT },
    { "balance", BO_TYPE_INT },
};

int bo_billing_statement(bo_book *book, const char *party, bo_date from, bo_date to,
                      bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_READ)) ||
        (rc = bo__text_check("party", party, BO_CODE_MAX, false, false)) ||
        (rc = bo__bill_date_ok("from", from)) || (rc = bo__bill_date_ok("to", to)))
        return rc;
    if (to < from)
        return bo__error_set(BO_EINVAL, "to: before from");
    bo__party p;
    if ((rc = bo__party_find(book, party, &p)))
        return rc;
    return bo__listing(book, 0, NULL, SQL_STATEMENT, statement_cols, 7, out, "tdd", party,
                       from, to);
}
