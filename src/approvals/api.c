/*
 * The public API of approvals (include/backoffice/approvals.h): argument
 * and permission checks, then the core's operations (src/core/approval.c);
 * listings.
 */
#include "approvals/approvals.h"

#include <string.h>

int bo_approval_rule_init(bo_approval_rule *rule, unsigned int version)
{
    bo__error_clear();
    if (!rule || version != BO_APPROVAL_RULE_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_APPROVAL_RULE_VERSION);
    bo_approval_rule init = BO_APPROVAL_RULE_INIT;
    *rule = init;
    return 0;
}

int bo_approval_rule_set(bo_book *book, const bo_approval_rule *rule)
{
    bo__error_clear();
    if (!book || !rule)
        return bo__error_set(BO_EINVAL, "book/rule: NULL");
    int rc;
    if ((rc = bo__opts_version(rule->version, BO_APPROVAL_RULE_VERSION)) ||
        (rc = bo__require(book, BO__P_APPROVAL_ADMIN)))
        return rc;
    bo__approval_rule r = { rule->command, rule->has_min, rule->min_amount,
                            rule->accounts, rule->approvers, rule->roles,
                            rule->expires_hours };
    return bo__approval_rule_set(book, &r);
}

int bo_approval_rule_remove(bo_book *book, const char *command)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_APPROVAL_ADMIN);
    return rc ? rc : bo__approval_rule_remove(book, command);
}

static const char SQL_RULES[] =
    "SELECT command, min_amount, accounts, approvers, roles, expires_hours"
    " FROM approval_rules ORDER BY command";
static const bo__col RULE_COLS[] = {
    { "command", BO_TYPE_TEXT }, { "minimum", BO_TYPE_INT },
    { "accounts", BO_TYPE_TEXT }, { "approvers", BO_TYPE_INT },
    { "roles", BO_TYPE_TEXT }, { "expires_hours", BO_TYPE_INT },
};

int bo_approval_rules(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_APPROVAL_READ, NULL, SQL_RULES, RULE_COLS, 6, out, "");
}

static const bo__col COMMAND_COLS[] = {
    { "command", BO_TYPE_TEXT }, { "measure", BO_TYPE_TEXT },
};

int bo_approval_commands(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__require(book, BO__P_APPROVAL_READ);
    if (rc)
        return rc;
    static const char *const measures[] = { "", "amount", "value", "percent" };
    size_t n = 0;
    while (bo__approval_kind_at((int)n))
        n++;
    bo__cell *cells = bo__calloc(n ? 2 * n : 1, sizeof *cells);
    if (!cells)
        return BO_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const bo__approval_kind *k = bo__approval_kind_at((int)i);
        cells[2 * i].type = cells[2 * i + 1].type = BO_TYPE_TEXT;
        cells[2 * i].text = bo__strdup(k->name);
        cells[2 * i + 1].text = bo__strdup(measures[k->measure & 3]);
        if (!cells[2 * i].text || !cells[2 * i + 1].text) {
            bo__cells_free(cells, 2 * n);
            return BO_ENOMEM;
        }
    }
    return bo__cursor_rows(COMMAND_COLS, 2, cells, n, out);
}

#define REQ_SELECT                                                               \
    "SELECT r.id, r.command, r.status, r.maker, r.idem_key, r.measure,"          \
    " (SELECT count(*) FROM approval_decisions d WHERE d.request_id = r.id"      \
    " AND d.decision = 'approve'), r.approvers, r.roles, r.created, r.expires,"  \
    " r.decided, r.result_id, r.error_code, r.error FROM approval_requests r"
static const char SQL_REQUESTS[] = REQ_SELECT " ORDER BY r.id DESC";
static const char SQL_REQUESTS_BY[] = REQ_SELECT " WHERE r.status = ? ORDER BY r.id DESC";
static const bo__col REQ_COLS[] = {
    { "id", BO_TYPE_INT }, { "command", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "maker", BO_TYPE_TEXT }, { "key", BO_TYPE_TEXT }, { "measure", BO_TYPE_INT },
    { "approvals", BO_TYPE_INT }, { "approvers", BO_TYPE_INT },
    { "roles", BO_TYPE_TEXT }, { "created", BO_TYPE_TEXT },
    { "expires", BO_TYPE_TEXT }, { "decided", BO_TYPE_TEXT },
    { "result", BO_TYPE_INT }, { "error_code", BO_TYPE_INT },
    { "error", BO_TYPE_TEXT },
};

