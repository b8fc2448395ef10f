/*
 * The built-in PostgreSQL driver (libpq): connection, transactions and the
 * error mapping. Write transactions run SERIALIZABLE; a serialization
 * failure or deadlock is BO_ECONFLICT, which the core retries (src/core/tx.c).
 * A lost connection is BO_EIO, and a COMMIT whose answer was lost is never
 * reported as success. See docs/architecture.md, "The PostgreSQL driver".
 */
#include "store/postgres/pg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bo__pg_fail(struct bo_driver_conn *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    /* libpq's messages end in newlines and may span lines: keep one line. */
    size_t n = strlen(c->msg);
    for (size_t i = 0; i < n; i++)
        if (c->msg[i] == '\n' || c->msg[i] == '\r' || c->msg[i] == '\t')
            c->msg[i] = ' ';
    while (n > 0 && c->msg[n - 1] == ' ')
        c->msg[--n] = '\0';
    return code;
}

int bo__pg_lost(const struct bo_driver_conn *c)
{
    return !c->pg || c->broken || PQstatus(c->pg) != CONNECTION_OK;
}

#define lost bo__pg_lost

/* SQLSTATE classes and codes -> bo_ codes. */
static int map_sqlstate(const char *st)
{
    if (!st || strlen(st) != 5)
        return BO_ERROR;
    if (!strcmp(st, "40001") || !strcmp(st, "40P01"))
        return BO_ECONFLICT;   /* serialization failure, deadlock */
    if (!strncmp(st, "23", 2))
        return BO_ECONSTRAINT; /* integrity constraint violation */
    if (!strcmp(st, "53100"))
        return BO_EFULL;       /* disk full */
    if (!strcmp(st, "53200"))
        return BO_ENOMEM;      /* out of memory (server) */
    if (!strncmp(st, "08", 2) || !strcmp(st, "57P01") || !strcmp(st, "57P02") ||
        !strcmp(st, "57P03") || !strncmp(st, "58", 2) || !strcmp(st, "53300"))
        return BO_EIO;         /* connection, shutdown, system errors */
    if (!strcmp(st, "55P03") || !strcmp(st, "57014"))
        return BO_EBUSY;       /* lock_timeout expired, statement cancelled */
    if (!strcmp(st, "22003"))
        return BO_EOVERFLOW;   /* numeric value out of range */
    if (!strcmp(st, "3D000"))
        return BO_ENOTFOUND;   /* no such database */
    if (!strncmp(st, "28", 2) || !strcmp(st, "42501"))
        return BO_EDENIED;     /* authorization, insufficient privilege */
    if (!strcmp(st, "XX001") || !strcmp(st, "XX002"))
        return BO_ECORRUPT;    /* data or index corrupted */
    if (!strcmp(st, "25P02"))
        return BO_ESTATE;      /* the transaction already failed */
    if (!strcmp(st, "54000") || !strcmp(st, "54001"))
        return BO_ELIMIT;      /* program limit exceeded */
    return BO_ERROR;
}

int bo__pg_result_error(struct bo_driver_conn *c, const PGresult *r,
                        const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    /* Every error of the server has a SQLSTATE: a failure without one is
     * libpq's own, made where no answer came (the server went away; libpq
     * may not have marked the connection bad yet, under a pipeline). */
    if (r && !state && PQresultStatus(r) == PGRES_FATAL_ERROR &&
        strcmp(PQresultErrorMessage(r), "out of memory\n") != 0)
        c->broken = 1;
    if (lost(c))
        /* This failure's own message: the connection's may still hold
         * those of earlier ones (libpq keeps them within a pipeline). */
        return bo__pg_fail(c, BO_EIO, "%s: the connection to the PostgreSQL "
                           "server was lost: %s", what,
                           r ? PQresultErrorMessage(r)
                             : c->pg ? PQerrorMessage(c->pg) : "no connection");
    int code = r ? map_sqlstate(state) : BO_ENOMEM;
    /* At REPEATABLE READ a key inserted by a writer beside this one that
     * committed after our snapshot is a unique violation where SERIALIZABLE
     * says 40001; every check of a posting comes before its writes, so the
     * only 23505 it can meet is such a race: run it again (on its lane,
     * then alone, where a true violation is reported as one). */
    if (code == BO_ECONSTRAINT && c->snapshot && c->in_tx && !strcmp(state, "23505"))
        code = BO_ECONFLICT;
    if (code == BO_ECONFLICT)
        c->conflicts++; /* the core runs it again: on its lane, then alone */
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (!primary)
        primary = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
    if (!r && !primary[0])
        primary = "out of memory in libpq";
    return bo__pg_fail(c, code, "%s: %s%s%s (SQLSTATE %s)", what, primary,
                       detail ? ": " : "", detail ? detail : "",
                       state ? state : "none");
}

void bo__pg_sync_tx(struct bo_driver_conn *c)
{
    switch (PQtransactionStatus(c->pg)) {
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
        c->in_tx = 1;
        break;
    case PQTRANS_IDLE:
        c->in_tx = 0;
        break;
    default: /* a command is running, or the connection is gone */
        break;
    }
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message; /* notices ("relation already exists, skipping") */
}

