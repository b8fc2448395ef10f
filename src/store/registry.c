/* URI scheme -> driver. Built-in drivers first, then registered ones. */
#include "store/store.h"

#include <pthread.h>
#include <string.h>

extern const bo_driver bo__sqlite_driver;
extern const bo_driver bo__pg_driver;

#define MAX_DRIVERS 32

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const bo_driver *drivers[MAX_DRIVERS] = { &bo__sqlite_driver, &bo__pg_driver };
static int ndrivers = 2;

static const bo_driver *find_locked(const char *scheme, size_t len)
{
    for (int i = 0; i < ndrivers; i++)
        if (strlen(drivers[i]->scheme) == len &&
            memcmp(drivers[i]->scheme, scheme, len) == 0)
            return drivers[i];
    return NULL;
}

const bo_driver *bo__registry_find(const char *scheme, size_t len)
{
    pthread_mutex_lock(&lock);
    const bo_driver *d = find_locked(scheme, len);
    pthread_mutex_unlock(&lock);
    return d;
}

int bo_driver_register(const bo_driver *d)
{
    bo__error_clear();
    if (!d || !d->scheme || !d->scheme[0])
        return bo__error_set(BO_EINVAL, "driver: missing or without scheme");
    if (d->version < 1 || d->version > BO_DRIVER_VERSION)
        return bo__error_set(BO_EINVAL, "driver '%s': version %u, this "
                             "library knows 1..%d", d->scheme, d->version,
                             BO_DRIVER_VERSION);
    if (!d->open || !d->close || !d->errmsg || !d->exec || !d->begin ||
        !d->commit || !d->rollback || !d->prepare || !d->bind_int64 ||
        !d->bind_text || !d->bind_null || !d->step || !d->reset ||
        !d->finalize || !d->column_is_null || !d->column_int64 ||
        !d->column_text || !d->changes || !d->sql_id_primary_key ||
        !d->sql_blob || !d->sql_clustered)
        return bo__error_set(BO_EINVAL, "driver '%s': a required member is "
                             "NULL", d->scheme);
    for (const char *p = d->scheme; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              *p == '+' || *p == '-' || *p == '.'))
            return bo__error_set(BO_EINVAL, "driver: scheme '%s' must be "
                                 "lower-case letters, digits, + - .", d->scheme);
    int rc = 0;
    pthread_mutex_lock(&lock);
    if (find_locked(d->scheme, strlen(d->scheme)))
        rc = bo__error_set(BO_EEXISTS, "driver: scheme '%s' is taken", d->scheme);
    else if (ndrivers == MAX_DRIVERS)
        rc = bo__error_set(BO_ELIMIT, "driver: at most %d drivers", MAX_DRIVERS);
    else
        drivers[ndrivers++] = d;
    pthread_mutex_unlock(&lock);
    return rc;
}

const bo_driver *bo_driver_find(const char *scheme)
{
    bo__error_clear();
    if (!scheme)
        return NULL;
    return bo__registry_find(scheme, strlen(scheme));
}
