/* The people tables (schema version 13, recruitment and reviews 14): shift types, shifts (the roster),
 * punches, attendance results, holiday calendars, leave policies,
 * entitlements, requests and the leave ledger. Employees are payroll's. */
#include "people/people.h"

static const char *const ddl_people[] = {
    "CREATE TABLE people_shift_types ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " start_min INTEGER NOT NULL,"
    " end_min INTEGER NOT NULL,"
    " break_minutes INTEGER NOT NULL,"
    " grace_late INTEGER NOT NULL,"
    " grace_early INTEGER NOT NULL,"
    " checkin_before INTEGER NOT NULL,"
    " checkout_after INTEGER NOT NULL,"
    " half_day_minutes INTEGER NOT NULL,"
    " absent_minutes INTEGER NOT NULL,"
    " punch_mode INTEGER NOT NULL)",

    /* start_at and end_at: minutes since 1970-01-01T00:00, local time. */
    "CREATE TABLE people_shifts ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " shift TEXT{TEXT_C} NOT NULL REFERENCES people_shift_types(code),"
    " location TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " start_at BIGINT NOT NULL,"
    " end_at BIGINT NOT NULL,"
    " published INTEGER NOT NULL)",
    "CREATE INDEX people_shifts_by_employee ON people_shifts (employee_id, start_at)",
    "CREATE INDEX people_shifts_by_date ON people_shifts (date, location)",

    "CREATE TABLE people_punches ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " at BIGINT NOT NULL,"
    " kind INTEGER NOT NULL,"
    " idem_key TEXT{TEXT_C} NOT NULL UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX people_punches_by_employee ON people_punches (employee_id, at)",

    "CREATE TABLE people_attendance ("
    " shift_id BIGINT PRIMARY KEY REFERENCES people_shifts(id),"
    " status TEXT{TEXT_C} NOT NULL,"
    " check_in BIGINT,"
    " check_out BIGINT,"
    " worked BIGINT NOT NULL,"
    " regular BIGINT NOT NULL,"
    " late BIGINT NOT NULL,"
    " early BIGINT NOT NULL,"
    " ot_before BIGINT NOT NULL,"
    " ot_after BIGINT NOT NULL,"
    " posted INTEGER NOT NULL)",

    "CREATE TABLE people_holidays ("
    " calendar TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " name TEXT{TEXT_C} NOT NULL,"
    " flags INTEGER NOT NULL,"
    " PRIMARY KEY (calendar, date))",

    "CREATE TABLE people_leave_policies ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " accrual INTEGER NOT NULL,"
    " days_per_year BIGINT NOT NULL,"
    " cap BIGINT NOT NULL,"
    " carry_max BIGINT NOT NULL,"
    " carry_months INTEGER NOT NULL)",

    "CREATE TABLE people_leave_collective ("
    " id {ID},"
    " policy TEXT{TEXT_C} NOT NULL REFERENCES people_leave_policies(code),"
    " date TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " UNIQUE (policy, date))",

    "CREATE TABLE people_leave_entitlements ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " policy TEXT{TEXT_C} NOT NULL REFERENCES people_leave_policies(code),"
    " from_date TEXT{TEXT_C} NOT NULL,"
    " UNIQUE (employee_id, policy))",

    "CREATE TABLE people_leave_requests ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " policy TEXT{TEXT_C} NOT NULL REFERENCES people_leave_policies(code),"
    " from_date TEXT{TEXT_C} NOT NULL,"
    " to_date TEXT{TEXT_C} NOT NULL,"
    " half INTEGER NOT NULL,"
    " days BIGINT NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C})",

    /* Append-only: what was taken (negative) or granted by hand. */
    "CREATE TABLE people_leave_ledger ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " policy TEXT{TEXT_C} NOT NULL REFERENCES people_leave_policies(code),"
    " date TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " request_id BIGINT REFERENCES people_leave_requests(id))",
    "CREATE INDEX people_leave_ledger_by_employee ON people_leave_ledger"
    " (employee_id, policy, date)",
    NULL
};

/* Version 14: recruitment (openings, stages, applicants with their consent
 * and retention, the stage history) and light reviews (cycles, weighted
 * criteria, reviews and their scores). An applicant's personal data lives
 * only in people_applicants (name, email, phone), so erasing it is one
 * UPDATE; the CV and the form are documents linked to it ("applicant"). */
