/*
 * Time zones of stores (bo__tz): a fixed offset (UTC, WIB, WITA, WIT,
 * +HH:MM) or an IANA name ("Asia/Jakarta", "America/New_York") read from
 * the system's compiled tz database (TZif files, RFC 8536) under TZDIR or
 * /usr/share/zoneinfo. Only the transitions the file lists are used (the
 * 64-bit table of version 2 and later): past the last one, its offset
 * holds (Debian's files list them up to 2037).
 *
 * A name is checked before any file is opened: 1 to 64 bytes of letters,
 * digits, '/', '_', '+', '-', no empty part and no part starting with '.',
 * so it never leaves the zone folder. A file is read whole up to 256 KiB
 * and its counts are bounded before anything is allocated.
 */
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_FILE_MAX (256 * 1024)
#define TZ_TIMES_MAX 10000
#define TZ_TYPES_MAX 256
#define TZ_OFFSET_MAX (26 * 3600) /* RFC 8536: -25:59:59 .. +25:59:59 */

void bo__tz_free(bo__tz *z)
{
    if (!z)
        return;
    bo__free(z->at);
    bo__free(z->off);
    z->at = NULL;
    z->off = NULL;
    z->n = 0;
    z->minutes = 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t v = (uint64_t)be32(p) << 32 | be32(p + 4);
    return (int64_t)v;
}

static int bad(const char *what)
{
    return bo__error_set(BO_EINVAL, "zone: not a TZif file (%s)", what);
}

int bo__tz_tzif(const unsigned char *d, size_t len, bo__tz *out)
{
    memset(out, 0, sizeof *out);
    if (len < 44 || memcmp(d, "TZif", 4) != 0)
        return bad("no header");
    if (len > TZ_FILE_MAX)
        return bad("larger than 256 KiB");
    int version = d[4];
    size_t pos = 0, tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (len - pos < 44 || memcmp(d + pos, "TZif", 4) != 0)
            return bad("no header");
        uint32_t isut = be32(d + pos + 20), isstd = be32(d + pos + 24),
                 leap = be32(d + pos + 28), timecnt = be32(d + pos + 32),
                 typecnt = be32(d + pos + 36), charcnt = be32(d + pos + 40);
        if (timecnt > TZ_TIMES_MAX || typecnt == 0 || typecnt > TZ_TYPES_MAX ||
            charcnt > 4096 || leap > 1000 || (isut && isut != typecnt) ||
            (isstd && isstd != typecnt))
            return bad("counts out of range");
        size_t body = (size_t)timecnt * (tsize + 1) + (size_t)typecnt * 6 + charcnt +
                      (size_t)leap * (tsize + 4) + isstd + isut;
        pos += 44;
        if (len - pos < body)
            return bad("truncated");
        if (pass == 0 && version >= '2') {
            /* Skip the 32-bit block: the 64-bit one follows. */
            pos += body;
            tsize = 8;
            continue;
        }
        const unsigned char *times = d + pos, *idx = times + (size_t)timecnt * tsize,
                            *types = idx + timecnt;
        int32_t offs[TZ_TYPES_MAX];
        for (uint32_t i = 0; i < typecnt; i++) {
            int32_t u = (int32_t)be32(types + (size_t)i * 6);
            if (u <= -TZ_OFFSET_MAX || u >= TZ_OFFSET_MAX)
                return bad("offset out of range");
            offs[i] = u;
        }
        out->minutes = offs[0] / 60;
        if (timecnt) {
            out->at = bo__calloc(timecnt, sizeof *out->at);
            out->off = bo__calloc(timecnt, sizeof *out->off);
            if (!out->at || !out->off) {
                bo__tz_free(out);
                return bo__error_set(BO_ENOMEM, "zone: out of memory");
            }
        }
        for (uint32_t i = 0; i < timecnt; i++) {
            int64_t t = tsize == 8 ? be64(times + (size_t)i * 8)
                                   : (int64_t)(int32_t)be32(times + (size_t)i * 4);
            if (idx[i] >= typecnt || (i && t <= out->at[i - 1])) {
                bo__tz_free(out);
                return bad(idx[i] >= typecnt ? "type index out of range"
                                             : "transitions not in order");
            }
            out->at[i] = t;
            out->off[i] = offs[idx[i]] / 60;
        }
        out->n = timecnt;
        return 0;
    }
    return bad("no data");
}

/* UTC, WIB, WITA, WIT or +HH:MM / -HH:MM (at most 14 hours). */
static int fixed(const char *text, size_t len, int *out)
{
    static const struct { const char *name; int minutes; } named[] = {
        { "UTC", 0 }, { "WIB", 420 }, { "WITA", 480 }, { "WIT", 540 },
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i].name) == len && memcmp(named[i].name, text, len) == 0) {
            *out = named[i].minutes;
            return 1;
        }
    if (len == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' &&
        text[1] >= '0' && text[1] <= '9' && text[2] >= '0' && text[2] <= '9' &&
        text[4] >= '0' && text[4] <= '5' && text[5] >= '0' && text[5] <= '9') {
        int h = (text[1] - '0') * 10 + (text[2] - '0');
        int m = (text[4] - '0') * 10 + (text[5] - '0');
        if (h <= 14) {
            *out = (text[0] == '-' ? -1 : 1) * (h * 60 + m);
            return 1;
        }
    }
    return 0;
}

/* An IANA name that stays inside the zone folder. */
static int name_ok(const char *s, size_t len)
{
    if (len == 0 || len > BO__TZ_NAME_MAX || s[0] == '/' || s[len - 1] == '/')
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '/' || c == '_' || c == '+' || c == '-' || c == '.';
        if (!ok)
            return 0;
        int start = i == 0 || s[i - 1] == '/';
        if (start && (c == '.' || c == '/'))
            return 0;
    }
    return 1;
}

int bo__tz_parse(const char *field, const char *text, size_t len, bo__tz *out)
{
    memset(out, 0, sizeof *out);
    int minutes;
    if (fixed(text, len, &minutes)) {
        out->minutes = minutes;
        return 0;
    }
    char q[300];
    bo__quote(text, len < 64 ? len : 64, q, sizeof q);
    if (!name_ok(text, len))
        return bo__error_set(BO_EINVAL, "%s: %s is not UTC, WIB, WITA, WIT, +HH:MM or a time"
                             " zone name such as Asia/Jakarta", field, q);
    const char *dir = getenv("TZDIR");
    if (!dir || !dir[0])
        dir = "/usr/share/zoneinfo";
    char path[1200];
    snprintf(path, sizeof path, "%s/%.*s", dir, (int)len, text);
    FILE *f = fopen(path, "rb");
    if (!f)
        return bo__error_set(BO_EINVAL, "%s: no time zone %s in the tz database", field, q);
    unsigned char *buf = bo__malloc(TZ_FILE_MAX + 1);
    if (!buf) {
        fclose(f);
        return bo__error_set(BO_ENOMEM, "%s: out of memory", field);
    }
    size_t n = fread(buf, 1, TZ_FILE_MAX + 1, f);
    int err = ferror(f);
    fclose(f);
    int rc;
    if (err)
        rc = bo__error_set(BO_EIO, "%s: cannot read the time zone %s", field, q);
    else if ((rc = bo__tz_tzif(buf, n, out)))
        bo__error_prefix("%s: %s: ", field, q);
    bo__free(buf);
    return rc;
}

int bo__tz_offset(const bo__tz *z, int64_t utc)
{
    if (!z->n || utc < z->at[0])
        return z->minutes;
    size_t lo = 0, hi = z->n; /* the last transition at or before utc */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return z->off[lo];
}
