/* What the audit chain covers in the people tables (see src/core/verify.h):
 * shift types and leave policies by code, holiday calendars by name, each
 * shift with its attendance result, punches, and each employee's leave
 * account (entitlements, requests, ledger). */
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

static const bo__vkind kinds[] = {
    { "shift_type", 1, type_parts, BO__VN(type_parts) },
    { "holiday_calendar", 1, calendar_parts, BO__VN(calendar_parts) },
    { "leave_policy", 1, policy_parts, BO__VN(policy_parts) },
    { "shift", 0, shift_parts, BO__VN(shift_parts) },
    { "punch", 0, punch_parts, BO__VN(punch_parts) },
    { "leave_account", 0, account_parts, BO__VN(account_parts) },
};

static const bo__vaction actions[] = {
    { "people.shift_type.add", "shift_type", "shift_type:", NULL },
    { "people.holiday.add", "holiday_calendar", "calendar:", NULL },
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
};

const bo__vdomain bo__verify_people = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};
