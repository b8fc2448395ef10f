/*
 * Search: full text over doc_text (title, metadata, tags, extracted text)
 * with filters by type, tag, dates and link, always joined with the
 * visibility filter in SQL so results and counts never include a document
 * the actor may not see. The index and the match are the driver's
 * (bo_driver.fts_*: SQLite FTS5, an external-content table over doc_text
 * kept by triggers; PostgreSQL a GIN index on to_tsvector('simple', body)),
 * made by schema version 11; a search never writes. A driver without
 * full-text search makes searching by words BO_ENOTSUP.
 */
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- the query builder ---------------------------------------------------- */

struct bo_document_query {
    char *words, *type, *tag, *kind, *ref;
    char from[11], to[11];
    int disposed;
    int64_t limit, offset;
};

int bo_document_query_new(bo_document_query **out)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = bo__calloc(1, sizeof **out);
    return *out ? 0 : BO_ENOMEM;
}

int bo_document_query_text(bo_document_query *q, const char *words)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    int rc = bo__text_check("text", words, BO_DOCUMENT_TEXT_MAX, true, true);
    return rc ? rc : bo__strdup_into(&q->words, words);
}

int bo_document_query_type(bo_document_query *q, const char *type)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    int rc = type ? bo__doc_name_check("type", type) : 0;
    return rc ? rc : bo__strdup_into(&q->type, type);
}

int bo_document_query_tag(bo_document_query *q, const char *tag)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    int rc = tag ? bo__doc_name_check("tag", tag) : 0;
    return rc ? rc : bo__strdup_into(&q->tag, tag);
}

int bo_document_query_dates(bo_document_query *q, bo_date from, bo_date to)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    if (from && to && from > to)
        return bo__error_set(BO_EINVAL, "dates: from is after to");
    q->from[0] = q->to[0] = '\0';
    if (from)
        bo__date_iso(from, q->from);
    if (to)
        bo__date_iso(to, q->to);
    return 0;
}

int bo_document_query_link(bo_document_query *q, const char *kind, const char *ref)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    int rc = 0;
    if (kind && ((rc = bo__doc_link_kind_check(kind)) ||
                 (rc = bo__text_check("ref", ref, BO_DOCUMENT_TEXT_MAX, false, false))))
        return rc;
    if ((rc = bo__strdup_into(&q->kind, kind)))
        return rc;
    return bo__strdup_into(&q->ref, kind ? ref : NULL);
}

int bo_document_query_disposed(bo_document_query *q, int include)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    q->disposed = include ? 1 : 0;
    return 0;
}

int bo_document_query_page(bo_document_query *q, int64_t limit, int64_t offset)
{
    bo__error_clear();
    if (!q)
        return bo__error_set(BO_EINVAL, "query: NULL");
    if (limit < 0 || offset < 0)
        return bo__error_set(BO_EINVAL, "page: negative");
    q->limit = limit;
    q->offset = offset;
    return 0;
}

void bo_document_query_free(bo_document_query *q)
{
    if (!q)
        return;
    bo__free(q->words);
    bo__free(q->type);
    bo__free(q->tag);
    bo__free(q->kind);
    bo__free(q->ref);
    bo__free(q);
}

/* ---- running it --------------------------------------------------------------- */

/* Words: runs of letters and digits (any byte >= 0x80 counts as a letter),
 * so nothing of the engine's query syntax gets through; a NUL-separated
 * list. */
static int words_of(const char *text, bo__buf *out, int *n)
{
    *n = 0;
    for (const unsigned char *p = (const unsigned char *)text; p && *p;) {
        while (*p && !bo__doc_word_char(*p))
            p++;
        const unsigned char *start = p;
        while (*p && bo__doc_word_char(*p))
            p++;
        if (p > start) {
            bo__buf_put(out, start, (size_t)(p - start));
            bo__buf_put(out, "", 1);
            ++*n;
        }
    }
    return out->failed ? BO_ENOMEM : 0;
}

#define MAX_WORDS 16

/* The driver's match parameter for the words: every word must occur, as
 * itself (public and internal documents) or, when the handle has the key,
 * as its keyed hash (confidential and restricted documents are indexed by
 * those only). */
static int match_of(bo_book *b, const char *words, int n, bo__buf *out)
{
    const char *terms[2 * MAX_WORDS];
    char hashes[MAX_WORDS][BO__TERM_HASH_SIZE];
    int per = b->key ? 2 : 1;
    const char *w = words;
    for (int i = 0; i < n; i++, w += strlen(w) + 1) {
        terms[i * per] = w;
        if (b->key) {
            bo__doc_term_hash(b->key, w, strlen(w), hashes[i]);
            terms[i * per + 1] = hashes[i];
        }
    }
    int rc = bo__store_fts_query(b->store, terms, n, per, out);
    if (!rc && bo__buf_put(out, "", 1))
        rc = BO_ENOMEM;
    return rc;
}

static const bo__col result_cols[] = {
    { "id", BO_TYPE_INT }, { "type", BO_TYPE_TEXT }, { "title", BO_TYPE_TEXT },
    { "date", BO_TYPE_TEXT }, { "classification", BO_TYPE_TEXT },
    { "owner", BO_TYPE_TEXT }, { "versions", BO_TYPE_INT }, { "disposed", BO_TYPE_TEXT },
};

