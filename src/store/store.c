/* The store: driver connection, statement cache, reference count. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 512 /* power of two; statements are a few dozen */

struct bo__store {
    const bo_driver *drv;
    bo_driver_conn *conn;
    int refs;
    uint64_t writes; /* data-changing statements run so far */
    int in_tx;       /* a transaction was begun and not yet ended */
    int tx_lost;     /* ... but the engine ended it on its own after an error */
    int alone;       /* ... begun alone (bo__store_alone) */
    int host;        /* ... begun as the host's (bo__store_host) */
    bo__stmt *cache[CACHE_SLOTS];
};

int bo__store_error(bo__store *st, int rc, const char *what)
{
    const char *m = st && st->conn ? st->drv->errmsg(st->conn) : "";
    if (st && st->in_tx && st->conn) {
        if (st->drv->in_transaction)
            st->tx_lost |= !st->drv->in_transaction(st->conn);
        else
            st->tx_lost |= rc == BO_EIO || rc == BO_EFULL || rc == BO_ENOMEM ||
                           rc == BO_ECORRUPT;
    }
    if (rc == BO_EBUSY)
        return bo__error_set(rc, "%s: the store is locked by another writer "
                             "(busy timeout expired): %s", what, m);
    return bo__error_set(rc, "%s: %s", what, m);
}

int bo__store_open(bo__store **out, const char *uri, const bo_driver_settings *s)
{
    *out = NULL;
    const char *colon = strchr(uri, ':');
    const char *target = uri;
    const bo_driver *drv = NULL;
    size_t slen = colon ? (size_t)(colon - uri) : 0;
    int is_scheme = slen >= 2;
    for (size_t i = 0; i < slen && is_scheme; i++) {
        char c = uri[i];
        is_scheme = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '-' || c == '.';
    }
    if (is_scheme) {
        drv = bo__registry_find(uri, slen);
        if (!drv)
            return bo__error_set(BO_EDRIVER, "uri: no driver registered for "
                                 "scheme '%.*s'", (int)slen, uri);
        target = colon + 1;
    } else {
        drv = bo__registry_find("sqlite", 6);
    }
    /* What an empty target means is the driver's: SQLite refuses it (no
     * file), PostgreSQL takes the PG* environment variables. */
    bo__store *st = bo__calloc(1, sizeof *st);
    if (!st)
        return BO_ENOMEM;
    st->drv = drv;
    st->refs = 1;
    int rc = drv->open(drv, target, s, &st->conn);
    if (rc) {
        if (rc == BO_ENOTFOUND)
            bo__error_set(rc, "uri: no book at '%s'", uri);
        else
            bo__store_error(st, rc, "open");
        drv->close(st->conn);
        bo__free(st);
        return rc;
    }
    *out = st;
    return 0;
}

void bo__store_retain(bo__store *st)
{
    st->refs++;
}

void bo__store_release(bo__store *st)
{
    if (!st || --st->refs > 0)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        if (st->cache[i]) {
            st->drv->finalize(st->cache[i]->ds);
            bo__free(st->cache[i]);
        }
    }
    st->drv->close(st->conn);
    bo__free(st);
}

const bo_driver *bo__store_driver(const bo__store *st)
{
    return st->drv;
}

int bo__store_exec(bo__store *st, const char *sql)
{
    int rc = st->drv->exec(st->conn, sql);
    return rc ? bo__store_error(st, rc, "store") : 0;
}

int64_t bo__store_changes(bo__store *st)
{
    return st->drv->changes(st->conn);
}

int bo__store_begin(bo__store *st, int write)
{
    st->in_tx = st->tx_lost = 0;
    /* A write runs beside others where the driver lets it (each on its own
     * lane of the audit chain); BO__STORE_ALONE asks for one that runs alone
     * (creating or upgrading a book, importing, reading the chain's head). */
    int how = !write ? 0 : write == BO__STORE_ALONE || !bo__store_has_lanes(st) ? 1
            : write == BO__STORE_SNAPSHOT ? 3 : write == BO__STORE_HOST ? 4 : 2;
    int rc = st->drv->begin(st->conn, how);
    if (rc)
        return bo__store_error(st, rc, "begin");
    st->in_tx = 1;
    st->alone = how == 1;
    st->host = how == 4;
    return 0;
}

int bo__store_host(bo__store *st)
{
    return st->in_tx && st->host;
}

int bo__store_alone(bo__store *st)
{
    /* A driver with lanes that has them off (audit_lane < 0) runs every
     * write alone. */
    return st->in_tx && (st->alone || !bo__store_has_lanes(st) ||
                         st->drv->audit_lane(st->conn) < 0);
}

