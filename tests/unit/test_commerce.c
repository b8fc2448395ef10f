/* Tax rates, tax categories, the tax on an amount (worked by hand), and
 * parties. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;

static void setup(void)
{
    book = bo_test_book("commerce");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "2100", "Sales tax payable",
                                       BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1400", "Input tax",
                                       BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "ST",
            .name = "State sales tax", .rate_ppm = 62500, .sales_account = "2100" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20%", .rate_ppm = 200000, .sales_account = "2100",
            .purchase_account = "1400" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "GST", .name = "GST 5%",
            .rate_ppm = 50000, .sales_account = "2100" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "QST",
            .name = "QST 9.975% (compound)", .rate_ppm = 99750,
            .sales_account = "2100", .flags = BO_TAX_COMPOUND }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "H1", .name = "Half",
            .rate_ppm = 500000, .sales_account = "2100" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "H2",
            .name = "Half again", .rate_ppm = 500000, .sales_account = "2100" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "ST"));
    bo_assert_ok(bo_tax_category_add(book, "vat", "VAT standard", "VAT20"));
    bo_assert_ok(bo_tax_category_add(book, "quebec", "GST then QST", "GST, QST"));
    bo_assert_ok(bo_tax_category_add(book, "halves", "Two halves", "H1 H2"));
    bo_assert_ok(bo_tax_category_add(book, "exempt", "Exempt", ""));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static void tax(const char *category, int64_t amount, int inclusive,
                int64_t want_net, int64_t want_tax)
{
    int64_t net = -1, t = -1;
    bo_assert_ok(bo_tax_compute(book, category, amount, inclusive, &net, &t));
    ck_assert_msg(net == want_net && t == want_tax,
                  "%s %lld %s: net %lld tax %lld, expected %lld and %lld",
                  category, (long long)amount, inclusive ? "incl" : "excl",
                  (long long)net, (long long)t, (long long)want_net,
                  (long long)want_tax);
}

/* 10.00 at 6.25 % is 0.625: half away from zero gives 0.63. */
START_TEST(test_exclusive)
{
    tax("standard", 1000, 0, 1000, 63);
    tax("standard", 999, 0, 999, 62);  /* 0.624375 */
    tax("standard", -1000, 0, -1000, -63); /* a return mirrors the sale */
    tax("exempt", 1234, 0, 1234, 0);
}
END_TEST

/* 10.00 including 20 % VAT: net 8.33 (tax 1.666 -> 1.67, total 10.00);
 * net 8.34 would make 10.01. */
START_TEST(test_inclusive)
{
    tax("vat", 1000, 1, 833, 167);
    tax("vat", -1000, 1, -833, -167);
    tax("vat", 1, 1, 1, 0); /* 0.01: 20 % of it rounds to nothing */
    tax("exempt", 1234, 1, 1234, 0);
}
END_TEST

/* 100.00: GST 5.00, QST on 105.00 = 10.47375 -> 10.47; 115.47 in all. */
START_TEST(test_compound)
{
    tax("quebec", 10000, 0, 10000, 1047 + 500);
    /* Back from 115.47: the same net. */
    tax("quebec", 11547, 1, 10000, 1547);
}
END_TEST

/* Two 50 % rates: a net of 2 costs 4, a net of 3 costs 7 (1.5 rounds to 2
 * twice), so a price of 6 is net 2 plus taxes of 1 and 3: the last rate
 * takes the remainder and the three parts still add up to the price. */
START_TEST(test_inclusive_remainder)
{
    tax("halves", 6, 1, 2, 4);
    tax("halves", 4, 1, 2, 2);
}
END_TEST

