/**
 * @file backoffice/people.h
 * @brief People: shift types, rosters and the rules checked on every
 *        assignment, attendance from punches (fed to payroll's hours),
 *        holiday calendars, and leave as an append-only ledger.
 *
 * Employees are payroll's (bo_payroll_employee_add()): every call names an
 * employee by number. A shift is an assignment of an employee to a shift
 * type on a date at a location (store or warehouse code) in a role; it is
 * a draft until the roster of its location is published.
 *
 * Rules: every assignment is checked before it is written: no overlap with
 * another shift of the employee, no approved leave and no full holiday on
 * its date, the minimum rest between two shifts, and the legal limits
 * (hours a week, overtime a day and a week), which are data set with
 * bo_people_limit_set() (Indonesia, PP 35/2021: 40 hours a week, overtime
 * at most 4 hours a day and 18 a week). A broken rule is BO_ESTATE with a
 * message starting with the rule's name ("overlap: ...", "leave: ...",
 * "holiday: ...", "rest: ...", "week_hours: ...", "overtime_day: ...",
 * "overtime_week: ...", "unavailable: ..."); bo_people_shift_check() answers the rule as a
 * #bo_people_rule without writing.
 *
 * Times: "HH:MM" within a day, instants "YYYY-MM-DDTHH:MM" (the book's
 * local time, no zone), durations in minutes. Leave amounts are in
 * hundredths of a day (#BO_PEOPLE_DAY: 150 is a day and a half).
 *
 * Permissions: people.read (listings, balances), people.write (draft
 * shifts, punches, leave requests), people.approve (publish rosters, run
 * attendance and post it to payroll, decide leave), people.admin (shift
 * types, limits, holidays, leave policies and entitlements). Posting
 * attendance to payroll needs payroll.write as well. Every change appends
 * an audit record "people.<object>.<verb>"; events: "shift.published",
 * "attendance.absent", "leave.approved".
 *
 * Limits: codes and names up to #BO_PEOPLE_TEXT_MAX bytes of UTF-8; a
 * range of dates in one call up to #BO_PEOPLE_RANGE_MAX days.
 */
#ifndef BACKOFFICE_PEOPLE_H
#define BACKOFFICE_PEOPLE_H

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** Longest code, name, location or role, in bytes. */
#define BO_PEOPLE_TEXT_MAX 128
/** Longest range of dates one call covers (from..to inclusive), in days. */
#define BO_PEOPLE_RANGE_MAX 400
/** Largest iCalendar file bo_people_holidays_import_ics() reads, in bytes. */
#define BO_PEOPLE_ICS_MAX (1024 * 1024)
/** Most events of an imported iCalendar file. */
#define BO_PEOPLE_ICS_EVENTS_MAX 2000
/** One day of leave, in the hundredths leave amounts are counted in. */
#define BO_PEOPLE_DAY 100

/* ---- shift types ------------------------------------------------------ */

/** How the punches of a shift are read. */
typedef enum bo_people_punch_mode {
    BO_PEOPLE_PUNCH_FIRST_LAST = 1,  /**< first punch in, last punch out */
    BO_PEOPLE_PUNCH_DIRECTION = 2,   /**< first IN punch, last OUT punch */
    BO_PEOPLE_PUNCH_ALTERNATING = 3  /**< in, out, in, out...: worked time is
                                          the sum of the pairs (breaks are
                                          punched, not deducted) */
} bo_people_punch_mode;

/** Current version of #bo_people_shift_options. */
#define BO_PEOPLE_SHIFT_OPTIONS_VERSION 1

/** A shift type. Initialise with BO_PEOPLE_SHIFT_OPTIONS_INIT or
 *  bo_people_shift_options_init(); members are only ever appended. */
typedef struct bo_people_shift_options {
    unsigned int version;  /**< BO_PEOPLE_SHIFT_OPTIONS_VERSION */
    const char *start;     /**< "HH:MM" */
    const char *end;       /**< "HH:MM"; before @p start: the shift ends the
                                next day; equal to it: a weekly day off */
    int break_minutes;     /**< unpaid break deducted from worked time */
    int grace_late;        /**< minutes after the start still on time */
    int grace_early;       /**< minutes before the end still not an early exit */
    int checkin_before;    /**< punches count from this many minutes before
                                the start (default 120) */
    int checkout_after;    /**< ...until this many after the end (default
                                240); no one is absent before then */
    int half_day_minutes;  /**< worked less than this: half day (0: none) */
    int absent_minutes;    /**< worked less than this: absent (0: absent only
                                without punches) */
    int punch_mode;        /**< a #bo_people_punch_mode (default first/last) */
} bo_people_shift_options;

