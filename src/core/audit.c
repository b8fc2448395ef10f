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
 *
 * Since schema version 14 the chain has lanes (docs/architecture.md,
 * "Lanes of the audit chain"): each record belongs to one lane, 0 to 64,
 * and hash_{n-1} is the hash of the previous record of its lane. A driver
 * whose write transactions run side by side (PostgreSQL) gives each open
 * write transaction a lane of its own and numbers records from a sequence;
 * the others (SQLite: one writer at a time) use lane 0 and number records
 * one after the last, so their chain is the one chain it always was. A
 * record of a lane other than 0 hashes its extra ("" when it has none) and
 * its lane as two more fields, so lane 0 hashes as before and a record
 * cannot be moved to another lane unnoticed. The book's head is its one
 * lane's last record, or with several lanes a digest over every lane's last
 * record (bo_audit_head).
 */
#include "core/book.h"
#include "core/feed.h"
#include "core/verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char ZERO_HASH[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_LAST[] =
    "SELECT seq, hash, lane FROM audit_log ORDER BY seq DESC LIMIT 1";
static const char SQL_LANE0_HEAD[] =
    "SELECT seq, hash FROM audit_log WHERE lane = 0 ORDER BY seq DESC LIMIT 1";
/* "lane > 0" lets the partial index audit_log_lanes serve it. */
static const char SQL_LANE_HEAD[] =
    "SELECT seq, hash FROM audit_log WHERE lane = ? AND lane > 0"
    " ORDER BY seq DESC LIMIT 1";
/* Every lane's last record but lane 0's, one index seek each. */
static const char SQL_LANE_HEADS[] =
    "WITH RECURSIVE n(lane) AS (SELECT 1 UNION ALL SELECT lane + 1 FROM n"
    " WHERE lane < 64)"
    " SELECT a.lane, a.seq, a.hash FROM n JOIN audit_log a ON a.seq ="
    " (SELECT MAX(x.seq) FROM audit_log x WHERE x.lane = n.lane AND x.lane > 0)"
    " ORDER BY a.lane";
static const char SQL_APPEND[] =
    "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash,"
    " hash, extra, lane) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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

static void sha_text(bo__sha *h, const char *s)
{
    bo__sha_field(h, s, s ? strlen(s) : 0);
}

static int audit_hash(const char *prev, int64_t seq, const char *at,
                      const char *actor, const char *action, const char *object,
                      const char *detail, const char *detail_digest,
                      const char *extra, int lane, char out[BO_HASH_HEX_SIZE])
{
    char dd[BO_HASH_HEX_SIZE];
    if (!detail_digest) {
        unsigned char h[BO__SHA256_BYTES];
        bo__sha256(detail ? detail : "", detail ? strlen(detail) : 0, h);
        bo__hex(h, sizeof h, dd);
        detail_digest = dd;
    }
    /* Hashed as it is formed (bo__sha_field hashes exactly what
     * bo__buf_field appends), without building the text in a buffer. */
    bo__sha h;
    bo__sha_init(&h);
    bo__sha_put(&h, prev, strlen(prev));
    bo__sha_field_int(&h, seq);
    sha_text(&h, at);
    sha_text(&h, actor);
    sha_text(&h, action);
    sha_text(&h, object);
    sha_text(&h, detail_digest);
    if (lane != 0) { /* length-prefixed fields: their count tells the forms apart */
        sha_text(&h, extra ? extra : "");
        bo__sha_field_int(&h, lane);
    } else if (extra) {
        sha_text(&h, extra);
    }
    bo__sha_hex(&h, out);
    return 0;
}

int bo__audit_hash(const char *prev, int64_t seq, const char *at,
                   const char *actor, const char *action, const char *object,
                   const char *detail, const char *detail_digest,
                   const char *extra, char out[BO_HASH_HEX_SIZE])
{
    return audit_hash(prev, seq, at, actor, action, object, detail, detail_digest,
                      extra, 0, out);
}

int bo__audit_hash_lane(const char *prev, int64_t seq, const char *at,
                        const char *actor, const char *action, const char *object,
                        const char *detail, const char *detail_digest,
                        const char *extra, int lane, char out[BO_HASH_HEX_SIZE])
{
    return audit_hash(prev, seq, at, actor, action, object, detail, detail_digest,
                      extra, lane, out);
}

/* The head of this transaction's lane, and (drivers without lanes) the
 * number the next record takes: one after the last of any lane. */
