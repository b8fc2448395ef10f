/* Document records: the builder, create (with idempotency key), get, meta,
 * tags, extracted text; types, their fields and the store setting. */
#include "documents/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FIELDS 64
#define MAX_TAGS 64

struct bo_document {
    char *type, *title, *body, *key;
    bo_date date;
    int cls;
    int nmeta, ntags;
    char *mname[MAX_FIELDS], *mval[MAX_FIELDS];
    char *tags[MAX_TAGS];
};

int bo__doc_name_check(const char *field, const char *s)
{
    return bo__name_check(field, s, BO_DOCUMENT_NAME_MAX);
}

int bo_document_new(bo_document **out, const char *type, const char *title, bo_date date)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    int rc;
    char iso[11];
    if ((rc = bo__doc_name_check("type", type)) ||
        (rc = bo__text_check("title", title, BO_DOCUMENT_TEXT_MAX, false, false)))
        return rc;
    bo__date_iso(date, iso);
    if (!iso[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    bo_document *d = bo__calloc(1, sizeof *d);
    if (!d || !(d->type = bo__strdup(type)) || !(d->title = bo__strdup(title))) {
        bo_document_free(d);
        return BO_ENOMEM;
    }
    d->date = date;
    d->cls = BO_DOCUMENT_INTERNAL;
    *out = d;
    return 0;
}

int bo_document_set_class(bo_document *d, int cls)
{
    bo__error_clear();
    if (!d)
        return bo__error_set(BO_EINVAL, "doc: NULL");
    if (!bo_document_class_name(cls))
        return bo__error_set(BO_EINVAL, "classification: %d is none", cls);
    d->cls = cls;
    return 0;
}

int bo_document_set_meta(bo_document *d, const char *field, const char *value)
{
    bo__error_clear();
    if (!d)
        return bo__error_set(BO_EINVAL, "doc: NULL");
    int rc;
    if ((rc = bo__doc_name_check("field", field)) ||
        (rc = bo__text_check(field, value, BO_DOCUMENT_TEXT_MAX, false, true)))
        return rc;
    for (int i = 0; i < d->nmeta; i++)
        if (strcmp(d->mname[i], field) == 0)
            return bo__strdup_into(&d->mval[i], value);
    if (d->nmeta == MAX_FIELDS)
        return bo__error_set(BO_ELIMIT, "metadata: more than %d fields", MAX_FIELDS);
    if (!(d->mname[d->nmeta] = bo__strdup(field)))
        return BO_ENOMEM;
    if (!(d->mval[d->nmeta] = bo__strdup(value))) {
        bo__free(d->mname[d->nmeta]);
        return BO_ENOMEM;
    }
    d->nmeta++;
    return 0;
}

int bo_document_add_tag(bo_document *d, const char *tag)
{
    bo__error_clear();
    if (!d)
        return bo__error_set(BO_EINVAL, "doc: NULL");
    int rc = bo__doc_name_check("tag", tag);
    if (rc)
        return rc;
    for (int i = 0; i < d->ntags; i++)
        if (strcmp(d->tags[i], tag) == 0)
            return 0;
    if (d->ntags == MAX_TAGS)
        return bo__error_set(BO_ELIMIT, "tags: more than %d", MAX_TAGS);
    if (!(d->tags[d->ntags] = bo__strdup(tag)))
        return BO_ENOMEM;
    d->ntags++;
    return 0;
}

int bo_document_set_body(bo_document *d, const char *text)
{
    bo__error_clear();
    if (!d)
        return bo__error_set(BO_EINVAL, "doc: NULL");
    int rc = bo__text_check("body", text, BO_DOCUMENT_BODY_MAX, true, true);
    return rc ? rc : bo__strdup_into(&d->body, text);
}

int bo_document_set_key(bo_document *d, const char *key)
{
    bo__error_clear();
    if (!d)
        return bo__error_set(BO_EINVAL, "doc: NULL");
    int rc = bo__text_check("key", key, BO_DOCUMENT_TEXT_MAX, false, false);
    return rc ? rc : bo__strdup_into(&d->key, key);
}

void bo_document_free(bo_document *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->nmeta; i++) {
        bo__free(d->mname[i]);
        bo__free(d->mval[i]);
    }
    for (int i = 0; i < d->ntags; i++)
        bo__free(d->tags[i]);
    bo__free(d->type);
    bo__free(d->title);
    bo__free(d->body);
    bo__free(d->key);
    bo__free(d);
}