/** Static initialiser for #bo_people_shift_options. */
#define BO_PEOPLE_SHIFT_OPTIONS_INIT \
    { BO_PEOPLE_SHIFT_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 120, 240, 0, 0, \
      BO_PEOPLE_PUNCH_FIRST_LAST }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_people_shift_options_init(bo_people_shift_options *opts,
                                            unsigned int version);

/**
 * Define shift type @p code. Needs people.admin.
 * @return 0, BO_EEXISTS, BO_EINVAL (naming the member: times, negative or
 *         out-of-range minutes, a grace longer than the shift, the punch
 *         mode, the options version), BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_shift_type_add(bo_book *book, const char *code,
                                        const bo_people_shift_options *opts);

/**
 * The shift types by code. Needs people.read. Columns: code TEXT, start
 * TEXT, end TEXT, minutes INT (scheduled, break deducted), break_minutes
 * INT, grace_late INT, grace_early INT, punch_mode INT.
 */
BO_EXTERN(int) bo_people_shift_types(bo_book *book, bo_cursor **out);

/* ---- limits, holidays ------------------------------------------------- */

/**
 * Set legal or company limit @p name to @p minutes (0 removes it): one of
 * "week_hours" (scheduled minutes a week, Monday to Sunday, beyond which
 * the time is overtime), "day_hours" (scheduled minutes a day beyond which
 * a shift's time is overtime), "overtime_day", "overtime_week" (most
 * overtime minutes), "rest" (least minutes between two shifts). Needs
 * people.admin.
 * @return 0, BO_EINVAL (name, or minutes outside 0..10080), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_limit_set(bo_book *book, const char *name, int64_t minutes);

/** Flags of a holiday. */
typedef enum bo_people_holiday_flag {
    BO_PEOPLE_HOLIDAY_HALF = 1,       /**< half a day (shifts stay allowed) */
    BO_PEOPLE_HOLIDAY_ESTIMATED = 2,  /**< date not yet confirmed by decree */
    BO_PEOPLE_HOLIDAY_COLLECTIVE = 4  /**< collective leave (cuti bersama) */
} bo_people_holiday_flag;

/**
 * Add a day to holiday calendar @p calendar ("default" applies to every
 * location; any other calendar to the location of that code). Needs
 * people.admin.
 * @param flags  #bo_people_holiday_flag bits.
 * @return 0, BO_EEXISTS (that day is in the calendar), BO_EINVAL,
 *         BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_holiday_add(bo_book *book, const char *calendar, bo_date date,
                                     const char *name, int flags);

/**
 * The days of @p calendar between @p from and @p to inclusive, by date.
 * Needs people.read. Columns: date TEXT, name TEXT, flags INT.
 */
BO_EXTERN(int) bo_people_holidays(bo_book *book, const char *calendar, bo_date from,
                                  bo_date to, bo_cursor **out);

/* ---- rosters ---------------------------------------------------------- */

/** The rule an assignment would break (bo_people_shift_check()). */
typedef enum bo_people_rule {
    BO_PEOPLE_RULE_NONE = 0,           /**< every rule holds */
    BO_PEOPLE_RULE_OVERLAP = 1,        /**< overlaps another shift */
    BO_PEOPLE_RULE_LEAVE = 2,          /**< approved leave that day */
    BO_PEOPLE_RULE_HOLIDAY = 3,        /**< a full holiday at the location */
    BO_PEOPLE_RULE_REST = 4,           /**< too little rest between shifts */
    BO_PEOPLE_RULE_WEEK_HOURS = 5,     /**< reserved: the week's regular hours */
    BO_PEOPLE_RULE_OVERTIME_DAY = 6,   /**< overtime beyond the day's limit */
    BO_PEOPLE_RULE_OVERTIME_WEEK = 7,  /**< overtime beyond the week's limit */
    BO_PEOPLE_RULE_UNAVAILABLE = 8     /**< the employee said they are not
                                            available then */
} bo_people_rule;

