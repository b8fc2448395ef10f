/*
 * Plain-text journals in: ledger-cli, hledger and beancount files read into
 * a new book (docs/import-export.md, "Plain-text journals in").
 *
 * Shape of the work, as for GnuCash: the file is read whole and parsed into
 * a model in memory (accounts, commodities, transactions with postings as
 * exact decimals, balance assertions, comments); the model is checked whole
 * (every commodity known and every amount exact at its scale, every
 * transaction balanced, every balance assertion true) before the book is
 * created; then accounts and entries are written in one transaction. Every
 * refusal names the file, line and column. Nothing is rounded.
 */
#include "book/provenance.h"
#include "book/transfer.h"
#include "core/book.h"
#include "ledger/ledger.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define J_FILE_MAX ((size_t)1 << 30)
#define J_DEC_MAX 18

enum { JC_NONE, JC_UNIT, JC_TOTAL };              /* a posting's cost or price */
enum { JA_NONE, JA_ONE, JA_TOTAL, JA_INCL, JA_INCL_TOTAL }; /* = == =* ==* */
enum { JT_BALANCE, JT_TX };                       /* same date: checks first */

typedef struct jnum {
    int64_t m; /* value = m / 10^d */
    int d;
} jnum;

typedef struct jpost {
    int32_t acct, cmd; /* cmd -1: the amount is left out (inferred) */
    int32_t line, col, qcol;
    jnum q;
    int cost;
    jnum c;
    int32_t ccmd, ccol;
    int asrt;
    jnum a;
    int32_t acmd, acol;
    char *memo;
    /* computed */
    int64_t minor;       /* the quantity in minor units of cmd */
    int64_t wminor;      /* its weight (at cost) in minor units of wcmd */
    int32_t wcmd, target; /* target: the account written (a commodity's child) */
} jpost;

typedef struct jtx {
    bo_date date;
    int32_t line, kind, seq;
    char *memo;
    size_t p0, np;
} jtx;

typedef struct jcmd {
    char *sym;                       /* as written: "$", "USD", "AAPL" */
    char code[BO_CURRENCY_MAX + 1]; /* ours */
    int maxdec, exp, line, col, known;
    int64_t uses, cost_uses;
} jcmd;

typedef struct jacct {
    char *name;
    int type, cmd, parent, line, col, closed, declared, used;
} jacct;

typedef struct jhash {
    int32_t *slot; /* index + 1, 0 empty */
    size_t cap;
} jhash;

typedef struct jr {
    const char *file;
    int dialect;
    const char *dollar;
    const char *data;
    size_t len;
    /* the line being read */
    const char *ls, *le;
    int line;
    jacct *acc;
    size_t nacc, capacc;
    jhash hacc;
    jcmd *cmd;
    size_t ncmd, capcmd;
    jhash hcmd;
    jtx *tx;
    size_t ntx, captx;
    jpost *post;
    size_t npost, cappost;
    int in_comment_block;
    /* balances while assertions are checked: (account, commodity) -> sum */
    int64_t *bkey, *bown, *bincl;
    size_t bcap, bn;
    char base[BO_CURRENCY_MAX + 1];
    char oper[BO_CURRENCY_MAX + 1]; /* beancount's operating_currency */
} jr;

/* ---- small helpers ------------------------------------------------------- */

static int col_of(const jr *j, const char *p)
{
    int c = 1;
    for (const char *s = j->ls; s < p && s < j->le; s++)
        c += ((unsigned char)*s & 0xC0) != 0x80;
    return c;
}

static int fail_at(const jr *j, int line, int col, int code, const char *fmt, ...)
    BO__PRINTF(5, 6);
static int fail_at(const jr *j, int line, int col, int code, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bo__error_set(code, "%s:%d:%d: %s", j->file, line, col, msg);
}

#define FAIL(j, p, code, ...) fail_at((j), (j)->line, col_of((j), (p)), (code), __VA_ARGS__)


static uint64_t hash_str(const char *s, size_t n)
{
    return bo__hash_bytes(s, n, 0);
}

/* The index of name[0..n) in h (names: the strings at stride offsets), -1 when absent;
 * *slot receives where it would go. */
static int32_t hash_find(const jhash *h, const char *s, size_t n,
                         const char *(*name_of)(const jr *, int32_t), const jr *j,
                         size_t *slot)
{
    if (!h->cap) {
        *slot = 0;
        return -1;
    }
    size_t i = hash_str(s, n) & (h->cap - 1);
    for (;; i = (i + 1) & (h->cap - 1)) {
        if (!h->slot[i]) {
            *slot = i;
            return -1;
        }
        const char *k = name_of(j, h->slot[i] - 1);
        if (strlen(k) == n && !memcmp(k, s, n))
            return h->slot[i] - 1;
    }
}

static int hash_add(jhash *h, size_t count, int32_t idx, const char *(*name_of)(const jr *, int32_t),
                    const jr *j)
{
    if ((count + 1) * 2 > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        int32_t *s = bo__calloc(cap, sizeof *s);
        if (!s)
            return BO_ENOMEM;
        for (size_t i = 0; i < h->cap; i++)
            if (h->slot[i]) {
                const char *k = name_of(j, h->slot[i] - 1);
                size_t p = hash_str(k, strlen(k)) & (cap - 1);
                while (s[p])
                    p = (p + 1) & (cap - 1);
                s[p] = h->slot[i];
            }
        bo__free(h->slot);
        h->slot = s;
        h->cap = cap;
    }
    const char *k = name_of(j, idx);
    size_t p = hash_str(k, strlen(k)) & (h->cap - 1);
    while (h->slot[p])
        p = (p + 1) & (h->cap - 1);
    h->slot[p] = idx + 1;
    return 0;
}

static const char *acc_name(const jr *j, int32_t i) { return j->acc[i].name; }
static const char *cmd_name(const jr *j, int32_t i) { return j->cmd[i].sym; }

static int is_space(char c) { return c == ' ' || c == '\t'; }

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && is_space(*p))
        p++;
    return p;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* ---- commodities ---------------------------------------------------------- */

/* The commodity written sym[0..n) at p: found or added. */
static int commodity(jr *j, const char *sym, size_t n, const char *p, int32_t *out)
{
    size_t slot;
    int32_t i = hash_find(&j->hcmd, sym, n, cmd_name, j, &slot);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    if (n > 64)
        return FAIL(j, p, BO_ETOOLONG, "commodity '%.64s...': longer than 64 bytes", sym);
    int rc = bo__grow((void **)&j->cmd, &j->capcmd, j->ncmd, sizeof *j->cmd);
    if (rc)
        return rc;
    jcmd *c = &j->cmd[j->ncmd];
    memset(c, 0, sizeof *c);
    if (!(c->sym = bo__strndup(sym, n)))
        return BO_ENOMEM;
    c->line = j->line;
    c->col = col_of(j, p);
    c->maxdec = 0;
    /* our code: the currency symbols of the big currencies, else the name
     * itself when it is a code (3 to 8 upper-case letters or digits) */
    static const struct { const char *sym, *code; } syms[] = {
        { "\xe2\x82\xac", "EUR" }, { "\xc2\xa3", "GBP" }, { "\xc2\xa5", "JPY" },
        { "\xe2\x82\xb9", "INR" },
    };
    const char *code = NULL;
    if (n == 1 && sym[0] == '$')
        code = j->dollar;
    for (size_t k = 0; k < sizeof syms / sizeof syms[0] && !code; k++)
        if (strlen(syms[k].sym) == n && !memcmp(syms[k].sym, sym, n))
            code = syms[k].code;
    if (code)
        snprintf(c->code, sizeof c->code, "%s", code);
    else {
        int ok = n >= 3 && n <= BO_CURRENCY_MAX;
        for (size_t k = 0; k < n && ok; k++)
            ok = (sym[k] >= 'A' && sym[k] <= 'Z') || is_digit(sym[k]);
        if (!ok) {
            bo__free(c->sym);
            return FAIL(j, p, BO_ECURRENCY, "commodity '%.*s': not a currency code or a "
                        "name of 3 to 8 upper-case letters or digits", (int)n, sym);
        }
        memcpy(c->code, sym, n);
        c->code[n] = '\0';
    }
    c->known = bo_currency_exponent(c->code, &c->exp) == 0;
    if ((rc = hash_add(&j->hcmd, j->ncmd, (int32_t)j->ncmd, cmd_name, j))) {
        bo__free(c->sym);
        return rc;
    }
    *out = (int32_t)j->ncmd++;
    return 0;
}

/* ---- accounts ---------------------------------------------------------------- */

static int type_of_root(const char *s, size_t n)
{
    static const struct { const char *name; int type; } roots[] = {
        { "assets", BO_ACCOUNT_ASSET }, { "asset", BO_ACCOUNT_ASSET },
        { "liabilities", BO_ACCOUNT_LIABILITY }, { "liability", BO_ACCOUNT_LIABILITY },
        { "equity", BO_ACCOUNT_EQUITY }, { "income", BO_ACCOUNT_INCOME },
        { "revenue", BO_ACCOUNT_INCOME }, { "revenues", BO_ACCOUNT_INCOME },
        { "expenses", BO_ACCOUNT_EXPENSE }, { "expense", BO_ACCOUNT_EXPENSE },
    };
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        size_t k = strlen(roots[i].name);
        if (k != n)
            continue;
        size_t x = 0;
        while (x < n && (s[x] | 0x20) == roots[i].name[x])
            x++;
        if (x == n)
            return roots[i].type;
    }
    return 0;
}

