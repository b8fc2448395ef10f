/* The YAML section "people": limits, shift types, holiday calendars and
 * leave policies, each applied through the public calls so every check
 * and audit record is theirs; errors name FILE:LINE:COLUMN.
 *
 *   people:
 *     limits: {week_hours: 2400, overtime_day: 240, overtime_week: 1080}
 *     shift_types:
 *       - {code: NIGHT, start: "18:00", end: "07:00", break: 60}
 *     holidays:
 *       - {calendar: default, date: 2026-01-01, name: New Year}
 *     leave_policies:
 *       - {code: ANNUAL, accrual: yearly, days: 12, cap: 24, carry_max: 6,
 *          carry_months: 3}
 */
#include "people/people.h"

#include <stdio.h>
#include <string.h>

static int limits(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "week_hours", "day_hours", "overtime_day",
                                        "overtime_week", "rest" };
    const bo__cfg_node *v[5];
    int rc = bo__cfg_kind(d, node, BO__CFG_MAP, "people.limits");
    if (rc || (rc = bo__cfg_fields(d, node, "people.limits", keys, v, 5)))
        return rc;
    for (int i = 0; i < 5 && !rc; i++) {
        int minutes;
        if (!v[i])
            continue;
        if (!(rc = bo__cfg_int(d, v[i], keys[i], 0, 7 * 1440, &minutes)) &&
            (rc = bo_people_limit_set(b, keys[i], minutes)))
            rc = bo__cfg_apply_error(d, v[i], rc);
    }
    return rc;
}

/* An optional integer: dflt when absent. */
static int opt_int(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field, int min,
                   int max, int dflt, int *out)
{
    *out = dflt;
    return v ? bo__cfg_int(d, v, field, min, max, out) : 0;
}

static int pick(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                const char *const *names, int n, int dflt, int *out)
{
    const char *t;
    *out = dflt;
    if (!v)
        return 0;
    int rc = bo__cfg_text(d, v, field, &t);
    if (rc)
        return rc;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], t) == 0) {
            *out = i + 1;
            return 0;
        }
    return bo__cfg_checked(d, v, bo__error_set(BO_EINVAL, "%s: unknown value", field));
}

static int shift_types(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "code", "start", "end", "break", "grace_late",
                                        "grace_early", "checkin_before", "checkout_after",
                                        "half_day", "absent", "punch_mode" };
    static const char *const modes[] = { "first_last", "direction", "alternating" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.shift_types");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[11];
        char where[48];
        snprintf(where, sizeof where, "people.shift_types[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 11)))
            return rc;
        for (int k = 0; k < 3; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code;
        bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (rc = bo__cfg_text(d, v[1], "start", &o.start)) ||
            (rc = bo__cfg_text(d, v[2], "end", &o.end)) ||
            (rc = opt_int(d, v[3], "break", 0, 1440, 0, &o.break_minutes)) ||
            (rc = opt_int(d, v[4], "grace_late", 0, 1440, 0, &o.grace_late)) ||
            (rc = opt_int(d, v[5], "grace_early", 0, 1440, 0, &o.grace_early)) ||
            (rc = opt_int(d, v[6], "checkin_before", 0, 720, 120, &o.checkin_before)) ||
            (rc = opt_int(d, v[7], "checkout_after", 0, 720, 240, &o.checkout_after)) ||
            (rc = opt_int(d, v[8], "half_day", 0, 1440, 0, &o.half_day_minutes)) ||
            (rc = opt_int(d, v[9], "absent", 0, 1440, 0, &o.absent_minutes)) ||
            (rc = pick(d, v[10], "punch_mode", modes, 3, 1, &o.punch_mode)))
            return rc;
        if ((rc = bo_people_shift_type_add(b, code, &o)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int holidays(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "calendar", "date", "name", "kind", "status",
                                        "collective" };
    static const char *const kinds[] = { "full", "half" };
    static const char *const states[] = { "confirmed", "estimated" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.holidays");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[6];
        char where[48];
        snprintf(where, sizeof where, "people.holidays[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 6)))
            return rc;
        for (int k = 1; k < 3; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *cal = "default", *date, *name;
        int kind, status, coll;
        bo_date day;
        if ((v[0] && (rc = bo__cfg_text(d, v[0], "calendar", &cal))) ||
            (rc = bo__cfg_text(d, v[1], "date", &date)) ||
            (rc = bo__cfg_text(d, v[2], "name", &name)) ||
            (rc = pick(d, v[3], "kind", kinds, 2, 1, &kind)) ||
            (rc = pick(d, v[4], "status", states, 2, 1, &status)) ||
            (rc = opt_int(d, v[5], "collective", 0, 1, 0, &coll)))
            return rc;
        if (bo_date_parse(date, &day))
            return bo__cfg_checked(d, v[1], bo__error_set(BO_EINVAL, "date: expected YYYY-MM-DD"));
        int flags = (kind == 2 ? BO_PEOPLE_HOLIDAY_HALF : 0) |
                    (status == 2 ? BO_PEOPLE_HOLIDAY_ESTIMATED : 0) |
                    (coll ? BO_PEOPLE_HOLIDAY_COLLECTIVE : 0);
        if ((rc = bo_people_holiday_add(b, cal, day, name, flags)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int leave_policies(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "code", "accrual", "days", "cap", "carry_max",
                                        "carry_months" };
    static const char *const accruals[] = { "yearly", "monthly", "anniversary" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.leave_policies");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[6];
        char where[48];
        snprintf(where, sizeof where, "people.leave_policies[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 6)))
            return rc;
        for (int k = 0; k < 3; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code;
        int accrual, days, cap, carry, months;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (rc = pick(d, v[1], "accrual", accruals, 3, 1, &accrual)) ||
            (rc = bo__cfg_int(d, v[2], "days", 0, 366, &days)) ||
            (rc = opt_int(d, v[3], "cap", 0, 3660, 0, &cap)) ||
            (rc = opt_int(d, v[4], "carry_max", -1, 3660, -1, &carry)) ||
            (rc = opt_int(d, v[5], "carry_months", 0, 12, 0, &months)))
            return rc;
        if ((rc = bo_people_leave_policy_add(b, code, accrual, (int64_t)days * BO_PEOPLE_DAY,
                                             (int64_t)cap * BO_PEOPLE_DAY,
                                             carry < 0 ? -1 : (int64_t)carry * BO_PEOPLE_DAY,
                                             months)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

int bo__cfg_section_people(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "limits", "shift_types", "holidays",
                                        "leave_policies" };
    const bo__cfg_node *v[4];
    int rc = bo__cfg_kind(d, node, BO__CFG_MAP, "people");
    if (rc || (rc = bo__cfg_fields(d, node, "people", keys, v, 4)))
        return rc;
    if (v[0] && (rc = limits(b, d, v[0])))
        return rc;
    if (v[1] && (rc = shift_types(b, d, v[1])))
        return rc;
    if (v[2] && (rc = holidays(b, d, v[2])))
        return rc;
    if (v[3] && (rc = leave_policies(b, d, v[3])))
        return rc;
    return 0;
}
