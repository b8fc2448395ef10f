/* Links from documents to the records they support, both ways. A record is
 * named by (kind, ref) text: nothing here reads another domain's tables. */
#include "documents/documents.h"

#include <stdio.h>
#include <string.h>

static const char SQL_LINK[] =
    "INSERT INTO doc_links (doc_id, kind, ref) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
static const char SQL_UNLINK[] =
    "DELETE FROM doc_links WHERE doc_id = ? AND kind = ? AND ref = ?";

struct link_ctx {
    int64_t id;
    const char *kind, *ref;
    int remove;
};

static int link_tx(bo_book *b, void *p)
{
    struct link_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_WRITE)) || (rc = bo__doc_load(b, c->id, &row)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, c->remove ? SQL_UNLINK : SQL_LINK, &s)))
        return rc;
    if (!(rc = bo__stmt_int(s, 1, c->id)) && !(rc = bo__stmt_text(s, 2, c->kind)) &&
        !(rc = bo__stmt_text(s, 3, c->ref)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    if (rc)
        return rc;
    int64_t n = bo__store_changes(b->store);
    if (c->remove && n == 0)
        return bo__error_set(BO_ENOTFOUND, "link: document %lld is not linked to "
                             "that %s", (long long)c->id, c->kind);
    if (n == 0)
        return 0;
    char object[32];
    bo__doc_object(c->id, object);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->kind);
    bo__buf_field(&d, c->ref);
    rc = d.failed ? BO_ENOMEM
       : bo__audit_append(b, c->remove ? "document.unlink" : "document.link", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

static int link_common(bo_book *b, int64_t id, const char *kind, const char *ref,
                       int remove)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__doc_link_kind_check(kind)) ||
        (rc = bo__text_check("ref", ref, BO_DOC_TEXT_MAX, false, false)))
        return rc;
    struct link_ctx c = { id, kind, ref, remove };
    return bo__write(b, link_tx, &c);
}

int bo_doc_link(bo_book *b, int64_t id, const char *kind, const char *ref)
{
    return link_common(b, id, kind, ref, 0);
}

int bo_doc_unlink(bo_book *b, int64_t id, const char *kind, const char *ref)
{
    return link_common(b, id, kind, ref, 1);
}

static const char SQL_LINKS[] =
    "SELECT kind, ref FROM doc_links WHERE doc_id = ? ORDER BY kind, ref";
static const bo__col link_cols[] = { { "kind", BO_TYPE_TEXT }, { "ref", BO_TYPE_TEXT } };

int bo_doc_links(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__doc_read_cursor(b, id, SQL_LINKS, link_cols, 2, 1, "document.read", out);
}

static const char SQL_LINKED[] =
    "SELECT d.id, d.type, d.title, d.doc_date, CASE d.classification WHEN 0 THEN"
    " 'public' WHEN 1 THEN 'internal' WHEN 2 THEN 'confidential' ELSE 'restricted'"
    " END FROM doc_links l JOIN doc_documents d ON d.id = l.doc_id"
    " WHERE l.kind = ? AND l.ref = ? AND " BO__DOC_VISIBLE("d") " ORDER BY d.id";
static const bo__col linked_cols[] = {
    { "id", BO_TYPE_INT }, { "type", BO_TYPE_TEXT }, { "title", BO_TYPE_TEXT },
    { "date", BO_TYPE_TEXT }, { "classification", BO_TYPE_TEXT },
};

int bo_doc_linked(bo_book *b, const char *kind, const char *ref, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    bo__doc_who w;
    if ((rc = bo__doc_link_kind_check(kind)) ||
        (rc = bo__text_check("ref", ref, BO_DOC_TEXT_MAX, false, false)) ||
        (rc = bo__require(b, BO__P_DOCUMENTS_READ)) || (rc = bo__doc_who_get(b, &w)))
        return rc;
    if ((rc = bo__cursor_new(b, SQL_LINKED, linked_cols, 5, out)))
        return rc;
    bo__stmt *s = bo__cursor_stmt(*out);
    if ((rc = bo__stmt_text(s, 1, kind)) || (rc = bo__stmt_text(s, 2, ref)) ||
        (rc = bo__doc_who_bind(s, 3, &w))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}
