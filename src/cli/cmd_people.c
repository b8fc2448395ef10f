/*
 * backoffice people VERB ...: shift types, limits, holidays, the roster and
 * its rules, punches and attendance (fed to payroll's hours), leave
 * policies, entitlements, requests and balances; the roster's gaps
 * (unavailability, headcount, open shifts, swaps), iCalendar files,
 * recruitment and reviews. Minutes are whole
 * numbers; leave is given and shown in hundredths of a day (the column
 * "days" and the balance), instants as "YYYY-MM-DDTHH:MM".
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int show(cli *c, int rc, bo_cursor *cur)
{
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_cursor(c, cur, NULL);
}

/* A whole number in min..max (minutes, flags, counts). */
static int number(const char *field, const char *text, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*end != '\0' || end == text || v < min || v > max)
        return cli_usage_error("%s must be a whole number from %lld to %lld", field,
                               (long long)min, (long long)max);
    *out = v;
    return 0;
}

/* An optional whole-number option. */
static int opt_number(const cli_args *a, const char *name, int64_t min, int64_t max,
                      int64_t dflt, int64_t *out)
{
    const char *t = cli_opt_get(a, name);
    *out = dflt;
    return t ? number(name, t, min, max, out) : 0;
}

static int need_range(const cli_args *a, bo_date *from, bo_date *to)
{
    if (!cli_opt_get(a, "from") || !cli_opt_get(a, "to"))
        return cli_usage_error("people: --from YYYY-MM-DD and --to YYYY-MM-DD are required");
    int st = cli_opt_date(a, "from", 0, from);
    return st ? st : cli_opt_date(a, "to", 0, to);
}

static int pick(const char *field, const char *text, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], text) == 0) {
            *out = i + 1;
            return 0;
        }
    return cli_usage_error("%s: \"%s\" is not one of the choices (see --help)", field, text);
}

static int shift_type_add(cli *c, const cli_args *a)
{
    static const char *const modes[] = {"first_last", "direction", "alternating"};
    bo_people_shift_options o = BO_PEOPLE_SHIFT_OPTIONS_INIT;
    int64_t brk, gl, ge, half, absent;
    int st;
    o.start = a->pos[1];
    o.end = a->pos[2];
    if ((st = opt_number(a, "break", 0, 1440, 0, &brk)) ||
        (st = opt_number(a, "grace-late", 0, 1440, 0, &gl)) ||
        (st = opt_number(a, "grace-early", 0, 1440, 0, &ge)) ||
        (st = opt_number(a, "half-day", 0, 1440, 0, &half)) ||
        (st = opt_number(a, "absent", 0, 1440, 0, &absent)))
        return st;
    if (cli_opt_get(a, "punch-mode") &&
        (st = pick("--punch-mode", cli_opt_get(a, "punch-mode"), modes, 3, &o.punch_mode)))
        return st;
    o.break_minutes = (int)brk;
    o.grace_late = (int)gl;
    o.grace_early = (int)ge;
    o.half_day_minutes = (int)half;
    o.absent_minutes = (int)absent;
    OPEN(c);
    return cli_check(c, bo_people_shift_type_add(c->book, a->pos[0], &o));
}

static int limit(cli *c, const cli_args *a)
{
    int64_t m;
    int st = number("MINUTES", a->pos[1], 0, 10080, &m);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_people_limit_set(c->book, a->pos[0], m));
}

static int holiday_add(cli *c, const cli_args *a)
{
    bo_date d;
    int st = cli_date("DATE", a->pos[1], &d);
    if (st)
        return st;
    int flags = (cli_opt_get(a, "half") ? BO_PEOPLE_HOLIDAY_HALF : 0) |
                (cli_opt_get(a, "estimated") ? BO_PEOPLE_HOLIDAY_ESTIMATED : 0) |
                (cli_opt_get(a, "collective") ? BO_PEOPLE_HOLIDAY_COLLECTIVE : 0);
    OPEN(c);
    return cli_check(c, bo_people_holiday_add(c->book, a->pos[0], d, a->pos[2], flags));
}

