/*
 * Payslips (a cursor of lines with year-to-date figures, and rendered as
 * text or HTML), the register of a run, year-to-date totals and the
 * register's export. Every call reads protected pay data: it needs
 * payroll.read and appends an audit record before the data is returned.
 */
#include "payroll/run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_SLIP_ID[] =
    "SELECT s.id, e.id, e.number, e.name FROM pay_slips s"
    " JOIN pay_employees e ON e.id = s.employee_id WHERE s.run_id = ? AND e.number = ?";

static int slip_find(bo_book *b, int64_t run_id, const char *number, int64_t *slip,
                     int64_t *emp_id, char *name, size_t name_size)
{
    int64_t emp;
    int rc = bo__pay_employee_id(b, number, &emp);
    *emp_id = emp;
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_SLIP_ID, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "it", run_id, number))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *slip = bo__stmt_col_int(s, 0);
            if (name)
                snprintf(name, name_size, "%s", bo__stmt_col_text(s, 3));
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "run %" PRId64 ": no payslip for the "
                               "employee", run_id);
        }
    }
    bo__stmt_done(s);
    return rc;
}

/* The year to date (column 4) is this slip's lines of the component plus
 * the posted runs' of the year before it, summed as exact parts (hidden
 * columns 6, 7; util/fixed.h) and joined in C by ytd_row. */
#define YTD_PART(part) \
    " (SELECT COALESCE(SUM(" part("l3.amount") "), 0) FROM pay_lines l3" \
    "   WHERE l3.slip_id = l.slip_id AND l3.component = l.component AND l3.kind = l.kind)" \
    " + COALESCE((SELECT SUM(" part("l2.amount") ") FROM pay_lines l2" \
    "   JOIN pay_slips s2 ON s2.id = l2.slip_id JOIN pay_runs r2 ON r2.id = s2.run_id" \
    "   WHERE s2.employee_id = s.employee_id AND l2.component = l.component" \
    "   AND l2.kind = l.kind AND r2.state IN (4, 5) AND r2.id <> r.id" \
    "   AND r2.pay_date >= substr(r.pay_date, 1, 4) || '-01-01'" \
    "   AND r2.pay_date <= r.pay_date), 0)"
static const char SQL_LINES[] =
    "SELECT l.line, l.component, l.kind, l.amount, 0, l.backpay_for,"
    YTD_PART(BO__SQL_HI) "," YTD_PART(BO__SQL_LO)
    " FROM pay_lines l JOIN pay_slips s ON s.id = l.slip_id"
    " JOIN pay_runs r ON r.id = s.run_id"
    " WHERE l.slip_id = ? AND l.kind <> 'basis' ORDER BY l.line";
static const bo__col LINE_COLS[] = {
    { "line", BO_TYPE_INT }, { "component", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT },
    { "amount", BO_TYPE_INT }, { "ytd_amount", BO_TYPE_INT }, { "backpay_for", BO_TYPE_TEXT },
};

/* A year to date from its exact parts in columns hi and hi + 1 into column
 * col; the component's name is in column comp, the employee's internal id
 * is emp (for the message). */
static int ytd_join(bo_cursor *c, bo__stmt *s, int col, int hi, int comp, int64_t emp)
{
    int64_t v;
    if (bo__fx_narrow(bo__fx_join(bo__stmt_col_int(s, hi), bo__stmt_col_int(s, hi + 1)), &v))
        return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": component '%s': "
                             "the year to date overflows the 64-bit range of pay "
                             "figures", emp, bo__stmt_col_text(s, comp));
    bo__cursor_put_int(c, col, v);
    return 0;
}

static int ytd_row(bo_cursor *c, bo__stmt *s, int64_t emp)
{
    return ytd_join(c, s, 4, 6, 1, emp);
}

static int ytd_list_row(bo_cursor *c, bo__stmt *s, int64_t emp)
{
    return ytd_join(c, s, 2, 3, 0, emp);
}

