/*
 * The shop's dashboard (bo_report_dashboard): one HTML file with inline SVG
 * charts, no script, no outside reference, the same bytes for the same book
 * and options. Each part is a <section> with a title, its chart and a table
 * of the same figures; every bar and cell of a chart carries its value in
 * data-value (minor units, or the quantity in the item's smallest unit).
 *
 * The metrics come from metrics.c: the tiles' two weeks from bo__rep_table,
 * the period's days, weekday x hour and items from one pass of
 * bo__rep_tables, so what is read follows the period; the rest through the
 * domains' public calls (stock, aging, documents, balances), so the
 * dashboard shows what those calls answer and nothing of its own.
 */
#include "reports/reports.h"

#include "backoffice/billing.h"
#include "backoffice/inventory.h"
#include "backoffice/ledger.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The columns of the metric rows (metrics.c). */
enum { M_KEY, M_SALES, M_LINES, M_QTY, M_GROSS, M_DISC, M_RET, M_NET, M_COST, M_MARGIN,
       M_BASKET, M_PSALES, M_PNET, M_PMARGIN, M_PBASKET, M_SCALE, M_N };

typedef struct rows {
    bo__cell *c;
    size_t n;
} rows;

/* The groupings of the period the parts draw, read in one pass (render). */
static const int PERIOD_GROUPS[] = { BO_REPORT_DAY, BO_REPORT_WEEKDAY_HOUR, BO_REPORT_ITEM };
#define NPERIOD ((int)(sizeof PERIOD_GROUPS / sizeof PERIOD_GROUPS[0]))

typedef struct dash {
    bo_book *b;
    const bo_report_options *o;
    const bo__rep_zones *z;
    const char *cur;
    bo__buf out;
    rows period[NPERIOD]; /* PERIOD_GROUPS' rows, until a part takes them */
    unsigned char ready[NPERIOD];
} dash;

static void rows_free(rows *r)
{
    bo__cells_free(r->c, r->c ? r->n * M_N : 0);
    r->c = NULL;
    r->n = 0;
}

static int metrics(dash *d, int group, int compare, rows *r)
{
    for (int g = 0; compare == BO_REPORT_COMPARE_NONE && g < NPERIOD; g++)
        if (PERIOD_GROUPS[g] == group && d->ready[g]) {
            d->ready[g] = 0;
            *r = d->period[g];
            d->period[g].c = NULL;
            d->period[g].n = 0;
            return 0;
        }
    bo_report_options o = *d->o;
    o.group = group;
    o.compare = compare;
    return bo__rep_table(d->b, &o, d->z, &r->c, &r->n);
}

static int64_t cell(const rows *r, size_t i, int col)
{
    return r->c[i * M_N + col].i;
}

static const char *key(const rows *r, size_t i)
{
    return r->c[i * M_N + M_KEY].text;
}

/* ---- writing ------------------------------------------------------------------- */

static void put(dash *d, const char *s)
{
    bo__buf_puts(&d->out, s);
}

/* Text with &, <, >, " escaped. */
static void esc(dash *d, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': put(d, "&amp;"); break;
        case '<': put(d, "&lt;"); break;
        case '>': put(d, "&gt;"); break;
        case '"': put(d, "&quot;"); break;
        default:
            if ((unsigned char)*p < 0x20)
                put(d, " ");
            else
                bo__buf_put(&d->out, p, 1);
        }
    }
}

static void money(dash *d, int64_t v)
{
    char m[64];
    if (bo_report_money(v, d->cur, m, sizeof m))
        snprintf(m, sizeof m, "%" PRId64, v);
    esc(d, m);
}

static void qty(dash *d, int64_t v, int scale)
{
    char q[40];
    if (bo_inventory_qty_format(v, scale, q, sizeof q))
        snprintf(q, sizeof q, "%" PRId64, v);
    put(d, q);
}

/* A length proportional to v/max of full, in hundredths, written "12.34";
 * 0 for v <= 0. */
static void scaled(dash *d, int64_t v, int64_t max, int64_t full)
{
    int64_t h = 0;
    if (v > 0 && max > 0 && bo_money_muldiv(v, full * 100, max, BO_ROUND_HALF_EVEN, &h))
        h = full * 100;
    bo__buf_printf(&d->out, "%" PRId64 ".%02" PRId64, h / 100, h % 100);
}

/* The change from prev to now: "+12.5%", "-3.0%", "new" or "0.0%". */
static void change(dash *d, int64_t now, int64_t prev)
{
    if (prev == 0) {
        put(d, now == 0 ? "0.0%" : "new");
        return;
    }
    int64_t diff, pm;
    if (bo_money_sub(now, prev, &diff) ||
        bo_money_muldiv(diff, 1000, prev < 0 ? -prev : prev, BO_ROUND_HALF_EVEN, &pm)) {
        put(d, "n/a");
        return;
    }
    int64_t a = pm < 0 ? -pm : pm;
    bo__buf_printf(&d->out, "%s%" PRId64 ".%" PRId64 "%%", pm < 0 ? "-" : "+", a / 10, a % 10);
}

