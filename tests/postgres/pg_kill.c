/*
 * The PostgreSQL server killed in the middle of a stream of commits.
 *
 * A server of this test's own (tests/postgres/pg_server.sh) takes a stream
 * of postings, each with an idempotency key, synchronous commit on (the
 * default BO_SYNC_FULL). At a random moment a helper process shuts the
 * server down in immediate mode (no checkpoint, like a crash); the stream
 * goes on until it sees the server gone; the server is restarted and the
 * same book handle (it connects again by itself) checks that:
 *   - every commit the client was told succeeded is there, with its id;
 *   - every posting refused with an error other than BO_EIO is absent;
 *   - those that got BO_EIO (outcome unknown) are resent with their keys
 *     and each ends up recorded exactly once;
 *   - the trial balance is zero and the audit chain verifies.
 * When the book cannot be read after the restart, that is the failure, and
 * no key is called lost. Before the rounds, the server is killed and
 * restarted with a write sent ahead (pipeline mode) in an open transaction,
 * once for each way the transaction can go on: BO_EIO, then the first read
 * connects again (restart_with_writes_ahead).
 *
 *   pg_kill --server pg_server.sh --state DIR [--rounds N] [--seed S]
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backoffice/sys/driver.h"
#include "stress_util.h"

enum { UNTRIED, ACKED, UNKNOWN, REFUSED };

typedef struct attempt {
    int state;
    int64_t id;
} attempt;

#define MAX_ATTEMPTS 200000

static attempt attempts[MAX_ATTEMPTS];
static int nattempts;
static uint64_t seed;
static long failures;

#define FAIL(...) do { \
    fprintf(stderr, "FAIL: " __VA_ARGS__); \
    fputc('\n', stderr); \
    failures++; \
} while (0)

static void key_of(int n, char *buf, size_t size)
{
    snprintf(buf, size, "k%d", n);
}

static int run_script(const char *script, const char *cmd, const char *state)
{
    char line[8400];
    snprintf(line, sizeof line, "sh '%s' %s '%s'", script, cmd, state);
    int st = system(line);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int load_env(const char *state)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/pg.env", state);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (eq && strncmp(line, "PG", 2) == 0) {
            *eq = '\0';
            setenv(line, eq + 1, 1);
        }
    }
    fclose(f);
    return 0;
}

static int post(bo_book *book, int n, int64_t *id)
{
    st_entry e;
    char key[32];
    bo_entry *b = NULL;
    st_entry_gen(seed, (uint64_t)n, &e);
    key_of(n, key, sizeof key);
    int rc = st_entry_build(&e, key, &b);
    if (rc == 0)
        rc = bo_ledger_post(book, b, id);
    bo_entry_free(b);
    return rc;
}

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Post until the server is seen gone after the killer finished. */
static void stream(bo_book *book, pid_t killer)
{
    int killer_done = 0, down = 0;
    double t0 = st_now();
    while (nattempts < MAX_ATTEMPTS - 3 && st_now() - t0 < 60) {
        if (!killer_done && waitpid(killer, NULL, WNOHANG) == killer)
            killer_done = 1;
        /* now and then three entries in one host transaction */
        int g = nattempts % 10 == 9 ? 3 : 1, first = nattempts, rc = 0;
        if (g > 1)
            rc = bo_book_begin(book);
        for (int i = 0; i < g && rc == 0; i++)
            rc = post(book, first + i, &attempts[first + i].id);
        if (g > 1 && rc == 0)
            rc = bo_book_commit(book);
        if (g > 1 && bo_book_depth(book) > 0)
            bo_book_rollback(book);
        for (int i = 0; i < g; i++)
            attempts[first + i].state = rc == 0 ? ACKED : rc == BO_EIO ? UNKNOWN : REFUSED;
        if (rc != 0 && rc != BO_EIO)
            fprintf(stderr, "refused: %d (%s): %s\n", rc, bo_error_name(rc),
                    bo_error_message());
        nattempts += g;
        if (rc == 0) {
            down = 0;
        } else {
            /* the server is going or gone: a few more tries, not a flood */
            if ((killer_done && ++down >= 3) || down >= 200)
                break;
            nap_ms(20);
        }
    }
    if (!killer_done)
        waitpid(killer, NULL, 0);
}