static int lines_cursor(bo_book *b, int64_t slip, int64_t emp, bo_cursor **out)
{
    int rc = bo__listing(b, 0, NULL, SQL_LINES, LINE_COLS, 6, out, "i", slip);
    if (!rc)
        bo__cursor_on_row(*out, ytd_row, emp);
    return rc;
}

static int begin_read(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__require(book, BO__P_PAYROLL_READ);
}

int bo_payroll_payslip(bo_book *book, int64_t run_id, const char *number, bo_cursor **out)
{
    int64_t slip, emp;
    int rc = begin_read(book, out);
    if (rc || (rc = slip_find(book, run_id, number, &slip, &emp, NULL, 0)) ||
        (rc = bo__pay_audit_read_id(book, "payroll.payslip.read", "slip", slip)))
        return rc;
    return lines_cursor(book, slip, emp, out);
}

void bo__pay_esc(bo__buf *b, const char *s, int html)
{
    for (; s && *s; s++) {
        if (html && *s == '<')
            bo__buf_puts(b, "&lt;");
        else if (html && *s == '>')
            bo__buf_puts(b, "&gt;");
        else if (html && *s == '&')
            bo__buf_puts(b, "&amp;");
        else if (html && *s == '"')
            bo__buf_puts(b, "&quot;");
        else if (html && *s == '\'')
            bo__buf_puts(b, "&#39;");
        else if ((unsigned char)*s < 0x20 && *s != '\n')
            bo__buf_puts(b, "?");
        else
            bo__buf_put(b, s, 1);
    }
}

static void money(char out[48], int64_t v, const char *cur)
{
    if (bo_money_format(v, cur, out, 48))
        snprintf(out, 48, "%" PRId64, v);
}

/* Labels of the rendering in English (lang 0) and Indonesian (lang 1). */
static const char *const L_TITLE[] = { "Payslip", "Slip Gaji" };
static const char *const L_TITLE_TEXT[] = { "PAYSLIP", "SLIP GAJI" };
static const char *const L_EMP[] = { "Employee", "Karyawan" };
static const char *const L_PERIOD[] = { "Period", "Periode" };
static const char *const L_TO[] = { "to", "s.d." };
static const char *const L_PAID[] = { "paid", "dibayar" };
static const char *const L_COMP[] = { "Component", "Komponen" };
static const char *const L_KIND[] = { "Kind", "Jenis" };
static const char *const L_AMOUNT[] = { "Amount", "Jumlah" };
static const char *const L_YTD[] = { "Year to date", "Tahun berjalan" };
static const char *const L_BACKPAY[] = { "back pay", "rapel" };
static const char *const L_GROSS[] = { "Gross", "Jumlah penghasilan" };
static const char *const L_DED[] = { "Deductions", "Jumlah potongan" };
static const char *const L_NET[] = { "Net pay", "Penghasilan bersih" };
static const char *const L_ER[] = { "Employer contributions", "Iuran pemberi kerja" };

typedef struct render_fmt {
    int html, lang, exponent;
    const char *cur;
} render_fmt;

static void amount_str(char out[64], int64_t v, const render_fmt *f)
{
    if (f->lang)
        bo__pay_money_id(out, v, f->cur, f->exponent, 1);
    else
        money(out, v, f->cur);
}