/* ---- create --------------------------------------------------------------- */

static const char SQL_TYPE[] = "SELECT retention_years FROM doc_types WHERE name = ?";
static const char SQL_FIELD_KIND[] =
    "SELECT kind FROM doc_type_fields WHERE type = ? AND name = ?";
static const char SQL_BY_KEY[] = "SELECT id, digest FROM doc_documents WHERE idem_key = ?";
static const char SQL_INSERT[] =
    "INSERT INTO doc_documents (type, title, doc_date, classification, owner,"
    " created_at, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_META_PUT[] =
    "INSERT INTO doc_meta (doc_id, name, value) VALUES (?, ?, ?)";
static const char SQL_TAG_PUT[] =
    "INSERT INTO doc_tags (doc_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING";

static int type_exists(bo_book *b, const char *type)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_TYPE, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "t", type))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_DONE)
            rc = bo__error_set(BO_ENOTFOUND, "type: '%.64s' is not a document type", type);
        else if (rc == BO_DRIVER_ROW)
            rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

static int check_value(const char *field, const char *kind, const char *v)
{
    if (strcmp(kind, "date") == 0) {
        bo_date d;
        if (bo_date_parse(v, &d))
            return bo__error_set(BO_EINVAL, "%s: not a date (YYYY-MM-DD)", field);
    } else if (strcmp(kind, "int") == 0 || strcmp(kind, "money") == 0) {
        char *end;
        const char *p = v;
        if (*p == '-')
            p++;
        if (*p < '0' || *p > '9')
            return bo__error_set(BO_EINVAL, "%s: not an integer%s", field,
                                 kind[0] == 'm' ? " (minor units)" : "");
        errno = 0;
        (void)strtoll(v, &end, 10);
        if (*end)
            return bo__error_set(BO_EINVAL, "%s: not an integer", field);
        if (errno)
            return bo__error_set(BO_EOVERFLOW, "%s: out of the int64 range", field);
    }
    return 0;
}

/* A value for field: of the kind the type declares for it; a field the
 * type does not declare only when the type's fields are open. */
static int check_meta(bo_book *b, const char *type, const char *field,
                      const char *value, int open)
{
    char kind[8];
    int found;
    int rc = bo__store_row(b->store, SQL_FIELD_KIND, &found, "tt>t", type, field, kind,
                           sizeof kind);
    if (rc || found)
        return rc ? rc : check_value(field, kind, value);
    return open ? 0 /* a free-form field */
         : bo__error_set(BO_EINVAL, "%s: not a field of type '%s' (declare it with "
                         "bo_document_type_field_add, or open the type's fields)", field, type);
}

static int digest_of(const bo_document *d, char hex[65])
{
    bo__buf c = BO__BUF_INIT;
    char iso[11];
    bo__date_iso(d->date, iso);
    bo__buf_field(&c, d->type);
    bo__buf_field(&c, d->title);
    bo__buf_field(&c, iso);
    bo__buf_field_int(&c, d->cls);
    for (int i = 0; i < d->nmeta; i++) {
        bo__buf_field(&c, d->mname[i]);
        bo__buf_field(&c, d->mval[i]);
    }
    for (int i = 0; i < d->ntags; i++)
        bo__buf_field(&c, d->tags[i]);
    bo__buf_field(&c, d->body);
    return bo__buf_digest(&c, hex);
}

struct create_ctx {
    const bo_document *d;
    int64_t id;
};

