/* A test SQLite VFS over the default "unix" one that can
 *   - fail the k-th open, read, write, sync or truncate with an I/O error
 *     (EIO-like) or SQLITE_FULL (ENOSPC-like), once or from then on;
 *   - keep, for every database, WAL and journal file, the content each
 *     sector had at its last successful sync, so that a "power loss" can
 *     drop the writes that were never synced, or tear them (keep a random
 *     subset, or a prefix in write order, of the unsynced sectors);
 *   - call a function at the n-th write, sync or truncate (a crash point).
 * Writes reach the real file at once (the process reads its own writes as
 * the kernel would show them); only fv_power_loss() rewinds them. Directory
 * entries are taken as durable at once: a file created is never lost.
 * Registered as the default VFS, so a library that opens files through
 * SQLite's default VFS uses it without knowing. One process, one thread.
 * For debugging: FV_TRACE=1 in the environment prints every operation,
 * FV_DEBUG=1 where each crash point fell. */
#ifndef BO_FAULTVFS_H
#define BO_FAULTVFS_H

#include <stdint.h>

typedef enum fv_kind {
    FV_OPEN, FV_READ, FV_WRITE, FV_SYNC, FV_TRUNCATE, FV_NKIND
} fv_kind;

typedef enum fv_errno {
    FV_EIO,   /* SQLITE_IOERR_<kind> (SQLITE_CANTOPEN for an open) */
    FV_ENOSPC /* SQLITE_FULL */
} fv_errno;

typedef enum fv_loss {
    FV_KEEP,   /* every write reached the disk (a process crash) */
    FV_DROP,   /* no unsynced write reached the disk */
    FV_TEAR,   /* a random subset of the unsynced sectors did */
    FV_PREFIX  /* the unsynced sectors up to a random point, in write order */
} fv_loss;

/* Register the shim over "unix" as the default VFS. 0 or an SQLite code. */
int fv_register(void);
/* Call the real fsync on sync (default 1). Off, durability is only modelled:
 * much faster, and enough for a simulated power loss. */
void fv_real_sync(int on);

/* Operations of each kind seen since the last fv_reset(). */
long fv_count(fv_kind kind);
/* Faults injected since the last fv_reset(). */
long fv_injected(void);
/* Zero the counters, disarm faults and crash points. Tracking is kept. */
void fv_reset(void);

/* Fail the k-th (1-based, counted from now) operation of @p kind with
 * @p err; with @p persistent, every later one of that kind too. */
void fv_arm(fv_kind kind, long k, fv_errno err, int persistent);
void fv_disarm(void);

/* Call @p fn(@p ud) just before the n-th (1-based, from now) write, sync or
 * truncate. When that event is a write and @p torn_write is set, a random
 * prefix of it is written first. fn normally calls fv_power_loss() and
 * _exit()s. n <= 0 removes the crash point. */
void fv_crash_at(long n, int torn_write, void (*fn)(void *ud), void *ud);
/* Writes, syncs and truncates seen since the last fv_reset(). */
long fv_events(void);

/* Rewind every tracked file to what a power loss of kind @p loss leaves
 * on disk (random choices from @p seed); forget the unsynced state.
 * Returns how many unsynced sectors were dropped, or -1 on an error. */
long fv_power_loss(fv_loss loss, uint64_t seed);
/* Forget every tracked file (after the files were removed, say). */
void fv_forget(void);

#endif
