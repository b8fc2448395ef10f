/*
 * The whole-book table walk (walk.h): one read snapshot, every domain's
 * tables in the order the table of domains lists them, rows in key order.
 * The copy, the export and the import all go through it, so a domain added
 * to the table (src/book/domains.c) is copied, exported and imported with
 * no code here.
 */
#include "book/walk.h"
#include "core/feed.h"

#include <string.h>

static int walk_table(bo__store *src, const bo__domain *d, const bo__table *t,
                      const bo__walk_sink *sink, void *u,
                      bo_progress_fn progress, void *user)
{
    bo__buf q = BO__BUF_INIT, cnt = BO__BUF_INIT;
    bo__buf_printf(&cnt, "SELECT COUNT(*) FROM %s", t->name);
    bo__buf_printf(&q, "SELECT %s FROM %s ORDER BY %s", t->columns, t->name,
                   t->order_by);
    bo__stmt *count = NULL, *rd = NULL;
    int rc = q.failed || cnt.failed ? BO_ENOMEM : 0;
    int64_t total = 0, done = 0;
    if (!rc && !(rc = bo__stmt_new(src, cnt.ptr, &count))) {
        if ((rc = bo__stmt_step(count)) == BO_DRIVER_ROW)
            total = bo__stmt_col_int(count, 0);
        rc = rc < 0 ? rc : 0;
    }
    if (!rc)
        rc = bo__stmt_new(src, q.ptr, &rd);
    if (!rc && sink->begin)
        rc = sink->begin(u, d, t, total);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = sink->row(u, t, rd);
        done += !rc;
        if (!rc && progress && (done % 1000 == 0 || done == total))
            progress(t->name, done, total, user);
    }
    if (rc == BO_DRIVER_DONE) {
        rc = 0;
        if (progress && done % 1000 != 0 && done != total)
            progress(t->name, done, total, user);
        if (progress && total == 0)
            progress(t->name, 0, 0, user);
        if (sink->end)
            rc = sink->end(u, t, done);
    }
    if (rc)
        bo__error_prefix("table %s: ", t->name);
    bo__stmt_done(count);
    bo__stmt_done(rd);
    bo__buf_free(&q);
    bo__buf_free(&cnt);
    return rc;
}

int bo__walk_book(bo__store *src, const bo__walk_sink *sink, void *u,
                  bo_progress_fn progress, void *user)
{
    int rc = bo__store_begin(src, 0);
    if (rc)
        return rc;
    const bo__domain *d;
    for (int i = 0; !rc && (d = bo__domain_at(i)); i++)
        for (int j = 0; !rc && d->ntables && j < *d->ntables; j++)
            rc = walk_table(src, d, &d->tables[j], sink, u, progress, user);
    bo__error_state es;
    bo__error_save(&es);
    bo__store_rollback(src); /* a read-only snapshot */
    bo__error_restore(&es);
    return rc;
}

int bo__walk_insert_sql(const bo__table *t, bo__buf *out)
{
    size_t ncols = strlen(t->types);
    bo__buf_printf(out, "INSERT INTO %s (%s) VALUES (", t->name, t->columns);
    for (size_t i = 0; i < ncols; i++)
        bo__buf_puts(out, i ? ", ?" : "?");
    bo__buf_puts(out, ")");
    return out->failed ? bo__error_set(BO_ENOMEM, "table %s: out of memory",
                                       t->name) : 0;
}

int bo__walk_fresh(bo__store *dst)
{
    int rc = bo__store_begin(dst, BO__STORE_ALONE);
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
    return rc ? bo__walk_abort(dst) : 0;
}

int bo__walk_table_done(bo__store *dst, const bo__table *t)
{
    /* The change feed's events, on SQLite read in through the view into
     * feed_kept: moved to audit_log's numbers where their positions allow
     * (src/core/feed.c), the rows dropped. */
    if (!strcmp(t->name, "feed_events"))
        return bo__feed_compact(dst);
    /* The FIFO layers' open flag is no column of the copy (schema 24):
     * every layer read in starts open; those with nothing left close. */
    if (!strcmp(t->name, "inv_layers")) {
        int rc = bo__store_exec(dst, "UPDATE inv_layers SET is_open = 0 WHERE remaining = 0");
        if (rc)
            return rc;
    }
    return t->identity ? bo__store_sync_identity(dst, t->name, t->identity) : 0;
}

int bo__walk_abort(bo__store *dst)
{
    bo__error_state es;
    bo__error_save(&es);
    bo__store_rollback(dst);
    return bo__error_restore(&es);
}