/* The account named s[0..n) at p: found, or added with its parents. */
static int account(jr *j, const char *s, size_t n, const char *p, int32_t *out)
{
    size_t slot;
    int32_t i = hash_find(&j->hacc, s, n, acc_name, j, &slot);
    if (i >= 0) {
        *out = i;
        return 0;
    }
    if (n == 0 || s[0] == ':' || s[n - 1] == ':')
        return FAIL(j, p, BO_EINVAL, "account '%.*s': an empty name or part", (int)n, s);
    if (n > BO_CODE_MAX)
        return FAIL(j, p, BO_ETOOLONG, "account '%.*s...': longer than %d bytes (it becomes "
                    "the account code)", 40, s, BO_CODE_MAX);
    if (!bo__utf8_valid(s, n))
        return FAIL(j, p, BO_EUTF8, "account name: not valid UTF-8");
    const char *colon = memchr(s, ':', n);
    size_t rootn = colon ? (size_t)(colon - s) : n;
    int type = type_of_root(s, rootn);
    if (!type)
        return FAIL(j, p, BO_EINVAL, "account '%.*s': its type cannot be told from its first "
                    "part '%.*s' (Assets, Liabilities, Equity, Income or Expenses)",
                    (int)n, s, (int)rootn, s);
    int32_t parent = -1;
    const char *last = NULL;
    for (size_t k = n; k > 0; k--)
        if (s[k - 1] == ':') {
            last = s + k - 1;
            break;
        }
    int rc;
    if (last) {
        if (last[-1] == ':')
            return FAIL(j, p, BO_EINVAL, "account '%.*s': an empty part", (int)n, s);
        if ((rc = account(j, s, (size_t)(last - s), p, &parent)))
            return rc;
    }
    if ((rc = bo__grow((void **)&j->acc, &j->capacc, j->nacc, sizeof *j->acc)))
        return rc;
    jacct *a = &j->acc[j->nacc];
    memset(a, 0, sizeof *a);
    if (!(a->name = bo__strndup(s, n)))
        return BO_ENOMEM;
    a->type = type;
    a->cmd = -1;
    a->parent = parent;
    a->line = j->line;
    a->col = col_of(j, p);
    if ((rc = hash_add(&j->hacc, j->nacc, (int32_t)j->nacc, acc_name, j))) {
        bo__free(a->name);
        return rc;
    }
    *out = (int32_t)j->nacc++;
    return 0;
}

/* ---- numbers and amounts --------------------------------------------------- */

/* A decimal at *pp: digits, thousands commas, one '.', at most 18
 * decimals; an optional sign before it. */
static int number(jr *j, const char **pp, const char *e, int neg, jnum *out)
{
    const char *p = *pp, *start = p;
    if (p < e && (*p == '-' || *p == '+')) {
        neg ^= *p == '-';
        p++;
    }
    int64_t m = 0;
    int d = -1, digits = 0;
    for (; p < e; p++) {
        if (is_digit(*p)) {
            if (m > (INT64_MAX - 9) / 10)
                return FAIL(j, start, BO_EOVERFLOW, "number: too large (more than 18 digits)");
            m = m * 10 + (*p - '0');
            digits++;
            if (d >= 0)
                d++;
        } else if (*p == ',' && d < 0 && digits && p + 1 < e && is_digit(p[1])) {
            continue;
        } else if (*p == '.' && d < 0) {
            d = 0;
        } else
            break;
    }
    if (!digits)
        return FAIL(j, start, BO_EINVAL, "expected a number");
    if (d > J_DEC_MAX)
        return FAIL(j, start, BO_EINVAL, "number: more than %d decimals", J_DEC_MAX);
    out->m = neg ? -m : m;
    out->d = d < 0 ? 0 : d;
    *pp = p;
    return 0;
}

static int sym_char(unsigned char c)
{
    if (c >= 0x80)
        return 1;
    if (is_digit((char)c) || c <= ' ')
        return 0;
    return !strchr("-+.,;@={}()[]*/\"#!&|~^", c);
}

/* A commodity symbol at *pp: "quoted" or a run of symbol characters. */
static int symbol(jr *j, const char **pp, const char *e, int32_t *out)
{
    const char *p = *pp;
    if (p < e && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
        if (!q)
            return FAIL(j, p, BO_EINVAL, "commodity: the quote is not closed");
        int rc = commodity(j, p + 1, (size_t)(q - p - 1), p, out);
        *pp = q + 1;
        return rc;
    }
    const char *s = p;
    while (p < e && sym_char((unsigned char)*p))
        p++;
    if (p == s)
        return FAIL(j, s, BO_EINVAL, "expected a commodity");
    *pp = p;
    return commodity(j, s, (size_t)(p - s), s, out);
}

/* An amount: ledger/hledger "$-1,000.00", "-$10", "10 USD", "USD 10";
 * beancount "10.00 USD". */
static int amount(jr *j, const char **pp, const char *e, jnum *q, int32_t *cmd)
{
    const char *p = skip_ws(*pp, e), *start = p;
    int rc, neg = 0;
    if (p < e && *p == '(')
        return FAIL(j, p, BO_ENOTSUP, "amount expressions are not read (write the amount)");
    if (j->dialect == BO_JOURNAL_BEANCOUNT) {
        if ((rc = number(j, &p, e, 0, q)))
            return rc;
        p = skip_ws(p, e);
        const char *s = p;
        while (p < e && ((*p >= 'A' && *p <= 'Z') || is_digit(*p) || strchr("'._-", *p)))
            p++;
        if (p == s)
            return FAIL(j, s, BO_EINVAL, "expected a currency after the number");
        if ((rc = commodity(j, s, (size_t)(p - s), s, cmd)))
            return rc;
        *pp = p;
        return 0;
    }
    if (p < e && (*p == '-' || *p == '+') && p + 1 < e && !is_digit(p[1]) && p[1] != '.') {
        neg = *p == '-';
        p++;
    }
    if (p < e && (is_digit(*p) || *p == '.' || *p == '-' || *p == '+')) {
        if ((rc = number(j, &p, e, neg, q)))
            return rc;
        const char *s = skip_ws(p, e);
        if (s < e && (*s == '"' || sym_char((unsigned char)*s))) {
            p = s;
            if ((rc = symbol(j, &p, e, cmd)))
                return rc;
        } else
            return FAIL(j, start, BO_EINVAL, "amount: no commodity (write one, as \"10.00 "
                        "USD\" or \"$10.00\")");
    } else {
        if ((rc = symbol(j, &p, e, cmd)))
            return rc;
        p = skip_ws(p, e);
        if ((rc = number(j, &p, e, neg, q)))
            return rc;
    }
    *pp = p;
    return 0;
}

/* ---- memos ------------------------------------------------------------------ */

static int memo_add(jr *j, char **memo, const char *s, const char *e, const char *at)
{
    while (s < e && is_space(*s))
        s++;
    while (e > s && is_space(e[-1]))
        e--;
    if (s == e)
        return 0;
    size_t old = *memo ? strlen(*memo) : 0, n = (size_t)(e - s);
    if (old + n + 3 > BO_TEXT_MAX)
        return FAIL(j, at, BO_ETOOLONG, "memo: longer than %d bytes with this comment",
                    BO_TEXT_MAX);
    char *m = bo__realloc(*memo, old + n + 4);
    if (!m)
        return BO_ENOMEM;
    if (old)
        memcpy(m + old, " ; ", 3), old += 3;
    memcpy(m + old, s, n);
    m[old + n] = '\0';
    *memo = m;
    return 0;
}

/* ---- lines -------------------------------------------------------------------- */

static int parse_date(jr *j, const char **pp, const char *e, bo_date *out)
{
    const char *p = *pp;
    int y = 0, m = 0, d = 0, k = 0;
    char sep = 0;
    while (p < e && is_digit(*p) && k < 4)
        y = y * 10 + (*p++ - '0'), k++;
    if (k == 4 && p < e && (*p == '-' || *p == '/' || *p == '.')) {
        sep = *p++;
        for (k = 0; p < e && is_digit(*p) && k < 2; k++)
            m = m * 10 + (*p++ - '0');
        if (k && p < e && *p == sep) {
            p++;
            for (k = 0; p < e && is_digit(*p) && k < 2; k++)
                d = d * 10 + (*p++ - '0');
            if (k && (p == e || !is_digit(*p)) && !bo_date_from_ymd(y, m, d, out) &&
                (j->dialect != BO_JOURNAL_BEANCOUNT || sep != '.')) {
                *pp = p;
                return 0;
            }
        }
    }
    return FAIL(j, *pp, BO_EINVAL, "date: expected YYYY-MM-DD (or YYYY/MM/DD)");
}

static int new_tx(jr *j, bo_date d, int kind, jtx **out)
{
    int rc = bo__grow((void **)&j->tx, &j->captx, j->ntx, sizeof *j->tx);
    if (rc)
        return rc;
    jtx *t = &j->tx[j->ntx];
    memset(t, 0, sizeof *t);
    t->date = d;
    t->line = j->line;
    t->kind = kind;
    t->seq = (int32_t)j->ntx;
    t->p0 = j->npost;
    j->ntx++;
    *out = t;
    return 0;
}

static int new_post(jr *j, const char *p, jpost **out)
{
    int rc = bo__grow((void **)&j->post, &j->cappost, j->npost, sizeof *j->post);
    if (rc)
        return rc;
    jpost *x = &j->post[j->npost++];
    memset(x, 0, sizeof *x);
    x->cmd = x->ccmd = x->acmd = -1;
    x->line = j->line;
    x->col = col_of(j, p);
    *out = x;
    return 0;
}

