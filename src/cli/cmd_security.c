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

/* token-create --label L [--for ACTOR]: the token on stdout, once. */
static int token_create(cli *c, const cli_args *a)
{
    const char *actor = cli_opt_get(a, "for");
    const char *label = cli_opt_get(a, "label");
    if (!label)
        return cli_usage_error("--label is required");
    int status = cli_open(c);
    if (status != 0)
        return status;
    if (!actor)
        actor = bo_book_actor(c->book);
    if (!actor)
        return cli_usage_error("--for ACTOR, or --actor: whose token it is");
    char token[BO_ACTOR_TOKEN_LEN + 1];
    int64_t id = 0;
    status = cli_check(c, bo_actor_token_create(c->book, actor, label, &id, token,
                                                sizeof token));
    if (status == 0) {
        printf("%s\n", token);
        fprintf(stderr, "backoffice: token %lld of actor '%s': keep it, it is not shown "
                "again\n", (long long)id, actor);
    }
    return status;
}

static int token_revoke(cli *c, const cli_args *a)
{
    int64_t id;
    int status = cli_int64("ID", a->pos[0], &id);
    if (status || (status = cli_open(c)))
        return status;
    return cli_check(c, bo_actor_token_revoke(c->book, id));
}

static int tokens(cli *c, const cli_args *a)
{
    (void)a;
    int status = cli_open(c);
    if (status != 0)
        return status;
    bo_cursor *cur = NULL;
    int rc = bo_actor_tokens(c->book, &cur);
    return cli_show(c, rc, cur);
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
    {{"token-create", "--label L [--for ACTOR]",
      "Make an access token for ACTOR (default: the --actor acting) and print\n"
      "it on stdout, once: the book keeps only its SHA-256. It lets a program\n"
      "act as the actor where one asks for it (`backoffice serve`). Only an\n"
      "owner makes a token for another actor.\n", NULL},
     {"label", "for", NULL}, 0, 0, token_create},
    {{"token-revoke", "ID", "Revoke access token ID: it no longer authenticates.\n", NULL},
     {0}, 1, 1, token_revoke},
    {{"tokens", "", "List the access tokens (never the tokens themselves): the\n"
      "actor's own, or every actor's for an owner.\n", NULL}, {0}, 0, 0, tokens},
};

const cli_domain cli_security_domain = {
    "security", NULL, "roles and who holds them",
    verbs, sizeof verbs / sizeof *verbs, NULL, CLI_ALIASES,
};
