/*
 * The rule language: a lexer and recursive-descent parser into a node pool,
 * and an evaluator over fixed-point int64 values (6 decimal places, exact
 * 128-bit intermediates). No floating point, no host code. Every result of
 * * and / is rounded half away from zero at the sixth decimal, so the same
 * inputs give the same figures on every machine.
 *
 * Rule packs come from outside, so both the parser and the evaluator are
 * bounded (docs/payroll.md, "Limits"): an expression is at most
 * BO_PAYROLL_EXPR_MAX bytes, nests at most BO_PAYROLL_EXPR_DEPTH_MAX levels
 * (parentheses, calls, unary minus, not: each one level, counted by
 * nest()), and a pack holds at most BO_PAYROLL_PACK_NODES_MAX nodes. The parser
 * recurses once per level of nesting and loops over chains of one
 * precedence level; the evaluator walks such chains in a loop too
 * (eval_binary()), so its recursion follows the nesting, never the length
 * of a sum. Both stay within a few hundred KiB of stack at the deepest
 * expression accepted (measured by trust_expr_eval_small_stack).
 */
#include "payroll/payroll.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum {
    N_NUM = 1, N_STR, N_COMP, N_GROSS, N_INPUT, N_YTD, N_ATTR,
    N_NEG, N_NOT, N_ADD, N_SUB, N_MUL, N_DIV, N_EQ, N_NE, N_LT, N_LE, N_GT,
    N_GE, N_AND, N_OR, N_CALL, N_PLUGIN, N_ITEM, N_MTD
};

/* Built-in functions (N_CALL's fn). */
enum { F_IF = 1, F_MIN, F_MAX, F_CLAMP, F_ROUND, F_FLOOR, F_CEIL, F_BRACKET,
       F_LOOKUP, F_MAJOR, F_ABS, F_GROSSUP };
static const struct { const char *name; int fn, min, max; } builtins[] = {
    { "if", F_IF, 3, 3 }, { "min", F_MIN, 2, 8 }, { "max", F_MAX, 2, 8 },
    { "clamp", F_CLAMP, 3, 3 }, { "round", F_ROUND, 1, 2 },
    { "floor", F_FLOOR, 1, 2 }, { "ceil", F_CEIL, 1, 2 },
    { "bracket", F_BRACKET, 2, 2 }, { "lookup", F_LOOKUP, 2, 2 },
    { "major", F_MAJOR, 1, 1 }, { "abs", F_ABS, 1, 1 },
    { "grossup", F_GROSSUP, 3, 3 },
};

struct bo__pay_node {
    uint8_t op;
    int fn;          /* N_CALL: builtin; N_PLUGIN: registry index; N_COMP,
                        N_INPUT, N_YTD, N_MTD, N_ATTR: slot; N_STR: offset */
    int a, b;        /* children; N_CALL/N_PLUGIN: first arg index, count */
    int table;       /* bracket/lookup: table index */
    int up;          /* the chain node whose left operand this is, or -1
                        (see eval_binary()) */
    int64_t num;
    uint32_t pos;    /* byte offset in the expression (for messages) */
    char *text;      /* N_STR: owned */
};

const char *const bo__pay_input_names[BO__IN_COUNT] = {
    "base_salary", "hourly_rate", "hours.regular", "hours.overtime",
    "hours.holiday", "days_worked", "leave_days", "period.month", "period.year",
    "period.last", "period.pay_date", "months_worked", "previous.bruto",
    "previous.neto", "previous.tax", "hours.overtime_weighted", "fixpoint"
};
const char *const bo__pay_attr_names[BO__ATTR_COUNT] = {
    "tax_status", "risk_class", "department", "cost_center", "pay_group", "recipient"
};

/* ---- fixed point ---------------------------------------------------------
 * Thin names over the core's checked family (util/fixed.h), so every
 * result below is exact or BO_EOVERFLOW, and rounds half away from zero. */

#define ROUND_PAY BO_ROUND_HALF_UP /* half away from zero */

/* n / d rounded half away from zero (d != 0), exact in 128 bits. */
static __int128 div_round(__int128 n, __int128 d)
{
    return bo__fx_div128(n, d, ROUND_PAY);
}

static int fit(__int128 v, int64_t *out)
{
    return bo__fx_narrow(v, out);
}

int bo__pay_round(int64_t x, int places, int mode, int64_t *out)
{
    if (places > 6 || places < -12)
        return BO_EINVAL;
    bo_rounding m = mode == 0 ? ROUND_PAY : mode == 1 ? BO_ROUND_FLOOR
                  : BO_ROUND_CEILING;
    return bo__fx_round(x, BO__PAY_PLACES, places, m, out);
}

/* ---- lexer --------------------------------------------------------------- */

enum { T_END, T_NUM, T_STR, T_NAME, T_OP, T_LP, T_RP, T_COMMA, T_ERR };

typedef struct lexer {
    const char *s;
    size_t i, start;
    int tok;
    char op[3];
    int64_t num;
    char name[128];
    bo__pay_pack *p;
    int comp;
    int depth;       /* levels of nesting open (nest()) */
    size_t err;
} lexer;

