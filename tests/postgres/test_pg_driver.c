/*
 * The PostgreSQL driver itself: placeholders, exact int64 (numeric sums),
 * the SQLSTATE mapping (constraint, serialization failure, deadlock, lock
 * timeout), the write lock, the core's retry bound, streaming without
 * holding rows, connection loss (inside and outside a transaction, with
 * writes sent ahead, and a COMMIT whose answer is lost), URIs that use the PG* environment, and
 * byte-wise text order in a database whose collation ignores punctuation.
 */
#include "pg_fixture.h"

#include "backoffice/sys/driver.h"
#include "store/postgres/pg.h"
#include "store/store.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static const bo_driver *pg(void)
{
    const bo_driver *d = bo_driver_find("postgresql");
    ck_assert_ptr_nonnull(d);
    return d;
}

static bo_driver_conn *open_conn(const char *uri)
{
    bo_driver_settings set = { 1, 5000, BO_SYNC_OFF, 1 };
    bo_driver_conn *c = NULL;
    int rc = pg()->open(pg(), bo_test_target(uri), &set, &c);
    ck_assert_msg(rc == 0, "open %s: %d %s", uri, rc, pg()->errmsg(c));
    return c;
}

static void exec_ok(bo_driver_conn *c, const char *sql)
{
    int rc = pg()->exec(c, sql);
    ck_assert_msg(rc == 0, "%s: %d %s", sql, rc, pg()->errmsg(c));
}

/* Run a one-row query; its first column as text into out. */
static int query1(bo_driver_conn *c, const char *sql, char *out, size_t size)
{
    bo_driver_stmt *s = NULL;
    int rc = pg()->prepare(c, sql, &s);
    if (rc)
        return rc;
    rc = pg()->step(s);
    if (rc == BO_DRIVER_ROW) {
        const char *t = pg()->column_text(s, 0, NULL);
        snprintf(out, size, "%s", t ? t : "(null)");
        rc = 0;
    }
    pg()->finalize(s);
    return rc;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *raw(const char *uri)
{
    char info[4200];
    snprintf(info, sizeof info, "postgresql:%s", bo_test_target(uri));
    PGconn *r = PQconnectdb(info);
    ck_assert_msg(PQstatus(r) == CONNECTION_OK, "%s", PQerrorMessage(r));
    PQsetNoticeProcessor(r, quiet, NULL);
    return r;
}

static void raw_ok(PGconn *r, const char *sql)
{
    PGresult *res = PQexec(r, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK ||
                  PQresultStatus(res) == PGRES_TUPLES_OK, "%s: %s", sql,
                  PQresultErrorMessage(res));
    PQclear(res);
}

static bo_book *open_book(const char *uri, int create, int busy_ms)
{
    bo_book_options o = bo_pg_options(create);
    o.busy_timeout_ms = busy_ms;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    return b;
}

static int post1(bo_book *b, int64_t amount)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, 20454, "m");
    if (!rc) rc = bo_entry_add(e, "1000", amount, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "3000", -amount, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    return rc;
}

/* ---- pure functions --------------------------------------------------------- */

