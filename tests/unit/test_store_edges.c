/*
 * The edges of the storage and posting core that ordinary use never
 * reaches: driver registration refusals, URIs that name no store, every
 * SQLite result code mapped to its library code (constraint, read-only,
 * full, busy with and without waiting, too big, not a database, cannot
 * open, syntax, integer overflow), the SQLite driver called directly with
 * bad arguments, the statement cache when full or re-entered, a book newer
 * than the library, balances driven to the int64 limits by back-dated
 * entries, entries with too many currencies, allocation failures while
 * posting many lines, and NULL arguments to the transaction and audit calls.
 */
#include "testutil.h"

#include "store/store.h"

#include <backoffice/sys/driver.h>
#include <sqlite3.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bo_date day(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

/* ---- driver registration ------------------------------------------------- */

static const bo_driver *sqlite_driver(void)
{
    const bo_driver *d = bo_driver_find("sqlite");
    ck_assert_ptr_nonnull(d);
    return d;
}

START_TEST(register_refuses_bad_drivers)
{
    bo_assert_err(bo_driver_register(NULL), BO_EINVAL);
    bo_driver d = *sqlite_driver();
    d.scheme = NULL;
    bo_assert_err(bo_driver_register(&d), BO_EINVAL);
    d.scheme = "";
    bo_assert_err(bo_driver_register(&d), BO_EINVAL);
    d.scheme = "edge";
    d.version = 0;
    bo_assert_err(bo_driver_register(&d), BO_EINVAL);
    d.version = BO_DRIVER_VERSION + 1;
    bo_assert_err(bo_driver_register(&d), BO_EINVAL);
    ck_assert_ptr_null(bo_driver_find("edge"));

    /* Each required member missing in turn. */
    static const size_t required[] = {
        offsetof(bo_driver, open), offsetof(bo_driver, close),
        offsetof(bo_driver, errmsg), offsetof(bo_driver, exec),
        offsetof(bo_driver, begin), offsetof(bo_driver, commit),
        offsetof(bo_driver, rollback), offsetof(bo_driver, prepare),
        offsetof(bo_driver, bind_int64), offsetof(bo_driver, bind_text),
        offsetof(bo_driver, bind_null), offsetof(bo_driver, step),
        offsetof(bo_driver, reset), offsetof(bo_driver, finalize),
        offsetof(bo_driver, column_is_null), offsetof(bo_driver, column_int64),
        offsetof(bo_driver, column_text), offsetof(bo_driver, changes),
        offsetof(bo_driver, sql_id_primary_key), offsetof(bo_driver, sql_blob),
        offsetof(bo_driver, sql_clustered),
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        d = *sqlite_driver();
        d.scheme = "edge";
        memset((char *)&d + required[i], 0, sizeof(void *));
        bo_assert_err(bo_driver_register(&d), BO_EINVAL);
        ck_assert_msg(strstr(bo_error_message(), "required") != NULL, "%s",
                      bo_error_message());
    }
    /* Schemes: lower-case letters, digits, + - . only. */
    static const char *const bad[] = { "Edge", "ed ge", "ed/ge", "ed:ge", "ed~ge",
                                       "ed_ge" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        d = *sqlite_driver();
        d.scheme = bad[i];
        bo_assert_err(bo_driver_register(&d), BO_EINVAL);
    }
    d = *sqlite_driver();
    d.scheme = "sqlite";
    bo_assert_err(bo_driver_register(&d), BO_EEXISTS);
    ck_assert_ptr_null(bo_driver_find(NULL));
    ck_assert_ptr_null(bo_driver_find("nope"));
}
END_TEST

/* A driver built against release 0.1's header: version 1, its struct ends
 * with in_transaction. The core must not read the version 2 members past
 * its end (ASan would see it): documents then keep their content as text,
 * and read back the same bytes. */
static bo_driver *v1_driver; /* registered for good: stays reachable */

