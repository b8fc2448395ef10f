/*
 * Pay runs: create (idempotent by key), calculate (every employee of the
 * run's group and schedule, plus back pay), approve. Posting, payment and
 * reversal are in post.c. Each call is one transaction.
 */
#include "payroll/payroll.h"
#include "payroll/run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const STATE_NAMES[] = { NULL, "draft", "calculated", "approved",
                                           "posted", "paid", "reversed" };

const char *bo__pay_state_name(int state)
{
    return state >= 1 && state <= 6 ? STATE_NAMES[state] : "?";
}

static const char SQL_RUN_GET[] =
    "SELECT idem_key, pack, pay_group, schedule, period_start, period_end,"
    " pay_date, state, entry_id, payment_id FROM pay_runs WHERE id = ?";

int bo__pay_run_load(bo_book *b, int64_t id, bo__pay_run *r)
{
    memset(r, 0, sizeof *r);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_RUN_GET, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            r->id = id;
            snprintf(r->key, sizeof r->key, "%s", bo__stmt_col_text(s, 0));
            snprintf(r->pack, sizeof r->pack, "%s", bo__stmt_col_text(s, 1));
            r->has_group = !bo__stmt_is_null(s, 2);
            if (r->has_group)
                snprintf(r->group, sizeof r->group, "%s", bo__stmt_col_text(s, 2));
            r->schedule = (int)bo__stmt_col_int(s, 3);
            snprintf(r->start, 11, "%s", bo__stmt_col_text(s, 4));
            snprintf(r->end, 11, "%s", bo__stmt_col_text(s, 5));
            snprintf(r->pay_date, 11, "%s", bo__stmt_col_text(s, 6));
            r->state = (int)bo__stmt_col_int(s, 7);
            r->entry_id = bo__stmt_col_int(s, 8);
            r->payment_id = bo__stmt_col_int(s, 9);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "run: no pay run %" PRId64, id);
        }
    }
    bo__stmt_done(s);
    return rc;
}

static const char SQL_RUN_STATE[] = "UPDATE pay_runs SET state = ? WHERE id = ?";

int bo__pay_run_set_state(bo_book *b, const bo__pay_run *r, int state,
                          const char *action)
{
    int rc = bo__store_run(b->store, SQL_RUN_STATE, "ii", state, r->id);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "payrun:%" PRId64, r->id);
    return bo__audit_append(b, action, object, bo__pay_state_name(state));
}

/* ---- create ---------------------------------------------------------------- */

static const char SQL_RUN_ADD[] =
    "INSERT INTO pay_runs (idem_key, pack, pay_group, schedule, period_start,"
    " period_end, pay_date, state, actor, digest) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
    " RETURNING id";
static const char SQL_RUN_BY_KEY[] = "SELECT id, digest FROM pay_runs WHERE idem_key = ?";

struct create_ctx {
    const char *key, *pack, *group;
    int schedule;
    char start[11], end[11], pay[11];
    int64_t id;
    char digest[65];
};

/* The canonical form of a pay run's creation (bo__idem_claim). */
static int create_digest(struct create_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "payroll.run");
    bo__buf_field(&d, c->pack);
    bo__buf_field(&d, c->group);
    bo__buf_field_int(&d, c->schedule);
    bo__buf_field(&d, c->start);
    bo__buf_field(&d, c->end);
    bo__buf_field(&d, c->pay);
    return bo__buf_digest(&d, c->digest);
}

/* The key is new (or replays: c->id set, *replay 1) and the pack exists.
 * Writes nothing. */
static int create_check(bo_book *b, struct create_ctx *c, int *replay)
{
    int state, rc;
    if ((rc = bo__idem_claim(b, SQL_RUN_BY_KEY, "pay run", c->key, c->digest, &c->id,
                             &state)))
        return rc;
    *replay = state == BO__IDEM_REPLAY;
    const bo__pay_pack *pack;
    return *replay ? 0 : bo__pay_pack_get(b, c->pack, &pack);
}

/* Insert the draft run and audit it. */
static int create_write(bo_book *b, struct create_ctx *c)
{
    bo__stmt *s;
    int rc;
    if ((rc = bo__stmt_get(b->store, SQL_RUN_ADD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "tttittttt", c->key, c->pack, c->group, c->schedule, c->start,
                             c->end, c->pay, b->actor, c->digest))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            c->id = bo__stmt_col_int(s, 0);
        rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
           : bo__error_set(BO_ERROR, "pay run: insert returned no id");
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "payrun:%" PRId64, c->id);
    return bo__audit_append(b, "payroll.run.create", object, c->key);
}

static int create_tx(bo_book *b, void *p)
{
    struct create_ctx *c = p;
    int replay = 0;
    int rc = create_check(b, c, &replay);
    return rc || replay ? rc : create_write(b, c);
}