/* Session settings, after every (re)connection. */
static int configure(struct bo_driver_conn *c)
{
    PQsetNoticeProcessor(c->pg, quiet, NULL);
    char sql[256];
    /* BO_SYNC_OFF gives up the last commits on a server crash, never
     * consistency; FULL and NORMAL wait for the WAL flush. */
    snprintf(sql, sizeof sql,
             "SET synchronous_commit = %s; SET lock_timeout = %d",
             c->sync == BO_SYNC_OFF ? "off" : "on",
             c->lock_timeout_ms > 0 ? c->lock_timeout_ms : 1);
    c->trips++;
    PGresult *r = PQexec(c->pg, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0
           : bo__pg_result_error(c, r, "open: session settings");
    PQclear(r);
    return rc;
}

static PGconn *connect_to(const char *conninfo, const char *dbname);
static int take_mode(struct bo_driver_conn *c);

/* Drop what belonged to the old session. */
static void new_generation(struct bo_driver_conn *c)
{
    c->gen++;
    c->stale_len = 0;
    c->nstale = 0;
    c->in_tx = 0;
    c->active = NULL;
    c->lane = -1; /* the session's advisory lock went with it */
    c->snapshot = 0;
    c->seq_ahead = 0;
    c->pipe = 0;
    c->pipe_sync = 0;
    c->pend = 0;
    c->conflicts = 0;
    c->broken = 0;
}

/* Connect again from scratch: a new PGconn, since the old one may still
 * hold a pipeline's unread commands and earlier failures' messages. */
static int reconnect(struct bo_driver_conn *c)
{
    PQfinish(c->pg);
    c->pg = connect_to(c->conninfo, NULL);
    new_generation(c);
    if (!c->pg)
        return bo__pg_fail(c, BO_ENOMEM, "the connection to the PostgreSQL server "
                           "was lost and connecting again failed: out of memory");
    if (PQstatus(c->pg) != CONNECTION_OK)
        return bo__pg_fail(c, BO_EIO, "the connection to the PostgreSQL server "
                           "was lost and connecting again failed: %s",
                           PQerrorMessage(c->pg));
    int rc = configure(c);
    if (!rc)
        rc = take_mode(c); /* the old session's lock went with it */
    if (rc)
        c->broken = 1; /* not without its settings: again next time */
    return rc;
}

/* A broken connection whose server may still hold the transaction (and its
 * locks) open: closed now, not at the next call. */
static void drop_broken(struct bo_driver_conn *c)
{
    if (c->broken && c->pg && PQstatus(c->pg) == CONNECTION_OK) {
        PQfinish(c->pg);
        c->pg = NULL;
    }
}

int bo__pg_ready(struct bo_driver_conn *c)
{
    if (c->active)
        bo__pg_spill(c->active);
    if (c->pipe) {
        int rc = bo__pg_flush(c);
        if (rc)
            return rc;
    }
    if (c->pend) { /* a write's error that changes() could not return */
        int rc = c->pend;
        c->pend = 0;
        return bo__pg_fail(c, rc, "%s", c->pend_msg);
    }
    if (!lost(c))
        return 0;
    /* Its failure was told when it happened: libpq's message now would be
     * that earlier one (or several). */
    if (c->in_tx)
        return bo__pg_fail(c, BO_EIO, "the connection to the PostgreSQL server "
                           "was lost inside a transaction (roll it back)");
    /* No transaction was open: nothing is lost by connecting again. */
    return reconnect(c);
}

static PGconn *connect_to(const char *conninfo, const char *dbname)
{
    const char *keys[] = { "dbname", "dbname", "client_encoding",
                           "fallback_application_name", NULL };
    const char *vals[] = { conninfo, dbname, "UTF8", "libbackoffice", NULL };
    if (!dbname) { /* keep the conninfo's own database */
        keys[1] = "client_encoding";
        vals[1] = "UTF8";
        keys[2] = "fallback_application_name";
        vals[2] = "libbackoffice";
        keys[3] = NULL;
        vals[3] = NULL;
    }
    return PQconnectdbParams(keys, vals, 1);
}

/* The connection to @p dbname failed. Find out, through a maintenance
 * database, whether that database is missing (without relying on the
 * server's message language), and create it when asked to. 1: created,
 * 0: it exists (now, at least), negative: missing or failed. */
static int missing_database(struct bo_driver_conn *c, const char *conninfo,
                            const char *dbname, int create)
{
    static const char *const maintenance[] = { "postgres", "template1" };
    PGconn *m = NULL;
    for (size_t i = 0; i < 2 && !m; i++) {
        if (strcmp(dbname, maintenance[i]) == 0)
            return 0;
        m = connect_to(conninfo, maintenance[i]);
        if (PQstatus(m) != CONNECTION_OK) {
            PQfinish(m);
            m = NULL;
        }
    }
    if (!m)
        return 0;
    PQsetNoticeProcessor(m, quiet, NULL);
    const char *params[] = { dbname };
    PGresult *r = PQexecParams(m, "SELECT 1 FROM pg_database WHERE datname = $1",
                               1, NULL, params, NULL, NULL, 0);
    int exists = PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) > 0;
    PQclear(r);
    int rc = 0;
    if (!exists && !create) {
        rc = bo__pg_fail(c, BO_ENOTFOUND, "open: database \"%s\" does not exist",
                         dbname);
    } else if (!exists) {
        char *ident = PQescapeIdentifier(m, dbname, strlen(dbname));
        char *sql = ident ? bo__malloc(strlen(ident) + 32) : NULL;
        if (!sql) {
            rc = bo__pg_fail(c, BO_ENOMEM, "open: out of memory");
        } else {
            sprintf(sql, "CREATE DATABASE %s", ident);
            r = PQexec(m, sql);
            const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
            /* Made, or made by someone else just now: a concurrent creator
             * shows as 42P04 or, racing in the catalogue, 23505. */
            if (PQresultStatus(r) == PGRES_COMMAND_OK ||
                (st && (!strcmp(st, "42P04") || !strcmp(st, "23505"))))
                rc = 1;
            else {
                struct bo_driver_conn tmp = { .pg = m };
                rc = bo__pg_result_error(&tmp, r, "open: creating the database");
                memcpy(c->msg, tmp.msg, sizeof c->msg);
            }
            PQclear(r);
        }
        bo__free(sql);
        PQfreemem(ident);
    }
    PQfinish(m);
    return rc;
}

