/*
 * Currencies: the ISO 4217 table built into the library plus the codes a
 * process registers at run time.
 *
 * The built-in table is const and sorted, so the common lookup is a binary
 * search with no lock. Registered codes live in a fixed-size array, also kept
 * sorted, behind a mutex: a fixed array never allocates, so registering can
 * neither fail for lack of memory nor leave memory owned by an allocator
 * that bo_set_allocator() has since replaced.
 */
#include "util/util.h"

#include <pthread.h>
#include <string.h>

typedef struct iso_currency {
    char code[4];
    unsigned char exponent;
} iso_currency;

/*
 * ISO 4217 list one (currencies and funds), in strcmp order: the lookup
 * relies on it and the unit tests look up every entry.
 *
 * Left out on purpose: the codes whose minor unit ISO gives as "N.A."
 * (XAG, XAU, XPD, XPT, XBA..XBD, XDR, XSU, XUA, XTS, XXX). They have no
 * natural number of decimals, so a business that needs them registers them
 * with the precision it books them in (gold in 1/1000 ounce, say).
 *
 * Kept on purpose: codes withdrawn since 2008 (marked "withdrawn"), so that
 * books holding older entries in them still read and format them.
 */
static const iso_currency builtin[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2},
    {"ANG", 2}, /* withdrawn 2025, replaced by XCG */
    {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2}, {"AZN", 2},
    {"BAM", 2}, {"BBD", 2}, {"BDT", 2},
    {"BGN", 2}, /* withdrawn 2026, euro */
    {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2},
    {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2},
    {"BYR", 0}, /* withdrawn 2017, redenominated as BYN */
    {"BZD", 2},
    {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2},
    {"CUC", 2}, /* withdrawn 2021 */
    {"CUP", 2}, {"CVE", 2},
    {"CYP", 2}, /* withdrawn 2008, euro */
    {"CZK", 2},
    {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2},
    {"EEK", 2}, /* withdrawn 2011, euro */
    {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2},
    {"FJD", 2}, {"FKP", 2},
    {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0},
    {"GTQ", 2}, {"GYD", 2},
    {"HKD", 2}, {"HNL", 2},
    {"HRK", 2}, /* withdrawn 2023, euro */
    {"HTG", 2}, {"HUF", 2},
    {"IDR", 2}, {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0},
    {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0},
    {"KWD", 3}, {"KYD", 2}, {"KZT", 2},
    {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2},
    {"LTL", 2}, /* withdrawn 2015, euro */
    {"LVL", 2}, /* withdrawn 2014, euro */
    {"LYD", 3},
    {"MAD", 2}, {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2},
    {"MOP", 2},
    {"MRO", 2}, /* withdrawn 2018, redenominated as MRU */
    {"MRU", 2},
    {"MTL", 2}, /* withdrawn 2008, euro */
    {"MUR", 2}, {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2},
    {"MZN", 2},
    {"NAD", 2}, {"NGN", 2}, {"NIO", 2}, {"NOK", 2}, {"NPR", 2}, {"NZD", 2},
    {"OMR", 3},
    {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2}, {"PKR", 2}, {"PLN", 2},
    {"PYG", 0},
    {"QAR", 2},
    {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0},
    {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2},
    {"SHP", 2},
    {"SKK", 2}, /* withdrawn 2009, euro */
    {"SLE", 2},
    {"SLL", 2}, /* withdrawn 2024, redenominated as SLE */
    {"SOS", 2}, {"SRD", 2}, {"SSP", 2},
    {"STD", 2}, /* withdrawn 2018, redenominated as STN */
    {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2},
    {"THB", 2}, {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2},
    {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2},
    {"UYW", 4}, {"UZS", 2},
    {"VED", 2},
    {"VEF", 2}, /* withdrawn 2018, redenominated as VES */
    {"VES", 2}, {"VND", 0}, {"VUV", 0},
    {"WST", 2},
    {"XAD", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0},
    {"YER", 2},
    {"ZAR", 2},
    {"ZMK", 2}, /* withdrawn 2013, redenominated as ZMW */
    {"ZMW", 2}, {"ZWG", 2},
    {"ZWL", 2}, /* withdrawn 2024, replaced by ZWG */
};

