/* The documents tables (schema version 6): this part's migration and its
 * list of tables for copying a book (see src/store/schema.c).
 *
 * The full-text index over doc_text is the driver's (an FTS5 table on
 * SQLite, a GIN expression index on PostgreSQL: bo_driver.fts_index), made
 * by schema version 11 from bo__fts_documents below and kept by the engine
 * as doc_text changes (a copied book's index fills as its rows are copied).
 * Links store (kind, ref) text, never a reference into another domain's
 * tables. */
#include "documents/documents.h"

#include <stddef.h>

const char *const bo__ddl_documents[] = {
    /* retention_years 0: no rule (never disposed of). */
    "CREATE TABLE doc_types ("
    " name TEXT{TEXT_C} PRIMARY KEY,"
    " retention_years INTEGER NOT NULL DEFAULT 0"
    "  CHECK (retention_years BETWEEN 0 AND 200),"
    " hold INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE doc_type_fields ("
    " type TEXT{TEXT_C} NOT NULL REFERENCES doc_types(name),"
    " name TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL CHECK (kind IN ('text', 'date', 'int', 'money')),"
    " PRIMARY KEY (type, name))",

    /* The settings (the content store, the largest version, the types'
     * open fields) are rows "documents.<key>" of the core's settings table
     * since version 12; books made before kept them in doc_settings, which
     * that version moves and drops (documents_v12). */

    /* classification: 0 public, 1 internal, 2 confidential, 3 restricted.
     * A disposed document keeps this row (the tombstone). */
    "CREATE TABLE doc_documents ("
    " id {ID},"
    " type TEXT{TEXT_C} NOT NULL REFERENCES doc_types(name),"
    " title TEXT{TEXT_C} NOT NULL,"
    " doc_date TEXT{TEXT_C} NOT NULL,"
    " classification INTEGER NOT NULL CHECK (classification BETWEEN 0 AND 3),"
    " owner TEXT{TEXT_C} NOT NULL,"
    " created_at TEXT{TEXT_C} NOT NULL,"
    " hold INTEGER NOT NULL DEFAULT 0,"
    " checked_out_by TEXT{TEXT_C},"
    " disposed_at TEXT{TEXT_C},"
    " disposed_by TEXT{TEXT_C},"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL)",

    "CREATE INDEX doc_documents_by_date ON doc_documents (doc_date, id)",
    "CREATE INDEX doc_documents_by_type ON doc_documents (type, doc_date)",

    "CREATE TABLE doc_meta ("
    " doc_id BIGINT NOT NULL REFERENCES doc_documents(id),"
    " name TEXT{TEXT_C} NOT NULL,"
    " value TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (doc_id, name))",

    "CREATE TABLE doc_tags ("
    " doc_id BIGINT NOT NULL REFERENCES doc_documents(id),"
    " tag TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (doc_id, tag))",
    "CREATE INDEX doc_tags_by_tag ON doc_tags (tag, doc_id)",

    /* Stored content, one row per distinct (plaintext hash, encryption key).
     * sha256: of the plaintext (identity); stored_sha256: of the stored bytes
     * (the ciphertext when encrypted), checkable without the key and the
     * file name in a file store. store: 'database' (rows in doc_chunks) or
     * 'files' (under root). */
    "CREATE TABLE doc_contents ("
    " id {ID},"
    " sha256 TEXT{TEXT_C},"
    " stored_sha256 TEXT{TEXT_C},"
    " size BIGINT NOT NULL DEFAULT 0,"
    " stored_size BIGINT NOT NULL DEFAULT 0,"
    " key_id TEXT{TEXT_C},"
    " store TEXT{TEXT_C} NOT NULL CHECK (store IN ('database', 'files')),"
    " root TEXT{TEXT_C})",
    "CREATE INDEX doc_contents_by_hash ON doc_contents (sha256)",

    /* In-database content in chunks of up to 1 MiB: data holds bytes where
     * the driver can bind them, data64 base64 text where it cannot. */
    "CREATE TABLE doc_chunks ("
    " content_id BIGINT NOT NULL REFERENCES doc_contents(id),"
    " seq INTEGER NOT NULL,"
    " data {BLOB},"
    " data64 TEXT{TEXT_C},"
    " PRIMARY KEY (content_id, seq))",

    /* content_id NULL once disposed of. */
    "CREATE TABLE doc_versions ("
    " doc_id BIGINT NOT NULL REFERENCES doc_documents(id),"
    " version INTEGER NOT NULL,"
    " content_id BIGINT REFERENCES doc_contents(id),"
    " filename TEXT{TEXT_C},"
    " created_at TEXT{TEXT_C} NOT NULL,"
    " actor TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (doc_id, version))",
    "CREATE INDEX doc_versions_by_content ON doc_versions (content_id)",

    "CREATE TABLE doc_links ("
    " doc_id BIGINT NOT NULL REFERENCES doc_documents(id),"
    " kind TEXT{TEXT_C} NOT NULL,"
    " ref TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (doc_id, kind, ref))",
    "CREATE INDEX doc_links_by_record ON doc_links (kind, ref, doc_id)",

    /* What search reads: title, metadata values and the host's extracted
     * text, one row per live document. */
    "CREATE TABLE doc_text ("
    " doc_id BIGINT PRIMARY KEY REFERENCES doc_documents(id),"
    " body TEXT{TEXT_C} NOT NULL)",

    /* The built-in types are inserted when a book is created or upgraded
     * (bo__doc_builtins, src/documents/types.c), not here: a copied book
     * takes its rows from the source only. */
    NULL
};

