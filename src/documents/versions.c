/*
 * Versions: the streaming writer and reader, file import and export, and
 * the version history. The content is hashed (SHA-256 of the plaintext:
 * its identity) as it streams and, for confidential and restricted
 * documents, encrypted with libsodium's crypto_secretstream_xchacha20poly1305
 * in messages of 64 KiB; the stored bytes get their own hash, checkable
 * without the key (for plain content the two are the same bytes, hashed
 * once).
 *
 * A writer opened outside any transaction stages its content: the bytes
 * stream into a temporary file (the file store's tmp/, or an unlinked
 * temporary file for the database store) with no transaction open and no
 * lock held, so other writers commit while an upload streams. At finish a
 * file-store blob is synced and renamed to its content address (the hash of
 * its stored bytes) before anything refers to it, then one short
 * transaction checks the document again and links the content: its row (or
 * the row of identical content already stored), the version, the audit
 * record. A crash or a failed link leaves at most an unreferenced file: a
 * temporary one, or a complete blob under its content address, which the
 * next ingest of the same content renames over and links. A writer opened
 * inside the host's transaction writes in a level of it, from open to
 * finish, as before (the host holds the lock anyway).
 */
#define _GNU_SOURCE 1 /* O_TMPFILE, mkostemp */
#include "documents/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef crypto_secretstream_xchacha20poly1305_state bo__ss;

struct bo_document_writer {
    bo__doc_live live; /* first: detach() casts back */
    bo_book *book;
    int64_t doc_id, content_id;
    char *filename;
    int state; /* 0 open, 1 finished, 2 failed */
    int staged; /* 1: opened outside a transaction; none is held while streaming */
    int depth; /* in a transaction: the book's level the writer opened */
    int level_lost; /* the host ended or nested that level: never roll back */
    int enc;
    char key_id[33];
    SHA256_CTX plain, stored;
    bo__sink sink;
    int kind;      /* staged: the store it stages for ... */
    char *root;    /* ... and its root (files) */
    int stage_fd;  /* staged, database store: an unlinked temporary file */
    bo__ss ss;
    unsigned char *seg, *out;
    size_t seglen;
    int64_t size, stored_size;
    int64_t limit; /* the book's largest version, in bytes */
};

static const char SQL_CONTENT_NEW[] =
    "INSERT INTO doc_contents (store, root, key_id) VALUES (?, ?, ?) RETURNING id";
static const char SQL_SAME_PLAIN[] =
    "SELECT id FROM doc_contents WHERE sha256 = ? AND key_id IS NULL AND id <> ?";
static const char SQL_SAME_KEYED[] =
    "SELECT id FROM doc_contents WHERE sha256 = ? AND key_id = ? AND id <> ?";
static const char SQL_CONTENT_DEL[] = "DELETE FROM doc_contents WHERE id = ?";
static const char SQL_CONTENT_SET[] =
    "UPDATE doc_contents SET sha256 = ?, stored_sha256 = ?, size = ?, stored_size = ?"
    " WHERE id = ?";
static const char SQL_BLOB_USED[] =
    "SELECT 1 FROM doc_contents WHERE store = 'files' AND root = ? AND stored_sha256 = ?";
static const char SQL_NEXT_VERSION[] =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM doc_versions WHERE doc_id = ?";
static const char SQL_VERSION_PUT[] =
    "INSERT INTO doc_versions (doc_id, version, content_id, filename, created_at, actor)"
    " VALUES (?, ?, ?, ?, ?, ?)";

/* Write all of p to fd. */
static int fd_write(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t r = write(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return bo__error_set(errno == ENOSPC || errno == EDQUOT ? BO_EFULL : BO_EIO,
                                 "content: staging the upload: %s", strerror(errno));
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

/* An unlinked temporary file for content bound for the database store. */
static int stage_open(int *fd)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || dir[0] != '/')
        dir = "/tmp";
    *fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (*fd < 0) {
        char path[4200];
        snprintf(path, sizeof path, "%s/bo-stage-XXXXXX", dir);
        *fd = mkostemp(path, O_CLOEXEC);
        if (*fd >= 0)
            unlink(path);
    }
    if (*fd < 0)
        return bo__error_set(BO_EIO, "content: cannot make a temporary file to stage "
                             "the upload in %s: %s", dir, strerror(errno));
    return 0;
}

