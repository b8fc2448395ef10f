/*
 * Where imported records came from (src/book/provenance.c): one row per
 * source object (system, source book, source object id, the digest of
 * what the source said, our record), so importing a book again can tell
 * what is new, what changed and what went missing.
 */
#ifndef BO_BOOK_PROVENANCE_H
#define BO_BOOK_PROVENANCE_H

#include "core/domain.h"

extern const bo__domain bo__domain_provenance;

/* What the book holds for one source book: rows sorted by object. */
typedef struct bo__prov_row {
    char *object, *digest, *record, *attrs;
    int seen; /* set by the caller while it compares */
} bo__prov_row;
int bo__prov_load(bo_book *b, const char *system, const char *source, bo__prov_row **rows,
                  size_t *n);
void bo__prov_free(bo__prov_row *rows, size_t n);
/* The row of object, or NULL (rows sorted by object). */
bo__prov_row *bo__prov_find(bo__prov_row *rows, size_t n, const char *object);
/* Write (insert or replace) one row, inside the caller's write; attrs:
 * what the source says that our record has no place for ("placeholder
 * hidden", "reconcile=nyc void=REASON"), or NULL. */
int bo__prov_put(bo_book *b, const char *system, const char *source, const char *object,
                 const char *digest, const char *record, const char *attrs);
/* After the rows of a source book were written: its audit record
 * ("book.provenance.record", object "provenance:SYSTEM:SOURCE", detail the
 * count of rows written). */
int bo__prov_seal(bo_book *b, const char *system, const char *source, int64_t written);

/* One line of a comparison: the change ("added", "changed", "missing"),
 * the kind of source object ("account", "transaction"), its id, our
 * record (empty for an added one). */
typedef struct bo__prov_diff {
    bo__cell *cells;
    size_t n, cap;
} bo__prov_diff;
int bo__prov_diff_add(bo__prov_diff *d, const char *change, const char *kind,
                      const char *object, const char *record);
/* One object an importer read, to compare with what the book holds of
 * its source: kind ("account", "transaction"), its id, the digest of what
 * the source says; write is set when the book holds nothing of it. */
typedef struct bo__prov_item {
    const char *kind, *object, *digest;
    int write;
} bo__prov_item;
/* Compare items (in the source's order) with rows (bo__prov_load): each
 * new one is marked write and added to d as "added", each whose digest
 * differs as "changed", then each row no item matches as "missing" (its
 * kind "account" when its record is "account:...", "price" when its attrs
 * start "price ", else "transaction"); counts[0..2] added, changed,
 * missing. */
int bo__prov_compare(bo__prov_row *rows, size_t n, bo__prov_item *items, size_t nitems,
                     bo__prov_diff *d, int counts[3]);
/* One object of the source (kind, id, digest) against rows: not there,
 * *write is set and it is "added" (counts[0]); there with another digest,
 * "changed" (counts[1]); the row is marked seen and returned in *row (NULL
 * when added; row may be NULL). The importers that keep their own model
 * call it per object, then bo__prov_missing. */
int bo__prov_compare_one(bo__prov_row *rows, size_t n, const char *kind, const char *object,
                         const char *digest, int *write, bo__prov_row **row, bo__prov_diff *d,
                         int counts[3]);
/* Each row no object matched, as "missing" (counts[2]), its kind told by
 * its record or attrs (account, price, party, tax table, invoice, else
 * transaction). */
int bo__prov_missing(bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3]);
/* A cursor over the lines (d is emptied). */
int bo__prov_diff_cursor(bo__prov_diff *d, bo_cursor **out);
void bo__prov_diff_free(bo__prov_diff *d);

#endif