START_TEST(version1_driver_without_blobs)
{
    size_t v1_size = offsetof(bo_driver, bind_blob);
    bo_driver full = *sqlite_driver();
    full.scheme = "old";
    full.version = 1;
    void *mem = malloc(v1_size); /* exactly the 0.1 struct, nothing after */
    ck_assert_ptr_nonnull(mem);
    memcpy(mem, &full, v1_size);
    v1_driver = mem;
    bo_assert_ok(bo_driver_register(v1_driver));
    char *path = bo_test_path("v1driver");
    char uri[4200];
    snprintf(uri, sizeof uri, "old:%s", path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_document *doc = NULL;
    int64_t id = 0, version = 0;
    bo_assert_ok(bo_document_new(&doc, "contract", "Lease", 20000));
    bo_assert_ok(bo_document_create(b, doc, &id));
    bo_document_free(doc);
    static const unsigned char bytes[] = { 0, 1, 2, 255, 0, 'x', '\n', 0 };
    bo_assert_ok(bo_document_add_bytes(b, id, bytes, sizeof bytes, "lease.bin", &version));
    bo_document_reader *r = NULL;
    unsigned char back[64];
    size_t got = 0, total = 0;
    bo_assert_ok(bo_document_reader_open(b, id, version, &r));
    do {
        bo_assert_ok(bo_document_reader_read(r, back + total, sizeof back - total, &got));
        total += got;
    } while (got > 0);
    bo_document_reader_free(r);
    ck_assert_uint_eq(total, sizeof bytes);
    ck_assert(memcmp(back, bytes, sizeof bytes) == 0);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    bo_book_free(b);
    free(path);
}
END_TEST

/* Issue 14 "Platform", item 6: the SQL dialect is the driver's. A driver
 * built against the 0.2 header (version 2: its struct ends with
 * column_blob) or one leaving the version 3 members NULL gets BO_ENOTSUP
 * naming it and what it lacks when a search by words or a listing that
 * aggregates text needs them, never the SQL of another engine; the book
 * works otherwise, its migration made no full-text index, and the refusals
 * changed nothing. */
static bo_driver *v2_driver, nofts_driver; /* registered for good */

static void dialect_refused(const char *scheme)
{
    char *path = bo_test_path(scheme);
    char uri[4200];
    snprintf(uri, sizeof uri, "%s:%s", scheme, path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_document *doc = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_document_new(&doc, "contract", "Lease", 20000));
    bo_assert_ok(bo_document_set_body(doc, "warehouse lease"));
    bo_assert_ok(bo_document_create(b, doc, &id));
    bo_document_free(doc);
    int64_t seq0 = 0, seq1 = 0, n = -1;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq0, hex, sizeof hex));

    bo_document_query *q = NULL;
    bo_cursor *c = NULL;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_count(b, q, &n)); /* no words: no full text needed */
    ck_assert_int_eq(n, 1);
    bo_assert_ok(bo_document_query_text(q, "lease"));
    bo_assert_err(bo_document_search(b, q, &c), BO_ENOTSUP);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(bo_error_message(), scheme) &&
                  strstr(bo_error_message(), "full-text search"), "%s",
                  bo_error_message());
    bo_assert_err(bo_document_count(b, q, &n), BO_ENOTSUP);
    ck_assert_int_eq(n, 0);
    bo_document_query_free(q);
    bo_assert_err(bo_document_types(b, &c), BO_ENOTSUP);
    ck_assert_ptr_null(c);
    ck_assert_msg(strstr(bo_error_message(), scheme) &&
                  strstr(bo_error_message(), "string aggregation"), "%s",
                  bo_error_message());
    bo_assert_ok(bo_audit_head(b, &seq1, hex, sizeof hex));
    ck_assert_int_eq(seq1, seq0);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    /* The migration asked the driver for its index and made none. */
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM sqlite_master WHERE"
                                        " name LIKE 'doc_fts%' OR name LIKE 'doc_text_a%'",
                                        -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(path);
}

START_TEST(platform_dialect_old_driver_refused)
{
    size_t v2_size = offsetof(bo_driver, fts_index);
    bo_driver full = *sqlite_driver();
    full.scheme = "old2";
    full.version = 2;
    void *mem = malloc(v2_size); /* exactly the 0.2 struct, nothing after */
    ck_assert_ptr_nonnull(mem);
    memcpy(mem, &full, v2_size);
    v2_driver = mem;
    bo_assert_ok(bo_driver_register(v2_driver));
    dialect_refused("old2");
    nofts_driver = *sqlite_driver();
    nofts_driver.scheme = "nofts";
    nofts_driver.fts_index = NULL;
    nofts_driver.fts_match = NULL;
    nofts_driver.fts_query = NULL;
    nofts_driver.string_agg = NULL;
    bo_assert_ok(bo_driver_register(&nofts_driver));
    dialect_refused("nofts");
}
END_TEST

/* The dialect members of the built-in drivers, called as the core calls
 * them: snprintf-like, the whole length told when the buffer is short. */
