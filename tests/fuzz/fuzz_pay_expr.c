/*
 * The payroll rule language (payroll/expr.c) through the pack compiler and
 * the evaluator. The input is split at NUL bytes into three expressions
 * (an earning x, a deduction y and a calc z, which may name each other,
 * gross, the inputs, employee attributes, three tables and two registered
 * functions) and the evaluation's inputs as raw bytes. Each expression is
 * written into the pack as a double-quoted YAML scalar, bytes outside
 * printable ASCII as \x escapes. Properties:
 *  - compiling returns 0, BO_ECONFIG or BO_ELIMIT (the public
 *    bo_payroll_pack_check agrees), a refusal naming "fuzz.yaml:LINE:COLUMN: ",
 *    on the line of the component's expression when it names one;
 *  - an accepted expression is at most BO_PAYROLL_EXPR_MAX bytes and its
 *    parentheses (outside strings) nest at most BO_PAYROLL_EXPR_DEPTH_MAX
 *    deep, checked by a scanner of its own; the first expression longer
 *    than the limit is refused with BO_ELIMIT at its first character;
 *  - compiling and evaluating run on a thread with a 1 MiB stack (the
 *    deepest accepted expression needs well under half of it);
 *  - an accepted pack evaluates to 0, BO_EEVAL or BO_EOVERFLOW, never
 *    BO_ELIMIT (the evaluator's own depth guard is never reached), a
 *    refusal naming FILE:LINE:COLUMN and a component; evaluating again
 *    gives the same figures.
 */
#include "fuzz_util.h"
#include "payroll/payroll.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { F_X, F_Y, F_Z, F_IN, NF };
static const char *const comp_names[3] = { "x", "y", "z" };
static const unsigned expr_lines[3] = { 19, 23, 26 };

static const char HEAD[] =
    "pack: fz\n"
    "currency: USD\n"
    "accounts:\n"
    "  net_pay: \"2100\"\n"
    "tables:\n"
    "  br:\n"
    "    type: brackets\n"
    "    rows: [[0, 0], [100, 0.1], [300, 0.2]]\n"
    "  fl:\n"
    "    type: flat\n"
    "    rows: [[100, 0.01], [200, 0.02], [~, 0.03]]\n"
    "  mp:\n"
    "    type: map\n"
    "    rows: {\"K/0\": 1, \"K/1\": 2}\n"
    "components:\n";

static int fz_half(const int64_t *args, int nargs, int64_t *out, void *user)
{
    (void)nargs;
    (void)user;
    *out = args[0] / 2;
    return 0;
}

static int fz_refuse(const int64_t *args, int nargs, int64_t *out, void *user)
{
    (void)args;
    (void)nargs;
    (void)user;
    (void)out;
    return BO_ERROR;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (bo_payroll_function_register("fz_half", 1, fz_half, NULL, NULL) ||
        bo_payroll_function_register("fz_fail", 0, fz_refuse, NULL, NULL))
        abort();
    return 0;
}

/* Append s as a double-quoted YAML scalar; *text_len receives the length
 * of the text YAML gives back (bytes >= 0x80 come back as 2-byte UTF-8). */
static size_t quote(char *out, const char *s, size_t *text_len)
{
    size_t o = 0;
    *text_len = 0;
    out[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
            out[o++] = (char)*p;
        else
            o += (size_t)sprintf(out + o, "\\x%02x", *p);
        *text_len += *p >= 0x80 ? 2 : 1;
    }
    out[o++] = '"';
    return o;
}

/* Deepest nesting of parentheses outside the language's strings. */
static int paren_depth(const char *s)
{
    int depth = 0, max = 0;
    for (; *s; s++) {
        if (*s == '"' || *s == '\'') {
            const char *e = strchr(s + 1, *s);
            if (!e)
                break;
            s = e;
        } else if (*s == '(') {
            if (++depth > max)
                max = depth;
        } else if (*s == ')') {
            depth--;
        }
    }
    return max;
}

typedef struct job {
    const char *yaml;
    size_t len;
    const bo__pay_input *in;
    int rc, rc_eval, rc_again;
    int64_t values[3], again[3], gross, gross_again;
    char msg[1100], msg_eval[1100];
} job;

static void run(job *j)
{
    bo__pay_pack *p = NULL;
    bo__error_clear();
    j->rc = bo__pay_pack_compile(j->yaml, j->len, "fuzz.yaml", &p);
    snprintf(j->msg, sizeof j->msg, "%s", bo_error_message());
    if (j->rc)
        return;
    FZ_ASSERT(p->ncomps == 3, "components %d", p->ncomps);
    bo__error_clear();
    j->rc_eval = bo__pay_eval(p, j->in, j->values, &j->gross);
    snprintf(j->msg_eval, sizeof j->msg_eval, "%s", bo_error_message());
    if (j->rc_eval)
        fz_check_refusal(j->rc_eval, "bo__pay_eval");
    j->rc_again = bo__pay_eval(p, j->in, j->again, &j->gross_again);
    bo__pay_pack_free(p);
}

