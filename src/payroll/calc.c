/*
 * Calculating a run: for every employee of the run's group whose terms in
 * force at the period's end are on the run's schedule, gather the inputs
 * (terms, time in the period, year to date), evaluate the pack and write a
 * slip with its lines. Back pay: for each earlier period paid to the
 * employee (posted or paid runs, not reversed) whose terms in force now
 * differ from the terms it was computed from, the pack is evaluated for
 * that period with both and the differences become lines of this slip,
 * marked with the period they correct, plus a 'basis' line recording the
 * terms now settled for that period.
 */
#include "payroll/run.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct emp {
    int64_t id;
    char *attr[BO__ATTR_COUNT];
    char start[11], end[11]; /* end "" while employed */
} emp;

static const char SQL_EMPS_ALL[] =
    "SELECT id, tax_status, risk_class, department, cost_center, pay_group,"
    " recipient, start_date, end_date"
    " FROM pay_employees WHERE start_date <= ? AND (end_date IS NULL OR"
    " end_date >= ?) ORDER BY id";
static const char SQL_EMPS_GROUP[] =
    "SELECT id, tax_status, risk_class, department, cost_center, pay_group,"
    " recipient, start_date, end_date"
    " FROM pay_employees WHERE start_date <= ? AND (end_date IS NULL OR"
    " end_date >= ?) AND pay_group = ? ORDER BY id";

static void emps_free(emp *e, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < BO__ATTR_COUNT; k++)
            bo__free(e[i].attr[k]);
    bo__free(e);
}

static int load_emps(bo_book *b, const bo__pay_run *r, emp **out, int *n)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, r->has_group ? SQL_EMPS_GROUP : SQL_EMPS_ALL, &s);
    if (rc)
        return rc;
    emp *e = NULL;
    int cnt = 0, cap = 0;
    if (!(rc = bo__stmt_bind(s, "tt", r->end, r->start)) &&
        (!r->has_group || !(rc = bo__stmt_bind_at(s, 3, "t", r->group)))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 64;
                emp *ne = bo__realloc(e, (size_t)cap * sizeof *ne);
                if (!ne) {
                    rc = BO_ENOMEM;
                    break;
                }
                e = ne;
            }
            memset(&e[cnt], 0, sizeof e[cnt]);
            e[cnt].id = bo__stmt_col_int(s, 0);
            cnt++;
            for (int k = 0; k < BO__ATTR_COUNT; k++)
                if (!bo__stmt_is_null(s, k + 1) &&
                    !(e[cnt - 1].attr[k] = bo__strdup(bo__stmt_col_text(s, k + 1)))) {
                    rc = BO_ENOMEM;
                    break;
                }
            if (rc == BO_ENOMEM)
                break;
            snprintf(e[cnt - 1].start, 11, "%s", bo__stmt_col_text(s, BO__ATTR_COUNT + 1));
            snprintf(e[cnt - 1].end, 11, "%s", bo__stmt_is_null(s, BO__ATTR_COUNT + 2)
                     ? "" : bo__stmt_col_text(s, BO__ATTR_COUNT + 2));
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    if (rc) {
        emps_free(e, cnt);
        return rc;
    }
    *out = e;
    *n = cnt;
    return 0;
}

static const char SQL_TERMS_AT[] =
    "SELECT kind, amount, schedule FROM pay_terms WHERE employee_id = ?"
    " AND effective <= ? ORDER BY effective DESC, id DESC LIMIT 1";

/* Terms in force at date: *found = 0 when none. */
static int terms_at(bo_book *b, int64_t emp_id, const char *date, int *found,
                    int *hourly, int64_t *amount, int *schedule)
{
    char kind[8] = "";
    int rc = bo__store_row(b->store, SQL_TERMS_AT, found, "it>tii", emp_id, date, kind,
                           sizeof kind, amount, schedule);
    if (!rc && *found)
        *hourly = strcmp(kind, "hourly") == 0;
    return rc;
}

static const char SQL_TIME_IN[] =
    "SELECT date, type, minutes FROM pay_time WHERE employee_id = ?"
    " AND date >= ? AND date <= ? ORDER BY date";

/* minutes -> hours x SCALE, half away from zero. */
static int hours(int64_t minutes, int64_t *out)
{
    return bo__fx_muldiv(minutes, BO__PAY_SCALE, 60, BO_ROUND_HALF_UP, out);
}

/* The message for a pay figure that does not fit: names the employee (by
 * internal id) and the component or input, never an amount. */
