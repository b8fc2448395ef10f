/* Punches and attendance: each punch goes to one shift (the previous day's
 * overnight shift included), one result per shift once its check-out
 * window has closed, overtime only outside the scheduled window, and the
 * results fed to payroll's hours. */
#include "people/people.h"
#include "backoffice/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- punches ------------------------------------------------------------------ */

static const char SQL_PUNCH_ADD[] =
    "INSERT INTO people_punches (employee_id, at, kind, idem_key, digest)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_PUNCH_ADD_PLAIN[] =
    "INSERT INTO people_punches (employee_id, at, kind, idem_key, digest)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_PUNCH_BY_KEY[] = "SELECT id, digest FROM people_punches WHERE idem_key = ?";

struct punch_ctx {
    int64_t emp, at, kind, id;
    const char *key;
    char digest[65];
};

static int punch_tx(bo_book *b, void *p)
{
    struct punch_ctx *c = p;
    int state, rc = bo__idem_claim(b, SQL_PUNCH_BY_KEY, "punch", c->key, c->digest, &c->id,
                                   &state);
    if (rc || state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__store_insert(b->store, SQL_PUNCH_ADD, SQL_PUNCH_ADD_PLAIN, &c->id, "iiitt",
                               c->emp, c->at, c->kind, c->key, c->digest)))
        return rc;
    char object[40];
    snprintf(object, sizeof object, "punch:%" PRId64, c->id);
    return bo__audit_append(b, "people.punch.add", object, "");
}

int bo_people_punch(bo_book *book, const char *number, const char *at, int kind,
                    const char *key, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct punch_ctx c;
    memset(&c, 0, sizeof c);
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_WRITE)) ||
        (rc = bo__idem_require("a punch", key)) || (rc = bo__ppl_instant("at", at, &c.at)))
        return rc;
    if (kind < BO_PEOPLE_PUNCH_ANY || kind > BO_PEOPLE_PUNCH_OUT)
        return bo__error_set(BO_EINVAL, "kind: %d is not a punch kind", kind);
    if ((rc = bo__pay_employee_id(book, number, &c.emp)))
        return rc;
    c.kind = kind;
    c.key = key;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.punch");
    bo__buf_field(&d, number);
    bo__buf_field_int(&d, c.at);
    bo__buf_field_int(&d, c.kind);
    if ((rc = bo__buf_digest(&d, c.digest)))
        return rc;
    if ((rc = bo__write(book, punch_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

/* ---- attendance ---------------------------------------------------------------- */

typedef struct ashift {
    int64_t id, emp, start, end;
    bo_date date;
    char location[BO_PEOPLE_TEXT_MAX + 1];
    bo__ppl_type t;
    /* its punches: indexes into the punch array, in time order */
    int first, npunch;
} ashift;

typedef struct apunch {
    int64_t emp, at;
    int kind;
    int64_t shift; /* index of its shift, -1: none */
} apunch;

typedef struct aresult {
    const char *status;
    int has_in, has_out;
    int64_t in, out, worked, regular, late, early, ot_before, ot_after;
} aresult;

static const char SQL_A_SHIFTS[] =
    "SELECT s.id, s.employee_id, s.date, s.location, s.start_at, s.end_at, t.code,"
    " t.start_min, t.end_min, t.break_minutes, t.grace_late, t.grace_early,"
    " t.checkin_before, t.checkout_after, t.half_day_minutes, t.absent_minutes,"
    " t.punch_mode FROM people_shifts s JOIN people_shift_types t ON t.code = s.shift"
    " WHERE s.date >= ? AND s.date <= ? ORDER BY s.employee_id, s.start_at, s.id";
static const char SQL_A_PUNCHES[] =
    "SELECT employee_id, at, kind FROM people_punches WHERE at >= ? AND at < ?"
    " ORDER BY employee_id, at, id";

typedef struct att_ctx {
    bo_date from, to;
    int64_t now;
    ashift *s;
    size_t ns, caps;
    apunch *p;
    size_t np, capp;
    int64_t count;
} att_ctx;


static int load(bo_book *b, att_ctx *c)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_A_SHIFTS, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "dd", (bo_date)(c->from - 1), (bo_date)(c->to + 1)))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if ((rc = bo__grow((void **)&c->s, &c->caps, c->ns, sizeof *c->s)))
                break;
            ashift *a = &c->s[c->ns++];
            memset(a, 0, sizeof *a);
            a->id = bo__stmt_col_int(s, 0);
            a->emp = bo__stmt_col_int(s, 1);
            const char *day = bo__stmt_col_text(s, 2);
            if (!day || bo_date_parse(day, &a->date)) {
                rc = bo__error_set(BO_ECORRUPT, "people_shifts: shift %" PRId64 " has no date",
                                   a->id);
                break;
            }
            snprintf(a->location, sizeof a->location, "%s", bo__stmt_col_text(s, 3));
            a->start = bo__stmt_col_int(s, 4);
            a->end = bo__stmt_col_int(s, 5);
            snprintf(a->t.code, sizeof a->t.code, "%s", bo__stmt_col_text(s, 6));
            int *f[] = { &a->t.start, &a->t.end, &a->t.brk, &a->t.grace_late,
                         &a->t.grace_early, &a->t.before, &a->t.after, &a->t.half,
                         &a->t.absent, &a->t.mode };
            for (int k = 0; k < 10; k++)
                *f[k] = (int)bo__stmt_col_int(s, 7 + k);
            a->first = -1;
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_get(b->store, SQL_A_PUNCHES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", BO__PPL_AT(c->from - 1, -720),
                             BO__PPL_AT(c->to + 2, 720)))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if ((rc = bo__grow((void **)&c->p, &c->capp, c->np, sizeof *c->p)))
                break;
            apunch *q = &c->p[c->np++];
            q->emp = bo__stmt_col_int(s, 0);
            q->at = bo__stmt_col_int(s, 1);
            q->kind = (int)bo__stmt_col_int(s, 2);
            q->shift = -1;
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* Give each punch to its shift: among the shifts of its employee whose
 * window holds it, the earlier of two wins for an OUT punch or one nearer
 * its end than the later one's start; the later wins for an IN punch. */
