/* Calendar dates: day numbers, conversions, parsing, formatting, months. */
#include "testutil.h"
#include "util/util.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Independent calendar rules for the checks below. */
static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : dim[m - 1];
}

static bo_date ymd(int y, int m, int d)
{
    bo_date out = 0;
    bo_assert_ok(bo_date_from_ymd(y, m, d, &out));
    return out;
}

START_TEST(test_anchors)
{
    ck_assert_int_eq(ymd(1970, 1, 1), 0);
    ck_assert_int_eq(ymd(1969, 12, 31), -1);
    ck_assert_int_eq(ymd(1970, 1, 2), 1);
    ck_assert_int_eq(ymd(2000, 3, 1), 11017);
    ck_assert_int_eq(ymd(2000, 1, 1), 10957);
    ck_assert_int_eq(ymd(2024, 2, 29), 19782);
    ck_assert_int_eq(ymd(1, 1, 1), BO_DATE_MIN);
    ck_assert_int_eq(ymd(9999, 12, 31), BO_DATE_MAX);
    /* 1900-01-01 is 25567 days before the epoch (70 years, 17 leap days) */
    ck_assert_int_eq(ymd(1900, 1, 1), -25567);
}
END_TEST

/* The loops below check hundreds of thousands of days: Check reports every
 * ck_assert to its parent process, so they count failures and keep the
 * first one, then assert once. */
static int failures;
static char first_failure[256];

static void fail_note(const char *what, int y, int m, int d)
{
    if (failures++ == 0)
        snprintf(first_failure, sizeof first_failure, "%04d-%02d-%02d: %s "
                 "(%s)", y, m, d, what, bo_error_message());
}

/* Every day from 1900 to 2100: consecutive numbers, and ymd, format and
 * parse all agree with each other. */
START_TEST(test_round_trip_1900_2100)
{
    bo_date expect = ymd(1900, 1, 1);
    int days = 0;
    failures = 0;
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= month_days(y, m); d++, expect++, days++) {
                bo_date got = 0, back = 0;
                if (bo_date_from_ymd(y, m, d, &got) != 0 || got != expect) {
                    fail_note("from_ymd", y, m, d);
                    continue;
                }
                int yy = 0, mm = 0, dd = 0;
                if (bo_date_to_ymd(got, &yy, &mm, &dd) != 0 || yy != y ||
                    mm != m || dd != d)
                    fail_note("to_ymd", y, m, d);
                char text[16] = "", want[40], iso[11] = "";
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                if (bo_date_format(got, text, sizeof text) != 0 ||
                    strcmp(text, want) != 0)
                    fail_note("format", y, m, d);
                bo__date_iso(got, iso);
                if (strcmp(iso, want) != 0)
                    fail_note("bo__date_iso", y, m, d);
                if (bo_date_parse(want, &back) != 0 || back != got)
                    fail_note("parse", y, m, d);
            }
    ck_assert_msg(failures == 0, "%d failures, first %s", failures,
                  first_failure);
    ck_assert_int_eq(days, 73414); /* 201 years, 49 leap days */
    ck_assert_int_eq(expect, ymd(2101, 1, 1));
}
END_TEST

/* The whole range, cheaper: each day number follows the previous day, and
 * to_ymd / from_ymd invert each other. */
START_TEST(test_round_trip_full_range)
{
    int py = 0, pm = 12, pd = 31;
    failures = 0;
    for (int64_t z = BO_DATE_MIN; z <= BO_DATE_MAX; z++) {
        int y = 0, m = 0, d = 0;
        bo_date back = 0;
        if (bo_date_to_ymd((bo_date)z, &y, &m, &d) != 0) {
            fail_note("to_ymd", y, m, d);
            break;
        }
        int next_ok;
        if (pd == month_days(py ? py : 1, pm))
            next_ok = d == 1 && m == (pm == 12 ? 1 : pm + 1) &&
                      y == (pm == 12 ? py + 1 : py);
        else
            next_ok = y == py && m == pm && d == pd + 1;
        if (!next_ok)
            fail_note("not the next day", y, m, d);
        if (bo_date_from_ymd(y, m, d, &back) != 0 || back != z)
            fail_note("from_ymd", y, m, d);
        py = y;
        pm = m;
        pd = d;
    }
    ck_assert_msg(failures == 0, "%d failures, first %s", failures,
                  first_failure);
    ck_assert(py == 9999 && pm == 12 && pd == 31);
}
END_TEST

