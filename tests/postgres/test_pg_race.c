/*
 * Eight writer processes race on PostgreSQL, posting at the same time to
 * the same accounts, each through its own book handle. Afterwards every
 * balance is the sum of what was posted to it, every entry is there once,
 * the trial balance balances and the full audit verification passes. Run
 * once with writers side by side on lanes of the audit chain
 * (BO_PG_LANES=1: several lanes must have been used) and once as writers
 * take turns (one lane). On the book of several lanes, edits made with raw
 * SQL are found: a record deleted from the middle of a lane (named as
 * missing), a record moved to another lane, a lane's last record cut off
 * (against the head kept as an anchor).
 */
#include "pg_fixture.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WRITERS 8
#define OPENERS 24
#define ENTRIES 12
#define INCOME 4 /* income accounts 4100..4103 */

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

/* One writer: ENTRIES two-line entries, Cash against an income account,
 * each in its own transaction, with an idempotency key. Exit status 0 when
 * every one was posted. */
static void writer(const char *uri, int w)
{
    bo_book_options o = bo_pg_options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "writer", w);
    for (int i = 0; i < ENTRIES; i++) {
        char key[32], acc[8];
        snprintf(key, sizeof key, "race-%d-%d", w, i);
        snprintf(acc, sizeof acc, "41%02d", i % INCOME);
        bo_entry *e = NULL;
        int rc = bo_entry_new(&e, ymd(2026, 3, 1 + i % 28), "race");
        if (!rc) rc = bo_entry_set_key(e, key);
        if (!rc) rc = bo_entry_add(e, "1000", amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_entry_add(e, acc, -amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        if (rc) {
            fprintf(stderr, "writer %d entry %d: %s: %s\n", w, i, bo_error_name(rc),
                    bo_error_message());
            _exit(1);
        }
    }
    bo_book_free(b);
    _exit(0);
}

/* The first problem a full verification finds, as "table: message". */
static void first_problem(bo_book *b, const bo_audit_verify_options *o, char *out,
                          size_t size)
{
    int64_t bad = 0;
    int rc = bo_audit_verify_full(b, o, &bad);
    ck_assert_msg(rc == BO_ECORRUPT, "not detected (rc %d)", rc);
    snprintf(out, size, "%s", bo_error_message());
}

/* Edits of a book of several lanes with raw SQL: each found and named. */
static void tamper_lanes(bo_book *b, const char *uri)
{
    char msg[1024], sql[512];
    /* A record in the middle of a lane: one with a later record in its lane. */
    int64_t mid = bo_test_raw_int(uri, "SELECT MIN(a.seq) FROM audit_log a WHERE a.lane > 0"
                                       " AND EXISTS (SELECT 1 FROM audit_log x WHERE"
                                       " x.lane = a.lane AND x.seq > a.seq)");
    ck_assert_int_gt(mid, 0);
    snprintf(sql, sizeof sql, "CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = %"
             PRId64 "; DELETE FROM audit_log WHERE seq = %" PRId64, mid, mid);
    bo_test_raw_sql(uri, sql);
    first_problem(b, NULL, msg, sizeof msg);
    char want[64];
    snprintf(want, sizeof want, "record %" PRId64 " is missing", mid);
    ck_assert_msg(strstr(msg, want) != NULL, "deleted: %s", msg);
    bo_test_raw_sql(uri, "INSERT INTO audit_log SELECT * FROM saved; DROP TABLE saved");
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));

    /* The same record moved to another lane. */
    snprintf(sql, sizeof sql, "SELECT lane FROM audit_log WHERE seq = %" PRId64, mid);
    int64_t lane = bo_test_raw_int(uri, sql);
    snprintf(sql, sizeof sql, "UPDATE audit_log SET lane = %d WHERE seq = %" PRId64,
             lane == 64 ? 63 : 64, mid);
    bo_test_raw_sql(uri, sql);
    first_problem(b, NULL, msg, sizeof msg);
    snprintf(want, sizeof want, "record %" PRId64 " has been altered", mid);
    ck_assert_msg(strstr(msg, want) != NULL, "moved: %s", msg);
    snprintf(sql, sizeof sql, "UPDATE audit_log SET lane = %" PRId64 " WHERE seq = %" PRId64,
             lane, mid);
    bo_test_raw_sql(uri, sql);
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));

    /* The last record of a lane cut off: found against the head kept as an
     * anchor, whatever lane it was in. */
    int64_t hs;
    char head[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &hs, head, sizeof head));
    int64_t tail = bo_test_raw_int(uri, "SELECT MAX(seq) FROM audit_log WHERE lane > 0"
                                        " AND seq < (SELECT MAX(seq) FROM audit_log)");
    snprintf(sql, sizeof sql, "CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq ="
             " (SELECT MAX(seq) FROM audit_log x WHERE x.lane = (SELECT lane FROM"
             " audit_log WHERE seq = %" PRId64 ")); DELETE FROM audit_log WHERE seq ="
             " (SELECT seq FROM saved)", tail);
    bo_test_raw_sql(uri, sql);
    bo_audit_verify_options o = BO_AUDIT_VERIFY_OPTIONS_INIT;
    o.anchor_seq = hs;
    o.anchor_hash = head;
    o.mode = BO_AUDIT_VERIFY_CHAIN;
    first_problem(b, &o, msg, sizeof msg);
    ck_assert_msg(strstr(msg, "anchor") != NULL, "cut: %s", msg);
    bo_test_raw_sql(uri, "INSERT INTO audit_log SELECT * FROM saved; DROP TABLE saved");
    o.mode = BO_AUDIT_VERIFY_FULL;
    bo_assert_ok(bo_audit_verify_full(b, &o, NULL));
}

