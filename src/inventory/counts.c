/* Stock counts: a session per location, counted quantities per item, and
 * posting that turns every difference into an adjustment (movement kind
 * "count") valued like bo_inventory_adjust(). */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_COUNT_ADD[] =
    "INSERT INTO inv_counts (location_id, date, status, idem_key, digest)"
    " VALUES (?, ?, 'open', ?, ?) RETURNING id";
static const char SQL_COUNT_BY_KEY[] = "SELECT id, digest FROM inv_counts WHERE idem_key = ?";
static const char SQL_COUNT_BY_POST_KEY[] =
    "SELECT id, post_digest FROM inv_counts WHERE post_key = ?";
static const char SQL_COUNT_GET[] =
    "SELECT c.status, c.date, l.code FROM inv_counts c"
    " JOIN inv_locations l ON l.id = c.location_id WHERE c.id = ?";
static const char SQL_COUNT_SET[] =
    "INSERT INTO inv_count_lines (count_id, item_id, counted) VALUES (?, ?, ?)"
    " ON CONFLICT (count_id, item_id) DO UPDATE SET counted = excluded.counted";
static const char SQL_COUNT_ITEMS[] =
    "SELECT i.sku, c.counted FROM inv_count_lines c JOIN inv_items i ON i.id = c.item_id"
    " WHERE c.count_id = ? AND c.expected IS NULL ORDER BY i.sku LIMIT 64";
static const char SQL_COUNT_LINE_DONE[] =
    "UPDATE inv_count_lines SET expected = ?, value = ? WHERE count_id = ? AND item_id ="
    " (SELECT id FROM inv_items WHERE sku = ?)";
static const char SQL_COUNT_POSTED[] =
    "UPDATE inv_counts SET status = 'posted', post_key = ?, post_digest = ? WHERE id = ?";
static const char SQL_COUNT_LINES[] =
    "SELECT i.sku, c.counted, COALESCE(c.expected, s.on_hand, 0),"
    " c.counted - COALESCE(c.expected, s.on_hand, 0), c.value, i.scale"
    " FROM inv_count_lines c JOIN inv_counts k ON k.id = c.count_id"
    " JOIN inv_items i ON i.id = c.item_id"
    " LEFT JOIN inv_stock s ON s.item_id = c.item_id AND s.location_id = k.location_id"
    " WHERE c.count_id = ? ORDER BY i.sku";

struct count_ctx {
    const char *loc, *sku, *key;
    int64_t id, qty;
    char date[11];
    char digest[65];
};

/* The canonical forms of a count's start and posting (bo__idem_claim). */
static int start_digest(struct count_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.count.start");
    bo__buf_field(&d, c->loc);
    bo__buf_field(&d, c->date);
    return bo__buf_digest(&d, c->digest);
}

static int post_digest(struct count_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.count.post");
    bo__buf_field_int(&d, c->id);
    return bo__buf_digest(&d, c->digest);
}

/* The key of a count call's options (NULL options: none). */
static int opts_key(const bo_inventory_count_options *opts, const char *what, const char **key)
{
    int rc = opts ? bo__opts_version(opts->version, BO_INVENTORY_COUNT_OPTIONS_VERSION) : 0;
    *key = opts ? opts->key : NULL;
    return rc ? rc : bo__idem_require(what, *key);
}

int bo_inventory_count_options_init(bo_inventory_count_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_INVENTORY_COUNT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_INVENTORY_COUNT_OPTIONS_VERSION);
    bo_inventory_count_options init = BO_INVENTORY_COUNT_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static int count_get(bo_book *b, int64_t id, char date[11], char loc[BO_CODE_MAX + 1])
{
    char status[16] = "";
    int found = 0;
    int rc = bo__store_row(b->store, SQL_COUNT_GET, &found, "i>ttt", id, status,
                           sizeof status, date, 11, loc, BO_CODE_MAX + 1);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "count %" PRId64 " not found", id);
    if (!rc && strcmp(status, "open"))
        rc = bo__error_set(BO_ESTATE, "count %" PRId64 " is posted already", id);
    return rc;
}

static int start_tx(bo_book *b, void *p)
{
    struct count_ctx *c = p;
    bo__inv_loc l;
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__idem_claim(b, SQL_COUNT_BY_KEY, "stock count", c->key, c->digest, &c->id,
                             &state)) || state == BO__IDEM_REPLAY ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)))
        return rc;
    if ((rc = bo__store_insert(b->store, SQL_COUNT_ADD, NULL, &c->id, "ittt", l.id,
                               c->date, c->key, c->digest)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ERROR, "count: insert returned no id");
    char object[48];
    snprintf(object, sizeof object, "count:%" PRId64, c->id);
    return bo__audit_append(b, "inventory.count.start", object, l.code);
}

