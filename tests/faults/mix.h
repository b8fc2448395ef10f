/* A mixed stream of book operations, written by a child process that tells
 * its parent through a pipe what it tried and what the library
 * acknowledged; and the parent's model of the book, checked after the child
 * died (killed, crashed with a simulated power loss, or finished under
 * injected I/O errors):
 *   - PRAGMA integrity_check is "ok";
 *   - every acknowledged commit is present (entries with the acknowledged
 *     id, reversals, accounts, closes, periods, grants, the book's name);
 *   - nothing is present that was never tried, nothing twice;
 *   - every entry balances per currency and is exactly what its key says
 *     (a reversal exactly the opposite of the entry it reverses);
 *   - a multi-entry transaction is all or nothing: its posts that the
 *     library accepted are all present or all absent, and present only if
 *     the commit was at least attempted;
 *   - the trial balance is zero per currency and every account's balance
 *     is the sum of the entries found;
 *   - the audit chain verifies.
 * Only the public API is used (and raw SQLite, read-only, for the
 * integrity check). MIX_TRACE=1 in the environment prints every report the
 * child sends. */
#ifndef BO_FAULTS_MIX_H
#define BO_FAULTS_MIX_H

#include <stdint.h>
#include <stdio.h>

#include "stress_util.h"

/* Operations of the stream. */
typedef enum mix_op {
    MX_POST = 1,     /* one entry, key k<n> */
    MX_GROUP,        /* begin; 2-4 posts with a read between; commit */
    MX_GROUP_NAIVE,  /* the same, a host that commits even after a failure */
    MX_REVERSE,      /* post k<n>, then reverse it with key r<n> */
    MX_ACCOUNT,      /* add account X<n>, then close it */
    MX_PERIOD,       /* add period P<n> (one day in 2040+), then close it */
    MX_ROLE,         /* define role role<n>, grant it to act<n> */
    MX_NAME,         /* set the book's name to "name <n>" */
    MX_READ,         /* a balance and a trial balance, outside transactions */
    MX_REOPEN,       /* close the book and open it again */
    MX_NOPS
} mix_op;

/* What the child runs. */
typedef struct mix_cfg {
    char path[4096];   /* the book's file */
    uint64_t seed;     /* entry k<n> is st_entry_gen(seed, n) */
    int sync;          /* BO_SYNC_* */
    const mix_op *script; /* ops to run in order, or NULL: random, forever */
    int nscript;
    int replays;       /* how many acknowledged keys to replay per round */
    /* Run in the child after a script ended (the book is closed), before
     * it exits: e.g. a simulated power loss. May be NULL. */
    void (*child_end)(void *ud);
    /* Run in the child once the book is created and its chart complete
     * (the first open succeeded), before the script: e.g. to count the
     * operations that creating the book took. May be NULL. */
    void (*child_created)(void);
} mix_cfg;

/* ---- child side ------------------------------------------------------------- */

/* Everything a round's child needs from the parent: the keys it must retry
 * (tried, never acknowledged) and a few acknowledged ones to replay. */
typedef struct mix_plan {
    int iter;                /* round number: key numbers iter * MIX_SPAN + j */
    const int64_t *retry;
    size_t nretry;
    const int64_t *replay;
    size_t nreplay;
} mix_plan;

#define MIX_SPAN 1000000LL

/* Run a round in the calling (child) process: open (create) the book,
 * complete the chart, retry and replay keys, then the script or random ops,
 * reporting to @p fd. Failures are reported, never fatal: the child goes on
 * like a host that logs an error and carries on. Returns when the script is
 * done (never for random ops: the parent or a crash point ends it). */
void mix_child(const mix_cfg *cfg, const mix_plan *plan, int fd);

/* ---- parent side ------------------------------------------------------------- */

typedef struct mix_model mix_model;

mix_model *mix_model_new(const mix_cfg *cfg);
void mix_model_free(mix_model *m);

/* Statistics. */
typedef struct mix_stats {
    long rounds, acked_commits, acked_entries, entries_found;
    long lost, unbalanced, broken_groups, failures;
    long replays, failed_calls, unacked_durable;
    long refused_estate;  /* calls refused because the transaction failed */
    long groups_checked, op_acked[MX_NOPS];
} mix_stats;
const mix_stats *mix_model_stats(const mix_model *m);
/* Count failures without printing them (for a control run that must fail). */
void mix_model_quiet(mix_model *m, int quiet);

/* Fork a child that runs mix_child() for round @p iter (retrying what is
 * pending), read its reports until it ends. With @p kill_after_us >= 0 the
 * child is killed with SIGKILL that long after it reported the book open
 * (or after the fork when @p from_fork). @p setup, when set, runs in the
 * child first (to register a VFS, say). Returns the child's wait status,
 * or -1 when fork or pipe failed. */
int mix_round(mix_model *m, const mix_cfg *cfg, int iter, long kill_after_us,
              int from_fork, void (*setup)(void *ud), void *ud);

/* Check the book against the model (see the top of this file); print each
 * failure to stderr prefixed with @p what. Returns the number of failures
 * found (also added to the statistics). */
long mix_verify(mix_model *m, const char *what);

/* PRAGMA integrity_check on @p path through raw SQLite, read-only: 1 ok,
 * 0 not ok (printed to stderr), -1 no file. */
int mix_integrity(const char *path);

#endif
