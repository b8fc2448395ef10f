/* GnuCash in: a book made by GnuCash itself (tests/gnucash/make_book.py,
 * Debian's python3-gnucash) with USD, EUR and JPY accounts, random
 * multi-split transactions with exact rational values, a voided one,
 * reconcile states and a price, read from its gzip XML file: every
 * account's balance equals GnuCash's own Account.GetBalance() to the minor
 * unit. Refused with the line and transaction named, nothing imported: an
 * unknown book version, an amount finer than its currency's scale, a time
 * that is not GnuCash's neutral 10:59 UTC without a time zone. */
#include "testutil.h"
#include "book/transfer.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BO_GNUCASH_MAKER
#error "BO_GNUCASH_MAKER: the script that makes the book"
#endif

static char *made;    /* the GnuCash file, made once */
static char *made_sq; /* the same book (same seed) saved as GnuCash's SQLite */

static void make_book(void)
{
    if (made)
        return;
    made = bo_test_file("gnucash_book.gnucash");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 7 >/dev/null 2>&1",
             BO_GNUCASH_MAKER, made);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

static void make_sqlite(void)
{
    if (made_sq)
        return;
    made_sq = bo_test_file("gnucash_book.sqlite");
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' '%s' 7 sqlite3 >/dev/null 2>&1",
             BO_GNUCASH_MAKER, made_sq);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}

/* A copy of the SQLite book with sql run on it. */
static char *sq_edited(const char *stem, const char *sql)
{
    char *out = bo_test_file(stem), cmd[4096];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", made_sq, out);
    ck_assert_int_eq(system(cmd), 0);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(out, &db), SQLITE_OK);
    char *err = NULL;
    ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK, "%s", err);
    sqlite3_close(db);
    return out;
}

static bo_book_options owner(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return o;
}

/* gunzip the book, apply sed script, write it plain to a new file. */
static char *edited(const char *stem, const char *sed)
{
    char *out = bo_test_file(stem);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "zcat '%s' | sed -e '%s' > '%s'", made, sed, out);
    ck_assert_int_eq(system(cmd), 0);
    return out;
}

static int book_exists(const char *uri)
{
    bo_book *b = NULL;
    bo_book_options o = owner();
    int rc = bo_book_open(&b, uri, &o);
    bo_book_free(b);
    return rc == 0;
}

static int64_t count_rows(bo_cursor *c)
{
    int64_t n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

static int64_t entries_of(bo_book *book)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_journal(book, NULL, BO_DATE_MIN, BO_DATE_MAX, &c));
    int64_t last = -1, n = 0;
    while (bo_cursor_next(c) == 0) {
        n += bo_cursor_int(c, 0) != last;
        last = bo_cursor_int(c, 0);
    }
    bo_cursor_free(c);
    return n;
}

static void head_of(bo_book *book, int64_t *seq, char hex[BO_HASH_HEX_SIZE])
{
    bo_assert_ok(bo_audit_head(book, seq, hex, BO_HASH_HEX_SIZE));
}

START_TEST(gnucash_balances_equal_gnucash)
{
    make_book();
    char *uri = bo_test_path("gnucash_in");
    bo_book_options bo = owner();
    bo_gnucash_options go;
    bo_assert_ok(bo_gnucash_options_init(&go, BO_GNUCASH_OPTIONS_VERSION));
    go.base_currency = "USD";
    bo_assert_ok(bo_book_import_gnucash(uri, made, &bo, &go));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));

    char bal[2048];
    snprintf(bal, sizeof bal, "%s.balances", made);
    FILE *f = fopen(bal, "r");
    ck_assert_ptr_nonnull(f);
    char code[64], cur[8];
    long long want;
    int accounts = 0, total = 0, voided = 0, links = 0;
    bo_date end;
    bo_assert_ok(bo_date_parse("2030-12-31", &end));
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "# %d %d %d", &total, &voided, &links) == 3)
            continue;
        ck_assert_int_eq(sscanf(line, "%63s %7s %lld", code, cur, &want), 3);
        int64_t got = 0;
        bo_assert_ok(bo_ledger_balance(book, code, end, cur, &got));
        ck_assert_msg(got == want, "account %s: %lld %s, GnuCash says %lld", code,
                      (long long)got, cur, want);
        accounts++;
    }
    fclose(f);
    ck_assert_int_eq(accounts, 14);
    /* the security (ACME, three decimals) counts shares, as GnuCash's
     * GetBalance(); its realized gain, a split with quantity 0 and a value,
     * is on its child in the book currency, against the gains account */
    int64_t gain = 0, gains = 0, shares = 0;
    int exp = 0;
    bo_assert_ok(bo_currency_exponent("ACME", &exp));
    ck_assert_int_eq(exp, 3);
    bo_assert_ok(bo_ledger_balance(book, "1500", end, "ACME", &shares));
    ck_assert_int_ne(shares, 0);
    bo_assert_ok(bo_ledger_balance(book, "1500:USD", end, "USD", &gain));
    bo_assert_ok(bo_ledger_balance(book, "4200", end, "USD", &gains));
    ck_assert_int_ne(gain, 0);
    ck_assert_int_eq(gain, -gains);
    /* the tree from parent ids: 1100 under the placeholder 1000; the yen
     * account's code is its GnuCash id's; root and template skipped */
    bo_cursor *c;
    bo_assert_ok(bo_ledger_accounts(book, &c));
    int n = 0, under = 0;
    while (bo_cursor_next(c) == 0) {
        n++;
        if (!strcmp(bo_cursor_text(c, 0), "1100")) {
            ck_assert_str_eq(bo_cursor_text(c, 3), "1000");
            ck_assert_str_eq(bo_cursor_text(c, 1), "Checking & <savings>");
            under = 1;
        }
        if (!strncmp(bo_cursor_text(c, 0), "gc-", 3))
            ck_assert_str_eq(bo_cursor_text(c, 4), "JPY");
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, 18); /* with the EUR receivable */
    ck_assert(under);
    /* every transaction but the voided one is an entry */
    bo_assert_ok(bo_ledger_journal(book, NULL, BO_DATE_MIN, end, &c));
    int64_t last = -1, entries = 0;
    while (bo_cursor_next(c) == 0) {
        entries += bo_cursor_int(c, 0) != last;
        last = bo_cursor_int(c, 0);
    }
    bo_cursor_free(c);
    /* a voided transaction and GnuCash's link of a credit note's lot with
     * an invoice's (an allocation) make no entry */
    ck_assert_int_eq(links, 1);
    ck_assert_int_eq(entries, total - voided - links);
    /* a second import of the same book into the same store adds nothing */
    bo_assert_ok(bo_book_import_gnucash(uri, made, &bo, &go));
    ck_assert_int_eq(entries_of(book), entries);
    /* placeholder, hidden, reconcile states and the void reason, read from
     * the XML file, kept in the provenance */
    bo_assert_ok(bo_book_provenance(book, "gnucash", NULL, &c));
    int ph = 0, hd = 0, vd = 0, rec = 0;
    while (bo_cursor_next(c) == 0) {
        const char *attrs = bo_cursor_text(c, 5);
        ph += strstr(attrs, "placeholder") != NULL;
        hd += strstr(attrs, "hidden") != NULL;
        vd += !strcmp(attrs, "reconcile=vv void=entered twice");
        rec += !strcmp(attrs, "reconcile=yy");
    }
    bo_cursor_free(c);
    ck_assert_int_eq(ph, 2);
    ck_assert_int_eq(hd, 1);
    ck_assert_int_eq(vd, 1);
    ck_assert_int_ge(rec, 1);
    bo_assert_ok(bo_book_provenance(book, "gnucash", NULL, &c));
    int xprices = 0;
    while (bo_cursor_next(c) == 0)
        xprices += !strcmp(bo_cursor_text(c, 5),
                           "price EUR/USD 10869/10000 1970-01-01 user:price");
    bo_cursor_free(c);
    ck_assert_int_eq(xprices, 1);
    bo_book_free(book);
    free(uri);
}
END_TEST

