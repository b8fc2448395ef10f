/*
 * The book handle's insides, shared by core and the domains. Domains reach
 * the store through book->store and group their writes with bo__write().
 */
#ifndef BO_CORE_BOOK_H
#define BO_CORE_BOOK_H

#include "util/util.h"
#include "store/store.h"

/* Per-domain extension slots: a domain keeps its caches in
 * ext[slot].data, the slot assigned from the table of domains and the
 * hooks the core calls described by the domain (src/core/domain.h). */
#define BO__EXT_MAX 8

typedef struct bo__ext {
    void *data;
} bo__ext;

typedef struct bo__sub {
    int id;
    char *event; /* "*" for all */
    bo_event_fn fn;
    void *user;
    bo_free_fn free_user;
} bo__sub;

typedef struct bo__pending {
    const char *event; /* static name */
    int64_t id;
} bo__pending;

/* The host's key on a handle (src/core/crypt.c). */
#define BO__KEY_BYTES 32
typedef struct bo__key {
    unsigned char key[BO__KEY_BYTES];   /* as given: document content */
    unsigned char seal[BO__KEY_BYTES];  /* derived: sealed texts */
    unsigned char terms[BO__KEY_BYTES]; /* derived: search-term hashes */
    char id[33]; /* hex of a keyed hash of a label: names the key */
} bo__key;

struct bo_book {
    bo__store *store;
    char *uri;
    char *actor;
    char *name;
    char base_currency[BO_CURRENCY_MAX + 1];

    int depth;             /* open transaction levels */
    int failed_depth;      /* > 0: a call failed part-way at this level; only
                              rolling that level back is allowed */
    int flat_writes;       /* inner levels open no savepoint: a level that
                              fails leaves the level around it failed (a
                              sync's batch, which then rolls back whole and
                              runs again with savepoints: src/sync/push.c) */
    size_t *marks;         /* pending-event count at each level's start */
    size_t marks_cap;

    /* Valid while generation == gen_seen (checked at each outermost begin). */
    int64_t gen_seen;
    int perms_valid;
    unsigned perms;
    /* Which approvable commands have a rule (bit i: the i-th kind), read
     * once per generation (src/core/approval.c). */
    int rules_valid;
    uint64_t rules_mask;

    /* Learnt inside transactions; kept from one to the next while the
     * store's data version says no other connection committed. */
    int carried;
    /* How the next outermost transaction begins (bo__write_mode): 0 a
     * write beside others, BO__STORE_ALONE, BO__STORE_SNAPSHOT. */
    int write_how;
    int64_t data_version;
    int audit_valid;
    int audit_lane;     /* the lane audit_seq and audit_hash are the head of */
    int64_t audit_seq;
    char audit_hash[BO_HASH_HEX_SIZE];
    int64_t audit_next; /* the next record's number (drivers without lanes) */
    /* The last record of the connection's lane as last committed, valid
     * while the store's lane epoch is lane_epoch (nonzero): no other
     * connection appends to a lane while one holds it, so a transaction
     * chains from it without reading the lane's last record (audit.c). */
    uint64_t lane_epoch;
    int lane_moved;     /* this transaction appended: the kept head is not
                           its lane's head until the commit */
    int64_t lane_seq;
    char lane_hash[BO_HASH_HEX_SIZE];
    /* The change feed (feed.c): the next position, valid like the chain's
     * head; the events this transaction appended. */
    int feed_valid;
    int64_t feed_next;
    int64_t feed_tx;
    /* Where writers take turns, the transaction's events are inserted in
     * one statement (feed.c, write_pending): position = record + feed_off
     * for the records feed_seq0 .. feed_end - 1, those before feed_done
     * already in feed_events; feed_pos0 the transaction's first position;
     * feed_rolled: a level of it rolled back. Valid while feed_tx > 0. */
    int feed_rolled;
    /* The feed is read from audit_log (the book has feed_log: SQLite,
     * schema 22), set at open by bo__feed_probe. */
    int feed_log;
    int64_t feed_seq0, feed_end, feed_done, feed_off, feed_pos0;
    /* PostgreSQL taking turns (feed.c, SQL_LAST_SWEEP): the store's mode
     * epoch (bo__store_mode_epoch) once a committed transaction positioned
     * the events writers on lanes left; feed_sweeping, the epoch of the
     * open transaction's sweep, kept at its commit. */
    uint64_t feed_swept, feed_sweeping;

    bo__ext ext[BO__EXT_MAX];