static int render(const bo__pay_run *r, const render_fmt *f, const char *number,
                  const char *name, int64_t emp, bo_cursor *lines, bo__buf *o)
{
    int64_t earn = 0, ded = 0, er = 0, net;
    char a[64], y[64];
    int html = f->html, L = f->lang;
    if (html) {
        bo__buf_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\" />"
                       "<title>%s</title></head><body>\n<h1>%s</h1>\n<p>",
                       L ? "id" : "en", L_TITLE[L], L_TITLE[L]);
        bo__pay_esc(o, number, 1);
        bo__buf_puts(o, " &#8212; ");
        bo__pay_esc(o, name, 1);
        bo__buf_printf(o, "</p>\n<p>%s %s %s %s, %s %s (%s)</p>\n<table>\n"
                       "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
                       L_PERIOD[L], r->start, L_TO[L], r->end, L_PAID[L], r->pay_date,
                       f->cur, L_COMP[L], L_KIND[L], L_AMOUNT[L], L_YTD[L]);
    } else {
        bo__buf_printf(o, "%s\n%s: ", L_TITLE_TEXT[L], L_EMP[L]);
        bo__pay_esc(o, number, 0);
        bo__buf_puts(o, "  ");
        bo__pay_esc(o, name, 0);
        bo__buf_printf(o, "\n%s: %s %s %s, %s %s (%s)\n\n%-30s %-13s %20s %20s\n",
                       L_PERIOD[L], r->start, L_TO[L], r->end, L_PAID[L], r->pay_date,
                       f->cur, L_COMP[L], L_KIND[L], L_AMOUNT[L], L_YTD[L]);
    }
    int rc;
    while ((rc = bo_cursor_next(lines)) == 0) {
        const char *comp = bo_cursor_text(lines, 1), *kind = bo_cursor_text(lines, 2);
        const char *bp = bo_cursor_text(lines, 5);
        int64_t amt = bo_cursor_int(lines, 3);
        amount_str(a, amt, f);
        amount_str(y, bo_cursor_int(lines, 4), f);
        const char *shown = L && bo__pay_label_id(comp) ? bo__pay_label_id(comp) : comp;
        const char *kshown = L ? bo__pay_kind_id(kind) : kind;
        char label[200];
        snprintf(label, sizeof label, "%s%s%s%s%s", shown, bp ? " (" : "",
                 bp ? L_BACKPAY[L] : "", bp ? " " : "", bp ? bp : "");
        if (bp)
            snprintf(label + strlen(label), sizeof label - strlen(label), ")");
        int64_t *sum = kind[0] == 'e' && kind[1] == 'a' ? &earn : kind[0] == 'd' ? &ded : &er;
        if (kind[0] == 'f')
            sum = NULL; /* a figure is shown, never paid */
        if (sum && bo__fx_add(*sum, amt, sum))
            return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": component '%s': "
                                 "the payslip's %s total overflows", emp, comp, kind);
        if (html) {
            bo__buf_puts(o, "<tr><td>");
            bo__pay_esc(o, label, 1);
            bo__buf_puts(o, "</td><td>");
            bo__pay_esc(o, kshown, 1);
            bo__buf_printf(o, "</td><td>%s</td><td>%s</td></tr>\n", a, y);
        } else {
            bo__buf_printf(o, "%-30s %-13s %20s %20s\n", label, kshown, a, y);
        }
    }
    if (rc != BO_ITEROVER)
        return rc;
    if (bo__fx_sub(earn, ded, &net))
        return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": net pay overflows", emp);
    char g[64], d[64], n[64], e[64];
    amount_str(g, earn, f);
    amount_str(d, ded, f);
    amount_str(n, net, f);
    amount_str(e, er, f);
    if (html)
        bo__buf_printf(o, "</table>\n<p>%s %s, %s %s, <strong>%s %s"
                       "</strong>; %s %s</p>\n</body></html>\n",
                       L_GROSS[L], g, L_DED[L], d, L_NET[L], n, L_ER[L], e);
    else {
        const char *lab[4] = { L_GROSS[L], L_DED[L], L_NET[L], L_ER[L] };
        const char *val[4] = { g, d, n, e };
        bo__buf_puts(o, "\n");
        for (int k = 0; k < 4; k++) {
            char colon[48];
            snprintf(colon, sizeof colon, "%s:", lab[k]);
            bo__buf_printf(o, "%-24s %20s\n", colon, val[k]);
        }
    }
    return o->failed ? BO_ENOMEM : 0;
}

