/* Shipping labels, read back by real programs: the PDF rasterised at
 * 203 dpi by pdftoppm and decoded by zbarimg (tracking number and SSCC with
 * its application identifier), its page size from pdfinfo, its text layer
 * from pdftotext; the PNG decoded by zbarimg; the SVG parsed as XML; the
 * ZPL against golden files (tests/data/labels). A missing program fails the
 * test, naming its Debian package. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TRACKING "JD0146000062"
#define SSCC "106141411234567897" /* GS1's worked example: check digit 7 */

static void need(const char *program, const char *package)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", program);
    ck_assert_msg(system(cmd) == 0, "%s is missing: install the Debian package %s", program,
                  package);
}

/* The standard output of cmd (at most size - 1 bytes) and its exit status. */
static int run(const char *cmd, char *out, size_t size)
{
    FILE *p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run %s", cmd);
    size_t n = fread(out, 1, size - 1, p);
    out[n] = '\0';
    return pclose(p);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static bo_label *label_make(int size, int dpi, int with_sscc)
{
    bo_label *l = NULL;
    bo_assert_ok(bo_label_new(&l, size, dpi));
    bo_assert_ok(bo_label_set(l, "tracking", TRACKING));
    bo_assert_ok(bo_label_set(l, "order", "WEB-1042"));
    bo_assert_ok(bo_label_set(l, "carrier", "JNE"));
    bo_assert_ok(bo_label_set(l, "service", "REG 2-3 days"));
    bo_assert_ok(bo_label_set(l, "sender_name", "Toko Kopi Nusantara"));
    bo_assert_ok(bo_label_set(l, "sender_phone", "+62 21 555 0100"));
    bo_assert_ok(bo_label_set(l, "sender_address", "Jl. Sabang 12\nJakarta Pusat 10340"));
    bo_assert_ok(bo_label_set(l, "recipient_name", "Siti Rahmawati"));
    bo_assert_ok(bo_label_set(l, "recipient_phone", "+62 812 3456 7890"));
    bo_assert_ok(bo_label_set(l, "recipient_address",
                              "Jl. Malioboro 56\nSosromenduran, Gedong Tengen\n"
                              "Yogyakarta 55271"));
    bo_assert_ok(bo_label_set_cod(l, 15000000, "IDR"));
    bo_assert_ok(bo_label_set_weight(l, 1250));
    bo_assert_ok(bo_label_set_package(l, 1, 2));
    if (with_sscc)
        bo_assert_ok(bo_label_set(l, "sscc", SSCC));
    return l;
}

/* zbarimg's lines for a file: "CODE-128:..." one per symbol. */
static void decode(const char *image, char *out, size_t size)
{
    char cmd[4300];
    snprintf(cmd, sizeof cmd, "zbarimg -q --raw -Sdisable -Scode128.enable '%s' 2>/dev/null",
             image);
    int st = run(cmd, out, size);
    ck_assert_msg(st == 0, "zbarimg found no barcode in %s (status %d)", image, st);
}

START_TEST(test_label_sscc_check_digit)
{
    int d = -1;
    bo_assert_ok(bo_label_sscc_check_digit("10614141123456789", &d));
    ck_assert_int_eq(d, 7);
    bo_assert_ok(bo_label_sscc_check_digit("00000000000000000", &d));
    ck_assert_int_eq(d, 0);
    bo_assert_err(bo_label_sscc_check_digit("1061414112345678", &d), BO_EINVAL);
    bo_assert_err(bo_label_sscc_check_digit("1061414112345678X", &d), BO_EINVAL);
    bo_assert_err(bo_label_sscc_check_digit(NULL, &d), BO_EINVAL);
}
END_TEST

/* A wrong check digit is BO_ECHECKDIGIT naming the field; the label keeps
 * its former SSCC and nothing is written. */
START_TEST(test_label_sscc_wrong_check_digit)
{
    bo_label *l = label_make(BO_LABEL_4X6, 203, 1);
    bo_assert_err(bo_label_set(l, "sscc", "106141411234567890"), BO_ECHECKDIGIT);
    ck_assert_msg(strstr(bo_error_message(), "sscc") != NULL, "%s", bo_error_message());
    ck_assert_msg(strstr(bo_error_message(), "106141411234567897") != NULL, "%s",
                  bo_error_message());
    bo_assert_err(bo_label_set(l, "sscc", "10614141123456789"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "sscc", "1061414112345678a7"), BO_EINVAL);
    /* The former value stays: the ZPL carries the right one. */
    char *path = bo_test_file("label-sscc.zpl");
    bo_assert_ok(bo_label_write(l, BO_LABEL_ZPL, path));
    char text[8192];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, ">;>800" SSCC "^FS"));
    unlink(path);
    free(path);
    bo_label_free(l);
}
END_TEST