    bo__key *key; /* NULL until the host gives one (bo_document_set_encryption_key) */
    /* The records this transaction wrote (src/core/verify.c): their states
     * are stored before the outermost commit. tx_last_seq: the last audit
     * record this transaction appended (0: none yet). */
    struct bo__touch *touched;
    size_t ntouched, touched_cap;
    int64_t tx_last_seq;
    /* The last record this handle appended, to hash it again with the
     * states (verify.c) without reading it back: its seq, time, detail
     * digest, previous hash, and "action\0object\0actor\0extra". */
    int64_t last_seq;
    char last_at[64], last_dd[BO_HASH_HEX_SIZE], last_prev[BO_HASH_HEX_SIZE];
    bo__buf last_text;
    int last_has_extra, last_actor_null;
    /* The transaction's last record, held back from audit_log until the
     * commit's flush so that it is hashed and written once, with its
     * transaction's states when there are any (audit.c, "held record").
     * held_seq: its number (0: none held; it is then last_seq), held_hash
     * its hash without the states (computed only when asked for: the
     * head while it is held is then not in audit_hash), held_detail its
     * detail. audit_hold: the
     * write under way is the outermost command, committed when it returns
     * (bo__write), the only case where a record is held. */
    int64_t held_seq;
    int held_hashed; /* held_hash (and audit_hash, the head) computed */
    char held_hash[BO_HASH_HEX_SIZE];
    bo__buf held_detail;
    int audit_hold;

    bo__sub *subs;
    int nsubs, subs_cap, next_sub;
    bo__pending *pending;
    size_t npending, pending_cap;

    /* Approvals (approval.c): the request the last BO_EPENDING stored or
     * found, and the approved command being executed (it passes the gate
     * once). */
    int64_t approval_last;
    const char *approval_exec;
};

/* Open (or create) the book at uri once the table of domains is
 * registered (bo_book_open in src/book/open.c registers it first). With
 * keep_open, create it and leave the transaction that created it open
 * (depth 1): BO_EEXISTS when the store already holds a book. */
int bo__book_open(bo_book **out, const char *uri, const bo_book_options *opts,
                  int keep_open);

/* ---- transactions (tx.c) -------------------------------------------------
 * bo__write runs fn inside a new transaction level (a savepoint when one is
 * open), commits it when fn returns 0 and rolls it back otherwise, keeping
 * fn's error. At the outermost level a BO_ECONFLICT is retried. */
typedef int (*bo__write_fn)(bo_book *book, void *ctx);
int bo__write(bo_book *book, bo__write_fn fn, void *ctx);
/* As bo__write, for a fn that checks everything before its first write:
 * inside an open transaction it runs without a savepoint (savepoints cost
 * more than the posting itself). If it fails after writing anyway (only the
 * store can make it), the transaction is marked failed: further calls and
 * commit are refused until the level is rolled back. */
int bo__write_checked(bo_book *book, bo__write_fn fn, void *ctx);
int bo__tx_begin(bo_book *book);
/* How the next outermost transaction begins (0 a write beside others,
 * BO__STORE_ALONE, BO__STORE_SNAPSHOT: src/store/store.h); returns the
 * mode it replaces, for the caller to put back. Inside an open
 * transaction it changes nothing there. */
int bo__write_mode(bo_book *book, int how);
/* For a command that reads the ledger's totals or postings and writes
 * from them (docs/architecture.md, "Isolation of writers on lanes"): 0
 * when the open transaction runs alone (or writers take turns) or is the
 * host's (never beside a posting at snapshot isolation); BO_ESTATE naming
 * what inside another transaction begun beside other writers, where a
 * posting at snapshot isolation could commit unseen. */
int bo__tx_alone(bo_book *book, const char *what);
/* 0, or BO_ESTATE when the open transaction failed part-way or was ended
 * by the engine: every call but rollback is refused until then. */
int bo__tx_usable(bo_book *book);
int bo__tx_commit(bo_book *book);
int bo__tx_rollback(bo_book *book);
/* Record that this handle changed the chart, periods or roles: bumps the
 * book's generation so other handles drop their caches. */
int bo__book_bump_generation(bo_book *book);

/* ---- permissions (security.c) -------------------------------------------
 * The core's own; each domain's are named in its descriptor and get their
 * bits (0..29) from the table of domains (src/core/domain.h). */
#define BO__P_AUDIT_READ (1u << 30)
#define BO__P_BOOK_ADMIN (1u << 31)
#define BO__P_ALL (~0u)
/* 0 when the book's actor holds perm, else BO_EDENIED naming the actor and
 * the permission (never any data). */
int bo__require(bo_book *book, unsigned perm);
/* 1 when the actor holds perm, 0 when not (no error set), < 0 when the
 * permissions could not be read: for filtering rows a caller may not see. */
