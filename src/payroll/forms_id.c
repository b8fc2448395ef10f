/*
 * The Indonesian outputs of a pack shaped like data/payroll/id-2024.yaml:
 * the annual withholding slip of an employee (the figures of form 1721-A1),
 * the month's withholding lines as CSV (what the monthly return, SPT Masa
 * PPh 21, lists per recipient), and the labels and money of a payslip
 * rendered in Indonesian (payslip.c). They read the slips of posted runs
 * (not reversed), the components the pack names (salary, bruto_month,
 * pph21, the last period's figures) and its tables ter_category, ter_a,
 * ter_b and ter_c. Every call needs payroll.read and is audited.
 */
#include "payroll/run.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- money and labels in Indonesian -------------------------------------- */

void bo__pay_money_id(char out[64], int64_t v, const char *cur, int exponent, int sym)
{
    /* the magnitude as unsigned: INT64_MIN has no positive int64 */
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, unit = 1;
    for (int k = 0; k < exponent && k < 18; k++)
        unit *= 10;
    uint64_t whole = mag / unit, frac = mag % unit;
    char digits[24], grouped[40], minor[24] = "";
    int n = snprintf(digits, sizeof digits, "%" PRIu64, whole), g = 0;
    for (int k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0)
            grouped[g++] = '.';
        grouped[g++] = digits[k];
    }
    grouped[g] = '\0';
    if (frac)
        snprintf(minor, sizeof minor, ",%0*" PRIu64, exponent, frac);
    const char *s = !sym ? "" : strcmp(cur, "IDR") == 0 ? "Rp" : cur;
    /* at most 1 + 8 + 1 + 26 + 19 bytes: within the 64 */
    snprintf(out, 64, "%s%.8s%s%.26s%.19s", v < 0 ? "-" : "", s, sym ? " " : "", grouped,
             minor);
}

static const char *const LABELS_ID[][2] = {
    { "salary", "Gaji pokok" }, { "allowance", "Tunjangan" }, { "overtime", "Lembur" },
    { "bonus", "Bonus" }, { "thr", "THR" }, { "scholarship", "Beasiswa" },
    { "other_income", "Penghasilan lain" }, { "wage", "Upah" },
    { "tax_allowance", "Tunjangan PPh" }, { "jkk", "JKK" }, { "jkm", "JKM" },
    { "bpjs_kes_employer", "BPJS Kesehatan (pemberi kerja)" },
    { "bpjs_kes", "BPJS Kesehatan" }, { "jht_employer", "JHT (pemberi kerja)" },
    { "jht", "JHT" }, { "jp_employer", "JP (pemberi kerja)" }, { "jp", "JP" },
    { "pension", "Iuran pensiun" }, { "pension_employer", "Iuran pensiun (pemberi kerja)" },
    { "zakat", "Zakat" }, { "bruto_month", "Penghasilan bruto sebulan" },
    { "bruto_year", "Penghasilan bruto setahun" }, { "biaya_jabatan", "Biaya jabatan" },
    { "biaya_pensiun", "Biaya pensiun" }, { "pension_year", "Iuran pensiun/JHT/JP setahun" },
    { "zakat_year", "Zakat setahun" }, { "neto_previous", "Neto pemberi kerja sebelumnya" },
    { "neto", "Penghasilan neto" }, { "neto_annual", "Neto setahun/disetahunkan" },
    { "ptkp", "PTKP" }, { "pkp", "PKP" }, { "pph21_annual", "PPh 21 atas PKP" },
    { "pph21_year", "PPh 21 terutang setahun" }, { "withheld", "PPh 21 telah dipotong" },
    { "dpp", "DPP (50% bruto, kumulatif)" }, { "pph21", "PPh 21" },
    { "pph21_refund", "Kelebihan PPh 21 dikembalikan" }, { "terms", "Gaji" },
};

const char *bo__pay_label_id(const char *component)
{
    for (size_t k = 0; component && k < sizeof LABELS_ID / sizeof LABELS_ID[0]; k++)
        if (strcmp(LABELS_ID[k][0], component) == 0)
            return LABELS_ID[k][1];
    return NULL;
}

