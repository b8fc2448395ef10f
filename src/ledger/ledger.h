/*
 * The ledger's door: the one interface the other domains (commerce,
 * inventory, billing, payroll, documents) use to reach the ledger. Above
 * the line "Inside the ledger": posting and reversing an entry, checking
 * an account and a date's period, whether an entry closes a year, and
 * the ledger's rows as SQL relations for reports and matching.
 * Below it: the ledger's own insides (its per-book cache of the chart and
 * closed periods, day totals, the entry builder), for src/ledger/ only.
 * tests/check_ledger_door.py fails when another domain names a ledger
 * table in its SQL or uses anything below the line.
 */
#ifndef BO_LEDGER_LEDGER_H
#define BO_LEDGER_LEDGER_H

#include "core/book.h"
#include "core/domain.h"

/* ---- the door --------------------------------------------------------------- */

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

/* post.c: one audit record for a domain's change and its entry (a sale).
 * After bo__ledger_hold_record the next entry posted in the transaction
 * writes no audit record of its own where writers take turns (no lanes of
 * the audit chain); bo__ledger_held_record then appends to extra the
 * text fields "entry" ("entry:<id>", the object its own record would
 * have named) and "entry_form" (its canonical form, the detail
 * its own record would have had), for the caller's record, which binds the
 * entry to the chain (src/ledger/verify_ledger.c reads them), and ends the
 * hold. Nothing is appended where the entry wrote its own record (lanes, a
 * reversal, no entry posted). */
void bo__ledger_hold_record(bo_book *book);
int bo__ledger_held_record(bo_book *book, bo__buf *extra);

/* close.c: whether entry is a year-end closing entry or the reversal of
 * one (left out of the income statement; reversed only by reopening). */
int bo__ledger_is_closing(bo_book *book, int64_t entry, int *closing);

/* recurring.c: a recurring entry with its whole state (an import's: the
 * last occurrence posted elsewhere, the occurrences left), inside the
 * caller's write transaction; the template's date is the schedule's start.
 * remaining < 0: unlimited; has_end/has_last 0: none. */
typedef struct bo__recur {
    int period, every, enabled;
    int has_end, has_last;
    bo_date end, last;
    int64_t remaining;
} bo__recur;
int bo__ledger_recurring_add(bo_book *book, const bo_entry *tmpl, const bo__recur *r,
                             int64_t *id);

/* door.c: an account as a domain checks it (a copy). */
typedef struct bo__ledger_acct {
    int64_t id;
    int type;   /* a bo_account_type */
    int closed;
    char currency[BO_CURRENCY_MAX + 1];
} bo__ledger_acct;
/* The account with this code; BO_ENOTFOUND naming it. */
int bo__ledger_account(bo_book *book, const char *code, bo__ledger_acct *out);
/* 0 when ISO date lies in a fiscal period or the book defines none;
 * otherwise BO_EPERIOD naming field. */
int bo__ledger_period_covers(bo_book *book, const char *field, const char *date);
/* The closed period containing ISO date, or NULL: *name borrowed until the
 * book's chart or periods change. */
int bo__ledger_period_closed(bo_book *book, const char *date, const char **name);

/* The ledger's rows as another domain's SQL reads them (reports, bank
 * matching): subqueries to use as "FROM BO__LEDGER_POSTINGS p". Their
 * columns are the door's promise; the tables behind them are the ledger's
 * and may change. Each reads one table (both engines flatten such a
 * subquery into the statement around it, indexes included).
 *   postings   entry_id, line, date, account_id, amount, currency,
 *              book_amount (the book-currency value: base_amount, or the
 *              amount when none was recorded)
 *   accounts   id, code, type, currency, closed
 *   entries    id, date, memo, idem_key
 *   reversals  entry_id, reversed_by (the entry reversing it) */
#define BO__LEDGER_POSTINGS                                                   \
    "(SELECT entry_id, line, date, account_id, amount, currency,"           \
    " COALESCE(base_amount, amount) AS book_amount FROM postings)"
#define BO__LEDGER_ACCOUNTS "(SELECT id, code, type, currency, closed FROM accounts)"
#define BO__LEDGER_ENTRIES "(SELECT id, date, memo, idem_key FROM entries)"
#define BO__LEDGER_REVERSALS "(SELECT entry_id, reversed_by FROM reversals)"

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
/* Each account's balance per currency at the end of the day "date op
 * param" ("<=", "?1": at the end of ?1; "<": before it), as rows
 * (account_id, currency, total): its account_days total plus each lane's
 * latest total (version 16, docs/architecture.md "Day totals by lane").
 * Without lanes (SQLite, or PostgreSQL writers taking turns) each group is
 * one row and its sum that row's exact total. */
#define BO__LEDGER_TOTALS(op, param) \
    "SELECT u.account_id, u.currency, CAST(SUM(u.total) AS BIGINT) AS total FROM (" \
    "SELECT d.account_id, d.currency, d.total FROM account_days d" \
    " WHERE d.date = (SELECT MAX(x.date) FROM account_days x" \
    "  WHERE x.account_id = d.account_id AND x.currency = d.currency" \
    "  AND x.date " op " " param ")" \
    " UNION ALL SELECT d.account_id, d.currency, d.total FROM account_lane_days d" \
    " WHERE d.date = (SELECT MAX(x.date) FROM account_lane_days x" \
    "  WHERE x.lane = d.lane AND x.account_id = d.account_id" \
    "  AND x.currency = d.currency AND x.date " op " " param ")" \
    ") u GROUP BY u.account_id, u.currency"

#define BO__P_LEDGER_READ (bo__perms_ledger[0])
#define BO__P_LEDGER_POST (bo__perms_ledger[1])
#define BO__P_LEDGER_ADMIN (bo__perms_ledger[2])

/* ---- Inside the ledger (src/ledger/ only) ------------------------------------ */

/* The approval gate of a posting (approval_ledger.c): 0 to post now,
 * BO_EPENDING when the entry waits for approval. */
int bo__ledger_approval(bo_book *book, const bo_entry *entry);

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
/* The entry whose record a caller holds (bo__ledger_hold_record): on while
 * held and not yet posted, then its id and canonical form; cleared at the
 * end of every transaction. */
typedef struct bo__ledger_held {
    int on, has;
    int64_t id;
    bo__buf form;
} bo__ledger_held;
bo__ledger_held *bo__ledger_held_of(bo__ledger *l);
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

#endif
