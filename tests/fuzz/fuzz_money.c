/*
 * Amount parser and formatter. The first input byte picks a currency
 * (exponents 0, 2, 3, 4 and a registered 18), the rest is the text.
 * Properties:
 *  - bo_money_parse accepts exactly what a reference parser accepts
 *    (-?DIGITS(.DIGITS)?, at most the currency's decimals, fits int64) and
 *    yields the same value; a refusal is BO_EINVAL/BO_EOVERFLOW with a
 *    message;
 *  - formatting an accepted amount gives the text's canonical form (no
 *    leading zeros, all decimals, no "-0"), so a canonical text comes back
 *    byte for byte, and parsing the formatted text gives the amount back;
 *  - formatting into a buffer one byte too small is BO_ETOOLONG and leaves
 *    an empty string.
 */
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

static const struct {
    const char *code;
    int exp;
} currencies[] = {
    {"USD", 2}, {"JPY", 0}, {"KWD", 3}, {"CLF", 4}, {"EUR", 2}, {"FUZZ18", 18},
};
#define NCUR (sizeof currencies / sizeof currencies[0])

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (bo_currency_register("FUZZ18", 18) != 0)
        abort();
    for (size_t i = 0; i < NCUR; i++) {
        int e = -1;
        if (bo_currency_exponent(currencies[i].code, &e) != 0 ||
            e != currencies[i].exp)
            abort();
    }
    return 0;
}

/* Reference: 1 and the value, 0 malformed, -1 too many decimals,
 * -2 overflow. canon receives the canonical text when accepted. */
static int reference(const char *t, int exp, int64_t *value, char *canon)
{
    const char *p = t;
    int neg = *p == '-';
    if (neg)
        p++;
    const char *ip = p;
    while (*p >= '0' && *p <= '9')
        p++;
    size_t ni = (size_t)(p - ip);
    const char *fp = NULL;
    size_t nf = 0;
    if (ni == 0)
        return 0;
    if (*p == '.') {
        fp = ++p;
        while (*p >= '0' && *p <= '9')
            p++;
        nf = (size_t)(p - fp);
        if (nf == 0)
            return 0;
    }
    if (*p != '\0')
        return 0;
    if (nf > (size_t)exp)
        return -1;
    /* Value in 128 bits, saturating well above the int64 range. */
    __int128 v = 0;
    const __int128 cap = (__int128)1 << 100;
    for (size_t i = 0; i < ni; i++)
        if ((v = v * 10 + (ip[i] - '0')) > cap)
            v = cap;
    for (int k = 0; k < exp; k++)
        if ((v = v * 10 + ((size_t)k < nf ? fp[k] - '0' : 0)) > cap)
            v = cap;
    if (neg)
        v = -v;
    if (v > INT64_MAX || v < INT64_MIN)
        return -2;
    *value = (int64_t)v;
    /* Canonical: sign unless zero, integer digits without leading zeros,
     * exactly exp decimals. */
    char *o = canon;
    if (neg && v != 0)
        *o++ = '-';
    size_t skip = 0;
    while (skip + 1 < ni && ip[skip] == '0')
        skip++;
    memcpy(o, ip + skip, ni - skip);
    o += ni - skip;
    if (exp > 0) {
        *o++ = '.';
        for (int k = 0; k < exp; k++)
            *o++ = (size_t)k < nf ? fp[k] : '0';
    }
    *o = '\0';
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    const char *cur = currencies[data[0] % NCUR].code;
    int exp = currencies[data[0] % NCUR].exp;
    char *text = malloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0'; /* stops at the first NUL, like any C caller */

    char *canon = malloc(size + 32);
    int64_t want = 0, got = 12345;
    int ref = reference(text, exp, &want, canon);
    int rc = bo_money_parse(text, cur, &got);
    if (ref == 1) {
        FZ_ASSERT(rc == 0, "\"%s\" %s: refused (%d) but valid", text, cur, rc);
        FZ_ASSERT(got == want, "\"%s\" %s: %lld, expected %lld", text, cur,
                  (long long)got, (long long)want);
        char buf[32];
        FZ_ASSERT(bo_money_format(got, cur, buf, sizeof buf) == 0,
                  "format %lld %s", (long long)got, cur);
        FZ_ASSERT(strcmp(buf, canon) == 0, "\"%s\" %s formats as \"%s\", "
                  "canonical \"%s\"", text, cur, buf, canon);
        int64_t back = 0;
        FZ_ASSERT(bo_money_parse(buf, cur, &back) == 0 && back == got,
                  "\"%s\" does not parse back", buf);
        size_t len = strlen(buf);
        char small[32];
        memset(small, 'x', sizeof small);
        rc = bo_money_format(got, cur, small, len);
        FZ_ASSERT(rc == BO_ETOOLONG && small[0] == '\0',
                  "format into %zu bytes: %d", len, rc);
        fz_check_refusal(rc, "bo_money_format");
    } else {
        FZ_ASSERT(got == 12345, "\"%s\": output written on refusal", text);
        FZ_ASSERT(rc == (ref == -2 ? BO_EOVERFLOW : BO_EINVAL),
                  "\"%s\" %s: rc %d, reference %d", text, cur, rc, ref);
        fz_check_refusal(rc, "bo_money_parse");
    }
    /* Any int64 formats and parses back, in every currency. */
    if (size >= 9) {
        int64_t v;
        memcpy(&v, data + 1, sizeof v);
        char buf[32];
        FZ_ASSERT(bo_money_format(v, cur, buf, sizeof buf) == 0, "format");
        int64_t back = 0;
        FZ_ASSERT(bo_money_parse(buf, cur, &back) == 0 && back == v,
                  "%lld %s -> \"%s\" does not parse back", (long long)v, cur, buf);
    }
    free(canon);
    free(text);
    return 0;
}