static int create_tx(bo_book *b, void *p)
{
    struct create_ctx *c = p;
    const bo_document *d = c->d;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_WRITE)))
        return rc;
    if (d->cls >= BO_DOCUMENT_CONFIDENTIAL &&
        (rc = bo__require(b, BO__P_DOCUMENTS_CONFIDENTIAL)))
        return rc;
    char digest[65];
    int state;
    if ((rc = digest_of(d, digest)) ||
        (rc = bo__idem_claim(b, SQL_BY_KEY, "document", d->key, digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY)
        return rc;
    if (d->cls >= BO_DOCUMENT_CONFIDENTIAL && d->body && d->body[0] && !b->key)
        return bo__error_set(BO_EKEY, "body: the text of a %s document is indexed "
                             "only as keyed hashes, and this handle has no key "
                             "(bo_document_set_encryption_key)", bo_document_class_name(d->cls));
    if ((rc = type_exists(b, d->type)))
        return rc;
    int open = 0;
    if (d->nmeta && (rc = bo__doc_type_open(b, d->type, &open)))
        return rc;
    for (int i = 0; i < d->nmeta; i++)
        if ((rc = check_meta(b, d->type, d->mname[i], d->mval[i], open)))
            return rc;
    char iso[11], now[64];
    bo__date_iso(d->date, iso);
    bo__now_iso(now);
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_INSERT, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "tttitttt", d->type, d->title, iso, d->cls, b->actor, now, d->key,
                             digest))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            c->id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "document: insert returned no id");
        }
    }
    bo__stmt_done(s);
    for (int i = 0; !rc && i < d->nmeta; i++) {
        if ((rc = bo__stmt_get(b->store, SQL_META_PUT, &s)))
            break;
        if (!(rc = bo__stmt_bind(s, "itt", c->id, d->mname[i], d->mval[i])))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    for (int i = 0; !rc && i < d->ntags; i++) {
        if ((rc = bo__stmt_get(b->store, SQL_TAG_PUT, &s)))
            break;
        if (!(rc = bo__stmt_bind(s, "it", c->id, d->tags[i])))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    if (!rc)
        rc = bo__doc_text_refresh(b, c->id, d->body ? d->body : "");
    if (rc)
        return rc;
    char object[32];
    bo__doc_object(c->id, object);
    /* The digest, not the fields: titles of confidential records stay out
     * of the log. */
    if ((rc = bo__audit_append(b, "documents.document.create", object, digest)))
        return rc;
    return bo__event_queue(b, "document.created", c->id);
}

int bo_document_create(bo_book *b, const bo_document *d, int64_t *id)
{
    bo__error_clear();
    if (id)
        *id = 0;
    if (!b || !d)
        return bo__error_set(BO_EINVAL, "book/doc: NULL");
    struct create_ctx c = { d, 0 };
    int rc = bo__write(b, create_tx, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}

/* ---- searchable text ---------------------------------------------------- */

static const char SQL_TEXT_PARTS[] =
    "SELECT d.title, (SELECT body FROM doc_text WHERE doc_id = d.id), d.classification"
    " FROM doc_documents d WHERE d.id = ?";
static const char SQL_TEXT_META[] =
    "SELECT value FROM doc_meta WHERE doc_id = ? ORDER BY name";
static const char SQL_TEXT_TAGS[] =
    "SELECT tag FROM doc_tags WHERE doc_id = ? ORDER BY tag";
static const char SQL_TEXT_DEL[] = "DELETE FROM doc_text WHERE doc_id = ?";
static const char SQL_TEXT_PUT[] = "INSERT INTO doc_text (doc_id, body) VALUES (?, ?)";

/* doc_text.body = title, a form feed, metadata values and tags, a form
 * feed, the extracted text: the extracted part can be taken back out. */
static const char *extracted_of(const char *all)
{
    const char *p = all ? strchr(all, '\f') : NULL;
    p = p ? strchr(p + 1, '\f') : NULL;
    return p ? p + 1 : "";
}

static int collect(bo_book *b, const char *sql, int64_t id, bo__buf *out)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo__buf_puts(out, bo__stmt_col_text(s, 0));
            bo__buf_puts(out, " ");
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

int bo__doc_word_char(unsigned char ch)
{
    return ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
}

/* A word already hashed (kept from the stored extracted text). */
static int is_term_hash(const char *w, size_t n)
{
    if (n != BO__TERM_HASH_SIZE - 1 || w[0] != BO__TERM_HASH_MARK)
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!((w[i] >= '0' && w[i] <= '9') || (w[i] >= 'a' && w[i] <= 'f')))
            return 0;
    return 1;
}

int bo__doc_term_hash(const bo__key *key, const char *word, size_t n,
                      char out[BO__TERM_HASH_SIZE])
{
    /* Folded as the index folds plain words: ASCII letters to lower case
     * (other bytes as they are). */
    char low[BO_DOCUMENT_TEXT_MAX];
    if (n > sizeof low)
        n = sizeof low;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)((word[i] >= 'A' && word[i] <= 'Z') ? word[i] | 32 : word[i]);
    bo__term_hash(key, low, n, out);
    return 0;
}

