/*
 * Rendering of results as aligned tables, CSV (RFC 4180 quoting) or JSON.
 *
 * Everything goes through one row source, filled either by a bo_cursor or
 * by a single record, so every listing command is a few lines. CSV and JSON
 * stream row by row (memory does not grow with the result); an aligned table
 * must see every row before printing the first.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- row sources --------------------------------------------------------- */

typedef struct source {
    int ncols;
    bo_cursor *cursor;       /* either a cursor ... */
    const cli_field *fields; /* ... or one record */
    int record_done;
} source;

static const char *src_name(const source *s, int col)
{
    if (s->cursor != NULL) {
        const char *n = bo_cursor_column_name(s->cursor, col);
        return n != NULL ? n : "?";
    }
    return s->fields[col].name;
}

static int src_next(source *s)
{
    if (s->cursor != NULL)
        return bo_cursor_next(s->cursor);
    if (s->record_done)
        return BO_ITEROVER;
    s->record_done = 1;
    return 0;
}

static int src_type(const source *s, int col)
{
    if (s->cursor != NULL)
        return bo_cursor_type(s->cursor, col);
    return s->fields[col].type;
}

static int64_t src_int(const source *s, int col)
{
    if (s->cursor != NULL)
        return bo_cursor_int(s->cursor, col);
    return s->fields[col].i;
}

static const char *src_text(const source *s, int col)
{
    if (s->cursor != NULL)
        return bo_cursor_text(s->cursor, col);
    return s->fields[col].text;
}

static int src_index(const source *s, const char *name)
{
    for (int i = 0; i < s->ncols; i++)
        if (strcmp(src_name(s, i), name) == 0)
            return i;
    return -1;
}

/* Columns that hold money, in minor units of the row's currency: these
 * names, and any name ending in "_" and one of them ("unit_price",
 * "base_amount", "ytd_total"). Cursors of every domain follow it. */
static int is_money_column(const char *name)
{
    static const char *const money[] = {
        "amount", "debit", "credit", "balance", "net", "tax", "gross", "total",
        "value", "cost", "price", "paid", "due", "discount"};
    const char *tail = strrchr(name, '_');
    for (size_t i = 0; i < sizeof money / sizeof money[0]; i++)
        if (strcmp(name, money[i]) == 0 || (tail && strcmp(tail + 1, money[i]) == 0))
            return 1;
    return 0;
}

/* Shared facts about the columns of a source. */
typedef struct layout {
    int *money;       /* per column: 1 if it holds money */
    int currency_col; /* index of "currency", or -1 */
    int depth_col;    /* index of "depth", or -1 */
    int name_col;     /* index of "name", or -1 */
    const char *default_currency;
} layout;

static int layout_init(layout *l, const source *s, const char *default_currency)
{
    l->money = calloc((size_t)s->ncols + 1, sizeof *l->money);
    if (l->money == NULL)
        return -1;
    for (int i = 0; i < s->ncols; i++)
        l->money[i] = is_money_column(src_name(s, i));
    l->currency_col = src_index(s, "currency");
    l->depth_col = src_index(s, "depth");
    l->name_col = src_index(s, "name");
    l->default_currency = default_currency;
    return 0;
}

/* The text of one cell for a table or CSV: NULL is "", money is a decimal
 * in the row's currency (the raw integer when the currency is unknown). */
static void cell_text(const source *s, const layout *l, int col, char *buf,
                      size_t size, const char **out)
{
    int type = src_type(s, col);
    if (type == BO_TYPE_NULL) {
        *out = "";
        return;
    }
    if (type == BO_TYPE_TEXT) {
        const char *t = src_text(s, col);
        *out = t != NULL ? t : "";
        return;
    }
    int64_t v = src_int(s, col);
    if (l->money[col]) {
        const char *cur = l->default_currency;
        if (l->currency_col >= 0 && src_type(s, l->currency_col) == BO_TYPE_TEXT)
            cur = src_text(s, l->currency_col);
        if (cur != NULL && bo_money_format(v, cur, buf, size) == 0) {
            *out = buf;
            return;
        }
    }
    snprintf(buf, size, "%lld", (long long)v);
    *out = buf;
}

/* ---- CSV ----------------------------------------------------------------- */