int bo__store_commit(bo__store *st)
{
    int rc = st->drv->commit(st->conn);
    if (rc) {
        rc = bo__store_error(st, rc, "commit");
        if (st->drv->in_transaction && st->drv->in_transaction(st->conn))
            return rc; /* still open: the caller rolls back */
    }
    st->in_tx = st->tx_lost = 0;
    return rc;
}

int bo__store_rollback(bo__store *st)
{
    int rc = st->drv->rollback(st->conn);
    st->in_tx = st->tx_lost = 0;
    return rc ? bo__store_error(st, rc, "rollback") : 0;
}

int bo__store_tx_lost(const bo__store *st)
{
    return st->tx_lost;
}

static size_t slot_of(const char *sql)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (CACHE_SLOTS - 1);
}

int bo__stmt_get(bo__store *st, const char *sql, bo__stmt **out)
{
    size_t i = slot_of(sql);
    for (size_t n = 0; n < CACHE_SLOTS; n++, i = (i + 1) & (CACHE_SLOTS - 1)) {
        bo__stmt *s = st->cache[i];
        if (s && s->sql == sql) {
            if (s->busy) /* re-entrant use: fall back to a private one */
                return bo__stmt_new(st, sql, out);
            s->busy = 1;
            *out = s;
            return 0;
        }
        if (!s) {
            int rc = bo__stmt_new(st, sql, &s);
            if (rc)
                return rc;
            s->cached = 1;
            s->busy = 1;
            st->cache[i] = s;
            *out = s;
            return 0;
        }
    }
    return bo__stmt_new(st, sql, out); /* cache full */
}

int bo__stmt_new(bo__store *st, const char *sql, bo__stmt **out)
{
    bo__stmt *s = bo__calloc(1, sizeof *s);
    if (!s)
        return BO_ENOMEM;
    int rc = st->drv->prepare(st->conn, sql, &s->ds);
    if (rc) {
        bo__free(s);
        return bo__store_error(st, rc, "prepare");
    }
    s->store = st;
    s->sql = sql;
    s->writes = strncmp(sql, "INSERT", 6) == 0 || strncmp(sql, "UPDATE", 6) == 0 ||
                strncmp(sql, "DELETE", 6) == 0;
    *out = s;
    return 0;
}

extern const bo_driver bo__pg_driver;
uint64_t bo__pg_round_trips(const bo_driver_conn *c); /* postgres/pg_conn.c */
uint64_t bo__pg_lone_retries(const bo_driver_conn *c);
uint64_t bo__pg_lane_epoch(const bo_driver_conn *c);
uint64_t bo__pg_mode_epoch(const bo_driver_conn *c);

uint64_t bo__store_round_trips(const bo__store *st)
{
    return st && st->drv == &bo__pg_driver ? bo__pg_round_trips(st->conn) : 0;
}

uint64_t bo__store_lone_retries(const bo__store *st)
{
    return st && st->drv == &bo__pg_driver ? bo__pg_lone_retries(st->conn) : 0;
}

uint64_t bo__store_lane_epoch(const bo__store *st)
{
    return st && st->drv == &bo__pg_driver ? bo__pg_lane_epoch(st->conn) : 0;
}

uint64_t bo__store_mode_epoch(const bo__store *st)
{
    return st && st->drv == &bo__pg_driver ? bo__pg_mode_epoch(st->conn) : 0;
}

int bo__store_sync_identity(bo__store *st, const char *table, const char *column)
{
    if (!st->drv->sync_identity)
        return 0;
    int rc = st->drv->sync_identity(st->conn, table, column);
    return rc ? bo__store_error(st, rc, table) : 0;
}

int bo__store_is_sqlite(const bo__store *st)
{
    return strcmp(st->drv->scheme, "sqlite") == 0;
}

int bo__store_has_insert_id(const bo__store *st)
{
    return st->drv->last_insert_id != NULL;
}

int64_t bo__store_insert_id(bo__store *st)
{
    return st->drv->last_insert_id(st->conn);
}

int bo__store_has_lanes(bo__store *st)
{
    return st->drv->version >= 4 && st->drv->audit_lane && st->drv->audit_next_seq &&
           st->drv->audit_lane(st->conn) >= 0;
}

int bo__store_audit_lane(bo__store *st)
{
    if (!bo__store_has_lanes(st))
        return 0;
    int lane = st->drv->audit_lane(st->conn);
    return lane >= 0 && lane < BO_DRIVER_LANES ? lane : 0;
}

