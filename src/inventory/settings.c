/* The inventory settings and the accounts they name. */
#include "inventory/inventory.h"

#include <string.h>

int bo__inv_setting(bo_book *b, const char *key, char *out, int *found)
{
    return bo__setting_get(b, "inventory", key, out, BO_CODE_MAX + 1, found);
}

int bo__inv_seed(bo_book *b, int from)
{
    /* Books that kept audit states: carry those of inv_settings over (older
     * ones record every state at their upgrade). */
    if (from < BO__SCHEMA_AUDIT_STATES || from >= BO__SCHEMA_SETTINGS)
        return 0;
    return bo__setting_carry(b, "inv.setting", "inventory", NULL);
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