const char *bo__pay_kind_id(const char *kind)
{
    static const char *const k[][2] = {
        { "earning", "penghasilan" }, { "deduction", "potongan" },
        { "employer", "pemberi kerja" }, { "figure", "perhitungan" },
    };
    for (size_t i = 0; kind && i < sizeof k / sizeof k[0]; i++)
        if (strcmp(k[i][0], kind) == 0)
            return k[i][1];
    return kind;
}

/* ---- who receives what: the tax-object code -------------------------------- */

/* Kode objek pajak of PPh 21 by the pack's recipient (employee.recipient). */
static const char *object_code(const char *recipient)
{
    static const char *const codes[][2] = {
        { "", "21-100-01" },           /* pegawai tetap */
        { "employee", "21-100-01" },
        { "pensioner", "21-100-02" },  /* penerima pensiun berkala */
        { "casual", "21-100-03" },     /* pegawai tidak tetap / tenaga kerja lepas */
        { "daily", "21-100-03" },
        { "non-employee", "21-100-08" }, /* bukan pegawai lainnya */
        { "commissioner", "21-100-09" }, /* komisaris tidak merangkap pegawai tetap */
        { "pension-withdrawal", "21-100-11" }, /* penarikan dana pensiun */
        { "prize", "21-100-12" },      /* peserta kegiatan */
    };
    const char *r = recipient ? recipient : "";
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++)
        if (strcmp(codes[k][0], r) == 0)
            return codes[k][1];
    return "";
}

static int settles(const char *recipient)
{
    return !recipient || !recipient[0] || strcmp(recipient, "employee") == 0 ||
           strcmp(recipient, "pensioner") == 0;
}

static int begin(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__require(book, BO__P_PAYROLL_READ);
}

/* ---- form 1721-A1 ----------------------------------------------------------- */

#define F_N 22
static const char *const FORM_LABEL[F_N + 1] = {
    NULL,
    "Gaji/pensiun atau THT/JHT",
    "Tunjangan PPh",
    "Tunjangan lainnya, uang lembur dan sebagainya",
    "Honorarium dan imbalan lain sejenisnya",
    "Premi asuransi yang dibayar pemberi kerja",
    "Penerimaan dalam bentuk natura dan kenikmatan lainnya",
    "Tantiem, bonus, gratifikasi, jasa produksi dan THR",
    "Jumlah penghasilan bruto (1 s.d. 7)",
    "Biaya jabatan/biaya pensiun",
    "Iuran terkait pensiun atau hari tua (pensiun, THT/JHT, JP)",
    "Zakat/sumbangan keagamaan wajib melalui pemberi kerja",
    "Jumlah pengurangan (9 s.d. 11)",
    "Jumlah penghasilan neto (8 - 12)",
    "Penghasilan neto dari pemotongan sebelumnya",
    "Penghasilan neto setahun/disetahunkan",
    "Penghasilan tidak kena pajak (PTKP)",
    "Penghasilan kena pajak setahun/disetahunkan (15 - 16)",
    "PPh Pasal 21 atas penghasilan kena pajak setahun/disetahunkan",
    "PPh Pasal 21 yang telah dipotong pemotongan sebelumnya",
    "PPh Pasal 21 terutang",
    "PPh Pasal 21 dipotong masa pajak sebelum masa terakhir",
    "PPh Pasal 21 masa pajak terakhir, kurang (lebih) dipotong",
};

/* Where a component of the year's slips goes among lines 1..7. */
static int bruto_line(const char *comp)
{
    static const struct { const char *c; int line; } m[] = {
        { "salary", 1 }, { "wage", 1 }, { "tax_allowance", 2 }, { "allowance", 3 },
        { "overtime", 3 }, { "scholarship", 3 }, { "other_income", 3 }, { "jkk", 5 },
        { "jkm", 5 }, { "bpjs_kes_employer", 5 }, { "bonus", 7 }, { "thr", 7 },
    };
    for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
        if (strcmp(m[k].c, comp) == 0)
            return m[k].line;
    return 0;
}