/* Key number -> id of every entry in the book. 0, or -1 when the book
 * could not be read (then nothing can be said about any key). */
static int read_keys(bo_book *book, st_map *keys, long *records)
{
    st_map ids;
    st_map_init(&ids);
    *records = 0;
    bo_cursor *c = NULL;
    int rc = bo_ledger_journal(book, NULL, BO_DATE_MIN, BO_DATE_MAX, &c);
    if (rc) {
        st_report("journal", rc);
        FAIL("journal: the book could not be read after the restart");
        st_map_free(&ids);
        return -1;
    }
    int ce = st_col(c, "entry");
    while ((rc = bo_cursor_next(c)) == 0)
        st_map_put(&ids, bo_cursor_int(c, ce), 1);
    bo_cursor_free(c);
    if (rc != BO_ITEROVER) {
        st_report("journal", rc);
        FAIL("journal: reading the book stopped after the restart");
        st_map_free(&ids);
        return -1;
    }
    for (size_t i = 0; i < ids.cap; i++) {
        if (!ids.used[i])
            continue;
        (*records)++;
        c = NULL;
        if ((rc = bo_ledger_entry(book, ids.keys[i], &c)) != 0 ||
            (rc = bo_cursor_next(c)) != 0) {
            st_report("entry", rc);
            FAIL("entry %" PRId64 " could not be read after the restart", ids.keys[i]);
            bo_cursor_free(c);
            st_map_free(&ids);
            return -1;
        }
        const char *k = bo_cursor_text(c, st_col(c, "key"));
        int64_t n = k && k[0] == 'k' ? strtoll(k + 1, NULL, 10) : -1;
        if (st_map_get(keys, n, NULL))
            FAIL("key k%" PRId64 " recorded twice", n);
        st_map_put(keys, n, ids.keys[i]);
        bo_cursor_free(c);
    }
    st_map_free(&ids);
    return 0;
}

static void verify(bo_book *book, int round, int from)
{
    st_map keys;
    st_map_init(&keys);
    long records = 0;
    if (read_keys(book, &keys, &records) != 0) {
        /* what is stored is unknown: no key is called lost or present */
        st_map_free(&keys);
        return;
    }
    int acked = 0, unknown = 0, refused = 0, unknown_present = 0;
    for (int n = from; n < nattempts; n++) {
        int64_t id = 0;
        int present = st_map_get(&keys, n, &id);
        switch (attempts[n].state) {
        case ACKED:
            acked++;
            if (!present)
                FAIL("round %d: k%d was acknowledged (id %" PRId64 ") and is lost",
                     round, n, attempts[n].id);
            else if (id != attempts[n].id)
                FAIL("round %d: k%d acknowledged as %" PRId64 ", stored as %" PRId64,
                     round, n, attempts[n].id, id);
            break;
        case REFUSED:
            refused++;
            if (present)
                FAIL("round %d: k%d was refused and is recorded", round, n);
            break;
        case UNKNOWN: {
            unknown++;
            unknown_present += present;
            /* the terminal sends it again with the same key */
            int64_t again = 0;
            int rc = post(book, n, &again);
            if (rc != 0) {
                st_report("resend", rc);
                FAIL("round %d: resending k%d failed", round, n);
            } else if (present && again != id) {
                FAIL("round %d: resent k%d got id %" PRId64 ", stored %" PRId64,
                     round, n, again, id);
            }
            attempts[n].state = ACKED;
            attempts[n].id = again;
            break;
        }
        default:
            break;
        }
    }
    st_map_free(&keys);
    printf("round %d: %d acknowledged (all present), %d outcome unknown (%d had "
           "committed; all resent once), %d refused, %ld entries in the book\n",
           round, acked, unknown, unknown_present, refused, records);
    /* the book is whole */
    bo_cursor *c = NULL;
    int64_t dr[2] = { 0, 0 }, cr[2] = { 0, 0 };
    if (bo_ledger_trial_balance(book, BO_DATE_MAX, &c) == 0) {
        while (bo_cursor_next(c) == 0) {
            int eur = strcmp(bo_cursor_text(c, st_col(c, "currency")), "EUR") == 0;
            dr[eur] += bo_cursor_int(c, st_col(c, "debit"));
            cr[eur] += bo_cursor_int(c, st_col(c, "credit"));
        }
        bo_cursor_free(c);
    }
    if (dr[0] != cr[0] || dr[1] != cr[1])
        FAIL("round %d: trial balance not zero", round);
    int64_t bad = -1;
    int rc = bo_audit_verify(book, &bad);
    if (rc != 0 || bad != 0) {
        st_report("audit", rc);
        FAIL("round %d: audit chain broken at %" PRId64, round, bad);
    }
}