START_TEST(test_tax_bad_input)
{
    int64_t net, t;
    bo_assert_err(bo_tax_compute(book, "nope", 100, 0, &net, &t), BO_ENOTFOUND);
    bo_assert_err(bo_tax_compute(book, "standard", INT64_MAX, 0, &net, &t),
                  BO_EOVERFLOW);
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "ST", .name = "again",
            .rate_ppm = 1, .sales_account = "2100" }), BO_EEXISTS);
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = -1, .sales_account = "2100" }), BO_EINVAL);
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = BO_TAX_RATE_MAX + 1, .sales_account = "2100" }),
                  BO_EINVAL);
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = 1, .sales_account = "9999" }), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "sales_account"));
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = 1, .sales_account = "2100", .purchase_account = "9999" }), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "purchase_account"));
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = 1, .sales_account = "2100", .flags = 8 }), BO_EINVAL);
    bo_assert_err(bo_tax_category_add(book, "c", "c", "ST NOPE"), BO_ENOTFOUND);
    bo_assert_err(bo_tax_category_add(book, "c", "c", "ST ST"), BO_EINVAL);
    bo_assert_err(bo_tax_category_add(book, "c", "c", "ST GST QST H1 H2"), BO_EINVAL);
    bo_assert_err(bo_tax_category_add(book, "standard", "c", "ST"), BO_EEXISTS);
    /* Nothing of the refused calls was recorded. */
    bo_cursor *cur;
    int n = 0;
    bo_assert_ok(bo_tax_rates(book, &cur));
    while (bo_cursor_next(cur) == 0)
        n++;
    bo_cursor_free(cur);
    ck_assert_int_eq(n, 6);
    n = 0;
    bo_assert_ok(bo_tax_categories(book, &cur));
    while (bo_cursor_next(cur) == 0) {
        if (strcmp(bo_cursor_text(cur, 0), "quebec") == 0)
            ck_assert_str_eq(bo_cursor_text(cur, 2), "GST QST");
        n++;
    }
    bo_cursor_free(cur);
    ck_assert_int_eq(n, 5);
}
END_TEST

START_TEST(test_rate_parse)
{
    int64_t ppm = -1;
    bo_assert_ok(bo_tax_rate_parse("6.25%", &ppm));
    ck_assert_int_eq(ppm, 62500);
    bo_assert_ok(bo_tax_rate_parse("20 %", &ppm));
    ck_assert_int_eq(ppm, 200000);
    bo_assert_ok(bo_tax_rate_parse("0.0001%", &ppm));
    ck_assert_int_eq(ppm, 1);
    bo_assert_ok(bo_tax_rate_parse("1000%", &ppm));
    ck_assert_int_eq(ppm, BO_TAX_RATE_MAX);
    const char *bad[] = { "", "%", "6.25", "6.25555%", "-1%", "1000.01%", "1e3%",
                          "6.25%%", "99999999999999999999%" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_assert_err(bo_tax_rate_parse(bad[i], &ppm), BO_EINVAL);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "rate"));
    }
}
END_TEST

START_TEST(test_rates_listed)
{
    bo_cursor *cur;
    bo_assert_ok(bo_tax_rates(book, &cur));
    bo_assert_ok(bo_cursor_next(cur)); /* GST first, by code */
    ck_assert_str_eq(bo_cursor_text(cur, 0), "GST");
    ck_assert_int_eq(bo_cursor_int(cur, 2), 50000);
    ck_assert_str_eq(bo_cursor_text(cur, 4), "2100"); /* purchase = sales */
    bo_cursor_free(cur);
}
END_TEST