static int stored_put(bo_document_writer *w, const void *p, size_t n)
{
    if (w->enc)
        SHA256_Update(&w->stored, p, n);
    w->stored_size += (int64_t)n;
    if (w->stage_fd >= 0)
        return fd_write(w->stage_fd, p, n);
    return bo__sink_write(&w->sink, p, n);
}

/* May this handle's actor add a version to the document now? Sets enc and
 * key_id from its class and the handle's key. */
static int version_allowed(bo_document_writer *w, bo__doc_row *row)
{
    bo_book *b = w->book;
    int rc;
    if ((rc = bo__doc_load_live(b, BO__P_DOCUMENTS_WRITE, w->doc_id, row)))
        return rc;
    if (row->checked_out && strcmp(row->checked_out_by, b->actor ? b->actor : "") != 0)
        return bo__error_set(BO_ELOCKED, "document %" PRId64 ": checked out by "
                             "another actor", w->doc_id);
    if (row->cls >= BO_DOCUMENT_CONFIDENTIAL && !b->key)
        return bo__error_set(BO_EKEY, "document %" PRId64 ": %s content is "
                             "encrypted and this handle has no key (bo_document_set_encryption_key)",
                             w->doc_id, bo_document_class_name(row->cls));
    return 0;
}

/* Hashes and, for encrypted content, the stream's header. */
static int stream_start(bo_document_writer *w)
{
    SHA256_Init(&w->plain);
    SHA256_Init(&w->stored);
    if (!w->enc)
        return 0;
    unsigned char header[BO__DOC_HEADER];
    if (!(w->seg = bo__malloc(BO__DOC_SEG)) || !(w->out = bo__malloc(BO__DOC_SEG_STORED)))
        return BO_ENOMEM;
    crypto_secretstream_xchacha20poly1305_init_push(&w->ss, header, w->book->key->key);
    return stored_put(w, header, sizeof header);
}

static int content_new(bo_document_writer *w, int kind, const char *root)
{
    bo__stmt *s;
    int rc = bo__stmt_get(w->book->store, SQL_CONTENT_NEW, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "ttt", kind == BO__STORE_FILES ? "files" : "database",
                             kind == BO__STORE_FILES ? root : NULL,
                             w->enc ? w->key_id : NULL))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            w->content_id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "content: insert returned no id");
        }
    }
    bo__stmt_done(s);
    return rc;
}

static int open_in_tx(bo_document_writer *w)
{
    bo_book *b = w->book;
    bo__doc_row row;
    int rc;
    if ((rc = version_allowed(w, &row)))
        return rc;
    w->enc = row.cls >= BO_DOCUMENT_CONFIDENTIAL;
    if (w->enc)
        memcpy(w->key_id, b->key->id, sizeof w->key_id);
    int kind;
    char *root = NULL;
    if ((rc = bo__doc_version_limit_get(b, &w->limit)) ||
        (rc = bo__doc_store_get(b, &kind, &root)))
        return rc;
    if (!(rc = content_new(w, kind, root)))
        rc = bo__sink_open(&w->sink, b, kind, root, w->content_id);
    bo__free(root);
    return rc ? rc : stream_start(w);
}

/* Outside a transaction: check, then stage (no transaction is held). */
static int open_staged(bo_document_writer *w)
{
    bo_book *b = w->book;
    bo__doc_row row;
    int rc;
    if ((rc = version_allowed(w, &row)) ||
        (rc = bo__doc_version_limit_get(b, &w->limit)) ||
        (rc = bo__doc_store_get(b, &w->kind, &w->root)))
        return rc;
    w->enc = row.cls >= BO_DOCUMENT_CONFIDENTIAL;
    if (w->enc)
        memcpy(w->key_id, b->key->id, sizeof w->key_id);
    if (w->kind == BO__STORE_FILES)
        rc = bo__sink_open(&w->sink, b, w->kind, w->root, 0);
    else
        rc = stage_open(&w->stage_fd);
    return rc ? rc : stream_start(w);
}

/* The book is being freed (its transactions already rolled back): the
 * writer fails from now on and its free touches no book. */
static void writer_detach(bo__doc_live *l)
{
    bo_document_writer *w = (bo_document_writer *)l;
    if (w->state == 0)
        w->state = 2;
    w->book = NULL;
    w->sink.book = NULL;
}

