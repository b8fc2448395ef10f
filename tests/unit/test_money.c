/* Money: checked arithmetic, rounding, rescaling, splitting, parsing,
 * formatting and the currency table. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define NMODES 7

/* ---- add / sub / neg ------------------------------------------------------ */

typedef struct binop_case {
    int64_t a, b;
    int rc;
    int64_t expect;
} binop_case;

START_TEST(test_add_boundaries)
{
    static const binop_case cases[] = {
        {0, 0, 0, 0},
        {INT64_MAX, 0, 0, INT64_MAX},
        {INT64_MAX, 1, BO_EOVERFLOW, 0},
        {INT64_MAX, INT64_MAX, BO_EOVERFLOW, 0},
        {INT64_MIN, -1, BO_EOVERFLOW, 0},
        {INT64_MIN, INT64_MIN, BO_EOVERFLOW, 0},
        {INT64_MIN, INT64_MAX, 0, -1},
        {INT64_MAX, INT64_MIN, 0, -1},
        {INT64_MAX - 1, 1, 0, INT64_MAX},
        {INT64_MIN + 1, -1, 0, INT64_MIN},
        {-5, 3, 0, -2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t out = 12345;
        int rc = bo_money_add(cases[i].a, cases[i].b, &out);
        if (cases[i].rc) {
            bo_assert_err(rc, cases[i].rc);
            ck_assert_int_eq(out, 12345); /* untouched */
        } else {
            bo_assert_ok(rc);
            ck_assert_int_eq(out, cases[i].expect);
            ck_assert_str_eq(bo_error_message(), "");
        }
    }
}
END_TEST

START_TEST(test_sub_boundaries)
{
    static const binop_case cases[] = {
        {0, 0, 0, 0},
        {INT64_MIN, 1, BO_EOVERFLOW, 0},
        {INT64_MIN, 0, 0, INT64_MIN},
        {0, INT64_MIN, BO_EOVERFLOW, 0},
        {-1, INT64_MIN, 0, INT64_MAX},
        {INT64_MAX, -1, BO_EOVERFLOW, 0},
        {INT64_MAX, INT64_MAX, 0, 0},
        {INT64_MIN, INT64_MIN, 0, 0},
        {INT64_MAX, INT64_MIN, BO_EOVERFLOW, 0},
        {INT64_MIN, INT64_MAX, BO_EOVERFLOW, 0},
        {3, 5, 0, -2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t out = 12345;
        int rc = bo_money_sub(cases[i].a, cases[i].b, &out);
        if (cases[i].rc) {
            bo_assert_err(rc, cases[i].rc);
            ck_assert_int_eq(out, 12345);
        } else {
            bo_assert_ok(rc);
            ck_assert_int_eq(out, cases[i].expect);
        }
    }
}
END_TEST

START_TEST(test_neg_boundaries)
{
    int64_t out = 7;
    bo_assert_err(bo_money_neg(INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(out, 7);
    bo_assert_ok(bo_money_neg(INT64_MAX, &out));
    ck_assert_int_eq(out, -INT64_MAX);
    bo_assert_ok(bo_money_neg(INT64_MIN + 1, &out));
    ck_assert_int_eq(out, INT64_MAX);
    bo_assert_ok(bo_money_neg(0, &out));
    ck_assert_int_eq(out, 0);
    bo_assert_err(bo_money_neg(1, NULL), BO_EINVAL);
    bo_assert_err(bo_money_add(1, 1, NULL), BO_EINVAL);
    bo_assert_err(bo_money_sub(1, 1, NULL), BO_EINVAL);
}
END_TEST

/* ---- muldiv ---------------------------------------------------------------- */

/* amount * num / den for each mode, in enum order: HALF_EVEN, HALF_UP,
 * HALF_DOWN, DOWN, UP, FLOOR, CEILING. */
typedef struct round_case {
    int64_t amount, num, den;
    int64_t expect[NMODES];
} round_case;

static const round_case round_cases[] = {
    /* exact */
    {6, 1, 2, {3, 3, 3, 3, 3, 3, 3}},
    {-6, 1, 2, {-3, -3, -3, -3, -3, -3, -3}},
    {0, 5, 7, {0, 0, 0, 0, 0, 0, 0}},
    /* ties, both parities, both signs, sign from either operand */
    {5, 1, 2, {2, 3, 2, 2, 3, 2, 3}},      /* 2.5 */
    {7, 1, 2, {4, 4, 3, 3, 4, 3, 4}},      /* 3.5 */
    {-5, 1, 2, {-2, -3, -2, -2, -3, -3, -2}}, /* -2.5 */
    {-7, 1, 2, {-4, -4, -3, -3, -4, -4, -3}}, /* -3.5 */
    {5, -1, 2, {-2, -3, -2, -2, -3, -3, -2}}, /* -2.5 */
    {5, 1, -2, {-2, -3, -2, -2, -3, -3, -2}}, /* -2.5 */
    {-5, -1, 2, {2, 3, 2, 2, 3, 2, 3}},    /* 2.5 */
    {-5, 1, -2, {2, 3, 2, 2, 3, 2, 3}},    /* 2.5 */
    {1, 1, 2, {0, 1, 0, 0, 1, 0, 1}},      /* 0.5 */
    {-1, 1, 2, {0, -1, 0, 0, -1, -1, 0}},  /* -0.5 */
    {3, 1, 2, {2, 2, 1, 1, 2, 1, 2}},      /* 1.5 */
    {-3, 1, 2, {-2, -2, -1, -1, -2, -2, -1}}, /* -1.5 */
    /* not ties */
    {24, 1, 10, {2, 2, 2, 2, 3, 2, 3}},    /* 2.4 */
    {26, 1, 10, {3, 3, 3, 2, 3, 2, 3}},    /* 2.6 */
    {-24, 1, 10, {-2, -2, -2, -2, -3, -3, -2}}, /* -2.4 */
    {-26, 1, 10, {-3, -3, -3, -2, -3, -3, -2}}, /* -2.6 */
    {1, 1, 3, {0, 0, 0, 0, 1, 0, 1}},      /* 0.333 */
    {-2, 1, 3, {-1, -1, -1, 0, -1, -1, 0}}, /* -0.667 */
    /* price x quantity: 19.99 x 3 at 7.25% tax -> 434.7825 cents */
    {1999 * 3, 725, 10000, {435, 435, 435, 434, 435, 434, 435}},
    /* huge intermediate, exact result */
    {INT64_MAX, INT64_MAX, INT64_MAX,
     {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX,
      INT64_MAX}},
    {INT64_MIN, INT64_MIN, INT64_MIN,
     {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN,
      INT64_MIN}},
    /* INT64_MIN * -1 / 2 = 2^62 exactly */
    {INT64_MIN, -1, 2,
     {INT64_C(4611686018427387904), INT64_C(4611686018427387904),
      INT64_C(4611686018427387904), INT64_C(4611686018427387904),
      INT64_C(4611686018427387904), INT64_C(4611686018427387904),
      INT64_C(4611686018427387904)}},
    /* INT64_MAX / 2 = 4611686018427387903.5 */
    {INT64_MAX, 1, 2,
     {INT64_C(4611686018427387904), INT64_C(4611686018427387904),
      INT64_C(4611686018427387903), INT64_C(4611686018427387903),
      INT64_C(4611686018427387904), INT64_C(4611686018427387903),
      INT64_C(4611686018427387904)}},
    /* a result that lands exactly on INT64_MIN after rounding down */
    {INT64_MIN, 2, 2,
     {INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN,
      INT64_MIN}},
};

START_TEST(test_muldiv_rounding_table)
{
    for (size_t i = 0; i < sizeof round_cases / sizeof round_cases[0]; i++) {
        const round_case *c = &round_cases[i];
        for (int mode = 0; mode < NMODES; mode++) {
            int64_t out = 0;
            int rc = bo_money_muldiv(c->amount, c->num, c->den,
                                     (bo_rounding)mode, &out);
            ck_assert_msg(rc == 0, "case %zu mode %d: rc %d %s", i, mode, rc,
                          bo_error_message());
            ck_assert_msg(out == c->expect[mode],
                          "case %zu (%lld*%lld/%lld) mode %d: got %lld, "
                          "expected %lld", i, (long long)c->amount,
                          (long long)c->num, (long long)c->den, mode,
                          (long long)out, (long long)c->expect[mode]);
        }
    }
}
END_TEST

START_TEST(test_muldiv_errors)
{
    int64_t out = 99;
    for (int mode = 0; mode < NMODES; mode++) {
        bo_assert_err(bo_money_muldiv(INT64_MAX, 2, 1, (bo_rounding)mode, &out),
                      BO_EOVERFLOW);
        bo_assert_err(bo_money_muldiv(INT64_MIN, -1, 1, (bo_rounding)mode, &out),
                      BO_EOVERFLOW);
        bo_assert_err(bo_money_muldiv(INT64_MIN, 1, -1, (bo_rounding)mode, &out),
                      BO_EOVERFLOW);
        bo_assert_err(bo_money_muldiv(INT64_MAX, INT64_MAX, 1,
                                      (bo_rounding)mode, &out), BO_EOVERFLOW);
        bo_assert_err(bo_money_muldiv(1, 1, 0, (bo_rounding)mode, &out),
                      BO_EINVAL);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "denominator"));
    }
    ck_assert_int_eq(out, 99);
    /* INT64_MAX * 3 / 2 overflows; rounding cannot bring it back. */
    bo_assert_err(bo_money_muldiv(INT64_MAX, 3, 2, BO_ROUND_FLOOR, &out),
                  BO_EOVERFLOW);
    /* Rounding decides at the edges. (2^64 - 1) / 2 = INT64_MAX + 0.5 and
     * 2^64 - 1 = 4294967295 * 4294967297; 2^64 + 1 = 274177 *
     * 67280421310721, so -(2^64 + 1) / 2 = INT64_MIN - 0.5. Expected
     * results in mode order; 0 marks an overflow. */
    static const struct {
        int64_t a, b, c;
        int64_t expect[NMODES];
    } edge[] = {
        {INT64_C(4294967295), INT64_C(4294967297), 2,
         {0, 0, INT64_MAX, INT64_MAX, 0, INT64_MAX, 0}},
        {INT64_C(-4294967295), INT64_C(4294967297), 2,
         {INT64_MIN, INT64_MIN, -INT64_MAX, -INT64_MAX, INT64_MIN, INT64_MIN,
          -INT64_MAX}},
        {INT64_C(274177), INT64_C(67280421310721), -2,
         {INT64_MIN, 0, INT64_MIN, INT64_MIN, 0, 0, INT64_MIN}},
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (int mode = 0; mode < NMODES; mode++) {
            int rc = bo_money_muldiv(edge[i].a, edge[i].b, edge[i].c,
                                     (bo_rounding)mode, &out);
            if (edge[i].expect[mode] == 0) {
                bo_assert_err(rc, BO_EOVERFLOW);
            } else {
                bo_assert_ok(rc);
                ck_assert_msg(out == edge[i].expect[mode], "edge %zu mode %d: "
                              "%lld", i, mode, (long long)out);
            }
        }
    bo_assert_err(bo_money_muldiv(INT64_MIN, 3, 2, BO_ROUND_CEILING, &out),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_muldiv(1, 1, 1, (bo_rounding)7, &out), BO_EINVAL);
    bo_assert_err(bo_money_muldiv(1, 1, 1, (bo_rounding)-1, &out), BO_EINVAL);
    bo_assert_err(bo_money_muldiv(1, 1, 1, BO_ROUND_HALF_EVEN, NULL), BO_EINVAL);
    /* the error message is cleared by the next success */
    bo_assert_ok(bo_money_muldiv(1, 1, 1, BO_ROUND_HALF_EVEN, &out));
    ck_assert_str_eq(bo_error_message(), "");
}
END_TEST

/* -- reference for the randomized test: floor by long division on
 *    magnitudes, then each mode derived from the floor and the remainder. */

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random int64 with a random bit length, so small and huge values both
 * occur often. */
static int64_t rng_int64(void)
{
    unsigned bits = (unsigned)(rng_next() % 64);
    uint64_t v = rng_next();
    v = bits == 63 ? v : v & ((UINT64_C(1) << bits) - 1);
    int64_t s = (int64_t)v; /* two's complement reinterpretation */
    if ((rng_next() & 1) && s != INT64_MIN)
        s = -s;
    return s;
}

/* Shift-and-subtract division of a 128-bit magnitude by a 64-bit one. */
static void long_div(u128 n, u128 d, u128 *q, u128 *r)
{
    u128 quo = 0, rem = 0;
    for (int bit = 127; bit >= 0; bit--) {
        rem = (rem << 1) | ((n >> bit) & 1);
        if (rem >= d) {
            rem -= d;
            quo |= (u128)1 << bit;
        }
    }
    *q = quo;
    *r = rem;
}

/* Reference result in 128 bits (may be outside int64). */
static i128 ref_muldiv(int64_t a, int64_t b, int64_t c, int mode)
{
    i128 n = (i128)a * b, d = c;
    if (d < 0) {
        n = -n;
        d = -d;
    }
    u128 q, r;
    long_div(n < 0 ? (u128)-n : (u128)n, (u128)d, &q, &r);
    /* floor and its remainder in [0, d) */
    i128 fl;
    u128 fr;
    if (n >= 0) {
        fl = (i128)q;
        fr = r;
    } else if (r == 0) {
        fl = -(i128)q;
        fr = 0;
    } else {
        fl = -(i128)q - 1;
        fr = (u128)d - r;
    }
    if (fr == 0)
        return fl;
    int positive = n > 0;
    u128 twice = 2 * fr;
    int below = twice < (u128)d, above = twice > (u128)d;
    switch (mode) {
    case BO_ROUND_FLOOR: return fl;
    case BO_ROUND_CEILING: return fl + 1;
    case BO_ROUND_DOWN: return positive ? fl : fl + 1;
    case BO_ROUND_UP: return positive ? fl + 1 : fl;
    default: break;
    }
    if (below)
        return fl;
    if (above)
        return fl + 1;
    switch (mode) {
    case BO_ROUND_HALF_UP: return positive ? fl + 1 : fl;
    case BO_ROUND_HALF_DOWN: return positive ? fl : fl + 1;
    default: return (fl % 2 == 0) ? fl : fl + 1; /* half even */
    }
}

START_TEST(test_muldiv_random_vs_reference)
{
    /* Check reports every ck_assert to its parent process: count failures
     * in the loop and assert once, keeping the first one for the message. */
    char first[256] = "";
    int failures = 0, overflows = 0, ties = 0;
    rng_state = 20240611;
    for (int i = 0; i < 100000; i++) {
        int64_t a = rng_int64(), b = rng_int64(), c = rng_int64();
        if (i % 4 == 0)
            c = (int64_t)(rng_next() % 8) - 4; /* small: many ties */
        if (c == 0)
            c = 2;
        for (int mode = 0; mode < NMODES; mode++) {
            i128 ref = ref_muldiv(a, b, c, mode);
            int64_t out = 0;
            int rc = bo_money_muldiv(a, b, c, (bo_rounding)mode, &out);
            int ok;
            if (ref < INT64_MIN || ref > INT64_MAX) {
                ok = rc == BO_EOVERFLOW && bo_error_message()[0] != '\0';
                overflows++;
            } else {
                ok = rc == 0 && out == (int64_t)ref;
            }
            if (!ok && failures++ == 0)
                snprintf(first, sizeof first, "%lld*%lld/%lld mode %d: rc %d "
                         "out %lld, reference %s%lld", (long long)a,
                         (long long)b, (long long)c, mode, rc, (long long)out,
                         ref < INT64_MIN || ref > INT64_MAX ? "overflow, " : "",
                         (long long)(int64_t)ref);
        }
        i128 n = (i128)a * b;
        if (c == 2 || c == -2)
            ties += (n % 2 != 0);
    }
    ck_assert_msg(failures == 0, "%d failures, first: %s", failures, first);
    /* The run must have exercised both edges of the contract. */
    ck_assert_int_gt(overflows, 1000);
    ck_assert_int_gt(ties, 1000);
}
END_TEST

/* ---- rescale --------------------------------------------------------------- */

START_TEST(test_rescale)
{
    int64_t out = 0;
    bo_assert_ok(bo_money_rescale(12345, 2, 4, BO_ROUND_HALF_EVEN, &out));
    ck_assert_int_eq(out, 1234500);
    bo_assert_ok(bo_money_rescale(-12345, 2, 2, BO_ROUND_HALF_EVEN, &out));
    ck_assert_int_eq(out, -12345);
    bo_assert_ok(bo_money_rescale(9, 0, 18, BO_ROUND_HALF_EVEN, &out));
    ck_assert_int_eq(out, INT64_C(9000000000000000000));
    bo_assert_ok(bo_money_rescale(-9, 0, 18, BO_ROUND_HALF_EVEN, &out));
    ck_assert_int_eq(out, INT64_C(-9000000000000000000));

    /* up: overflow */
    out = 42;
    bo_assert_err(bo_money_rescale(10, 0, 18, BO_ROUND_HALF_EVEN, &out),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_rescale(-10, 0, 18, BO_ROUND_HALF_EVEN, &out),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_rescale(INT64_MAX, 0, 1, BO_ROUND_HALF_EVEN, &out),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_rescale(INT64_MIN, 2, 3, BO_ROUND_HALF_EVEN, &out),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_rescale(INT64_MAX / 10 + 1, 0, 1,
                                   BO_ROUND_HALF_EVEN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(out, 42);
    bo_assert_ok(bo_money_rescale(INT64_MAX / 10, 0, 1, BO_ROUND_HALF_EVEN,
                                  &out));
    ck_assert_int_eq(out, INT64_MAX / 10 * 10);

    /* down: every mode on ties and non-ties, both signs */
    static const struct {
        int64_t amount;
        int64_t expect[NMODES];
    } down[] = {
        {12350, {124, 124, 123, 123, 124, 123, 124}},   /* 123.50 */
        {12250, {122, 123, 122, 122, 123, 122, 123}},   /* 122.50 */
        {-12350, {-124, -124, -123, -123, -124, -124, -123}},
        {-12250, {-122, -123, -122, -122, -123, -123, -122}},
        {12349, {123, 123, 123, 123, 124, 123, 124}},
        {-12351, {-124, -124, -124, -123, -124, -124, -123}},
        {12300, {123, 123, 123, 123, 123, 123, 123}},
    };
    for (size_t i = 0; i < sizeof down / sizeof down[0]; i++)
        for (int mode = 0; mode < NMODES; mode++) {
            bo_assert_ok(bo_money_rescale(down[i].amount, 2, 0,
                                          (bo_rounding)mode, &out));
            ck_assert_msg(out == down[i].expect[mode], "%lld mode %d: %lld",
                          (long long)down[i].amount, mode, (long long)out);
        }
    /* extremes going down 18 digits */
    bo_assert_ok(bo_money_rescale(INT64_MIN, 18, 0, BO_ROUND_FLOOR, &out));
    ck_assert_int_eq(out, -10);
    bo_assert_ok(bo_money_rescale(INT64_MIN, 18, 0, BO_ROUND_HALF_EVEN, &out));
    ck_assert_int_eq(out, -9);
    bo_assert_ok(bo_money_rescale(INT64_MAX, 18, 0, BO_ROUND_CEILING, &out));
    ck_assert_int_eq(out, 10);
    bo_assert_ok(bo_money_rescale(INT64_MAX, 18, 0, BO_ROUND_DOWN, &out));
    ck_assert_int_eq(out, 9);

    /* bad exponents and modes */
    bo_assert_err(bo_money_rescale(1, 19, 0, BO_ROUND_DOWN, &out), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "from_exp"));
    bo_assert_err(bo_money_rescale(1, 0, 19, BO_ROUND_DOWN, &out), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "to_exp"));
    bo_assert_err(bo_money_rescale(1, -1, 0, BO_ROUND_DOWN, &out), BO_EINVAL);
    bo_assert_err(bo_money_rescale(1, 0, -1, BO_ROUND_DOWN, &out), BO_EINVAL);
    bo_assert_err(bo_money_rescale(1, 0, 1, (bo_rounding)99, &out), BO_EINVAL);
    bo_assert_err(bo_money_rescale(1, 0, 1, BO_ROUND_DOWN, NULL), BO_EINVAL);
}
END_TEST

/* ---- split ----------------------------------------------------------------- */

static void check_split(int64_t total, const int64_t *w, size_t n,
                        const int64_t *expect)
{
    int64_t parts[16];
    ck_assert_uint_le(n, 16);
    bo_assert_ok(bo_money_split(total, w, n, parts));
    i128 sum = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(parts[i] == expect[i], "total %lld part %zu: %lld, "
                      "expected %lld", (long long)total, i,
                      (long long)parts[i], (long long)expect[i]);
        sum += parts[i];
    }
    ck_assert(sum == total);
}

START_TEST(test_split_examples)
{
    const int64_t eq3[] = {1, 1, 1};
    check_split(100, eq3, 3, (const int64_t[]){34, 33, 33});
    check_split(-100, eq3, 3, (const int64_t[]){-34, -33, -33});
    check_split(101, eq3, 3, (const int64_t[]){34, 34, 33});
    check_split(2, eq3, 3, (const int64_t[]){1, 1, 0});
    check_split(0, eq3, 3, (const int64_t[]){0, 0, 0});

    const int64_t eq2[] = {1, 1};
    check_split(1, eq2, 2, (const int64_t[]){1, 0});
    check_split(-1, eq2, 2, (const int64_t[]){-1, 0});

    /* largest remainder wins over position: 10 by 1:2 -> 3.33, 6.67 */
    const int64_t w12[] = {1, 2};
    check_split(10, w12, 2, (const int64_t[]){3, 7});
    /* zero weights get nothing */
    const int64_t w0[] = {0, 3, 0, 1};
    check_split(7, w0, 4, (const int64_t[]){0, 5, 0, 2}); /* 5.25, 1.75 */
    /* a single part takes everything, INT64_MIN included */
    const int64_t one[] = {5};
    check_split(INT64_MIN, one, 1, (const int64_t[]){INT64_MIN});
    check_split(INT64_MAX, one, 1, (const int64_t[]){INT64_MAX});
    /* tax split 1000 by 19%, 7% rates -> 730.77, 269.23 */
    const int64_t tax[] = {19, 7};
    check_split(1000, tax, 2, (const int64_t[]){731, 269});
}
END_TEST

START_TEST(test_split_extremes)
{
    /* weights near INT64_MAX: their sum needs more than 64 bits */
    const int64_t big[] = {INT64_MAX, INT64_MAX, INT64_MAX};
    check_split(INT64_MAX, big, 3,
                (const int64_t[]){INT64_C(3074457345618258603),
                                  INT64_C(3074457345618258602),
                                  INT64_C(3074457345618258602)});
    check_split(INT64_MIN, big, 3,
                (const int64_t[]){INT64_C(-3074457345618258603),
                                  INT64_C(-3074457345618258603),
                                  INT64_C(-3074457345618258602)});
    const int64_t mixed[] = {INT64_MAX, 1};
    check_split(INT64_MAX, mixed, 2, (const int64_t[]){INT64_MAX - 1, 1});
    check_split(INT64_MIN, mixed, 2, (const int64_t[]){INT64_MIN + 1, -1});
    const int64_t lop[] = {1, INT64_MAX - 1};
    check_split(3, lop, 2, (const int64_t[]){0, 3});
}
END_TEST

START_TEST(test_split_errors)
{
    int64_t parts[3] = {7, 7, 7};
    const int64_t zeros[] = {0, 0, 0};
    bo_assert_err(bo_money_split(100, zeros, 3, parts), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "weights"));
    const int64_t neg[] = {1, -1, 1};
    bo_assert_err(bo_money_split(100, neg, 3, parts), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "weights[1]"));
    const int64_t minw[] = {INT64_MIN, 1};
    bo_assert_err(bo_money_split(100, minw, 2, parts), BO_EINVAL);
    bo_assert_err(bo_money_split(100, zeros, 0, parts), BO_EINVAL);
    bo_assert_err(bo_money_split(100, NULL, 3, parts), BO_EINVAL);
    bo_assert_err(bo_money_split(100, zeros, 3, NULL), BO_EINVAL);
    /* nothing written on failure */
    ck_assert_int_eq(parts[0], 7);
    ck_assert_int_eq(parts[1], 7);
    ck_assert_int_eq(parts[2], 7);
}
END_TEST

