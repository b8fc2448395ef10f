/*
 * Statements people file (bo_report_statement_write): the balance sheet,
 * the income statement (each with an optional comparison column), the
 * trial balance and the aging of receivables or payables, read from the
 * ledger's and billing's own reports and drawn as HTML, PDF, CSV or XLSX.
 *
 * Every statement is first read whole into a table (bo__st: rows of text
 * and money cells, each row in its currency), then handed to one renderer,
 * so the four formats show the same rows and figures.
 */
#include "reports/reports.h"

#include "backoffice/billing.h"
#include "backoffice/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- the table --------------------------------------------------------------- */

static void st_free(bo__st *st)
{
    for (size_t i = 0; i < st->n; i++)
        for (int k = 0; k < BO__ST_COLS; k++)
            bo__free(st->rows[i].text[k]);
    bo__free(st->rows);
    st->rows = NULL;
    st->n = st->cap = 0;
}

/* A new empty row at position at (st->n: the end). */
static int st_row(bo__st *st, size_t at, bo__st_row **out)
{
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        bo__st_row *grown = bo__realloc(st->rows, cap * sizeof *grown);
        if (!grown)
            return bo__error_set(BO_ENOMEM, "statement: out of memory");
        st->rows = grown;
        st->cap = cap;
    }
    memmove(&st->rows[at + 1], &st->rows[at], (st->n - at) * sizeof *st->rows);
    memset(&st->rows[at], 0, sizeof *st->rows);
    st->n++;
    *out = &st->rows[at];
    return 0;
}

static int st_text(bo__st_row *r, int col, const char *text)
{
    if (!text)
        return 0;
    r->text[col] = bo__strdup(text);
    return r->text[col] ? 0 : bo__error_set(BO_ENOMEM, "statement: out of memory");
}

static void st_money(bo__st_row *r, int col, int64_t v)
{
    r->v[col] = v;
    r->has[col] = 1;
}

/* ---- reading the statements ------------------------------------------------------ */

/* Rows of a ledger statement cursor (section, code, name, depth, currency,
 * amount): into columns Section, Code, Account, Currency, Amount. With a
 * comparison (cmp non-zero) the amount goes to column 5 of the row of the
 * same section, code and currency (made when missing, after the last row
 * of its section). */
static int read_ledger(bo__st *st, bo_cursor *c, int cmp)
{
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *section = bo_cursor_text(c, 0), *code = bo_cursor_text(c, 1),
                   *name = bo_cursor_text(c, 2), *cur = bo_cursor_text(c, 4);
        int64_t depth = bo_cursor_int(c, 3), amount = bo_cursor_int(c, 5);
        bo__st_row *r = NULL;
        if (cmp) {
            size_t last = st->n, i;
            for (i = 0; i < st->n; i++) {
                bo__st_row *x = &st->rows[i];
                const char *xs = x->text[0] ? x->text[0] : "", *xc = x->text[1],
                           *xn = x->text[2] ? x->text[2] : "";
                if (strcmp(xs, section ? section : "") == 0)
                    last = i + 1;
                int same_code = code ? (xc && strcmp(xc, code) == 0)
                                     : (!xc && strcmp(xn, name ? name : "") == 0);
                if (same_code && strcmp(xs, section ? section : "") == 0 &&
                    strcmp(x->currency, cur ? cur : "") == 0) {
                    r = x;
                    break;
                }
            }
            if (!r) {
                if (last == st->n)
                    for (size_t k = 0; k < st->n; k++)
                        if (st->rows[k].text[0] && strcmp(st->rows[k].text[0], "total") == 0) {
                            last = k;
                            break;
                        }
                if ((rc = st_row(st, last, &r)))
                    return rc;
                r->depth = (int)depth;
                snprintf(r->currency, sizeof r->currency, "%s", cur ? cur : "");
                if ((rc = st_text(r, 0, section)) || (rc = st_text(r, 1, code)) ||
                    (rc = st_text(r, 2, name)) || (rc = st_text(r, 3, cur)))
                    return rc;
                r->bold = !code;
            }
            st_money(r, 5, amount);
            continue;
        }
        if ((rc = st_row(st, st->n, &r)))
            return rc;
        r->depth = (int)depth;
        r->bold = !code;
        snprintf(r->currency, sizeof r->currency, "%s", cur ? cur : "");
        if ((rc = st_text(r, 0, section)) || (rc = st_text(r, 1, code)) ||
            (rc = st_text(r, 2, name)) || (rc = st_text(r, 3, cur)))
            return rc;
        st_money(r, 4, amount);
    }
    return rc == BO_ITEROVER ? 0 : rc;
}

