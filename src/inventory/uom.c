/* Units of measure: the units an item is bought and sold in, each an exact
 * fraction num/den of its stock unit. A quantity converts only when the
 * result is a whole number of the item's smallest unit; a remainder is
 * refused (BO_EUNIT), never rounded. */
#include "inventory/pricing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ITEM_UNIT[] = "SELECT unit FROM inv_items WHERE id = ?";
static const char SQL_UNIT_GET[] =
    "SELECT num, den, price FROM inv_units WHERE item_id = ? AND unit = ?";
static const char SQL_UNIT_DEL[] = "DELETE FROM inv_units WHERE item_id = ? AND unit = ?";
static const char SQL_UNIT_ADD[] =
    "INSERT INTO inv_units (item_id, unit, num, den, price) VALUES (?, ?, ?, ?, ?)";

int bo__uom_find(bo_book *b, const bo__inv_item *it, const char *unit, bo__uom *out)
{
    char stock[BO_CODE_MAX + 1] = "";
    int found = 0, has_price = 0, rc;
    memset(out, 0, sizeof *out);
    out->num = out->den = 1;
    if ((rc = bo__store_row(b->store, SQL_ITEM_UNIT, &found, "i>t", it->id, stock,
                            sizeof stock)))
        return rc;
    snprintf(out->stock_unit, sizeof out->stock_unit, "%s", stock);
    snprintf(out->unit, sizeof out->unit, "%s", unit && unit[0] ? unit : stock);
    out->price = -1;
    /* the stock unit (named or not) may carry a price in inv_units */
    found = 0;
    if ((rc = bo__store_row(b->store, SQL_UNIT_GET, &found, "it>ii?i", it->id, out->unit,
                            &out->num, &out->den, &has_price, &out->price)))
        return rc;
    if (!found) {
        out->num = out->den = 1;
        out->price = -1;
        if (unit && unit[0] && strcmp(unit, stock)) {
            return bo__error_set(BO_EUNIT, "unit: item '%s' has no unit '%s'", it->sku,
                                 unit);
        }
    } else if (!has_price)
        out->price = -1;
    return 0;
}

/* a * b, or BO_EOVERFLOW. */
static int mul(int64_t a, int64_t b, int64_t *out)
{
    return __builtin_mul_overflow(a, b, out) ? BO_EOVERFLOW : 0;
}

int bo__uom_convert(const bo__inv_item *it, const bo__uom *from, const bo__uom *to,
                    int64_t qty, int64_t *out)
{
    int64_t n, d, p;
    if (mul(from->num, to->den, &n) || mul(from->den, to->num, &d) || mul(qty, n, &p))
        return bo__error_set(BO_EOVERFLOW, "qty: converting from '%s' to '%s' of item "
                             "'%s' overflows", from->unit, to->unit, it->sku);
    if (p % d) {
        char a[32], f[32], g[32];
        bo_inventory_qty_format(qty, it->scale, a, sizeof a);
        bo_inventory_qty_format(1, it->scale, f, sizeof f);
        /* what it would be, to two more decimals, for the message */
        int64_t whole = p / d, rest = p % d < 0 ? -(p % d) : p % d, den = d < 0 ? -d : d;
        for (int64_t x = rest, y = den; y;) { /* the fraction in lowest terms */
            int64_t t = x % y;
            x = y;
            y = t;
            if (!y) {
                rest /= x;
                den /= x;
            }
        }
        bo_inventory_qty_format(whole, it->scale, g, sizeof g);
        bo__error_clear();
        return bo__error_set(BO_EUNIT, "qty: %s '%s' of item '%s' is not a whole number "
                             "of %s '%s' (%s and %" PRId64 "/%" PRId64 " of %s): refused, "
                             "not rounded", a, from->unit, it->sku, f, to->unit, g,
                             rest, den, f);
    }
    *out = p / d;
    return 0;
}

int bo__uom_to_stock(bo_book *b, const bo__inv_item *it, const char *unit, int64_t qty,
                     int64_t *out, bo__uom *u)
{
    bo__uom stock;
    int rc;
    if ((rc = bo__uom_find(b, it, unit, u)) || (rc = bo__uom_find(b, it, NULL, &stock)))
        return rc;
    stock.num = stock.den = 1; /* the stock unit is 1/1 whatever its row says */
    return bo__uom_convert(it, u, &stock, qty, out);
}

struct unit_set {
    const char *sku, *unit;
    int64_t num, den, price;
};

static int unit_set_tx(bo_book *b, void *ctx)
{
    struct unit_set *c = ctx;
    bo__inv_item it;
    char stock[BO_CODE_MAX + 1] = "";
    int found = 0, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__store_row(b->store, SQL_ITEM_UNIT, &found, "i>t", it.id, stock,
                            sizeof stock)))
        return rc;
    if (!strcmp(stock, c->unit) && (c->num != 1 || c->den != 1))
        return bo__error_set(BO_EUNIT, "num: '%s' is the stock unit of item '%s': its "
                             "factor is 1/1", c->unit, c->sku);
    if ((rc = bo__store_run(b->store, SQL_UNIT_DEL, "it", it.id, c->unit)) ||
        (rc = bo__store_run(b->store, SQL_UNIT_ADD, "itii?i", it.id, c->unit, c->num, c->den,
                            c->price >= 0, c->price)))
        return rc;
    char object[BO_CODE_MAX + 16], detail[BO_CODE_MAX + 96];
    snprintf(object, sizeof object, "item:%s", c->sku);
    snprintf(detail, sizeof detail, "%s %" PRId64 "/%" PRId64 " %" PRId64, c->unit, c->num,
             c->den, c->price);
    return bo__audit_append(b, "inventory.unit.set", object, detail);
}

