/* Promotions: percent or amount off, buy X get Y, bundles of two items, any
 * of them behind a coupon code. Each is versioned: setting a promotion again
 * replaces it and raises its version, which the sale records beside the
 * discount it gave. The order a sale applies them in, and the rounding, are
 * in docs/inventory.md ("Price lists and promotions"). */
#include "inventory/pricing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_PROMO_BY_CODE[] = "SELECT id, version FROM inv_promotions WHERE code = ?";
static const char SQL_PROMO_SAME[] =
    "SELECT 1 FROM inv_promotions WHERE id = ? AND kind = ? AND COALESCE(item_id, 0) = ?"
    " AND COALESCE(item2_id, 0) = ? AND buy_qty = ? AND get_qty = ? AND value = ?"
    " AND COALESCE(coupon, '') = ? AND date_from = ? AND date_to = ?";
static const char SQL_PROMO_DEL[] = "DELETE FROM inv_promotions WHERE id = ?";
static const char SQL_PROMO_ADD[] =
    "INSERT INTO inv_promotions (code, kind, item_id, item2_id, buy_qty, get_qty, value,"
    " coupon, date_from, date_to, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PROMO_ADD_ID[] =
    "INSERT INTO inv_promotions (id, code, kind, item_id, item2_id, buy_qty, get_qty, value,"
    " coupon, date_from, date_to, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
/* In the order a sale applies them: buy X get Y, bundles, percent, amount. */
static const char SQL_PROMO_IN_FORCE[] =
    "SELECT code, kind, item_id, item2_id, buy_qty, get_qty, value, version"
    " FROM inv_promotions WHERE date_from <= ? AND date_to >= ?"
    " AND (coupon IS NULL OR coupon = ?)"
    " ORDER BY CASE kind WHEN 'buy_get' THEN 1 WHEN 'bundle' THEN 2"
    " WHEN 'percent' THEN 3 ELSE 4 END, code";
static const char SQL_COUPON_IN_FORCE[] =
    "SELECT 1 FROM inv_promotions WHERE coupon = ? AND date_from <= ? AND date_to >= ?";
static const char SQL_COUPON_LAST[] =
    "SELECT date_from, date_to FROM inv_promotions WHERE coupon = ?"
    " ORDER BY date_to DESC LIMIT 1";

int bo_inventory_promotion_init(bo_inventory_promotion *p, unsigned int version)
{
    bo__error_clear();
    if (!p)
        return bo__error_set(BO_EINVAL, "promotion: NULL");
    if (version != BO_INVENTORY_PROMOTION_VERSION)
        return bo__error_set(BO_EINVAL, "version: %u is not %d", version,
                             BO_INVENTORY_PROMOTION_VERSION);
    bo_inventory_promotion init = BO_INVENTORY_PROMOTION_INIT;
    *p = init;
    return 0;
}

static int kind_rank(const char *kind)
{
    static const char *const kinds[] = { "buy_get", "bundle", "percent", "amount" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(kind, kinds[i]))
            return i + 1;
    return 0;
}

static int promo_check(const bo_inventory_promotion *p)
{
    int rc;
    if ((rc = bo__name_check("code", p->code, BO_CODE_MAX)) ||
        (rc = bo__name_check("kind", p->kind, BO_CODE_MAX)) ||
        (p->sku && (rc = bo__name_check("sku", p->sku, BO_CODE_MAX))) ||
        (p->sku2 && (rc = bo__name_check("sku2", p->sku2, BO_CODE_MAX))) ||
        (p->coupon && (rc = bo__name_check("coupon", p->coupon, BO_CODE_MAX))))
        return rc;
    int k = kind_rank(p->kind);
    if (!k)
        return bo__error_set(BO_EINVAL, "kind: '%s' is not percent, amount, buy_get or "
                             "bundle", p->kind);
    if (p->value < 0)
        return bo__error_set(BO_EINVAL, "value: must not be negative");
    if (k == 3 && p->value > 10000)
        return bo__error_set(BO_EINVAL, "value: %" PRId64 " basis points is more than 100%%",
                             p->value);
    if ((k == 1 || k == 2) && !p->sku)
        return bo__error_set(BO_EINVAL, "sku: a %s promotion names its item", p->kind);
    if (k == 1 && (p->buy <= 0 || p->get <= 0 || p->buy > INT64_MAX - p->get))
        return bo__error_set(BO_EINVAL, "%s: buy_get needs buy > 0 and get > 0",
                             p->buy <= 0 ? "buy" : "get");
    if (k == 2 && !p->sku2)
        return bo__error_set(BO_EINVAL, "sku2: a bundle names its second item");
    char d[11];
    bo__date_iso(p->from, d);
    if (!d[0])
        return bo__error_set(BO_EINVAL, "from: out of range");
    bo__date_iso(p->to, d);
    if (!d[0])
        return bo__error_set(BO_EINVAL, "to: out of range");
    if (p->to < p->from)
        return bo__error_set(BO_EINVAL, "to: before from");
    return 0;
}

