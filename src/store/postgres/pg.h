/*
 * The PostgreSQL driver's insides, shared by its two files: pg_conn.c
 * (connection, transactions, error mapping) and pg_stmt.c (statements,
 * placeholders, streamed results).
 *
 * One libpq connection can run one query at a time. Every statement streams
 * its rows (single-row mode), so a big listing never sits in memory; when
 * anything else needs the connection while a statement is still streaming,
 * that statement's remaining rows are read into its own queue first
 * ("spilled") and it goes on serving them from there.
 */
#ifndef BO_STORE_POSTGRES_PG_H
#define BO_STORE_POSTGRES_PG_H

#include "store/store.h"

#include <libpq-fe.h>

struct bo_driver_conn {
    PGconn *pg;
    char *conninfo;      /* what it was opened with: a lost connection is
                            made again from it (a new PGconn: nothing of
                            the old one's pipeline or messages survives) */
    int broken;          /* libpq failed where the server never answered
                            (the connection closed under a pipeline), or
                            pipeline mode could not be left: the
                            connection counts as lost (bo__pg_lost) even
                            while PQstatus still says CONNECTION_OK */
    unsigned gen;        /* bumped by every reconnection: prepared
                            statements of an older generation are gone */
    uint64_t next_name;  /* for prepared statement names */
    struct bo_driver_stmt *active; /* the statement whose rows are streaming */
    int in_tx;           /* a transaction block is open, as far as we know */
    int64_t changes;
    int sync;            /* bo_sync of the settings */
    int lock_timeout_ms;
    char *stale;         /* "DEALLOCATE a;DEALLOCATE b;..." not yet sent */
    size_t stale_len, stale_cap;
    int nstale;
    int lane;            /* audit lane this session holds (advisory lock),
                            -1: none yet */
    int conflicts;       /* serialization failures and deadlocks since the
                            last commit: from BO__PG_LANE_TRIES of them on,
                            the next write runs alone */
    uint64_t lone_retries; /* write transactions that ran alone because of
                            such conflicts (bo__pg_lone_retries) */
    int lane_tries;      /* BO__PG_LANE_TRIES, or BO_PG_LANE_TRIES=N (1..9)
                            for measuring; 1 runs every retry alone */
    int alone;           /* the open write transaction runs alone */
    int snapshot;        /* ... runs on a lane at REPEATABLE READ (a ledger
                            posting, begin's write 3): a unique violation
                            is a conflict with a writer beside it */
    int64_t seq_ahead;   /* the number of its first audit record, drawn by
                            its BEGIN (write 3); 0 once used or none */
    int lanes_on;        /* writers side by side (BO_PG_LANES=1), else
                            they take turns as before version 14 */
    unsigned mode_gen;   /* gen + 1 once this session holds its mode's
                            lock on the book (take_mode, pg_conn.c) */
    unsigned seq_gen;    /* gen + 1 once the sequence statement is prepared */
    unsigned seq_synced; /* gen + 1 once the sequence was checked against
                            the records (in a transaction that ran alone) */
    uint64_t trips;      /* round trips to the server so far */
    int pipe;            /* writes sent in pipeline mode whose answers are
                            not read yet (see bo__pg_flush) */
    int pipe_sync;       /* the streaming statement was sent in the
                            pipeline: its sync follows its rows */
    int pipeline_on;     /* writes may be sent ahead (BO_PG_PIPELINE=0
                            turns it off: one round trip per statement) */
    int piping;          /* the open transaction sends writes ahead: a
                            write transaction that runs alone, or one at
                            REPEATABLE READ on a lane (no SERIALIZABLE
                            order can depend on when the server runs
                            them) */
    int pend;            /* an error of such a write, found where it could
                            not be returned (changes): the next command's */
    char pend_msg[1024];
    char msg[1024];
};

/* Statement states. */
enum { BO__PG_IDLE, BO__PG_STREAMING, BO__PG_FINISHED };

struct bo_driver_stmt {
    struct bo_driver_conn *conn;
    char *sql;           /* with $n placeholders */
    int nparams;
    char **values;       /* parameter text; NULL binds NULL */
    char name[32];
    unsigned gen;        /* connection generation it was prepared in */
    int state;
    int reads;           /* a SELECT: may run again after a reconnection */
    int later;           /* a write whose answer nobody reads: inside a
                            transaction it is sent in pipeline mode */
    int undo;            /* ROLLBACK TO SAVEPOINT: what was sent before it
                            and failed is undone with it */
    int fresh;           /* started outside a transaction, no row yet */
    PGresult *row;       /* the current row */
    PGresult **queue;    /* spilled rows not yet stepped to */
    size_t qhead, qlen, qcap;
    int final;           /* BO_DRIVER_DONE or the error it finished with */
    char *final_msg;     /* that error's message */
};

