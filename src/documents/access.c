/* Who may see which document, the per-book state, and the audit record of
 * every access to confidential and restricted documents. */
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void docx_free(void *p)
{
    if (!p)
        return;
    bo__docx *x = p;
    while (x->live.next && x->live.next != &x->live) {
        bo__doc_live *l = x->live.next;
        bo__doc_live_remove(l);
        l->detach(l);
    }
    sodium_memzero(p, sizeof(bo__docx));
    bo__free(p);
}

/* The documents' cache on a handle (src/core/domain.h). */
int bo__documents_slot;
const bo__domain_cache bo__documents_cache = { &bo__documents_slot, NULL, NULL, docx_free,
                                               NULL };

bo__docx *bo__docx_get(bo_book *b)
{
    bo__ext *e = &b->ext[bo__documents_slot];
    if (!e->data) {
        bo__docx *x = bo__calloc(1, sizeof *x);
        if (!x)
            return NULL;
        x->live.prev = x->live.next = &x->live;
        e->data = x;
    }
    return e->data;
}

int bo__doc_live_add(bo_book *b, bo__doc_live *l)
{
    bo__docx *x = bo__docx_get(b);
    if (!x)
        return BO_ENOMEM;
    l->prev = &x->live;
    l->next = x->live.next;
    x->live.next->prev = l;
    x->live.next = l;
    return 0;
}

void bo__doc_live_remove(bo__doc_live *l)
{
    if (!l->next)
        return;
    l->prev->next = l->next;
    l->next->prev = l->prev;
    l->prev = l->next = NULL;
}

int bo_document_set_encryption_key(bo_book *b, const void *key, size_t len)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (key && len != BO_DOCUMENT_ENCRYPTION_KEY_BYTES)
        return bo__error_set(BO_EINVAL, "key: %zu bytes, expected %d", len,
                             BO_DOCUMENT_ENCRYPTION_KEY_BYTES);
    /* Forgotten first: a failure leaves the handle without a key. */
    bo__key_forget(b);
    return bo__key_set(b, key, len);
}

int bo__doc_who_get(bo_book *b, bo__doc_who *w)
{
    int conf = bo__has(b, BO__P_DOCUMENTS_CONFIDENTIAL);
    int admin = bo__has(b, BO__P_DOCUMENTS_ADMIN);
    if (conf < 0 || admin < 0)
        return conf < 0 ? conf : admin;
    w->actor = b->actor ? b->actor : "";
    w->conf = conf;
    w->restr = conf && admin;
    return 0;
}

int bo__doc_who_bind(bo__stmt *s, int idx, const bo__doc_who *w)
{
    return bo__stmt_bind_at(s, idx, "tii", w->actor, w->conf, w->restr);
}

static const char SQL_LOAD[] =
    "SELECT d.type, d.classification, d.owner, d.checked_out_by,"
    " d.disposed_at IS NOT NULL, d.hold, t.hold, t.retention_years, d.doc_date"
    " FROM doc_documents d JOIN doc_types t ON t.name = d.type"
    " WHERE d.id = ? AND " BO__DOC_VISIBLE("d");

static void copy_text(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

int bo__doc_load(bo_book *b, int64_t id, bo__doc_row *row)
{
    memset(row, 0, sizeof *row);
    bo__doc_who w;
    int rc = bo__doc_who_get(b, &w);
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_LOAD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id)) && !(rc = bo__doc_who_bind(s, 2, &w))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            row->id = id;
            copy_text(row->type, sizeof row->type, bo__stmt_col_text(s, 0));
            row->cls = (int)bo__stmt_col_int(s, 1);
            copy_text(row->owner, sizeof row->owner, bo__stmt_col_text(s, 2));
            row->checked_out = !bo__stmt_is_null(s, 3);
            copy_text(row->checked_out_by, sizeof row->checked_out_by,
                      bo__stmt_col_text(s, 3));
            row->disposed = (int)bo__stmt_col_int(s, 4);
            row->hold = bo__stmt_col_int(s, 5) || bo__stmt_col_int(s, 6);
            row->retention = (int)bo__stmt_col_int(s, 7);
            copy_text(row->date, sizeof row->date, bo__stmt_col_text(s, 8));
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
        }
    }
    bo__stmt_done(s);
    return rc;
}

int bo__doc_load_live(bo_book *b, unsigned perm, int64_t id, bo__doc_row *row)
{
    int rc;
    if ((rc = bo__require(b, perm)) || (rc = bo__doc_load(b, id, row)))
        return rc;
    if (row->disposed)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": disposed of", id);
    return 0;
}

int bo__doc_object(int64_t id, char out[32])
{
    return snprintf(out, 32, "document:%" PRId64, id);
}

int bo__doc_audit_access(bo_book *b, const bo__doc_row *row, const char *action)
{
    if (row->cls < BO_DOCUMENT_CONFIDENTIAL)
        return 0;
    char object[32];
    bo__doc_object(row->id, object);
    return bo__audit_append(b, action, object, bo_document_class_name(row->cls));
}

static const char *const class_names[] = {
    "public", "internal", "confidential", "restricted"
};

int bo_document_class_parse(const char *name)
{
    bo__error_clear();
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, class_names[i]) == 0)
            return i;
    return bo__error_set(BO_EINVAL, "classification: not one of public, "
                         "internal, confidential, restricted");
}

const char *bo_document_class_name(int cls)
{
    return cls >= 0 && cls < 4 ? class_names[cls] : NULL;
}
