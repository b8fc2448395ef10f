/*
 * Store time zones (src/util/tzone.c, src/reports/metrics.c): the zones
 * string of the reports ("S1=WIB,S2=Asia/Jakarta,*=+08:00") and the TZif
 * reader on raw bytes. The first byte chooses. Properties:
 *  - the zones string parses or is refused with BO_EINVAL / BO_ETOOLONG /
 *    BO_ENOMEM and a message naming "zones"; a parsed zone has offsets
 *    within +-26 hours at every moment tried, and a fixed one is 0 away
 *    from what the text says for UTC;
 *  - a TZif file is read or refused with BO_EINVAL naming "zone"; a read
 *    one has its transitions in order and offsets within +-26 hours, and
 *    the offset lookup answers one of them (or the first type's) for any
 *    moment.
 */
#include "fuzz_util.h"
#include "reports/reports.h"

#include <stdlib.h>
#include <string.h>

static void offsets_sane(const bo__tz *z)
{
    static const int64_t moments[] = { INT64_MIN, -4000000000LL, -1, 0, 1616900000LL,
                                       1617247800LL, 2200000000LL, INT64_MAX };
    for (size_t i = 0; i < sizeof moments / sizeof moments[0]; i++) {
        int m = bo__tz_offset(z, moments[i]);
        FZ_ASSERT(m > -26 * 60 && m < 26 * 60, "offset %d at %lld", m, (long long)moments[i]);
    }
    for (size_t i = 1; i < z->n; i++)
        FZ_ASSERT(z->at[i - 1] < z->at[i], "transition %zu out of order", i);
    for (size_t i = 0; i < z->n; i++)
        FZ_ASSERT(bo__tz_offset(z, z->at[i]) == z->off[i], "transition %zu", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 300000)
        return 0;
    if (data[0] & 1) {
        bo__tz z;
        int rc = bo__tz_tzif(data + 1, size - 1, &z);
        if (rc) {
            fz_check_refusal(rc, "tzif");
            FZ_ASSERT(rc == BO_EINVAL || rc == BO_ENOMEM, "rc %d", rc);
            FZ_ASSERT(strstr(bo_error_message(), "zone") != NULL, "%s", bo_error_message());
            return 0;
        }
        offsets_sane(&z);
        bo__tz_free(&z);
        return 0;
    }
    if (size > 8192)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    bo__rep_zones zs;
    int rc = bo__rep_zones_parse(text, &zs);
    if (rc) {
        fz_check_refusal(rc, "zones");
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ETOOLONG || rc == BO_ENOMEM || rc == BO_EIO,
                  "rc %d", rc);
        FZ_ASSERT(strstr(bo_error_message(), "zones") != NULL, "%s", bo_error_message());
    } else {
        for (int i = 0; i < zs.n; i++) {
            offsets_sane(&zs.z[i].tz);
            FZ_ASSERT(strlen(zs.z[i].code) <= BO_CODE_MAX, "code %d", i);
        }
        offsets_sane(&zs.dflt);
        bo__rep_zones_free(&zs);
    }
    free(text);
    return 0;
}