/* Totals per currency of the money columns first..last, appended in the
 * order the currencies first appear. */
static int totals(bo__st *st, int label_col, int cur_col, int first, int last)
{
    size_t rows = st->n;
    for (size_t i = 0; i < rows; i++) {
        const char *cur = st->rows[i].currency;
        int seen = 0;
        for (size_t k = 0; k < i; k++)
            if (strcmp(st->rows[k].currency, cur) == 0)
                seen = 1;
        if (seen)
            continue;
        int64_t sum[BO__ST_COLS] = { 0 };
        for (size_t k = i; k < rows; k++) {
            if (strcmp(st->rows[k].currency, cur) != 0)
                continue;
            for (int c = first; c <= last; c++)
                if (bo_money_add(sum[c], st->rows[k].v[c], &sum[c]))
                    return bo__error_set(BO_EOVERFLOW, "statement: the total in %s overflows",
                                         cur);
        }
        bo__st_row *r;
        int rc;
        char label[48];
        snprintf(label, sizeof label, "Total %s", cur);
        if ((rc = st_row(st, st->n, &r)))
            return rc;
        r->bold = 1;
        snprintf(r->currency, sizeof r->currency, "%s", cur);
        if ((rc = st_text(r, label_col, label)) || (rc = st_text(r, cur_col, cur)))
            return rc;
        for (int c = first; c <= last; c++)
            st_money(r, c, sum[c]);
    }
    return 0;
}

static int read_trial(bo_book *b, bo_date as_of, bo__st *st)
{
    bo_cursor *c;
    int rc = bo_ledger_trial_balance(b, as_of, &c);
    if (rc)
        return rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        bo__st_row *r;
        int e;
        const char *cur = bo_cursor_text(c, 3);
        if ((e = st_row(st, st->n, &r)) || (e = st_text(r, 0, bo_cursor_text(c, 0))) ||
            (e = st_text(r, 1, bo_cursor_text(c, 1))) ||
            (e = st_text(r, 2, bo_cursor_text(c, 2))) || (e = st_text(r, 3, cur))) {
            rc = e;
            break;
        }
        snprintf(r->currency, sizeof r->currency, "%s", cur ? cur : "");
        st_money(r, 4, bo_cursor_int(c, 4));
        st_money(r, 5, bo_cursor_int(c, 5));
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    return totals(st, 1, 3, 4, 5);
}

static int read_aging(bo_book *b, int side, bo_date as_of, bo__st *st)
{
    bo_cursor *c;
    int rc = bo_billing_aging(b, side, as_of, &c);
    if (rc)
        return rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        bo__st_row *r;
        int e;
        const char *cur = bo_cursor_text(c, 1);
        if ((e = st_row(st, st->n, &r)) || (e = st_text(r, 0, bo_cursor_text(c, 0))) ||
            (e = st_text(r, 1, cur))) {
            rc = e;
            break;
        }
        snprintf(r->currency, sizeof r->currency, "%s", cur ? cur : "");
        for (int k = 2; k < 8; k++)
            st_money(r, k, bo_cursor_int(c, k));
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    return totals(st, 0, 1, 2, 7);
}

static void period_at(bo__st *st, bo_date d)
{
    char x[11];
    bo__date_iso(d, x);
    snprintf(st->period, sizeof st->period, "At the end of %s", x);
}

static void period_range(bo__st *st, bo_date a, bo_date b)
{
    char x[11], y[11];
    bo__date_iso(a, x);
    bo__date_iso(b, y);
    snprintf(st->period, sizeof st->period, "From %s to %s", x, y);
}