static int read_head(bo_book *b, int64_t *seq, char hash[BO_HASH_HEX_SIZE])
{
    *seq = 0;
    memcpy(hash, ZERO_HASH, BO_HASH_HEX_SIZE);
    int lane = bo__store_audit_lane(b->store);
    b->audit_lane = lane;
    if (lane > 0) {
        /* Held without a break since this connection's last commit on it:
         * its last record is still the one committed then. */
        uint64_t epoch = bo__store_lane_epoch(b->store);
        if (epoch && epoch == b->lane_epoch && !b->lane_moved) {
            *seq = b->lane_seq;
            memcpy(hash, b->lane_hash, BO_HASH_HEX_SIZE);
            return 0;
        }
        return bo__store_row(b->store, SQL_LANE_HEAD, NULL, "i>it", (int64_t)lane, seq, hash,
                             BO_HASH_HEX_SIZE);
    }
    int64_t last = 0, last_lane = 0;
    int rc = bo__store_row(b->store, SQL_LAST, NULL, ">iti", &last, hash, BO_HASH_HEX_SIZE,
                           &last_lane);
    if (rc)
        return rc;
    b->audit_next = last + 1;
    *seq = last;
    if (last_lane == 0)
        return 0;
    /* The last record is another lane's (a book that had several writers
     * side by side, opened where writers take turns). */
    *seq = 0;
    memcpy(hash, ZERO_HASH, BO_HASH_HEX_SIZE);
    return bo__store_row(b->store, SQL_LANE0_HEAD, NULL, ">it", seq, hash, BO_HASH_HEX_SIZE);
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

/* The held record. The outermost command's last record is the one a
 * commit's flush would hash again with the transaction's states and
 * rewrite (src/core/verify.c, carry_states): while the command runs, it is
 * kept in memory instead (book->last_* and held_*), the chain's head and
 * the feed already counting it, and written to audit_log once, by the
 * flush, with the states in its hash when the transaction has any, else as
 * it was hashed. It is written as it was hashed as soon as anything else
 * could need its row: another record appended, a savepoint opened, a
 * command inside the transaction (bo__write_checked), a read inside the
 * transaction that checks it is usable (bo__tx_usable: the feed's reads,
 * trusted postings). A rollback drops it with the transaction
 * (bo__verify_forget). Only a transaction that will store states holds
 * its record: one that touches no record (a ledger entry alone) writes it
 * at once, as before. */
static void held_fields(const bo_book *b, const char **action, const char **object,
                        const char **actor, const char **extra)
{
    *action = b->last_text.ptr;
    *object = *action + strlen(*action) + 1;
    *actor = *object + strlen(*object) + 1;
    *extra = b->last_has_extra ? *actor + strlen(*actor) + 1 : NULL;
}

/* The held record's hash without states (not computed when it is held: a
 * record the flush writes with its states is hashed once, then), which
 * is the chain's head while it is held. */
static void held_hash(bo_book *b)
{
    if (!b->held_seq || b->held_hashed)
        return;
    const char *action, *object, *actor, *extra;
    held_fields(b, &action, &object, &actor, &extra);
    audit_hash(b->last_prev, b->held_seq, b->last_at, b->last_actor_null ? NULL : actor,
               action, object, NULL, b->last_dd, extra, b->audit_lane, b->held_hash);
    memcpy(b->audit_hash, b->held_hash, BO_HASH_HEX_SIZE);
    b->held_hashed = 1;
}

/* The record's row, bound one by one (no format to read: every command
 * writes one). */
static int append_row(bo_book *b, int64_t seq, const char *at, const char *actor,
                      const char *action, const char *object, const char *detail,
                      const char *prev, const char *hash, const char *extra, int64_t lane)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_APPEND, &s);
    if (rc)
        return rc;
    bo__stmt_borrow(s); /* every text outlives bo__stmt_done */
    if (!(rc = bo__stmt_int(s, 1, seq)) && !(rc = bo__stmt_text(s, 2, at)) &&
        !(rc = bo__stmt_text(s, 3, actor)) && !(rc = bo__stmt_text(s, 4, action)) &&
        !(rc = bo__stmt_text(s, 5, object)) && !(rc = bo__stmt_text(s, 6, detail)) &&
        !(rc = bo__stmt_text(s, 7, prev)) && !(rc = bo__stmt_text(s, 8, hash)) &&
        !(rc = bo__stmt_text(s, 9, extra)) && !(rc = bo__stmt_int(s, 10, lane)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    return rc;
}

int bo__audit_held_write(bo_book *b, const char *extra, const char *hash)
{
    if (!b->held_seq)
        return 0;
    if (!hash)
        held_hash(b);
    int64_t seq = b->held_seq;
    b->held_seq = 0;
    const char *action, *object, *actor, *own;
    held_fields(b, &action, &object, &actor, &own);
    return append_row(b, seq, b->last_at, b->last_actor_null ? NULL : actor, action, object,
                      b->held_detail.ptr, b->last_prev, hash ? hash : b->held_hash,
                      hash ? extra : own, (int64_t)b->audit_lane);
}

int bo__audit_append_extra(bo_book *b, const char *action, const char *object,
                           const char *detail, const char *detail_digest,
                           const char *extra)
{
    return bo__audit_append_seq(b, 0, action, object, detail, detail_digest, extra);
}

int bo__audit_append_seq(bo_book *b, int64_t given, const char *action, const char *object,
                         const char *detail, const char *detail_digest, const char *extra)
{
    int rc;
    if (b->held_seq && (rc = bo__audit_spill(b))) /* no longer the last */
        return rc;
    if (!b->audit_valid) {
        if ((rc = read_head(b, &b->audit_seq, b->audit_hash)))
            return rc;
        b->audit_valid = 1;
    }
    int64_t seq = given; /* > 0: drawn already (bo__store_audit_seqs) */
    if (seq <= 0 && bo__store_has_lanes(b->store)) {
        if ((rc = bo__store_audit_next_seq(b->store, &seq)))
            return rc;
    } else if (seq <= 0) {
        seq = b->audit_next > b->audit_seq ? b->audit_next : b->audit_seq + 1;
    }
    char at[64], hash[BO_HASH_HEX_SIZE];
    bo__now_iso(at);
    char dd[BO_HASH_HEX_SIZE];
    if (!detail_digest) {
        unsigned char h[BO__SHA256_BYTES];
        bo__sha256(detail ? detail : "", detail ? strlen(detail) : 0, h);
        bo__hex(h, sizeof h, dd);
        detail_digest = dd;
    }
    /* The records it touches first: whether it is held depends on them. */
    if ((rc = bo__verify_touch_action(b, action, object)))
        return rc;
    /* Kept to hash it again if the transaction's states join it. */
    b->last_seq = 0;
    b->last_text.len = 0;
    bo__buf_put(&b->last_text, action, strlen(action) + 1);
    bo__buf_put(&b->last_text, object, strlen(object) + 1);
    bo__buf_put(&b->last_text, b->actor ? b->actor : "", b->actor ? strlen(b->actor) + 1 : 1);
    if (extra)
        bo__buf_put(&b->last_text, extra, strlen(extra) + 1);
    int hold = 0;
    if (!b->last_text.failed) {
        b->last_seq = seq;
        b->last_has_extra = extra != NULL;
        b->last_actor_null = b->actor == NULL;
        memcpy(b->last_at, at, sizeof b->last_at);
        memcpy(b->last_dd, detail_digest, BO_HASH_HEX_SIZE);
        memcpy(b->last_prev, b->audit_hash, BO_HASH_HEX_SIZE);
        if (b->audit_hold && b->depth == 1 && b->ntouched > 0) {
            b->held_detail.len = 0;
            bo__buf_put(&b->held_detail, detail ? detail : "", detail ? strlen(detail) + 1 : 1);
            hold = !b->held_detail.failed;
            if (!hold)
                bo__buf_free(&b->held_detail);
        }
    } else {
        bo__buf_free(&b->last_text); /* read back from the table instead */
    }
    if (hold) { /* hashed when written, or when its hash is asked for */
        b->held_seq = seq;
        b->held_hashed = 0;
    } else if ((rc = audit_hash(b->audit_hash, seq, at, b->actor, action, object, detail,
                                detail_digest, extra, b->audit_lane, hash)) ||
               (rc = append_row(b, seq, at, b->actor, action, object, detail, b->audit_hash,
                                hash, extra, (int64_t)b->audit_lane))) {
        return rc;
    }
    if ((rc = bo__feed_append(b, seq, at, action, object))) /* the change feed */
        return rc;
    b->audit_next = seq + 1;
    /* The lane's committed head is no longer its head inside this
     * transaction (a savepoint rolled back may leave records of it before
     * the savepoint, which the kept head would not chain from). */
    b->lane_moved = 1;
    b->audit_seq = seq;
    if (!hold)
        memcpy(b->audit_hash, hash, BO_HASH_HEX_SIZE);
    b->tx_last_seq = seq;
    return 0;
}

void bo__audit_committed(bo_book *b, int rc)
{
    if (rc == BO_ECONFLICT) { /* rolled back by the server: as it was */
        b->lane_moved = 0;
        return;
    }
    if (rc) { /* the outcome may be unknown: read the lane again */
        b->lane_epoch = 0;
        return;
    }
    if (!b->lane_moved) /* nothing appended: the lane is as it was */
        return;
    b->lane_moved = 0;
    if (!b->audit_valid) { /* forgotten by a savepoint rolled back */
        b->lane_epoch = 0;
        return;
    }
    b->lane_epoch = b->audit_lane > 0 ? bo__store_lane_epoch(b->store) : 0;
    b->lane_seq = b->audit_seq;
    memcpy(b->lane_hash, b->audit_hash, BO_HASH_HEX_SIZE);
}

int bo__audit_head_read(bo_book *b, int64_t *seq, char hash[BO_HASH_HEX_SIZE])
{
    held_hash(b);
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

/* The book's head: its one lane's last record, or a digest over the last
 * record of every lane: SHA-256 of "lanes" and, lane by lane, the lane,
 * the record's number and its hash, length-prefixed; its number is the
 * largest of them. */
int bo__audit_lanes_head(const int64_t *seqs, char (*hashes)[BO_HASH_HEX_SIZE],
                         int64_t *seq, char out[BO_HASH_HEX_SIZE])
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "lanes");
    int lanes = 0, one = 0;
    int64_t max = 0;
    for (int l = 0; l < BO_DRIVER_LANES; l++) {
        if (seqs[l] <= 0)
            continue;
        bo__buf_field_int(&d, l);
        bo__buf_field_int(&d, seqs[l]);
        bo__buf_field(&d, hashes[l]);
        if (seqs[l] > max)
            max = seqs[l];
        one = l;
        lanes++;
    }
    if (lanes > 1) {
        *seq = max;
        return bo__buf_digest(&d, out);
    }
    bo__buf_free(&d);
    *seq = lanes ? seqs[one] : 0;
    memcpy(out, lanes ? hashes[one] : ZERO_HASH, BO_HASH_HEX_SIZE);
    out[BO_HASH_HEX_SIZE - 1] = '\0';
    return 0;
}