static const char STYLE[] =
    "body{font-family:DejaVu Sans,Arial,sans-serif;margin:16px;color:#222}"
    "h1{font-size:20px}h2{font-size:16px;margin:0 0 6px}"
    "section{border:1px solid #ccc;padding:10px;margin:10px 0;display:flex;gap:16px;"
    "flex-wrap:wrap}section>div{min-width:280px}"
    "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;"
    "padding:2px 6px;text-align:right}th:first-child,td:first-child{text-align:left}"
    ".tiles{display:flex;gap:12px}.tile{border:1px solid #ccc;padding:8px;min-width:150px}"
    ".tile b{display:block;font-size:18px}.bar{fill:#3a7bd5}.neg{fill:#d55}"
    "svg text{font-size:10px}";

static void section_open(dash *d, const char *id, const char *title)
{
    put(d, "<section id=\"");
    put(d, id);
    put(d, "\"><div><h2>");
    esc(d, title);
    put(d, "</h2>\n");
}

/* ---- the parts ------------------------------------------------------------------- */

/* The tiles: the week that ends with the period against the week before. */
static int part_tiles(dash *d)
{
    rows r = { 0 };
    bo_report_options o = *d->o;
    o.group = BO_REPORT_TOTAL;
    o.compare = BO_REPORT_COMPARE_WEEK;
    o.from = o.to - 6;
    int rc = bo__rep_table(d->b, &o, d->z, &r.c, &r.n);
    if (rc)
        return rc;
    int64_t net = cell(&r, 0, M_NET), pnet = cell(&r, 0, M_PNET);
    int64_t sales = cell(&r, 0, M_SALES), psales = cell(&r, 0, M_PSALES);
    int64_t margin = cell(&r, 0, M_MARGIN), pmargin = cell(&r, 0, M_PMARGIN);
    int64_t basket = cell(&r, 0, M_BASKET), pbasket = cell(&r, 0, M_PBASKET);
    char from[11], to[11];
    bo__date_iso(o.from, from);
    bo__date_iso(o.to, to);
    section_open(d, "tiles", "The last seven days against the week before");
    bo__buf_printf(&d->out, "<p>%s to %s.</p>\n", from, to);
    put(d, "<div class=\"tiles\">\n");
    struct { const char *id, *name; int64_t now, prev; int is_money; } t[] = {
        { "net", "Net sales", net, pnet, 1 },
        { "sales", "Sales", sales, psales, 0 },
        { "basket", "Average basket", basket, pbasket, 1 },
        { "margin", "Margin", margin, pmargin, 1 },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bo__buf_printf(&d->out, "<div class=\"tile\" id=\"tile-%s\" data-value=\"%" PRId64
                       "\" data-prev=\"%" PRId64 "\">%s<b>", t[i].id, t[i].now, t[i].prev,
                       t[i].name);
        if (t[i].is_money)
            money(d, t[i].now);
        else
            bo__buf_printf(&d->out, "%" PRId64, t[i].now);
        put(d, "</b><span class=\"change\">");
        change(d, t[i].now, t[i].prev);
        put(d, "</span></div>\n");
    }
    put(d, "</div></div>\n<div><table id=\"table-tiles\"><caption>Figures</caption><tr>"
           "<th>Measure</th><th>Last seven days</th><th>The week before</th><th>Change</th>"
           "</tr>\n");
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        bo__buf_printf(&d->out, "<tr><td>%s</td><td>", t[i].name);
        if (t[i].is_money) {
            money(d, t[i].now);
            put(d, "</td><td>");
            money(d, t[i].prev);
        } else {
            bo__buf_printf(&d->out, "%" PRId64 "</td><td>%" PRId64, t[i].now, t[i].prev);
        }
        put(d, "</td><td>");
        change(d, t[i].now, t[i].prev);
        put(d, "</td></tr>\n");
    }
    put(d, "</table></div></section>\n");
    rows_free(&r);
    return 0;
}

#define CHART_H 200

