/* Year-end close: a two-year book whose balance sheet shows the first
 * year's profit in retained earnings, the income statement of a closed year
 * still showing its result, reopening, order, keys, and the bad-input
 * catalogue with nothing changed; a closed year refusing postings (one, a
 * batch, a reversal; seen by another handle), and the verification finding
 * a row written into it behind the library's back. */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bo_book *book;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t audit_seq(void)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &seq, hex, sizeof hex));
    return seq;
}

static void setup(void)
{
    book = bo_test_book("ledger_close");
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "3200", "Retained earnings", BO_ACCOUNT_EQUITY,
                                       NULL, NULL));
    bo_assert_ok(bo_ledger_period_add(book, "2025-12", D("2025-12-01"), D("2025-12-31")));
    /* 2025: sales 100.00 (20.00 of them online), expenses 30.00 */
    bo_test_post2(book, "2025-03-01", "1000", "4000", 8000);
    bo_test_post2(book, "2025-06-01", "1100", "4010", 2000);
    bo_test_post2(book, "2025-12-20", "5000", "1000", 3000);
    /* 2026: sales 50.00 */
    bo_test_post2(book, "2026-02-01", "1000", "4000", 5000);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

/* The amount of the statement row with code (NULL: the row named name). */
static int64_t row(bo_cursor *c, const char *code, const char *name)
{
    int64_t v = 0;
    int found = 0, rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *rc_code = bo_cursor_text(c, 1), *rc_name = bo_cursor_text(c, 2);
        if ((code && rc_code && !strcmp(rc_code, code)) ||
            (!code && !rc_code && !strcmp(rc_name, name))) {
            v = bo_cursor_int(c, 5);
            found = 1;
        }
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return found ? v : -1;
}

static int64_t sheet(const char *date, const char *code, const char *name)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_balance_sheet(book, D(date), &c));
    return row(c, code, name);
}

static int64_t income(const char *from, const char *to, const char *code, const char *name)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_income_statement(book, D(from), D(to), &c));
    return row(c, code, name);
}

static int64_t balance(const char *account, const char *date)
{
    int64_t v;
    bo_assert_ok(bo_ledger_balance(book, account, D(date), NULL, &v));
    return v;
}