static int promo_set_tx(bo_book *b, void *ctx)
{
    const bo_inventory_promotion *p = ctx;
    bo__inv_item a = { 0 }, c = { 0 };
    int64_t id = 0, version = 0;
    int found = 0, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (p->sku && (rc = bo__inv_item_find(b, "sku", p->sku, 0, &a))) ||
        (p->sku2 && (rc = bo__inv_item_find(b, "sku2", p->sku2, 0, &c))) ||
        (rc = bo__store_row(b->store, SQL_PROMO_BY_CODE, &found, "t>ii", p->code, &id,
                            &version)))
        return rc;
    char from[11], to[11];
    bo__date_iso(p->from, from);
    bo__date_iso(p->to, to);
    /* the same promotion again (a retry) changes nothing, not even the
     * version; a new version keeps the promotion's id */
    if (found) {
        int same = 0;
        if ((rc = bo__store_row(b->store, SQL_PROMO_SAME, &same, "itiiiiittt", id, p->kind,
                                a.id, c.id, p->buy, p->get, p->value,
                                p->coupon ? p->coupon : "", from, to)) || same)
            return rc;
        rc = bo__store_run(b->store, SQL_PROMO_DEL, "i", id);
    }
    if (!rc && found)
        rc = bo__store_run(b->store, SQL_PROMO_ADD_ID, "ittIIiiittti", id, p->code, p->kind,
                           a.id, c.id, p->buy, p->get, p->value, p->coupon, from, to,
                           version + 1);
    else if (!rc)
        rc = bo__store_run(b->store, SQL_PROMO_ADD, "ttIIiiittti", p->code, p->kind, a.id,
                           c.id, p->buy, p->get, p->value, p->coupon, from, to, (int64_t)1);
    /* the handles that kept "no promotion" read the table again */
    if (rc || (rc = bo__book_bump_generation(b)))
        return rc;
    char object[BO_CODE_MAX + 16], detail[4 * BO_CODE_MAX + 160];
    snprintf(object, sizeof object, "promotion:%s", p->code);
    snprintf(detail, sizeof detail, "v%" PRId64 " %s %s %s %" PRId64 "/%" PRId64 " %" PRId64
             " %s %s..%s", version + 1, p->kind, p->sku ? p->sku : "-",
             p->sku2 ? p->sku2 : "-", p->buy, p->get, p->value, p->coupon ? p->coupon : "-",
             from, to);
    return bo__audit_append(b, "inventory.promotion.set", object, detail);
}

int bo_inventory_promotion_set(bo_book *b, const bo_inventory_promotion *p)
{
    bo__error_clear();
    if (!b || !p)
        return bo__error_set(BO_EINVAL, "book/promotion: NULL");
    if (p->version != BO_INVENTORY_PROMOTION_VERSION)
        return bo__error_set(BO_EINVAL, "version: %u is not %d", p->version,
                             BO_INVENTORY_PROMOTION_VERSION);
    int rc = promo_check(p);
    if (rc)
        return rc;
    return bo__write(b, promo_set_tx, (void *)p);
}

