/*
 * The cash-flow statement, indirect method (bo_report_cash_flow,
 * docs/reports.md "The cash-flow statement"): net income of the period,
 * then the change of every balance-sheet account that is not cash, each in
 * its section (operating: working capital; investing; financing), and the
 * cash at the period's beginning and end.
 *
 * Why it adds up: every entry balances in the book currency, so over the
 * period the movements (debits minus credits) of all accounts sum to 0.
 * The cash accounts' movement is therefore minus the movement of every
 * other account: net income (minus the income and expense accounts'
 * movement) plus, for each non-cash balance-sheet account, minus its
 * movement. Year-end closing entries (and their reversals) only move
 * income and expense into retained earnings: they are left out on both
 * sides, as the income statement leaves them out.
 *
 * Figures are book-currency values (the postings' base amounts), summed
 * with the checked helpers while the postings stream.
 */
#include "reports/reports.h"
#include "billing/billing.h"

#include "backoffice/ledger.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CF_NONE = 0, CF_CASH, CF_OPERATING, CF_INVESTING, CF_FINANCING, CF_INCOME };
static const char *const class_names[] = { "", "cash", "operating", "investing", "financing",
                                           "income" };

typedef struct acct {
    char *code, *name, *parent;
    int type;
    int set;     /* the class given in classes, or CF_NONE */
    int dflt;    /* CF_CASH / CF_OPERATING when the book's use of it says so */
    int cls;     /* the class it ends up in */
    int64_t delta; /* movement in the period, debits minus credits */
    int64_t before; /* cash accounts: balance before the period */
} acct;

typedef struct chart {
    acct *a;
    size_t n;
} chart;

static void chart_free(chart *c)
{
    for (size_t i = 0; i < c->n; i++) {
        bo__free(c->a[i].code);
        bo__free(c->a[i].name);
        bo__free(c->a[i].parent);
    }
    bo__free(c->a);
    c->a = NULL;
    c->n = 0;
}

static int by_code(const void *k, const void *e)
{
    return strcmp((const char *)k, ((const acct *)e)->code);
}

static int by_codes(const void *x, const void *y)
{
    return strcmp(((const acct *)x)->code, ((const acct *)y)->code);
}

static acct *find(const chart *c, const char *code)
{
    return code && c->n ? bsearch(code, c->a, c->n, sizeof *c->a, by_code) : NULL;
}

/* The chart through the ledger's own listing (ordered by code). */
static int load_chart(bo_book *b, chart *c)
{
    bo_cursor *cur;
    int rc = bo_ledger_accounts(b, &cur);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = bo_cursor_next(cur)) == 0) {
        if (c->n == cap) {
            cap = cap ? cap * 2 : 64;
            acct *g = bo__realloc(c->a, cap * sizeof *g);
            if (!g) {
                rc = bo__error_set(BO_ENOMEM, "cash flow: out of memory");
                break;
            }
            c->a = g;
        }
        acct *a = &c->a[c->n];
        memset(a, 0, sizeof *a);
        c->n++;
        const char *parent = bo_cursor_text(cur, 3);
        a->code = bo__strdup(bo_cursor_text(cur, 0));
        a->name = bo__strdup(bo_cursor_text(cur, 1) ? bo_cursor_text(cur, 1) : "");
        a->parent = parent ? bo__strdup(parent) : NULL;
        a->type = bo_account_type_parse(bo_cursor_text(cur, 2));
        if (!a->code || !a->name || (parent && !a->parent)) {
            rc = bo__error_set(BO_ENOMEM, "cash flow: out of memory");
            break;
        }
    }
    bo_cursor_free(cur);
    if (rc != BO_ITEROVER)
        return rc;
    /* The listing is ordered by code; bsearch needs the C order. */
    qsort(c->a, c->n, sizeof *c->a, by_codes);
    return 0;
}

/* The accounts the book's use marks as cash or as working capital: the
 * same as bo_billing_cash_flow() finds (cash: the accounts payments went
 * through, bank statements were imported for, a till takes payment into,
 * pay runs were paid from; operating: party, invoice, tax, stock and
 * payroll accounts). Column 1: 1 cash, 2 operating. */
