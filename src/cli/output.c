/*
 * Rendering of results as aligned tables, CSV (RFC 4180 quoting) or JSON.
 *
 * Everything goes through one row source, filled either by a bo_cursor or
 * by a single record, so every listing command is a few lines.
 *
 * Units. What an integer column means is declared once, by column name, in
 * column_units[] below: money in the row's currency, money in the book's
 * base currency, a quantity at the row's scale, or a plain number. Tables
 * and CSV show money as decimals of its currency and quantities with their
 * item's decimals; JSON keeps the integers and adds what is needed to read
 * them (a "currency" when the row has money but no currency column, a
 * "base_currency" beside base-currency columns; quantities come with the
 * cursor's own "scale" column).
 *
 * Untrusted text. CSV cells of text that begin with '=', '+', '-', '@', a
 * tab or a carriage return are neutralised (a leading single quote, and the
 * cell quoted) so a spreadsheet does not run them as formulas; integer
 * columns, which the program formats itself, never are, so "-12.50" stays a
 * number. Tables escape control characters (C0, DEL, C1), bidirectional
 * overrides, line separators and bytes that are not UTF-8, so a name cannot
 * forge rows or send terminal escape sequences.
 *
 * No partial result. Output goes to a spool (memory up to SPOOL_MEMORY,
 * then an unlinked temporary file in $TMPDIR) and reaches stdout only once
 * the cursor has ended without error: a listing that fails half-way prints
 * nothing but the error. Memory stays bounded whatever the number of rows;
 * a table is written in two passes (cells to the spool while the column
 * widths are measured, then printed aligned).
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* ---- units --------------------------------------------------------------- */

/* What the integer in a column means. */
enum unit {
    UNIT_NONE = 0, /* ids, counts, flags, days, minutes, rates in ppm */
    UNIT_MONEY,    /* minor units of the row's "currency" (else the base) */
    UNIT_BASE,     /* minor units of the book's base currency */
    UNIT_QTY       /* a quantity: value / 10^scale of the row's "scale" */
};

/* The one declaration of units for every listing of every domain. A name
 * not listed is money when it ends in "_" and a money name below
 * ("unit_price", "sales_tax", "ytd_amount", "employer_cost"), else a plain
 * number. Only integer cells are ever converted: a text column of the same
 * name (a purchase order's "expected" date) is shown as it is. */
static const struct column_unit {
    const char *name;
    enum unit unit;
} column_units[] = {
    /* money in the row's currency */
    {"amount", UNIT_MONEY},    {"debit", UNIT_MONEY},     {"credit", UNIT_MONEY},
    {"balance", UNIT_MONEY},   {"net", UNIT_MONEY},       {"tax", UNIT_MONEY},
    {"gross", UNIT_MONEY},     {"total", UNIT_MONEY},     {"value", UNIT_MONEY},
    {"cost", UNIT_MONEY},      {"price", UNIT_MONEY},     {"paid", UNIT_MONEY},
    {"discount", UNIT_MONEY},  {"open", UNIT_MONEY},      {"opening", UNIT_MONEY},
    {"closing", UNIT_MONEY},   {"allocated", UNIT_MONEY}, {"unapplied", UNIT_MONEY},
    {"inflow", UNIT_MONEY},    {"outflow", UNIT_MONEY},   {"current", UNIT_MONEY},
    {"d1_30", UNIT_MONEY},     {"d31_60", UNIT_MONEY},    {"d61_90", UNIT_MONEY},
    {"over_90", UNIT_MONEY},   {"sales_base", UNIT_MONEY},
    {"purchase_base", UNIT_MONEY}, {"discounts", UNIT_MONEY}, {"returns", UNIT_MONEY},
    {"margin", UNIT_MONEY},    {"basket", UNIT_MONEY},
    {"queued_value", UNIT_MONEY},
    /* money in the book's base currency beside a row in another one */
    {"base_amount", UNIT_BASE}, {"base_total", UNIT_BASE},
    {"sales_tax_book", UNIT_BASE}, {"purchase_tax_book", UNIT_BASE},
    {"other_book", UNIT_BASE},
    /* quantities of an item */
    {"qty", UNIT_QTY},         {"quantity", UNIT_QTY},    {"on_hand", UNIT_QTY},
    {"reserved", UNIT_QTY},    {"available", UNIT_QTY},   {"remaining", UNIT_QTY},
    {"returned", UNIT_QTY},    {"received", UNIT_QTY},    {"counted", UNIT_QTY},
    {"expected", UNIT_QTY},    {"variance", UNIT_QTY},    {"reorder_point", UNIT_QTY},
    {"reorder_qty", UNIT_QTY},
    {"unit_qty", UNIT_QTY},    {"min_qty", UNIT_QTY},
};

