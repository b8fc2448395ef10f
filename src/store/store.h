/*
 * The store: one driver connection plus a cache of prepared statements,
 * shared by a book and its cursors through a reference count. Domains talk
 * to the store only through these functions, never to a driver.
 */
#ifndef BO_STORE_STORE_H
#define BO_STORE_STORE_H

#include "core/core.h"
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
 * transaction. *created is set when the store was empty and create != 0. */
#define BO__SCHEMA_VERSION 11
/* The version whose migration made audit_states: a book older than it is
 * covered by the chain from its upgrade on (bo__verify_backfill). */
#define BO__SCHEMA_AUDIT_STATES 10
/* The version from which the built-in document types exist in every book
 * (seeded at creation and by the upgrade, no longer on first use). */
#define BO__SCHEMA_DOC_TYPES 11
int bo__schema_prepare(bo__store *st, int create, int *created);
/* The same, telling the version the store was at (0: none). */
int bo__schema_prepare_from(bo__store *st, int create, int *created, int *from);

/* The tables of the current schema version, in reference order. */
typedef struct bo__table {
    const char *name;
    const char *columns;  /* "id, code, ..." */
    const char *types;    /* one letter per column: i int64, t text,
                             b bytes (bo__stmt_blob) */
    const char *order_by; /* the key */
    const char *identity; /* the {ID} column, or NULL */
} bo__table;
/* Every table of every part, in reference order: i from 0 until NULL. */
const bo__table *bo__schema_table(int i);

/* Each domain owns its migration (a NULL-terminated list of DDL in the
 * dialect of schema.c) and the list of its tables, in its own folder:
 * src/<domain>/schema_<domain>.c. Version 1 is the core and the ledger. */
#define BO__SCHEMA_PART(name)                                              \
    extern const char *const bo__ddl_##name[];                             \
    extern const bo__table bo__tables_##name[];                            \
    extern const int bo__ntables_##name
BO__SCHEMA_PART(commerce);  /* version 2: tax rates, parties */
BO__SCHEMA_PART(inventory); /* version 3 */
BO__SCHEMA_PART(billing);   /* version 4: invoices, payments, bank, FX */
BO__SCHEMA_PART(payroll);   /* version 5 */
BO__SCHEMA_PART(documents); /* version 6 */
/* Later changes to a part, one list per version (the tables stay in the
 * part's list). */
extern const char *const bo__ddl_tax_lines[]; /* version 7: commerce */
/* Version 8: the idempotency keys and digests of every keyed command, a
 * part per domain that owns such tables. */
extern const char *const bo__ddl_inventory_keys[];
extern const char *const bo__ddl_payroll_keys[];
/* Version 9: billing's link from an invoice to its till sale. */
extern const char *const bo__ddl_billing_sale[];
/* version 10 (schema.c): the audit chain covers the tables (src/core/verify.c) */
/* Version 11: the documents' full-text index over doc_text, made by the
 * driver (bo_driver.fts_index); search.c matches with the same names. */
extern const bo_driver_fts bo__fts_documents;

/* The driver's sync_identity (see driver.h), or 0 without one. */
int bo__store_sync_identity(bo__store *st, const char *table, const char *column);

#endif
