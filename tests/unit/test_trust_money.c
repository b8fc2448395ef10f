/* Money never wraps (issue 12, items 2 and 3): pay figures up to the int64
 * limits are exact or BO_EOVERFLOW naming the employee and the component,
 * with nothing written; reports show INT64_MIN and sums past int64
 * exactly or fail with BO_EOVERFLOW naming the account, never clamped,
 * rounded through a float or "internal error". The property test compares
 * the pay calculation with an independent 128-bit model of the same pack.
 * Runs on every backend. */
#include "testutil.h"
#include "core/book.h"
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

/* Timesheet hours under a fresh idempotency key. */
static int hours(bo_book *b, const char *number, const char *date, const char *type,
                 int64_t minutes)
{
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = bo_test_key();
    return bo_payroll_hours_add(b, number, D(date), type, minutes, &o, NULL);
}

/* ---- payroll ---------------------------------------------------------------- */

static char *read_generic(size_t *len)
{
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/generic.yaml",
             (int)(slash ? slash - here : 1), slash ? here : ".");
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 16);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static bo_book *pay_book(const char *stem)
{
    bo_book *b = bo_test_book(stem);
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "2100", "Net pay payable", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2210", "Income tax payable", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2220", "Pension payable", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5200", "Employer contributions", BO_ACCOUNT_EXPENSE, NULL, NULL));
    size_t len;
    char *s = read_generic(&len);
    bo_assert_ok(bo_payroll_pack_load(b, s, len, "generic.yaml"));
    free(s);
    return b;
}

static int64_t january_run(bo_book *b, const char *key)
{
    int64_t id;
    bo_assert_ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = key, .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2024-01-01"),
            .period_end = D("2024-01-31"), .pay_date = D("2024-01-31") }, &id));
    return id;
}

static int register_rows(bo_book *b, int64_t run, int64_t *gross)
{
    bo_cursor *c;
    int n = 0;
    bo_assert_ok(bo_payroll_register(b, run, &c));
    while (bo_cursor_next(c) == 0) {
        n++;
        if (gross)
            *gross = bo_cursor_int(c, 3);
    }
    bo_cursor_free(c);
    return n;
}

static int state_of(bo_book *b, int64_t run)
{
    int st;
    bo_assert_ok(bo_payroll_run_state(b, run, &st));
    return st;
}

static int entries_count(bo_book *b)
{
    bo_cursor *c;
    int n = 0;
    bo_assert_ok(bo_ledger_journal(b, NULL, D("0001-01-01"), D("9999-12-31"), &c));
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

/* A message names the employee by internal id and the figure, never an
 * amount (protected data) . */
static void assert_pay_message(const char *what, const char *amount_text)
{
    const char *m = bo_error_message();
    ck_assert_msg(strstr(m, "employee #") != NULL, "no employee in: %s", m);
    ck_assert_msg(strstr(m, what) != NULL, "no '%s' in: %s", what, m);
    ck_assert_msg(strstr(m, amount_text) == NULL, "amount in: %s", m);
}

/* A salary of 100,000,000,000.00 gave a negative gross: the scaled salary
 * (x 10^6) wrapped. Now BO_EOVERFLOW naming the employee and base_salary,
 * and a recalculation that fails leaves the run's earlier figures. */
START_TEST(trust_pay_salary_overflow)
{
    bo_book *b = pay_book("trust_salary");
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ann", D("2023-01-01")));
    bo_assert_ok(bo_payroll_terms_set(b, "E1", D("2024-01-01"), "salary", 250000, BO_PAYROLL_MONTHLY));
    int64_t run = january_run(b, "jan"), gross = 0;
    bo_assert_ok(bo_payroll_run_calculate(b, run));
    ck_assert_int_eq(register_rows(b, run, &gross), 1);
    ck_assert_int_eq(gross, 250000);

    bo_assert_ok(bo_payroll_terms_set(b, "E1", D("2024-01-15"), "salary", 10000000000000LL,
                                  BO_PAYROLL_MONTHLY)); /* 100,000,000,000.00 */
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EOVERFLOW);
    assert_pay_message("base_salary", "10000000000000");
    /* nothing written: still calculated with the earlier figures */
    ck_assert_int_eq(state_of(b, run), BO_PAYROLL_CALCULATED);
    ck_assert_int_eq(register_rows(b, run, &gross), 1);
    ck_assert_int_eq(gross, 250000);
    /* the largest salary the 6-decimal figures hold still pays exactly:
     * 92,233,720,368.54 (generic pack: gross = salary) */
    bo_assert_ok(bo_payroll_terms_set(b, "E1", D("2024-01-20"), "salary", 9223372036854LL,
                                  BO_PAYROLL_MONTHLY));
    int64_t v;
    int rc = bo_payroll_run_calculate(b, run);
    /* its income tax (20 % of it) still fits; the pension too */
    bo_assert_ok(rc);
    ck_assert_int_eq(register_rows(b, run, &v), 1);
    ck_assert_int_eq(v, 9223372036854LL);
    bo_book_free(b);
}
END_TEST

