/*
 * Crash test: a child process posts balanced entries to a SQLite book
 * (synchronous FULL) and reports every commit the library acknowledged
 * through a pipe; the parent kills it with SIGKILL at a random moment,
 * reopens the book and checks that nothing acknowledged was lost, that no
 * entry is unbalanced or changed, that the trial balance is zero and that
 * the audit chain verifies. Then a new child goes on with the same file.
 *
 *   crash_test [--iterations N] [--seed S] [--max-delay-ms MS] [--dir DIR]
 *              [--keep] [--quiet]
 *
 * Each child first replays the keys that were in flight when its
 * predecessor died (a terminal retrying after a crash) and a few keys that
 * were already acknowledged: the library must return the original ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "stress_util.h"

/* One pipe message. Smaller than PIPE_BUF, so every write lands whole. */
typedef struct msg {
    int32_t type;
    int32_t pad;
    int64_t n;
    int64_t id;
} msg;

enum { M_READY = 'R', M_ATTEMPT = 'A', M_ACK = 'K', M_COMMIT = 'C' };

/* Key numbers of child i are i * KEY_SPAN + j: no two children share one. */
#define KEY_SPAN 1000000LL
#define REPLAY_ACKED 2

/* The run's seed: entry k<N> is st_entry_gen(crash_seed, N). */
static uint64_t crash_seed;

typedef struct config {
    int iterations;
    uint64_t seed;
    int max_delay_us;
    char path[4096];
    int keep, quiet;
} config;

typedef struct i64vec {
    int64_t *v;
    size_t len, cap;
} i64vec;

static void vec_push(i64vec *a, int64_t x)
{
    if (a->len == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->v = realloc(a->v, a->cap * sizeof *a->v);
        if (!a->v) {
            fprintf(stderr, "out of memory\n");
            exit(99);
        }
    }
    a->v[a->len++] = x;
}

/* Everything the parent knows. */
typedef struct state {
    st_map attempted;      /* key number -> iteration that tried it */
    st_map acked;          /* key number -> id the library acknowledged */
    st_map known;          /* key number -> id of the entry found in the book */
    st_map ids;            /* entry id -> key number, for every entry seen */
    i64vec acked_list;     /* acknowledged key numbers, for replays */
    i64vec pending;        /* tried but never acknowledged: replayed next */
    i64vec round;          /* tried in the current round */
    int64_t expected[16];  /* own balance per chart account */
    long kills, commits, entries_acked, lost, unbalanced, failures;
    long replays, entries_found;
    int64_t open_us;       /* how long the last child took to open the book */
} state;

#define FAIL(st, ...) do { \
    fprintf(stderr, "FAIL: " __VA_ARGS__); \
    fputc('\n', stderr); \
    (st)->failures++; \
} while (0)

/* ---------------------------------------------------------------- child --- */

static void child_send(int fd, const msg *m, size_t n)
{
    const char *p = (const char *)m;
    size_t left = n * sizeof *m;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(20);
        p += w;
        left -= (size_t)w;
    }
}

static int child_post(bo_book *book, uint64_t seed, int64_t n, int64_t *id)
{
    st_entry e;
    char key[32];
    bo_entry *b = NULL;
    st_entry_gen(seed, (uint64_t)n, &e);
    snprintf(key, sizeof key, "k%" PRId64, n);
    int rc = st_entry_build(&e, key, &b);
    if (rc == 0)
        rc = bo_ledger_post(book, b, id);
    bo_entry_free(b);
    return rc;
}

/* Post one entry on its own and acknowledge it once the call returned.
 * A replay of an acknowledged key is no new commit: it sends no M_COMMIT. */
static void child_single(bo_book *book, int fd, uint64_t seed, int64_t n,
                         int replay)
{
    msg m[2] = {{M_ATTEMPT, 0, n, 0}, {M_COMMIT, 0, 0, 0}};
    child_send(fd, m, 1);
    int64_t id = 0;
    int rc = child_post(book, seed, n, &id);
    if (rc != 0) {
        st_report("child: post", rc);
        _exit(21);
    }
    m[0] = (msg){M_ACK, 0, n, id};
    child_send(fd, m, replay ? 1 : 2);
}

