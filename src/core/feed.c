/*
 * The change feed (include/backoffice/feed.h, docs/architecture.md "The
 * change feed"). Each audit record gets one row of feed_events, keyed by
 * the record's number, inserted by the record's own statement's caller
 * (bo__audit_append_extra), so an event commits exactly when its command
 * does.
 *
 * Positions. A reader polling "position > p" must never miss a
 * transaction that commits later with a lower position, so a position may
 * only be given while no transaction that could commit before it holds a
 * lower one:
 *  - where writers take turns (SQLite; PostgreSQL unless BO_PG_LANES=1,
 *    every writer holding the book's lock from BEGIN to COMMIT) the
 *    transaction gives its events the positions after the last one, in
 *    the transaction itself: the order of positions is the order of
 *    commits, and a rollback takes its positions with it (no gaps). The
 *    events are not inserted one by one: the transaction's records are
 *    numbered without gaps and its events take positions in the same
 *    order, so position = record + a constant, and one INSERT ... SELECT
 *    from audit_log writes them all before the commit (or before anything
 *    in the transaction reads the feed), see write_pending;
 *  - where writers run side by side (the lanes of the audit chain) an
 *    event is written without a position and the sequencer gives the
 *    positions when someone reads the feed (not after each commit: that
 *    was a second transaction per command), in a short transaction that
 *    holds LOCK TABLE feed_head (a lock only sequencers take) from before
 *    its snapshot to its commit: it sees every event committed before it,
 *    positions them after the last position, and the next sequencer sees
 *    its work. A reader therefore never misses an event that committed
 *    before it looked.
 *
 * On SQLite (schema 22) the first way needs no row of its own: the
 * positions of the records from feed_log.first_seq on are their numbers
 * plus feed_log.shift, so the feed is read from audit_log itself, and a
 * commit writes nothing for it. Pruning raises first_seq (the low-water
 * mark); feed_kept holds what a book made before kept of feed_events when
 * its positions were not its records' numbers plus one constant (they come
 * before all the others). feed_events is a view of both there (the export,
 * the copy, the verification); PostgreSQL keeps the table.
 */
#include "core/feed.h"
#include "backoffice/feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define FEED_CHANNEL "bo_feed"
#define PRUNE_EVERY 256
#define SEQ_BATCH 512
#define POLL_MS 50

static const char SQL_LAST[] = "SELECT COALESCE(MAX(position), 0) FROM feed_events";
/* The same where writers take turns on PostgreSQL, which first positions,
 * after the last position and in event id order, any event left without
 * one by writers on lanes that wrote the book before (one book takes one
 * mode at a time, src/store/postgres/pg_conn.c take_mode: while this
 * transaction holds the book's lock no writer on lanes is open, and the
 * events of those that were are committed), as the sequencer would have;
 * the index of pending events finds none at once when there are none.
 * Only once a connection's hold on its mode (sweep_due): no writer on
 * lanes opens meanwhile, so after one committed sweep there is nothing
 * left to position. */
static const char SQL_LAST_SWEEP[] =
    "WITH o AS (SELECT event_id, row_number() OVER (ORDER BY event_id) AS n"
    " FROM feed_events WHERE position IS NULL),"
    " m AS (SELECT COALESCE(MAX(position), 0) AS last FROM feed_events),"
    " u AS (UPDATE feed_events f SET position = m.last + o.n FROM o, m"
    " WHERE f.event_id = o.event_id RETURNING f.position)"
    " SELECT GREATEST((SELECT last FROM m), COALESCE((SELECT MAX(position) FROM u), 0))";
static const char SQL_BOUNDS[] =
    "SELECT COALESCE(MIN(position), 0), COALESCE(MAX(position), 0) FROM feed_events";
static const char SQL_APPEND[] =
    "INSERT INTO feed_events (event_id, position, at, kind, object) VALUES (?, ?, ?, ?, ?)";
/* The events of a span of records, from their rows in audit_log, in one
 * statement: FEED_OF_RECORDS(verb, position, where) inserts (verb: INSERT,
 * or SQLite's INSERT OR FAIL) the events of the records that match where
 * and are numbered in [?, ?), at position (an expression of seq, or NULL);
 * FEED_NOT_WRITTEN keeps to those whose event is not in feed_events yet
 * (after a level rolled back, which took away the rows it wrote, maybe
 * with some for records that stayed). */
#define FEED_OF_RECORDS(verb, position, where)                                       \
    verb " INTO feed_events (event_id, position, at, kind, object)"                   \
    " SELECT seq, " position ", at, action, object FROM audit_log"                    \
    " WHERE " where "seq >= ? AND seq < ?"
#define FEED_NOT_WRITTEN                                                              \
    " AND NOT EXISTS (SELECT 1 FROM feed_events f WHERE f.event_id = audit_log.seq)"
/* Where writers take turns (write_pending): the transaction's events of
 * records [?2, ?3) at position record + ?1; then the same once a level
 * rolled back. On SQLite with OR FAIL: a statement of several rows that
 * may abort keeps a statement journal to undo its own rows; a failure
 * there fails the commit (or the read), and the transaction is rolled
 * back. A run of one record, the one this handle appended last (the
 * common transaction of one command), is SQL_APPEND from the values kept
 * with it (book->last_*, src/core/audit.c), without reading its row back. */
