/* The fault-injecting, power-loss-modelling SQLite VFS (see faultvfs.h). */
#include "faultvfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Tearing granularity: smaller than the 4 KiB SQLite assumes, on purpose. */
#define SECTOR 512

/* ---- tracked files -------------------------------------------------------
 * For each file, the sectors written (or cut by a truncate) since its last
 * successful sync, each with its content at that sync (its pre-image). */
typedef struct fv_sector {
    int64_t index;   /* sector number */
    uint64_t order;  /* when it was first dirtied, for FV_PREFIX */
    unsigned char pre[SECTOR]; /* zero beyond the synced end of file */
} fv_sector;

typedef struct fv_track {
    char *path;
    int64_t durable_size;
    fv_sector *dirty;
    size_t n, cap;
    size_t *slots;   /* open addressing: position + 1, 0 = empty */
    size_t nslots;
    struct fv_track *next;
} fv_track;

static fv_track *tracks;
static uint64_t dirty_order;

static void die(const char *what)
{
    fprintf(stderr, "faultvfs: %s\n", what);
    abort();
}

static size_t hash_index(int64_t i, size_t nslots)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15ULL;
    return (size_t)(x >> 17) & (nslots - 1);
}

static fv_sector *find_dirty(fv_track *t, int64_t index)
{
    if (!t->nslots)
        return NULL;
    for (size_t h = hash_index(index, t->nslots);; h = (h + 1) & (t->nslots - 1)) {
        size_t p = t->slots[h];
        if (!p)
            return NULL;
        if (t->dirty[p - 1].index == index)
            return &t->dirty[p - 1];
    }
}

static void rehash(fv_track *t, size_t nslots)
{
    free(t->slots);
    t->slots = calloc(nslots, sizeof *t->slots);
    if (!t->slots)
        die("out of memory");
    t->nslots = nslots;
    for (size_t i = 0; i < t->n; i++) {
        size_t h = hash_index(t->dirty[i].index, nslots);
        while (t->slots[h])
            h = (h + 1) & (nslots - 1);
        t->slots[h] = i + 1;
    }
}

static fv_sector *add_dirty(fv_track *t, int64_t index)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->dirty = realloc(t->dirty, t->cap * sizeof *t->dirty);
        if (!t->dirty)
            die("out of memory");
    }
    fv_sector *s = &t->dirty[t->n++];
    memset(s, 0, sizeof *s);
    s->index = index;
    s->order = dirty_order++;
    if ((t->n + 1) * 2 > t->nslots)
        rehash(t, t->nslots ? t->nslots * 2 : 256);
    else {
        size_t h = hash_index(index, t->nslots);
        while (t->slots[h])
            h = (h + 1) & (t->nslots - 1);
        t->slots[h] = t->n;
    }
    return s;
}

static void clear_dirty(fv_track *t)
{
    t->n = 0;
    if (t->slots)
        memset(t->slots, 0, t->nslots * sizeof *t->slots);
}

static fv_track *track_get(const char *path)
{
    for (fv_track *t = tracks; t; t = t->next)
        if (strcmp(t->path, path) == 0)
            return t;
    return NULL;
}

static fv_track *track_new(const char *path, int64_t size)
{
    fv_track *t = calloc(1, sizeof *t);
    if (!t || !(t->path = strdup(path)))
        die("out of memory");
    t->durable_size = size;
    t->next = tracks;
    tracks = t;
    return t;
}

static void track_free(fv_track *t)
{
    free(t->path);
    free(t->dirty);
    free(t->slots);
    free(t);
}

static void track_drop(const char *path)
{
    for (fv_track **pp = &tracks; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->path, path) == 0) {
            fv_track *t = *pp;
            *pp = t->next;
            track_free(t);
            return;
        }
    }
}

void fv_forget(void)
{
    while (tracks) {
        fv_track *t = tracks;
        tracks = t->next;
        track_free(t);
    }
}

/* ---- counters, faults, crash point ---------------------------------------- */
static long counts[FV_NKIND], injected, events;
static int armed, arm_persistent;
static fv_kind arm_kind;
static fv_errno arm_err;
static long arm_at; /* absolute count of arm_kind that fails first */
static long crash_event;
static int crash_torn;
static void (*crash_fn)(void *);
static void *crash_ud;
static int real_sync = 1;
static uint64_t rng_state = 0x243F6A8885A308D3ULL;

