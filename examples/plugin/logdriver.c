/*
 * An example third-party storage driver, loaded as a plugin: "log:" wraps
 * any other registered driver and counts (optionally logs) what passes
 * through it. A book at "log:sqlite:shop.db" is the SQLite book shop.db,
 * watched.
 *
 *   BO_LOGDRIVER_FILE=path   append one line per prepared statement,
 *                            transaction and error to this file
 *
 * It uses only the host table it is given (include/backoffice/sys/plugin.h)
 * and does not link against libbackoffice.
 */
#include <backoffice/errors.h>
#include <backoffice/sys/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bo_plugin_host *host;

struct bo_driver_conn {
    const bo_driver *inner;
    bo_driver_conn *conn;
    FILE *log;
    long statements, commits, rollbacks, copies;
};

struct bo_driver_stmt {
    struct bo_driver_conn *c;
    bo_driver_stmt *stmt;
};

static void note(struct bo_driver_conn *c, const char *what, const char *detail)
{
    if (c->log) {
        fprintf(c->log, "%s%s%s\n", what, detail ? " " : "", detail ? detail : "");
        fflush(c->log);
    }
}

/* "sqlite:x.db" -> the sqlite driver and "x.db"; a plain path -> sqlite. */
static const bo_driver *inner_driver(const char *uri, const char **target)
{
    const char *colon = strchr(uri, ':');
    char scheme[32];
    size_t n = colon ? (size_t)(colon - uri) : 0;
    int ok = n >= 2 && n < sizeof scheme;
    for (size_t i = 0; ok && i < n; i++)
        ok = (uri[i] >= 'a' && uri[i] <= 'z') || (uri[i] >= '0' && uri[i] <= '9') ||
             uri[i] == '+' || uri[i] == '-' || uri[i] == '.';
    if (!ok) {
        *target = uri;
        return host->driver_find("sqlite");
    }
    memcpy(scheme, uri, n);
    scheme[n] = '\0';
    *target = colon + 1;
    return host->driver_find(scheme);
}

static int lg_open(const bo_driver *self, const char *target,
                   const bo_driver_settings *s, bo_driver_conn **out)
{
    (void)self;
    struct bo_driver_conn *c = host->alloc(sizeof *c);
    if (!c)
        return BO_ENOMEM;
    memset(c, 0, sizeof *c);
    *out = c;
    const char *inner_target;
    c->inner = inner_driver(target, &inner_target);
    if (!c->inner || c->inner->open == lg_open)
        return BO_EDRIVER; /* errmsg explains */
    const char *path = getenv("BO_LOGDRIVER_FILE");
    if (path && path[0])
        c->log = fopen(path, "a");
    note(c, "open", target);
    return c->inner->open(c->inner, inner_target, s, &c->conn);
}

static void lg_close(bo_driver_conn *c)
{
    if (!c)
        return;
    if (c->log) {
        fprintf(c->log, "close statements=%ld commits=%ld rollbacks=%ld copies=%ld\n",
                c->statements, c->commits, c->rollbacks, c->copies);
        fclose(c->log);
    }
    if (c->inner)
        c->inner->close(c->conn);
    host->release(c);
}

static const char *lg_errmsg(bo_driver_conn *c)
{
    if (!c || !c->inner)
        return "log: no inner driver for this URI (write log:SCHEME:TARGET)";
    if (!c->conn)
        return "log: the inner driver did not open";
    return c->inner->errmsg(c->conn);
}

static int lg_exec(bo_driver_conn *c, const char *sql)
{
    note(c, "exec", sql);
    return c->inner->exec(c->conn, sql);
}

static int lg_begin(bo_driver_conn *c, int write)
{
    note(c, write ? "begin write" : "begin read", NULL);
    return c->inner->begin(c->conn, write);
}

static int lg_commit(bo_driver_conn *c)
{
    int rc = c->inner->commit(c->conn);
    c->commits += rc == 0;
    note(c, rc == 0 ? "commit" : "commit failed", NULL);
    return rc;
}

static int lg_rollback(bo_driver_conn *c)
{
    c->rollbacks++;
    note(c, "rollback", NULL);
    return c->inner->rollback(c->conn);
}