static const char SQL_APPEND_RANGE[] = FEED_OF_RECORDS("INSERT", "seq + ?", "");
static const char SQL_APPEND_RANGE_FAIL[] = FEED_OF_RECORDS("INSERT OR FAIL", "seq + ?", "");
static const char SQL_REFILL_RANGE[] =
    FEED_OF_RECORDS("INSERT", "seq + ?", "") FEED_NOT_WRITTEN;
/* Where writers run side by side, on a lane of their own (lane_write): the
 * transaction's events of records [?2, ?3) of its lane ?1, unpositioned,
 * in one statement before the commit; then the same once a level rolled
 * back after some were written. */
static const char SQL_APPEND_LANE[] = FEED_OF_RECORDS("INSERT", "NULL", "lane = ? AND ");
static const char SQL_REFILL_LANE[] =
    FEED_OF_RECORDS("INSERT", "NULL", "lane = ? AND ") FEED_NOT_WRITTEN;
static const char SQL_READ[] =
    "SELECT position, event_id, at, kind, object FROM feed_events"
    " WHERE position > ? ORDER BY position LIMIT ?";
static const char SQL_PENDING_ANY[] =
    "SELECT event_id FROM feed_events WHERE position IS NULL LIMIT 1";
static const char SQL_SEQ_LOCK[] = "LOCK TABLE feed_head IN EXCLUSIVE MODE";
/* The next SEQ_BATCH committed events without a position, in event id
 * order, take the positions after ?1, in one statement (it was one UPDATE
 * an event: a reader after a batch of 1,000 entries on a lane sent 1,000). */
static const char SQL_SET_POSITIONS[] =
    "UPDATE feed_events SET position = ? + o.n"
    " FROM (SELECT event_id, row_number() OVER (ORDER BY event_id) AS n FROM feed_events"
    " WHERE position IS NULL ORDER BY event_id LIMIT 512) o"
    " WHERE feed_events.event_id = o.event_id";
static const char SQL_KEEP_FROM[] =
    "SELECT position FROM feed_events WHERE position IS NOT NULL AND at >= ?"
    " ORDER BY position LIMIT 1";
static const char SQL_PRUNE[] = "DELETE FROM feed_events WHERE position < ?";
static const char SQL_CONSUMER[] = "SELECT position FROM feed_consumers WHERE name = ?";
static const char SQL_CONSUMER_PUT[] =
    "INSERT INTO feed_consumers (name, position, at) VALUES (?, ?, ?)"
    " ON CONFLICT (name) DO UPDATE SET position = excluded.position, at = excluded.at";

/* SQLite (schema 22): the events of the records from feed_log.first_seq
 * on, at position seq + shift, after those of feed_kept. CROSS JOIN and
 * l.id = 1: feed_log's one row first, then audit_log by its rowid range
 * (the other order scans audit_log from its first record). */
static const char SQL_LOG_LAST[] =
    "SELECT COALESCE((SELECT MAX(a.seq) + l.shift FROM audit_log a WHERE a.seq >= l.first_seq),"
    " (SELECT MAX(position) FROM feed_kept), 0) FROM feed_log l";
static const char SQL_LOG_BOUNDS[] =
    "SELECT COALESCE((SELECT MIN(position) FROM feed_kept),"
    " (SELECT MIN(a.seq) + l.shift FROM audit_log a WHERE a.seq >= l.first_seq), 0),"
    " COALESCE((SELECT MAX(a.seq) + l.shift FROM audit_log a WHERE a.seq >= l.first_seq),"
    " (SELECT MAX(position) FROM feed_kept), 0) FROM feed_log l";
static const char SQL_LOG_READ_KEPT[] =
    "SELECT position, event_id, at, kind, object FROM feed_kept WHERE position > ?"
    " ORDER BY position LIMIT ?";
static const char SQL_LOG_READ[] =
    "SELECT a.seq + l.shift, a.seq, a.at, a.action, a.object"
    " FROM feed_log l CROSS JOIN audit_log a"
    " WHERE l.id = 1 AND a.seq >= l.first_seq AND a.seq > ?1 - l.shift"
    " ORDER BY a.seq LIMIT ?2";
static const char SQL_LOG_KEEP_KEPT[] =
    "SELECT position FROM feed_kept WHERE position IS NOT NULL AND at >= ?"
    " ORDER BY position LIMIT 1";
static const char SQL_LOG_KEEP_FROM[] =
    "SELECT a.seq + l.shift FROM feed_log l CROSS JOIN audit_log a"
    " WHERE l.id = 1 AND a.seq >= l.first_seq AND a.at >= ? ORDER BY a.seq LIMIT 1";
static const char SQL_LOG_PRUNED[] =
    "SELECT (SELECT COUNT(*) FROM feed_kept WHERE position < ?1)"
    " + (SELECT COUNT(*) FROM feed_log l CROSS JOIN audit_log a"
    " WHERE l.id = 1 AND a.seq >= l.first_seq AND a.seq < ?1 - l.shift)";
static const char SQL_LOG_PRUNE_KEPT[] = "DELETE FROM feed_kept WHERE position < ?";
static const char SQL_LOG_PRUNE[] =
    "UPDATE feed_log SET first_seq = ? - shift WHERE first_seq < ? - shift";

/* ---- writing --------------------------------------------------------------- */

