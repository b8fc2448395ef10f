/* iCalendar (RFC 5545) through libical: a holiday calendar in and out
 * (all-day events; TENTATIVE for an estimated date, the categories
 * HALF-DAY and COLLECTIVE-LEAVE for the other flags), and an employee's
 * roster out (one event per shift in the book's local time, without a
 * zone: "floating" times). An imported file is read whole within limits
 * (BO_PEOPLE_ICS_MAX bytes, BO_PEOPLE_ICS_EVENTS_MAX events, an event of
 * at most 31 days) and applied all or nothing. */
#include "people/people.h"

#include <errno.h>
#include <inttypes.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PRODID "-//libbackoffice//people//EN"

/* ---- files ---------------------------------------------------------------------- */

/* The bytes of path, NUL-terminated, at most BO_PEOPLE_ICS_MAX. */
static int slurp(const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bo__error_set(BO_EIO, "path: cannot be read (%s)", strerror(errno));
    char *buf = bo__malloc(BO_PEOPLE_ICS_MAX + 2);
    if (!buf) {
        fclose(f);
        return BO_ENOMEM;
    }
    size_t n = fread(buf, 1, BO_PEOPLE_ICS_MAX + 1, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        bo__free(buf);
        return bo__error_set(BO_EIO, "path: reading failed");
    }
    if (n > BO_PEOPLE_ICS_MAX) {
        bo__free(buf);
        return bo__error_set(BO_ELIMIT, "path: larger than %d bytes", BO_PEOPLE_ICS_MAX);
    }
    if (memchr(buf, '\0', n)) {
        bo__free(buf);
        return bo__error_set(BO_EINVAL, "path: holds a NUL byte (not iCalendar text)");
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

/* Write cal as text to path. */
static int write_cal(icalcomponent *cal, const char *path)
{
    char *text = icalcomponent_as_ical_string_r(cal);
    if (!text)
        return BO_ENOMEM;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(text);
        return bo__error_set(BO_EIO, "path: cannot be written (%s)", strerror(errno));
    }
    size_t len = strlen(text), put = fwrite(text, 1, len, f);
    free(text);
    if (fclose(f) != 0 || put != len)
        return bo__error_set(BO_EIO, "path: writing failed");
    return 0;
}

static icalcomponent *new_calendar(void)
{
    icalcomponent *cal = icalcomponent_new_vcalendar();
    if (cal) {
        icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
        icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
    }
    return cal;
}

static struct icaltimetype ical_date(bo_date d)
{
    int y, m, day;
    bo_date_to_ymd(d, &y, &m, &day);
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = day;
    return t;
}

static struct icaltimetype ical_instant(int64_t at)
{
    int64_t day = at >= 0 ? at / 1440 : -((-at + 1439) / 1440);
    int minute = (int)(at - day * 1440);
    struct icaltimetype t = ical_date((bo_date)day);
    t.is_date = 0;
    t.hour = minute / 60;
    t.minute = minute % 60;
    t.second = 0;
    return t;
}

static int ical_to_date(struct icaltimetype t, bo_date *out)
{
    return bo_date_from_ymd(t.year, t.month, t.day, out) ? BO_EINVAL : 0;
}

/* ---- holidays in -------------------------------------------------------------------- */

static const char SQL_ICS_HOLIDAY[] =
    "INSERT INTO people_holidays (calendar, date, name, flags) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (calendar, date) DO NOTHING";

typedef bo__ppl_ics_day ics_day;

struct import_ctx {
    const char *calendar;
    ics_day *days;
    size_t n;
};

static int import_tx(bo_book *b, void *p)
{
    struct import_ctx *c = p;
    int rc = 0;
    for (size_t i = 0; i < c->n && !rc; i++) {
        char day[11];
        bo__date_iso(c->days[i].date, day);
        if ((rc = bo__store_run(b->store, SQL_ICS_HOLIDAY, "ttti", c->calendar, day,
                                c->days[i].name, (int64_t)c->days[i].flags)))
            break;
        if (bo__store_changes(b->store) != 1)
            rc = bo__error_set(BO_EEXISTS, "date: %s is already in calendar \"%s\"", day,
                               c->calendar);
    }
    if (rc)
        return rc;
    char object[BO_PEOPLE_TEXT_MAX + 16], detail[48];
    snprintf(object, sizeof object, "calendar:%s", c->calendar);
    snprintf(detail, sizeof detail, "%zu day(s) from iCalendar", c->n);
    return bo__audit_append(b, "people.holiday.import", object, detail);
}

/* The flags an event carries: TENTATIVE, the categories. */
static int event_flags(icalcomponent *ev)
{
    int flags = 0;
    if (icalcomponent_get_status(ev) == ICAL_STATUS_TENTATIVE)
        flags |= BO_PEOPLE_HOLIDAY_ESTIMATED;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_CATEGORIES_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
        const char *v = icalproperty_get_categories(p);
        if (!v)
            continue;
        if (strstr(v, "HALF-DAY"))
            flags |= BO_PEOPLE_HOLIDAY_HALF;
        if (strstr(v, "COLLECTIVE-LEAVE"))
            flags |= BO_PEOPLE_HOLIDAY_COLLECTIVE;
    }
    return flags;
}

