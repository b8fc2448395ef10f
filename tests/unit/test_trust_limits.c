/* Issue 12, item 1: every reader of outside input we own has a depth and
 * size limit, refuses input beyond it with BO_ELIMIT naming the position,
 * changes nothing when it does, and stays within a 1 MiB thread stack at
 * the deepest input it accepts. Readers: the rule-pack expression language
 * (parser and evaluator), the YAML tree (and the walkers over it), the
 * camt.053 reader and the CSV statement reader. */
#include "testutil.h"
#include "payroll/payroll.h"
#include "billing/bank.h"
#include "core/config_tree.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- helpers --------------------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* s repeated n times, then mid, then end repeated n times (malloc'd). */
static char *repeat3(const char *s, size_t n, const char *mid, const char *end)
{
    size_t ls = strlen(s), lm = strlen(mid), le = strlen(end);
    char *out = malloc(n * (ls + le) + lm + 1), *p = out;
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < n; i++, p += ls)
        memcpy(p, s, ls);
    memcpy(p, mid, lm);
    p += lm;
    for (size_t i = 0; i < n; i++, p += le)
        memcpy(p, end, le);
    *p = '\0';
    return out;
}

/* The message holds want (printf-formatted). */
static void assert_msg_has(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void assert_msg_has(const char *fmt, ...)
{
    char want[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);
    ck_assert_msg(strstr(bo_error_message(), want) != NULL,
                  "message \"%.300s\" lacks \"%s\"", bo_error_message(), want);
}

/* A one-component pack whose expression (line 9, in double quotes from
 * column 11) is expr: the character at offset k of expr is column 12 + k. */
#define HEAD "pack: t\ncurrency: USD\naccounts:\n  net_pay: \"2100\"\n"
#define COMP(name) "  - name: " name "\n    kind: earning\n    account: \"5\"\n    expr: \""
#define EXPR_LINE 9
#define EXPR_COL0 12

static char *pack_of(const char *expr)
{
    size_t n = strlen(expr);
    char *yaml = malloc(n + 256);
    ck_assert_ptr_nonnull(yaml);
    snprintf(yaml, n + 256, HEAD "components:\n" COMP("x") "%s\"\n", expr);
    return yaml;
}

/* Compile and evaluate a pack's first component (base_salary = 10). */
static int compile_eval(const char *yaml, int64_t *out)
{
    bo__pay_pack *p = NULL;
    int rc = bo__pay_pack_compile(yaml, strlen(yaml), "t.yaml", &p);
    if (rc)
        return rc;
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    in.in[BO__IN_BASE_SALARY] = 10 * BO_PAYROLL_SCALE;
    int64_t *v = calloc((size_t)p->ncomps + 1, sizeof *v), g;
    rc = bo__pay_eval(p, &in, v, &g);
    if (!rc)
        *out = v[0];
    free(v);
    bo__pay_pack_free(p);
    return rc;
}

/* Nesting shapes: a level is `open`, its nesting token at `at` in it;
 * the innermost value is `mid`, each level is closed by `close`; value is
 * the result at an even number of levels. */
typedef struct shape {
    const char *name, *open, *mid, *close;
    size_t at;
    int64_t value;
} shape;

static int trust_id(const int64_t *args, int nargs, int64_t *out, void *user)
{
    (void)nargs;
    (void)user;
    *out = args[0];
    return 0;
}

static const shape shapes[] = {
    { "parentheses", "(", "1", ")", 0, 1 },
    { "abs", "abs(", "0 - 1", ")", 0, 1 },
    { "unary minus", "-", "1", "", 0, 1 },
    { "not", "not ", "1", "", 0, 1 },
    { "if", "if(1, ", "1", ", 0)", 0, 1 },
    { "registered function", "trust_id(", "1", ")", 0, 1 },
    /* every precedence level once per level of nesting: the longest
     * recursion of the evaluator (or, and, a comparison, +, *, a call) */
    { "all levels", "0 or 1 and 1 < 1 + 1 * abs(", "1", ")", 23, 1 },
    { "all levels, ==", "0 or 1 and 1 == 1 + 0 * trust_id(", "1", ")", 24, 1 },
};
#define NSHAPES (sizeof shapes / sizeof shapes[0])

static void register_trust_id(void)
{
    bo_assert_ok(bo_payroll_function_register("trust_id", 1, trust_id, NULL, NULL));
}

/* ---- the expression language ------------------------------------------------- */

START_TEST(trust_expr_depth_limit)
{
    register_trust_id();
    for (size_t s = 0; s < NSHAPES; s++) {
        const shape *sh = &shapes[s];
        int64_t v = 0;
        /* The deepest accepted. */
        char *expr = repeat3(sh->open, BO_PAYROLL_EXPR_DEPTH_MAX, sh->mid, sh->close);
        char *yaml = pack_of(expr);
        int rc = compile_eval(yaml, &v);
        ck_assert_msg(rc == 0, "%s at %d levels: %s", sh->name, BO_PAYROLL_EXPR_DEPTH_MAX,
                      bo_error_message());
        ck_assert_int_eq(v, sh->value);
        free(expr);
        free(yaml);

        /* One level more: BO_ELIMIT at the token opening level 65, through
         * the public check as well. */
        expr = repeat3(sh->open, BO_PAYROLL_EXPR_DEPTH_MAX + 1, sh->mid, sh->close);
        yaml = pack_of(expr);
        size_t col = EXPR_COL0 + BO_PAYROLL_EXPR_DEPTH_MAX * strlen(sh->open) + sh->at;
        bo_assert_err(compile_eval(yaml, &v), BO_ELIMIT);
        assert_msg_has("t.yaml:%d:%zu: component 'x': the expression nests deeper "
                       "than %d levels", EXPR_LINE, col, BO_PAYROLL_EXPR_DEPTH_MAX);
        bo_assert_err(bo_payroll_pack_check(yaml, strlen(yaml), "t.yaml"), BO_ELIMIT);
        assert_msg_has("t.yaml:%d:%zu: ", EXPR_LINE, col);
        free(expr);
        free(yaml);

        /* As deep as the length limit allows: the same error, same place. */
        size_t per = strlen(sh->open) + strlen(sh->close);
        size_t levels = (BO_PAYROLL_EXPR_MAX - strlen(sh->mid)) / per;
        expr = repeat3(sh->open, levels, sh->mid, sh->close);
        ck_assert_uint_le(strlen(expr), BO_PAYROLL_EXPR_MAX);
        yaml = pack_of(expr);
        bo_assert_err(compile_eval(yaml, &v), BO_ELIMIT);
        assert_msg_has("t.yaml:%d:%zu: component 'x': the expression nests deeper",
                       EXPR_LINE, col);
        free(expr);
        free(yaml);

        /* 100,000 levels (the reported crash was at 9,000): refused, in
         * milliseconds, before any parsing. */
        expr = repeat3(sh->open, 100000, sh->mid, sh->close);
        yaml = pack_of(expr);
        double t0 = now_ms();
        bo_assert_err(bo_payroll_pack_check(yaml, strlen(yaml), "t.yaml"), BO_ELIMIT);
        double ms = now_ms() - t0;
        if (strlen(yaml) > BO_PAYROLL_PACK_MAX)
            assert_msg_has("t.yaml:1:1: the rule pack is %zu bytes, more than the "
                           "limit of %d", strlen(yaml), BO_PAYROLL_PACK_MAX);
        else
            assert_msg_has("t.yaml:%d:%d: component 'x': the expression is %zu "
                           "bytes, more than the limit of %d", EXPR_LINE, EXPR_COL0,
                           strlen(expr), BO_PAYROLL_EXPR_MAX);
        printf("100,000 levels of %s refused in %.2f ms\n", sh->name, ms);
        free(expr);
        free(yaml);
    }
}
END_TEST

/* A chain "t op t op t ..." of exactly len bytes or less. */
static char *chain(const char *term, const char *op, size_t len)
{
    size_t lt = strlen(term), lo = strlen(op);
    size_t n = (len - lt) / (lt + lo) + 1;
    char *out = malloc(n * (lt + lo) + 1), *p = out;
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(p, op, lo);
            p += lo;
        }
        memcpy(p, term, lt);
        p += lt;
    }
    *p = '\0';
    return out;
}