/* Random splits, many parts (beyond the on-stack buffer): the sum is exact
 * and every part is the floor or the ceiling of its exact share. */
START_TEST(test_split_random_invariants)
{
    rng_state = 777;
    enum { N = 500 };
    static int64_t w[N], parts[N];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + (size_t)(rng_next() % N);
        int64_t total = rng_int64();
        int nonzero = 0;
        for (size_t i = 0; i < n; i++) {
            w[i] = (rng_next() % 4 == 0) ? 0 : rng_int64() & INT64_MAX;
            if (round % 3 == 0)
                w[i] = (int64_t)(rng_next() % 3); /* many ties */
            nonzero |= w[i] != 0;
        }
        if (!nonzero)
            w[0] = 1;
        bo_assert_ok(bo_money_split(total, w, n, parts));
        u128 wsum = 0;
        for (size_t i = 0; i < n; i++)
            wsum += (u128)w[i];
        u128 mag = (u128)(total < 0 ? -(i128)total : (i128)total);
        i128 sum = 0;
        size_t extra = 0;
        for (size_t i = 0; i < n; i++) {
            sum += parts[i];
            u128 fl = mag * (u128)w[i] / wsum;
            u128 pm = (u128)(parts[i] < 0 ? -(i128)parts[i] : (i128)parts[i]);
            ck_assert_msg(pm == fl || pm == fl + 1, "round %d part %zu", round,
                          i);
            ck_assert(total == 0 || parts[i] == 0 ||
                      (parts[i] < 0) == (total < 0));
            extra += pm == fl + 1;
        }
        ck_assert(sum == total);
        ck_assert_uint_lt(extra, n);
    }
}
END_TEST

