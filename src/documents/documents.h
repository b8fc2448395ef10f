/*
 * The documents domain's insides, shared by its files:
 *   access.c    who may see what (the SQL filter and the per-document check),
 *               the per-book state (search index readiness); the key itself
 *               is the handle's (src/core/crypt.c)
 *   records.c   the record builder, create, get, meta, tags, text
 *   content_db.c / content_fs.c   where stored bytes live (sinks, sources)
 *   versions.c  writer, reader, export, versions listing; hashing and
 *               libsodium secretstream around the stored bytes
 *   links.c, search.c, checkout.c, retention.c, verify.c
 */
#ifndef BO_DOCUMENTS_DOCUMENTS_H
#define BO_DOCUMENTS_DOCUMENTS_H

#include "core/book.h"
#include "core/domain.h"

#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
#include <sodium.h>

/* In-database content is cut into rows of this many stored bytes. */
#define BO__DOC_CHUNK (1024 * 1024)
/* Plaintext bytes per encrypted secretstream message. */
#define BO__DOC_SEG (64 * 1024)
#define BO__DOC_SEG_STORED (BO__DOC_SEG + crypto_secretstream_xchacha20poly1305_ABYTES)
#define BO__DOC_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES

/* ---- per-book state (access.c) ------------------------------------------ */
/* Writers and readers still open on a book, in a circular list whose
 * sentinel is in the book's state: freeing the book detaches them (their
 * later calls fail with BO_ESTATE, their free touches no book), so a
 * garbage collector may free a book before its handles. */
typedef struct bo__doc_live {
    struct bo__doc_live *prev, *next;
    void (*detach)(struct bo__doc_live *l);
} bo__doc_live;

typedef struct bo__docx {
    bo__doc_live live; /* sentinel */
} bo__docx;
/* The book's state, made on first use (NULL and BO_ENOMEM on failure). */
bo__docx *bo__docx_get(bo_book *b);
/* Track l (detach set by the caller) until bo__doc_live_remove(). */
int bo__doc_live_add(bo_book *b, bo__doc_live *l);
/* Stop tracking l; accepts a node never added or already detached. */
void bo__doc_live_remove(bo__doc_live *l);

/* ---- access (access.c) --------------------------------------------------- */
/* What the actor may see: bound as three parameters after the SQL filter. */
typedef struct bo__doc_who {
    const char *actor;
    int conf;  /* documents.confidential */
    int restr; /* documents.admin and documents.confidential */
} bo__doc_who;
int bo__doc_who_get(bo_book *b, bo__doc_who *w);
/* The filter on alias d, with its three parameters at ?N, ?N+1, ?N+2 is not
 * possible with positional `?`: it is always written last-but-paging, and
 * bound in order with bo__doc_who_bind. */
#define BO__DOC_VISIBLE(d) \
    "(" d ".classification <= 1 OR " d ".owner = ? OR (" d ".classification = 2" \
    " AND ? = 1) OR (" d ".classification = 3 AND ? = 1))"
int bo__doc_who_bind(bo__stmt *s, int idx, const bo__doc_who *w);

/* One document as the checks need it. */
typedef struct bo__doc_row {
    int64_t id;
    char type[BO_DOCUMENT_NAME_MAX + 1];
    int cls;
    char owner[256];
    char checked_out_by[256];
    int checked_out;
    int disposed;
    int hold;      /* its own or its type's */
    int retention; /* years, 0: none */
    char date[11];
} bo__doc_row;
/* Load document id if the actor may see it: BO_ENOTFOUND otherwise (an
 * invisible document is not told apart from a missing one). */
int bo__doc_load(bo_book *b, int64_t id, bo__doc_row *row);
/* The start of a call on a document that is not disposed of: the actor
 * holds perm (a BO__P_DOCUMENTS_* permission), bo__doc_load(), and
 * BO_ESTATE "document N: disposed of" for one disposed of. */
