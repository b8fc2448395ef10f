/* Seeded random operations across items and locations (10,000 by default,
 * BO_INV_RANDOM_OPS to change): receipts, issues, transfers (some in
 * transit), adjustments, sales with tax and change, returns, holds. After
 * them: stock = sum of movements for every item and location, value = sum
 * of movement values = FIFO layers, valuation = the inventory accounts'
 * balance, trial balance zero. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;

static uint64_t rng_state;
static uint64_t rnd(uint64_t n)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (z ^ (z >> 31)) % n;
}

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t balance(const char *account)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D("9999-12-31"), NULL, &v));
    return v;
}

static const char *const skus[] = { "A", "B", "C", "D" };
static const int scales[] = { 0, 3, 2, 0 };
static const char *const locs[] = { "S1", "S2", "WH" };

static void setup(void)
{
    book = bo_test_book("inventory_random");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1210", "Inventory WH", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2200", "VAT", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2210", "Sales tax", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20", .name = "VAT",
            .rate_ppm = 200000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "ST7",
            .name = "Sales tax", .rate_ppm = 70000, .sales_account = "2210" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_tax_category_add(book, "two", "Two", "VAT20 ST7"));
    const char *set[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" }, { "account.adjustments", "5200" },
        { "account.revenue", "4000" }, { "payment.cash", "1000" }, { "payment.card", "1100" },
    };
    for (size_t i = 0; i < sizeof set / sizeof *set; i++)
        bo_assert_ok(bo_inventory_setting_set(book, set[i][0], set[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store one", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "S2", "Store two", "store", 1));
    bo_assert_ok(bo_inventory_location_add(book, "WH", "Warehouse", "warehouse", 0));
    bo_assert_ok(bo_inventory_location_update(book, "WH", &(bo_inventory_location_changes){
            .version = BO_INVENTORY_LOCATION_CHANGES_VERSION, .inventory_account = "1210",
            .negative_stock = BO_UNCHANGED }));
    bo_assert_ok(bo_inventory_item_add(book, "A", "a", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_item_add(book, "B", "b", 3, BO_INVENTORY_AVERAGE, NULL));
    bo_assert_ok(bo_inventory_item_add(book, "C", "c", 2, BO_INVENTORY_FIFO, "two"));
    bo_assert_ok(bo_inventory_item_add(book, "D", "d", 0, BO_INVENTORY_AVERAGE, "two"));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static int64_t qty_for(int item)
{
    int64_t unit = 1;
    for (int i = 0; i < scales[item]; i++)
        unit *= 10;
    /* Whole and fractional quantities. */
    return 1 + (int64_t)rnd((uint64_t)(20 * unit));
}

/* Refusals a random stream may meet; anything else fails the test. */
static void expect_ok_or(int rc, int allowed)
{
    if (rc != 0 && rc != allowed)
        ck_abort_msg("rc %d (%s): %s", rc, bo_error_name(rc), bo_error_message());
}