/* An hourly rate of 184,467,440,737.10 x 8 h gave 0.04. */
START_TEST(trust_pay_hourly_overflow)
{
    bo_book *b = pay_book("trust_hourly");
    bo_assert_ok(bo_payroll_employee_add(b, "H1", "Hal", D("2023-01-01")));
    bo_assert_ok(bo_payroll_terms_set(b, "H1", D("2024-01-01"), "hourly", 18446744073710LL,
                                  BO_PAYROLL_MONTHLY));
    bo_assert_ok(hours(b, "H1", "2024-01-10", "regular", 8 * 60));
    int64_t run = january_run(b, "jan");
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EOVERFLOW);
    assert_pay_message("hourly_rate", "18446744073710");
    ck_assert_int_eq(state_of(b, run), BO_PAYROLL_DRAFT);
    ck_assert_int_eq(register_rows(b, run, NULL), 0);
    bo_assert_err(bo_payroll_run_approve(b, run), BO_ESTATE);
    /* a rate that fits, times hours that overflow the product: named at
     * the component's expression */
    bo_assert_ok(bo_payroll_terms_set(b, "H1", D("2024-01-02"), "hourly", 9000000000000LL,
                                  BO_PAYROLL_MONTHLY));
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EOVERFLOW);
    assert_pay_message("component 'salary'", "9000000000000");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "generic.yaml:"));
    ck_assert_int_eq(state_of(b, run), BO_PAYROLL_DRAFT);
    /* a plain rate pays exactly: 25.00 x 8 h */
    bo_assert_ok(bo_payroll_terms_set(b, "H1", D("2024-01-03"), "hourly", 2500, BO_PAYROLL_MONTHLY));
    int64_t gross;
    bo_assert_ok(bo_payroll_run_calculate(b, run));
    ck_assert_int_eq(register_rows(b, run, &gross), 1);
    ck_assert_int_eq(gross, 20000);
    bo_book_free(b);
}
END_TEST

/* 2,882,303,761,522,114.56 gave a 4,997.12 payslip that was approved and
 * posted. Now the run cannot be calculated, so it is never approved or
 * posted, and the ledger is untouched. */
START_TEST(trust_pay_huge_salary_posted)
{
    bo_book *b = pay_book("trust_huge");
    bo_assert_ok(bo_payroll_employee_add(b, "E9", "Max", D("2023-01-01")));
    bo_assert_ok(bo_payroll_terms_set(b, "E9", D("2024-01-01"), "salary", 288230376152211456LL,
                                  BO_PAYROLL_MONTHLY));
    int64_t run = january_run(b, "jan");
    int before = entries_count(b);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EOVERFLOW);
    assert_pay_message("base_salary", "288230376152211456");
    ck_assert_int_eq(state_of(b, run), BO_PAYROLL_DRAFT);
    ck_assert_int_eq(register_rows(b, run, NULL), 0);
    bo_assert_err(bo_payroll_run_approve(b, run), BO_ESTATE);
    bo_assert_err(bo_payroll_run_post(b, run, NULL), BO_ESTATE);
    ck_assert_int_eq(entries_count(b), before);
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "5100", D("9999-12-31"), NULL, &v));
    ck_assert_int_eq(v, 0);
    bo_assert_ok(bo_ledger_balance(b, "2100", D("9999-12-31"), NULL, &v));
    ck_assert_int_eq(v, 0);
    bo_book_free(b);
}
END_TEST

/* ---- the property test -------------------------------------------------------
 * A pack with every kind of component: earnings (a prorated salary, rate x
 * hours, overtime at 1.5), deductions (progressive brackets, a flat lookup
 * rate, a formula on a calc, a year-to-date catch-up), an employer
 * contribution, a calc formula (abs, /, min, major). The model below
 * evaluates it independently in 128 bits: every operation exact, rounded
 * half away from zero where the language rounds, and out of int64 ->
 * overflow. The library must give the same figure, or BO_EOVERFLOW exactly
 * when the model overflows. */