/* The end of a line's content before a comment (';'; beancount: also
 * after whitespace only). */
static const char *comment_at(const char *p, const char *e)
{
    int quoted = 0;
    for (; p < e; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ';' && !quoted)
            return p;
    }
    return e;
}

/* A posting line (indented). */
static int posting(jr *j, jtx *t, const char *p, const char *e)
{
    const char *c = comment_at(p, e);
    jpost *x;
    int rc;
    if (p < e && (*p == '*' || *p == '!')) {
        p = skip_ws(p + 1, c);
    }
    if (p < c && (*p == '(' || *p == '['))
        return FAIL(j, p, BO_ENOTSUP, "virtual postings (in parentheses or brackets) are not "
                    "read");
    if ((rc = new_post(j, p, &x)))
        return rc;
    t->np++;
    x->col = col_of(j, p);
    /* the account: up to two spaces or a tab (beancount: any whitespace) */
    const char *s = p;
    while (p < c) {
        if (*p == '\t' || (*p == ' ' && (j->dialect == BO_JOURNAL_BEANCOUNT ||
                                         (p + 1 < c && is_space(p[1])))))
            break;
        p++;
    }
    const char *ae = p;
    while (ae > s && ae[-1] == ' ')
        ae--;
    if ((rc = account(j, s, (size_t)(ae - s), s, &x->acct)))
        return rc;
    j->acc[x->acct].used = 1;
    p = skip_ws(p, c);
    if (p < c && *p != '=' && *p != '@') {
        x->qcol = col_of(j, p);
        if ((rc = amount(j, &p, c, &x->q, &x->cmd)))
            return rc;
        p = skip_ws(p, c);
    }
    /* cost: beancount/ledger {unit} or {{total}}, then a price @ or @@ */
    if (p < c && *p == '{') {
        int total = p + 1 < c && p[1] == '{';
        const char *b = p;
        p += total ? 2 : 1;
        p = skip_ws(p, c);
        if (p < c && *p == '}')
            return FAIL(j, b, BO_ENOTSUP, "an empty cost {} (lot booking) is not read");
        if (x->cmd < 0)
            return FAIL(j, b, BO_EINVAL, "a cost needs an amount before it");
        x->ccol = col_of(j, p);
        if ((rc = amount(j, &p, c, &x->c, &x->ccmd)))
            return rc;
        p = skip_ws(p, c);
        if (p < c && *p == ',') { /* a lot date or label: kept out */
            while (p < c && *p != '}')
                p++;
        }
        if (p >= c || *p != '}' || (total && (p + 1 >= c || p[1] != '}')))
            return FAIL(j, p, BO_EINVAL, "cost: expected '%s'", total ? "}}" : "}");
        p = skip_ws(p + (total ? 2 : 1), c);
        x->cost = total ? JC_TOTAL : JC_UNIT;
    }
    if (p < c && *p == '@') {
        int total = p + 1 < c && p[1] == '@';
        const char *b = p;
        if (x->cmd < 0)
            return FAIL(j, b, BO_EINVAL, "a price needs an amount before it");
        p += total ? 2 : 1;
        jnum v;
        int32_t vc;
        int vcol = col_of(j, skip_ws(p, c));
        if ((rc = amount(j, &p, c, &v, &vc)))
            return rc;
        if (v.m < 0)
            return FAIL(j, b, BO_EINVAL, "price: negative");
        if (!x->cost) { /* a cost, when given, weighs; the price is then a note */
            x->cost = total ? JC_TOTAL : JC_UNIT;
            x->c = v;
            x->ccmd = vc;
            x->ccol = vcol;
        }
        p = skip_ws(p, c);
    }
    if (p < c && *p == '=' && j->dialect != BO_JOURNAL_BEANCOUNT) {
        const char *b = p;
        p++;
        int total = p < c && *p == '=';
        p += total;
        int incl = p < c && *p == '*';
        p += incl;
        x->asrt = incl ? (total ? JA_INCL_TOTAL : JA_INCL) : (total ? JA_TOTAL : JA_ONE);
        x->acol = col_of(j, skip_ws(p, c));
        if (x->cmd < 0)
            return FAIL(j, b, BO_ENOTSUP, "a balance assignment (an assertion without an "
                        "amount) is not read: write the amount");
        if ((rc = amount(j, &p, c, &x->a, &x->acmd)))
            return rc;
        p = skip_ws(p, c);
    }
    if (p < c)
        return FAIL(j, p, BO_EINVAL, "unexpected '%.*s' in a posting", (int)(c - p > 20 ? 20 : c - p),
                    p);
    if (c < e && (rc = memo_add(j, &x->memo, c + 1, e, c)))
        return rc;
    return 0;
}

/* A transaction's first line after its date. */
static int tx_header(jr *j, jtx *t, const char *p, const char *e)
{
    const char *c = comment_at(p, e);
    int rc;
    if (j->dialect == BO_JOURNAL_BEANCOUNT) {
        /* flag, then "payee" "narration" or "narration", tags and links */
        if (p < c && (*p == '*' || *p == '!'))
            p++;
        else if (c - p >= 3 && !memcmp(p, "txn", 3))
            p += 3;
        char *strs[2] = { NULL, NULL };
        int ns = 0;
        for (p = skip_ws(p, c); p < c && *p == '"'; p = skip_ws(p, c)) {
            const char *s = ++p;
            char buf[BO_TEXT_MAX + 1];
            size_t n = 0;
            while (p < c && *p != '"') {
                if (*p == '\\' && p + 1 < c)
                    p++;
                if (n >= BO_TEXT_MAX) {
                    bo__free(strs[0]);
                    bo__free(strs[1]);
                    return FAIL(j, s, BO_ETOOLONG, "string: longer than %d bytes", BO_TEXT_MAX);
                }
                buf[n++] = *p++;
            }
            if (p >= c || ns == 2) {
                bo__free(strs[0]);
                bo__free(strs[1]);
                return FAIL(j, s - 1, BO_EINVAL, ns == 2 ? "more than two strings (payee and "
                            "narration)" : "string: the quote is not closed");
            }
            p++;
            buf[n] = '\0';
            if (!(strs[ns++] = bo__strdup(buf))) {
                bo__free(strs[0]);
                return BO_ENOMEM;
            }
        }
        const char *tags = p;
        while (p < c && (*p == '#' || *p == '^')) {
            while (p < c && !is_space(*p))
                p++;
            p = skip_ws(p, c);
        }
        if (p < c) {
            bo__free(strs[0]);
            bo__free(strs[1]);
            return FAIL(j, p, BO_EINVAL, "unexpected '%.*s' in a transaction's first line",
                        (int)(c - p > 20 ? 20 : c - p), p);
        }
        rc = 0;
        if (ns == 2) {
            rc = memo_add(j, &t->memo, strs[0], strs[0] + strlen(strs[0]), e);
            if (!rc && t->memo && strs[1][0]) {
                size_t n = strlen(t->memo);
                if (n + 3 + strlen(strs[1]) > BO_TEXT_MAX)
                    rc = FAIL(j, e, BO_ETOOLONG, "memo: longer than %d bytes", BO_TEXT_MAX);
                else {
                    char *m = bo__realloc(t->memo, n + 4 + strlen(strs[1]));
                    if (!m)
                        rc = BO_ENOMEM;
                    else {
                        sprintf(m + n, " | %s", strs[1]);
                        t->memo = m;
                    }
                }
            } else if (!rc)
                rc = memo_add(j, &t->memo, strs[1], strs[1] + strlen(strs[1]), e);
        } else if (ns == 1)
            rc = memo_add(j, &t->memo, strs[0], strs[0] + strlen(strs[0]), e);
        bo__free(strs[0]);
        bo__free(strs[1]);
        if (!rc && tags < c)
            rc = memo_add(j, &t->memo, tags, c, tags);
    } else {
        /* [=DATE2] [*|!] [(CODE)] DESCRIPTION */
        if (p < c && *p == '=') {
            bo_date d2;
            p++;
            if ((rc = parse_date(j, &p, c, &d2)))
                return rc;
        }
        p = skip_ws(p, c);
        if (p < c && (*p == '*' || *p == '!'))
            p = skip_ws(p + 1, c);
        if (p < c && *p == '(') {
            const char *q = memchr(p, ')', (size_t)(c - p));
            if (!q)
                return FAIL(j, p, BO_EINVAL, "code: the parenthesis is not closed");
            p = skip_ws(q + 1, c);
        }
        rc = memo_add(j, &t->memo, p, c, p);
    }
    if (!rc && c < e)
        rc = memo_add(j, &t->memo, c + 1, e, c);
    return rc;
}

static int word_is(const char *p, const char *e, const char *w)
{
    size_t n = strlen(w);
    return (size_t)(e - p) >= n && !memcmp(p, w, n) && (p + n == e || is_space(p[n]));
}

