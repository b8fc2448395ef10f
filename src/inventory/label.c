/* Shipping labels: the builder, its checks (SSCC check digit, what a
 * carrier requires, text that fits), the layout on the printer's dot grid
 * and writing a file whole or not at all. */
#include "inventory/labels.h"

#include "backoffice/money.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const field_name[BO__LF_COUNT] = {
    "tracking", "order", "carrier", "service", "sender_name", "sender_phone",
    "sender_address", "recipient_name", "recipient_phone", "recipient_address", "sscc",
};

/* A carrier's scanner needs these; the others may stay empty. */
static const int required[] = {
    BO__LF_TRACKING, BO__LF_CARRIER, BO__LF_SENDER_NAME, BO__LF_SENDER_ADDRESS,
    BO__LF_RECIPIENT_NAME, BO__LF_RECIPIENT_PHONE, BO__LF_RECIPIENT_ADDRESS,
};

#define TRACKING_MAX 40

static const struct {
    const char *name;
    double w, h; /* mm */
} sizes[] = {
    { NULL, 0, 0 },
    { "4x6 in", 101.6, 152.4 },
    { "100x150 mm", 100, 150 },
    { "A6", 105, 148 },
    { "100x100 mm", 100, 100 },
};

int bo_label_renderer(void)
{
#ifdef BO_WITH_LABELS
    return 1;
#else
    return 0;
#endif
}

int bo_label_new(bo_label **out, int size, int dpi)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (size < BO_LABEL_4X6 || size > BO_LABEL_100X100)
        return bo__error_set(BO_EINVAL, "size: %d is not a label size (1..4)", size);
    if (dpi != 203 && dpi != 300)
        return bo__error_set(BO_EINVAL, "dpi: %d is not 203 or 300", dpi);
    bo_label *l = bo__calloc(1, sizeof *l);
    if (!l)
        return BO_ENOMEM;
    l->size = size;
    l->dpi = dpi;
    l->pkg_n = l->pkg_of = 1;
    *out = l;
    return 0;
}

void bo_label_free(bo_label *l)
{
    if (!l)
        return;
    for (int i = 0; i < BO__LF_COUNT; i++)
        bo__free(l->field[i]);
    bo__free(l);
}

int bo_label_sscc_check_digit(const char *digits, int *digit)
{
    bo__error_clear();
    size_t n = digits ? strlen(digits) : 0;
    if (n != 17 || strspn(digits, "0123456789") != 17)
        return bo__error_set(BO_EINVAL, "digits: an SSCC needs 17 digits before its check "
                             "digit, got %zu characters", n);
    /* GS1: weights 3, 1, 3, ... from the rightmost digit. */
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (digits[16 - i] - '0') * (i % 2 == 0 ? 3 : 1);
    if (digit)
        *digit = (10 - sum % 10) % 10;
    return 0;
}

static int sscc_check(const char *v)
{
    size_t n = strlen(v);
    if (n != 18 || strspn(v, "0123456789") != 18)
        return bo__error_set(BO_EINVAL, "sscc: 18 digits needed, got %zu characters", n);
    char head[18];
    memcpy(head, v, 17);
    head[17] = '\0';
    int d = 0;
    bo_label_sscc_check_digit(head, &d);
    if (d != v[17] - '0')
        return bo__error_set(BO_ECHECKDIGIT, "sscc: check digit %c is wrong, %s%d is right",
                             v[17], head, d);
    return 0;
}

/* Text a label may print: no control characters; addresses may hold
 * line breaks, at most BO_LABEL_ADDRESS_LINES lines. */
static int text_check(int f, const char *v)
{
    int rc = bo__text_check(field_name[f], v, BO_LABEL_TEXT_MAX, false, false);
    if (rc)
        return rc;
    int address = f == BO__LF_SENDER_ADDRESS || f == BO__LF_RECIPIENT_ADDRESS;
    int lines = 1;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '\n' && address)
            lines++;
        else if (*p < 0x20 || *p == 0x7f)
            return bo__error_set(BO_EINVAL, "%s: control character 0x%02x", field_name[f], *p);
    }
    if (lines > BO_LABEL_ADDRESS_LINES)
        return bo__error_set(BO_ETOOLONG, "%s: %d lines, a label holds %d", field_name[f], lines,
                             BO_LABEL_ADDRESS_LINES);
    if (f == BO__LF_TRACKING) {
        size_t n = strlen(v);
        if (n > TRACKING_MAX)
            return bo__error_set(BO_ETOOLONG, "tracking: %zu characters, at most %d", n,
                                 TRACKING_MAX);
        if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") != n)
            return bo__error_set(BO_EINVAL, "tracking: only letters, digits and '-'");
    }
    return f == BO__LF_SSCC ? sscc_check(v) : 0;
}