static const char PROP_PACK[] =
    "pack: prop\n"
    "currency: USD\n"
    "accounts:\n"
    "  net_pay: \"2100\"\n"
    "time:\n"
    "  regular_hours_per_day: 8\n"
    "tables:\n"
    "  tax:\n"
    "    type: brackets\n"
    "    rows: [[0, 0], [100000, 0.1], [1000000000, 0.25]]\n"
    "  band:\n"
    "    type: flat\n"
    "    rows: [[100000, 0.01], [100000000000, 0.02], [~, 0.03]]\n"
    "components:\n"
    "  - name: salary\n"
    "    kind: earning\n"
    "    account: \"5100\"\n"
    "    expr: round(base_salary * (21 - leave_days) / 21, 0)\n"
    "  - name: hourly\n"
    "    kind: earning\n"
    "    account: \"5100\"\n"
    "    expr: round(hourly_rate * hours.regular, 0)\n"
    "  - name: overtime\n"
    "    kind: earning\n"
    "    account: \"5100\"\n"
    "    expr: round(hourly_rate * hours.overtime * 1.5, 0)\n"
    "  - name: income_tax\n"
    "    kind: deduction\n"
    "    account: \"2210\"\n"
    "    expr: round(bracket(tax, gross), 0)\n"
    "  - name: levy\n"
    "    kind: deduction\n"
    "    account: \"2210\"\n"
    "    expr: round(gross * lookup(band, gross), 0)\n"
    "  - name: spread\n"
    "    kind: calc\n"
    "    expr: abs(salary - hourly) / 3 - min(overtime, major(5))\n"
    "  - name: adjust\n"
    "    kind: deduction\n"
    "    account: \"2220\"\n"
    "    expr: round(-spread * 0.5, 0)\n"
    "  - name: catchup\n"
    "    kind: deduction\n"
    "    account: \"2220\"\n"
    "    expr: round((ytd.salary + salary) / 12, 0)\n"
    "  - name: pension\n"
    "    kind: employer\n"
    "    account: \"2220\"\n"
    "    expense_account: \"5200\"\n"
    "    expr: round(gross * 0.05, 0)\n";

enum { C_SALARY, C_HOURLY, C_OVERTIME, C_TAX, C_LEVY, C_SPREAD, C_ADJUST, C_CATCHUP,
       C_PENSION, C_N };
static const char *const comp_names[C_N] = {
    "salary", "hourly", "overtime", "income_tax", "levy", "spread", "adjust", "catchup",
    "pension"
};
static const int comp_paid[C_N] = { 1, 1, 1, 1, 1, 0, 1, 1, 1 };

#define S ((i128)1000000)

/* The model's state: set once any operation leaves int64. */
typedef struct model {
    int over;
} model;

static int64_t m_fit(model *m, i128 v)
{
    if (v > INT64_MAX || v < INT64_MIN) {
        m->over = 1;
        return 0;
    }
    return (int64_t)v;
}

/* n / d rounded half away from zero, by long division on magnitudes. */
static i128 m_div(i128 n, i128 d)
{
    int neg = (n < 0) != (d < 0);
    i128 an = n < 0 ? -n : n, ad = d < 0 ? -d : d;
    i128 q = an / ad, r = an - q * ad;
    if (r + r >= ad)
        q++;
    return neg ? -q : q;
}

static int64_t m_mul(model *m, int64_t a, int64_t b) { return m_fit(m, m_div((i128)a * b, S)); }
static int64_t m_quot(model *m, int64_t a, int64_t b) { return m_fit(m, m_div((i128)a * S, b)); }
static int64_t m_add(model *m, int64_t a, int64_t b) { return m_fit(m, (i128)a + b); }
static int64_t m_sub(model *m, int64_t a, int64_t b) { return m_fit(m, (i128)a - b); }
static int64_t m_round0(model *m, int64_t x) { return m_fit(m, m_div(x, S) * S); }

static int64_t m_bracket(model *m, int64_t x)
{
    static const i128 bound[3] = { 0, 100000 * S, 1000000000 * S };
    static const i128 rate[3] = { 0, 100000, 250000 };
    i128 sum = 0;
    for (int k = 0; k < 3 && x > bound[k]; k++) {
        i128 top = k + 1 < 3 && x > bound[k + 1] ? bound[k + 1] : x;
        sum += m_div((top - bound[k]) * rate[k], S);
    }
    return m_fit(m, sum);
}

static int64_t m_lookup(int64_t x)
{
    return x <= 100000 * S ? 10000 : x <= (i128)100000000000 * S ? 20000 : 30000;
}

/* Inputs (scaled by 10^6 like the evaluator's) -> scaled values; returns
 * 0, or 1 when the model overflows. */
