/*
 * The umbrella header in strict C11, plus the values callers compile into
 * their programs: codes, enum members and struct versions are part of the
 * ABI and may never change.
 */
#include <backoffice.h>
#include <backoffice/sys/driver.h>

_Static_assert(BO_OK == 0 && BO_ITEROVER == 1, "result codes");
_Static_assert(BO_ERROR == -1 && BO_ENOMEM == -2 && BO_EINVAL == -3 &&
               BO_ENOTFOUND == -4 && BO_EEXISTS == -5 && BO_EOVERFLOW == -6 &&
               BO_EUNBALANCED == -7 && BO_ECLOSED == -8 && BO_EPERIOD == -9 &&
               BO_ECURRENCY == -10 && BO_EUTF8 == -11 && BO_ETOOLONG == -12 &&
               BO_EDENIED == -13 && BO_EBUSY == -14 && BO_ECONSTRAINT == -15 &&
               BO_EIO == -16 && BO_EFULL == -17 && BO_ESCHEMA == -18 &&
               BO_ECORRUPT == -19 && BO_ECONFIG == -20 && BO_ELIMIT == -21 &&
               BO_ESTATE == -22 && BO_EDRIVER == -23 && BO_ECONFLICT == -24 &&
               BO_EKEYREUSE == -25 && BO_ENOTSUP == -26 &&
               BO_ESTOCK == -27 && BO_ERETAINED == -34,
               "error codes are never renumbered");
_Static_assert(BO_ACCOUNT_ASSET == 1 && BO_ACCOUNT_LIABILITY == 2 &&
               BO_ACCOUNT_EQUITY == 3 && BO_ACCOUNT_INCOME == 4 &&
               BO_ACCOUNT_EXPENSE == 5, "account types");
_Static_assert(BO_TYPE_NULL == 0 && BO_TYPE_INT == 1 && BO_TYPE_TEXT == 2,
               "cursor types");
_Static_assert(BO_ROUND_HALF_EVEN == 0 && BO_ROUND_CEILING == 6, "rounding");
_Static_assert(BO_SYNC_FULL == 0 && BO_SYNC_NORMAL == 1 && BO_SYNC_OFF == 2,
               "sync modes");
_Static_assert(sizeof(bo_date) == 4, "bo_date is int32_t");
_Static_assert(BO_HASH_HEX_SIZE == 65, "hex digest size");
_Static_assert(BO_VERSION_NUMBER ==
               BO_VERSION_MAJOR * 10000 + BO_VERSION_MINOR * 100 +
               BO_VERSION_PATCH, "version number");

int main(void)
{
    /* The option initialisers must be valid constant initialisers. */
    static const bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    bo_allocator alloc = {BO_ALLOCATOR_VERSION, 0, 0, 0, 0};
    (void)alloc;
    return opts.version == BO_BOOK_OPTIONS_VERSION ? 0 : 1;
}
