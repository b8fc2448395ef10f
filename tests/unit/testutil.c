#include "testutil.h"
#include "backoffice/sys/driver.h"
#include "store/store.h"

#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Read PG*=value lines written by the test server fixture into the
 * environment, once. A named file that is missing is a loud failure: the
 * PostgreSQL suites never pass without a server. */
static void load_pg_env(void)
{
    static int loaded;
    if (loaded)
        return;
    loaded = 1;
    const char *file = getenv("BO_TEST_PG_ENV");
    if (!file || !*file)
        return;
    FILE *f = fopen(file, "r");
    if (!f) {
        fprintf(stderr, "testutil: %s is missing: the PostgreSQL test server "
                "is not running (the pg_server fixture failed?)\n", file);
        exit(EXIT_FAILURE);
    }
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (!eq || strncmp(line, "PG", 2) != 0)
            continue;
        *eq = '\0';
        setenv(line, eq + 1, 1);
    }
    fclose(f);
}

const char *bo_test_backend(void)
{
    const char *b = getenv("BO_TEST_BACKEND");
    if (!b || !*b)
        return "sqlite";
    if (strcmp(b, "sqlite") && strcmp(b, "memory") && strcmp(b, "postgresql") &&
        strcmp(b, "plugin")) {
        fprintf(stderr, "testutil: BO_TEST_BACKEND=%s: expected sqlite, memory, "
                "postgresql or plugin\n", b);
        exit(EXIT_FAILURE);
    }
    if (!strcmp(b, "postgresql"))
        load_pg_env();
    if (!strcmp(b, "plugin") && !bo_driver_find("log")) {
        /* The example third-party driver (examples/plugin/logdriver.c),
         * loaded as a plugin, wrapping SQLite files: "log:sqlite:PATH". */
        const char *path = getenv("BO_TEST_PLUGIN");
        if (!path || bo_plugin_load(path) != 0) {
            fprintf(stderr, "testutil: cannot load the plugin BO_TEST_PLUGIN=%s: %s\n",
                    path ? path : "(unset)", bo_error_message());
            exit(EXIT_FAILURE);
        }
    }
    return b;
}

const char *bo_test_scheme(void)
{
    const char *b = bo_test_backend();
    return !strcmp(b, "postgresql") ? "postgresql" : !strcmp(b, "plugin") ? "log" : "sqlite";
}

const char *bo_test_target(const char *uri)
{
    if (strncmp(uri, "log:", 4) == 0)
        return bo_test_target(uri + 4);
    if (strncmp(uri, "postgresql:", 11) == 0)
        return uri + 11;
    if (strncmp(uri, "sqlite:", 7) == 0)
        return uri + 7;
    return uri;
}

/* The scratch files this process named: removed when it exits (with
 * everything beside them whose name starts with theirs: -wal, -shm, a
 * document store "NAME.d"), unless BO_TEST_KEEP is set. */
static char **scratch;
static pid_t *scratch_pid;
static int nscratch, capscratch;

static void remove_tree(const char *p)
{
    struct stat st;
    if (lstat(p, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(p);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char sub[4400];
            snprintf(sub, sizeof sub, "%s/%s", p, de->d_name);
            remove_tree(sub);
        }
        if (d)
            closedir(d);
        chmod(p, 0700);
        rmdir(p);
    } else {
        unlink(p);
    }
}

static void scratch_cleanup(void)
{
    if (getenv("BO_TEST_KEEP"))
        return;
    for (int i = 0; i < nscratch; i++) {
        char *slash = strrchr(scratch[i], '/');
        /* a forked test removes only what it named itself, never what its
         * parent named for the tests after it */
        if (slash && scratch_pid[i] == getpid()) {
            *slash = '\0';
            const char *dir = scratch[i], *base = slash + 1;
            size_t n = strlen(base);
            DIR *d = opendir(dir);
            struct dirent *de;
            while (d && (de = readdir(d))) {
                if (strncmp(de->d_name, base, n) == 0) {
                    char p[4400];
                    snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
                    remove_tree(p);
                }
            }
            if (d)
                closedir(d);
        }
        free(scratch[i]);
    }
    free(scratch);
    free(scratch_pid);
    scratch = NULL;
    scratch_pid = NULL;
    nscratch = capscratch = 0;
}

