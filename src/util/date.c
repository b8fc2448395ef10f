/*
 * Calendar dates as day numbers since 1970-01-01, proleptic Gregorian,
 * 0001-01-01 to 9999-12-31. The conversions are Howard Hinnant's
 * days_from_civil / civil_from_days: branch-free, exact for every date, and
 * independent of the C library's time zone and time_t range.
 */
#include "util/util.h"

#include <string.h>
#include <time.h>

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Day number of a valid y-m-d (any year; the range is checked elsewhere). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);                         /* [1, 31] */
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);                            /* [1, 12] */
    *year = (int)(y + (m <= 2));
    *month = m;
    *day = d;
}

static int in_range(int64_t date)
{
    return date >= BO_DATE_MIN && date <= BO_DATE_MAX;
}

/* Whether y-m-d exists in the supported range (no error state). */
static int ymd_valid(int64_t year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 &&
           day >= 1 && day <= days_in_month(year, month);
}

int bo_date_from_ymd(int year, int month, int day, bo_date *out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL output pointer");
    if (year < 1 || year > 9999)
        return bo__error_set(BO_EINVAL, "year: %d is outside 1..9999", year);
    if (month < 1 || month > 12)
        return bo__error_set(BO_EINVAL, "month: %d is outside 1..12", month);
    if (day < 1 || day > days_in_month(year, month))
        return bo__error_set(BO_EINVAL, "day: %04d-%02d has no day %d", year,
                             month, day);
    *out = (bo_date)days_from_civil(year, month, day);
    return 0;
}

int bo_date_to_ymd(bo_date date, int *year, int *month, int *day)
{
    bo__error_clear();
    if (!in_range(date))
        return bo__error_set(BO_EINVAL, "date: day number %ld is outside "
                             "0001-01-01..9999-12-31", (long)date);
    int y, m, d;
    civil_from_days(date, &y, &m, &d);
    /* Any output may be NULL: callers often want only the year. */
    if (year)
        *year = y;
    if (month)
        *month = m;
    if (day)
        *day = d;
    return 0;
}

/* Exactly n ASCII digits at s (no sign, no space: strtol would allow both). */
static int digits(const char *s, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

int bo_date_parse(const char *text, bo_date *out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL output pointer");
    if (!text)
        return bo__error_set(BO_EINVAL, "date: missing");
    char q[128];
    int y, m, d;
    /* digits() stops at the first non-digit and the tests short-circuit,
     * so a short string is never read past its NUL. */
    if (!digits(text, 4, &y) || text[4] != '-' || !digits(text + 5, 2, &m) ||
        text[7] != '-' || !digits(text + 8, 2, &d) || text[10] != '\0') {
        bo__quote(text, 24, q, sizeof q);
        return bo__error_set(BO_EINVAL, "date: %s is not YYYY-MM-DD", q);
    }
    if (!ymd_valid(y, m, d)) {
        bo__quote(text, 24, q, sizeof q);
        return bo__error_set(BO_EINVAL, "date: %s does not exist "
                             "(0001-01-01..9999-12-31)", q);
    }
    *out = (bo_date)days_from_civil(y, m, d);
    return 0;
}

int bo_date_format(bo_date date, char *buf, size_t size)
{
    bo__error_clear();
    if (!buf)
        return bo__error_set(BO_EINVAL, "buf: NULL");
    if (size > 0)
        buf[0] = '\0';
    if (!in_range(date))
        return bo__error_set(BO_EINVAL, "date: day number %ld is outside "
                             "0001-01-01..9999-12-31", (long)date);
    if (size < 11)
        return bo__error_set(BO_ETOOLONG, "buf: %zu bytes, a date needs 11",
                             size);
    bo__date_iso(date, buf);
    return 0;
}

int bo_date_add_months(bo_date date, int months, bo_date *out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL output pointer");
    if (!in_range(date))
        return bo__error_set(BO_EINVAL, "date: day number %ld is outside "
                             "0001-01-01..9999-12-31", (long)date);
    int y, m, d;
    civil_from_days(date, &y, &m, &d);
    /* Count months from year 0 in 64 bits, so INT_MIN/INT_MAX cannot wrap. */
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = (int)(total - ny * 12) + 1;
    if (ny < 1 || ny > 9999)
        return bo__error_set(BO_EINVAL, "months: %04d-%02d-%02d %+d months "
                             "is outside 0001-01-01..9999-12-31", y, m, d,
                             months);
    int dim = days_in_month(ny, nm);
    *out = (bo_date)days_from_civil(ny, nm, d < dim ? d : dim);
    return 0;
}

bo_date bo_date_today(void)
{
    time_t now = time(NULL);
    int64_t secs = (int64_t)now;
    /* Floor division: a clock before 1970 still lands on the right day. */
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    if (days < BO_DATE_MIN)
        days = BO_DATE_MIN;
    if (days > BO_DATE_MAX)
        days = BO_DATE_MAX;
    return (bo_date)days;
}

void bo__date_iso(bo_date d, char out[11])
{
    if (!in_range(d)) {
        out[0] = '\0';
        return;
    }
    int y, m, day;
    civil_from_days(d, &y, &m, &day);
    /* Hand-written: snprintf cannot prove to -Wformat-truncation that the
     * fields have 4, 2 and 2 digits. */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + day / 10);
    out[9] = (char)('0' + day % 10);
    out[10] = '\0';
}

/* Occurrence k of a schedule (bo__date_next_occurrence). */
static int occurrence(bo_date anchor, int period, int mult, int64_t k, int64_t *out)
{
    if (period == 1 || period == 2) {
        *out = anchor + k * mult * (period == 2 ? 7 : 1);
        return in_range(*out) ? 0 : BO_EINVAL;
    }
    int y, m, d;
    civil_from_days(anchor, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + k * mult * (period == 5 ? 12 : 1);
    int64_t ny = total / 12;
    int nm = (int)(total - ny * 12) + 1;
    if (ny < 1 || ny > 9999)
        return BO_EINVAL;
    int dim = days_in_month(ny, nm);
    *out = days_from_civil(ny, nm, period == 4 || d > dim ? dim : d);
    return 0;
}

int bo__date_next_occurrence(bo_date anchor, int period, int mult, bo_date after,
                             bo_date *out)
{
    if (period < 1 || period > 5 || mult < 1 || mult > 1000 || !in_range(anchor))
        return bo__error_set(BO_EINVAL, "schedule: period %d every %d from day %ld is not "
                             "a schedule", period, mult, (long)anchor);
    int64_t k = 0, o;
    if (after >= anchor) {
        if (period <= 2)
            k = ((int64_t)after - anchor) / ((int64_t)mult * (period == 2 ? 7 : 1));
        else {
            int ay, am, ad, y, m, d;
            civil_from_days(anchor, &ay, &am, &ad);
            civil_from_days(after, &y, &m, &d);
            k = (((int64_t)y - ay) * 12 + (m - am)) / ((int64_t)mult * (period == 5 ? 12 : 1));
            k = k > 0 ? k - 1 : 0;
        }
    }
    for (;; k++) {
        if (occurrence(anchor, period, mult, k, &o))
            return bo__error_set(BO_EINVAL, "schedule: the occurrence after day %ld is past "
                                 "9999-12-31", (long)after);
        if (o > after)
            break;
    }
    *out = (bo_date)o;
    return 0;
}