static int part_days(dash *d)
{
    rows r = { 0 };
    int rc = metrics(d, BO_REPORT_DAY, BO_REPORT_COMPARE_NONE, &r);
    if (rc)
        return rc;
    int64_t max = 0;
    for (size_t i = 0; i < r.n; i++)
        if (cell(&r, i, M_NET) > max)
            max = cell(&r, i, M_NET);
    int bw = r.n > 60 ? 6 : 16, w = (int)r.n * (bw + 2) + 10;
    section_open(d, "days", "Net sales by day");
    bo__buf_printf(&d->out, "<svg id=\"chart-days\" width=\"%d\" height=\"%d\" role=\"img\""
                   " aria-label=\"Net sales by day\" data-max=\"%" PRId64 "\">\n", w,
                   CHART_H + 20, max);
    for (size_t i = 0; i < r.n; i++) {
        int64_t v = cell(&r, i, M_NET);
        int64_t h = 0;
        if (v > 0 && max > 0 && bo_money_muldiv(v, CHART_H * 100, max, BO_ROUND_HALF_EVEN, &h))
            h = CHART_H * 100;
        int64_t y = (int64_t)CHART_H * 100 - h;
        bo__buf_printf(&d->out, "<rect class=\"bar\" data-key=\"%s\" data-value=\"%" PRId64
                       "\" x=\"%d\" y=\"%" PRId64 ".%02" PRId64 "\" width=\"%d\" height=\"%"
                       PRId64 ".%02" PRId64 "\"><title>%s: ", key(&r, i), v,
                       5 + (int)i * (bw + 2), y / 100, y % 100, bw, h / 100, h % 100,
                       key(&r, i));
        money(d, v);
        put(d, "</title></rect>\n");
    }
    bo__buf_printf(&d->out, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                   "\n</svg></div>\n", CHART_H, w, CHART_H);
    put(d, "<div><table id=\"table-days\"><caption>Net sales by day</caption><tr><th>Day</th>"
           "<th>Sales</th><th>Gross</th><th>Discounts</th><th>Returns</th><th>Net</th>"
           "<th>Margin</th></tr>\n");
    for (size_t i = 0; i < r.n; i++) {
        bo__buf_printf(&d->out, "<tr><td>%s</td><td>%" PRId64 "</td>", key(&r, i),
                       cell(&r, i, M_SALES));
        int cols[] = { M_GROSS, M_DISC, M_RET, M_NET, M_MARGIN };
        for (int k = 0; k < 5; k++) {
            bo__buf_printf(&d->out, "<td data-value=\"%" PRId64 "\">", cell(&r, i, cols[k]));
            money(d, cell(&r, i, cols[k]));
            put(d, "</td>");
        }
        put(d, "</tr>\n");
    }
    put(d, "</table></div></section>\n");
    rows_free(&r);
    return 0;
}

static int part_heatmap(dash *d)
{
    rows r = { 0 };
    int rc = metrics(d, BO_REPORT_WEEKDAY_HOUR, BO_REPORT_COMPARE_NONE, &r);
    if (rc)
        return rc;
    int64_t grid[7][24];
    memset(grid, 0, sizeof grid);
    int64_t max = 0, unknown = 0, unknown_sales = 0;
    for (size_t i = 0; i < r.n; i++) {
        const char *k = key(&r, i);
        int w = -1, h = -1;
        for (int x = 0; x < 7; x++)
            if (strncmp(k, bo__rep_weekday_name(x), 3) == 0)
                w = x;
        if (strlen(k) == 6 && k[4] >= '0' && k[4] <= '9')
            h = (k[4] - '0') * 10 + (k[5] - '0');
        if (w < 0 || h < 0 || h > 23) {
            /* an unknown hour has no cell: said below the chart */
            if (bo_money_add(unknown, cell(&r, i, M_NET), &unknown)) {
                rows_free(&r);
                return bo__error_set(BO_EOVERFLOW, "heatmap: overflow");
            }
            unknown_sales += cell(&r, i, M_SALES);
            continue;
        }
        grid[w][h] = cell(&r, i, M_NET);
        if (grid[w][h] > max)
            max = grid[w][h];
    }
    section_open(d, "heatmap", "Net sales by weekday and hour");
    bo__buf_printf(&d->out, "<svg id=\"chart-heatmap\" width=\"%d\" height=\"%d\" role=\"img\""
                   " aria-label=\"Net sales by weekday and hour\">\n", 40 + 24 * 16, 20 + 7 * 16);
    for (int h = 0; h < 24; h += 3)
        bo__buf_printf(&d->out, "<text x=\"%d\" y=\"12\">%02d</text>\n", 40 + h * 16, h);
    for (int w = 0; w < 7; w++) {
        bo__buf_printf(&d->out, "<text x=\"0\" y=\"%d\">%s</text>\n", 30 + w * 16,
                       bo__rep_weekday_name(w));
        for (int h = 0; h < 24; h++) {
            put(d, "<rect class=\"cell\" ");
            bo__buf_printf(&d->out, "data-key=\"%s %02d\" data-value=\"%" PRId64 "\" x=\"%d\""
                           " y=\"%d\" width=\"15\" height=\"15\" fill=\"#3a7bd5\""
                           " fill-opacity=\"", bo__rep_weekday_name(w), h, grid[w][h],
                           40 + h * 16, 18 + w * 16);
            /* opacity 0.05 .. 1.00 in hundredths */
            int64_t o = 0;
            if (grid[w][h] > 0 && max > 0 &&
                bo_money_muldiv(grid[w][h], 95, max, BO_ROUND_HALF_EVEN, &o) == 0)
                o += 5;
            bo__buf_printf(&d->out, "%" PRId64 ".%02" PRId64 "\"/>\n", o / 100, o % 100);
        }
    }
    put(d, "</svg>\n");
    if (unknown_sales || unknown) {
        bo__buf_printf(&d->out, "<p id=\"heatmap-unknown\" data-value=\"%" PRId64 "\">%"
                       PRId64 " sales with net ", unknown, unknown_sales);
        money(d, unknown);
        put(d, " have no hour: they were recorded more than a day away from their date"
               " (entered afterwards or imported).</p>\n");
    }
    put(d, "</div>\n<div><table id=\"table-heatmap\"><caption>Net sales by weekday"
           " and hour (hours with sales)</caption><tr><th>Weekday</th><th>Hour</th>"
           "<th>Net</th></tr>\n");
    for (int w = 0; w < 7; w++)
        for (int h = 0; h < 24; h++) {
            if (!grid[w][h])
                continue;
            bo__buf_printf(&d->out, "<tr><td>%s</td><td>%02d</td><td data-value=\"%" PRId64
                           "\">", bo__rep_weekday_name(w), h, grid[w][h]);
            money(d, grid[w][h]);
            put(d, "</td></tr>\n");
        }
    put(d, "</table></div></section>\n");
    rows_free(&r);
    return 0;
}

