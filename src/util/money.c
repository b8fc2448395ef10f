/*
 * Money arithmetic on int64 minor units. Products and quotients are computed
 * exactly in 128-bit integers and rounded once, by the caller's mode; every
 * result is range-checked before it is stored, so nothing ever wraps.
 */
#include "util/util.h"
#include "util/fixed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/*
 * The public operations are the checked family of fixed.h (one
 * implementation) with the error discipline of a public call: cleared at
 * entry, a message on failure. The caller owns these amounts, so the
 * message may quote them.
 */

static int check_out(const int64_t *out)
{
    bo__error_clear();
    return out ? 0 : bo__error_set(BO_EINVAL, "out: NULL output pointer");
}

int bo_money_add(int64_t a, int64_t b, int64_t *out)
{
    int rc = check_out(out);
    if (!rc && bo__fx_add(a, b, out))
        rc = bo__error_set(BO_EOVERFLOW, "amount: %lld + %lld overflows int64",
                           (long long)a, (long long)b);
    return rc;
}

int bo_money_sub(int64_t a, int64_t b, int64_t *out)
{
    int rc = check_out(out);
    if (!rc && bo__fx_sub(a, b, out))
        rc = bo__error_set(BO_EOVERFLOW, "amount: %lld - %lld overflows int64",
                           (long long)a, (long long)b);
    return rc;
}

int bo_money_neg(int64_t a, int64_t *out)
{
    int rc = check_out(out);
    if (!rc && bo__fx_neg(a, out))
        rc = bo__error_set(BO_EOVERFLOW, "amount: -(%lld) overflows int64",
                           (long long)a);
    return rc;
}

static int mode_check(bo_rounding mode)
{
    if ((int)mode < BO_ROUND_HALF_EVEN || (int)mode > BO_ROUND_CEILING)
        return bo__error_set(BO_EINVAL, "mode: %d is not a bo_rounding", (int)mode);
    return 0;
}

int bo_money_muldiv(int64_t amount, int64_t numerator, int64_t denominator,
                    bo_rounding mode, int64_t *out)
{
    int rc = check_out(out);
    if (rc)
        return rc;
    if (denominator == 0)
        return bo__error_set(BO_EINVAL, "denominator: is zero");
    if ((rc = mode_check(mode)))
        return rc;
    if (bo__fx_muldiv(amount, numerator, denominator, mode, out))
        return bo__error_set(BO_EOVERFLOW, "amount: %lld * %lld / %lld "
                             "overflows int64", (long long)amount,
                             (long long)numerator, (long long)denominator);
    return 0;
}

int bo_money_rescale(int64_t amount, int from_exp, int to_exp,
                     bo_rounding mode, int64_t *out)
{
    int rc = check_out(out);
    if (rc)
        return rc;
    if (from_exp < 0 || from_exp > BO__FX_SCALE_MAX)
        return bo__error_set(BO_EINVAL, "from_exp: %d is outside 0..%d",
                             from_exp, BO__FX_SCALE_MAX);
    if (to_exp < 0 || to_exp > BO__FX_SCALE_MAX)
        return bo__error_set(BO_EINVAL, "to_exp: %d is outside 0..%d",
                             to_exp, BO__FX_SCALE_MAX);
    if ((rc = mode_check(mode)))
        return rc;
    if (bo__fx_rescale(amount, from_exp, to_exp, mode, out))
        return bo__error_set(BO_EOVERFLOW, "amount: %lld with %d decimals "
                             "overflows int64 at %d decimals",
                             (long long)amount, from_exp, to_exp);
    return 0;
}

/* ---- split ---------------------------------------------------------------- */

typedef struct split_rem {
    u128 rem;   /* |total| * weight mod sum of weights */
    size_t idx; /* the part it belongs to */
} split_rem;

