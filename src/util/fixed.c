/*
 * The checked fixed-point family (fixed.h): exact 128-bit intermediates,
 * one rounding by an explicit mode, range-checked before anything is
 * stored. Quiet: no error state is touched; callers name what overflowed.
 */
#include "util/fixed.h"

static const int64_t pow10_table[BO__FX_SCALE_MAX + 1] = {
    1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
    100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
    1000000000000LL, 10000000000000LL, 100000000000000LL,
    1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
    1000000000000000000LL,
};

int64_t bo__fx_pow10(int n)
{
    return n >= 0 && n <= BO__FX_SCALE_MAX ? pow10_table[n] : 0;
}

static int mode_valid(bo_rounding mode)
{
    return (int)mode >= BO_ROUND_HALF_EVEN && (int)mode <= BO_ROUND_CEILING;
}

static int scale_valid(int scale)
{
    return scale >= 0 && scale <= BO__FX_SCALE_MAX;
}

/*
 * C division truncates toward zero; the remainder then says how far the
 * exact quotient lies past the truncated one and on which side of zero,
 * which is all every mode needs.
 */
bo__i128 bo__fx_div128(bo__i128 n, bo__i128 d, bo_rounding mode)
{
    bo__i128 q = n / d, r = n % d;
    if (r == 0)
        return q;
    int negative = (n < 0) != (d < 0);
    bo__i128 away = negative ? -1 : 1; /* one step away from zero */
    /* Compare the dropped fraction with one half: 2|r| vs |d|. Both fit
     * easily, |r| < |d| <= 2^64. */
    bo__i128 twice = r < 0 ? -2 * r : 2 * r, ad = d < 0 ? -d : d;
    int half = twice < ad ? -1 : twice > ad ? 1 : 0;
    switch (mode) {
    case BO_ROUND_DOWN:
        return q;
    case BO_ROUND_UP:
        return q + away;
    case BO_ROUND_FLOOR:
        return negative ? q - 1 : q;
    case BO_ROUND_CEILING:
        return negative ? q : q + 1;
    case BO_ROUND_HALF_UP:
        return half >= 0 ? q + away : q;
    case BO_ROUND_HALF_DOWN:
        return half > 0 ? q + away : q;
    case BO_ROUND_HALF_EVEN:
    default:
        if (half > 0 || (half == 0 && (q & 1) != 0))
            return q + away;
        return q;
    }
}

int bo__fx_narrow(bo__i128 v, int64_t *out)
{
    if (v < INT64_MIN || v > INT64_MAX)
        return BO_EOVERFLOW;
    *out = (int64_t)v;
    return 0;
}

int bo__fx_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return BO_EOVERFLOW;
    *out = r;
    return 0;
}

int bo__fx_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r))
        return BO_EOVERFLOW;
    *out = r;
    return 0;
}

int bo__fx_neg(int64_t a, int64_t *out)
{
    if (a == INT64_MIN)
        return BO_EOVERFLOW;
    *out = -a;
    return 0;
}

int bo__fx_abs(int64_t a, int64_t *out)
{
    if (a < 0)
        return bo__fx_neg(a, out);
    *out = a;
    return 0;
}

int bo__fx_muldiv(int64_t a, int64_t num, int64_t den, bo_rounding mode,
                  int64_t *out)
{
    if (den == 0 || !mode_valid(mode))
        return BO_EINVAL;
    /* |a * num| <= 2^126: exact in 128 bits. */
    return bo__fx_narrow(bo__fx_div128((bo__i128)a * num, den, mode), out);
}

int bo__fx_mul(int64_t a, int64_t b, int scale, bo_rounding mode, int64_t *out)
{
    if (!scale_valid(scale))
        return BO_EINVAL;
    return bo__fx_muldiv(a, b, pow10_table[scale], mode, out);
}

int bo__fx_div(int64_t a, int64_t b, int scale, bo_rounding mode, int64_t *out)
{
    if (!scale_valid(scale))
        return BO_EINVAL;
    return bo__fx_muldiv(a, pow10_table[scale], b, mode, out);
}

int bo__fx_scale(int64_t a, int k, int64_t *out)
{
    if (!scale_valid(k))
        return BO_EINVAL;
    return bo__fx_narrow((bo__i128)a * pow10_table[k], out);
}

int bo__fx_rescale(int64_t a, int from, int to, bo_rounding mode, int64_t *out)
{
    if (!scale_valid(from) || !scale_valid(to) || !mode_valid(mode))
        return BO_EINVAL;
    if (to >= from)
        return bo__fx_scale(a, to - from, out);
    return bo__fx_narrow(bo__fx_div128(a, pow10_table[from - to], mode), out);
}

int bo__fx_round(int64_t a, int scale, int places, bo_rounding mode,
                 int64_t *out)
{
    if (!scale_valid(scale) || places > scale || !scale_valid(scale - places) ||
        !mode_valid(mode))
        return BO_EINVAL;
    int64_t unit = pow10_table[scale - places];
    return bo__fx_narrow(bo__fx_div128(a, unit, mode) * unit, out);
}