START_TEST(gnucash_bad_input_refused)
{
    make_book();
    bo_book_options bo = owner();
    /* an unknown book version */
    char *v = edited("gnucash_v9.xml", "s/<gnc:book version=\"2.0.0\">/<gnc:book version=\"9.9.9\">/");
    char *uri = bo_test_path("gnucash_bad1");
    bo_assert_err(bo_book_import_gnucash(uri, v, &bo, NULL), BO_ESCHEMA);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "version 9.9.9"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "gnucash_v9.xml"));
    ck_assert(!book_exists(uri));
    free(uri);
    /* an amount finer than its currency (a tenth of a cent in USD) */
    char *fine = edited("gnucash_fine.xml",
                        "0,/<split:value>10000000\\/100<\\/split:value>/"
                        "s//<split:value>100000001\\/1000<\\/split:value>/");
    uri = bo_test_path("gnucash_bad2");
    bo_assert_err(bo_book_import_gnucash(uri, fine, &bo, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "100000001/1000 or"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "never rounded"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "transaction "));
    ck_assert(!book_exists(uri));
    free(uri);
    /* a time other than 10:59 UTC with no date slot and no time zone */
    char *tz = edited("gnucash_tz.xml",
                      "/<trn:slots>/,/<\\/trn:slots>/d;"
                      "0,/10:59:00 +0000/s//23:30:00 -0500/");
    uri = bo_test_path("gnucash_bad3");
    bo_assert_err(bo_book_import_gnucash(uri, tz, &bo, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "time zone") != NULL, "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    /* with the time zone given it is read: 23:30 -05:00 is 04:30 UTC the
     * next day, 23:30 on the day itself at -05:00 */
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    go.has_utc_offset = 1;
    go.utc_offset_minutes = -300;
    bo_assert_ok(bo_book_import_gnucash(uri, tz, &bo, &go));
    free(uri);
    /* hostile XML: a DOCTYPE with an entity is refused at its line */
    char *dtd = edited("gnucash_dtd.xml",
                       "1a <!DOCTYPE gnc-v2 [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
    uri = bo_test_path("gnucash_bad4");
    bo_assert_err(bo_book_import_gnucash(uri, dtd, &bo, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 2: DOCTYPE"));
    ck_assert(!book_exists(uri));
    bo_assert_err(bo_gnucash_options_init(&go, 7), BO_EINVAL);
    free(uri);
    /* the XML file's job owned by a customer the book does not have:
     * refused naming the job and its line */
    char *job = edited("gnucash_job.xml",
                       "/<job:owner/,/<\\/job:owner>/s/<owner:id type=\"guid\">[0-9a-f]*</"
                       "<owner:id type=\"guid\">ffffffffffffffffffffffffffffffff</");
    uri = bo_test_path("gnucash_bad5");
    go.base_currency = "USD";
    bo_assert_err(bo_book_import_gnucash(uri, job, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), ": job J0001 'Roof & walls': owner ffff") &&
                  strstr(bo_error_message(), "line "), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    free(v);
    free(fine);
    free(tz);
    free(dtd);
    free(job);
}
END_TEST

/* A one-transaction book in memory with the given split values (the
 * quantities the same), through the reader's checks. */
static int one_tx(const char *v1, const char *v2)
{
    char xml[4096];
    snprintf(xml, sizeof xml,
             "<gnc-v2 xmlns:gnc=\"g\" xmlns:act=\"a\" xmlns:cmdty=\"c\" xmlns:trn=\"t\""
             " xmlns:split=\"s\" xmlns:ts=\"ts\">\n"
             "<gnc:book version=\"2.0.0\">\n"
             "<gnc:account version=\"2.0.0\"><act:name>Root</act:name>"
             "<act:id>r</act:id><act:type>ROOT</act:type></gnc:account>\n"
             "<gnc:account version=\"2.0.0\"><act:name>A</act:name><act:id>a</act:id>"
             "<act:type>BANK</act:type><act:commodity><cmdty:space>CURRENCY</cmdty:space>"
             "<cmdty:id>USD</cmdty:id></act:commodity><act:parent>r</act:parent></gnc:account>\n"
             "<gnc:account version=\"2.0.0\"><act:name>B</act:name><act:id>b</act:id>"
             "<act:type>INCOME</act:type><act:commodity><cmdty:space>CURRENCY</cmdty:space>"
             "<cmdty:id>USD</cmdty:id></act:commodity><act:parent>r</act:parent></gnc:account>\n"
             "<gnc:transaction version=\"2.0.0\"><trn:id>t1</trn:id><trn:currency>"
             "<cmdty:space>CURRENCY</cmdty:space><cmdty:id>USD</cmdty:id></trn:currency>"
             "<trn:date-posted><ts:date>2025-03-01 10:59:00 +0000</ts:date></trn:date-posted>"
             "<trn:splits>"
             "<trn:split><split:value>%s</split:value><split:quantity>%s</split:quantity>"
             "<split:account>a</split:account></trn:split>"
             "<trn:split><split:value>%s</split:value><split:quantity>%s</split:quantity>"
             "<split:account>b</split:account></trn:split>"
             "</trn:splits></gnc:transaction>\n</gnc:book></gnc-v2>\n", v1, v1, v2, v2);
    bo__error_clear();
    int64_t accounts = 0, entries = 0;
    int rc = bo__gnucash_check(xml, strlen(xml), &accounts, &entries);
    if (!rc) {
        ck_assert_int_eq(accounts, 2);
        ck_assert_int_eq(entries, 1);
    }
    return rc;
}

START_TEST(gnucash_amounts_at_int64_ends)
{
    /* the ends of int64 in minor units are read exactly ... */
    bo_assert_ok(one_tx("9223372036854775807/100", "-9223372036854775807/100"));
    bo_assert_ok(one_tx("-9223372036854775808/100", "9223372036854775807/100"));
    bo_assert_ok(one_tx("5/10", "-50/100"));
    /* ... a value beyond them is an overflow, a fraction finer than a cent
     * or a malformed one is refused; none wraps or rounds */
    bo_assert_err(one_tx("9223372036854775807/1", "-1/1"), BO_EOVERFLOW);
    bo_assert_err(one_tx("-9223372036854775808/1", "1/1"), BO_EOVERFLOW);
    bo_assert_err(one_tx("99999999999999999999/100", "-1/1"), BO_EINVAL);
    bo_assert_err(one_tx("1/3", "-1/3"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "never rounded"));
    bo_assert_err(one_tx("1/0", "-1/1"), BO_EINVAL);
    bo_assert_err(one_tx("1/-100", "1/100"), BO_EINVAL);
    /* 100,000 levels: refused at the limit */
    size_t n = 100000;
    char *deep = malloc(n * 8 + 64), *p = deep;
    p += sprintf(p, "<gnc-v2>");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "<a>");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "</a>");
    sprintf(p, "</gnc-v2>");
    bo_assert_err(bo__gnucash_check(deep, strlen(deep), NULL, NULL), BO_ELIMIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "nested deeper than 32 levels"));
    free(deep);
}
END_TEST

