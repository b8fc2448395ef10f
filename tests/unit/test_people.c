/* People with storage: shift types and the rules checked on every
 * assignment, attendance from punches (the night shift followed by another
 * shift, overtime before and after the window, nothing absent too early,
 * the same result on a re-run, hours fed to payroll), the leave ledger
 * (expired carry-over never negative, cap and carry-over), holidays, the
 * YAML section, the access matrix and bad input that changes nothing.
 * Runs on every backend. */
#include "test_people_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grace 5 minutes, none for a day off. */
static void shift_type(bo_book *b, const char *code, const char *start, const char *end,
                       int brk)
{
    shift_type_add(b, code, start, end, brk, strcmp(start, end) ? 5 : 0);
}

/* A book with employees E1..E3 and the shift types NIGHT 18:00-07:00
 * (break 60), DAY 09:00-17:00, EARLY 06:00-14:00, LONG 06:00-19:00 (break
 * 60), LONGER 06:00-20:00 (break 60), TEN 07:00-18:00 (break 60), OFF. */
static bo_book *people_book(const char *stem)
{
    bo_book *b = staff_book(stem);
    shift_type(b, "NIGHT", "18:00", "07:00", 60);
    shift_type(b, "DAY", "09:00", "17:00", 0);
    shift_type(b, "EARLY", "06:00", "14:00", 0);
    shift_type(b, "LONG", "06:00", "19:00", 60);
    shift_type(b, "LONGER", "06:00", "20:00", 60);
    shift_type(b, "TEN", "07:00", "18:00", 60);
    shift_type(b, "OFF", "00:00", "00:00", 0);
    return b;
}

static void punch(bo_book *b, const char *number, const char *at, int kind)
{
    bo_assert_ok(bo_people_punch(b, number, at, kind, bo_test_key(), NULL));
}

/* The attendance row of number on date: its columns by name. */
typedef struct att {
    char status[16];
    int64_t check_in, check_out, worked, regular, late, early, ot_before, ot_after, posted;
} att;

static int attendance_of(bo_book *b, const char *number, const char *date, att *out)
{
    bo_cursor *c;
    int found = 0;
    bo_assert_ok(bo_people_attendance(b, number, D(date), D(date), &c));
    while (bo_cursor_next(c) == 0) {
        found++;
        snprintf(out->status, sizeof out->status, "%s", bo_cursor_text(c, 3));
        out->check_in = bo_cursor_int(c, 4);
        out->check_out = bo_cursor_int(c, 5);
        out->worked = bo_cursor_int(c, 6);
        out->regular = bo_cursor_int(c, 7);
        out->late = bo_cursor_int(c, 8);
        out->early = bo_cursor_int(c, 9);
        out->ot_before = bo_cursor_int(c, 10);
        out->ot_after = bo_cursor_int(c, 11);
        out->posted = bo_cursor_int(c, 12);
    }
    bo_cursor_free(c);
    return found;
}

static int64_t at_min(const char *date, int h, int m)
{
    return (int64_t)D(date) * 1440 + h * 60 + m;
}

struct seen {
    int absent, published, approved;
};

static void on_event(const char *event, int64_t id, void *user)
{
    struct seen *s = user;
    (void)id;
    if (strcmp(event, "attendance.absent") == 0)
        s->absent++;
    else if (strcmp(event, "shift.published") == 0)
        s->published++;
    else if (strcmp(event, "leave.approved") == 0)
        s->approved++;
}

/* ---- attendance ------------------------------------------------------------------ */

/* Night shift 18:00-07:00 on Monday, a day shift 09:00-17:00 on Tuesday:
 * the 07:05 punch is Monday's check-out, 08:55 Tuesday's check-in, and
 * nobody is absent. */
START_TEST(test_night_shift_then_day_shift)
{
    bo_book *b = people_book("ppl_night");
    struct seen seen = { 0, 0, 0 };
    bo_assert_ok(bo_event_subscribe(b, "*", on_event, &seen, NULL, NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-02"), "NIGHT", "S1", "cashier", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-03"), "DAY", "S1", "cashier", NULL));
    punch(b, "E1", "2026-03-02T17:55", BO_PEOPLE_PUNCH_ANY);
    punch(b, "E1", "2026-03-03T07:05", BO_PEOPLE_PUNCH_ANY);
    punch(b, "E1", "2026-03-03T08:55", BO_PEOPLE_PUNCH_ANY);
    punch(b, "E1", "2026-03-03T17:02", BO_PEOPLE_PUNCH_ANY);

    /* at 10:00 on Tuesday the night shift's check-out window (until 11:00)
     * is still open: nothing is decided, nobody is absent */
    int64_t n = -1;
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-03"),
                                          "2026-03-03T10:00", &n));
    ck_assert_int_eq(n, 0);
    att a;
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-02", &a), 0);
    ck_assert_int_eq(seen.absent, 0);

    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-03"),
                                          "2026-03-04T00:00", &n));
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-02", &a), 1);
    ck_assert_str_eq(a.status, "present");
    ck_assert_int_eq(a.check_in, at_min("2026-03-02", 17, 55));
    ck_assert_int_eq(a.check_out, at_min("2026-03-03", 7, 5)); /* the first day's */
    ck_assert_int_eq(a.worked, 13 * 60 + 10 - 60);
    ck_assert_int_eq(a.ot_before, 5);
    ck_assert_int_eq(a.ot_after, 5);
    ck_assert_int_eq(a.regular, 720);
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-03", &a), 1);
    ck_assert_str_eq(a.status, "present");
    ck_assert_int_eq(a.check_in, at_min("2026-03-03", 8, 55));
    ck_assert_int_eq(a.check_out, at_min("2026-03-03", 17, 2));
    ck_assert_int_eq(a.ot_before, 5);
    ck_assert_int_eq(a.ot_after, 2);
    ck_assert_int_eq(a.regular, 480);
    ck_assert_int_eq(seen.absent, 0);

    /* running it again gives the same results and writes nothing */
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-03"),
                                          "2026-03-05T00:00", &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-02", &a), 1);
    ck_assert_str_eq(a.status, "present");
    ck_assert_int_eq(a.check_out, at_min("2026-03-03", 7, 5));
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* Late, early exit, half day, absent (only after the shift's end plus its
 * window, with one event), weekly off, leave and holiday. */
