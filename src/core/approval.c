/*
 * The approval gate: rules, pending requests, decisions, execution of an
 * approved command as its maker, expiry, separation of duties
 * (docs/architecture.md, "Approvals"). The tables are the approvals
 * domain's schema part; the kinds are listed by its descriptor.
 */
#include "core/approval.h"
#include "core/domain.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int64_t system_clock(void)
{
    return (int64_t)time(NULL);
}
int64_t (*bo__approval_clock)(void) = system_clock;

/* "YYYY-MM-DDTHH:MM:SSZ": sorts as it runs. */
static void iso_at(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, 32, "9999-12-31T23:59:59Z");
}

/* ---- kinds ------------------------------------------------------------------ */
const bo__approval_kind *bo__approval_kind_at(int i)
{
    const bo__domain *d;
    for (int j = 0; (d = bo__domain_at(j)); j++) {
        if (!d->approvals)
            continue;
        for (int k = 0; d->approvals[k]; k++)
            if (i-- == 0)
                return d->approvals[k];
    }
    return NULL;
}

const bo__approval_kind *bo__approval_kind_find(const char *name)
{
    const bo__approval_kind *k;
    for (int i = 0; name && (k = bo__approval_kind_at(i)); i++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}

int bo__approval_enabled(void)
{
    return bo__approval_kind_at(0) != NULL;
}

/* ---- payloads --------------------------------------------------------------- */
void bo__payload_start(bo__payload *r, const char *text)
{
    r->p = text ? text : "";
    r->end = r->p + strlen(r->p);
    r->bad = 0;
}

static int digits(bo__payload *r, uint64_t *v)
{
    uint64_t n = 0;
    int any = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (n > (UINT64_MAX - 9) / 10)
            return 0;
        n = n * 10 + (uint64_t)(*r->p++ - '0');
        any = 1;
    }
    *v = n;
    return any;
}

char *bo__payload_text(bo__payload *r)
{
    if (r->bad)
        return NULL;
    if (r->end - r->p >= 2 && r->p[0] == '-' && r->p[1] == ';') {
        r->p += 2;
        return NULL;
    }
    uint64_t len;
    if (!digits(r, &len) || r->p >= r->end || *r->p != ':' ||
        len >= (uint64_t)(r->end - r->p) || r->p[1 + len] != ';') {
        r->bad = 1;
        return NULL;
    }
    char *s = bo__malloc((size_t)len + 1);
    if (!s) {
        r->bad = 1;
        return NULL;
    }
    memcpy(s, r->p + 1, (size_t)len);
    s[len] = '\0';
    r->p += len + 2;
    return s;
}

int64_t bo__payload_int(bo__payload *r)
{
    if (r->bad || r->p >= r->end || *r->p != 'i') {
        r->bad = 1;
        return 0;
    }
    r->p++;
    int neg = r->p < r->end && *r->p == '-';
    if (neg)
        r->p++;
    uint64_t v;
    if (!digits(r, &v) || r->p >= r->end || *r->p != ';' ||
        v > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
        r->bad = 1;
        return 0;
    }
    r->p++;
    return neg ? (int64_t)(0 - v) : (int64_t)v;
}

int bo__payload_end(const bo__payload *r, const char *command)
{
    if (r->bad || r->p != r->end)
        return bo__error_set(BO_ECORRUPT, "approval: the stored %s is not "
                             "readable", command);
    return 0;
}

/* ---- lists of names ("a,b,c") ---------------------------------------------- */
#define LIST_MAX 1024

/* The next name of a comma-separated list into out: 0 at the end. */
static int next_name(const char **p, char *out, size_t size)
{
    const char *s = *p;
    while (*s == ',' || *s == ' ')
        s++;
    if (!*s)
        return 0;
    size_t n = 0;
    while (s[n] && s[n] != ',' && s[n] != ' ')
        n++;
    size_t k = n < size - 1 ? n : size - 1;
    memcpy(out, s, k);
    out[k] = '\0';
    *p = s + n;
    return 1;
}

static int in_list(const char *list, const char *name)
{
    char one[BO_NAME_MAX + 1];
    const char *p = list;
    while (next_name(&p, one, sizeof one))
        if (strcmp(one, name) == 0)
            return 1;
    return 0;
}

/* ---- the gate --------------------------------------------------------------- */
static const char SQL_RULE[] =
    "SELECT min_amount, accounts, approvers, roles, expires_hours"
    " FROM approval_rules WHERE command = ?";