static int lg_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **out)
{
    struct bo_driver_stmt *s = host->alloc(sizeof *s);
    if (!s)
        return BO_ENOMEM;
    s->c = c;
    int rc = c->inner->prepare(c->conn, sql, &s->stmt);
    if (rc) {
        host->release(s);
        return rc;
    }
    c->statements++;
    note(c, "prepare", sql);
    *out = s;
    return 0;
}

#define INNER(s) ((s)->c->inner)

static int lg_bind_int64(bo_driver_stmt *s, int i, int64_t v)
{
    return INNER(s)->bind_int64(s->stmt, i, v);
}

static int lg_bind_text(bo_driver_stmt *s, int i, const char *t, size_t n)
{
    return INNER(s)->bind_text(s->stmt, i, t, n);
}

static int lg_bind_null(bo_driver_stmt *s, int i)
{
    return INNER(s)->bind_null(s->stmt, i);
}

static int lg_step(bo_driver_stmt *s)
{
    int rc = INNER(s)->step(s->stmt);
    if (rc < 0)
        note(s->c, "error", INNER(s)->errmsg(s->c->conn));
    return rc;
}

static int lg_reset(bo_driver_stmt *s)
{
    return INNER(s)->reset(s->stmt);
}

static void lg_finalize(bo_driver_stmt *s)
{
    if (!s)
        return;
    INNER(s)->finalize(s->stmt);
    host->release(s);
}

static int lg_column_is_null(bo_driver_stmt *s, int col)
{
    return INNER(s)->column_is_null(s->stmt, col);
}

static int64_t lg_column_int64(bo_driver_stmt *s, int col)
{
    return INNER(s)->column_int64(s->stmt, col);
}

static const char *lg_column_text(bo_driver_stmt *s, int col, size_t *len)
{
    return INNER(s)->column_text(s->stmt, col, len);
}

static int64_t lg_changes(bo_driver_conn *c)
{
    return c->inner->changes(c->conn);
}

static int64_t lg_data_version(bo_driver_conn *c)
{
    return c->inner->data_version ? c->inner->data_version(c->conn) : -1;
}

static int64_t lg_last_insert_id(bo_driver_conn *c)
{
    return c->inner->last_insert_id(c->conn);
}

/* The SQL dialect members take the connection, so they are the inner
 * driver's (BO_ENOTSUP when it has none: never another engine's SQL). */
static int lg_fts_index(bo_driver_conn *c, const bo_driver_fts *f, char *buf, size_t cap)
{
    if (c->inner->version < 3 || !c->inner->fts_index)
        return BO_ENOTSUP;
    return c->inner->fts_index(c->conn, f, buf, cap);
}

static int lg_fts_match(bo_driver_conn *c, const bo_driver_fts *f, char *buf, size_t cap)
{
    if (c->inner->version < 3 || !c->inner->fts_match)
        return BO_ENOTSUP;
    return c->inner->fts_match(c->conn, f, buf, cap);
}

static int lg_fts_query(bo_driver_conn *c, const char *const *terms, int ngroups,
                        int per_group, char *buf, size_t cap)
{
    if (c->inner->version < 3 || !c->inner->fts_query)
        return BO_ENOTSUP;
    return c->inner->fts_query(c->conn, terms, ngroups, per_group, buf, cap);
}

static int lg_string_agg(bo_driver_conn *c, const char *expr, const char *sep,
                         char *buf, size_t cap)
{
    if (c->inner->version < 3 || !c->inner->string_agg)
        return BO_ENOTSUP;
    return c->inner->string_agg(c->conn, expr, sep, buf, cap);
}

static int lg_scrub(bo_driver_conn *c)
{
    if (c->inner->version < 4 || !c->inner->scrub)
        return 0;
    return c->inner->scrub(c->conn);
}

/* Rows in bulk (version 5): the inner driver's copy_rows where it has one
 * (PostgreSQL's COPY); otherwise the rows one INSERT each through the inner
 * driver, values bound as texts (the columns' affinity makes integers of
 * them, as the input form copy_rows promises). The member is set whatever
 * the inner driver, since one struct serves every connection. */
