/**
 * @file backoffice/ledger.h
 * @brief Chart of accounts, balanced double-entry journal, periods, balances
 *        and financial statements.
 *
 * Sign convention: a posting's amount is positive for a debit and negative
 * for a credit, in minor units of the posting's currency. An entry balances
 * when its postings sum to zero in every currency, or, when every posting
 * carries its book-currency value (see bo_entry_add_base()), in the book
 * currency. Posted entries are never
 * edited or deleted; bo_ledger_reverse() corrects them.
 *
 * Limits: account codes up to 64 bytes, names, memos and keys up to 1024
 * bytes, all valid UTF-8 without NUL; an entry holds 2..10000 postings.
 */
#ifndef BACKOFFICE_LEDGER_H
#define BACKOFFICE_LEDGER_H

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** Longest account code, in bytes. */
#define BO_CODE_MAX 64
/** Longest name, memo or idempotency key, in bytes. */
#define BO_TEXT_MAX 1024
/** Most postings in one entry. */
#define BO_POSTINGS_MAX 10000

/** Account types. */
typedef enum bo_account_type {
    BO_ACCOUNT_ASSET = 1,     /**< debit-normal */
    BO_ACCOUNT_LIABILITY = 2, /**< credit-normal */
    BO_ACCOUNT_EQUITY = 3,    /**< credit-normal */
    BO_ACCOUNT_INCOME = 4,    /**< credit-normal */
    BO_ACCOUNT_EXPENSE = 5    /**< debit-normal */
} bo_account_type;

/**
 * The type named @p name ("asset", "liability", "equity", "income",
 * "expense"). @return the type, or BO_EINVAL.
 */
BO_EXTERN(int) bo_account_type_parse(const char *name);

/** The name of @p type, or NULL for a value that is not a type. Static. */
BO_EXTERN(const char *) bo_account_type_name(int type);

/**
 * Add an account to the chart. Needs ledger.admin.
 * @param code      unique code ("1000", "4000.10").
 * @param name      display name.
 * @param type      a #bo_account_type; a sub-account has its parent's type.
 * @param parent    code of the parent account, or NULL for a top-level one.
 * @param currency  the account's currency, or NULL for the base currency.
 * @return 0, BO_EEXISTS, BO_ENOTFOUND (parent), BO_EINVAL (type differs
 *         from the parent's), BO_ECURRENCY, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_account_add(bo_book *book, const char *code,
                                     const char *name, int type,
                                     const char *parent, const char *currency);

/**
 * Close an account: later postings to it are refused (BO_ECLOSED).
 * Its history and balance stay. Needs ledger.admin.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_account_close(bo_book *book, const char *code);

/**
 * The chart of accounts, ordered by code. Needs ledger.read.
 * Columns: code TEXT, name TEXT, type TEXT, parent TEXT (or NULL),
 * currency TEXT, closed INT (0/1).
 */
BO_EXTERN(int) bo_ledger_accounts(bo_book *book, bo_cursor **out);

/** A journal entry being built (opaque). Not tied to a book. */
typedef struct bo_entry bo_entry;

/**
 * Start building an entry dated @p date with description @p memo (NULL: "").
 * @param out receives the builder; the caller owns it (bo_entry_free()).
 * @return 0, BO_EINVAL (date), BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_entry_new(bo_entry **out, bo_date date, const char *memo);

/**
 * Set the client-supplied idempotency key. Posting an entry whose key was
 * already posted records nothing and returns the first entry's id.
 * @return 0, BO_EUTF8, BO_ETOOLONG, BO_EINVAL (empty key).
 */
BO_EXTERN(int) bo_entry_set_key(bo_entry *entry, const char *key);

/**
 * Append a posting: @p amount minor units (positive debit, negative credit,
 * never zero) to account @p account, in @p currency (NULL: the account's).
 * @return 0, BO_EINVAL (zero amount), BO_ECURRENCY (unknown code),
 *         BO_ELIMIT (too many postings), BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_entry_add(bo_entry *entry, const char *account,
                            int64_t amount, const char *currency,
                            const char *memo);

/**
 * Append a posting in a foreign currency with its value in the book
 * currency: @p amount minor units of @p currency (required) worth
 * @p base_amount minor units of the book currency (same sign, or 0 when it
 * rounds to nothing). An entry whose postings all have a book-currency
 * value (given here, or the amount itself for book-currency postings) must
 * balance in the book currency; it need not balance per currency when it
 * mixes currencies (a foreign receivable against book-currency revenue).
 * Entries with a foreign posting added by bo_entry_add() keep balancing per
 * currency, and that posting's book-currency value stays unknown (NULL).
 * @return as bo_entry_add(), and BO_EINVAL (NULL currency, sign differs).
 */