/* Add a filter to the query being built: its SQL and its format letters
 * when on, else the letters skipped ('_' before each), so one call binds
 * the arguments of every shape. The end of the format is returned. */
static char *filter(bo__buf *sql, char *f, int on, const char *text, const char *letters)
{
    if (on)
        bo__buf_puts(sql, text);
    for (; *letters; letters++) {
        if (!on)
            *f++ = '_';
        *f++ = *letters;
    }
    *f = 0;
    return f;
}

static int run(bo_book *b, const bo_document_query *q, int count, bo_cursor **out)
{
    int rc;
    bo__doc_who w;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_READ)) || (rc = bo__doc_who_get(b, &w)))
        return rc;
    bo__buf sql = BO__BUF_INIT, words = BO__BUF_INIT, match = BO__BUF_INIT;
    int nwords = 0;
    /* The format, built beside the SQL: a filter left out skips its
     * argument ('_'), so one call binds every shape of the query. */
    char fmt[32] = "tii", *f = fmt + 3;
    if (q->words && (rc = words_of(q->words, &words, &nwords)))
        goto done;
    if (nwords > MAX_WORDS) {
        rc = bo__error_set(BO_ELIMIT, "text: more than %d words", MAX_WORDS);
        goto done;
    }
    if (count)
        bo__buf_puts(&sql, "SELECT COUNT(*) FROM doc_documents d WHERE ");
    else
        bo__buf_puts(&sql, "SELECT d.id, d.type, d.title, d.doc_date, CASE"
                     " d.classification WHEN 0 THEN 'public' WHEN 1 THEN 'internal'"
                     " WHEN 2 THEN 'confidential' ELSE 'restricted' END, d.owner,"
                     " (SELECT COUNT(*) FROM doc_versions v WHERE v.doc_id = d.id),"
                     " d.disposed_at FROM doc_documents d WHERE ");
    bo__buf_puts(&sql, BO__DOC_VISIBLE("d"));
    if (!q->disposed)
        bo__buf_puts(&sql, " AND d.disposed_at IS NULL");
    f = filter(&sql, f, q->type != NULL, " AND d.type = ?", "t");
    f = filter(&sql, f, q->from[0] != 0, " AND d.doc_date >= ?", "t");
    f = filter(&sql, f, q->to[0] != 0, " AND d.doc_date <= ?", "t");
    f = filter(&sql, f, q->tag != NULL, " AND EXISTS (SELECT 1 FROM doc_tags g"
               " WHERE g.doc_id = d.id AND g.tag = ?)", "t");
    f = filter(&sql, f, q->kind != NULL, " AND EXISTS (SELECT 1 FROM doc_links l"
               " WHERE l.doc_id = d.id AND l.kind = ? AND l.ref = ?)", "tt");
    if (nwords) {
        bo__buf_puts(&sql, " AND d.id IN (");
        if ((rc = bo__store_fts_match(b->store, &bo__fts_documents, &sql)) ||
            (rc = match_of(b, words.ptr, nwords, &match)))
            goto done;
        bo__buf_puts(&sql, ")");
    }
    f = filter(&sql, f, nwords != 0, "", "t");
    if (!count)
        bo__buf_puts(&sql, " ORDER BY d.doc_date DESC, d.id DESC");
    f = filter(&sql, f, !count && (q->limit || q->offset), " LIMIT ? OFFSET ?", "ii");
    bo__buf_put(&sql, "", 1);
    if (sql.failed) {
        rc = BO_ENOMEM;
        goto done;
    }
    static const bo__col count_col[] = { { "count", BO_TYPE_INT } };
    if ((rc = bo__cursor_new(b, sql.ptr, count ? count_col : result_cols, count ? 1 : 8, out)))
        goto done;
    rc = bo__stmt_bind(bo__cursor_stmt(*out), fmt, w.actor, w.conf, w.restr, q->type,
                       q->from, q->to, q->tag, q->kind, q->ref, match.ptr,
                       q->limit ? q->limit : INT64_MAX, q->offset);
    if (rc) {
        bo_cursor_free(*out);
        *out = NULL;
    }
done:
    bo__buf_free(&sql);
    bo__buf_free(&words);
    bo__buf_free(&match);
    return rc;
}

int bo_document_search(bo_book *b, const bo_document_query *q, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !q || !out)
        return bo__error_set(BO_EINVAL, "book/query/out: NULL");
    *out = NULL;
    return run(b, q, 0, out);
}

int bo_document_count(bo_book *b, const bo_document_query *q, int64_t *count)
{
    bo__error_clear();
    if (!b || !q || !count)
        return bo__error_set(BO_EINVAL, "book/query/count: NULL");
    *count = 0;
    bo_cursor *c = NULL;
    int rc = run(b, q, 1, &c);
    if (rc)
        return rc;
    rc = bo_cursor_next(c);
    if (rc == 0) {
        *count = bo_cursor_int(c, 0);
    } else if (rc == BO_ITEROVER) {
        rc = 0;
    }
    bo_cursor_free(c);
    return rc;
}
