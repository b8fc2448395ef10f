/* Document types, their typed fields, retention rules and type holds; the
 * content store setting. */
#include "documents/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char SQL_BUILTINS[] =
    "INSERT INTO doc_types (name, retention_years) VALUES"
    " ('contract', 10), ('application_form', 6), ('financial_report', 10),"
    " ('invoice', 10), ('receipt', 10), ('other', 0)"
    " ON CONFLICT (name) DO NOTHING";

int bo__doc_builtins(bo_book *b, int touch)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_BUILTINS, &s);
    if (rc)
        return rc;
    rc = bo__stmt_run(s);
    int64_t added = rc ? 0 : bo__store_changes(b->store);
    bo__stmt_done(s);
    /* The built-in types are written without a record of their own: their
     * states join the record of the transaction (the book's creation, its
     * upgrade). They are added all together or not at all. */
    static const char *const builtins[] = {
        "contract", "application_form", "financial_report", "invoice", "receipt", "other",
    };
    for (size_t i = 0; !rc && touch && added && i < sizeof builtins / sizeof *builtins; i++)
        rc = bo__audit_touch_name(b, "doc_type", builtins[i]);
    return rc;
}

int bo__doc_seed(bo_book *b, int from)
{
    int rc = 0;
    /* From before the audit states, the upgrade records every state. */
    if (from < BO__SCHEMA_DOC_TYPES)
        rc = bo__doc_builtins(b, from == 0 || from >= BO__SCHEMA_AUDIT_STATES);
    /* Books that kept audit states: carry those of doc_settings (one record,
     * "documents") over to the settings table. */
    if (!rc && from >= BO__SCHEMA_AUDIT_STATES && from < BO__SCHEMA_SETTINGS)
        rc = bo__setting_carry(b, "doc.settings", "documents", "documents");
    return rc;
}

static const char SQL_TYPE_ADD[] =
    "INSERT INTO doc_types (name, retention_years) VALUES (?, ?)"
    " ON CONFLICT (name) DO NOTHING";
static const char SQL_FIELD_ADD[] =
    "INSERT INTO doc_type_fields (type, name, kind) VALUES (?, ?, ?)"
    " ON CONFLICT (type, name) DO NOTHING";
static const char SQL_TYPE_RET[] = "UPDATE doc_types SET retention_years = ? WHERE name = ?";
static const char SQL_TYPE_HOLD[] = "UPDATE doc_types SET hold = ? WHERE name = ?";
static const char SQL_TYPE_EXISTS[] = "SELECT 1 FROM doc_types WHERE name = ?";

struct type_ctx {
    const char *name, *field, *kind;
    int years, op; /* 0 add, 1 field, 2 retention, 3 hold, 4 open fields */
};

/* A type's open-fields switch is a setting "documents.open_fields:<type>". */
static int open_key(const char *type, char out[BO_DOCUMENT_NAME_MAX + 16])
{
    snprintf(out, BO_DOCUMENT_NAME_MAX + 16, "open_fields:%s", type);
    return 0;
}

static int type_tx(bo_book *b, void *p)
{
    struct type_ctx *c = p;
    int rc = bo__require(b, BO__P_DOCUMENTS_ADMIN);
    if (rc)
        return rc;
    int changed = 0;
    if (c->op == 0)
        rc = bo__store_run(b->store, SQL_TYPE_ADD, "ti", c->name, c->years);
    else if (c->op == 1 || c->op == 4)
        rc = bo__store_row(b->store, SQL_TYPE_EXISTS, &changed, "t", c->name);
    else
        rc = bo__store_run(b->store, c->op == 2 ? SQL_TYPE_RET : SQL_TYPE_HOLD, "it",
                           c->years, c->name);
    if (rc)
        return rc;
    if (c->op != 1 && c->op != 4)
        changed = bo__store_changes(b->store) > 0;
    if (!changed)
        return c->op == 0 ? bo__error_set(BO_EEXISTS, "type: '%s' already exists", c->name)
                          : bo__error_set(BO_ENOTFOUND, "type: '%s' is not a document "
                                          "type", c->name);
    if (c->op == 1) {
        rc = bo__store_run(b->store, SQL_FIELD_ADD, "ttt", c->name, c->field, c->kind);
        if (!rc && bo__store_changes(b->store) == 0)
            rc = bo__error_set(BO_EEXISTS, "field: '%s' already exists in type '%s'",
                               c->field, c->name);
        if (rc)
            return rc;
    }
    if (c->op == 4) {
        char key[BO_DOCUMENT_NAME_MAX + 16];
        open_key(c->name, key);
        if ((rc = bo__setting_put(b, "documents", key, c->years ? "1" : "0")))
            return rc;
    }
    static const char *const actions[] = {
        "documents.type.add", "documents.type.field_add", "documents.type.retention_set",
        "documents.type.hold", "documents.type.open_fields_set"
    };
    char object[BO_DOCUMENT_NAME_MAX + 16], detail[BO_DOCUMENT_NAME_MAX + 32];
    snprintf(object, sizeof object, "doc_type:%s", c->name);
    if (c->op == 1)
        snprintf(detail, sizeof detail, "%s:%s", c->field, c->kind);
    else
        snprintf(detail, sizeof detail, "%d", c->years);
    return bo__audit_append(b, actions[c->op], object, detail);
}

