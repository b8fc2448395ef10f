/*
 * The store: one driver connection plus a cache of prepared statements,
 * shared by a book and its cursors through a reference count. Domains talk
 * to the store only through these functions, never to a driver.
 */
#ifndef BO_STORE_STORE_H
#define BO_STORE_STORE_H

#include "util/util.h"
#include "backoffice/sys/driver.h"

typedef struct bo__store bo__store;

/* A statement: cached (owned by the store, reset by bo__stmt_done) or
 * private (finalized by bo__stmt_done), e.g. for a cursor. */
typedef struct bo__stmt {
    bo__store *store;
    bo_driver_stmt *ds;
    const char *sql;
    int cached;
    int busy; /* a cached statement between get and done */
    int writes; /* INSERT, UPDATE or DELETE */
} bo__stmt;

/* Open the store named by uri ("scheme:rest", or a plain path for SQLite).
 * The store starts with one reference. */
int bo__store_open(bo__store **out, const char *uri, const bo_driver_settings *s);
void bo__store_retain(bo__store *st);
void bo__store_release(bo__store *st);
const bo_driver *bo__store_driver(const bo__store *st);

int bo__store_exec(bo__store *st, const char *sql);
int64_t bo__store_changes(bo__store *st);
/* How many data-changing statements have been run (a failed call that
 * changed this has written something). */
uint64_t bo__store_writes(const bo__store *st);
/* Whether the driver reports inserted keys (bo_driver.last_insert_id). */
int bo__store_has_insert_id(const bo__store *st);
int64_t bo__store_insert_id(bo__store *st);
/* The driver's data version (see bo_driver.data_version), or -1. */
int64_t bo__store_data_version(bo__store *st);
int bo__store_begin(bo__store *st, int write);
int bo__store_commit(bo__store *st);
int bo__store_rollback(bo__store *st);
/* The engine ended the open transaction on its own after an error (seen
 * through the driver's in_transaction, or assumed after an I/O, full,
 * memory or corruption error). */
int bo__store_tx_lost(const bo__store *st);

/* A cached statement for sql, which must be a string with static storage
 * (the pointer is the cache key). Ready to bind; bo__stmt_done resets it. */
int bo__stmt_get(bo__store *st, const char *sql, bo__stmt **out);
/* A private statement (for cursors); bo__stmt_done finalizes it. */
int bo__stmt_new(bo__store *st, const char *sql, bo__stmt **out);
void bo__stmt_done(bo__stmt *s);
/* Make a statement ready to bind and run again. */
void bo__stmt_reset(bo__stmt *s);

int bo__stmt_int(bo__stmt *s, int idx, int64_t v);
int bo__stmt_text(bo__stmt *s, int idx, const char *text); /* NULL binds NULL */
int bo__stmt_null(bo__stmt *s, int idx);
/* BO_DRIVER_ROW, BO_DRIVER_DONE, or a negative code with the message set. */
int bo__stmt_step(bo__stmt *s);
int bo__stmt_is_null(bo__stmt *s, int col);
int64_t bo__stmt_col_int(bo__stmt *s, int col);
const char *bo__stmt_col_text(bo__stmt *s, int col);
/* The same with its length in bytes (text may hold NUL bytes when it was
 * written outside the library). NULL for NULL. */
const char *bo__stmt_col_text_len(bo__stmt *s, int col, size_t *len);
/* Bytes in {BLOB} columns, through the driver's optional bind_blob and
 * column_blob (BO_ENOTSUP without them; bo__store_has_blob tells). col_blob
 * sets *len and copies when the bytes fit in cap, else BO_ELIMIT. */
int bo__store_has_blob(const bo__store *st);
int bo__stmt_blob(bo__stmt *s, int idx, const void *data, size_t len);
int bo__stmt_col_blob(bo__stmt *s, int col, void *buf, size_t cap, size_t *len);
/* Copy blob column col of rd into parameter idx of wr (copying a book). */
int bo__stmt_copy_blob(bo__stmt *rd, int col, bo__stmt *wr, int idx);