/* Largest remainder first; equal remainders keep the earlier part first. */
static int split_rem_cmp(const void *pa, const void *pb)
{
    const split_rem *a = pa, *b = pb;
    if (a->rem != b->rem)
        return a->rem > b->rem ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx ? 1 : 0;
}

int bo_money_split(int64_t total, const int64_t *weights, size_t n,
                   int64_t *parts)
{
    bo__error_clear();
    if (n == 0)
        return bo__error_set(BO_EINVAL, "n: no parts to split into");
    if (!weights)
        return bo__error_set(BO_EINVAL, "weights: NULL");
    if (!parts)
        return bo__error_set(BO_EINVAL, "parts: NULL output pointer");
    /* The sum of n weights below 2^63 is below 2^127 for any n a size_t can
     * hold, so it cannot overflow u128. */
    u128 sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return bo__error_set(BO_EINVAL, "weights[%zu]: %lld is negative",
                                 i, (long long)weights[i]);
        sum += (u128)weights[i];
    }
    if (sum == 0)
        return bo__error_set(BO_EINVAL, "weights: all %zu are zero", n);

    /* Split the magnitude (2^63 for INT64_MIN fits u128) and give every part
     * the sign of the total, so negative totals mirror positive ones. */
    u128 mag = (u128)(total < 0 ? -(bo__i128)total : (bo__i128)total);

    /* Remainders, kept for the parts that may receive one extra unit. A small
     * split (the common case: tax lines, a few payees) uses the stack. */
    split_rem stack_buf[32];
    split_rem *rems = stack_buf;
    if (n > sizeof stack_buf / sizeof stack_buf[0]) {
        if (n > SIZE_MAX / sizeof *rems)
            return bo__error_set(BO_ENOMEM, "parts: %zu is too many", n);
        rems = bo__malloc(n * sizeof *rems);
        if (!rems)
            return bo__error_prefix("splitting into %zu parts: ", n);
    }

    /* Each floor(mag * w / sum) <= mag <= 2^63; the floors sum to at most
     * mag and fall short by less than n, one unit per fractional part. The
     * parts carry the sign of the total from the start: a magnitude of 2^63
     * only occurs for INT64_MIN, where the signed part fits. */
    bo__i128 sign = total < 0 ? -1 : 1;
    u128 given = 0;
    for (size_t i = 0; i < n; i++) {
        u128 num = mag * (u128)weights[i]; /* <= 2^126 */
        u128 share = num / sum;
        rems[i].rem = num % sum;
        rems[i].idx = i;
        given += share;
        parts[i] = (int64_t)(sign * (bo__i128)share);
    }
    u128 left = mag - given; /* < n */
    if (left > 0) {
        qsort(rems, n, sizeof *rems, split_rem_cmp);
        for (size_t k = 0; k < (size_t)left; k++)
            parts[rems[k].idx] += (int64_t)sign;
    }
    if (rems != stack_buf)
        bo__free(rems);
    return 0;
}

/* ---- parse and format ------------------------------------------------------ */

/*
 * Grammar, strict on purpose (amounts come from terminals, files and
 * configuration; anything ambiguous is refused rather than guessed):
 *
 *     amount = ["-"] digit+ ["." digit+]
 *
 * So "0.5", "-12.50", "007" are accepted; "+5", " 5", "5 ", ".5", "5.",
 * "-", "", "1,000.00", "1e3" are not. Fraction digits beyond the currency's
 * exponent are refused even when they are zeros ("12.340" for USD): the
 * text claims a precision the currency does not have.
 */
