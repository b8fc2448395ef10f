/* Shared helpers of the fuzz targets (see fuzz_util.h). */
#include "fuzz_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: property failed: %s\n  ", file, line, cond);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n  last library error: %d %s\n", bo_error_code_last(),
            bo_error_message());
    abort();
}

void fz_check_refusal(int rc, const char *call)
{
    FZ_ASSERT(rc < 0, "%s: rc %d is not an error code",
              call, rc);
    FZ_ASSERT(strcmp(bo_error_name(rc), "unknown error") != 0,
              "%s: rc %d has no name", call, rc);
    FZ_ASSERT(bo_error_code_last() == rc, "%s: rc %d but last code %d", call,
              rc, bo_error_code_last());
    FZ_ASSERT(bo_error_message()[0] != '\0', "%s: rc %d without a message",
              call, rc);
}

bool fz_utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        unsigned need;
        unsigned long cp, min;
        if (c <= 0x7F) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c - 0xC0;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c - 0xE0;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c - 0xF0;
            min = 0x10000;
        } else {
            return false; /* continuation byte, C0/C1 or F5..FF lead */
        }
        if (len - i <= need)
            return false;
        for (unsigned k = 1; k <= need; k++) {
            unsigned t = s[i + k];
            if (t < 0x80 || t > 0xBF)
                return false;
            cp = cp * 64 + (t - 0x80);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

int fz_split(const uint8_t *data, size_t size, char **fields, int max,
             char **buf)
{
    *buf = malloc(size + 1);
    if (!*buf)
        abort();
    memcpy(*buf, data, size);
    (*buf)[size] = '\0';
    int n = 0;
    char *p = *buf, *end = *buf + size;
    while (n < max) {
        fields[n++] = p;
        if (n == max)
            break; /* the last field keeps any further NULs (cut there) */
        char *z = memchr(p, '\0', (size_t)(end - p));
        if (!z || z == end)
            break;
        p = z + 1;
    }
    for (int k = n; k < max; k++)
        fields[k] = *buf + size; /* "" */
    return n;
}