static enum unit column_unit(const char *name)
{
    size_t n = sizeof column_units / sizeof column_units[0];
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, column_units[i].name) == 0)
            return column_units[i].unit;
    const char *tail = strrchr(name, '_');
    if (tail != NULL)
        for (size_t i = 0; i < n; i++)
            if (column_units[i].unit == UNIT_MONEY &&
                strcmp(tail + 1, column_units[i].name) == 0)
                return UNIT_MONEY;
    return UNIT_NONE;
}

/* Shared facts about the columns of a source. */
typedef struct layout {
    enum unit *unit;   /* per column */
    int currency_col;  /* index of "currency", or -1 */
    int scale_col;     /* index of "scale", or -1 */
    int depth_col;     /* index of "depth", or -1 */
    int name_col;      /* index of "name", or -1 */
    int money, base;   /* some column is UNIT_MONEY / UNIT_BASE */
    const char *base_currency; /* may be NULL (no book) */
} layout;

static int layout_init(layout *l, const source *s, const char *base_currency)
{
    l->unit = calloc((size_t)s->ncols + 1, sizeof *l->unit);
    if (l->unit == NULL)
        return -1;
    l->money = l->base = 0;
    for (int i = 0; i < s->ncols; i++) {
        l->unit[i] = column_unit(src_name(s, i));
        l->money |= l->unit[i] == UNIT_MONEY;
        l->base |= l->unit[i] == UNIT_BASE;
    }
    l->currency_col = src_index(s, "currency");
    l->scale_col = src_index(s, "scale");
    l->depth_col = src_index(s, "depth");
    l->name_col = src_index(s, "name");
    l->base_currency = base_currency;
    return 0;
}

/* The text of one cell for a table or CSV: NULL is "", money a decimal of
 * its currency, a quantity a decimal at its scale (the raw integer only when
 * the currency or scale is unknown). *number is set for integer cells: the
 * program wrote them, so they are never neutralised as formulas. */
static void cell_text(const source *s, const layout *l, int col, char *buf,
                      size_t size, const char **out, int *number)
{
    int type = src_type(s, col);
    *number = 0;
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
    *number = 1;
    *out = buf;
    if (l->unit[col] == UNIT_MONEY || l->unit[col] == UNIT_BASE) {
        const char *cur = l->base_currency;
        if (l->unit[col] == UNIT_MONEY && l->currency_col >= 0 &&
            src_type(s, l->currency_col) == BO_TYPE_TEXT &&
            src_text(s, l->currency_col) != NULL)
            cur = src_text(s, l->currency_col);
        if (cur != NULL && bo_money_format(v, cur, buf, size) == 0)
            return;
    } else if (l->unit[col] == UNIT_QTY && l->scale_col >= 0 &&
               src_type(s, l->scale_col) == BO_TYPE_INT) {
        int64_t scale = src_int(s, l->scale_col);
        if (scale >= 0 && scale <= 18 &&
            bo_inventory_qty_format(v, (int)scale, buf, size) == 0)
            return;
    }
    snprintf(buf, size, "%lld", (long long)v);
}

/* ---- the spool: output held back until the result is complete ------------ */

/* Bytes kept in memory before the spool moves to a temporary file. */
#define SPOOL_MEMORY ((size_t)1 << 20)

typedef struct spool {
    char *mem;
    size_t len, cap;
    FILE *file;  /* once spilled: an unlinked temporary file */
    int failed;  /* an errno value, once a write failed */
} spool;

/* An unlinked temporary file in $TMPDIR (else /tmp), opened for update. */
static FILE *spill_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    size_t n = strlen(dir) + sizeof "/backoffice-XXXXXX";
    char *path = malloc(n);
    if (path == NULL)
        return NULL;
    snprintf(path, n, "%s/backoffice-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    free(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w+b");
    if (f == NULL)
        close(fd);
    return f;
}

