/* CSV onboarding of parties, items with stock and cost per location, and
 * employees (bo_book_import_csv): each column lands where it says, a second
 * run adds nothing, and a bad line anywhere is refused naming file:line and
 * the column, with nothing imported. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int rows_of(bo_book *b, int (*list)(bo_book *, bo_cursor **))
{
    bo_cursor *c;
    bo_assert_ok(list(b, &c));
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

static int all_parties(bo_book *b, bo_cursor **c) { return bo_parties(b, 0, c); }

/* A book with the inventory accounts and two stores. */
static bo_book *stock_book(const char *stem)
{
    bo_book *b = bo_test_book(stem);
    bo_assert_ok(bo_ledger_account_add(b, "1400", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2300", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5300", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_inventory_setting_set(b, "account.inventory", "1400"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.grni", "2300"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.cogs", "5300"));
    bo_assert_ok(bo_inventory_location_add(b, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_location_add(b, "WH", "Warehouse", "warehouse", 0));
    return b;
}

START_TEST(onboard_parties_csv_added_once)
{
    bo_book *b = bo_test_book("onb_parties");
    char *f = bo_test_file("parties.csv");
    write_file(f, "code,name,roles,currency,email,terms_days,tax_id\r\n"
                  "C-1,\"Acme, Inc.\",customer,,ap@acme.example,30,\n"
                  "V-1,Supply Co,vendor,EUR,,,FR123\n"
                  "\n"
                  "B-1,Both Ltd,both,,,,\n");
    ck_assert_int_eq(bo_book_import_csv(b, "parties", f, D("2025-01-01")), 3);
    bo_cursor *c;
    bo_assert_ok(bo_party_get(b, "C-1", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 1), "Acme, Inc.");
    ck_assert_int_eq(bo_cursor_int(c, 2), BO_PARTY_CUSTOMER);
    ck_assert_str_eq(bo_cursor_text(c, 5), "ap@acme.example");
    ck_assert_int_eq(bo_cursor_int(c, 8), 30);
    bo_cursor_free(c);
    bo_assert_ok(bo_party_get(b, "V-1", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 2), BO_PARTY_VENDOR);
    ck_assert_str_eq(bo_cursor_text(c, 3), "EUR");
    ck_assert_str_eq(bo_cursor_text(c, 4), "FR123");
    bo_cursor_free(c);
    bo_assert_ok(bo_party_get(b, "B-1", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 2), BO_PARTY_CUSTOMER | BO_PARTY_VENDOR);
    bo_cursor_free(c);
    /* the same file again: every code is in the book, nothing added */
    ck_assert_int_eq(bo_book_import_csv(b, "parties", f, D("2025-01-01")), 0);
    ck_assert_int_eq(rows_of(b, all_parties), 3);
    free(f);
    bo_book_free(b);
}
END_TEST

START_TEST(onboard_items_csv_stock_and_cost_per_location)
{
    bo_book *b = stock_book("onb_items");
    char *f = bo_test_file("items.csv");
    write_file(f, "sku,name,scale,method,unit,location,quantity,cost\n"
                  "MUG,Mug,0,fifo,pc,S1,10,60.00\n"
                  "MUG,,,,,WH,\"1,000\",\"5,500.50\"\n"
                  "TEA,Loose tea,3,average,kg,WH,12.5,100\n"
                  "PEN,Pen,,,,,,\n");
    ck_assert_int_eq(bo_book_import_csv(b, "items", f, D("2025-01-01")), 3);
    int64_t q, v;
    bo_assert_ok(bo_inventory_stock(b, "MUG", "S1", &q));
    ck_assert_int_eq(q, 10);
    bo_assert_ok(bo_inventory_stock(b, "MUG", "WH", &q));
    ck_assert_int_eq(q, 1000);
    bo_assert_ok(bo_inventory_stock(b, "TEA", "WH", &q));
    ck_assert_int_eq(q, 12500); /* kg at scale 3 */
    bo_assert_ok(bo_inventory_stock(b, "PEN", "S1", &q));
    ck_assert_int_eq(q, 0);
    bo_assert_ok(bo_ledger_balance(b, "1400", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 6000 + 550050 + 10000);
    bo_cursor *c;
    bo_assert_ok(bo_inventory_item_get(b, "TEA", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 2), 3);
    ck_assert_str_eq(bo_cursor_text(c, 3), "average");
    ck_assert_str_eq(bo_cursor_text(c, 4), "kg");
    bo_cursor_free(c);
    /* a second run: the items are there, the stock lines replay their keys */
    ck_assert_int_eq(bo_book_import_csv(b, "items", f, D("2025-01-01")), 0);
    bo_assert_ok(bo_inventory_stock(b, "MUG", "WH", &q));
    ck_assert_int_eq(q, 1000);
    bo_assert_ok(bo_ledger_balance(b, "1400", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 566050);
    /* a stock line changed since: refused naming its line, nothing written */
    write_file(f, "sku,location,quantity,cost\n"
                  "PEN,S1,5,1\n"
                  "MUG,WH,999,5500.50\n");
    bo_assert_err(bo_book_import_csv(b, "items", f, D("2025-01-01")), BO_EKEYREUSE);
    ck_assert_msg(strstr(bo_error_message(), ":3: "), "%s", bo_error_message());
    bo_assert_ok(bo_inventory_stock(b, "PEN", "S1", &q));
    ck_assert_int_eq(q, 0);
    free(f);
    bo_book_free(b);
}
END_TEST

START_TEST(onboard_employees_csv_added_once)
{
    bo_book *b = bo_test_book("onb_emp");
    char *f = bo_test_file("employees.csv");
    write_file(f, "number,name,start_date,department,pay_group\n"
                  "E-1,Ann Example,2024-03-01,Sales,monthly\n"
                  "E-2,Bob Example,2025-01-01,,\n");
    ck_assert_int_eq(bo_book_import_csv(b, "employees", f, D("2025-01-01")), 2);
    bo_cursor *c;
    bo_assert_ok(bo_payroll_employees(b, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "E-1");
    ck_assert_str_eq(bo_cursor_text(c, 2), "Sales");
    ck_assert_str_eq(bo_cursor_text(c, 4), "monthly");
    ck_assert_str_eq(bo_cursor_text(c, 5), "2024-03-01");
    bo_cursor_free(c);
    ck_assert_int_eq(bo_book_import_csv(b, "employees", f, D("2025-01-01")), 0);
    ck_assert_int_eq(rows_of(b, bo_payroll_employees), 2);
    free(f);
    bo_book_free(b);
}
END_TEST

START_TEST(onboard_csv_bad_line_imports_nothing)
{
    bo_book *b = stock_book("onb_bad");
    static const struct {
        const char *kind, *text;
        int code;
        const char *what;
    } bad[] = {
        { "parties", "code,name,roles\nP-1,A,customer\nP-2,B,buyer\n", BO_EINVAL,
          ":3: column 'roles': 'buyer'" },
        { "parties", "code,name\nP-1,A\nP-2,\n", BO_EINVAL, ":3: column 'name': empty" },
        { "parties", "code,name,currency\nP-1,A,XXQ\n", BO_ECURRENCY, ":2: column 'currency'" },
        { "parties", "code,name,terms_days\nP-1,A,9999\n", BO_EINVAL,
          ":2: column 'terms_days'" },
        { "parties", "code,name\nP-1,A\nP-1,B\n", BO_EEXISTS, ":3: column 'code'" },
        { "parties", "code,nom\n", BO_EINVAL, ":1: column 2 'nom'" },
        { "parties", "name\nA\n", BO_EINVAL, ":1: no column 'code'" },
        { "parties", "code,name\nP-1,A,extra\n", BO_EINVAL, ":2: 3 fields" },
        { "items", "sku,name,location,quantity\nN1,New,S1,1\nN2,Other,S1,1.5\n", BO_EINVAL,
          ":3: column 'quantity': '1.5' is finer" },
        { "items", "sku,name,location,quantity,cost\nN1,New,S1,1,0.001\n", BO_EINVAL,
          ":2: column 'cost': '0.001' is finer" },
        { "items", "sku,name,location,quantity\nN1,New,NOWHERE,1\n", BO_ENOTFOUND,
          ":2: column 'location': 'NOWHERE'" },
        { "items", "sku,name,method\nN1,New,lifo\n", BO_EINVAL, ":2: column 'method'" },
        { "items", "sku,name,location,quantity\nN1,New,S1,1\nN1,,S1,2\n", BO_EEXISTS,
          ":3: column 'location'" },
        { "items", "sku,name,location,quantity\nN1,New,S1,-3\n", BO_EINVAL,
          ":2: column 'quantity'" },
        { "items", "sku,name,scale\nN1,New,9\n", BO_EINVAL, ":2: column 'scale'" },
        { "items", "sku,name,location\nN1,New,S1\n", BO_EINVAL, ":2: column 'quantity': empty" },
        { "items", "sku,name\nN1,New\nN1,Changed\n", BO_EEXISTS, ":3: column 'sku'" },
        { "items", "sku,name,tax_category\nN1,New,nosuch\n", BO_ENOTFOUND, ":2: " },
        { "employees", "number,name,start_date\nE-9,Someone,2025-13-01\n", BO_EINVAL,
          ":2: column 'start_date'" },
        { "employees", "number,name,start_date\nE-9,,2025-01-01\n", BO_EINVAL,
          ":2: column 'name': empty" },
        { "employees", "number,name,start_date,pay_group\nE-8,A,2025-01-01,\n"
          "E-9,B,2025-01-01,x\n,C,2025-01-01,\n", BO_EINVAL, ":4: column 'number': empty" },
        { "employees", "number,name,start_date,tax_id\nE-9,Someone,2025-01-01,123\n",
          BO_EKEY, ":2: column 'tax_id'" },
        { "employees", "number,name\n\"E-9,X\n", BO_EINVAL, "the quote is not closed" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *f = bo_test_file("bad.csv");
        write_file(f, bad[i].text);
        int rc = bo_book_import_csv(b, bad[i].kind, f, D("2025-01-01"));
        ck_assert_msg(rc == bad[i].code, "case %zu: %d %s", i, rc, bo_error_message());
        ck_assert_msg(strstr(bo_error_message(), bad[i].what) &&
                      strstr(bo_error_message(), f), "case %zu: %s", i, bo_error_message());
        free(f);
    }
    /* nothing of the refused files was written */
    ck_assert_int_eq(rows_of(b, all_parties), 0);
    ck_assert_int_eq(rows_of(b, bo_inventory_items), 0);
    ck_assert_int_eq(rows_of(b, bo_payroll_employees), 0);
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1400", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 0);
    bo_assert_err(bo_book_import_csv(b, "accounts", "x.csv", D("2025-01-01")), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "kind"));
    bo_assert_err(bo_book_import_csv(b, "parties", "/nonexistent/x.csv", D("2025-01-01")),
                  BO_EIO);
    bo_book_free(b);
}
END_TEST

/* The CSV readers of the parties (and items, employees) and of the opening
 * balances share their start and their records: a byte-order mark is
 * skipped, blank lines anywhere (the last ones too) are not rows but count
 * for the line numbers of a refusal, and a file that is not UTF-8 is
 * refused naming it, with nothing imported. */
START_TEST(onboard_csv_mark_blank_lines_and_utf8)
{
    bo_book *b = bo_test_book("onb_start");
    char *f = bo_test_file("start.csv");
    write_file(f, "\xEF\xBB\xBF" "code,name\n\nP-1,One\n\n\nP-2,Two\n\n\n");
    ck_assert_int_eq(bo_book_import_csv(b, "parties", f, D("2025-01-01")), 2);
    ck_assert_int_eq(rows_of(b, all_parties), 2);
    write_file(f, "\xEF\xBB\xBF" "code,name\n\nP-3,Three\n\n\nP-4,\n");
    bo_assert_err(bo_book_import_csv(b, "parties", f, D("2025-01-01")), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), ":6: column 'name': empty"));
    write_file(f, "code,name\nP-5,Caf\xE9\n");
    bo_assert_err(bo_book_import_csv(b, "parties", f, D("2025-01-01")), BO_EUTF8);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), f));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "not valid UTF-8"));
    ck_assert_int_eq(rows_of(b, all_parties), 2);

    bo_cursor *c;
    write_file(f, "\xEF\xBB\xBF" "code,name,type\n\n5000,Rent,expense\n\n\n"
                  "5100,Power,expense\n\n");
    bo_assert_ok(bo_book_import_opening_csv(b, f, D("2025-01-01"), NULL));
    bo_assert_ok(bo_ledger_accounts(b, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0)
        found += !strcmp(bo_cursor_text(c, 0), "5000") || !strcmp(bo_cursor_text(c, 0), "5100");
    bo_cursor_free(c);
    ck_assert_int_eq(found, 2);
    write_file(f, "code,name,type\n\n5200,X,expense\n\n5300,Y,cost\n");
    bo_assert_err(bo_book_import_opening_csv(b, f, D("2025-01-01"), NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), ":5: column 'type'"));
    write_file(f, "code,name,type\n5200,Caf\xE9,expense\n");
    bo_assert_err(bo_book_import_opening_csv(b, f, D("2025-01-01"), NULL), BO_EUTF8);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), f));
    bo_assert_err(bo_ledger_balance(b, "5200", BO_DATE_MAX, NULL, &(int64_t){ 0 }),
                  BO_ENOTFOUND);
    free(f);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("onboard");
    TCase *tc = tcase_create("onboard");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, onboard_parties_csv_added_once);
    tcase_add_test(tc, onboard_items_csv_stock_and_cost_per_location);
    tcase_add_test(tc, onboard_employees_csv_added_once);
    tcase_add_test(tc, onboard_csv_bad_line_imports_nothing);
    tcase_add_test(tc, onboard_csv_mark_blank_lines_and_utf8);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
