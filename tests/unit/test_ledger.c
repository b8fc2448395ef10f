/* The ledger through the public API: posting, the bad-input catalogue,
 * reversals, periods, balances, statements. */
#include "testutil.h"
#include "core/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;

static void setup(void)
{
    book = bo_test_book("ledger");
    bo_test_chart(book);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t balance(const char *account, const char *date)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, D(date), NULL, &v));
    return v;
}

static int64_t count_rows(bo_cursor *c)
{
    int64_t n = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return n;
}

static int64_t audit_seq(void)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &seq, hex, sizeof hex));
    return seq;
}

/* Nothing changed: same audit head and same cash balance. */
#define assert_unchanged(seq0, cash0) do { \
    ck_assert_int_eq(audit_seq(), (seq0)); \
    ck_assert_int_eq(balance("1000", "9999-12-31"), (cash0)); \
} while (0)

START_TEST(post_and_balance)
{
    int64_t id = bo_test_post2(book, "2026-01-05", "1000", "4000", 12345);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(balance("1000", "2026-01-05"), 12345);
    ck_assert_int_eq(balance("1000", "2026-01-04"), 0);
    ck_assert_int_eq(balance("4000", "2026-12-31"), -12345);
    bo_test_post2(book, "2026-01-06", "1000", "4010", 100);
    /* 4000 rolls up its child 4010 */
    ck_assert_int_eq(balance("4000", "2026-12-31"), -12445);
    ck_assert_int_eq(balance("4010", "2026-12-31"), -100);
}
END_TEST

START_TEST(backdated_posting_shifts_later_days)
{
    bo_test_post2(book, "2026-03-01", "1000", "4000", 500);
    bo_test_post2(book, "2026-05-01", "1000", "4000", 700);
    bo_test_post2(book, "2026-02-01", "1000", "4000", 11); /* back-dated */
    bo_test_post2(book, "2026-03-01", "1000", "4000", 3);  /* same day as a row */
    ck_assert_int_eq(balance("1000", "2026-01-31"), 0);
    ck_assert_int_eq(balance("1000", "2026-02-01"), 11);
    ck_assert_int_eq(balance("1000", "2026-03-01"), 514);
    ck_assert_int_eq(balance("1000", "2026-04-30"), 514);
    ck_assert_int_eq(balance("1000", "2026-05-01"), 1214);
}
END_TEST

START_TEST(idempotent_replay)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-05"), "sale"));
    bo_assert_ok(bo_entry_set_key(e, "till-1/receipt-42"));
    bo_assert_ok(bo_entry_add(e, "1000", 999, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -999, NULL, NULL));
    int64_t id1, id2, id3;
    bo_assert_ok(bo_ledger_post(book, e, &id1));
    int64_t seq = audit_seq();
    bo_assert_ok(bo_ledger_post(book, e, &id2));
    bo_assert_ok(bo_ledger_post(book, e, &id3));
    ck_assert_int_eq(id1, id2);
    ck_assert_int_eq(id1, id3);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 999);
    ck_assert_int_eq(audit_seq(), seq);
    bo_entry_free(e);
    /* same key, other content */
    bo_assert_ok(bo_entry_new(&e, D("2026-01-05"), "sale"));
    bo_assert_ok(bo_entry_set_key(e, "till-1/receipt-42"));
    bo_assert_ok(bo_entry_add(e, "1000", 1000, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -1000, NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, &id2), BO_EKEYREUSE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "key"));
    bo_entry_free(e);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 999);
}
END_TEST

/* ---- the bad-input catalogue: a specific code, a message naming the field,
 *      and nothing changed ---------------------------------------------- */

static int post_lines(const char *date, const char *a1, int64_t v1,
                      const char *a2, int64_t v2)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D(date), "bad"));
    int rc = bo_entry_add(e, a1, v1, NULL, NULL);
    if (!rc)
        rc = bo_entry_add(e, a2, v2, NULL, NULL);
    if (!rc)
        rc = bo_ledger_post(book, e, NULL);
    bo_entry_free(e);
    return rc;
}

START_TEST(bad_unbalanced)
{
    bo_test_post2(book, "2026-01-01", "1000", "3000", 100);
    int64_t seq = audit_seq(), cash = balance("1000", "9999-12-31");
    bo_assert_err(post_lines("2026-01-02", "1000", 10000, "4000", -9999), BO_EUNBALANCED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "USD"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "0.01"));
    assert_unchanged(seq, cash);
}
END_TEST

START_TEST(bad_unknown_account)
{
    int64_t seq = audit_seq();
    bo_assert_err(post_lines("2026-01-02", "1000", 5, "9999", -5), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "posting 2"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "9999"));
    assert_unchanged(seq, 0);
}
END_TEST

START_TEST(bad_closed_account)
{
    bo_assert_ok(bo_ledger_account_close(book, "5000"));
    int64_t seq = audit_seq();
    bo_assert_err(post_lines("2026-01-02", "5000", 5, "1000", -5), BO_ECLOSED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'5000'"));
    assert_unchanged(seq, 0);
    bo_assert_err(bo_ledger_account_close(book, "nope"), BO_ENOTFOUND);
}
END_TEST

START_TEST(bad_closed_period)
{
    bo_assert_ok(bo_ledger_period_add(book, "2026-01", D("2026-01-01"), D("2026-01-31")));
    bo_assert_ok(bo_ledger_period_add(book, "2026-02", D("2026-02-01"), D("2026-02-28")));
    bo_test_post2(book, "2026-01-10", "1000", "4000", 50);
    bo_assert_ok(bo_ledger_period_close(book, "2026-01"));
    int64_t seq = audit_seq();
    bo_assert_err(post_lines("2026-01-31", "1000", 5, "4000", -5), BO_EPERIOD);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "2026-01"));
    assert_unchanged(seq, 50);
    bo_test_post2(book, "2026-02-01", "1000", "4000", 1); /* next one is open */
    bo_assert_err(bo_ledger_period_close(book, "2026-01"), BO_ESTATE);
    bo_assert_err(bo_ledger_period_add(book, "x", D("2026-02-15"), D("2026-03-15")),
                  BO_EEXISTS);
    bo_assert_err(bo_ledger_period_add(book, "y", D("2026-05-15"), D("2026-03-15")),
                  BO_EINVAL);
    ck_assert_int_eq(count_rows(({ bo_cursor *c; bo_assert_ok(bo_ledger_periods(book, &c)); c; })), 2);
}
END_TEST

START_TEST(bad_amount_overflow)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-02"), "big"));
    bo_assert_ok(bo_entry_add(e, "1000", INT64_MAX, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1100", 1, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", INT64_MIN, NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "posting 2"));
    bo_entry_free(e);
    /* balances that would overflow across entries */
    bo_assert_ok(bo_entry_new(&e, D("2026-01-02"), "max"));
    bo_assert_ok(bo_entry_add(e, "1000", INT64_MAX, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -INT64_MAX, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, NULL));
    int64_t seq = audit_seq();
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'1000'"));
    bo_entry_free(e);
    assert_unchanged(seq, INT64_MAX);
}
END_TEST

START_TEST(bad_currency)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-02"), "x"));
    bo_assert_err(bo_entry_add(e, "1000", 5, "XYZ", NULL), BO_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "posting 1"));
    bo_assert_err(bo_entry_add(e, "1000", 5, "usd", NULL), BO_ECURRENCY);
    bo_assert_ok(bo_entry_add(e, "1000", 5, "EUR", NULL)); /* valid code, wrong account */
    bo_assert_ok(bo_entry_add(e, "4000", -5, "EUR", NULL));
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "EUR"));
    bo_entry_free(e);
    bo_assert_err(bo_ledger_account_add(book, "1200", "X", BO_ACCOUNT_ASSET, NULL, "ZZZ"),
                  BO_ECURRENCY);
    bo_assert_err(bo_ledger_balance(book, "1000", D("2026-01-01"), "QQQ", &(int64_t){0}),
                  BO_ECURRENCY);
}
END_TEST

