/*
 * backoffice report: the sales metrics and the shop's dashboard
 * (backoffice/report.h). Dates are local days of each store; --zones gives
 * the stores' time zones ("S1=WIB,S2=WITA,*=+09:00").
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct { const char *name; int value; } groups[] = {
    { "total", BO_REPORT_TOTAL },       { "day", BO_REPORT_DAY },
    { "hour", BO_REPORT_HOUR },         { "weekday-hour", BO_REPORT_WEEKDAY_HOUR },
    { "weekday", BO_REPORT_WEEKDAY },   { "store", BO_REPORT_STORE },
    { "item", BO_REPORT_ITEM },         { "category", BO_REPORT_CATEGORY },
    { "cashier", BO_REPORT_CASHIER },   { "payment", BO_REPORT_PAYMENT },
};

/* The options every verb shares: --from, --to (required), --zones, --store. */
static int options(const cli_args *a, bo_report_options *o)
{
    bo_report_options_init(o, BO_REPORT_OPTIONS_VERSION);
    if (!cli_opt_get(a, "from") || !cli_opt_get(a, "to"))
        return cli_usage_error("--from and --to are required");
    int st = cli_opt_date(a, "from", 0, &o->from);
    if (st || (st = cli_opt_date(a, "to", 0, &o->to)))
        return st;
    o->zones = cli_opt_get(a, "zones");
    o->store = cli_opt_get(a, "store");
    return 0;
}

static int metrics(cli *c, const cli_args *a)
{
    bo_report_options o;
    int st = options(a, &o);
    if (st)
        return st;
    const char *g = cli_opt_get(a, "by");
    if (g) {
        size_t i = 0, n = sizeof groups / sizeof groups[0];
        while (i < n && strcmp(groups[i].name, g) != 0)
            i++;
        if (i == n)
            return cli_usage_error("--by: '%s' is not total, day, hour, weekday-hour,"
                                   " weekday, store, item, category, cashier or payment", g);
        o.group = groups[i].value;
    }
    const char *cmp = cli_opt_get(a, "compare");
    if (cmp) {
        if (strcmp(cmp, "week") == 0)
            o.compare = BO_REPORT_COMPARE_WEEK;
        else if (strcmp(cmp, "year") == 0)
            o.compare = BO_REPORT_COMPARE_YEAR;
        else
            return cli_usage_error("--compare: '%s' is not week or year", cmp);
    }
    if ((st = cli_open(c)))
        return st;
    bo_cursor *cur = NULL;
    int rc = bo_report_metrics(c->book, &o, &cur);
    return cli_show(c, rc, cur);
}

static int dashboard(cli *c, const cli_args *a)
{
    bo_report_options o;
    int st = options(a, &o);
    if (st || (st = cli_open(c)))
        return st;
    return cli_check(c, bo_report_dashboard(c->book, &o, a->pos[0]));
}

static const cli_sub verbs[] = {
    {{"metrics", "--from D --to D [--by GROUP] [--compare week|year] [--zones Z] [--store S]",
      "Sales metrics of the local days D..D: gross, discounts, returns, net,\n"
      "cost, margin, sales and average basket, by total, day (default), hour,\n"
      "weekday-hour, weekday, store, item, category, cashier or payment;\n"
      "with --compare, the previous week's or year's figures beside them.\n"
      "--zones gives the stores' time zones: S1=WIB,S2=WITA,*=+09:00.\n", NULL},
     {"from", "to", "by", "compare", "zones", "store", NULL}, 0, 0, metrics},
    {{"dashboard", "OUT --from D --to D [--zones Z] [--store S]",
      "Write the shop's dashboard of D..D to the HTML file OUT: sales tiles,\n"
      "net sales by day, weekday x hour, top items, low stock, receivables\n"
      "aging, payables due, cash position. One file, no script, no outside\n"
      "reference.\n", NULL},
     {"from", "to", "zones", "store", NULL}, 1, 1, dashboard},
};

const cli_domain cli_report_domain = {
    "report", NULL, "sales metrics and the shop's dashboard",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
