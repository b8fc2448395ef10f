/*
 * The built-in SQLite driver: WAL, BEGIN IMMEDIATE for writes, a busy
 * timeout, synchronous=FULL unless the host asks otherwise.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* BEGIN IMMEDIATE, BEGIN DEFERRED and COMMIT, prepared once per
 * connection: parsing them at every transaction (sqlite3_exec) cost about
 * 10,000 instructions a commit. */
enum { TX_BEGIN_WRITE, TX_BEGIN_READ, TX_COMMIT, TX_N };
static const char *const tx_sql[TX_N] = { "BEGIN IMMEDIATE", "BEGIN DEFERRED", "COMMIT" };

struct bo_driver_conn {
    sqlite3 *db;
    sqlite3_stmt *data_version;
    /* The data version (sq_data_version): the pager's counter as last
     * seen, and the number reported, moved when the counter moved for a
     * reason other than this connection's own commit. */
    unsigned dv_seen;
    int dv_known;
    int64_t dv_out;
    sqlite3_stmt *tx[TX_N];
    int busy_timeout_ms;
    struct timespec busy_since; /* when the current wait began */
    unsigned rng;               /* jitter for the busy handler */
    int ckpt_nowait;            /* in the WAL hook's checkpoint: never wait */
    char msg[512];
};

/* Bindings are not cleared at each reset (sqlite3_clear_bindings walks
 * every parameter and frees each copied value): the first step after a
 * reset binds NULL to the parameters not bound since, which is what a
 * clear at the reset would have left; text the caller lent is not read
 * after its call either. Statements of more than 64 parameters, or that
 * held a large value, are still cleared at the reset. */
#define BIG_VALUE 1024

struct bo_driver_stmt {
    sqlite3_stmt *st;
    struct bo_driver_conn *conn;
    int nparams;
    uint64_t bound; /* parameters bound since the last reset (bit idx - 1) */
    int fresh;      /* no step since the last reset */
    int heavy;      /* a large value is bound: clear it at the reset */
    int borrow;     /* text bound now is the caller's, alive until the reset */
};

static int map_rc(struct bo_driver_conn *c, int rc)
{
    const char *m = c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);
    strncpy(c->msg, m ? m : "sqlite error", sizeof c->msg - 1);
    c->msg[sizeof c->msg - 1] = '\0';
    switch (rc & 0xFF) {
    case SQLITE_NOMEM: return BO_ENOMEM;
    case SQLITE_BUSY: case SQLITE_LOCKED: return BO_EBUSY;
    case SQLITE_CONSTRAINT: return BO_ECONSTRAINT;
    case SQLITE_IOERR: return BO_EIO;
    case SQLITE_FULL: return BO_EFULL;
    case SQLITE_CORRUPT: case SQLITE_NOTADB: return BO_ECORRUPT;
    case SQLITE_CANTOPEN: return BO_ENOTFOUND;
    case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH: return BO_EIO;
    case SQLITE_TOOBIG: return BO_ETOOLONG;
    case SQLITE_ERROR:
        /* SUM() over integers that leave int64 (as PostgreSQL's numeric
         * out of range): a figure too large, not a fault of the store. */
        return m && strcmp(m, "integer overflow") == 0 ? BO_EOVERFLOW : BO_ERROR;
    default: return BO_ERROR;
    }
}