/* Move what memory holds to the file (made on first need). */
static int sp_flush(spool *sp)
{
    if (sp->file == NULL && (sp->file = spill_file()) == NULL)
        return sp->failed = errno ? errno : EIO;
    if (sp->len > 0 && fwrite(sp->mem, 1, sp->len, sp->file) != sp->len)
        return sp->failed = errno ? errno : EIO;
    sp->len = 0;
    return 0;
}

/* Append @p n bytes. Memory holds up to SPOOL_MEMORY; beyond, the spool
 * moves to its file and memory becomes the file's write buffer. */
static void sp_put(spool *sp, const void *data, size_t n)
{
    if (sp->failed || n == 0)
        return;
    if (sp->len + n > sp->cap) {
        if (sp->file != NULL || sp->len + n > SPOOL_MEMORY) {
            if (sp_flush(sp) != 0)
                return;
            if (n > sp->cap) {
                if (fwrite(data, 1, n, sp->file) != n)
                    sp->failed = errno ? errno : EIO;
                return;
            }
        } else {
            size_t cap = sp->cap ? sp->cap : 4096;
            while (cap < sp->len + n)
                cap *= 2;
            char *mem = realloc(sp->mem, cap);
            if (mem == NULL) {
                sp->failed = ENOMEM;
                return;
            }
            sp->mem = mem;
            sp->cap = cap;
        }
    }
    memcpy(sp->mem + sp->len, data, n);
    sp->len += n;
}

static void sp_puts(spool *sp, const char *s)
{
    sp_put(sp, s, strlen(s));
}

static void sp_putc(spool *sp, char ch)
{
    sp_put(sp, &ch, 1);
}

static void sp_free(spool *sp)
{
    free(sp->mem);
    if (sp->file != NULL)
        fclose(sp->file);
}

/* Make the spool readable from its start. Returns 0 or an errno value. */
static int sp_rewind(spool *sp)
{
    if (sp->failed)
        return sp->failed;
    if (sp->file != NULL && (sp_flush(sp) != 0 || fflush(sp->file) != 0 ||
                             fseek(sp->file, 0, SEEK_SET) != 0))
        return sp->failed ? sp->failed : errno ? errno : EIO;
    return 0;
}

/* Copy the whole spool to stdout. Returns 0 or an errno value. */
static int sp_copy(spool *sp)
{
    int err = sp_rewind(sp);
    if (err != 0)
        return err;
    if (sp->file == NULL) {
        if (sp->len > 0)
            fwrite(sp->mem, 1, sp->len, stdout);
        return 0;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, sp->file)) > 0)
        fwrite(buf, 1, n, stdout);
    return ferror(sp->file) ? EIO : 0;
}

/* A reader of the NUL-terminated strings a spool holds (the table's cells). */
typedef struct sp_reader {
    spool *sp;
    size_t pos;  /* in memory */
    char *line;  /* from the file, owned */
    size_t cap;
} sp_reader;

/* The next string, or NULL at the end (or on a read error). */
static const char *sp_next(sp_reader *r)
{
    if (r->sp->file == NULL) {
        if (r->pos >= r->sp->len)
            return NULL;
        const char *s = r->sp->mem + r->pos;
        r->pos += strlen(s) + 1;
        return s;
    }
    return getdelim(&r->line, &r->cap, '\0', r->sp->file) > 0 ? r->line : NULL;
}

/* Report a spool failure; the exit status for output that cannot be made. */
static int spool_error(int err)
{
    fprintf(stderr, "backoffice: cannot hold the output until it is complete: %s\n",
            strerror(err));
    return CLI_EXIT_OUTPUT;
}

/* ---- escaping for terminals ---------------------------------------------- */

/* The length of the valid UTF-8 sequence at @p s (1..4) and its code point,
 * or 0 when the bytes there are not UTF-8. */
static int utf8_decode(const unsigned char *s, unsigned long *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    unsigned long v = c & (0xFF >> (n + 1));
    for (int i = 1; i < n; i++) {
        unsigned char b = s[i];
        if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF))
            return 0;
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return n;
}

/* Code points a terminal acts on or that reorder what is shown: C1
 * controls, bidirectional marks, embeddings, overrides and isolates, and
 * the line and paragraph separators. */