/* The last period's figures the form reads, in this order. */
static const char *const FIG[] = {
    "bruto_year", "biaya_jabatan", "biaya_pensiun", "pension_year", "zakat_year",
    "neto_previous", "neto", "neto_annual", "ptkp", "pkp", "pph21_annual", "pph21_year",
    "withheld", "pph21", "pph21_refund",
};
enum { G_BRUTO_YEAR, G_BJ, G_BP, G_PENSION, G_ZAKAT, G_NETO_PREV, G_NETO, G_NETO_ANNUAL,
       G_PTKP, G_PKP, G_PPH_ANNUAL, G_PPH_YEAR, G_WITHHELD, G_PPH21, G_REFUND, G_N };

typedef struct form {
    int64_t emp;
    char number[BO_PAYROLL_TEXT_MAX + 1], name[BO_PAYROLL_TEXT_MAX + 1];
    char status[BO_PAYROLL_TEXT_MAX + 1], recipient[BO_PAYROLL_TEXT_MAX + 1];
    char *tax_id;
    char first[11], last[11]; /* period start of the first slip, end of the last */
    int year;
    const char *cur;
    int exponent;
    int64_t line[F_N + 1];
    int64_t fig[G_N];
} form;

static const char SQL_EMP[] =
    "SELECT number, name, tax_status, recipient, tax_id FROM pay_employees WHERE id = ?";

/* The employee's last period of the year: the latest posted slip with the
 * annual computation (the figure pph21_year). */
static const char SQL_LAST[] =
    "SELECT s.id, r.pay_date, r.period_end, r.pack FROM pay_slips s"
    " JOIN pay_runs r ON r.id = s.run_id JOIN pay_lines l ON l.slip_id = s.id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.pay_date >= ?"
    " AND r.pay_date <= ? AND l.component = 'pph21_year' AND l.kind = 'figure'"
    " ORDER BY r.pay_date DESC, r.id DESC LIMIT 1";

/* Every line of the employee's posted slips of the year up to the last
 * period, by slip. */
static const char SQL_YEAR_LINES[] =
    "SELECT s.id, r.period_start, l.component, l.kind, l.amount FROM pay_lines l"
    " JOIN pay_slips s ON s.id = l.slip_id JOIN pay_runs r ON r.id = s.run_id"
    " WHERE s.employee_id = ? AND r.state IN (4, 5) AND r.pay_date >= ?"
    " AND r.pay_date <= ? AND l.kind <> 'basis' ORDER BY r.pay_date, r.id, l.line";

static int form_overflow(const form *f, const char *what)
{
    return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": form 1721-A1: %s "
                         "overflows the 64-bit range of pay figures", f->emp, what);
}

static int form_lines(bo_book *b, form *f);

/* The employee, the year's slips, the tax id opened. */
static int form_gather(bo_book *b, form *f)
{
    int rc;
    char *stored = NULL; /* tax_id as stored (sealed) */
    {
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_EMP, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "i", f->emp)) && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            snprintf(f->number, sizeof f->number, "%s", bo__stmt_col_text(s, 0));
            snprintf(f->name, sizeof f->name, "%s", bo__stmt_col_text(s, 1));
            snprintf(f->status, sizeof f->status, "%s",
                     bo__stmt_is_null(s, 2) ? "" : bo__stmt_col_text(s, 2));
            snprintf(f->recipient, sizeof f->recipient, "%s",
                     bo__stmt_is_null(s, 3) ? "" : bo__stmt_col_text(s, 3));
            rc = 0;
            if (!bo__stmt_is_null(s, 4) && !(stored = bo__strdup(bo__stmt_col_text(s, 4))))
                rc = BO_ENOMEM;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "employee: not found");
        }
        bo__stmt_done(s);
        if (rc) {
            bo__free(stored);
            return rc;
        }
    }
    rc = form_lines(b, f);
    /* the identifier opened last: a form that cannot be made says why
     * before a missing key does; f->tax_id is freed by the caller */
    if (!rc && stored)
        rc = bo__pay_open_id(b, f->emp, "tax_id", stored, &f->tax_id);
    bo__free(stored);
    return rc;
}

/* The year's slips up to the last period: lines 1..7, 21 and the last
 * period's figures. */