/* An address line wider than the label, or more lines than it holds, is
 * refused naming the field: nothing cut, no file written. */
START_TEST(test_label_too_long_refused)
{
    static const int formats[] = { BO_LABEL_ZPL, BO_LABEL_PDF, BO_LABEL_PNG, BO_LABEL_SVG };
    bo_label *l = label_make(BO_LABEL_100X100, 203, 1);
    bo_assert_ok(bo_label_set(l, "recipient_address",
                              "Jalan Raya Kebayoran Lama Nomor 1234, Kelurahan Grogol Utara, "
                              "Kecamatan Kebayoran Lama\nJakarta Selatan 12210"));
    char *path = bo_test_file("label-long.pdf");
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        if (formats[i] != BO_LABEL_ZPL && !bo_label_renderer())
            continue; /* answered BO_ENOTSUP: test_label_renderer_off */
        bo_assert_err(bo_label_write(l, formats[i], path), BO_ETOOLONG);
        ck_assert_msg(strstr(bo_error_message(), "recipient_address") != NULL, "%s",
                      bo_error_message());
        ck_assert_msg(!exists(path), "a file was written");
    }
    /* Six lines: refused when set, the former address kept. */
    bo_assert_err(bo_label_set(l, "sender_address", "1\n2\n3\n4\n5\n6"), BO_ETOOLONG);
    ck_assert_msg(strstr(bo_error_message(), "sender_address") != NULL, "%s",
                  bo_error_message());
    /* A name wider than the label. */
    bo_assert_ok(bo_label_set(l, "recipient_address", "Jl. Malioboro 56\nYogyakarta"));
    bo_assert_ok(bo_label_set(l, "recipient_name",
                              "Raden Ayu Siti Rahmawati Kusumaningrum Hadiningrat Prawirodirjo"));
    bo_assert_err(bo_label_write(l, BO_LABEL_ZPL, path), BO_ETOOLONG);
    ck_assert_msg(strstr(bo_error_message(), "recipient_name") != NULL, "%s", bo_error_message());
    ck_assert_msg(!exists(path), "a file was written");
    /* Five lines on the square label leave no room for the barcodes. */
    bo_assert_ok(bo_label_set(l, "recipient_name", "Siti"));
    bo_assert_ok(bo_label_set(l, "recipient_address", "1\n2\n3\n4\n5"));
    bo_assert_ok(bo_label_set(l, "sender_address", "1\n2\n3\n4\n5"));
    bo_assert_err(bo_label_write(l, BO_LABEL_ZPL, path), BO_ETOOLONG);
    ck_assert_msg(strstr(bo_error_message(), "_address") != NULL, "%s", bo_error_message());
    ck_assert_msg(!exists(path), "a file was written");
    /* A tracking number too long for a Code 128 across the label. */
    bo_assert_ok(bo_label_set(l, "recipient_address", "Jl. Malioboro 56\nYogyakarta"));
    bo_assert_ok(bo_label_set(l, "sender_address", "Jl. Sabang 12"));
    bo_assert_ok(bo_label_set(l, "tracking", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMN"));
    bo_assert_err(bo_label_write(l, BO_LABEL_ZPL, path), BO_ETOOLONG);
    ck_assert_msg(strstr(bo_error_message(), "tracking") != NULL, "%s", bo_error_message());
    ck_assert_msg(!exists(path), "a file was written");
    free(path);
    bo_label_free(l);
}
END_TEST

START_TEST(test_label_bad_input)
{
    bo_label *l = NULL;
    bo_assert_err(bo_label_new(&l, 5, 203), BO_EINVAL);
    ck_assert_ptr_null(l);
    bo_assert_err(bo_label_new(&l, BO_LABEL_A6, 600), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "dpi") != NULL, "%s", bo_error_message());
    bo_assert_ok(bo_label_new(&l, BO_LABEL_A6, 300));
    char *path = bo_test_file("label-bad.zpl");
    bo_assert_err(bo_label_write(l, BO_LABEL_ZPL, path), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "tracking") != NULL, "%s", bo_error_message());
    bo_assert_err(bo_label_set(l, "colour", "red"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "tracking", "AB 12"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "tracking", "AB^FS"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "recipient_name", "Siti\tR"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "recipient_name", "Siti\nR"), BO_EINVAL);
    bo_assert_err(bo_label_set(l, "recipient_name", "\xff"), BO_EUTF8);
    bo_assert_err(bo_label_set(l, "recipient_name", ""), BO_EINVAL);
    bo_assert_err(bo_label_set_cod(l, 0, "IDR"), BO_EINVAL);
    bo_assert_err(bo_label_set_cod(l, -5, "IDR"), BO_EINVAL);
    bo_assert_err(bo_label_set_cod(l, INT64_MIN, "IDR"), BO_EINVAL);
    bo_assert_err(bo_label_set_cod(l, 100, "XQZ"), BO_ECURRENCY);
    bo_assert_ok(bo_label_set_cod(l, INT64_MAX, "USD"));
    bo_assert_ok(bo_label_set_cod(l, 0, NULL));
    bo_assert_err(bo_label_set_weight(l, 0), BO_EINVAL);
    bo_assert_err(bo_label_set_weight(l, INT64_MAX), BO_EINVAL);
    bo_assert_err(bo_label_set_package(l, 3, 2), BO_EINVAL);
    bo_assert_err(bo_label_set_package(l, 0, 2), BO_EINVAL);
    bo_assert_err(bo_label_write(l, 9, path), BO_EINVAL);
    bo_assert_err(bo_label_write(NULL, BO_LABEL_ZPL, path), BO_EINVAL);
    ck_assert(!exists(path));
    free(path);
    bo_label_free(l);
    bo_label_free(NULL);
}
END_TEST

