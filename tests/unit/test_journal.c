/* Plain-text journals in and out. The same book written by hand for
 * hledger, ledger-cli and beancount (tests/data/journal) is imported from
 * each, and every account's balance in every commodity equals what the
 * program itself reports for that file (tests/journal/balances.py runs
 * hledger, ledger or bean-query); total-price postings keep their exact
 * value; comments become memos and the source line the entry's key. The
 * journal we write is read by hledger and ledger, whose balances equal
 * ours. Bad input is refused naming file:line:column, nothing imported. */
#include "testutil.h"
#include "book/transfer.h"

#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef BO_JOURNAL_DATA
#error "BO_JOURNAL_DATA: the folder of the sample journals"
#endif
#ifndef BO_JOURNAL_BALANCES
#error "BO_JOURNAL_BALANCES: the script that asks the programs for balances"
#endif

static bo_book_options owner(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return o;
}

static int book_exists(const char *uri)
{
    bo_book *b = NULL;
    bo_book_options o = owner();
    int rc = bo_book_open(&b, uri, &o);
    bo_book_free(b);
    return rc == 0;
}

/* "4203.13" at exp decimals as minor units. */
static int64_t minor_of(const char *s, int exp)
{
    int neg = *s == '-';
    s += neg;
    int64_t v = 0;
    int dec = -1;
    for (; *s; s++) {
        if (*s == '.') {
            dec = 0;
            continue;
        }
        v = v * 10 + (*s - '0');
        if (dec >= 0)
            dec++;
    }
    if (dec < 0)
        dec = 0;
    ck_assert_int_le(dec, exp);
    for (; dec < exp; dec++)
        v *= 10;
    return neg ? -v : v;
}

/* Every balance tool reports for file equals bo_ledger_balance() of the
 * book at uri; returns how many were compared. */
static int compare_with(const char *tool, const char *file, bo_book *book)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 '%s' %s '%s'", BO_JOURNAL_BALANCES, tool, file);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof line, p)) {
        char *acct = strtok(line, "\t"), *cur = strtok(NULL, "\t"), *amt = strtok(NULL, "\n");
        ck_assert_ptr_nonnull(amt);
        int exp;
        bo_assert_ok(bo_currency_exponent(cur, &exp));
        int64_t want = minor_of(amt, exp), have = 0;
        bo_assert_ok(bo_ledger_balance(book, acct, BO_DATE_MAX, cur, &have));
        ck_assert_msg(have == want, "%s: %s %s: %s says %lld minor units, the book %lld", file,
                      acct, cur, tool, (long long)want, (long long)have);
        n++;
    }
    ck_assert_int_eq(pclose(p), 0);
    return n;
}

static bo_book *import(const char *stem, const char *file, int dialect)
{
    char *uri = bo_test_path(stem);
    bo_book_options bo = owner();
    bo_journal_options jo;
    bo_assert_ok(bo_journal_options_init(&jo, BO_JOURNAL_OPTIONS_VERSION));
    jo.dialect = dialect;
    bo_assert_ok(bo_book_import_journal(uri, file, &bo, &jo));
    bo_book *book;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    free(uri);
    return book;
}