int bo__doc_load_live(bo_book *b, unsigned perm, int64_t id, bo__doc_row *row);
/* Inside a write: append an audit record when the document is confidential
 * or restricted (every access to those is recorded). */
int bo__doc_audit_access(bo_book *b, const bo__doc_row *row, const char *action);
int bo__doc_object(int64_t id, char out[32]);

/* ---- text checks (records.c, links.c) ---------------------------------------- */
int bo__doc_name_check(const char *field, const char *s);
/* 0 for a kind a link may name (links.c), else BO_EINVAL. */
int bo__doc_link_kind_check(const char *kind);
/* Rebuild the searchable text of document id (title, metadata, body).
 * body NULL keeps the stored extracted text. Confidential and restricted
 * documents are indexed as keyed hashes of their words (needs the key:
 * BO_EKEY for a body without it; without it a tag leaves the row as it is). */
int bo__doc_text_refresh(bo_book *b, int64_t id, const char *body);
/* 1 for a byte that belongs to a word of the index: ASCII letters and
 * digits, and every byte of a multi-byte character. */
int bo__doc_word_char(unsigned char ch);
/* The keyed hash standing for word (n bytes) in the index of protected
 * documents, ASCII letters folded to lower case. */
int bo__doc_term_hash(const bo__key *key, const char *word, size_t n,
                      char out[BO__TERM_HASH_SIZE]);
/* A cursor over sql (with the id bound nbind times) after checking
 * documents.read and sight of document id, auditing protected ones. */
int bo__doc_read_cursor(bo_book *b, int64_t id, const char *sql,
                        const bo__col *cols, int ncols, int nbind,
                        const char *action, bo_cursor **out);

/* ---- content stores (content_db.c, content_fs.c) --------------------------- */
enum { BO__STORE_DB = 0, BO__STORE_FILES = 1 };

typedef struct bo__sink {
    int kind;
    bo_book *book;
    int64_t content_id;
    int64_t seq;
    unsigned char *buf; /* database: the chunk being filled */
    size_t len;
    int rootfd, tmpfd;
    char tmpname[48];
} bo__sink;
int bo__sink_open(bo__sink *k, bo_book *b, int kind, const char *root,
                  int64_t content_id);
int bo__sink_write(bo__sink *k, const void *data, size_t len);
/* Make the stored bytes durable under their name (files: aa/bb/<hash>). */
int bo__sink_finish(bo__sink *k, const char *stored_hex);
/* Discard what was written (the database rows go with the rollback). */
void bo__sink_abort(bo__sink *k);

typedef struct bo__source {
    int kind;
    bo_book *book;
    int64_t content_id;
    int64_t seq;
    unsigned char *buf;
    size_t len, pos;
    int fd;
    int eof;
} bo__source;
int bo__source_open(bo__source *s, bo_book *b, int kind, const char *root,
                    int64_t content_id, const char *stored_hex);
/* Up to cap stored bytes; *got 0 at the end. */
int bo__source_read(bo__source *s, void *buf, size_t cap, size_t *got);
void bo__source_close(bo__source *s);
/* Read exactly cap bytes unless the end comes first. */
int bo__source_read_full(bo__source *s, void *buf, size_t cap, size_t *got);

/* Database store. */
int bo__docdb_put_chunk(bo_book *b, int64_t content_id, int64_t seq,
                        const void *data, size_t len);
int bo__docdb_get_chunk(bo_book *b, int64_t content_id, int64_t seq,
                        unsigned char *buf, size_t cap, size_t *len, int *found);
int bo__docdb_erase(bo_book *b, int64_t content_id);

/* File store: every open is relative to the root's descriptor, with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), and
 * only names the store makes itself are accepted ("tmp/<hex>",
 * "aa/bb/<64 hex>"); anything else is BO_EINVAL before any system call. */
int bo__docfs_root_open(const char *root, int *fd);
int bo__docfs_name_check(const char *name, size_t len);
int bo__docfs_open(int rootfd, const char *name, size_t len, int flags,
                   int mode, int *fd);