START_TEST(test_attendance_statuses)
{
    bo_book *b = people_book("ppl_status");
    struct seen seen = { 0, 0, 0 };
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = "09:00";
    o.end = "17:00";
    o.grace_late = 10;
    o.grace_early = 10;
    o.half_day_minutes = 240;
    o.absent_minutes = 60;
    o.punch_mode = BO_PEOPLE_PUNCH_DIRECTION;
    bo_assert_ok(bo_people_shift_type_add(b, "STORE", &o));
    bo_assert_ok(bo_people_holiday_add(b, "default", D("2026-03-06"), "Nyepi", 0));
    bo_assert_ok(bo_event_subscribe(b, "attendance.absent", on_event, &seen, NULL, NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-02"), "STORE", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-03"), "STORE", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-04"), "STORE", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-05"), "STORE", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-07"), "OFF", "S1", "clerk", NULL));
    /* Monday late (09:20), Tuesday out early (16:00), Wednesday half day,
     * Thursday no punch */
    punch(b, "E1", "2026-03-02T09:20", BO_PEOPLE_PUNCH_IN);
    punch(b, "E1", "2026-03-02T17:00", BO_PEOPLE_PUNCH_OUT);
    punch(b, "E1", "2026-03-03T08:58", BO_PEOPLE_PUNCH_IN);
    punch(b, "E1", "2026-03-03T16:00", BO_PEOPLE_PUNCH_OUT);
    punch(b, "E1", "2026-03-04T09:00", BO_PEOPLE_PUNCH_IN);
    punch(b, "E1", "2026-03-04T12:00", BO_PEOPLE_PUNCH_OUT);

    int64_t n;
    /* Thursday 20:59: its window (17:00 + 240) is open: not absent yet */
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-07"),
                                          "2026-03-05T20:59", &n));
    att a;
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-05", &a), 0);
    ck_assert_int_eq(seen.absent, 0);
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-07"),
                                          "2026-03-08T00:00", &n));
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-02", &a), 1);
    ck_assert_str_eq(a.status, "late");
    ck_assert_int_eq(a.late, 20);
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-03", &a), 1);
    ck_assert_str_eq(a.status, "early_exit");
    ck_assert_int_eq(a.early, 60);
    ck_assert_int_eq(a.ot_before, 2);
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-04", &a), 1);
    ck_assert_str_eq(a.status, "half_day");
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-05", &a), 1);
    ck_assert_str_eq(a.status, "absent");
    ck_assert_int_eq(attendance_of(b, "E1", "2026-03-07", &a), 1);
    ck_assert_str_eq(a.status, "weekly_off");
    ck_assert_int_eq(seen.absent, 1);
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-07"),
                                          "2026-03-09T00:00", &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(seen.absent, 1); /* once */
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* Overtime is only what lies outside the scheduled window, before and
 * after apart, and reaches payroll's hours with its type, once. */