/* Post @p g entries in one explicit transaction; acknowledge after commit. */
static void child_group(bo_book *book, int fd, uint64_t seed, int64_t n0, int g)
{
    msg m[6];
    int rc = bo_book_begin(book);
    if (rc != 0) {
        st_report("child: begin", rc);
        _exit(22);
    }
    for (int i = 0; i < g; i++) {
        msg a = {M_ATTEMPT, 0, n0 + i, 0};
        child_send(fd, &a, 1);
        int64_t id = 0;
        rc = child_post(book, seed, n0 + i, &id);
        if (rc != 0) {
            st_report("child: post in transaction", rc);
            _exit(23);
        }
        m[i] = (msg){M_ACK, 0, n0 + i, id};
    }
    rc = bo_book_commit(book);
    if (rc != 0) {
        st_report("child: commit", rc);
        _exit(24);
    }
    m[g] = (msg){M_COMMIT, 0, 0, 0};
    child_send(fd, m, (size_t)g + 1);
}

static void child_main(const config *cfg, int iter, int fd,
                       const i64vec *pending, const int64_t *replay,
                       size_t nreplay)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_FULL;
    bo_book *book = NULL;
    double t0 = st_now();
    int rc = bo_book_open(&book, cfg->path, &opts);
    if (rc != 0) {
        st_report("child: open", rc);
        _exit(10);
    }
    rc = st_chart_ensure(book);
    if (rc != 0) {
        st_report("child: chart", rc);
        _exit(11);
    }
    /* The time to open (recovery included) goes along, for the log. */
    msg ready = {M_READY, 0, 0, (int64_t)((st_now() - t0) * 1e6)};
    child_send(fd, &ready, 1);

    for (size_t i = 0; i < pending->len; i++)
        child_single(book, fd, cfg->seed, pending->v[i], 0);
    for (size_t i = 0; i < nreplay; i++)
        child_single(book, fd, cfg->seed, replay[i], 1);

    st_rng r;
    st_rng_seed(&r, cfg->seed ^ st_mix((uint64_t)iter * 7919));
    int64_t base = (int64_t)iter * KEY_SPAN, j = 0;
    while (j < KEY_SPAN - 8) {
        if (st_rng_below(&r, 3) == 0) {
            int g = 1 + (int)st_rng_below(&r, 5);
            child_group(book, fd, cfg->seed, base + j, g);
            j += g;
        } else {
            child_single(book, fd, cfg->seed, base + j, 0);
            j++;
        }
    }
    _exit(12); /* never reached in practice: the parent kills us first */
}

/* --------------------------------------------------------------- parent --- */

static void take(state *st, const msg *m, int *ready)
{
    int64_t old;
    switch (m->type) {
    case M_READY:
        *ready = 1;
        st->open_us = m->id;
        break;
    case M_ATTEMPT:
        if (!st_map_get(&st->attempted, m->n, NULL))
            vec_push(&st->round, m->n);
        st_map_put(&st->attempted, m->n, 1);
        break;
    case M_ACK:
        if (st_map_get(&st->acked, m->n, &old)) {
            st->replays++;
            if (old != m->id)
                FAIL(st, "replay of key k%" PRId64 " returned id %" PRId64
                     ", first acknowledged as %" PRId64, m->n, m->id, old);
        } else {
            st_map_put(&st->acked, m->n, m->id);
            vec_push(&st->acked_list, m->n);
            st->entries_acked++;
        }
        break;
    case M_COMMIT:
        st->commits++;
        break;
    default:
        FAIL(st, "bad message type %d from child", m->type);
    }
}

/* Read whatever the pipe holds; wait at most @p timeout_ms (-1: until EOF).
 * Returns 1 at EOF. Partial messages are kept in @p buf between calls. */
