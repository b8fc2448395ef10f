/* The inventory settings and the accounts they name. */
#include "inventory/inventory.h"

#include <string.h>

static const char SQL_SETTING[] = "SELECT value FROM inv_settings WHERE key = ?";

int bo__inv_setting(bo_book *b, const char *key, char *out, int *found)
{
    out[0] = '\0';
    return bo__store_row(b->store, SQL_SETTING, found, "t>t", key, out, BO_CODE_MAX + 1);
}

int bo__inv_account(bo_book *b, const char *key, char out[BO_CODE_MAX + 1])
{
    int found = 0;
    int rc = bo__inv_setting(b, key, out, &found);
    if (!rc && !found)
        rc = bo__error_set(BO_ECONFIG, "inventory setting '%s' is not set", key);
    return rc;
}

int bo__inv_loc_account(bo_book *b, const bo__inv_loc *l, char out[BO_CODE_MAX + 1])
{
    if (l->account[0]) {
        memcpy(out, l->account, sizeof l->account);
        return 0;
    }
    return bo__inv_account(b, "account.inventory", out);
}
