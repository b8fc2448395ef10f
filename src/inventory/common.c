/* Lookups, settings, argument checks and the entry builder shared by the
 * inventory calls. */
#include "inventory/inventory.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
static const char SQL_SETTING[] = "SELECT value FROM inv_settings WHERE key = ?";
static const char SQL_MOVE_BY_KEY[] = "SELECT id, digest FROM inv_moves WHERE idem_key = ?";
static const char SQL_MOVE_ADD[] =
    "INSERT INTO inv_moves (stock_id, kind, date, qty, value, reason, reference,"
    " idem_key, digest, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
/* The same for drivers that report the inserted key: RETURNING costs
 * SQLite a temporary table per statement. */
static const char SQL_MOVE_ADD_PLAIN[] =
    "INSERT INTO inv_moves (stock_id, kind, date, qty, value, reason, reference,"
    " idem_key, digest, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int bind_all(bo__stmt *s, const char *fmt, va_list ap)
{
    int rc = 0;
    for (int i = 0; fmt[i] && !rc; i++) {
        if (fmt[i] == 'i')
            rc = bo__stmt_int(s, i + 1, va_arg(ap, int64_t));
        else
            rc = bo__stmt_text(s, i + 1, va_arg(ap, const char *));
    }
    return rc;
}

int bo__inv_exec(bo_book *b, const char *sql, const char *fmt, ...)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = bind_all(s, fmt, ap);
    va_end(ap);
    if (!rc)
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    return rc;
}

static int item_row(bo__stmt *s, bo__inv_item *it)
{
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

static int one_row(bo_book *b, const char *sql, const char *text, int64_t id,
                   int (*read)(bo__stmt *, void *), void *out, int *found)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    rc = text ? bo__stmt_text(s, 1, text) : bo__stmt_int(s, 1, id);
    if (!rc) {
        rc = bo__stmt_step(s);
        *found = rc == BO_DRIVER_ROW;
        if (*found)
            rc = read(s, out);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

static int read_item(bo__stmt *s, void *out) { return item_row(s, out); }

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
    rc = one_row(b, by_barcode ? SQL_ITEM_BY_BARCODE : SQL_ITEM_BY_SKU, sku, 0,
                 read_item, out, &found);
    if (!rc && !found && by_barcode) /* a barcode or a SKU */
        rc = one_row(b, SQL_ITEM_BY_SKU, sku, 0, read_item, out, &found);
    if (rc)
        return rc;
    if (!found) {
        char q[300];
        bo__quote(sku, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "%s: item '%s' not found", field, q);
    }
    return 0;
}

int bo__inv_item_by_id(bo_book *b, int64_t id, bo__inv_item *out)
{
    int found = 0;
    int rc = one_row(b, SQL_ITEM_BY_ID, NULL, id, read_item, out, &found);
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
    if ((rc = one_row(b, SQL_LOC_BY_CODE, code, 0, read_loc, out, &found)))
        return rc;
    if (!found) {
        char q[300];
        bo__quote(code, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "%s: location '%s' not found", field, q);
    }
    return 0;
}

int bo__inv_loc_by_id(bo_book *b, int64_t id, bo__inv_loc *out)
{
    int found = 0;
    int rc = one_row(b, SQL_LOC_BY_ID, NULL, id, read_loc, out, &found);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "location %" PRId64 " not found", id);
    return rc;
}

static int read_setting(bo__stmt *s, void *out)
{
    copy_text(out, BO_CODE_MAX + 1, bo__stmt_col_text(s, 0));
    return 0;
}

int bo__inv_setting(bo_book *b, const char *key, char *out, int *found)
{
    out[0] = '\0';
    return one_row(b, SQL_SETTING, key, 0, read_setting, out, found);
}

int bo__inv_account(bo_book *b, const char *key, char out[BO_CODE_MAX + 1])
{
    int found = 0;
    int rc = bo__inv_setting(b, key, out, &found);
    if (!rc && !found)
        rc = bo__error_set(BO_ECONFIG, "inventory setting '%s' is not set", key);
    return rc;
}

int bo__inv_loc_account(bo_book *b, const bo__inv_loc *l, char out[BO_CODE_MAX + 1])
{
    if (l->account[0]) {
        memcpy(out, l->account, sizeof l->account);
        return 0;
    }
    return bo__inv_account(b, "account.inventory", out);
}