/* ---- parse / format ------------------------------------------------------- */

typedef struct fmt_case {
    const char *currency;
    int64_t amount;
    const char *text;
} fmt_case;

START_TEST(test_parse_format_round_trip)
{
    static const fmt_case cases[] = {
        {"JPY", 0, "0"},
        {"JPY", 1234, "1234"},
        {"JPY", -1234, "-1234"},
        {"JPY", INT64_MAX, "9223372036854775807"},
        {"JPY", INT64_MIN, "-9223372036854775808"},
        {"USD", 0, "0.00"},
        {"USD", 5, "0.05"},
        {"USD", -5, "-0.05"},
        {"USD", 50, "0.50"},
        {"USD", 123450, "1234.50"},
        {"USD", -123450, "-1234.50"},
        {"USD", INT64_MAX, "92233720368547758.07"},
        {"USD", INT64_MIN, "-92233720368547758.08"},
        {"KWD", 1, "0.001"},
        {"KWD", -1234567, "-1234.567"},
        {"KWD", INT64_MIN, "-9223372036854775.808"},
        {"KWD", INT64_MAX, "9223372036854775.807"},
        {"CLF", 12345, "1.2345"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        bo_assert_ok(bo_money_format(cases[i].amount, cases[i].currency, buf,
                                     sizeof buf));
        ck_assert_str_eq(buf, cases[i].text);
        int64_t back = 0;
        bo_assert_ok(bo_money_parse(cases[i].text, cases[i].currency, &back));
        ck_assert_int_eq(back, cases[i].amount);
        /* exactly enough room works, one byte less does not */
        size_t need = strlen(cases[i].text) + 1;
        bo_assert_ok(bo_money_format(cases[i].amount, cases[i].currency, buf,
                                     need));
        ck_assert_str_eq(buf, cases[i].text);
        bo_assert_err(bo_money_format(cases[i].amount, cases[i].currency, buf,
                                      need - 1), BO_ETOOLONG);
        ck_assert_str_eq(buf, "");
    }
    /* many random values round trip in the three exponents */
    rng_state = 99;
    const char *cur[] = {"JPY", "USD", "KWD"};
    for (int i = 0; i < 30000; i++) {
        int64_t v = rng_int64();
        char buf[32];
        int64_t back;
        bo_assert_ok(bo_money_format(v, cur[i % 3], buf, sizeof buf));
        bo_assert_ok(bo_money_parse(buf, cur[i % 3], &back));
        ck_assert_int_eq(back, v);
    }
}
END_TEST

START_TEST(test_parse_accepts)
{
    static const fmt_case ok[] = {
        {"USD", 50, "0.5"},
        {"USD", -50, "-0.5"},
        {"USD", 1200, "12"},
        {"USD", 1230, "12.3"},
        {"USD", 700, "007"},
        {"USD", 0, "-0"},
        {"USD", 0, "0.0"},
        {"JPY", 5, "5"},
        {"KWD", 12340, "12.34"},
        {"USD", 1, "0000000000000000000000000000000.01"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t v = -77;
        bo_assert_ok(bo_money_parse(ok[i].text, ok[i].currency, &v));
        ck_assert_msg(v == ok[i].amount, "\"%s\": %lld", ok[i].text,
                      (long long)v);
    }
}
END_TEST

START_TEST(test_parse_rejects)
{
    static const char *const malformed[] = {
        "", "-", "+5", " 5", "5 ", ".5", "5.", "-.5", "--5", "1,000.00",
        "1e3", "0x10", "5..0", "5.0.0", "1 000", "\302\2405", "5\n",
        "\xff", "-+5", "12a",
    };
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        int64_t v = 31;
        bo_assert_err(bo_money_parse(malformed[i], "USD", &v), BO_EINVAL);
        ck_assert_int_eq(v, 31);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    }
    int64_t v = 0;
    /* too many decimals, with the promised message */
    bo_assert_err(bo_money_parse("12.345", "USD", &v), BO_EINVAL);
    ck_assert_str_eq(bo_error_message(),
                     "amount: \"12.345\" has 3 decimals, USD allows 2");
    bo_assert_err(bo_money_parse("12.340", "USD", &v), BO_EINVAL);
    bo_assert_err(bo_money_parse("1.0", "JPY", &v), BO_EINVAL);
    bo_assert_err(bo_money_parse("0.0001", "KWD", &v), BO_EINVAL);

    /* overflow, just past each edge, in several exponents */
    bo_assert_err(bo_money_parse("9223372036854775808", "JPY", &v),
                  BO_EOVERFLOW);
    bo_assert_ok(bo_money_parse("-9223372036854775808", "JPY", &v));
    ck_assert_int_eq(v, INT64_MIN);
    bo_assert_err(bo_money_parse("-9223372036854775809", "JPY", &v),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_parse("92233720368547758.08", "USD", &v),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_parse("-92233720368547758.09", "USD", &v),
                  BO_EOVERFLOW);
    bo_assert_err(bo_money_parse("92233720368547759", "USD", &v),
                  BO_EOVERFLOW); /* overflows while padding */
    bo_assert_err(bo_money_parse("99999999999999999999999999999", "JPY", &v),
                  BO_EOVERFLOW);

    /* bad currency, NULLs */
    bo_assert_err(bo_money_parse("1", "usd", &v), BO_ECURRENCY);
    bo_assert_err(bo_money_parse("1", "ZZZ", &v), BO_ECURRENCY);
    bo_assert_err(bo_money_parse("1", NULL, &v), BO_ECURRENCY);
    bo_assert_err(bo_money_parse(NULL, "USD", &v), BO_EINVAL);
    bo_assert_err(bo_money_parse("1", "USD", NULL), BO_EINVAL);

    /* hostile text is quoted, escaped and cut in the message */
    char big[5000];
    memset(big, '9', sizeof big - 2);
    big[sizeof big - 2] = '\x01';
    big[sizeof big - 1] = '\0';
    bo_assert_err(bo_money_parse(big, "USD", &v), BO_EINVAL);
    ck_assert_uint_lt(strlen(bo_error_message()), 200);
    bo_assert_err(bo_money_parse("1\x01\"", "USD", &v), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "\\x01\\x22"));
}
END_TEST