/* The SQL dialect a driver owns (bo_driver version 3): each appends the
 * driver's text to out; BO_ENOTSUP naming the driver when it lacks the
 * members (an older or smaller driver), never another engine's SQL.
 *   fts_index   the DDL making the full-text index (a migration runs it)
 *   fts_match   a SELECT of the keys matching its one `?` parameter
 *   fts_query   that parameter: every group of per_group terms must match
 *               (any term of a group)
 *   string_agg  the aggregate joining expr with the SQL literal sep */
int bo__store_has_fts(const bo__store *st);
/* For drivers' fts_query: "(t1 OR t2) AND (t3 OR t4)" with the engine's
 * quote, or and and; snprintf-like. */
int bo__dialect_terms(const char *const *terms, int ngroups, int per_group,
                      const char *quote, const char *or_, const char *and_,
                      char *buf, size_t cap);
int bo__store_fts_index(bo__store *st, const bo_driver_fts *f, bo__buf *out);
int bo__store_fts_match(bo__store *st, const bo_driver_fts *f, bo__buf *out);
int bo__store_fts_query(bo__store *st, const char *const *terms, int ngroups,
                        int per_group, bo__buf *out);
int bo__store_string_agg(bo__store *st, const char *expr, const char *sep,
                         bo__buf *out);

/* Run a cached statement expected to return no row (INSERT/UPDATE...). */
int bo__stmt_run(bo__stmt *s);
/* Get the cached statement for sql, bind n text parameters (NULL binds
 * NULL), run it and release it: the common one-shot write. */
int bo__store_write_text(bo__store *st, const char *sql, int n,
                         const char *const *params);

/* Set the thread's error from the driver's message for code rc. */
int bo__store_error(bo__store *st, int rc, const char *what);

/* Registry (registry.c). */
const bo_driver *bo__registry_find(const char *scheme, size_t len);

/* Schema (schema.c): create or migrate inside the caller's write
 * transaction. *created is set when the store was empty and create != 0.
 * BO__SCHEMA_VERSION is the version the library's own parts reach (a part
 * registered besides them, a test's domain, may reach a later one:
 * bo__schema_version()). */
#define BO__SCHEMA_VERSION 11
/* The version whose migration made audit_states: a book older than it is
 * covered by the chain from its upgrade on (bo__verify_backfill). */
#define BO__SCHEMA_AUDIT_STATES 10
int bo__schema_prepare(bo__store *st, int create, int *created);
/* The same, telling the version the store was at (0: none). */
int bo__schema_prepare_from(bo__store *st, int create, int *created, int *from);

/* A part of a schema version: NULL-terminated DDL in the dialect of
 * schema.c, applied when a book reaches version. A change that touches
 * several owners is one version with a part from each (each part lives
 * with its owner: src/<domain>/schema_<domain>.c, src/core/schema_core.c).
 * A part that adds columns to tables of an earlier version (ALTER TABLE)
 * names that version in since: it runs only on a book that had reached it
 * before this open, because the tables created now already have the
 * columns (their CREATE statements were updated with the part). */
typedef struct bo__schema_part {
    int version;
    const char *const *ddl;
    int since; /* 0: always; v: only for a book already at version >= v */
    /* or, instead of ddl, a full-text index: its DDL is the driver's
     * (bo_driver.fts_index); a driver without full-text search makes none,
     * and searching by words is then BO_ENOTSUP */
    const bo_driver_fts *fts;
} bo__schema_part;
/* The parts the runner applies, in order (by version; in a version, in the
 * order given): set once by the core from the table of domains
 * (src/core/domain.c) before the first book is opened. */
void bo__schema_use(const bo__schema_part *const *parts, int n);
/* The version the registered parts reach. */
int bo__schema_version(void);

/* A table of the schema, for copying a book and verifying it (each owner
 * lists its tables in reference order beside its parts). */
typedef struct bo__table {
    const char *name;
    const char *columns;  /* "id, code, ..." */
    const char *types;    /* one letter per column: i int64, t text,
                             b bytes (bo__stmt_blob) */
    const char *order_by; /* the key */
    const char *identity; /* the {ID} column, or NULL */
} bo__table;

/* The driver's sync_identity (see driver.h), or 0 without one. */
int bo__store_sync_identity(bo__store *st, const char *table, const char *column);

#endif
