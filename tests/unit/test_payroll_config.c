/* The "payroll" section of a book's YAML configuration: packs from a file
 * (relative to the YAML file) and inline, employees with fields and terms;
 * bad sections refused with FILE:LINE:COLUMN and no book created. Runs on
 * every backend. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HEAD[] =
    "book: {name: Pay shop, base_currency: USD}\n"
    "accounts:\n"
    "  - {code: \"1100\", name: Bank, type: asset}\n"
    "  - {code: \"2100\", name: Net pay, type: liability}\n"
    "  - {code: \"2210\", name: Tax payable, type: liability}\n"
    "  - {code: \"2220\", name: Pension payable, type: liability}\n"
    "  - {code: \"5100\", name: Wages, type: expense}\n"
    "  - {code: \"5200\", name: Pension cost, type: expense}\n";

/* A tiny pack: salary, a flat 10 % tax. */
static const char INLINE_PACK[] =
    "payroll:\n"
    "  packs:\n"
    "    - source: |\n"
    "        pack: tiny\n"
    "        currency: USD\n"
    "        accounts: {net_pay: \"2100\"}\n"
    "        components:\n"
    "          - {name: salary, kind: earning, account: \"5100\", expr: base_salary}\n"
    "          - name: tax\n"
    "            kind: deduction\n"
    "            account: \"2210\"\n"
    "            expr: round(gross * 0.1, 0)\n";

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

/* Create a book from HEAD + body as a string; NULL and *rc on failure. */
static bo_book *from_yaml(const char *body, int *rc)
{
    char *yaml = concat(HEAD, body), *uri = bo_test_path("paycfg");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    *rc = bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o);
    free(yaml);
    free(uri);
    return b;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    fclose(f);
}

static void expect_error(const char *body, int code, const char *where, const char *what)
{
    int rc;
    bo_book *b = from_yaml(body, &rc);
    ck_assert_ptr_null(b);
    ck_assert_msg(rc == code, "rc %d (%s)", rc, bo_error_message());
    ck_assert_msg(strstr(bo_error_message(), where) != NULL, "%s: lacks %s",
                  bo_error_message(), where);
    ck_assert_msg(strstr(bo_error_message(), what) != NULL, "%s: lacks %s",
                  bo_error_message(), what);
}

START_TEST(test_inline_pack_employees_terms)
{
    char *body = concat(INLINE_PACK,
        "  employees:\n"
        "    - number: E1\n"
        "      name: Ann Lee\n"
        "      start: 2024-01-01\n"
        "      cost_center: SHOP\n"
        "      tax_status: K/0\n"
        "      terms:\n"
        "        - {effective: 2024-01-01, kind: salary, amount: \"2000.00\"}\n"
        "        - {effective: 2024-03-01, kind: salary, amount: \"2100.00\",\n"
        "           schedule: monthly}\n"
        "    - {number: E2, name: Bob, start: 2024-02-01,\n"
        "       terms: [{effective: 2024-02-01, kind: hourly, amount: \"15.50\"}]}\n");
    int rc;
    bo_book *b = from_yaml(body, &rc);
    free(body);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_cursor *c;
    bo_assert_ok(bo_payroll_packs(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "tiny");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_payroll_employee_get(b, "E1", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "cost_center")), "SHOP");
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "tax_status")), "K/0");
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "start_date")), "2024-01-01");
    bo_cursor_free(c);
    bo_assert_ok(bo_payroll_terms(b, "E1", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 2), 200000);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "2024-03-01");
    ck_assert_int_eq(bo_cursor_int(c, 2), 210000);
    bo_cursor_free(c);
    bo_assert_ok(bo_payroll_terms(b, "E2", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "hourly");
    ck_assert_int_eq(bo_cursor_int(c, 2), 1550);
    bo_cursor_free(c);
    /* The configured book runs payroll: 2100.00, tax 210.00. */
    int64_t run, v;
    bo_date s, e;
    bo_assert_ok(bo_date_parse("2024-03-01", &s));
    bo_assert_ok(bo_date_parse("2024-03-31", &e));
    bo_assert_ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "m3", .pack = "tiny",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = s, .period_end = e, .pay_date = e }, &run));
    bo_assert_ok(bo_payroll_run_calculate(b, run));
    bo_assert_ok(bo_payroll_register(b, run, &c));
    bo_assert_ok(bo_cursor_next(c));
    v = bo_cursor_int(c, bo_cursor_column_index(c, "net"));
    ck_assert_int_eq(v, 189000);
    bo_cursor_free(c);
    bo_book_free(b);
}
END_TEST

/* A pack file next to the YAML file, named by a relative path; an error in
 * the pack names both the YAML position and the pack's own line. */
