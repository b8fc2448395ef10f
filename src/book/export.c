/*
 * Writing a whole book as the lossless export (docs/export-format.md): the
 * book's tables walked from one snapshot (walk.c), each record one line of
 * JSON with sorted keys in a temporary file beside the target, then zipped
 * with fixed timestamps and attributes so the same book gives the same
 * bytes. Memory stays flat: the zip reads the parts back from the file.
 */
#include "book/files.h"
#include "book/transfer.h"
#include "core/book.h"

#include <jansson.h>
#include <zip.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1980-01-01 00:00:00, the first moment a zip can say. */
#define DOS_DATE ((0 << 9) | (1 << 5) | 1)
#define DOS_TIME 0

typedef struct exp_ctx {
    bo_book *book;
    zip_t *za;
    /* two temporary files: [0] the records, [1] the content parts (the
     * bytes of a part stay contiguous while its records are written) */
    char *tmpname[2];
    FILE *tmp[2];
    int64_t off[2];    /* bytes written to each */
    json_t *parts;     /* the manifest's list */
    int64_t records;
    /* the table being written */
    bo__xcols cols;
    char part[BO__EXPORT_NAME_MAX * 2 + 8];
    int64_t start;
    bo__sha sha;
    /* blobs being read */
    unsigned char *blob;
    size_t blob_cap;
    /* the audit chain: first hash (the book's id) and head */
    char book_id[65], head_hash[65];
    int64_t head_seq;
    /* each lane's last record (schema version 14): the head is theirs */
    int64_t lane_seqs[BO_DRIVER_LANES];
    char lane_hashes[BO_DRIVER_LANES][65];
} exp_ctx;

static int io_error(const char *what)
{
    return bo__error_set(BO_EIO, "%s: %s", what, strerror(errno));
}

static int zip_fail(exp_ctx *x, const char *what)
{
    return bo__error_set(BO_EIO, "%s: %s", what,
                         zip_error_strerror(zip_get_error(x->za)));
}

/* Add bytes [start, start+len) of the temporary file as entry name. */
static int add_entry(exp_ctx *x, const char *name, int k, int64_t start, int64_t len)
{
    if (fflush(x->tmp[k])) /* libzip checks the range against the file's size */
        return io_error("temporary file");
    zip_source_t *src = zip_source_file(x->za, x->tmpname[k], (zip_uint64_t)start,
                                        len ? (zip_int64_t)len : -1);
    if (!src)
        return zip_fail(x, name);
    if (!len) { /* an empty part: libzip reads -1 as "to the end" */
        zip_source_free(src);
        if (!(src = zip_source_buffer(x->za, "", 0, 0)))
            return zip_fail(x, name);
    }
    zip_int64_t idx = zip_file_add(x->za, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        return zip_fail(x, name);
    }
    if (zip_file_set_dostime(x->za, (zip_uint64_t)idx, DOS_TIME, DOS_DATE, 0) ||
        zip_set_file_compression(x->za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6) ||
        zip_file_set_external_attributes(x->za, (zip_uint64_t)idx, 0,
                                         ZIP_OPSYS_UNIX, 0100644u << 16))
        return zip_fail(x, name);
    return 0;
}

static int put(exp_ctx *x, int k, const void *data, size_t len, bo__sha *sha)
{
    if (len && fwrite(data, 1, len, x->tmp[k]) != len)
        return io_error("temporary file");
    if (sha)
        bo__sha_put(sha, data, len);
    x->off[k] += (int64_t)len;
    return 0;
}

static int add_part(exp_ctx *x, const char *name, const char *kind,
                    const char *domain, int64_t records, int k, int64_t start,
                    int64_t len, const char *sha)
{
    json_t *p = json_object();
    int bad = !p || json_object_set_new(p, "name", json_string(name)) ||
              json_object_set_new(p, "kind", json_string(kind)) ||
              json_object_set_new(p, "bytes", json_integer(len)) ||
              json_object_set_new(p, "sha256", json_string(sha)) ||
              (domain && json_object_set_new(p, "domain", json_string(domain))) ||
              (records >= 0 && json_object_set_new(p, "records", json_integer(records))) ||
              json_array_append_new(x->parts, p);
    if (bad)
        return bo__error_set(BO_ENOMEM, "out of memory");
    return add_entry(x, name, k, start, len);
}

