/* Statements as XLSX (libxlsxwriter): one worksheet, the book's name, the
 * title and the period in the first rows, then the table. Money is a number
 * at its currency's decimals with a number format of as many decimals; an
 * amount beyond 2^53 minor units, which a spreadsheet's double cannot hold
 * exactly, is written as text so no figure is ever rounded. Built with
 * BO_WITH_XLSX. */
#include "reports/reports.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#define EXACT ((int64_t)1 << 53)

int bo__st_xlsx(const bo__st *st, const char *path)
{
    size_t len = strlen(path);
    char *tmp = bo__malloc(len + 8);
    if (!tmp)
        return bo__error_set(BO_ENOMEM, "path: out of memory");
    snprintf(tmp, len + 8, "%s.tmp~", path);
    lxw_workbook_options wo = { .constant_memory = LXW_FALSE, .tmpdir = NULL,
                                .use_zip64 = LXW_FALSE };
    lxw_workbook *wb = workbook_new_opt(tmp, &wo);
    if (!wb) {
        bo__free(tmp);
        return bo__error_set(BO_ENOMEM, "statement: cannot start the workbook");
    }
    char sheet[32];
    snprintf(sheet, sizeof sheet, "%.31s", st->title);
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *fmt[19][2];
    memset(fmt, 0, sizeof fmt);
    worksheet_write_string(ws, 0, 0, st->book, bold);
    worksheet_write_string(ws, 1, 0, st->title, bold);
    worksheet_write_string(ws, 2, 0, st->period, NULL);
    for (int k = 0; k < st->ncols; k++) {
        worksheet_write_string(ws, 4, (lxw_col_t)k, st->head[k], bold);
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, st->money[k] ? 16 : 22, NULL);
    }
    int rc = 0;
    for (size_t i = 0; !rc && i < st->n; i++) {
        const bo__st_row *r = &st->rows[i];
        lxw_row_t row = (lxw_row_t)(5 + i);
        int exp = 2;
        if (r->currency[0] && bo_currency_exponent(r->currency, &exp))
            exp = 2;
        if (exp < 0 || exp > 18)
            exp = 2;
        if (!fmt[exp][r->bold]) {
            char nf[48] = "#,##0";
            if (exp > 0) {
                strcat(nf, ".");
                for (int d = 0; d < exp && d < 18; d++)
                    strcat(nf, "0");
            }
            fmt[exp][r->bold] = workbook_add_format(wb);
            format_set_num_format(fmt[exp][r->bold], nf);
            if (r->bold)
                format_set_bold(fmt[exp][r->bold]);
        }
        for (int k = 0; k < st->ncols; k++) {
            if (st->money[k]) {
                if (!r->has[k])
                    continue;
                int64_t v = r->v[k];
                if (v > -EXACT && v < EXACT) {
                    double scale = 1;
                    for (int d = 0; d < exp; d++)
                        scale *= 10;
                    worksheet_write_number(ws, row, (lxw_col_t)k, (double)v / scale,
                                           fmt[exp][r->bold]);
                } else {
                    char m[40];
                    if (bo_money_format(v, r->currency, m, sizeof m))
                        snprintf(m, sizeof m, "%lld", (long long)v);
                    worksheet_write_string(ws, row, (lxw_col_t)k, m, fmt[exp][r->bold]);
                }
            } else if (r->text[k]) {
                worksheet_write_string(ws, row, (lxw_col_t)k, r->text[k],
                                       r->bold ? bold : NULL);
            }
        }
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        rc = bo__error_set(BO_EIO, "path: cannot write %s: %s", path, lxw_strerror(e));
        remove(tmp);
    } else if (rename(tmp, path) != 0) {
        rc = bo__error_set(BO_EIO, "path: cannot write %s", path);
        remove(tmp);
    }
    bo__free(tmp);
    return rc;
}