START_TEST(test_overtime_to_payroll)
{
    bo_book *b = people_book("ppl_ot");
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-02"), "DAY", "S1", "clerk", NULL));
    punch(b, "E2", "2026-03-02T08:00", BO_PEOPLE_PUNCH_ANY); /* an hour early */
    punch(b, "E2", "2026-03-02T19:30", BO_PEOPLE_PUNCH_ANY); /* 2.5 h late out */
    int64_t n;
    bo_assert_ok(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-02"),
                                          "2026-03-03T00:00", &n));
    att a;
    ck_assert_int_eq(attendance_of(b, "E2", "2026-03-02", &a), 1);
    ck_assert_int_eq(a.ot_before, 60);
    ck_assert_int_eq(a.ot_after, 150);
    ck_assert_int_eq(a.regular, 480);
    ck_assert_int_eq(a.posted, 0);
    bo_assert_ok(bo_people_attendance_post(b, D("2026-03-01"), D("2026-03-31"), &n));
    ck_assert_int_eq(n, 1);
    bo_cursor *c;
    bo_assert_ok(bo_payroll_time(b, "E2", D("2026-03-01"), D("2026-03-31"), &c));
    int64_t regular = 0, overtime = 0;
    while (bo_cursor_next(c) == 0) {
        if (strcmp(bo_cursor_text(c, 1), "regular") == 0)
            regular += bo_cursor_int(c, 2);
        else if (strcmp(bo_cursor_text(c, 1), "overtime") == 0)
            overtime += bo_cursor_int(c, 2);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(regular, 480);
    ck_assert_int_eq(overtime, 210);
    /* posted once; a posted result stays */
    bo_assert_ok(bo_people_attendance_post(b, D("2026-03-01"), D("2026-03-31"), &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(attendance_of(b, "E2", "2026-03-02", &a), 1);
    ck_assert_int_eq(a.posted, 1);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST


/* The overtime fed by attendance is paid by the month's pay run at the
 * pack's overtime rate, and the register shows it: 8 regular hours at $20
 * ($160.00) and 2.5 hours of overtime at 1.5 ($75.00). */
START_TEST(test_overtime_paid_by_pay_run)
{
    bo_book *b = people_book("ppl_pay");
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "2100", "Net pay", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2210", "Tax", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2220", "Pension", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5200", "Employer", BO_ACCOUNT_EXPENSE, NULL, NULL));
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/generic.yaml",
             (int)(slash ? slash - here : 1), slash ? here : ".");
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *pack = malloc(1 << 16);
    size_t len = fread(pack, 1, (1 << 16) - 1, f);
    fclose(f);
    bo_assert_ok(bo_payroll_pack_load(b, pack, len, "generic.yaml"));
    free(pack);
    bo_assert_ok(bo_payroll_terms_set(b, "E3", D("2024-01-01"), "hourly", 2000, BO_PAYROLL_MONTHLY));
    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2024-01-02"), "DAY", "S1", "clerk", NULL));
    punch(b, "E3", "2024-01-02T08:00", BO_PEOPLE_PUNCH_IN);
    punch(b, "E3", "2024-01-02T18:30", BO_PEOPLE_PUNCH_OUT);
    bo_assert_ok(bo_people_attendance_run(b, D("2024-01-01"), D("2024-01-31"), "2024-02-01T00:00",
                                          NULL));
    att a;
    ck_assert_int_eq(attendance_of(b, "E3", "2024-01-02", &a), 1);
    ck_assert_int_eq(a.ot_before, 60);
    ck_assert_int_eq(a.ot_after, 90);
    bo_assert_ok(bo_people_attendance_post(b, D("2024-01-01"), D("2024-01-31"), NULL));
    int64_t run;
    bo_assert_ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-jan", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2024-01-01"),
            .period_end = D("2024-01-31"), .pay_date = D("2024-01-31") }, &run));
    bo_assert_ok(bo_payroll_run_calculate(b, run));
    bo_cursor *c;
    int64_t salary = -1, overtime = -1;
    bo_assert_ok(bo_payroll_payslip(b, run, "E3", &c));
    while (bo_cursor_next(c) == 0) {
        if (strcmp(bo_cursor_text(c, 1), "salary") == 0)
            salary = bo_cursor_int(c, 3);
        else if (strcmp(bo_cursor_text(c, 1), "overtime") == 0)
            overtime = bo_cursor_int(c, 3);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(salary, 16000);
    ck_assert_int_eq(overtime, 7500);
    bo_assert_ok(bo_payroll_register(b, run, &c));
    int64_t gross = -1;
    while (bo_cursor_next(c) == 0)
        if (strcmp(bo_cursor_text(c, 0), "E3") == 0)
            gross = bo_cursor_int(c, 3);
    bo_cursor_free(c);
    ck_assert_int_eq(gross, 16000 + 7500);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* ---- rules ------------------------------------------------------------------------ */

static void expect_rule(bo_book *b, const char *number, const char *date, const char *shift,
                        int rule, const char *prefix)
{
    int got = -1;
    bo_assert_ok(bo_people_shift_check(b, number, D(date), shift, "S1", &got));
    ck_assert_int_eq(got, rule);
    int64_t before = shifts_count(b);
    bo_assert_err(bo_people_shift_assign(b, number, D(date), shift, "S1", "clerk", NULL),
                  BO_ESTATE);
    ck_assert_msg(strncmp(bo_error_message(), prefix, strlen(prefix)) == 0, "%s",
                  bo_error_message());
    ck_assert_int_eq(shifts_count(b), before); /* nothing written */
}

START_TEST(test_rules_on_assignment)
{
    bo_book *b = people_book("ppl_rules");
    bo_assert_ok(bo_people_shift_assign(b, "E1", D("2026-03-01"), "NIGHT", "S1", "clerk", NULL));
    /* EARLY 06:00 on the 2nd overlaps the night shift ending 07:00 */
    expect_rule(b, "E1", "2026-03-02", "EARLY", BO_PEOPLE_RULE_OVERLAP, "overlap:");
    /* DAY from 09:00 leaves two hours of rest; 11 hours are required */
    bo_assert_ok(bo_people_limit_set(b, "rest", 660));
    expect_rule(b, "E1", "2026-03-02", "DAY", BO_PEOPLE_RULE_REST, "rest:");
    bo_assert_ok(bo_people_limit_set(b, "rest", 0));
    int rule = -1;
    bo_assert_ok(bo_people_shift_check(b, "E1", D("2026-03-02"), "DAY", "S1", &rule));
    ck_assert_int_eq(rule, BO_PEOPLE_RULE_NONE);
    /* holidays: a full one refuses, a half one does not; a store's own
     * calendar applies to that store only */
    bo_assert_ok(bo_people_holiday_add(b, "default", D("2026-03-19"), "Nyepi", 0));
    bo_assert_ok(bo_people_holiday_add(b, "default", D("2026-03-20"), "Eve", BO_PEOPLE_HOLIDAY_HALF));
    bo_assert_ok(bo_people_holiday_add(b, "S2", D("2026-03-23"), "Store day", 0));
    expect_rule(b, "E2", "2026-03-19", "DAY", BO_PEOPLE_RULE_HOLIDAY, "holiday:");
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-20"), "DAY", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-23"), "DAY", "S1", "clerk", NULL));
    bo_assert_err(bo_people_shift_assign(b, "E3", D("2026-03-23"), "DAY", "S2", "clerk", NULL),
                  BO_ESTATE);
    /* approved leave */
    bo_assert_ok(bo_people_leave_policy_add(b, "ANNUAL", BO_PEOPLE_ACCRUE_YEARLY, 1200, 0, -1, 0));
    bo_assert_ok(bo_people_leave_entitle(b, "E3", "ANNUAL", D("2026-01-01")));
    int64_t req;
    bo_assert_ok(bo_people_leave_request(b, "E3", "ANNUAL", D("2026-04-06"), D("2026-04-07"), 0,
                                         NULL, &req));
    bo_assert_ok(bo_people_shift_assign(b, "E3", D("2026-04-06"), "DAY", "S1", "clerk", NULL));
    bo_assert_ok(bo_people_leave_decide(b, req, 1));
    expect_rule(b, "E3", "2026-04-07", "DAY", BO_PEOPLE_RULE_LEAVE, "leave:");
    /* legal limits as data (PP 35/2021): 40 hours a week, overtime 4 h a
     * day and 18 h a week; a regular day of 8 hours */
    bo_assert_ok(bo_people_limit_set(b, "week_hours", 2400));
    bo_assert_ok(bo_people_limit_set(b, "day_hours", 480));
    bo_assert_ok(bo_people_limit_set(b, "overtime_day", 240));
    bo_assert_ok(bo_people_limit_set(b, "overtime_week", 1080));
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-05-04"), "LONG", "S1", "clerk", NULL));
    expect_rule(b, "E2", "2026-05-05", "LONGER", BO_PEOPLE_RULE_OVERTIME_DAY, "overtime_day:");
    /* ten-hour days, Monday to Friday: 3000 minutes, 600 overtime; a
     * sixth day makes 1200 > 1080 */
    int64_t made = 0;
    bo_assert_ok(bo_people_shift_repeat(b, "E3", "TEN", "S1", "clerk", D("2026-05-11"),
                                        D("2026-05-15"), 0x1f, 1, &made));
    ck_assert_int_eq(made, 5);
    expect_rule(b, "E3", "2026-05-16", "TEN", BO_PEOPLE_RULE_OVERTIME_WEEK, "overtime_week:");
    /* the whole pattern is refused when one day breaks a rule */
    int64_t before = shifts_count(b);
    bo_assert_err(bo_people_shift_repeat(b, "E3", "TEN", "S1", "clerk", D("2026-05-16"),
                                         D("2026-05-17"), 0x60, 1, &made), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "date 2026-05-16: overtime_week:") != NULL, "%s",
                  bo_error_message());
    ck_assert_int_eq(shifts_count(b), before);
    /* without overtime allowed, the week's hours are the limit */
    bo_assert_ok(bo_people_limit_set(b, "overtime_week", 0));
    bo_assert_ok(bo_people_limit_set(b, "overtime_day", 0));
    bo_assert_ok(bo_people_limit_set(b, "day_hours", 0));
    bo_assert_ok(bo_people_shift_check(b, "E3", D("2026-05-16"), "TEN", "S1", &rule));
    ck_assert_int_eq(rule, BO_PEOPLE_RULE_WEEK_HOURS);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* Every other week on Monday and Wednesday, then published. */