static int build(bo_book *b, int kind, const bo_report_options *o, const char *classes,
                 bo__st *st)
{
    const char *name = bo_book_name(b);
    snprintf(st->book, sizeof st->book, "%s", name && name[0] ? name : "Book");
    static const char *const ledger_head[] = { "Section", "Code", "Account", "Currency",
                                               "Amount", "Comparison" };
    bo_cursor *c;
    int rc;
    bo_date pf = 0, pt = 0;
    if (o->compare && (kind == BO_REPORT_BALANCE_SHEET || kind == BO_REPORT_INCOME_STATEMENT) &&
        (bo__rep_shifted(o, o->from, &pf) || bo__rep_shifted(o, o->to, &pt)))
        return bo__error_set(BO_EINVAL, "compare: the earlier period is before 0001-01-01");
    switch (kind) {
    case BO_REPORT_BALANCE_SHEET:
    case BO_REPORT_INCOME_STATEMENT: {
        int bs = kind == BO_REPORT_BALANCE_SHEET;
        st->title = bs ? "Balance sheet" : "Income statement";
        st->ncols = o->compare ? 6 : 5;
        for (int k = 0; k < st->ncols; k++) {
            st->head[k] = ledger_head[k];
            st->money[k] = k >= 4;
        }
        char x[11], y[11];
        if (bs)
            period_at(st, o->to);
        else
            period_range(st, o->from, o->to);
        if (o->compare) {
            bo__date_iso(pf, x);
            bo__date_iso(pt, y);
            size_t len = strlen(st->period);
            if (bs)
                snprintf(st->period + len, sizeof st->period - len, "; comparison at %s", y);
            else
                snprintf(st->period + len, sizeof st->period - len,
                         "; comparison %s to %s", x, y);
        }
        rc = bs ? bo_ledger_balance_sheet(b, o->to, &c)
                : bo_ledger_income_statement(b, o->from, o->to, &c);
        if (rc)
            return rc;
        rc = read_ledger(st, c, 0);
        bo_cursor_free(c);
        if (rc || !o->compare)
            return rc;
        rc = bs ? bo_ledger_balance_sheet(b, pt, &c)
                : bo_ledger_income_statement(b, pf, pt, &c);
        if (rc)
            return rc;
        rc = read_ledger(st, c, 1);
        bo_cursor_free(c);
        return rc;
    }
    case BO_REPORT_CASH_FLOW: {
        static const char *const head[] = { "Section", "Code", "Item", "Currency", "Amount" };
        st->title = "Cash-flow statement";
        st->ncols = 5;
        for (int k = 0; k < 5; k++) {
            st->head[k] = head[k];
            st->money[k] = k == 4;
        }
        period_range(st, o->from, o->to);
        return bo__rep_cash_flow(b, o, classes, st);
    }
    case BO_REPORT_TRIAL_BALANCE: {
        static const char *const head[] = { "Code", "Account", "Type", "Currency", "Debit",
                                            "Credit" };
        st->title = "Trial balance";
        st->ncols = 6;
        for (int k = 0; k < 6; k++) {
            st->head[k] = head[k];
            st->money[k] = k >= 4;
        }
        period_at(st, o->to);
        return read_trial(b, o->to, st);
    }
    default: {
        static const char *const head[] = { "Party", "Currency", "Current", "1-30 days",
                                            "31-60 days", "61-90 days", "Over 90 days",
                                            "Total" };
        int payable = kind == BO_REPORT_AGING_PAYABLE;
        st->title = payable ? "Payables aging" : "Receivables aging";
        st->ncols = 8;
        for (int k = 0; k < 8; k++) {
            st->head[k] = head[k];
            st->money[k] = k >= 2;
        }
        period_at(st, o->to);
        return read_aging(b, payable ? BO_BILLING_PAYABLE : BO_BILLING_RECEIVABLE, o->to, st);
    }
    }
}

/* ---- HTML and CSV ------------------------------------------------------------------ */

static void esc(bo__buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': bo__buf_puts(b, "&amp;"); break;
        case '<': bo__buf_puts(b, "&lt;"); break;
        case '>': bo__buf_puts(b, "&gt;"); break;
        case '"': bo__buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*p < 0x20)
                bo__buf_puts(b, " ");
            else
                bo__buf_put(b, p, 1);
        }
    }
}