START_TEST(bad_utf8_and_lengths)
{
    bo_entry *e;
    bo_assert_err(bo_entry_new(&e, D("2026-01-02"), "caf\xc3"), BO_EUTF8);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "memo"));
    bo_assert_err(bo_entry_new(&e, D("2026-01-02"), "\xc0\xaf overlong"), BO_EUTF8);
    bo_assert_err(bo_entry_new(&e, D("2026-01-02"), "\xed\xa0\x80 surrogate"), BO_EUTF8);
    char *big = malloc(BO_TEXT_MAX + 2);
    memset(big, 'a', BO_TEXT_MAX + 1);
    big[BO_TEXT_MAX + 1] = '\0';
    bo_assert_err(bo_entry_new(&e, D("2026-01-02"), big), BO_ETOOLONG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "memo"));
    big[BO_TEXT_MAX] = '\0'; /* exactly the limit is fine */
    bo_assert_ok(bo_entry_new(&e, D("2026-01-02"), big));
    bo_assert_err(bo_entry_set_key(e, ""), BO_EINVAL);
    bo_assert_err(bo_entry_add(e, "1000", 0, NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    bo_assert_err(bo_entry_add(e, big, 1, NULL, NULL), BO_ETOOLONG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "account"));
    bo_assert_ok(bo_entry_add(e, "1000", 1, NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_EINVAL); /* one posting */
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "at least 2"));
    bo_entry_free(e);
    bo_assert_err(bo_ledger_account_add(book, "12 00", "spaces", BO_ACCOUNT_ASSET, NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "code"));
    bo_assert_err(bo_ledger_account_add(book, "1300", "\xff", BO_ACCOUNT_ASSET, NULL, NULL),
                  BO_EUTF8);
    bo_assert_err(bo_ledger_account_add(book, "1300", "x", 9, NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_ledger_account_add(book, "1000", "dup", BO_ACCOUNT_ASSET, NULL, NULL),
                  BO_EEXISTS);
    bo_assert_err(bo_ledger_account_add(book, "1300", "x", BO_ACCOUNT_ASSET, "4000", NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "parent"));
    bo_assert_err(bo_ledger_account_add(book, "1300", "x", BO_ACCOUNT_ASSET, "77", NULL),
                  BO_ENOTFOUND);
    free(big);
}
END_TEST

/* The lines' texts written many to a statement by bo_ledger_post_many come
 * back as they were, an array literal's own characters too (braces,
 * commas, quotes, backslashes, NULL, the empty text), and those of
 * PostgreSQL's COPY text format (tabs, newlines, carriage returns,
 * backslash sequences, "\N", the end-of-data marker "\."); the amounts
 * too, up to the batch's largest, and the records verify. */
START_TEST(hostile_line_memos_round_trip_many)
{
    const char *hostile[] = {
        "{a,b}", "NULL", "", "\"quoted\", \\back\\slash\"", "tab\tnew\nline } {",
        " spaced ", "\xe2\x82\xac,\"", "\\N", "\\.", "\\.\n\\.", "cr\r\nlf\\t\\n\\\\",
        "\t", "\n", "\\", "a\\", "\x01\x1f\x7f",
    };
    enum { N = sizeof hostile / sizeof *hostile };
    bo_entry *e[N];
    int64_t ids[N];
    for (size_t i = 0; i < N; i++) {
        bo_assert_ok(bo_entry_new(&e[i], D("2026-01-03"), "many"));
        bo_assert_ok(bo_entry_add(e[i], "1000", 3, NULL, hostile[i]));
        bo_assert_ok(bo_entry_add(e[i], "4000", -3, NULL, NULL));
    }
    /* amounts near the batch's limit (its gross below 2^53) */
    bo_entry *big[2];
    int64_t big_ids[2], large = ((int64_t)1 << 50) + 12345;
    for (int i = 0; i < 2; i++) {
        bo_assert_ok(bo_entry_new(&big[i], D("2026-01-04"), "large\tone"));
        bo_assert_ok(bo_entry_add(big[i], "1000", i ? -large : large, NULL, NULL));
        bo_assert_ok(bo_entry_add(big[i], "4000", i ? large : -large, NULL, NULL));
    }
    bo_assert_ok(bo_ledger_post_many(book, big, 2, big_ids));
    for (int i = 0; i < 2; i++) {
        bo_cursor *c;
        bo_assert_ok(bo_ledger_entry(book, big_ids[i], &c));
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert(bo_cursor_int(c, bo_cursor_column_index(c, "amount")) == (i ? -large : large));
        bo_cursor_free(c);
        bo_entry_free(big[i]);
    }
    int64_t before = balance("1000", "2026-12-31");
    bo_assert_ok(bo_ledger_post_many(book, e, N, ids));
    for (size_t i = 0; i < N; i++) {
        bo_cursor *c;
        bo_assert_ok(bo_ledger_entry(book, ids[i], &c));
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "line_memo")), hostile[i]);
        ck_assert_int_eq(bo_cursor_next(c), 0);
        const char *none = bo_cursor_text(c, bo_cursor_column_index(c, "line_memo"));
        ck_assert(none == NULL || !*none);
        bo_cursor_free(c);
        bo_entry_free(e[i]);
    }
    ck_assert_int_eq(balance("1000", "2026-12-31"), before + 3 * N);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(hostile_strings_round_trip)
{
    const char *hostile[] = {
        "'); DROP TABLE entries;--",
        "\"quoted\" and 'single' and `back`",
        "Robert'); DELETE FROM accounts; --",
        "tab\tnew\nline\r\\backslash %s %n",
        "\xe2\x82\xac \xf0\x9f\x98\x80 unicode",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof *hostile; i++) {
        bo_entry *e;
        int64_t id;
        bo_assert_ok(bo_entry_new(&e, D("2026-01-02"), hostile[i]));
        bo_assert_ok(bo_entry_set_key(e, hostile[i]));
        bo_assert_ok(bo_entry_add(e, "1000", 7, NULL, hostile[i]));
        bo_assert_ok(bo_entry_add(e, "4000", -7, NULL, NULL));
        bo_assert_ok(bo_ledger_post(book, e, &id));
        bo_entry_free(e);
        bo_cursor *c;
        bo_assert_ok(bo_ledger_entry(book, id, &c));
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "memo")), hostile[i]);
        ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "key")), hostile[i]);
        ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "line_memo")), hostile[i]);
        bo_cursor_free(c);
        bo_assert_ok(bo_ledger_account_add(book, (char[]){ 'h', (char)('0' + i), 0 },
                                           hostile[i], BO_ACCOUNT_ASSET, NULL, NULL));
    }
    bo_cursor *c;
    bo_assert_ok(bo_ledger_accounts(book, &c));
    ck_assert_int_eq(count_rows(c), 7 + 5);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 35);
    bo_assert_ok(bo_audit_verify(book, NULL));
}
END_TEST

START_TEST(reversal)
{
    int64_t id = bo_test_post2(book, "2026-01-05", "1000", "4000", 777);
    int64_t rev, again;
    bo_assert_ok(bo_ledger_reverse(book, id, D("2026-01-06"), "rev-1", &rev));
    ck_assert_int_ne(rev, id);
    ck_assert_int_eq(balance("1000", "2026-01-05"), 777);
    ck_assert_int_eq(balance("1000", "2026-01-06"), 0);
    bo_assert_ok(bo_ledger_reverse(book, id, D("2026-01-06"), "rev-1", &again));
    ck_assert_int_eq(again, rev);
    bo_assert_err(bo_ledger_reverse(book, id, D("2026-01-06"), NULL, &again), BO_EEXISTS);
    bo_assert_err(bo_ledger_reverse(book, id, D("2026-01-06"), "rev-2", &again), BO_EEXISTS);
    bo_assert_err(bo_ledger_reverse(book, 424242, D("2026-01-06"), NULL, &again), BO_ENOTFOUND);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_entry(book, rev, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "reverses")), id);
    ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "amount")), -777);
    bo_cursor_free(c);
}
END_TEST

