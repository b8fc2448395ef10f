/*
 * Round trips per entry on PostgreSQL, one client, batched: the figures of
 * docs/performance.md ("PostgreSQL, one client, batched"), asserted so a
 * change that adds a round trip per entry is seen. Writes whose answers
 * nobody needs before the next statement travel together (libpq's
 * pipeline mode); their errors still come back with the same codes, and
 * a call that failed changed nothing.
 */
#include "pg_fixture.h"
#include "core/book.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Measured 4.33 and 4.89 with writes sent ahead; 9.95 and 10.80 with one
 * round trip per statement (BO_PG_PIPELINE=0). With the day rows of a
 * back-dating batch read once per batch and account (docs/architecture.md,
 * "Day rows read once per batch"): 1.19 and 1.17. On a lane of the audit
 * chain (BO_PG_LANES=1) writes are not sent ahead (docs/architecture.md,
 * "Writes sent ahead"): measured 11.9 and 12.4, then 7.43 and 7.41. */
#define ROUND_TRIPS_KEYED 2.0
#define ROUND_TRIPS_PLAIN 2.0
#define ROUND_TRIPS_LANE_KEYED 9.0
#define ROUND_TRIPS_LANE_PLAIN 9.0

static void post_at(bo_book *b, bo_date date, int i, const char *key)
{
    bo_entry *e;
    char acc[8];
    snprintf(acc, sizeof acc, "%s", i % 2 ? "4000" : "4010");
    ck_assert_int_eq(bo_entry_new(&e, date, "batch"), 0);
    if (key)
        ck_assert_int_eq(bo_entry_set_key(e, key), 0);
    ck_assert_int_eq(bo_entry_add(e, "1000", 100 + i, NULL, NULL), 0);
    ck_assert_int_eq(bo_entry_add(e, acc, -(100 + i), NULL, NULL), 0);
    int rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    ck_assert_msg(rc == 0, "post %d: %s", i, bo_error_message());
}

static void post_one(bo_book *b, int i, const char *key)
{
    post_at(b, 20454 + i % 30, i, key);
}

/* Round trips per entry, entries posted in one transaction. */
static double trips_per_entry(bo_book *b, int n, int keyed)
{
    uint64_t before = bo__store_round_trips(b->store);
    ck_assert_int_eq(bo_book_begin(b), 0);
    for (int i = 0; i < n; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%d-%d", keyed, i);
        post_one(b, i, keyed ? key : NULL);
    }
    ck_assert_int_eq(bo_book_commit(b), 0);
    return (double)(bo__store_round_trips(b->store) - before) / n;
}

/* Run twice: writers taking turns (_i 0, the transaction runs alone) and
 * side by side on lanes (_i 1), whatever BO_PG_LANES the run has. */
