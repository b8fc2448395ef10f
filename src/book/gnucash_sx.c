/*
 * GnuCash's scheduled transactions as recurring entries (src/ledger/
 * recurring.c), from the SQLite book: the schedxactions row, its one
 * recurrence, and the template transaction's splits (on the template
 * account) with their "sched-xaction" slots: the real account's guid and
 * the debit and credit formulas. A formula that is a plain number (digits
 * with an optional decimal point, or a fraction "n/d") is an exact amount;
 * one with variables, functions or operators is refused naming the
 * scheduled transaction and the split, never evaluated.
 */
#include "book/gnucash.h"
#include "ledger/ledger.h"

#include <sqlite3.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sx_fail(sqlite3 *db, const char *what)
{
    return bo__error_set(BO_EINVAL, "not a GnuCash SQLite book: %s: %s", what,
                         sqlite3_errmsg(db));
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

/* "20250131" or "2025-01-31..." as a date; "" as none (*has 0). */
static int gdate(const char *s, bo_date *d, int *has)
{
    int y, m, day;
    *has = 0;
    if (!s[0])
        return 0;
    if ((strlen(s) >= 8 && sscanf(s, "%4d%2d%2d", &y, &m, &day) == 3 && !strchr(s, '-')) ||
        sscanf(s, "%4d-%2d-%2d", &y, &m, &day) == 3) {
        *has = 1;
        return bo_date_from_ymd(y, m, day, d);
    }
    return BO_EINVAL;
}

/* A formula that is a plain number, as "num/den"; 1 when it is not one. */
static int plain(const char *f, char *out, size_t size)
{
    while (*f == ' ')
        f++;
    size_t n = strlen(f);
    while (n && f[n - 1] == ' ')
        n--;
    if (!n) {
        snprintf(out, size, "0/1");
        return 0;
    }
    long long num = 0, den = 1;
    size_t i = 0;
    int neg = f[0] == '-', digits = 0, point = 0;
    if (neg)
        i++;
    for (; i < n; i++) {
        char c = f[i];
        if (c >= '0' && c <= '9') {
            if (num > (INT64_MAX - 9) / 10 || (point && den > INT64_MAX / 10))
                return 1;
            num = num * 10 + (c - '0');
            if (point)
                den *= 10;
            digits++;
        } else if (c == '.' && !point)
            point = 1;
        else if (c == '/' && !point && digits) {
            char *end;
            long long d = strtoll(f + i + 1, &end, 10);
            if (end != f + n || d <= 0 || f[i + 1] < '0' || f[i + 1] > '9')
                return 1;
            den = d;
            break;
        } else
            return 1;
    }
    if (!digits)
        return 1;
    snprintf(out, size, "%lld/%lld", neg ? -num : num, den);
    return 0;
}

int bo__gc_sx_sqlite(gc *g, void *vdb)
{
    sqlite3 *db = vdb;
    sqlite3_stmt *st = NULL, *rs = NULL, *ss = NULL;
    /* a book without the tables has no scheduled transactions */
    if (sqlite3_prepare_v2(db, "SELECT rowid, guid, COALESCE(name, ''), enabled,"
                           " COALESCE(start_date, ''), COALESCE(end_date, ''),"
                           " COALESCE(last_occur, ''), num_occur, rem_occur, auto_create,"
                           " template_act_guid FROM schedxactions ORDER BY rowid", -1, &st,
                           NULL) != SQLITE_OK)
        return 0;
    int rc = 0;
    if (sqlite3_prepare_v2(db, "SELECT recurrence_mult, recurrence_period_type,"
                           " recurrence_period_start, recurrence_weekend_adjust"
                           " FROM recurrences WHERE obj_guid = ? ORDER BY id", -1, &rs,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
            "SELECT s.rowid, COALESCE(s.memo, ''), COALESCE(t.description, ''),"
            " COALESCE(c.mnemonic, ''),"
            " (SELECT a.guid_val FROM slots a WHERE a.name = 'sched-xaction/account' AND"
            "  a.obj_guid IN (s.guid, COALESCE(f.guid_val, ''))),"
            " (SELECT a.string_val FROM slots a WHERE a.name = 'sched-xaction/debit-formula'"
            "  AND a.obj_guid IN (s.guid, COALESCE(f.guid_val, ''))),"
            " (SELECT a.string_val FROM slots a WHERE a.name = 'sched-xaction/credit-formula'"
            "  AND a.obj_guid IN (s.guid, COALESCE(f.guid_val, '')))"
            " FROM splits s JOIN transactions t ON t.guid = s.tx_guid"
            " LEFT JOIN commodities c ON c.guid = t.currency_guid"
            " LEFT JOIN slots f ON f.obj_guid = s.guid AND f.name = 'sched-xaction'"
            " WHERE s.account_guid = ? ORDER BY t.rowid, s.rowid", -1, &ss, NULL) != SQLITE_OK)
        rc = sx_fail(db, "recurrences or template splits");
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if ((rc = bo__grow((void **)&g->sx, &g->capsx, g->nsx, sizeof *g->sx)))
            break;
        gc_sx *x = &g->sx[g->nsx++];
        memset(x, 0, sizeof *x);
        x->line = sqlite3_column_int(st, 0);
        snprintf(x->guid, sizeof x->guid, "%.32s", col(st, 1));
        snprintf(x->name, sizeof x->name, "%.200s", col(st, 2));
        x->enabled = sqlite3_column_int(st, 3) != 0;
        snprintf(x->start, sizeof x->start, "%.19s", col(st, 4));
        snprintf(x->end, sizeof x->end, "%.19s", col(st, 5));
        snprintf(x->last, sizeof x->last, "%.19s", col(st, 6));
        x->num = sqlite3_column_int(st, 7);
        x->rem = sqlite3_column_int(st, 8);
        x->autocreate = sqlite3_column_int(st, 9) != 0;
        sqlite3_reset(rs);
        sqlite3_bind_text(rs, 1, x->guid, -1, SQLITE_TRANSIENT);
        while (sqlite3_step(rs) == SQLITE_ROW) {
            x->nrec++;
            x->mult = sqlite3_column_int(rs, 0);
            snprintf(x->ptype, sizeof x->ptype, "%.23s", col(rs, 1));
            snprintf(x->pstart, sizeof x->pstart, "%.19s", col(rs, 2));
            snprintf(x->wadj, sizeof x->wadj, "%.15s", col(rs, 3));
        }
        sqlite3_reset(ss);
        sqlite3_bind_text(ss, 1, col(st, 10), -1, SQLITE_TRANSIENT);
        while (!rc && sqlite3_step(ss) == SQLITE_ROW) {
            if (x->n == GC_SX_SPLITS) {
                x->extra = 1;
                break;
            }
            gc_sx_split *p = &x->s[x->n++];
            p->row = sqlite3_column_int(ss, 0);
            snprintf(p->memo, sizeof p->memo, "%.255s", col(ss, 1));
            snprintf(x->desc, sizeof x->desc, "%.255s", col(ss, 2));
            snprintf(x->cur, sizeof x->cur, "%.31s", col(ss, 3));
            snprintf(p->account, sizeof p->account, "%.32s", col(ss, 4));
            snprintf(p->debit, sizeof p->debit, "%.63s", col(ss, 5));
            snprintf(p->credit, sizeof p->credit, "%.63s", col(ss, 6));
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(rs);
    sqlite3_finalize(ss);
    return rc;
}

/* Where a record is: a table's row (SQLite) or a line (XML). */
static const char *where(const gc *g, int split)
{
    return strcmp(g->unit, "row") ? "line" : split ? "splits row" : "schedxactions row";
}

static const struct { const char *name; int period; } periods[] = {
    { "day", BO_RECUR_DAY }, { "week", BO_RECUR_WEEK }, { "month", BO_RECUR_MONTH },
    { "end of month", BO_RECUR_MONTH_END }, { "year", BO_RECUR_YEAR },
};

int bo__gc_sx_check(gc *g)
{
    /* the XML file's template splits, to their scheduled transactions */
    for (size_t i = 0; i < g->nts; i++)
        for (size_t k = 0; k < g->nsx; k++) {
            gc_sx *x = &g->sx[k];
            if (strcmp(x->tacct, g->ts[i].tacct))
                continue;
            if (x->n == GC_SX_SPLITS) {
                x->extra = 1;
                break;
            }
            x->s[x->n++] = g->ts[i].s;
            snprintf(x->cur, sizeof x->cur, "%s", g->ts[i].cur);
            snprintf(x->desc, sizeof x->desc, "%s", g->ts[i].desc);
        }
    g->nts = 0;
    for (size_t i = 0; i < g->nsx; i++) {
        gc_sx *x = &g->sx[i];
        int exp;
#define SXFAIL(code, table, line, name, fmt, ...) \
    bo__error_set(code, "%s %d: scheduled transaction '%s': " fmt, table, line, name, __VA_ARGS__)
        if (x->nrec != 1)
            return SXFAIL(BO_ENOTSUP, where(g, 0), x->line, x->name,
                          "%d recurrences (one is read)", x->nrec);
        for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++)
            if (!strcmp(periods[k].name, x->ptype))
                x->period = periods[k].period;
        if (!x->period)
            return SXFAIL(BO_ENOTSUP, where(g, 0), x->line, x->name,
                          "period '%s' is not a day, week, month, end of month or year",
                          x->ptype);
        if (strcmp(x->wadj, "none") && x->wadj[0])
            return SXFAIL(BO_ENOTSUP, where(g, 0), x->line, x->name,
                          "weekend adjustment '%s' is not read", x->wadj);
        if (x->mult < 1 || x->mult > 1000)
            return SXFAIL(BO_EINVAL, where(g, 0), x->line, x->name,
                          "multiplier %d is outside 1..1000", x->mult);
        bo_date start, pstart;
        int hs, hp;
        if (gdate(x->start, &start, &hs) || !hs || gdate(x->pstart, &pstart, &hp) || !hp ||
            gdate(x->end, &x->d_end, &x->has_end) || gdate(x->last, &x->d_last, &x->has_last))
            return SXFAIL(BO_EINVAL, where(g, 0), x->line, x->name,
                          "a date is not a date (start '%s', end '%s', last '%s', "
                          "recurrence '%s')", x->start, x->end, x->last, x->pstart);
        /* the occurrences are those of the recurrence from its start, on or
         * after the scheduled transaction's start */
        x->d_start = pstart;
        if (start > pstart && !x->has_last) {
            x->has_last = 1;
            x->d_last = start - 1;
        }
        if (x->extra || x->n < 2)
            return SXFAIL(BO_ENOTSUP, where(g, 0), x->line, x->name,
                          "%d template splits (2..%d are read)", x->n, GC_SX_SPLITS);
        if (bo_currency_exponent(x->cur, &exp))
            return SXFAIL(BO_ECURRENCY, where(g, 0), x->line, x->name,
                          "currency '%s' is not an ISO 4217 currency", x->cur);
        for (int k = 0; k < x->n; k++) {
            gc_sx_split *p = &x->s[k];
            char d[48], c[48];
            gc_acct *a = bo__gc_acct(g, p->account);
            if (plain(p->debit, d, sizeof d) || plain(p->credit, c, sizeof c))
                return SXFAIL(BO_EINVAL, where(g, 1), p->row, x->name,
                              "split %d: formula '%s' is not a plain number (variables and "
                              "functions are not evaluated)", k + 1,
                              plain(p->debit, d, sizeof d) ? p->debit : p->credit);
            if (!a || a->skip)
                return SXFAIL(BO_EINVAL, where(g, 1), p->row, x->name,
                              "split %d: account %s is not in the book", k + 1, p->account);
            if (strcmp(a->cmdty, x->cur))
                return SXFAIL(BO_ENOTSUP, where(g, 1), p->row, x->name,
                              "split %d: account %s holds %s, the template %s", k + 1,
                              a->our, a->cmdty, x->cur);
            int64_t dv, cv;
            int r1 = bo__gc_minor(d, exp, &dv), r2 = bo__gc_minor(c, exp, &cv);
            if (r1 || r2)
                return SXFAIL(BO_EINVAL, where(g, 1), p->row, x->name,
                              "split %d: '%s' or '%s' does not fit the scale of %s "
                              "(refused, never rounded)", k + 1, p->debit, p->credit, x->cur);
            if (bo_money_sub(dv, cv, &p->amount))
                return SXFAIL(BO_EOVERFLOW, where(g, 1), p->row, x->name, "split %d: overflow",
                              k + 1);
        }
#undef SXFAIL
    }
    return 0;
}

int bo__gc_sx_digest(gc *g)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->nsx; i++) {
        gc_sx *x = &g->sx[i];
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "schedxaction");
        bo__buf_field(&b, x->guid);
        bo__buf_field(&b, x->name);
        bo__buf_field_int(&b, x->enabled);
        bo__buf_field(&b, x->start);
        bo__buf_field(&b, x->end);
        bo__buf_field(&b, x->last);
        bo__buf_field_int(&b, x->num);
        bo__buf_field_int(&b, x->rem);
        bo__buf_field(&b, x->ptype);
        bo__buf_field_int(&b, x->mult);
        bo__buf_field(&b, x->pstart);
        for (int k = 0; k < x->n; k++) {
            bo__buf_field(&b, x->s[k].account);
            bo__buf_field(&b, x->s[k].debit);
            bo__buf_field(&b, x->s[k].credit);
            bo__buf_field(&b, x->s[k].memo);
        }
        rc = bo__buf_digest(&b, x->digest);
    }
    return rc;
}