START_TEST(placeholders_rewritten)
{
    static const struct { const char *in, *out; int n; } cases[] = {
        { "SELECT ?", "SELECT $1", 1 },
        { "a = ? AND b = ? OR c = ?", "a = $1 AND b = $2 OR c = $3", 3 },
        { "x <= ?1 AND y > ?2 AND z = ?1", "x <= $1 AND y > $2 AND z = $1", 2 },
        { "?2 ?", "$2 $3", 3 },
        { "'it''s ?' || ? -- what?\n ?", "'it''s ?' || $1 -- what?\n $2", 2 },
        { "\"col?\" = ? /* ? */ AND ?", "\"col?\" = $1 /* ? */ AND $2", 2 },
        { "no params", "no params", 0 },
        { "'unterminated ?", "'unterminated ?", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int n = -1;
        char *out = bo__pg_rewrite(cases[i].in, &n);
        ck_assert_ptr_nonnull(out);
        ck_assert_str_eq(out, cases[i].out);
        ck_assert_int_eq(n, cases[i].n);
        bo_free(out);
    }
}
END_TEST

START_TEST(int64_parsed_exactly)
{
    int64_t v;
    ck_assert_int_eq(bo__pg_parse_int64("9223372036854775807", &v), 0);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(bo__pg_parse_int64("-9223372036854775808", &v), 0);
    ck_assert(v == INT64_MIN);
    ck_assert_int_eq(bo__pg_parse_int64("9223372036854775808", &v), -1);
    ck_assert(v == INT64_MAX);
    ck_assert_int_eq(bo__pg_parse_int64("-9223372036854775809", &v), -1);
    ck_assert(v == INT64_MIN);
    ck_assert_int_eq(bo__pg_parse_int64("123456789012345678901234", &v), -1);
    ck_assert_int_eq(bo__pg_parse_int64("-42.99", &v), 0);
    ck_assert(v == -42);
    ck_assert_int_eq(bo__pg_parse_int64("t", &v), 0);
    ck_assert(v == 1);
    ck_assert_int_eq(bo__pg_parse_int64("f", &v), 0);
    ck_assert(v == 0);
    ck_assert_int_eq(bo__pg_parse_int64("+17", &v), 0);
    ck_assert(v == 17);
}
END_TEST

/* ---- statements --------------------------------------------------------------- */

START_TEST(int64_and_numeric_sums)
{
    char *uri = bo_test_path("pg-numeric");
    bo_driver_conn *c = open_conn(uri);
    exec_ok(c, "CREATE TABLE t (v BIGINT NOT NULL)");
    static const int64_t vals[] = { INT64_MAX, INT64_MIN, -1, 1, 0,
                                    999999999999999999LL };
    bo_driver_stmt *ins = NULL;
    ck_assert_int_eq(pg()->prepare(c, "INSERT INTO t (v) VALUES (?)", &ins), 0);
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        ck_assert_int_eq(pg()->bind_int64(ins, 1, vals[i]), 0);
        ck_assert_int_eq(pg()->step(ins), BO_DRIVER_DONE);
        ck_assert_int_eq(pg()->changes(c), 1);
        ck_assert_int_eq(pg()->reset(ins), 0);
    }
    pg()->finalize(ins);
    bo_driver_stmt *s = NULL;
    ck_assert_int_eq(pg()->prepare(c, "SELECT v FROM t WHERE v = ?", &s), 0);
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        ck_assert_int_eq(pg()->bind_int64(s, 1, vals[i]), 0);
        ck_assert_int_eq(pg()->step(s), BO_DRIVER_ROW);
        ck_assert(pg()->column_int64(s, 0) == vals[i]);
        ck_assert_int_eq(pg()->step(s), BO_DRIVER_DONE);
        pg()->reset(s);
    }
    pg()->finalize(s);
    /* SUM over bigint is numeric in PostgreSQL: read exactly... */
    char out[64];
    ck_assert_int_eq(query1(c, "SELECT SUM(v) FROM t WHERE v > 0 AND v < 9223372036854775807",
                            out, sizeof out), 0);
    ck_assert_str_eq(out, "1000000000000000000");
    ck_assert_int_eq(pg()->prepare(c, "SELECT SUM(v) FROM t WHERE v <> 1 AND v <> 999999999999999999", &s), 0);
    ck_assert_int_eq(pg()->step(s), BO_DRIVER_ROW);
    ck_assert(pg()->column_int64(s, 0) == -2); /* MAX + MIN + -1 + 0 */
    pg()->finalize(s);
    /* ...and a sum past int64 is an error, as SQLite's SUM overflow is */
    ck_assert_int_eq(pg()->prepare(c, "SELECT SUM(v) FROM t WHERE v > 0", &s), 0);
    ck_assert_int_eq(pg()->step(s), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(pg()->errmsg(c), "64 bits"));
    ck_assert_int_eq(pg()->step(s), BO_EOVERFLOW);
    pg()->finalize(s);
    /* NULL, text and booleans */
    ck_assert_int_eq(pg()->prepare(c, "SELECT NULL, 'a''b', true, ?", &s), 0);
    ck_assert_int_eq(pg()->bind_text(s, 1, "x\ty", 3), 0);
    ck_assert_int_eq(pg()->step(s), BO_DRIVER_ROW);
    ck_assert(pg()->column_is_null(s, 0));
    ck_assert_ptr_null(pg()->column_text(s, 0, NULL));
    ck_assert_str_eq(pg()->column_text(s, 1, NULL), "a'b");
    ck_assert(pg()->column_int64(s, 2) == 1);
    size_t len = 0;
    ck_assert_str_eq(pg()->column_text(s, 3, &len), "x\ty");
    ck_assert_uint_eq(len, 3);
    pg()->finalize(s);
    ck_assert_int_eq(pg()->prepare(c, "SELECT ?", &s), 0);
    ck_assert_int_eq(pg()->bind_text(s, 1, "a\0b", 3), BO_EINVAL);
    ck_assert_int_eq(pg()->bind_int64(s, 2, 1), BO_ERROR); /* no parameter 2 */
    pg()->finalize(s);
    pg()->close(c);
    free(uri);
}
END_TEST

/* Rows are read from the server one at a time; a statement that needs the
 * connection first moves what is left of a streaming one into its queue. */
