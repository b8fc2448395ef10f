/*
 * The approvals domain's tables (version 13): the rules, the requests and
 * their decisions, the conflicting pairs of roles.
 */
#include "approvals/approvals.h"

static const char *const approvals_v13[] = {
    "CREATE TABLE approval_rules ("
    " command TEXT{TEXT_C} PRIMARY KEY,"
    " min_amount BIGINT,"
    " accounts TEXT{TEXT_C} NOT NULL,"
    " approvers BIGINT NOT NULL,"
    " roles TEXT{TEXT_C} NOT NULL,"
    " expires_hours BIGINT NOT NULL)",

    "CREATE TABLE approval_requests ("
    " id {ID},"
    " command TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C},"
    " digest TEXT{TEXT_C} NOT NULL,"
    " maker TEXT{TEXT_C} NOT NULL,"
    " payload TEXT{TEXT_C} NOT NULL,"
    " measure BIGINT NOT NULL,"
    " approvers BIGINT NOT NULL,"
    " roles TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " created TEXT{TEXT_C} NOT NULL,"
    " expires TEXT{TEXT_C} NOT NULL,"
    " decided TEXT{TEXT_C},"
    " result_id BIGINT,"
    " error_code BIGINT,"
    " error TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX approval_requests_key ON approval_requests (command, idem_key)",
    "CREATE INDEX approval_requests_status ON approval_requests (status, expires)",

    "CREATE TABLE approval_decisions ("
    " request_id BIGINT NOT NULL REFERENCES approval_requests(id),"
    " actor TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " decision TEXT{TEXT_C} NOT NULL,"
    " at TEXT{TEXT_C} NOT NULL,"
    " note TEXT{TEXT_C},"
    " PRIMARY KEY (request_id, actor))",

    "CREATE TABLE approval_conflicts ("
    " role_a TEXT{TEXT_C} NOT NULL REFERENCES roles(name),"
    " role_b TEXT{TEXT_C} NOT NULL REFERENCES roles(name),"
    " PRIMARY KEY (role_a, role_b))",
    NULL
};

const bo__schema_part bo__parts_approvals[] = {
    { BO__SCHEMA_APPROVALS, approvals_v13, 0, NULL },
    { 0, NULL, 0, NULL },
};

const bo__table bo__tables_approvals[] = {
    { "approval_rules", "command, min_amount, accounts, approvers, roles, expires_hours",
      "tititi", "command", NULL },
    { "approval_requests", "id, command, idem_key, digest, maker, payload, measure,"
      " approvers, roles, status, created, expires, decided, result_id, error_code,"
      " error", "itttttiitttttiit", "id", "id" },
    { "approval_decisions", "request_id, actor, role, decision, at, note", "ittttt",
      "request_id, actor", NULL },
    { "approval_conflicts", "role_a, role_b", "tt", "role_a, role_b", NULL },
};
const int bo__ntables_approvals =
    (int)(sizeof bo__tables_approvals / sizeof bo__tables_approvals[0]);
