/*
 * consumer: the smallest useful host of libbackoffice. It checks that the
 * headers and the library it runs with agree, posts one sale to a
 * throwaway book and prints the balance.
 */
#include <backoffice.h>

#include <stdio.h>

static int fail(const char *what, int rc)
{
    fprintf(stderr, "consumer: %s: %s: %s\n", what, bo_error_name(rc),
            bo_error_message());
    return 1;
}

int main(void)
{
    if (bo_version_number() / 100 != BO_VERSION_NUMBER / 100) {
        fprintf(stderr, "consumer: built for %d, running with %s\n",
                BO_VERSION_NUMBER, bo_version());
        return 1;
    }
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    bo_book *book = NULL;
    bo_entry *entry = NULL;
    bo_date date;
    int64_t id = 0, cash = 0;
    char text[32];
    int rc;

    if ((rc = bo_book_open(&book, "sqlite::memory:", &opts)) < 0)
        return fail("open", rc);
    if ((rc = bo_ledger_account_add(book, "1000", "Cash", BO_ACCOUNT_ASSET,
                                    NULL, NULL)) < 0 ||
        (rc = bo_ledger_account_add(book, "4000", "Sales", BO_ACCOUNT_INCOME,
                                    NULL, NULL)) < 0 ||
        (rc = bo_date_parse("2026-01-02", &date)) < 0 ||
        (rc = bo_entry_new(&entry, date, "First sale")) < 0 ||
        (rc = bo_entry_add(entry, "1000", 1999, NULL, NULL)) < 0 ||
        (rc = bo_entry_add(entry, "4000", -1999, NULL, NULL)) < 0 ||
        (rc = bo_ledger_post(book, entry, &id)) < 0 ||
        (rc = bo_ledger_balance(book, "1000", date, NULL, &cash)) < 0 ||
        (rc = bo_money_format(cash, bo_book_base_currency(book), text,
                              sizeof text)) < 0) {
        bo_entry_free(entry);
        bo_book_free(book);
        return fail("ledger", rc);
    }
    printf("libbackoffice %s: entry #%lld posted, cash %s %s\n", bo_version(),
           (long long)id, text, bo_book_base_currency(book));
    bo_entry_free(entry);
    bo_book_free(book);
    return cash == 1999 ? 0 : 1;
}
