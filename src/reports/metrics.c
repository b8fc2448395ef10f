/*
 * The sales metrics (include/backoffice/report.h, docs/reports.md): the
 * till's sales and returns read line by line, each placed on its store's
 * local day and hour, summed per group with the checked money helpers.
 *
 * Nothing is written. Rows are streamed from the store; only the groups are
 * held in memory (days of the range, 168 weekday-hours, items ...).
 */
#include "reports/reports.h"

#include "inventory/inventory.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest range of days one call reads. */
#define RANGE_MAX 3660

static const char *const WEEKDAYS[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };

int bo__rep_weekday(bo_date d)
{
    /* 1970-01-01 was a Thursday (3 counting from Monday = 0). */
    int64_t w = ((int64_t)d % 7 + 7 + 3) % 7;
    return (int)w;
}

const char *bo__rep_weekday_name(int w)
{
    return w >= 0 && w < 7 ? WEEKDAYS[w] : "?";
}

/* ---- time zones ------------------------------------------------------------ */

void bo__rep_zones_free(bo__rep_zones *z)
{
    for (int i = 0; i < z->n; i++)
        bo__tz_free(&z->z[i].tz);
    bo__free(z->z);
    bo__tz_free(&z->dflt);
    z->z = NULL;
    z->n = 0;
}

/* Set the zone of store code (clen bytes; "*": every other store) to the
 * zone text (zlen bytes); a later item replaces an earlier one. */
static int zone_put(bo__rep_zones *out, const char *code, size_t clen, const char *zone,
                    size_t zlen, const char *field)
{
    bo__tz tz;
    int rc = bo__tz_parse(field, zone, zlen, &tz);
    if (rc)
        return rc;
    if (clen == 1 && code[0] == '*') {
        bo__tz_free(&out->dflt);
        out->dflt = tz;
        return 0;
    }
    for (int i = 0; i < out->n; i++)
        if (strlen(out->z[i].code) == clen && memcmp(out->z[i].code, code, clen) == 0) {
            bo__tz_free(&out->z[i].tz);
            out->z[i].tz = tz;
            return 0;
        }
    bo__rep_zone *grown = bo__realloc(out->z, (size_t)(out->n + 1) * sizeof *grown);
    if (!grown) {
        bo__tz_free(&tz);
        return bo__error_set(BO_ENOMEM, "zones: out of memory");
    }
    out->z = grown;
    memcpy(out->z[out->n].code, code, clen);
    out->z[out->n].code[clen] = '\0';
    out->z[out->n].tz = tz;
    out->n++;
    return 0;
}

/* The items of spec on top of what out holds. */
static int zones_add(const char *spec, bo__rep_zones *out)
{
    if (!spec)
        return 0;
    if (strlen(spec) > 4096)
        return bo__error_set(BO_ETOOLONG, "zones: longer than 4096 bytes");
    const char *p = spec;
    int item = 0, rc;
    while (*p) {
        item++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p)
            return bo__error_set(BO_EINVAL, "zones: item %d: not STORE=ZONE", item);
        size_t clen = (size_t)(eq - p);
        char field[48];
        snprintf(field, sizeof field, "zones: item %d", item);
        if (clen > BO_CODE_MAX)
            return bo__error_set(BO_EINVAL, "%s: store code too long", field);
        if ((rc = zone_put(out, p, clen, eq + 1, len - clen - 1, field)))
            return rc;
        p = end ? end + 1 : p + len;
    }
    return 0;
}

int bo__rep_zones_parse(const char *spec, bo__rep_zones *out)
{
    memset(out, 0, sizeof *out);
    int rc = zones_add(spec, out);
    if (rc)
        bo__rep_zones_free(out);
    return rc;
}

int bo__rep_zones_load(bo_book *b, const char *spec, bo__rep_zones *out)
{
    memset(out, 0, sizeof *out);
    bo_cursor *c;
    int rc = bo_inventory_settings(b, &c);
    if (rc)
        return rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *key = bo_cursor_text(c, 0), *value = bo_cursor_text(c, 1);
        if (!key || strncmp(key, "zone.", 5) != 0 || !value)
            continue;
        char field[BO_CODE_MAX + 32];
        snprintf(field, sizeof field, "setting inventory.%.*s", BO_CODE_MAX, key);
        if (strlen(key + 5) > BO_CODE_MAX) {
            rc = bo__error_set(BO_ECORRUPT, "%s: store code too long", field);
            break;
        }
        if ((rc = zone_put(out, key + 5, strlen(key + 5), value, strlen(value), field)))
            break;
    }
    bo_cursor_free(c);
    if (rc == BO_ITEROVER)
        rc = zones_add(spec, out);
    if (rc)
        bo__rep_zones_free(out);
    return rc;
}

