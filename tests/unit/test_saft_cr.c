/* SAF-T Cash Register (Norwegian 1.00) out: the point-of-sale journal of a
 * shop with two stores, two cashiers, till sessions, sales with VAT paid in
 * cash (with change) and on card, and a return validates against the
 * published schema with xmllint, and our own checks hold on the file: every
 * transaction's lines add up to its total with and without VAT, its VAT per
 * rate adds up to its lines' VAT, its payments to its total, and the number
 * of sales is the book's. One location only, and the bad-input catalogue
 * (unknown location, from after to, a missing registration number) with a
 * specific code, the field named and no file written. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BO_SAFT_CR_XSD
#error "BO_SAFT_CR_XSD: the schema's path"
#endif

static bo_book *book;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void shop(void)
{
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2200", "VAT payable", BO_ACCOUNT_LIABILITY, NULL,
                                       NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "6900", "Cash over/short", BO_ACCOUNT_EXPENSE,
                                       NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT25",
            .name = "VAT 25%", .rate_ppm = 250000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_rate_add(book, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT15",
            .name = "VAT 15%", .rate_ppm = 150000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_category_add(book, "standard", "Standard", "VAT25"));
    bo_assert_ok(bo_tax_category_add(book, "food", "Food", "VAT15"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.inventory", "1200"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.cogs", "5100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.grni", "2000"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.revenue", "4000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.cash", "1000"));
    bo_assert_ok(bo_inventory_setting_set(book, "payment.card", "1100"));
    bo_assert_ok(bo_inventory_setting_set(book, "account.over_short", "6900"));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store one", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "S2", "Store two", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "W", "Warehouse", "warehouse", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_item_add(book, "B", "Bread", 3, BO_INVENTORY_FIFO, "food"));
    const char *locs[] = { "S1", "S2", "W" };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A",
                .location = locs[i], .qty = 20, .cost = 8000,
                .date = D("2025-03-01"), .key = bo_test_key() }, NULL));
        bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "B",
                .location = locs[i], .qty = 20000, .cost = 10000,
                .date = D("2025-03-01"), .key = bo_test_key() }, NULL));
    }
    bo_assert_ok(bo_role_define(book, "cashier",
                                "sales.post inventory.read ledger.read audit.read"));
    bo_assert_ok(bo_role_grant(book, "ana", "cashier"));
    bo_assert_ok(bo_role_grant(book, "ben", "cashier"));
}

/* A sale at loc: qa units of A at 12.50 and qb (3 decimals) of B at 3.00,
 * VAT included, paid cash and card. */
static int64_t march[8]; /* the sales of March, as the book returned them */
static int nmarch;

static int64_t sell(const char *date, const char *loc, int64_t qa, int64_t qb, int64_t cash,
                    int64_t card)
{
    bo_sale *s;
    int64_t id = 0;
    bo_assert_ok(bo_sale_new(&s, D(date), "till"));
    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
    bo_assert_ok(bo_sale_set_inclusive(s, 1));
    if (qa)
        bo_assert_ok(bo_sale_line(s, "A", loc, qa, 1250, 0));
    if (qb)
        bo_assert_ok(bo_sale_line(s, "B", loc, qb, 300, 0));
    if (cash)
        bo_assert_ok(bo_sale_payment(s, "cash", cash));
    if (card)
        bo_assert_ok(bo_sale_payment(s, "card", card));
    int rc = bo_inventory_sale_post(book, s, &id);
    bo_sale_free(s);
    bo_assert_ok(rc);
    if (!strncmp(date, "2025-03", 7))
        march[nmarch++] = id;
    return id;
}

/* Ana's session at S1 (three sales, one return), Ben's sale at S1, Ana's
 * sale at S2; six sales in all. */
static void fill(void)
{
    int64_t till = 0, diff = 0;
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    bo_assert_ok(bo_inventory_till_open(book, "S1", D("2025-03-02"), 10000, "open-1", &till));
    int64_t s1 = sell("2025-03-02", "S1", 3, 1500, 5000, 0); /* 37.50 + 4.50, 8.00 change */
    sell("2025-03-02", "S1", 1, 0, 0, 1250);
    sell("2025-03-02", "S1", 0, 2250, 500, 175); /* 6.75: 5.00 cash + 1.75 card */
    bo_assert_ok(bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = s1, .line = 1,
            .qty = 1, .date = D("2025-03-02"), .method = "cash", .key = "ret-1" }, NULL));
    bo_assert_ok(bo_book_set_actor(book, "ben"));
    sell("2025-03-03", "S1", 2, 0, 2500, 0);
    bo_assert_ok(bo_book_set_actor(book, "ana"));
    sell("2025-03-03", "S2", 1, 1000, 1550, 0);
    bo_assert_ok(bo_inventory_till_close(book, till, D("2025-03-02"), 10000 + 4200 + 500 - 1250,
                                         "close-1", &diff));
    ck_assert_int_eq(diff, 0);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    sell("2025-04-01", "S2", 1, 0, 1250, 0); /* after the period of the bad-input test */
}

