/**
 * @file backoffice/sys/driver.h
 * @brief The storage driver contract, for driver and plugin authors.
 *
 * The domains speak one portable SQL subset (SQLite 3.40 and PostgreSQL 15
 * share it: ON CONFLICT upserts, RETURNING, CTEs, window functions) with `?`
 * placeholders; a driver supplies connection, transactions, statements,
 * error mapping and a few dialect facts. Stable through a minor version:
 * members are only ever appended, and #bo_driver.version says which exist.
 *
 * Every function returns 0 or a negative bo_error_code; after a failure,
 * errmsg() describes it. The core never shares a connection between threads.
 */
#ifndef BACKOFFICE_SYS_DRIVER_H
#define BACKOFFICE_SYS_DRIVER_H

#include "../common.h"

BO_BEGIN_DECLS

/** Current version of #bo_driver: 1 (release 0.1) ends with
 *  in_transaction; 2 adds bind_blob and column_blob; 3 adds the dialect of
 *  full-text search (fts_index, fts_match, fts_query) and string
 *  aggregation (string_agg); 4 adds writers side by side (audit_lane,
 *  audit_next_seq) and scrub; 5 adds rows written in bulk (copy_rows).
 *  The core reads a member only from drivers
 *  whose version has it, so a plugin built against older headers (a
 *  shorter struct) keeps working; what needs a missing member fails with
 *  BO_ENOTSUP, never with another engine's SQL. */
#define BO_DRIVER_VERSION 5

/** bo_driver.step(): a row is ready. */
#define BO_DRIVER_ROW 100
/** bo_driver.step(): the statement has finished. */
#define BO_DRIVER_DONE 101

/** A driver's connection (opaque to the core). */
typedef struct bo_driver_conn bo_driver_conn;
/** A driver's prepared statement (opaque to the core). */
typedef struct bo_driver_stmt bo_driver_stmt;

/** Settings passed to bo_driver.open(). Members only ever appended. */
typedef struct bo_driver_settings {
    unsigned int version;  /**< 1 */
    int busy_timeout_ms;   /**< wait this long on a locked store */
    int sync;              /**< a #bo_sync value */
    int create;            /**< non-zero: create the store if it is missing;
                                zero: a missing store is BO_ENOTFOUND */
} bo_driver_settings;

/** A full-text index, as the core names it to the driver's fts_* members:
 *  the rows of @c table, keyed by its integer column @c key, are searched by
 *  the words of its text column @c column. */
typedef struct bo_driver_fts {
    const char *index;  /**< a name for what the driver makes ("doc_fts") */
    const char *table;  /**< the indexed table ("doc_text") */
    const char *key;    /**< its integer key column ("doc_id") */
    const char *column; /**< its text column ("body") */
} bo_driver_fts;

