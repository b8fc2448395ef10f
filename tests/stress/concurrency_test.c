/*
 * Concurrency test: several processes, each with its own book handle, post
 * entries at the same time to the same few accounts of one SQLite book.
 * The library's busy timeout and BEGIN IMMEDIATE must make them wait, never
 * fail: every child counts the errors it got (must be 0). Then each child
 * replays some of its idempotency keys, which must return the original ids.
 * The parent checks that every entry is there exactly once, that balances
 * equal what the children posted, that the trial balance is zero and that
 * the audit chain verifies.
 *
 *   concurrency_test [--procs N] [--entries K] [--replay R]
 *                    [--sync full|normal|off] [--seed S] [--dir DIR] [--keep]
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress_util.h"

#define KEY_SPAN 10000000LL
#define MAX_PROCS 64

typedef struct config {
    int procs, entries, replay, sync;
    uint64_t seed;
    char path[4096];
    int keep;
} config;

/* What a child sends back at the end, followed by its entry ids. */
typedef struct result {
    int32_t errors, posted, replayed, groups;
    int64_t own[16];   /* own-posting sums per chart account */
    double seconds;
    int64_t wal_max; /* the largest write-ahead log this child saw, bytes */
} result;

/* The write-ahead log must stay near SQLite's checkpoint threshold (1,000
 * frames of 4 KiB) however many processes write: the log restarted by the
 * checkpoint after a commit. Several writers back to back once starved
 * SQLite's passive checkpoint and the log grew with every entry (200 MB
 * for 4,000 entries of 8 processes). */
#define WAL_BOUND (10LL << 20)

