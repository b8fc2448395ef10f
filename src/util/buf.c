/* A growable byte buffer; appends after a failure are ignored so callers
 * check once at the end. */
#include "util/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Room for len more bytes and the NUL; the end of the text, or NULL. */
static char *room(bo__buf *b, size_t len)
{
    if (b->failed)
        return NULL;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = bo__realloc(b->ptr, cap);
        if (!p) {
            b->failed = 1;
            return NULL;
        }
        b->ptr = p;
        b->cap = cap;
    }
    return b->ptr + b->len;
}

int bo__buf_put(bo__buf *b, const void *data, size_t len)
{
    char *p = room(b, len);
    if (!p)
        return BO_ENOMEM;
    if (len)
        memcpy(p, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return 0;
}

int bo__buf_puts(bo__buf *b, const char *s)
{
    return bo__buf_put(b, s, strlen(s));
}

int bo__buf_printf(bo__buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return BO_ERROR;
    if ((size_t)n < sizeof small)
        return bo__buf_put(b, small, (size_t)n);
    char *big = bo__malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return BO_ENOMEM;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = bo__buf_put(b, big, (size_t)n);
    bo__free(big);
    return rc;
}

/* Decimal digits of v into the end of out[24]; returns the first digit. */
char *bo__digits(uint64_t v, char out[24])
{
    char *p = out + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

/* A field's parts written at once (one check of the room, not four). */
int bo__buf_field(bo__buf *b, const char *s)
{
    if (!s)
        return bo__buf_put(b, "-;", 2);
    size_t len = strlen(s);
    char num[24], *d = bo__digits(len, num);
    size_t nd = (size_t)(num + 23 - d);
    char *p = room(b, nd + len + 2);
    if (!p)
        return BO_ENOMEM;
    memcpy(p, d, nd);
    p += nd;
    *p++ = ':';
    memcpy(p, s, len);
    p += len;
    *p++ = ';';
    *p = '\0';
    b->len += nd + len + 2;
    return 0;
}

int bo__buf_field_int(bo__buf *b, int64_t v)
{
    char num[24], *d = bo__digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, num);
    size_t nd = (size_t)(num + 23 - d), lead = v < 0 ? 2 : 1;
    char *p = room(b, lead + nd + 1);
    if (!p)
        return BO_ENOMEM;
    *p++ = 'i';
    if (v < 0)
        *p++ = '-';
    memcpy(p, d, nd);
    p += nd;
    *p++ = ';';
    *p = '\0';
    b->len += lead + nd + 1;
    return 0;
}

void bo__id_name(char out[48], const char *prefix, int64_t id)
{
    char num[24], *d = bo__digits(id < 0 ? 0 - (uint64_t)id : (uint64_t)id, num);
    size_t n = strlen(prefix), nd = (size_t)(num + 23 - d);
    if (n > 24)
        n = 24; /* every caller's prefix is a short constant */
    memcpy(out, prefix, n);
    if (id < 0)
        out[n++] = '-';
    memcpy(out + n, d, nd + 1);
}

void bo__buf_free(bo__buf *b)
{
    bo__free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
