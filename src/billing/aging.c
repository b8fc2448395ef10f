/*
 * Reading documents, what is open on them, and the aging of open items.
 *
 * Open amounts are computed from allocation rows dated up to the as-of
 * date, never from a stored "paid" flag, so the answer for a past date
 * does not change when later payments are recorded.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <string.h>

#define KIND_NAME_SQL(col) \
    "CASE " col " WHEN 1 THEN 'sales' WHEN 2 THEN 'purchase' WHEN 3 THEN" \
    " 'sales_credit' ELSE 'purchase_credit' END"
#define STATUS_SQL(col) \
    "CASE " col " WHEN 0 THEN 'draft' WHEN 1 THEN 'posted' ELSE 'reversed' END"
#define DOC_NUMBER_SQL \
    "CASE WHEN i.number IS NULL THEN NULL ELSE" \
    " COALESCE((SELECT s.prefix FROM bill_series s WHERE s.code = i.series), '')" \
    " || CAST(i.number AS TEXT) END"
/* Settled on document i up to ?1. */
#define SETTLED_SQL \
    "(COALESCE((SELECT SUM(a.amount + a.write_off) FROM bill_allocations a" \
    "   WHERE a.invoice_id = i.id AND a.date <= ?1), 0)" \
    " + COALESCE((SELECT SUM(a.amount) FROM bill_allocations a" \
    "   WHERE a.credit_id = i.id AND a.date <= ?1), 0))"
/* What is open on document i at the end of ?1 (0 for drafts, documents
 * posted later, reversed ones). */
#define OPEN_SQL \
    "CASE WHEN i.status = 0 OR i.post_date > ?1 OR" \
    " (i.rev_date IS NOT NULL AND i.rev_date <= ?1) THEN 0 ELSE i.total - " \
    SETTLED_SQL " END"

static const char SQL_GET[] =
    "SELECT i.id, " KIND_NAME_SQL("i.kind") ", " STATUS_SQL("i.status") ", i.series,"
    " i.number, " DOC_NUMBER_SQL ", i.party, i.date, i.due_date, i.currency, i.net,"
    " i.tax, i.total, i.base_total,"
    " CASE WHEN i.rate_num IS NULL THEN NULL ELSE CAST(i.rate_num AS TEXT) || '/' ||"
    " CAST(i.rate_den AS TEXT) END, i.entry_id, i.credits, i.reference, i.memo"
    " FROM bill_invoices i WHERE i.id = ?";
static const bo__col get_cols[] = {
    { "id", BO_TYPE_INT }, { "kind", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "series", BO_TYPE_TEXT }, { "number", BO_TYPE_INT }, { "doc_number", BO_TYPE_TEXT },
    { "party", BO_TYPE_TEXT }, { "date", BO_TYPE_TEXT }, { "due", BO_TYPE_TEXT },
    { "currency", BO_TYPE_TEXT }, { "net", BO_TYPE_INT }, { "tax", BO_TYPE_INT },
    { "total", BO_TYPE_INT }, { "base_total", BO_TYPE_INT }, { "rate", BO_TYPE_TEXT },
    { "entry", BO_TYPE_INT }, { "credits", BO_TYPE_INT }, { "reference", BO_TYPE_TEXT },
    { "memo", BO_TYPE_TEXT },
};
static const char SQL_EXISTS[] = "SELECT 1 FROM bill_invoices WHERE id = ?";

static const bo__parent document = { SQL_EXISTS, "document", ": not found" };

static int by_id(bo_book *b, const char *sql, const bo__col *cols, int n, int64_t id,
                 bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_BILLING_READ, &document, sql, cols, n, out, "i", id);
}

int bo_billing_invoice_get(bo_book *book, int64_t id, bo_cursor **out)
{
    return by_id(book, SQL_GET, get_cols, 19, id, out);
}

static const char SQL_LINES[] =
    "SELECT line, account, description, quantity, unit_price, discount_ppm,"
    " tax_category, net, tax, gross FROM bill_invoice_lines WHERE invoice_id = ?"
    " ORDER BY line";
static const bo__col line_cols[] = {
    { "line", BO_TYPE_INT }, { "account", BO_TYPE_TEXT }, { "description", BO_TYPE_TEXT },
    { "quantity", BO_TYPE_INT }, { "unit_price", BO_TYPE_INT },
    { "discount_ppm", BO_TYPE_INT }, { "tax_category", BO_TYPE_TEXT },
    { "net", BO_TYPE_INT }, { "tax", BO_TYPE_INT }, { "gross", BO_TYPE_INT },
};

int bo_billing_invoice_lines(bo_book *book, int64_t id, bo_cursor **out)
{
    return by_id(book, SQL_LINES, line_cols, 10, id, out);
}

