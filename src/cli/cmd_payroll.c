/*
 * backoffice payroll VERB ...: rule packs, employees, pay terms, time,
 * pay runs, payslips, the register, year to date and the export. Money is
 * typed and shown as decimals of the book's base currency (the currency of
 * the packs a book uses); time as hours ("7.5" or "7:30"). Documents
 * (payslips, exports) are printed as they are unless --format csv/json asks
 * for a record.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Render a cursor with money in the book's currency. */
static int show(cli *c, int rc, bo_cursor *cur)
{
    return rc < 0 ? cli_lib_error(c, rc)
                  : cli_render_cursor(c, cur, bo_book_base_currency(c->book));
}

/* A one-row "document" cursor: printed as it is for table output, so a
 * payslip or a CSV export can be redirected to a file as it is. */
static int show_document(cli *c, int rc, bo_cursor *cur)
{
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_document(c, cur);
}

/* A date option that must be given. */
static int need_date(const cli_args *a, const char *name, bo_date *d)
{
    const char *t = cli_opt_get(a, name);
    if (t == NULL)
        return cli_usage_error("payroll: --%s YYYY-MM-DD is required", name);
    return cli_date(name, t, d);
}

static int run_id(const cli_args *a, int64_t *id)
{
    return cli_int64("RUN", a->pos[0], id);
}

/* The file name without its folders, for messages ("generic.yaml:3:5"). */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int pack_check_load(cli *c, const cli_args *a)
{
    char *text = NULL;
    size_t len = 0;
    int load = strcmp(c->cmd->name, "pack-load") == 0;
    int status = cli_read_file(a->pos[0], BO_PAYROLL_PACK_MAX, &text, &len);
    if (status == 0 && load)
        status = cli_open(c);
    if (status != 0) {
        free(text);
        return status;
    }
    int rc = load ? bo_payroll_pack_load(c->book, text, len, base_name(a->pos[0]))
                  : bo_payroll_pack_check(text, len, base_name(a->pos[0]));
    free(text);
    return cli_check(c, rc);
}

static int pack_eval(cli *c, const cli_args *a)
{
    OPEN(c);
    int64_t v = 0;
    int rc = bo_payroll_pack_eval(c->book, a->pos[0], a->pos[2], a->pos[1], &v);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"component", BO_TYPE_TEXT, 0, a->pos[1]}, {"value", BO_TYPE_INT, v, NULL}};
    return cli_render_record(c, f, 2, bo_book_base_currency(c->book));
}

static int employee_add(cli *c, const cli_args *a)
{
    bo_date start;
    int status = need_date(a, "start", &start);
    if (status != 0)
        return status;
    OPEN(c);
    return cli_check(c, bo_payroll_employee_add(c->book, a->pos[0], a->pos[1], start));
}

static int employee_set(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_payroll_employee_set(c->book, a->pos[0], a->pos[1],
                                            a->npos > 2 ? a->pos[2] : NULL));
}

/* The read-only listings keyed by an employee number or nothing. */
static int listing(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = !strcmp(n, "packs")       ? bo_payroll_packs(c->book, &cur)
           : !strcmp(n, "employees")   ? bo_payroll_employees(c->book, &cur)
           : !strcmp(n, "runs")        ? bo_payroll_runs(c->book, &cur)
           : !strcmp(n, "search")      ? bo_payroll_employee_search(c->book, a->pos[0], &cur)
           : !strcmp(n, "terms")       ? bo_payroll_terms(c->book, a->pos[0], &cur)
                                       : bo_payroll_employee_get(c->book, a->pos[0], &cur);
    return show(c, rc, cur);
}

static int terms_set(cli *c, const cli_args *a)
{
    bo_date eff;
    const char *sched = cli_opt_get(a, "schedule");
    int schedule = bo_payroll_schedule_parse(sched ? sched : "monthly");
    if (schedule < 0)
        return cli_usage_error("--schedule: expected monthly, semi-monthly, bi-weekly or weekly");
    int status = need_date(a, "effective", &eff);
    if (status != 0)
        return status;
    OPEN(c);
    int64_t amount;
    int rc = bo_money_parse(a->pos[2], bo_book_base_currency(c->book), &amount);
    if (rc == 0)
        rc = bo_payroll_terms_set(c->book, a->pos[0], eff, a->pos[1], amount, schedule);
    return cli_check(c, rc);
}

