/*
 * ISO 20022 camt.053 (BankToCustomerStatement), the subset a statement
 * needs: the opening (OPBD/PRCD) and closing (CLBD) balances and each entry
 * (Ntry) with its amount, credit/debit indicator, booking date, the bank's
 * reference (AcctSvcrRef, else NtryRef) and the first unstructured
 * remittance text. A small, strict XML scanner: elements, attributes,
 * comments, processing instructions, CDATA and the five predefined
 * entities; a DOCTYPE (and so any entity definition) is refused. Errors
 * name the line and column.
 *
 * Limits (docs/billing.md): the scanner is a loop with a stack of open
 * elements DEPTH_MAX deep (camt.053 itself nests 12 levels), element text
 * up to BO_TEXT_MAX bytes, names up to 63 bytes; a deeper document is
 * BO_ELIMIT at the element that goes too deep, and the statement's lines
 * are bounded by BO_BILLING_STATEMENT_LINES_MAX (bo__bank_push). Nothing in
 * it recurses, so a hostile file costs one pass over its bytes.
 */
#include "billing/bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 32
#define NAME_MAX_ 64

typedef struct camt {
    const char *data; /* the whole document (for columns in messages) */
    const char *p;
    int line;
    char stack[DEPTH_MAX][NAME_MAX_];
    int depth;
    char text[BO_TEXT_MAX + 1];
    size_t tlen;
    char ccy[16]; /* Ccy attribute of the last Amt */
    const char *cur;
    /* the balance or entry being read */
    char bal_type[8], amt[64], amt_ccy[16], ind[8], date[16], ref[BO_TEXT_MAX + 1],
        ntry_ref[BO_TEXT_MAX + 1], memo[BO_TEXT_MAX + 1];
    int start_line;
    int have_open, have_close;
    bo__bank_file *f;
} camt;

/* code with "line L, column C: what" for the position at, on line. */
static int fail_at(const camt *c, const char *at, int line, int code,
                   const char *what)
{
    const char *s = at;
    while (s > c->data && s[-1] != '\n')
        s--;
    int col = 1;
    for (; s < at; s++)
        col += ((unsigned char)*s & 0xC0) != 0x80;
    return bo__error_set(code, "line %d, column %d: %s", line, col, what);
}

static int fail(camt *c, const char *what)
{
    return fail_at(c, c->p, c->line, BO_EINVAL, what);
}

static int is_name(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == ':' || ch == '_' || ch == '-' || ch == '.';
}

/* Read a name at c->p into out (local part, without a prefix). */
static int read_name(camt *c, char out[NAME_MAX_])
{
    size_t n = 0;
    const char *start = c->p;
    while (is_name(*c->p)) {
        if (n >= NAME_MAX_ - 1)
            return fail(c, "name too long");
        out[n++] = *c->p++;
    }
    out[n] = '\0';
    if (!n)
        return fail(c, "expected a name");
    (void)start;
    char *colon = strrchr(out, ':');
    if (colon)
        memmove(out, colon + 1, strlen(colon));
    return 0;
}

static void skip_space(camt *c)
{
    while (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n') {
        if (*c->p == '\n')
            c->line++;
        c->p++;
    }
}

static int text_put(camt *c, char ch)
{
    if (c->tlen >= BO_TEXT_MAX)
        return bo__error_set(BO_ETOOLONG, "line %d: text longer than %d bytes",
                             c->line, BO_TEXT_MAX);
    c->text[c->tlen++] = ch;
    c->text[c->tlen] = '\0';
    return 0;
}

/* An entity at c->p (after '&'): the five predefined and &#N; / &#xN; for
 * ASCII only. */
static int entity(camt *c, char *out)
{
    static const struct { const char *name; char ch; } ents[] = {
        { "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
    };
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        size_t n = strlen(ents[i].name);
        if (!strncmp(c->p, ents[i].name, n)) {
            c->p += n;
            *out = ents[i].ch;
            return 0;
        }
    }
    if (*c->p == '#') {
        char *end;
        long v = c->p[1] == 'x' ? strtol(c->p + 2, &end, 16) : strtol(c->p + 1, &end, 10);
        if (*end == ';' && v >= 32 && v < 127) {
            c->p = end + 1;
            *out = (char)v;
            return 0;
        }
    }
    return fail(c, "unknown or unsupported entity");
}

static const char *parent(const camt *c, int up)
{
    return c->depth - 1 - up >= 0 ? c->stack[c->depth - 1 - up] : "";
}

static int in(const camt *c, const char *name)
{
    for (int i = 0; i < c->depth; i++)
        if (!strcmp(c->stack[i], name))
            return 1;
    return 0;
}

/* Copy a field's text; text that does not fit is refused, never cut (a
 * cut amount would be another amount). */
static int copy(camt *c, char *dst, size_t size, const char *src,
                const char *field)
{
    size_t n = strlen(src);
    if (n >= size)
        return bo__error_set(BO_ETOOLONG, "line %d: %s: longer than %zu bytes",
                             c->line, field, size - 1);
    memcpy(dst, src, n + 1);
    return 0;
}