/* The words of t (already words and spaces, parts separated by form
 * feeds) as keyed hashes, separated by spaces, the first two form feeds
 * kept; in the extracted part, words that are hashes already (kept from
 * the stored row) stay as they are. */
static int hash_parts(const bo__key *key, const bo__buf *t, bo__buf *out)
{
    int part = 0;
    for (size_t i = 0; i < t->len;) {
        unsigned char ch = (unsigned char)t->ptr[i];
        if (ch == '\f' && part < 2) {
            bo__buf_put(out, "\f", 1);
            part++;
            i++;
            continue;
        }
        if (!bo__doc_word_char(ch)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < t->len && bo__doc_word_char((unsigned char)t->ptr[i]))
            i++;
        if (out->len && out->ptr[out->len - 1] != '\f')
            bo__buf_put(out, " ", 1);
        if (part == 2 && is_term_hash(t->ptr + start, i - start)) {
            bo__buf_put(out, t->ptr + start, i - start);
        } else {
            char h[BO__TERM_HASH_SIZE];
            /* A word longer than any text field is cut: both sides cut it
             * the same way. */
            bo__doc_term_hash(key, t->ptr + start, i - start, h);
            bo__buf_puts(out, h);
        }
    }
    while (part++ < 2)
        bo__buf_put(out, "\f", 1);
    return out->failed ? BO_ENOMEM : 0;
}

/* The document's stored text row: its leading parts into t (with the form
 * feed that ends them), its classification, and (keep non-NULL) its
 * extracted text, kept aside because the row is rewritten. */
struct text_row {
    bo__buf *t, *keep;
    int *cls;
};

static int text_row_read(bo__stmt *s, void *arg)
{
    struct text_row *r = arg;
    bo__buf_puts(r->t, bo__stmt_col_text(s, 0));
    bo__buf_puts(r->t, "\f");
    *r->cls = (int)bo__stmt_col_int(s, 2);
    if (r->keep)
        bo__buf_puts(r->keep, extracted_of(bo__stmt_col_text(s, 1)));
    return r->t->failed || (r->keep && r->keep->failed) ? BO_ENOMEM : 0;
}

static int text_read(bo_book *b, int64_t id, bo__buf *t, bo__buf *keep, int *cls)
{
    struct text_row r = { t, keep, cls };
    int found;
    int rc = bo__store_row_read(b->store, SQL_TEXT_PARTS, text_row_read, &r, &found, "i", id);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", id);
    return rc;
}

/* After the leading parts: the metadata, the tags, then the body (or the
 * kept extracted text), as words and spaces only: every engine then splits
 * the same way ("2026-03-05" is three words everywhere, not a date on one
 * engine and a number on another). The form feeds stay: they separate the
 * parts. */