static void writer_release(bo_document_writer *w)
{
    if (w->stage_fd >= 0)
        close(w->stage_fd);
    w->stage_fd = -1;
    sodium_memzero(&w->ss, sizeof w->ss);
    if (w->seg)
        sodium_memzero(w->seg, BO__DOC_SEG);
    bo__free(w->seg);
    bo__free(w->out);
    bo__free(w->root);
    bo__free(w->filename);
    bo__free(w);
}

int bo_document_writer_open(bo_book *b, int64_t id, const char *filename,
                       bo_document_writer **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if (filename && (rc = bo__text_check("filename", filename, BO_DOCUMENT_TEXT_MAX, false, false)))
        return rc;
    if (sodium_init() < 0)
        return bo__error_set(BO_ERROR, "libsodium failed to initialise");
    bo_document_writer *w = bo__calloc(1, sizeof *w);
    if (!w)
        return BO_ENOMEM;
    w->book = b;
    w->doc_id = id;
    w->sink.rootfd = w->sink.tmpfd = -1;
    w->stage_fd = -1;
    if (filename && !(w->filename = bo__strdup(filename))) {
        bo__free(w);
        return BO_ENOMEM;
    }
    w->staged = b->depth == 0;
    if (w->staged) {
        rc = open_staged(w);
    } else if (!(rc = bo__tx_begin(b))) {
        w->depth = b->depth;
        if ((rc = open_in_tx(w))) {
            bo__error_state es;
            bo__error_save(&es);
            bo__sink_abort(&w->sink);
            bo__tx_rollback(b);
            bo__error_restore(&es);
        }
    } else {
        writer_release(w);
        return rc;
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        if (w->staged)
            bo__sink_abort(&w->sink);
        writer_release(w);
        return bo__error_restore(&es);
    }
    w->live.detach = writer_detach;
    if ((rc = bo__doc_live_add(b, &w->live))) {
        bo_document_writer_free(w);
        return rc;
    }
    *out = w;
    return 0;
}

static int push(bo_document_writer *w, unsigned char tag)
{
    unsigned long long n = 0;
    crypto_secretstream_xchacha20poly1305_push(&w->ss, w->out, &n, w->seg, w->seglen,
                                               NULL, 0, tag);
    w->seglen = 0;
    return stored_put(w, w->out, (size_t)n);
}

/* A failed write: the version is abandoned at once, so nothing of it is
 * kept (the temporary file is removed, the rows go with the writer's
 * level) even before the writer is freed. */
static int fail(bo_document_writer *w, int rc)
{
    bo__error_state es;
    bo__error_save(&es);
    w->state = 2;
    bo__sink_abort(&w->sink);
    if (!w->staged && w->book && !w->level_lost && w->book->depth == w->depth) {
        bo__tx_rollback(w->book);
        w->level_lost = 1; /* rolled back: never again */
    }
    bo__error_restore(&es);
    return rc;
}

/* The writer's rows live in the transaction level it opened. If the host
 * committed or rolled back that level, or began another inside it, the
 * writer can neither go on nor roll back (that would end the host's level):
 * the version is abandoned. A staged writer holds no level. */
static int level_check(bo_document_writer *w)
{
    if (w->staged || (w->book && w->book->depth == w->depth))
        return 0;
    w->level_lost = 1;
    w->state = 2;
    return bo__error_set(BO_ESTATE, "writer: the book's transaction level "
                         "changed since the writer opened (the host committed, "
                         "rolled back or began one): the version is abandoned");
}

int bo_document_writer_write(bo_document_writer *w, const void *data, size_t len)
{
    bo__error_clear();
    if (!w || (!data && len))
        return bo__error_set(BO_EINVAL, "writer/data: NULL");
    if (w->state != 0)
        return bo__error_set(BO_ESTATE, "writer: already finished or failed");
    int lrc = level_check(w);
    if (lrc)
        return lrc;
    if ((uint64_t)len > (uint64_t)(w->limit - w->size))
        return fail(w, bo__error_set(BO_ELIMIT, "content: document %" PRId64 ": a version "
                                     "may hold at most %" PRId64 " bytes (the book's "
                                     "max_version_bytes); nothing was kept", w->doc_id,
                                     w->limit));
    SHA256_Update(&w->plain, data, len);
    w->size += (int64_t)len;
    if (!w->enc) {
        /* The stored bytes are the plaintext: one hash serves both. */
        int rc = stored_put(w, data, len);
        return rc ? fail(w, rc) : 0;
    }
    const unsigned char *p = data;
    while (len > 0) {
        size_t n = BO__DOC_SEG - w->seglen;
        if (n > len)
            n = len;
        memcpy(w->seg + w->seglen, p, n);
        w->seglen += n;
        p += n;
        len -= n;
        int rc;
        if (w->seglen == BO__DOC_SEG &&
            (rc = push(w, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)))
            return fail(w, rc);
    }
    return 0;
}