/* The days of every event of cal into c (checked, nothing written). */
static int read_events(icalcomponent *cal, struct import_ctx *c)
{
    size_t cap = 0, events = 0;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        if (++events > BO_PEOPLE_ICS_EVENTS_MAX)
            return bo__error_set(BO_ELIMIT, "path: more than %d events",
                                 BO_PEOPLE_ICS_EVENTS_MAX);
        struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
        bo_date from, to;
        if (icaltime_is_null_time(s) || ical_to_date(s, &from))
            return bo__error_set(BO_EINVAL, "path: event %zu: no valid DTSTART", events);
        to = from;
        if (!icaltime_is_null_time(e)) {
            if (ical_to_date(e, &to))
                return bo__error_set(BO_EINVAL, "path: event %zu: bad DTEND", events);
            /* an all-day event ends the day after its last day */
            if (e.is_date && to > from)
                to--;
        }
        if (to < from || to - from > 30)
            return bo__error_set(BO_ELIMIT, "path: event %zu: ends before it starts or lasts"
                                 " more than 31 days", events);
        const char *summary = icalcomponent_get_summary(ev);
        if (!summary || !summary[0])
            summary = "holiday";
        int rc = bo__text_check("path: SUMMARY", summary, BO_PEOPLE_TEXT_MAX, false, false);
        if (rc)
            return bo__error_prefix("event %zu: ", events);
        int flags = event_flags(ev);
        for (bo_date d = from; d <= to; d++) {
            if (c->n == cap) {
                size_t nc = cap ? cap * 2 : 32;
                ics_day *g = bo__realloc(c->days, nc * sizeof *g);
                if (!g)
                    return BO_ENOMEM;
                c->days = g;
                cap = nc;
            }
            for (size_t k = 0; k < c->n; k++)
                if (c->days[k].date == d) {
                    char day[11];
                    bo__date_iso(d, day);
                    return bo__error_set(BO_EEXISTS, "path: %s appears twice", day);
                }
            ics_day *x = &c->days[c->n++];
            x->date = d;
            x->flags = flags;
            snprintf(x->name, sizeof x->name, "%s", summary);
        }
    }
    return 0;
}

/* Components nest at most this deep (VCALENDAR > VEVENT > VALARM ...). */
#define NEST_MAX 8

/* Before libical sees the text: the nesting of BEGIN/END lines and their
 * number stay within limits (libical's parser keeps a stack of every open
 * component and frees a tree recursively). */
