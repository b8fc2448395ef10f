/* Shift types, limits, holiday calendars and the roster: every assignment
 * is checked against the rules (overlap, leave, holiday, rest, the legal
 * limits) inside the transaction that writes it. */
#include "people/people.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------------- */

int bo__ppl_hhmm(const char *field, const char *text, int *out)
{
    if (!text)
        return bo__error_set(BO_EINVAL, "%s: NULL (expected HH:MM)", field);
    if (strlen(text) != 5 || text[2] != ':' || text[0] < '0' || text[0] > '2' ||
        text[1] < '0' || text[1] > '9' || text[3] < '0' || text[3] > '5' ||
        text[4] < '0' || text[4] > '9')
        return bo__error_set(BO_EINVAL, "%s: expected HH:MM", field);
    int h = (text[0] - '0') * 10 + (text[1] - '0');
    int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (h > 23)
        return bo__error_set(BO_EINVAL, "%s: hour %d is not 00..23", field, h);
    *out = h * 60 + m;
    return 0;
}

int bo__ppl_instant(const char *field, const char *text, int64_t *out)
{
    char day[11];
    bo_date d;
    int minute;
    if (!text)
        return bo__error_set(BO_EINVAL, "%s: NULL (expected YYYY-MM-DDTHH:MM)", field);
    if (strlen(text) != 16 || (text[10] != 'T' && text[10] != ' '))
        return bo__error_set(BO_EINVAL, "%s: expected YYYY-MM-DDTHH:MM", field);
    memcpy(day, text, 10);
    day[10] = '\0';
    if (bo_date_parse(day, &d))
        return bo__error_set(BO_EINVAL, "%s: expected YYYY-MM-DDTHH:MM", field);
    if (bo__ppl_hhmm(field, text + 11, &minute))
        return BO_EINVAL;
    *out = BO__PPL_AT(d, minute);
    return 0;
}

void bo__ppl_instant_text(int64_t at, char out[17])
{
    int64_t day = at >= 0 ? at / 1440 : -((-at + 1439) / 1440);
    unsigned minute = (unsigned)(at - day * 1440) % 1440;
    char d[11];
    bo__date_iso((bo_date)day, d);
    snprintf(out, 17, "%.10sT%02u:%02u", d, (minute / 60) % 24, minute % 60);
}

int bo__ppl_range(bo_date from, bo_date to)
{
    if (from < BO_DATE_MIN || to > BO_DATE_MAX || from > to)
        return bo__error_set(BO_EINVAL, "to: the range ends before it starts");
    if ((int64_t)to - from + 1 > BO_PEOPLE_RANGE_MAX)
        return bo__error_set(BO_ELIMIT, "to: more than %d days", BO_PEOPLE_RANGE_MAX);
    return 0;
}

int bo__ppl_listing_(bo_book *b, const char *location, bo_date from, bo_date to,
                     const char *sql, const bo__col *cols, int ncols, bo_cursor **out,
                     const char *fmt, int n, ...)
{
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    char *scope = NULL;
    int rc;
    if ((location && (rc = bo__ppl_code("location", location))) ||
        (rc = bo__ppl_range(from, to)) ||
        (rc = location ? bo__require_at(b, BO__P_PEOPLE_READ, location)
                       : bo__scope_locations(b, BO__P_PEOPLE_READ, &scope)))
        return rc;
    if (!(rc = bo__cursor_new(b, sql, cols, ncols, out))) {
        bo__stmt *s = bo__cursor_stmt(*out);
        va_list ap;
        va_start(ap, n);
        if (!(rc = bo__stmt_bind_at(s, 1, "ttt", scope, scope, scope)))
            rc = bo__stmt_vbind(s, 4, fmt, n, ap);
        va_end(ap);
        if (rc) {
            bo_cursor_free(*out);
            *out = NULL;
        }
    }
    bo__free(scope);
    return rc;
}

static const char SQL_SHIFT_LOCATION[] = "SELECT location FROM people_shifts WHERE id = ?";

