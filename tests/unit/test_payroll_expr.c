/* The payroll rule language and pack compiler, without storage: rounding,
 * operators, tables, registered functions, and bad packs refused with
 * specific errors at the YAML line:column. */
#include "testutil.h"
#include "payroll/payroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEAD "pack: t\ncurrency: USD\naccounts:\n  net_pay: \"2100\"\n"

static bo__pay_pack *compile_ok(const char *yaml)
{
    bo__pay_pack *p = NULL;
    int rc = bo__pay_pack_compile(yaml, strlen(yaml), "t.yaml", &p);
    ck_assert_msg(rc == 0, "compile: %s", bo_error_message());
    return p;
}

/* Evaluate a one-component pack "x: expr" with base_salary = base (minor). */
static int eval1(const char *expr, int64_t base, int64_t *out)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, HEAD
             "tables:\n  br:\n    type: brackets\n    rows: [[0, 0], [100, 0.1], [300, 0.2]]\n"
             "  fl:\n    type: flat\n    rows: [[100, 0.01], [200, 0.02], [~, 0.03]]\n"
             "  mp:\n    type: map\n    rows: {\"K/0\": 1, \"K/1\": 2}\n"
             "components:\n  - name: x\n    kind: earning\n    account: \"5\"\n    expr: \"%s\"\n", expr);
    bo__pay_pack *p = NULL;
    int rc = bo__pay_pack_compile(yaml, strlen(yaml), "t.yaml", &p);
    if (rc)
        return rc;
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    in.in[BO__IN_BASE_SALARY] = base * BO_PAYROLL_SCALE;
    in.attr[BO__ATTR_TAX_STATUS] = "K/1";
    int64_t v[2], g;
    rc = bo__pay_eval(p, &in, v, &g);
    if (!rc)
        *out = v[0];
    bo__pay_pack_free(p);
    return rc;
}

static int64_t ev(const char *expr, int64_t base)
{
    int64_t v = 0;
    int rc = eval1(expr, base, &v);
    ck_assert_msg(rc == 0, "%s: %s", expr, bo_error_message());
    return v;
}

START_TEST(test_arithmetic_and_rounding)
{
    ck_assert_int_eq(ev("1 + 2 * 3", 0), 7);
    ck_assert_int_eq(ev("(1 + 2) * 3", 0), 9);
    ck_assert_int_eq(ev("-5 + 2", 0), -3);
    ck_assert_int_eq(ev("base_salary * 0.1", 1005), 101);      /* 100.5 half away */
    ck_assert_int_eq(ev("base_salary * -0.1", 1005), -101);
    ck_assert_int_eq(ev("floor(base_salary * 0.1)", 1009), 100);
    ck_assert_int_eq(ev("ceil(base_salary * 0.1)", 1001), 101);
    ck_assert_int_eq(ev("round(base_salary, -2)", 12350), 12400);
    ck_assert_int_eq(ev("round(base_salary, -2)", 12349), 12300);
    ck_assert_int_eq(ev("floor(-1.5)", 0), -2);
    ck_assert_int_eq(ev("ceil(-1.5)", 0), -1);
    ck_assert_int_eq(ev("round(-2.5)", 0), -3);
    ck_assert_int_eq(ev("10 / 4 * 4", 0), 10);
    ck_assert_int_eq(ev("1 / 3 * 3000000", 0), 999999);       /* 0.333333 */
    ck_assert_int_eq(ev("min(5, 3, 9)", 0), 3);
    ck_assert_int_eq(ev("max(5, 3, 9)", 0), 9);
    ck_assert_int_eq(ev("clamp(base_salary, 10, 20)", 50), 20);
    ck_assert_int_eq(ev("clamp(base_salary, 10, 20)", 5), 10);
    ck_assert_int_eq(ev("abs(-7)", 0), 7);
    ck_assert_int_eq(ev("major(12)", 0), 1200);               /* USD: 2 digits */
}
END_TEST

