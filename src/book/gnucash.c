/*
 * A GnuCash book (the gzip-compressed XML file, format "2.0.0" of GnuCash
 * 2.6 to 5) read into a new book (docs/import-export.md, "GnuCash in").
 *
 * Shape of the work: the file is read whole through the book's one XML
 * reader (util/xml.h: gzip through libxml2's zlib, no DTD, no entities,
 * a depth limit) into a model in memory; the model is checked whole
 * (currencies, the account tree from parent ids, every amount exact at its
 * currency's scale, dates) before the new book is created; then accounts
 * and entries are written in one transaction. Nothing is rounded: an
 * amount finer than its currency is refused naming the transaction.
 */
#include "book/gnucash.h"
#include "book/transfer.h"
#include "book/provenance.h"
#include "billing/billing.h"
#include "ledger/ledger.h"
#include "core/book.h"
#include "util/xml.h"

#include <sqlite3.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bo__gc_up(const gc *g, int n)
{
    return g->depth - 1 - n >= 0 ? g->stack[g->depth - 1 - n] : "";
}


int bo__gc_keep(gc *g, char *dst, size_t size, const char *what)
{
    if (g->tlen >= size)
        return bo__xml_fail(g->x, BO_ETOOLONG, "%s: longer than %zu bytes", what, size - 1);
    memcpy(dst, g->text, g->tlen + 1);
    return 0;
}

int bo__gc_keep_dup(gc *g, char **dst, const char *what)
{
    if (g->tlen > BO_TEXT_MAX)
        return bo__xml_fail(g->x, BO_ETOOLONG, "%s: longer than %d bytes", what, BO_TEXT_MAX);
    return bo__strdup_into(dst, g->text);
}

static int on_start(bo__xml *x, void *u, const char *name, const bo__xml_attr *a, int n)
{
    gc *g = u;
    g->x = x;
    snprintf(g->stack[g->depth++], GC_NAME, "%s", name);
    g->tlen = 0;
    g->text[0] = '\0';
    if (g->template_depth) {
        g->template_depth++;
        return bo__gc_sx_start(g, name, bo__xml_line(x));
    }
    if (!strcmp(name, "template-transactions")) {
        g->template_depth = 1;
        return 0;
    }
    if (!strcmp(name, "book") && !strcmp(bo__gc_up(g, 1), "gnc-v2")) {
        const bo__xml_attr *v = bo__xml_attr_find(a, n, "version");
        if (!v || v->len != 5 || memcmp(v->value, "2.0.0", 5))
            return bo__xml_fail(x, BO_ESCHEMA, "book: version %.*s is not one this "
                                "library reads (2.0.0)", v ? (int)v->len : 4,
                                v ? v->value : "none");
        g->seen_book = 1;
    } else if (!strcmp(name, "account") && !strcmp(bo__gc_up(g, 1), "book")) {
        int rc = bo__grow((void **)&g->acc, &g->capacc, g->nacc, sizeof *g->acc);
        if (rc)
            return rc;
        g->acc[g->nacc].line = bo__xml_line(x);
        g->nacc++;
    } else if (!strcmp(name, "transaction") && !strcmp(bo__gc_up(g, 1), "book")) {
        int rc = bo__grow((void **)&g->tx, &g->captx, g->ntx, sizeof *g->tx);
        if (rc)
            return rc;
        g->tx[g->ntx].line = bo__xml_line(x);
        g->ntx++;
    } else if (!strcmp(name, "split") && !strcmp(bo__gc_up(g, 1), "splits") && g->ntx) {
        gc_tx *t = &g->tx[g->ntx - 1];
        int rc = bo__grow((void **)&t->splits, &t->cap, t->n, sizeof *t->splits);
        if (rc)
            return rc;
        t->n++;
    } else if (!strcmp(name, "commodity") && !strcmp(bo__gc_up(g, 1), "book")) {
        int rc = bo__grow((void **)&g->cmdty, &g->capcmdty, g->ncmdty, sizeof *g->cmdty);
        if (rc)
            return rc;
        memset(&g->cmdty[g->ncmdty], 0, sizeof *g->cmdty);
        g->cmdty[g->ncmdty].line = bo__xml_line(x);
        g->ncmdty++;
    } else if (!strcmp(name, "price") && !strcmp(bo__gc_up(g, 1), "pricedb") && g->depth == 4) {
        int rc = bo__grow((void **)&g->price, &g->capprice, g->nprice, sizeof *g->price);
        if (rc)
            return rc;
        memset(&g->price[g->nprice], 0, sizeof *g->price);
        g->price[g->nprice].line = bo__xml_line(x);
        g->nprice++;
    } else if (!strcmp(name, "slot"))
        g->slot_key[0] = '\0';
    else if (!strcmp(name, "schedxaction") && !strcmp(bo__gc_up(g, 1), "book"))
        return bo__gc_sx_start(g, name, bo__xml_line(x));
    else if (g->depth >= 3 && !strcmp(g->stack[1], "book"))
        return bo__gc_biz_start(g, name, bo__xml_line(x));
    return 0;
}

static int on_text(bo__xml *x, void *u, const char *s, size_t n)
{
    gc *g = u;
    if (n > GC_TEXT_MAX - g->tlen)
        return bo__error_set(BO_ETOOLONG, "line %d: text longer than %d bytes",
                             bo__xml_line(x), GC_TEXT_MAX);
    memcpy(g->text + g->tlen, s, n);
    g->tlen += n;
    g->text[g->tlen] = '\0';
    return 0;
}

static int end_account(gc *g, const char *name)
{
    gc_acct *a = &g->acc[g->nacc - 1];
    const char *p1 = bo__gc_up(g, 1);
    if (!strcmp(p1, "account")) {
        if (!strcmp(name, "name"))
            return bo__gc_keep_dup(g, &a->name, "account name");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, a->guid, sizeof a->guid, "account id");
        if (!strcmp(name, "type"))
            return bo__gc_keep(g, a->type, sizeof a->type, "account type");
        if (!strcmp(name, "code"))
            return bo__gc_keep_dup(g, &a->code, "account code");
        if (!strcmp(name, "parent"))
            return bo__gc_keep(g, a->parent, sizeof a->parent, "account parent");
    } else if (!strcmp(p1, "commodity")) {
        if (!strcmp(name, "space"))
            return bo__gc_keep(g, a->space, sizeof a->space, "commodity space");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, a->cmdty, sizeof a->cmdty, "commodity id");
    } else if (!strcmp(p1, "slot")) {
        if (!strcmp(name, "key"))
            return bo__gc_keep(g, g->slot_key, sizeof g->slot_key, "slot key");
        if (!strcmp(name, "value") && !strcmp(g->text, "true")) {
            if (!strcmp(g->slot_key, "placeholder"))
                a->placeholder = 1;
            else if (!strcmp(g->slot_key, "hidden"))
                a->hidden = 1;
        }
    }
    return 0;
}

