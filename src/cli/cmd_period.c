/*
 * Fiscal periods and years: period-add, period-close, year-close,
 * year-reopen. (periods and year-closings are table entries in cmd_query.c.)
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

/* Prints the closing (or reopening) entry's id, 0 when nothing moved. */
static int print_entry(cli *c, int64_t id)
{
    cli_field f[] = {{"entry", BO_TYPE_INT, id, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

static int year_close(cli *c, const cli_args *a)
{
    bo_date end;
    const char *retained = cli_opt_get(a, "retained");
    if (retained == NULL)
        return cli_usage_error("year-close: --retained ACCOUNT is required");
    int status;
    if ((status = cli_date("YEAR_END", a->pos[0], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_year_close(c->book, end, retained, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : print_entry(c, id);
}

int cmd_year_close(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"retained", "key", NULL};
    return cli_run(c, cmd, argc, argv, names, 1, 1, year_close);
}

static int year_reopen(cli *c, const cli_args *a)
{
    bo_date end;
    int status;
    if ((status = cli_date("YEAR_END", a->pos[0], &end)) != 0 ||
        (status = cli_open(c)) != 0)
        return status;
    int64_t id = 0;
    int rc = bo_ledger_year_reopen(c->book, end, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : print_entry(c, id);
}

int cmd_year_reopen(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"key", NULL};
    return cli_run(c, cmd, argc, argv, names, 1, 1, year_reopen);
}