START_TEST(trial_balance_and_statements)
{
    bo_test_post2(book, "2026-01-01", "1100", "3000", 100000);
    bo_test_post2(book, "2026-01-05", "1000", "4000", 2500);
    bo_test_post2(book, "2026-01-06", "1000", "4010", 500);
    bo_test_post2(book, "2026-02-01", "5000", "1100", 1200);
    bo_test_post2(book, "2026-02-02", "1100", "2000", 300);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_trial_balance(book, D("2026-12-31"), &c));
    int64_t debit = 0, credit = 0;
    int rows = 0;
    while (bo_cursor_next(c) == 0) {
        debit += bo_cursor_int(c, 4);
        credit += bo_cursor_int(c, 5);
        rows++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 7);
    ck_assert_int_eq(debit, credit);
    ck_assert_int_eq(debit, (100000 - 1200 + 300) + 3000 + 1200);

    /* balance sheet: assets = liabilities + equity + current earnings */
    bo_assert_ok(bo_ledger_balance_sheet(book, D("2026-12-31"), &c));
    int64_t assets = 0, claims = 0, earnings = -1;
    while (bo_cursor_next(c) == 0) {
        const char *section = bo_cursor_text(c, 0);
        int64_t amount = bo_cursor_int(c, 5);
        if (bo_cursor_type(c, 1) == BO_TYPE_NULL)
            earnings = amount;
        if (bo_cursor_int(c, 3) != 0)
            continue; /* sub-accounts are rolled up into their parents */
        if (strcmp(section, "asset") == 0)
            assets += amount;
        else
            claims += amount;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(earnings, 3000 - 1200);
    ck_assert_int_eq(assets, claims);

    bo_assert_ok(bo_ledger_income_statement(book, D("2026-02-01"), D("2026-02-28"), &c));
    int64_t net = 0;
    while (bo_cursor_next(c) == 0)
        if (strcmp(bo_cursor_text(c, 0), "total") == 0)
            net = bo_cursor_int(c, 5);
    bo_cursor_free(c);
    ck_assert_int_eq(net, -1200);
    bo_assert_ok(bo_ledger_income_statement(book, D("2026-01-01"), D("2026-01-31"), &c));
    int64_t sales = 0;
    while (bo_cursor_next(c) == 0)
        if (bo_cursor_text(c, 1) && strcmp(bo_cursor_text(c, 1), "4000") == 0)
            sales = bo_cursor_int(c, 5);
    bo_cursor_free(c);
    ck_assert_int_eq(sales, 3000); /* includes 4010 */
}
END_TEST

START_TEST(journal_running_balance)
{
    bo_test_post2(book, "2026-01-01", "1000", "3000", 1000);
    bo_test_post2(book, "2026-01-02", "1000", "4000", 50);
    bo_test_post2(book, "2026-01-03", "5000", "1000", 20);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_journal(book, "1000", D("2026-01-02"), D("2026-01-31"), &c));
    int64_t expect[] = { 1050, 1030 };
    int i = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_lt(i, 2);
        ck_assert_int_eq(bo_cursor_int(c, 6), expect[i++]);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(i, 2);
    bo_assert_ok(bo_ledger_journal(book, NULL, D("2026-01-01"), D("2026-01-31"), &c));
    ck_assert_int_eq(count_rows(c), 6);
    bo_assert_err(bo_ledger_journal(book, "0000", D("2026-01-01"), D("2026-01-31"), &c),
                  BO_ENOTFOUND);
}
END_TEST

START_TEST(transactions_and_savepoints)
{
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-01", "1000", "3000", 20);
    ck_assert_int_eq(bo_book_depth(book), 2);
    bo_assert_ok(bo_book_rollback(book)); /* drops only the 20 */
    bo_test_post2(book, "2026-01-02", "1000", "3000", 40);
    /* a failing call inside the transaction does not spoil it */
    bo_assert_err(post_lines("2026-01-02", "1000", 1, "3000", -2), BO_EUNBALANCED);
    bo_assert_ok(bo_book_commit(book));
    ck_assert_int_eq(balance("1000", "2026-12-31"), 50);
    bo_assert_err(bo_book_commit(book), BO_ESTATE);
    bo_assert_err(bo_book_rollback(book), BO_ESTATE);
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-03", "1000", "3000", 1000);
    bo_assert_ok(bo_book_rollback(book));
    ck_assert_int_eq(balance("1000", "2026-12-31"), 50);
    ck_assert_int_eq(balance("1000", "2026-01-02"), 50);
    bo_assert_ok(bo_audit_verify(book, NULL));
}
END_TEST

static int events_seen;
static int64_t last_event_id;
static int freed;
static void on_event(const char *event, int64_t id, void *user)
{
    ck_assert_str_eq(event, "entry.posted");
    ck_assert_ptr_eq(user, &events_seen);
    events_seen++;
    last_event_id = id;
}
static void on_free(void *user)
{
    ck_assert_ptr_eq(user, &events_seen);
    freed++;
}

START_TEST(events_after_commit)
{
    int sub;
    events_seen = 0;
    freed = 0;
    bo_assert_ok(bo_event_subscribe(book, "entry.posted", on_event, &events_seen, on_free, &sub));
    int64_t id = bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    ck_assert_int_eq(events_seen, 1);
    ck_assert_int_eq(last_event_id, id);
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    ck_assert_int_eq(events_seen, 1); /* not before commit */
    bo_assert_ok(bo_book_rollback(book));
    ck_assert_int_eq(events_seen, 1); /* never for a rollback */
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    bo_assert_ok(bo_book_commit(book));
    ck_assert_int_eq(events_seen, 3);
    bo_assert_ok(bo_event_unsubscribe(book, sub));
    ck_assert_int_eq(freed, 1);
    bo_assert_err(bo_event_unsubscribe(book, sub), BO_ENOTFOUND);
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    ck_assert_int_eq(events_seen, 3);
}
END_TEST

/* A callback runs after the commit: whatever it does (here a read that
 * fails), the call that delivered the event succeeded, and says so through
 * bo_error_code_last() and bo_error_message() too (issue 12, item 7). */
static int callback_read_rc;
static void on_event_read_fails(const char *event, int64_t id, void *user)
{
    int64_t v;
    (void)event;
    (void)id;
    callback_read_rc = bo_ledger_balance((bo_book *)user, "9999", D("2026-12-31"), NULL, &v);
}

START_TEST(trust_callback_failure_keeps_success)
{
    bo_assert_ok(bo_event_subscribe(book, "entry.posted", on_event_read_fails, book, NULL,
                                    NULL));
    callback_read_rc = 0;
    int64_t id = bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(callback_read_rc, BO_ENOTFOUND);
    ck_assert_int_eq(bo_error_code_last(), BO_OK);
    ck_assert_str_eq(bo_error_message(), "");
    callback_read_rc = 0;
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-01", "1000", "3000", 5);
    ck_assert_int_eq(bo_book_commit(book), 0);
    ck_assert_int_eq(callback_read_rc, BO_ENOTFOUND);
    ck_assert_int_eq(bo_error_code_last(), BO_OK);
    ck_assert_str_eq(bo_error_message(), "");
    ck_assert_int_eq(balance("1000", "2026-12-31"), 15);
    bo_assert_ok(bo_audit_verify(book, NULL));
}
END_TEST

START_TEST(cursor_outlives_book)
{
    bo_test_post2(book, "2026-01-01", "1000", "3000", 10);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_accounts(book, &c));
    bo_book_free(book);
    book = NULL;
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    ck_assert_int_eq(n, 7);
    bo_cursor_free(c);
}
END_TEST

START_TEST(many_postings_and_currencies)
{
    bo_assert_ok(bo_ledger_account_add(book, "1010", "Cash EUR", BO_ACCOUNT_ASSET, NULL, "EUR"));
    bo_assert_ok(bo_ledger_account_add(book, "3010", "Equity EUR", BO_ACCOUNT_EQUITY, NULL, "EUR"));
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-01"), "split"));
    for (int i = 0; i < 100; i++)
        bo_assert_ok(bo_entry_add(e, "1000", i + 1, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -5050, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1010", 3, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3010", -3, "EUR", NULL));
    bo_assert_ok(bo_ledger_post(book, e, NULL));
    bo_entry_free(e);
    ck_assert_int_eq(balance("1000", "2026-01-01"), 5050);
    ck_assert_int_eq(balance("1010", "2026-01-01"), 3);
    int64_t v;
    bo_assert_ok(bo_ledger_balance(book, "1010", D("2026-01-01"), "USD", &v));
    ck_assert_int_eq(v, 0);
}
END_TEST

/* An entry on a new day for six accounts writes its day rows four to a
 * statement (then two); its texts longer than the entry keeps inline are
 * allocated; a key set twice keeps the second. Balances and the full
 * verification agree. */
