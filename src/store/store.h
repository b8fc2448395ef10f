/*
 * The store: one driver connection plus a cache of prepared statements,
 * shared by a book and its cursors through a reference count. Domains talk
 * to the store only through these functions, never to a driver.
 */
#ifndef BO_STORE_STORE_H
#define BO_STORE_STORE_H

#include "util/util.h"
#include "backoffice/sys/driver.h"

#include <stdarg.h>
#include <stdint.h>

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
    int borrow; /* bo__stmt_borrow() until bo__stmt_done() */
} bo__stmt;

/* The caller keeps every text it binds to s alive until bo__stmt_done(s):
 * the SQLite driver then binds it without a copy. */
void bo__stmt_borrow(bo__stmt *s);
void bo__sqlite_stmt_borrow(bo_driver_stmt *s, int on); /* the SQLite driver's part */

/* Rows written many to a statement (a batch's entries, postings, audit
 * records): one prepared text per shape of 1, 2, 4, ... 64 rows, so a batch
 * of any size is at most 7 shapes, within SQLite's and PostgreSQL's
 * parameter limits for rows of up to 10 values. BO__ROWS_SHAPED(head, row,
 * tail) is the array's initializer: head holds the first row's values, row
 * is ", (?, ...)" and tail what follows the last (e.g. RETURNING). */
#define BO__ROWS_SHAPES 7
#define BO__ROWS_MAX 64
#define BO__R2(r) r r
#define BO__R4(r) BO__R2(r) BO__R2(r)
#define BO__R8(r) BO__R4(r) BO__R4(r)
#define BO__R16(r) BO__R8(r) BO__R8(r)
#define BO__R32(r) BO__R16(r) BO__R16(r)
#define BO__ROWS_SHAPED(head, r, tail) {                                                 \
    head tail, head r tail, head BO__R2(r) r tail, head BO__R4(r) BO__R2(r) r tail,      \
    head BO__R8(r) BO__R4(r) BO__R2(r) r tail,                                           \
    head BO__R16(r) BO__R8(r) BO__R4(r) BO__R2(r) r tail,                                \
    head BO__R32(r) BO__R16(r) BO__R8(r) BO__R4(r) BO__R2(r) r tail }
/* The largest shape (its rows: 1 << shape) of at most n rows, n >= 1. */
static inline int bo__rows_shape(size_t n)
{
    int s = 0;
    while (s + 1 < BO__ROWS_SHAPES && ((size_t)2 << s) <= n)
        s++;
    return s;
}

/* A table's rows written in bulk (a batch's entries, postings, audit
 * records): bo__store_rows appends them in one operation where the driver
 * has one (copy_rows, bo_driver version 5: PostgreSQL's COPY), otherwise in
 * the table's BO__ROWS_SHAPED inserts of up to 64 rows. The values are
 * gathered in a bo__rowset, row after row, column after column, typed as
 * they are bound: texts are borrowed (they must outlive bo__store_rows),
 * integers are kept as numbers (written out only for the bulk append).
 * bo__rowset_init takes the number of values; an append past it is refused
 * at bo__store_rows (BO_ERROR), never written out of bounds. */
typedef struct bo__rowval {
    const char *text;  /* NULL and !is_int: SQL NULL */
    int64_t num;
    int is_int;
} bo__rowval;
typedef struct bo__rowset {
    bo__rowval *v;
    size_t n, cap;
    int over;          /* an append did not fit */
} bo__rowset;
int bo__rowset_init(bo__rowset *r, size_t values);
void bo__rowset_text(bo__rowset *r, const char *text); /* NULL: SQL NULL */
void bo__rowset_int(bo__rowset *r, int64_t v);
void bo__rowset_free(bo__rowset *r);
/* A table as bo__store_rows writes it: its columns (in the rowset's order)
 * and the inserts of those columns, one per shape (BO__ROWS_SHAPED);
 * insert_sqlite, when set, replaces insert on the SQLite driver (INSERT OR
 * FAIL: no statement journal). */
typedef struct bo__rows_table {
    const char *name;
    const char *columns;
    int ncols;
    const char *const *insert;
    const char *const *insert_sqlite;
} bo__rows_table;
int bo__store_has_copy(const bo__store *st);
/* Write r's values (a whole number of rows of t->ncols) into t. */
int bo__store_rows(bo__store *st, const bo__rows_table *t, const bo__rowset *r);

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
/* Whether the store is the built-in SQLite driver's (its SQL dialect:
 * INSERT OR FAIL, used where a statement journal would cost more). */
