/*
 * PostgreSQL statements: `?` placeholders rewritten to `$n`, named prepared
 * statements (the core caches them), parameters sent as text, rows streamed
 * one at a time (PQsendQueryPrepared + PQsetSingleRowMode).
 */
#include "store/postgres/pg.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUMERICOID 1700 /* pg_type.h: SUM() over bigint gives numeric */

/* Copy a quoted run starting at p (p[0] is the quote) through its closing
 * quote; a doubled quote stays inside. Returns the end. */
static const char *skip_quoted(const char *p)
{
    char q = *p++;
    while (*p) {
        if (*p == q) {
            if (p[1] != q)
                return p + 1;
            p++;
        }
        p++;
    }
    return p;
}

char *bo__pg_rewrite(const char *sql, int *nparams)
{
    bo__buf b = BO__BUF_INIT;
    int max = 0;
    const char *p = sql;
    while (*p) {
        const char *start = p;
        if (*p == '\'' || *p == '"') {
            p = skip_quoted(p);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (*p == '?') {
            /* SQLite's rule: ?NNN is parameter NNN, a bare ? is one more
             * than the largest number used so far. */
            int n = 0;
            p++;
            if (*p >= '0' && *p <= '9') {
                while (*p >= '0' && *p <= '9' && n < 100000)
                    n = n * 10 + (*p++ - '0');
            } else {
                n = max + 1;
            }
            if (n > max)
                max = n;
            bo__buf_printf(&b, "$%d", n);
            continue;
        } else {
            p++;
        }
        bo__buf_put(&b, start, (size_t)(p - start));
    }
    bo__buf_put(&b, "", 1);
    if (b.failed) {
        bo__buf_free(&b);
        return NULL;
    }
    *nparams = max;
    return b.ptr;
}

int bo__pg_parse_int64(const char *t, int64_t *out)
{
    *out = 0;
    if (!t)
        return 0;
    if (t[0] == 't' && t[1] == '\0') {
        *out = 1;
        return 0;
    }
    int neg = *t == '-';
    if (*t == '-' || *t == '+')
        t++;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *t >= '0' && *t <= '9'; t++) {
        unsigned d = (unsigned)(*t - '0');
        if (v > (limit - d) / 10) {
            *out = neg ? INT64_MIN : INT64_MAX;
            return -1;
        }
        v = v * 10 + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

/* ---- statements -------------------------------------------------------- */

static int prepare_named(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    snprintf(s->name, sizeof s->name, "bo_%llu", (unsigned long long)++c->next_name);
    c->trips++;
    PGresult *r = PQprepare(c->pg, s->name, s->sql, s->nparams, NULL);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0
           : bo__pg_result_error(c, r, "prepare");
    PQclear(r);
    bo__pg_sync_tx(c);
    if (!rc)
        s->gen = c->gen;
    return rc;
}

int bo__pg_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **out)
{
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    struct bo_driver_stmt *s = bo__calloc(1, sizeof *s);
    if (!s || !(s->sql = bo__pg_rewrite(sql, &s->nparams)) ||
        (s->nparams > 0 &&
         !(s->values = bo__calloc((size_t)s->nparams, sizeof *s->values)))) {
        if (s)
            bo__free(s->sql);
        bo__free(s);
        return bo__pg_fail(c, BO_ENOMEM, "prepare: out of memory");
    }
    s->conn = c;
    s->final = BO_DRIVER_DONE;
    const char *p = s->sql;
    while (*p == ' ' || *p == '\n')
        p++;
    s->reads = strncmp(p, "SELECT", 6) == 0;
    /* A write whose caller learns nothing from its answer but success: no
     * rows (RETURNING), and a count that says more than "done" only where
     * a conflict may skip the row (DO NOTHING); changes() still reads it. */
    s->later = (strncmp(p, "INSERT", 6) == 0 || strncmp(p, "UPDATE", 6) == 0 ||
                strncmp(p, "DELETE", 6) == 0) &&
               !strstr(p, "RETURNING") && !strstr(p, "DO NOTHING");
    s->undo = strncmp(p, "ROLLBACK", 8) == 0;
    int idle = !c->in_tx;
    rc = prepare_named(s);
    if (rc == BO_EIO && idle && bo__pg_lost(c) && !(rc = bo__pg_ready(c)))
        rc = prepare_named(s); /* the connection had died while idle */
    if (rc) {
        bo__free(s->values);
        bo__free(s->sql);
        bo__free(s);
        return rc;
    }
    *out = s;
    return 0;
}

static int param_slot(struct bo_driver_stmt *s, int idx)
{
    if (idx < 1 || idx > s->nparams)
        return bo__pg_fail(s->conn, BO_ERROR, "bind: parameter %d of %d", idx,
                           s->nparams);
    bo__free(s->values[idx - 1]);
    s->values[idx - 1] = NULL;
    return 0;
}

int bo__pg_bind_int64(bo_driver_stmt *s, int idx, int64_t v)
{
    int rc = param_slot(s, idx);
    if (rc)
        return rc;
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    if (!(s->values[idx - 1] = bo__strdup(num)))
        return bo__pg_fail(s->conn, BO_ENOMEM, "bind: out of memory");
    return 0;
}

int bo__pg_bind_text(bo_driver_stmt *s, int idx, const char *t, size_t len)
{
    int rc = param_slot(s, idx);
    if (rc)
        return rc;
    if (memchr(t, '\0', len))
        return bo__pg_fail(s->conn, BO_EINVAL, "bind: parameter %d: PostgreSQL "
                           "text cannot hold a NUL byte", idx);
    if (!(s->values[idx - 1] = bo__strndup(t, len)))
        return bo__pg_fail(s->conn, BO_ENOMEM, "bind: out of memory");
    return 0;
}

int bo__pg_bind_null(bo_driver_stmt *s, int idx)
{
    return param_slot(s, idx);
}

/* Read the final results of the streaming statement after an end or an
 * error, so the connection is free again. */
static void drain(struct bo_driver_conn *c)
{
    PGresult *r;
    while ((r = PQgetResult(c->pg)) != NULL)
        PQclear(r);
    c->active = NULL;
    if (c->pipe_sync)
        bo__pg_pipe_end(c);
    bo__pg_sync_tx(c);
}

/* ---- pipeline mode -------------------------------------------------------
 * Inside a write transaction that runs alone, a write whose answer nobody
 * reads (s->later) is only sent: libpq's pipeline mode keeps it in the
 * connection's buffer. (Beside other writers, on a lane, the server must
 * run each write when the caller made it: SERIALIZABLE judges the order.)
 * The next statement that needs an answer goes after it in the same
 * pipeline, with one sync: one round trip for all of them. The writes'
 * answers are read first; when one failed, the server skipped everything
 * after it up to the sync, and that first error, with its own code and
 * message, is what the statement that needed an answer returns (the
 * transaction is then failed, as it would have been at the write). COMMIT,
 * changes() and every other command read the answers first. */

void bo__pg_pipe_end(struct bo_driver_conn *c)
{
    c->pipe_sync = 0;
    /* Each command's answer ends with a NULL; two in a row: nothing more
     * is coming (no sync was sent). */
    for (int nulls = 0; nulls < 2 && !bo__pg_lost(c);) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            nulls++;
            continue;
        }
        nulls = 0;
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_FATAL_ERROR && !PQresultErrorField(r, PG_DIAG_SQLSTATE))
            c->broken = 1; /* libpq's own: the server went away */
        PQclear(r);
        if (st == PGRES_PIPELINE_SYNC)
            break;
    }
    /* A lost connection is made again, with a new PGconn (bo__pg_ready):
     * asking this one to leave would only add a message to its own. A live
     * one that cannot leave is out of step with its server: it counts as
     * lost too. */
    if (!bo__pg_lost(c) && !PQexitPipelineMode(c->pg))
        c->broken = 1;
}