BO_EXTERN(int) bo_entry_add_base(bo_entry *entry, const char *account,
                                 int64_t amount, const char *currency,
                                 int64_t base_amount, const char *memo);

/** Number of postings added so far. */
BO_EXTERN(int) bo_entry_count(const bo_entry *entry);

/** Release the builder. Accepts NULL. */
BO_EXTERN(void) bo_entry_free(bo_entry *entry);

/**
 * Post @p entry to the journal, atomically. Needs ledger.post.
 * @param id receives the new entry's id (or the original's for a replayed
 *           idempotency key). May be NULL.
 * @return 0; BO_EUNBALANCED (names the currency and the difference);
 *         BO_ENOTFOUND or BO_ECLOSED (names the posting and account);
 *         BO_ECURRENCY (posting currency differs from the account's);
 *         BO_EPERIOD (the date lies in a closed period, or on or before the
 *         last day of a closed fiscal year, bo_ledger_year_close(): names
 *         the date and the period or "fiscal year ending <date>");
 *         BO_EOVERFLOW; BO_EKEYREUSE (the key
 *         was used for a different entry); BO_EDENIED; store errors.
 */
BO_EXTERN(int) bo_ledger_post(bo_book *book, const bo_entry *entry,
                              int64_t *id);

/**
 * Post @p n entries in one transaction (a savepoint inside the host's), all
 * or nothing: a script's bulk path, one call instead of one per entry.
 * Each entry is posted as bo_ledger_post() posts it, with its own
 * idempotency key (a replayed key answers the original id; an entry may
 * replay an earlier one of the same call). Needs ledger.post.
 * @param entries @p n entries (none NULL).
 * @param ids     receives each entry's id at the same index (may be NULL);
 *                left zero when the call fails.
 * @return 0 when every entry was posted or replayed; otherwise the first
 *         refused entry's code as bo_ledger_post() returns it, its message
 *         prefixed "entry N: " (N counts from 1), and nothing of the call
 *         is written. BO_EINVAL (NULL book, entries or entry); BO_ESTATE
 *         when an approval rule covers ledger.entry.post (post such entries
 *         one by one, so each can wait for approval); store errors.
 */
BO_EXTERN(int) bo_ledger_post_many(bo_book *book, bo_entry *const *entries,
                                   size_t n, int64_t *ids);

/**
 * Post the exact opposite of entry @p entry_id, dated @p date, with
 * idempotency key @p key (may be NULL). An entry can be reversed once.
 * @p date is checked as bo_ledger_post() checks an entry's (BO_EPERIOD in a
 * closed period or year); an entry of a closed year is reversed with a
 * date after it. Needs ledger.post.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS (already reversed), BO_EPERIOD,
 *         BO_ECLOSED, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_reverse(bo_book *book, int64_t entry_id, bo_date date,
                                 const char *key, int64_t *id);

/**
 * The postings of entry @p entry_id. Needs ledger.read.
 * Columns: entry INT, date TEXT, memo TEXT, key TEXT, reverses INT (or NULL),
 * line INT, account TEXT, amount INT, currency TEXT, line_memo TEXT,
 * base_amount INT (the book-currency value, NULL when unknown).
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_entry(bo_book *book, int64_t entry_id,
                               bo_cursor **out);

/**
 * Balance of @p account in @p currency (NULL: the account's) at the end of
 * @p as_of, sub-accounts included, as debits minus credits. Takes time that
 * does not grow with the number of entries. Needs ledger.read.
 * @return 0, BO_ENOTFOUND, BO_ECURRENCY, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_balance(bo_book *book, const char *account,
                                 bo_date as_of, const char *currency,
                                 int64_t *out);

/**
 * Trial balance at the end of @p as_of: one row per account and currency
 * with a non-zero balance of its own postings, ordered by code. The debit
 * column sums to the credit column in each currency. Needs ledger.read.
 * Columns: code TEXT, name TEXT, type TEXT, currency TEXT, debit INT,
 * credit INT. Every figure is exact; a credit balance of INT64_MIN (a
 * credit of 2^63, one more than int64 holds) makes bo_cursor_next() fail
 * at that row with BO_EOVERFLOW naming the account.
 */
BO_EXTERN(int) bo_ledger_trial_balance(bo_book *book, bo_date as_of,
                                       bo_cursor **out);