int bo__ppl_require_shift(bo_book *b, unsigned perm, int64_t shift_id)
{
    char location[BO_PEOPLE_TEXT_MAX + 1] = "";
    int found = 0;
    int rc = bo__store_row(b->store, SQL_SHIFT_LOCATION, &found, "i>t", shift_id, location,
                           sizeof location);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "shift: no shift %" PRId64, shift_id);
    return bo__require_at(b, perm, location);
}

int bo__ppl_code(const char *field, const char *text)
{
    return bo__name_check(field, text, BO_PEOPLE_TEXT_MAX);
}

/* Monday 0 .. Sunday 6 (1970-01-01 was a Thursday). */
static int weekday(bo_date d)
{
    return (int)((((int64_t)d + 3) % 7 + 7) % 7);
}

int bo__ppl_type_span(const bo__ppl_type *t)
{
    if (t->end == t->start)
        return 0;
    return t->end > t->start ? t->end - t->start : t->end + 1440 - t->start;
}

static const char SQL_TYPE[] =
    "SELECT code, start_min, end_min, break_minutes, grace_late, grace_early,"
    " checkin_before, checkout_after, half_day_minutes, absent_minutes, punch_mode"
    " FROM people_shift_types WHERE code = ?";

int bo__ppl_type_get(bo_book *b, const char *code, bo__ppl_type *t)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_TYPE, &found, "t>tiiiiiiiiii", code, t->code,
                           sizeof t->code, &t->start, &t->end, &t->brk, &t->grace_late,
                           &t->grace_early, &t->before, &t->after, &t->half, &t->absent,
                           &t->mode);
    if (!rc && !found) {
        char q[80];
        bo__quote(code, 32, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "shift: no shift type \"%s\"", q);
    }
    return rc;
}

/* ---- shift types ------------------------------------------------------------ */

int bo_people_shift_options_init(bo_people_shift_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_PEOPLE_SHIFT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_PEOPLE_SHIFT_OPTIONS_VERSION);
    bo_people_shift_options init = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static const char SQL_TYPE_ADD[] =
    "INSERT INTO people_shift_types (code, start_min, end_min, break_minutes, grace_late,"
    " grace_early, checkin_before, checkout_after, half_day_minutes, absent_minutes,"
    " punch_mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING";

static int type_add_tx(bo_book *b, void *p)
{
    const bo__ppl_type *t = p;
    int rc = bo__store_run(b->store, SQL_TYPE_ADD, "tiiiiiiiiii", t->code, (int64_t)t->start,
                           (int64_t)t->end, (int64_t)t->brk, (int64_t)t->grace_late,
                           (int64_t)t->grace_early, (int64_t)t->before, (int64_t)t->after,
                           (int64_t)t->half, (int64_t)t->absent, (int64_t)t->mode);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "code: shift type \"%s\" exists", t->code);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "shift_type:%s", t->code);
    return bo__audit_append(b, "people.shift_type.add", object, "");
}

static int minutes_check(const char *field, int v, int max)
{
    if (v < 0 || v > max)
        return bo__error_set(BO_EINVAL, "%s: %d minutes is outside 0..%d", field, v, max);
    return 0;
}