int bo_approval_requests(bo_book *book, const char *status, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    if (!status)
        return bo__listing(book, BO__P_APPROVAL_READ, NULL, SQL_REQUESTS, REQ_COLS, 15,
                           out, "");
    static const char *const known[] = { "pending", "executed", "rejected",
                                          "expired", "failed" };
    int ok = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ok |= strcmp(status, known[i]) == 0;
    if (!ok) {
        char q[64];
        bo__quote(status, 12, q, sizeof q);
        return bo__error_set(BO_EINVAL, "status: unknown status \"%s\"", q);
    }
    return bo__listing(book, BO__P_APPROVAL_READ, NULL, SQL_REQUESTS_BY, REQ_COLS, 15,
                       out, "t", status);
}

static const char SQL_DECISIONS[] =
    "SELECT actor, role, decision, at, note FROM approval_decisions"
    " WHERE request_id = ? ORDER BY at, actor";
static const bo__col DECISION_COLS[] = {
    { "actor", BO_TYPE_TEXT }, { "role", BO_TYPE_TEXT }, { "decision", BO_TYPE_TEXT },
    { "at", BO_TYPE_TEXT }, { "note", BO_TYPE_TEXT },
};
static const bo__parent REQUEST = {
    "SELECT 1 FROM approval_requests WHERE id = ?", "approval", ": not found",
};

int bo_approval_decisions(bo_book *book, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_APPROVAL_READ, &REQUEST, SQL_DECISIONS,
                       DECISION_COLS, 5, out, "i", id);
}

int bo_approval_last(bo_book *book, int64_t *id)
{
    bo__error_clear();
    if (!book || !id)
        return bo__error_set(BO_EINVAL, "book/id: NULL");
    if (!book->approval_last)
        return bo__error_set(BO_ENOTFOUND, "approval: no command of this handle "
                             "waits for approval");
    *id = book->approval_last;
    return 0;
}

static int decide(bo_book *book, int64_t id, int decision, const char *note,
                  int64_t *result)
{
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (result)
        *result = 0;
    int rc = bo__text_check("reason", note, BO_TEXT_MAX,
                            decision != BO__DECIDE_OVERRIDE, false);
    return rc ? rc : bo__approval_decide(book, id, decision, note, result);
}

int bo_approval_approve(bo_book *book, int64_t id, int64_t *result)
{
    bo__error_clear();
    return decide(book, id, BO__DECIDE_APPROVE, NULL, result);
}

int bo_approval_reject(bo_book *book, int64_t id, const char *reason)
{
    bo__error_clear();
    return decide(book, id, BO__DECIDE_REJECT, reason, NULL);
}

int bo_approval_override(bo_book *book, int64_t id, const char *reason, int64_t *result)
{
    bo__error_clear();
    return decide(book, id, BO__DECIDE_OVERRIDE, reason, result);
}

int bo_approval_expire(bo_book *book, int64_t *count)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_APPROVAL_ADMIN);
    return rc ? rc : bo__approval_expire(book, count);
}

int bo_approval_conflict_add(bo_book *book, const char *role_a, const char *role_b)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_APPROVAL_ADMIN);
    return rc ? rc : bo__approval_conflict_add(book, role_a, role_b);
}

static const char SQL_CONFLICTS[] =
    "SELECT ga.actor, c.role_a, c.role_b FROM approval_conflicts c"
    " JOIN grants ga ON ga.role = c.role_a"
    " JOIN grants gb ON gb.role = c.role_b AND gb.actor = ga.actor"
    " ORDER BY ga.actor, c.role_a, c.role_b";
static const bo__col CONFLICT_COLS[] = {
    { "actor", BO_TYPE_TEXT }, { "role_a", BO_TYPE_TEXT }, { "role_b", BO_TYPE_TEXT },
};

int bo_approval_conflicts(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_APPROVAL_READ, NULL, SQL_CONFLICTS, CONFLICT_COLS, 3,
                       out, "");
}