int bo_payroll_payslip_render(bo_book *book, int64_t run_id, const char *number,
                          const char *format, bo_cursor **out)
{
    int rc = begin_read(book, out);
    if (rc)
        return rc;
    render_fmt f = { 0, 0, 0, NULL };
    static const char *const formats[] = { "text", "html", "text-id", "html-id" };
    int fi = -1;
    for (int k = 0; format && k < 4; k++)
        if (strcmp(format, formats[k]) == 0)
            fi = k;
    if (fi < 0)
        return bo__error_set(BO_EINVAL, "format: expected text, html, text-id or html-id");
    f.html = fi & 1;
    f.lang = fi >> 1;
    int64_t slip, emp;
    char name[BO_PAYROLL_TEXT_MAX + 1];
    bo__pay_run r;
    const bo__pay_pack *p;
    if ((rc = bo__pay_run_load(book, run_id, &r)) ||
        (rc = slip_find(book, run_id, number, &slip, &emp, name, sizeof name)) ||
        (rc = bo__pay_pack_get(book, r.pack, &p)) ||
        (rc = bo__pay_audit_read_id(book, "payroll.payslip.render", "slip", slip)))
        return rc;
    bo_cursor *lines;
    if ((rc = lines_cursor(book, slip, emp, &lines)))
        return rc;
    bo__buf o = BO__BUF_INIT;
    f.cur = p->currency;
    f.exponent = p->exponent;
    rc = render(&r, &f, number, name, emp, lines, &o);
    bo_cursor_free(lines);
    if (!rc) {
        bo__buf_put(&o, "", 1);
        rc = o.failed ? BO_ENOMEM : bo__pay_document_cursor(book, o.ptr, out);
    }
    bo__buf_free(&o);
    return rc;
}

static const char SQL_REGISTER[] =
    "SELECT e.number, e.name, e.cost_center, s.gross, s.deductions, s.net, s.employer"
    " FROM pay_slips s JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE s.run_id = ? ORDER BY e.number";
static const bo__col REG_COLS[] = {
    { "number", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "cost_center", BO_TYPE_TEXT },
    { "gross", BO_TYPE_INT }, { "deductions_total", BO_TYPE_INT }, { "net", BO_TYPE_INT },
    { "employer_cost", BO_TYPE_INT },
};

static int register_cursor(bo_book *book, int64_t run_id, bo_cursor **out)
{
    bo__pay_run r;
    int rc = bo__pay_run_load(book, run_id, &r);
    if (rc || (rc = bo__pay_audit_read_id(book, "payroll.run.register", "payrun", run_id)))
        return rc;
    return bo__listing(book, 0, NULL, SQL_REGISTER, REG_COLS, 7, out, "i", run_id);
}

int bo_payroll_register(bo_book *book, int64_t run_id, bo_cursor **out)
{
    int rc = begin_read(book, out);
    return rc ? rc : register_cursor(book, run_id, out);
}

/* amount (column 2) joined in C from exact parts (3, 4) by ytd_list_row. */
static const char SQL_YTD_LIST[] =
    "SELECT l.component, l.kind, 0, SUM(" BO__SQL_HI("l.amount") "),"
    " SUM(" BO__SQL_LO("l.amount") ") FROM pay_lines l"
    " JOIN pay_slips s ON s.id = l.slip_id JOIN pay_runs r ON r.id = s.run_id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.pay_date >= ?"
    " AND r.pay_date <= ? AND l.kind <> 'basis'"
    " GROUP BY l.component, l.kind ORDER BY l.kind, l.component";