static int end_tx(gc *g, const char *name)
{
    gc_tx *t = &g->tx[g->ntx - 1];
    const char *p1 = bo__gc_up(g, 1);
    if (!strcmp(p1, "transaction")) {
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, t->guid, sizeof t->guid, "transaction id");
        if (!strcmp(name, "description"))
            return bo__gc_keep_dup(g, &t->desc, "description");
    } else if (!strcmp(p1, "currency")) {
        if (!strcmp(name, "space"))
            return bo__gc_keep(g, t->space, sizeof t->space, "currency space");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, t->cur, sizeof t->cur, "currency id");
    } else if (!strcmp(p1, "date-posted") && !strcmp(name, "date")) {
        return bo__gc_keep(g, t->ts, sizeof t->ts, "date-posted");
    } else if (!strcmp(p1, "slot") && !strcmp(name, "key")) {
        int rc = bo__gc_keep(g, g->slot_key, sizeof g->slot_key, "slot key");
        if (!rc && !strcmp(g->slot_key, "void-reason") && !strcmp(bo__gc_up(g, 3), "transaction"))
            t->voided = 1;
        return rc;
    } else if (!strcmp(p1, "slot") && !strcmp(name, "value") &&
               !strcmp(g->slot_key, "void-reason") && !strcmp(bo__gc_up(g, 3), "transaction")) {
        return bo__gc_keep_dup(g, &t->void_reason, "void-reason");
    } else if (!strcmp(name, "gdate") && !strcmp(g->slot_key, "date-posted")) {
        return bo__gc_keep(g, t->gdate, sizeof t->gdate, "date-posted slot");
    } else if (!strcmp(p1, "split") && t->n) {
        gc_split *s = &t->splits[t->n - 1];
        if (!strcmp(name, "value"))
            return bo__gc_keep(g, s->value, sizeof s->value, "split value");
        if (!strcmp(name, "quantity"))
            return bo__gc_keep(g, s->quantity, sizeof s->quantity, "split quantity");
        if (!strcmp(name, "account"))
            return bo__gc_keep(g, s->account, sizeof s->account, "split account");
        if (!strcmp(name, "memo"))
            return bo__gc_keep_dup(g, &s->memo, "split memo");
        if (!strcmp(name, "reconciled-state"))
            s->reconcile = g->text[0];
        if (!strcmp(name, "lot"))
            return bo__gc_keep(g, s->lot, sizeof s->lot, "split lot");
    }
    return 0;
}

static int end_price(gc *g, const char *name)
{
    gc_price *p = &g->price[g->nprice - 1];
    const char *p1 = bo__gc_up(g, 1);
    if (!strcmp(p1, "price")) {
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, p->guid, sizeof p->guid, "price id");
        if (!strcmp(name, "source"))
            return bo__gc_keep(g, p->source, sizeof p->source, "price source");
        if (!strcmp(name, "value"))
            return bo__gc_keep(g, p->value, sizeof p->value, "price value");
    } else if (!strcmp(p1, "commodity") || !strcmp(p1, "currency")) {
        int c = !strcmp(p1, "currency");
        if (!strcmp(name, "space") && !c)
            return bo__gc_keep(g, p->space, sizeof p->space, "price commodity space");
        if (!strcmp(name, "id"))
            return c ? bo__gc_keep(g, p->cur, sizeof p->cur, "price currency")
                     : bo__gc_keep(g, p->cmdty, sizeof p->cmdty, "price commodity");
    } else if (!strcmp(p1, "time") && !strcmp(name, "date"))
        return bo__gc_keep(g, p->ts, sizeof p->ts, "price time");
    return 0;
}

static int in(const gc *g, const char *name)
{
    for (int i = 0; i < g->depth; i++)
        if (!strcmp(g->stack[i], name))
            return 1;
    return 0;
}

static int on_end(bo__xml *x, void *u, const char *name)
{
    gc *g = u;
    g->x = x;
    int rc = 0;
    if (g->template_depth) {
        rc = bo__gc_sx_end(g, name);
        g->template_depth--;
    } else if (g->depth == 3 && !strcmp(g->stack[1], "book") && !strcmp(name, "id"))
        rc = bo__gc_keep(g, g->book_guid, sizeof g->book_guid, "book id");
    else if (g->depth >= 2 && !strcmp(g->stack[1], "book") && g->depth > 3) {
        if (!strcmp(g->stack[2], "account") && g->nacc)
            rc = end_account(g, name);
        else if (!strcmp(g->stack[2], "transaction") && g->ntx)
            rc = end_tx(g, name);
        else if (!strcmp(g->stack[2], "pricedb") && g->depth > 4 && g->nprice)
            rc = end_price(g, name);
        else if (!strcmp(g->stack[2], "schedxaction") && g->nsx)
            rc = bo__gc_sx_end(g, name);
        else if (!strncmp(g->stack[2], "Gnc", 3))
            rc = bo__gc_biz_end(g, name);
        else if (!strcmp(g->stack[2], "commodity") && g->depth == 4 && g->ncmdty) {
            gc_cmdty *c = &g->cmdty[g->ncmdty - 1];
            if (!strcmp(name, "space"))
                rc = bo__gc_keep(g, c->space, sizeof c->space, "commodity space");
            else if (!strcmp(name, "id"))
                rc = bo__gc_keep(g, c->id, sizeof c->id, "commodity id");
            else if (!strcmp(name, "fraction"))
                rc = bo__gc_keep(g, c->fraction, sizeof c->fraction, "commodity fraction");
        }
    }
    (void)in;
    g->depth--;
    g->tlen = 0;
    g->text[0] = '\0';
    return rc;
}

static void model_free(gc *g)
{
    for (size_t i = 0; i < g->nacc; i++) {
        bo__free(g->acc[i].name);
        bo__free(g->acc[i].code);
    }
    for (size_t i = 0; i < g->ntx; i++) {
        for (size_t k = 0; k < g->tx[i].n; k++)
            bo__free(g->tx[i].splits[k].memo);
        bo__free(g->tx[i].splits);
        bo__free(g->tx[i].desc);
        bo__free(g->tx[i].void_reason);
    }
    bo__free(g->acc);
    bo__free(g->tx);
    bo__free(g->price);
    bo__free(g->cmdty);
    bo__free(g->sx);
    bo__free(g->ts);
    bo__free(g->text);
    bo__gc_biz_free(g);
}

/* ---- checks ------------------------------------------------------------- */

gc_acct *bo__gc_acct(gc *g, const char *guid)
{
    for (size_t i = 0; i < g->nacc; i++)
        if (!strcmp(g->acc[i].guid, guid))
            return &g->acc[i];
    return NULL;
}

static int type_of(const char *t)
{
    static const struct { const char *gc; int ours; } map[] = {
        { "BANK", BO_ACCOUNT_ASSET }, { "CASH", BO_ACCOUNT_ASSET },
        { "ASSET", BO_ACCOUNT_ASSET }, { "RECEIVABLE", BO_ACCOUNT_ASSET },
        { "CURRENCY", BO_ACCOUNT_ASSET }, { "CREDIT", BO_ACCOUNT_LIABILITY },
        { "LIABILITY", BO_ACCOUNT_LIABILITY }, { "PAYABLE", BO_ACCOUNT_LIABILITY },
        { "EQUITY", BO_ACCOUNT_EQUITY }, { "TRADING", BO_ACCOUNT_EQUITY },
        { "INCOME", BO_ACCOUNT_INCOME }, { "EXPENSE", BO_ACCOUNT_EXPENSE },
        { "STOCK", BO_ACCOUNT_ASSET }, { "MUTUAL", BO_ACCOUNT_ASSET },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].gc, t))
            return map[i].ours;
    return 0;
}

/* "num/den" as exact minor units of a currency with exp decimals. */
int bo__gc_minor(const char *frac, int exp, int64_t *out)
{
    char *end;
    errno = 0;
    long long num = strtoll(frac, &end, 10);
    if (end == frac || *end != '/' || errno)
        return BO_EINVAL;
    const char *d = end + 1;
    long long den = strtoll(d, &end, 10);
    if (end == d || *end || errno || den <= 0)
        return BO_EINVAL;
    int64_t scale = 1, lo, hi;
    for (int i = 0; i < exp; i++)
        scale *= 10;
    if (bo_money_muldiv(num, scale, den, BO_ROUND_FLOOR, &lo) ||
        bo_money_muldiv(num, scale, den, BO_ROUND_CEILING, &hi))
        return BO_EOVERFLOW;
    if (lo != hi)
        return 1; /* finer than the currency */
    *out = lo;
    return 0;
}

/* Dates: the date-posted slot, else a 10:59 UTC time (GnuCash's neutral
 * time), else the time shifted by the explicit offset. */