static int assign(cli *c, const cli_args *a)
{
    bo_date d;
    int st = cli_date("DATE", a->pos[1], &d);
    if (st)
        return st;
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_shift_assign(c->book, a->pos[0], d, a->pos[2], a->pos[3], a->pos[4], &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "shift", id);
}

static int check(cli *c, const cli_args *a)
{
    static const char *const rules[] = {"none", "overlap", "leave", "holiday", "rest",
                                        "week_hours", "overtime_day", "overtime_week",
                                        "unavailable"};
    bo_date d;
    int st = cli_date("DATE", a->pos[1], &d);
    if (st)
        return st;
    OPEN(c);
    int rule = 0;
    int rc = bo_people_shift_check(c->book, a->pos[0], d, a->pos[2], a->pos[3], &rule);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"rule", BO_TYPE_TEXT, 0, rule >= 0 && rule <= 8 ? rules[rule] : "?"},
                     {"why", BO_TYPE_TEXT, 0, rule ? bo_error_message() : ""}};
    return cli_render_record(c, f, 2, NULL);
}

static int repeat(cli *c, const cli_args *a)
{
    bo_date from, to;
    int64_t days, every;
    int st = need_range(a, &from, &to);
    if (st || (st = opt_number(a, "weekdays", 1, 127, 31, &days)) ||
        (st = opt_number(a, "every", 1, 52, 1, &every)))
        return st;
    OPEN(c);
    int64_t n = 0;
    int rc = bo_people_shift_repeat(c->book, a->pos[0], a->pos[1], a->pos[2], a->pos[3], from,
                                    to, (int)days, (int)every, &n);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "shifts", n);
}

/* publish, attendance-run, attendance-post: a count over a range. */
static int counted(cli *c, const cli_args *a)
{
    bo_date from, to;
    int st = need_range(a, &from, &to);
    if (st)
        return st;
    OPEN(c);
    const char *n = c->cmd->name;
    int64_t count = 0;
    int rc;
    if (!strcmp(n, "publish"))
        rc = bo_people_roster_publish(c->book, a->pos[0], from, to, &count);
    else if (!strcmp(n, "attendance-run"))
        rc = bo_people_attendance_run(c->book, from, to, cli_opt_get(a, "now"), &count);
    else
        rc = bo_people_attendance_post(c->book, from, to, &count);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "count", count);
}

static int punch(cli *c, const cli_args *a)
{
    static const char *const kinds[] = {"in", "out"};
    int kind = 0, st;
    if (a->npos > 2 && strcmp(a->pos[2], "any") != 0 &&
        (st = pick("KIND", a->pos[2], kinds, 2, &kind)))
        return st;
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_punch(c->book, a->pos[0], a->pos[1], kind, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "punch", id);
}

/* Days as "7", "1.5" or "0.25" into hundredths. */
static int days(const char *field, const char *text, int64_t *out)
{
    char *end;
    long long whole = strtoll(text, &end, 10);
    int64_t frac = 0;
    if (end == text || whole < 0 || whole > 3660)
        return cli_usage_error("%s must be days such as 12 or 1.5", field);
    if (*end == '.') {
        const char *f = end + 1;
        if (f[0] < '0' || f[0] > '9' || (f[1] && (f[1] < '0' || f[1] > '9' || f[2])))
            return cli_usage_error("%s must be days such as 12 or 1.5 (two decimals at most)",
                                   field);
        frac = (f[0] - '0') * 10 + (f[1] ? f[1] - '0' : 0);
    } else if (*end != '\0') {
        return cli_usage_error("%s must be days such as 12 or 1.5", field);
    }
    *out = whole * BO_PEOPLE_DAY + frac;
    return 0;
}