START_TEST(trust_expr_term_limit)
{
    int64_t v = 0;
    /* 200,000 terms: refused by the length limit at the expression. */
    char *expr = chain("1", " + ", 200000 * 4 - 3);
    char *yaml = pack_of(expr);
    double t0 = now_ms();
    bo_assert_err(bo_payroll_pack_check(yaml, strlen(yaml), "t.yaml"), BO_ELIMIT);
    printf("a 200,000-term sum refused in %.2f ms\n", now_ms() - t0);
    assert_msg_has("t.yaml:%d:%d: component 'x': the expression is %zu bytes",
                   EXPR_LINE, EXPR_COL0, strlen(expr));
    free(expr);
    free(yaml);

    /* The longest sums accepted evaluate (a chain is a loop, not a
     * recursion as deep as the sum is long). */
    static const struct { const char *term, *op; int64_t per; } chains[] = {
        { "1", "+", 1 }, { "1", "-", -1 }, { "1", "*", 0 }, { "1", "/", 0 },
        { "1", " and ", 0 }, { "0", " or ", 0 },
    };
    for (size_t k = 0; k < sizeof chains / sizeof chains[0]; k++) {
        expr = chain(chains[k].term, chains[k].op, BO_PAYROLL_EXPR_MAX);
        size_t terms = (strlen(expr) + strlen(chains[k].op)) /
                       (strlen(chains[k].term) + strlen(chains[k].op));
        yaml = pack_of(expr);
        bo_assert_ok(compile_eval(yaml, &v));
        int64_t want = chains[k].per == 1 ? (int64_t)terms
                     : chains[k].per == -1 ? 2 - (int64_t)terms : chains[k].term[0] == '1';
        ck_assert_msg(v == want, "%s chain of %zu terms: %lld, expected %lld",
                      chains[k].op, terms, (long long)v, (long long)want);
        free(expr);
        free(yaml);
    }

    /* The pack's nodes: seven sums of 16,383 nodes each; the 100,001st
     * node is the '+' at offset 1,701 of the seventh (the first six hold
     * 98,298; in "1+1+...", node 2k of an expression is the '+' at offset
     * 2k - 1). */
    expr = chain("1", "+", BO_PAYROLL_EXPR_MAX - 1);
    ck_assert_uint_eq(strlen(expr), 16383);
    size_t n = strlen(expr), size = 7 * (n + 100) + 200;
    yaml = malloc(size);
    size_t len = (size_t)snprintf(yaml, size, HEAD "components:\n");
    for (int c = 0; c < 7; c++)
        len += (size_t)snprintf(yaml + len, size - len, "  - name: c%d\n    kind: "
                                "earning\n    account: \"5\"\n    expr: \"%s\"\n", c, expr);
    bo_assert_err(bo_payroll_pack_check(yaml, len, "t.yaml"), BO_ELIMIT);
    assert_msg_has("t.yaml:%d:%d: component 'c6': the pack's expressions hold more "
                   "than %d nodes", EXPR_LINE + 6 * 4, EXPR_COL0 + 1701,
                   BO_PAYROLL_PACK_NODES_MAX);
    free(expr);
    free(yaml);
}
END_TEST

