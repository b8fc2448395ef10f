/*
 * Fiscal periods: period-add, period-close. (periods is a table entry in
 * cmd_query.c.)
 */
#include "cli.h"

static int period_add(cli *c, const cli_args *a)
{
    bo_date start, end;
    int status;
    if ((status = cli_date("START", a->pos[1], &start)) != 0 ||
        (status = cli_date("END", a->pos[2], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    return cli_check(c, bo_ledger_period_add(c->book, a->pos[0], start, end));
}

int cmd_period_add(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return cli_run(c, cmd, argc, argv, NULL, 3, 3, period_add);
}

static int period_close(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    return cli_check(c, bo_ledger_period_close(c->book, a->pos[0]));
}

int cmd_period_close(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return cli_run(c, cmd, argc, argv, NULL, 1, 1, period_close);
}
