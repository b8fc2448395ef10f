/* GnuCash's scheduled transactions in: a SQLite book made by GnuCash itself
 * (tests/gnucash/make_sx_book.py: the accounts through python3-gnucash,
 * the scheduled transactions through GnuCash's engine functions) is
 * imported; each scheduled transaction becomes a recurring entry whose
 * template postings and schedule are GnuCash's, and posting the
 * occurrences due up to a date posts exactly the dates GnuCash's own
 * recurrence arithmetic gives. A formula with a variable is refused naming
 * the scheduled transaction and the split, nothing imported; a re-import
 * adds nothing. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BO_GNUCASH_SX_MAKER
#error "BO_GNUCASH_SX_MAKER: the script that makes the book"
#endif

static char *made, *made_xml, *bad;

static char *make(const char *stem, const char *extra)
{
    char *out = bo_test_file(stem), cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 2025-12-31 %s >/dev/null 2>&1",
             BO_GNUCASH_SX_MAKER, out, extra);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
    return out;
}

static bo_book_options owner(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return o;
}

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

/* GnuCash's expected dates: "NAME N D1 D2 ..." per line. */
static int expected(const char *file, const char *name, char dates[16][11])
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s.sx", file);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    int n = -1;
    while (fgets(line, sizeof line, f)) {
        char *tok = strtok(line, " \n");
        if (!tok || strcmp(tok, name))
            continue;
        n = atoi(strtok(NULL, " \n"));
        ck_assert_int_le(n, 16);
        for (int i = 0; i < n; i++)
            snprintf(dates[i], 11, "%s", strtok(NULL, " \n"));
    }
    fclose(f);
    ck_assert_int_ge(n, 0);
    return n;
}

static void postings_are(bo_book *b, int64_t id, const char *a1, int64_t v1, const char *m1,
                         const char *a2, int64_t v2)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_recurring_postings(b, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), a1);
    ck_assert_int_eq(bo_cursor_int(c, 2), v1);
    ck_assert_str_eq(bo_cursor_text(c, 3), "USD");
    if (m1)
        ck_assert_str_eq(bo_cursor_text(c, 4), m1);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), a2);
    ck_assert_int_eq(bo_cursor_int(c, 2), v2);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
}