static int form_lines(bo_book *b, form *f)
{
    char jan1[11], dec31[11], pay_date[11] = "", pack[BO_PAYROLL_TEXT_MAX + 1] = "";
    int found = 0, rc;
    int64_t last_slip = 0;
    snprintf(jan1, sizeof jan1, "%04d-01-01", f->year);
    snprintf(dec31, sizeof dec31, "%04d-12-31", f->year);
    if (!settles(f->recipient))
        return bo__error_set(BO_EINVAL, "number: employee #%" PRId64 " is not a permanent "
                             "employee or a pensioner (recipient): form 1721-A1 is theirs",
                             f->emp);
    if ((rc = bo__store_row(b->store, SQL_LAST, &found, "itt>ittt", f->emp, jan1, dec31,
                            &last_slip, pay_date, sizeof pay_date, f->last, sizeof f->last,
                            pack, sizeof pack)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "year: employee #%" PRId64 " has no posted last "
                             "period in %d (form 1721-A1 is made from its annual "
                             "computation)", f->emp, f->year);
    const bo__pay_pack *p;
    if ((rc = bo__pay_pack_get(b, pack, &p)))
        return rc;
    f->cur = p->currency;
    f->exponent = p->exponent;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_YEAR_LINES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "itt", f->emp, jan1, pay_date))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t slip = bo__stmt_col_int(s, 0), amt = bo__stmt_col_int(s, 4);
            const char *comp = bo__stmt_col_text(s, 2), *kind = bo__stmt_col_text(s, 3);
            if (!f->first[0])
                snprintf(f->first, sizeof f->first, "%s", bo__stmt_col_text(s, 1));
            int line = kind[0] == 'f' ? 0 : bruto_line(comp);
            if (line && bo__fx_add(f->line[line], amt, &f->line[line])) {
                rc = form_overflow(f, comp);
                break;
            }
            int is_tax = strcmp(comp, "pph21") == 0, is_refund = strcmp(comp, "pph21_refund") == 0;
            if (slip != last_slip) {
                /* line 21: withheld in the periods before the last */
                if ((is_tax && bo__fx_add(f->line[21], amt, &f->line[21])) ||
                    (is_refund && bo__fx_sub(f->line[21], amt, &f->line[21]))) {
                    rc = form_overflow(f, "line 21");
                    break;
                }
                continue;
            }
            int over = 0;
            for (int g = 0; g < G_N && !over; g++)
                over = strcmp(comp, FIG[g]) == 0 && bo__fx_add(f->fig[g], amt, &f->fig[g]);
            if (over) {
                rc = form_overflow(f, comp);
                break;
            }
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* Lines 8..22 from 1..7 and the last period's figures. */
static int form_compute(form *f)
{
    int64_t *l = f->line, *g = f->fig;
    bo__fx_sum sum = BO__FX_SUM_INIT;
    for (int k = 1; k <= 7; k++)
        bo__fx_sum_add(&sum, l[k]);
    if (bo__fx_sum_get(&sum, &l[8]))
        return form_overflow(f, "line 8");
    if (l[8] != g[G_BRUTO_YEAR])
        return bo__error_set(BO_ESTATE, "employee #%" PRId64 ": form 1721-A1: the year's "
                             "components (lines 1 to 7) do not add up to the last period's "
                             "bruto_year: the pack is not shaped like id-2024", f->emp);
    if (bo__fx_add(g[G_BJ], g[G_BP], &l[9]))
        return form_overflow(f, "line 9");
    l[10] = g[G_PENSION];
    l[11] = g[G_ZAKAT];
    bo__fx_sum s2 = BO__FX_SUM_INIT;
    for (int k = 9; k <= 11; k++)
        bo__fx_sum_add(&s2, l[k]);
    if (bo__fx_sum_get(&s2, &l[12]) || bo__fx_sub(l[8], l[12], &l[13]))
        return form_overflow(f, "line 13");
    l[14] = g[G_NETO_PREV];
    l[15] = g[G_NETO_ANNUAL];
    l[16] = g[G_PTKP];
    l[17] = g[G_PKP];
    l[18] = g[G_PPH_ANNUAL];
    l[20] = g[G_PPH_YEAR];
    /* a previous employer's tax: what the last period counted as withheld
     * beyond this employer's earlier periods */
    if (bo__fx_sub(g[G_WITHHELD], l[21], &l[19]) || bo__fx_sub(g[G_PPH21], g[G_REFUND], &l[22]))
        return form_overflow(f, "line 19");
    return 0;
}