static void setup(void)
{
    nmarch = 0;
    book = bo_test_book("saft_cr");
    shop();
}

static void teardown(void)
{
    bo_test_book_free(book);
    book = NULL;
}

/* ---- reading the file back --------------------------------------------- */

typedef struct doc {
    xmlDocPtr d;
    xmlXPathContextPtr x;
} doc;

static doc doc_open(const char *path)
{
    doc r;
    r.d = xmlReadFile(path, NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(r.d);
    r.x = xmlXPathNewContext(r.d);
    xmlXPathRegisterNs(r.x, BAD_CAST "c",
                       BAD_CAST "urn:StandardAuditFile-Taxation-CashRegister:NO");
    return r;
}

static void doc_close(doc *r)
{
    xmlXPathFreeContext(r->x);
    xmlFreeDoc(r->d);
}

static double num(doc *r, const char *xpath)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, r->x);
    ck_assert_msg(o != NULL, "%s", xpath);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    return v;
}

/* Amounts in minor units (2 places), exactly: each element parsed. */
static int64_t sum_cents(doc *r, const char *xpath)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, r->x);
    ck_assert_msg(o != NULL, "%s", xpath);
    int64_t total = 0;
    for (int i = 0; o->nodesetval && i < o->nodesetval->nodeNr; i++) {
        xmlChar *s = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
        int64_t v;
        bo_assert_ok(bo_money_parse((const char *)s, "USD", &v));
        xmlFree(s);
        total += v;
    }
    xmlXPathFreeObject(o);
    return total;
}

static int xmllint_ok(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' 2>&1", BO_SAFT_CR_XSD, path);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[512];
    while (fgets(line, sizeof line, p))
        fputs(line, stderr);
    return pclose(p) == 0;
}

static bo_saft_options opts(const char *from, const char *to)
{
    bo_saft_options o;
    bo_assert_ok(bo_saft_options_init(&o, BO_SAFT_OPTIONS_VERSION));
    if (from)
        o.from = D(from);
    if (to)
        o.to = D(to);
    o.company_name = "Fjord & Co <AS>";
    o.registration_number = "999999999";
    o.vat_number = "NO999999999MVA";
    o.tax_codes = "VAT25 3\nVAT15 31\n";
    return o;
}

/* Each transaction of the file: lines, VAT and payments add up. */
static void check_transactions(doc *r, int n)
{
    char x[512];
    for (int i = 1; i <= n; i++) {
        const char *t = "(//c:cashtransaction)";
        snprintf(x, sizeof x, "%s[%d]/c:transAmntIn", t, i);
        int64_t in = sum_cents(r, x);
        snprintf(x, sizeof x, "%s[%d]/c:transAmntEx", t, i);
        int64_t ex = sum_cents(r, x);
        snprintf(x, sizeof x, "%s[%d]/c:ctLine/c:lineAmntIn", t, i);
        ck_assert_int_eq(sum_cents(r, x), in);
        snprintf(x, sizeof x, "%s[%d]/c:ctLine/c:lineAmntEx", t, i);
        ck_assert_int_eq(sum_cents(r, x), ex);
        snprintf(x, sizeof x, "%s[%d]/c:ctLine/c:vat/c:vatAmnt", t, i);
        int64_t line_vat = sum_cents(r, x);
        snprintf(x, sizeof x, "%s[%d]/c:vat/c:vatAmnt", t, i);
        ck_assert_int_eq(sum_cents(r, x), line_vat);
        ck_assert_int_eq(in - ex, line_vat);
        snprintf(x, sizeof x, "%s[%d]/c:payment/c:paidAmnt", t, i);
        int64_t paid = sum_cents(r, x);
        snprintf(x, sizeof x, "%s[%d]/c:amntTp", t, i);
        xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST x, r->x);
        xmlChar *tp = xmlXPathCastToString(o);
        ck_assert_int_eq(paid, strcmp((const char *)tp, "C") ? -in : in);
        xmlFree(tp);
        xmlXPathFreeObject(o);
    }
}