static int too_large(int64_t emp_id, const char *what)
{
    return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": %s: overflows the "
                         "64-bit range of pay figures", emp_id, what);
}

/* Monday-based week number of a "YYYY-MM-DD" date (1970-01-01 was a
 * Thursday). */
static int64_t week_of(const char *day)
{
    bo_date d = 0;
    (void)bo_date_parse(day, &d);
    return ((int64_t)d + 3 + 7 * 400000) / 7;
}

/* PP 35/2021 style caps of the pack (time.overtime_max_per_day / _week):
 * BO_EINVAL naming the day or the week's Monday. Minutes are hours worked,
 * not pay, so they may be named. */
static int ot_cap(const bo__pay_pack *p, int64_t emp_id, int week, const char *day,
                  int64_t minutes)
{
    int64_t cap = week ? p->ot_week_max : p->ot_day_max;
    if (!cap || minutes <= cap)
        return 0;
    return bo__error_set(BO_EINVAL, "employee #%" PRId64 ": hours.overtime: %" PRId64
                         ":%02d in the %s of %s exceed the legal cap of %" PRId64
                         " hours (time.overtime_max_per_%s)", emp_id, minutes / 60,
                         (int)(minutes % 60), week ? "week" : "day", day, cap / 60,
                         week ? "week" : "day");
}

/* PP 35/2021 in half units (2 = 1 x): on a working day 1.5 x the first
 * overtime hour and 2 x each further one; on a rest day or public holiday
 * 2 x the first 8 hours (7 in a 6-day week), 3 x the next, 4 x beyond. */
static int64_t ot_weight2(int64_t m)
{
    return (m < 60 ? m : 60) * 3 + (m > 60 ? m - 60 : 0) * 4;
}

static int64_t rest_weight2(int64_t m, int week_days)
{
    int64_t first = week_days == 6 ? 7 * 60 : 8 * 60;
    int64_t a = m < first ? m : first, rest = m - a;
    int64_t b = rest < 60 ? rest : 60;
    return a * 4 + b * 6 + (rest - b) * 8;
}

/* The overtime minutes (beyond the pack's day on attendance, and time of
 * type overtime; not rest days) from Monday mon to day last, the days of a
 * week that lie before the run's period: the weekly cap counts the whole
 * week, across pay periods. Each day's overtime is within the daily cap
 * or was refused by its own run, so the sum stays far below int64. */