static void form_amount(char out[72], const form *f, int64_t v)
{
    char m[64];
    bo__pay_money_id(m, v < 0 && v != INT64_MIN ? -v : v, f->cur, f->exponent, 0);
    if (v < 0 && v != INT64_MIN)
        snprintf(out, 72, "(%s)", m); /* lebih dipotong: in parentheses */
    else
        snprintf(out, 72, "%s", m);
}

static const char FORM_TITLE[] =
    "BUKTI PEMOTONGAN PAJAK PENGHASILAN PASAL 21 BAGI PEGAWAI TETAP ATAU PENERIMA "
    "PENSIUN ATAU TUNJANGAN HARI TUA/JAMINAN HARI TUA BERKALA";

static void form_render(const form *f, int html, bo__buf *o)
{
    const char *fields[][2] = {
        { "Tahun pajak", NULL }, { "Masa perolehan penghasilan", NULL },
        { "Nomor pegawai", f->number }, { "NPWP/NIK", f->tax_id ? f->tax_id : "-" },
        { "Nama", f->name }, { "Status PTKP", f->status },
        { "Kode objek pajak", object_code(f->recipient) },
        { "Mata uang", f->cur },
    };
    char year[8], masa[16];
    snprintf(year, sizeof year, "%04d", f->year);
    snprintf(masa, sizeof masa, "%.2s - %.2s", f->first + 5, f->last + 5);
    fields[0][1] = year;
    fields[1][1] = masa;
    static const struct { int from; const char *head; } parts[] = {
        { 1, "A. PENGHASILAN BRUTO" }, { 9, "B. PENGURANGAN" },
        { 13, "C. PENGHITUNGAN PPh PASAL 21" },
    };
    if (html)
        bo__buf_printf(o, "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\" />"
                       "<title>Formulir 1721-A1 %s</title>\n<style>body{font-family:sans-serif}"
                       "td.n{text-align:right;font-family:monospace}"
                       "th{text-align:left}</style></head><body>\n"
                       "<h1>Formulir 1721-A1</h1>\n<p>%s</p>\n<table>\n", year, FORM_TITLE);
    else
        bo__buf_printf(o, "FORMULIR 1721-A1\n%s\n\n", FORM_TITLE);
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        if (html) {
            bo__buf_printf(o, "<tr><th>%s</th><td>", fields[k][0]);
            bo__pay_esc(o, fields[k][1], 1);
            bo__buf_puts(o, "</td></tr>\n");
        } else {
            bo__buf_printf(o, "%-28s ", fields[k][0]);
            bo__pay_esc(o, fields[k][1], 0);
            bo__buf_puts(o, "\n");
        }
    }
    if (html)
        bo__buf_puts(o, "</table>\n<table>\n");
    size_t part = 0;
    for (int k = 1; k <= F_N; k++) {
        if (part < sizeof parts / sizeof parts[0] && parts[part].from == k) {
            if (html)
                bo__buf_printf(o, "<tr><th colspan=\"3\">%s</th></tr>\n", parts[part].head);
            else
                bo__buf_printf(o, "\n%s\n", parts[part].head);
            part++;
        }
        char a[72];
        form_amount(a, f, f->line[k]);
        if (html)
            bo__buf_printf(o, "<tr><td>%d</td><td>%s</td><td class=\"n\" id=\"line-%d\">%s"
                           "</td></tr>\n", k, FORM_LABEL[k], k, a);
        else
            bo__buf_printf(o, "%2d. %-62s %22s\n", k, FORM_LABEL[k], a);
    }
    if (html)
        bo__buf_puts(o, "</table>\n</body></html>\n");
}

