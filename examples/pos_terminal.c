/*
 * pos_terminal: what a point-of-sale terminal does with libbackoffice.
 *
 *   pos_terminal [BOOK_URI]
 *
 * Opens the book (creating it, with a two-account chart, if the store is
 * empty; default "sqlite::memory:"), rings up a basket of sales in one
 * transaction, each sale carrying an idempotency key made of the terminal
 * and receipt numbers, and prints the cash balance. Run it twice on the same
 * file: the second run is a "network retry" and records nothing new.
 */
#include <backoffice.h>

#include <stdio.h>
#include <string.h>

#define TERMINAL "till-1"
#define SHIFT_DATE "2026-03-14" /* the business day the basket belongs to */
#define CASH "1000"
#define SALES "4000"

static int fail(const char *what, int rc)
{
    fprintf(stderr, "pos_terminal: %s: %s: %s\n", what, bo_error_name(rc),
            bo_error_message());
    return 1;
}

/* Add an account unless the chart has it already. */
static int ensure_account(bo_book *book, const char *code, const char *name,
                          int type)
{
    int rc = bo_ledger_account_add(book, code, name, type, NULL, NULL);
    return rc == BO_EEXISTS ? 0 : rc;
}

/* One sale: cash in, sales income out, keyed by terminal and receipt. */
static int ring_up(bo_book *book, bo_date date, int receipt, const char *price,
                   int64_t *id)
{
    const char *ccy = bo_book_base_currency(book);
    char key[64], memo[64];
    int64_t amount;
    bo_entry *e = NULL;
    snprintf(key, sizeof key, "%s/receipt-%d", TERMINAL, receipt);
    snprintf(memo, sizeof memo, "Receipt %d", receipt);
    int rc = bo_money_parse(price, ccy, &amount);
    if (rc == 0)
        rc = bo_entry_new(&e, date, memo);
    if (rc == 0)
        rc = bo_entry_set_key(e, key);
    if (rc == 0)
        rc = bo_entry_add(e, CASH, amount, NULL, NULL);
    if (rc == 0)
        rc = bo_entry_add(e, SALES, -amount, NULL, NULL);
    if (rc == 0)
        rc = bo_ledger_post(book, e, id);
    bo_entry_free(e);
    return rc;
}

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "sqlite::memory:";
    static const char *const basket[] = {"3.50", "12.99", "0.89", "7.25"};
    const int n = (int)(sizeof basket / sizeof basket[0]);
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    bo_book *book = NULL;
    int rc;

    bo_date date;
    if ((rc = bo_date_parse(SHIFT_DATE, &date)) < 0)
        return fail("date", rc);
    opts.actor = "owner";
    opts.create = 1;
    if ((rc = bo_book_open(&book, uri, &opts)) < 0)
        return fail("open", rc);
    if ((rc = ensure_account(book, CASH, "Cash", BO_ACCOUNT_ASSET)) < 0 ||
        (rc = ensure_account(book, SALES, "Sales", BO_ACCOUNT_INCOME)) < 0) {
        bo_book_free(book);
        return fail("chart", rc);
    }

    /* The whole basket commits together or not at all. */
    if ((rc = bo_book_begin(book)) < 0) {
        bo_book_free(book);
        return fail("begin", rc);
    }
    for (int i = 0; i < n; i++) {
        int64_t id = 0;
        if ((rc = ring_up(book, date, 1001 + i, basket[i], &id)) < 0) {
            bo_book_rollback(book);
            bo_book_free(book);
            return fail("sale", rc);
        }
        printf("receipt %d  %6s  entry #%lld\n", 1001 + i, basket[i],
               (long long)id);
    }
    if ((rc = bo_book_commit(book)) < 0) {
        bo_book_free(book);
        return fail("commit", rc);
    }

    int64_t cash = 0;
    char text[32];
    if ((rc = bo_ledger_balance(book, CASH, date, NULL, &cash)) < 0 ||
        (rc = bo_money_format(cash, bo_book_base_currency(book), text,
                              sizeof text)) < 0) {
        bo_book_free(book);
        return fail("balance", rc);
    }
    printf("cash balance at the end of %s: %s %s\n", SHIFT_DATE, text, bo_book_base_currency(book));
    bo_book_free(book);
    return 0;
}