static int lex_fail(lexer *lx, size_t at, int code, const char *msg)
{
    lx->err = at;
    return bo__error_set(code, "%s", msg);
}

static int lex_error(lexer *lx, size_t at, const char *msg)
{
    return lex_fail(lx, at, BO_ECONFIG, msg);
}

/* A decimal literal: digits, optionally '.' and up to 6 digits. */
static int lex_number(lexer *lx)
{
    __int128 v = 0;
    int frac = -1;
    while (isdigit((unsigned char)lx->s[lx->i]) || lx->s[lx->i] == '.') {
        char c = lx->s[lx->i];
        if (c == '.') {
            if (frac >= 0)
                return lex_error(lx, lx->i, "a number has two decimal points");
            frac = 0;
        } else {
            if (frac >= 0 && ++frac > 6)
                return lex_error(lx, lx->start, "a number has more than 6 "
                                 "decimal places");
            v = v * 10 + (c - '0');
            if (v > (__int128)INT64_MAX)
                return lex_error(lx, lx->start, "a number is too large");
        }
        lx->i++;
    }
    for (int k = frac < 0 ? 0 : frac; k < 6; k++)
        v *= 10;
    if (v > (__int128)INT64_MAX)
        return lex_error(lx, lx->start, "a number is too large");
    lx->num = (int64_t)v;
    return 0;
}

static int lex(lexer *lx)
{
    const char *s = lx->s;
    while (s[lx->i] == ' ' || s[lx->i] == '\t' || s[lx->i] == '\n' || s[lx->i] == '\r')
        lx->i++;
    lx->start = lx->i;
    char c = s[lx->i];
    if (!c)
        return lx->tok = T_END;
    if (isdigit((unsigned char)c)) {
        lx->tok = T_NUM;
        return lex_number(lx) ? (lx->tok = T_ERR) : T_NUM;
    }
    if (isalpha((unsigned char)c) || c == '_') {
        size_t n = 0;
        while (isalnum((unsigned char)s[lx->i]) || s[lx->i] == '_' ||
               (s[lx->i] == '.' && isalpha((unsigned char)s[lx->i + 1]))) {
            if (n + 1 >= sizeof lx->name) {
                lex_error(lx, lx->start, "a name is longer than 127 bytes");
                return lx->tok = T_ERR;
            }
            lx->name[n++] = s[lx->i++];
        }
        lx->name[n] = '\0';
        return lx->tok = T_NAME;
    }
    if (c == '"' || c == '\'') {
        size_t n = 0;
        lx->i++;
        while (s[lx->i] && s[lx->i] != c) {
            if (n + 1 >= sizeof lx->name) {
                lex_error(lx, lx->start, "a string is longer than 127 bytes");
                return lx->tok = T_ERR;
            }
            lx->name[n++] = s[lx->i++];
        }
        if (!s[lx->i]) {
            lex_error(lx, lx->start, "a string is not closed");
            return lx->tok = T_ERR;
        }
        lx->i++;
        lx->name[n] = '\0';
        return lx->tok = T_STR;
    }
    lx->i++;
    if (c == '(')
        return lx->tok = T_LP;
    if (c == ')')
        return lx->tok = T_RP;
    if (c == ',')
        return lx->tok = T_COMMA;
    lx->op[0] = c;
    lx->op[1] = lx->op[2] = '\0';
    if (strchr("+-*/", c))
        return lx->tok = T_OP;
    if ((c == '<' || c == '>' || c == '=' || c == '!') && s[lx->i] == '=') {
        lx->op[1] = '=';
        lx->i++;
        return lx->tok = T_OP;
    }
    if (c == '<' || c == '>')
        return lx->tok = T_OP;
    lex_error(lx, lx->start, "unexpected character");
    return lx->tok = T_ERR;
}

/* ---- parser --------------------------------------------------------------- */

/* A new node for the token at pos: its index, or BO_ELIMIT / BO_ENOMEM
 * (negative). */
