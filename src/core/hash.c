/*
 * SHA-256 from OpenSSL's libcrypto (we never write our own). The
 * low-level SHA256_* functions keep their state on the stack, so hashing
 * allocates nothing outside the library's allocator, and they use the
 * CPU's SHA extensions where present (several times faster than portable
 * C, and hashing is on every posting's path). They are marked deprecated
 * in OpenSSL 3 in favour of EVP, which allocates.
 */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "core.h"

#include <openssl/sha.h>

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
