/*
 * PostgreSQL concurrency: N processes post at the same time to the same
 * few accounts of one database, then one check judges the result:
 *   - no caller got an error,
 *   - every command is recorded exactly once (by its idempotency key),
 *   - every account's balance equals the sum of what was posted to it.
 *
 * Run 1, "library": each process posts through libbackoffice (SERIALIZABLE
 * write transactions, retried on serialization failure), with some entries
 * grouped in host transactions and some keys replayed. The check must pass;
 * the audit chain and the trial balance are verified too.
 *
 * Run 2, "naive": each process does what a hand-written client would do
 * through raw libpq at the default READ COMMITTED isolation: read an
 * account's balance, add the amount, write it back, log the key. The same
 * check must FAIL (lost updates): it proves the check can see what the
 * library must prevent.
 *
 *   pg_concurrency [--procs N] [--entries K] [--seed S] [--keep]
 *
 * The server comes from the PG* environment, or from the file that
 * BO_TEST_PG_ENV names (written by tests/postgres/pg_server.sh). Exit 0 only
 * when the library run passes and the naive run is caught.
 */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "stress_util.h"

#define KEY_SPAN 10000000LL
#define MAX_PROCS 64
#define NACC 16

typedef struct config {
    int procs, entries;
    uint64_t seed;
    int keep;
} config;

typedef struct result {
    int32_t errors, posted;
    int64_t own[NACC]; /* what this process posted, per chart account */
} result;

static void key_of(int64_t n, char *buf, size_t size)
{
    snprintf(buf, size, "c%" PRId64, n);
}

static void load_env(void)
{
    const char *file = getenv("BO_TEST_PG_ENV");
    if (!file || !*file)
        return;
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "pg_concurrency: %s is missing: no test server\n", file);
        exit(2);
    }
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
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static PGconn *connect_db(const char *dbname)
{
    const char *keys[] = { "dbname", NULL };
    const char *vals[] = { dbname, NULL };
    PGconn *pg = PQconnectdbParams(keys, vals, 0);
    if (PQstatus(pg) != CONNECTION_OK) {
        fprintf(stderr, "connect %s: %s", dbname, PQerrorMessage(pg));
        exit(2);
    }
    PQsetNoticeProcessor(pg, quiet, NULL);
    return pg;
}

static int sql_ok(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok)
        fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    return ok;
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

static void add_own(int64_t *own, const st_entry *e)
{
    for (int i = 0; i < e->n; i++)
        own[e->p[i].account] += e->p[i].amount;
}

/* ---- the library's way ---------------------------------------------------- */

static char lib_uri[256];

static int lib_post(bo_book *book, const config *cfg, int64_t n, int64_t *id)
{
    st_entry e;
    char key[32];
    bo_entry *b = NULL;
    st_entry_gen(cfg->seed, (uint64_t)n, &e);
    key_of(n, key, sizeof key);
    int rc = st_entry_build(&e, key, &b);
    if (rc == 0)
        rc = bo_ledger_post(book, b, id);
    bo_entry_free(b);
    return rc;
}

static void lib_child(const config *cfg, int index, result *res)
{
    char actor[32];
    snprintf(actor, sizeof actor, "clerk%d", index);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = actor;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, lib_uri, &opts);
    if (rc) {
        st_report("child: open", rc);
        res->errors++;
        return;
    }
    int64_t base = (int64_t)index * KEY_SPAN;
    int64_t *ids = calloc((size_t)cfg->entries, sizeof *ids);
    for (int j = 0; j < cfg->entries;) {
        /* every tenth step: three entries in one host transaction, which
         * the host retries as a whole on BO_ECONFLICT */
        int g = (j % 10 == 9 && j + 3 <= cfg->entries) ? 3 : 1;
        for (int attempt = 0;; attempt++) {
            if (g > 1 && (rc = bo_book_begin(book)) != 0)
                break;
            for (int i = 0; i < g && rc == 0; i++)
                rc = lib_post(book, cfg, base + j + i, &ids[j + i]);
            if (g > 1)
                rc = rc == 0 ? bo_book_commit(book) : rc;
            if (g > 1 && bo_book_depth(book) > 0)
                bo_book_rollback(book);
            if (rc != BO_ECONFLICT || g == 1 || attempt >= 20)
                break;
            struct timespec nap = { 0, (long)(1 + rand() % 8) * 1000000L };
            nanosleep(&nap, NULL);
        }
        if (rc != 0) {
            st_report("child: post", rc);
            res->errors++;
        } else {
            for (int i = 0; i < g; i++) {
                st_entry e;
                st_entry_gen(cfg->seed, (uint64_t)(base + j + i), &e);
                add_own(res->own, &e);
            }
            res->posted += g;
        }
        j += g;
    }
    /* a terminal that did not hear back sends the same key again */
    for (int j = 0; j < cfg->entries; j += 10) {
        int64_t id = 0;
        rc = lib_post(book, cfg, base + j, &id);
        if (rc != 0 || id != ids[j]) {
            fprintf(stderr, "child %d: replay of c%" PRId64 ": rc %d, id %" PRId64
                    " (first %" PRId64 ")\n", index, base + j, rc, id, ids[j]);
            res->errors++;
        }
    }
    free(ids);
    bo_book_free(book);
}