int bo__gc_sx_diff(gc *g, bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3])
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->nsx; i++)
        rc = bo__prov_compare_one(rows, n, "schedxaction", g->sx[i].guid, g->sx[i].digest,
                                  &g->sx[i].write, NULL, d, counts);
    return rc;
}

int bo__gc_sx_write(gc *g, bo_book *book, int64_t *written)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < g->nsx; i++) {
        gc_sx *x = &g->sx[i];
        if (!x->write)
            continue;
        bo_entry *e;
        if ((rc = bo_entry_new(&e, x->d_start, x->desc[0] ? x->desc : x->name)))
            break;
        for (int k = 0; !rc && k < x->n; k++)
            if (x->s[k].amount)
                rc = bo_entry_add(e, bo__gc_acct(g, x->s[k].account)->our, x->s[k].amount,
                                  x->cur, x->s[k].memo[0] ? x->s[k].memo : NULL);
        /* GnuCash's remaining occurrences count only with a number of
         * occurrences; its last occurrence is the last one made there */
        bo__recur r = { x->period, x->mult, x->enabled, x->has_end, x->has_last, x->d_end,
                        x->d_last, x->num > 0 ? x->rem : -1 };
        int64_t id = 0;
        char record[48], attrs[64];
        if (!rc)
            rc = bo__ledger_recurring_add(book, e, &r, &id);
        bo_entry_free(e);
        snprintf(record, sizeof record, "recurring_entry:%" PRId64, id);
        snprintf(attrs, sizeof attrs, "auto-create=%d", x->autocreate);
        if (!rc)
            rc = bo__prov_put(book, "gnucash", g->book_guid, x->guid, x->digest, record, attrs);
        if (rc)
            bo__error_prefix("%s %d: scheduled transaction '%s': ", where(g, 0), x->line,
                             x->name);
        (*written)++;
    }
    return rc;
}