static int tx_date(const gc_tx *t, const bo_gnucash_options *o, bo_date *out)
{
    if (t->gdate[0])
        return bo_date_parse(t->gdate, out) ? BO_EINVAL : 0;
    int y, mo, d, h, mi, sec, zh, zm;
    char sign;
    if (sscanf(t->ts, "%4d-%2d-%2d %2d:%2d:%2d %c%2d%2d", &y, &mo, &d, &h, &mi, &sec, &sign,
               &zh, &zm) != 9 || (sign != '+' && sign != '-'))
        return BO_EINVAL;
    bo_date day;
    if (bo_date_from_ymd(y, mo, d, &day))
        return BO_EINVAL;
    int zone = (sign == '-' ? -1 : 1) * (zh * 60 + zm);
    int utc = h * 60 + mi - zone; /* minutes of the UTC day, may leave 0..1439 */
    if (utc == 10 * 60 + 59 && !o->has_utc_offset) {
        *out = day;
        return 0;
    }
    if (!o->has_utc_offset)
        return BO_ENOTSUP;
    int local = utc + o->utc_offset_minutes;
    while (local < 0) {
        local += 1440;
        day--;
    }
    while (local >= 1440) {
        local -= 1440;
        day++;
    }
    *out = day;
    return 0;
}

/* A security's account: its commodity, a mnemonic our currencies can
 * hold (3 to 8 upper-case letters or digits, not an ISO 4217 code) with a
 * fraction that is a power of ten, becomes a currency of the process at
 * that many decimals (written with the book as "book.currency.CODE").
 * Anything else is refused naming the account: never rounded to a scale. */
static int security_of(gc *g, gc_acct *a)
{
    const char *name = a->name ? a->name : "";
    gc_cmdty *c = NULL;
    for (size_t i = 0; i < g->ncmdty && !c; i++)
        if (!strcmp(g->cmdty[i].space, a->space) && !strcmp(g->cmdty[i].id, a->cmdty))
            c = &g->cmdty[i];
    if (!c)
        return bo__error_set(BO_EINVAL, "%s %d: account '%s': commodity %s:%s is not in "
                             "the book", g->unit, a->line, name, a->space, a->cmdty);
    long long f = 0;
    char tail;
    int exp = 0, iso;
    if (sscanf(c->fraction, "%lld%c", &f, &tail) != 1 || f < 1)
        return bo__error_set(BO_EINVAL, "%s %d: commodity %s:%s: fraction '%s' is not a "
                             "number", g->unit, c->line, c->space, c->id, c->fraction);
    while (f > 1 && f % 10 == 0 && exp < 18) {
        f /= 10;
        exp++;
    }
    if (f != 1)
        return bo__error_set(BO_ENOTSUP, "%s %d: account '%s': commodity %s:%s has the "
                             "fraction 1/%s, not a power of ten (refused, never rounded)",
                             g->unit, a->line, name, c->space, c->id, c->fraction);
    size_t len = strlen(c->id);
    int ok = len >= 3 && len <= 8;
    for (size_t i = 0; ok && i < len; i++)
        ok = (c->id[i] >= 'A' && c->id[i] <= 'Z') || (c->id[i] >= '0' && c->id[i] <= '9');
    if (!ok)
        return bo__error_set(BO_ENOTSUP, "%s %d: account '%s': security %s:%s: its "
                             "mnemonic is not 3 to 8 upper-case letters or digits", g->unit,
                             a->line, name, c->space, c->id);
    if (bo_currency_exponent(c->id, &iso) == 0 && iso != exp && c->exp != exp)
        /* an ISO 4217 code, or a currency of the process at another scale */
        return bo__error_set(BO_ENOTSUP, "%s %d: account '%s': security %s:%s has %d "
                             "decimals where the currency %s has %d", g->unit, a->line,
                             name, c->space, c->id, exp, c->id, iso);
    c->exp = exp;
    int rc = bo_currency_register(c->id, exp);
    if (rc)
        return bo__error_prefix("%s %d: account '%s': security %s:%s: ", g->unit, a->line,
                                name, c->space, c->id);
    return 0;
}

static int check_model(gc *g, const bo_gnucash_options *o, const char **base)
{
    if (!g->seen_book)
        return bo__error_set(BO_EINVAL, "not a GnuCash book: no <gnc:book> in <gnc-v2>");
    /* accounts: currencies, types, the tree from parent ids, our codes */
    for (size_t i = 0; i < g->nacc; i++) {
        gc_acct *a = &g->acc[i];
        if (!strcmp(a->type, "ROOT")) {
            a->skip = 1;
            continue;
        }
        if (!(a->ourtype = type_of(a->type)))
            return bo__error_set(BO_EINVAL, "%s %d: account '%s': unknown type '%s'",
                                 g->unit, a->line, a->name ? a->name : "", a->type);
        int exp;
        if (strcmp(a->space, "CURRENCY") && strcmp(a->space, "ISO4217")) {
            int src = security_of(g, a);
            if (src)
                return src;
        } else if (bo_currency_exponent(a->cmdty, &exp))
            return bo__error_set(BO_ECURRENCY, "%s %d: account '%s': %s is not an ISO "
                                 "4217 currency", g->unit, a->line, a->name ? a->name : "", a->cmdty);
        if (a->code && a->code[0] && strlen(a->code) <= BO_CODE_MAX)
            snprintf(a->our, sizeof a->our, "%s", a->code);
        else
            snprintf(a->our, sizeof a->our, "gc-%.12s", a->guid);
    }
    for (size_t i = 0; i < g->nacc; i++) {
        gc_acct *a = &g->acc[i];
        if (a->skip)
            continue;
        for (size_t k = 0; k < i; k++)
            if (!g->acc[k].skip && !strcmp(g->acc[k].our, a->our))
                snprintf(a->our, sizeof a->our, "gc-%.12s", a->guid);
        /* depth by parent ids; a cycle or a missing parent is refused */
        int depth = 0;
        for (gc_acct *p = a; p && !p->skip; p = p->parent[0] ? bo__gc_acct(g, p->parent) : NULL) {
            if (++depth > (int)g->nacc + 1 || (p->parent[0] && !bo__gc_acct(g, p->parent)))
                return bo__error_set(BO_EINVAL, "%s %d: account '%s': its parent %s is "
                                     "missing or a loop", g->unit, a->line, a->name ? a->name : "",
                                     a->parent);
        }
        a->depth = depth;
    }
    /* the book currency: as given, else the transactions' most common */
    if (!*base) {
        size_t best = 0;
        for (size_t i = 0; i < g->ntx; i++) {
            size_t n = 0;
            for (size_t k = 0; k < g->ntx; k++)
                n += !strcmp(g->tx[k].cur, g->tx[i].cur);
            if (n > best) {
                best = n;
                *base = g->tx[i].cur;
            }
            if (best * 2 > g->ntx)
                break;
        }
        if (!*base)
            *base = "USD";
    }
    /* transactions: dates, accounts, exact amounts */
    for (size_t i = 0; i < g->ntx; i++) {
        gc_tx *t = &g->tx[i];
        if (t->voided == 2) /* a template of the SQLite book */
            continue;
        bo_date d;
        int rc = tx_date(t, o, &d), exp;
        if (rc == BO_ENOTSUP)
            return bo__error_set(BO_EINVAL, "%s %d: transaction %s: date-posted %s is "
                                 "not at 10:59 UTC and has no date slot: give a time zone "
                                 "(utc_offset_minutes)", g->unit, t->line, t->guid, t->ts);
        if (rc)
            return bo__error_set(BO_EINVAL, "%s %d: transaction %s: date-posted '%s' is "
                                 "not a date", g->unit, t->line, t->guid, t->ts);
        t->date = d;
        if (bo_currency_exponent(t->cur, &exp))
            return bo__error_set(BO_ECURRENCY, "%s %d: transaction %s: currency %s is "
                                 "not an ISO 4217 currency", g->unit, t->line, t->guid, t->cur);
        for (size_t k = 0; k < t->n; k++) {
            gc_split *s = &t->splits[k];
            gc_acct *a = bo__gc_acct(g, s->account);
            int64_t v, q;
            int ae;
            if (!a || a->skip)
                return bo__error_set(BO_EINVAL, "%s %d: transaction %s, split %zu: "
                                     "account %s is not in the book", g->unit, t->line, t->guid,
                                     k + 1, s->account);
            bo_currency_exponent(a->cmdty, &ae);
            if ((rc = bo__gc_minor(s->value, exp, &v)) ||
                (rc = bo__gc_minor(s->quantity, ae, &q))) {
                if (rc == 1)
                    return bo__error_set(BO_EINVAL, "%s %d: transaction %s, split %zu: "
                                         "%s or %s does not fit the scale of %s/%s "
                                         "(refused, never rounded)", g->unit, t->line, t->guid,
                                         k + 1, s->value, s->quantity, t->cur, a->cmdty);
                return bo__error_set(rc == BO_EOVERFLOW ? BO_EOVERFLOW : BO_EINVAL,
                                     "%s %d: transaction %s, split %zu: '%s' or '%s' is "
                                     "not an amount", g->unit, t->line, t->guid, k + 1, s->value,
                                     s->quantity);
            }
            if (q == 0 && v != 0 && strcmp(t->cur, *base))
                return bo__error_set(BO_ENOTSUP, "%s %d: transaction %s, split %zu: a "
                                     "value without a quantity (a realized gain) in %s, not "
                                     "the book currency %s", g->unit, t->line, t->guid, k + 1,
                                     t->cur, *base);
            if (q == 0 && v != 0 && strcmp(a->cmdty, t->cur)) {
                if (strlen(a->our) + 1 + strlen(t->cur) > BO_CODE_MAX)
                    return bo__error_set(BO_ETOOLONG, "%s %d: transaction %s, split %zu: the "
                                         "gain account '%s:%s' is longer than %d bytes",
                                         g->unit, t->line, t->guid, k + 1, a->our, t->cur,
                                         BO_CODE_MAX);
                a->gain = 1;
            }
        }
    }
    /* customers, vendors, tax tables, invoices, payments */
    int brc = bo__gc_biz_check(g, *base);
    if (brc || (brc = bo__gc_sx_check(g)))
        return brc;
    /* prices: an exact positive fraction and a date */
    for (size_t i = 0; i < g->nprice; i++) {
        gc_price *p = &g->price[i];
        long long num, den;
        char tail;
        int y, mo, d;
        bo_date day;
        if (sscanf(p->value, "%lld/%lld%c", &num, &den, &tail) != 2 || den <= 0 || num <= 0)
            return bo__error_set(BO_EINVAL, "%s %d: price %s: value '%s' is not a positive "
                                 "fraction", g->unit, p->line, p->guid, p->value);
        if (sscanf(p->ts, "%4d-%2d-%2d", &y, &mo, &d) != 3 || bo_date_from_ymd(y, mo, d, &day))
            return bo__error_set(BO_EINVAL, "%s %d: price %s: time '%s' is not a date",
                                 g->unit, p->line, p->guid, p->ts);
    }
    return 0;
}