const bo__tz *bo__rep_zone_of(const bo__rep_zones *z, const char *code)
{
    for (int i = 0; code && i < z->n; i++)
        if (strcmp(z->z[i].code, code) == 0)
            return &z->z[i].tz;
    return &z->dflt;
}

/* The local day and hour of a record dated @p date, recorded at @p at
 * ("YYYY-MM-DDTHH:MM:SS..." UTC, or NULL) in a store of zone @p zone (its
 * offset at that moment). More than a day away from its date: its date,
 * hour -1. */
void bo__rep_local(bo_date date, const char *at, const bo__tz *zone, bo_date *day, int *hour)
{
    *day = date;
    *hour = -1;
    bo_date utc;
    if (!at || strlen(at) < 19 || at[10] != 'T')
        return;
    char d[11];
    memcpy(d, at, 10);
    d[10] = '\0';
    if (bo_date_parse(d, &utc) != 0) {
        bo__error_clear(); /* a moment that cannot be read: its date, no hour */
        return;
    }
    int hh = (at[11] - '0') * 10 + (at[12] - '0');
    int mm = (at[14] - '0') * 10 + (at[15] - '0');
    int ss = (at[17] - '0') * 10 + (at[18] - '0');
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return;
    int64_t seconds = (int64_t)utc * 86400 + hh * 3600 + mm * 60 + ss;
    int64_t local = (int64_t)utc * 1440 + hh * 60 + mm + bo__tz_offset(zone, seconds);
    int64_t ld = local >= 0 ? local / 1440 : -((-local + 1439) / 1440);
    int64_t lm = local - ld * 1440;
    if (ld < (int64_t)date - 1 || ld > (int64_t)date + 1)
        return;
    *day = (bo_date)ld;
    *hour = (int)(lm / 60);
}

/* ---- the groups ------------------------------------------------------------ */

typedef struct acc {
    char *key;
    int64_t ord;
    int64_t sales, lines, qty, gross, disc, ret, cost;
    int64_t last_sale;
    int64_t prev_sales, prev_net, prev_margin, prev_sold;
    int64_t scale; /* the item's, grouped by item */
} acc;

typedef struct table {
    acc *a;
    size_t n, cap;
} table;

static void table_free(table *t)
{
    for (size_t i = 0; i < t->n; i++)
        bo__free(t->a[i].key);
    bo__free(t->a);
    t->a = NULL;
    t->n = t->cap = 0;
}

static int cmp_key(int64_t ord, const char *key, const acc *a)
{
    if (ord != a->ord)
        return ord < a->ord ? -1 : 1;
    return strcmp(key, a->key);
}

/* The group (ord, key), made when new; sorted by (ord, key). */
static int table_get(table *t, int64_t ord, const char *key, acc **out)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_key(ord, key, &t->a[mid]);
        if (c == 0) {
            *out = &t->a[mid];
            return 0;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        acc *grown = bo__realloc(t->a, cap * sizeof *grown);
        if (!grown)
            return bo__error_set(BO_ENOMEM, "metrics: out of memory");
        t->a = grown;
        t->cap = cap;
    }
    char *k = bo__strdup(key);
    if (!k)
        return bo__error_set(BO_ENOMEM, "metrics: out of memory");
    memmove(&t->a[lo + 1], &t->a[lo], (t->n - lo) * sizeof *t->a);
    memset(&t->a[lo], 0, sizeof *t->a);
    t->a[lo].key = k;
    t->a[lo].ord = ord;
    t->a[lo].last_sale = -1;
    t->n++;
    *out = &t->a[lo];
    return 0;
}

/* What one record (a sale line, a return) adds to its group. */
typedef struct fact {
    int64_t sale;  /* counted once per group; 0 for returns */
    int64_t lines, qty, gross, disc, ret, cost;
    int64_t scale;
} fact;

static int add(int64_t *sum, int64_t v, const char *key)
{
    if (bo_money_add(*sum, v, sum))
        return bo__error_set(BO_EOVERFLOW, "metrics: group %s: the sum overflows", key);
    return 0;
}

static int table_add(table *t, int64_t ord, const char *key, const fact *f)
{
    acc *a;
    int rc;
    if ((rc = table_get(t, ord, key, &a)))
        return rc;
    if (f->sale > 0 && a->last_sale != f->sale) {
        a->last_sale = f->sale;
        a->sales++;
    }
    a->scale = f->scale;
    if ((rc = add(&a->lines, f->lines, key)) || (rc = add(&a->qty, f->qty, key)) ||
        (rc = add(&a->gross, f->gross, key)) || (rc = add(&a->disc, f->disc, key)) ||
        (rc = add(&a->ret, f->ret, key)) || (rc = add(&a->cost, f->cost, key)))
        return rc;
    return 0;
}