int bo_people_shift_type_add(bo_book *book, const char *code,
                             const bo_people_shift_options *o)
{
    bo__error_clear();
    if (!book || !o)
        return bo__error_set(BO_EINVAL, "book/options: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)) ||
        (rc = bo__opts_version(o->version, BO_PEOPLE_SHIFT_OPTIONS_VERSION)))
        return rc;
    bo__ppl_type t;
    memset(&t, 0, sizeof t);
    snprintf(t.code, sizeof t.code, "%s", code);
    if ((rc = bo__ppl_hhmm("start", o->start, &t.start)) ||
        (rc = bo__ppl_hhmm("end", o->end, &t.end)))
        return rc;
    int span = bo__ppl_type_span(&t);
    if ((rc = minutes_check("break_minutes", o->break_minutes, span)) ||
        (rc = minutes_check("grace_late", o->grace_late, span)) ||
        (rc = minutes_check("grace_early", o->grace_early, span)) ||
        (rc = minutes_check("checkin_before", o->checkin_before, 720)) ||
        (rc = minutes_check("checkout_after", o->checkout_after, 720)) ||
        (rc = minutes_check("half_day_minutes", o->half_day_minutes, span)) ||
        (rc = minutes_check("absent_minutes", o->absent_minutes, span)))
        return rc;
    if (o->absent_minutes && o->half_day_minutes && o->absent_minutes > o->half_day_minutes)
        return bo__error_set(BO_EINVAL, "absent_minutes: above half_day_minutes");
    if (o->punch_mode < BO_PEOPLE_PUNCH_FIRST_LAST || o->punch_mode > BO_PEOPLE_PUNCH_ALTERNATING)
        return bo__error_set(BO_EINVAL, "punch_mode: %d is not a punch mode", o->punch_mode);
    t.brk = o->break_minutes;
    t.grace_late = o->grace_late;
    t.grace_early = o->grace_early;
    t.before = o->checkin_before;
    t.after = o->checkout_after;
    t.half = o->half_day_minutes;
    t.absent = o->absent_minutes;
    t.mode = o->punch_mode;
    return bo__write(book, type_add_tx, &t);
}

static const char SQL_TYPES[] =
    "SELECT code, start_min, end_min, CASE WHEN end_min = start_min THEN 0"
    " WHEN end_min > start_min THEN end_min - start_min - break_minutes"
    " ELSE end_min + 1440 - start_min - break_minutes END, break_minutes, grace_late,"
    " grace_early, punch_mode FROM people_shift_types ORDER BY code";
static const bo__col TYPE_COLS[] = {
    { "code", BO_TYPE_TEXT }, { "start_min", BO_TYPE_INT }, { "end_min", BO_TYPE_INT },
    { "minutes", BO_TYPE_INT }, { "break_minutes", BO_TYPE_INT },
    { "grace_late", BO_TYPE_INT }, { "grace_early", BO_TYPE_INT },
    { "punch_mode", BO_TYPE_INT },
};

int bo_people_shift_types(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_TYPES, TYPE_COLS, 8, out, "");
}

/* ---- limits ------------------------------------------------------------------ */

static const char *const LIMITS[] = {
    "week_hours", "day_hours", "overtime_day", "overtime_week", "rest", NULL,
};

struct limit_ctx {
    char key[40];
    int64_t minutes;
};

static int limit_tx(bo_book *b, void *p)
{
    struct limit_ctx *c = p;
    int rc = c->minutes ? bo__setting_put_int(b, "people", c->key, c->minutes)
                        : bo__setting_put(b, "people", c->key, NULL);
    return rc ? rc : bo__audit_append(b, "people.limit.set", c->key, "");
}

int bo_people_limit_set(bo_book *book, const char *name, int64_t minutes)
{
    bo__error_clear();
    if (!book || !name)
        return bo__error_set(BO_EINVAL, "book/name: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc)
        return rc;
    int known = 0;
    for (int i = 0; LIMITS[i]; i++)
        known |= strcmp(LIMITS[i], name) == 0;
    if (!known) {
        char q[80];
        bo__quote(name, 32, q, sizeof q);
        return bo__error_set(BO_EINVAL, "name: unknown limit \"%s\"", q);
    }
    if (minutes < 0 || minutes > 7 * 1440)
        return bo__error_set(BO_EINVAL, "minutes: outside 0..10080");
    struct limit_ctx c;
    snprintf(c.key, sizeof c.key, "limit.%s", name);
    c.minutes = minutes;
    return bo__write(book, limit_tx, &c);
}

static int limit_get(bo_book *b, const char *name, int64_t *out)
{
    char key[40];
    snprintf(key, sizeof key, "limit.%s", name);
    return bo__setting_int(b, "people", key, 0, out);
}

/* ---- holidays ---------------------------------------------------------------- */

struct holiday_ctx {
    const char *calendar, *name;
    char date[11];
    int flags;
};

static const char SQL_HOLIDAY_ADD[] =
    "INSERT INTO people_holidays (calendar, date, name, flags) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (calendar, date) DO NOTHING";

static int holiday_tx(bo_book *b, void *p)
{
    struct holiday_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_HOLIDAY_ADD, "ttti", c->calendar, c->date, c->name,
                           (int64_t)c->flags);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "date: %s is already in calendar \"%s\"", c->date,
                             c->calendar);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "calendar:%s", c->calendar);
    return bo__audit_append(b, "people.holiday.add", object, c->date);
}