/* Several books may share a database, each in its own schema, chosen with
 * the search_path (URI "...?options=-csearch_path%3Dshop1"). When no
 * schema of the path exists, the store is missing: BO_ENOTFOUND, or with
 * create set, the first schema of the path is made. */
static int ensure_schema(struct bo_driver_conn *c, int create)
{
    c->trips++;
    PGresult *r = PQexec(c->pg, "SELECT current_schema(),"
                                " current_setting('search_path')");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = bo__pg_result_error(c, r, "open: search_path");
        PQclear(r);
        return rc;
    }
    if (!PQgetisnull(r, 0, 0)) {
        PQclear(r);
        return 0;
    }
    /* The first entry of the path, unquoted. */
    char name[256];
    const char *p = PQgetvalue(r, 0, 1);
    size_t n = 0;
    while (*p == ' ')
        p++;
    if (*p == '"') {
        for (p++; *p && n < sizeof name - 1; p++) {
            if (*p == '"' && p[1] != '"')
                break;
            if (*p == '"')
                p++;
            name[n++] = *p;
        }
    } else {
        while (*p && *p != ',' && *p != ' ' && n < sizeof name - 1)
            name[n++] = *p++;
    }
    name[n] = '\0';
    PQclear(r);
    if (!n || !strcmp(name, "$user"))
        return bo__pg_fail(c, BO_ENOTFOUND, "open: no schema of the search_path "
                           "exists");
    if (!create)
        return bo__pg_fail(c, BO_ENOTFOUND, "open: schema \"%s\" does not exist",
                           name);
    char *ident = PQescapeIdentifier(c->pg, name, n);
    char *sql = ident ? bo__malloc(strlen(ident) + 40) : NULL;
    int rc = 0;
    if (!sql) {
        rc = bo__pg_fail(c, BO_ENOMEM, "open: out of memory");
    } else {
        sprintf(sql, "CREATE SCHEMA IF NOT EXISTS %s", ident);
        c->trips++;
        r = PQexec(c->pg, sql);
        const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        /* two creators at once: the loser sees a duplicate */
        if (PQresultStatus(r) != PGRES_COMMAND_OK &&
            !(st && (!strcmp(st, "23505") || !strcmp(st, "42P06"))))
            rc = bo__pg_result_error(c, r, "open: creating the schema");
        PQclear(r);
    }
    bo__free(sql);
    PQfreemem(ident);
    return rc;
}