#define TOP_N 10

/* Indexes of the TOP_N rows with the largest column col, ties by key. */
static size_t top(const rows *r, int col, size_t idx[TOP_N])
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        size_t at = n;
        while (at > 0 && cell(r, idx[at - 1], col) < cell(r, i, col))
            at--;
        if (at >= TOP_N)
            continue;
        if (n < TOP_N)
            n++;
        memmove(&idx[at + 1], &idx[at], (n - 1 - at) * sizeof idx[0]);
        idx[at] = i;
    }
    return n;
}

static int part_top(dash *d, const rows *items)
{
    const rows r = *items;
    static const struct { const char *id, *title; int col; } kinds[] = {
        { "top-revenue", "Top items by net sales", M_NET },
        { "top-quantity", "Top items by quantity", M_QTY },
        { "top-margin", "Top items by margin", M_MARGIN },
    };
    for (size_t k = 0; k < 3; k++) {
        size_t idx[TOP_N];
        size_t n = top(&r, kinds[k].col, idx);
        int64_t max = n ? cell(&r, idx[0], kinds[k].col) : 0;
        section_open(d, kinds[k].id, kinds[k].title);
        bo__buf_printf(&d->out, "<svg id=\"chart-%s\" width=\"420\" height=\"%d\" role=\"img\""
                       " aria-label=\"%s\">\n", kinds[k].id, 10 + (int)n * 20, kinds[k].title);
        for (size_t i = 0; i < n; i++) {
            int64_t v = cell(&r, idx[i], kinds[k].col);
            put(d, "<text x=\"0\" y=\"");
            bo__buf_printf(&d->out, "%d\">", 20 + (int)i * 20);
            esc(d, key(&r, idx[i]));
            put(d, "</text><rect class=\"bar\" data-key=\"");
            esc(d, key(&r, idx[i]));
            bo__buf_printf(&d->out, "\" data-value=\"%" PRId64 "\" x=\"100\" y=\"%d\""
                           " height=\"14\" width=\"", v, 8 + (int)i * 20);
            scaled(d, v, max, 300);
            put(d, "\"/>\n");
        }
        put(d, "</svg></div>\n<div><table><caption>");
        esc(d, kinds[k].title);
        put(d, "</caption><tr><th>Item</th><th>Quantity</th><th>Net</th><th>Margin</th></tr>\n");
        for (size_t i = 0; i < n; i++) {
            put(d, "<tr><td>");
            esc(d, key(&r, idx[i]));
            put(d, "</td><td>");
            qty(d, cell(&r, idx[i], M_QTY), (int)cell(&r, idx[i], M_SCALE));
            put(d, "</td><td>");
            money(d, cell(&r, idx[i], M_NET));
            put(d, "</td><td>");
            money(d, cell(&r, idx[i], M_MARGIN));
            put(d, "</td></tr>\n");
        }
        if (!n)
            put(d, "<tr><td colspan=\"4\">No sales in the period.</td></tr>\n");
        put(d, "</table></div></section>\n");
    }
    return 0;
}

/* Items whose stock is at or under its reorder point, or covers less than
 * 14 days at the period's pace: days of cover = on hand x days / sold. */