static int64_t wal_size(const char *db)
{
    char p[4200];
    struct stat sb;
    snprintf(p, sizeof p, "%s-wal", db);
    return stat(p, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static void key_of(int64_t n, char *buf, size_t size)
{
    snprintf(buf, size, "c%" PRId64, n);
}

static int post(bo_book *book, uint64_t seed, int64_t n, int64_t *id)
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

static void add_own(int64_t *own, uint64_t seed, int64_t n)
{
    st_entry e;
    st_entry_gen(seed, (uint64_t)n, &e);
    for (int i = 0; i < e.n; i++)
        own[e.p[i].account] += e.p[i].amount;
}

static void write_all(int fd, const void *p, size_t len)
{
    const char *c = p;
    while (len > 0) {
        ssize_t w = write(fd, c, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(30);
        c += w;
        len -= (size_t)w;
    }
}

static void child_main(const config *cfg, int index, int start_fd, int out_fd)
{
    /* Wait until every sibling exists: the parent closes the pipe. */
    char ch;
    while (read(start_fd, &ch, 1) > 0)
        ;
    result res;
    memset(&res, 0, sizeof res);
    int64_t *ids = calloc((size_t)cfg->entries, sizeof *ids);
    if (!ids)
        _exit(31);
    char actor[32];
    snprintf(actor, sizeof actor, "clerk%d", index);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = actor;
    opts.sync = cfg->sync;
    bo_book *book = NULL;
    double t0 = st_now();
    int rc = bo_book_open(&book, cfg->path, &opts);
    if (rc != 0) {
        st_report("child: open", rc);
        _exit(32);
    }
    int64_t base = (int64_t)index * KEY_SPAN;
    int j = 0;
    while (j < cfg->entries) {
        /* Every tenth step groups three entries in one explicit transaction. */
        int g = (j % 10 == 9 && j + 3 <= cfg->entries) ? 3 : 1;
        int in_txn = g > 1;
        if (in_txn && (rc = bo_book_begin(book)) != 0) {
            st_report("child: begin", rc);
            res.errors++;
            in_txn = 0;
            g = 1;
        }
        int ok = 1;
        for (int i = 0; i < g; i++) {
            rc = post(book, cfg->seed, base + j + i, &ids[j + i]);
            if (rc != 0) {
                st_report("child: post", rc);
                res.errors++;
                ok = 0;
                break;
            }
        }
        if (in_txn) {
            if (ok && (rc = bo_book_commit(book)) != 0) {
                st_report("child: commit", rc);
                res.errors++;
                ok = 0;
            }
            if (!ok && bo_book_depth(book) > 0)
                bo_book_rollback(book);
            res.groups++;
        }
        if (ok) {
            for (int i = 0; i < g; i++)
                add_own(res.own, cfg->seed, base + j + i);
            res.posted += g;
        } else {
            for (int i = 0; i < g; i++)
                ids[j + i] = 0;
        }
        j += g;
        int64_t w = wal_size(cfg->path);
        if (w > res.wal_max)
            res.wal_max = w;
    }
    /* Replays: a terminal that did not hear back sends the same key again. */
    int step = cfg->replay > 0 ? cfg->entries / cfg->replay : 0;
    for (int r = 0; step > 0 && r < cfg->replay; r++) {
        int k = r * step;
        int64_t id = 0;
        rc = post(book, cfg->seed, base + k, &id);
        if (rc != 0) {
            st_report("child: replay", rc);
            res.errors++;
        } else if (id != ids[k]) {
            fprintf(stderr, "child %d: replay of key c%" PRId64 " gave id %" PRId64
                    ", first post %" PRId64 "\n", index, base + k, id, ids[k]);
            res.errors++;
        }
        res.replayed++;
    }
    res.seconds = st_now() - t0;
    bo_book_free(book);
    write_all(out_fd, &res, sizeof res);
    write_all(out_fd, ids, (size_t)cfg->entries * sizeof *ids);
    free(ids);
    _exit(res.errors == 0 ? 0 : 1);
}

static int read_all(int fd, void *p, size_t len)
{
    char *c = p;
    while (len > 0) {
        ssize_t r = read(fd, c, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        len -= (size_t)r;
    }
    return 0;
}

static long failures;

#define FAIL(...) do { \
    fprintf(stderr, "FAIL: " __VA_ARGS__); \
    fputc('\n', stderr); \
    failures++; \
} while (0)

static int setup(const config *cfg)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = cfg->sync;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, cfg->path, &opts);
    if (rc == 0)
        rc = st_chart_ensure(book);
    if (rc == 0)
        rc = bo_role_define(book, "clerk", "ledger.read ledger.post");
    for (int i = 0; rc == 0 && i < cfg->procs; i++) {
        char actor[32];
        snprintf(actor, sizeof actor, "clerk%d", i);
        rc = bo_role_grant(book, actor, "clerk");
    }
    if (rc != 0)
        st_report("setup", rc);
    bo_book_free(book);
    return rc;
}

/* Count the entries in the journal and check each balances per currency. */
static int64_t journal_entries(bo_book *book, long *unbalanced)
{
    bo_date from, to;
    bo_date_from_ymd(2000, 1, 1, &from);
    bo_date_from_ymd(2100, 12, 31, &to);
    bo_cursor *c = NULL;
    int rc = bo_ledger_journal(book, NULL, from, to, &c);
    if (rc != 0) {
        st_report("bo_ledger_journal", rc);
        FAIL("journal");
        return -1;
    }
    int c_entry = st_col(c, "entry"), c_amt = st_col(c, "amount");
    int c_cur = st_col(c, "currency");
    st_map usd, eur, seen;
    st_map_init(&usd);
    st_map_init(&eur);
    st_map_init(&seen);
    while ((rc = bo_cursor_next(c)) == 0) {
        int64_t id = bo_cursor_int(c, c_entry), s = 0;
        const char *cur = bo_cursor_text(c, c_cur);
        st_map *m = cur && strcmp(cur, "EUR") == 0 ? &eur : &usd;
        st_map_put(&seen, id, 1);
        st_map_get(m, id, &s);
        st_map_put(m, id, s + bo_cursor_int(c, c_amt));
    }
    bo_cursor_free(c);
    if (rc < 0) {
        st_report("journal cursor", rc);
        FAIL("journal cursor");
    }
    for (size_t i = 0; i < seen.cap; i++) {
        int64_t su = 0, se = 0;
        if (!seen.used[i])
            continue;
        st_map_get(&usd, seen.keys[i], &su);
        st_map_get(&eur, seen.keys[i], &se);
        if (su != 0 || se != 0) {
            (*unbalanced)++;
            FAIL("entry %" PRId64 " unbalanced: USD %" PRId64 " EUR %" PRId64,
                 seen.keys[i], su, se);
        }
    }
    int64_t n = (int64_t)seen.len;
    st_map_free(&usd);
    st_map_free(&eur);
    st_map_free(&seen);
    return n;
}

static void check_book(const config *cfg, const int64_t *own, int64_t *const *ids,
                       long *lost, long *dups, long *unbalanced)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    bo_book *book = NULL;
    int rc = bo_book_open(&book, cfg->path, &opts);
    if (rc != 0) {
        st_report("reopen", rc);
        FAIL("reopen");
        return;
    }
    int64_t want = (int64_t)cfg->procs * cfg->entries;
    int64_t got = journal_entries(book, unbalanced);
    if (got != want)
        FAIL("the journal holds %" PRId64 " entries, %" PRId64 " were posted", got, want);
    if (got > want)
        *dups += got - want;

    /* Each id once, and each entry carries the key its child gave it. */
    st_map byid;
    st_map_init(&byid);
    for (int p = 0; p < cfg->procs; p++) {
        for (int j = 0; j < cfg->entries; j++) {
            int64_t id = ids[p][j], n = (int64_t)p * KEY_SPAN + j, other;
            if (id <= 0) {
                (*lost)++;
                continue;
            }
            if (st_map_get(&byid, id, &other)) {
                (*dups)++;
                FAIL("id %" PRId64 " given to keys c%" PRId64 " and c%" PRId64, id, other, n);
                continue;
            }
            st_map_put(&byid, id, n);
            bo_cursor *c = NULL;
            char key[32];
            key_of(n, key, sizeof key);
            rc = bo_ledger_entry(book, id, &c);
            if (rc == 0)
                rc = bo_cursor_next(c);
            const char *k = rc == 0 ? bo_cursor_text(c, st_col(c, "key")) : NULL;
            if (!k || strcmp(k, key) != 0) {
                (*lost)++;
                FAIL("entry %" PRId64 ": key %s, expected %s (rc %d)", id,
                     k ? k : "(none)", key, rc);
            }
            bo_cursor_free(c);
        }
    }
    st_map_free(&byid);

    /* Balances: bo_ledger_balance rolls sub-accounts up into their parents. */
    bo_date as_of;
    bo_date_from_ymd(2100, 12, 31, &as_of);
    for (size_t i = 0; i < st_chart_len; i++) {
        int64_t expect = own[i], bal = 0;
        for (size_t j = 0; j < st_chart_len; j++)
            if (st_chart[j].parent && strcmp(st_chart[j].parent, st_chart[i].code) == 0)
                expect += own[j];
        rc = bo_ledger_balance(book, st_chart[i].code, as_of, NULL, &bal);
        if (rc != 0) {
            st_report("bo_ledger_balance", rc);
            FAIL("balance of %s", st_chart[i].code);
        } else if (bal != expect) {
            FAIL("balance of %s is %" PRId64 ", the children posted %" PRId64,
                 st_chart[i].code, bal, expect);
        }
    }

    /* Trial balance: zero per currency, own balances as posted. */
    bo_cursor *c = NULL;
    rc = bo_ledger_trial_balance(book, as_of, &c);
    if (rc != 0) {
        st_report("bo_ledger_trial_balance", rc);
        FAIL("trial balance");
    } else {
        int c_code = st_col(c, "code"), c_cur = st_col(c, "currency");
        int c_dr = st_col(c, "debit"), c_cr = st_col(c, "credit");
        int64_t dr[2] = {0, 0}, cr[2] = {0, 0}, tb[16] = {0};
        while ((rc = bo_cursor_next(c)) == 0) {
            const char *code = bo_cursor_text(c, c_code), *cur = bo_cursor_text(c, c_cur);
            int i = code ? st_chart_index(code) : -1;
            int eur = cur && strcmp(cur, "EUR") == 0;
            if (i < 0) {
                FAIL("trial balance row for unknown account %s", code ? code : "(null)");
                continue;
            }
            dr[eur] += bo_cursor_int(c, c_dr);
            cr[eur] += bo_cursor_int(c, c_cr);
            tb[i] += bo_cursor_int(c, c_dr) - bo_cursor_int(c, c_cr);
        }
        bo_cursor_free(c);
        if (rc < 0)
            FAIL("trial balance cursor: %s", bo_error_message());
        if (dr[0] != cr[0] || dr[1] != cr[1])
            FAIL("trial balance not zero: USD %" PRId64 "/%" PRId64 " EUR %" PRId64
                 "/%" PRId64, dr[0], cr[0], dr[1], cr[1]);
        for (size_t i = 0; i < st_chart_len; i++)
            if (tb[i] != own[i])
                FAIL("trial balance of %s is %" PRId64 ", posted %" PRId64,
                     st_chart[i].code, tb[i], own[i]);
    }

    int64_t bad = -1;
    rc = bo_audit_verify_full(book, NULL, &bad); /* every table, not the chain alone */
    if (rc != 0 || bad != 0) {
        st_report("bo_audit_verify_full", rc);
        FAIL("audit chain broken at %" PRId64, bad);
    }
    bo_book_free(book);
}