static int model_eval(const int64_t in[BO__IN_COUNT], int64_t ytd_salary, int64_t v[C_N],
                      int64_t *gross)
{
    model m = { 0 };
    int64_t base = in[BO__IN_BASE_SALARY], rate = in[BO__IN_HOURLY_RATE];
    v[C_SALARY] = m_round0(&m, m_quot(&m, m_mul(&m, base, m_sub(&m, 21 * S, in[BO__IN_LEAVE_DAYS])),
                                      21 * S));
    v[C_HOURLY] = m_round0(&m, m_mul(&m, rate, in[BO__IN_HOURS_REGULAR]));
    v[C_OVERTIME] = m_round0(&m, m_mul(&m, m_mul(&m, rate, in[BO__IN_HOURS_OVERTIME]),
                                       1500000));
    *gross = m_fit(&m, (i128)v[C_SALARY] + v[C_HOURLY] + v[C_OVERTIME]);
    v[C_TAX] = m_round0(&m, m_bracket(&m, *gross));
    v[C_LEVY] = m_round0(&m, m_mul(&m, *gross, m_lookup(*gross)));
    i128 diff = m_sub(&m, v[C_SALARY], v[C_HOURLY]);
    int64_t absd = m_fit(&m, diff < 0 ? -diff : diff);
    int64_t five = m_fit(&m, 5 * S * 100); /* major(5) in USD */
    int64_t ot = v[C_OVERTIME] < five ? v[C_OVERTIME] : five;
    v[C_SPREAD] = m_sub(&m, m_quot(&m, absd, 3 * S), ot);
    v[C_ADJUST] = m_round0(&m, m_mul(&m, m_fit(&m, -(i128)v[C_SPREAD]), 500000));
    v[C_CATCHUP] = m_round0(&m, m_quot(&m, m_add(&m, m_fit(&m, (i128)ytd_salary * S),
                                                 v[C_SALARY]), 12 * S));
    v[C_PENSION] = m_round0(&m, m_mul(&m, *gross, 50000));
    return m.over;
}

/* splitmix64 */
static uint64_t rnd(uint64_t *st)
{
    uint64_t z = (*st += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The limits, the edges of the 6-decimal range, and the figures of the
 * report (issue 12: 100,000,000,000.00; 2,882,303,761,522,114.56, which
 * wrapped to 4,997.12; 184,467,440,737.10 an hour). */
static const int64_t edges[] = {
    0, 1, 2, INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1, 9223372036854LL,
    9223372036855LL, 10000000000000LL, 288230376152211456LL, 18446744073710LL,
    4611686018427387904LL, 1000000, 999999
};
#define NEDGES ((int)(sizeof edges / sizeof edges[0]))

/* A value whose size is spread evenly over 0..63 bits, with the edges
 * often. */
static int64_t rnd_amount(uint64_t *st, int allow_negative)
{
    uint64_t r = rnd(st);
    int64_t v;
    if (r % 5 == 0) {
        v = edges[(r >> 8) % NEDGES];
    } else {
        int bits = (int)((r >> 8) % 64);
        uint64_t x = rnd(st);
        v = (int64_t)(bits == 0 ? 0 : x >> (64 - bits));
    }
    if (allow_negative && (rnd(st) & 1))
        v = v == INT64_MIN ? INT64_MAX : -v;
    if (!allow_negative && v < 0)
        v = v == INT64_MIN ? INT64_MAX : -v;
    return v;
}

static void compare_eval(const bo__pay_pack *p, const int64_t in[BO__IN_COUNT],
                         int64_t ytd_salary, int *over_count)
{
    bo__pay_input pin;
    memset(&pin, 0, sizeof pin);
    memcpy(pin.in, in, sizeof pin.in);
    int64_t ytd[C_N] = { 0 };
    ytd[C_SALARY] = ytd_salary;
    pin.ytd = ytd;
    int64_t got[C_N], gross, want[C_N], wgross;
    int over = model_eval(in, ytd_salary, want, &wgross);
    int rc = bo__pay_eval(p, &pin, got, &gross);
    if (over) {
        ck_assert_msg(rc == BO_EOVERFLOW, "inputs %" PRId64 " %" PRId64 " %" PRId64 " %"
                      PRId64 " %" PRId64 " ytd %" PRId64 ": expected overflow, rc %d",
                      in[0], in[1], in[2], in[3], in[6], ytd_salary, rc);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "prop.yaml:"));
        (*over_count)++;
        return;
    }
    ck_assert_msg(rc == 0, "rc %d: %s", rc, bo_error_message());
    ck_assert_int_eq(gross, wgross / S);
    for (int i = 0; i < C_N; i++)
        ck_assert_msg(got[i] == (comp_paid[i] ? want[i] / S : want[i]),
                      "%s: %" PRId64 " != model %" PRId64, comp_names[i], got[i], want[i]);
}