static int reuse_existing(bo_document_writer *w, const char *plain_hex, int64_t *same)
{
    bo__stmt *s;
    *same = 0;
    int rc = bo__stmt_get(w->book->store, w->enc ? SQL_SAME_KEYED : SQL_SAME_PLAIN, &s);
    if (rc)
        return rc;
    rc = w->enc ? bo__stmt_bind(s, "tti", plain_hex, w->key_id, w->content_id)
                : bo__stmt_bind(s, "ti", plain_hex, w->content_id);
    if (!rc) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            *same = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

static int run_ids(bo_book *b, const char *sql, int64_t a)
{
    int rc = bo__store_run(b->store, sql, "i", a);
    return rc;
}

/* The final message of an encrypted stream, then both hashes. */
static int stream_end(bo_document_writer *w, char plain_hex[65], char stored_hex[65])
{
    int rc;
    if (w->enc && (rc = push(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL)))
        return rc;
    unsigned char h[32];
    SHA256_Final(h, &w->plain);
    bo__hex(h, 32, plain_hex);
    if (w->enc) {
        SHA256_Final(h, &w->stored);
        bo__hex(h, 32, stored_hex);
    } else {
        memcpy(stored_hex, plain_hex, 65);
    }
    return 0;
}

/* The version row, its audit record and event, for content_id. */
static int version_add(bo_document_writer *w, const char *plain_hex, int64_t *version)
{
    bo_book *b = w->book;
    int64_t v = 0;
    char now[64];
    bo__now_iso(now);
    int rc;
    if ((rc = bo__store_row(b->store, SQL_NEXT_VERSION, NULL, "i>i", w->doc_id, &v)) ||
        (rc = bo__store_run(b->store, SQL_VERSION_PUT, "iiittt", w->doc_id, v, w->content_id,
                            w->filename, now, b->actor)))
        return rc;
    char object[32], detail[128];
    bo__doc_object(w->doc_id, object);
    snprintf(detail, sizeof detail, "version %" PRId64 " sha256 %s", v, plain_hex);
    if ((rc = bo__audit_append(b, "documents.document.version", object, detail)) ||
        (rc = bo__event_queue(b, "document.version", w->doc_id)))
        return rc;
    *version = v;
    return 0;
}

static int finish_in_tx(bo_document_writer *w, int64_t *version)
{
    bo_book *b = w->book;
    int rc;
    char plain_hex[65], stored_hex[65];
    if ((rc = stream_end(w, plain_hex, stored_hex)))
        return rc;
    int64_t same;
    if ((rc = reuse_existing(w, plain_hex, &same)))
        return rc;
    if (same) {
        /* Identical content is stored once: drop what was just written. */
        bo__sink_abort(&w->sink);
        if ((rc = bo__docdb_erase(b, w->content_id)) ||
            (rc = run_ids(b, SQL_CONTENT_DEL, w->content_id)))
            return rc;
        w->content_id = same;
    } else {
        if ((rc = bo__sink_finish(&w->sink, stored_hex)))
            return rc;
        if ((rc = bo__store_run(b->store, SQL_CONTENT_SET, "ttiii", plain_hex, stored_hex,
                                w->size, w->stored_size, w->content_id)))
            return rc;
    }
    return version_add(w, plain_hex, version);
}

/* ---- the staged writer's link ------------------------------------------------ */

struct link {
    bo_document_writer *w;
    const char *plain_hex, *stored_hex;
    int64_t version;
    int orphan; /* the staged blob is referenced by no row */
};

/* The database store: copy the staged bytes into chunks of content_id. */
static int copy_staged(bo_document_writer *w, const char *stored_hex)
{
    bo__sink k;
    int rc = bo__sink_open(&k, w->book, BO__STORE_DB, NULL, w->content_id);
    unsigned char *buf = rc ? NULL : bo__malloc(BO__DOC_CHUNK);
    if (!rc && !buf)
        rc = BO_ENOMEM;
    if (!rc && lseek(w->stage_fd, 0, SEEK_SET) != 0)
        rc = bo__error_set(BO_EIO, "content: rewinding the staged upload: %s", strerror(errno));
    int64_t total = 0;
    while (!rc) {
        ssize_t n = read(w->stage_fd, buf, BO__DOC_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = bo__error_set(BO_EIO, "content: reading the staged upload: %s", strerror(errno));
        else if (n == 0)
            break;
        else if (!(rc = bo__sink_write(&k, buf, (size_t)n)))
            total += n;
    }
    if (!rc && total != w->stored_size)
        rc = bo__error_set(BO_EIO, "content: the staged upload is %" PRId64 " bytes, "
                           "%" PRId64 " were written", total, w->stored_size);
    bo__free(buf);
    if (!rc)
        return bo__sink_finish(&k, stored_hex);
    bo__sink_abort(&k);
    return rc;
}

static int link_tx(bo_book *b, void *p)
{
    struct link *c = p;
    bo_document_writer *w = c->w;
    bo__doc_row row;
    int kind, rc;
    char *root = NULL;
    /* What was checked at open may have changed while the bytes streamed. */
    if ((rc = version_allowed(w, &row)))
        return rc;
    if ((row.cls >= BO_DOCUMENT_CONFIDENTIAL) != w->enc ||
        (w->enc && strcmp(b->key->id, w->key_id) != 0))
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": its class or the handle's "
                             "key changed while the version streamed; nothing was linked",
                             w->doc_id);
    if ((rc = bo__doc_store_get(b, &kind, &root)))
        return rc;
    int moved = kind != w->kind ||
                (kind == BO__STORE_FILES && strcmp(root ? root : "", w->root ? w->root : ""));
    bo__free(root);
    if (moved)
        return bo__error_set(BO_ESTATE, "document %" PRId64 ": the document store changed "
                             "while the version streamed; nothing was linked", w->doc_id);
    int64_t same;
    w->content_id = 0;
    if ((rc = reuse_existing(w, c->plain_hex, &same)))
        return rc;
    if (same) {
        w->content_id = same;
        if (w->kind == BO__STORE_FILES) {
            int used = 0;
            if ((rc = bo__store_row(b->store, SQL_BLOB_USED, &used, "tt", w->root,
                                    c->stored_hex)))
                return rc;
            c->orphan = !used;
        }
    } else {
        if ((rc = content_new(w, w->kind, w->root)) ||
            (w->kind == BO__STORE_DB && (rc = copy_staged(w, c->stored_hex))) ||
            (rc = bo__store_run(b->store, SQL_CONTENT_SET, "ttiii", c->plain_hex, c->stored_hex,
                                w->size, w->stored_size, w->content_id)))
            return rc;
    }
    return version_add(w, c->plain_hex, &c->version);
}

static int finish_staged(bo_document_writer *w, int64_t *version)
{
    char plain_hex[65], stored_hex[65];
    int rc = stream_end(w, plain_hex, stored_hex);
    /* The blob is complete and durable under its content address before
     * any row can refer to it; nothing is locked yet. */
    if (!rc && w->kind == BO__STORE_FILES)
        rc = bo__sink_finish(&w->sink, stored_hex);
    if (rc)
        return rc;
    struct link c = { w, plain_hex, stored_hex, 0, 0 };
    if ((rc = bo__write(w->book, link_tx, &c)))
        return rc;
    if (c.orphan && w->book->depth == 0) {
        /* Identical content was stored elsewhere: this copy is not needed
         * (best effort; a copy left behind is only an unreferenced file). */
        bo__error_state es;
        bo__error_save(&es);
        bo__docfs_unlink(w->root, stored_hex);
        bo__error_restore(&es);
    }
    *version = c.version;
    return 0;
}

int bo_document_writer_finish(bo_document_writer *w, int64_t *version)
{
    bo__error_clear();
    if (version)
        *version = 0;
    if (!w)
        return bo__error_set(BO_EINVAL, "writer: NULL");
    if (w->state != 0)
        return bo__error_set(BO_ESTATE, "writer: already finished or failed");
    int rc = level_check(w);
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__sink_abort(&w->sink);
        return bo__error_restore(&es);
    }
    int64_t v = 0;
    if (w->staged) {
        rc = finish_staged(w, &v);
        w->state = rc ? 2 : 1;
        if (rc) {
            bo__error_state es;
            bo__error_save(&es);
            bo__sink_abort(&w->sink);
            return bo__error_restore(&es);
        }
        if (version)
            *version = v;
        return 0;
    }
    rc = finish_in_tx(w, &v);
    w->state = rc ? 2 : 1;
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__sink_abort(&w->sink);
        bo__tx_rollback(w->book);
        return bo__error_restore(&es);
    }
    if ((rc = bo__tx_commit(w->book)))
        return rc;
    if (version)
        *version = v;
    return 0;
}

