/*
 * Content inside the database: rows of up to 1 MiB in doc_chunks, written
 * and read one at a time so a large file never sits in memory. Bytes go in
 * a {BLOB} column where the driver binds bytes (bind_blob), else as base64
 * text (OpenSSL's encoder) in data64. Also the sink/source dispatch between
 * this store and the file store.
 */
#include "documents/documents.h"

#include <openssl/evp.h>
#include <string.h>
#include <unistd.h>

int bo__docfs_sink_open(bo__sink *k, const char *root);
int bo__docfs_sink_write(bo__sink *k, const void *data, size_t len);
int bo__docfs_sink_finish(bo__sink *k, const char *hex);
void bo__docfs_sink_abort(bo__sink *k);
int bo__docfs_source_open(bo__source *s, const char *root, const char *hex);
int bo__docfs_source_read(bo__source *s, void *buf, size_t cap, size_t *got);

static const char SQL_PUT_BLOB[] =
    "INSERT INTO doc_chunks (content_id, seq, data) VALUES (?, ?, ?)";
static const char SQL_PUT_B64[] =
    "INSERT INTO doc_chunks (content_id, seq, data64) VALUES (?, ?, ?)";
static const char SQL_GET[] =
    "SELECT data, data64 FROM doc_chunks WHERE content_id = ? AND seq = ?";
static const char SQL_ERASE[] = "DELETE FROM doc_chunks WHERE content_id = ?";

int bo__docdb_put_chunk(bo_book *b, int64_t content_id, int64_t seq,
                        const void *data, size_t len)
{
    int blob = bo__store_has_blob(b->store);
    char *b64 = NULL;
    if (!blob) {
        if (!(b64 = bo__malloc(4 * ((len + 2) / 3) + 1)))
            return BO_ENOMEM;
        EVP_EncodeBlock((unsigned char *)b64, data, (int)len);
    }
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, blob ? SQL_PUT_BLOB : SQL_PUT_B64, &s);
    if (!rc) {
        if (!(rc = blob ? bo__stmt_bind(s, "iib", content_id, seq, data, len)
                        : bo__stmt_bind(s, "iit", content_id, seq, b64)))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    bo__free(b64);
    return rc;
}

int bo__docdb_get_chunk(bo_book *b, int64_t content_id, int64_t seq,
                        unsigned char *buf, size_t cap, size_t *len, int *found)
{
    bo__stmt *s;
    *len = 0;
    *found = 0;
    int rc = bo__stmt_get(b->store, SQL_GET, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", content_id, seq))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *found = 1;
            rc = 0;
            if (!bo__stmt_is_null(s, 1)) {
                const char *t = bo__stmt_col_text(s, 1);
                size_t n = strlen(t);
                int pad = n >= 1 && t[n - 1] == '=' ? (n >= 2 && t[n - 2] == '=' ? 2 : 1) : 0;
                if (n % 4 || n / 4 * 3 > cap + 2)
                    rc = bo__error_set(BO_ECORRUPT, "content %lld: chunk %lld is "
                                       "damaged", (long long)content_id, (long long)seq);
                else {
                    int got = n ? EVP_DecodeBlock(buf, (const unsigned char *)t, (int)n) : 0;
                    if (got < 0 || (size_t)got - (size_t)pad > cap)
                        rc = bo__error_set(BO_ECORRUPT, "content %lld: chunk %lld is "
                                           "damaged", (long long)content_id, (long long)seq);
                    else
                        *len = (size_t)got - (size_t)pad;
                }
            } else if (!bo__stmt_is_null(s, 0)) {
                rc = bo__stmt_col_blob(s, 0, buf, cap, len);
                if (rc == BO_ELIMIT)
                    rc = bo__error_set(BO_ECORRUPT, "content %lld: chunk %lld is "
                                       "too long", (long long)content_id, (long long)seq);
            }
        } else if (rc >= 0) {
            rc = 0;
        }
    }
    bo__stmt_done(s);
    return rc;
}