START_TEST(pg_round_trips_per_entry_batched)
{
    char *lanes = bo_pg_lanes(_i);
    bo_book *b = bo_test_book(_i ? "pipeline-lanes" : "pipeline");
    bo_test_chart(b);
    post_one(b, 0, NULL); /* statements prepared, days made */
    double keyed = trips_per_entry(b, 200, 1);
    double plain = trips_per_entry(b, 200, 0);
    printf("round trips per entry, batched, %s: %.2f with a key, %.2f without\n",
           _i ? "on a lane" : "alone", keyed, plain);
    double max_keyed = _i ? ROUND_TRIPS_LANE_KEYED : ROUND_TRIPS_KEYED;
    double max_plain = _i ? ROUND_TRIPS_LANE_PLAIN : ROUND_TRIPS_PLAIN;
    ck_assert_msg(keyed <= max_keyed, "%.2f round trips per keyed entry", keyed);
    ck_assert_msg(plain <= max_plain, "%.2f round trips per entry", plain);
    bo_test_book_free(b);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* Entries posted one by one, each its own transaction (bo_ledger_post
 * outside any transaction, as a terminal or a web request does), keyed,
 * dated in order (four a day, as bench_clients posts them):
 * round trips per entry, taking turns (_i 0) and on a lane (_i 1, where a
 * lone posting runs at REPEATABLE READ, draws its record's number with its
 * BEGIN and sends its writes ahead, COMMIT with them). Measured 9.04
 * alone (the chain's head and the feed's last position read in each
 * transaction) and 6.04 on a lane, where every one of its 11 statements was
 * a round trip before (BEGIN, the generation, two day totals, the entry's
 * claim, postings, day totals, the record's number, the record, its event,
 * COMMIT). */
#define LONE_TRIPS_ALONE 10.0
#define LONE_TRIPS_LANE 6.5
START_TEST(pg_round_trips_per_lone_entry)
{
    char *lanes = bo_pg_lanes(_i);
    bo_book *b = bo_test_book(_i ? "lone-lanes" : "lone");
    bo_test_chart(b);
    post_at(b, 20454, 0, "lone-warm"); /* statements prepared, a lane held */
    enum { N = 100 };
    uint64_t before = bo__store_round_trips(b->store);
    for (int i = 1; i <= N; i++) {
        char key[32];
        snprintf(key, sizeof key, "lone-%d", i);
        post_at(b, 20454 + i / 4, i, key);
    }
    double per = (double)(bo__store_round_trips(b->store) - before) / N;
    printf("round trips per entry, one transaction each, %s: %.2f\n",
           _i ? "on a lane" : "alone", per);
    ck_assert_msg(per <= (_i ? LONE_TRIPS_LANE : LONE_TRIPS_ALONE),
                  "%.2f round trips per lone entry", per);
    int64_t bad = -1;
    int vrc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(vrc == 0, "verify: %s", bo_error_message());
    bo_test_book_free(b);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A new book with the chart of bo_test_chart(); *uri set. */
static bo_book *fresh(const char *stem, char **uri)
{
    bo_book *b = bo_pg_fresh(stem, uri);
    bo_test_chart(b);
    return b;
}

static int64_t rows(const char *uri)
{
    return bo_test_raw_int(uri, "SELECT (SELECT COUNT(*) FROM entries) * 1000000"
                                " + (SELECT COUNT(*) FROM postings) * 1000"
                                " + (SELECT COUNT(*) FROM audit_log)");
}

static int64_t day_sum(const char *uri)
{
    return bo_test_raw_int(uri, "SELECT COALESCE(SUM(delta), 0) + COALESCE(SUM(ABS(total)), 0)"
                                " FROM account_days");
}

static int post_amount(bo_book *b, int64_t amount)
{
    bo_entry *e;
    ck_assert_int_eq(bo_entry_new(&e, 20454, "fails"), 0);
    ck_assert_int_eq(bo_entry_add(e, "1000", amount, NULL, NULL), 0);
    ck_assert_int_eq(bo_entry_add(e, "4000", -amount, NULL, NULL), 0);
    int rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    return rc;
}

/* The postings' insert is sent ahead; the server refuses it (a CHECK added
 * with raw SQL). The call that sent it fails with the constraint's code,
 * and nothing of the entry stays: alone, and inside a batch that must then
 * be rolled back. */
START_TEST(pg_pipelined_write_error_same_code_nothing_changed)
{
    char *uri;
    bo_book *b = fresh("pipefail", &uri);
    ck_assert_int_eq(post_amount(b, 100), 0);
    bo_test_raw_sql(uri, "ALTER TABLE postings ADD CONSTRAINT no13 CHECK (amount <> 13)");
    int64_t before = rows(uri), days = day_sum(uri);

    bo_assert_err(post_amount(b, 13), BO_ECONSTRAINT);
    ck_assert_msg(strstr(bo_error_message(), "no13"), "%s", bo_error_message());
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);

    /* In a batch the refusal comes back with the next statement that
     * needs an answer: the failing post's own, or the COMMIT's when the
     * post wrote last (a batch keeps its day totals until its end). */
    bo_assert_ok(bo_book_begin(b));
    ck_assert_int_eq(post_amount(b, 200), 0);
    int rc = post_amount(b, 13);
    if (rc == 0) {
        bo_assert_err(bo_book_commit(b), BO_ECONSTRAINT);
    } else {
        bo_assert_err(rc, BO_ECONSTRAINT);
        ck_assert_int_ne(bo_book_commit(b), 0);
    }
    ck_assert_msg(strstr(bo_error_message(), "no13") || rc != 0, "%s", bo_error_message());
    if (bo_book_depth(b) > 0)
        bo_assert_ok(bo_book_rollback(b));
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);

    ck_assert_int_eq(post_amount(b, 300), 0); /* the book goes on */
    ck_assert_int_eq(rows(uri), before + 1000000 + 2000 + 1);
    bo_pg_close(b, uri);
}
END_TEST

