/*
 * Journal entries as an approvable command ("ledger.entry.post"): the
 * entry's canonical payload, its measure (its debits in the book currency)
 * and its accounts for the gate, and posting a stored payload once
 * approved (docs/architecture.md, "Approvals").
 */
#include "ledger/ledger.h"
#include "core/approval.h"

static int execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    bo_date date = (bo_date)bo__payload_int(&r);
    char *memo = bo__payload_text(&r), *key = bo__payload_text(&r);
    int64_t n = bo__payload_int(&r);
    bo_entry *e = NULL;
    int rc = r.bad ? bo__payload_end(&r, "entry") : 0;
    if (!rc && (rc = bo_entry_new(&e, date, memo)) == 0 && key)
        rc = bo_entry_set_key(e, key);
    for (int64_t i = 0; !rc && i < n; i++) {
        char *account = bo__payload_text(&r), *cur = bo__payload_text(&r);
        int64_t amount = bo__payload_int(&r);
        char *lmemo = bo__payload_text(&r);
        int64_t has_base = bo__payload_int(&r), base = bo__payload_int(&r);
        if (r.bad)
            rc = bo__payload_end(&r, "entry");
        else if (has_base)
            rc = bo_entry_add_base(e, account, amount, cur, base, lmemo);
        else
            rc = bo_entry_add(e, account, amount, cur, lmemo);
        bo__free(account);
        bo__free(cur);
        bo__free(lmemo);
    }
    if (!rc)
        rc = bo__payload_end(&r, "entry");
    if (!rc)
        rc = bo_ledger_post(b, e, id);
    bo_entry_free(e);
    bo__free(memo);
    bo__free(key);
    return rc;
}

const bo__approval_kind bo__approval_ledger_post = {
    "ledger.entry.post", BO__MEASURE_AMOUNT, execute,
};

#define ACCOUNTS_MAX 64

int bo__ledger_approval(bo_book *b, const bo_entry *e)
{
    int rc = bo__approval_wanted(b, "ledger.entry.post");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, e->date);
    bo__buf_field(&pl, e->memo);
    bo__buf_field(&pl, e->key);
    bo__buf_field_int(&pl, e->n);
    int64_t debits = 0;
    const char *accounts[ACCOUNTS_MAX];
    int naccounts = 0;
    for (int i = 0; i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        bo__buf_field(&pl, p->account);
        bo__buf_field(&pl, p->currency[0] ? p->currency : NULL);
        bo__buf_field_int(&pl, p->amount);
        bo__buf_field(&pl, p->memo);
        bo__buf_field_int(&pl, p->has_base);
        bo__buf_field_int(&pl, p->has_base ? p->base : 0);
        int64_t v = p->has_base ? p->base : p->amount;
        if (v > 0 && bo_money_add(debits, v, &debits))
            debits = INT64_MAX; /* beyond every threshold */
        if (naccounts < ACCOUNTS_MAX)
            accounts[naccounts++] = p->account;
    }
    bo__approval_ask ask = { "ledger.entry.post", BO__P_LEDGER_POST, e->key, debits,
                             accounts, naccounts, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}
