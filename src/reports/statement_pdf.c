/* Statements as PDF: A4 portrait pages drawn with cairo, text by Pango
 * (DejaVu Sans), the book's name, the title and the period at the top of
 * every page and "Page N of M" at its foot. Rows are laid out first, so the
 * page count is known before the first page is drawn. Built with
 * BO_WITH_LABELS (the same renderer as the labels). */
#include "reports/reports.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <inttypes.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define FONT "DejaVu Sans"
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 40.0
#define ROW_H 14.0
#define TOP 110.0    /* where the table's head starts */
#define BOTTOM 60.0  /* room for the foot */

/* Draw text at (x, y) in a box w wide: right-aligned when right, else
 * left; ellipsized at the box's end when wider (names only: figures are
 * given room). */
static void text(cairo_t *cr, const char *s, double x, double y, double w, double pt,
                 int bold, int right)
{
    if (!s || !s[0])
        return;
    PangoLayout *pl = pango_cairo_create_layout(cr);
    if (!pl)
        return;
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(pl, s, -1);
    if (w > 0 && !right) {
        pango_layout_set_width(pl, (int)(w * PANGO_SCALE));
        pango_layout_set_ellipsize(pl, PANGO_ELLIPSIZE_END);
    }
    PangoRectangle ink, logical;
    pango_layout_get_extents(pl, &ink, &logical);
    double tw = (double)logical.width / PANGO_SCALE;
    cairo_move_to(cr, right ? x + w - tw : x, y);
    pango_cairo_show_layout(cr, pl);
    g_object_unref(pl);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return bo__buf_put(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

int bo__st_pdf(const bo__st *st, bo__buf *out)
{
    int per_page = (int)((PAGE_H - TOP - BOTTOM) / ROW_H) - 1;
    size_t pages = st->n ? (st->n + (size_t)per_page - 1) / (size_t)per_page : 1;
    /* Column widths: money columns right-aligned, text columns share the rest. */
    int nmoney = 0;
    for (int k = 0; k < st->ncols; k++)
        nmoney += st->money[k];
    double width = PAGE_W - 2 * MARGIN;
    double mw = nmoney >= 5 ? 62 : 88;
    double tw = st->ncols > nmoney ? (width - mw * nmoney) / (st->ncols - nmoney) : 0;
    double colx[BO__ST_COLS + 1], colw[BO__ST_COLS];
    colx[0] = MARGIN;
    for (int k = 0; k < st->ncols; k++) {
        colw[k] = st->money[k] ? mw : tw;
        colx[k + 1] = colx[k] + colw[k];
    }
    double pt = nmoney >= 5 ? 7.5 : 8.5;

    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(s)) {
        cairo_surface_destroy(s);
        return bo__error_set(BO_ENOMEM, "statement: cannot make a PDF surface");
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "libbackoffice");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, st->title);
    cairo_t *cr = cairo_create(s);
    size_t row = 0;
    for (size_t page = 1; page <= pages; page++) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, st->book, MARGIN, MARGIN, width, 14, 1, 0);
        text(cr, st->title, MARGIN, MARGIN + 22, width, 12, 1, 0);
        text(cr, st->period, MARGIN, MARGIN + 40, width, 9, 0, 0);
        for (int k = 0; k < st->ncols; k++)
            text(cr, st->head[k], colx[k] + 2, TOP, colw[k] - 4, pt, 1, st->money[k]);
        cairo_set_line_width(cr, 0.6);
        cairo_move_to(cr, MARGIN, TOP + ROW_H);
        cairo_line_to(cr, MARGIN + width, TOP + ROW_H);
        cairo_stroke(cr);
        double y = TOP + ROW_H + 2;
        for (int i = 0; i < per_page && row < st->n; i++, row++) {
            const bo__st_row *r = &st->rows[row];
            for (int k = 0; k < st->ncols; k++) {
                if (st->money[k]) {
                    if (!r->has[k])
                        continue;
                    char m[64];
                    if (bo_report_money(r->v[k], r->currency, m, sizeof m))
                        snprintf(m, sizeof m, "%" PRId64, r->v[k]);
                    text(cr, m, colx[k] + 2, y, colw[k] - 4, pt, r->bold, 1);
                } else {
                    double indent = (k == 2 && r->depth > 0) ? 8.0 * r->depth : 0;
                    text(cr, r->text[k], colx[k] + 2 + indent, y, colw[k] - 4 - indent, pt,
                         r->bold, 0);
                }
            }
            y += ROW_H;
        }
        char foot[64];
        snprintf(foot, sizeof foot, "Page %zu of %zu", page, pages);
        text(cr, st->book, MARGIN, PAGE_H - MARGIN, width / 2, 8, 0, 0);
        text(cr, foot, MARGIN + width / 2, PAGE_H - MARGIN, width / 2, 8, 0, 1);
        cairo_show_page(cr);
    }
    int rc = 0;
    if (cairo_status(cr))
        rc = bo__error_set(BO_ERROR, "statement: cairo: %s",
                           cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (!rc && cairo_surface_status(s))
        rc = bo__error_set(BO_ERROR, "statement: cairo: %s",
                           cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    return rc;
}
