/*
 * The "inventory" section of a book's YAML configuration:
 *
 *   inventory:
 *     accounts:
 *       inventory: "1200"
 *       cogs: "5100"
 *       grni: "2100"
 *       adjustments: "5200"
 *       revenue: "4000"
 *       payments: {cash: "1000", card: "1100"}
 *     locations:
 *       - {code: S1, name: High Street, kind: store, negative_stock: false,
 *          account: "1200"}
 *     items:
 *       - {sku: TEA, name: Green tea, scale: 3, method: average,
 *          tax_category: standard, unit: kg, category: tea, supplier: ACME,
 *          revenue_account: "4000", barcodes: ["4006381333931"],
 *          reorder: [{location: S1, point: "2.000", qty: "5.000"}]}
 *       - {sku: MILK, name: Milk 1 l, track: lot}     # or serial, none
 *
 * Tax categories come from the "taxes" section and suppliers from
 * "parties", both applied before this one.
 */
#include "inventory/pricing.h"

#include <stdio.h>
#include <string.h>

static int cfg_flag(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field, int *out)
{
    *out = 0;
    if (!v)
        return 0;
    if (v->kind != BO__CFG_SCALAR || v->type != BO__CFG_BOOL)
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected true or false, got %s",
                             field, bo__cfg_kind_name(v));
    *out = !strcmp(v->text, "true") || !strcmp(v->text, "True") ||
           !strcmp(v->text, "TRUE") || !strcmp(v->text, "yes");
    return 0;
}

static int accounts(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *map)
{
    static const char *const keys[] = {"inventory", "cogs", "grni", "adjustments",
                                       "revenue", "over_short", "payments"};
    enum { K_PAYMENTS = 6, K_N = 7 };
    const bo__cfg_node *v[K_N];
    int rc;
    if ((rc = bo__cfg_kind(d, map, BO__CFG_MAP, "inventory.accounts")) ||
        (rc = bo__cfg_fields(d, map, "inventory.accounts", keys, v, K_N)))
        return rc;
    for (int k = 0; k < K_PAYMENTS; k++) {
        const char *code;
        char key[48];
        if (!v[k])
            continue;
        snprintf(key, sizeof key, "account.%s", keys[k]);
        if ((rc = bo__cfg_text(d, v[k], keys[k], &code)))
            return rc;
        if ((rc = bo_inventory_setting_set(b, key, code)))
            return bo__cfg_apply_error(d, v[k], rc);
    }
    const bo__cfg_node *pay = v[K_PAYMENTS];
    if (!pay)
        return 0;
    if ((rc = bo__cfg_kind(d, pay, BO__CFG_MAP, "inventory.accounts.payments")))
        return rc;
    for (uint32_t i = 0; i + 1 < pay->n; i += 2) {
        const bo__cfg_node *k = bo__cfg_node_at(d, pay->kids[i]);
        const bo__cfg_node *val = bo__cfg_node_at(d, pay->kids[i + 1]);
        const char *method, *code;
        char key[BO_CODE_MAX + 16];
        if ((rc = bo__cfg_text(d, k, "payment method", &method)) ||
            (rc = bo__cfg_text(d, val, "payment account", &code)))
            return rc;
        snprintf(key, sizeof key, "payment.%s", method);
        if ((rc = bo_inventory_setting_set(b, key, code)))
            return bo__cfg_apply_error(d, k, rc);
    }
    return 0;
}

static int locations(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "name", "kind", "negative_stock", "account"};
    enum { K_CODE, K_NAME, K_KIND, K_NEG, K_ACCOUNT, K_N };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "inventory.locations");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "inventory.locations[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = K_CODE; k <= K_NAME; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code, *name, *kind = "store", *account = NULL;
        int neg;
        if ((rc = bo__cfg_text(d, v[K_CODE], "code", &code)) ||
            (rc = bo__cfg_text(d, v[K_NAME], "name", &name)) ||
            (v[K_KIND] && (rc = bo__cfg_text(d, v[K_KIND], "kind", &kind))) ||
            (v[K_ACCOUNT] && (rc = bo__cfg_text(d, v[K_ACCOUNT], "account", &account))) ||
            (rc = cfg_flag(d, v[K_NEG], "negative_stock", &neg)))
            return rc;
        if ((rc = bo_inventory_location_add(b, code, name, kind, neg)))
            return bo__cfg_apply_error(d, v[K_KIND] && rc == BO_EINVAL ? v[K_KIND] : item, rc);
        if (account && (rc = bo_inventory_location_update(b, code,
                &(bo_inventory_location_changes){
                    .version = BO_INVENTORY_LOCATION_CHANGES_VERSION,
                    .negative_stock = BO_UNCHANGED, .inventory_account = account })))
            return bo__cfg_apply_error(d, v[K_ACCOUNT], rc);
    }
    return rc;
}