static const char SQL_KNOWN[] =
    "SELECT a.code, 1 FROM " BO__LEDGER_ACCOUNTS " a WHERE" BO__BILLING_CASH_WHERE
    " UNION ALL SELECT code, 2 FROM (" BO__BILLING_OPERATING_CODES ") k"
    " WHERE code IS NOT NULL";

static int load_known(bo_book *b, chart *c)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_KNOWN, &s);
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        acct *a = find(c, bo__stmt_col_text(s, 0));
        int k = (int)bo__stmt_col_int(s, 1) == 1 ? CF_CASH : CF_OPERATING;
        /* Cash wins over working capital (a till's account is both). */
        if (a && (a->dflt == CF_NONE || k == CF_CASH))
            a->dflt = k;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

/* "1500=investing,2500=financing": the class of an account and its
 * sub-accounts. Errors name the item. */
static int parse_classes(const char *spec, chart *c)
{
    if (!spec)
        return 0;
    if (strlen(spec) > 4096)
        return bo__error_set(BO_ETOOLONG, "classes: longer than 4096 bytes");
    if (!bo__utf8_valid(spec, strlen(spec)))
        return bo__error_set(BO_EUTF8, "classes: not valid UTF-8");
    const char *p = spec;
    int item = 0;
    while (*p) {
        item++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!eq || eq == p)
            return bo__error_set(BO_EINVAL, "classes: item %d: not ACCOUNT=CLASS", item);
        size_t clen = (size_t)(eq - p), vlen = len - clen - 1;
        char code[BO_CODE_MAX + 1], q[300];
        if (clen > BO_CODE_MAX)
            return bo__error_set(BO_EINVAL, "classes: item %d: account code too long", item);
        memcpy(code, p, clen);
        code[clen] = '\0';
        int k = CF_NONE;
        for (int i = CF_CASH; i <= CF_FINANCING; i++)
            if (strlen(class_names[i]) == vlen && memcmp(class_names[i], eq + 1, vlen) == 0)
                k = i;
        if (k == CF_NONE)
            return bo__error_set(BO_EINVAL, "classes: item %d: not cash, operating, investing"
                                 " or financing", item);
        acct *a = find(c, code);
        bo__quote(code, 64, q, sizeof q);
        if (!a)
            return bo__error_set(BO_ENOTFOUND, "classes: item %d: no account %s", item, q);
        if (a->type != BO_ACCOUNT_ASSET && a->type != BO_ACCOUNT_LIABILITY &&
            a->type != BO_ACCOUNT_EQUITY)
            return bo__error_set(BO_EINVAL, "classes: item %d: account %s is not on the"
                                 " balance sheet", item, q);
        if (k == CF_CASH && a->type != BO_ACCOUNT_ASSET)
            return bo__error_set(BO_EINVAL, "classes: item %d: account %s is not an asset,"
                                 " so not cash", item, q);
        a->set = k;
        p = end ? end + 1 : p + len;
        if (end && !*p)
            return bo__error_set(BO_EINVAL, "classes: item %d: empty", item + 1);
    }
    return 0;
}

/* The class of a: the nearest given class on it or an ancestor, else the
 * nearest class the book's use gives, else by type. */
static void classify(chart *c)
{
    for (size_t i = 0; i < c->n; i++) {
        acct *a = &c->a[i];
        if (a->type == BO_ACCOUNT_INCOME || a->type == BO_ACCOUNT_EXPENSE) {
            a->cls = CF_INCOME;
            continue;
        }
        int set = CF_NONE, dflt = CF_NONE;
        acct *x = a;
        for (int depth = 0; x && depth < 64; depth++) {
            if (set == CF_NONE)
                set = x->set;
            if (dflt == CF_NONE)
                dflt = x->dflt;
            x = find(c, x->parent);
        }
        a->cls = set ? set : dflt ? dflt
                 : a->type == BO_ACCOUNT_ASSET ? CF_INVESTING : CF_FINANCING;
    }
}

/* Entries in the period that touch equity: the year-end closes among them
 * are left out. */
