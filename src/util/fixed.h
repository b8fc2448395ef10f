/*
 * Checked fixed-point and money arithmetic: the one family every layer uses
 * for amounts, quantities, rates and scaled values (src/util/fixed.c).
 *
 * A value is an int64 count of 10^-scale units: minor units of a currency
 * (scale = its exponent), a quantity at its item's scale, a payroll value
 * at 6 decimals, a tax rate in millionths. Every operation computes the
 * exact result in 128-bit integers, rounds it once by an explicit
 * bo_rounding mode where digits are dropped, and either stores it or
 * returns BO_EOVERFLOW without touching *out: nothing ever wraps, clamps or
 * passes through a float.
 *
 * Quiet on purpose: these functions never set or clear the thread's error,
 * so the caller names what overflowed ("employee #17: component 'salary':
 * ...", "account '4000': ...") without amounts of protected data. They
 * return 0, BO_EOVERFLOW, or BO_EINVAL for a caller's mistake (zero
 * divisor, scale outside 0..18, unknown mode). The public bo_money_*
 * functions are the same operations with a message (money.c).
 *
 * A domain never multiplies, divides, negates or sums amounts with bare
 * C operators.
 */
#ifndef BO_CORE_FIXED_H
#define BO_CORE_FIXED_H

#include "backoffice/errors.h"
#include "backoffice/money.h"

#include <stdint.h>

__extension__ typedef __int128 bo__i128;

/* Largest scale (decimal places) anything may use: 10^18 fits int64. */
#define BO__FX_SCALE_MAX 18

/* 10^n for n in 0..18. */
int64_t bo__fx_pow10(int n);

/* *out = a + b, a - b, -a, |a|. */
int bo__fx_add(int64_t a, int64_t b, int64_t *out);
int bo__fx_sub(int64_t a, int64_t b, int64_t *out);
int bo__fx_neg(int64_t a, int64_t *out);
int bo__fx_abs(int64_t a, int64_t *out);

/* *out = a * b / 10^scale: the product of two values with @p scale
 * decimals (or of a value and a factor with @p scale decimals), rounded by
 * @p mode. */
int bo__fx_mul(int64_t a, int64_t b, int scale, bo_rounding mode, int64_t *out);

/* *out = a * 10^scale / b, rounded by @p mode (b != 0). */
int bo__fx_div(int64_t a, int64_t b, int scale, bo_rounding mode, int64_t *out);

/* *out = a * num / den, rounded by @p mode (den != 0). */
int bo__fx_muldiv(int64_t a, int64_t num, int64_t den, bo_rounding mode,
                  int64_t *out);

/* *out = a * 10^k exactly, k in 0..18 (a whole number of units to a scale). */
int bo__fx_scale(int64_t a, int k, int64_t *out);

/* *out = a with @p from decimals expressed with @p to decimals (each
 * 0..18), rounded by @p mode when digits are dropped. */
int bo__fx_rescale(int64_t a, int from, int to, bo_rounding mode, int64_t *out);

/* *out = a (with @p scale decimals) rounded to @p places decimals, still
 * with @p scale decimals; @p places may be negative (round(x, -2) rounds to
 * hundreds) down to scale - 18, and at most scale. */
int bo__fx_round(int64_t a, int scale, int places, bo_rounding mode,
                 int64_t *out);

/* ---- 128-bit intermediates ------------------------------------------------
 * For a result built from several int64 terms (a sum of many values, a sum
 * of products) without narrowing in between: exact up to 2^127. */

/* n / d rounded by @p mode (d != 0; |n| < 2^127, |d| <= 2^64). */
bo__i128 bo__fx_div128(bo__i128 n, bo__i128 d, bo_rounding mode);
/* *out = v when it fits int64, else BO_EOVERFLOW. */
int bo__fx_narrow(bo__i128 v, int64_t *out);

/* An exact running sum of int64 values: fewer than 2^63 terms never
 * overflow it, whatever their order and signs. */
typedef struct bo__fx_sum {
    bo__i128 v;
} bo__fx_sum;
#define BO__FX_SUM_INIT { 0 }
static inline void bo__fx_sum_add(bo__fx_sum *s, int64_t x)
{
    s->v += x;
}
static inline int bo__fx_sum_get(const bo__fx_sum *s, int64_t *out)
{
    return bo__fx_narrow(s->v, out);
}

/* ---- exact sums in SQL ------------------------------------------------------
 * SQLite turns an integer + - * or unary minus that overflows int64 into a
 * float, and its SUM() fails; PostgreSQL fails on bigint arithmetic and
 * widens SUM(bigint) to numeric. A report that sums or negates amounts in
 * SQL therefore asks for two integer sums that cannot overflow (fewer than
 * 2^31 rows) and joins them in C:
 *
 *     SUM(BO__SQL_HI(x)), SUM(BO__SQL_LO(x))  ->  bo__fx_join(hi, lo, &v)
 *
 * x = HI * 2^32 + LO on both engines: integer division truncates toward
 * zero and the remainder takes the dividend's sign on both. Negation and
 * the debit/credit split then happen in C, through this family. */
#define BO__SQL_HI(x) "((" x ") / 4294967296)"
#define BO__SQL_LO(x) "((" x ") % 4294967296)"
/* hi * 2^32 + lo as 128 bits (narrow it with bo__fx_narrow). */
static inline bo__i128 bo__fx_join(int64_t hi, int64_t lo)
{
    return (bo__i128)hi * 4294967296 + lo;
}

#endif