static const char SQL_BY_KEY[] =
    "SELECT id, digest, status FROM approval_requests"
    " WHERE command = ? AND idem_key = ?";
static const char SQL_REQ_INSERT[] =
    "INSERT INTO approval_requests (command, idem_key, digest, maker, payload,"
    " measure, approvers, roles, status, created, expires)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id";
static const char SQL_REQ_INSERT_PLAIN[] =
    "INSERT INTO approval_requests (command, idem_key, digest, maker, payload,"
    " measure, approvers, roles, status, created, expires)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)";

typedef struct rule_row {
    int found, has_min;
    int64_t min, approvers, hours;
    char accounts[LIST_MAX], roles[LIST_MAX];
} rule_row;

static int read_rule(bo_book *b, const char *command, rule_row *r)
{
    memset(r, 0, sizeof *r);
    return bo__store_row(b->store, SQL_RULE, &r->found, "t>?ititi", command,
                         &r->has_min, &r->min, r->accounts, sizeof r->accounts,
                         &r->approvers, r->roles, sizeof r->roles, &r->hours);
}

static int rule_applies(const bo__approval_kind *k, const rule_row *r,
                        const bo__approval_ask *ask)
{
    int has_accounts = r->accounts[0] != '\0';
    if (!r->has_min && !has_accounts)
        return 1;
    if (r->has_min && k->measure != BO__MEASURE_NONE && ask->measure >= r->min)
        return 1;
    for (int i = 0; has_accounts && i < ask->naccounts; i++)
        if (ask->accounts[i] && in_list(r->accounts, ask->accounts[i]))
            return 1;
    return 0;
}

struct gate_ctx {
    const bo__approval_ask *ask;
    const bo__approval_kind *kind;
    char digest[BO_HASH_HEX_SIZE];
    int64_t id;
    int pending; /* 1: a request was stored or is pending under the key */
};

static int gate_tx(bo_book *b, void *p)
{
    struct gate_ctx *c = p;
    const bo__approval_ask *ask = c->ask;
    c->pending = 0;
    rule_row r;
    int rc = read_rule(b, ask->command, &r);
    if (rc || !r.found || !rule_applies(c->kind, &r, ask))
        return rc;
    if (ask->key) {
        int found = 0;
        char digest[BO_HASH_HEX_SIZE] = "", status[16] = "";
        if ((rc = bo__store_row(b->store, SQL_BY_KEY, &found, "tt>itt", ask->command,
                                ask->key, &c->id, digest, sizeof digest, status,
                                sizeof status)))
            return rc;
        if (found) {
            if (strcmp(digest, c->digest) != 0)
                return bo__idem_reuse(ask->key, ask->command, c->id);
            if (strcmp(status, "executed") == 0)
                return 0; /* the command's own claim answers the replay */
            if (strcmp(status, "pending") != 0)
                return bo__error_set(BO_ESTATE, "key: \"%s\" names approval "
                                     "request %lld, %s", ask->key,
                                     (long long)c->id, status);
            c->pending = 1;
            return 0;
        }
    }
    /* A request that could never execute is refused now, with the direct
     * command's own error, and nothing is stored. */
    if ((rc = bo__approval_dry_run(b, c->kind, ask->payload)))
        return rc;
    char created[32], expires[32];
    int64_t now = bo__approval_clock();
    iso_at(now, created);
    iso_at(now + r.hours * 3600, expires);
    if ((rc = bo__store_insert(b->store, SQL_REQ_INSERT, SQL_REQ_INSERT_PLAIN, &c->id,
                               "tttttiittt", ask->command, ask->key, c->digest,
                               b->actor, ask->payload, ask->measure, r.approvers,
                               r.roles, created, expires)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "approval:%lld", (long long)c->id);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, ask->command);
    bo__buf_field(&d, ask->key);
    bo__buf_field_int(&d, ask->measure);
    bo__buf_field(&d, c->digest);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "approval.request", object, d.ptr);
    bo__buf_free(&d);
    if (!rc)
        rc = bo__event_queue(b, "approval.requested", c->id);
    c->pending = 1;
    return rc;
}

struct rule_read {
    const char *command;
    rule_row r;
};

static int rule_step(bo_book *b, void *p)
{
    struct rule_read *rr = p;
    return read_rule(b, rr->command, &rr->r);
}

static const char SQL_HAS_RULE[] = "SELECT 1 FROM approval_rules WHERE command = ?";

struct has_rule {
    const char *command;
    int found;
};

