/*
 * What the two SAF-T writers share (src/book/saft.c, the Financial file;
 * src/book/saft_cr.c, the Cash Register file).
 */
#ifndef BO_BOOK_SAFT_H
#define BO_BOOK_SAFT_H

#include "backoffice/book.h"
#include "store/store.h"
#include "util/util.h"
#include "util/xml.h"

#include <stddef.h>
#include <stdint.h>

/* One line "KEY VALUE" of a user mapping (into the copy of its text). */
typedef struct bo__saft_map {
    const char *key, *value;
} bo__saft_map;

/* s cut to at most max characters into buf (SAF-T's lengths count
 * characters); descriptions only, never identifiers or amounts. */
const char *bo__saft_cut(const char *s, size_t max, char *buf, size_t size);
/* The number of UTF-8 characters of s. */
size_t bo__saft_chars(const char *s);
/* Parse "KEY VALUE" lines (blank lines and '#' comments skipped) of text
 * into *out (n of them), keys and values pointing into *copy; the caller
 * frees *copy and *out with bo__free. field names the option in errors. */
int bo__saft_map_parse(const char *field, const char *text, char **copy, bo__saft_map **out,
                       size_t *n);
const char *bo__saft_map_find(const bo__saft_map *m, size_t n, const char *key);
/* 250000 ppm -> "25", 125000 -> "12.5". */
void bo__saft_percent(int64_t ppm, char *out, size_t size);
/* The selection's first and last day into from and to ("YYYY-MM-DD"):
 * opt_from and opt_to as given, or where they are BO_DATE_MIN/BO_DATE_MAX
 * the first and last of the dates sql reads (one row: MIN, MAX; today when
 * they are NULL); to is never before from. what names the records in the
 * error when sql reads no row. */
int bo__saft_period(bo__store *st, const char *sql, const char *what, bo_date opt_from,
                    bo_date opt_to, char from[16], char to[16]);

/* Begin writing a SAF-T file of book: its currency has at most two
 * decimals, no transaction is open, the actor holds perm (BO__P_ bits), and
 * a read transaction is begun for the whole file (bo__saft_end rolls it
 * back). */
int bo__saft_begin(bo_book *book, unsigned perm);
/* The temporary file beside path (util.h "files written out") and an XML
 * writer on it, its root element started. */
int bo__saft_open(bo__outfile *of, const char *path, bo__xml_writer **w, const char *root,
                  const char *ns);
/* End what bo__saft_begin and (if it ran) bo__saft_open began: with rc == 0
 * the document is finished and renamed over its target, otherwise the
 * temporary file is removed; the read transaction is rolled back either
 * way, keeping rc and its message. Returns the final code. */
int bo__saft_end(bo_book *book, bo__outfile *of, bo__xml_writer **w, int rc);

#endif
