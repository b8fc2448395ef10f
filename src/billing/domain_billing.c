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

/* Its amounts and rates in the export (src/book/export.c). */
static const bo__export_col export_cols[] = {
    { "bill_invoices", "net", "currency", NULL },
    { "bill_invoices", "tax", "currency", NULL },
    { "bill_invoices", "total", "currency", NULL },
    { "bill_invoices", "base_total", NULL, NULL },
    { "bill_invoices", "rate_num", "rate_den", "rate" },
    { "bill_payments", "amount", "currency", NULL },
    { "bill_payments", "base_amount", NULL, NULL },
    { "bill_payments", "rate_num", "rate_den", "rate" },
    { "bill_rates", "num", "den", "rate" },
    { "bill_statements", "opening", "currency", NULL },
    { "bill_statements", "closing", "currency", NULL },
    { NULL, NULL, NULL, NULL },
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
    .export_cols = export_cols,
};