int bo_payroll_form_1721a1(bo_book *book, const char *number, int year, const char *format,
                           bo_cursor **out)
{
    int rc = begin(book, out);
    if (rc)
        return rc;
    int html = format && strcmp(format, "html") == 0;
    if (!format || (!html && strcmp(format, "text") != 0))
        return bo__error_set(BO_EINVAL, "format: expected text or html");
    if (year < 1 || year > 9999)
        return bo__error_set(BO_EINVAL, "year: outside 1..9999");
    form f;
    memset(&f, 0, sizeof f);
    f.year = year;
    if ((rc = bo__pay_employee_id(book, number, &f.emp)))
        return rc;
    if (!(rc = form_gather(book, &f)) && !(rc = form_compute(&f)) &&
        !(rc = bo__pay_audit_read_id(book, "payroll.form1721a1.read", "employee", f.emp))) {
        bo__buf o = BO__BUF_INIT;
        form_render(&f, html, &o);
        bo__buf_put(&o, "", 1);
        rc = o.failed ? BO_ENOMEM : bo__pay_document_cursor(book, o.ptr, out);
        bo__buf_free(&o);
    }
    if (f.tax_id) {
        sodium_memzero(f.tax_id, strlen(f.tax_id));
        bo__free(f.tax_id);
    }
    return rc;
}

/* ---- the month's withholding lines (CSV) ----------------------------------- */

typedef struct wline {
    int64_t slip, emp;
    char *number, *name, *status, *recipient, *pack, *tax_id;
    int64_t bruto, pph21, refund;
    int annual;
} wline;

static const char SQL_MONTH[] =
    "SELECT s.id, e.id, e.number, e.name, e.tax_status, e.recipient, r.pack, e.tax_id,"
    " l.component, l.kind, l.amount FROM pay_lines l"
    " JOIN pay_slips s ON s.id = l.slip_id JOIN pay_runs r ON r.id = s.run_id"
    " JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE r.state IN (4, 5) AND r.pay_date >= ? AND r.pay_date <= ?"
    " AND l.component IN ('bruto_month', 'pph21', 'pph21_refund', 'pph21_year')"
    " AND l.kind <> 'basis' ORDER BY e.number, r.id, s.id";

static void wlines_free(wline *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bo__free(w[i].number);
        bo__free(w[i].name);
        bo__free(w[i].status);
        bo__free(w[i].recipient);
        bo__free(w[i].pack);
        bo__free(w[i].tax_id);
    }
    bo__free(w);
}

static char *dup_col(bo__stmt *s, int k, int *failed)
{
    char *v = bo__strdup(bo__stmt_is_null(s, k) ? "" : bo__stmt_col_text(s, k));
    if (!v)
        *failed = 1;
    return v;
}

static int month_lines(bo_book *b, const char *from, const char *to, wline **out, size_t *n)
{
    bo__stmt *s;
    wline *w = NULL;
    size_t cnt = 0, cap = 0;
    int rc = bo__stmt_get(b->store, SQL_MONTH, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "tt", from, to))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t slip = bo__stmt_col_int(s, 0);
            if (!cnt || w[cnt - 1].slip != slip) {
                if (cnt == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    wline *nw = bo__realloc(w, nc * sizeof *w);
                    if (!nw) {
                        rc = BO_ENOMEM;
                        break;
                    }
                    w = nw;
                    cap = nc;
                }
                wline *x = &w[cnt++];
                memset(x, 0, sizeof *x);
                int failed = 0;
                x->slip = slip;
                x->emp = bo__stmt_col_int(s, 1);
                x->number = dup_col(s, 2, &failed);
                x->name = dup_col(s, 3, &failed);
                x->status = dup_col(s, 4, &failed);
                x->recipient = dup_col(s, 5, &failed);
                x->pack = dup_col(s, 6, &failed);
                if (!bo__stmt_is_null(s, 7))
                    x->tax_id = dup_col(s, 7, &failed);
                if (failed) {
                    rc = BO_ENOMEM;
                    break;
                }
            }
            wline *x = &w[cnt - 1];
            const char *comp = bo__stmt_col_text(s, 8), *kind = bo__stmt_col_text(s, 9);
            int64_t amt = bo__stmt_col_int(s, 10);
            int64_t *to_sum = strcmp(comp, "bruto_month") == 0 ? &x->bruto
                            : strcmp(comp, "pph21") == 0 && kind[0] == 'd' ? &x->pph21
                            : strcmp(comp, "pph21_refund") == 0 ? &x->refund : NULL;
            if (strcmp(comp, "pph21_year") == 0)
                x->annual = 1;
            if (to_sum && bo__fx_add(*to_sum, amt, to_sum)) {
                rc = bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": %s: overflows the "
                                   "64-bit range of pay figures", x->emp, comp);
                break;
            }
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc) {
        wlines_free(w, cnt);
        return rc;
    }
    *out = w;
    *n = cnt;
    return 0;
}