START_TEST(new_day_rows_in_statements_and_long_texts)
{
    char memo[301], key[260];
    memset(memo, 'm', sizeof memo - 1);
    memo[sizeof memo - 1] = '\0';
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    static const char *const codes[] = {"1000", "1100", "2000", "3000", "4000", "5000"};
    bo_entry *e;
    int64_t id, again;
    bo_assert_ok(bo_entry_new(&e, D("2026-02-01"), memo));
    bo_assert_ok(bo_entry_set_key(e, "first"));
    bo_assert_ok(bo_entry_set_key(e, key));
    for (int i = 0; i < 6; i++)
        bo_assert_ok(bo_entry_add(e, codes[i], i % 2 ? -(i + 1) : i + 2, NULL,
                                  i == 3 ? memo : NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_assert_ok(bo_ledger_post(book, e, &again)); /* the long key replays */
    ck_assert_int_eq(again, id);
    bo_entry_free(e);
    /* The same day again (updates) and a later day for two of them. */
    bo_assert_ok(bo_entry_new(&e, D("2026-02-01"), "same day"));
    bo_assert_ok(bo_entry_add(e, "1000", 10, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "5000", -10, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, NULL));
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, D("2026-02-03"), "later"));
    bo_assert_ok(bo_entry_add(e, "1100", 7, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "2000", -7, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, NULL));
    bo_entry_free(e);
    ck_assert_int_eq(balance("1000", "2026-02-01"), 12);
    ck_assert_int_eq(balance("1100", "2026-02-01"), -2);
    ck_assert_int_eq(balance("1100", "2026-02-03"), 5);
    ck_assert_int_eq(balance("2000", "2026-02-03"), -3);
    ck_assert_int_eq(balance("3000", "2026-02-01"), -4);
    ck_assert_int_eq(balance("4000", "2026-02-01"), 6);
    ck_assert_int_eq(balance("5000", "2026-02-02"), -16);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A replay answers with the original id even when posting the same entry
 * anew would now be refused: its account closed since, or its amounts too
 * large to add to the balances a second time. */
START_TEST(replay_after_close_or_near_overflow)
{
    bo_entry *e;
    int64_t id, again;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-05"), "big"));
    bo_assert_ok(bo_entry_set_key(e, "big-1"));
    bo_assert_ok(bo_entry_add(e, "1000", INT64_MAX - 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "5000", -(INT64_MAX - 5), NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_assert_ok(bo_ledger_post(book, e, &again)); /* a second add would overflow */
    ck_assert_int_eq(again, id);
    bo_assert_ok(bo_ledger_account_close(book, "5000"));
    bo_assert_ok(bo_ledger_post(book, e, &again)); /* the account closed since */
    ck_assert_int_eq(again, id);
    bo_entry_free(e);
    /* without the key both refusals stand */
    bo_assert_ok(bo_entry_new(&e, D("2026-01-05"), "big"));
    bo_assert_ok(bo_entry_add(e, "1000", INT64_MAX - 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "5000", -(INT64_MAX - 5), NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_ECLOSED);
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, D("2026-01-05"), "big"));
    bo_assert_ok(bo_entry_add(e, "1000", INT64_MAX - 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -(INT64_MAX - 5), NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, NULL), BO_EOVERFLOW);
    bo_entry_free(e);
    ck_assert_int_eq(balance("1000", "9999-12-31"), INT64_MAX - 5);
}
END_TEST

START_TEST(small_accessors)
{
    ck_assert_int_eq(bo_account_type_parse("liability"), BO_ACCOUNT_LIABILITY);
    ck_assert_int_eq(bo_error_code_last(), BO_OK);
    bo_assert_err(bo_account_type_parse("assets"), BO_EINVAL);
    ck_assert_int_eq(bo_error_code_last(), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "assets"));
    ck_assert_str_eq(bo_account_type_name(BO_ACCOUNT_EXPENSE), "expense");
    ck_assert_ptr_null(bo_account_type_name(0));
    ck_assert_ptr_null(bo_account_type_name(6));

    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-01"), NULL));
    ck_assert_int_eq(bo_entry_count(e), 0);
    bo_assert_ok(bo_entry_add(e, "1000", 1, NULL, NULL));
    ck_assert_int_eq(bo_entry_count(e), 1);
    ck_assert_int_eq(bo_entry_count(NULL), 0);
    bo_entry_free(e);

    bo_cursor *c;
    bo_assert_ok(bo_ledger_trial_balance(book, D("2026-01-01"), &c));
    ck_assert_int_eq(bo_cursor_column_count(c), 6);
    ck_assert_str_eq(bo_cursor_column_name(c, 0), "code");
    ck_assert_str_eq(bo_cursor_column_name(c, 5), "credit");
    ck_assert_ptr_null(bo_cursor_column_name(c, 6));
    ck_assert_ptr_null(bo_cursor_column_name(c, -1));
    ck_assert_int_eq(bo_cursor_column_index(c, "nope"), -1);
    ck_assert_int_eq(bo_cursor_type(c, 0), BO_TYPE_NULL); /* no row yet */
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_cursor_free(NULL);
    bo_free(NULL);
    void *p = NULL;
    bo_free(p);
}
END_TEST

/* ---- bulk posting (bo_ledger_post_many) ------------------------------------ */

static bo_entry *entry2(const char *date, const char *key, const char *debit,
                        const char *credit, int64_t amount)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D(date), "bulk"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    bo_assert_ok(bo_entry_add(e, debit, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, credit, -amount, NULL, NULL));
    return e;
}

static void free_entries(bo_entry **e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bo_entry_free(e[i]);
}

START_TEST(post_many_posts_every_entry)
{
    bo_entry *e[4] = {
        entry2("2026-01-05", "bulk-1", "1000", "4000", 100),
        entry2("2026-01-06", "bulk-2", "1000", "4010", 20),
        entry2("2026-01-04", NULL, "1100", "1000", 7), /* back-dated, no key */
        entry2("2026-01-05", "bulk-1", "1000", "4000", 100), /* replays the first */
    };
    int64_t ids[4];
    int64_t seq = audit_seq();
    bo_assert_ok(bo_ledger_post_many(book, e, 4, ids));
    ck_assert_int_gt(ids[0], 0);
    ck_assert_int_eq(ids[1], ids[0] + 1);
    ck_assert_int_eq(ids[2], ids[0] + 2);
    ck_assert_int_eq(ids[3], ids[0]); /* the replay answers the original */
    ck_assert_int_eq(audit_seq(), seq + 3);
    ck_assert_int_eq(balance("1000", "2026-01-04"), -7);
    ck_assert_int_eq(balance("1000", "2026-01-05"), 93);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 113);
    ck_assert_int_eq(balance("4000", "2026-12-31"), -120);
    /* Again: every key replays, nothing new is written. */
    int64_t again[4];
    bo_assert_ok(bo_ledger_post_many(book, e, 2, again));
    ck_assert_int_eq(again[0], ids[0]);
    ck_assert_int_eq(again[1], ids[1]);
    ck_assert_int_eq(audit_seq(), seq + 3);
    /* None, and ids may be NULL. */
    bo_assert_ok(bo_ledger_post_many(book, NULL, 0, NULL));
    bo_entry *one[1] = { entry2("2026-02-01", NULL, "1000", "4000", 1) };
    bo_assert_ok(bo_ledger_post_many(book, one, 1, NULL));
    ck_assert_int_eq(balance("1000", "2026-12-31"), 114);
    free_entries(one, 1);
    free_entries(e, 4);
}
END_TEST