START_TEST(platform_dialect_members)
{
    const bo_driver *sq = sqlite_driver(), *pg = bo_driver_find("postgresql");
    ck_assert_ptr_nonnull(pg);
    ck_assert_uint_ge(sq->version, 3);
    ck_assert_uint_ge(pg->version, 3);
    static const char *const terms[] = { "lease", "h0a1", "store", "h2b3" };
    char buf[256];
    int n = sq->fts_query(NULL, terms, 2, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "(\"lease\" OR \"h0a1\") AND (\"store\" OR \"h2b3\")");
    ck_assert_int_eq(n, (int)strlen(buf));
    char small[8];
    ck_assert_int_eq(sq->fts_query(NULL, terms, 2, 2, small, sizeof small), n);
    ck_assert_int_eq(sq->fts_query(NULL, terms, 2, 2, NULL, 0), n);
    ck_assert_int_eq(sq->fts_query(NULL, terms, 1, 1, buf, sizeof buf), 9);
    ck_assert_str_eq(buf, "(\"lease\")");
    n = pg->fts_query(NULL, terms, 2, 2, buf, sizeof buf);
    ck_assert_str_eq(buf, "(lease | h0a1) & (store | h2b3)");
    ck_assert_int_eq(pg->fts_query(NULL, terms, 2, 2, NULL, 0), n);
    pg->fts_query(NULL, terms, 2, 1, buf, sizeof buf);
    ck_assert_str_eq(buf, "(lease) & (h0a1)");

    const bo_driver_fts f = { "doc_fts", "doc_text", "doc_id", "body" };
    sq->fts_match(NULL, &f, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?");
    pg->fts_match(NULL, &f, buf, sizeof buf);
    ck_assert_str_eq(buf, "SELECT doc_id FROM doc_text WHERE to_tsvector('simple', body)"
                          " @@ to_tsquery('simple', ?)");
    n = sq->fts_index(NULL, &f, NULL, 0);
    ck_assert_int_gt(n, 0);
    char *ddl = malloc((size_t)n + 1);
    ck_assert_int_eq(sq->fts_index(NULL, &f, ddl, (size_t)n + 1), n);
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE VIRTUAL TABLE IF NOT EXISTS doc_fts USING fts5("));
    ck_assert_ptr_nonnull(strstr(ddl, "CREATE TRIGGER IF NOT EXISTS doc_text_ad"));
    free(ddl);
    pg->fts_index(NULL, &f, buf, sizeof buf);
    ck_assert_str_eq(buf, "CREATE INDEX IF NOT EXISTS doc_text_fts ON doc_text"
                          " USING GIN (to_tsvector('simple', body))");

    sq->string_agg(NULL, "f.name", "','", buf, sizeof buf);
    ck_assert_str_eq(buf, "GROUP_CONCAT(f.name, ',')");
    pg->string_agg(NULL, "f.name", "','", buf, sizeof buf);
    ck_assert_str_eq(buf, "STRING_AGG(f.name, ',')");
}
END_TEST

/* The table of drivers is bounded; every accepted scheme is found. */
START_TEST(register_until_full)
{
    static bo_driver many[40];
    static char names[40][16];
    int accepted = 0, rc = 0;
    for (int i = 0; i < 40; i++) {
        many[i] = *sqlite_driver();
        snprintf(names[i], sizeof names[i], "z9+-.e%d", i);
        many[i].scheme = names[i];
        rc = bo_driver_register(&many[i]);
        if (rc)
            break;
        accepted++;
        ck_assert_ptr_eq(bo_driver_find(names[i]), &many[i]);
    }
    bo_assert_err(rc, BO_ELIMIT);
    ck_assert_int_gt(accepted, 10);
}
END_TEST

/* ---- URIs ------------------------------------------------------------------ */

START_TEST(uris_that_name_no_store)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, "nosuchdriver:somewhere", &o), BO_EDRIVER);
    bo_assert_err(bo_book_open(&b, "no+such-driver.v2:somewhere", &o), BO_EDRIVER);
    ck_assert_ptr_null(b);
    bo_assert_err(bo_book_open(&b, "sqlite:", &o), BO_EINVAL);
    /* Not schemes (one letter, upper case, a slash before the colon): plain
     * paths, which do not exist, and without create are not made. */
    char *dir = bo_test_file("uri");
    char path[4200];
    static const char *const forms[] = { "C:x.db", "SQLITE:x.db", "a/b:c" };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        snprintf(path, sizeof path, "%s-%s", dir, forms[i]);
        bo_assert_err(bo_book_open(&b, path, &o), BO_ENOTFOUND);
        bo_assert_err(bo_book_open(&b, forms[i], &o), BO_ENOTFOUND);
    }
    snprintf(path, sizeof path, "sqlite:%s-missing.db", dir);
    bo_assert_err(bo_book_open(&b, path, &o), BO_ENOTFOUND);
    ck_assert_msg(strstr(bo_error_message(), "no book") != NULL, "%s",
                  bo_error_message());
    /* create in a folder that does not exist: cannot open */
    o.create = 1;
    snprintf(path, sizeof path, "%s/no/such/folder/x.db", dir);
    ck_assert_int_lt(bo_book_open(&b, path, &o), 0);
    ck_assert_ptr_null(b);
    free(dir);
}
END_TEST

/* ---- SQLite result codes through the store -------------------------------- */

static bo__store *raw_store(const char *path, int busy_ms)
{
    bo_driver_settings s = { 1, busy_ms, BO_SYNC_OFF, 1 };
    bo__store *st = NULL;
    bo_assert_ok(bo__store_open(&st, path, &s));
    return st;
}

START_TEST(sqlite_codes_are_mapped)
{
    char *path = bo_test_file("codes");
    bo__store *st = raw_store(path, 0);
    bo_assert_ok(bo__store_exec(st, "CREATE TABLE t (x UNIQUE)"));
    bo_assert_ok(bo__store_exec(st, "INSERT INTO t VALUES (1)"));
    bo_assert_err(bo__store_exec(st, "INSERT INTO t VALUES (1)"), BO_ECONSTRAINT);
    bo_assert_err(bo__store_exec(st, "SELEC 1"), BO_ERROR);
    /* SUM() leaving int64 is an overflow, as on PostgreSQL (issue 12). */
    bo_assert_err(bo__store_exec(st, "SELECT SUM(v) FROM (SELECT 9223372036854775807 AS v"
                                     " UNION ALL SELECT 1)"), BO_EOVERFLOW);
    ck_assert_msg(strstr(bo_error_message(), "integer overflow") != NULL, "%s",
                  bo_error_message());
    bo_assert_err(bo__store_exec(st, "SELECT zeroblob(2000000000)"), BO_ETOOLONG);
    bo_assert_ok(bo__store_exec(st, "PRAGMA query_only = 1"));
    bo_assert_err(bo__store_exec(st, "INSERT INTO t VALUES (2)"), BO_EIO);
    bo_assert_ok(bo__store_exec(st, "PRAGMA query_only = 0"));
    bo_assert_ok(bo__store_exec(st, "PRAGMA max_page_count = 8"));
    bo_assert_err(bo__store_exec(st, "INSERT INTO t VALUES (zeroblob(200000))"),
                  BO_EFULL);
    ck_assert_int_ge(bo__store_changes(st), 0);
    bo__store_release(st);
    free(path);
}
END_TEST

/* A writer holding the lock: another gives up at once without a timeout,
 * and after waiting for its timeout with one; the message says why. */