/* A dated line. */
static int dated(jr *j, const char *p, const char *e, jtx **cur)
{
    bo_date d;
    int rc;
    if ((rc = parse_date(j, &p, e, &d)))
        return rc;
    if (j->dialect != BO_JOURNAL_BEANCOUNT) {
        if (p < e && !is_space(*p) && *p != '=')
            return FAIL(j, p, BO_EINVAL, "date: expected a space after it");
        if ((rc = new_tx(j, d, JT_TX, cur)))
            return rc;
        return tx_header(j, *cur, skip_ws(p, e), e);
    }
    if (p >= e || !is_space(*p))
        return FAIL(j, p, BO_EINVAL, "date: expected a space after it");
    p = skip_ws(p, e);
    const char *c = comment_at(p, e);
    if (p < c && (*p == '*' || *p == '!' || word_is(p, c, "txn") ||
                  ((*p == '"') ))) {
        if ((rc = new_tx(j, d, JT_TX, cur)))
            return rc;
        return tx_header(j, *cur, p, e);
    }
    *cur = NULL;
    const char *w = p;
    while (p < c && !is_space(*p))
        p++;
    size_t wn = (size_t)(p - w);
    p = skip_ws(p, c);
    if (wn == 4 && !memcmp(w, "open", 4)) {
        const char *s = p;
        while (p < c && !is_space(*p))
            p++;
        int32_t a;
        if ((rc = account(j, s, (size_t)(p - s), s, &a)))
            return rc;
        j->acc[a].declared = 1;
        p = skip_ws(p, c);
        if (p < c && *p != '"') { /* the currencies it may hold: the first is its own */
            const char *cs = p;
            while (p < c && !is_space(*p) && *p != ',')
                p++;
            int32_t cm;
            if ((rc = commodity(j, cs, (size_t)(p - cs), cs, &cm)))
                return rc;
            if (j->acc[a].cmd < 0)
                j->acc[a].cmd = cm;
        }
        return 0;
    }
    if (wn == 5 && !memcmp(w, "close", 5)) {
        const char *s = p;
        while (p < c && !is_space(*p))
            p++;
        int32_t a;
        if ((rc = account(j, s, (size_t)(p - s), s, &a)))
            return rc;
        j->acc[a].closed = 1;
        return 0;
    }
    if (wn == 7 && !memcmp(w, "balance", 7)) {
        jtx *t;
        jpost *x;
        if ((rc = new_tx(j, d, JT_BALANCE, &t)) || (rc = new_post(j, p, &x)))
            return rc;
        t->np = 1;
        const char *s = p;
        while (p < c && !is_space(*p))
            p++;
        if ((rc = account(j, s, (size_t)(p - s), s, &x->acct)))
            return rc;
        j->acc[x->acct].used = 1;
        x->asrt = JA_INCL;
        x->acol = col_of(j, skip_ws(p, c));
        if ((rc = amount(j, &p, c, &x->a, &x->acmd)))
            return rc;
        p = skip_ws(p, c);
        if (p < c && *p == '~')
            return FAIL(j, p, BO_ENOTSUP, "balance: a tolerance is not read (balances are "
                        "checked exactly)");
        if (p < c)
            return FAIL(j, p, BO_EINVAL, "unexpected '%.*s' after the balance",
                        (int)(c - p > 20 ? 20 : c - p), p);
        return 0;
    }
    if (wn == 3 && !memcmp(w, "pad", 3))
        return FAIL(j, w, BO_ENOTSUP, "pad: not read (write the padding transaction)");
    if ((wn == 9 && !memcmp(w, "commodity", 9)) || (wn == 5 && !memcmp(w, "price", 5)) ||
        (wn == 4 && !memcmp(w, "note", 4)) || (wn == 8 && !memcmp(w, "document", 8)) ||
        (wn == 5 && !memcmp(w, "event", 5)) || (wn == 5 && !memcmp(w, "query", 5)) ||
        (wn == 6 && !memcmp(w, "custom", 6)))
        return 0; /* read past */
    return FAIL(j, w, BO_EINVAL, "unknown directive '%.*s'", (int)(wn > 20 ? 20 : wn), w);
}

/* An undated line at column 1 (a directive). */
static int directive(jr *j, const char *p, const char *e)
{
    const char *c = comment_at(p, e);
    if (j->dialect == BO_JOURNAL_BEANCOUNT) {
        /* option "operating_currency" "USD": the book currency unless given */
        static const char oc[] = "option \"operating_currency\" \"";
        if ((size_t)(c - p) > sizeof oc - 1 && !memcmp(p, oc, sizeof oc - 1) && !j->oper[0]) {
            const char *s = p + sizeof oc - 1, *q = memchr(s, '"', (size_t)(c - s));
            if (q && q > s && (size_t)(q - s) < sizeof j->oper) {
                memcpy(j->oper, s, (size_t)(q - s));
                j->oper[q - s] = '\0';
            }
            return 0;
        }
        if (word_is(p, c, "option") || word_is(p, c, "plugin") || word_is(p, c, "pushtag") ||
            word_is(p, c, "poptag") || word_is(p, c, "pushmeta") || word_is(p, c, "popmeta"))
            return 0;
        if (word_is(p, c, "include"))
            return FAIL(j, p, BO_ENOTSUP, "include: not read (import each file, or join them)");
        return FAIL(j, p, BO_EINVAL, "expected a date or a directive");
    }
    if (word_is(p, c, "account")) {
        const char *s = skip_ws(p + 7, c), *q = s;
        while (q < c && !(*q == '\t' || (*q == ' ' && q + 1 < c && is_space(q[1]))))
            q++;
        while (q > s && q[-1] == ' ')
            q--;
        int32_t a;
        int rc = account(j, s, (size_t)(q - s), s, &a);
        if (!rc)
            j->acc[a].declared = 1;
        return rc;
    }
    if (word_is(p, c, "comment") || word_is(p, c, "test")) {
        j->in_comment_block = 1;
        return 0;
    }
    if (word_is(p, c, "include"))
        return FAIL(j, p, BO_ENOTSUP, "include: not read (import each file, or join them)");
    if (word_is(p, c, "decimal-mark")) {
        const char *s = skip_ws(p + 12, c);
        if (s < c && *s == '.')
            return 0;
        return FAIL(j, s, BO_ENOTSUP, "decimal-mark: only '.' is read");
    }
    if (*p == '~' || *p == '=')
        return FAIL(j, p, BO_ENOTSUP, "%s transactions are not read",
                    *p == '~' ? "periodic" : "automated");
    static const char *const past[] = { "commodity", "P", "D", "N", "C", "payee", "tag",
                                        "apply", "end", "A", "bucket", "Y", "year", "alias" };
    for (size_t i = 0; i < sizeof past / sizeof past[0]; i++)
        if (word_is(p, c, past[i])) {
            if (!strcmp(past[i], "Y") || !strcmp(past[i], "year") || !strcmp(past[i], "alias") ||
                !strcmp(past[i], "apply"))
                return FAIL(j, p, BO_ENOTSUP, "%s: not read (write full dates and account "
                            "names)", past[i]);
            return 0;
        }
    return FAIL(j, p, BO_EINVAL, "expected a date or a directive");
}

static int parse(jr *j)
{
    const char *p = j->data, *end = j->data + j->len;
    jtx *cur = NULL;
    int rc = 0;
    int in_post = 0; /* comments after a posting belong to it */
    j->line = 0;
    while (p < end && !rc) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        const char *next = e < end ? e + 1 : end;
        if (e > p && e[-1] == '\r')
            e--;
        j->line++;
        j->ls = p;
        j->le = e;
        if (!bo__utf8_valid(p, (size_t)(e - p))) {
            rc = FAIL(j, p, BO_EUTF8, "not valid UTF-8");
            break;
        }
        if (memchr(p, '\0', (size_t)(e - p))) {
            rc = FAIL(j, memchr(p, '\0', (size_t)(e - p)), BO_EINVAL, "a NUL byte");
            break;
        }
        if (j->in_comment_block) {
            if (word_is(p, e, "end comment") || word_is(p, e, "end test"))
                j->in_comment_block = 0;
            p = next;
            continue;
        }
        const char *s = skip_ws(p, e);
        if (s == e) { /* blank: ends a transaction */
            cur = NULL;
            p = next;
            continue;
        }
        if (s > p) { /* indented */
            if (*s == ';' || *s == '#') {
                if (cur && cur->kind == JT_TX) {
                    char **m = in_post ? &j->post[j->npost - 1].memo : &cur->memo;
                    rc = memo_add(j, m, s + 1, e, s);
                }
            } else if (cur && cur->kind == JT_TX) {
                /* beancount metadata "key: value" */
                const char *k = s;
                if (j->dialect == BO_JOURNAL_BEANCOUNT && *k >= 'a' && *k <= 'z') {
                    while (k < e && ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
                                     is_digit(*k) || *k == '_' || *k == '-'))
                        k++;
                    if (k < e && *k == ':') {
                        char **m = in_post ? &j->post[j->npost - 1].memo : &cur->memo;
                        rc = memo_add(j, m, s, e, s);
                        p = next;
                        continue;
                    }
                }
                rc = posting(j, cur, s, e);
                in_post = 1;
            } else if (!cur && j->dialect == BO_JOURNAL_BEANCOUNT) {
                /* metadata of a directive: read past */
            } else if (!cur) {
                /* sub-directives of account, commodity and the like */
            }
            p = next;
            continue;
        }
        /* column 1 */
        in_post = 0;
        cur = NULL;
        if (*s == ';' || *s == '#' || *s == '%' || *s == '|' || *s == '*') {
            if (!(j->dialect == BO_JOURNAL_BEANCOUNT && *s == '*'))
                { p = next; continue; }
            p = next; /* beancount org-mode headings */
            continue;
        }
        if (is_digit(*s))
            rc = dated(j, s, e, &cur);
        else
            rc = directive(j, s, e);
        p = next;
    }
    return rc;
}

/* ---- checks ------------------------------------------------------------------- */