static int input_add(cli *c, const cli_args *a)
{
    bo_date from, to;
    int status = need_date(a, "from", &from);
    if (status != 0 || (status = need_date(a, "to", &to)) != 0)
        return status;
    OPEN(c);
    int64_t amount;
    int rc = bo_money_parse(a->pos[2], bo_book_base_currency(c->book), &amount);
    if (rc == 0)
        rc = bo_payroll_input_add(c->book, a->pos[0], a->pos[1], from, to, amount);
    return cli_check(c, rc);
}

static int previous_add(cli *c, const cli_args *a)
{
    bo_payroll_previous s = BO_PAYROLL_PREVIOUS_INIT;
    int status = need_date(a, "from", &s.period_start);
    if (status != 0 || (status = need_date(a, "to", &s.period_end)) != 0)
        return status;
    char *end;
    long year = strtol(a->pos[1], &end, 10);
    if (*end || end == a->pos[1] || year < 1 || year > 9999)
        return cli_usage_error("YEAR: expected a year, not \"%s\"", a->pos[1]);
    s.year = (int)year;
    OPEN(c);
    const char *cur = bo_book_base_currency(c->book);
    int rc = bo_money_parse(a->pos[2], cur, &s.bruto);
    if (rc == 0)
        rc = bo_money_parse(a->pos[3], cur, &s.neto);
    if (rc == 0)
        rc = bo_money_parse(a->pos[4], cur, &s.tax);
    if (rc == 0)
        rc = bo_payroll_previous_add(c->book, a->pos[0], &s);
    return cli_check(c, rc);
}

static int clock(cli *c, const cli_args *a)
{
    bo_date d;
    int status = cli_date("DATE", a->pos[1], &d);
    if (status != 0)
        return status;
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    int64_t id = 0;
    int rc = bo_payroll_clock(c->book, a->pos[0], d, a->pos[2], a->pos[3], &o, &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "time", id);
}

/* Hours as "7", "7.5", "7.25" (whole minutes only) or "7:30", into minutes. */
static int parse_hours(const char *text, int64_t *minutes)
{
    char *end;
    long h = strtol(text, &end, 10);
    long m = 0;
    if (end == text || h < 0 || h > 24 * 366)
        goto bad;
    if (*end == ':') {
        const char *p = end + 1;
        m = strtol(p, &end, 10);
        if (end != p + 2 || m < 0 || m > 59)
            goto bad;
    } else if (*end == '.') {
        const char *p = end + 1;
        long frac = 0, scale = 1;
        for (; *p >= '0' && *p <= '9' && scale < 1000000; p++, scale *= 10)
            frac = frac * 10 + (*p - '0');
        if (p == end + 1 || (frac * 60) % scale != 0)
            goto bad;
        m = frac * 60 / scale;
        end = (char *)p;
    }
    if (*end != '\0')
        goto bad;
    *minutes = (int64_t)h * 60 + m;
    return 0;
bad:
    return cli_usage_error("hours: expected H, H.hh or H:MM in whole minutes, not \"%s\"",
                           text);
}

static int hours(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t minutes = 0;
    int status = cli_date("DATE", a->pos[1], &d);
    if (status != 0 || (status = parse_hours(a->pos[3], &minutes)) != 0)
        return status;
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    int64_t id = 0;
    int rc = bo_payroll_hours_add(c->book, a->pos[0], d, a->pos[2], minutes, &o, &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "time", id);
}

static int leave(cli *c, const cli_args *a)
{
    bo_date from, to;
    int status = cli_date("FROM", a->pos[1], &from);
    if (status != 0 || (status = cli_date("TO", a->pos[2], &to)) != 0)
        return status;
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    int64_t id = 0;
    int rc = bo_payroll_leave_add(c->book, a->pos[0], from, to, a->pos[3], &o, &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "time", id);
}

static int time_(cli *c, const cli_args *a)
{
    bo_date from, to;
    int status = cli_opt_date(a, "from", BO_DATE_MIN, &from);
    if (status != 0 || (status = cli_opt_date(a, "to", BO_DATE_MAX, &to)) != 0)
        return status;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = bo_payroll_time(c->book, a->pos[0], from, to, &cur);
    return show(c, rc, cur);
}