/* ---- the XML file ------------------------------------------------------------ */

int bo__gc_sx_start(gc *g, const char *name, int line)
{
    int rc = 0;
    if (!g->template_depth) { /* <gnc:schedxaction> */
        if ((rc = bo__grow((void **)&g->sx, &g->capsx, g->nsx, sizeof *g->sx)))
            return rc;
        memset(&g->sx[g->nsx], 0, sizeof *g->sx);
        g->sx[g->nsx++].line = line;
        return 0;
    }
    if (!strcmp(name, "transaction") && !strcmp(bo__gc_up(g, 1), "template-transactions")) {
        g->tcur[0] = g->tdesc[0] = '\0';
    } else if (!strcmp(name, "split") && !strcmp(bo__gc_up(g, 1), "splits")) {
        if ((rc = bo__grow((void **)&g->ts, &g->capts, g->nts, sizeof *g->ts)))
            return rc;
        gc_tsplit *t = &g->ts[g->nts++];
        memset(t, 0, sizeof *t);
        t->s.row = line;
        snprintf(t->cur, sizeof t->cur, "%s", g->tcur);
        snprintf(t->desc, sizeof t->desc, "%s", g->tdesc);
    } else if (!strcmp(name, "slot"))
        g->slot_key[0] = '\0';
    return 0;
}

