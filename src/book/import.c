/*
 * Reading the lossless export back (docs/export-format.md) into an empty
 * store, in one transaction: the manifest is checked first (format, schema
 * version, every part listed and known), then each part is streamed in the
 * order of the table of domains, its SHA-256 and record count checked
 * against the manifest and every record's fields against its table, so bad
 * input rolls everything back and names the part and line. After the commit
 * the new book is verified whole.
 */
#include "book/transfer.h"
#include "core/book.h"

#include <jansson.h>
#include <zip.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MANIFEST_MAX ((size_t)64 << 20)
#define LINE_MAX_BYTES ((size_t)64 << 20)
#define BLOB_MAX ((size_t)1 << 30)

typedef struct imp_ctx {
    zip_t *za;
    const char *path;
    json_t *manifest;
    json_t *index; /* part name -> its entry of the manifest */
    const char *base;
    bo__store *dst;
    bo_transfer_options o;
    unsigned char *blob;
    size_t blob_cap;
} imp_ctx;

static int zip_err(imp_ctx *x, const char *name)
{
    return bo__error_set(BO_ECORRUPT, "%s: %s: %s", x->path, name,
                         zip_error_strerror(zip_get_error(x->za)));
}

/* Read a whole entry (at most max bytes) into a new buffer. */
static int read_entry(imp_ctx *x, const char *name, size_t max, unsigned char **out,
                      size_t *len)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat(x->za, name, 0, &zs) || !(zs.valid & ZIP_STAT_SIZE))
        return bo__error_set(BO_ECORRUPT, "%s: %s: missing from the archive",
                             x->path, name);
    if (zs.size > max)
        return bo__error_set(BO_ELIMIT, "%s: %s: larger than %zu bytes", x->path,
                             name, max);
    unsigned char *buf = malloc(zs.size + 1);
    if (!buf)
        return bo__error_set(BO_ENOMEM, "%s: %s: out of memory", x->path, name);
    zip_file_t *f = zip_fopen(x->za, name, 0);
    zip_int64_t n = f ? zip_fread(f, buf, zs.size) : -1;
    /* read once more: libzip checks the CRC at the end */
    char extra;
    if (n == (zip_int64_t)zs.size && zip_fread(f, &extra, 1) != 0)
        n = -1;
    int rc = n != (zip_int64_t)zs.size ? zip_err(x, name) : 0;
    if (f)
        zip_fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[zs.size] = '\0';
    *out = buf;
    *len = zs.size;
    return 0;
}

static json_t *part_of(imp_ctx *x, const char *name)
{
    return x->index ? json_object_get(x->index, name) : NULL;
}