/* Where a record goes for a grouping other than by payment. */
typedef struct place {
    bo_date day;
    int hour;
    const char *store, *sku, *category, *actor;
} place;

static void group_key(int group, const place *p, int64_t *ord, char key[80])
{
    *ord = 0;
    switch (group) {
    case BO_REPORT_DAY:
        bo__date_iso(p->day, key);
        *ord = p->day;
        return;
    case BO_REPORT_HOUR:
        if (p->hour < 0) {
            snprintf(key, 80, "unknown");
            *ord = 24;
        } else {
            snprintf(key, 80, "%02d", p->hour);
            *ord = p->hour;
        }
        return;
    case BO_REPORT_WEEKDAY: {
        int w = bo__rep_weekday(p->day);
        snprintf(key, 80, "%s", WEEKDAYS[w]);
        *ord = w;
        return;
    }
    case BO_REPORT_WEEKDAY_HOUR: {
        int w = bo__rep_weekday(p->day);
        if (p->hour < 0) {
            snprintf(key, 80, "%s unknown", WEEKDAYS[w]);
            *ord = w * 25 + 24;
        } else {
            snprintf(key, 80, "%s %02d", WEEKDAYS[w], p->hour);
            *ord = w * 25 + p->hour;
        }
        return;
    }
    case BO_REPORT_STORE:
        snprintf(key, 80, "%s", p->store ? p->store : "(none)");
        return;
    case BO_REPORT_ITEM:
        snprintf(key, 80, "%s", p->sku ? p->sku : "(none)");
        return;
    case BO_REPORT_CATEGORY:
        snprintf(key, 80, "%s", p->category && p->category[0] ? p->category : "(none)");
        return;
    case BO_REPORT_CASHIER:
        snprintf(key, 80, "%s", p->actor && p->actor[0] ? p->actor : "(none)");
        return;
    default:
        snprintf(key, 80, "total");
        return;
    }
}

/* ---- the discounts the till gave ---------------------------------------------
 * A sale's audit record holds its canonical form (src/inventory/sales.c):
 * date, memo, customer, inclusive, then per line sku, location, qty, unit
 * price, discount, hold, then the payments; fields are "N:text;", "-;" or
 * "i[-]digits;". The discount of line n (1-based) is read from it; the
 * promotions' discount of the line is the sale's pricing record's
 * (inv_sale_pricing.discount), and the two make the line's discounts. */

static const char *skip_field(const char *p)
{
    if (!p)
        return NULL;
    if (p[0] == '-' && p[1] == ';')
        return p + 2;
    if (p[0] == 'i') {
        const char *s = strchr(p, ';');
        return s ? s + 1 : NULL;
    }
    char *end;
    unsigned long long len = strtoull(p, &end, 10);
    if (end == p || *end != ':' || len > strlen(end + 1))
        return NULL;
    end += 1 + len;
    return *end == ';' ? end + 1 : NULL;
}

static int int_field(const char *p, int64_t *v)
{
    if (!p || p[0] != 'i')
        return -1;
    char *end;
    long long x = strtoll(p + 1, &end, 10);
    if (end == p + 1 || *end != ';')
        return -1;
    *v = x;
    return 0;
}

/* The discount of line @p line in @p detail, or 0 when it cannot be read. */
static int64_t detail_discount(const char *detail, int64_t line)
{
    const char *p = detail;
    for (int i = 0; i < 4 && p; i++)
        p = skip_field(p);
    for (int64_t n = 1; p && n < line; n++)
        for (int i = 0; i < 6 && p; i++)
            p = skip_field(p);
    for (int i = 0; i < 4 && p; i++)
        p = skip_field(p);
    int64_t v = 0;
    if (!p || int_field(p, &v) != 0 || v < 0)
        return 0;
    return v;
}

/* ---- reading ------------------------------------------------------------------
 * A sale's moment is the time of its first "inventory.sale.post" record
 * (one row per sale even if the chain held two), a return's that of its
 * stock movement's "inventory.stock.return" record. What is read grows with
 * the period, not with the book: the sales and returns of the period through
 * their date indexes (inv_sales_by_date, inv_returns_by_date), and each one's
 * own audit record through audit_log_sale_records / audit_log_return_records
 * (partial indexes of schema version 17), one seek each. */