static int run_create(cli *c, const cli_args *a)
{
    const char *sched = cli_opt_get(a, "schedule");
    int schedule = bo_payroll_schedule_parse(sched ? sched : "monthly");
    if (schedule < 0)
        return cli_usage_error("--schedule: expected monthly, semi-monthly, bi-weekly or weekly");
    bo_date from, to, pay;
    int status = need_date(a, "from", &from);
    if (status != 0 || (status = need_date(a, "to", &to)) != 0 ||
        (status = cli_opt_date(a, "pay-date", to, &pay)) != 0)
        return status;
    OPEN(c);
    int64_t id = 0;
    int rc = bo_payroll_run_create(c->book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = a->pos[0], .pack = a->pos[1],
            .pay_group = cli_opt_get(a, "group"), .schedule = schedule, .period_start = from,
            .period_end = to, .pay_date = pay }, &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "run", id);
}

/* run-calculate, run-approve, run-post: one run id. */
static int run_step(cli *c, const cli_args *a)
{
    int64_t id, entry = 0;
    int status = run_id(a, &id);
    if (status != 0)
        return status;
    OPEN(c);
    const char *n = c->cmd->name;
    if (!strcmp(n, "run-calculate"))
        return cli_check(c, bo_payroll_run_calculate(c->book, id));
    if (!strcmp(n, "run-approve"))
        return cli_check(c, bo_payroll_run_approve(c->book, id));
    int rc = bo_payroll_run_post(c->book, id, &entry);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "entry", entry);
}

static int run_pay(cli *c, const cli_args *a)
{
    int64_t id, entry = 0;
    bo_date d;
    int status = run_id(a, &id);
    if (status != 0 || (status = need_date(a, "date", &d)) != 0)
        return status;
    OPEN(c);
    int rc = bo_payroll_run_pay(c->book, id, a->pos[1], d, &entry);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "entry", entry);
}

static int run_reverse(cli *c, const cli_args *a)
{
    int64_t id;
    bo_date d;
    int status = run_id(a, &id);
    if (status != 0 || (status = need_date(a, "date", &d)) != 0)
        return status;
    OPEN(c);
    return cli_check(c, bo_payroll_run_reverse(c->book, id, d));
}

static int run_state(cli *c, const cli_args *a)
{
    static const char *const names[] = {"", "draft", "calculated", "approved",
                                        "posted", "paid", "reversed"};
    int64_t id;
    int state = 0;
    int status = run_id(a, &id);
    if (status != 0)
        return status;
    OPEN(c);
    int rc = bo_payroll_run_state(c->book, id, &state);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"run", BO_TYPE_INT, id, NULL},
                     {"state", BO_TYPE_TEXT, 0,
                      state >= 1 && state <= 6 ? names[state] : "unknown"}};
    return cli_render_record(c, f, 2, NULL);
}

/* payslip, payslip-lines, register, export: by run id. */
static int by_run(cli *c, const cli_args *a)
{
    int64_t id;
    int status = run_id(a, &id);
    if (status != 0)
        return status;
    const char *n = c->cmd->name, *fmt = NULL;
    if (!strcmp(n, "export")) {
        fmt = a->npos > 1 ? a->pos[1] : "csv";
        if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0)
            return cli_usage_error("payroll export: the document format is csv or json");
    }
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc;
    if (!strcmp(n, "register")) {
        rc = bo_payroll_register(c->book, id, &cur);
        return show(c, rc, cur);
    }
    if (!strcmp(n, "payslip-lines")) {
        rc = bo_payroll_payslip(c->book, id, a->pos[1], &cur);
        return show(c, rc, cur);
    }
    if (!strcmp(n, "export")) {
        rc = bo_payroll_export(c->book, id, fmt, &cur);
        return show_document(c, rc, cur);
    }
    const char *lang = cli_opt_get(a, "lang");
    if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "id") != 0)
        return cli_usage_error("payroll payslip: --lang is en or id, not \"%s\"", lang);
    int id_lang = lang && strcmp(lang, "id") == 0;
    const char *format = cli_opt_get(a, "html") ? (id_lang ? "html-id" : "html")
                                                : (id_lang ? "text-id" : "text");
    rc = bo_payroll_payslip_render(c->book, id, a->pos[1], format, &cur);
    return show_document(c, rc, cur);
}

