/*
 * Transactions on a book: the outermost level is a real write transaction
 * (SQLite BEGIN IMMEDIATE); inner levels are savepoints. Events queued in a
 * level are dropped when it rolls back and delivered after the outermost
 * commit. Caches learnt inside a transaction die with it.
 */
#include "core/book.h"
#include "core/domain.h"
#include "core/feed.h"
#include "core/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_RETRIES 8

static const char SQL_GENERATION[] =
    "SELECT value FROM bo_meta WHERE key = 'generation'";
static const char SQL_SET_GENERATION[] =
    "INSERT INTO bo_meta (key, value) VALUES ('generation', ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

static int64_t read_generation(bo_book *b, int *rc)
{
    bo__stmt *s;
    int64_t gen = 0;
    if ((*rc = bo__stmt_get(b->store, SQL_GENERATION, &s)))
        return 0;
    int r = bo__stmt_step(s);
    if (r == BO_DRIVER_ROW)
        gen = strtoll(bo__stmt_col_text(s, 0), NULL, 10);
    bo__stmt_done(s);
    *rc = r < 0 ? r : 0;
    return gen;
}

static void invalidate_caches(bo_book *b)
{
    b->perms_valid = 0;
    b->rules_valid = 0;
    bo__domains_invalidate(b);
}

/* Drop what was learnt inside transactions (chain head, day totals). */
static void forget_tx(bo_book *b)
{
    b->audit_valid = 0;
    b->feed_valid = 0;
    b->carried = 0;
    bo__domains_tx_end(b, 1);
}

/* A commit keeps what the transaction learnt: it is still true at the next
 * transaction unless another connection commits in between, which the
 * store's data version tells. A rollback forgets everything. */
static void end_of_tx(bo_book *b, int rolled_back)
{
    if (rolled_back) {
        forget_tx(b);
        invalidate_caches(b);
    } else {
        b->carried = 1;
    }
}

int bo__book_bump_generation(bo_book *b)
{
    int rc;
    int64_t gen = read_generation(b, &rc);
    if (rc)
        return rc;
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)gen + 1);
    if ((rc = bo__store_run(b->store, SQL_SET_GENERATION, "t", num)))
        return rc;
    b->gen_seen = gen + 1;
    invalidate_caches(b);
    return 0;
}

/* Savepoint statements for the first levels are static strings, so they are
 * prepared once and cached like any other statement. */
#define SP_LEVELS(verb) { verb " bo_sp1", verb " bo_sp2", verb " bo_sp3", \
    verb " bo_sp4", verb " bo_sp5", verb " bo_sp6", verb " bo_sp7", verb " bo_sp8" }
static const char *const sp_open[] = SP_LEVELS("SAVEPOINT");
static const char *const sp_release[] = SP_LEVELS("RELEASE SAVEPOINT");
static const char *const sp_undo[] = SP_LEVELS("ROLLBACK TO SAVEPOINT");
#define SP_CACHED ((int)(sizeof sp_open / sizeof *sp_open))

static int savepoint(bo_book *b, const char *const *table, const char *verb,
                     int level)
{
    if (level >= 1 && level <= SP_CACHED) {
        bo__stmt *s;
        int rc = bo__stmt_get(b->store, table[level - 1], &s);
        if (rc)
            return rc;
        rc = bo__stmt_run(s);
        bo__stmt_done(s);
        return rc;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "%s bo_sp%d", verb, level);
    return bo__store_exec(b->store, sql);
}

static int refuse_failed(bo_book *b)
{
    return bo__error_set(BO_ESTATE, "transaction: an earlier call failed "
                         "part-way through level %d; roll it back", b->failed_depth);
}

static void mark_failed(bo_book *b)
{
    if (!b->failed_depth || b->failed_depth > b->depth)
        b->failed_depth = b->depth;
}

/* The engine may end a transaction on its own after an error (SQLite on
 * I/O errors, a full disk or no memory, even in a read the host ignored):
 * then every level is gone, nothing learnt inside it holds, and only a
 * rollback of the whole transaction is allowed. */
static int lost(bo_book *b)
{
    if (b->depth == 0 || !bo__store_tx_lost(b->store))
        return 0;
    if (b->failed_depth != 1) {
        b->failed_depth = 1;
        forget_tx(b);
        invalidate_caches(b);
    }
    return 1;
}

