/*
 * The GnuCash XML reader (book/gnucash.c, internal: bo__gnucash_check) on
 * arbitrary bytes, as bo_book_import_gnucash would read them before
 * writing anything. Properties:
 *  - it returns 0 or a refusal among BO_EINVAL, BO_ELIMIT, BO_ETOOLONG,
 *    BO_ECURRENCY, BO_EOVERFLOW, BO_ESCHEMA, BO_ENOTSUP with a message;
 *  - no crash, leak or timeout (libxml2 with entities and DTDs off, a depth
 *    limit, text bounded).
 */
#include "fuzz_util.h"
#include "book/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1u << 20)
        return 0;
    bo__error_clear();
    int64_t accounts = -1, entries = -1;
    int rc = bo__gnucash_check((const char *)data, size, &accounts, &entries);
    if (rc) {
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_ELIMIT || rc == BO_ETOOLONG ||
                  rc == BO_ECURRENCY || rc == BO_EOVERFLOW || rc == BO_ESCHEMA ||
                  rc == BO_ENOTSUP, "rc %d", rc);
        fz_check_refusal(rc, "bo__gnucash_check");
    } else {
        FZ_ASSERT(accounts >= 0 && entries >= 0, "counts %lld %lld", (long long)accounts,
                  (long long)entries);
    }
    return 0;
}
