/* Price lists: by customer group, store and date range, with quantity
 * breaks, each list versioned (every price set raises its version, which
 * the sale records). Lists of the same group and store may not overlap in
 * dates, so the most specific list in force is always one list. */
#include "inventory/pricing.h"
#include "commerce/commerce.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_GROUP_DEL[] = "DELETE FROM inv_customer_groups WHERE party = ?";
static const char SQL_GROUP_ADD[] = "INSERT INTO inv_customer_groups (party, grp) VALUES (?, ?)";
static const char SQL_GROUP_GET[] = "SELECT grp FROM inv_customer_groups WHERE party = ?";
static const char SQL_LIST_BY_CODE[] =
    "SELECT id, version FROM inv_pricelists WHERE code = ?";
static const char SQL_LIST_OVERLAP[] =
    "SELECT code, date_from, date_to FROM inv_pricelists"
    " WHERE COALESCE(grp, '') = ? AND COALESCE(location_id, 0) = ?"
    " AND date_from <= ? AND date_to >= ? ORDER BY date_from LIMIT 1";
static const char SQL_LIST_ADD[] =
    "INSERT INTO inv_pricelists (code, grp, location_id, date_from, date_to, version)"
    " VALUES (?, ?, ?, ?, ?, 1)";
static const char SQL_PRICE_DEL[] =
    "DELETE FROM inv_pricelist_prices WHERE list_id = ? AND item_id = ? AND unit = ?"
    " AND min_qty = ?";
static const char SQL_PRICE_GET[] =
    "SELECT price FROM inv_pricelist_prices WHERE list_id = ? AND item_id = ? AND unit = ?"
    " AND min_qty = ?";
static const char SQL_PRICE_ADD[] =
    "INSERT INTO inv_pricelist_prices (list_id, item_id, unit, min_qty, price)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_LIST_BUMP[] = "UPDATE inv_pricelists SET version = ? WHERE id = ?";
static const char SQL_PICK[] =
    "SELECT l.code, l.version, p.price FROM inv_pricelists l"
    " JOIN inv_pricelist_prices p ON p.list_id = l.id"
    " WHERE l.date_from <= ? AND l.date_to >= ?"
    " AND (l.grp IS NULL OR l.grp = ?) AND (l.location_id IS NULL OR l.location_id = ?)"
    " AND p.item_id = ? AND p.unit = ? AND p.min_qty <= ?"
    " ORDER BY CASE WHEN l.grp IS NULL THEN 0 ELSE 2 END"
    " + CASE WHEN l.location_id IS NULL THEN 0 ELSE 1 END DESC, p.min_qty DESC LIMIT 1";

int bo__customer_group(bo_book *b, const char *party, char out[BO_CODE_MAX + 1])
{
    int found = 0;
    out[0] = '\0';
    if (!party)
        return 0;
    return bo__store_row(b->store, SQL_GROUP_GET, &found, "t>t", party, out,
                         (size_t)BO_CODE_MAX + 1);
}

int bo__pricelist_pick(bo_book *b, const char *date, const char *group, int64_t loc,
                       const bo__inv_item *it, const char *unit, int64_t qty,
                       int64_t *price, char list[BO_CODE_MAX + 1], int64_t *version,
                       int *found)
{
    *found = 0;
    return bo__store_row(b->store, SQL_PICK, found, "tttiiti>tii", date, date, group, loc,
                         it->id, unit, qty, list, (size_t)BO_CODE_MAX + 1, version, price);
}

struct group_set {
    const char *party, *group;
};

static int group_tx(bo_book *b, void *ctx)
{
    struct group_set *c = ctx;
    bo__party party;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)))
        return rc;
    if ((rc = bo__party_find(b, c->party, &party)))
        return bo__error_prefix("party: ");
    if ((rc = bo__store_run(b->store, SQL_GROUP_DEL, "t", c->party)) ||
        (c->group && (rc = bo__store_run(b->store, SQL_GROUP_ADD, "tt", c->party, c->group))))
        return rc;
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "price_group:%s", c->party);
    return bo__audit_append(b, "inventory.group.set", object, c->group ? c->group : "-");
}

int bo_inventory_customer_group_set(bo_book *b, const char *party, const char *group)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("party", party, BO_CODE_MAX)) ||
        (group && (rc = bo__name_check("group", group, BO_CODE_MAX))))
        return rc;
    struct group_set c = { party, group };
    return bo__write(b, group_tx, &c);
}

struct list_add {
    const char *code, *group, *loc;
    bo_date from, to;
};