START_TEST(journal_hledger_balances_equal_hledger)
{
    bo_book *b = import("jr_h", BO_JOURNAL_DATA "/sample.journal", BO_JOURNAL_AUTO);
    ck_assert_str_eq(bo_book_base_currency(b), "USD");
    ck_assert_int_eq(compare_with("hledger", BO_JOURNAL_DATA "/sample.journal", b), 20);
    /* the book is whole: its chain vouches for every row, the commodity
     * AAPL's scale (0 decimals) recorded with it */
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST

START_TEST(journal_ledger_balances_equal_ledger)
{
    bo_book *b = import("jr_l", BO_JOURNAL_DATA "/sample.ledger", BO_JOURNAL_LEDGER);
    ck_assert_int_eq(compare_with("ledger", BO_JOURNAL_DATA "/sample.ledger", b), 20);
    bo_book_free(b);
}
END_TEST

START_TEST(journal_beancount_balances_equal_bean_query)
{
    bo_book *b = import("jr_b", BO_JOURNAL_DATA "/sample.beancount", BO_JOURNAL_AUTO);
    ck_assert_int_eq(compare_with("beancount", BO_JOURNAL_DATA "/sample.beancount", b), 20);
    /* and each equals hledger's figures for the hledger file */
    ck_assert_int_eq(compare_with("hledger", BO_JOURNAL_DATA "/sample.journal", b), 20);
    bo_book_free(b);
}
END_TEST

/* The row of entry id's posting to account, from bo_ledger_entry(). */
static int posting_of(bo_book *b, int64_t id, const char *account, int64_t *amount,
                      int64_t *base, char *memo, char *key, char *line_memo)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_entry(b, id, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0) {
        if (strcmp(bo_cursor_text(c, 6), account))
            continue;
        *amount = bo_cursor_int(c, 7);
        *base = bo_cursor_type(c, 10) == BO_TYPE_NULL ? -1 : bo_cursor_int(c, 10);
        snprintf(memo, 256, "%s", bo_cursor_text(c, 2));
        snprintf(key, 256, "%s", !bo_cursor_text(c, 3) ? "" : bo_cursor_text(c, 3));
        snprintf(line_memo, 256, "%s", !bo_cursor_text(c, 9) ? "" : bo_cursor_text(c, 9));
        found = 1;
    }
    bo_cursor_free(c);
    return found;
}

