/* Items, barcodes, locations, settings and quantity text. */
#include "inventory/inventory.h"
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- quantities ------------------------------------------------------------ */

int bo_inventory_qty_parse(const char *text, int scale, int64_t *out)
{
    bo__error_clear();
    if (!text || !out)
        return bo__error_set(BO_EINVAL, "quantity: NULL");
    if (scale < 0 || scale > BO_INVENTORY_SCALE_MAX)
        return bo__error_set(BO_EINVAL, "scale: %d is not 0..%d", scale, BO_INVENTORY_SCALE_MAX);
    char q[200];
    bo__quote(text, 40, q, sizeof q);
    const char *p = text;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    int64_t v = 0;
    int digits = 0, frac = 0, dot = 0;
    for (; *p; p++) {
        if (*p == '.' && !dot) {
            dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return bo__error_set(BO_EINVAL, "quantity: '%s' is not a number", q);
        int d = *p - '0';
        digits++;
        if (dot && ++frac > scale) {
            if (d != 0) {
                char unit[16];
                bo_inventory_qty_format(1, scale, unit, sizeof unit);
                return bo__error_set(BO_EINVAL, "quantity: %s is finer than the "
                                     "item's scale %s", q, unit);
            }
            continue;
        }
        if (v > (INT64_MAX - d) / 10)
            return bo__error_set(BO_EOVERFLOW, "quantity: '%s' is out of range", q);
        v = v * 10 + d;
    }
    if (!digits)
        return bo__error_set(BO_EINVAL, "quantity: '%s' is not a number", q);
    for (int i = frac < scale ? frac : scale; i < scale; i++) {
        if (v > INT64_MAX / 10)
            return bo__error_set(BO_EOVERFLOW, "quantity: '%s' is out of range", q);
        v *= 10;
    }
    *out = neg ? -v : v;
    return 0;
}

int bo_inventory_qty_format(int64_t qty, int scale, char *buf, size_t size)
{
    bo__error_clear();
    if (!buf)
        return bo__error_set(BO_EINVAL, "buf: NULL");
    if (scale < 0 || scale > BO_INVENTORY_SCALE_MAX)
        return bo__error_set(BO_EINVAL, "scale: %d is not 0..%d", scale, BO_INVENTORY_SCALE_MAX);
    uint64_t a = qty < 0 ? (uint64_t)0 - (uint64_t)qty : (uint64_t)qty;
    uint64_t p = (uint64_t)bo__inv_pow10(scale);
    char tmp[48];
    int n = scale ? snprintf(tmp, sizeof tmp, "%s%" PRIu64 ".%0*" PRIu64, qty < 0 ? "-" : "",
                             a / p, scale, a % p)
                  : snprintf(tmp, sizeof tmp, "%s%" PRIu64, qty < 0 ? "-" : "", a);
    if (n < 0 || (size_t)n >= size) {
        if (size)
            buf[0] = '\0';
        return bo__error_set(BO_ETOOLONG, "buf: %zu bytes are too few", size);
    }
    memcpy(buf, tmp, (size_t)n + 1);
    return 0;
}

/* ---- settings ------------------------------------------------------------- */

struct kv { const char *a, *b, *c; int64_t i; };

static const char SQL_LOC_EXISTS[] = "SELECT 1 FROM inv_locations WHERE code = ?";

static int setting_tx(bo_book *b, void *p)
{
    struct kv *c = p;
    int rc;
    bo__ledger_acct acc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)))
        return rc;
    if (c->b && strncmp(c->a, "zone.", 5) == 0) {
        /* A store's time zone: the location exists ("*": every other). */
        if (strcmp(c->a + 5, "*") != 0) {
            bo__stmt *s;
            if ((rc = bo__stmt_get(b->store, SQL_LOC_EXISTS, &s)))
                return rc;
            if (!(rc = bo__stmt_bind(s, "t", c->a + 5)))
                rc = bo__stmt_step(s);
            bo__stmt_done(s);
            if (rc == BO_DRIVER_DONE)
                return bo__error_set(BO_ENOTFOUND, "key: no location '%s'", c->a + 5);
            if (rc != BO_DRIVER_ROW)
                return rc;
        }
    } else if (c->b) {
        if ((rc = bo__ledger_account(b, c->b, &acc)))
            return bo__error_prefix("%s: ", c->a);
    }
    /* The generation tells every handle to drop the settings it kept. */
    if ((rc = bo__setting_put(b, "inventory", c->a, c->b)) ||
        (rc = bo__book_bump_generation(b)))
        return rc;
    char object[BO_CODE_MAX + 32];
    snprintf(object, sizeof object, "setting:inventory.%s", c->a);
    return bo__audit_append(b, "inventory.setting.set", object, c->b ? c->b : "-");
}