/* Read the answers of the writes sent ahead; the first error. */
int bo__pg_collect(struct bo_driver_conn *c)
{
    int rc = 0;
    while (c->pipe > 0) {
        PGresult *r = PQgetResult(c->pg);
        if (!r) {
            if (!rc)
                rc = bo__pg_result_error(c, NULL, "step");
            c->pipe = 0;
            break;
        }
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
            c->changes = strtoll(PQcmdTuples(r), NULL, 10);
        else if (st != PGRES_PIPELINE_ABORTED && !rc)
            rc = bo__pg_result_error(c, r, "step");
        PQclear(r);
        while ((r = PQgetResult(c->pg)) != NULL) /* the end of its answer */
            PQclear(r);
        c->pipe--;
    }
    return rc;
}

int bo__pg_flush(struct bo_driver_conn *c)
{
    if (!c->pipe)
        return 0;
    c->trips++;
    int rc = PQpipelineSync(c->pg) ? bo__pg_collect(c) : bo__pg_result_error(c, NULL, "step");
    c->pipe = 0;
    bo__pg_pipe_end(c);
    bo__pg_sync_tx(c);
    return rc;
}

/* Send s after the writes in the pipeline, then the sync; read the
 * writes' answers. s streams as usual afterwards. */
static int start_piped(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    c->trips++;
    if (!PQsendQueryPrepared(c->pg, s->name, s->nparams,
                             (const char *const *)s->values, NULL, NULL, 0) ||
        !PQpipelineSync(c->pg)) {
        int rc = bo__pg_result_error(c, NULL, "step");
        c->pipe = 0;
        bo__pg_pipe_end(c);
        return rc;
    }
    int rc = bo__pg_collect(c);
    c->pipe_sync = 1;
    if (rc) { /* s was skipped: read its answer and the sync */
        PGresult *r;
        while ((r = PQgetResult(c->pg)) != NULL)
            PQclear(r);
        bo__pg_pipe_end(c);
        bo__pg_sync_tx(c);
        return rc;
    }
    PQsetSingleRowMode(c->pg);
    c->active = s;
    s->state = BO__PG_STREAMING;
    return 0;
}

