/*
 * Numbered schema versions. Version N is created by applying migrations
 * 1..N in order inside the caller's write transaction, so a failed
 * migration leaves the book as it was. A book newer than this library is
 * refused. DDL is written in the portable subset; {ID}, {BLOB},
 * {CLUSTERED} and {TEXT_C} are replaced by the driver's dialect. Every TEXT
 * column carries {TEXT_C}: keys, codes, paths and dates are compared by
 * range and sorted, and must be byte-wise on every engine, as on SQLite.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const migration_1[] = {
    "CREATE TABLE accounts ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 5),"
    " parent_id BIGINT REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0,"
    " depth INTEGER NOT NULL,"
    " path TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE periods ("
    " id {ID},"
    " name TEXT{TEXT_C} NOT NULL UNIQUE,"
    " start_date TEXT{TEXT_C} NOT NULL,"
    " end_date TEXT{TEXT_C} NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE entries ("
    " id {ID},"
    " date TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " actor TEXT{TEXT_C},"
    " digest TEXT{TEXT_C} NOT NULL)",

    /* Apart from entries, so the common entry carries no second index. */
    "CREATE TABLE reversals ("
    " entry_id BIGINT PRIMARY KEY REFERENCES entries(id),"
    " reversed_by BIGINT NOT NULL UNIQUE REFERENCES entries(id))",

    "CREATE TABLE postings ("
    " entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " line INTEGER NOT NULL,"
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " amount BIGINT NOT NULL CHECK (amount <> 0),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C},"
    " date TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (entry_id, line)){CLUSTERED}",

    "CREATE INDEX postings_by_account ON postings (account_id, date, entry_id)",

    /* Per account, currency and day: the day's net change and the
     * cumulative balance at its end, so a balance as of any date is one
     * index seek whatever the size of the book. */
    "CREATE TABLE account_days ("
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " delta BIGINT NOT NULL,"
    " total BIGINT NOT NULL,"
    " PRIMARY KEY (account_id, currency, date)){CLUSTERED}",

    "CREATE TABLE roles ("
    " name TEXT{TEXT_C} PRIMARY KEY,"
    " permissions TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE grants ("
    " actor TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL REFERENCES roles(name),"
    " PRIMARY KEY (actor, role))",

    "CREATE TABLE audit_log ("
    " seq {ID},"
    " at TEXT{TEXT_C} NOT NULL,"
    " actor TEXT{TEXT_C},"
    " action TEXT{TEXT_C} NOT NULL,"
    " object TEXT{TEXT_C} NOT NULL,"
    " detail TEXT{TEXT_C} NOT NULL,"
    " prev_hash TEXT{TEXT_C} NOT NULL,"
    " hash TEXT{TEXT_C} NOT NULL,"
    " extra TEXT{TEXT_C})", /* version 10 (migration_10_extra) */

    "INSERT INTO roles (name, permissions) VALUES ('owner', '*')",
    NULL
};

/* Indexes a full verification needs to read a table in the order of the
 * records that own its rows (see the parts in src/<domain>/verify_*.c). */
#define BO__VERIFY_INDEXES                                                     \
    "CREATE INDEX inv_returns_by_sale ON inv_returns (sale_id, id)",           \
    "CREATE INDEX inv_landed_by_po ON inv_landed (po_id, id)",                 \
    "CREATE INDEX bill_bank_matches_by_line ON bill_bank_matches (line_id)",

/* Version 10: the audit chain covers the tables (src/core/verify.c).
 * audit_log.extra holds facts a record carries besides its detail (the
 * idempotency key of an entry, the digest of the states recorded with it),
 * hashed into the chain when present, so older records hash as before.
 * audit_states holds, per audit record, the state digest of every record
 * (an entry, a sale, an invoice ...) its transaction wrote: "-" when the
 * record no longer exists. The indexes let a verification read each table
 * once in the order of the records that own its rows. */
static const char *const migration_10[] = {
    "CREATE TABLE audit_states ("
    " seq BIGINT NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " id BIGINT NOT NULL,"
    " name TEXT{TEXT_C} NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (seq, kind, id, name)){CLUSTERED}",
    "CREATE INDEX audit_states_by_record ON audit_states (kind, id, name, seq)",
    BO__VERIFY_INDEXES
    NULL
};

/* Version 10, for books made before it: audit_log gains its "extra"
 * column (new books have it from migration 1). */
static const char *const migration_10_extra[] = {
    "ALTER TABLE audit_log ADD COLUMN extra TEXT{TEXT_C}",
    NULL
};

/* Version 9: year-end closes (src/ledger/close.c; at most one active, not
 * reopened, close per year end). Its billing part links an invoice to the
 * till sale it comes from (src/billing/sale_account.c). */
static const char *const migration_9[] = {
    "CREATE TABLE ledger_closings ("
    " id {ID},"
    " year_end TEXT{TEXT_C} NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " entry_id BIGINT REFERENCES entries(id),"
    " reopened_by BIGINT,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " actor TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX ledger_closings_active ON ledger_closings (year_end)"
    " WHERE reopened_by IS NULL",
    NULL
};

/* Version v is made by applying the parts of migrations[v - 1] in order. A
 * change that touches several domains is one version with a part from
 * each (the part lives in its domain's schema file). A part that adds
 * columns to tables of an earlier version (ALTER TABLE) names that version
 * in "since": it runs only on a book that had reached it before this open,
 * because the tables created now already have the columns (their CREATE
 * statements were updated with the part). */
