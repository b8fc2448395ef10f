/*
 * Writers side by side on lanes of the audit chain (BO_PG_LANES=1) that
 * touch nothing in common: eight processes, each posting to accounts of
 * its own. What they still share are index pages (the audit log's, the
 * change feed's, the idempotency keys'), where SERIALIZABLE may report a
 * serialization failure between writers that never touched the same row.
 * Such a failure is retried on the writer's lane first, BO__PG_LANE_TRIES
 * attempts in all; a transaction that runs alone (holding up every other
 * writer) is the last resort. So at most one transaction in
 * BO__PG_LANE_TRIES rolled back may be followed by one that runs alone
 * (before, every one was). Afterwards every balance is what was posted,
 * the trial balance balances and the full verification passes.
 */
#include "pg_fixture.h"
#include "core/book.h"
#include "store/store.h"
#include "store/postgres/pg.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WRITERS 8
#define ENTRIES 25

static bo_date ymd(int y, int m, int d)
{
    bo_date out = 0;
    if (bo_date_from_ymd(y, m, d, &out))
        abort();
    return out;
}

static int64_t amount_of(int writer, int i)
{
    return 1 + writer * 1000 + i;
}

/* The books of this suite commit synchronously (BO_SYNC_FULL), as a
 * server in use keeps them. */
static bo_book_options options(int create)
{
    bo_book_options o = bo_pg_options(create);
    o.sync = BO_SYNC_FULL;
    return o;
}

/* One writer: waits on the start pipe, posts ENTRIES entries between its
 * own two accounts, each in its own transaction with a key, and writes
 * the number of its transactions that ran alone after conflicts to @p out.
 * Exit status 0 when every entry was posted. */
