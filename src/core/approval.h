/*
 * The approval gate (docs/architecture.md, "Approvals"): rules, pending
 * requests, decisions, the execution of an approved command, expiry,
 * separation of duties. The core knows no domain: a command kind is
 * described by the domain that owns the command and listed by the
 * approvals domain's descriptor (member `approvals`); the tables are that
 * domain's schema part.
 */
#ifndef BO_CORE_APPROVAL_H
#define BO_CORE_APPROVAL_H

#include "core/book.h"

/* The measure a rule's minimum compares with. */
enum {
    BO__MEASURE_NONE = 0, /* no threshold: a rule always applies */
    BO__MEASURE_AMOUNT,   /* minor units of the book currency */
    BO__MEASURE_VALUE,    /* value of stock, minor units of the book currency */
    BO__MEASURE_PERCENT,  /* basis points (1% = 100) */
};

/* One approvable command, described by its domain. */
typedef struct bo__approval_kind {
    const char *name; /* as its audit action: "ledger.entry.post" */
    int measure;      /* BO__MEASURE_* */
    /* Run the stored payload (bo__approval_ask.payload) as the direct call
     * would, inside the approval's write, the handle's actor being the
     * maker: 0 with the record's id (or 0) in *id, or the command's own
     * error. */
    int (*execute)(bo_book *book, const char *payload, int64_t *id);
} bo__approval_kind;

/* What a gated command tells the gate. */
typedef struct bo__approval_ask {
    const char *command;               /* the kind's name */
    unsigned perm;                     /* what the direct call needs */
    const char *key;                   /* its idempotency key, or NULL */
    int64_t measure;                   /* in the kind's unit */
    const char *const *accounts;       /* the accounts it posts to */
    int naccounts;
    const char *payload;               /* canonical, bo__buf_field fields */
} bo__approval_ask;

/* The gate, called once by a command after its argument and permission
 * checks and before its own write: 0 to go on (no rule applies, or this is
 * the approved command being executed, or its key names a request already
 * executed), BO_EPENDING when a request was stored (or the key names one
 * still pending; book->approval_last holds its id), BO_ESTATE for a key
 * naming a request rejected, expired or failed, BO_EKEYREUSE for a key
 * used with other content, store errors. */
int bo__approval_gate(bo_book *book, const bo__approval_ask *ask);
/* bo__approval_gate() with the payload in @p pl (bo__buf_field fields, not
 * yet terminated): terminated here (BO_ENOMEM when building it failed),
 * set as ask->payload, and freed whatever the result. */
int bo__approval_gate_buf(bo_book *book, bo__approval_ask *ask, bo__buf *pl);

/* Run payload as kind's command would, and undo it (a savepoint rolled
 * back): 0 when it would execute now, else the command's own error. The
 * gate calls it before storing a request (approval_dry.c). */
int bo__approval_dry_run(bo_book *book, const bo__approval_kind *kind,
                         const char *payload);

/* Whether command has a rule at all (1, 0, or an error): a command asks
 * before building its payload, so one without a rule costs one read. */
int bo__approval_wanted(bo_book *book, const char *command);

/* Run fn in a write transaction (bo__write_checked when checked, else
 * bo__write), with gate before it when an approval rule may cover command.
 * Outside a transaction (and but for an approved request's execution)
 * whether a rule may cover it is asked inside fn's own transaction, where
 * the rules cached on the handle hold without first asking the store
 * whether another connection committed (on SQLite a read of the data
 * version, about 3,600 instructions a call); when one may, that
 * transaction writes nothing, then gate runs and fn in a new one. Inside a
 * transaction gate runs first, then fn. gate and fn share ctx; fn may run
 * more than once (a conflict retried). */
typedef int (*bo__gate_fn)(bo_book *book, void *ctx);
int bo__write_gated(bo_book *book, const char *command, int checked, bo__write_fn fn,
                    bo__gate_fn gate, void *ctx);

/* The kind named name, or NULL. */
const bo__approval_kind *bo__approval_kind_find(const char *name);
/* Whether any domain lists approvable kinds (the tables exist then). */
int bo__approval_enabled(void);
/* The kinds: i from 0 until NULL. */
const bo__approval_kind *bo__approval_kind_at(int i);

/* The grant of role to actor is refused (BO_EDENIED naming both roles)
 * when a declared conflicting role is held by the actor; called by the
 * core's grant inside its write. */
int bo__approval_grant_check(bo_book *book, const char *actor, const char *role);

/* The actor of the last audit record with action and object into out ("" and
 * *found 0 when none): who made a step another step must not repeat. */
int bo__approval_actor_of(bo_book *book, const char *action, const char *object,
                          char *out, size_t size, int *found);

/* The gate of a grant (approval_grant.c), and its kind. */
int bo__grant_approval(bo_book *book, const char *actor, const char *role,
                       const char *location);
extern const bo__approval_kind bo__approval_role_grant;

/* ---- reading a payload ---------------------------------------------------- */
typedef struct bo__payload {
    const char *p, *end;
    int bad; /* a field was not where it should be */
} bo__payload;
void bo__payload_start(bo__payload *r, const char *text);
/* The next text field, a copy the caller frees (NULL for a NULL field);
 * the next integer field. A malformed payload sets r->bad. */
char *bo__payload_text(bo__payload *r);
int64_t bo__payload_int(bo__payload *r);
/* BO_ECORRUPT naming the command when r->bad, else 0. */
int bo__payload_end(const bo__payload *r, const char *command);

/* ---- the operations behind the public API (src/approvals) ----------------- */
typedef struct bo__approval_rule {
    const char *command;
    int has_min;
    int64_t min;
    const char *accounts; /* comma-separated, or NULL */
    int64_t approvers;
    const char *roles; /* comma-separated */
    int64_t expires_hours;
} bo__approval_rule;
int bo__approval_rule_set(bo_book *book, const bo__approval_rule *rule);
int bo__approval_rule_remove(bo_book *book, const char *command);
int bo__approval_decide(bo_book *book, int64_t id, int decision,
                        const char *note, int64_t *result);
enum { BO__DECIDE_APPROVE = 1, BO__DECIDE_REJECT, BO__DECIDE_OVERRIDE };
int bo__approval_expire(bo_book *book, int64_t *count);
int bo__approval_conflict_add(bo_book *book, const char *a, const char *b);
/* The clock in seconds since 1970 (tests move it). */
extern int64_t (*bo__approval_clock)(void);

#endif