static int amount_of(camt *c, int64_t *out)
{
    if (strcmp(c->amt_ccy, c->cur))
        return bo__error_set(BO_ECURRENCY, "line %d: currency %s differs from the "
                             "account's %s", c->line, c->amt_ccy[0] ? c->amt_ccy : "(none)",
                             c->cur);
    if (bo__bank_amount(c->amt, '.', c->cur, out))
        return fail(c, "Amt: not an amount");
    if (!strcmp(c->ind, "DBIT")) {
        if (bo_money_neg(*out, out))
            return bo__error_set(BO_EOVERFLOW, "line %d: Amt: a debit of this "
                                 "amount overflows", c->line);
    } else if (strcmp(c->ind, "CRDT"))
        return fail(c, "CdtDbtInd: expected CRDT or DBIT");
    return 0;
}

static int end_element(camt *c, const char *name)
{
    const char *up = parent(c, 1);
    int rc;
    if (!strcmp(name, "Amt") && (!strcmp(up, "Ntry") || !strcmp(up, "Bal"))) {
        if ((rc = copy(c, c->amt, sizeof c->amt, c->text, "Amt")) ||
            (rc = copy(c, c->amt_ccy, sizeof c->amt_ccy, c->ccy, "Ccy")))
            return rc;
    } else if (!strcmp(name, "CdtDbtInd") && (!strcmp(up, "Ntry") || !strcmp(up, "Bal"))) {
        if ((rc = copy(c, c->ind, sizeof c->ind, c->text, "CdtDbtInd")))
            return rc;
    } else if (!strcmp(name, "Cd") && in(c, "Bal") && in(c, "Tp")) {
        if ((rc = copy(c, c->bal_type, sizeof c->bal_type, c->text, "Cd")))
            return rc;
    } else if ((!strcmp(name, "Dt") || !strcmp(name, "DtTm")) && !strcmp(up, "BookgDt")) {
        /* A DtTm's date is its first ten characters; the time is dropped. */
        size_t n = strlen(c->text);
        if (n < 10)
            return fail(c, "BookgDt: expected a date");
        memcpy(c->date, c->text, 10);
        c->date[10] = '\0';
    } else if (!strcmp(name, "AcctSvcrRef") && !strcmp(up, "Ntry")) {
        if ((rc = copy(c, c->ref, sizeof c->ref, c->text, "AcctSvcrRef")))
            return rc;
    } else if (!strcmp(name, "NtryRef") && !strcmp(up, "Ntry")) {
        if ((rc = copy(c, c->ntry_ref, sizeof c->ntry_ref, c->text, "NtryRef")))
            return rc;
    } else if (!strcmp(name, "Ustrd") && in(c, "Ntry") && !c->memo[0]) {
        if ((rc = copy(c, c->memo, sizeof c->memo, c->text, "Ustrd")))
            return rc;
    } else if (!strcmp(name, "Bal")) {
        int64_t v;
        if ((rc = amount_of(c, &v)))
            return rc;
        if (!strcmp(c->bal_type, "OPBD") || !strcmp(c->bal_type, "PRCD")) {
            c->f->opening = v;
            c->have_open = 1;
        } else if (!strcmp(c->bal_type, "CLBD")) {
            c->f->closing = v;
            c->have_close = 1;
        }
    } else if (!strcmp(name, "Ntry")) {
        bo__bank_line l;
        memset(&l, 0, sizeof l);
        l.line_no = c->start_line;
        int save = c->line;
        c->line = c->start_line;
        if ((rc = amount_of(c, &l.amount)))
            return rc;
        if (l.amount == 0)
            return fail(c, "Amt: zero");
        if (bo_date_parse(c->date, &l.date))
            return fail(c, "BookgDt: not a date");
        c->line = save;
        const char *ref = c->ref[0] ? c->ref : c->ntry_ref;
        if (bo__text_check("memo", c->memo, BO_TEXT_MAX, false, true) ||
            bo__text_check("reference", ref, BO_TEXT_MAX, false, true))
            return bo__error_prefix("line %d: ", c->start_line);
        if ((ref[0] && !(l.reference = bo__strdup(ref))) || !(l.memo = bo__strdup(c->memo))) {
            bo__free(l.reference);
            return BO_ENOMEM;
        }
        if ((rc = bo__bank_push(c->f, &l))) {
            bo__free(l.reference);
            bo__free(l.memo);
            return rc;
        }
    }
    return 0;
}

static void start_element(camt *c, const char *name)
{
    if (!strcmp(name, "Ntry") || !strcmp(name, "Bal")) {
        c->start_line = c->line;
        c->amt[0] = c->amt_ccy[0] = c->ind[0] = c->date[0] = c->ref[0] = '\0';
        c->ntry_ref[0] = c->memo[0] = c->bal_type[0] = '\0';
    }
}

