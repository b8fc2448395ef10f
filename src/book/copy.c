/*
 * Copying a book between stores, table by table, rows streamed from one
 * snapshot of the source into one transaction on the destination, then
 * verified through the public API.
 */
#include "book/walk.h"
#include "ledger/ledger.h"

#include <string.h>

/* The copy's sink: each row of the source into the destination. */
typedef struct copy_sink {
    bo__store *dst;
    bo__stmt *wr;
    size_t ncols;
} copy_sink;

static int copy_begin(void *u, const bo__domain *d, const bo__table *t,
                      int64_t total)
{
    copy_sink *c = u;
    (void)d;
    (void)total;
    bo__buf ins = BO__BUF_INIT;
    int rc = bo__walk_insert_sql(t, &ins);
    c->ncols = strlen(t->types);
    if (!rc)
        rc = bo__stmt_new(c->dst, ins.ptr, &c->wr);
    bo__buf_free(&ins);
    return rc;
}

static int copy_row(void *u, const bo__table *t, bo__stmt *rd)
{
    copy_sink *c = u;
    int rc = 0;
    for (size_t i = 0; i < c->ncols && !rc; i++) {
        int col = (int)i, idx = (int)i + 1;
        if (bo__stmt_is_null(rd, col))
            rc = bo__stmt_null(c->wr, idx);
        else if (t->types[i] == 'i')
            rc = bo__stmt_int(c->wr, idx, bo__stmt_col_int(rd, col));
        else if (t->types[i] == 'b') /* bytes (document content) */
            rc = bo__stmt_copy_blob(rd, col, c->wr, idx);
        else
            rc = bo__stmt_text(c->wr, idx, bo__stmt_col_text(rd, col));
    }
    if (!rc)
        rc = bo__stmt_run(c->wr);
    bo__stmt_reset(c->wr);
    return rc;
}

static int copy_end(void *u, const bo__table *t, int64_t rows)
{
    copy_sink *c = u;
    (void)rows;
    bo__stmt_done(c->wr);
    c->wr = NULL;
    return bo__walk_table_done(c->dst, t);
}

/* Write every table of src into the freshly created, empty dst. */
static int copy_all(bo__store *src, bo__store *dst, bo_progress_fn progress,
                    void *user)
{
    int rc = bo__walk_fresh(dst);
    if (rc)
        return rc;
    static const bo__walk_sink sink = { copy_begin, copy_row, copy_end };
    copy_sink c = { dst, NULL, 0 };
    rc = bo__walk_book(src, &sink, &c, progress, user);
    if (rc) {
        bo__stmt_done(c.wr);
        return bo__walk_abort(dst);
    }
    return bo__store_commit(dst);
}

/* Compare the trial balances row by row, as text. */
static int same_trial_balance(bo_book *a, bo_book *b)
{
    bo_cursor *ca = NULL, *cb = NULL;
    int rc = bo_ledger_trial_balance(a, BO_DATE_MAX, &ca);
    if (!rc)
        rc = bo_ledger_trial_balance(b, BO_DATE_MAX, &cb);
    int64_t row = 0;
    while (!rc) {
        int ra = bo_cursor_next(ca), rb = bo_cursor_next(cb);
        if (ra < 0 || rb < 0) {
            rc = ra < 0 ? ra : rb;
            break;
        }
        if (ra != rb) {
            rc = bo__error_set(BO_ECORRUPT, "copy: the trial balances differ in "
                               "length after row %lld", (long long)row);
            break;
        }
        if (ra == BO_ITEROVER)
            break;
        row++;
        for (int c = 0; c < bo_cursor_column_count(ca); c++) {
            int same = bo_cursor_type(ca, c) == bo_cursor_type(cb, c) &&
                (bo_cursor_type(ca, c) == BO_TYPE_INT
                     ? bo_cursor_int(ca, c) == bo_cursor_int(cb, c)
                     : bo_cursor_type(ca, c) == BO_TYPE_NULL ||
                       strcmp(bo_cursor_text(ca, c), bo_cursor_text(cb, c)) == 0);
            if (!same) {
                rc = bo__error_set(BO_ECORRUPT, "copy: the trial balances differ "
                                   "at row %lld, column %s", (long long)row,
                                   bo_cursor_column_name(ca, c));
                break;
            }
        }
    }
    bo_cursor_free(ca);
    bo_cursor_free(cb);
    return rc;
}

static int verify(bo_book *src, bo_book *dst)
{
    int64_t s1, s2;
    char h1[BO_HASH_HEX_SIZE], h2[BO_HASH_HEX_SIZE];
    int rc = same_trial_balance(src, dst);
    if (rc || (rc = bo_audit_head(src, &s1, h1, sizeof h1)) ||
        (rc = bo_audit_head(dst, &s2, h2, sizeof h2)))
        return rc;
    if (s1 != s2 || strcmp(h1, h2) != 0)
        return bo__error_set(BO_ECORRUPT, "copy: audit chain heads differ "
                             "(%lld %.12s... and %lld %.12s...)", (long long)s1,
                             h1, (long long)s2, h2);
    /* The whole book, not the chain alone: every table of the copy must
     * match the states its chain recorded. */
    if ((rc = bo_audit_verify_full(dst, NULL, NULL)))
        return bo__error_prefix("copy: ");
    bo__error_clear();
    return 0;
}

int bo_book_copy(const char *from_uri, const char *to_uri,
                 const bo_book_options *opts, bo_progress_fn progress, void *user)
{
    bo__error_clear();
    int rc;
    if ((rc = bo__text_check("from_uri", from_uri, 4096, false, false)) ||
        (rc = bo__text_check("to_uri", to_uri, 4096, false, false)))
        return rc;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    if (opts)
        o = *opts;
    o.create = 0;
    bo_book *src = NULL, *dst = NULL;
    if ((rc = bo_book_open(&src, from_uri, &o)))
        return bo__error_prefix("source: ");
    if ((rc = bo__require(src, BO__P_BOOK_ADMIN | BO__P_AUDIT_READ | BO__P_LEDGER_READ)))
        goto done;
    bo_driver_settings set = { 1, o.busy_timeout_ms, o.sync, 1 };
    bo__store *st = NULL;
    if ((rc = bo__store_open(&st, to_uri, &set))) {
        bo__error_prefix("destination: ");
        goto done;
    }
    bo__books_opened(1);
    rc = copy_all(src->store, st, progress, user);
    bo__store_release(st);
    bo__books_opened(-1);
    if (rc)
        goto done;
    if ((rc = bo_book_open(&dst, to_uri, &o))) {
        bo__error_prefix("destination: ");
        goto done;
    }
    rc = verify(src, dst);
done:
    {
        bo__error_state es;
        bo__error_save(&es);
        bo_book_free(dst);
        bo_book_free(src);
        bo__error_restore(&es);
    }
    return rc;
}
