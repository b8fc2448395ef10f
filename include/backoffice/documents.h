/**
 * @file backoffice/documents.h
 * @brief Document records: versions, content by SHA-256, encryption at rest,
 *        links, retention and legal hold, search, permissions, check-out.
 *
 * A document is a record (type, title, document date, typed metadata, tags,
 * owner, classification) with zero or more versions of content. Content is
 * identified by the SHA-256 of its plaintext and stored once, inside the
 * database (rows of 1 MiB) or in a file store under a root folder whose file
 * names come from hashes only. Content streams in and out through a writer
 * and a reader, so a large file never sits in memory.
 *
 * Permissions (deny by default, checked on every call):
 * - documents.read: see public and internal documents (get, list, search,
 *   count, versions, links, read content, export).
 * - documents.write: create documents, add versions, tags, links, text,
 *   check out and in (on documents the actor may see).
 * - documents.admin: types, retention, holds, disposal, the content store,
 *   integrity checks, releasing another actor's check-out.
 * - confidential documents are seen only by their owner or by an actor with
 *   documents.confidential; restricted ones only by their owner or by an
 *   actor with both documents.admin and documents.confidential. A document
 *   an actor may not see behaves as if it did not exist (BO_ENOTFOUND), and
 *   is never counted in search results.
 * Every read of a confidential or restricted document's record or content
 * appends an audit record.
 *
 * Limits: type, tag, field and link kind names up to 64 bytes; titles,
 * metadata values, link references and file names up to 1024 bytes;
 * extracted text up to 1 MiB; all valid UTF-8 without NUL.
 */
#ifndef BACKOFFICE_DOCUMENTS_H
#define BACKOFFICE_DOCUMENTS_H

#include <stddef.h>

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** Longest type, tag, field or link kind name, in bytes. */
#define BO_DOCUMENT_NAME_MAX 64
/** Longest title, metadata value, link reference or file name, in bytes. */
#define BO_DOCUMENT_TEXT_MAX 1024
/** Longest extracted text, in bytes. */
#define BO_DOCUMENT_BODY_MAX (1024 * 1024)
/** Size of an encryption key, in bytes. */
#define BO_DOCUMENT_ENCRYPTION_KEY_BYTES 32
/** The largest version a book accepts unless set otherwise: 256 MiB. */
#define BO_DOCUMENT_VERSION_MAX_DEFAULT ((int64_t)256 * 1024 * 1024)

/** Classifications, from the least to the most protected. */
typedef enum bo_document_class {
    BO_DOCUMENT_PUBLIC = 0,       /**< anyone with documents.read */
    BO_DOCUMENT_INTERNAL = 1,     /**< anyone with documents.read (the default) */
    BO_DOCUMENT_CONFIDENTIAL = 2, /**< owner or documents.confidential; encrypted */
    BO_DOCUMENT_RESTRICTED = 3    /**< owner or documents.admin + confidential;
                                  encrypted */
} bo_document_class;

/**
 * The classification named @p name ("public", "internal", "confidential",
 * "restricted"). @return the #bo_document_class value, or BO_EINVAL.
 */
BO_EXTERN(int) bo_document_class_parse(const char *name);

/** The name of classification @p cls, or NULL for a value that is none. Static. */
BO_EXTERN(const char *) bo_document_class_name(int cls);

/* ---- configuration: types, retention, holds, store, key ------------------ */

