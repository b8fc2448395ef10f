/* GS1 element strings: both forms parsed to the same elements, the expiry
 * with a day 00, the net weight, variable-measure EAN-13 codes, every kind
 * of malformed string refused with its code and a message naming the
 * position and the AI, and a real barcode read back: a GS1-128 symbol made
 * by zint, read by zbarimg, parsed. */
#include "testutil.h"
#include "inventory/gs1.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef BO_TEST_ZINT
#include <zint.h>
#endif

static const char *norm(const char *text)
{
    static char buf[1100];
    bo_assert_ok(bo_gs1_normalize(text, buf, sizeof buf));
    return buf;
}

static const char *get(const char *text, const char *ai)
{
    static char buf[100];
    bo_assert_ok(bo_gs1_get(text, ai, buf, sizeof buf));
    return buf;
}

static const char *iso(bo_date d)
{
    static char buf[16];
    bo_assert_ok(bo_date_format(d, buf, sizeof buf));
    return buf;
}

START_TEST(gs1_both_forms_parse_alike)
{
    const char *hri = "(01)09506000134352(17)261231(10)LOT42(21)SN7";
    const char *raw = "]C1" "0109506000134352" "17261231" "10LOT42" "\x1d" "21SN7";
    ck_assert_str_eq(norm(hri), hri);
    ck_assert_str_eq(norm(raw), hri);
    /* a leading FNC1, and FNC1 after fixed-length data, are accepted */
    ck_assert_str_eq(norm("\x1d" "0109506000134352\x1d" "10LOT42\x1d" "21SN7"),
                     "(01)09506000134352(10)LOT42(21)SN7");
    ck_assert_str_eq(norm("]d2" "10LOT42\x1d" "17261231"), "(10)LOT42(17)261231");
    /* a "(" in the data is escaped in the human-readable form */
    ck_assert_str_eq(norm("21AB(10)C\x1d" "10L1"), "(21)AB\\(10)C(10)L1");
    ck_assert_str_eq(get("(21)AB\\(10)C(10)L1", "21"), "AB(10)C");
    ck_assert_str_eq(get(raw, "01"), "09506000134352");
    ck_assert_str_eq(get(raw, "10"), "LOT42");
    ck_assert_str_eq(get(hri, "21"), "SN7");
    char buf[8];
    bo_assert_err(bo_gs1_get(raw, "15", buf, sizeof buf), BO_ENOTFOUND);
    bo_assert_err(bo_gs1_get(raw, "01", buf, sizeof buf), BO_ETOOLONG);
}
END_TEST

START_TEST(gs1_expiry_day_zero_and_weight)
{
    bo_date d;
    bo_assert_ok(bo_gs1_expiry("(17)261231", &d));
    ck_assert_str_eq(iso(d), "2026-12-31");
    bo_assert_ok(bo_gs1_expiry("(17)260200", &d));
    ck_assert_str_eq(iso(d), "2026-02-28");
    bo_assert_ok(bo_gs1_expiry("(17)280200", &d));
    ck_assert_str_eq(iso(d), "2028-02-29");
    bo_assert_err(bo_gs1_expiry("(10)X", &d), BO_ENOTFOUND);
    int64_t v = 0;
    int dec = -1;
    bo_assert_ok(bo_gs1_net_weight("(01)09506000134352(3103)001250", &v, &dec));
    ck_assert_int_eq(v, 1250);
    ck_assert_int_eq(dec, 3);
    bo_assert_ok(bo_gs1_net_weight("0109506000134352" "3102000075", &v, &dec));
    ck_assert_int_eq(v, 75);
    ck_assert_int_eq(dec, 2);
    bo_assert_err(bo_gs1_net_weight("(10)X", &v, &dec), BO_ENOTFOUND);
}
END_TEST

