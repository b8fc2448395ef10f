/*
 * Units of measure (uom.c), price lists (pricelists.c) and promotions
 * (promotions.c): what the sale (sales.c) asks when a line names a unit,
 * leaves its price to the lists, or an item is on promotion. Everything
 * here runs inside the caller's transaction and checks no permission.
 */
#ifndef BO_INVENTORY_PRICING_H
#define BO_INVENTORY_PRICING_H

#include "core/verify.h"
#include "inventory/inventory.h"

/* One unit of an item: one unit = num/den of the stock unit. */
typedef struct bo__uom {
    char unit[BO_CODE_MAX + 1];       /* its name (the stock unit's when none given) */
    char stock_unit[BO_CODE_MAX + 1]; /* the item's stock unit ("" unnamed) */
    int64_t num, den;
    int64_t price; /* of one unit, or -1 */
} bo__uom;

/* The unit named unit (NULL or "": the stock unit) of the item; BO_EUNIT
 * naming both when the item has no such unit. */
int bo__uom_find(bo_book *b, const bo__inv_item *it, const char *unit, bo__uom *out);
/* qty in from into to, exactly (BO_EUNIT on a remainder, naming the item,
 * the units and the quantity). */
int bo__uom_convert(const bo__inv_item *it, const bo__uom *from, const bo__uom *to,
                    int64_t qty, int64_t *out);
/* qty in unit into the stock unit; *u receives the unit. */
int bo__uom_to_stock(bo_book *b, const bo__inv_item *it, const char *unit, int64_t qty,
                     int64_t *out, bo__uom *u);

/* One sale line as the pricing sees it. In: sku, loc, unit (NULL: stock
 * unit), qty in that unit, price (-1: from the lists), held (a line from a
 * hold: priced as given, promotions skip it). Out: active (the line was
 * priced here: sales.c takes stock_qty and amount from it), the item, the
 * stock quantity, the unit price and amount before discounts, the
 * promotions' discount and the record of what was applied. */
typedef struct bo__price_line {
    const char *sku, *loc, *unit;
    int64_t qty, price;
    int held;
    int active;
    bo__inv_item it;
    int64_t stock_qty, unit_price, amount, promo;
    char unit_name[BO_CODE_MAX + 1];
    char list[BO_CODE_MAX + 1];
    int64_t list_version;
    bo__buf rules; /* "CODE@vN:-AMOUNT;..." */
} bo__price_line;

/* Price the lines of a sale of date for customer (NULL) with coupon
 * (NULL): units, price lists, then promotions (pricing.h order, docs).
 * Reads only. */
int bo__pricing_plan(bo_book *b, bo_date date, const char *customer, const char *coupon,
                     bo__price_line *lines, int n);
/* Record what priced the active lines of sale id (and their rows in the
 * sale's captured state, cap). */
int bo__pricing_write(bo_book *b, int64_t sale, const bo__price_line *lines, int n,
                      bo__vcap *cap);
void bo__pricing_free(bo__price_line *lines, int n);
/* A sale a terminal priced, posted as a fact (bo__inv_sale_post_fact)
 * with given[i] (one per line) as the terminal's pricing of line i: when
 * active, the line's price per stock unit and quantity are the sale's, and
 * qty, unit (NULL or unit_name), unit_price, list, list_version, promo and
 * rules are what the terminal recorded; no promotion is applied again. */
int bo__inv_sale_post_priced(bo_book *b, const bo_sale *sale, const bo__price_line *given,
                             int64_t *id);

/* The price lists' price of one line (pricelists.c): *found = 0 when no
 * list prices it. */
int bo__pricelist_pick(bo_book *b, const char *date, const char *group, int64_t loc,
                       const bo__inv_item *it, const char *unit, int64_t qty,
                       int64_t *price, char list[BO_CODE_MAX + 1], int64_t *version,
                       int *found);
/* The price group of customer party ("" none). */
int bo__customer_group(bo_book *b, const char *party, char out[BO_CODE_MAX + 1]);
/* *any = 1 when a promotion is in force on date (for coupon or none). */
int bo__promotions_any(bo_book *b, const char *date, const char *coupon, int *any);
/* A sale's coupon: BO_ENOTFOUND (unknown), BO_EEXPIRED, BO_ESTATE (not yet
 * valid), naming the field "coupon". */
int bo__promotions_coupon_check(bo_book *b, const char *date, const char *coupon);
/* Apply the promotions in force to the lines (promotions.c). */
int bo__promotions_apply(bo_book *b, const char *date, const char *coupon,
                         bo__price_line *lines, int n);

/* The units, price_groups, price_lists and promotions keys of the YAML
 * section (config_pricing.c); each node may be NULL. */
int bo__cfg_inventory_pricing(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *units,
                              const bo__cfg_node *groups, const bo__cfg_node *lists,
                              const bo__cfg_node *promotions);

#endif
