/*
 * The audit chain. Record n stores hash_n = SHA-256(hash_{n-1} || canonical
 * record n), where the canonical form length-prefixes seq, time, actor,
 * action, object and SHA-256(detail), so no two different records hash
 * alike by shifting bytes between fields. Hashing the detail's digest lets
 * a posting reuse the digest it already computed of its entry. The first
 * record chains from 64 zeros.
 */
#include "core/book.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char ZERO_HASH[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_HEAD[] =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char SQL_APPEND[] =
    "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ALL[] =
    "SELECT seq, at, actor, action, object, detail, prev_hash, hash"
    " FROM audit_log ORDER BY seq";
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

static int chain_hash(const char *prev, int64_t seq, const char *at,
                      const char *actor, const char *action, const char *object,
                      const char *detail, const char *detail_digest,
                      char out[BO_HASH_HEX_SIZE])
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
    int rc;
    if (!b->audit_valid) {
        if ((rc = read_head(b, &b->audit_seq, b->audit_hash)))
            return rc;
        b->audit_valid = 1;
    }
    int64_t seq = b->audit_seq + 1;
    char at[64], hash[BO_HASH_HEX_SIZE];
    bo__now_iso(at);
    if ((rc = chain_hash(b->audit_hash, seq, at, b->actor, action, object,
                         detail, detail_digest, hash)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_APPEND, "ittttttt", seq, at, b->actor, action,
                            object, detail, b->audit_hash, hash)))
        return rc;
    b->audit_seq = seq;
    memcpy(b->audit_hash, hash, BO_HASH_HEX_SIZE);
    return 0;
}

int bo_audit_verify(bo_book *b, int64_t *bad_seq)
{
    bo__error_clear();
    if (bad_seq)
        *bad_seq = 0;
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(b, BO__P_AUDIT_READ);
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_new(b->store, SQL_ALL, &s)))
        return rc;
    char prev[BO_HASH_HEX_SIZE], calc[BO_HASH_HEX_SIZE];
    memcpy(prev, ZERO_HASH, sizeof prev);
    int64_t expect = 1, bad = 0;
    const char *why = NULL;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t seq = bo__stmt_col_int(s, 0);
        const char *ph = bo__stmt_col_text(s, 6), *h = bo__stmt_col_text(s, 7);
        if (seq != expect) {
            bad = seq < expect ? seq : expect;
            why = seq < expect ? "is out of order or duplicated"
                               : "is missing (a gap in the sequence)";
            break;
        }
        if (!ph || strcmp(ph, prev) != 0) {
            bad = seq;
            why = "does not chain to the previous record (inserted, deleted "
                  "or reordered records)";
            break;
        }
        if ((rc = chain_hash(prev, seq, bo__stmt_col_text(s, 1),
                             bo__stmt_col_text(s, 2), bo__stmt_col_text(s, 3),
                             bo__stmt_col_text(s, 4), bo__stmt_col_text(s, 5),
                             NULL, calc)))
            break;
        if (!h || strcmp(h, calc) != 0) {
            bad = seq;
            why = "has been altered (its hash does not match its content)";
            break;
        }
        memcpy(prev, calc, sizeof prev);
        expect++;
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    if (bad) {
        if (bad_seq)
            *bad_seq = bad;
        return bo__error_set(BO_ECORRUPT, "audit: record %" PRId64 " %s", bad, why);
    }
    return 0;
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
