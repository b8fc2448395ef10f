/*
 * Balances and reports: balance, trial-balance, journal, balance-sheet,
 * income-statement. Dates default to the whole history.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Parse an optional date option, or use @p dflt. */
static int opt_date(const cli_args *a, const char *name, bo_date dflt,
                    bo_date *out)
{
    const char *text = cli_opt_get(a, name);
    if (text == NULL) {
        *out = dflt;
        return 0;
    }
    char field[24];
    snprintf(field, sizeof field, "--%s", name);
    return cli_date(field, text, out);
}

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

int cmd_balance(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"as-of", "currency", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 1, 1, &a);
    if (status != 0 || a.help)
        goto done;
    bo_date as_of;
    if ((status = opt_date(&a, "as-of", BO_DATE_MAX, &as_of)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    const char *currency = cli_opt_get(&a, "currency");
    int64_t balance = 0;
    int rc = bo_ledger_balance(c->book, a.pos[0], as_of, currency, &balance);
    if (rc < 0) {
        status = cli_lib_error(c, rc);
        goto done;
    }
    char ccy[BO_CURRENCY_MAX + 1];
    if (currency == NULL) {
        account_currency(c, a.pos[0], ccy, sizeof ccy);
        currency = ccy[0] != '\0' ? ccy : NULL;
    }
    /* No --as-of: the balance of every posting, shown as a null date. */
    const char *date = cli_opt_get(&a, "as-of");
    cli_field f[] = {
        {"account", BO_TYPE_TEXT, 0, a.pos[0]},
        {"as_of", date ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, date},
        {"currency", currency ? BO_TYPE_TEXT : BO_TYPE_NULL, 0, currency},
        {"balance", BO_TYPE_INT, balance, NULL},
    };
    status = cli_render_record(c, f, (int)(sizeof f / sizeof f[0]), NULL);
done:
    cli_args_free(&a);
    return status;
}

int cmd_trial_balance(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"as-of", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 0, 0, &a);
    if (status != 0 || a.help)
        goto done;
    bo_date as_of;
    if ((status = opt_date(&a, "as-of", BO_DATE_MAX, &as_of)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_trial_balance(c->book, as_of, &cur);
    status = rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
done:
    cli_args_free(&a);
    return status;
}

int cmd_journal(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"account", "from", "to", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 0, 0, &a);
    if (status != 0 || a.help)
        goto done;
    bo_date from, to;
    if ((status = opt_date(&a, "from", BO_DATE_MIN, &from)) != 0 ||
        (status = opt_date(&a, "to", BO_DATE_MAX, &to)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_journal(c->book, cli_opt_get(&a, "account"), from, to,
                               &cur);
    status = rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
done:
    cli_args_free(&a);
    return status;
}

int cmd_balance_sheet(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"as-of", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 0, 0, &a);
    if (status != 0 || a.help)
        goto done;
    bo_date as_of;
    if ((status = opt_date(&a, "as-of", BO_DATE_MAX, &as_of)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_balance_sheet(c->book, as_of, &cur);
    status = rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
done:
    cli_args_free(&a);
    return status;
}

int cmd_income_statement(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"from", "to", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 0, 0, &a);
    if (status != 0 || a.help)
        goto done;
    if (cli_opt_get(&a, "from") == NULL || cli_opt_get(&a, "to") == NULL) {
        status = cli_usage_error("income-statement: --from and --to are required");
        goto done;
    }
    bo_date from, to;
    if ((status = opt_date(&a, "from", 0, &from)) != 0 ||
        (status = opt_date(&a, "to", 0, &to)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_income_statement(c->book, from, to, &cur);
    status = rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
done:
    cli_args_free(&a);
    return status;
}