static int week_before(bo_book *b, const bo__pay_pack *p, int64_t emp_id,
                       const char *mon, const char *last, int64_t *out)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_TIME_IN, &s);
    *out = 0;
    if (rc)
        return rc;
    int64_t att = 0, ot = 0;
    char day[11] = "";
    if (!(rc = bo__stmt_bind(s, "itt", emp_id, mon, last))) {
        for (;;) {
            rc = bo__stmt_step(s);
            const char *d = rc == BO_DRIVER_ROW ? bo__stmt_col_text(s, 0) : "";
            if (day[0] && strcmp(d, day) != 0) {
                if (p->regular_minutes && att > p->regular_minutes)
                    ot += att - p->regular_minutes;
                att = 0;
            }
            if (rc != BO_DRIVER_ROW)
                break;
            snprintf(day, sizeof day, "%s", d);
            const char *type = bo__stmt_col_text(s, 1);
            int64_t m = bo__stmt_col_int(s, 2);
            if (m < 0 || m > 24 * 60)
                continue; /* a day holds at most 24 hours (time.c) */
            if (strcmp(type, "attendance") == 0)
                att += m;
            else if (strcmp(type, "overtime") == 0)
                ot += m;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    *out = ot;
    return rc;
}

static int time_inputs(bo_book *b, const bo__pay_pack *p, int64_t emp_id,
                       const char *from, const char *to, bo__pay_input *in)
{
    int64_t reg = 0, ot = 0, hol = 0, att = 0, days = 0, leave = 0;
    int64_t day_ot = 0, week_ot = 0, week = -1, day_hol = 0, w2 = 0;
    const char *what = NULL; /* the sum that overflowed */
    char day[11] = "", worked[11] = "", monday[11] = "";
    int capped = 0;
    int rc;
    bo_date d0;
    if (p->ot_week_max && !bo_date_parse(from, &d0)) {
        /* a week begun in the previous period: its days count too */
        int wd = (int)(((int64_t)d0 + 3 + 7 * 400000) % 7); /* 0 = Monday */
        char last[11];
        if (wd > 0 && !bo__pay_date_text((bo_date)(d0 - wd), monday) &&
            !bo__pay_date_text((bo_date)(d0 - 1), last)) {
            if ((rc = week_before(b, p, emp_id, monday, last, &week_ot)))
                return rc;
            week = week_of(from);
        }
    }
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_TIME_IN, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "itt", emp_id, from, to))) {
        for (;;) {
            rc = bo__stmt_step(s);
            const char *d = rc == BO_DRIVER_ROW ? bo__stmt_col_text(s, 0) : "";
            if (day[0] && strcmp(d, day) != 0) {
                if (att) {
                    /* close the day's attendance: regular up to the pack's day */
                    int64_t r = p->regular_minutes && att > p->regular_minutes
                              ? p->regular_minutes : att;
                    if (bo__fx_add(reg, r, &reg))
                        what = "hours.regular";
                    else if (bo__fx_add(ot, att - r, &ot)) /* 0 <= att - r <= att */
                        what = "hours.overtime";
                    day_ot += att - r;
                    att = 0;
                }
                /* the weighting and the caps: day_ot, day_hol, week_ot stay
                 * below the checked sums; w2 at most 8 x them */
                if (p->week_days)
                    w2 += ot_weight2(day_ot) + rest_weight2(day_hol, p->week_days);
                day_hol = 0;
                if (!what && (capped = ot_cap(p, emp_id, 0, day, day_ot)) == 0) {
                    int64_t wk = week_of(day);
                    if (wk != week) {
                        week = wk;
                        week_ot = 0;
                        snprintf(monday, sizeof monday, "%s", day);
                    }
                    week_ot += day_ot;
                    capped = ot_cap(p, emp_id, 1, monday, week_ot);
                }
                day_ot = 0;
            }
            if (rc != BO_DRIVER_ROW || what || capped)
                break;
            snprintf(day, sizeof day, "%s", d);
            const char *type = bo__stmt_col_text(s, 1);
            int64_t m = bo__stmt_col_int(s, 2);
            int work = 1;
            if (strcmp(type, "attendance") == 0)
                what = bo__fx_add(att, m, &att) ? "hours.regular" : NULL;
            else if (strcmp(type, "regular") == 0)
                what = bo__fx_add(reg, m, &reg) ? "hours.regular" : NULL;
            else if (strcmp(type, "overtime") == 0) {
                what = bo__fx_add(ot, m, &ot) ? "hours.overtime" : NULL;
                day_ot += what ? 0 : m;
            }
            else if (strcmp(type, "holiday") == 0) {
                what = bo__fx_add(hol, m, &hol) ? "hours.holiday" : NULL;
                day_hol += what ? 0 : m;
            }
            else {
                work = 0;
                if (strcmp(type, "leave-unpaid") == 0)
                    leave++;
            }
            if (work && strcmp(worked, d) != 0) {
                days++;
                snprintf(worked, sizeof worked, "%s", d);
            }
        }
        rc = rc < 0 ? rc : capped;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (!what && hours(reg, &in->in[BO__IN_HOURS_REGULAR]))
        what = "hours.regular";
    if (!what && hours(ot, &in->in[BO__IN_HOURS_OVERTIME]))
        what = "hours.overtime";
    if (!what && hours(hol, &in->in[BO__IN_HOURS_HOLIDAY]))
        what = "hours.holiday";
    if (!what && bo__fx_muldiv(w2, BO__PAY_SCALE, 120, BO_ROUND_HALF_UP,
                               &in->in[BO__IN_HOURS_OT_WEIGHTED]))
        what = "hours.overtime_weighted";
    if (!what && bo__fx_scale(days, BO__PAY_PLACES, &in->in[BO__IN_DAYS_WORKED]))
        what = "days_worked";
    if (!what && bo__fx_scale(leave, BO__PAY_PLACES, &in->in[BO__IN_LEAVE_DAYS]))
        what = "leave_days";
    return what ? too_large(emp_id, what) : 0;
}

/* Exact sums (util/fixed.h): SQL's own SUM would fail on overflow with
 * no name attached. */
static const char SQL_YTD[] =
    "SELECT l.component, SUM(" BO__SQL_HI("l.amount") "), SUM(" BO__SQL_LO("l.amount") ")"
    " FROM pay_lines l"
    " JOIN pay_slips s ON s.id = l.slip_id JOIN pay_runs r ON r.id = s.run_id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.pay_date >= ?"
    " AND r.pay_date <= ? AND r.id <> ? AND l.kind <> 'basis'"
    " GROUP BY l.component";

