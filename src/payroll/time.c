/* Time: attendance (clock in/out), timesheet hours by type, leave. All in
 * minutes, one row per fact; a run sums the rows of its period. */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_TIME_ADD[] =
    "INSERT INTO pay_time (employee_id, date, type, minutes, clock_in, clock_out)"
    " VALUES (?, ?, ?, ?, ?, ?)";

struct time_ctx {
    int64_t id, minutes;
    char date[11];
    const char *type, *in, *out;
    bo_date from, to; /* leave: one row per day */
};

static int time_tx(bo_book *b, void *p)
{
    struct time_ctx *c = p;
    int rc = 0;
    for (bo_date d = c->from; d <= c->to && !rc; d++) {
        bo__stmt *s;
        bo__date_iso(d, c->date);
        if ((rc = bo__stmt_get(b->store, SQL_TIME_ADD, &s)))
            return rc;
        if (!(rc = bo__stmt_int(s, 1, c->id)) && !(rc = bo__stmt_text(s, 2, c->date)) &&
            !(rc = bo__stmt_text(s, 3, c->type)) && !(rc = bo__stmt_int(s, 4, c->minutes)) &&
            !(rc = bo__stmt_text(s, 5, c->in)) && !(rc = bo__stmt_text(s, 6, c->out)))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    return bo__audit_append(b, "time.add", object, c->type);
}

static int start(bo_book *book, const char *number, struct time_ctx *c)
{
    int rc;
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if ((rc = bo__require(book, BO__P_PAYROLL_WRITE)))
        return rc;
    return bo__pay_employee_id(book, number, &c->id);
}

static int hhmm(const char *field, const char *t, int *minutes)
{
    if (!t || strlen(t) != 5 || t[2] != ':' || t[0] < '0' || t[0] > '2' ||
        t[1] < '0' || t[1] > '9' || t[3] < '0' || t[3] > '5' || t[4] < '0' || t[4] > '9')
        return bo__error_set(BO_EINVAL, "%s: expected HH:MM", field);
    int h = (t[0] - '0') * 10 + t[1] - '0';
    if (h > 23)
        return bo__error_set(BO_EINVAL, "%s: expected HH:MM", field);
    *minutes = h * 60 + (t[3] - '0') * 10 + t[4] - '0';
    return 0;
}

int bo_pay_clock(bo_book *book, const char *number, bo_date date,
                 const char *clock_in, const char *clock_out)
{
    bo__error_clear();
    struct time_ctx c = { 0, 0, "", "attendance", clock_in, clock_out, date, date };
    int a, b, rc;
    if ((rc = hhmm("clock_in", clock_in, &a)) || (rc = hhmm("clock_out", clock_out, &b)))
        return rc;
    if (b <= a)
        return bo__error_set(BO_EINVAL, "clock_out: not after clock_in");
    c.minutes = b - a;
    if ((rc = bo__pay_date_text(date, c.date)) || (rc = start(book, number, &c)))
        return rc;
    return bo__write(book, time_tx, &c);
}

int bo_pay_hours_add(bo_book *book, const char *number, bo_date date,
                     const char *type, int64_t minutes)
{
    bo__error_clear();
    struct time_ctx c = { 0, minutes, "", type, NULL, NULL, date, date };
    if (!type || (strcmp(type, "regular") && strcmp(type, "overtime") &&
                  strcmp(type, "holiday")))
        return bo__error_set(BO_EINVAL, "type: expected regular, overtime or holiday");
    if (minutes <= 0 || minutes > 24 * 60)
        return bo__error_set(BO_EINVAL, "minutes: outside 1..1440");
    int rc;
    if ((rc = bo__pay_date_text(date, c.date)) || (rc = start(book, number, &c)))
        return rc;
    return bo__write(book, time_tx, &c);
}

int bo_pay_leave_add(bo_book *book, const char *number, bo_date from,
                     bo_date to, const char *kind)
{
    bo__error_clear();
    struct time_ctx c = { 0, 0, "", NULL, NULL, NULL, from, to };
    if (kind && strcmp(kind, "paid") == 0)
        c.type = "leave-paid";
    else if (kind && strcmp(kind, "unpaid") == 0)
        c.type = "leave-unpaid";
    else
        return bo__error_set(BO_EINVAL, "kind: expected paid or unpaid");
    int rc;
    if ((rc = bo__pay_date_text(from, c.date)) || (rc = bo__pay_date_text(to, c.date)))
        return rc;
    if (to < from || to - from > 366)
        return bo__error_set(BO_EINVAL, "to: before from, or more than a year later");
    if ((rc = start(book, number, &c)))
        return rc;
    return bo__write(book, time_tx, &c);
}

static const char SQL_TIME[] =
    "SELECT date, type, minutes FROM pay_time WHERE employee_id = ?"
    " AND date >= ? AND date <= ? ORDER BY date, id";
static const bo__col TIME_COLS[] = {
    { "date", BO_TYPE_TEXT }, { "type", BO_TYPE_TEXT }, { "minutes", BO_TYPE_INT },
};

int bo_pay_time(bo_book *book, const char *number, bo_date from, bo_date to,
                bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int64_t id;
    char f[11], t[11];
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_date_text(from, f)) || (rc = bo__pay_date_text(to, t)) ||
        (rc = bo__pay_employee_id(book, number, &id)))
        return rc;
    if ((rc = bo__pay_audit_read_id(book, "time.read", "employee", id)) ||
        (rc = bo__cursor_new(book, SQL_TIME, TIME_COLS, 3, out)))
        return rc;
    bo__stmt *s = bo__cursor_stmt(*out);
    if ((rc = bo__stmt_int(s, 1, id)) || (rc = bo__stmt_text(s, 2, f)) ||
        (rc = bo__stmt_text(s, 3, t))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}
