/* What the audit chain covers in the people tables (see src/core/verify.h):
 * shift types and leave policies by code, holiday calendars by name, each
 * shift with its attendance result, punches, and each employee's leave
 * account (entitlements, requests, ledger); recruitment stages and
 * openings by code, each applicant with its stage history, review cycles
 * with their criteria, each review with its scores. */
#include "people/people.h"

#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart type_parts[] = { P("people_shift_types", "t.code", "code") };
static const bo__vpart calendar_parts[] = { P("people_holidays", "t.calendar", "date") };
static const bo__vpart policy_parts[] = {
    P("people_leave_policies", "t.code", "code"),
    P("people_leave_collective", "t.policy", "date, id"),
};
static const bo__vpart shift_parts[] = {
    P("people_shifts", "t.id", "id"),
    P("people_attendance", "t.shift_id", "shift_id"),
};
static const bo__vpart punch_parts[] = { P("people_punches", "t.id", "id") };
static const bo__vpart account_parts[] = {
    P("people_leave_entitlements", "t.employee_id", "policy, id"),
    P("people_leave_requests", "t.employee_id", "id"),
    P("people_leave_ledger", "t.employee_id", "id"),
};

static const bo__vpart stage_parts[] = { P("people_stages", "t.code", "code") };
static const bo__vpart opening_parts[] = { P("people_openings", "t.code", "code") };
static const bo__vpart applicant_parts[] = {
    P("people_applicants", "t.id", "id"),
    P("people_applicant_moves", "t.applicant_id", "id"),
};
static const bo__vpart cycle_parts[] = {
    P("people_review_cycles", "t.code", "code"),
    P("people_review_criteria", "t.cycle", "code"),
};
static const bo__vpart review_parts[] = {
    P("people_reviews", "t.id", "id"),
    P("people_review_scores", "t.review_id", "criterion"),
};

static const bo__vpart unav_parts[] = { P("people_unavailability", "t.id", "id") };
static const bo__vpart headcount_parts[] = {
    P("people_headcount", "t.location", "role, weekdays, from_min"),
};
static const bo__vpart open_parts[] = { P("people_open_shifts", "t.id", "id") };
static const bo__vpart swap_parts[] = { P("people_swaps", "t.id", "id") };
/* The key of a roster command (version 15), touched by the command. */
static const bo__vpart key_parts[] = { P("people_keys", "t.idem_key", "idem_key") };

static const bo__vkind kinds[] = {
    { "shift_type", 1, type_parts, BO__VN(type_parts) },
    { "holiday_calendar", 1, calendar_parts, BO__VN(calendar_parts) },
    { "leave_policy", 1, policy_parts, BO__VN(policy_parts) },
    { "shift", 0, shift_parts, BO__VN(shift_parts) },
    { "punch", 0, punch_parts, BO__VN(punch_parts) },
    { "leave_account", 0, account_parts, BO__VN(account_parts) },
    { "stage", 1, stage_parts, BO__VN(stage_parts) },
    { "opening", 1, opening_parts, BO__VN(opening_parts) },
    { "applicant", 0, applicant_parts, BO__VN(applicant_parts) },
    { "review_cycle", 1, cycle_parts, BO__VN(cycle_parts) },
    { "review", 0, review_parts, BO__VN(review_parts) },
    { "unavailability", 0, unav_parts, BO__VN(unav_parts) },
    { "headcount", 1, headcount_parts, BO__VN(headcount_parts) },
    { "open_shift", 0, open_parts, BO__VN(open_parts) },
    { "swap", 0, swap_parts, BO__VN(swap_parts) },
    { "people_key", 1, key_parts, BO__VN(key_parts) },
};

static const bo__vaction actions[] = {
    { "people.shift_type.add", "shift_type", "shift_type:", NULL },
    { "people.holiday.add", "holiday_calendar", "calendar:", NULL },
    { "people.holiday.import", "holiday_calendar", "calendar:", NULL },
    { "people.shift.assign", "shift", "shift:", NULL },
    /* Publishing and attendance touch each shift they change
     * (bo__audit_touch); their records name the location or the range. */
    { "people.roster.publish", NULL, NULL, NULL },
    { "people.attendance.run", NULL, NULL, NULL },
    { "people.attendance.post", NULL, NULL, NULL },
    { "people.punch.add", "punch", "punch:", NULL },
    { "people.leave_policy.add", "leave_policy", "leave_policy:", NULL },
    { "people.leave.collective", "leave_policy", "leave_policy:", NULL },
    { "people.leave.entitle", "leave_account", "employee:", NULL },
    { "people.leave.request", "leave_account", "employee:", NULL },
    { "people.leave.approve", "leave_account", "employee:", NULL },
    { "people.leave.reject", "leave_account", "employee:", NULL },
    /* A limit is a setting (the core's kind "setting"). */
    { "people.limit.set", NULL, NULL, NULL },
    { "people.stage.set", "stage", "stage:", NULL },
    { "people.opening.add", "opening", "opening:", NULL },
    { "people.opening.close", "opening", "opening:", NULL },
    { "people.applicant.add", "applicant", "applicant:", NULL },
    { "people.applicant.move", "applicant", "applicant:", NULL },
    { "people.applicant.close", "applicant", "applicant:", NULL },
    { "people.applicant.hire", "applicant", "applicant:", NULL },
    { "people.applicant.erase", "applicant", "applicant:", NULL },
    /* An export reads; the purge's records are its erasures; the
     * retention is a setting. */
    { "people.applicant.export", NULL, NULL, NULL },
    { "people.applicant.purge", NULL, NULL, NULL },
    { "people.applicant.retention_set", NULL, NULL, NULL },
    { "people.review_cycle.add", "review_cycle", "review_cycle:", NULL },
    { "people.review_cycle.criterion_add", "review_cycle", "review_cycle:", NULL },
    { "people.review.open", "review", "review:", NULL },
    { "people.review.score_self", "review", "review:", NULL },
    { "people.review.score_manager", "review", "review:", NULL },
    { "people.unavailability.add", "unavailability", "unavailability:", NULL },
    { "people.headcount.set", "headcount", "headcount:", NULL },
    { "people.open_shift.add", "open_shift", "open_shift:", NULL },
    /* A claim makes a shift: its own record "people.shift.assign". */
    { "people.open_shift.claim", "open_shift", "open_shift:", NULL },
    { "people.swap.propose", "swap", "swap:", NULL },
    { "people.swap.accept", "swap", "swap:", NULL },
    { "people.swap.decline", "swap", "swap:", NULL },
    { "people.swap.refuse", "swap", "swap:", NULL },
    /* An approval also moves the shift (bo__audit_touch). */
    { "people.swap.approve", "swap", "swap:", NULL },
};

const bo__vdomain bo__verify_people = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};