START_TEST(test_leap_years)
{
    bo_date d;
    static const int leaps[] = {4, 400, 1600, 2000, 2024, 2400, 9996};
    static const int common[] = {1, 100, 1700, 1800, 1900, 2023, 2100, 9999};
    for (size_t i = 0; i < sizeof leaps / sizeof leaps[0]; i++) {
        bo_assert_ok(bo_date_from_ymd(leaps[i], 2, 29, &d));
        ck_assert_int_eq(ymd(leaps[i], 3, 1) - ymd(leaps[i], 2, 28), 2);
        ck_assert_int_eq(ymd(leaps[i] + 1, 1, 1) - ymd(leaps[i], 1, 1), 366);
    }
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        bo_assert_err(bo_date_from_ymd(common[i], 2, 29, &d), BO_EINVAL);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "day"));
        ck_assert_int_eq(ymd(common[i], 3, 1) - ymd(common[i], 2, 28), 1);
    }
    bo_assert_ok(bo_date_parse("2000-02-29", &d));
    bo_assert_ok(bo_date_parse("2024-02-29", &d));
    bo_assert_err(bo_date_parse("1900-02-29", &d), BO_EINVAL);
    bo_assert_err(bo_date_parse("2023-02-29", &d), BO_EINVAL);
}
END_TEST

START_TEST(test_from_ymd_errors)
{
    static const int bad[][3] = {
        {0, 1, 1}, {10000, 1, 1}, {-1, 1, 1}, {INT_MIN, 1, 1},
        {INT_MAX, 1, 1}, {2026, 0, 1}, {2026, 13, 1}, {2026, -1, 1},
        {2026, 1, 0}, {2026, 1, 32}, {2026, 4, 31}, {2026, 6, 31},
        {2026, 9, 31}, {2026, 11, 31}, {2026, 2, 30}, {2026, 1, INT_MAX},
        {2026, INT_MIN, 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_date d = 1234;
        bo_assert_err(bo_date_from_ymd(bad[i][0], bad[i][1], bad[i][2], &d),
                      BO_EINVAL);
        ck_assert_int_eq(d, 1234);
    }
    bo_assert_err(bo_date_from_ymd(2026, 1, 1, NULL), BO_EINVAL);
}
END_TEST

START_TEST(test_out_of_range)
{
    int y = 0, m = 0, d = 0;
    char buf[16] = "junk";
    bo_date out = 5;
    static const bo_date bad[] = {BO_DATE_MIN - 1, BO_DATE_MAX + 1,
                                  INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_assert_err(bo_date_to_ymd(bad[i], &y, &m, &d), BO_EINVAL);
        bo_assert_err(bo_date_format(bad[i], buf, sizeof buf), BO_EINVAL);
        ck_assert_str_eq(buf, "");
        bo_assert_err(bo_date_add_months(bad[i], 0, &out), BO_EINVAL);
        char iso[11] = "junk";
        bo__date_iso(bad[i], iso);
        ck_assert_str_eq(iso, "");
    }
    ck_assert_int_eq(y + m + d, 0);
    ck_assert_int_eq(out, 5);
    /* NULL outputs are allowed for to_ymd */
    bo_assert_ok(bo_date_to_ymd(0, NULL, NULL, &d));
    ck_assert_int_eq(d, 1);
    bo_assert_ok(bo_date_to_ymd(0, &y, NULL, NULL));
    ck_assert_int_eq(y, 1970);
}
END_TEST

START_TEST(test_parse_rejects)
{
    static const char *const bad[] = {
        "", "2026-02-30", "2026-2-3", "2026-02-3", "2026-2-03", "26-02-03",
        "2026-02-03x", "2026-02-03 ", " 2026-02-03", "2026/02/03",
        "20260203", "+026-02-03", "-026-02-03", "0000-01-01", "2026-00-10",
        "2026-13-01", "2026-01-00", "2026-01-32", "2026-04-31", "10000-01-01",
        "2026-02-03T00:00", "2026-0a-03", "2026--2-03", "2026-02-+3",
        "2026-02", "2026", "2026-02-\xff", "\357\274\222026-02-03",
        "2026-02-03\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_date d = 4321;
        int rc = bo_date_parse(bad[i], &d);
        ck_assert_msg(rc == BO_EINVAL, "\"%s\": rc %d", bad[i], rc);
        ck_assert_msg(bo_error_message()[0] != '\0', "\"%s\": no message",
                      bad[i]);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "date"));
        ck_assert_int_eq(d, 4321);
    }
    bo_date d;
    bo_assert_err(bo_date_parse("2026-02-30", &d), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "\"2026-02-30\""));
    bo_assert_err(bo_date_parse("2026-02-\x01", &d), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "\\x01"));
    bo_assert_err(bo_date_parse(NULL, &d), BO_EINVAL);
    bo_assert_err(bo_date_parse("2026-01-01", NULL), BO_EINVAL);
    bo_assert_ok(bo_date_parse("0001-01-01", &d));
    ck_assert_int_eq(d, BO_DATE_MIN);
    bo_assert_ok(bo_date_parse("9999-12-31", &d));
    ck_assert_int_eq(d, BO_DATE_MAX);
    ck_assert_str_eq(bo_error_message(), ""); /* cleared by success */
}
END_TEST