static int run_create_args(bo_book *book, const char *key, const char *pack,
                      const char *pay_group, int schedule, bo_date period_start,
                      bo_date period_end, bo_date pay_date, int64_t *id)
{
    bo__error_clear();
    if (!book || !id)
        return bo__error_set(BO_EINVAL, "book/id: NULL");
    int rc = bo__idem_require("a pay run", key);
    if (rc || (rc = bo__require(book, BO__P_PAYROLL_RUN)) ||
        (rc = bo__text_check("pack", pack, BO_PAYROLL_TEXT_MAX, false, false)) ||
        (rc = bo__text_check("pay_group", pay_group, BO_PAYROLL_TEXT_MAX, true, false)))
        return rc;
    if (schedule < BO_PAYROLL_MONTHLY || schedule > BO_PAYROLL_WEEKLY)
        return bo__error_set(BO_EINVAL, "schedule: not a schedule");
    struct create_ctx c = { key, pack, pay_group, schedule, "", "", "", 0, "" };
    if ((rc = bo__pay_date_text(period_start, c.start)) ||
        (rc = bo__pay_date_text(period_end, c.end)) ||
        (rc = bo__pay_date_text(pay_date, c.pay)) || (rc = create_digest(&c)))
        return rc;
    if (period_end < period_start)
        return bo__error_set(BO_EINVAL, "period_end: before period_start");
    if ((rc = bo__pay_period_check(book, pay_date, "pay_date")))
        return rc;
    if (!(rc = bo__write(book, create_tx, &c)))
        *id = c.id;
    return rc;
}

/* ---- approve ---------------------------------------------------------------- */

struct state_ctx {
    int64_t id;
};

static int approve_tx(bo_book *b, void *p)
{
    struct state_ctx *c = p;
    bo__pay_run r;
    int rc = bo__pay_run_load(b, c->id, &r);
    if (rc)
        return rc;
    if (r.state != BO_PAYROLL_CALCULATED)
        return bo__error_set(BO_ESTATE, "run %" PRId64 ": is %s; only a calculated "
                             "run can be approved", r.id, bo__pay_state_name(r.state));
    return bo__pay_run_set_state(b, &r, BO_PAYROLL_APPROVED, "payroll.run.approve");
}

int bo_payroll_run_approve(bo_book *book, int64_t run_id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_APPROVE);
    if (rc || (rc = bo__pay_approve_check(book, run_id)))
        return rc;
    struct state_ctx c = { run_id };
    return bo__write(book, approve_tx, &c);
}

int bo_payroll_run_state(bo_book *book, int64_t run_id, int *state)
{
    bo__error_clear();
    if (!book || !state)
        return bo__error_set(BO_EINVAL, "book/state: NULL");
    bo__pay_run r;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_run_load(book, run_id, &r)))
        return rc;
    *state = r.state;
    return 0;
}

static const char SQL_RUNS[] =
    "SELECT r.id, r.idem_key, r.pack, r.pay_group, CASE r.schedule WHEN 1 THEN"
    " 'monthly' WHEN 2 THEN 'semi-monthly' WHEN 3 THEN 'bi-weekly' ELSE 'weekly'"
    " END, r.period_start, r.period_end, r.pay_date, CASE r.state WHEN 1 THEN"
    " 'draft' WHEN 2 THEN 'calculated' WHEN 3 THEN 'approved' WHEN 4 THEN"
    " 'posted' WHEN 5 THEN 'paid' ELSE 'reversed' END, r.entry_id, r.payment_id,"
    " (SELECT COUNT(*) FROM pay_slips s WHERE s.run_id = r.id)"
    " FROM pay_runs r ORDER BY r.id";
static const bo__col RUN_COLS[] = {
    { "id", BO_TYPE_INT }, { "key", BO_TYPE_TEXT }, { "pack", BO_TYPE_TEXT },
    { "pay_group", BO_TYPE_TEXT }, { "schedule", BO_TYPE_TEXT },
    { "period_start", BO_TYPE_TEXT }, { "period_end", BO_TYPE_TEXT },
    { "pay_date", BO_TYPE_TEXT }, { "state", BO_TYPE_TEXT }, { "entry", BO_TYPE_INT },
    { "payment", BO_TYPE_INT }, { "employees", BO_TYPE_INT },
};

int bo_payroll_runs(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_PAYROLL_READ, NULL, SQL_RUNS, RUN_COLS, 12, out, "");
}

int bo_payroll_run_options_init(bo_payroll_run_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_PAYROLL_RUN_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_PAYROLL_RUN_OPTIONS_VERSION);
    bo_payroll_run_options init = BO_PAYROLL_RUN_OPTIONS_INIT;
    *opts = init;
    return 0;
}

int bo_payroll_run_create(bo_book *book, const bo_payroll_run_options *o, int64_t *id)
{
    bo__error_clear();
    if (!o)
        return bo__error_set(BO_EINVAL, "options: NULL");
    if (o->version != BO_PAYROLL_RUN_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", o->version,
                             BO_PAYROLL_RUN_OPTIONS_VERSION);
    return run_create_args(book, o->key, o->pack, o->pay_group, o->schedule,
                           o->period_start, o->period_end, o->pay_date, id);
}