START_TEST(journal_costs_memos_and_provenance_kept)
{
    static const struct { const char *file; int dialect; const char *key4, *memo2; } dial[] = {
        { "/sample.journal", BO_JOURNAL_HLEDGER, "hledger:sample.journal:20",
          "Groceries ; receipt: 4711" },
        { "/sample.ledger", BO_JOURNAL_LEDGER, "ledger:sample.ledger:19",
          "Groceries ; receipt: 4711" },
        { "/sample.beancount", BO_JOURNAL_BEANCOUNT, "beancount:sample.beancount:34",
          "Grocer | Groceries ; receipt: \"4711\"" },
    };
    for (size_t d = 0; d < sizeof dial / sizeof dial[0]; d++) {
        char path[1024];
        snprintf(path, sizeof path, "%s%s", BO_JOURNAL_DATA, dial[d].file);
        bo_book *b = import("jr_c", path, dial[d].dialect);
        int64_t amount, base;
        char memo[256], key[256], lm[256];
        /* entry 4: 3 AAPL @@ $560.00, exactly */
        ck_assert(posting_of(b, 4, "Assets:Broker", &amount, &base, memo, key, lm));
        ck_assert_int_eq(amount, 3);
        ck_assert_int_eq(base, 56000);
        ck_assert_str_eq(key, dial[d].key4);
        ck_assert(posting_of(b, 4, "Assets:Bank:Checking", &amount, &base, memo, key, lm));
        ck_assert_int_eq(amount, -56000);
        /* entry 3: 10 AAPL at 185.25 each */
        ck_assert(posting_of(b, 3, "Assets:Broker", &amount, &base, memo, key, lm));
        ck_assert_int_eq(base, 185250);
        /* entry 2: comments and metadata as memos */
        ck_assert(posting_of(b, 2, "Expenses:Food", &amount, &base, memo, key, lm));
        ck_assert_str_eq(memo, dial[d].memo2);
        ck_assert_str_eq(lm, "weekly shop");
        ck_assert_int_eq(base, 8437); /* a book-currency posting: its own value */
        bo_book_free(b);
    }
}
END_TEST

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(journal_bad_input_refused)
{
    static const struct {
        const char *ext, *text;
        int code;
        const char *where, *what;
    } bad[] = {
        { "journal", "2024-01-01 x\n    Assets:A  $1.005\n    Equity:B\n", BO_EINVAL, ":2:15:",
          "finer than USD" },
        { "journal", "2024-01-01 x\n    Assets:A  $1.00\n    Equity:B  $-1.01\n",
          BO_EUNBALANCED, ":1:1:", "-0.01 USD" },
        { "journal", "2024-01-01 x\n    Assets:A  $1.00 = $2.00\n    Equity:B\n",
          BO_EUNBALANCED, ":2:23:", "Assets:A holds 1.00 USD" },
        { "journal", "2024-01-01 x\n    Stuff:A  $1.00\n    Equity:B\n", BO_EINVAL, ":2:5:",
          "first part 'Stuff'" },
        { "journal", "2024-13-01 x\n    Assets:A  $1.00\n    Equity:B\n", BO_EINVAL, ":1:1:",
          "date" },
        { "journal", "2024-01-01 x\n    (Assets:A)  $1.00\n    Equity:B\n", BO_ENOTSUP, ":2:5:",
          "virtual" },
        { "journal", "\nfrobnicate all\n", BO_EINVAL, ":2:1:", "directive" },
        { "journal", "2024-01-01 x\n    Assets:A  1.00\n    Equity:B\n", BO_EINVAL, ":2:15:",
          "no commodity" },
        { "journal", "2024-01-01 x\n    Assets:A  5 ab\n    Equity:B\n", BO_ECURRENCY,
          ":2:17:", "'ab'" },
        { "ledger", "2024/01/01 x\n    Assets:A  $1\n    Assets:B\n    Equity:C\n", BO_EINVAL,
          ":4:5:", "second posting without" },
#define OPEN "2024-01-01 open Assets:A\n2024-01-01 open Equity:B\n"
        { "beancount", OPEN "2024-01-01 * \"x\"\n  Assets:A  1.005 USD\n  Equity:B\n", BO_EINVAL,
          ":4:13:", "finer than USD" },
        { "beancount", OPEN "2024-01-01 * \"x\"\n  Assets:A  1.00 USD\n  Equity:B\n"
                       "2024-01-02 balance Assets:A  2.00 USD\n", BO_EUNBALANCED, ":6:30:",
          "Assets:A holds 1.00 USD on 2024-01-02 (before that day), not 2.00 USD" },
        { "beancount", OPEN "2024-01-01 * \"x\"\n  Assets:A  1.00 USD\n  Equity:B\n"
                       "2024-01-01 balance Assets:A  1.00 USD\n", BO_EUNBALANCED, ":6:30:",
          "holds 0.00 USD" },
        { "beancount", "2024-01-01 pad Assets:A Equity:B\n", BO_ENOTSUP, ":1:12:", "pad" },
        { "beancount", "2024-01-01 * \"x\n", BO_EINVAL, ":1:14:", "quote" },
        { "beancount", OPEN "2024-01-01 * \"x\"\n  Assets:B  1.00 USD\n  Equity:B\n",
          BO_EINVAL, ":4:3:", "'Assets:B' is not opened" },
        { "beancount", OPEN "2024-01-01 * \"x\"\n  Assets:A  1.00 USD\n  Equity:B  -1.01 USD\n",
          BO_EUNBALANCED, ":3:1:", "-0.01 USD" },
#undef OPEN
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char stem[64];
        snprintf(stem, sizeof stem, "bad%zu.%s", i, bad[i].ext);
        char *file = bo_test_file(stem), *uri = bo_test_path("jr_bad");
        write_file(file, bad[i].text);
        bo_book_options bo = owner();
        bo_journal_options jo = BO_JOURNAL_OPTIONS_INIT;
        jo.dialect = !strcmp(bad[i].ext, "beancount") ? BO_JOURNAL_BEANCOUNT
                   : !strcmp(bad[i].ext, "ledger")    ? BO_JOURNAL_LEDGER
                                                      : BO_JOURNAL_HLEDGER;
        int rc = bo_book_import_journal(uri, file, &bo, &jo);
        ck_assert_msg(rc == bad[i].code, "case %zu: %d (%s)", i, rc, bo_error_message());
        char where[1200];
        snprintf(where, sizeof where, "%s%s", file, bad[i].where);
        ck_assert_msg(strstr(bo_error_message(), where) && strstr(bo_error_message(), bad[i].what),
                      "case %zu: %s", i, bo_error_message());
        ck_assert_msg(!book_exists(uri), "case %zu: a book was made", i);
        free(file);
        free(uri);
    }
    /* a good file into a store whose book has accounts: nothing added */
    bo_book *b = bo_test_book("jr_full");
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_book_options bo = owner();
    bo_assert_err(bo_book_import_journal(bo_book_uri(b), BO_JOURNAL_DATA "/sample.journal", &bo,
                                         NULL), BO_EEXISTS);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_trial_balance(b, BO_DATE_MAX, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_book_free(b);
    /* options */
    bo_journal_options jo;
    bo_assert_err(bo_journal_options_init(&jo, 99), BO_EINVAL);
    bo_assert_ok(bo_journal_options_init(&jo, BO_JOURNAL_OPTIONS_VERSION));
    jo.dialect = 7;
    char *uri = bo_test_path("jr_opt");
    bo_assert_err(bo_book_import_journal(uri, BO_JOURNAL_DATA "/sample.journal", &bo, &jo),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "dialect"));
    bo_assert_err(bo_book_import_journal(uri, BO_JOURNAL_DATA "/none.journal", &bo, NULL),
                  BO_EIO);
    ck_assert(!book_exists(uri));
    free(uri);
}
END_TEST