START_TEST(test_format_errors)
{
    char buf[32] = "junk";
    bo_assert_err(bo_money_format(1, "US", buf, sizeof buf), BO_ECURRENCY);
    ck_assert_str_eq(buf, "");
    bo_assert_err(bo_money_format(1, "USD", NULL, 10), BO_EINVAL);
    bo_assert_err(bo_money_format(1, "USD", buf, 0), BO_ETOOLONG);
    bo_assert_err(bo_money_format(100, "USD", buf, 4), BO_ETOOLONG);
    ck_assert_str_eq(buf, "");
    bo_assert_ok(bo_money_format(100, "USD", buf, 5));
    ck_assert_str_eq(buf, "1.00");
}
END_TEST

/* ---- currencies ------------------------------------------------------------ */

START_TEST(test_currency_table)
{
    /* Every built-in code must be found (this also proves the table is in
     * binary-search order) with its ISO 4217 exponent. */
    static const char *const two =
        "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB "
        "BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC "
        "CUP CVE CYP CZK DKK DOP DZD EEK EGP ERN ETB EUR FJD FKP GBP GEL GHS "
        "GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR "
        "KPW KYD KZT LAK LBP LKR LRD LSL LTL LVL MAD MDL MGA MKD MMK MNT MOP "
        "MRO MRU MTL MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB "
        "PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SKK "
        "SLE SLL SOS SRD SSP STD STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD "
        "TZS UAH USD USN UYU UZS VED VEF VES WST XAD XCD XCG YER ZAR ZMK ZMW "
        "ZWG ZWL";
    static const char *const zero =
        "BIF BYR CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF "
        "XPF";
    static const char *const three = "BHD IQD JOD KWD LYD OMR TND";
    static const char *const four = "CLF UYW";
    const char *lists[] = {zero, NULL, two, three, four};
    int count = 0;
    for (int e = 0; e <= 4; e++) {
        if (!lists[e])
            continue;
        for (const char *p = lists[e]; *p; p += p[3] ? 4 : 3) {
            char code[4] = {p[0], p[1], p[2], 0};
            int exp = -1;
            bo_assert_ok(bo_currency_exponent(code, &exp));
            ck_assert_msg(exp == e, "%s: %d, expected %d", code, exp, e);
            count++;
        }
    }
    ck_assert_int_eq(count, 182);
    /* N.A. codes are not built in */
    int exp;
    bo_assert_err(bo_currency_exponent("XAU", &exp), BO_ECURRENCY);
    bo_assert_err(bo_currency_exponent("XXX", &exp), BO_ECURRENCY);
}
END_TEST

