/* The label renderer: cairo surfaces for PDF, PNG and SVG, text laid out
 * and measured by Pango, barcodes encoded by zint. Drawing happens in
 * printer dots (the PDF and SVG surfaces are scaled by 72/dpi), so bars of
 * whole modules land on whole dots when the file is printed or rasterised
 * at the label's resolution. Built with BO_WITH_LABELS only. */
#include "inventory/labels.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <zint.h>

#define FONT "DejaVu Sans"

/* Layouts measure alike on every surface: no hinting of metrics, the
 * label's resolution. */
static PangoLayout *layout_new(cairo_t *cr, const char *text, double pt, int bold, int dpi)
{
    PangoLayout *pl = pango_cairo_create_layout(cr);
    if (!pl)
        return NULL;
    PangoContext *ctx = pango_layout_get_context(pl);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(ctx, dpi);
    pango_layout_context_changed(pl);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(pl, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(pl, text, -1);
    return pl;
}

int bo__label_text_width(const char *text, double pt, int bold, int dpi, int *width)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(s);
    PangoLayout *pl = cairo_status(cr) ? NULL : layout_new(cr, text, pt, bold, dpi);
    int rc = 0;
    if (!pl) {
        rc = bo__error_set(BO_ENOMEM, "label: cannot measure text");
    } else {
        PangoRectangle ink, logical;
        pango_layout_get_pixel_extents(pl, &ink, &logical);
        *width = logical.width;
        g_object_unref(pl);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    return rc;
}

static int draw_text(cairo_t *cr, const bo__label_item *it, int dpi)
{
    PangoLayout *pl = layout_new(cr, it->text, it->pt, it->bold, dpi);
    if (!pl)
        return bo__error_set(BO_ENOMEM, "label: cannot lay out text");
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(pl, &ink, &logical);
    double x = it->x;
    if (it->align == BO__LA_CENTER)
        x += (it->w - logical.width) / 2.0;
    else if (it->align == BO__LA_RIGHT)
        x += it->w - logical.width;
    cairo_move_to(cr, x, it->y);
    pango_cairo_show_layout(cr, pl);
    g_object_unref(pl);
    return 0;
}

/* The bars of a Code 128 or GS1-128 symbol, each module it->module dots,
 * centred on the label; refuses a symbol wider than the layout planned. */
static int draw_bars(cairo_t *cr, const bo__label_item *it, int label_width)
{
    struct zint_symbol *z = ZBarcode_Create();
    if (!z)
        return bo__error_set(BO_ENOMEM, "label: cannot make a barcode");
    char data[64];
    int gs1 = it->sym == BO__LB_GS1;
    z->symbology = gs1 ? BARCODE_GS1_128 : BARCODE_CODE128;
    z->input_mode = gs1 ? GS1_MODE : DATA_MODE;
    z->show_hrt = 0;
    snprintf(data, sizeof data, gs1 ? "[00]%s" : "%s", it->text);
    int rc = 0;
    if (ZBarcode_Encode(z, (const unsigned char *)data, (int)strlen(data)) >= ZINT_ERROR) {
        rc = bo__error_set(BO_EINVAL, "%s: the barcode cannot encode it (%s)",
                           gs1 ? "sscc" : "tracking", z->errtxt);
    } else if ((z->width + 20) * it->module > label_width) {
        rc = bo__error_set(BO_ETOOLONG, "%s: its barcode is %d dots wide with its quiet zones, "
                           "the label %d", gs1 ? "sscc" : "tracking", (z->width + 20) * it->module,
                           label_width);
    } else {
        int x0 = (label_width - z->width * it->module) / 2;
        for (int x = 0; x < z->width; x++) {
            /* zint keeps a row's modules as bits, lowest first. */
            if ((z->encoded_data[0][x >> 3] >> (x & 7)) & 1)
                cairo_rectangle(cr, x0 + x * it->module, it->y, it->module, it->h);
        }
        cairo_fill(cr);
    }
    ZBarcode_Delete(z);
    return rc;
}

static int draw(cairo_t *cr, const bo__label_layout *lay)
{
    int rc = 0;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, lay->width, lay->height);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (int i = 0; !rc && i < lay->n; i++) {
        const bo__label_item *it = &lay->item[i];
        if (it->kind == BO__LI_RULE) {
            cairo_rectangle(cr, it->x, it->y, it->w, it->h);
            cairo_fill(cr);
        } else if (it->kind == BO__LI_BAR) {
            rc = draw_bars(cr, it, lay->width);
        } else {
            rc = draw_text(cr, it, lay->dpi);
        }
    }
    if (!rc && cairo_status(cr))
        rc = bo__error_set(BO_ERROR, "label: cairo: %s", cairo_status_to_string(cairo_status(cr)));
    return rc;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return bo__buf_put(closure, data, len) ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static int finish(cairo_surface_t *s, int rc)
{
    cairo_surface_finish(s);
    if (!rc && cairo_surface_status(s))
        rc = bo__error_set(BO_ERROR, "label: cairo: %s",
                           cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    return rc;
}

int bo__label_render(const bo__label_layout *lay, int format, bo__buf *out)
{
    /* The page is the label's size exactly; the dots within it. */
    double pt = 72.0 / lay->dpi;
    double w = lay->width_mm * 72 / 25.4, h = lay->height_mm * 72 / 25.4;
    cairo_surface_t *s;
    if (format == BO_LABEL_PNG)
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, lay->width, lay->height);
    else if (format == BO_LABEL_SVG)
        s = cairo_svg_surface_create_for_stream(to_buf, out, w, h);
    else
        s = cairo_pdf_surface_create_for_stream(to_buf, out, w, h);
    if (cairo_surface_status(s)) {
        cairo_surface_destroy(s);
        return bo__error_set(BO_ENOMEM, "label: cannot make a surface");
    }
    if (format == BO_LABEL_PDF)
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "libbackoffice");
    cairo_t *cr = cairo_create(s);
    if (format != BO_LABEL_PNG)
        cairo_scale(cr, pt, pt);
    int rc = draw(cr, lay);
    cairo_destroy(cr);
    if (!rc && format == BO_LABEL_PNG) {
        cairo_surface_flush(s);
        if (cairo_surface_write_to_png_stream(s, to_buf, out))
            rc = bo__error_set(BO_ENOMEM, "label: cannot encode the PNG");
    }
    return finish(s, rc);
}