static const char SQL_PROMOS[] =
    "SELECT p.code, p.kind, a.sku, c.sku, p.buy_qty, p.get_qty,"
    " CASE WHEN p.kind = 'percent' THEN NULL ELSE p.value END,"
    " CASE WHEN p.kind = 'percent' THEN p.value ELSE NULL END, p.coupon,"
    " p.date_from, p.date_to, p.version FROM inv_promotions p"
    " LEFT JOIN inv_items a ON a.id = p.item_id LEFT JOIN inv_items c ON c.id = p.item2_id"
    " ORDER BY p.code";
static const bo__col promo_cols[] = {
    { "code", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT }, { "sku", BO_TYPE_TEXT },
    { "sku2", BO_TYPE_TEXT }, { "buy", BO_TYPE_INT }, { "get", BO_TYPE_INT },
    { "amount", BO_TYPE_INT }, { "basis_points", BO_TYPE_INT }, { "coupon", BO_TYPE_TEXT },
    { "from", BO_TYPE_TEXT }, { "to", BO_TYPE_TEXT }, { "version", BO_TYPE_INT },
};

int bo_inventory_promotions(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_PROMOS, promo_cols, 12, out, "");
}

/* ---- applying them to a sale ------------------------------------------------ */

/* Most promotions one sale considers. */
#define PROMOS_MAX 256

typedef struct promo {
    char code[BO_CODE_MAX + 1];
    int kind;
    int64_t item, item2, buy, get, value, version;
} promo;

/* Give line l discount d (capped at what is left of its amount) under p. */
static int give(bo__price_line *l, const promo *p, int64_t d)
{
    int64_t left = l->amount - l->promo;
    if (d > left)
        d = left;
    if (d <= 0)
        return 0;
    l->promo += d;
    l->active = 1;
    bo__buf_printf(&l->rules, "%s%s@v%" PRId64 ":-%" PRId64, l->rules.len ? ";" : "",
                   p->code, p->version, d);
    return l->rules.failed ? BO_ENOMEM : 0;
}

/* Whole units of a line in its own unit. */
static int64_t whole_units(const bo__price_line *l)
{
    return l->qty / bo__inv_pow10(l->it.scale);
}

static int apply_one(const promo *p, bo__price_line *lines, int n)
{
    int64_t d;
    int rc = 0;
    if (p->kind == 1) { /* buy X get Y, per line, in whole units */
        for (int i = 0; i < n && !rc; i++) {
            bo__price_line *l = &lines[i];
            if (l->held || l->it.id != p->item)
                continue;
            int64_t free = whole_units(l) / (p->buy + p->get) * p->get;
            if (free > 0 && bo_money_muldiv(l->unit_price, free, 1, BO_ROUND_HALF_EVEN, &d))
                return bo__error_set(BO_EOVERFLOW, "line %d: the discount of promotion "
                                     "'%s' overflows", i + 1, p->code);
            if (free > 0)
                rc = give(l, p, d);
        }
        return rc;
    }
    if (p->kind == 2) { /* one of each item for value: on the first line of the first */
        int64_t na = 0, nb = 0;
        bo__price_line *a = NULL, *c = NULL;
        for (int i = 0; i < n; i++) {
            bo__price_line *l = &lines[i];
            if (l->held)
                continue;
            if (l->it.id == p->item) {
                na += whole_units(l);
                a = a ? a : l;
            } else if (l->it.id == p->item2) {
                nb += whole_units(l);
                c = c ? c : l;
            }
        }
        int64_t sets = na < nb ? na : nb, both, each;
        if (!a || !c || sets <= 0)
            return 0;
        if (bo_money_add(a->unit_price, c->unit_price, &both) ||
            bo_money_sub(both, p->value, &each) ||
            bo_money_muldiv(each, sets, 1, BO_ROUND_HALF_EVEN, &d))
            return bo__error_set(BO_EOVERFLOW, "the discount of bundle '%s' overflows",
                                 p->code);
        return give(a, p, d);
    }
    for (int i = 0; i < n && !rc; i++) {
        bo__price_line *l = &lines[i];
        if (l->held || (p->item && l->it.id != p->item))
            continue;
        if (p->kind == 3) { /* percent of what is left, half to even */
            if (bo_money_muldiv(l->amount - l->promo, p->value, 10000, BO_ROUND_HALF_EVEN,
                                &d))
                return bo__error_set(BO_EOVERFLOW, "line %d: the discount of promotion "
                                     "'%s' overflows", i + 1, p->code);
        } else
            d = p->value;
        rc = give(l, p, d);
    }
    return rc;
}