START_TEST(test_roster_repeat_and_publish)
{
    bo_book *b = people_book("ppl_roster");
    struct seen seen = { 0, 0, 0 };
    bo_assert_ok(bo_event_subscribe(b, "shift.published", on_event, &seen, NULL, NULL));
    int64_t made = 0;
    bo_assert_ok(bo_people_shift_repeat(b, "E1", "DAY", "S1", "clerk", D("2026-03-02"),
                                        D("2026-03-29"), 0x05, 2, &made));
    ck_assert_int_eq(made, 4); /* Mar 2, 4, 16, 18 */
    bo_assert_ok(bo_people_shift_assign(b, "E2", D("2026-03-02"), "DAY", "S2", "clerk", NULL));
    bo_cursor *c;
    bo_assert_ok(bo_people_shifts(b, "S1", D("2026-03-01"), D("2026-03-31"), &c));
    const char *dates[] = { "2026-03-02", "2026-03-04", "2026-03-16", "2026-03-18" };
    for (int i = 0; i < 4; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 1), dates[i]);
        ck_assert_str_eq(bo_cursor_text(c, 2), "E1");
        ck_assert_int_eq(bo_cursor_int(c, 6), at_min(dates[i], 9, 0));
        ck_assert_int_eq(bo_cursor_int(c, 8), 0);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    int64_t n;
    bo_assert_ok(bo_people_roster_publish(b, "S1", D("2026-03-01"), D("2026-03-31"), &n));
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(seen.published, 4);
    bo_assert_ok(bo_people_roster_publish(b, "S1", D("2026-03-01"), D("2026-03-31"), &n));
    ck_assert_int_eq(n, 0);
    bo_assert_ok(bo_people_shifts(b, NULL, D("2026-03-01"), D("2026-03-31"), &c));
    int published = 0;
    while (bo_cursor_next(c) == 0)
        published += (int)bo_cursor_int(c, 8);
    bo_cursor_free(c);
    ck_assert_int_eq(published, 4); /* S2's draft stays a draft */
    bo_assert_ok(bo_people_shift_types(b, &c));
    ck_assert_int_eq(count_rows(c), 7);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* ---- leave ------------------------------------------------------------------------ */