/* ---- the deepest accepted input on a 1 MiB stack ---------------------------- */

#define SMALL_STACK (1024 * 1024)

typedef struct stack_job {
    const char *yaml;
    int rc;
    int64_t value;
    char msg[300];
} stack_job;

static void *stack_job_run(void *arg)
{
    stack_job *j = arg;
    j->rc = compile_eval(j->yaml, &j->value);
    snprintf(j->msg, sizeof j->msg, "%s", bo_error_message());
    return NULL;
}

/* Run fn(arg) on a thread with a 1 MiB stack painted beforehand; returns
 * the bytes of it that were written (the high-water mark, counting the
 * thread's own descriptor and TLS that glibc puts at its top). */
static size_t on_small_stack(void *(*fn)(void *), void *arg)
{
    unsigned char *stack = NULL;
    ck_assert_int_eq(posix_memalign((void **)&stack, 65536, SMALL_STACK), 0);
    memset(stack, 0xA5, SMALL_STACK);
    pthread_attr_t at;
    pthread_t t;
    ck_assert_int_eq(pthread_attr_init(&at), 0);
    ck_assert_int_eq(pthread_attr_setstack(&at, stack, SMALL_STACK), 0);
    ck_assert_int_eq(pthread_create(&t, &at, fn, arg), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    pthread_attr_destroy(&at);
    size_t untouched = 0;
    while (untouched < SMALL_STACK && stack[untouched] == 0xA5)
        untouched++;
    free(stack);
    return SMALL_STACK - untouched;
}

START_TEST(trust_expr_eval_small_stack)
{
    register_trust_id();
    size_t worst = 0;
    const char *worst_name = "";
    for (size_t s = 0; s < NSHAPES + 2; s++) {
        char *expr;
        const char *name;
        int64_t want = 1;
        if (s < NSHAPES) {
            expr = repeat3(shapes[s].open, BO_PAYROLL_EXPR_DEPTH_MAX, shapes[s].mid,
                           shapes[s].close);
            name = shapes[s].name;
            want = shapes[s].value;
        } else if (s == NSHAPES) {
            expr = chain("1", "+", BO_PAYROLL_EXPR_MAX);
            name = "the longest sum";
            want = (BO_PAYROLL_EXPR_MAX + 1) / 2;
        } else {
            expr = chain("1", " and ", BO_PAYROLL_EXPR_MAX);
            name = "the longest and";
        }
        char *yaml = pack_of(expr);
        stack_job j = { yaml, -1, 0, "" };
        size_t used = on_small_stack(stack_job_run, &j);
        ck_assert_msg(j.rc == 0, "%s: %d %s", name, j.rc, j.msg);
        ck_assert_msg(j.value == want, "%s: %lld", name, (long long)j.value);
        printf("compile and evaluate %s: %zu KiB of a 1 MiB stack\n", name, used / 1024);
        if (used > worst) {
            worst = used;
            worst_name = name;
        }
        free(expr);
        free(yaml);
    }
    printf("deepest stack use: %zu KiB (%s)\n", worst / 1024, worst_name);
    /* Half the stack at most: room for the host's own frames. */
    ck_assert_uint_le(worst, SMALL_STACK / 2);
}
END_TEST

/* ---- a refused pack changes nothing ---------------------------------------- */

static char *stored_digest(bo_book *book)
{
    bo_cursor *c;
    bo_assert_ok(bo_payroll_packs(book, &c));
    int rows = 0;
    char *digest = NULL;
    while (bo_cursor_next(c) == 0) {
        rows++;
        digest = strdup(bo_cursor_text(c, bo_cursor_column_index(c, "digest")));
    }
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 1);
    return digest;
}