static void html(const bo__st *st, bo__buf *b)
{
    bo__buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>");
    esc(b, st->book);
    bo__buf_puts(b, " - ");
    esc(b, st->title);
    bo__buf_puts(b, "</title><style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:16px}"
                    "table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;"
                    "padding:2px 6px}td.m,th.m{text-align:right}tr.total td{font-weight:bold}"
                    "</style></head><body>\n<h1>");
    esc(b, st->book);
    bo__buf_puts(b, "</h1>\n<h2>");
    esc(b, st->title);
    bo__buf_puts(b, "</h2>\n<p id=\"period\">");
    esc(b, st->period);
    bo__buf_puts(b, "</p>\n<table><tr>");
    for (int k = 0; k < st->ncols; k++) {
        bo__buf_puts(b, st->money[k] ? "<th class=\"m\">" : "<th>");
        esc(b, st->head[k]);
        bo__buf_puts(b, "</th>");
    }
    bo__buf_puts(b, "</tr>\n");
    for (size_t i = 0; i < st->n; i++) {
        const bo__st_row *r = &st->rows[i];
        bo__buf_puts(b, r->bold ? "<tr class=\"total\">" : "<tr>");
        for (int k = 0; k < st->ncols; k++) {
            if (st->money[k]) {
                if (!r->has[k]) {
                    bo__buf_puts(b, "<td class=\"m\"></td>");
                    continue;
                }
                char m[64];
                if (bo_report_money(r->v[k], r->currency, m, sizeof m))
                    snprintf(m, sizeof m, "%" PRId64, r->v[k]);
                bo__buf_printf(b, "<td class=\"m\" data-value=\"%" PRId64 "\">", r->v[k]);
                esc(b, m);
                bo__buf_puts(b, "</td>");
                continue;
            }
            if (k == 2 && r->depth > 0)
                bo__buf_printf(b, "<td style=\"padding-left:%dpx\">", 6 + 12 * r->depth);
            else
                bo__buf_puts(b, "<td>");
            esc(b, r->text[k]);
            bo__buf_puts(b, "</td>");
        }
        bo__buf_puts(b, "</tr>\n");
    }
    bo__buf_puts(b, "</table>\n</body></html>\n");
}

/* A CSV cell: quoted when needed; text a spreadsheet would run as a
 * formula gets a leading single quote. */
static void csv_cell(bo__buf *b, const char *s, int text)
{
    s = s ? s : "";
    int danger = text && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                          s[0] == '\t' || s[0] == '\r');
    int quote = danger || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        bo__buf_puts(b, "\"");
    if (danger)
        bo__buf_puts(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            bo__buf_puts(b, "\"\"");
        else
            bo__buf_put(b, p, 1);
    }
    if (quote)
        bo__buf_puts(b, "\"");
}

static void csv(const bo__st *st, bo__buf *b)
{
    for (int k = 0; k < st->ncols; k++) {
        if (k)
            bo__buf_puts(b, ",");
        csv_cell(b, st->head[k], 1);
    }
    bo__buf_puts(b, "\r\n");
    for (size_t i = 0; i < st->n; i++) {
        const bo__st_row *r = &st->rows[i];
        for (int k = 0; k < st->ncols; k++) {
            if (k)
                bo__buf_puts(b, ",");
            if (st->money[k]) {
                char m[40] = "";
                if (r->has[k] && bo_money_format(r->v[k], r->currency, m, sizeof m))
                    snprintf(m, sizeof m, "%" PRId64, r->v[k]);
                bo__buf_puts(b, m);
            } else {
                csv_cell(b, r->text[k], 1);
            }
        }
        bo__buf_puts(b, "\r\n");
    }
}

#ifndef BO_WITH_LABELS
int bo__st_pdf(const bo__st *st, bo__buf *out)
{
    (void)st;
    (void)out;
    return bo__error_set(BO_ENOTSUP, "format: PDF is not supported in this build");
}
#endif
#ifndef BO_WITH_XLSX
int bo__st_xlsx(const bo__st *st, const char *path)
{
    (void)st;
    (void)path;
    return bo__error_set(BO_ENOTSUP, "format: XLSX is not supported in this build");
}
#endif

static int statement_write(bo_book *book, int statement, const bo_report_options *opts,
                           const char *classes, int format, const char *path)
{
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (!path || !path[0])
        return bo__error_set(BO_EINVAL, "path: NULL or empty");
    if (statement < BO_REPORT_BALANCE_SHEET || statement > BO_REPORT_CASH_FLOW)
        return bo__error_set(BO_EINVAL, "statement: %d is not a bo_report_statement", statement);
    if (format < BO_REPORT_HTML || format > BO_REPORT_XLSX)
        return bo__error_set(BO_EINVAL, "format: %d is not a bo_report_format", format);
    int rc;
    if ((rc = bo__opts_check(opts, BO_REPORT_OPTIONS_VERSION)))
        return rc;
    if (opts->compare < BO_REPORT_COMPARE_NONE || opts->compare > BO_REPORT_COMPARE_PERIOD)
        return bo__error_set(BO_EINVAL, "compare: %d is not a bo_report_compare", opts->compare);
    if (opts->from < BO_DATE_MIN + 400 || opts->to > BO_DATE_MAX - 1 || opts->to < opts->from)
        return bo__error_set(BO_EINVAL, "from/to: not a range of dates (to before from,"
                             " or outside the calendar)");
#ifndef BO_WITH_LABELS
    if (format == BO_REPORT_PDF)
        return bo__error_set(BO_ENOTSUP, "format: PDF is not supported in this build");
#endif
#ifndef BO_WITH_XLSX
    if (format == BO_REPORT_XLSX)
        return bo__error_set(BO_ENOTSUP, "format: XLSX is not supported in this build");
#endif
    bo__st st;
    memset(&st, 0, sizeof st);
    rc = build(book, statement, opts, classes, &st);
    if (!rc)
        rc = bo__st_render(&st, format, path);
    st_free(&st);
    if (!rc)
        bo__error_clear();
    return rc;
}