int bo_inventory_unit_set(bo_book *b, const char *sku, const char *unit, int64_t num,
                          int64_t den, int64_t price)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("sku", sku, BO_CODE_MAX)) ||
        (rc = bo__name_check("unit", unit, BO_CODE_MAX)))
        return rc;
    if (num <= 0)
        return bo__error_set(BO_EINVAL, "num: must be positive");
    if (den <= 0)
        return bo__error_set(BO_EINVAL, "den: must be positive");
    if (price < -1)
        return bo__error_set(BO_EINVAL, "price: must not be negative (-1: none)");
    /* kept in lowest terms, so one factor has one spelling */
    int64_t x = num, y = den;
    while (y) {
        int64_t t = x % y;
        x = y;
        y = t;
    }
    struct unit_set c = { sku, unit, num / x, den / x, price };
    return bo__write(b, unit_set_tx, &c);
}

struct unit_convert {
    const char *sku, *from, *to;
    int64_t qty, out;
};

static int unit_convert_tx(bo_book *b, void *ctx)
{
    struct unit_convert *c = ctx;
    bo__inv_item it;
    bo__uom f, t;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__uom_find(b, &it, c->from, &f)) ||
        (rc = bo__uom_find(b, &it, c->to, &t)))
        return rc;
    if (!c->from || !c->from[0] || !strcmp(f.unit, f.stock_unit))
        f.num = f.den = 1;
    if (!c->to || !c->to[0] || !strcmp(t.unit, t.stock_unit))
        t.num = t.den = 1;
    return bo__uom_convert(&it, &f, &t, c->qty, &c->out);
}

int bo_inventory_unit_convert(bo_book *b, const char *sku, const char *from, const char *to,
                              int64_t qty, int64_t *out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc;
    if ((rc = bo__name_check("sku", sku, BO_CODE_MAX)) ||
        (from && (rc = bo__name_check("from", from, BO_CODE_MAX))) ||
        (to && (rc = bo__name_check("to", to, BO_CODE_MAX))))
        return rc;
    struct unit_convert c = { sku, from, to, qty, 0 };
    if (!(rc = unit_convert_tx(b, &c)))
        *out = c.out;
    return rc;
}

static const char SQL_UNITS[] =
    "SELECT i.sku, u.unit, u.num, u.den, u.price FROM inv_units u"
    " JOIN inv_items i ON i.id = u.item_id WHERE (? = 0 OR u.item_id = ?)"
    " ORDER BY i.sku, u.unit";
static const bo__col unit_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "unit", BO_TYPE_TEXT }, { "num", BO_TYPE_INT },
    { "den", BO_TYPE_INT }, { "price", BO_TYPE_INT },
};

int bo_inventory_units(bo_book *b, const char *sku, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (sku && (rc = bo__inv_item_find(b, "sku", sku, 0, &it))))
        return rc;
    int64_t item = sku ? it.id : 0;
    return bo__listing(b, 0, NULL, SQL_UNITS, unit_cols, 5, out, "ii", item, item);
}

struct receive_unit {
    const bo_inventory_move_options *opts;
    const char *unit;
    int64_t id;
};

/* The conversion and the receipt in one transaction, so the unit's factor
 * cannot change between them. */
static int receive_unit_tx(bo_book *b, void *ctx)
{
    struct receive_unit *c = ctx;
    bo__inv_item it;
    bo__uom u;
    int64_t qty;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__inv_item_find(b, "sku", c->opts->sku, 0, &it)) ||
        (rc = bo__uom_to_stock(b, &it, c->unit, c->opts->qty, &qty, &u)))
        return rc;
    bo_inventory_move_options o = *c->opts;
    o.qty = qty;
    return bo_inventory_receive(b, &o, &c->id);
}

int bo_inventory_receive_unit(bo_book *b, const bo_inventory_move_options *opts,
                              const char *unit, int64_t *id)
{
    bo__error_clear();
    if (!b || !opts)
        return bo__error_set(BO_EINVAL, "book/options: NULL");
    int rc;
    if ((rc = bo__name_check("sku", opts->sku, BO_CODE_MAX)) ||
        (unit && (rc = bo__name_check("unit", unit, BO_CODE_MAX))) ||
        (rc = bo__inv_qty_check("qty", opts->qty, 0)))
        return rc;
    struct receive_unit c = { opts, unit, 0 };
    if (!(rc = bo__write(b, receive_unit_tx, &c)) && id)
        *id = c.id;
    return rc;
}