static int pg_open(const bo_driver *drv, const char *target,
                   const bo_driver_settings *s, bo_driver_conn **out)
{
    (void)drv;
    struct bo_driver_conn *c = bo__calloc(1, sizeof *c);
    if (!c)
        return BO_ENOMEM;
    *out = c; /* the caller reads errmsg and closes, even on failure */
    c->sync = s->sync;
    c->lock_timeout_ms = s->busy_timeout_ms;
    c->lane = -1;
    /* Side by side only when asked (BO_PG_LANES=1), for now
     * (docs/performance.md, "A lane's batch, its feed events set-wise").
     * Every handle on one book must ask alike: take_mode. */
    const char *lanes = getenv("BO_PG_LANES");
    c->lanes_on = lanes && strcmp(lanes, "1") == 0;
    const char *tries = getenv("BO_PG_LANE_TRIES");
    c->lane_tries = tries && atoi(tries) >= 1 && atoi(tries) <= BO__PG_TRIES_MAX
                  ? atoi(tries) : BO__PG_LANE_TRIES;
    const char *pipeline = getenv("BO_PG_PIPELINE");
    c->pipeline_on = !pipeline || strcmp(pipeline, "0") != 0;
    /* "postgresql://..." is a libpq URI; "postgresql:" alone means the PG*
     * environment; anything else is libpq's "key=value ..." form. */
    char *conninfo = bo__malloc(strlen(target) + 16);
    if (!conninfo)
        return bo__pg_fail(c, BO_ENOMEM, "open: out of memory");
    if (target[0] == '/' && target[1] == '/')
        sprintf(conninfo, "postgresql:%s", target);
    else
        strcpy(conninfo, target);
    int rc = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        c->pg = connect_to(conninfo, NULL);
        if (!c->pg) {
            rc = bo__pg_fail(c, BO_ENOMEM, "open: out of memory in libpq");
            break;
        }
        if (PQstatus(c->pg) == CONNECTION_OK) {
            if (!(rc = configure(c)) && !(rc = ensure_schema(c, s->create)))
                rc = take_mode(c);
            break;
        }
        rc = bo__pg_fail(c, BO_EIO, "open: cannot connect to PostgreSQL: %s",
                         PQerrorMessage(c->pg));
        char dbname[256];
        snprintf(dbname, sizeof dbname, "%s", PQdb(c->pg) ? PQdb(c->pg) : "");
        PQfinish(c->pg);
        c->pg = NULL;
        if (attempt > 0 || !dbname[0])
            break;
        /* Missing and not to be made, or making it failed: that error
         * stands. Otherwise connect once more: made by us, or there now
         * (another process made it between our connection and the look;
         * when something else was wrong, the second failure says so). */
        int m = missing_database(c, conninfo, dbname, s->create);
        if (m < 0) {
            rc = m;
            break;
        }
    }
    c->conninfo = conninfo; /* for connecting again */
    return rc;
}

/* One mode per book (docs/architecture.md, "Lanes of the audit chain",
 * one mode a book): writers on lanes give feed events no position and draw
 * record numbers from the sequence, writers taking turns position their
 * events themselves and number records one after the last, so a handle of
 * each on one book at once would break the feed's positions and meet in
 * the numbers. Every session holds, from its connection to its end, a
 * shared session-level advisory lock keyed by the book's schema and its
 * mode (BO__PG_MODE_TURNS or _LANES), then looks in pg_locks for a
 * session holding the other mode's key: none, no session of the other
 * mode is open; one, this one lets its own go and refuses with BO_EBUSY.
 * Each takes its own before it looks at the other's, so of two opening at
 * once at least one sees the other (both may be refused, never both let
 * in). It looks rather than trying the other key exclusively (as it did):
 * two openers of the same mode trying at once refused each other, and
 * eight writers opening together under load saw a refusal that named
 * the other mode with none open (postgres.test_pg_race). A reconnection
 * takes it again (reconnect). No schema (a NULL key) locks nothing:
 * ensure_schema has refused by then. */
static const char SQL_TAKE_MODE[] =
    "SELECT CASE WHEN k IS NULL THEN 1"
    " WHEN NOT pg_try_advisory_lock_shared(k, $1::int) THEN 0"
    " WHEN NOT EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'"
    " AND l.granted AND l.pid <> pg_backend_pid() AND l.objsubid = 2"
    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND l.classid = (k::bigint & 4294967295)::oid AND l.objid = $2::int::oid) THEN 1"
    " WHEN pg_advisory_unlock_shared(k, $1::int) THEN 0 ELSE 0 END, current_schema()"
    " FROM (SELECT hashtext(current_schema()) AS k) s";

static int take_mode(struct bo_driver_conn *c)
{
    if (c->mode_gen == c->gen + 1)
        return 0;
    char mine[8], other[8];
    snprintf(mine, sizeof mine, "%d", c->lanes_on ? BO__PG_MODE_LANES : BO__PG_MODE_TURNS);
    snprintf(other, sizeof other, "%d", c->lanes_on ? BO__PG_MODE_TURNS : BO__PG_MODE_LANES);
    const char *vals[2] = { mine, other };
    c->trips++;
    PGresult *r = PQexecParams(c->pg, SQL_TAKE_MODE, 2, NULL, vals, NULL, NULL, 0);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        rc = bo__pg_result_error(c, r, "open: the book's mode of writing");
    } else if (strcmp(PQgetvalue(r, 0, 0), "1") != 0) {
        const char *here = c->lanes_on ? "side by side on lanes (BO_PG_LANES=1)"
                                       : "taking turns (BO_PG_LANES unset or 0)";
        const char *there = c->lanes_on ? "taking turns (BO_PG_LANES unset or 0)"
                                         : "side by side on lanes (BO_PG_LANES=1)";
        rc = bo__pg_fail(c, BO_EBUSY, "open: the book in schema \"%s\" is open in "
                         "another process or handle whose writers run %s, and this "
                         "handle's writers would run %s: one book takes one mode at a "
                         "time, so set BO_PG_LANES alike for every handle, or open "
                         "this one once the others have closed",
                         PQgetvalue(r, 0, 1), there, here);
    } else {
        c->mode_gen = c->gen + 1;
    }
    PQclear(r);
    bo__pg_sync_tx(c);
    return rc;
}

