/*
 * Posting a run: one balanced entry aggregated per account and cost centre
 * (the cost centre is the line memo, "cc:NAME", or "cc:-" without one), in
 * the same transaction as the run's state change. Payment clears net pay;
 * reversal uses the ledger's reversal for the posting and the payment.
 */
#include "payroll/run.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Exact sums (util/fixed.h): joined and negated in C, checked. */
static const char SQL_AGG[] =
    "SELECT l.kind, l.account, l.expense_account, e.cost_center,"
    " SUM(" BO__SQL_HI("l.amount") "), SUM(" BO__SQL_LO("l.amount") ")"
    " FROM pay_lines l JOIN pay_slips s ON s.id = l.slip_id"
    " JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE s.run_id = ? AND l.kind IN ('earning', 'deduction', 'employer')"
    " GROUP BY l.kind, l.account, l.expense_account, e.cost_center"
    " ORDER BY l.kind, l.account, l.expense_account, e.cost_center";

typedef struct agg {
    char account[BO_CODE_MAX + 1];
    char memo[BO_PAYROLL_TEXT_MAX + 4];
    int64_t amount;
} agg;

typedef struct aggs {
    agg *v;
    int n, cap;
} aggs;

static int agg_add(aggs *a, const char *account, const char *cc, int64_t amount)
{
    char memo[BO_PAYROLL_TEXT_MAX + 4];
    snprintf(memo, sizeof memo, "cc:%s", cc ? cc : "-");
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->v[i].account, account) == 0 && strcmp(a->v[i].memo, memo) == 0) {
            if (bo__fx_add(a->v[i].amount, amount, &a->v[i].amount))
                return bo__error_set(BO_EOVERFLOW, "account '%s': the run's total "
                                     "overflows", account);
            return 0;
        }
    if (strlen(account) > BO_CODE_MAX)
        return bo__error_set(BO_EINVAL, "account: code too long");
    if (a->n == a->cap) {
        int cap = a->cap ? a->cap * 2 : 16;
        agg *nv = bo__realloc(a->v, (size_t)cap * sizeof *nv);
        if (!nv)
            return BO_ENOMEM;
        a->v = nv;
        a->cap = cap;
    }
    agg *g = &a->v[a->n++];
    snprintf(g->account, sizeof g->account, "%s", account);
    snprintf(g->memo, sizeof g->memo, "%s", memo);
    g->amount = amount;
    return 0;
}

static int net_overflow(const bo__pay_run *r)
{
    return bo__error_set(BO_EOVERFLOW, "run %" PRId64 ": net pay overflows", r->id);
}

