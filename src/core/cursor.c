/*
 * Cursors: a private statement plus a column description. The cursor holds
 * a reference to the store, so the book may be freed first.
 */
#include "core/book.h"

#include <string.h>

struct bo_cursor {
    bo__store *store;
    bo__stmt *stmt;
    const bo__col *cols;
    int ncols;
    int state; /* 0 before the first row, 1 on a row, 2 done */
    bo__cursor_row_fn on_row; /* computes columns in C, or NULL */
    int64_t row_arg;
    uint32_t put_mask;     /* columns set by row, this row */
    int64_t put[32];
    /* A cursor over rows held in memory (bo__cursor_rows): no statement. */
    bo__cell *cells;
    size_t nrows, row;
};

int bo__cursor_new(bo_book *b, const char *sql, const bo__col *cols, int ncols,
                   bo_cursor **out)
{
    *out = NULL;
    bo_cursor *c = bo__calloc(1, sizeof *c);
    if (!c)
        return BO_ENOMEM;
    int rc = bo__stmt_new(b->store, sql, &c->stmt);
    if (rc) {
        bo__free(c);
        return rc;
    }
    c->store = b->store;
    bo__store_retain(c->store);
    c->cols = cols;
    c->ncols = ncols;
    *out = c;
    return 0;
}

int bo__cursor_rows(const bo__col *cols, int ncols, bo__cell *cells,
                    size_t nrows, bo_cursor **out)
{
    *out = NULL;
    bo_cursor *c = bo__calloc(1, sizeof *c);
    if (!c) {
        bo__cells_free(cells, nrows * (size_t)ncols);
        return BO_ENOMEM;
    }
    c->cols = cols;
    c->ncols = ncols;
    c->cells = cells;
    c->nrows = nrows;
    *out = c;
    return 0;
}

void bo__cells_free(bo__cell *cells, size_t n)
{
    if (!cells)
        return;
    for (size_t i = 0; i < n; i++)
        bo__free(cells[i].text);
    bo__free(cells);
}

static const bo__cell *cell(const bo_cursor *c, int col)
{
    return &c->cells[(c->row - 1) * (size_t)c->ncols + (size_t)col];
}

bo__stmt *bo__cursor_stmt(bo_cursor *c)
{
    return c->stmt;
}

void bo__cursor_on_row(bo_cursor *c, bo__cursor_row_fn fn, int64_t arg)
{
    c->on_row = fn;
    c->row_arg = arg;
}

void bo__cursor_put_int(bo_cursor *c, int col, int64_t value)
{
    if (col < 0 || col >= 32 || col >= c->ncols)
        return;
    c->put[col] = value;
    c->put_mask |= (uint32_t)1 << col;
}

int bo_cursor_next(bo_cursor *c)
{
    bo__error_clear();
    if (!c)
        return bo__error_set(BO_EINVAL, "cursor: NULL");
    if (c->state == 2)
        return BO_ITEROVER;
    if (!c->stmt) {
        if (c->row == c->nrows) {
            c->state = 2;
            return BO_ITEROVER;
        }
        c->row++;
        c->state = 1;
        return 0;
    }
    int rc = bo__stmt_step(c->stmt);
    c->put_mask = 0;
    if (rc == BO_DRIVER_ROW && (!c->on_row || (rc = c->on_row(c, c->stmt, c->row_arg)) == 0)) {
        c->state = 1;
        return 0;
    }
    c->state = 2;
    return rc == BO_DRIVER_DONE ? BO_ITEROVER : rc;
}

int bo_cursor_column_count(const bo_cursor *c)
{
    return c ? c->ncols : 0;
}

const char *bo_cursor_column_name(const bo_cursor *c, int col)
{
    if (!c || col < 0 || col >= c->ncols)
        return NULL;
    return c->cols[col].name;
}

int bo_cursor_column_index(const bo_cursor *c, const char *name)
{
    if (!c || !name)
        return -1;
    for (int i = 0; i < c->ncols; i++)
        if (strcmp(c->cols[i].name, name) == 0)
            return i;
    return -1;
}

int bo_cursor_type(const bo_cursor *c, int col)
{
    if (!c || c->state != 1 || col < 0 || col >= c->ncols)
        return BO_TYPE_NULL;
    if (!c->stmt)
        return cell(c, col)->type;
    if (col < 32 && (c->put_mask >> col & 1))
        return BO_TYPE_INT;
    if (bo__stmt_is_null(c->stmt, col))
        return BO_TYPE_NULL;
    return c->cols[col].type;
}

int64_t bo_cursor_int(const bo_cursor *c, int col)
{
    if (bo_cursor_type(c, col) != BO_TYPE_INT)
        return 0;
    if (!c->stmt)
        return cell(c, col)->i;
    if (col < 32 && (c->put_mask >> col & 1))
        return c->put[col];
    return bo__stmt_col_int(c->stmt, col);
}

const char *bo_cursor_text(const bo_cursor *c, int col)
{
    if (bo_cursor_type(c, col) != BO_TYPE_TEXT)
        return NULL;
    return c->stmt ? bo__stmt_col_text(c->stmt, col) : cell(c, col)->text;
}

void bo_cursor_free(bo_cursor *c)
{
    if (!c)
        return;
    if (c->stmt) {
        bo__stmt_done(c->stmt);
        bo__store_release(c->store);
    }
    bo__cells_free(c->cells, c->nrows * (size_t)c->ncols);
    bo__free(c);
}
