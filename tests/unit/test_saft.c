/* SAF-T Financial (Norwegian profile 1.30) out: the file validates against
 * the published schema with xmllint, and its figures are the book's: the
 * header's entry count and control totals, every entry balanced, opening
 * plus movements equal to closing per account, closing balances equal to
 * the ledger's own, invoices and payments of the period as source
 * documents. Bad options refused naming the field, no file left. */
#include "test_billing_fixture.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BO_SAFT_XSD
#error "BO_SAFT_XSD: the schema's path"
#endif

static void setup(void)
{
    book = bo_test_book("saft");
    billing_fixture();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

/* ---- reading the file back (libxml2 XPath) ---------------------------- */

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
    xmlXPathRegisterNs(r.x, BAD_CAST "s", BAD_CAST "urn:StandardAuditFile-Taxation-Financial:NO");
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
    ck_assert_ptr_nonnull(o);
    double v = xmlXPathCastToNumber(o);
    xmlXPathFreeObject(o);
    return v;
}

static char *str(doc *r, const char *xpath)
{
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST xpath, r->x);
    ck_assert_ptr_nonnull(o);
    xmlChar *s = xmlXPathCastToString(o);
    xmlXPathFreeObject(o);
    char *c = strdup((const char *)s);
    xmlFree(s);
    return c;
}

/* An amount element's text in minor units (the base currency has 2
 * places): "12.50" -> 1250, exactly. */
static int64_t cents(doc *r, const char *xpath)
{
    char *s = str(r, xpath);
    int64_t v;
    ck_assert_msg(s[0], "%s: empty", xpath);
    bo_assert_ok(bo_money_parse(s, "USD", &v));
    free(s);
    return v;
}

static int xmllint_ok(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "xmllint --noout --schema '%s' '%s' 2>&1", BO_SAFT_XSD, path);
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
    o.contact_first_name = "Kari";
    o.contact_last_name = "Nordmann";
    o.tax_codes = "VAT20 3 # the standard code of the rate\nVAT5 33\n";
    return o;
}

/* A book with an opening entry before the period, invoices in USD and
 * EUR, a payment and plain entries inside, one entry after. */
static void fill(void)
{
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.10"));
    bo_test_post2(book, "2026-01-15", "1100", "3000", 500000);
    bo_test_post2(book, "2026-02-03", "5000", "1100", 12345);
    int64_t inv = invoice1(BO_INVOICE_SALES, "C1", "2026-02-05", NULL, "4000", 10000,
                           "standard");
    invoice1(BO_INVOICE_SALES, "C2", "2026-02-07", "EUR", "4000", 20000, NULL);
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-02-20"), .amount = 12000,
            .currency = "USD", .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "saft-1"));
    bo_assert_ok(bo_payment_allocate(p, inv, 12000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    bo_test_post2(book, "2026-03-02", "5000", "1000", 700);
}

static int64_t entries_between(const char *from, const char *to)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_journal(book, NULL, D(from), D(to), &c));
    int64_t n = 0, last = -1;
    while (bo_cursor_next(c) == 0) {
        int64_t id = bo_cursor_int(c, 0);
        n += id != last;
        last = id;
    }
    bo_cursor_free(c);
    return n;
}

