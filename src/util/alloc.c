/*
 * The allocator hook. Every allocation of the library goes through
 * bo__malloc & co; SQLite gets the same allocator through
 * SQLITE_CONFIG_MALLOC (it needs xSize, so each block handed to SQLite
 * carries its size in a 16-byte header).
 */
#include "util/util.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *c_malloc(void *ud, size_t n) { (void)ud; return malloc(n); }
static void *c_realloc(void *ud, void *p, size_t n) { (void)ud; return realloc(p, n); }
static void c_free(void *ud, void *p) { (void)ud; free(p); }

static bo_allocator current = { BO_ALLOCATOR_VERSION, c_malloc, c_realloc, c_free, NULL };
static atomic_int books_open;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int sqlite_ready;

void bo__books_opened(int delta)
{
    atomic_fetch_add(&books_open, delta);
}

void *bo__malloc(size_t size)
{
    void *p = current.malloc_fn(current.ud, size ? size : 1);
    if (!p)
        bo__error_set(BO_ENOMEM, "out of memory (%zu bytes)", size);
    return p;
}

void *bo__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        bo__error_set(BO_ENOMEM, "out of memory (%zu x %zu bytes)", n, size);
        return NULL;
    }
    void *p = bo__malloc(n * size);
    if (p)
        memset(p, 0, (n * size) != 0 ? n * size : 1);
    return p;
}

void *bo__realloc(void *ptr, size_t size)
{
    if (!ptr)
        return bo__malloc(size);
    void *p = current.realloc_fn(current.ud, ptr, size ? size : 1);
    if (!p)
        bo__error_set(BO_ENOMEM, "out of memory (%zu bytes)", size);
    return p;
}

int bo__grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c <= n) {
        if (c > SIZE_MAX / 2)
            return bo__error_set(BO_ENOMEM, "out of memory (an array of %zu)", n);
        c *= 2;
    }
    if (size && c > SIZE_MAX / size)
        return bo__error_set(BO_ENOMEM, "out of memory (an array of %zu)", c);
    void *q = bo__realloc(*p, c * size);
    if (!q)
        return BO_ENOMEM;
    memset((char *)q + *cap * size, 0, (c - *cap) * size);
    *p = q;
    *cap = c;
    return 0;
}

void bo__free(void *ptr)
{
    if (ptr)
        current.free_fn(current.ud, ptr);
}

char *bo__strndup(const char *s, size_t n)
{
    char *p = bo__malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *bo__strdup(const char *s)
{
    return s ? bo__strndup(s, strlen(s)) : NULL;
}

int bo__strdup_into(char **slot, const char *s)
{
    char *copy = NULL;
    if (s && !(copy = bo__strdup(s)))
        return BO_ENOMEM;
    bo__free(*slot);
    *slot = copy;
    return 0;
}

void bo_free(void *ptr)
{
    bo__free(ptr);
}

/* ---- SQLite's view of the allocator ------------------------------------ */

#define HDR 16 /* keeps SQLite's 8-byte alignment */

static void *sq_malloc(int n)
{
    unsigned char *p = current.malloc_fn(current.ud, (size_t)n + HDR);
    if (!p)
        return NULL;
    memcpy(p, &(size_t){ (size_t)n }, sizeof(size_t));
    return p + HDR;
}

static void sq_free(void *ptr)
{
    if (ptr)
        current.free_fn(current.ud, (unsigned char *)ptr - HDR);
}

static void *sq_realloc(void *ptr, int n)
{
    unsigned char *p = current.realloc_fn(current.ud, (unsigned char *)ptr - HDR,
                                          (size_t)n + HDR);
    if (!p)
        return NULL;
    memcpy(p, &(size_t){ (size_t)n }, sizeof(size_t));
    return p + HDR;
}

static int sq_size(void *ptr)
{
    size_t n;
    if (!ptr)
        return 0;
    memcpy(&n, (unsigned char *)ptr - HDR, sizeof n);
    return (int)n;
}

static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *ud) { (void)ud; return SQLITE_OK; }
static void sq_shutdown(void *ud) { (void)ud; }

static const sqlite3_mem_methods sq_methods = {
    sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, NULL
};

int bo__sqlite_init(void)
{
    int rc = 0;
    pthread_mutex_lock(&init_lock);
    if (!sqlite_ready) {
        /* Fails with SQLITE_MISUSE when the host initialised SQLite first:
         * then SQLite keeps its own allocator, as documented. */
        (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &sq_methods);
        /* Memory statistics cost a mutex and an xSize call per allocation. */
        (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        int src = sqlite3_initialize();
        if (src == SQLITE_NOMEM)
            rc = bo__error_set(BO_ENOMEM, "out of memory initialising SQLite");
        else if (src != SQLITE_OK)
            rc = bo__error_set(BO_ERROR, "sqlite3_initialize failed (%d)", src);
        else
            sqlite_ready = 1;
    }
    pthread_mutex_unlock(&init_lock);
    return rc;
}

int bo_set_allocator(const bo_allocator *allocator)
{
    bo__error_clear();
    if (allocator && (allocator->version != BO_ALLOCATOR_VERSION ||
                      !allocator->malloc_fn || !allocator->realloc_fn ||
                      !allocator->free_fn))
        return bo__error_set(BO_EINVAL, "allocator: version must be %d and "
                             "all three functions set", BO_ALLOCATOR_VERSION);
    pthread_mutex_lock(&init_lock);
    if (atomic_load(&books_open) > 0) {
        pthread_mutex_unlock(&init_lock);
        return bo__error_set(BO_ESTATE, "allocator: cannot change while %d "
                             "book(s) are open", atomic_load(&books_open));
    }
    if (sqlite_ready) {
        sqlite3_shutdown();
        sqlite_ready = 0;
    }
    if (allocator)
        current = *allocator;
    else
        current = (bo_allocator){ BO_ALLOCATOR_VERSION, c_malloc, c_realloc, c_free, NULL };
    pthread_mutex_unlock(&init_lock);
    return 0;
}
