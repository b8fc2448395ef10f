/*
 * Reports with options of their own: balance, journal. Dates default to the
 * whole history. (trial-balance, balance-sheet and income-statement are
 * table entries in cmd_query.c.)
 */
#include "cli.h"

#include <string.h>

/* The currency of account @p code from the chart, copied into @p buf, or ""
 * when it cannot be read (the balance call then names the problem). */
static void account_currency(cli *c, const char *code, char *buf, size_t size)
{
    buf[0] = '\0';
    bo_cursor *cur = NULL;
    if (bo_ledger_accounts(c->book, &cur) < 0)
        return;
    int code_col = bo_cursor_column_index(cur, "code");
    int cur_col = bo_cursor_column_index(cur, "currency");
    while (bo_cursor_next(cur) == 0) {
        const char *k = bo_cursor_text(cur, code_col);
        const char *v = bo_cursor_text(cur, cur_col);
        if (k != NULL && v != NULL && strcmp(k, code) == 0) {
            snprintf(buf, size, "%s", v);
            break;
        }
    }
    bo_cursor_free(cur);
}

static int balance(cli *c, const cli_args *a)
{
    bo_date as_of;
    int status;
    if ((status = cli_opt_date(a, "as-of", BO_DATE_MAX, &as_of)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    const char *currency = cli_opt_get(a, "currency");
    int64_t balance = 0;
    int rc = bo_ledger_balance(c->book, a->pos[0], as_of, currency, &balance);
    if (rc < 0)
        return cli_lib_error(c, rc);
    char ccy[BO_CURRENCY_MAX + 1];
    if (currency == NULL) {
        account_currency(c, a->pos[0], ccy, sizeof ccy);
        currency = ccy[0] != '\0' ? ccy : NULL;
    }
    /* No --as-of: the balance of every posting, shown as a null date. */
    const char *date = cli_opt_get(a, "as-of");
    cli_field f[] = {
        {"account", BO_TYPE_TEXT, 0, a->pos[0]},
        {"as_of", date ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, date},
        {"currency", currency ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, currency},
        {"balance", BO_TYPE_INT, balance, NULL},
    };
    return cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
}

int cmd_balance(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"as-of", "currency", NULL};
    return cli_run(c, cmd, argc, argv, names, 1, 1, balance);
}

static int journal(cli *c, const cli_args *a)
{
    bo_date from, to;
    int status;
    if ((status = cli_opt_date(a, "from", BO_DATE_MIN, &from)) != 0 ||
        (status = cli_opt_date(a, "to", BO_DATE_MAX, &to)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_journal(c->book, cli_opt_get(a, "account"), from, to,
                               &cur);
    return cli_show(c, rc, cur);
}

int cmd_journal(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"account", "from", "to", NULL};
    return cli_run(c, cmd, argc, argv, names, 0, 0, journal);
}