START_TEST(saft_validates_and_figures_hold)
{
    fill();
    char *path = bo_test_file("saft_feb.xml");
    bo_saft_options o = opts("2026-02-01", "2026-02-28");
    bo_assert_ok(bo_book_export_saft(book, path, &o));
    ck_assert_msg(xmllint_ok(path), "xmllint --schema refused %s", path);

    doc r = doc_open(path);
    /* Header: the period, the currency, the company as given (escaped). */
    char *s = str(&r, "string(/s:AuditFile/s:Header/s:SelectionCriteria/s:SelectionStartDate)");
    ck_assert_str_eq(s, "2026-02-01");
    free(s);
    s = str(&r, "string(/s:AuditFile/s:Header/s:Company/s:Name)");
    ck_assert_str_eq(s, "Fjord & Co <AS>");
    free(s);
    s = str(&r, "string(/s:AuditFile/s:Header/s:DefaultCurrencyCode)");
    ck_assert_str_eq(s, "USD");
    free(s);

    /* The entries of February, counted in the header and in the journal,
     * as many as the ledger's journal has. */
    int64_t n = entries_between("2026-02-01", "2026-02-28");
    ck_assert_int_eq(n, 4); /* the expense, two invoices, the payment */
    ck_assert_int_eq((int64_t)num(&r, "number(//s:GeneralLedgerEntries/s:NumberOfEntries)"), n);
    ck_assert_int_eq((int64_t)num(&r, "count(//s:Journal/s:Transaction)"), n);

    /* Control totals: debits = credits, and each equals the sum of the
     * lines written. */
    int64_t td = cents(&r, "string(//s:GeneralLedgerEntries/s:TotalDebit)");
    int64_t tc = cents(&r, "string(//s:GeneralLedgerEntries/s:TotalCredit)");
    ck_assert_int_eq(td, tc);
    /* 123.45 expense + 120.00 invoice (100 + 20 % tax) + EUR 200 at 1.10
     * (220.00) + 120.00 payment */
    ck_assert_int_eq(td, 12345 + 12000 + 22000 + 12000);
    xmlXPathObjectPtr lines = xmlXPathEvalExpression(BAD_CAST "//s:Journal/s:Transaction", r.x);
    int64_t sd = 0, sc = 0;
    for (int i = 0; i < lines->nodesetval->nodeNr; i++) {
        char q[256];
        int64_t ed = 0, ec = 0;
        snprintf(q, sizeof q, "count((//s:Journal/s:Transaction)[%d]/s:Line)", i + 1);
        int nl = (int)num(&r, q);
        for (int k = 1; k <= nl; k++) {
            snprintf(q, sizeof q, "string((//s:Journal/s:Transaction)[%d]/s:Line[%d]"
                     "/s:DebitAmount/s:Amount)", i + 1, k);
            char *d = str(&r, q);
            if (d[0]) {
                ed += cents(&r, q);
            } else {
                snprintf(q, sizeof q, "string((//s:Journal/s:Transaction)[%d]/s:Line[%d]"
                         "/s:CreditAmount/s:Amount)", i + 1, k);
                ec += cents(&r, q);
            }
            free(d);
        }
        ck_assert_int_eq(ed, ec); /* every entry balanced */
        sd += ed;
        sc += ec;
    }
    xmlXPathFreeObject(lines);
    ck_assert_int_eq(sd, td);
    ck_assert_int_eq(sc, tc);

    /* Per account: opening + the period's lines = closing; closing equals
     * the ledger's balance (USD accounts without sub-accounts). */
    const char *acc[] = { "1000", "1100", "1200", "2100", "3000", "5000", "1210" };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++) {
        char q[512];
        int64_t open = 0, close = 0, moved = 0;
        snprintf(q, sizeof q, "string(//s:Account[s:AccountID='%s']/s:OpeningDebitBalance)",
                 acc[i]);
        char *t = str(&r, q);
        if (t[0])
            open = cents(&r, q);
        else {
            snprintf(q, sizeof q, "string(//s:Account[s:AccountID='%s']/"
                     "s:OpeningCreditBalance)", acc[i]);
            open = -cents(&r, q);
        }
        free(t);
        snprintf(q, sizeof q, "string(//s:Account[s:AccountID='%s']/s:ClosingDebitBalance)",
                 acc[i]);
        t = str(&r, q);
        if (t[0])
            close = cents(&r, q);
        else {
            snprintf(q, sizeof q, "string(//s:Account[s:AccountID='%s']/"
                     "s:ClosingCreditBalance)", acc[i]);
            close = -cents(&r, q);
        }
        free(t);
        snprintf(q, sizeof q, "//s:Line[s:AccountID='%s']", acc[i]);
        xmlXPathObjectPtr ls = xmlXPathEvalExpression(BAD_CAST q, r.x);
        for (int k = 0; ls->nodesetval && k < ls->nodesetval->nodeNr; k++) {
            xmlXPathContextPtr sub = r.x;
            sub->node = ls->nodesetval->nodeTab[k];
            xmlXPathObjectPtr a = xmlXPathEvalExpression(BAD_CAST "string(s:DebitAmount/s:Amount)",
                                                         sub);
            xmlChar *dv = xmlXPathCastToString(a);
            xmlXPathFreeObject(a);
            a = xmlXPathEvalExpression(BAD_CAST "string(s:CreditAmount/s:Amount)", sub);
            xmlChar *cv = xmlXPathCastToString(a);
            xmlXPathFreeObject(a);
            int64_t v;
            if (dv[0]) {
                bo_assert_ok(bo_money_parse((const char *)dv, "USD", &v));
                moved += v;
            } else {
                bo_assert_ok(bo_money_parse((const char *)cv, "USD", &v));
                moved -= v;
            }
            xmlFree(dv);
            xmlFree(cv);
        }
        r.x->node = NULL;
        xmlXPathFreeObject(ls);
        ck_assert_msg(open + moved == close, "account %s: %lld + %lld != %lld", acc[i],
                      (long long)open, (long long)moved, (long long)close);
        if (strcmp(acc[i], "1210")) {
            ck_assert_int_eq(close, balance(acc[i], "2026-02-28"));
            ck_assert_int_eq(open, balance(acc[i], "2026-01-31"));
        }
    }
    ck_assert_int_eq(cents(&r, "string(//s:Account[s:AccountID='1100']/s:OpeningDebitBalance)"),
                     500000);
    /* 1210 Receivables EUR: EUR 200 at 1.10 in the book currency */
    ck_assert_int_eq(cents(&r, "string(//s:Account[s:AccountID='1210']/s:ClosingDebitBalance)"),
                     22000);
    ck_assert_int_eq((int64_t)num(&r, "count(//s:Account)"), 18);

    /* Master files: customers, the supplier, the tax table with the
     * standard codes mapped. */
    ck_assert_int_eq((int64_t)num(&r, "count(//s:Customers/s:Customer)"), 2);
    ck_assert_int_eq((int64_t)num(&r, "count(//s:Suppliers/s:Supplier)"), 1);
    s = str(&r, "string(//s:TaxCodeDetails[s:TaxCode='VAT5']/s:StandardTaxCode)");
    ck_assert_str_eq(s, "33");
    free(s);
    s = str(&r, "string(//s:TaxCodeDetails[s:TaxCode='VAT20']/s:TaxPercentage)");
    ck_assert_str_eq(s, "20");
    free(s);

    /* Source documents: the two invoices (their lines' net in the book
     * currency, credited) and the payment. */
    ck_assert_int_eq((int64_t)num(&r, "number(//s:SalesInvoices/s:NumberOfEntries)"), 2);
    ck_assert_int_eq(cents(&r, "string(//s:SalesInvoices/s:TotalCredit)"), 10000 + 22000);
    ck_assert_int_eq(cents(&r, "string(//s:SalesInvoices/s:TotalDebit)"), 0);
    ck_assert_int_eq((int64_t)num(&r, "number(//s:Payments/s:NumberOfEntries)"), 1);
    ck_assert_int_eq(cents(&r, "string(//s:Payments/s:TotalCredit)"), 12000);
    doc_close(&r);

    /* The whole book: the period runs from the first entry to the last. */
    o = opts(NULL, NULL);
    bo_assert_ok(bo_book_export_saft(book, path, &o));
    ck_assert(xmllint_ok(path));
    r = doc_open(path);
    s = str(&r, "string(//s:SelectionCriteria/s:SelectionEndDate)");
    ck_assert_str_eq(s, "2026-03-02");
    free(s);
    ck_assert_int_eq((int64_t)num(&r, "number(//s:GeneralLedgerEntries/s:NumberOfEntries)"),
                     entries_between("2026-01-01", "2026-12-31"));
    doc_close(&r);
    free(path);
}
END_TEST

