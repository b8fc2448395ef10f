/* Shared helpers for the Check suites.
 *
 * Every suite that touches storage runs once per backend from this one
 * source: BO_TEST_BACKEND picks it (tests/CMakeLists.txt registers each
 * suite as unit.<backend>.<name>):
 *   sqlite      a fresh SQLite file per store (the default)
 *   memory      "sqlite::memory:": every open is a new, empty book, so a
 *               store cannot be opened twice (see BO_TEST_TAG_REOPEN)
 *   postgresql  a fresh PostgreSQL schema per store, on the server that
 *               the PG* environment names; BO_TEST_PG_ENV names a file of
 *               PG*=value lines written by the test server fixture
 *               (tests/postgres/pg_server.sh), read first when set. */
#ifndef BO_TESTUTIL_H
#define BO_TESTUTIL_H

#include <check.h>
#include "backoffice.h"

/* Tag of the test cases that open one store twice (a second handle, a
 * reopen, raw SQL on the store): the memory backend, where each open makes
 * a new book, excludes them with CK_EXCLUDE_TAGS (tests/CMakeLists.txt). */
#define BO_TEST_TAG_REOPEN "reopen"

/* "sqlite", "memory" or "postgresql" (aborts on anything else). */
const char *bo_test_backend(void);

/* A fresh store URI for the backend, unique per call (caller frees with
 * free()): a file path that does not exist, "sqlite::memory:", or
 * "postgresql:///bo_test?options=-csearch_path%3DNAME" for a schema that
 * does not exist yet (opening it with create set makes it, and the
 * database bo_test if needed). */
char *bo_test_path(const char *stem);

/* A fresh file path under the test scratch folder, whatever the backend
 * (for YAML files and the like). Any old file of that name is removed. */
char *bo_test_file(const char *stem);

/* Open a new book at a fresh store of the backend with actor "owner"
 * (owner role), base currency USD, synchronous OFF for speed. */
bo_book *bo_test_book(const char *stem);

/* Run sql (one or more statements, no results) directly on the store at
 * uri, bypassing the library: SQLite or libpq. Fails the test on error. */
void bo_test_raw_sql(const char *uri, const char *sql);

/* The first column of the one row sql returns, run directly on the store
 * at uri (another connection: it sees committed data only). Not for the
 * memory backend (tag the case "reopen"). */
int64_t bo_test_raw_int(const char *uri, const char *sql);

/* 1 when needle occurs anywhere in the store at uri, else 0: SQLite, the
 * bytes of the database file and its WAL and journal (every table, index,
 * FTS shadow table and free page); PostgreSQL, every row of every table of
 * the store's schema as text (bytes compared in hex too). Not for the
 * memory backend (tag the case "reopen"). */
int bo_test_store_has(const char *uri, const char *needle);

/* The part of uri after its scheme ("postgresql:///x" -> "///x"), or uri
 * itself for a plain SQLite path; for building URIs of alias drivers. */
const char *bo_test_target(const char *uri);

/* The scheme of the backend's driver: "sqlite" or "postgresql". */
const char *bo_test_scheme(void);

/* A small chart: 1000 Cash (asset), 1100 Bank (asset), 2000 Payables
 * (liability), 3000 Equity, 4000 Sales (income), 4010 Sales:Online
 * (income, parent 4000), 5000 Expenses. */
void bo_test_chart(bo_book *book);

/* Post a two-line entry debit/credit amount on date "YYYY-MM-DD";
 * returns the entry id (fails the test on error). */
int64_t bo_test_post2(bo_book *book, const char *date, const char *debit,
                      const char *credit, int64_t amount);

/* The full audit verification of book finds nothing; else the test fails
 * naming the first finding (table, record, what). */
void bo_test_expect_verified(bo_book *book);

/* Free a book made by bo_test_book(); on PostgreSQL also drop its schema,
 * for suites that make many books (the server's files stay few). */
void bo_test_book_free(bo_book *book);

/* A fresh idempotency key at each call ("test-key-N"), for the commands
 * that require one (sales, receipts, ...): valid until 16 more calls. */
const char *bo_test_key(void);

/* Run the suite with CK_ENV and return the process exit status. */
int bo_test_run(Suite *s);

/* A book created from the YAML text @p yaml at a fresh store of the backend
 * (named after @p stem; *uri set, free() it) with actor "owner": the book,
 * or NULL with *rc the error. */
bo_book *bo_test_yaml_book(const char *stem, const char *yaml, int *rc, char **uri);
/* The YAML text @p head followed by @p tail is refused: BO_ECONFIG, no
 * book, and a message holding @p where (FILE:LINE:COLUMN) and @p words. */
void bo_test_yaml_refused(const char *head, const char *tail, const char *where,
                          const char *words);

/* The seed of a sampled test: BO_TEST_SEED from the environment, else one
 * that changes every run; printed as "<what>: seed N (replay:
 * BO_TEST_SEED=N)" so that a failure can be run again exactly. */
uint64_t bo_test_seed(const char *what);
/* The k after @p k (start with 0) of a sampled sweep: every k up to
 * @p dense, then one k drawn from @p state in each following window of
 * @p stride values. Runs with different seeds reach every k, and each run
 * tries every region of the range. */
long bo_test_sample_next(uint64_t *state, long k, long dense, long stride);

/* The bytes of a whole file (*len set), malloc'd and NUL-terminated. */
char *bo_test_slurp(const char *path, size_t *len);

/* The lossless round trip of a whole book (docs/export-format.md): export
 * it, import the file into a fresh store of the backend under test, export
 * that: the two files are byte-identical, the audit heads equal and the
 * imported book verifies. Nothing on the memory backend (an import there
 * cannot be reopened). Returns the number of bytes of the export. */
size_t bo_test_round_trip(bo_book *book);

/* ck_assert that rc == expected and the last message is non-empty. */
#define bo_assert_err(rc, expected) do { \
    int bo__rc = (rc); \
    ck_assert_msg(bo__rc == (expected), "rc %d (%s), expected %d: %s", \
                  bo__rc, bo_error_name(bo__rc), (expected), bo_error_message()); \
    ck_assert_msg(bo_error_message()[0] != '\0', "empty error message"); \
} while (0)

#define bo_assert_ok(rc) do { \
    int bo__rc = (rc); \
    ck_assert_msg(bo__rc == 0, "rc %d (%s): %s", bo__rc, bo_error_name(bo__rc), \
                  bo_error_message()); \
} while (0)

#endif