int bo_people_holiday_add(bo_book *book, const char *calendar, bo_date date,
                          const char *name, int flags)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) ||
        (rc = bo__ppl_code("calendar", calendar)) ||
        (rc = bo__text_check("name", name, BO_PEOPLE_TEXT_MAX, false, false)))
        return rc;
    if (flags & ~7)
        return bo__error_set(BO_EINVAL, "flags: %d has unknown bits", flags);
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    struct holiday_ctx c = { calendar, name, "", flags };
    bo__date_iso(date, c.date);
    return bo__write(book, holiday_tx, &c);
}

static const char SQL_HOLIDAYS[] =
    "SELECT date, name, flags FROM people_holidays WHERE calendar = ? AND date >= ?"
    " AND date <= ? ORDER BY date";
static const bo__col HOLIDAY_COLS[] = {
    { "date", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "flags", BO_TYPE_INT },
};

int bo_people_holidays(bo_book *book, const char *calendar, bo_date from, bo_date to,
                       bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if ((rc = bo__ppl_code("calendar", calendar)) || (rc = bo__ppl_range(from, to)))
        return rc;
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_HOLIDAYS, HOLIDAY_COLS, 3, out,
                       "tdd", calendar, from, to);
}

static const char SQL_HOLIDAY_ON[] =
    "SELECT flags, name FROM people_holidays WHERE date = ? AND (calendar = 'default'"
    " OR calendar = ?) ORDER BY flags";

int bo__ppl_holiday(bo_book *b, const char *location, bo_date date, int *flags,
                    char name[BO_PEOPLE_TEXT_MAX + 1])
{
    int found = 0;
    char n[BO_PEOPLE_TEXT_MAX + 1] = "";
    int64_t f = -1;
    int rc = bo__store_row(b->store, SQL_HOLIDAY_ON, &found, "dt>it", date,
                           location ? location : "default", &f, n, sizeof n);
    *flags = found ? (int)f : -1;
    if (name)
        memcpy(name, n, sizeof n);
    return rc;
}

/* ---- the rules ---------------------------------------------------------------- */

static const char SQL_ON_LEAVE[] =
    "SELECT 1 FROM people_leave_requests WHERE employee_id = ? AND status = 'approved'"
    " AND from_date <= ? AND to_date >= ?";

int bo__ppl_on_leave(bo_book *b, int64_t emp, bo_date date, int *hit)
{
    *hit = 0;
    return bo__store_row(b->store, SQL_ON_LEAVE, hit, "idd", emp, date, date);
}

static const char SQL_UNAVAILABLE[] =
    "SELECT from_at, to_at FROM people_unavailability WHERE employee_id = ? AND from_at < ?"
    " AND to_at > ? ORDER BY from_at";
static const char SQL_OVERLAP[] =
    "SELECT id, date FROM people_shifts WHERE employee_id = ? AND start_at < ?"
    " AND end_at > ? AND end_at > start_at ORDER BY start_at";
static const char SQL_PREV_END[] =
    "SELECT MAX(end_at) FROM people_shifts WHERE employee_id = ? AND end_at <= ?"
    " AND end_at > start_at";