/* Debits positive, credits negative, per account and cost centre. */
static int aggregate(bo_book *b, const bo__pay_run *r, const char *net_account,
                     aggs *a, int64_t *net_total)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_AGG, &s);
    if (rc)
        return rc;
    *net_total = 0;
    if (!(rc = bo__stmt_bind(s, "i", r->id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            const char *kind = bo__stmt_col_text(s, 0);
            char account[BO_PAYROLL_TEXT_MAX + 1], exp[BO_PAYROLL_TEXT_MAX + 1];
            char cc[BO_PAYROLL_TEXT_MAX + 1];
            snprintf(account, sizeof account, "%s", bo__stmt_col_text(s, 1));
            snprintf(exp, sizeof exp, "%s", bo__stmt_is_null(s, 2) ? "" : bo__stmt_col_text(s, 2));
            int has_cc = !bo__stmt_is_null(s, 3);
            snprintf(cc, sizeof cc, "%s", has_cc ? bo__stmt_col_text(s, 3) : "-");
            int64_t amt, neg;
            if (bo__fx_narrow(bo__fx_join(bo__stmt_col_int(s, 4), bo__stmt_col_int(s, 5)),
                              &amt) || bo__fx_neg(amt, &neg)) {
                rc = bo__error_set(BO_EOVERFLOW, "account '%s': the run's %s total "
                                   "overflows", account, kind);
                break;
            }
            if (kind[0] == 'e' && kind[1] == 'a') { /* earning: expense, net pay */
                if ((rc = agg_add(a, account, cc, amt)) ||
                    (rc = agg_add(a, net_account, cc, neg)) ||
                    (rc = bo__fx_add(*net_total, amt, net_total) ? net_overflow(r) : 0))
                    break;
            } else if (kind[0] == 'd') { /* deduction: payable, less net pay */
                if ((rc = agg_add(a, account, cc, neg)) ||
                    (rc = agg_add(a, net_account, cc, amt)) ||
                    (rc = bo__fx_sub(*net_total, amt, net_total) ? net_overflow(r) : 0))
                    break;
            } else { /* employer: expense and payable */
                if ((rc = agg_add(a, exp, cc, amt)) || (rc = agg_add(a, account, cc, neg)))
                    break;
            }
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

static const char SQL_SET_ENTRY[] = "UPDATE pay_runs SET entry_id = ? WHERE id = ?";
static const char SQL_SET_PAYMENT[] = "UPDATE pay_runs SET payment_id = ? WHERE id = ?";

static int set_id(bo_book *b, const char *sql, int64_t v, int64_t id)
{
    int rc = bo__store_run(b->store, sql, "ii", v, id);
    return rc;
}

struct post_ctx {
    int64_t id, entry;
    const char *account;
    bo_date date;
};

/* What posting a run writes, read and checked before anything is written. */
typedef struct post_plan {
    bo__pay_run r;
    bo_entry *e;  /* NULL: already posted (c->entry holds the first entry) */
} post_plan;

/* The run may be posted on its pay date; its entry, aggregated per account
 * and cost centre. Writes nothing. */
static int post_check(bo_book *b, struct post_ctx *c, post_plan *pl)
{
    bo__pay_run *r = &pl->r;
    int rc = bo__pay_run_load(b, c->id, r);
    if (rc)
        return rc;
    if (r->state == BO_PAYROLL_POSTED || r->state == BO_PAYROLL_PAID) {
        c->entry = r->entry_id; /* posting twice answers the first entry */
        return 0;
    }
    if (r->state != BO_PAYROLL_APPROVED)
        return bo__error_set(BO_ESTATE, "run %" PRId64 ": is %s; only an approved "
                             "run can be posted", r->id, bo__pay_state_name(r->state));
    bo_date pay;
    const bo__pay_pack *p;
    if ((rc = bo_date_parse(r->pay_date, &pay)) ||
        (rc = bo__pay_period_check(b, pay, "pay_date")) ||
        (rc = bo__pay_pack_get(b, r->pack, &p)))
        return rc;
    aggs a = { NULL, 0, 0 };
    int64_t net;
    char memo[80], key[BO_TEXT_MAX + 16];
    snprintf(memo, sizeof memo, "pay run %" PRId64 " %s..%s", r->id, r->start, r->end);
    snprintf(key, sizeof key, "payrun:%s", r->key);
    if (!(rc = aggregate(b, r, p->net_account, &a, &net)) &&
        !(rc = bo_entry_new(&pl->e, pay, memo)) && !(rc = bo_entry_set_key(pl->e, key))) {
        for (int i = 0; i < a.n && !rc; i++)
            if (a.v[i].amount != 0)
                rc = bo_entry_add(pl->e, a.v[i].account, a.v[i].amount, p->currency,
                                  a.v[i].memo);
        if (!rc && bo_entry_count(pl->e) < 2)
            rc = bo__error_set(BO_ESTATE, "run %" PRId64 ": nothing to post", r->id);
    }
    bo__free(a.v);
    return rc;
}

/* Post the planned entry, record it on the run, mark the run posted. */
static int post_write(bo_book *b, struct post_ctx *c, const post_plan *pl)
{
    int rc;
    if ((rc = bo__ledger_post(b, pl->e, 0, BO__POST_TRUSTED, &c->entry)) ||
        (rc = set_id(b, SQL_SET_ENTRY, c->entry, pl->r.id)) ||
        (rc = bo__pay_run_set_state(b, &pl->r, BO_PAYROLL_POSTED, "payroll.run.post")))
        return rc;
    return bo__event_queue(b, "payrun.posted", pl->r.id);
}

static int post_tx(bo_book *b, void *v)
{
    struct post_ctx *c = v;
    post_plan pl;
    memset(&pl, 0, sizeof pl);
    int rc = post_check(b, c, &pl);
    if (!rc && pl.e)
        rc = post_write(b, c, &pl);
    bo_entry_free(pl.e);
    return rc;
}

int bo_payroll_run_post(bo_book *book, int64_t run_id, int64_t *entry_id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_APPROVE);
    if (rc || (rc = bo__pay_post_approval(book, run_id)))
        return rc;
    struct post_ctx c = { run_id, 0, NULL, 0 };
    if (!(rc = bo__write(book, post_tx, &c)) && entry_id)
        *entry_id = c.entry;
    return rc;
}

static const char SQL_NET[] =
    "SELECT COALESCE(SUM(" BO__SQL_HI("net") "), 0), COALESCE(SUM(" BO__SQL_LO("net") "), 0)"
    " FROM pay_slips WHERE run_id = ?";

/* What paying a run writes, read and checked first. */
typedef struct pay_plan {
    bo__pay_run r;
    int done;     /* already paid (c->entry holds the first payment) */
    bo_entry *e;  /* NULL when the run's net pay is 0 */
} pay_plan;

/* The run may be paid on c->date; its payment entry. Writes nothing. */
static int pay_check(bo_book *b, struct post_ctx *c, pay_plan *pl)
{
    bo__pay_run *r = &pl->r;
    int rc = bo__pay_run_load(b, c->id, r);
    if (rc)
        return rc;
    if (r->state == BO_PAYROLL_PAID) {
        c->entry = r->payment_id;
        pl->done = 1;
        return 0;
    }
    if (r->state != BO_PAYROLL_POSTED)
        return bo__error_set(BO_ESTATE, "run %" PRId64 ": is %s; only a posted run "
                             "can be paid", r->id, bo__pay_state_name(r->state));
    const bo__pay_pack *p;
    if ((rc = bo__pay_period_check(b, c->date, "date")) ||
        (rc = bo__pay_pack_get(b, r->pack, &p)))
        return rc;
    int64_t net = 0, neg = 0;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_NET, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", r->id)) && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        rc = bo__fx_narrow(bo__fx_join(bo__stmt_col_int(s, 0), bo__stmt_col_int(s, 1)),
                           &net) || bo__fx_neg(net, &neg)
           ? bo__error_set(BO_EOVERFLOW, "run %" PRId64 ": the net pay total "
                           "overflows", r->id)
           : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc < 0 ? rc : BO_ERROR;
    char memo[80], key[BO_TEXT_MAX + 16];
    snprintf(memo, sizeof memo, "pay run %" PRId64 " paid", r->id);
    snprintf(key, sizeof key, "payrun:%s:paid", r->key);
    if (net != 0 && !(rc = bo_entry_new(&pl->e, c->date, memo)) &&
        !(rc = bo_entry_set_key(pl->e, key)) &&
        !(rc = bo_entry_add(pl->e, p->net_account, net, p->currency, NULL)))
        rc = bo_entry_add(pl->e, c->account, neg, p->currency, NULL);
    return rc;
}

/* Post the planned payment (if any), mark the run paid. */
static int pay_write(bo_book *b, struct post_ctx *c, const pay_plan *pl)
{
    int rc = 0;
    if (pl->e && ((rc = bo__ledger_post(b, pl->e, 0, BO__POST_TRUSTED, &c->entry)) ||
                  (rc = set_id(b, SQL_SET_PAYMENT, c->entry, pl->r.id))))
        return rc;
    if ((rc = bo__pay_run_set_state(b, &pl->r, BO_PAYROLL_PAID, "payroll.run.pay")))
        return rc;
    return bo__event_queue(b, "payrun.paid", pl->r.id);
}

static int pay_tx(bo_book *b, void *v)
{
    struct post_ctx *c = v;
    pay_plan pl;
    memset(&pl, 0, sizeof pl);
    int rc = pay_check(b, c, &pl);
    if (!rc && !pl.done)
        rc = pay_write(b, c, &pl);
    bo_entry_free(pl.e);
    return rc;
}

int bo_payroll_run_pay(bo_book *book, int64_t run_id, const char *account, bo_date date,
                   int64_t *entry_id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_APPROVE);
    if (rc || (rc = bo__text_check("account", account, BO_CODE_MAX, false, false)))
        return rc;
    struct post_ctx c = { run_id, 0, account, date };
    if (!(rc = bo__write(book, pay_tx, &c)) && entry_id)
        *entry_id = c.entry;
    return rc;
}