static void writer(const char *uri, int w, int start, int out)
{
    bo_book_options o = options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "writer", w);
    char c;
    if (read(start, &c, 1) < 0)
        _exit(2);
    char cash[8], sales[8];
    snprintf(cash, sizeof cash, "10%02d", w);
    snprintf(sales, sizeof sales, "41%02d", w);
    for (int i = 0; i < ENTRIES; i++) {
        char key[32];
        snprintf(key, sizeof key, "lane-%d-%d", w, i);
        bo_entry *e = NULL;
        int rc = bo_entry_new(&e, ymd(2026, 5, 1 + i % 28), "lanes");
        if (!rc) rc = bo_entry_set_key(e, key);
        if (!rc) rc = bo_entry_add(e, cash, amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_entry_add(e, sales, -amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        if (rc) {
            fprintf(stderr, "writer %d entry %d: %s: %s\n", w, i, bo_error_name(rc),
                    bo_error_message());
            _exit(1);
        }
    }
    uint64_t lone = bo__store_lone_retries(b->store);
    if (write(out, &lone, sizeof lone) != (ssize_t)sizeof lone)
        _exit(3);
    bo_book_free(b);
    _exit(0);
}

START_TEST(lanes_disjoint_writers_retry_on_their_lanes)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("lanes");
    bo_book_options o = options(1);
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    for (int w = 0; w < WRITERS; w++) {
        char code[8];
        snprintf(code, sizeof code, "10%02d", w);
        bo_assert_ok(bo_ledger_account_add(b, code, "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
        snprintf(code, sizeof code, "41%02d", w);
        bo_assert_ok(bo_ledger_account_add(b, code, "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    }
    bo_book_free(b);

    int64_t rb0 = bo_pg_rollbacks(uri);
    int start[2], out[2];
    ck_assert_int_eq(pipe(start), 0);
    ck_assert_int_eq(pipe(out), 0);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            close(start[1]);
            close(out[0]);
            writer(uri, w, start[0], out[1]);
        }
    }
    close(start[0]);
    close(out[1]);
    struct timespec opened = { 0, 300000000L }; /* every writer connected */
    nanosleep(&opened, NULL);
    close(start[1]);
    uint64_t lone = 0;
    for (int w = 0; w < WRITERS; w++) {
        uint64_t one = 0;
        ck_assert_int_eq(read(out[0], &one, sizeof one), (ssize_t)sizeof one);
        lone += one;
    }
    close(out[0]);
    bo_pg_wait(pids, WRITERS, "writer");
    int64_t rb1 = bo_pg_rollbacks(uri);
    printf("disjoint writers on lanes: %d writers x %d entries, %" PRId64
           " transactions rolled back in the database, %" PRIu64 " run alone after"
           " conflicts\n", WRITERS, ENTRIES, rb1 - rb0, lone);
    fflush(stdout);

    bo_assert_ok(bo_book_open(&b, uri, &o));
    int64_t total = 0;
    for (int w = 0; w < WRITERS; w++) {
        int64_t posted = 0, got = 0;
        for (int i = 0; i < ENTRIES; i++)
            posted += amount_of(w, i);
        total += posted;
        char code[8];
        snprintf(code, sizeof code, "10%02d", w);
        bo_assert_ok(bo_ledger_balance(b, code, ymd(2026, 12, 31), NULL, &got));
        ck_assert_int_eq(got, posted);
        snprintf(code, sizeof code, "41%02d", w);
        bo_assert_ok(bo_ledger_balance(b, code, ymd(2026, 12, 31), NULL, &got));
        ck_assert_int_eq(got, -posted);
    }
    int64_t debit, credit;
    bo_pg_trial_totals(b, ymd(2026, 12, 31), &debit, &credit);
    ck_assert_int_eq(debit, total);
    ck_assert_int_eq(credit, total);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'lane-%'"),
                     WRITERS * ENTRIES);
    ck_assert_msg(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM audit_log") > 2,
                  "the writers did not run side by side");
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
    /* The lanes' heads kept between transactions chained every record. */
    bo_audit_verify_options vo = BO_AUDIT_VERIFY_OPTIONS_INIT;
    vo.mode = BO_AUDIT_VERIFY_CHAIN;
    vrc = bo_audit_verify_full(b, &vo, &bad);
    ck_assert_msg(vrc == 0, "audit verify: %s", bo_error_message());

    /* Each transaction run alone after conflicts follows BO__PG_LANE_TRIES
     * rolled back on its lane. */
    ck_assert_msg(lone * BO__PG_LANE_TRIES <= (uint64_t)(rb1 - rb0),
                  "%" PRIu64 " transactions of writers on disjoint accounts ran alone"
                  " after only %" PRId64 " rolled back", lone, rb1 - rb0);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A lane's head kept from one transaction to the next is the lane's last
 * record: a handle that writes, then another handle (another lane) that
 * writes, then the first again, chains correctly, and one that lost its
 * transaction (rolled back) chains from what was committed. */
START_TEST(lanes_head_kept_between_transactions)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("lanehead");
    bo_book_options o = options(1);
    bo_book *a = NULL, *b = NULL;
    bo_assert_ok(bo_book_open(&a, uri, &o));
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(a, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    for (int i = 0; i < 6; i++) {
        bo_book *h = i % 2 ? b : a;
        if (i == 3) { /* a transaction rolled back: its records are gone */
            bo_assert_ok(bo_book_begin(h));
            bo_entry *e = NULL;
            bo_assert_ok(bo_entry_new(&e, ymd(2026, 6, 1), "undone"));
            bo_assert_ok(bo_entry_add(e, "1000", 7, NULL, NULL));
            bo_assert_ok(bo_entry_add(e, "4100", -7, NULL, NULL));
            bo_assert_ok(bo_ledger_post(h, e, NULL));
            bo_entry_free(e);
            bo_assert_ok(bo_book_rollback(h));
        }
        bo_entry *e = NULL;
        bo_assert_ok(bo_entry_new(&e, ymd(2026, 6, 1 + i), "kept"));
        bo_assert_ok(bo_entry_add(e, "1000", 10 + i, NULL, NULL));
        bo_assert_ok(bo_entry_add(e, "4100", -10 - i, NULL, NULL));
        bo_assert_ok(bo_ledger_post(h, e, NULL));
        bo_entry_free(e);
    }
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM audit_log"
                                          " WHERE lane > 0"), 2);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(a, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* Eight writers posting to the SAME two accounts on lanes: each lone
 * bo_ledger_post runs at REPEATABLE READ on its lane. Every writer also
 * posts the same SHARED entries under the same keys (the exactly-once
 * path: 40001 or 23505 on the key is retried and finds the entry). After:
 * each key recorded once, the balances are the sums of the postings, the
 * trial balance balances and the full verification passes. */
#define SHARED 5

static int64_t same_amount(int writer, int i)
{
    return writer < 0 ? 500 + i : 7 + writer * 100 + i;
}

static int post_same(bo_book *b, const char *key, int64_t amount, int day)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, ymd(2026, 7, 1 + day % 28), "same accounts");
    if (!rc) rc = bo_entry_set_key(e, key);
    if (!rc) rc = bo_entry_add(e, "1000", amount, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "4100", -amount, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    return rc;
}

static void same_writer(const char *uri, int w, int start)
{
    bo_book_options o = options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "writer", w);
    char c;
    if (read(start, &c, 1) < 0)
        _exit(2);
    for (int i = 0; i < ENTRIES; i++) {
        char key[32];
        snprintf(key, sizeof key, "same-%d-%d", w, i);
        int rc = post_same(b, key, same_amount(w, i), i);
        if (!rc && i < SHARED) {
            snprintf(key, sizeof key, "shared-%d", i);
            rc = post_same(b, key, same_amount(-1, i), i);
        }
        if (rc) {
            fprintf(stderr, "writer %d entry %d: %s: %s\n", w, i, bo_error_name(rc),
                    bo_error_message());
            _exit(1);
        }
    }
    bo_book_free(b);
    _exit(0);
}

START_TEST(lanes_same_accounts_repeatable_read)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("lanesame");
    bo_book_options o = options(1);
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_book_free(b);

    int64_t rb0 = bo_pg_rollbacks(uri);
    pid_t pids[WRITERS];
    bo_pg_race(pids, WRITERS, same_writer, uri, 300);
    bo_pg_wait(pids, WRITERS, "writer");
    int64_t rb1 = bo_pg_rollbacks(uri);
    printf("writers on the same accounts at REPEATABLE READ: %d writers x %d entries"
           " (+%d shared keys each), %" PRId64 " transactions rolled back\n",
           WRITERS, ENTRIES, SHARED, rb1 - rb0);
    fflush(stdout);

    bo_assert_ok(bo_book_open(&b, uri, &o));
    int64_t posted = 0, got = 0;
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < ENTRIES; i++)
            posted += same_amount(w, i);
    for (int i = 0; i < SHARED; i++)
        posted += same_amount(-1, i);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'shared-%'"), SHARED);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'same-%'"),
                     WRITERS * ENTRIES);
    ck_assert_msg(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM audit_log") > 2,
                  "the writers did not run side by side");
    /* The balances are the sums of the postings. */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT SUM(p.amount) FROM postings p"
                                          " JOIN accounts a ON a.id = p.account_id"
                                          " WHERE a.code = '1000'"), posted);
    bo_assert_ok(bo_ledger_balance(b, "1000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, posted);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, -posted);
    for (int d = 1; d <= 28; d += 9) { /* and on days between */
        char sql[192];
        snprintf(sql, sizeof sql, "SELECT COALESCE(SUM(p.amount), 0) FROM postings p"
                 " JOIN accounts a ON a.id = p.account_id WHERE a.code = '1000'"
                 " AND p.date <= '2026-07-%02d'", d);
        bo_assert_ok(bo_ledger_balance(b, "1000", ymd(2026, 7, d), NULL, &got));
        ck_assert_int_eq(got, bo_test_raw_int(uri, sql));
    }
    int64_t debit, credit;
    bo_pg_trial_totals(b, ymd(2026, 12, 31), &debit, &credit);
    ck_assert_int_eq(debit, posted);
    ck_assert_int_eq(credit, posted);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* The year-end close reads the ledger's totals and writes from them: on
 * lanes it runs alone, or inside the host's transaction (bo_book_begin),
 * which no posting at REPEATABLE READ runs beside; rolled back there, it
 * leaves nothing. */
START_TEST(lanes_year_close_runs_alone)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("laneclose");
    bo_book_options o = options(1);
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "3000", "Retained", BO_ACCOUNT_EQUITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(post_same(b, "c1", 40, 0));
    int64_t entry = 0, got = 0;
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(bo_ledger_year_close(b, ymd(2026, 12, 31), "3000", NULL, &entry));
    ck_assert_int_gt(entry, 0);
    bo_assert_ok(bo_ledger_balance(b, "3000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, -40);
    bo_assert_ok(bo_book_rollback(b));
    bo_assert_ok(bo_ledger_balance(b, "3000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, 0);
    entry = 0;
    bo_assert_ok(bo_ledger_year_close(b, ymd(2026, 12, 31), "3000", NULL, &entry));
    ck_assert_int_gt(entry, 0);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, 0);
    bo_assert_ok(bo_ledger_balance(b, "3000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, -40);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A child process running poster(uri, go, out): it waits for a byte on
 * go[1] and answers on out[0] (the parent's ends; the others are closed).
 * Returns once the child had time to connect. */
static pid_t poster_start(void (*poster)(const char *, int, int), const char *uri, int go[2],
                          int out[2])
{
    ck_assert_int_eq(pipe(go), 0);
    ck_assert_int_eq(pipe(out), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(go[1]);
        close(out[0]);
        poster(uri, go[0], out[1]);
    }
    close(go[0]);
    close(out[1]);
    struct timespec opened = { 0, 300000000L }; /* the poster connected */
    nanosleep(&opened, NULL);
    return pid;
}

/* Write skew between the host's own transaction and a lone posting: the
 * host reads an account's balance inside bo_book_begin and, finding it
 * zero, closes the account; meanwhile another process posts to that
 * account outside any transaction (REPEATABLE READ on its lane). Either
 * order alone is fine (the posting first: the host sees a balance and
 * keeps the account open; the host first: the posting is refused,
 * BO_ECLOSED), but both reading before either commits would leave a closed
 * account with a balance: PostgreSQL checks read/write dependencies only
 * among SERIALIZABLE transactions. The host's transaction takes SHARE on
 * bo_meta, which the posting's ROW EXCLUSIVE waits for, so the posting
 * runs after the host's commit and is refused. */
static void skew_poster(const char *uri, int go, int out)
{
    bo_book_options o = options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "poster", 0);
    char c;
    if (read(go, &c, 1) != 1)
        _exit(2);
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, ymd(2026, 8, 3), "into the suspense account");
    if (!rc) rc = bo_entry_add(e, "2900", 100, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "4100", -100, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    if (write(out, &rc, sizeof rc) != (ssize_t)sizeof rc)
        _exit(3);
    bo_book_free(b);
    _exit(0);
}

START_TEST(lanes_host_transaction_sees_lone_postings)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("laneskew");
    bo_book_options o = options(1);
    o.busy_timeout_ms = 60000;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2900", "Suspense", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(post_same(b, "warm", 1, 0)); /* this handle holds a lane */
    int go[2], out[2];
    pid_t pid = poster_start(skew_poster, uri, go, out);

    bo_assert_ok(bo_book_begin(b));
    int64_t balance = -1;
    bo_assert_ok(bo_ledger_balance(b, "2900", ymd(2026, 12, 31), NULL, &balance));
    ck_assert_int_eq(balance, 0);
    ck_assert_int_eq(write(go[1], "g", 1), 1);
    struct timespec posting = { 0, 700000000L }; /* time to post, were it let */
    nanosleep(&posting, NULL);
    bo_assert_ok(bo_ledger_account_close(b, "2900"));
    bo_assert_ok(bo_book_commit(b));
    close(go[1]);
    int prc = -1;
    ck_assert_int_eq(read(out[0], &prc, sizeof prc), (ssize_t)sizeof prc);
    close(out[0]);
    bo_pg_wait(&pid, 1, "poster");

    int64_t after = 0;
    bo_assert_ok(bo_ledger_balance(b, "2900", ymd(2026, 12, 31), NULL, &after));
    printf("host transaction against a lone posting: the posting: %s, suspense balance %"
           PRId64 "\n", prc ? bo_error_name(prc) : "committed", after);
    fflush(stdout);
    ck_assert_msg(after == 0, "a closed account holds %" PRId64 " (write skew)", after);
    ck_assert_int_eq(prc, BO_ECLOSED);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A year-end close inside the host's transaction beside a lone posting
 * into that year from another process: the posting's BEGIN waits for the
 * host's commit (SHARE against ROW EXCLUSIVE on bo_meta), so it comes
 * after the close and finds the year closed (BO_EPERIOD), and the close
 * moved exactly what was posted before it. Were they side by side, the
 * posting would have seen the year open and committed into it. */
static void close_poster(const char *uri, int go, int out)
{
    bo_book_options o = options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "poster", 0);
    char c;
    if (read(go, &c, 1) != 1)
        _exit(2);
    bo_entry *e = NULL;
    int64_t id = 0;
    int rc = bo_entry_new(&e, ymd(2026, 8, 3), "a sale late in the year");
    if (!rc) rc = bo_entry_add(e, "1000", 100, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "4100", -100, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, &id);
    bo_entry_free(e);
    int64_t got[2] = { rc, id };
    if (write(out, got, sizeof got) != (ssize_t)sizeof got)
        _exit(3);
    bo_book_free(b);
    _exit(0);
}

START_TEST(lanes_year_close_in_host_transaction)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("laneclosehost");
    bo_book_options o = options(1);
    o.busy_timeout_ms = 60000;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "3000", "Retained", BO_ACCOUNT_EQUITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(post_same(b, "before", 40, 0)); /* this handle holds a lane */
    int go[2], out[2];
    pid_t pid = poster_start(close_poster, uri, go, out);

    bo_assert_ok(bo_book_begin(b));
    int64_t sales = 0;
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &sales));
    ck_assert_int_eq(sales, -40);
    ck_assert_int_eq(write(go[1], "g", 1), 1);
    struct timespec posting = { 0, 700000000L }; /* time to post, were it let */
    nanosleep(&posting, NULL);
    int64_t closing = 0;
    bo_assert_ok(bo_ledger_year_close(b, ymd(2026, 12, 31), "3000", NULL, &closing));
    ck_assert_int_gt(closing, 0);
    bo_assert_ok(bo_book_commit(b));
    close(go[1]);
    int64_t got[2] = { -1, 0 };
    ck_assert_int_eq(read(out[0], got, sizeof got), (ssize_t)sizeof got);
    close(out[0]);
    bo_pg_wait(&pid, 1, "poster");

    printf("year-end close in the host's transaction against a lone posting: closing "
           "entry %" PRId64 ", the posting: %s, entry %" PRId64 "\n", closing,
           got[0] ? bo_error_name((int)got[0]) : "committed", got[1]);
    fflush(stdout);
    ck_assert_msg(got[0] == BO_EPERIOD, "the posting (entry %" PRId64 ") ran beside the "
                  "close (entry %" PRId64 ")", got[1], closing);
    int64_t retained = 0;
    bo_assert_ok(bo_ledger_balance(b, "3000", ymd(2026, 12, 31), NULL, &retained));
    ck_assert_int_eq(retained, -40);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &sales));
    ck_assert_int_eq(sales, 0); /* closed, and nothing posted after the close */
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* Batches of bo_ledger_post_many on lanes (docs/architecture.md, "A batch
 * on a lane"): eight processes, each posting BATCHES batches of BATCH keyed
 * entries to the SAME two accounts, dated out of order over a month (the
 * lanes' back-dating and held-back shifts), every batch also carrying the
 * same SHARED keys as the other writers' (replays found in the store or a
 * conflict on the key, run again). Each batch is written set-wise on its
 * lane: its entries' ids and its records' numbers drawn in one statement
 * each. After: each key recorded once, the balances the sums of the
 * postings (on days between too), the trial balance balances and the full
 * verification passes. With BO_PG_LANES=0 (mode 0) the same batches taking
 * turns. */
#define BATCHES 4
#define BATCH 40

static int64_t batch_amount(int writer, int k, int i)
{
    return writer < 0 ? 900 + i : 3 + writer * 1000 + k * 50 + i;
}

static bo_date batch_date(int w, int k, int i)
{
    return ymd(2026, 9, 1 + (i * 7 + k * 3 + w * 5) % 28);
}

static int post_batch(bo_book *b, int w, int k, int64_t *ids)
{
    bo_entry *e[BATCH + SHARED] = { NULL };
    int n = 0, rc = 0;
    for (int i = 0; i < BATCH && !rc; i++, n++) {
        char key[48];
        snprintf(key, sizeof key, "batch-%d-%d-%d", w, k, i);
        int64_t a = batch_amount(w, k, i);
        rc = bo_entry_new(&e[n], batch_date(w, k, i), "batch on a lane");
        if (!rc) rc = bo_entry_set_key(e[n], key);
        if (!rc) rc = bo_entry_add(e[n], "1000", a, NULL, NULL);
        if (!rc) rc = bo_entry_add(e[n], "4100", -a, NULL, NULL);
    }
    for (int i = 0; i < SHARED && !rc && k == 0; i++, n++) {
        char key[48];
        snprintf(key, sizeof key, "batch-shared-%d", i);
        rc = bo_entry_new(&e[n], ymd(2026, 9, 2 + i), "shared");
        if (!rc) rc = bo_entry_set_key(e[n], key);
        if (!rc) rc = bo_entry_add(e[n], "1000", batch_amount(-1, 0, i), NULL, NULL);
        if (!rc) rc = bo_entry_add(e[n], "4100", -batch_amount(-1, 0, i), NULL, NULL);
    }
    if (!rc)
        rc = bo_ledger_post_many(b, e, (size_t)n, ids);
    for (int i = 0; i < BATCH + SHARED; i++)
        bo_entry_free(e[i]);
    return rc;
}

static void batch_writer(const char *uri, int w, int start)
{
    bo_book_options o = options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "writer", w);
    char c;
    if (read(start, &c, 1) < 0)
        _exit(2);
    for (int k = 0; k < BATCHES; k++) {
        int64_t ids[BATCH + SHARED] = { 0 };
        int rc = post_batch(b, w, k, ids);
        if (rc) {
            fprintf(stderr, "writer %d batch %d: %s: %s\n", w, k, bo_error_name(rc),
                    bo_error_message());
            _exit(1);
        }
        for (int i = 0; i < BATCH; i++)
            if (ids[i] <= 0 || (i && ids[i] <= ids[i - 1])) {
                fprintf(stderr, "writer %d batch %d: entry %d has id %lld after %lld\n", w,
                        k, i + 1, (long long)ids[i], (long long)(i ? ids[i - 1] : 0));
                _exit(4);
            }
    }
    bo_book_free(b);
    _exit(0);
}

/* What the batches posted: balances, trial balance, keys, verification. */
static void batches_check(bo_book *b, const char *uri, int writers)
{
    int64_t posted = 0, got = 0;
    for (int w = 0; w < writers; w++)
        for (int k = 0; k < BATCHES; k++)
            for (int i = 0; i < BATCH; i++)
                posted += batch_amount(w, k, i);
    for (int i = 0; i < SHARED; i++)
        posted += batch_amount(-1, 0, i);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'batch-shared-%'"), SHARED);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'batch-%'"),
                     writers * BATCHES * BATCH + SHARED);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT SUM(p.amount) FROM postings p"
                                          " JOIN accounts a ON a.id = p.account_id"
                                          " WHERE a.code = '1000'"), posted);
    bo_assert_ok(bo_ledger_balance(b, "1000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, posted);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, -posted);
    for (int d = 1; d <= 28; d += 3) {
        char sql[192];
        snprintf(sql, sizeof sql, "SELECT COALESCE(SUM(p.amount), 0) FROM postings p"
                 " JOIN accounts a ON a.id = p.account_id WHERE a.code = '1000'"
                 " AND p.date <= '2026-09-%02d'", d);
        bo_assert_ok(bo_ledger_balance(b, "1000", ymd(2026, 9, d), NULL, &got));
        ck_assert_int_eq(got, bo_test_raw_int(uri, sql));
    }
    int64_t debit, credit;
    bo_pg_trial_totals(b, ymd(2026, 12, 31), &debit, &credit);
    ck_assert_int_eq(debit, posted);
    ck_assert_int_eq(credit, posted);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
}

START_TEST(lanes_batches_same_accounts)
{
    char *lanes = bo_pg_lanes(_i);
    char *uri = bo_test_path(_i ? "lanebatch" : "turnbatch");
    bo_book_options o = options(1);
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_book_free(b);

    int64_t rb0 = bo_pg_rollbacks(uri);
    pid_t pids[WRITERS];
    bo_pg_race(pids, WRITERS, batch_writer, uri, 300);
    bo_pg_wait(pids, WRITERS, "writer");
    int64_t rb1 = bo_pg_rollbacks(uri);
    printf("batches %s on the same accounts: %d writers x %d batches of %d entries"
           " (+%d shared keys), %" PRId64 " transactions rolled back\n",
           _i ? "on lanes" : "taking turns", WRITERS, BATCHES, BATCH, SHARED, rb1 - rb0);
    fflush(stdout);
    bo_assert_ok(bo_book_open(&b, uri, &o));
    if (_i) {
        ck_assert_msg(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM audit_log") > 2,
                      "the writers did not run side by side");
        ck_assert_msg(bo_test_raw_int(uri, "SELECT COUNT(*) FROM account_lane_days") > 0,
                      "no batch wrote its lane's day rows");
    }
    batches_check(b, uri, WRITERS);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* One batch on lane 2 (a second handle: lane 1 keeps account_days): set-wise
 * (far fewer round trips than entries), ids ascending; then a batch with
 * one bad entry in its middle, refused with that entry's number, changes
 * nothing (entries, postings, records, the lane's day rows and its listing
 * as they were); a batch of replays answers the first ids. */
START_TEST(lanes_batch_set_wise_and_all_or_nothing)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = bo_test_path("lanebatchbad");
    bo_book_options o = options(1);
    bo_book *a = NULL, *b = NULL;
    bo_assert_ok(bo_book_open(&a, uri, &o));
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_account_add(a, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2000", "Other", BO_ACCOUNT_ASSET, NULL, NULL));
    enum { N = 100 };
    int64_t ids[N] = { 0 };
    uint64_t t0 = bo__store_round_trips(b->store);
    bo_assert_ok(post_batch(b, 0, 0, ids));
    uint64_t trips = bo__store_round_trips(b->store) - t0;
    printf("a batch of %d entries on lane 2: %" PRIu64 " round trips\n", BATCH + SHARED,
           trips);
    fflush(stdout);
    /* One by one a keyed entry on a lane takes 6 (pg_round_trips_per_lone_entry). */
    ck_assert_msg(trips < BATCH + SHARED, "%" PRIu64 " round trips for a batch of %d:"
                  " not written set-wise", trips, BATCH + SHARED);
    for (int i = 1; i < BATCH + SHARED; i++)
        ck_assert_int_gt(ids[i], ids[i - 1]);
    ck_assert_int_gt(bo_test_raw_int(uri, "SELECT COUNT(*) FROM account_lane_days"
                                          " WHERE lane = 2"), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM account_lanes"
                                          " WHERE lane = 2"), 2);

    static const char *const counts[] = {
        "SELECT COUNT(*) FROM entries", "SELECT COUNT(*) FROM postings",
        "SELECT COUNT(*) FROM audit_log", "SELECT COUNT(*) FROM account_lane_days",
        "SELECT COUNT(*) FROM account_lanes", "SELECT COUNT(*) FROM account_days",
        "SELECT COALESCE(SUM(total), 0) FROM account_lane_days",
    };
    int64_t before[7];
    for (int q = 0; q < 7; q++)
        before[q] = bo_test_raw_int(uri, counts[q]);
    bo_entry *e[N] = { NULL };
    for (int i = 0; i < N; i++) {
        char key[32];
        snprintf(key, sizeof key, "bad-batch-%d", i);
        bo_assert_ok(bo_entry_new(&e[i], ymd(2026, 10, 1 + i % 28), "all or nothing"));
        bo_assert_ok(bo_entry_set_key(e[i], key));
        /* entry 61 names an account that does not exist; its lines to 2000
         * are the account's first on this lane */
        bo_assert_ok(bo_entry_add(e[i], i == 60 ? "9999" : i % 2 ? "2000" : "1000", 5 + i,
                                  NULL, NULL));
        bo_assert_ok(bo_entry_add(e[i], "4100", -5 - i, NULL, NULL));
    }
    int rc = bo_ledger_post_many(b, e, N, ids);
    ck_assert_int_eq(rc, BO_ENOTFOUND);
    ck_assert_msg(strstr(bo_error_message(), "entry 61") != NULL, "%s", bo_error_message());
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(ids[i], 0);
    for (int q = 0; q < 7; q++)
        ck_assert_int_eq(bo_test_raw_int(uri, counts[q]), before[q]);
    int64_t got = -1;
    bo_assert_ok(bo_ledger_balance(b, "2000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, 0);

    /* Made good, posted; then the same batch again: replays, the same ids. */
    bo_entry_free(e[60]);
    bo_assert_ok(bo_entry_new(&e[60], ymd(2026, 10, 5), "all or nothing"));
    bo_assert_ok(bo_entry_set_key(e[60], "bad-batch-60"));
    bo_assert_ok(bo_entry_add(e[60], "1000", 65, NULL, NULL));
    bo_assert_ok(bo_entry_add(e[60], "4100", -65, NULL, NULL));
    bo_assert_ok(bo_ledger_post_many(b, e, N, ids));
    int64_t again[N] = { 0 };
    bo_assert_ok(bo_ledger_post_many(a, e, N, again));
    for (int i = 0; i < N; i++) {
        ck_assert_int_gt(ids[i], 0);
        ck_assert_int_eq(again[i], ids[i]);
        bo_entry_free(e[i]);
    }
    int64_t sum2000 = 0;
    for (int i = 1; i < N; i += 2)
        sum2000 += 5 + i;
    bo_assert_ok(bo_ledger_balance(a, "2000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, sum2000);
    int64_t debit, credit;
    bo_pg_trial_totals(a, ymd(2026, 12, 31), &debit, &credit);
    ck_assert_int_eq(debit, credit);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(a, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A new book named after stem, on lanes (BO_PG_LANES as the caller set
 * it), with the two accounts of this suite; *uri set. */
static bo_book *two_accounts_book(const char *stem, char **uri)
{
    *uri = bo_test_path(stem);
    bo_book_options o = options(1);
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, *uri, &o));
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    return b;
}

/* Audit records without exactly one feed event, and events without their
 * record. */
static int64_t events_astray(const char *uri)
{
    return bo_test_raw_int(uri, "SELECT (SELECT COUNT(*) FROM audit_log a WHERE"
                                " (SELECT COUNT(*) FROM feed_events f WHERE f.event_id = a.seq) <> 1)"
                                " + (SELECT COUNT(*) FROM feed_events f WHERE NOT EXISTS"
                                " (SELECT 1 FROM audit_log a WHERE a.seq = f.event_id))");
}

/* On a lane a transaction's feed events go in one statement before its
 * commit (src/core/feed.c, lane_write): a batch's events are there, one a
 * record; a transaction whose events were written early (the verification
 * inside it looks at the feed) and whose inner level then rolled back
 * keeps the events of the records that stayed, once each, and none of the
 * level's; a refused batch leaves none. Every event gets its position at
 * the next read, and the book verifies. */
START_TEST(lanes_feed_events_set_wise)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = NULL;
    bo_book *b = two_accounts_book("lanefeed", &uri);
    int64_t records = bo_test_raw_int(uri, "SELECT COUNT(*) FROM audit_log");
    bo_assert_ok(post_batch(b, 0, 0, NULL));
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM audit_log"),
                     records + BATCH + SHARED);
    ck_assert_int_eq(events_astray(uri), 0);

    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(post_same(b, "feed-kept-1", 11, 1));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad)); /* writes the events so far */
    ck_assert_int_eq(bad, 0);
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(post_same(b, "feed-gone", 12, 2));
    bo_assert_ok(bo_book_rollback(b));
    bo_assert_ok(post_same(b, "feed-kept-2", 13, 3));
    bo_assert_ok(bo_book_commit(b));
    ck_assert_int_eq(events_astray(uri), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key = 'feed-gone'"), 0);

    /* A refused batch: no record, no event. */
    int64_t events = bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events");
    bo_entry *e[2] = { NULL, NULL };
    bo_assert_ok(bo_entry_new(&e[0], ymd(2026, 9, 3), "fine"));
    bo_assert_ok(bo_entry_add(e[0], "1000", 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e[0], "4100", -5, NULL, NULL));
    bo_assert_ok(bo_entry_new(&e[1], ymd(2026, 9, 3), "refused"));
    bo_assert_ok(bo_entry_add(e[1], "1000", 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e[1], "9999", -5, NULL, NULL));
    ck_assert_int_eq(bo_ledger_post_many(b, e, 2, NULL), BO_ENOTFOUND);
    bo_entry_free(e[0]);
    bo_entry_free(e[1]);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"), events);

    int64_t first = 0, last = 0;
    bo_assert_ok(bo_feed_head(b, &first, &last));
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"
                                          " WHERE position IS NULL"), 0);
    ck_assert_int_eq(last, events);
    bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* What the book holds: entries, audit records, feed events. */
static int64_t book_rows(const char *uri)
{
    return bo_test_raw_int(uri, "SELECT (SELECT COUNT(*) FROM entries) * 1000000"
                                " + (SELECT COUNT(*) FROM audit_log) * 1000"
                                " + (SELECT COUNT(*) FROM feed_events)");
}

/* Opening uri in the other mode is refused, with BO_EBUSY and a message
 * naming both modes and the switch; nothing is written. */
static void refused(const char *uri, int lanes)
{
    char *was = bo_pg_lanes(lanes);
    int64_t before = book_rows(uri);
    bo_book_options o = options(0);
    bo_book *b = NULL;
    int rc = bo_book_open(&b, uri, &o);
    ck_assert_msg(rc == BO_EBUSY, "open in the other mode: %s (%s)", bo_error_name(rc),
                  bo_error_message());
    const char *m = bo_error_message();
    ck_assert_msg(strstr(m, "BO_PG_LANES") && strstr(m, "taking turns") &&
                  strstr(m, "on lanes"), "message: %s", m);
    bo_book_free(b);
    ck_assert_int_eq(book_rows(uri), before);
    bo_pg_lanes_restore(was);
}

/* Terminate the sessions of uri's book that hold the mode's lock. */
static void kill_mode_sessions(const char *uri, int key)
{
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_locks"
             " WHERE locktype = 'advisory' AND objsubid = 2 AND objid = %d"
             " AND classid = (hashtext(current_schema())::bigint & 4294967295)::oid"
             " AND pid <> pg_backend_pid()", key);
    ck_assert_int_eq(bo_test_raw_int(uri, sql), 1);
    struct timespec t = { 0, 100 * 1000000L };
    nanosleep(&t, NULL);
}