/* Version 11: the full-text index of doc_text (search.c). */
const bo_driver_fts bo__fts_documents = { "doc_fts", "doc_text", "doc_id", "body" };

const bo__table bo__tables_documents[] = {
    { "doc_types", "name, retention_years, hold", "tii", "name", NULL },
    { "doc_type_fields", "type, name, kind", "ttt", "type, name", NULL },
    { "doc_documents", "id, type, title, doc_date, classification, owner,"
      " created_at, hold, checked_out_by, disposed_at, disposed_by, idem_key,"
      " digest", "itttittittttt", "id", "id" },
    { "doc_meta", "doc_id, name, value", "itt", "doc_id, name", NULL },
    { "doc_tags", "doc_id, tag", "it", "doc_id, tag", NULL },
    { "doc_contents", "id, sha256, stored_sha256, size, stored_size, key_id,"
      " store, root", "ittiittt", "id", "id" },
    { "doc_chunks", "content_id, seq, data, data64", "iibt", "content_id, seq",
      NULL },
    { "doc_versions", "doc_id, version, content_id, filename, created_at, actor",
      "iiittt", "doc_id, version", NULL },
    { "doc_links", "doc_id, kind, ref", "itt", "doc_id, kind, ref", NULL },
    { "doc_text", "doc_id, body", "it", "doc_id", NULL },
};
const int bo__ntables_documents =
    (int)(sizeof bo__tables_documents / sizeof bo__tables_documents[0]);

/* Its parts of the schema, by version (src/store/schema.c). */
/* Version 12, for books made before it: the settings move to the core's
 * table as "documents.<key>" (their audit states are carried over by the
 * seed hook: bo__doc_seed). */
static const char *const documents_v12[] = {
    "INSERT INTO settings (key, value)"
    " SELECT 'documents.' || key, value FROM doc_settings",
    "DROP TABLE doc_settings",
    NULL
};

const bo__schema_part bo__parts_documents[] = {
    { 6, bo__ddl_documents, 0, NULL },
    /* the full-text index over doc_text, made by the driver */
    { 11, NULL, 0, &bo__fts_documents },
    { 12, documents_v12, 6, NULL }, /* doc_settings into the settings table */
    { 0, NULL, 0, NULL },
};
