/*
 * The audit chain: audit verify | head | list.
 */
#include "cli.h"

#include <string.h>

static int audit_head(cli *c, const char *result)
{
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    int rc = bo_audit_head(c->book, &seq, hex, sizeof hex);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {
        {"result", BO_TYPE_TEXT, 0, result},
        {"seq", BO_TYPE_INT, seq, NULL},
        {"hash", BO_TYPE_TEXT, 0, hex},
    };
    /* "audit head" has no verdict to report. */
    return result != NULL ? cli_render_record(c, f, 3, NULL)
                          : cli_render_record(c, f + 1, 2, NULL);
}

static int audit(cli *c, const cli_args *a)
{
    const char *sub = a->pos[0];
    const char *from_text = cli_opt_get(a, "from");
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "head") != 0 &&
        strcmp(sub, "list") != 0)
        return cli_usage_error("audit: unknown subcommand \"%s\"\n"
                               "usage: backoffice %s", sub, c->cmd->synopsis);
    if (strcmp(sub, "list") != 0 && from_text != NULL)
        return cli_usage_error("audit %s takes no --from", sub);
    int64_t from = 1;
    int status;
    if (from_text != NULL && (status = cli_int64("--from", from_text, &from)) != 0)
        return status;
    if ((status = cli_open(c)) != 0)
        return status;
    if (strcmp(sub, "verify") == 0) {
        int64_t bad = 0;
        int rc = bo_audit_verify(c->book, &bad);
        return rc < 0 ? cli_lib_error(c, rc) : audit_head(c, "intact");
    }
    if (strcmp(sub, "head") == 0)
        return audit_head(c, NULL);
    bo_cursor *cur = NULL;
    int rc = bo_audit_list(c->book, from, &cur);
    return cli_show(c, rc, cur);
}

int cmd_audit(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"from", NULL};
    return cli_run(c, cmd, argc, argv, names, 1, 1, audit);
}