void bo_document_writer_free(bo_document_writer *w)
{
    if (!w)
        return;
    bo__doc_live_remove(&w->live);
    if (w->state != 1) {
        bo__error_state es;
        bo__error_save(&es);
        bo__sink_abort(&w->sink);
        if (!w->staged && w->book && !w->level_lost && w->book->depth == w->depth)
            bo__tx_rollback(w->book);
        bo__error_restore(&es);
    }
    writer_release(w);
}

int bo_document_add_bytes(bo_book *b, int64_t id, const void *data, size_t len,
                     const char *filename, int64_t *version)
{
    if (version)
        *version = 0;
    bo_document_writer *w;
    int rc = bo_document_writer_open(b, id, filename, &w);
    if (rc)
        return rc;
    if (!(rc = bo_document_writer_write(w, data, len)))
        rc = bo_document_writer_finish(w, version);
    bo__error_state es;
    bo__error_save(&es);
    bo_document_writer_free(w);
    return bo__error_restore(&es);
}

int bo_document_add_file(bo_book *b, int64_t id, const char *path, int64_t *version)
{
    bo__error_clear();
    if (version)
        *version = 0;
    if (!path)
        return bo__error_set(BO_EINVAL, "path: NULL");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bo__error_set(BO_EIO, "path: cannot open the file: %s", strerror(errno));
    const char *base = strrchr(path, '/');
    bo_document_writer *w;
    int rc = bo_document_writer_open(b, id, base ? base + 1 : path, &w);
    unsigned char *buf = rc ? NULL : bo__malloc(256 * 1024);
    if (!rc && !buf)
        rc = BO_ENOMEM;
    int64_t total = 0;
    while (!rc) {
        /* Never more than one byte past the limit: enough for the writer
         * to refuse (a FIFO or /dev/zero is never read to its end). */
        size_t want = 256 * 1024;
        if ((uint64_t)want > (uint64_t)(w->limit - total) + 1)
            want = (size_t)(w->limit - total) + 1;
        ssize_t n = read(fd, buf, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = bo__error_set(BO_EIO, "path: read failed: %s", strerror(errno));
        else if (n == 0)
            break;
        else if (!(rc = bo_document_writer_write(w, buf, (size_t)n)))
            total += n;
    }
    if (!rc)
        rc = bo_document_writer_finish(w, version);
    bo__error_state es;
    bo__error_save(&es);
    bo_document_writer_free(w);
    bo__free(buf);
    close(fd);
    return bo__error_restore(&es);
}

/* ---- reader ------------------------------------------------------------------ */

struct bo_document_reader {
    bo__doc_live live; /* first: detach() casts back */
    bo__source src;
    int64_t doc_id, version, size;
    int enc, final, done;
    bo__ss ss;
    unsigned char *seg, *pt;
    size_t ptlen, ptpos;
    SHA256_CTX hash;
    char sha[65];
};

/* The book is being freed: content in the database cannot be read. */
static void reader_detach(bo__doc_live *l)
{
    ((bo_document_reader *)l)->src.book = NULL;
}

static const char SQL_FIND_VERSION[] =
    "SELECT v.version, c.id, c.sha256, c.stored_sha256, c.size, c.key_id, c.store,"
    " c.root FROM doc_versions v JOIN doc_contents c ON c.id = v.content_id"
    " WHERE v.doc_id = ? AND (v.version = ? OR ? = 0)"
    " ORDER BY v.version DESC LIMIT 1";

struct ropen_ctx {
    int64_t id, version, content_id;
    char sha[65], stored[65], key_id[33];
    int64_t size;
    int kind, enc;
    char *root;
};

static int ropen_tx(bo_book *b, void *p)
{
    struct ropen_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__doc_load_live(b, BO__P_DOCUMENTS_READ, c->id, &row)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_FIND_VERSION, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iii", c->id, c->version, c->version))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            c->version = bo__stmt_col_int(s, 0);
            c->content_id = bo__stmt_col_int(s, 1);
            snprintf(c->sha, sizeof c->sha, "%s", bo__stmt_col_text(s, 2));
            snprintf(c->stored, sizeof c->stored, "%s", bo__stmt_col_text(s, 3));
            c->size = bo__stmt_col_int(s, 4);
            c->enc = !bo__stmt_is_null(s, 5);
            snprintf(c->key_id, sizeof c->key_id, "%s",
                     c->enc ? bo__stmt_col_text(s, 5) : "");
            c->kind = strcmp(bo__stmt_col_text(s, 6), "files") == 0 ? BO__STORE_FILES
                                                                   : BO__STORE_DB;
            bo__free(c->root);
            c->root = bo__stmt_is_null(s, 7) ? NULL : bo__strdup(bo__stmt_col_text(s, 7));
            rc = c->kind == BO__STORE_FILES && !c->root ? BO_ENOMEM : 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": no version %" PRId64,
                               c->id, c->version);
        }
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (c->enc) {
        if (!b->key)
            return bo__error_set(BO_EKEY, "document %" PRId64 " version %" PRId64
                                 ": encrypted, and this handle has no key", c->id,
                                 c->version);
        if (strcmp(b->key->id, c->key_id) != 0)
            return bo__error_set(BO_EKEY, "document %" PRId64 " version %" PRId64
                                 ": encrypted under another key", c->id, c->version);
    }
    return bo__doc_audit_access(b, &row, "documents.document.read_content");
}