START_TEST(test_currency_invalid_codes)
{
    static const char *const bad[] = {
        "usd", "US", "", "Usd", "US D", "USD ", " USD", "ABCDEFGHI", "U$D",
        "\xc3\x9cSD", "US-D",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int exp = 77;
        bo_assert_err(bo_currency_exponent(bad[i], &exp), BO_ECURRENCY);
        ck_assert_int_eq(exp, 77);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "currency"));
        bo_assert_err(bo_currency_register(bad[i], 2), BO_EINVAL);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "code"));
    }
    int exp;
    bo_assert_err(bo_currency_exponent(NULL, &exp), BO_ECURRENCY);
    bo_assert_err(bo_currency_exponent("USD", NULL), BO_EINVAL);
    bo_assert_err(bo_currency_register(NULL, 2), BO_EINVAL);
    /* well-formed but unknown */
    bo_assert_err(bo_currency_exponent("QQQ", &exp), BO_ECURRENCY);
    bo_assert_err(bo_currency_exponent("ABCDEFGH", &exp), BO_ECURRENCY);
}
END_TEST

START_TEST(test_currency_register)
{
    int exp = -1;
    bo_assert_err(bo_currency_exponent("LOYALTY", &exp), BO_ECURRENCY);
    bo_assert_ok(bo_currency_register("LOYALTY", 0));
    bo_assert_ok(bo_currency_exponent("LOYALTY", &exp));
    ck_assert_int_eq(exp, 0);
    bo_assert_ok(bo_currency_register("XAU", 3));
    bo_assert_ok(bo_currency_register("BTC", 8));
    bo_assert_ok(bo_currency_register("A1B2C3D4", 18));

    int64_t v;
    char buf[32];
    bo_assert_ok(bo_money_parse("0.00000001", "BTC", &v));
    ck_assert_int_eq(v, 1);
    bo_assert_ok(bo_money_format(-150000000, "BTC", buf, sizeof buf));
    ck_assert_str_eq(buf, "-1.50000000");
    bo_assert_ok(bo_money_format(INT64_MIN, "A1B2C3D4", buf, sizeof buf));
    ck_assert_str_eq(buf, "-9.223372036854775808");
    bo_assert_ok(bo_money_format(1, "A1B2C3D4", buf, sizeof buf));
    ck_assert_str_eq(buf, "0.000000000000000001");
    bo_assert_ok(bo_money_parse("-9.223372036854775808", "A1B2C3D4", &v));
    ck_assert_int_eq(v, INT64_MIN);
    bo_assert_ok(bo_money_parse("12.5", "XAU", &v));
    ck_assert_int_eq(v, 12500);

    /* a registered code may change; a built-in one may not */
    bo_assert_ok(bo_currency_register("LOYALTY", 2));
    bo_assert_ok(bo_currency_exponent("LOYALTY", &exp));
    ck_assert_int_eq(exp, 2);
    bo_assert_ok(bo_currency_register("USD", 2)); /* same: no-op */
    bo_assert_err(bo_currency_register("USD", 3), BO_EEXISTS);
    bo_assert_err(bo_currency_register("JPY", 2), BO_EEXISTS);
    bo_assert_ok(bo_currency_exponent("USD", &exp));
    ck_assert_int_eq(exp, 2);

    /* exponent range */
    bo_assert_err(bo_currency_register("NEWC", -1), BO_EINVAL);
    bo_assert_err(bo_currency_register("NEWC", 19), BO_EINVAL);
    bo_assert_err(bo_currency_exponent("NEWC", &exp), BO_ECURRENCY);
}
END_TEST