START_TEST(busy_with_and_without_waiting)
{
    char *path = bo_test_file("busy");
    bo__store *a = raw_store(path, 0);
    bo_assert_ok(bo__store_exec(a, "CREATE TABLE t (x)"));
    bo__store *b = raw_store(path, 0);
    bo__store *c = raw_store(path, 30);
    bo_assert_ok(bo__store_begin(a, 1));
    bo_assert_err(bo__store_begin(b, 1), BO_EBUSY);
    ck_assert_msg(strstr(bo_error_message(), "locked") != NULL, "%s",
                  bo_error_message());
    bo_assert_err(bo__store_begin(c, 1), BO_EBUSY);
    bo_assert_ok(bo__store_commit(a));
    bo_assert_ok(bo__store_begin(c, 1));
    bo_assert_ok(bo__store_rollback(c));
    bo__store_release(a);
    bo__store_release(b);
    bo__store_release(c);
    free(path);
}
END_TEST

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A writer waiting for the lock sleeps: over its whole timeout it uses a
 * small part of the CPU (the holder needs the CPU to finish); a handler
 * that spun would use as much CPU as the wait lasts. */
START_TEST(waiting_writer_sleeps)
{
    char *path = bo_test_file("busy-cpu");
    bo__store *a = raw_store(path, 0);
    bo_assert_ok(bo__store_exec(a, "CREATE TABLE t (x)"));
    bo__store *c = raw_store(path, 300);
    bo_assert_ok(bo__store_begin(a, 1));
    double cpu0 = clock_s(CLOCK_PROCESS_CPUTIME_ID), t0 = clock_s(CLOCK_MONOTONIC);
    bo_assert_err(bo__store_begin(c, 1), BO_EBUSY);
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0, wall = clock_s(CLOCK_MONOTONIC) - t0;
    ck_assert_msg(wall >= 0.29, "gave up after %.3f s, before its timeout", wall);
    ck_assert_msg(cpu < wall / 4, "waited %.3f s using %.3f s of CPU", wall, cpu);
    bo_assert_ok(bo__store_rollback(a));
    bo__store_release(a);
    bo__store_release(c);
    free(path);
}
END_TEST

static long long wal_bytes(const char *db)
{
    char p[4200];
    snprintf(p, sizeof p, "%s-wal", db);
    FILE *f = fopen(p, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long long n = ftell(f);
    fclose(f);
    return n;
}

/* The checkpoint after a commit past 1,000 frames of log never waits: a
 * reader holding an old snapshot does not hold up the writer's commits
 * (though it has a busy timeout); once the reader is gone, a checkpoint
 * starts the log again from its beginning, so it grows no further (a
 * commit or two land at its end before that checkpoint). */
START_TEST(checkpoint_never_waits_for_a_reader)
{
    char *path = bo_test_file("ckpt");
    bo__store *w = raw_store(path, 5000);
    bo_assert_ok(bo__store_exec(w, "CREATE TABLE t (x BLOB)"));
    bo_assert_ok(bo__store_exec(w, "INSERT INTO t VALUES (zeroblob(3000))"));
    bo__store *r = raw_store(path, 5000);
    bo_assert_ok(bo__store_begin(r, 0));
    int found = 0;
    int64_t n = 0;
    bo_assert_ok(bo__store_row(r, "SELECT count(*) FROM t", &found, ">i", &n));
    ck_assert_int_eq(n, 1);
    double t0 = clock_s(CLOCK_MONOTONIC);
    for (int i = 0; i < 1500; i++)
        bo_assert_ok(bo__store_exec(w, "INSERT INTO t VALUES (zeroblob(3000))"));
    double took = clock_s(CLOCK_MONOTONIC) - t0;
    ck_assert_msg(took < 4.0, "1,500 commits took %.2f s beside a reader", took);
    long long grown = wal_bytes(path);
    ck_assert_msg(grown > 1000LL * 4096, "the log holds %lld bytes", grown);
    bo_assert_ok(bo__store_rollback(r));
    for (int i = 0; i < 3000; i++)
        bo_assert_ok(bo__store_exec(w, "INSERT INTO t VALUES (zeroblob(3000))"));
    long long after = wal_bytes(path);
    /* 3,000 more frames appended would be 12 MB more. */
    ck_assert_msg(after < grown + (1LL << 20), "the log grew from %lld to %lld bytes after the reader "
                  "left", grown, after);
    bo__store_release(r);
    bo__store_release(w);
    free(path);
}
END_TEST

START_TEST(not_a_database)
{
    char *path = bo_test_file("garbage");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 8192; i++)
        fputc("garbage!"[i % 8], f);
    fclose(f);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, path, &o), BO_ECORRUPT);
    ck_assert_ptr_null(b);
    free(path);
}
END_TEST

/* An empty store holds no book; a book written by a newer library is
 * refused, and nothing is changed. */
START_TEST(empty_store_and_newer_schema)
{
    char *path = bo_test_file("schema");
    bo__store *st = raw_store(path, 0);
    bo_assert_ok(bo__store_exec(st, "CREATE TABLE unrelated (x)"));
    bo__store_release(st);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, path, &o), BO_ENOTFOUND);
    o.create = 1;
    bo_assert_ok(bo_book_open(&b, path, &o));
    bo_book_free(b);
    st = raw_store(path, 0);
    bo_assert_ok(bo__store_exec(st, "UPDATE bo_meta SET value = '99' "
                                    "WHERE key = 'schema_version'"));
    bo__store_release(st);
    bo_assert_err(bo_book_open(&b, path, &o), BO_ESCHEMA);
    ck_assert_msg(strstr(bo_error_message(), "99") != NULL, "%s", bo_error_message());
    free(path);
}
END_TEST

/* ---- the SQLite driver called directly ------------------------------------ */