static int unsafe_code_point(unsigned long cp)
{
    return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
           cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

/* Append @p s to @p out with control characters escaped ("\n", "\r", "\t",
 * "\x1b", "\u202e"); @p keep_lines leaves line feeds, tabs and the carriage
 * return of a CRLF as they are (documents). Returns the display width of
 * what was appended (code points). */
static size_t escape_text(spool *out, const char *s, int keep_lines)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t width = 0;
    while (*p != '\0') {
        /* Printable ASCII, the common case, goes out in one piece. */
        const unsigned char *run = p;
        while (*p >= 0x20 && *p < 0x7F)
            p++;
        if (p > run) {
            sp_put(out, run, (size_t)(p - run));
            width += (size_t)(p - run);
            continue;
        }
        unsigned long cp;
        int n = utf8_decode(p, &cp);
        char esc[24];
        esc[0] = '\0';
        if (n == 0)
            snprintf(esc, sizeof esc, "\\x%02x", *p);
        else if (keep_lines && (cp == '\n' || cp == '\t' || (cp == '\r' && p[1] == '\n')))
            ;
        else if (cp == '\n')
            strcpy(esc, "\\n");
        else if (cp == '\r')
            strcpy(esc, "\\r");
        else if (cp == '\t')
            strcpy(esc, "\\t");
        else if (cp < 0x20 || cp == 0x7F)
            snprintf(esc, sizeof esc, "\\x%02lx", cp);
        else if (unsafe_code_point(cp))
            snprintf(esc, sizeof esc, "\\u%04lx", cp);
        if (esc[0] != '\0') {
            sp_puts(out, esc);
            width += strlen(esc);
            p += n ? n : 1;
        } else {
            sp_put(out, p, (size_t)n);
            width++;
            p += n;
        }
    }
    return width;
}

/* Display width: code points, not bytes, so accented names still line up. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

/* ---- CSV ----------------------------------------------------------------- */

/* Text a spreadsheet would take for a formula (or a DDE call). */
static int formula_like(const char *s)
{
    return s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
           s[0] == '\r';
}

/* One field, RFC 4180 quoted when needed; text that looks like a formula
 * is neutralised with a leading single quote, inside quotes. */
static void csv_field(spool *o, const char *s, int text)
{
    int neutralise = text && formula_like(s);
    if (!neutralise && strpbrk(s, ",\"\r\n") == NULL) {
        sp_puts(o, s);
        return;
    }
    sp_putc(o, '"');
    if (neutralise)
        sp_putc(o, '\'');
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        sp_put(o, s, (size_t)(q - s) + 1);
        sp_putc(o, '"'); /* a quote is doubled */
    }
    sp_puts(o, s);
    sp_putc(o, '"');
}

static int render_csv(source *s, const layout *l, spool *o)
{
    for (int i = 0; i < s->ncols; i++) {
        if (i > 0)
            sp_putc(o, ',');
        csv_field(o, src_name(s, i), 1);
    }
    sp_putc(o, '\n');
    int rc;
    while ((rc = src_next(s)) == 0) {
        for (int i = 0; i < s->ncols; i++) {
            char buf[48];
            const char *t;
            int number;
            cell_text(s, l, i, buf, sizeof buf, &t, &number);
            if (i > 0)
                sp_putc(o, ',');
            csv_field(o, t, !number);
        }
        sp_putc(o, '\n');
    }
    return rc;
}

/* ---- JSON ---------------------------------------------------------------- */

/* Add @p key = @p value to @p obj unless it has the key already. */
static int json_add_text(json_t *obj, const char *key, const char *value)
{
    if (value == NULL || json_object_get(obj, key) != NULL)
        return 0;
    return json_object_set_new(obj, key, json_string(value));
}

/* One row as an object, columns in order; amounts and quantities stay
 * integers. A row with money gets the currency it is in when the cursor has
 * no currency column, and "base_currency" beside base-currency columns. */
static json_t *json_row(const source *s, const layout *l, int *bad_col)
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
    if ((l->money && l->currency_col < 0 &&
         json_add_text(obj, "currency", l->base_currency) != 0) ||
        (l->base && json_add_text(obj, "base_currency", l->base_currency) != 0)) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

