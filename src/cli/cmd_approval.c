/*
 * backoffice approval VERB: four eyes on chosen commands: the rules, the
 * requests waiting, approving, rejecting, the owner's override, expiry,
 * conflicting roles. A command a rule applies to fails with "waiting for
 * approval" and names its request.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int request_id(const cli_args *a, int64_t *id)
{
    return cli_int64("ID", a->pos[0], id);
}

static int listing(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    bo_cursor *cur = NULL;
    int rc;
    OPEN(c);
    if (!strcmp(n, "requests"))
        rc = bo_approval_requests(c->book, cli_opt_get(a, "status"), &cur);
    else if (!strcmp(n, "rules"))
        rc = bo_approval_rules(c->book, &cur);
    else if (!strcmp(n, "commands"))
        rc = bo_approval_commands(c->book, &cur);
    else
        rc = bo_approval_conflicts(c->book, &cur);
    return cli_show(c, rc, cur);
}

static int decisions(cli *c, const cli_args *a)
{
    int64_t id;
    int status = request_id(a, &id);
    if (status != 0)
        return status;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = bo_approval_decisions(c->book, id, &cur);
    return cli_show(c, rc, cur);
}

static int int_opt(const cli_args *a, const char *name, int64_t dflt, int64_t max,
                   int64_t *out)
{
    const char *t = cli_opt_get(a, name);
    *out = dflt;
    if (t == NULL)
        return 0;
    char *end;
    long long v = strtoll(t, &end, 10);
    if (*t == '\0' || *end != '\0' || v < 0 || v > max)
        return cli_usage_error("--%s: expected a whole number from 0 to %lld, not \"%s\"",
                               name, (long long)max, t);
    *out = v;
    return 0;
}

static int rule_set(cli *c, const cli_args *a)
{
    bo_approval_rule r;
    int rc = bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION);
    if (rc < 0)
        return cli_lib_error(c, rc);
    int64_t min, approvers, hours;
    int status;
    if ((status = int_opt(a, "min", -1, INT64_MAX, &min)) != 0 ||
        (status = int_opt(a, "approvers", 1, 16, &approvers)) != 0 ||
        (status = int_opt(a, "expires-hours", 72, 24 * 366, &hours)) != 0)
        return status;
    if (cli_opt_get(a, "roles") == NULL)
        return cli_usage_error("approval rule-set: --roles ROLE[,ROLE...] is required");
    r.command = a->pos[0];
    r.roles = cli_opt_get(a, "roles");
    r.accounts = cli_opt_get(a, "accounts");
    r.has_min = cli_opt_get(a, "min") != NULL;
    r.min_amount = r.has_min ? min : 0;
    r.approvers = (int)approvers;
    r.expires_hours = (int)hours;
    OPEN(c);
    return cli_check(c, bo_approval_rule_set(c->book, &r));
}

static int rule_remove(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_approval_rule_remove(c->book, a->pos[0]));
}

/* approve, reject, override: one request id. */
static int decide(cli *c, const cli_args *a)
{
    int64_t id, result = 0;
    int status = request_id(a, &id);
    if (status != 0)
        return status;
    OPEN(c);
    const char *n = c->cmd->name, *reason = cli_opt_get(a, "reason");
    if (!strcmp(n, "reject"))
        return cli_check(c, bo_approval_reject(c->book, id, reason));
    int rc = !strcmp(n, "approve") ? bo_approval_approve(c->book, id, &result)
                                   : bo_approval_override(c->book, id, reason, &result);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "result", result);
}

static int expire(cli *c, const cli_args *a)
{
    (void)a;
    OPEN(c);
    int64_t n = 0;
    int rc = bo_approval_expire(c->book, &n);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "count", n);
}

static int conflict_add(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_approval_conflict_add(c->book, a->pos[0], a->pos[1]));
}

static const cli_sub verbs[] = {
    {{"requests", "[--status pending|executed|rejected|expired|failed]",
      "The approval requests, newest first: the command, its maker, its state,\n"
      "the approvals given and needed, and what the executed command answered.\n",
      NULL}, {"status"}, 0, 0, listing},
    {{"decisions", "ID", "The decisions on request ID.\n", NULL}, {0}, 1, 1, decisions},
    {{"rules", "", "The approval rules.\n", NULL}, {0}, 0, 0, listing},
    {{"commands", "", "The approvable commands and what a rule's minimum measures.\n",
      NULL}, {0}, 0, 0, listing},
    {{"rule-set", "COMMAND --roles ROLE[,ROLE...] [--min N] [--accounts CODE[,CODE...]]"
      " [--approvers N] [--expires-hours H]",
      "Make COMMAND (see \"approval commands\") wait for approval: at or above\n"
      "--min of its measure (minor units; basis points for a percentage), or when\n"
      "it posts to one of --accounts; always with neither. --approvers different\n"
      "actors holding one of --roles approve it within --expires-hours (72).\n",
      NULL}, {"roles", "min", "accounts", "approvers", "expires-hours"}, 1, 1, rule_set},
    {{"rule-remove", "COMMAND", "Remove the rule of COMMAND.\n", NULL}, {0}, 1, 1,
     rule_remove},
    {{"approve", "ID",
      "Approve request ID; with its last approval the command runs as its maker's.\n"
      "Prints the id the command answered (0 while more approvals are needed).\n",
      NULL}, {0}, 1, 1, decide},
    {{"reject", "ID [--reason TEXT]", "Reject request ID.\n", NULL}, {"reason"}, 1, 1,
     decide},
    {{"override", "ID --reason TEXT",
      "The owner's emergency override: run request ID without its approvals\n"
      "(recorded as approval.override).\n", NULL}, {"reason"}, 1, 1, decide},
    {{"expire", "", "Mark requests past their expiry as expired; prints how many.\n",
      NULL}, {0}, 0, 0, expire},
    {{"conflict-add", "ROLE_A ROLE_B",
      "Declare two roles conflicting: nobody is granted both (see \"approval\n"
      "conflicts\" for grants made before).\n", NULL}, {0}, 2, 2, conflict_add},
    {{"conflicts", "", "Actors holding both roles of a conflicting pair.\n", NULL},
     {0}, 0, 0, listing},
};

const cli_domain cli_approval_domain = {
    "approval", NULL, "four eyes: approval rules, requests and decisions",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