static int64_t request_approve(bo_book *b, const char *number, const char *policy,
                               const char *from, const char *to)
{
    int64_t id;
    bo_assert_ok(bo_people_leave_request(b, number, policy, D(from), D(to), 0, NULL, &id));
    bo_assert_ok(bo_people_leave_decide(b, id, 1));
    return id;
}

static int64_t balance(bo_book *b, const char *number, const char *policy, const char *date,
                       int64_t *expired)
{
    int64_t v = -999999;
    bo_assert_ok(bo_people_leave_balance(b, number, policy, D(date), &v, expired));
    return v;
}

/* 11 days carried over, 12 taken before the carry expires: the expired
 * balance is 0, not -1; with 5 taken, 6 expire. */
START_TEST(test_leave_expired_carry_is_zero)
{
    bo_book *b = people_book("ppl_carry");
    bo_assert_ok(bo_people_leave_policy_add(b, "P12", BO_PEOPLE_ACCRUE_YEARLY, 1200, 0, 1200, 3));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "P12", D("2024-01-01")));
    bo_assert_ok(bo_people_leave_entitle(b, "E2", "P12", D("2024-01-01")));
    request_approve(b, "E1", "P12", "2024-06-03", "2024-06-03");
    request_approve(b, "E2", "P12", "2024-06-03", "2024-06-03");
    int64_t expired = -1;
    ck_assert_int_eq(balance(b, "E1", "P12", "2024-12-31", &expired), 1100);
    request_approve(b, "E1", "P12", "2025-01-06", "2025-01-17"); /* 12 days */
    request_approve(b, "E2", "P12", "2025-01-06", "2025-01-10"); /* 5 days */
    ck_assert_int_eq(balance(b, "E1", "P12", "2025-03-30", &expired), 1100);
    ck_assert_int_eq(expired, 0);
    ck_assert_int_eq(balance(b, "E1", "P12", "2025-04-01", &expired), 1100);
    ck_assert_int_eq(expired, 0); /* not -100 */
    ck_assert_int_eq(balance(b, "E2", "P12", "2025-04-01", &expired), 1200);
    ck_assert_int_eq(expired, 600);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* 21 days a year, cap 28, carry-over at most 7, 15 taken: 27 available
 * the next year; without a carry limit the cap holds at 28. */
START_TEST(test_leave_cap_and_carry)
{
    bo_book *b = people_book("ppl_cap");
    bo_assert_ok(bo_people_leave_policy_add(b, "A21", BO_PEOPLE_ACCRUE_YEARLY, 2100, 2800, 700, 0));
    bo_assert_ok(bo_people_leave_policy_add(b, "ALL", BO_PEOPLE_ACCRUE_YEARLY, 2100, 2800, -1, 0));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "A21", D("2025-01-01")));
    bo_assert_ok(bo_people_leave_entitle(b, "E2", "ALL", D("2025-01-01")));
    request_approve(b, "E1", "A21", "2025-03-02", "2025-03-16"); /* 15 days */
    ck_assert_int_eq(balance(b, "E1", "A21", "2025-12-31", NULL), 600);
    ck_assert_int_eq(balance(b, "E1", "A21", "2026-01-01", NULL), 2700);
    ck_assert_int_eq(balance(b, "E2", "ALL", "2026-01-01", NULL), 2800);
    /* a half day and a day of collective leave */
    int64_t id;
    bo_assert_ok(bo_people_leave_request(b, "E1", "A21", D("2026-02-02"), D("2026-02-02"), 1,
                                         "half-1", &id));
    bo_assert_ok(bo_people_leave_decide(b, id, 1));
    bo_assert_ok(bo_people_leave_collective(b, "A21", D("2026-12-24"), 100));
    /* a retried collective day deducts once */
    bo_assert_err(bo_people_leave_collective(b, "A21", D("2026-12-24"), 100), BO_EEXISTS);
    ck_assert_int_eq(balance(b, "E1", "A21", "2026-12-31", NULL), 2700 - 50 - 100);
    /* a replayed key answers the first request */
    int64_t again;
    bo_assert_ok(bo_people_leave_request(b, "E1", "A21", D("2026-02-02"), D("2026-02-02"), 1,
                                         "half-1", &again));
    ck_assert_int_eq(again, id);
    bo_assert_err(bo_people_leave_request(b, "E1", "A21", D("2026-02-03"), D("2026-02-03"), 1,
                                          "half-1", &again), BO_EKEYREUSE);
    /* more than is left: refused, the request stays pending */
    bo_assert_ok(bo_people_leave_request(b, "E1", "A21", D("2026-06-01"), D("2026-07-30"), 0,
                                         NULL, &id));
    bo_assert_err(bo_people_leave_decide(b, id, 1), BO_ESTATE);
    ck_assert_msg(strncmp(bo_error_message(), "balance:", 8) == 0, "%s", bo_error_message());
    ck_assert_int_eq(balance(b, "E1", "A21", "2026-12-31", NULL), 2700 - 50 - 100);
    bo_assert_ok(bo_people_leave_decide(b, id, 0));
    bo_assert_err(bo_people_leave_decide(b, id, 1), BO_ESTATE);
    bo_cursor *c;
    bo_assert_ok(bo_people_leave_requests(b, "E1", &c));
    ck_assert_int_eq(count_rows(c), 3);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