/* Before: both years' profit is current earnings, retained earnings 0. */
START_TEST(figures_year_end_close)
{
    ck_assert_int_eq(sheet("2026-12-31", NULL, "current earnings"), 12000);
    ck_assert_int_eq(sheet("2026-12-31", "3200", NULL), -1); /* no balance yet */
    /* Close 2025 after its last month: the entry may post in the closed month. */
    bo_assert_ok(bo_ledger_period_close(book, "2025-12"));
    int64_t entry = 0;
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", "close-2025", &entry));
    ck_assert_int_gt(entry, 0);
    /* Retained earnings hold 2025's 70.00; current earnings only 2026's. */
    ck_assert_int_eq(sheet("2026-12-31", "3200", NULL), 7000);
    ck_assert_int_eq(sheet("2026-12-31", NULL, "current earnings"), 5000);
    ck_assert_int_eq(sheet("2025-12-31", "3200", NULL), 7000);
    ck_assert_int_eq(sheet("2025-12-31", NULL, "current earnings"), 0);
    /* Post-closing: income and expense are zero at the year end. */
    ck_assert_int_eq(balance("4000", "2025-12-31"), 0);
    ck_assert_int_eq(balance("5000", "2025-12-31"), 0);
    ck_assert_int_eq(balance("3200", "2025-12-31"), -7000);
    /* The closed year's income statement still shows its result. */
    ck_assert_int_eq(income("2025-01-01", "2025-12-31", "4000", NULL), 10000);
    ck_assert_int_eq(income("2025-01-01", "2025-12-31", "4010", NULL), 2000);
    ck_assert_int_eq(income("2025-01-01", "2025-12-31", "5000", NULL), 3000);
    ck_assert_int_eq(income("2025-01-01", "2025-12-31", NULL, "net income"), 7000);
    ck_assert_int_eq(income("2026-01-01", "2026-12-31", NULL, "net income"), 5000);
    ck_assert_int_eq(income("2025-01-01", "2026-12-31", NULL, "net income"), 12000);
    /* A replay answers the same entry; the key on another year is reuse. */
    int64_t again = 0;
    int64_t seq = audit_seq();
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", "close-2025", &again));
    ck_assert_int_eq(again, entry);
    ck_assert_int_eq(audit_seq(), seq);
    bo_assert_err(bo_ledger_year_close(book, D("2026-12-31"), "3200", "close-2025", NULL),
                  BO_EKEYREUSE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "key"));
    /* The closing entry is reversed only by reopening. */
    bo_assert_err(bo_ledger_reverse(book, entry, D("2025-12-31"), NULL, NULL), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "reopening"));
    /* Close 2026 too, then 2025 cannot be reopened before it. */
    bo_assert_ok(bo_ledger_year_close(book, D("2026-12-31"), "3200", NULL, NULL));
    ck_assert_int_eq(sheet("2026-12-31", "3200", NULL), 12000);
    ck_assert_int_eq(sheet("2026-12-31", NULL, "current earnings"), 0);
    bo_assert_err(bo_ledger_year_reopen(book, D("2025-12-31"), NULL, NULL), BO_ESTATE);
    bo_assert_ok(bo_ledger_year_reopen(book, D("2026-12-31"), NULL, NULL));
    int64_t rev = 0;
    bo_assert_ok(bo_ledger_year_reopen(book, D("2025-12-31"), "reopen-2025", &rev));
    ck_assert_int_gt(rev, entry);
    /* Reopened: as before the close. */
    ck_assert_int_eq(sheet("2026-12-31", NULL, "current earnings"), 12000);
    ck_assert_int_eq(balance("3200", "2026-12-31"), 0);
    ck_assert_int_eq(income("2025-01-01", "2025-12-31", NULL, "net income"), 7000);
    bo_assert_err(bo_ledger_year_reopen(book, D("2025-12-31"), NULL, NULL), BO_ENOTFOUND);
    /* Closed again: a new close of the same year is allowed. */
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", "close-2025b", NULL));
    ck_assert_int_eq(sheet("2026-12-31", "3200", NULL), 7000);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_year_closings(book, &c));
    int n = 0, reopened = 0;
    while (bo_cursor_next(c) == 0) {
        n++;
        reopened += bo_cursor_type(c, 3) != BO_TYPE_NULL;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(reopened, 2);
    /* Out of order: a year before an active close is refused. */
    bo_assert_err(bo_ledger_year_close(book, D("2024-12-31"), "3200", NULL, NULL), BO_ESTATE);
    bo_assert_err(bo_ledger_year_close(book, D("2025-12-31"), "3200", NULL, NULL), BO_EEXISTS);
    bo_assert_ok(bo_audit_verify(book, NULL));
}
END_TEST

