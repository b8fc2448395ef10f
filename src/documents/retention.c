/* Retention and legal holds. A document may be disposed of only when its
 * type's retention rule has ended (document date + N years) and neither it
 * nor its type is on hold; disposal erases its content (unless another live
 * document shares it), metadata, tags and searchable text, and keeps the
 * record as a tombstone, with an audit record. */
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_HOLD[] = "UPDATE doc_documents SET hold = ? WHERE id = ?";

struct hold_ctx {
    int64_t id;
    int on;
};

static int hold_tx(bo_book *b, void *p)
{
    struct hold_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_ADMIN)) || (rc = bo__doc_load(b, c->id, &row)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_HOLD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", c->on, c->id)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[32];
    bo__doc_object(c->id, object);
    return bo__audit_append(b, c->on ? "documents.document.hold" : "documents.document.release", object, "");
}

int bo_document_hold(bo_book *b, int64_t id, int on)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct hold_ctx c = { id, on ? 1 : 0 };
    return bo__write(b, hold_tx, &c);
}

/* ---- disposal ---------------------------------------------------------------- */

static const char SQL_CONTENTS_OF[] =
    "SELECT DISTINCT content_id FROM doc_versions WHERE doc_id = ? AND"
    " content_id IS NOT NULL";
static const char SQL_DETACH[] =
    "UPDATE doc_versions SET content_id = NULL WHERE doc_id = ?";
static const char SQL_REFS[] = "SELECT COUNT(*) FROM doc_versions WHERE content_id = ?";
static const char SQL_CONTENT[] =
    "SELECT store, root, stored_sha256 FROM doc_contents WHERE id = ?";
static const char SQL_CONTENT_DEL[] = "DELETE FROM doc_contents WHERE id = ?";
static const char SQL_META_DEL[] = "DELETE FROM doc_meta WHERE doc_id = ?";
static const char SQL_TAGS_DEL[] = "DELETE FROM doc_tags WHERE doc_id = ?";
static const char SQL_TEXT_DEL[] = "DELETE FROM doc_text WHERE doc_id = ?";
static const char SQL_TOMBSTONE[] =
    "UPDATE doc_documents SET disposed_at = ?, disposed_by = ?, checked_out_by = NULL"
    " WHERE id = ?";

struct dispose_ctx {
    int64_t id;
    char today[11];
    bo__doc_gone gone;
};

static int by_id(bo_book *b, const char *sql, int64_t id)
{
    int rc = bo__store_run(b->store, sql, "i", id);
    return rc;
}

static int count_of(bo_book *b, const char *sql, int64_t id, int64_t *n)
{
    *n = 0;
    return bo__store_row(b->store, sql, NULL, "i>i", id, n);
}

/* Erase content id if no version refers to it any more. */
static int erase_content(bo_book *b, bo__doc_gone *c, int64_t cid)
{
    int64_t refs;
    int rc = count_of(b, SQL_REFS, cid, &refs);
    if (rc || refs > 0)
        return rc; /* shared with another live document: stays */
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_CONTENT, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", cid))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW && strcmp(bo__stmt_col_text(s, 0), "files") == 0 &&
            !bo__stmt_is_null(s, 1) && !bo__stmt_is_null(s, 2)) {
            bo__doc_file *f = bo__realloc(c->files, (c->nfiles + 1) * sizeof *f);
            if (!f) {
                rc = BO_ENOMEM;
            } else {
                c->files = f;
                f += c->nfiles;
                snprintf(f->hex, sizeof f->hex, "%s", bo__stmt_col_text(s, 2));
                f->root = bo__strdup(bo__stmt_col_text(s, 1));
                rc = f->root ? 0 : BO_ENOMEM;
                if (!rc)
                    c->nfiles++;
            }
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__docdb_erase(b, cid)))
        return rc;
    return by_id(b, SQL_CONTENT_DEL, cid);
}

/* Detach every version of document id from its content and erase the
 * contents no other version uses; then its metadata, tags and text. */