static int pow10_of(int n, int64_t *out)
{
    if (n < 0 || n > 18)
        return BO_EOVERFLOW;
    int64_t v = 1;
    for (int i = 0; i < n; i++)
        v *= 10;
    *out = v;
    return 0;
}

/* a * b / 10^dec in minor units at exp decimals, exactly: 0, 1 (finer
 * than exp), BO_EOVERFLOW. */
static int scaled(int64_t a, int64_t b, int dec, int exp, int64_t *out)
{
    int64_t p, lo, hi;
    if (dec >= exp) {
        if (pow10_of(dec - exp, &p))
            return BO_EOVERFLOW;
        if (bo_money_muldiv(a, b, p, BO_ROUND_FLOOR, &lo) ||
            bo_money_muldiv(a, b, p, BO_ROUND_CEILING, &hi))
            return BO_EOVERFLOW;
        if (lo != hi)
            return 1;
        *out = lo;
        return 0;
    }
    if (pow10_of(exp - dec, &p) || bo_money_muldiv(a, b, 1, BO_ROUND_FLOOR, &lo) ||
        bo_money_muldiv(lo, p, 1, BO_ROUND_FLOOR, &hi))
        return BO_EOVERFLOW;
    *out = hi;
    return 0;
}

static int to_minor(jr *j, jnum n, int32_t cmd, int line, int col, const char *what,
                    int64_t *out)
{
    jcmd *c = &j->cmd[cmd];
    int rc = scaled(n.m, 1, n.d, c->exp, out);
    if (rc == 1)
        return fail_at(j, line, col, BO_EINVAL, "%s: %lld/10^%d %s is finer than %s's %d "
                       "decimals (refused, never rounded)", what, (long long)n.m, n.d, c->sym,
                       c->code, c->exp);
    if (rc)
        return fail_at(j, line, col, BO_EOVERFLOW, "%s: does not fit in minor units of %s",
                       what, c->code);
    return 0;
}

/* Commodity scales: a known currency's own, else the most decimals it is
 * written with. Then the book currency. */
static int scales(jr *j, const char *want_base)
{
    for (size_t i = 0; i < j->npost; i++) {
        jpost *x = &j->post[i];
        if (x->cmd >= 0 && x->q.d > j->cmd[x->cmd].maxdec)
            j->cmd[x->cmd].maxdec = x->q.d;
        if (x->cmd >= 0)
            j->cmd[x->cmd].uses++;
        if (x->ccmd >= 0)
            j->cmd[x->ccmd].cost_uses++;
        if (x->ccmd >= 0 && x->c.d > j->cmd[x->ccmd].maxdec)
            j->cmd[x->ccmd].maxdec = x->c.d;
    }
    for (size_t i = 0; i < j->ncmd; i++) {
        jcmd *c = &j->cmd[i];
        if (!c->known)
            c->exp = c->maxdec;
        /* two names for one code ("$" and "USD") */
        for (size_t k = 0; k < i; k++)
            if (!strcmp(j->cmd[k].code, c->code) && j->cmd[k].exp != c->exp)
                return fail_at(j, c->line, c->col, BO_ECURRENCY, "commodity '%s': written with "
                               "%d decimals, and as '%s' with %d", c->sym, c->exp,
                               j->cmd[k].sym, j->cmd[k].exp);
    }
    if (!want_base && j->oper[0] && !bo_currency_exponent(j->oper, &(int){ 0 }))
        want_base = j->oper;
    if (want_base) {
        snprintf(j->base, sizeof j->base, "%s", want_base);
        return 0;
    }
    int64_t best = -1;
    for (size_t i = 0; i < j->ncmd; i++) {
        int64_t score = j->cmd[i].cost_uses * 1000000 + j->cmd[i].uses;
        if (score > best) {
            best = score;
            snprintf(j->base, sizeof j->base, "%s", j->cmd[i].code);
        }
    }
    if (best < 0)
        snprintf(j->base, sizeof j->base, "USD");
    return 0;
}

static int same_code(const jr *j, int32_t a, int32_t b)
{
    return a == b || !strcmp(j->cmd[a].code, j->cmd[b].code);
}

/* Every transaction: minor units, weights, the left-out amount, balance. */
static int balance_txs(jr *j)
{
    int rc;
    int32_t sumc[64];
    int64_t sumv[64];
    for (size_t t = 0; t < j->ntx; t++) {
        jtx *tx = &j->tx[t];
        if (tx->kind != JT_TX)
            continue;
        int ns = 0;
        jpost *left = NULL;
        for (size_t i = tx->p0; i < tx->p0 + tx->np; i++) {
            jpost *x = &j->post[i];
            if (x->cmd < 0) {
                if (left)
                    return fail_at(j, x->line, x->col, BO_EINVAL, "a second posting without "
                                   "an amount (only one may be left out)");
                left = x;
                continue;
            }
            if ((rc = to_minor(j, x->q, x->cmd, x->line, x->qcol, "amount", &x->minor)))
                return rc;
            x->wcmd = x->cmd;
            x->wminor = x->minor;
            if (x->cost) {
                jcmd *cc = &j->cmd[x->ccmd];
                if (x->cost == JC_UNIT)
                    rc = scaled(x->q.m, x->c.m, x->q.d + x->c.d, cc->exp, &x->wminor);
                else {
                    rc = scaled(x->c.m, 1, x->c.d, cc->exp, &x->wminor);
                    if (!rc && x->q.m < 0)
                        rc = bo_money_neg(x->wminor, &x->wminor) ? BO_EOVERFLOW : 0;
                }
                if (rc == 1)
                    return fail_at(j, x->line, x->ccol, BO_EINVAL, "cost: the posting's cost "
                                   "is finer than %s's %d decimals (refused, never rounded)",
                                   cc->code, cc->exp);
                if (rc)
                    return fail_at(j, x->line, x->ccol, BO_EOVERFLOW, "cost: too large");
                x->wcmd = x->ccmd;
            }
            int k = 0;
            while (k < ns && !same_code(j, sumc[k], x->wcmd))
                k++;
            if (k == ns) {
                if (ns == 64)
                    return fail_at(j, tx->line, 1, BO_ELIMIT, "transaction: more than 64 "
                                   "commodities");
                sumc[ns] = x->wcmd;
                sumv[ns++] = 0;
            }
            if (bo_money_add(sumv[k], x->wminor, &sumv[k]))
                return fail_at(j, x->line, x->qcol, BO_EOVERFLOW, "transaction: its sum "
                               "overflows");
        }
        int open = 0, at = -1;
        for (int k = 0; k < ns; k++)
            if (sumv[k]) {
                open++;
                at = k;
            }
        if (left) {
            if (open > 1)
                return fail_at(j, left->line, left->col, BO_ENOTSUP, "the left-out amount "
                               "would be in %d commodities: write each", open);
            left->cmd = left->wcmd = open ? sumc[at] : -1;
            if (open && bo_money_neg(sumv[at], &left->minor))
                return fail_at(j, left->line, left->col, BO_EOVERFLOW, "amount: too large");
            left->wminor = left->minor;
            if (!open)
                left->cmd = -1; /* nothing left: the posting moves nothing */
            continue;
        }
        if (open) {
            char amt[48];
            bo__amount_str(sumv[at], j->cmd[sumc[at]].code, amt);
            return fail_at(j, tx->line, 1, BO_EUNBALANCED, "transaction: its postings sum to "
                           "%s, not 0 (a conversion needs a price: @ or @@)", amt);
        }
    }
    return 0;
}

/* Posting targets: an account holds one commodity (the first it sees, or
 * its beancount open's); another commodity goes to a child account named
 * by it ("Assets:Broker:AAPL"). Accounts that never hold anything take a
 * child's commodity, else the book's. */
static int targets(jr *j)
{
    int rc;
    for (size_t t = 0; t < j->ntx; t++) {
        jtx *tx = &j->tx[t];
        if (tx->kind != JT_TX)
            continue;
        for (size_t i = tx->p0; i < tx->p0 + tx->np; i++) {
            jpost *x = &j->post[i];
            x->target = x->acct;
            if (x->cmd < 0)
                continue;
            jacct *a = &j->acc[x->acct];
            if (a->cmd < 0)
                a->cmd = x->cmd;
            if (same_code(j, a->cmd, x->cmd))
                continue;
            char name[BO_CODE_MAX * 2];
            int n = snprintf(name, sizeof name, "%s:%s", a->name, j->cmd[x->cmd].code);
            if (n > BO_CODE_MAX)
                return fail_at(j, x->line, x->col, BO_ETOOLONG, "account '%s' holds %s besides "
                               "%s, and its child for it would be longer than %d bytes",
                               a->name, j->cmd[x->cmd].code, j->cmd[a->cmd].code, BO_CODE_MAX);
            int32_t c;
            j->ls = j->le = NULL;
            j->line = x->line;
            if ((rc = account(j, name, (size_t)n, NULL, &c)))
                return rc;
            if (j->acc[c].cmd < 0)
                j->acc[c].cmd = x->cmd;
            else if (!same_code(j, j->acc[c].cmd, x->cmd))
                return fail_at(j, x->line, x->col, BO_ECURRENCY, "account '%s' holds %s, and "
                               "%s, which its child '%s' cannot hold (it holds %s)", a->name,
                               j->cmd[a->cmd].code, j->cmd[x->cmd].code, name,
                               j->cmd[j->acc[c].cmd].code);
            x->target = c;
        }
    }
    /* the rest: a child's commodity, from the leaves up; else the book's */
    for (size_t i = j->nacc; i-- > 0;)
        if (j->acc[i].parent >= 0 && j->acc[j->acc[i].parent].cmd < 0)
            j->acc[j->acc[i].parent].cmd = j->acc[i].cmd;
    return 0;
}

