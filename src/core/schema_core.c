/*
 * The core's part of the schema: roles and grants (src/core/security.c),
 * the audit chain and the states it covers (src/core/audit.c, verify.c).
 * The schema runner (src/store/schema.c) applies it with the domains'
 * parts, version by version.
 */
#include "core/domain.h"

/* Version 1 (with the ledger's chart, periods and entries). */
static const char *const core_v1[] = {
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
    " extra TEXT{TEXT_C}," /* version 10 (migration_10_extra) */
    " lane INTEGER NOT NULL DEFAULT 0)", /* version 14 (core_v14_lane) */

    "INSERT INTO roles (name, permissions) VALUES ('owner', '*')",
    NULL
};


/* Version 10: the audit chain covers the tables (src/core/verify.c).
 * audit_log.extra holds facts a record carries besides its detail (the
 * idempotency key of an entry, the digest of the states recorded with it),
 * hashed into the chain when present, so older records hash as before.
 * audit_states holds, per audit record, the state digest of every record
 * (an entry, a sale, an invoice ...) its transaction wrote: "-" when the
 * record no longer exists. The indexes a verification needs to read each
 * table once in the order of the records that own its rows are parts of
 * their domains' version 10. */
static const char *const core_v10[] = {
    "CREATE TABLE audit_states ("
    " seq BIGINT NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " id BIGINT NOT NULL,"
    " name TEXT{TEXT_C} NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (seq, kind, id, name)){CLUSTERED}",
    /* On SQLite, replaced by version 20 (core_v20_states_by_name). */
    "CREATE INDEX audit_states_by_record ON audit_states (kind, id, name, seq)",
    NULL
};

/* Version 10, for books made before it: audit_log gains its "extra"
 * column (new books have it from migration 1). */
static const char *const core_v10_extra[] = {
    "ALTER TABLE audit_log ADD COLUMN extra TEXT{TEXT_C}",
    NULL
};

/* Version 12: one settings table for every domain, keyed "<domain>.<key>"
 * (src/core/settings.c). The domains' parts of the version move their
 * former tables' rows into it and drop those tables. */
static const char *const core_v12[] = {
    "CREATE TABLE settings ("
    " key TEXT{TEXT_C} PRIMARY KEY,"
    " value TEXT{TEXT_C} NOT NULL)",
    NULL
};

/* Version 14: lanes of the audit chain (src/core/audit.c). Each record
 * belongs to one lane and chains to the previous record of its lane, so
 * write transactions on PostgreSQL append side by side; a book made before
 * is one chain, lane 0. The index finds a lane's last record; lane 0 (the
 * only lane on SQLite) is left out of it, so a book with one lane pays
 * nothing for it. */
static const char *const core_v14_lane[] = {
    "ALTER TABLE audit_log ADD COLUMN lane INTEGER NOT NULL DEFAULT 0",
    NULL
};
static const char *const core_v14[] = {
    "CREATE INDEX audit_log_lanes ON audit_log (lane, seq) WHERE lane > 0",
    NULL
};

/* Version 15: the change feed (src/core/feed.c, docs/architecture.md "The
 * change feed"). One event per audit record, keyed by the record's number;
 * its position is gap-free and given in commit order: in the command's own
 * transaction where writers take turns, by the sequencer right after the
 * commit where they run side by side (NULL until then). feed_head is the
 * sequencer's lock. feed_consumers holds each consumer's position, written
 * in the consumer's own transactions. A book made before starts its feed
 * with its whole chain, in the chain's order. */
static const char *const core_v15_feed[] = {
    "CREATE TABLE feed_events ("
    " event_id {KEY64} PRIMARY KEY,"
    " position BIGINT UNIQUE,"
    " at TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " object TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX feed_events_pending ON feed_events (event_id) WHERE position IS NULL",
    "CREATE TABLE feed_head ("
    " id INTEGER PRIMARY KEY,"
    " position BIGINT NOT NULL)",
    "CREATE TABLE feed_consumers ("
    " name TEXT{TEXT_C} PRIMARY KEY,"
    " position BIGINT NOT NULL,"
    " at TEXT{TEXT_C} NOT NULL)",
    "INSERT INTO feed_events (event_id, position, at, kind, object)"
    " SELECT seq, ROW_NUMBER() OVER (ORDER BY seq), at, action, object FROM audit_log",
    NULL
};

/* Version 15: grants limited to locations (src/core/security.c,
 * bo_role_grant_location()). A grant with rows here holds only at those
 * locations (a store or warehouse code); one without holds everywhere. */
static const char *const core_v15_grant_locations[] = {
    "CREATE TABLE grant_locations ("
    " actor TEXT{TEXT_C} NOT NULL,"
    " role TEXT{TEXT_C} NOT NULL,"
    " location TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (actor, role, location),"
    " FOREIGN KEY (actor, role) REFERENCES grants (actor, role))",
    NULL
};

/* Version 17: the actors' access tokens (src/core/credentials.c). A
 * token is 32 random bytes: only its SHA-256 is kept (a secret of 256
 * bits needs no slow hash; see docs/architecture.md, "Credentials"), never
 * the token. revoked_at is NULL while the token is valid. */
