/*
 * Back-dated entries posted many to a transaction on PostgreSQL: the
 * shifts of later day totals are held back and written once per account
 * when the level ends (docs/architecture.md, "Day totals"), in
 * account_days and, for a writer on lane 2 or above (BO_PG_LANES=1), in
 * its lane's rows. Each later day is rewritten once per batch, not once per
 * entry (asserted on the server's own count of row updates); balances read
 * inside the open transaction, after it and by the full verification agree
 * with the entries.
 */
#include "pg_fixture.h"
#include "core/book.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NDAYS 60
#define NBATCH 400

static bo_date day0;

/* Entry i of the batch: dated back over the NDAYS days, to Cash from one of
 * two sales accounts. */
static void post_i(bo_book *b, int day, const char *credit, int64_t amount)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, day0 + day, "days"));
    bo_assert_ok(bo_entry_add(e, "1000", amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, credit, -amount, NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
}

static int batch_day(int i) { return (i * 37) % (NDAYS - 1); }
static const char *batch_credit(int i) { return i % 3 ? "4000" : "5000"; }

/* Cash at the end of day after the first n entries of the batch (and one
 * entry of 1,000 a day before it). */
static int64_t cash_model(int n, int day)
{
    int64_t sum = 0;
    for (int d = 0; d < NDAYS && d <= day; d++)
        sum += 1000;
    for (int i = 0; i < n; i++)
        if (batch_day(i) <= day)
            sum += 1 + i;
    return sum;
}

static void check_cash(bo_book *b, int n, const char *when)
{
    for (int day = -1; day <= NDAYS; day += 3) {
        int64_t got = 0;
        bo_assert_ok(bo_ledger_balance(b, "1000", day0 + day, NULL, &got));
        ck_assert_msg(got == cash_model(n, day), "%s: cash at day %d: %lld, expected %lld",
                      when, day, (long long)got, (long long)cash_model(n, day));
    }
}

static int64_t updates(bo_book *b, const char *table)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT CAST(COALESCE(SUM(n_tup_upd), 0) AS BIGINT)"
             " FROM pg_stat_xact_user_tables WHERE relname = '%s'", table);
    int64_t n = 0;
    bo_assert_ok(bo__store_row(b->store, sql, NULL, ">i", &n));
    return n;
}

/* One batch of back-dated entries on book w, whose day totals live in
 * table: rows updated and round trips per entry, balances inside the
 * transaction and after, the full verification. */
static void backdated_batch(bo_book *w, const char *table, const char *what)
{
    for (int d = 0; d < NDAYS; d++)
        post_i(w, d, "3000", 1000);
    uint64_t trips = bo__store_round_trips(w->store);
    bo_assert_ok(bo_book_begin(w));
    int64_t before = updates(w, table);
    for (int i = 0; i < NBATCH; i++) {
        post_i(w, batch_day(i), batch_credit(i), 1 + i);
        if (i == NBATCH / 2)
            check_cash(w, i + 1, "inside the transaction");
    }
    bo_assert_ok(bo_book_begin(w)); /* a savepoint: what is held back is written */
    int64_t after = updates(w, table);
    bo_assert_ok(bo_book_commit(w));
    bo_assert_ok(bo_book_commit(w));
    double rows = (double)(after - before) / NBATCH;
    double rt = (double)(bo__store_round_trips(w->store) - trips) / NBATCH;
    printf("%s: %s rows updated per back-dated entry %.2f, round trips %.2f\n", what,
           table, rows, rt);
    /* Shifting at once: about 30 later days per account and entry. */
    ck_assert_msg(rows < 4.0, "%s: %.2f rows of %s updated per entry", what, rows, table);
    check_cash(w, NBATCH, "committed");
    bo_assert_ok(bo_audit_verify_full(w, NULL, NULL));
}