int bo_inventory_setting_set(bo_book *b, const char *key, const char *value)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("key", key, BO_CODE_MAX)))
        return rc;
    static const char *const accounts[] = {
        "account.inventory", "account.cogs", "account.grni",
        "account.adjustments", "account.revenue", "account.over_short",
    };
    int ok = strncmp(key, "payment.", 8) == 0 && key[8];
    int zone = strncmp(key, "zone.", 5) == 0 && key[5];
    ok |= zone;
    for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++)
        ok |= strcmp(key, accounts[i]) == 0;
    if (!ok) {
        char q[300];
        bo__quote(key, 64, q, sizeof q);
        return bo__error_set(BO_EINVAL, "key: '%s' is not an inventory setting", q);
    }
    if (value && (rc = bo__name_check("value", value, BO_CODE_MAX)))
        return rc;
    if (zone && value) {
        bo__tz tz;
        if ((rc = bo__tz_parse("value", value, strlen(value), &tz)))
            return rc;
        bo__tz_free(&tz);
    }
    struct kv c = { key, value, NULL, 0 };
    return bo__write(b, setting_tx, &c);
}

int bo_inventory_settings(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__setting_list(b, BO__P_INVENTORY_READ, "inventory", out);
}

/* ---- locations ------------------------------------------------------------ */

static const char SQL_LOC_ADD[] =
    "INSERT INTO inv_locations (code, name, kind, negative_stock) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (code) DO NOTHING";
static const char SQL_LOC_NAME[] = "UPDATE inv_locations SET name = ? WHERE code = ?";
static const char SQL_LOC_NEG[] =
    "UPDATE inv_locations SET negative_stock = ? WHERE code = ?";
static const char SQL_LOC_ACC[] =
    "UPDATE inv_locations SET inventory_account = ? WHERE code = ?";
static const char SQL_LOC_VALUE[] =
    "SELECT COUNT(*) FROM inv_stock WHERE location_id = ? AND value <> 0";
static const char SQL_LOCS[] =
    "SELECT code, name, kind, negative_stock, inventory_account FROM inv_locations"
    " ORDER BY code";

static int loc_add_tx(bo_book *b, void *p)
{
    struct kv *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_LOC_ADD, "ttti", c->a, c->b, c->c, c->i)))
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_EEXISTS, "code: location '%s' exists", c->a);
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "location:%s", c->a);
    return bo__audit_append(b, "inventory.location.add", object, c->b);
}

int bo_inventory_location_add(bo_book *b, const char *code, const char *name,
                        const char *kind, int negative_stock)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)))
        return rc;
    if (!kind || (strcmp(kind, "store") && strcmp(kind, "warehouse") && strcmp(kind, "bin")))
        return bo__error_set(BO_EINVAL, "kind: must be store, warehouse or bin");
    struct kv c = { code, name, kind, negative_stock != 0 };
    return bo__write(b, loc_add_tx, &c);
}

/* One change of a location: the text of its value (NULL clears), the
 * flag of negative_stock. */
struct change { const char *field, *text; int64_t flag; };