START_TEST(driver_called_directly)
{
    const bo_driver *d = sqlite_driver();
    ck_assert_str_eq(d->errmsg(NULL), "no connection");
    d->close(NULL);
    d->finalize(NULL);
    bo_driver_settings s = { 1, 0, BO_SYNC_NORMAL, 1 };
    char *path = bo_test_file("direct");
    bo_driver_conn *c = NULL;
    bo_assert_ok(d->open(d, path, &s, &c));
    bo_driver_stmt *st = NULL;
    ck_assert_int_lt(d->prepare(c, "SELEC ?", &st), 0);
    ck_assert_str_ne(d->errmsg(c), "");
    ck_assert_int_eq(d->prepare(c, "SELECT ?, 'abc'", &st), 0);
    /* parameter 9 does not exist */
    ck_assert_int_lt(d->bind_int64(st, 9, 1), 0);
    ck_assert_int_lt(d->bind_text(st, 9, "x", 1), 0);
    ck_assert_int_lt(d->bind_null(st, 9), 0);
    ck_assert_int_eq(d->bind_text(st, 1, "hello", 5), 0);
    ck_assert_int_eq(d->step(st), BO_DRIVER_ROW);
    size_t len = 0;
    ck_assert_str_eq(d->column_text(st, 1, &len), "abc");
    ck_assert_uint_eq(len, 3);
    ck_assert_int_eq(d->column_is_null(st, 0), 0);
    ck_assert_int_eq(d->step(st), BO_DRIVER_DONE);
    ck_assert_int_eq(d->reset(st), 0);
    d->finalize(st);
    ck_assert_int_eq(d->begin(c, 0), 0);
    ck_assert_int_eq(d->rollback(c), 0);
    ck_assert_int_eq(d->rollback(c), 0); /* nothing open: a no-op */
    if (d->data_version)
        ck_assert_int_ge(d->data_version(c), 0);
    d->close(c);
    /* without create, a missing file is not made */
    s.create = 0;
    c = NULL;
    char missing[4200];
    snprintf(missing, sizeof missing, "%s-missing", path);
    ck_assert_int_eq(d->open(d, missing, &s, &c), BO_ENOTFOUND);
    d->close(c);
    free(path);
}
END_TEST

/* The data version moves when another connection commits, never for this
 * connection's own commits, read inside or outside a transaction. */
static void run_sql(const bo_driver *d, bo_driver_conn *c, const char *sql)
{
    bo_driver_stmt *st = NULL;
    ck_assert_int_eq(d->prepare(c, sql, &st), 0);
    ck_assert_int_eq(d->step(st), BO_DRIVER_DONE);
    d->finalize(st);
}

START_TEST(driver_data_version_other_connections_only)
{
    const bo_driver *d = sqlite_driver();
    bo_driver_settings s = { 1, 0, BO_SYNC_NORMAL, 1 };
    char *path = bo_test_file("dataversion");
    bo_driver_conn *a = NULL, *b = NULL;
    bo_assert_ok(d->open(d, path, &s, &a));
    bo_assert_ok(d->open(d, path, &s, &b));
    ck_assert_int_eq(d->begin(a, 1), 0);
    run_sql(d, a, "CREATE TABLE t (x INTEGER)");
    ck_assert_int_eq(d->commit(a), 0);
    int64_t v = d->data_version(a);
    ck_assert_int_ge(v, 0);
    for (int i = 0; i < 3; i++) { /* its own commits: unchanged */
        ck_assert_int_eq(d->begin(a, 1), 0);
        ck_assert_int_eq(d->data_version(a), v);
        run_sql(d, a, "INSERT INTO t VALUES (1)");
        ck_assert_int_eq(d->commit(a), 0);
        ck_assert_int_eq(d->data_version(a), v);
    }
    /* another connection's commit: seen inside the next transaction */
    ck_assert_int_eq(d->begin(b, 1), 0);
    run_sql(d, b, "INSERT INTO t VALUES (2)");
    ck_assert_int_eq(d->commit(b), 0);
    ck_assert_int_eq(d->begin(a, 1), 0);
    int64_t w = d->data_version(a);
    ck_assert_int_ne(w, v);
    ck_assert_int_eq(d->commit(a), 0);
    ck_assert_int_eq(d->data_version(a), w);
    /* and outside a transaction */
    ck_assert_int_eq(d->begin(b, 1), 0);
    run_sql(d, b, "INSERT INTO t VALUES (3)");
    ck_assert_int_eq(d->commit(b), 0);
    int64_t x = d->data_version(a);
    ck_assert_int_ne(x, w);
    ck_assert_int_eq(d->begin(a, 1), 0);
    ck_assert_int_eq(d->data_version(a), x);
    ck_assert_int_eq(d->rollback(a), 0);
    /* a transaction that began before the data version was asked and
     * commits on this connection keeps the other's commit news */
    ck_assert_int_eq(d->begin(b, 1), 0);
    run_sql(d, b, "INSERT INTO t VALUES (4)");
    ck_assert_int_eq(d->commit(b), 0);
    ck_assert_int_eq(d->begin(a, 1), 0);
    run_sql(d, a, "INSERT INTO t VALUES (5)");
    ck_assert_int_eq(d->commit(a), 0);
    ck_assert_int_ne(d->data_version(a), x);
    d->close(a);
    d->close(b);
    free(path);
}
END_TEST

/* ---- the statement cache ---------------------------------------------------- */

#define MANY 600
static char sqls[MANY][40]; /* static storage: the cache keys on the pointer */