static int has_rule(bo_book *b, void *p)
{
    struct has_rule *h = p;
    return bo__store_row(b->store, SQL_HAS_RULE, &h->found, "t", h->command);
}

/* A read before the command's own write: inside a host's transaction it
 * runs as the command's first step would (a store failure marks the
 * transaction failed: on PostgreSQL it is aborted); outside one it is a
 * plain read, so a command without a rule opens no transaction more. */
static int read_step(bo_book *b, bo__write_fn fn, void *ctx)
{
    return b->depth > 0 ? bo__write_checked(b, fn, ctx) : fn(b, ctx);
}

/* Which commands have a rule, cached on the handle: a rule's change bumps
 * the book's generation, which every outermost transaction checks when
 * another connection has committed, so inside a transaction the cache
 * holds; outside one it holds while the store's data version says no
 * other connection committed since this handle's last transaction. */
static const char SQL_RULE_COMMANDS[] = "SELECT command FROM approval_rules";
#define RULE_BITS 64

/* The position of a kind in bo__approval_kind_at's order, in one walk of
 * the domains (bo__approval_kind_at walks them again for each position). */
static int kind_index(const char *name)
{
    const bo__domain *d;
    for (int j = 0, i = 0; name && (d = bo__domain_at(j)); j++)
        for (int k = 0; d->approvals && d->approvals[k]; k++, i++)
            if (strcmp(d->approvals[k]->name, name) == 0)
                return i;
    return -1;
}

static int rules_load(bo_book *b, void *p)
{
    (void)p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_RULE_COMMANDS, &s);
    if (rc)
        return rc;
    uint64_t mask = 0;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int i = kind_index(bo__stmt_col_text(s, 0));
        if (i >= RULE_BITS)
            mask = UINT64_MAX; /* more kinds than bits: every command asks */
        else if (i >= 0)
            mask |= (uint64_t)1 << i;
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    b->rules_mask = mask;
    b->rules_valid = 1;
    return 0;
}

static int rules_cached(bo_book *b)
{
    if (!b->rules_valid)
        return 0;
    if (b->depth > 0)
        return 1;
    int64_t dv = bo__store_data_version(b->store);
    return b->carried && dv >= 0 && dv == b->data_version;
}

/* 1 when a rule may cover command (then the rule itself is read), 0 when
 * none does, < 0 on a store failure. */
static int rule_maybe(bo_book *b, const char *command)
{
    int rc;
    if (!rules_cached(b) && (rc = read_step(b, rules_load, NULL)))
        return rc;
    int i = kind_index(command);
    if (i < 0 || i >= RULE_BITS)
        return 1;
    return (b->rules_mask >> i) & 1;
}

int bo__approval_wanted(bo_book *b, const char *command)
{
    if (b->approval_exec && strcmp(b->approval_exec, command) == 0)
        return 1; /* the gate lets it through */
    if (!bo__approval_enabled())
        return 0;
    int rc = rule_maybe(b, command);
    if (rc <= 0)
        return rc;
    struct has_rule h = { command, 0 };
    rc = read_step(b, has_rule, &h);
    return rc ? rc : h.found;
}

struct gated {
    const char *command;
    bo__write_fn fn;
    void *ctx;
    int wanted;
};

static int gated_tx(bo_book *b, void *p)
{
    struct gated *g = p;
    int rc = bo__approval_wanted(b, g->command);
    g->wanted = rc > 0;
    if (rc)
        return rc < 0 ? rc : 0; /* a rule may apply: nothing written */
    return g->fn(b, g->ctx);
}

int bo__write_gated(bo_book *b, const char *command, int checked, bo__write_fn fn,
                    bo__gate_fn gate, void *ctx)
{
    int (*write)(bo_book *, bo__write_fn, void *) = checked ? bo__write_checked : bo__write;
    int rc;
    if (b->depth == 0 && !b->approval_exec) {
        struct gated g = { command, fn, ctx, 0 };
        rc = write(b, gated_tx, &g);
        if (rc || !g.wanted)
            return rc;
    }
    if ((rc = gate(b, ctx)))
        return rc;
    return write(b, fn, ctx);
}

int bo__approval_gate_buf(bo_book *b, bo__approval_ask *ask, bo__buf *pl)
{
    int rc = BO_ENOMEM;
    bo__buf_put(pl, "", 1);
    if (!pl->failed) {
        ask->payload = pl->ptr;
        rc = bo__approval_gate(b, ask);
    }
    bo__buf_free(pl);
    return rc;
}