/* Send a write whose answer nobody reads now. */
static int send_later(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    if (c->active)
        bo__pg_spill(c->active);
    if (c->pend || bo__pg_lost(c) || s->gen != c->gen) {
        int rc = bo__pg_ready(c);
        if (!rc && s->gen != c->gen)
            rc = prepare_named(s);
        if (rc)
            return rc;
    }
    if (PQpipelineStatus(c->pg) == PQ_PIPELINE_OFF && !PQenterPipelineMode(c->pg))
        return bo__pg_result_error(c, NULL, "step");
    if (!PQsendQueryPrepared(c->pg, s->name, s->nparams,
                             (const char *const *)s->values, NULL, NULL, 0)) {
        int rc = bo__pg_result_error(c, NULL, "step");
        bo__pg_flush(c);
        return rc;
    }
    c->pipe++;
    c->changes = 1;
    /* Keep the answers waiting in the server's socket small. */
    return c->pipe >= 256 ? bo__pg_flush(c) : 0;
}

static void finish(struct bo_driver_stmt *s, int code)
{
    s->state = BO__PG_FINISHED;
    s->final = code;
    bo__free(s->final_msg);
    s->final_msg = code < 0 ? bo__strdup(s->conn->msg) : NULL;
}

/* Take the connection's next result for s: a row (ROW), the end (DONE) or
 * an error. */
static int next_result(struct bo_driver_stmt *s, PGresult **row)
{
    struct bo_driver_conn *c = s->conn;
    PGresult *r = PQgetResult(c->pg);
    ExecStatusType st = PQresultStatus(r);
    if (r && st == PGRES_SINGLE_TUPLE) {
        *row = r;
        return BO_DRIVER_ROW;
    }
    int rc = BO_DRIVER_DONE;
    if (r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK))
        c->changes = strtoll(PQcmdTuples(r), NULL, 10);
    else if (r || PQstatus(c->pg) != CONNECTION_OK)
        rc = bo__pg_result_error(c, r, "step");
    PQclear(r);
    if (r) {
        drain(c);
    } else {
        c->active = NULL;
        if (c->pipe_sync)
            bo__pg_pipe_end(c);
    }
    bo__pg_sync_tx(c);
    finish(s, rc);
    return rc;
}

void bo__pg_spill(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    while (c->active == s) {
        PGresult *row = NULL;
        if (next_result(s, &row) != BO_DRIVER_ROW)
            break;
        if (s->qhead + s->qlen == s->qcap) {
            if (s->qhead > 0) {
                memmove(s->queue, s->queue + s->qhead, s->qlen * sizeof *s->queue);
                s->qhead = 0;
            } else {
                size_t cap = s->qcap ? s->qcap * 2 : 64;
                PGresult **q = bo__realloc(s->queue, cap * sizeof *q);
                if (!q) {
                    PQclear(row);
                    drain(c);
                    bo__pg_fail(c, BO_ENOMEM, "step: out of memory keeping rows");
                    finish(s, BO_ENOMEM);
                    break;
                }
                s->queue = q;
                s->qcap = cap;
            }
        }
        s->queue[s->qhead + s->qlen++] = row;
    }
}