static const bo__col YTD_COLS[] = {
    { "component", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
};

int bo_payroll_ytd(bo_book *book, const char *number, int year, bo_cursor **out)
{
    int rc = begin_read(book, out);
    if (rc)
        return rc;
    if (year < 1 || year > 9999)
        return bo__error_set(BO_EINVAL, "year: outside 1..9999");
    int64_t emp;
    if ((rc = bo__pay_employee_id(book, number, &emp)) ||
        (rc = bo__pay_audit_read_id(book, "payroll.ytd.read", "employee", emp)))
        return rc;
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-01-01", year);
    snprintf(to, sizeof to, "%04d-12-31", year);
    if (!(rc = bo__listing(book, 0, NULL, SQL_YTD_LIST, YTD_COLS, 3, out, "itt", emp, from,
                           to)))
        bo__cursor_on_row(*out, ytd_list_row, emp);
    return rc;
}

/* One quoted CSV field. Text a spreadsheet would take for a formula ('=',
 * '+', '-', '@', a tab or a carriage return first) gets a leading single
 * quote, so a name cannot run as one when the export is opened. */
void bo__pay_csv_field(bo__buf *o, const char *s)
{
    bo__buf_put(o, "\"", 1);
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        bo__buf_put(o, "'", 1);
    for (; s && *s; s++) {
        if (*s == '"')
            bo__buf_put(o, "\"", 1);
        bo__buf_put(o, s, 1);
    }
    bo__buf_put(o, "\"", 1);
}

static void json_str(bo__buf *o, const char *s)
{
    if (!s) {
        bo__buf_puts(o, "null");
        return;
    }
    bo__buf_put(o, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            bo__buf_printf(o, "\\%c", c);
        else if (c < 0x20)
            bo__buf_printf(o, "\\u%04x", c);
        else
            bo__buf_put(o, s, 1);
    }
    bo__buf_put(o, "\"", 1);
}

int bo_payroll_export(bo_book *book, int64_t run_id, const char *format, bo_cursor **out)
{
    int rc = begin_read(book, out);
    if (rc)
        return rc;
    int json = format && strcmp(format, "json") == 0;
    if (!format || (!json && strcmp(format, "csv") != 0))
        return bo__error_set(BO_EINVAL, "format: expected csv or json");
    /* Money in the pack's currency: integers in JSON, decimals in CSV, each
     * row naming the currency. */
    bo__pay_run r;
    const bo__pay_pack *p;
    bo_cursor *c;
    if ((rc = bo__pay_run_load(book, run_id, &r)) ||
        (rc = bo__pay_pack_get(book, r.pack, &p)) ||
        (rc = register_cursor(book, run_id, &c)))
        return rc;
    bo__buf o = BO__BUF_INIT;
    bo__buf_puts(&o, json ? "[" : "number,name,cost_center,gross,deductions_total,net,"
                                "employer_cost,currency\r\n");
    int first = 1;
    while ((rc = bo_cursor_next(c)) == 0) {
        if (json) {
            bo__buf_puts(&o, first ? "\n  {\"number\": " : ",\n  {\"number\": ");
            json_str(&o, bo_cursor_text(c, 0));
            bo__buf_puts(&o, ", \"name\": ");
            json_str(&o, bo_cursor_text(c, 1));
            bo__buf_puts(&o, ", \"cost_center\": ");
            json_str(&o, bo_cursor_text(c, 2));
            bo__buf_printf(&o, ", \"gross\": %" PRId64 ", \"deductions_total\": %" PRId64
                           ", \"net\": %" PRId64 ", \"employer_cost\": %" PRId64
                           ", \"currency\": ",
                           bo_cursor_int(c, 3), bo_cursor_int(c, 4), bo_cursor_int(c, 5),
                           bo_cursor_int(c, 6));
            json_str(&o, p->currency);
            bo__buf_puts(&o, "}");
        } else {
            for (int k = 0; k < 3; k++) {
                bo__pay_csv_field(&o, bo_cursor_text(c, k));
                bo__buf_put(&o, ",", 1);
            }
            for (int k = 3; k < 7; k++) {
                char m[48];
                money(m, bo_cursor_int(c, k), p->currency);
                bo__buf_printf(&o, "%s,", m);
            }
            bo__buf_printf(&o, "%s\r\n", p->currency);
        }
        first = 0;
    }
    bo_cursor_free(c);
    if (json)
        bo__buf_puts(&o, first ? "]\n" : "\n]\n");
    bo__buf_put(&o, "", 1);
    if (rc == BO_ITEROVER)
        rc = o.failed ? BO_ENOMEM : bo__pay_document_cursor(book, o.ptr, out);
    bo__buf_free(&o);
    return rc;
}
