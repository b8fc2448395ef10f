/*
 * GS1 element strings (both forms) and variable-measure EAN-13 codes.
 * Properties:
 *  - the parser never reads past its input, and refuses with BO_EBARCODE,
 *    BO_ECHECKDIGIT or BO_ELIMIT and a message, nothing else;
 *  - an accepted string's human-readable form (a "(" of the data escaped
 *    "\(") parses again to the same elements: normalizing is idempotent;
 *  - the expiry, when there is one, is a real date; a net weight has
 *    0..9 decimals;
 *  - a variable-measure code is accepted only as 13 digits starting with 2
 *    whose check digit is right.
 */
#include "fuzz_util.h"
#include "inventory/gs1.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2 * BO_GS1_TEXT_MAX)
        return 0;
    /* the exact bytes, in a block of their own size (no NUL after them) */
    char *raw = malloc(size ? size : 1);
    memcpy(raw, data, size);
    bo__gs1 g;
    int rc = bo__gs1_parse(raw, size, &g);
    free(raw);
    if (rc) {
        FZ_ASSERT(rc == BO_EBARCODE || rc == BO_ECHECKDIGIT || rc == BO_ELIMIT,
                  "parse: rc %d", rc);
        fz_check_refusal(rc, "bo__gs1_parse");
    } else {
        FZ_ASSERT(g.n >= 1 && g.n <= BO_GS1_ELEMENTS_MAX, "%d elements", g.n);
        char *text = malloc(size + 1);
        memcpy(text, data, size);
        text[size] = '\0';
        char norm[BO_GS1_TEXT_MAX * 2 + 256], again[sizeof norm];
        FZ_ASSERT(bo_gs1_normalize(text, norm, sizeof norm) == 0, "normalize refused");
        if (strlen(norm) <= BO_GS1_TEXT_MAX) { /* escapes may make it longer */
            FZ_ASSERT(bo_gs1_normalize(norm, again, sizeof again) == 0,
                      "normal form refused: %s", norm);
            FZ_ASSERT(strcmp(norm, again) == 0, "%s -> %s", norm, again);
        }
        bo_date d;
        rc = bo_gs1_expiry(text, &d);
        FZ_ASSERT(rc == 0 || rc == BO_ENOTFOUND, "expiry: rc %d", rc);
        if (!rc)
            FZ_ASSERT(d >= BO_DATE_MIN && d <= BO_DATE_MAX, "expiry %d", (int)d);
        int64_t w;
        int dec;
        rc = bo_gs1_net_weight(text, &w, &dec);
        FZ_ASSERT(rc == 0 || rc == BO_ENOTFOUND, "weight: rc %d", rc);
        if (!rc)
            FZ_ASSERT(dec >= 0 && dec <= 9 && w >= 0 && w <= 999999, "weight %lld/%d",
                      (long long)w, dec);
        free(text);
    }
    if (size == 13) {
        char ean[14], item[16];
        memcpy(ean, data, 13);
        ean[13] = '\0';
        int64_t v = -1;
        rc = bo_gs1_variable_measure(ean, NULL, item, sizeof item, &v);
        int digits = strspn(ean, "0123456789") == 13;
        if (!rc) {
            FZ_ASSERT(digits && ean[0] == '2' &&
                      bo__gs1_check_digit(ean, 12) == ean[12] - '0', "accepted %s", ean);
            FZ_ASSERT(v >= 0 && v <= 99999 && strlen(item) == 7, "%s: %s %lld", ean, item,
                      (long long)v);
        } else {
            fz_check_refusal(rc, "bo_gs1_variable_measure");
        }
    }
    return 0;
}