static uint64_t rng_next(void)
{
    uint64_t x = (rng_state += 0x9E3779B97F4A7C15ULL);
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

long fv_count(fv_kind kind) { return counts[kind]; }
long fv_injected(void) { return injected; }
long fv_events(void) { return events; }
void fv_real_sync(int on) { real_sync = on; }

void fv_reset(void)
{
    memset(counts, 0, sizeof counts);
    injected = events = 0;
    armed = 0;
    crash_event = 0;
    crash_fn = NULL;
}

void fv_arm(fv_kind kind, long k, fv_errno err, int persistent)
{
    armed = 1;
    arm_kind = kind;
    arm_at = counts[kind] + k;
    arm_err = err;
    arm_persistent = persistent;
}

void fv_disarm(void)
{
    armed = 0;
}

void fv_crash_at(long n, int torn_write, void (*fn)(void *ud), void *ud)
{
    crash_event = n > 0 ? events + n : 0;
    crash_torn = torn_write;
    crash_fn = fn;
    crash_ud = ud;
}

static int error_code(fv_kind kind)
{
    if (arm_err == FV_ENOSPC)
        return SQLITE_FULL;
    switch (kind) {
    case FV_OPEN: return SQLITE_CANTOPEN;
    case FV_READ: return SQLITE_IOERR_READ;
    case FV_WRITE: return SQLITE_IOERR_WRITE;
    case FV_SYNC: return SQLITE_IOERR_FSYNC;
    default: return SQLITE_IOERR_TRUNCATE;
    }
}

/* FV_TRACE=1 in the environment prints every operation to stderr. */
static int trace = -1;

/* Count one operation; the SQLite code to fail it with, or 0. */
static int fault_on(fv_kind kind, const char *path, int64_t off, int amt)
{
    static const char *const names[] = { "open", "read", "write", "sync", "truncate" };
    long n = ++counts[kind];
    int rc = 0;
    if (armed && kind == arm_kind && (n == arm_at || (arm_persistent && n > arm_at))) {
        injected++;
        rc = error_code(kind);
    }
    if (trace < 0)
        trace = getenv("FV_TRACE") != NULL;
    if (trace) {
        const char *base = path ? strrchr(path, '/') : NULL;
        fprintf(stderr, "fv: %s #%ld %s off %lld len %d%s\n", names[kind], n,
                base ? base + 1 : path ? path : "?", (long long)off, amt,
                rc ? " -> FAIL" : "");
    }
    return rc;
}

/* ---- the file --------------------------------------------------------------- */
typedef struct fv_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same block */
    fv_track *track;    /* NULL for files that are not tracked */
    const char *path;   /* SQLite keeps the name alive while the file is open */
} fv_file;

static sqlite3_vfs *real_vfs;

#define REAL(f) (((fv_file *)(f))->real)
#define RM(f) (REAL(f)->pMethods)

/* Remember the synced content of the sectors [first, last] before they
 * change. */
static int save_preimages(fv_file *f, int64_t first, int64_t last)
{
    fv_track *t = f->track;
    sqlite3_int64 size = 0;
    int rc = RM(f)->xFileSize(REAL(f), &size);
    if (rc != SQLITE_OK)
        return rc;
    for (int64_t i = first; i <= last; i++) {
        if (find_dirty(t, i))
            continue;
        fv_sector *s = add_dirty(t, i);
        int64_t off = i * SECTOR;
        if (off < size) {
            int len = size - off < SECTOR ? (int)(size - off) : SECTOR;
            rc = RM(f)->xRead(REAL(f), s->pre, len, off);
            if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
                return rc;
        }
    }
    return SQLITE_OK;
}

static int tracked_write(fv_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    if (f->track && amt > 0) {
        int rc = save_preimages(f, off / SECTOR, (off + amt - 1) / SECTOR);
        if (rc != SQLITE_OK)
            return rc;
    }
    return RM(f)->xWrite(REAL(f), buf, amt, off);
}

/* A write, sync or truncate is about to happen: the crash point? */
static void event(fv_file *f, const void *buf, int amt, sqlite3_int64 off)
{
    events++;
    if (!crash_event || events != crash_event || !crash_fn)
        return;
    if (getenv("FV_DEBUG"))
        fprintf(stderr, "crash at %s of %s\n", buf ? "a write" : "a sync or truncate",
                f->path ? f->path : "?");
    if (buf && crash_torn && amt > 1) {
        int part = (int)(rng_next() % (uint64_t)amt);
        if (part > 0)
            tracked_write(f, buf, part, off);
    }
    crash_fn(crash_ud);
}

static int fv_close(sqlite3_file *pf)
{
    int rc = RM(pf)->xClose(REAL(pf));
    pf->pMethods = NULL;
    return rc;
}

static int fv_read(sqlite3_file *pf, void *buf, int amt, sqlite3_int64 off)
{
    int rc = fault_on(FV_READ, ((fv_file *)pf)->path, off, amt);
    if (rc)
        return rc;
    return RM(pf)->xRead(REAL(pf), buf, amt, off);
}

