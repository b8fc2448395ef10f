/* Leave as an append-only ledger: policies (accrual, cap, carry-over with
 * its expiry), entitlements, requests and their approval, collective leave.
 * The ledger keeps what was taken; accruals, carry-over and expiry follow
 * from the policy and are worked out for any date (leave_walk), so a
 * request recorded late never leaves a stale accrual or expiry behind. */
#include "people/people.h"
#include "util/fixed.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- policies ----------------------------------------------------------------- */

typedef struct lpolicy {
    char code[BO_PEOPLE_TEXT_MAX + 1];
    int64_t accrual, days, cap, carry_max, carry_months;
} lpolicy;

static const char SQL_POLICY[] =
    "SELECT code, accrual, days_per_year, cap, carry_max, carry_months"
    " FROM people_leave_policies WHERE code = ?";
static const char SQL_POLICY_ADD[] =
    "INSERT INTO people_leave_policies (code, accrual, days_per_year, cap, carry_max,"
    " carry_months) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING";

static int policy_get(bo_book *b, const char *code, lpolicy *p)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_POLICY, &found, "t>tiiiii", code, p->code,
                           sizeof p->code, &p->accrual, &p->days, &p->cap, &p->carry_max,
                           &p->carry_months);
    if (!rc && !found) {
        char q[80];
        bo__quote(code, 32, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "policy: no leave policy \"%s\"", q);
    }
    return rc;
}

static int policy_add_tx(bo_book *b, void *p)
{
    lpolicy *c = p;
    int rc = bo__store_run(b->store, SQL_POLICY_ADD, "tiiiii", c->code, c->accrual, c->days,
                           c->cap, c->carry_max, c->carry_months);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "code: leave policy \"%s\" exists", c->code);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "leave_policy:%s", c->code);
    return bo__audit_append(b, "people.leave_policy.add", object, "");
}

/* At most 366 days a year, in hundredths. */
#define DAYS_MAX (366 * BO_PEOPLE_DAY)

int bo_people_leave_policy_add(bo_book *book, const char *code, int accrual,
                               int64_t days_per_year, int64_t cap, int64_t carry_max,
                               int carry_months)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)))
        return rc;
    if (accrual < BO_PEOPLE_ACCRUE_YEARLY || accrual > BO_PEOPLE_ACCRUE_ANNIVERSARY)
        return bo__error_set(BO_EINVAL, "accrual: %d is not an accrual", accrual);
    if (days_per_year < 0 || days_per_year > DAYS_MAX)
        return bo__error_set(BO_EINVAL, "days_per_year: outside 0..%d", DAYS_MAX);
    if (cap < 0 || cap > 10 * DAYS_MAX)
        return bo__error_set(BO_EINVAL, "cap: outside 0..%d", 10 * DAYS_MAX);
    if (carry_max < -1 || carry_max > 10 * DAYS_MAX)
        return bo__error_set(BO_EINVAL, "carry_max: outside -1..%d", 10 * DAYS_MAX);
    if (carry_months < 0 || carry_months > 12)
        return bo__error_set(BO_EINVAL, "carry_months: outside 0..12");
    lpolicy p;
    memset(&p, 0, sizeof p);
    snprintf(p.code, sizeof p.code, "%s", code);
    p.accrual = accrual;
    p.days = days_per_year;
    p.cap = cap;
    p.carry_max = carry_max;
    p.carry_months = carry_months;
    return bo__write(book, policy_add_tx, &p);
}

/* ---- entitlements -------------------------------------------------------------- */

static const char SQL_ENTITLE[] =
    "INSERT INTO people_leave_entitlements (employee_id, policy, from_date) VALUES (?, ?, ?)"
    " ON CONFLICT (employee_id, policy) DO NOTHING";
static const char SQL_ENTITLED[] =
    "SELECT from_date FROM people_leave_entitlements WHERE employee_id = ? AND policy = ?";

struct entitle_ctx {
    int64_t emp;
    const char *policy;
    bo_date from;
};

static int entitle_tx(bo_book *b, void *p)
{
    struct entitle_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_ENTITLE, "itd", c->emp, c->policy, c->from);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "policy: the employee is already entitled to \"%s\"",
                             c->policy);
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->emp);
    return bo__audit_append(b, "people.leave.entitle", object, c->policy);
}