/**
 * Check assigning @p number to shift type @p shift on @p date at
 * @p location without writing anything. Needs people.read.
 * @param rule  receives the first rule broken (#bo_people_rule), or
 *              BO_PEOPLE_RULE_NONE; the thread's error message then says
 *              why, as bo_people_shift_assign() would.
 * @return 0 (whether or not a rule is broken), BO_ENOTFOUND (employee,
 *         shift type), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_shift_check(bo_book *book, const char *number, bo_date date,
                                     const char *shift, const char *location, int *rule);

/**
 * Assign employee @p number to shift type @p shift on @p date at
 * @p location in @p role, as a draft of that location's roster. Needs
 * people.write. Every rule is checked first (see the file's comment).
 * @param id  receives the shift's id; may be NULL.
 * @return 0, BO_ENOTFOUND (employee, shift type), BO_ESTATE (a rule:
 *         the message starts with its name), BO_EINVAL, BO_EUTF8,
 *         BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_shift_assign(bo_book *book, const char *number, bo_date date,
                                      const char *shift, const char *location,
                                      const char *role, int64_t *id);

/**
 * Repeat a pattern: assign @p number to @p shift at @p location in
 * @p role on every date from @p from to @p to whose weekday is in
 * @p weekdays (bit 0 Monday .. bit 6 Sunday) in every @p every_weeks-th
 * week counted from the week of @p from (1: weekly). All or nothing: the
 * first date breaking a rule refuses the whole pattern, naming the date.
 * Needs people.write.
 * @param count  receives the number of shifts made; may be NULL.
 * @return as bo_people_shift_assign(); BO_EINVAL for an empty pattern.
 */
BO_EXTERN(int) bo_people_shift_repeat(bo_book *book, const char *number,
                                      const char *shift, const char *location,
                                      const char *role, bo_date from, bo_date to,
                                      int weekdays, int every_weeks, int64_t *count);

/**
 * Publish the draft shifts of @p location between @p from and @p to.
 * Needs people.approve. Emits "shift.published" once per shift.
 * @param count  receives the number published; may be NULL.
 * @return 0, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_roster_publish(bo_book *book, const char *location,
                                        bo_date from, bo_date to, int64_t *count);

/**
 * The shifts of @p location (NULL: every location) between @p from and
 * @p to, by date, start and employee. Needs people.read. Columns: id INT,
 * date TEXT, employee TEXT, shift TEXT, location TEXT, role TEXT, start
 * TEXT, end TEXT ("YYYY-MM-DDTHH:MM"), published INT (0 or 1).
 */
BO_EXTERN(int) bo_people_shifts(bo_book *book, const char *location, bo_date from,
                                bo_date to, bo_cursor **out);

/* ---- roster gaps: unavailability, headcount, open shifts, swaps ------- */

/**
 * Record that employee @p number is not available from @p from to
 * @p until ("YYYY-MM-DDTHH:MM", @p from before @p until, at most 400
 * days): no shift overlapping that time may be assigned to them (rule
 * "unavailable", #BO_PEOPLE_RULE_UNAVAILABLE). Shifts already assigned
 * stay. Needs people.write.
 * @param id  receives the record's id; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_unavailable_add(bo_book *book, const char *number, const char *from,
                                         const char *until, int64_t *id);

/**
 * The unavailability of @p number (NULL: everyone) overlapping the days
 * @p from to @p to. Needs people.read. Columns: id INT, employee TEXT,
 * from_at TEXT, until TEXT ("YYYY-MM-DDTHH:MM").
 */
BO_EXTERN(int) bo_people_unavailability(bo_book *book, const char *number, bo_date from,
                                        bo_date to, bo_cursor **out);

/**
 * Require at least @p minimum employees in @p role at @p location in
 * every hour from @p from to @p until ("HH:MM" on the hour; @p until
 * "24:00" allowed as the day's end) on the weekdays of @p weekdays (bit 0
 * Monday .. bit 6 Sunday). Setting the same location, role, weekdays and
 * start again replaces the minimum; 0 removes it. Needs people.approve.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_headcount_set(bo_book *book, const char *location, const char *role,
                                       int weekdays, const char *from, const char *until,
                                       int minimum);

/**
 * The understaffing report of @p location between @p from and @p to: one
 * row per date, hour and role where fewer employees are scheduled (a
 * shift, draft or published, of that role covering the whole hour) than
 * the minimum, by date, hour and role. Needs people.read. Columns: date
 * TEXT, hour TEXT ("HH:00"), role TEXT, required INT, scheduled INT,
 * missing INT.
 */
BO_EXTERN(int) bo_people_understaffed(bo_book *book, const char *location, bo_date from,
                                      bo_date to, bo_cursor **out);

