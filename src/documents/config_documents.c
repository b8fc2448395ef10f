/*
 * The "documents" section of a book's YAML configuration:
 *
 *   documents:
 *     store:                       # optional; default: inside the database
 *       kind: files                # database | files
 *       root: docstore             # files: an existing folder, relative to
 *                                  # this file's folder (or absolute)
 *     types:                       # new types, or built-in ones to adjust
 *       - name: supplier_contract
 *         retention_years: 10      # from the document date; 0: no rule
 *         hold: true               # a legal hold on the whole type
 *         fields:
 *           - {name: amount, kind: money}   # text | date | int | money
 *         open_fields: false       # true: undeclared metadata fields too
 *     holds: [invoice]             # legal holds on whole types
 *     max_version_size: 64 MiB     # the largest version; default 256 MiB;
 *                                  # bytes, or KiB, MiB, GiB, TiB
 *
 * A "types" entry naming a type that exists (the built-in contract,
 * application_form, financial_report, invoice, receipt and other) sets its
 * retention rule when retention_years is given, and adds its fields.
 * Everything goes through the public calls, so the checks are the API's,
 * with the YAML position in front of the message. A relative root of a
 * configuration given as a string ("<string>") is relative to the working
 * folder. The encryption key is never part of a configuration.
 */
#include "core/config_check.h"
#include "documents/documents.h"

#include <stdio.h>
#include <string.h>

static int root_path(const bo__cfg_doc *d, const bo__cfg_node *at, const char *rel,
                     char *out, size_t size)
{
    const char *slash = strrchr(d->file, '/');
    int n = rel[0] == '/' || slash == NULL || d->file[0] == '<'
                ? snprintf(out, size, "%s", rel)
                : snprintf(out, size, "%.*s/%s", (int)(slash - d->file), d->file, rel);
    if (n < 0 || (size_t)n >= size)
        return bo__cfg_error(d, at, BO_ECONFIG, "documents.store.root: path too long");
    return 0;
}

static int bool_value(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                      int *out)
{
    if (v->kind != BO__CFG_SCALAR || v->type != BO__CFG_BOOL)
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected true or false, not %s", field,
                             bo__cfg_kind_name(v));
    *out = strcmp(v->text, "true") == 0 || strcmp(v->text, "True") == 0 ||
           strcmp(v->text, "TRUE") == 0;
    return 0;
}

static int store(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = {"kind", "root"};
    const bo__cfg_node *v[2];
    const char *kind, *root = NULL;
    char path[4096];
    int rc;
    if ((rc = bo__cfg_kind(d, node, BO__CFG_MAP, "documents.store")) ||
        (rc = bo__cfg_fields(d, node, "documents.store", keys, v, 2)))
        return rc;
    if (!v[0])
        return bo__cfg_missing(d, node, "documents.store", "kind");
    if ((rc = bo__cfg_text(d, v[0], "documents.store.kind", &kind)))
        return rc;
    if (strcmp(kind, "database") == 0) {
        if (v[1])
            return bo__cfg_error(d, v[1], BO_ECONFIG,
                                 "documents.store.root: only for kind files");
    } else if (strcmp(kind, "files") == 0) {
        if (!v[1])
            return bo__cfg_missing(d, node, "documents.store", "root");
        if ((rc = bo__cfg_text(d, v[1], "documents.store.root", &root)) ||
            (rc = root_path(d, v[1], root, path, sizeof path)))
            return rc;
        root = path;
    } else {
        return bo__cfg_error(d, v[0], BO_ECONFIG,
                             "documents.store.kind: expected database or files");
    }
    if ((rc = bo_document_set_store(b, kind, root)))
        return bo__cfg_apply_error(d, v[1] ? v[1] : v[0], rc);
    return 0;
}

static int field(bo_book *b, const bo__cfg_doc *d, const char *type,
                 const bo__cfg_node *item, const char *where)
{
    static const char *const keys[] = {"name", "kind"};
    const bo__cfg_node *v[2];
    const char *name, *kind;
    int rc;
    if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, item, where, keys, v, 2)))
        return rc;
    for (int i = 0; i < 2; i++)
        if (!v[i])
            return bo__cfg_missing(d, item, where, keys[i]);
    if ((rc = bo__cfg_text(d, v[0], "name", &name)) ||
        (rc = bo__cfg_text(d, v[1], "kind", &kind)))
        return rc;
    if ((rc = bo_document_type_field_add(b, type, name, kind)))
        return bo__cfg_apply_error(d, item, rc);
    return 0;
}

