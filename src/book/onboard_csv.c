/*
 * CSV onboarding of parties, items with their stock and cost per location,
 * and employees (docs/import-export.md, "CSV onboarding: parties, items,
 * employees"). The file is read and checked whole (header, columns, types,
 * exact quantities and costs, locations, repeated keys) before anything is
 * written; then every new record is written in one transaction, and any
 * refusal while writing rolls all of it back. Each record has its key (a
 * party's code, an item's SKU and location, an employee's number): a record
 * already in the book is left as it is, so a second run adds nothing.
 * Every refusal names the file, line and column.
 */
#include "book/csv.h"
#include "book/transfer.h"
#include "core/book.h"
#include "backoffice/commerce.h"
#include "backoffice/inventory.h"
#include "backoffice/payroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ONB_COLS 12

typedef struct onb_kind {
    const char *name;             /* "parties" */
    const char *cols[ONB_COLS];   /* the column names, NULL-terminated */
    const char *key;              /* the column every line needs */
} onb_kind;

enum { K_PARTIES, K_ITEMS, K_EMPLOYEES, K_N };

/* The column mapping, documented in docs/import-export.md. */
static const onb_kind kinds[K_N] = {
    { "parties",
      { "code", "name", "roles", "currency", "tax_id", "email", "phone", "address",
        "terms_days", NULL },
      "code" },
    { "items",
      { "sku", "name", "scale", "method", "tax_category", "unit", "category", "location",
        "quantity", "cost", NULL },
      "sku" },
    { "employees",
      { "number", "name", "start_date", "end_date", "contact", "department", "cost_center",
        "pay_group", "tax_status", "tax_id", "social_id", "bank_account" },
      "number" },
};

/* the column indexes of each kind */
enum { P_CODE, P_NAME, P_ROLES, P_CURRENCY, P_TAX_ID, P_EMAIL, P_PHONE, P_ADDRESS, P_TERMS };
enum { I_SKU, I_NAME, I_SCALE, I_METHOD, I_TAX, I_UNIT, I_CATEGORY, I_LOCATION, I_QTY,
       I_COST };
enum { E_NUMBER, E_NAME, E_START, E_END, E_FIRST_SET = E_END };

typedef struct onb_row {
    int line;
    int skip;        /* the record is in the book already */
    int first;       /* items: the first line of its SKU in the file */
    int roles, scale, method, terms;
    int64_t qty, cost;
    bo_date start;
    char *f[ONB_COLS]; /* NULL: column absent or empty */
} onb_row;

typedef struct onb_file {
    const char *path;
    const onb_kind *kind;
    int ncols;
    onb_row *rows;
    size_t n, cap;
} onb_file;

static void onb_free(onb_file *f)
{
    for (size_t i = 0; i < f->n; i++)
        for (int k = 0; k < ONB_COLS; k++)
            bo__free(f->rows[i].f[k]);
    bo__free(f->rows);
}

/* The whole file into f->rows: the header names columns of the kind. */
static int onb_read(onb_file *f)
{
    const char *path = f->path;
    char *data = NULL;
    size_t len = 0;
    int rc = bo__read_file(path, &data, &len);
    if (rc)
        return rc;
    const char *p = data, *end = data + len;
    int line = 1, lines, map[CSV_FIELDS], nf, nh = 0;
    char *fields[CSV_FIELDS] = { 0 };
    while (f->ncols < ONB_COLS && f->kind->cols[f->ncols])
        f->ncols++;
    if (!(rc = bo__csv_start(path, data, len, &p)) &&
        (nf = bo__csv_record(path, line, &p, end, fields, &lines)) < 0)
        rc = nf;
    else if (!rc) {
        int seen[ONB_COLS] = { 0 }, key = 0;
        for (int i = 0; i < nf && !rc; i++) {
            map[i] = -1;
            for (int k = 0; k < f->ncols; k++)
                if (!strcmp(fields[i], f->kind->cols[k]))
                    map[i] = k;
            if (map[i] < 0)
                rc = bo__error_set(BO_EINVAL, "%s:1: column %d '%.40s': not a column of "
                                   "%s (docs/import-export.md)", path, i + 1, fields[i],
                                   f->kind->name);
            else if (seen[map[i]]++)
                rc = bo__error_set(BO_EINVAL, "%s:1: column '%s' twice", path,
                                   f->kind->cols[map[i]]);
            else if (map[i] == 0)
                key = 1;
        }
        nh = nf;
        if (!rc && !key)
            rc = bo__error_set(BO_EINVAL, "%s:1: no column '%s'", path, f->kind->key);
        for (int i = 0; i < nf; i++)
            bo__free(fields[i]), fields[i] = NULL;
        line += lines;
    }
    while (!rc && p < end) {
        int at;
        if ((nf = bo__csv_next(path, &line, &p, end, fields, &at)) <= 0) {
            rc = nf;
            break;
        }
        if ((rc = bo__grow((void **)&f->rows, &f->cap, f->n, sizeof *f->rows)))
            break;
        onb_row *r = &f->rows[f->n++];
        memset(r, 0, sizeof *r);
        r->line = at;
        if (nf > nh)
            rc = bo__error_set(BO_EINVAL, "%s:%d: %d fields, more than the header's %d", path,
                               at, nf, nh);
        for (int i = 0; i < nf; i++) {
            if (!rc && fields[i][0] && !(r->f[map[i]] = bo__strdup(fields[i])))
                rc = BO_ENOMEM;
            bo__free(fields[i]), fields[i] = NULL;
        }
        if (!rc && !r->f[0])
            rc = bo__error_set(BO_EINVAL, "%s:%d: column '%s': empty", path, at,
                               f->kind->key);
    }
    for (int i = 0; i < CSV_FIELDS; i++)
        bo__free(fields[i]);
    bo__free(data);
    return rc;
}

