/* Versioned options and changes structs: the version check and the
 * defaults every public call taking one shares. */
#include "util/util.h"

#include <string.h>

int bo__opts_check(const void *opts, unsigned int want)
{
    if (!opts)
        return bo__error_set(BO_EINVAL, "options: NULL");
    /* The version is every options struct's first member. */
    unsigned int version = *(const unsigned int *)opts;
    if (version != want)
        return bo__error_set(BO_EINVAL, "options: version %u is not %u", version, want);
    return 0;
}

int bo__opts_init(void *opts, unsigned int version, unsigned int want,
                  const void *defaults, size_t size)
{
    bo__error_clear();
    if (!opts || version != want)
        return bo__error_set(BO_EINVAL, "options: version %u is not %u", version, want);
    memcpy(opts, defaults, size);
    return 0;
}
