/*
 * Money for people (bo_report_money): the currency's symbol and its
 * country's separators from a table of our own, never the C locale, so a
 * report reads the same on every machine.
 */
#include "reports/reports.h"

#include <string.h>

typedef struct style {
    const char *code;
    const char *prefix; /* before the digits (after the minus sign) */
    const char *suffix; /* after them */
    char group;         /* thousands separator */
    char point;         /* decimal separator */
    int trim;           /* 1: an all-zero fraction is not shown (IDR) */
} style;

static const style STYLES[] = {
    { "IDR", "Rp ", "", '.', ',', 1 },  { "USD", "$", "", ',', '.', 0 },
    { "EUR", "\xe2\x82\xac", "", '.', ',', 0 }, { "GBP", "\xc2\xa3", "", ',', '.', 0 },
    { "JPY", "\xc2\xa5", "", ',', '.', 0 }, { "SGD", "S$", "", ',', '.', 0 },
    { "MYR", "RM ", "", ',', '.', 0 },  { "AUD", "A$", "", ',', '.', 0 },
    { "PHP", "\xe2\x82\xb1", "", ',', '.', 0 }, { "THB", "\xe0\xb8\xbf", "", ',', '.', 0 },
};

int bo_report_money(int64_t amount, const char *currency, char *buf, size_t size)
{
    bo__error_clear();
    int exp, rc;
    if (!buf)
        return bo__error_set(BO_EINVAL, "buf: NULL");
    if ((rc = bo_currency_exponent(currency, &exp)))
        return rc;
    style generic = { currency, "", "", ',', '.', 0 };
    const style *st = &generic;
    for (size_t i = 0; i < sizeof STYLES / sizeof STYLES[0]; i++)
        if (strcmp(STYLES[i].code, currency) == 0)
            st = &STYLES[i];
    /* digits of |amount|, most significant first (INT64_MIN included) */
    uint64_t v = amount < 0 ? 0 - (uint64_t)amount : (uint64_t)amount;
    char dig[40];
    int nd = 0;
    do {
        dig[nd++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (nd <= exp)
        dig[nd++] = '0';
    /* dig[] is reversed: dig[0] is the last fraction digit */
    char out[96];
    size_t n = 0;
    if (amount < 0)
        out[n++] = '-';
    size_t pl = strlen(st->prefix);
    memcpy(out + n, st->prefix, pl);
    n += pl;
    int whole = nd - exp;
    for (int i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            out[n++] = st->group;
        out[n++] = dig[nd - 1 - i];
    }
    int zero_fraction = 1;
    for (int i = 0; i < exp; i++)
        if (dig[i] != '0')
            zero_fraction = 0;
    if (exp > 0 && !(st->trim && zero_fraction)) {
        out[n++] = st->point;
        for (int i = exp - 1; i >= 0; i--)
            out[n++] = dig[i];
    }
    if (st == &generic) {
        out[n++] = ' ';
        size_t cl = strlen(currency);
        memcpy(out + n, currency, cl);
        n += cl;
    } else {
        size_t sl = strlen(st->suffix);
        memcpy(out + n, st->suffix, sl);
        n += sl;
    }
    out[n] = '\0';
    if (n + 1 > size)
        return bo__error_set(BO_ETOOLONG, "size: %zu bytes, %zu needed", size, n + 1);
    memcpy(buf, out, n + 1);
    return 0;
}
