/*
 * The demo's payroll chapter, April 2026: the shop's four staff (two on a
 * salary, two paid by the hour) and its rule pack come from shop.yaml's
 * "payroll" section. The month's timesheets and a clocked Saturday are
 * recorded, the run is calculated, approved, posted to the ledger and paid
 * from the checking account; the register and one payslip are printed.
 * Checked: net = gross - deductions on every slip, the posting balances,
 * the wages expense grew by the sum of the gross pay, net pay payable is
 * cleared by the payment, and one salaried slip against hand figures.
 */
#include "demo_parts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int fails;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "payroll: %s: %s\n", what, bo_error_message());
        fails++;
    }
    return rc;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        fprintf(stderr, "payroll: %s is %" PRId64 ", expected %" PRId64 "\n", what, got, want);
        fails++;
    }
}

static bo_date day(int m, int d)
{
    bo_date x = 0;
    bo_date_from_ymd(2026, m, d, &x);
    return x;
}

static int64_t bal(bo_book *b, const char *account)
{
    int64_t v = 0;
    ok(bo_ledger_balance(b, account, day(12, 31), NULL, &v), account);
    return v;
}

static const char *usd(int64_t minor, char *buf, size_t size)
{
    if (bo_money_format(minor, "USD", buf, size) != 0)
        snprintf(buf, size, "%" PRId64, minor);
    return buf;
}

/* April's time: Jo Kim works every weekday 8 hours and clocks a long
 * Saturday (10.5 hours: 8 regular, 2.5 overtime); Lee Chen works 6 hours on
 * Mondays to Thursdays and 8 holiday hours on Good Friday (3 April). */
/* Timesheet hours under the key "<employee>/<date>/<type>": a terminal that
 * sends them again records nothing twice. */
static int hours(bo_book *b, const char *number, bo_date date, const char *type,
                 int64_t minutes)
{
    char key[64], iso[11];
    bo_date_format(date, iso, sizeof iso);
    snprintf(key, sizeof key, "%s/%s/%s", number, iso, type);
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = key;
    return bo_payroll_hours_add(b, number, date, type, minutes, &o, NULL);
}

static void record_time(bo_book *b)
{
    int jo_days = 0, lee_days = 0;
    for (int d = 1; d <= 30; d++) {
        int wday = (d + 2) % 7; /* 1 April 2026 is a Wednesday: 0 = Sunday */
        if (wday == 0 || wday == 6)
            continue;
        ok(hours(b, "E-03", day(4, d), "regular", 8 * 60), "Jo's hours");
        jo_days++;
        if (wday <= 4) {
            ok(hours(b, "E-04", day(4, d), "regular", 6 * 60), "Lee's hours");
            lee_days++;
        }
    }
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = "E-03/2026-04-11/clock";
    ok(bo_payroll_clock(b, "E-03", day(4, 11), "09:00", "19:30", &o, NULL), "Jo's Saturday");
    ok(hours(b, "E-04", day(4, 3), "holiday", 8 * 60), "Lee's holiday");
    ok(bo_payroll_leave_add(b, "E-01", day(4, 20), day(4, 21), "paid", NULL, NULL), "Maria's leave");
    printf("  timesheets: Jo Kim %d weekdays x 8 h, clocked Sat 11 Apr 09:00-19:30\n"
           "              Lee Chen %d days x 6 h, 8 holiday hours on Good Friday\n"
           "  leave:      Maria Lopez 20-21 Apr (paid)\n", jo_days, lee_days);
}

/* Print the register; check every slip and return the totals. */
static void register_(bo_book *b, int64_t run, int64_t *gross, int64_t *net)
{
    bo_cursor *c = NULL;
    char g[32], d[32], n[32], e[32];
    *gross = *net = 0;
    if (ok(bo_payroll_register(b, run, &c), "register"))
        return;
    printf("\n  %-5s %-12s %-5s %10s %10s %10s %10s\n", "no.", "name", "cc", "gross",
           "deductions", "net", "employer");
    while (bo_cursor_next(c) == 0) {
        int64_t gv = bo_cursor_int(c, 3), dv = bo_cursor_int(c, 4);
        int64_t nv = bo_cursor_int(c, 5), ev = bo_cursor_int(c, 6);
        printf("  %-5s %-12s %-5s %10s %10s %10s %10s\n", bo_cursor_text(c, 0),
               bo_cursor_text(c, 1), bo_cursor_text(c, 2), usd(gv, g, sizeof g),
               usd(dv, d, sizeof d), usd(nv, n, sizeof n), usd(ev, e, sizeof e));
        expect("net = gross - deductions", nv, gv - dv);
        *gross += gv;
        *net += nv;
    }
    bo_cursor_free(c);
    printf("  %-24s %10s %10s %10s\n", "total", usd(*gross, g, sizeof g), "",
           usd(*net, n, sizeof n));
}