/* The feed is read from audit_log (SQLite, schema 22). */
static int from_log(bo_book *b)
{
    return b->feed_log;
}

int bo__feed_has_log(bo__store *st, int *yes)
{
    /* The SQLite dialect, by what {KEY64} is made of (a wrapping driver
     * keeps it, and may open a book made by the plain one). */
    const char *id = bo__store_driver(st)->sql_id_primary_key;
    int64_t n = 0;
    *yes = 0;
    if (!id || strncmp(id, "INTEGER PRIMARY KEY", 19) != 0)
        return 0;
    int rc = bo__store_row(st, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
                           " AND name = 'feed_log'", NULL, ">i", &n);
    *yes = n > 0;
    return rc;
}

int bo__feed_probe(bo_book *b)
{
    return bo__feed_has_log(b->store, &b->feed_log);
}

static const char *sql_last(bo_book *b)
{
    return from_log(b) ? SQL_LOG_LAST : SQL_LAST;
}

static int sequenced_here(bo_book *b)
{
    return !bo__store_has_lanes(b->store);
}

/* The driver can run writers side by side (PostgreSQL's, whichever mode
 * this handle is in): events without a position may be in the book. */
static int lanes_possible(bo_book *b)
{
    const bo_driver *d = bo__store_driver(b->store);
    return d->version >= 4 && d->audit_lane && d->audit_next_seq;
}

/* Where writers run side by side, a transaction on a lane of its own
 * (b->audit_lane > 0, the lane its records carry) inserts its events in
 * one statement before its commit, from its records in audit_log: the
 * lane is held by this session alone and its numbers come from a sequence
 * that never goes back, so the lane's records numbered from its first on
 * are the transaction's (one insert per record was a thousand statements
 * for a batch of a thousand entries). Noted here: the span of records
 * [feed_seq0, feed_end), those before feed_done written; a level rolled
 * back since (feed_valid 0, forget_tx) may have taken events written
 * before it of records that stayed, so the next write puts those back
 * (feed_rolled). A transaction alone without a lane (lane 0) inserts each
 * event with its record, as before. */
static int lane_pending(bo_book *b)
{
    return b->feed_tx && b->feed_seq0 && b->audit_lane > 0 && !sequenced_here(b) &&
           !from_log(b);
}

static void lane_note(bo_book *b, int64_t seq)
{
    if (!b->feed_tx) {
        b->feed_seq0 = b->feed_done = seq;
        b->feed_end = seq + 1;
        b->feed_rolled = 0;
        b->feed_valid = 1;
        return;
    }
    if (!b->feed_valid) { /* a level rolled back since the last event */
        b->feed_rolled = 1;
        b->feed_valid = 1;
    }
    if (seq < b->feed_seq0)
        b->feed_seq0 = seq;
    if (seq >= b->feed_end)
        b->feed_end = seq + 1;
}

static int lane_write(bo_book *b)
{
    int rc;
    if (!b->feed_valid) /* a level rolled back since the last event */
        b->feed_rolled = 1;
    if (b->feed_rolled && b->feed_done > b->feed_seq0) {
        if ((rc = bo__store_run(b->store, SQL_REFILL_LANE, "iii", (int64_t)b->audit_lane,
                                b->feed_seq0, b->feed_end)))
            return rc;
    } else if (!b->feed_rolled && b->feed_end - b->feed_done == 1 &&
               b->last_seq == b->feed_done && b->last_seq > 0) {
        /* One record, the one this handle appended last (no level rolled
         * back, which might have taken it): from the values kept with it,
         * without reading its row back. */
        const char *action = b->last_text.ptr;
        const char *object = action + strlen(action) + 1;
        if ((rc = bo__store_run(b->store, SQL_APPEND, "iIttt", b->feed_done, (int64_t)0,
                                b->last_at, action, object)))
            return rc;
    } else if (b->feed_done < b->feed_end &&
               (rc = bo__store_run(b->store, SQL_APPEND_LANE, "iii", (int64_t)b->audit_lane,
                                   b->feed_done, b->feed_end))) {
        return rc;
    }
    b->feed_done = b->feed_end;
    b->feed_rolled = 0;
    b->feed_valid = 1;
    return 0;
}

/* Inside a transaction where writers take turns: insert the events of its
 * records not yet in feed_events. Called before the commit and before
 * anything in the transaction reads the feed. On a lane: lane_write. */
static int write_pending(bo_book *b)
{
    if (lane_pending(b))
        return lane_write(b);
    if (!b->feed_tx || !b->feed_seq0 || !sequenced_here(b) || from_log(b))
        return 0;
    int rc;
    if (!b->feed_valid) {
        /* A level rolled back since: put back the events of the records
         * that stayed, and queue the wake-up again (dropped with it). */
        if ((rc = bo__store_notify(b->store, FEED_CHANNEL)) ||
            (rc = bo__store_run(b->store, SQL_REFILL_RANGE, "iii", b->feed_off, b->feed_seq0,
                                b->feed_end)))
            return rc;
        b->feed_valid = 1;
        b->feed_rolled = 1;
    } else if (b->feed_end - b->feed_done == 1 && b->last_seq == b->feed_done &&
               b->last_seq > 0) {
        const char *action = b->last_text.ptr;
        const char *object = action + strlen(action) + 1;
        if ((rc = bo__store_run(b->store, SQL_APPEND, "iittt", b->feed_done,
                                b->feed_done + b->feed_off, b->last_at, action, object)))
            return rc;
    } else if (b->feed_done < b->feed_end &&
               (rc = bo__store_run(b->store, bo__store_is_sqlite(b->store) ?
                                   SQL_APPEND_RANGE_FAIL : SQL_APPEND_RANGE, "iii",
                                   b->feed_off, b->feed_done, b->feed_end))) {
        return rc;
    }
    b->feed_done = b->feed_end;
    return 0;
}