static int check_manifest(imp_ctx *x)
{
    unsigned char *text;
    size_t len;
    int rc = read_entry(x, BO__EXPORT_MANIFEST, MANIFEST_MAX, &text, &len);
    if (rc)
        return rc;
    json_error_t je;
    x->manifest = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (!x->manifest || !json_is_object(x->manifest))
        return bo__error_set(BO_EINVAL, "%s: %s: line %d: %s", x->path,
                             BO__EXPORT_MANIFEST, je.line,
                             x->manifest ? "not an object" : je.text);
    json_t *m = x->manifest;
    const char *fmt = json_string_value(json_object_get(m, "format"));
    json_t *fv = json_object_get(m, "format_version"),
           *sv = json_object_get(m, "schema_version");
    if (!fmt || strcmp(fmt, BO__EXPORT_FORMAT) != 0)
        return bo__error_set(BO_EINVAL, "%s: %s: format: not \"%s\"", x->path,
                             BO__EXPORT_MANIFEST, BO__EXPORT_FORMAT);
    if (!json_is_integer(fv) || json_integer_value(fv) != BO_EXPORT_FORMAT_VERSION)
        return bo__error_set(BO_ESCHEMA, "%s: %s: format_version: %s is not %d "
                             "(this library reads only that version)", x->path,
                             BO__EXPORT_MANIFEST,
                             json_is_integer(fv) ? "another version" : "missing",
                             BO_EXPORT_FORMAT_VERSION);
    if (!json_is_integer(sv) || json_integer_value(sv) != bo_book_schema_version())
        return bo__error_set(BO_ESCHEMA, "%s: %s: schema_version: %" PRId64
                             " is not this library's %d", x->path,
                             BO__EXPORT_MANIFEST,
                             (int64_t)(json_is_integer(sv) ? json_integer_value(sv) : -1),
                             bo_book_schema_version());
    x->base = json_string_value(json_object_get(m, "base_currency"));
    int exp;
    if (!x->base || bo_currency_exponent(x->base, &exp))
        return bo__error_set(BO_ECURRENCY, "%s: %s: base_currency: not a known "
                             "currency", x->path, BO__EXPORT_MANIFEST);
    json_t *parts = json_object_get(m, "parts"), *p;
    if (!json_is_array(parts))
        return bo__error_set(BO_EINVAL, "%s: %s: parts: not a list", x->path,
                             BO__EXPORT_MANIFEST);
    /* Every part listed once: a known kind, a hash, and present in the
     * archive. */
    if (!(x->index = json_object()))
        return bo__error_set(BO_ENOMEM, "%s: out of memory", x->path);
    size_t i;
    json_array_foreach(parts, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *sha = json_string_value(json_object_get(p, "sha256"));
        if (!name || !kind || !sha || strlen(sha) != 64)
            return bo__error_set(BO_EINVAL, "%s: %s: parts[%zu]: name, kind and "
                                 "sha256 are required", x->path,
                                 BO__EXPORT_MANIFEST, i);
        if (json_object_get(x->index, name))
            return bo__error_set(BO_EINVAL, "%s: %s: part %s: listed twice", x->path,
                                 BO__EXPORT_MANIFEST, name);
        if (json_object_set(x->index, name, p))
            return bo__error_set(BO_ENOMEM, "%s: out of memory", x->path);
        if (strcmp(kind, "content") == 0) {
            if (strncmp(name, BO__EXPORT_CONTENT, strlen(BO__EXPORT_CONTENT)) != 0 ||
                strcmp(name + strlen(BO__EXPORT_CONTENT), sha) != 0)
                return bo__error_set(BO_EINVAL, "%s: %s: part %s: content is "
                                     "named by its sha256", x->path,
                                     BO__EXPORT_MANIFEST, name);
        } else {
            const char *dn = json_string_value(json_object_get(p, "domain"));
            const bo__domain *d;
            int found = 0;
            for (int k = 0; !found && dn && (d = bo__domain_at(k)); k++)
                for (int j = 0; !found && d->ntables && j < *d->ntables; j++) {
                    char want[BO__EXPORT_NAME_MAX * 2 + 8];
                    found = strcmp(d->name, dn) == 0 &&
                            strcmp(d->tables[j].name, kind) == 0 &&
                            !bo__xpart_name(d, &d->tables[j], want, sizeof want) &&
                            strcmp(want, name) == 0;
                }
            if (!found)
                return bo__error_set(BO_EINVAL, "%s: %s: part %s: unknown record "
                                     "kind %s%s%s", x->path, BO__EXPORT_MANIFEST,
                                     name, dn ? dn : "", dn ? "/" : "", kind);
            if (!json_is_integer(json_object_get(p, "records")))
                return bo__error_set(BO_EINVAL, "%s: %s: part %s: records: not a "
                                     "count", x->path, BO__EXPORT_MANIFEST, name);
        }
        if (zip_name_locate(x->za, name, 0) < 0)
            return bo__error_set(BO_ECORRUPT, "%s: %s: missing from the archive",
                                 x->path, name);
    }
    /* ... and nothing in the archive that the manifest does not list. */
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    for (zip_int64_t k = 0; k < n; k++) {
        const char *name = zip_get_name(x->za, (zip_uint64_t)k, 0);
        if (!name)
            return zip_err(x, "entry");
        if (strcmp(name, BO__EXPORT_MANIFEST) != 0 && !part_of(x, name))
            return bo__error_set(BO_EINVAL, "%s: %s: unknown record kind (not "
                                 "listed in the manifest)", x->path, name);
    }
    return 0;
}

