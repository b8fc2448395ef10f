/* France's FEC flat file from the ledger (bo_book_export_fec): the 18
 * columns by name, tab-separated, dates YYYYMMDD, amounts with a decimal
 * comma, debits equal to credits per entry and in total, only the entries
 * of the period, and the file its owner's only (mode 0600). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void post(bo_book *b, const char *date, const char *memo, int n, const char **acct,
                 const int64_t *amt)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D(date), memo));
    for (int i = 0; i < n; i++)
        bo_assert_ok(bo_entry_add(e, acct[i], amt[i], NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
}

/* "1234,50" in minor units; -1 when not of that form. */
static int64_t fec_minor(const char *s)
{
    int64_t v = 0;
    const char *c = strchr(s, ',');
    if (!c || strlen(c) != 3 || c == s)
        return -1;
    for (const char *p = s; *p; p++) {
        if (p == c)
            continue;
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

START_TEST(fec_columns_dates_and_totals)
{
    bo_book *b = bo_test_book("fec");
    static const char *codes[] = { "512", "101", "607", "4456", "401" };
    static const int types[] = { BO_ACCOUNT_ASSET, BO_ACCOUNT_EQUITY, BO_ACCOUNT_EXPENSE,
                                 BO_ACCOUNT_ASSET, BO_ACCOUNT_LIABILITY };
    for (int i = 0; i < 5; i++)
        bo_assert_ok(bo_ledger_account_add(b, codes[i], i == 2 ? "Achats\tde marchandises"
                                                               : codes[i],
                                           types[i], NULL, NULL));
    post(b, "2025-12-31", "before the period", 2, (const char *[]){ "512", "101" },
         (const int64_t[]){ 99, -99 });
    post(b, "2026-01-02", "Capital", 2, (const char *[]){ "512", "101" },
         (const int64_t[]){ 1000000, -1000000 });
    post(b, "2026-01-15", "Facture\nF-12", 3, (const char *[]){ "607", "4456", "401" },
         (const int64_t[]){ 125050, 25010, -150060 });
    post(b, "2026-02-01", "Règlement F-12", 2, (const char *[]){ "401", "512" },
         (const int64_t[]){ 150060, -150060 });
    char *path = bo_test_file("fec.txt");
    mode_t old = umask(022);
    bo_assert_ok(bo_book_export_fec(b, path, D("2026-01-01"), D("2026-12-31")));
    umask(old);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0600);

    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[4096];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\t"
                           "CompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\t"
                           "EcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\t"
                           "Montantdevise\tIdevise\n");
    int rows = 0;
    int64_t debit = 0, credit = 0, entry_sum = 0;
    char entry[32] = "";
    int entries = 0;
    while (fgets(line, sizeof line, f)) {
        char *fld[19];
        int n = 0;
        line[strcspn(line, "\n")] = '\0';
        for (char *p = line, *t; n < 19; p = t + 1) {
            fld[n++] = p;
            if (!(t = strchr(p, '\t')))
                break;
            *t = '\0';
        }
        ck_assert_msg(n == 18, "line %d: %d fields", rows + 2, n);
        ck_assert_int_eq(strlen(fld[3]), 8); /* EcritureDate YYYYMMDD */
        ck_assert_str_eq(fld[3], fld[9]);
        ck_assert(!strncmp(fld[3], "2026", 4));
        int64_t d = fec_minor(fld[11]), c = fec_minor(fld[12]);
        ck_assert_msg(d >= 0 && c >= 0 && (d == 0) != (c == 0), "line %d: %s %s", rows + 2,
                      fld[11], fld[12]);
        if (strcmp(entry, fld[2])) {
            ck_assert_int_eq(entry_sum, 0); /* the previous entry balanced */
            snprintf(entry, sizeof entry, "%s", fld[2]);
            entries++;
        }
        entry_sum += d - c;
        debit += d;
        credit += c;
        if (!strcmp(fld[4], "607")) {
            ck_assert_str_eq(fld[5], "Achats de marchandises");
            ck_assert_str_eq(fld[10], "Facture F-12");
            ck_assert_str_eq(fld[11], "1250,50");
            ck_assert_str_eq(fld[3], "20260115");
        }
        rows++;
    }
    fclose(f);
    ck_assert_int_eq(entry_sum, 0);
    ck_assert_int_eq(rows, 7);
    ck_assert_int_eq(entries, 3);
    ck_assert_int_eq(debit, 1000000 + 150060 + 150060);
    ck_assert_int_eq(debit, credit);

    /* refusals: dates the wrong way round, inside a transaction */
    bo_assert_err(bo_book_export_fec(b, path, D("2026-02-01"), D("2026-01-01")), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "from"));
    bo_assert_ok(bo_book_begin(b));
    bo_assert_err(bo_book_export_fec(b, path, D("2026-01-01"), D("2026-12-31")), BO_ESTATE);
    bo_book_rollback(b);
    free(path);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fec");
    TCase *tc = tcase_create("fec");
    tcase_add_test(tc, fec_columns_dates_and_totals);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