START_TEST(streaming_and_interleaving)
{
    char *uri = bo_test_path("pg-stream");
    bo_driver_conn *c = open_conn(uri);
    bo_driver_stmt *big = NULL, *other = NULL;
    ck_assert_int_eq(pg()->prepare(c, "SELECT g FROM generate_series(1, 100000) g", &big), 0);
    ck_assert_int_eq(pg()->step(big), BO_DRIVER_ROW);
    ck_assert(pg()->column_int64(big, 0) == 1);
    ck_assert_ptr_eq(c->active, big); /* streaming ... */
    ck_assert_uint_eq(big->qlen, 0);  /* ... and holding no rows */
    ck_assert_int_eq(pg()->step(big), BO_DRIVER_ROW);
    ck_assert(pg()->column_int64(big, 0) == 2);
    /* another statement runs in between */
    ck_assert_int_eq(pg()->prepare(c, "SELECT 42", &other), 0);
    ck_assert_ptr_null(c->active);
    ck_assert_uint_eq(big->qlen, 99998);
    ck_assert_int_eq(pg()->step(other), BO_DRIVER_ROW);
    ck_assert(pg()->column_int64(other, 0) == 42);
    int64_t expect = 3;
    int rc;
    while ((rc = pg()->step(big)) == BO_DRIVER_ROW)
        ck_assert(pg()->column_int64(big, 0) == expect++);
    ck_assert_int_eq(rc, BO_DRIVER_DONE);
    ck_assert(expect == 100001);
    /* abandoned half-way: the connection is usable at once */
    ck_assert_int_eq(pg()->reset(big), 0);
    ck_assert_int_eq(pg()->step(big), BO_DRIVER_ROW);
    ck_assert_int_eq(pg()->reset(big), 0);
    ck_assert_int_eq(pg()->reset(other), 0);
    ck_assert_int_eq(pg()->step(other), BO_DRIVER_ROW);
    pg()->finalize(other);
    pg()->finalize(big);
    pg()->close(c);

    /* Through the library: a journal listing interleaved with postings. */
    bo_book *b = bo_test_book("pg-stream-book");
    bo_test_chart(b);
    bo_assert_ok(bo_book_begin(b));
    for (int i = 0; i < 600; i++)
        bo_test_post2(b, "2026-01-05", "1000", "4000", i + 1);
    bo_assert_ok(bo_book_commit(b));
    bo_cursor *cur = NULL;
    bo_assert_ok(bo_ledger_journal(b, NULL, BO_DATE_MIN, BO_DATE_MAX, &cur));
    int rows = 0;
    while (bo_cursor_next(cur) == 0) {
        if (++rows % 100 == 0) /* writes while the listing streams */
            bo_test_post2(b, "2026-02-01", "1100", "4000", 7);
    }
    ck_assert_int_eq(rows, 1200); /* the listing's snapshot: 600 entries */
    bo_cursor_free(cur);
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1100", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 12 * 7);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* ---- errors ------------------------------------------------------------------- */

START_TEST(sqlstates_mapped)
{
    char *uri = bo_test_path("pg-errors");
    bo_driver_conn *c = open_conn(uri);
    exec_ok(c, "CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    exec_ok(c, "INSERT INTO t VALUES (1, 10), (2, 20)");
    /* 23505 */
    ck_assert_int_eq(pg()->exec(c, "INSERT INTO t VALUES (1, 0)"), BO_ECONSTRAINT);
    ck_assert_ptr_nonnull(strstr(pg()->errmsg(c), "23505"));
    /* 23502 */
    ck_assert_int_eq(pg()->exec(c, "INSERT INTO t VALUES (3, NULL)"), BO_ECONSTRAINT);
    /* 42601 syntax error: a plain error with the server's words */
    ck_assert_int_eq(pg()->exec(c, "SELEC 1"), BO_ERROR);
    ck_assert_ptr_nonnull(strstr(pg()->errmsg(c), "syntax"));
    /* 22003 */
    ck_assert_int_eq(pg()->exec(c, "SELECT 9223372036854775807::bigint + 1"), BO_EOVERFLOW);

    /* 40001: write skew between two SERIALIZABLE transactions */
    bo_driver_conn *d = open_conn(uri);
    char out[64];
    ck_assert_int_eq(pg()->begin(c, 1), 0);
    ck_assert_int_eq(pg()->begin(d, 1), 0);
    ck_assert_int_eq(query1(c, "SELECT SUM(v) FROM t", out, sizeof out), 0);
    ck_assert_int_eq(query1(d, "SELECT SUM(v) FROM t", out, sizeof out), 0);
    exec_ok(d, "INSERT INTO t VALUES (3, 30)");
    ck_assert_int_eq(pg()->commit(d), 0);
    int rc = pg()->exec(c, "INSERT INTO t VALUES (4, 40)");
    if (rc == 0)
        rc = pg()->commit(c);
    ck_assert_msg(rc == BO_ECONFLICT, "%d %s", rc, pg()->errmsg(c));
    ck_assert_ptr_nonnull(strstr(pg()->errmsg(c), "40001"));
    ck_assert_int_eq(pg()->rollback(c), 0);

    /* 40P01: a deadlock, this connection the victim (it checks first) */
    PGconn *r = raw(uri);
    raw_ok(r, "SET deadlock_timeout = '10s'");
    exec_ok(c, "SET deadlock_timeout = '50ms'");
    raw_ok(r, "BEGIN");
    raw_ok(r, "UPDATE t SET v = v + 1 WHERE k = 2");
    ck_assert_int_eq(pg()->begin(c, 1), 0);
    exec_ok(c, "UPDATE t SET v = v + 1 WHERE k = 1");
    ck_assert_int_eq(PQsendQuery(r, "UPDATE t SET v = v + 1 WHERE k = 1"), 1);
    nap_ms(100); /* r now waits for c */
    rc = pg()->exec(c, "UPDATE t SET v = v + 1 WHERE k = 2");
    ck_assert_msg(rc == BO_ECONFLICT, "%d %s", rc, pg()->errmsg(c));
    ck_assert_ptr_nonnull(strstr(pg()->errmsg(c), "40P01"));
    ck_assert_int_eq(pg()->rollback(c), 0);
    PGresult *res;
    while ((res = PQgetResult(r)) != NULL)
        PQclear(res);
    raw_ok(r, "COMMIT");
    PQfinish(r);

    pg()->close(d);
    pg()->close(c);
    free(uri);
}
END_TEST

/* How long post1 took to fail with BO_EBUSY (55P03), in ms. */
static double busy_ms(bo_book *b)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bo_assert_err(post1(b, 6), BO_EBUSY);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "55P03"));
    return (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* 55P03: a writer waits for the lock of a writer running alone up to its
 * busy timeout, then fails with nothing changed. Run twice: writers taking
 * turns (_i 0: every write transaction runs alone, so another book's open
 * transaction is such a writer) and side by side on lanes (_i 1: the
 * host's transactions do not wait for one another, but a lone posting at
 * REPEATABLE READ waits for the host's open transaction, whose reads it
 * could otherwise change unseen (docs/architecture.md, "Isolation of
 * writers on lanes"); a transaction running alone holds bo_meta in SHARE
 * ROW EXCLUSIVE mode, which a raw session holds here). */
START_TEST(busy_timeout_mapped)
{
    char *lanes = bo_pg_lanes(_i);
    char *uri = bo_test_path(_i ? "pg-busy-lanes" : "pg-busy");
    bo_book *a = open_book(uri, 1, 200);
    bo_test_chart(a);
    bo_book *b = open_book(uri, 0, 200);
    bo_assert_ok(bo_book_begin(a));
    bo_assert_ok(post1(a, 5));
    if (_i) {
        bo_assert_ok(bo_book_begin(b)); /* beside a's open transaction */
        bo_assert_ok(post1(b, 6));
        bo_assert_ok(bo_book_commit(b));
        double lone = busy_ms(b); /* a lone posting waits for a's */
        ck_assert_msg(lone >= 150 && lone < 3000, "waited %.0f ms", lone);
        bo_assert_ok(bo_book_commit(a));
        PGconn *r = raw(uri);
        raw_ok(r, "BEGIN");
        raw_ok(r, "LOCK TABLE bo_meta IN SHARE ROW EXCLUSIVE MODE");
        double ms = busy_ms(b);
        ck_assert_msg(ms >= 150 && ms < 3000, "waited %.0f ms", ms);
        raw_ok(r, "COMMIT");
        PQfinish(r);
    } else {
        double ms = busy_ms(b);
        ck_assert_msg(ms >= 150 && ms < 3000, "waited %.0f ms", ms);
        bo_assert_ok(bo_book_commit(a));
    }
    bo_assert_ok(post1(b, 6)); /* free again */
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert(v == (_i ? 17 : 11));
    bo_book_free(b);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* The core retries a conflict at the outermost level 8 times with backoff
 * (src/core/tx.c), then gives the caller BO_ECONFLICT. */
static const bo_driver *real_pg;
static int commits;
static int always_conflict(bo_driver_conn *c)
{
    commits++;
    real_pg->rollback(c);
    return BO_ECONFLICT;
}

START_TEST(conflicts_retried_within_bound)
{
    real_pg = pg();
    static bo_driver conflicting;
    conflicting = *real_pg;
    conflicting.scheme = "pg-conflict";
    conflicting.commit = always_conflict;
    bo_assert_ok(bo_driver_register(&conflicting));
    char *uri = bo_test_path("pg-retry");
    bo_book *b = bo_test_book("pg-retry-setup"); /* warm the driver */
    bo_book_free(b);
    b = open_book(uri, 1, 1000);
    bo_test_chart(b);
    bo_book_free(b);
    char curi[512];
    snprintf(curi, sizeof curi, "pg-conflict:%s", bo_test_target(uri));
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_assert_ok(bo_book_open(&b, curi, &o));
    commits = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bo_assert_err(post1(b, 5), BO_ECONFLICT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    ck_assert_int_eq(commits, 9); /* the first try and 8 retries */
    /* backoff 1+2+...+128 ms at least, twice that at most, plus the work */
    ck_assert_msg(ms >= 250 && ms < 5000, "took %.0f ms", ms);
    int64_t v = -1;
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 0);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* ---- connection loss --------------------------------------------------------- */

/* Terminate every other session of the database that uri names. */
static void kill_sessions(const char *uri)
{
    PGconn *r = raw(uri);
    raw_ok(r, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              " WHERE datname = current_database() AND pid <> pg_backend_pid()");
    PQfinish(r);
    nap_ms(50);
}

/* Drop the database of a "postgresql:///name" uri, whoever is connected. */
static void drop_database(const char *uri)
{
    PGconn *r = raw("postgresql:///postgres");
    char sql[300];
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", uri + 14);
    raw_ok(r, sql);
    PQfinish(r);
}

START_TEST(connection_loss)
{
    /* a database of its own: other tests' sessions must not be killed */
    char uri[256];
    snprintf(uri, sizeof uri, "postgresql:///bo_loss_%ld_%ld", (long)getpid(),
             (long)time(NULL) % 100000);
    bo_book *b = open_book(uri, 1, 1000);
    bo_test_chart(b);
    bo_assert_ok(post1(b, 1));

    /* outside a transaction: the next call connects again, unnoticed */
    kill_sessions(uri);
    bo_assert_ok(post1(b, 2));
    int64_t v;
    kill_sessions(uri);
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 3);

    /* inside a transaction: a clear error, the transaction is gone */
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(post1(b, 100));
    kill_sessions(uri);
    bo_assert_err(post1(b, 200), BO_EIO);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "connection"));
    int rc = bo_book_commit(b);
    ck_assert_msg(rc != 0, "a transaction on a lost connection committed");
    if (bo_book_depth(b) > 0)
        bo_book_rollback(b);
    ck_assert_int_eq(bo_book_depth(b), 0);
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 3);

    /* the connection lost before COMMIT's answer: never reported as done */
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(post1(b, 1000));
    kill_sessions(uri);
    rc = bo_book_commit(b);
    ck_assert_int_eq(rc, BO_EIO);
    ck_assert_msg(strstr(bo_error_message(), "commit outcome unknown") ||
                  strstr(bo_error_message(), "nothing was committed"), "%s",
                  bo_error_message());
    ck_assert_int_eq(bo_book_depth(b), 0);
    bo_assert_ok(post1(b, 4)); /* and the handle works again */
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 7); /* the killed transaction did not commit */
    bo_assert_ok(bo_audit_verify(b, NULL));
    bo_book_free(b);
    drop_database(uri);
}
END_TEST

