/*
 * What the audit chain covers, table by table, and how a full verification
 * checks it (src/core/verify.c is the engine). Every table of the schema
 * (bo__schema_table) is covered in one of three ways, declared by its
 * domain in src/<domain>/verify_<domain>.c and listed in one registry:
 *
 *  - State: its rows belong to records of a kind ("sale", "invoice", ...).
 *    Whenever a transaction writes a record, the digest of the record's
 *    state (its rows in every table of the kind, in a canonical form) is
 *    stored in audit_states, bound to the transaction's last audit record
 *    by the digest of those rows in the record's extra. A verification
 *    recomputes every record's state from today's rows and compares it with
 *    the last state the chain recorded for it. A transaction learns which
 *    records it wrote from its audit records (bo__vaction: the action names
 *    the kind, the object its key) and from bo__audit_touch() where a call
 *    changes a record its audit record does not name.
 *  - Check: the table is derived from others (day totals, stock on hand, the
 *    bytes of stored content), or bound to the chain another way (entries
 *    and postings by the canonical form in their audit record's detail);
 *    a function recomputes it.
 *  - The chain itself (audit_log, audit_states).
 *
 * A table none of these claims is reported by every full verification, so a
 * new table cannot go unchecked unnoticed.
 */
#ifndef BO_CORE_VERIFY_H
#define BO_CORE_VERIFY_H

#include "core/book.h"

/* One table's rows in a kind's state. SQL fragments; the table is aliased
 * "t" in the generated statements. */
typedef struct bo__vpart {
    const char *table; /* as in the schema's list */
    const char *key;   /* the owning record's key in a row (NULL: "t.id") */
    const char *from;  /* FROM clause when the key comes through a join;
                          NULL: "<table> t" */
    const char *order; /* columns of t giving the row order within a record,
                          comma-separated (NULL: the table's key) */
    const char *omit;  /* columns left out of the state, space-separated
                          (derived, checked by a check instead) */
    const char *subst; /* "col=expr;..." a column read through an expression
                          (a value that may change without a record) */
    const char *where; /* rows outside every record (NULL: none) */
    const char *also;  /* more columns, from joined tables: "c.sha256, ..." */
    const char *also_types; /* their types, one letter each ("t", "i") */
    const char *orphan; /* with a join: SQL giving a row of this table that
                           belongs to no record (key or a description in
                           its first column), or none */
} bo__vpart;

/* A kind of record: its key (an integer id or a text code) and the tables
 * holding its rows. */
typedef struct bo__vkind {
    const char *name; /* audit_states.kind and the messages: "sale" */
    int text;         /* the key is text */
    const bo__vpart *parts;
    int nparts;
} bo__vkind;

/* An audit action and the records it changes: the object is prefix + key
 * (prefix NULL: the whole object), or resolve maps that key to the kind's
 * keys (one or more rows, first column). kind NULL: the action changes no
 * table (a read, or rows covered by a check), or the call touches what it
 * changes itself (a setting: bo__setting_put).  One action may list several
 * kinds in consecutive entries. */
typedef struct bo__vaction {
    const char *action;
    const char *kind;
    const char *prefix;
    const char *resolve;
} bo__vaction;

/* A name an action was written under before 0.3, read as the action it
 * became (books written by 0.1 and 0.2 keep the old names in their chain;
 * nothing writes them now). prefix: the object prefix records under the old
 * name carry where it differs from the action's own ("inv.move:" for
 * "move:"), accepted beside it; NULL: the same. The verifier resolves an
 * alias before it looks the action up, so an old name is known exactly when
 * its action is. */
typedef struct bo__valias {
    const char *old;
    const char *action;
    const char *prefix;
} bo__valias;

typedef struct bo__verify bo__verify;

/* A check over tables derived from others: returns 0 (findings reported
 * through bo__verify_found) or an error that stops the verification. */
typedef struct bo__vcheck {
    const char *tables; /* the tables it covers, space-separated */
    int (*run)(bo__verify *v);
} bo__vcheck;

typedef struct bo__vdomain {
    const bo__vkind *kinds;
    int nkinds;
    const bo__vaction *actions;
    int nactions;
    const bo__vcheck *checks;
    int nchecks;
    const bo__valias *aliases; /* the pre-0.3 names of its actions */
    int naliases;
} bo__vdomain;

#define BO__VN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The core's (verify_core.c); each domain's is in its descriptor
 * (src/core/domain.h). */
extern const bo__vdomain bo__verify_core;

/* ---- for checks ---------------------------------------------------------- */

/* The book being verified. */
bo_book *bo__verify_book(bo__verify *v);
/* Report a problem: the table, the record ("entry 42 line 2") and what is
 * wrong, and the audit record it concerns (0: none). Returns 0, or
 * BO_ITEROVER when the caller should stop (enough findings). Messages name
 * tables, keys and columns, never values. */
