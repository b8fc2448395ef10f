/* The inventory settings and the accounts they name.
 *
 * A sale reads four to six of them (revenue, COGS, inventory, the payment
 * methods' accounts). They are read from the store once per handle and
 * kept behind the book's generation counter: setting one bumps it, so this
 * handle and every other one drop what they kept at their next outermost
 * transaction, and a rollback drops it too. Values are only kept and used
 * inside a transaction, where the counter was checked at its start. */
#include "inventory/inventory.h"
#include "commerce/commerce.h"

#include <stdio.h>
#include <string.h>

#define CACHED_MAX 32

typedef struct cached {
    char key[BO_CODE_MAX + 1];
    char value[BO_CODE_MAX + 1];
    int found;
} cached;

/* A batch's look-ups (bo__inv_batch_keep): items and locations by code,
 * tax categories with their rates, and the stock rows the last sale left. */
#define KEPT_MAX 1024
typedef struct kept_item {
    char code[BO_CODE_MAX + 1];
    int barcode;
    bo__inv_item it;
} kept_item;
typedef struct kept_loc {
    char code[BO_CODE_MAX + 1];
    bo__inv_loc l;
} kept_loc;
typedef struct kept_tax {
    char category[BO_CODE_MAX + 1];
    bo__tax_result r;
} kept_tax;
/* A sale key of the batch as one read found it (bo__inv_sale_keys_claim). */
typedef struct claimed_key {
    char *key;
    int64_t id;
    char digest[BO_HASH_HEX_SIZE];
    int found; /* 1 a sale holds it, 0 none, -1 asked already: read it */
} claimed_key;
/* The tracking of a stock row (bo__inv_kept_track). */
typedef struct kept_track {
    int64_t stock;
    bo__inv_track t;
} kept_track;
typedef struct left_row {
    char sku[BO_CODE_MAX + 1], loc[BO_CODE_MAX + 1];
    int64_t on_hand;
} left_row;

typedef struct inv_cache {
    cached s[CACHED_MAX];
    int n;
    bo_book *book;
    bo__inv_draws draws; /* pending layer draws (stock.c) */
    int keep; /* bo__inv_batch_keep */
    kept_item *items;
    kept_loc *locs;
    kept_tax *taxes;
    left_row *left;
    kept_track *tracks;
    claimed_key *claims;
    int nitems, nlocs, ntaxes, nleft, left_on, ntracks, nclaims;
} inv_cache;

static void claims_drop(inv_cache *c)
{
    for (int i = 0; i < c->nclaims; i++)
        bo__free(c->claims[i].key);
    bo__free(c->claims);
    c->claims = NULL;
    c->nclaims = 0;
}

static void kept_drop(inv_cache *c)
{
    c->nitems = c->nlocs = c->ntaxes = c->nleft = c->ntracks = 0;
    c->left_on = 0;
    claims_drop(c);
}

static void on_invalidate(void *data)
{
    ((inv_cache *)data)->n = 0;
    kept_drop(data);
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
    if (rolled_back || depth == 0)
        kept_drop(c); /* what a rolled back level read may be gone */
    if (depth == 0)
        c->keep = 0;
}