static const char SQL_EQUITY_ENTRIES[] =
    "SELECT DISTINCT p.entry_id FROM " BO__LEDGER_POSTINGS " p"
    " JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id"
    " WHERE a.type = 3 AND p.date >= ? AND p.date <= ? ORDER BY 1";
static const char SQL_MOVES[] =
    "SELECT a.code, p.entry_id, p.book_amount FROM " BO__LEDGER_POSTINGS " p"
    " JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id"
    " WHERE p.date >= ? AND p.date <= ?";
static const char SQL_BEFORE[] =
    "SELECT p.book_amount FROM " BO__LEDGER_POSTINGS " p"
    " JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id"
    " WHERE a.code = ? AND p.date < ?";

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int closings(bo_book *b, bo_date from, bo_date to, int64_t **out, size_t *n)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_EQUITY_ENTRIES, &s);
    if (rc)
        return rc;
    int64_t *ids = NULL;
    size_t cnt = 0, cap = 0;
    if (!(rc = bo__stmt_bind(s, "dd", from, to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 8;
                int64_t *g = bo__realloc(ids, cap * sizeof *g);
                if (!g) {
                    rc = bo__error_set(BO_ENOMEM, "cash flow: out of memory");
                    break;
                }
                ids = g;
            }
            ids[cnt++] = bo__stmt_col_int(s, 0);
        }
    }
    bo__stmt_done(s);
    if (rc != BO_DRIVER_DONE) {
        bo__free(ids);
        return rc;
    }
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        int closing = 0;
        if ((rc = bo__ledger_is_closing(b, ids[i], &closing))) {
            bo__free(ids);
            return rc;
        }
        if (closing)
            ids[k++] = ids[i];
    }
    *out = ids;
    *n = k;
    return 0;
}

static int movements(bo_book *b, chart *c, bo_date from, bo_date to)
{
    int64_t *skip = NULL;
    size_t nskip = 0;
    int rc = closings(b, from, to, &skip, &nskip);
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_MOVES, &s))) {
        bo__free(skip);
        return rc;
    }
    if (!(rc = bo__stmt_bind(s, "dd", from, to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t entry = bo__stmt_col_int(s, 1);
            if (nskip && bsearch(&entry, skip, nskip, sizeof *skip, cmp_i64))
                continue;
            acct *a = find(c, bo__stmt_col_text(s, 0));
            if (!a) {
                rc = bo__error_set(BO_ECORRUPT, "cash flow: entry %" PRId64 " posts to an"
                                   " account outside the chart", entry);
                break;
            }
            if (bo_money_add(a->delta, bo__stmt_col_int(s, 2), &a->delta)) {
                rc = bo__error_set(BO_EOVERFLOW, "cash flow: the movement of account %s"
                                   " overflows", a->code);
                break;
            }
        }
    }
    bo__stmt_done(s);
    bo__free(skip);
    if (rc != BO_DRIVER_DONE)
        return rc;
    /* The cash accounts' balances before the period. */
    for (size_t i = 0; i < c->n; i++) {
        acct *a = &c->a[i];
        if (a->cls != CF_CASH)
            continue;
        if ((rc = bo__stmt_get(b->store, SQL_BEFORE, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "td", a->code, from)))
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW)
                if (bo_money_add(a->before, bo__stmt_col_int(s, 0), &a->before)) {
                    rc = bo__error_set(BO_EOVERFLOW, "cash flow: the balance of account %s"
                                       " overflows", a->code);
                    break;
                }
        bo__stmt_done(s);
        if (rc != BO_DRIVER_DONE)
            return rc;
    }
    return 0;
}

static int row(bo__st *st, const char *section, const char *code, const char *name,
               const char *cur, int64_t v, int bold, int depth)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        bo__st_row *g = bo__realloc(st->rows, cap * sizeof *g);
        if (!g)
            return bo__error_set(BO_ENOMEM, "cash flow: out of memory");
        st->rows = g;
        st->cap = cap;
    }
    bo__st_row *r = &st->rows[st->n++];
    memset(r, 0, sizeof *r);
    r->bold = bold;
    r->depth = depth;
    snprintf(r->currency, sizeof r->currency, "%s", cur);
    const char *t[4] = { section, code, name, cur };
    for (int k = 0; k < 4; k++)
        if (t[k] && !(r->text[k] = bo__strdup(t[k])))
            return bo__error_set(BO_ENOMEM, "cash flow: out of memory");
    r->v[4] = v;
    r->has[4] = 1;
    return 0;
}

