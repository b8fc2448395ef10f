/*
 * The CSV reader of the onboarding imports (onboard.c, onboard_csv.c):
 * RFC 4180 records and exact decimals. Internal.
 */
#ifndef BO_BOOK_CSV_H
#define BO_BOOK_CSV_H

#include <stddef.h>
#include <stdint.h>

#define CSV_FIELDS 16

/* One CSV record at *pp (quotes, "" inside quotes, CRLF); the fields are
 * copied into fields[]. *lines: the lines it took. Returns the number of
 * fields, or < 0 naming path:line. */
int bo__csv_record(const char *path, int line, const char **pp, const char *end,
                   char *fields[CSV_FIELDS], int *lines);

/* The start of a CSV text of len bytes at data: past a byte-order mark
 * into *pp; 0, or BO_EUTF8 naming path when the text is not UTF-8. */
int bo__csv_start(const char *path, const char *data, size_t len, const char **pp);

/* The next record at *pp that is not a blank line (a blank line's field
 * is freed), read from line *line on (*line moves past it; *at: the line
 * it starts on): its number of fields, 0 at the end of the text, or < 0
 * naming path:line. */
int bo__csv_next(const char *path, int *line, const char **pp, const char *end,
                 char *fields[CSV_FIELDS], int *at);

/* "1,234.50" or "-12.5" at exp decimals, exactly: 0, 1 (finer than exp
 * decimals, never rounded), BO_EOVERFLOW or BO_EINVAL. */
int bo__csv_decimal(const char *s, int exp, int64_t *out);

#endif
