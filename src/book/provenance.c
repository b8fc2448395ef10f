/*
 * Provenance of imported records (docs/import-export.md, "Importing again"):
 * the table `provenance` holds one row per source object an importer
 * wrote: the source system ("gnucash"), the source book (GnuCash's book
 * id), the object's id in it, the SHA-256 of what the source said about it
 * (a canonical form of its fields), our record ("account:1100",
 * "entry:12"; empty when the object made none, as a voided transaction)
 * and what the source says that our records have no place for (attrs:
 * an account's "placeholder" and "hidden", a transaction's reconcile
 * states and void reason, a price as an exact fraction).
 * An importer reading the same book again compares its objects with these
 * rows: nothing new adds nothing, anything else is a diff named by source
 * id, written only when asked.
 *
 * Audit coverage: the rows of one source book are one record (kind
 * "provenance", keyed "SYSTEM:SOURCE"), stated by the audit record
 * "book.provenance.record" of the import that wrote them.
 */
#include "book/provenance.h"
#include "core/verify.h"
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const prov_v16[] = {
    "CREATE TABLE provenance ("
    " system TEXT{TEXT_C} NOT NULL,"
    " source TEXT{TEXT_C} NOT NULL,"
    " object TEXT{TEXT_C} NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " record TEXT{TEXT_C} NOT NULL,"
    " attrs TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (system, source, object))",
    NULL
};

static const bo__schema_part parts[] = {
    { 16, prov_v16, 0, NULL }, /* book_v16_provenance */
    { 0, NULL, 0, NULL },
};

static const bo__table tables[] = {
    { "provenance", "system, source, object, digest, record, attrs", "tttttt",
      "system, source, object", NULL },
};
static const int ntables = 1;

static const bo__vpart prov_parts[] = {
    { "provenance", "t.system || ':' || t.source", NULL, "object", NULL, NULL, NULL, NULL,
      NULL, NULL },
};
static const bo__vkind kinds[] = {
    { "provenance", 1, prov_parts, BO__VN(prov_parts) },
};
static const bo__vaction actions[] = {
    { "book.provenance.record", "provenance", "provenance:", NULL },
};
static const bo__vdomain verify = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};

const bo__domain bo__domain_provenance = {
    .name = "provenance",
    .parts = parts,
    .tables = tables,
    .ntables = &ntables,
    .verify = &verify,
};

/* ---- for importers -------------------------------------------------------- */

static const char SQL_LOAD[] =
    "SELECT object, digest, record, attrs FROM provenance WHERE system = ? AND source = ?"
    " ORDER BY object";
static const char SQL_DEL[] =
    "DELETE FROM provenance WHERE system = ? AND source = ? AND object = ?";
static const char SQL_INS[] =
    "INSERT INTO provenance (system, source, object, digest, record, attrs)"
    " VALUES (?, ?, ?, ?, ?, ?)";

void bo__prov_free(bo__prov_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        bo__free(rows[i].object);
        bo__free(rows[i].digest);
        bo__free(rows[i].record);
        bo__free(rows[i].attrs);
    }
    bo__free(rows);
}

int bo__prov_load(bo_book *b, const char *system, const char *source, bo__prov_row **rows,
                  size_t *n)
{
    *rows = NULL;
    *n = 0;
    size_t cap = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_LOAD, &s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_bind(s, "tt", system, source))) {
        bo__stmt_done(s);
        return rc;
    }
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        if ((rc = bo__grow((void **)rows, &cap, *n, sizeof **rows)))
            break;
        bo__prov_row *r = &(*rows)[*n];
        memset(r, 0, sizeof *r);
        (*n)++;
        if (!(r->object = bo__strdup(bo__stmt_col_text(s, 0))) ||
            !(r->digest = bo__strdup(bo__stmt_col_text(s, 1))) ||
            !(r->record = bo__strdup(bo__stmt_col_text(s, 2))) ||
            !(r->attrs = bo__strdup(bo__stmt_col_text(s, 3)))) {
            rc = BO_ENOMEM;
            break;
        }
    }
    bo__stmt_done(s);
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    if (rc) {
        bo__prov_free(*rows, *n);
        *rows = NULL;
        *n = 0;
    }
    return rc;
}

static int by_object(const void *key, const void *row)
{
    return strcmp(key, ((const bo__prov_row *)row)->object);
}

bo__prov_row *bo__prov_find(bo__prov_row *rows, size_t n, const char *object)
{
    /* the store's order is its collation; a miss by bisection falls back
     * to a scan, so the answer never depends on it */
    bo__prov_row *r = n ? bsearch(object, rows, n, sizeof *rows, by_object) : NULL;
    for (size_t i = 0; !r && i < n; i++)
        if (!strcmp(rows[i].object, object))
            r = &rows[i];
    return r;
}

int bo__prov_put(bo_book *b, const char *system, const char *source, const char *object,
                 const char *digest, const char *record, const char *attrs)
{
    int rc = bo__store_run(b->store, SQL_DEL, "ttt", system, source, object);
    if (!rc)
        rc = bo__store_run(b->store, SQL_INS, "tttttt", system, source, object, digest,
                           record ? record : "", attrs ? attrs : "");
    return rc;
}

