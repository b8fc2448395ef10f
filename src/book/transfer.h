/*
 * The export format shared by export.c and import.c (docs/export-format.md):
 * part names, the roles of a table's columns in a record. Internal.
 */
#ifndef BO_BOOK_TRANSFER_H
#define BO_BOOK_TRANSFER_H

#include "book/walk.h"

#define BO__EXPORT_FORMAT "libbackoffice-book"
#define BO__EXPORT_MANIFEST "manifest.json"
#define BO__EXPORT_CONTENT "content/" /* + the SHA-256 of the bytes */
#define BO__EXPORT_BLOB "sha256:"    /* a bytes column's value: + the hash */
#define BO__EXPORT_COLS_MAX 64
#define BO__EXPORT_NAME_MAX 64

/* What a column of a table is in a record. */
enum { BO__XC_PLAIN, BO__XC_AMOUNT, BO__XC_RATE_NUM, BO__XC_RATE_DEN };

typedef struct bo__xcols {
    int n;
    char names[BO__EXPORT_COLS_MAX][BO__EXPORT_NAME_MAX];
    char types[BO__EXPORT_COLS_MAX];
    int kind[BO__EXPORT_COLS_MAX];
    int other[BO__EXPORT_COLS_MAX]; /* amount: its currency column (-1: the
                                       base currency); rate: the other half */
    const char *rate_key[BO__EXPORT_COLS_MAX];
} bo__xcols;

/* Split t's columns and mark the amounts and rates its domain lists. */
int bo__xcols_of(const bo__domain *d, const bo__table *t, bo__xcols *out);

/* The part holding t's records: "<domain>/<table>.jsonl". */
int bo__xpart_name(const bo__domain *d, const bo__table *t, char *out, size_t size);

/* The caller's options (NULL: the defaults), checked. */
int bo__transfer_options(const bo_transfer_options *opts, bo_transfer_options *out);

/* The GnuCash XML book data[0..len) read and checked as
 * bo_book_import_gnucash() does before it writes (gnucash.c); *accounts
 * and *entries (may be NULL) receive what it would write. For the fuzz
 * target and tests. */
int bo__gnucash_check(const char *data, size_t len, int64_t *accounts, int64_t *entries);

/* The journal data[0..len) in dialect (a bo_journal_dialect other than
 * AUTO) read and checked as bo_book_import_journal() does before it writes
 * (journal.c): *accounts and *entries (may be NULL) receive what it would
 * write. For the fuzz target and tests. */
int bo__journal_check(const char *data, size_t len, int dialect, int64_t *accounts,
                      int64_t *entries);

/* The whole file at path (at most 1 GiB) into *out (NUL-terminated, the
 * caller frees with bo__free), its length in *len (journal.c). */
int bo__read_file(const char *path, char **out, size_t *len);

/* The journal options (NULL: the defaults) checked into *out, the dialect
 * told from path's name when AUTO (journal.c). */
int bo__journal_options(const bo_journal_options *opts, const char *path,
                        bo_journal_options *out);

#endif