static const char *const core_v17_actor_tokens[] = {
    "CREATE TABLE actor_tokens ("
    " id {ID},"
    " actor TEXT{TEXT_C} NOT NULL,"
    " label TEXT{TEXT_C} NOT NULL,"
    " hash TEXT{TEXT_C} NOT NULL UNIQUE,"
    " created_at TEXT{TEXT_C} NOT NULL,"
    " revoked_at TEXT{TEXT_C})",
    NULL
};

/* Version 17: feed_events rebuilt with event_id as {KEY64} PRIMARY KEY, on
 * SQLite the table's rowid: each event was stored twice before (the table
 * by its hidden rowid, and the primary key's index), now once, by its
 * record's number. The same columns, rows and indexes; the copy keeps
 * every event and its position. Only a book made before version 17 is
 * rebuilt: a new book's version 15 part makes the table in this shape. */
static const char *const core_v17_feed_rowid[] = {
    "CREATE TABLE feed_events_v17 ("
    " event_id {KEY64} PRIMARY KEY,"
    " position BIGINT UNIQUE,"
    " at TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " object TEXT{TEXT_C} NOT NULL)",
    "INSERT INTO feed_events_v17 (event_id, position, at, kind, object)"
    " SELECT event_id, position, at, kind, object FROM feed_events ORDER BY event_id",
    "DROP TABLE feed_events",
    "ALTER TABLE feed_events_v17 RENAME TO feed_events",
    "CREATE INDEX feed_events_pending ON feed_events (event_id) WHERE position IS NULL",
    NULL
};

/* Version 20, on SQLite: the states are found by record only where that
 * must be cheap (docs/architecture.md, "Storing the states"). The index
 * by record (kind, id, name, seq) cost every commit a leaf page per kind
 * it touched (a sale: four) besides the table's last page. The full
 * verification reads the last state of every key in one sorted pass over
 * the table instead (src/core/verify.c, SQL_STATES_ALL); what must
 * find one key's state (the settings, the book's own keys: text keys,
 * id = 0) has the partial index below, which records with numeric keys
 * (sales, movements, stock, entries ...) never write. PostgreSQL keeps the
 * index by record: its verification reads the states in chunks of keys
 * (a statement there is read ahead whole). */
static const char *const core_v20_states_by_name[] = {
    "{SQLITE}DROP INDEX IF EXISTS audit_states_by_record",
    "{SQLITE}CREATE INDEX audit_states_by_name ON audit_states (kind, name, seq)"
    " WHERE id = 0",
    NULL
};

/* Version 22, on SQLite: the change feed read from audit_log itself
 * (src/core/feed.c, docs/architecture.md "The change feed"). Where writers
 * take turns an event's position is its record's number plus a constant,
 * so the event needs no row of its own: feed_log keeps the constant
 * (shift) and the low-water mark (first_seq: records before it were
 * pruned from the feed). feed_events becomes a view over audit_log (what
 * the export, the copy and the verification read), inserting into it
 * (the import, the copy) writes feed_kept. feed_kept holds the events a
 * book made before keeps when their positions are not their records'
 * numbers plus one constant (a book with several writers side by side,
 * read into SQLite): their positions come before every record's after
 * them. bo__feed_compact (the statements FEED_COMPACT_*, also run after an
 * import) moves them to feed_log when they are. PostgreSQL keeps its
 * table (its lanes need the sequencer). */
#define FEED_COMPACT_OK \
    " (SELECT COUNT(*) FROM feed_kept) > 0" \
    " AND NOT EXISTS (SELECT 1 FROM feed_kept WHERE position IS NULL)" \
    " AND (SELECT MIN(position - event_id) = MAX(position - event_id) FROM feed_kept)" \
    " AND (SELECT MAX(event_id) FROM feed_kept) = (SELECT MAX(seq) FROM audit_log)" \
    " AND (SELECT COUNT(*) FROM audit_log WHERE seq >= (SELECT MIN(event_id) FROM feed_kept))" \
    "     = (SELECT COUNT(*) FROM feed_kept)" \
    " AND NOT EXISTS (SELECT 1 FROM feed_kept f LEFT JOIN audit_log a ON a.seq = f.event_id" \
    "     WHERE a.seq IS NULL OR a.at <> f.at OR a.action <> f.kind OR a.object <> f.object)"
/* kept as they are: new records' positions follow the last kept */
#define FEED_COMPACT_KEEP \
    "UPDATE feed_log SET" \
    " shift = COALESCE((SELECT MAX(position) FROM feed_kept), 0)" \
    "  - COALESCE((SELECT MAX(seq) FROM audit_log), 0)," \
    " first_seq = COALESCE((SELECT MAX(seq) FROM audit_log), 0) + 1"
/* or, where every kept position is its record's number plus one constant
 * and every record from the oldest kept on has its event unaltered: moved,
 * the rows dropped */
