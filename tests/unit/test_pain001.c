/* Vendor-bill payment batches as ISO 20022 pain.001.001.03
 * (bo_billing_pain001): the open posted bills, one transfer each for what
 * is open; the number of transactions and the control sum (the sum of the
 * amounts) in the group header and the payment block; the file well formed
 * (xmllint) and its owner's only; IBANs whose check digits do not match
 * refused naming the field, with no file written. No pain.001 schema is
 * shipped with the sources, so the file is checked for well-formedness
 * and its figures, not against an XSD. */
#include "test_billing_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int count_of(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

/* The sum of every <InstdAmt Ccy="...">x.yy</InstdAmt>, in cents. */
static int64_t instructed_cents(const char *s)
{
    int64_t sum = 0;
    for (const char *p = s; (p = strstr(p, "<InstdAmt Ccy=\"")); p++) {
        const char *v = strchr(p, '>') + 1;
        long major, minor;
        ck_assert_int_eq(sscanf(v, "%ld.%2ld", &major, &minor), 2);
        sum += major * 100 + minor;
    }
    return sum;
}

START_TEST(pain001_batch_counts_and_control_sum)
{
    book = bo_test_book("pain001");
    billing_fixture();
    bo_assert_ok(bo_party_add(book, "V2", "Vendor <Two> & Co", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_party_add(book, "V3", "Vendor Three", BO_PARTY_VENDOR, NULL));
    invoice1(BO_INVOICE_PURCHASE, "V1", "2026-03-01", NULL, "5000", 7000, NULL);
    invoice1(BO_INVOICE_PURCHASE, "V1", "2026-03-02", NULL, "5000", 1234, NULL);
    invoice1(BO_INVOICE_PURCHASE, "V2", "2026-03-03", NULL, "5000", 500, NULL);
    invoice1(BO_INVOICE_SALES, "C1", "2026-03-03", NULL, "4000", 9900, NULL);
    bo_assert_ok(bo_billing_setting_set(book, "iban.V1", "GB82WEST12345698765432"));
    bo_assert_ok(bo_billing_setting_set(book, "bic.V1", "WESTGB2L"));
    bo_assert_ok(bo_billing_setting_set(book, "iban.V2", "FR1420041010050500013M02606"));
    bo_assert_ok(bo_billing_setting_set(book, "debtor_name", "Our Shop"));
    /* a vendor's IBAN with wrong check digits: refused naming the key */
    bo_assert_err(bo_billing_setting_set(book, "iban.V3", "DE89370400440532013001"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "iban.V3"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "check digits"));

    char *path = bo_test_file("pain.xml");
    mode_t old = umask(022);
    ck_assert_int_eq(bo_billing_pain001(book, path, NULL, D("2026-03-10"),
                                        "DE89370400440532013000", "COBADEFFXXX"), 3);
    umask(old);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    ck_assert_int_eq(system(cmd), 0);
    const char *x = slurp(path);
    ck_assert_ptr_nonnull(strstr(x, "xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\""));
    ck_assert_int_eq(count_of(x, "<NbOfTxs>3</NbOfTxs>"), 2);
    ck_assert_int_eq(count_of(x, "<CtrlSum>87.34</CtrlSum>"), 2);
    ck_assert_int_eq(count_of(x, "<CdtTrfTxInf>"), 3);
    ck_assert_int_eq(instructed_cents(x), 8734);
    ck_assert_ptr_nonnull(strstr(x, "<IBAN>DE89370400440532013000</IBAN>"));
    ck_assert_ptr_nonnull(strstr(x, "<BIC>COBADEFFXXX</BIC>"));
    ck_assert_ptr_nonnull(strstr(x, "<BIC>WESTGB2L</BIC>"));
    ck_assert_ptr_nonnull(strstr(x, "<Nm>Vendor &lt;Two&gt; &amp; Co</Nm>"));
    ck_assert_ptr_nonnull(strstr(x, "<ReqdExctnDt>2026-03-10</ReqdExctnDt>"));

    /* one vendor; the debtor from the settings */
    bo_assert_ok(bo_billing_setting_set(book, "debtor_iban", "NL91ABNA0417164300"));
    ck_assert_int_eq(bo_billing_pain001(book, path, "V2", D("2026-03-10"), NULL, NULL), 1);
    x = slurp(path);
    ck_assert_int_eq(count_of(x, "<CtrlSum>5.00</CtrlSum>"), 2);
    ck_assert_ptr_nonnull(strstr(x, "<IBAN>NL91ABNA0417164300</IBAN>"));
    ck_assert_ptr_nonnull(strstr(x, "<Id>NOTPROVIDED</Id>"));

    /* refusals, no file written */
    char *none = bo_test_file("none.xml");
    remove(none);
    bo_assert_err(bo_billing_pain001(book, none, NULL, D("2026-03-10"),
                                     "DE89370400440532013001", NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "debtor_iban"));
    bo_assert_err(bo_billing_pain001(book, none, NULL, D("2026-03-10"),
                                     "DE89 3704 0044 0532 0130 00", NULL), BO_EINVAL);
    bo_assert_err(bo_billing_pain001(book, none, NULL, D("2026-03-10"), NULL, "COBA"),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "debtor_bic"));
    invoice1(BO_INVOICE_PURCHASE, "V3", "2026-03-04", NULL, "5000", 100, NULL);
    bo_assert_err(bo_billing_pain001(book, none, NULL, D("2026-03-10"), NULL, NULL),
                  BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "iban.V3"));
    bo_assert_err(bo_billing_pain001(book, none, "C1", D("2026-03-10"), NULL, NULL),
                  BO_ENOTFOUND);
    ck_assert_int_ne(stat(none, &st), 0);
    free(path);
    free(none);
    bo_book_free(book);
    book = NULL;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pain001");
    TCase *tc = tcase_create("pain001");
    tcase_add_test(tc, pain001_batch_counts_and_control_sum);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
