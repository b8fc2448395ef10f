/*
 * Numbered schema versions. Version N is created by applying migrations
 * 1..N in order inside the caller's write transaction, so a failed
 * migration leaves the book as it was. A book newer than this library is
 * refused. The parts of each version belong to their owners (the core's
 * in src/core/schema_core.c, each domain's in src/<domain>/schema_*.c) and
 * reach the runner through the table of domains (bo__schema_use): the
 * store knows no table of its own but bo_meta. DDL is written in the
 * portable subset; {ID}, {BLOB},
 * {CLUSTERED}, {KEY64} and {TEXT_C} are replaced by the driver's dialect
 * ({KEY64}: a BIGINT key that is the rowid where the engine has one). Every TEXT
 * column carries {TEXT_C}: keys, codes, paths and dates are compared by
 * range and sorted, and must be byte-wise on every engine, as on SQLite.
 * A statement that starts with {SQLITE} runs on SQLite only (an index
 * whose cost and use differ by engine); elsewhere it is passed over. One
 * that starts with {PG} runs on every store whose dialect is not SQLite's
 * (PostgreSQL: a constraint SQLite never enforces; a driver wrapping SQLite
 * keeps its dialect).
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parts to apply, by version (bo__schema_use). */
static const bo__schema_part *const *use_parts;
static int use_n, use_version;

void bo__schema_use(const bo__schema_part *const *parts, int n)
{
    use_parts = parts;
    use_n = n;
    use_version = 0;
    for (int i = 0; i < n; i++)
        if (parts[i]->version > use_version)
            use_version = parts[i]->version;
}

int bo__schema_version(void)
{
    return use_version;
}

static int run_ddl(bo__store *st, const char *ddl)
{
    if (strncmp(ddl, "{SQLITE}", 8) == 0) {
        if (!bo__store_is_sqlite(st))
            return 0;
        ddl += 8;
    } else if (strncmp(ddl, "{PG}", 4) == 0) {
        /* SQLite's dialect, also under a wrapping driver (by what {ID} is) */
        const char *id = bo__store_driver(st)->sql_id_primary_key;
        if (bo__store_is_sqlite(st) || (id && strncmp(id, "INTEGER PRIMARY KEY", 19) == 0))
            return 0;
        ddl += 4;
    }
    const bo_driver *d = bo__store_driver(st);
    bo__buf b = BO__BUF_INIT;
    for (const char *p = ddl; *p;) {
        if (strncmp(p, "{ID}", 4) == 0) {
            bo__buf_puts(&b, d->sql_id_primary_key);
            p += 4;
        } else if (strncmp(p, "{CLUSTERED}", 11) == 0) {
            bo__buf_puts(&b, d->sql_clustered);
            p += 11;
        } else if (strncmp(p, "{KEY64}", 7) == 0) {
            /* A 64-bit key given by the writer: where the identity column
             * is "INTEGER PRIMARY KEY" (SQLite) a column declared INTEGER
             * PRIMARY KEY is the table's rowid, so its rows are stored by
             * the key without a second index. */
            const char *id = d->sql_id_primary_key ? d->sql_id_primary_key : "";
            bo__buf_puts(&b, strncmp(id, "INTEGER PRIMARY KEY", 19) == 0 ? "INTEGER" : "BIGINT");
            p += 7;
        } else if (strncmp(p, "{BLOB}", 6) == 0) {
            bo__buf_puts(&b, d->sql_blob);
            p += 6;
        } else if (strncmp(p, "{TEXT_C}", 8) == 0) {
            if (d->sql_text_bytewise)
                bo__buf_puts(&b, d->sql_text_bytewise);
            p += 8;
        } else {
            bo__buf_put(&b, p++, 1);
        }
    }
    int rc = b.failed ? BO_ENOMEM : bo__store_exec(st, b.ptr);
    bo__buf_free(&b);
    return rc;
}

static int run_fts(bo__store *st, const bo_driver_fts *f)
{
    if (!bo__store_has_fts(st))
        return 0;
    bo__buf b = BO__BUF_INIT;
    int rc = bo__store_fts_index(st, f, &b);
    if (rc == BO_ENOTSUP) { /* a wrapper over a driver without it */
        bo__buf_free(&b);
        bo__error_clear();
        return 0;
    }
    if (!rc && bo__buf_put(&b, "", 1))
        rc = BO_ENOMEM;
    if (!rc)
        rc = bo__store_exec(st, b.ptr);
    bo__buf_free(&b);
    return rc;
}

static const char SQL_VERSION[] =
    "SELECT value FROM bo_meta WHERE key = 'schema_version'";
static const char SQL_SET_VERSION[] =
    "INSERT INTO bo_meta (key, value) VALUES ('schema_version', ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int bo__schema_prepare(bo__store *st, int create, int *created)
{
    int from;
    return bo__schema_prepare_from(st, create, created, &from);
}

int bo__schema_prepare_from(bo__store *st, int create, int *created, int *from)
{
    *created = 0;
    *from = 0;
    int rc = bo__store_exec(st, "CREATE TABLE IF NOT EXISTS bo_meta ("
                                " key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(st, SQL_VERSION, &s)))
        return rc;
    int version = 0;
    rc = bo__stmt_step(s);
    if (rc == BO_DRIVER_ROW)
        version = atoi(bo__stmt_col_text(s, 0));
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    *from = version;
    if (!use_n)
        return bo__error_set(BO_ESTATE, "book: no schema parts registered");
    if (version > use_version)
        return bo__error_set(BO_ESCHEMA, "book: schema version %d was written "
                             "by a newer libbackoffice; this one (%s) reads up "
                             "to version %d", version, bo_version(),
                             use_version);
    if (version == 0 && !create)
        return bo__error_set(BO_ENOTFOUND, "book: the store holds no book "
                             "(open it with create set to make one)");
    if (version == use_version)
        return 0;
    /* The parts are in version order: those above the book's version run,
     * each version's parts in the order of the table of domains. */
    for (int k = 0; k < use_n; k++) {
        const bo__schema_part *p = use_parts[k];
        if (p->version <= version)
            continue;
        if (p->since && version < p->since)
            continue; /* its tables were made with the columns */
        if (p->fts && (rc = run_fts(st, p->fts)))
            return bo__error_prefix("migration to schema version %d: ", p->version);
        for (const char *const *ddl = p->ddl; ddl && *ddl; ddl++)
            if ((rc = run_ddl(st, *ddl)))
                return bo__error_prefix("migration to schema version %d: ", p->version);
    }
    char num[16];
    snprintf(num, sizeof num, "%d", use_version);
    rc = bo__store_run(st, SQL_SET_VERSION, "t", num);
    if (!rc && version == 0)
        *created = 1;
    return rc;
}