/* Where writers take turns on PostgreSQL: the first position is looked up
 * with SQL_LAST_SWEEP until a committed transaction of this connection's
 * hold on its mode swept (bo__feed_committed). */
static int sweep_due(bo_book *b)
{
    if (!lanes_possible(b))
        return 0;
    uint64_t epoch = bo__store_mode_epoch(b->store);
    return !epoch || b->feed_swept != epoch;
}

/* Where writers take turns: note the event of record seq (written by
 * write_pending). */
static int append_sequenced(bo_book *b, int64_t seq)
{
    int rc;
    if (!b->feed_tx) {
        b->feed_seq0 = 0;
        b->feed_rolled = 0;
    }
    if (b->feed_seq0 && !b->feed_valid) {
        /* A level rolled back since: the records from seq on are new. */
        if (seq >= b->feed_seq0 && seq < b->feed_end)
            b->feed_end = seq;
        if ((rc = write_pending(b)))
            return rc;
    }
    if (!b->feed_valid) {
        /* First event of the transaction: queue the wake-up now, so the
         * commit runs no statement of ours first (NOTIFY is delivered at
         * commit, dropped by a rollback). */
        int64_t last = 0;
        int sweep = sweep_due(b);
        b->feed_sweeping = sweep ? bo__store_mode_epoch(b->store) : 0;
        if ((rc = bo__store_notify(b->store, FEED_CHANNEL)) ||
            (rc = bo__store_row(b->store, sweep ? SQL_LAST_SWEEP : SQL_LAST, NULL, ">i",
                                &last)))
            return rc;
        b->feed_next = last + 1;
        b->feed_valid = 1;
    }
    if (b->feed_seq0 && b->feed_rolled && seq >= b->feed_seq0 && seq < b->feed_end) {
        /* The records after seq were rolled back: their numbers are used
         * again, with the same positions. */
        b->feed_end = seq;
        if (b->feed_done > seq)
            b->feed_done = seq;
    }
    if (!b->feed_seq0 || seq != b->feed_end) {
        /* A new run of records (the first of the transaction). */
        if ((rc = write_pending(b)))
            return rc;
        int64_t next = b->feed_seq0 ? b->feed_end + b->feed_off : b->feed_next;
        if (!b->feed_seq0)
            b->feed_pos0 = next;
        b->feed_seq0 = seq;
        b->feed_off = next - seq;
        b->feed_done = seq;
    }
    b->feed_end = seq + 1;
    b->feed_next = b->feed_end + b->feed_off;
    b->feed_tx++;
    return 0;
}

int bo__feed_append(bo_book *b, int64_t seq, const char *at, const char *action,
                    const char *object)
{
    if (from_log(b)) {
        /* The record is the event: only the span of the transaction's
         * records is noted (when to prune). */
        if (!b->feed_tx)
            b->feed_seq0 = b->feed_end = seq;
        if (seq < b->feed_seq0)
            b->feed_seq0 = seq;
        if (seq >= b->feed_end)
            b->feed_end = seq + 1;
        b->feed_tx++;
        return 0;
    }
    if (sequenced_here(b))
        return append_sequenced(b, seq);
    if (b->audit_lane > 0) { /* written before the commit: lane_write */
        lane_note(b, seq);
        b->feed_tx++;
        return 0;
    }
    int rc = bo__store_run(b->store, SQL_APPEND, "iIttt", seq, (int64_t)0, at, action, object);
    if (rc)
        return rc;
    b->feed_tx++;
    return 0;
}