/* ---- provenance ------------------------------------------------------------ */

/* "num/den" in lowest terms (the XML and SQLite files of one book may
 * write one fraction two ways). */
static void frac_field(bo__buf *b, const char *frac)
{
    long long num = 0, den = 1;
    if (sscanf(frac, "%lld/%lld", &num, &den) != 2 || den <= 0) {
        bo__buf_field(b, frac);
        return;
    }
    long long x = num < 0 ? -num : num, y = den;
    while (y) {
        long long r = x % y;
        x = y;
        y = r;
    }
    if (x > 1) {
        num /= x;
        den /= x;
    }
    bo__buf_field_int(b, num);
    bo__buf_field_int(b, den);
}

/* The digest of each account and transaction: a canonical form of what
 * GnuCash says of it (the fields this importer reads), so a second
 * import tells a changed object from an unchanged one. */
static int digest_model(gc *g, const bo_gnucash_options *o)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->nacc; i++) {
        gc_acct *a = &g->acc[i];
        if (a->skip)
            continue;
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "account");
        bo__buf_field(&b, a->guid);
        bo__buf_field(&b, a->name ? a->name : "");
        bo__buf_field(&b, a->type);
        bo__buf_field(&b, a->space);
        bo__buf_field(&b, a->cmdty);
        bo__buf_field(&b, a->parent);
        bo__buf_field(&b, a->code ? a->code : "");
        bo__buf_field_int(&b, a->placeholder);
        bo__buf_field_int(&b, a->hidden);
        rc = bo__buf_digest(&b, a->digest);
    }
    for (size_t i = 0; !rc && i < g->ntx; i++) {
        gc_tx *t = &g->tx[i];
        if (t->voided == 2)
            continue;
        bo_date d = 0;
        tx_date(t, o, &d);
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "transaction");
        bo__buf_field(&b, t->guid);
        bo__buf_field(&b, t->cur);
        bo__buf_field_int(&b, d);
        bo__buf_field(&b, t->desc ? t->desc : "");
        bo__buf_field_int(&b, t->voided);
        bo__buf_field_int(&b, (int64_t)t->n);
        for (size_t k = 0; k < t->n; k++) {
            bo__buf_field(&b, t->splits[k].account);
            frac_field(&b, t->splits[k].value);
            frac_field(&b, t->splits[k].quantity);
            bo__buf_field(&b, t->splits[k].memo ? t->splits[k].memo : "");
        }
        rc = bo__buf_digest(&b, t->digest);
    }
    for (size_t i = 0; !rc && i < g->nprice; i++) {
        gc_price *p = &g->price[i];
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "price");
        bo__buf_field(&b, p->guid);
        bo__buf_field(&b, p->space);
        bo__buf_field(&b, p->cmdty);
        bo__buf_field(&b, p->cur);
        bo__buf_field(&b, p->ts);
        bo__buf_field(&b, p->source);
        frac_field(&b, p->value);
        rc = bo__buf_digest(&b, p->digest);
    }
    if (!rc)
        rc = bo__gc_sx_digest(g);
    return rc ? rc : bo__gc_biz_digest(g);
}

/* What GnuCash says that our records have no place for: an account's
 * "placeholder" and "hidden"; a transaction's reconcile state of each split
 * ("reconcile=nyc", "-" when not given) and its void reason. */
static void acct_attrs(const gc_acct *a, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", a->placeholder ? "placeholder" : "",
             a->placeholder && a->hidden ? " " : "", a->hidden ? "hidden" : "");
}

int bo__gc_tx_attrs(const gc_tx *t, bo__buf *b)
{
    bo__buf_puts(b, "reconcile=");
    for (size_t k = 0; k < t->n; k++) {
        char c = t->splits[k].reconcile;
        bo__buf_put(b, c >= 'a' && c <= 'z' ? &c : "-", 1);
    }
    if (t->voided)
        bo__buf_printf(b, " void=%s", t->void_reason ? t->void_reason : "");
    bo__buf_put(b, "", 1);
    return b->failed ? BO_ENOMEM : 0;
}

/* Compare the model with what the book holds of this GnuCash book: each
 * new object is marked to be written; counts[0..2] added, changed,
 * missing. */
static int diff_model(gc *g, bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3])
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->nacc + g->ntx + g->nprice; i++) {
        int is_acc = i < g->nacc, is_tx = !is_acc && i < g->nacc + g->ntx;
        gc_acct *a = is_acc ? &g->acc[i] : NULL;
        gc_tx *t = is_tx ? &g->tx[i - g->nacc] : NULL;
        gc_price *p = !is_acc && !is_tx ? &g->price[i - g->nacc - g->ntx] : NULL;
        if ((a && a->skip) || (t && t->voided == 2))
            continue;
        rc = bo__prov_compare_one(rows, n, a ? "account" : t ? "transaction" : "price",
                                  a ? a->guid : t ? t->guid : p->guid,
                                  a ? a->digest : t ? t->digest : p->digest,
                                  a ? &a->write : t ? &t->write : &p->write, NULL, d, counts);
    }
    if (!rc)
        rc = bo__gc_biz_diff(g, rows, n, d, counts);
    if (!rc)
        rc = bo__gc_sx_diff(g, rows, n, d, counts);
    return rc ? rc : bo__prov_missing(rows, n, d, counts);
}