/* Monthly (pro rata from the entitlement), yearly pro rata, anniversary. */
START_TEST(test_leave_accruals)
{
    bo_book *b = people_book("ppl_accrue");
    bo_assert_ok(bo_people_leave_policy_add(b, "M", BO_PEOPLE_ACCRUE_MONTHLY, 1200, 0, -1, 0));
    bo_assert_ok(bo_people_leave_policy_add(b, "Y", BO_PEOPLE_ACCRUE_YEARLY, 1200, 0, -1, 0));
    bo_assert_ok(bo_people_leave_policy_add(b, "A", BO_PEOPLE_ACCRUE_ANNIVERSARY, 1200, 0, -1, 0));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "M", D("2025-04-15")));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "Y", D("2025-07-01")));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "A", D("2024-03-01")));
    ck_assert_int_eq(balance(b, "E1", "M", "2025-04-14", NULL), 0);
    ck_assert_int_eq(balance(b, "E1", "M", "2025-04-15", NULL), 100);
    ck_assert_int_eq(balance(b, "E1", "M", "2025-12-31", NULL), 900);
    ck_assert_int_eq(balance(b, "E1", "Y", "2025-12-31", NULL), 600);
    ck_assert_int_eq(balance(b, "E1", "Y", "2026-01-01", NULL), 1800);
    ck_assert_int_eq(balance(b, "E1", "A", "2025-02-28", NULL), 0);
    ck_assert_int_eq(balance(b, "E1", "A", "2025-03-01", NULL), 1200);
    bo_assert_err(bo_people_leave_balance(b, "E2", "M", D("2025-05-01"), &(int64_t){0}, NULL),
                  BO_ENOTFOUND);
    bo_book_free(b);
}
END_TEST

/* ---- YAML, access, bad input ---------------------------------------------------- */

START_TEST(test_yaml_section)
{
    const char *yaml =
        "book: {name: People shop, base_currency: USD}\n"
        "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
        "people:\n"
        "  limits: {week_hours: 2400, overtime_day: 240, overtime_week: 1080}\n"
        "  shift_types:\n"
        "    - {code: NIGHT, start: \"18:00\", end: \"07:00\", break: 60,"
        " punch_mode: alternating}\n"
        "  holidays:\n"
        "    - {date: 2026-03-19, name: Nyepi}\n"
        "    - {calendar: S1, date: 2026-03-20, name: Eve, kind: half, status: estimated,"
        " collective: 1}\n"
        "  leave_policies:\n"
        "    - {code: ANNUAL, accrual: yearly, days: 12, cap: 24, carry_max: 6,"
        " carry_months: 3}\n";
    char *uri = bo_test_path("ppl_yaml");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o));
    bo_cursor *c;
    bo_assert_ok(bo_people_shift_types(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "NIGHT");
    ck_assert_int_eq(bo_cursor_int(c, 3), 720);
    ck_assert_int_eq(bo_cursor_int(c, 7), BO_PEOPLE_PUNCH_ALTERNATING);
    bo_cursor_free(c);
    bo_assert_ok(bo_people_holidays(b, "S1", D("2026-01-01"), D("2026-12-31"), &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 2), BO_PEOPLE_HOLIDAY_HALF | BO_PEOPLE_HOLIDAY_ESTIMATED |
                                          BO_PEOPLE_HOLIDAY_COLLECTIVE);
    bo_cursor_free(c);
    verify_clean(b);
    bo_book_free(b);
    free(uri);

    /* a bad value names its line and column, and no book is made */
    const char *bad =
        "book: {name: People shop, base_currency: USD}\n"
        "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
        "people:\n"
        "  shift_types:\n"
        "    - {code: X, start: \"25:00\", end: \"07:00\"}\n";
    uri = bo_test_path("ppl_yaml_bad");
    b = NULL;
    int rc = bo_book_create_from_yaml_string(&b, bad, strlen(bad), uri, &o);
    bo_assert_err(rc, BO_ECONFIG);
    ck_assert_msg(strstr(bo_error_message(), ":6:") && strstr(bo_error_message(), "start"),
                  "%s", bo_error_message());
    ck_assert_ptr_null(b);
    const char *unknown = "book: {name: P, base_currency: USD}\naccounts:\n"
                          "  - {code: \"1000\", name: Cash, type: asset}\n"
                          "people:\n  rosters: []\n";
    rc = bo_book_create_from_yaml_string(&b, unknown, strlen(unknown), uri, &o);
    bo_assert_err(rc, BO_ECONFIG);
    ck_assert_msg(strstr(bo_error_message(), ":5:") && strstr(bo_error_message(), "rosters"),
                  "%s", bo_error_message());
    free(uri);
}
END_TEST