int bo_document_reader_open(bo_book *b, int64_t id, int64_t version, bo_document_reader **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    if (version < 0)
        return bo__error_set(BO_EINVAL, "version: negative");
    if (sodium_init() < 0)
        return bo__error_set(BO_ERROR, "libsodium failed to initialise");
    struct ropen_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.version = version;
    int rc = bo__write(b, ropen_tx, &c);
    bo_document_reader *r = rc ? NULL : bo__calloc(1, sizeof *r);
    if (!rc && !r)
        rc = BO_ENOMEM;
    if (!rc) {
        r->src.fd = -1;
        r->doc_id = id;
        r->version = c.version;
        r->size = c.size;
        r->enc = c.enc;
        memcpy(r->sha, c.sha, sizeof r->sha);
        SHA256_Init(&r->hash);
        rc = bo__source_open(&r->src, b, c.kind, c.root, c.content_id, c.stored);
    }
    bo__free(c.root);
    if (!rc && r->enc) {
        unsigned char header[BO__DOC_HEADER];
        size_t got;
        if (!(r->seg = bo__malloc(BO__DOC_SEG_STORED)) || !(r->pt = bo__malloc(BO__DOC_SEG)))
            rc = BO_ENOMEM;
        else if (!(rc = bo__source_read_full(&r->src, header, sizeof header, &got)) &&
                 (got != sizeof header ||
                  crypto_secretstream_xchacha20poly1305_init_pull(&r->ss, header,
                                                                  b->key->key)))
            rc = bo__error_set(BO_ECORRUPT, "document %" PRId64 " version %" PRId64
                               ": stored content is damaged (header)", id, r->version);
    }
    if (!rc) {
        r->live.detach = reader_detach;
        rc = bo__doc_live_add(b, &r->live);
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo_document_reader_free(r);
        return bo__error_restore(&es);
    }
    *out = r;
    return 0;
}