START_TEST(post_many_refusal_writes_nothing)
{
    bo_test_post2(book, "2026-01-02", "1000", "4000", 50);
    int64_t seq = audit_seq();
    bo_entry *e[3] = {
        entry2("2026-01-05", "ok-1", "1000", "4000", 100),
        entry2("2026-01-05", "bad-2", "1000", "9999", 100), /* unknown account */
        entry2("2026-01-05", "ok-3", "1000", "4000", 100),
    };
    int64_t ids[3] = { -1, -1, -1 };
    bo_assert_err(bo_ledger_post_many(book, e, 3, ids), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 2: posting 2: account '9999'"));
    ck_assert_int_eq(ids[0], 0);
    ck_assert_int_eq(ids[1], 0);
    ck_assert_int_eq(ids[2], 0);
    assert_unchanged(seq, 50);
    /* The first entry's key is free again: it was rolled back with the rest. */
    int64_t id;
    bo_assert_ok(bo_ledger_post(book, e[0], &id));
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 150);
    /* NULL entries. */
    bo_entry_free(e[1]);
    e[1] = NULL;
    bo_assert_err(bo_ledger_post_many(book, e, 3, ids), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 2: NULL"));
    bo_assert_err(bo_ledger_post_many(NULL, e, 1, ids), BO_EINVAL);
    bo_assert_err(bo_ledger_post_many(book, NULL, 1, ids), BO_EINVAL);
    ck_assert_int_eq(balance("1000", "2026-12-31"), 150);
    bo_entry_free(e[0]);
    bo_entry_free(e[2]);
    /* Refused inside the host's transaction: the host's own work stays. */
    bo_assert_ok(bo_book_begin(book));
    bo_test_post2(book, "2026-01-03", "1000", "4000", 1);
    bo_entry *u[2] = { entry2("2026-01-05", NULL, "1000", "4000", 5), NULL };
    bo_assert_ok(bo_entry_new(&u[1], D("2026-01-05"), "unbalanced"));
    bo_assert_ok(bo_entry_add(u[1], "1000", 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(u[1], "4000", -4, NULL, NULL));
    bo_assert_err(bo_ledger_post_many(book, u, 2, NULL), BO_EUNBALANCED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 2: "));
    bo_assert_ok(bo_book_commit(book));
    ck_assert_int_eq(balance("1000", "2026-12-31"), 151);
    free_entries(u, 2);
}
END_TEST

START_TEST(post_many_refused_under_an_approval_rule)
{
    bo_assert_ok(bo_role_define(book, "manager", "ledger.read,ledger.post"));
    bo_approval_rule r;
    bo_assert_ok(bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION));
    r.command = "ledger.entry.post";
    r.has_min = 1;
    r.min_amount = 100000;
    r.approvers = 1;
    r.roles = "manager";
    bo_assert_ok(bo_approval_rule_set(book, &r));
    int64_t seq = audit_seq();
    bo_entry *e[1] = { entry2("2026-01-05", "k", "1000", "4000", 5) };
    bo_assert_err(bo_ledger_post_many(book, e, 1, NULL), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "ledger.entry.post"));
    assert_unchanged(seq, 0);
    bo_assert_ok(bo_approval_rule_remove(book, "ledger.entry.post"));
    bo_assert_ok(bo_ledger_post_many(book, e, 1, NULL));
    ck_assert_int_eq(balance("1000", "2026-12-31"), 5);
    bo_entry_free(e[0]);
}
END_TEST

/* ---- bulk posting written set-wise ------------------------------------------ */

/* Entry i of a varied journal: dates back and forth over 40 days, two to
 * three lines, some unkeyed, memos on lines, a foreign currency with its
 * book-currency value. Accounts 1010 (EUR) must exist. */
static bo_entry *varied(int i)
{
    static const char *const acc[] = { "1000", "1100", "2000", "4000", "4010", "5000" };
    bo_entry *e;
    char date[16], key[32];
    snprintf(date, sizeof date, "2026-02-%02d", 1 + (i * 7) % 28);
    bo_assert_ok(bo_entry_new(&e, D(date), i % 4 ? "varied" : NULL));
    if (i % 3) {
        snprintf(key, sizeof key, "v-%d", i);
        bo_assert_ok(bo_entry_set_key(e, key));
    }
    int64_t a = 10 + i;
    if (i % 11 == 5) { /* foreign line, balanced in the book currency */
        bo_assert_ok(bo_entry_add_base(e, "1010", a, "EUR", a + 3, "fx"));
        bo_assert_ok(bo_entry_add(e, "4000", -(a + 3), NULL, NULL));
    } else if (i % 5 == 0) {
        bo_assert_ok(bo_entry_add(e, acc[i % 6], a, NULL, "first"));
        bo_assert_ok(bo_entry_add(e, acc[(i + 1) % 6], -(a - 1), NULL, NULL));
        bo_assert_ok(bo_entry_add(e, acc[(i + 2) % 6], -1, NULL, NULL));
    } else {
        bo_assert_ok(bo_entry_add(e, acc[i % 6], a, NULL, NULL));
        bo_assert_ok(bo_entry_add(e, acc[(i + 3) % 6], -a, NULL, NULL));
    }
    return e;
}

static int64_t balance_of(bo_book *b, const char *account, const char *date)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(b, account, D(date), NULL, &v));
    return v;
}

static int64_t head_of(bo_book *b)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    return seq;
}

static void count_event(const char *event, int64_t id, void *user)
{
    int64_t *c = user;
    (void)event;
    ck_assert_int_gt(id, c[1]); /* in the order of the ids */
    c[1] = id;
    c[0]++;
}

#define VARIED 150

/* A batch of 150 (more than a statement's 64 rows) posted set-wise leaves
 * what the same entries posted one by one leave: the same ids, balances on
 * every day, records, events; replays of a stored key and a key repeated
 * inside the call answer the first id; the full verification passes. */
START_TEST(post_many_setwise_equals_one_by_one)
{
    bo_book *other = bo_test_book("ledger-many-other");
    bo_test_chart(other);
    bo_book *both[2] = { book, other };
    int64_t old[2];
    bo_entry *e[VARIED];
    for (int i = 0; i < VARIED; i++)
        e[i] = varied(i);
    /* 40: the replay of an entry stored before; 120: entry 30 again. */
    bo_entry_free(e[40]);
    e[40] = entry2("2026-02-10", "stored", "1000", "4000", 77);
    bo_entry_free(e[120]);
    e[120] = varied(31);
    for (int k = 0; k < 2; k++) {
        bo_assert_ok(bo_ledger_account_add(both[k], "1010", "Cash EUR", BO_ACCOUNT_ASSET, NULL,
                                           "EUR"));
        bo_assert_ok(bo_ledger_post(both[k], e[40], &old[k]));
        bo_test_post2(both[k], "2026-02-20", "1100", "4000", 5); /* later rows exist */
    }
    int64_t events[2][2] = { { 0, 0 }, { 0, 0 } };
    for (int k = 0; k < 2; k++)
        bo_assert_ok(bo_event_subscribe(both[k], "entry.posted", count_event, events[k], NULL,
                                        NULL));
    int64_t seq0 = head_of(book);
    int64_t ids[VARIED], each[VARIED];
    bo_assert_ok(bo_ledger_post_many(book, e, VARIED, ids));
    for (int i = 0; i < VARIED; i++)
        bo_assert_ok(bo_ledger_post(other, e[i], &each[i]));
    /* PostgreSQL's sequence moves on an insert its key turns away: one by
     * one, a replay there uses up an id that set-wise is never taken. On
     * lanes of the audit chain the batch is posted one by one (post_many.c),
     * so its replays use up ids too. */
    int same_ids = strcmp(bo_test_backend(), "postgresql") != 0;
    int setwise = same_ids || !bo__store_has_lanes(book->store);
    for (int i = 0; i < VARIED; i++) {
        if (same_ids)
            ck_assert_int_eq(ids[i], each[i]);
        if (i && i != 40 && i != 120 && i - 1 != 40 && i - 1 != 120)
            ck_assert_int_eq(ids[i], ids[i - 1] + 1);
    }
    ck_assert_int_eq(ids[40], old[0]);
    ck_assert_int_eq(ids[120], ids[31]);
    if (setwise)
        ck_assert_int_eq(ids[41], ids[39] + 1);
    else
        ck_assert_int_gt(ids[41], ids[39]);
    ck_assert_int_eq(head_of(book), seq0 + VARIED - 2);
    if (setwise)
        ck_assert_int_eq(head_of(book), head_of(other));
    else /* a lone posting on a lane draws its record's number first */
        ck_assert_int_ge(head_of(other), head_of(book));
    ck_assert_int_eq(events[0][0], VARIED - 2);
    ck_assert_int_eq(events[0][0], events[1][0]);
    static const char *const accounts[] = { "1000", "1010", "1100", "2000", "4000", "4010",
                                            "5000" };
    for (int a = 0; a < 7; a++) {
        for (int d = 0; d <= 28; d++) {
            char date[16] = "2026-01-31";
            if (d)
                snprintf(date, sizeof date, "2026-02-%02d", d);
            ck_assert_int_eq(balance_of(book, accounts[a], date),
                             balance_of(other, accounts[a], date));
        }
    }
    bo_test_expect_verified(book);
    /* Again, and again inside the caller's transaction: every entry a
     * replay, nothing written. */
    int64_t again[VARIED];
    bo_assert_ok(bo_ledger_post_many(book, e, VARIED, again));
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_ledger_post_many(book, e, VARIED, again));
    bo_assert_ok(bo_book_commit(book));
    int unkeyed = 0;
    for (int i = 0; i < VARIED; i++) {
        if (i % 3 == 0 && i != 120) { /* unkeyed: a new entry each time */
            ck_assert_int_gt(again[i], ids[VARIED - 1]);
            unkeyed++;
        } else {
            ck_assert_int_eq(again[i], ids[i]);
        }
    }
    ck_assert_int_eq(head_of(book), seq0 + VARIED - 2 + 2 * unkeyed);
    bo_test_expect_verified(book);
    bo_test_expect_verified(other);
    free_entries(e, VARIED);
    bo_test_book_free(other);
}
END_TEST