int bo_label_set(bo_label *l, const char *field, const char *value)
{
    bo__error_clear();
    if (!l || !field)
        return bo__error_set(BO_EINVAL, "label/field: NULL");
    int f = 0;
    while (f < BO__LF_COUNT && strcmp(field, field_name[f]))
        f++;
    if (f == BO__LF_COUNT) {
        char q[64];
        bo__quote(field, 12, q, sizeof q);
        return bo__error_set(BO_EINVAL, "field: %s is not a label field", q);
    }
    char *copy = NULL;
    if (value) {
        int rc = text_check(f, value);
        if (rc)
            return rc;
        if (!(copy = bo__strdup(value)))
            return BO_ENOMEM;
    }
    bo__free(l->field[f]);
    l->field[f] = copy;
    return 0;
}

int bo_label_set_cod(bo_label *l, int64_t amount, const char *currency)
{
    bo__error_clear();
    if (!l)
        return bo__error_set(BO_EINVAL, "label: NULL");
    if (amount == 0 && !currency) {
        l->cod = 0;
        l->cod_currency[0] = '\0';
        return 0;
    }
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "cod: amount %" PRId64 " is not positive", amount);
    int exp;
    int rc = bo_currency_exponent(currency, &exp);
    if (rc)
        return rc;
    l->cod = amount;
    snprintf(l->cod_currency, sizeof l->cod_currency, "%s", currency);
    return 0;
}

int bo_label_set_weight(bo_label *l, int64_t grams)
{
    bo__error_clear();
    if (!l)
        return bo__error_set(BO_EINVAL, "label: NULL");
    if (grams < 1 || grams > 1000000)
        return bo__error_set(BO_EINVAL, "weight: %" PRId64 " g is not 1 .. 1000000", grams);
    l->grams = grams;
    return 0;
}

int bo_label_set_package(bo_label *l, int n, int of)
{
    bo__error_clear();
    if (!l)
        return bo__error_set(BO_EINVAL, "label: NULL");
    if (of < 1 || of > 999 || n < 1 || n > of)
        return bo__error_set(BO_EINVAL, "package: %d of %d is not 1 <= n <= of <= 999", n, of);
    l->pkg_n = n;
    l->pkg_of = of;
    return 0;
}

/* ---- measuring ------------------------------------------------------------ */

#ifndef BO_WITH_LABELS
/* Without Pango: 0.62 em a character (0.68 bold), wider than the average
 * glyph of the printer's scalable font, so what passes fits. */
int bo__label_text_width(const char *text, double pt, int bold, int dpi, int *width)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        chars += (*p & 0xc0) != 0x80;
    *width = (int)(chars * pt * (bold ? 0.68 : 0.62) * dpi / 72.0 + 0.999);
    return 0;
}
#endif

/* Code 128 needs 11 modules a symbol and 13 for the stop. Subset C packs
 * two digits a symbol: taken for a run of at least 4 digits at either end
 * or 6 inside (what zint and printers choose); B for the rest. */
int bo__label_code128_modules(const char *data, int gs1)
{
    size_t n = strlen(data), i = 0;
    int symbols = gs1 ? 2 : 1; /* start (and FNC1) */
    int subset = 0;            /* none yet, 'B' or 'C' */
    while (i < n) {
        size_t run = strspn(data + i, "0123456789");
        size_t need = gs1 ? 2 : (i == 0 || i + run == n) ? 4 : 6;
        if (run >= need) {
            if (run % 2) { /* an odd run leaves its first digit to B */
                symbols += subset == 'C';
                subset = 'B';
                symbols++;
                i++;
                run--;
            }
            symbols += subset == 'B';
            subset = 'C';
            symbols += (int)(run / 2);
            i += run;
        } else {
            size_t k = run ? run : 1;
            symbols += subset == 'C';
            subset = 'B';
            symbols += (int)k;
            i += k;
        }
    }
    return (symbols + 1) * 11 + 13; /* + check symbol, stop */
}

/* ---- layout --------------------------------------------------------------- */

struct lay {
    bo__label_layout *out;
    int m, gap, rule, y, inner, dpi;
    int s; /* next free string */
};

static int dots(double pt, int dpi) { return (int)(pt * dpi / 72.0 + 0.5); }
static int advance(double pt, int dpi) { return (int)(pt * 1.3 * dpi / 72.0 + 0.5); }

