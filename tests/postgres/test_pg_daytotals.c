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

static Suite *suite(void)
{
    Suite *s = suite_create("pg_daytotals");
    TCase *t = tcase_create("daytotals");
    tcase_set_timeout(t, 600);
    tcase_add_test(t, pg_backdated_batch_account_days);
    tcase_add_test(t, pg_backdated_batch_lane);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_pg_run(suite(), "test_pg_daytotals");
}
