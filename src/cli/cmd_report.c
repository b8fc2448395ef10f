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

static const struct { const char *name; int value; } statements[] = {
    { "balance-sheet", BO_REPORT_BALANCE_SHEET },
    { "income-statement", BO_REPORT_INCOME_STATEMENT },
    { "trial-balance", BO_REPORT_TRIAL_BALANCE },
    { "aging", BO_REPORT_AGING },
    { "aging-payable", BO_REPORT_AGING_PAYABLE },
    { "cash-flow", BO_REPORT_CASH_FLOW },
};
static const struct { const char *name; int value; } formats[] = {
    { "html", BO_REPORT_HTML }, { "pdf", BO_REPORT_PDF },
    { "csv", BO_REPORT_CSV },   { "xlsx", BO_REPORT_XLSX },
};

static int statement(cli *c, const cli_args *a)
{
    bo_report_options o;
    int st = options(a, &o);
    if (st)
        return st;
    int kind = 0, format = 0;
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++)
        if (strcmp(statements[i].name, a->pos[0]) == 0)
            kind = statements[i].value;
    if (!kind)
        return cli_usage_error("'%s' is not balance-sheet, income-statement, trial-balance,"
                               " aging, aging-payable or cash-flow", a->pos[0]);
    const char *type = cli_opt_get(a, "type");
    if (!type) {
        type = strrchr(a->pos[1], '.');
        type = type ? type + 1 : "";
    }
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, type) == 0)
            format = formats[i].value;
    if (!format)
        return cli_usage_error("--type: '%s' is not html, pdf, csv or xlsx (from the file"
                               " name's extension when not given)", type);
    const char *cmp = cli_opt_get(a, "compare");
    if (cmp) {
        if (strcmp(cmp, "period") == 0)
            o.compare = BO_REPORT_COMPARE_PERIOD;
        else if (strcmp(cmp, "year") == 0)
            o.compare = BO_REPORT_COMPARE_YEAR;
        else if (strcmp(cmp, "week") == 0)
            o.compare = BO_REPORT_COMPARE_WEEK;
        else
            return cli_usage_error("--compare: '%s' is not period, year or week", cmp);
    }
    if ((st = cli_open(c)))
        return st;
    const char *classes = cli_opt_get(a, "classes");
    if (classes && kind != BO_REPORT_CASH_FLOW)
        return cli_usage_error("--classes: only for cash-flow");
    if (kind == BO_REPORT_CASH_FLOW)
        return cli_check(c, bo_report_cash_flow_write(c->book, &o, classes, format, a->pos[1]));
    return cli_check(c, bo_report_statement_write(c->book, kind, &o, format, a->pos[1]));
}

static int cash_flow(cli *c, const cli_args *a)
{
    bo_report_options o;
    int st = options(a, &o);
    if (st || (st = cli_open(c)))
        return st;
    bo_cursor *cur = NULL;
    int rc = bo_report_cash_flow(c->book, &o, cli_opt_get(a, "classes"), &cur);
    return cli_show(c, rc, cur);
}

/* The format from --type or OUT's extension; 0 after a usage error. */
static int format_of(const cli_args *a, const char *out, int *format)
{
    const char *type = cli_opt_get(a, "type");
    if (!type) {
        type = strrchr(out, '.');
        type = type ? type + 1 : "";
    }
    *format = 0;
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(formats[i].name, type) == 0)
            *format = formats[i].value;
    if (!*format)
        return cli_usage_error("--type: '%s' is not html, pdf, csv or xlsx (from the file"
                               " name's extension when not given)", type);
    return 0;
}

static int payslip(cli *c, const cli_args *a)
{
    int64_t run;
    int format, st = cli_int64("RUN", a->pos[0], &run);
    if (st || (st = format_of(a, a->pos[2], &format)) || (st = cli_open(c)))
        return st;
    return cli_check(c, bo_report_payslip_write(c->book, run, a->pos[1], format, a->pos[2]));
}

static int payroll_register(cli *c, const cli_args *a)
{
    int64_t run;
    int format, st = cli_int64("RUN", a->pos[0], &run);
    if (st || (st = format_of(a, a->pos[1], &format)) || (st = cli_open(c)))
        return st;
    return cli_check(c, bo_report_payroll_register_write(c->book, run, format, a->pos[1]));
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
    {{"statement", "KIND OUT --from D --to D [--compare period|year|week] [--type T]"
      " [--classes C]",
      "Write a statement to OUT as HTML, PDF, CSV or XLSX (from the file name's\n"
      "extension or --type), with the book's name, the period and (PDF) page\n"
      "numbers. KIND: balance-sheet and trial-balance at the end of --to,\n"
      "income-statement of --from..--to, aging and aging-payable at --to.\n"
      "--compare adds the previous period's (or year's) column to the balance\n"
      "sheet and the income statement. cash-flow: the cash-flow statement of\n"
      "--from..--to (indirect method); --classes sets accounts' classes:\n"
      "1000=cash,1500=investing,2100=operating (else the book's defaults).\n", NULL},
     {"from", "to", "compare", "type", "classes", NULL}, 2, 2, statement},
    {{"cash-flow", "--from D --to D [--classes C]",
      "The cash-flow statement of D..D by the indirect method: net income,\n"
      "the change of each balance-sheet account by section (operating,\n"
      "investing, financing), the cash at the beginning and the end.\n"
      "--classes: 1000=cash,1500=investing,2100=operating,2500=financing.\n", NULL},
     {"from", "to", "classes", NULL}, 0, 0, cash_flow},
    {{"payslip", "RUN NUMBER OUT [--type T]",
      "Write the payslip of employee NUMBER in pay run RUN to OUT as HTML, PDF,\n"
      "CSV or XLSX (from the file name's extension or --type).\n", NULL},
     {"type", NULL}, 3, 3, payslip},
    {{"payroll-register", "RUN OUT [--type T]",
      "Write the payroll register of pay run RUN to OUT as HTML, PDF, CSV or\n"
      "XLSX, one row per employee and the run's totals.\n", NULL},
     {"type", NULL}, 2, 2, payroll_register},
};

const cli_domain cli_report_domain = {
    "report", NULL, "sales metrics, the shop's dashboard, statements as HTML, PDF, CSV, XLSX",
    verbs, sizeof verbs / sizeof *verbs, NULL, 0,
};