/* A4 portrait, 595.28 x 841.89 pt: each label turned a quarter and centred
 * on its half of the sheet, so the sheet cut in two gives two labels. */
int bo__label_render_a4(const bo__label_layout *a, const bo__label_layout *b, bo__buf *out)
{
    const double W = 210 * 72 / 25.4, H = 297 * 72 / 25.4;
    const bo__label_layout *labels[2] = { a, b };
    for (int i = 0; i < 2; i++)
        if (labels[i] && (labels[i]->height_mm > 210 || labels[i]->width_mm > 148.5))
            return bo__error_set(BO_EINVAL, "%s: larger than half an A4 sheet",
                                 i ? "second" : "first");
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, W, H);
    if (cairo_surface_status(s)) {
        cairo_surface_destroy(s);
        return bo__error_set(BO_ENOMEM, "label: cannot make a surface");
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "libbackoffice");
    cairo_t *cr = cairo_create(s);
    int rc = 0;
    for (int i = 0; !rc && i < 2; i++) {
        const bo__label_layout *l = labels[i];
        if (!l)
            continue;
        double pt = 72.0 / l->dpi;
        double lw = l->height * pt, lh = l->width * pt; /* turned */
        cairo_save(cr);
        cairo_translate(cr, (W - lw) / 2 + lw, H / 2 * i + (H / 2 - lh) / 2);
        cairo_rotate(cr, 3.14159265358979323846 / 2);
        cairo_scale(cr, pt, pt);
        rc = draw(cr, l);
        cairo_restore(cr);
    }
    cairo_destroy(cr);
    return finish(s, rc);
}