static int leave_policy_add(cli *c, const cli_args *a)
{
    static const char *const accruals[] = {"yearly", "monthly", "anniversary"};
    int accrual = 0, st;
    int64_t per_year, cap = 0, carry = -1, months;
    if ((st = pick("ACCRUAL", a->pos[1], accruals, 3, &accrual)) ||
        (st = days("DAYS", a->pos[2], &per_year)) ||
        (cli_opt_get(a, "cap") && (st = days("--cap", cli_opt_get(a, "cap"), &cap))) ||
        (cli_opt_get(a, "carry") && (st = days("--carry", cli_opt_get(a, "carry"), &carry))) ||
        (st = opt_number(a, "carry-months", 0, 12, 0, &months)))
        return st;
    OPEN(c);
    return cli_check(c, bo_people_leave_policy_add(c->book, a->pos[0], accrual, per_year, cap,
                                                   carry, (int)months));
}

static int leave_entitle(cli *c, const cli_args *a)
{
    bo_date from;
    int st = cli_date("FROM", a->pos[2], &from);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_people_leave_entitle(c->book, a->pos[0], a->pos[1], from));
}

static int leave_request(cli *c, const cli_args *a)
{
    bo_date from, to;
    int st = cli_date("FROM", a->pos[2], &from);
    if (st || (st = cli_date("TO", a->pos[3], &to)))
        return st;
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_leave_request(c->book, a->pos[0], a->pos[1], from, to,
                                     cli_opt_get(a, "half") != NULL, cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "request", id);
}

static int leave_decide(cli *c, const cli_args *a)
{
    int64_t id;
    int st = cli_int64("REQUEST", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_people_leave_decide(c->book, id, !strcmp(c->cmd->name, "leave-approve")));
}

static int leave_collective(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t amount = BO_PEOPLE_DAY;
    int st = cli_date("DATE", a->pos[1], &d);
    if (st || (a->npos > 2 && (st = days("AMOUNT", a->pos[2], &amount))))
        return st;
    OPEN(c);
    return cli_check(c, bo_people_leave_collective(c->book, a->pos[0], d, amount));
}

static int leave_balance(cli *c, const cli_args *a)
{
    bo_date d;
    int st = cli_date("DATE", a->pos[2], &d);
    if (st)
        return st;
    OPEN(c);
    int64_t avail = 0, expired = 0;
    int rc = bo_people_leave_balance(c->book, a->pos[0], a->pos[1], d, &avail, &expired);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = {{"days", BO_TYPE_INT, avail, NULL}, {"expired_days", BO_TYPE_INT, expired, NULL}};
    return cli_render_record(c, f, 2, NULL);
}

/* ---- roster gaps, iCalendar, recruitment, reviews ---------------------------- */

static int unavailable(cli *c, const cli_args *a)
{
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_unavailable_add_keyed(c->book, a->pos[0], a->pos[1], a->pos[2],
                                             cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "unavailability", id);
}

static int headcount(cli *c, const cli_args *a)
{
    int64_t min, days;
    int st = number("MINIMUM", a->pos[4], 0, 10000, &min);
    if (st || (st = opt_number(a, "weekdays", 1, 127, 127, &days)))
        return st;
    OPEN(c);
    return cli_check(c, bo_people_headcount_set(c->book, a->pos[0], a->pos[1], (int)days,
                                                a->pos[2], a->pos[3], (int)min));
}

static int open_shift_add(cli *c, const cli_args *a)
{
    bo_date d;
    int st = cli_date("DATE", a->pos[0], &d);
    if (st)
        return st;
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_open_shift_add_keyed(c->book, d, a->pos[1], a->pos[2], a->pos[3],
                                            cli_opt_get(a, "key"), &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "open_shift", id);
}