/**
 * Offer an open shift of type @p shift on @p date at @p location in
 * @p role, for an eligible employee to claim. Needs people.approve.
 * @param id  receives the open shift's id; may be NULL.
 * @return 0, BO_ENOTFOUND (shift type), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_open_shift_add(bo_book *book, bo_date date, const char *shift,
                                        const char *location, const char *role, int64_t *id);

/**
 * Claim open shift @p id for employee @p number: the employee must be
 * eligible, every rule of an assignment holding for them; the shift is
 * then theirs, as a draft of the location's roster. Needs people.write.
 * @param shift_id  receives the id of the shift made; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already claimed; or a rule, the
 *         message starting with its name), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_open_shift_claim(bo_book *book, int64_t id, const char *number,
                                          int64_t *shift_id);

/**
 * The open shifts of @p location (NULL: every location) between @p from
 * and @p to, by date. Needs people.read. Columns: id INT, date TEXT, shift
 * TEXT, location TEXT, role TEXT, status TEXT (open, claimed), claimed_by
 * TEXT (or NULL), shift_id INT (or NULL).
 */
BO_EXTERN(int) bo_people_open_shifts(bo_book *book, const char *location, bo_date from,
                                     bo_date to, bo_cursor **out);

/**
 * Propose that colleague @p number takes shift @p shift_id (which has no
 * attendance result yet). Needs people.write.
 * @param id  receives the swap's id; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (the shift has a result, a swap of it
 *         is pending, or the colleague is the shift's employee), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_swap_propose(bo_book *book, int64_t shift_id, const char *number,
                                      int64_t *id);

/**
 * The colleague accepts (@p accept non-zero) or declines proposed swap
 * @p id. Needs people.write.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (not proposed), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_swap_accept(bo_book *book, int64_t id, int accept);

/**
 * A manager approves (@p approve non-zero) or refuses accepted swap
 * @p id. An approval checks every rule of an assignment for the colleague
 * on the shift's date and moves the shift to them (a published shift
 * stays published); it emits "shift.published" for the shift when it was
 * published. Needs people.approve.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (not accepted; or a rule, the message
 *         starting with its name), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_swap_decide(bo_book *book, int64_t id, int approve);

/**
 * The swaps of shifts dated @p from to @p to, by id. Needs people.read.
 * Columns: id INT, shift_id INT, date TEXT, from_employee TEXT,
 * to_employee TEXT, status TEXT (proposed, accepted, declined, approved,
 * refused).
 */
BO_EXTERN(int) bo_people_swaps(bo_book *book, bo_date from, bo_date to, bo_cursor **out);

/**
 * bo_people_unavailable_add() under the idempotency key @p key (NULL:
 * none): the same key again with the same employee and times answers the
 * first record's id and records nothing; with other content it is
 * BO_EKEYREUSE naming the key.
 * @return as bo_people_unavailable_add(); BO_EKEYREUSE.
 */
BO_EXTERN(int) bo_people_unavailable_add_keyed(bo_book *book, const char *number,
                                               const char *from, const char *until,
                                               const char *key, int64_t *id);

/**
 * bo_people_open_shift_add() under the idempotency key @p key (NULL:
 * none): the same key again with the same date, shift type, location and
 * role answers the first open shift's id and records nothing; with other
 * content it is BO_EKEYREUSE naming the key.
 * @return as bo_people_open_shift_add(); BO_EKEYREUSE.
 */
BO_EXTERN(int) bo_people_open_shift_add_keyed(bo_book *book, bo_date date, const char *shift,
                                              const char *location, const char *role,
                                              const char *key, int64_t *id);

/**
 * bo_people_swap_propose() under the idempotency key @p key (NULL: none):
 * the same key again for the same shift and colleague answers the first
 * swap's id and records nothing, whatever became of it since; with other
 * content it is BO_EKEYREUSE naming the key.
 * @return as bo_people_swap_propose(); BO_EKEYREUSE.
 */
BO_EXTERN(int) bo_people_swap_propose_keyed(bo_book *book, int64_t shift_id,
                                            const char *number, const char *key,
                                            int64_t *id);

/* ---- iCalendar ---------------------------------------------------------- */