/* Every call of the domain, by every role: allowed only with its permission. */
START_TEST(test_access_matrix)
{
    bo_book *b = people_book("ppl_access");
    bo_assert_ok(bo_people_leave_policy_add(b, "ANNUAL", BO_PEOPLE_ACCRUE_YEARLY, 1200, 0, -1, 0));
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "ANNUAL", D("2026-01-01")));
    bo_assert_ok(bo_role_define(b, "reader", "people.read"));
    bo_assert_ok(bo_role_define(b, "writer", "people.write"));
    bo_assert_ok(bo_role_define(b, "approver", "people.approve payroll.write"));
    bo_assert_ok(bo_role_define(b, "admin", "people.admin"));
    bo_assert_ok(bo_role_define(b, "cashier", "ledger.read sales.post payroll.read"));
    const char *actors[] = { "reader", "writer", "approver", "admin", "cashier", "nobody" };
    const char *roles[] = { "reader", "writer", "approver", "admin", "cashier", NULL };
    for (int a = 0; a < 6; a++)
        if (roles[a])
            bo_assert_ok(bo_role_grant(b, actors[a], roles[a]));
    /* call k needs need[k] */
    enum { R, W, A, M };
    const int need[] = { M, R, M, M, R, R, W, W, A, R, W, A, R, A, M, M, W, A, M, R, R };
    const int ncalls = (int)(sizeof need / sizeof need[0]);
    for (int a = 0; a < 6; a++) {
        bo_assert_ok(bo_book_set_actor(b, actors[a]));
        for (int k = 0; k < ncalls; k++) {
            bo_cursor *c = NULL;
            int64_t v = 0, e = 0;
            int rule = 0, rc = 0;
            char code[32], key[32];
            snprintf(code, sizeof code, "T%d_%d", a, k);
            snprintf(key, sizeof key, "acc-%d-%d", a, k);
            bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
            o.start = "09:00";
            o.end = "10:00";
            bo_date day = D("2026-06-01") + a * 40 + k;
            switch (k) {
            case 0: rc = bo_people_shift_type_add(b, code, &o); break;
            case 1: rc = bo_people_shift_types(b, &c); break;
            case 2: rc = bo_people_limit_set(b, "rest", 0); break;
            case 3: rc = bo_people_holiday_add(b, code, day, "x", 0); break;
            case 4: rc = bo_people_holidays(b, "default", day, day, &c); break;
            case 5: rc = bo_people_shift_check(b, "E1", day, "DAY", "S1", &rule); break;
            case 6: rc = bo_people_shift_assign(b, "E1", day, "DAY", "S1", "clerk", NULL); break;
            case 7: rc = bo_people_shift_repeat(b, "E2", "DAY", "S1", "clerk", day, day, 0x7f, 1,
                                                NULL); break;
            case 8: rc = bo_people_roster_publish(b, "S1", day, day, NULL); break;
            case 9: rc = bo_people_shifts(b, NULL, day, day, &c); break;
            case 10: rc = bo_people_punch(b, "E1", "2026-06-01T09:00", 0, key, NULL); break;
            case 11: rc = bo_people_attendance_run(b, day, day, "2026-01-01T00:00", NULL); break;
            case 12: rc = bo_people_attendance(b, NULL, day, day, &c); break;
            case 13: rc = bo_people_attendance_post(b, day, day, NULL); break;
            case 14: rc = bo_people_leave_policy_add(b, code, 1, 100, 0, -1, 0); break;
            case 15: rc = bo_people_leave_entitle(b, "E2", "ANNUAL", D("2026-01-01") + a); break;
            case 16: rc = bo_people_leave_request(b, "E1", "ANNUAL", day, day, 1, NULL, &v); break;
            case 17: rc = bo_people_leave_decide(b, 999999, 1); break;
            case 18: rc = bo_people_leave_collective(b, "ANNUAL", day, 10); break;
            case 19: rc = bo_people_leave_balance(b, "E1", "ANNUAL", day, &v, &e); break;
            case 20: rc = bo_people_leave_requests(b, NULL, &c); break;
            }
            bo_cursor_free(c);
            int allowed = (need[k] == R && a == 0) || (need[k] == W && a == 1) ||
                          (need[k] == A && a == 2) || (need[k] == M && a == 3);
            if (allowed) {
                /* allowed: anything but a refusal (E2's entitlement exists
                 * after the first; request 999999 does not exist) */
                ck_assert_msg(rc != BO_EDENIED, "%s call %d: %s", actors[a], k, bo_error_message());
            } else {
                ck_assert_msg(rc == BO_EDENIED, "%s call %d: rc %d %s", actors[a], k, rc,
                              bo_error_message());
                ck_assert_ptr_null(strstr(bo_error_message(), "Ayu"));
            }
        }
    }
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

