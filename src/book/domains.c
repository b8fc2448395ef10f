/*
 * The table of domains: each listed once, in the order their YAML sections
 * are applied and their tables copied (a domain's tables reference only
 * the core's and those of the domains before it). Adding a domain is its
 * folder and one line here (docs/architecture.md, "How to add a domain").
 */
#include "book/domains.h"
#include "ledger/ledger.h"
#include "commerce/commerce.h"
#include "inventory/inventory.h"
#include "billing/billing.h"
#include "payroll/payroll.h"
#include "documents/documents.h"
#include "people/people.h"
#include "approvals/approvals.h"
#include "sync/sync.h"
#include "book/provenance.h"
#include "inventory/inventory.h"

#include <pthread.h>

static const bo__domain *const builtin[] = {
    &bo__domain_ledger,    &bo__domain_commerce, &bo__domain_inventory,
    &bo__domain_billing,   &bo__domain_payroll,  &bo__domain_documents,
    &bo__domain_people,
    &bo__domain_approvals,
    &bo__domain_sync,
    &bo__domain_provenance,
};
#define NBUILTIN ((int)(sizeof builtin / sizeof builtin[0]))
#define EXTRA_MAX 4

static const bo__domain *extra[EXTRA_MAX];
static int nextra;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_rc; /* what registering the table answered */
static bo__error_state init_error;
static int started; /* the table was registered: no domain joins after */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void init_once(void)
{
    const bo__domain *all[NBUILTIN + EXTRA_MAX];
    int n = 0;
    pthread_mutex_lock(&lock);
    started = 1;
    for (int i = 0; i < NBUILTIN; i++)
        all[n++] = builtin[i];
    for (int i = 0; i < nextra; i++)
        all[n++] = extra[i];
    pthread_mutex_unlock(&lock);
    bo__inv_sale_hook = bo__sync_sale_hook; /* a terminal's outbox */
    bo__inv_return_hook = bo__sync_return_hook;
    init_rc = bo__domains_use(all, n);
    if (init_rc)
        bo__error_save(&init_error);
}

int bo__domains_init(void)
{
    pthread_once(&once, init_once);
    return init_rc ? bo__error_restore(&init_error) : 0;
}

int bo__domains_add(const bo__domain *d)
{
    bo__error_clear();
    if (!d || !d->name)
        return bo__error_set(BO_EINVAL, "domain: NULL");
    pthread_mutex_lock(&lock);
    int rc = 0;
    if (started)
        rc = bo__error_set(BO_ESTATE, "domain %s: the table of domains is in "
                           "use (add it before the first book is opened)", d->name);
    else if (nextra == EXTRA_MAX)
        rc = bo__error_set(BO_ELIMIT, "domain %s: more than %d added domains",
                           d->name, EXTRA_MAX);
    else
        extra[nextra++] = d;
    pthread_mutex_unlock(&lock);
    return rc;
}