static int nesting_check(const char *text)
{
    int depth = 0;
    size_t begins = 0;
    for (const char *p = text; *p;) {
        if (strncasecmp(p, "BEGIN:", 6) == 0) {
            if (++depth > NEST_MAX)
                return bo__error_set(BO_ELIMIT, "path: components nested more than %d deep",
                                     NEST_MAX);
            if (++begins > 2 * (size_t)BO_PEOPLE_ICS_EVENTS_MAX + 16)
                return bo__error_set(BO_ELIMIT, "path: more than %d events",
                                     BO_PEOPLE_ICS_EVENTS_MAX);
        } else if (strncasecmp(p, "END:", 4) == 0 && depth > 0) {
            depth--;
        }
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

int bo__ppl_ics_days(const char *text, bo__ppl_ics_day **days, size_t *n)
{
    *days = NULL;
    *n = 0;
    int rc = nesting_check(text);
    if (rc)
        return rc;
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
        if (cal)
            icalcomponent_free(cal);
        icalerror_clear_errno();
        return bo__error_set(BO_EINVAL, "path: not an iCalendar file (no VCALENDAR)");
    }
    struct import_ctx c = { NULL, NULL, 0 };
    rc = read_events(cal, &c);
    icalcomponent_free(cal);
    icalerror_clear_errno();
    if (rc) {
        bo__free(c.days);
        return rc;
    }
    *days = c.days;
    *n = c.n;
    return 0;
}

int bo_people_holidays_import_ics(bo_book *book, const char *calendar, const char *path,
                                  int64_t *count)
{
    bo__error_clear();
    if (!book || !path)
        return bo__error_set(BO_EINVAL, "book/path: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) ||
        (rc = bo__ppl_code("calendar", calendar)))
        return rc;
    char *text;
    if ((rc = slurp(path, &text)))
        return rc;
    struct import_ctx c = { calendar, NULL, 0 };
    rc = bo__ppl_ics_days(text, &c.days, &c.n);
    bo__free(text);
    if (!rc)
        rc = bo__write(book, import_tx, &c);
    if (!rc && count)
        *count = (int64_t)c.n;
    bo__free(c.days);
    return rc;
}

/* ---- holidays and rosters out ---------------------------------------------------------- */

static const char SQL_ICS_HOLIDAYS[] =
    "SELECT date, name, flags FROM people_holidays WHERE calendar = ? AND date >= ?"
    " AND date <= ? ORDER BY date";

static void set_dtstamp(icalcomponent *ev)
{
    icalcomponent_set_dtstamp(ev, icaltime_from_timet_with_zone(time(NULL), 0,
                                                                icaltimezone_get_utc_timezone()));
}

int bo_people_holidays_export_ics(bo_book *book, const char *calendar, bo_date from, bo_date to,
                                  const char *path)
{
    bo__error_clear();
    if (!book || !path)
        return bo__error_set(BO_EINVAL, "book/path: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_READ)) ||
        (rc = bo__ppl_code("calendar", calendar)) || (rc = bo__ppl_range(from, to)))
        return rc;
    icalcomponent *cal = new_calendar();
    if (!cal)
        return BO_ENOMEM;
    bo__stmt *s;
    if (!(rc = bo__stmt_get(book->store, SQL_ICS_HOLIDAYS, &s))) {
        if (!(rc = bo__stmt_bind(s, "tdd", calendar, from, to))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                bo_date d;
                if (bo_date_parse(bo__stmt_col_text(s, 0), &d)) {
                    rc = bo__error_set(BO_ECORRUPT, "people_holidays: bad date");
                    break;
                }
                int flags = (int)bo__stmt_col_int(s, 2);
                icalcomponent *ev = icalcomponent_new_vevent();
                char uid[BO_PEOPLE_TEXT_MAX + 64];
                snprintf(uid, sizeof uid, "holiday-%s-%s@libbackoffice", calendar,
                         bo__stmt_col_text(s, 0));
                icalcomponent_set_uid(ev, uid);
                set_dtstamp(ev);
                icalcomponent_set_dtstart(ev, ical_date(d));
                icalcomponent_set_dtend(ev, ical_date(d + 1));
                icalcomponent_set_summary(ev, bo__stmt_col_text(s, 1));
                icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
                if (flags & BO_PEOPLE_HOLIDAY_ESTIMATED)
                    icalcomponent_set_status(ev, ICAL_STATUS_TENTATIVE);
                else
                    icalcomponent_set_status(ev, ICAL_STATUS_CONFIRMED);
                if (flags & BO_PEOPLE_HOLIDAY_HALF)
                    icalcomponent_add_property(ev, icalproperty_new_categories("HALF-DAY"));
                if (flags & BO_PEOPLE_HOLIDAY_COLLECTIVE)
                    icalcomponent_add_property(ev,
                                               icalproperty_new_categories("COLLECTIVE-LEAVE"));
                icalcomponent_add_component(cal, ev);
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
    }
    if (!rc)
        rc = write_cal(cal, path);
    icalcomponent_free(cal);
    return rc;
}

static const char SQL_ICS_SHIFTS[] =
    "SELECT s.id, s.shift, s.location, s.role, s.start_at, s.end_at, s.published"
    " FROM people_shifts s WHERE s.employee_id = ? AND s.date >= ? AND s.date <= ?"
    " AND s.end_at > s.start_at ORDER BY s.start_at, s.id";

int bo_people_roster_export_ics(bo_book *book, const char *number, bo_date from, bo_date to,
                                const char *path)
{
    bo__error_clear();
    if (!book || !path)
        return bo__error_set(BO_EINVAL, "book/path: NULL");
    int rc;
    int64_t emp;
    if ((rc = bo__require(book, BO__P_PEOPLE_READ)) || (rc = bo__ppl_range(from, to)) ||
        (rc = bo__pay_employee_id(book, number, &emp)))
        return rc;
    icalcomponent *cal = new_calendar();
    if (!cal)
        return BO_ENOMEM;
    bo__stmt *s;
    if (!(rc = bo__stmt_get(book->store, SQL_ICS_SHIFTS, &s))) {
        if (!(rc = bo__stmt_bind(s, "idd", emp, from, to))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                icalcomponent *ev = icalcomponent_new_vevent();
                char uid[64], summary[3 * BO_PEOPLE_TEXT_MAX + 16];
                snprintf(uid, sizeof uid, "shift-%" PRId64 "@libbackoffice",
                         bo__stmt_col_int(s, 0));
                snprintf(summary, sizeof summary, "%s at %s (%s)", bo__stmt_col_text(s, 1),
                         bo__stmt_col_text(s, 2), bo__stmt_col_text(s, 3));
                icalcomponent_set_uid(ev, uid);
                set_dtstamp(ev);
                icalcomponent_set_dtstart(ev, ical_instant(bo__stmt_col_int(s, 4)));
                icalcomponent_set_dtend(ev, ical_instant(bo__stmt_col_int(s, 5)));
                icalcomponent_set_summary(ev, summary);
                icalcomponent_set_location(ev, bo__stmt_col_text(s, 2));
                icalcomponent_set_status(ev, bo__stmt_col_int(s, 6) ? ICAL_STATUS_CONFIRMED
                                                                     : ICAL_STATUS_TENTATIVE);
                icalcomponent_add_component(cal, ev);
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
    }
    if (!rc)
        rc = write_cal(cal, path);
    icalcomponent_free(cal);
    return rc;
}
