/*
 * The YAML section "approvals:" (applied after the chart, periods, roles
 * and actors, in the creating transaction):
 *
 *   approvals:
 *     rules:
 *       - command: ledger.entry.post
 *         min_amount: 1000000      # in the command's measure
 *         accounts: [1000]         # or "1000, 1010"
 *         approvers: 1
 *         roles: [manager]
 *         expires_hours: 72
 *     conflicts:
 *       - [clerk, manager]
 *
 * An unknown command, role or key is BO_ECONFIG naming FILE:LINE:COLUMN.
 */
#include "approvals/approvals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A list of names, a sequence or one comma-separated scalar, into out. */
static int names(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                 bo__buf *out)
{
    const char *t;
    int rc;
    if (v->kind == BO__CFG_SCALAR) {
        if ((rc = bo__cfg_text(d, v, field, &t)))
            return rc;
        bo__buf_puts(out, t);
    } else {
        if ((rc = bo__cfg_kind(d, v, BO__CFG_SEQ, field)))
            return rc;
        for (uint32_t i = 0; i < v->n; i++) {
            if ((rc = bo__cfg_text(d, bo__cfg_node_at(d, v->kids[i]), field, &t)))
                return rc;
            if (i)
                bo__buf_puts(out, ",");
            bo__buf_puts(out, t);
        }
    }
    bo__buf_put(out, "", 1);
    return out->failed ? BO_ENOMEM : 0;
}

/* The node of the role an error names, for its position. */
static const bo__cfg_node *role_node(const bo__cfg_doc *d, const bo__cfg_node *v)
{
    const char *msg = bo_error_message(), *q = strchr(msg, '\'');
    if (!q || v->kind != BO__CFG_SEQ)
        return v;
    for (uint32_t i = 0; i < v->n; i++) {
        const bo__cfg_node *r = bo__cfg_node_at(d, v->kids[i]);
        size_t n = strlen(r->text ? r->text : "");
        if (r->text && strncmp(q + 1, r->text, n) == 0 && q[1 + n] == '\'')
            return r;
    }
    return v;
}

static int rule(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *item,
                const char *where)
{
    static const char *const keys[] = {
        "command", "min_amount", "accounts", "approvers", "roles", "expires_hours",
    };
    const bo__cfg_node *v[6];
    int rc;
    if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, item, where, keys, v, 6)))
        return rc;
    if (!v[0])
        return bo__cfg_missing(d, item, where, "command");
    if (!v[4])
        return bo__cfg_missing(d, item, where, "roles");
    bo_approval_rule r = BO_APPROVAL_RULE_INIT;
    if ((rc = bo__cfg_text(d, v[0], "command", &r.command)))
        return rc;
    if (!bo__approval_kind_find(r.command)) {
        char q[80];
        return bo__cfg_error(d, v[0], BO_ECONFIG, "%s.command: unknown command '%s'",
                             where, bo__cfg_quote(r.command, strlen(r.command), q, 64));
    }
    if (v[1]) {
        const char *t;
        if ((rc = bo__cfg_text(d, v[1], "min_amount", &t)))
            return rc;
        char *end;
        long long n = strtoll(t, &end, 10);
        if (*t < '0' || *t > '9' || *end || n < 0)
            return bo__cfg_error(d, v[1], BO_ECONFIG, "%s.min_amount: not a whole "
                                 "number of the command's measure", where);
        r.has_min = 1;
        r.min_amount = n;
    }
    if ((v[3] && (rc = bo__cfg_int(d, v[3], "approvers", 1, 16, &r.approvers))) ||
        (v[5] && (rc = bo__cfg_int(d, v[5], "expires_hours", 1, 24 * 366,
                                   &r.expires_hours))))
        return rc;
    bo__buf accounts = BO__BUF_INIT, roles = BO__BUF_INIT;
    if (v[2] && (rc = names(d, v[2], "accounts", &accounts)))
        goto out;
    if ((rc = names(d, v[4], "roles", &roles)))
        goto out;
    r.accounts = accounts.ptr;
    r.roles = roles.ptr;
    rc = bo_approval_rule_set(b, &r);
    if (rc == BO_ENOTFOUND && strncmp(bo_error_message(), "roles:", 6) == 0)
        rc = bo__cfg_apply_error(d, role_node(d, v[4]), rc);
    else if (rc)
        rc = bo__cfg_apply_error(d, item, rc);
out:
    bo__buf_free(&accounts);
    bo__buf_free(&roles);
    return rc;
}

static int conflict(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *item,
                    const char *where)
{
    int rc = bo__cfg_kind(d, item, BO__CFG_SEQ, where);
    if (rc)
        return rc;
    if (item->n != 2)
        return bo__cfg_error(d, item, BO_ECONFIG, "%s: a conflict is a pair of "
                             "roles", where);
    const char *a, *c;
    const bo__cfg_node *na = bo__cfg_node_at(d, item->kids[0]),
                       *nb = bo__cfg_node_at(d, item->kids[1]);
    if ((rc = bo__cfg_text(d, na, where, &a)) || (rc = bo__cfg_text(d, nb, where, &c)))
        return rc;
    if ((rc = bo_approval_conflict_add(b, a, c))) {
        /* The roles are stored in order: find the one the message names. */
        char quoted[BO_NAME_MAX + 3];
        snprintf(quoted, sizeof quoted, "'%s'", c);
        rc = bo__cfg_apply_error(d, strstr(bo_error_message(), quoted) ? nb : na, rc);
    }
    return rc;
}

int bo__cfg_section_approvals(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "rules", "conflicts" };
    const bo__cfg_node *v[2];
    int rc;
    if ((rc = bo__cfg_kind(d, node, BO__CFG_MAP, "approvals")) ||
        (rc = bo__cfg_fields(d, node, "approvals", keys, v, 2)))
        return rc;
    for (int s = 0; s < 2; s++) {
        if (!v[s])
            continue;
        const char *name = s ? "approvals.conflicts" : "approvals.rules";
        if ((rc = bo__cfg_kind(d, v[s], BO__CFG_SEQ, name)))
            return rc;
        for (uint32_t i = 0; i < v[s]->n; i++) {
            char where[48];
            snprintf(where, sizeof where, "%s[%u]", name, (unsigned)i);
            const bo__cfg_node *item = bo__cfg_node_at(d, v[s]->kids[i]);
            if ((rc = s ? conflict(b, d, item, where) : rule(b, d, item, where)))
                return rc;
        }
    }
    return 0;
}