int bo__tx_begin(bo_book *b)
{
    lost(b);
    if (b->failed_depth)
        return refuse_failed(b);
    if ((size_t)b->depth + 1 > b->marks_cap) {
        size_t cap = b->marks_cap ? b->marks_cap * 2 : 8;
        size_t *m = bo__realloc(b->marks, cap * sizeof *m);
        if (!m)
            return BO_ENOMEM;
        b->marks = m;
        b->marks_cap = cap;
    }
    int rc;
    if (b->depth == 0) {
        b->feed_tx = 0;
        b->lane_moved = 0; /* a rollback left the lane's committed head */
        bo__verify_forget(b);
        if ((rc = bo__store_begin(b->store, b->write_how ? b->write_how : 1)))
            return rc;
        int64_t dv = bo__store_data_version(b->store);
        if (dv < 0 || dv != b->data_version || !b->carried) {
            /* Someone else may have written: re-check everything. */
            forget_tx(b);
            int64_t gen = read_generation(b, &rc);
            if (rc) {
                bo__error_state es;
                bo__error_save(&es);
                bo__store_rollback(b->store);
                return bo__error_restore(&es);
            }
            if (gen != b->gen_seen) {
                b->gen_seen = gen;
                invalidate_caches(b);
            }
            b->data_version = dv;
        }
    } else {
        /* What the level around held back is written before the savepoint
         * (its rows, its held audit record): rolling the new level back
         * drops only its own. */
        if ((rc = bo__domains_flush(b)) || (rc = bo__audit_spill(b))) {
            mark_failed(b);
            return rc;
        }
        if (!b->flat_writes && (rc = savepoint(b, sp_open, "SAVEPOINT", b->depth)))
            return rc;
    }
    b->marks[b->depth++] = b->npending;
    return 0;
}

int bo__tx_commit(bo_book *b)
{
    if (b->depth == 0)
        return bo__error_set(BO_ESTATE, "commit: no transaction is open");
    lost(b);
    if (b->failed_depth) {
        if (b->depth > 1)
            return refuse_failed(b);
        bo__error_state es;
        refuse_failed(b);
        bo__error_save(&es);
        bo__tx_rollback(b);
        bo__error_restore(&es);
        return bo__error_prefix("commit refused, the transaction was rolled back: ");
    }
    if (b->depth > 1) {
        int rc = b->flat_writes ? 0 : savepoint(b, sp_release, "RELEASE SAVEPOINT",
                                                b->depth - 1);
        if (rc)
            return rc;
        b->depth--;
        return 0;
    }
    /* What the domains held back is written, then the states of the
     * records this transaction wrote go with it. */
    int rc = bo__domains_flush(b);
    if (!rc)
        rc = bo__verify_flush(b);
    if (!rc)
        rc = bo__feed_flush(b);
    int before_commit = rc != 0; /* COMMIT was never sent */
    if (!rc)
        rc = bo__store_commit(b->store);
    b->depth = 0;
    bo__verify_forget(b);
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(b->store);
        bo__events_drop(b, 0);
        bo__audit_committed(b, before_commit ? BO_ERROR : rc);
        end_of_tx(b, 1);
        bo__error_restore(&es);
        return before_commit ? bo__error_prefix("commit: nothing was committed: ") : rc;
    }
    bo__audit_committed(b, 0);
    end_of_tx(b, 0);
    bo__feed_committed(b);
    bo__events_deliver(b);
    return 0;
}

int bo__tx_rollback(bo_book *b)
{
    if (b->depth == 0)
        return bo__error_set(BO_ESTATE, "rollback: no transaction is open");
    int rc, flat = 0;
    if (b->depth > 1 && lost(b)) {
        rc = 0; /* the engine already undid everything: just unwind */
    } else if (b->depth > 1 && b->flat_writes) {
        rc = 0; /* no savepoint to undo: the level around it has failed */
        flat = 1;
    } else if (b->depth > 1) {
        rc = savepoint(b, sp_undo, "ROLLBACK TO SAVEPOINT", b->depth - 1);
        if (!rc)
            rc = savepoint(b, sp_release, "RELEASE SAVEPOINT", b->depth - 1);
    } else {
        rc = bo__store_rollback(b->store);
        bo__verify_forget(b);
    }
    if (b->depth > 1)
        bo__verify_uncapture(b); /* the rows a capture saw may be undone */
    b->depth--;
    if ((rc || flat) && b->depth > 0)
        mark_failed(b); /* the savepoint could not be undone, or there was none */
    if (b->failed_depth > b->depth)
        b->failed_depth = 0; /* the failed level's writes are gone */
    bo__events_drop(b, b->marks[b->depth]);
    end_of_tx(b, 1);
    return rc;
}

