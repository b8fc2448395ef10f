/**
 * @file backoffice/cursor.h
 * @brief Cursors over query results, in SQLite's step style.
 *
 * Every listing and report returns a cursor. bo_cursor_next() moves to the
 * next row; typed getters read the current row. Each function that returns a
 * cursor documents its columns (names and types). Dates come back as
 * "YYYY-MM-DD" text, amounts as int64 minor units.
 *
 * A cursor holds a reference to its book's store, so a book may be freed
 * before its cursors. A cursor belongs to the thread using its book.
 */
#ifndef BACKOFFICE_CURSOR_H
#define BACKOFFICE_CURSOR_H

#include "common.h"

BO_BEGIN_DECLS

/** A cursor over rows (opaque). */
typedef struct bo_cursor bo_cursor;

/** Column value types. */
typedef enum bo_type {
    BO_TYPE_NULL = 0, /**< no value in this row */
    BO_TYPE_INT = 1,  /**< an int64 (amounts, ids, flags) */
    BO_TYPE_TEXT = 2  /**< UTF-8 text (codes, names, dates) */
} bo_type;

/**
 * Move to the next row.
 * @return 0 when a row is ready, BO_ITEROVER after the last row (and on every
 *         later call), or a negative error.
 */
BO_EXTERN(int) bo_cursor_next(bo_cursor *cursor);

/** Number of columns. */
BO_EXTERN(int) bo_cursor_column_count(const bo_cursor *cursor);

/** Name of column @p col (0-based), or NULL when out of range. Static. */
BO_EXTERN(const char *) bo_cursor_column_name(const bo_cursor *cursor, int col);

/** Index of the column called @p name, or -1. */
BO_EXTERN(int) bo_cursor_column_index(const bo_cursor *cursor, const char *name);

/** Type of column @p col in the current row (BO_TYPE_NULL if out of range
 *  or no row is ready). */
BO_EXTERN(int) bo_cursor_type(const bo_cursor *cursor, int col);

/** Integer value of column @p col in the current row (0 for NULL or a text
 *  column). */
BO_EXTERN(int64_t) bo_cursor_int(const bo_cursor *cursor, int col);

/** Text value of column @p col in the current row, or NULL for NULL.
 *  Borrowed: valid until the next bo_cursor_next() or bo_cursor_free(). */
BO_EXTERN(const char *) bo_cursor_text(const bo_cursor *cursor, int col);

/** Release the cursor. Accepts NULL. */
BO_EXTERN(void) bo_cursor_free(bo_cursor *cursor);

BO_END_DECLS

#endif