/* ---- balance assertions --------------------------------------------------- */

static int64_t *bal_slot(jr *j, int32_t acct, int32_t cmd, int incl)
{
    int64_t key = ((int64_t)acct << 32) | (uint32_t)cmd;
    if ((j->bn + 1) * 2 > j->bcap) {
        size_t cap = j->bcap ? j->bcap * 2 : 256;
        int64_t *k = bo__malloc(cap * sizeof *k), *o = bo__calloc(cap, sizeof *o),
                *n = bo__calloc(cap, sizeof *n);
        if (!k || !o || !n) {
            bo__free(k);
            bo__free(o);
            bo__free(n);
            return NULL;
        }
        for (size_t i = 0; i < cap; i++)
            k[i] = -1;
        for (size_t i = 0; i < j->bcap; i++)
            if (j->bkey[i] >= 0) {
                size_t p = hash_str((const char *)&j->bkey[i], 8) & (cap - 1);
                while (k[p] >= 0)
                    p = (p + 1) & (cap - 1);
                k[p] = j->bkey[i];
                o[p] = j->bown[i];
                n[p] = j->bincl[i];
            }
        bo__free(j->bkey);
        bo__free(j->bown);
        bo__free(j->bincl);
        j->bkey = k;
        j->bown = o;
        j->bincl = n;
        j->bcap = cap;
    }
    size_t p = hash_str((const char *)&key, 8) & (j->bcap - 1);
    while (j->bkey[p] >= 0 && j->bkey[p] != key)
        p = (p + 1) & (j->bcap - 1);
    if (j->bkey[p] < 0) {
        j->bkey[p] = key;
        j->bn++;
    }
    return incl ? &j->bincl[p] : &j->bown[p];
}

static int bal_get(jr *j, int32_t acct, int32_t cmd, int incl, int64_t *out)
{
    int64_t v = 0;
    /* the same code under two names ("$", "USD") is one balance */
    for (size_t c = 0; c < j->ncmd; c++)
        if (same_code(j, (int32_t)c, cmd)) {
            int64_t *s = bal_slot(j, acct, (int32_t)c, incl);
            if (!s)
                return BO_ENOMEM;
            if (bo_money_add(v, *s, &v))
                return BO_EOVERFLOW;
        }
    *out = v;
    return 0;
}

static int by_date(const void *a, const void *b, void *u)
{
    const jr *j = u;
    const jtx *x = &j->tx[*(const int32_t *)a], *y = &j->tx[*(const int32_t *)b];
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A stable merge sort of the transactions' indexes by date. */
static void sort_idx(int32_t *v, int32_t *tmp, size_t n, jr *j)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort_idx(v, tmp, h, j);
    sort_idx(v + h, tmp, n - h, j);
    size_t a = 0, b = h, k = 0;
    while (a < h && b < n)
        tmp[k++] = by_date(&v[b], &v[a], j) < 0 ? v[b++] : v[a++];
    while (a < h)
        tmp[k++] = v[a++];
    while (b < n)
        tmp[k++] = v[b++];
    memcpy(v, tmp, n * sizeof *v);
}

static int check_assertion(jr *j, const jpost *x, bo_date date)
{
    int64_t want, have;
    int incl = x->asrt == JA_INCL || x->asrt == JA_INCL_TOTAL, rc;
    if ((rc = to_minor(j, x->a, x->acmd, x->line, x->acol, "balance assertion", &want)))
        return rc;
    if (bal_get(j, x->acct, x->acmd, incl, &have))
        return BO_ENOMEM;
    char d[11], h[48], w[48];
    bo__date_iso(date, d);
    if (have != want) {
        bo__amount_str(have, j->cmd[x->acmd].code, h);
        bo__amount_str(want, j->cmd[x->acmd].code, w);
        return fail_at(j, x->line, x->acol, BO_EUNBALANCED, "balance assertion: %s holds %s "
                       "on %s%s, not %s", j->acc[x->acct].name, h, d,
                       j->dialect == BO_JOURNAL_BEANCOUNT ? " (before that day)" : "", w);
    }
    if (x->asrt == JA_TOTAL || x->asrt == JA_INCL_TOTAL)
        for (size_t c = 0; c < j->ncmd; c++) {
            if (same_code(j, (int32_t)c, x->acmd))
                continue;
            if (bal_get(j, x->acct, (int32_t)c, incl, &have))
                return BO_ENOMEM;
            if (have) {
                bo__amount_str(have, j->cmd[c].code, h);
                return fail_at(j, x->line, x->acol, BO_EUNBALANCED, "balance assertion "
                               "(total): %s also holds %s on %s", j->acc[x->acct].name, h, d);
            }
        }
    return 0;
}

static int assertions(jr *j, int32_t *order)
{
    int rc;
    for (size_t k = 0; k < j->ntx; k++) {
        jtx *tx = &j->tx[order[k]];
        for (size_t i = tx->p0; i < tx->p0 + tx->np; i++) {
            jpost *x = &j->post[i];
            if (tx->kind == JT_TX && x->cmd >= 0) {
                int64_t *s = bal_slot(j, x->acct, x->cmd, 0);
                if (!s)
                    return BO_ENOMEM;
                if (bo_money_add(*s, x->minor, s))
                    return fail_at(j, x->line, x->col, BO_EOVERFLOW, "the balance of %s "
                                   "overflows", j->acc[x->acct].name);
                for (int32_t a = x->acct; a >= 0; a = j->acc[a].parent) {
                    if (!(s = bal_slot(j, a, x->cmd, 1)))
                        return BO_ENOMEM;
                    if (bo_money_add(*s, x->minor, s))
                        return fail_at(j, x->line, x->col, BO_EOVERFLOW, "the balance of %s "
                                       "overflows", j->acc[a].name);
                }
            }
            if (x->asrt && (rc = check_assertion(j, x, tx->date)))
                return rc;
        }
    }
    return 0;
}

/* Base values: a transaction with a cost carries each posting's value in
 * the book currency, which must then be exact (a posting in it, or a cost
 * in it). */
static int base_ok(jr *j)
{
    for (size_t t = 0; t < j->ntx; t++) {
        jtx *tx = &j->tx[t];
        int costs = 0;
        for (size_t i = tx->p0; tx->kind == JT_TX && i < tx->p0 + tx->np; i++)
            costs |= j->post[i].cost != JC_NONE;
        if (!costs)
            continue;
        for (size_t i = tx->p0; i < tx->p0 + tx->np; i++) {
            jpost *x = &j->post[i];
            if (x->cmd < 0)
                continue;
            if (strcmp(j->cmd[x->wcmd].code, j->base))
                return fail_at(j, x->line, x->col, BO_ENOTSUP, "a posting of %s valued in %s, "
                               "in a book in %s: its %s value is not known exactly",
                               j->cmd[x->cmd].code, j->cmd[x->wcmd].code, j->base, j->base);
        }
    }
    return 0;
}

static void model_free(jr *j)
{
    for (size_t i = 0; i < j->nacc; i++)
        bo__free(j->acc[i].name);
    for (size_t i = 0; i < j->ncmd; i++)
        bo__free(j->cmd[i].sym);
    for (size_t i = 0; i < j->ntx; i++)
        bo__free(j->tx[i].memo);
    for (size_t i = 0; i < j->npost; i++)
        bo__free(j->post[i].memo);
    bo__free(j->acc);
    bo__free(j->cmd);
    bo__free(j->tx);
    bo__free(j->post);
    bo__free(j->hacc.slot);
    bo__free(j->hcmd.slot);
    bo__free(j->bkey);
    bo__free(j->bown);
    bo__free(j->bincl);
}

/* Parse and check everything; *order receives the transactions by date. */
static int check_all(jr *j, const char *want_base, int32_t **order)
{
    int rc = parse(j);
    if (!rc && j->in_comment_block)
        rc = bo__error_set(BO_EINVAL, "%s:%d:1: a comment block is not ended", j->file, j->line);
    /* beancount: every account used is opened */
    for (size_t i = 0; !rc && j->dialect == BO_JOURNAL_BEANCOUNT && i < j->nacc; i++)
        if (j->acc[i].used && !j->acc[i].declared)
            rc = fail_at(j, j->acc[i].line, j->acc[i].col, BO_EINVAL, "account '%s' is not "
                         "opened (beancount needs an open directive)", j->acc[i].name);
    if (!rc)
        rc = scales(j, want_base);
    if (!rc)
        rc = balance_txs(j);
    if (!rc)
        rc = targets(j);
    if (!rc)
        rc = base_ok(j);
    if (rc)
        return rc;
    int32_t *v = bo__malloc((j->ntx + 1) * sizeof *v), *tmp = bo__malloc((j->ntx + 1) * sizeof *v);
    if (!v || !tmp) {
        bo__free(v);
        bo__free(tmp);
        return BO_ENOMEM;
    }
    for (size_t i = 0; i < j->ntx; i++)
        v[i] = (int32_t)i;
    sort_idx(v, tmp, j->ntx, j);
    bo__free(tmp);
    if ((rc = assertions(j, v))) {
        bo__free(v);
        return rc;
    }
    *order = v;
    return 0;
}