static const char SQL_NEXT_START[] =
    "SELECT MIN(start_at) FROM people_shifts WHERE employee_id = ? AND start_at >= ?"
    " AND end_at > start_at";
/* The week's scheduled minutes and the overtime of its days over day_hours. */
static const char SQL_WEEK[] =
    "SELECT COALESCE(SUM(s.end_at - s.start_at - t.break_minutes), 0),"
    " COALESCE(SUM(CASE WHEN ? > 0 AND s.end_at - s.start_at - t.break_minutes > ?"
    " THEN s.end_at - s.start_at - t.break_minutes - ? ELSE 0 END), 0)"
    " FROM people_shifts s JOIN people_shift_types t ON t.code = s.shift"
    " WHERE s.employee_id = ? AND s.date >= ? AND s.date <= ? AND s.end_at > s.start_at";

typedef struct rule_ctx {
    int64_t emp;
    bo_date date;
    const bo__ppl_type *type;
    const char *location;
    int rule; /* what the check found */
} rule_ctx;

#define broken(c, r, ...) ((c)->rule = (r), bo__error_set(BO_ESTATE, __VA_ARGS__))

/* Every rule for the employee's shift of c->type on c->date: 0, or
 * BO_ESTATE with c->rule set and a message starting with the rule. */
static int rules_check(bo_book *b, rule_ctx *c)
{
    const bo__ppl_type *t = c->type;
    int span = bo__ppl_type_span(t);
    int64_t start = BO__PPL_AT(c->date, t->start), end = start + span;
    char day[11];
    bo__date_iso(c->date, day);
    c->rule = BO_PEOPLE_RULE_NONE;
    int rc, found = 0;
    if (span > 0) {
        int64_t other = 0;
        char odate[11] = "";
        if ((rc = bo__store_row(b->store, SQL_OVERLAP, &found, "iii>it", c->emp, end, start,
                                &other, odate, sizeof odate)))
            return rc;
        if (found)
            return broken(c, BO_PEOPLE_RULE_OVERLAP,
                          "overlap: the shift on %s overlaps shift %" PRId64 " of %s", day, other,
                          odate);
    }
    int hit;
    if ((rc = bo__ppl_on_leave(b, c->emp, c->date, &hit)))
        return rc;
    if (hit)
        return broken(c, BO_PEOPLE_RULE_LEAVE, "leave: the employee is on approved leave on %s",
                      day);
    if (span > 0) {
        int64_t from = 0, until = 0;
        found = 0;
        if ((rc = bo__store_row(b->store, SQL_UNAVAILABLE, &found, "iii>ii", c->emp, end, start,
                                &from, &until)))
            return rc;
        if (found) {
            char f[17], u[17];
            bo__ppl_instant_text(from, f);
            bo__ppl_instant_text(until, u);
            return broken(c, BO_PEOPLE_RULE_UNAVAILABLE, "unavailable: the employee is not"
                          " available from %s to %s (the shift on %s)", f, u, day);
        }
    }
    int flags;
    char hname[BO_PEOPLE_TEXT_MAX + 1];
    if ((rc = bo__ppl_holiday(b, c->location, c->date, &flags, hname)))
        return rc;
    if (flags >= 0 && !(flags & BO_PEOPLE_HOLIDAY_HALF) && span > 0)
        return broken(c, BO_PEOPLE_RULE_HOLIDAY, "holiday: %s is a holiday", day);
    if (span == 0)
        return 0;
    int64_t rest, day_hours, ot_day, ot_week, week_hours;
    if ((rc = limit_get(b, "rest", &rest)) || (rc = limit_get(b, "day_hours", &day_hours)) ||
        (rc = limit_get(b, "overtime_day", &ot_day)) ||
        (rc = limit_get(b, "overtime_week", &ot_week)) ||
        (rc = limit_get(b, "week_hours", &week_hours)))
        return rc;
    if (rest > 0) {
        int64_t prev = 0, next = 0;
        int has = 0;
        if ((rc = bo__store_row(b->store, SQL_PREV_END, NULL, "ii>?i", c->emp, start, &has,
                                &prev)))
            return rc;
        if (has && start - prev < rest)
            return broken(c, BO_PEOPLE_RULE_REST,
                          "rest: the shift on %s starts %" PRId64 " minutes after the previous"
                          " one ends (at least %" PRId64 ")", day, start - prev, rest);
        has = 0;
        if ((rc = bo__store_row(b->store, SQL_NEXT_START, NULL, "ii>?i", c->emp, end, &has,
                                &next)))
            return rc;
        if (has && next - end < rest)
            return broken(c, BO_PEOPLE_RULE_REST,
                          "rest: the shift on %s ends %" PRId64 " minutes before the next one"
                          " starts (at least %" PRId64 ")", day, next - end, rest);
    }
    int64_t net = span - t->brk, day_ot = day_hours > 0 && net > day_hours ? net - day_hours : 0;
    if (ot_day > 0 && day_ot > ot_day)
        return broken(c, BO_PEOPLE_RULE_OVERTIME_DAY,
                      "overtime_day: the shift on %s has %" PRId64 " minutes of overtime (at"
                      " most %" PRId64 ")", day, day_ot, ot_day);
    if (week_hours > 0 || ot_week > 0) {
        bo_date ws = c->date - weekday(c->date);
        int64_t total = 0, days_ot = 0;
        if ((rc = bo__store_row(b->store, SQL_WEEK, NULL, "iiiidd>ii", day_hours, day_hours,
                                day_hours, c->emp, ws, (bo_date)(ws + 6), &total, &days_ot)))
            return rc;
        total += net;
        days_ot += day_ot;
        int64_t week_ot = week_hours > 0 && total > week_hours ? total - week_hours : 0;
        if (days_ot > week_ot)
            week_ot = days_ot;
        if (ot_week > 0 && week_ot > ot_week)
            return broken(c, BO_PEOPLE_RULE_OVERTIME_WEEK,
                          "overtime_week: the week of %s would have %" PRId64 " minutes of"
                          " overtime (at most %" PRId64 ")", day, week_ot, ot_week);
        if (ot_week <= 0 && week_hours > 0 && total > week_hours)
            return broken(c, BO_PEOPLE_RULE_WEEK_HOURS,
                          "week_hours: the week of %s would have %" PRId64 " scheduled minutes"
                          " (at most %" PRId64 ")", day, total, week_hours);
    }
    return 0;
}

