/* The door's checks for the other domains (ledger.h): an account and a
 * date's period, read through the ledger's own cache, which no other
 * domain touches. */
#include "ledger/ledger.h"

#include <string.h>

int bo__ledger_account(bo_book *book, const char *code, bo__ledger_acct *out)
{
    const bo__account *a;
    memset(out, 0, sizeof *out);
    int rc = bo__account_find(book, code, &a);
    if (rc)
        return rc;
    out->id = a->id;
    out->type = a->type;
    out->closed = a->closed;
    memcpy(out->currency, a->currency, sizeof out->currency);
    return 0;
}

int bo__ledger_period_covers(bo_book *book, const char *field, const char *date)
{
    return bo__period_covers(book, field, date);
}

int bo__ledger_period_closed(bo_book *book, const char *date, const char **name)
{
    return bo__period_closed_at(book, date, name);
}