static int part_low_stock(dash *d, const rows *items)
{
    const rows r = *items;
    bo_cursor *c;
    int rc = bo_inventory_stock_list(d->b, NULL, d->o->store, &c);
    if (rc)
        return rc;
    int64_t days = (int64_t)d->o->to - d->o->from + 1;
    section_open(d, "low-stock", "Low stock and days of cover");
    put(d, "<table id=\"table-low-stock\"><caption>Items at or under their reorder point, or"
           " with less than 14 days of cover</caption><tr><th>Item</th><th>Location</th>"
           "<th>On hand</th><th>Reorder point</th><th>Sold in the period</th>"
           "<th>Days of cover</th></tr>\n");
    int shown = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *sku = bo_cursor_text(c, 0), *loc = bo_cursor_text(c, 1);
        int64_t on_hand = bo_cursor_int(c, 2);
        int has_rp = bo_cursor_type(c, 6) != BO_TYPE_NULL;
        int64_t rp = has_rp ? bo_cursor_int(c, 6) : 0;
        int scale = (int)bo_cursor_int(c, 8);
        int64_t sold = 0;
        for (size_t i = 0; i < r.n; i++)
            if (strcmp(key(&r, i), sku) == 0)
                sold = cell(&r, i, M_QTY);
        int64_t cover = -1; /* no sales: no pace */
        if (sold > 0 && bo_money_muldiv(on_hand > 0 ? on_hand : 0, days, sold,
                                        BO_ROUND_DOWN, &cover))
            cover = -1;
        if (!((has_rp && on_hand <= rp) || (cover >= 0 && cover < 14)))
            continue;
        shown++;
        put(d, "<tr><td>");
        esc(d, sku);
        put(d, "</td><td>");
        esc(d, loc);
        bo__buf_printf(&d->out, "</td><td data-value=\"%" PRId64 "\">", on_hand);
        qty(d, on_hand, scale);
        put(d, "</td><td>");
        if (has_rp)
            qty(d, rp, scale);
        else
            put(d, "-");
        put(d, "</td><td>");
        qty(d, sold, scale);
        if (cover >= 0)
            bo__buf_printf(&d->out, "</td><td data-value=\"%" PRId64 "\">%" PRId64
                           "</td></tr>\n", cover, cover);
        else
            put(d, "</td><td>no sales</td></tr>\n");
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    if (!shown)
        put(d, "<tr><td colspan=\"6\">No item is low.</td></tr>\n");
    put(d, "</table></div></section>\n");
    return 0;
}

static int part_aging(dash *d)
{
    bo_cursor *c;
    int rc = bo_billing_aging(d->b, BO_BILLING_RECEIVABLE, d->o->to, &c);
    if (rc)
        return rc;
    static const char *const names[] = { "Current", "1-30 days", "31-60 days", "61-90 days",
                                         "Over 90 days" };
    int64_t sums[5] = { 0 }, total = 0;
    bo__buf tbl = BO__BUF_INIT;
    char date[11];
    bo__date_iso(d->o->to, date);
    while ((rc = bo_cursor_next(c)) == 0) {
        if (strcmp(bo_cursor_text(c, 1), d->cur) != 0)
            continue; /* other currencies: their own statements */
        for (int k = 0; k < 5; k++)
            if (bo_money_add(sums[k], bo_cursor_int(c, 2 + k), &sums[k]))
                rc = bo__error_set(BO_EOVERFLOW, "aging: overflow");
        if (!rc && bo_money_add(total, bo_cursor_int(c, 7), &total))
            rc = bo__error_set(BO_EOVERFLOW, "aging: overflow");
        if (rc)
            break;
        bo__buf_puts(&tbl, "<tr><td>");
        bo__buf hold = d->out;
        d->out = tbl;
        esc(d, bo_cursor_text(c, 0));
        for (int k = 2; k < 8; k++) {
            bo__buf_printf(&d->out, "</td><td data-value=\"%" PRId64 "\">", bo_cursor_int(c, k));
            money(d, bo_cursor_int(c, k));
        }
        put(d, "</td></tr>\n");
        tbl = d->out;
        d->out = hold;
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER) {
        bo__buf_free(&tbl);
        return rc;
    }
    int64_t max = 0;
    for (int k = 0; k < 5; k++)
        if (sums[k] > max)
            max = sums[k];
    section_open(d, "aging", "Receivables aging");
    bo__buf_printf(&d->out, "<p>As of %s; outstanding <b id=\"aging-total\" data-value=\"%"
                   PRId64 "\">", date, total);
    money(d, total);
    put(d, "</b>.</p>\n<svg id=\"chart-aging\" width=\"420\" height=\"110\" role=\"img\""
           " aria-label=\"Receivables aging\">\n");
    for (int k = 0; k < 5; k++) {
        bo__buf_printf(&d->out, "<text x=\"0\" y=\"%d\">%s</text><rect class=\"bar\""
                       " data-key=\"%s\" data-value=\"%" PRId64 "\" x=\"100\" y=\"%d\""
                       " height=\"14\" width=\"", 20 + k * 20, names[k], names[k], sums[k],
                       8 + k * 20);
        scaled(d, sums[k], max, 300);
        put(d, "\"/>\n");
    }
    put(d, "</svg></div>\n<div><table id=\"table-aging\"><caption>Receivables by customer"
           "</caption><tr><th>Customer</th>");
    for (int k = 0; k < 5; k++)
        bo__buf_printf(&d->out, "<th>%s</th>", names[k]);
    put(d, "<th>Total</th></tr>\n");
    if (tbl.len)
        bo__buf_put(&d->out, tbl.ptr, tbl.len);
    bo__buf_free(&tbl);
    put(d, "<tr><td>Total</td>");
    for (int k = 0; k < 5; k++) {
        bo__buf_printf(&d->out, "<td data-value=\"%" PRId64 "\">", sums[k]);
        money(d, sums[k]);
        put(d, "</td>");
    }
    bo__buf_printf(&d->out, "<td data-value=\"%" PRId64 "\">", total);
    money(d, total);
    put(d, "</td></tr>\n</table></div></section>\n");
    return 0;
}

