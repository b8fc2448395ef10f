/**
 * @file backoffice/events.h
 * @brief After-commit events delivered to registered callbacks.
 *
 * Events are queued while a transaction is open and delivered, in order,
 * only after the outermost commit succeeds; a rollback drops them. Callbacks
 * run on the thread that committed, and may not use the book that delivers
 * them for writes (they may read).
 *
 * | event          | id             |
 * |----------------|----------------|
 * | entry.posted   | the entry's id |
 * | entry.reversed | the reversal's id |
 * | period.closed  | 0              |
 */
#ifndef BACKOFFICE_EVENTS_H
#define BACKOFFICE_EVENTS_H

#include "book.h"

BO_BEGIN_DECLS

/** An event callback: event name, the record's id, the user pointer. */
typedef void (*bo_event_fn)(const char *event, int64_t id, void *user);

/** Releases a user pointer when its subscription ends. */
typedef void (*bo_free_fn)(void *user);

/**
 * Call @p fn with @p user for every event named @p event ("*" for all)
 * committed through @p book. @p free_user (may be NULL) is called with
 * @p user when the subscription ends (unsubscribe or bo_book_free()).
 * @param id  receives a handle for bo_event_unsubscribe(); may be NULL.
 * @return 0, BO_EINVAL or BO_ENOMEM; on any failure free_user (if set) is
 *         called at once with @p user.
 */
BO_EXTERN(int) bo_event_subscribe(bo_book *book, const char *event,
                                  bo_event_fn fn, void *user,
                                  bo_free_fn free_user, int *id);

/**
 * End subscription @p id.
 * @return 0 or BO_ENOTFOUND.
 */
BO_EXTERN(int) bo_event_unsubscribe(bo_book *book, int id);

BO_END_DECLS

#endif