/* Operation op (0 add, 2 retention: years checked; 3 hold, 4 open fields:
 * years the flag) on the type named type, checked first. */
static int type_write(bo_book *b, const char *type, int years, int op)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__doc_name_check("type", type);
    if (rc)
        return rc;
    if ((op == 0 || op == 2) && (years < 0 || years > 200))
        return bo__error_set(BO_EINVAL, "retention_years: %d is not 0..200", years);
    struct type_ctx c = { type, NULL, NULL, years, op };
    return bo__write(b, type_tx, &c);
}

int bo_document_type_add(bo_book *b, const char *name, int years)
{
    return type_write(b, name, years, 0);
}

int bo_document_type_field_add(bo_book *b, const char *type, const char *field,
                          const char *kind)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__doc_name_check("type", type)) || (rc = bo__doc_name_check("field", field)))
        return rc;
    if (!kind || (strcmp(kind, "text") && strcmp(kind, "date") && strcmp(kind, "int") &&
                  strcmp(kind, "money")))
        return bo__error_set(BO_EINVAL, "kind: not one of text, date, int, money");
    struct type_ctx c = { type, field, kind, 0, 1 };
    return bo__write(b, type_tx, &c);
}

int bo_document_type_retention(bo_book *b, const char *type, int years)
{
    return type_write(b, type, years, 2);
}

int bo_document_type_open_fields(bo_book *b, const char *type, int on)
{
    return type_write(b, type, on ? 1 : 0, 4);
}

int bo__doc_type_open(bo_book *b, const char *type, int *open)
{
    char value[4] = "", key[BO_DOCUMENT_NAME_MAX + 16];
    open_key(type, key);
    int rc = bo__setting_get(b, "documents", key, value, sizeof value, NULL);
    *open = strcmp(value, "1") == 0;
    return rc;
}

int bo_document_type_hold(bo_book *b, const char *type, int on)
{
    return type_write(b, type, on ? 1 : 0, 3);
}

#define OPEN_FIELDS_COL \
    ", (SELECT COUNT(*) FROM settings o" \
    " WHERE o.key = 'documents.open_fields:' || t.name" \
    " AND o.value = '1')"
/* The fields as "name:kind,...", joined by the driver's string aggregate
 * (bo_driver.string_agg) between these two halves. */
static const char SQL_TYPES_HEAD[] =
    "SELECT t.name, t.retention_years, t.hold, COALESCE((SELECT ";
static const char SQL_TYPES_TAIL[] =
    " FROM (SELECT name, kind FROM doc_type_fields WHERE type = t.name ORDER BY"
    " name) f), '')" OPEN_FIELDS_COL " FROM doc_types t ORDER BY t.name";
static const bo__col type_cols[] = {
    { "name", BO_TYPE_TEXT }, { "retention_years", BO_TYPE_INT },
    { "hold", BO_TYPE_INT }, { "fields", BO_TYPE_TEXT }, { "open_fields", BO_TYPE_INT },
};