static void usage(void)
{
    fprintf(stderr, "usage: concurrency_test [--procs N] [--entries K] [--replay R]"
                    " [--sync full|normal|off] [--seed S] [--dir DIR] [--keep]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.procs = 4;
    cfg.entries = 500;
    cfg.replay = 50;
    cfg.sync = BO_SYNC_FULL;
    cfg.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
    const char *dir = st_tmpdir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--keep") == 0) {
            cfg.keep = 1;
            continue;
        }
        if (!v)
            usage();
        i++;
        if (strcmp(a, "--procs") == 0)
            cfg.procs = atoi(v);
        else if (strcmp(a, "--entries") == 0)
            cfg.entries = atoi(v);
        else if (strcmp(a, "--replay") == 0)
            cfg.replay = atoi(v);
        else if (strcmp(a, "--seed") == 0)
            cfg.seed = strtoull(v, NULL, 0);
        else if (strcmp(a, "--dir") == 0)
            dir = v;
        else if (strcmp(a, "--sync") == 0)
            cfg.sync = strcmp(v, "off") == 0 ? BO_SYNC_OFF
                     : strcmp(v, "normal") == 0 ? BO_SYNC_NORMAL : BO_SYNC_FULL;
        else
            usage();
    }
    if (cfg.procs < 1 || cfg.procs > MAX_PROCS || cfg.entries < 1 || cfg.replay < 0 ||
        cfg.replay > cfg.entries)
        usage();
    snprintf(cfg.path, sizeof cfg.path, "%s/concurrency-%ld.db", dir, (long)getpid());
    st_unlink_db(cfg.path);
    printf("concurrency: seed %" PRIu64 ", %d processes x %d entries, %d replays each, "
           "sync %d, book %s\n", cfg.seed, cfg.procs, cfg.entries, cfg.replay, cfg.sync,
           cfg.path);
    if (setup(&cfg) != 0)
        return 1;

    int start[2];
    if (pipe(start) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t pids[MAX_PROCS];
    int outs[MAX_PROCS];
    fflush(NULL);
    for (int p = 0; p < cfg.procs; p++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("pipe");
            return 1;
        }
        pids[p] = fork();
        if (pids[p] < 0) {
            perror("fork");
            return 1;
        }
        if (pids[p] == 0) {
            close(start[1]);
            close(fds[0]);
            for (int q = 0; q < p; q++)
                close(outs[q]);
            child_main(&cfg, p, start[0], fds[1]);
        }
        close(fds[1]);
        outs[p] = fds[0];
    }
    close(start[0]);
    double t0 = st_now();
    close(start[1]); /* go */

    int64_t own[16] = {0};
    int64_t *ids[MAX_PROCS];
    long errors = 0, replayed = 0, posted = 0, lost = 0, dups = 0, unbalanced = 0;
    for (int p = 0; p < cfg.procs; p++) {
        result res;
        ids[p] = calloc((size_t)cfg.entries, sizeof *ids[p]);
        if (read_all(outs[p], &res, sizeof res) != 0 ||
            read_all(outs[p], ids[p], (size_t)cfg.entries * sizeof *ids[p]) != 0) {
            FAIL("child %d sent no result", p);
            memset(&res, 0, sizeof res);
            res.errors = 1;
        }
        close(outs[p]);
        errors += res.errors;
        replayed += res.replayed;
        posted += res.posted;
        for (size_t i = 0; i < st_chart_len; i++)
            own[i] += res.own[i];
        printf("concurrency: child %d posted %d entries (%d groups) in %.2f s, "
               "%d errors, write-ahead log up to %.1f MiB\n", p, res.posted, res.groups,
               res.seconds, res.errors, (double)res.wal_max / 1048576.0);
        if (res.wal_max > WAL_BOUND)
            FAIL("child %d saw a write-ahead log of %" PRId64 " bytes (bound %lld): "
                 "the checkpoints do not restart it", p, res.wal_max, WAL_BOUND);
    }
    for (int p = 0; p < cfg.procs; p++) {
        int status = 0;
        waitpid(pids[p], &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            FAIL("child %d ended with status %d", p, status);
    }
    double secs = st_now() - t0;
    if (errors != 0)
        FAIL("children got %ld errors", errors);
    check_book(&cfg, own, ids, &lost, &dups, &unbalanced);
    printf("concurrency: %d processes, %ld entries posted, %ld errors, %ld lost, "
           "%ld duplicates, %ld unbalanced, %ld replays, %.0f entries/s\n", cfg.procs,
           posted, errors, lost, dups, unbalanced, replayed, (double)posted / secs);
    for (int p = 0; p < cfg.procs; p++)
        free(ids[p]);
    if (!cfg.keep && failures == 0)
        st_unlink_db(cfg.path);
    return failures == 0 ? 0 : 1;
}
