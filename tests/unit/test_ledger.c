/* The ledger through the public API: posting, the bad-input catalogue,
 * reversals, periods, balances, statements. */
#include "testutil.h"

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
    tcase_add_test(t, reversal);
    tcase_add_test(t, trial_balance_and_statements);
    tcase_add_test(t, journal_running_balance);
    tcase_add_test(t, transactions_and_savepoints);
    tcase_add_test(t, events_after_commit);
    tcase_add_test(t, trust_callback_failure_keeps_success);
    tcase_add_test(t, cursor_outlives_book);
    tcase_add_test(t, many_postings_and_currencies);
    tcase_add_test(t, small_accessors);
    tcase_add_test(t, replay_after_close_or_near_overflow);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