static int read_promos(bo_book *b, const char *date, const char *coupon, promo *out,
                       int *n)
{
    bo__stmt *st;
    int rc = bo__stmt_get(b->store, SQL_PROMO_IN_FORCE, &st);
    *n = 0;
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(st, "ttt", date, date, coupon ? coupon : ""))) {
        while ((rc = bo__stmt_step(st)) == BO_DRIVER_ROW) {
            if (*n == PROMOS_MAX) {
                rc = bo__error_set(BO_ELIMIT, "promotions: more than %d in force on %s",
                                   PROMOS_MAX, date);
                break;
            }
            promo *p = &out[(*n)++];
            snprintf(p->code, sizeof p->code, "%s", bo__stmt_col_text(st, 0));
            p->kind = kind_rank(bo__stmt_col_text(st, 1));
            p->item = bo__stmt_col_int(st, 2);
            p->item2 = bo__stmt_col_int(st, 3);
            p->buy = bo__stmt_col_int(st, 4);
            p->get = bo__stmt_col_int(st, 5);
            p->value = bo__stmt_col_int(st, 6);
            p->version = bo__stmt_col_int(st, 7);
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(st);
    return rc;
}

int bo__promotions_coupon_check(bo_book *b, const char *date, const char *coupon)
{
    int found = 0, rc;
    if (!coupon)
        return 0;
    if ((rc = bo__store_row(b->store, SQL_COUPON_IN_FORCE, &found, "ttt", coupon, date,
                            date)) || found)
        return rc;
    char from[11] = "", to[11] = "";
    if ((rc = bo__store_row(b->store, SQL_COUPON_LAST, &found, "t>tt", coupon, from,
                            sizeof from, to, sizeof to)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "coupon: '%s' is not the coupon of any promotion",
                             coupon);
    if (strcmp(to, date) < 0)
        return bo__error_set(BO_EEXPIRED, "coupon: '%s' expired on %s", coupon, to);
    return bo__error_set(BO_ESTATE, "coupon: '%s' is valid from %s", coupon, from);
}

int bo__promotions_apply(bo_book *b, const char *date, const char *coupon,
                         bo__price_line *lines, int n)
{
    promo *ps = bo__calloc(PROMOS_MAX, sizeof *ps);
    int np = 0, rc;
    if (!ps)
        return BO_ENOMEM;
    rc = read_promos(b, date, coupon, ps, &np);
    for (int i = 0; i < np && !rc; i++)
        rc = apply_one(&ps[i], lines, n);
    bo__free(ps);
    return rc;
}

static const char SQL_PROMO_ANY[] =
    "SELECT 1 FROM inv_promotions WHERE date_from <= ? AND date_to >= ?"
    " AND (coupon IS NULL OR coupon = ?) LIMIT 1";
/* A book without promotions (most) answers from the handle (a sale asked
 * SQL_PROMO_ANY every time: about 2,800 instructions). */
static const char SQL_PROMO_NONE[] = "SELECT 1 FROM inv_promotions LIMIT 1";
int bo__promotions_any(bo_book *b, const char *date, const char *coupon, int *any)
{
    *any = 0;
    int none = bo__inv_kept_no_promotions(b), rc;
    if (none == 1)
        return 0;
    if (none < 0 && b->depth > 0) {
        int some = 0;
        if ((rc = bo__store_row(b->store, SQL_PROMO_NONE, &some, "")))
            return rc;
        bo__inv_keep_no_promotions(b, !some);
        if (!some)
            return 0;
    }
    return bo__store_row(b->store, SQL_PROMO_ANY, any, "ttt", date, date,
                         coupon ? coupon : "");
}