/* The payslip lines of run for number, by component. */
static void slip_lines(bo_book *b, int64_t run, const char *num, int64_t out[C_N])
{
    bo_cursor *c;
    for (int i = 0; i < C_N; i++)
        out[i] = INT64_MIN;
    bo_assert_ok(bo_payroll_payslip(b, run, num, &c));
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        for (int i = 0; i < C_N; i++)
            if (strcmp(bo_cursor_text(c, 1), comp_names[i]) == 0)
                out[i] = bo_cursor_int(c, 3);
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
}

START_TEST(trust_pay_overflow_property)
{
    uint64_t st = 0x5eed2024ULL;
    /* 1. The evaluator alone, every input over the whole int64 range
     * (INT64_MIN included), many times. */
    bo__pay_pack *p = NULL;
    int rc = bo__pay_pack_compile(PROP_PACK, strlen(PROP_PACK), "prop.yaml", &p);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    int over = 0, evals = 20000;
    for (int k = 0; k < evals; k++) {
        int64_t in[BO__IN_COUNT] = { 0 };
        for (int i = 0; i < BO__IN_COUNT; i++)
            in[i] = (rnd(&st) & 3) ? rnd_amount(&st, 1) : 0;
        if (k % 3 == 0) /* realistic hours and days too */
            for (int i = BO__IN_HOURS_REGULAR; i < BO__IN_COUNT; i++)
                in[i] = (int64_t)(rnd(&st) % 200) * 250000;
        compare_eval(p, in, (rnd(&st) & 1) ? rnd_amount(&st, 1) : 0, &over);
    }
    bo__pay_pack_free(p);
    /* both outcomes were exercised plenty */
    ck_assert_int_gt(over, evals / 10);
    ck_assert_int_lt(over, evals - evals / 10);

    /* 2. Whole pay runs through the store: the terms amount (minor units
     * up to INT64_MAX), time entries and unpaid leave, one employee per
     * run (a pay group each), calculated, then compared slip line by slip
     * line, or refused whole with nothing written. */
    bo_book *b = pay_book("trust_prop");
    bo_assert_ok(bo_payroll_pack_load(b, PROP_PACK, strlen(PROP_PACK), "prop.yaml"));
    /* every edge as a salary and as an hourly rate, then random ones */
    int runs = 2 * NEDGES + 20, refused = 0;
    for (int k = 0; k < runs; k++) {
        char num[32], group[32], key[32];
        snprintf(num, sizeof num, "P%02d", k);
        snprintf(group, sizeof group, "g%02d", k);
        snprintf(key, sizeof key, "run-%02d", k);
        int hourly = k < 2 * NEDGES ? k % 2 : (int)(rnd(&st) & 1);
        int64_t amount = k < 2 * NEDGES ? edges[k / 2] : rnd_amount(&st, 0);
        if (amount < 0)
            amount = INT64_MAX;
        bo_assert_ok(bo_payroll_employee_add(b, num, "Prop", D("2023-01-01")));
        bo_assert_ok(bo_payroll_employee_set(b, num, "pay_group", group));
        bo_assert_ok(bo_payroll_terms_set(b, num, D("2024-01-01"), hourly ? "hourly" : "salary",
                                      amount, BO_PAYROLL_MONTHLY));
        int64_t reg = 0, ot = 0, leave = 0;
        int ndays = (int)(rnd(&st) % 3);
        for (int d = 0; d < ndays; d++) {
            char date[32];
            snprintf(date, sizeof date, "2024-01-%02d", 2 + d);
            int64_t r = 1 + (int64_t)(rnd(&st) % 600), o = 1 + (int64_t)(rnd(&st) % 300);
            bo_assert_ok(hours(b, num, date, "regular", r));
            bo_assert_ok(hours(b, num, date, "overtime", o));
            reg += r;
            ot += o;
        }
        if (rnd(&st) & 1) {
            bo_assert_ok(bo_payroll_leave_add(b, num, D("2024-01-22"), D("2024-01-23"), "unpaid", NULL, NULL));
            leave = 2;
        }
        int64_t in[BO__IN_COUNT] = { 0 }, want[C_N], wgross, got[C_N];
        model m = { 0 };
        in[hourly ? BO__IN_HOURLY_RATE : BO__IN_BASE_SALARY] = m_fit(&m, (i128)amount * S);
        in[BO__IN_HOURS_REGULAR] = m_fit(&m, m_div((i128)reg * S, 60));
        in[BO__IN_HOURS_OVERTIME] = m_fit(&m, m_div((i128)ot * S, 60));
        in[BO__IN_DAYS_WORKED] = ndays * S;
        in[BO__IN_LEAVE_DAYS] = leave * S;
        int wover = m.over | model_eval(in, 0, want, &wgross);

        int64_t run;
        bo_assert_ok(bo_payroll_run_create(b, &(bo_payroll_run_options){
                .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = key, .pack = "prop",
                .pay_group = group, .schedule = BO_PAYROLL_MONTHLY,
                .period_start = D("2024-01-01"), .period_end = D("2024-01-31"),
                .pay_date = D("2024-01-31") }, &run));
        rc = bo_payroll_run_calculate(b, run);
        char amount_text[32];
        snprintf(amount_text, sizeof amount_text, "%" PRId64, amount);
        if (wover) {
            ck_assert_msg(rc == BO_EOVERFLOW, "%s amount %s: expected overflow, rc %d",
                          hourly ? "hourly" : "salary", amount_text, rc);
            ck_assert_ptr_nonnull(strstr(bo_error_message(), "employee #"));
            if (amount > 999999)
                ck_assert_ptr_null(strstr(bo_error_message(), amount_text));
            ck_assert_int_eq(state_of(b, run), BO_PAYROLL_DRAFT);
            ck_assert_int_eq(register_rows(b, run, NULL), 0);
            refused++;
            continue;
        }
        ck_assert_msg(rc == 0, "amount %s: %s", amount_text, bo_error_message());
        slip_lines(b, run, num, got);
        int64_t earn = 0, ded = 0, er = 0;
        for (int i = 0; i < C_N; i++) {
            if (!comp_paid[i]) {
                ck_assert_int_eq(got[i], INT64_MIN); /* a calc is never a line */
                continue;
            }
            ck_assert_msg(got[i] == want[i] / S, "amount %s: %s: %" PRId64 " != %" PRId64,
                          amount_text, comp_names[i], got[i], (int64_t)(want[i] / S));
            if (i <= C_OVERTIME)
                earn += got[i];
            else if (i == C_PENSION)
                er += got[i];
            else
                ded += got[i];
        }
        bo_cursor *c;
        bo_assert_ok(bo_payroll_register(b, run, &c));
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_int_eq(bo_cursor_int(c, 3), earn);
        ck_assert_int_eq(bo_cursor_int(c, 3), wgross / S);
        ck_assert_int_eq(bo_cursor_int(c, 4), ded);
        ck_assert_int_eq(bo_cursor_int(c, 5), earn - ded);
        ck_assert_int_eq(bo_cursor_int(c, 6), er);
        bo_cursor_free(c);
    }
    ck_assert_int_gt(refused, 0);
    ck_assert_int_lt(refused, runs);
    bo_book_free(b);
}
END_TEST