int bo__journal_check(const char *data, size_t len, int dialect, int64_t *accounts,
                      int64_t *entries)
{
    jr j;
    memset(&j, 0, sizeof j);
    j.file = "journal";
    j.dialect = dialect;
    j.dollar = "USD";
    j.data = data;
    j.len = len;
    int32_t *order = NULL;
    int rc = check_all(&j, NULL, &order);
    int64_t ne = 0;
    for (size_t i = 0; !rc && i < j.ntx; i++)
        ne += j.tx[i].kind == JT_TX;
    if (accounts)
        *accounts = rc ? 0 : (int64_t)j.nacc;
    if (entries)
        *entries = ne;
    bo__free(order);
    model_free(&j);
    return rc;
}

/* ---- writing ---------------------------------------------------------------- */

/* An account's code: its full name, with the spaces and commas a code
 * cannot hold written '_' ("Expenses:Eating out" -> "Expenses:Eating_out").
 * Two names that meet this way are refused when the second is added. */
static const char *code_of(const jacct *a, char out[BO_CODE_MAX + 1])
{
    size_t i = 0;
    for (; a->name[i] && i < BO_CODE_MAX; i++)
        out[i] = a->name[i] == ' ' || a->name[i] == ',' ? '_' : a->name[i];
    out[i] = '\0';
    return out;
}

static int write_accounts(jr *j, bo_book *b)
{
    int rc = 0;
    for (size_t i = 0; i < j->nacc && !rc; i++) {
        jacct *a = &j->acc[i];
        const char *last = strrchr(a->name, ':');
        const char *cur = a->cmd >= 0 ? j->cmd[a->cmd].code : j->base;
        char code[BO_CODE_MAX + 1], parent[BO_CODE_MAX + 1];
        if ((rc = bo_ledger_account_add(b, code_of(a, code), last ? last + 1 : a->name, a->type,
                                        a->parent >= 0 ? code_of(&j->acc[a->parent], parent)
                                                       : NULL, cur)))
            bo__error_prefix("%s:%d:%d: account '%s': ", j->file, a->line, a->col, a->name);
    }
    return rc;
}

static int write_tx(jr *j, bo_book *b, const jtx *tx, const char *dialect, int64_t *id)
{
    int costs = 0, n = 0, rc;
    *id = 0;
    for (size_t i = tx->p0; i < tx->p0 + tx->np; i++) {
        costs |= j->post[i].cost != JC_NONE;
        n += j->post[i].cmd >= 0 && j->post[i].minor != 0;
    }
    if (n == 0)
        return 0; /* moves nothing */
    bo_entry *e;
    if ((rc = bo_entry_new(&e, tx->date, tx->memo)))
        return rc;
    char key[BO_TEXT_MAX + 1];
    const char *base = strrchr(j->file, '/');
    snprintf(key, sizeof key, "%s:%.900s:%d", dialect, base ? base + 1 : j->file, tx->line);
    rc = bo_entry_set_key(e, key);
    for (size_t i = tx->p0; i < tx->p0 + tx->np && !rc; i++) {
        const jpost *x = &j->post[i];
        if (x->cmd < 0 || x->minor == 0)
            continue;
        char code[BO_CODE_MAX + 1];
        const char *cur = j->cmd[x->cmd].code;
        code_of(&j->acc[x->target], code);
        if (!costs)
            rc = bo_entry_add(e, code, x->minor, cur, x->memo);
        else
            rc = bo_entry_add_base(e, code, x->minor, cur, x->wminor, x->memo);
        if (rc)
            bo__error_prefix("%s:%d:%d: ", j->file, x->line, x->col);
    }
    if (!rc && (rc = bo_ledger_post(b, e, id)))
        bo__error_prefix("%s:%d:1: transaction: ", j->file, tx->line);
    bo_entry_free(e);
    return rc;
}

int bo_journal_options_init(bo_journal_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_JOURNAL_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_JOURNAL_OPTIONS_VERSION);
    bo_journal_options init = BO_JOURNAL_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static const char *dialect_name(int d)
{
    return d == BO_JOURNAL_LEDGER ? "ledger" : d == BO_JOURNAL_BEANCOUNT ? "beancount"
                                                                          : "hledger";
}

/* The options checked; the dialect from the file's name when AUTO. */
int bo__journal_options(const bo_journal_options *opts, const char *path,
                        bo_journal_options *out)
{
    bo_journal_options o = BO_JOURNAL_OPTIONS_INIT;
    int rc;
    if (opts) {
        if (opts->version < 1 || opts->version > BO_JOURNAL_OPTIONS_VERSION)
            return bo__error_set(BO_EINVAL, "options: version %u is not %d", opts->version,
                                 BO_JOURNAL_OPTIONS_VERSION);
        o = *opts;
    }
    if (o.dialect < BO_JOURNAL_AUTO || o.dialect > BO_JOURNAL_BEANCOUNT)
        return bo__error_set(BO_EINVAL, "dialect: %d is not a bo_journal_dialect", o.dialect);
    if (o.dialect == BO_JOURNAL_AUTO) {
        const char *dot = strrchr(path, '.');
        if (dot && (!strcmp(dot, ".beancount") || !strcmp(dot, ".bean")))
            o.dialect = BO_JOURNAL_BEANCOUNT;
        else if (dot && (!strcmp(dot, ".ledger") || !strcmp(dot, ".dat")))
            o.dialect = BO_JOURNAL_LEDGER;
        else
            o.dialect = BO_JOURNAL_HLEDGER;
    }
    int exp;
    if (o.base_currency && ((rc = bo__text_check("base_currency", o.base_currency, 16, false,
                                                 false)) ||
                            (rc = bo_currency_exponent(o.base_currency, &exp))))
        return rc;
    if (o.dollar && (rc = bo_currency_exponent(o.dollar, &exp)))
        return bo__error_set(BO_ECURRENCY, "dollar: '%s' is not a currency", o.dollar);
    if (!o.dollar)
        o.dollar = "USD";
    *out = o;
    return 0;
}

int bo__read_file(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return bo__error_set(BO_EIO, "%s: cannot be opened: %s", path, strerror(errno));
    bo__buf b = BO__BUF_INIT;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > J_FILE_MAX)
            rc = bo__error_set(BO_ELIMIT, "%s: larger than 1 GiB", path);
        else if (bo__buf_put(&b, chunk, n))
            rc = BO_ENOMEM;
    }
    if (!rc && ferror(f))
        rc = bo__error_set(BO_EIO, "%s: cannot be read: %s", path, strerror(errno));
    fclose(f);
    if (rc) {
        bo__buf_free(&b);
        return rc;
    }
    if (!b.ptr && bo__buf_put(&b, "", 0))
        return BO_ENOMEM;
    *out = b.ptr;
    *len = b.len;
    return 0;
}

/* ---- provenance ---------------------------------------------------------------
 * Each account and transaction read becomes a provenance row (system the
 * dialect, source the file's name, or the journal's given source): an
 * account's object "account:NAME", a transaction's "tx:DATE#N" (the N-th
 * transaction of that date in the file), the digest the SHA-256 of what the
 * file says of it (its postings with their exact amounts, costs, memos). */

typedef struct jprov {
    bo__prov_item *items;
    char **texts; /* the objects (2 per item: object, digest) */
    size_t n;
    const char *system;
    char source[BO_TEXT_MAX + 1];
} jprov;

static void prov_free(jprov *p)
{
    for (size_t i = 0; p->texts && i < 2 * p->n; i++)
        bo__free(p->texts[i]);
    bo__free(p->texts);
    bo__free(p->items);
    memset(p, 0, sizeof *p);
}

/* texts[2i + which] = prefix a suffix */
static int prov_text(jprov *p, size_t i, int which, const char *prefix, const char *a,
                     const char *suffix)
{
    size_t la = strlen(prefix), lb = strlen(a), lc = strlen(suffix);
    char *t = bo__malloc(la + lb + lc + 1);
    if (!t)
        return BO_ENOMEM;
    memcpy(t, prefix, la);
    memcpy(t + la, a, lb);
    memcpy(t + la + lb, suffix, lc + 1);
    p->texts[2 * i + (size_t)which] = t;
    return 0;
}

static void sha_jnum(bo__sha *h, jnum n)
{
    bo__sha_field_int(h, n.m);
    bo__sha_field_int(h, n.d);
}

