/**
 * @file backoffice/audit.h
 * @brief The append-only, SHA-256 hash-chained audit log.
 *
 * Every change to a book appends one record: sequence number, UTC time,
 * actor, action ("entry.post"), object ("entry:42") and a canonical detail of
 * the change, chained by hash = SHA-256(previous hash || record). Editing,
 * deleting, inserting or reordering records with raw SQL breaks the chain;
 * bo_audit_verify() names the first broken record.
 *
 * The chain also covers the books themselves: with each change it records
 * the digest of the state of every record the change wrote (an entry and its
 * postings, a sale, an invoice, a grant ...). bo_audit_verify_full()
 * recomputes them from today's rows and checks every maintained total (day
 * totals and balances, stock on hand, reserved and value, stored content)
 * against its source rows, so a row changed, deleted, inserted or renumbered
 * in any table outside the library is found and named:
 * "postings: entry 42 line 2: amount differs from audit record 1234".
 *
 * What no check inside the book can see is its end cut off (the last
 * records and their changes removed together). Keep the head
 * (bo_audit_head()) outside the book, after each commit or periodically, and
 * pass it back as the anchor: a book that no longer reaches it fails.
 *
 * Books written before schema version 10 are covered from the upgrade on:
 * opening one records the state of every record as found, in one audit
 * record "audit.upgrade".
 */
#ifndef BACKOFFICE_AUDIT_H
#define BACKOFFICE_AUDIT_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** Size of a hex SHA-256 digest plus its NUL. */
#define BO_HASH_HEX_SIZE 65

/**
 * Re-hash the whole chain (the fast check: the chain alone, not the tables;
 * bo_audit_verify_full() with BO_AUDIT_VERIFY_CHAIN). Needs audit.read.
 * @param bad_seq  receives the sequence number of the first broken record,
 *                 or 0 when the chain is intact. May be NULL.
 * @return 0 when intact; BO_ECORRUPT naming the first broken record
 *         (and why) otherwise; BO_EDENIED.
 */
BO_EXTERN(int) bo_audit_verify(bo_book *book, int64_t *bad_seq);

/** How much bo_audit_verify_full() checks. */
typedef enum bo_audit_mode {
    BO_AUDIT_VERIFY_FULL = 0,  /**< the chain and every table of the book */
    BO_AUDIT_VERIFY_CHAIN = 1  /**< the chain alone (bo_audit_verify()) */
} bo_audit_mode;

/** Current version of #bo_audit_verify_options. */
#define BO_AUDIT_VERIFY_OPTIONS_VERSION 1

/** Options for bo_audit_verify_full() and bo_audit_verify_list().
 *  Initialise with BO_AUDIT_VERIFY_OPTIONS_INIT or
 *  bo_audit_verify_options_init(); members are only ever appended. */
typedef struct bo_audit_verify_options {
    unsigned int version;    /**< BO_AUDIT_VERIFY_OPTIONS_VERSION */
    int mode;                /**< a #bo_audit_mode (default: full) */
    int64_t anchor_seq;      /**< > 0: the chain must still hold record
                                  anchor_seq with hash anchor_hash (a head
                                  kept outside the book); 0: no anchor */
    const char *anchor_hash; /**< 64 hex digits, with anchor_seq */
    int max_findings;        /**< bo_audit_verify_list(): report at most this
                                  many problems (1..100000, default 100) */
} bo_audit_verify_options;

/** Static initialiser for #bo_audit_verify_options. */
#define BO_AUDIT_VERIFY_OPTIONS_INIT \
    { BO_AUDIT_VERIFY_OPTIONS_VERSION, BO_AUDIT_VERIFY_FULL, 0, NULL, 100 }

/**
 * Initialise @p opts for @p version (BO_AUDIT_VERIFY_OPTIONS_VERSION): for
 * callers that cannot expand the macro.
 * @return 0, BO_EINVAL for another version.
 */
BO_EXTERN(int) bo_audit_verify_options_init(bo_audit_verify_options *opts,
                                            unsigned int version);

/**
 * Verify the chain and, in the full mode (the default), every table of the
 * book against it, in one read snapshot. Needs audit.read. Reads every row
 * once (in chunks, in key order: constant memory); the speed is in
 * docs/performance.md.
 *
 * Checked: each record re-hashed and chained to the previous one; the
 * anchor, if given; the states recorded with each record; every entry and
 * its postings against the canonical form in its audit record; every other
 * record (sales, movements, invoices, payments, pay runs and payslips,
 * documents, grants ...) against the last state the chain recorded for it;
 * the day totals and balances against the postings, stock on hand, reserved
 * and value against the movements and holds, stored document content
 * against its digest; and that no table is left uncovered.
 *
 * @param opts     NULL for the defaults (full, no anchor).
 * @param bad_seq  receives the audit record the first problem concerns (0
 *                 when it concerns none, such as a row no record wrote, or
 *                 when all is intact). May be NULL.
 * @return 0 when intact; BO_ECORRUPT with a message naming the first
 *         problem: the table, the record ("entry 42 line 2") and what is
 *         wrong, never the values; BO_EDENIED; BO_EINVAL for bad options.
 */
BO_EXTERN(int) bo_audit_verify_full(bo_book *book,
                                    const bo_audit_verify_options *opts,
                                    int64_t *bad_seq);

/**
 * As bo_audit_verify_full(), listing the problems found instead of stopping
 * at the first: at most opts->max_findings, in the order they are found
 * (the chain first, then the tables in the order of the schema). Needs
 * audit.read. Columns: seq INT (the audit record concerned, 0 for none),
 * table TEXT, record TEXT ("entry 42 line 2", or "" for the chain), problem
 * TEXT. An intact book gives no rows.
 * @return 0 with the cursor (problems are rows, not errors), BO_EDENIED,
 *         BO_EINVAL.
 */
BO_EXTERN(int) bo_audit_verify_list(bo_book *book,
                                    const bo_audit_verify_options *opts,
                                    bo_cursor **out);

/**
 * The head of the chain, to anchor it outside the database: the last
 * sequence number and its hash as 64 hex digits in @p hex (at least
 * BO_HASH_HEX_SIZE bytes). An empty chain gives 0 and 64 zeros.
 * Needs audit.read.
 * @return 0, BO_EDENIED, BO_ETOOLONG for a short buffer.
 */
BO_EXTERN(int) bo_audit_head(bo_book *book, int64_t *seq, char *hex,
                             size_t size);

/**
 * List audit records with sequence number >= @p from_seq. Needs audit.read.
 * Columns: seq INT, at TEXT (UTC ISO 8601), actor TEXT, action TEXT,
 * object TEXT, detail TEXT, hash TEXT.
 */
BO_EXTERN(int) bo_audit_list(bo_book *book, int64_t from_seq, bo_cursor **out);

BO_END_DECLS

#endif
