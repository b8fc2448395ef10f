/*
 * The carriers' tracking APIs (include/backoffice/sys/plugin.h): a registry
 * of function tables, filled by the program or by plugins, read by
 * bo_inventory_shipment_poll(). Tables are referenced, never freed, like
 * the storage drivers of src/store/registry.c.
 */
#include "util/util.h"
#include "backoffice/sys/plugin.h"

#include <pthread.h>
#include <string.h>

#define MAX_CARRIERS 32

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const bo_carrier *carriers[MAX_CARRIERS];
static int ncarriers;

static const bo_carrier *find_locked(const char *name)
{
    for (int i = 0; i < ncarriers; i++)
        if (strcmp(carriers[i]->name, name) == 0)
            return carriers[i];
    return NULL;
}

int bo_carrier_register(const bo_carrier *c)
{
    bo__error_clear();
    if (!c || !c->name || !c->name[0] || !c->fetch)
        return bo__error_set(BO_EINVAL, "carrier: missing, or without name or fetch");
    if (c->version < 1 || c->version > BO_CARRIER_VERSION)
        return bo__error_set(BO_EINVAL, "carrier '%s': version %u, this library knows 1..%d",
                             c->name, c->version, BO_CARRIER_VERSION);
    int rc;
    if ((rc = bo__name_check("carrier", c->name, BO_CODE_MAX)))
        return rc;
    pthread_mutex_lock(&lock);
    if (find_locked(c->name))
        rc = bo__error_set(BO_EEXISTS, "carrier: '%s' is registered already", c->name);
    else if (ncarriers == MAX_CARRIERS)
        rc = bo__error_set(BO_ELIMIT, "carrier: at most %d carriers", MAX_CARRIERS);
    else
        carriers[ncarriers++] = c;
    pthread_mutex_unlock(&lock);
    return rc;
}

const bo_carrier *bo_carrier_find(const char *name)
{
    if (!name)
        return NULL;
    pthread_mutex_lock(&lock);
    const bo_carrier *c = find_locked(name);
    pthread_mutex_unlock(&lock);
    return c;
}