static int64_t ms_between(const struct timespec *a, const struct timespec *b)
{
    return (int64_t)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* SQLite's default busy handler sleeps in steps growing to 100 ms: with
 * several writers committing back to back, the lock is rarely free when it
 * looks, and a writer can starve past its timeout. Short random sleeps
 * (0.5-1.5 ms) give every waiter a fair chance, up to the same deadline. */
static int sq_busy(void *arg, int count)
{
    struct bo_driver_conn *c = arg;
    if (c->busy_timeout_ms <= 0 || c->ckpt_nowait)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (count == 0)
        c->busy_since = now;
    else if (ms_between(&c->busy_since, &now) >= c->busy_timeout_ms)
        return 0;
    c->rng = c->rng * 1103515245u + 12345u;
    struct timespec nap = { 0, 500000L + (long)((c->rng >> 8) % 1000000u) };
    nanosleep(&nap, NULL);
    return 1;
}

/* The checkpoint after a commit that left the write-ahead log at
 * CKPT_FRAMES frames or more (SQLite's own wal_autocheckpoint default).
 * SQLite's automatic checkpoint is PASSIVE: it runs after the commit has
 * let go of the write lock, so with several processes writing back to
 * back the next writer has already begun on the log before the checkpoint
 * ends; the log is only started again from its beginning by a writer that
 * began once every frame was in the database, which then never happens.
 * The log grew to 200 MB in 4,000 entries of 8 processes, and every commit
 * past the threshold ran another checkpoint over it. This one is RESTART,
 * asked never to wait: it takes the write lock if it is free (else it
 * copies what it can, as PASSIVE would), so no writer slips in between;
 * copies every frame no reader still needs; and starts the log again if
 * no reader is inside it. A reader, however long, never makes a writer
 * wait on the checkpoint. */
#define CKPT_FRAMES 1000

static int sq_wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    struct bo_driver_conn *c = arg;
    if (frames < CKPT_FRAMES)
        return SQLITE_OK;
    c->ckpt_nowait = 1;
    /* BUSY (a frame still needed, another checkpoint running) is no error:
     * the next commit tries again, as SQLite's would. */
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, NULL, NULL);
    c->ckpt_nowait = 0;
    return SQLITE_OK;
}

static void sq_close(bo_driver_conn *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->data_version);
    for (int i = 0; i < TX_N; i++)
        sqlite3_finalize(c->tx[i]);
    sqlite3_close_v2(c->db);
    bo__free(c);
}

static int sq_exec(bo_driver_conn *c, const char *sql)
{
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : map_rc(c, rc);
}

static int sq_open(const bo_driver *drv, const char *target,
                   const bo_driver_settings *s, bo_driver_conn **out)
{
    (void)drv;
    int rc = bo__sqlite_init();
    if (rc)
        return rc;
    struct bo_driver_conn *c = bo__calloc(1, sizeof *c);
    if (!c)
        return BO_ENOMEM;
    if (!target[0]) {
        /* SQLite would open a private temporary database. */
        snprintf(c->msg, sizeof c->msg, "no store named (write sqlite:PATH or "
                 "sqlite::memory:)");
        *out = c;
        return BO_EINVAL;
    }
    int memory = strcmp(target, ":memory:") == 0;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (s->create || memory)
        flags |= SQLITE_OPEN_CREATE;
    rc = sqlite3_open_v2(target, &c->db, flags, NULL);
    if (rc != SQLITE_OK) {
        int code = map_rc(c, rc);
        *out = c; /* so the caller can read errmsg; it closes */
        return code;
    }
    sqlite3_extended_result_codes(c->db, 1);
    c->busy_timeout_ms = s->busy_timeout_ms;
    c->rng = (unsigned)(uintptr_t)c ^ (unsigned)getpid();
    sqlite3_busy_handler(c->db, sq_busy, c);
    if (!memory)
        sqlite3_wal_hook(c->db, sq_wal_hook, c);
    const char *sync = s->sync == BO_SYNC_OFF ? "OFF"
                     : s->sync == BO_SYNC_NORMAL ? "NORMAL" : "FULL";
    /* Foreign keys are declared for the reader and enforced by engines that
     * do so cheaply; here the library checks every reference itself before
     * writing (SQLite's enforcement forces a statement journal per insert).
     * Sub-journals of savepoints stay in memory. */
    char pragmas[256];
    snprintf(pragmas, sizeof pragmas,
             "PRAGMA temp_store=MEMORY; PRAGMA synchronous=%s;%s", sync,
             memory ? "" : " PRAGMA journal_mode=WAL;");
    rc = sqlite3_exec(c->db, pragmas, NULL, NULL, NULL);
    *out = c;
    return rc == SQLITE_OK ? 0 : map_rc(c, rc);
}

static const char *sq_errmsg(bo_driver_conn *c)
{
    return c ? c->msg : "no connection";
}

