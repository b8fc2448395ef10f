/* The inventory settings and the accounts they name.
 *
 * A sale reads four to six of them (revenue, COGS, inventory, the payment
 * methods' accounts). They are read from the store once per handle and
 * kept behind the book's generation counter: setting one bumps it, so this
 * handle and every other one drop what they kept at their next outermost
 * transaction, and a rollback drops it too. Values are only kept and used
 * inside a transaction, where the counter was checked at its start. */
#include "inventory/inventory.h"

#include <string.h>

#define CACHED_MAX 32

typedef struct cached {
    char key[BO_CODE_MAX + 1];
    char value[BO_CODE_MAX + 1];
    int found;
} cached;

typedef struct inv_cache {
    cached s[CACHED_MAX];
    int n;
    bo_book *book;
    bo__inv_draws draws; /* pending layer draws (stock.c) */
} inv_cache;

static void on_invalidate(void *data)
{
    ((inv_cache *)data)->n = 0;
}

/* The settings stay: another connection's commit alone does not drop them
 * (the core calls invalidate on a rollback and when the generation moved).
 * The draws made inside the levels rolled back go (the book's depth is
 * already the level left open; at 0, every one). */
static void on_tx_end(void *data, int rolled_back)
{
    inv_cache *c = data;
    (void)rolled_back;
    int depth = c->book ? c->book->depth : 0, n = 0;
    for (int i = 0; i < c->draws.n; i++)
        if (c->draws.d[i].depth <= depth)
            c->draws.d[n++] = c->draws.d[i];
    c->draws.n = n;
}

static void on_free(void *data)
{
    bo__free(((inv_cache *)data)->draws.d);
    bo__free(data);
}

int bo__inventory_slot;
const bo__domain_cache bo__inventory_cache = { &bo__inventory_slot, on_tx_end, on_invalidate,
                                               on_free, NULL };

static inv_cache *cache_get(bo_book *b)
{
    if (b->depth == 0)
        return NULL;
    bo__ext *x = &b->ext[bo__inventory_slot];
    if (!x->data && (x->data = bo__calloc(1, sizeof(inv_cache)))) /* NULL: read the store */
        ((inv_cache *)x->data)->book = b;
    return x->data;
}

bo__inv_draws *bo__inv_draws_pending(bo_book *b)
{
    inv_cache *c = cache_get(b);
    return c ? &c->draws : NULL;
}

int bo__inv_setting(bo_book *b, const char *key, char *out, int *found)
{
    inv_cache *c = cache_get(b);
    size_t klen = strlen(key);
    if (c && klen <= BO_CODE_MAX) {
        for (int i = 0; i < c->n; i++) {
            if (strcmp(c->s[i].key, key) == 0) {
                memcpy(out, c->s[i].value, BO_CODE_MAX + 1);
                *found = c->s[i].found;
                return 0;
            }
        }
    }
    int rc = bo__setting_get(b, "inventory", key, out, BO_CODE_MAX + 1, found);
    if (!rc && c && klen <= BO_CODE_MAX && c->n < CACHED_MAX) {
        cached *e = &c->s[c->n++];
        memcpy(e->key, key, klen + 1);
        memcpy(e->value, out, BO_CODE_MAX + 1);
        e->found = *found;
    }
    return rc;
}

int bo__inv_seed(bo_book *b, int from)
{
    /* Books that kept audit states: carry those of inv_settings over (older
     * ones record every state at their upgrade). */
    if (from < BO__SCHEMA_AUDIT_STATES || from >= BO__SCHEMA_SETTINGS)
        return 0;
    return bo__setting_carry(b, "inv.setting", "inventory", NULL);
}

int bo__inv_account(bo_book *b, const char *key, char out[BO_CODE_MAX + 1])
{
    int found = 0;
    int rc = bo__inv_setting(b, key, out, &found);
    if (!rc && !found)
        rc = bo__error_set(BO_ECONFIG, "inventory setting '%s' is not set", key);
    return rc;
}

int bo__inv_loc_account(bo_book *b, const bo__inv_loc *l, char out[BO_CODE_MAX + 1])
{
    if (l->account[0]) {
        memcpy(out, l->account, sizeof l->account);
        return 0;
    }
    return bo__inv_account(b, "account.inventory", out);
}
