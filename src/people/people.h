/*
 * People internals: shift types, rosters, punches, attendance, holidays
 * and the leave ledger (docs/architecture.md, "People"). Employees are
 * payroll's: rows refer to pay_employees(id), found by number through
 * payroll's door bo__pay_employee_id(); listings read the employee's
 * number from pay_employees (id, number), the columns that door promises.
 */
#ifndef BO_PEOPLE_PEOPLE_H
#define BO_PEOPLE_PEOPLE_H

#include "core/book.h"
#include "core/domain.h"
#include "backoffice/people.h"
#include "payroll/payroll.h"

/* Schema version of the people tables. */
#define BO__SCHEMA_PEOPLE 13
/* Recruitment and reviews. */
#define BO__SCHEMA_PEOPLE_RECRUIT 14

extern const bo__domain bo__domain_people;
extern const bo__schema_part bo__parts_people[];
extern const bo__table bo__tables_people[];
extern const int bo__ntables_people;
extern const bo__vdomain bo__verify_people;

extern unsigned bo__perms_people[4];
#define BO__P_PEOPLE_READ (bo__perms_people[0])
#define BO__P_PEOPLE_WRITE (bo__perms_people[1])
#define BO__P_PEOPLE_APPROVE (bo__perms_people[2])
#define BO__P_PEOPLE_ADMIN (bo__perms_people[3])

/* Minutes since 1970-01-01T00:00 of a date and a minute of the day. */
#define BO__PPL_AT(date, minute) ((int64_t)(date) * 1440 + (minute))

/* A shift type as stored. */
typedef struct bo__ppl_type {
    char code[BO_PEOPLE_TEXT_MAX + 1];
    int start, end; /* minutes of the day */
    int brk, grace_late, grace_early, before, after, half, absent, mode;
} bo__ppl_type;
/* Its scheduled length in minutes (0: a day off), break not deducted. */
int bo__ppl_type_span(const bo__ppl_type *t);
/* Read shift type code: BO_ENOTFOUND naming "shift". */
int bo__ppl_type_get(bo_book *b, const char *code, bo__ppl_type *out);

/* "HH:MM" -> minute of the day; "YYYY-MM-DDTHH:MM" -> minutes since 1970.
 * BO_EINVAL naming field. */
int bo__ppl_hhmm(const char *field, const char *text, int *out);
int bo__ppl_instant(const char *field, const char *text, int64_t *out);
/* Minutes since 1970 -> "YYYY-MM-DDTHH:MM". */
void bo__ppl_instant_text(int64_t at, char out[17]);
/* A range from..to of at most BO_PEOPLE_RANGE_MAX days. */
int bo__ppl_range(bo_date from, bo_date to);
/* A people listing: book and out checked, location (NULL: every one) a
 * code, from..to a range, people.read at location; without a location a
 * caller whose grants are limited to locations (bo_role_grant_location())
 * sees only theirs: sql's first three parameters are
 * BO__SCOPE_SQL(location column), then fmt's. */
int bo__ppl_listing_(bo_book *b, const char *location, bo_date from, bo_date to,
                     const char *sql, const bo__col *cols, int ncols, bo_cursor **out,
                     const char *fmt, int n, ...);
#define bo__ppl_listing(b, location, from, to, sql, cols, ncols, out, ...)                   \
    bo__ppl_listing_((b), (location), (from), (to), (sql), (cols), (ncols), (out),          \
                     BO__FMT(__VA_ARGS__))
/* Inside a write: perm at the location of shift id (BO_ENOTFOUND naming
 * "shift" when there is none). */
int bo__ppl_require_shift(bo_book *b, unsigned perm, int64_t shift_id);
/* Whether a text holds only the allowed bytes for a code. */
int bo__ppl_code(const char *field, const char *text);

/* Whether the employee has approved leave covering date (*hit 1). */
int bo__ppl_on_leave(bo_book *b, int64_t emp, bo_date date, int *hit);
/* The full-holiday flags of date in "default" or location's calendar:
 * *flags -1 when none. */
int bo__ppl_holiday(bo_book *b, const char *location, bo_date date, int *flags,
                    char name[BO_PEOPLE_TEXT_MAX + 1]);

/* Inside a write: every rule for emp's shift of type t on date at
 * location (0, or BO_ESTATE with *rule set and the message naming it). */
int bo__ppl_rules(bo_book *b, int64_t emp, bo_date date, const bo__ppl_type *t,
                  const char *location, int *rule);
/* Inside a write: the rules, then the draft shift written and audited. */
int bo__ppl_assign(bo_book *b, int64_t emp, bo_date date, const bo__ppl_type *t,
                   const char *location, const char *role, int64_t *id);

/* The holidays of an iCalendar text (ical.c): every day of every event,
 * checked (limits, dates, names, a day twice), in file order; *days freed
 * with bo__free. BO_EINVAL / BO_ELIMIT / BO_EEXISTS naming "path". */
typedef struct bo__ppl_ics_day {
    bo_date date;
    int flags;
    char name[BO_PEOPLE_TEXT_MAX + 1];
} bo__ppl_ics_day;
int bo__ppl_ics_days(const char *text, bo__ppl_ics_day **days, size_t *n);

/* The YAML section "people" (config_people.c). */
int bo__cfg_section_people(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

#endif