/* ---- the naive way ----------------------------------------------------------- */

static char naive_db[128];

static void naive_child(const config *cfg, int index, result *res)
{
    PGconn *pg = connect_db(naive_db);
    int64_t base = (int64_t)index * KEY_SPAN;
    for (int j = 0; j < cfg->entries; j++) {
        st_entry e;
        st_entry_gen(cfg->seed, (uint64_t)(base + j), &e);
        char key[32], sql[256];
        key_of(base + j, key, sizeof key);
        /* accounts in a fixed order, so the only failure is the lost update
         * (no deadlock) */
        for (int i = 0; i < e.n; i++)
            for (int k = i + 1; k < e.n; k++)
                if (e.p[k].account < e.p[i].account) {
                    st_posting t = e.p[i];
                    e.p[i] = e.p[k];
                    e.p[k] = t;
                }
        int ok = sql_ok(pg, "BEGIN"); /* READ COMMITTED, the default */
        for (int i = 0; ok && i < e.n; i++) {
            snprintf(sql, sizeof sql, "SELECT total FROM naive_balances WHERE account = %d",
                     e.p[i].account);
            PGresult *r = PQexec(pg, sql);
            ok = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1;
            int64_t total = ok ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
            PQclear(r);
            snprintf(sql, sizeof sql, "UPDATE naive_balances SET total = %" PRId64
                     " WHERE account = %d", total + e.p[i].amount, e.p[i].account);
            ok = ok && sql_ok(pg, sql);
        }
        snprintf(sql, sizeof sql, "INSERT INTO naive_log (key) VALUES ('%s')", key);
        ok = ok && sql_ok(pg, sql) && sql_ok(pg, "COMMIT");
        if (!ok) {
            sql_ok(pg, "ROLLBACK");
            res->errors++;
        } else {
            add_own(res->own, &e);
            res->posted++;
        }
    }
    PQfinish(pg);
}

/* ---- running the processes --------------------------------------------------- */

typedef void (*child_fn)(const config *cfg, int index, result *res);

