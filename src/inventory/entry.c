/* The journal entry an inventory write posts: postings netted per
 * account, posted as one entry. */
#include "inventory/inventory.h"
#include "ledger/ledger.h"

#include <stdio.h>
#include <string.h>

int bo__inv_post_add(bo__inv_post *p, const char *account, int64_t amount)
{
    if (amount == 0)
        return 0;
    for (int i = 0; i < p->n; i++) {
        if (strcmp(p->p[i].account, account) == 0) {
            if (bo_money_add(p->p[i].amount, amount, &p->p[i].amount)) {
                p->failed = 1;
                return bo__error_set(BO_EOVERFLOW, "account '%s': the entry's "
                                     "amount overflows", account);
            }
            return 0;
        }
    }
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 8;
        void *np = bo__realloc(p->p, (size_t)cap * sizeof *p->p);
        if (!np) {
            p->failed = 1;
            return BO_ENOMEM;
        }
        p->p = np;
        p->cap = cap;
    }
    /* Copied as snprintf("%s") would, without reading a format (a sale
     * adds five). */
    const char *a = account ? account : "";
    size_t n = strlen(a);
    if (n >= sizeof p->p[p->n].account)
        n = sizeof p->p[p->n].account - 1;
    memcpy(p->p[p->n].account, a, n);
    p->p[p->n].account[n] = '\0';
    p->p[p->n++].amount = amount;
    return 0;
}

void bo__inv_post_free(bo__inv_post *p)
{
    bo__free(p->p);
    p->p = NULL;
    p->n = p->cap = 0;
}

int bo__inv_post_commit(bo_book *b, bo__inv_post *p, const char *date,
                        const char *memo, int64_t *entry)
{
    *entry = 0;
    int rc = p->failed ? BO_EOVERFLOW : 0, kept = 0;
    for (int i = 0; i < p->n; i++)
        kept += p->p[i].amount != 0;
    if (rc || kept < 2) {
        bo__inv_post_free(p);
        return rc;
    }
    bo_date d;
    bo_entry *e = NULL;
    if (!(rc = bo_date_parse(date, &d)) && !(rc = bo_entry_new(&e, d, memo))) {
        for (int i = 0; i < p->n && !rc; i++)
            if (p->p[i].amount)
                rc = bo_entry_add(e, p->p[i].account, p->p[i].amount, NULL, NULL);
        if (!rc)
            rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, entry);
    }
    bo_entry_free(e);
    bo__inv_post_free(p);
    return rc;
}