/* One worker thread with a 1 MiB stack runs every input (a thread per
 * input cost a fifth of the time). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static job *pending;
static int finished;

static void *worker(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!pending)
            pthread_cond_wait(&wake, &lock);
        job *j = pending;
        pthread_mutex_unlock(&lock);
        run(j);
        pthread_mutex_lock(&lock);
        pending = NULL;
        finished = 1;
        pthread_cond_broadcast(&wake);
    }
    return NULL;
}

static void on_small_stack(job *j)
{
    static int started;
    if (!started) {
        pthread_attr_t at;
        pthread_t t;
        if (pthread_attr_init(&at) || pthread_attr_setstacksize(&at, 1024 * 1024) ||
            pthread_create(&t, &at, worker, NULL) || pthread_detach(t))
            abort();
        pthread_attr_destroy(&at);
        started = 1;
    }
    pthread_mutex_lock(&lock);
    pending = j;
    finished = 0;
    pthread_cond_broadcast(&wake);
    while (!finished)
        pthread_cond_wait(&wake, &lock);
    pthread_mutex_unlock(&lock);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *f[NF], *buf;
    fz_split(data, size, f, NF, &buf);

    size_t cap = sizeof HEAD + 4 * size + 512, len = 0, text_len[3];
    char *yaml = malloc(cap);
    if (!yaml)
        abort();
    len += (size_t)sprintf(yaml, "%s", HEAD);
    for (int c = 0; c < 3; c++) {
        len += (size_t)sprintf(yaml + len, "  - name: %s\n    kind: %s\n%s    expr: ",
                               comp_names[c],
                               c == 0 ? "earning" : c == 1 ? "deduction" : "calc",
                               c == 0 ? "    account: \"5\"\n"
                               : c == 1 ? "    account: \"6\"\n" : "");
        len += quote(yaml + len, f[c], &text_len[c]);
        yaml[len++] = '\n';
    }
    yaml[len] = '\0';

    /* The inputs: up to 7 int64 values and 2 ytd values from the bytes,
     * a tax status from what is left. */
    bo__pay_input in;
    memset(&in, 0, sizeof in);
    int64_t ytd[3] = { 0, 0, 0 };
    size_t n = strlen(f[F_IN]);
    const char *src = f[F_IN];
    for (int k = 0; k < BO__IN_COUNT + 2 && n >= 8; k++, src += 8, n -= 8)
        memcpy(k < BO__IN_COUNT ? &in.in[k] : &ytd[k - BO__IN_COUNT], src, 8);
    in.ytd = ytd;
    in.attr[BO__ATTR_TAX_STATUS] = src;
    in.attr[BO__ATTR_RISK_CLASS] = "K/1";

    job j;
    memset(&j, 0, sizeof j);
    j.yaml = yaml;
    j.len = len;
    j.in = &in;
    on_small_stack(&j);

    bo__error_clear();
    int pub = bo_payroll_pack_check(yaml, len, "fuzz.yaml");
    FZ_ASSERT(pub == j.rc, "bo_payroll_pack_check %d, compile %d", pub, j.rc);

    if (j.rc) {
        FZ_ASSERT(j.rc == BO_ECONFIG || j.rc == BO_ELIMIT, "compile rc %d: %s", j.rc,
                  j.msg);
        unsigned line, col;
        FZ_ASSERT(sscanf(j.msg, "fuzz.yaml:%u:%u: ", &line, &col) == 2 && line >= 1 &&
                  col >= 1, "message without a position: %s", j.msg);
        for (int c = 0; c < 3; c++) {
            char who[32];
            snprintf(who, sizeof who, "component '%s': ", comp_names[c]);
            if (strstr(j.msg, who) && !strstr(j.msg, "cycle"))
                FZ_ASSERT(line == expr_lines[c], "%s at line %u: %s", who, line, j.msg);
        }
        /* The first expression over the length limit is refused for it,
         * at its start, when those before it compiled. */
        if (text_len[0] > BO_PAYROLL_EXPR_MAX) {
            FZ_ASSERT(j.rc == BO_ELIMIT && line == expr_lines[0] && col == 12,
                      "an expression of %zu bytes: %s", text_len[0], j.msg);
        }
    } else {
        for (int c = 0; c < 3; c++) {
            FZ_ASSERT(text_len[c] <= BO_PAYROLL_EXPR_MAX, "accepted %zu bytes", text_len[c]);
            FZ_ASSERT(paren_depth(f[c]) <= BO_PAYROLL_EXPR_DEPTH_MAX,
                      "accepted parentheses %d deep", paren_depth(f[c]));
        }
        FZ_ASSERT(j.rc_eval == 0 || j.rc_eval == BO_EEVAL || j.rc_eval == BO_EOVERFLOW,
                  "eval rc %d: %s", j.rc_eval, j.msg_eval);
        if (j.rc_eval) {
            unsigned line, col;
            FZ_ASSERT((sscanf(j.msg_eval, "fuzz.yaml:%u:%u: component '", &line, &col) == 2
                       && line >= 1 && col >= 1) ||
                      strncmp(j.msg_eval, "fuzz.yaml: ", 11) == 0,
                      "eval message without a position: %s", j.msg_eval);
        }
        FZ_ASSERT(j.rc_again == j.rc_eval, "eval %d then %d", j.rc_eval, j.rc_again);
        if (!j.rc_eval)
            FZ_ASSERT(memcmp(j.values, j.again, sizeof j.values) == 0 &&
                      j.gross == j.gross_again, "two evaluations differ");
    }
    free(yaml);
    free(buf);
    return 0;
}