static int node_new(lexer *lx, int op, size_t pos)
{
    bo__pay_pack *p = lx->p;
    if (p->nnodes >= BO_PAYROLL_PACK_NODES_MAX) {
        char msg[120];
        snprintf(msg, sizeof msg, "the pack's expressions hold more than %d "
                 "nodes (numbers, names, operators, calls)", BO_PAYROLL_PACK_NODES_MAX);
        return lex_fail(lx, pos, BO_ELIMIT, msg);
    }
    if (p->nnodes == p->nodes_cap) {
        int cap = p->nodes_cap ? p->nodes_cap * 2 : 64;
        if (cap > BO_PAYROLL_PACK_NODES_MAX)
            cap = BO_PAYROLL_PACK_NODES_MAX;
        bo__pay_node *n = bo__realloc(p->nodes, (size_t)cap * sizeof *n);
        if (!n)
            return BO_ENOMEM;
        p->nodes = n;
        p->nodes_cap = cap;
    }
    bo__pay_node *n = &p->nodes[p->nnodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->pos = (uint32_t)pos;
    n->a = n->b = n->table = n->up = -1;
    return p->nnodes++;
}

/* One more level of nesting (a parenthesis, a call, a unary minus or a
 * not) opening at pos; the caller closes it with lx->depth--. This bounds
 * the parser's recursion and, through the grammar, the evaluator's. */
static int nest(lexer *lx, size_t pos)
{
    if (++lx->depth <= BO_PAYROLL_EXPR_DEPTH_MAX)
        return 0;
    char msg[160];
    snprintf(msg, sizeof msg, "the expression nests deeper than %d levels "
             "(parentheses, calls, unary minus and not)", BO_PAYROLL_EXPR_DEPTH_MAX);
    return lex_fail(lx, pos, BO_ELIMIT, msg);
}

/* Operators that chain left to right at one precedence level: 1 for + -,
 * 2 for * /, 3 for and, 4 for or; 0 for the others. */
static int chain_class(int op)
{
    switch (op) {
    case N_ADD: case N_SUB: return 1;
    case N_MUL: case N_DIV: return 2;
    case N_AND: return 3;
    case N_OR: return 4;
    default: return 0;
    }
}

static int parse_or(lexer *lx, int *out);

static int binary(lexer *lx, int op, int a, int b, size_t pos, int *out)
{
    int n = node_new(lx, op, pos);
    if (n < 0)
        return n;
    bo__pay_node *nodes = lx->p->nodes;
    nodes[n].a = a;
    nodes[n].b = b;
    /* a + b + c is (a + b) + c: link the left operand to its parent so
     * that the evaluator can walk the chain upwards without recursion. */
    if (chain_class(op) && chain_class(nodes[a].op) == chain_class(op))
        nodes[a].up = n;
    *out = n;
    return 0;
}

static int find_table(const bo__pay_pack *p, const char *name)
{
    for (int i = 0; i < p->ntables; i++)
        if (strcmp(p->tables[i].name, name) == 0)
            return i;
    return -1;
}

static int resolve_name(lexer *lx, size_t pos, int *out)
{
    bo__pay_pack *p = lx->p;
    const char *name = lx->name;
    char msg[200];
    int n;
    if (strcmp(name, "gross") == 0) {
        n = node_new(lx, N_GROSS, pos);
    } else if (strncmp(name, "ytd.", 4) == 0 || strncmp(name, "mtd.", 4) == 0) {
        int c = bo__pay_comp_index(p, name + 4);
        if (c < 0) {
            snprintf(msg, sizeof msg, "unknown component '%.64s' in '%.80s'",
                     name + 4, name);
            return lex_error(lx, pos, msg);
        }
        int mtd = name[0] == 'm';
        n = node_new(lx, mtd ? N_MTD : N_YTD, pos);
        if (n >= 0)
            p->nodes[n].fn = c;
        if (mtd)
            p->uses_mtd = 1;
    } else if (strncmp(name, "input.", 6) == 0) {
        const char *in = name + 6;
        int ok = (*in >= 'a' && *in <= 'z') || *in == '_';
        for (const char *c = in; *c && ok; c++)
            ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
        if (!ok || strlen(in) > 64) {
            snprintf(msg, sizeof msg, "'%.80s': an input name is [a-z_][a-z0-9_]*"
                     " (up to 64 bytes)", name);
            return lex_error(lx, pos, msg);
        }
        int k, rc = bo__pay_iname(p, in, &k);
        if (rc == BO_ELIMIT)
            return lex_error(lx, pos, "more than 64 input names in the pack");
        if (rc)
            return rc;
        n = node_new(lx, N_ITEM, pos);
        if (n >= 0)
            p->nodes[n].fn = k;
    } else if (strncmp(name, "employee.", 9) == 0) {
        int k;
        for (k = 0; k < BO__ATTR_COUNT; k++)
            if (strcmp(name + 9, bo__pay_attr_names[k]) == 0)
                break;
        if (k == BO__ATTR_COUNT) {
            snprintf(msg, sizeof msg, "unknown employee attribute '%.80s'", name);
            return lex_error(lx, pos, msg);
        }
        n = node_new(lx, N_ATTR, pos);
        if (n >= 0)
            p->nodes[n].fn = k;
    } else {
        int k, c = bo__pay_comp_index(p, name);
        for (k = 0; k < BO__IN_COUNT; k++)
            if (strcmp(name, bo__pay_input_names[k]) == 0)
                break;
        if (c >= 0) {
            n = node_new(lx, N_COMP, pos);
            if (n >= 0)
                p->nodes[n].fn = c;
        } else if (k < BO__IN_COUNT) {
            n = node_new(lx, N_INPUT, pos);
            if (n >= 0)
                p->nodes[n].fn = k;
            if (k == BO__IN_PERIOD_LAST)
                p->uses_last = 1;
        } else {
            snprintf(msg, sizeof msg, "unknown name '%.100s'", name);
            return lex_error(lx, pos, msg);
        }
    }
    if (n < 0)
        return n;
    *out = n;
    return 0;
}

static int push_arg(bo__pay_pack *p, int node)
{
    if (p->nargs == p->args_cap) {
        int cap = p->args_cap ? p->args_cap * 2 : 64;
        int *a = bo__realloc(p->args, (size_t)cap * sizeof *a);
        if (!a)
            return BO_ENOMEM;
        p->args = a;
        p->args_cap = cap;
    }
    p->args[p->nargs++] = node;
    return 0;
}

static int parse_call(lexer *lx, const char *fname, size_t pos, int *out)
{
    bo__pay_pack *p = lx->p;
    char msg[200];
    int bi = -1, plugin = -1, arity = 0, rc;
    for (size_t k = 0; k < sizeof builtins / sizeof builtins[0]; k++)
        if (strcmp(builtins[k].name, fname) == 0)
            bi = (int)k;
    if (bi < 0 && (plugin = bo__pay_function_find(fname, &arity)) < 0) {
        snprintf(msg, sizeof msg, "unknown function '%.64s'", fname);
        return lex_error(lx, pos, msg);
    }
    int fn = bi >= 0 ? builtins[bi].fn : 0;
    int args[BO_PAYROLL_ARGS_MAX], nargs = 0, table = -1;
    if ((rc = nest(lx, pos)))
        return rc;
    lex(lx); /* past '(' */
    if (lx->tok != T_RP) {
        for (;;) {
            if (nargs == BO_PAYROLL_ARGS_MAX)
                return lex_error(lx, lx->start, "too many arguments");
            if (nargs == 0 && (fn == F_BRACKET || fn == F_LOOKUP || fn == F_GROSSUP)) {
                if (lx->tok != T_NAME)
                    return lex_error(lx, lx->start, "expected a table name");
                if ((table = find_table(p, lx->name)) < 0) {
                    snprintf(msg, sizeof msg, "unknown table '%.64s'", lx->name);
                    return lex_error(lx, lx->start, msg);
                }
                const bo__pay_table *t = &p->tables[table];
                if (fn == F_BRACKET && t->type != BO__TABLE_BRACKETS) {
                    snprintf(msg, sizeof msg, "bracket(): table '%.64s' is not "
                             "of type brackets", t->name);
                    return lex_error(lx, lx->start, msg);
                }
                if (fn == F_GROSSUP && t->type != BO__TABLE_FLAT) {
                    snprintf(msg, sizeof msg, "grossup(): table '%.64s' is not "
                             "of type flat", t->name);
                    return lex_error(lx, lx->start, msg);
                }
                if (fn == F_LOOKUP && t->type == BO__TABLE_BRACKETS) {
                    snprintf(msg, sizeof msg, "lookup(): table '%.64s' is of "
                             "type brackets: use bracket()", t->name);
                    return lex_error(lx, lx->start, msg);
                }
                args[nargs++] = -1;
                lex(lx);
            } else {
                if ((rc = parse_or(lx, &args[nargs])))
                    return rc;
                nargs++;
            }
            if (lx->tok == T_RP)
                break;
            if (lx->tok != T_COMMA)
                return lex_error(lx, lx->start, "expected ',' or ')'");
            lex(lx);
        }
    }
    int lo = bi >= 0 ? builtins[bi].min : arity, hi = bi >= 0 ? builtins[bi].max : arity;
    if (nargs < lo || nargs > hi) {
        if (lo == hi)
            snprintf(msg, sizeof msg, "%.64s() takes %d argument(s), not %d",
                     fname, lo, nargs);
        else
            snprintf(msg, sizeof msg, "%.64s() takes %d to %d arguments, not %d",
                     fname, lo, hi, nargs);
        return lex_error(lx, pos, msg);
    }
    lex(lx); /* past ')' */
    lx->depth--;
    int n = node_new(lx, bi >= 0 ? N_CALL : N_PLUGIN, pos);
    if (n < 0)
        return n;
    p->nodes[n].fn = bi >= 0 ? fn : plugin;
    p->nodes[n].table = table;
    p->nodes[n].a = p->nargs;
    p->nodes[n].b = nargs;
    for (int k = 0; k < nargs; k++)
        if ((rc = push_arg(p, args[k])))
            return rc;
    *out = n;
    return 0;
}

static int parse_primary(lexer *lx, int *out)
{
    size_t pos = lx->start;
    int rc, n;
    switch (lx->tok) {
    case T_NUM:
        if ((n = node_new(lx, N_NUM, pos)) < 0)
            return n;
        lx->p->nodes[n].num = lx->num;
        *out = n;
        lex(lx);
        return lx->tok == T_ERR ? BO_ECONFIG : 0;
    case T_STR:
        if ((n = node_new(lx, N_STR, pos)) < 0)
            return n;
        if (!(lx->p->nodes[n].text = bo__strdup(lx->name)))
            return BO_ENOMEM;
        *out = n;
        lex(lx);
        return lx->tok == T_ERR ? BO_ECONFIG : 0;
    case T_NAME: {
        char name[128];
        memcpy(name, lx->name, sizeof name);
        lex(lx);
        if (lx->tok == T_LP)
            return parse_call(lx, name, pos, out);
        if (strcmp(name, "and") == 0 || strcmp(name, "or") == 0 ||
            strcmp(name, "not") == 0)
            return lex_error(lx, pos, "expected a value");
        /* resolve_name() reads lx->name, which now holds the next token
         * (perhaps "and" or "or"): put that back after. */
        char next[128];
        memcpy(next, lx->name, sizeof next);
        memcpy(lx->name, name, sizeof name);
        rc = resolve_name(lx, pos, out);
        memcpy(lx->name, next, sizeof next);
        return rc;
    }
    case T_LP:
        if ((rc = nest(lx, pos)))
            return rc;
        lex(lx);
        if ((rc = parse_or(lx, out)))
            return rc;
        if (lx->tok != T_RP)
            return lex_error(lx, lx->start, "expected ')'");
        lx->depth--;
        lex(lx);
        return lx->tok == T_ERR ? BO_ECONFIG : 0;
    case T_ERR:
        return BO_ECONFIG;
    case T_END:
        return lex_error(lx, pos, "unexpected end of expression");
    default:
        return lex_error(lx, pos, "expected a value");
    }
}

static int parse_unary(lexer *lx, int *out)
{
    if (lx->tok == T_OP && lx->op[0] == '-' && !lx->op[1]) {
        size_t pos = lx->start;
        int a, rc;
        if ((rc = nest(lx, pos)))
            return rc;
        lex(lx);
        if ((rc = parse_unary(lx, &a)))
            return rc;
        lx->depth--;
        return binary(lx, N_NEG, a, -1, pos, out);
    }
    return parse_primary(lx, out);
}

static int parse_mul(lexer *lx, int *out)
{
    int rc = parse_unary(lx, out);
    while (!rc && lx->tok == T_OP && (lx->op[0] == '*' || lx->op[0] == '/')) {
        int op = lx->op[0] == '*' ? N_MUL : N_DIV, b;
        size_t pos = lx->start;
        lex(lx);
        if (!(rc = parse_unary(lx, &b)))
            rc = binary(lx, op, *out, b, pos, out);
    }
    return rc;
}

static int parse_add(lexer *lx, int *out)
{
    int rc = parse_mul(lx, out);
    while (!rc && lx->tok == T_OP && !lx->op[1] &&
           (lx->op[0] == '+' || lx->op[0] == '-')) {
        int op = lx->op[0] == '+' ? N_ADD : N_SUB, b;
        size_t pos = lx->start;
        lex(lx);
        if (!(rc = parse_mul(lx, &b)))
            rc = binary(lx, op, *out, b, pos, out);
    }
    return rc;
}

static int parse_cmp(lexer *lx, int *out)
{
    int rc = parse_add(lx, out);
    if (rc || lx->tok != T_OP)
        return rc;
    static const struct { const char *op; int n; } ops[] = {
        { "==", N_EQ }, { "!=", N_NE }, { "<", N_LT }, { "<=", N_LE },
        { ">", N_GT }, { ">=", N_GE },
    };
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        if (strcmp(lx->op, ops[k].op) == 0) {
            size_t pos = lx->start;
            int b;
            lex(lx);
            if ((rc = parse_add(lx, &b)))
                return rc;
            return binary(lx, ops[k].n, *out, b, pos, out);
        }
    }
    return lex_error(lx, lx->start, "unexpected operator");
}