static int list_add_tx(bo_book *b, void *ctx)
{
    struct list_add *c = ctx;
    bo__inv_loc l = { 0 };
    int64_t id = 0, version = 0;
    int found = 0, rc;
    char from[11], to[11];
    bo__date_iso(c->from, from);
    bo__date_iso(c->to, to);
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (c->loc && (rc = bo__inv_loc_find(b, "location", c->loc, &l))) ||
        (rc = bo__store_row(b->store, SQL_LIST_BY_CODE, &found, "t>ii", c->code, &id,
                            &version)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: price list '%s' already exists", c->code);
    char other[BO_CODE_MAX + 1], of[11], ot[11];
    if ((rc = bo__store_row(b->store, SQL_LIST_OVERLAP, &found, "titt>ttt",
                            c->group ? c->group : "", l.id, to, from, other, sizeof other,
                            of, sizeof of, ot, sizeof ot)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "from: price list '%s' (%s..%s) overlaps '%s' "
                             "(%s..%s) of the same group and location", c->code, from, to,
                             other, of, ot);
    if ((rc = bo__store_run(b->store, SQL_LIST_ADD, "ttItt", c->code, c->group, l.id, from,
                            to)))
        return rc;
    char object[BO_CODE_MAX + 16], detail[3 * BO_CODE_MAX + 40];
    snprintf(object, sizeof object, "pricelist:%s", c->code);
    snprintf(detail, sizeof detail, "%s %s %s..%s", c->group ? c->group : "-",
             c->loc ? c->loc : "-", from, to);
    return bo__audit_append(b, "inventory.pricelist.add", object, detail);
}

int bo_inventory_pricelist_add(bo_book *b, const char *code, const char *group,
                               const char *location, bo_date from, bo_date to)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (group && (rc = bo__name_check("group", group, BO_CODE_MAX))) ||
        (location && (rc = bo__name_check("location", location, BO_CODE_MAX))))
        return rc;
    char d[11];
    bo__date_iso(from, d);
    if (!d[0])
        return bo__error_set(BO_EINVAL, "from: out of range");
    bo__date_iso(to, d);
    if (!d[0])
        return bo__error_set(BO_EINVAL, "to: out of range");
    if (to < from)
        return bo__error_set(BO_EINVAL, "to: before from");
    struct list_add c = { code, group, location, from, to };
    return bo__write(b, list_add_tx, &c);
}

struct list_price {
    const char *list, *sku, *unit;
    int64_t min_qty, price;
};

static int list_price_tx(bo_book *b, void *ctx)
{
    struct list_price *c = ctx;
    bo__inv_item it;
    bo__uom u;
    int64_t id = 0, version = 0;
    int found = 0, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__store_row(b->store, SQL_LIST_BY_CODE, &found, "t>ii", c->list, &id,
                            &version)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "list: price list '%s' not found", c->list);
    if ((rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__uom_find(b, &it, c->unit, &u)))
        return rc;
    /* the same price again (a retry) changes nothing, not even the version */
    int64_t old = 0;
    found = 0;
    if ((rc = bo__store_row(b->store, SQL_PRICE_GET, &found, "iiti>i", id, it.id, u.unit,
                            c->min_qty, &old)))
        return rc;
    if (found && old == c->price)
        return 0;
    if ((rc = bo__store_run(b->store, SQL_PRICE_DEL, "iiti", id, it.id, u.unit, c->min_qty)) ||
        (rc = bo__store_run(b->store, SQL_PRICE_ADD, "iitii", id, it.id, u.unit, c->min_qty,
                            c->price)) ||
        (rc = bo__store_run(b->store, SQL_LIST_BUMP, "ii", version + 1, id)))
        return rc;
    char object[BO_CODE_MAX + 16], detail[2 * BO_CODE_MAX + 80];
    snprintf(object, sizeof object, "pricelist:%s", c->list);
    snprintf(detail, sizeof detail, "v%" PRId64 " %s %s >=%" PRId64 " %" PRId64,
             version + 1, c->sku, u.unit, c->min_qty, c->price);
    return bo__audit_append(b, "inventory.pricelist.price", object, detail);
}

int bo_inventory_pricelist_price(bo_book *b, const char *list, const char *sku,
                                 const char *unit, int64_t min_qty, int64_t price)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("list", list, BO_CODE_MAX)) ||
        (rc = bo__name_check("sku", sku, BO_CODE_MAX)) ||
        (unit && (rc = bo__name_check("unit", unit, BO_CODE_MAX))))
        return rc;
    if (min_qty < 0)
        return bo__error_set(BO_EINVAL, "min_qty: must not be negative");
    if (price < 0)
        return bo__error_set(BO_EINVAL, "price: must not be negative");
    struct list_price c = { list, sku, unit, min_qty, price };
    return bo__write(b, list_price_tx, &c);
}

static const char SQL_LISTS[] =
    "SELECT l.code, l.grp, lo.code, l.date_from, l.date_to, l.version, i.sku, p.unit,"
    " p.min_qty, p.price, i.scale FROM inv_pricelists l"
    " LEFT JOIN inv_locations lo ON lo.id = l.location_id"
    " LEFT JOIN inv_pricelist_prices p ON p.list_id = l.id"
    " LEFT JOIN inv_items i ON i.id = p.item_id"
    " ORDER BY l.code, i.sku, p.unit, p.min_qty";
static const bo__col list_cols[] = {
    { "list", BO_TYPE_TEXT }, { "group", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "from", BO_TYPE_TEXT }, { "to", BO_TYPE_TEXT }, { "version", BO_TYPE_INT },
    { "sku", BO_TYPE_TEXT }, { "unit", BO_TYPE_TEXT }, { "min_qty", BO_TYPE_INT },
    { "price", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_pricelists(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_LISTS, list_cols, 11, out, "");
}
