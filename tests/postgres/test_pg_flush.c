/*
 * Round trips at commit on PostgreSQL: the states of the records a
 * transaction touched (src/core/verify.c, bo__verify_flush) are read a
 * kind and a part at a time, not a record at a time, and a terminal's
 * sales synced to a central book cost a bounded number of round trips
 * each. Both books are verified in full afterwards: the states read
 * together are the ones the verification recomputes one key at a time.
 */
#include "pg_fixture.h"
#include "core/book.h"
#include "store/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Measured: 200 entries' commit took 810 round trips with a statement a
 * record and a part, 22 with the states read together. */
#define COMMIT_TRIPS_MAX 80
/* Measured: 15.72 round trips per synced sale with each sale reading its
 * items, locations and tax rates, 9.74 with the batch reading them once,
 * 7.77 with the batch's sale keys claimed in one read a 64 keys and the
 * stock rows' tracking kept, see docs/performance.md ("Offline
 * terminals"). */
#define SYNC_TRIPS_PER_SALE_MAX 8.5
/* The same on lanes of the audit chain (BO_PG_LANES=1), where a write
 * transaction beside others (these are SERIALIZABLE) does not send its
 * writes ahead, so each write is a round trip of its own
 * (docs/architecture.md, "Writes sent ahead"): measured 134 round trips
 * at the commit of 200 sales (one statement a part and 64 records, as
 * alone, plus the writes of the states) and 34.3 per synced sale. */
#define COMMIT_TRIPS_LANE_MAX 160
#define SYNC_TRIPS_PER_SALE_LANE_MAX 40.0

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void verify(bo_book *b)
{
    int64_t bad = 0;
    int rc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(rc == 0, "verify: %s (record %" PRId64 ")", bo_error_message(), bad);
}

/* The shop of tests/unit/test_sync.c: accounts, settings, a store, a
 * taxed FIFO item. */
static void shop(bo_book *b, int negative)
{
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2200", "VAT", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(b, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20", .name = "VAT 20%",
            .rate_ppm = 200000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_category_add(b, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.inventory", "1200"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.cogs", "5100"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.grni", "2100"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.revenue", "4000"));
    bo_assert_ok(bo_inventory_setting_set(b, "payment.cash", "1000"));
    bo_assert_ok(bo_inventory_location_add(b, "S1", "Store", "store", negative));
    bo_assert_ok(bo_inventory_item_add(b, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 1000, .cost = 100000, .date = D("2026-01-02"), .key = bo_test_key() },
            NULL));
}

static void sell(bo_book *b, const char *key)
{
    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, D("2026-02-01"), "till"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 1, 1200, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 1200));
    int rc = bo_inventory_sale_post(b, s, NULL);
    bo_sale_free(s);
    ck_assert_msg(rc == 0, "sale %s: %s", key, bo_error_message());
}

/* Many sales in one transaction: the commit reads the states of every
 * sale, move, layer and tax line touched a statement a part and 64
 * records, whatever the number of sales. */
/* Each test runs twice: writers taking turns (_i 0: the transaction runs
 * alone and sends its writes ahead) and side by side on lanes (_i 1),
 * whatever BO_PG_LANES the run has. */
START_TEST(pg_flush_reads_states_together)
{
    char *lanes = bo_pg_lanes(_i);
    bo_book *b = bo_test_book(_i ? "flush-lanes" : "flush");
    shop(b, 0);
    sell(b, "first"); /* statements prepared */
    bo_assert_ok(bo_book_begin(b));
    for (int i = 0; i < 200; i++) {
        char key[32];
        snprintf(key, sizeof key, "batch-%d", i);
        sell(b, key);
    }
    uint64_t before = bo__store_round_trips(b->store);
    bo_assert_ok(bo_book_commit(b));
    uint64_t trips = bo__store_round_trips(b->store) - before;
    printf("round trips of the commit of 200 sales, %s: %" PRIu64 "\n",
           _i ? "on a lane" : "alone", trips);
    verify(b);
    ck_assert_msg(trips <= (_i ? COMMIT_TRIPS_LANE_MAX : COMMIT_TRIPS_MAX),
                  "%" PRIu64 " round trips at commit", trips);
    bo_test_book_free(b);
    bo_pg_lanes_restore(lanes);
}
END_TEST

/* A SQLite terminal's sales pushed to the central book on PostgreSQL in
 * batches: round trips per sale bounded, every sale there once, both
 * books verified in full. */
START_TEST(pg_sync_round_trips_per_sale)
{
    enum { SALES = 300 };
    char *lanes = bo_pg_lanes(_i);
    bo_book *central = bo_test_book(_i ? "flush_central_lanes" : "flush_central");
    shop(central, 0);
    char *tpath = bo_test_file(_i ? "flush_term_lanes" : "flush_term");
    bo_book *term = bo_pg_open(tpath, 1); /* a SQLite file */
    shop(term, 1);
    bo_assert_ok(bo_terminal_setup(term, "T1", bo_book_uri(central)));
    for (int i = 0; i < SALES; i++) {
        char key[32];
        snprintf(key, sizeof key, "till-%d", i);
        sell(term, key);
    }
    bo_sync_options so = BO_SYNC_OPTIONS_INIT;
    so.batch = 100;
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    uint64_t before = bo__store_round_trips(central->store);
    int rc = bo_sync_run(term, central, &so, &r);
    ck_assert_msg(rc == 0, "sync: %s", bo_error_message());
    double per_sale = (double)(bo__store_round_trips(central->store) - before) / SALES;
    printf("round trips per synced sale, %s: %.2f\n", _i ? "on a lane" : "alone", per_sale);
    ck_assert_int_eq(r.pushed, SALES);
    verify(central);
    verify(term);
    ck_assert_msg(per_sale <= (_i ? SYNC_TRIPS_PER_SALE_LANE_MAX : SYNC_TRIPS_PER_SALE_MAX),
                  "%.2f round trips per synced sale", per_sale);
    bo_book_free(term);
    free(tpath);
    bo_test_book_free(central);
    bo_pg_lanes_restore(lanes);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pg_flush");
    TCase *tc = tcase_create("flush");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, pg_flush_reads_states_together, 0, 2);
    tcase_add_loop_test(tc, pg_sync_round_trips_per_sale, 0, 2);
    suite_add_tcase(s, tc);
    return bo_pg_run(s, "test_pg_flush");
}