#define FEED_COMPACT_MOVE \
    "UPDATE feed_log SET" \
    " shift = (SELECT MAX(position) - MAX(event_id) FROM feed_kept)," \
    " first_seq = (SELECT MIN(event_id) FROM feed_kept) WHERE" FEED_COMPACT_OK
#define FEED_COMPACT_DROP "DELETE FROM feed_kept WHERE" FEED_COMPACT_OK
const char *const bo__feed_compact_sql[] = {
    FEED_COMPACT_KEEP, FEED_COMPACT_MOVE, FEED_COMPACT_DROP, NULL
};
static const char *const core_v22_feed_log[] = {
    /* made and copied, not renamed: ALTER TABLE ... RENAME parses and
     * rewrites the whole schema, a cost every new book would pay */
    "{SQLITE}CREATE TABLE feed_kept ("
    " event_id {KEY64} PRIMARY KEY,"
    " position BIGINT UNIQUE,"
    " at TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " object TEXT{TEXT_C} NOT NULL)",
    "{SQLITE}INSERT INTO feed_kept (event_id, position, at, kind, object)"
    " SELECT event_id, position, at, kind, object FROM feed_events ORDER BY event_id",
    "{SQLITE}DROP TABLE feed_events",
    "{SQLITE}CREATE TABLE feed_log ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " shift INTEGER NOT NULL,"
    " first_seq INTEGER NOT NULL)",
    "{SQLITE}INSERT INTO feed_log (id, shift, first_seq) VALUES (1, 0, 1)",
    "{SQLITE}" FEED_COMPACT_KEEP,
    "{SQLITE}" FEED_COMPACT_MOVE,
    "{SQLITE}" FEED_COMPACT_DROP,
    "{SQLITE}CREATE VIEW feed_events (event_id, position, at, kind, object) AS"
    " SELECT event_id, position, at, kind, object FROM feed_kept"
    " UNION ALL SELECT a.seq, a.seq + l.shift, a.at, a.action, a.object"
    " FROM feed_log l CROSS JOIN audit_log a WHERE l.id = 1 AND a.seq >= l.first_seq",
    "{SQLITE}CREATE TRIGGER feed_events_insert INSTEAD OF INSERT ON feed_events BEGIN"
    " INSERT INTO feed_kept (event_id, position, at, kind, object)"
    " VALUES (NEW.event_id, NEW.position, NEW.at, NEW.kind, NEW.object); END",
    NULL
};

/* Version 25: a state's part digests in base64url, "-" for a part without
 * rows (src/core/verify.c, part_b64; docs/architecture.md "Storing the
 * states"). No table changes: the states recorded before keep their hex
 * digits and are read as they are; the version keeps a library that
 * reads only hex from verifying a book that holds the shorter form. */
static const char *const core_v25_states_short[] = { NULL };

const bo__schema_part bo__parts_core[] = {
    { 1, core_v1, 0, NULL },
    { 10, core_v10_extra, 1, NULL },
    { 10, core_v10, 0, NULL },
    { 12, core_v12, 0, NULL },
    { 14, core_v14_lane, 1, NULL },
    { 14, core_v14, 0, NULL },
    { 15, core_v15_feed, 0, NULL },
    { 15, core_v15_grant_locations, 0, NULL },
    { 17, core_v17_actor_tokens, 0, NULL },
    { 17, core_v17_feed_rowid, 15, NULL }, /* a new book makes it so at 15 */
    { 20, core_v20_states_by_name, 0, NULL },
    { 22, core_v22_feed_log, 0, NULL },
    { 25, core_v25_states_short, 0, NULL },
    { 0, NULL, 0, NULL },
};

/* The core's tables, in reference order (bo_meta is made by the runner). */
const bo__table bo__tables_core[] = {
    { "bo_meta", "key, value", "tt", "key", NULL },
    { "roles", "name, permissions", "tt", "name", NULL },
    { "grants", "actor, role", "tt", "actor, role", NULL },
    /* extra: added by version 10, as is audit_states; lane by version 14. */
    { "audit_log", "seq, at, actor, action, object, detail, prev_hash, hash,"
      " extra, lane", "itttttttti", "seq", "seq" },
    { "audit_states", "seq, kind, id, name, digest", "ititt",
      "seq, kind, id, name", NULL },
    { "settings", "key, value", "tt", "key", NULL }, /* version 12 */
    { "grant_locations", "actor, role, location", "ttt", "actor, role, location",
      NULL }, /* version 15 */
    /* The change feed's events (version 15): exported so a book read back
     * keeps their positions, and with them its consumers' positions
     * (feed_consumers), which mean the same there. feed_head is the
     * sequencers' lock: it never holds a row, so it is not exported
     * (docs/import-export.md). */
    { "feed_events", "event_id, position, at, kind, object", "iittt", "event_id", NULL },
    { "feed_consumers", "name, position, at", "tit", "name", NULL },
    /* The actors' access tokens (version 17): hashes only. */
    { "actor_tokens", "id, actor, label, hash, created_at, revoked_at", "ittttt", "id",
      "id" },
};
const int bo__ntables_core = (int)(sizeof bo__tables_core / sizeof bo__tables_core[0]);