/* Check (write 0) or write (write 1) the change @ch of location @l. */
static int loc_change(bo_book *b, const bo__inv_loc *l, const char *code,
                      const struct change *ch, int write)
{
    int rc = 0;
    const char *f = ch->field, *v = ch->text;
    if (!strcmp(f, "name")) {
        rc = write ? bo__store_run(b->store, SQL_LOC_NAME, "tt", v, code)
                   : bo__text_check("name", v, BO_TEXT_MAX, false, false);
    } else if (!strcmp(f, "negative_stock")) {
        if (write)
            rc = bo__store_run(b->store, SQL_LOC_NEG, "it", ch->flag, code);
    } else if (write) {
        rc = bo__store_run(b->store, SQL_LOC_ACC, "tt", v, code);
    } else {
        bo__ledger_acct acc;
        if (v && (rc = bo__ledger_account(b, v, &acc)))
            return bo__error_prefix("inventory_account: ");
        int64_t n = 0;
        if ((rc = bo__store_row(b->store, SQL_LOC_VALUE, NULL, "i>i", l->id, &n)))
            return rc;
        if (n)
            return bo__error_set(BO_ESTATE, "inventory_account: location '%s' "
                                 "holds stock value", code);
    }
    if (rc || !write)
        return rc;
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "location:%s", code);
    return bo__audit_append(b, "inventory.location.set", object, f);
}

struct loc_update { const char *code; struct change ch[3]; int n; };

static int loc_update_tx(bo_book *b, void *p)
{
    struct loc_update *c = p;
    bo__inv_loc l;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_loc_find(b, "code", c->code, &l)))
        return rc;
    for (int write = 0; write <= 1; write++)
        for (int i = 0; i < c->n; i++)
            if ((rc = loc_change(b, &l, c->code, &c->ch[i], write)))
                return rc;
    /* Every handle drops the locations it kept (settings.c). */
    return bo__book_bump_generation(b);
}

/* A flag member of a changes struct: BO_UNCHANGED, 0 or 1. */
static int flag_member(const char *field, int v, struct change *ch, int *n)
{
    if (v == BO_UNCHANGED)
        return 0;
    if (v != 0 && v != 1)
        return bo__error_set(BO_EINVAL, "%s: must be 1 or 0", field);
    ch[*n] = (struct change){ field, v ? "1" : "0", v };
    ++*n;
    return 0;
}

/* A text member of a changes struct: NULL unchanged, "" clears (when
 * @clears). */
static int text_member(const char *field, const char *v, int clears, struct change *ch,
                       int *n)
{
    if (!v)
        return 0;
    int rc = bo__inv_opt_text(field, v);
    if (rc)
        return rc;
    ch[*n] = (struct change){ field, clears && !*v ? NULL : v, 0 };
    ++*n;
    return 0;
}

int bo_inventory_location_changes_init(bo_inventory_location_changes *changes,
                                       unsigned int version)
{
    static const bo_inventory_location_changes defaults = BO_INVENTORY_LOCATION_CHANGES_INIT;
    return bo__opts_init(changes, version, BO_INVENTORY_LOCATION_CHANGES_VERSION, &defaults,
                         sizeof defaults);
}

int bo_inventory_location_update(bo_book *b, const char *code,
                                 const bo_inventory_location_changes *o)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    struct loc_update c = { code, { { NULL, NULL, 0 } }, 0 };
    if ((rc = bo__opts_check(o, BO_INVENTORY_LOCATION_CHANGES_VERSION)) ||
        (rc = text_member("name", o->name, 0, c.ch, &c.n)) ||
        (rc = flag_member("negative_stock", o->negative_stock, c.ch, &c.n)) ||
        (rc = text_member("inventory_account", o->inventory_account, 1, c.ch, &c.n)))
        return rc;
    if (!c.n)
        return bo__error_set(BO_EINVAL, "changes: nothing to change");
    return bo__write(b, loc_update_tx, &c);
}

static const bo__col loc_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT },
    { "negative_stock", BO_TYPE_INT }, { "inventory_account", BO_TYPE_TEXT },
};

int bo_inventory_locations(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_LOCS, loc_cols, 5, out, "");
}

/* ---- items ------------------------------------------------------------- */

static const char SQL_ITEM_ADD[] =
    "INSERT INTO inv_items (sku, name, scale, method, tax_category)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku) DO NOTHING";
static const char SQL_TAX_CATEGORY[] = "SELECT 1 FROM tax_categories WHERE code = ?";
static const char SQL_BARCODE_ADD[] =
    "INSERT INTO inv_barcodes (barcode, item_id) VALUES (?, ?)"
    " ON CONFLICT (barcode) DO NOTHING";
