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

/* Key number -> id of every entry in the book. */
static void read_keys(bo_book *book, st_map *keys, long *records)
{
    st_map ids;
    st_map_init(&ids);
    *records = 0;
    bo_cursor *c = NULL;
    int rc = bo_ledger_journal(book, NULL, BO_DATE_MIN, BO_DATE_MAX, &c);
    if (rc) {
        st_report("journal", rc);
        FAIL("journal");
        return;
    }
    int ce = st_col(c, "entry");
    while (bo_cursor_next(c) == 0)
        st_map_put(&ids, bo_cursor_int(c, ce), 1);
    bo_cursor_free(c);
    for (size_t i = 0; i < ids.cap; i++) {
        if (!ids.used[i])
            continue;
        (*records)++;
        if (bo_ledger_entry(book, ids.keys[i], &c) == 0 && bo_cursor_next(c) == 0) {
            const char *k = bo_cursor_text(c, st_col(c, "key"));
            int64_t n = k && k[0] == 'k' ? strtoll(k + 1, NULL, 10) : -1;
            if (st_map_get(keys, n, NULL))
                FAIL("key k%" PRId64 " recorded twice", n);
            st_map_put(keys, n, ids.keys[i]);
        }
        bo_cursor_free(c);
    }
    st_map_free(&ids);
}

static void verify(bo_book *book, int round, int from)
{
    st_map keys;
    st_map_init(&keys);
    long records = 0;
    read_keys(book, &keys, &records);
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