static int drain(state *st, int fd, int timeout_ms, char *buf, size_t *have,
                 int *ready)
{
    struct pollfd p = {fd, POLLIN, 0};
    int pr = poll(&p, 1, timeout_ms);
    if (pr <= 0)
        return 0;
    for (;;) {
        ssize_t r = read(fd, buf + *have, sizeof(msg) * 256 - *have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return 1;
        *have += (size_t)r;
        size_t whole = *have / sizeof(msg);
        for (size_t i = 0; i < whole; i++) {
            msg m;
            memcpy(&m, buf + i * sizeof m, sizeof m);
            take(st, &m, ready);
        }
        memmove(buf, buf + whole * sizeof(msg), *have - whole * sizeof(msg));
        *have -= whole * sizeof(msg);
        if (timeout_ms >= 0)
            return 0;
    }
}

/* PRAGMA integrity_check through raw SQLite, read-only (the child is dead,
 * so nobody else holds the file). */
static void integrity(state *st, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return; /* killed before the file was even created */
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        FAIL(st, "sqlite3_open_v2 %s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return;
    }
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
        FAIL(st, "integrity_check: %s", sqlite3_errmsg(db));
    } else {
        int rows = 0, ok = 0, rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(s, 0);
            rows++;
            if (t && strcmp(t, "ok") == 0)
                ok = 1;
            else
                fprintf(stderr, "integrity_check: %s\n", t ? t : "(null)");
        }
        if (rc != SQLITE_DONE || rows != 1 || !ok)
            FAIL(st, "integrity_check failed (%s)", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* Compare entry @p id, new to us, with the entry its key says it is. */
static void check_new_entry(state *st, bo_book *book, int64_t id)
{
    bo_cursor *c = NULL;
    int rc = bo_ledger_entry(book, id, &c);
    if (rc != 0) {
        st_report("bo_ledger_entry", rc);
        FAIL(st, "entry %" PRId64 " is in the journal but cannot be read", id);
        return;
    }
    int c_key = st_col(c, "key"), c_acc = st_col(c, "account");
    int c_amt = st_col(c, "amount"), c_cur = st_col(c, "currency");
    int c_date = st_col(c, "date");
    char key[64] = "", date[16] = "";
    struct { char acc[BO_CODE_MAX + 1], cur[BO_CURRENCY_MAX + 1]; int64_t amt; } row[4];
    int lines = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        if (lines == 0) {
            const char *k = bo_cursor_text(c, c_key), *d = bo_cursor_text(c, c_date);
            snprintf(key, sizeof key, "%s", k ? k : "");
            snprintf(date, sizeof date, "%s", d ? d : "");
        }
        if (lines < 4) {
            const char *a = bo_cursor_text(c, c_acc), *cu = bo_cursor_text(c, c_cur);
            snprintf(row[lines].acc, sizeof row[lines].acc, "%s", a ? a : "");
            snprintf(row[lines].cur, sizeof row[lines].cur, "%s", cu ? cu : "");
            row[lines].amt = bo_cursor_int(c, c_amt);
        }
        lines++;
    }
    bo_cursor_free(c);
    if (rc < 0) {
        st_report("entry cursor", rc);
        FAIL(st, "reading entry %" PRId64, id);
        return;
    }
    if (key[0] != 'k') {
        FAIL(st, "entry %" PRId64 " has key '%s'", id, key);
        return;
    }
    int64_t n = strtoll(key + 1, NULL, 10), other;
    if (!st_map_get(&st->attempted, n, NULL)) {
        FAIL(st, "entry %" PRId64 " has key %s that no child tried", id, key);
        return;
    }
    if (st_map_get(&st->known, n, &other) && other != id) {
        FAIL(st, "key %s recorded twice: entries %" PRId64 " and %" PRId64,
             key, other, id);
        return;
    }
    st_entry e;
    char want_date[16];
    st_entry_gen(crash_seed, (uint64_t)n, &e);
    bo_date_format(e.date, want_date, sizeof want_date);
    int same = lines == e.n && strcmp(date, want_date) == 0;
    for (int i = 0; same && i < e.n; i++) {
        const st_account *a = &st_chart[e.p[i].account];
        same = strcmp(row[i].acc, a->code) == 0 && strcmp(row[i].cur, a->currency) == 0
               && row[i].amt == e.p[i].amount;
    }
    if (!same) {
        FAIL(st, "entry %" PRId64 " (key %s) differs from what was posted "
             "(%d postings, %d expected)", id, key, lines, e.n);
        return;
    }
    st_map_put(&st->known, n, id);
    st_map_put(&st->ids, id, n);
    st->entries_found++;
    for (int i = 0; i < e.n; i++)
        st->expected[e.p[i].account] += e.p[i].amount;
}

/* Walk the whole journal: every entry balances per currency, every entry we
 * knew is still there, every new one is what its key says. */
static void check_journal(state *st, bo_book *book)
{
    bo_date from, to;
    bo_date_from_ymd(2000, 1, 1, &from);
    bo_date_from_ymd(2100, 12, 31, &to);
    bo_cursor *c = NULL;
    int rc = bo_ledger_journal(book, NULL, from, to, &c);
    if (rc != 0) {
        st_report("bo_ledger_journal", rc);
        FAIL(st, "journal");
        return;
    }
    int c_entry = st_col(c, "entry"), c_amt = st_col(c, "amount");
    int c_cur = st_col(c, "currency");
    st_map usd, eur, seen;
    st_map_init(&usd);
    st_map_init(&eur);
    st_map_init(&seen);
    i64vec order = {0};
    while ((rc = bo_cursor_next(c)) == 0) {
        int64_t id = bo_cursor_int(c, c_entry), amt = bo_cursor_int(c, c_amt), s;
        const char *cur = bo_cursor_text(c, c_cur);
        st_map *m = cur && strcmp(cur, "USD") == 0 ? &usd
                  : cur && strcmp(cur, "EUR") == 0 ? &eur : NULL;
        if (!m) {
            FAIL(st, "entry %" PRId64 " has a posting in '%s'", id, cur ? cur : "(null)");
            continue;
        }
        if (!st_map_get(&seen, id, NULL)) {
            st_map_put(&seen, id, 1);
            vec_push(&order, id);
        }
        s = 0;
        st_map_get(m, id, &s);
        st_map_put(m, id, s + amt);
    }
    bo_cursor_free(c);
    if (rc < 0) {
        st_report("journal cursor", rc);
        FAIL(st, "journal cursor");
    }
    for (size_t i = 0; i < order.len; i++) {
        int64_t id = order.v[i], su = 0, se = 0;
        st_map_get(&usd, id, &su);
        st_map_get(&eur, id, &se);
        if (su != 0 || se != 0) {
            st->unbalanced++;
            FAIL(st, "entry %" PRId64 " unbalanced: USD %" PRId64 ", EUR %" PRId64,
                 id, su, se);
        }
        if (!st_map_get(&st->ids, id, NULL))
            check_new_entry(st, book, id);
    }
    /* Entries seen before must all still be there. */
    for (size_t i = 0; i < st->ids.cap; i++) {
        if (st->ids.used[i] && !st_map_get(&seen, st->ids.keys[i], NULL)) {
            st->lost++;
            FAIL(st, "entry %" PRId64 " (key k%" PRId64 ") was in the book and is gone",
                 st->ids.keys[i], st->ids.vals[i]);
        }
    }
    /* Every acknowledged key is present with the acknowledged id. */
    for (size_t i = 0; i < st->acked_list.len; i++) {
        int64_t n = st->acked_list.v[i], id = 0, found = 0;
        st_map_get(&st->acked, n, &id);
        if (!st_map_get(&st->known, n, &found) || found != id) {
            st->lost++;
            FAIL(st, "acknowledged key k%" PRId64 " (id %" PRId64 ") not in the book",
                 n, id);
        }
    }
    st_map_free(&usd);
    st_map_free(&eur);
    st_map_free(&seen);
    free(order.v);
}

/* Trial balance: debits equal credits per currency, and every account's
 * balance is the sum of the entries we found. */
static void check_trial(state *st, bo_book *book)
{
    bo_date to;
    bo_date_from_ymd(2100, 12, 31, &to);
    bo_cursor *c = NULL;
    int rc = bo_ledger_trial_balance(book, to, &c);
    if (rc != 0) {
        st_report("bo_ledger_trial_balance", rc);
        FAIL(st, "trial balance");
        return;
    }
    int c_code = st_col(c, "code"), c_cur = st_col(c, "currency");
    int c_dr = st_col(c, "debit"), c_cr = st_col(c, "credit");
    int64_t got[16] = {0}, dr_usd = 0, cr_usd = 0, dr_eur = 0, cr_eur = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *code = bo_cursor_text(c, c_code), *cur = bo_cursor_text(c, c_cur);
        int i = code ? st_chart_index(code) : -1;
        int64_t dr = bo_cursor_int(c, c_dr), cr = bo_cursor_int(c, c_cr);
        if (i < 0 || !cur || strcmp(cur, st_chart[i].currency) != 0) {
            FAIL(st, "trial balance row %s %s", code ? code : "(null)", cur ? cur : "(null)");
            continue;
        }
        got[i] += dr - cr;
        if (strcmp(cur, "USD") == 0) {
            dr_usd += dr;
            cr_usd += cr;
        } else {
            dr_eur += dr;
            cr_eur += cr;
        }
    }
    bo_cursor_free(c);
    if (rc < 0) {
        st_report("trial balance cursor", rc);
        FAIL(st, "trial balance cursor");
    }
    if (dr_usd != cr_usd || dr_eur != cr_eur)
        FAIL(st, "trial balance not zero: USD %" PRId64 "/%" PRId64 ", EUR %" PRId64
             "/%" PRId64, dr_usd, cr_usd, dr_eur, cr_eur);
    for (size_t i = 0; i < st_chart_len; i++)
        if (got[i] != st->expected[i])
            FAIL(st, "account %s: balance %" PRId64 ", entries sum to %" PRId64,
                 st_chart[i].code, got[i], st->expected[i]);
}