/* Writes sent ahead (pipeline mode) when the connection dies, then each way
 * the transaction can go on: the transaction's loss is BO_EIO, and the
 * first read after it, outside a transaction, connects again and works,
 * with no message of the earlier failure. */
enum { AFTER_COMMIT, AFTER_READ, AFTER_CHANGES, AFTER_ROLLBACK, AFTER_WRITE,
       AFTER_EXEC, AFTER_COPY, AFTER_COUNT };

START_TEST(lost_with_writes_sent_ahead)
{
    char uri[256];
    snprintf(uri, sizeof uri, "postgresql:///bo_ahead_%d_%ld_%ld", _i, (long)getpid(),
             (long)time(NULL) % 100000);
    bo_driver_conn *c = open_conn(uri);
    exec_ok(c, "CREATE TABLE t (v BIGINT)");
    ck_assert_int_eq(pg()->begin(c, 1), 0);
    bo_driver_stmt *ins = NULL;
    ck_assert_int_eq(pg()->prepare(c, "INSERT INTO t (v) VALUES (?)", &ins), 0);
    ck_assert_int_eq(pg()->bind_int64(ins, 1, 1), 0);
    ck_assert_int_eq(pg()->step(ins), BO_DRIVER_DONE);
    ck_assert_int_eq(c->pipe, 1); /* sent ahead, its answer not read */
    pg()->reset(ins);
    kill_sessions(uri);
    int rc = 0;
    char out[64];
    switch (_i) {
    case AFTER_COMMIT:
        rc = pg()->commit(c);
        break;
    case AFTER_READ:
        rc = query1(c, "SELECT count(*) FROM t", out, sizeof out);
        break;
    case AFTER_CHANGES:
        pg()->changes(c);
        rc = query1(c, "SELECT count(*) FROM t", out, sizeof out);
        break;
    case AFTER_ROLLBACK:
        rc = BO_EIO;
        break;
    case AFTER_WRITE:
        ck_assert_int_eq(pg()->bind_int64(ins, 1, 2), 0);
        rc = pg()->step(ins);
        if (rc == BO_DRIVER_DONE)
            rc = pg()->commit(c);
        break;
    case AFTER_EXEC:
        rc = pg()->exec(c, "SAVEPOINT s");
        break;
    case AFTER_COPY: {
        const char *v[] = { "3" };
        rc = pg()->copy_rows(c, "t", "v", 1, 1, v);
        break;
    }
    }
    ck_assert_msg(rc == BO_EIO, "case %d: %d %s", _i, rc, pg()->errmsg(c));
    ck_assert_msg(!strstr(pg()->errmsg(c), "pipeline"), "case %d: %s", _i, pg()->errmsg(c));
    pg()->rollback(c);
    pg()->finalize(ins);
    /* outside a transaction: connects again, the first read works */
    rc = query1(c, "SELECT count(*) FROM t", out, sizeof out);
    ck_assert_msg(rc == 0, "case %d: read after the loss: %d %s", _i, rc, pg()->errmsg(c));
    ck_assert_str_eq(out, "0"); /* the lost transaction wrote nothing */
    /* a transaction after it works too, writes sent ahead included */
    ck_assert_int_eq(pg()->begin(c, 1), 0);
    ck_assert_int_eq(pg()->prepare(c, "INSERT INTO t (v) VALUES (?)", &ins), 0);
    ck_assert_int_eq(pg()->bind_int64(ins, 1, 5), 0);
    ck_assert_int_eq(pg()->step(ins), BO_DRIVER_DONE);
    pg()->finalize(ins);
    rc = pg()->commit(c);
    ck_assert_msg(rc == 0, "case %d: commit after: %d %s", _i, rc, pg()->errmsg(c));
    ck_assert_int_eq(query1(c, "SELECT sum(v) FROM t", out, sizeof out), 0);
    ck_assert_str_eq(out, "5");
    pg()->close(c);
    drop_database(uri);
}
END_TEST

