/**
 * @file backoffice/audit.h
 * @brief The append-only, SHA-256 hash-chained audit log.
 *
 * Every change to a book appends one record: sequence number, UTC time,
 * actor, action ("entry.post"), object ("entry:42") and a canonical detail of
 * the change, chained by hash = SHA-256(previous hash || record). Editing,
 * deleting, inserting or reordering records with raw SQL breaks the chain;
 * bo_audit_verify() names the first broken record.
 */
#ifndef BACKOFFICE_AUDIT_H
#define BACKOFFICE_AUDIT_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** Size of a hex SHA-256 digest plus its NUL. */
#define BO_HASH_HEX_SIZE 65

/**
 * Re-hash the whole chain. Needs audit.read.
 * @param bad_seq  receives the sequence number of the first broken record,
 *                 or 0 when the chain is intact. May be NULL.
 * @return 0 when intact; BO_ECORRUPT naming the first broken record
 *         (and why) otherwise; BO_EDENIED.
 */
BO_EXTERN(int) bo_audit_verify(bo_book *book, int64_t *bad_seq);

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