static int prov_model(jr *j, const int32_t *order, jprov *p)
{
    size_t ntx = 0;
    for (size_t i = 0; i < j->ntx; i++)
        ntx += j->tx[i].kind == JT_TX;
    p->n = j->nacc + ntx;
    p->items = bo__calloc(p->n + 1, sizeof *p->items);
    p->texts = bo__calloc(2 * p->n + 1, sizeof *p->texts);
    if (!p->items || !p->texts)
        return BO_ENOMEM;
    int rc = 0;
    char hex[65];
    for (size_t i = 0; i < j->nacc && !rc; i++) {
        const jacct *a = &j->acc[i];
        bo__sha h;
        bo__sha_init(&h);
        bo__sha_field_int(&h, a->type);
        bo__sha_field(&h, a->cmd >= 0 ? j->cmd[a->cmd].code : j->base,
                      strlen(a->cmd >= 0 ? j->cmd[a->cmd].code : j->base));
        bo__sha_field_int(&h, a->closed);
        bo__sha_hex(&h, hex);
        if (!(rc = prov_text(p, i, 0, "account:", a->name, "")))
            rc = prov_text(p, i, 1, "", hex, "");
        p->items[i].kind = "account";
    }
    size_t k = j->nacc;
    int same = 0;
    bo_date last = 0;
    for (size_t o = 0; o < j->ntx && !rc; o++) {
        const jtx *t = &j->tx[order[o]];
        if (t->kind != JT_TX)
            continue;
        same = k > j->nacc && t->date == last ? same + 1 : 1;
        last = t->date;
        char date[16];
        bo_date_format(t->date, date, sizeof date);
        bo__sha h;
        bo__sha_init(&h);
        bo__sha_field(&h, date, strlen(date));
        bo__sha_field(&h, t->memo, t->memo ? strlen(t->memo) : 0);
        for (size_t i = t->p0; i < t->p0 + t->np; i++) {
            const jpost *x = &j->post[i];
            bo__sha_field(&h, j->acc[x->acct].name, strlen(j->acc[x->acct].name));
            bo__sha_field(&h, x->cmd >= 0 ? j->cmd[x->cmd].code : "",
                          x->cmd >= 0 ? strlen(j->cmd[x->cmd].code) : 0);
            sha_jnum(&h, x->q);
            bo__sha_field_int(&h, x->cost);
            sha_jnum(&h, x->c);
            bo__sha_field(&h, x->ccmd >= 0 ? j->cmd[x->ccmd].code : "",
                          x->ccmd >= 0 ? strlen(j->cmd[x->ccmd].code) : 0);
            bo__sha_field_int(&h, x->minor);
            bo__sha_field_int(&h, x->wminor);
            bo__sha_field(&h, x->memo, x->memo ? strlen(x->memo) : 0);
        }
        bo__sha_hex(&h, hex);
        char nth[16];
        snprintf(nth, sizeof nth, "#%d", same);
        if (!(rc = prov_text(p, k, 0, "tx:", date, nth)))
            rc = prov_text(p, k, 1, "", hex, "");
        p->items[k].kind = "transaction";
        k++;
    }
    for (size_t i = 0; i < p->n; i++) {
        p->items[i].object = p->texts[2 * i];
        p->items[i].digest = p->texts[2 * i + 1];
    }
    return rc;
}

/* Read, parse and check the journal at path: the model, its transactions
 * by date, its provenance. */
static int read_journal(const char *path, const bo_journal_options *opts, bo_journal_options *o,
                        jr *j, char **data, int32_t **order, jprov *p)
{
    int rc;
    memset(j, 0, sizeof *j);
    memset(p, 0, sizeof *p);
    *data = NULL;
    *order = NULL;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = bo__journal_options(opts, path, o)))
        return rc;
    j->file = path;
    j->dialect = o->dialect;
    j->dollar = o->dollar;
    if ((rc = bo__read_file(path, data, &j->len)))
        return rc;
    j->data = *data;
    rc = check_all(j, o->base_currency, order);
    /* commodities that are not currencies become currencies of the
     * process at the scale the file writes them with */
    for (size_t i = 0; !rc && i < j->ncmd; i++)
        if (!j->cmd[i].known && (rc = bo_currency_register(j->cmd[i].code, j->cmd[i].exp)))
            bo__error_prefix("%s:%d:%d: commodity '%s': ", path, j->cmd[i].line, j->cmd[i].col,
                             j->cmd[i].sym);
    if (!rc) {
        const char *slash = strrchr(path, '/');
        p->system = dialect_name(o->dialect);
        snprintf(p->source, sizeof p->source, "%s", slash ? slash + 1 : path);
        rc = prov_model(j, *order, p);
    }
    return rc;
}

/* What book holds of the journal, compared: *known 0 when nothing. */
static int compare(jprov *p, bo_book *b, bo__prov_diff *d, int counts[3], int *known)
{
    bo__prov_row *rows;
    size_t n;
    int rc = bo__prov_load(b, p->system, p->source, &rows, &n);
    if (rc)
        return rc;
    *known = n > 0;
    rc = bo__prov_compare(rows, n, p->items, p->n, d, counts);
    bo__prov_free(rows, n);
    return rc;
}

static int write_all(jr *j, bo_book *b, const int32_t *order, jprov *p)
{
    int rc = 0;
    /* the scales of the commodities that are not ISO currencies stay
     * with the book ("book.currency.CODE"), for the processes that
     * read it later (the journal export registers them) */
    for (size_t i = 0; i < j->ncmd && !rc; i++) {
        if (j->cmd[i].known)
            continue;
        char key[BO_CURRENCY_MAX + 16], obj[BO_CURRENCY_MAX + 32], v[8];
        snprintf(key, sizeof key, "currency.%s", j->cmd[i].code);
        snprintf(obj, sizeof obj, "setting:book.%s", key);
        snprintf(v, sizeof v, "%d", j->cmd[i].exp);
        if (!(rc = bo__setting_put(b, "book", key, v)))
            rc = bo__audit_append(b, "book.currency.register", obj, v);
    }
    if (!rc)
        rc = write_accounts(j, b);
    char record[BO_CODE_MAX + 32];
    for (size_t i = 0; i < j->nacc && !rc; i++) {
        char code[BO_CODE_MAX + 1];
        snprintf(record, sizeof record, "account:%s", code_of(&j->acc[i], code));
        rc = bo__prov_put(b, p->system, p->source, p->items[i].object, p->items[i].digest,
                          record, NULL);
    }
    size_t k = j->nacc;
    for (size_t o = 0; o < j->ntx && !rc; o++) {
        if (j->tx[order[o]].kind != JT_TX)
            continue;
        int64_t id = 0;
        if ((rc = write_tx(j, b, &j->tx[order[o]], p->system, &id)))
            break;
        if (id)
            snprintf(record, sizeof record, "entry:%lld", (long long)id);
        else
            record[0] = '\0'; /* moves nothing: no entry */
        rc = bo__prov_put(b, p->system, p->source, p->items[k].object, p->items[k].digest,
                          record, NULL);
        k++;
    }
    for (size_t i = 0; i < j->nacc && !rc; i++)
        if (j->acc[i].closed)
            rc = bo_ledger_account_close(b, j->acc[i].name);
    if (!rc)
        rc = bo__prov_seal(b, p->system, p->source, (int64_t)p->n);
    return rc;
}

int bo_book_import_journal(const char *uri, const char *path, const bo_book_options *book,
                           const bo_journal_options *opts)
{
    bo__error_clear();
    bo_journal_options o = BO_JOURNAL_OPTIONS_INIT;
    int rc;
    if ((rc = bo__text_check("uri", uri, 4096, false, false)))
        return rc;
    jr j;
    jprov p;
    char *data = NULL;
    int32_t *order = NULL;
    rc = read_journal(path, opts, &o, &j, &data, &order, &p);
    bo_book *b = NULL;
    if (!rc) {
        bo_book_options bo = BO_BOOK_OPTIONS_INIT;
        if (book)
            bo = *book;
        bo.create = 1;
        bo.base_currency = j.base;
        rc = bo_book_open(&b, uri, &bo);
    }
    int has_accounts = 0, write = !rc;
    if (!rc) {
        bo_cursor *c = NULL;
        if (!(rc = bo_ledger_accounts(b, &c)))
            has_accounts = bo_cursor_next(c) == 0;
        bo_cursor_free(c);
    }
    /* again: what the book holds of this journal decides */
    if (!rc && has_accounts) {
        bo__prov_diff d = { NULL, 0, 0 };
        int counts[3] = { 0, 0, 0 }, known = 0;
        write = 0;
        if ((rc = compare(&p, b, &d, counts, &known)))
            ;
        else if (!known)
            rc = bo__error_set(BO_EEXISTS, "%s: the book already has accounts (and none "
                               "imported from %s journal %s)", uri, p.system, p.source);
        else if (counts[0] || counts[1] || counts[2]) {
            const bo__cell *c = d.cells;
            rc = bo__error_set(BO_ECONFLICT, "%s: changed since it was imported: %d added, "
                               "%d changed, %d missing (first: %s %s %s); nothing written "
                               "(bo_book_journal_diff lists them)", path, counts[0],
                               counts[1], counts[2], c[1].text, c[2].text, c[0].text);
        }
        bo__prov_diff_free(&d);
    }
    if (!rc && write && !(rc = bo_book_begin(b))) {
        rc = write_all(&j, b, order, &p);
        if (!rc)
            rc = bo_book_commit(b);
        else {
            bo__error_state es;
            bo__error_save(&es);
            bo_book_rollback(b);
            bo__error_restore(&es);
        }
    }
    bo_book_free(b);
    bo__free(order);
    prov_free(&p);
    model_free(&j);
    bo__free(data);
    if (rc)
        bo__error_prefix("%s import: ", dialect_name(o.dialect));
    return rc;
}

int bo_book_journal_diff(bo_book *book, const char *path, const bo_journal_options *opts,
                         bo_cursor **out)
{
    bo__error_clear();
    if (out)
        *out = NULL;
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "%s: NULL", book ? "out" : "book");
    bo_journal_options o = BO_JOURNAL_OPTIONS_INIT;
    jr j;
    jprov p;
    char *data = NULL;
    int32_t *order = NULL;
    int rc = read_journal(path, opts, &o, &j, &data, &order, &p), counts[3] = { 0, 0, 0 };
    int known = 0;
    bo__prov_diff d = { NULL, 0, 0 };
    if (!rc)
        rc = bo__require(book, BO__P_LEDGER_READ);
    if (!rc)
        rc = compare(&p, book, &d, counts, &known);
    if (!rc)
        rc = bo__prov_diff_cursor(&d, out);
    bo__prov_diff_free(&d);
    bo__free(order);
    prov_free(&p);
    model_free(&j);
    bo__free(data);
    if (rc)
        bo__error_prefix("%s diff: ", dialect_name(o.dialect));
    return rc;
}