int bo__st_format_check(int format)
{
    if (format < BO_REPORT_HTML || format > BO_REPORT_XLSX)
        return bo__error_set(BO_EINVAL, "format: %d is not a bo_report_format", format);
#ifndef BO_WITH_LABELS
    if (format == BO_REPORT_PDF)
        return bo__error_set(BO_ENOTSUP, "format: PDF is not supported in this build");
#endif
#ifndef BO_WITH_XLSX
    if (format == BO_REPORT_XLSX)
        return bo__error_set(BO_ENOTSUP, "format: XLSX is not supported in this build");
#endif
    return 0;
}

int bo__st_render(const bo__st *st, int format, const char *path)
{
    int rc = 0;
    bo__buf out = BO__BUF_INIT;
    switch (format) {
    case BO_REPORT_HTML:
        html(st, &out);
        break;
    case BO_REPORT_CSV:
        csv(st, &out);
        break;
    case BO_REPORT_PDF:
        rc = bo__st_pdf(st, &out);
        break;
    default:
        rc = bo__st_xlsx(st, path);
        break;
    }
    if (!rc && format != BO_REPORT_XLSX) {
        if (out.failed)
            rc = bo__error_set(BO_ENOMEM, "statement: out of memory");
        else
            rc = bo__rep_write_file(path, &out);
    }
    bo__buf_free(&out);
    return rc;
}

void bo__st_free(bo__st *st)
{
    st_free(st);
}

int bo__st_add(bo__st *st, bo__st_row **out)
{
    return st_row(st, st->n, out);
}

int bo__st_text(bo__st_row *r, int col, const char *text)
{
    return st_text(r, col, text);
}

int bo_report_statement_write(bo_book *book, int statement, const bo_report_options *opts,
                              int format, const char *path)
{
    bo__error_clear();
    return statement_write(book, statement, opts, NULL, format, path);
}

int bo_report_cash_flow_write(bo_book *book, const bo_report_options *opts, const char *classes,
                              int format, const char *path)
{
    bo__error_clear();
    return statement_write(book, BO_REPORT_CASH_FLOW, opts, classes, format, path);
}

static const bo__col cash_flow_cols[] = {
    { "section", BO_TYPE_TEXT }, { "code", BO_TYPE_TEXT },   { "name", BO_TYPE_TEXT },
    { "currency", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
};

int bo_report_cash_flow(bo_book *book, const bo_report_options *opts, const char *classes,
                        bo_cursor **out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__opts_check(opts, BO_REPORT_OPTIONS_VERSION)))
        return rc;
    if (opts->from < BO_DATE_MIN + 400 || opts->to > BO_DATE_MAX - 1 || opts->to < opts->from)
        return bo__error_set(BO_EINVAL, "from/to: not a range of dates (to before from,"
                             " or outside the calendar)");
    bo__st st;
    memset(&st, 0, sizeof st);
    bo__cell *cells = NULL;
    if (!(rc = bo__rep_cash_flow(book, opts, classes, &st)) && st.n &&
        !(cells = bo__calloc(st.n * 5, sizeof *cells)))
        rc = bo__error_set(BO_ENOMEM, "cash flow: out of memory");
    for (size_t i = 0; !rc && i < st.n; i++) {
        bo__cell *c = &cells[i * 5];
        for (int k = 0; k < 4; k++) {
            c[k].type = st.rows[i].text[k] ? BO_TYPE_TEXT : BO_TYPE_NULL;
            c[k].text = st.rows[i].text[k];
            st.rows[i].text[k] = NULL;
        }
        c[4].type = st.rows[i].has[4] ? BO_TYPE_INT : BO_TYPE_NULL;
        c[4].i = st.rows[i].v[4];
    }
    size_t n = st.n;
    st_free(&st);
    if (rc) {
        bo__cells_free(cells, n * 5);
        return rc;
    }
    return bo__cursor_rows(cash_flow_cols, 5, cells, n, out);
}