static void verify(state *st, const config *cfg)
{
    integrity(st, cfg->path);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    bo_book *book = NULL;
    int rc = bo_book_open(&book, cfg->path, &opts);
    if (rc == BO_ENOTFOUND && st->acked.len == 0 && st->ids.len == 0)
        return; /* killed before the book was created: nothing to check */
    if (rc != 0) {
        st_report("reopen", rc);
        FAIL(st, "reopening the book after the kill");
        return;
    }
    check_journal(st, book);
    check_trial(st, book);
    int64_t bad_seq = -1;
    rc = bo_audit_verify_full(book, NULL, &bad_seq); /* every table, not the chain alone */
    if (rc != 0 || bad_seq != 0) {
        st_report("bo_audit_verify_full", rc);
        FAIL(st, "audit chain broken at %" PRId64, bad_seq);
    }
    bo_book_free(book);
}

static int round_trip(state *st, const config *cfg, int iter, st_rng *r)
{
    /* A couple of acknowledged keys to replay. */
    int64_t replay[REPLAY_ACKED];
    size_t nreplay = 0;
    for (; nreplay < REPLAY_ACKED && st->acked_list.len > 0; nreplay++)
        replay[nreplay] = st->acked_list.v[st_rng_below(r, st->acked_list.len)];
    int from_ready = iter % 4 != 0;
    int delay_us = (int)st_rng_below(r, (uint64_t)cfg->max_delay_us + 1);

    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(cfg, iter, fds[1], &st->pending, replay, nreplay);
    }
    close(fds[1]);
    st->round.len = 0;
    st->open_us = -1;
    char buf[sizeof(msg) * 256];
    size_t have = 0;
    int ready = 0, eof = 0;
    double t0 = st_now();
    while (from_ready && !ready && !eof && st_now() - t0 < 30.0)
        eof = drain(st, fds[0], 50, buf, &have, &ready);
    if (from_ready && !ready)
        FAIL(st, "kill %d: the child never got the book open", iter);
    double start = st_now(), deadline = start + delay_us / 1e6;
    while (!eof) {
        double left = deadline - st_now();
        if (left <= 0)
            break;
        /* poll() counts whole milliseconds: spin through the last one. */
        eof = drain(st, fds[0], (int)(left * 1000), buf, &have, &ready);
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    while (!eof)
        eof = drain(st, fds[0], -1, buf, &have, &ready);
    close(fds[0]);
    if (have != 0)
        FAIL(st, "kill %d: partial message in the pipe", iter);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
        FAIL(st, "kill %d: the child ended by itself (status %d, exit %d)", iter,
             status, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    st->kills++;

    /* Keys tried but not acknowledged go to the next child as retries. */
    i64vec next = {0};
    for (size_t i = 0; i < st->pending.len; i++)
        if (!st_map_get(&st->acked, st->pending.v[i], NULL))
            vec_push(&next, st->pending.v[i]);
    for (size_t i = 0; i < st->round.len; i++)
        if (!st_map_get(&st->acked, st->round.v[i], NULL))
            vec_push(&next, st->round.v[i]);
    free(st->pending.v);
    st->pending = next;

    long before = st->failures;
    verify(st, cfg);
    if (!cfg->quiet)
        printf("kill %d: %s + %.3f ms (open took %.1f ms), %ld acknowledged so far, "
               "%ld entries in book, %zu in flight%s\n", iter, from_ready ? "open" : "fork",
               delay_us / 1000.0, st->open_us / 1000.0, st->entries_acked,
               st->entries_found, st->pending.len,
               st->failures != before ? "  FAILED" : "");
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: crash_test [--iterations N] [--seed S] [--max-delay-ms MS]"
                    " [--dir DIR] [--keep] [--quiet]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.iterations = 100;
    cfg.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
    cfg.max_delay_us = 30000;
    const char *dir = st_tmpdir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--iterations") == 0 && v) {
            cfg.iterations = atoi(v);
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            cfg.seed = strtoull(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--max-delay-ms") == 0 && v) {
            cfg.max_delay_us = atoi(v) * 1000;
            i++;
        } else if (strcmp(a, "--dir") == 0 && v) {
            dir = v;
            i++;
        } else if (strcmp(a, "--keep") == 0) {
            cfg.keep = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            cfg.quiet = 1;
        } else {
            usage();
        }
    }
    if (cfg.iterations < 1 || cfg.max_delay_us < 0)
        usage();
    crash_seed = cfg.seed;
    snprintf(cfg.path, sizeof cfg.path, "%s/crash-%ld.db", dir, (long)getpid());
    st_unlink_db(cfg.path);
    printf("crash: seed %" PRIu64 " (rerun with --seed %" PRIu64 "), %d kills, "
           "delay 0-%d ms, book %s\n", cfg.seed, cfg.seed, cfg.iterations,
           cfg.max_delay_us / 1000, cfg.path);

    state st;
    memset(&st, 0, sizeof st);
    st_map_init(&st.attempted);
    st_map_init(&st.acked);
    st_map_init(&st.known);
    st_map_init(&st.ids);
    st_rng r;
    st_rng_seed(&r, cfg.seed);
    double t0 = st_now();
    for (int it = 1; it <= cfg.iterations; it++)
        if (round_trip(&st, &cfg, it, &r) != 0)
            return 1;
    printf("crash: %ld kills, %ld acknowledged commits, %ld lost, %ld unbalanced\n",
           st.kills, st.commits, st.lost, st.unbalanced);
    printf("crash: %ld acknowledged entries, %ld entries in the book, %ld replays "
           "returned the original id, %ld failures, %.1f s\n", st.entries_acked,
           st.entries_found, st.replays, st.failures, st_now() - t0);
    /* A run that killed nothing or committed nothing proved nothing: the
     * child must have been killed in most rounds, with commits acknowledged
     * (at least one round in four, some 2 per round is usual) and replays
     * answered. */
    long min_commits = cfg.iterations / 4 > 0 ? cfg.iterations / 4 : 1;
    if (st.kills < (cfg.iterations + 1) / 2 || st.commits < min_commits ||
        st.entries_acked < 1 || (cfg.iterations >= 10 && st.replays < 1)) {
        printf("crash: too little work to show anything: %ld kills (at least %d), %ld "
               "commits (at least %ld), %ld replays\n", st.kills, (cfg.iterations + 1) / 2,
               st.commits, min_commits, st.replays);
        st.failures++;
    }
    if (!cfg.keep && st.failures == 0)
        st_unlink_db(cfg.path);
    st_map_free(&st.attempted);
    st_map_free(&st.acked);
    st_map_free(&st.known);
    st_map_free(&st.ids);
    free(st.acked_list.v);
    free(st.pending.v);
    free(st.round.v);
    return st.failures == 0 ? 0 : 1;
}
