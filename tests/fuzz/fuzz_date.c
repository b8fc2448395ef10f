/*
 * Date parser, formatter and month arithmetic.
 * Properties:
 *  - bo_date_parse accepts exactly the existing dates 0001-01-01..9999-12-31
 *    written "YYYY-MM-DD" (reference calendar below), and formatting the
 *    result gives the input back byte for byte; a refusal is BO_EINVAL
 *    with a message and leaves the output alone;
 *  - bo_date_to_ymd / bo_date_from_ymd agree with the text;
 *  - any int32 day number formats iff it lies in BO_DATE_MIN..BO_DATE_MAX,
 *    and the text parses back to it;
 *  - adding months (any int) stays in range, lands in the right month, and
 *    keeps the day or clamps it to the month's end.
 */
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* 1 and y/m/d when t is an existing date written YYYY-MM-DD. */
static int reference(const char *t, int *y, int *m, int *d)
{
    if (strlen(t) != 10 || t[4] != '-' || t[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return 0;
    *y = atoi(t);
    *m = (t[5] - '0') * 10 + (t[6] - '0');
    *d = (t[8] - '0') * 10 + (t[9] - '0');
    return *y >= 1 && *m >= 1 && *m <= 12 && *d >= 1 &&
           *d <= month_days(*y, *m);
}

static void check_text(const char *text)
{
    int y, m, d;
    bo_date v = 777;
    int ok = reference(text, &y, &m, &d);
    int rc = bo_date_parse(text, &v);
    if (!ok) {
        FZ_ASSERT(rc == BO_EINVAL && v == 777, "\"%s\": rc %d", text, rc);
        fz_check_refusal(rc, "bo_date_parse");
        return;
    }
    FZ_ASSERT(rc == 0, "\"%s\": refused but valid", text);
    FZ_ASSERT(v >= BO_DATE_MIN && v <= BO_DATE_MAX, "\"%s\": %d", text, (int)v);
    char buf[11];
    FZ_ASSERT(bo_date_format(v, buf, sizeof buf) == 0 && strcmp(buf, text) == 0,
              "\"%s\" -> %d -> \"%s\"", text, (int)v, buf);
    int yy, mm, dd;
    FZ_ASSERT(bo_date_to_ymd(v, &yy, &mm, &dd) == 0 && yy == y && mm == m &&
              dd == d, "\"%s\": to_ymd %d-%d-%d", text, yy, mm, dd);
    bo_date w = 0;
    FZ_ASSERT(bo_date_from_ymd(y, m, d, &w) == 0 && w == v, "from_ymd");
}

static void check_number(int32_t n)
{
    char buf[11];
    int rc = bo_date_format(n, buf, sizeof buf);
    int in = n >= BO_DATE_MIN && n <= BO_DATE_MAX;
    if (!in) {
        FZ_ASSERT(rc == BO_EINVAL && buf[0] == '\0', "format %d: rc %d",
                  (int)n, rc);
        fz_check_refusal(rc, "bo_date_format");
        return;
    }
    FZ_ASSERT(rc == 0, "format %d refused", (int)n);
    bo_date back = 0;
    FZ_ASSERT(bo_date_parse(buf, &back) == 0 && back == n, "%d -> \"%s\" -> %d",
              (int)n, buf, (int)back);
    char small[11];
    rc = bo_date_format(n, small, 10);
    FZ_ASSERT(rc == BO_ETOOLONG && small[0] == '\0', "10-byte buffer: %d", rc);
}

static void check_months(int32_t n, int32_t months)
{
    int y, m, d;
    int valid = bo_date_to_ymd(n, &y, &m, &d) == 0;
    bo_date out = 555;
    int rc = bo_date_add_months(n, months, &out);
    if (!valid) {
        FZ_ASSERT(rc == BO_EINVAL && out == 555, "add_months from %d", (int)n);
        fz_check_refusal(rc, "bo_date_add_months");
        return;
    }
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = (int)(total - ny * 12) + 1;
    if (ny < 1 || ny > 9999) {
        FZ_ASSERT(rc == BO_EINVAL && out == 555, "add_months %d %+d: rc %d",
                  (int)n, (int)months, rc);
        fz_check_refusal(rc, "bo_date_add_months");
        return;
    }
    FZ_ASSERT(rc == 0, "add_months %d %+d refused", (int)n, (int)months);
    int yy, mm, dd;
    FZ_ASSERT(bo_date_to_ymd(out, &yy, &mm, &dd) == 0, "result out of range");
    int dim = month_days((int)ny, nm);
    FZ_ASSERT(yy == ny && mm == nm && dd == (d < dim ? d : dim),
              "%d-%d-%d %+d months = %d-%d-%d", y, m, d, (int)months, yy, mm, dd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 256)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    check_text(text);
    free(text);
    if (size >= 8) {
        int32_t a, b;
        memcpy(&a, data, 4);
        memcpy(&b, data + 4, 4);
        check_number(a);
        /* Numbers near the range matter most: fold a into it too. */
        check_number((int32_t)(BO_DATE_MIN + (int32_t)((uint32_t)a %
                     (uint32_t)(BO_DATE_MAX - BO_DATE_MIN + 1))));
        check_months(a, b);
        check_months((int32_t)(BO_DATE_MIN + (int32_t)((uint32_t)a %
                     (uint32_t)(BO_DATE_MAX - BO_DATE_MIN + 1))), b % 240000);
    }
    return 0;
}
