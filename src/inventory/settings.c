/* The inventory settings and the accounts they name.
 *
 * A sale reads four to six of them (revenue, COGS, inventory, the payment
 * methods' accounts). They are read from the store once per handle and
 * kept behind the book's generation counter: setting one bumps it, so this
 * handle and every other one drop what they kept at their next outermost
 * transaction, and a rollback drops it too. Values are only kept and used
 * inside a transaction, where the counter was checked at its start. The
 * items, locations, tax categories and stock rows' tracking a sale looks up
 * are kept the same way (their writers bump the generation), and whether
 * the book has any promotion (bo_inventory_promotion_set bumps it). */
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

/* Items and locations by code, tax categories with their rates and the
 * tracking of stock rows, kept on the handle behind the generation counter
 * like the settings (every writer of them bumps it): open addressing on a
 * hash of the key, grown to at most LOOK_SLOTS_MAX slots, then emptied and
 * filled again. Only what was found is kept (an absence is read again). */
#define LOOK_SLOTS_MIN 64
#define LOOK_SLOTS_MAX 8192
typedef struct look_head {
    uint64_t h; /* 0: a free slot */
} look_head;
typedef struct kept_item {
    look_head k;
    char code[BO_CODE_MAX + 1];
    int barcode;
    bo__inv_item it;
} kept_item;
typedef struct kept_loc {
    look_head k;
    char code[BO_CODE_MAX + 1];
    bo__inv_loc l;
} kept_loc;
typedef struct kept_tax {
    look_head k;
    char category[BO_CODE_MAX + 1];
    bo__tax_result r;
} kept_tax;
/* The tracking of a stock row (bo__inv_kept_track): a row's item and
 * location never change; the mode and the item's SKU and scale bump. */
typedef struct kept_track {
    look_head k;
    int64_t stock;
    bo__inv_track t;
} kept_track;
typedef struct look_tab {
    char *e;     /* slots of size bytes */
    size_t size;
    int slots, n;
} look_tab;

/* A sale key of the batch as one read found it (bo__inv_sale_keys_claim). */
typedef struct claimed_key {
    char *key;
    int64_t id;
    char digest[BO_HASH_HEX_SIZE];
    int found; /* 1 a sale holds it, 0 none, -1 asked already: read it */
} claimed_key;
/* The stock rows the last sale of a batch left (bo__inv_left). */
#define KEPT_MAX 1024
typedef struct left_row {
    char sku[BO_CODE_MAX + 1], loc[BO_CODE_MAX + 1];
    int64_t on_hand;
} left_row;

/* The newest date a stock row's movements may have: no movement of the row
 * is dated after it (bo__inv_kept_none_after). Learnt from the backdating
 * check's read and moved forward by every movement written through
 * bo__inv_move_add (the only writer of inv_moves; no movement is deleted
 * or dated again), so it outlives this handle's own commits; dropped when
 * another connection may have committed (the core's tx_end with
 * rolled_back set) and at any rollback. A slot per row's id modulo
 * LATER_SLOTS. */
#define LATER_SLOTS 64
typedef struct later_bound {
    int64_t stock; /* 0: none */
    char date[16];
} later_bound;

typedef struct inv_cache {
    later_bound later[LATER_SLOTS];
    cached s[CACHED_MAX];
    int n;
    bo_book *book;
    bo__inv_draws draws; /* pending layer draws (stock.c) */
    int keep; /* bo__inv_batch_keep */
    look_tab items, locs, taxes, tracks;
    left_row *left;
    claimed_key *claims;
    int nleft, left_on, nclaims;
    int no_promos; /* bo__inv_kept_no_promotions + 1 (0: not known) */
} inv_cache;

static void look_drop(look_tab *t)
{
    bo__free(t->e);
    t->e = NULL;
    t->slots = t->n = 0;
}

static void looks_drop(inv_cache *c)
{
    look_drop(&c->items);
    look_drop(&c->locs);
    look_drop(&c->taxes);
    look_drop(&c->tracks);
}

static uint64_t look_hash(const void *key, size_t len, uint64_t seed)
{
    uint64_t h = bo__hash_bytes(key, len, seed);
    return h ? h : 1; /* 0 marks a free slot */
}

/* The slot of h: its entry (*found 1, the caller compares the key) or the
 * free slot where it goes; NULL when the table has none. */