/* Purchase bills open at the end of the period and due by seven days after. */
static int part_payables(dash *d)
{
    bo_cursor *c;
    int rc = bo_billing_invoices(d->b, NULL, &c);
    if (rc)
        return rc;
    char date[11], until[11];
    bo__date_iso(d->o->to, date);
    bo__date_iso(d->o->to + 6, until);
    section_open(d, "payables", "Payables due this week");
    bo__buf_printf(&d->out, "<table id=\"table-payables\"><caption>Bills open on %s and due"
                   " by %s</caption><tr><th>Vendor</th><th>Bill</th><th>Due</th><th>Open</th>"
                   "</tr>\n", date, until);
    int64_t total = 0;
    int shown = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *kind = bo_cursor_text(c, 1), *status = bo_cursor_text(c, 2);
        const char *due = bo_cursor_text(c, 6), *cur = bo_cursor_text(c, 7);
        const char *when = bo_cursor_text(c, 5);
        if (!kind || strcmp(kind, "purchase") || !status || strcmp(status, "posted") ||
            !due || strcmp(due, until) > 0 || !when || strcmp(when, date) > 0 || !cur ||
            strcmp(cur, d->cur))
            continue;
        int64_t open = 0;
        if ((rc = bo_billing_invoice_open(d->b, bo_cursor_int(c, 0), d->o->to, &open)))
            break;
        if (open <= 0)
            continue;
        if (bo_money_add(total, open, &total)) {
            rc = bo__error_set(BO_EOVERFLOW, "payables: overflow");
            break;
        }
        shown++;
        put(d, "<tr><td>");
        esc(d, bo_cursor_text(c, 4));
        put(d, "</td><td>");
        esc(d, bo_cursor_text(c, 3));
        put(d, "</td><td>");
        esc(d, due);
        bo__buf_printf(&d->out, "</td><td data-value=\"%" PRId64 "\">", open);
        money(d, open);
        put(d, "</td></tr>\n");
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    if (!shown)
        put(d, "<tr><td colspan=\"4\">Nothing due.</td></tr>\n");
    bo__buf_printf(&d->out, "<tr><td colspan=\"3\">Total</td><td id=\"payables-total\""
                   " data-value=\"%" PRId64 "\">", total);
    money(d, total);
    put(d, "</td></tr>\n</table></div></section>\n");
    return 0;
}

/* The balances of the accounts the till takes payment into
 * (inventory settings "payment.METHOD"), from the ledger. */
static int part_cash(dash *d)
{
    bo_cursor *c;
    int rc = bo_inventory_settings(d->b, &c);
    if (rc)
        return rc;
    char date[11];
    bo__date_iso(d->o->to, date);
    section_open(d, "cash", "Cash position");
    bo__buf_printf(&d->out, "<table id=\"table-cash\"><caption>Balances at the end of %s, from"
                   " the ledger</caption><tr><th>Payment method</th><th>Account</th>"
                   "<th>Balance</th></tr>\n", date);
    int64_t total = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *k = bo_cursor_text(c, 0), *acct = bo_cursor_text(c, 1);
        if (!k || strncmp(k, "payment.", 8) != 0 || !acct)
            continue;
        int64_t bal = 0;
        if ((rc = bo_ledger_balance(d->b, acct, d->o->to, NULL, &bal)))
            break;
        if (bo_money_add(total, bal, &total)) {
            rc = bo__error_set(BO_EOVERFLOW, "cash: overflow");
            break;
        }
        put(d, "<tr><td>");
        esc(d, k + 8);
        put(d, "</td><td>");
        esc(d, acct);
        bo__buf_printf(&d->out, "</td><td data-value=\"%" PRId64 "\">", bal);
        money(d, bal);
        put(d, "</td></tr>\n");
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    bo__buf_printf(&d->out, "<tr><td colspan=\"2\">Total</td><td id=\"cash-total\""
                   " data-value=\"%" PRId64 "\">", total);
    money(d, total);
    put(d, "</td></tr>\n</table></div></section>\n");
    return 0;
}