int bo__write_mode(bo_book *b, int how)
{
    int was = b->write_how;
    b->write_how = how;
    return was;
}

int bo__tx_alone(bo_book *b, const char *what)
{
    /* The host's transaction (bo_book_begin, a feed consumer's handler)
     * never runs beside a posting at snapshot isolation, only beside
     * SERIALIZABLE writers, which see it as it sees them: what it reads
     * stays true to its commit, as alone (docs/architecture.md,
     * "Isolation of writers on lanes"). */
    if (b->depth == 0 || bo__store_alone(b->store) || bo__store_host(b->store))
        return 0;
    return bo__error_set(BO_ESTATE, "%s: reads the ledger's totals and writes "
                         "from them, so it runs alone or in the host's own "
                         "transaction (bo_book_begin), not inside another "
                         "command's while writers run side by side", what);
}

static void backoff(int attempt)
{
    /* 1, 2, 4 ... ms with jitter: contending writers spread out. */
    long ms = (1L << attempt) + (rand() % (1 << attempt));
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

int bo__write(bo_book *b, bo__write_fn fn, void *ctx)
{
    for (int attempt = 0;; attempt++) {
        int outermost = b->depth == 0;
        int rc = bo__tx_begin(b);
        if (rc)
            return rc;
        /* The outermost command is committed as soon as it returns: its
         * last audit record may wait for the commit (audit.c, "held
         * record"). */
        if (outermost)
            b->audit_hold = 1;
        rc = fn(b, ctx);
        if (outermost)
            b->audit_hold = 0;
        if (rc) {
            bo__error_state es;
            bo__error_save(&es);
            bo__tx_rollback(b);
            rc = bo__error_restore(&es);
        } else {
            rc = bo__tx_commit(b);
        }
        if (rc == BO_ECONFLICT && outermost && attempt < MAX_RETRIES) {
            backoff(attempt);
            continue;
        }
        return rc;
    }
}

static int store_failure(int rc)
{
    return rc == BO_EIO || rc == BO_EFULL || rc == BO_ENOMEM || rc == BO_ECORRUPT ||
           rc == BO_ERROR || rc == BO_ECONFLICT || rc == BO_EBUSY;
}

int bo__tx_usable(bo_book *b)
{
    if (b->depth == 0)
        return 0;
    lost(b);
    if (b->failed_depth)
        return refuse_failed(b);
    /* What reads the transaction's records finds them in audit_log. */
    return bo__audit_spill(b);
}

int bo__write_checked(bo_book *b, bo__write_fn fn, void *ctx)
{
    if (b->depth == 0)
        return bo__write(b, fn, ctx);
    lost(b);
    if (b->failed_depth)
        return refuse_failed(b);
    /* A command inside the transaction: what it may read or undo is in
     * the tables, and its own records are written at once. */
    int rc = bo__audit_spill(b);
    if (rc) {
        mark_failed(b);
        return rc;
    }
    uint64_t before = bo__store_writes(b->store);
    size_t events = b->npending;
    int hold = b->audit_hold;
    b->audit_hold = 0;
    rc = fn(b, ctx);
    b->audit_hold = hold;
    if (rc) {
        bo__events_drop(b, events);
        if (lost(b) || bo__store_writes(b->store) != before || store_failure(rc)) {
            mark_failed(b);
            bo__error_prefix("transaction must be rolled back: ");
        }
    }
    return rc;
}

/* ---- public ------------------------------------------------------------- */

int bo_book_begin(bo_book *book)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    /* The host's own transaction may read balances and write from them:
     * on lanes it never runs beside a posting at snapshot isolation
     * (BO__STORE_HOST). */
    if (book->depth > 0 || book->write_how)
        return bo__tx_begin(book);
    bo__write_mode(book, BO__STORE_HOST);
    int rc = bo__tx_begin(book);
    bo__write_mode(book, 0);
    return rc;
}

int bo_book_commit(bo_book *book)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    return bo__tx_commit(book);
}

int bo_book_rollback(bo_book *book)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    return bo__tx_rollback(book);
}

int bo_book_depth(const bo_book *book)
{
    return book ? book->depth : 0;
}