static void *look_slot(look_tab *t, uint64_t h, int (*same)(const void *, const void *),
                       const void *key, int *found)
{
    *found = 0;
    if (!t->e)
        return NULL;
    unsigned mask = (unsigned)t->slots - 1;
    for (unsigned i = (unsigned)h & mask, step = 0; step < (unsigned)t->slots;
         i = (i + 1) & mask, step++) {
        look_head *e = (look_head *)(t->e + (size_t)i * t->size);
        if (!e->h)
            return e;
        if (e->h == h && same(e, key)) {
            *found = 1;
            return e;
        }
    }
    return NULL;
}

/* Room for a new entry of hash h (after look_slot found none): the table
 * grows at three quarters full, and is emptied at its largest. */
static void *look_room(look_tab *t, size_t size, uint64_t h)
{
    if (!t->e || (t->n + 1) * 4 > t->slots * 3) {
        int slots = t->e ? t->slots * 2 : LOOK_SLOTS_MIN;
        if (slots > LOOK_SLOTS_MAX) {
            memset(t->e, 0, (size_t)t->slots * size);
            t->n = 0;
        } else {
            char *e = bo__calloc((size_t)slots, size);
            if (!e)
                return NULL;
            for (int i = 0; i < t->slots; i++) {
                look_head *o = (look_head *)(t->e + (size_t)i * size);
                if (!o->h)
                    continue;
                unsigned j = (unsigned)o->h & (unsigned)(slots - 1);
                while (((look_head *)(e + (size_t)j * size))->h)
                    j = (j + 1) & (unsigned)(slots - 1);
                memcpy(e + (size_t)j * size, o, size);
            }
            bo__free(t->e);
            t->e = e;
            t->slots = slots;
            t->size = size;
        }
    }
    unsigned mask = (unsigned)t->slots - 1, i = (unsigned)h & mask;
    while (((look_head *)(t->e + (size_t)i * size))->h)
        i = (i + 1) & mask;
    t->n++;
    return t->e + (size_t)i * size;
}

static void claims_drop(inv_cache *c)
{
    for (int i = 0; i < c->nclaims; i++)
        bo__free(c->claims[i].key);
    bo__free(c->claims);
    c->claims = NULL;
    c->nclaims = 0;
}

/* What a batch keeps for its transaction only. */
static void kept_drop(inv_cache *c)
{
    c->nleft = 0;
    c->left_on = 0;
    claims_drop(c);
}

static void on_invalidate(void *data)
{
    memset(((inv_cache *)data)->later, 0, sizeof ((inv_cache *)data)->later);
    ((inv_cache *)data)->n = 0;
    ((inv_cache *)data)->no_promos = 0;
    looks_drop(data);
    kept_drop(data);
}

/* The settings and the look-ups stay: another connection's commit alone
 * does not drop them (the core calls invalidate on a rollback and when the
 * generation moved).
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
    if (rolled_back)
        memset(c->later, 0, sizeof c->later); /* another writer's movements */
    if (rolled_back || depth == 0)
        kept_drop(c); /* what a rolled back level read may be gone */
    if (depth == 0)
        c->keep = 0;
}