static void pg_close(bo_driver_conn *c)
{
    if (!c)
        return;
    PQfinish(c->pg); /* the server rolls back an open transaction */
    bo__free(c->conninfo);
    bo__free(c->stale);
    bo__free(c);
}

static const char *pg_errmsg(bo_driver_conn *c)
{
    return c ? c->msg : "no connection";
}

/* Run a command that returns no rows (or rows nobody reads). */
static int run(struct bo_driver_conn *c, const char *sql, const char *what)
{
    c->trips++;
    PGresult *r = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        c->changes = strtoll(PQcmdTuples(r), NULL, 10);
    else
        rc = bo__pg_result_error(c, r, what);
    PQclear(r);
    bo__pg_sync_tx(c);
    return rc;
}

static int pg_exec(bo_driver_conn *c, const char *sql)
{
    int rc = bo__pg_ready(c);
    return rc ? rc : run(c, sql, "exec");
}

/* Write transactions run side by side (docs/architecture.md, "Lanes of
 * the audit chain"). Each session that writes holds one lane of the audit
 * chain, 1 to 64, by a session-level advisory lock keyed by the book's
 * schema, taken once before its first such transaction (outside any
 * transaction, so every snapshot it takes later sees the lane's last
 * record) and held until the connection ends: two open transactions never
 * append to the same lane. Writers take ROW EXCLUSIVE on bo_meta, which
 * they share; SERIALIZABLE keeps them consistent with each other.
 *
 * A transaction runs alone, taking SHARE ROW EXCLUSIVE on bo_meta (which
 * conflicts with itself and with ROW EXCLUSIVE, never with readers), when
 * the core asks (creating or upgrading a book, importing, reading the
 * chain's head), when no lane was free, and after serialization failures
 * or deadlocks: the core runs a transaction that conflicted again, on its
 * lane until c->lane_tries attempts have conflicted (most conflicts
 * between lanes are predicate locks on shared index pages and do not
 * recur), then alone, where it cannot conflict again: a hot row costs at
 * most that many retries, and a retry alone, which holds up every writer,
 * is the last resort.
 * LOCK TABLE, unlike a SELECT, does not fix the transaction's snapshot, so
 * the snapshot is taken after the lock and sees the previous writer's
 * commit. */
static const char SQL_BEGIN_ALONE[] =
    "BEGIN ISOLATION LEVEL SERIALIZABLE;"
    " LOCK TABLE bo_meta IN SHARE ROW EXCLUSIVE MODE";
static const char SQL_BEGIN_LANE[] =
    "BEGIN ISOLATION LEVEL SERIALIZABLE;"
    " LOCK TABLE bo_meta IN ROW EXCLUSIVE MODE";
/* A ledger posting on a lane (write 3): REPEATABLE READ, so that the
 * predicate locks of SERIALIZABLE on shared index pages no longer roll it
 * back. Its BEGIN also draws the number of its first audit record (after
 * the lock, by the statement that takes the snapshot: a number drawn then
 * is above those of every transaction it sees committed, as one drawn
 * later would be), which saves the posting a round trip; a posting that
 * appends nothing (a replay) leaves that number unused, a gap, as a
 * rollback does. Its writes are sent ahead (pipeline mode): without
 * SERIALIZABLE no other writer's fate depends on when the server runs
 * them. What still holds, and why every command that reads the ledger's
 * totals and writes from them runs alone: docs/architecture.md, "Isolation
 * of writers on lanes". */
static const char SQL_BEGIN_LANE_RR[] =
    "BEGIN ISOLATION LEVEL REPEATABLE READ;"
    " LOCK TABLE bo_meta IN ROW EXCLUSIVE MODE;"
    " SELECT nextval(pg_get_serial_sequence('audit_log', 'seq'))";
/* A transaction the host opened (write 4: bo_book_begin, a feed
 * consumer's handler) may read the ledger's totals and write from them.
 * PostgreSQL checks read/write dependencies only among SERIALIZABLE
 * transactions, so a posting at REPEATABLE READ committing meanwhile would
 * go unseen (write skew). SHARE on bo_meta conflicts with the ROW
 * EXCLUSIVE of every other writer and with itself not: such transactions
 * run beside each other, and never beside a posting at REPEATABLE READ (or
 * another lane writer), whose snapshot is taken after its lock, so one of
 * them always sees the other's commit. Alone (SHARE ROW EXCLUSIVE)
 * excludes it too. */
static const char SQL_BEGIN_LANE_HOST[] =
    "BEGIN ISOLATION LEVEL SERIALIZABLE;"
    " LOCK TABLE bo_meta IN SHARE MODE";
/* The first free lane; none (no row) when all 64 are held or no schema of
 * the search path exists yet (a NULL key locks nothing). */
static const char SQL_TAKE_LANE[] =
    "SELECT l FROM generate_series(1, 64) l"
    " WHERE pg_try_advisory_lock(hashtext(current_schema()), l) LIMIT 1";