static const char SQL_LINES[] =
    "SELECT s.id, s.date, s.actor, s.inclusive, l.line, l.qty, l.net, l.tax, l.cost,"
    " it.sku, it.category, loc.code, a.at, a.detail, it.scale, sp.discount"
    " FROM (SELECT s.id, s.date, s.actor, s.inclusive, (SELECT MIN(f.seq) FROM audit_log f"
    "  WHERE f.action = 'inventory.sale.post'"
    "  AND f.object = 'sale:' || CAST(s.id AS TEXT)) AS first_seq"
    "  FROM inv_sales s WHERE s.date BETWEEN ?1 AND ?2) s"
    " JOIN inv_sale_lines l ON l.sale_id = s.id"
    " LEFT JOIN inv_sale_pricing sp ON sp.sale_id = l.sale_id AND sp.line = l.line"
    " JOIN inv_stock st ON st.id = l.stock_id"
    " JOIN inv_items it ON it.id = st.item_id"
    " JOIN inv_locations loc ON loc.id = st.location_id"
    " LEFT JOIN audit_log a ON a.seq = s.first_seq"
    " ORDER BY s.date, s.id, l.line";

static const char SQL_PAYMENTS[] =
    "SELECT p.sale_id, p.method, p.amount, s.change_given, s.date"
    " FROM inv_sales s JOIN inv_sale_payments p ON p.sale_id = s.id"
    " WHERE s.date BETWEEN ?1 AND ?2"
    " ORDER BY s.date, p.sale_id, p.seq";

static const char SQL_RETURNS[] =
    "SELECT r.id, r.date, r.method, r.qty, r.net, r.cost, s.actor, it.sku,"
    " it.category, loc.code, a.at, it.scale"
    " FROM (SELECT r.id, r.sale_id, r.line, r.date, r.method, r.qty, r.net, r.cost,"
    "  (SELECT MIN(f.seq) FROM audit_log f WHERE f.action = 'inventory.stock.return'"
    "  AND f.object = 'move:' || CAST(r.move_id AS TEXT)) AS first_seq"
    "  FROM inv_returns r WHERE r.date BETWEEN ?1 AND ?2) r"
    " JOIN inv_sales s ON s.id = r.sale_id"
    " JOIN inv_sale_lines l ON l.sale_id = r.sale_id AND l.line = r.line"
    " JOIN inv_stock st ON st.id = l.stock_id"
    " JOIN inv_items it ON it.id = st.item_id"
    " JOIN inv_locations loc ON loc.id = st.location_id"
    " LEFT JOIN audit_log a ON a.seq = r.first_seq"
    " ORDER BY r.date, r.id";

typedef struct run {
    bo_book *b;
    const bo_report_options *o;
    const bo__rep_zones *zones;
    bo_date from, to; /* local days of this pass */
    table *t;         /* the tables of the groups, one each */
    const int *groups;
    int ng;
    /* the sale being read (for grouping by payment) */
    int64_t sale;
    char date[11]; /* its date as stored */
    int in_range;
    char store[BO_CODE_MAX + 1];
    fact total;
    bo__stmt *pay;
    int pay_row; /* the payments statement holds an unread row */
} run;

static const char *col_text(bo__stmt *s, int c)
{
    return bo__stmt_is_null(s, c) ? NULL : bo__stmt_col_text(s, c);
}

/* Share the finished sale among its payment methods by the amounts paid
 * (change given taken off cash), exactly (bo_money_split). */
static int sale_by_payment(run *r)
{
    enum { MAXP = BO_SALE_PAYMENTS_MAX + 1 };
    char methods[MAXP][BO_CODE_MAX + 1];
    int64_t weights[MAXP];
    size_t n = 0;
    int rc;
    int64_t change = 0;
    while (r->pay_row) {
        /* both statements run in (date, sale) order */
        int64_t sid = bo__stmt_col_int(r->pay, 0);
        const char *date = col_text(r->pay, 4);
        int c = strcmp(date ? date : "", r->date);
        if (c > 0 || (c == 0 && sid > r->sale))
            break;
        if (sid == r->sale && n < MAXP) {
            const char *m = col_text(r->pay, 1);
            snprintf(methods[n], sizeof methods[n], "%s", m ? m : "(none)");
            weights[n] = bo__stmt_col_int(r->pay, 2);
            change = bo__stmt_col_int(r->pay, 3);
            n++;
        }
        rc = bo__stmt_step(r->pay);
        if (rc < 0)
            return rc;
        r->pay_row = rc == BO_DRIVER_ROW;
    }
    if (!r->in_range)
        return 0;
    for (size_t i = 0; i < n && change > 0; i++)
        if (strcmp(methods[i], "cash") == 0) {
            int64_t take = weights[i] < change ? weights[i] : change;
            weights[i] -= take;
            change -= take;
        }
    int64_t wsum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            weights[i] = 0;
        if (bo_money_add(wsum, weights[i], &wsum))
            return bo__error_set(BO_EOVERFLOW, "metrics: sale %" PRId64 ": payments overflow",
                                 r->sale);
    }
    if (n == 0 || wsum == 0)
        return table_add(r->t, 0, "(none)", &r->total);
    int64_t parts[7][MAXP];
    int64_t whole[7] = { r->total.lines, r->total.qty, r->total.gross, r->total.disc,
                         r->total.ret, r->total.cost, 0 };
    for (int k = 0; k < 6; k++)
        if ((rc = bo_money_split(whole[k], weights, n, parts[k])))
            return rc;
    for (size_t i = 0; i < n; i++) {
        fact f = { r->sale, parts[0][i], parts[1][i], parts[2][i], parts[3][i], parts[4][i],
                   parts[5][i], 0 };
        if ((rc = table_add(r->t, 0, methods[i], &f)))
            return rc;
    }
    return 0;
}