static int text_gather(bo_book *b, int64_t id, const char *body, const bo__buf *keep,
                       bo__buf *t)
{
    int rc;
    if (t->len) {
        if ((rc = collect(b, SQL_TEXT_META, id, t)) || (rc = collect(b, SQL_TEXT_TAGS, id, t)))
            return rc;
        bo__buf_puts(t, "\f");
        if (body)
            bo__buf_puts(t, body);
        else
            bo__buf_put(t, keep->ptr ? keep->ptr : "", keep->len);
    }
    for (size_t i = 0; i < t->len; i++) {
        unsigned char ch = (unsigned char)t->ptr[i];
        if (ch != '\f' && !bo__doc_word_char(ch))
            t->ptr[i] = ' ';
    }
    return t->failed ? BO_ENOMEM : 0;
}

int bo__doc_text_refresh(bo_book *b, int64_t id, const char *body)
{
    bo__buf t = BO__BUF_INIT, keep = BO__BUF_INIT, hashed = BO__BUF_INIT;
    int cls = 0;
    int rc = text_read(b, id, &t, body ? NULL : &keep, &cls);
    int protect = cls >= BO_DOCUMENT_CONFIDENTIAL;
    if (!rc && protect && !b->key) {
        /* Its words are indexed only as keyed hashes: without the key
         * nothing new can be indexed. A tag leaves the row as it is. */
        if (body && body[0])
            rc = bo__error_set(BO_EKEY, "body: the text of a %s document is indexed "
                               "only as keyed hashes, and this handle has no key "
                               "(bo_document_set_encryption_key)", bo_document_class_name(cls));
        else if (!body)
            goto done;
        else
            t.len = 0; /* not indexed until a handle with the key sets it */
    }
    if (rc || (rc = text_gather(b, id, body, &keep, &t)))
        goto done;
    /* Confidential and restricted: keyed hashes of the words, never the
     * words (the content is encrypted; its text must not sit beside it). */
    bo__buf *row = &t;
    if (protect) {
        if ((rc = hash_parts(b->key, &t, &hashed)))
            goto done;
        row = &hashed;
    }
    bo__buf_put(row, "", 1);
    if (t.failed || hashed.failed) {
        rc = BO_ENOMEM;
        goto done;
    }
    if (!(rc = bo__store_run(b->store, SQL_TEXT_DEL, "i", id)))
        rc = bo__store_run(b->store, SQL_TEXT_PUT, "it", id, row->ptr);
done:
    if (t.ptr)
        sodium_memzero(t.ptr, t.len);
    if (keep.ptr)
        sodium_memzero(keep.ptr, keep.len);
    bo__buf_free(&t);
    bo__buf_free(&keep);
    bo__buf_free(&hashed);
    return rc;
}

/* ---- get, meta -------------------------------------------------------------- */

#define CLASS_NAME(c) "CASE " c " WHEN 0 THEN 'public' WHEN 1 THEN 'internal'" \
    " WHEN 2 THEN 'confidential' ELSE 'restricted' END"

static const char SQL_GET[] =
    "SELECT d.id, d.type, d.title, d.doc_date, " CLASS_NAME("d.classification") ","
    " d.owner, d.created_at,"
    " (SELECT COUNT(*) FROM doc_versions v WHERE v.doc_id = d.id),"
    " d.checked_out_by, CASE WHEN d.hold <> 0 OR t.hold <> 0 THEN 1 ELSE 0 END,"
    " CASE WHEN t.retention_years > 0 THEN CAST(CAST(substr(d.doc_date, 1, 4)"
    "  AS INTEGER) + t.retention_years AS TEXT) || substr(d.doc_date, 5) END,"
    " d.disposed_at"
    " FROM doc_documents d JOIN doc_types t ON t.name = d.type WHERE d.id = ?";