static void on_free(void *data)
{
    inv_cache *c = data;
    bo__free(c->draws.d);
    bo__free(c->items);
    bo__free(c->locs);
    bo__free(c->taxes);
    bo__free(c->left);
    bo__free(c->tracks);
    claims_drop(c);
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

void bo__inv_batch_keep(bo_book *b, int on)
{
    inv_cache *c = cache_get(b);
    if (!c)
        return;
    c->keep = on != 0;
    kept_drop(c);
}

static inv_cache *keeping(bo_book *b)
{
    inv_cache *c = b->depth ? b->ext[bo__inventory_slot].data : NULL;
    return c && c->keep ? c : NULL;
}

/* Room for one more of n kept in *arr (NULL: keep no more). */
static void *kept_room(void **arr, int n, size_t size)
{
    if (n >= KEPT_MAX)
        return NULL;
    if (!*arr && !(*arr = bo__calloc(KEPT_MAX, size)))
        return NULL;
    return (char *)*arr + (size_t)n * size;
}

int bo__inv_kept_item(bo_book *b, const char *code, int barcode, bo__inv_item *out)
{
    inv_cache *c = keeping(b);
    for (int i = 0; c && i < c->nitems; i++)
        if (c->items[i].barcode == barcode && !strcmp(c->items[i].code, code)) {
            *out = c->items[i].it;
            return 1;
        }
    return 0;
}

void bo__inv_keep_item(bo_book *b, const char *code, int barcode, const bo__inv_item *it)
{
    inv_cache *c = keeping(b);
    kept_item *k;
    if (!c || strlen(code) > BO_CODE_MAX ||
        !(k = kept_room((void **)&c->items, c->nitems, sizeof *k)))
        return;
    memcpy(k->code, code, strlen(code) + 1);
    k->barcode = barcode;
    k->it = *it;
    c->nitems++;
}

int bo__inv_kept_loc(bo_book *b, const char *code, bo__inv_loc *out)
{
    inv_cache *c = keeping(b);
    for (int i = 0; c && i < c->nlocs; i++)
        if (!strcmp(c->locs[i].code, code)) {
            *out = c->locs[i].l;
            return 1;
        }
    return 0;
}

void bo__inv_keep_loc(bo_book *b, const char *code, const bo__inv_loc *l)
{
    inv_cache *c = keeping(b);
    kept_loc *k;
    if (!c || strlen(code) > BO_CODE_MAX ||
        !(k = kept_room((void **)&c->locs, c->nlocs, sizeof *k)))
        return;
    memcpy(k->code, code, strlen(code) + 1);
    k->l = *l;
    c->nlocs++;
}

int bo__inv_tax_compute(bo_book *b, const char *category, int64_t amount, int inclusive,
                        bo__tax_result *r)
{
    inv_cache *c = keeping(b);
    int rc;
    if (!c || strlen(category) > BO_CODE_MAX)
        return bo__tax_compute(b, category, amount, inclusive, r);
    kept_tax *k = NULL;
    for (int i = 0; i < c->ntaxes && !k; i++)
        if (!strcmp(c->taxes[i].category, category))
            k = &c->taxes[i];
    if (!k) {
        bo__tax_result loaded;
        if ((rc = bo__tax_category_load(b, category, &loaded)))
            return rc;
        if (!(k = kept_room((void **)&c->taxes, c->ntaxes, sizeof *k)))
            return bo__tax_compute_loaded(&loaded, amount, inclusive, r);
        memcpy(k->category, category, strlen(category) + 1);
        k->r = loaded;
        c->ntaxes++;
    }
    return bo__tax_compute_loaded(&k->r, amount, inclusive, r);
}

void bo__inv_left_begin(bo_book *b)
{
    inv_cache *c = keeping(b);
    if (c) {
        c->nleft = 0;
        c->left_on = 1;
    }
}

void bo__inv_left_note(bo_book *b, const char *sku, const char *loc, int64_t on_hand)
{
    inv_cache *c = keeping(b);
    if (!c || !c->left_on)
        return;
    for (int i = 0; i < c->nleft; i++)
        if (!strcmp(c->left[i].sku, sku) && !strcmp(c->left[i].loc, loc)) {
            c->left[i].on_hand = on_hand;
            return;
        }
    left_row *r;
    if (!(r = kept_room((void **)&c->left, c->nleft, sizeof *r))) {
        c->left_on = 0; /* not all of them: the caller reads the rows */
        return;
    }
    snprintf(r->sku, sizeof r->sku, "%s", sku);
    snprintf(r->loc, sizeof r->loc, "%s", loc);
    r->on_hand = on_hand;
    c->nleft++;
}

void bo__inv_left_lost(bo_book *b)
{
    inv_cache *c = keeping(b);
    if (c)
        c->left_on = 0;
}

int bo__inv_left(bo_book *b, const char *sku, const char *loc, int64_t *on_hand)
{
    inv_cache *c = keeping(b);
    if (!c || !c->left_on)
        return -1;
    for (int i = 0; i < c->nleft; i++)
        if (!strcmp(c->left[i].sku, sku) && !strcmp(c->left[i].loc, loc)) {
            *on_hand = c->left[i].on_hand;
            return 1;
        }
    return -1;
}

int bo__inv_kept_track(bo_book *b, int64_t stock, bo__inv_track *out)
{
    inv_cache *c = keeping(b);
    for (int i = 0; c && i < c->ntracks; i++)
        if (c->tracks[i].stock == stock) {
            *out = c->tracks[i].t;
            return 1;
        }
    return 0;
}

void bo__inv_keep_track(bo_book *b, int64_t stock, const bo__inv_track *t)
{
    inv_cache *c = keeping(b);
    kept_track *k;
    if (!c || !(k = kept_room((void **)&c->tracks, c->ntracks, sizeof *k)))
        return;
    k->stock = stock;
    k->t = *t;
    c->ntracks++;
}

/* 64 keys a statement; fewer repeat the first (one prepared statement). */
#define CLAIM_CHUNK 64
static const char SQL_SALE_KEYS[] =
    "SELECT idem_key, id, digest FROM inv_sales WHERE idem_key IN ("
    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static claimed_key *claim_find(inv_cache *c, const char *key)
{
    for (int i = 0; i < c->nclaims; i++)
        if (!strcmp(c->claims[i].key, key))
            return &c->claims[i];
    return NULL;
}

int bo__inv_sale_keys_claim(bo_book *b, const char *const *keys, int n)
{
    inv_cache *c = keeping(b);
    if (!c || n <= 0)
        return 0;
    claims_drop(c);
    if (!(c->claims = bo__calloc((size_t)n, sizeof *c->claims)))
        return BO_ENOMEM;
    for (int i = 0; i < n; i++) {
        if (!(c->claims[i].key = bo__strdup(keys[i]))) {
            claims_drop(c);
            return BO_ENOMEM;
        }
        c->nclaims++;
    }
    int rc = 0;
    for (int at = 0; at < n && !rc; at += CLAIM_CHUNK) {
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_SALE_KEYS, &s)))
            break;
        for (int j = 0; j < CLAIM_CHUNK && !rc; j++) {
            const char *k = keys[at + j < n ? at + j : at];
            rc = bo__stmt_bind_at(s, j + 1, "t", k);
        }
        while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            claimed_key *k = claim_find(c, bo__stmt_col_text(s, 0));
            if (k) {
                const char *d = bo__stmt_col_text(s, 2);
                k->found = 1;
                k->id = bo__stmt_col_int(s, 1);
                snprintf(k->digest, sizeof k->digest, "%s", d ? d : "");
            }
            rc = 0;
        }
        bo__stmt_done(s);
        if (rc == BO_DRIVER_DONE)
            rc = 0;
        else if (rc > 0)
            rc = bo__error_set(BO_ERROR, "sale keys: read");
    }
    if (rc)
        claims_drop(c);
    return rc;
}

int bo__inv_sale_claimed(bo_book *b, const char *key, int64_t *id, char *digest, size_t cap)
{
    inv_cache *c = keeping(b);
    claimed_key *k = c ? claim_find(c, key) : NULL;
    if (!k || k->found < 0)
        return -1;
    int found = k->found;
    if (found) {
        *id = k->id;
        snprintf(digest, cap, "%s", k->digest);
    }
    k->found = -1; /* the sale may write it now: a second ask reads */
    return found;
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
