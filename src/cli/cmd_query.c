/*
 * The read-only verbs that call one library function and render the cursor
 * it returns: accounts, periods, roles (no options), trial-balance,
 * balance-sheet (--as-of, default: every date) and income-statement (--from
 * and --to, both required). The table says which function each verb calls;
 * the function's kind says which options it reads (the verbs' tables accept
 * them: --as-of for the first kind, --from and --to for the second).
 */
#include "cli.h"

#include <string.h>

/* One command: exactly one of the functions is set. */
typedef struct query {
    const char *command;
    int (*list)(bo_book *book, bo_cursor **out);
    int (*as_of)(bo_book *book, bo_date as_of, bo_cursor **out);
    int (*range)(bo_book *book, bo_date from, bo_date to, bo_cursor **out);
} query;

static const query queries[] = {
    {"accounts", bo_ledger_accounts, NULL, NULL},
    {"periods", bo_ledger_periods, NULL, NULL},
    {"year-closings", bo_ledger_year_closings, NULL, NULL},
    {"recurring-list", bo_ledger_recurring_list, NULL, NULL},
    {"roles", bo_role_list, NULL, NULL},
    {"tax-rates", bo_tax_rates, NULL, NULL},
    {"tax-categories", bo_tax_categories, NULL, NULL},
    {"trial-balance", NULL, bo_ledger_trial_balance, NULL},
    {"balance-sheet", NULL, bo_ledger_balance_sheet, NULL},
    {"income-statement", NULL, NULL, bo_ledger_income_statement},
};

static const query *find_query(const char *command)
{
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        if (strcmp(queries[i].command, command) == 0)
            return &queries[i];
    return NULL;
}

/* The dates the options give. They are read before the book is opened, so
 * a mistyped date is reported as such even when the book is missing. */
static int query_dates(const query *q, const cli_args *a, bo_date *from,
                       bo_date *to)
{
    *from = BO_DATE_MIN;
    *to = BO_DATE_MAX;
    if (q->as_of != NULL)
        return cli_opt_date(a, "as-of", BO_DATE_MAX, to);
    if (q->range == NULL)
        return 0;
    if (cli_opt_get(a, "from") == NULL || cli_opt_get(a, "to") == NULL)
        return cli_usage_error("%s: --from and --to are required", q->command);
    int status = cli_opt_date(a, "from", BO_DATE_MIN, from);
    return status != 0 ? status : cli_opt_date(a, "to", BO_DATE_MAX, to);
}

int cli_query(cli *c, const cli_args *a)
{
    const query *q = find_query(c->cmd->name);
    if (q == NULL) /* a verb's table names a query missing above */
        return cli_usage_error("%s: no query for this command", c->cmd->name);
    bo_date from, to;
    int status = query_dates(q, a, &from, &to);
    if (status != 0 || (status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = q->list != NULL    ? q->list(c->book, &cur)
             : q->as_of != NULL ? q->as_of(c->book, to, &cur)
                                : q->range(c->book, from, to, &cur);
    return cli_show(c, rc, cur);
}
