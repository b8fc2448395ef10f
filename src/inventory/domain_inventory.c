/*
 * The inventory domain as the library sees it (items, locations, stock, the
 * sale, purchasing, shipping, counts): listed once in the table of domains
 * (src/book/domains.c).
 */
#include "inventory/inventory.h"

unsigned bo__perms_inventory[4];

static const char *const perms[] = {
    "inventory.read",
    "inventory.write",
    "inventory.admin",
    "sales.post",
    NULL,
};

static const bo__domain_section sections[] = {
    { "inventory", bo__cfg_section_inventory },
    { NULL, NULL },
};

static const char *const events[] = {
    "stock.low",
    NULL,
};

/* Its amounts and rates in the export (src/book/export.c). */
static const bo__export_col export_cols[] = {
    { "inv_stock", "value", NULL, NULL },
    { "inv_moves", "value", NULL, NULL },
    { "inv_sales", "total", NULL, NULL },
    { "inv_sales", "tax", NULL, NULL },
    { "inv_sales", "change_given", NULL, NULL },
    { "inv_sale_payments", "amount", NULL, NULL },
    { NULL, NULL, NULL, NULL },
};

const bo__domain bo__domain_inventory = {
    .name = "inventory",
    .parts = bo__parts_inventory,
    .tables = bo__tables_inventory,
    .ntables = &bo__ntables_inventory,
    .sections = sections,
    .cache = &bo__inventory_cache,
    .perms = perms,
    .perm_bits = bo__perms_inventory,
    .verify = &bo__verify_inventory,
    .events = events,
    .seed = bo__inv_seed,
    .export_cols = export_cols,
};