static void match(att_ctx *c)
{
    size_t lo = 0;
    for (size_t i = 0; i < c->np; i++) {
        apunch *q = &c->p[i];
        while (lo < c->ns && c->s[lo].emp < q->emp)
            lo++;
        int64_t best = -1;
        for (size_t k = lo; k < c->ns && c->s[k].emp == q->emp; k++) {
            ashift *a = &c->s[k];
            if (a->end <= a->start || q->at < a->start - a->t.before ||
                q->at > a->end + a->t.after)
                continue;
            if (best < 0) {
                best = (int64_t)k;
                continue;
            }
            ashift *e = &c->s[best]; /* earlier (shifts are in start order) */
            int later;
            if (q->kind == BO_PEOPLE_PUNCH_OUT)
                later = 0;
            else if (q->kind == BO_PEOPLE_PUNCH_IN)
                later = 1;
            else {
                int64_t de = q->at > e->end ? q->at - e->end : e->end - q->at;
                int64_t dl = q->at > a->start ? q->at - a->start : a->start - q->at;
                later = dl < de;
            }
            if (later)
                best = (int64_t)k;
        }
        q->shift = best;
    }
    /* Punches are in (employee, time) order: each shift's form a run. */
    for (size_t i = 0; i < c->np; i++) {
        if (c->p[i].shift < 0)
            continue;
        ashift *a = &c->s[c->p[i].shift];
        if (a->first < 0)
            a->first = (int)i;
        a->npunch++;
    }
}

/* The punches of shift a, in time order, into idx (at most n). */
static int punches_of(const att_ctx *c, const ashift *a, int *idx, int n)
{
    int k = 0;
    if (a->first < 0)
        return 0;
    for (size_t i = (size_t)a->first; i < c->np && k < n && k < a->npunch; i++)
        if (c->p[i].shift >= 0 && &c->s[c->p[i].shift] == a)
            idx[k++] = (int)i;
    return k;
}

static int64_t pos(int64_t x)
{
    return x > 0 ? x : 0;
}