int bo__store_is_sqlite(const bo__store *st);
/* Whether the driver reports inserted keys (bo_driver.last_insert_id). */
int bo__store_has_insert_id(const bo__store *st);
int64_t bo__store_insert_id(bo__store *st);
/* The driver's data version (see bo_driver.data_version), or -1. */
int64_t bo__store_data_version(bo__store *st);
/* Whether write transactions may run side by side (the driver has
 * audit_lane and audit_next_seq, version 4). */
int bo__store_has_lanes(bo__store *st);
/* Inside a write transaction: its audit lane. 0 when the
 * driver has none. */
int bo__store_audit_lane(bo__store *st);
/* The number of the next audit record (drivers with lanes only). */
int bo__store_audit_next_seq(bo__store *st, int64_t *out);
/* Whether the store draws many numbers of a table's identity sequence in
 * one statement (bo__store_draw_ids: PostgreSQL). */
int bo__store_draws_ids(const bo__store *st);
/* n numbers of the identity sequence of table.column, ascending, drawn in
 * one statement (sent behind the writes waiting in the pipeline: one round
 * trip): never drawn twice, never a wait for another writer; a
 * transaction rolled back leaves them unused. BO_ENOTSUP where
 * bo__store_draws_ids is 0. */
int bo__store_draw_ids(bo__store *st, const char *table, const char *column, size_t n,
                       int64_t *out);
/* The numbers of the next n audit records of a write transaction on a lane
 * (drivers with lanes only), ascending: the first as
 * bo__store_audit_next_seq answers it (drawn by a posting's BEGIN, no round
 * trip), the rest drawn in one statement where the store draws ids in
 * bulk, else one by one. */
int bo__store_audit_seqs(bo__store *st, size_t n, int64_t *out);
/* write: 0 a read; non-zero a write, which may run beside other writes
 * when the driver has lanes; BO__STORE_ALONE a write that runs alone. */
#define BO__STORE_ALONE 3
/* A write that may run beside others at snapshot isolation where the
 * driver allows it (a ledger posting on a lane of PostgreSQL, REPEATABLE
 * READ: docs/architecture.md, "Isolation of writers on lanes"); elsewhere
 * as any write. */
#define BO__STORE_SNAPSHOT 4
/* A write the host opened (bo_book_begin, a feed consumer's handler),
 * which may read the ledger's totals and write from them: beside other
 * writers where the driver allows it, but never beside a BO__STORE_SNAPSHOT
 * one, whose writes a SERIALIZABLE reader could not see coming
 * (docs/architecture.md, "Isolation of writers on lanes"); elsewhere as
 * any write. */
#define BO__STORE_HOST 5
int bo__store_begin(bo__store *st, int write);
/* Inside a write transaction: whether it was begun to run alone, or on a
 * store whose writers take turns (no lanes, or lanes off). 0 for one begun
 * beside others, even when the driver then ran it alone. */
int bo__store_alone(bo__store *st);
/* Inside a write transaction: whether it was begun as the host's
 * (BO__STORE_HOST) on a store with lanes, which the driver never runs
 * beside a BO__STORE_SNAPSHOT one. */
int bo__store_host(bo__store *st);
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
/* After rows were erased for good, outside a transaction: the driver's
 * scrub (bo_driver version 4), so no bytes of them remain in the store's
 * files; 0 when the driver has none. */
int bo__store_scrub(bo__store *st);
int bo__store_string_agg(bo__store *st, const char *expr, const char *sep,
                         bo__buf *out);

/* Run a cached statement expected to return no row (INSERT/UPDATE...). */
int bo__stmt_run(bo__stmt *s);

/* ---- statements by format -------------------------------------------------
 * Every statement's parameters are bound from a format string, one letter
 * a parameter in order:
 *   i  an integer (any integer type: the macros widen it to int64_t)
 *   I  an id: an integer, 0 binds NULL (an optional reference; ids start
 *      at 1)
 *   t  text: const char *, NULL binds NULL
 *   n  NULL (takes no argument)
 *   d  a bo_date, bound as its ISO text "YYYY-MM-DD" (BO_EINVAL outside
 *      0001-01-01..9999-12-31)
 *   b  bytes: const void *, then its length ({BLOB} columns, through the
 *      driver's bind_blob)
 *   ?  before a letter: an int first; 0 binds NULL instead of the value
 *      ("?i", has_base, base)
 *   _  before i, I, d or t: the argument is taken and checked but binds no
 *      parameter (a filter a statement built at run time left out: its
 *      format is built beside its SQL, "t_tt", and every call passes the
 *      same arguments)
 * bo__store_row reads the columns of its row by the letters after a '>',
 * one a column from the first:
 *   i  an integer into an int64_t * or an int * (NULL reads 0)
 *   t  text into char *, then its size: copied, truncated to fit, "" for
 *      NULL
 *   -  skip the column (takes no argument)
 *   ?  before a letter: whether its column is not NULL, into an int *
 *      (">?ii": flag, first, second)
 * The macros pass every argument tagged with its C type and their count,
 * so a letter given the wrong kind of argument, or a count that differs,
 * is refused (BO_ERROR naming the statement) instead of read wrongly. Each
 * function returns the first error, with its message. */