START_TEST(trust_expr_limit_load_changes_nothing)
{
    bo_book *book = bo_test_book("trust_pack");
    char *yaml = pack_of("base_salary * 2");
    bo_assert_ok(bo_payroll_pack_load(book, yaml, strlen(yaml), "t.yaml"));
    free(yaml);
    char *before = stored_digest(book);
    int64_t v;
    bo_assert_ok(bo_payroll_pack_eval(book, "t", "base_salary=10", "x", &v));
    ck_assert_int_eq(v, 20);

    /* The same pack name, too deep, too long, and nested 100,000 deep in
     * YAML: each refused, the stored pack still the old one. */
    char *deep = repeat3("(", BO_PAYROLL_EXPR_DEPTH_MAX + 1, "base_salary", ")");
    char *lng = repeat3("(", 100000, "base_salary", ")");
    char *bad[3] = { pack_of(deep), pack_of(lng), NULL };
    char *yamlnest = repeat3("[", 100000, "1", "]");
    bad[2] = malloc(strlen(yamlnest) + 64);
    sprintf(bad[2], "pack: t\ncurrency: USD\ntables: %s\n", yamlnest);
    for (int k = 0; k < 3; k++) {
        bo_assert_err(bo_payroll_pack_load(book, bad[k], strlen(bad[k]), "t.yaml"), BO_ELIMIT);
        if (k < 2)
            assert_msg_has("t.yaml:%d:%d: component 'x': ", EXPR_LINE,
                           k == 0 ? EXPR_COL0 + BO_PAYROLL_EXPR_DEPTH_MAX : EXPR_COL0);
        else
            /* level 1 is the pack's mapping: the 64th '[' is level 65 */
            assert_msg_has("t.yaml:3:%d: nesting deeper than %d levels",
                           9 + BO_CONFIG_MAX_DEPTH - 1, BO_CONFIG_MAX_DEPTH);
        char *after = stored_digest(book);
        ck_assert_str_eq(after, before);
        free(after);
        bo_assert_ok(bo_payroll_pack_eval(book, "t", "base_salary=10", "x", &v));
        ck_assert_int_eq(v, 20);
        free(bad[k]);
    }
    int64_t bad_record = -1;
    bo_assert_ok(bo_audit_verify(book, &bad_record));
    ck_assert_int_eq(bad_record, 0);
    free(deep);
    free(lng);
    free(yamlnest);
    free(before);
    bo_book_free(book);
}
END_TEST