/**
 * General-ledger listing: postings between @p from and @p to inclusive, to
 * @p account and its sub-accounts (NULL: every account), ordered by date and
 * entry, with the running balance per account and currency. Streams: memory
 * does not grow with the result. Needs ledger.read.
 * Columns: entry INT, date TEXT, account TEXT, memo TEXT, amount INT,
 * currency TEXT, balance INT. A running balance outside int64 makes
 * bo_cursor_next() fail with BO_EOVERFLOW naming the account and entry.
 */
BO_EXTERN(int) bo_ledger_journal(bo_book *book, const char *account,
                                 bo_date from, bo_date to, bo_cursor **out);

/**
 * Balance sheet at the end of @p as_of: asset, liability and equity accounts
 * with their balances (sub-accounts rolled up into each row) shown with the
 * natural sign of their section (credit-normal sections positive when in
 * credit), plus a row "current earnings" (code NULL, section "equity") for
 * income minus expenses not yet closed into retained earnings by
 * bo_ledger_year_close(). Needs ledger.read.
 * Columns: section TEXT, code TEXT, name TEXT, depth INT, currency TEXT,
 * amount INT. Sums are exact whatever the partial sums; an amount outside
 * int64 makes bo_cursor_next() fail at that row with BO_EOVERFLOW naming
 * the account (or the total) and the currency.
 */
BO_EXTERN(int) bo_ledger_balance_sheet(bo_book *book, bo_date as_of,
                                       bo_cursor **out);

/**
 * Income statement for @p from .. @p to inclusive: income and expense
 * accounts (sub-accounts rolled up) with natural signs, and a final row
 * "net income" (section "total"). Year-end closing entries (and their
 * reversals) are left out: a closed year still shows its result. Needs
 * ledger.read.
 * Columns: section TEXT, code TEXT, name TEXT, depth INT, currency TEXT,
 * amount INT. Overflow as for bo_ledger_balance_sheet().
 */
BO_EXTERN(int) bo_ledger_income_statement(bo_book *book, bo_date from,
                                          bo_date to, bo_cursor **out);

/**
 * Add a fiscal period @p name covering @p start .. @p end inclusive.
 * Periods may not overlap. Needs ledger.admin.
 * @return 0, BO_EEXISTS (name or overlap), BO_EINVAL (end before start),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_period_add(bo_book *book, const char *name,
                                    bo_date start, bo_date end);

/**
 * Close period @p name: entries dated inside it are refused from now on
 * (BO_EPERIOD), year-end closing entries excepted. Closing is final. Needs
 * ledger.admin.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already closed), BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_period_close(bo_book *book, const char *name);

/**
 * The fiscal periods ordered by start. Needs ledger.read.
 * Columns: name TEXT, start TEXT, end TEXT, closed INT (0/1).
 */
BO_EXTERN(int) bo_ledger_periods(bo_book *book, bo_cursor **out);

/**
 * Close the fiscal year ending @p year_end: one entry dated @p year_end
 * moves every income and expense account's balance at the end of that day
 * (per currency) to @p retained, an open equity account in that currency.
 * Afterwards the balance sheet shows the closed years' result in
 * @p retained and only later income and expense as "current earnings";
 * the income statement leaves the closing entry out. The entry may fall in
 * a closed period (close the months, then the year). Years are closed in
 * order: a year ending before an active close is refused. A year with
 * nothing to move is recorded without an entry (*entry = 0).
 * From then on the year takes no posting: bo_ledger_post(),
 * bo_ledger_post_many(), bo_ledger_reverse() and every command that posts
 * through the ledger (invoices, bills, payments, sales, pay runs, imports)
 * refuse a date on or before @p year_end with BO_EPERIOD naming the date
 * and "fiscal year ending <year_end>", and change nothing; other handles
 * and processes see the close at their next transaction. The full
 * verification (bo_audit_verify_full()) names a posting found there that
 * was written after the closing entry.
 * @p key (optional) makes the call idempotent: the same key again answers
 * the same entry. Needs ledger.admin. Audit action ledger.year.close,
 * event year.closed. Its totals include every posting committed before
 * it: on PostgreSQL with writers side by side it runs alone (the other
 * writers wait for it), or, called inside bo_book_begin(), in the host's
 * transaction, which no lone posting runs beside.
 * @return 0, BO_EINVAL (retained not an equity account, bad date),
 *         BO_ENOTFOUND (no such account), BO_ECLOSED, BO_ECURRENCY (a
 *         balance in another currency than @p retained's), BO_EEXISTS
 *         (already closed), BO_ESTATE (a later year is closed),
 *         BO_EKEYREUSE, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_year_close(bo_book *book, bo_date year_end,
                                    const char *retained, const char *key,
                                    int64_t *entry);

/**
 * Reopen the year ending @p year_end: its closing entry is reversed, dated
 * @p year_end, so income and expense carry the year's result again, and
 * the year takes postings again (its closed periods and earlier closed
 * years excepted). Only
 * the latest closed year can be reopened; a closing entry cannot be
 * reversed any other way (bo_ledger_reverse() refuses it with BO_ESTATE).
 * @p key (optional) is the reversal's idempotency key. Needs ledger.admin.
 * Audit action ledger.year.reopen, event year.reopened.
 * @return 0, BO_ENOTFOUND (no active close on that date), BO_ESTATE (a
 *         later year is closed), BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_year_reopen(bo_book *book, bo_date year_end,
                                     const char *key, int64_t *entry);

/**
 * The year-end closes, oldest first, reopened ones included. Needs
 * ledger.read.
 * Columns: year_end TEXT, retained TEXT, entry INT (NULL when nothing was
 * moved), reopened_by INT (the reversal, NULL while closed), actor TEXT.
 */