/**
 * Add a document type. The built-in types are contract, application_form,
 * financial_report, invoice, receipt and other. Needs documents.admin.
 * @param retention_years keep documents of this type this many years after
 *        their document date (1..200), or 0 for no retention rule (such
 *        documents are never disposed of).
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_type_add(bo_book *book, const char *name,
                               int retention_years);

/**
 * Declare a typed metadata field of type @p type: @p kind is "text", "date"
 * (YYYY-MM-DD), "int" or "money" (minor units as an integer). Values given
 * for declared fields are checked against their kind; a field the type does
 * not declare is refused unless the type's fields are open
 * (bo_document_type_open_fields()). Needs documents.admin.
 * @return 0, BO_ENOTFOUND (type), BO_EEXISTS, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_type_field_add(bo_book *book, const char *type,
                                     const char *field, const char *kind);

/**
 * Let documents of @p type carry metadata fields the type does not declare
 * (@p on non-zero: free-form text values), or stop that (@p on 0, the
 * default for every type, built-in ones included). Declared fields are
 * checked against their kind either way. Needs documents.admin.
 * @return 0, BO_ENOTFOUND (type), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_type_open_fields(bo_book *book, const char *type, int on);

/**
 * Set the retention rule of @p type (years as in bo_document_type_add()).
 * Needs documents.admin. @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_type_retention(bo_book *book, const char *type,
                                     int retention_years);

/**
 * Place (@p on non-zero) or lift a legal hold on every document of @p type.
 * Needs documents.admin. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_type_hold(bo_book *book, const char *type, int on);

/**
 * The document types. Needs documents.read.
 * Columns: name TEXT, retention_years INT, hold INT, fields TEXT
 * ("amount:money,due:date"), open_fields INT (1: undeclared fields
 * accepted).
 */
BO_EXTERN(int) bo_document_types(bo_book *book, bo_cursor **out);

/**
 * Choose where new content is stored: @p kind "database" (rows inside the
 * book) or "files" with @p root an existing directory (NULL for
 * "database"). Stored per book; content already stored stays where it is
 * and stays readable while the root is reachable. Needs documents.admin.
 * @return 0, BO_EINVAL (kind, or root not a directory), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_set_store(bo_book *book, const char *kind,
                                const char *root);

/**
 * Set the largest version (content size in bytes, plaintext) this book
 * accepts, @p max_bytes >= 1; the default is #BO_DOCUMENT_VERSION_MAX_DEFAULT.
 * A writer refuses the byte that would pass it (BO_ELIMIT) and keeps
 * nothing of the version. Stored per book; needs documents.admin.
 * @return 0, BO_EINVAL (not positive), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_set_version_limit(bo_book *book, int64_t max_bytes);

/**
 * The largest version this book accepts, in bytes (see
 * bo_document_set_version_limit()). Needs documents.read.
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_version_limit(bo_book *book, int64_t *max_bytes);

/**
 * Give this handle the host's key (@p len must be #BO_DOCUMENT_ENCRYPTION_KEY_BYTES). It
 * encrypts confidential and restricted content, keys the hashes that
 * stand for the words of those documents in the search index, and seals
 * employees' tax, social security and bank identifiers (payroll.h). The
 * key is kept in this handle's memory only, never stored; NULL forgets it.
 * Content written under one key cannot be read under another (BO_EKEY).
 * @return 0, BO_EINVAL (length).
 */
BO_EXTERN(int) bo_document_set_encryption_key(bo_book *book, const void *key, size_t len);

/* ---- records ------------------------------------------------------------ */

/** A document record being built (opaque). Not tied to a book. */
typedef struct bo_document bo_document;

/**
 * Start a record of type @p type titled @p title with document date @p date.
 * Classification starts as internal.
 * @param out receives the builder; the caller owns it (bo_document_free()).
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_document_new(bo_document **out, const char *type, const char *title,
                          bo_date date);

/** Set the classification (a #bo_document_class). @return 0, BO_EINVAL. */
BO_EXTERN(int) bo_document_set_class(bo_document *doc, int cls);

/**
 * Set metadata field @p field to @p value (checked against the type's fields
 * when the record is created: a declared field's kind, and undeclared fields
 * only for a type with open fields). Setting a field twice replaces it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ELIMIT (over 64 fields).
 */
BO_EXTERN(int) bo_document_set_meta(bo_document *doc, const char *field,
                               const char *value);

/** Add a tag (duplicates are ignored). @return 0, BO_EINVAL, BO_ELIMIT. */
BO_EXTERN(int) bo_document_add_tag(bo_document *doc, const char *tag);

/**
 * Set the text extracted from the content by the host (OCR, PDF text),
 * indexed for search with the title and metadata. The words of a
 * confidential or restricted document are indexed only as keyed hashes
 * (HMAC-SHA-256 under the handle's key, bo_document_set_encryption_key()), never as
 * themselves, so creating such a record with text needs the key.
 * @return 0, BO_EUTF8, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_document_set_body(bo_document *doc, const char *text);

/**
 * Set the client-supplied idempotency key: creating a record whose key was
 * already used records nothing and returns the first record's id.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_document_set_key(bo_document *doc, const char *key);

/** Release the builder. Accepts NULL. */
BO_EXTERN(void) bo_document_free(bo_document *doc);