START_TEST(test_pack_file_relative)
{
    char *yaml_path = bo_test_file("paycfg-book.yaml");
    /* The pack's name is unique per process: the backends' suites run in
     * parallel in one folder. */
    char pack_path[1100], pack_ref[1100], line[1200];
    const char *slash = strrchr(yaml_path, '/');
    snprintf(pack_path, sizeof pack_path, "%s.pack.yaml", yaml_path);
    snprintf(pack_ref, sizeof pack_ref, "%s.pack.yaml", slash + 1);
    write_file(pack_path, "pack: filed\ncurrency: USD\naccounts: {net_pay: \"2100\"}\n"
                          "components:\n"
                          "  - {name: salary, kind: earning, account: \"5100\", "
                          "expr: base_salary}\n");
    snprintf(line, sizeof line, "payroll:\n  packs:\n    - file: %s\n", pack_ref);
    char *yaml = concat(HEAD, line);
    write_file(yaml_path, yaml);
    char *uri = bo_test_path("paycfg-file");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_create_from_yaml(&b, yaml_path, uri, &o);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_cursor *c;
    bo_assert_ok(bo_payroll_packs(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "filed");
    bo_cursor_free(c);
    bo_book_free(b);
    free(uri);

    /* The same pack with a cycle: refused, naming both files' positions. */
    write_file(pack_path, "pack: filed\ncurrency: USD\naccounts: {net_pay: \"2100\"}\n"
                          "components:\n"
                          "  - {name: a, kind: earning, account: \"5100\", expr: b}\n"
                          "  - {name: b, kind: earning, account: \"5100\", expr: a}\n");
    uri = bo_test_path("paycfg-file2");
    b = NULL;
    rc = bo_book_create_from_yaml(&b, yaml_path, uri, &o);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(rc, BO_ECONFIG);
    snprintf(line, sizeof line, ":11:13: %s:5:", pack_ref);
    ck_assert_msg(strstr(bo_error_message(), line) &&
                  strstr(bo_error_message(), "cycle"), "%s", bo_error_message());
    free(uri);

    /* A missing file is named at its "file:" key. */
    free(yaml);
    yaml = concat(HEAD, "payroll:\n  packs:\n    - file: no-such-pack.yaml\n");
    write_file(yaml_path, yaml);
    uri = bo_test_path("paycfg-file3");
    rc = bo_book_create_from_yaml(&b, yaml_path, uri, &o);
    ck_assert_ptr_null(b);
    ck_assert_msg(rc < 0 && strstr(bo_error_message(), ":11:13: "), "%s",
                  bo_error_message());
    free(uri);
    free(yaml);
    remove(pack_path);
    remove(yaml_path);
    free(yaml_path);
}
END_TEST

START_TEST(test_bad_sections)
{
    /* Lines: HEAD has 8; "payroll:" is line 9. */
    expect_error("payroll: [1]\n", BO_ECONFIG, "<string>:9:10", "payroll");
    expect_error("payroll:\n  pack: x\n", BO_ECONFIG, "<string>:10:3", "unknown key 'pack'");
    expect_error("payroll:\n  packs:\n    - {file: a.yaml, source: x}\n", BO_ECONFIG,
                 "<string>:11:7", "either file or source");
    expect_error("payroll:\n  packs:\n    - {}\n", BO_ECONFIG, "<string>:11:7",
                 "either file or source");
    /* A pack with an unknown name: the pack's own position follows. */
    expect_error("payroll:\n  packs:\n    - source: |\n        pack: p\n"
                 "        currency: USD\n        accounts: {net_pay: \"2100\"}\n"
                 "        components:\n"
                 "          - {name: s, kind: earning, account: \"5100\", expr: nope}\n",
                 BO_ECONFIG, "<string>:11:15", "nope");
    char *body;
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: Ann}\n");
    expect_error(body, BO_ECONFIG, "<string>:22:7", "'start'");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: Ann, start: 2024-13-01}\n");
    expect_error(body, BO_ECONFIG, "<string>:22:38", "2024-13-01");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: Ann, start: 2024-01-01,"
                               " salary: 100}\n");
    expect_error(body, BO_ECONFIG, "<string>:22:", "unknown key 'salary'");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: A, start: 2024-01-01}\n"
                               "    - {number: E1, name: B, start: 2024-01-01}\n");
    expect_error(body, BO_ECONFIG, "<string>:23:16", "exists");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: A, start: 2024-01-01,\n"
                               "       terms: [{effective: 2024-01-01, kind: daily,"
                               " amount: \"1.00\"}]}\n");
    expect_error(body, BO_ECONFIG, "<string>:23:", "kind");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: A, start: 2024-01-01,\n"
                               "       terms: [{effective: 2024-01-01, kind: salary,"
                               " amount: \"1.001\"}]}\n");
    expect_error(body, BO_ECONFIG, "<string>:23:", "amount");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: A, start: 2024-01-01,\n"
                               "       terms: [{effective: 2024-01-01, kind: salary,"
                               " amount: \"1.00\", schedule: yearly}]}\n");
    expect_error(body, BO_ECONFIG, "<string>:23:80", "schedule: expected monthly");
    free(body);
    body = concat(INLINE_PACK, "  employees:\n    - {number: E1, name: A, start: 2024-01-01,\n"
                               "       terms: [{kind: salary, amount: \"1.00\"}]}\n");
    expect_error(body, BO_ECONFIG, "<string>:23:16", "'effective'");
    free(body);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payroll_config");
    TCase *tc = tcase_create("payroll_config");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_inline_pack_employees_terms);
    tcase_add_test(tc, test_pack_file_relative);
    tcase_add_test(tc, test_bad_sections);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