static int is_word(const lexer *lx, const char *w)
{
    return lx->tok == T_NAME && strcmp(lx->name, w) == 0;
}

static int parse_not(lexer *lx, int *out)
{
    if (is_word(lx, "not")) {
        size_t pos = lx->start;
        int a, rc;
        if ((rc = nest(lx, pos)))
            return rc;
        lex(lx);
        if ((rc = parse_not(lx, &a)))
            return rc;
        lx->depth--;
        return binary(lx, N_NOT, a, -1, pos, out);
    }
    return parse_cmp(lx, out);
}

static int parse_and(lexer *lx, int *out)
{
    int rc = parse_not(lx, out);
    while (!rc && is_word(lx, "and")) {
        size_t pos = lx->start;
        int b;
        lex(lx);
        if (!(rc = parse_not(lx, &b)))
            rc = binary(lx, N_AND, *out, b, pos, out);
    }
    return rc;
}

static int parse_or(lexer *lx, int *out)
{
    int rc = parse_and(lx, out);
    while (!rc && is_word(lx, "or")) {
        size_t pos = lx->start;
        int b;
        lex(lx);
        if (!(rc = parse_and(lx, &b)))
            rc = binary(lx, N_OR, *out, b, pos, out);
    }
    return rc;
}

int bo__pay_parse(bo__pay_pack *p, int comp, const char *text, int *root,
                  size_t *err_off)
{
    *err_off = 0;
    size_t len = strlen(text);
    if (len > BO_PAYROLL_EXPR_MAX)
        return bo__error_set(BO_ELIMIT, "the expression is %zu bytes, more than "
                             "the limit of %d", len, BO_PAYROLL_EXPR_MAX);
    lexer lx;
    memset(&lx, 0, sizeof lx);
    lx.s = text;
    lx.p = p;
    lx.comp = comp;
    p->comps[comp].first = p->nnodes;
    lex(&lx);
    int rc = lx.tok == T_ERR ? BO_ECONFIG : parse_or(&lx, root);
    if (!rc && lx.tok != T_END)
        rc = lex_error(&lx, lx.start, "unexpected text after the expression");
    if (rc)
        *err_off = lx.err;
    return rc;
}

