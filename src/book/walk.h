/*
 * The whole-book table walk shared by the copy (copy.c), the export
 * (export.c) and the import (import.c): every table of every domain, the
 * core first, in reference order (parents before the rows that name them),
 * rows in key order, from one read snapshot. Internal.
 */
#ifndef BO_BOOK_WALK_H
#define BO_BOOK_WALK_H

#include "book/domains.h"

/* What the walk hands each table's rows to. rd is positioned on a row whose
 * columns are t->columns in order. Any non-zero return stops the walk. */
typedef struct bo__walk_sink {
    int (*begin)(void *u, const bo__domain *d, const bo__table *t, int64_t total);
    int (*row)(void *u, const bo__table *t, bo__stmt *rd);
    int (*end)(void *u, const bo__table *t, int64_t rows);
} bo__walk_sink;

/* Walk every table of src, in one read snapshot, with progress (may be
 * NULL) every 1000 rows and at each table's end. */
int bo__walk_book(bo__store *src, const bo__walk_sink *sink, void *u,
                  bo_progress_fn progress, void *user);

/* The INSERT of every column of t, one parameter each ("?"). */
int bo__walk_insert_sql(const bo__table *t, bo__buf *out);

/* Begin the write that fills the freshly created, empty store dst: its
 * schema is created, and the schema's own rows (version, owner role) are
 * removed, to come from the source like everything else. BO_EEXISTS when
 * dst already holds a book. On error nothing stays open. */
int bo__walk_fresh(bo__store *dst);

/* After a table is filled: the store's identity counter follows its keys. */
int bo__walk_table_done(bo__store *dst, const bo__table *t);

/* Roll dst back keeping the first error. */
int bo__walk_abort(bo__store *dst);

#endif