typedef struct bo__arg {
    int kind; /* BO__ARG_* */
    int64_t i;
    const void *p;
} bo__arg;
enum { BO__ARG_INT = 1, BO__ARG_PTR, BO__ARG_OUT_INT, BO__ARG_OUT_I64 };

#define BO__ARG_I(x) ((bo__arg){ BO__ARG_INT, (int64_t)(x), NULL })
#define BO__ARG_P(k, x) ((bo__arg){ k, 0, (const void *)(intptr_t)(x) })
#define BO__ARG(x) _Generic((x), \
    _Bool: BO__ARG_I(x), char: BO__ARG_I(x), signed char: BO__ARG_I(x),        \
    unsigned char: BO__ARG_I(x), short: BO__ARG_I(x),                          \
    unsigned short: BO__ARG_I(x), int: BO__ARG_I(x),                           \
    unsigned int: BO__ARG_I(x), long: BO__ARG_I(x),                            \
    unsigned long: BO__ARG_I(x), long long: BO__ARG_I(x),                      \
    unsigned long long: BO__ARG_I(x),                                          \
    int *: BO__ARG_P(BO__ARG_OUT_INT, x), int64_t *: BO__ARG_P(BO__ARG_OUT_I64, x), \
    default: BO__ARG_P(BO__ARG_PTR, x))

/* fmt, a, b, ... -> fmt, <count of a, b, ...>, BO__ARG(a), BO__ARG(b), ... */
#define BO__FMT(...) BO__FMT_(BO__NARGS(__VA_ARGS__), __VA_ARGS__)
#define BO__FMT_(n, ...) BO__CAT(BO__FMT_, n)(__VA_ARGS__)
#define BO__CAT(a, b) BO__CAT_(a, b)
#define BO__CAT_(a, b) a##b
#define BO__NARGS(...) BO__NARGS_(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, \
    24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, \
    4, 3, 2, 1, 0)
#define BO__NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, \
    _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29,  \
    _30, _31, _32, n, ...) n