static int reverse_tx(bo_book *b, void *v)
{
    struct post_ctx *c = v;
    bo__pay_run r;
    int rc = bo__pay_run_load(b, c->id, &r);
    if (rc)
        return rc;
    if (r.state != BO_PAYROLL_POSTED && r.state != BO_PAYROLL_PAID)
        return bo__error_set(BO_ESTATE, "run %" PRId64 ": is %s; only a posted or "
                             "paid run can be reversed", r.id, bo__pay_state_name(r.state));
    if ((rc = bo__pay_period_check(b, c->date, "date")))
        return rc;
    char key[BO_TEXT_MAX + 24];
    int64_t rev;
    if (r.payment_id) {
        snprintf(key, sizeof key, "payrun:%s:paid:reversal", r.key);
        if ((rc = bo__ledger_reverse(b, r.payment_id, c->date, key, BO__POST_TRUSTED, &rev)))
            return rc;
    }
    snprintf(key, sizeof key, "payrun:%s:reversal", r.key);
    if ((rc = bo__ledger_reverse(b, r.entry_id, c->date, key, BO__POST_TRUSTED, &rev)) ||
        (rc = bo__pay_run_set_state(b, &r, BO_PAYROLL_REVERSED, "payroll.run.reverse")))
        return rc;
    return bo__event_queue(b, "payrun.reversed", r.id);
}

int bo_payroll_run_reverse(bo_book *book, int64_t run_id, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_APPROVE);
    if (rc)
        return rc;
    struct post_ctx c = { run_id, 0, NULL, date };
    return bo__write(book, reverse_tx, &c);
}