char *bo_test_file(const char *stem)
{
    static int counter;
    static unsigned nonce;
    if (!nonce) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        nonce = (unsigned)ts.tv_nsec ^ (unsigned)ts.tv_sec << 12;
    }
    const char *dir = getenv("BO_TEST_TMPDIR");
    char *path = malloc(4096);
    ck_assert_ptr_nonnull(path);
    /* pid, counter and a nonce: a recycled pid never meets a file an
     * earlier process of the same number left */
    snprintf(path, 4096, "%s/%s-%ld-%d-%x.db", dir ? dir : "/tmp", stem,
             (long)getpid(), counter++, nonce & 0xffffffu);
    unlink(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    if (nscratch == capscratch) {
        int cap = capscratch ? 2 * capscratch : 64;
        char **a = realloc(scratch, (size_t)cap * sizeof *a);
        ck_assert_ptr_nonnull(a);
        scratch = a;
        pid_t *b = realloc(scratch_pid, (size_t)cap * sizeof *b);
        ck_assert_ptr_nonnull(b);
        scratch_pid = b;
        if (capscratch == 0)
            atexit(scratch_cleanup);
        capscratch = cap;
    }
    scratch_pid[nscratch] = getpid();
    scratch[nscratch++] = strdup(path);
    return path;
}

char *bo_test_path(const char *stem)
{
    const char *backend = bo_test_backend();
    if (!strcmp(backend, "sqlite"))
        return bo_test_file(stem);
    if (!strcmp(backend, "plugin")) {
        char *file = bo_test_file(stem);
        char *uri = malloc(strlen(file) + 16);
        ck_assert_ptr_nonnull(uri);
        sprintf(uri, "log:sqlite:%s", file);
        free(file);
        return uri;
    }
    char *uri = malloc(256);
    ck_assert_ptr_nonnull(uri);
    if (!strcmp(backend, "memory")) {
        strcpy(uri, "sqlite::memory:");
        return uri;
    }
    /* A schema of its own in one shared database (a database per store
     * would copy a template each time: seconds, and gigabytes, for the
     * suite). Its name is one no earlier run used: stem, process, counter
     * and a few bits of the clock (a long-lived server may keep old ones).
     * The driver makes the database and the schema when create is set. */
    static int counter;
    static unsigned nonce;
    if (!nonce)
        nonce = (unsigned)time(NULL) ^ (unsigned)getpid() << 8;
    char name[32];
    size_t n = 0;
    for (const char *p = stem; *p && n < sizeof name - 1; p++)
        name[n++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    name[n] = '\0';
    snprintf(uri, 256, "postgresql:///bo_test?options=-csearch_path%%3Dbo_t_%s_%ld_%d_%x",
             name, (long)getpid(), counter++, nonce & 0xffffu);
    return uri;
}

bo_book *bo_test_book(const char *stem)
{
    char *path = bo_test_path(stem);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_OFF;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, path, &opts);
    ck_assert_msg(rc == 0, "open %s: %s", path, bo_error_message());
    free(path);
    return book;
}

void bo_test_raw_sql(const char *uri, const char *sql)
{
    if (strncmp(uri, "postgresql:", 11) == 0) {
        load_pg_env();
        char conninfo[4200];
        snprintf(conninfo, sizeof conninfo, "postgresql:%s", uri + 11);
        PGconn *pg = PQconnectdb(uri[11] == '/' ? conninfo : uri + 11);
        ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "raw connect %s: %s", uri,
                      PQerrorMessage(pg));
        PGresult *r = PQexec(pg, sql);
        ExecStatusType st = PQresultStatus(r);
        ck_assert_msg(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK, "%s: %s",
                      sql, PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(pg);
        return;
    }
    ck_assert_msg(strstr(uri, ":memory:") == NULL, "raw SQL on %s: an in-memory "
                  "store cannot be opened twice (tag the test case '%s')", uri,
                  BO_TEST_TAG_REOPEN);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open_v2(bo_test_target(uri), &db,
                                     SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "");
    sqlite3_close(db);
}