int bo__prov_seal(bo_book *b, const char *system, const char *source, int64_t written)
{
    char object[BO_TEXT_MAX + 64];
    snprintf(object, sizeof object, "provenance:%s:%s", system, source);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, system);
    bo__buf_field(&d, source);
    bo__buf_field_int(&d, written);
    int rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "book.provenance.record", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

/* ---- comparisons ---------------------------------------------------------- */

static const bo__col diff_cols[] = {
    { "change", BO_TYPE_TEXT },
    { "kind", BO_TYPE_TEXT },
    { "object", BO_TYPE_TEXT },
    { "record", BO_TYPE_TEXT },
};

int bo__prov_diff_add(bo__prov_diff *d, const char *change, const char *kind,
                      const char *object, const char *record)
{
    int rc = bo__grow((void **)&d->cells, &d->cap, d->n, sizeof *d->cells * 4);
    if (rc)
        return rc;
    const char *v[4] = { change, kind, object, record ? record : "" };
    bo__cell *c = &d->cells[d->n * 4];
    for (int i = 0; i < 4; i++) {
        c[i].type = BO_TYPE_TEXT;
        c[i].i = 0;
        c[i].text = NULL;
    }
    d->n++;
    for (int i = 0; i < 4; i++)
        if (!(c[i].text = bo__strdup(v[i])))
            return BO_ENOMEM;
    return 0;
}

int bo__prov_compare_one(bo__prov_row *rows, size_t n, const char *kind, const char *object,
                         const char *digest, int *write, bo__prov_row **row, bo__prov_diff *d,
                         int counts[3])
{
    bo__prov_row *r = bo__prov_find(rows, n, object);
    if (row)
        *row = r;
    if (!r) {
        counts[0]++;
        *write = 1;
        return bo__prov_diff_add(d, "added", kind, object, "");
    }
    r->seen = 1;
    if (strcmp(r->digest, digest)) {
        counts[1]++;
        return bo__prov_diff_add(d, "changed", kind, object, r->record);
    }
    return 0;
}

int bo__prov_missing(bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3])
{
    int rc = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (!rows[i].seen) {
            counts[2]++;
            rc = bo__prov_diff_add(d, "missing",
                                   !strncmp(rows[i].record, "account:", 8) ? "account"
                                   : !strncmp(rows[i].attrs, "price ", 6)  ? "price"
                                   : !strncmp(rows[i].record, "party:", 6) ? "party"
                                   : !strncmp(rows[i].record, "tax:", 4)   ? "tax table"
                                   : !strncmp(rows[i].record, "invoice:", 8) ? "invoice"
                                                                           : "transaction",
                                   rows[i].object, rows[i].record);
        }
    return rc;
}

int bo__prov_compare(bo__prov_row *rows, size_t n, bo__prov_item *items, size_t nitems,
                     bo__prov_diff *d, int counts[3])
{
    int rc = 0;
    for (size_t i = 0; !rc && i < nitems; i++)
        rc = bo__prov_compare_one(rows, n, items[i].kind, items[i].object, items[i].digest,
                                  &items[i].write, NULL, d, counts);
    return rc ? rc : bo__prov_missing(rows, n, d, counts);
}

int bo__prov_diff_cursor(bo__prov_diff *d, bo_cursor **out)
{
    int rc = bo__cursor_rows(diff_cols, 4, d->cells, d->n, out);
    d->cells = NULL;
    d->n = d->cap = 0;
    return rc;
}

void bo__prov_diff_free(bo__prov_diff *d)
{
    bo__cells_free(d->cells, d->n * 4);
    d->cells = NULL;
    d->n = d->cap = 0;
}

/* ---- the listing ------------------------------------------------------- */

static const bo__col prov_cols[] = {
    { "system", BO_TYPE_TEXT },
    { "source", BO_TYPE_TEXT },
    { "object", BO_TYPE_TEXT },
    { "digest", BO_TYPE_TEXT },
    { "record", BO_TYPE_TEXT },
    { "attrs", BO_TYPE_TEXT },
};

static const char SQL_LIST[] =
    "SELECT system, source, object, digest, record, attrs FROM provenance"
    " WHERE system = ? ORDER BY system, source, object";
static const char SQL_LIST_ONE[] =
    "SELECT system, source, object, digest, record, attrs FROM provenance"
    " WHERE system = ? AND source = ? ORDER BY system, source, object";

int bo_book_provenance(bo_book *book, const char *system, const char *source,
                       bo_cursor **out)
{
    bo__error_clear();
    if (out)
        *out = NULL;
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "%s: NULL", book ? "out" : "book");
    int rc;
    if ((rc = bo__name_check("system", system, BO_NAME_MAX)) ||
        (source && (rc = bo__text_check("source", source, BO_TEXT_MAX, false, false))))
        return rc;
    if (!source)
        return bo__listing(book, BO__P_LEDGER_READ, NULL, SQL_LIST, prov_cols, 6, out, "t",
                           system);
    return bo__listing(book, BO__P_LEDGER_READ, NULL, SQL_LIST_ONE, prov_cols, 6, out, "tt",
                       system, source);
}