START_TEST(pg_backdated_batch_account_days)
{
    bo_assert_ok(bo_date_from_ymd(2025, 3, 1, &day0));
    char *lanes = bo_pg_lanes(0);
    char *uri;
    bo_book *b = bo_pg_fresh("pgdays", &uri);
    bo_test_chart(b);
    backdated_batch(b, "account_days", "taking turns");
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A second writer side by side holds lane 2: its day totals are its lane's
 * rows, held back and written the same way. */
START_TEST(pg_backdated_batch_lane)
{
    bo_assert_ok(bo_date_from_ymd(2025, 3, 1, &day0));
    char *lanes = bo_pg_lanes(1);
    char *uri;
    bo_book *a = bo_pg_fresh("pgdayslane", &uri);
    bo_test_chart(a);
    bo_book *w = bo_pg_open(uri, 0);
    backdated_batch(w, "account_lane_days", "on lane 2");
    int64_t lane_rows = 0;
    bo_assert_ok(bo__store_row(w->store, "SELECT COUNT(*) FROM account_lane_days"
                               " WHERE lane > 1", NULL, ">i", &lane_rows));
    ck_assert_msg(lane_rows >= NDAYS, "%lld rows in the lanes", (long long)lane_rows);
    check_cash(a, NBATCH, "read by the other writer");
    bo_assert_ok(bo_audit_verify_full(a, NULL, NULL));
    bo_book_free(w);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* ---- later batches of bo_ledger_post_many ------------------------------
 * A book's first batch makes its day rows; a later one back-dates into
 * them: each day it touches is an update of its row and each later day of
 * its accounts a shift. Both go set-wise (one UPDATE for the rows updated,
 * one for every held-back stretch): the round trips of a later batch stay
 * a few tens however many days and accounts it touches. */

#define LATER_N 1000
#define LATER_DAYS 60
/* Statements that write (bo__store_writes) in a later batch of LATER_N
 * entries over LATER_DAYS days and 7 accounts: under ten (its rows by COPY,
 * the day rows updated in one, the shifts in one); row by row, 420 updates
 * and about 410 shifts. Its round trips: 34-40 (two reads an account among
 * them; 53-59 row by row, whose updates and shifts went ahead without a
 * wait). */
#define LATER_WRITES_MAX 20
#define LATER_TRIPS_MAX 60

static const char *const later_debit[] = { "1000", "1100" };
static const char *const later_credit[] = { "4000", "4010", "5000", "2000", "3000" };

static bo_entry *later_entry(int batch, int i)
{
    bo_entry *e;
    char key[48];
    int day = (i * (batch ? 53 : 37)) % LATER_DAYS;
    int64_t amount = 1 + i + batch * 7;
    snprintf(key, sizeof key, "later-%d-%d", batch, i);
    bo_assert_ok(bo_entry_new(&e, day0 + day, "later"));
    bo_assert_ok(bo_entry_set_key(e, key));
    /* every account on every day (i / LATER_DAYS: not tied to the day) */
    bo_assert_ok(bo_entry_add(e, later_debit[i / LATER_DAYS % 2], amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, later_credit[i / LATER_DAYS % 5], -amount, NULL, NULL));
    return e;
}

static uint64_t later_batch(bo_book *w, int batch, uint64_t *writes)
{
    bo_entry *e[LATER_N];
    for (int i = 0; i < LATER_N; i++)
        e[i] = later_entry(batch, i);
    uint64_t t0 = bo__store_round_trips(w->store), w0 = bo__store_writes(w->store);
    bo_assert_ok(bo_ledger_post_many(w, e, LATER_N, NULL));
    uint64_t trips = bo__store_round_trips(w->store) - t0;
    *writes = bo__store_writes(w->store) - w0;
    for (int i = 0; i < LATER_N; i++)
        bo_entry_free(e[i]);
    return trips;
}

/* Rows of table (lane: of that lane; account_days: lane < 0) whose total is
 * not the sum of the postings up to their date, or whose delta is not the
 * sum of that date's. Every posting is the writer's own. */
static int64_t later_wrong_days(bo_book *b, const char *table, int lane)
{
    char sql[700];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM %s d WHERE %s (d.total <> (SELECT COALESCE(SUM(p.amount), 0)"
             " FROM postings p WHERE p.account_id = d.account_id AND p.currency = d.currency"
             " AND p.date <= d.date) OR d.delta <> (SELECT COALESCE(SUM(p.amount), 0)"
             " FROM postings p WHERE p.account_id = d.account_id AND p.currency = d.currency"
             " AND p.date = d.date))", table, lane > 0 ? "d.lane = 2 AND" : "");
    int64_t n = -1;
    bo_assert_ok(bo__store_row(b->store, sql, NULL, ">i", &n));
    return n;
}

static void later_batches(bo_book *w, const char *table, int lane, const char *what)
{
    uint64_t wfirst, wlater, wthird;
    uint64_t first = later_batch(w, 0, &wfirst);
    int64_t rows = 0;
    char sql[120];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
    bo_assert_ok(bo__store_row(w->store, sql, NULL, ">i", &rows));
    ck_assert_int_eq(rows, 7 * LATER_DAYS); /* every day of every account */
    int64_t upd = updates(w, table);
    uint64_t later = later_batch(w, 1, &wlater);
    printf("%s: a first batch of %d entries %" PRIu64 " round trips (%" PRIu64 " writes),"
           " a later one %" PRIu64 " (%" PRIu64 " writes; %" PRId64 " rows of %s updated)\n",
           what, LATER_N, first, wfirst, later, wlater, updates(w, table) - upd, table);
    fflush(stdout);
    /* The held-back shifts are written at the commit, inside the call. */
    ck_assert_msg(wlater <= LATER_WRITES_MAX, "%s: %" PRIu64 " statements that write in a"
                  " later batch: not set-wise", what, wlater);
    ck_assert_msg(later <= LATER_TRIPS_MAX, "%s: %" PRIu64 " round trips for a later batch",
                  what, later);
    bo_assert_ok(bo__store_row(w->store, sql, NULL, ">i", &rows));
    ck_assert_int_eq(rows, 7 * LATER_DAYS); /* back-dated into the same days */
    ck_assert_int_eq(later_wrong_days(w, table, lane), 0);
    /* A third batch inside the caller's transaction, a balance read
     * before the commit (the shifts still held), then the commit. */
    bo_assert_ok(bo_book_begin(w));
    later_batch(w, 2, &wthird);
    ck_assert_msg(wthird <= LATER_WRITES_MAX, "%s: %" PRIu64 " writes", what, wthird);
    int64_t cash = 0, want = 0;
    for (int b = 0; b < 3; b++)
        for (int i = 0; i < LATER_N; i++)
            if (i / LATER_DAYS % 2 == 0 && (i * (b ? 53 : 37)) % LATER_DAYS <= 30)
                want += 1 + i + b * 7;
    bo_assert_ok(bo_ledger_balance(w, "1000", day0 + 30, NULL, &cash));
    ck_assert_int_eq(cash, want);
    bo_assert_ok(bo_book_commit(w));
    ck_assert_int_eq(later_wrong_days(w, table, lane), 0);
    bo_assert_ok(bo_ledger_balance(w, "1000", day0 + 30, NULL, &cash));
    ck_assert_int_eq(cash, want);
    bo_test_expect_verified(w);
}

/* A later batch whose held-back shifts would together carry a later total
 * past the largest amount (each entry alone fits): BO_EOVERFLOW naming the
 * account, nothing written. */
static void later_overflow(bo_book *w, const char *table)
{
    bo_entry *e[3];
    bo_assert_ok(bo_ledger_account_add(w, "1900", "Big", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(w, "2900", "Big", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_entry_new(&e[0], day0 + 50, "big"));
    bo_assert_ok(bo_entry_add(e[0], "1900", INT64_MAX - 100, NULL, NULL));
    bo_assert_ok(bo_entry_add(e[0], "2900", -(INT64_MAX - 100), NULL, NULL));
    bo_assert_ok(bo_ledger_post(w, e[0], NULL));
    bo_entry_free(e[0]);
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) + COALESCE(SUM(delta), 0) + COALESCE(SUM(total"
             " / 1000), 0) FROM %s", table);
    int64_t before = 0, after = 0, entries = 0, entries2 = 0;
    bo_assert_ok(bo__store_row(w->store, sql, NULL, ">i", &before));
    bo_assert_ok(bo__store_row(w->store, "SELECT COUNT(*) FROM entries", NULL, ">i", &entries));
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_entry_new(&e[i], day0 + 10 + i, "wraps"));
        bo_assert_ok(bo_entry_add(e[i], "1900", 60, NULL, NULL));
        bo_assert_ok(bo_entry_add(e[i], "3000", -60, NULL, NULL));
    }
    int rc = bo_ledger_post_many(w, e, 3, NULL);
    ck_assert_int_eq(rc, BO_EOVERFLOW);
    ck_assert_msg(strstr(bo_error_message(), "'1900'") != NULL &&
                  strstr(bo_error_message(), "entry 2") != NULL, "%s", bo_error_message());
    for (int i = 0; i < 3; i++)
        bo_entry_free(e[i]);
    bo_assert_ok(bo__store_row(w->store, sql, NULL, ">i", &after));
    bo_assert_ok(bo__store_row(w->store, "SELECT COUNT(*) FROM entries", NULL, ">i",
                               &entries2));
    ck_assert_int_eq(after, before);
    ck_assert_int_eq(entries2, entries);
    bo_test_expect_verified(w);
}

START_TEST(pg_later_batches_account_days)
{
    bo_assert_ok(bo_date_from_ymd(2025, 3, 1, &day0));
    char *lanes = bo_pg_lanes(0);
    char *uri;
    bo_book *b = bo_pg_fresh("pglater", &uri);
    bo_test_chart(b);
    later_batches(b, "account_days", -1, "taking turns");
    later_overflow(b, "account_days");
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* Lanes on, one writer: lane 1 keeps account_days. */
START_TEST(pg_later_batches_lane_one)
{
    bo_assert_ok(bo_date_from_ymd(2025, 3, 1, &day0));
    char *lanes = bo_pg_lanes(1);
    char *uri;
    bo_book *b = bo_pg_fresh("pglater1", &uri);
    bo_test_chart(b);
    later_batches(b, "account_days", -1, "lanes on, alone");
    later_overflow(b, "account_days");
    bo_pg_close(b, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A second writer side by side holds lane 2: its lane's rows. */
START_TEST(pg_later_batches_lane_two)
{
    bo_assert_ok(bo_date_from_ymd(2025, 3, 1, &day0));
    char *lanes = bo_pg_lanes(1);
    char *uri;
    bo_book *a = bo_pg_fresh("pglater2", &uri);
    bo_test_chart(a);
    bo_book *w = bo_pg_open(uri, 0);
    later_batches(w, "account_lane_days", 2, "on lane 2");
    later_overflow(w, "account_lane_days");
    bo_test_expect_verified(a);
    bo_book_free(w);
    bo_pg_close(a, uri);
    bo_pg_lanes_restore(lanes);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pg_daytotals");
    TCase *t = tcase_create("daytotals");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, pg_backdated_batch_account_days);
    tcase_add_test(t, pg_backdated_batch_lane);
    tcase_add_test(t, pg_later_batches_account_days);
    tcase_add_test(t, pg_later_batches_lane_one);
    tcase_add_test(t, pg_later_batches_lane_two);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_pg_run(suite(), "test_pg_daytotals");
}