/* A call on a handle whose session was terminated: the first may fail
 * (the connection was lost), the next connects again. */
static int post_after_kill(bo_book *b, const char *key)
{
    int rc = post_same(b, key, 1, 3);
    if (rc == BO_EIO)
        rc = post_same(b, key, 1, 3);
    return rc;
}

/* One book, one mode at a time (docs/architecture.md, "Lanes of the audit
 * chain"): writers on lanes give their feed events no position and number
 * records from a sequence, writers taking turns position their events and
 * number records one after the last, so while a handle of one mode is open
 * on a book a handle of the other is refused at its opening (BO_EBUSY),
 * changing nothing, and let in once the first has closed. A connection
 * made again takes its mode's lock again: a handle on lanes whose session
 * ended while a handle taking turns opened is refused at its reconnection,
 * and goes on once that one has closed. Each mode's writes verify. */
START_TEST(lanes_mixed_modes_one_book)
{
    char *lanes = bo_pg_lanes(1);
    char *uri = NULL;
    bo_book *a = two_accounts_book("lanemixed", &uri);
    bo_assert_ok(post_same(a, "mixed-lanes-1", 10, 1));
    bo_assert_ok(post_batch(a, 0, 0, NULL));
    refused(uri, 0); /* taking turns, while a handle on lanes is open */

    /* a's session ends; a handle taking turns opens meanwhile. */
    kill_mode_sessions(uri, BO__PG_MODE_LANES);
    setenv("BO_PG_LANES", "0", 1);
    bo_book_options o = options(0);
    bo_book *t = NULL;
    bo_assert_ok(bo_book_open(&t, uri, &o));
    bo_assert_ok(post_same(t, "mixed-turns-1", 20, 2));
    int64_t before = book_rows(uri);
    int rc = post_after_kill(a, "mixed-lanes-2");
    ck_assert_msg(rc == BO_EBUSY, "a lane writer connecting again beside a writer "
                  "taking turns: %s (%s)", bo_error_name(rc), bo_error_message());
    ck_assert_int_eq(book_rows(uri), before);
    refused(uri, 1); /* on lanes, while a handle taking turns is open */
    bo_assert_ok(post_batch(t, 1, 0, NULL));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(t, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(t);

    /* The handle taking turns closed: a goes on, on lanes. */
    bo_assert_ok(post_same(a, "mixed-lanes-2", 30, 3));
    bo_assert_ok(post_batch(a, 2, 0, NULL));
    int64_t first = 0, last = 0;
    bo_assert_ok(bo_feed_head(a, &first, &last)); /* every event positioned */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"
                                          " WHERE position IS NULL"), 0);
    bad = -1;
    bo_assert_ok(bo_audit_verify_full(a, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    int64_t got = 0, posted = 10 + 20 + 30;
    for (int w = 0; w < 3; w++)
        for (int i = 0; i < BATCH; i++)
            posted += batch_amount(w, 0, i);
    for (int i = 0; i < SHARED; i++)
        posted += batch_amount(-1, 0, i);
    bo_assert_ok(bo_ledger_balance(a, "1000", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, posted);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* Events left without a position by writers on lanes are positioned by
 * the first write of a handle taking turns (src/core/feed.c,
 * SQL_LAST_SWEEP), after the last position and in event order, once per
 * hold of its mode: its later writes look up the last position only (no
 * writer on lanes can open meanwhile, so there is nothing left; an event
 * unpositioned by hand stays so), and a handle opened afterwards sweeps
 * again at its first write. */
START_TEST(lanes_leftovers_positioned_once_a_hold)
{
    char *was = bo_pg_lanes(1);
    char *uri = NULL;
    bo_book *a = two_accounts_book("lanesweep", &uri);
    bo_assert_ok(post_same(a, "sweep-lanes-1", 10, 1));
    bo_book_free(a);
    ck_assert_int_gt(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"
                                          " WHERE position IS NULL"), 0);

    setenv("BO_PG_LANES", "0", 1);
    bo_book_options o = options(0);
    bo_book *t = NULL;
    bo_assert_ok(bo_book_open(&t, uri, &o));
    bo_assert_ok(post_same(t, "sweep-turns-1", 20, 2));
    const char *unpositioned = "SELECT COUNT(*) FROM feed_events WHERE position IS NULL";
    ck_assert_int_eq(bo_test_raw_int(uri, unpositioned), 0);
    /* Positions 1..n, in event order. */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM (SELECT position,"
                                          " row_number() OVER (ORDER BY event_id) AS n"
                                          " FROM feed_events) p WHERE position <> n"), 0);
    /* An event unpositioned by hand: the handle that swept leaves it. */
    ck_assert_int_eq(bo_test_raw_int(uri, "WITH u AS (UPDATE feed_events SET position = NULL"
                                          " WHERE event_id = (SELECT MIN(event_id) FROM"
                                          " feed_events) RETURNING 1) SELECT COUNT(*) FROM u"), 1);
    bo_assert_ok(post_same(t, "sweep-turns-2", 30, 3));
    ck_assert_int_eq(bo_test_raw_int(uri, unpositioned), 1);
    bo_book *t2 = NULL;
    bo_assert_ok(bo_book_open(&t2, uri, &o));
    bo_assert_ok(post_same(t2, "sweep-turns-3", 40, 4));
    ck_assert_int_eq(bo_test_raw_int(uri, unpositioned), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT position) - COUNT(*)"
                                          " FROM feed_events"), 0);
    bo_book_free(t2);
    bo_pg_close(t, uri);
    bo_pg_lanes_restore(was);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_lanes");
    TCase *tc = tcase_create("lanes");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, lanes_head_kept_between_transactions);
    tcase_add_test(tc, lanes_disjoint_writers_retry_on_their_lanes);
    tcase_add_test(tc, lanes_same_accounts_repeatable_read);
    tcase_add_test(tc, lanes_year_close_runs_alone);
    tcase_add_test(tc, lanes_year_close_in_host_transaction);
    tcase_add_test(tc, lanes_host_transaction_sees_lone_postings);
    tcase_add_loop_test(tc, lanes_batches_same_accounts, 0, 2);
    tcase_add_test(tc, lanes_batch_set_wise_and_all_or_nothing);
    tcase_add_test(tc, lanes_feed_events_set_wise);
    tcase_add_test(tc, lanes_leftovers_positioned_once_a_hold);
    tcase_add_test(tc, lanes_mixed_modes_one_book);
    suite_add_tcase(s, tc);
    return bo_pg_run(s, "test_pg_lanes");
}