/* Run one of the cached transaction statements. */
static int sq_tx(bo_driver_conn *c, int which)
{
    sqlite3_stmt **st = &c->tx[which];
    int rc;
    if (!*st && (rc = sqlite3_prepare_v3(c->db, tx_sql[which], -1,
                                         SQLITE_PREPARE_PERSISTENT, st, NULL)) != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return map_rc(c, rc);
    }
    rc = sqlite3_step(*st);
    int code = rc == SQLITE_DONE ? 0 : map_rc(c, rc);
    sqlite3_reset(*st);
    return code;
}

static int sq_begin(bo_driver_conn *c, int write)
{
    /* A ROLLBACK that could not run (no memory) leaves a transaction open
     * the core believes ended: end it before starting anew. */
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return sq_tx(c, write ? TX_BEGIN_WRITE : TX_BEGIN_READ);
}

static int sq_in_transaction(bo_driver_conn *c)
{
    return !sqlite3_get_autocommit(c->db);
}

static int pager_version(bo_driver_conn *c, unsigned *v)
{
    return sqlite3_file_control(c->db, "main", SQLITE_FCNTL_DATA_VERSION, v) == SQLITE_OK;
}

static int sq_commit(bo_driver_conn *c)
{
    /* The pager's counter moves at this commit too: absorb that step, but
     * only when nothing else had moved it since it was last seen (another
     * connection's commit found at this transaction's start stays news). */
    unsigned before = 0, after = 0;
    int same = c->dv_known && pager_version(c, &before) && before == c->dv_seen;
    int rc = sq_tx(c, TX_COMMIT);
    if (!rc && same && pager_version(c, &after))
        c->dv_seen = after;
    return rc;
}

static int sq_rollback(bo_driver_conn *c)
{
    if (sqlite3_get_autocommit(c->db))
        return 0; /* SQLite already rolled back (e.g. after SQLITE_FULL) */
    return sq_exec(c, "ROLLBACK");
}

static int sq_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **out)
{
    struct bo_driver_stmt *s = bo__malloc(sizeof *s);
    if (!s)
        return BO_ENOMEM;
    s->conn = c;
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s->st, NULL);
    if (rc != SQLITE_OK) {
        bo__free(s);
        return map_rc(c, rc);
    }
    s->nparams = sqlite3_bind_parameter_count(s->st);
    s->bound = 0;
    s->fresh = 1;
    s->heavy = 0;
    s->borrow = 0;
    *out = s;
    return 0;
}

static void mark_bound(bo_driver_stmt *s, int idx)
{
    if (idx >= 1 && idx <= 64)
        s->bound |= (uint64_t)1 << (idx - 1);
}

void bo__sqlite_stmt_borrow(bo_driver_stmt *s, int on)
{
    s->borrow = on;
}

static int sq_bind_int64(bo_driver_stmt *s, int idx, int64_t v)
{
    mark_bound(s, idx);
    int rc = sqlite3_bind_int64(s->st, idx, v);
    return rc == SQLITE_OK ? 0 : map_rc(s->conn, rc);
}

static int sq_bind_text(bo_driver_stmt *s, int idx, const char *t, size_t len)
{
    mark_bound(s, idx);
    if (len > BIG_VALUE)
        s->heavy = 1;
    int rc = sqlite3_bind_text64(s->st, idx, t, len,
                                 s->borrow ? SQLITE_STATIC : SQLITE_TRANSIENT, SQLITE_UTF8);
    return rc == SQLITE_OK ? 0 : map_rc(s->conn, rc);
}

static int sq_bind_null(bo_driver_stmt *s, int idx)
{
    mark_bound(s, idx);
    int rc = sqlite3_bind_null(s->st, idx);
    return rc == SQLITE_OK ? 0 : map_rc(s->conn, rc);
}

/* SQLite turns integer + - * and unary minus that overflow int64 into a
 * float, silently; the library stores no floats, so a float in a row is
 * such an overflow (or a value edited in by hand): refused, as PostgreSQL's
 * driver refuses a numeric outside int64, instead of being read back
 * rounded or clamped. */