int bo__approval_gate(bo_book *b, const bo__approval_ask *ask)
{
    if (b->approval_exec && strcmp(b->approval_exec, ask->command) == 0) {
        b->approval_exec = NULL; /* exactly this one command passes */
        return 0;
    }
    if (!bo__approval_enabled())
        return 0;
    const bo__approval_kind *k = bo__approval_kind_find(ask->command);
    if (!k)
        return bo__error_set(BO_ERROR, "approval: %s is no approvable command",
                             ask->command);
    /* Most commands meet no rule: the cache says so, or the rule is read
     * outside a write first. */
    int rc = rule_maybe(b, ask->command);
    if (rc <= 0)
        return rc;
    struct rule_read rr = { ask->command, { 0 } };
    rc = read_step(b, rule_step, &rr);
    rule_row r = rr.r;
    if (rc || !r.found || !rule_applies(k, &r, ask))
        return rc;
    if (ask->perm && (rc = bo__require(b, ask->perm)))
        return rc;
    struct gate_ctx c = { ask, k, "", 0, 0 };
    bo__buf pl = BO__BUF_INIT;
    bo__buf_puts(&pl, ask->payload);
    rc = bo__buf_digest(&pl, c.digest);
    if (!rc)
        rc = bo__write(b, gate_tx, &c);
    if (rc || !c.pending)
        return rc;
    b->approval_last = c.id;
    return bo__error_set(BO_EPENDING, "approval %lld: %s waits for approval",
                         (long long)c.id, ask->command);
}

/* ---- decisions -------------------------------------------------------------- */
static const char SQL_REQ[] =
    "SELECT command, maker, status, expires, approvers, roles, payload"
    " FROM approval_requests WHERE id = ?";
static const char SQL_ACTOR_GRANTS[] = "SELECT count(*) FROM grants WHERE actor = ?";
static const char SQL_ACTOR_ROLE[] = "SELECT 1 FROM grants WHERE actor = ? AND role = ?";
static const char SQL_DECIDED[] =
    "SELECT 1 FROM approval_decisions WHERE request_id = ? AND actor = ?";
static const char SQL_DECISION[] =
    "INSERT INTO approval_decisions (request_id, actor, role, decision, at, note)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_APPROVALS[] =
    "SELECT count(*) FROM approval_decisions WHERE request_id = ?"
    " AND decision = 'approve'";
static const char SQL_APPROVERS[] =
    "SELECT actor FROM approval_decisions WHERE request_id = ? ORDER BY at, actor";
static const char SQL_REQ_DONE[] =
    "UPDATE approval_requests SET status = ?, decided = ?, result_id = ?,"
    " error_code = ?, error = ? WHERE id = ?";

typedef struct req_row {
    char command[BO_NAME_MAX + 1], maker[BO_NAME_MAX + 1], status[16], expires[32];
    int64_t approvers;
    char roles[LIST_MAX];
    char *payload;
} req_row;

static int req_read(bo__stmt *s, void *arg)
{
    req_row *r = arg;
    snprintf(r->command, sizeof r->command, "%s", bo__stmt_col_text(s, 0));
    snprintf(r->maker, sizeof r->maker, "%s", bo__stmt_col_text(s, 1));
    snprintf(r->status, sizeof r->status, "%s", bo__stmt_col_text(s, 2));
    snprintf(r->expires, sizeof r->expires, "%s", bo__stmt_col_text(s, 3));
    r->approvers = bo__stmt_col_int(s, 4);
    snprintf(r->roles, sizeof r->roles, "%s", bo__stmt_col_text(s, 5));
    r->payload = bo__strdup(bo__stmt_col_text(s, 6));
    return r->payload ? 0 : BO_ENOMEM;
}

struct decide_ctx {
    int64_t id;
    int decision;
    const char *note;
    int64_t result;
    int exec_failed;
    char role[BO_NAME_MAX + 1];
};

static const char *decision_name(int d)
{
    return d == BO__DECIDE_APPROVE ? "approve"
         : d == BO__DECIDE_REJECT  ? "reject" : "override";
}

static int object_of(int64_t id, char out[32])
{
    snprintf(out, 32, "approval:%lld", (long long)id);
    return 0;
}

