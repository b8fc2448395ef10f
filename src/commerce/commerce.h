/*
 * Commerce internals shared by inventory, billing and payroll: tax rates
 * and categories, parties. These lookups check no permission: the calling
 * domain has checked its own (a sale needs sales.post, not tax.admin).
 */
#ifndef BO_COMMERCE_COMMERCE_H
#define BO_COMMERCE_COMMERCE_H

#include "core/book.h"

typedef struct bo__party {
    int64_t id;
    char code[BO_CODE_MAX + 1];
    int roles; /* BO_PARTY_CUSTOMER | BO_PARTY_VENDOR */
    int active;
    int terms_days;
    char currency[BO_CURRENCY_MAX + 1];
    /* "" when not set: the domain's default account applies. */
    char receivable_account[BO_CODE_MAX + 1];
    char payable_account[BO_CODE_MAX + 1];
    char revenue_account[BO_CODE_MAX + 1];
    char expense_account[BO_CODE_MAX + 1];
} bo__party;

/* Look up a party by code. BO_ENOTFOUND names it. */
int bo__party_find(bo_book *book, const char *code, bo__party *out);

typedef struct bo__tax_line {
    char rate[BO_CODE_MAX + 1]; /* the tax rate's code */
    int64_t rate_ppm;
    int compound;
    int64_t base;   /* what the rate was charged on */
    int64_t amount; /* the tax */
    char sales_account[BO_CODE_MAX + 1];
    char purchase_account[BO_CODE_MAX + 1];
} bo__tax_line;

typedef struct bo__tax_result {
    int64_t net;   /* before tax */
    int64_t tax;   /* sum of lines[].amount */
    int64_t gross; /* net + tax */
    int n;
    bo__tax_line lines[BO_TAX_RATES_MAX];
} bo__tax_result;

/* Tax on amount in category (see commerce.h for the rounding). A negative
 * amount (a return, a credit note) gives exactly the negated result of its
 * absolute value. BO_ENOTFOUND names the category; BO_EOVERFLOW. */
int bo__tax_compute(bo_book *book, const char *category, int64_t amount,
                    int inclusive, bo__tax_result *out);

#endif
