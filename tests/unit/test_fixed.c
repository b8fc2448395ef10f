/* The checked fixed-point family (src/util/fixed.h) at the int64 limits:
 * every operation exact or BO_EOVERFLOW, rounding by the mode given, the
 * thread's error state never touched, and exact sums in SQL parts joined
 * back whatever the sign. No storage: runs once. */
#include "testutil.h"
#include "util/fixed.h"

#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 i128;

START_TEST(test_fixed_add_sub_neg_abs)
{
    int64_t out = 42;
    ck_assert_int_eq(bo__fx_add(INT64_MAX, 1, &out), BO_EOVERFLOW);
    ck_assert_int_eq(out, 42); /* untouched on overflow */
    ck_assert_int_eq(bo__fx_add(INT64_MIN, -1, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_add(INT64_MIN, INT64_MAX, &out), 0);
    ck_assert_int_eq(out, -1);
    ck_assert_int_eq(bo__fx_sub(0, INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_sub(-1, INT64_MIN, &out), 0);
    ck_assert_int_eq(out, INT64_MAX);
    ck_assert_int_eq(bo__fx_neg(INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_neg(INT64_MIN + 1, &out), 0);
    ck_assert_int_eq(out, INT64_MAX);
    ck_assert_int_eq(bo__fx_abs(INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_abs(-7, &out), 0);
    ck_assert_int_eq(out, 7);
    ck_assert_int_eq(bo__fx_abs(INT64_MAX, &out), 0);
    ck_assert_int_eq(out, INT64_MAX);
}
END_TEST

START_TEST(test_fixed_mul_div_scale)
{
    int64_t out;
    /* 6-decimal products: 1.5 x 2.5 = 3.75; -0.0000005 rounds by mode */
    ck_assert_int_eq(bo__fx_mul(1500000, 2500000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, 3750000);
    ck_assert_int_eq(bo__fx_mul(-1, 500000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, -1); /* -0.5 units: half away from zero */
    ck_assert_int_eq(bo__fx_mul(-1, 500000, 6, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, 0);
    ck_assert_int_eq(bo__fx_mul(-1, 500000, 6, BO_ROUND_FLOOR, &out), 0);
    ck_assert_int_eq(out, -1);
    ck_assert_int_eq(bo__fx_mul(-1, 500000, 6, BO_ROUND_CEILING, &out), 0);
    ck_assert_int_eq(out, 0);
    /* products past int64 in the intermediate, exact in the result */
    ck_assert_int_eq(bo__fx_mul(INT64_MAX, 1000000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, INT64_MAX);
    ck_assert_int_eq(bo__fx_mul(INT64_MIN, 1000000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, INT64_MIN);
    ck_assert_int_eq(bo__fx_mul(INT64_MIN, -1000000, 6, BO_ROUND_HALF_UP, &out),
                     BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_mul(INT64_MAX, 1000001, 6, BO_ROUND_DOWN, &out), BO_EOVERFLOW);
    /* the report's figure: 184,467,440,737.10 an hour at 6 decimals */
    ck_assert_int_eq(bo__fx_scale(18446744073710LL, 6, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_scale(9223372036854LL, 6, &out), 0);
    ck_assert_int_eq(out, 9223372036854000000LL);
    ck_assert_int_eq(bo__fx_scale(-9223372036854LL, 6, &out), 0);
    ck_assert_int_eq(bo__fx_scale(-9223372036855LL, 6, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_scale(1, 18, &out), 0);
    ck_assert_int_eq(out, 1000000000000000000LL);
    ck_assert_int_eq(bo__fx_scale(10, 18, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_scale(1, 19, &out), BO_EINVAL);
    /* a / b at 6 decimals: 1 / 3 and a negative divisor */
    ck_assert_int_eq(bo__fx_div(1000000, 3000000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, 333333);
    ck_assert_int_eq(bo__fx_div(2000000, -3000000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, -666667);
    ck_assert_int_eq(bo__fx_div(INT64_MIN, -1000000, 6, BO_ROUND_HALF_UP, &out),
                     BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_div(INT64_MIN, 1000000, 6, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, INT64_MIN);
    ck_assert_int_eq(bo__fx_div(1, 0, 6, BO_ROUND_HALF_UP, &out), BO_EINVAL);
    ck_assert_int_eq(bo__fx_muldiv(INT64_MIN, -1, 2, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, (int64_t)1 << 62);
    ck_assert_int_eq(bo__fx_muldiv(1, 1, 1, (bo_rounding)9, &out), BO_EINVAL);
}
END_TEST

START_TEST(test_fixed_round_rescale)
{
    int64_t out;
    /* round(x, places) at 6 decimals, ties by mode */
    ck_assert_int_eq(bo__fx_round(2500000, 6, 0, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, 3000000);
    ck_assert_int_eq(bo__fx_round(-2500000, 6, 0, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, -3000000);
    ck_assert_int_eq(bo__fx_round(2500000, 6, 0, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, 2000000);
    ck_assert_int_eq(bo__fx_round(-1500000, 6, 0, BO_ROUND_FLOOR, &out), 0);
    ck_assert_int_eq(out, -2000000);
    ck_assert_int_eq(bo__fx_round(-1500000, 6, 0, BO_ROUND_CEILING, &out), 0);
    ck_assert_int_eq(out, -1000000);
    ck_assert_int_eq(bo__fx_round(12350000000, 6, -2, BO_ROUND_HALF_UP, &out), 0);
    ck_assert_int_eq(out, 12400000000);
    /* rounding up past the limit overflows; down to it does not */
    ck_assert_int_eq(bo__fx_round(INT64_MAX, 6, 0, BO_ROUND_HALF_UP, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_round(INT64_MAX, 6, 0, BO_ROUND_DOWN, &out), 0);
    ck_assert_int_eq(out, INT64_MAX / 1000000 * 1000000);
    ck_assert_int_eq(bo__fx_round(INT64_MIN, 6, 0, BO_ROUND_FLOOR, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_round(INT64_MIN, 6, -12, BO_ROUND_DOWN, &out), 0);
    ck_assert_int_eq(out, -9000000000000000000LL);
    ck_assert_int_eq(bo__fx_round(1, 6, 7, BO_ROUND_DOWN, &out), BO_EINVAL);
    ck_assert_int_eq(bo__fx_round(1, 6, -13, BO_ROUND_DOWN, &out), BO_EINVAL);
    /* rescale: cents to mills and back */
    ck_assert_int_eq(bo__fx_rescale(12345, 2, 3, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, 123450);
    ck_assert_int_eq(bo__fx_rescale(12345, 3, 2, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, 1234);
    ck_assert_int_eq(bo__fx_rescale(INT64_MIN, 0, 1, BO_ROUND_HALF_EVEN, &out),
                     BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_rescale(INT64_MIN, 18, 0, BO_ROUND_HALF_EVEN, &out), 0);
    ck_assert_int_eq(out, -9);
}
END_TEST

/* Sums: exact whatever the order, and the SQL parts' identity
 * x = (x / 2^32) * 2^32 + x % 2^32 with C's (and both engines')
 * truncating division, over the limits and random values. */
START_TEST(test_fixed_sums_and_parts)
{
    bo__fx_sum s = BO__FX_SUM_INIT;
    int64_t out;
    bo__fx_sum_add(&s, INT64_MAX);
    bo__fx_sum_add(&s, INT64_MAX);
    ck_assert_int_eq(bo__fx_sum_get(&s, &out), BO_EOVERFLOW);
    bo__fx_sum_add(&s, INT64_MIN);
    bo__fx_sum_add(&s, INT64_MIN);
    ck_assert_int_eq(bo__fx_sum_get(&s, &out), 0);
    ck_assert_int_eq(out, -2);
    static const int64_t edge[] = { 0, 1, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1,
                                    4294967296LL, -4294967296LL, 4294967295LL,
                                    -4294967297LL };
    uint64_t st = 12345;
    i128 total = 0;
    int64_t hi_sum = 0, lo_sum = 0;
    for (int k = 0; k < 20000; k++) {
        int64_t x;
        if (k < (int)(sizeof edge / sizeof edge[0])) {
            x = edge[k];
        } else {
            st = st * 6364136223846793005ULL + 1442695040888963407ULL;
            x = (int64_t)(st >> (st % 64));
            if ((st & 1) && x != INT64_MIN)
                x = -x;
        }
        int64_t hi = x / 4294967296LL, lo = x % 4294967296LL;
        ck_assert_int_eq(bo__fx_narrow(bo__fx_join(hi, lo), &out), 0);
        ck_assert_int_eq(out, x);
        hi_sum += hi;
        lo_sum += lo;
        total += x;
    }
    ck_assert_msg(bo__fx_join(hi_sum, lo_sum) == total, "joined sum differs");
}
END_TEST

START_TEST(test_fixed_quiet)
{
    /* a known message, then every failing helper: the message stays */
    int64_t out;
    bo_money_parse("x", "USD", &out); /* sets a message */
    char before[1024];
    snprintf(before, sizeof before, "%s", bo_error_message());
    ck_assert(before[0] != '\0');
    ck_assert_int_eq(bo__fx_add(INT64_MAX, 1, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_neg(INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_mul(INT64_MAX, INT64_MAX, 6, BO_ROUND_HALF_UP, &out),
                     BO_EOVERFLOW);
    ck_assert_int_eq(bo__fx_div(1, 0, 6, BO_ROUND_HALF_UP, &out), BO_EINVAL);
    ck_assert_int_eq(bo__fx_add(1, 1, &out), 0);
    ck_assert_str_eq(bo_error_message(), before);
    /* the public wrappers keep their messages */
    ck_assert_int_eq(bo_money_neg(INT64_MIN, &out), BO_EOVERFLOW);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "overflows int64"));
    ck_assert_int_eq(bo_money_neg(5, &out), 0);
    ck_assert_str_eq(bo_error_message(), "");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fixed");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fixed_add_sub_neg_abs);
    tcase_add_test(tc, test_fixed_mul_div_scale);
    tcase_add_test(tc, test_fixed_round_rescale);
    tcase_add_test(tc, test_fixed_sums_and_parts);
    tcase_add_test(tc, test_fixed_quiet);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