START_TEST(journal_export_read_by_hledger_and_ledger)
{
    /* the imported book out, read by both programs, and back in */
    bo_book *b = import("jr_x", BO_JOURNAL_DATA "/sample.journal", BO_JOURNAL_AUTO);
    char *out = bo_test_file("out.journal");
    bo_assert_ok(bo_book_export_journal(b, out, NULL));
    ck_assert_int_eq(compare_with("hledger", out, b), 20);
    ck_assert_int_eq(compare_with("ledger", out, b), 20);
    /* beancount: bean-check accepts the file, bean-query's balances are ours */
    char *bean = bo_test_file("out.beancount");
    bo_journal_options bj = BO_JOURNAL_OPTIONS_INIT;
    bj.dialect = BO_JOURNAL_BEANCOUNT;
    bo_assert_ok(bo_book_export_journal(b, bean, &bj));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "bean-check '%s'", bean);
    ck_assert_int_eq(system(cmd), 0);
    ck_assert_int_eq(compare_with("beancount", bean, b), 20);
    free(bean);
    bo_book *again = import("jr_x2", out, BO_JOURNAL_AUTO);
    ck_assert_int_eq(compare_with("hledger", BO_JOURNAL_DATA "/sample.journal", again), 20);
    bo_book_free(again);
    bo_book_free(b);

    /* a book of our own: codes, a foreign sale valued in the book currency */
    b = bo_test_book("jr_own");
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "1100", "Receivables EUR", BO_ACCOUNT_ASSET, NULL,
                                       "EUR"));
    bo_assert_ok(bo_ledger_account_add(b, "1100.1", "Sub", BO_ACCOUNT_ASSET, "1100", "EUR"));
    bo_assert_ok(bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "7000", "Yen costs", BO_ACCOUNT_EXPENSE, NULL, "JPY"));
    bo_assert_ok(bo_ledger_account_add(b, "2000", "Yen debt", BO_ACCOUNT_LIABILITY, NULL, "JPY"));
    bo_entry *e;
    bo_date d;
    bo_assert_ok(bo_date_parse("2024-03-01", &d));
    bo_assert_ok(bo_entry_new(&e, d, "Sale to Lyon"));
    bo_assert_ok(bo_entry_add_base(e, "1100.1", 10000, "EUR", 10873, "invoice 7"));
    bo_assert_ok(bo_entry_add(e, "4000", -10873, "USD", NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, d + 1, "Cash sale"));
    bo_assert_ok(bo_entry_add(e, "1000", 2550, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -2550, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "7000", 1500, "JPY", "yen"));
    bo_assert_ok(bo_entry_add(e, "2000", -1500, "JPY", NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
    char *own = bo_test_file("own.journal");
    bo_assert_ok(bo_book_export_journal(b, own, NULL));
    ck_assert_int_eq(compare_with("hledger", own, b), 5);
    ck_assert_int_eq(compare_with("ledger", own, b), 5);
    /* what the programs read is exact: the sale's value survives */
    FILE *f = fopen(own, "r");
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "    1100.1  100.00 EUR @@ 108.73 USD  ; invoice 7\n"));
    ck_assert_ptr_nonnull(strstr(text, "    7000  1500 JPY  ; yen\n"));

    /* refused: a code a journal line cannot hold */
    bo_assert_ok(bo_ledger_account_add(b, "9;9", "Odd", BO_ACCOUNT_EXPENSE, NULL, NULL));
    char *bad = bo_test_file("bad.journal");
    bo_assert_err(bo_book_export_journal(b, bad, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "account '9;9'"));
    ck_assert_int_ne(access(bad, F_OK), 0);
    /* in beancount the same book is written (codes under their type's root,
     * "Assets:1100-1"), and bean-check accepts it */
    bo_journal_options jo = BO_JOURNAL_OPTIONS_INIT;
    jo.dialect = BO_JOURNAL_BEANCOUNT;
    char *ownb = bo_test_file("own.beancount");
    bo_assert_ok(bo_book_export_journal(b, ownb, &jo));
    char cmd2[4096];
    snprintf(cmd2, sizeof cmd2, "bean-check '%s'", ownb);
    ck_assert_int_eq(system(cmd2), 0);
    f = fopen(ownb, "r");
    n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    ck_assert_ptr_nonnull(strstr(text, "    Assets:1100-1  100.00 EUR @@ 108.73 USD  ; invoice 7\n"));
    ck_assert_ptr_nonnull(strstr(text, "open Expenses:9-9 USD\n"));
    free(ownb);
    bo_book_free(b);
    free(out);
    free(own);
    free(bad);
}
END_TEST