static const char SQL_SYNC_SEQ[] =
    "SELECT setval(x.s, x.m) FROM (SELECT pg_get_serial_sequence('audit_log', 'seq') AS s,"
    " (SELECT MAX(seq) FROM audit_log) AS m) x"
    " WHERE x.m > COALESCE(pg_sequence_last_value(x.s::regclass), 0)";

static int take_lane(struct bo_driver_conn *c)
{
    c->trips++;
    PGresult *r = PQexec(c->pg, SQL_TAKE_LANE);
    int rc = 0;
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        rc = bo__pg_result_error(c, r, "begin: taking a lane of the audit chain");
    else if (PQntuples(r) == 1)
        c->lane = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    bo__pg_sync_tx(c);
    return rc;
}

static int begin_once(struct bo_driver_conn *c, int write)
{
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    c->piping = 0;
    c->snapshot = 0;
    c->seq_ahead = 0;
    if (!write) /* reads get one snapshot, like SQLite's read transaction */
        return run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ", "begin");
    int snap = write == 3, host = write == 4;
    if (write == 3 || write == 4)
        write = 2;
    if (write == 2 && !c->lanes_on)
        write = 1;
    if (write == 2 && c->lane < 0 && !c->in_tx && (rc = take_lane(c)))
        return rc;
    int lone_retry = write == 2 && c->conflicts >= c->lane_tries;
    int alone = write != 2 || lone_retry || c->lane < 0;
    c->trips++;
    PGresult *r = PQexec(c->pg, alone ? SQL_BEGIN_ALONE
                                : snap ? SQL_BEGIN_LANE_RR
                                : host ? SQL_BEGIN_LANE_HOST : SQL_BEGIN_LANE);
    const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    int drew = !alone && snap; /* the last statement is the number's */
    if (drew ? PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
             : PQresultStatus(r) == PGRES_COMMAND_OK) {
        if (drew)
            c->seq_ahead = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        bo__pg_sync_tx(c);
        c->alone = alone;
        c->snapshot = !alone && snap;
        c->piping = (alone || c->snapshot) && c->pipeline_on;
        if (alone) /* it cannot conflict with another writer */
            c->conflicts = 0;
        if (lone_retry)
            c->lone_retries++;
        /* Records numbered while writers took turns (one after the last)
         * leave the sequence behind: move it past them, alone. */
        if (c->lanes_on && alone && c->seq_synced != c->gen + 1) {
            if ((rc = run(c, SQL_SYNC_SEQ, "begin: the audit sequence"))) {
                if (c->in_tx && !lost(c))
                    run(c, "ROLLBACK", "begin");
                return rc;
            }
            c->seq_synced = c->gen + 1;
        }
        return 0;
    }
    if (!state || strcmp(state, "42P01") != 0) { /* not "no such table" */
        rc = bo__pg_result_error(c, r, "begin");
        PQclear(r);
        bo__pg_sync_tx(c);
        if (c->in_tx && !lost(c))
            run(c, "ROLLBACK", "begin");
        return rc;
    }
    PQclear(r);
    /* No book in this database yet (it is being created): nothing to lock. */
    if ((rc = run(c, "ROLLBACK", "begin")))
        return rc;
    c->alone = 1;
    c->piping = c->pipeline_on;
    return run(c, "BEGIN ISOLATION LEVEL SERIALIZABLE", "begin");
}

/* The lane this write transaction appends to: the session's own, or 0 for
 * one that runs alone without a lane. */
static int pg_audit_lane(bo_driver_conn *c)
{
    if (!c->lanes_on)
        return -1; /* writers take turns: one lane, numbered by the core */
    return c->lane > 0 ? c->lane : 0;
}

/* From the identity sequence of audit_log.seq: never the same number twice,
 * and never waits for another transaction (sequences are not rolled back). */