/* The largest COD amount is refused as too wide for the label, never cut;
 * a large one that fits prints exactly (bo_money_format). */
START_TEST(test_label_cod_int64_max)
{
    bo_label *l = label_make(BO_LABEL_4X6, 203, 0);
    bo_assert_ok(bo_label_set_cod(l, INT64_MAX, "USD"));
    char *path = bo_test_file("label-cod.zpl");
    bo_assert_err(bo_label_write(l, BO_LABEL_ZPL, path), BO_ETOOLONG);
    ck_assert_msg(strstr(bo_error_message(), "cod:") != NULL, "%s", bo_error_message());
    ck_assert(!exists(path));
    bo_assert_ok(bo_label_set_cod(l, 99999999, "USD"));
    bo_assert_ok(bo_label_write(l, BO_LABEL_ZPL, path));
    char text[8192];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    text[fread(text, 1, sizeof text - 1, f)] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(text, "COD 999999.99 USD"));
    unlink(path);
    free(path);
    bo_label_free(l);
}
END_TEST

static void golden_path(char *out, size_t size, const char *name)
{
    const char *f = __FILE__, *suffix = "unit/test_label.c";
    size_t n = strlen(f), s = strlen(suffix);
    ck_assert(n > s && strcmp(f + n - s, suffix) == 0);
    snprintf(out, size, "%.*sdata/labels/%s", (int)(n - s), f, name);
}

static void zpl_check(int size, int dpi, int w, int h, const char *golden)
{
    bo_label *l = label_make(size, dpi, 1);
    char *path = bo_test_file("label.zpl");
    bo_assert_ok(bo_label_write(l, BO_LABEL_ZPL, path));
    static char got[16384], want[16384];
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    got[fread(got, 1, sizeof got - 1, f)] = '\0';
    fclose(f);
    /* Structure: one format, width and length in dots, the printer's
     * Code 128 and GS1-128 (FNC1 in subset C). */
    ck_assert_msg(!strncmp(got, "^XA\n", 4), "starts %.10s", got);
    ck_assert_msg(strstr(got, "^XZ\n") == got + strlen(got) - 4, "ends with ^XZ");
    char pw[32];
    snprintf(pw, sizeof pw, "^PW%d\n^LL%d\n", w, h);
    ck_assert_msg(strstr(got, pw) != NULL, "no %s", pw);
    ck_assert_ptr_nonnull(strstr(got, "^BCN,"));
    ck_assert_ptr_nonnull(strstr(got, "^FD" TRACKING "^FS"));
    ck_assert_ptr_nonnull(strstr(got, "^FD>;>800" SSCC "^FS"));
    ck_assert_ptr_nonnull(strstr(got, "(00) " SSCC));
    ck_assert_ptr_nonnull(strstr(got, "Siti Rahmawati"));
    ck_assert_ptr_nonnull(strstr(got, "COD 150000.00 IDR"));
    ck_assert_ptr_nonnull(strstr(got, "PACKAGE 1 OF 2"));
    ck_assert_ptr_nonnull(strstr(got, "WEIGHT 1.25 kg"));
    char gp[4200];
    golden_path(gp, sizeof gp, golden);
    f = fopen(gp, "r");
    ck_assert_msg(f != NULL, "no golden file %s (the output is in %s)", gp, path);
    want[fread(want, 1, sizeof want - 1, f)] = '\0';
    fclose(f);
    ck_assert_msg(!strcmp(got, want), "%s differs from %s", path, gp);
    unlink(path);
    free(path);
    bo_label_free(l);
}