/* The bytes of a content part, checked against its name. */
static int content(imp_ctx *x, const char *ref, const char *where, size_t *len)
{
    size_t plen = strlen(BO__EXPORT_BLOB);
    char name[sizeof BO__EXPORT_CONTENT + 64];
    if (strncmp(ref, BO__EXPORT_BLOB, plen) != 0 || strlen(ref + plen) != 64)
        return bo__error_set(BO_EINVAL, "%s: not \"%s<hex>\"", where, BO__EXPORT_BLOB);
    snprintf(name, sizeof name, "%s%s", BO__EXPORT_CONTENT, ref + plen);
    if (!part_of(x, name))
        return bo__error_set(BO_EINVAL, "%s: content %s is not in the manifest",
                             where, ref + plen);
    free(x->blob);
    x->blob = NULL;
    int rc = read_entry(x, name, BLOB_MAX, &x->blob, len);
    if (rc)
        return rc;
    unsigned char h[BO__SHA256_BYTES];
    char hex[65];
    bo__sha256(x->blob, *len, h);
    bo__hex(h, sizeof h, hex);
    if (strcmp(hex, ref + plen) != 0)
        return bo__error_set(BO_ECORRUPT, "%s: %s: SHA-256 differs from the "
                             "manifest", x->path, name);
    return 0;
}

static int parse_rate(const char *s, int64_t *num, int64_t *den)
{
    char *end;
    errno = 0;
    long long n = strtoll(s, &end, 10);
    if (end == s || *end != '/' || errno)
        return -1;
    const char *d = end + 1;
    long long m = strtoll(d, &end, 10);
    if (end == d || *end || errno || m <= 0 || (*d < '0' || *d > '9'))
        return -1;
    *num = n;
    *den = m;
    return 0;
}

/* Bind record obj (line `line` of part) to wr, column by column. */
static int bind_record(imp_ctx *x, const bo__xcols *c, json_t *obj, bo__stmt *wr,
                       const char *part, int64_t line)
{
    char where[256];
    snprintf(where, sizeof where, "%s: %s: line %" PRId64, x->path, part, line);
    if (!json_is_object(obj))
        return bo__error_set(BO_EINVAL, "%s: not an object", where);
    /* Every key is a column (or a rate of two). */
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int known = 0;
        for (int i = 0; !known && i < c->n; i++)
            known = c->kind[i] == BO__XC_RATE_NUM || c->kind[i] == BO__XC_RATE_DEN
                ? strcmp(key, c->rate_key[i]) == 0 || strcmp(key, c->names[i]) == 0
                : strcmp(key, c->names[i]) == 0;
        if (!known)
            return bo__error_set(BO_EINVAL, "%s: %s: unknown field", where, key);
    }
    int rc = 0;
    for (int i = 0; !rc && i < c->n; i++) {
        int idx = i + 1;
        const char *name = c->names[i];
        char field[sizeof where + BO__EXPORT_NAME_MAX + 4];
        snprintf(field, sizeof field, "%s: %s", where, name);
        if (c->kind[i] == BO__XC_RATE_NUM || c->kind[i] == BO__XC_RATE_DEN) {
            json_t *r = json_object_get(obj, c->rate_key[i]);
            if (r) {
                int64_t num, den;
                const char *s = json_string_value(r);
                if (!s || parse_rate(s, &num, &den))
                    return bo__error_set(BO_EINVAL, "%s: %s: not a fraction "
                                         "\"n/d\"", where, c->rate_key[i]);
                if (json_object_get(obj, name))
                    return bo__error_set(BO_EINVAL, "%s: both %s and %s", where,
                                         c->rate_key[i], name);
                rc = bo__stmt_int(wr, idx, c->kind[i] == BO__XC_RATE_NUM ? num : den);
                continue;
            }
        }
        v = json_object_get(obj, name);
        if (!v)
            return bo__error_set(BO_EINVAL, "%s: missing", field);
        if (json_is_null(v)) {
            rc = bo__stmt_null(wr, idx);
            continue;
        }
        switch (c->types[i]) {
        case 'b': {
            size_t len;
            if (!json_is_string(v))
                return bo__error_set(BO_EINVAL, "%s: not a content reference", field);
            if (!(rc = content(x, json_string_value(v), field, &len)))
                rc = bo__stmt_blob(wr, idx, x->blob, len);
            break;
        }
        case 'i':
            if (json_is_integer(v) && c->kind[i] == BO__XC_AMOUNT) {
                /* minor units only for a currency this process does not know */
                json_t *cv = c->other[i] < 0 ? NULL : json_object_get(obj, c->names[c->other[i]]);
                const char *cur = c->other[i] < 0 ? x->base : json_string_value(cv);
                int e;
                if (cur && bo_currency_exponent(cur, &e) == 0)
                    return bo__error_set(BO_EINVAL, "%s: an amount of %s is a "
                                         "decimal string", field, cur);
                bo__error_clear();
            }
            if (json_is_integer(v)) {
                rc = bo__stmt_int(wr, idx, json_integer_value(v));
            } else if (json_is_string(v) && c->kind[i] == BO__XC_AMOUNT) {
                const char *cur = c->other[i] < 0 ? x->base
                    : json_string_value(json_object_get(obj, c->names[c->other[i]]));
                int64_t amount;
                if (!cur)
                    return bo__error_set(BO_EINVAL, "%s: an amount without its "
                                         "currency", field);
                if ((rc = bo_money_parse(json_string_value(v), cur, &amount)))
                    return bo__error_prefix("%s: ", field);
                rc = bo__stmt_int(wr, idx, amount);
            } else {
                return bo__error_set(BO_EINVAL, "%s: not %s", field,
                                     c->kind[i] == BO__XC_AMOUNT ? "a decimal amount"
                                                                 : "an integer");
            }
            break;
        default:
            if (!json_is_string(v))
                return bo__error_set(BO_EINVAL, "%s: not a string", field);
            /* text may hold NUL bytes (written outside the library) */
            rc = json_string_length(v) == strlen(json_string_value(v))
                ? bo__stmt_text(wr, idx, json_string_value(v))
                : bo__error_set(BO_EINVAL, "%s: holds a NUL byte", field);
        }
    }
    return rc;
}