int bo__has(bo_book *book, unsigned perm);
/* bo__require, then for a location: grants limited to locations
 * (bo_role_grant_location()) count only at theirs. BO_EDENIED naming the
 * actor, the permission and the location. */
int bo__require_at(bo_book *book, unsigned perm, const char *location);
/* bo__require, then the locations where the actor holds perm: *list NULL
 * when everywhere (or no actor: the library's own work), else ",A,B,"
 * (",": none), freed with bo__free. Filter rows of a location column with
 * BO__SCOPE_SQL(column), bound "ttt" list, list, list. */
int bo__scope_locations(bo_book *book, unsigned perm, char **list);
#define BO__SCOPE_SQL(col)                                                       \
    "(CAST(? AS TEXT) IS NULL OR length(replace(?, ',' || " col " || ',', ''))" \
    " < length(?))"
/* Create the owner grant for a new book's creator. */
int bo__security_bootstrap(bo_book *book, const char *actor);

/* ---- audit (audit.c) ----------------------------------------------------- */
/* Append a record inside the current write transaction. */
int bo__audit_append(bo_book *book, const char *action, const char *object,
                     const char *detail);
/* The same, with the detail's SHA-256 (hex) already computed. */
int bo__audit_append_digest(bo_book *book, const char *action,
                            const char *object, const char *detail,
                            const char *detail_digest);
/* The same, with extra facts hashed into the chain (a canonical list of
 * name, value fields: bo__buf_field), or NULL. */
int bo__audit_append_extra(bo_book *book, const char *action,
                           const char *object, const char *detail,
                           const char *detail_digest, const char *extra);
/* The same with the record's number given (seq > 0: one a driver with
 * lanes drew for it, bo__store_audit_seqs), not asked of the driver. */
int bo__audit_append_seq(bo_book *book, int64_t seq, const char *action,
                         const char *object, const char *detail,
                         const char *detail_digest, const char *extra);
/* Records of one action appended in order, as many calls of
 * bo__audit_append_extra would (their hashes, numbers and feed the same),
 * the rows written many to a statement (audit_bulk.c). The texts must
 * live until the call returns. */
typedef struct bo__audit_rec {
    const char *object, *detail, *digest, *extra;
} bo__audit_rec;
int bo__audit_append_many(bo_book *book, const char *action, const bo__audit_rec *recs,
                          size_t n);
/* The hash of a record (audit.c), for the chain and its verification. */
int bo__audit_hash(const char *prev, int64_t seq, const char *at,
                   const char *actor, const char *action, const char *object,
                   const char *detail, const char *detail_digest,
                   const char *extra, char out[BO_HASH_HEX_SIZE]);
/* The same for a record of lane @p lane (version 14): lane 0 hashes as
 * above; another lane adds the extra ("" when NULL) and the lane. */
int bo__audit_hash_lane(const char *prev, int64_t seq, const char *at,
                        const char *actor, const char *action, const char *object,
                        const char *detail, const char *detail_digest,
                        const char *extra, int lane, char out[BO_HASH_HEX_SIZE]);
/* The head of a book whose lanes end at seqs[l] (0: no record) with
 * hashes[l] (BO_DRIVER_LANES of each): the one lane's last record, or with
 * several, *seq the largest number and out their digest (bo_audit_head). */
int bo__audit_lanes_head(const int64_t *seqs, char (*hashes)[BO_HASH_HEX_SIZE],
                         int64_t *seq, char out[BO_HASH_HEX_SIZE]);
/* The chain head (read once per transaction), and setting it after the
 * last record was rewritten with the transaction's states (verify.c). */
int bo__audit_head_read(bo_book *book, int64_t *seq, char hash[BO_HASH_HEX_SIZE]);
/* After an outermost COMMIT with its result rc (0: committed;
 * BO_ECONFLICT: rolled back by the server; anything else: the outcome may
 * be unknown): keeps the head of the connection's lane for the next
 * transaction, or forgets it. */
void bo__audit_committed(bo_book *book, int rc);
void bo__audit_head_set(bo_book *book, int64_t seq, const char hash[BO_HASH_HEX_SIZE]);
/* The held record (see bo_book.held_seq) written to audit_log: with extra
 * and hash when given (its states joined), else as it was hashed. No-op
 * when none is held. bo__audit_spill: as it was hashed. */
int bo__audit_held_write(bo_book *book, const char *extra, const char *hash);
static inline int bo__audit_spill(bo_book *bk)
{
    return bk->held_seq ? bo__audit_held_write(bk, NULL, NULL) : 0;
}
/* A transaction changed a record that none of its audit records names (a
 * sale's hold, a stock layer): its state is stored with the transaction
 * (src/core/verify.h). kind is a kind's name; the first form for integer
 * keys, the second for text keys. */