/* A refusal of line r's column col. */
static int onb_bad(const onb_file *f, const onb_row *r, int code, int col, const char *why,
                   const char *value)
{
    if (value)
        return bo__error_set(code, "%s:%d: column '%s': '%.40s' %s", f->path, r->line,
                             f->kind->cols[col], value, why);
    return bo__error_set(code, "%s:%d: column '%s': %s", f->path, r->line, f->kind->cols[col],
                         why);
}

/* A text column checked as the domain will check it. */
static int onb_text(const onb_file *f, const onb_row *r, int col, size_t max)
{
    if (!r->f[col])
        return 0;
    int rc = bo__text_check(f->kind->cols[col], r->f[col], max, true, false);
    if (rc)
        bo__error_prefix("%s:%d: column '%s': ", f->path, r->line, f->kind->cols[col]);
    return rc;
}

static int onb_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < lo || v > hi)
        return 1;
    *out = (int)v;
    return 0;
}

/* The earlier line with the same key columns (a..b), or -1. */
static int onb_earlier(const onb_file *f, size_t i, int a, int b)
{
    for (size_t j = 0; j < i; j++) {
        int same = 1;
        for (int k = a; k <= b && same; k++) {
            const char *x = f->rows[j].f[k], *y = f->rows[i].f[k];
            same = (!x && !y) || (x && y && !strcmp(x, y));
        }
        if (same)
            return (int)j;
    }
    return -1;
}

static int check_parties(bo_book *book, onb_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        int rc;
        if (onb_earlier(f, i, P_CODE, P_CODE) >= 0)
            return onb_bad(f, r, BO_EEXISTS, P_CODE, "is on an earlier line", r->f[P_CODE]);
        if ((rc = bo__text_check("code", r->f[P_CODE], BO_CODE_MAX, false, false))) {
            bo__error_prefix("%s:%d: column 'code': ", f->path, r->line);
            return rc;
        }
        bo_cursor *c = NULL;
        rc = bo_party_get(book, r->f[P_CODE], &c);
        bo_cursor_free(c);
        if (rc != BO_ENOTFOUND) {
            if (rc)
                return rc;
            r->skip = 1; /* in the book already: kept as it is */
            continue;
        }
        bo__error_clear();
        if (!r->f[P_NAME])
            return onb_bad(f, r, BO_EINVAL, P_NAME, "empty (a new party needs a name)", NULL);
        const char *ro = r->f[P_ROLES] ? r->f[P_ROLES] : "customer";
        r->roles = !strcmp(ro, "customer") ? BO_PARTY_CUSTOMER
                   : !strcmp(ro, "vendor") ? BO_PARTY_VENDOR
                   : !strcmp(ro, "both")   ? BO_PARTY_CUSTOMER | BO_PARTY_VENDOR : 0;
        if (!r->roles)
            return onb_bad(f, r, BO_EINVAL, P_ROLES, "is not customer, vendor or both", ro);
        int exp;
        if (r->f[P_CURRENCY] && bo_currency_exponent(r->f[P_CURRENCY], &exp))
            return onb_bad(f, r, BO_ECURRENCY, P_CURRENCY, "is not a currency",
                           r->f[P_CURRENCY]);
        bo__error_clear();
        r->terms = BO_UNCHANGED;
        if (r->f[P_TERMS] && onb_int(r->f[P_TERMS], 0, 3650, &r->terms))
            return onb_bad(f, r, BO_EINVAL, P_TERMS, "is not a number of days 0..3650",
                           r->f[P_TERMS]);
        for (int k = P_NAME; k <= P_ADDRESS; k++)
            if ((rc = onb_text(f, r, k, BO_TEXT_MAX)))
                return rc;
    }
    return 0;
}

