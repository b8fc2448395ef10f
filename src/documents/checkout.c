/* Check-out and check-in: a document being edited by one actor refuses new
 * versions from everyone else (BO_ELOCKED) until it is checked in. */
#include "documents/documents.h"

#include <inttypes.h>
#include <string.h>

static const char SQL_OUT[] =
    "UPDATE doc_documents SET checked_out_by = ? WHERE id = ?";
static const char SQL_IN[] =
    "UPDATE doc_documents SET checked_out_by = NULL WHERE id = ?";

struct co_ctx {
    int64_t id;
    int in;
};

static int co_tx(bo_book *b, void *p)
{
    struct co_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__doc_load_live(b, BO__P_DOCUMENTS_WRITE, c->id, &row)))
        return rc;
    const char *me = b->actor ? b->actor : "";
    int mine = row.checked_out && strcmp(row.checked_out_by, me) == 0;
    bo__stmt *s;
    if (!c->in) {
        if (mine)
            return 0;
        if (row.checked_out)
            return bo__error_set(BO_ELOCKED, "document %" PRId64 ": checked out by "
                                 "another actor", c->id);
        if ((rc = bo__stmt_get(b->store, SQL_OUT, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "ti", me, c->id)))
            rc = bo__stmt_run(s);
    } else {
        if (!row.checked_out)
            return bo__error_set(BO_ESTATE, "document %" PRId64 ": not checked out", c->id);
        if (!mine) {
            int admin = bo__has(b, BO__P_DOCUMENTS_ADMIN);
            if (admin < 0)
                return admin;
            if (!admin)
                return bo__error_set(BO_ELOCKED, "document %" PRId64 ": checked out "
                                     "by another actor (documents.admin may release "
                                     "it)", c->id);
        }
        if ((rc = bo__stmt_get(b->store, SQL_IN, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "i", c->id)))
            rc = bo__stmt_run(s);
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[32];
    bo__doc_object(c->id, object);
    return bo__audit_append(b, c->in ? "documents.document.checkin" : "documents.document.checkout", object,
                            c->in && !mine ? "released by documents.admin" : "");
}

int bo_document_checkout(bo_book *b, int64_t id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct co_ctx c = { id, 0 };
    return bo__write(b, co_tx, &c);
}

int bo_document_checkin(bo_book *b, int64_t id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct co_ctx c = { id, 1 };
    return bo__write(b, co_tx, &c);
}