/* pg_conn.c */
int bo__pg_fail(struct bo_driver_conn *c, int code, const char *fmt, ...)
    BO__PRINTF(3, 4);
/* Map a failed result (or NULL) to a bo_ code and message. */
int bo__pg_result_error(struct bo_driver_conn *c, const PGresult *r,
                        const char *what);
/* Make the connection free for a new command: spill a streaming statement,
 * reconnect a lost connection when no transaction was open. */
int bo__pg_ready(struct bo_driver_conn *c);
/* Read the answers of the writes sent in pipeline mode and leave it:
 * one round trip. Returns the first write's error (its own code and
 * message), 0 when all succeeded. */
int bo__pg_flush(struct bo_driver_conn *c);
/* Read the answers of the writes sent in pipeline mode (after a sync was
 * sent); the first write's error, 0 when all succeeded. c->pipe is 0 after. */
int bo__pg_collect(struct bo_driver_conn *c);
/* Read the rest of a pipeline up to its sync and leave pipeline mode. */
void bo__pg_pipe_end(struct bo_driver_conn *c);
/* Read what the server says about the transaction block. */
void bo__pg_sync_tx(struct bo_driver_conn *c);
/* The connection is gone (libpq noticed), or broken (c->broken). */
int bo__pg_lost(const struct bo_driver_conn *c);

/* pg_stmt.c */
/* Rewrite `?` and `?NNN` placeholders (outside literals, quoted names and
 * comments) to `$n`; *nparams gets the highest number. NULL on OOM. */
char *bo__pg_rewrite(const char *sql, int *nparams);
/* Read the rest of a streaming statement's rows into its queue. */
void bo__pg_spill(struct bo_driver_stmt *s);
int bo__pg_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **out);
int bo__pg_bind_int64(bo_driver_stmt *s, int idx, int64_t v);
int bo__pg_bind_text(bo_driver_stmt *s, int idx, const char *t, size_t len);
int bo__pg_bind_null(bo_driver_stmt *s, int idx);
int bo__pg_bind_blob(bo_driver_stmt *s, int idx, const void *data, size_t len);
int bo__pg_column_blob(bo_driver_stmt *s, int col, void *buf, size_t cap,
                       size_t *len);
int bo__pg_step(bo_driver_stmt *s);
int bo__pg_reset(bo_driver_stmt *s);
void bo__pg_finalize(bo_driver_stmt *s);
int bo__pg_column_is_null(bo_driver_stmt *s, int col);
int64_t bo__pg_column_int64(bo_driver_stmt *s, int col);
const char *bo__pg_column_text(bo_driver_stmt *s, int col, size_t *len);
/* Parse a result's text as int64, exactly: an optional sign and digits
 * (a fraction is cut, as SQLite does), "t"/"f" for booleans. Returns 0, or
 * -1 when the value does not fit (then *out saturates). */
int bo__pg_parse_int64(const char *text, int64_t *out);

/* pg_copy.c: bo_driver.copy_rows, COPY ... FROM STDIN in text format. */
int bo__pg_copy_rows(bo_driver_conn *c, const char *table, const char *columns, int ncols,
                     size_t nrows, const char *const *values);

/* Round trips to the server so far (statements sent and answers waited
 * for; a pipeline's sync counts once). */
uint64_t bo__pg_round_trips(const bo_driver_conn *c);
/* Write transactions run alone after conflicts on their lane so far. */
uint64_t bo__pg_lone_retries(const bo_driver_conn *c);
/* Nonzero while this session holds one lane of the audit chain without a
 * break (changes with the lane and with every reconnection); 0 without a
 * lane. */
uint64_t bo__pg_lane_epoch(const bo_driver_conn *c);
/* bo__store_mode_epoch: the connection's generation + 1 while it holds its
 * mode's lock (take_mode), else 0. */
uint64_t bo__pg_mode_epoch(const bo_driver_conn *c);

/* Attempts of a write transaction on its lane after a serialization
 * failure or deadlock before it runs alone (docs/architecture.md, "Lanes
 * of the audit chain"). */
#define BO__PG_LANE_TRIES 6
/* The second keys of the session-level advisory locks that say which mode
 * a session writes the book in (the first key is the book's schema, as
 * for the lanes, 1 to 64): shared by every session of the mode, tried
 * exclusively, and let go at once, by a session of the other mode
 * (pg_conn.c, take_mode). */
#define BO__PG_MODE_TURNS 65
#define BO__PG_MODE_LANES 66
/* The number of those attempts the core makes (src/core/tx.c, 1 + 8). */
#define BO__PG_TRIES_MAX 9

/* pg_notify.c: LISTEN on channel (outside a transaction); wait until a
 * notification arrives (*woken 1) or timeout_ms pass (*woken 0). */
int bo__pg_listen(bo_driver_conn *c, const char *channel);
int bo__pg_wait(bo_driver_conn *c, int timeout_ms, int *woken);

#endif