static int write_parties(bo_book *book, onb_file *f, int *added)
{
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        if (r->skip)
            continue;
        int rc = bo_party_add(book, r->f[P_CODE], r->f[P_NAME], r->roles, r->f[P_CURRENCY]);
        if (!rc && (r->f[P_TAX_ID] || r->f[P_EMAIL] || r->f[P_PHONE] || r->f[P_ADDRESS] ||
                    r->terms != BO_UNCHANGED)) {
            bo_party_changes ch = BO_PARTY_CHANGES_INIT;
            ch.tax_id = r->f[P_TAX_ID];
            ch.email = r->f[P_EMAIL];
            ch.phone = r->f[P_PHONE];
            ch.address = r->f[P_ADDRESS];
            ch.terms_days = r->terms;
            rc = bo_party_update(book, r->f[P_CODE], &ch);
        }
        if (rc) {
            bo__error_prefix("%s:%d: ", f->path, r->line);
            return rc;
        }
        (*added)++;
    }
    return 0;
}

/* Is location code in the book? */
static int location_known(bo_book *book, const char *code, int *known)
{
    bo_cursor *c;
    int rc = bo_inventory_locations(book, &c);
    *known = 0;
    if (rc)
        return rc;
    while (!*known && (rc = bo_cursor_next(c)) == 0)
        *known = !strcmp(bo_cursor_text(c, 0), code);
    bo_cursor_free(c);
    return rc < 0 && rc != BO_ENOTFOUND ? rc : 0;
}