static void compute(const att_ctx *c, const ashift *a, int on_leave, int holiday, aresult *r)
{
    memset(r, 0, sizeof *r);
    const bo__ppl_type *t = &a->t;
    if (a->end <= a->start) {
        r->status = "weekly_off";
        return;
    }
    if (on_leave) {
        r->status = "leave";
        return;
    }
    int idx[64];
    int n = punches_of(c, a, idx, 64);
    if (n == 0) {
        r->status = holiday ? "holiday" : "absent";
        return;
    }
    const apunch *p = c->p;
    if (t->mode == BO_PEOPLE_PUNCH_ALTERNATING) {
        r->has_in = 1;
        r->in = p[idx[0]].at;
        for (int k = 0; k + 1 < n; k += 2) {
            r->worked += p[idx[k + 1]].at - p[idx[k]].at;
            r->has_out = 1;
            r->out = p[idx[k + 1]].at;
        }
    } else {
        int fi = -1, lo = -1;
        for (int k = 0; k < n; k++)
            if (fi < 0 && (t->mode == BO_PEOPLE_PUNCH_FIRST_LAST ||
                           p[idx[k]].kind != BO_PEOPLE_PUNCH_OUT))
                fi = k;
        for (int k = n - 1; k > fi && fi >= 0; k--)
            if (lo < 0 && (t->mode == BO_PEOPLE_PUNCH_FIRST_LAST ||
                           p[idx[k]].kind != BO_PEOPLE_PUNCH_IN))
                lo = k;
        if (fi >= 0) {
            r->has_in = 1;
            r->in = p[idx[fi]].at;
        }
        if (lo >= 0) {
            r->has_out = 1;
            r->out = p[idx[lo]].at;
            r->worked = pos(r->out - r->in - t->brk);
        }
    }
    if (r->has_in) {
        r->late = pos(r->in - a->start);
        r->ot_before = pos(a->start - r->in);
    }
    if (r->has_out) {
        r->early = pos(a->end - r->out);
        r->ot_after = pos(r->out - a->end);
    }
    r->regular = pos(r->worked - r->ot_before - r->ot_after);
    if (holiday)
        r->status = "holiday";
    else if (!r->has_in || (t->absent > 0 && r->worked < t->absent) ||
             (!r->has_out && t->absent > 0))
        r->status = "absent";
    else if (t->half > 0 && r->worked < t->half)
        r->status = "half_day";
    else if (r->late > t->grace_late)
        r->status = "late";
    else if (r->has_out && r->early > t->grace_early)
        r->status = "early_exit";
    else
        r->status = "present";
}

static const char SQL_A_OLD[] =
    "SELECT status, check_in, check_out, worked, regular, late, early, ot_before, ot_after,"
    " posted FROM people_attendance WHERE shift_id = ?";
static const char SQL_A_PUT[] =
    "INSERT INTO people_attendance (shift_id, status, check_in, check_out, worked, regular,"
    " late, early, ot_before, ot_after, posted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
    " ON CONFLICT (shift_id) DO UPDATE SET status = excluded.status,"
    " check_in = excluded.check_in, check_out = excluded.check_out,"
    " worked = excluded.worked, regular = excluded.regular, late = excluded.late,"
    " early = excluded.early, ot_before = excluded.ot_before, ot_after = excluded.ot_after";

static int write_result(bo_book *b, att_ctx *c, const ashift *a, const aresult *r)
{
    int found = 0, has_in = 0, has_out = 0;
    char status[16] = "";
    int64_t in = 0, out = 0, v[6] = { 0 }, posted = 0;
    int rc = bo__store_row(b->store, SQL_A_OLD, &found, "i>t?i?iiiiiiii", a->id, status,
                           sizeof status, &has_in, &in, &has_out, &out, &v[0], &v[1], &v[2],
                           &v[3], &v[4], &v[5], &posted);
    if (rc)
        return rc;
    if (found && (posted ||
                  (strcmp(status, r->status) == 0 && has_in == r->has_in &&
                   has_out == r->has_out && (!has_in || in == r->in) &&
                   (!has_out || out == r->out) && v[0] == r->worked && v[1] == r->regular &&
                   v[2] == r->late && v[3] == r->early && v[4] == r->ot_before &&
                   v[5] == r->ot_after)))
        return 0; /* posted results stay; an unchanged one is not rewritten */
    if ((rc = bo__store_run(b->store, SQL_A_PUT, "it?i?iiiiiii", a->id, r->status, r->has_in,
                            r->in, r->has_out, r->out, r->worked, r->regular, r->late,
                            r->early, r->ot_before, r->ot_after)) ||
        (rc = bo__audit_touch(b, "shift", a->id)))
        return rc;
    c->count++;
    if (strcmp(r->status, "absent") == 0 && strcmp(status, "absent") != 0)
        rc = bo__event_queue(b, "attendance.absent", a->id);
    return rc;
}

