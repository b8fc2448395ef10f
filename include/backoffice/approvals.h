/*
 * Approvals: four eyes on chosen commands.
 *
 * A rule names an approvable command ("ledger.entry.post", the name of its
 * audit action), when it needs approval (at or above a minimum of its
 * measure, or when it posts to one of the listed accounts; a rule with
 * neither always applies), how many approvers, holding which roles, within
 * how many hours. A command a rule applies to is stored as a pending
 * request and changes nothing else: it returns BO_EPENDING and
 * bo_approval_last() gives the request's id. A replay of its idempotency
 * key returns BO_EPENDING with the same id while it waits. Before it is
 * stored the command is tried and rolled back: one that could not execute
 * now returns the direct command's own error and nothing is stored.
 *
 * Approval by other actors (never the maker, whatever roles the maker
 * holds) executes exactly the stored command, as the maker's, in one
 * transaction with the last approval; the audit log shows the maker on the
 * command's records and the approvers on the approval's. When the
 * execution fails because the books changed (an account closed, stock
 * sold out), the approval returns the command's own error and the request
 * stays visible as "failed" (inside the approver's own transaction: in
 * that transaction, kept by its commit, undone by its rollback). Rejection
 * and expiry are recorded.
 *
 * Measures: "amount" and "value" in minor units of the book currency,
 * "percent" in basis points (12.5% = 1250).
 *
 * Permissions: approval.admin sets rules and conflicting roles and expires
 * requests; approval.read lists; deciding needs one of the rule's roles
 * (the override: the owner role). Events: approval.requested,
 * approval.decided, approval.override (each with the request's id).
 */
#ifndef BACKOFFICE_APPROVALS_H
#define BACKOFFICE_APPROVALS_H

#include "backoffice/common.h"
#include "backoffice/book.h"
#include "backoffice/cursor.h"

BO_BEGIN_DECLS

/** The version of #bo_approval_rule this header describes. */
#define BO_APPROVAL_RULE_VERSION 1

/** An approval rule, for bo_approval_rule_set(). Initialise with
 *  BO_APPROVAL_RULE_INIT or bo_approval_rule_init(); members are only
 *  ever appended. */
typedef struct bo_approval_rule {
    unsigned int version;  /**< BO_APPROVAL_RULE_VERSION */
    const char *command;   /**< the approvable command ("ledger.entry.post") */
    int has_min;           /**< 1: min_amount applies */
    int64_t min_amount;    /**< the measure at or above which approval is needed */
    const char *accounts;  /**< comma-separated account codes, or NULL */
    int approvers;         /**< how many different approvers (1..16) */
    const char *roles;     /**< comma-separated roles whose holders approve */
    int expires_hours;     /**< how long a request waits (1..8784) */
} bo_approval_rule;

/** Static initialiser for #bo_approval_rule: one approver, 72 hours. */
#define BO_APPROVAL_RULE_INIT \
    { BO_APPROVAL_RULE_VERSION, NULL, 0, 0, NULL, 1, NULL, 72 }

/**
 * Initialise @p rule to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_approval_rule_init(bo_approval_rule *rule, unsigned int version);

/**
 * Set (replace) the rule of @p rule->command. Needs approval.admin.
 * @return 0; BO_ENOTFOUND naming "command" (no such approvable command) or
 *         "roles" (an unknown role); BO_EINVAL (approvers, expires_hours,
 *         min_amount, options); BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_rule_set(bo_book *book, const bo_approval_rule *rule);

/**
 * Remove the rule of @p command. Needs approval.admin. Pending requests
 * keep what they were made with.
 * @return 0, BO_ENOTFOUND (no rule), BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_rule_remove(bo_book *book, const char *command);

/**
 * The rules. Needs approval.read. Columns: command TEXT, minimum INT
 * (the rule's min_amount; NULL: none), accounts TEXT, approvers INT, roles TEXT, expires_hours INT.
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_rules(bo_book *book, bo_cursor **out);

/**
 * The approvable commands this library knows. Needs approval.read.
 * Columns: command TEXT, measure TEXT ("amount", "value", "percent" or "").
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_commands(bo_book *book, bo_cursor **out);

/**
 * The requests, newest first; @p status ("pending", "executed", "rejected",
 * "expired", "failed") or NULL for all. Needs approval.read. Columns: id
 * INT, command TEXT, status TEXT, maker TEXT, key TEXT, measure INT,
 * approvals INT (given so far), approvers INT (needed), roles TEXT,
 * created TEXT, expires TEXT, decided TEXT, result INT (the id the
 * command answered), error_code INT, error TEXT.
 * @return 0, BO_EINVAL (status), BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_requests(bo_book *book, const char *status, bo_cursor **out);

/**
 * The decisions on request @p id in order. Needs approval.read. Columns:
 * actor TEXT, role TEXT, decision TEXT ("approve", "reject", "override"),
 * at TEXT, note TEXT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_decisions(bo_book *book, int64_t id, bo_cursor **out);

/**
 * The id of the request the last BO_EPENDING on this handle stored or found.
 * @return 0, or BO_ENOTFOUND when none did.
 */
BO_EXTERN(int) bo_approval_last(bo_book *book, int64_t *id);

/**
 * Approve request @p id as the book's actor, who must hold one of its
 * roles and must not be its maker. With its last approval the stored
 * command runs as the maker's, in this transaction.
 * @param result receives the id the command answered (0 while more
 *        approvals are needed, or for a command that answers none). May be NULL.
 * @return 0; BO_ENOTFOUND (no request); BO_ESTATE (decided already);
 *         BO_EEXPIRED (nothing written); BO_EDENIED (the maker, an actor
 *         unknown to the book or holding none of the roles); BO_EEXISTS
 *         (this actor approved already); or the command's own error, the
 *         request then being recorded as failed.
 */
BO_EXTERN(int) bo_approval_approve(bo_book *book, int64_t id, int64_t *result);

/**
 * Reject request @p id as the book's actor (same checks as approving),
 * with @p reason (may be NULL). Nothing of the command is executed.
 * @return as bo_approval_approve(), without the command's errors.
 */
BO_EXTERN(int) bo_approval_reject(bo_book *book, int64_t id, const char *reason);

/**
 * The owner's emergency override: execute request @p id without its
 * approvals. The actor must hold the owner role and must not be the
 * maker; @p reason is required. Recorded as approval.override, with the
 * event approval.override.
 * @return as bo_approval_approve(); BO_EINVAL (no reason).
 */
BO_EXTERN(int) bo_approval_override(bo_book *book, int64_t id, const char *reason,
                                    int64_t *result);

/**
 * Mark every pending request past its expiry as expired. Needs
 * approval.admin.
 * @param count receives how many (may be NULL).
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_expire(bo_book *book, int64_t *count);

/**
 * Declare roles @p role_a and @p role_b conflicting: no actor is granted
 * one while holding the other (BO_EDENIED at grant time). Grants made
 * before are reported by bo_approval_conflicts(). Needs approval.admin.
 * @return 0 (also when declared already), BO_ENOTFOUND (role), BO_EINVAL
 *         (the same role twice), BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_conflict_add(bo_book *book, const char *role_a,
                                        const char *role_b);

/**
 * Actors holding both roles of a declared conflicting pair (granted before
 * the pair was declared). Needs approval.read. Columns: actor TEXT,
 * role_a TEXT, role_b TEXT.
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_approval_conflicts(bo_book *book, bo_cursor **out);

BO_END_DECLS

#endif
