/* Checks of arguments, quantities at a scale, and times. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int bo__inv_qty_check(const char *field, int64_t qty, int signed_ok)
{
    if (qty == 0 || (!signed_ok && qty < 0))
        return bo__error_set(BO_EINVAL, "%s: %" PRId64 " must be %s", field, qty,
                             signed_ok ? "non-zero" : "positive");
    if (qty == INT64_MIN)
        return bo__error_set(BO_EOVERFLOW, "%s: out of range", field);
    return 0;
}

int bo__inv_opt_text(const char *field, const char *s)
{
    return bo__text_check(field, s, BO_TEXT_MAX, true, true);
}

int64_t bo__inv_pow10(int scale)
{
    int64_t p = 1;
    while (scale-- > 0)
        p *= 10;
    return p;
}

void bo__inv_time_after(int64_t seconds, char out[32])
{
    time_t t = time(NULL) + (time_t)seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, tmp, 19);
    out[19] = '\0';
}