int bo__audit_touch(bo_book *book, const char *kind, int64_t id);
int bo__audit_touch_name(bo_book *book, const char *kind, const char *name);

/* ---- settings (settings.c) ------------------------------------------------
 * One table holds every domain's settings, keyed "<domain>.<key>"
 * ("inventory.account.cogs", "billing.write_off_limit",
 * "documents.max_version_bytes"). A domain checks its keys, values and
 * permissions and appends its own audit record; a write here records the
 * setting as changed (audit kind "setting", keyed by the full key). */
/* The schema version that moved the domains' settings tables into one. */
#define BO__SCHEMA_SETTINGS 12
/* The value of domain.key into out (size bytes, "" when unset); *found
 * (may be NULL) is 1 when set. BO_ETOOLONG when it does not fit. */
int bo__setting_get(bo_book *book, const char *domain, const char *key, char *out,
                    size_t size, int *found);
/* The value as a copy the caller frees (NULL when unset). */
int bo__setting_dup(bo_book *book, const char *domain, const char *key, char **out);
/* An integer setting: dflt when unset; BO_ECORRUPT naming the setting when
 * it is not an integer. */
int bo__setting_int(bo_book *book, const char *domain, const char *key, int64_t dflt,
                    int64_t *out);
/* Set (value not NULL) or remove (NULL) domain.key inside the caller's write. */
int bo__setting_put(bo_book *book, const char *domain, const char *key,
                    const char *value);
int bo__setting_put_int(bo_book *book, const char *domain, const char *key,
                        int64_t value);
/* A domain's settings: columns key (without "<domain>.") and value, in
 * key order; the actor must hold perm. */
int bo__setting_list(bo_book *book, unsigned perm, const char *domain,
                     bo_cursor **out);
/* In the upgrade to BO__SCHEMA_SETTINGS of a book that kept audit states
 * (from 10 on): carry the last recorded states of the domain's former
 * kind (old_kind) over to the "setting" kind, so the chain vouches for the
 * moved rows as it did before and an edit made before the upgrade is still
 * found. whole: the former kind's one record holding all of the domain's
 * settings ("documents"), or NULL for one record per key. */
int bo__setting_carry(bo_book *book, const char *old_kind, const char *domain,
                      const char *whole);

/* ---- idempotency (idem.c) ------------------------------------------------ */
/* What bo__idem_claim() found under a key. */
enum { BO__IDEM_NEW = 0, BO__IDEM_REPLAY = 1 };
/* The one claim step of every keyed command, run inside its write before
 * anything is written. sql takes the key as its one parameter and returns
 * (id, digest) of the record the key names; digest is the SHA-256 (hex) of
 * the command's canonical form. Key NULL or unknown: *state NEW. Known with
 * the same digest (or with none: a row written before its table kept
 * digests): *state REPLAY and *id the original id; the command writes
 * nothing and answers it. Known with another digest: BO_EKEYREUSE "key:
 * "K" was used for a different KIND (id N)". */
int bo__idem_claim(bo_book *book, const char *sql, const char *kind,
                   const char *key, const char *digest, int64_t *id, int *state);
/* bo__idem_claim()'s judgement of a row found another way (several keys
 * read in one statement): found says whether key names a row, found_id and
 * stored (its digest, "" for none) what it holds. */
int bo__idem_judge(const char *kind, const char *key, int found, int64_t found_id,
                   const char *stored, const char *digest, int64_t *id, int *state);
/* The BO_EKEYREUSE of bo__idem_claim(), for a key found another way. */
int bo__idem_reuse(const char *key, const char *kind, int64_t id);
/* A key's text: NULL, or valid UTF-8 of 1..BO_TEXT_MAX bytes. */
int bo__idem_check(const char *key);
/* A command a terminal retries: BO_EINVAL "key: WHAT needs an idempotency
 * key" when key is NULL (what: "a sale"), else bo__idem_check(). */
int bo__idem_require(const char *what, const char *key);
/* The version of an options struct a call received: BO_EINVAL naming
 * "options" unless 1 <= version <= current. */
int bo__opts_version(unsigned int version, unsigned int current);

/* ---- events (events.c) --------------------------------------------------- */
int bo__event_queue(bo_book *book, const char *event, int64_t id);
void bo__events_deliver(bo_book *book);
void bo__events_drop(bo_book *book, size_t keep);
void bo__events_free(bo_book *book);

