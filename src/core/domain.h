/*
 * A domain is one description of itself (docs/architecture.md, "The
 * domain descriptor"): a `const bo__domain` in src/<domain>/domain_<domain>.c,
 * listed once in the table of domains (src/book/domains.c). The book, the
 * schema runner, the YAML loader, the copier and the verifier iterate that
 * table; the core keeps no list of domains, their tables or permissions.
 *
 * The core describes itself the same way (its tables, schema parts and
 * audit kinds: bo__domain_core) and comes first in every iteration.
 */
#ifndef BO_CORE_DOMAIN_H
#define BO_CORE_DOMAIN_H

#include "core/book.h"
#include "core/config_check.h"
#include "core/verify.h"

/* A top-level YAML section and the function that applies it (after the
 * chart, periods and roles, in table order, in the transaction that
 * creates the book: src/book/config.c). */
typedef struct bo__domain_section {
    const char *name; /* the key at the top of the document: "inventory" */
    bo__cfg_section_fn apply;
} bo__domain_section;

/* The caches a domain keeps on a handle, in book->ext[*slot] (data only;
 * the domain creates it on first use). The slot is assigned from the
 * table; the core calls the hooks (any may be NULL) when data is set. */
typedef struct bo__domain_cache {
    int *slot;
    /* Drop anything learnt inside transactions: called on any rollback and
     * when another writer may have committed since (rolled_back is then 1). */
    void (*tx_end)(void *data, int rolled_back);
    /* Another writer changed the chart, periods or roles. */
    void (*invalidate)(void *data);
    void (*free)(void *data);
    /* Write what the domain holds back inside a write transaction (the
     * ledger's shifts of later day totals): called before a savepoint
     * opens and before the outermost commit, so a rollback of a level only
     * ever drops what was held back inside that level. */
    int (*flush)(bo_book *book, void *data);
} bo__domain_cache;

/* How the export (src/book/export.c) writes an integer column that is not
 * a plain count: an amount as a decimal of its currency ("12.50"), a rate
 * as an exact fraction ("3/2"). Ended by { NULL }. */
typedef struct bo__export_col {
    const char *table;
    const char *column;   /* the amount, or the rate's numerator */
    /* amount: the column of the same row naming its currency, or NULL for
     * the book's base currency; rate: the denominator's column. */
    const char *other;
    const char *rate_key; /* a rate: its key in the record; NULL: an amount */
} bo__export_col;

typedef struct bo__domain {
    const char *name; /* "inventory" */
    /* Its parts of the schema by global version ({version, ddl, since}),
     * ended by { 0 }, and its tables in reference order (copy, export, the
     * full audit verification's coverage). */
    const bo__schema_part *parts;
    const bo__table *tables;
    const int *ntables;
    /* Its top-level YAML sections, ended by { NULL } (NULL: none). */
    const bo__domain_section *sections;
    /* Its caches on a handle (NULL: none). */
    const bo__domain_cache *cache;
    /* The names of its permissions ("inventory.read"), NULL-terminated,
     * and where their bits go: perm_bits[i] is set from the table before
     * the first book is opened (permissions are stored by name, so bits
     * never reach a book). */
    const char *const *perms;
    unsigned *perm_bits;
    /* Its audit kinds and actions and the checks of its derived tables
     * (src/core/verify.h), for the full audit verification. */
    const bo__vdomain *verify;
    /* The events it emits after commit (bo_event_subscribe), NULL-terminated. */
    const char *const *events;
    /* Rows a book needs beyond its schema (NULL: none), written in the
     * transaction that created the book (from 0) or upgraded it from
     * version `from`, before the upgrade records the states of books older
     * than BO__SCHEMA_AUDIT_STATES. */
    int (*seed)(bo_book *b, int from);
    /* Its amounts and rates in the export (NULL: every integer column is
     * written as an integer). */
    const bo__export_col *export_cols;
    /* The approvable commands (src/core/approval.h), NULL-terminated, or
     * NULL: listed by the approvals domain, each defined by the domain
     * owning the command. */
    const struct bo__approval_kind *const *approvals;
} bo__domain;

/* The core itself (src/core/domain.c): its tables, parts and audit kinds. */
extern const bo__domain bo__domain_core;
extern const bo__schema_part bo__parts_core[];
extern const bo__table bo__tables_core[];
extern const int bo__ntables_core;

/* The core's own permissions: fixed bits above every domain's. */
#define BO__P_DOMAIN_BITS 30 /* bits 0..29: the domains', in table order */

/* Take the table of domains (the core is put in front): assign cache slots
 * and permission bits, hand the schema parts to the runner. Called once,
 * before the first book is opened (src/book/domains.c); BO_ELIMIT when the
 * table needs more slots, bits, parts or sections than there are. */
int bo__domains_use(const bo__domain *const *domains, int n);
/* Whether bo__domains_use() has run. */
int bo__domains_ready(void);
/* The domains, the core first: i from 0 until NULL. */
const bo__domain *bo__domain_at(int i);

/* Every table of every domain, in reference order: i from 0 until NULL. */
const bo__table *bo__schema_table(int i);

/* Every permission name and its bit, domains' first in table order, then
 * the core's, then "*" (BO__P_ALL): i from 0 until 0 is returned. */
int bo__perm_at(int i, const char **name, unsigned *bit);

/* Call every domain's seed hook, in table order (inside the write). */
int bo__domains_seed(bo_book *b, int from);

/* Call the cache hooks of every domain whose cache is set on b. */
void bo__domains_tx_end(bo_book *b, int rolled_back);
/* Every domain's flush hook; the first failure. */
int bo__domains_flush(bo_book *b);
void bo__domains_invalidate(bo_book *b);
void bo__domains_free(bo_book *b);

#endif