int64_t bo_test_raw_int(const char *uri, const char *sql)
{
    int64_t v = 0;
    if (strncmp(uri, "postgresql:", 11) == 0) {
        load_pg_env();
        char conninfo[4200];
        snprintf(conninfo, sizeof conninfo, "postgresql:%s", uri + 11);
        PGconn *pg = PQconnectdb(uri[11] == '/' ? conninfo : uri + 11);
        ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "raw connect %s: %s", uri,
                      PQerrorMessage(pg));
        PGresult *r = PQexec(pg, sql);
        ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1,
                      "%s: %s", sql, PQresultErrorMessage(r));
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(pg);
        return v;
    }
    ck_assert_msg(strstr(uri, ":memory:") == NULL, "raw SQL on %s: an in-memory "
                  "store cannot be opened twice (tag the test case '%s')", uri,
                  BO_TEST_TAG_REOPEN);
    sqlite3 *db;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open_v2(bo_test_target(uri), &db, SQLITE_OPEN_READONLY,
                                     NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s",
                  sql, sqlite3_errmsg(db));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: no row", sql);
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static int has_bytes(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k && i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return 1;
    return 0;
}

/* needle in the bytes of file path (0 when there is no such file). */
static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    ck_assert_ptr_nonnull(buf);
    size_t got = fread(buf, 1, n > 0 ? (size_t)n : 0, f);
    fclose(f);
    int found = has_bytes(buf, got, needle);
    free(buf);
    return found;
}

int bo_test_store_has(const char *uri, const char *needle)
{
    if (strncmp(uri, "postgresql:", 11) == 0) {
        load_pg_env();
        char conninfo[4200];
        snprintf(conninfo, sizeof conninfo, "postgresql:%s", uri + 11);
        PGconn *pg = PQconnectdb(uri[11] == '/' ? conninfo : uri + 11);
        ck_assert_msg(PQstatus(pg) == CONNECTION_OK, "raw connect %s: %s", uri,
                      PQerrorMessage(pg));
        PGresult *t = PQexec(pg, "SELECT quote_ident(table_name) FROM"
                             " information_schema.tables WHERE table_schema ="
                             " current_schema() ORDER BY 1");
        ck_assert_int_eq(PQresultStatus(t), PGRES_TUPLES_OK);
        ck_assert_int_gt(PQntuples(t), 10);
        int found = 0;
        /* bytea columns read as hex digits */
        char hex[512] = "";
        for (size_t i = 0; needle[i] && i < 250; i++)
            snprintf(hex + 2 * i, 3, "%02x", (unsigned char)needle[i]);
        for (int i = 0; i < PQntuples(t) && !found; i++) {
            char sql[512];
            snprintf(sql, sizeof sql, "SELECT x::text FROM %s x", PQgetvalue(t, i, 0));
            PGresult *r = PQexec(pg, sql);
            ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql,
                          PQresultErrorMessage(r));
            for (int k = 0; k < PQntuples(r) && !found; k++) {
                const char *v = PQgetvalue(r, k, 0);
                found = strstr(v, needle) != NULL || strstr(v, hex) != NULL;
            }
            PQclear(r);
        }
        PQclear(t);
        PQfinish(pg);
        return found;
    }
    ck_assert_msg(strstr(uri, ":memory:") == NULL, "store bytes of %s: an in-memory "
                  "store cannot be opened twice (tag the test case '%s')", uri,
                  BO_TEST_TAG_REOPEN);
    const char *file = bo_test_target(uri);
    char side[4200];
    int found = file_has(file, needle);
    snprintf(side, sizeof side, "%s-wal", file);
    found = found || file_has(side, needle);
    snprintf(side, sizeof side, "%s-journal", file);
    return found || file_has(side, needle);
}

void bo_test_chart(bo_book *book)
{
    bo_assert_ok(bo_ledger_account_add(book, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1100", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2000", "Payables", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "3000", "Equity", BO_ACCOUNT_EQUITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "4010", "Sales: online", BO_ACCOUNT_INCOME, "4000", NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5000", "Expenses", BO_ACCOUNT_EXPENSE, NULL, NULL));
}

int64_t bo_test_post2(bo_book *book, const char *date, const char *debit,
                      const char *credit, int64_t amount)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(date, &d));
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, d, "test"));
    bo_assert_ok(bo_entry_add(e, debit, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, credit, -amount, NULL, NULL));
    int64_t id = 0;
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    return id;
}

void bo_test_expect_verified(bo_book *book)
{
    bo_cursor *c = NULL;
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.max_findings = 1;
    bo_assert_ok(bo_audit_verify_list(book, &o, &c));
    if (bo_cursor_next(c) == 0)
        ck_abort_msg("verification: %s|%s|%s", bo_cursor_text(c, 1), bo_cursor_text(c, 2),
                     bo_cursor_text(c, 3));
    bo_cursor_free(c);
}