/* Year to date before pay date `upto` (same calendar year); with month,
 * month to date (the same calendar month). */
static int sums_before(bo_book *b, const bo__pay_pack *p, int64_t emp_id,
                       const char *upto, int64_t run_id, int month, int64_t *ytd)
{
    char jan1[11];
    if (month)
        snprintf(jan1, sizeof jan1, "%.7s-01", upto);
    else
        snprintf(jan1, sizeof jan1, "%.4s-01-01", upto);
    for (int i = 0; i < p->ncomps; i++)
        ytd[i] = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_YTD, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "itti", emp_id, jan1, upto, run_id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int c = bo__pay_comp_index(p, bo__stmt_col_text(s, 0));
            if (c >= 0 && bo__fx_narrow(bo__fx_join(bo__stmt_col_int(s, 1),
                                                    bo__stmt_col_int(s, 2)), &ytd[c])) {
                char what[100];
                snprintf(what, sizeof what, "component '%s': year to date",
                         p->comps[c].name);
                rc = too_large(emp_id, what);
                break;
            }
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

static int ytd_before(bo_book *b, const bo__pay_pack *p, int64_t emp_id,
                      const char *upto, int64_t run_id, int64_t *ytd)
{
    return sums_before(b, p, emp_id, upto, run_id, 0, ytd);
}

static const char SQL_MONTH_RUNS[] =
    "SELECT 1 FROM pay_runs WHERE state IN (4, 5) AND id <> ? AND pay_date >= ?"
    " AND pay_date <= ? LIMIT 1";

/* Month to date, when the pack reads it (mtd.COMPONENT). Most months have
 * one run: then it is 0 without reading the employee's lines. */
static int mtd_before(bo_book *b, const bo__pay_pack *p, int64_t emp_id,
                      const char *upto, int64_t run_id, int64_t *mtd)
{
    if (!p->uses_mtd)
        return 0;
    char first[11];
    int found = 0;
    snprintf(first, sizeof first, "%.7s-01", upto);
    int rc = bo__store_row(b->store, SQL_MONTH_RUNS, &found, "itt", run_id, first, upto);
    if (rc || found)
        return rc ? rc : sums_before(b, p, emp_id, upto, run_id, 1, mtd);
    for (int i = 0; i < p->ncomps; i++)
        mtd[i] = 0;
    return 0;
}

static const char SQL_SLIP_ADD[] =
    "INSERT INTO pay_slips (run_id, employee_id, terms_amount, gross, deductions,"
    " employer, net) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_LINE_ADD[] =
    "INSERT INTO pay_lines (slip_id, line, component, kind, account,"
    " expense_account, amount, backpay_for) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_SLIP_TOTALS[] =
    "UPDATE pay_slips SET gross = ?, deductions = ?, employer = ?, net = ? WHERE id = ?";

typedef struct slip {
    int64_t id, emp;
    int line;
    int64_t gross, deductions, employer;
} slip;

static int add_line(bo_book *b, slip *sl, const bo__pay_comp *c, const char *kind,
                    int64_t amount, const char *backpay_for)
{
    sl->line++;
    int rc = bo__store_run(b->store, SQL_LINE_ADD, "iittttit", sl->id, sl->line,
                           c ? c->name : "terms", kind, c && c->account ? c->account : "",
                           c ? c->expense_account : NULL, amount, backpay_for);
    if (rc || !c || c->kind == BO__PAY_FIGURE)
        return rc;
    int64_t *acc = c->kind == BO__PAY_EARNING ? &sl->gross
                 : c->kind == BO__PAY_DEDUCTION ? &sl->deductions : &sl->employer;
    if (bo__fx_add(*acc, amount, acc)) {
        char what[120];
        snprintf(what, sizeof what, "component '%s': the slip's %s total", c->name,
                 c->kind == BO__PAY_EARNING ? "gross" : c->kind == BO__PAY_DEDUCTION
                 ? "deductions" : "employer");
        return too_large(sl->emp, what);
    }
    return 0;
}

/* The lines of one evaluation (old: the back pay against it). Figures are
 * not corrected by back pay; one shown only in the last period is written
 * only then (last). */
static int add_lines(bo_book *b, const bo__pay_pack *p, slip *sl, const int64_t *vals,
                     const int64_t *old, const char *backpay_for, int last)
{
    for (int i = 0; i < p->ncomps; i++) {
        const bo__pay_comp *c = &p->comps[i];
        if (c->kind == BO__PAY_CALC ||
            (c->kind == BO__PAY_FIGURE && (old || (c->last_only == 1 && !last) ||
                                           (c->last_only == 2 && vals[i] == 0))))
            continue;
        int64_t v = vals[i];
        if (old && bo__fx_sub(vals[i], old[i], &v)) {
            char what[100];
            snprintf(what, sizeof what, "component '%s': back pay", c->name);
            return too_large(sl->emp, what);
        }
        if (old && v == 0)
            continue;
        int rc = add_line(b, sl, c, bo__pay_kind_name(c->kind), v, backpay_for);
        if (rc)
            return rc;
    }
    return 0;
}

static const char SQL_PRIOR[] =
    "SELECT r.id, r.period_start, r.period_end, r.pay_date, s.terms_amount,"
    " (SELECT l.amount FROM pay_lines l JOIN pay_slips s2 ON s2.id = l.slip_id"
    "  JOIN pay_runs r2 ON r2.id = s2.run_id WHERE s2.employee_id = s.employee_id"
    "  AND r2.state IN (4, 5) AND l.kind = 'basis' AND l.backpay_for = r.period_start"
    "  ORDER BY r2.id DESC, l.line DESC LIMIT 1)"
    " FROM pay_slips s JOIN pay_runs r ON r.id = s.run_id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.schedule = ?"
    " AND r.period_end < ? ORDER BY r.period_start";

typedef struct prior {
    int64_t run_id, basis;
    char start[11], end[11], pay[11];
} prior;

static int load_prior(bo_book *b, const bo__pay_run *r, int64_t emp_id,
                      prior **out, int *n)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_PRIOR, &s);
    if (rc)
        return rc;
    prior *v = NULL;
    int cnt = 0, cap = 0;
    if (!(rc = bo__stmt_bind(s, "iit", emp_id, r->schedule, r->start))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 8;
                prior *nv = bo__realloc(v, (size_t)cap * sizeof *nv);
                if (!nv) {
                    rc = BO_ENOMEM;
                    break;
                }
                v = nv;
            }
            prior *pr = &v[cnt++];
            pr->run_id = bo__stmt_col_int(s, 0);
            snprintf(pr->start, 11, "%s", bo__stmt_col_text(s, 1));
            snprintf(pr->end, 11, "%s", bo__stmt_col_text(s, 2));
            snprintf(pr->pay, 11, "%s", bo__stmt_col_text(s, 3));
            pr->basis = bo__stmt_is_null(s, 5) ? bo__stmt_col_int(s, 4)
                                               : bo__stmt_col_int(s, 5);
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    if (rc) {
        bo__free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}

