/* The "inventory" section of the YAML book description: a good file and a
 * catalogue of bad ones, each refused with BO_ECONFIG naming the line and
 * column, with no book left behind. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD \
    "book: {name: Shop, base_currency: USD}\n" \
    "accounts:\n" \
    "  - {code: \"1000\", name: Cash, type: asset}\n" \
    "  - {code: \"1100\", name: Card, type: asset}\n" \
    "  - {code: \"1200\", name: Inventory, type: asset}\n" \
    "  - {code: \"2100\", name: GRNI, type: liability}\n" \
    "  - {code: \"2200\", name: VAT, type: liability}\n" \
    "  - {code: \"4000\", name: Sales, type: income}\n" \
    "  - {code: \"5100\", name: COGS, type: expense}\n" \
    "taxes:\n" \
    "  rates: [{code: VAT20, name: VAT, rate: 20%, account: \"2200\"}]\n" \
    "  categories: [{code: standard, name: Standard, rates: [VAT20]}]\n" \
    "parties: [{code: ACME, name: Acme, roles: [vendor]}]\n"

static const char GOOD[] = HEAD
    "inventory:\n"
    "  accounts:\n"
    "    inventory: \"1200\"\n"
    "    cogs: \"5100\"\n"
    "    grni: \"2100\"\n"
    "    revenue: \"4000\"\n"
    "    payments: {cash: \"1000\", card: \"1100\"}\n"
    "  locations:\n"
    "    - {code: S1, name: High Street, kind: store}\n"
    "    - {code: WH, name: Depot, kind: warehouse, negative_stock: true, account: \"1200\"}\n"
    "  items:\n"
    "    - {sku: TEA, name: Green tea, scale: 3, method: average, tax_category: standard,\n"
    "       unit: kg, supplier: ACME, barcodes: [\"4006381333931\"],\n"
    "       reorder: [{location: S1, point: \"2.000\", qty: \"5.000\"}]}\n"
    "    - {sku: MUG, name: Mug}\n"
    "    - {sku: MILK, name: Milk, track: lot}\n"
    "    - {sku: PHONE, name: Phone, track: serial}\n";

static int64_t rows(bo_cursor *c)
{
    int64_t n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

START_TEST(good_file)
{
    int rc;
    char *uri;
    bo_book *b = bo_test_yaml_book("inv-config", GOOD, &rc, &uri);
    bo_assert_ok(rc);
    bo_cursor *c;
    bo_assert_ok(bo_inventory_settings(b, &c));
    ck_assert_int_eq(rows(c), 6);
    bo_assert_ok(bo_inventory_locations(b, &c));
    ck_assert_int_eq(rows(c), 2);
    bo_assert_ok(bo_inventory_item_get(b, "4006381333931", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "TEA");
    ck_assert_int_eq(bo_cursor_int(c, 2), 3);
    ck_assert_str_eq(bo_cursor_text(c, 3), "average");
    ck_assert_str_eq(bo_cursor_text(c, 8), "ACME");
    bo_cursor_free(c);
    bo_date d;
    bo_assert_ok(bo_date_parse("2025-05-01", &d));
    bo_assert_ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "TEA", .location = "S1",
            .qty = 1500, .cost = 3000, .date = d, .key = bo_test_key() }, NULL));
    bo_assert_ok(bo_inventory_reorder_suggest(b, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 5), 5000);
    bo_cursor_free(c);
    int mode = -1;
    bo_assert_ok(bo_inventory_track_get(b, "MILK", &mode));
    ck_assert_int_eq(mode, BO_INVENTORY_TRACK_LOT);
    bo_assert_ok(bo_inventory_track_get(b, "PHONE", &mode));
    ck_assert_int_eq(mode, BO_INVENTORY_TRACK_SERIAL);
    bo_assert_ok(bo_inventory_track_get(b, "MUG", &mode));
    ck_assert_int_eq(mode, BO_INVENTORY_TRACK_NONE);
    bo_book_free(b);
    free(uri);
}
END_TEST

static void bad(const char *tail, const char *where, const char *words)
{
    bo_test_yaml_refused(HEAD, tail, where, words);
}

START_TEST(bad_files)
{
    bad("inventory: {color: red}\n", "<string>:14:", "unknown key 'color'");
    bad("inventory:\n  accounts: {inventory: \"9999\"}\n", "<string>:15:", "9999");
    bad("inventory:\n  accounts: {stock: \"1200\"}\n", "<string>:15:", "unknown key 'stock'");
    bad("inventory:\n  locations: [{code: S1, name: A, kind: shed}]\n", "<string>:15:",
        "kind");
    bad("inventory:\n  locations: [{name: A}]\n", "<string>:15:", "code");
    bad("inventory:\n  locations: [{code: S1, name: A, negative_stock: maybe}]\n",
        "<string>:15:", "negative_stock");
    bad("inventory:\n  items: [{sku: A, name: A, method: lifo}]\n", "<string>:15:", "method");
    bad("inventory:\n  items: [{sku: A, name: A, scale: 9}]\n", "<string>:15:", "scale");
    bad("inventory:\n  items: [{sku: A, name: A, tax_category: food}]\n", "<string>:15:",
        "food");
    bad("inventory:\n  items: [{sku: A, name: A, supplier: NOBODY}]\n", "<string>:15:",
        "NOBODY");
    bad("inventory:\n  locations: [{code: S1, name: A}]\n"
        "  items: [{sku: A, name: A, scale: 3, reorder: [{location: S1, point: \"0.0005\","
        " qty: \"1\"}]}]\n", "<string>:16:", "finer than the item's scale");
    bad("inventory:\n  items: [{sku: A, name: A}, {sku: A, name: B}]\n", "<string>:15:",
        "exists");
    bad("inventory:\n  items: [{sku: A, name: A, track: batch}]\n", "<string>:15:",
        "track: expected lot, serial or none");
    bad("inventory:\n  items: [{sku: A, name: A, scale: 3, track: serial}]\n",
        "<string>:15:", "scale 3");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inventory_config");
    TCase *t = tcase_create("config");
    tcase_add_test(t, good_file);
    tcase_add_test(t, bad_files);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