START_TEST(test_bad_input_changes_nothing)
{
    bo_book *b = people_book("ppl_bad");
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = "9:00";
    o.end = "17:00";
    bo_assert_err(bo_people_shift_type_add(b, "BAD", &o), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "start") != NULL, "%s", bo_error_message());
    o.start = "09:00";
    o.break_minutes = 600;
    bo_assert_err(bo_people_shift_type_add(b, "BAD", &o), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "break_minutes") != NULL, "%s", bo_error_message());
    o.break_minutes = 0;
    o.punch_mode = 9;
    bo_assert_err(bo_people_shift_type_add(b, "BAD", &o), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "punch_mode") != NULL, "%s", bo_error_message());
    o.punch_mode = 1;
    o.version = 99;
    bo_assert_err(bo_people_shift_type_add(b, "BAD", &o), BO_EINVAL);
    bo_assert_err(bo_people_shift_type_add(b, "DAY", &(bo_people_shift_options)
                                           BO_PEOPLE_SHIFT_OPTIONS_INIT), BO_EINVAL);
    o.version = BO_PEOPLE_SHIFT_OPTIONS_VERSION;
    bo_assert_err(bo_people_shift_type_add(b, "DAY", &o), BO_EEXISTS);
    bo_assert_err(bo_people_shift_type_add(b, "has space", &o), BO_EINVAL);
    bo_cursor *c;
    bo_assert_ok(bo_people_shift_types(b, &c));
    ck_assert_int_eq(count_rows(c), 7);
    bo_assert_err(bo_people_shift_assign(b, "NOPE", D("2026-03-02"), "DAY", "S1", "x", NULL),
                  BO_ENOTFOUND);
    bo_assert_err(bo_people_shift_assign(b, "E1", D("2026-03-02"), "NOPE", "S1", "x", NULL),
                  BO_ENOTFOUND);
    ck_assert_msg(strstr(bo_error_message(), "shift") != NULL, "%s", bo_error_message());
    bo_assert_err(bo_people_shift_repeat(b, "E1", "DAY", "S1", "x", D("2026-03-02"),
                                         D("2026-03-09"), 0, 1, NULL), BO_EINVAL);
    bo_assert_err(bo_people_shift_repeat(b, "E1", "DAY", "S1", "x", D("2026-03-02"),
                                         D("2028-03-09"), 1, 1, NULL), BO_ELIMIT);
    ck_assert_int_eq(shifts_count(b), 0);
    bo_assert_err(bo_people_punch(b, "E1", "2026-03-02T09:00", 0, NULL, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "key") != NULL, "%s", bo_error_message());
    bo_assert_err(bo_people_punch(b, "E1", "2026-03-02 9:00", 0, "k1", NULL), BO_EINVAL);
    bo_assert_err(bo_people_punch(b, "E1", "2026-03-02T09:00", 7, "k1", NULL), BO_EINVAL);
    int64_t p1, p2;
    bo_assert_ok(bo_people_punch(b, "E1", "2026-03-02T09:00", 1, "k1", &p1));
    bo_assert_ok(bo_people_punch(b, "E1", "2026-03-02T09:00", 1, "k1", &p2));
    ck_assert_int_eq(p1, p2);
    bo_assert_err(bo_people_punch(b, "E1", "2026-03-02T09:01", 1, "k1", &p2), BO_EKEYREUSE);
    bo_assert_err(bo_people_limit_set(b, "week", 10), BO_EINVAL);
    bo_assert_err(bo_people_limit_set(b, "rest", -1), BO_EINVAL);
    bo_assert_err(bo_people_holiday_add(b, "default", D("2026-01-01"), "X", 8), BO_EINVAL);
    bo_assert_ok(bo_people_holiday_add(b, "default", D("2026-01-01"), "New Year", 0));
    bo_assert_err(bo_people_holiday_add(b, "default", D("2026-01-01"), "Again", 0), BO_EEXISTS);
    bo_assert_err(bo_people_leave_policy_add(b, "P", 4, 100, 0, -1, 0), BO_EINVAL);
    bo_assert_err(bo_people_leave_policy_add(b, "P", 1, -1, 0, -1, 0), BO_EINVAL);
    bo_assert_err(bo_people_leave_policy_add(b, "P", 1, 100, 0, -2, 0), BO_EINVAL);
    bo_assert_err(bo_people_leave_policy_add(b, "P", 1, 100, 0, -1, 13), BO_EINVAL);
    bo_assert_err(bo_people_leave_entitle(b, "E1", "P", D("2026-01-01")), BO_ENOTFOUND);
    bo_assert_ok(bo_people_leave_policy_add(b, "P", 1, 100, 0, -1, 0));
    bo_assert_err(bo_people_leave_request(b, "E1", "P", D("2026-03-02"), D("2026-03-02"), 0,
                                          NULL, NULL), BO_ENOTFOUND);
    bo_assert_ok(bo_people_leave_entitle(b, "E1", "P", D("2026-01-01")));
    bo_assert_err(bo_people_leave_entitle(b, "E1", "P", D("2026-01-01")), BO_EEXISTS);
    bo_assert_err(bo_people_leave_request(b, "E1", "P", D("2026-03-02"), D("2026-03-03"), 1,
                                          NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_people_leave_request(b, "E1", "P", D("2026-03-03"), D("2026-03-02"), 0,
                                          NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_people_leave_request(b, "E1", "P", D("2026-01-01"), D("2026-01-01"), 0,
                                          NULL, NULL), BO_EINVAL); /* only a holiday */
    bo_assert_err(bo_people_leave_collective(b, "P", D("2026-03-02"), 0), BO_EINVAL);
    bo_assert_err(bo_people_leave_decide(b, 12345, 1), BO_ENOTFOUND);
    bo_assert_ok(bo_people_leave_requests(b, NULL, &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_assert_err(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-01"), NULL, NULL),
                  BO_EINVAL);
    bo_assert_err(bo_people_attendance_run(b, D("2026-03-02"), D("2026-03-03"), "later", NULL),
                  BO_EINVAL);
    bo_assert_err(bo_people_shift_options_init(&o, 2), BO_EINVAL);
    bo_assert_ok(bo_people_shift_options_init(&o, BO_PEOPLE_SHIFT_OPTIONS_VERSION));
    ck_assert_int_eq(o.checkout_after, 240);
    verify_clean(b);
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("people");
    TCase *tc = tcase_create("people");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_night_shift_then_day_shift);
    tcase_add_test(tc, test_attendance_statuses);
    tcase_add_test(tc, test_overtime_to_payroll);
    tcase_add_test(tc, test_overtime_paid_by_pay_run);
    tcase_add_test(tc, test_rules_on_assignment);
    tcase_add_test(tc, test_roster_repeat_and_publish);
    tcase_add_test(tc, test_leave_expired_carry_is_zero);
    tcase_add_test(tc, test_leave_cap_and_carry);
    tcase_add_test(tc, test_leave_accruals);
    tcase_add_test(tc, test_yaml_section);
    tcase_add_test(tc, test_access_matrix);
    tcase_add_test(tc, test_bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