int bo__ppl_rules(bo_book *b, int64_t emp, bo_date date, const bo__ppl_type *t,
                  const char *location, int *rule)
{
    rule_ctx c = { emp, date, t, location, BO_PEOPLE_RULE_NONE };
    int rc = rules_check(b, &c);
    *rule = c.rule;
    return rc;
}

/* ---- assignments --------------------------------------------------------------- */

static const char SQL_ASSIGN[] =
    "INSERT INTO people_shifts (employee_id, date, shift, location, role, start_at, end_at,"
    " published) VALUES (?, ?, ?, ?, ?, ?, ?, 0) RETURNING id";
static const char SQL_ASSIGN_PLAIN[] =
    "INSERT INTO people_shifts (employee_id, date, shift, location, role, start_at, end_at,"
    " published) VALUES (?, ?, ?, ?, ?, ?, ?, 0)";

typedef struct assign_ctx {
    rule_ctx r;
    bo__ppl_type type;
    const char *role;
    bo_date from, to;
    int weekdays, every;
    int64_t id, count;
} assign_ctx;

/* Check the rules for c->r.date and write the shift. */
static int assign_one(bo_book *b, assign_ctx *c)
{
    int rc = rules_check(b, &c->r);
    if (rc)
        return rc;
    int64_t start = BO__PPL_AT(c->r.date, c->type.start);
    int64_t end = start + bo__ppl_type_span(&c->type);
    char day[11];
    bo__date_iso(c->r.date, day);
    if ((rc = bo__store_insert(b->store, SQL_ASSIGN, SQL_ASSIGN_PLAIN, &c->id, "ittttii",
                               c->r.emp, day, c->type.code, c->r.location, c->role, start,
                               end)))
        return rc;
    char object[40];
    snprintf(object, sizeof object, "shift:%" PRId64, c->id);
    c->count++;
    return bo__audit_append(b, "people.shift.assign", object, day);
}