START_TEST(test_label_zpl_golden)
{
    zpl_check(BO_LABEL_4X6, 203, 812, 1218, "4x6-203.zpl");
    zpl_check(BO_LABEL_100X150, 300, 1181, 1772, "100x150-300.zpl");
    zpl_check(BO_LABEL_A6, 203, 839, 1183, "a6-203.zpl");
    zpl_check(BO_LABEL_100X100, 203, 799, 799, "100x100-203.zpl");
}
END_TEST

/* Every size at both resolutions: the PDF page is the label's size to the
 * point, and pdftoppm at 203 dpi + zbarimg read back both barcodes. */
static void pdf_check(int size, int dpi, const char *page)
{
    need("pdftoppm", "poppler-utils");
    need("pdfinfo", "poppler-utils");
    need("pdftotext", "poppler-utils");
    need("zbarimg", "zbar-tools");
    bo_label *l = label_make(size, dpi, 1);
    char *path = bo_test_file("label.pdf");
    bo_assert_ok(bo_label_write(l, BO_LABEL_PDF, path));
    char cmd[4400], out[8192];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, page) != NULL, "want \"%s\" in:\n%s", page, out);
    ck_assert_msg(strstr(out, "Pages:           1\n") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "Siti Rahmawati") != NULL, "name not in the text:\n%s", out);
    ck_assert_msg(strstr(out, "+62 812 3456 7890") != NULL, "phone not in the text:\n%s", out);
    ck_assert_msg(strstr(out, "Yogyakarta 55271") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "COD 150000.00 IDR") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "pdftoppm -r 203 -png -singlefile '%s' '%s'", path, path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    char png[4200];
    snprintf(png, sizeof png, "%s.png", path);
    decode(png, out, sizeof out);
    ck_assert_msg(strstr(out, TRACKING "\n") != NULL, "tracking not read:\n%s", out);
    /* zbar gives GS1-128 data with its application identifier: 00. */
    ck_assert_msg(strstr(out, "00" SSCC "\n") != NULL, "SSCC not read:\n%s", out);
    unlink(png);
    unlink(path);
    free(path);
    bo_label_free(l);
}

START_TEST(test_label_pdf_decodes)
{
    if (!bo_label_renderer())
        return; /* test_label_renderer_off */
    pdf_check(BO_LABEL_4X6, 203, "Page size:       288 x 432 pts");
    pdf_check(BO_LABEL_4X6, 300, "Page size:       288 x 432 pts");
    pdf_check(BO_LABEL_100X150, 203, "Page size:       283.465 x 425.197 pts");
    pdf_check(BO_LABEL_100X150, 300, "Page size:       283.465 x 425.197 pts");
    pdf_check(BO_LABEL_A6, 203, "Page size:       297.638 x 419.528 pts");
    pdf_check(BO_LABEL_A6, 300, "Page size:       297.638 x 419.528 pts");
    pdf_check(BO_LABEL_100X100, 203, "Page size:       283.465 x 283.465 pts");
    pdf_check(BO_LABEL_100X100, 300, "Page size:       283.465 x 283.465 pts");
}
END_TEST