static int sx_text(gc *g, char *dst, size_t size, const char *what)
{
    return bo__gc_keep(g, dst, size, what);
}

int bo__gc_sx_end(gc *g, const char *name)
{
    const char *p1 = bo__gc_up(g, 1), *p2 = bo__gc_up(g, 2);
    if (g->template_depth) {
        if (!strcmp(name, "id") && !strcmp(p1, "currency") && !strcmp(p2, "transaction"))
            return sx_text(g, g->tcur, sizeof g->tcur, "template currency");
        if (!strcmp(name, "description") && !strcmp(p1, "transaction"))
            return sx_text(g, g->tdesc, sizeof g->tdesc, "template description");
        if (!g->nts || !strcmp(p1, "transaction"))
            return 0;
        gc_tsplit *t = &g->ts[g->nts - 1];
        if (!strcmp(name, "memo") && !strcmp(p1, "split"))
            return sx_text(g, t->s.memo, sizeof t->s.memo, "template split memo");
        if (!strcmp(name, "account") && !strcmp(p1, "split"))
            return sx_text(g, t->tacct, sizeof t->tacct, "template split account");
        if (!strcmp(name, "key") && !strcmp(p1, "slot"))
            return sx_text(g, g->slot_key, sizeof g->slot_key, "slot key");
        if (!strcmp(name, "value") && !strcmp(p1, "slot") && !strcmp(p2, "value")) {
            if (!strcmp(g->slot_key, "account"))
                return sx_text(g, t->s.account, sizeof t->s.account, "sched-xaction account");
            if (!strcmp(g->slot_key, "debit-formula"))
                return sx_text(g, t->s.debit, sizeof t->s.debit, "debit formula");
            if (!strcmp(g->slot_key, "credit-formula"))
                return sx_text(g, t->s.credit, sizeof t->s.credit, "credit formula");
        }
        return 0;
    }
    gc_sx *x = &g->sx[g->nsx - 1];
    if (g->depth == 4) {
        if (!strcmp(name, "id"))
            return sx_text(g, x->guid, sizeof x->guid, "scheduled transaction id");
        if (!strcmp(name, "name"))
            return sx_text(g, x->name, sizeof x->name, "scheduled transaction name");
        if (!strcmp(name, "enabled"))
            x->enabled = g->text[0] == 'y';
        else if (!strcmp(name, "autoCreate"))
            x->autocreate = g->text[0] == 'y';
        else if (!strcmp(name, "num-occur"))
            x->num = atoi(g->text);
        else if (!strcmp(name, "rem-occur"))
            x->rem = atoi(g->text);
        else if (!strcmp(name, "templ-acct"))
            return sx_text(g, x->tacct, sizeof x->tacct, "template account");
        return 0;
    }
    if (!strcmp(name, "gdate") && g->depth == 5) {
        if (!strcmp(p1, "start"))
            return sx_text(g, x->start, sizeof x->start, "start");
        if (!strcmp(p1, "end"))
            return sx_text(g, x->end, sizeof x->end, "end");
        if (!strcmp(p1, "last"))
            return sx_text(g, x->last, sizeof x->last, "last");
        return 0;
    }
    if (!strcmp(name, "recurrence") && !strcmp(p1, "schedule"))
        x->nrec++;
    else if (!strcmp(name, "mult") && !strcmp(p1, "recurrence"))
        x->mult = atoi(g->text);
    else if (!strcmp(name, "period_type") && !strcmp(p1, "recurrence"))
        return sx_text(g, x->ptype, sizeof x->ptype, "recurrence period type");
    else if (!strcmp(name, "weekend_adj") && !strcmp(p1, "recurrence"))
        return sx_text(g, x->wadj, sizeof x->wadj, "recurrence weekend adjustment");
    else if (!strcmp(name, "gdate") && !strcmp(p1, "start") && !strcmp(p2, "recurrence"))
        return sx_text(g, x->pstart, sizeof x->pstart, "recurrence start");
    return 0;
}