/* Each malformed string: its code and words of its message. */
START_TEST(gs1_malformed_named_by_position)
{
    static const struct { const char *text; int code; const char *says; } bad[] = {
        { "(01)09506000134353", BO_ECHECKDIGIT, "position 18: AI (01) check digit 3 is wrong, 2" },
        { "0109506000134352" "1726", BO_EBARCODE, "position 19: AI (17) needs 6 characters, has 2" },
        { "(17)261331", BO_EBARCODE, "AI (17) is not a date YYMMDD: 261331" },
        { "(17)260230", BO_EBARCODE, "AI (17) is not a date" },
        { "(01)0950600013435", BO_EBARCODE, "position 5: AI (01) needs 14 characters, has 13" },
        { "(10)ABC(99", BO_EBARCODE, "position 8: an AI of 2..4 digits" },
        { "(05)123", BO_EBARCODE, "position 1: unknown AI 05" },
        { "(10)123456789012345678901", BO_EBARCODE, "AI (10) takes at most 20 characters, has 21" },
        { "(21)SN 7", BO_EBARCODE, "position 7: AI (21) character 3 is not in the GS1 character set" },
        { "(30)12a", BO_EBARCODE, "AI (30) character 3 is not a digit" },
        { "10LOT\x1d", BO_EBARCODE, "AI (10) is followed by FNC1 and nothing" },
        { "10LOT\x1d\x1d" "21X", BO_EBARCODE, "position 7: an AI (digits) expected, not FNC1" },
        { "\x1d", BO_EBARCODE, "no element string" },
        { "", BO_EBARCODE, "no element string" },
        { "]X1" "10LOT", BO_EBARCODE, "symbology identifier" },
        { "(10)A(10)B", BO_EBARCODE, "AI (10) appears twice" },
        { "(01)095060001343521", BO_EBARCODE, "AI (01) needs 14 characters, has 15" },
        { "10AB\x1d" "01095060\x1d" "00134352", BO_EBARCODE, "AI (01) needs 14 characters before FNC1" },
        { "(10)", BO_EBARCODE, "AI (10) has no data" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char buf[600];
        int rc = bo_gs1_normalize(bad[i].text, buf, sizeof buf);
        ck_assert_msg(rc == bad[i].code, "%zu: rc %d, expected %d: %s", i, rc, bad[i].code,
                      bo_error_message());
        ck_assert_msg(strstr(bo_error_message(), bad[i].says) != NULL, "%zu: '%s' lacks '%s'",
                      i, bo_error_message(), bad[i].says);
    }
    /* Over the size limit, however deep: refused at once. */
    size_t n = 100000;
    char *big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    memset(big, '(', n);
    big[n] = 0;
    char buf[16];
    bo_assert_err(bo_gs1_normalize(big, buf, sizeof buf), BO_ELIMIT);
    free(big);
    bo_assert_err(bo_gs1_normalize(NULL, buf, sizeof buf), BO_EINVAL);
    /* A NUL inside the data the parser sees (the fuzz target's bytes). */
    bo__gs1 g;
    ck_assert_int_eq(bo__gs1_parse("10A\0B", 5, &g), BO_EBARCODE);
}
END_TEST

/* Variable-measure EAN-13: 20 12345 01250 C with the default layout is
 * item 2012345, value 1250 (1.250 kg in grams, or 12.50 in cents). */
START_TEST(gs1_variable_measure_ean13)
{
    char code[14] = "201234501250";
    code[12] = (char)('0' + bo__gs1_check_digit(code, 12));
    code[13] = 0;
    char item[16];
    int64_t v = 0;
    bo_assert_ok(bo_gs1_variable_measure(code, NULL, item, sizeof item, &v));
    ck_assert_str_eq(item, "2012345");
    ck_assert_int_eq(v, 1250);
    /* a layout with a price check digit: 4 item digits, X, 5 value digits */
    bo_assert_ok(bo_gs1_variable_measure(code, "PPIIIIXVVVVVC", item, sizeof item, &v));
    ck_assert_str_eq(item, "201234");
    ck_assert_int_eq(v, 1250);
    char wrong[14];
    memcpy(wrong, code, 14);
    wrong[12] = (char)('0' + (code[12] - '0' + 1) % 10);
    bo_assert_err(bo_gs1_variable_measure(wrong, NULL, item, sizeof item, &v), BO_ECHECKDIGIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position 13"));
    bo_assert_err(bo_gs1_variable_measure("4006381333931", NULL, item, sizeof item, &v),
                  BO_EBARCODE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "prefix 40"));
    bo_assert_err(bo_gs1_variable_measure("20123", NULL, item, sizeof item, &v), BO_EBARCODE);
    bo_assert_err(bo_gs1_variable_measure(code, "PPIIII", item, sizeof item, &v), BO_EINVAL);
    bo_assert_err(bo_gs1_variable_measure(code, NULL, item, 4, &v), BO_ETOOLONG);
}
END_TEST

#ifdef BO_TEST_ZINT
/* A GS1-128 symbol drawn by zint, read back by zbarimg, parsed. */
START_TEST(gs1_zint_symbol_read_back)
{
    char *file = bo_test_file("gs1_128");
    char png[200];
    /* zint draws by the extension */
    ck_assert_int_lt(snprintf(png, sizeof png, "%s.png", file), (int)sizeof png);
    free(file);
    struct zint_symbol *s = ZBarcode_Create();
    ck_assert_ptr_nonnull(s);
    s->symbology = BARCODE_GS1_128;
    s->scale = 2;
    ck_assert_int_lt(snprintf(s->outfile, sizeof s->outfile, "%s", png),
                     (int)sizeof s->outfile);
    int zrc = ZBarcode_Encode_and_Print(s, (unsigned char *)
                                        "[01]09506000134352[17]261200[10]LOT42[21]SN7", 0, 0);
    ck_assert_msg(zrc == 0, "zint: %d %s", zrc, s->errtxt);
    ZBarcode_Delete(s);
    char cmd[600];
    ck_assert_int_lt(snprintf(cmd, sizeof cmd, "zbarimg --raw -q '%s' 2>/dev/null", png),
                     (int)sizeof cmd);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char text[256] = "";
    size_t n = fread(text, 1, sizeof text - 1, p);
    ck_assert_int_eq(pclose(p), 0);
    text[n] = 0;
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = 0;
    ck_assert_msg(n > 20, "zbarimg read '%s'", text);
    ck_assert_str_eq(norm(text), "(01)09506000134352(17)261200(10)LOT42(21)SN7");
    ck_assert_str_eq(get(text, "10"), "LOT42");
    ck_assert_str_eq(get(text, "21"), "SN7");
    bo_date d;
    bo_assert_ok(bo_gs1_expiry(text, &d));
    ck_assert_str_eq(iso(d), "2026-12-31");
    remove(png);
}
END_TEST
#endif

static Suite *suite(void)
{
    Suite *s = suite_create("gs1");
    TCase *t = tcase_create("gs1");
    tcase_add_test(t, gs1_both_forms_parse_alike);
    tcase_add_test(t, gs1_expiry_day_zero_and_weight);
    tcase_add_test(t, gs1_malformed_named_by_position);
    tcase_add_test(t, gs1_variable_measure_ean13);
#ifdef BO_TEST_ZINT
    tcase_add_test(t, gs1_zint_symbol_read_back);
#endif
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