/* ---- cursors (cursor.c) --------------------------------------------------- */
typedef struct bo__col {
    const char *name;
    int type; /* BO_TYPE_INT or BO_TYPE_TEXT */
} bo__col;
/* Make a cursor over a private statement for sql; the caller binds through
 * bo__cursor_stmt() before the first bo_cursor_next(). */
int bo__cursor_new(bo_book *book, const char *sql, const bo__col *cols,
                   int ncols, bo_cursor **out);
bo__stmt *bo__cursor_stmt(bo_cursor *cursor);
/* Columns computed in C: after each row is read, fn(cursor, stmt, arg)
 * reads the statement's columns (hidden ones may follow the described
 * ones) and sets described INT columns with bo__cursor_put_int (columns
 * 0..31). Used where SQL arithmetic could overflow: the SQL returns exact
 * parts (util/fixed.h BO__SQL_HI/LO) and fn joins them through the checked
 * family. A failing fn sets the error (naming the row: account, employee,
 * component) and ends the cursor with it. */
typedef int (*bo__cursor_row_fn)(bo_cursor *cursor, bo__stmt *stmt, int64_t arg);
void bo__cursor_on_row(bo_cursor *cursor, bo__cursor_row_fn fn, int64_t arg);
void bo__cursor_put_int(bo_cursor *cursor, int col, int64_t value);

/* ---- listings (listing.c) ------------------------------------------------- */
/* The record a listing lists the rows of (an entry's lines, a shipment's
 * history): sql returns a row when it exists, given the listing's first
 * parameter; when it does not, BO_ENOTFOUND says "<name> <id><tail>"
 * ("entry 7: not found", "shipment 7 not found"; a text id is quoted). */
typedef struct bo__parent {
    const char *sql;
    const char *name;
    const char *tail;
} bo__parent;
/* Every listing: the actor must hold perm (0: the caller checked it), the
 * parent (or NULL) must exist, and the cursor over sql gets its parameters
 * bound by format (store/store.h: bo__stmt_bind). *out is NULL on failure.
 * bo__listing(b, BO__P_X_READ, &PARENT, SQL, cols, 5, out, "i", id). */
#define bo__listing(b, perm, parent, sql, cols, ncols, out, ...)                  \
    bo__listing_((b), (perm), (parent), (sql), (cols), (ncols), (out),            \
                 BO__FMT(__VA_ARGS__))
int bo__listing_(bo_book *book, unsigned perm, const bo__parent *parent,
                 const char *sql, const bo__col *cols, int ncols, bo_cursor **out,
                 const char *fmt, int n, ...);

/* ---- the host's key (crypt.c) -------------------------------------------- */
/* Give the handle key (len BO__KEY_BYTES), or forget it (key NULL). */
int bo__key_set(bo_book *book, const void *key, size_t len);
/* Wipe and release the handle's key. */
void bo__key_forget(bo_book *book);
/* 1 when stored is a sealed text (bo__seal_text), else 0. */
int bo__sealed(const char *stored);
/* Seal plain under the key's sealing subkey (XChaCha20-Poly1305 with a
 * random nonce), bound to ad (say "employee:7:tax_id": a sealed value moved
 * to another row or field fails to open): "bo1:" and base64 text, for a
 * TEXT column. *out is freed with bo__free. */
int bo__seal_text(const bo__key *key, const char *ad, const char *plain, char **out);
/* The plaintext of stored (a text that is not sealed comes back as it is:
 * written before sealing existed). BO_EKEY (named by field) without a key
 * or under another key or altered; BO_ECORRUPT when not decodable. */
int bo__unseal_text(const bo__key *key, const char *field, const char *ad,
                    const char *stored, char **out);
/* A search term's keyed hash: BO__TERM_HASH_MARK and 32 hex digits of
 * HMAC-SHA-256 under the key's terms subkey, truncated to 128 bits. One
 * word of the index, revealing nothing of the term without the key. */
#define BO__TERM_HASH_MARK 'h'
#define BO__TERM_HASH_SIZE 34 /* with the NUL */
void bo__term_hash(const bo__key *key, const char *term, size_t len,
                   char out[BO__TERM_HASH_SIZE]);
/* A cursor over rows held in memory: nrows rows of ncols cells, row by
 * row. The cursor owns cells (and their text), freed with it, also when
 * this fails. */
typedef struct bo__cell {
    int type; /* BO_TYPE_* */
    int64_t i;
    char *text;
} bo__cell;
int bo__cursor_rows(const bo__col *cols, int ncols, bo__cell *cells,
                    size_t nrows, bo_cursor **out);
void bo__cells_free(bo__cell *cells, size_t n);

/* ---- time (audit.c) ------------------------------------------------------- */
void bo__now_iso(char out[64]);

#endif