/** A storage driver. */
typedef struct bo_driver {
    unsigned int version;  /**< BO_DRIVER_VERSION the driver was built for */
    const char *scheme;    /**< URI scheme it serves ("sqlite") */
    const char *name;      /**< human-readable name */

    /* dialect facts */
    const char *sql_id_primary_key; /**< DDL for an auto-assigned int64 key
                                         ("INTEGER PRIMARY KEY") */
    const char *sql_blob;           /**< DDL type for bytes ("BLOB") */
    const char *sql_clustered;      /**< suffix for a table stored in primary
                                         key order (" WITHOUT ROWID"), or "" */

    /** Open @p target (the URI without "scheme:"). */
    int (*open)(const struct bo_driver *driver, const char *target,
                const bo_driver_settings *settings, bo_driver_conn **out);
    /** Close; rolls back an open transaction. Accepts NULL. */
    void (*close)(bo_driver_conn *conn);
    /** Message for the last failure on @p conn (never NULL). */
    const char *(*errmsg)(bo_driver_conn *conn);
    /** Run one or more statements without results (DDL, SAVEPOINT ...). */
    int (*exec)(bo_driver_conn *conn, const char *sql);
    /** Begin; @p write non-zero takes the write lock at once: write
     *  transactions take turns. @p write 2 (given only to a driver with
     *  audit_lane, version 4) begins one that may run beside other such
     *  transactions, each appending to its own lane of the audit chain; a
     *  driver may still make it wait for the others (after a conflict,
     *  say), and then gives it lane 0 or its own. @p write 3 (likewise)
     *  is such a transaction that may run at snapshot isolation (a ledger
     *  posting); a driver that does not know it treats it as any write
     *  other than 2. @p write 4 (likewise) is such a transaction that the
     *  host opened, which may read what a write 3 one writes and write
     *  from what it read: it may run beside others of 2 and 4, never
     *  beside one of 3 (a driver that does not know it treats it as any
     *  write other than 2). */
    int (*begin)(bo_driver_conn *conn, int write);
    /** Commit. BO_ECONFLICT means "retry the whole transaction". */
    int (*commit)(bo_driver_conn *conn);
    /** Roll back. */
    int (*rollback)(bo_driver_conn *conn);
    /** Prepare one statement with `?` placeholders. */
    int (*prepare)(bo_driver_conn *conn, const char *sql,
                   bo_driver_stmt **out);
    /** Bind parameter @p idx (1-based). */
    int (*bind_int64)(bo_driver_stmt *stmt, int idx, int64_t value);
    /** Bind @p len bytes of text (copied by the driver). */
    int (*bind_text)(bo_driver_stmt *stmt, int idx, const char *text,
                     size_t len);
    /** Bind NULL. */
    int (*bind_null)(bo_driver_stmt *stmt, int idx);
    /** Execute/advance: BO_DRIVER_ROW, BO_DRIVER_DONE or a negative code. */
    int (*step)(bo_driver_stmt *stmt);
    /** Make the statement ready to run again; clears bindings. */
    int (*reset)(bo_driver_stmt *stmt);
    /** Release. Accepts NULL. */
    void (*finalize)(bo_driver_stmt *stmt);
    /** Non-zero if column @p col (0-based) of the current row is NULL. */
    int (*column_is_null)(bo_driver_stmt *stmt, int col);
    /** Column as int64. */
    int64_t (*column_int64)(bo_driver_stmt *stmt, int col);
    /** Column as text (borrowed until the next step/reset); length in *len. */
    const char *(*column_text)(bo_driver_stmt *stmt, int col, size_t *len);
    /** Rows changed by the last statement. */
    int64_t (*changes)(bo_driver_conn *conn);
    /** Optional (may be NULL): a number that changes whenever another
     *  connection commits to the store, read inside a write transaction.
     *  While it stays the same the core keeps what it learnt in earlier
     *  transactions (chain head, balances); without it, it re-reads them
     *  in every transaction. Negative: unknown. */
    int64_t (*data_version)(bo_driver_conn *conn);
    /** Optional (may be NULL): the key the last successful INSERT gave an
     *  {ID} column. When present the core inserts without RETURNING (which
     *  costs SQLite a temporary table per statement). */
    int64_t (*last_insert_id)(bo_driver_conn *conn);
    /** Optional (may be NULL when keys need no care): after rows were
     *  inserted with explicit values in {ID} column @p column of @p table
     *  (copying a book), make the next generated key larger than all. */
    int (*sync_identity)(bo_driver_conn *conn, const char *table,
                         const char *column);
    /** Optional (may be NULL, meaning ""): the DDL suffix that makes a TEXT
     *  column compare and sort byte-wise, as SQLite's default BINARY
     *  collation does (" COLLATE \"C\"" on PostgreSQL, whose database
     *  collation may ignore punctuation: "/1/5/" and "/1/50" would not
     *  order as the core's key ranges need). Schema token {TEXT_C}. */
    const char *sql_text_bytewise;
    /** Optional (may be NULL): whether a transaction is open on @p conn.
     *  Engines may end a transaction on their own after an error (SQLite
     *  rolls back on I/O errors, a full disk or no memory, even in a read);
     *  the core asks after every failure inside a transaction, so later
     *  calls never run outside it unnoticed. Without it the core assumes
     *  the transaction is lost after any I/O, full, memory or corruption
     *  error. */
    int (*in_transaction)(bo_driver_conn *conn);
    /* ---- version 2 ---- */
    /** Optional (may be NULL, with column_blob): bind @p len bytes (any
     *  values, NUL included; copied by the driver) to a {BLOB} column.
     *  Without it the documents domain keeps in-database content as base64
     *  text. */
    int (*bind_blob)(bo_driver_stmt *stmt, int idx, const void *data,
                     size_t len);
    /** Optional (may be NULL, with bind_blob): the bytes of {BLOB} column
     *  @p col. Sets *len to their count; copies them into @p buf when they
     *  fit in @p cap (else BO_ELIMIT and nothing copied: call again with a
     *  buffer of *len bytes). @p buf may be NULL when @p cap is 0. */
    int (*column_blob)(bo_driver_stmt *stmt, int col, void *buf, size_t cap,
                       size_t *len);
    /* ---- version 3 ----
     * The members below write SQL text into @p buf the way snprintf does:
     * at most @p cap bytes, NUL included (@p buf may be NULL when @p cap is
     * 0), and return the length of the whole text without its NUL (the
     * core calls again with a larger buffer when it did not fit), or a
     * negative bo_error_code. They are given the connection, so a driver
     * that wraps another can forward them. */
    /** Optional (may be NULL, with fts_match and fts_query; without them
     *  searching by words is BO_ENOTSUP): the DDL, one or more statements
     *  for exec(), that makes the full-text index @p fts. The engine keeps
     *  the index up to date as rows of the table are inserted, updated and
     *  deleted, and the DDL fills it from the rows already there. Running it
     *  on a store that has the index changes nothing (IF NOT EXISTS). Run
     *  by a schema migration, never by a read. */
    int (*fts_index)(bo_driver_conn *conn, const bo_driver_fts *fts, char *buf,
                     size_t cap);
    /** Optional (with fts_index): a SELECT of one column, the keys of the
     *  rows of @p fts whose text matches its one `?` parameter (a text
     *  made by fts_query). The core uses it as "key IN (...)". */
    int (*fts_match)(bo_driver_conn *conn, const bo_driver_fts *fts, char *buf,
                     size_t cap);
    /** Optional (with fts_index): the parameter of fts_match's statement
     *  for @p ngroups groups of @p per_group terms each (@p terms holds
     *  ngroups * per_group of them, group after group): a row matches when
     *  its text holds, for every group, at least one of the group's terms
     *  as a word. Terms are made of ASCII letters and digits and bytes
     *  from 0x80 up only. */
    int (*fts_query)(bo_driver_conn *conn, const char *const *terms, int ngroups,
                     int per_group, char *buf, size_t cap);
    /** Optional (may be NULL: listings that aggregate text are BO_ENOTSUP):
     *  the SQL aggregate that joins the text values of @p expr over a group,
     *  in the order the rows come, separated by @p sep (an SQL string
     *  literal), e.g. "GROUP_CONCAT(expr, sep)" or "STRING_AGG(expr, sep)". */
    int (*string_agg)(bo_driver_conn *conn, const char *expr, const char *sep,
                      char *buf, size_t cap);
    /* ---- version 4 ---- */
    /** Optional (may be NULL, with audit_next_seq: write transactions take
     *  turns, and the audit chain is one lane, 0): for a driver whose write
     *  transactions run side by side. Called inside a write transaction:
     *  the lane of the audit chain it appends to (0 to BO_DRIVER_LANES - 1),
     *  which no other open write transaction appends to until this one
     *  ends. Lane 0 is only given to a transaction that runs alone.
     *  Negative, on any connection, when its writers take turns after all
     *  (the core then numbers records one after the last, lane 0). */
    int (*audit_lane)(bo_driver_conn *conn);
    /** Optional (with audit_lane): the number of the next audit record,
     *  larger than every number given before on any connection (numbers
     *  of transactions rolled back are never used: gaps are allowed). */
    int (*audit_next_seq)(bo_driver_conn *conn, int64_t *out);
    /** Optional (may be NULL: the engine leaves nothing of deleted rows
     *  where the core can reach it): after rows were erased for good (an
     *  erasure the law demands), outside any transaction, make sure no
     *  bytes of them remain in the store's files: free pages, unused space
     *  in pages, the write-ahead log. SQLite rewrites the file (VACUUM) and
     *  empties its WAL. */
    int (*scrub)(bo_driver_conn *conn);
    /* ---- version 5 ---- */
    /** Optional (may be NULL: the core writes such rows with INSERTs of
     *  many rows each): inside a write transaction, append @p nrows rows to
     *  @p table in one operation, as PostgreSQL's COPY ... FROM STDIN does.
     *  @p columns names the @p ncols columns the values fill, in order
     *  ("entry_id, line, amount"); every other column takes its default.
     *  @p values holds nrows * ncols values, row after row: each a
     *  NUL-terminated text in the column type's input form (an integer is
     *  its decimal digits with an optional '-'), NULL for SQL NULL. Texts
     *  may hold any byte but NUL (tabs, newlines, backslashes: the driver
     *  escapes what its format needs), and must come back from a read
     *  exactly as given. The rows meet the table's constraints, defaults
     *  and indexes as an INSERT of the same values would. On failure the
     *  return is the error's code (a unique violation BO_ECONSTRAINT, a
     *  lost connection BO_EIO, ...) with errmsg() naming @p table; what the
     *  operation wrote is then undone when the transaction rolls back, and
     *  the core rolls it back. Never called with @p nrows 0. The core may
     *  give an {ID} column explicit values this way (a batch's entries, in
     *  a transaction that runs alone) and then calls sync_identity, as
     *  after copying a book. */
    int (*copy_rows)(bo_driver_conn *conn, const char *table, const char *columns,
                     int ncols, size_t nrows, const char *const *values);
} bo_driver;

/** Lanes of the audit chain (bo_driver.audit_lane): 0 to 64. */
#define BO_DRIVER_LANES 65

/**
 * Register @p driver for its scheme. The struct must outlive the process's
 * use of the library (a static, or memory owned by a loaded plugin).
 * @return 0, BO_EINVAL (NULL, missing members, newer version than this
 *         library knows), BO_EEXISTS (scheme taken).
 */
BO_EXTERN(int) bo_driver_register(const bo_driver *driver);

/** The driver registered for @p scheme, or NULL. */
BO_EXTERN(const bo_driver *) bo_driver_find(const char *scheme);

BO_END_DECLS

#endif