#define BO__FMT_1(f) (f), 0
#define BO__FMT_2(f, ...) (f), 1, BO__M1(__VA_ARGS__)
#define BO__FMT_3(f, ...) (f), 2, BO__M2(__VA_ARGS__)
#define BO__FMT_4(f, ...) (f), 3, BO__M3(__VA_ARGS__)
#define BO__FMT_5(f, ...) (f), 4, BO__M4(__VA_ARGS__)
#define BO__FMT_6(f, ...) (f), 5, BO__M5(__VA_ARGS__)
#define BO__FMT_7(f, ...) (f), 6, BO__M6(__VA_ARGS__)
#define BO__FMT_8(f, ...) (f), 7, BO__M7(__VA_ARGS__)
#define BO__FMT_9(f, ...) (f), 8, BO__M8(__VA_ARGS__)
#define BO__FMT_10(f, ...) (f), 9, BO__M9(__VA_ARGS__)
#define BO__FMT_11(f, ...) (f), 10, BO__M10(__VA_ARGS__)
#define BO__FMT_12(f, ...) (f), 11, BO__M11(__VA_ARGS__)
#define BO__FMT_13(f, ...) (f), 12, BO__M12(__VA_ARGS__)
#define BO__FMT_14(f, ...) (f), 13, BO__M13(__VA_ARGS__)
#define BO__FMT_15(f, ...) (f), 14, BO__M14(__VA_ARGS__)
#define BO__FMT_16(f, ...) (f), 15, BO__M15(__VA_ARGS__)
#define BO__FMT_17(f, ...) (f), 16, BO__M16(__VA_ARGS__)
#define BO__FMT_18(f, ...) (f), 17, BO__M17(__VA_ARGS__)
#define BO__FMT_19(f, ...) (f), 18, BO__M18(__VA_ARGS__)
#define BO__FMT_20(f, ...) (f), 19, BO__M19(__VA_ARGS__)
#define BO__FMT_21(f, ...) (f), 20, BO__M20(__VA_ARGS__)
#define BO__FMT_22(f, ...) (f), 21, BO__M21(__VA_ARGS__)
#define BO__FMT_23(f, ...) (f), 22, BO__M22(__VA_ARGS__)
#define BO__FMT_24(f, ...) (f), 23, BO__M23(__VA_ARGS__)
#define BO__FMT_25(f, ...) (f), 24, BO__M24(__VA_ARGS__)
#define BO__FMT_26(f, ...) (f), 25, BO__M25(__VA_ARGS__)
#define BO__FMT_27(f, ...) (f), 26, BO__M26(__VA_ARGS__)
#define BO__FMT_28(f, ...) (f), 27, BO__M27(__VA_ARGS__)
#define BO__FMT_29(f, ...) (f), 28, BO__M28(__VA_ARGS__)
#define BO__FMT_30(f, ...) (f), 29, BO__M29(__VA_ARGS__)
#define BO__FMT_31(f, ...) (f), 30, BO__M30(__VA_ARGS__)
#define BO__FMT_32(f, ...) (f), 31, BO__M31(__VA_ARGS__)
#define BO__M1(a) BO__ARG(a)
#define BO__M2(a, ...) BO__ARG(a), BO__M1(__VA_ARGS__)
#define BO__M3(a, ...) BO__ARG(a), BO__M2(__VA_ARGS__)
#define BO__M4(a, ...) BO__ARG(a), BO__M3(__VA_ARGS__)
#define BO__M5(a, ...) BO__ARG(a), BO__M4(__VA_ARGS__)
#define BO__M6(a, ...) BO__ARG(a), BO__M5(__VA_ARGS__)
#define BO__M7(a, ...) BO__ARG(a), BO__M6(__VA_ARGS__)
#define BO__M8(a, ...) BO__ARG(a), BO__M7(__VA_ARGS__)
#define BO__M9(a, ...) BO__ARG(a), BO__M8(__VA_ARGS__)
#define BO__M10(a, ...) BO__ARG(a), BO__M9(__VA_ARGS__)
#define BO__M11(a, ...) BO__ARG(a), BO__M10(__VA_ARGS__)
#define BO__M12(a, ...) BO__ARG(a), BO__M11(__VA_ARGS__)
#define BO__M13(a, ...) BO__ARG(a), BO__M12(__VA_ARGS__)
#define BO__M14(a, ...) BO__ARG(a), BO__M13(__VA_ARGS__)
#define BO__M15(a, ...) BO__ARG(a), BO__M14(__VA_ARGS__)
#define BO__M16(a, ...) BO__ARG(a), BO__M15(__VA_ARGS__)
#define BO__M17(a, ...) BO__ARG(a), BO__M16(__VA_ARGS__)
#define BO__M18(a, ...) BO__ARG(a), BO__M17(__VA_ARGS__)
#define BO__M19(a, ...) BO__ARG(a), BO__M18(__VA_ARGS__)
#define BO__M20(a, ...) BO__ARG(a), BO__M19(__VA_ARGS__)
#define BO__M21(a, ...) BO__ARG(a), BO__M20(__VA_ARGS__)
#define BO__M22(a, ...) BO__ARG(a), BO__M21(__VA_ARGS__)
#define BO__M23(a, ...) BO__ARG(a), BO__M22(__VA_ARGS__)
#define BO__M24(a, ...) BO__ARG(a), BO__M23(__VA_ARGS__)
#define BO__M25(a, ...) BO__ARG(a), BO__M24(__VA_ARGS__)
#define BO__M26(a, ...) BO__ARG(a), BO__M25(__VA_ARGS__)
#define BO__M27(a, ...) BO__ARG(a), BO__M26(__VA_ARGS__)
#define BO__M28(a, ...) BO__ARG(a), BO__M27(__VA_ARGS__)
#define BO__M29(a, ...) BO__ARG(a), BO__M28(__VA_ARGS__)
#define BO__M30(a, ...) BO__ARG(a), BO__M29(__VA_ARGS__)
#define BO__M31(a, ...) BO__ARG(a), BO__M30(__VA_ARGS__)

/* Bind s's parameters from the first (bo__stmt_bind) or from parameter
 * `first` (bo__stmt_bind_at, for rows of a multi-row insert):
 * bo__stmt_bind(s, "it", id, name). */
#define bo__stmt_bind(s, ...) bo__stmt_bind_((s), 1, BO__FMT(__VA_ARGS__))
#define bo__stmt_bind_at(s, first, ...) bo__stmt_bind_((s), (first), BO__FMT(__VA_ARGS__))
int bo__stmt_bind_(bo__stmt *s, int first, const char *fmt, int n, ...);
/* The same from a va_list of n bo__arg (for helpers that take a format). */
int bo__stmt_vbind(bo__stmt *s, int first, const char *fmt, int n, va_list ap);

