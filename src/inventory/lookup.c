/* Items and locations by code, barcode or id. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>

static const char SQL_ITEM_BY_SKU[] =
    "SELECT id, sku, scale, method, negative_stock, active, tax_category,"
    " revenue_account FROM inv_items WHERE sku = ?";
static const char SQL_ITEM_BY_BARCODE[] =
    "SELECT i.id, i.sku, i.scale, i.method, i.negative_stock, i.active,"
    " i.tax_category, i.revenue_account FROM inv_barcodes c"
    " JOIN inv_items i ON i.id = c.item_id WHERE c.barcode = ?";
static const char SQL_ITEM_BY_ID[] =
    "SELECT id, sku, scale, method, negative_stock, active, tax_category,"
    " revenue_account FROM inv_items WHERE id = ?";
static const char SQL_LOC_BY_CODE[] =
    "SELECT id, code, negative_stock, inventory_account FROM inv_locations"
    " WHERE code = ?";
static const char SQL_LOC_BY_ID[] =
    "SELECT id, code, negative_stock, inventory_account FROM inv_locations"
    " WHERE id = ?";

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int read_item(bo__stmt *s, void *out)
{
    bo__inv_item *it = out;
    it->id = bo__stmt_col_int(s, 0);
    copy_text(it->sku, sizeof it->sku, bo__stmt_col_text(s, 1));
    it->scale = (int)bo__stmt_col_int(s, 2);
    it->method = (int)bo__stmt_col_int(s, 3);
    it->negative_ok = (int)bo__stmt_col_int(s, 4);
    it->active = (int)bo__stmt_col_int(s, 5);
    copy_text(it->tax_category, sizeof it->tax_category, bo__stmt_col_text(s, 6));
    copy_text(it->revenue_account, sizeof it->revenue_account, bo__stmt_col_text(s, 7));
    return 0;
}

static int read_loc(bo__stmt *s, void *out)
{
    bo__inv_loc *l = out;
    l->id = bo__stmt_col_int(s, 0);
    copy_text(l->code, sizeof l->code, bo__stmt_col_text(s, 1));
    l->negative_ok = (int)bo__stmt_col_int(s, 2);
    copy_text(l->account, sizeof l->account, bo__stmt_col_text(s, 3));
    return 0;
}

int bo__inv_item_find(bo_book *b, const char *field, const char *sku,
                      int by_barcode, bo__inv_item *out)
{
    int found = 0, rc;
    if ((rc = bo__name_check(field, sku, BO_CODE_MAX)))
        return rc;
    if (bo__inv_kept_item(b, sku, by_barcode, out))
        return 0;
    rc = bo__store_row_read(b->store, by_barcode ? SQL_ITEM_BY_BARCODE : SQL_ITEM_BY_SKU,
                            read_item, out, &found, "t", sku);
    if (!rc && !found && by_barcode) /* a barcode or a SKU */
        rc = bo__store_row_read(b->store, SQL_ITEM_BY_SKU, read_item, out, &found, "t", sku);
    if (rc)
        return rc;
    if (!found) {
        char q[300];
        bo__quote(sku, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "%s: item '%s' not found", field, q);
    }
    bo__inv_keep_item(b, sku, by_barcode, out);
    return 0;
}

int bo__inv_item_by_id(bo_book *b, int64_t id, bo__inv_item *out)
{
    int found = 0;
    int rc = bo__store_row_read(b->store, SQL_ITEM_BY_ID, read_item, out, &found, "i", id);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "item %" PRId64 " not found", id);
    return rc;
}

int bo__inv_loc_find(bo_book *b, const char *field, const char *code,
                     bo__inv_loc *out)
{
    int found = 0, rc;
    if ((rc = bo__name_check(field, code, BO_CODE_MAX)))
        return rc;
    if (bo__inv_kept_loc(b, code, out))
        return 0;
    if ((rc = bo__store_row_read(b->store, SQL_LOC_BY_CODE, read_loc, out, &found, "t",
                                 code)))
        return rc;
    if (!found) {
        char q[300];
        bo__quote(code, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "%s: location '%s' not found", field, q);
    }
    bo__inv_keep_loc(b, code, out);
    return 0;
}

int bo__inv_loc_by_id(bo_book *b, int64_t id, bo__inv_loc *out)
{
    int found = 0;
    int rc = bo__store_row_read(b->store, SQL_LOC_BY_ID, read_loc, out, &found, "i", id);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "location %" PRId64 " not found", id);
    return rc;
}