static int type(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *item,
                const char *where)
{
    static const char *const keys[] = {"name", "retention_years", "hold", "fields",
                                       "open_fields"};
    const bo__cfg_node *v[5];
    const char *name;
    int years = 0, hold = 0, open = 0, rc;
    if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
        (rc = bo__cfg_fields(d, item, where, keys, v, 5)))
        return rc;
    if (!v[0])
        return bo__cfg_missing(d, item, where, "name");
    if ((rc = bo__cfg_text(d, v[0], "name", &name)) ||
        (v[1] && (rc = bo__cfg_int(d, v[1], "retention_years", 0, 200, &years))) ||
        (v[2] && (rc = bool_value(d, v[2], "hold", &hold))) ||
        (v[4] && (rc = bool_value(d, v[4], "open_fields", &open))) ||
        (v[3] && (rc = bo__cfg_kind(d, v[3], BO__CFG_SEQ, "fields"))))
        return rc;
    rc = bo_document_type_add(b, name, years);
    if (rc == BO_EEXISTS) /* a built-in or earlier type: adjust it */
        rc = v[1] ? bo_document_type_retention(b, name, years) : 0;
    if (rc)
        return bo__cfg_apply_error(d, v[0], rc);
    if (hold && (rc = bo_document_type_hold(b, name, 1)))
        return bo__cfg_apply_error(d, v[2], rc);
    if (open && (rc = bo_document_type_open_fields(b, name, 1)))
        return bo__cfg_apply_error(d, v[4], rc);
    for (uint32_t i = 0; v[3] && i < v[3]->n; i++) {
        char fwhere[96];
        snprintf(fwhere, sizeof fwhere, "%s.fields[%u]", where, (unsigned)i);
        if ((rc = field(b, d, name, bo__cfg_node_at(d, v[3]->kids[i]), fwhere)))
            return rc;
    }
    return 0;
}

/* "1048576", "1048576 B", "64 MiB", "1GiB": a positive size in bytes. */
static int size_value(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                      int64_t *out)
{
    const char *text;
    int rc = bo__cfg_text(d, v, field, &text);
    if (rc)
        return rc;
    static const struct { const char *unit; int shift; } units[] = {
        { "", 0 }, { "B", 0 }, { "KiB", 10 }, { "MiB", 20 }, { "GiB", 30 }, { "TiB", 40 },
    };
    const char *p = text;
    uint64_t n = 0;
    int digits = 0, too_big = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (n > (UINT64_MAX - 9) / 10)
            too_big = 1;
        else
            n = n * 10 + (uint64_t)(*p - '0');
    }
    if (too_big)
        digits = 0;
    while (*p == ' ')
        p++;
    for (size_t i = 0; digits > 0 && i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(p, units[i].unit) != 0)
            continue;
        if (n == 0 || n > ((uint64_t)INT64_MAX >> units[i].shift))
            break;
        *out = (int64_t)(n << units[i].shift);
        return 0;
    }
    return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected a positive size in bytes, or "
                         "with a unit (KiB, MiB, GiB, TiB), such as 64 MiB", field);
}

int bo__cfg_section_documents(bo_book *book, const bo__cfg_doc *doc,
                              const bo__cfg_node *node)
{
    static const char *const keys[] = {"store", "types", "holds", "max_version_size"};
    const bo__cfg_node *v[4];
    int rc;
    if ((rc = bo__cfg_kind(doc, node, BO__CFG_MAP, "documents")) ||
        (rc = bo__cfg_fields(doc, node, "documents", keys, v, 4)))
        return rc;
    if (v[3]) {
        int64_t max = 0;
        if ((rc = size_value(doc, v[3], "documents.max_version_size", &max)))
            return rc;
        if ((rc = bo_document_set_version_limit(book, max)))
            return bo__cfg_apply_error(doc, v[3], rc);
    }
    if (v[1] && (rc = bo__cfg_kind(doc, v[1], BO__CFG_SEQ, "documents.types")))
        return rc;
    if (v[2] && (rc = bo__cfg_kind(doc, v[2], BO__CFG_SEQ, "documents.holds")))
        return rc;
    if (v[0] && (rc = store(book, doc, v[0])))
        return rc;
    for (uint32_t i = 0; v[1] && i < v[1]->n; i++) {
        char where[64];
        snprintf(where, sizeof where, "documents.types[%u]", (unsigned)i);
        if ((rc = type(book, doc, bo__cfg_node_at(doc, v[1]->kids[i]), where)))
            return rc;
    }
    for (uint32_t i = 0; v[2] && i < v[2]->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(doc, v[2]->kids[i]);
        const char *name;
        if ((rc = bo__cfg_text(doc, item, "documents.holds", &name)))
            return rc;
        if ((rc = bo_document_type_hold(book, name, 1)))
            return bo__cfg_apply_error(doc, item, rc);
    }
    return 0;
}
