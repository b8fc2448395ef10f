/*
 * A whole book from YAML (bo_book_create_from_yaml_string) into a fresh
 * in-memory SQLite store. The URI argument always wins over the file's
 * "storage" key, so no input can touch the file system. Properties:
 *  - a refusal is BO_ECONFIG or BO_ELIMIT with "<string>:LINE:COLUMN: "
 *    and no book;
 *  - an accepted book is consistent: its audit chain verifies, its trial
 *    balance is empty, every account listed has a valid type and currency.
 */
#include "fuzz_util.h"

#include <stdio.h>
#include <string.h>

static void check_book(bo_book *b)
{
    int64_t bad = -1;
    int rc = bo_audit_verify(b, &bad);
    FZ_ASSERT(rc == 0 && bad == 0, "audit verify: %d at %lld", rc, (long long)bad);
    FZ_ASSERT(bo_book_base_currency(b)[0] != '\0', "no base currency");

    bo_cursor *c = NULL;
    FZ_ASSERT(bo_ledger_trial_balance(b, BO_DATE_MAX, &c) == 0, "trial balance");
    FZ_ASSERT(bo_cursor_next(c) == BO_ITEROVER, "a new book has balances");
    bo_cursor_free(c);

    FZ_ASSERT(bo_ledger_accounts(b, &c) == 0, "accounts");
    int type_col = bo_cursor_column_index(c, "type");
    int cur_col = bo_cursor_column_index(c, "currency");
    while ((rc = bo_cursor_next(c)) == 0) {
        int e;
        FZ_ASSERT(bo_account_type_parse(bo_cursor_text(c, type_col)) > 0,
                  "account type");
        FZ_ASSERT(bo_currency_exponent(bo_cursor_text(c, cur_col), &e) == 0,
                  "account currency");
    }
    FZ_ASSERT(rc == BO_ITEROVER, "accounts cursor: %d", rc);
    bo_cursor_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    bo_book *b = (bo_book *)1;
    int rc = bo_book_create_from_yaml_string(&b, (const char *)data, size,
                                             "sqlite::memory:", NULL);
    if (rc) {
        FZ_ASSERT(b == NULL, "refused but a book was returned");
        FZ_ASSERT(rc == BO_ECONFIG || rc == BO_ELIMIT, "rc %d (%s)", rc,
                  bo_error_name(rc));
        fz_check_refusal(rc, "bo_book_create_from_yaml_string");
        unsigned line, col;
        FZ_ASSERT(sscanf(bo_error_message(), "<string>:%u:%u: ", &line, &col) == 2,
                  "message without a position: %s", bo_error_message());
        return 0;
    }
    FZ_ASSERT(b != NULL, "accepted without a book");
    check_book(b);
    bo_book_free(b);
    return 0;
}