/**
 * Import the all-day events of the iCalendar file @p path (the yearly
 * decree as published) into holiday calendar @p calendar: each day of an
 * event is a holiday named by its SUMMARY; STATUS:TENTATIVE marks it
 * estimated, the categories HALF-DAY and COLLECTIVE-LEAVE the other
 * flags. All or nothing. At most #BO_PEOPLE_ICS_MAX bytes,
 * #BO_PEOPLE_ICS_EVENTS_MAX events, 31 days an event. Needs people.admin.
 * @param count  receives the number of days added; may be NULL.
 * @return 0, BO_EEXISTS (a day already in the calendar, or twice in the
 *         file), BO_EINVAL (not iCalendar, an event without a date),
 *         BO_ELIMIT, BO_EIO, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_holidays_import_ics(bo_book *book, const char *calendar,
                                             const char *path, int64_t *count);

/**
 * Write the days of holiday calendar @p calendar from @p from to @p to to
 * the iCalendar file @p path, one all-day event each (as
 * bo_people_holidays_import_ics() reads them). Needs people.read.
 * @return 0, BO_EINVAL, BO_EIO, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_holidays_export_ics(bo_book *book, const char *calendar,
                                             bo_date from, bo_date to, const char *path);

/**
 * Write employee @p number's shifts dated @p from to @p to to the
 * iCalendar file @p path: one event per shift (days off left out) from
 * its start to its end in the book's local time ("floating" times),
 * SUMMARY "SHIFT at LOCATION (ROLE)", LOCATION the location, STATUS
 * CONFIRMED when published and TENTATIVE for a draft, UID
 * "shift-ID@libbackoffice". Needs people.read.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EIO, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_roster_export_ics(bo_book *book, const char *number, bo_date from,
                                           bo_date to, const char *path);

/* ---- attendance ------------------------------------------------------- */

/** The direction a punch was recorded with. */
typedef enum bo_people_punch_kind {
    BO_PEOPLE_PUNCH_ANY = 0, /**< the terminal does not say */
    BO_PEOPLE_PUNCH_IN = 1,  /**< checking in */
    BO_PEOPLE_PUNCH_OUT = 2  /**< checking out */
} bo_people_punch_kind;

/**
 * Record a punch of employee @p number at @p at ("YYYY-MM-DDTHH:MM")
 * under the idempotency key @p key (required: terminals retry). Needs
 * people.write.
 * @param kind  a #bo_people_punch_kind.
 * @param id    receives the punch's id (the first one's for a replayed
 *              key); may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (also: no key), BO_EKEYREUSE,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_people_punch(bo_book *book, const char *number, const char *at,
                               int kind, const char *key, int64_t *id);

/**
 * Work out attendance for the shifts dated @p from to @p to: each punch
 * goes to the one shift whose check-in/check-out window holds it (between
 * two, an OUT punch, or one nearer the earlier shift's end than the later
 * one's start, goes to the earlier: the check-out of a night shift belongs
 * to its first day). One result per shift: present, late, early_exit,
 * half_day, absent, leave, holiday or weekly_off. A shift without a result
 * yet is left alone until @p now ("YYYY-MM-DDTHH:MM"; NULL: the current
 * UTC time) is past its end plus its check-out window; a result posted to
 * payroll is never changed. Running it again gives the same results.
 * Emits "attendance.absent" for each shift newly absent. Needs
 * people.approve.
 * @param count  receives the number of results written; may be NULL.
 * @return 0, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_attendance_run(bo_book *book, bo_date from, bo_date to,
                                        const char *now, int64_t *count);

/**
 * The attendance results of @p number (NULL: everyone) for shifts dated
 * @p from to @p to. Needs people.read. Columns: shift_id INT, date TEXT,
 * employee TEXT, status TEXT, check_in TEXT, check_out TEXT, worked INT,
 * regular INT, late INT, early INT, overtime_before INT, overtime_after
 * INT (minutes), posted INT.
 */
BO_EXTERN(int) bo_people_attendance(bo_book *book, const char *number, bo_date from,
                                    bo_date to, bo_cursor **out);

/**
 * Feed the results dated @p from to @p to not yet posted to payroll's
 * hours (bo_payroll_hours_add()): regular minutes as "regular" (as
 * "holiday" on a holiday), overtime before and after the scheduled window
 * as "overtime", each under the key "people:SHIFT:TYPE". Needs
 * people.approve and payroll.write. One transaction.
 * @param count  receives the number of results posted; may be NULL.
 * @return 0, BO_EINVAL, BO_EDENIED, or payroll's errors.
 */