typedef struct calc {
    const bo__pay_run *r;
    const bo__pay_pack *p;
    int64_t *vals, *old, *ytd, *items, *mtd;
} calc;

/* ---- the period and the year -------------------------------------------- */

static int scaled(const emp *e, int k, int64_t v, bo__pay_input *in)
{
    return bo__fx_scale(v, BO__PAY_PLACES, &in->in[k]) ? too_large(e->id,
                                                         bo__pay_input_names[k]) : 0;
}

/* period.month, .year, .last, .pay_date and months_worked of employee e
 * in run r: the months of the period end's year from the later of 1
 * January and the start date to the earlier of the period end and the end
 * date, each month begun counting whole. */
static int period_inputs(const bo__pay_run *r, const emp *e, bo__pay_input *in)
{
    int year = atoi(r->end), month = atoi(r->end + 5);
    int last = month == 12 || (e->end[0] && strcmp(e->end, r->end) <= 0);
    char jan1[11];
    snprintf(jan1, sizeof jan1, "%.4s-01-01", r->end);
    const char *from = strcmp(e->start, jan1) > 0 ? e->start : jan1;
    const char *to = e->end[0] && strcmp(e->end, r->end) < 0 ? e->end : r->end;
    int months = strcmp(to, from) < 0 ? 0 : atoi(to + 5) - atoi(from + 5) + 1;
    int64_t pay = (int64_t)atoi(r->pay_date) * 10000 + atoi(r->pay_date + 5) * 100 +
                  atoi(r->pay_date + 8);
    int rc;
    if ((rc = scaled(e, BO__IN_PERIOD_MONTH, month, in)) ||
        (rc = scaled(e, BO__IN_PERIOD_YEAR, year, in)) ||
        (rc = scaled(e, BO__IN_PERIOD_LAST, last, in)) ||
        (rc = scaled(e, BO__IN_PAY_DATE, pay, in)))
        return rc;
    return scaled(e, BO__IN_MONTHS_WORKED, months, in);
}