static const char *const ddl_people_v14[] = {
    "CREATE TABLE people_stages ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " position INTEGER NOT NULL,"
    " name TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE people_openings ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " title TEXT{TEXT_C} NOT NULL,"
    " location TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " opened TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL)",

    /* status: active, hired, rejected, withdrawn, erased; retain_until:
     * the last day the data may be kept once the application ended. */
    "CREATE TABLE people_applicants ("
    " id {ID},"
    " opening TEXT{TEXT_C} NOT NULL REFERENCES people_openings(code),"
    " name TEXT{TEXT_C} NOT NULL,"
    " email TEXT{TEXT_C} NOT NULL,"
    " phone TEXT{TEXT_C},"
    " applied TEXT{TEXT_C} NOT NULL,"
    " consent TEXT{TEXT_C} NOT NULL,"
    " consent_date TEXT{TEXT_C} NOT NULL,"
    " stage TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " ended TEXT{TEXT_C},"
    " retain_until TEXT{TEXT_C},"
    " employee_id BIGINT REFERENCES pay_employees(id),"
    " erased TEXT{TEXT_C},"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C})",
    "CREATE INDEX people_applicants_by_opening ON people_applicants (opening, id)",

    "CREATE TABLE people_applicant_moves ("
    " id {ID},"
    " applicant_id BIGINT NOT NULL REFERENCES people_applicants(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " stage TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX people_applicant_moves_by_applicant ON people_applicant_moves"
    " (applicant_id, id)",

    /* Roster gaps: unavailability (minutes since 1970, as shifts), the
     * minimum headcount per location, role, weekdays and hours, open shifts
     * and swaps. */
    "CREATE TABLE people_unavailability ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " from_at BIGINT NOT NULL,"
    " to_at BIGINT NOT NULL)",
    "CREATE INDEX people_unavailability_by_employee ON people_unavailability"
    " (employee_id, from_at)",

    "CREATE TABLE people_headcount ("
    " location TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " weekdays INTEGER NOT NULL,"
    " from_min INTEGER NOT NULL,"
    " to_min INTEGER NOT NULL,"
    " minimum INTEGER NOT NULL,"
    " PRIMARY KEY (location, role, weekdays, from_min))",

    "CREATE TABLE people_open_shifts ("
    " id {ID},"
    " date TEXT{TEXT_C} NOT NULL,"
    " shift TEXT{TEXT_C} NOT NULL REFERENCES people_shift_types(code),"
    " location TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " shift_id BIGINT REFERENCES people_shifts(id))",

    "CREATE TABLE people_swaps ("
    " id {ID},"
    " shift_id BIGINT NOT NULL REFERENCES people_shifts(id),"
    " from_employee BIGINT NOT NULL REFERENCES pay_employees(id),"
    " to_employee BIGINT NOT NULL REFERENCES pay_employees(id),"
    " status TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX people_swaps_by_shift ON people_swaps (shift_id, id)",

    "CREATE TABLE people_review_cycles ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " name TEXT{TEXT_C} NOT NULL,"
    " from_date TEXT{TEXT_C} NOT NULL,"
    " to_date TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE people_review_criteria ("
    " cycle TEXT{TEXT_C} NOT NULL REFERENCES people_review_cycles(code),"
    " code TEXT{TEXT_C} NOT NULL,"
    " name TEXT{TEXT_C} NOT NULL,"
    " weight BIGINT NOT NULL,"
    " PRIMARY KEY (cycle, code))",

    "CREATE TABLE people_reviews ("
    " id {ID},"
    " cycle TEXT{TEXT_C} NOT NULL REFERENCES people_review_cycles(code),"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " status TEXT{TEXT_C} NOT NULL,"
    " UNIQUE (cycle, employee_id))",

    /* Scores in hundredths (100 .. 500: 1.00 .. 5.00); NULL: not given. */
    "CREATE TABLE people_review_scores ("
    " review_id BIGINT NOT NULL REFERENCES people_reviews(id),"
    " criterion TEXT{TEXT_C} NOT NULL,"
    " self_score BIGINT,"
    " manager_score BIGINT,"
    " self_note TEXT{TEXT_C},"
    " manager_note TEXT{TEXT_C},"
    " PRIMARY KEY (review_id, criterion))",
    NULL
};

