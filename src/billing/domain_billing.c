/*
 * The billing domain as the library sees it (invoices, bills, payments, bank
 * reconciliation, exchange rates): listed once in the table of domains
 * (src/book/domains.c).
 */
#include "billing/billing.h"

unsigned bo__perms_billing[4];

static const char *const perms[] = {
    "billing.read",
    "billing.post",
    "billing.admin",
    "bank.reconcile",
    NULL,
};

static const bo__domain_section sections[] = {
    { "billing", bo__cfg_section_billing },
    { NULL, NULL },
};

static const char *const events[] = {
    NULL,
};

const bo__domain bo__domain_billing = {
    .name = "billing",
    .parts = bo__parts_billing,
    .tables = bo__tables_billing,
    .ntables = &bo__ntables_billing,
    .sections = sections,
    .perms = perms,
    .perm_bits = bo__perms_billing,
    .verify = &bo__verify_billing,
    .events = events,
    .seed = bo__bill_seed,
};