int bo_inventory_count_start(bo_book *b, const char *location, bo_date date,
                          const bo_inventory_count_options *opts, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct count_ctx c = { location, NULL, NULL, 0, 0, "", "" };
    int rc = opts_key(opts, "a stock count", &c.key);
    if (rc)
        return rc;
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = bo__name_check("location", location, BO_CODE_MAX)) || (rc = start_digest(&c)))
        return rc;
    rc = bo__write(b, start_tx, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}

static int set_tx(bo_book *b, void *p)
{
    struct count_ctx *c = p;
    bo__inv_item it;
    char date[11], loc[BO_CODE_MAX + 1];
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) || (rc = count_get(b, c->id, date, loc)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 1, &it)) ||
        (rc = bo__store_run(b->store, SQL_COUNT_SET, "iii", c->id, it.id, c->qty)))
        return rc;
    char object[48];
    snprintf(object, sizeof object, "count:%" PRId64, c->id);
    return bo__audit_append(b, "inventory.count.set", object, it.sku);
}

int bo_inventory_count_set(bo_book *b, int64_t count_id, const char *sku, int64_t qty)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (qty < 0)
        return bo__error_set(BO_EINVAL, "qty: %" PRId64 " must not be negative", qty);
    struct count_ctx c = { NULL, sku, NULL, count_id, qty, "", "" };
    return bo__write(b, set_tx, &c);
}

static int post_tx(bo_book *b, void *p)
{
    struct count_ctx *c = p;
    char date[11], loc[BO_CODE_MAX + 1];
    int64_t posted;
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__idem_claim(b, SQL_COUNT_BY_POST_KEY, "count posting", c->key, c->digest,
                             &posted, &state)) || state == BO__IDEM_REPLAY ||
        (rc = count_get(b, c->id, date, loc)))
        return rc;
    char ref[48];
    snprintf(ref, sizeof ref, "count:%" PRId64, c->id);
    for (;;) {
        struct { char sku[BO_CODE_MAX + 1]; int64_t counted; } batch[64];
        int n = 0;
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_COUNT_ITEMS, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "i", c->id))) {
            while (n < 64 && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                snprintf(batch[n].sku, sizeof batch[n].sku, "%s", bo__stmt_col_text(s, 0));
                batch[n++].counted = bo__stmt_col_int(s, 1);
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
        if (rc)
            return rc;
        if (n == 0)
            break;
        for (int i = 0; i < n; i++) {
            bo__inv_item it;
            bo__inv_loc l;
            bo__inv_stock st;
            int64_t value = 0;
            if ((rc = bo__inv_item_find(b, "sku", batch[i].sku, 0, &it)) ||
                (rc = bo__inv_loc_find(b, "location", loc, &l)) ||
                (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)))
                return rc;
            int64_t delta = batch[i].counted - st.on_hand;
            if (delta && (rc = bo__inv_adjust_in_tx(b, it.sku, loc, delta, date, ref, &value)))
                return bo__error_prefix("item '%s': ", it.sku);
            if ((rc = bo__store_run(b->store, SQL_COUNT_LINE_DONE, "iiit", st.on_hand, value, c->id,
                                    it.sku)))
                return rc;
        }
    }
    if ((rc = bo__store_run(b->store, SQL_COUNT_POSTED, "tti", c->key, c->digest, c->id)))
        return rc;
    char object[48];
    snprintf(object, sizeof object, "count:%" PRId64, c->id);
    return bo__audit_append(b, "inventory.count.post", object, loc);
}

int bo_inventory_count_post(bo_book *b, int64_t count_id, const bo_inventory_count_options *opts)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct count_ctx c = { NULL, NULL, NULL, count_id, 0, "", "" };
    int rc = opts_key(opts, "a count posting", &c.key);
    if (rc || (rc = post_digest(&c)))
        return rc;
    return bo__write(b, post_tx, &c);
}

static const bo__col count_cols[] = {
    { "sku", BO_TYPE_TEXT }, { "counted", BO_TYPE_INT }, { "expected", BO_TYPE_INT },
    { "variance", BO_TYPE_INT }, { "value", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_inventory_count_lines(bo_book *b, int64_t count_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    /* a posted count lists too */
    static const bo__parent count = { SQL_COUNT_GET, "count", " not found" };
    return bo__listing(b, BO__P_INVENTORY_READ, &count, SQL_COUNT_LINES, count_cols, 6, out,
                       "i", count_id);
}
