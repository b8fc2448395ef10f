/*
 * Grants of roles as an approvable command ("role.grant"): the payload
 * (actor, role) and the grant once approved (docs/architecture.md,
 * "Approvals"). The core's own command, so its kind lives here.
 */
#include "core/approval.h"

static int execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    char *actor = bo__payload_text(&r), *role = bo__payload_text(&r);
    /* a grant limited to a location carries it as a third field */
    char *location = r.p < r.end ? bo__payload_text(&r) : NULL;
    int rc = bo__payload_end(&r, "grant");
    if (!rc)
        rc = location ? bo_role_grant_location(b, actor, role, location)
                      : bo_role_grant(b, actor, role);
    bo__free(actor);
    bo__free(role);
    bo__free(location);
    *id = 0;
    return rc;
}

const bo__approval_kind bo__approval_role_grant = {
    "role.grant", BO__MEASURE_NONE, execute,
};

int bo__grant_approval(bo_book *b, const char *actor, const char *role, const char *location)
{
    int rc = bo__approval_wanted(b, "role.grant");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field(&pl, actor);
    bo__buf_field(&pl, role);
    if (location)
        bo__buf_field(&pl, location);
    bo__approval_ask ask = { "role.grant", BO__P_BOOK_ADMIN, NULL, 0, NULL, 0, NULL };
    return bo__approval_gate_buf(b, &ask, &pl);
}