START_TEST(statement_cache_full_and_reentered)
{
    bo__store *st = raw_store(":memory:", 0);
    bo__stmt *s[MANY];
    for (int i = 0; i < MANY; i++) {
        snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i);
        bo_assert_ok(bo__stmt_get(st, sqls[i], &s[i]));
        ck_assert_int_eq(bo__stmt_step(s[i]), BO_DRIVER_ROW);
        ck_assert_int_eq(bo__stmt_col_int(s[i], 0), i);
    }
    /* Past the cache's slots statements are private. */
    ck_assert_int_eq(s[0]->cached, 1);
    ck_assert_int_eq(s[MANY - 1]->cached, 0);
    /* The same SQL while its cached statement is in use: a private one. */
    bo__stmt *again = NULL;
    bo_assert_ok(bo__stmt_get(st, sqls[0], &again));
    ck_assert_ptr_ne(again, s[0]);
    ck_assert_int_eq(again->cached, 0);
    bo__stmt_done(again);
    for (int i = 0; i < MANY; i++)
        bo__stmt_done(s[i]);
    bo__stmt_done(NULL);
    /* Released, the cached one is handed out again. */
    bo_assert_ok(bo__stmt_get(st, sqls[0], &again));
    ck_assert_ptr_eq(again, s[0]);
    bo__stmt_done(again);
    bo_assert_err(bo__stmt_get(st, "SELEC", &again), BO_ERROR);
    bo__store_release(st);
}
END_TEST

/* ---- statements by format (issue 14, item 5) --------------------------------- */

static const char SQL_B_ADD[] = "INSERT INTO b (n, t, d, r) VALUES (?, ?, ?, ?)";
static const char SQL_B_GET[] = "SELECT n, t, d, r FROM b WHERE n = ?";
static const char SQL_B_COUNT[] = "SELECT COUNT(*) FROM b";
static const char SQL_B_ID[] = "INSERT INTO b (n, t) VALUES (?, ?) RETURNING n";

static int64_t b_rows(bo__store *st)
{
    int64_t n = -1;
    bo_assert_ok(bo__store_row(st, SQL_B_COUNT, NULL, ">i", &n));
    return n;
}

/* A format's letters bind and read by kind; an argument of the wrong kind,
 * one too many or one missing is refused naming the statement, and nothing
 * is written. */
START_TEST(plumbing_binder_checks_its_format)
{
    bo__store *st = raw_store(":memory:", 0);
    bo_assert_ok(bo__store_exec(st, "CREATE TABLE b (n INTEGER, t TEXT, d TEXT, r INTEGER)"));
    bo_date d = day("2026-03-31");
    bo_assert_ok(bo__store_run(st, SQL_B_ADD, "itdI", 7, "seven", d, (int64_t)0));
    int64_t n = 0, r = -1;
    int found = 0, has_r = -1;
    char t[8] = "", iso[11] = "";
    bo_assert_ok(bo__store_row(st, SQL_B_GET, &found, "i>it-?i", 7, &n, t, sizeof t, &has_r,
                               &r));
    ck_assert_int_eq(found, 1);
    ck_assert_int_eq(n, 7);
    ck_assert_str_eq(t, "seven");
    ck_assert_int_eq(has_r, 0); /* 'I' bound 0 as NULL */
    bo_assert_ok(bo__store_row(st, SQL_B_GET, &found, "i>--t", 7, iso, sizeof iso));
    ck_assert_str_eq(iso, "2026-03-31");
    bo_assert_ok(bo__store_row(st, SQL_B_GET, &found, "i>i", 8, &n));
    ck_assert_int_eq(found, 0);

    /* text where an integer is due */
    bo_assert_err(bo__store_run(st, SQL_B_ADD, "itdI", "8", "eight", d, (int64_t)1), BO_ERROR);
    ck_assert_msg(strstr(bo_error_message(), "argument 1") &&
                  strstr(bo_error_message(), "INSERT INTO b"), "%s", bo_error_message());
    /* an integer where text is due */
    bo_assert_err(bo__store_run(st, SQL_B_ADD, "itdI", 8, 8, d, (int64_t)1), BO_ERROR);
    ck_assert_msg(strstr(bo_error_message(), "argument 2"), "%s", bo_error_message());
    /* one missing, one too many */
    bo_assert_err(bo__store_run(st, SQL_B_ADD, "itdI", 8, "eight", d), BO_ERROR);
    bo_assert_err(bo__store_run(st, SQL_B_ADD, "itdI", 8, "eight", d, 1, 2), BO_ERROR);
    /* a date outside the calendar */
    bo_assert_err(bo__store_run(st, SQL_B_ADD, "itdI", 8, "eight", BO_DATE_MAX + 1, 1),
                  BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "date"), "%s", bo_error_message());
    /* an output of the wrong kind */
    bo_assert_err(bo__store_row(st, SQL_B_GET, &found, "i>i", 7, t), BO_ERROR);
    ck_assert_int_eq(b_rows(st), 1);

    int64_t id = 0;
    bo_assert_ok(bo__store_insert(st, SQL_B_ID, NULL, &id, "it", 9, "nine"));
    ck_assert_int_eq(id, 9);
    ck_assert_int_eq(b_rows(st), 2);

    /* '_': a parameter a statement built at run time left out takes its
     * argument, checked, and binds nothing: the same arguments serve every
     * shape. */
    bo_assert_ok(bo__store_row(st, "SELECT t FROM b WHERE n = ?", &found, "_ti>t", "x", 9, t,
                               sizeof t));
    ck_assert_int_eq(found, 1);
    ck_assert_str_eq(t, "nine");
    bo_assert_ok(bo__store_row(st, "SELECT t FROM b WHERE n = ? AND t = ?", &found, "i_it>t",
                               7, 9, "seven", t, sizeof t));
    ck_assert_str_eq(t, "seven");
    bo_assert_err(bo__store_row(st, "SELECT t FROM b WHERE n = ?", &found, "_ti>t", 8, 9, t,
                                sizeof t), BO_ERROR); /* the skipped argument is checked */
    ck_assert_msg(strstr(bo_error_message(), "argument 1"), "%s", bo_error_message());
    bo_assert_err(bo__store_row(st, "SELECT t FROM b WHERE n = ?", &found, "_ni>t", 9, t,
                                sizeof t), BO_ERROR); /* only before i, I, d, t */
    bo_assert_err(bo__store_row(st, "SELECT t FROM b WHERE n = ?", &found, "i_", 9),
                  BO_ERROR);
    bo__store_release(st);
}
END_TEST