/* Import file (made by GnuCash) and check it against GnuCash's figures. */
static void check_import(const char *file, const char *stem)
{
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path(stem);
    bo_assert_ok(bo_book_import_gnucash(uri, file, &bo, &go));
    bo_book *b;
    bo_assert_ok(bo_book_open(&b, uri, &bo));
    /* the schedules: GnuCash's */
    bo_cursor *c;
    bo_assert_ok(bo_ledger_recurring_list(b, &c));
    int64_t ids[4];
    static const char *const names[4] = { "Rent", "Fees", "Close", "Yearly" };
    static const char *const rows[4][6] = {
        { "month", "1", "2025-01-31", "", "-", "1" },
        { "week", "2", "2025-01-06", "", "5", "1" },
        { "month_end", "1", "2025-02-28", "2025-09-30", "-", "1" },
        { "year", "1", "2024-02-29", "", "-", "0" },
    };
    for (int i = 0; i < 4; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ids[i] = bo_cursor_int(c, 0);
        ck_assert_str_eq(bo_cursor_text(c, 1), names[i]);
        ck_assert_str_eq(bo_cursor_text(c, 2), rows[i][0]);
        ck_assert_int_eq(bo_cursor_int(c, 3), atoi(rows[i][1]));
        ck_assert_str_eq(bo_cursor_text(c, 4), rows[i][2]);
        ck_assert_str_eq(bo_cursor_type(c, 5) == BO_TYPE_NULL ? "" : bo_cursor_text(c, 5),
                         rows[i][3]);
        if (rows[i][4][0] == '-')
            ck_assert_int_eq(bo_cursor_type(c, 6), BO_TYPE_NULL);
        else
            ck_assert_int_eq(bo_cursor_int(c, 6), atoi(rows[i][4]));
        ck_assert_int_eq(bo_cursor_int(c, 9), atoi(rows[i][5]));
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* the templates: the formulas as exact amounts */
    postings_are(b, ids[0], "6000", 123456, "rent", "1000", -123456);
    postings_are(b, ids[1], "6100", 2500, "fee", "1000", -2500);
    postings_are(b, ids[2], "1000", 1050, NULL, "4000", -1050);
    postings_are(b, ids[3], "6100", 700, NULL, "1000", -700);
    /* the occurrences up to 2025-12-31: GnuCash's dates, once */
    int64_t n = 0, want = 0;
    bo_assert_ok(bo_ledger_recurring_run(b, D("2025-12-31"), &n));
    char dates[16][11];
    for (int i = 0; i < 3; i++)
        want += expected(file, names[i], dates);
    ck_assert_int_eq(n, want);
    ck_assert_int_eq(want, 12 + 5 + 8);
    bo_assert_ok(bo_ledger_recurring_run(b, D("2025-12-31"), &n));
    ck_assert_int_eq(n, 0);
    bo_assert_ok(bo_ledger_journal(b, "1000", BO_DATE_MIN, BO_DATE_MAX, &c));
    int seen[3] = { 0, 0, 0 };
    while (bo_cursor_next(c) == 0) {
        int i = 0;
        while (i < 3 && strcmp(bo_cursor_text(c, 3), names[i]))
            i++;
        ck_assert_int_lt(i, 3);
        int k = expected(file, names[i], dates);
        ck_assert_int_lt(seen[i], k);
        ck_assert_str_eq(bo_cursor_text(c, 1), dates[seen[i]]);
        seen[i]++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(seen[0] + seen[1] + seen[2], want);
    /* a re-import adds nothing */
    int64_t seq, seq2;
    char hex[BO_HASH_HEX_SIZE], hex2[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    bo_book_free(b);
    bo_assert_ok(bo_book_import_gnucash(uri, file, &bo, &go));
    bo_assert_ok(bo_book_open(&b, uri, &bo));
    bo_assert_ok(bo_audit_head(b, &seq2, hex2, sizeof hex2));
    ck_assert_int_eq(seq2, seq);
    bo_assert_ok(bo_book_gnucash_diff(b, file, &go, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_book_free(b);
    free(uri);
}

START_TEST(gnucash_sx_equal_gnucash)
{
    if (!made)
        made = make("gnucash_sx.gnucash", "");
    check_import(made, "gnucash_sx");
}
END_TEST

/* The same scheduled transactions in GnuCash's XML file. */
START_TEST(gnucash_sx_xml_equal_gnucash)
{
    if (!made_xml)
        made_xml = make("gnucash_sx_xml.gnucash", "xml");
    check_import(made_xml, "gnucash_sx_xml");
}
END_TEST

static void refused(const char *file, int code, const char *want1, const char *want2)
{
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path("gnucash_sx_bad");
    bo_assert_err(bo_book_import_gnucash(uri, file, &bo, &go), code);
    ck_assert_msg(strstr(bo_error_message(), want1) && strstr(bo_error_message(), want2),
                  "%s", bo_error_message());
    bo_book *b = NULL;
    ck_assert_int_ne(bo_book_open(&b, uri, &bo), 0); /* nothing imported */
    bo_book_free(b);
    free(uri);
}

START_TEST(gnucash_sx_bad_input_refused)
{
    if (!bad)
        bad = make("gnucash_sx_bad.gnucash", "bad");
    refused(bad, BO_EINVAL, "scheduled transaction 'Close'", "split 2: formula 'rate * 2'");
    /* a period this library does not read */
    char *other = bo_test_file("gnucash_sx_nth.gnucash"), cmd[4096];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", bad, other);
    ck_assert_int_eq(system(cmd), 0);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(other, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "UPDATE recurrences SET recurrence_period_type ="
                                  " 'nth weekday' WHERE id = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    refused(other, BO_ENOTSUP, "scheduled transaction 'Rent'", "nth weekday");
    free(other);
    /* the XML file: a formula with a function, a weekend adjustment */
    if (!made_xml)
        made_xml = make("gnucash_sx_xml.gnucash", "xml");
    char *fn = bo_test_file("gnucash_sx_fn.gnucash");
    snprintf(cmd, sizeof cmd, "zcat '%s' | sed -e 's|>10.5<|>max(1, 2)<|' > '%s'", made_xml,
             fn);
    ck_assert_int_eq(system(cmd), 0);
    refused(fn, BO_EINVAL, "scheduled transaction 'Close'", "split 1: formula 'max(1, 2)'");
    char *adj = bo_test_file("gnucash_sx_adj.gnucash");
    snprintf(cmd, sizeof cmd, "zcat '%s' | sed -e 's|</recurrence:start>|&<recurrence:weekend_adj>"
             "back</recurrence:weekend_adj>|' > '%s'", made_xml, adj);
    ck_assert_int_eq(system(cmd), 0);
    refused(adj, BO_ENOTSUP, "scheduled transaction 'Rent'", "weekend adjustment 'back'");
    free(fn);
    free(adj);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gnucash_sx");
    TCase *tc = tcase_create("gnucash_sx");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, gnucash_sx_equal_gnucash);
    tcase_add_test(tc, gnucash_sx_xml_equal_gnucash);
    tcase_add_test(tc, gnucash_sx_bad_input_refused);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