#define ITEM_COLS "SELECT sku, name, scale, CASE method WHEN 1 THEN 'fifo'" \
    " ELSE 'average' END, unit, category, tax_category, revenue_account," \
    " supplier, negative_stock, active FROM inv_items"
static const char SQL_ITEMS[] = ITEM_COLS " ORDER BY sku";
static const char SQL_ITEM_GET[] = ITEM_COLS " WHERE id = ?";

static int tax_category_check(bo_book *b, const char *code)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_TAX_CATEGORY, &found, "t", code);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "tax_category: '%s' not found", code);
    return rc;
}

struct item_ctx { const char *sku, *name, *tax; int scale, method; };

static int item_add_tx(bo_book *b, void *p)
{
    struct item_ctx *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)))
        return rc;
    if (c->tax && (rc = tax_category_check(b, c->tax)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_ITEM_ADD, "ttiit", c->sku, c->name,
                            (int64_t)c->scale, (int64_t)c->method, c->tax)))
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_EEXISTS, "sku: item '%s' exists", c->sku);
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "item:%s", c->sku);
    return bo__audit_append(b, "inventory.item.add", object, c->name);
}

int bo_inventory_item_add(bo_book *b, const char *sku, const char *name, int scale,
                    int method, const char *tax_category)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("sku", sku, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)) ||
        (tax_category && (rc = bo__name_check("tax_category", tax_category, BO_CODE_MAX))))
        return rc;
    if (scale < 0 || scale > BO_INVENTORY_SCALE_MAX)
        return bo__error_set(BO_EINVAL, "scale: %d is not 0..%d", scale, BO_INVENTORY_SCALE_MAX);
    if (method != BO_INVENTORY_FIFO && method != BO_INVENTORY_AVERAGE)
        return bo__error_set(BO_EINVAL, "method: %d is not BO_INVENTORY_FIFO or "
                             "BO_INVENTORY_AVERAGE", method);
    struct item_ctx c = { sku, name, tax_category, scale, method };
    return bo__write(b, item_add_tx, &c);
}

/* The fields bo_inventory_item_update may change, with their statements. */
#define ITEM_SET(col) "UPDATE inv_items SET " col " = ? WHERE id = ?"
static const char SQL_SET_NAME[] = ITEM_SET("name");
static const char SQL_SET_UNIT[] = ITEM_SET("unit");
static const char SQL_SET_CATEGORY[] = ITEM_SET("category");
static const char SQL_SET_TAX[] = ITEM_SET("tax_category");
static const char SQL_SET_REVENUE[] = ITEM_SET("revenue_account");
static const char SQL_SET_SUPPLIER[] = ITEM_SET("supplier");
static const char SQL_SET_NEG[] = ITEM_SET("negative_stock");
static const char SQL_SET_ACTIVE[] = ITEM_SET("active");

/* Check (write 0) or write (write 1) the change @ch of item @it. */
static int item_change(bo_book *b, const bo__inv_item *it, const struct change *ch,
                       int write)
{
    int rc = 0;
    const char *f = ch->field, *v = ch->text, *sql;
    if (!strcmp(f, "name")) {
        sql = SQL_SET_NAME;
        if (!write)
            rc = bo__text_check("name", v, BO_TEXT_MAX, false, false);
    } else if (!strcmp(f, "unit") || !strcmp(f, "category")) {
        sql = f[0] == 'u' ? SQL_SET_UNIT : SQL_SET_CATEGORY;
        if (!write)
            rc = bo__text_check(f, v, BO_CODE_MAX, true, false);
    } else if (!strcmp(f, "tax_category")) {
        sql = SQL_SET_TAX;
        if (!write && v)
            rc = tax_category_check(b, v);
    } else if (!strcmp(f, "revenue_account")) {
        sql = SQL_SET_REVENUE;
        bo__ledger_acct acc;
        if (!write && v && (rc = bo__ledger_account(b, v, &acc)))
            return bo__error_prefix("revenue_account: ");
    } else if (!strcmp(f, "supplier")) {
        sql = SQL_SET_SUPPLIER;
        bo__party party;
        if (!write && v && (rc = bo__party_find(b, v, &party)))
            return bo__error_prefix("supplier: ");
        if (!write && v && !(party.roles & BO_PARTY_VENDOR))
            return bo__error_set(BO_EINVAL, "supplier: party '%s' is not a vendor", v);
    } else {
        sql = f[0] == 'n' ? SQL_SET_NEG : SQL_SET_ACTIVE;
        if (write)
            rc = bo__store_run(b->store, sql, "ii", ch->flag, it->id);
        sql = NULL;
    }
    if (rc || !write)
        return rc;
    if (sql && (rc = bo__store_run(b->store, sql, "ti", v, it->id)))
        return rc;
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "item:%s", it->sku);
    return bo__audit_append(b, "inventory.item.set", object, f);
}

