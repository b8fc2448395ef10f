/*
 * The change feed's hooks (src/core/feed.c): the audit chain appends an
 * event with each record and gives it its position (or, where writers run
 * side by side, the sequencer positions them right after the commit), and
 * queues the listeners' wake-up.
 */
#ifndef BO_CORE_FEED_H
#define BO_CORE_FEED_H

#include "core/book.h"
#include "core/config_check.h"

/* The event of audit record seq, inside its transaction. */
int bo__feed_append(bo_book *b, int64_t seq, const char *at, const char *action,
                    const char *object);
/* Inside a transaction: write the events of its records so far, so a
 * reader in the same transaction (the full verification) sees them. */
int bo__feed_settle(bo_book *b);
/* Before the outermost commit: prune now and then. */
int bo__feed_flush(bo_book *b);
/* After the outermost commit (writers side by side): position the events
 * committed so far. Never fails the commit: what is left is positioned by
 * the next commit or reader. */
void bo__feed_committed(bo_book *b);

/* SQLite (schema 22): set feed_log from feed_kept, moving its events to
 * audit_log's numbers where their positions allow (src/core/schema_core.c,
 * bo__feed_compact_sql); after a book's tables were read in (the import,
 * the copy). Nothing elsewhere. */
extern const char *const bo__feed_compact_sql[];
/* Whether st's book reads its feed from audit_log: a SQLite dialect (also
 * through a wrapping driver) and the table feed_log (*yes). */
int bo__feed_has_log(bo__store *st, int *yes);
/* At open, after the schema is made or upgraded: b->feed_log. */
int bo__feed_probe(bo_book *b);
int bo__feed_compact(bo__store *st);

/* The YAML section `feed:` (retention_days). */
int bo__cfg_section_feed(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node);

#endif