void bo_test_book_free(bo_book *book)
{
    if (!book)
        return;
    const char *uri = bo_book_uri(book), *schema = strstr(uri, "search_path%3D");
    char copy[300] = "", sql[128] = "";
    if (strncmp(uri, "postgresql:", 11) == 0 && schema && strlen(uri) < sizeof copy) {
        snprintf(copy, sizeof copy, "%s", uri);
        snprintf(sql, sizeof sql, "DROP SCHEMA %.80s CASCADE", schema + 14);
    }
    bo_book_free(book);
    if (sql[0])
        bo_test_raw_sql(copy, sql);
}

const char *bo_test_key(void)
{
    static char keys[16][32];
    static unsigned n;
    char *k = keys[n % 16];
    snprintf(k, sizeof keys[0], "test-key-%u", n++);
    return k;
}

int bo_test_run(Suite *s)
{
    printf("backend: %s\n", bo_test_backend());
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "no test case ran (CK_RUN_CASE/CK_EXCLUDE_TAGS?)\n");
        return EXIT_FAILURE;
    }
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

bo_book *bo_test_yaml_book(const char *stem, const char *yaml, int *rc, char **uri)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    *uri = bo_test_path(stem);
    *rc = bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), *uri, &o);
    return b;
}

void bo_test_yaml_refused(const char *head, const char *tail, const char *where,
                          const char *words)
{
    size_t n = strlen(head) + strlen(tail) + 1;
    char *yaml = malloc(n);
    ck_assert_ptr_nonnull(yaml);
    snprintf(yaml, n, "%s%s", head, tail);
    int rc;
    char *uri;
    bo_book *b = bo_test_yaml_book("refused", yaml, &rc, &uri);
    bo_assert_err(rc, BO_ECONFIG);
    ck_assert_ptr_null(b);
    const char *msg = bo_error_message();
    ck_assert_msg(strstr(msg, where) != NULL, "'%s' lacks '%s'", msg, where);
    ck_assert_msg(strstr(msg, words) != NULL, "'%s' lacks '%s'", msg, words);
    free(uri);
    free(yaml);
}

uint64_t bo_test_seed(const char *what)
{
    const char *env = getenv("BO_TEST_SEED");
    uint64_t seed = env && *env ? strtoull(env, NULL, 0)
                                : ((uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid()) %
                                      1000000000u;
    printf("%s: seed %llu (replay: BO_TEST_SEED=%llu)\n", what, (unsigned long long)seed,
           (unsigned long long)seed);
    fflush(stdout);
    return seed;
}

static uint64_t splitmix(uint64_t *state)
{
    uint64_t x = (*state += 0x9e3779b97f4a7c15ULL);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

long bo_test_sample_next(uint64_t *state, long k, long dense, long stride)
{
    if (stride <= 1 || k < dense)
        return k + 1;
    long w = k <= dense ? 0 : (k - dense - 1) / stride + 1; /* the next window */
    return dense + 1 + w * stride + (long)(splitmix(state) % (uint64_t)stride);
}

char *bo_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "open %s", path);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) {
            buf = realloc(buf, cap *= 2);
            ck_assert_ptr_nonnull(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

size_t bo_test_round_trip(bo_book *book)
{
    if (!strcmp(bo_test_backend(), "memory"))
        return 0;
    char *a = bo_test_file("round-trip-a"), *b = bo_test_file("round-trip-b");
    char *dst = bo_test_path("round-trip");
    bo_assert_ok(bo_book_export(book, a, NULL));
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = bo_book_actor(book);
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_import(dst, a, &o, NULL));
    bo_book *copy = NULL;
    bo_assert_ok(bo_book_open(&copy, dst, &o));
    bo_assert_ok(bo_book_export(copy, b, NULL));
    int64_t s1, s2;
    char h1[BO_HASH_HEX_SIZE], h2[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &s1, h1, sizeof h1));
    bo_assert_ok(bo_audit_head(copy, &s2, h2, sizeof h2));
    ck_assert_int_eq(s1, s2);
    ck_assert_str_eq(h1, h2);
    bo_assert_ok(bo_audit_verify_full(copy, NULL, NULL));
    size_t la, lb;
    char *ba = bo_test_slurp(a, &la), *bb = bo_test_slurp(b, &lb);
    ck_assert_msg(la == lb && memcmp(ba, bb, la) == 0,
                  "the export of the imported book differs (%zu and %zu bytes)", la, lb);
    free(ba);
    free(bb);
    bo_test_book_free(copy);
    free(a);
    free(b);
    free(dst);
    return la;
}