static int assign_tx(bo_book *b, void *p)
{
    return assign_one(b, p);
}

int bo__ppl_assign(bo_book *b, int64_t emp, bo_date date, const bo__ppl_type *t,
                   const char *location, const char *role, int64_t *id)
{
    assign_ctx c;
    memset(&c, 0, sizeof c);
    c.type = *t;
    c.r.emp = emp;
    c.r.date = date;
    c.r.type = &c.type;
    c.r.location = location;
    c.role = role;
    int rc = assign_one(b, &c);
    *id = c.id;
    return rc;
}

static int repeat_tx(bo_book *b, void *p)
{
    assign_ctx *c = p;
    bo_date week0 = c->from - weekday(c->from);
    for (bo_date d = c->from; d <= c->to; d++) {
        if (!(c->weekdays & (1 << weekday(d))) || ((d - week0) / 7) % c->every)
            continue;
        c->r.date = d;
        int rc = assign_one(b, c);
        if (rc) {
            char day[11];
            bo__date_iso(d, day);
            return bo__error_prefix("date %s: ", day);
        }
    }
    return 0;
}

/* The common checks of an assignment's inputs; finds employee and type. */
static int assign_start(bo_book *book, unsigned perm, const char *number, const char *shift,
                        const char *location, const char *role, assign_ctx *c)
{
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    memset(c, 0, sizeof *c);
    int rc;
    if ((rc = bo__require(book, perm)) || (rc = bo__ppl_code("shift", shift)) ||
        (rc = bo__ppl_code("location", location)) ||
        (role && (rc = bo__ppl_code("role", role))) ||
        (rc = bo__require_at(book, perm, location)))
        return rc;
    if ((rc = bo__pay_employee_id(book, number, &c->r.emp)) ||
        (rc = bo__ppl_type_get(book, shift, &c->type)))
        return rc;
    c->r.type = &c->type;
    c->r.location = location;
    c->role = role;
    return 0;
}

int bo_people_shift_check(bo_book *book, const char *number, bo_date date, const char *shift,
                          const char *location, int *rule)
{
    bo__error_clear();
    if (!rule)
        return bo__error_set(BO_EINVAL, "rule: NULL");
    *rule = BO_PEOPLE_RULE_NONE;
    assign_ctx c;
    int rc = assign_start(book, BO__P_PEOPLE_READ, number, shift, location, NULL, &c);
    if (rc)
        return rc;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX - 1)
        return bo__error_set(BO_EINVAL, "date: out of range");
    c.r.date = date;
    rc = rules_check(book, &c.r);
    if (rc == BO_ESTATE && c.r.rule != BO_PEOPLE_RULE_NONE) {
        *rule = c.r.rule;
        return 0;
    }
    return rc;
}

