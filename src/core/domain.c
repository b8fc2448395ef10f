/*
 * The table of domains as the core sees it (src/core/domain.h): handed
 * over once by the book layer, then iterated by the schema runner (its
 * parts), the permission names (security.c), the cache hooks (tx.c,
 * book.c), the full audit verification (verify.c) and the copier.
 */
#include "core/domain.h"
#include "core/feed.h"

#include <string.h>

static const bo__domain_section core_sections[] = {
    { "feed", bo__cfg_section_feed }, /* the change feed (feed.c) */
    { NULL, NULL },
};

const bo__domain bo__domain_core = {
    .name = "core",
    .parts = bo__parts_core,
    .tables = bo__tables_core,
    .ntables = &bo__ntables_core,
    .verify = &bo__verify_core,
    .sections = core_sections,
};

#define DOMAINS_MAX 16 /* the core and 15 domains */
#define PARTS_MAX 64
#define PERMS_MAX (BO__P_DOMAIN_BITS + 3)

static struct {
    int ready;
    const bo__domain *list[DOMAINS_MAX + 1]; /* NULL-terminated */
    const bo__domain *by_slot[BO__EXT_MAX];
    const bo__schema_part *parts[PARTS_MAX];
    struct {
        const char *name;
        unsigned bit;
    } perms[PERMS_MAX];
    int nperms;
} T;

/* The core's permissions, after every domain's. */
static const struct {
    const char *name;
    unsigned bit;
} core_perms[] = {
    { "audit.read", BO__P_AUDIT_READ },
    { "book.admin", BO__P_BOOK_ADMIN },
    { "*", BO__P_ALL },
};

int bo__domains_use(const bo__domain *const *domains, int n)
{
    if (T.ready)
        return 0;
    if (n + 1 > DOMAINS_MAX)
        return bo__error_set(BO_ELIMIT, "domains: more than %d", DOMAINS_MAX - 1);
    int nlist = 0, nslots = 0, nparts = 0, bit = 0;
    T.list[nlist++] = &bo__domain_core;
    for (int i = 0; i < n; i++)
        T.list[nlist++] = domains[i];
    T.list[nlist] = NULL;
    T.nperms = 0;
    for (int i = 0; i < nlist; i++) {
        const bo__domain *d = T.list[i];
        if (d->cache) {
            if (nslots == BO__EXT_MAX)
                return bo__error_set(BO_ELIMIT, "domain %s: more than %d caches",
                                     d->name, BO__EXT_MAX);
            *d->cache->slot = nslots;
            T.by_slot[nslots++] = d;
        }
        for (int k = 0; d->perms && d->perms[k]; k++) {
            if (bit == BO__P_DOMAIN_BITS)
                return bo__error_set(BO_ELIMIT, "domain %s: more than %d "
                                     "permissions", d->name, BO__P_DOMAIN_BITS);
            d->perm_bits[k] = 1u << bit++;
            T.perms[T.nperms].name = d->perms[k];
            T.perms[T.nperms++].bit = d->perm_bits[k];
        }
        for (int k = 0; d->parts && d->parts[k].version; k++)
            nparts++;
    }
    for (size_t k = 0; k < sizeof core_perms / sizeof core_perms[0]; k++) {
        T.perms[T.nperms].name = core_perms[k].name;
        T.perms[T.nperms++].bit = core_perms[k].bit;
    }
    if (nparts > PARTS_MAX)
        return bo__error_set(BO_ELIMIT, "domains: more than %d schema parts", PARTS_MAX);
    /* The parts by version; in a version, in table order. */
    int np = 0;
    for (int v = 1; np < nparts && v < 100000; v++)
        for (int i = 0; i < nlist; i++)
            for (int k = 0; T.list[i]->parts && T.list[i]->parts[k].version; k++)
                if (T.list[i]->parts[k].version == v)
                    T.parts[np++] = &T.list[i]->parts[k];
    bo__schema_use(T.parts, np);
    T.ready = 1;
    return 0;
}

int bo__domains_ready(void)
{
    return T.ready;
}

const bo__domain *bo__domain_at(int i)
{
    return i >= 0 && i <= DOMAINS_MAX ? T.list[i] : NULL;
}

const bo__table *bo__schema_table(int i)
{
    for (int k = 0; T.list[k]; k++) {
        const bo__domain *d = T.list[k];
        int n = d->ntables ? *d->ntables : 0;
        if (i < n)
            return &d->tables[i];
        i -= n;
    }
    return NULL;
}

int bo__perm_at(int i, const char **name, unsigned *bit)
{
    if (i < 0 || i >= T.nperms)
        return 0;
    *name = T.perms[i].name;
    *bit = T.perms[i].bit;
    return 1;
}

int bo__domains_seed(bo_book *b, int from)
{
    int rc = 0;
    for (int i = 0; !rc && T.list[i]; i++)
        if (T.list[i]->seed)
            rc = T.list[i]->seed(b, from);
    return rc;
}

void bo__domains_tx_end(bo_book *b, int rolled_back)
{
    for (int i = 0; i < BO__EXT_MAX; i++)
        if (b->ext[i].data && T.by_slot[i]->cache->tx_end)
            T.by_slot[i]->cache->tx_end(b->ext[i].data, rolled_back);
}

int bo__domains_flush(bo_book *b)
{
    int rc = 0;
    for (int i = 0; !rc && i < BO__EXT_MAX; i++)
        if (b->ext[i].data && T.by_slot[i]->cache->flush)
            rc = T.by_slot[i]->cache->flush(b, b->ext[i].data);
    return rc;
}

void bo__domains_invalidate(bo_book *b)
{
    for (int i = 0; i < BO__EXT_MAX; i++)
        if (b->ext[i].data && T.by_slot[i]->cache->invalidate)
            T.by_slot[i]->cache->invalidate(b->ext[i].data);
}

void bo__domains_free(bo_book *b)
{
    for (int i = 0; i < BO__EXT_MAX; i++)
        if (b->ext[i].data) {
            if (T.by_slot[i]->cache->free)
                T.by_slot[i]->cache->free(b->ext[i].data);
            b->ext[i].data = NULL;
        }
}