int bo_people_leave_entitle(bo_book *book, const char *number, const char *policy,
                            bo_date from)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("policy", policy)))
        return rc;
    if (from < BO_DATE_MIN || from > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "from: out of range");
    struct entitle_ctx c = { 0, policy, from };
    lpolicy p;
    if ((rc = bo__pay_employee_id(book, number, &c.emp)) || (rc = policy_get(book, policy, &p)))
        return rc;
    return bo__write(book, entitle_tx, &c);
}

/* ---- the balance ----------------------------------------------------------------- */

/* One event of the walk: an accrual, a ledger row or collective leave, an
 * expiry. Events of a day apply in that order. */
enum { EV_ACCRUE = 0, EV_TAKE = 1, EV_EXPIRE = 2 };

typedef struct walk {
    lpolicy p;
    bo_date start;      /* the entitlement's first day */
    int64_t balance;    /* what is available */
    int64_t carry_left; /* carried days not yet taken or expired */
    int64_t expired;    /* expired in the current year */
    int year;
} walk;

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

static int accrue(walk *w, int64_t amount)
{
    int rc = bo__fx_add(w->balance, amount, &w->balance);
    if (!rc && w->p.cap > 0 && w->balance > w->p.cap)
        w->balance = w->p.cap;
    return rc;
}

static int take(walk *w, int64_t amount) /* amount < 0: taken; > 0: granted */
{
    if (amount < 0) {
        int64_t used = min64(w->carry_left, -amount);
        if (used > 0)
            w->carry_left -= used;
    }
    return bo__fx_add(w->balance, amount, &w->balance);
}

/* The year's end: carry over at most carry_max; the rest lapses. */
static void year_end(walk *w)
{
    int64_t carry = w->balance;
    if (carry > 0 && w->p.carry_max >= 0 && carry > w->p.carry_max)
        carry = w->p.carry_max;
    w->balance = carry;
    w->carry_left = carry > 0 ? carry : 0;
    w->expired = 0;
}

/* The accrual of month m (1..12) of year y, or of the anniversary. */
static int accruals_of_day(walk *w, bo_date d, int y, int m, int day, int64_t *amount)
{
    *amount = 0;
    if (d < w->start)
        return 0;
    int sy, sm, sd;
    bo_date_to_ymd(w->start, &sy, &sm, &sd);
    switch ((int)w->p.accrual) {
    case BO_PEOPLE_ACCRUE_YEARLY:
        if (y == sy && d == w->start && !(sm == 1 && sd == 1))
            /* pro rata: the months left in the year of entitlement, its own included */
            return bo__fx_muldiv(w->p.days, 13 - sm, 12, BO_ROUND_HALF_UP, amount);
        if (m == 1 && day == 1)
            *amount = w->p.days;
        return 0;
    case BO_PEOPLE_ACCRUE_MONTHLY:
        if (day == 1 || d == w->start) {
            if (y == sy && m == sm && d != w->start)
                return 0; /* the month's share came on the entitlement's day */
            int64_t a, b;
            int rc = bo__fx_muldiv(w->p.days, m, 12, BO_ROUND_FLOOR, &a);
            if (!rc)
                rc = bo__fx_muldiv(w->p.days, m - 1, 12, BO_ROUND_FLOOR, &b);
            if (!rc)
                *amount = a - b;
            return rc;
        }
        return 0;
    case BO_PEOPLE_ACCRUE_ANNIVERSARY:
        if (y > sy && m == sm && (day == sd || (sm == 2 && sd == 29 && day == 28 &&
                                                bo_date_from_ymd(y, 2, 29, &(bo_date){0}))))
            *amount = w->p.days;
        return 0;
    }
    return 0;
}

typedef struct lrow {
    bo_date date;
    int64_t amount;
} lrow;

static const char SQL_LEDGER[] =
    "SELECT date, amount FROM people_leave_ledger WHERE employee_id = ? AND policy = ?"
    " AND date <= ? UNION ALL"
    " SELECT date, -amount FROM people_leave_collective WHERE policy = ? AND date >= ?"
    " AND date <= ? ORDER BY 1";