/* ---- writing -------------------------------------------------------------- */

/* A price: kept exactly in its provenance row ("price EUR/USD 10869/10000
 * 2025-06-01 user:price"); a currency's price in the book currency that is
 * a decimal of at most 9 places is also the book's rate of that day
 * (bo_billing_rate_set, record "rate:EUR:2025-06-01"). */
static int write_price(gc *g, bo_book *book, const gc_price *p, const char *base)
{
    int y, mo, d, rc = 0;
    bo_date day;
    sscanf(p->ts, "%4d-%2d-%2d", &y, &mo, &d);
    bo_date_from_ymd(y, mo, d, &day);
    char date[16], record[64] = "", attrs[256];
    snprintf(date, sizeof date, "%04d-%02d-%02d", y, mo, d);
    long long num = 0, den = 1;
    sscanf(p->value, "%lld/%lld", &num, &den);
    long long x = num, r = den;
    while (r) {
        long long t = x % r;
        x = r;
        r = t;
    }
    snprintf(attrs, sizeof attrs, "price %s/%s %lld/%lld %s %s", p->cmdty, p->cur, num / x,
             den / x, date, p->source);
    int64_t nano;
    if ((!strcmp(p->space, "CURRENCY") || !strcmp(p->space, "ISO4217")) &&
        !strcmp(p->cur, base) && strcmp(p->cmdty, base) && bo__gc_minor(p->value, 9, &nano) == 0) {
        char rate[48];
        snprintf(rate, sizeof rate, "%lld.%09lld", (long long)(nano / 1000000000),
                 (long long)(nano % 1000000000));
        size_t len = strlen(rate);
        while (rate[len - 1] == '0' && rate[len - 2] != '.')
            rate[--len] = '\0';
        if (!(rc = bo_billing_rate_set(book, p->cmdty, day, rate)))
            snprintf(record, sizeof record, "rate:%s:%s", p->cmdty, date);
    }
    if (!rc)
        rc = bo__prov_put(book, "gnucash", g->book_guid, p->guid, p->digest, record, attrs);
    if (rc)
        bo__error_prefix("%s %d: price %s: ", g->unit, p->line, p->guid);
    return rc;
}

/* The scale of each security a new account holds stays with the book
 * ("book.currency.CODE", as the journal import writes it), for the
 * processes that read the book later. */
static int write_securities(gc *g, bo_book *book)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->ncmdty; i++) {
        const gc_cmdty *c = &g->cmdty[i];
        int used = 0;
        for (size_t k = 0; k < g->nacc && !used; k++)
            used = g->acc[k].write && !g->acc[k].skip && !strcmp(g->acc[k].space, c->space) &&
                   !strcmp(g->acc[k].cmdty, c->id);
        if (!used)
            continue;
        char key[64], obj[80], v[8];
        snprintf(key, sizeof key, "currency.%s", c->id);
        snprintf(obj, sizeof obj, "setting:book.%s", key);
        snprintf(v, sizeof v, "%d", c->exp);
        if (!(rc = bo__setting_put(book, "book", key, v)))
            rc = bo__audit_append(book, "book.currency.register", obj, v);
    }
    return rc;
}

/* The child of a security's account that holds its value-only splits
 * (realized gains) in the book currency: the ledger keeps one currency per
 * account, and the security's account counts shares. */
static int gain_account(gc *g, bo_book *book, const gc_acct *a)
{
    char code[BO_CODE_MAX + 48], name[BO_TEXT_MAX + 1];
    const char *cur = g->book_cur;
    snprintf(code, sizeof code, "%s:%s", a->our, cur);
    snprintf(name, sizeof name, "%.200s (realized, %s)", a->name ? a->name : a->our, cur);
    int rc = bo_ledger_account_add(book, code, name, a->ourtype, a->our, cur);
    if (rc)
        bo__error_prefix("%s %d: account '%s': its gain account %s: ", g->unit, a->line,
                         a->name ? a->name : "", code);
    return rc;
}

static int write_accounts(gc *g, bo_book *book)
{
    int maxd = 0, rc = 0;
    for (size_t i = 0; i < g->nacc; i++)
        if (!g->acc[i].skip && g->acc[i].depth > maxd)
            maxd = g->acc[i].depth;
    for (int d = 1; d <= maxd && !rc; d++)
        for (size_t i = 0; i < g->nacc && !rc; i++) {
            gc_acct *a = &g->acc[i];
            if (a->skip || !a->write || a->depth != d)
                continue;
            gc_acct *p = a->parent[0] ? bo__gc_acct(g, a->parent) : NULL;
            char record[BO_CODE_MAX + 16], attrs[32];
            snprintf(record, sizeof record, "account:%s", a->our);
            acct_attrs(a, attrs, sizeof attrs);
            if ((rc = bo_ledger_account_add(book, a->our, a->name ? a->name : a->our,
                                            a->ourtype, p && !p->skip ? p->our : NULL,
                                            a->cmdty)) ||
                (rc = bo__prov_put(book, "gnucash", g->book_guid, a->guid, a->digest, record,
                                   attrs)))
                bo__error_prefix("%s %d: account '%s': ", g->unit, a->line,
                                 a->name ? a->name : "");
            if (!rc && a->gain)
                rc = gain_account(g, book, a);
        }
    return rc;
}

static int write_tx(gc *g, bo_book *book, const gc_tx *t, const bo_gnucash_options *o,
                    const char *base)
{
    bo__buf attrs = BO__BUF_INIT;
    int rc = bo__gc_tx_attrs(t, &attrs);
    if (!rc && t->voided) /* kept in the provenance only: a change if it is unvoided */
        rc = bo__prov_put(book, "gnucash", g->book_guid, t->guid, t->digest, "", attrs.ptr);
    if (rc || t->voided) {
        bo__buf_free(&attrs);
        return rc;
    }
    bo_date d;
    int exp;
    tx_date(t, o, &d);
    bo_currency_exponent(t->cur, &exp);
    /* one currency among the accounts: amounts as they are; several: each
     * posting with its book-currency value where it is known exactly (the
     * value when the transaction is in the book currency, the quantity of
     * a book-currency account) */
    int mixed = 0;
    const char *first = NULL;
    for (size_t k = 0; k < t->n; k++) {
        gc_acct *a = bo__gc_acct(g, t->splits[k].account);
        if (first && strcmp(first, a->cmdty))
            mixed = 1;
        first = a->cmdty;
    }
    bo_entry *e;
    if ((rc = bo_entry_new(&e, d, t->desc ? t->desc : ""))) {
        bo__buf_free(&attrs);
        return rc;
    }
    /* provenance: the transaction's GnuCash id is the entry's key */
    char key[48];
    snprintf(key, sizeof key, "gnucash:%s", t->guid);
    if (t->guid[0] && (rc = bo_entry_set_key(e, key))) {
        bo_entry_free(e);
        bo__buf_free(&attrs);
        return rc;
    }
    int added = 0;
    for (size_t k = 0; k < t->n && !rc; k++) {
        const gc_split *s = &t->splits[k];
        gc_acct *a = bo__gc_acct(g, s->account);
        int ae;
        int64_t v, q;
        bo_currency_exponent(a->cmdty, &ae);
        bo__gc_minor(s->value, exp, &v);
        bo__gc_minor(s->quantity, ae, &q);
        if (q == 0 && v != 0) {
            /* a realized gain: the value alone, in the book currency, on
             * the security account's child in that currency */
            char gain[BO_CODE_MAX + 48]; /* checked: at most BO_CODE_MAX */
            snprintf(gain, sizeof gain, "%s:%s", a->our, t->cur);
            added++;
            rc = mixed ? bo_entry_add_base(e, strcmp(a->cmdty, t->cur) ? gain : a->our, v,
                                           t->cur, v, s->memo)
                       : bo_entry_add(e, a->our, v, t->cur, s->memo);
            continue;
        }
        if (q == 0)
            continue;
        added++;
        if (!mixed)
            rc = bo_entry_add(e, a->our, q, a->cmdty, s->memo);
        else if (!strcmp(a->cmdty, base))
            rc = bo_entry_add_base(e, a->our, q, a->cmdty, q, s->memo);
        else if (!strcmp(t->cur, base))
            rc = bo_entry_add_base(e, a->our, q, a->cmdty, v, s->memo);
        else
            rc = bo__error_set(BO_ENOTSUP, "a %s transaction moving %s: its %s value is "
                               "not known exactly", t->cur, a->cmdty, base);
    }
    int64_t id = 0;
    char record[40] = "";
    if (!rc && added && !(rc = bo_ledger_post(book, e, &id)))
        snprintf(record, sizeof record, "entry:%lld", (long long)id);
    if (!rc)
        rc = bo__prov_put(book, "gnucash", g->book_guid, t->guid, t->digest, record,
                          attrs.ptr);
    bo_entry_free(e);
    bo__buf_free(&attrs);
    if (rc)
        bo__error_prefix("%s %d: transaction %s: ", g->unit, t->line, t->guid);
    return rc;
}