static const char *text_or(bo_cursor *c, int col)
{
    const char *t = bo_cursor_text(c, col);
    return t ? t : "";
}

/* Each till session opened in the period (bo_inventory_tills): its
 * expected cash against the cash counted at the close, two bars a session,
 * and the figures the expected cash is made of. */
static int part_sessions(dash *d)
{
    bo_cursor *c;
    int rc = bo_inventory_tills(d->b, d->o->from, d->o->to, &c);
    if (rc)
        return rc;
    enum { MAXS = 60 };
    struct sess { int64_t id, v[8]; int null[8]; char cashier[64], loc[64], opened[11],
                  closed[11], status[8]; } *s = NULL;
    size_t n = 0, cap = 0, more = 0;
    int64_t max = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *loc = bo_cursor_text(c, 2);
        if (d->o->store && (!loc || strcmp(loc, d->o->store)))
            continue;
        if (n == MAXS) { /* the rest is counted, not drawn */
            more++;
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            void *p = bo__realloc(s, nc * sizeof *s);
            if (!p) {
                rc = bo__error_set(BO_ENOMEM, "sessions: out of memory");
                break;
            }
            s = p;
            cap = nc;
        }
        struct sess *x = &s[n++];
        memset(x, 0, sizeof *x);
        x->id = bo_cursor_int(c, 0);
        snprintf(x->cashier, sizeof x->cashier, "%s", text_or(c, 1));
        snprintf(x->loc, sizeof x->loc, "%s", loc ? loc : "");
        snprintf(x->opened, sizeof x->opened, "%s", text_or(c, 3));
        snprintf(x->closed, sizeof x->closed, "%s", text_or(c, 4));
        snprintf(x->status, sizeof x->status, "%s", text_or(c, 5));
        for (int k = 0; k < 7; k++) {
            x->null[k] = bo_cursor_type(c, 6 + k) == BO_TYPE_NULL;
            x->v[k] = x->null[k] ? 0 : bo_cursor_int(c, 6 + k);
        }
        /* v: float, cash sales, refunds, movements, expected, counted, difference */
        if (x->v[4] > max)
            max = x->v[4];
        if (x->v[5] > max)
            max = x->v[5];
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER) {
        bo__free(s);
        return rc;
    }
    section_open(d, "sessions", "Cashier sessions");
    if (!n) {
        put(d, "<p>No cashier sessions were opened in the period.</p></div></section>\n");
        bo__free(s);
        return 0;
    }
    int w = 10 + (int)n * 40;
    bo__buf_printf(&d->out, "<svg id=\"chart-sessions\" width=\"%d\" height=\"%d\""
                   " role=\"img\" aria-label=\"Expected and counted cash by session\""
                   " data-max=\"%" PRId64 "\">\n", w, CHART_H + 20, max);
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++) {
            int col = 4 + k;
            if (s[i].null[col])
                continue;
            int64_t v = s[i].v[col], h = 0;
            if (v > 0 && max > 0 &&
                bo_money_muldiv(v, CHART_H * 100, max, BO_ROUND_HALF_EVEN, &h))
                h = CHART_H * 100;
            int64_t y = (int64_t)CHART_H * 100 - h;
            bo__buf_printf(&d->out, "<rect class=\"bar%s\" data-key=\"%" PRId64 " %s\""
                           " data-value=\"%" PRId64 "\" x=\"%d\" y=\"%" PRId64 ".%02" PRId64
                           "\" width=\"16\" height=\"%" PRId64 ".%02" PRId64 "\"><title>",
                           k ? " counted" : " expected", s[i].id, k ? "counted" : "expected",
                           v, 5 + (int)i * 40 + k * 17, y / 100, y % 100, h / 100, h % 100);
            bo__buf_printf(&d->out, "Session %" PRId64 " %s: ", s[i].id,
                           k ? "counted" : "expected");
            money(d, v);
            put(d, "</title></rect>\n");
        }
    }
    bo__buf_printf(&d->out, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
                   " stroke=\"#888\"/>\n</svg>\n", CHART_H, w, CHART_H);
    if (more)
        bo__buf_printf(&d->out, "<p id=\"sessions-more\">%zu more sessions are not"
                       " shown.</p>\n", more);
    put(d, "</div>\n<div><table id=\"table-sessions\"><caption>Expected and counted cash"
           " by session</caption><tr><th>Session</th><th>Cashier</th><th>Store</th>"
           "<th>Opened</th><th>Closed</th><th>Float</th><th>Cash sales</th><th>Refunds</th>"
           "<th>Movements</th><th>Expected</th><th>Counted</th><th>Difference</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        bo__buf_printf(&d->out, "<tr id=\"session-%" PRId64 "\"><td>%" PRId64 "</td><td>",
                       s[i].id, s[i].id);
        esc(d, s[i].cashier);
        put(d, "</td><td>");
        esc(d, s[i].loc);
        put(d, "</td><td>");
        esc(d, s[i].opened);
        put(d, "</td><td>");
        esc(d, s[i].closed[0] ? s[i].closed : "open");
        put(d, "</td>");
        for (int k = 0; k < 7; k++) {
            if (s[i].null[k]) {
                put(d, "<td>-</td>");
                continue;
            }
            bo__buf_printf(&d->out, "<td data-value=\"%" PRId64 "\">", s[i].v[k]);
            money(d, s[i].v[k]);
            put(d, "</td>");
        }
        put(d, "</tr>\n");
    }
    put(d, "</table></div></section>\n");
    bo__free(s);
    return 0;
}