static const char SQL_PREVIOUS[] =
    "SELECT bruto, neto, tax FROM pay_previous WHERE employee_id = ? AND year = ?"
    " ORDER BY id";

/* previous.bruto, .neto, .tax: the previous employers' slips of the year. */
static int previous_inputs(bo_book *b, const bo__pay_run *r, const emp *e,
                           bo__pay_input *in)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_PREVIOUS, &s);
    if (rc)
        return rc;
    int64_t sum[3] = { 0, 0, 0 };
    const char *what = NULL;
    if (!(rc = bo__stmt_bind(s, "ii", e->id, (int64_t)atoi(r->end)))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && !what)
            for (int k = 0; k < 3 && !what; k++)
                if (bo__fx_add(sum[k], bo__stmt_col_int(s, k), &sum[k]))
                    what = bo__pay_input_names[BO__IN_PREV_BRUTO + k];
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (what)
        return too_large(e->id, what);
    for (int k = 0; k < 3; k++)
        if (bo__fx_scale(sum[k], BO__PAY_PLACES, &in->in[BO__IN_PREV_BRUTO + k]))
            return too_large(e->id, bo__pay_input_names[BO__IN_PREV_BRUTO + k]);
    return 0;
}

static const char SQL_ITEMS[] =
    "SELECT name, amount FROM pay_inputs WHERE employee_id = ? AND date_from <= ?"
    " AND date_to >= ? ORDER BY id";

/* input.NAME: the sum of the pay inputs whose dates overlap the period. */
static int item_inputs(bo_book *b, calc *c, const emp *e, bo__pay_input *in)
{
    const bo__pay_pack *p = c->p;
    int64_t raw[64] = { 0 };
    in->items = c->items;
    if (!p->ninames)
        return 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_ITEMS, &s);
    if (rc)
        return rc;
    int bad = -1;
    if (!(rc = bo__stmt_bind(s, "itt", e->id, c->r->end, c->r->start))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && bad < 0) {
            const char *name = bo__stmt_col_text(s, 0);
            for (int k = 0; k < p->ninames; k++)
                if (strcmp(p->inames[k], name) == 0 &&
                    bo__fx_add(raw[k], bo__stmt_col_int(s, 1), &raw[k]))
                    bad = k;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    for (int k = 0; k < p->ninames && !rc; k++)
        if (bad == k || bo__fx_scale(raw[k], BO__PAY_PLACES, &c->items[k])) {
            char what[90];
            snprintf(what, sizeof what, "input.%s", p->inames[k]);
            rc = too_large(e->id, what);
        }
    return rc;
}

static const char SQL_SETTLED[] =
    "SELECT r.id FROM pay_slips s JOIN pay_runs r ON r.id = s.run_id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.id <> ?"
    " AND r.period_end >= ? AND r.period_end <= ? LIMIT 1";

/* A pack that settles the year in the last period settles it once: a
 * posted (not reversed) run of the same year reaching this run's period
 * already did. */
static int settled_check(bo_book *b, const calc *c, const emp *e)
{
    char dec31[11];
    snprintf(dec31, sizeof dec31, "%.4s-12-31", c->r->end);
    int found;
    int64_t run;
    int rc = bo__store_row(b->store, SQL_SETTLED, &found, "iitt>i", e->id, c->r->id,
                           c->r->start, dec31, &run);
    if (rc || !found)
        return rc;
    return bo__error_set(BO_ESTATE, "employee #%" PRId64 ": the last period of %.4s "
                         "was already settled by run %" PRId64 " (posted); reverse "
                         "that run to settle it again", e->id, c->r->end, run);
}

/* The terms amount (minor units) as base_salary or hourly_rate (x SCALE). */
static int set_terms(const emp *e, bo__pay_input *in, int hourly, int64_t amount)
{
    int k = hourly ? BO__IN_HOURLY_RATE : BO__IN_BASE_SALARY;
    in->in[BO__IN_BASE_SALARY] = in->in[BO__IN_HOURLY_RATE] = 0;
    if (bo__fx_scale(amount, BO__PAY_PLACES, &in->in[k]))
        return too_large(e->id, bo__pay_input_names[k]);
    return 0;
}

