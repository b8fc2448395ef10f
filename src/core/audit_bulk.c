/*
 * Many audit records appended at once (a batch of ledger entries posted
 * set-wise, src/ledger/post_many.c): each record numbered, timed, hashed
 * and fed to the change feed exactly as bo__audit_append_extra() does it
 * (audit.c), the rows written through bo__store_rows (PostgreSQL's COPY,
 * or inserts of up to 64 rows) up to PER_WRITE at a time. The last record
 * goes through bo__audit_append_extra() itself, so the transaction's last record (the one a commit may hold and
 * hash again with its states, audit.c "held record") is kept as it always
 * is. A record is fed to the change feed once its row is written.
 *
 * Where the driver numbers records itself (lanes of the audit chain,
 * PostgreSQL) the records' numbers are drawn together first
 * (bo__store_audit_seqs: the first as a lone record's, the rest in one
 * statement), ascending, and the records chain on the transaction's lane
 * in that order; the feed gets each record as bo__audit_append_extra gives
 * it on a lane.
 */
#include "core/book.h"
#include "core/feed.h"
#include "core/verify.h"

#include <string.h>

/* Records held before their rows are written (bounds the memory of a large
 * batch; a batch of bo_ledger_post_many's usual size is one write). */
#define PER_WRITE 16384

#define A_COLS "seq, at, actor, action, object, detail, prev_hash, hash, extra, lane"
#define A_HEAD "INSERT INTO audit_log (" A_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define A_ROW ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char *const SQL_ROWS[BO__ROWS_SHAPES] = BO__ROWS_SHAPED(A_HEAD, A_ROW, "");
static const bo__rows_table AUDIT_ROWS = { "audit_log", A_COLS, 10, SQL_ROWS, NULL };

/* A record hashed and waiting for its row. */
typedef struct pending {
    int64_t seq;
    const bo__audit_rec *r;
    char at[64];
    char prev[BO_HASH_HEX_SIZE];
    char hash[BO_HASH_HEX_SIZE];
} pending;

/* The rows of p[0..n) (bo__store_rows: one COPY, or inserts of 64 rows),
 * then each record fed to the change feed. */
static int write_rows(bo_book *b, const char *action, const pending *p, size_t n)
{
    bo__rowset r;
    int rc = bo__rowset_init(&r, n * 10);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        const pending *q = &p[i];
        bo__rowset_int(&r, q->seq);
        bo__rowset_text(&r, q->at);
        bo__rowset_text(&r, b->actor);
        bo__rowset_text(&r, action);
        bo__rowset_text(&r, q->r->object);
        bo__rowset_text(&r, q->r->detail);
        bo__rowset_text(&r, q->prev);
        bo__rowset_text(&r, q->hash);
        bo__rowset_text(&r, q->r->extra);
        bo__rowset_int(&r, (int64_t)b->audit_lane);
    }
    rc = bo__store_rows(b->store, &AUDIT_ROWS, &r);
    bo__rowset_free(&r);
    for (size_t i = 0; i < n && !rc; i++)
        rc = bo__feed_append(b, p[i].seq, p[i].at, action, p[i].r->object);
    return rc;
}

int bo__audit_append_many(bo_book *b, const char *action, const bo__audit_rec *r, size_t n)
{
    int rc = 0;
    if (n == 0)
        return 0;
    if (b->held_seq && (rc = bo__audit_spill(b))) /* no longer the last */
        return rc;
    if (!b->audit_valid) {
        int64_t seq;
        char hash[BO_HASH_HEX_SIZE];
        if ((rc = bo__audit_head_read(b, &seq, hash)))
            return rc;
    }
    /* On a lane: every record's number drawn first, ascending. */
    int64_t *seqs = NULL;
    if (bo__store_has_lanes(b->store)) {
        if (!(seqs = bo__malloc(n * sizeof *seqs)))
            return BO_ENOMEM;
        if ((rc = bo__store_audit_seqs(b->store, n, seqs))) {
            bo__free(seqs);
            return rc;
        }
    }
    size_t cap = n - 1 < PER_WRITE ? n - 1 : PER_WRITE;
    pending *p = bo__malloc((cap ? cap : 1) * sizeof *p);
    if (!p) {
        bo__free(seqs);
        return BO_ENOMEM;
    }
    size_t np = 0;
    /* Every record but the last: hashed as bo__audit_append_extra hashes
     * it, written with the others. */
    for (size_t i = 0; i + 1 < n && !rc; i++) {
        int64_t seq = seqs ? seqs[i]
                    : b->audit_next > b->audit_seq ? b->audit_next : b->audit_seq + 1;
        pending *q = &p[np];
        q->seq = seq;
        q->r = &r[i];
        bo__now_iso(q->at);
        memcpy(q->prev, b->audit_hash, BO_HASH_HEX_SIZE);
        if ((rc = bo__verify_touch_action(b, action, r[i].object)) ||
            (rc = bo__audit_hash_lane(q->prev, seq, q->at, b->actor, action, r[i].object,
                                      r[i].detail, r[i].digest, r[i].extra, b->audit_lane,
                                      q->hash)))
            break;
        /* Not the transaction's last record: nothing of it is kept to hash
         * again (the last one, below, sets what is). */
        b->last_seq = 0;
        np++;
        b->audit_next = seq + 1;
        b->lane_moved = 1;
        b->audit_seq = seq;
        memcpy(b->audit_hash, q->hash, BO_HASH_HEX_SIZE);
        b->tx_last_seq = seq;
        if (np == cap) {
            rc = write_rows(b, action, p, np);
            np = 0;
        }
    }
    if (!rc && np)
        rc = write_rows(b, action, p, np);
    bo__free(p);
    int64_t last = seqs ? seqs[n - 1] : 0;
    bo__free(seqs);
    if (rc)
        return rc;
    return bo__audit_append_seq(b, last, action, r[n - 1].object, r[n - 1].detail,
                                r[n - 1].digest, r[n - 1].extra);
}