/**
 * Record @p doc (without content) with the book's actor as its owner.
 * Needs documents.write, and documents.confidential for confidential or
 * restricted records.
 * @param id receives the new record's id (or the original's for a replayed
 *        key). May be NULL.
 * @return 0, BO_ENOTFOUND (type), BO_EINVAL (a metadata value does not fit
 *         its field's kind, or a field the type does not declare while its
 *         fields are not open; the message names the field), BO_EKEY (text for a confidential or restricted
 *         record without the key), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_create(bo_book *book, const bo_document *doc, int64_t *id);

/**
 * One record. Needs documents.read and sight of the document.
 * Columns: id INT, type TEXT, title TEXT, date TEXT, classification TEXT,
 * owner TEXT, created TEXT, versions INT, checked_out_by TEXT (or NULL),
 * hold INT (the document's own hold, or its type's), retain_until TEXT (or
 * NULL), disposed TEXT (or NULL; a tombstone).
 * @return 0, BO_ENOTFOUND (missing or not visible), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_get(bo_book *book, int64_t id, bo_cursor **out);

/**
 * A record's metadata and tags. Needs documents.read and sight of it.
 * Columns: name TEXT ("tag" for tags), value TEXT. Ordered by name, value.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_meta(bo_book *book, int64_t id, bo_cursor **out);

/**
 * Add tag @p tag to document @p id. Needs documents.write and sight of it.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_ESTATE (disposed), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_tag(bo_book *book, int64_t id, const char *tag);

/**
 * Replace the extracted text of document @p id. Needs documents.write and
 * sight of it; non-empty text of a confidential or restricted document
 * needs the key (see bo_document_set_body()).
 * @return 0, BO_ENOTFOUND, BO_ETOOLONG, BO_ESTATE, BO_EKEY, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_body(bo_book *book, int64_t id, const char *text);

/* ---- content: versions, streaming ---------------------------------------- */

/** A new version being written (opaque). */
typedef struct bo_document_writer bo_document_writer;

/**
 * Start a new version of document @p id. The writer holds a transaction
 * level of the book open until bo_document_writer_finish() or bo_document_writer_free():
 * the version is recorded completely or not at all. If the host commits or
 * rolls back that level, or begins another inside it, before the writer
 * finishes, the writer's later calls fail with BO_ESTATE and the version is
 * abandoned; freeing it then leaves the host's levels alone. Needs documents.write
 * and sight of the document; it must not be checked out by another actor
 * or disposed; confidential and restricted content needs the key.
 * @param filename the original file name (display only, never a path used
 *        by the store); may be NULL.
 * @return 0, BO_ENOTFOUND, BO_ELOCKED, BO_ESTATE (disposed), BO_EKEY,
 *         BO_EDENIED, store errors.
 */
BO_EXTERN(int) bo_document_writer_open(bo_book *book, int64_t id,
                                  const char *filename, bo_document_writer **out);

/**
 * Append @p len bytes. A failure abandons the version at once: nothing of
 * it is kept, and the writer's later calls fail with BO_ESTATE.
 * @return 0, BO_ELIMIT (the version would pass the book's limit,
 *         bo_document_set_version_limit()), BO_ESTATE (finished or failed),
 *         BO_EIO, BO_EFULL, BO_ENOMEM.
 */
BO_EXTERN(int) bo_document_writer_write(bo_document_writer *w, const void *data,
                                   size_t len);

/**
 * Record the version. Identical content already stored is not stored
 * again. @param version receives the new version number (1, 2, ...); may
 * be NULL. @return 0, BO_ESTATE, store errors.
 */
BO_EXTERN(int) bo_document_writer_finish(bo_document_writer *w, int64_t *version);

/** Release a writer; an unfinished version is discarded. Accepts NULL. */
BO_EXTERN(void) bo_document_writer_free(bo_document_writer *w);

/**
 * Add the file at @p path (a host path) as a new version of document @p id,
 * streamed. As bo_document_writer_open() plus BO_EIO when the file cannot be
 * read and BO_ELIMIT when it is larger than the book's limit (at most the
 * limit and one byte are read: a device or pipe that never ends is safe).
 */