/* "YYYY-MM-DDTHH:MM:SS.000Z", days before now: the oldest time kept. */
static void cutoff_iso(int64_t days, char out[64])
{
    time_t t = time(NULL) - (time_t)(days * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int retention_days(bo_book *b, int64_t *days)
{
    int rc = bo__setting_int(b, "feed", "retention_days", BO_FEED_RETENTION_DEFAULT, days);
    if (!rc && (*days < BO_FEED_RETENTION_MIN || *days > BO_FEED_RETENTION_MAX))
        *days = BO_FEED_RETENTION_DEFAULT;
    return rc;
}

/* Inside a write transaction: remove the events older than the retention,
 * a prefix of the positions only (an event recorded under a clock that
 * went back stops the pruning there: nothing kept has a hole before it),
 * always keeping the newest. */
static int prune(bo_book *b, int64_t *removed)
{
    int64_t days, last = 0, keep = 0;
    int found = 0, rc;
    *removed = 0;
    if ((rc = write_pending(b)) || (rc = retention_days(b, &days)) ||
        (rc = bo__store_row(b->store, sql_last(b), NULL, ">i", &last)))
        return rc;
    char cut[64];
    cutoff_iso(days, cut);
    if (from_log(b)) {
        if ((rc = bo__store_row(b->store, SQL_LOG_KEEP_KEPT, &found, "t>i", cut, &keep)))
            return rc;
        if (!found && (rc = bo__store_row(b->store, SQL_LOG_KEEP_FROM, &found, "t>i", cut,
                                          &keep)))
            return rc;
    } else if ((rc = bo__store_row(b->store, SQL_KEEP_FROM, &found, "t>i", cut, &keep))) {
        return rc;
    }
    if (!found || keep > last)
        keep = last;
    if (keep <= 1)
        return 0;
    if (from_log(b)) {
        /* The low-water mark: the records before keep stay in audit_log. */
        if ((rc = bo__store_row(b->store, SQL_LOG_PRUNED, NULL, "i>i", keep, removed)) ||
            (rc = bo__store_run(b->store, SQL_LOG_PRUNE_KEPT, "i", keep)))
            return rc;
        return *removed ? bo__store_run(b->store, SQL_LOG_PRUNE, "ii", keep, keep) : 0;
    }
    if ((rc = bo__store_run(b->store, SQL_PRUNE, "i", keep)))
        return rc;
    *removed = bo__store_changes(b->store);
    return 0;
}

int bo__feed_settle(bo_book *b)
{
    return write_pending(b);
}

int bo__feed_flush(bo_book *b)
{
    if (!b->feed_tx)
        return 0;
    int rc;
    if (from_log(b)) {
        /* Crossed a multiple of PRUNE_EVERY records: prune. */
        int64_t removed;
        if (b->feed_seq0 / PRUNE_EVERY != b->feed_end / PRUNE_EVERY &&
            (rc = prune(b, &removed)))
            return rc;
        return 0;
    }
    if (sequenced_here(b)) {
        if ((rc = write_pending(b)))
            return rc;
        /* Crossed a multiple of PRUNE_EVERY: prune (bounded by retention,
         * whatever the consumers do). */
        int64_t removed;
        if (b->feed_seq0 && b->feed_pos0 / PRUNE_EVERY != b->feed_next / PRUNE_EVERY &&
            (rc = prune(b, &removed)))
            return rc;
        /* After a rollback inside it, feed_next may count records that
         * are gone: the next transaction reads the last position again. */
        if (b->feed_rolled)
            b->feed_valid = 0;
    } else if (lane_pending(b)) {
        return lane_write(b);
    }
    return 0;
}

/* The sequencer (writers side by side): one short transaction positions up
 * to SEQ_BATCH committed events. *done: how many. */
static int sequence_once(bo_book *b, int64_t *done)
{
    *done = 0;
    /* Not SERIALIZABLE: its predicate read of the unpositioned events would
     * make every writer in flight (whose event it cannot see yet) a pivot
     * between it and the writers that committed. The lock, not the
     * isolation level, keeps sequencers apart (a snapshot transaction that
     * may write, on PostgreSQL). */
    int rc = bo__store_begin(b->store, 0);
    if (rc)
        return rc;
    int64_t n = 0, last = 0;
    if ((rc = bo__store_exec(b->store, SQL_SEQ_LOCK)) ||
        (rc = bo__store_row(b->store, SQL_LAST, NULL, ">i", &last)) ||
        (rc = bo__store_run(b->store, SQL_SET_POSITIONS, "i", last)))
        goto out;
    n = bo__store_changes(b->store);
    if (!rc && n && (last + n) / PRUNE_EVERY != last / PRUNE_EVERY) {
        int64_t removed;
        rc = prune(b, &removed);
    }
    if (!rc && n)
        rc = bo__store_notify(b->store, FEED_CHANNEL);
out:
    if (!rc) {
        rc = bo__store_commit(b->store);
        if (!rc)
            *done = n;
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(b->store);
        bo__error_restore(&es);
    }
    return rc;
}

/* Position every committed event (writers side by side), retrying a
 * conflict a few times. Outside a transaction. */
static int sequence(bo_book *b)
{
    int found = 0, rc;
    if ((rc = bo__store_row(b->store, SQL_PENDING_ANY, &found, "")) || !found)
        return rc;
    for (int attempt = 0; attempt < 8;) {
        int64_t done;
        rc = sequence_once(b, &done);
        if (rc == BO_ECONFLICT) {
            attempt++;
            continue;
        }
        if (rc || done < SEQ_BATCH)
            return rc;
    }
    return rc;
}

/* Writers side by side do not run the sequencer after their commit (a
 * second transaction, a second WAL flush per command): their events wait,
 * committed and unpositioned, for the next reader (in_snapshot: bo_feed_read,
 * bo_feed_head, bo_feed_wait, consumers) or bo_feed_prune, which positions
 * everything committed before it in one short transaction. */
void bo__feed_committed(bo_book *b)
{
    b->feed_tx = 0;
    /* Swept and no level rolled back since (forget_tx, src/core/tx.c):
     * nothing is left to position while the mode's hold lasts. */
    if (b->feed_sweeping && b->feed_valid)
        b->feed_swept = b->feed_sweeping;
    b->feed_sweeping = 0;
}

/* ---- checks ---------------------------------------------------------------- */

static int check_consumer(const char *name)
{
    if (!name)
        return bo__error_set(BO_EINVAL, "consumer: NULL");
    size_t n = strlen(name);
    if (n == 0)
        return bo__error_set(BO_EINVAL, "consumer: empty");
    if (n > BO_FEED_CONSUMER_MAX)
        return bo__error_set(BO_EINVAL, "consumer: %zu bytes, at most %d", n,
                             BO_FEED_CONSUMER_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return bo__error_set(BO_EINVAL, "consumer: byte 0x%02x at %zu is not a letter, "
                                 "digit, '_', '-' or '.'", c, i + 1);
    }
    return 0;
}

/* Inside a transaction: the feed's bounds, and whether a reader at after
 * can go on. who: "after" or "consumer 'x'". */
static int check_after(bo_book *b, int64_t after, const char *who, int64_t *last)
{
    int64_t first = 0;
    int rc = bo__store_row(b->store, from_log(b) ? SQL_LOG_BOUNDS : SQL_BOUNDS, NULL, ">ii",
                           &first, last);
    if (rc)
        return rc;
    if (first > 0 && after + 1 < first)
        return bo__error_set(BO_EEXPIRED, "%s: position %" PRId64 " is past the feed's "
                             "retention: events %" PRId64 " to %" PRId64 " were pruned "
                             "(the oldest kept is %" PRId64 ")", who, after, after + 1,
                             first - 1, first);
    if (after > *last)
        return bo__error_set(BO_EINVAL, "%s: position %" PRId64 " is beyond the feed's "
                             "last position %" PRId64, who, after, *last);
    return 0;
}

/* ---- reading --------------------------------------------------------------- */

static const bo__col read_cols[] = {
    { "position", BO_TYPE_INT }, { "event_id", BO_TYPE_INT }, { "at", BO_TYPE_TEXT },
    { "kind", BO_TYPE_TEXT }, { "object", BO_TYPE_TEXT },
};
#define NCOLS 5

/* A read snapshot (or the open transaction) around fn. */
static int in_snapshot(bo_book *b, int (*fn)(bo_book *, void *), void *ctx)
{
    int rc;
    if (b->depth > 0) {
        if ((rc = bo__tx_usable(b)) || (rc = write_pending(b)))
            return rc;
        return fn(b, ctx);
    }
    if (!sequenced_here(b) && (rc = sequence(b)))
        return rc;
    if ((rc = bo__store_begin(b->store, 0)))
        return rc;
    rc = fn(b, ctx);
    bo__error_state es;
    bo__error_save(&es);
    bo__store_rollback(b->store);
    return bo__error_restore(&es);
}

struct read_ctx {
    int64_t after;
    int limit;
    const char *who;
    bo__cell *cells;
    size_t nrows;
};

static int read_rows(bo_book *b, void *p)
{
    struct read_ctx *c = p;
    int64_t last;
    int rc = check_after(b, c->after, c->who, &last);
    if (rc)
        return rc;
    int64_t want = last - c->after < c->limit ? last - c->after : c->limit;
    c->cells = bo__calloc(want > 0 ? (size_t)want * NCOLS : 1, sizeof *c->cells);
    if (!c->cells)
        return BO_ENOMEM;
    /* From audit_log: the kept events first (their positions come before
     * the others'), then the records in their own order (the rowid's: no
     * sort of the expression seq + shift). */
    const char *const sqls[2] = { from_log(b) ? SQL_LOG_READ_KEPT : SQL_READ,
                                  from_log(b) ? SQL_LOG_READ : NULL };
    for (int q = 0; q < 2 && sqls[q] && (int64_t)c->nrows < want; q++) {
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, sqls[q], &s)))
            return rc;
        if ((rc = bo__stmt_bind(s, "ii", c->after, want - (int64_t)c->nrows))) {
            bo__stmt_done(s);
            return rc;
        }
        while ((int64_t)c->nrows < want && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo__cell *row = c->cells + c->nrows * NCOLS;
            for (int i = 0; i < NCOLS; i++) {
                row[i].type = read_cols[i].type;
                if (read_cols[i].type == BO_TYPE_INT) {
                    row[i].i = bo__stmt_col_int(s, i);
                } else if (!(row[i].text = bo__strdup(bo__stmt_col_text(s, i)))) {
                    bo__stmt_done(s);
                    c->nrows++;
                    return BO_ENOMEM;
                }
            }
            c->nrows++;
        }
        bo__stmt_done(s);
        if (rc < 0)
            return rc;
    }
    /* Positions are gap-free: anything else is a damaged feed, never a skip. */
    for (size_t r = 0; r < c->nrows; r++)
        if (c->cells[r * NCOLS].i != c->after + 1 + (int64_t)r)
            return bo__error_set(BO_ECORRUPT, "feed_events: position %" PRId64 " is "
                                 "missing", c->after + 1 + (int64_t)r);
    return 0;
}