static int ledger_rows(bo_book *b, int64_t emp, const lpolicy *p, bo_date start, bo_date to,
                       lrow **out, size_t *n)
{
    bo__stmt *s;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    int rc = bo__stmt_get(b->store, SQL_LEDGER, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "itdtdd", emp, p->code, to, p->code, start, to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (*n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                lrow *g = bo__realloc(*out, nc * sizeof *g);
                if (!g) {
                    rc = BO_ENOMEM;
                    break;
                }
                *out = g;
                cap = nc;
            }
            lrow *r = &(*out)[(*n)++];
            if (bo_date_parse(bo__stmt_col_text(s, 0), &r->date))
                r->date = start;
            r->amount = bo__stmt_col_int(s, 1);
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* Walk the days from the entitlement to `to`: accruals (capped), taken and
 * collective days (the carried days used first), the expiry of what is
 * left of the carry, and each year's end. */
static int leave_walk(bo_book *b, int64_t emp, const lpolicy *p, bo_date to, walk *w)
{
    char from[11] = "";
    int found = 0;
    int rc = bo__store_row(b->store, SQL_ENTITLED, &found, "it>t", emp, p->code, from,
                           sizeof from);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "policy: the employee is not entitled to \"%s\"",
                             p->code);
    memset(w, 0, sizeof *w);
    w->p = *p;
    if (bo_date_parse(from, &w->start))
        return bo__error_set(BO_ECORRUPT, "people_leave_entitlements: bad from_date");
    if (to < w->start)
        return 0;
    if ((int64_t)to - w->start > 100 * 366)
        return bo__error_set(BO_ELIMIT, "date: more than 100 years after the entitlement");
    lrow *rows;
    size_t nrows, k = 0;
    if ((rc = ledger_rows(b, emp, p, w->start, to, &rows, &nrows)))
        return rc;
    bo_date expiry = BO_DATE_MAX;
    int y, m, day;
    bo_date_to_ymd(w->start, &w->year, &m, &day);
    for (bo_date d = w->start; d <= to && !rc; d++) {
        bo_date_to_ymd(d, &y, &m, &day);
        if (y != w->year) {
            year_end(w);
            w->year = y;
            expiry = BO_DATE_MAX;
            if (p->carry_months > 0 && w->carry_left > 0) {
                bo_date first;
                bo_date_from_ymd(y, 1, 1, &first);
                bo_date_add_months(first, (int)p->carry_months, &expiry);
                expiry--; /* the last day the carried days may be taken */
            }
        }
        int64_t a;
        if ((rc = accruals_of_day(w, d, y, m, day, &a)) || (a && (rc = accrue(w, a))))
            break;
        for (; k < nrows && rows[k].date <= d && !rc; k++)
            if (rows[k].date >= w->start)
                rc = take(w, rows[k].amount);
        if (d == expiry && w->carry_left > 0) {
            w->expired += w->carry_left;
            w->balance -= w->carry_left;
            w->carry_left = 0;
        }
    }
    bo__free(rows);
    return rc;
}

static int entitlement_emp(bo_book *book, const char *number, const char *code, int64_t *emp,
                           lpolicy *p)
{
    int rc = bo__ppl_code("policy", code);
    if (rc || (rc = bo__pay_employee_id(book, number, emp)))
        return rc;
    return policy_get(book, code, p);
}

int bo_people_leave_balance(bo_book *book, const char *number, const char *code, bo_date date,
                            int64_t *available, int64_t *expired)
{
    bo__error_clear();
    if (!book || !available)
        return bo__error_set(BO_EINVAL, "book/available: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_READ);
    int64_t emp;
    lpolicy p;
    if (rc || (rc = entitlement_emp(book, number, code, &emp, &p)))
        return rc;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    walk w;
    if ((rc = leave_walk(book, emp, &p, date, &w)))
        return rc;
    *available = w.balance;
    if (expired)
        *expired = w.expired;
    return 0;
}

/* ---- requests ------------------------------------------------------------------- */

static const char SQL_REQUEST_ADD[] =
    "INSERT INTO people_leave_requests (employee_id, policy, from_date, to_date, half, days,"
    " status, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id";
static const char SQL_REQUEST_ADD_PLAIN[] =
    "INSERT INTO people_leave_requests (employee_id, policy, from_date, to_date, half, days,"
    " status, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)";
static const char SQL_REQUEST_BY_KEY[] =
    "SELECT id, digest FROM people_leave_requests WHERE idem_key = ?";
static const char SQL_HOLIDAYS_IN[] =
    "SELECT COUNT(*) FROM people_holidays WHERE calendar = 'default' AND date >= ?"
    " AND date <= ? AND flags % 2 = 0";

struct request_ctx {
    int64_t emp, id, days;
    const char *policy, *key;
    bo_date from, to;
    int half;
    char digest[65];
};

static int request_tx(bo_book *b, void *p)
{
    struct request_ctx *c = p;
    int state = BO__IDEM_NEW, rc = 0;
    if (c->key && ((rc = bo__idem_claim(b, SQL_REQUEST_BY_KEY, "leave request", c->key,
                                        c->digest, &c->id, &state)) ||
                   state == BO__IDEM_REPLAY))
        return rc;
    int64_t hol = 0;
    if ((rc = bo__store_row(b->store, SQL_HOLIDAYS_IN, NULL, "dd>i", c->from, c->to, &hol)))
        return rc;
    c->days = c->half ? BO_PEOPLE_DAY / 2 : ((int64_t)c->to - c->from + 1 - hol) * BO_PEOPLE_DAY;
    if (c->days <= 0)
        return bo__error_set(BO_EINVAL, "to: the request covers only holidays");
    if ((rc = bo__store_insert(b->store, SQL_REQUEST_ADD, SQL_REQUEST_ADD_PLAIN, &c->id,
                               "itddiitt", c->emp, c->policy, c->from, c->to, (int64_t)c->half,
                               c->days, c->key, c->key ? c->digest : NULL)))
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->emp);
    char detail[40];
    snprintf(detail, sizeof detail, "request %" PRId64, c->id);
    return bo__audit_append(b, "people.leave.request", object, detail);
}

int bo_people_leave_request(bo_book *book, const char *number, const char *code, bo_date from,
                            bo_date to, int half, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_WRITE);
    if (rc || (rc = bo__idem_check(key)) || (rc = bo__ppl_range(from, to)))
        return rc;
    if (half && from != to)
        return bo__error_set(BO_EINVAL, "half: half a day is asked for one day (from = to)");
    struct request_ctx c;
    memset(&c, 0, sizeof c);
    lpolicy p;
    walk w;
    if ((rc = entitlement_emp(book, number, code, &c.emp, &p)) ||
        (rc = leave_walk(book, c.emp, &p, from, &w)))
        return rc;
    c.policy = code;
    c.key = key;
    c.from = from;
    c.to = to;
    c.half = half != 0;
    char f[11], t[11];
    bo__date_iso(from, f);
    bo__date_iso(to, t);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.leave.request");
    bo__buf_field(&d, number);
    bo__buf_field(&d, code);
    bo__buf_field(&d, f);
    bo__buf_field(&d, t);
    bo__buf_field_int(&d, c.half);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(book, request_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

static const char SQL_REQUEST[] =
    "SELECT employee_id, policy, from_date, to_date, days, status"
    " FROM people_leave_requests WHERE id = ?";
static const char SQL_DECIDE[] =
    "UPDATE people_leave_requests SET status = ? WHERE id = ? AND status = 'pending'";
static const char SQL_TAKEN[] =
    "INSERT INTO people_leave_ledger (employee_id, policy, date, kind, amount, request_id)"
    " VALUES (?, ?, ?, 'taken', ?, ?)";

struct decide_ctx {
    int64_t id;
    int approve;
};

static int decide_tx(bo_book *b, void *p)
{
    struct decide_ctx *c = p;
    int64_t emp = 0, days = 0;
    char code[BO_PEOPLE_TEXT_MAX + 1], from[11], to[11], status[16];
    int found = 0;
    int rc = bo__store_row(b->store, SQL_REQUEST, &found, "i>itttit", c->id, &emp, code,
                           sizeof code, from, sizeof from, to, sizeof to, &days, status,
                           sizeof status);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "request: leave request %" PRId64 " not found", c->id);
    if (strcmp(status, "pending") != 0)
        return bo__error_set(BO_ESTATE, "request: leave request %" PRId64 " is %s, not pending",
                             c->id, status);
    if (c->approve) {
        lpolicy pol;
        walk w;
        bo_date last;
        if ((rc = policy_get(b, code, &pol)) || (rc = bo_date_parse(to, &last) ? BO_ECORRUPT : 0) ||
            (rc = leave_walk(b, emp, &pol, last, &w)))
            return rc;
        if (w.balance < days)
            return bo__error_set(BO_ESTATE, "balance: %" PRId64 ".%02" PRId64 " days are"
                                 " available on %s, the request takes %" PRId64 ".%02" PRId64,
                                 w.balance / 100, (w.balance < 0 ? -w.balance : w.balance) % 100,
                                 to, days / 100, days % 100);
        if ((rc = bo__store_run(b->store, SQL_TAKEN, "ittii", emp, code, from, -days, c->id)))
            return rc;
    }
    if ((rc = bo__store_run(b->store, SQL_DECIDE, "ti", c->approve ? "approved" : "rejected",
                            c->id)))
        return rc;
    char object[40], detail[40];
    snprintf(object, sizeof object, "employee:%" PRId64, emp);
    snprintf(detail, sizeof detail, "request %" PRId64, c->id);
    if ((rc = bo__audit_append(b, c->approve ? "people.leave.approve" : "people.leave.reject",
                               object, detail)))
        return rc;
    return c->approve ? bo__event_queue(b, "leave.approved", c->id) : 0;
}

int bo_people_leave_decide(bo_book *book, int64_t request_id, int approve)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_APPROVE);
    if (rc)
        return rc;
    struct decide_ctx c = { request_id, approve != 0 };
    return bo__write(book, decide_tx, &c);
}

