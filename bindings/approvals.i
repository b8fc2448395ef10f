/* Approvals (backoffice/approvals.h) in Python and Lua: methods on Book
 * named approval_<verb>, reached as book.approvals.<verb>. The rule's
 * options struct stays in C: approval_rule_set takes its members as
 * arguments (min_amount -1: no minimum). A command waiting for approval
 * raises PendingError; approval_last() gives the request's id. */
%rename("$ignore", %$isfunction, regextarget=1) "^bo_approval_";
%ignore bo_approval_rule;
%ignore BO_APPROVAL_RULE_INIT;
%ignore BO_APPROVAL_RULE_VERSION;
%include "backoffice/approvals.h"

%extend bo_book {
    int approval_rule_set(const char *command, const char *roles,
                          int64_t min_amount = -1, const char *accounts = NULL,
                          int approvers = 1, int expires_hours = 72) {
        bo_approval_rule r;
        int rc = bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION);
        if (rc)
            return rc;
        r.command = command;
        r.roles = roles;
        r.has_min = min_amount >= 0;
        r.min_amount = min_amount >= 0 ? min_amount : 0;
        r.accounts = accounts;
        r.approvers = approvers;
        r.expires_hours = expires_hours;
        return bo_approval_rule_set(self, &r);
    }
    int approval_rule_remove(const char *command) {
        return bo_approval_rule_remove(self, command);
    }
    int approval_rules(bo_cursor **out) {
        return bo_approval_rules(self, out);
    }
    int approval_commands(bo_cursor **out) {
        return bo_approval_commands(self, out);
    }
    /* status None/nil: every request. */
    int approval_requests(bo_cursor **out, const char *status = NULL) {
        return bo_approval_requests(self, status, out);
    }
    int approval_decisions(bo_cursor **out, int64_t id) {
        return bo_approval_decisions(self, id, out);
    }
    /* Returns the id of the request the last PendingError stored. */
    int approval_last(int64_t *id) {
        return bo_approval_last(self, id);
    }
    /* Returns the id the executed command answered (0 while waiting). */
    int approval_approve(int64_t *result, int64_t id) {
        return bo_approval_approve(self, id, result);
    }
    int approval_reject(int64_t id, const char *reason = NULL) {
        return bo_approval_reject(self, id, reason);
    }
    int approval_override(int64_t *result, int64_t id, const char *reason) {
        return bo_approval_override(self, id, reason, result);
    }
    /* Returns how many requests expired. */
    int approval_expire(int64_t *count) {
        return bo_approval_expire(self, count);
    }
    int approval_conflict_add(const char *role_a, const char *role_b) {
        return bo_approval_conflict_add(self, role_a, role_b);
    }
    int approval_conflicts(bo_cursor **out) {
        return bo_approval_conflicts(self, out);
    }
}