START_TEST(saft_cr_validates_and_figures_hold)
{
    fill();
    char *path = bo_test_file("cr.xml");
    bo_saft_options o = opts("2025-03-01", "2025-03-31");
    bo_assert_ok(bo_book_export_saft_cr(book, path, &o, NULL));
    ck_assert_msg(xmllint_ok(path), "xmllint --schema refused %s", path);
    doc r = doc_open(path);
    /* six sales and one return in March; the warehouse has no register */
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction[c:transType='CASHSAL'])"), 5);
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction[c:transType='RETURNSAL'])"), 1);
    ck_assert_int_eq((int)num(&r, "count(//c:location)"), 2);
    ck_assert_int_eq((int)num(&r, "count(//c:location[c:cashregister/c:registerID='W'])"), 0);
    ck_assert_int_eq((int)num(&r, "count(//c:location[c:cashregister/c:registerID='S1']"
                                  "//c:cashtransaction)"), 5);
    /* the sale with two lines, cash 50.00 for 42.00: 8.00 change back */
    ck_assert_int_eq(sum_cents(&r, "//c:cashtransaction[c:transID='S1']/c:transAmntIn"), 4200);
    ck_assert_int_eq(sum_cents(&r, "//c:cashtransaction[c:transID='S1']/c:transAmntEx"),
                     3000 + 391);
    ck_assert_int_eq(sum_cents(&r, "//c:cashtransaction[c:transID='S1']/c:payment"
                                   "[c:paymentRefID='change']/c:paidAmnt"), -800);
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction[c:transID='S1']/c:ctLine"
                                  "[c:qnt='1.500'])"), 1);
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction[c:transID='S1']/c:vat)"), 2);
    /* cashiers, events, the signature chain */
    ck_assert_int_eq((int)num(&r, "count(//c:employee)"), 2);
    ck_assert_int_eq((int)num(&r, "count(//c:event[c:eventType='SALREC'])"), 5);
    ck_assert_int_eq((int)num(&r, "count(//c:event[c:eventType='EMPIN'])"), 1);
    ck_assert_int_eq((int)num(&r, "count(//c:event[c:eventType='EMPOUT'])"), 1);
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction[string-length(c:signature)"
                                  " = 64])"), 6);
    check_transactions(&r, 6);
    /* the book's own sales of March, each once */
    ck_assert_int_eq(nmarch, 5);
    for (int i = 0; i < nmarch; i++) {
        char x[160];
        snprintf(x, sizeof x, "count(//c:cashtransaction[c:transID='S%lld'])",
                 (long long)march[i]);
        ck_assert_int_eq((int)num(&r, x), 1);
    }
    doc_close(&r);

    /* one location only */
    bo_assert_ok(bo_book_export_saft_cr(book, path, &o, "S2"));
    ck_assert(xmllint_ok(path));
    r = doc_open(path);
    ck_assert_int_eq((int)num(&r, "count(//c:location)"), 1);
    ck_assert_int_eq((int)num(&r, "count(//c:cashtransaction)"), 1);
    doc_close(&r);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(saft_cr_bad_input_refused)
{
    fill();
    char *path = bo_test_file("cr_bad.xml");
    unlink(path);
    bo_saft_options o = opts("2025-03-01", "2025-03-31");
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, &o, "NOPE"), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "location 'NOPE'"));
    ck_assert_int_eq(access(path, F_OK), -1);
    o = opts("2025-03-31", "2025-03-01");
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "from"));
    ck_assert_int_eq(access(path, F_OK), -1);
    o = opts(NULL, NULL);
    o.registration_number = NULL;
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, &o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "registration_number"));
    ck_assert_int_eq(access(path, F_OK), -1);
    o = opts(NULL, NULL);
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, NULL, NULL), BO_EINVAL);
    ck_assert_int_eq(access(path, F_OK), -1);
    /* a cashier without inventory.read */
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "cid", "clerk"));
    bo_assert_ok(bo_book_set_actor(book, "cid"));
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, &o, NULL), BO_EDENIED);
    ck_assert_int_eq(access(path, F_OK), -1);
    free(path);
}
END_TEST

/* A sale whose stored total no longer equals its lines (an edit outside
 * the library) is named with BO_ECORRUPT, and no file is written. */
START_TEST(saft_cr_sale_not_adding_up_refused)
{
    fill();
    char *path = bo_test_file("cr_corrupt.xml"), sql[160];
    unlink(path);
    snprintf(sql, sizeof sql, "UPDATE inv_sales SET total = total + 1 WHERE id = %lld",
             (long long)march[1]);
    bo_test_raw_sql(bo_book_uri(book), sql);
    bo_saft_options o = opts("2025-03-01", "2025-03-31");
    ck_assert_int_eq(bo_book_export_saft_cr(book, path, &o, NULL), BO_ECORRUPT);
    char want[64];
    snprintf(want, sizeof want, "sale %lld: its total", (long long)march[1]);
    ck_assert_msg(strstr(bo_error_message(), want), "%s", bo_error_message());
    ck_assert_int_eq(access(path, F_OK), -1);
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("saft_cr");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, saft_cr_validates_and_figures_hold);
    tcase_add_test(tc, saft_cr_bad_input_refused);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("reopen");
    tcase_set_tags(tr, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(tr, 120);
    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_add_test(tr, saft_cr_sale_not_adding_up_refused);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