static int fv_write(sqlite3_file *pf, const void *buf, int amt, sqlite3_int64 off)
{
    fv_file *f = (fv_file *)pf;
    event(f, buf, amt, off);
    int rc = fault_on(FV_WRITE, f->path, off, amt);
    if (rc) {
        /* A failing write may still have written part of the buffer. */
        if (amt > 1)
            tracked_write(f, buf, amt / 2, off);
        return rc;
    }
    return tracked_write(f, buf, amt, off);
}

static int fv_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
    fv_file *f = (fv_file *)pf;
    event(f, NULL, 0, 0);
    int rc = fault_on(FV_TRUNCATE, f->path, size, 0);
    if (rc)
        return rc;
    if (f->track) {
        sqlite3_int64 cur = 0;
        if ((rc = RM(f)->xFileSize(REAL(f), &cur)) != SQLITE_OK)
            return rc;
        if (cur > size && (rc = save_preimages(f, size / SECTOR, (cur - 1) / SECTOR)))
            return rc;
    }
    return RM(f)->xTruncate(REAL(f), size);
}

static int fv_sync(sqlite3_file *pf, int flags)
{
    fv_file *f = (fv_file *)pf;
    event(f, NULL, 0, 0);
    int rc = fault_on(FV_SYNC, f->path, 0, 0);
    if (rc)
        return rc; /* the unsynced sectors stay unsynced */
    if (real_sync && (rc = RM(f)->xSync(REAL(f), flags)) != SQLITE_OK)
        return rc;
    if (f->track) {
        sqlite3_int64 size = 0;
        if ((rc = RM(f)->xFileSize(REAL(f), &size)) != SQLITE_OK)
            return rc;
        f->track->durable_size = size;
        clear_dirty(f->track);
    }
    return SQLITE_OK;
}

static int fv_file_size(sqlite3_file *pf, sqlite3_int64 *size)
{
    return RM(pf)->xFileSize(REAL(pf), size);
}

static int fv_lock(sqlite3_file *pf, int lock) { return RM(pf)->xLock(REAL(pf), lock); }
static int fv_unlock(sqlite3_file *pf, int lock) { return RM(pf)->xUnlock(REAL(pf), lock); }

static int fv_check_reserved(sqlite3_file *pf, int *out)
{
    return RM(pf)->xCheckReservedLock(REAL(pf), out);
}

static int fv_file_control(sqlite3_file *pf, int op, void *arg)
{
    return RM(pf)->xFileControl(REAL(pf), op, arg);
}

static int fv_sector_size(sqlite3_file *pf) { return RM(pf)->xSectorSize(REAL(pf)); }

static int fv_device(sqlite3_file *pf)
{
    return RM(pf)->xDeviceCharacteristics(REAL(pf));
}

static int fv_shm_map(sqlite3_file *pf, int pg, int sz, int extend, void volatile **pp)
{
    return RM(pf)->xShmMap(REAL(pf), pg, sz, extend, pp);
}

static int fv_shm_lock(sqlite3_file *pf, int offset, int n, int flags)
{
    return RM(pf)->xShmLock(REAL(pf), offset, n, flags);
}

static void fv_shm_barrier(sqlite3_file *pf) { RM(pf)->xShmBarrier(REAL(pf)); }

static int fv_shm_unmap(sqlite3_file *pf, int del)
{
    return RM(pf)->xShmUnmap(REAL(pf), del);
}

static int fv_fetch(sqlite3_file *pf, sqlite3_int64 off, int amt, void **pp)
{
    (void)pf;
    *pp = NULL; /* no memory-mapped reads: every read goes through xRead */
    (void)off;
    (void)amt;
    return SQLITE_OK;
}

static int fv_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p)
{
    (void)pf;
    (void)off;
    (void)p;
    return SQLITE_OK;
}

static const sqlite3_io_methods fv_methods = {
    3, fv_close, fv_read, fv_write, fv_truncate, fv_sync, fv_file_size,
    fv_lock, fv_unlock, fv_check_reserved, fv_file_control, fv_sector_size,
    fv_device, fv_shm_map, fv_shm_lock, fv_shm_barrier, fv_shm_unmap,
    fv_fetch, fv_unfetch
};