/* "aa/bb/<hex>" for a 64-hex hash; out needs 72 bytes. */
void bo__docfs_path(const char *hex, char out[72]);
int bo__docfs_unlink(const char *root, const char *stored_hex);

/* ---- erasure (retention.c) -------------------------------------------------- */
/* Files of a file store whose contents a transaction erased: removed once
 * it commits (bo__doc_gone_finish). */
typedef struct bo__doc_file {
    char *root;
    char hex[65];
} bo__doc_file;
typedef struct bo__doc_gone {
    bo__doc_file *files;
    size_t nfiles;
} bo__doc_gone;
/* Inside a write: erase document id for good, whatever its type's
 * retention (an erasure the law demands, such as an applicant's data):
 * its contents (unless another document shares them), metadata, tags,
 * searchable text, links and file names; the record stays as a tombstone
 * titled "erased", with an audit record "documents.document.erase" whose
 * detail is why (no personal data). BO_ENOTFOUND, BO_ERETAINED (on legal
 * hold, its own or its type's). No permission is checked here: the caller
 * checked its own. */
int bo__doc_erase(bo_book *b, int64_t id, const char *why, bo__doc_gone *gone);
/* After the write: remove the files (committed non-zero, outside any
 * host transaction) and free the list. */
void bo__doc_gone_finish(bo_book *b, bo__doc_gone *gone, int committed);
/* Inside a write, after erasures: leave no word of the erased text in the
 * full-text index. SQLite's FTS5 keeps a deleted row's words in its
 * segments behind delete markers until they merge: this merges every
 * segment into one without them (the pages freed are wiped by the store's
 * scrub, bo__store_scrub). PostgreSQL's index is over the rows themselves:
 * nothing to do. The cost grows with the index: once per erasing command. */
int bo__doc_fts_compact(bo_book *b);

/* Insert the built-in types if missing (inside a write; types.c): when a
 * book is created or upgraded (src/core/book.c). With touch, their states
 * are recorded (left to the upgrade's record of every state otherwise). */
int bo__doc_builtins(bo_book *b, int touch);
/* The version from which the built-in document types exist in every book
 * (seeded at creation and by the upgrade, no longer on first use). */
#define BO__SCHEMA_DOC_TYPES 11
/* The domain's seed hook (src/core/domain.h): the built-in types of a new
 * book, or of one upgraded from before BO__SCHEMA_DOC_TYPES (their states
 * recorded, unless the upgrade's backfill records every state). */
int bo__doc_seed(bo_book *b, int from);
/* Whether type accepts metadata fields it does not declare (types.c). */
int bo__doc_type_open(bo_book *b, const char *type, int *open);

/* ---- settings (types.c) ------------------------------------------------------ */
/* The configured store: kind and root (root is "" for the database). */
int bo__doc_store_get(bo_book *b, int *kind, char **root);
/* The largest version the book accepts, in bytes (its max_version_bytes
 * setting, or BO_DOCUMENT_VERSION_MAX_DEFAULT). */
int bo__doc_version_limit_get(bo_book *b, int64_t *bytes);

/* Its YAML section (config_documents.c), applied by the book layer. */
int bo__cfg_section_documents(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

/* Version 11: the documents' full-text index over doc_text, made by the
 * driver (bo_driver.fts_index); search.c matches with the same names. */
extern const bo_driver_fts bo__fts_documents;

/* ---- the domain (domain_documents.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_documents;
extern const bo__schema_part bo__parts_documents[];
extern const bo__table bo__tables_documents[];
extern const int bo__ntables_documents;
extern const bo__vdomain bo__verify_documents;
extern int bo__documents_slot;
extern const bo__domain_cache bo__documents_cache;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_documents[4];
#define BO__P_DOCUMENTS_READ (bo__perms_documents[0])
#define BO__P_DOCUMENTS_WRITE (bo__perms_documents[1])
#define BO__P_DOCUMENTS_ADMIN (bo__perms_documents[2])
#define BO__P_DOCUMENTS_CONFIDENTIAL (bo__perms_documents[3])

#endif