START_TEST(random_operations)
{
    const char *env = getenv("BO_INV_RANDOM_OPS");
    int ops = env ? atoi(env) : 10000;
    rng_state = 20250301;
    int64_t sales[512];
    int nsales = 0;
    int64_t transit[64];
    int ntransit = 0, done = 0;
    for (int op = 0; op < ops; op++) {
        bo_date d = D("2025-01-01") + op / 200;
        int item = (int)rnd(4), loc = (int)rnd(3), loc2 = (int)((loc + 1 + rnd(2)) % 3);
        const char *sku = skus[item], *l = locs[loc];
        int64_t q = qty_for(item), id;
        char key[32];
        snprintf(key, sizeof key, "op-%d", op);
        int kind = (int)rnd(100), rc;
        if (kind < 25) {
            rc = bo_inventory_receive(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = l,
                    .qty = q * 3, .cost = (int64_t)rnd(100000), .date = d, .key = key }, &id);
            expect_ok_or(rc, 0);
        } else if (kind < 35) {
            expect_ok_or(bo_inventory_issue(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = l,
                    .qty = q, .date = d, .reason = "use", .key = key }, &id), BO_ESTOCK);
        } else if (kind < 45) {
            int in_transit = rnd(3) == 0 && ntransit < 64;
            rc = bo_inventory_transfer(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = l,
                    .to = locs[loc2], .qty = q, .date = d, .in_transit = in_transit, .key = key }, &id);
            expect_ok_or(rc, BO_ESTOCK);
            if (rc == 0 && in_transit)
                transit[ntransit++] = id;
        } else if (kind < 50 && ntransit > 0) {
            bo_assert_ok(bo_inventory_transfer_arrive(book, transit[--ntransit], d));
        } else if (kind < 58) {
            int64_t delta = rnd(2) ? q : -q;
            int64_t cost = rnd(2) ? -1 : (int64_t)rnd(5000);
            expect_ok_or(bo_inventory_adjust(book, &(bo_inventory_move_options){
                    .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = l,
                    .qty = delta, .cost = cost, .date = d, .reason = "check", .key = key }, &id),
                         BO_ESTOCK);
        } else if (kind < 85) {
            bo_sale *s;
            bo_assert_ok(bo_sale_new(&s, d, NULL));
            bo_assert_ok(bo_sale_set_key(s, key));
            bo_assert_ok(bo_sale_set_inclusive(s, (int)rnd(2)));
            int lines = 1 + (int)rnd(3);
            for (int k = 0; k < lines; k++) {
                int it = (int)rnd(4);
                /* A discount of 1 minor unit only where the line is worth more. */
                int64_t price = 1 + (int64_t)rnd(3000);
                int64_t disc = scales[it] == 0 ? (int64_t)rnd(2) : 0;
                bo_assert_ok(bo_sale_line(s, skus[it], locs[rnd(3)], qty_for(it), price,
                                          disc));
            }
            /* Exclusive tax can be up to 27% on top: overpay in cash. */
            bo_assert_ok(bo_sale_payment(s, "card", 1));
            bo_assert_ok(bo_sale_payment(s, "cash", 30 * 3000 * 21 * 2));
            rc = bo_inventory_sale_post(book, s, &id);
            bo_sale_free(s);
            expect_ok_or(rc, BO_ESTOCK);
            if (rc == 0 && nsales < 512)
                sales[nsales++] = id;
        } else if (kind < 93 && nsales > 0) {
            int64_t sale = sales[rnd((uint64_t)nsales)];
            rc = bo_inventory_return(book, &(bo_inventory_return_options){
                    .version = BO_INVENTORY_RETURN_OPTIONS_VERSION,
                    .sale_id = sale, .line = 1, .qty = 1 + (int64_t)rnd(5),
                    .date = d, .method = rnd(2) ? "cash" : "card",
                    .key = key }, &id);
            expect_ok_or(rc, BO_EINVAL);
        } else {
            int64_t h;
            rc = bo_inventory_hold(book, sku, l, q, "900", NULL, &h);
            expect_ok_or(rc, BO_ESTOCK);
            if (rc == 0) {
                if (rnd(2)) {
                    bo_assert_ok(bo_inventory_hold_release(book, h));
                } else {
                    bo_sale *s;
                    bo_assert_ok(bo_sale_new(&s, d, NULL));
                    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
                    bo_assert_ok(bo_sale_line_hold(s, h, 100, 0));
                    bo_assert_ok(bo_sale_payment(s, "cash", 1000000));
                    bo_assert_ok(bo_inventory_sale_post(book, s, NULL));
                    bo_sale_free(s);
                }
            }
        }
        done++;
    }
    ck_assert_int_eq(done, ops);

    /* Stock and value of every row = the sums of its movements. */
    bo_cursor *c, *h;
    int rc, nrows = 0;
    int64_t stock_value = 0;
    bo_assert_ok(bo_inventory_stock_list(book, NULL, NULL, &c));
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *sku = bo_cursor_text(c, 0), *l = bo_cursor_text(c, 1);
        int64_t on_hand = bo_cursor_int(c, 2), val = bo_cursor_int(c, 5), mq = 0, mv = 0;
        bo_assert_ok(bo_inventory_history(book, sku, l, D("2000-01-01"), D("2999-12-31"), &h));
        while ((rc = bo_cursor_next(h)) == 0) {
            mq += bo_cursor_int(h, 5);
            mv += bo_cursor_int(h, 6);
        }
        ck_assert_int_eq(rc, BO_ITEROVER);
        bo_cursor_free(h);
        ck_assert_msg(on_hand == mq, "%s@%s: on hand %lld, movements %lld", sku, l,
                      (long long)on_hand, (long long)mq);
        ck_assert_msg(val == mv, "%s@%s: value %lld, movements %lld", sku, l,
                      (long long)val, (long long)mv);
        ck_assert_int_ge(bo_cursor_int(c, 4), on_hand < 0 ? -1000000000 : 0);
        if (strcmp(sku, "A") == 0 || strcmp(sku, "C") == 0) {
            int64_t lv = 0, lq = 0;
            bo_assert_ok(bo_inventory_layers(book, sku, l, &h));
            while (bo_cursor_next(h) == 0) {
                lq += bo_cursor_int(h, 3);
                lv += bo_cursor_int(h, 4);
            }
            bo_cursor_free(h);
            ck_assert_int_eq(lv, val);
            ck_assert_int_eq(lq, on_hand > 0 ? on_hand : 0);
        }
        stock_value += val;
        nrows++;
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(nrows, 12);

    /* Valuation (rows plus transit) = the inventory accounts' balance. */
    int64_t valuation = 0;
    bo_assert_ok(bo_inventory_valuation(book, &c));
    while ((rc = bo_cursor_next(c)) == 0)
        valuation += bo_cursor_int(c, 4);
    bo_cursor_free(c);
    ck_assert_int_eq(valuation, balance("1200") + balance("1210"));
    ck_assert_int_ge(valuation, stock_value);

    /* The trial balance is zero. */
    int64_t diff = 0;
    bo_assert_ok(bo_ledger_trial_balance(book, D("9999-12-31"), &c));
    while (bo_cursor_next(c) == 0)
        diff += bo_cursor_int(c, 4) - bo_cursor_int(c, 5);
    bo_cursor_free(c);
    ck_assert_int_eq(diff, 0);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(book, &bad));
    /* The random book survives the lossless export: export, import, export
     * give the same bytes (docs/export-format.md). */
    bo_test_round_trip(book);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inventory_random");
    TCase *t = tcase_create("random");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 900);
    tcase_add_test(t, random_operations);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
