/*
 * A posted credit note applied to a posted document of its side (an
 * importer's: GnuCash links a credit note's lot with an invoice's). Both
 * are of one party, in one currency, on one party account, and carry the
 * amount at one book-currency value: the allocation moves nothing on the
 * books (the credit note's entry already did) and realizes no gain or
 * loss; it takes the amount off what each of them has open.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct cn_ctx {
    int64_t credit, invoice, amount;
    bo_date date;
};

static int cn_tx(bo_book *b, void *arg)
{
    const struct cn_ctx *c = arg;
    bo__bill_doc cn, doc;
    int64_t cn_base, doc_base;
    char iso[11];
    int rc;
    if ((rc = bo__bill_doc_load(b, c->credit, &cn)))
        return bo__error_prefix("credit: ");
    if ((rc = bo__bill_doc_load(b, c->invoice, &doc)))
        return bo__error_prefix("invoice: ");
    int side = cn.kind == BO_INVOICE_SALES_CREDIT ? BO_INVOICE_SALES
             : cn.kind == BO_INVOICE_PURCHASE_CREDIT ? BO_INVOICE_PURCHASE : 0;
    if (!side || doc.kind != side)
        return bo__error_set(BO_EINVAL, "credit: document %" PRId64 " is not a credit note "
                             "of the side of document %" PRId64, c->credit, c->invoice);
    if (cn.status != BO__BILL_POSTED || doc.status != BO__BILL_POSTED)
        return bo__error_set(BO_ESTATE, "documents %" PRId64 " and %" PRId64 ": not both "
                             "posted", c->credit, c->invoice);
    if (strcmp(cn.party, doc.party) || strcmp(cn.currency, doc.currency) ||
        strcmp(cn.account, doc.account))
        return bo__error_set(BO_EPAYMENT, "credit note %" PRId64 " and document %" PRId64
                             ": not of one party, currency and account", c->credit,
                             c->invoice);
    bo__date_iso(c->date, iso);
    if (strcmp(cn.post_date, iso) > 0 || strcmp(doc.post_date, iso) > 0)
        return bo__error_set(BO_EDATE, "date: %s is before credit note %" PRId64 " (%s) or "
                             "document %" PRId64 " (%s) was posted", iso, c->credit,
                             cn.post_date, c->invoice, doc.post_date);
    if (c->amount > cn.open || c->amount > doc.open)
        return bo__error_set(BO_EPAYMENT, "amount: %" PRId64 " is more than credit note %"
                             PRId64 " (%" PRId64 ") or document %" PRId64 " (%" PRId64
                             ") has open", c->amount, c->credit, cn.open, c->invoice,
                             doc.open);
    if ((rc = bo__bill_carried(&cn, c->amount, &cn_base)) ||
        (rc = bo__bill_carried(&doc, c->amount, &doc_base)))
        return rc;
    if (cn_base != doc_base)
        return bo__error_set(BO_ENOTSUP, "amount: carried at %" PRId64 " on credit note %"
                             PRId64 " and %" PRId64 " on document %" PRId64 " (applying it "
                             "would realize a difference)", cn_base, c->credit, doc_base,
                             c->invoice);
    if ((rc = bo__ledger_period_covers(b, "date", iso)) ||
        (rc = bo__bill_alloc_insert(b, c->invoice, 0, c->credit, iso, c->amount, 0, doc_base,
                                    0)))
        return rc;
    char object[32], detail[96];
    snprintf(object, sizeof object, "invoice:%" PRId64, c->invoice);
    snprintf(detail, sizeof detail, "credit note %" PRId64 " %" PRId64 " %s", c->credit,
             c->amount, iso);
    return bo__audit_append(b, "billing.credit_note.apply", object, detail);
}

int bo__bill_credit_note_apply(bo_book *book, int64_t credit, int64_t invoice, int64_t amount,
                               bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__bill_apply_ok(book, amount, date);
    if (rc)
        return rc;
    struct cn_ctx c = { credit, invoice, amount, date };
    return bo__write(book, cn_tx, &c);
}
