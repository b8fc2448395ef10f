/*
 * Till sales on account: what a customer did not pay at the till becomes a
 * posted sales invoice of the customer, so it is aged, stated and settled
 * by payments like any invoice. The sale posts the one entry (revenue, tax,
 * cost of goods sold, and the receivable for the part on account); the
 * invoice records that receivable under its number and points at the
 * sale's entry. It is undone by returning the goods, never by reversing
 * the invoice on its own (that would reverse the whole sale's entry).
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO bill_invoices (kind, status, series, number, party, date, due_date,"
    " post_date, currency, inclusive, account, net, tax, total, rate_num, rate_den,"
    " base_total, entry_id, reference, memo, digest, sale_id)"
    " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, 1, 1, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_INSERT_LINE[] =
    "INSERT INTO bill_invoice_lines (invoice_id, line, account, description,"
    " quantity, unit_price, discount_ppm, tax_category, net, tax, gross)"
    " VALUES (?, 1, ?, ?, ?, ?, 0, NULL, ?, 0, ?)";

int bo__bill_sale_account(bo_book *b, const char *customer, char out[BO_CODE_MAX + 1])
{
    bo__party party;
    int rc = bo__party_find(b, customer, &party);
    if (rc)
        return bo__error_prefix("customer: ");
    if (party.currency[0] && strcmp(party.currency, b->base_currency))
        return bo__error_set(BO_ECURRENCY, "customer: party '%s' is invoiced in %s; a "
                             "till sale on account is in %s", customer, party.currency,
                             b->base_currency);
    if (party.receivable_account[0])
        snprintf(out, BO_CODE_MAX + 1, "%s", party.receivable_account);
    else if ((rc = bo__bill_setting_account(b, "receivable_account", out)))
        return rc;
    bo__ledger_acct a;
    if ((rc = bo__ledger_account(b, out, &a)))
        return bo__error_prefix("receivable account: ");
    if (a.closed)
        return bo__error_set(BO_ECLOSED, "receivable account: '%s' is closed", out);
    if (strcmp(a.currency, b->base_currency))
        return bo__error_set(BO_ECURRENCY, "receivable account: '%s' is kept in %s, not %s",
                             out, a.currency, b->base_currency);
    return 0;
}

int bo__bill_sale_invoice(bo_book *b, const char *customer, bo_date date, int64_t due,
                          const char *account, const char *revenue, int64_t sale_id,
                          int64_t entry, int64_t *invoice)
{
    bo__party party;
    int rc = bo__party_find(b, customer, &party);
    if (rc)
        return bo__error_prefix("customer: ");
    int64_t number;
    if ((rc = bo__bill_number_take(b, "INV", 0, &number)))
        return rc;
    char iso[11], dues[11], ref[48], memo[80], digest[65];
    bo__date_iso(date, iso);
    bo__date_iso(date + party.terms_days, dues);
    snprintf(ref, sizeof ref, "sale:%" PRId64, sale_id);
    snprintf(memo, sizeof memo, "Till sale %" PRId64 " on account", sale_id);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "sale-on-account");
    bo__buf_field_int(&d, sale_id);
    bo__buf_field(&d, customer);
    bo__buf_field(&d, iso);
    bo__buf_field_int(&d, due);
    bo__buf_field(&d, account);
    if ((rc = bo__buf_digest(&d, digest)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_INSERT, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "itittttttiiiittti", BO_INVOICE_SALES, "INV", number, customer, iso,
                             dues, iso, b->base_currency, account, due, due, due, entry, ref, memo,
                             digest, sale_id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *invoice = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "invoice of sale %" PRId64 ": no id", sale_id);
        }
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__store_run(b->store, SQL_INSERT_LINE, "ittiiii",
                                  *invoice, revenue, memo, (int64_t)BO_BILLING_QTY_SCALE,
                                  due, due, due)))
        return rc;
    char object[32], detail[96];
    snprintf(object, sizeof object, "invoice:%" PRId64, *invoice);
    snprintf(detail, sizeof detail, "INV %" PRId64 " sale %" PRId64 " entry %" PRId64,
             number, sale_id, entry);
    return bo__audit_append(b, "billing.invoice.post", object, detail);
}