/* The book configuration (`init`): a pack given inline, too deep. */
START_TEST(trust_expr_limit_init_yaml)
{
    char *deep = repeat3("abs(", BO_PAYROLL_EXPR_DEPTH_MAX + 1, "1", ")");
    size_t size = strlen(deep) + 512;
    char *cfg = malloc(size);
    snprintf(cfg, size,
             "book: {name: T, base_currency: USD}\naccounts:\n"
             "  - {code: \"2100\", name: Net, type: liability}\n"
             "payroll:\n  packs:\n    - source: |\n"
             "        pack: t\n        currency: USD\n        accounts:\n"
             "          net_pay: \"2100\"\n        components:\n"
             "          - name: x\n            kind: earning\n"
             "            account: \"2100\"\n            expr: \"%s\"\n", deep);
    char *uri = bo_test_path("trust_init");
    bo_book *b = NULL;
    bo_assert_err(bo_book_create_from_yaml_string(&b, cfg, strlen(cfg), uri, NULL),
                  BO_ELIMIT);
    ck_assert_ptr_null(b);
    /* the configuration's position of the source, then the pack's own */
    assert_msg_has("<string>:6:15: payroll.packs[0]:9:%d: component 'x': the "
                   "expression nests deeper than %d levels",
                   EXPR_COL0 + 4 * BO_PAYROLL_EXPR_DEPTH_MAX, BO_PAYROLL_EXPR_DEPTH_MAX);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    bo_assert_err(bo_book_open(&b, uri, &o), BO_ENOTFOUND); /* no book was made */
    free(deep);
    free(cfg);
    free(uri);
}
END_TEST

/* ---- the YAML tree ----------------------------------------------------------- */

START_TEST(trust_yaml_tree_depth)
{
    /* Flow and block nesting 100,000 deep: refused at the 65th level, fast. */
    static const struct { const char *open, *close; int line, col; } forms[] = {
        { "[", "]", 1, 65 }, { "{a: ", "}", 1, 4 * 64 + 1 }, { "- ", "", 1, 2 * 64 + 1 },
    };
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        char *yaml = repeat3(forms[k].open, 100000, "x", forms[k].close);
        bo__cfg_doc doc;
        double t0 = now_ms();
        bo__error_clear();
        bo_assert_err(bo__cfg_parse(&doc, "t.yaml", yaml, strlen(yaml)), BO_ELIMIT);
        printf("100,000-deep YAML '%s' refused in %.2f ms\n", forms[k].open, now_ms() - t0);
        assert_msg_has("t.yaml:%d:%d: nesting deeper than %d levels", forms[k].line,
                       forms[k].col, BO_CONFIG_MAX_DEPTH);
        ck_assert_uint_eq(doc.count, 0);
        bo__cfg_doc_free(&doc);
        free(yaml);
    }
    /* Block mappings one level an indentation step: 100,000 lines. */
    size_t n = 100000, size = 0;
    for (size_t i = 0; i < 70; i++)
        size += i + 3;
    size += (n - 70) * 2 + 16;
    char *yaml = malloc(size), *p = yaml;
    for (size_t i = 0; i < 70; i++) {
        memset(p, ' ', i);
        memcpy(p + i, "a:\n", 3);
        p += i + 3;
    }
    for (size_t i = 70; i < n; i++, p += 2)
        memcpy(p, "#\n", 2); /* the rest as comments: the size, not the depth */
    strcpy(p, "");
    bo__cfg_doc doc;
    bo__error_clear();
    bo_assert_err(bo__cfg_parse(&doc, "t.yaml", yaml, strlen(yaml)), BO_ELIMIT);
    assert_msg_has("t.yaml:65:65: nesting deeper than %d levels", BO_CONFIG_MAX_DEPTH);
    bo__cfg_doc_free(&doc);
    free(yaml);
}
END_TEST

/* The accounts walker of the configuration (cfg_accounts, the one
 * recursive walker over the tree) at the deepest nesting the tree allows,
 * on a 1 MiB stack; one level more is refused by the tree. */
typedef struct cfg_job {
    const char *yaml, *uri;
    int rc;
    char msg[300];
} cfg_job;

static void *cfg_job_run(void *arg)
{
    cfg_job *j = arg;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    j->rc = bo_book_create_from_yaml_string(&b, j->yaml, strlen(j->yaml), j->uri, &o);
    snprintf(j->msg, sizeof j->msg, "%s", bo_error_message());
    bo_book_free(b);
    return NULL;
}

