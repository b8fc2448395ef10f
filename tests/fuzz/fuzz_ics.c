/*
 * The iCalendar reader of holiday calendars (people/ical.c, internal) on
 * what bo_people_holidays_import_ics would hand it (NUL-terminated, at most
 * BO_PEOPLE_ICS_MAX bytes). Properties:
 *  - it returns 0 or a refusal among BO_EINVAL, BO_ELIMIT, BO_EEXISTS,
 *    BO_ETOOLONG, BO_EUTF8 with a message naming the file ("path");
 *  - accepted days are consistent, checked independently: at most
 *    31 x BO_PEOPLE_ICS_EVENTS_MAX of them, no date twice, each a valid
 *    date, a name of 1..BO_PEOPLE_TEXT_MAX bytes of valid UTF-8, and flags
 *    within the holiday flags.
 */
#include "fuzz_util.h"
#include "people/people.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > BO_PEOPLE_ICS_MAX)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (strlen(text) != size) { /* the caller refuses a NUL byte */
        free(text);
        return 0;
    }
    bo__ppl_ics_day *days = NULL;
    size_t n = 0;
    int rc = bo__ppl_ics_days(text, &days, &n);
    if (rc) {
        fz_check_refusal(rc, "ics");
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ELIMIT || rc == BO_EEXISTS ||
                  rc == BO_ETOOLONG || rc == BO_EUTF8, "rc %d", rc);
        FZ_ASSERT(strstr(bo_error_message(), "path") != NULL, "%s", bo_error_message());
    } else {
        FZ_ASSERT(n <= 31u * BO_PEOPLE_ICS_EVENTS_MAX, "%zu days", n);
        for (size_t i = 0; i < n; i++) {
            char iso[11];
            FZ_ASSERT(bo_date_format(days[i].date, iso, sizeof iso) == 0, "day %zu", i);
            size_t len = strlen(days[i].name);
            FZ_ASSERT(len >= 1 && len <= BO_PEOPLE_TEXT_MAX &&
                      fz_utf8_valid((const unsigned char *)days[i].name, len), "name %zu", i);
            FZ_ASSERT((days[i].flags & ~7) == 0, "flags %d", days[i].flags);
            for (size_t k = 0; k < i; k++)
                FZ_ASSERT(days[k].date != days[i].date, "day %zu twice", i);
        }
    }
    bo__free(days);
    free(text);
    return 0;
}