static int damaged(bo_document_reader *r, const char *what)
{
    r->done = 2;
    return bo__error_set(BO_ECORRUPT, "document %" PRId64 " version %" PRId64
                         ": stored content %s", r->doc_id, r->version, what);
}

/* Decrypt the next message into r->pt. */
static int next_segment(bo_document_reader *r)
{
    size_t got;
    int rc = bo__source_read_full(&r->src, r->seg, BO__DOC_SEG_STORED, &got);
    if (rc)
        return rc;
    if (got == 0) {
        if (!r->final)
            return damaged(r, "is truncated");
        r->done = 1;
        return 0;
    }
    if (r->final)
        return damaged(r, "has bytes after its end");
    unsigned long long n = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&r->ss, r->pt, &n, &tag, r->seg, got,
                                                   NULL, 0) != 0)
        return damaged(r, "fails to decrypt (altered)");
    if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        r->final = 1;
    SHA256_Update(&r->hash, r->pt, (size_t)n);
    r->ptlen = (size_t)n;
    r->ptpos = 0;
    return 0;
}

int bo_document_reader_read(bo_document_reader *r, void *buf, size_t cap, size_t *got)
{
    bo__error_clear();
    if (!r || !got || (!buf && cap))
        return bo__error_set(BO_EINVAL, "reader/buf/got: NULL");
    *got = 0;
    for (;;) {
        if (r->done == 2)
            return bo__error_set(BO_ECORRUPT, "document %" PRId64 " version %" PRId64
                                 ": stored content is damaged", r->doc_id, r->version);
        if (r->ptpos < r->ptlen) {
            size_t n = r->ptlen - r->ptpos;
            if (n > cap)
                n = cap;
            memcpy(buf, r->pt + r->ptpos, n);
            r->ptpos += n;
            *got = n;
            return 0;
        }
        if (r->done == 1 || r->done == 3) {
            if (r->done == 1) {
                unsigned char h[32];
                char hex[65];
                SHA256_Final(h, &r->hash);
                bo__hex(h, 32, hex);
                if (strcmp(hex, r->sha) != 0)
                    return damaged(r, "does not match its SHA-256");
                r->done = 3;
            }
            return 0;
        }
        if (cap == 0)
            return 0;
        int rc;
        if (r->enc) {
            if ((rc = next_segment(r)))
                return rc;
            continue;
        }
        if ((rc = bo__source_read(&r->src, buf, cap, got)))
            return rc;
        if (*got == 0) {
            r->done = 1;
            continue;
        }
        SHA256_Update(&r->hash, buf, *got);
        return 0;
    }
}