int bo__store_audit_next_seq(bo__store *st, int64_t *out)
{
    if (!bo__store_has_lanes(st))
        return bo__error_set(BO_ENOTSUP, "store: the driver numbers no audit records");
    int rc = st->drv->audit_next_seq(st->conn, out);
    return rc ? bo__store_error(st, rc, "audit sequence") : 0;
}

int bo__store_draws_ids(const bo__store *st)
{
    return st->drv == &bo__pg_driver;
}

/* nextval() of the sequence once a row of generate_series: the sequence's
 * name is looked up once (the cross join's one row). OFFSET 0 keeps the
 * planner from pulling the subquery up into the join, which evaluated
 * pg_get_serial_sequence (catalog look-ups) again for every row: a draw of
 * 1,000 took about 10 ms of the server's time instead of 1.5. */
static const char SQL_PG_DRAW[] =
    "SELECT nextval(q.s) FROM (SELECT CAST(pg_get_serial_sequence(?, ?) AS regclass) AS s"
    " OFFSET 0) q CROSS JOIN generate_series(1, CAST(? AS INTEGER))";

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int bo__store_draw_ids(bo__store *st, const char *table, const char *column, size_t n,
                       int64_t *out)
{
    if (!bo__store_draws_ids(st))
        return bo__error_set(BO_ENOTSUP, "store: driver '%s' draws no identities in bulk",
                             st->drv->scheme);
    if (n == 0)
        return 0;
    if (n > INT32_MAX)
        return bo__error_set(BO_ELIMIT, "%s: %zu identities asked for at once", table, n);
    bo__stmt *s;
    int rc = bo__stmt_get(st, SQL_PG_DRAW, &s);
    if (rc)
        return rc;
    size_t got = 0;
    rc = bo__stmt_bind(s, "tti", table, column, (int64_t)n);
    while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        if (got < n)
            out[got] = bo__stmt_col_int(s, 0);
        got++;
        rc = 0;
    }
    bo__stmt_done(s);
    if (rc != BO_DRIVER_DONE)
        return rc < 0 ? rc : bo__error_set(BO_ERROR, "%s: drawing %zu identities", table, n);
    if (got != n)
        return bo__error_set(BO_ERROR, "%s: %zu identities drawn of %zu", table, got, n);
    qsort(out, n, sizeof *out, cmp_i64);
    return 0;
}

int bo__store_audit_seqs(bo__store *st, size_t n, int64_t *out)
{
    if (n == 0)
        return 0;
    int rc = bo__store_audit_next_seq(st, &out[0]);
    if (rc || n == 1)
        return rc;
    if (bo__store_draws_ids(st)) {
        /* Drawn after the first: every one above it. */
        return bo__store_draw_ids(st, "audit_log", "seq", n - 1, out + 1);
    }
    for (size_t i = 1; i < n && !rc; i++)
        rc = bo__store_audit_next_seq(st, &out[i]);
    return rc;
}

int64_t bo__store_data_version(bo__store *st)
{
    return st->drv->data_version ? st->drv->data_version(st->conn) : -1;
}

uint64_t bo__store_writes(const bo__store *st)
{
    return st->writes;
}

void bo__stmt_done(bo__stmt *s)
{
    if (!s)
        return;
    s->borrow = 0;
    if (s->cached) {
        s->store->drv->reset(s->ds);
        s->busy = 0;
    } else {
        s->store->drv->finalize(s->ds);
        bo__free(s);
    }
}

extern const bo_driver bo__sqlite_driver;

void bo__stmt_borrow(bo__stmt *s)
{
    if (s->store->drv == &bo__sqlite_driver) {
        bo__sqlite_stmt_borrow(s->ds, 1);
        s->borrow = 1;
    }
}

/* Bind text that dies before the statement runs (a local buffer): copied. */
static int stmt_text_copy(bo__stmt *s, int idx, const char *text)
{
    if (!s->borrow)
        return bo__stmt_text(s, idx, text);
    bo__sqlite_stmt_borrow(s->ds, 0);
    int rc = bo__stmt_text(s, idx, text);
    bo__sqlite_stmt_borrow(s->ds, 1);
    return rc;
}

void bo__stmt_reset(bo__stmt *s)
{
    s->borrow = 0;
    s->store->drv->reset(s->ds);
}

int bo__stmt_int(bo__stmt *s, int idx, int64_t v)
{
    int rc = s->store->drv->bind_int64(s->ds, idx, v);
    return rc ? bo__store_error(s->store, rc, "bind") : 0;
}

