/*
 * Roles and grants: roles, role-define, grant, revoke.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_roles(cli *c, const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, NULL, 0, 0, &a);
    cli_args_free(&a);
    if (status != 0 || a.help)
        return status;
    if ((status = cli_open(c)) != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_role_list(c->book, &cur);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
}

int cmd_role_define(cli *c, const cli_command *cmd, int argc, char **argv)
{
    cli_args a;
    char *perms = NULL;
    int status = cli_parse(c, cmd, argc, argv, NULL, 2, -1, &a);
    if (status != 0 || a.help)
        goto done;
    /* Permissions may come as one quoted list or as separate arguments. */
    size_t len = 1;
    for (int i = 1; i < a.npos; i++)
        len += strlen(a.pos[i]) + 1;
    perms = malloc(len);
    if (perms == NULL) {
        status = cli_usage_error("out of memory");
        goto done;
    }
    perms[0] = '\0';
    for (int i = 1; i < a.npos; i++) {
        if (i > 1)
            strcat(perms, " ");
        strcat(perms, a.pos[i]);
    }
    if ((status = cli_open(c)) != 0)
        goto done;
    int rc = bo_role_define(c->book, a.pos[0], perms);
    if (rc < 0)
        status = cli_lib_error(c, rc);
done:
    free(perms);
    cli_args_free(&a);
    return status;
}

static int grant_or_revoke(cli *c, const cli_command *cmd, int argc,
                           char **argv, int grant)
{
    cli_args a;
    int status = cli_parse(c, cmd, argc, argv, NULL, 2, 2, &a);
    if (status != 0 || a.help)
        goto done;
    if ((status = cli_open(c)) != 0)
        goto done;
    int rc = grant ? bo_role_grant(c->book, a.pos[0], a.pos[1])
                   : bo_role_revoke(c->book, a.pos[0], a.pos[1]);
    if (rc < 0)
        status = cli_lib_error(c, rc);
done:
    cli_args_free(&a);
    return status;
}

int cmd_grant(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return grant_or_revoke(c, cmd, argc, argv, 1);
}

int cmd_revoke(cli *c, const cli_command *cmd, int argc, char **argv)
{
    return grant_or_revoke(c, cmd, argc, argv, 0);
}