static void csv_field(const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int render_csv(cli *c, source *s, const layout *l)
{
    for (int i = 0; i < s->ncols; i++) {
        if (i > 0)
            putchar(',');
        csv_field(src_name(s, i));
    }
    putchar('\n');
    int rc;
    while ((rc = src_next(s)) == 0) {
        for (int i = 0; i < s->ncols; i++) {
            char buf[48];
            const char *t;
            cell_text(s, l, i, buf, sizeof buf, &t);
            if (i > 0)
                putchar(',');
            csv_field(t);
        }
        putchar('\n');
    }
    return rc == BO_ITEROVER ? 0 : cli_lib_error(c, rc);
}

/* ---- JSON ---------------------------------------------------------------- */

/* One row as an object, columns in order; amounts stay integers. */
static json_t *json_row(const source *s, int *bad_col)
{
    json_t *obj = json_object();
    if (obj == NULL)
        return NULL;
    for (int i = 0; i < s->ncols; i++) {
        json_t *v;
        int type = src_type(s, i);
        if (type == BO_TYPE_INT) {
            v = json_integer((json_int_t)src_int(s, i));
        } else if (type == BO_TYPE_TEXT && src_text(s, i) != NULL) {
            const char *t = src_text(s, i);
            v = json_stringn(t, strlen(t)); /* NULL for invalid UTF-8 */
        } else {
            v = json_null();
        }
        if (v == NULL || json_object_set_new(obj, src_name(s, i), v) != 0) {
            *bad_col = i;
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

static int json_print(json_t *obj)
{
    char *text = json_dumps(obj, JSON_PRESERVE_ORDER);
    if (text == NULL)
        return -1;
    fputs(text, stdout);
    free(text);
    return 0;
}

/* Listings are an array with one object per line; a single record is one
 * object. Returns an exit status. */
static int render_json(cli *c, source *s, int single)
{
    int rc, n = 0;
    if (!single)
        putchar('[');
    while ((rc = src_next(s)) == 0) {
        int bad = -1;
        json_t *obj = json_row(s, &bad);
        if (!single)
            fputs(n > 0 ? ",\n  " : "\n  ", stdout);
        if (obj == NULL || json_print(obj) != 0) {
            json_decref(obj);
            if (!single)
                fputs("\n]\n", stdout);
            fprintf(stderr, "backoffice: cannot encode column \"%s\" as JSON "
                    "(invalid UTF-8?)\n", bad >= 0 ? src_name(s, bad) : "?");
            return CLI_EXIT_LIBRARY;
        }
        json_decref(obj);
        n++;
    }
    if (single)
        putchar('\n');
    else
        fputs(n > 0 ? "\n]\n" : "]\n", stdout);
    return rc == BO_ITEROVER ? 0 : cli_lib_error(c, rc);
}

/* ---- aligned table ------------------------------------------------------- */

typedef struct table {
    char **cells; /* rows * ncols, row-major, owned */
    unsigned char *right;
    size_t rows, cap;
    int ncols;
} table;

/* Display width: code points, not bytes, so accented names still line up. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void table_free(table *t)
{
    for (size_t i = 0; i < t->rows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->right);
}

static int table_add_row(table *t, const source *s, const layout *l)
{
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **cells = realloc(t->cells, cap * (size_t)t->ncols * sizeof *cells);
        if (cells == NULL)
            return -1;
        t->cells = cells;
        unsigned char *right = realloc(t->right, cap * (size_t)t->ncols);
        if (right == NULL)
            return -1;
        t->right = right;
        t->cap = cap;
    }
    size_t base = t->rows * (size_t)t->ncols;
    int depth = 0;
    if (l->depth_col >= 0 && src_type(s, l->depth_col) == BO_TYPE_INT) {
        int64_t d = src_int(s, l->depth_col);
        depth = d > 0 && d < 32 ? (int)d : 0;
    }
    for (int i = 0; i < t->ncols; i++) {
        char buf[48];
        const char *text;
        cell_text(s, l, i, buf, sizeof buf, &text);
        /* Statements show the account tree by indenting names. */
        int indent = i == l->name_col ? 2 * depth : 0;
        size_t len = strlen(text);
        char *cell = malloc(len + (size_t)indent + 1);
        if (cell == NULL) {
            for (int j = 0; j < i; j++)
                free(t->cells[base + (size_t)j]);
            return -1;
        }
        memset(cell, ' ', (size_t)indent);
        memcpy(cell + indent, text, len + 1);
        t->cells[base + (size_t)i] = cell;
        t->right[base + (size_t)i] = src_type(s, i) == BO_TYPE_INT;
    }
    t->rows++;
    return 0;
}

static void print_padded(const char *s, size_t width, int right, int last)
{
    size_t w = text_width(s);
    size_t pad = width > w ? width - w : 0;
    if (right)
        printf("%*s", (int)pad, "");
    fputs(s, stdout);
    if (!right && !last)
        printf("%*s", (int)pad, "");
}

static int render_table(cli *c, source *s, const layout *l)
{
    table t = {0};
    t.ncols = s->ncols;
    int rc;
    while ((rc = src_next(s)) == 0) {
        if (table_add_row(&t, s, l) != 0) {
            table_free(&t);
            fputs("backoffice: out of memory\n", stderr);
            return CLI_EXIT_LIBRARY;
        }
    }
    if (rc != BO_ITEROVER) {
        table_free(&t);
        return cli_lib_error(c, rc);
    }
    size_t *width = calloc((size_t)t.ncols + 1, sizeof *width);
    unsigned char *right = calloc((size_t)t.ncols + 1, 1);
    if (width == NULL || right == NULL) {
        free(width);
        free(right);
        table_free(&t);
        fputs("backoffice: out of memory\n", stderr);
        return CLI_EXIT_LIBRARY;
    }
    for (int i = 0; i < t.ncols; i++) {
        width[i] = text_width(src_name(s, i));
        right[i] = (unsigned char)l->money[i];
    }
    for (size_t r = 0; r < t.rows; r++) {
        for (int i = 0; i < t.ncols; i++) {
            size_t k = r * (size_t)t.ncols + (size_t)i;
            size_t w = text_width(t.cells[k]);
            if (w > width[i])
                width[i] = w;
            if (t.right[k])
                right[i] = 1;
        }
    }
    for (int i = 0; i < t.ncols; i++) {
        if (i > 0)
            fputs("  ", stdout);
        print_padded(src_name(s, i), width[i], right[i], i == t.ncols - 1);
    }
    putchar('\n');
    for (int i = 0; i < t.ncols; i++) {
        if (i > 0)
            fputs("  ", stdout);
        for (size_t k = 0; k < width[i]; k++)
            putchar('-');
    }
    putchar('\n');
    for (size_t r = 0; r < t.rows; r++) {
        for (int i = 0; i < t.ncols; i++) {
            if (i > 0)
                fputs("  ", stdout);
            print_padded(t.cells[r * (size_t)t.ncols + (size_t)i], width[i],
                         right[i], i == t.ncols - 1);
        }
        putchar('\n');
    }
    free(width);
    free(right);
    table_free(&t);
    return 0;
}

/* A single record in a table: one "name  value" line per field. */
static int render_record_table(source *s, const layout *l)
{
    size_t width = 0;
    for (int i = 0; i < s->ncols; i++) {
        size_t w = text_width(src_name(s, i));
        if (w > width)
            width = w;
    }
    if (src_next(s) != 0)
        return 0;
    for (int i = 0; i < s->ncols; i++) {
        char buf[48];
        const char *t;
        cell_text(s, l, i, buf, sizeof buf, &t);
        print_padded(src_name(s, i), width, 0, 0);
        printf("  %s\n", t);
    }
    return 0;
}

/* ---- entry points -------------------------------------------------------- */

static int render(cli *c, source *s, const char *default_currency, int single)
{
    layout l;
    if (layout_init(&l, s, default_currency) != 0) {
        fputs("backoffice: out of memory\n", stderr);
        return CLI_EXIT_LIBRARY;
    }
    int status;
    switch (c->format) {
    case CLI_FORMAT_CSV:
        status = render_csv(c, s, &l);
        break;
    case CLI_FORMAT_JSON:
        status = render_json(c, s, single);
        break;
    default:
        status = single ? render_record_table(s, &l) : render_table(c, s, &l);
        break;
    }
    free(l.money);
    return status;
}

int cli_render_cursor(cli *c, bo_cursor *cursor, const char *default_currency)
{
    source s = {0};
    s.cursor = cursor;
    s.ncols = bo_cursor_column_count(cursor);
    int status = render(c, &s, default_currency, 0);
    bo_cursor_free(cursor);
    return status;
}

int cli_render_record(cli *c, const cli_field *fields, int n,
                      const char *default_currency)
{
    source s = {0};
    s.fields = fields;
    s.ncols = n;
    return render(c, &s, default_currency, 1);
}
