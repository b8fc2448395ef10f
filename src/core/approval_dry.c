/*
 * The dry run of a command that waits for approval (docs/approvals.md, "A
 * command that waits"): before a request is stored, its command runs as
 * the direct call would, as its maker, inside a savepoint that is then
 * rolled back. A request that could never execute is refused at once with
 * the command's own error; one that could is stored and executed (checked
 * again) when approved.
 */
#include "core/approval.h"

struct dry_ctx {
    const bo__approval_kind *kind;
    const char *payload;
    int ran; /* the command succeeded: its writes are rolled back */
};

static int dry_tx(bo_book *b, void *p)
{
    struct dry_ctx *d = p;
    int64_t id = 0;
    b->approval_exec = d->kind->name; /* exactly this command passes the gate */
    int rc = d->kind->execute(b, d->payload, &id);
    b->approval_exec = NULL;
    if (rc)
        return rc;
    d->ran = 1;
    /* Any error rolls the savepoint back, with the events it queued. */
    return bo__error_set(BO_ESTATE, "approval: dry run of %s undone", d->kind->name);
}

int bo__approval_dry_run(bo_book *b, const bo__approval_kind *kind, const char *payload)
{
    struct dry_ctx d = { kind, payload, 0 };
    int rc = bo__write(b, dry_tx, &d);
    if (d.ran && rc == BO_ESTATE) {
        bo__error_clear();
        return 0;
    }
    return rc;
}