START_TEST(test_format_sizes)
{
    char buf[11];
    bo_assert_err(bo_date_format(0, buf, 10), BO_ETOOLONG);
    ck_assert_str_eq(buf, "");
    bo_assert_err(bo_date_format(0, buf, 0), BO_ETOOLONG);
    bo_assert_err(bo_date_format(0, NULL, 11), BO_EINVAL);
    bo_assert_ok(bo_date_format(0, buf, 11));
    ck_assert_str_eq(buf, "1970-01-01");
    bo_assert_ok(bo_date_format(BO_DATE_MIN, buf, 11));
    ck_assert_str_eq(buf, "0001-01-01");
    bo_assert_ok(bo_date_format(BO_DATE_MAX, buf, 11));
    ck_assert_str_eq(buf, "9999-12-31");
}
END_TEST

static void check_add(const char *from, int months, const char *expect)
{
    bo_date d, out;
    char buf[11];
    bo_assert_ok(bo_date_parse(from, &d));
    bo_assert_ok(bo_date_add_months(d, months, &out));
    bo_assert_ok(bo_date_format(out, buf, sizeof buf));
    ck_assert_msg(strcmp(buf, expect) == 0, "%s %+d months: %s, expected %s",
                  from, months, buf, expect);
}

START_TEST(test_add_months)
{
    check_add("2024-01-31", 1, "2024-02-29");
    check_add("2023-01-31", 1, "2023-02-28");
    check_add("1900-01-31", 1, "1900-02-28");
    check_add("2000-01-31", 1, "2000-02-29");
    check_add("2024-03-31", -1, "2024-02-29");
    check_add("2023-03-31", -1, "2023-02-28");
    check_add("2024-05-31", 1, "2024-06-30");
    check_add("2024-01-31", 2, "2024-03-31");
    check_add("2024-02-29", 12, "2025-02-28");
    check_add("2024-02-29", 48, "2028-02-29");
    check_add("2024-02-29", -12, "2023-02-28");
    check_add("2026-01-15", -1, "2025-12-15");
    check_add("2026-01-15", -12, "2025-01-15");
    check_add("2026-01-15", -13, "2024-12-15");
    check_add("2026-01-15", -24, "2024-01-15");
    check_add("2026-12-15", 1, "2027-01-15");
    check_add("2026-11-30", 3, "2027-02-28");
    check_add("2026-06-10", 0, "2026-06-10");
    check_add("0001-01-01", 119987, "9999-12-01");
    check_add("9999-12-31", -119987, "0001-01-31");
    check_add("0001-12-31", -11, "0001-01-31");
    check_add("9999-01-31", 1, "9999-02-28");
}
END_TEST

START_TEST(test_add_months_range)
{
    bo_date out = 99;
    bo_assert_err(bo_date_add_months(BO_DATE_MAX, 1, &out), BO_EINVAL);
    bo_assert_err(bo_date_add_months(BO_DATE_MIN, -1, &out), BO_EINVAL);
    bo_assert_err(bo_date_add_months(0, INT_MAX, &out), BO_EINVAL);
    bo_assert_err(bo_date_add_months(0, INT_MIN, &out), BO_EINVAL);
    bo_assert_err(bo_date_add_months(0, 12 * 8030, &out), BO_EINVAL);
    bo_assert_err(bo_date_add_months(0, -12 * 1970, &out), BO_EINVAL);
    ck_assert_int_eq(out, 99);
    bo_assert_err(bo_date_add_months(0, 1, NULL), BO_EINVAL);
    bo_assert_ok(bo_date_add_months(0, -12 * 1969, &out));
    ck_assert_int_eq(out, ymd(1, 1, 1));
}
END_TEST

START_TEST(test_today)
{
    time_t before = time(NULL);
    bo_date today = bo_date_today();
    time_t after = time(NULL);
    ck_assert(today == (bo_date)(before / 86400) ||
              today == (bo_date)(after / 86400));
    ck_assert_int_ge(today, ymd(2024, 1, 1));
    ck_assert_int_le(today, BO_DATE_MAX);
    /* matches gmtime's calendar */
    struct tm tm;
    ck_assert_ptr_nonnull(gmtime_r(&after, &tm));
    int y, m, d;
    bo_assert_ok(bo_date_to_ymd((bo_date)(after / 86400), &y, &m, &d));
    ck_assert_int_eq(y, tm.tm_year + 1900);
    ck_assert_int_eq(m, tm.tm_mon + 1);
    ck_assert_int_eq(d, tm.tm_mday);
}
END_TEST

static Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, test_anchors);
    tcase_add_test(tc, test_round_trip_1900_2100);
    tcase_add_test(tc, test_round_trip_full_range);
    tcase_add_test(tc, test_leap_years);
    tcase_add_test(tc, test_from_ymd_errors);
    tcase_add_test(tc, test_out_of_range);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_test(tc, test_parse_rejects);
    tcase_add_test(tc, test_format_sizes);
    suite_add_tcase(s, tc);

    tc = tcase_create("months");
    tcase_add_test(tc, test_add_months);
    tcase_add_test(tc, test_add_months_range);
    tcase_add_test(tc, test_today);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return bo_test_run(date_suite());
}
