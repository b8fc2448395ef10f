/* Validation of text fields: UTF-8, length, control characters. */
#include "util/util.h"

#include <string.h>

bool bo__utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) { i++; continue; }
        else if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
        else return false;
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
            (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

int bo__text_check(const char *field, const char *s, size_t max,
                   bool allow_null, bool allow_empty)
{
    if (!s) {
        if (allow_null)
            return 0;
        return bo__error_set(BO_EINVAL, "%s: missing", field);
    }
    size_t len = strnlen(s, max + 1);
    if (len > max)
        return bo__error_set(BO_ETOOLONG, "%s: longer than %zu bytes", field, max);
    if (len == 0 && !allow_empty)
        return bo__error_set(BO_EINVAL, "%s: empty", field);
    if (!bo__utf8_valid(s, len))
        return bo__error_set(BO_EUTF8, "%s: not valid UTF-8", field);
    return 0;
}

int bo__text_set(char **slot, const char *field, const char *s, size_t max)
{
    int rc = bo__text_check(field, s, max, true, false);
    return rc ? rc : bo__strdup_into(slot, s);
}

int bo__name_check(const char *field, const char *s, size_t max)
{
    int rc = bo__text_check(field, s, max, false, false);
    if (rc)
        return rc;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == ',')
            return bo__error_set(BO_EINVAL, "%s: spaces, commas and control "
                                 "characters are not allowed", field);
    return 0;
}

void bo__quote(const char *text, size_t max, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    if (size < 8) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[o++] = '"';
    for (size_t i = 0; text && text[i] != '\0'; i++) {
        if (i == max || o + 8 > size) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}
