/* The commerce tables (schema version 2): tax rates and categories,
 * parties. Account codes are kept as text and checked when written: the
 * domains post by code, as the ledger API does. */
#include "store/store.h"

#include <stddef.h>

const char *const bo__ddl_commerce[] = {
    "CREATE TABLE tax_rates ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " name TEXT{TEXT_C} NOT NULL,"
    " rate_ppm BIGINT NOT NULL CHECK (rate_ppm BETWEEN 0 AND 10000000),"
    " sales_account TEXT{TEXT_C} NOT NULL,"
    " purchase_account TEXT{TEXT_C} NOT NULL,"
    " compound INTEGER NOT NULL)",

    /* rates: the rate codes in order, space-separated ("" = exempt). */
    "CREATE TABLE tax_categories ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " name TEXT{TEXT_C} NOT NULL,"
    " rates TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE parties ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " roles INTEGER NOT NULL CHECK (roles BETWEEN 1 AND 3),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " tax_id TEXT{TEXT_C},"
    " email TEXT{TEXT_C},"
    " phone TEXT{TEXT_C},"
    " address TEXT{TEXT_C},"
    " terms_days INTEGER NOT NULL DEFAULT 30,"
    " receivable_account TEXT{TEXT_C},"
    " payable_account TEXT{TEXT_C},"
    " revenue_account TEXT{TEXT_C},"
    " expense_account TEXT{TEXT_C},"
    " active INTEGER NOT NULL DEFAULT 1)",
    NULL
};

const bo__table bo__tables_commerce[] = {
    { "tax_rates", "code, name, rate_ppm, sales_account, purchase_account, compound",
      "ttitti", "code", NULL },
    { "tax_categories", "code, name, rates", "ttt", "code", NULL },
    { "parties", "id, code, name, roles, currency, tax_id, email, phone, address,"
      " terms_days, receivable_account, payable_account, revenue_account,"
      " expense_account, active", "ittitttttitttti", "id", "id" },
};
const int bo__ntables_commerce = 3;