static int run_children(const config *cfg, child_fn fn, result *total, double *secs)
{
    int start[2];
    int out[MAX_PROCS][2];
    pid_t pids[MAX_PROCS];
    if (pipe(start) != 0)
        return -1;
    for (int p = 0; p < cfg->procs; p++) {
        if (pipe(out[p]) != 0)
            return -1;
        pids[p] = fork();
        if (pids[p] == 0) {
            close(start[1]);
            close(out[p][0]);
            char ch;
            while (read(start[0], &ch, 1) > 0) /* all siblings exist */
                ;
            srand((unsigned)getpid());
            result res;
            memset(&res, 0, sizeof res);
            fn(cfg, p, &res);
            write_all(out[p][1], &res, sizeof res);
            _exit(0);
        }
        close(out[p][1]);
    }
    close(start[0]);
    double t0 = st_now();
    close(start[1]);
    memset(total, 0, sizeof *total);
    int bad = 0;
    for (int p = 0; p < cfg->procs; p++) {
        result res;
        if (read_all(out[p][0], &res, sizeof res) != 0) {
            fprintf(stderr, "child %d sent no result\n", p);
            bad = 1;
            total->errors++;
        } else {
            total->errors += res.errors;
            total->posted += res.posted;
            for (int i = 0; i < NACC; i++)
                total->own[i] += res.own[i];
        }
        close(out[p][0]);
    }
    for (int p = 0; p < cfg->procs; p++) {
        int st;
        waitpid(pids[p], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            bad = 1;
    }
    *secs = st_now() - t0;
    return bad ? -1 : 0;
}

/* ---- the one check --------------------------------------------------------------
 * What the store says: how many records carry each key, and each chart
 * account's own balance. */
typedef struct view {
    st_map keys;            /* key number -> records */
    int64_t records;
    int64_t balance[NACC];
} view;

/* 0 when the store holds exactly what the callers were told, else the
 * number of problems (each printed). */
static long check(const char *run, const config *cfg, const result *total, const view *v)
{
    long problems = 0, lost_keys = 0, dup_keys = 0, bad_balances = 0;
    if (total->errors)
        fprintf(stderr, "%s: %d errors returned to callers\n", run, total->errors);
    problems += total->errors;
    for (int p = 0; p < cfg->procs; p++) {
        for (int j = 0; j < cfg->entries; j++) {
            int64_t n = (int64_t)p * KEY_SPAN + j, count = 0;
            st_map_get(&v->keys, n, &count);
            lost_keys += count == 0;
            dup_keys += count > 1;
        }
    }
    int64_t want = (int64_t)cfg->procs * cfg->entries;
    if (v->records != want || lost_keys || dup_keys) {
        fprintf(stderr, "%s: %" PRId64 " records for %" PRId64 " commands: %ld "
                "missing, %ld recorded twice\n", run, v->records, want,
                lost_keys, dup_keys);
        problems += lost_keys + dup_keys + (v->records != want);
    }
    for (size_t i = 0; i < st_chart_len; i++) {
        if (v->balance[i] != total->own[i]) {
            fprintf(stderr, "%s: account %s holds %" PRId64 ", callers posted %"
                    PRId64 " (%+" PRId64 " lost)\n", run, st_chart[i].code,
                    v->balance[i], total->own[i], total->own[i] - v->balance[i]);
            bad_balances++;
        }
    }
    problems += bad_balances;
    printf("%s: %d processes x %d commands: %d errors, %ld missing, %ld "
           "duplicated, %ld of %zu balances wrong\n", run, cfg->procs,
           cfg->entries, total->errors, lost_keys, dup_keys, bad_balances,
           st_chart_len);
    return problems;
}

static void lib_view(bo_book *book, view *v)
{
    memset(v, 0, sizeof *v);
    st_map_init(&v->keys);
    /* every entry, by id, from the journal; its key from the entry */
    st_map ids;
    st_map_init(&ids);
    bo_cursor *c = NULL;
    if (bo_ledger_journal(book, NULL, BO_DATE_MIN, BO_DATE_MAX, &c) == 0) {
        int ce = st_col(c, "entry");
        while (bo_cursor_next(c) == 0)
            st_map_put(&ids, bo_cursor_int(c, ce), 1);
        bo_cursor_free(c);
    }
    for (size_t i = 0; i < ids.cap; i++) {
        if (!ids.used[i])
            continue;
        v->records++;
        if (bo_ledger_entry(book, ids.keys[i], &c) == 0 && bo_cursor_next(c) == 0) {
            const char *k = bo_cursor_text(c, st_col(c, "key"));
            int64_t n = k && k[0] == 'c' ? strtoll(k + 1, NULL, 10) : -1, count = 0;
            st_map_get(&v->keys, n, &count);
            st_map_put(&v->keys, n, count + 1);
        }
        bo_cursor_free(c);
    }
    st_map_free(&ids);
    /* own balances: the trial balance lists each account's own total */
    if (bo_ledger_trial_balance(book, BO_DATE_MAX, &c) == 0) {
        int cc = st_col(c, "code"), cd = st_col(c, "debit"), cr = st_col(c, "credit");
        while (bo_cursor_next(c) == 0) {
            int i = st_chart_index(bo_cursor_text(c, cc));
            if (i >= 0)
                v->balance[i] += bo_cursor_int(c, cd) - bo_cursor_int(c, cr);
        }
        bo_cursor_free(c);
    }
}

static void naive_view(PGconn *pg, view *v)
{
    memset(v, 0, sizeof *v);
    st_map_init(&v->keys);
    PGresult *r = PQexec(pg, "SELECT key, count(*) FROM naive_log GROUP BY key");
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        int64_t n = strtoll(PQgetvalue(r, i, 0) + 1, NULL, 10);
        int64_t count = strtoll(PQgetvalue(r, i, 1), NULL, 10);
        st_map_put(&v->keys, n, count);
        v->records += count;
    }
    PQclear(r);
    r = PQexec(pg, "SELECT account, total FROM naive_balances");
    for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); i++) {
        int a = atoi(PQgetvalue(r, i, 0));
        if (a >= 0 && a < NACC)
            v->balance[a] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
    }
    PQclear(r);
}

