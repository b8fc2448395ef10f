/* The set-up the PostgreSQL Check suites of tests/postgres share: the
 * server they run on, their books, their schemas and databases, the
 * writers' mode (BO_PG_LANES), the clean-up.
 *
 * The server. ctest runs each suite with BO_TEST_BACKEND=postgresql and
 * BO_TEST_PG_ENV naming the PG*=value file that the fixture
 * postgres.server_start (pg_server.sh start STATE) wrote
 * (tests/postgres/CMakeLists.txt). Run by hand, bo_pg_run() stands for
 * main's bo_test_run(): it sets the backend when it is not set, reads the
 * file (or the PG* environment), and makes sure the server answers before
 * any test case runs; without one it stops at once saying what it needs
 * (docs/architecture.md, "Running one PostgreSQL test by hand"). Without
 * that, a suite run bare fell back to SQLite (the default backend of
 * tests/unit/testutil.c) and failed its PostgreSQL-only checks.
 *
 * Books: a fresh schema a store (bo_test_path()), opened with actor
 * "owner", synchronous commit off. */
#ifndef BO_PG_FIXTURE_H
#define BO_PG_FIXTURE_H

#include "testutil.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How a suite is run by hand; printed when it cannot run. */
static inline void bo_pg_usage(const char *prog)
{
    fprintf(stderr,
            "%s: needs a PostgreSQL server. ctest starts one (fixture"
            " postgres.server_start):\n"
            "  ctest --preset default -R 'postgres\\.%s$'\n"
            "or start one yourself and name its settings file in BO_TEST_PG_ENV:\n"
            "  sh tests/postgres/pg_server.sh start /tmp/bo-pg-state\n"
            "  BO_TEST_PG_ENV=/tmp/bo-pg-state/pg.env build/default/tests/postgres/%s\n"
            "  sh tests/postgres/pg_server.sh stop /tmp/bo-pg-state\n"
            "(or set PGHOST, PGPORT and PGUSER for a server of your own)\n",
            prog, prog, prog);
}

/* The suite runs on PostgreSQL and the server answers, or the process
 * exits now with what it needs (the checks never run on another backend
 * or against no server). */
static inline void bo_pg_require(const char *prog)
{
    const char *backend = getenv("BO_TEST_BACKEND");
    if (!backend || !*backend)
        setenv("BO_TEST_BACKEND", "postgresql", 1);
    else if (strcmp(backend, "postgresql") != 0) {
        fprintf(stderr, "%s: BO_TEST_BACKEND=%s: this suite runs on PostgreSQL only"
                " (BO_TEST_BACKEND=postgresql, or unset)\n", prog, backend);
        exit(EXIT_FAILURE);
    }
    const char *file = getenv("BO_TEST_PG_ENV");
    if (file && *file && access(file, R_OK) != 0) {
        fprintf(stderr, "%s: BO_TEST_PG_ENV=%s: no such file: the test server is"
                " not running\n", prog, file);
        bo_pg_usage(prog);
        exit(EXIT_FAILURE);
    }
    if ((!file || !*file) && !getenv("PGHOST") && !getenv("PGPORT") &&
        !getenv("PGSERVICE")) {
        fprintf(stderr, "%s: neither BO_TEST_PG_ENV nor PGHOST/PGPORT is set\n", prog);
        bo_pg_usage(prog);
        exit(EXIT_FAILURE);
    }
    bo_test_backend(); /* reads BO_TEST_PG_ENV into the PG* environment */
    PGconn *c = PQconnectdb("dbname=postgres connect_timeout=10");
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "%s: no PostgreSQL server answers (PGHOST=%s PGPORT=%s): %s", prog,
                getenv("PGHOST") ? getenv("PGHOST") : "(unset)",
                getenv("PGPORT") ? getenv("PGPORT") : "(unset)", PQerrorMessage(c));
        PQfinish(c);
        bo_pg_usage(prog);
        exit(EXIT_FAILURE);
    }
    PQfinish(c);
}

/* main's last step, for bo_test_run(): bo_pg_require() (prog, the
 * program's name, for its messages), then the suite with CK_ENV; the
 * process exit status. */
static inline int bo_pg_run(Suite *s, const char *prog)
{
    bo_pg_require(prog);
    return bo_test_run(s);
}

/* Options of a book of these suites: actor "owner", synchronous commit
 * off, created when create is set. */
static inline bo_book_options bo_pg_options(int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = create;
    o.sync = BO_SYNC_OFF;
    return o;
}