void bo__pay_refs(const bo__pay_pack *p, int comp,
                  void (*fn)(void *ctx, int index), void *ctx)
{
    /* An expression's nodes are the run first..root of the pool, every one
     * of them part of its tree: a scan, no walk (a sum of 8,000 terms is a
     * tree 8,000 deep). */
    const bo__pay_comp *c = &p->comps[comp];
    for (int i = c->first; i <= c->root; i++) {
        const bo__pay_node *n = &p->nodes[i];
        if (n->op == N_COMP)
            fn(ctx, n->fn);
        else if (n->op == N_GROSS)
            fn(ctx, p->ncomps);
    }
}

/* ---- evaluation ------------------------------------------------------------ */

typedef struct val {
    int64_t v;
    const char *s; /* text value, or NULL for a number */
} val;

typedef struct ectx {
    const bo__pay_pack *p;
    int comp;
    const bo__pay_input *in;
    const int64_t *values;
    int64_t gross;
    int *depth;      /* evaluations open (eval()) */
} ectx;

/* The position of node n as "FILE:LINE:COLUMN". */
static void where(const ectx *e, const bo__pay_node *n, char *out, size_t size)
{
    const bo__pay_comp *c = &e->p->comps[e->comp];
    uint32_t col = c->column;
    if (c->oneline)
        col += n->pos + (uint32_t)c->quoted;
    snprintf(out, size, "%s:%u:%u", e->p->file, c->line, col);
}