static int read_sales(run *r)
{
    char from[11], to[11];
    /* A record counts on a day at most one away from its date. */
    bo__date_iso(r->from - 1, from);
    bo__date_iso(r->to + 1, to);
    bo__stmt *s;
    int rc;
    int by_pay = r->groups[0] == BO_REPORT_PAYMENT;
    if (by_pay) {
        if ((rc = bo__stmt_get(r->b->store, SQL_PAYMENTS, &r->pay)))
            return rc;
        if ((rc = bo__stmt_bind(r->pay, "tt", from, to))) {
            bo__stmt_done(r->pay);
            return rc;
        }
        rc = bo__stmt_step(r->pay);
        if (rc < 0) {
            bo__stmt_done(r->pay);
            return rc;
        }
        r->pay_row = rc == BO_DRIVER_ROW;
    }
    if ((rc = bo__stmt_get(r->b->store, SQL_LINES, &s)))
        goto out_pay;
    if ((rc = bo__stmt_bind(s, "tt", from, to)))
        goto out;
    r->sale = -1;
    bo_date day = 0;
    int hour = -1;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t sid = bo__stmt_col_int(s, 0);
        const char *store = col_text(s, 11);
        if (sid != r->sale) {
            if (by_pay && r->sale >= 0 && (rc = sale_by_payment(r)))
                goto out;
            r->sale = sid;
            memset(&r->total, 0, sizeof r->total);
            r->total.sale = sid;
            bo_date date;
            if (bo_date_parse(col_text(s, 1), &date)) {
                rc = bo__error_set(BO_ECORRUPT, "metrics: sale %" PRId64 ": bad date", sid);
                goto out;
            }
            snprintf(r->date, sizeof r->date, "%s", col_text(s, 1));
            snprintf(r->store, sizeof r->store, "%s", store ? store : "");
            bo__rep_local(date, col_text(s, 12), bo__rep_zone_of(r->zones, r->store), &day,
                          &hour);
            r->in_range = day >= r->from && day <= r->to &&
                          (!r->o->store || strcmp(r->o->store, r->store) == 0);
        }
        if (!r->in_range)
            continue;
        int64_t line = bo__stmt_col_int(s, 4), net = bo__stmt_col_int(s, 6),
                tax = bo__stmt_col_int(s, 7);
        int64_t disc = 0;
        const char *detail = col_text(s, 13);
        if (detail)
            disc = detail_discount(detail, line);
        /* the promotions' discount of the line (inv_sale_pricing), given
         * before the line's own; tax-inclusive like it */
        if (bo_money_add(disc, bo__stmt_col_int(s, 15), &disc)) {
            rc = bo__error_set(BO_EOVERFLOW, "metrics: sale %" PRId64 " line %" PRId64
                               ": discount", sid, line);
            goto out;
        }
        if (disc > 0 && bo__stmt_col_int(s, 3)) {
            /* tax-inclusive: the discount without its tax */
            int64_t whole;
            if (bo_money_add(net, tax, &whole) || whole <= 0 ||
                bo_money_muldiv(disc, net, whole, BO_ROUND_HALF_EVEN, &disc)) {
                rc = bo__error_set(BO_EOVERFLOW, "metrics: sale %" PRId64 " line %" PRId64
                                   ": discount", sid, line);
                goto out;
            }
        }
        fact f = { sid, 1, bo__stmt_col_int(s, 5), 0, disc, 0, bo__stmt_col_int(s, 8), 0 };
        if (bo_money_add(net, disc, &f.gross)) {
            rc = bo__error_set(BO_EOVERFLOW, "metrics: sale %" PRId64 ": gross", sid);
            goto out;
        }
        if (by_pay) {
            int64_t *sum[] = { &r->total.lines, &r->total.qty, &r->total.gross,
                               &r->total.disc, &r->total.cost };
            int64_t add_[] = { f.lines, f.qty, f.gross, f.disc, f.cost };
            for (int k = 0; k < 5; k++)
                if ((rc = add(sum[k], add_[k], "payment")))
                    goto out;
            continue;
        }
        place p = { day, hour, store, col_text(s, 9), col_text(s, 10), col_text(s, 2) };
        for (int g = 0; g < r->ng; g++) {
            int64_t ord;
            char key[80];
            f.scale = r->groups[g] == BO_REPORT_ITEM ? bo__stmt_col_int(s, 14) : 0;
            group_key(r->groups[g], &p, &ord, key);
            if ((rc = table_add(&r->t[g], ord, key, &f)))
                goto out;
        }
    }
    if (rc == BO_DRIVER_DONE) {
        rc = 0;
        if (by_pay && r->sale >= 0)
            rc = sale_by_payment(r);
    }