/* ---- posting at the limits ------------------------------------------------------ */

static int post_lines(bo_book *b, const char *date, int n, const char *const *acc,
                      const int64_t *amt, const char *const *cur)
{
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, day(date), "limits"));
    for (int i = 0; i < n; i++)
        bo_assert_ok(bo_entry_add(e, acc[i], amt[i], cur ? cur[i] : NULL, NULL));
    int64_t id = 0;
    int rc = bo_ledger_post(b, e, &id);
    bo_entry_free(e);
    return rc;
}

static int post2(bo_book *b, const char *date, const char *dr, const char *cr,
                 int64_t amount)
{
    const char *acc[] = { dr, cr };
    const int64_t amt[] = { amount, -amount };
    return post_lines(b, date, 2, acc, amt, NULL);
}

static int64_t balance(bo_book *b, const char *acc)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(b, acc, BO_DATE_MAX, NULL, &v));
    return v;
}

/* Back-dated entries move every later day: a move past INT64 on any day
 * (the day itself, a later minimum or maximum) is refused, changing
 * nothing. */
START_TEST(back_dated_overflow)
{
    bo_book *b = bo_test_book("limits");
    bo_test_chart(b);
    const int64_t big = INT64_MAX - 10;
    /* the day's own total: an earlier day near the limit */
    bo_assert_ok(post2(b, "2026-01-01", "1000", "4000", big));
    bo_assert_ok(post2(b, "2026-03-01", "1000", "4000", 1));
    bo_assert_err(post2(b, "2026-02-01", "1000", "4000", 100), BO_EOVERFLOW);
    /* a later maximum (later days at big and 0, none before) */
    bo_assert_ok(post2(b, "2026-05-01", "1100", "2000", big));
    bo_assert_ok(post2(b, "2026-06-01", "2000", "1100", big));
    bo_assert_err(post2(b, "2026-04-01", "1100", "5000", 100), BO_EOVERFLOW);
    /* a later minimum (later days at -big and 0) */
    bo_assert_err(post2(b, "2026-04-01", "5000", "2000", 100), BO_EOVERFLOW);
    /* within the limits the same back-dated entry goes through */
    bo_assert_ok(post2(b, "2026-04-01", "5000", "3000", 100));
    ck_assert_int_eq(balance(b, "1000"), big + 1);
    ck_assert_int_eq(balance(b, "1100"), 0);
    ck_assert_int_eq(balance(b, "2000"), 0);
    ck_assert_int_eq(balance(b, "5000"), 100);
    bo_book_free(b);
}
END_TEST

/* One account twice for the same currency: the entry's net for it
 * overflows although every currency balances. */
START_TEST(entry_net_overflow_and_currency_limit)
{
    bo_book *b = bo_test_book("netover");
    bo_test_chart(b);
    const char *acc[] = { "1000", "4000", "1000", "5000" };
    const int64_t amt[] = { INT64_MAX, -INT64_MAX, INT64_MAX, -INT64_MAX };
    bo_assert_err(post_lines(b, "2026-01-01", 4, acc, amt, NULL), BO_EOVERFLOW);
    /* seventeen currencies in one entry */
    static const char *const cur[] = { "USD", "EUR", "JPY", "GBP", "CHF", "CAD",
                                       "AUD", "SEK", "NOK", "DKK", "PLN", "CZK",
                                       "HUF", "NZD", "SGD", "HKD", "MXN" };
    enum { N = 17 };
    const char *codes[2 * N], *curs[2 * N];
    int64_t amts[2 * N];
    char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "9%03d", i);
        bo_assert_ok(bo_ledger_account_add(b, names[i], names[i], BO_ACCOUNT_ASSET,
                                           NULL, cur[i]));
        codes[2 * i] = codes[2 * i + 1] = names[i];
        curs[2 * i] = curs[2 * i + 1] = cur[i];
        amts[2 * i] = 1;
        amts[2 * i + 1] = -1;
    }
    bo_assert_err(post_lines(b, "2026-01-01", 2 * N, codes, amts, curs), BO_ELIMIT);
    bo_assert_ok(post_lines(b, "2026-01-01", 2 * (N - 1), codes, amts, curs));
    bo_book_free(b);
}
END_TEST

/* ---- allocation failures while posting many lines --------------------------- */

static long allocs, fail_at;

static void *t_malloc(void *ud, size_t n)
{
    (void)ud;
    if (fail_at && ++allocs == fail_at)
        return NULL;
    return malloc(n);
}

static void *t_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (fail_at && ++allocs == fail_at)
        return NULL;
    return realloc(p, n);
}

static void t_free(void *ud, void *p)
{
    (void)ud;
    free(p);
}

