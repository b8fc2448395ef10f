/*
 * Wake-ups for the change feed (docs/architecture.md, "The change feed"):
 * a session LISTENs on a channel once, then waits on the connection's
 * socket until the server delivers a notification or the time runs out.
 * NOTIFY itself is plain SQL run inside the writer's transaction (the
 * server delivers it at commit, never for a rollback).
 */
#include "store/postgres/pg.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drop the notifications already read: true when there was one. */
static int drain(PGconn *pg)
{
    int got = 0;
    PGnotify *n;
    while ((n = PQnotifies(pg))) {
        got = 1;
        PQfreemem(n);
    }
    return got;
}

int bo__pg_listen(bo_driver_conn *c, const char *channel)
{
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    char *quoted = PQescapeIdentifier(c->pg, channel, strlen(channel));
    if (!quoted)
        return bo__pg_fail(c, BO_ENOMEM, "listen: %s", PQerrorMessage(c->pg));
    char sql[160];
    snprintf(sql, sizeof sql, "LISTEN %s", quoted);
    PQfreemem(quoted);
    c->trips++;
    PGresult *r = PQexec(c->pg, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = bo__pg_result_error(c, r, "listen");
    PQclear(r);
    bo__pg_sync_tx(c);
    return rc;
}

int bo__pg_wait(bo_driver_conn *c, int timeout_ms, int *woken)
{
    *woken = 0;
    if (c->in_tx) /* notifications arrive between transactions only */
        return bo__pg_fail(c, BO_ESTATE, "wait: a transaction is open");
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    int64_t end = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        if (!PQconsumeInput(c->pg))
            return bo__pg_fail(c, BO_EIO, "wait: %s", PQerrorMessage(c->pg));
        if (drain(c->pg)) {
            *woken = 1;
            return 0;
        }
        int64_t left = end - now_ms();
        if (left <= 0)
            return 0;
        struct pollfd p = { PQsocket(c->pg), POLLIN, 0 };
        if (p.fd < 0)
            return bo__pg_fail(c, BO_EIO, "wait: the connection has no socket");
        int n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
        if (n < 0 && errno != EINTR)
            return bo__pg_fail(c, BO_EIO, "wait: poll: %s", strerror(errno));
    }
}