int bo__stmt_text(bo__stmt *s, int idx, const char *text)
{
    int rc = text ? s->store->drv->bind_text(s->ds, idx, text, strlen(text))
                  : s->store->drv->bind_null(s->ds, idx);
    return rc ? bo__store_error(s->store, rc, "bind") : 0;
}

int bo__stmt_null(bo__stmt *s, int idx)
{
    int rc = s->store->drv->bind_null(s->ds, idx);
    return rc ? bo__store_error(s->store, rc, "bind") : 0;
}

int bo__stmt_step(bo__stmt *s)
{
    if (s->writes)
        s->store->writes++;
    int rc = s->store->drv->step(s->ds);
    if (rc < 0)
        return bo__store_error(s->store, rc, "store");
    return rc;
}

int bo__stmt_run(bo__stmt *s)
{
    int rc = bo__stmt_step(s);
    return rc < 0 ? rc : 0;
}

/* ---- statements by format ------------------------------------------------ */

/* The arguments of one call: a va_list of n bo__arg, checked letter by
 * letter against the format. */
typedef struct fmt_args {
    va_list ap;
    int left, pos;
    const char *fmt, *sql;
} fmt_args;

static int arg_refused(const fmt_args *a, char letter)
{
    return bo__error_set(BO_ERROR, "store: argument %d does not fit '%c' of format "
                         "\"%s\" (statement: %.60s)", a->pos, letter, a->fmt,
                         a->sql ? a->sql : "?");
}

/* The next argument, of kind `kind` (or, for kind BO__ARG_OUT_INT, either
 * integer pointer). Inline: it runs once for every parameter of every
 * statement. */
static inline int arg_take(fmt_args *a, int kind, char letter, bo__arg *out)
{
    if (a->left <= 0) {
        *out = (bo__arg){ 0, 0, NULL };
        return arg_refused(a, letter);
    }
    *out = va_arg(a->ap, bo__arg);
    a->left--;
    a->pos++;
    int ok = out->kind == kind ||
             (kind == BO__ARG_OUT_INT && out->kind == BO__ARG_OUT_I64);
    return ok ? 0 : arg_refused(a, letter);
}

/* Bind parameter idx by letter (its arguments are taken even when null
 * is set: then NULL is bound, for the letter after a '?'). */
static int bind_one(bo__stmt *s, int idx, char letter, int null, fmt_args *a)
{
    bo__arg v, len;
    int rc;
    switch (letter) {
    case 'i':
    case 'I':
        if ((rc = arg_take(a, BO__ARG_INT, letter, &v)))
            return rc;
        return null || (letter == 'I' && v.i == 0) ? bo__stmt_null(s, idx)
                                                   : bo__stmt_int(s, idx, v.i);
    case 't':
        if ((rc = arg_take(a, BO__ARG_PTR, letter, &v)))
            return rc;
        return bo__stmt_text(s, idx, null ? NULL : v.p);
    case 'n':
        return bo__stmt_null(s, idx);
    case 'd': {
        if ((rc = arg_take(a, BO__ARG_INT, letter, &v)))
            return rc;
        if (null)
            return bo__stmt_null(s, idx);
        char iso[11] = "";
        if (v.i >= BO_DATE_MIN && v.i <= BO_DATE_MAX)
            bo__date_iso((bo_date)v.i, iso);
        if (!iso[0])
            return bo__error_set(BO_EINVAL, "date: outside 0001-01-01..9999-12-31");
        return stmt_text_copy(s, idx, iso);
    }
    case 'b':
        if ((rc = arg_take(a, BO__ARG_PTR, letter, &v)) ||
            (rc = arg_take(a, BO__ARG_INT, letter, &len)))
            return rc;
        if (len.i < 0)
            return arg_refused(a, letter);
        return null ? bo__stmt_null(s, idx) : bo__stmt_blob(s, idx, v.p, (size_t)len.i);
    default:
        return arg_refused(a, letter);
    }
}

/* Bind the letters of a->fmt from *f up to '>' or the end; *f is left on
 * the '>' (or the NUL). */