static int erase_parts(bo_book *b, int64_t id, bo__doc_gone *gone)
{
    /* Collect first: the statement cannot stay open across the writes. */
    int64_t *ids = NULL;
    size_t n = 0;
    bo__stmt *s;
    int rc;
    if ((rc = bo__stmt_get(b->store, SQL_CONTENTS_OF, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t *more = bo__realloc(ids, (n + 1) * sizeof *ids);
            if (!more) {
                rc = BO_ENOMEM;
                break;
            }
            ids = more;
            ids[n++] = bo__stmt_col_int(s, 0);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (!rc)
        rc = by_id(b, SQL_DETACH, id);
    for (size_t i = 0; i < n && !rc; i++)
        rc = erase_content(b, gone, ids[i]);
    bo__free(ids);
    if (rc || (rc = by_id(b, SQL_META_DEL, id)) || (rc = by_id(b, SQL_TAGS_DEL, id)))
        return rc;
    return by_id(b, SQL_TEXT_DEL, id);
}

static int dispose_tx(bo_book *b, void *p)
{
    struct dispose_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_ADMIN)) || (rc = bo__doc_load(b, c->id, &row)))
        return rc;
    if (row.disposed)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": already disposed of", c->id);
    if (row.retention == 0)
        return bo__error_set(BO_ERETAINED, "document %" PRId64 ": type '%s' has no "
                             "retention rule (kept for ever)", c->id, row.type);
    char until[16];
    snprintf(until, sizeof until, "%04d%s", atoi(row.date) + row.retention, row.date + 4);
    if (strcmp(c->today, until) < 0)
        return bo__error_set(BO_ERETAINED, "document %" PRId64 ": retained until %s",
                             c->id, until);
    if (row.hold)
        return bo__error_set(BO_ERETAINED, "document %" PRId64 ": under legal hold",
                             c->id);
    if ((rc = erase_parts(b, c->id, &c->gone)))
        return rc;
    bo__stmt *s;
    char now[64];
    bo__now_iso(now);
    if ((rc = bo__stmt_get(b->store, SQL_TOMBSTONE, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "tti", now, b->actor, c->id)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[32], detail[64];
    bo__doc_object(c->id, object);
    snprintf(detail, sizeof detail, "retained until %s; %zu content(s) erased", until,
             c->gone.nfiles);
    if ((rc = bo__audit_append(b, "documents.document.dispose", object, detail)))
        return rc;
    return bo__event_queue(b, "document.disposed", c->id);
}

void bo__doc_gone_finish(bo_book *b, bo__doc_gone *g, int committed)
{
    /* Files go only once the commit has made the tombstone durable; a
     * failure here leaves an unreferenced file, never a missing one. Inside
     * a host's transaction the files stay (the host may still roll back). */
    for (size_t i = 0; committed && b->depth == 0 && i < g->nfiles; i++) {
        bo__error_state es;
        bo__error_save(&es);
        bo__docfs_unlink(g->files[i].root, g->files[i].hex);
        bo__error_restore(&es);
    }
    for (size_t i = 0; i < g->nfiles; i++)
        bo__free(g->files[i].root);
    bo__free(g->files);
    g->files = NULL;
    g->nfiles = 0;
}

int bo_document_dispose(bo_book *b, int64_t id, bo_date today)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct dispose_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    bo__date_iso(today ? today : bo_date_today(), c.today);
    if (!c.today[0])
        return bo__error_set(BO_EINVAL, "today: out of range");
    int rc = bo__write(b, dispose_tx, &c);
    bo__doc_gone_finish(b, &c.gone, rc == 0);
    return rc;
}

/* ---- erasure ---------------------------------------------------------------- */

static const char SQL_LINKS_DEL[] = "DELETE FROM doc_links WHERE doc_id = ?";
static const char SQL_NAMES_DEL[] = "UPDATE doc_versions SET filename = NULL WHERE doc_id = ?";
static const char SQL_ERASED[] =
    "UPDATE doc_documents SET title = 'erased', idem_key = NULL, checked_out_by = NULL,"
    " disposed_at = COALESCE(disposed_at, ?), disposed_by = COALESCE(disposed_by, ?)"
    " WHERE id = ?";
static const char SQL_HELD[] =
    "SELECT d.hold, t.hold FROM doc_documents d JOIN doc_types t ON t.name = d.type"
    " WHERE d.id = ?";

static const char SQL_FTS_OPTIMIZE[] = "INSERT INTO doc_fts (doc_fts) VALUES ('optimize')";

int bo__doc_fts_compact(bo_book *b)
{
    if (!bo__store_has_fts(b->store))
        return 0;
    /* Only an FTS5 index (the driver's DDL says which) has segments. */
    bo__buf ddl = BO__BUF_INIT;
    int rc = bo__store_fts_index(b->store, &bo__fts_documents, &ddl);
    int fts5 = 0;
    if (!rc && ddl.failed)
        rc = BO_ENOMEM;
    if (!rc && ddl.len) {
        bo__buf_put(&ddl, "", 1);
        fts5 = !ddl.failed && strstr(ddl.ptr, " USING fts5(") != NULL &&
               strcmp(bo__fts_documents.index, "doc_fts") == 0;
    }
    bo__buf_free(&ddl);
    if (rc || !fts5)
        return rc;
    return bo__store_run(b->store, SQL_FTS_OPTIMIZE, "");
}

int bo__doc_erase(bo_book *b, int64_t id, const char *why, bo__doc_gone *gone)
{
    int64_t own = 0, type = 0;
    int found = 0;
    int rc = bo__store_row(b->store, SQL_HELD, &found, "i>ii", id, &own, &type);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
    if (own || type)
        return bo__error_set(BO_ERETAINED, "document %" PRId64 ": under legal hold", id);
    if ((rc = erase_parts(b, id, gone)) || (rc = by_id(b, SQL_LINKS_DEL, id)) ||
        (rc = by_id(b, SQL_NAMES_DEL, id)))
        return rc;
    char now[64];
    bo__now_iso(now);
    if ((rc = bo__store_run(b->store, SQL_ERASED, "tti", now, b->actor ? b->actor : "", id)))
        return rc;
    char object[32], detail[160];
    bo__doc_object(id, object);
    snprintf(detail, sizeof detail, "%s: content, file names, metadata, tags, text and links"
             " erased", why);
    return bo__audit_append(b, "documents.document.erase", object, detail);
}