int bo__inv_move_add(bo_book *b, int64_t stock, const char *kind,
                     const char *date, int64_t qty, int64_t value,
                     const char *reason, const char *reference,
                     const char *key, const char *digest, int64_t entry, int64_t *id)
{
    bo__stmt *s;
    int plain = bo__store_has_insert_id(b->store);
    int rc = bo__stmt_get(b->store, plain ? SQL_MOVE_ADD_PLAIN : SQL_MOVE_ADD, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_int(s, 1, stock)) && !(rc = bo__stmt_text(s, 2, kind)) &&
        !(rc = bo__stmt_text(s, 3, date)) && !(rc = bo__stmt_int(s, 4, qty)) &&
        !(rc = bo__stmt_int(s, 5, value)) && !(rc = bo__stmt_text(s, 6, reason)) &&
        !(rc = bo__stmt_text(s, 7, reference)) && !(rc = bo__stmt_text(s, 8, key)) &&
        !(rc = bo__stmt_text(s, 9, key ? digest : NULL)) &&
        !(rc = entry ? bo__stmt_int(s, 10, entry) : bo__stmt_null(s, 10)) &&
        !(rc = bo__stmt_text(s, 11, b->actor))) {
        rc = bo__stmt_step(s);
        int64_t mid = 0;
        if (rc == BO_DRIVER_ROW) {
            mid = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc == BO_DRIVER_DONE && plain) {
            mid = bo__store_insert_id(b->store);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "movement: insert returned no id");
        }
        if (id)
            *id = mid;
        /* A sale's or a landed cost's movements have no record of their own. */
        if (!rc)
            rc = bo__audit_touch(b, "move", mid);
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    return 0;
}

int bo__inv_id_exists(bo_book *b, const char *sql, int64_t id, int *found)
{
    bo__stmt *s;
    *found = 0;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_int(s, 1, id))) {
        rc = bo__stmt_step(s);
        *found = rc == BO_DRIVER_ROW;
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

int bo__inv_move_claim(bo_book *b, const char *key, const char *digest,
                       int64_t *id, int *state)
{
    return bo__idem_claim(b, SQL_MOVE_BY_KEY, "movement", key, digest, id, state);
}

/* ---- the entry a write posts ---------------------------------------------- */

int bo__inv_post_add(bo__inv_post *p, const char *account, int64_t amount)
{
    if (amount == 0)
        return 0;
    for (int i = 0; i < p->n; i++) {
        if (strcmp(p->p[i].account, account) == 0) {
            if (bo_money_add(p->p[i].amount, amount, &p->p[i].amount)) {
                p->failed = 1;
                return bo__error_set(BO_EOVERFLOW, "account '%s': the entry's "
                                     "amount overflows", account);
            }
            return 0;
        }
    }
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 8;
        void *np = bo__realloc(p->p, (size_t)cap * sizeof *p->p);
        if (!np) {
            p->failed = 1;
            return BO_ENOMEM;
        }
        p->p = np;
        p->cap = cap;
    }
    copy_text(p->p[p->n].account, sizeof p->p[p->n].account, account);
    p->p[p->n++].amount = amount;
    return 0;
}

void bo__inv_post_free(bo__inv_post *p)
{
    bo__free(p->p);
    p->p = NULL;
    p->n = p->cap = 0;
}

int bo__inv_post_commit(bo_book *b, bo__inv_post *p, const char *date,
                        const char *memo, int64_t *entry)
{
    *entry = 0;
    int rc = p->failed ? BO_EOVERFLOW : 0, kept = 0;
    for (int i = 0; i < p->n; i++)
        kept += p->p[i].amount != 0;
    if (rc || kept < 2) {
        bo__inv_post_free(p);
        return rc;
    }
    bo_date d;
    bo_entry *e = NULL;
    if (!(rc = bo_date_parse(date, &d)) && !(rc = bo_entry_new(&e, d, memo))) {
        for (int i = 0; i < p->n && !rc; i++)
            if (p->p[i].amount)
                rc = bo_entry_add(e, p->p[i].account, p->p[i].amount, NULL, NULL);
        if (!rc)
            rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, entry);
    }
    bo_entry_free(e);
    bo__inv_post_free(p);
    return rc;
}

/* ---- checks ------------------------------------------------------------- */

int bo__inv_qty_check(const char *field, int64_t qty, int signed_ok)
{
    if (qty == 0 || (!signed_ok && qty < 0))
        return bo__error_set(BO_EINVAL, "%s: %" PRId64 " must be %s", field, qty,
                             signed_ok ? "non-zero" : "positive");
    if (qty == INT64_MIN)
        return bo__error_set(BO_EOVERFLOW, "%s: out of range", field);
    return 0;
}

int bo__inv_opt_text(const char *field, const char *s)
{
    return bo__text_check(field, s, BO_TEXT_MAX, true, true);
}

int64_t bo__inv_pow10(int scale)
{
    int64_t p = 1;
    while (scale-- > 0)
        p *= 10;
    return p;
}

void bo__inv_time_after(int64_t seconds, char out[32])
{
    time_t t = time(NULL) + (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, tmp, 19);
    out[19] = '\0';
}