out:
    bo__stmt_done(s);
out_pay:
    if (by_pay)
        bo__stmt_done(r->pay);
    return rc < 0 ? rc : 0;
}

static int read_returns(run *r)
{
    char from[11], to[11];
    bo__date_iso(r->from - 1, from);
    bo__date_iso(r->to + 1, to);
    bo__stmt *s;
    int rc;
    if ((rc = bo__stmt_get(r->b->store, SQL_RETURNS, &s)))
        return rc;
    if ((rc = bo__stmt_bind(s, "tt", from, to)))
        goto out;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t id = bo__stmt_col_int(s, 0);
        const char *store = col_text(s, 9);
        bo_date date, day;
        int hour;
        if (bo_date_parse(col_text(s, 1), &date)) {
            rc = bo__error_set(BO_ECORRUPT, "metrics: return %" PRId64 ": bad date", id);
            goto out;
        }
        bo__rep_local(date, col_text(s, 10), bo__rep_zone_of(r->zones, store), &day, &hour);
        if (day < r->from || day > r->to || (r->o->store && (!store ||
                                                             strcmp(r->o->store, store))))
            continue;
        int64_t qty, cost;
        if (bo_money_neg(bo__stmt_col_int(s, 3), &qty) ||
            bo_money_neg(bo__stmt_col_int(s, 5), &cost)) {
            rc = bo__error_set(BO_EOVERFLOW, "metrics: return %" PRId64 ": overflow", id);
            goto out;
        }
        fact f = { 0, 0, qty, 0, 0, bo__stmt_col_int(s, 4), cost, 0 };
        for (int g = 0; g < r->ng; g++) {
            int64_t ord = 0;
            char key[80];
            f.scale = r->groups[g] == BO_REPORT_ITEM ? bo__stmt_col_int(s, 11) : 0;
            if (r->groups[g] == BO_REPORT_PAYMENT) {
                const char *m = col_text(s, 2);
                snprintf(key, sizeof key, "%s", m ? m : "(none)");
            } else {
                place p = { day, hour, store, col_text(s, 7), col_text(s, 8), col_text(s, 6) };
                group_key(r->groups[g], &p, &ord, key);
            }
            if ((rc = table_add(&r->t[g], ord, key, &f)))
                goto out;
        }
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
out:
    bo__stmt_done(s);
    return rc < 0 ? rc : 0;
}

/* One pass over the records of the local days from .. to, summed into
 * t[g] by groups[g] for each of the ng groups (grouping by payment: alone). */
static int pass_groups(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                       bo_date from, bo_date to, const int *groups, int ng, table *t)
{
    run r;
    memset(&r, 0, sizeof r);
    r.b = b;
    r.o = o;
    r.zones = z;
    r.from = from;
    r.to = to;
    r.t = t;
    r.groups = groups;
    r.ng = ng;
    int rc;
    if ((rc = read_sales(&r)) || (rc = read_returns(&r)))
        return rc;
    fact none = { 0 };
    for (int g = 0; g < ng; g++) {
        if (groups[g] == BO_REPORT_TOTAL && (rc = table_add(&t[g], 0, "total", &none)))
            return rc;
        if (groups[g] == BO_REPORT_DAY)
            for (bo_date d = from; d <= to; d++) {
                char key[11];
                bo__date_iso(d, key);
                if ((rc = table_add(&t[g], d, key, &none)))
                    return rc;
            }
    }
    return 0;
}

static int pass(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                bo_date from, bo_date to, table *t)
{
    return pass_groups(b, o, z, from, to, &o->group, 1, t);
}

/* The day of the comparison period for day @p d of the period. */
int bo__rep_shifted(const bo_report_options *o, bo_date d, bo_date *out)
{
    int compare = o->compare;
    if (compare == BO_REPORT_COMPARE_PERIOD) {
        int64_t len = (int64_t)o->to - o->from + 1;
        *out = (bo_date)(d - len);
        return d - len >= BO_DATE_MIN ? 0 : -1;
    }
    if (compare == BO_REPORT_COMPARE_WEEK) {
        *out = d - 7;
        return d - 7 >= BO_DATE_MIN ? 0 : -1;
    }
    return bo_date_add_months(d, -12, out);
}