BO_EXTERN(int) bo_document_add_file(bo_book *book, int64_t id, const char *path,
                               int64_t *version);

/**
 * Add @p len bytes at @p data as a new version (for small content and the
 * bindings). As bo_document_writer_open().
 */
BO_EXTERN(int) bo_document_add_bytes(bo_book *book, int64_t id, const void *data,
                                size_t len, const char *filename,
                                int64_t *version);

/** A version being read (opaque). */
typedef struct bo_document_reader bo_document_reader;

/**
 * Open version @p version (0: the latest) of document @p id for reading.
 * Needs documents.read and sight of the document; encrypted content needs
 * the key it was written with. The whole content is checked against its
 * hash as it is read: the last read fails with BO_ECORRUPT on a mismatch.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (disposed), BO_EKEY (missing or wrong
 *         key), BO_ECORRUPT, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_reader_open(bo_book *book, int64_t id, int64_t version,
                                  bo_document_reader **out);

/**
 * Read up to @p cap bytes into @p buf; @p got receives the count, 0 at the
 * end. @return 0, BO_ECORRUPT (content does not match its hash, or fails
 * to decrypt), BO_EIO.
 */
BO_EXTERN(int) bo_document_reader_read(bo_document_reader *r, void *buf, size_t cap,
                                  size_t *got);

/** Size of the content in bytes (plaintext). */
BO_EXTERN(int64_t) bo_document_reader_size(const bo_document_reader *r);

/** Release a reader. Accepts NULL. */
BO_EXTERN(void) bo_document_reader_free(bo_document_reader *r);

/**
 * Write version @p version (0: latest) of document @p id to the host file
 * @p path (created or truncated), streamed. As bo_document_reader_open(); a
 * failed export removes the partial file.
 */
BO_EXTERN(int) bo_document_export_file(bo_book *book, int64_t id, int64_t version,
                                  const char *path);

/**
 * The versions of document @p id. Needs documents.read and sight of it.
 * Columns: version INT, sha256 TEXT (plaintext; NULL once disposed),
 * size INT, filename TEXT, encrypted INT, store TEXT, created TEXT,
 * actor TEXT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_versions(bo_book *book, int64_t id, bo_cursor **out);

/**
 * Re-hash every stored content (without the key: the stored bytes against
 * their stored hash; with it, also the plaintext) and check that file-store
 * content is a regular file beneath the root. Needs documents.admin.
 * @param checked receives the number of versions checked; may be NULL.
 * @return 0 when all match; BO_ECORRUPT naming the first document and
 *         version that does not; BO_EDENIED.
 */
BO_EXTERN(int) bo_document_verify(bo_book *book, int64_t *checked);

/* ---- links ---------------------------------------------------------------- */

/**
 * Link document @p id to the record (@p kind, @p ref), which must exist.
 * Kinds and what names the record: entry, invoice, payment, purchase_order,
 * sale, stock_movement, pay_run and document by their id ("42": digits, no
 * sign or leading zero); item by its SKU, employee by its number, party by
 * its code. Needs documents.write and sight of the document, and the read
 * permission of the record's domain (ledger.read; billing.read;
 * inventory.read for items, purchase orders, sales and stock movements;
 * payroll.read; party.read; documents.read and sight of a linked document).
 * @return 0 (also when the link exists), BO_ENOTFOUND (the document, or no
 *         such record: the message names kind and ref), BO_EINVAL (kind,
 *         or a ref that is not an id), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_link(bo_book *book, int64_t id, const char *kind,
                           const char *ref);

/**
 * Remove a link (the record need not exist any more). Needs documents.write
 * and sight of the document.
 * @return 0, BO_ENOTFOUND (document or link), BO_EDENIED.
 */
BO_EXTERN(int) bo_document_unlink(bo_book *book, int64_t id, const char *kind,
                             const char *ref);

/**
 * The records document @p id is linked to. Needs documents.read and sight.
 * Columns: kind TEXT, ref TEXT. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_links(bo_book *book, int64_t id, bo_cursor **out);

/**
 * The documents linked to record (@p kind, @p ref) that the actor may see.
 * Needs documents.read. Columns: id INT, type TEXT, title TEXT, date TEXT,
 * classification TEXT.
 */