static const char SQL_LIST[] =
    "SELECT i.id, " KIND_NAME_SQL("i.kind") ", " STATUS_SQL("i.status") ", "
    DOC_NUMBER_SQL ", i.party, i.date, i.due_date, i.currency, i.total, " OPEN_SQL
    " FROM bill_invoices i WHERE i.party = COALESCE(?2, i.party) ORDER BY i.id";
static const bo__col list_cols[] = {
    { "id", BO_TYPE_INT }, { "kind", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "doc_number", BO_TYPE_TEXT }, { "party", BO_TYPE_TEXT }, { "date", BO_TYPE_TEXT },
    { "due", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT }, { "total", BO_TYPE_INT },
    { "open", BO_TYPE_INT },
};

int bo_billing_invoices(bo_book *book, const char *party, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    /* open as of the last date: everything recorded so far */
    return bo__listing(book, BO__P_BILLING_READ, NULL, SQL_LIST, list_cols, 10, out, "dt",
                       BO_DATE_MAX, party);
}

static const char SQL_OPEN[] =
    "SELECT " OPEN_SQL " FROM bill_invoices i WHERE i.id = ?2";

int bo_billing_invoice_open(bo_book *book, int64_t id, bo_date as_of, int64_t *open)
{
    bo__error_clear();
    if (!book || !open)
        return bo__error_set(BO_EINVAL, "book/open: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_READ)) ||
        (rc = bo__bill_date_ok("as_of", as_of)))
        return rc;
    char iso[11];
    bo__date_iso(as_of, iso);
    bo__stmt *s;
    if ((rc = bo__stmt_get(book->store, SQL_OPEN, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ti", iso, id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *open = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
        }
    }
    bo__stmt_done(s);
    return rc;
}

/* ---- aging ------------------------------------------------------------------ */

/* ?1 as of, ?2 .. ?4 the dates 30, 60 and 90 days before it, ?5 the side:
 * its documents are kinds ?5 (positive) and ?5 + 2 (credit notes,
 * negative); unapplied payments of kind ?5 count as negative current items
 * (due ?1: credit the party can use now, however old the payment). */
static const char SQL_AGING[] =
    "WITH items AS ("
    " SELECT i.party, i.currency, i.due_date AS due,"
    "  CASE WHEN i.kind = ?5 THEN 1 ELSE -1 END * (i.total - " SETTLED_SQL ") AS open"
    " FROM bill_invoices i WHERE i.kind IN (?5, ?5 + 2) AND i.status > 0"
    " AND i.post_date <= ?1 AND (i.rev_date IS NULL OR i.rev_date > ?1)"
    " UNION ALL"
    " SELECT p.party, p.currency, ?1, -(p.amount - COALESCE((SELECT SUM(a.amount)"
    "  FROM bill_allocations a WHERE a.payment_id = p.id AND a.date <= ?1), 0))"
    " FROM bill_payments p WHERE p.kind = ?5 AND p.date <= ?1)"
    " SELECT party, currency,"
    " SUM(CASE WHEN due >= ?1 THEN open ELSE 0 END),"
    " SUM(CASE WHEN due < ?1 AND due >= ?2 THEN open ELSE 0 END),"
    " SUM(CASE WHEN due < ?2 AND due >= ?3 THEN open ELSE 0 END),"
    " SUM(CASE WHEN due < ?3 AND due >= ?4 THEN open ELSE 0 END),"
    " SUM(CASE WHEN due < ?4 THEN open ELSE 0 END), SUM(open)"
    " FROM items WHERE open <> 0 GROUP BY party, currency ORDER BY party, currency";
static const bo__col aging_cols[] = {
    { "party", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT }, { "current", BO_TYPE_INT },
    { "d1_30", BO_TYPE_INT }, { "d31_60", BO_TYPE_INT }, { "d61_90", BO_TYPE_INT },
    { "over_90", BO_TYPE_INT }, { "total", BO_TYPE_INT },
};

int bo_billing_aging(bo_book *book, int side, bo_date as_of, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if (side != BO_BILLING_RECEIVABLE && side != BO_BILLING_PAYABLE)
        return bo__error_set(BO_EINVAL, "side: expected receivable (1) or payable (2)");
    if ((rc = bo__bill_date_ok("as_of", as_of)))
        return rc;
    if (as_of - 90 < BO_DATE_MIN)
        return bo__error_set(BO_EINVAL, "as_of: too early");
    return bo__listing(book, BO__P_BILLING_READ, NULL, SQL_AGING, aging_cols, 8, out, "ddddi",
                       as_of, as_of - 30, as_of - 60, as_of - 90, side);
}