static int bind_args(bo__stmt *s, int first, const char **f, fmt_args *a)
{
    const char *p = *f; /* a local: no reload through f on every letter */
    int rc = 0;
    for (int idx = first; *p && *p != '>'; p++, idx++) {
        int null = 0;
        if (*p == '_') {
            /* A parameter left out of the statement: its argument only. */
            bo__arg skipped;
            char l = *++p;
            if (l != 'i' && l != 'I' && l != 'd' && l != 't') {
                rc = arg_refused(a, '_');
                break;
            }
            if ((rc = arg_take(a, l == 't' ? BO__ARG_PTR : BO__ARG_INT, l, &skipped)))
                break;
            idx--;
            continue;
        }
        if (*p == '?') {
            bo__arg flag;
            if ((rc = arg_take(a, BO__ARG_INT, '?', &flag)))
                break;
            if (!*++p) {
                rc = arg_refused(a, '?');
                break;
            }
            null = flag.i == 0;
        }
        if ((rc = bind_one(s, idx, *p, null, a)))
            break;
    }
    *f = p;
    return rc;
}

/* Read the row's columns (s on a row; NULL: no row, the arguments are
 * only checked) by the letters at f, those after the '>'. */
static int read_outputs(bo__stmt *s, const char *f, fmt_args *a)
{
    bo__arg v, size;
    int rc = 0;
    for (int col = 0; *f && !rc; f++, col++) {
        switch (*f) {
        case 'i':
            if ((rc = arg_take(a, BO__ARG_OUT_INT, *f, &v)) || !s)
                break;
            int64_t x = bo__stmt_col_int(s, col);
            if (v.kind == BO__ARG_OUT_I64)
                *(int64_t *)(uintptr_t)v.p = x;
            else
                *(int *)(uintptr_t)v.p = (int)x;
            break;
        case 't':
            if ((rc = arg_take(a, BO__ARG_PTR, *f, &v)) ||
                (rc = arg_take(a, BO__ARG_INT, *f, &size)) || !s)
                break;
            const char *text = bo__stmt_col_text(s, col);
            if (size.i > 0)
                snprintf((char *)(uintptr_t)v.p, (size_t)size.i, "%s", text ? text : "");
            break;
        case '?':
            if ((rc = arg_take(a, BO__ARG_OUT_INT, *f, &v)))
                break;
            if (v.kind != BO__ARG_OUT_INT || !f[1] || f[1] == '?')
                rc = arg_refused(a, *f);
            else if (s)
                *(int *)(uintptr_t)v.p = !bo__stmt_is_null(s, col);
            col--; /* the letter after it reads the column */
            break;
        case '-':
            break;
        default:
            rc = arg_refused(a, *f);
        }
    }
    return rc;
}

/* Every argument used. */
static int args_end(fmt_args *a)
{
    if (a->left) {
        a->pos++;
        return arg_refused(a, '.');
    }
    return 0;
}

int bo__stmt_vbind(bo__stmt *s, int first, const char *fmt, int n, va_list ap)
{
    fmt_args a = { .left = n, .fmt = fmt, .sql = s->sql };
    va_copy(a.ap, ap);
    const char *f = fmt;
    int rc = bind_args(s, first, &f, &a);
    if (!rc && *f)
        rc = arg_refused(&a, *f); /* outputs: only a row helper reads them */
    if (!rc)
        rc = args_end(&a);
    va_end(a.ap);
    return rc;
}

int bo__stmt_bind_(bo__stmt *s, int first, const char *fmt, int n, ...)
{
    va_list ap;
    va_start(ap, n);
    int rc = bo__stmt_vbind(s, first, fmt, n, ap);
    va_end(ap);
    return rc;
}

int bo__store_run_(bo__store *st, const char *sql, const char *fmt, int n, ...)
{
    bo__stmt *s;
    int rc = bo__stmt_get(st, sql, &s);
    if (rc)
        return rc;
    bo__stmt_borrow(s); /* the arguments outlive the statement's use */
    va_list ap;
    va_start(ap, n);
    rc = bo__stmt_vbind(s, 1, fmt, n, ap);
    va_end(ap);
    if (!rc)
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    return rc;
}

/* get, bind, step; on a row, read by the outputs after the '>' or by
 * read(); release. */
static int row_run(bo__store *st, const char *sql, bo__row_fn read, void *arg,
                   int *found, fmt_args *a)
{
    if (found)
        *found = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(st, sql, &s);
    if (rc)
        return rc;
    bo__stmt_borrow(s);
    a->sql = sql;
    const char *f = a->fmt;
    if (!(rc = bind_args(s, 1, &f, a)) && read && *f)
        rc = arg_refused(a, *f);
    int row = 0;
    if (!rc && (rc = bo__stmt_step(s)) >= 0) {
        row = rc == BO_DRIVER_ROW;
        if (found)
            *found = row;
        rc = 0;
        if (read && row)
            rc = read(s, arg);
        else if (!read && *f)
            rc = read_outputs(row ? s : NULL, f + 1, a);
    }
    bo__stmt_done(s);
    return rc ? rc : args_end(a);
}

