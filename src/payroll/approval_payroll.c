/*
 * Pay runs under four eyes (docs/architecture.md, "Approvals"): posting a
 * run is an approvable command ("payroll.run.post", no measure: a rule on
 * it applies to every run), and once a book has such a rule the run's own
 * approval step refuses the actor who calculated the run.
 */
#include "payroll/payroll.h"
#include "core/approval.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int execute(bo_book *b, const char *payload, int64_t *id)
{
    bo__payload r;
    bo__payload_start(&r, payload);
    int64_t run = bo__payload_int(&r);
    int rc = bo__payload_end(&r, "pay run");
    return rc ? rc : bo_payroll_run_post(b, run, id);
}

const bo__approval_kind bo__approval_payroll_post = {
    "payroll.run.post", BO__MEASURE_NONE, execute,
};

int bo__pay_post_approval(bo_book *b, int64_t run)
{
    int rc = bo__approval_wanted(b, "payroll.run.post");
    if (rc <= 0)
        return rc;
    bo__buf pl = BO__BUF_INIT;
    bo__buf_field_int(&pl, run);
    bo__buf_put(&pl, "", 1);
    if (pl.failed) {
        bo__buf_free(&pl);
        return BO_ENOMEM;
    }
    bo__approval_ask ask = { "payroll.run.post", BO__P_PAYROLL_APPROVE, NULL, 0, NULL, 0,
                             pl.ptr };
    rc = bo__approval_gate(b, &ask);
    bo__buf_free(&pl);
    return rc;
}

int bo__pay_approve_check(bo_book *b, int64_t run)
{
    int rc = bo__approval_wanted(b, "payroll.run.post");
    if (rc <= 0 || !b->actor)
        return rc;
    char object[40], actor[BO_NAME_MAX + 1];
    int found = 0;
    snprintf(object, sizeof object, "payrun:%" PRId64, run);
    if ((rc = bo__approval_actor_of(b, "payroll.run.calculate", object, actor,
                                    sizeof actor, &found)))
        return rc;
    if (found && strcmp(actor, b->actor) == 0)
        return bo__error_set(BO_EDENIED, "run %" PRId64 ": actor '%s' calculated this "
                             "run and cannot approve it (separation of duties)", run,
                             b->actor);
    return 0;
}