static int att_tx(bo_book *b, void *p)
{
    att_ctx *c = p;
    int rc = load(b, c);
    if (rc)
        return rc;
    match(c);
    for (size_t i = 0; i < c->ns && !rc; i++) {
        ashift *a = &c->s[i];
        if (a->date < c->from || a->date > c->to)
            continue;
        int64_t closes = (a->end > a->start ? a->end : a->start) + a->t.after;
        if (c->now < closes)
            continue; /* its window is open: nothing is decided yet */
        int on_leave, flags;
        if ((rc = bo__ppl_on_leave(b, a->emp, a->date, &on_leave)) ||
            (rc = bo__ppl_holiday(b, a->location, a->date, &flags, NULL)))
            break;
        aresult r;
        compute(c, a, on_leave, flags >= 0 && !(flags & BO_PEOPLE_HOLIDAY_HALF), &r);
        rc = write_result(b, c, a, &r);
    }
    if (rc)
        return rc;
    char from[11], to[11], object[40];
    bo__date_iso(c->from, from);
    bo__date_iso(c->to, to);
    snprintf(object, sizeof object, "range:%s..%s", from, to);
    return bo__audit_append(b, "people.attendance.run", object, "");
}

/* The attendance run and its posting cover every location: an actor whose
 * people.approve is limited to some (bo_role_grant_location()) is refused. */
static int every_location(bo_book *b)
{
    char *scope = NULL;
    int rc = bo__scope_locations(b, BO__P_PEOPLE_APPROVE, &scope);
    if (!rc && scope)
        rc = bo__error_set(BO_EDENIED, "permission denied: actor '%s' holds people.approve"
                           " only at some locations; location: the run covers every one",
                           b->actor);
    bo__free(scope);
    return rc;
}

int bo_people_attendance_run(bo_book *book, bo_date from, bo_date to, const char *now,
                             int64_t *count)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = every_location(book)) || (rc = bo__ppl_range(from, to)))
        return rc;
    if (from <= BO_DATE_MIN || to >= BO_DATE_MAX - 1)
        return bo__error_set(BO_EINVAL, "from: out of range");
    att_ctx c;
    memset(&c, 0, sizeof c);
    c.from = from;
    c.to = to;
    if (now) {
        if ((rc = bo__ppl_instant("now", now, &c.now)))
            return rc;
    } else {
        c.now = (int64_t)time(NULL) / 60;
    }
    rc = bo__write(book, att_tx, &c);
    bo__free(c.s);
    bo__free(c.p);
    if (!rc && count)
        *count = c.count;
    return rc;
}

static const char SQL_ATTENDANCE[] =
    "SELECT a.shift_id, s.date, e.number, a.status, a.check_in, a.check_out, a.worked,"
    " a.regular, a.late, a.early, a.ot_before, a.ot_after, a.posted"
    " FROM people_attendance a JOIN people_shifts s ON s.id = a.shift_id"
    " JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE " BO__SCOPE_SQL("s.location") " AND (CAST(? AS TEXT) IS NULL OR e.number = ?)"
    " AND s.date >= ? AND s.date <= ? ORDER BY s.date, e.number, s.start_at, a.shift_id";