/* A bytes column: its content as a part of its own, named by its hash
 * (written once however often it occurs); the record holds the name. */
static int blob_value(exp_ctx *x, bo__stmt *rd, int col, json_t **out)
{
    size_t len = 0;
    int rc = bo__stmt_col_blob(rd, col, x->blob, x->blob_cap, &len);
    if (rc == BO_ELIMIT && len > x->blob_cap) {
        unsigned char *p = realloc(x->blob, len);
        if (!p)
            return bo__error_set(BO_ENOMEM, "out of memory");
        x->blob = p;
        x->blob_cap = len;
        rc = bo__stmt_col_blob(rd, col, x->blob, x->blob_cap, &len);
    }
    if (rc)
        return rc;
    unsigned char h[BO__SHA256_BYTES];
    char hex[65], name[sizeof BO__EXPORT_CONTENT + 64], ref[sizeof BO__EXPORT_BLOB + 64];
    bo__sha256(x->blob, len, h);
    bo__hex(h, sizeof h, hex);
    snprintf(name, sizeof name, "%s%s", BO__EXPORT_CONTENT, hex);
    snprintf(ref, sizeof ref, "%s%s", BO__EXPORT_BLOB, hex);
    if (zip_name_locate(x->za, name, 0) < 0) {
        int64_t start = x->off[1];
        if ((rc = put(x, 1, x->blob, len, NULL)) ||
            (rc = add_part(x, name, "content", NULL, -1, 1, start, (int64_t)len, hex)))
            return rc;
    }
    *out = json_string(ref);
    return *out ? 0 : bo__error_set(BO_ENOMEM, "out of memory");
}

/* Column i of the current row as a JSON value. */
static int value(exp_ctx *x, bo__stmt *rd, int i, json_t **out)
{
    const bo__xcols *c = &x->cols;
    *out = NULL;
    if (bo__stmt_is_null(rd, i)) {
        *out = json_null();
        return 0;
    }
    if (c->types[i] == 'b')
        return blob_value(x, rd, i, out);
    if (c->types[i] != 'i') {
        size_t len;
        const char *s = bo__stmt_col_text_len(rd, i, &len);
        if (!(*out = json_stringn(s, len)))
            return bo__error_set(BO_EINVAL, "%s: column %s: not UTF-8 text",
                                 x->part, c->names[i]);
        return 0;
    }
    int64_t v = bo__stmt_col_int(rd, i);
    if (c->kind[i] == BO__XC_AMOUNT) {
        const char *cur = c->other[i] < 0 ? bo_book_base_currency(x->book)
                          : bo__stmt_is_null(rd, c->other[i]) ? NULL
                          : bo__stmt_col_text(rd, c->other[i]);
        char buf[48];
        /* An amount of a currency this process does not know stays in
         * minor units (the import reads it back the same way). */
        if (cur && bo_money_format(v, cur, buf, sizeof buf) == 0) {
            *out = json_string(buf);
            return *out ? 0 : bo__error_set(BO_ENOMEM, "out of memory");
        }
        bo__error_clear();
    }
    *out = json_integer(v);
    return *out ? 0 : bo__error_set(BO_ENOMEM, "out of memory");
}

static int exp_begin(void *u, const bo__domain *d, const bo__table *t, int64_t total)
{
    exp_ctx *x = u;
    (void)total;
    int rc = bo__xcols_of(d, t, &x->cols);
    if (!rc)
        rc = bo__xpart_name(d, t, x->part, sizeof x->part);
    x->start = x->off[0];
    bo__sha_init(&x->sha);
    return rc;
}

