/* What the audit chain covers in the documents tables (see
 * src/core/verify.h).
 *
 * Records of their own, their states stored with each change (the settings
 * are the core's, kind "setting"): document types (with their fields) and documents: the record
 * with its metadata, tags, versions, links and search text. A version's
 * state includes its content row (digests, sizes, key, store), read through
 * the join, so a content row is covered by every document using it.
 *
 * Checked from their source: the stored bytes of every content (the
 * database's chunks, or the file in a file store) against the content's
 * stored digest and size; a content no version uses, and chunks of no
 * content, are reported as inserted. The full-text index (doc_fts, or an
 * expression index) is not a table of the book's list: it is rebuilt from
 * doc_text, which is covered. */
#include "core/verify.h"
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart type_parts[] = {
    P("doc_types", "t.name", "name"),
    P("doc_type_fields", "t.type", "name"),
};
static const bo__vpart document_parts[] = {
    P("doc_documents", "t.id", "id"),
    P("doc_meta", "t.doc_id", "name"),
    P("doc_tags", "t.doc_id", "tag"),
    { "doc_versions", "t.doc_id",
      "doc_versions t LEFT JOIN doc_contents c ON c.id = t.content_id", "version",
      NULL, NULL, NULL,
      "c.id, c.sha256, c.stored_sha256, c.size, c.stored_size, c.key_id, c.store,"
      " c.root", "ittiittt", NULL },
    P("doc_links", "t.doc_id", "kind, ref"),
    P("doc_text", "t.doc_id", "doc_id"),
};

static const bo__vkind kinds[] = {
    { "doc_type", 1, type_parts, BO__VN(type_parts) },
    { "document", 0, document_parts, BO__VN(document_parts) },
};

static const bo__vaction actions[] = {
    { "documents.settings.store_set", NULL, NULL, NULL },
    { "documents.settings.version_limit_set", NULL, NULL, NULL },
    { "documents.type.add", "doc_type", "doc_type:", NULL },
    { "documents.type.field_add", "doc_type", "doc_type:", NULL },
    { "documents.type.retention_set", "doc_type", "doc_type:", NULL },
    { "documents.type.hold", "doc_type", "doc_type:", NULL },
    /* The switch is a setting ("documents.open_fields:<type>"), touched by
     * bo__setting_put. */
    { "documents.type.open_fields_set", "doc_type", "doc_type:", NULL },
    { "documents.document.create", "document", "document:", NULL },
    { "documents.document.body_set", "document", "document:", NULL },
    { "documents.document.tag", "document", "document:", NULL },
    { "documents.document.link", "document", "document:", NULL },
    { "documents.document.unlink", "document", "document:", NULL },
    { "documents.document.checkout", "document", "document:", NULL },
    { "documents.document.checkin", "document", "document:", NULL },
    { "documents.document.hold", "document", "document:", NULL },
    { "documents.document.release", "document", "document:", NULL },
    { "documents.document.dispose", "document", "document:", NULL },
    { "documents.document.erase", "document", "document:", NULL },
    { "documents.document.version", "document", "document:", NULL },
    /* Audited reads of confidential documents: they change nothing. */
    { "documents.document.read", NULL, NULL, NULL },
    { "documents.document.read_content", NULL, NULL, NULL },
    { "documents.document.versions", NULL, NULL, NULL },
    /* Settings are recorded by bo__setting_put (the core's kind "setting",
     * keyed "<domain>.<key>"; before version 12 the domain's own kind). */
};

/* The names written before 0.3 (books written by 0.1 and 0.2 keep them in
 * their chain; nothing writes them now), read as the actions they became. */
static const bo__valias aliases[] = {
    { "document.store", "documents.settings.store_set", NULL },
    { "document.version_limit", "documents.settings.version_limit_set", NULL },
    { "doc_type.add", "documents.type.add", NULL },
    { "doc_type.field", "documents.type.field_add", NULL },
    { "doc_type.retention", "documents.type.retention_set", NULL },
    { "doc_type.hold", "documents.type.hold", NULL },
    { "doc_type.open_fields", "documents.type.open_fields_set", NULL },
    { "document.create", "documents.document.create", NULL },
    { "document.body", "documents.document.body_set", NULL },
    { "document.tag", "documents.document.tag", NULL },
    { "document.link", "documents.document.link", NULL },
    { "document.unlink", "documents.document.unlink", NULL },
    { "document.checkout", "documents.document.checkout", NULL },
    { "document.checkin", "documents.document.checkin", NULL },
    { "document.hold", "documents.document.hold", NULL },
    { "document.release", "documents.document.release", NULL },
    { "document.dispose", "documents.document.dispose", NULL },
    { "document.version", "documents.document.version", NULL },
    { "document.read", "documents.document.read", NULL },
    { "document.read_content", "documents.document.read_content", NULL },
    { "document.versions", "documents.document.versions", NULL },
};

/* ---- stored content ------------------------------------------------------- */

static const char SQL_C[] =
    "SELECT id, stored_sha256, stored_size, store, root FROM doc_contents"
    " ORDER BY id LIMIT 512";
static const char SQL_C_NEXT[] =
    "SELECT id, stored_sha256, stored_size, store, root FROM doc_contents"
    " WHERE id > ? ORDER BY id LIMIT 512";
static const char SQL_UNUSED[] =
    "SELECT t.id FROM doc_contents t WHERE NOT EXISTS"
    " (SELECT 1 FROM doc_versions v WHERE v.content_id = t.id) ORDER BY t.id LIMIT 1";