static int overflow(const char *what)
{
    return bo__error_set(BO_EOVERFLOW, "cash flow: %s overflows", what);
}

int bo__rep_cash_flow(bo_book *b, const bo_report_options *o, const char *classes, bo__st *st)
{
    chart c = { 0 };
    int rc;
    if ((rc = bo__require(b, BO__P_LEDGER_READ)) || (rc = load_chart(b, &c)) ||
        (rc = parse_classes(classes, &c)) || (rc = load_known(b, &c)))
        goto out;
    classify(&c);
    if ((rc = movements(b, &c, o->from, o->to)))
        goto out;
    const char *cur = bo_book_base_currency(b);
    cur = cur ? cur : "";
    int64_t income = 0, cash_before = 0, cash_move = 0, change = 0;
    for (size_t i = 0; i < c.n; i++) {
        acct *a = &c.a[i];
        if (a->cls == CF_INCOME && bo_money_sub(income, a->delta, &income))
            rc = overflow("net income");
        if (a->cls == CF_CASH && (bo_money_add(cash_before, a->before, &cash_before) ||
                                  bo_money_add(cash_move, a->delta, &cash_move)))
            rc = overflow("cash");
        if (rc)
            goto out;
    }
    static const char *const heads[] = { "", "", "Operating activities", "Investing activities",
                                         "Financing activities" };
    static const char *const totals[] = { "", "", "Net cash from operating activities",
                                          "Net cash from investing activities",
                                          "Net cash from financing activities" };
    for (int k = CF_OPERATING; k <= CF_FINANCING; k++) {
        int64_t sum = 0;
        if ((rc = row(st, class_names[k], NULL, heads[k], cur, 0, 1, 0)))
            goto out;
        st->rows[st->n - 1].has[4] = 0;
        if (k == CF_OPERATING) {
            if ((rc = row(st, class_names[k], NULL, "Net income", cur, income, 0, 1)))
                goto out;
            sum = income;
        }
        for (size_t i = 0; i < c.n; i++) {
            acct *a = &c.a[i];
            int64_t v;
            if (a->cls != k || a->delta == 0)
                continue;
            if (bo_money_neg(a->delta, &v) || bo_money_add(sum, v, &sum)) {
                rc = overflow(class_names[k]);
                goto out;
            }
            if ((rc = row(st, class_names[k], a->code, a->name, cur, v, 0, 1)))
                goto out;
        }
        if ((rc = row(st, class_names[k], NULL, totals[k], cur, sum, 1, 0)))
            goto out;
        if (bo_money_add(change, sum, &change)) {
            rc = overflow("the net change in cash");
            goto out;
        }
    }
    int64_t end;
    if (bo_money_add(cash_before, cash_move, &end)) {
        rc = overflow("cash at the end");
        goto out;
    }
    if ((rc = row(st, "total", NULL, "Net change in cash", cur, change, 1, 0)) ||
        (rc = row(st, "cash", NULL, "Cash at the beginning", cur, cash_before, 0, 0)) ||
        (rc = row(st, "cash", NULL, "Cash at the end", cur, end, 1, 0)))
        goto out;
    /* The ledger balances in the book currency, so the sections explain the
     * cash accounts' movement to the minor unit; a book whose entries do not
     * balance in it (base amounts missing) shows the gap instead of hiding
     * it. */
    if (cash_move != change) {
        int64_t gap;
        if (bo_money_sub(cash_move, change, &gap)) {
            rc = overflow("the difference");
            goto out;
        }
        rc = row(st, "total", NULL, "Unexplained (entries not balanced in the book currency)",
                 cur, gap, 0, 0);
    }
out:
    chart_free(&c);
    return rc;
}