START_TEST(saft_bad_options_refused)
{
    fill();
    char *path = bo_test_file("saft_bad.xml");
    unlink(path);
    struct stat sb;
    bo_saft_options o = opts(NULL, NULL);
    o.registration_number = NULL;
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "registration_number"));
    o = opts(NULL, NULL);
    o.country = "Norway";
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "country"));
    o = opts(NULL, NULL);
    o.tax_codes = "VAT20 333\n";
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "rate VAT20"));
    o = opts(NULL, NULL);
    o.grouping = "1000 1920 extra\n";
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "grouping: line 1"));
    /* An account whose code is not four digits needs a grouping line. */
    bo_assert_ok(bo_ledger_account_add(book, "X-1", "Odd", BO_ACCOUNT_ASSET, NULL, NULL));
    o = opts(NULL, NULL);
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "account X-1: no grouping code"));
    ck_assert_int_ne(stat(path, &sb), 0); /* nothing written */
    o.grouping = "X-1 1920\n";
    bo_assert_ok(bo_book_export_saft(book, path, &o));
    ck_assert(xmllint_ok(path));
    bo_assert_err(bo_saft_options_init(&o, 99), BO_EINVAL);
    /* an actor without ledger.read: denied, no file */
    unlink(path);
    bo_assert_ok(bo_book_set_actor(book, "nobody"));
    bo_assert_err(bo_book_export_saft(book, path, &o), BO_EDENIED);
    ck_assert_int_ne(stat(path, &sb), 0);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    free(path);
}
END_TEST

START_TEST(saft_book_currency_scale)
{
    /* A book kept in a currency with 3 decimals cannot be stated in
     * SAF-T's 2-place amounts: refused, never rounded. */
    char *uri = bo_test_path("saft_kwd_book");
    bo_book_options bo = BO_BOOK_OPTIONS_INIT;
    bo.actor = "owner";
    bo.create = 1;
    bo.sync = BO_SYNC_OFF;
    bo.base_currency = "KWD";
    bo_book *kwd = NULL;
    bo_assert_ok(bo_book_open(&kwd, uri, &bo));
    char *path = bo_test_file("saft_kwd.xml");
    unlink(path);
    bo_saft_options o = opts(NULL, NULL);
    bo_assert_err(bo_book_export_saft(kwd, path, &o), BO_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "KWD: 3 decimals"));
    struct stat sb;
    ck_assert_int_ne(stat(path, &sb), 0);
    bo_book_free(kwd);
    free(path);
    free(uri);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("saft");
    TCase *tc = tcase_create("saft");
    tcase_set_timeout(tc, 120);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, saft_validates_and_figures_hold);
    tcase_add_test(tc, saft_bad_options_refused);
    tcase_add_test(tc, saft_book_currency_scale);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