static const char SQL_LOOSE_CHUNK[] =
    "SELECT c.content_id, c.seq FROM doc_chunks c WHERE NOT EXISTS"
    " (SELECT 1 FROM doc_contents t WHERE t.id = c.content_id)"
    " ORDER BY c.content_id, c.seq LIMIT 1";

/* A chunk holds its bytes one way: as bytes, or (a driver without them) as
 * base64 text; the reader takes the bytes when both are there. */
static const char SQL_TWO_FORMS[] =
    "SELECT content_id, seq FROM doc_chunks WHERE (data IS NULL) = (data64 IS NULL)"
    " ORDER BY content_id, seq LIMIT 1";

/* A content's chunks are numbered 0, 1, 2 ...: the reader stops at the
 * first number missing, so a chunk beyond is read by nobody. */
static const char SQL_GAPS[] =
    "SELECT content_id, MIN(seq) FROM doc_chunks GROUP BY content_id"
    " HAVING MIN(seq) <> 0 OR MAX(seq) <> COUNT(*) - 1 ORDER BY content_id LIMIT 1";

static int first_row(bo_book *b, const char *sql, int64_t *a, int64_t *c2, int *found)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    rc = bo__stmt_step(s);
    *found = rc == BO_DRIVER_ROW;
    if (*found) {
        *a = bo__stmt_col_int(s, 0);
        if (c2)
            *c2 = bo__stmt_col_int(s, 1);
    }
    bo__stmt_done(s);
    return rc < 0 ? rc : 0;
}

/* Hash content id's stored bytes: 0 with *ok set, or an error that stops. */
static int content_ok(bo_book *b, int kind, const char *root, int64_t id,
                      const char *hex, int64_t size, unsigned char *buf, int *ok)
{
    bo__source src;
    bo__sha h;
    bo__sha_init(&h);
    int64_t total = 0;
    int rc = bo__source_open(&src, b, kind, root, id, hex);
    while (!rc) {
        size_t got;
        if ((rc = bo__source_read(&src, buf, BO__DOC_CHUNK, &got)) || got == 0)
            break;
        bo__sha_put(&h, buf, got);
        total += (int64_t)got;
    }
    bo__source_close(&src);
    char got_hex[65];
    bo__sha_hex(&h, got_hex);
    *ok = !rc && total == size && strcmp(got_hex, hex) == 0;
    if (rc == BO_ENOMEM)
        return rc;
    bo__error_clear(); /* unreadable is a finding, not a failure */
    return 0;
}

static int check_contents(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    int64_t a = 0, c2 = 0;
    int found, rc;
    char rec[96];
    if ((rc = first_row(b, SQL_UNUSED, &a, NULL, &found)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "content %" PRId64, a);
        if ((rc = bo__verify_found(v, 0, "doc_contents", rec, "no document version "
                                   "uses it (inserted)")))
            return rc;
    }
    if ((rc = first_row(b, SQL_LOOSE_CHUNK, &a, &c2, &found)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "content %" PRId64 " chunk %" PRId64, a, c2);
        if ((rc = bo__verify_found(v, 0, "doc_chunks", rec, "belongs to no content "
                                   "(inserted)")))
            return rc;
    }
    if ((rc = first_row(b, SQL_GAPS, &a, &c2, &found)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "content %" PRId64, a);
        if ((rc = bo__verify_found(v, 0, "doc_chunks", rec, "its chunks are not "
                                   "numbered 0, 1, 2 ... (inserted, deleted or "
                                   "renumbered)")))
            return rc;
    }
    if ((rc = first_row(b, SQL_TWO_FORMS, &a, &c2, &found)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "content %" PRId64 " chunk %" PRId64, a, c2);
        if ((rc = bo__verify_found(v, 0, "doc_chunks", rec, "holds its bytes both "
                                   "ways, or neither (altered)")))
            return rc;
    }
    unsigned char *buf = bo__malloc(BO__DOC_CHUNK);
    if (!buf)
        return BO_ENOMEM;
    bo__vstream st;
    bo__vstream_init(&st, b->store, SQL_C, SQL_C_NEXT, "i");
    while ((rc = bo__vstream_next(&st)) == BO_DRIVER_ROW) {
        int64_t id = bo__stmt_col_int(st.s, 0);
        if (bo__stmt_is_null(st.s, 1))
            continue; /* being written: committed with its digest */
        char hex[65], *root = NULL;
        snprintf(hex, sizeof hex, "%s", bo__stmt_col_text(st.s, 1));
        int64_t size = bo__stmt_col_int(st.s, 2);
        const char *store = bo__stmt_col_text(st.s, 3);
        int kind = store && strcmp(store, "files") == 0 ? BO__STORE_FILES : BO__STORE_DB;
        if (!bo__stmt_is_null(st.s, 4) && !(root = bo__strdup(bo__stmt_col_text(st.s, 4)))) {
            rc = BO_ENOMEM;
            break;
        }
        int ok = 0;
        rc = content_ok(b, kind, root, id, hex, size, buf, &ok);
        bo__free(root);
        if (rc)
            break;
        if (!ok) {
            snprintf(rec, sizeof rec, "content %" PRId64, id);
            if ((rc = bo__verify_found(v, 0, kind == BO__STORE_DB ? "doc_chunks"
                                                                  : "doc_contents",
                                       rec, "the stored bytes do not match the "
                                       "content's digest and size (altered)")))
                break;
        }
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__vstream_close(&st);
    bo__free(buf);
    return rc;
}

static const bo__vcheck checks[] = {
    { "doc_contents doc_chunks", check_contents },
};

const bo__vdomain bo__verify_documents = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), checks, BO__VN(checks),
    aliases, BO__VN(aliases),
};