static int exp_row(void *u, const bo__table *t, bo__stmt *rd)
{
    exp_ctx *x = u;
    const bo__xcols *c = &x->cols;
    json_t *obj = json_object();
    int rc = obj ? 0 : bo__error_set(BO_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < c->n; i++) {
        if (c->kind[i] == BO__XC_RATE_DEN)
            continue; /* written with its numerator */
        if (c->kind[i] == BO__XC_RATE_NUM && !bo__stmt_is_null(rd, i) &&
            !bo__stmt_is_null(rd, c->other[i])) {
            char buf[48];
            snprintf(buf, sizeof buf, "%lld/%lld", (long long)bo__stmt_col_int(rd, i),
                     (long long)bo__stmt_col_int(rd, c->other[i]));
            if (json_object_set_new(obj, c->rate_key[i], json_string(buf)))
                rc = bo__error_set(BO_ENOMEM, "out of memory");
            continue;
        }
        json_t *v;
        if (!(rc = value(x, rd, i, &v)) && json_object_set_new(obj, c->names[i], v))
            rc = bo__error_set(BO_ENOMEM, "out of memory");
        if (!rc && c->kind[i] == BO__XC_RATE_NUM) { /* a NULL half: both as they are */
            int o = c->other[i];
            if (!(rc = value(x, rd, o, &v)) && json_object_set_new(obj, c->names[o], v))
                rc = bo__error_set(BO_ENOMEM, "out of memory");
        }
    }
    char *line = NULL;
    if (!rc && !(line = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)))
        rc = bo__error_set(BO_ENOMEM, "out of memory");
    if (!rc && !(rc = put(x, 0, line, strlen(line), &x->sha)))
        rc = put(x, 0, "\n", 1, &x->sha);
    free(line);
    json_decref(obj);
    /* The audit chain's first hash names the book; its last is the head. */
    if (!rc && strcmp(t->name, "audit_log") == 0) {
        int seq = -1, hash = -1, lane = -1;
        for (int i = 0; i < c->n; i++) {
            if (!strcmp(c->names[i], "seq"))
                seq = i;
            else if (!strcmp(c->names[i], "hash"))
                hash = i;
            else if (!strcmp(c->names[i], "lane"))
                lane = i;
        }
        if (seq >= 0 && hash >= 0 && !bo__stmt_is_null(rd, hash)) {
            const char *h = bo__stmt_col_text(rd, hash);
            if (!x->book_id[0])
                snprintf(x->book_id, sizeof x->book_id, "%s", h);
            int64_t l = lane >= 0 ? bo__stmt_col_int(rd, lane) : 0;
            if (l >= 0 && l < BO_DRIVER_LANES) {
                snprintf(x->lane_hashes[l], sizeof x->lane_hashes[l], "%s", h);
                x->lane_seqs[l] = bo__stmt_col_int(rd, seq);
            }
        }
    }
    x->records++;
    return rc;
}

static int exp_end(void *u, const bo__table *t, int64_t rows)
{
    exp_ctx *x = u;
    char hex[65];
    bo__sha_hex(&x->sha, hex);
    const char *slash = strchr(x->part, '/');
    char domain[BO__EXPORT_NAME_MAX];
    snprintf(domain, sizeof domain, "%.*s", (int)(slash - x->part), x->part);
    return add_part(x, x->part, t->name, domain, rows, 0, x->start,
                    x->off[0] - x->start, hex);
}

static int manifest(exp_ctx *x)
{
    int rc = bo__audit_lanes_head(x->lane_seqs, x->lane_hashes, &x->head_seq,
                                  x->head_hash);
    if (rc)
        return rc;
    json_t *m = json_object(), *head = json_object();
    int bad = !m || !head ||
        json_object_set_new(m, "format", json_string(BO__EXPORT_FORMAT)) ||
        json_object_set_new(m, "format_version", json_integer(BO_EXPORT_FORMAT_VERSION)) ||
        json_object_set_new(m, "schema_version", json_integer(bo_book_schema_version())) ||
        json_object_set_new(m, "book_id", json_string(x->book_id)) ||
        json_object_set_new(m, "base_currency", json_string(bo_book_base_currency(x->book))) ||
        json_object_set_new(m, "records", json_integer(x->records)) ||
        json_object_set_new(head, "seq", json_integer(x->head_seq)) ||
        json_object_set_new(head, "hash", json_string(x->head_hash)) ||
        json_object_set(m, "audit_head", head) ||
        json_object_set(m, "parts", x->parts);
    char *text = bad ? NULL : json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS);
    json_decref(head);
    json_decref(m);
    if (!text)
        return bo__error_set(BO_ENOMEM, "out of memory");
    int64_t start = x->off[0];
    rc = put(x, 0, text, strlen(text), NULL);
    if (!rc)
        rc = put(x, 0, "\n", 1, NULL);
    free(text);
    if (rc || (rc = (fflush(x->tmp[0]) ? io_error("temporary file") : 0)))
        return rc;
    /* libzip checks the range against the file's size */
    /* The manifest is the archive's first entry: reorder by renaming is not
     * possible in libzip, so the parts were added after a placeholder. */
    zip_source_t *src = zip_source_file(x->za, x->tmpname[0], (zip_uint64_t)start,
                                        x->off[0] - start);
    if (!src || zip_file_replace(x->za, 0, src, 0)) {
        zip_source_free(src);
        return zip_fail(x, BO__EXPORT_MANIFEST);
    }
    if (zip_file_set_dostime(x->za, 0, DOS_TIME, DOS_DATE, 0) ||
        zip_set_file_compression(x->za, 0, ZIP_CM_DEFLATE, 6))
        return zip_fail(x, BO__EXPORT_MANIFEST);
    return 0;
}