/* ---- collective leave ------------------------------------------------------------- */

static const char SQL_COLLECTIVE[] =
    "INSERT INTO people_leave_collective (policy, date, amount) VALUES (?, ?, ?)"
    " ON CONFLICT (policy, date) DO NOTHING";

struct collective_ctx {
    const char *policy;
    bo_date date;
    int64_t amount;
};

static int collective_tx(bo_book *b, void *p)
{
    struct collective_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_COLLECTIVE, "tdi", c->policy, c->date, c->amount);
    if (rc)
        return rc;
    char object[BO_PEOPLE_TEXT_MAX + 16], day[11];
    bo__date_iso(c->date, day);
    /* One collective day per policy and date: a retried call deducts once. */
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "date: %s is already collective leave of \"%s\"", day,
                             c->policy);
    snprintf(object, sizeof object, "leave_policy:%s", c->policy);
    return bo__audit_append(b, "people.leave.collective", object, day);
}

int bo_people_leave_collective(bo_book *book, const char *code, bo_date date, int64_t amount)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc || (rc = bo__ppl_code("policy", code)))
        return rc;
    if (amount <= 0 || amount > BO_PEOPLE_DAY)
        return bo__error_set(BO_EINVAL, "amount: outside 1..%d (one day)", BO_PEOPLE_DAY);
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    lpolicy p;
    if ((rc = policy_get(book, code, &p)))
        return rc;
    struct collective_ctx c = { code, date, amount };
    return bo__write(book, collective_tx, &c);
}

static const char SQL_REQUESTS[] =
    "SELECT r.id, e.number, r.policy, r.from_date, r.to_date, r.days, r.status"
    " FROM people_leave_requests r JOIN pay_employees e ON e.id = r.employee_id"
    " WHERE CAST(? AS TEXT) IS NULL OR e.number = ? ORDER BY r.id";
static const bo__col REQUEST_COLS[] = {
    { "id", BO_TYPE_INT }, { "employee", BO_TYPE_TEXT }, { "policy", BO_TYPE_TEXT },
    { "from_date", BO_TYPE_TEXT }, { "to_date", BO_TYPE_TEXT }, { "days", BO_TYPE_INT },
    { "status", BO_TYPE_TEXT },
};

int bo_people_leave_requests(bo_book *book, const char *number, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if (number && (rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false)))
        return rc;
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_REQUESTS, REQUEST_COLS, 7, out, "tt",
                       number, number);
}