/* Who made it and who decided, for the record of the outcome. */
static int outcome_detail(bo_book *b, int64_t id, const req_row *r, int64_t result,
                          const char *note, bo__buf *d)
{
    bo__buf_field(d, r->command);
    bo__buf_field(d, r->maker);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_APPROVERS, &s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_bind(s, "i", id))) {
        bo__stmt_done(s);
        return rc;
    }
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW)
        bo__buf_field(d, bo__stmt_col_text(s, 0));
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    bo__buf_field_int(d, result);
    bo__buf_field(d, note);
    return d->failed ? BO_ENOMEM : 0;
}

/* The checks every decision makes, then the decision's row. */
static int decide_check(bo_book *b, struct decide_ctx *c, const req_row *r, int found)
{
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "approval: no request %lld",
                             (long long)c->id);
    if (strcmp(r->status, "pending") != 0)
        return bo__error_set(BO_ESTATE, "approval %lld: already %s",
                             (long long)c->id, r->status);
    if (!b->actor)
        return bo__error_set(BO_EDENIED, "permission denied: no actor is set on "
                             "this book handle");
    int64_t grants = 0;
    int rc = bo__store_row(b->store, SQL_ACTOR_GRANTS, NULL, "t>i", b->actor, &grants);
    if (rc)
        return rc;
    if (grants == 0)
        return bo__error_set(BO_EDENIED, "approval %lld: actor '%s' is unknown "
                             "to this book (holds no role)", (long long)c->id,
                             b->actor);
    if (strcmp(b->actor, r->maker) == 0)
        return bo__error_set(BO_EDENIED, "approval %lld: actor '%s' made this "
                             "command and cannot %s it (separation of duties)",
                             (long long)c->id, b->actor, decision_name(c->decision));
    char now[32];
    iso_at(bo__approval_clock(), now);
    if (strcmp(now, r->expires) > 0)
        return bo__error_set(BO_EEXPIRED, "approval %lld: expired at %s",
                             (long long)c->id, r->expires);
    int found_role = 0;
    if (c->decision == BO__DECIDE_OVERRIDE) {
        snprintf(c->role, sizeof c->role, "owner");
        if ((rc = bo__store_row(b->store, SQL_ACTOR_ROLE, &found_role, "tt",
                                b->actor, "owner")))
            return rc;
        if (!found_role)
            return bo__error_set(BO_EDENIED, "approval %lld: actor '%s' is no "
                                 "owner; only an owner overrides",
                                 (long long)c->id, b->actor);
    } else {
        const char *p = r->roles;
        while (!found_role && next_name(&p, c->role, sizeof c->role))
            if ((rc = bo__store_row(b->store, SQL_ACTOR_ROLE, &found_role, "tt",
                                    b->actor, c->role)))
                return rc;
        if (!found_role)
            return bo__error_set(BO_EDENIED, "approval %lld: actor '%s' holds "
                                 "none of the approving roles (%s)",
                                 (long long)c->id, b->actor, r->roles);
    }
    int decided = 0;
    if ((rc = bo__store_row(b->store, SQL_DECIDED, &decided, "it", c->id, b->actor)))
        return rc;
    if (decided)
        return bo__error_set(BO_EEXISTS, "approval %lld: actor '%s' has already "
                             "decided", (long long)c->id, b->actor);
    return bo__store_run(b->store, SQL_DECISION, "itttt?t", c->id, b->actor, c->role,
                         decision_name(c->decision), now, c->note != NULL, c->note);
}

/* Run the stored command as its maker, letting exactly it pass the gate. */
static int execute(bo_book *b, const req_row *r, int64_t *result)
{
    const bo__approval_kind *k = bo__approval_kind_find(r->command);
    if (!k)
        return bo__error_set(BO_ECORRUPT, "approval: %s is no approvable command",
                             r->command);
    char *approver = b->actor;
    char *maker = bo__strdup(r->maker);
    if (!maker)
        return BO_ENOMEM;
    b->actor = maker;
    b->perms_valid = 0;
    b->approval_exec = k->name;
    *result = 0;
    int rc = k->execute(b, r->payload, result);
    b->approval_exec = NULL;
    b->actor = approver;
    b->perms_valid = 0;
    bo__free(maker);
    return rc;
}