START_TEST(test_label_png_decodes)
{
    if (!bo_label_renderer())
        return; /* test_label_renderer_off */
    need("zbarimg", "zbar-tools");
    need("python3", "python3");
    bo_label *l = label_make(BO_LABEL_4X6, 203, 1);
    char *path = bo_test_file("label.png");
    bo_assert_ok(bo_label_write(l, BO_LABEL_PNG, path));
    char out[8192], cmd[4400];
    decode(path, out, sizeof out);
    ck_assert_msg(strstr(out, TRACKING "\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "00" SSCC "\n") != NULL, "%s", out);
    /* The image is the label in dots: 812 x 1218 at 203 dpi. */
    snprintf(cmd, sizeof cmd, "python3 -c \"import struct,sys; d=open(sys.argv[1],'rb').read(24);"
             " print(d[:8]==b'\\x89PNG\\r\\n\\x1a\\n', *struct.unpack('>II', d[16:24]))\" '%s'",
             path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    ck_assert_str_eq(out, "True 812 1218\n");
    unlink(path);
    free(path);
    bo_label_free(l);
}
END_TEST

START_TEST(test_label_svg_parses)
{
    if (!bo_label_renderer())
        return; /* test_label_renderer_off */
    need("python3", "python3");
    bo_label *l = label_make(BO_LABEL_100X150, 300, 1);
    char *path = bo_test_file("label.svg");
    bo_assert_ok(bo_label_write(l, BO_LABEL_SVG, path));
    char out[8192], cmd[4400];
    snprintf(cmd, sizeof cmd, "python3 -c \"import sys, xml.etree.ElementTree as E;"
             " r=E.parse(sys.argv[1]).getroot(); print(r.tag, r.get('width'), r.get('height'),"
             " len(r.findall('.//{http://www.w3.org/2000/svg}path')) > 10)\" '%s'", path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    ck_assert_str_eq(out, "{http://www.w3.org/2000/svg}svg 283.464567pt 425.19685pt True\n");
    unlink(path);
    free(path);
    bo_label_free(l);
}
END_TEST

/* Two labels on one A4 page for office printers: all four barcodes read. */
START_TEST(test_label_a4_two_up)
{
    if (!bo_label_renderer())
        return; /* test_label_renderer_off */
    need("pdftoppm", "poppler-utils");
    need("pdfinfo", "poppler-utils");
    need("zbarimg", "zbar-tools");
    bo_label *a = label_make(BO_LABEL_4X6, 203, 1), *b = label_make(BO_LABEL_A6, 203, 0);
    bo_assert_ok(bo_label_set(b, "tracking", "JD0146000063"));
    bo_assert_ok(bo_label_set_package(b, 2, 2));
    char *path = bo_test_file("label-a4.pdf");
    bo_assert_ok(bo_label_write_a4(a, b, path));
    char cmd[4400], out[8192], png[4200];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    ck_assert_msg(strstr(out, "Page size:       595.276 x 841.89 pts (A4)") != NULL, "%s", out);
    snprintf(cmd, sizeof cmd, "pdftoppm -r 203 -png -singlefile '%s' '%s'", path, path);
    ck_assert_int_eq(run(cmd, out, sizeof out), 0);
    snprintf(png, sizeof png, "%s.png", path);
    decode(png, out, sizeof out);
    ck_assert_msg(strstr(out, "JD0146000062\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "JD0146000063\n") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "00" SSCC "\n") != NULL, "%s", out);
    unlink(png);
    unlink(path);
    /* A bad second label: nothing written. */
    bo_assert_ok(bo_label_set(b, "recipient_name", NULL));
    bo_assert_err(bo_label_write_a4(a, b, path), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "recipient_name") != NULL, "%s", bo_error_message());
    ck_assert(!exists(path));
    free(path);
    bo_label_free(a);
    bo_label_free(b);
}
END_TEST

/* A build without the renderer answers BO_ENOTSUP for PDF, PNG and SVG and
 * still writes ZPL. */
START_TEST(test_label_renderer_off)
{
    if (bo_label_renderer())
        return; /* the other tests cover the renderer */
    bo_label *l = label_make(BO_LABEL_4X6, 203, 1);
    char *path = bo_test_file("label-off.pdf");
    bo_assert_err(bo_label_write(l, BO_LABEL_PDF, path), BO_ENOTSUP);
    ck_assert_msg(strstr(bo_error_message(), "not supported in this build") != NULL, "%s",
                  bo_error_message());
    bo_assert_err(bo_label_write_a4(l, NULL, path), BO_ENOTSUP);
    ck_assert(!exists(path));
    bo_assert_ok(bo_label_write(l, BO_LABEL_ZPL, path));
    unlink(path);
    free(path);
    bo_label_free(l);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("label");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_label_sscc_check_digit);
    tcase_add_test(tc, test_label_sscc_wrong_check_digit);
    tcase_add_test(tc, test_label_too_long_refused);
    tcase_add_test(tc, test_label_bad_input);
    tcase_add_test(tc, test_label_cod_int64_max);
    tcase_add_test(tc, test_label_zpl_golden);
    tcase_add_test(tc, test_label_pdf_decodes);
    tcase_add_test(tc, test_label_png_decodes);
    tcase_add_test(tc, test_label_svg_parses);
    tcase_add_test(tc, test_label_a4_two_up);
    tcase_add_test(tc, test_label_renderer_off);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