#define BUILTIN_COUNT (sizeof builtin / sizeof builtin[0])

/* Registered currencies: enough for any business's own units and tokens;
 * more is a configuration mistake, reported as BO_ELIMIT. */
#define REGISTERED_MAX 1024

typedef struct reg_currency {
    char code[BO_CURRENCY_MAX + 1];
    int exponent;
} reg_currency;

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static reg_currency registered[REGISTERED_MAX];
static size_t registered_count;

/* The shape of a code: 3..8 of [A-Z0-9]. Returns its length, or 0. Reads at
 * most BO_CURRENCY_MAX + 1 bytes, so an unterminated or huge string is safe
 * to reject. */
static size_t code_length(const char *code)
{
    size_t n = 0;
    for (; n <= BO_CURRENCY_MAX && code[n] != '\0'; n++) {
        char c = code[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return 0;
    }
    if (n < 3 || n > BO_CURRENCY_MAX)
        return 0;
    return n;
}

static const iso_currency *find_builtin(const char *code)
{
    size_t lo = 0, hi = BUILTIN_COUNT;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, builtin[mid].code);
        if (c == 0)
            return &builtin[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Index of @p code in `registered`, or where it would be inserted (with
 * *found = 0). Call with reg_lock held. */
static size_t find_registered(const char *code, int *found)
{
    size_t lo = 0, hi = registered_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, registered[mid].code);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    *found = 0;
    return lo;
}

int bo_currency_exponent(const char *currency, int *exponent)
{
    bo__error_clear();
    if (!exponent)
        return bo__error_set(BO_EINVAL, "exponent: NULL output pointer");
    if (!currency)
        return bo__error_set(BO_ECURRENCY, "currency: missing");
    if (code_length(currency) == 0) {
        char q[64];
        bo__quote(currency, 12, q, sizeof q);
        return bo__error_set(BO_ECURRENCY, "currency: %s is not a currency "
                             "code (3 to 8 upper-case letters or digits)", q);
    }
    const iso_currency *iso = find_builtin(currency);
    if (iso) {
        *exponent = iso->exponent;
        return 0;
    }
    int found, exp = 0;
    pthread_mutex_lock(&reg_lock);
    size_t i = find_registered(currency, &found);
    if (found)
        exp = registered[i].exponent;
    pthread_mutex_unlock(&reg_lock);
    if (!found)
        return bo__error_set(BO_ECURRENCY, "currency: \"%s\" is unknown "
                             "(neither ISO 4217 nor registered)", currency);
    *exponent = exp;
    return 0;
}

int bo_currency_register(const char *code, int exponent)
{
    bo__error_clear();
    if (!code)
        return bo__error_set(BO_EINVAL, "code: missing");
    if (code_length(code) == 0) {
        char q[64];
        bo__quote(code, 12, q, sizeof q);
        return bo__error_set(BO_EINVAL, "code: %s must be 3 to 8 upper-case "
                             "letters or digits", q);
    }
    if (exponent < 0 || exponent > 18)
        return bo__error_set(BO_EINVAL, "exponent: %d for %s is outside 0..18",
                             exponent, code);
    const iso_currency *iso = find_builtin(code);
    if (iso) {
        if (iso->exponent == exponent)
            return 0;
        return bo__error_set(BO_EEXISTS, "code: %s is built in with exponent "
                             "%d and cannot be changed to %d", code,
                             iso->exponent, exponent);
    }
    int found, rc = 0;
    pthread_mutex_lock(&reg_lock);
    size_t i = find_registered(code, &found);
    if (found) {
        registered[i].exponent = exponent;
    } else if (registered_count == REGISTERED_MAX) {
        rc = BO_ELIMIT;
    } else {
        memmove(&registered[i + 1], &registered[i],
                (registered_count - i) * sizeof registered[0]);
        memset(&registered[i], 0, sizeof registered[i]);
        strcpy(registered[i].code, code); /* length checked above */
        registered[i].exponent = exponent;
        registered_count++;
    }
    pthread_mutex_unlock(&reg_lock);
    if (rc)
        return bo__error_set(rc, "code: cannot register %s, the process "
                             "already has %d registered currencies", code,
                             REGISTERED_MAX);
    return 0;
}
