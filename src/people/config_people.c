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
 *     stages: [{code: screen, name: Screening}, {code: interview}]
 *     applicant_retention_days: 180
 *     headcount:
 *       - {location: S1, role: cashier, from: "08:00", until: "18:00",
 *          minimum: 2, weekdays: 31}
 *     review_cycles:
 *       - {code: H1, name: First half, from: 2026-01-01, to: 2026-06-30,
 *          criteria: [{code: service, weight: 2}, {code: speed}]}
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

/* stages: [{code, name, position}] */
static int stages(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "code", "name", "position" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.stages");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[3];
        char where[48];
        snprintf(where, sizeof where, "people.stages[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 3)))
            return rc;
        if (!v[0])
            return bo__cfg_missing(d, item, where, keys[0]);
        const char *code, *name;
        int pos;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)))
            return rc;
        name = code;
        if ((v[1] && (rc = bo__cfg_text(d, v[1], "name", &name))) ||
            (rc = opt_int(d, v[2], "position", 0, 1000, (int)(i + 1) * 10, &pos)))
            return rc;
        if ((rc = bo_people_stage_set(b, code, name, pos)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

/* headcount: [{location, role, from, until, minimum, weekdays}] */
static int headcounts(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "location", "role", "from", "until", "minimum",
                                        "weekdays" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.headcount");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[6];
        char where[48];
        snprintf(where, sizeof where, "people.headcount[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 6)))
            return rc;
        for (int k = 0; k < 5; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *loc, *role, *from, *until;
        int min, days;
        if ((rc = bo__cfg_text(d, v[0], "location", &loc)) ||
            (rc = bo__cfg_text(d, v[1], "role", &role)) ||
            (rc = bo__cfg_text(d, v[2], "from", &from)) ||
            (rc = bo__cfg_text(d, v[3], "until", &until)) ||
            (rc = bo__cfg_int(d, v[4], "minimum", 0, 10000, &min)) ||
            (rc = opt_int(d, v[5], "weekdays", 1, 127, 127, &days)))
            return rc;
        if ((rc = bo_people_headcount_set(b, loc, role, days, from, until, min)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

/* review_cycles: [{code, name, from, to, criteria: [{code, name, weight}]}] */
static int review_cycles(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "code", "name", "from", "to", "criteria" };
    static const char *const ckeys[] = { "code", "name", "weight" };
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "people.review_cycles");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[5];
        char where[64];
        snprintf(where, sizeof where, "people.review_cycles[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 5)))
            return rc;
        for (int k = 0; k < 4; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code, *name, *from, *to;
        bo_date f, t;
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (rc = bo__cfg_text(d, v[1], "name", &name)) ||
            (rc = bo__cfg_text(d, v[2], "from", &from)) ||
            (rc = bo__cfg_text(d, v[3], "to", &to)))
            return rc;
        if (bo_date_parse(from, &f))
            return bo__cfg_checked(d, v[2], bo__error_set(BO_EINVAL, "from: expected YYYY-MM-DD"));
        if (bo_date_parse(to, &t))
            return bo__cfg_checked(d, v[3], bo__error_set(BO_EINVAL, "to: expected YYYY-MM-DD"));
        if ((rc = bo_people_review_cycle_add(b, code, name, f, t)))
            return bo__cfg_apply_error(d, item, rc);
        if (!v[4])
            continue;
        if ((rc = bo__cfg_kind(d, v[4], BO__CFG_SEQ, "criteria")))
            return rc;
        for (uint32_t k = 0; !rc && k < v[4]->n; k++) {
            const bo__cfg_node *c = bo__cfg_node_at(d, v[4]->kids[k]), *w[3];
            char cw[96];
            snprintf(cw, sizeof cw, "%s.criteria[%u]", where, (unsigned)k);
            if ((rc = bo__cfg_kind(d, c, BO__CFG_MAP, cw)) ||
                (rc = bo__cfg_fields(d, c, cw, ckeys, w, 3)))
                return rc;
            if (!w[0])
                return bo__cfg_missing(d, c, cw, ckeys[0]);
            const char *cc, *cn;
            int weight;
            if ((rc = bo__cfg_text(d, w[0], "code", &cc)))
                return rc;
            cn = cc;
            if ((w[1] && (rc = bo__cfg_text(d, w[1], "name", &cn))) ||
                (rc = opt_int(d, w[2], "weight", 1, 10000, 1, &weight)))
                return rc;
            if ((rc = bo_people_review_criterion_add(b, code, cc, cn, weight)))
                rc = bo__cfg_apply_error(d, c, rc);
        }
    }
    return rc;
}

int bo__cfg_section_people(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "limits", "shift_types", "holidays",
                                        "leave_policies", "stages", "applicant_retention_days",
                                        "headcount", "review_cycles" };
    const bo__cfg_node *v[8];
    int rc = bo__cfg_kind(d, node, BO__CFG_MAP, "people");
    if (rc || (rc = bo__cfg_fields(d, node, "people", keys, v, 8)))
        return rc;
    if (v[0] && (rc = limits(b, d, v[0])))
        return rc;
    if (v[1] && (rc = shift_types(b, d, v[1])))
        return rc;
    if (v[2] && (rc = holidays(b, d, v[2])))
        return rc;
    if (v[3] && (rc = leave_policies(b, d, v[3])))
        return rc;
    if (v[4] && (rc = stages(b, d, v[4])))
        return rc;
    if (v[5]) {
        int days;
        if ((rc = bo__cfg_int(d, v[5], "applicant_retention_days", 1, 3660, &days)))
            return rc;
        if ((rc = bo_people_applicant_retention_set(b, days)))
            return bo__cfg_apply_error(d, v[5], rc);
    }
    if (v[6] && (rc = headcounts(b, d, v[6])))
        return rc;
    if (v[7] && (rc = review_cycles(b, d, v[7])))
        return rc;
    return 0;
}