static int eval_for(calc *c, const emp *e, bo__pay_input *in, int64_t *vals)
{
    int64_t gross;
    int rc = bo__pay_eval(c->p, in, vals, &gross);
    if (rc)
        bo__error_prefix("employee #%" PRId64 ": ", e->id);
    return rc;
}

static int backpay(bo_book *b, calc *c, const emp *e, slip *sl, bo__pay_input *in)
{
    prior *pv = NULL;
    int n = 0, rc = load_prior(b, c->r, e->id, &pv, &n);
    for (int k = 0; k < n && !rc; k++) {
        int found, hourly, sched;
        int64_t amount;
        if ((rc = terms_at(b, e->id, pv[k].end, &found, &hourly, &amount, &sched)))
            break;
        if (!found || amount == pv[k].basis)
            continue;
        bo__pay_input pin = *in;
        pin.ytd = c->ytd;
        pin.mtd = c->mtd;
        if ((rc = time_inputs(b, c->p, e->id, pv[k].start, pv[k].end, &pin)) ||
            (rc = ytd_before(b, c->p, e->id, pv[k].pay, pv[k].run_id, c->ytd)) ||
            (rc = mtd_before(b, c->p, e->id, pv[k].pay, pv[k].run_id, c->mtd)))
            break;
        if ((rc = set_terms(e, &pin, hourly, pv[k].basis)) ||
            (rc = eval_for(c, e, &pin, c->old)) ||
            (rc = set_terms(e, &pin, hourly, amount)) ||
            (rc = eval_for(c, e, &pin, c->vals)) ||
            (rc = add_lines(b, c->p, sl, c->vals, c->old, pv[k].start, 0)))
            break;
        rc = add_line(b, sl, NULL, "basis", amount, pv[k].start);
    }
    bo__free(pv);
    return rc;
}

/* One employee's slip before it is written: the terms and inputs it is
 * computed from and its figures (in c->vals). */
typedef struct slip_plan {
    int paid;          /* 0: not on the run's schedule (no slip) */
    int64_t amount;    /* the terms amount */
    bo__pay_input in;
} slip_plan;

/* The terms in force at the period's end, the inputs and the evaluation of
 * the pack into c->vals. Writes nothing. */
static int slip_eval(bo_book *b, calc *c, const emp *e, slip_plan *sp)
{
    int found, hourly, sched, rc;
    memset(sp, 0, sizeof *sp);
    if ((rc = terms_at(b, e->id, c->r->end, &found, &hourly, &sp->amount, &sched)))
        return rc;
    if (!found || sched != c->r->schedule)
        return 0;
    bo__pay_input *in = &sp->in;
    for (int k = 0; k < BO__ATTR_COUNT; k++)
        in->attr[k] = e->attr[k];
    in->ytd = c->ytd;
    in->mtd = c->mtd;
    if ((rc = period_inputs(c->r, e, in)) ||
        (c->p->uses_last && in->in[BO__IN_PERIOD_LAST] &&
         (rc = settled_check(b, c, e))) ||
        (rc = previous_inputs(b, c->r, e, in)) || (rc = item_inputs(b, c, e, in)) ||
        (rc = set_terms(e, in, hourly, sp->amount)) ||
        (rc = time_inputs(b, c->p, e->id, c->r->start, c->r->end, in)) ||
        (rc = ytd_before(b, c->p, e->id, c->r->pay_date, c->r->id, c->ytd)) ||
        (rc = mtd_before(b, c->p, e->id, c->r->pay_date, c->r->id, c->mtd)) ||
        (rc = eval_for(c, e, in, c->vals)))
        return rc;
    sp->paid = 1;
    return 0;
}