int bo_money_parse(const char *text, const char *currency, int64_t *out)
{
    int exp, rc;
    /* bo_currency_exponent clears the error state for us. */
    if ((rc = bo_currency_exponent(currency, &exp)) != 0)
        return rc;
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL output pointer");
    if (!text)
        return bo__error_set(BO_EINVAL, "amount: missing");

    char q[200];
    const char *p = text;
    int negative = 0;
    if (*p == '-') {
        negative = 1;
        p++;
    }
    /* Magnitude limit: 2^63 - 1, or 2^63 for a negative amount. */
    const uint64_t limit = negative ? (uint64_t)INT64_MAX + 1u
                                    : (uint64_t)INT64_MAX;
    uint64_t mag = 0;
    int overflow = 0;
    size_t int_digits = 0, frac_digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, int_digits++) {
        unsigned d = (unsigned)(*p - '0');
        if (mag > (limit - d) / 10)
            overflow = 1;
        else
            mag = mag * 10 + d;
    }
    if (int_digits == 0)
        goto malformed;
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, frac_digits++) {
            if (frac_digits >= (size_t)exp)
                continue; /* counted, refused below */
            unsigned d = (unsigned)(*p - '0');
            if (mag > (limit - d) / 10)
                overflow = 1;
            else
                mag = mag * 10 + d;
        }
        if (frac_digits == 0)
            goto malformed;
    }
    if (*p != '\0')
        goto malformed;
    if (frac_digits > (size_t)exp) {
        bo__quote(text, 40, q, sizeof q);
        return bo__error_set(BO_EINVAL, "amount: %s has %zu decimals, %s "
                             "allows %d", q, frac_digits, currency, exp);
    }
    /* Pad the missing fraction digits: "12.5" USD is 1250 cents. */
    for (size_t k = frac_digits; k < (size_t)exp && !overflow; k++) {
        if (mag > limit / 10)
            overflow = 1;
        else
            mag *= 10;
    }
    if (overflow) {
        bo__quote(text, 40, q, sizeof q);
        return bo__error_set(BO_EOVERFLOW, "amount: %s %s does not fit int64 "
                             "minor units", q, currency);
    }
    /* mag <= 2^63 when negative: 0 - mag in uint64 is INT64_MIN's pattern
     * at worst, converted without overflow via the i128 detour. */
    *out = negative ? (int64_t)(-(bo__i128)mag) : (int64_t)mag;
    return 0;

malformed:
    bo__quote(text, 40, q, sizeof q);
    return bo__error_set(BO_EINVAL, "amount: %s is not a decimal number "
                         "like -1234.50", q);
}

int bo_money_format(int64_t amount, const char *currency, char *buf,
                    size_t size)
{
    int exp, rc;
    if ((rc = bo_currency_exponent(currency, &exp)) != 0) {
        if (buf && size > 0)
            buf[0] = '\0';
        return rc;
    }
    if (!buf)
        return bo__error_set(BO_EINVAL, "buf: NULL");

    /* Build right to left in a scratch buffer: at most 20 digits, a point, a
     * sign, a leading "0" and the NUL fit easily in 32. Unsigned magnitude,
     * so INT64_MIN is exact. */
    char tmp[32];
    size_t o = sizeof tmp;
    tmp[--o] = '\0';
    uint64_t mag = amount < 0 ? 0u - (uint64_t)amount : (uint64_t)amount;
    for (int k = 0; k < exp; k++) {
        tmp[--o] = (char)('0' + mag % 10);
        mag /= 10;
    }
    if (exp > 0)
        tmp[--o] = '.';
    do {
        tmp[--o] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag > 0);
    if (amount < 0)
        tmp[--o] = '-';
    size_t len = sizeof tmp - 1 - o;
    if (len + 1 > size) {
        if (size > 0)
            buf[0] = '\0';
        return bo__error_set(BO_ETOOLONG, "buf: %zu bytes, \"%s\" needs %zu",
                             size, tmp + o, len + 1);
    }
    memcpy(buf, tmp + o, len + 1);
    return 0;
}

void bo__amount_str(int64_t amount, const char *currency, char out[48])
{
    char num[40];
    if (bo_money_format(amount, currency, num, sizeof num) != 0)
        snprintf(num, sizeof num, "%" PRId64 " minor units", amount);
    snprintf(out, 48, "%s %s", num, currency);
}