static const bo__pay_table *table_named(const bo__pay_pack *p, const char *name)
{
    for (int k = 0; k < p->ntables; k++)
        if (strcmp(p->tables[k].name, name) == 0)
            return &p->tables[k];
    return NULL;
}

/* The TER category (1 A, 2 B, 3 C; 0 unknown) and the rate x SCALE of a
 * month's bruto, from the pack's tables. */
static int ter_of(const bo__pay_pack *p, const char *status, int64_t bruto, int *cat,
                  int64_t *rate)
{
    *cat = 0;
    *rate = 0;
    const bo__pay_table *m = table_named(p, "ter_category");
    if (!m || m->type != BO__TABLE_MAP)
        return 0;
    for (int k = 0; k < m->n; k++)
        if (strcmp(m->keys[k], status) == 0)
            *cat = (int)(m->value[k] / BO__PAY_SCALE);
    static const char *const names[] = { NULL, "ter_a", "ter_b", "ter_c" };
    const bo__pay_table *t = *cat >= 1 && *cat <= 3 ? table_named(p, names[*cat]) : NULL;
    if (!t || t->type != BO__TABLE_FLAT) {
        *cat = 0;
        return 0;
    }
    int64_t base;
    if (bo__fx_scale(bruto, BO__PAY_PLACES, &base))
        return BO_EOVERFLOW;
    for (int k = 0; k < t->n; k++)
        if (base <= t->bound[k]) {
            *rate = t->value[k];
            return 0;
        }
    return 0;
}

/* A rate x SCALE (10^6) as a percentage: 0.0025 -> "0.25", 0.13 -> "13";
 * rate x 10^6 is the percentage x 10^4. */
static void percent(char out[48], int64_t rate)
{
    int64_t whole = rate / 10000, frac = rate % 10000;
    int places = 4;
    while (places > 0 && frac % 10 == 0) {
        frac /= 10;
        places--;
    }
    if (places)
        snprintf(out, 48, "%" PRId64 ".%0*" PRId64, whole, places, frac);
    else
        snprintf(out, 48, "%" PRId64, whole);
}

/* The method of a slip's PPh 21: "annual" (the last period's annual
 * computation), "ter" (the monthly TER, with category and rate), "daily"
 * (the daily TER, 0 or 0.5 %), "pasal17" (Pasal 17 on bruto or on half
 * of it: non-employees, prizes, withdrawals, a day's wage above
 * 2,500,000). */
static int method_of(const bo__pay_pack *p, const wline *x, const char **method,
                     char cat[8], char rate[48])
{
    int c;
    int64_t r;
    cat[0] = rate[0] = '\0';
    *method = "pasal17";
    const char *rc_ = x->recipient;
    if (x->annual && settles(rc_)) {
        *method = "annual";
        return 0;
    }
    int by_ter = settles(rc_) || strcmp(rc_, "casual") == 0 || strcmp(rc_, "commissioner") == 0;
    int daily = strcmp(rc_, "daily") == 0;
    if (!by_ter && !daily)
        return 0;
    if (ter_of(p, x->status, x->bruto, &c, &r))
        return bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": bruto_month: overflows "
                             "the 64-bit range of pay figures", x->emp);
    if (daily) {
        /* the daily TER is 0 or 0.5 % of a day's wage; the month's TER
         * when the month passed 2,500,000; Pasal 17 on half otherwise */
        int64_t ter_tax = 0, half_pct = 0;
        if (c && bo__fx_mul(x->bruto, r, BO__PAY_PLACES, BO_ROUND_DOWN, &ter_tax))
            ter_tax = -1;
        (void)bo__fx_muldiv(x->bruto, 5, 1000, BO_ROUND_HALF_UP, &half_pct);
        int64_t major2500 = 2500000;
        for (int k = 0; k < p->exponent; k++)
            major2500 *= 10;
        if (c && x->bruto > major2500 && ter_tax >= 0 && x->pph21 <= ter_tax &&
            ter_tax - x->pph21 < 100) {
            by_ter = 1;
        } else if (x->pph21 <= half_pct) {
            *method = "daily";
            snprintf(cat, 8, "harian");
            snprintf(rate, 48, "%s", x->pph21 > 0 ? "0.5" : "0");
            return 0;
        } else {
            return 0;
        }
    }
    if (c) {
        *method = "ter";
        snprintf(cat, 8, "%c", 'A' + c - 1);
        percent(rate, r);
    } else {
        *method = "ter";
    }
    return 0;
}