static int read_events(bo_book *b, int64_t after, int limit, const char *who,
                       bo__cell **cells, size_t *nrows)
{
    struct read_ctx c = { after, limit, who, NULL, 0 };
    int rc = in_snapshot(b, read_rows, &c);
    if (rc) {
        bo__cells_free(c.cells, c.nrows * NCOLS);
        return rc;
    }
    *cells = c.cells;
    *nrows = c.nrows;
    return 0;
}

int bo_feed_read(bo_book *book, int64_t after, int limit, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    if (after < 0)
        return bo__error_set(BO_EINVAL, "after: position %" PRId64 " is negative", after);
    if (limit < 1 || limit > BO_FEED_READ_MAX)
        return bo__error_set(BO_EINVAL, "limit: %d is outside 1..%d", limit,
                             BO_FEED_READ_MAX);
    int rc = bo__require(book, BO__P_AUDIT_READ);
    if (rc)
        return rc;
    bo__cell *cells = NULL;
    size_t n = 0;
    if ((rc = read_events(book, after, limit, "after", &cells, &n)))
        return rc;
    return bo__cursor_rows(read_cols, NCOLS, cells, n, out);
}

struct head_ctx {
    int64_t first, last;
};

static int head_rows(bo_book *b, void *p)
{
    struct head_ctx *c = p;
    return bo__store_row(b->store, from_log(b) ? SQL_LOG_BOUNDS : SQL_BOUNDS, NULL, ">ii",
                         &c->first, &c->last);
}