BO_EXTERN(int) bo_document_linked(bo_book *book, const char *kind, const char *ref,
                             bo_cursor **out);

/* ---- search ---------------------------------------------------------------- */

/** A search being built (opaque). Not tied to a book. */
typedef struct bo_document_query bo_document_query;

/** Start an empty query (matches every visible live document). */
BO_EXTERN(int) bo_document_query_new(bo_document_query **out);

/**
 * Full-text words to match in title, metadata and extracted text (all
 * words must occur; punctuation is ignored). NULL clears. Confidential and
 * restricted documents are found by their words only through a handle
 * holding the key they were indexed with (their index holds keyed hashes
 * of whole words, ASCII letters folded to lower case).
 * @return 0, BO_EUTF8, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_document_query_text(bo_document_query *q, const char *words);

/** Only documents of type @p type (NULL clears). @return 0, BO_EINVAL. */
BO_EXTERN(int) bo_document_query_type(bo_document_query *q, const char *type);

/** Only documents carrying tag @p tag (NULL clears). @return 0, BO_EINVAL. */
BO_EXTERN(int) bo_document_query_tag(bo_document_query *q, const char *tag);

/**
 * Only documents dated from @p from to @p to inclusive (0 on either side:
 * open). @return 0, BO_EINVAL (from after to).
 */
BO_EXTERN(int) bo_document_query_dates(bo_document_query *q, bo_date from, bo_date to);

/** Only documents linked to (@p kind, @p ref) (NULL kind clears). */
BO_EXTERN(int) bo_document_query_link(bo_document_query *q, const char *kind,
                                 const char *ref);

/** Include disposed documents' tombstones (default: no). */
BO_EXTERN(int) bo_document_query_disposed(bo_document_query *q, int include);

/** Return at most @p limit rows (0: no limit) after skipping @p offset. */
BO_EXTERN(int) bo_document_query_page(bo_document_query *q, int64_t limit,
                                 int64_t offset);

/** Release a query. Accepts NULL. */
BO_EXTERN(void) bo_document_query_free(bo_document_query *q);

/**
 * Documents matching @p q that the actor may see, newest date first.
 * Needs documents.read. Columns: id INT, type TEXT, title TEXT, date TEXT,
 * classification TEXT, owner TEXT, versions INT, disposed TEXT (or NULL).
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_search(bo_book *book, const bo_document_query *q,
                             bo_cursor **out);

/**
 * How many documents match @p q that the actor may see (paging ignored).
 * Needs documents.read. @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_count(bo_book *book, const bo_document_query *q,
                            int64_t *count);

/* ---- check-out ----------------------------------------------------------- */

/**
 * Check document @p id out to the book's actor: until checked in, no other
 * actor can add versions. Needs documents.write and sight of it.
 * @return 0 (also when already checked out to this actor), BO_ELOCKED
 *         (checked out to another), BO_ENOTFOUND, BO_ESTATE, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_checkout(bo_book *book, int64_t id);

/**
 * Check document @p id in. The actor who checked it out may, and so may an
 * actor with documents.admin (releasing someone else's check-out).
 * @return 0, BO_ESTATE (not checked out), BO_ELOCKED, BO_ENOTFOUND,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_document_checkin(bo_book *book, int64_t id);

/* ---- retention ----------------------------------------------------------- */

/**
 * Place (@p on non-zero) or lift a legal hold on document @p id.
 * Needs documents.admin and sight of it. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_hold(bo_book *book, int64_t id, int on);

/**
 * Dispose of document @p id as of @p today (0: the current date): refused
 * unless its type has a retention rule that ended on or before @p today and
 * neither the document nor its type is on hold. Erases the content of every
 * version (content shared with a live document stays), the metadata, tags
 * and extracted text, and keeps a tombstone (id, type, title, date,
 * disposed) and an audit record. Needs documents.admin and sight of it.
 * @return 0, BO_ERETAINED (names the date retention ends, or the hold),
 *         BO_ESTATE (already disposed), BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_document_dispose(bo_book *book, int64_t id, bo_date today);

BO_END_DECLS

#endif