int bo_transfer_options_init(bo_transfer_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_TRANSFER_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_TRANSFER_OPTIONS_VERSION);
    bo_transfer_options init = BO_TRANSFER_OPTIONS_INIT;
    *opts = init;
    return 0;
}

int bo__transfer_options(const bo_transfer_options *opts, bo_transfer_options *out)
{
    bo_transfer_options init = BO_TRANSFER_OPTIONS_INIT;
    *out = init;
    if (!opts)
        return 0;
    if (opts->version < 1 || opts->version > BO_TRANSFER_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d",
                             opts->version, BO_TRANSFER_OPTIONS_VERSION);
    *out = *opts;
    return 0;
}

int bo__file_private(const char *path, int *made)
{
    *made = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0)
        *made = 1;
    else if (errno == EEXIST)
        fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0600)) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (*made)
            unlink(path), *made = 0;
        return bo__error_set(BO_EIO, "%s: %s", path, strerror(e));
    }
    close(fd);
    return 0;
}

int bo_book_export(bo_book *book, const char *path, const bo_transfer_options *opts)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    bo_transfer_options o;
    int rc;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = bo__transfer_options(opts, &o)))
        return rc;
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "export: inside a transaction");
    if ((rc = bo__require(book, BO__P_ALL)))
        return rc;
    exp_ctx x;
    memset(&x, 0, sizeof x);
    x.book = book;
    size_t n = strlen(path) + 16;
    int zerr = 0;
    if (!(x.parts = json_array()))
        rc = bo__error_set(BO_ENOMEM, "out of memory");
    for (int k = 0; k < 2 && !rc; k++) {
        int fd = -1;
        if (!(x.tmpname[k] = malloc(n))) {
            rc = bo__error_set(BO_ENOMEM, "out of memory");
            break;
        }
        snprintf(x.tmpname[k], n, "%s.%sXXXXXX", path, k ? "content" : "parts");
        if ((fd = mkstemp(x.tmpname[k])) < 0 || !(x.tmp[k] = fdopen(fd, "w+b"))) {
            /* the path asked for, not the random name of the scratch file */
            rc = bo__error_set(BO_EIO, "%s: cannot write a file beside it: %s", path,
                               strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(x.tmpname[k]);
            }
            x.tmpname[k][0] = '\0';
        }
    }
    /* personal data: the archive is its owner's only (libzip keeps the
     * mode of the file it replaces) */
    int made = 0;
    if (!rc)
        rc = bo__file_private(path, &made);
    if (!rc && !(x.za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = bo__error_set(BO_EIO, "%s: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
    }
    /* The manifest first (its bytes come last, when the parts are known). */
    if (!rc && (rc = put(&x, 0, "{}\n", 3, NULL)) == 0)
        rc = add_entry(&x, BO__EXPORT_MANIFEST, 0, 0, 3);
    static const bo__walk_sink sink = { exp_begin, exp_row, exp_end };
    if (!rc)
        rc = bo__walk_book(book->store, &sink, &x, o.progress, o.user);
    if (!rc)
        rc = manifest(&x);
    if (!rc && zip_close(x.za) < 0)
        rc = zip_fail(&x, path);
    else if (!rc)
        x.za = NULL;
    if (x.za)
        zip_discard(x.za);
    if (!rc && chmod(path, 0600))
        rc = bo__error_set(BO_EIO, "%s: %s", path, strerror(errno));
    if (rc && made)
        unlink(path);
    for (int k = 0; k < 2; k++) {
        if (x.tmp[k])
            fclose(x.tmp[k]);
        if (x.tmpname[k] && x.tmpname[k][0])
            unlink(x.tmpname[k]);
        free(x.tmpname[k]);
    }
    free(x.blob);
    json_decref(x.parts);
    if (rc)
        bo__error_prefix("export: ");
    return rc;
}