/* Listings are an array with one object per line; a single record is one
 * object. Returns 0, a cursor error, or CLI_EXIT_LIBRARY for text JSON
 * cannot hold (already reported). */
static int render_json(source *s, const layout *l, int single, spool *o, int *status)
{
    int rc, n = 0;
    if (!single)
        sp_putc(o, '[');
    while ((rc = src_next(s)) == 0) {
        int bad = -1;
        json_t *obj = json_row(s, l, &bad);
        char *text = obj != NULL ? json_dumps(obj, JSON_PRESERVE_ORDER) : NULL;
        json_decref(obj);
        if (text == NULL) {
            fprintf(stderr, "backoffice: cannot encode column \"%s\" as JSON "
                    "(invalid UTF-8?)\n", bad >= 0 ? src_name(s, bad) : "?");
            *status = CLI_EXIT_LIBRARY;
            return 0;
        }
        if (!single)
            sp_puts(o, n > 0 ? ",\n  " : "\n  ");
        sp_puts(o, text);
        free(text);
        n++;
    }
    if (single)
        sp_putc(o, '\n');
    else
        sp_puts(o, n > 0 ? "\n]\n" : "]\n");
    return rc;
}

/* ---- aligned table ------------------------------------------------------- */

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

/* Pass one: every cell, escaped and indented, into @p cells (each ends with
 * a NUL), measuring the columns. */
static int table_cells(source *s, const layout *l, spool *cells, size_t *width,
                       unsigned char *right)
{
    int rc;
    while ((rc = src_next(s)) == 0) {
        int depth = 0;
        if (l->depth_col >= 0 && src_type(s, l->depth_col) == BO_TYPE_INT) {
            int64_t d = src_int(s, l->depth_col);
            depth = d > 0 && d < 32 ? (int)d : 0;
        }
        for (int i = 0; i < s->ncols; i++) {
            char buf[48];
            const char *text;
            int number;
            cell_text(s, l, i, buf, sizeof buf, &text, &number);
            /* Statements show the account tree by indenting names. */
            size_t indent = i == l->name_col ? 2 * (size_t)depth : 0;
            for (size_t k = 0; k < indent; k++)
                sp_putc(cells, ' ');
            size_t w = indent + escape_text(cells, text, 0);
            sp_putc(cells, '\0');
            if (w > width[i])
                width[i] = w;
            if (number)
                right[i] = 1;
        }
    }
    return rc;
}

/* Pass two: the header, a rule, and the cells, aligned. Returns 0 or an
 * errno value. */
static int table_print(source *s, spool *cells, const size_t *width,
                       const unsigned char *right, spool *names)
{
    int err = sp_rewind(cells);
    if (err != 0)
        return err;
    sp_reader hr = {names, 0, NULL, 0};
    for (int i = 0; i < s->ncols; i++) {
        const char *name = sp_next(&hr);
        if (i > 0)
            fputs("  ", stdout);
        print_padded(name ? name : "", width[i], right[i], i == s->ncols - 1);
    }
    putchar('\n');
    for (int i = 0; i < s->ncols; i++) {
        if (i > 0)
            fputs("  ", stdout);
        for (size_t k = 0; k < width[i]; k++)
            putchar('-');
    }
    putchar('\n');
    sp_reader r = {cells, 0, NULL, 0};
    const char *cell;
    int col = 0;
    while ((cell = sp_next(&r)) != NULL) {
        if (col > 0)
            fputs("  ", stdout);
        print_padded(cell, width[col], right[col], col == s->ncols - 1);
        if (++col == s->ncols) {
            putchar('\n');
            col = 0;
        }
    }
    free(r.line);
    if (cells->file != NULL && ferror(cells->file))
        return EIO;
    return 0;
}

