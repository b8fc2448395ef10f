/*
 * The audit chain. Record n stores hash_n = SHA-256(hash_{n-1} || canonical
 * record n), where the canonical form length-prefixes seq, time, actor,
 * action, object and SHA-256(detail), so no two different records hash
 * alike by shifting bytes between fields. Hashing the detail's digest lets
 * a posting reuse the digest it already computed of its entry. The first
 * record chains from 64 zeros. Since schema version 10 a record may carry
 * extra facts (an entry's idempotency key, the digest of the states its
 * transaction recorded: src/core/verify.c), hashed as one more field when
 * present, so records written before hash as they did.
 */
#include "core/book.h"
#include "core/verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char ZERO_HASH[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_HEAD[] =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char SQL_APPEND[] =
    "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash,"
    " hash, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_FROM[] =
    "SELECT seq, at, actor, action, object, detail, hash"
    " FROM audit_log WHERE seq >= ? ORDER BY seq";

void bo__now_iso(char out[64])
{
    /* The date and time part changes once a second: format it then only. */
    static _Thread_local time_t last_sec = (time_t)-1;
    static _Thread_local char last[80];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != last_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        snprintf(last, sizeof last, "%04d-%02d-%02dT%02d:%02d:%02d",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec);
        last_sec = ts.tv_sec;
    }
    long ms = ts.tv_nsec / 1000000;
    size_t n = strlen(last);
    if (n > 57) /* years past 9999; keeps out[64] safe */
        n = 57;
    memcpy(out, last, n);
    out[n] = '.';
    out[n + 1] = (char)('0' + ms / 100);
    out[n + 2] = (char)('0' + ms / 10 % 10);
    out[n + 3] = (char)('0' + ms % 10);
    out[n + 4] = 'Z';
    out[n + 5] = '\0';
}

int bo__audit_hash(const char *prev, int64_t seq, const char *at,
                   const char *actor, const char *action, const char *object,
                   const char *detail, const char *detail_digest,
                   const char *extra, char out[BO_HASH_HEX_SIZE])
{
    char dd[BO_HASH_HEX_SIZE];
    if (!detail_digest) {
        unsigned char h[BO__SHA256_BYTES];
        bo__sha256(detail ? detail : "", detail ? strlen(detail) : 0, h);
        bo__hex(h, sizeof h, dd);
        detail_digest = dd;
    }
    bo__buf b = BO__BUF_INIT;
    bo__buf_puts(&b, prev);
    bo__buf_field_int(&b, seq);
    bo__buf_field(&b, at);
    bo__buf_field(&b, actor);
    bo__buf_field(&b, action);
    bo__buf_field(&b, object);
    bo__buf_field(&b, detail_digest);
    if (extra)
        bo__buf_field(&b, extra);
    return bo__buf_digest(&b, out);
}

static int read_head(bo_book *b, int64_t *seq, char hash[BO_HASH_HEX_SIZE])
{
    *seq = 0;
    memcpy(hash, ZERO_HASH, BO_HASH_HEX_SIZE);
    return bo__store_row(b->store, SQL_HEAD, NULL, ">it", seq, hash, BO_HASH_HEX_SIZE);
}

int bo__audit_append(bo_book *b, const char *action, const char *object,
                     const char *detail)
{
    return bo__audit_append_digest(b, action, object, detail, NULL);
}

int bo__audit_append_digest(bo_book *b, const char *action, const char *object,
                            const char *detail, const char *detail_digest)
{
    return bo__audit_append_extra(b, action, object, detail, detail_digest, NULL);
}