START_TEST(journal_check_counts)
{
    static const char text[] =
        "2024-01-01 open Assets:A\n2024-01-01 open Assets:A:C\n2024-01-01 open Equity:B\n"
        "2024-01-01 * \"a\"\n  Assets:A  1 USD\n  Equity:B\n\n"
        "2024-01-02 * \"b\"\n  Assets:A:C  2 USD\n  Equity:B\n";
    int64_t accounts = -1, entries = -1;
    bo_assert_ok(bo__journal_check(text, sizeof text - 1, BO_JOURNAL_BEANCOUNT, &accounts,
                                   &entries));
    ck_assert_int_eq(accounts, 5); /* Assets, Assets:A, Equity, Equity:B, Assets:A:C */
    ck_assert_int_eq(entries, 2);
    bo_assert_err(bo__journal_check("x", 1, BO_JOURNAL_HLEDGER, NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "journal:1:1:"));
}
END_TEST

START_TEST(journal_opening_csv_onboards)
{
    bo_book *b = bo_test_book("jr_csv");
    bo_assert_ok(bo_ledger_account_add(b, "1000", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_date d;
    bo_assert_ok(bo_date_parse("2025-01-01", &d));
    char *f = bo_test_file("opening.csv");
    write_file(f, "code,name,type,parent,currency,balance\r\n"
                  "1000,,,,,\"1,250.50\"\r\n"
                  "1100,Euro bank,asset,,EUR,300\n"
                  "1200,\"Stock, at cost\",asset,1100,EUR,-0.25\n"
                  "\n"
                  "3000,Opening balances,equity,,,-1250.50\n"
                  "3100,Opening EUR,equity,,EUR,-299.75\n"
                  "4000,Sales,income,,,\n");
    bo_assert_ok(bo_book_import_opening_csv(b, f, d, NULL));
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 125050);
    bo_assert_ok(bo_ledger_balance(b, "1100", BO_DATE_MAX, "EUR", &v));
    ck_assert_int_eq(v, 29975); /* with its sub-account 1200 */
    bo_assert_ok(bo_ledger_balance(b, "3100", BO_DATE_MAX, "EUR", &v));
    ck_assert_int_eq(v, -29975);
    bo_assert_ok(bo_ledger_balance(b, "4000", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 0);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_entry(b, 1, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 2), "opening balances");
    ck_assert_str_eq(bo_cursor_text(c, 1), "2025-01-01");
    bo_cursor_free(c);
    free(f);

    static const struct { const char *text; int code; const char *what; } bad[] = {
        { "code,balance\n1000,1.005\n3000,-1.005\n", BO_EINVAL,
          ":2: column 'balance': '1.005' is finer" },
        { "code,name,type,balance\n5000,X,expense,1\n", BO_EUNBALANCED,
          "the USD balances sum to 1.00 USD" },
        { "code,name,type\n5000,X,cost\n", BO_EINVAL, ":2: column 'type'" },
        { "code,name,type,parent\n5000,X,expense,9999\n", BO_EINVAL, ":2: column 'parent'" },
        { "code,name,type\n5000,,expense\n", BO_EINVAL, ":2: column 'name'" },
        { "code,name,kind\n", BO_EINVAL, ":1: column 3 'kind'" },
        { "code,currency,balance\n1000,EUR,1\n", BO_ECURRENCY, "kept in USD, not EUR" },
        { "code,name,type\n5000,X,expense\n5000,Y,expense\n", BO_EEXISTS,
          ":3: column 'code'" },
        { "code,name\n\"5000,X\n", BO_EINVAL, "the quote is not closed" },
        { "code,name,type\n5000,X,expense,extra\n", BO_EINVAL, "more than the header" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = bo_test_file("bad.csv");
        write_file(f, bad[i].text);
        int rc = bo_book_import_opening_csv(b, f, d, "x");
        ck_assert_msg(rc == bad[i].code, "case %zu: %d %s", i, rc, bo_error_message());
        ck_assert_msg(strstr(bo_error_message(), bad[i].what) &&
                      strstr(bo_error_message(), f), "case %zu: %s", i, bo_error_message());
        free(f);
    }
    /* nothing of the refused files was written */
    bo_assert_err(bo_ledger_balance(b, "5000", BO_DATE_MAX, NULL, &v), BO_ENOTFOUND);
    bo_assert_ok(bo_ledger_journal(b, NULL, BO_DATE_MIN, BO_DATE_MAX, &c));
    int rows = 0;
    while (bo_cursor_next(c) == 0)
        rows++;
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 5);
    bo_assert_err(bo_book_import_opening_csv(b, "/nonexistent/x.csv", d, NULL), BO_EIO);
    bo_book_free(b);
}
END_TEST

/* ---- importing again: the provenance ---------------------------------- */

static int64_t seq_of(bo_book *b)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    return seq;
}