START_TEST(no_server)
{
    bo_book *b = NULL;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    /* port 1 on the loopback: nothing listens there */
    bo_assert_err(bo_book_open(&b, "postgresql://127.0.0.1:1/x?connect_timeout=5", &o),
                  BO_EIO);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "cannot connect"));
    ck_assert_ptr_null(b);
    bo_assert_err(bo_book_open(&b, "postgresql:host=/nonexistent-dir port=5", &o),
                  BO_EIO);
    bo_assert_err(bo_book_open(&b, "postgresql:dbname=x sslmode=nonsense", &o), BO_EIO);
}
END_TEST

/* ---- URIs ------------------------------------------------------------------------ */

START_TEST(uris_and_environment)
{
    char db[64];
    snprintf(db, sizeof db, "bo_env_%ld_%ld", (long)getpid(), (long)time(NULL) % 100000);
    bo_book *b = NULL;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    /* a database that does not exist: not found, unless create is set */
    char uri[512];
    snprintf(uri, sizeof uri, "postgresql:///%s", db);
    bo_assert_err(bo_book_open(&b, uri, &o), BO_ENOTFOUND);
    snprintf(uri, sizeof uri, "postgresql:dbname=%s", db);
    bo_assert_err(bo_book_open(&b, uri, &o), BO_ENOTFOUND);
    /* "postgresql:" alone: everything from PG*, here PGDATABASE */
    setenv("PGDATABASE", db, 1);
    bo_assert_err(bo_book_open(&b, "postgresql:", &o), BO_ENOTFOUND);
    o.create = 1;
    bo_assert_ok(bo_book_open(&b, "postgresql:", &o)); /* makes the database */
    bo_assert_ok(bo_book_set_name(b, "env"));
    bo_book_free(b);
    o.create = 0;
    bo_assert_ok(bo_book_open(&b, "postgresql://", &o));
    ck_assert_str_eq(bo_book_name(b), "env");
    bo_book_free(b);
    bo_assert_ok(bo_book_open(&b, uri, &o)); /* keyword form */
    ck_assert_str_eq(bo_book_name(b), "env");
    bo_book_free(b);
    snprintf(uri, sizeof uri, "postgresql:///%s?application_name=pos1", db);
    bo_assert_ok(bo_book_open(&b, uri, &o));
    ck_assert_str_eq(bo_book_name(b), "env");
    bo_book_free(b);
    /* a schema that does not exist: not found without create */
    snprintf(uri, sizeof uri, "postgresql:///%s?options=-csearch_path%%3Dnosuch", db);
    bo_assert_err(bo_book_open(&b, uri, &o), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "nosuch"));
    unsetenv("PGDATABASE");
    PGconn *r = raw("postgresql:///postgres");
    char sql[300];
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", db);
    raw_ok(r, sql);
    PQfinish(r);
}
END_TEST

