/*
 * The ledger domain as the library sees it (the chart of accounts, entries
 * and postings, periods, balances, year-end closes): listed once in the
 * table of domains (src/book/domains.c).
 */
#include "ledger/ledger.h"

unsigned bo__perms_ledger[3];

static const char *const perms[] = {
    "ledger.read",
    "ledger.post",
    "ledger.admin",
    NULL,
};

static const char *const events[] = {
    "entry.posted",
    "entry.reversed",
    "period.closed",
    "year.closed",
    "year.reopened",
    NULL,
};

/* Its amounts and rates in the export (src/book/export.c). */
static const bo__export_col export_cols[] = {
    { "postings", "amount", "currency", NULL },
    { "postings", "base_amount", NULL, NULL },
    { "account_days", "delta", "currency", NULL },
    { "account_days", "total", "currency", NULL },
    { "account_lane_days", "delta", "currency", NULL },
    { "account_lane_days", "total", "currency", NULL },
    { NULL, NULL, NULL, NULL },
};

const bo__domain bo__domain_ledger = {
    .name = "ledger",
    .parts = bo__parts_ledger,
    .tables = bo__tables_ledger,
    .ntables = &bo__ntables_ledger,
    .cache = &bo__ledger_cache,
    .perms = perms,
    .perm_bits = bo__perms_ledger,
    .verify = &bo__verify_ledger,
    .events = events,
    .export_cols = export_cols,
};
