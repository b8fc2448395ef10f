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

/* The same rows from the postings (each account's sum per currency up to
 * the date): what the readers of balances use while this transaction holds
 * back shifts of later day totals (bo__ledger_days_held), which the stored
 * totals do not show yet. */
#define BO__LEDGER_POSTED(op, param) \
    "SELECT p.account_id, p.currency, CAST(SUM(p.amount) AS BIGINT) AS total" \
    " FROM postings p WHERE p.date " op " " param \
    " GROUP BY p.account_id, p.currency"

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

/* An entry's short texts (memo, key, account codes, posting memos) are
 * copied into its own text[] while they fit, and its first postings live
 * in first[]: building a usual entry allocates the entry alone. */
#define BO__ENTRY_TEXT 192
#define BO__ENTRY_INLINE 4
struct bo_entry {
    bo_date date;
    char *memo;
    char *key;
    bo__posting *postings; /* first, or allocated when it outgrew it */
    int n, cap;
    size_t text_used;
    bo__posting first[BO__ENTRY_INLINE];
    char text[BO__ENTRY_TEXT];
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
/* Buffers the posting path reuses from one entry to the next (its
 * canonical form, its record's extra), so a lone entry allocates none:
 * take one (empty; the cache keeps nothing meanwhile, so a nested post
 * takes a fresh one), give it back when done (kept if the slot is free and
 * it is small, else freed). */
#define BO__LEDGER_SCRATCH 2
bo__buf bo__ledger_scratch_take(bo__ledger *l, int which);
void bo__ledger_scratch_give(bo__ledger *l, int which, bo__buf *b);
/* Look up an account by code (cache, then store). BO_ENOTFOUND names it. */
int bo__account_find(bo_book *book, const char *code, const bo__account **out);
/* The accounts the postings of e[0..n) name that the cache lacks, read
 * into it 64 codes a statement (a batch's chart in one round trip; a code
 * not found is left to bo__account_find, which refuses it). */
int bo__account_load(bo_book *book, bo_entry *const *e, size_t n);
/* The closed period containing date (ISO), or NULL: *name borrowed. */
int bo__period_closed_at(bo_book *book, const char *date, const char **name);
/* period.c: 0 when ISO date lies in a fiscal period or the book defines
 * none; otherwise BO_EPERIOD naming field. Closed periods are checked by
 * bo__period_closed_at() (and by the posting engine). */
int bo__period_covers(bo_book *book, const char *field, const char *date);
/* Day-total cache for (account, currency) inside the transaction: the
 * latest day of account_days and its true total; date "" (total 0) when
 * it has none. */
int bo__day_lookup(bo__ledger *l, int64_t account, const char *currency,
                   char date[11], int64_t *total); /* 1 hit, 0 miss */
void bo__day_store(bo__ledger *l, int64_t account, const char *currency,
                   const char *date, int64_t total);
/* The day cache filled for every (account, currency) of the postings
 * p[0..n) (acc their accounts) it lacks: their latest rows of account_days
 * read 64 pairs a statement, the shifts held back before them added (a
 * batch's day rows in one round trip; lane 0 only). */
int bo__day_load(bo_book *book, const bo__posting *p, const bo__account *const *acc, int n);

/* days.c: the shifts of later day totals held back until the end of the
 * write transaction's level (docs/architecture.md, "Day totals"). A row
 * dated r of (lane, account, currency) stores its true total less
 * bo__shifts_before(group, r); lane 0 is account_days. */
typedef struct bo__shifts bo__shifts;
typedef struct bo__shift_group bo__shift_group;
bo__shifts *bo__shifts_new(void);
void bo__shifts_free(bo__shifts *s);
void bo__shifts_clear(bo__shifts *s); /* forget every point (a rollback) */
int bo__shifts_pending(const bo__shifts *s);
/* The group of (lane, account, currency), or NULL when it holds nothing. */
bo__shift_group *bo__shifts_find(bo__shifts *s, int lane, int64_t account,
                                 const char *currency);
/* The sum of the points dated before date; BO_EOVERFLOW (no message) when
 * it overflows. */
int bo__shifts_before(const bo__shift_group *g, const char *date, int64_t *sum);
/* Bounds of any such sum: *neg <= sum <= *pos; 0 when g holds nothing. */
int bo__shifts_bounds(const bo__shift_group *g, int64_t *neg, int64_t *pos);
/* Hold back "every day after date moves by amount": BO_EOVERFLOW (no
 * message) when the group's sums would overflow (flush it and shift now),
 * BO_ENOMEM. */
int bo__shifts_add(bo__shifts *s, int lane, int64_t account, const char *currency,
                   const char *date, int64_t amount);
/* Write the points (each later row moved once) and forget them. */
int bo__shifts_flush_group(bo_book *book, bo__shift_group *g);
int bo__shifts_flush(bo_book *book, bo__shifts *s);
/* The group of (lane, account, currency), made when missing (NULL on
 * BO_ENOMEM). */
bo__shift_group *bo__shifts_group(bo__shifts *s, int lane, int64_t account,
                                  const char *currency);
/* A group's day rows as stored, read once a batch for the back-dated
 * entries of the posting path (docs/architecture.md, "Day rows read once
 * per batch"): every row dated from the row at or before date on (a date
 * below those held reads only the rows below them), kept in step by
 * bo__dayrows_set at each write of the posting path, dropped when
 * the stored totals move otherwise (a flush of the group, a shift made at
 * once) and with the points at the end of a level. */
int bo__dayrows_load(bo_book *book, bo__shift_group *g, const char *date);
int bo__dayrows_covers(const bo__shift_group *g, const char *date); /* 1: answers date */
void bo__dayrows_drop(bo__shift_group *g);
/* A row written as stored (when covered; out of memory drops the rows). */
void bo__dayrows_set(bo__shift_group *g, const char *date, int64_t total);
/* What SQL_DAY_AT_OR_BEFORE and SQL_LATER_RANGE would read, as stored. */
void bo__dayrows_before(const bo__shift_group *g, const char *date, char found[11],
                        int64_t *total, int *have);
void bo__dayrows_later(const bo__shift_group *g, const char *date, int64_t *lo,
                       int64_t *hi, int *any);
/* Set-wise statements of any number of rows (PostgreSQL): each column of
 * the rows one array parameter, its literal ("{1,2}", "{\"a\",\"b\"}")
 * built a value at a time; bo__arr_end closes it (NULL: out of memory).
 * The statement unnests them (docs/architecture.md, "Day totals").
 * bo__ledger_set_wise: the store takes such statements (the built-in PostgreSQL
 * driver). */
void bo__arr_int(bo__buf *a, int64_t v);
void bo__arr_text(bo__buf *a, const char *t);
const char *bo__arr_end(bo__buf *a);
/* sql run with the arrays a[from..n) closed as its parameters 1..n - from;
 * every one of a[0..n) freed. */
int bo__arr_run(bo_book *book, const char *sql, bo__buf *a, int from, int n);
int bo__ledger_set_wise(const bo__store *st);
/* cache.c: the transaction's held-back shifts (NULL + BO_ENOMEM) ... */
bo__shifts *bo__ledger_shifts(bo__ledger *l);
/* ... and, for the readers of account_days and account_lane_days outside
 * the posting path, those of book when it holds any, else NULL. A reader
 * never writes them: it folds them into what it returns (a stored total
 * dated r plus bo__shifts_before(group, r)) or reads the postings instead
 * (BO__LEDGER_POSTED). They are written only before a savepoint opens and
 * at the outermost commit (the cache's flush hook). */
bo__shifts *bo__ledger_days_held(bo_book *book);
/* The stored total of the row dated date of (lane, account, currency) with
 * the shifts held back before it added (BO_EOVERFLOW, no message, when the
 * sum does not fit). */
int bo__ledger_days_fold(bo__shifts *held, int lane, int64_t account,
                         const char *currency, const char *date, int64_t *total);

/* post.c, post_many.c */
/* The pieces of bo__ledger_post that the set-wise bulk path
 * (post_many.c) shares with it (post.c). entry_form: the accounts found
 * into acc (e->n of them), currencies, balance, the canonical form and its
 * digest, *closed_at the first posting (1-based) to a closed account or 0.
 * entry_days: the entry's day totals planned, checked and written.
 * posting_base: a posting's book-currency value, 1 when known.
 * entry_object: "entry:<id>". */
int bo__ledger_entry_form(bo_book *book, const bo_entry *e, const char *date,
                          int64_t reverses, const bo__account **acc, int *closed_at,
                          bo__buf *canon, char digest[65]);
/* The new rows of account_days (lane 0) or of the transaction's lane in
 * account_lane_days that a batch's day totals hold over its dates
 * (post_many.c): written 64 a statement by bo__day_pend_flush, and before
 * anything reads the store's rows of an account and currency held or
 * moves them. Where the store takes set-wise statements
 * (bo__ledger_set_wise) the rows updated are held as well (u: delta
 * added, total set), all of them written in one UPDATE. slot: the
 * (account, currency) pairs held, open addressing (k + 1: r[k], -(k + 1):
 * u[k]), so the check before a read costs the same however many are
 * held. */
typedef struct bo__day_pend_row {
    int lane;
    int64_t acc;
    char cur[BO_CURRENCY_MAX + 1];
    char date[11];
    int64_t delta, stored;
} bo__day_pend_row;
typedef struct bo__day_pend {
    bo__day_pend_row *r;
    int n;
    size_t cap;
    bo__day_pend_row *u;
    int nu;
    size_t ucap;
    int *slot;
    int nslots, nkeys;
} bo__day_pend;
int bo__day_pend_flush(bo_book *book, bo__day_pend *pend);
void bo__day_pend_free(bo__day_pend *pend);
/* An entry's day totals; pend NULL writes its new rows at once. */
int bo__ledger_entry_days(bo_book *book, const bo_entry *e, const bo__account **acc,
                          const char *date, bo__day_pend *pend);
int bo__ledger_posting_base(const bo_book *book, const bo__posting *p,
                            const char *cur, int64_t *base);
void bo__ledger_entry_object(char out[48], int64_t id);
/* bo_ledger_post_many's transaction, set-wise (post_many.c): n entries
 * validated, then written many rows a statement. *per_entry = 1 (nothing
 * written) when the call must be posted entry by entry instead. */
int bo__ledger_post_set(bo_book *book, bo_entry *const *e, size_t n, int64_t *ids,
                        int *per_entry);

#endif