int bo__store_row_(bo__store *st, const char *sql, int *found, const char *fmt,
                   int n, ...)
{
    fmt_args a = { .left = n, .fmt = fmt };
    va_start(a.ap, n);
    int rc = row_run(st, sql, NULL, NULL, found, &a);
    va_end(a.ap);
    return rc;
}

int bo__store_row_read_(bo__store *st, const char *sql, bo__row_fn read, void *arg,
                        int *found, const char *fmt, int n, ...)
{
    fmt_args a = { .left = n, .fmt = fmt };
    va_start(a.ap, n);
    int rc = row_run(st, sql, read, arg, found, &a);
    va_end(a.ap);
    return rc;
}

int bo__store_insert_(bo__store *st, const char *sql, const char *sql_plain,
                      int64_t *id, const char *fmt, int n, ...)
{
    *id = 0;
    int plain = sql_plain && bo__store_has_insert_id(st);
    bo__stmt *s;
    int rc = bo__stmt_get(st, plain ? sql_plain : sql, &s);
    if (rc)
        return rc;
    bo__stmt_borrow(s);
    va_list ap;
    va_start(ap, n);
    rc = bo__stmt_vbind(s, 1, fmt, n, ap);
    va_end(ap);
    if (!rc && (rc = bo__stmt_step(s)) >= 0) {
        if (rc == BO_DRIVER_ROW)
            *id = bo__stmt_col_int(s, 0);
        else if (plain && bo__store_changes(st) == 1)
            *id = bo__store_insert_id(st);
        rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

int bo__stmt_is_null(bo__stmt *s, int col)
{
    return s->store->drv->column_is_null(s->ds, col);
}

int64_t bo__stmt_col_int(bo__stmt *s, int col)
{
    return s->store->drv->column_int64(s->ds, col);
}

const char *bo__stmt_col_text(bo__stmt *s, int col)
{
    return s->store->drv->column_text(s->ds, col, NULL);
}

const char *bo__stmt_col_text_len(bo__stmt *s, int col, size_t *len)
{
    *len = 0;
    const char *t = s->store->drv->column_text(s->ds, col, len);
    if (t && *len == 0)
        *len = strlen(t); /* a driver that does not report the length */
    return t;
}

/* ---- blobs (optional driver members; the documents domain) ------------- */

int bo__store_has_blob(const bo__store *st)
{
    return st->drv->version >= 2 && st->drv->bind_blob && st->drv->column_blob;
}

int bo__stmt_blob(bo__stmt *s, int idx, const void *data, size_t len)
{
    if (!bo__store_has_blob(s->store))
        return bo__error_set(BO_ENOTSUP, "store: driver '%s' cannot bind bytes",
                             s->store->drv->scheme);
    int rc = s->store->drv->bind_blob(s->ds, idx, data ? data : "", len);
    return rc ? bo__store_error(s->store, rc, "bind") : 0;
}

int bo__stmt_col_blob(bo__stmt *s, int col, void *buf, size_t cap, size_t *len)
{
    if (!bo__store_has_blob(s->store))
        return bo__error_set(BO_ENOTSUP, "store: driver '%s' cannot read bytes",
                             s->store->drv->scheme);
    int rc = s->store->drv->column_blob(s->ds, col, buf, cap, len);
    if (rc == BO_ELIMIT && !buf)
        return BO_ELIMIT; /* a size query */
    if (rc == BO_ELIMIT)
        return bo__error_set(BO_ELIMIT, "store: %zu bytes do not fit in %zu",
                             *len, cap);
    return rc ? bo__store_error(s->store, rc, "column") : 0;
}

int bo__stmt_copy_blob(bo__stmt *rd, int col, bo__stmt *wr, int idx)
{
    size_t len = 0;
    int rc = bo__stmt_col_blob(rd, col, NULL, 0, &len);
    if (rc && rc != BO_ELIMIT)
        return rc;
    void *buf = bo__malloc(len ? len : 1);
    if (!buf)
        return BO_ENOMEM;
    rc = bo__stmt_col_blob(rd, col, buf, len, &len);
    if (!rc)
        rc = bo__stmt_blob(wr, idx, buf, len);
    bo__free(buf);
    return rc;
}

/* ---- the dialect members of version 3 (full text, string aggregation) ---- */

int bo__store_has_fts(const bo__store *st)
{
    return st->drv->version >= 3 && st->drv->fts_index && st->drv->fts_match &&
           st->drv->fts_query;
}

static int no_member(const bo__store *st, const char *what, const char *members)
{
    return bo__error_set(BO_ENOTSUP, "store: driver '%s' has no %s (bo_driver "
                         "version %u; %s came with version 3)", st->drv->scheme,
                         what, st->drv->version, members);
}

#define FTS_MEMBERS "fts_index, fts_match and fts_query"

/* One call of a dialect member, snprintf-like: asked for the length first,
 * then into out's room. */
typedef struct dialect_call {
    int member; /* 0 fts_index, 1 fts_match, 2 fts_query, 3 string_agg */
    const bo_driver_fts *fts;
    const char *const *terms;
    int ngroups, per_group;
    const char *expr, *sep;
} dialect_call;

static int dialect_run(bo__store *st, const dialect_call *c, char *buf, size_t cap)
{
    const bo_driver *d = st->drv;
    switch (c->member) {
    case 0: return d->fts_index(st->conn, c->fts, buf, cap);
    case 1: return d->fts_match(st->conn, c->fts, buf, cap);
    case 2: return d->fts_query(st->conn, c->terms, c->ngroups, c->per_group, buf, cap);
    default: return d->string_agg(st->conn, c->expr, c->sep, buf, cap);
    }
}

static int dialect_text(bo__store *st, const dialect_call *c, bo__buf *out)
{
    int n = dialect_run(st, c, NULL, 0);
    if (n < 0)
        return bo__store_error(st, n, "dialect");
    char *tmp = bo__malloc((size_t)n + 1);
    if (!tmp)
        return BO_ENOMEM;
    int m = dialect_run(st, c, tmp, (size_t)n + 1);
    int rc = m < 0 ? bo__store_error(st, m, "dialect")
           : m != n ? bo__error_set(BO_EDRIVER, "store: driver '%s' wrote %d bytes "
                                    "of dialect text after announcing %d",
                                    st->drv->scheme, m, n)
           : bo__buf_put(out, tmp, (size_t)n);
    bo__free(tmp);
    return rc;
}

int bo__dialect_terms(const char *const *terms, int ngroups, int per_group,
                      const char *quote, const char *or_, const char *and_,
                      char *buf, size_t cap)
{
    size_t n = 0;
    if (cap)
        buf[0] = '\0';
    for (int g = 0; g < ngroups; g++)
        for (int k = 0; k < per_group; k++) {
            int w = snprintf(n < cap ? buf + n : NULL, n < cap ? cap - n : 0,
                             "%s%s%s%s%s%s", g && !k ? and_ : "", k ? or_ : "(",
                             quote, terms[g * per_group + k], quote,
                             k == per_group - 1 ? ")" : "");
            if (w < 0)
                return BO_ERROR;
            n += (size_t)w;
        }
    return (int)n;
}

int bo__store_fts_index(bo__store *st, const bo_driver_fts *f, bo__buf *out)
{
    if (!bo__store_has_fts(st))
        return no_member(st, "full-text search", FTS_MEMBERS);
    dialect_call c = { .member = 0, .fts = f };
    return dialect_text(st, &c, out);
}

int bo__store_fts_match(bo__store *st, const bo_driver_fts *f, bo__buf *out)
{
    if (!bo__store_has_fts(st))
        return no_member(st, "full-text search", FTS_MEMBERS);
    dialect_call c = { .member = 1, .fts = f };
    return dialect_text(st, &c, out);
}

int bo__store_fts_query(bo__store *st, const char *const *terms, int ngroups,
                        int per_group, bo__buf *out)
{
    if (!bo__store_has_fts(st))
        return no_member(st, "full-text search", FTS_MEMBERS);
    dialect_call c = { .member = 2, .terms = terms, .ngroups = ngroups,
                       .per_group = per_group };
    return dialect_text(st, &c, out);
}

int bo__store_string_agg(bo__store *st, const char *expr, const char *sep,
                         bo__buf *out)
{
    if (st->drv->version < 3 || !st->drv->string_agg)
        return no_member(st, "string aggregation", "string_agg");
    dialect_call c = { .member = 3, .expr = expr, .sep = sep };
    return dialect_text(st, &c, out);
}

int bo__store_scrub(bo__store *st)
{
    if (st->drv->version < 4 || !st->drv->scrub)
        return 0;
    int rc = st->drv->scrub(st->conn);
    return rc ? bo__store_error(st, rc, "scrub") : 0;
}

/* ---- wake-ups (the change feed) ------------------------------------------ */

extern const bo_driver bo__pg_driver;
int bo__pg_listen(bo_driver_conn *c, const char *channel);
int bo__pg_wait(bo_driver_conn *c, int timeout_ms, int *woken);

static const char SQL_PG_NOTIFY[] = "SELECT pg_notify(?, '')";

int bo__store_notify(bo__store *st, const char *channel)
{
    if (st->drv != &bo__pg_driver)
        return 0;
    return bo__store_row(st, SQL_PG_NOTIFY, NULL, "t", channel);
}

int bo__store_listen(bo__store *st, const char *channel)
{
    if (st->drv != &bo__pg_driver)
        return bo__error_set(BO_ENOTSUP, "listen: the %s driver has no wake-ups",
                             st->drv->name);
    int rc = bo__pg_listen(st->conn, channel);
    return rc ? bo__store_error(st, rc, "listen") : 0;
}

int bo__store_wait(bo__store *st, int timeout_ms, int *woken)
{
    *woken = 0;
    if (st->drv != &bo__pg_driver)
        return bo__error_set(BO_ENOTSUP, "wait: the %s driver has no wake-ups",
                             st->drv->name);
    int rc = bo__pg_wait(st->conn, timeout_ms, woken);
    return rc ? bo__store_error(st, rc, "wait") : 0;
}

/* ---- rows in bulk (bo_driver version 5) ----------------------------------- */

int bo__store_has_copy(const bo__store *st)
{
    return st->drv->version >= 5 && st->drv->copy_rows != NULL;
}

#define NUM_SLOT 21 /* "-9223372036854775808" and its NUL */

/* r's values in one operation of the driver: texts as they are, integers
 * written out. */
static int rows_copy(bo__store *st, const bo__rows_table *t, const bo__rowset *r)
{
    size_t ints = 0;
    for (size_t i = 0; i < r->n; i++)
        ints += r->v[i].is_int != 0;
    const char **v = bo__malloc(r->n * sizeof *v);
    char *num = bo__malloc((ints ? ints : 1) * NUM_SLOT);
    int rc = 0;
    if (!v || !num) {
        rc = BO_ENOMEM;
        goto out;
    }
    char *slot = num;
    for (size_t i = 0; i < r->n; i++) {
        const bo__rowval *x = &r->v[i];
        if (!x->is_int) {
            v[i] = x->text;
            continue;
        }
        char d[NUM_SLOT], *p = d + sizeof d;
        uint64_t u = x->num < 0 ? 0 - (uint64_t)x->num : (uint64_t)x->num;
        *--p = '\0';
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (x->num < 0)
            *--p = '-';
        memcpy(slot, p, (size_t)(d + sizeof d - p));
        v[i] = slot;
        slot += NUM_SLOT;
    }
    st->writes++;
    rc = st->drv->copy_rows(st->conn, t->name, t->columns, t->ncols, r->n / (size_t)t->ncols, v);
    if (rc)
        rc = bo__store_error(st, rc, "store");
out:
    bo__free(v);
    bo__free(num);
    return rc;
}

/* r's rows in t's inserts, 64 rows a statement (then 32, 16 ... 1). */
static int rows_insert(bo__store *st, const bo__rows_table *t, const bo__rowset *r)
{
    const char *const *sql = t->insert_sqlite && bo__store_is_sqlite(st) ? t->insert_sqlite
                                                                          : t->insert;
    const bo__rowval *x = r->v;
    size_t n = r->n / (size_t)t->ncols;
    int rc = 0;
    while (!rc && n > 0) {
        int shape = bo__rows_shape(n), rows = 1 << shape, k = rows * t->ncols;
        bo__stmt *s;
        if ((rc = bo__stmt_get(st, sql[shape], &s)))
            return rc;
        bo__stmt_borrow(s); /* the texts outlive bo__stmt_done */
        for (int i = 0; i < k && !rc; i++)
            rc = x[i].is_int ? bo__stmt_int(s, i + 1, x[i].num)
                             : bo__stmt_text(s, i + 1, x[i].text);
        if (!rc)
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
        x += k;
        n -= (size_t)rows;
    }
    return rc;
}

int bo__store_rows(bo__store *st, const bo__rows_table *t, const bo__rowset *r)
{
    if (t->ncols < 1 || r->over || r->n % (size_t)t->ncols)
        return bo__error_set(BO_ERROR, "store: rows for %s: %zu values for %d columns%s",
                             t->name, r->n, t->ncols,
                             r->over ? ", more than room was made for" : "");
    if (r->n == 0)
        return 0;
    return bo__store_has_copy(st) ? rows_copy(st, t, r) : rows_insert(st, t, r);
}
