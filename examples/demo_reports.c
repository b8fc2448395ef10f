/*
 * The demo's reports chapter: what the owner looks at. February's till
 * sales by day with the week before beside them, the best sellers, and the
 * shop's dashboard written as one HTML file (open it in any browser: no
 * script, nothing fetched). The figures are checked against their own
 * definitions: net = gross - discounts - returns, and the days add up to
 * the period.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "demo_parts.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int fails;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo: %s: %s: %s\n", what, bo_error_name(rc), bo_error_message());
        fails++;
    }
    return rc;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        fprintf(stderr, "demo: %s: %lld, expected %lld\n", what, (long long)got,
                (long long)want);
        fails++;
    }
}

static bo_date day(const char *s)
{
    bo_date d = 0;
    bo_date_parse(s, &d);
    return d;
}

/* Sum of column col over the rows of the metrics of opts; prints them when
 * print is set. */
static int64_t metrics(bo_book *b, const bo_report_options *o, int print)
{
    bo_cursor *c = NULL;
    int64_t sum = 0;
    if (ok(bo_report_metrics(b, o, &c), "metrics"))
        return 0;
    int k = bo_cursor_column_index(c, "key"), net = bo_cursor_column_index(c, "net"),
        gross = bo_cursor_column_index(c, "gross"), disc = bo_cursor_column_index(c, "discounts"),
        ret = bo_cursor_column_index(c, "returns"), sales = bo_cursor_column_index(c, "sales"),
        prev = bo_cursor_column_index(c, "prev_net");
    while (bo_cursor_next(c) == 0) {
        int64_t n = bo_cursor_int(c, net);
        expect("net = gross - discounts - returns", n,
               bo_cursor_int(c, gross) - bo_cursor_int(c, disc) - bo_cursor_int(c, ret));
        sum += n;
        if (print && (n || bo_cursor_int(c, prev))) {
            char now[48], before[48];
            ok(bo_report_money(n, bo_book_base_currency(b), now, sizeof now), "money");
            ok(bo_report_money(bo_cursor_int(c, prev), bo_book_base_currency(b), before,
                               sizeof before), "money");
            printf("  %-12s %3lld sales %12s   (a week before: %s)\n", bo_cursor_text(c, k),
                   (long long)bo_cursor_int(c, sales), now, before);
        }
    }
    bo_cursor_free(c);
    return sum;
}

int demo_reports(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    fails = 0;
    printf("\n== What the owner looks at: sales and the dashboard ==\n");
    bo_report_options o = BO_REPORT_OPTIONS_INIT;
    o.from = day("2026-02-08");
    o.to = day("2026-02-14");
    o.zones = "*=WIB"; /* the stores keep Jakarta time */
    o.group = BO_REPORT_DAY;
    o.compare = BO_REPORT_COMPARE_WEEK;
    printf("Net sales by day, week to 2026-02-14:\n");
    int64_t by_day = metrics(b, &o, 1);
    o.group = BO_REPORT_TOTAL;
    int64_t total = metrics(b, &o, 0);
    expect("the days add up to the week", by_day, total);
    o.group = BO_REPORT_PAYMENT;
    expect("the payment methods add up to the week", metrics(b, &o, 0), total);
    o.group = BO_REPORT_ITEM;
    o.compare = BO_REPORT_COMPARE_NONE;
    printf("By item:\n");
    expect("the items add up to the week", metrics(b, &o, 1), total);

    o = (bo_report_options)BO_REPORT_OPTIONS_INIT;
    o.from = day("2026-02-01");
    o.to = day("2026-03-31");
    o.zones = "*=WIB";
    char path[4200];
    snprintf(path, sizeof path, "%s/dashboard.html", ctx->dir);
    struct stat st;
    if (!ok(bo_report_dashboard(b, &o, path), "dashboard") && stat(path, &st) == 0)
        printf("  the shop's dashboard, February and March: %s (%lld bytes)\n", path,
               (long long)st.st_size);

    /* The statements to file: the cash flow of February and March by the
     * indirect method, whose sections explain the change in cash, and the
     * month's payroll register. */
    int format = bo_label_renderer() ? BO_REPORT_PDF : BO_REPORT_HTML;
    const char *ext = format == BO_REPORT_PDF ? "pdf" : "html";
    bo_cursor *c;
    if (!ok(bo_report_cash_flow(b, &o, NULL, &c), "cash flow")) {
        int64_t change = 0, begin = 0, end = 0;
        while (bo_cursor_next(c) == 0) {
            const char *name = bo_cursor_text(c, 2);
            if (strcmp(name, "Net change in cash") == 0)
                change = bo_cursor_int(c, 4);
            else if (strcmp(name, "Cash at the beginning") == 0)
                begin = bo_cursor_int(c, 4);
            else if (strcmp(name, "Cash at the end") == 0)
                end = bo_cursor_int(c, 4);
        }
        bo_cursor_free(c);
        expect("the cash flow explains the change in cash", begin + change, end);
    }
    snprintf(path, sizeof path, "%s/cash-flow.%s", ctx->dir, ext);
    if (!ok(bo_report_cash_flow_write(b, &o, NULL, format, path), "cash-flow statement"))
        printf("  the cash-flow statement, February and March: %s\n", path);
    int64_t run = 0;
    if (!ok(bo_payroll_runs(b, &c), "pay runs")) {
        if (bo_cursor_next(c) == 0)
            run = bo_cursor_int(c, 0);
        bo_cursor_free(c);
    }
    snprintf(path, sizeof path, "%s/payroll-register.%s", ctx->dir, ext);
    if (run && !ok(bo_report_payroll_register_write(b, run, format, path), "payroll register"))
        printf("  the payroll register of run %lld: %s\n", (long long)run, path);
    return fails;
}