static const bo__col ATT_COLS[] = {
    { "shift_id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "employee", BO_TYPE_TEXT },
    { "status", BO_TYPE_TEXT }, { "check_in", BO_TYPE_INT }, { "check_out", BO_TYPE_INT },
    { "worked", BO_TYPE_INT }, { "regular", BO_TYPE_INT }, { "late", BO_TYPE_INT },
    { "early", BO_TYPE_INT }, { "overtime_before", BO_TYPE_INT },
    { "overtime_after", BO_TYPE_INT }, { "posted", BO_TYPE_INT },
};

int bo_people_attendance(bo_book *book, const char *number, bo_date from, bo_date to,
                         bo_cursor **out)
{
    bo__error_clear();
    int rc;
    if (number && (rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false)))
        return rc;
    return bo__ppl_listing(book, NULL, from, to, SQL_ATTENDANCE, ATT_COLS, 13, out, "ttdd",
                           number, number, from, to);
}

/* ---- feeding payroll ------------------------------------------------------------ */

static const char SQL_TO_POST[] =
    "SELECT a.shift_id, s.date, e.number, a.status, a.regular, a.ot_before + a.ot_after"
    " FROM people_attendance a JOIN people_shifts s ON s.id = a.shift_id"
    " JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE a.posted = 0 AND s.date >= ? AND s.date <= ? ORDER BY s.date, a.shift_id";
static const char SQL_POSTED[] = "UPDATE people_attendance SET posted = 1 WHERE shift_id = ?";

typedef struct post_row {
    int64_t shift, regular, overtime;
    bo_date date;
    int holiday;
    char number[BO_PAYROLL_TEXT_MAX + 1];
} post_row;

struct post_ctx {
    bo_date from, to;
    post_row *rows;
    size_t n, cap;
    int64_t count;
};

static int hours(bo_book *b, const post_row *r, const char *type, const char *what,
                 int64_t minutes)
{
    char key[64];
    snprintf(key, sizeof key, "people:%" PRId64 ":%s", r->shift, what);
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = key;
    int rc = bo_payroll_hours_add(b, r->number, r->date, type, minutes, &o, NULL);
    if (rc)
        bo__error_prefix("shift %" PRId64 ": ", r->shift);
    return rc;
}

static int post_tx(bo_book *b, void *p)
{
    struct post_ctx *c = p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_TO_POST, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "dd", c->from, c->to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if ((rc = bo__grow((void **)&c->rows, &c->cap, c->n, sizeof *c->rows)))
                break;
            post_row *r = &c->rows[c->n++];
            memset(r, 0, sizeof *r);
            r->shift = bo__stmt_col_int(s, 0);
            if (bo_date_parse(bo__stmt_col_text(s, 1), &r->date))
                r->date = 0;
            snprintf(r->number, sizeof r->number, "%s", bo__stmt_col_text(s, 2));
            const char *st = bo__stmt_col_text(s, 3);
            r->holiday = st && strcmp(st, "holiday") == 0;
            r->regular = bo__stmt_col_int(s, 4);
            r->overtime = bo__stmt_col_int(s, 5);
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    for (size_t i = 0; i < c->n && !rc; i++) {
        const post_row *r = &c->rows[i];
        if (r->regular > 0 &&
            (rc = hours(b, r, r->holiday ? "holiday" : "regular", "regular", r->regular)))
            break;
        if (r->overtime > 0 && (rc = hours(b, r, "overtime", "overtime", r->overtime)))
            break;
        if ((rc = bo__store_run(b->store, SQL_POSTED, "i", r->shift)) ||
            (rc = bo__audit_touch(b, "shift", r->shift)))
            break;
        c->count++;
    }
    if (rc)
        return rc;
    char from[11], to[11], object[40];
    bo__date_iso(c->from, from);
    bo__date_iso(c->to, to);
    snprintf(object, sizeof object, "range:%s..%s", from, to);
    return bo__audit_append(b, "people.attendance.post", object, "");
}

int bo_people_attendance_post(bo_book *book, bo_date from, bo_date to, int64_t *count)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = every_location(book)) || (rc = bo__ppl_range(from, to)))
        return rc;
    struct post_ctx c;
    memset(&c, 0, sizeof c);
    c.from = from;
    c.to = to;
    rc = bo__write(book, post_tx, &c);
    bo__free(c.rows);
    if (!rc && count)
        *count = c.count;
    return rc;
}