static int net_of(const acc *a, int64_t *net, int64_t *margin)
{
    if (bo_money_sub(a->gross, a->disc, net) || bo_money_sub(*net, a->ret, net) ||
        bo_money_sub(*net, a->cost, margin))
        return bo__error_set(BO_EOVERFLOW, "metrics: group %s: net overflows", a->key);
    return 0;
}

static int compare(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                   table *t)
{
    bo_date pf, pt;
    if (bo__rep_shifted(o, o->from, &pf) || bo__rep_shifted(o, o->to, &pt))
        return bo__error_set(BO_EINVAL, "compare: the earlier period is before 0001-01-01");
    table prev = { 0 };
    int rc = pass(b, o, z, pf, pt, &prev);
    for (size_t i = 0; !rc && i < prev.n; i++) {
        acc *p = &prev.a[i], *a;
        int64_t ord = p->ord;
        char key[80];
        snprintf(key, sizeof key, "%s", p->key);
        if (o->group == BO_REPORT_DAY) {
            /* the day it compares with */
            bo_date d = (bo_date)p->ord, here = d + 7;
            if (o->compare == BO_REPORT_COMPARE_PERIOD)
                here = (bo_date)(d + ((int64_t)o->to - o->from + 1));
            if (o->compare == BO_REPORT_COMPARE_YEAR &&
                bo_date_add_months(d, 12, &here)) {
                rc = bo__error_set(BO_EINVAL, "compare: date out of range");
                break;
            }
            if (here < o->from || here > o->to)
                continue; /* Feb 29 has no day a year on within the range */
            ord = here;
            bo__date_iso(here, key);
        }
        int64_t net, margin, sold;
        if ((rc = net_of(p, &net, &margin)) || (rc = table_get(t, ord, key, &a)))
            break;
        if (bo_money_sub(p->gross, p->disc, &sold)) {
            rc = bo__error_set(BO_EOVERFLOW, "metrics: group %s: overflow", key);
            break;
        }
        if ((rc = add(&a->prev_sales, p->sales, key)) || (rc = add(&a->prev_net, net, key)) ||
            (rc = add(&a->prev_margin, margin, key)) || (rc = add(&a->prev_sold, sold, key)))
            break;
    }
    table_free(&prev);
    return rc;
}

static const bo__col metric_cols[] = {
    { "key", BO_TYPE_TEXT },      { "sales", BO_TYPE_INT },      { "lines", BO_TYPE_INT },
    { "qty", BO_TYPE_INT },       { "gross", BO_TYPE_INT },      { "discounts", BO_TYPE_INT },
    { "returns", BO_TYPE_INT },   { "net", BO_TYPE_INT },        { "cost", BO_TYPE_INT },
    { "margin", BO_TYPE_INT },    { "basket", BO_TYPE_INT },     { "prev_sales", BO_TYPE_INT },
    { "prev_net", BO_TYPE_INT },  { "prev_margin", BO_TYPE_INT }, { "prev_basket", BO_TYPE_INT },
    { "scale", BO_TYPE_INT },
};
#define NCOLS ((int)(sizeof metric_cols / sizeof metric_cols[0]))

int bo__rep_check(bo_book *b, const bo_report_options *o, bo__rep_zones *z)
{
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__opts_check(o, BO_REPORT_OPTIONS_VERSION)))
        return rc;
    if (o->group < BO_REPORT_TOTAL || o->group > BO_REPORT_WEEKDAY)
        return bo__error_set(BO_EINVAL, "group: %d is not a bo_report_group", o->group);
    if (o->compare < BO_REPORT_COMPARE_NONE || o->compare > BO_REPORT_COMPARE_PERIOD)
        return bo__error_set(BO_EINVAL, "compare: %d is not a bo_report_compare", o->compare);
    if (o->from < BO_DATE_MIN + 400 || o->to > BO_DATE_MAX - 1 || o->to < o->from)
        return bo__error_set(BO_EINVAL, "from/to: not a range of dates (to before from,"
                             " or outside the calendar)");
    if ((int64_t)o->to - o->from >= RANGE_MAX)
        return bo__error_set(BO_EINVAL, "from/to: more than %d days", RANGE_MAX);
    if (o->store && (rc = bo__text_check("store", o->store, BO_CODE_MAX, false, false)))
        return rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_READ)) || (rc = bo__require(b, BO__P_LEDGER_READ)))
        return rc;
    return bo__rep_zones_load(b, o->zones, z);
}