static int by_id(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    int64_t id, out = 0;
    int st = cli_int64("ID", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    int rc;
    if (!strcmp(n, "open-shift-claim")) {
        rc = bo_people_open_shift_claim(c->book, id, a->pos[1], &out);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "shift", out);
    }
    if (!strcmp(n, "swap-propose")) {
        rc = bo_people_swap_propose_keyed(c->book, id, a->pos[1], cli_opt_get(a, "key"), &out);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "swap", out);
    }
    if (!strcmp(n, "swap-accept") || !strcmp(n, "swap-decline"))
        return cli_check(c, bo_people_swap_accept(c->book, id, !strcmp(n, "swap-accept")));
    if (!strcmp(n, "swap-approve") || !strcmp(n, "swap-refuse"))
        return cli_check(c, bo_people_swap_decide(c->book, id, !strcmp(n, "swap-approve")));
    if (!strcmp(n, "applicant-erase"))
        return cli_check(c, bo_people_applicant_erase(c->book, id));
    if (!strcmp(n, "applicant-export"))
        return cli_check(c, bo_people_applicant_export(c->book, id, a->pos[1]));
    if (!strcmp(n, "applicant-hire") || !strcmp(n, "applicant-move") ||
        !strcmp(n, "applicant-reject") || !strcmp(n, "applicant-withdraw")) {
        bo_date d;
        int last = !strcmp(n, "applicant-hire") || !strcmp(n, "applicant-move") ? 2 : 1;
        if ((st = cli_date("DATE", a->pos[last], &d)))
            return st;
        if (!strcmp(n, "applicant-hire"))
            rc = bo_people_applicant_hire(c->book, id, a->pos[1], d);
        else if (!strcmp(n, "applicant-move"))
            rc = bo_people_applicant_move(c->book, id, a->pos[1], d);
        else
            rc = bo_people_applicant_close(c->book, id, !strcmp(n, "applicant-reject")
                                                            ? BO_PEOPLE_REJECTED
                                                            : BO_PEOPLE_WITHDRAWN, d);
        return cli_check(c, rc);
    }
    /* review-score ID CRITERION self|manager SCORE, review-result ID self|manager */
    static const char *const who[] = {"self", "manager"};
    int w = 0;
    if (!strcmp(n, "review-scores")) {
        bo_cursor *cur = NULL;
        rc = bo_people_review_scores(c->book, id, &cur);
        return show(c, rc, cur);
    }
    if (!strcmp(n, "review-result")) {
        if ((st = pick("WHO", a->pos[1], who, 2, &w)))
            return st;
        rc = bo_people_review_result(c->book, id, w, &out);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "score", out);
    }
    int64_t score;
    if ((st = pick("WHO", a->pos[2], who, 2, &w)) ||
        (st = number("SCORE", a->pos[3], 100, 500, &score)))
        return st;
    return cli_check(c, bo_people_review_score(c->book, id, a->pos[1], w, score,
                                               cli_opt_get(a, "note")));
}

static int ics(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    bo_date from = 0, to = 0;
    int st = strcmp(n, "holidays-import") ? need_range(a, &from, &to) : 0;
    if (st)
        return st;
    OPEN(c);
    int64_t count = 0;
    if (!strcmp(n, "holidays-import")) {
        int rc = bo_people_holidays_import_ics(c->book, a->pos[0], a->pos[1], &count);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "count", count);
    }
    if (!strcmp(n, "holidays-export"))
        return cli_check(c, bo_people_holidays_export_ics(c->book, a->pos[0], from, to,
                                                          a->pos[1]));
    return cli_check(c, bo_people_roster_export_ics(c->book, a->pos[0], from, to, a->pos[1]));
}