static int render(dash *d)
{
    char from[11], to[11];
    bo__date_iso(d->o->from, from);
    bo__date_iso(d->o->to, to);
    const char *name = bo_book_name(d->b);
    put(d, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>");
    esc(d, name && name[0] ? name : "Dashboard");
    bo__buf_printf(&d->out, " - %s to %s</title><style>%s</style></head><body>\n<h1>", from,
                   to, STYLE);
    esc(d, name && name[0] ? name : "Dashboard");
    bo__buf_printf(&d->out, "</h1>\n<p id=\"period\" data-from=\"%s\" data-to=\"%s\">From %s"
                   " to %s, in ", from, to, from, to);
    esc(d, d->cur);
    if (d->o->store) {
        put(d, "; store ");
        esc(d, d->o->store);
    }
    put(d, ".</p>\n");
    /* the items' figures serve the top items and the low stock */
    rows items = { 0 };
    int rc;
    if ((rc = part_tiles(d)))
        return rc;
    /* the days, the weekday x hour and the items of the period: one pass */
    bo__cell *cells[NPERIOD];
    size_t n[NPERIOD];
    if ((rc = bo__rep_tables(d->b, d->o, d->z, PERIOD_GROUPS, NPERIOD, cells, n)))
        return rc;
    for (int g = 0; g < NPERIOD; g++) {
        d->period[g].c = cells[g];
        d->period[g].n = n[g];
        d->ready[g] = 1;
    }
    if ((rc = part_days(d)) || (rc = part_heatmap(d)) ||
        (rc = metrics(d, BO_REPORT_ITEM, BO_REPORT_COMPARE_NONE, &items)) ||
        (rc = part_top(d, &items)) || (rc = part_low_stock(d, &items)) ||
        (rc = part_aging(d)) || (rc = part_payables(d)) || (rc = part_cash(d)) ||
        (rc = part_sessions(d))) {
        rows_free(&items);
        return rc;
    }
    rows_free(&items);
    put(d, "</body></html>\n");
    if (d->out.failed)
        return bo__error_set(BO_ENOMEM, "dashboard: out of memory");
    return 0;
}

/* Write whole or not at all: a temporary name, then rename. */
int bo__rep_write_file(const char *path, const bo__buf *b)
{
    size_t len = strlen(path);
    char *tmp = bo__malloc(len + 8);
    if (!tmp)
        return bo__error_set(BO_ENOMEM, "path: out of memory");
    snprintf(tmp, len + 8, "%s.tmp~", path);
    FILE *f = fopen(tmp, "wb");
    int rc = 0;
    if (!f) {
        rc = bo__error_set(BO_EIO, "path: cannot write %s: %s", tmp, strerror(errno));
    } else {
        int bad = b->len && fwrite(b->ptr, 1, b->len, f) != b->len;
        bad |= fflush(f) != 0;
        bad |= fsync(fileno(f)) != 0;
        bad |= fclose(f) != 0;
        if (bad || rename(tmp, path) != 0) {
            rc = bo__error_set(BO_EIO, "path: cannot write %s: %s", path, strerror(errno));
            remove(tmp);
        }
    }
    bo__free(tmp);
    return rc;
}

int bo_report_dashboard(bo_book *book, const bo_report_options *opts, const char *path)
{
    bo__error_clear();
    if (!path || !path[0])
        return bo__error_set(BO_EINVAL, "path: NULL or empty");
    bo__rep_zones z;
    int rc;
    if ((rc = bo__rep_check(book, opts, &z)))
        return rc;
    dash d = { .b = book, .o = opts, .z = &z, .cur = bo_book_base_currency(book),
               .out = BO__BUF_INIT };
    rc = render(&d);
    for (int g = 0; g < NPERIOD; g++)
        rows_free(&d.period[g]);
    bo__rep_zones_free(&z);
    if (!rc)
        rc = bo__rep_write_file(path, &d.out);
    bo__buf_free(&d.out);
    if (!rc)
        bo__error_clear();
    return rc;
}
