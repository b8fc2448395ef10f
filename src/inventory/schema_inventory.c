/* The inventory tables: this part's migration and its list of tables for copying
 * a book (see src/store/schema.c). */
#include "store/store.h"

#include <stddef.h>

const char *const bo__ddl_inventory[] = {
    NULL
};

const bo__table bo__tables_inventory[1] = { { NULL, NULL, NULL, NULL, NULL } };
const int bo__ntables_inventory = 0;