/* ---- main --------------------------------------------------------------------- */

static int create_db(PGconn *admin, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
    if (!sql_ok(admin, sql))
        return -1;
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    return sql_ok(admin, sql) ? 0 : -1;
}

static void drop_db(PGconn *admin, const char *name)
{
    char sql[256];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    sql_ok(admin, sql);
}

static long library_run(const config *cfg, const char *db)
{
    snprintf(lib_uri, sizeof lib_uri, "postgresql:///%s", db);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, lib_uri, &opts);
    if (rc == 0)
        rc = st_chart_ensure(book);
    if (rc == 0)
        rc = bo_role_define(book, "clerk", "ledger.read ledger.post");
    for (int i = 0; rc == 0 && i < cfg->procs; i++) {
        char actor[32];
        snprintf(actor, sizeof actor, "clerk%d", i);
        rc = bo_role_grant(book, actor, "clerk");
    }
    bo_book_free(book);
    if (rc) {
        st_report("library: setup", rc);
        return 1;
    }
    result total;
    double secs;
    long problems = run_children(cfg, lib_child, &total, &secs) != 0;
    printf("library: %d commits in %.2f s (%.0f/s)\n", total.posted, secs,
           total.posted / (secs > 0 ? secs : 1));
    if ((rc = bo_book_open(&book, lib_uri, &opts)) != 0) {
        st_report("library: reopen", rc);
        return problems + 1;
    }
    view v;
    lib_view(book, &v);
    problems += check("library", cfg, &total, &v);
    st_map_free(&v.keys);
    int64_t bad = -1;
    if ((rc = bo_audit_verify(book, &bad)) != 0 || bad != 0) {
        st_report("library: audit chain", rc);
        problems++;
    }
    bo_book_free(book);
    return problems;
}

static long naive_run(const config *cfg, const char *db)
{
    snprintf(naive_db, sizeof naive_db, "%s", db);
    PGconn *pg = connect_db(db);
    int ok = sql_ok(pg, "CREATE TABLE naive_balances (account INTEGER PRIMARY KEY,"
                        " total BIGINT NOT NULL)") &&
             sql_ok(pg, "CREATE TABLE naive_log (key TEXT NOT NULL)");
    for (size_t i = 0; ok && i < st_chart_len; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO naive_balances VALUES (%zu, 0)", i);
        ok = sql_ok(pg, sql);
    }
    if (!ok) {
        PQfinish(pg);
        return -1;
    }
    result total;
    double secs;
    long problems = run_children(cfg, naive_child, &total, &secs) != 0;
    view v;
    naive_view(pg, &v);
    problems += check("naive", cfg, &total, &v);
    st_map_free(&v.keys);
    PQfinish(pg);
    return problems;
}

int main(int argc, char **argv)
{
    config cfg = { 8, 250, (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16), 0 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--procs") && i + 1 < argc)
            cfg.procs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--entries") && i + 1 < argc)
            cfg.entries = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            cfg.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--keep"))
            cfg.keep = 1;
        else {
            fprintf(stderr, "usage: pg_concurrency [--procs N] [--entries K] "
                            "[--seed S] [--keep]\n");
            return 2;
        }
    }
    if (cfg.procs < 2 || cfg.procs > MAX_PROCS || cfg.entries < 10) {
        fprintf(stderr, "pg_concurrency: 2..%d processes, 10+ entries\n", MAX_PROCS);
        return 2;
    }
    load_env();
    printf("seed %" PRIu64 "\n", cfg.seed);
    fflush(stdout);
    char lib_db[64], naive[64];
    snprintf(lib_db, sizeof lib_db, "bo_conc_%ld", (long)getpid());
    snprintf(naive, sizeof naive, "bo_naive_%ld", (long)getpid());
    PGconn *admin = connect_db("postgres");
    if (create_db(admin, naive) != 0) {
        PQfinish(admin);
        return 2;
    }
    drop_db(admin, lib_db); /* the library creates its own */

    long lib = library_run(&cfg, lib_db);
    fflush(stdout);
    long nv = naive_run(&cfg, naive);
    if (!cfg.keep) {
        drop_db(admin, lib_db);
        drop_db(admin, naive);
    }
    PQfinish(admin);
    int pass = lib == 0 && nv > 0;
    printf("library run: %s; naive run: %s\n",
           lib == 0 ? "consistent" : "INCONSISTENT",
           nv > 0 ? "caught by the check (as it must be)" : "NOT CAUGHT: the check is blind");
    return pass ? 0 : 1;
}
