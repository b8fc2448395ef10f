/* The integrity check: re-hash every stored content (the stored bytes
 * against stored_sha256, which needs no key; plain content is its own
 * plaintext) and name the first document and version that does not match. */
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ALL[] =
    "SELECT v.doc_id, v.version, c.id, c.stored_sha256, c.stored_size, c.store, c.root"
    " FROM doc_versions v JOIN doc_contents c ON c.id = v.content_id"
    " WHERE v.doc_id > ? OR (v.doc_id = ? AND v.version > ?)"
    " ORDER BY v.doc_id, v.version LIMIT 1";

struct item {
    int64_t doc, version, content, size;
    char hex[65];
    int kind;
    char *root;
};

/* One version at a time: no statement stays open while content streams. */
static int next_item(bo_book *b, struct item *it, int *found)
{
    bo__stmt *s;
    *found = 0;
    int rc = bo__stmt_get(b->store, SQL_ALL, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "iii", it->doc, it->doc, it->version))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *found = 1;
            it->doc = bo__stmt_col_int(s, 0);
            it->version = bo__stmt_col_int(s, 1);
            it->content = bo__stmt_col_int(s, 2);
            snprintf(it->hex, sizeof it->hex, "%s",
                     bo__stmt_is_null(s, 3) ? "" : bo__stmt_col_text(s, 3));
            it->size = bo__stmt_col_int(s, 4);
            it->kind = strcmp(bo__stmt_col_text(s, 5), "files") == 0 ? BO__STORE_FILES
                                                                   : BO__STORE_DB;
            bo__free(it->root);
            it->root = bo__stmt_is_null(s, 6) ? NULL : bo__strdup(bo__stmt_col_text(s, 6));
            rc = it->kind == BO__STORE_FILES && !it->root ? BO_ENOMEM : 0;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

static int check_one(bo_book *b, const struct item *it, unsigned char *buf)
{
    bo__source src;
    int rc = bo__source_open(&src, b, it->kind, it->root, it->content, it->hex);
    SHA256_CTX h;
    SHA256_Init(&h);
    int64_t total = 0;
    while (!rc) {
        size_t got;
        if ((rc = bo__source_read(&src, buf, BO__DOC_CHUNK, &got)) || got == 0)
            break;
        SHA256_Update(&h, buf, got);
        total += (int64_t)got;
    }
    bo__source_close(&src);
    unsigned char d[32];
    char hex[65];
    SHA256_Final(d, &h);
    bo__hex(d, 32, hex);
    if (!rc && (total != it->size || strcmp(hex, it->hex) != 0))
        rc = bo__error_set(BO_ECORRUPT, "stored content does not match its SHA-256");
    if (rc) {
        char why[256];
        snprintf(why, sizeof why, "%s", bo_error_message());
        return bo__error_set(BO_ECORRUPT, "document %" PRId64 " version %" PRId64 ": %s",
                             it->doc, it->version, why);
    }
    return 0;
}

int bo_document_verify(bo_book *b, int64_t *checked)
{
    bo__error_clear();
    if (checked)
        *checked = 0;
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(b, BO__P_DOCUMENTS_ADMIN);
    if (rc)
        return rc;
    unsigned char *buf = bo__malloc(BO__DOC_CHUNK);
    if (!buf)
        return BO_ENOMEM;
    struct item it;
    memset(&it, 0, sizeof it);
    int found = 1;
    int64_t n = 0;
    while (!rc && !(rc = next_item(b, &it, &found)) && found) {
        rc = check_one(b, &it, buf);
        n++;
    }
    bo__free(it.root);
    bo__free(buf);
    if (checked)
        *checked = n;
    return rc;
}
