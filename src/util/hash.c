/*
 * SHA-256 from OpenSSL's libcrypto (we never write our own). The
 * low-level SHA256_* functions keep their state on the stack, so hashing
 * allocates nothing outside the library's allocator, and they use the
 * CPU's SHA extensions where present (several times faster than portable
 * C, and hashing is on every posting's path). They are marked deprecated
 * in OpenSSL 3 in favour of EVP, which allocates.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "util/util.h"

#include <openssl/sha.h>

#include <string.h>

void bo__sha256(const void *data, size_t len, unsigned char out[32])
{
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, data, len);
    SHA256_Final(out, &ctx);
}

void bo__hex(const unsigned char *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

_Static_assert(sizeof(SHA256_CTX) <= sizeof(((bo__sha *)0)->state),
               "bo__sha holds a SHA256_CTX");

void bo__sha_init(bo__sha *h)
{
    SHA256_Init((SHA256_CTX *)(void *)h->state);
    h->len = 0;
}

/* Canonical forms come as many small fields: gather them, so SHA-256 is
 * updated once per few hundred bytes rather than three times a field. */
void bo__sha_put(bo__sha *h, const void *data, size_t len)
{
    if (h->len + len > sizeof h->buf) {
        if (h->len)
            SHA256_Update((SHA256_CTX *)(void *)h->state, h->buf, h->len);
        h->len = 0;
        if (len > sizeof h->buf) {
            SHA256_Update((SHA256_CTX *)(void *)h->state, data, len);
            return;
        }
    }
    memcpy(h->buf + h->len, data, len);
    h->len += len;
}

/* The field forms of bo__buf_field and bo__buf_field_int, hashed without a
 * buffer: "5:hello;", "-;" for NULL, "i-42;". */
/* A field that fits in the gathering buffer is formed there (a put of its
 * own per piece cost about as much as the hashing of a short field). */
void bo__sha_field(bo__sha *h, const char *s, size_t len)
{
    if (!s) {
        bo__sha_put(h, "-;", 2);
        return;
    }
    char num[24], *d = bo__digits(len, num);
    num[23] = ':';
    size_t k = (size_t)(num + 24 - d);
    if (len <= sizeof h->buf && h->len + k + len + 1 <= sizeof h->buf) {
        unsigned char *o = h->buf + h->len;
        memcpy(o, d, k);
        memcpy(o + k, s, len);
        o[k + len] = ';';
        h->len += k + len + 1;
        return;
    }
    bo__sha_put(h, d, k);
    bo__sha_put(h, s, len);
    bo__sha_put(h, ";", 1);
}

void bo__sha_field_int(bo__sha *h, int64_t v)
{
    char num[26], *d = bo__digits(v < 0 ? 0 - (uint64_t)v : (uint64_t)v, num + 2);
    num[25] = ';';
    if (v < 0)
        *--d = '-';
    *--d = 'i';
    bo__sha_put(h, d, (size_t)(num + 26 - d));
}

void bo__sha_final(bo__sha *h, unsigned char out[32])
{
    if (h->len)
        SHA256_Update((SHA256_CTX *)(void *)h->state, h->buf, h->len);
    h->len = 0;
    SHA256_Final(out, (SHA256_CTX *)(void *)h->state);
}

void bo__sha_hex(bo__sha *h, char out[65])
{
    unsigned char d[32];
    bo__sha_final(h, d);
    bo__hex(d, sizeof d, out);
}

int bo__buf_hash(const bo__buf *b, char out[65])
{
    if (b->failed)
        return BO_ENOMEM;
    unsigned char h[32];
    bo__sha256(b->ptr ? b->ptr : "", b->len, h);
    bo__hex(h, sizeof h, out);
    return 0;
}

int bo__buf_digest(bo__buf *b, char out[65])
{
    int rc = bo__buf_hash(b, out);
    bo__buf_free(b);
    return rc;
}

uint64_t bo__hash_bytes(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ull ^ seed;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}