/* ---- reports ------------------------------------------------------------------ */

#define P62 ((int64_t)1 << 62)

static void post(bo_book *b, const char *date, int n, const char *const *acc,
                 const int64_t *amt)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D(date), "big"));
    for (int i = 0; i < n; i++)
        bo_assert_ok(bo_entry_add(e, acc[i], amt[i], "USD", NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
}

/* Trial balance rows into code/debit/credit arrays; returns the cursor's
 * final code (BO_ITEROVER or an error) and the row count in *n. */
static int trial(bo_book *b, const char *date, char codes[][8], int64_t *dr, int64_t *cr, int *n)
{
    bo_cursor *c;
    bo_assert_ok(bo_ledger_trial_balance(b, D(date), &c));
    int rc;
    *n = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        snprintf(codes[*n], 8, "%s", bo_cursor_text(c, 0));
        dr[*n] = bo_cursor_int(c, 4);
        cr[*n] = bo_cursor_int(c, 5);
        (*n)++;
    }
    bo_cursor_free(c);
    return rc;
}

/* Statement rows (code or name, amount) until the end or an error. */
static int statement(int (*fn)(bo_book *, bo_date, bo_date, bo_cursor **), bo_book *b,
                     const char *from, const char *to, char keys[][32], int64_t *amt, int *n)
{
    bo_cursor *c;
    bo_assert_ok(fn(b, D(from), D(to), &c));
    int rc;
    *n = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *k = bo_cursor_text(c, 1) ? bo_cursor_text(c, 1) : bo_cursor_text(c, 2);
        snprintf(keys[*n], 32, "%s", k);
        amt[*n] = bo_cursor_int(c, 5);
        (*n)++;
    }
    bo_cursor_free(c);
    return rc;
}

static int64_t find(char keys[][32], const int64_t *amt, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(keys[i], key) == 0)
            return amt[i];
    ck_abort_msg("no row %s", key);
    return 0;
}