static int recruit(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    int st;
    if (!strcmp(n, "stage-set")) {
        int64_t pos;
        if ((st = number("POSITION", a->pos[2], 0, 1000, &pos)))
            return st;
        OPEN(c);
        return cli_check(c, bo_people_stage_set(c->book, a->pos[0], a->pos[1], (int)pos));
    }
    if (!strcmp(n, "opening-add")) {
        bo_date d;
        if ((st = cli_date("DATE", a->pos[4], &d)))
            return st;
        OPEN(c);
        return cli_check(c, bo_people_opening_add(c->book, a->pos[0], a->pos[1], a->pos[2],
                                                  a->pos[3], d));
    }
    if (!strcmp(n, "opening-close")) {
        OPEN(c);
        return cli_check(c, bo_people_opening_close(c->book, a->pos[0]));
    }
    if (!strcmp(n, "applicant-retention")) {
        int64_t days;
        if ((st = number("DAYS", a->pos[0], 1, 3660, &days)))
            return st;
        OPEN(c);
        return cli_check(c, bo_people_applicant_retention_set(c->book, (int)days));
    }
    if (!strcmp(n, "applicant-purge")) {
        bo_date d;
        int64_t count = 0;
        if ((st = cli_date("DATE", a->pos[0], &d)))
            return st;
        OPEN(c);
        int rc = bo_people_applicant_purge(c->book, d, &count);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "erased", count);
    }
    if (!strcmp(n, "applicant-add")) {
        bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
        if (!cli_opt_get(a, "consent") || !cli_opt_get(a, "applied"))
            return cli_usage_error("applicant-add: --consent TEXT and --applied DATE are"
                                   " required");
        if ((st = cli_opt_date(a, "applied", 0, &o.applied)))
            return st;
        o.name = a->pos[1];
        o.email = a->pos[2];
        o.phone = cli_opt_get(a, "phone");
        o.consent = cli_opt_get(a, "consent");
        o.key = cli_opt_get(a, "key");
        OPEN(c);
        int64_t id = 0;
        int rc = bo_people_applicant_add(c->book, a->pos[0], &o, &id);
        return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "applicant", id);
    }
    if (!strcmp(n, "review-cycle-add")) {
        bo_date from, to;
        if ((st = cli_date("FROM", a->pos[2], &from)) || (st = cli_date("TO", a->pos[3], &to)))
            return st;
        OPEN(c);
        return cli_check(c, bo_people_review_cycle_add(c->book, a->pos[0], a->pos[1], from,
                                                       to));
    }
    if (!strcmp(n, "review-criterion-add")) {
        int64_t weight;
        if ((st = number("WEIGHT", a->pos[3], 1, 10000, &weight)))
            return st;
        OPEN(c);
        return cli_check(c, bo_people_review_criterion_add(c->book, a->pos[0], a->pos[1],
                                                           a->pos[2], weight));
    }
    /* review-open CYCLE NUMBER */
    OPEN(c);
    int64_t id = 0;
    int rc = bo_people_review_open(c->book, a->pos[0], a->pos[1], &id);
    return rc < 0 ? cli_lib_error(c, rc) : cli_render_int(c, "review", id);
}

static int listing2(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    bo_date from = 0, to = 0;
    int st = 0;
    if (!strcmp(n, "understaffed") || !strcmp(n, "open-shifts") || !strcmp(n, "swaps") ||
        !strcmp(n, "unavailability"))
        st = need_range(a, &from, &to);
    if (st)
        return st;
    OPEN(c);
    bo_cursor *cur = NULL;
    const char *p0 = a->npos > 0 ? a->pos[0] : NULL;
    int rc;
    if (!strcmp(n, "understaffed"))
        rc = bo_people_understaffed(c->book, p0, from, to, &cur);
    else if (!strcmp(n, "open-shifts"))
        rc = bo_people_open_shifts(c->book, p0, from, to, &cur);
    else if (!strcmp(n, "swaps"))
        rc = bo_people_swaps(c->book, from, to, &cur);
    else if (!strcmp(n, "unavailability"))
        rc = bo_people_unavailability(c->book, p0, from, to, &cur);
    else if (!strcmp(n, "stages"))
        rc = bo_people_stages(c->book, &cur);
    else if (!strcmp(n, "openings"))
        rc = bo_people_openings(c->book, &cur);
    else
        rc = bo_people_applicants(c->book, p0, &cur);
    return show(c, rc, cur);
}