static void on_free(void *data)
{
    inv_cache *c = data;
    bo__free(c->draws.d);
    looks_drop(c);
    bo__free(c->left);
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

int bo__inv_kept_no_promotions(bo_book *b)
{
    inv_cache *c = cache_get(b);
    return c ? c->no_promos - 1 : -1;
}

void bo__inv_keep_no_promotions(bo_book *b, int none)
{
    inv_cache *c = cache_get(b);
    if (c)
        c->no_promos = none ? 2 : 1;
}

int bo__inv_kept_none_after(bo_book *b, int64_t stock, const char *date)
{
    inv_cache *c = cache_get(b);
    if (!c || stock <= 0)
        return 0;
    const later_bound *l = &c->later[stock % LATER_SLOTS];
    return l->stock == stock && strcmp(l->date, date) <= 0;
}

void bo__inv_keep_none_after(bo_book *b, int64_t stock, const char *date, int written)
{
    inv_cache *c = cache_get(b);
    size_t len = strlen(date);
    if (!c || stock <= 0)
        return;
    later_bound *l = &c->later[stock % LATER_SLOTS];
    if (written) { /* a movement dated date: a bound kept moves forward */
        if (l->stock == stock && strcmp(l->date, date) < 0) {
            if (len < sizeof l->date)
                memcpy(l->date, date, len + 1);
            else
                l->stock = 0;
        }
        return;
    }
    if (len < sizeof l->date) { /* read: none after date */
        l->stock = stock;
        memcpy(l->date, date, len + 1);
    }
}

static int same_item(const void *e, const void *key)
{
    const kept_item *k = e, *q = key;
    return k->barcode == q->barcode && !strcmp(k->code, q->code);
}

static int same_code(const void *e, const void *key)
{
    return !strcmp(((const kept_loc *)e)->code, key);
}

static int same_category(const void *e, const void *key)
{
    return !strcmp(((const kept_tax *)e)->category, key);
}

static int same_stock(const void *e, const void *key)
{
    return ((const kept_track *)e)->stock == *(const int64_t *)key;
}

static uint64_t str_hash(const char *s, uint64_t seed)
{
    return look_hash(s, strlen(s), seed);
}

int bo__inv_kept_item(bo_book *b, const char *code, int barcode, bo__inv_item *out)
{
    inv_cache *c = cache_get(b);
    kept_item q;
    int found;
    size_t len = strlen(code);
    if (!c || len > BO_CODE_MAX)
        return 0;
    memcpy(q.code, code, len + 1);
    q.barcode = barcode;
    kept_item *k = look_slot(&c->items, str_hash(code, (uint64_t)barcode), same_item, &q,
                             &found);
    if (!found)
        return 0;
    *out = k->it;
    return 1;
}

void bo__inv_keep_item(bo_book *b, const char *code, int barcode, const bo__inv_item *it)
{
    inv_cache *c = cache_get(b);
    size_t len = strlen(code);
    if (!c || len > BO_CODE_MAX)
        return;
    uint64_t h = str_hash(code, (uint64_t)barcode);
    kept_item *k = look_room(&c->items, sizeof *k, h);
    if (!k)
        return;
    k->k.h = h;
    memcpy(k->code, code, len + 1);
    k->barcode = barcode;
    k->it = *it;
}

int bo__inv_kept_loc(bo_book *b, const char *code, bo__inv_loc *out)
{
    inv_cache *c = cache_get(b);
    int found;
    if (!c || strlen(code) > BO_CODE_MAX)
        return 0;
    kept_loc *k = look_slot(&c->locs, str_hash(code, 7), same_code, code, &found);
    if (!found)
        return 0;
    *out = k->l;
    return 1;
}

void bo__inv_keep_loc(bo_book *b, const char *code, const bo__inv_loc *l)
{
    inv_cache *c = cache_get(b);
    size_t len = strlen(code);
    if (!c || len > BO_CODE_MAX)
        return;
    uint64_t h = str_hash(code, 7);
    kept_loc *k = look_room(&c->locs, sizeof *k, h);
    if (!k)
        return;
    k->k.h = h;
    memcpy(k->code, code, len + 1);
    k->l = *l;
}

int bo__inv_tax_compute(bo_book *b, const char *category, int64_t amount, int inclusive,
                        bo__tax_result *r)
{
    inv_cache *c = cache_get(b);
    size_t len = strlen(category);
    int rc, found;
    if (!c || len > BO_CODE_MAX)
        return bo__tax_compute(b, category, amount, inclusive, r);
    uint64_t h = str_hash(category, 11);
    kept_tax *k = look_slot(&c->taxes, h, same_category, category, &found);
    if (!found) {
        bo__tax_result loaded;
        if ((rc = bo__tax_category_load(b, category, &loaded)))
            return rc;
        if (!(k = look_room(&c->taxes, sizeof *k, h)))
            return bo__tax_compute_loaded(&loaded, amount, inclusive, r);
        k->k.h = h;
        memcpy(k->category, category, len + 1);
        k->r = loaded;
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
    inv_cache *c = cache_get(b);
    int found;
    if (!c)
        return 0;
    kept_track *k = look_slot(&c->tracks, look_hash(&stock, sizeof stock, 13), same_stock,
                              &stock, &found);
    if (!found)
        return 0;
    *out = k->t;
    return 1;
}

void bo__inv_keep_track(bo_book *b, int64_t stock, const bo__inv_track *t)
{
    inv_cache *c = cache_get(b);
    if (!c)
        return;
    uint64_t h = look_hash(&stock, sizeof stock, 13);
    kept_track *k = look_room(&c->tracks, sizeof *k, h);
    if (!k)
        return;
    k->k.h = h;
    k->stock = stock;
    k->t = *t;
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
