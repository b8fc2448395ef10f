/* Copying a whole book between stores (SQLite files here; the conformance
 * suite covers the other backends). */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *src_path;

static void fill(void)
{
    src_path = bo_test_path("copy-src");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b;
    bo_assert_ok(bo_book_open(&b, src_path, &o));
    bo_assert_ok(bo_book_set_name(b, "Copy 'n' paste shop"));
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "1010", "Cash EUR", BO_ACCOUNT_ASSET, NULL, "EUR"));
    bo_assert_ok(bo_ledger_period_add(b, "2026-01", 20454, 20484));
    for (int i = 0; i < 2500; i++)
        bo_test_post2(b, i < 100 ? "2026-01-10" : "2026-02-10", "1000", "4010", 100 + i);
    bo_assert_ok(bo_ledger_period_close(b, "2026-01"));
    bo_assert_ok(bo_ledger_reverse(b, 150, 20500, "rev-150", NULL));
    bo_assert_ok(bo_ledger_account_close(b, "5000"));
    bo_assert_ok(bo_role_define(b, "clerk", "ledger.read ledger.post"));
    bo_assert_ok(bo_role_grant(b, "bob", "clerk"));
    bo_book_free(b);
}

/* Every table as one text, rows in key order. */
static char *dump(const char *path)
{
    static const char *const tables[] = {
        "SELECT * FROM bo_meta ORDER BY key", "SELECT * FROM roles ORDER BY name",
        "SELECT * FROM grants ORDER BY actor, role", "SELECT * FROM accounts ORDER BY id",
        "SELECT * FROM periods ORDER BY id", "SELECT * FROM entries ORDER BY id",
        "SELECT * FROM reversals ORDER BY entry_id",
        "SELECT * FROM postings ORDER BY entry_id, line",
        "SELECT * FROM account_days ORDER BY account_id, currency, date",
        "SELECT * FROM audit_log ORDER BY seq",
    };
    sqlite3 *db;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    size_t cap = 1 << 20, len = 0;
    char *out = malloc(cap);
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        sqlite3_stmt *s;
        ck_assert_int_eq(sqlite3_prepare_v2(db, tables[t], -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const char *v = (const char *)sqlite3_column_text(s, c);
                size_t n = v ? strlen(v) : 4;
                while (len + n + 16 > cap)
                    out = realloc(out, cap *= 2);
                len += (size_t)sprintf(out + len, "%d|%s|", sqlite3_column_type(s, c),
                                       v ? v : "NULL");
            }
            out[len++] = '\n';
        }
        sqlite3_finalize(s);
    }
    out[len] = '\0';
    sqlite3_close(db);
    return out;
}

static int progress_calls;
static int saw_audit;
static void on_progress(const char *stage, int64_t done, int64_t total, void *user)
{
    ck_assert_ptr_eq(user, &progress_calls);
    ck_assert_int_le(done, total);
    progress_calls++;
    if (strcmp(stage, "audit_log") == 0 && done == total)
        saw_audit = 1;
}

START_TEST(round_trip_is_identical)
{
    fill();
    char *mid = bo_test_path("copy-mid"), *back = bo_test_path("copy-back");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    progress_calls = saw_audit = 0;
    bo_assert_ok(bo_book_copy(src_path, mid, &o, on_progress, &progress_calls));
    ck_assert_int_gt(progress_calls, 10);
    ck_assert_int_eq(saw_audit, 1);
    bo_assert_ok(bo_book_copy(mid, back, &o, NULL, NULL));
    char *a = dump(src_path), *b = dump(mid), *c = dump(back);
    ck_assert_int_gt(strlen(a), 10000);
    ck_assert_msg(strcmp(a, b) == 0, "copy differs from the source");
    ck_assert_msg(strcmp(a, c) == 0, "second copy differs from the source");
    free(a); free(b); free(c);

    /* the copy is a working book: post, and the chain continues */
    bo_book *bk;
    bo_assert_ok(bo_book_open(&bk, back, &o));
    int64_t id = bo_test_post2(bk, "2026-03-01", "1000", "4000", 1);
    ck_assert_int_eq(id, 2502); /* keys continue after the copied ones */
    bo_assert_ok(bo_audit_verify(bk, NULL));
    ck_assert_str_eq(bo_book_name(bk), "Copy 'n' paste shop");
    bo_book_free(bk);
    free(mid); free(back);
    free(src_path);
}
END_TEST

START_TEST(refusals)
{
    fill();
    char *dst = bo_test_path("copy-dst");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "bob"; /* a clerk: no book.admin */
    bo_assert_err(bo_book_copy(src_path, dst, &o, NULL, NULL), BO_EDENIED);
    o.actor = "owner";
    bo_assert_err(bo_book_copy(src_path, src_path, &o, NULL, NULL), BO_EEXISTS);
    bo_assert_err(bo_book_copy("nosuch:x", dst, &o, NULL, NULL), BO_EDRIVER);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "source"));
    bo_assert_err(bo_book_copy(src_path, "", &o, NULL, NULL), BO_EINVAL);
    /* a refused copy leaves no book behind */
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, dst, &o), BO_ENOTFOUND);
    free(dst);
    free(src_path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("copy");
    TCase *t = tcase_create("copy");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, round_trip_is_identical);
    tcase_add_test(t, refusals);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