static int fail(const ectx *e, const bo__pay_node *n, int code, const char *what)
{
    char at[300];
    where(e, n, at, sizeof at);
    return bo__error_set(code, "%s: component '%s': %s", at,
                         e->p->comps[e->comp].name, what);
}

static int eval(const ectx *e, int idx, val *out);
static int eval_binary(const ectx *e, int idx, val *out);

static int num(const ectx *e, int idx, int64_t *out)
{
    val v;
    int rc = eval(e, idx, &v);
    if (rc)
        return rc;
    if (v.s)
        return fail(e, &e->p->nodes[idx], BO_EEVAL, "text where a number is needed");
    *out = v.v;
    return 0;
}

static int arith(const ectx *e, const bo__pay_node *n, __int128 r, int64_t *out)
{
    if (fit(r, out))
        return fail(e, n, BO_EOVERFLOW, "the result overflows");
    return 0;
}

/* rc from the checked family: BO_EOVERFLOW named at the node. */
static int checked(const ectx *e, const bo__pay_node *n, int rc)
{
    return rc ? fail(e, n, BO_EOVERFLOW, "the result overflows") : 0;
}

/* grossup(table, base, places): the tax allowance t borne by the payer
 * such that t = floor((base + t) x rate(base + t), places), rate from the
 * flat table (a row's upper bound inclusive). Row by row: t0 = base x r /
 * (1 - r) rounded down to the unit, then the neighbours of t0 from below
 * are tried; the first (smallest) that lands in its own row and
 * reproduces itself is the answer (exact: every product in 128 bits). */
static int grossup(const ectx *e, const bo__pay_node *n, const int *args, val *out)
{
    const bo__pay_table *t = &e->p->tables[n->table];
    int64_t base, places;
    int rc;
    if ((rc = num(e, args[1], &base)) || (rc = num(e, args[2], &places)))
        return rc;
    if (places % BO__PAY_SCALE || places / BO__PAY_SCALE > 6 ||
        places / BO__PAY_SCALE < -12)
        return fail(e, n, BO_EEVAL, "grossup(): places must be a whole number in -12..6");
    if (base < 0)
        return fail(e, n, BO_EEVAL, "grossup(): the base is negative");
    __int128 unit = 1;
    for (int64_t k = 6 - places / BO__PAY_SCALE; k > 0; k--)
        unit *= 10;
    for (int k = 0; k < t->n; k++) {
        __int128 r = t->value[k], lo = k ? t->bound[k - 1] : -1, hi = t->bound[k];
        if (r < 0 || r >= BO__PAY_SCALE)
            return fail(e, n, BO_EEVAL, "grossup(): a rate outside 0..1");
        __int128 t0 = (__int128)base * r / (BO__PAY_SCALE - r);
        t0 -= t0 % unit;
        for (__int128 c = t0 - 2 * unit; c <= t0 + 2 * unit; c += unit) {
            if (c < 0)
                continue;
            __int128 all = base + c;
            if (all <= lo || all > hi)
                continue;
            __int128 tax = all * r / BO__PAY_SCALE;
            tax -= tax % unit;
            if (tax == c)
                return arith(e, n, c, &out->v);
        }
    }
    return fail(e, n, BO_EEVAL, "grossup(): no allowance reproduces its own tax");
}