/* ---- the server restarted with writes sent ahead ---------------------------
 * Inside a write transaction the driver sends writes ahead (libpq's pipeline
 * mode) and reads their answers with the next statement that needs one.
 * The server is killed and restarted with such a write unanswered; then the
 * transaction goes on in one of these ways, and must fail with BO_EIO (the
 * caller rolls back), and the first read after it, outside a transaction,
 * must connect again and work, with no message of the earlier failure. */
enum { AHEAD_COMMIT, AHEAD_READ, AHEAD_CHANGES, AHEAD_ROLLBACK, AHEAD_WRITE,
       AHEAD_EXEC, AHEAD_COPY, AHEAD_CASES };

static const char *const ahead_names[] = { "commit", "read", "changes", "rollback",
                                           "write", "exec", "copy" };

/* One row of one column as text; a driver error code otherwise. */
static int ahead_query(const bo_driver *d, bo_driver_conn *c, const char *sql,
                       char *out, size_t size)
{
    bo_driver_stmt *s = NULL;
    int rc = d->prepare(c, sql, &s);
    if (rc)
        return rc;
    rc = d->step(s);
    if (rc == BO_DRIVER_ROW) {
        const char *t = d->column_text(s, 0, NULL);
        snprintf(out, size, "%s", t ? t : "(null)");
        rc = 0;
    }
    d->finalize(s);
    return rc;
}

