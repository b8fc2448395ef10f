/*
 * Fiscal periods: periods, period-add, period-close.
 */
#include "cli.h"

int cmd_periods(cli *c, const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, NULL, 0, 0, &a);
    cli_args_free(&a);
    if (status != 0 || a.help)
        return status;
    if ((status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_ledger_periods(c->book, &cur);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
}

int cmd_period_add(cli *c, const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, NULL, 3, 3, &a);
    if (status != 0 || a.help)
        goto done;
    bo_date start, end;
    if ((status = cli_date("START", a.pos[1], &start)) != 0 ||
        (status = cli_date("END", a.pos[2], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        goto done;
    int rc = bo_ledger_period_add(c->book, a.pos[0], start, end);
    if (rc < 0)
        status = cli_lib_error(c, rc);
done:
    cli_args_free(&a);
    return status;
}

int cmd_period_close(cli *c, const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, NULL, 1, 1, &a);
    if (status != 0 || a.help)
        goto done;
    if ((status = cli_open(c)) != 0)
        goto done;
    int rc = bo_ledger_period_close(c->book, a.pos[0]);
    if (rc < 0)
        status = cli_lib_error(c, rc);
done:
    cli_args_free(&a);
    return status;
}