BO_EXTERN(int) bo_people_attendance_post(bo_book *book, bo_date from, bo_date to,
                                         int64_t *count);

/* ---- leave ------------------------------------------------------------ */

/** How a leave policy accrues. */
typedef enum bo_people_accrual {
    BO_PEOPLE_ACCRUE_YEARLY = 1,      /**< the year's days on 1 January (pro
                                           rata in the year of entitlement) */
    BO_PEOPLE_ACCRUE_MONTHLY = 2,     /**< a twelfth on the 1st of each month */
    BO_PEOPLE_ACCRUE_ANNIVERSARY = 3  /**< the year's days on each anniversary
                                           of the entitlement */
} bo_people_accrual;

/**
 * Define leave policy @p code: @p accrual (a #bo_people_accrual) of
 * @p days_per_year; the balance never grows above @p cap (0: no cap); at
 * the year's end at most @p carry_max is carried over (-1: all), and what
 * is carried and not taken by @p carry_months months into the new year
 * expires (0: never). Amounts in hundredths of a day. Needs people.admin.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_policy_add(bo_book *book, const char *code, int accrual,
                                          int64_t days_per_year, int64_t cap,
                                          int64_t carry_max, int carry_months);

/**
 * Entitle employee @p number to leave policy @p policy from @p from (the
 * accruals start then; the anniversary counts from it). Needs people.admin.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_entitle(bo_book *book, const char *number,
                                       const char *policy, bo_date from);

/**
 * Request leave of @p policy from @p from to @p to inclusive (full
 * holidays of the default calendar are not counted); @p half set asks for
 * half a day (then @p from must equal @p to). The idempotency key @p key
 * is optional. Needs people.write.
 * @param id  receives the request's id; may be NULL.
 * @return 0, BO_ENOTFOUND (employee, or no entitlement), BO_EINVAL,
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_request(bo_book *book, const char *number,
                                       const char *policy, bo_date from, bo_date to,
                                       int half, const char *key, int64_t *id);

/**
 * Approve (@p approve non-zero) or reject a pending leave request. An
 * approval appends the days taken to the leave ledger and emits
 * "leave.approved"; it is refused when the balance on the request's last
 * day would fall below zero. Needs people.approve.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (not pending; "balance: ..." when
 *         too few days are left), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_decide(bo_book *book, int64_t request_id, int approve);

/**
 * Deduct @p amount of collective leave on @p date from everyone entitled
 * to @p policy on that date (one ledger row for the policy, counted in
 * every such employee's balance). One collective day per policy and date,
 * so a retried call deducts once. Needs people.admin.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS (that date is already collective
 *         leave of the policy), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_collective(bo_book *book, const char *policy,
                                          bo_date date, int64_t amount);

/**
 * The leave balance of @p number under @p policy at the end of @p date:
 * accruals (capped), carry-over (capped, with its expiry; days taken use
 * the carried days first), collective days and days taken. Needs
 * people.read.
 * @param available  receives the days available (hundredths).
 * @param expired    receives the carried days that expired in @p date's
 *                   year up to @p date (never negative); may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_leave_balance(bo_book *book, const char *number,
                                       const char *policy, bo_date date,
                                       int64_t *available, int64_t *expired);

/**
 * The leave requests of @p number (NULL: everyone), by id. Needs
 * people.read. Columns: id INT, employee TEXT, policy TEXT, from_date
 * TEXT, to_date TEXT, days INT (hundredths), status TEXT (pending,
 * approved, rejected).
 */
BO_EXTERN(int) bo_people_leave_requests(bo_book *book, const char *number,
                                        bo_cursor **out);

/* ---- recruitment ------------------------------------------------------ */

/**
 * Add (or rename, or move) recruitment stage @p code: applicants move
 * through the stages by @p position (smaller first); the first stage is
 * where a new applicant starts. Needs people.admin.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_stage_set(bo_book *book, const char *code, const char *name,
                                   int position);

/**
 * The recruitment stages by position. Needs people.read. Columns: code
 * TEXT, position INT, name TEXT.
 */
BO_EXTERN(int) bo_people_stages(bo_book *book, bo_cursor **out);

/**
 * Open job opening @p code titled @p title at @p location in @p role on
 * @p opened. Needs people.admin.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_opening_add(bo_book *book, const char *code, const char *title,
                                     const char *location, const char *role,
                                     bo_date opened);

/**
 * Close opening @p code: it takes no more applicants. Needs people.admin.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already closed), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_opening_close(bo_book *book, const char *code);

/**
 * The openings by code. Needs people.read. Columns: code TEXT, title
 * TEXT, location TEXT, role TEXT, opened TEXT, status TEXT (open, closed),
 * applicants INT.
 */
