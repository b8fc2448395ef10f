/*
 * Commerce internals shared by inventory, billing and payroll: tax rates
 * and categories, parties. These lookups check no permission: the calling
 * domain has checked its own (a sale needs sales.post, not tax.admin).
 */
#ifndef BO_COMMERCE_COMMERCE_H
#define BO_COMMERCE_COMMERCE_H

#include "core/book.h"
#include "core/domain.h"

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
/* bo__tax_compute in two: the category's rates (out->lines, n), then the
 * tax on amount from rates so loaded (kept for a batch of sales). */
int bo__tax_category_load(bo_book *book, const char *category, bo__tax_result *out);
int bo__tax_compute_loaded(const bo__tax_result *rates, int64_t amount, int inclusive,
                           bo__tax_result *out);

/* The tax lines of a posted entry (table tax_lines), one per side, rate and
 * tax account: the taxable base and the tax in the document's currency and
 * the tax in the book currency, signed as a tax report shows them (a credit
 * note or a return negative). Every domain that posts tax records its lines
 * in the same transaction as the entry; the tax report reads them beside
 * the postings of the tax accounts (src/billing/taxreport.c), and a
 * reversal of the entry is read from the reversal itself. */
enum { BO__TAX_SALES = 1, BO__TAX_PURCHASE = 2 };

typedef struct bo__tax_row {
    int side; /* BO__TAX_SALES or BO__TAX_PURCHASE */
    char rate[BO_CODE_MAX + 1];
    char account[BO_CODE_MAX + 1];
    int64_t base, amount, book;
} bo__tax_row;

typedef struct bo__tax_lines {
    bo__tax_row *rows;
    int n, cap;
} bo__tax_lines;
#define BO__TAX_LINES_INIT { NULL, 0, 0 }

/* Add base, amount and book to the row of (side, rate, account), made on
 * first use. BO_EOVERFLOW, BO_ENOMEM. */
int bo__tax_lines_add(bo__tax_lines *t, int side, const char *rate,
                      const char *account, int64_t base, int64_t amount,
                      int64_t book);
/* Write the rows as the lines of entry (dated ISO date, made by source,
 * "<kind>:<id>"), amounts in currency. Nothing for entry 0. */
int bo__tax_lines_write(bo_book *book, const bo__tax_lines *t, int64_t entry,
                        const char *date, const char *source,
                        const char *currency);
void bo__tax_lines_free(bo__tax_lines *t);

/* Its YAML sections (config_commerce.c), applied by the book layer. */
int bo__cfg_section_taxes(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);
int bo__cfg_section_parties(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

/* ---- the domain (domain_commerce.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_commerce;
extern const bo__schema_part bo__parts_commerce[];
extern const bo__table bo__tables_commerce[];
extern const int bo__ntables_commerce;
extern const bo__vdomain bo__verify_commerce;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_commerce[3];
#define BO__P_PARTY_READ (bo__perms_commerce[0])
#define BO__P_PARTY_WRITE (bo__perms_commerce[1])
#define BO__P_TAX_ADMIN (bo__perms_commerce[2])

#endif
