/*
 * The commerce domain as the library sees it (tax rates and categories, tax
 * lines, parties): listed once in the table of domains
 * (src/book/domains.c).
 */
#include "commerce/commerce.h"

unsigned bo__perms_commerce[3];

static const char *const perms[] = {
    "party.read",
    "party.write",
    "tax.admin",
    NULL,
};

static const bo__domain_section sections[] = {
    { "taxes", bo__cfg_section_taxes },
    { "parties", bo__cfg_section_parties },
    { NULL, NULL },
};

static const char *const events[] = {
    NULL,
};

/* Its amounts and rates in the export (src/book/export.c). */
static const bo__export_col export_cols[] = {
    { "tax_lines", "base", "currency", NULL },
    { "tax_lines", "amount", "currency", NULL },
    { NULL, NULL, NULL, NULL },
};

const bo__domain bo__domain_commerce = {
    .name = "commerce",
    .parts = bo__parts_commerce,
    .tables = bo__tables_commerce,
    .ntables = &bo__ntables_commerce,
    .sections = sections,
    .perms = perms,
    .perm_bits = bo__perms_commerce,
    .verify = &bo__verify_commerce,
    .events = events,
    .export_cols = export_cols,
};