static int head(bo_book *b, int64_t *first, int64_t *last)
{
    struct head_ctx c = { 0, 0 };
    int rc = in_snapshot(b, head_rows, &c);
    if (!rc) {
        if (first)
            *first = c.first;
        *last = c.last;
    }
    return rc;
}

int bo_feed_head(bo_book *book, int64_t *first, int64_t *last)
{
    bo__error_clear();
    if (!book || !last)
        return bo__error_set(BO_EINVAL, "book/last: NULL");
    int rc = bo__require(book, BO__P_AUDIT_READ);
    return rc ? rc : head(book, first, last);
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int bo_feed_wait(bo_book *book, int64_t after, int timeout_ms, int64_t *last)
{
    bo__error_clear();
    if (!book || !last)
        return bo__error_set(BO_EINVAL, "book/last: NULL");
    if (after < 0)
        return bo__error_set(BO_EINVAL, "after: position %" PRId64 " is negative", after);
    if (timeout_ms < 0)
        return bo__error_set(BO_EINVAL, "timeout_ms: %d is negative", timeout_ms);
    if (book->depth > 0)
        return bo__error_set(BO_ESTATE, "wait: a transaction is open; commit or roll "
                             "it back first");
    int rc = bo__require(book, BO__P_AUDIT_READ);
    if (rc)
        return rc;
    /* Listen before looking, so a commit in between still wakes us. */
    int notified = bo__store_listen(book->store, FEED_CHANNEL) == 0;
    bo__error_clear();
    int64_t end = now_ms() + timeout_ms;
    for (;;) {
        if ((rc = head(book, NULL, last)) || *last > after)
            return rc;
        int64_t left = end - now_ms();
        if (left <= 0)
            return 0;
        if (notified) {
            /* Side by side, a commit notifies nobody (readers position its
             * events): look again every POLL_MS as well. */
            int woken, ms = !sequenced_here(book) && left > POLL_MS ? POLL_MS : (int)left;
            if ((rc = bo__store_wait(book->store, ms, &woken)))
                return rc;
        } else {
            sleep_ms(left < POLL_MS ? (int)left : POLL_MS);
        }
    }
}

/* ---- retention ------------------------------------------------------------- */

static int retention_tx(bo_book *b, void *p)
{
    int rc = bo__setting_put_int(b, "feed", "retention_days", *(int *)p);
    return rc ? rc : bo__audit_append(b, "feed.retention.set", "setting:feed.retention_days",
                                      "");
}

int bo_feed_retention_set(bo_book *book, int days)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_BOOK_ADMIN);
    if (rc)
        return rc;
    if (days < BO_FEED_RETENTION_MIN || days > BO_FEED_RETENTION_MAX)
        return bo__error_set(BO_EINVAL, "days: %d is outside %d..%d", days,
                             BO_FEED_RETENTION_MIN, BO_FEED_RETENTION_MAX);
    return bo__write(book, retention_tx, &days);
}

int bo_feed_retention(bo_book *book, int *days)
{
    bo__error_clear();
    if (!book || !days)
        return bo__error_set(BO_EINVAL, "book/days: NULL");
    int64_t d;
    int rc = retention_days(book, &d);
    if (!rc)
        *days = (int)d;
    return rc;
}

int bo__feed_compact(bo__store *st)
{
    int yes = 0, rc = bo__feed_has_log(st, &yes);
    if (rc || !yes)
        return rc;
    for (int i = 0; !rc && bo__feed_compact_sql[i]; i++)
        rc = bo__store_exec(st, bo__feed_compact_sql[i]);
    return rc;
}

static int prune_tx(bo_book *b, void *p)
{
    return prune(b, p);
}

int bo_feed_prune(bo_book *book, int64_t *removed)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_BOOK_ADMIN);
    if (rc)
        return rc;
    if (book->depth == 0 && !sequenced_here(book) && (rc = sequence(book)))
        return rc;
    int64_t n = 0;
    rc = bo__write(book, prune_tx, &n);
    if (!rc && removed)
        *removed = n;
    return rc;
}

/* ---- consumers ------------------------------------------------------------- */

int bo_feed_position(bo_book *book, const char *consumer, int64_t *position)
{
    bo__error_clear();
    if (!book || !position)
        return bo__error_set(BO_EINVAL, "book/position: NULL");
    *position = 0;
    int rc = check_consumer(consumer);
    if (!rc)
        rc = bo__require(book, BO__P_AUDIT_READ);
    return rc ? rc : bo__store_row(book->store, SQL_CONSUMER, NULL, "t>i", consumer, position);
}