/* Bad input: a specific code, a message naming the field, nothing changed. */
START_TEST(figures_year_end_close_refusals)
{
    int64_t seq = audit_seq();
    bo_assert_err(bo_ledger_year_close(book, D("2025-12-31"), "1000", NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "retained"));
    bo_assert_err(bo_ledger_year_close(book, D("2025-12-31"), "3999", NULL, NULL),
                  BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "retained"));
    bo_assert_err(bo_ledger_year_close(book, D("2025-12-31"), NULL, NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_ledger_year_close(book, BO_DATE_MAX + 1, "3200", NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "year_end"));
    bo_assert_err(bo_ledger_year_reopen(book, D("2025-12-31"), NULL, NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "year_end"));
    /* A foreign-currency income balance cannot go to a USD account. */
    bo_assert_ok(bo_ledger_account_add(book, "1300", "Cash EUR", BO_ACCOUNT_ASSET, NULL, "EUR"));
    bo_assert_ok(bo_ledger_account_add(book, "4300", "Sales EUR", BO_ACCOUNT_INCOME, NULL, "EUR"));
    bo_test_post2(book, "2025-05-05", "1300", "4300", 900);
    int64_t seq2 = audit_seq();
    bo_assert_err(bo_ledger_year_close(book, D("2025-12-31"), "3200", NULL, NULL), BO_ECURRENCY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "retained"));
    ck_assert_int_eq(audit_seq(), seq2);
    ck_assert_int_gt(seq2, seq);
    bo_cursor *c;
    bo_assert_ok(bo_ledger_year_closings(book, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* Permissions: a reader may list but not close or reopen. */
    bo_assert_ok(bo_role_define(book, "reader", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    bo_assert_ok(bo_book_set_actor(book, "rita"));
    bo_assert_err(bo_ledger_year_close(book, D("2024-12-31"), "3200", NULL, NULL), BO_EDENIED);
    bo_assert_err(bo_ledger_year_reopen(book, D("2024-12-31"), NULL, NULL), BO_EDENIED);
    bo_assert_ok(bo_ledger_year_closings(book, &c));
    bo_cursor_free(c);
}
END_TEST

/* A year with nothing to move is recorded without an entry. */
START_TEST(figures_year_end_close_empty_year)
{
    int64_t entry = -1;
    bo_assert_ok(bo_ledger_year_close(book, D("2024-12-31"), "3200", NULL, &entry));
    ck_assert_int_eq(entry, 0);
    bo_assert_ok(bo_ledger_year_reopen(book, D("2024-12-31"), NULL, &entry));
    ck_assert_int_eq(entry, 0);
    bo_assert_ok(bo_ledger_year_close(book, D("2024-12-31"), "3200", NULL, &entry));
    ck_assert_int_eq(entry, 0);
}
END_TEST

static bo_entry *entry2(const char *date, const char *debit, const char *credit,
                        int64_t amount)
{
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, D(date), "test"));
    bo_assert_ok(bo_entry_add(e, debit, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, credit, -amount, NULL, NULL));
    return e;
}

/* BO_EPERIOD naming the date and the closed year. */
static void expect_closed_year(int rc, const char *date)
{
    ck_assert_msg(rc == BO_EPERIOD, "got %s: %s", bo_error_name(rc), bo_error_message());
    ck_assert_ptr_nonnull(strstr(bo_error_message(), date));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "fiscal year ending 2025-12-31"));
}

/* A closed year takes no posting: alone, in a batch, a reversal dated in
 * it; nothing changes. After its end postings go on; reopened, it takes
 * them again. */
START_TEST(closed_year_refuses_postings)
{
    int64_t first = bo_test_post2(book, "2025-04-01", "1000", "4000", 100);
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", NULL, NULL));
    int64_t seq = audit_seq(), cash = balance("1000", "2026-12-31");
    int64_t sales = balance("4000", "2025-12-31");
    ck_assert_int_eq(sales, 0); /* the close zeroed it */
    bo_entry *e = entry2("2025-07-15", "1000", "4000", 500);
    int64_t id = -1;
    expect_closed_year(bo_ledger_post(book, e, &id), "2025-07-15");
    bo_entry_free(e);
    /* the year's last day too, and any earlier year */
    e = entry2("2025-12-31", "5000", "1000", 500);
    expect_closed_year(bo_ledger_post(book, e, NULL), "2025-12-31");
    bo_entry_free(e);
    e = entry2("2019-01-01", "5000", "1000", 500);
    expect_closed_year(bo_ledger_post(book, e, NULL), "2019-01-01");
    bo_entry_free(e);
    /* a batch with one entry in the closed year: none of it */
    bo_entry *many[3] = { entry2("2026-03-01", "1000", "4000", 1),
                          entry2("2025-11-30", "1000", "4000", 2),
                          entry2("2026-03-02", "1000", "4000", 4) };
    int64_t ids[3] = { -1, -1, -1 };
    int rc = bo_ledger_post_many(book, many, 3, ids);
    expect_closed_year(rc, "2025-11-30");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "entry 2"));
    ck_assert_int_eq(ids[0], 0);
    /* a reversal dated in the year */
    expect_closed_year(bo_ledger_reverse(book, first, D("2025-12-01"), NULL, NULL),
                       "2025-12-01");
    /* nothing changed */
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(balance("1000", "2026-12-31"), cash);
    ck_assert_int_eq(balance("4000", "2025-12-31"), 0);
    ck_assert_int_eq(sheet("2026-12-31", NULL, "current earnings"), 5000);
    bo_test_expect_verified(book);
    /* after the year end: posted, the batch without its 2025 entry too */
    bo_test_post2(book, "2026-01-01", "1000", "4000", 8);
    bo_entry_free(many[1]);
    many[1] = entry2("2026-03-01", "1000", "4000", 2);
    bo_assert_ok(bo_ledger_post_many(book, many, 3, ids));
    ck_assert_int_gt(ids[2], ids[0]);
    for (int i = 0; i < 3; i++)
        bo_entry_free(many[i]);
    /* a reversal of a closed year's entry dated after it */
    bo_assert_ok(bo_ledger_reverse(book, first, D("2026-01-02"), NULL, NULL));
    ck_assert_int_eq(balance("1000", "2026-12-31"), cash + 8 + 7 - 100);
    /* reopened: the year takes postings again */
    bo_assert_ok(bo_ledger_year_reopen(book, D("2025-12-31"), NULL, NULL));
    e = entry2("2025-07-15", "1000", "4000", 500);
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    ck_assert_int_gt(id, 0);
    bo_test_expect_verified(book);
}
END_TEST