/* ---- the VFS -------------------------------------------------------------- */
static int fv_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *pf,
                   int flags, int *out_flags)
{
    (void)vfs;
    fv_file *f = (fv_file *)pf;
    pf->pMethods = NULL;
    int rc = fault_on(FV_OPEN, name, 0, 0);
    if (rc)
        return rc;
    f->real = (sqlite3_file *)(f + 1);
    f->track = NULL;
    f->path = name;
    rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods)
            f->real->pMethods->xClose(f->real);
        return rc;
    }
    pf->pMethods = &fv_methods;
    int durable = SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_JOURNAL;
    if (name && (flags & durable)) {
        fv_track *t = track_get(name);
        if (!t) {
            sqlite3_int64 size = 0;
            f->real->pMethods->xFileSize(f->real, &size);
            t = track_new(name, size);
        }
        f->track = t;
    }
    return SQLITE_OK;
}

static int fv_delete(sqlite3_vfs *vfs, const char *name, int dir_sync)
{
    (void)vfs;
    track_drop(name);
    return real_vfs->xDelete(real_vfs, name, dir_sync);
}

static int fv_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int fv_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *fv_dlopen(sqlite3_vfs *vfs, const char *name)
{
    (void)vfs;
    return real_vfs->xDlOpen(real_vfs, name);
}

static void fv_dlerror(sqlite3_vfs *vfs, int n, char *msg)
{
    (void)vfs;
    real_vfs->xDlError(real_vfs, n, msg);
}

static void (*fv_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
    (void)vfs;
    return real_vfs->xDlSym(real_vfs, h, sym);
}

static void fv_dlclose(sqlite3_vfs *vfs, void *h)
{
    (void)vfs;
    real_vfs->xDlClose(real_vfs, h);
}

static int fv_randomness(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, n, out);
}

static int fv_sleep(sqlite3_vfs *vfs, int us)
{
    (void)vfs;
    return real_vfs->xSleep(real_vfs, us);
}

static int fv_current_time(sqlite3_vfs *vfs, double *out)
{
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int fv_last_error(sqlite3_vfs *vfs, int n, char *out)
{
    (void)vfs;
    return real_vfs->xGetLastError(real_vfs, n, out);
}

static int fv_current_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static sqlite3_vfs fv_vfs = {
    2, 0, 1024, NULL, "faults", NULL,
    fv_open, fv_delete, fv_access, fv_full_pathname, fv_dlopen, fv_dlerror,
    fv_dlsym, fv_dlclose, fv_randomness, fv_sleep, fv_current_time,
    fv_last_error, fv_current_time64, NULL, NULL, NULL
};

int fv_register(void)
{
    if (real_vfs)
        return SQLITE_OK;
    real_vfs = sqlite3_vfs_find("unix");
    if (!real_vfs)
        return SQLITE_ERROR;
    fv_vfs.szOsFile = (int)sizeof(fv_file) + real_vfs->szOsFile;
    fv_vfs.mxPathname = real_vfs->mxPathname;
    return sqlite3_vfs_register(&fv_vfs, 1);
}

/* ---- power loss --------------------------------------------------------------- */
static int by_order(const void *a, const void *b)
{
    const fv_sector *x = a, *y = b;
    return x->order < y->order ? -1 : x->order > y->order;
}

static long lose(fv_track *t, fv_loss loss)
{
    int fd = open(t->path, O_RDWR);
    if (fd < 0)
        return 0; /* deleted since: nothing of it survives */
    off_t cur = lseek(fd, 0, SEEK_END);
    long dropped = 0;
    if (cur < 0) {
        close(fd);
        return -1;
    }
    if (t->n > 1)
        qsort(t->dirty, t->n, sizeof *t->dirty, by_order);
    size_t cut = t->n ? (size_t)(rng_next() % (t->n + 1)) : 0;
    for (size_t i = 0; i < t->n; i++) {
        fv_sector *s = &t->dirty[i];
        int keep = loss == FV_KEEP ? 1
                 : loss == FV_DROP ? 0
                 : loss == FV_TEAR ? (int)(rng_next() & 1)
                 : i < cut;
        if (keep)
            continue;
        dropped++;
        if (pwrite(fd, s->pre, SECTOR, (off_t)s->index * SECTOR) != SECTOR) {
            close(fd);
            return -1;
        }
    }
    off_t size = cur;
    if (loss == FV_DROP || ((loss == FV_TEAR || loss == FV_PREFIX) && (rng_next() & 1)))
        size = (off_t)t->durable_size;
    if (ftruncate(fd, size) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    t->durable_size = size;
    clear_dirty(t);
    return dropped;
}

long fv_power_loss(fv_loss loss, uint64_t seed)
{
    rng_state = seed ^ 0x243F6A8885A308D3ULL;
    long dropped = 0;
    for (fv_track *t = tracks; t; t = t->next) {
        long d = lose(t, loss);
        if (d < 0)
            return -1;
        dropped += d;
    }
    return dropped;
}
