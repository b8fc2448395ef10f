/*
 * The demo's people chapter, the week of 4 May 2026: shift types, a
 * week's roster for the shop's two stores (MAIN and MALL), published; a
 * night shift at MAIN whose check-out the next morning belongs to it; a
 * late arrival at MALL; attendance worked out and fed to payroll's hours;
 * a leave request approved and the balance after it. Checked: the night
 * shift is present with its check-out on its own day, nobody is absent,
 * the late arrival is late by its minutes, the balance is what the policy
 * gives less the days taken, and a shift on the leave day is refused.
 * Then an applicant, with her consent, moves to an interview and is hired:
 * payroll's employee is made in the same transaction.
 */
#include "demo_parts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int fails;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "people: %s: %s\n", what, bo_error_message());
        fails++;
    }
    return rc;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        fprintf(stderr, "people: %s is %" PRId64 ", expected %" PRId64 "\n", what, got, want);
        fails++;
    }
}

static bo_date day(int m, int d)
{
    bo_date x = 0;
    bo_date_from_ymd(2026, m, d, &x);
    return x;
}

static void shift_type(bo_book *b, const char *code, const char *start, const char *end,
                       int brk)
{
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = start;
    o.end = end;
    o.break_minutes = brk;
    o.grace_late = 5;
    ok(bo_people_shift_type_add(b, code, &o), code);
}

static void punch(bo_book *b, const char *number, const char *at, const char *key)
{
    ok(bo_people_punch(b, number, at, BO_PEOPLE_PUNCH_ANY, key, NULL), key);
}