int64_t bo_document_reader_size(const bo_document_reader *r)
{
    return r ? r->size : 0;
}

void bo_document_reader_free(bo_document_reader *r)
{
    if (!r)
        return;
    bo__doc_live_remove(&r->live);
    bo__source_close(&r->src);
    sodium_memzero(&r->ss, sizeof r->ss);
    if (r->pt)
        sodium_memzero(r->pt, BO__DOC_SEG);
    bo__free(r->pt);
    bo__free(r->seg);
    bo__free(r);
}

int bo_document_export_file(bo_book *b, int64_t id, int64_t version, const char *path)
{
    bo__error_clear();
    if (!path)
        return bo__error_set(BO_EINVAL, "path: NULL");
    bo_document_reader *r;
    int rc = bo_document_reader_open(b, id, version, &r);
    if (rc)
        return rc;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    unsigned char *buf = bo__malloc(256 * 1024);
    if (fd < 0)
        rc = bo__error_set(BO_EIO, "path: cannot create the file: %s", strerror(errno));
    else if (!buf)
        rc = BO_ENOMEM;
    while (!rc) {
        size_t got;
        if ((rc = bo_document_reader_read(r, buf, 256 * 1024, &got)) || got == 0)
            break;
        for (size_t off = 0; off < got && !rc;) {
            ssize_t n = write(fd, buf + off, got - off);
            if (n < 0 && errno != EINTR)
                rc = bo__error_set(BO_EIO, "path: write failed: %s", strerror(errno));
            else if (n > 0)
                off += (size_t)n;
        }
    }
    if (!rc && fsync(fd) != 0)
        rc = bo__error_set(BO_EIO, "path: fsync failed: %s", strerror(errno));
    if (fd >= 0)
        close(fd);
    if (rc && fd >= 0)
        unlink(path);
    bo__free(buf);
    bo_document_reader_free(r);
    return rc;
}

static const char SQL_VERSIONS[] =
    "SELECT v.version, c.sha256, c.size, v.filename,"
    " CASE WHEN c.key_id IS NULL THEN 0 ELSE 1 END, c.store, v.created_at, v.actor"
    " FROM doc_versions v LEFT JOIN doc_contents c ON c.id = v.content_id"
    " WHERE v.doc_id = ? ORDER BY v.version";
static const bo__col version_cols[] = {
    { "version", BO_TYPE_INT }, { "sha256", BO_TYPE_TEXT }, { "size", BO_TYPE_INT },
    { "filename", BO_TYPE_TEXT }, { "encrypted", BO_TYPE_INT }, { "store", BO_TYPE_TEXT },
    { "created", BO_TYPE_TEXT }, { "actor", BO_TYPE_TEXT },
};

int bo_document_versions(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__doc_read_cursor(b, id, SQL_VERSIONS, version_cols, 8, 1,
                               "documents.document.versions", out);
}