START_TEST(test_logic_and_text)
{
    ck_assert_int_eq(ev("if(base_salary > 10, 1, 2)", 11), 1);
    ck_assert_int_eq(ev("if(base_salary > 10 and base_salary < 20, 1, 2)", 25), 2);
    ck_assert_int_eq(ev("if(not (base_salary == 3) or 0, 4, 5)", 3), 5);
    ck_assert_int_eq(ev("if(employee.tax_status == 'K/1', 7, 8)", 0), 7);
    ck_assert_int_eq(ev("if(employee.tax_status != 'K/1', 7, 8)", 0), 8);
    /* if() is lazy: the branch not taken may divide by zero. */
    ck_assert_int_eq(ev("if(1, 2, 1 / 0)", 0), 2);
    int64_t v;
    bo_assert_err(eval1("employee.tax_status + 1", 0, &v), BO_EEVAL);
    bo_assert_err(eval1("employee.tax_status == 1", 0, &v), BO_EEVAL);
}
END_TEST


/* A name directly before 'and' or 'or' (it used to be refused as
 * "unexpected text after the expression"). */
START_TEST(test_name_before_and_or)
{
    ck_assert_int_eq(ev("if(base_salary and 1, 4, 5)", 3), 4);
    ck_assert_int_eq(ev("if(base_salary or 0, 4, 5)", 0), 5);
    ck_assert_int_eq(ev("if(hours.regular or base_salary, 4, 5)", 2), 4);
}
END_TEST

/* grossup(): the allowance t with t = floor((base + t) x rate, places)
 * from a flat table, exact (PMK 168/2023 Lampiran B, example 7: base
 * 51,827,997 at TER A 21 % gives 13,777,062). */
START_TEST(test_grossup)
{
    ck_assert_int_eq(ev("grossup(fl, base_salary, 0)", 50), 0); /* 50 x 1 % = 0.5 */
    /* 99: both 0 (99 x 1 % = 0.99) and 1 (100 x 1 % = 1) reproduce
     * themselves; the smallest is taken */
    ck_assert_int_eq(ev("grossup(fl, base_salary, 0)", 99), 0);
    /* 150 at 2 %: t = 3: 153 x 2 % = 3.06 */
    ck_assert_int_eq(ev("grossup(fl, base_salary, 0)", 150), 3);
    /* 198 + t crosses 200 into 3 %: t = 6 (204 x 3 % = 6.12) */
    ck_assert_int_eq(ev("grossup(fl, base_salary, 0)", 198), 6);
    int64_t v;
    bo_assert_err(eval1("grossup(br, base_salary, 0)", 1, &v), BO_ECONFIG);
    bo_assert_err(eval1("grossup(fl, base_salary, 0.5)", 1, &v), BO_EEVAL);
    /* inputs and the period: names the compiler knows */
    ck_assert_int_eq(ev("input.bonus + period.month + months_worked + previous.tax", 0), 0);
    bo_assert_err(eval1("input.Bad", 0, &v), BO_ECONFIG);
}
END_TEST

static void bad(const char *yaml, int code, const char *where, const char *what);

/* A pack with fixpoint: t, t's expression given; the value of x (which
 * reads the input fixpoint) into *out. */
static int eval_fix(const char *texpr, int64_t *out)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, HEAD
             "components:\n  - {name: x, kind: earning, account: \"5\", expr: fixpoint}\n"
             "  - {name: t, kind: calc, expr: \"%s\"}\nfixpoint: t\n", texpr);
    bo__pay_pack *p = NULL;
    int rc = bo__pay_pack_compile(yaml, strlen(yaml), "t.yaml", &p);
    if (rc)
        return rc;
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    int64_t v[2], g;
    rc = bo__pay_eval(p, &in, v, &g);
    if (!rc)
        *out = v[0];
    bo__pay_pack_free(p);
    return rc;
}

/* The pack's fixed point: the least v >= 0 with v = t(v), by iteration
 * from 0; a target that never settles or decreases is refused naming it;
 * an unknown component in the key is refused at its position. */
