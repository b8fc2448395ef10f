/*
 * The people domain as the library sees it (shift types, rosters, punches,
 * attendance, holidays, leave): listed once in the table of domains
 * (src/book/domains.c), after payroll, whose employees it schedules.
 */
#include "people/people.h"

unsigned bo__perms_people[4];

static const char *const perms[] = {
    "people.read",
    "people.write",
    "people.approve",
    "people.admin",
    NULL,
};

static const bo__domain_section sections[] = {
    { "people", bo__cfg_section_people },
    { NULL, NULL },
};

static const char *const events[] = {
    "shift.published",
    "attendance.absent",
    "leave.approved",
    NULL,
};

const bo__domain bo__domain_people = {
    .name = "people",
    .parts = bo__parts_people,
    .tables = bo__tables_people,
    .ntables = &bo__ntables_people,
    .sections = sections,
    .perms = perms,
    .perm_bits = bo__perms_people,
    .verify = &bo__verify_people,
    .events = events,
};
