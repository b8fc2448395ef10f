/* Shared helpers for the Check suites. */
#ifndef BO_TESTUTIL_H
#define BO_TESTUTIL_H

#include <check.h>
#include "backoffice.h"

/* A fresh path under the test scratch folder, unique per call (caller
 * frees with free()). Any old file of that name is removed. */
char *bo_test_path(const char *stem);

/* Open a new book at a fresh SQLite file with actor "owner" (owner role),
 * base currency USD, synchronous OFF for speed. */
bo_book *bo_test_book(const char *stem);

/* A small chart: 1000 Cash (asset), 1100 Bank (asset), 2000 Payables
 * (liability), 3000 Equity, 4000 Sales (income), 4010 Sales:Online
 * (income, parent 4000), 5000 Expenses. */
void bo_test_chart(bo_book *book);

/* Post a two-line entry debit/credit amount on date "YYYY-MM-DD";
 * returns the entry id (fails the test on error). */
int64_t bo_test_post2(bo_book *book, const char *date, const char *debit,
                      const char *credit, int64_t amount);

/* Run the suite with CK_ENV and return the process exit status. */
int bo_test_run(Suite *s);

/* ck_assert that rc == expected and the last message is non-empty. */
#define bo_assert_err(rc, expected) do { \
    int bo__rc = (rc); \
    ck_assert_msg(bo__rc == (expected), "rc %d (%s), expected %d: %s", \
                  bo__rc, bo_error_name(bo__rc), (expected), bo_error_message()); \
    ck_assert_msg(bo_error_message()[0] != '\0', "empty error message"); \
} while (0)

#define bo_assert_ok(rc) do { \
    int bo__rc = (rc); \
    ck_assert_msg(bo__rc == 0, "rc %d (%s): %s", bo__rc, bo_error_name(bo__rc), \
                  bo_error_message()); \
} while (0)

#endif
