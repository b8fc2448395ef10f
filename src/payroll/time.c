/* Time: attendance (clock in/out), timesheet hours by type, leave. All in
 * minutes, one row per fact; a run sums the rows of its period. */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_TIME_ADD[] =
    "INSERT INTO pay_time (employee_id, date, type, minutes, clock_in, clock_out,"
    " idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_TIME_BY_KEY[] = "SELECT id, digest FROM pay_time WHERE idem_key = ?";

struct time_ctx {
    int64_t id, minutes;
    char date[11];
    const char *type, *in, *out;
    bo_date from, to; /* leave: one row per day */
    const char *key;  /* kept on the first row */
    char digest[65];
    int64_t row;      /* the first row's id */
};

/* The canonical form of a time record (bo__idem_claim): the command's name,
 * the employee number and the command's other inputs. */
static int time_digest(struct time_ctx *c, const char *command, const char *number,
                       const char *kind)
{
    char from[11], to[11];
    bo__date_iso(c->from, from);
    bo__date_iso(c->to, to);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, command);
    bo__buf_field(&d, number);
    bo__buf_field(&d, from);
    bo__buf_field(&d, to);
    bo__buf_field(&d, kind);
    bo__buf_field_int(&d, c->minutes);
    bo__buf_field(&d, c->in);
    bo__buf_field(&d, c->out);
    return bo__buf_digest(&d, c->digest);
}

static int time_tx(bo_book *b, void *p)
{
    struct time_ctx *c = p;
    int state, rc = bo__idem_claim(b, SQL_TIME_BY_KEY, "time record", c->key, c->digest,
                                   &c->row, &state);
    if (rc || state == BO__IDEM_REPLAY)
        return rc;
    for (bo_date d = c->from; d <= c->to && !rc; d++) {
        bo__stmt *s;
        int first = d == c->from;
        bo__date_iso(d, c->date);
        if ((rc = bo__stmt_get(b->store, SQL_TIME_ADD, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "ittitttt", c->id, c->date, c->type, c->minutes, c->in, c->out,
                                 first ? c->key : NULL, first && c->key ? c->digest : NULL))) {
            rc = bo__stmt_step(s);
            if (rc == BO_DRIVER_ROW && first)
                c->row = bo__stmt_col_int(s, 0);
            rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
               : bo__error_set(BO_ERROR, "time: insert returned no id");
        }
        bo__stmt_done(s);
    }
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    return bo__audit_append(b, "payroll.time.add", object, c->type);
}

/* The key of a call's options into c->key; what: the command for the
 * message when a key is required (NULL: the key is optional). */
static int time_key(const bo_payroll_time_options *opts, const char *what, struct time_ctx *c)
{
    int rc = opts ? bo__opts_version(opts->version, BO_PAYROLL_TIME_OPTIONS_VERSION) : 0;
    c->key = opts ? opts->key : NULL;
    return rc ? rc : what ? bo__idem_require(what, c->key) : bo__idem_check(c->key);
}

/* Check the permission and find the employee. */
static int start(bo_book *book, const char *number, struct time_ctx *c)
{
    int rc;
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if ((rc = bo__require(book, BO__P_PAYROLL_WRITE)))
        return rc;
    return bo__pay_employee_id(book, number, &c->id);
}

/* Write the record(s) and answer the first row's id. */
static int record(bo_book *book, struct time_ctx *c, int64_t *id)
{
    int rc = bo__write(book, time_tx, c);
    if (!rc && id)
        *id = c->row;
    return rc;
}

int bo_payroll_time_options_init(bo_payroll_time_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_PAYROLL_TIME_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_PAYROLL_TIME_OPTIONS_VERSION);
    bo_payroll_time_options init = BO_PAYROLL_TIME_OPTIONS_INIT;
    *opts = init;
    return 0;
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

int bo_payroll_clock(bo_book *book, const char *number, bo_date date,
                    const char *clock_in, const char *clock_out,
                    const bo_payroll_time_options *opts, int64_t *id)
{
    bo__error_clear();
    struct time_ctx c = { 0, 0, "", "attendance", clock_in, clock_out, date, date, NULL,
                          "", 0 };
    int a, b, rc;
    if ((rc = time_key(opts, "a clock event", &c)) ||
        (rc = hhmm("clock_in", clock_in, &a)) || (rc = hhmm("clock_out", clock_out, &b)))
        return rc;
    if (b <= a)
        return bo__error_set(BO_EINVAL, "clock_out: not after clock_in");
    c.minutes = b - a;
    if ((rc = bo__pay_date_text(date, c.date)) ||
        (rc = start(book, number, &c)) ||
        (rc = time_digest(&c, "payroll.clock", number, NULL)))
        return rc;
    return record(book, &c, id);
}

int bo_payroll_hours_add(bo_book *book, const char *number, bo_date date,
                        const char *type, int64_t minutes,
                        const bo_payroll_time_options *opts, int64_t *id)
{
    bo__error_clear();
    struct time_ctx c = { 0, minutes, "", type, NULL, NULL, date, date, NULL, "", 0 };
    int rc = time_key(opts, "a timesheet entry", &c);
    if (rc)
        return rc;
    if (!type || (strcmp(type, "regular") && strcmp(type, "overtime") &&
                  strcmp(type, "holiday")))
        return bo__error_set(BO_EINVAL, "type: expected regular, overtime or holiday");
    if (minutes <= 0 || minutes > 24 * 60)
        return bo__error_set(BO_EINVAL, "minutes: outside 1..1440");
    if ((rc = bo__pay_date_text(date, c.date)) ||
        (rc = start(book, number, &c)) ||
        (rc = time_digest(&c, "payroll.hours", number, type)))
        return rc;
    return record(book, &c, id);
}

int bo_payroll_leave_add(bo_book *book, const char *number, bo_date from,
                        bo_date to, const char *kind, const bo_payroll_time_options *opts,
                        int64_t *id)
{
    bo__error_clear();
    struct time_ctx c = { 0, 0, "", NULL, NULL, NULL, from, to, NULL, "", 0 };
    if (kind && strcmp(kind, "paid") == 0)
        c.type = "leave-paid";
    else if (kind && strcmp(kind, "unpaid") == 0)
        c.type = "leave-unpaid";
    else
        return bo__error_set(BO_EINVAL, "kind: expected paid or unpaid");
    int rc;
    if ((rc = time_key(opts, NULL, &c)) || (rc = bo__pay_date_text(from, c.date)) ||
        (rc = bo__pay_date_text(to, c.date)))
        return rc;
    if (to < from || to - from > 366)
        return bo__error_set(BO_EINVAL, "to: before from, or more than a year later");
    if ((rc = start(book, number, &c)) ||
        (rc = time_digest(&c, "payroll.leave", number, kind)))
        return rc;
    return record(book, &c, id);
}

static const char SQL_TIME[] =
    "SELECT date, type, minutes FROM pay_time WHERE employee_id = ?"
    " AND date >= ? AND date <= ? ORDER BY date, id";
static const bo__col TIME_COLS[] = {
    { "date", BO_TYPE_TEXT }, { "type", BO_TYPE_TEXT }, { "minutes", BO_TYPE_INT },
};

int bo_payroll_time(bo_book *book, const char *number, bo_date from, bo_date to,
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
    if ((rc = bo__pay_audit_read_id(book, "payroll.time.read", "employee", id)))
        return rc;
    return bo__listing(book, 0, NULL, SQL_TIME, TIME_COLS, 3, out, "itt", id, f, t);
}
