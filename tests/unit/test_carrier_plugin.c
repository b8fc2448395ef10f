/* A carrier's tracking API as a plugin: tests/plugins/carrier.c, built as
 * a shared object, registers "TESTPOST" through the host table; polling a
 * shipment ingests its events (a duplicate dropped, "shipment.status" once
 * per move), polling again records nothing, and a carrier without an API,
 * a failing fetch and a malformed event are refused with specific codes,
 * recording nothing. */
#include "testutil.h"
#include "backoffice/sys/plugin.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bo_book *book;
static int status_events;
static int64_t status_event_id;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void load_plugin(void)
{
    if (bo_carrier_find("TESTPOST"))
        return;
    char exe[PATH_MAX], so[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    /* build/X/tests/test_carrier_plugin -> build/X/tests/plugins/ */
    snprintf(so, sizeof so, "%s/plugins/bo_test_carrier.so", dirname(exe));
    bo_assert_ok(bo_plugin_load(so));
}

static void on_status(const char *event, int64_t id, void *user)
{
    (void)user;
    ck_assert_str_eq(event, "shipment.status");
    status_events++;
    status_event_id = id;
}

static void setup(void)
{
    load_plugin();
    book = bo_test_book("carrier_plugin");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_inventory_setting_set(book, "account.inventory", "1200"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.cogs", "5100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.grni", "2000"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.revenue", "4000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.card", "1100"));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 10, .cost = 1000, .date = D("2026-01-10"), .key = bo_test_key() }, NULL));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static int64_t shipment(const char *carrier, const char *tracking)
{
    bo_sale *s;
    int64_t sale = 0, ship = 0;
    bo_assert_ok(bo_sale_new(&s, D("2026-01-15"), "web"));
    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 1, 500, 0));
    bo_assert_ok(bo_sale_payment(s, "card", 500));
    int rc = bo_inventory_sale_post(book, s, &sale);
    bo_sale_free(s);
    bo_assert_ok(rc);
    bo_inventory_shipment_options so = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    so.key = bo_test_key();
    bo_assert_ok(bo_inventory_shipment_add(book, sale, carrier, "ground", tracking, &so, &ship));
    return ship;
}

static int64_t tracking_rows(int64_t ship)
{
    bo_cursor *c;
    int64_t n = 0;
    bo_assert_ok(bo_inventory_shipment_tracking(book, ship, &c));
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

static const char *ship_status(int64_t ship)
{
    static char last[32];
    bo_cursor *c;
    bo_assert_ok(bo_inventory_shipment_history(book, ship, &c));
    while (bo_cursor_next(c) == 0)
        snprintf(last, sizeof last, "%s", bo_cursor_text(c, 0));
    bo_cursor_free(c);
    return last;
}

START_TEST(carrier_plugin_poll_ingests_once)
{
    ck_assert_ptr_nonnull(bo_carrier_find("TESTPOST"));
    int64_t ship = shipment("TESTPOST", "TP0001"), rec = -1;
    status_events = 0;
    bo_assert_ok(bo_event_subscribe(book, "shipment.status", on_status, NULL, NULL, NULL));
    bo_assert_ok(bo_inventory_shipment_poll(book, ship, &rec));
    ck_assert_int_eq(rec, 2); /* three answered, one a duplicate */
    ck_assert_int_eq(tracking_rows(ship), 2);
    ck_assert_str_eq(ship_status(ship), "delivered");
    ck_assert_int_eq(status_events, 2); /* in_transit, delivered */
    ck_assert_int_eq(status_event_id, ship);
    /* polled again: nothing new, no event */
    bo_assert_ok(bo_inventory_shipment_poll(book, ship, &rec));
    ck_assert_int_eq(rec, 0);
    ck_assert_int_eq(tracking_rows(ship), 2);
    ck_assert_int_eq(status_events, 2);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(carrier_plugin_refusals_record_nothing)
{
    int64_t rec = -1;
    int64_t none = shipment("NOPOST", "NP1");
    bo_assert_err(bo_inventory_shipment_poll(book, none, &rec), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "NOPOST"));
    int64_t fail = shipment("TESTPOST", "FAIL");
    bo_assert_err(bo_inventory_shipment_poll(book, fail, &rec), BO_EIO);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "TESTPOST"));
    int64_t bad = shipment("TESTPOST", "BAD");
    bo_assert_err(bo_inventory_shipment_poll(book, bad, &rec), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "event 1"));
    ck_assert_int_eq(tracking_rows(bad), 0);
    ck_assert_str_eq(ship_status(bad), "created");
    bo_assert_err(bo_inventory_shipment_poll(book, 999999, &rec), BO_ENOTFOUND);
    /* the registry: a name once, a known version */
    static const bo_carrier again = { BO_CARRIER_VERSION, "TESTPOST", NULL, NULL };
    bo_assert_err(bo_carrier_register(&again), BO_EINVAL); /* no fetch */
    const bo_carrier *tp = bo_carrier_find("TESTPOST");
    bo_assert_err(bo_carrier_register(tp), BO_EEXISTS);
    static bo_carrier future;
    future = *tp;
    future.name = "FUTURE";
    future.version = BO_CARRIER_VERSION + 1;
    bo_assert_err(bo_carrier_register(&future), BO_EINVAL);
    ck_assert_ptr_null(bo_carrier_find("FUTURE"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("carrier_plugin");
    TCase *t = tcase_create("carrier_plugin");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, carrier_plugin_poll_ingests_once);
    tcase_add_test(t, carrier_plugin_refusals_record_nothing);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