static int sq_row(bo_driver_stmt *s)
{
    int n = sqlite3_data_count(s->st);
    for (int i = 0; i < n; i++)
        if (sqlite3_column_type(s->st, i) == SQLITE_FLOAT) {
            snprintf(s->conn->msg, sizeof s->conn->msg, "step: column %d: not an "
                     "integer of 64 bits (integer arithmetic in the query "
                     "overflowed)", i + 1);
            return BO_EOVERFLOW;
        }
    return BO_DRIVER_ROW;
}

static int sq_step(bo_driver_stmt *s)
{
    if (s->fresh) {
        s->fresh = 0;
        if (s->nparams <= 64 && s->bound != (s->nparams == 64 ? UINT64_MAX
                                             : ((uint64_t)1 << s->nparams) - 1)) {
            for (int i = 1; i <= s->nparams; i++)
                if (!((s->bound >> (i - 1)) & 1))
                    sqlite3_bind_null(s->st, i);
        }
    }
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return sq_row(s);
    if (rc == SQLITE_DONE)
        return BO_DRIVER_DONE;
    return map_rc(s->conn, rc);
}

static int sq_reset(bo_driver_stmt *s)
{
    sqlite3_reset(s->st);
    /* Text lent by the caller (SQLITE_STATIC) stays bound past its call,
     * never read again: the next step binds NULL to every parameter not
     * bound since this reset (sq_step), before SQLite reads any value. */
    if (s->nparams > 64 || s->heavy)
        sqlite3_clear_bindings(s->st);
    s->bound = 0;
    s->fresh = 1;
    s->heavy = 0;
    s->borrow = 0;
    return 0;
}

static void sq_finalize(bo_driver_stmt *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->st);
    bo__free(s);
}