BO_EXTERN(int) bo_ledger_year_closings(bo_book *book, bo_cursor **out);

/* ---- recurring entries ----------------------------------------------------- */

/** Periods of a recurring entry's schedule. */
typedef enum bo_recur_period {
    BO_RECUR_DAY = 1,       /**< every N days */
    BO_RECUR_WEEK = 2,      /**< every N weeks */
    BO_RECUR_MONTH = 3,     /**< every N months on the start's day, clamped
                                 to the month's end (Jan 31, Feb 28, Mar 31) */
    BO_RECUR_MONTH_END = 4, /**< every N months on the month's last day */
    BO_RECUR_YEAR = 5       /**< every N years (Feb 29 clamped to Feb 28) */
} bo_recur_period;

/**
 * Add a recurring journal entry: @p entry (its memo and postings, amounts
 * exact per currency, balanced as bo_ledger_post() wants them; its key is
 * not used) is the template, its date the first occurrence. Occurrence k
 * falls on date + k * @p every periods @p period (a #bo_recur_period),
 * counted from that first date (so monthly from Jan 31 stays at month
 * end). Needs ledger.admin. Audit action ledger.recurring.add.
 * @param end      last date an occurrence may fall on; BO_DATE_MAX: none.
 * @param count    number of occurrences; 0: unlimited.
 * @param enabled  1 to post occurrences, 0 to keep it without posting.
 * @param id       receives the recurring entry's id (may be NULL).
 * @return 0, BO_EINVAL (period, every outside 1..1000, count below 0,
 *         end before the first date, enabled not 0 or 1), BO_ENOTFOUND
 *         or BO_ECLOSED (names the posting and account), BO_ECURRENCY,
 *         BO_EUNBALANCED, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_recurring_add(bo_book *book, const bo_entry *entry,
                                       int period, int every, bo_date end,
                                       int count, int enabled, int64_t *id);

/**
 * Post every occurrence of the enabled recurring entries due on or before
 * @p as_of, oldest first. Each occurrence is an entry dated on its day
 * with the template's memo and postings and the idempotency key
 * "recurring:<id>:<date>": a second run posts nothing again. One
 * transaction per occurrence: those before a refusal stay posted. Needs
 * ledger.post. Audit action ledger.recurring.run (object
 * "recurring_entry:<id>", detail the date) beside the entry's own.
 * @param posted receives the number of entries posted (may be NULL).
 * @return 0, BO_EINVAL (date), the posting's codes prefixed
 *         "recurring N on DATE: " (BO_EPERIOD, BO_ECLOSED...), BO_ESTATE
 *         when an approval rule covers ledger.entry.post (nothing posted:
 *         an occurrence is not held for approval), BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_recurring_run(bo_book *book, bo_date as_of,
                                       int64_t *posted);

/**
 * The recurring entries by id. Needs ledger.read.
 * Columns: id INT, memo TEXT, period TEXT ("day", "week", "month",
 * "month_end", "year"), every INT, start TEXT, end TEXT (or NULL),
 * times_left INT (occurrences left, NULL: unlimited), last TEXT (the last
 * occurrence posted, or NULL), next TEXT (the next occurrence, NULL when
 * none is left), enabled INT.
 */
BO_EXTERN(int) bo_ledger_recurring_list(bo_book *book, bo_cursor **out);

/**
 * The template postings of recurring entry @p id, by line. Needs
 * ledger.read.
 * Columns: line INT, account TEXT, amount INT, currency TEXT, memo TEXT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_ledger_recurring_postings(bo_book *book, int64_t id,
                                            bo_cursor **out);

BO_END_DECLS

#endif