int bo_people_shift_assign(bo_book *book, const char *number, bo_date date, const char *shift,
                           const char *location, const char *role, int64_t *id)
{
    bo__error_clear();
    assign_ctx c;
    int rc = assign_start(book, BO__P_PEOPLE_WRITE, number, shift, location, role, &c);
    if (rc || (rc = bo__ppl_code("role", role)))
        return rc;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX - 1)
        return bo__error_set(BO_EINVAL, "date: out of range");
    c.r.date = date;
    if ((rc = bo__write(book, assign_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

int bo_people_shift_repeat(bo_book *book, const char *number, const char *shift,
                           const char *location, const char *role, bo_date from, bo_date to,
                           int weekdays, int every_weeks, int64_t *count)
{
    bo__error_clear();
    assign_ctx c;
    int rc = assign_start(book, BO__P_PEOPLE_WRITE, number, shift, location, role, &c);
    if (rc || (rc = bo__ppl_code("role", role)) || (rc = bo__ppl_range(from, to)))
        return rc;
    if (weekdays <= 0 || weekdays > 127)
        return bo__error_set(BO_EINVAL, "weekdays: %d is not a set of weekdays (bits 0..6)",
                             weekdays);
    if (every_weeks < 1 || every_weeks > 52)
        return bo__error_set(BO_EINVAL, "every_weeks: %d is outside 1..52", every_weeks);
    c.from = from;
    c.to = to;
    c.weekdays = weekdays;
    c.every = every_weeks;
    if ((rc = bo__write(book, repeat_tx, &c)))
        return rc;
    if (count)
        *count = c.count;
    return 0;
}

/* ---- publishing ------------------------------------------------------------------ */

static const char SQL_DRAFTS[] =
    "SELECT id FROM people_shifts WHERE location = ? AND date >= ? AND date <= ?"
    " AND published = 0 ORDER BY id";
static const char SQL_PUBLISH[] = "UPDATE people_shifts SET published = 1 WHERE id = ?";

struct publish_ctx {
    const char *location;
    bo_date from, to;
    int64_t count;
};

static int publish_tx(bo_book *b, void *p)
{
    struct publish_ctx *c = p;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_DRAFTS, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "tdd", c->location, c->from, c->to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 64;
                int64_t *g = bo__realloc(ids, nc * sizeof *ids);
                if (!g) {
                    rc = BO_ENOMEM;
                    break;
                }
                ids = g;
                cap = nc;
            }
            ids[n++] = bo__stmt_col_int(s, 0);
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!(rc = bo__store_run(b->store, SQL_PUBLISH, "i", ids[i])) &&
            !(rc = bo__audit_touch(b, "shift", ids[i])))
            rc = bo__event_queue(b, "shift.published", ids[i]);
    }
    bo__free(ids);
    if (rc)
        return rc;
    c->count = (int64_t)n;
    char object[BO_PEOPLE_TEXT_MAX + 16], detail[40];
    snprintf(object, sizeof object, "location:%s", c->location);
    snprintf(detail, sizeof detail, "%" PRId64 " shifts", c->count);
    return bo__audit_append(b, "people.roster.publish", object, detail);
}

int bo_people_roster_publish(bo_book *book, const char *location, bo_date from, bo_date to,
                             int64_t *count)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_APPROVE)) ||
        (rc = bo__ppl_code("location", location)) || (rc = bo__ppl_range(from, to)) ||
        (rc = bo__require_at(book, BO__P_PEOPLE_APPROVE, location)))
        return rc;
    struct publish_ctx c = { location, from, to, 0 };
    if ((rc = bo__write(book, publish_tx, &c)))
        return rc;
    if (count)
        *count = c.count;
    return 0;
}

static const char SQL_SHIFTS[] =
    "SELECT s.id, s.date, e.number, s.shift, s.location, s.role, s.start_at, s.end_at,"
    " s.published FROM people_shifts s JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE " BO__SCOPE_SQL("s.location") " AND (CAST(? AS TEXT) IS NULL OR s.location = ?)"
    " AND s.date >= ? AND s.date <= ? ORDER BY s.date, s.start_at, e.number, s.id";
static const bo__col SHIFT_COLS[] = {
    { "id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "employee", BO_TYPE_TEXT },
    { "shift", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT }, { "role", BO_TYPE_TEXT },
    { "start_at", BO_TYPE_INT }, { "end_at", BO_TYPE_INT }, { "published", BO_TYPE_INT },
};

int bo_people_shifts(bo_book *book, const char *location, bo_date from, bo_date to,
                     bo_cursor **out)
{
    bo__error_clear();
    return bo__ppl_listing(book, location, from, to, SQL_SHIFTS, SHIFT_COLS, 9, out, "ttdd",
                           location, location, from, to);
}