/* Maria Lopez, 3,200.00 a month: tax 10 % of 2,000.00 + 15 % of 200.00 =
 * 230.00; pension 5 % = 160.00 (and 160.00 from the shop); net 2,810.00. */
static void check_salaried(bo_book *b, int64_t run)
{
    bo_cursor *c = NULL;
    int64_t earn = 0, ded = 0, er = 0;
    if (ok(bo_payroll_payslip(b, run, "E-01", &c), "payslip lines"))
        return;
    while (bo_cursor_next(c) == 0) {
        const char *kind = bo_cursor_text(c, 2);
        int64_t v = bo_cursor_int(c, 3);
        *(strcmp(kind, "earning") == 0 ? &earn : strcmp(kind, "deduction") == 0 ? &ded : &er) += v;
    }
    bo_cursor_free(c);
    expect("Maria's gross", earn, 320000);
    expect("Maria's deductions", ded, 23000 + 16000);
    expect("Maria's employer pension", er, 16000);
}

/* The posting: print its lines and check it balances. */
static void show_entry(bo_book *b, int64_t entry)
{
    bo_cursor *c = NULL;
    int64_t sum = 0;
    char a[32];
    if (ok(bo_ledger_entry(b, entry, &c), "entry"))
        return;
    int acc = bo_cursor_column_index(c, "account"), amt = bo_cursor_column_index(c, "amount");
    int memo = bo_cursor_column_index(c, "line_memo");
    printf("\n  journal entry %" PRId64 " (debits positive):\n", entry);
    while (bo_cursor_next(c) == 0) {
        const char *m = bo_cursor_text(c, memo);
        printf("    %-6s %-9s %12s\n", bo_cursor_text(c, acc), m ? m : "",
               usd(bo_cursor_int(c, amt), a, sizeof a));
        sum += bo_cursor_int(c, amt);
    }
    bo_cursor_free(c);
    expect("sum of the posting's lines", sum, 0);
}

int demo_payroll(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    bo_cursor *c = NULL;
    int64_t run = 0, entry = 0, payment = 0, gross = 0, net = 0;
    char t1[32], t2[32];
    fails = 0;
    printf("\n== Payroll: April's pay for the shop's four staff ==\n");
    printf("  staff and the rule pack \"shop\" come from shop.yaml; 2 salaried, 2 hourly\n");
    record_time(b);

    int64_t wages0 = bal(b, "6010"), payable0 = bal(b, "2200"), bank0 = bal(b, "1020");
    ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "payroll-2026-04", .pack = "shop",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = day(4, 1), .period_end = day(4, 30),
            .pay_date = day(4, 30) }, &run), "run");
    ok(bo_payroll_run_calculate(b, run), "calculate");
    printf("  run %" PRId64 " created and calculated (draft -> calculated)\n", run);
    register_(b, run, &gross, &net);
    check_salaried(b, run);

    ok(bo_payroll_run_approve(b, run), "approve");
    ok(bo_payroll_run_post(b, run, &entry), "post");
    printf("\n  approved, then posted to the ledger, one line per account and cost centre:");
    show_entry(b, entry);
    int64_t wages = bal(b, "6010") - wages0;
    printf("  wages expense (6010) grew by %s = the register's gross %s\n",
           usd(wages, t1, sizeof t1), usd(gross, t2, sizeof t2));
    expect("wages expense", wages, gross);
    expect("net pay payable after posting", bal(b, "2200") - payable0, -net);

    ok(bo_payroll_run_pay(b, run, "1020", day(4, 30), &payment), "pay");
    printf("  paid from 1020 (entry %" PRId64 "): %s; wages payable back to %s\n", payment,
           usd(bank0 - bal(b, "1020"), t1, sizeof t1),
           usd(bal(b, "2200") - payable0, t2, sizeof t2));
    expect("bank paid out", bank0 - bal(b, "1020"), net);
    expect("net pay payable after payment", bal(b, "2200") - payable0, 0);

    printf("\n  Jo Kim's payslip:\n\n");
    if (ok(bo_payroll_payslip_render(b, run, "E-03", "text", &c), "payslip") == 0) {
        if (bo_cursor_next(c) == 0)
            fputs(bo_cursor_text(c, 0), stdout);
        bo_cursor_free(c);
    }
    int state = 0;
    ok(bo_payroll_run_state(b, run, &state), "state");
    expect("run state", state, BO_PAYROLL_PAID);
    if (fails)
        fprintf(stderr, "payroll: %d figure(s) disagree\n", fails);
    printf("%s\n", fails ? "The payroll chapter FAILED its checks."
                         : "Payslips, register and ledger agree.");
    return fails ? 1 : 0;
}