BO_EXTERN(int) bo_people_openings(bo_book *book, bo_cursor **out);

/** Current version of #bo_people_applicant_options. */
#define BO_PEOPLE_APPLICANT_OPTIONS_VERSION 1

/** An application. Initialise with BO_PEOPLE_APPLICANT_OPTIONS_INIT or
 *  bo_people_applicant_options_init(); members are only ever appended. */
typedef struct bo_people_applicant_options {
    unsigned int version;  /**< BO_PEOPLE_APPLICANT_OPTIONS_VERSION */
    const char *name;      /**< the applicant's name (required) */
    const char *email;     /**< e-mail address (required) */
    const char *phone;     /**< phone number, or NULL */
    const char *consent;   /**< what the applicant consented to, as shown
                                to them (required: no consent, no record) */
    bo_date consent_date;  /**< when they consented (0: @p applied) */
    bo_date applied;       /**< the application's date (required) */
    const char *key;       /**< idempotency key, or NULL */
} bo_people_applicant_options;

/** Static initialiser for #bo_people_applicant_options. */
#define BO_PEOPLE_APPLICANT_OPTIONS_INIT \
    { BO_PEOPLE_APPLICANT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 0, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_people_applicant_options_init(bo_people_applicant_options *opts,
                                                unsigned int version);

/**
 * Record an application to open opening @p opening, with the applicant's
 * consent, at the first stage. The CV and the application form are
 * documents linked to the applicant (bo_document_link() with kind
 * "applicant" and the applicant's id as ref). Needs people.admin: an
 * applicant's data is read and written only with it.
 * @param id  receives the applicant's id (the first one's for a replayed
 *            key); may be NULL.
 * @return 0, BO_ENOTFOUND (opening), BO_ESTATE (the opening is closed, or
 *         no stage is defined), BO_EINVAL (naming the member: no consent,
 *         an e-mail without '@'), BO_EUTF8, BO_ETOOLONG, BO_EKEYREUSE,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_add(bo_book *book, const char *opening,
                                       const bo_people_applicant_options *opts,
                                       int64_t *id);

/**
 * Move active applicant @p id to stage @p stage on @p date (any stage,
 * forward or back; the history is kept). Needs people.admin.
 * @return 0, BO_ENOTFOUND (applicant, stage), BO_ESTATE (not active),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_move(bo_book *book, int64_t id, const char *stage,
                                        bo_date date);

/** How an application ends without a hire. */
typedef enum bo_people_outcome {
    BO_PEOPLE_REJECTED = 1, /**< the company declined */
    BO_PEOPLE_WITHDRAWN = 2 /**< the applicant withdrew */
} bo_people_outcome;

/**
 * End active applicant @p id's application on @p date with @p outcome (a
 * #bo_people_outcome). From then on the data is kept for the retention
 * period (bo_people_applicant_retention_set()) and then purged. Needs
 * people.admin.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (not active), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_close(bo_book *book, int64_t id, int outcome,
                                         bo_date date);

/**
 * Hire active applicant @p id: payroll's employee @p number is created
 * with the applicant's name and e-mail (as contact), starting @p start,
 * in the same transaction as the applicant's status. Needs people.admin
 * and payroll.write.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (not active), BO_EEXISTS (the
 *         employee number), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_hire(bo_book *book, int64_t id, const char *number,
                                        bo_date start);

/**
 * The applicants of @p opening (NULL: every opening), by id. Needs
 * people.admin. Columns: id INT, opening TEXT, name TEXT, email TEXT,
 * stage TEXT, status TEXT (active, hired, rejected, withdrawn, erased),
 * applied TEXT, retain_until TEXT (or NULL), employee TEXT (or NULL).
 */
BO_EXTERN(int) bo_people_applicants(bo_book *book, const char *opening, bo_cursor **out);

/**
 * Set how many days after an application ends its data is kept (default
 * 180; 1..3660). Applies to applications that end from then on. Needs
 * people.admin.
 * @return 0, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_retention_set(bo_book *book, int days);

/**
 * Write everything the book holds about applicant @p id as JSON to the
 * file @p path (the right of access and portability, GDPR articles 15 and
 * 20, UU 27/2022 on personal data): the application, consent, stage
 * history, and the documents linked to it (type, title, file name,
 * size, SHA-256, and the content in base64 when the actor may read it).
 * Needs people.admin. The export is audited (what, not the data).
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already erased), BO_EIO, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_export(bo_book *book, int64_t id, const char *path);

/**
 * Erase applicant @p id now (the right to erasure, GDPR article 17, UU
 * 27/2022): the name, e-mail, phone and consent text are overwritten, the
 * idempotency key is forgotten, and every document linked to the applicant
 * is erased whatever its type's retention: its content (database rows or
 * the file of a file store), metadata, tags, searchable text and file
 * names; its record stays as a tombstone titled "erased". On SQLite the
 * file is then rewritten and its WAL emptied so no bytes of the erased
 * rows remain. The audit record names the applicant's id and what was
 * erased, never the data. Needs people.admin (and documents.admin for a
 * linked document on legal hold: refused).
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already erased), BO_ERETAINED (a
 *         linked document is on legal hold), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_erase(bo_book *book, int64_t id);

/**
 * The retention purge: erase (as bo_people_applicant_erase()) every
 * applicant whose application ended without a hire and whose retention
 * ended before @p today. One transaction, then the store is scrubbed (as
 * bo_people_applicant_erase(); every purge scrubs, so one whose scrub
 * failed, BO_EBUSY after the erasure committed, is completed by the next).
 * Needs people.admin.
 * @param count  receives the number of applicants erased; may be NULL.
 * @return 0, BO_ERETAINED (a linked document is on legal hold: nothing is
 *         erased), BO_EBUSY (erased, not yet scrubbed), BO_EINVAL,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_people_applicant_purge(bo_book *book, bo_date today, int64_t *count);

/* ---- reviews ---------------------------------------------------------- */

/**
 * Add review cycle @p code named @p name covering @p from to @p to. Needs
 * people.admin.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_review_cycle_add(bo_book *book, const char *code, const char *name,
                                          bo_date from, bo_date to);

/**
 * Add criterion @p code named @p name with weight @p weight (1..10000) to
 * cycle @p cycle, before any review of the cycle is opened. Needs
 * people.admin.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS, BO_ESTATE (reviews exist),
 *         BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_review_criterion_add(bo_book *book, const char *cycle,
                                              const char *code, const char *name,
                                              int64_t weight);

/**
 * Open the review of employee @p number in cycle @p cycle (one per
 * employee and cycle). Needs people.approve.
 * @param id  receives the review's id; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS, BO_ESTATE (the cycle has no
 *         criteria), BO_EDENIED.
 */
BO_EXTERN(int) bo_people_review_open(bo_book *book, const char *cycle, const char *number,
                                     int64_t *id);

/** Who scores a criterion of a review. */
typedef enum bo_people_scorer {
    BO_PEOPLE_SELF = 1,   /**< the employee (needs people.write) */
    BO_PEOPLE_MANAGER = 2 /**< the manager (needs people.approve) */
} bo_people_scorer;

/**
 * Score criterion @p criterion of review @p review as @p who (a
 * #bo_people_scorer): @p score in hundredths from 100 (1.00) to 500
 * (5.00), with an optional @p note. Scoring again replaces the score.
 * Needs people.write for BO_PEOPLE_SELF, people.approve for
 * BO_PEOPLE_MANAGER.
 * @return 0, BO_ENOTFOUND (review, criterion), BO_EINVAL, BO_EUTF8,
 *         BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_review_score(bo_book *book, int64_t review, const char *criterion,
                                      int who, int64_t score, const char *note);

/**
 * The weighted score of review @p review by @p who: the sum of weight x
 * score over the criteria divided by the sum of the weights, computed
 * exactly and rounded half up to hundredths. Needs people.read.
 * @param score  receives it in hundredths (367: 3.67).
 * @return 0, BO_ENOTFOUND, BO_ESTATE (a criterion is not scored yet: the
 *         message names it), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_people_review_result(bo_book *book, int64_t review, int who,
                                       int64_t *score);

/**
 * The scores of review @p review by criterion. Needs people.read.
 * Columns: criterion TEXT, name TEXT, weight INT, self_score INT (or
 * NULL), manager_score INT (or NULL), self_note TEXT, manager_note TEXT.
 */
BO_EXTERN(int) bo_people_review_scores(bo_book *book, int64_t review, bo_cursor **out);

BO_END_DECLS

#endif