/* Version 15: the idempotency keys of unavailability, open shifts and
 * swap proposals, one table for the three (a key names one command): the
 * command ("unavailability", "open_shift", "swap"), the id it made and the
 * digest of its canonical form (bo__idem_claim). Their own tables, and the
 * audit states recorded for their rows, stay as version 14 made them. */
static const char *const ddl_people_v15_keys[] = {
    "CREATE TABLE people_keys ("
    " idem_key TEXT{TEXT_C} PRIMARY KEY,"
    " command TEXT{TEXT_C} NOT NULL,"
    " record_id BIGINT NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL)",
    NULL
};

const bo__table bo__tables_people[] = {
    { "people_shift_types", "code, start_min, end_min, break_minutes, grace_late,"
      " grace_early, checkin_before, checkout_after, half_day_minutes, absent_minutes,"
      " punch_mode", "tiiiiiiiiii", "code", NULL },
    { "people_shifts", "id, employee_id, date, shift, location, role, start_at, end_at,"
      " published", "iittttiii", "id", "id" },
    { "people_punches", "id, employee_id, at, kind, idem_key, digest", "iiiitt", "id", "id" },
    { "people_attendance", "shift_id, status, check_in, check_out, worked, regular, late,"
      " early, ot_before, ot_after, posted", "itiiiiiiiii", "shift_id", NULL },
    { "people_holidays", "calendar, date, name, flags", "ttti", "calendar, date", NULL },
    { "people_leave_policies", "code, accrual, days_per_year, cap, carry_max, carry_months",
      "tiiiii", "code", NULL },
    { "people_leave_collective", "id, policy, date, amount", "itti", "id", "id" },
    { "people_leave_entitlements", "id, employee_id, policy, from_date", "iitt", "id", "id" },
    { "people_leave_requests", "id, employee_id, policy, from_date, to_date, half, days,"
      " status, idem_key, digest", "iitttiittt", "id", "id" },
    { "people_leave_ledger", "id, employee_id, policy, date, kind, amount, request_id",
      "iitttii", "id", "id" },
    { "people_stages", "code, position, name", "tit", "code", NULL },
    { "people_openings", "code, title, location, role, opened, status", "tttttt", "code",
      NULL },
    { "people_applicants", "id, opening, name, email, phone, applied, consent, consent_date,"
      " stage, status, ended, retain_until, employee_id, erased, idem_key, digest",
      "itttttttttttittt", "id", "id" },
    { "people_applicant_moves", "id, applicant_id, date, stage, status", "iittt", "id", "id" },
    { "people_unavailability", "id, employee_id, from_at, to_at", "iiii", "id", "id" },
    { "people_headcount", "location, role, weekdays, from_min, to_min, minimum", "ttiiii",
      "location, role, weekdays, from_min", NULL },
    { "people_open_shifts", "id, date, shift, location, role, shift_id", "itttti", "id", "id" },
    { "people_swaps", "id, shift_id, from_employee, to_employee, status", "iiiit", "id", "id" },
    { "people_review_cycles", "code, name, from_date, to_date, status", "ttttt", "code", NULL },
    { "people_review_criteria", "cycle, code, name, weight", "ttti", "cycle, code", NULL },
    { "people_reviews", "id, cycle, employee_id, status", "itit", "id", "id" },
    { "people_review_scores", "review_id, criterion, self_score, manager_score, self_note,"
      " manager_note", "itiitt", "review_id, criterion", NULL },
    { "people_keys", "idem_key, command, record_id, digest", "ttit", "idem_key", NULL },
};
const int bo__ntables_people = sizeof bo__tables_people / sizeof bo__tables_people[0];

const bo__schema_part bo__parts_people[] = {
    { BO__SCHEMA_PEOPLE, ddl_people, 0, NULL },
    { BO__SCHEMA_PEOPLE_RECRUIT, ddl_people_v14, 0, NULL },
    { 15, ddl_people_v15_keys, 0, NULL }, /* keys of roster commands */
    { 0, NULL, 0, NULL },
};