static int64_t rows_of(bo_cursor *c)
{
    int64_t n = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return n;
}

/* A copy of the sample with its name kept (the provenance's source), one
 * description changed (from -> to) and text appended. */
static char *changed_copy(const char *name, const char *from, const char *to,
                          const char *append)
{
    char src[1024], *dir = bo_test_file("jr_changed"), *path;
    snprintf(src, sizeof src, "%s/%s", BO_JOURNAL_DATA, name);
    mkdir(dir, 0700);
    FILE *f = fopen(src, "r");
    ck_assert_ptr_nonnull(f);
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    ck_assert_ptr_nonnull(at);
    size_t len = strlen(dir) + strlen(name) + 2;
    path = malloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fputs(append, f);
    fclose(f);
    free(dir);
    return path;
}

/* The same journal imported again adds nothing (the chain does not move,
 * the balances stay the program's); each account and transaction has its
 * provenance row; a changed journal is refused with its diff, nothing
 * written; bo_book_journal_diff names what changed. For the three
 * programs' files. */
START_TEST(journal_reimport_adds_nothing_and_changes_are_a_diff)
{
    const struct {
        const char *file, *tool, *system, *from, *to, *append;
        int dialect;
    } cases[] = {
        { "sample.journal", "hledger", "hledger", "15 Salary", "15 Salary for January",
          "\n2024-03-01 Coffee\n    Expenses:Food  $3.00\n    Assets:Cash\n",
          BO_JOURNAL_AUTO },
        { "sample.ledger", "ledger", "ledger", "15 Salary", "15 Salary for January",
          "\n2024/03/01 Coffee\n    Expenses:Food  $3.00\n    Assets:Cash\n",
          BO_JOURNAL_LEDGER },
        { "sample.beancount", "beancount", "beancount", "\"Salary\"", "\"Salary for January\"",
          "\n2024-03-01 * \"Coffee\"\n  Expenses:Food  3.00 USD\n  Assets:Cash\n",
          BO_JOURNAL_AUTO },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char file[1024], stem[32];
        snprintf(file, sizeof file, "%s/%s", BO_JOURNAL_DATA, cases[i].file);
        snprintf(stem, sizeof stem, "jr_again_%zu", i);
        char *uri = bo_test_path(stem);
        bo_book_options bo = owner();
        bo_journal_options jo;
        bo_assert_ok(bo_journal_options_init(&jo, BO_JOURNAL_OPTIONS_VERSION));
        jo.dialect = cases[i].dialect;
        bo_assert_ok(bo_book_import_journal(uri, file, &bo, &jo));
        bo_book *b;
        bo_assert_ok(bo_book_open(&b, uri, &bo));
        int64_t seq = seq_of(b), accounts = 0, entries = 0;
        bo_cursor *c;
        bo_assert_ok(bo_ledger_accounts(b, &c));
        accounts = rows_of(c);
        bo_assert_ok(bo_ledger_journal(b, NULL, BO_DATE_MIN, BO_DATE_MAX, &c));
        int64_t last = -1;
        while (bo_cursor_next(c) == 0) {
            entries += bo_cursor_int(c, 0) != last;
            last = bo_cursor_int(c, 0);
        }
        bo_cursor_free(c);
        /* a row per account and per transaction, each entry's named */
        bo_assert_ok(bo_book_provenance(b, cases[i].system, cases[i].file, &c));
        int64_t rows = 0, with_entry = 0;
        while (bo_cursor_next(c) == 0) {
            rows++;
            with_entry += !strncmp(bo_cursor_text(c, 4), "entry:", 6);
        }
        bo_cursor_free(c);
        ck_assert_int_eq(with_entry, entries);
        ck_assert_int_ge(rows, accounts + entries);
        /* again: nothing added, no difference */
        bo_assert_ok(bo_book_import_journal(uri, file, &bo, &jo));
        ck_assert_int_eq(seq_of(b), seq);
        bo_assert_ok(bo_book_journal_diff(b, file, &jo, &c));
        ck_assert_int_eq(rows_of(c), 0);
        ck_assert_int_eq(compare_with(cases[i].tool, file, b), 20);
        /* changed: one transaction's description, one new */
        char *changed = changed_copy(cases[i].file, cases[i].from, cases[i].to,
                                     cases[i].append);
        bo_assert_ok(bo_book_journal_diff(b, changed, &jo, &c));
        int n = 0, added = 0, diffed = 0;
        while (bo_cursor_next(c) == 0) {
            n++;
            const char *change = bo_cursor_text(c, 0);
            ck_assert_str_eq(bo_cursor_text(c, 1), "transaction");
            if (!strcmp(change, "added")) {
                added++;
                ck_assert_str_eq(bo_cursor_text(c, 2), "tx:2024-03-01#1");
                ck_assert_str_eq(bo_cursor_text(c, 3), "");
            } else {
                ck_assert_str_eq(change, "changed");
                diffed++;
                ck_assert_str_eq(bo_cursor_text(c, 2), "tx:2024-01-15#1");
                ck_assert_int_eq(strncmp(bo_cursor_text(c, 3), "entry:", 6), 0);
            }
        }
        bo_cursor_free(c);
        ck_assert_int_eq(n, 2);
        ck_assert_int_eq(added, 1);
        ck_assert_int_eq(diffed, 1);
        bo_assert_err(bo_book_import_journal(uri, changed, &bo, &jo), BO_ECONFLICT);
        ck_assert_msg(strstr(bo_error_message(), "1 added, 1 changed, 0 missing"), "%s",
                      bo_error_message());
        ck_assert_ptr_nonnull(strstr(bo_error_message(), cases[i].file));
        ck_assert_int_eq(seq_of(b), seq);
        ck_assert_int_eq(compare_with(cases[i].tool, file, b), 20);
        unlink(changed);
        free(changed);
        bo_book_free(b);
        free(uri);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("journal");
    TCase *tc = tcase_create("journal");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, journal_hledger_balances_equal_hledger);
    tcase_add_test(tc, journal_ledger_balances_equal_ledger);
    tcase_add_test(tc, journal_beancount_balances_equal_bean_query);
    tcase_add_test(tc, journal_costs_memos_and_provenance_kept);
    tcase_add_test(tc, journal_bad_input_refused);
    tcase_add_test(tc, journal_export_read_by_hledger_and_ledger);
    tcase_add_test(tc, journal_check_counts);
    tcase_add_test(tc, journal_opening_csv_onboards);
    tcase_add_test(tc, journal_reimport_adds_nothing_and_changes_are_a_diff);
    suite_add_tcase(s, tc);
    SRunner *r = srunner_create(s);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
