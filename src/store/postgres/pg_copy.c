/*
 * Rows appended in bulk (bo_driver.copy_rows): COPY table (columns) FROM
 * STDIN in text format. The rows are made first (nothing is sent when they
 * cannot be), then the command, the data and its end: two round trips
 * whatever the number of rows, and one executor start on the server
 * instead of one a statement of 64 rows (docs/performance.md, "PostgreSQL,
 * one client, batched: COPY"). COPY cannot run in libpq's pipeline mode:
 * the writes sent ahead are read first (bo__pg_ready), and their first
 * error is the answer.
 */
#include "store/postgres/pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One value in COPY's text format: a backslash, tab, newline and carriage
 * return escaped (a backslash never reaches the server alone, so no value
 * can read as "\N" or the end-of-data marker "\."). */
static void put_value(bo__buf *b, const char *v)
{
    if (!v) {
        bo__buf_put(b, "\\N", 2);
        return;
    }
    for (;;) {
        size_t run = strcspn(v, "\\\t\n\r");
        bo__buf_put(b, v, run);
        v += run;
        if (!*v)
            return;
        char esc[2] = { '\\', *v == '\\' ? '\\' : *v == '\t' ? 't' : *v == '\n' ? 'n' : 'r' };
        bo__buf_put(b, esc, 2);
        v++;
    }
}

/* libpq takes the data in pieces of at most INT_MAX bytes. */
#define PIECE (1 << 20)

int bo__pg_copy_rows(bo_driver_conn *c, const char *table, const char *columns, int ncols,
                     size_t nrows, const char *const *values)
{
    char what[96];
    snprintf(what, sizeof what, "copy into %s", table);
    bo__buf data = BO__BUF_INIT, sql = BO__BUF_INIT;
    for (size_t i = 0; i < nrows; i++)
        for (int k = 0; k < ncols; k++) {
            put_value(&data, values[i * (size_t)ncols + (size_t)k]);
            bo__buf_put(&data, k + 1 < ncols ? "\t" : "\n", 1);
        }
    bo__buf_printf(&sql, "COPY %s (%s) FROM STDIN", table, columns);
    if (data.failed || sql.failed) {
        bo__buf_free(&data);
        bo__buf_free(&sql);
        return bo__pg_fail(c, BO_ENOMEM, "%s: out of memory", what);
    }
    int rc = bo__pg_ready(c);
    if (!rc && PQpipelineStatus(c->pg) != PQ_PIPELINE_OFF && !PQexitPipelineMode(c->pg)) {
        c->broken = 1; /* out of step with its server: made again next time */
        rc = bo__pg_result_error(c, NULL, what);
    }
    if (rc)
        goto out;
    c->trips++;
    PGresult *r = PQexec(c->pg, sql.ptr);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        rc = bo__pg_result_error(c, r, what);
        PQclear(r);
        while ((r = PQgetResult(c->pg)) != NULL)
            PQclear(r);
        bo__pg_sync_tx(c);
        goto out;
    }
    PQclear(r);
    int sent = 1;
    for (size_t at = 0; sent && at < data.len; at += PIECE) {
        size_t n = data.len - at < PIECE ? data.len - at : PIECE;
        sent = PQputCopyData(c->pg, data.ptr + at, (int)n) == 1;
    }
    /* A piece not sent: the server is told to fail the COPY (nothing of it
     * stays), and the answer below says why. */
    if (PQputCopyEnd(c->pg, sent ? NULL : "the rows could not be sent") != 1)
        sent = 0;
    c->trips++;
    int got = 0;
    while ((r = PQgetResult(c->pg)) != NULL) {
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            c->changes = strtoll(PQcmdTuples(r), NULL, 10);
            got = 1;
        } else if (!rc) {
            rc = bo__pg_result_error(c, r, what);
        }
        PQclear(r);
    }
    bo__pg_sync_tx(c);
    if (!rc && (!got || !sent))
        rc = bo__pg_result_error(c, NULL, what);
    else if (!rc && c->changes != (int64_t)nrows)
        rc = bo__pg_fail(c, BO_ERROR, "%s: %lld rows written of %zu", what,
                         (long long)c->changes, nrows);
out:
    bo__buf_free(&data);
    bo__buf_free(&sql);
    return rc;
}
