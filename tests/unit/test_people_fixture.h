/* What the people suites share: dates from text, counting a listing's rows,
 * the full audit verify, a shift type, the roster's shifts counted, and a
 * book with payroll's employees E1 (Ayu), E2 (Budi) and E3 (Citra), all
 * started 2020-01-01. */
#ifndef BO_TEST_PEOPLE_FIXTURE_H
#define BO_TEST_PEOPLE_FIXTURE_H

#include "testutil.h"

#include <string.h>

static inline bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

/* The rows of cursor c, which it frees; the cursor must end cleanly. */
static inline int64_t count_rows(bo_cursor *c)
{
    int64_t n = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_msg(rc == BO_ITEROVER, "rc %d: %s", rc, bo_error_message());
    bo_cursor_free(c);
    return n;
}

static inline void verify_clean(bo_book *b)
{
    int64_t bad = -1;
    int rc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(rc == 0, "verify: %s", bo_error_message());
}

/* Shift type code from start to end ("HH:MM"), with an unpaid break and
 * the same grace for a late arrival and an early exit, in minutes. */
static inline void shift_type_add(bo_book *b, const char *code, const char *start,
                                  const char *end, int brk, int grace)
{
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    o.start = start;
    o.end = end;
    o.break_minutes = brk;
    o.grace_late = grace;
    o.grace_early = grace;
    bo_assert_ok(bo_people_shift_type_add(b, code, &o));
}

/* The shifts of 2026 at every location. */
static inline int64_t shifts_count(bo_book *b)
{
    bo_cursor *c;
    bo_assert_ok(bo_people_shifts(b, NULL, D("2026-01-01"), D("2026-12-31"), &c));
    return count_rows(c);
}

/* A test book with the employees E1, E2 and E3. */
static inline bo_book *staff_book(const char *stem)
{
    bo_book *b = bo_test_book(stem);
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    bo_assert_ok(bo_payroll_employee_add(b, "E2", "Budi", D("2020-01-01")));
    bo_assert_ok(bo_payroll_employee_add(b, "E3", "Citra", D("2020-01-01")));
    return b;
}

#endif