/* ---- collation ----------------------------------------------------------------------- */

/* A book in a database whose default collation ignores punctuation: the
 * sub-account ranges and code order must still follow the bytes. */
static void check_collation(PGconn *admin, const char *db, const char *create)
{
    char sql[512];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db);
    raw_ok(admin, sql);
    PGresult *res = PQexec(admin, create);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        /* only the libc locale may be missing; say so */
        printf("note: %s: %s", create, PQresultErrorMessage(res));
        PQclear(res);
        ck_assert_ptr_nonnull(strstr(create, "libc"));
        return;
    }
    PQclear(res);
    char uri[256];
    snprintf(uri, sizeof uri, "postgresql:///%s", db);
    /* the database is hostile: "/1/5/1/" is outside ["/1/5/", "/1/50") */
    PGconn *r = raw(uri);
    res = PQexec(r, "SELECT '/1/5/1/' < '/1/50', 'B' < 'a', datcollate,"
                    " daticulocale FROM pg_database WHERE datname = current_database()");
    ck_assert_int_eq(PQresultStatus(res), PGRES_TUPLES_OK);
    printf("%s: collate %s, icu %s: '/1/5/1/' < '/1/50' is %s, 'B' < 'a' is %s\n",
           db, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
           PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    ck_assert_str_eq(PQgetvalue(res, 0, 0), "f");
    PQclear(res);
    PQfinish(r);

    bo_book *b = open_book(uri, 1, 1000);
    /* ids 1..15 at the top, then children of 1 and 5: paths "/1/16/",
     * "/5/17/" next to "/15/", "/16/" */
    char code[16], parent[16];
    for (int i = 1; i <= 15; i++) {
        snprintf(code, sizeof code, "A%d", i);
        bo_assert_ok(bo_ledger_account_add(b, code, code, BO_ACCOUNT_ASSET, NULL, NULL));
    }
    for (int i = 16; i <= 30; i++) {
        snprintf(code, sizeof code, "a-%d", i);
        snprintf(parent, sizeof parent, "A%d", i % 2 ? 5 : 1);
        bo_assert_ok(bo_ledger_account_add(b, code, code, BO_ACCOUNT_ASSET, parent, NULL));
    }
    bo_assert_ok(bo_ledger_account_add(b, "Z", "Z", BO_ACCOUNT_EQUITY, NULL, NULL));
    for (int i = 1; i <= 30; i++) {
        bo_entry *e = NULL;
        snprintf(code, sizeof code, i <= 15 ? "A%d" : "a-%d", i);
        bo_assert_ok(bo_entry_new(&e, 20454, "x"));
        bo_assert_ok(bo_entry_add(e, code, i, NULL, NULL));
        bo_assert_ok(bo_entry_add(e, "Z", -i, NULL, NULL));
        bo_assert_ok(bo_ledger_post(b, e, NULL));
        bo_entry_free(e);
    }
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "A1", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 1 + (16 + 18 + 20 + 22 + 24 + 26 + 28 + 30));
    bo_assert_ok(bo_ledger_balance(b, "A5", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 5 + (17 + 19 + 21 + 23 + 25 + 27 + 29));
    bo_assert_ok(bo_ledger_balance(b, "A15", BO_DATE_MAX, NULL, &v));
    ck_assert(v == 15);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_accounts(b, &c));
    char last[32] = "";
    int n = 0;
    while (bo_cursor_next(c) == 0) {
        const char *t = bo_cursor_text(c, 0);
        ck_assert_msg(strcmp(last, t) < 0, "%s listed after %s", t, last);
        snprintf(last, sizeof last, "%s", t);
        n++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, 31);
    bo_book_free(b);
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", db);
    raw_ok(admin, sql);
}

