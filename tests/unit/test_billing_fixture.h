/* The book the billing suites share: a chart with receivables, payables,
 * taxes, a euro bank and receivable, write-off and exchange accounts; two
 * tax rates; customers in USD and EUR and a vendor; billing settings. */
#ifndef BO_TEST_BILLING_FIXTURE_H
#define BO_TEST_BILLING_FIXTURE_H

#include "testutil.h"

#include <string.h>

static bo_book *book;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static inline int64_t balance(const char *account, const char *date)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D(date), NULL, &v));
    return v;
}

static inline int64_t audit_seq(void)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &seq, hex, sizeof hex));
    return seq;
}

static inline int64_t count_rows(bo_cursor *c)
{
    int64_t n = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return n;
}

static void billing_fixture(void)
{
    bo_test_chart(book);
    struct { const char *code, *name; int type; const char *cur; } acc[] = {
        { "1110", "Bank EUR", BO_ACCOUNT_ASSET, "EUR" },
        { "1200", "Receivables", BO_ACCOUNT_ASSET, NULL },
        { "1210", "Receivables EUR", BO_ACCOUNT_ASSET, "EUR" },
        { "1290", "FX revaluation of open items", BO_ACCOUNT_ASSET, NULL },
        { "1300", "Input tax", BO_ACCOUNT_ASSET, NULL },
        { "2100", "Tax payable", BO_ACCOUNT_LIABILITY, NULL },
        { "6900", "Write-offs", BO_ACCOUNT_EXPENSE, NULL },
        { "6950", "Bank fees", BO_ACCOUNT_EXPENSE, NULL },
        { "7000", "FX gains", BO_ACCOUNT_INCOME, NULL },
        { "7100", "FX losses", BO_ACCOUNT_EXPENSE, NULL },
        { "7200", "Unrealized FX", BO_ACCOUNT_INCOME, NULL },
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        bo_assert_ok(bo_ledger_account_add(book, acc[i].code, acc[i].name, acc[i].type,
                                           NULL, acc[i].cur));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20",
            .name = "VAT 20 %", .rate_ppm = 200000, .sales_account = "2100",
            .purchase_account = "1300" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT5",
            .name = "VAT 5 %", .rate_ppm = 50000, .sales_account = "2100",
            .purchase_account = "1300" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_tax_category_add(book, "reduced", "Reduced", "VAT5"));
    bo_assert_ok(bo_party_add(book, "C1", "Customer One", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_update(book, "C1", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .terms_days = 30, .roles = BO_UNCHANGED,
            .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_add(book, "C2", "Kunde Zwei", BO_PARTY_CUSTOMER, "EUR"));
    bo_assert_ok(bo_party_update(book, "C2", &(bo_party_changes){
            .version = BO_PARTY_CHANGES_VERSION, .receivable_account = "1210",
            .roles = BO_UNCHANGED, .terms_days = BO_UNCHANGED, .active = BO_UNCHANGED }));
    bo_assert_ok(bo_party_add(book, "V1", "Vendor One", BO_PARTY_VENDOR, NULL));
    const char *set[][2] = {
        { "receivable_account", "1200" }, { "payable_account", "2000" },
        { "write_off_account", "6900" }, { "write_off_limit", "1.00" },
        { "fx_gain_account", "7000" }, { "fx_loss_account", "7100" },
        { "fx_unrealized_account", "7200" }, { "fx_revaluation_account", "1290" },
    };
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        bo_assert_ok(bo_billing_setting_set(book, set[i][0], set[i][1]));
}

/* A one-line document saved and posted; returns its id. */
static inline int64_t invoice1(int kind, const char *party, const char *date,
                        const char *currency, const char *account, int64_t price,
                        const char *tax)
{
    bo_invoice *v;
    int64_t id, entry;
    bo_assert_ok(bo_invoice_new(&v, kind, party, D(date), currency));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = account,
            .description = "goods", .quantity = 1000, .unit_price = price,
            .tax_category = tax }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    bo_assert_ok(bo_billing_invoice_post(book, id, D(date), &entry));
    ck_assert_int_gt(entry, 0);
    return id;
}

static inline int64_t open_of(int64_t id, const char *date)
{
    int64_t open = -1;
    bo_assert_ok(bo_billing_invoice_open(book, id, D(date), &open));
    return open;
}

#endif