/* Get the cached statement for sql, bind, run it (no row expected) and
 * release it: the one-shot write. bo__store_run(st, SQL, "ti", name, id). */
#define bo__store_run(st, sql, ...) bo__store_run_((st), (sql), BO__FMT(__VA_ARGS__))
int bo__store_run_(bo__store *st, const char *sql, const char *fmt, int n, ...);

/* One row: get the cached statement for sql, bind the letters before '>',
 * step once, read the row's columns into the outputs after '>', release
 * the statement. *found (may be NULL) tells whether there was a row;
 * without one the outputs are left as they were.
 * bo__store_row(st, SQL, &found, "t>it", code, &id, name, sizeof name). */
#define bo__store_row(st, sql, found, ...) \
    bo__store_row_((st), (sql), (found), BO__FMT(__VA_ARGS__))
int bo__store_row_(bo__store *st, const char *sql, int *found, const char *fmt,
                   int n, ...);
/* The same, the row read by read(stmt, arg) instead (a struct's fields);
 * its error is returned. fmt has no '>'. */
typedef int (*bo__row_fn)(bo__stmt *s, void *arg);
#define bo__store_row_read(st, sql, read, arg, found, ...) \
    bo__store_row_read_((st), (sql), (read), (arg), (found), BO__FMT(__VA_ARGS__))
int bo__store_row_read_(bo__store *st, const char *sql, bo__row_fn read, void *arg,
                        int *found, const char *fmt, int n, ...);

/* An INSERT that makes an id: through sql_plain when it is given and the
 * driver reports inserted keys (RETURNING costs SQLite a temporary table
 * per statement), else through sql ("... RETURNING id"). *id is the new id,
 * or 0 when no row was inserted (ON CONFLICT ... DO NOTHING): the caller
 * says what that means. */
#define bo__store_insert(st, sql, sql_plain, id, ...) \
    bo__store_insert_((st), (sql), (sql_plain), (id), BO__FMT(__VA_ARGS__))
int bo__store_insert_(bo__store *st, const char *sql, const char *sql_plain,
                      int64_t *id, const char *fmt, int n, ...);

/* Set the thread's error from the driver's message for code rc. */
int bo__store_error(bo__store *st, int rc, const char *what);

/* Registry (registry.c). */
const bo_driver *bo__registry_find(const char *scheme, size_t len);

/* Schema (schema.c): create or migrate inside the caller's write
 * transaction. *created is set when the store was empty and create != 0.
 * BO__SCHEMA_VERSION is the version the library's own parts reach (a part
 * registered besides them, a test's domain, may reach a later one:
 * bo__schema_version()). */
#define BO__SCHEMA_VERSION 25
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

/* Wake-ups between processes (the change feed): where the driver has them
 * (the built-in PostgreSQL driver), notify queues a notification on channel
 * that the server delivers at the commit of the open transaction; listen
 * (outside a transaction) subscribes this connection; wait blocks until a
 * notification or timeout_ms, *woken telling which. Without them notify
 * does nothing and listen and wait are BO_ENOTSUP (the caller polls). */
int bo__store_notify(bo__store *st, const char *channel);
int bo__store_listen(bo__store *st, const char *channel);
int bo__store_wait(bo__store *st, int timeout_ms, int *woken);

/* Round trips to the server so far (the built-in PostgreSQL driver; 0 for
 * others): a figure for tests and benchmarks. */
uint64_t bo__store_round_trips(const bo__store *st);
/* Write transactions that ran alone, holding up every other writer,
 * because they kept conflicting on their lane (the built-in PostgreSQL
 * driver; 0 for others): a figure for tests and benchmarks. */
uint64_t bo__store_lone_retries(const bo__store *st);
/* Nonzero while the connection holds one lane of the audit chain without
 * a break: no other connection appends to that lane meanwhile, so the
 * lane's last record committed through this connection is still its last
 * (src/core/audit.c keeps it). 0 when there is no such lane. */
uint64_t bo__store_lane_epoch(const bo__store *st);
/* Nonzero while the connection holds its mode's lock on the book without a
 * break (the built-in PostgreSQL driver, src/store/postgres/pg_conn.c
 * take_mode): no connection of the other mode has been open on the book
 * meanwhile. A new value after a reconnection; 0 for other drivers. */
uint64_t bo__store_mode_epoch(const bo__store *st);

/* The driver's sync_identity (see driver.h), or 0 without one. */
int bo__store_sync_identity(bo__store *st, const char *table, const char *column);

#endif
