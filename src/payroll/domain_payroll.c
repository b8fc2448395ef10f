/*
 * The payroll domain as the library sees it (employees, pay terms, time,
 * rule packs, pay runs, payslips): listed once in the table of domains
 * (src/book/domains.c).
 */
#include "payroll/payroll.h"

unsigned bo__perms_payroll[5];

static const char *const perms[] = {
    "payroll.read",
    "payroll.write",
    "payroll.run",
    "payroll.approve",
    "payroll.admin",
    NULL,
};

static const bo__domain_section sections[] = {
    { "payroll", bo__cfg_section_payroll },
    { NULL, NULL },
};

static const char *const events[] = {
    "payrun.posted",
    "payrun.paid",
    "payrun.reversed",
    NULL,
};

const bo__domain bo__domain_payroll = {
    .name = "payroll",
    .parts = bo__parts_payroll,
    .tables = bo__tables_payroll,
    .ntables = &bo__ntables_payroll,
    .sections = sections,
    .cache = &bo__payroll_cache,
    .perms = perms,
    .perm_bits = bo__perms_payroll,
    .verify = &bo__verify_payroll,
    .events = events,
};