static int call_builtin(const ectx *e, const bo__pay_node *n, val *out)
{
    const int *args = &e->p->args[n->a];
    int64_t x, y, z;
    int rc;
    out->s = NULL;
    switch (n->fn) {
    case F_IF: {
        if ((rc = num(e, args[0], &x)))
            return rc;
        return eval(e, args[x ? 1 : 2], out);
    }
    case F_MIN:
    case F_MAX:
        if ((rc = num(e, args[0], &x)))
            return rc;
        for (int k = 1; k < n->b; k++) {
            if ((rc = num(e, args[k], &y)))
                return rc;
            if (n->fn == F_MIN ? y < x : y > x)
                x = y;
        }
        out->v = x;
        return 0;
    case F_CLAMP:
        if ((rc = num(e, args[0], &x)) || (rc = num(e, args[1], &y)) ||
            (rc = num(e, args[2], &z)))
            return rc;
        if (y > z)
            return fail(e, n, BO_EEVAL, "clamp(): the lower limit is above the upper");
        out->v = x < y ? y : x > z ? z : x;
        return 0;
    case F_ROUND:
    case F_FLOOR:
    case F_CEIL: {
        int64_t places = 0;
        if ((rc = num(e, args[0], &x)))
            return rc;
        if (n->b == 2) {
            if ((rc = num(e, args[1], &places)))
                return rc;
            if (places % BO__PAY_SCALE)
                return fail(e, n, BO_EEVAL, "places must be a whole number");
            places /= BO__PAY_SCALE;
        }
        if (places > 6 || places < -12)
            return fail(e, n, BO_EEVAL, "places must lie in -12..6");
        rc = bo__pay_round(x, (int)places, n->fn == F_ROUND ? 0 : n->fn == F_FLOOR ? 1 : 2,
                           &out->v);
        return rc ? fail(e, n, BO_EOVERFLOW, "the result overflows") : 0;
    }
    case F_ABS:
        if ((rc = num(e, args[0], &x)))
            return rc;
        return checked(e, n, bo__fx_abs(x, &out->v));
    case F_MAJOR:
        if ((rc = num(e, args[0], &x)))
            return rc;
        return checked(e, n, bo__fx_scale(x, e->p->exponent, &out->v));
    case F_BRACKET: {
        const bo__pay_table *t = &e->p->tables[n->table];
        if ((rc = num(e, args[1], &x)))
            return rc;
        __int128 sum = 0;
        for (int k = 0; k < t->n && x > t->bound[k]; k++) {
            int64_t top = k + 1 < t->n && x > t->bound[k + 1] ? t->bound[k + 1] : x;
            /* bounds are >= 0 and top > bound[k]: the slice cannot
             * overflow; each slice's tax is exact, their sum too */
            sum += div_round((__int128)(top - t->bound[k]) * t->value[k], BO__PAY_SCALE);
        }
        return arith(e, n, sum, &out->v);
    }
    case F_GROSSUP:
        return grossup(e, n, args, out);
    case F_LOOKUP: {
        const bo__pay_table *t = &e->p->tables[n->table];
        val key;
        char msg[200];
        if ((rc = eval(e, args[1], &key)))
            return rc;
        if (t->type == BO__TABLE_MAP) {
            if (!key.s)
                return fail(e, n, BO_EEVAL, "lookup(): a map table needs a text key");
            for (int k = 0; k < t->n; k++)
                if (strcmp(t->keys[k], key.s) == 0) {
                    out->v = t->value[k];
                    return 0;
                }
            /* The key may be personal data: it is not quoted. */
            snprintf(msg, sizeof msg, "lookup(): table '%s' has no row for the key",
                     t->name);
            return fail(e, n, BO_EEVAL, msg);
        }
        if (key.s)
            return fail(e, n, BO_EEVAL, "lookup(): a flat table needs a number");
        for (int k = 0; k < t->n; k++)
            if (key.v <= t->bound[k]) {
                out->v = t->value[k];
                return 0;
            }
        snprintf(msg, sizeof msg, "lookup(): the value lies above table '%s'",
                 t->name);
        return fail(e, n, BO_EEVAL, msg);
    }
    }
    return fail(e, n, BO_EEVAL, "unknown function");
}

/* The evaluator recurses along the tree, but a chain of one precedence
 * level is one step (eval_binary()), so the depth of the recursion is at
 * most 6 nodes (or, and, a comparison, +, *, then a call, unary minus, not
 * or parenthesis) per level of nesting the parser accepted: about 400
 * nested evaluations. This guard states the bound where it is relied on. */
#define EVAL_DEPTH_MAX (8 * (BO_PAYROLL_EXPR_DEPTH_MAX + 1))

static int eval_node(const ectx *e, int idx, val *out);

static int eval(const ectx *e, int idx, val *out)
{
    if (*e->depth >= EVAL_DEPTH_MAX)
        return fail(e, &e->p->nodes[idx], BO_ELIMIT, "the expression nests too "
                    "deep to evaluate");
    ++*e->depth;
    int rc = eval_node(e, idx, out);
    --*e->depth;
    return rc;
}

