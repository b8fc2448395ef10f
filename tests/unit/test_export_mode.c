/* The files a book writes out carry personal data (names, tax ids, bank
 * accounts): the export archive, SAF-T and the journal are written with
 * mode 0600 whatever the umask, also over an existing file readable by
 * others. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned mode_of(const char *path)
{
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

START_TEST(export_files_mode_0600)
{
    bo_book *b = bo_test_book("xmode");
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "3000", "Equity", BO_ACCOUNT_EQUITY, NULL, NULL));
    bo_assert_ok(bo_party_add(b, "C-1", "Ann Example", BO_PARTY_CUSTOMER, NULL));
    bo_date d;
    bo_assert_ok(bo_date_parse("2026-01-05", &d));
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, d, "capital"));
    bo_assert_ok(bo_entry_add(e, "1000", 1000, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -1000, NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
    mode_t old = umask(022);
    char *zip = bo_test_file("book.zip"), *saft = bo_test_file("saft.xml"),
         *jr = bo_test_file("book.journal");
    bo_assert_ok(bo_book_export(b, zip, NULL));
    ck_assert_uint_eq(mode_of(zip), 0600);
    bo_saft_options o;
    bo_assert_ok(bo_saft_options_init(&o, BO_SAFT_OPTIONS_VERSION));
    o.registration_number = "999999999";
    bo_assert_ok(bo_book_export_saft(b, saft, &o));
    ck_assert_uint_eq(mode_of(saft), 0600);
    bo_assert_ok(bo_book_export_journal(b, jr, NULL));
    ck_assert_uint_eq(mode_of(jr), 0600);
    /* over files others could read: 0600 again */
    const char *files[] = { zip, saft, jr };
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(chmod(files[i], 0644), 0);
    bo_assert_ok(bo_book_export(b, zip, NULL));
    bo_assert_ok(bo_book_export_saft(b, saft, &o));
    bo_assert_ok(bo_book_export_journal(b, jr, NULL));
    for (int i = 0; i < 3; i++)
        ck_assert_msg(mode_of(files[i]) == 0600, "%s: %o", files[i], mode_of(files[i]));
    /* a refused export leaves no file behind */
    char *none = bo_test_file("none.zip");
    remove(none);
    bo_assert_ok(bo_book_begin(b));
    bo_assert_err(bo_book_export(b, none, NULL), BO_ESTATE);
    bo_book_rollback(b);
    struct stat st;
    ck_assert_int_ne(stat(none, &st), 0);
    umask(old);
    free(zip), free(saft), free(jr), free(none);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("export_mode");
    TCase *tc = tcase_create("export_mode");
    tcase_add_test(tc, export_files_mode_0600);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