/* Threads registering and looking up at once: every lookup sees either
 * "unknown" or the registered exponent, never garbage. */
typedef struct reg_arg {
    int id;
    int failures;
} reg_arg;

static void *reg_thread(void *p)
{
    reg_arg *a = p;
    for (int i = 0; i < 100; i++) {
        char code[9];
        snprintf(code, sizeof code, "T%02dX%03d", a->id, i);
        if (bo_currency_register(code, (a->id + i) % 19) != 0)
            a->failures++;
        int exp = -1;
        if (bo_currency_exponent(code, &exp) != 0 || exp != (a->id + i) % 19)
            a->failures++;
        if (bo_currency_exponent("EUR", &exp) != 0 || exp != 2)
            a->failures++;
        /* a neighbour's code: either not yet there, or right */
        snprintf(code, sizeof code, "T%02dX%03d", (a->id + 1) % 8, i);
        int rc = bo_currency_exponent(code, &exp);
        if (rc == 0 && exp != ((a->id + 1) % 8 + i) % 19)
            a->failures++;
        else if (rc != 0 && rc != BO_ECURRENCY)
            a->failures++;
    }
    return NULL;
}

START_TEST(test_currency_register_threads)
{
    pthread_t t[8];
    reg_arg args[8];
    for (int i = 0; i < 8; i++) {
        args[i].id = i;
        args[i].failures = 0;
        ck_assert_int_eq(pthread_create(&t[i], NULL, reg_thread, &args[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
        ck_assert_int_eq(args[i].failures, 0);
    }
    for (int id = 0; id < 8; id++)
        for (int i = 0; i < 100; i++) {
            char code[9];
            int exp = -1;
            snprintf(code, sizeof code, "T%02dX%03d", id, i);
            bo_assert_ok(bo_currency_exponent(code, &exp));
            ck_assert_int_eq(exp, (id + i) % 19);
        }
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("arith");
    tcase_add_test(tc, test_add_boundaries);
    tcase_add_test(tc, test_sub_boundaries);
    tcase_add_test(tc, test_neg_boundaries);
    tcase_add_test(tc, test_muldiv_rounding_table);
    tcase_add_test(tc, test_muldiv_errors);
    tcase_add_test(tc, test_muldiv_random_vs_reference);
    tcase_add_test(tc, test_rescale);
    suite_add_tcase(s, tc);

    tc = tcase_create("split");
    tcase_add_test(tc, test_split_examples);
    tcase_add_test(tc, test_split_extremes);
    tcase_add_test(tc, test_split_errors);
    tcase_add_test(tc, test_split_random_invariants);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_test(tc, test_parse_format_round_trip);
    tcase_add_test(tc, test_parse_accepts);
    tcase_add_test(tc, test_parse_rejects);
    tcase_add_test(tc, test_format_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("currency");
    tcase_add_test(tc, test_currency_table);
    tcase_add_test(tc, test_currency_invalid_codes);
    tcase_add_test(tc, test_currency_register);
    tcase_add_test(tc, test_currency_register_threads);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bo_test_run(money_suite());
}