static int book_head(bo_book *b, int64_t *seq, char hash[BO_HASH_HEX_SIZE])
{
    int64_t seqs[BO_DRIVER_LANES] = { 0 };
    static _Thread_local char hashes[BO_DRIVER_LANES][BO_HASH_HEX_SIZE];
    int rc = bo__store_row(b->store, SQL_LANE0_HEAD, NULL, ">it", &seqs[0], hashes[0],
                           BO_HASH_HEX_SIZE);
    if (rc)
        return rc;
    bo__stmt *st;
    if ((rc = bo__stmt_get(b->store, SQL_LANE_HEADS, &st)))
        return rc;
    while ((rc = bo__stmt_step(st)) == BO_DRIVER_ROW) {
        int64_t lane = bo__stmt_col_int(st, 0);
        const char *h = bo__stmt_col_text(st, 2);
        if (lane <= 0 || lane >= BO_DRIVER_LANES)
            continue;
        seqs[lane] = bo__stmt_col_int(st, 1);
        snprintf(hashes[lane], BO_HASH_HEX_SIZE, "%s", h ? h : "");
    }
    bo__stmt_done(st);
    if (rc != BO_DRIVER_DONE)
        return rc < 0 ? rc : BO_ERROR;
    return bo__audit_lanes_head(seqs, hashes, seq, hash);
}

int bo_audit_head(bo_book *b, int64_t *seq, char *hex, size_t size)
{
    bo__error_clear();
    if (!b || !seq || !hex)
        return bo__error_set(BO_EINVAL, "book/seq/hex: NULL");
    if (size < BO_HASH_HEX_SIZE)
        return bo__error_set(BO_ETOOLONG, "hex: needs %d bytes", BO_HASH_HEX_SIZE);
    int rc = bo__require(b, BO__P_AUDIT_READ);
    if (rc || (b->depth > 0 && (rc = bo__audit_spill(b))))
        return rc;
    char h[BO_HASH_HEX_SIZE];
    /* Where writers run side by side, one may hold a number below the
     * largest committed one and commit after: read the heads while no
     * writer is open, so a head never changes once given out. */
    int own = b->depth == 0 && bo__store_has_lanes(b->store);
    if (own && (rc = bo__store_begin(b->store, BO__STORE_ALONE)))
        return rc;
    rc = book_head(b, seq, h);
    if (own)
        bo__store_rollback(b->store);
    if (rc)
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