typedef struct part {
    const char *const *ddl;
    int since; /* 0: always; v: only for a book already at version >= v */
} part;
#define PARTS_MAX 2
static const part migrations[][PARTS_MAX] = {
    { { migration_1, 0 } }, { { bo__ddl_commerce, 0 } }, { { bo__ddl_inventory, 0 } },
    { { bo__ddl_billing, 0 } }, { { bo__ddl_payroll, 0 } }, { { bo__ddl_documents, 0 } },
    /* 7: commerce's tax lines of posted entries */
    { { bo__ddl_tax_lines, 0 } },
    /* 8: the idempotency keys and digests of every keyed command */
    { { bo__ddl_inventory_keys, 3 }, { bo__ddl_payroll_keys, 5 } },
    /* 9: year-end closes; the till sale behind an invoice */
    { { migration_9, 0 }, { bo__ddl_billing_sale, 4 } },
    /* 10: the audit chain covers the tables */
    { { migration_10_extra, 1 }, { migration_10, 0 } },
};

/* Every table of the current version, in an order that satisfies its
 * references, for copying a book between stores. Keep in step with the
 * migrations: the copy test compares every table after a round trip. */
static const bo__table core_tables[] = {
    { "bo_meta", "key, value", "tt", "key", NULL },
    { "roles", "name, permissions", "tt", "name", NULL },
    { "grants", "actor, role", "tt", "actor, role", NULL },
    { "accounts", "id, code, name, type, parent_id, currency, closed, depth, path",
      "ittiitiit", "id", "id" },
    { "periods", "id, name, start_date, end_date, closed", "ittti", "id", "id" },
    { "entries", "id, date, memo, idem_key, actor, digest", "ittttt", "id", "id" },
    { "reversals", "entry_id, reversed_by", "ii", "entry_id", NULL },
    /* base_amount: added by the billing migration (multi-currency). */
    { "postings", "entry_id, line, account_id, amount, currency, memo, date,"
      " base_amount", "iiiittti", "entry_id, line", NULL },
    { "account_days", "account_id, currency, date, delta, total", "ittii",
      "account_id, currency, date", NULL },
    /* extra: added by version 10, as is audit_states. */
    { "audit_log", "seq, at, actor, action, object, detail, prev_hash, hash,"
      " extra", "itttttttt", "seq", "seq" },
    { "audit_states", "seq, kind, id, name, digest", "ititt",
      "seq, kind, id, name", NULL },
};

static const bo__table ledger_v9_tables[] = {
    { "ledger_closings", "id, year_end, account, entry_id, reopened_by, idem_key, digest,"
      " actor", "ittiittt", "id", "id" },
};
static const int ledger_v9_ntables = 1;

static const struct {
    const bo__table *tables;
    const int *n;
} parts[] = {
    { core_tables, NULL },
    { bo__tables_commerce, &bo__ntables_commerce },
    { bo__tables_inventory, &bo__ntables_inventory },
    { bo__tables_billing, &bo__ntables_billing },
    { bo__tables_payroll, &bo__ntables_payroll },
    { bo__tables_documents, &bo__ntables_documents },
    { ledger_v9_tables, &ledger_v9_ntables },
};

const bo__table *bo__schema_table(int i)
{
    for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++) {
        int n = parts[k].n ? *parts[k].n
                           : (int)(sizeof core_tables / sizeof core_tables[0]);
        if (i < n)
            return &parts[k].tables[i];
        i -= n;
    }
    return NULL;
}

_Static_assert(sizeof migrations / sizeof migrations[0] == BO__SCHEMA_VERSION,
               "one migration per schema version");

static int run_ddl(bo__store *st, const char *ddl)
{
    const bo_driver *d = bo__store_driver(st);
    bo__buf b = BO__BUF_INIT;
    for (const char *p = ddl; *p;) {
        if (strncmp(p, "{ID}", 4) == 0) {
            bo__buf_puts(&b, d->sql_id_primary_key);
            p += 4;
        } else if (strncmp(p, "{CLUSTERED}", 11) == 0) {
            bo__buf_puts(&b, d->sql_clustered);
            p += 11;
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
    if (version > BO__SCHEMA_VERSION)
        return bo__error_set(BO_ESCHEMA, "book: schema version %d was written "
                             "by a newer libbackoffice; this one (%s) reads up "
                             "to version %d", version, bo_version(),
                             BO__SCHEMA_VERSION);
    if (version == 0 && !create)
        return bo__error_set(BO_ENOTFOUND, "book: the store holds no book "
                             "(open it with create set to make one)");
    if (version == BO__SCHEMA_VERSION)
        return 0;
    for (int v = version; v < BO__SCHEMA_VERSION; v++) {
        for (int k = 0; k < PARTS_MAX && migrations[v][k].ddl; k++) {
            const part *p = &migrations[v][k];
            if (p->since && version < p->since)
                continue; /* its tables were made with the columns */
            for (const char *const *ddl = p->ddl; *ddl; ddl++)
                if ((rc = run_ddl(st, *ddl)))
                    return bo__error_prefix("migration to schema version %d: ", v + 1);
        }
    }
    char num[16];
    snprintf(num, sizeof num, "%d", BO__SCHEMA_VERSION);
    rc = bo__store_run(st, SQL_SET_VERSION, "t", num);
    if (!rc && version == 0)
        *created = 1;
    return rc;
}
