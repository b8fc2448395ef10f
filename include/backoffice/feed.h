/**
 * @file backoffice/feed.h
 * @brief The change feed: every committed command, once, in commit order.
 *
 * Every audit record a command writes (a posting, a sale, a receipt, an
 * invoice, a payslip, a setting ...) becomes one event of the book's feed,
 * written in the command's own transaction: nothing commits without its
 * event and no event exists without its commit. An event has a stable id
 * (the number of its audit record), its kind (the audit action, such as
 * "ledger.entry.post" or "inventory.sale.post"), the record it made or changed (the audit
 * object) and a position: 1, 2, 3 ... per book, without gaps, given in
 * commit order, so a reader that asks for the events after the last
 * position it saw never misses one that commits later
 * (docs/architecture.md, "The change feed").
 *
 * Any process may read the feed from any position still kept: events
 * older than the retention (bo_feed_retention_set(), YAML `feed:
 * retention_days`) are pruned, and reading from a position before the
 * oldest kept event is BO_EEXPIRED naming the position, never a silent
 * skip. A consumer keeps its position in the book (bo_feed_save()) in the
 * same transaction as what it did with the events, so its effect happens
 * once even when it is killed in between (bo_feed_consume()). Consumers
 * never hold back commits or pruning.
 *
 * Reading needs the "audit.read" permission; retention and pruning
 * "book.admin".
 */
#ifndef BACKOFFICE_FEED_H
#define BACKOFFICE_FEED_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** Longest consumer name in bytes: ASCII letters, digits, '_', '-', '.'. */
#define BO_FEED_CONSUMER_MAX 64
/** Most events one bo_feed_read() returns. */
#define BO_FEED_READ_MAX 10000
/** Shortest retention in days. */
#define BO_FEED_RETENTION_MIN 1
/** Longest retention in days. */
#define BO_FEED_RETENTION_MAX 3660
/** Retention in days of a book that never set one. */
#define BO_FEED_RETENTION_DEFAULT 30

/** One event, as a consumer's handler sees it (texts borrowed for the
 *  duration of the call). */
typedef struct bo_feed_event {
    int64_t position; /**< gap-free, in commit order, from 1 */
    int64_t event_id; /**< stable: the number of its audit record */
    const char *at;     /**< when it was recorded, "YYYY-MM-DDTHH:MM:SS.mmmZ" */
    const char *kind;   /**< the command's kind (the audit action) */
    const char *object; /**< the record it made or changed (the audit object) */
} bo_feed_event;

/**
 * The events after position @p after, in position order, at most @p limit.
 * Columns: position (int), event_id (int), at (text), kind (text),
 * object (text). Read in one snapshot, so the check of @p after and the
 * rows agree.
 * @param after  0 for the whole feed, else the last position already seen.
 * @param limit  1 to BO_FEED_READ_MAX.
 * @return 0; BO_EINVAL for a negative @p after, a @p limit out of range or
 *         an @p after beyond the last position; BO_EEXPIRED when events
 *         after @p after were pruned (the message names the position and
 *         the oldest one kept); BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_read(bo_book *book, int64_t after, int limit, bo_cursor **out);

/**
 * The last position of the feed (0 when it is empty) in @p last, and the
 * oldest position still kept in @p first (may be NULL; 0 when empty).
 * @return 0, BO_EINVAL or BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_head(bo_book *book, int64_t *first, int64_t *last);

/**
 * Wait until the feed holds an event after @p after or @p timeout_ms pass:
 * on PostgreSQL woken by the writers' NOTIFY, elsewhere by polling every
 * 50 ms. @p last gets the last position (greater than @p after when
 * events came). Not inside a transaction.
 * @return 0 (also on a timeout); BO_EINVAL, BO_ESTATE inside a
 *         transaction, BO_EDENIED, or a store error.
 */
BO_EXTERN(int) bo_feed_wait(bo_book *book, int64_t after, int timeout_ms, int64_t *last);

/**
 * Keep events for @p days days (BO_FEED_RETENTION_MIN..MAX): older ones
 * are pruned as the feed grows and by bo_feed_prune(). The newest event is
 * always kept, so positions never start again.
 * @return 0, BO_EINVAL (naming days) or BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_retention_set(bo_book *book, int days);

/**
 * The retention in days (BO_FEED_RETENTION_DEFAULT when never set).
 * @return 0, BO_EINVAL or a store error.
 */
BO_EXTERN(int) bo_feed_retention(bo_book *book, int *days);

/**
 * Remove the events older than the retention now (the newest is kept).
 * Commits prune by themselves every 256 events; this is for a book that
 * stopped writing. @p removed (may be NULL) gets how many were removed.
 * @return 0, BO_EDENIED, BO_ESTATE inside a failed transaction, or a
 *         store error.
 */
BO_EXTERN(int) bo_feed_prune(bo_book *book, int64_t *removed);

/**
 * The position consumer @p consumer saved (0 when it never saved one).
 * @return 0; BO_EINVAL naming consumer when the name is empty, too long or
 *         has a character outside [A-Za-z0-9_.-]; BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_position(bo_book *book, const char *consumer, int64_t *position);

/**
 * Save @p position as consumer @p consumer's position, in the open
 * transaction when there is one (so it commits with what the consumer did
 * with the events up to it), else in its own.
 * @return 0; BO_EINVAL for a bad name, a negative position or one beyond
 *         the feed's last; BO_ESEQUENCE when @p position is not after the
 *         saved one (another run of the same consumer got there first);
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_save(bo_book *book, const char *consumer, int64_t position);

/**
 * A consumer's handler: do what the event asks with @p book (writes join
 * the transaction the consumer's position is saved in). Return 0 to go on;
 * anything else rolls the event's transaction back and stops.
 */
typedef int (*bo_feed_handler)(bo_book *book, const bo_feed_event *event, void *user);

/**
 * Feed consumer @p consumer the events after its saved position, up to the
 * last one committed when the call starts and at most @p max_events: for
 * each, one transaction runs @p handler and saves the event's position, so
 * the handler's writes and the position commit together (a consumer killed
 * in between finds the event again, its writes gone). Not inside a
 * transaction.
 * @param consumed  (may be NULL) how many events were handled and saved.
 * @return 0; BO_EEXPIRED when the consumer's position is past the
 *         retention (the message names consumer and position); the
 *         handler's error; BO_EINVAL, BO_ESTATE inside a transaction,
 *         BO_ESEQUENCE when another run of the consumer saved first,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_feed_consume(bo_book *book, const char *consumer, int max_events,
                               bo_feed_handler handler, void *user, int *consumed);

BO_END_DECLS

#endif