static bo__label_item *item_add(struct lay *L)
{
    bo__label_item *it = &L->out->item[L->out->n++];
    memset(it, 0, sizeof *it);
    return it;
}

/* Place text at (x, L->y) in width w; refuse it, naming field, when wider. */
static int text_at(struct lay *L, int x, int w, double pt, int bold, int align, const char *text,
                   const char *field)
{
    int width = 0;
    int rc = bo__label_text_width(text, pt, bold, L->dpi, &width);
    if (rc)
        return rc;
    if (width > w)
        return bo__error_set(BO_ETOOLONG, "%s: \"%.40s%s\" is %d dots wide at %.0f pt, the "
                             "label has room for %d", field, text, strlen(text) > 40 ? "..." : "",
                             width, pt, w);
    bo__label_item *it = item_add(L);
    it->kind = BO__LI_TEXT;
    it->x = x;
    it->y = L->y;
    it->w = w;
    it->h = dots(pt, L->dpi);
    it->pt = pt;
    it->bold = bold;
    it->align = align;
    it->text = text;
    return 0;
}

static const char *str(struct lay *L, const char *fmt, ...) BO__PRINTF(2, 3);
static const char *str(struct lay *L, const char *fmt, ...)
{
    char *s = L->out->str[L->s++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof L->out->str[0], fmt, ap);
    va_end(ap);
    return s;
}

static void rule(struct lay *L)
{
    L->y += L->gap;
    bo__label_item *it = item_add(L);
    it->kind = BO__LI_RULE;
    it->x = L->m;
    it->y = L->y;
    it->w = L->inner;
    it->h = L->rule;
    L->y += L->rule + L->gap;
}

/* The lines of an address, each its own text item (pointing into a copy
 * whose line breaks became NULs). */
static int address(struct lay *L, int x, const char *text, double pt, const char *field)
{
    char *copy = L->out->str[L->s++];
    snprintf(copy, sizeof L->out->str[0], "%s", text);
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        int rc = text_at(L, x, L->m + L->inner - x, pt, 0, BO__LA_LEFT, line, field);
        if (rc)
            return rc;
        L->y += advance(pt, L->dpi);
    }
    return 0;
}

static void weight_text(int64_t g, char out[32])
{
    if (g < 1000) {
        snprintf(out, 32, "%" PRId64 " g", g);
        return;
    }
    int frac = (int)(g % 1000);
    int digits = 3;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    if (digits)
        snprintf(out, 32, "%" PRId64 ".%0*d kg", g / 1000, digits, frac);
    else
        snprintf(out, 32, "%" PRId64 " kg", g / 1000);
}

static int barcode(struct lay *L, int sym, const char *data, int height, const char *field)
{
    int module = L->dpi == 203 ? 2 : 3;
    int bars = bo__label_code128_modules(data, sym == BO__LB_GS1) * module;
    int quiet = 10 * module;
    if (bars + 2 * quiet > L->out->width)
        return bo__error_set(BO_ETOOLONG, "%s: its barcode is %d dots wide with its quiet zones,"
                             " the label %d", field, bars + 2 * quiet, L->out->width);
    bo__label_item *it = item_add(L);
    it->kind = BO__LI_BAR;
    it->sym = sym;
    it->module = module;
    it->x = (L->out->width - bars) / 2;
    it->y = L->y;
    it->w = bars;
    it->h = height;
    it->text = data;
    L->y += height + dots(2, L->dpi);
    return 0;
}