struct save_ctx {
    const char *consumer;
    int64_t position;
    /* consume: the event and its handler */
    const bo_feed_event *ev;
    bo_feed_handler fn;
    void *user;
};

static int save(bo_book *b, const char *consumer, int64_t position)
{
    int64_t saved = 0, last = 0;
    int rc = write_pending(b);
    if (!rc)
        rc = bo__store_row(b->store, SQL_CONSUMER, NULL, "t>i", consumer, &saved);
    if (!rc)
        rc = bo__store_row(b->store, sql_last(b), NULL, ">i", &last);
    if (rc)
        return rc;
    if (position <= saved)
        return bo__error_set(BO_ESEQUENCE, "position: %" PRId64 " is not after the "
                             "position consumer '%s' saved, %" PRId64, position, consumer,
                             saved);
    if (position > last)
        return bo__error_set(BO_EINVAL, "position: %" PRId64 " is beyond the feed's last "
                             "position %" PRId64, position, last);
    char at[64];
    bo__now_iso(at);
    return bo__store_run(b->store, SQL_CONSUMER_PUT, "tit", consumer, position, at);
}

static int save_tx(bo_book *b, void *p)
{
    struct save_ctx *c = p;
    return save(b, c->consumer, c->position);
}

int bo_feed_save(bo_book *book, const char *consumer, int64_t position)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = check_consumer(consumer);
    if (rc)
        return rc;
    if (position < 0)
        return bo__error_set(BO_EINVAL, "position: %" PRId64 " is negative", position);
    if ((rc = bo__require(book, BO__P_AUDIT_READ)))
        return rc;
    struct save_ctx c = { consumer, position, NULL, NULL, NULL };
    return bo__write_checked(book, save_tx, &c);
}

static int consume_tx(bo_book *b, void *p)
{
    struct save_ctx *c = p;
    int rc = c->fn(b, c->ev, c->user);
    if (rc > 0)
        rc = bo__error_set(BO_ERROR, "handler: returned %d for position %" PRId64, rc,
                           c->ev->position);
    else if (rc < 0 && !bo_error_message()[0])
        bo__error_set(rc, "handler: failed at position %" PRId64, c->ev->position);
    return rc ? rc : save(b, c->consumer, c->ev->position);
}

#define CONSUME_BATCH 100

int bo_feed_consume(bo_book *book, const char *consumer, int max_events,
                    bo_feed_handler handler, void *user, int *consumed)
{
    bo__error_clear();
    if (consumed)
        *consumed = 0;
    if (!book || !handler)
        return bo__error_set(BO_EINVAL, "book/handler: NULL");
    int rc = check_consumer(consumer);
    if (rc)
        return rc;
    if (max_events < 1)
        return bo__error_set(BO_EINVAL, "max_events: %d is not positive", max_events);
    if (book->depth > 0)
        return bo__error_set(BO_ESTATE, "consume: runs its own transactions; commit or "
                             "roll back first");
    if ((rc = bo__require(book, BO__P_AUDIT_READ)))
        return rc;
    int64_t pos = 0, last = 0;
    if ((rc = bo__store_row(book->store, SQL_CONSUMER, NULL, "t>i", consumer, &pos)) ||
        (rc = head(book, NULL, &last)))
        return rc;
    char who[BO_FEED_CONSUMER_MAX + 16];
    snprintf(who, sizeof who, "consumer '%s'", consumer);
    int done = 0;
    while (done < max_events && pos < last) {
        int want = max_events - done < CONSUME_BATCH ? max_events - done : CONSUME_BATCH;
        bo__cell *cells = NULL;
        size_t n = 0;
        if ((rc = read_events(book, pos, want, who, &cells, &n)))
            return rc;
        for (size_t r = 0; !rc && r < n; r++) {
            bo__cell *row = cells + r * NCOLS;
            bo_feed_event ev = { row[0].i, row[1].i, row[2].text, row[3].text, row[4].text };
            struct save_ctx c = { consumer, ev.position, &ev, handler, user };
            /* The handler is the host's code: its transaction is the host's
             * (BO__STORE_HOST), never beside a posting at snapshot
             * isolation. */
            int was = bo__write_mode(book, BO__STORE_HOST);
            rc = bo__write(book, consume_tx, &c);
            bo__write_mode(book, was);
            if (!rc) {
                pos = ev.position;
                done++;
            }
        }
        bo__cells_free(cells, n * NCOLS);
        if (rc || n == 0)
            break;
    }
    if (consumed)
        *consumed = done;
    return rc;
}

/* ---- YAML ------------------------------------------------------------------- */

/* feed:
 *   retention_days: 30 */
int bo__cfg_section_feed(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "retention_days" };
    const bo__cfg_node *v[1];
    int rc = bo__cfg_kind(d, node, BO__CFG_MAP, "feed");
    if (rc || (rc = bo__cfg_fields(d, node, "feed", keys, v, 1)))
        return rc;
    if (v[0]) {
        int days;
        if ((rc = bo__cfg_int(d, v[0], "feed.retention_days", BO_FEED_RETENTION_MIN,
                              BO_FEED_RETENTION_MAX, &days)))
            return rc;
        if ((rc = bo_feed_retention_set(b, days)))
            return bo__cfg_apply_error(d, v[0], rc);
    }
    return 0;
}