static int tag(camt *c)
{
    int rc;
    char name[NAME_MAX_];
    const char *at = c->p;
    int at_line = c->line;
    if (!strncmp(c->p, "<?", 2) || !strncmp(c->p, "<!--", 4)) {
        const char *end = c->p[1] == '?' ? "?>" : "-->";
        const char *e = strstr(c->p, end);
        if (!e)
            return fail(c, "not closed");
        for (; c->p < e; c->p++)
            c->line += *c->p == '\n';
        c->p += strlen(end);
        return 0;
    }
    if (!strncmp(c->p, "<![CDATA[", 9)) {
        const char *e = strstr(c->p, "]]>");
        if (!e)
            return fail(c, "CDATA not closed");
        for (c->p += 9; c->p < e; c->p++) {
            c->line += *c->p == '\n';
            if ((rc = text_put(c, *c->p)))
                return rc;
        }
        c->p += 3;
        return 0;
    }
    if (c->p[1] == '!')
        return fail(c, "DOCTYPE and declarations are not accepted");
    if (c->p[1] == '/') {
        c->p += 2;
        if ((rc = read_name(c, name)))
            return rc;
        skip_space(c);
        if (*c->p != '>')
            return fail(c, "expected '>'");
        c->p++;
        if (!c->depth || strcmp(c->stack[c->depth - 1], name))
            return fail(c, "closing tag does not match the open element");
        rc = end_element(c, name);
        c->depth--;
        c->tlen = 0;
        c->text[0] = '\0';
        return rc;
    }
    c->p++;
    if ((rc = read_name(c, name)))
        return rc;
    c->ccy[0] = '\0';
    for (;;) {
        skip_space(c);
        if (*c->p == '>' || (*c->p == '/' && c->p[1] == '>'))
            break;
        char attr[NAME_MAX_];
        if ((rc = read_name(c, attr)))
            return rc;
        skip_space(c);
        if (*c->p++ != '=')
            return fail(c, "attribute without a value");
        skip_space(c);
        char q = *c->p++;
        if (q != '"' && q != '\'')
            return fail(c, "attribute value not quoted");
        const char *start = c->p;
        while (*c->p && *c->p != q && *c->p != '<')
            c->line += *c->p++ == '\n';
        if (*c->p != q)
            return fail(c, "attribute value not closed");
        if (!strcmp(attr, "Ccy")) {
            size_t n = (size_t)(c->p - start);
            if (n >= sizeof c->ccy)
                return fail(c, "Ccy: too long");
            memcpy(c->ccy, start, n);
            c->ccy[n] = '\0';
        }
        c->p++;
    }
    if (c->depth == DEPTH_MAX) {
        char msg[64];
        snprintf(msg, sizeof msg, "elements nested deeper than %d levels", DEPTH_MAX);
        return fail_at(c, at, at_line, BO_ELIMIT, msg);
    }
    memcpy(c->stack[c->depth++], name, NAME_MAX_); /* read_name bounds it */
    c->tlen = 0;
    c->text[0] = '\0';
    start_element(c, name);
    if (*c->p == '/') {
        c->p += 2;
        rc = end_element(c, name);
        c->depth--;
        return rc;
    }
    c->p++;
    return 0;
}

int bo__bank_parse_camt053(const char *data, const char *cur, bo__bank_file *f)
{
    camt *c = bo__calloc(1, sizeof *c);
    if (!c)
        return BO_ENOMEM;
    c->data = c->p = data;
    c->line = 1;
    c->cur = cur;
    c->f = f;
    int rc = 0, seen_root = 0;
    if (!strncmp(c->p, "\xEF\xBB\xBF", 3))
        c->p += 3;
    while (!rc && *c->p) {
        if (*c->p == '<') {
            seen_root |= c->p[1] != '?' && c->p[1] != '!';
            rc = tag(c);
        } else if (*c->p == '&') {
            char ch = 0;
            c->p++;
            if (!(rc = entity(c, &ch)))
                rc = text_put(c, ch);
        } else {
            if (!c->depth && *c->p != ' ' && *c->p != '\n' && *c->p != '\r' && *c->p != '\t')
                rc = fail(c, "text outside the document element");
            else if (c->depth)
                rc = text_put(c, *c->p);
            c->line += *c->p++ == '\n';
        }
    }
    if (!rc && (c->depth || !seen_root))
        rc = fail(c, "document ends inside an element");
    if (!rc && !(c->have_open && c->have_close))
        rc = bo__error_set(BO_EINVAL, "statement: needs an opening (OPBD) and a closing "
                           "(CLBD) balance");
    int64_t sum = 0;
    if (!rc && !(rc = bo__bank_mark_dups(f, &sum))) {
        if (bo_money_add(sum, f->opening, &sum))
            rc = bo__error_set(BO_EOVERFLOW, "statement: amounts overflow");
        else if (sum != f->closing)
            rc = bo__error_set(BO_EINVAL, "statement: opening balance plus entries "
                               "differs from the closing balance");
    }
    bo__free(c);
    return rc;
}