int bo__label_layout_make(const bo_label *l, bo__label_layout *out)
{
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        if (!l->field[required[i]])
            return bo__error_set(BO_EINVAL, "%s: required on a shipping label",
                                 field_name[required[i]]);
    if (!l->grams)
        return bo__error_set(BO_EINVAL, "weight: required on a shipping label");
    memset(out, 0, sizeof *out);
    int dpi = l->dpi;
    out->dpi = dpi;
    out->width_mm = sizes[l->size].w;
    out->height_mm = sizes[l->size].h;
    out->width = (int)(out->width_mm * dpi / 25.4 + 0.5);
    out->height = (int)(out->height_mm * dpi / 25.4 + 0.5);
    struct lay L = { out, 0, 0, 0, 0, 0, dpi, 0 };
    L.m = (int)(3 * dpi / 25.4 + 0.5);
    L.gap = (int)(1.2 * dpi / 25.4 + 0.5);
    L.rule = dpi >= 300 ? 3 : 2;
    L.inner = out->width - 2 * L.m;
    L.y = L.m;
    const char *const *f = (const char *const *)l->field;
    int rc;
    int square = l->size == BO_LABEL_100X100;
    double big = square ? 12 : 14, mid = square ? 9 : 11, small = 7;

    /* Carrier, service; cash on delivery on the right. */
    char cod[80] = "NO COD";
    if (l->cod) {
        char amount[40];
        if ((rc = bo_money_format(l->cod, l->cod_currency, amount, sizeof amount)))
            return rc;
        snprintf(cod, sizeof cod, "COD %s %s", amount, l->cod_currency);
    }
    const char *cod_s = str(&L, "%s", cod);
    /* Boxes of fixed size: what is placed never depends on how text was
     * measured (a ZPL label is the same with or without the renderer). */
    int half = L.inner / 2;
    if ((rc = text_at(&L, L.m, half - L.gap, 16, 1, BO__LA_LEFT, f[BO__LF_CARRIER], "carrier")) ||
        (rc = text_at(&L, L.m + half, L.inner - half, 11, 1, BO__LA_RIGHT, cod_s, "cod")))
        return rc;
    L.y += advance(16, dpi);
    /* Service on the left, the weight on the right. */
    char w[32];
    weight_text(l->grams, w);
    const char *weight = str(&L, "WEIGHT %s", w);
    if ((f[BO__LF_SERVICE] &&
         (rc = text_at(&L, L.m, half - L.gap, 10, 0, BO__LA_LEFT, f[BO__LF_SERVICE],
                       "service"))) ||
        (rc = text_at(&L, L.m + half, L.inner - half, 10, 1, BO__LA_RIGHT, weight, "weight")))
        return rc;
    L.y += advance(10, dpi);
    rule(&L);

    /* From and to, each with its tag in a column on the left. */
    int tx = L.m + (int)(10 * dpi / 25.4 + 0.5), tw = L.m + L.inner - tx;
    if ((rc = text_at(&L, L.m, tx - L.m, small, 1, BO__LA_LEFT, "FROM", "sender_name")))
        return rc;
    const char *from = f[BO__LF_SENDER_PHONE]
                           ? str(&L, "%s  %s", f[BO__LF_SENDER_NAME], f[BO__LF_SENDER_PHONE])
                           : f[BO__LF_SENDER_NAME];
    if ((rc = text_at(&L, tx, tw, 8, 1, BO__LA_LEFT, from,
                      f[BO__LF_SENDER_PHONE] ? "sender_name/sender_phone" : "sender_name")))
        return rc;
    L.y += advance(8, dpi);
    if ((rc = address(&L, tx, f[BO__LF_SENDER_ADDRESS], 8, "sender_address")))
        return rc;
    rule(&L);

    if ((rc = text_at(&L, L.m, tx - L.m, small, 1, BO__LA_LEFT, "TO", "recipient_name")) ||
        (rc = text_at(&L, tx, tw, big, 1, BO__LA_LEFT, f[BO__LF_RECIPIENT_NAME],
                      "recipient_name")))
        return rc;
    L.y += advance(big, dpi);
    if ((rc = text_at(&L, tx, tw, mid, 0, BO__LA_LEFT, f[BO__LF_RECIPIENT_PHONE],
                      "recipient_phone")))
        return rc;
    L.y += advance(mid, dpi);
    if ((rc = address(&L, tx, f[BO__LF_RECIPIENT_ADDRESS], mid, "recipient_address")))
        return rc;
    rule(&L);

    /* The order; package n of m on the right. */
    char pkg[40];
    snprintf(pkg, sizeof pkg, "PACKAGE %d OF %d", l->pkg_n, l->pkg_of);
    const char *order = str(&L, "ORDER %s", f[BO__LF_ORDER] ? f[BO__LF_ORDER] : "-");
    const char *pkg_s = str(&L, "%s", pkg);
    if ((rc = text_at(&L, L.m, half - L.gap, 9, 0, BO__LA_LEFT, order, "order")) ||
        (rc = text_at(&L, L.m + half, L.inner - half, 9, 1, BO__LA_RIGHT, pkg_s, "package")))
        return rc;
    L.y += advance(9, dpi);
    rule(&L);

    /* The barcodes share what is left; each at least 8 mm tall. */
    int hrt = advance(10, dpi) + dots(2, dpi);
    int left = out->height - L.m - L.y - hrt;
    int sscc = f[BO__LF_SSCC] != NULL;
    if (sscc)
        left -= hrt + L.gap * 2;
    int least = (int)(8 * dpi / 25.4 + 0.5);
    int most = (int)(22 * dpi / 25.4 + 0.5);
    int each = sscc ? left / 2 : left;
    if (each > most)
        each = most;
    if (each < least) {
        int sender = 1, recipient = 1;
        for (const char *p = f[BO__LF_SENDER_ADDRESS]; *p; p++)
            sender += *p == '\n';
        for (const char *p = f[BO__LF_RECIPIENT_ADDRESS]; *p; p++)
            recipient += *p == '\n';
        const char *which = recipient >= sender ? "recipient_address" : "sender_address";
        return bo__error_set(BO_ETOOLONG, "%s: %d lines leave no room for the barcodes on a "
                             "%s label", which, recipient >= sender ? recipient : sender,
                             sizes[l->size].name);
    }
    if ((rc = barcode(&L, BO__LB_CODE128, f[BO__LF_TRACKING], each, "tracking")) ||
        (rc = text_at(&L, L.m, L.inner, 10, 1, BO__LA_CENTER, f[BO__LF_TRACKING], "tracking")))
        return rc;
    L.y += advance(10, dpi);
    if (sscc) {
        L.y += L.gap * 2;
        const char *hr = str(&L, "(00) %s", f[BO__LF_SSCC]);
        if ((rc = barcode(&L, BO__LB_GS1, f[BO__LF_SSCC], each, "sscc")) ||
            (rc = text_at(&L, L.m, L.inner, 10, 1, BO__LA_CENTER, hr, "sscc")))
            return rc;
        L.y += advance(10, dpi);
    }
    return 0;
}