static int year_arg(const char *s, long lo, long hi, const char *what, long *out)
{
    char *end;
    *out = strtol(s, &end, 10);
    if (*end != '\0' || end == s || *out < lo || *out > hi)
        return cli_usage_error("%s must be a number %ld..%ld, not \"%s\"", what, lo, hi, s);
    return 0;
}

/* form-1721a1 NUMBER YEAR [--html 1]; withholding YEAR MONTH */
static int id_outputs(cli *c, const cli_args *a)
{
    long year, month = 0;
    int status, form = !strcmp(c->cmd->name, "form-1721a1");
    if ((status = year_arg(a->pos[form ? 1 : 0], 1, 9999, "YEAR", &year)) ||
        (!form && (status = year_arg(a->pos[1], 1, 12, "MONTH", &month))))
        return status;
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = form ? bo_payroll_form_1721a1(c->book, a->pos[0], (int)year,
                                           cli_opt_get(a, "html") ? "html" : "text", &cur)
                  : bo_payroll_withholding_export(c->book, (int)year, (int)month, "csv", &cur);
    return show_document(c, rc, cur);
}

static int ytd(cli *c, const cli_args *a)
{
    char *end;
    long year = strtol(a->pos[1], &end, 10);
    if (*end != '\0' || end == a->pos[1] || year < 1 || year > 9999)
        return cli_usage_error("YEAR must be a year such as 2024, not \"%s\"", a->pos[1]);
    OPEN(c);
    bo_cursor *cur = NULL;
    int rc = bo_payroll_ytd(c->book, a->pos[0], (int)year, &cur);
    return show(c, rc, cur);
}

