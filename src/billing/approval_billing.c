/*
 * Payments and refunds as an approvable command ("billing.payment.post"):
 * posting a stored payment once approved (docs/architecture.md,
 * "Approvals"). The payload is written by bo__bill_payment_approval()
 * (payments.c), which knows the payment's fields.
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
    if (!rc)
        rc = bo_payment_new(&p, (int)kind, party, (bo_date)date, amount, cur, account);
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