static int pg_audit_next_seq(bo_driver_conn *c, int64_t *out)
{
    if (c->seq_ahead > 0 && c->in_tx) { /* drawn by the BEGIN */
        *out = c->seq_ahead;
        c->seq_ahead = 0;
        return 0;
    }
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    if (c->seq_gen != c->gen + 1) {
        c->trips++;
        PGresult *r = PQprepare(c->pg, "bo_audit_seq",
                                "SELECT nextval(pg_get_serial_sequence('audit_log', 'seq'))",
                                0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            rc = bo__pg_result_error(c, r, "audit sequence");
        PQclear(r);
        bo__pg_sync_tx(c);
        if (rc)
            return rc;
        c->seq_gen = c->gen + 1;
    }
    c->trips++;
    PGresult *r = PQexecPrepared(c->pg, "bo_audit_seq", 0, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
        rc = bo__pg_result_error(c, r, "audit sequence");
    else
        *out = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    bo__pg_sync_tx(c);
    return rc;
}

static int pg_begin(bo_driver_conn *c, int write)
{
    int idle = !c->in_tx;
    int rc = begin_once(c, write);
    /* A connection that died while idle (server restart, an administrator)
     * is only found out by the next command: nothing had begun, so connect
     * again and begin once more. */
    if (rc == BO_EIO && idle && lost(c))
        rc = begin_once(c, write);
    /* A begin that failed is not rolled back by the caller: a transaction
     * it opened went with the connection (or goes with it when it is made
     * again), so the next call, outside one, connects again. */
    if (rc && lost(c)) {
        c->in_tx = 0;
        drop_broken(c);
    }
    return rc;
}

/* COMMIT behind the writes sent ahead, with one sync: one round trip for
 * both. The writes' answers are read first; when one failed the server
 * skipped the COMMIT (the transaction is failed, and the core rolls it
 * back), and that write's error is the answer, as it was when the writes
 * were read before the COMMIT was sent. */
static int commit_piped(struct bo_driver_conn *c)
{
    c->trips++;
    if (!PQsendQueryParams(c->pg, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQpipelineSync(c->pg)) {
        int rc = lost(c) ? bo__pg_fail(c, BO_EIO, "commit outcome unknown: the "
                                       "connection to the PostgreSQL server was lost "
                                       "during COMMIT: %s", PQerrorMessage(c->pg))
                         : bo__pg_result_error(c, NULL, "commit");
        c->pipe = 0;
        if (!lost(c))
            bo__pg_pipe_end(c);
        else
            c->in_tx = 0;
        return rc;
    }
    int failed = bo__pg_collect(c); /* the writes' first error */
    PGresult *r = lost(c) ? NULL : PQgetResult(c->pg);
    ExecStatusType st = PQresultStatus(r);
    int rc = 0;
    if (r && st == PGRES_COMMAND_OK) {
        if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
            rc = bo__pg_fail(c, BO_ESTATE, "commit: the transaction had failed "
                             "and was rolled back by the server");
    } else if (r && st == PGRES_PIPELINE_ABORTED && failed && !lost(c)) {
        rc = failed; /* skipped: nothing was committed */
    } else if (!r || lost(c)) {
        rc = bo__pg_fail(c, BO_EIO, "commit outcome unknown: the connection to "
                         "the PostgreSQL server was lost during COMMIT: %s",
                         PQerrorMessage(c->pg));
    } else {
        rc = bo__pg_result_error(c, r, "commit");
    }
    if (failed && !rc)
        rc = failed; /* cannot happen: a failed write aborts what follows */
    PQclear(r);
    if (r) {
        while ((r = PQgetResult(c->pg)) != NULL) /* the end of its answer */
            PQclear(r);
    }
    if (lost(c)) {
        c->in_tx = 0; /* the server ends it with the connection */
        return rc;
    }
    bo__pg_pipe_end(c);
    bo__pg_sync_tx(c);
    if (!rc)
        c->conflicts = 0;
    return rc;
}

static int pg_commit(bo_driver_conn *c)
{
    if (c->active)
        bo__pg_spill(c->active);
    if (c->pipe && !c->pend && !lost(c) && c->pipeline_on)
        return commit_piped(c);
    /* The writes sent ahead first: when one failed, nothing is committed
     * and its error is the answer (the core rolls back). */
    int failed = c->pipe ? bo__pg_flush(c) : 0;
    if (!failed && c->pend) {
        failed = bo__pg_fail(c, c->pend, "%s", c->pend_msg);
        c->pend = 0;
    }
    if (failed && !lost(c))
        return failed;
    if (lost(c)) {
        c->in_tx = 0;
        return bo__pg_fail(c, BO_EIO, "commit: the connection to the PostgreSQL "
                           "server was lost before COMMIT; nothing was committed");
    }
    c->trips++;
    PGresult *r = PQexec(c->pg, "COMMIT");
    int rc = 0;
    if (PQresultStatus(r) == PGRES_COMMAND_OK) {
        /* COMMIT of a transaction that had failed answers ROLLBACK. */
        if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
            rc = bo__pg_fail(c, BO_ESTATE, "commit: the transaction had failed "
                             "and was rolled back by the server");
    } else if (lost(c)) {
        /* The server may or may not have committed: never say it did. */
        rc = bo__pg_fail(c, BO_EIO, "commit outcome unknown: the connection to "
                         "the PostgreSQL server was lost during COMMIT: %s",
                         PQerrorMessage(c->pg));
    } else {
        rc = bo__pg_result_error(c, r, "commit");
    }
    PQclear(r);
    if (!rc)
        c->conflicts = 0;
    if (lost(c))
        c->in_tx = 0; /* the server ends it with the connection */
    else
        bo__pg_sync_tx(c);
    return rc;
}

static int pg_rollback(bo_driver_conn *c)
{
    if (c->active)
        bo__pg_spill(c->active);
    bo__pg_flush(c); /* whatever it says is undone now */
    c->pend = 0;
    if (lost(c)) {
        c->in_tx = 0; /* the server discarded it with the connection */
        drop_broken(c);
        return 0;
    }
    if (PQtransactionStatus(c->pg) == PQTRANS_IDLE) {
        c->in_tx = 0;
        return 0;
    }
    int rc = run(c, "ROLLBACK", "rollback");
    if (lost(c)) {
        c->in_tx = 0;
        rc = 0;
    }
    return rc;
}

static int64_t pg_changes(bo_driver_conn *c)
{
    if (c->pipe && !c->pend) {
        int rc = bo__pg_flush(c);
        if (rc) { /* the next command returns it */
            c->pend = rc;
            snprintf(c->pend_msg, sizeof c->pend_msg, "%s", c->msg);
            return 0;
        }
    }
    return c->changes;
}

/* After rows were inserted with explicit keys (a copied book), the identity
 * sequence must move past them or the next insert collides. */
static int pg_sync_identity(bo_driver_conn *c, const char *table,
                            const char *column)
{
    int rc = bo__pg_ready(c);
    if (rc)
        return rc;
    char *t = PQescapeIdentifier(c->pg, table, strlen(table));
    char *col = PQescapeIdentifier(c->pg, column, strlen(column));
    char *sql = t && col ? bo__malloc(strlen(t) + strlen(col) + 128) : NULL;
    if (!sql) {
        rc = bo__pg_fail(c, BO_ENOMEM, "sync_identity: out of memory");
    } else {
        sprintf(sql, "SELECT setval(pg_get_serial_sequence($1, $2),"
                " COALESCE(MAX(%s), 0) + 1, false) FROM %s", col, t);
        const char *params[] = { t, column };
        c->trips++;
        PGresult *r = PQexecParams(c->pg, sql, 2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = bo__pg_result_error(c, r, "sync_identity");
        PQclear(r);
        bo__pg_sync_tx(c);
    }
    bo__free(sql);
    PQfreemem(t);
    PQfreemem(col);
    return rc;
}

/* ---- dialect: full-text search, string aggregation ------------------------ */

/* A GIN expression index over the words of the column ('simple': no
 * stemming, no stop words, lower case), which the server keeps itself. */
static int pg_fts_index(bo_driver_conn *c, const bo_driver_fts *f, char *buf,
                        size_t cap)
{
    (void)c;
    return snprintf(buf, cap, "CREATE INDEX IF NOT EXISTS %1$s_fts ON %1$s"
                    " USING GIN (to_tsvector('simple', %2$s))", f->table, f->column);
}

static int pg_fts_match(bo_driver_conn *c, const bo_driver_fts *f, char *buf,
                        size_t cap)
{
    (void)c;
    return snprintf(buf, cap, "SELECT %s FROM %s WHERE to_tsvector('simple', %s)"
                    " @@ to_tsquery('simple', ?)", f->key, f->table, f->column);
}

/* tsquery: (a | b) & (c | d). */
static int pg_fts_query(bo_driver_conn *c, const char *const *terms, int ngroups,
                        int per_group, char *buf, size_t cap)
{
    (void)c;
    return bo__dialect_terms(terms, ngroups, per_group, "", " | ", " & ", buf, cap);
}

static int pg_string_agg(bo_driver_conn *c, const char *expr, const char *sep,
                         char *buf, size_t cap)
{
    (void)c;
    return snprintf(buf, cap, "STRING_AGG(%s, %s)", expr, sep);
}

const bo_driver bo__pg_driver = {
    .version = BO_DRIVER_VERSION,
    .scheme = "postgresql",
    .name = "PostgreSQL (libpq)",
    .sql_id_primary_key = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .sql_blob = "BYTEA",
    .sql_clustered = "",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .prepare = bo__pg_prepare,
    .bind_int64 = bo__pg_bind_int64,
    .bind_text = bo__pg_bind_text,
    .bind_null = bo__pg_bind_null,
    .step = bo__pg_step,
    .reset = bo__pg_reset,
    .finalize = bo__pg_finalize,
    .column_is_null = bo__pg_column_is_null,
    .column_int64 = bo__pg_column_int64,
    .column_text = bo__pg_column_text,
    .changes = pg_changes,
    .data_version = NULL, /* the core re-reads its caches per transaction */
    .last_insert_id = NULL, /* inserts use RETURNING */
    .sync_identity = pg_sync_identity,
    .sql_text_bytewise = " COLLATE \"C\"",
    .bind_blob = bo__pg_bind_blob,
    .column_blob = bo__pg_column_blob,
    .fts_index = pg_fts_index,
    .fts_match = pg_fts_match,
    .fts_query = pg_fts_query,
    .string_agg = pg_string_agg,
    .audit_lane = pg_audit_lane,
    .audit_next_seq = pg_audit_next_seq,
    .copy_rows = bo__pg_copy_rows,
};

uint64_t bo__pg_round_trips(const bo_driver_conn *c)
{
    return c ? c->trips : 0;
}

uint64_t bo__pg_lone_retries(const bo_driver_conn *c)
{
    return c ? c->lone_retries : 0;
}

uint64_t bo__pg_lane_epoch(const bo_driver_conn *c)
{
    if (!c || !c->lanes_on || c->lane <= 0)
        return 0;
    return ((uint64_t)c->gen << 8 | (uint64_t)c->lane) + 1;
}

uint64_t bo__pg_mode_epoch(const bo_driver_conn *c)
{
    return c && c->mode_gen == c->gen + 1 ? (uint64_t)c->mode_gen : 0;
}