/* The book at uri (made when create is set), with bo_pg_options(). */
static inline bo_book *bo_pg_open(const char *uri, int create)
{
    bo_book_options o = bo_pg_options(create);
    bo_book *b = NULL;
    int rc = bo_book_open(&b, uri, &o);
    ck_assert_msg(rc == 0, "open %s: %s", uri, bo_error_message());
    return b;
}

/* A new book in a schema of its own named after stem; *uri set (free()
 * it, or let bo_pg_close() do it). */
static inline bo_book *bo_pg_fresh(const char *stem, char **uri)
{
    *uri = bo_test_path(stem);
    return bo_pg_open(*uri, 1);
}

/* Close the book, drop its schema, free its uri. */
static inline void bo_pg_close(bo_book *b, char *uri)
{
    bo_test_book_free(b);
    free(uri);
}

/* In a forked writer: the book at uri with options o, or exit status 1
 * with "<who> <w>: open <uri>: <message>" on stderr. */
static inline bo_book *bo_pg_child_open(const char *uri, const bo_book_options *o,
                                        const char *who, int w)
{
    bo_book *b = NULL;
    if (bo_book_open(&b, uri, o)) {
        fprintf(stderr, "%s %d: open %s: %s\n", who, w, uri, bo_error_message());
        _exit(1);
    }
    return b;
}

/* Wait for the n forked writers of pids: each exited with status 0. */
static inline void bo_pg_wait(const pid_t *pids, int n, const char *who)
{
    for (int w = 0; w < n; w++) {
        int status = 0;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "%s %d failed (status %d)", who, w, status);
    }
}

/* Fork n children, each running child(arg, w, start) with start the read
 * end of a pipe that returns end of file when they are released: all
 * together, settle_ms after the last was forked (time for each to open its
 * book and connect), so they race from one moment. A child must _exit. */
static inline void bo_pg_race(pid_t *pids, int n, void (*child)(const char *, int, int),
                              const char *arg, long settle_ms)
{
    int start[2];
    ck_assert_int_eq(pipe(start), 0);
    for (int w = 0; w < n; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            close(start[1]);
            child(arg, w, start[0]);
            _exit(0);
        }
    }
    close(start[0]);
    struct timespec settle = { settle_ms / 1000, (settle_ms % 1000) * 1000000L };
    nanosleep(&settle, NULL);
    close(start[1]);
}

/* Writers side by side on lanes of the audit chain (on 1) or taking
 * turns (0), for the books opened from now on: BO_PG_LANES. Returns what
 * it was (NULL when unset), for bo_pg_lanes_restore(). */
static inline char *bo_pg_lanes(int on)
{
    const char *was = getenv("BO_PG_LANES");
    char *saved = was ? strdup(was) : NULL;
    setenv("BO_PG_LANES", on ? "1" : "0", 1);
    return saved;
}

/* BO_PG_LANES as it was before bo_pg_lanes() (saved is freed). */
static inline void bo_pg_lanes_restore(char *saved)
{
    if (saved)
        setenv("BO_PG_LANES", saved, 1);
    else
        unsetenv("BO_PG_LANES");
    free(saved);
}

/* Transactions rolled back in the database of uri so far (the server's
 * count: serialization failures retried, among others). */
static inline int64_t bo_pg_rollbacks(const char *uri)
{
    return bo_test_raw_int(uri, "SELECT xact_rollback FROM pg_stat_database"
                                " WHERE datname = current_database()");
}

/* A database name no other run uses: "bo_<stem>_<pid>_<time>". */
static inline void bo_pg_database_name(char *db, size_t size, const char *stem)
{
    snprintf(db, size, "bo_%s_%ld_%ld", stem, (long)getpid(), (long)time(NULL));
}

/* Drop the database db, sessions still on it included. */
static inline void bo_pg_drop_database(const char *db)
{
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", db);
    bo_test_raw_sql("postgresql:///postgres", sql);
}

/* The trial balance at date: its debit and credit totals; returns its
 * number of rows. */
static inline int bo_pg_trial_totals(bo_book *b, bo_date date, int64_t *debit,
                                     int64_t *credit)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_ledger_trial_balance(b, date, &c));
    int rows = 0, rc;
    *debit = *credit = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        *debit += bo_cursor_int(c, 4);
        *credit += bo_cursor_int(c, 5);
        rows++;
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return rows;
}

#endif