int bo__gnucash_check(const char *data, size_t len, int64_t *accounts, int64_t *entries)
{
    gc g;
    memset(&g, 0, sizeof g);
    g.unit = "line";
    if (!(g.text = bo__malloc(GC_TEXT_MAX + 1)))
        return BO_ENOMEM;
    g.text[0] = '\0';
    static const bo__xml_handlers h = { on_start, on_end, on_text };
    bo_gnucash_options o = BO_GNUCASH_OPTIONS_INIT;
    const char *base = NULL;
    int rc = bo__xml_parse(data, len, GC_DEPTH_MAX, &h, &g);
    if (!rc)
        rc = check_model(&g, &o, &base);
    int64_t na = 0, ne = 0;
    for (size_t i = 0; !rc && i < g.nacc; i++)
        na += !g.acc[i].skip;
    for (size_t i = 0; !rc && i < g.ntx; i++)
        ne += !g.tx[i].voided;
    if (accounts)
        *accounts = na;
    if (entries)
        *entries = ne;
    model_free(&g);
    return rc;
}

int bo_gnucash_options_init(bo_gnucash_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_GNUCASH_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_GNUCASH_OPTIONS_VERSION);
    bo_gnucash_options init = BO_GNUCASH_OPTIONS_INIT;
    *opts = init;
    return 0;
}

/* 1 when path is an SQLite file, 0 when not, < 0 when it cannot be read. */
static int sniff(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return bo__error_set(BO_EIO, "%s: cannot be opened: %s", path, strerror(errno));
    unsigned char head[16] = { 0 };
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n >= 16 && !memcmp(head, "SQLite format 3", 16);
}

/* ---- the SQLite book ------------------------------------------------------ */

/* The table versions this reader knows: GnuCash 2.6 to 5. */
static const struct { const char *table; int lo, hi; } sql_versions[] = {
    { "books", 1, 1 }, { "commodities", 1, 1 }, { "accounts", 1, 1 },
    { "transactions", 3, 4 }, { "splits", 4, 5 }, { "slots", 3, 4 },
};

static int sql_fail(sqlite3 *db, const char *what)
{
    return bo__error_set(BO_EINVAL, "not a GnuCash SQLite book: %s: %s", what,
                         sqlite3_errmsg(db));
}

static int sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return sql_fail(db, sql);
    return 0;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static int sql_text(gc *g, char *dst, size_t size, const char *src, const char *what, int row)
{
    if (strlen(src) >= size)
        return bo__error_set(BO_ETOOLONG, "%s %d: %s: longer than %zu bytes", g->unit, row,
                             what, size - 1);
    memcpy(dst, src, strlen(src) + 1);
    return 0;
}

static int sql_dup(gc *g, char **dst, const char *src, const char *what, int row)
{
    if (strlen(src) > BO_TEXT_MAX)
        return bo__error_set(BO_ETOOLONG, "%s %d: %s: longer than %d bytes", g->unit, row,
                             what, BO_TEXT_MAX);
    return (*dst = bo__strdup(src)) ? 0 : BO_ENOMEM;
}

/* The transaction of guid at or after *k (rows read in the transactions'
 * order follow them with a cursor k), or NULL past the last. */
static gc_tx *tx_following(gc *g, size_t *k, const char *guid)
{
    while (*k < g->ntx && strcmp(g->tx[*k].guid, guid))
        (*k)++;
    return *k < g->ntx ? &g->tx[*k] : NULL;
}

/* The model of an SQLite book, as the XML reader makes it: records are
 * named by their table and rowid ("accounts row 5"). */