static int decide_tx(bo_book *b, void *p)
{
    struct decide_ctx *c = p;
    req_row r;
    memset(&r, 0, sizeof r);
    int found = 0;
    c->exec_failed = 0;
    c->result = 0;
    int rc = bo__store_row_read(b->store, SQL_REQ, req_read, &r, &found, "i", c->id);
    if (!rc)
        rc = decide_check(b, c, &r, found);
    char object[32], now[32];
    object_of(c->id, object);
    iso_at(bo__approval_clock(), now);
    const char *status = NULL, *action = NULL;
    if (!rc && c->decision == BO__DECIDE_REJECT) {
        status = "rejected";
        action = "approval.reject";
    } else if (!rc) {
        int64_t n = 0;
        if (c->decision == BO__DECIDE_APPROVE)
            rc = bo__store_row(b->store, SQL_APPROVALS, NULL, "i>i", c->id, &n);
        action = c->decision == BO__DECIDE_OVERRIDE ? "approval.override"
                                                    : "approval.approve";
        if (!rc && (c->decision == BO__DECIDE_OVERRIDE || n >= r.approvers)) {
            rc = execute(b, &r, &c->result);
            if (rc)
                c->exec_failed = 1;
            else
                status = "executed";
        }
    }
    if (!rc && status)
        rc = bo__store_run(b->store, SQL_REQ_DONE, "ttInni", status, now, c->result,
                           c->id);
    if (!rc) {
        bo__buf d = BO__BUF_INIT;
        rc = outcome_detail(b, c->id, &r, c->result, c->note, &d);
        if (!rc)
            rc = bo__audit_append(b, action, object, d.ptr);
        bo__buf_free(&d);
    }
    if (!rc)
        rc = bo__event_queue(b, "approval.decided", c->id);
    if (!rc && c->decision == BO__DECIDE_OVERRIDE)
        rc = bo__event_queue(b, "approval.override", c->id);
    bo__free(r.payload);
    return rc;
}

struct fail_ctx {
    struct decide_ctx *c;
    int code;
    const char *message;
};

/* The execution failed: the decision and the failure are recorded, the
 * request stays visible as failed. */
static int fail_tx(bo_book *b, void *p)
{
    struct fail_ctx *f = p;
    struct decide_ctx *c = f->c;
    req_row r;
    memset(&r, 0, sizeof r);
    int found = 0;
    int rc = bo__store_row_read(b->store, SQL_REQ, req_read, &r, &found, "i", c->id);
    if (!rc)
        rc = decide_check(b, c, &r, found);
    char object[32], now[32];
    object_of(c->id, object);
    iso_at(bo__approval_clock(), now);
    if (!rc)
        rc = bo__store_run(b->store, SQL_REQ_DONE, "ttnit" "i", "failed", now, f->code,
                           f->message, c->id);
    if (!rc) {
        bo__buf d = BO__BUF_INIT;
        rc = outcome_detail(b, c->id, &r, 0, f->message, &d);
        if (!rc)
            rc = bo__audit_append(b, "approval.fail", object, d.ptr);
        bo__buf_free(&d);
    }
    if (!rc)
        rc = bo__event_queue(b, "approval.decided", c->id);
    bo__free(r.payload);
    return rc;
}

/* Errors that say nothing about the command: the request stays pending
 * (BO_EKEY: the approving handle lacks the host's key). */
static int transient(int rc)
{
    return rc == BO_ENOMEM || rc == BO_EBUSY || rc == BO_ECONFLICT || rc == BO_EIO ||
           rc == BO_EFULL || rc == BO_ESTATE || rc == BO_EKEY;
}

int bo__approval_decide(bo_book *b, int64_t id, int decision, const char *note,
                        int64_t *result)
{
    struct decide_ctx c = { id, decision, note, 0, 0, "" };
    int rc = bo__write(b, decide_tx, &c);
    if (rc && c.exec_failed && !transient(rc)) {
        /* Inside a host's transaction the failure is recorded in it, as
         * the decision would have been: kept by its commit, undone with
         * everything else by its rollback (the request is pending again). */
        bo__error_state es;
        bo__error_save(&es);
        struct fail_ctx f = { &c, rc, es.msg };
        int r2 = bo__write(b, fail_tx, &f);
        bo__error_restore(&es);
        if (r2 && b->depth == 0)
            return r2;
        return rc;
    }
    if (!rc && result)
        *result = c.result;
    return rc;
}

/* ---- expiry ----------------------------------------------------------------- */
static const char SQL_DUE[] =
    "SELECT id FROM approval_requests WHERE status = 'pending' AND expires < ?"
    " ORDER BY id";
static const char SQL_EXPIRE[] =
    "UPDATE approval_requests SET status = 'expired', decided = ? WHERE id = ?";

struct expire_ctx {
    int64_t count;
};