START_TEST(test_fixpoint)
{
    int64_t v = -1;
    /* v = floor(v / 2) + 10: 0, 10, 15, 17, 18, 19, 19 */
    bo_assert_ok(eval_fix("floor(fixpoint * 0.5, 0) + 10", &v));
    ck_assert_int_eq(v, 19);
    /* a tax of 20 % on 100 + v, floored to whole units: 0, 20, 24, 24
     * (124 x 20 % = 24.8) */
    bo_assert_ok(eval_fix("floor((100 + fixpoint) * 0.2, 0)", &v));
    ck_assert_int_eq(v, 24);
    bo_assert_ok(eval_fix("0", &v)); /* one evaluation */
    ck_assert_int_eq(v, 0);
    bo_assert_ok(eval_fix("-5", &v)); /* below 0 is 0 */
    ck_assert_int_eq(v, 0);
    bo_assert_err(eval_fix("fixpoint + 1", &v), BO_EEVAL);
    ck_assert_msg(strstr(bo_error_message(), "component 't' found no fixed point in 64 rounds"),
                  "%s", bo_error_message());
    bo_assert_err(eval_fix("100 - fixpoint", &v), BO_EEVAL);
    ck_assert_msg(strstr(bo_error_message(), "component 't' decreases"), "%s",
                  bo_error_message());
    bad(HEAD "components:\n  - {name: x, kind: earning, account: \"5\", expr: fixpoint}\n"
        "fixpoint: nope\n", BO_ECONFIG, "t.yaml:7:11", "fixpoint: unknown component 'nope'");
}
END_TEST

START_TEST(test_tables)
{
    /* brackets: 10 % of 100..300, 20 % above */
    ck_assert_int_eq(ev("bracket(br, base_salary)", 50), 0);
    ck_assert_int_eq(ev("bracket(br, base_salary)", 200), 10);
    ck_assert_int_eq(ev("bracket(br, base_salary)", 400), 40);
    /* flat: the first row whose upper bound is not exceeded */
    ck_assert_int_eq(ev("base_salary * lookup(fl, base_salary)", 100), 1);
    ck_assert_int_eq(ev("base_salary * lookup(fl, base_salary)", 101), 2);
    ck_assert_int_eq(ev("base_salary * lookup(fl, base_salary)", 10000), 300);
    ck_assert_int_eq(ev("lookup(mp, employee.tax_status)", 0), 2);
    int64_t v;
    bo_assert_err(eval1("lookup(mp, 'K/3')", 0, &v), BO_EEVAL);
    ck_assert_ptr_null(strstr(bo_error_message(), "K/3")); /* keys are not quoted */
}
END_TEST

static int triple(const int64_t *args, int nargs, int64_t *out, void *user)
{
    (void)user;
    ck_assert_int_eq(nargs, 1);
    *out = args[0] * 3;
    return 0;
}

static int failing(const int64_t *args, int nargs, int64_t *out, void *user)
{
    (void)args;
    (void)nargs;
    (void)out;
    (void)user;
    return BO_EINVAL;
}

static int freed;
static void free_user(void *u)
{
    (void)u;
    freed++;
}

START_TEST(test_registered_functions)
{
    static int tag;
    bo_assert_ok(bo_payroll_function_register("triple", 1, triple, &tag, free_user));
    ck_assert_int_eq(ev("triple(base_salary) + 1", 5), 16);
    int64_t v;
    /* wrong arity is refused at compile time */
    bo_assert_err(eval1("triple(1, 2)", 0, &v), BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "t.yaml:"));
    bo_assert_err(bo_payroll_function_register("round", 1, triple, NULL, NULL), BO_EEXISTS);
    bo_assert_err(bo_payroll_function_register("Bad-Name", 1, triple, NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_payroll_function_register("x", 9, triple, NULL, NULL), BO_EINVAL);
    bo_assert_ok(bo__pay_function_register("fails", 0, failing));
    bo_assert_err(eval1("fails()", 0, &v), BO_EEVAL);
    /* replacing frees the earlier user pointer */
    bo_assert_ok(bo_payroll_function_register("triple", 1, triple, NULL, NULL));
    ck_assert_int_eq(freed, 1);
}
END_TEST

/* Compile yaml, expect code and "t.yaml:LINE:COL" plus a fragment. */
static void bad(const char *yaml, int code, const char *where, const char *what)
{
    bo__pay_pack *p = (bo__pay_pack *)1;
    int rc = bo__pay_pack_compile(yaml, strlen(yaml), "t.yaml", &p);
    bo_assert_err(rc, code);
    ck_assert_ptr_null(p);
    const char *m = bo_error_message();
    ck_assert_msg(strstr(m, where) != NULL, "expected %s in: %s", where, m);
    ck_assert_msg(strstr(m, what) != NULL, "expected %s in: %s", what, m);
    bo_assert_err(bo_payroll_pack_check(yaml, strlen(yaml), "t.yaml"), code);
}