/* The same book saved by GnuCash as SQLite (made empty, closed, reopened,
 * then filled, as 4.13 needs): every balance equals GnuCash's own, and
 * equals the XML file's import account by account. */
START_TEST(gnucash_sqlite_balances_equal_gnucash)
{
    make_book();
    make_sqlite();
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path("gnucash_sq"), *xuri = bo_test_path("gnucash_xml");
    bo_assert_ok(bo_book_import_gnucash(uri, made_sq, &bo, &go));
    bo_assert_ok(bo_book_import_gnucash(xuri, made, &bo, &go));
    bo_book *book, *xbook;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    bo_assert_ok(bo_book_open(&xbook, xuri, &bo));
    char bal[2048];
    snprintf(bal, sizeof bal, "%s.balances", made_sq);
    FILE *f = fopen(bal, "r");
    ck_assert_ptr_nonnull(f);
    char line[256], code[64], cur[8];
    long long want;
    int accounts = 0, total = 0, voided = 0, links = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "# %d %d %d", &total, &voided, &links) == 3)
            continue;
        ck_assert_int_eq(sscanf(line, "%63s %7s %lld", code, cur, &want), 3);
        int64_t got = 0;
        bo_assert_ok(bo_ledger_balance(book, code, BO_DATE_MAX, cur, &got));
        ck_assert_msg(got == want, "account %s: %lld %s, GnuCash says %lld", code,
                      (long long)got, cur, want);
        accounts++;
    }
    fclose(f);
    ck_assert_int_eq(accounts, 14);
    /* the two files of one book: the same chart (but the code made from
     * the yen account's id), the same trial balance, the same entries */
    bo_cursor *c, *x;
    bo_assert_ok(bo_ledger_trial_balance(book, BO_DATE_MAX, &c));
    bo_assert_ok(bo_ledger_trial_balance(xbook, BO_DATE_MAX, &x));
    int rows = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_eq(bo_cursor_next(x), 0);
        if (strncmp(bo_cursor_text(c, 0), "gc-", 3))
            ck_assert_str_eq(bo_cursor_text(c, 0), bo_cursor_text(x, 0));
        ck_assert_str_eq(bo_cursor_text(c, 1), bo_cursor_text(x, 1));
        ck_assert_str_eq(bo_cursor_text(c, 3), bo_cursor_text(x, 3));
        ck_assert_int_eq(bo_cursor_int(c, 4), bo_cursor_int(x, 4));
        ck_assert_int_eq(bo_cursor_int(c, 5), bo_cursor_int(x, 5));
        rows++;
    }
    ck_assert_int_eq(bo_cursor_next(x), BO_ITEROVER);
    bo_cursor_free(c);
    bo_cursor_free(x);
    ck_assert_int_ge(rows, 7);
    bo_assert_ok(bo_ledger_journal(book, NULL, BO_DATE_MIN, BO_DATE_MAX, &c));
    int64_t last = -1, entries = 0;
    while (bo_cursor_next(c) == 0) {
        entries += bo_cursor_int(c, 0) != last;
        last = bo_cursor_int(c, 0);
    }
    bo_cursor_free(c);
    /* a voided transaction and GnuCash's link of a credit note's lot with
     * an invoice's (an allocation) make no entry */
    ck_assert_int_eq(links, 1);
    ck_assert_int_eq(entries, total - voided - links);
    /* provenance: each entry's key is its transaction's GnuCash id */
    bo_assert_ok(bo_ledger_entry(book, 1, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(strncmp(bo_cursor_text(c, 3), "gnucash:", 8), 0);
    ck_assert_uint_eq(strlen(bo_cursor_text(c, 3)), 8 + 32);
    bo_cursor_free(c);
    /* another GnuCash book (the XML file has its own book id) into a store
     * holding accounts: refused */
    bo_assert_err(bo_book_import_gnucash(uri, made, &bo, &go), BO_EEXISTS);
    ck_assert_msg(strstr(bo_error_message(), "none imported from GnuCash book"), "%s",
                  bo_error_message());
    bo_book_free(book);
    bo_book_free(xbook);
    free(uri);
    free(xuri);
}
END_TEST

/* The documents of a GnuCash file against GnuCash's own figures
 * (OUT.invoices: "ID TOTAL TAX LOT SIGN CURRENCY RATE", amounts in minor
 * units of the document's currency): our document's total and tax equal
 * GnuCash's, its open amount equals the balance of its lot (negative in
 * GnuCash for a bill and a customer's credit note: SIGN), its currency and
 * rate are GnuCash's (the EUR invoice at the exact 25/23 of its posting).
 * The credit note is one of ours; the job's invoice is the job owner's,
 * the job's id and name on its memo. */
static void invoices_equal(const char *file, const char *stem)
{
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path(stem);
    bo_assert_ok(bo_book_import_gnucash(uri, file, &bo, &go));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    char path[2048], line[256], id[64];
    snprintf(path, sizeof path, "%s.invoices", file);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    long long total, tax, lot;
    int docs = 0, partly = 0, sign, credits = 0, jobs = 0, foreign = 0;
    char cur[8], rate[32];
    while (fgets(line, sizeof line, f)) {
        ck_assert_int_eq(sscanf(line, "%63s %lld %lld %lld %d %7s %31s", id, &total, &tax,
                                &lot, &sign, cur, rate), 7);
        int found = 0;
        for (int64_t d = 1; d <= 7; d++) {
            bo_cursor *c;
            bo_assert_ok(bo_billing_invoice_get(book, d, &c));
            ck_assert_int_eq(bo_cursor_next(c), 0);
            if (!strcmp(bo_cursor_text(c, 17), id)) {
                found = 1;
                ck_assert_str_eq(bo_cursor_text(c, 2), "posted");
                ck_assert_msg(bo_cursor_int(c, 12) == total, "%s: total %lld, GnuCash %lld",
                              id, (long long)bo_cursor_int(c, 12), total);
                ck_assert_msg(bo_cursor_int(c, 11) == tax, "%s: tax %lld, GnuCash %lld", id,
                              (long long)bo_cursor_int(c, 11), tax);
                int64_t open = 0;
                bo_assert_ok(bo_billing_invoice_open(book, d, BO_DATE_MAX, &open));
                long long want = sign * lot;
                ck_assert_msg(open == want, "%s: open %lld, GnuCash's lot %lld", id,
                              (long long)open, lot);
                partly += open > 0 && open < total;
                ck_assert_str_eq(bo_cursor_text(c, 9), cur);
                if (strcmp(rate, "-")) {
                    ck_assert_str_eq(bo_cursor_text(c, 14), rate);
                    foreign++;
                }
                if (!strncmp(id, "CN", 2)) {
                    /* the first applied to the second customer's invoice
                     * (GnuCash's lot link), the second refunded in part */
                    ck_assert_str_eq(bo_cursor_text(c, 1), "sales_credit");
                    ck_assert_str_eq(bo_cursor_text(c, 6),
                                     !strcmp(id, "CN0001") ? "C002" : "C001");
                    ck_assert_int_gt(open, 0);
                    ck_assert_int_lt(open, total);
                    credits++;
                }
                if (!strcmp(id, "000002")) /* settled by the credit note */
                    ck_assert_int_eq(open, 0);
                if (!strcmp(id, "000003")) { /* the job's, of its customer */
                    ck_assert_str_eq(bo_cursor_text(c, 6), "C001");
                    ck_assert_str_eq(bo_cursor_text(c, 18), "job J0001: Roof & walls");
                    jobs++;
                }
            }
            bo_cursor_free(c);
        }
        ck_assert_msg(found, "invoice %s not imported", id);
        docs++;
    }
    fclose(f);
    ck_assert_int_eq(docs, 7);
    /* the first invoice and the EUR one paid in part, the credit notes
     * applied and refunded in part */
    ck_assert_int_eq(partly, 4);
    ck_assert_int_eq(credits, 2);
    ck_assert_int_eq(jobs, 1);
    ck_assert_int_eq(foreign, 1);
    /* customers and vendors are parties; the tax table a category of two
     * rates on GnuCash's accounts */
    bo_cursor *c;
    bo_assert_ok(bo_party_get(book, "C001", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    bo_cursor_free(c);
    bo_assert_ok(bo_parties(book, BO_PARTY_VENDOR, &c));
    ck_assert_int_eq(count_rows(c), 1);
    bo_assert_ok(bo_tax_categories(book, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 1), "VAT+levy");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_tax_rates(book, &c));
    ck_assert_int_eq(count_rows(c), 2);
    /* again: nothing added */
    int64_t entries = entries_of(book);
    bo_book_free(book);
    bo_assert_ok(bo_book_import_gnucash(uri, file, &bo, &go));
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    ck_assert_int_eq(entries_of(book), entries);
    bo_assert_err(bo_billing_invoice_get(book, 8, &c), BO_ENOTFOUND);
    bo_book_free(book);
    free(uri);
}

START_TEST(gnucash_invoices_equal_gnucash)
{
    make_book();
    invoices_equal(made, "gnucash_inv_xml");
}
END_TEST

START_TEST(gnucash_sqlite_invoices_equal_gnucash)
{
    make_sqlite();
    invoices_equal(made_sq, "gnucash_inv_sq");
}
END_TEST

/* A journal export with the codes made from GnuCash ids masked (the two
 * files of one book give the yen account different ids), cut into its
 * lines, sorted. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *export_blocks(const char *file, const char *stem, char ***blocks, size_t *n)
{
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path(stem), *out = bo_test_file("gnucash_export.journal");
    bo_assert_ok(bo_book_import_gnucash(uri, file, &bo, &go));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    bo_journal_options jo = BO_JOURNAL_OPTIONS_INIT;
    jo.dialect = BO_JOURNAL_HLEDGER;
    bo_assert_ok(bo_book_export_journal(book, out, &jo));
    bo_book_free(book);
    FILE *f = fopen(out, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    ck_assert_int_eq(fread(text, 1, (size_t)len, f), len);
    text[len] = '\0';
    fclose(f);
    for (char *p = strstr(text, "gc-"); p; p = strstr(p + 3, "gc-"))
        for (int i = 3; i < 15 && p[i] && strchr("0123456789abcdef", p[i]); i++)
            p[i] = '*';
    *n = 0;
    *blocks = malloc(sizeof **blocks * ((size_t)len / 2 + 2));
    for (char *b = strtok(text, "\n"); b; b = strtok(NULL, "\n"))
        (*blocks)[(*n)++] = b;
    qsort(*blocks, *n, sizeof **blocks, cmp_str);
    free(uri);
    free(out);
    return text;
}

/* The XML and the SQLite file of one book import to the same export: the
 * same lines, entries, invoices' and payments' postings, securities. */
START_TEST(gnucash_sqlite_and_xml_same_export)
{
    make_book();
    make_sqlite();
    char **a, **b;
    size_t na, nb;
    char *ta = export_blocks(made, "gnucash_exp_xml", &a, &na);
    char *tb = export_blocks(made_sq, "gnucash_exp_sq", &b, &nb);
    ck_assert_int_eq(na, nb);
    ck_assert_int_gt(na, 200);
    for (size_t i = 0; i < na; i++)
        ck_assert_str_eq(a[i], b[i]);
    int acme = 0;
    for (size_t i = 0; i < na; i++)
        acme += strstr(a[i], "ACME") != NULL;
    ck_assert_int_ge(acme, 3);
    free(a);
    free(b);
    free(ta);
    free(tb);
}
END_TEST

static int64_t accounts_of(const char *uri)
{
    bo_book *b = NULL;
    bo_book_options o = owner();
    if (bo_book_open(&b, uri, &o))
        return 0;
    bo_cursor *c;
    bo_assert_ok(bo_ledger_accounts(b, &c));
    int64_t n = count_rows(c);
    bo_book_free(b);
    return n;
}

/* Business objects that do not fit: refused naming the GnuCash invoice,
 * nothing imported. */
START_TEST(gnucash_business_bad_input_refused)
{
    make_sqlite();
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    /* a line's price finer than a cent */
    char *fine = sq_edited("gnucash_price.sqlite",
                           "UPDATE entries SET i_price_num = i_price_num * 10 + 1,"
                           " i_price_denom = i_price_denom * 10 WHERE rowid = (SELECT"
                           " min(e.rowid) FROM entries e JOIN invoices i ON i.guid = e.invoice"
                           " WHERE i.id = '000001')");
    char *uri = bo_test_path("gnucash_bizbad1");
    bo_assert_err(bo_book_import_gnucash(uri, fine, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "invoice 000001, entry") &&
                  strstr(bo_error_message(), "never rounded") &&
                  strstr(bo_error_message(), "gnucash_price.sqlite"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a line that no longer makes what GnuCash posted */
    char *moved = sq_edited("gnucash_moved.sqlite",
                            "UPDATE entries SET i_price_num = i_price_num + i_price_denom"
                            " WHERE rowid = (SELECT min(e.rowid) FROM entries e JOIN invoices i"
                            " ON i.guid = e.invoice WHERE i.id = '000002')");
    uri = bo_test_path("gnucash_bizbad2");
    bo_assert_err(bo_book_import_gnucash(uri, moved, &bo, &go), BO_ECONFLICT);
    ck_assert_msg(strstr(bo_error_message(), "invoice 000002") &&
                  strstr(bo_error_message(), "GnuCash posted"), "%s", bo_error_message());
    ck_assert_int_eq(accounts_of(uri), 0);
    free(uri);
    /* a business table at a version this reader does not know */
    char *v = sq_edited("gnucash_inv99.sqlite",
                        "UPDATE versions SET table_version = 99 WHERE table_name = 'invoices'");
    uri = bo_test_path("gnucash_bizbad3");
    bo_assert_err(bo_book_import_gnucash(uri, v, &bo, &go), BO_ESCHEMA);
    ck_assert_msg(strstr(bo_error_message(), "table invoices is at version 99"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a tax rate given as an amount, not a percentage */
    char *val = sq_edited("gnucash_taxval.sqlite", "UPDATE taxtable_entries SET type = 1");
    uri = bo_test_path("gnucash_bizbad4");
    bo_assert_err(bo_book_import_gnucash(uri, val, &bo, &go), BO_ENOTSUP);
    ck_assert_msg(strstr(bo_error_message(), "tax table 'VAT+levy'"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a security whose fraction is not a power of ten */
    char *f32 = sq_edited("gnucash_f32.sqlite",
                          "UPDATE commodities SET fraction = 32 WHERE mnemonic = 'ACME'");
    uri = bo_test_path("gnucash_bizbad5");
    bo_assert_err(bo_book_import_gnucash(uri, f32, &bo, &go), BO_ENOTSUP);
    ck_assert_msg(strstr(bo_error_message(), "account 'Acme shares'") &&
                  strstr(bo_error_message(), "fraction 1/32"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a quantity of shares finer than the security's thousandths */
    char *q = sq_edited("gnucash_shares.sqlite",
                        "UPDATE splits SET quantity_num = quantity_num * 10 + 1,"
                        " quantity_denom = quantity_denom * 10 WHERE rowid = (SELECT"
                        " min(s.rowid) FROM splits s JOIN accounts a ON a.guid = s.account_guid"
                        " WHERE a.code = '1500' AND s.quantity_num != 0)");
    uri = bo_test_path("gnucash_bizbad6");
    bo_assert_err(bo_book_import_gnucash(uri, q, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "USD/ACME") &&
                  strstr(bo_error_message(), "never rounded"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a credit note in a currency the book does not know */
    char *cnc = sq_edited("gnucash_cncur.sqlite",
                          "UPDATE invoices SET currency = 'ffffffffffffffffffffffffffffffff'"
                          " WHERE id = 'CN0001'");
    uri = bo_test_path("gnucash_bizbad7");
    bo_assert_err(bo_book_import_gnucash(uri, cnc, &bo, &go), BO_ECURRENCY);
    ck_assert_msg(strstr(bo_error_message(), "credit note CN0001: currency"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* a line of the EUR invoice finer than a euro cent */
    char *eur = sq_edited("gnucash_eurfine.sqlite",
                          "UPDATE entries SET i_price_num = i_price_num * 10 + 1,"
                          " i_price_denom = i_price_denom * 10 WHERE rowid = (SELECT"
                          " min(e.rowid) FROM entries e JOIN invoices i ON i.guid = e.invoice"
                          " WHERE i.id = 'EUR1')");
    uri = bo_test_path("gnucash_bizbad8");
    bo_assert_err(bo_book_import_gnucash(uri, eur, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "invoice EUR1, entry") &&
                  strstr(bo_error_message(), "scale of EUR") &&
                  strstr(bo_error_message(), "never rounded"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* GnuCash's link of the credit note with the invoice turned around:
     * each split moves its lot away from 0 */
    char *link = sq_edited("gnucash_link.sqlite",
                           "UPDATE splits SET value_num = -value_num,"
                           " quantity_num = -quantity_num WHERE tx_guid IN (SELECT s.tx_guid"
                           " FROM splits s JOIN invoices i ON s.lot_guid = i.post_lot"
                           " WHERE i.id = 'CN0001' AND s.tx_guid != i.post_txn)");
    uri = bo_test_path("gnucash_bizbad9");
    bo_assert_err(bo_book_import_gnucash(uri, link, &bo, &go), BO_ENOTSUP);
    ck_assert_msg(strstr(bo_error_message(), "transaction ") &&
                  strstr(bo_error_message(), "does not settle") &&
                  (strstr(bo_error_message(), "credit note CN0001") ||
                   strstr(bo_error_message(), "invoice 000002")), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    free(link);
    /* the EUR invoice's payment into the USD bank account (GnuCash posts
     * no realized gain or loss for it): refused naming the transaction */
    char *usd = sq_edited("gnucash_eurusd.sqlite",
                          "UPDATE splits SET account_guid = (SELECT guid FROM accounts"
                          " WHERE code = '1100') WHERE lot_guid IS NULL AND tx_guid IN"
                          " (SELECT s.tx_guid FROM splits s JOIN invoices i"
                          " ON s.lot_guid = i.post_lot WHERE i.id = 'EUR1'"
                          " AND s.tx_guid != i.post_txn)");
    uri = bo_test_path("gnucash_bizbad10");
    bo_assert_err(bo_book_import_gnucash(uri, usd, &bo, &go), BO_ENOTSUP);
    ck_assert_msg(strstr(bo_error_message(), "transaction ") &&
                  strstr(bo_error_message(), "in USD") &&
                  strstr(bo_error_message(), "no exchange gain or loss"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    free(usd);
    /* a job whose owner is not in the book */
    char *job = sq_edited("gnucash_job.sqlite",
                          "UPDATE jobs SET owner_guid = 'ffffffffffffffffffffffffffffffff'");
    uri = bo_test_path("gnucash_bizbad9");
    bo_assert_err(bo_book_import_gnucash(uri, job, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "job J0001 'Roof & walls': owner ffff") &&
                  strstr(bo_error_message(), "not a customer or vendor"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* an invoice owned by a job the book does not have */
    char *nojob = sq_edited("gnucash_nojob.sqlite", "DELETE FROM jobs");
    uri = bo_test_path("gnucash_bizbad10");
    bo_assert_err(bo_book_import_gnucash(uri, nojob, &bo, &go), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "invoice 000003: job ") &&
                  strstr(bo_error_message(), "not a job of the book"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    free(fine);
    free(moved);
    free(v);
    free(val);
    free(f32);
    free(q);
    free(cnc);
    free(eur);
    free(job);
    free(nojob);
}
END_TEST

START_TEST(gnucash_sqlite_bad_input_refused)
{
    make_sqlite();
    bo_book_options bo = owner();
    /* a table version this reader does not know */
    char *v = sq_edited("gnucash_v99.sqlite",
                        "UPDATE versions SET table_version = 99 WHERE table_name = 'splits'");
    char *uri = bo_test_path("gnucash_sqbad1");
    bo_assert_err(bo_book_import_gnucash(uri, v, &bo, NULL), BO_ESCHEMA);
    ck_assert_msg(strstr(bo_error_message(), "table splits is at version 99") &&
                  strstr(bo_error_message(), "gnucash_v99.sqlite"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* an amount finer than its currency: named by its transaction's row */
    char *fine = sq_edited("gnucash_fine.sqlite",
                           "UPDATE splits SET value_num = value_num * 10 + 1,"
                           " value_denom = value_denom * 10,"
                           " quantity_num = quantity_num * 10 + 1,"
                           " quantity_denom = quantity_denom * 10"
                           " WHERE rowid = (SELECT min(rowid) FROM splits)");
    uri = bo_test_path("gnucash_sqbad2");
    bo_assert_err(bo_book_import_gnucash(uri, fine, &bo, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "row 1: transaction ") &&
                  strstr(bo_error_message(), "never rounded"), "%s", bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    /* not a GnuCash book: an SQLite file without its tables */
    char *other = sq_edited("gnucash_other.sqlite", "DROP TABLE versions");
    uri = bo_test_path("gnucash_sqbad3");
    bo_assert_err(bo_book_import_gnucash(uri, other, &bo, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "not a GnuCash SQLite book"), "%s",
                  bo_error_message());
    ck_assert(!book_exists(uri));
    free(uri);
    free(v);
    free(fine);
    free(other);
}
END_TEST

/* Importing the same GnuCash book again adds nothing: no entry, no audit
 * record; every account and transaction has its provenance row (system,
 * source book, GnuCash id, digest, our record), covered by the full
 * verification. */
START_TEST(gnucash_reimport_adds_nothing)
{
    make_sqlite();
    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path("gnucash_again");
    bo_assert_ok(bo_book_import_gnucash(uri, made_sq, &bo, &go));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    int64_t entries = entries_of(book), seq, seq2;
    char head[BO_HASH_HEX_SIZE], head2[BO_HASH_HEX_SIZE];
    head_of(book, &seq, head);
    bo_cursor *c;
    bo_assert_ok(bo_book_provenance(book, "gnucash", NULL, &c));
    /* 17 accounts (the root skipped), 77 transactions with the voided one,
     * the documents' postings, the 2 payments, the credit note's link with
     * an invoice and a refund, 2 prices (the EUR rate and
     * the one the EUR invoice was posted at), 3 customers and a vendor, a
     * tax table and its copy, 4 invoices, a bill and 2 credit notes */
    int64_t rows = 0, posted = 0, voided = 0, placeholder = 0, hidden = 0, opening = 0;
    int64_t cleared = 0, prices = 0;
    char source[64] = "";
    while (bo_cursor_next(c) == 0) {
        rows++;
        /* what the chart and the entries have no place for */
        const char *attrs = bo_cursor_text(c, 5);
        placeholder += strstr(attrs, "placeholder") != NULL;
        hidden += strstr(attrs, "hidden") != NULL;
        opening += !strcmp(attrs, "reconcile=yy");
        cleared += !strcmp(attrs, "reconcile=cc");
        if (!strncmp(attrs, "price USD/", 10)) {
            /* the price of a dollar in euros the EUR invoice was posted at:
             * kept, not a rate of the book (the EUR invoice has its own) */
            ck_assert_str_eq(attrs, "price USD/EUR 23/25 2025-03-16 user:invoice-post");
            ck_assert_str_eq(bo_cursor_text(c, 4), "");
            prices++;
        } else if (!strncmp(attrs, "price ", 6)) {
            /* GnuCash's price, exactly; the book's EUR rate of its day */
            ck_assert_str_eq(attrs, "price EUR/USD 10869/10000 1970-01-01 user:price");
            ck_assert_str_eq(bo_cursor_text(c, 4), "rate:EUR:1970-01-01");
            prices++;
        } else if (!bo_cursor_text(c, 4)[0])
            ck_assert_str_eq(attrs, "reconcile=vv void=entered twice");
        snprintf(source, sizeof source, "%s", bo_cursor_text(c, 1));
        ck_assert_uint_eq(strlen(bo_cursor_text(c, 1)), 32);
        ck_assert_uint_eq(strlen(bo_cursor_text(c, 2)), 32);
        ck_assert_uint_eq(strlen(bo_cursor_text(c, 3)), 64);
        posted += !strncmp(bo_cursor_text(c, 4), "entry:", 6) ||
                  !strncmp(bo_cursor_text(c, 4), "payment:", 8);
        voided += !bo_cursor_text(c, 4)[0] && strncmp(attrs, "price ", 6);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 17 + 77 + 2 + 4 + 2 + 7);
    ck_assert_int_eq(prices, 2);
    bo_assert_ok(bo_billing_rates(book, "EUR", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 1), "1970-01-01");
    ck_assert_str_eq(bo_cursor_text(c, 2), "1.0869");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(posted, entries);
    ck_assert_int_eq(voided, 1);
    ck_assert_int_eq(placeholder, 2); /* Assets, Income */
    ck_assert_int_eq(hidden, 1);      /* Travel */
    ck_assert_int_ge(opening, 1);     /* the opening entry, reconciled */
    ck_assert_int_ge(cleared, 1);     /* the travel expenses, cleared */
    bo_assert_ok(bo_book_provenance(book, "gnucash", source, &c));
    ck_assert_int_eq(count_rows(c), rows);
    bo_assert_ok(bo_book_provenance(book, "gnucash", "another", &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_assert_err(bo_book_provenance(book, "", NULL, &c), BO_EINVAL);
    ck_assert_ptr_null(c);
    /* the same file: no difference, nothing written */
    bo_assert_ok(bo_book_gnucash_diff(book, made_sq, &go, &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_book_free(book);
    bo_assert_ok(bo_book_import_gnucash(uri, made_sq, &bo, &go));
    go.write_added = 1;
    bo_assert_ok(bo_book_import_gnucash(uri, made_sq, &bo, &go));
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    ck_assert_int_eq(entries_of(book), entries);
    head_of(book, &seq2, head2);
    ck_assert_int_eq(seq2, seq);
    ck_assert_str_eq(head2, head);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    bo_book_free(book);
    /* the full verification covers the provenance: a row changed outside
     * the library is found, named by its table */
    bo_test_raw_sql(uri, "UPDATE provenance SET record = 'entry:999999'"
                         " WHERE record LIKE 'entry:%' AND object = (SELECT min(object)"
                         " FROM provenance WHERE record LIKE 'entry:%')");
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    bo_assert_err(bo_audit_verify_full(book, NULL, NULL), BO_ECORRUPT);
    ck_assert_msg(strstr(bo_error_message(), "provenance"), "%s", bo_error_message());
    bo_book_free(book);
    free(uri);
}
END_TEST

/* A GnuCash book changed since its import: the new transaction, the
 * changed one and the deleted one are reported by their GnuCash ids with
 * our records; nothing is written unless asked, and then only what is new,
 * only when nothing changed or went missing. */
START_TEST(gnucash_changed_book_reported_as_diff)
{
    make_sqlite();
    static const char NEW[] = "00000000000000000000000000c0ffee";
    static const char ADD[] =
        "INSERT INTO transactions (guid, currency_guid, num, post_date, enter_date, description)"
        " SELECT '00000000000000000000000000c0ffee', currency_guid, num, post_date, enter_date,"
        " 'added later' FROM transactions WHERE rowid = 2;"
        "INSERT INTO splits (guid, tx_guid, account_guid, memo, action, reconcile_state,"
        " reconcile_date, value_num, value_denom, quantity_num, quantity_denom, lot_guid)"
        " SELECT substr(guid, 1, 26) || 'c0ffee', '00000000000000000000000000c0ffee',"
        " account_guid, memo, action, reconcile_state, reconcile_date, value_num, value_denom,"
        " quantity_num, quantity_denom, lot_guid FROM splits"
        " WHERE tx_guid = (SELECT guid FROM transactions WHERE rowid = 2)";
    char *added = sq_edited("gnucash_added.sqlite", ADD);
    char sql[2048];
    snprintf(sql, sizeof sql, "%s;UPDATE transactions SET description = 'renamed' WHERE rowid = 3;"
             "DELETE FROM splits WHERE tx_guid = (SELECT guid FROM transactions WHERE rowid = 4);"
             "DELETE FROM transactions WHERE rowid = 4", ADD);
    char *changed = sq_edited("gnucash_changed.sqlite", sql);
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open(made_sq, &db), SQLITE_OK);
    char guid3[40] = "", guid4[40] = "";
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT rowid, guid FROM transactions WHERE"
                                        " rowid IN (3, 4) ORDER BY rowid", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(guid3, sizeof guid3, "%s", sqlite3_column_text(st, 1));
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    snprintf(guid4, sizeof guid4, "%s", sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);

    bo_book_options bo = owner();
    bo_gnucash_options go = BO_GNUCASH_OPTIONS_INIT;
    go.base_currency = "USD";
    char *uri = bo_test_path("gnucash_diff");
    bo_assert_ok(bo_book_import_gnucash(uri, made_sq, &bo, &go));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    int64_t entries = entries_of(book), seq, seq2;
    char head[BO_HASH_HEX_SIZE], head2[BO_HASH_HEX_SIZE];
    head_of(book, &seq, head);

    /* one new transaction: listed, refused without write_added */
    bo_cursor *c;
    bo_assert_ok(bo_book_gnucash_diff(book, added, &go, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "added");
    ck_assert_str_eq(bo_cursor_text(c, 1), "transaction");
    ck_assert_str_eq(bo_cursor_text(c, 2), NEW);
    ck_assert_str_eq(bo_cursor_text(c, 3), "");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_err(bo_book_import_gnucash(uri, added, &bo, &go), BO_ECONFLICT);
    ck_assert_msg(strstr(bo_error_message(), "1 added, 0 changed, 0 missing") &&
                  strstr(bo_error_message(), NEW) &&
                  strstr(bo_error_message(), "nothing written"), "%s", bo_error_message());
    head_of(book, &seq2, head2);
    ck_assert_int_eq(seq2, seq);
    ck_assert_int_eq(entries_of(book), entries);

    /* changed and missing: named with our records; refused even with
     * write_added, nothing written */
    bo_assert_ok(bo_book_gnucash_diff(book, changed, &go, &c));
    int seen = 0;
    while (bo_cursor_next(c) == 0) {
        const char *ch = bo_cursor_text(c, 0), *id = bo_cursor_text(c, 2);
        ck_assert_str_eq(bo_cursor_text(c, 1), "transaction");
        if (!strcmp(ch, "added")) {
            ck_assert_str_eq(id, NEW);
            seen |= 1;
        } else if (!strcmp(ch, "changed")) {
            ck_assert_str_eq(id, guid3);
            ck_assert_int_eq(strncmp(bo_cursor_text(c, 3), "entry:", 6), 0);
            seen |= 2;
        } else {
            ck_assert_str_eq(ch, "missing");
            ck_assert_str_eq(id, guid4);
            ck_assert_int_eq(strncmp(bo_cursor_text(c, 3), "entry:", 6), 0);
            seen |= 4;
        }
    }
    bo_cursor_free(c);
    ck_assert_int_eq(seen, 7);
    go.write_added = 1;
    bo_assert_err(bo_book_import_gnucash(uri, changed, &bo, &go), BO_ECONFLICT);
    ck_assert_msg(strstr(bo_error_message(), "1 added, 1 changed, 1 missing") &&
                  strstr(bo_error_message(), "changed.sqlite"), "%s", bo_error_message());
    head_of(book, &seq2, head2);
    ck_assert_int_eq(seq2, seq);
    ck_assert_str_eq(head2, head);
    ck_assert_int_eq(entries_of(book), entries);

    /* asked: the new transaction is written, with its provenance; then the
     * same file adds nothing */
    go.write_added = 2;
    bo_assert_err(bo_book_import_gnucash(uri, added, &bo, &go), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "write_added"));
    go.write_added = 1;
    bo_assert_ok(bo_book_import_gnucash(uri, added, &bo, &go));
    ck_assert_int_eq(entries_of(book), entries + 1);
    bo_assert_ok(bo_book_gnucash_diff(book, added, &go, &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_assert_ok(bo_book_import_gnucash(uri, added, &bo, &go));
    ck_assert_int_eq(entries_of(book), entries + 1);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    /* version 1 options: no write_added */
    bo_gnucash_options v1 = BO_GNUCASH_OPTIONS_INIT;
    v1.version = 1;
    v1.write_added = 1; /* not read */
    bo_assert_err(bo_book_import_gnucash(uri, changed, &bo, &v1), BO_ECONFLICT);
    bo_book_free(book);
    free(uri);
    free(added);
    free(changed);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gnucash");
    TCase *tc = tcase_create("gnucash");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, gnucash_balances_equal_gnucash);
    tcase_add_test(tc, gnucash_bad_input_refused);
    tcase_add_test(tc, gnucash_amounts_at_int64_ends);
    tcase_add_test(tc, gnucash_sqlite_balances_equal_gnucash);
    tcase_add_test(tc, gnucash_invoices_equal_gnucash);
    tcase_add_test(tc, gnucash_sqlite_invoices_equal_gnucash);
    tcase_add_test(tc, gnucash_business_bad_input_refused);
    tcase_add_test(tc, gnucash_sqlite_and_xml_same_export);
    tcase_add_test(tc, gnucash_sqlite_bad_input_refused);
    tcase_add_test(tc, gnucash_reimport_adds_nothing);
    tcase_add_test(tc, gnucash_changed_book_reported_as_diff);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