static int sq_column_is_null(bo_driver_stmt *s, int col)
{
    return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(bo_driver_stmt *s, int col)
{
    return sqlite3_column_int64(s->st, col);
}

static const char *sq_column_text(bo_driver_stmt *s, int col, size_t *len)
{
    const char *t = (const char *)sqlite3_column_text(s->st, col);
    if (len)
        *len = (size_t)sqlite3_column_bytes(s->st, col);
    return t;
}

static int sq_bind_blob(bo_driver_stmt *s, int idx, const void *data, size_t len)
{
    mark_bound(s, idx);
    if (len > BIG_VALUE)
        s->heavy = 1;
    int rc = sqlite3_bind_blob64(s->st, idx, data, len, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? 0 : map_rc(s->conn, rc);
}

static int sq_column_blob(bo_driver_stmt *s, int col, void *buf, size_t cap,
                          size_t *len)
{
    const void *p = sqlite3_column_blob(s->st, col);
    *len = (size_t)sqlite3_column_bytes(s->st, col);
    if (*len > cap)
        return BO_ELIMIT;
    if (*len)
        memcpy(buf, p, *len);
    return 0;
}

static int64_t sq_changes(bo_driver_conn *c)
{
    return sqlite3_changes64(c->db);
}

static int64_t sq_last_insert_id(bo_driver_conn *c)
{
    return sqlite3_last_insert_rowid(c->db);
}

/* Changes when another connection commits (never for this connection's
 * own commits), like PRAGMA data_version. Inside a transaction it is read
 * without running a statement: SQLITE_FCNTL_DATA_VERSION is the pager's
 * counter, which moves at every commit including this connection's
 * (sq_commit absorbs those) and whenever the pager finds the database
 * changed at the start of a read. Outside a transaction the pager has not
 * looked since its last one: PRAGMA data_version runs first, a read that
 * makes it look. A move for any other reason reads as a change: the core
 * then re-checks what it had learnt, never the reverse. The PRAGMA at
 * every transaction's start cost about 4,000 instructions. */
static int64_t sq_data_version(bo_driver_conn *c)
{
    if (sqlite3_get_autocommit(c->db)) {
        if (!c->data_version &&
            sqlite3_prepare_v3(c->db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                               &c->data_version, NULL) != SQLITE_OK)
            return -1;
        int rc = sqlite3_step(c->data_version);
        sqlite3_reset(c->data_version);
        if (rc != SQLITE_ROW)
            return -1;
    }
    unsigned v;
    if (!pager_version(c, &v))
        return -1;
    if (!c->dv_known || v != c->dv_seen) {
        c->dv_out++;
        c->dv_seen = v;
        c->dv_known = 1;
    }
    return c->dv_out;
}

/* ---- dialect: full-text search, string aggregation ------------------------ */

/* An FTS5 table over the indexed table (external content, so the text is
 * kept once), kept by triggers named after the table; 'rebuild' fills it
 * from the rows already there. */
static int sq_fts_index(bo_driver_conn *c, const bo_driver_fts *f, char *buf,
                        size_t cap)
{
    (void)c;
    return snprintf(buf, cap,
        "CREATE VIRTUAL TABLE IF NOT EXISTS %1$s USING fts5(%4$s,"
        " content='%2$s', content_rowid='%3$s', tokenize='unicode61');"
        "CREATE TRIGGER IF NOT EXISTS %2$s_ai AFTER INSERT ON %2$s BEGIN"
        " INSERT INTO %1$s (rowid, %4$s) VALUES (new.%3$s, new.%4$s); END;"
        "CREATE TRIGGER IF NOT EXISTS %2$s_ad AFTER DELETE ON %2$s BEGIN"
        " INSERT INTO %1$s (%1$s, rowid, %4$s) VALUES ('delete', old.%3$s,"
        " old.%4$s); END;"
        "CREATE TRIGGER IF NOT EXISTS %2$s_au AFTER UPDATE ON %2$s BEGIN"
        " INSERT INTO %1$s (%1$s, rowid, %4$s) VALUES ('delete', old.%3$s,"
        " old.%4$s); INSERT INTO %1$s (rowid, %4$s) VALUES (new.%3$s, new.%4$s);"
        " END;"
        "INSERT INTO %1$s (%1$s) VALUES ('rebuild')",
        f->index, f->table, f->key, f->column);
}

static int sq_fts_match(bo_driver_conn *c, const bo_driver_fts *f, char *buf,
                        size_t cap)
{
    (void)c;
    return snprintf(buf, cap, "SELECT rowid FROM %1$s WHERE %1$s MATCH ?", f->index);
}

/* FTS5: ("a" OR "b") AND ("c" OR "d"); terms hold no quote. */
static int sq_fts_query(bo_driver_conn *c, const char *const *terms, int ngroups,
                        int per_group, char *buf, size_t cap)
{
    (void)c;
    return bo__dialect_terms(terms, ngroups, per_group, "\"", " OR ", " AND ", buf, cap);
}

/* string_agg arrived in SQLite 3.44; group_concat is its older name. */
static int sq_string_agg(bo_driver_conn *c, const char *expr, const char *sep,
                         char *buf, size_t cap)
{
    (void)c;
    return snprintf(buf, cap, "GROUP_CONCAT(%s, %s)", expr, sep);
}

/* Erased rows leave their bytes in free pages, in the unused space of
 * pages and in WAL frames: the checkpoint empties the log, VACUUM rewrites
 * every page, the second checkpoint empties the log VACUUM wrote. */
static int sq_scrub(bo_driver_conn *c)
{
    if (!sqlite3_get_autocommit(c->db))
        return 0; /* inside a host's transaction: the host scrubs later */
    return sq_exec(c, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;"
                      " PRAGMA wal_checkpoint(TRUNCATE)");
}

const bo_driver bo__sqlite_driver = {
    .version = BO_DRIVER_VERSION,
    .scheme = "sqlite",
    .name = "SQLite (embedded)",
    .sql_id_primary_key = "INTEGER PRIMARY KEY",
    .sql_blob = "BLOB",
    .sql_clustered = " WITHOUT ROWID",
    .open = sq_open,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_text = sq_column_text,
    .changes = sq_changes,
    .data_version = sq_data_version,
    .last_insert_id = sq_last_insert_id,
    .in_transaction = sq_in_transaction,
    .bind_blob = sq_bind_blob,
    .column_blob = sq_column_blob,
    .fts_index = sq_fts_index,
    .fts_match = sq_fts_match,
    .fts_query = sq_fts_query,
    .string_agg = sq_string_agg,
    .scrub = sq_scrub,
};