static int reorders(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq,
                    const char *sku, int scale, const char *where)
{
    static const char *const keys[] = {"location", "point", "qty"};
    const bo__cfg_node *v[3];
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "reorder");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]);
        char w[96];
        snprintf(w, sizeof w, "%s.reorder[%u]", where, (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, w)) ||
            (rc = bo__cfg_fields(d, item, w, keys, v, 3)))
            return rc;
        for (int k = 0; k < 3; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, w, keys[k]);
        const char *loc, *pt, *q;
        int64_t point, qty;
        if ((rc = bo__cfg_text(d, v[0], "location", &loc)) ||
            (rc = bo__cfg_text(d, v[1], "point", &pt)) ||
            (rc = bo__cfg_text(d, v[2], "qty", &q)))
            return rc;
        if ((rc = bo_inventory_qty_parse(pt, scale, &point)))
            return bo__cfg_apply_error(d, v[1], rc);
        if ((rc = bo_inventory_qty_parse(q, scale, &qty)))
            return bo__cfg_apply_error(d, v[2], rc);
        if ((rc = bo_inventory_reorder_set(b, sku, loc, point, qty)))
            return bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int items(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"sku", "name", "scale", "method", "tax_category",
                                       "barcodes", "reorder", "negative_stock", "track",
                                       /* set with bo_inventory_item_update: */
                                       "unit", "category", "supplier", "revenue_account"};
    enum { K_SKU, K_NAME, K_SCALE, K_METHOD, K_TAX, K_BARCODES, K_REORDER, K_NEG,
           K_TRACK, K_FIRST_SET, K_N = 13 };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "inventory.items");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "inventory.items[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = K_SKU; k <= K_NAME; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *sku, *name, *method = "fifo", *tax = NULL;
        int scale = 0, neg;
        if ((rc = bo__cfg_text(d, v[K_SKU], "sku", &sku)) ||
            (rc = bo__cfg_text(d, v[K_NAME], "name", &name)) ||
            (v[K_SCALE] && (rc = bo__cfg_int(d, v[K_SCALE], "scale", 0, BO_INVENTORY_SCALE_MAX,
                                             &scale))) ||
            (v[K_METHOD] && (rc = bo__cfg_text(d, v[K_METHOD], "method", &method))) ||
            (v[K_TAX] && (rc = bo__cfg_text(d, v[K_TAX], "tax_category", &tax))) ||
            (rc = cfg_flag(d, v[K_NEG], "negative_stock", &neg)))
            return rc;
        int m = !strcmp(method, "fifo") ? BO_INVENTORY_FIFO
              : !strcmp(method, "average") ? BO_INVENTORY_AVERAGE : 0;
        if (!m)
            return bo__cfg_error(d, v[K_METHOD], BO_ECONFIG, "%s.method: expected fifo "
                                 "or average", where);
        if ((rc = bo_inventory_item_add(b, sku, name, scale, m, tax)))
            return bo__cfg_apply_error(d, item, rc);
        if (neg) {
            bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
            ch.negative_stock = 1;
            if ((rc = bo_inventory_item_update(b, sku, &ch)))
                return bo__cfg_apply_error(d, v[K_NEG], rc);
        }
        for (int k = K_FIRST_SET; k < K_N; k++) {
            bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
            const char **member[] = { &ch.unit, &ch.category, &ch.supplier,
                                      &ch.revenue_account };
            if (!v[k])
                continue;
            if ((rc = bo__cfg_text(d, v[k], keys[k], member[k - K_FIRST_SET])))
                return rc;
            if ((rc = bo_inventory_item_update(b, sku, &ch)))
                return bo__cfg_apply_error(d, v[k], rc);
        }
        if (v[K_BARCODES]) {
            const bo__cfg_node *bc = v[K_BARCODES];
            if ((rc = bo__cfg_kind(d, bc, BO__CFG_SEQ, "barcodes")))
                return rc;
            for (uint32_t j = 0; j < bc->n; j++) {
                const bo__cfg_node *n = bo__cfg_node_at(d, bc->kids[j]);
                const char *code;
                if ((rc = bo__cfg_text(d, n, "barcode", &code)))
                    return rc;
                if ((rc = bo_inventory_item_barcode_add(b, sku, code)))
                    return bo__cfg_apply_error(d, n, rc);
            }
        }
        if (v[K_REORDER] && (rc = reorders(b, d, v[K_REORDER], sku, scale, where)))
            return rc;
        if (v[K_TRACK]) { /* lots or serial numbers (lots.c) */
            const char *t;
            if ((rc = bo__cfg_text(d, v[K_TRACK], "track", &t)))
                return rc;
            int mode = !strcmp(t, "lot") ? BO_INVENTORY_TRACK_LOT
                     : !strcmp(t, "serial") ? BO_INVENTORY_TRACK_SERIAL
                     : !strcmp(t, "none") ? BO_INVENTORY_TRACK_NONE : -1;
            if (mode < 0)
                return bo__cfg_error(d, v[K_TRACK], BO_ECONFIG, "%s.track: expected lot,"
                                     " serial or none", where);
            if ((rc = bo_inventory_track_set(b, sku, mode)))
                return bo__cfg_apply_error(d, v[K_TRACK], rc);
        }
    }
    return rc;
}

int bo__cfg_section_inventory(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = {"accounts", "locations", "items",
                                       /* config_pricing.c */
                                       "units", "price_groups", "price_lists", "promotions"};
    const bo__cfg_node *v[7];
    int rc;
    if ((rc = bo__cfg_kind(d, node, BO__CFG_MAP, "inventory")) ||
        (rc = bo__cfg_fields(d, node, "inventory", keys, v, 7)))
        return rc;
    if (v[0] && (rc = accounts(b, d, v[0])))
        return rc;
    if (v[1] && (rc = locations(b, d, v[1])))
        return rc;
    if (v[2] && (rc = items(b, d, v[2])))
        return rc;
    return bo__cfg_inventory_pricing(b, d, v[3], v[4], v[5], v[6]);
}
