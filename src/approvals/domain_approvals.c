/*
 * The approvals domain as the library sees it: listed once, last, in the
 * table of domains (src/book/domains.c). Its descriptor also lists the
 * approvable commands, each defined by the domain that owns the command.
 */
#include "approvals/approvals.h"

/* ---- audit coverage ---------------------------------------------------------- */
static const bo__vpart rule_parts[] = {
    { "approval_rules", "t.command", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vpart request_parts[] = {
    { "approval_requests", "t.id", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
    { "approval_decisions", "t.request_id", NULL, "actor", NULL, NULL, NULL, NULL,
      NULL,
      "SELECT 'request ' || t.request_id || ' actor ' || t.actor"
      " FROM approval_decisions t WHERE NOT EXISTS (SELECT 1 FROM"
      " approval_requests r WHERE r.id = t.request_id) LIMIT 1" },
};
static const bo__vpart conflict_parts[] = {
    { "approval_conflicts", "t.role_a || ' ' || t.role_b", NULL, "role_a, role_b",
      NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vkind kinds[] = {
    { "approval_rule", 1, rule_parts, BO__VN(rule_parts) },
    { "approval", 0, request_parts, BO__VN(request_parts) },
    { "approval_conflict", 1, conflict_parts, BO__VN(conflict_parts) },
};
static const bo__vaction actions[] = {
    { "approval.rule.set", "approval_rule", "rule:", NULL },
    { "approval.rule.remove", "approval_rule", "rule:", NULL },
    { "approval.request", "approval", "approval:", NULL },
    { "approval.approve", "approval", "approval:", NULL },
    { "approval.reject", "approval", "approval:", NULL },
    { "approval.override", "approval", "approval:", NULL },
    { "approval.expire", "approval", "approval:", NULL },
    { "approval.fail", "approval", "approval:", NULL },
    { "approval.conflict.add", "approval_conflict", "conflict:", NULL },
};
const bo__vdomain bo__verify_approvals = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};

/* ---- the descriptor ------------------------------------------------------------ */
unsigned bo__perms_approvals[2];
static const char *const perms[] = { "approval.read", "approval.admin", NULL };
static const char *const events[] = {
    "approval.requested", "approval.decided", "approval.override", NULL,
};
static const bo__domain_section sections[] = {
    { "approvals", bo__cfg_section_approvals },
    { NULL, NULL },
};

/* The approvable commands, in the order of the domains owning them. */
static const bo__approval_kind *const kinds_approvable[] = {
    &bo__approval_role_grant,
    &bo__approval_ledger_post,
    &bo__approval_billing_payment,
    &bo__approval_billing_credit,
    &bo__approval_inventory_adjust,
    &bo__approval_inventory_return,
    &bo__approval_inventory_sale,
    &bo__approval_payroll_post,
    &bo__approval_payroll_terms,
    &bo__approval_payroll_bank,
    NULL,
};

const bo__domain bo__domain_approvals = {
    .name = "approvals",
    .parts = bo__parts_approvals,
    .tables = bo__tables_approvals,
    .ntables = &bo__ntables_approvals,
    .sections = sections,
    .perms = perms,
    .perm_bits = bo__perms_approvals,
    .verify = &bo__verify_approvals,
    .events = events,
    .approvals = kinds_approvable,
};