int bo_payroll_withholding_export(bo_book *book, int year, int month, const char *format,
                                  bo_cursor **out)
{
    int rc = begin(book, out);
    if (rc)
        return rc;
    if (!format || strcmp(format, "csv") != 0)
        return bo__error_set(BO_EINVAL, "format: expected csv");
    if (year < 1 || year > 9999)
        return bo__error_set(BO_EINVAL, "year: outside 1..9999");
    if (month < 1 || month > 12)
        return bo__error_set(BO_EINVAL, "month: outside 1..12");
    char from[11], to[11], object[16];
    snprintf(from, sizeof from, "%04d-%02d-01", year, month);
    snprintf(to, sizeof to, "%04d-%02d-31", year, month);
    snprintf(object, sizeof object, "%04d-%02d", year, month);
    wline *w = NULL;
    size_t n = 0;
    if ((rc = month_lines(book, from, to, &w, &n)))
        return rc;
    bo__buf o = BO__BUF_INIT;
    bo__buf_puts(&o, "period,number,tax_id,name,ptkp_status,tax_object_code,bruto,pph21,"
                     "ter_category,ter_rate_percent,method,currency\r\n");
    for (size_t i = 0; i < n && !rc; i++) {
        const wline *x = &w[i];
        const bo__pay_pack *p;
        char *tax_id = NULL, cat[8], rate[48], bruto[48], tax[48];
        const char *method;
        int64_t net_tax;
        if ((rc = bo__pay_pack_get(book, x->pack, &p)) ||
            (rc = method_of(p, x, &method, cat, rate)) ||
            (rc = bo__pay_open_id(book, x->emp, "tax_id", x->tax_id, &tax_id)))
            break;
        if (bo__fx_sub(x->pph21, x->refund, &net_tax)) {
            rc = bo__error_set(BO_EOVERFLOW, "employee #%" PRId64 ": pph21: overflows the "
                               "64-bit range of pay figures", x->emp);
        } else if (bo_money_format(x->bruto, p->currency, bruto, sizeof bruto) ||
                   bo_money_format(net_tax, p->currency, tax, sizeof tax)) {
            rc = bo__error_set(BO_EINVAL, "currency: cannot format '%s'", p->currency);
        }
        if (!rc) {
            bo__buf_printf(&o, "%s,", object);
            bo__pay_csv_field(&o, x->number);
            bo__buf_put(&o, ",", 1);
            bo__pay_csv_field(&o, tax_id ? tax_id : "");
            bo__buf_put(&o, ",", 1);
            bo__pay_csv_field(&o, x->name);
            bo__buf_put(&o, ",", 1);
            bo__pay_csv_field(&o, x->status);
            bo__buf_printf(&o, ",%s,%s,%s,%s,%s,%s,%s\r\n", object_code(x->recipient), bruto,
                           tax, cat, rate, method, p->currency);
        }
        if (tax_id) {
            sodium_memzero(tax_id, strlen(tax_id));
            bo__free(tax_id);
        }
    }
    wlines_free(w, n);
    if (!rc)
        rc = bo__pay_audit_read(book, "payroll.withholding.export", "employees");
    bo__buf_put(&o, "", 1);
    if (!rc)
        rc = o.failed ? BO_ENOMEM : bo__pay_document_cursor(book, o.ptr, out);
    bo__buf_free(&o);
    return rc;
}