static int render_table(source *s, const layout *l, int *status)
{
    size_t *width = calloc((size_t)s->ncols + 1, sizeof *width);
    unsigned char *right = calloc((size_t)s->ncols + 1, 1);
    spool names = {0}, cells = {0};
    int rc = 0;
    if (width == NULL || right == NULL) {
        *status = spool_error(ENOMEM);
        goto done;
    }
    for (int i = 0; i < s->ncols; i++) {
        width[i] = escape_text(&names, src_name(s, i), 0);
        sp_putc(&names, '\0');
        right[i] = l->unit[i] != UNIT_NONE;
    }
    rc = table_cells(s, l, &cells, width, right);
    if (rc != BO_ITEROVER)
        goto done;
    rc = 0;
    int err = names.failed ? names.failed : table_print(s, &cells, width, right, &names);
    if (err != 0)
        *status = spool_error(err);
done:
    sp_free(&names);
    sp_free(&cells);
    free(width);
    free(right);
    return rc == BO_ITEROVER ? 0 : rc;
}

/* A single record in a table: one "name  value" line per field. */
static int render_record_table(source *s, const layout *l, spool *o)
{
    size_t width = 0;
    for (int i = 0; i < s->ncols; i++) {
        size_t w = text_width(src_name(s, i));
        if (w > width)
            width = w;
    }
    int rc = src_next(s);
    if (rc != 0)
        return rc;
    for (int i = 0; i < s->ncols; i++) {
        char buf[48];
        const char *t;
        int number;
        cell_text(s, l, i, buf, sizeof buf, &t, &number);
        size_t w = escape_text(o, src_name(s, i), 0);
        for (; w < width + 2; w++)
            sp_putc(o, ' ');
        escape_text(o, t, 0);
        sp_putc(o, '\n');
    }
    return BO_ITEROVER;
}

/* ---- entry points -------------------------------------------------------- */

static int render(cli *c, source *s, const char *default_currency, int single)
{
    if (default_currency == NULL && c->book != NULL)
        default_currency = bo_book_base_currency(c->book);
    layout l;
    if (layout_init(&l, s, default_currency) != 0)
        return spool_error(ENOMEM);
    int status = 0, rc;
    spool o = {0};
    switch (c->format) {
    case CLI_FORMAT_CSV:
        rc = render_csv(s, &l, &o);
        break;
    case CLI_FORMAT_JSON:
        rc = render_json(s, &l, single, &o, &status);
        break;
    default:
        /* A table prints itself once complete: its cells are spooled. */
        rc = single ? render_record_table(s, &l, &o) : render_table(s, &l, &status);
        break;
    }
    free(l.unit);
    if (rc != 0 && rc != BO_ITEROVER)
        status = cli_lib_error(c, rc); /* nothing of the result is printed */
    else if (status == 0) {
        int err = sp_copy(&o);
        if (err != 0)
            status = spool_error(err);
    }
    sp_free(&o);
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

int cli_render_int(cli *c, const char *name, int64_t v)
{
    cli_field f[] = {{name, BO_TYPE_INT, v, NULL}};
    return cli_render_record(c, f, 1, NULL);
}

void cli_fputs_escaped(const char *text, FILE *fp)
{
    spool o = {0};
    escape_text(&o, text, 0);
    if (!o.failed && o.file == NULL && o.len > 0)
        fwrite(o.mem, 1, o.len, fp);
    sp_free(&o);
}

int cli_render_document(cli *c, bo_cursor *cursor)
{
    if (c->format != CLI_FORMAT_TABLE)
        return cli_render_cursor(c, cursor, NULL);
    int rc = bo_cursor_next(cursor);
    int status = 0;
    if (rc == 0) {
        spool o = {0};
        const char *text = bo_cursor_text(cursor, 0);
        escape_text(&o, text != NULL ? text : "", 1);
        int err = sp_copy(&o);
        sp_free(&o);
        if (err != 0)
            status = spool_error(err);
    } else {
        status = cli_lib_error(c, rc);
    }
    bo_cursor_free(cursor);
    return status;
}

/* ---- errors -------------------------------------------------------------- */

int cli_lib_error(cli *c, int rc)
{
    /* The message may quote stored text: escaped, like a table cell. */
    const char *msg = bo_error_message();
    fprintf(stderr, "backoffice: %s", bo_error_name(rc));
    if (msg[0] != '\0') {
        fputs(": ", stderr);
        cli_fputs_escaped(msg, stderr);
    }
    fputc('\n', stderr);
    if (rc == BO_EDENIED && (c == NULL || c->actor == NULL))
        fputs("backoffice: hint: no actor given; use --actor NAME or set "
              "BACKOFFICE_ACTOR\n", stderr);
    return CLI_EXIT_LIBRARY;
}