static void race(int lanes)
{
    char *was = bo_pg_lanes(lanes);
    char *uri;
    bo_book *b = bo_pg_fresh("race", &uri);
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    for (int k = 0; k < INCOME; k++) {
        char code[8];
        snprintf(code, sizeof code, "41%02d", k);
        bo_assert_ok(bo_ledger_account_add(b, code, "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    }
    bo_book_free(b);

    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0)
            writer(uri, w);
    }
    bo_pg_wait(pids, WRITERS, "writer");

    /* What was posted, computed here. */
    int64_t cash = 0, income[INCOME] = { 0 };
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < ENTRIES; i++) {
            cash += amount_of(w, i);
            income[i % INCOME] -= amount_of(w, i);
        }

    b = bo_pg_open(uri, 1);
    bo_date end = ymd(2026, 12, 31);
    int64_t got;
    bo_assert_ok(bo_ledger_balance(b, "1000", end, NULL, &got));
    ck_assert_int_eq(got, cash);
    for (int k = 0; k < INCOME; k++) {
        char code[8];
        snprintf(code, sizeof code, "41%02d", k);
        bo_assert_ok(bo_ledger_balance(b, code, end, NULL, &got));
        ck_assert_msg(got == income[k], "%s: balance %" PRId64 ", posted %" PRId64, code,
                      got, income[k]);
        /* the middle of the month too: the day totals of every writer */
        bo_assert_ok(bo_ledger_balance(b, code, ymd(2026, 3, 14), NULL, &got));
        int64_t mid = 0;
        for (int w = 0; w < WRITERS; w++)
            for (int i = k; i < ENTRIES; i += INCOME)
                if (1 + i % 28 <= 14)
                    mid -= amount_of(w, i);
        ck_assert_msg(got == mid, "%s on 2026-03-14: %" PRId64 ", posted %" PRId64, code,
                      got, mid);
    }

    /* The trial balance balances, and shows the same figures. */
    int64_t debit, credit;
    int rows = bo_pg_trial_totals(b, end, &debit, &credit);
    ck_assert_int_eq(rows, 1 + INCOME);
    ck_assert_int_eq(debit, cash);
    ck_assert_int_eq(credit, cash);

    /* Every entry once, the whole book verifies. */
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM entries WHERE idem_key LIKE 'race-%%'");
    ck_assert_int_eq(bo_test_raw_int(uri, sql), WRITERS * ENTRIES);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);

    /* Side by side, the writers appended to lanes of their own. */
    int64_t nlanes = bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM audit_log");
    if (lanes)
        ck_assert_msg(nlanes > 2, "only %" PRId64 " lanes used", nlanes);
    else
        ck_assert_int_eq(nlanes, 1);

    /* A head read back the same twice, and a verification against it. */
    int64_t s1, s2;
    char h1[BO_HASH_HEX_SIZE], h2[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &s1, h1, sizeof h1));
    bo_assert_ok(bo_audit_head(b, &s2, h2, sizeof h2));
    ck_assert_int_eq(s1, s2);
    ck_assert_str_eq(h1, h2);
    bo_audit_verify_options vo = BO_AUDIT_VERIFY_OPTIONS_INIT;
    vo.anchor_seq = s1;
    vo.anchor_hash = h1;
    vrc = bo_audit_verify_full(b, &vo, &bad);
    ck_assert_msg(vrc == 0, "verify against the head: %s", bo_error_message());
    if (lanes)
        tamper_lanes(b, uri);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(was);
}