START_TEST(oom_posting_many_lines)
{
    bo_allocator a = { BO_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free, NULL };
    bo_assert_ok(bo_set_allocator(&a));
    bo_book *b = bo_test_book("oom_many");
    bo_test_chart(b);
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, day("2026-01-05"), "many"));
    for (int i = 0; i < 12; i++)
        bo_assert_ok(bo_entry_add(e, i % 2 ? "4000" : "1000", i % 2 ? -5 : 5,
                                  NULL, NULL));
    int ok = 0, failed = 0;
    int64_t expect = 0;
    for (long k = 1; k < 400 && ok < 3; k++) {
        allocs = 0;
        fail_at = k;
        int64_t id = 0;
        int rc = bo_ledger_post(b, e, &id);
        fail_at = 0;
        if (rc == 0) {
            ok++;
            expect += 30;
        } else {
            failed++;
            ck_assert_msg(bo_error_message()[0] != '\0', "k=%ld: %s without a "
                          "message", k, bo_error_name(rc));
        }
        ck_assert_int_eq(balance(b, "1000"), expect);
    }
    ck_assert_int_gt(failed, 0);
    ck_assert_int_gt(ok, 0);
    bo_entry_free(e);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    bo_book_free(b);
    bo_assert_ok(bo_set_allocator(NULL));
}
END_TEST

/* ---- NULL and short arguments ------------------------------------------------- */

START_TEST(null_arguments)
{
    bo_assert_err(bo_book_begin(NULL), BO_EINVAL);
    bo_assert_err(bo_book_commit(NULL), BO_EINVAL);
    bo_assert_err(bo_book_rollback(NULL), BO_EINVAL);
    ck_assert_int_eq(bo_book_depth(NULL), 0);
    int64_t seq = 0, bad = 7;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_err(bo_audit_verify(NULL, &bad), BO_EINVAL);
    ck_assert_int_eq(bad, 0);
    bo_assert_err(bo_audit_head(NULL, &seq, hex, sizeof hex), BO_EINVAL);
    bo_cursor *c = NULL;
    bo_assert_err(bo_audit_list(NULL, 1, &c), BO_EINVAL);
    bo_book *b = bo_test_book("nulls");
    bo_assert_err(bo_audit_head(b, NULL, hex, sizeof hex), BO_EINVAL);
    bo_assert_err(bo_audit_head(b, &seq, NULL, sizeof hex), BO_EINVAL);
    bo_assert_err(bo_audit_head(b, &seq, hex, sizeof hex - 1), BO_ETOOLONG);
    bo_assert_err(bo_audit_list(b, 1, NULL), BO_EINVAL);
    bo_assert_err(bo_ledger_post(b, NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_ledger_post(NULL, NULL, NULL), BO_EINVAL);
    bo_assert_ok(bo_audit_verify(b, NULL));
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_gt(seq, 0);
    bo_book_free(b);
}
END_TEST

/* A tampered chain is found with or without a place to say where. */
START_TEST(tampered_chain_without_bad_seq)
{
    char *uri = bo_test_path("tamper");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_test_chart(b);
    bo_test_post2(b, "2026-01-02", "1000", "4000", 100);
    bo_test_raw_sql(uri, "UPDATE audit_log SET detail = detail || 'x' WHERE seq = 2");
    bo_book_free(b);
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_err(bo_audit_verify(b, NULL), BO_ECORRUPT);
    int64_t bad = 0;
    bo_assert_err(bo_audit_verify(b, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 2);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* Inside a transaction a write that conflicts is not retried (only the
 * outermost level can be), and the error reaches the caller. */
START_TEST(nested_calls_report_not_retry)
{
    bo_book *b = bo_test_book("nested");
    bo_test_chart(b);
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(bo_book_begin(b));
    bo_assert_err(bo_ledger_account_add(b, "1000", "Again", BO_ACCOUNT_ASSET, NULL,
                                        NULL), BO_EEXISTS);
    bo_assert_ok(bo_ledger_account_add(b, "1001", "New", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_book_commit(b));
    bo_assert_ok(bo_book_commit(b));
    bo_assert_err(bo_book_commit(b), BO_ESTATE);
    bo_assert_err(bo_book_rollback(b), BO_ESTATE);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_edges");
    /* Backend-neutral cases run on every backend. */
    TCase *any = tcase_create("any");
    tcase_add_test(any, back_dated_overflow);
    tcase_add_test(any, entry_net_overflow_and_currency_limit);
    tcase_add_test(any, null_arguments);
    tcase_add_test(any, nested_calls_report_not_retry);
    suite_add_tcase(s, any);
    TCase *reopen = tcase_create("reopen");
    tcase_set_tags(reopen, BO_TEST_TAG_REOPEN);
    tcase_add_test(reopen, tampered_chain_without_bad_seq);
    suite_add_tcase(s, reopen);
    /* The SQLite driver and the registry: once, with the sqlite backend. */
    if (strcmp(bo_test_backend(), "sqlite") == 0) {
        TCase *sq = tcase_create("sqlite");
        tcase_set_timeout(sq, 120);
        tcase_add_test(sq, register_refuses_bad_drivers);
        tcase_add_test(sq, version1_driver_without_blobs);
        tcase_add_test(sq, platform_dialect_old_driver_refused);
        tcase_add_test(sq, platform_dialect_members);
        tcase_add_test(sq, register_until_full);
        tcase_add_test(sq, uris_that_name_no_store);
        tcase_add_test(sq, sqlite_codes_are_mapped);
        tcase_add_test(sq, busy_with_and_without_waiting);
        tcase_add_test(sq, waiting_writer_sleeps);
        tcase_add_test(sq, checkpoint_never_waits_for_a_reader);
        tcase_add_test(sq, not_a_database);
        tcase_add_test(sq, empty_store_and_newer_schema);
        tcase_add_test(sq, driver_called_directly);
        tcase_add_test(sq, driver_data_version_other_connections_only);
        tcase_add_test(sq, statement_cache_full_and_reentered);
        tcase_add_test(sq, plumbing_binder_checks_its_format);
        tcase_add_test(sq, oom_posting_many_lines);
        suite_add_tcase(s, sq);
    }
    return bo_test_run(s);
}