static int eval_node(const ectx *e, int idx, val *out)
{
    const bo__pay_node *n = &e->p->nodes[idx];
    int64_t a;
    int rc;
    out->s = NULL;
    switch (n->op) {
    case N_NUM:
        out->v = n->num;
        return 0;
    case N_STR:
        out->s = n->text;
        return 0;
    case N_COMP:
        out->v = e->values[n->fn];
        return 0;
    case N_GROSS:
        out->v = e->gross;
        return 0;
    case N_INPUT:
        out->v = e->in->in[n->fn];
        return 0;
    case N_YTD:
        return checked(e, n, bo__fx_scale(e->in->ytd ? e->in->ytd[n->fn] : 0, BO__PAY_PLACES,
                                          &out->v));
    case N_MTD:
        return checked(e, n, bo__fx_scale(e->in->mtd ? e->in->mtd[n->fn] : 0, BO__PAY_PLACES,
                                          &out->v));
    case N_ATTR:
        out->s = e->in->attr[n->fn] ? e->in->attr[n->fn] : "";
        return 0;
    case N_ITEM:
        out->v = e->in->items ? e->in->items[n->fn] : 0;
        return 0;
    case N_NEG:
        if ((rc = num(e, n->a, &a)))
            return rc;
        return checked(e, n, bo__fx_neg(a, &out->v));
    case N_NOT:
        if ((rc = num(e, n->a, &a)))
            return rc;
        out->v = a ? 0 : BO__PAY_SCALE;
        return 0;
    case N_EQ:
    case N_NE: {
        val x, y;
        if ((rc = eval(e, n->a, &x)) || (rc = eval(e, n->b, &y)))
            return rc;
        if (!x.s != !y.s)
            return fail(e, n, BO_EEVAL, "comparing text with a number");
        int eq = x.s ? strcmp(x.s, y.s) == 0 : x.v == y.v;
        out->v = (n->op == N_EQ) == eq ? BO__PAY_SCALE : 0;
        return 0;
    }
    case N_CALL:
        return call_builtin(e, n, out);
    case N_PLUGIN: {
        int64_t args[BO_PAYROLL_ARGS_MAX];
        for (int k = 0; k < n->b; k++)
            if ((rc = num(e, e->p->args[n->a + k], &args[k])))
                return rc;
        if (bo__pay_function_call(n->fn, args, n->b, &out->v))
            return fail(e, n, BO_EEVAL, "the registered function failed");
        return 0;
    }
    default:
        break;
    }
    return eval_binary(e, idx, out);
}

/* One arithmetic or comparison operation of eval_binary(). */
static int binary_op(const ectx *e, const bo__pay_node *n, int64_t a, int64_t b,
                     val *out)
{
    switch (n->op) {
    case N_ADD:
        return checked(e, n, bo__fx_add(a, b, &out->v));
    case N_SUB:
        return checked(e, n, bo__fx_sub(a, b, &out->v));
    case N_MUL:
        return checked(e, n, bo__fx_mul(a, b, BO__PAY_PLACES, ROUND_PAY, &out->v));
    case N_DIV:
        if (b == 0)
            return fail(e, n, BO_EEVAL, "division by zero");
        return checked(e, n, bo__fx_div(a, b, BO__PAY_PLACES, ROUND_PAY, &out->v));
    case N_LT: out->v = a < b ? BO__PAY_SCALE : 0; return 0;
    case N_LE: out->v = a <= b ? BO__PAY_SCALE : 0; return 0;
    case N_GT: out->v = a > b ? BO__PAY_SCALE : 0; return 0;
    case N_GE: out->v = a >= b ? BO__PAY_SCALE : 0; return 0;
    }
    return fail(e, n, BO_EEVAL, "unknown operation");
}

/* A binary operation, or a whole chain of them at one precedence level
 * (a + b - c + ..., a * b / c, a and b and c, a or b or c). The parser
 * makes such a chain a left-deep tree as deep as it is long; recursing
 * along it would take stack in proportion to the number of terms. Instead
 * the leftmost operand is evaluated, then each node from the bottom of the
 * chain up (through its up link), in the order and with the rounding of
 * the nested form; and/or still skip their right operand when the left
 * decides. */
static int eval_binary(const ectx *e, int idx, val *out)
{
    const bo__pay_node *nodes = e->p->nodes;
    int k = idx, cls = chain_class(nodes[idx].op), rc;
    while (cls && chain_class(nodes[nodes[k].a].op) == cls)
        k = nodes[k].a;
    int64_t a, b;
    if ((rc = num(e, nodes[k].a, &a)))
        return rc;
    for (;;) {
        const bo__pay_node *n = &nodes[k];
        if ((n->op == N_AND && !a) || (n->op == N_OR && a)) {
            out->v = n->op == N_OR ? BO__PAY_SCALE : 0;
        } else if (n->op == N_AND || n->op == N_OR) {
            if ((rc = num(e, n->b, &b)))
                return rc;
            out->v = b ? BO__PAY_SCALE : 0;
        } else if ((rc = num(e, n->b, &b)) || (rc = binary_op(e, n, a, b, out))) {
            return rc;
        }
        if (k == idx)
            return 0;
        a = out->v;
        k = n->up;
    }
}

int bo__pay_eval_node(const bo__pay_pack *p, int comp, int root,
                      const bo__pay_input *in, const int64_t *values,
                      int64_t gross, int64_t *out)
{
    int depth = 0;
    ectx e = { p, comp, in, values, gross, &depth };
    val v;
    int rc = eval(&e, root, &v);
    if (rc)
        return rc;
    if (v.s)
        return fail(&e, &p->nodes[root], BO_EEVAL, "the result is text, not a number");
    *out = v.v;
    return 0;
}

void bo__pay_nodes_free(bo__pay_pack *p)
{
    for (int i = 0; i < p->nnodes; i++)
        if (p->nodes[i].op == N_STR)
            bo__free(p->nodes[i].text);
    bo__free(p->nodes);
    bo__free(p->args);
}