static int check_items(bo_book *book, onb_file *f, const char *base)
{
    int exp;
    if (bo_currency_exponent(base, &exp))
        return BO_ECURRENCY;
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        int rc, first = onb_earlier(f, i, I_SKU, I_SKU);
        if (onb_earlier(f, i, I_SKU, I_SKU) >= 0 && !r->f[I_LOCATION])
            return onb_bad(f, r, BO_EEXISTS, I_SKU, "is on an earlier line (a further line "
                           "of an item names a location)", r->f[I_SKU]);
        if (r->f[I_LOCATION] &&
            onb_earlier(f, i, I_SKU, I_SKU) >= 0) { /* the same SKU and location */
            for (size_t j = 0; j < i; j++)
                if (!strcmp(f->rows[j].f[I_SKU], r->f[I_SKU]) && f->rows[j].f[I_LOCATION] &&
                    !strcmp(f->rows[j].f[I_LOCATION], r->f[I_LOCATION]))
                    return onb_bad(f, r, BO_EEXISTS, I_LOCATION, "has this SKU on an "
                                   "earlier line", r->f[I_LOCATION]);
        }
        if ((rc = bo__text_check("sku", r->f[I_SKU], BO_CODE_MAX, false, false))) {
            bo__error_prefix("%s:%d: column 'sku': ", f->path, r->line);
            return rc;
        }
        r->first = first < 0;
        const onb_row *head = first < 0 ? r : &f->rows[first];
        if (first >= 0) {
            for (int k = I_NAME; k <= I_CATEGORY; k++)
                if (r->f[k] && (!head->f[k] || strcmp(r->f[k], head->f[k])))
                    return onb_bad(f, r, BO_EINVAL, k, "differs from the SKU's first line",
                                   r->f[k]);
            r->skip = head->skip;
            r->scale = head->scale;
        } else {
            bo_cursor *c = NULL;
            rc = bo_inventory_item_get(book, r->f[I_SKU], &c);
            if (rc == 0 && bo_cursor_next(c) == 0 && !strcmp(bo_cursor_text(c, 0), r->f[I_SKU])) {
                r->skip = 1; /* in the book already: its stock lines replay their keys */
                r->scale = (int)bo_cursor_int(c, 2);
            } else if (rc == 0)
                rc = BO_ENOTFOUND; /* a barcode of another item */
            bo_cursor_free(c);
            if (rc && rc != BO_ENOTFOUND)
                return rc;
            bo__error_clear();
            if (!r->skip) {
                if (!r->f[I_NAME])
                    return onb_bad(f, r, BO_EINVAL, I_NAME, "empty (a new item needs a name)",
                                   NULL);
                if (r->f[I_SCALE] &&
                    onb_int(r->f[I_SCALE], 0, BO_INVENTORY_SCALE_MAX, &r->scale))
                    return onb_bad(f, r, BO_EINVAL, I_SCALE, "is not 0..6", r->f[I_SCALE]);
                const char *m = r->f[I_METHOD] ? r->f[I_METHOD] : "fifo";
                r->method = !strcmp(m, "fifo")      ? BO_INVENTORY_FIFO
                            : !strcmp(m, "average") ? BO_INVENTORY_AVERAGE : 0;
                if (!r->method)
                    return onb_bad(f, r, BO_EINVAL, I_METHOD, "is not fifo or average", m);
                for (int k = I_NAME; k <= I_CATEGORY; k++)
                    if ((rc = onb_text(f, r, k, BO_TEXT_MAX)))
                        return rc;
            }
        }
        if (!r->f[I_LOCATION]) {
            if (r->f[I_QTY] || r->f[I_COST])
                return onb_bad(f, r, BO_EINVAL, I_LOCATION, "empty (stock needs a location)",
                               NULL);
            continue;
        }
        int known;
        if ((rc = location_known(book, r->f[I_LOCATION], &known)))
            return rc;
        if (!known)
            return onb_bad(f, r, BO_ENOTFOUND, I_LOCATION, "is not a location of the book",
                           r->f[I_LOCATION]);
        if (!r->f[I_QTY])
            return onb_bad(f, r, BO_EINVAL, I_QTY, "empty (a location needs its quantity)",
                           NULL);
        int d = bo__csv_decimal(r->f[I_QTY], r->scale, &r->qty);
        if (d || r->qty <= 0)
            return onb_bad(f, r, d == BO_EOVERFLOW ? BO_EOVERFLOW : BO_EINVAL, I_QTY,
                           d == 1 ? "is finer than the item's scale (refused, never rounded)"
                                  : "is not a positive decimal", r->f[I_QTY]);
        d = r->f[I_COST] ? bo__csv_decimal(r->f[I_COST], exp, &r->cost) : 0;
        if (d || r->cost < 0)
            return onb_bad(f, r, d == BO_EOVERFLOW ? BO_EOVERFLOW : BO_EINVAL, I_COST,
                           d == 1 ? "is finer than the base currency (refused, never rounded)"
                                  : "is not a decimal >= 0", r->f[I_COST]);
    }
    return 0;
}

static int write_items(bo_book *book, onb_file *f, bo_date date, int *added)
{
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        int rc = 0;
        if (r->first && !r->skip) {
            rc = bo_inventory_item_add(book, r->f[I_SKU], r->f[I_NAME], r->scale, r->method,
                                       r->f[I_TAX]);
            if (!rc && (r->f[I_UNIT] || r->f[I_CATEGORY])) {
                bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
                ch.unit = r->f[I_UNIT];
                ch.category = r->f[I_CATEGORY];
                rc = bo_inventory_item_update(book, r->f[I_SKU], &ch);
            }
            *added += !rc;
        }
        if (!rc && r->f[I_LOCATION]) {
            /* the key of a line's stock: a second run replays it */
            char key[2 * BO_CODE_MAX + 32];
            snprintf(key, sizeof key, "onboard:%s@%s", r->f[I_SKU], r->f[I_LOCATION]);
            bo_inventory_move_options mo = BO_INVENTORY_MOVE_OPTIONS_INIT;
            mo.sku = r->f[I_SKU];
            mo.location = r->f[I_LOCATION];
            mo.qty = r->qty;
            mo.cost = r->cost;
            mo.date = date;
            mo.reference = "opening stock";
            mo.key = key;
            int64_t id;
            rc = bo_inventory_receive(book, &mo, &id);
        }
        if (rc) {
            bo__error_prefix("%s:%d: ", f->path, r->line);
            return rc;
        }
    }
    return 0;
}

