/*
 * Shipping labels inside the library: the label's fields, its layout on the
 * printer's dot grid (shared by every format, so a PDF and a ZPL label of
 * the same data place the same things at the same dots), the ZPL writer and,
 * in builds with BO_WITH_LABELS, the cairo renderer (label_cairo.c).
 */
#ifndef BO_INVENTORY_LABELS_H
#define BO_INVENTORY_LABELS_H

#include "backoffice/label.h"
#include "util/util.h"

enum {
    BO__LF_TRACKING, BO__LF_ORDER, BO__LF_CARRIER, BO__LF_SERVICE,
    BO__LF_SENDER_NAME, BO__LF_SENDER_PHONE, BO__LF_SENDER_ADDRESS,
    BO__LF_RECIPIENT_NAME, BO__LF_RECIPIENT_PHONE, BO__LF_RECIPIENT_ADDRESS,
    BO__LF_SSCC, BO__LF_COUNT
};

struct bo_label {
    int size, dpi;
    char *field[BO__LF_COUNT];
    int64_t cod;       /* 0: not cash on delivery */
    char cod_currency[16];
    int64_t grams;
    int pkg_n, pkg_of;
};

enum { BO__LI_TEXT = 1, BO__LI_BAR, BO__LI_RULE };
enum { BO__LB_CODE128 = 1, BO__LB_GS1 };
enum { BO__LA_LEFT, BO__LA_CENTER, BO__LA_RIGHT };

/* One thing drawn, in dots from the label's top left corner. Text: x, y
 * of its box's top left, w the width it may take, h the font size in dots;
 * a barcode: x of its first bar, w of its bars (without quiet zones). */
typedef struct bo__label_item {
    int kind;
    int x, y, w, h;
    int align, bold;
    double pt;        /* font size in points */
    int sym, module;  /* barcode symbology and dots per module */
    const char *text; /* text, or the barcode's data (for GS1: the SSCC) */
} bo__label_item;

#define BO__LABEL_ITEMS 48
#define BO__LABEL_STRS 10

typedef struct bo__label_layout {
    int width, height, dpi; /* dots */
    double width_mm, height_mm;
    int n;
    bo__label_item item[BO__LABEL_ITEMS];
    char str[BO__LABEL_STRS][BO_LABEL_TEXT_MAX + 64];
} bo__label_layout;

/* Check the label and place everything; BO_EINVAL / BO_ETOOLONG naming
 * the field. Writes nothing. */
int bo__label_layout_make(const bo_label *l, bo__label_layout *out);

/* Width in dots of text at pt points and dpi (Pango in renderer builds, an
 * estimate otherwise). */
int bo__label_text_width(const char *text, double pt, int bold, int dpi, int *width);
/* Width in modules of the Code 128 / GS1-128 symbol of data. */
int bo__label_code128_modules(const char *data, int gs1);

/* The ZPL of a layout, appended to out. */
int bo__label_zpl(const bo__label_layout *lay, bo__buf *out);

/* Renderer (label_cairo.c): one label, or the A4 sheet of two. */
int bo__label_render(const bo__label_layout *lay, int format, bo__buf *out);
int bo__label_render_a4(const bo__label_layout *a, const bo__label_layout *b, bo__buf *out);

#endif