/* Stream one part into its table. */
static int import_table(imp_ctx *x, const bo__domain *d, const bo__table *t)
{
    char part[BO__EXPORT_NAME_MAX * 2 + 8];
    bo__xcols c;
    int rc;
    if ((rc = bo__xcols_of(d, t, &c)) || (rc = bo__xpart_name(d, t, part, sizeof part)))
        return rc;
    json_t *p = part_of(x, part);
    if (!p)
        return bo__error_set(BO_EINVAL, "%s: %s: record kind %s missing", x->path,
                             BO__EXPORT_MANIFEST, part);
    int64_t want = json_integer_value(json_object_get(p, "records"));
    bo__buf ins = BO__BUF_INIT, line = BO__BUF_INIT;
    bo__stmt *wr = NULL;
    zip_file_t *f = NULL;
    if ((rc = bo__walk_insert_sql(t, &ins)) || (rc = bo__stmt_new(x->dst, ins.ptr, &wr)))
        goto out;
    if (!(f = zip_fopen(x->za, part, 0))) {
        rc = zip_err(x, part);
        goto out;
    }
    bo__sha sha;
    bo__sha_init(&sha);
    char chunk[1 << 16];
    int64_t lineno = 0;
    zip_int64_t n;
    while (!rc && (n = zip_fread(f, chunk, sizeof chunk)) > 0) {
        bo__sha_put(&sha, chunk, (size_t)n);
        const char *s = chunk, *end = chunk + n;
        while (!rc && s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
            if (line.len + len > LINE_MAX_BYTES) {
                rc = bo__error_set(BO_ELIMIT, "%s: %s: line %" PRId64 ": longer "
                                   "than %zu bytes", x->path, part, lineno + 1,
                                   LINE_MAX_BYTES);
                break;
            }
            if (bo__buf_put(&line, s, len)) {
                rc = bo__error_set(BO_ENOMEM, "%s: out of memory", part);
                break;
            }
            s += len;
            if (!nl)
                break;
            s++;
            lineno++;
            json_error_t je;
            json_t *obj = json_loadb(line.ptr ? line.ptr : "", line.len,
                                     JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
            if (!obj)
                rc = bo__error_set(BO_EINVAL, "%s: %s: line %" PRId64 ": %s",
                                   x->path, part, lineno, je.text);
            else if (!(rc = bind_record(x, &c, obj, wr, part, lineno))) {
                if ((rc = bo__stmt_run(wr)))
                    bo__error_prefix("%s: %s: line %" PRId64 ": ", x->path, part, lineno);
            }
            bo__stmt_reset(wr);
            json_decref(obj);
            line.len = 0;
            if (!rc && x->o.progress && (lineno % 1000 == 0 || lineno == want))
                x->o.progress(t->name, lineno, want, x->o.user);
        }
    }
    if (!rc && n < 0)
        rc = zip_err(x, part);
    if (!rc && line.len)
        rc = bo__error_set(BO_EINVAL, "%s: %s: line %" PRId64 ": no end of line",
                           x->path, part, lineno + 1);
    if (!rc) {
        char hex[65];
        bo__sha_hex(&sha, hex);
        if (strcmp(hex, json_string_value(json_object_get(p, "sha256"))) != 0)
            rc = bo__error_set(BO_ECORRUPT, "%s: %s: SHA-256 differs from the "
                               "manifest", x->path, part);
        else if (lineno != want)
            rc = bo__error_set(BO_ECORRUPT, "%s: %s: %" PRId64 " records, the "
                               "manifest says %" PRId64, x->path, part, lineno, want);
    }
    if (!rc && x->o.progress && want == 0)
        x->o.progress(t->name, 0, 0, x->o.user);
    if (!rc)
        rc = bo__walk_table_done(x->dst, t);
out:
    if (f)
        zip_fclose(f);
    bo__stmt_done(wr);
    bo__buf_free(&ins);
    bo__buf_free(&line);
    return rc;
}

static int import_all(imp_ctx *x)
{
    int rc = bo__walk_fresh(x->dst);
    if (rc)
        return rc;
    const bo__domain *d;
    for (int i = 0; !rc && (d = bo__domain_at(i)); i++)
        for (int j = 0; !rc && d->ntables && j < *d->ntables; j++)
            rc = import_table(x, d, &d->tables[j]);
    return rc ? bo__walk_abort(x->dst) : bo__store_commit(x->dst);
}

/* The imported book: its chain reaches the exporter's head, and it verifies. */
static int verify(imp_ctx *x, const char *uri, const bo_book_options *o)
{
    bo_book *b = NULL;
    int rc = bo_book_open(&b, uri, o);
    if (rc)
        return rc;
    int64_t seq;
    char hash[BO_HASH_HEX_SIZE];
    json_t *head = json_object_get(x->manifest, "audit_head");
    const char *want = json_string_value(json_object_get(head, "hash"));
    if (!(rc = bo_audit_head(b, &seq, hash, sizeof hash)) &&
        (seq != json_integer_value(json_object_get(head, "seq")) || !want ||
         strcmp(hash, want) != 0))
        rc = bo__error_set(BO_ECORRUPT, "the audit chain head %lld %.12s... is not "
                           "the manifest's", (long long)seq, hash);
    if (!rc && (rc = bo_audit_verify_full(b, NULL, NULL)))
        bo__error_prefix("the imported book: ");
    bo__error_state es;
    bo__error_save(&es);
    bo_book_free(b);
    bo__error_restore(&es);
    return rc;
}

int bo_book_import(const char *uri, const char *path, const bo_book_options *book,
                   const bo_transfer_options *opts)
{
    bo__error_clear();
    int rc;
    imp_ctx x;
    memset(&x, 0, sizeof x);
    if ((rc = bo__text_check("uri", uri, 4096, false, false)) ||
        (rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = bo__transfer_options(opts, &x.o)) || (rc = bo__domains_init()))
        return rc;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    if (book)
        o = *book;
    o.create = 0;
    x.path = path;
    int zerr = 0;
    if (!(x.za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        rc = bo__error_set(zerr == ZIP_ER_NOENT ? BO_ENOTFOUND : BO_ECORRUPT,
                           "%s: not a readable export (%s)", path,
                           zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    if (!(rc = check_manifest(&x))) {
        bo_driver_settings set = { 1, o.busy_timeout_ms, o.sync, 1 };
        if ((rc = bo__store_open(&x.dst, uri, &set))) {
            bo__error_prefix("destination: ");
        } else {
            bo__books_opened(1);
            rc = import_all(&x);
            bo__store_release(x.dst);
            bo__books_opened(-1);
        }
    }
    if (!rc)
        rc = verify(&x, uri, &o);
    bo__error_state es;
    bo__error_save(&es);
    zip_discard(x.za);
    json_decref(x.index);
    json_decref(x.manifest);
    free(x.blob);
    bo__error_restore(&es);
    if (rc)
        bo__error_prefix("import: ");
    return rc;
}