int bo__audit_append_extra(bo_book *b, const char *action, const char *object,
                           const char *detail, const char *detail_digest,
                           const char *extra)
{
    int rc;
    if (!b->audit_valid) {
        if ((rc = read_head(b, &b->audit_seq, b->audit_hash)))
            return rc;
        b->audit_valid = 1;
    }
    int64_t seq = b->audit_seq + 1;
    char at[64], hash[BO_HASH_HEX_SIZE];
    bo__now_iso(at);
    char dd[BO_HASH_HEX_SIZE];
    if (!detail_digest) {
        unsigned char h[BO__SHA256_BYTES];
        bo__sha256(detail ? detail : "", detail ? strlen(detail) : 0, h);
        bo__hex(h, sizeof h, dd);
        detail_digest = dd;
    }
    if ((rc = bo__audit_hash(b->audit_hash, seq, at, b->actor, action, object,
                             detail, detail_digest, extra, hash)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_APPEND, "itttttttt", seq, at, b->actor, action,
                            object, detail, b->audit_hash, hash, extra)))
        return rc;
    /* Kept to hash it again if the transaction's states join it. */
    b->last_seq = 0;
    b->last_text.len = 0;
    bo__buf_put(&b->last_text, action, strlen(action) + 1);
    bo__buf_put(&b->last_text, object, strlen(object) + 1);
    bo__buf_put(&b->last_text, b->actor ? b->actor : "", b->actor ? strlen(b->actor) + 1 : 1);
    if (extra)
        bo__buf_put(&b->last_text, extra, strlen(extra) + 1);
    if (!b->last_text.failed) {
        b->last_seq = seq;
        b->last_has_extra = extra != NULL;
        b->last_actor_null = b->actor == NULL;
        memcpy(b->last_at, at, sizeof b->last_at);
        memcpy(b->last_dd, detail_digest, BO_HASH_HEX_SIZE);
        memcpy(b->last_prev, b->audit_hash, BO_HASH_HEX_SIZE);
    } else {
        bo__buf_free(&b->last_text); /* read back from the table instead */
    }
    b->audit_seq = seq;
    memcpy(b->audit_hash, hash, BO_HASH_HEX_SIZE);
    b->tx_last_seq = seq;
    return bo__verify_touch_action(b, action, object);
}

int bo__audit_head_read(bo_book *b, int64_t *seq, char hash[BO_HASH_HEX_SIZE])
{
    if (b->audit_valid) {
        *seq = b->audit_seq;
        memcpy(hash, b->audit_hash, BO_HASH_HEX_SIZE);
        return 0;
    }
    int rc = read_head(b, &b->audit_seq, b->audit_hash);
    if (rc)
        return rc;
    b->audit_valid = 1;
    *seq = b->audit_seq;
    memcpy(hash, b->audit_hash, BO_HASH_HEX_SIZE);
    return 0;
}

void bo__audit_head_set(bo_book *b, int64_t seq, const char hash[BO_HASH_HEX_SIZE])
{
    b->audit_seq = seq;
    memcpy(b->audit_hash, hash, BO_HASH_HEX_SIZE);
    b->audit_valid = 1;
}

int bo_audit_head(bo_book *b, int64_t *seq, char *hex, size_t size)
{
    bo__error_clear();
    if (!b || !seq || !hex)
        return bo__error_set(BO_EINVAL, "book/seq/hex: NULL");
    if (size < BO_HASH_HEX_SIZE)
        return bo__error_set(BO_ETOOLONG, "hex: needs %d bytes", BO_HASH_HEX_SIZE);
    int rc = bo__require(b, BO__P_AUDIT_READ);
    if (rc)
        return rc;
    char h[BO_HASH_HEX_SIZE];
    if ((rc = read_head(b, seq, h)))
        return rc;
    memcpy(hex, h, BO_HASH_HEX_SIZE);
    return 0;
}

static const bo__col list_cols[] = {
    { "seq", BO_TYPE_INT }, { "at", BO_TYPE_TEXT }, { "actor", BO_TYPE_TEXT },
    { "action", BO_TYPE_TEXT }, { "object", BO_TYPE_TEXT },
    { "detail", BO_TYPE_TEXT }, { "hash", BO_TYPE_TEXT },
};

int bo_audit_list(bo_book *b, int64_t from_seq, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_AUDIT_READ, NULL, SQL_FROM, list_cols, 7, out, "i",
                       from_seq);
}
