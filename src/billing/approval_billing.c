/*
 * Billing's approvable commands (docs/architecture.md, "Approvals"):
 * payments and refunds ("billing.payment.post": posting a stored payment
 * once approved; the payload is written by bo__bill_payment_approval() in
 * payments.c, which knows the payment's fields) and credit notes
 * ("billing.credit_note.post": posting a draft credit note, measured by
 * its total in its currency).
 */
#include "billing/billing.h"
#include "core/approval.h"

static int execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t kind = bo__payload_int(&r);
    char *party = bo__payload_text(&r);
    int64_t date = bo__payload_int(&r), amount = bo__payload_int(&r);
    char *cur = bo__payload_text(&r), *account = bo__payload_text(&r);
    char *key = bo__payload_text(&r), *memo = bo__payload_text(&r);
    char *ref = bo__payload_text(&r);
    int64_t n = bo__payload_int(&r);
    bo_payment *p = NULL;
    int rc = r.bad ? bo__payload_end(&r, "payment") : 0;
    if (!rc && (kind < 0 || kind > 255))
        rc = bo__error_set(BO_ECORRUPT, "approval: the stored payment is not readable");
    if (!rc) {
        bo_payment_options po = BO_PAYMENT_OPTIONS_INIT;
        po.kind = (int)kind;
        po.party = party;
        po.date = (bo_date)date;
        po.amount = amount;
        po.currency = cur;
        po.account = account;
        rc = bo_payment_new(&p, &po);
    }
    if (!rc && key)
        rc = bo_payment_set_key(p, key);
    if (!rc && memo)
        rc = bo_payment_set_memo(p, memo);
    if (!rc && ref)
        rc = bo_payment_set_reference(p, ref);
    for (int64_t i = 0; !rc && i < n; i++) {
        int64_t inv = bo__payload_int(&r), amt = bo__payload_int(&r);
        int64_t wo = bo__payload_int(&r);
        rc = r.bad ? bo__payload_end(&r, "payment") : bo_payment_allocate(p, inv, amt, wo);
    }
    if (!rc)
        rc = bo__payload_end(&r, "payment");
    if (!rc)
        rc = bo_billing_payment_post(b, p, id);
    bo_payment_free(p);
    bo__free(party);
    bo__free(cur);
    bo__free(account);
    bo__free(key);
    bo__free(memo);
    bo__free(ref);
    return rc;
}

const bo__approval_kind bo__approval_billing_payment = {
    "billing.payment.post", BO__MEASURE_AMOUNT, execute,
};

/* ---- credit notes --------------------------------------------------------------- */
static int credit_execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t doc = bo__payload_int(&r), date = bo__payload_int(&r);
    int rc = bo__payload_end(&r, "credit note");
    return rc ? rc : bo_billing_invoice_post(b, doc, (bo_date)date, id);
}

const bo__approval_kind bo__approval_billing_credit = {
    "billing.credit_note.post", BO__MEASURE_AMOUNT, credit_execute,
};

static const char SQL_CREDIT[] =
    "SELECT kind, status, total, account FROM bill_invoices WHERE id = ?";

int bo__bill_credit_approval(bo_book *b, int64_t id, bo_date date)
{
    int rc = bo__approval_wanted(b, "billing.credit_note.post");
    if (rc <= 0)
        return rc;
    int64_t kind = 0, status = 0, total = 0;
    char account[BO_CODE_MAX + 1] = "";
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_CREDIT, &found, "i>iiit", id, &kind, &status,
                            &total, account, sizeof account)))
        return rc;
    /* Only a draft credit note waits; the posting answers everything else. */
    if (!found || status != 0 || (kind != BO_INVOICE_SALES_CREDIT &&
                                  kind != BO_INVOICE_PURCHASE_CREDIT))
        return 0;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, id);
    bo__buf_field_int(&pl, date);
    const char *accounts[1] = { account };
    bo__approval_ask ask = { "billing.credit_note.post", BO__P_BILLING_POST, NULL, total,
                             accounts, account[0] ? 1 : 0, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}