static int expire_tx(bo_book *b, void *p)
{
    struct expire_ctx *c = p;
    c->count = 0;
    char now[32];
    iso_at(bo__approval_clock(), now);
    int64_t ids[64];
    int n = 0, rc;
    do { /* in batches: no statement stays open over the writes */
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_DUE, &s)))
            return rc;
        if ((rc = bo__stmt_bind(s, "t", now))) {
            bo__stmt_done(s);
            return rc;
        }
        n = 0;
        while (n < 64 && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW)
            ids[n++] = bo__stmt_col_int(s, 0);
        bo__stmt_done(s);
        if (rc < 0)
            return rc;
        for (int i = 0; i < n; i++) {
            char object[32];
            object_of(ids[i], object);
            if ((rc = bo__store_run(b->store, SQL_EXPIRE, "ti", now, ids[i])) ||
                (rc = bo__audit_append(b, "approval.expire", object, now)) ||
                (rc = bo__event_queue(b, "approval.decided", ids[i])))
                return rc;
            c->count++;
        }
    } while (n == 64);
    return 0;
}

int bo__approval_expire(bo_book *b, int64_t *count)
{
    struct expire_ctx c = { 0 };
    int rc = bo__write(b, expire_tx, &c);
    if (!rc && count)
        *count = c.count;
    return rc;
}

/* ---- rules ------------------------------------------------------------------ */
static const char SQL_ROLE_EXISTS[] = "SELECT 1 FROM roles WHERE name = ?";
static const char SQL_RULE_DELETE[] = "DELETE FROM approval_rules WHERE command = ?";
static const char SQL_RULE_INSERT[] =
    "INSERT INTO approval_rules (command, min_amount, accounts, approvers, roles,"
    " expires_hours) VALUES (?, ?, ?, ?, ?, ?)";

static int roles_check(bo_book *b, const char *field, const char *list, int *n)
{
    char one[BO_NAME_MAX + 1];
    const char *p = list;
    *n = 0;
    while (next_name(&p, one, sizeof one)) {
        int found = 0, rc = bo__store_row(b->store, SQL_ROLE_EXISTS, &found, "t", one);
        if (rc)
            return rc;
        if (!found)
            return bo__error_set(BO_ENOTFOUND, "%s: unknown role '%s'", field, one);
        (*n)++;
    }
    return 0;
}

static int rule_tx(bo_book *b, void *p)
{
    const bo__approval_rule *r = p;
    int nroles, rc = roles_check(b, "roles", r->roles, &nroles);
    if (rc)
        return rc;
    if (nroles == 0)
        return bo__error_set(BO_EINVAL, "roles: a rule needs at least one "
                             "approving role");
    if ((rc = bo__store_run(b->store, SQL_RULE_DELETE, "t", r->command)) ||
        (rc = bo__store_run(b->store, SQL_RULE_INSERT, "t?ititi", r->command,
                            r->has_min, r->min, r->accounts ? r->accounts : "",
                            r->approvers, r->roles, r->expires_hours)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, r->has_min);
    bo__buf_field_int(&d, r->min);
    bo__buf_field(&d, r->accounts ? r->accounts : "");
    bo__buf_field_int(&d, r->approvers);
    bo__buf_field(&d, r->roles);
    bo__buf_field_int(&d, r->expires_hours);
    char object[BO_NAME_MAX + 8];
    snprintf(object, sizeof object, "rule:%s", r->command);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "approval.rule.set", object, d.ptr);
    bo__buf_free(&d);
    /* Every handle's cache of which commands have rules starts over. */
    return rc ? rc : bo__book_bump_generation(b);
}

int bo__approval_rule_set(bo_book *b, const bo__approval_rule *r)
{
    int rc;
    if ((rc = bo__name_check("command", r->command, BO_NAME_MAX)))
        return rc;
    if (!bo__approval_kind_find(r->command))
        return bo__error_set(BO_ENOTFOUND, "command: unknown command '%s'", r->command);
    if (!r->roles)
        return bo__error_set(BO_EINVAL, "roles: a rule needs at least one "
                             "approving role");
    if (strlen(r->roles) >= LIST_MAX)
        return bo__error_set(BO_ETOOLONG, "roles: longer than %d bytes", LIST_MAX - 1);
    if (r->accounts && strlen(r->accounts) >= LIST_MAX)
        return bo__error_set(BO_ETOOLONG, "accounts: longer than %d bytes",
                             LIST_MAX - 1);
    if ((rc = bo__text_check("roles", r->roles, LIST_MAX, false, false)) ||
        (r->accounts && (rc = bo__text_check("accounts", r->accounts, LIST_MAX,
                                             true, true))))
        return rc;
    if (r->approvers < 1 || r->approvers > 16)
        return bo__error_set(BO_EINVAL, "approvers: must be 1 to 16, not %lld",
                             (long long)r->approvers);
    if (r->has_min && r->min < 0)
        return bo__error_set(BO_EINVAL, "min_amount: must not be negative");
    if (r->expires_hours < 1 || r->expires_hours > 24 * 366)
        return bo__error_set(BO_EINVAL, "expires_hours: must be 1 to %d, not %lld",
                             24 * 366, (long long)r->expires_hours);
    return bo__write(b, rule_tx, (void *)r);
}

