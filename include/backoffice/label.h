/**
 * @file backoffice/label.h
 * @brief Shipping labels: what carriers require, as PDF, PNG, SVG and ZPL II.
 *
 * A label is built in memory (#bo_label, not tied to a book), then written
 * to a file. It carries what carriers' scanners and drivers need: the
 * tracking number (Code 128 with its human-readable text), the order id,
 * sender and recipient (name, phone, full address), carrier and service,
 * cash on delivery or not (with its amount), the weight, the package number
 * ("1 of 2") and optionally an SSCC-18 (the GS1 logistics unit number) as
 * GS1-128 with its application identifier "(00)".
 *
 * Sizes: 4x6 in, 100x150 mm, A6 (105x148 mm) and 100x100 mm, at 203 or
 * 300 dpi. Everything is laid out on the printer's dot grid: barcode modules
 * are a whole number of dots (2 at 203 dpi, 3 at 300 dpi), so a thermal
 * printer prints every bar the same width, and the quiet zones (ten
 * modules each side) stay clear.
 *
 * Nothing is cut silently: a name, phone or address line wider than the
 * label at its font size (measured with Pango and DejaVu Sans in builds with
 * the renderer, for every format; without it estimated at 0.62 em a
 * character, 0.68 bold), or an address with
 * more lines than the label holds, is refused with #BO_ETOOLONG naming the
 * field, and no file is written. An SSCC whose check digit is wrong is
 * #BO_ECHECKDIGIT naming the field.
 *
 * Formats: PDF, PNG and SVG are drawn with cairo and Pango, barcodes encoded
 * by zint; they exist when the library is built with the CMake option
 * BO_WITH_LABELS (ON by default). Without it those calls answer
 * #BO_ENOTSUP ("not supported in this build"), and bo_label_renderer()
 * says 0. ZPL II needs no renderer and is always available: it uses the
 * printer's own fonts and barcode commands (^BC; GS1-128 as ^BC with the
 * subset C and FNC1 invocation codes ">;>8"), width and length in dots
 * (^PW, ^LL).
 *
 * Limits: text fields up to #BO_LABEL_TEXT_MAX bytes of valid UTF-8 with no
 * control characters (addresses may hold "\n" between lines); at most
 * #BO_LABEL_ADDRESS_LINES address lines.
 */
#ifndef BACKOFFICE_LABEL_H
#define BACKOFFICE_LABEL_H

#include "common.h"

BO_BEGIN_DECLS

/** Longest text field of a label, in bytes. */
#define BO_LABEL_TEXT_MAX 256
/** Most lines of an address. */
#define BO_LABEL_ADDRESS_LINES 5

/** Label stock sizes. */
typedef enum bo_label_size {
    BO_LABEL_4X6 = 1,     /**< 4 x 6 inch (101.6 x 152.4 mm) */
    BO_LABEL_100X150 = 2, /**< 100 x 150 mm */
    BO_LABEL_A6 = 3,      /**< A6, 105 x 148 mm */
    BO_LABEL_100X100 = 4  /**< 100 x 100 mm */
} bo_label_size;

/** Output formats of bo_label_write(). */
typedef enum bo_label_format {
    BO_LABEL_PDF = 1, /**< PDF, one page the size of the label (renderer) */
    BO_LABEL_PNG = 2, /**< PNG at the label's dpi (renderer) */
    BO_LABEL_SVG = 3, /**< SVG the size of the label (renderer) */
    BO_LABEL_ZPL = 4  /**< ZPL II for Zebra-compatible printers (always) */
} bo_label_format;

/** A shipping label being built (opaque). */
typedef struct bo_label bo_label;

/**
 * Whether this build has the cairo renderer (PDF, PNG, SVG).
 * @return 1 with it, 0 without (those formats answer #BO_ENOTSUP).
 */
BO_EXTERN(int) bo_label_renderer(void);

/**
 * Start an empty label of @p size (#bo_label_size) at @p dpi (203 or 300).
 * @param out receives the label; free it with bo_label_free().
 * @return 0, BO_EINVAL (size, dpi: the message names which), BO_ENOMEM.
 */
BO_EXTERN(int) bo_label_new(bo_label **out, int size, int dpi);

/** Free @p label. NULL is a no-op. */
BO_EXTERN(void) bo_label_free(bo_label *label);

/**
 * Set the text field @p field of @p label to @p value (NULL clears it).
 * Fields: "tracking" (required; ASCII 32..126, up to 40 characters),
 * "order", "carrier" (required), "service", "sender_name" (required),
 * "sender_phone", "sender_address" (required), "recipient_name" (required),
 * "recipient_phone" (required), "recipient_address" (required), and
 * "sscc": 18 digits whose last is the GS1 check digit, verified here
 * (bo_label_sscc_check_digit() computes it). Addresses are lines separated
 * by "\n". Whether the text fits the label is checked when it is written.
 * On failure the field keeps its former value.
 * @return 0, BO_EINVAL (unknown field, control characters, tracking or
 *         SSCC not digits), BO_EUTF8, BO_ETOOLONG, BO_ECHECKDIGIT (SSCC),
 *         BO_ENOMEM.
 */
BO_EXTERN(int) bo_label_set(bo_label *label, const char *field, const char *value);

/**
 * Say the parcel is cash on delivery for @p amount minor units (> 0) of
 * @p currency, or not (amount 0 and currency NULL, the default). The label
 * prints "COD" and the amount formatted by bo_money_format(), or "NO COD".
 * @return 0, BO_EINVAL (amount not positive, or 0 with a currency),
 *         BO_ECURRENCY.
 */
BO_EXTERN(int) bo_label_set_cod(bo_label *label, int64_t amount, const char *currency);

/**
 * Set the parcel's weight in grams (1 .. 1,000,000; required).
 * @return 0, BO_EINVAL.
 */
BO_EXTERN(int) bo_label_set_weight(bo_label *label, int64_t grams);

/**
 * Set the package number: package @p n of @p of (1 <= n <= of <= 999;
 * default 1 of 1).
 * @return 0, BO_EINVAL.
 */
BO_EXTERN(int) bo_label_set_package(bo_label *label, int n, int of);

/**
 * Check @p label and write it to the file @p path in @p format
 * (#bo_label_format). The file is written whole (to a temporary name,
 * renamed on success) or not at all.
 * @return 0, BO_EINVAL (format, a required field missing: the message
 *         names it), BO_ETOOLONG (a field does not fit the label: named),
 *         BO_ENOTSUP (PDF, PNG or SVG in a build without the renderer),
 *         BO_EIO, BO_ENOMEM.
 */
BO_EXTERN(int) bo_label_write(const bo_label *label, int format, const char *path);

/**
 * Write one A4 PDF page holding @p first on its upper half and @p second
 * (NULL: none) on its lower half, each at its own size, for office
 * printers. Both labels are checked before anything is written.
 * @return as bo_label_write(); BO_EINVAL when a label is larger than half
 *         an A4 page.
 */
BO_EXTERN(int) bo_label_write_a4(const bo_label *first, const bo_label *second,
                                 const char *path);

/**
 * The GS1 check digit of the 17 digits @p digits (modulo 10, weights 3 and
 * 1 from the right), as used by the SSCC-18.
 * @param digit receives 0..9.
 * @return 0, BO_EINVAL (not exactly 17 digits).
 */
BO_EXTERN(int) bo_label_sscc_check_digit(const char *digits, int *digit);

BO_END_DECLS

#endif
