/*
 * Ledger internals: the per-book cache (chart and closed periods, validated
 * by the book's generation; day totals, valid inside one transaction) and
 * the posting engine shared by posting and reversal.
 */
#ifndef BO_LEDGER_LEDGER_H
#define BO_LEDGER_LEDGER_H

#include "core/book.h"
#include "core/domain.h"

typedef struct bo__account {
    int64_t id;
    int type;
    int closed;
    char code[BO_CODE_MAX + 1];
    char currency[BO_CURRENCY_MAX + 1];
    char *path; /* "/1/5/": ancestors' ids then its own */
} bo__account;

/* A posting of an entry being built. */
typedef struct bo__posting {
    char *account;
    int64_t amount;
    char currency[BO_CURRENCY_MAX + 1]; /* "" = the account's */
    char *memo;
    /* The book-currency amount, when given (bo_entry_add_base). Without
     * it a base-currency posting's base is its amount and a foreign one's
     * is unknown (stored NULL). */
    int has_base;
    int64_t base;
} bo__posting;

struct bo_entry {
    bo_date date;
    char *memo;
    char *key;
    bo__posting *postings;
    int n, cap;
};

/* cache.c */
typedef struct bo__ledger bo__ledger;
bo__ledger *bo__ledger_get(bo_book *book); /* NULL + BO_ENOMEM on failure */
/* Look up an account by code (cache, then store). BO_ENOTFOUND names it. */
int bo__account_find(bo_book *book, const char *code, const bo__account **out);
/* The closed period containing date (ISO), or NULL: *name borrowed. */
int bo__period_closed_at(bo_book *book, const char *date, const char **name);
/* period.c: 0 when ISO date lies in a fiscal period or the book defines
 * none; otherwise BO_EPERIOD naming field. Closed periods are checked by
 * bo__period_closed_at() (and by the posting engine). */
int bo__period_covers(bo_book *book, const char *field, const char *date);
/* Day-total cache for (account, currency) inside the transaction. */
int bo__day_lookup(bo__ledger *l, int64_t account, const char *currency,
                   char date[11], int64_t *total); /* 1 hit, 0 miss */
void bo__day_store(bo__ledger *l, int64_t account, const char *currency,
                   const char *date, int64_t total);

/* Flags of the posting engine. A domain (a sale, a pay run, an invoice)
 * posts with BO__POST_TRUSTED after checking its own permission: a cashier
 * holding sales.post needs no ledger.post for the sale's entry. */
#define BO__POST_TRUSTED 1u
/* A year-end closing entry or its reversal (close.c): it may post into a
 * closed period or to a closed account (it only moves a year's result),
 * and only reopening the year may reverse it. */
#define BO__POST_CLOSING 2u

/* post.c: post e (already validated as a builder) with reverses = 0 or the
 * entry it reverses, inside the caller's write transaction. */
int bo__ledger_post(bo_book *book, const bo_entry *e, int64_t reverses,
                    unsigned flags, int64_t *id);
/* reverse.c: post the exact opposite of entry_id, dated date, inside the
 * caller's write transaction. BO_EEXISTS when already reversed (unless key
 * is the key of that reversal: a replay answers its id). */
int bo__ledger_reverse(bo_book *book, int64_t entry_id, bo_date date,
                       const char *key, unsigned flags, int64_t *id);

/* close.c: whether entry is a year-end closing entry or the reversal of
 * one (left out of the income statement; reversed only by reopening). */
int bo__ledger_is_closing(bo_book *book, int64_t entry, int *closing);

/* Format an amount for a message ("12.50 USD"); never fails. */
void bo__amount_str(int64_t amount, const char *currency, char out[48]);

/* ---- the domain (domain_ledger.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_ledger;
extern const bo__schema_part bo__parts_ledger[];
extern const bo__table bo__tables_ledger[];
extern const int bo__ntables_ledger;
extern const bo__vdomain bo__verify_ledger;
extern int bo__ledger_slot;
extern const bo__domain_cache bo__ledger_cache;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_ledger[3];
#define BO__P_LEDGER_READ (bo__perms_ledger[0])
#define BO__P_LEDGER_POST (bo__perms_ledger[1])
#define BO__P_LEDGER_ADMIN (bo__perms_ledger[2])

#endif
