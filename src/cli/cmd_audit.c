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

int cmd_audit(cli *c, const cli_command *cmd, int argc, char **argv)
{
    static const char *const names[] = {"from", NULL};
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, names, 1, 1, &a);
    if (status != 0 || a.help)
        goto done;
    const char *sub = a.pos[0];
    if (strcmp(sub, "verify") != 0 && strcmp(sub, "head") != 0 &&
        strcmp(sub, "list") != 0) {
        status = cli_usage_error("audit: unknown subcommand \"%s\"\n"
                                 "usage: backoffice %s", sub, cmd->synopsis);
        goto done;
    }
    if (strcmp(sub, "list") != 0 && cli_opt_get(&a, "from") != NULL) {
        status = cli_usage_error("audit %s takes no --from", sub);
        goto done;
    }
    int64_t from = 1;
    if (cli_opt_get(&a, "from") != NULL &&
        (status = cli_int64("--from", cli_opt_get(&a, "from"), &from)) != 0)
        goto done;
    if ((status = cli_open(c)) != 0)
        goto done;
    int rc;
    if (strcmp(sub, "verify") == 0) {
        int64_t bad = 0;
        rc = bo_audit_verify(c->book, &bad);
        status = rc < 0 ? cli_lib_error(c, rc) : audit_head(c, "intact");
    } else if (strcmp(sub, "head") == 0) {
        status = audit_head(c, NULL);
    } else {
        bo_cursor *cur = NULL;
        rc = bo_audit_list(c->book, from, &cur);
        status = rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
    }
done:
    cli_args_free(&a);
    return status;
}