/* Three entries of amount, amount + 1, amount + 2 in one bo_ledger_post_many
 * call (postings and audit records appended by COPY). */
static int post_three(bo_book *b, int64_t amount)
{
    bo_entry *e[3];
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(bo_entry_new(&e[i], 20454 + i, "copied"), 0);
        ck_assert_int_eq(bo_entry_add(e[i], "1000", amount + i, NULL, "a\tb\\c\nd"), 0);
        ck_assert_int_eq(bo_entry_add(e[i], "4000", -(amount + i), NULL, NULL), 0);
    }
    int rc = bo_ledger_post_many(b, e, 3, NULL);
    for (int i = 0; i < 3; i++)
        bo_entry_free(e[i]);
    return rc;
}

/* A batch's rows appended by COPY, refused by the server (a CHECK added with
 * raw SQL on the postings, then on the audit records): the call fails with
 * the constraint's code and a message naming the table the COPY wrote, and
 * nothing of the batch stays (its transaction rolled back); inside a
 * transaction of the caller's, the call's own savepoint is rolled back and
 * the caller's transaction commits without it. The book goes on and
 * verifies. */
START_TEST(pg_copy_refused_nothing_written)
{
    char *uri, *lanes = bo_pg_lanes(0); /* a batch on a lane goes one by one */
    bo_book *b = fresh("copyfail", &uri);
    ck_assert_int_eq(post_three(b, 100), 0);
    int64_t before = rows(uri), days = day_sum(uri);

    bo_test_raw_sql(uri, "ALTER TABLE postings ADD CONSTRAINT no14 CHECK (amount <> 14)");
    bo_assert_err(post_three(b, 13), BO_ECONSTRAINT);
    ck_assert_msg(strstr(bo_error_message(), "copy into postings") &&
                  strstr(bo_error_message(), "no14"), "%s", bo_error_message());
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);

    /* the second record of the next batch: written by the COPY (the last
     * one goes on its own) */
    int64_t seq = bo_test_raw_int(uri, "SELECT MAX(seq) FROM audit_log") + 2;
    char sql[160];
    snprintf(sql, sizeof sql, "ALTER TABLE audit_log ADD CONSTRAINT noseq CHECK (seq <> %lld)",
             (long long)seq);
    bo_test_raw_sql(uri, sql);
    bo_assert_err(post_three(b, 200), BO_ECONSTRAINT);
    ck_assert_msg(strstr(bo_error_message(), "copy into audit_log") &&
                  strstr(bo_error_message(), "noseq"), "%s", bo_error_message());
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);

    bo_assert_ok(bo_book_begin(b));
    bo_assert_err(post_three(b, 300), BO_ECONSTRAINT);
    bo_assert_ok(bo_book_commit(b)); /* the call's savepoint was rolled back */
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);

    bo_test_raw_sql(uri, "ALTER TABLE postings DROP CONSTRAINT no14;"
                         "ALTER TABLE audit_log DROP CONSTRAINT noseq");
    ck_assert_int_eq(post_three(b, 400), 0); /* the book goes on */
    ck_assert_int_eq(rows(uri), before + 3 * (1000000 + 2000 + 1));
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM postings WHERE"
                                          " memo = E'a\\tb\\\\c\\nd'"), 6);
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* The audit record is the last write of a post, answered only at COMMIT:
 * a trigger refuses it. The commit fails with its code, nothing stays. */