int bo__docdb_erase(bo_book *b, int64_t content_id)
{
    int rc = bo__store_run(b->store, SQL_ERASE, "i", content_id);
    return rc;
}

/* ---- dispatch ----------------------------------------------------------- */

int bo__sink_open(bo__sink *k, bo_book *b, int kind, const char *root,
                  int64_t content_id)
{
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->book = b;
    k->content_id = content_id;
    k->rootfd = k->tmpfd = -1;
    if (kind == BO__STORE_FILES)
        return bo__docfs_sink_open(k, root);
    if (!(k->buf = bo__malloc(BO__DOC_CHUNK)))
        return BO_ENOMEM;
    return 0;
}

static int flush(bo__sink *k)
{
    if (k->len == 0)
        return 0;
    int rc = bo__docdb_put_chunk(k->book, k->content_id, k->seq, k->buf, k->len);
    if (!rc) {
        k->seq++;
        k->len = 0;
    }
    return rc;
}

int bo__sink_write(bo__sink *k, const void *data, size_t len)
{
    if (k->kind == BO__STORE_FILES)
        return bo__docfs_sink_write(k, data, len);
    const unsigned char *p = data;
    while (len > 0) {
        size_t n = BO__DOC_CHUNK - k->len;
        if (n > len)
            n = len;
        memcpy(k->buf + k->len, p, n);
        k->len += n;
        p += n;
        len -= n;
        int rc;
        if (k->len == BO__DOC_CHUNK && (rc = flush(k)))
            return rc;
    }
    return 0;
}

int bo__sink_finish(bo__sink *k, const char *stored_hex)
{
    if (k->kind == BO__STORE_FILES) {
        int rc = bo__docfs_sink_finish(k, stored_hex);
        bo__docfs_sink_abort(k); /* closes; the file is in place */
        return rc;
    }
    int rc = flush(k);
    bo__free(k->buf);
    k->buf = NULL;
    return rc;
}

void bo__sink_abort(bo__sink *k)
{
    if (k->kind == BO__STORE_FILES) {
        bo__docfs_sink_abort(k);
        return;
    }
    bo__free(k->buf);
    k->buf = NULL;
}

int bo__source_open(bo__source *s, bo_book *b, int kind, const char *root,
                    int64_t content_id, const char *stored_hex)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->book = b;
    s->content_id = content_id;
    s->fd = -1;
    if (kind == BO__STORE_FILES)
        return bo__docfs_source_open(s, root, stored_hex);
    /* + 4: base64 decoding writes up to two padding bytes past the data. */
    if (!(s->buf = bo__malloc(BO__DOC_CHUNK + 4)))
        return BO_ENOMEM;
    return 0;
}

int bo__source_read(bo__source *s, void *buf, size_t cap, size_t *got)
{
    *got = 0;
    if (s->kind == BO__STORE_FILES)
        return bo__docfs_source_read(s, buf, cap, got);
    if (s->pos == s->len && !s->eof) {
        if (!s->book)
            return bo__error_set(BO_ESTATE, "reader: its book was closed");
        int found, rc = bo__docdb_get_chunk(s->book, s->content_id, s->seq, s->buf,
                                            BO__DOC_CHUNK, &s->len, &found);
        if (rc)
            return rc;
        s->pos = 0;
        if (!found || s->len == 0)
            s->eof = 1;
        else
            s->seq++;
    }
    size_t n = s->len - s->pos;
    if (n > cap)
        n = cap;
    memcpy(buf, s->buf + s->pos, n);
    s->pos += n;
    *got = n;
    return 0;
}

int bo__source_read_full(bo__source *s, void *buf, size_t cap, size_t *got)
{
    size_t total = 0;
    while (total < cap) {
        size_t n;
        int rc = bo__source_read(s, (unsigned char *)buf + total, cap - total, &n);
        if (rc)
            return rc;
        if (n == 0)
            break;
        total += n;
    }
    *got = total;
    return 0;
}

void bo__source_close(bo__source *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    bo__free(s->buf);
    s->buf = NULL;
}
