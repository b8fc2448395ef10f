#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *bo_test_path(const char *stem)
{
    static int counter;
    const char *dir = getenv("BO_TEST_TMPDIR");
    char *path = malloc(4096);
    ck_assert_ptr_nonnull(path);
    snprintf(path, 4096, "%s/%s-%ld-%d.db", dir ? dir : "/tmp", stem,
             (long)getpid(), counter++);
    unlink(path);
    char side[4200];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return path;
}

bo_book *bo_test_book(const char *stem)
{
    char *path = bo_test_path(stem);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_OFF;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, path, &opts);
    ck_assert_msg(rc == 0, "open %s: %s", path, bo_error_message());
    free(path);
    return book;
}

void bo_test_chart(bo_book *book)
{
    bo_assert_ok(bo_ledger_account_add(book, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1100", "Bank", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2000", "Payables", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "3000", "Equity", BO_ACCOUNT_EQUITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "4010", "Sales: online", BO_ACCOUNT_INCOME, "4000", NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5000", "Expenses", BO_ACCOUNT_EXPENSE, NULL, NULL));
}

int64_t bo_test_post2(bo_book *book, const char *date, const char *debit,
                      const char *credit, int64_t amount)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(date, &d));
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, d, "test"));
    bo_assert_ok(bo_entry_add(e, debit, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, credit, -amount, NULL, NULL));
    int64_t id = 0;
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    return id;
}

int bo_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