START_TEST(test_parties)
{
    bo_assert_ok(bo_party_add(book, "ACME", "Acme Wholesale", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_party_add(book, "C-1", "Jane's Cafe", BO_PARTY_CUSTOMER, "EUR"));
    bo_assert_ok(bo_party_add(book, "BOTH", "Trader", BO_PARTY_CUSTOMER | BO_PARTY_VENDOR,
                              NULL));
    bo_assert_ok(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = 45, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .payable_account = "2000",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .tax_id = "DE123456789", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .tax_id = "", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_update(book, "C-1", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .roles = BO_PARTY_CUSTOMER | BO_PARTY_VENDOR,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));

    bo_cursor *cur;
    bo_assert_ok(bo_party_get(book, "ACME", &cur));
    bo_assert_ok(bo_cursor_next(cur));
    ck_assert_str_eq(bo_cursor_text(cur, 1), "Acme Wholesale");
    ck_assert_int_eq(bo_cursor_int(cur, 2), BO_PARTY_VENDOR);
    ck_assert_str_eq(bo_cursor_text(cur, 3), "USD");
    ck_assert_int_eq(bo_cursor_type(cur, 4), BO_TYPE_NULL);
    ck_assert_int_eq(bo_cursor_int(cur, 8), 45);
    ck_assert_str_eq(bo_cursor_text(cur, 10), "2000");
    ck_assert_int_eq(bo_cursor_next(cur), BO_ITEROVER);
    bo_cursor_free(cur);

    /* Vendors: ACME, BOTH and now C-1. */
    const char *want[] = { "ACME", "BOTH", "C-1" };
    int n = 0;
    bo_assert_ok(bo_parties(book, BO_PARTY_VENDOR, &cur));
    while (bo_cursor_next(cur) == 0) {
        ck_assert_int_lt(n, 3);
        ck_assert_str_eq(bo_cursor_text(cur, 0), want[n++]);
    }
    bo_cursor_free(cur);
    ck_assert_int_eq(n, 3);
    n = 0;
    bo_assert_ok(bo_parties(book, 0, &cur));
    while (bo_cursor_next(cur) == 0)
        n++;
    bo_cursor_free(cur);
    ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(test_parties_bad_input)
{
    bo_assert_ok(bo_party_add(book, "ACME", "Acme", BO_PARTY_VENDOR, NULL));
    bo_assert_err(bo_party_add(book, "ACME", "Again", BO_PARTY_VENDOR, NULL), BO_EEXISTS);
    bo_assert_err(bo_party_add(book, "X", "X", 0, NULL), BO_EINVAL);
    bo_assert_err(bo_party_add(book, "X", "X", 4, NULL), BO_EINVAL);
    bo_assert_err(bo_party_add(book, "X", "X", 1, "ZZZ"), BO_ECURRENCY);
    bo_assert_err(bo_party_add(book, "bad code", "X", 1, NULL), BO_EINVAL);
    bo_assert_err(bo_party_add(book, "X", "\xff", 1, NULL), BO_EUTF8);
    /* 0.2 refused an unknown field name; the typed changes refuse nothing
     * to change. */
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes)BO_PARTY_CHANGES_INIT),
                  BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .name = "", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }), BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = -5, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }), BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = 3651, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }), BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .active = 2, .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED }), BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .roles = 4, .terms_days = BO_UNCHANGED,
            .active = BO_UNCHANGED }), BO_EINVAL);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .currency = "ZZZ", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }), BO_ECURRENCY);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .payable_account = "9999",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "payable_account"));
    bo_assert_err(bo_party_update(book, "NOPE", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .name = "x", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }), BO_ENOTFOUND);
    bo_cursor *cur = NULL;
    bo_assert_err(bo_party_get(book, "NOPE", &cur), BO_ENOTFOUND);
    ck_assert_ptr_null(cur);
    bo_assert_err(bo_parties(book, 9, &cur), BO_EINVAL);
    /* Nothing changed: one party, as added. */
    bo_assert_ok(bo_party_get(book, "ACME", &cur));
    bo_assert_ok(bo_cursor_next(cur));
    ck_assert_str_eq(bo_cursor_text(cur, 1), "Acme");
    ck_assert_int_eq(bo_cursor_int(cur, 8), 30);
    ck_assert_int_eq(bo_cursor_type(cur, 10), BO_TYPE_NULL);
    bo_cursor_free(cur);
}
END_TEST

/* Every call against an actor without the permission it needs. */
START_TEST(test_access)
{
    bo_assert_ok(bo_party_add(book, "ACME", "Acme", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_role_define(book, "nobody", "audit.read"));
    bo_assert_ok(bo_role_define(book, "reader", "ledger.read party.read"));
    bo_assert_ok(bo_role_grant(book, "eve", "nobody"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    bo_assert_ok(bo_book_set_actor(book, "eve"));
    bo_cursor *cur = NULL;
    int64_t net, t;
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = 1, .sales_account = "2100" }), BO_EDENIED);
    bo_assert_err(bo_tax_category_add(book, "x", "x", ""), BO_EDENIED);
    bo_assert_err(bo_tax_rates(book, &cur), BO_EDENIED);
    bo_assert_err(bo_tax_categories(book, &cur), BO_EDENIED);
    bo_assert_err(bo_tax_compute(book, "standard", 100, 0, &net, &t), BO_EDENIED);
    bo_assert_err(bo_party_add(book, "X", "x", 1, NULL), BO_EDENIED);
    bo_assert_err(bo_party_update(book, "ACME", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .name = "x", .roles = BO_UNCHANGED,
            .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }), BO_EDENIED);
    bo_assert_err(bo_party_get(book, "ACME", &cur), BO_EDENIED);
    bo_assert_err(bo_parties(book, 0, &cur), BO_EDENIED);
    ck_assert_ptr_null(cur);
    bo_assert_ok(bo_book_set_actor(book, "rita"));
    bo_assert_ok(bo_tax_compute(book, "standard", 100, 0, &net, &t));
    bo_assert_ok(bo_parties(book, 0, &cur));
    bo_cursor_free(cur);
    bo_assert_err(bo_party_add(book, "X", "x", 1, NULL), BO_EDENIED);
    bo_assert_err(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "X", .name = "x",
            .rate_ppm = 1, .sales_account = "2100" }), BO_EDENIED);
}
END_TEST

/* ---- YAML ------------------------------------------------------------------ */