static int read_sqlite(gc *g, const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    char *uri = sqlite3_mprintf("file:%s?mode=ro", path);
    int rc = 0;
    if (!uri)
        return BO_ENOMEM;
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
        rc = bo__error_set(BO_EIO, "cannot be opened: %s", sqlite3_errmsg(db));
    sqlite3_free(uri);
    g->unit = "row";
    /* versions */
    int seen = 0;
    if (!rc && !(rc = sql_prepare(db, "SELECT table_name, table_version FROM versions", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            const char *t = col(st, 0);
            int v = sqlite3_column_int(st, 1);
            if (!strcmp(t, "Gnucash"))
                seen |= 1;
            for (size_t i = 0; i < sizeof sql_versions / sizeof sql_versions[0]; i++)
                if (!strcmp(t, sql_versions[i].table)) {
                    seen |= 2 << i;
                    if (v < sql_versions[i].lo || v > sql_versions[i].hi)
                        rc = bo__error_set(BO_ESCHEMA, "versions: table %s is at version %d, "
                                           "not one this library reads (%d to %d)", t, v,
                                           sql_versions[i].lo, sql_versions[i].hi);
                }
        }
        sqlite3_finalize(st);
        st = NULL;
        if (!rc && seen != (2 << (sizeof sql_versions / sizeof sql_versions[0])) - 1)
            rc = bo__error_set(BO_EINVAL, "not a GnuCash SQLite book: its versions table "
                               "lacks the Gnucash row or a table");
    }
    /* the root of the templates: its accounts and transactions are skipped */
    char troot[33] = "";
    if (!rc && !(rc = sql_prepare(db, "SELECT root_template_guid, guid FROM books", &st))) {
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(troot, sizeof troot, "%s", col(st, 0));
            snprintf(g->book_guid, sizeof g->book_guid, "%s", col(st, 1));
        }
        sqlite3_finalize(st);
        st = NULL;
        g->seen_book = 1;
    }
    /* accounts with their commodities */
    if (!rc && !(rc = sql_prepare(db,
            "SELECT a.rowid, a.guid, a.name, a.account_type, COALESCE(c.namespace, ''),"
            " COALESCE(c.mnemonic, ''), COALESCE(a.parent_guid, ''), COALESCE(a.code, ''),"
            " a.hidden, a.placeholder FROM accounts a"
            " LEFT JOIN commodities c ON c.guid = a.commodity_guid ORDER BY a.rowid", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if (!strcmp(col(st, 1), troot))
                continue;
            if ((rc = bo__grow((void **)&g->acc, &g->capacc, g->nacc, sizeof *g->acc)))
                break;
            gc_acct *a = &g->acc[g->nacc++];
            a->line = row;
            if ((rc = sql_text(g, a->guid, sizeof a->guid, col(st, 1), "account guid", row)) ||
                (rc = sql_dup(g, &a->name, col(st, 2), "account name", row)) ||
                (rc = sql_text(g, a->type, sizeof a->type, col(st, 3), "account type", row)) ||
                (rc = sql_text(g, a->space, sizeof a->space, col(st, 4), "commodity space",
                               row)) ||
                (rc = sql_text(g, a->cmdty, sizeof a->cmdty, col(st, 5), "commodity", row)) ||
                (rc = sql_text(g, a->parent, sizeof a->parent, col(st, 6), "account parent",
                               row)) ||
                (rc = sql_dup(g, &a->code, col(st, 7), "account code", row)))
                break;
            a->hidden = sqlite3_column_int(st, 8) != 0;
            a->placeholder = sqlite3_column_int(st, 9) != 0;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    /* the commodities that are not currencies (securities) */
    if (!rc && !(rc = sql_prepare(db, "SELECT rowid, namespace, mnemonic, fraction FROM"
                                      " commodities WHERE namespace NOT IN ('CURRENCY',"
                                      " 'ISO4217', 'template') ORDER BY rowid", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = bo__grow((void **)&g->cmdty, &g->capcmdty, g->ncmdty, sizeof *g->cmdty)))
                break;
            gc_cmdty *c = &g->cmdty[g->ncmdty++];
            memset(c, 0, sizeof *c);
            c->line = row;
            snprintf(c->fraction, sizeof c->fraction, "%lld",
                     (long long)sqlite3_column_int64(st, 3));
            if ((rc = sql_text(g, c->space, sizeof c->space, col(st, 1), "commodity namespace",
                               row)) ||
                (rc = sql_text(g, c->id, sizeof c->id, col(st, 2), "commodity mnemonic", row)))
                break;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    /* the template accounts: those under the template root */
    for (size_t i = 0; !rc && i < g->nacc; i++) {
        gc_acct *a = &g->acc[i];
        size_t hops = 0;
        for (gc_acct *p = a; p && hops <= g->nacc; hops++) {
            if (!strcmp(p->parent, troot) && troot[0]) {
                a->skip = 2;
                break;
            }
            p = p->parent[0] ? bo__gc_acct(g, p->parent) : NULL;
        }
    }
    /* transactions */
    if (!rc && !(rc = sql_prepare(db,
            "SELECT t.rowid, t.guid, COALESCE(c.namespace, ''), COALESCE(c.mnemonic, ''),"
            " COALESCE(t.post_date, ''), COALESCE(t.description, '') FROM transactions t"
            " LEFT JOIN commodities c ON c.guid = t.currency_guid ORDER BY t.rowid", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = bo__grow((void **)&g->tx, &g->captx, g->ntx, sizeof *g->tx)))
                break;
            gc_tx *t = &g->tx[g->ntx++];
            t->line = row;
            char ts[40];
            snprintf(ts, sizeof ts, "%.19s +0000", col(st, 4));
            if ((rc = sql_text(g, t->guid, sizeof t->guid, col(st, 1), "transaction guid",
                               row)) ||
                (rc = sql_text(g, t->space, sizeof t->space, col(st, 2), "currency space",
                               row)) ||
                (rc = sql_text(g, t->cur, sizeof t->cur, col(st, 3), "currency", row)) ||
                (rc = sql_text(g, t->ts, sizeof t->ts, ts, "post_date", row)) ||
                (rc = sql_dup(g, &t->desc, col(st, 5), "description", row)))
                break;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    /* the date-posted and void-reason slots, and the splits: both in the
     * transactions' order, so a cursor over the transactions follows */
    size_t k = 0;
    if (!rc && !(rc = sql_prepare(db,
            "SELECT t.guid, s.name, COALESCE(s.gdate_val, ''), COALESCE(s.string_val, '')"
            " FROM transactions t"
            " JOIN slots s ON s.obj_guid = t.guid"
            " WHERE s.name IN ('date-posted', 'void-reason') ORDER BY t.rowid", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            gc_tx *t = tx_following(g, &k, col(st, 0));
            if (!t)
                break;
            if (!strcmp(col(st, 1), "void-reason")) {
                t->voided = 1;
                bo__free(t->void_reason);
                if ((rc = sql_dup(g, &t->void_reason, col(st, 3), "void-reason", t->line)))
                    break;
            } else {
                const char *d = col(st, 2); /* "20250601" or "2025-06-01 ..." */
                if (strlen(d) >= 8 && !strchr(d, '-'))
                    snprintf(t->gdate, sizeof t->gdate, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
                else
                    snprintf(t->gdate, sizeof t->gdate, "%.10s", d);
            }
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    k = 0;
    if (!rc && !(rc = sql_prepare(db,
            "SELECT t.guid, s.rowid, s.account_guid, COALESCE(s.memo, ''), s.value_num,"
            " s.value_denom, s.quantity_num, s.quantity_denom,"
            " COALESCE(s.reconcile_state, ''), COALESCE(s.lot_guid, '') FROM transactions t"
            " JOIN splits s ON s.tx_guid = t.guid ORDER BY t.rowid, s.rowid", &st))) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            gc_tx *t = tx_following(g, &k, col(st, 0));
            if (!t)
                break;
            int row = sqlite3_column_int(st, 1);
            if ((rc = bo__grow((void **)&t->splits, &t->cap, t->n, sizeof *t->splits)))
                break;
            gc_split *sp = &t->splits[t->n++];
            snprintf(sp->value, sizeof sp->value, "%lld/%lld",
                     (long long)sqlite3_column_int64(st, 4),
                     (long long)sqlite3_column_int64(st, 5));
            snprintf(sp->quantity, sizeof sp->quantity, "%lld/%lld",
                     (long long)sqlite3_column_int64(st, 6),
                     (long long)sqlite3_column_int64(st, 7));
            if ((rc = sql_text(g, sp->account, sizeof sp->account, col(st, 2), "split account",
                               row)))
                break;
            if (col(st, 3)[0] && (rc = sql_dup(g, &sp->memo, col(st, 3), "split memo", row)))
                break;
            sp->reconcile = col(st, 8)[0];
            if ((rc = sql_text(g, sp->lot, sizeof sp->lot, col(st, 9), "split lot", row)))
                break;
            /* a split of a template account: a scheduled transaction's
             * template, skipped with its transaction */
            gc_acct *a = bo__gc_acct(g, sp->account);
            if (a && a->skip == 2)
                t->voided = 2;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    /* the price database (a book without the table has none) */
    if (!rc && sqlite3_prepare_v2(db,
            "SELECT p.rowid, p.guid, COALESCE(c.namespace, ''), COALESCE(c.mnemonic, ''),"
            " COALESCE(u.mnemonic, ''), COALESCE(p.date, ''), COALESCE(p.source, ''),"
            " p.value_num, p.value_denom FROM prices p"
            " LEFT JOIN commodities c ON c.guid = p.commodity_guid"
            " LEFT JOIN commodities u ON u.guid = p.currency_guid ORDER BY p.rowid", -1, &st,
            NULL) == SQLITE_OK) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = bo__grow((void **)&g->price, &g->capprice, g->nprice, sizeof *g->price)))
                break;
            gc_price *p = &g->price[g->nprice++];
            memset(p, 0, sizeof *p);
            p->line = row;
            char ts[40];
            snprintf(ts, sizeof ts, "%.19s +0000", col(st, 5));
            snprintf(p->value, sizeof p->value, "%lld/%lld",
                     (long long)sqlite3_column_int64(st, 7),
                     (long long)sqlite3_column_int64(st, 8));
            if ((rc = sql_text(g, p->guid, sizeof p->guid, col(st, 1), "price guid", row)) ||
                (rc = sql_text(g, p->space, sizeof p->space, col(st, 2), "price commodity space",
                               row)) ||
                (rc = sql_text(g, p->cmdty, sizeof p->cmdty, col(st, 3), "price commodity", row)) ||
                (rc = sql_text(g, p->cur, sizeof p->cur, col(st, 4), "price currency", row)) ||
                (rc = sql_text(g, p->ts, sizeof p->ts, ts, "price date", row)) ||
                (rc = sql_text(g, p->source, sizeof p->source, col(st, 6), "price source", row)))
                break;
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    /* the template accounts leave the model (their transactions too) */
    size_t w = 0;
    for (size_t i = 0; !rc && i < g->nacc; i++) {
        if (g->acc[i].skip == 2) {
            bo__free(g->acc[i].name);
            bo__free(g->acc[i].code);
            continue;
        }
        g->acc[w++] = g->acc[i];
    }
    if (!rc)
        g->nacc = w;
    if (!rc)
        rc = bo__gc_biz_sqlite(g, db);
    if (!rc)
        rc = bo__gc_sx_sqlite(g, db);
    sqlite3_close(db);
    return rc;
}

/* Options checked, the file read whole into g and checked. */
static int read_book(gc *g, const char *path, const bo_gnucash_options *opts,
                     bo_gnucash_options *o, const char **base)
{
    int rc;
    bo_gnucash_options init = BO_GNUCASH_OPTIONS_INIT;
    *o = init;
    memset(g, 0, sizeof *g);
    if ((rc = bo__text_check("path", path, 4096, false, false)))
        return rc;
    if (opts) {
        if (opts->version < 1 || opts->version > BO_GNUCASH_OPTIONS_VERSION)
            return bo__error_set(BO_EINVAL, "options: version %u is not %d", opts->version,
                                 BO_GNUCASH_OPTIONS_VERSION);
        memcpy(o, opts, opts->version == 1 ? offsetof(bo_gnucash_options, write_added)
                                           : sizeof *o);
    }
    if (o->has_utc_offset && (o->utc_offset_minutes < -14 * 60 ||
                              o->utc_offset_minutes > 14 * 60))
        return bo__error_set(BO_EINVAL, "utc_offset_minutes: %d is not between -840 and 840",
                             o->utc_offset_minutes);
    if (o->base_currency && (rc = bo__text_check("base_currency", o->base_currency, 16, false,
                                                 false)))
        return rc;
    if (o->write_added != 0 && o->write_added != 1)
        return bo__error_set(BO_EINVAL, "write_added: %d is not 0 or 1", o->write_added);
    int sqlite = sniff(path);
    if (sqlite < 0)
        return sqlite;
    g->unit = "line";
    if (!(g->text = bo__malloc(GC_TEXT_MAX + 1)))
        return BO_ENOMEM;
    g->text[0] = '\0';
    static const bo__xml_handlers h = { on_start, on_end, on_text };
    *base = o->base_currency;
    if (sqlite) {
        if ((rc = read_sqlite(g, path)))
            bo__error_prefix("%s: ", path);
    } else
        rc = bo__xml_parse_file(path, GC_DEPTH_MAX, &h, g);
    if (!rc && (rc = check_model(g, o, base)))
        bo__error_prefix("%s: ", path);
    if (!rc && !g->book_guid[0])
        snprintf(g->book_guid, sizeof g->book_guid, "%s", "no-book-id");
    if (!rc)
        rc = digest_model(g, o);
    return rc;
}

/* What the book at b holds of g's GnuCash book, compared: *known 0 when it
 * holds nothing of it. */
static int compare(gc *g, bo_book *b, bo__prov_diff *d, int counts[3], int *known)
{
    bo__prov_row *rows;
    size_t n;
    int rc = bo__prov_load(b, "gnucash", g->book_guid, &rows, &n);
    if (rc)
        return rc;
    *known = n > 0;
    rc = diff_model(g, rows, n, d, counts);
    bo__prov_free(rows, n);
    return rc;
}

int bo_book_gnucash_diff(bo_book *book, const char *path, const bo_gnucash_options *opts,
                         bo_cursor **out)
{
    bo__error_clear();
    if (out)
        *out = NULL;
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "%s: NULL", book ? "out" : "book");
    gc g;
    bo_gnucash_options o;
    const char *base;
    int rc = read_book(&g, path, opts, &o, &base), counts[3] = { 0, 0, 0 }, known = 0;
    bo__prov_diff d = { NULL, 0, 0 };
    if (!rc)
        rc = bo__require(book, BO__P_LEDGER_READ);
    if (!rc)
        rc = compare(&g, book, &d, counts, &known);
    if (!rc)
        rc = bo__prov_diff_cursor(&d, out);
    bo__prov_diff_free(&d);
    model_free(&g);
    if (rc)
        bo__error_prefix("GnuCash diff: ");
    return rc;
}

int bo_book_import_gnucash(const char *uri, const char *path, const bo_book_options *book,
                           const bo_gnucash_options *opts)
{
    bo__error_clear();
    bo_gnucash_options o;
    gc g;
    const char *base = NULL;
    int rc;
    if ((rc = bo__text_check("uri", uri, 4096, false, false)))
        return rc;
    rc = read_book(&g, path, opts, &o, &base);
    bo_book *b = NULL;
    if (!rc) {
        bo_book_options bo = BO_BOOK_OPTIONS_INIT;
        if (book)
            bo = *book;
        bo.create = 1;
        bo.base_currency = base;
        rc = bo_book_open(&b, uri, &bo);
    }
    int has_accounts = 0;
    if (!rc) {
        bo_cursor *c = NULL;
        if (!(rc = bo_ledger_accounts(b, &c)))
            has_accounts = bo_cursor_next(c) == 0;
        bo_cursor_free(c);
    }
    /* again: what the book holds of this GnuCash book decides */
    bo__prov_diff d = { NULL, 0, 0 };
    int counts[3] = { 0, 0, 0 }, known = 0;
    if (!rc && has_accounts) {
        if ((rc = compare(&g, b, &d, counts, &known)))
            ;
        else if (!known)
            rc = bo__error_set(BO_EEXISTS, "%s: the book already has accounts (and none "
                               "imported from GnuCash book %s)", uri, g.book_guid);
        else if (counts[1] || counts[2] || (counts[0] && !o.write_added)) {
            const bo__cell *c = d.cells;
            rc = bo__error_set(BO_ECONFLICT, "%s: GnuCash book %s changed since it was "
                               "imported: %d added, %d changed, %d missing (first: %s %s %s); "
                               "nothing written (bo_book_gnucash_diff lists them%s)", path,
                               g.book_guid, counts[0], counts[1], counts[2], c[1].text,
                               c[2].text, c[0].text,
                               counts[1] || counts[2] ? "" : "; write_added writes the new ones");
        }
        base = b ? b->base_currency : base;
    } else {
        for (size_t i = 0; i < g.nacc; i++)
            g.acc[i].write = 1;
        for (size_t i = 0; i < g.ntx; i++)
            g.tx[i].write = 1;
        for (size_t i = 0; i < g.nprice; i++)
            g.price[i].write = 1;
        for (size_t i = 0; i < g.biz.nparty; i++)
            g.biz.party[i].write = 1;
        for (size_t i = 0; i < g.biz.ntt; i++)
            g.biz.tt[i].write = 1;
        for (size_t i = 0; i < g.biz.ninv; i++)
            g.biz.inv[i].write = 1;
        for (size_t i = 0; i < g.nsx; i++)
            g.sx[i].write = 1;
        counts[0] = 1;
    }
    bo__prov_diff_free(&d);
    if (!rc && counts[0] && !(rc = bo_book_begin(b))) {
        g.book_cur = base;
        rc = write_securities(&g, b);
        if (!rc)
            rc = write_accounts(&g, b);
        int64_t written = 0;
        for (size_t i = 0; i < g.nacc; i++)
            written += !g.acc[i].skip && g.acc[i].write;
        for (size_t i = 0; i < g.ntx && !rc; i++)
            if (g.tx[i].write && g.tx[i].voided != 2 && !bo__gc_biz_owns(&g, &g.tx[i])) {
                rc = write_tx(&g, b, &g.tx[i], &o, base);
                written++;
            }
        for (size_t i = 0; i < g.nprice && !rc; i++)
            if (g.price[i].write) {
                rc = write_price(&g, b, &g.price[i], base);
                written++;
            }
        if (!rc)
            rc = bo__gc_biz_write(&g, b, &written);
        if (!rc)
            rc = bo__gc_sx_write(&g, b, &written);
        if (!rc)
            rc = bo__prov_seal(b, "gnucash", g.book_guid, written);
        if (!rc)
            rc = bo_book_commit(b);
        else {
            bo__error_state es;
            bo__error_save(&es);
            bo_book_rollback(b);
            bo__error_restore(&es);
        }
        if (rc)
            bo__error_prefix("%s: ", path);
    }
    bo_book_free(b);
    model_free(&g);
    if (rc)
        bo__error_prefix("GnuCash import: ");
    return rc;
}