static int check_employees(bo_book *book, onb_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        int rc;
        if (onb_earlier(f, i, E_NUMBER, E_NUMBER) >= 0)
            return onb_bad(f, r, BO_EEXISTS, E_NUMBER, "is on an earlier line",
                           r->f[E_NUMBER]);
        if ((rc = bo__text_check("number", r->f[E_NUMBER], BO_CODE_MAX, false, false))) {
            bo__error_prefix("%s:%d: column 'number': ", f->path, r->line);
            return rc;
        }
        bo_cursor *c = NULL;
        rc = bo_payroll_employee_get(book, r->f[E_NUMBER], &c);
        bo_cursor_free(c);
        if (rc != BO_ENOTFOUND) {
            if (rc)
                return rc;
            r->skip = 1;
            continue;
        }
        bo__error_clear();
        if (!r->f[E_NAME]) /* names are personal data: never in a message */
            return onb_bad(f, r, BO_EINVAL, E_NAME, "empty (a new employee needs a name)",
                           NULL);
        if (!r->f[E_START])
            return onb_bad(f, r, BO_EINVAL, E_START, "empty (a new employee needs one)", NULL);
        bo_date end;
        if (bo_date_parse(r->f[E_START], &r->start))
            return onb_bad(f, r, BO_EINVAL, E_START, "is not a date YYYY-MM-DD",
                           r->f[E_START]);
        if (r->f[E_END] && bo_date_parse(r->f[E_END], &end))
            return onb_bad(f, r, BO_EINVAL, E_END, "is not a date YYYY-MM-DD", r->f[E_END]);
        bo__error_clear();
        for (int k = E_NAME; k < f->ncols; k++)
            if ((rc = onb_text(f, r, k, BO_TEXT_MAX))) {
                if (k == E_NAME || k >= E_FIRST_SET + 6) /* personal: not echoed */
                    bo__error_set(rc, "%s:%d: column '%s': not valid text", f->path, r->line,
                                  f->kind->cols[k]);
                return rc;
            }
    }
    return 0;
}

static int write_employees(bo_book *book, onb_file *f, int *added)
{
    for (size_t i = 0; i < f->n; i++) {
        onb_row *r = &f->rows[i];
        if (r->skip)
            continue;
        int rc = bo_payroll_employee_add(book, r->f[E_NUMBER], r->f[E_NAME], r->start);
        for (int k = E_FIRST_SET; k < f->ncols && !rc; k++)
            if (r->f[k] && (rc = bo_payroll_employee_set(book, r->f[E_NUMBER],
                                                         f->kind->cols[k], r->f[k])))
                bo__error_prefix("column '%s': ", f->kind->cols[k]);
        if (rc) {
            bo__error_prefix("%s:%d: ", f->path, r->line);
            return rc;
        }
        (*added)++;
    }
    return 0;
}

int bo_book_import_csv(bo_book *book, const char *kind, const char *path, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc, k = 0;
    if ((rc = bo__text_check("path", path, 4096, false, false)))
        return rc;
    if (!kind)
        return bo__error_set(BO_EINVAL, "kind: NULL");
    while (k < K_N && strcmp(kinds[k].name, kind))
        k++;
    if (k == K_N)
        return bo__error_set(BO_EINVAL, "kind: '%.40s' is not parties, items or employees",
                             kind);
    char ds[16];
    if (bo_date_format(date, ds, sizeof ds))
        return bo__error_set(BO_EINVAL, "date: not a date");
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "%s CSV: inside a transaction", kind);
    onb_file f = { .path = path, .kind = &kinds[k] };
    int added = 0;
    rc = onb_read(&f);
    if (!rc)
        rc = k == K_PARTIES ? check_parties(book, &f)
             : k == K_ITEMS ? check_items(book, &f, book->base_currency)
                            : check_employees(book, &f);
    if (!rc && !(rc = bo_book_begin(book))) {
        rc = k == K_PARTIES ? write_parties(book, &f, &added)
             : k == K_ITEMS ? write_items(book, &f, date, &added)
                            : write_employees(book, &f, &added);
        if (!rc)
            rc = bo_book_commit(book);
        else {
            bo__error_state es;
            bo__error_save(&es);
            bo_book_rollback(book);
            bo__error_restore(&es);
        }
    }
    onb_free(&f);
    if (rc) {
        bo__error_prefix("%s CSV: ", kind);
        return rc;
    }
    return added;
}