START_TEST(pg_pipelined_last_write_error_at_commit)
{
    char *uri;
    bo_book *b = fresh("pipecommit", &uri);
    ck_assert_int_eq(post_amount(b, 100), 0);
    bo_test_raw_sql(uri,
        "CREATE TABLE refuse (x int);"
        "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN IF EXISTS (SELECT 1 FROM refuse) THEN RAISE EXCEPTION 'audit refused'"
        " USING ERRCODE = '23514'; END IF; RETURN NEW; END $$;"
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION refuse_audit();"
        "INSERT INTO refuse VALUES (1)");
    int64_t before = rows(uri), days = day_sum(uri);
    uint64_t trips = bo__store_round_trips(b->store);
    bo_assert_err(post_amount(b, 7), BO_ECONSTRAINT);
    ck_assert_msg(strstr(bo_error_message(), "audit refused"), "%s", bo_error_message());
    ck_assert_uint_gt(bo__store_round_trips(b->store), trips);
    ck_assert_int_eq(rows(uri), before);
    ck_assert_int_eq(day_sum(uri), days);
    bo_test_raw_sql(uri, "DELETE FROM refuse");
    ck_assert_int_eq(post_amount(b, 8), 0);
    ck_assert_int_eq(rows(uri), before + 1000000 + 2000 + 1);
    bo_pg_close(b, uri);
}
END_TEST

/* Writers side by side (lanes) commit once per command: the change feed's
 * sequencer no longer runs after each commit; the next reader positions
 * the events, in commit order, before its snapshot. */
START_TEST(pg_lanes_writer_commits_once_reader_positions)
{
    char *lanes = bo_pg_lanes(1);
    char *uri;
    bo_book *w = fresh("lanefeed", &uri);
    bo_book *r = bo_pg_open(uri, 0);
    int64_t first = 0, last = 0;
    bo_assert_ok(bo_feed_head(r, &first, &last));
    ck_assert_int_eq(post_amount(w, 5), 0);
    ck_assert_int_eq(post_amount(w, 6), 0);
    /* committed, not yet positioned: no second transaction ran */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"
                                          " WHERE position IS NULL"), 2);
    int64_t last2 = 0;
    bo_assert_ok(bo_feed_head(r, &first, &last2));
    ck_assert_int_eq(last2, last + 2);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM feed_events"
                                          " WHERE position IS NULL"), 0);
    /* in commit order: the first post's event first */
    ck_assert_int_lt(bo_test_raw_int(uri, "SELECT MIN(event_id) FROM feed_events"
                                          " WHERE position = (SELECT MAX(position) - 1"
                                          " FROM feed_events)"),
                     bo_test_raw_int(uri, "SELECT MIN(event_id) FROM feed_events"
                                          " WHERE position = (SELECT MAX(position)"
                                          " FROM feed_events)"));
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(r, NULL, &bad));
    bo_book_free(r);
    bo_pg_close(w, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_pipeline");
    TCase *tc = tcase_create("pipeline");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, pg_round_trips_per_entry_batched, 0, 2);
    tcase_add_loop_test(tc, pg_round_trips_per_lone_entry, 0, 2);
    tcase_add_test(tc, pg_pipelined_write_error_same_code_nothing_changed);
    tcase_add_test(tc, pg_pipelined_last_write_error_at_commit);
    tcase_add_test(tc, pg_copy_refused_nothing_written);
    tcase_add_test(tc, pg_lanes_writer_commits_once_reader_positions);
    suite_add_tcase(s, tc);
    return bo_pg_run(s, "test_pg_pipeline");
}