/* An account at INT64_MIN (-92,233,720,368,547,758.08) showed a trial
 * balance credit of ...758.07 and the income statement clamped the same
 * way: SQL negation made the value a float. Now every figure that fits is
 * exact and the one that does not (a credit of 2^63) is BO_EOVERFLOW
 * naming the account. */
START_TEST(trust_report_int64_min)
{
    bo_book *b = bo_test_book("trust_min");
    bo_test_chart(b);
    /* 4010 at INT64_MIN, balanced by two debits of 2^62 */
    const char *a1[] = { "4010", "1000", "1100" };
    const int64_t v1[] = { INT64_MIN, P62, P62 };
    post(b, "2024-01-10", 3, a1, v1);

    char codes[16][8];
    int64_t dr[16], cr[16];
    int n;
    bo_assert_err(trial(b, "2024-01-10", codes, dr, cr, &n), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'4010'"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "trial balance"));
    ck_assert_int_eq(n, 2); /* 1000 and 1100 came before, exact */
    ck_assert_int_eq(dr[0], P62);
    ck_assert_int_eq(dr[1], P62);

    /* 4000's own +5 under the same parent: the roll-up 2^63 - 5 fits and
     * is exact (it was clamped to INT64_MAX); 4010 alone cannot be shown */
    const char *a2[] = { "4000", "1000" };
    const int64_t v2[] = { 5, -5 };
    post(b, "2024-01-11", 2, a2, v2);
    char keys[16][32];
    int64_t amt[16];
    bo_assert_err(statement(bo_ledger_income_statement, b, "2024-01-01", "2024-01-31",
                            keys, amt, &n), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'4010'"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "income statement"));
    ck_assert_int_eq(n, 1);
    ck_assert_str_eq(keys[0], "4000");
    ck_assert_int_eq(amt[0], INT64_MAX - 4);

    /* one more unit and everything fits: exact to the unit, debits equal
     * credits */
    const char *a3[] = { "4010", "2000" };
    const int64_t v3[] = { 1, -1 };
    post(b, "2024-01-12", 2, a3, v3);
    ck_assert_int_eq(trial(b, "2024-01-31", codes, dr, cr, &n), BO_ITEROVER);
    i128 debits = 0, credits = 0;
    for (int i = 0; i < n; i++) {
        debits += dr[i];
        credits += cr[i];
        if (strcmp(codes[i], "4010") == 0)
            ck_assert_int_eq(cr[i], INT64_MAX);
    }
    ck_assert_int_eq(n, 5);
    ck_assert_msg(debits == credits && debits == (i128)P62 * 2, "debits != credits");
    ck_assert_int_eq(statement(bo_ledger_income_statement, b, "2024-01-01", "2024-01-31",
                               keys, amt, &n), BO_ITEROVER);
    ck_assert_int_eq(find(keys, amt, n, "4000"), INT64_MAX - 5);
    ck_assert_int_eq(find(keys, amt, n, "4010"), INT64_MAX);
    ck_assert_int_eq(find(keys, amt, n, "net income"), INT64_MAX - 5);
    /* the balance sheet's current earnings the same */
    bo_cursor *c;
    bo_assert_ok(bo_ledger_balance_sheet(b, D("2024-01-31"), &c));
    int rc, seen = 0;
    while ((rc = bo_cursor_next(c)) == 0)
        if (!bo_cursor_text(c, 1)) {
            ck_assert_int_eq(bo_cursor_int(c, 5), INT64_MAX - 5);
            seen++;
        }
    ck_assert_int_eq(rc, BO_ITEROVER);
    ck_assert_int_eq(seen, 1);
    bo_cursor_free(c);
    /* the general ledger's running balance of 4010 passes through INT64_MIN */
    bo_assert_ok(bo_ledger_journal(b, "4010", D("2024-01-01"), D("2024-01-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 6), INT64_MIN);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 6), INT64_MIN + 1);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);

    /* an expense change of exactly INT64_MIN is shown exactly; the net
     * income it makes (2^63) is refused by name */
    const char *a4[] = { "5000", "1000", "3000" };
    const int64_t v4[] = { INT64_MIN, P62, P62 };
    post(b, "2024-02-10", 3, a4, v4);
    bo_assert_err(statement(bo_ledger_income_statement, b, "2024-02-01", "2024-02-29",
                            keys, amt, &n), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'net income'"));
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(find(keys, amt, n, "4000"), 0);
    ck_assert_int_eq(find(keys, amt, n, "5000"), INT64_MIN);
    bo_book_free(b);
}
END_TEST

/* Sums past int64 in a report were "internal error" (SQLite's SUM) or an
 * unnamed column (PostgreSQL): now BO_EOVERFLOW naming the account, and a
 * running balance whose partial sums leave int64 while every balance fits
 * is shown exactly on every backend. */
START_TEST(trust_report_overflow_code)
{
    bo_book *b = bo_test_book("trust_over");
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "1010", "Cash: till", BO_ACCOUNT_ASSET, "1000", NULL));
    /* 1000 + 1010 = 2^63: each fits, the roll-up does not */
    const char *a1[] = { "3000", "1000", "1010" };
    const int64_t v1[] = { INT64_MIN, P62, P62 };
    post(b, "2024-01-05", 3, a1, v1);
    bo_cursor *c;
    int rc;
    bo_assert_ok(bo_ledger_balance_sheet(b, D("2024-01-31"), &c));
    while ((rc = bo_cursor_next(c)) == 0)
        ;
    bo_assert_err(rc, BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "balance sheet: account '1000'"));
    bo_cursor_free(c);
    int64_t v;
    bo_assert_err(bo_ledger_balance(b, "1000", D("2024-01-31"), NULL, &v), BO_EOVERFLOW);

    /* an income account's change over a range past int64: -(2^62 + 1) at
     * first, then +2^62 and +(2^62 + 1) in the range: the change is a
     * debit of 2^63 + 1, shown as its negation, below INT64_MIN */
    const char *a2[] = { "4000", "1100" };
    const int64_t m62[] = { -P62 - 1, P62 + 1 }, p62[] = { P62, -P62 },
                  p62b[] = { P62 + 1, -P62 - 1 };
    post(b, "2024-02-01", 2, a2, m62);
    post(b, "2024-03-01", 2, a2, p62);
    post(b, "2024-03-02", 2, a2, p62b);
    char keys[16][32];
    int64_t amt[16];
    int n;
    bo_assert_err(statement(bo_ledger_income_statement, b, "2024-03-01", "2024-03-31",
                            keys, amt, &n), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "income statement: account '4000'"));
    ck_assert_ptr_null(strstr(bo_error_message(), "internal error"));

    /* the same account's general ledger for March: the range's postings
     * sum to 2^63 + 1, the running balances (-1, then 2^62) fit */
    bo_assert_ok(bo_ledger_journal(b, "4000", D("2024-03-01"), D("2024-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 6), -1);
    rc = bo_cursor_next(c);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, bo_error_message());
    ck_assert_int_eq(bo_cursor_int(c, 6), P62);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_book_free(b);
}
END_TEST

/* Under every report: integer arithmetic in SQL that leaves int64 is
 * BO_EOVERFLOW on both engines. SQLite's SUM() failed as "internal error"
 * and its + and unary minus gave a float that was read back clamped;
 * PostgreSQL's numeric sums were refused quoting the value. */
static const char SQL_EDGES[] = "SELECT 9223372036854775807, -9223372036854775807 - 1";
static const char SQL_PLUS[] = "SELECT 9223372036854775807 + 1";
static const char SQL_NEG[] = "SELECT -(-9223372036854775807 - 1)";
static const char SQL_SUM[] =
    "SELECT SUM(t.x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1) t";

START_TEST(trust_store_sql_overflow)
{
    bo_book *b = bo_test_book("trust_sql");
    bo__stmt *s;
    bo_assert_ok(bo__stmt_new(b->store, SQL_EDGES, &s));
    ck_assert_int_eq(bo__stmt_step(s), BO_DRIVER_ROW);
    ck_assert_int_eq(bo__stmt_col_int(s, 0), INT64_MAX);
    ck_assert_int_eq(bo__stmt_col_int(s, 1), INT64_MIN);
    bo__stmt_done(s);
    const char *const bad[] = { SQL_PLUS, SQL_NEG, SQL_SUM };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo__stmt_new(b->store, bad[i], &s));
        bo_assert_err(bo__stmt_step(s), BO_EOVERFLOW);
        ck_assert_ptr_null(strstr(bo_error_message(), "922337203685477580"));
        bo__stmt_done(s);
    }
    bo_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trust_money");
    TCase *tc = tcase_create("pay");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, trust_pay_salary_overflow);
    tcase_add_test(tc, trust_pay_hourly_overflow);
    tcase_add_test(tc, trust_pay_huge_salary_posted);
    tcase_add_test(tc, trust_pay_overflow_property);
    suite_add_tcase(s, tc);
    tc = tcase_create("reports");
    tcase_add_test(tc, trust_report_int64_min);
    tcase_add_test(tc, trust_report_overflow_code);
    tcase_add_test(tc, trust_store_sql_overflow);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
