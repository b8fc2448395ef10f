/*
 * The plain-text journal reader (book/journal.c, internal:
 * bo__journal_check) on arbitrary bytes, as bo_book_import_journal would
 * read them before writing anything; the first byte picks the dialect
 * (ledger, hledger, beancount). Properties:
 *  - it returns 0 or a refusal among BO_EINVAL, BO_EUNBALANCED,
 *    BO_ECURRENCY, BO_ENOTSUP, BO_ETOOLONG, BO_EUTF8, BO_EOVERFLOW,
 *    BO_ELIMIT with a message naming "journal:LINE:COLUMN";
 *  - no crash, leak or timeout (every table hashed, no quadratic pass
 *    over accounts or postings).
 */
#include "fuzz_util.h"
#include "book/transfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1u << 20)
        return 0;
    static const int dialects[] = { BO_JOURNAL_LEDGER, BO_JOURNAL_HLEDGER,
                                    BO_JOURNAL_BEANCOUNT };
    int dialect = dialects[data[0] % 3];
    bo__error_clear();
    int64_t accounts = -1, entries = -1;
    int rc = bo__journal_check((const char *)data + 1, size - 1, dialect, &accounts, &entries);
    if (rc) {
        FZ_ASSERT(rc == BO_EINVAL || rc == BO_EUNBALANCED || rc == BO_ECURRENCY ||
                  rc == BO_ENOTSUP || rc == BO_ETOOLONG || rc == BO_EUTF8 ||
                  rc == BO_EOVERFLOW || rc == BO_ELIMIT || rc == BO_ENOMEM, "rc %d", rc);
        fz_check_refusal(rc, "bo__journal_check");
        if (rc != BO_ENOMEM)
            FZ_ASSERT(strncmp(bo_error_message(), "journal:", 8) == 0, "message '%s'",
                      bo_error_message());
    } else {
        FZ_ASSERT(accounts >= 0 && entries >= 0, "counts %lld %lld", (long long)accounts,
                  (long long)entries);
    }
    return 0;
}