START_TEST(bytewise_in_hostile_collations)
{
    PGconn *admin = raw("postgresql:///postgres");
    char db[64], sql[512];
    snprintf(db, sizeof db, "bo_icu_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
             " LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US-u-ka-shifted'", db);
    check_collation(admin, db, sql);
    /* glibc's en_US.UTF-8, where the machine has it */
    snprintf(db, sizeof db, "bo_enus_%ld", (long)getpid());
    snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'"
             " LOCALE 'en_US.UTF-8' LOCALE_PROVIDER libc", db);
    check_collation(admin, db, sql);
    PQfinish(admin);
}
END_TEST

/* A book made before version 21 upgraded on PostgreSQL: its entries' and
 * movements' keys are UNIQUE columns there (version 21 gives new books
 * partial unique indexes, and keeps an older book's constraint), and it
 * has the open layers' index by id, which version 21 drops. The posting's
 * insert names the partial index's WHERE in its ON CONFLICT: the older
 * constraint must answer it the same way (a key posted again is a replay,
 * the same key for another entry refused, no second row), and the book
 * verifies after its upgrade. */
static int post_keyed(bo_book *b, const char *key, int64_t amount, int64_t *id)
{
    bo_entry *e = NULL;
    bo_date d = 0;
    int rc = bo_date_from_ymd(2026, 3, 2, &d);
    if (!rc) rc = bo_entry_new(&e, d, "keyed");
    if (!rc && key) rc = bo_entry_set_key(e, key);
    if (!rc) rc = bo_entry_add(e, "1000", amount, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "4000", -amount, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, id);
    bo_entry_free(e);
    return rc;
}

START_TEST(upgrade_from_20_keeps_keys)
{
    char *uri = NULL;
    bo_book *b = bo_pg_fresh("up20", &uri);
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    int64_t first = 0, again = 0, other = 0;
    bo_assert_ok(post_keyed(b, "k-1", 500, &first));
    bo_book_free(b); /* the schema stays */
    /* version 20's shape of these tables on PostgreSQL */
    bo_test_raw_sql(uri, "DROP INDEX entries_by_key;"
                         "ALTER TABLE entries ADD CONSTRAINT entries_idem_key_key UNIQUE (idem_key);"
                         "DROP INDEX inv_moves_by_key;"
                         "ALTER TABLE inv_moves ADD CONSTRAINT inv_moves_idem_key_key"
                         " UNIQUE (idem_key);"
                         "CREATE INDEX inv_layers_open ON inv_layers (stock_id, id)"
                         " WHERE remaining > 0;"
                         "ALTER TABLE inv_layers DROP COLUMN is_open;" /* version 24 */
                         "UPDATE bo_meta SET value = '20' WHERE key = 'schema_version'");
    b = bo_pg_open(uri, 0); /* 20 -> current */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT value::bigint FROM bo_meta"
                                          " WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM pg_indexes WHERE"
                                          " schemaname = current_schema() AND"
                                          " indexname = 'inv_layers_open'"), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM pg_constraint WHERE"
                                          " conname = 'entries_idem_key_key'"), 1);
    bo_assert_ok(post_keyed(b, "k-1", 500, &again)); /* a replay */
    ck_assert_int_eq(again, first);
    ck_assert_int_eq(post_keyed(b, "k-1", 700, &other), BO_EKEYREUSE);
    bo_assert_ok(post_keyed(b, "k-2", 700, &other));
    ck_assert_int_gt(other, first);
    bo_assert_ok(post_keyed(b, NULL, 300, NULL));
    bo_assert_ok(post_keyed(b, NULL, 300, NULL)); /* no key: no conflict */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"), 4);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key = 'k-1'"), 1);
    bo_test_expect_verified(b);
    bo_pg_close(b, uri);
}
END_TEST