/* Write the evaluated slip, its lines, its back pay and its totals. */
static int slip_write(bo_book *b, calc *c, const emp *e, slip_plan *sp)
{
    slip sl = { 0, e->id, 0, 0, 0, 0 };
    bo__stmt *s;
    int rc;
    if ((rc = bo__stmt_get(b->store, SQL_SLIP_ADD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iiiiiii", c->r->id, e->id, sp->amount, 0, 0, 0, 0))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            sl.id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "slip: insert returned no id");
        }
    }
    bo__stmt_done(s);
    if (rc || (rc = add_lines(b, c->p, &sl, c->vals, NULL, NULL,
                                 sp->in.in[BO__IN_PERIOD_LAST] != 0)) ||
        (rc = backpay(b, c, e, &sl, &sp->in)))
        return rc;
    int64_t net;
    if (bo__fx_sub(sl.gross, sl.deductions, &net))
        return too_large(e->id, "net pay");
    if ((rc = bo__stmt_get(b->store, SQL_SLIP_TOTALS, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iiiii", sl.gross, sl.deductions, sl.employer, net, sl.id)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    return rc;
}

static int slip_for(bo_book *b, calc *c, const emp *e, int *paid)
{
    slip_plan sp;
    int rc = slip_eval(b, c, e, &sp);
    *paid = 0;
    if (rc || !sp.paid)
        return rc;
    if (!(rc = slip_write(b, c, e, &sp)))
        *paid = 1;
    return rc;
}

static const char SQL_DEL_LINES[] =
    "DELETE FROM pay_lines WHERE slip_id IN (SELECT id FROM pay_slips WHERE run_id = ?)";
static const char SQL_DEL_SLIPS[] = "DELETE FROM pay_slips WHERE run_id = ?";

static int exec_id(bo_book *b, const char *sql, int64_t id)
{
    int rc = bo__store_run(b->store, sql, "i", id);
    return rc;
}

struct calc_ctx {
    int64_t id;
};

/* What calculating a run works from, read and checked before anything is
 * written. */
typedef struct calc_plan {
    bo__pay_run r;
    const bo__pay_pack *p;
    emp *e;
    int n;
} calc_plan;

/* The run may be calculated on its pay date; its pack and employees. Writes
 * nothing. */
static int calc_check(bo_book *b, int64_t id, calc_plan *pl)
{
    int rc = bo__pay_run_load(b, id, &pl->r);
    if (rc)
        return rc;
    if (pl->r.state != BO_PAYROLL_DRAFT && pl->r.state != BO_PAYROLL_CALCULATED)
        return bo__error_set(BO_ESTATE, "run %" PRId64 ": is %s; only a draft or "
                             "calculated run can be calculated", pl->r.id,
                             bo__pay_state_name(pl->r.state));
    bo_date pay;
    if ((rc = bo_date_parse(pl->r.pay_date, &pay)) ||
        (rc = bo__pay_period_check(b, pay, "pay_date")) ||
        (rc = bo__pay_pack_get(b, pl->r.pack, &pl->p)))
        return rc;
    return load_emps(b, &pl->r, &pl->e, &pl->n);
}

/* Replace the run's slips with one per employee on its schedule (each
 * evaluated as it is written), mark it calculated, audit. */
static int calc_write(bo_book *b, calc_plan *pl)
{
    const bo__pay_pack *p = pl->p;
    calc c = { &pl->r, p, bo__calloc((size_t)p->ncomps * 4 + (size_t)p->ninames + 1,
                                     sizeof(int64_t)), NULL, NULL, NULL, NULL };
    if (!c.vals)
        return BO_ENOMEM;
    c.old = c.vals + p->ncomps;
    c.ytd = c.old + p->ncomps;
    c.mtd = c.ytd + p->ncomps;
    c.items = c.mtd + p->ncomps;
    int paid = 0, one, rc;
    if (!(rc = exec_id(b, SQL_DEL_LINES, pl->r.id)) &&
        !(rc = exec_id(b, SQL_DEL_SLIPS, pl->r.id)))
        for (int i = 0; i < pl->n && !rc; i++) {
            rc = slip_for(b, &c, &pl->e[i], &one);
            paid += one;
        }
    bo__free(c.vals);
    if (rc)
        return rc;
    char detail[40];
    snprintf(detail, sizeof detail, "%d slips", paid);
    char object[40];
    snprintf(object, sizeof object, "payrun:%" PRId64, pl->r.id);
    if ((rc = bo__pay_run_set_state(b, &pl->r, BO_PAYROLL_CALCULATED, "payroll.run.calculate")))
        return rc;
    return bo__audit_append(b, "payroll.run.slips", object, detail);
}

static int calc_tx(bo_book *b, void *v)
{
    struct calc_ctx *cc = v;
    calc_plan pl;
    memset(&pl, 0, sizeof pl);
    int rc = calc_check(b, cc->id, &pl);
    if (!rc)
        rc = calc_write(b, &pl);
    emps_free(pl.e, pl.n);
    return rc;
}

int bo_payroll_run_calculate(bo_book *book, int64_t run_id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_RUN);
    if (rc)
        return rc;
    struct calc_ctx c = { run_id };
    return bo__write(book, calc_tx, &c);
}