static const char yaml_ok[] =
    "book: {name: Shop, base_currency: USD}\n"
    "accounts:\n"
    "  - {code: \"2100\", name: Tax payable, type: liability}\n"
    "  - {code: \"2000\", name: Payables, type: liability}\n"
    "taxes:\n"
    "  rates:\n"
    "    - {code: ST, name: State tax, rate: 6.25%, account: \"2100\"}\n"
    "    - {code: CT, name: City tax, rate: 1 %, account: \"2100\", compound: true}\n"
    "  categories:\n"
    "    - {code: standard, name: Standard, rates: [ST, CT]}\n"
    "    - {code: exempt, name: Exempt, rates: []}\n"
    "parties:\n"
    "  - {code: ACME, name: Acme, roles: [vendor], terms_days: 15,\n"
    "     payable_account: \"2000\"}\n"
    "  - {code: C1, name: Cafe, roles: [customer, vendor], currency: EUR}\n";

static bo_book *from_yaml(const char *yaml, int *rc)
{
    char *uri = bo_test_path("commerce-yaml");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    *rc = bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o);
    free(uri);
    return b;
}

START_TEST(test_yaml)
{
    int rc;
    bo_book *b = from_yaml(yaml_ok, &rc);
    bo_assert_ok(rc);
    int64_t net, t;
    /* 100.00: 6.25 on it, 1 % on 106.25 = 1.0625 -> 1.06. */
    bo_assert_ok(bo_tax_compute(b, "standard", 10000, 0, &net, &t));
    ck_assert_int_eq(t, 625 + 106);
    bo_cursor *cur;
    bo_assert_ok(bo_party_get(b, "ACME", &cur));
    bo_assert_ok(bo_cursor_next(cur));
    ck_assert_int_eq(bo_cursor_int(cur, 8), 15);
    ck_assert_str_eq(bo_cursor_text(cur, 10), "2000");
    bo_cursor_free(cur);
    bo_assert_ok(bo_party_get(b, "C1", &cur));
    bo_assert_ok(bo_cursor_next(cur));
    ck_assert_int_eq(bo_cursor_int(cur, 2), 3);
    ck_assert_str_eq(bo_cursor_text(cur, 3), "EUR");
    bo_cursor_free(cur);
    bo_book_free(b);
}
END_TEST

/* Each bad document names its line and column; no book is made. */
START_TEST(test_yaml_bad)
{
    static const struct {
        const char *from, *to, *where;
    } cases[] = {
        { "rate: 6.25%", "rate: 6.25555%", "<string>:7:" },
        { "rate: 6.25%", "rate: lots", "<string>:7:" },
        { "account: \"2100\"}\n    - {code: CT", "account: \"9999\"}\n    - {code: CT",
          "<string>:7:" },
        { "rates: [ST, CT]", "rates: [ST, XX]", "<string>:10:" },
        { "roles: [vendor]", "roles: [boss]", "<string>:13:" },
        { "terms_days: 15", "terms_days: 9999", "<string>:13:" },
        { "currency: EUR", "currency: ZZZ", "<string>:15:" },
        { "compound: true", "compound: 1", "<string>:8:" },
        { "  categories:", "  kinds:", "<string>:9:" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[4096];
        const char *at = strstr(yaml_ok, cases[i].from);
        ck_assert_ptr_nonnull(at);
        snprintf(yaml, sizeof yaml, "%.*s%s%s", (int)(at - yaml_ok), yaml_ok,
                 cases[i].to, at + strlen(cases[i].from));
        int rc;
        bo_book *b = from_yaml(yaml, &rc);
        ck_assert_ptr_null(b);
        ck_assert_msg(rc == BO_ECONFIG, "case %zu: %s", i, bo_error_message());
        ck_assert_msg(strncmp(bo_error_message(), cases[i].where,
                              strlen(cases[i].where)) == 0,
                      "case %zu: %s", i, bo_error_message());
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("commerce");
    TCase *tc = tcase_create("commerce");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_exclusive);
    tcase_add_test(tc, test_inclusive);
    tcase_add_test(tc, test_compound);
    tcase_add_test(tc, test_inclusive_remainder);
    tcase_add_test(tc, test_tax_bad_input);
    tcase_add_test(tc, test_rate_parse);
    tcase_add_test(tc, test_rates_listed);
    tcase_add_test(tc, test_parties);
    tcase_add_test(tc, test_parties_bad_input);
    tcase_add_test(tc, test_access);
    tcase_add_test(tc, test_yaml);
    tcase_add_test(tc, test_yaml_bad);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