static const cli_sub subs[] = {
    {{"pack-check", "FILE",
      "Compile a rule pack (YAML) without storing it; errors name FILE:LINE:COLUMN.\n", NULL},
     {0}, 1, 1, pack_check_load},
    {{"pack-load", "FILE",
      "Compile and store a rule pack under its \"pack:\" name (payroll.admin).\n", NULL},
     {0}, 1, 1, pack_check_load},
    {{"packs", "", "List the stored rule packs.\n", NULL}, {0}, 0, 0, listing},
    {{"pack-eval", "PACK COMPONENT INPUTS",
      "Evaluate one component for inputs \"base_salary=5000; employee.tax_status=K/0\"\n"
      "(nothing is written; a calc component is scaled by 10^6).\n", NULL},
     {0}, 3, 3, pack_eval},
    {{"employee-add", "NUMBER NAME --start D", "Add an employee.\n", NULL},
     {"start"}, 2, 2, employee_add},
    {{"employee-set", "NUMBER FIELD [VALUE]",
      "Set name, contact, tax_id, social_id, bank_account, start_date, end_date,\n"
      "department, cost_center, pay_group, tax_status or risk_class; no VALUE clears it.\n",
      NULL}, {0}, 2, 3, employee_set},
    {{"employee-get", "NUMBER", "One employee, every field (audited).\n",
      NULL}, {0}, 1, 1, listing},
    {{"employees", "", "List the employees (audited).\n", NULL}, {0}, 0, 0,
     listing},
    {{"search", "TEXT", "Employees whose number or name contains TEXT.\n", NULL},
     {0}, 1, 1, listing},
    {{"terms-set", "NUMBER salary|hourly AMOUNT --effective D "
      "[--schedule monthly|semi-monthly|bi-weekly|weekly]",
      "Pay terms from D (may be backdated: the next run adds back pay). AMOUNT per\n"
      "period (salary) or per hour (hourly), in the base currency.\n", NULL},
     {"effective", "schedule"}, 3, 3, terms_set},
    {{"terms", "NUMBER", "An employee's terms history (audited).\n", NULL}, {0},
     1, 1, listing},
    {{"input-add", "NUMBER NAME AMOUNT --from D --to D",
      "A pay input a pack reads as input.NAME in every run whose period overlaps\n"
      "D..D (an allowance, a bonus, zakat...), in the base currency.\n", NULL},
     {"from", "to"}, 3, 3, input_add},
    {{"previous-add", "NUMBER YEAR BRUTO NETO TAX --from D --to D",
      "A previous employer's withholding slip of tax year YEAR for the period\n"
      "D..D (inside YEAR): its bruto, neto and tax, in the base currency.\n", NULL},
     {"from", "to"}, 5, 5, previous_add},
    {{"clock", "NUMBER DATE HH:MM HH:MM --key K",
      "Attendance: clocked in and out; beyond the pack's day is overtime. K is the\n"
      "idempotency key: the same event again with K records nothing.\n", NULL}, {"key"},
     4, 4, clock},
    {{"hours", "NUMBER DATE regular|overtime|holiday HOURS --key K",
      "Timesheet hours (\"7.5\" or \"7:30\"; K: the idempotency key).\n", NULL}, {"key"},
     4, 4, hours},
    {{"leave", "NUMBER FROM TO paid|unpaid [--key K]",
      "Leave or absence, inclusive (K: an optional idempotency key).\n", NULL}, {"key"},
     4, 4, leave},
    {{"time", "NUMBER [--from D] [--to D]", "Time recorded (audited).\n", NULL},
     {"from", "to"}, 1, 1, time_},
    {{"run-create", "KEY PACK --from D --to D [--pay-date D] "
      "[--schedule S] [--group G]",
      "Create a draft pay run for the period (pay date: the period's end).\n", NULL},
     {"from", "to", "pay-date", "schedule", "group"}, 2, 2, run_create},
    {{"run-calculate", "RUN", "Compute the payslips (draft or "
      "calculated).\n", NULL}, {0}, 1, 1, run_step},
    {{"run-approve", "RUN", "Approve a calculated run "
      "(payroll.approve).\n", NULL}, {0}, 1, 1, run_step},
    {{"run-post", "RUN", "Post an approved run to the ledger.\n", NULL}, {0},
     1, 1, run_step},
    {{"run-pay", "RUN BANK_ACCOUNT --date D", "Pay the net pay of a posted "
      "run.\n", NULL}, {"date"}, 2, 2, run_pay},
    {{"run-reverse", "RUN --date D", "Reverse a posted or paid run.\n",
      NULL}, {"date"}, 1, 1, run_reverse},
    {{"run-state", "RUN", "The state of a run.\n", NULL}, {0}, 1, 1,
     run_state},
    {{"runs", "", "List the pay runs.\n", NULL}, {0}, 0, 0, listing},
    {{"payslip", "RUN NUMBER [--html 1] [--lang en|id]",
      "An employee's payslip as text (or HTML), with year-to-date figures;\n"
      "--lang id: in Indonesian (\"Rp 12.345.000\").\n", NULL},
     {"html", "lang"}, 2, 2, by_run},
    {{"payslip-lines", "RUN NUMBER", "A payslip's lines.\n", NULL}, {0},
     2, 2, by_run},
    {{"register", "RUN", "The payroll register of a run.\n", NULL}, {0}, 1, 1,
     by_run},
    {{"ytd", "NUMBER YEAR", "Year-to-date totals per component.\n", NULL}, {0}, 2,
     2, ytd},
    {{"export", "RUN [csv|json]", "The register as one CSV or JSON document.\n",
      NULL}, {0}, 1, 2, by_run},
    {{"form-1721a1", "NUMBER YEAR [--html 1]",
      "The annual withholding slip (Indonesia, form 1721-A1) of an employee whose\n"
      "last period of YEAR is posted, as text (or HTML).\n", NULL},
     {"html"}, 2, 2, id_outputs},
    {{"withholding", "YEAR MONTH",
      "The month's PPh 21 withholding lines (Indonesia) as CSV: tax id, name, PTKP\n"
      "status, tax-object code, bruto, PPh 21, TER category and rate or method.\n", NULL},
     {0}, 2, 2, id_outputs},
};

const cli_domain cli_payroll_domain = {
    "payroll", "payroll",
    "employees, pay terms, time, rule packs, pay runs, payslips",
    subs, sizeof subs / sizeof *subs, NULL, 0,
};