START_TEST(race_eight_writers_side_by_side)
{
    race(1);
}
END_TEST

START_TEST(race_eight_writers_taking_turns)
{
    race(0);
}
END_TEST

/* ---- one hot day: eight writers on the same two accounts and day ---------- */

#define HOT_ENTRIES 40

/* One writer of the hot day: waits on the start pipe, then posts
 * HOT_ENTRIES entries of Cash against 4100, all dated 2026-04-01, each in
 * its own transaction. */
static void hot_writer(const char *uri, int w, int start)
{
    bo_book_options o = bo_pg_options(0);
    o.busy_timeout_ms = 60000;
    bo_book *b = bo_pg_child_open(uri, &o, "hot writer", w);
    char c;
    if (read(start, &c, 1) < 0)
        _exit(2);
    for (int i = 0; i < HOT_ENTRIES; i++) {
        char key[32];
        snprintf(key, sizeof key, "hot-%d-%d", w, i);
        bo_entry *e = NULL;
        int rc = bo_entry_new(&e, ymd(2026, 4, 1), "hot");
        if (!rc) rc = bo_entry_set_key(e, key);
        if (!rc) rc = bo_entry_add(e, "1000", amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_entry_add(e, "4100", -amount_of(w, i), NULL, NULL);
        if (!rc) rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        if (rc) {
            fprintf(stderr, "hot writer %d entry %d: %s: %s\n", w, i, bo_error_name(rc),
                    bo_error_message());
            _exit(1);
        }
    }
    bo_book_free(b);
    _exit(0);
}

/* Eight writers, released together, posting to the same two accounts on
 * the same day: the balances, the trial balance and the full verification
 * hold. Side by side the day totals are kept by lane: several lanes hold
 * partial totals of the one day, and they sum to what was posted. The
 * transactions the server rolled back while they ran (serialization
 * failures, each retried by the library) are printed for both ways. */
static void hot_day(int lanes)
{
    char *was = bo_pg_lanes(lanes);
    char *uri;
    bo_book *b = bo_pg_fresh("hot", &uri);
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "4100", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_book_free(b);

    int64_t rb0 = bo_pg_rollbacks(uri);
    pid_t pids[WRITERS];
    bo_pg_race(pids, WRITERS, hot_writer, uri, 300); /* every writer connected */
    bo_pg_wait(pids, WRITERS, "hot writer");

    int64_t cash = 0;
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < HOT_ENTRIES; i++)
            cash += amount_of(w, i);

    b = bo_pg_open(uri, 1);
    int64_t got;
    bo_assert_ok(bo_ledger_balance(b, "1000", ymd(2026, 4, 1), NULL, &got));
    ck_assert_int_eq(got, cash);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 12, 31), NULL, &got));
    ck_assert_int_eq(got, -cash);
    bo_assert_ok(bo_ledger_balance(b, "4100", ymd(2026, 3, 31), NULL, &got));
    ck_assert_int_eq(got, 0);

    int64_t debit, credit;
    int rows = bo_pg_trial_totals(b, ymd(2026, 4, 1), &debit, &credit);
    ck_assert_int_eq(rows, 2);
    ck_assert_int_eq(debit, cash);
    ck_assert_int_eq(credit, cash);

    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM entries"
                                          " WHERE idem_key LIKE 'hot-%'"),
                     WRITERS * HOT_ENTRIES);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    ck_assert_int_eq(bad, 0);
    bo_audit_verify_options vo = BO_AUDIT_VERIFY_OPTIONS_INIT;
    vo.mode = BO_AUDIT_VERIFY_CHAIN;
    vrc = bo_audit_verify_full(b, &vo, &bad);
    ck_assert_msg(vrc == 0, "audit verify: %s", bo_error_message());

    /* Where the day's totals are: account_days, and by lane side by side
     * (their sum is the balance checked above). */
    int64_t lane_rows = bo_test_raw_int(uri, "SELECT COUNT(*) FROM account_lane_days");
    int64_t lane_cash = bo_test_raw_int(uri, "SELECT COALESCE(SUM(delta), 0)"
                                             " FROM account_lane_days d JOIN accounts a"
                                             " ON a.id = d.account_id WHERE a.code = '1000'");
    int64_t own_cash = bo_test_raw_int(uri, "SELECT COALESCE(SUM(delta), 0)"
                                            " FROM account_days d JOIN accounts a"
                                            " ON a.id = d.account_id WHERE a.code = '1000'");
    ck_assert_int_eq(lane_cash + own_cash, cash);
    if (lanes)
        ck_assert_msg(bo_test_raw_int(uri, "SELECT COUNT(DISTINCT lane) FROM account_lanes")
                      >= 2, "the day's totals are not kept by lane");
    else
        ck_assert_int_eq(lane_rows, 0);
    int64_t rb2 = bo_pg_rollbacks(uri);
    printf("hot day, %s: %d writers x %d entries, %" PRId64 " lane day rows,"
           " %" PRId64 " transactions rolled back in the database meanwhile\n",
           lanes ? "side by side" : "taking turns", WRITERS, HOT_ENTRIES, lane_rows,
           rb2 - rb0);
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(was);
}