int demo_people(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    printf("\n== People: a week's roster, a night shift, a late arrival, leave ==\n");
    ok(bo_people_limit_set(b, "week_hours", 2400), "week_hours");
    ok(bo_people_limit_set(b, "overtime_week", 1080), "overtime_week");
    ok(bo_people_limit_set(b, "rest", 600), "rest");
    shift_type(b, "OPEN", "08:00", "16:00", 30);
    shift_type(b, "LATE", "13:00", "21:00", 30);
    shift_type(b, "NIGHT", "21:00", "07:00", 60);
    int64_t n = 0;
    /* Maria opens MAIN Monday to Friday, Jo takes MALL's late shift;
     * Lee counts stock at MAIN on Wednesday night, then works Friday. */
    ok(bo_people_shift_repeat(b, "E-01", "OPEN", "MAIN", "manager", day(5, 4), day(5, 10), 0x1f,
                              1, &n), "MAIN roster");
    expect("MAIN shifts", n, 5);
    ok(bo_people_shift_repeat(b, "E-03", "LATE", "MALL", "cashier", day(5, 4), day(5, 10), 0x1f,
                              1, &n), "MALL roster");
    ok(bo_people_shift_assign(b, "E-04", day(5, 6), "NIGHT", "MAIN", "stock", NULL), "night");
    ok(bo_people_shift_assign(b, "E-04", day(5, 8), "OPEN", "MAIN", "cashier", NULL), "Friday");
    int64_t pub = 0, pub2 = 0;
    ok(bo_people_roster_publish(b, "MAIN", day(5, 4), day(5, 10), &pub), "publish MAIN");
    ok(bo_people_roster_publish(b, "MALL", day(5, 4), day(5, 10), &pub2), "publish MALL");
    printf("roster published: %" PRId64 " shifts at MAIN, %" PRId64 " at MALL\n", pub, pub2);
    /* Wednesday: Jo is 20 minutes late at MALL; Lee's night at MAIN ends
     * Thursday 07:04. */
    punch(b, "E-03", "2026-05-06T13:20", "demo-p1");
    punch(b, "E-03", "2026-05-06T21:00", "demo-p2");
    punch(b, "E-04", "2026-05-06T20:55", "demo-p3");
    punch(b, "E-04", "2026-05-07T07:04", "demo-p4");
    punch(b, "E-01", "2026-05-06T07:58", "demo-p5");
    punch(b, "E-01", "2026-05-06T16:01", "demo-p6");
    int64_t results = 0;
    ok(bo_people_attendance_run(b, day(5, 6), day(5, 6), "2026-05-08T00:00", &results),
       "attendance");
    bo_cursor *c = NULL;
    int absent = 0;
    if (!ok(bo_people_attendance(b, NULL, day(5, 6), day(5, 6), &c), "attendance list")) {
        printf("attendance on Wednesday 6 May:\n");
        while (bo_cursor_next(c) == 0) {
            const char *who = bo_cursor_text(c, 2), *status = bo_cursor_text(c, 3);
            printf("  %-5s %-8s worked %3" PRId64 " min, late %2" PRId64 ", overtime %"
                   PRId64 "+%" PRId64 "\n", who, status, bo_cursor_int(c, 6),
                   bo_cursor_int(c, 8), bo_cursor_int(c, 10), bo_cursor_int(c, 11));
            absent += strcmp(status, "absent") == 0;
            if (!strcmp(who, "E-03")) {
                expect("Jo's status late", strcmp(status, "late") == 0, 1);
                expect("Jo's minutes late", bo_cursor_int(c, 8), 20);
            }
            if (!strcmp(who, "E-04")) {
                expect("the night shift present", strcmp(status, "present") == 0, 1);
                expect("the night's worked minutes", bo_cursor_int(c, 6), 609 - 60);
            }
        }
        bo_cursor_free(c);
    }
    expect("results", results, 3);
    expect("absent", absent, 0);
    int64_t posted = 0;
    ok(bo_people_attendance_post(b, day(5, 6), day(5, 6), &posted), "post to payroll");
    printf("fed to payroll's hours: %" PRId64 " results\n", posted);
    /* Leave: 12 days a year; Maria takes Monday and Tuesday of next week. */
    ok(bo_people_leave_policy_add(b, "ANNUAL", BO_PEOPLE_ACCRUE_YEARLY, 12 * BO_PEOPLE_DAY,
                                  24 * BO_PEOPLE_DAY, 6 * BO_PEOPLE_DAY, 3), "policy");
    ok(bo_people_leave_entitle(b, "E-01", "ANNUAL", day(1, 1)), "entitle");
    int64_t req = 0, left = 0;
    ok(bo_people_leave_request(b, "E-01", "ANNUAL", day(5, 11), day(5, 12), 0, "demo-leave",
                               &req), "request");
    ok(bo_people_leave_decide(b, req, 1), "approve");
    ok(bo_people_leave_balance(b, "E-01", "ANNUAL", day(5, 31), &left, NULL), "balance");
    expect("leave left", left, 10 * BO_PEOPLE_DAY);
    printf("leave approved: 11-12 May; %" PRId64 ".%02" PRId64 " days left this year\n",
           left / 100, left % 100);
    int rule = -1;
    ok(bo_people_shift_check(b, "E-01", day(5, 11), "OPEN", "MAIN", &rule), "check");
    expect("a shift on a leave day refused", rule, BO_PEOPLE_RULE_LEAVE);

    /* Recruitment: a cashier for MALL, hired; the employee is payroll's. */
    ok(bo_people_stage_set(b, "screen", "Screening", 10), "stage");
    ok(bo_people_stage_set(b, "interview", "Interview", 20), "stage");
    ok(bo_people_opening_add(b, "MALL-CASHIER", "Cashier, mall store", "MALL", "cashier",
                             day(5, 1)), "opening");
    bo_people_applicant_options ao = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    ao.name = "Putu Ayu";
    ao.email = "putu.ayu@example.org";
    ao.consent = "My data may be kept for this application and 180 days after it.";
    ao.applied = day(5, 2);
    ao.key = "demo-application-1";
    int64_t app = 0;
    ok(bo_people_applicant_add(b, "MALL-CASHIER", &ao, &app), "application");
    ok(bo_people_applicant_move(b, app, "interview", day(5, 5)), "interview");
    ok(bo_people_applicant_hire(b, app, "E-10", day(5, 18)), "hire");
    bo_cursor *emp = NULL;
    int hired = 0;
    if (ok(bo_payroll_employee_get(b, "E-10", &emp), "hired employee") == 0 &&
        bo_cursor_next(emp) == 0)
        hired = 1;
    bo_cursor_free(emp);
    expect("the applicant is payroll's employee", hired, 1);
    printf("applicant hired: %s as E-10 from 18 May (consent recorded, stages kept)\n",
           ao.name);
    return fails;
}