static const bo__col get_cols[] = {
    { "id", BO_TYPE_INT }, { "type", BO_TYPE_TEXT }, { "title", BO_TYPE_TEXT },
    { "date", BO_TYPE_TEXT }, { "classification", BO_TYPE_TEXT },
    { "owner", BO_TYPE_TEXT }, { "created", BO_TYPE_TEXT },
    { "versions", BO_TYPE_INT }, { "checked_out_by", BO_TYPE_TEXT },
    { "hold", BO_TYPE_INT }, { "retain_until", BO_TYPE_TEXT },
    { "disposed", BO_TYPE_TEXT },
};

static const char SQL_META[] =
    "SELECT name, value FROM doc_meta WHERE doc_id = ?"
    " UNION ALL SELECT 'tag', tag FROM doc_tags WHERE doc_id = ?"
    " ORDER BY 1, 2";
static const bo__col meta_cols[] = {
    { "name", BO_TYPE_TEXT }, { "value", BO_TYPE_TEXT },
};

struct read_ctx {
    int64_t id;
    const char *sql;
    const bo__col *cols;
    int ncols, nbind;
    const char *action;
    bo_cursor *cur;
};

/* Check sight, record the access when protected, and make the cursor: in
 * a write, since the audit record needs one. */
static int read_tx(bo_book *b, void *p)
{
    struct read_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_READ)) || (rc = bo__doc_load(b, c->id, &row)) ||
        (rc = bo__doc_audit_access(b, &row, c->action)))
        return rc;
    /* the document's id, once or twice */
    return c->nbind == 2
         ? bo__listing(b, 0, NULL, c->sql, c->cols, c->ncols, &c->cur, "ii", c->id, c->id)
         : bo__listing(b, 0, NULL, c->sql, c->cols, c->ncols, &c->cur, "i", c->id);
}

int bo__doc_read_cursor(bo_book *b, int64_t id, const char *sql,
                        const bo__col *cols, int ncols, int nbind,
                        const char *action, bo_cursor **out)
{
    struct read_ctx c = { id, sql, cols, ncols, nbind, action, NULL };
    int rc = bo__write(b, read_tx, &c);
    if (rc) {
        bo_cursor_free(c.cur);
        return rc;
    }
    *out = c.cur;
    return 0;
}

int bo_document_get(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__doc_read_cursor(b, id, SQL_GET, get_cols, 12, 1, "documents.document.read", out);
}

int bo_document_meta(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__doc_read_cursor(b, id, SQL_META, meta_cols, 2, 2, "documents.document.read", out);
}

/* ---- tags, body ------------------------------------------------------------ */

struct edit_ctx {
    int64_t id;
    const char *text;
    int tag;
};

static int edit_tx(bo_book *b, void *p)
{
    struct edit_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__doc_load_live(b, BO__P_DOCUMENTS_WRITE, c->id, &row)))
        return rc;
    char object[32];
    bo__doc_object(c->id, object);
    if (c->tag) {
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_TAG_PUT, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "it", c->id, c->text)))
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
        if (rc || (rc = bo__doc_text_refresh(b, c->id, NULL)))
            return rc;
        return bo__audit_append(b, "documents.document.tag", object, c->text);
    }
    if (row.cls >= BO_DOCUMENT_CONFIDENTIAL && c->text[0] && !b->key)
        return bo__error_set(BO_EKEY, "body: the text of a %s document is indexed "
                             "only as keyed hashes, and this handle has no key "
                             "(bo_document_set_encryption_key)", bo_document_class_name(row.cls));
    if ((rc = bo__doc_text_refresh(b, c->id, c->text)))
        return rc;
    return bo__audit_append(b, "documents.document.body_set", object, "");
}

int bo_document_tag(bo_book *b, int64_t id, const char *tag)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__doc_name_check("tag", tag);
    if (rc)
        return rc;
    struct edit_ctx c = { id, tag, 1 };
    return bo__write(b, edit_tx, &c);
}

int bo_document_body(bo_book *b, int64_t id, const char *text)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("body", text, BO_DOCUMENT_BODY_MAX, false, true);
    if (rc)
        return rc;
    struct edit_ctx c = { id, text, 0 };
    return bo__write(b, edit_tx, &c);
}