/* A close by another handle (another connection, as another process) is
 * seen at this handle's next transaction, and so is its reopening. */
START_TEST(closed_year_seen_by_another_handle)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_book *other = NULL;
    bo_assert_ok(bo_book_open(&other, bo_book_uri(book), &o));
    bo_entry *e = entry2("2025-08-01", "1000", "4000", 300);
    bo_assert_ok(bo_ledger_post(other, e, NULL)); /* its cache holds no closed year */
    int64_t sales = balance("4000", "2025-12-31");
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", NULL, NULL));
    ck_assert_int_eq(balance("4000", "2025-12-31"), 0);
    int64_t seq = audit_seq();
    expect_closed_year(bo_ledger_post(other, e, NULL), "2025-08-01");
    ck_assert_int_eq(audit_seq(), seq);
    bo_assert_ok(bo_ledger_year_reopen(book, D("2025-12-31"), NULL, NULL));
    bo_assert_ok(bo_ledger_post(other, e, NULL));
    bo_entry_free(e);
    bo_book_free(other);
    ck_assert_int_eq(balance("4000", "2025-12-31"), sales - 300);
}
END_TEST

/* A row written into a closed year behind the library's back (raw SQL)
 * is named by the full verification. */
START_TEST(closed_year_row_inserted_is_found)
{
    int64_t closing = 0;
    bo_assert_ok(bo_ledger_year_close(book, D("2025-12-31"), "3200", NULL, &closing));
    bo_test_expect_verified(book);
    char sql[512];
    snprintf(sql, sizeof sql,
             "INSERT INTO entries (id, date, memo, idem_key, actor, digest)"
             " SELECT %" PRId64 ", '2025-06-15', memo, NULL, actor, digest FROM entries"
             " WHERE id = 1;"
             " INSERT INTO postings SELECT %" PRId64 ", line, account_id, amount,"
             " currency, memo, '2025-06-15', base_amount FROM postings"
             " WHERE entry_id = 1", closing + 100, closing + 100);
    bo_test_raw_sql(bo_book_uri(book), sql);
    bo_assert_err(bo_audit_verify_full(book, NULL, NULL), BO_ECORRUPT);
    bo_cursor *c;
    bo_assert_ok(bo_audit_verify_list(book, NULL, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 1), "postings") &&
            strstr(bo_cursor_text(c, 3), "fiscal year ending 2025-12-31"))
            found++;
    bo_cursor_free(c);
    ck_assert_int_eq(found, 2); /* each of its two lines */
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ledger_close");
    TCase *t = tcase_create("close");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, figures_year_end_close);
    tcase_add_test(t, figures_year_end_close_refusals);
    tcase_add_test(t, figures_year_end_close_empty_year);
    tcase_add_test(t, closed_year_refuses_postings);
    suite_add_tcase(s, t);
    TCase *two = tcase_create("two handles");
    tcase_set_tags(two, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(two, setup, teardown);
    tcase_add_test(two, closed_year_seen_by_another_handle);
    tcase_add_test(two, closed_year_row_inserted_is_found);
    suite_add_tcase(s, two);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