static char *nested_accounts(int levels)
{
    size_t size = (size_t)levels * 200 + 200;
    char *yaml = malloc(size), *p = yaml;
    p += sprintf(p, "book: {name: T, base_currency: USD}\naccounts:\n");
    for (int i = 0; i < levels; i++)
        p += sprintf(p, "%s{code: \"%d\", name: A%d, %schildren: [", i ? "" : "  - ",
                     1000 + i, i, i ? "" : "type: asset, ");
    p += sprintf(p, "{code: \"9999\", name: Leaf}");
    for (int i = 0; i < levels; i++)
        p += sprintf(p, "]}");
    strcpy(p, "\n");
    return yaml;
}

START_TEST(trust_yaml_tree_walker_small_stack)
{
    /* root map (1) + accounts seq (2), then each account a map and its
     * children a sequence: the leaf's map at level 3 + 2 * levels. */
    int levels = (BO_CONFIG_MAX_DEPTH - 3) / 2;
    char *yaml = nested_accounts(levels);
    char *uri = bo_test_path("trust_walk");
    cfg_job j = { yaml, uri, -1, "" };
    size_t used = on_small_stack(cfg_job_run, &j);
    ck_assert_msg(j.rc == 0, "%d levels: %s", levels, j.msg);
    printf("accounts nested %d levels: %zu KiB of a 1 MiB stack\n", levels, used / 1024);
    ck_assert_uint_le(used, SMALL_STACK / 2);
    free(yaml);
    free(uri);
    yaml = nested_accounts(levels + 1);
    uri = bo_test_path("trust_walk2");
    bo_book *b = NULL;
    bo_assert_err(bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, NULL),
                  BO_ELIMIT);
    assert_msg_has("nesting deeper than %d levels", BO_CONFIG_MAX_DEPTH);
    free(yaml);
    free(uri);
}
END_TEST

/* ---- bank statements ---------------------------------------------------------- */

static const char CAMT_BODY[] =
    "<Document><BkToCstmrStmt><Stmt>"
    "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>"
    "<Amt Ccy=\"USD\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>"
    "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>"
    "<Amt Ccy=\"USD\">15.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>"
    "<Ntry><Amt Ccy=\"USD\">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
    "<BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>R1</AcctSvcrRef></Ntry>"
    "</Stmt></BkToCstmrStmt></Document>";

static int64_t statements(bo_book *book)
{
    bo_cursor *c;
    bo_assert_ok(bo_billing_bank_statements(book, NULL, &c));
    int64_t n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

static bo_book *bank_book(void)
{
    bo_book *book = bo_test_book("trust_bank");
    bo_test_chart(book);
    return book;
}

START_TEST(trust_camt053_depth)
{
    /* The statement wrapped in elements up to the limit is read; one
     * element more is BO_ELIMIT at that element's '<'. The statement's
     * own deepest element (Cd) is at level 7. */
    const int own = 7, wrap = 32 - own;
    char *ok = repeat3("<W>", (size_t)wrap, CAMT_BODY, "</W>");
    bo__bank_file f;
    memset(&f, 0, sizeof f);
    bo_assert_ok(bo__bank_parse_camt053(ok, "USD", &f));
    ck_assert_uint_eq(f.n, 1);
    bo__bank_free(&f);
    char *deep = repeat3("<W>", (size_t)wrap + 1, CAMT_BODY, "</W>");
    bo_assert_err(bo__bank_parse_camt053(deep, "USD", &f), BO_ELIMIT);
    /* the Cd of the opening balance: after the wrappers, 6 tags in */
    assert_msg_has("line 1, column %zu: elements nested deeper than 32 levels",
                   (size_t)(wrap + 1) * 3 + strlen("<Document><BkToCstmrStmt><Stmt>"
                                                  "<Bal><Tp><CdOrPrtry>") + 1);
    bo__bank_free(&f);
    free(ok);
    free(deep);

    /* 100,000 levels, one element a line, through the public import:
     * refused at line 33 in milliseconds; nothing stored. */
    bo_book *book = bank_book();
    char *lines = repeat3("<a>\n", 100000, "x", "</a>\n");
    double t0 = now_ms();
    bo_assert_err(bo_billing_bank_import(book, "1100", "camt053", lines, NULL, NULL),
                  BO_ELIMIT);
    printf("100,000-deep camt.053 refused in %.2f ms\n", now_ms() - t0);
    assert_msg_has("line 33, column 1: elements nested deeper than 32 levels");
    ck_assert_int_eq(statements(book), 0);
    bo_assert_ok(bo_billing_bank_import(book, "1100", "camt053", CAMT_BODY, NULL, NULL));
    ck_assert_int_eq(statements(book), 1);
    free(lines);
    bo_book_free(book);
}
END_TEST

START_TEST(trust_camt053_lines)
{
    /* The size equivalent: BO_BILLING_STATEMENT_LINES_MAX entries are read,
     * one more is BO_ELIMIT naming the entry's line. */
    static const char head[] =
        "<Document><BkToCstmrStmt><Stmt>\n"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>"
        "<Amt Ccy=\"USD\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>\n";
    static const char ntry[] =
        "<Ntry><Amt Ccy=\"USD\">0.01</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
        "<BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry>\n";
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = BO_BILLING_STATEMENT_LINES_MAX + (size_t)extra;
        char *xml = malloc(sizeof head + n * sizeof ntry + 512), *p = xml;
        p += sprintf(p, "%s", head);
        for (size_t i = 0; i < n; i++)
            p += sprintf(p, "%s", ntry);
        sprintf(p, "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>"
                "<Amt Ccy=\"USD\">%zu.%02zu</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>\n"
                "</Stmt></BkToCstmrStmt></Document>\n", n / 100, n % 100);
        bo__bank_file f;
        memset(&f, 0, sizeof f);
        bo__error_clear();
        int rc = bo__bank_parse_camt053(xml, "USD", &f);
        if (!extra) {
            bo_assert_ok(rc);
            ck_assert_uint_eq(f.n, n);
        } else {
            bo_assert_err(rc, BO_ELIMIT);
            assert_msg_has("line %zu: the statement has more than %d lines", n + 2,
                           BO_BILLING_STATEMENT_LINES_MAX);
        }
        bo__bank_free(&f);
        free(xml);
    }
}
END_TEST

