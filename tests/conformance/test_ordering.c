/*
 * Byte-wise text order on every backend. The ledger finds sub-accounts by
 * a range over materialised paths ("/1/5/" .. "/1/50") and lists accounts,
 * trial balances and statements ordered by code: all of it must follow the
 * bytes, as SQLite's BINARY collation does, whatever collation the
 * database has (a PostgreSQL database in en_US or ICU ignores punctuation:
 * "/15/" would sort between "/1/5/" and "/1/50"). The test server's
 * default collation is such a one (tests/postgres/pg_server.sh).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 48
#define ROOTS 12

static char codes[N][16];
static int parent[N];
static int64_t amount[N];

static void make_chart(bo_book *b)
{
    static const char *const pre[] = { "a", "A", "a-", "A.", "1", "1/" };
    static const char *const suf[] = { "", "-", "/", "0" };
    static const int types[] = { BO_ACCOUNT_ASSET, BO_ACCOUNT_LIABILITY,
                                 BO_ACCOUNT_EQUITY, BO_ACCOUNT_INCOME,
                                 BO_ACCOUNT_EXPENSE };
    int type[N];
    for (int i = 0; i < N; i++) {
        snprintf(codes[i], sizeof codes[i], "%s%d%s", pre[i % 6], i / 6, suf[i % 4]);
        /* roots first; then a tree several levels deep, so paths mix one-
         * and two-digit ids ("/1/13/", "/13/", "/1/3/") */
        parent[i] = i < ROOTS ? -1 : (i - ROOTS) / 2;
        type[i] = parent[i] < 0 ? types[i % 5] : type[parent[i]];
        amount[i] = (int64_t)(i + 1) * 1000 + i;
        bo_assert_ok(bo_ledger_account_add(b, codes[i], codes[i], type[i],
                                           parent[i] < 0 ? NULL : codes[parent[i]],
                                           NULL));
    }
    bo_assert_ok(bo_ledger_account_add(b, "~counter", "counter",
                                       BO_ACCOUNT_LIABILITY, NULL, NULL));
    for (int i = 0; i < N; i++) {
        bo_entry *e = NULL;
        bo_assert_ok(bo_entry_new(&e, 20454 + i, codes[i]));
        bo_assert_ok(bo_entry_add(e, codes[i], amount[i], NULL, NULL));
        bo_assert_ok(bo_entry_add(e, "~counter", -amount[i], NULL, NULL));
        bo_assert_ok(bo_ledger_post(b, e, NULL));
        bo_entry_free(e);
    }
}

static int is_within(int i, int ancestor)
{
    for (; i >= 0; i = parent[i])
        if (i == ancestor)
            return 1;
    return 0;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every account's balance with its sub-accounts, and the journal of its
 * subtree, match the tree. */
START_TEST(subtrees_follow_the_paths)
{
    bo_book *b = bo_test_book("ordering");
    make_chart(b);
    for (int a = 0; a < N; a++) {
        int64_t want = 0, got = 0;
        int rows_want = 0;
        for (int i = 0; i < N; i++) {
            if (is_within(i, a)) {
                want += amount[i];
                rows_want++;
            }
        }
        bo_assert_ok(bo_ledger_balance(b, codes[a], BO_DATE_MAX, NULL, &got));
        ck_assert_msg(got == want, "%s: balance %lld, its subtree holds %lld",
                      codes[a], (long long)got, (long long)want);
        bo_cursor *c;
        bo_assert_ok(bo_ledger_journal(b, codes[a], BO_DATE_MIN, BO_DATE_MAX, &c));
        int rows = 0;
        while (bo_cursor_next(c) == 0) {
            const char *code = bo_cursor_text(c, bo_cursor_column_index(c, "account"));
            int found = -1;
            for (int i = 0; i < N; i++)
                if (strcmp(codes[i], code) == 0)
                    found = i;
            ck_assert_msg(found >= 0 && is_within(found, a),
                          "journal of %s lists %s", codes[a], code);
            rows++;
        }
        bo_cursor_free(c);
        ck_assert_msg(rows == rows_want, "journal of %s: %d rows, expected %d",
                      codes[a], rows, rows_want);
    }
    bo_book_free(b);
}
END_TEST

/* Listings ordered by code come in strcmp() order. */
START_TEST(listings_in_byte_order)
{
    bo_book *b = bo_test_book("ordering-list");
    make_chart(b);
    const char *sorted[N + 1];
    for (int i = 0; i < N; i++)
        sorted[i] = codes[i];
    sorted[N] = "~counter";
    qsort(sorted, N + 1, sizeof *sorted, by_bytes);

    bo_cursor *c;
    int n = 0;
    bo_assert_ok(bo_ledger_accounts(b, &c));
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_le(n, N);
        ck_assert_str_eq(bo_cursor_text(c, 0), sorted[n]);
        n++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, N + 1);

    n = 0;
    bo_assert_ok(bo_ledger_trial_balance(b, BO_DATE_MAX, &c));
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_le(n, N);
        ck_assert_str_eq(bo_cursor_text(c, 0), sorted[n]);
        n++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, N + 1);

    /* Statements: within a section, codes in byte order; each parent's
     * amount includes its sub-accounts. */
    bo_assert_ok(bo_ledger_balance_sheet(b, BO_DATE_MAX, &c));
    char last_section[32] = "", last_code[32] = "";
    int rows = 0;
    while (bo_cursor_next(c) == 0) {
        const char *section = bo_cursor_text(c, 0), *code = bo_cursor_text(c, 1);
        if (!code)
            continue; /* current earnings */
        if (strcmp(section, last_section) == 0)
            ck_assert_msg(strcmp(last_code, code) < 0, "%s listed after %s",
                          code, last_code);
        snprintf(last_section, sizeof last_section, "%s", section);
        snprintf(last_code, sizeof last_code, "%s", code);
        rows++;
    }
    bo_cursor_free(c);
    ck_assert_int_gt(rows, 10);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ordering");
    TCase *t = tcase_create("ordering");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, subtrees_follow_the_paths);
    tcase_add_test(t, listings_in_byte_order);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