START_TEST(race_eight_writers_one_day_by_lane)
{
    hot_day(1);
}
END_TEST

START_TEST(race_eight_writers_one_day_taking_turns)
{
    hot_day(0);
}
END_TEST

/* One opener: waits on the start pipe, then opens (creating) its own
 * schema in the database @p db. Exit status 0 when it opened. */
static void opener(const char *db, int w, int start)
{
    char c;
    if (read(start, &c, 1) < 0)
        _exit(2);
    /* spread over the time a creation takes */
    struct timespec delay = { 0, (long)w * 4000000L };
    nanosleep(&delay, NULL);
    char uri[256];
    snprintf(uri, sizeof uri, "postgresql:///%s?options=-csearch_path%%3Ds%d", db, w);
    bo_book_options o = bo_pg_options(1);
    bo_book_free(bo_pg_child_open(uri, &o, "opener", w));
    _exit(0);
}

START_TEST(race_openers_create_the_database)
{
    char db[64];
    bo_pg_database_name(db, sizeof db, "race");
    pid_t pids[OPENERS];
    bo_pg_race(pids, OPENERS, opener, db, 0); /* they go together */
    int failed = 0;
    for (int w = 0; w < OPENERS; w++) {
        int status = 0;
        ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failed++;
    }
    bo_pg_drop_database(db);
    ck_assert_msg(failed == 0, "%d of %d openers failed", failed, OPENERS);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_race");
    TCase *tc = tcase_create("race");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, race_eight_writers_side_by_side);
    tcase_add_test(tc, race_eight_writers_taking_turns);
    tcase_add_test(tc, race_openers_create_the_database);
    tcase_add_test(tc, race_eight_writers_one_day_by_lane);
    tcase_add_test(tc, race_eight_writers_one_day_taking_turns);
    suite_add_tcase(s, tc);
    return bo_pg_run(s, "test_pg_race");
}
