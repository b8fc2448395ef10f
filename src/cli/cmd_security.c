/*
 * backoffice security VERB: roles and grants: roles, role-define, grant,
 * revoke (each also a top-level command, as in 0.2; roles is a table entry
 * in cmd_query.c).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int role_define(cli *c, const cli_args *a)
{
    /* Permissions may come as one quoted list or as separate arguments. */
    size_t len = 1;
    for (int i = 1; i < a->npos; i++)
        len += strlen(a->pos[i]) + 1;
    char *perms = malloc(len);
    if (perms == NULL)
        return cli_usage_error("out of memory");
    perms[0] = '\0';
    for (int i = 1; i < a->npos; i++) {
        if (i > 1)
            strcat(perms, " ");
        strcat(perms, a->pos[i]);
    }
    int status = cli_open(c);
    if (status == 0)
        status = cli_check(c, bo_role_define(c->book, a->pos[0], perms));
    free(perms);
    return status;
}

/* grant and revoke both take ACTOR ROLE; the command's name says which. */
static int grant_or_revoke(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    int grant = strcmp(c->cmd->name, "grant") == 0;
    return cli_check(c, grant ? bo_role_grant(c->book, a->pos[0], a->pos[1])
                              : bo_role_revoke(c->book, a->pos[0], a->pos[1]));
}

/* grant-location ACTOR ROLE LOCATION */
static int grant_location(cli *c, const cli_args *a)
{
    int status = cli_open(c);
    if (status != 0)
        return status;
    return cli_check(c, bo_role_grant_location(c->book, a->pos[0], a->pos[1], a->pos[2]));
}

static const cli_sub verbs[] = {
    {{"roles", "", "List who holds which role, with the role's permissions.\n", NULL},
     {0}, 0, 0, cli_query},
    {{"role-define", "ROLE PERMISSION ...",
      "Define or redefine a role with a list of permissions (ledger.read,\n"
      "ledger.post, ledger.admin, audit.read, book.admin, *).\n",
      NULL}, {0}, 2, -1, role_define},
    {{"grant", "ACTOR ROLE", "Grant a role to an actor.\n", NULL}, {0}, 2, 2, grant_or_revoke},
    {{"revoke", "ACTOR ROLE", "Take a role from an actor.\n", NULL}, {0}, 2, 2, grant_or_revoke},
    {{"grant-location", "ACTOR ROLE LOCATION",
      "Grant a role to an actor at one location (a store or warehouse code)\n"
      "only: people's rosters, shifts, attendance, open shifts and swaps of\n"
      "other locations stay hidden and refused. Repeat for more locations;\n"
      "\"grant\" widens it to every location.\n", NULL}, {0}, 3, 3, grant_location},
};

const cli_domain cli_security_domain = {
    "security", NULL, "roles and who holds them",
    verbs, sizeof verbs / sizeof *verbs, NULL, CLI_ALIASES,
};