static void restart_with_writes_ahead(const char *script, const char *state)
{
    const bo_driver *d = bo_driver_find("postgresql");
    bo_driver_settings set = { 1, 5000, BO_SYNC_FULL, 1 };
    bo_driver_conn *c = NULL;
    int rc = d ? d->open(d, "///bo_kill_ahead", &set, &c) : BO_ERROR;
    if (rc == 0)
        rc = d->exec(c, "CREATE TABLE IF NOT EXISTS ahead (v BIGINT)");
    if (rc != 0) {
        FAIL("writes ahead: setup: %d %s", rc, c ? d->errmsg(c) : "no driver");
        if (d)
            d->close(c);
        return;
    }
    for (int i = 0; i < AHEAD_CASES; i++) {
        const char *name = ahead_names[i];
        char out[64] = "";
        bo_driver_stmt *ins = NULL;
        if ((rc = d->exec(c, "DELETE FROM ahead")) || (rc = d->begin(c, 1)) ||
            (rc = d->prepare(c, "INSERT INTO ahead (v) VALUES (?)", &ins)) ||
            (rc = d->bind_int64(ins, 1, 1)) || (rc = d->step(ins)) != BO_DRIVER_DONE) {
            FAIL("writes ahead, %s: before the kill: %d %s", name, rc, d->errmsg(c));
            d->finalize(ins);
            break;
        }
        d->reset(ins);
        if (run_script(script, "kill", state) != 0 ||
            run_script(script, "restart", state) != 0) {
            FAIL("writes ahead, %s: the server did not restart", name);
            d->finalize(ins);
            break;
        }
        switch (i) {
        case AHEAD_COMMIT:
            rc = d->commit(c);
            break;
        case AHEAD_READ:
            rc = ahead_query(d, c, "SELECT count(*) FROM ahead", out, sizeof out);
            break;
        case AHEAD_CHANGES:
            d->changes(c);
            rc = ahead_query(d, c, "SELECT count(*) FROM ahead", out, sizeof out);
            break;
        case AHEAD_ROLLBACK:
            rc = BO_EIO; /* rolled back at once */
            break;
        case AHEAD_WRITE:
            if ((rc = d->bind_int64(ins, 1, 2)) == 0 &&
                (rc = d->step(ins)) == BO_DRIVER_DONE)
                rc = d->commit(c);
            break;
        case AHEAD_EXEC:
            rc = d->exec(c, "SAVEPOINT s");
            break;
        case AHEAD_COPY: {
            const char *v[] = { "3" };
            rc = d->copy_rows(c, "ahead", "v", 1, 1, v);
            break;
        }
        }
        if (rc != BO_EIO)
            FAIL("writes ahead, %s: %d after the restart, not BO_EIO: %s", name, rc,
                 d->errmsg(c));
        else if (strstr(d->errmsg(c), "pipeline"))
            FAIL("writes ahead, %s: a message of an earlier failure: %s", name,
                 d->errmsg(c));
        d->rollback(c);
        d->finalize(ins);
        rc = ahead_query(d, c, "SELECT count(*) FROM ahead", out, sizeof out);
        if (rc != 0)
            FAIL("writes ahead, %s: the first read after the restart: %d %s", name, rc,
                 d->errmsg(c));
        else if (strcmp(out, "0") != 0)
            FAIL("writes ahead, %s: %s rows of a transaction that never committed",
                 name, out);
        else
            printf("writes ahead, %s: BO_EIO in the transaction, the read after "
                   "it connected again\n", name);
    }
    d->close(c);
}

int main(int argc, char **argv)
{
    const char *script = NULL, *state = NULL;
    int rounds = 3;
    seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--server") && i + 1 < argc)
            script = argv[++i];
        else if (!strcmp(argv[i], "--state") && i + 1 < argc)
            state = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 10);
        else
            script = NULL, i = argc;
    }
    if (!script || !state || rounds < 1) {
        fprintf(stderr, "usage: pg_kill --server pg_server.sh --state DIR "
                        "[--rounds N] [--seed S]\n");
        return 2;
    }
    printf("seed %" PRIu64 "\n", seed);
    fflush(stdout);
    if (run_script(script, "start", state) != 0 || load_env(state) != 0) {
        fprintf(stderr, "pg_kill: the test server did not start\n");
        return 1;
    }
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_FULL; /* acknowledged means on disk */
    bo_book *book = NULL;
    int rc = bo_book_open(&book, "postgresql:///bo_kill", &opts);
    if (rc == 0)
        rc = st_chart_ensure(book);
    if (rc != 0) {
        st_report("setup", rc);
        run_script(script, "stop", state);
        return 1;
    }
    restart_with_writes_ahead(script, state);
    srand((unsigned)seed);
    for (int round = 1; round <= rounds && !failures; round++) {
        int from = nattempts;
        fflush(stdout);
        pid_t killer = fork();
        if (killer == 0) {
            nap_ms(150 + rand() % 400);
            execl("/bin/sh", "sh", script, "kill", state, (char *)NULL);
            _exit(127);
        }
        stream(book, killer);
        if (run_script(script, "restart", state) != 0) {
            FAIL("round %d: the server did not restart", round);
            break;
        }
        verify(book, round, from);
    }
    bo_book_free(book);
    run_script(script, "stop", state);
    printf("%s: %d postings attempted over %d kills\n",
           failures ? "FAILED" : "ok", nattempts, rounds);
    return failures ? 1 : 0;
}