static int rule_remove_tx(bo_book *b, void *p)
{
    const char *command = p;
    int rc = bo__store_run(b->store, SQL_RULE_DELETE, "t", command);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_ENOTFOUND, "command: no rule for '%s'", command);
    char object[BO_NAME_MAX + 8];
    snprintf(object, sizeof object, "rule:%s", command);
    return (rc = bo__audit_append(b, "approval.rule.remove", object, ""))
        ? rc : bo__book_bump_generation(b);
}

int bo__approval_rule_remove(bo_book *b, const char *command)
{
    int rc = bo__name_check("command", command, BO_NAME_MAX);
    return rc ? rc : bo__write(b, rule_remove_tx, (void *)command);
}

/* ---- conflicting roles ------------------------------------------------------ */
static const char SQL_CONFLICT_INSERT[] =
    "INSERT INTO approval_conflicts (role_a, role_b) VALUES (?, ?)"
    " ON CONFLICT DO NOTHING";
static const char SQL_GRANT_CONFLICT[] =
    "SELECT g.role FROM approval_conflicts c JOIN grants g ON g.actor = ?"
    " WHERE (c.role_a = ? AND g.role = c.role_b)"
    " OR (c.role_b = ? AND g.role = c.role_a)";

struct conflict_ctx {
    const char *a, *b;
};

static int conflict_tx(bo_book *b, void *p)
{
    struct conflict_ctx *c = p;
    int n, rc;
    if ((rc = roles_check(b, "role_a", c->a, &n)) ||
        (rc = roles_check(b, "role_b", c->b, &n)) ||
        (rc = bo__store_run(b->store, SQL_CONFLICT_INSERT, "tt", c->a, c->b)))
        return rc;
    if (bo__store_changes(b->store) == 0)
        return 0;
    char object[2 * BO_NAME_MAX + 16];
    snprintf(object, sizeof object, "conflict:%s %s", c->a, c->b);
    return bo__audit_append(b, "approval.conflict.add", object, "");
}

int bo__approval_conflict_add(bo_book *b, const char *ra, const char *rb)
{
    int rc;
    if ((rc = bo__name_check("role_a", ra, BO_NAME_MAX)) ||
        (rc = bo__name_check("role_b", rb, BO_NAME_MAX)))
        return rc;
    int cmp = strcmp(ra, rb);
    if (cmp == 0)
        return bo__error_set(BO_EINVAL, "role_b: a role cannot conflict with itself");
    struct conflict_ctx c = { cmp < 0 ? ra : rb, cmp < 0 ? rb : ra };
    return bo__write(b, conflict_tx, &c);
}

int bo__approval_grant_check(bo_book *b, const char *actor, const char *role)
{
    if (!bo__approval_enabled())
        return 0;
    int found = 0;
    char held[BO_NAME_MAX + 1] = "";
    int rc = bo__store_row(b->store, SQL_GRANT_CONFLICT, &found, "ttt>t", actor, role,
                           role, held, sizeof held);
    if (rc)
        return rc;
    if (found)
        return bo__error_set(BO_EDENIED, "grant: role '%s' conflicts with role "
                             "'%s' that actor '%s' holds (separation of duties)",
                             role, held, actor);
    return 0;
}

/* ---- who made a step -------------------------------------------------------- */
static const char SQL_ACTOR_OF[] =
    "SELECT actor FROM audit_log WHERE action = ? AND object = ?"
    " ORDER BY seq DESC LIMIT 1";

int bo__approval_actor_of(bo_book *b, const char *action, const char *object,
                          char *out, size_t size, int *found)
{
    out[0] = '\0';
    return bo__store_row(b->store, SQL_ACTOR_OF, found, "tt>t", action, object, out,
                         size);
}