/* A bad entry in the middle of a set-wise batch: its own refusal with its
 * number, nothing written, every key free again. */
/* More rows than a table's rowset holds at a time (16,384: post_many.c and
 * audit_bulk.c, PER_WRITE): the batch is written in pieces, its ids
 * consecutive, every record, total and key there; replayed whole it answers
 * the same ids and writes nothing. On lanes the batch is posted one by one,
 * which this size would only slow down. */
START_TEST(post_many_large_batch_in_pieces)
{
    if (bo__store_has_lanes(book->store))
        return;
    enum { N = 16384 + 77 };
    bo_entry **e = malloc(N * sizeof *e);
    int64_t *ids = malloc(N * sizeof *ids), *again = malloc(N * sizeof *again);
    ck_assert_ptr_nonnull(e);
    ck_assert_ptr_nonnull(ids);
    ck_assert_ptr_nonnull(again);
    int64_t first = 0, all = 0;
    for (int i = 0; i < N; i++) {
        char key[32];
        snprintf(key, sizeof key, "piece-%d", i);
        e[i] = entry2(i % 2 ? "2026-03-02" : "2026-03-01", key, "1000", "4000", 1 + i % 7);
        all += 1 + i % 7;
        if (i % 2 == 0)
            first += 1 + i % 7;
    }
    int64_t seq0 = head_of(book), on1 = balance("1000", "2026-03-01"),
            end = balance("1000", "2026-12-31");
    bo_assert_ok(bo_ledger_post_many(book, e, N, ids));
    for (int i = 1; i < N; i++)
        ck_assert_int_eq(ids[i], ids[i - 1] + 1);
    ck_assert_int_eq(head_of(book), seq0 + N);
    ck_assert_int_eq(balance("1000", "2026-03-01"), on1 + first);
    ck_assert_int_eq(balance("1000", "2026-12-31"), end + all);
    bo_assert_ok(bo_ledger_post_many(book, e, N, again));
    for (int i = 0; i < N; i++)
        ck_assert_int_eq(again[i], ids[i]);
    ck_assert_int_eq(head_of(book), seq0 + N);
    ck_assert_int_eq(balance("1000", "2026-12-31"), end + all);
    bo_assert_ok(bo_audit_verify(book, NULL));
    for (int i = 0; i < N; i++)
        bo_entry_free(e[i]);
    free(e);
    free(ids);
    free(again);
}
END_TEST

