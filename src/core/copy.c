/*
 * Copying a book between stores, table by table, rows streamed from one
 * snapshot of the source into one transaction on the destination, then
 * verified through the public API.
 */
#include "core/book.h"

#include <string.h>

static int copy_table(bo__store *src, bo__store *dst, const bo__table *t,
                      bo_progress_fn progress, void *user)
{
    bo__buf q = BO__BUF_INIT, ins = BO__BUF_INIT, cnt = BO__BUF_INIT;
    size_t ncols = strlen(t->types);
    bo__buf_printf(&cnt, "SELECT COUNT(*) FROM %s", t->name);
    bo__buf_printf(&q, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name,
                   t->order_by);
    bo__buf_printf(&ins, "INSERT INTO %s (%s) VALUES (", t->name, t->columns);
    for (size_t i = 0; i < ncols; i++)
        bo__buf_puts(&ins, i ? ", ?" : "?");
    bo__buf_puts(&ins, ")");
    bo__stmt *count = NULL, *rd = NULL, *wr = NULL;
    int rc = q.failed || ins.failed || cnt.failed ? BO_ENOMEM : 0;
    int64_t total = 0, done = 0;
    if (!rc && !(rc = bo__stmt_new(src, cnt.ptr, &count))) {
        if ((rc = bo__stmt_step(count)) == BO_DRIVER_ROW)
            total = bo__stmt_col_int(count, 0);
        rc = rc < 0 ? rc : 0;
    }
    if (!rc)
        rc = bo__stmt_new(src, q.ptr, &rd);
    if (!rc)
        rc = bo__stmt_new(dst, ins.ptr, &wr);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        for (size_t i = 0; i < ncols && !rc; i++) {
            int col = (int)i, idx = (int)i + 1;
            if (bo__stmt_is_null(rd, col))
                rc = bo__stmt_null(wr, idx);
            else if (t->types[i] == 'i')
                rc = bo__stmt_int(wr, idx, bo__stmt_col_int(rd, col));
            else if (t->types[i] == 'b') /* bytes (document content) */
                rc = bo__stmt_copy_blob(rd, col, wr, idx);
            else
                rc = bo__stmt_text(wr, idx, bo__stmt_col_text(rd, col));
        }
        if (!rc)
            rc = bo__stmt_run(wr);
        bo__stmt_reset(wr);
        if (!rc && progress && (++done % 1000 == 0 || done == total))
            progress(t->name, done, total, user);
    }
    if (rc == BO_DRIVER_DONE) {
        rc = 0;
        if (progress && done % 1000 != 0 && done != total)
            progress(t->name, done, total, user);
        if (progress && total == 0)
            progress(t->name, 0, 0, user);
    }
    if (!rc && t->identity)
        rc = bo__store_sync_identity(dst, t->name, t->identity);
    if (rc)
        bo__error_prefix("copy of table %s: ", t->name);
    bo__stmt_done(count);
    bo__stmt_done(rd);
    bo__stmt_done(wr);
    bo__buf_free(&q);
    bo__buf_free(&ins);
    bo__buf_free(&cnt);
    return rc;
}

/* Write every table of src into the freshly created, empty dst. */
static int copy_all(bo__store *src, bo__store *dst, bo_progress_fn progress,
                    void *user)
{
    int rc = bo__store_begin(dst, 1);
    if (rc)
        return rc;
    int created = 0;
    rc = bo__schema_prepare(dst, 1, &created);
    if (!rc && !created)
        rc = bo__error_set(BO_EEXISTS, "destination: the store already holds a book");
    /* The new schema's own rows (its version, the owner role) come from
     * the source like everything else. */
    if (!rc)
        rc = bo__store_exec(dst, "DELETE FROM bo_meta");
    if (!rc)
        rc = bo__store_exec(dst, "DELETE FROM roles");
    if (!rc && !(rc = bo__store_begin(src, 0))) {
        const bo__table *t;
        for (int i = 0; !rc && (t = bo__schema_table(i)); i++)
            rc = copy_table(src, dst, t, progress, user);
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(src); /* a read-only snapshot */
        bo__error_restore(&es);
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(dst);
        return bo__error_restore(&es);
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