static const char MAPPING[] = "date: 1\namount: 2\nreference: 3\nheader: false\n";

START_TEST(trust_csv_limits)
{
    /* Lines: the limit is read, one more is refused naming its line. */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = BO_BILLING_STATEMENT_LINES_MAX + (size_t)extra;
        char *csv = malloc(n * 32 + 1), *p = csv;
        for (size_t i = 0; i < n; i++)
            p += sprintf(p, "2026-03-02,0.01,R%zu\n", i);
        bo__bank_file f;
        memset(&f, 0, sizeof f);
        bo__error_clear();
        int rc = bo__bank_parse_csv(csv, MAPPING, "USD", &f);
        if (!extra) {
            bo_assert_ok(rc);
            ck_assert_uint_eq(f.n, n);
        } else {
            bo_assert_err(rc, BO_ELIMIT);
            assert_msg_has("line %zu: the statement has more than %d lines", n,
                           BO_BILLING_STATEMENT_LINES_MAX);
        }
        bo__bank_free(&f);
        free(csv);
    }

    bo_book *book = bank_book();
    /* A quote never closed, over 100,000 lines: refused when the record
     * passes 64 KiB, naming the line it started on. */
    char *open = repeat3("", 0, "2026-03-02,1.00,R1\n2026-03-02,2.00,\"", "");
    size_t lo = strlen(open);
    char *unclosed = malloc(lo + 100000 * 8 + 1);
    memcpy(unclosed, open, lo);
    for (size_t i = 0; i < 100000; i++)
        memcpy(unclosed + lo + i * 8, "abcdefg\n", 8);
    unclosed[lo + 100000 * 8] = '\0';
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", unclosed, MAPPING, NULL),
                  BO_ELIMIT);
    assert_msg_has("line 2: the record is longer than 65536 bytes");
    ck_assert_int_eq(statements(book), 0);
    /* One unquoted field of 100,000 bytes. */
    char *wide = repeat3("x", 100000, "", "");
    char *rec = malloc(100000 + 64);
    sprintf(rec, "2026-03-02,1.00,R1\n2026-03-02,2.00,%s\n", wide);
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", rec, MAPPING, NULL),
                  BO_ELIMIT);
    assert_msg_has("line 2: the record is longer than 65536 bytes");
    /* 100,000 fields on one line. */
    char *fields = repeat3("2026-03-02,1.00", 1, "", "");
    char *many = repeat3(",", 100000, "", "");
    char *line = malloc(strlen(fields) + strlen(many) + 2);
    sprintf(line, "%s%s\n", fields, many);
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", line, MAPPING, NULL),
                  BO_ELIMIT);
    assert_msg_has("line 1: more than 64 fields");
    /* The mapping's YAML nested 100,000 deep. */
    char *deepmap = repeat3("[", 100000, "1", "]");
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", "2026-03-02,1.00\n",
                                      deepmap, NULL), BO_ELIMIT);
    assert_msg_has("mapping:1:65: nesting deeper than %d levels", BO_CONFIG_MAX_DEPTH);
    ck_assert_int_eq(statements(book), 0);
    bo_assert_ok(bo_billing_bank_import(book, "1100", "csv", "2026-03-02,1.00,R1\n",
                                     MAPPING, NULL));
    ck_assert_int_eq(statements(book), 1);
    free(open);
    free(unclosed);
    free(wide);
    free(rec);
    free(fields);
    free(many);
    free(line);
    free(deepmap);
    bo_book_free(book);
}
END_TEST