START_TEST(test_bad_packs)
{
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: b + 1\n"
        "  - name: b\n    kind: calc\n    expr: a * 2\n",
        BO_ECONFIG, "t.yaml:", "cycle: a -> b -> a");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: earning\n    account: \"5\"\n    expr: gross\n",
        BO_ECONFIG, "t.yaml:9:11", "cycle");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: 1 + salry\n",
        BO_ECONFIG, "t.yaml:8:15", "unknown name 'salry'");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: ytd.nothing\n",
        BO_ECONFIG, "t.yaml:8:11", "unknown component 'nothing'");
    bad(HEAD "tables:\n  t1:\n    type: brackets\n    rows:\n"
        "      - [0, 0.1]\n      - [500, 0.2]\n      - [400, 0.3]\n"
        "components:\n  - name: a\n    kind: calc\n    expr: bracket(t1, 1)\n",
        BO_ECONFIG, "t.yaml:11:10", "out of order");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: 'nosuch(1)'\n",
        BO_ECONFIG, "t.yaml:8:12", "unknown function");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: 1 +\n",
        BO_ECONFIG, "t.yaml:8", "unexpected end");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: bonus\n    expr: 1\n",
        BO_ECONFIG, "t.yaml:7:11", "kind");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: earning\n    expr: 1\n",
        BO_ECONFIG, "t.yaml:6:5", "missing key 'account'");
    bad(HEAD "components:\n"
        "  - name: a\n    kind: calc\n    expr: 1.1234567\n",
        BO_ECONFIG, "t.yaml:8:11", "6 decimal places");
    bad(HEAD "colour: red\ncomponents: []\n", BO_ECONFIG, "t.yaml:5:1",
        "unknown key 'colour'");
}
END_TEST

START_TEST(test_division_by_zero)
{
    const char *yaml = HEAD "components:\n"
        "  - name: rate\n    kind: calc\n    expr: 0\n"
        "  - name: share\n    kind: calc\n    expr: base_salary / rate\n";
    bo__pay_pack *p = compile_ok(yaml);
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    int64_t v[2], g;
    bo_assert_err(bo__pay_eval(p, &in, v, &g), BO_EEVAL);
    const char *m = bo_error_message();
    ck_assert_msg(strstr(m, "t.yaml:11:23") && strstr(m, "component 'share'") &&
                  strstr(m, "division by zero"), "%s", m);
    bo__pay_pack_free(p);
}
END_TEST

START_TEST(test_overflow)
{
    int64_t v;
    bo_assert_err(eval1("9000000000000 * 9000000000000", 0, &v), BO_EOVERFLOW);
    bo_assert_err(eval1("99999999999999999999", 0, &v), BO_ECONFIG);
}
END_TEST

static char *read_pack(const char *name, size_t *len)
{
    char path[1024];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

START_TEST(test_shipped_packs_compile)
{
    size_t len;
    char *s = read_pack("generic.yaml", &len);
    bo_assert_ok(bo_payroll_pack_check(s, len, "generic.yaml"));
    free(s);
    s = read_pack("id-2024.yaml", &len);
    bo_assert_ok(bo_payroll_pack_check(s, len, "id-2024.yaml"));
    free(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payroll_expr");
    TCase *tc = tcase_create("expr");
    tcase_add_test(tc, test_arithmetic_and_rounding);
    tcase_add_test(tc, test_fixpoint);
    tcase_add_test(tc, test_logic_and_text);
    tcase_add_test(tc, test_name_before_and_or);
    tcase_add_test(tc, test_grossup);
    tcase_add_test(tc, test_tables);
    tcase_add_test(tc, test_registered_functions);
    tcase_add_test(tc, test_bad_packs);
    tcase_add_test(tc, test_division_by_zero);
    tcase_add_test(tc, test_overflow);
    tcase_add_test(tc, test_shipped_packs_compile);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