START_TEST(post_many_setwise_refusals)
{
    bo_assert_ok(bo_ledger_account_add(book, "1010", "Cash EUR", BO_ACCOUNT_ASSET, NULL, "EUR"));
    int64_t stored;
    bo_entry *s = entry2("2026-02-10", "stored", "1000", "4000", 77);
    bo_assert_ok(bo_ledger_post(book, s, &stored));
    int64_t seq = audit_seq(), cash = balance("1000", "2026-12-31");
    bo_entry *e[VARIED];
    for (int i = 0; i < VARIED; i++)
        e[i] = varied(i);
    int64_t ids[VARIED];
    /* unbalanced */
    bo_entry *keep = e[99];
    bo_assert_ok(bo_entry_new(&e[99], D("2026-02-03"), "bad"));
    bo_assert_ok(bo_entry_add(e[99], "1000", 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e[99], "4000", -4, NULL, NULL));
    bo_assert_err(bo_ledger_post_many(book, e, VARIED, ids), BO_EUNBALANCED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 100: entry does not balance"));
    ck_assert_int_eq(ids[0], 0);
    assert_unchanged(seq, cash);
    bo_entry_free(e[99]);
    /* a stored key with other content */
    e[99] = entry2("2026-02-10", "stored", "1000", "4000", 78);
    bo_assert_err(bo_ledger_post_many(book, e, VARIED, ids), BO_EKEYREUSE);
    char want[96];
    snprintf(want, sizeof want, "was used for a different entry (id %lld)", (long long)stored);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 100: key: "));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), want));
    assert_unchanged(seq, cash);
    bo_entry_free(e[99]);
    /* a key of the call again with other content: refused as one by one */
    e[99] = entry2("2026-02-10", "v-1", "1000", "4000", 78);
    bo_assert_err(bo_ledger_post_many(book, e, VARIED, ids), BO_EKEYREUSE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 100: key: "));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "v-1"));
    assert_unchanged(seq, cash);
    bo_entry_free(e[99]);
    /* a closed account, a closed period */
    bo_assert_ok(bo_ledger_account_add(book, "1900", "Old", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_close(book, "1900"));
    seq = audit_seq(); /* on lanes, refused batches leave gaps in the numbers */
    e[99] = entry2("2026-02-10", NULL, "1900", "4000", 3);
    bo_assert_err(bo_ledger_post_many(book, e, VARIED, ids), BO_ECLOSED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 100: posting 1: account '1900'"));
    assert_unchanged(seq, cash);
    bo_entry_free(e[99]);
    e[99] = keep;
    /* and then the batch goes through whole */
    bo_assert_ok(bo_ledger_post_many(book, e, VARIED, ids));
    ck_assert_int_gt(ids[0], stored);
    bo_test_expect_verified(book);
    free_entries(e, VARIED);
    bo_entry_free(s);
}
END_TEST

/* A batch over more accounts and day rows than one read takes (64 a
 * statement: post_many.c reads the batch's accounts and latest day rows
 * before it plans): 100 accounts, some in EUR, some with rows before,
 * between and after the batch's dates. Its balances on every day are those
 * of the same entries posted one by one; a code unknown after 70 others is
 * refused naming its entry; inside the caller's transaction an account the
 * batch read but did not write (its lines net to nothing on their date)
 * then takes a lone entry. */
#define WIDE 100
static void wide_add(bo_entry *e, int a, int64_t amount)
{
    char code[16];
    snprintf(code, sizeof code, "6%03d", a);
    if (a % 10 == 9)
        bo_assert_ok(bo_entry_add_base(e, code, amount, "EUR", amount, NULL));
    else
        bo_assert_ok(bo_entry_add(e, code, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1000", -amount, NULL, NULL));
}

static bo_entry *wide(const char *date, const char *key, int a, int64_t amount)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D(date), "wide"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    wide_add(e, a, amount);
    return e;
}

START_TEST(post_many_wide_chart)
{
    bo_book *other = bo_test_book("ledger-many-wide");
    bo_test_chart(other);
    bo_book *both[2] = { book, other };
    char code[16], date[16];
    for (int k = 0; k < 2; k++) {
        for (int a = 0; a < WIDE; a++) {
            snprintf(code, sizeof code, "6%03d", a);
            bo_assert_ok(bo_ledger_account_add(both[k], code, "Wide", BO_ACCOUNT_EXPENSE,
                                               NULL, a % 10 == 9 ? "EUR" : NULL));
        }
    }
    /* Rows amid the batch's dates (even accounts) and after them (odd ones,
     * every fifth). */
    for (int k = 0; k < 2; k++)
        for (int a = 0; a < WIDE; a++) {
            if (a % 2 && a % 5)
                continue;
            bo_entry *e = wide(a % 2 ? "2026-03-28" : "2026-03-10", NULL, a, 1000 + a);
            bo_assert_ok(bo_ledger_post(both[k], e, NULL));
            bo_entry_free(e);
        }
    enum { N = 2 * WIDE };
    bo_entry *e[N];
    for (int i = 0; i < N; i++) {
        char key[32];
        snprintf(key, sizeof key, "w-%d", i);
        snprintf(date, sizeof date, "2026-03-%02d", 1 + (i * 7) % 28);
        e[i] = wide(date, i % 4 ? key : NULL, i % WIDE, 3 + i);
    }
    int64_t ids[N], each[N];
    bo_assert_ok(bo_ledger_post_many(book, e, N, ids));
    for (int i = 0; i < N; i++)
        bo_assert_ok(bo_ledger_post(other, e[i], &each[i]));
    for (int a = -1; a < WIDE; a++) {
        if (a < 0)
            snprintf(code, sizeof code, "1000");
        else
            snprintf(code, sizeof code, "6%03d", a);
        for (int d = 0; d <= 28; d += (a < 0 ? 1 : 3)) {
            snprintf(date, sizeof date, d ? "2026-03-%02d" : "2026-02-28", d);
            ck_assert_int_eq(balance_of(book, code, date), balance_of(other, code, date));
        }
        ck_assert_int_eq(balance_of(book, code, "2026-12-31"),
                         balance_of(other, code, "2026-12-31"));
    }
    bo_test_expect_verified(book);
    /* Replayed whole: the same ids, nothing written. */
    int64_t seq = head_of(book), again[N];
    bo_assert_ok(bo_ledger_post_many(book, e, N, again));
    for (int i = 0; i < N; i++)
        if (i % 4)
            ck_assert_int_eq(again[i], ids[i]);
    /* An unknown code after 70 known ones. */
    bo_entry *u[72];
    for (int i = 0; i < 71; i++)
        u[i] = wide("2026-03-05", NULL, i, 1);
    bo_assert_ok(bo_entry_new(&u[71], D("2026-03-05"), "unknown"));
    bo_assert_ok(bo_entry_add(u[71], "1000", 1, NULL, NULL));
    bo_assert_ok(bo_entry_add(u[71], "6999", -1, NULL, NULL));
    int64_t cash = balance_of(book, "1000", "2026-12-31");
    seq = head_of(book);
    bo_assert_err(bo_ledger_post_many(book, u, 72, NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 72: posting 2: account '6999'"));
    ck_assert_int_eq(head_of(book), seq);
    ck_assert_int_eq(balance_of(book, "1000", "2026-12-31"), cash);
    free_entries(u, 72);
    /* Inside the caller's transaction: 6000 and 6001 net to nothing on the
     * batch's one date (read, not written), then a lone entry on each. */
    bo_assert_ok(bo_ledger_account_add(book, "6500", "Fresh", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "6501", "Fresh", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_entry *z[2];
    bo_assert_ok(bo_entry_new(&z[0], D("2026-04-02"), "nets"));
    bo_assert_ok(bo_entry_add(z[0], "6500", 9, NULL, NULL));
    bo_assert_ok(bo_entry_add(z[0], "6501", -9, NULL, NULL));
    bo_assert_ok(bo_entry_new(&z[1], D("2026-04-02"), "nets back"));
    bo_assert_ok(bo_entry_add(z[1], "6501", 9, NULL, NULL));
    bo_assert_ok(bo_entry_add(z[1], "6500", -9, NULL, NULL));
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_ledger_post_many(book, z, 2, NULL));
    bo_test_post2(book, "2026-04-03", "6500", "1000", 4);
    bo_test_post2(book, "2026-04-01", "6501", "1000", 6);
    bo_assert_ok(bo_book_commit(book));
    ck_assert_int_eq(balance_of(book, "6500", "2026-04-02"), 0);
    ck_assert_int_eq(balance_of(book, "6500", "2026-04-03"), 4);
    ck_assert_int_eq(balance_of(book, "6501", "2026-04-01"), 6);
    ck_assert_int_eq(balance_of(book, "6501", "2026-12-31"), 6);
    bo_test_expect_verified(book);
    free_entries(z, 2);
    free_entries(e, N);
    bo_test_book_free(other);
}
END_TEST

/* Which commands have an approval rule is cached per handle: a rule set
 * through another handle must still hold this one's next posting. */
START_TEST(approval_rule_of_another_handle_is_seen)
{
    char *path = bo_test_path("ledger-rule-cache");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *a = NULL, *b = NULL;
    bo_assert_ok(bo_book_open(&a, path, &o));
    bo_test_chart(a);
    bo_assert_ok(bo_role_define(a, "manager", "ledger.read,ledger.post"));
    o.create = 0;
    bo_assert_ok(bo_book_open(&b, path, &o));
    bo_approval_rule r;
    bo_assert_ok(bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION));
    r.command = "ledger.entry.post";
    r.has_min = 1;
    r.min_amount = 100000;
    r.approvers = 1;
    r.roles = "manager";
    bo_entry *e = entry2("2026-01-06", "big", "1000", "4000", 500000);
    int64_t id = 0;
    /* Learnt inside a transaction: no rule. */
    bo_assert_ok(bo_book_begin(a));
    bo_test_post2(a, "2026-01-05", "1000", "4000", 500000);
    bo_assert_ok(bo_book_commit(a));
    bo_assert_ok(bo_approval_rule_set(b, &r));
    bo_assert_err(bo_ledger_post(a, e, &id), BO_EPENDING); /* outside a transaction */
    bo_assert_ok(bo_approval_rule_remove(b, "ledger.entry.post"));
    bo_assert_ok(bo_book_begin(a));
    bo_test_post2(a, "2026-01-07", "1000", "4000", 500000); /* no rule again */
    bo_assert_ok(bo_book_commit(a));
    bo_assert_ok(bo_approval_rule_set(b, &r));
    bo_assert_ok(bo_book_begin(a));
    bo_assert_err(bo_ledger_post(a, e, &id), BO_EPENDING); /* inside one */
    bo_assert_ok(bo_book_rollback(a));
    bo_assert_ok(bo_approval_rule_remove(b, "ledger.entry.post"));
    bo_assert_ok(bo_book_begin(a));
    bo_assert_ok(bo_ledger_post(a, e, &id));
    bo_assert_ok(bo_book_commit(a));
    ck_assert_int_gt(id, 0);
    bo_entry_free(e);
    bo_book_free(b);
    bo_test_book_free(a);
    free(path);
}
END_TEST

/* ---- recurring entries ----------------------------------------------------- */

static int64_t recurring(const char *start, int period, int every, const char *end, int count,
                         int enabled, int64_t amount)
{
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, D(start), "rent"));
    bo_assert_ok(bo_entry_add(e, "5000", amount, NULL, "month"));
    bo_assert_ok(bo_entry_add(e, "1000", -amount, "USD", NULL));
    int64_t id = 0;
    bo_assert_ok(bo_ledger_recurring_add(book, e, period, every, end ? D(end) : BO_DATE_MAX,
                                         count, enabled, &id));
    bo_entry_free(e);
    return id;
}

/* Row id of the listing: last and next occurrence, remaining. */
static void recurring_row(int64_t id, char *last, char *next, int64_t *remaining)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_ledger_recurring_list(book, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0)
        if (bo_cursor_int(c, 0) == id) {
            found = 1;
            snprintf(last, 11, "%s", (bo_cursor_type(c, 7) == BO_TYPE_NULL) ? "" : bo_cursor_text(c, 7));
            snprintf(next, 11, "%s", (bo_cursor_type(c, 8) == BO_TYPE_NULL) ? "" : bo_cursor_text(c, 8));
            *remaining = (bo_cursor_type(c, 6) == BO_TYPE_NULL) ? -1 : bo_cursor_int(c, 6);
        }
    bo_cursor_free(c);
    ck_assert(found);
}

START_TEST(recurring_posts_due_occurrences_once)
{
    int64_t id = recurring("2026-01-31", BO_RECUR_MONTH, 1, NULL, 0, 1, 1500), n = -1;
    char last[11], next[11];
    int64_t rem;
    recurring_row(id, last, next, &rem);
    ck_assert_str_eq(last, "");
    ck_assert_str_eq(next, "2026-01-31");
    ck_assert_int_eq(rem, -1);
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-04-30"), &n));
    ck_assert_int_eq(n, 4); /* Jan 31, Feb 28, Mar 31, Apr 30 */
    ck_assert_int_eq(balance("5000", "2026-03-30"), 3000);
    ck_assert_int_eq(balance("5000", "2026-03-31"), 4500);
    recurring_row(id, last, next, &rem);
    ck_assert_str_eq(last, "2026-04-30");
    ck_assert_str_eq(next, "2026-05-31");
    /* a second run posts nothing again */
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-04-30"), &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(balance("1000", "9999-12-31"), -6000);
    /* each occurrence is an entry with its key */
    bo_cursor *c = NULL;
    bo_assert_ok(bo_ledger_journal(book, "5000", D("2026-02-01"), D("2026-02-28"), &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "2026-02-28");
    int64_t entry = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    bo_assert_ok(bo_ledger_entry(book, entry, &c));
    bo_assert_ok(bo_cursor_next(c));
    char key[64];
    snprintf(key, sizeof key, "recurring:%lld:2026-02-28", (long long)id);
    ck_assert_str_eq(bo_cursor_text(c, 3), key);
    bo_cursor_free(c);
    /* the template */
    bo_assert_ok(bo_ledger_recurring_postings(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "5000");
    ck_assert_int_eq(bo_cursor_int(c, 2), 1500);
    ck_assert_str_eq(bo_cursor_text(c, 3), "USD");
    ck_assert_str_eq(bo_cursor_text(c, 4), "month");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "1000");
    ck_assert_int_eq(bo_cursor_int(c, 2), -1500);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(book, NULL, &bad));
}
END_TEST

START_TEST(recurring_counts_ends_and_periods)
{
    int64_t weeks = recurring("2026-01-05", BO_RECUR_WEEK, 2, NULL, 3, 1, 100);
    int64_t ends = recurring("2026-02-10", BO_RECUR_MONTH_END, 1, "2026-05-30", 0, 1, 200);
    int64_t years = recurring("2024-02-29", BO_RECUR_YEAR, 1, NULL, 0, 1, 300);
    int64_t days = recurring("2026-01-01", BO_RECUR_DAY, 10, "2026-01-31", 0, 1, 400);
    int64_t off = recurring("2026-01-01", BO_RECUR_DAY, 1, NULL, 0, 0, 500);
    int64_t n = 0;
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-12-31"), &n));
    /* 3 weeks; Feb 28, Mar 31, Apr 30; 2024-02-29, 2025-02-28, 2026-02-28;
     * Jan 1, 11, 21, 31; none disabled */
    ck_assert_int_eq(n, 3 + 3 + 3 + 4);
    char last[11], next[11];
    int64_t rem;
    recurring_row(weeks, last, next, &rem);
    ck_assert_str_eq(last, "2026-02-02");
    ck_assert_str_eq(next, "");
    ck_assert_int_eq(rem, 0);
    recurring_row(ends, last, next, &rem);
    ck_assert_str_eq(last, "2026-04-30");
    ck_assert_str_eq(next, "");
    recurring_row(years, last, next, &rem);
    ck_assert_str_eq(last, "2026-02-28");
    ck_assert_str_eq(next, "2027-02-28");
    recurring_row(days, last, next, &rem);
    ck_assert_str_eq(last, "2026-01-31");
    recurring_row(off, last, next, &rem);
    ck_assert_str_eq(last, "");
    ck_assert_int_eq(balance("5000", "9999-12-31"), 300 + 600 + 900 + 1600);
}
END_TEST

START_TEST(recurring_bad_input_changes_nothing)
{
    int64_t seq0 = audit_seq(), cash0 = balance("1000", "9999-12-31"), id = 0;
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, D("2026-01-31"), "rent"));
    bo_assert_ok(bo_entry_add(e, "5000", 100, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1000", -99, NULL, NULL));
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_MONTH, 1, BO_DATE_MAX, 0, 1, &id),
                  BO_EUNBALANCED);
    bo_assert_ok(bo_entry_add(e, "1000", -1, NULL, NULL));
    bo_assert_err(bo_ledger_recurring_add(book, e, 0, 1, BO_DATE_MAX, 0, 1, &id), BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, e, 6, 1, BO_DATE_MAX, 0, 1, &id), BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_DAY, 0, BO_DATE_MAX, 0, 1, &id),
                  BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_DAY, 1, BO_DATE_MAX, -1, 1, &id),
                  BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_DAY, 1, D("2026-01-30"), 0, 1,
                                          &id), BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_DAY, 1, BO_DATE_MAX, 0, 2, &id),
                  BO_EINVAL);
    bo_assert_err(bo_ledger_recurring_add(book, NULL, BO_RECUR_DAY, 1, BO_DATE_MAX, 0, 1,
                                          &id), BO_EINVAL);
    bo_assert_ok(bo_entry_add(e, "9999", 0 + 5, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1000", -5, NULL, NULL));
    bo_assert_err(bo_ledger_recurring_add(book, e, BO_RECUR_DAY, 1, BO_DATE_MAX, 0, 1, &id),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "posting 4"));
    bo_entry_free(e);
    assert_unchanged(seq0, cash0);
    bo_cursor *c = NULL;
    bo_assert_err(bo_ledger_recurring_postings(book, 42, &c), BO_ENOTFOUND);
    int64_t n = -1;
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-12-31"), &n));
    ck_assert_int_eq(n, 0);
    /* under an approval rule of postings nothing is posted past it */
    recurring("2026-01-31", BO_RECUR_MONTH, 1, NULL, 0, 1, 10);
    bo_assert_ok(bo_role_define(book, "manager", "ledger.read,ledger.post"));
    bo_approval_rule r;
    bo_assert_ok(bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION));
    r.command = "ledger.entry.post";
    r.approvers = 1;
    r.roles = "manager";
    bo_assert_ok(bo_approval_rule_set(book, &r));
    seq0 = audit_seq();
    bo_assert_err(bo_ledger_recurring_run(book, D("2026-12-31"), &n), BO_ESTATE);
    ck_assert_int_eq(n, 0);
    assert_unchanged(seq0, cash0);
    bo_assert_ok(bo_approval_rule_remove(book, "ledger.entry.post"));
    bo_assert_ok(bo_ledger_recurring_run(book, D("2026-03-31"), &n));
    ck_assert_int_eq(n, 3);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ledger");
    TCase *t = tcase_create("ledger");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, post_and_balance);
    tcase_add_test(t, backdated_posting_shifts_later_days);
    tcase_add_test(t, idempotent_replay);
    tcase_add_test(t, bad_unbalanced);
    tcase_add_test(t, bad_unknown_account);
    tcase_add_test(t, bad_closed_account);
    tcase_add_test(t, bad_closed_period);
    tcase_add_test(t, bad_amount_overflow);
    tcase_add_test(t, bad_currency);
    tcase_add_test(t, bad_utf8_and_lengths);
    tcase_add_test(t, hostile_strings_round_trip);
    tcase_add_test(t, hostile_line_memos_round_trip_many);
    tcase_add_test(t, reversal);
    tcase_add_test(t, trial_balance_and_statements);
    tcase_add_test(t, journal_running_balance);
    tcase_add_test(t, transactions_and_savepoints);
    tcase_add_test(t, events_after_commit);
    tcase_add_test(t, trust_callback_failure_keeps_success);
    tcase_add_test(t, cursor_outlives_book);
    tcase_add_test(t, many_postings_and_currencies);
    tcase_add_test(t, new_day_rows_in_statements_and_long_texts);
    tcase_add_test(t, small_accessors);
    tcase_add_test(t, replay_after_close_or_near_overflow);
    tcase_add_test(t, post_many_posts_every_entry);
    tcase_add_test(t, post_many_refusal_writes_nothing);
    tcase_add_test(t, post_many_refused_under_an_approval_rule);
    tcase_add_test(t, post_many_setwise_equals_one_by_one);
    tcase_add_test(t, post_many_setwise_refusals);
    tcase_add_test(t, post_many_large_batch_in_pieces);
    tcase_add_test(t, post_many_wide_chart);
    tcase_add_test(t, recurring_posts_due_occurrences_once);
    tcase_add_test(t, recurring_counts_ends_and_periods);
    tcase_add_test(t, recurring_bad_input_changes_nothing);
    suite_add_tcase(s, t);
    TCase *two = tcase_create("two handles");
    tcase_set_tags(two, BO_TEST_TAG_REOPEN);
    tcase_add_test(two, approval_rule_of_another_handle_is_seen);
    suite_add_tcase(s, two);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