/* The listings. */
static int listing(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    bo_date from = 0, to = 0;
    int st = 0;
    if (!strcmp(n, "holidays") || !strcmp(n, "shifts") || !strcmp(n, "attendance"))
        st = need_range(a, &from, &to);
    if (st)
        return st;
    OPEN(c);
    bo_cursor *cur = NULL;
    const char *p0 = a->npos > 0 ? a->pos[0] : NULL;
    int rc;
    if (!strcmp(n, "shift-types"))
        rc = bo_people_shift_types(c->book, &cur);
    else if (!strcmp(n, "holidays"))
        rc = bo_people_holidays(c->book, p0, from, to, &cur);
    else if (!strcmp(n, "shifts"))
        rc = bo_people_shifts(c->book, p0, from, to, &cur);
    else if (!strcmp(n, "attendance"))
        rc = bo_people_attendance(c->book, p0, from, to, &cur);
    else
        rc = bo_people_leave_requests(c->book, p0, &cur);
    return show(c, rc, cur);
}

static const cli_sub subs[] = {
    {{"shift-type-add", "CODE HH:MM HH:MM [--break N] [--grace-late N] [--punch-mode M]",
      "Define a shift type (an end before the start ends the next day; equal: a day off).\n"
      "Minutes: --break, --grace-late, --grace-early, --half-day and --absent (worked\n"
      "minutes below which the day is half or absent); --punch-mode first_last,\n"
      "direction or alternating.\n",
      NULL}, {"break", "grace-late", "grace-early", "half-day", "absent", "punch-mode"},
     3, 3, shift_type_add},
    {{"shift-types", "", "List the shift types.\n", NULL}, {0}, 0, 0, listing},
    {{"limit", "week_hours|day_hours|overtime_day|overtime_week|rest MINUTES",
      "Set a legal or company limit in minutes (0 removes it).\n", NULL}, {0}, 2, 2, limit},
    {{"holiday-add", "CALENDAR DATE NAME [--half 1] [--estimated 1] [--collective 1]",
      "Add a day to a holiday calendar (\"default\", or a location's code).\n", NULL},
     {"half", "estimated", "collective"}, 3, 3, holiday_add},
    {{"holidays", "CALENDAR --from D --to D", "The days of a holiday calendar.\n", NULL},
     {"from", "to"}, 1, 1, listing},
    {{"assign", "NUMBER DATE SHIFT LOCATION ROLE",
      "Put an employee on a shift (a draft); every rule is checked first.\n", NULL},
     {0}, 5, 5, assign},
    {{"check", "NUMBER DATE SHIFT LOCATION",
      "Which rule assigning the shift would break, without writing.\n", NULL}, {0}, 4, 4, check},
    {{"repeat", "NUMBER SHIFT LOCATION ROLE --from D --to D [--weekdays BITS] [--every N]",
      "Assign a pattern: weekdays as bits (1 Monday .. 64 Sunday; 31: Monday to Friday),\n"
      "every N weeks; all or nothing.\n", NULL},
     {"from", "to", "weekdays", "every"}, 4, 4, repeat},
    {{"publish", "LOCATION --from D --to D", "Publish a location's draft shifts.\n", NULL},
     {"from", "to"}, 1, 1, counted},
    {{"shifts", "[LOCATION] --from D --to D", "The roster.\n", NULL}, {"from", "to"}, 0, 1,
     listing},
    {{"punch", "NUMBER YYYY-MM-DDTHH:MM [in|out|any] --key K",
      "Record a punch (K: the idempotency key, required).\n", NULL}, {"key"}, 2, 3, punch},
    {{"attendance-run", "--from D --to D [--now YYYY-MM-DDTHH:MM]",
      "Work out attendance from the punches (nothing before a shift's window closes).\n", NULL},
     {"from", "to", "now"}, 0, 0, counted},
    {{"attendance", "[NUMBER] --from D --to D", "Attendance results.\n", NULL},
     {"from", "to"}, 0, 1, listing},
    {{"attendance-post", "--from D --to D",
      "Feed the results to payroll's hours (also needs payroll.write).\n", NULL},
     {"from", "to"}, 0, 0, counted},
    {{"leave-policy-add", "CODE yearly|monthly|anniversary DAYS [--cap DAYS] [--carry DAYS]",
      "Define a leave policy (days such as 12 or 1.5); --carry-months N: carried days\n"
      "not taken by then expire.\n", NULL},
     {"cap", "carry", "carry-months"}, 3, 3, leave_policy_add},
    {{"leave-entitle", "NUMBER POLICY FROM", "Entitle an employee to a policy from a date.\n",
      NULL}, {0}, 3, 3, leave_entitle},
    {{"leave-request", "NUMBER POLICY FROM TO [--half 1] [--key K]",
      "Request leave (a half day: FROM = TO).\n", NULL}, {"half", "key"}, 4, 4, leave_request},
    {{"leave-approve", "REQUEST", "Approve a pending request.\n", NULL}, {0}, 1, 1,
     leave_decide},
    {{"leave-reject", "REQUEST", "Reject a pending request.\n", NULL}, {0}, 1, 1, leave_decide},
    {{"leave-collective", "POLICY DATE [DAYS]",
      "Collective leave: deducted from everyone entitled to the policy.\n", NULL}, {0}, 2, 3,
     leave_collective},
    {{"leave-balance", "NUMBER POLICY DATE",
      "Days available at the end of DATE, and carried days expired in its year\n"
      "(hundredths of a day).\n", NULL}, {0}, 3, 3, leave_balance},
    {{"leave-requests", "[NUMBER]", "Leave requests.\n", NULL}, {0}, 0, 1, listing},
    {{"unavailable", "NUMBER FROM UNTIL [--key K]",
      "Record that an employee is not available (instants YYYY-MM-DDTHH:MM;\n"
      "K: an idempotency key).\n", NULL},
     {"key"}, 3, 3, unavailable},
    {{"unavailability", "[NUMBER] --from D --to D", "Unavailability.\n", NULL},
     {"from", "to"}, 0, 1, listing2},
    {{"headcount", "LOCATION ROLE HH:MM HH:MM MINIMUM [--weekdays BITS]",
      "Require a minimum of employees in a role every hour of the span (0 removes it).\n",
      NULL}, {"weekdays"}, 5, 5, headcount},
    {{"understaffed", "LOCATION --from D --to D",
      "The hours with fewer employees than the minimum.\n", NULL}, {"from", "to"}, 1, 1,
     listing2},
    {{"open-shift-add", "DATE SHIFT LOCATION ROLE [--key K]",
      "Offer an open shift (K: an idempotency key).\n", NULL}, {"key"}, 4, 4,
     open_shift_add},
    {{"open-shift-claim", "ID NUMBER",
      "An eligible employee claims an open shift (every rule is checked).\n", NULL}, {0}, 2, 2,
     by_id},
    {{"open-shifts", "[LOCATION] --from D --to D", "Open shifts.\n", NULL}, {"from", "to"}, 0,
     1, listing2},
    {{"swap-propose", "SHIFT NUMBER [--key K]",
      "Propose that a colleague takes a shift (K: an idempotency key).\n", NULL}, {"key"},
     2, 2, by_id},
    {{"swap-accept", "SWAP", "The colleague accepts.\n", NULL}, {0}, 1, 1, by_id},
    {{"swap-decline", "SWAP", "The colleague declines.\n", NULL}, {0}, 1, 1, by_id},
    {{"swap-approve", "SWAP", "A manager approves an accepted swap (rules checked).\n", NULL},
     {0}, 1, 1, by_id},
    {{"swap-refuse", "SWAP", "A manager refuses an accepted swap.\n", NULL}, {0}, 1, 1, by_id},
    {{"swaps", "--from D --to D", "Swaps of the shifts in a range.\n", NULL}, {"from", "to"}, 0,
     0, listing2},
    {{"holidays-import", "CALENDAR FILE.ics", "Import a holiday decree from iCalendar.\n",
      NULL}, {0}, 2, 2, ics},
    {{"holidays-export", "CALENDAR FILE.ics --from D --to D",
      "Write a holiday calendar as iCalendar.\n", NULL}, {"from", "to"}, 2, 2, ics},
    {{"roster-export", "NUMBER FILE.ics --from D --to D",
      "Write an employee's shifts as iCalendar.\n", NULL}, {"from", "to"}, 2, 2, ics},
    {{"stage-set", "CODE NAME POSITION", "Add or change a recruitment stage.\n", NULL}, {0}, 3,
     3, recruit},
    {{"stages", "", "The recruitment stages.\n", NULL}, {0}, 0, 0, listing2},
    {{"opening-add", "CODE TITLE LOCATION ROLE DATE", "Open a job opening.\n", NULL}, {0}, 5,
     5, recruit},
    {{"opening-close", "CODE", "Close a job opening.\n", NULL}, {0}, 1, 1, recruit},
    {{"openings", "", "Job openings.\n", NULL}, {0}, 0, 0, listing2},
    {{"applicant-add", "OPENING NAME EMAIL --consent TEXT --applied D [--phone P] [--key K]",
      "Record an application with the applicant's consent.\n", NULL},
     {"consent", "applied", "phone", "key"}, 3, 3, recruit},
    {{"applicants", "[OPENING]", "Applicants (needs people.admin).\n", NULL}, {0}, 0, 1,
     listing2},
    {{"applicant-move", "ID STAGE DATE", "Move an applicant to a stage.\n", NULL}, {0}, 3, 3,
     by_id},
    {{"applicant-reject", "ID DATE", "End an application: rejected.\n", NULL}, {0}, 2, 2,
     by_id},
    {{"applicant-withdraw", "ID DATE", "End an application: withdrawn.\n", NULL}, {0}, 2, 2,
     by_id},
    {{"applicant-hire", "ID NUMBER START",
      "Hire: payroll's employee is made in the same transaction.\n", NULL}, {0}, 3, 3, by_id},
    {{"applicant-export", "ID FILE.json", "Everything held about an applicant, as JSON.\n",
      NULL}, {0}, 2, 2, by_id},
    {{"applicant-erase", "ID", "Erase an applicant's data and documents now.\n", NULL}, {0}, 1,
     1, by_id},
    {{"applicant-retention", "DAYS", "Days an ended application's data is kept.\n", NULL},
     {0}, 1, 1, recruit},
    {{"applicant-purge", "DATE", "Erase the applicants whose retention ended before DATE.\n",
      NULL}, {0}, 1, 1, recruit},
    {{"review-cycle-add", "CODE NAME FROM TO", "Add a review cycle.\n", NULL}, {0}, 4, 4,
     recruit},
    {{"review-criterion-add", "CYCLE CODE NAME WEIGHT", "Add a weighted criterion.\n", NULL},
     {0}, 4, 4, recruit},
    {{"review-open", "CYCLE NUMBER", "Open an employee's review.\n", NULL}, {0}, 2, 2,
     recruit},
    {{"review-score", "REVIEW CRITERION self|manager SCORE [--note TEXT]",
      "Score a criterion in hundredths (100 .. 500).\n", NULL}, {"note"}, 4, 4, by_id},
    {{"review-result", "REVIEW self|manager", "The weighted score, in hundredths.\n", NULL},
     {0}, 2, 2, by_id},
    {{"review-scores", "REVIEW", "A review's scores by criterion.\n", NULL}, {0}, 1, 1, by_id},
};

const cli_domain cli_people_domain = {
    "people", NULL,
    "shift types, rosters and their rules, attendance, holidays, leave, recruitment, reviews",
    subs, sizeof subs / sizeof *subs, NULL, 0,
};
