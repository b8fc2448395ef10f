/*
 * The host's key on a book handle, and what the domains do with it: the
 * key given with bo_document_set_encryption_key() encrypts confidential and restricted
 * document content (src/documents/versions.c streams it through libsodium's
 * secretstream under the key itself), seals short protected texts such as
 * employees' tax and bank identifiers, and keys the hashes that stand for
 * the words of confidential documents in the search index. Each use but
 * the first (kept as 0.2 wrote it) has a subkey of its own, derived with
 * crypto_kdf, so one use never gives away another.
 *
 * The key lives in the handle's memory only (allocated through the
 * library's allocator, wiped before it is released), never in the book.
 */
#include "core/book.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* A sealed text: this prefix, then base64 (URL-safe, no padding) of
 * nonce || ciphertext || tag. */
#define SEAL_PREFIX "bo1:"
#define SEAL_PREFIX_LEN 4
#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int bo__key_set(bo_book *b, const void *key, size_t len)
{
    if (sodium_init() < 0)
        return bo__error_set(BO_ERROR, "key: libsodium failed to initialise");
    bo__key_forget(b);
    if (!key)
        return 0;
    if (len != BO__KEY_BYTES)
        return bo__error_set(BO_EINVAL, "key: %zu bytes, expected %d", len,
                             BO__KEY_BYTES);
    bo__key *k = bo__calloc(1, sizeof *k);
    if (!k)
        return BO_ENOMEM;
    memcpy(k->key, key, BO__KEY_BYTES);
    /* A keyed hash of a fixed label: equal for equal keys, and reveals
     * nothing about the key. Stored with content to tell a wrong key
     * apart from damaged content. */
    static const char label[] = "libbackoffice document key id v1";
    unsigned char id[16];
    crypto_generichash(id, sizeof id, (const unsigned char *)label, sizeof label - 1,
                       k->key, sizeof k->key);
    bo__hex(id, sizeof id, k->id);
    crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, "bo_seal_", k->key);
    crypto_kdf_derive_from_key(k->terms, sizeof k->terms, 2, "bo_terms", k->key);
    b->key = k;
    return 0;
}

void bo__key_forget(bo_book *b)
{
    if (!b->key)
        return;
    sodium_memzero(b->key, sizeof *b->key);
    bo__free(b->key);
    b->key = NULL;
}

int bo__sealed(const char *stored)
{
    return stored && strncmp(stored, SEAL_PREFIX, SEAL_PREFIX_LEN) == 0;
}

int bo__seal_text(const bo__key *k, const char *ad, const char *plain, char **out)
{
    *out = NULL;
    size_t n = strlen(plain), raw_len = NONCE + n + TAG;
    unsigned char *raw = bo__malloc(raw_len);
    size_t b64_len = sodium_base64_ENCODED_LEN(raw_len, B64);
    char *text = bo__malloc(SEAL_PREFIX_LEN + b64_len);
    if (!raw || !text) {
        bo__free(raw);
        bo__free(text);
        return BO_ENOMEM;
    }
    randombytes_buf(raw, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + NONCE, &clen,
                                               (const unsigned char *)plain, n,
                                               (const unsigned char *)ad, strlen(ad),
                                               NULL, raw, k->seal);
    memcpy(text, SEAL_PREFIX, SEAL_PREFIX_LEN);
    sodium_bin2base64(text + SEAL_PREFIX_LEN, b64_len, raw, NONCE + (size_t)clen, B64);
    bo__free(raw);
    *out = text;
    return 0;
}

int bo__unseal_text(const bo__key *k, const char *field, const char *ad,
                    const char *stored, char **out)
{
    *out = NULL;
    if (!bo__sealed(stored))
        return (*out = bo__strdup(stored)) ? 0 : BO_ENOMEM;
    if (!k)
        return bo__error_set(BO_EKEY, "%s: stored encrypted, and this handle has no "
                             "key (bo_document_set_encryption_key)", field);
    const char *b64 = stored + SEAL_PREFIX_LEN;
    size_t b64_len = strlen(b64), cap = b64_len / 4 * 3 + 3, raw_len = 0;
    unsigned char *raw = bo__malloc(cap ? cap : 1);
    if (!raw)
        return BO_ENOMEM;
    int rc = 0;
    if (sodium_base642bin(raw, cap, b64, b64_len, NULL, &raw_len, NULL, B64) != 0 ||
        raw_len < NONCE + TAG) {
        rc = bo__error_set(BO_ECORRUPT, "%s: the stored value is damaged", field);
    } else {
        char *plain = bo__malloc(raw_len - NONCE - TAG + 1);
        unsigned long long plen = 0;
        if (!plain) {
            rc = BO_ENOMEM;
        } else if (crypto_aead_xchacha20poly1305_ietf_decrypt(
                       (unsigned char *)plain, &plen, NULL, raw + NONCE,
                       raw_len - NONCE, (const unsigned char *)ad, strlen(ad), raw,
                       k->seal) != 0) {
            bo__free(plain);
            rc = bo__error_set(BO_EKEY, "%s: cannot be decrypted: another key, or "
                               "the stored value was altered", field);
        } else {
            plain[plen] = '\0';
            *out = plain;
        }
    }
    sodium_memzero(raw, cap ? cap : 1);
    bo__free(raw);
    return rc;
}

void bo__term_hash(const bo__key *k, const char *term, size_t len,
                   char out[BO__TERM_HASH_SIZE])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, k->terms, sizeof k->terms);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)term, len);
    crypto_auth_hmacsha256_final(&st, mac);
    out[0] = BO__TERM_HASH_MARK;
    bo__hex(mac, (BO__TERM_HASH_SIZE - 2) / 2, out + 1);
}