/* ---- writing -------------------------------------------------------------- */

/* Write buf to path whole: a temporary file beside it, renamed. */
static int file_write(const char *path, const bo__buf *buf)
{
    bo__outfile of = { 0 };
    int rc = bo__outfile_open(&of, path, "");
    size_t done = 0;
    while (!rc && done < buf->len) {
        ssize_t w = write(of.fd, buf->ptr + done, buf->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = bo__error_set(BO_EIO, "writing %s: %s", path, strerror(errno));
        else
            done += (size_t)w;
    }
    rc = bo__outfile_end(&of, rc);
    return rc ? bo__error_prefix("path: ") : 0;
}

static int format_check(int format)
{
    if (format < BO_LABEL_PDF || format > BO_LABEL_ZPL)
        return bo__error_set(BO_EINVAL, "format: %d is not a label format (1..4)", format);
#ifndef BO_WITH_LABELS
    if (format != BO_LABEL_ZPL)
        return bo__error_set(BO_ENOTSUP, "format: PDF, PNG and SVG labels are not supported in "
                             "this build (built without BO_WITH_LABELS); ZPL is");
#endif
    return 0;
}

int bo_label_write(const bo_label *l, int format, const char *path)
{
    bo__error_clear();
    if (!l || !path)
        return bo__error_set(BO_EINVAL, "label/path: NULL");
    int rc = format_check(format);
    if (rc)
        return rc;
    bo__label_layout *lay = bo__malloc(sizeof *lay);
    if (!lay)
        return BO_ENOMEM;
    bo__buf out = BO__BUF_INIT;
    if (!(rc = bo__label_layout_make(l, lay))) {
        if (format == BO_LABEL_ZPL)
            rc = bo__label_zpl(lay, &out);
        else
#ifdef BO_WITH_LABELS
            rc = bo__label_render(lay, format, &out);
#else
            rc = BO_ENOTSUP;
#endif
    }
    if (!rc && out.failed)
        rc = bo__error_set(BO_ENOMEM, "label: out of memory");
    if (!rc)
        rc = file_write(path, &out);
    bo__buf_free(&out);
    bo__free(lay);
    return rc;
}

int bo_label_write_a4(const bo_label *first, const bo_label *second, const char *path)
{
    bo__error_clear();
    if (!first || !path)
        return bo__error_set(BO_EINVAL, "first/path: NULL");
    int rc = format_check(BO_LABEL_PDF);
    if (rc)
        return rc;
    bo__label_layout *lay = bo__calloc(2, sizeof *lay);
    if (!lay)
        return BO_ENOMEM;
    bo__buf out = BO__BUF_INIT;
    if (!(rc = bo__label_layout_make(first, &lay[0])) &&
        !(second && (rc = bo__label_layout_make(second, &lay[1])))) {
#ifdef BO_WITH_LABELS
        rc = bo__label_render_a4(&lay[0], second ? &lay[1] : NULL, &out);
#else
        rc = BO_ENOTSUP;
#endif
    }
    if (!rc && out.failed)
        rc = bo__error_set(BO_ENOMEM, "label: out of memory");
    if (!rc)
        rc = file_write(path, &out);
    bo__buf_free(&out);
    bo__free(lay);
    return rc;
}