/* Version 23 drops the foreign keys of postings and account_days (SQLite
 * never enforced them; the posting engine checks both): a book made before
 * upgraded on PostgreSQL loses them, keeps the reversals' ones, posts one
 * by one and set-wise, and verifies. */
START_TEST(upgrade_to_23_drops_checked_refs)
{
    char *uri = NULL;
    bo_book *b = bo_pg_fresh("up23", &uri);
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    int64_t first = 0, again = 0;
    bo_assert_ok(post_keyed(b, "k-1", 500, &first));
    bo_book_free(b); /* the schema stays */
    static const char FKS[] =
        "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
        " WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace"
        " AND t.relname IN ('postings', 'account_days')";
    ck_assert_int_eq(bo_test_raw_int(uri, FKS), 0); /* a new book has none */
    /* version 22's shape */
    bo_test_raw_sql(uri, "ALTER TABLE postings ADD CONSTRAINT postings_entry_id_fkey"
                         " FOREIGN KEY (entry_id) REFERENCES entries(id);"
                         "ALTER TABLE postings ADD CONSTRAINT postings_account_id_fkey"
                         " FOREIGN KEY (account_id) REFERENCES accounts(id);"
                         "ALTER TABLE account_days ADD CONSTRAINT account_days_account_id_fkey"
                         " FOREIGN KEY (account_id) REFERENCES accounts(id);"
                         "ALTER TABLE inv_layers DROP COLUMN is_open;" /* version 24 */
                         "UPDATE bo_meta SET value = '22' WHERE key = 'schema_version'");
    ck_assert_int_eq(bo_test_raw_int(uri, FKS), 3);
    b = bo_pg_open(uri, 0); /* 22 -> current */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT value::bigint FROM bo_meta"
                                          " WHERE key = 'schema_version'"),
                     BO__SCHEMA_VERSION);
    ck_assert_int_eq(bo_test_raw_int(uri, FKS), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t"
                                          " ON t.oid = c.conrelid WHERE c.contype = 'f' AND"
                                          " t.relnamespace = current_schema()::regnamespace"
                                          " AND t.relname = 'reversals'"), 2);
    bo_assert_ok(post_keyed(b, "k-1", 500, &again)); /* a replay */
    ck_assert_int_eq(again, first);
    bo_entry *e[3] = { NULL, NULL, NULL };
    bo_date d = 0;
    bo_assert_ok(bo_date_from_ymd(2026, 3, 1, &d));
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_entry_new(&e[i], d + i, "batch"));
        bo_assert_ok(bo_entry_add(e[i], "1000", 10 + i, NULL, NULL));
        bo_assert_ok(bo_entry_add(e[i], "4000", -(10 + i), NULL, NULL));
    }
    bo_assert_ok(bo_entry_set_key(e[1], "k-1")); /* other content: refused */
    ck_assert_int_eq(bo_ledger_post_many(b, e, 3, NULL), BO_EKEYREUSE);
    bo_assert_ok(bo_entry_set_key(e[1], "k-2"));
    int64_t ids[3];
    bo_assert_ok(bo_ledger_post_many(b, e, 3, ids));
    ck_assert_int_eq(ids[1], ids[0] + 1);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM postings"), 8);
    int64_t cash = 0;
    bo_assert_ok(bo_ledger_balance(b, "1000", d + 10, NULL, &cash));
    ck_assert_int_eq(cash, 500 + 33);
    for (int i = 0; i < 3; i++)
        bo_entry_free(e[i]);
    bo_test_expect_verified(b);
    bo_pg_close(b, uri);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_driver");
    TCase *t = tcase_create("pg_driver");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, placeholders_rewritten);
    tcase_add_test(t, int64_parsed_exactly);
    tcase_add_test(t, int64_and_numeric_sums);
    tcase_add_test(t, streaming_and_interleaving);
    tcase_add_test(t, sqlstates_mapped);
    tcase_add_loop_test(t, busy_timeout_mapped, 0, 2);
    tcase_add_test(t, conflicts_retried_within_bound);
    tcase_add_test(t, connection_loss);
    tcase_add_loop_test(t, lost_with_writes_sent_ahead, 0, AFTER_COUNT);
    tcase_add_test(t, no_server);
    tcase_add_test(t, uris_and_environment);
    tcase_add_test(t, bytewise_in_hostile_collations);
    tcase_add_test(t, upgrade_from_20_keeps_keys);
    tcase_add_test(t, upgrade_to_23_drops_checked_refs);
    suite_add_tcase(s, t);
    return bo_pg_run(s, "test_pg_driver");
}