/* A row is ready in s->row: numbers the engine widened (numeric sums) must
 * still fit in int64, as SQLite's SUM would have failed otherwise. */
static int deliver(struct bo_driver_stmt *s)
{
    int n = PQnfields(s->row);
    for (int i = 0; i < n; i++) {
        int64_t v;
        if (PQftype(s->row, i) == NUMERICOID && !PQgetisnull(s->row, 0, i) &&
            bo__pg_parse_int64(PQgetvalue(s->row, 0, i), &v) != 0) {
            /* The value itself is not quoted: it may be protected data. */
            int rc = bo__pg_fail(s->conn, BO_EOVERFLOW, "step: column %d: a sum "
                                 "that does not fit in 64 bits", i + 1);
            PQclear(s->row);
            s->row = NULL;
            if (s->conn->active == s)
                drain(s->conn);
            finish(s, rc);
            return rc;
        }
    }
    return BO_DRIVER_ROW;
}

static int start(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    if (c->pipe && s->undo) {
        bo__pg_flush(c); /* what failed there is undone now */
        c->pend = 0;
    }
    if (c->pipe && !c->pend && s->gen == c->gen) {
        if (c->active)
            bo__pg_spill(c->active);
        if (!bo__pg_lost(c)) {
            s->fresh = 0;
            return start_piped(s);
        }
    }
    int rc = bo__pg_ready(c);
    if (!rc && s->gen != c->gen)
        rc = prepare_named(s); /* the connection was made again */
    if (rc)
        return rc;
    s->fresh = s->reads && !c->in_tx;
    c->trips++;
    if (!PQsendQueryPrepared(c->pg, s->name, s->nparams,
                             (const char *const *)s->values, NULL, NULL, 0))
        return bo__pg_result_error(c, NULL, "step");
    PQsetSingleRowMode(c->pg);
    c->active = s;
    s->state = BO__PG_STREAMING;
    return 0;
}

int bo__pg_step(bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    PQclear(s->row);
    s->row = NULL;
    if (s->state == BO__PG_IDLE && s->later && c->in_tx && c->piping) {
        int rc = send_later(s);
        if (rc)
            return rc;
        finish(s, BO_DRIVER_DONE);
        return BO_DRIVER_DONE;
    }
    if (s->state == BO__PG_IDLE) {
        int idle = s->reads && !c->in_tx;
        int rc = start(s);
        if (rc == BO_EIO && idle && bo__pg_lost(c))
            rc = start(s);
        if (rc)
            return rc;
    }
    if (s->qlen > 0) {
        s->row = s->queue[s->qhead++];
        s->qlen--;
        return deliver(s);
    }
    if (s->state == BO__PG_FINISHED) {
        if (s->final < 0)
            bo__pg_fail(c, s->final, "%s", s->final_msg ? s->final_msg : "step failed");
        return s->final;
    }
    int fresh = s->fresh;
    s->fresh = 0;
    int rc = next_result(s, &s->row);
    if (rc == BO_EIO && fresh && bo__pg_lost(c)) {
        /* A read outside a transaction found the connection dead before
         * any row: nothing happened, so connect again and read again. */
        s->state = BO__PG_IDLE;
        if (!(rc = start(s)))
            rc = next_result(s, &s->row);
    }
    return rc == BO_DRIVER_ROW ? deliver(s) : rc;
}

int bo__pg_reset(bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    if (c->active == s)
        drain(c); /* throw the rest away */
    PQclear(s->row);
    s->row = NULL;
    while (s->qlen > 0) {
        PQclear(s->queue[s->qhead++]);
        s->qlen--;
    }
    s->qhead = 0;
    s->state = BO__PG_IDLE;
    s->final = BO_DRIVER_DONE;
    bo__free(s->final_msg);
    s->final_msg = NULL;
    for (int i = 0; i < s->nparams; i++) {
        bo__free(s->values[i]);
        s->values[i] = NULL;
    }
    return 0;
}