struct item_update { const char *sku; struct change ch[8]; int n; };

static int item_update_tx(bo_book *b, void *p)
{
    struct item_update *c = p;
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)))
        return rc;
    for (int write = 0; write <= 1; write++)
        for (int i = 0; i < c->n; i++)
            if ((rc = item_change(b, &it, &c->ch[i], write)))
                return rc;
    /* Every handle drops the items (and stock rows' tracking) it kept. */
    return bo__book_bump_generation(b);
}

int bo_inventory_item_changes_init(bo_inventory_item_changes *changes, unsigned int version)
{
    static const bo_inventory_item_changes defaults = BO_INVENTORY_ITEM_CHANGES_INIT;
    return bo__opts_init(changes, version, BO_INVENTORY_ITEM_CHANGES_VERSION, &defaults,
                         sizeof defaults);
}

int bo_inventory_item_update(bo_book *b, const char *sku, const bo_inventory_item_changes *o)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    struct item_update c = { sku, { { NULL, NULL, 0 } }, 0 };
    if ((rc = bo__opts_check(o, BO_INVENTORY_ITEM_CHANGES_VERSION)) ||
        (rc = text_member("name", o->name, 0, c.ch, &c.n)) ||
        (rc = text_member("unit", o->unit, 1, c.ch, &c.n)) ||
        (rc = text_member("category", o->category, 1, c.ch, &c.n)) ||
        (rc = text_member("tax_category", o->tax_category, 1, c.ch, &c.n)) ||
        (rc = text_member("revenue_account", o->revenue_account, 1, c.ch, &c.n)) ||
        (rc = text_member("supplier", o->supplier, 1, c.ch, &c.n)) ||
        (rc = flag_member("negative_stock", o->negative_stock, c.ch, &c.n)) ||
        (rc = flag_member("active", o->active, c.ch, &c.n)))
        return rc;
    if (!c.n)
        return bo__error_set(BO_EINVAL, "changes: nothing to change");
    return bo__write(b, item_update_tx, &c);
}

static int barcode_tx(bo_book *b, void *p)
{
    struct kv *c = p;
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_item_find(b, "sku", c->a, 0, &it)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_BARCODE_ADD, "ti", c->b, it.id)))
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_EEXISTS, "barcode: already names an item");
    /* A code kept as a SKU may now be this barcode (lookup.c reads
     * barcodes first): every handle drops the items it kept. */
    if ((rc = bo__book_bump_generation(b)))
        return rc;
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "item:%s", it.sku);
    return bo__audit_append(b, "inventory.item.barcode_add", object, c->b);
}

int bo_inventory_item_barcode_add(bo_book *b, const char *sku, const char *barcode)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__name_check("barcode", barcode, BO_CODE_MAX);
    if (rc)
        return rc;
    struct kv c = { sku, barcode, NULL, 0 };
    return bo__write(b, barcode_tx, &c);
}

static const bo__col item_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "scale", BO_TYPE_INT },
    { "method", BO_TYPE_TEXT }, { "unit", BO_TYPE_TEXT }, { "category", BO_TYPE_TEXT },
    { "tax_category", BO_TYPE_TEXT }, { "revenue_account", BO_TYPE_TEXT },
    { "supplier", BO_TYPE_TEXT }, { "negative_stock", BO_TYPE_INT },
    { "active", BO_TYPE_INT },
};

int bo_inventory_item_get(bo_book *b, const char *sku, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(b, "sku", sku, 1, &it)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_ITEM_GET, item_cols, 11, out, "i", it.id);
}

int bo_inventory_items(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_ITEMS, item_cols, 11, out, "");
}