int bo__verify_found(bo__verify *v, int64_t seq, const char *table,
                     const char *record, const char *fmt, ...) BO__PRINTF(5, 6);

/* A statement read in chunks of rows ordered by a key: the first chunk runs
 * `first`, each next one runs `next` with the last row's key columns bound
 * (the first nkey columns of every row; types "i"/"t" in keytypes), so no
 * statement stays open over a whole table (PostgreSQL reads a statement's
 * rows ahead when another one runs). Rows are read through bo__vstream_*. */
typedef struct bo__vstream {
    bo__store *store;
    const char *first, *next;
    const char *keytypes;
    int nkey;
    int64_t bind_int;    /* a leading parameter bound before the key (kind) */
    const char *bind_text;
    int nbind;           /* 0, or 1 leading parameter (bind_int or bind_text) */
    bo__stmt *s;
    int rows;            /* rows read from the current chunk */
    int eof;
    /* the last row's key, to start the next chunk after it */
    int64_t kint[4];
    char *ktext[4];
} bo__vstream;
#define BO__VCHUNK 512
/* Open (nothing is read until the first bo__vstream_next). */
void bo__vstream_init(bo__vstream *st, bo__store *store, const char *first,
                      const char *next, const char *keytypes);
/* BO_DRIVER_ROW with a row ready in st->s, BO_DRIVER_DONE at the end, or a
 * negative error. */
int bo__vstream_next(bo__vstream *st);
void bo__vstream_close(bo__vstream *st);

/* Parse one field of a canonical form (bo__buf_field/_int) at *p (end at
 * end): *kind 't' text (s, len), 'n' NULL, 'i' integer (v). 0, or -1 when
 * the text is not a field. */
int bo__field_next(const char **p, const char *end, int *kind,
                   const char **s, size_t *len, int64_t *v);

/* The value of text field `name` in an audit record's extra (name, value
 * pairs), or NULL. */
const char *bo__verify_extra(const char *extra, const char *name, size_t *len);

/* ---- the engine, for the core ------------------------------------------- */

/* Record what a new audit record changes (its action and object). */
int bo__verify_touch_action(bo_book *b, const char *action, const char *object);
/* Record a given state for a text-keyed record instead of its state at
 * the commit: for a migration that moves rows (src/core/settings.c), the
 * state recorded before the move when the rows no longer match it. */
int bo__audit_touch_state(bo_book *b, const char *kind, const char *name,
                          const char *digest);
/* A record's state captured from the rows its writer wrote, instead of
 * read back at the commit (docs/architecture.md, "States captured at the
 * write"). For a record the transaction made, whose every row the writer
 * writes: bo__vcap_begin, then each row of each part (in the part's order,
 * its state columns in the registry's order: fmt letters 'i' an integer,
 * 'I' an integer or NULL for 0, 't' a text or NULL), then bo__vcap_end,
 * which touches the record with the digest the full verification computes
 * from those rows. A part given no row has none. Only on SQLite (elsewhere
 * begin captures nothing and end touches the record as bo__audit_touch).
 * A later touch of the record without a capture, or the rollback of a
 * savepoint, drops the capture: the state is read back at the commit. */
typedef struct bo__vcap {
    const void *kind; /* the registry's kind; NULL: nothing captured */
    const char *name; /* the kind's name */
    int64_t id;
    int nparts;
    int rows[8];
    bo__sha h[8];
} bo__vcap;
void bo__vcap_begin(bo_book *b, bo__vcap *c, const char *kind, int64_t id);
/* One row of the part over table: its state columns by fmt (letters as
 * bo__stmt_bind's 'i', 'I', 't', and '?' before one: a flag, NULL when 0). */
#define bo__vcap_row(c, table, ...) bo__vcap_row_((c), (table), BO__FMT(__VA_ARGS__))
int bo__vcap_row_(bo__vcap *c, const char *table, const char *fmt, int nargs, ...);
/* Touch the record with its captured state (or without one). */
int bo__vcap_end(bo_book *b, bo__vcap *c);
/* A savepoint was undone: the states captured are read back instead. */
void bo__verify_uncapture(bo_book *b);
/* Before the outermost commit: store the states of every record the
 * transaction touched and bind them to the chain. */
int bo__verify_flush(bo_book *b);
/* Forget the touched records (the transaction ended). */
void bo__verify_forget(bo_book *b);
/* Release what the book keeps for them (the book is freed). */
void bo__verify_free(bo_book *b);
/* After a migration from a version before BO__SCHEMA_AUDIT_STATES: record
 * the state of every record as found, in one audit record "audit.upgrade". */
int bo__verify_backfill(bo_book *b, int from_version);
/* After a migration from BO__SCHEMA_AUDIT_STATES on: the book's own keys
 * changed (schema_version); record their state when they were as recorded
 * before the upgrade, else carry the recorded state over. */
int bo__verify_carry_book(bo_book *b, int from_version);

#endif