/* Prepared statements live as long as the session: forget them in batches,
 * and only between transactions, where a failing DEALLOCATE can harm no
 * one's transaction. */
static void deallocate(struct bo_driver_stmt *s)
{
    struct bo_driver_conn *c = s->conn;
    if (s->gen != c->gen || !s->name[0])
        return;
    size_t need = strlen(s->name) + 16;
    if (c->stale_len + need > c->stale_cap) {
        size_t cap = c->stale_cap ? c->stale_cap * 2 : 1024;
        while (cap < c->stale_len + need)
            cap *= 2;
        char *p = bo__realloc(c->stale, cap);
        if (!p)
            return; /* it stays prepared until the session ends */
        c->stale = p;
        c->stale_cap = cap;
    }
    c->stale_len += (size_t)sprintf(c->stale + c->stale_len, "DEALLOCATE %s;", s->name);
    c->nstale++;
    if (c->nstale < 32 || c->active || PQstatus(c->pg) != CONNECTION_OK ||
        PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        return;
    c->trips++;
    PGresult *r = PQexec(c->pg, c->stale);
    PQclear(r);
    c->stale_len = 0;
    c->nstale = 0;
}

void bo__pg_finalize(bo_driver_stmt *s)
{
    if (!s)
        return;
    bo__pg_reset(s);
    deallocate(s);
    bo__free(s->queue);
    bo__free(s->values);
    bo__free(s->sql);
    bo__free(s);
}

int bo__pg_column_is_null(bo_driver_stmt *s, int col)
{
    return !s->row || col < 0 || col >= PQnfields(s->row) ||
           PQgetisnull(s->row, 0, col);
}

int64_t bo__pg_column_int64(bo_driver_stmt *s, int col)
{
    int64_t v = 0;
    if (!bo__pg_column_is_null(s, col))
        bo__pg_parse_int64(PQgetvalue(s->row, 0, col), &v);
    return v;
}

const char *bo__pg_column_text(bo_driver_stmt *s, int col, size_t *len)
{
    if (bo__pg_column_is_null(s, col)) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = (size_t)PQgetlength(s->row, 0, col);
    return PQgetvalue(s->row, 0, col);
}

/* Bytes for a BYTEA parameter: sent as text in PostgreSQL's hex input
 * format ("\\x0a1b..."), so parameters stay text like all the others. */
int bo__pg_bind_blob(bo_driver_stmt *s, int idx, const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    int rc = param_slot(s, idx);
    if (rc)
        return rc;
    if (len > (SIZE_MAX - 3) / 2)
        return bo__pg_fail(s->conn, BO_ELIMIT, "bind: parameter %d: too long", idx);
    char *t = bo__malloc(2 * len + 3);
    if (!t)
        return bo__pg_fail(s->conn, BO_ENOMEM, "bind: out of memory");
    const unsigned char *p = data;
    t[0] = '\\';
    t[1] = 'x';
    for (size_t i = 0; i < len; i++) {
        t[2 + 2 * i] = digits[p[i] >> 4];
        t[3 + 2 * i] = digits[p[i] & 15];
    }
    t[2 + 2 * len] = '\0';
    s->values[idx - 1] = t;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Results are text: a BYTEA column arrives in hex output format (the
 * default bytea_output). */
int bo__pg_column_blob(bo_driver_stmt *s, int col, void *buf, size_t cap,
                       size_t *len)
{
    size_t n = 0;
    const char *t = bo__pg_column_text(s, col, &n);
    *len = 0;
    if (!t)
        return 0;
    if (n < 2 || t[0] != '\\' || t[1] != 'x' || n % 2)
        return bo__pg_fail(s->conn, BO_ERROR, "column %d: not a hex bytea value", col);
    *len = (n - 2) / 2;
    if (*len > cap)
        return BO_ELIMIT;
    unsigned char *out = buf;
    for (size_t i = 0; i < *len; i++) {
        int hi = hexval(t[2 + 2 * i]), lo = hexval(t[3 + 2 * i]);
        if (hi < 0 || lo < 0)
            return bo__pg_fail(s->conn, BO_ERROR, "column %d: not a hex bytea value", col);
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}