/* The rows of t (freed) into cells. */
static int table_cells(table *t, bo__cell **cells_out, size_t *nrows)
{
    int rc = 0;
    bo__cell *cells = NULL;
    if (t->n) {
        cells = bo__calloc(t->n * NCOLS, sizeof *cells);
        if (!cells)
            rc = bo__error_set(BO_ENOMEM, "metrics: out of memory");
    }
    for (size_t i = 0; !rc && i < t->n; i++) {
        acc *a = &t->a[i];
        int64_t net, margin, basket = 0, sold, prev_basket = 0;
        if ((rc = net_of(a, &net, &margin)))
            break;
        if (bo_money_sub(a->gross, a->disc, &sold))
            rc = bo__error_set(BO_EOVERFLOW, "metrics: group %s: overflow", a->key);
        else if (a->sales > 0 &&
                 bo_money_muldiv(sold, 1, a->sales, BO_ROUND_HALF_EVEN, &basket))
            rc = bo__error_set(BO_EOVERFLOW, "metrics: group %s: basket", a->key);
        else if (a->prev_sales > 0 && bo_money_muldiv(a->prev_sold, 1, a->prev_sales,
                                                      BO_ROUND_HALF_EVEN, &prev_basket))
            rc = bo__error_set(BO_EOVERFLOW, "metrics: group %s: basket", a->key);
        if (rc)
            break;
        bo__cell *c = &cells[i * NCOLS];
        int64_t v[NCOLS] = { 0,   a->sales, a->lines, a->qty,  a->gross, a->disc,
                             a->ret, net,  a->cost,  margin, basket,  a->prev_sales,
                             a->prev_net, a->prev_margin, prev_basket, a->scale };
        c[0].type = BO_TYPE_TEXT;
        c[0].text = a->key;
        a->key = NULL;
        for (int k = 1; k < NCOLS; k++) {
            c[k].type = BO_TYPE_INT;
            c[k].i = v[k];
        }
    }
    size_t n = t->n;
    table_free(t);
    if (rc) {
        bo__cells_free(cells, cells ? n * NCOLS : 0);
        return rc;
    }
    *cells_out = cells;
    *nrows = n;
    return 0;
}

int bo__rep_table(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                  bo__cell **cells_out, size_t *nrows)
{
    table t = { 0 };
    int rc = pass(b, o, z, o->from, o->to, &t);
    if (!rc && o->compare != BO_REPORT_COMPARE_NONE)
        rc = compare(b, o, z, &t);
    if (rc) {
        table_free(&t);
        return rc;
    }
    return table_cells(&t, cells_out, nrows);
}

int bo__rep_tables(bo_book *b, const bo_report_options *o, const bo__rep_zones *z,
                   const int *groups, int ng, bo__cell **cells, size_t *nrows)
{
    table t[BO__REP_GROUPS_MAX];
    memset(t, 0, sizeof t);
    if (ng < 1 || ng > BO__REP_GROUPS_MAX)
        return bo__error_set(BO_EINVAL, "groups: %d, not 1 to %d", ng, BO__REP_GROUPS_MAX);
    for (int g = 0; g < ng; g++)
        if (groups[g] == BO_REPORT_PAYMENT && ng > 1)
            return bo__error_set(BO_EINVAL, "groups: by payment, with other groups");
    int rc = pass_groups(b, o, z, o->from, o->to, groups, ng, t);
    int g = 0;
    for (; !rc && g < ng; g++) {
        cells[g] = NULL;
        nrows[g] = 0;
        rc = table_cells(&t[g], &cells[g], &nrows[g]);
    }
    if (rc) {
        for (int k = 0; k < ng; k++)
            table_free(&t[k]);
        for (int k = 0; k < g - 1; k++) {
            bo__cells_free(cells[k], cells[k] ? nrows[k] * NCOLS : 0);
            cells[k] = NULL;
        }
    }
    return rc;
}

int bo__rep_cursor(bo__cell *cells, size_t nrows, bo_cursor **out)
{
    return bo__cursor_rows(metric_cols, NCOLS, cells, nrows, out);
}

int bo_report_options_init(bo_report_options *opts, unsigned int version)
{
    bo__error_clear();
    static const bo_report_options init = BO_REPORT_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_REPORT_OPTIONS_VERSION, &init, sizeof init);
}

int bo_report_metrics(bo_book *book, const bo_report_options *opts, bo_cursor **out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    bo__rep_zones z;
    int rc;
    if ((rc = bo__rep_check(book, opts, &z)))
        return rc;
    bo__cell *cells = NULL;
    size_t n = 0;
    rc = bo__rep_table(book, opts, &z, &cells, &n);
    bo__rep_zones_free(&z);
    if (rc)
        return rc;
    return bo__rep_cursor(cells, n, out);
}