int bo_document_types(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__require(b, BO__P_DOCUMENTS_READ);
    if (rc)
        return rc;
    bo__buf sql = BO__BUF_INIT;
    bo__buf_puts(&sql, SQL_TYPES_HEAD);
    if (!(rc = bo__store_string_agg(b->store, "f.name || ':' || f.kind", "','", &sql))) {
        bo__buf_puts(&sql, SQL_TYPES_TAIL);
        rc = bo__buf_put(&sql, "", 1) || sql.failed ? BO_ENOMEM
           : bo__cursor_new(b, sql.ptr, type_cols, 5, out);
    }
    bo__buf_free(&sql);
    return rc;
}

/* ---- the content store ------------------------------------------------------ */

static int setting(bo_book *b, const char *key, char **out)
{
    return bo__setting_dup(b, "documents", key, out);
}

int bo__doc_store_get(bo_book *b, int *kind, char **root)
{
    char *k;
    *kind = BO__STORE_DB;
    *root = NULL;
    int rc = setting(b, "store", &k);
    if (rc)
        return rc;
    if (k && strcmp(k, "files") == 0) {
        *kind = BO__STORE_FILES;
        rc = setting(b, "root", root);
        if (!rc && !*root)
            rc = bo__error_set(BO_ECONFIG, "document store: files without a root");
    }
    bo__free(k);
    return rc;
}

struct store_ctx {
    const char *kind, *root;
};

static int store_tx(bo_book *b, void *p)
{
    struct store_ctx *c = p;
    int rc = bo__require(b, BO__P_DOCUMENTS_ADMIN);
    if (rc)
        return rc;
    if ((rc = bo__setting_put(b, "documents", "store", c->kind)))
        return rc;
    if (c->root && (rc = bo__setting_put(b, "documents", "root", c->root)))
        return rc;
    return bo__audit_append(b, "documents.settings.store_set", "setting:documents.store",
                            c->kind);
}

int bo_document_set_store(bo_book *b, const char *kind, const char *root)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if (kind && strcmp(kind, "database") == 0) {
        if (root)
            return bo__error_set(BO_EINVAL, "root: only for kind 'files'");
    } else if (kind && strcmp(kind, "files") == 0) {
        int fd;
        if ((rc = bo__text_check("root", root, 4096, false, false)) ||
            (rc = bo__docfs_root_open(root, &fd)))
            return rc;
        close(fd);
    } else {
        return bo__error_set(BO_EINVAL, "kind: not one of database, files");
    }
    struct store_ctx c = { kind, root };
    return bo__write(b, store_tx, &c);
}

/* ---- the largest version ------------------------------------------------------ */

int bo__doc_version_limit_get(bo_book *b, int64_t *bytes)
{
    char *v;
    *bytes = BO_DOCUMENT_VERSION_MAX_DEFAULT;
    int rc = setting(b, "max_version_bytes", &v);
    if (rc || !v)
        return rc;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || end == v || n < 1)
        rc = bo__error_set(BO_ECORRUPT, "document setting max_version_bytes: '%.32s' "
                           "is not a size", v);
    else
        *bytes = n;
    bo__free(v);
    return rc;
}

struct limit_ctx {
    int64_t bytes;
};

static int limit_set_tx(bo_book *b, void *p)
{
    struct limit_ctx *c = p;
    int rc = bo__require(b, BO__P_DOCUMENTS_ADMIN);
    if (rc)
        return rc;
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, c->bytes);
    if ((rc = bo__setting_put(b, "documents", "max_version_bytes", text)))
        return rc;
    return bo__audit_append(b, "documents.settings.version_limit_set",
                            "setting:documents.max_version_bytes", text);
}

int bo_document_set_version_limit(bo_book *b, int64_t max_bytes)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (max_bytes < 1)
        return bo__error_set(BO_EINVAL, "max_version_bytes: %" PRId64 " is not a "
                             "positive number of bytes", max_bytes);
    struct limit_ctx c = { max_bytes };
    return bo__write(b, limit_set_tx, &c);
}

int bo_document_version_limit(bo_book *b, int64_t *max_bytes)
{
    bo__error_clear();
    if (max_bytes)
        *max_bytes = 0;
    if (!b || !max_bytes)
        return bo__error_set(BO_EINVAL, "book/max_bytes: NULL");
    int rc = bo__require(b, BO__P_DOCUMENTS_READ);
    return rc ? rc : bo__doc_version_limit_get(b, max_bytes);
}