/* Amounts at the ends of int64 in the statement readers: a checked error,
 * never a wrapped value (seen while writing fuzz_bank_csv and
 * fuzz_camt053; their seed corpus has these inputs). */
START_TEST(trust_bank_amount_overflow)
{
    bo__bank_file f;
    memset(&f, 0, sizeof f);
    static const char dc_map[] = "date: 1\ndebit: 2\ncredit: 3\nheader: false\n";
    bo_assert_err(bo__bank_parse_csv("2026-03-02,92233720368547758.07,"
                                     "-92233720368547758.08\n", dc_map, "USD", &f),
                  BO_EOVERFLOW);
    assert_msg_has("line 1: debit/credit: the difference overflows");
    bo__bank_free(&f);
    static const char bal_map[] = "date: 1\namount: 2\nbalance: 3\nheader: false\n";
    bo_assert_err(bo__bank_parse_csv("2026-03-02,-1.00,92233720368547758.07\n", bal_map,
                                     "USD", &f), BO_EOVERFLOW);
    assert_msg_has("line 1: balance: the opening balance overflows");
    bo__bank_free(&f);
    static const char camt[] =
        "<Document><BkToCstmrStmt><Stmt>\n"
        "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>\n"
        "<Amt Ccy=\"USD\">-92233720368547758.08</Amt><CdtDbtInd>DBIT</CdtDbtInd></Bal>\n"
        "</Stmt></BkToCstmrStmt></Document>\n";
    bo_assert_err(bo__bank_parse_camt053(camt, "USD", &f), BO_EOVERFLOW);
    assert_msg_has("line 3: Amt: a debit of this amount overflows");
    bo__bank_free(&f);
}
END_TEST

/* A lone CR ends a CSV line as LF and CRLF do: line numbers stay true
 * (fuzz_bank_csv found two records both called line 1). */
START_TEST(trust_csv_line_numbers)
{
    bo__bank_file f;
    memset(&f, 0, sizeof f);
    bo_assert_ok(bo__bank_parse_csv("2026-03-02,1.00,R1\r2026-03-03,2.00,R2\r\n"
                                    "2026-03-04,3.00,R3\n2026-03-05,4.00,R4", MAPPING,
                                    "USD", &f));
    ck_assert_uint_eq(f.n, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(f.lines[i].line_no, i + 1);
    bo__bank_free(&f);
    bo_assert_err(bo__bank_parse_csv("2026-03-02,1.00,R1\r2026-03-03,2.00,R2\r"
                                     "bad,3.00,R3\r", MAPPING, "USD", &f), BO_EINVAL);
    assert_msg_has("line 3: date: ");
    bo__bank_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("trust_limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, trust_expr_depth_limit);
    tcase_add_test(tc, trust_expr_term_limit);
    tcase_add_test(tc, trust_expr_eval_small_stack);
    tcase_add_test(tc, trust_expr_limit_load_changes_nothing);
    tcase_add_test(tc, trust_yaml_tree_depth);
    tcase_add_test(tc, trust_camt053_depth);
    tcase_add_test(tc, trust_camt053_lines);
    tcase_add_test(tc, trust_csv_limits);
    tcase_add_test(tc, trust_csv_line_numbers);
    tcase_add_test(tc, trust_bank_amount_overflow);
    tcase_add_test(tc, trust_expr_limit_init_yaml);
    tcase_add_test(tc, trust_yaml_tree_walker_small_stack);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
