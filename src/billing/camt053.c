/*
 * ISO 20022 camt.053 (BankToCustomerStatement), the subset a statement
 * needs: the opening (OPBD/PRCD) and closing (CLBD) balances and each entry
 * (Ntry) with its amount, credit/debit indicator, booking date, the bank's
 * reference (AcctSvcrRef, else NtryRef) and the first unstructured
 * remittance text. Read through the book's one XML library (util/xml.h,
 * libxml2): a DOCTYPE (and so any entity definition) is refused, no DTD is
 * loaded and the network is never used; errors name the line and column.
 *
 * Limits (docs/billing.md): elements nest at most DEPTH_MAX deep (camt.053
 * itself nests 12 levels), element text up to BO_TEXT_MAX bytes; a deeper
 * document is BO_ELIMIT at the element that goes too deep, and the
 * statement's lines are bounded by BO_BILLING_STATEMENT_LINES_MAX
 * (bo__bank_push). Nothing in it recurses, so a hostile file costs one pass
 * over its bytes.
 */
#include "billing/bank.h"
#include "util/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 32
#define NAME_MAX_ 64

typedef struct camt {
    bo__xml *x; /* the parse under way (for lines in messages) */
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

/* At the current tag, or at c->line when an entry is checked as a whole
 * (its amount and date are named by the Ntry's own line). */
static int fail(camt *c, const char *what)
{
    if (c->line != bo__xml_line(c->x))
        return bo__error_set(BO_EINVAL, "line %d: %s", c->line, what);
    return bo__xml_fail(c->x, BO_EINVAL, "%s", what);
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

static int on_start(bo__xml *x, void *user, const char *name, const bo__xml_attr *attrs,
                    int nattrs)
{
    camt *c = user;
    c->x = x;
    c->line = bo__xml_line(x);
    c->ccy[0] = '\0';
    const bo__xml_attr *ccy = bo__xml_attr_find(attrs, nattrs, "Ccy");
    if (ccy) {
        if (ccy->len >= sizeof c->ccy)
            return fail(c, "Ccy: too long");
        memcpy(c->ccy, ccy->value, ccy->len);
        c->ccy[ccy->len] = '\0';
    }
    /* util/xml.c bounds the depth at DEPTH_MAX; names longer than the
     * stack's slots are cut only in the stack, where they match nothing
     * camt.053 names. */
    snprintf(c->stack[c->depth++], NAME_MAX_, "%s", name);
    c->tlen = 0;
    c->text[0] = '\0';
    start_element(c, name);
    return 0;
}

static int on_end(bo__xml *x, void *user, const char *name)
{
    camt *c = user;
    c->x = x;
    c->line = bo__xml_line(x);
    int rc = end_element(c, name);
    c->depth--;
    c->tlen = 0;
    c->text[0] = '\0';
    return rc;
}

static int on_text(bo__xml *x, void *user, const char *s, size_t n)
{
    camt *c = user;
    if (!c->depth)
        return 0;
    if (n > BO_TEXT_MAX - c->tlen)
        return bo__error_set(BO_ETOOLONG, "line %d: text longer than %d bytes",
                             bo__xml_line(x), BO_TEXT_MAX);
    memcpy(c->text + c->tlen, s, n);
    c->tlen += n;
    c->text[c->tlen] = '\0';
    return 0;
}

int bo__bank_parse_camt053(const char *data, const char *cur, bo__bank_file *f)
{
    camt *c = bo__calloc(1, sizeof *c);
    if (!c)
        return BO_ENOMEM;
    c->line = 1;
    c->cur = cur;
    c->f = f;
    static const bo__xml_handlers h = { on_start, on_end, on_text };
    int rc = bo__xml_parse(data, strlen(data), DEPTH_MAX, &h, c);
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