static int copy_by_insert(struct bo_driver_conn *c, const char *table, const char *columns,
                          int ncols, size_t nrows, const char *const *values)
{
    size_t cap = strlen(table) + strlen(columns) + 3 * (size_t)ncols + 32;
    char *sql = host->alloc(cap);
    if (!sql)
        return BO_ENOMEM;
    int n = snprintf(sql, cap, "INSERT INTO %s (%s) VALUES (", table, columns);
    for (int i = 0; i < ncols; i++)
        n += snprintf(sql + n, cap - (size_t)n, i ? ", ?" : "?");
    snprintf(sql + n, cap - (size_t)n, ")");
    bo_driver_stmt *st;
    int rc = c->inner->prepare(c->conn, sql, &st);
    host->release(sql);
    if (rc)
        return rc;
    for (size_t r = 0; r < nrows && !rc; r++) {
        const char *const *row = values + r * (size_t)ncols;
        for (int i = 0; i < ncols && !rc; i++)
            rc = row[i] ? c->inner->bind_text(st, i + 1, row[i], strlen(row[i]))
                        : c->inner->bind_null(st, i + 1);
        if (!rc) {
            rc = c->inner->step(st);
            rc = rc == BO_DRIVER_DONE ? c->inner->reset(st) : rc < 0 ? rc : BO_EDRIVER;
        }
    }
    c->inner->finalize(st);
    return rc;
}

static int lg_copy_rows(bo_driver_conn *c, const char *table, const char *columns,
                        int ncols, size_t nrows, const char *const *values)
{
    char what[96];
    snprintf(what, sizeof what, "%s %zu rows", table, nrows);
    int inner = c->inner->version >= 5 && c->inner->copy_rows;
    note(c, inner ? "copy" : "copy by insert", what);
    c->copies++;
    int rc = inner ? c->inner->copy_rows(c->conn, table, columns, ncols, nrows, values)
                   : copy_by_insert(c, table, columns, ncols, nrows, values);
    if (rc)
        note(c, "error", c->inner->errmsg(c->conn));
    return rc;
}

/* The DDL facts are the inner driver's too, but known only once a URI
 * names it; this driver wraps SQLite-dialect stores (any driver with the
 * same DDL works). */
static bo_driver log_driver = {
    .version = BO_DRIVER_VERSION,
    .scheme = "log",
    .name = "log (example plugin: wraps another driver)",
    .open = lg_open,
    .close = lg_close,
    .errmsg = lg_errmsg,
    .exec = lg_exec,
    .begin = lg_begin,
    .commit = lg_commit,
    .rollback = lg_rollback,
    .prepare = lg_prepare,
    .bind_int64 = lg_bind_int64,
    .bind_text = lg_bind_text,
    .bind_null = lg_bind_null,
    .step = lg_step,
    .reset = lg_reset,
    .finalize = lg_finalize,
    .column_is_null = lg_column_is_null,
    .column_int64 = lg_column_int64,
    .column_text = lg_column_text,
    .changes = lg_changes,
    .data_version = lg_data_version,
    .last_insert_id = lg_last_insert_id,
    .fts_index = lg_fts_index,
    .fts_match = lg_fts_match,
    .fts_query = lg_fts_query,
    .string_agg = lg_string_agg,
    .scrub = lg_scrub,
    .copy_rows = lg_copy_rows,
};

/* The manifest the loader reads before it maps the file. */
BO_PLUGIN_MANIFEST;

/* The one symbol a plugin exports. */
__attribute__((visibility("default"))) int bo_plugin_init(const bo_plugin_host *h);

int bo_plugin_init(const bo_plugin_host *h)
{
    if (h->version < 1)
        return BO_ENOTSUP;
    host = h;
    const bo_driver *sqlite = h->driver_find("sqlite");
    if (!sqlite)
        return BO_ENOTSUP;
    log_driver.sql_id_primary_key = sqlite->sql_id_primary_key;
    log_driver.sql_blob = sqlite->sql_blob;
    log_driver.sql_clustered = sqlite->sql_clustered;
    if (!sqlite->last_insert_id)
        log_driver.last_insert_id = NULL;
    return h->driver_register(&log_driver);
}
