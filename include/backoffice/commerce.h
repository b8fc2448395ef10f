/**
 * @file backoffice/commerce.h
 * @brief What sales, purchases and invoices share: tax rates, tax
 *        categories and parties (customers and vendors).
 *
 * A tax rate is a percentage with the accounts its amounts post to. A tax
 * category (what an item or an invoice line carries: "standard", "food",
 * "exempt") lists the rates that apply, in order; a rate marked
 * #BO_TAX_COMPOUND is charged on the net amount plus the taxes before it.
 * Rates are in millionths: 200000 is 20 %, 62500 is 6.25 %.
 *
 * Tax amounts are rounded half away from zero to the minor unit. With
 * prices that include tax, net + taxes always equals the price exactly:
 * the net is the largest amount whose gross does not exceed the price, and
 * the last rate takes the remainder.
 *
 * A party is anyone the business trades with: a customer, a vendor
 * (supplier), or both.
 */
#ifndef BACKOFFICE_COMMERCE_H
#define BACKOFFICE_COMMERCE_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** A rate charged on the net amount plus the taxes listed before it. */
#define BO_TAX_COMPOUND 1
/** Most rates in one tax category. */
#define BO_TAX_RATES_MAX 4
/** Largest rate, in millionths (1000 %). */
#define BO_TAX_RATE_MAX 10000000

/** The version of #bo_tax_rate_options this header describes. */
#define BO_TAX_RATE_OPTIONS_VERSION 1

/** A tax rate, for bo_tax_rate_add(). Initialise with
 *  BO_TAX_RATE_OPTIONS_INIT or bo_tax_rate_options_init(), then set the
 *  members; members are only ever appended. */
typedef struct bo_tax_rate_options {
    unsigned int version;         /**< BO_TAX_RATE_OPTIONS_VERSION */
    const char *code;             /**< unique code ("VAT20", "GST") */
    const char *name;             /**< display name */
    int64_t rate_ppm;             /**< the rate in millionths,
                                       0..#BO_TAX_RATE_MAX */
    const char *sales_account;    /**< where tax charged on sales is
                                       credited (a liability: tax payable) */
    const char *purchase_account; /**< where tax paid on purchases is
                                       debited (input tax), or NULL for
                                       @c sales_account */
    int flags;                    /**< 0 or #BO_TAX_COMPOUND */
} bo_tax_rate_options;

/** Static initialiser for #bo_tax_rate_options. */
#define BO_TAX_RATE_OPTIONS_INIT \
    { BO_TAX_RATE_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, 0 }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_tax_rate_options_init(bo_tax_rate_options *opts, unsigned int version);

/**
 * Define the tax rate @p opts->code. Needs tax.admin.
 * @return 0, BO_EEXISTS, BO_ENOTFOUND (account), BO_EINVAL (also: options),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_tax_rate_add(bo_book *book, const bo_tax_rate_options *opts);

/**
 * Parse a percentage ("6.25%", "20 %", "0%": up to 4 decimals, at most
 * 1000 %) into millionths (62500, 200000, 0).
 * @return 0, or BO_EINVAL naming the text.
 */
BO_EXTERN(int) bo_tax_rate_parse(const char *text, int64_t *rate_ppm);

/**
 * Define a tax category. Needs tax.admin.
 * @param code   unique code ("standard", "food", "exempt").
 * @param name   display name.
 * @param rates  tax rate codes separated by spaces or commas, applied in
 *               order, at most #BO_TAX_RATES_MAX; "" for an exempt category.
 * @return 0, BO_EEXISTS, BO_ENOTFOUND (a rate), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_tax_category_add(bo_book *book, const char *code,
                                   const char *name, const char *rates);

/**
 * List the tax rates: code, name, rate_ppm, sales_account,
 * purchase_account, compound. Needs ledger.read.
 */
BO_EXTERN(int) bo_tax_rates(bo_book *book, bo_cursor **out);

/**
 * List the tax categories: code, name, rates. Needs ledger.read.
 */
BO_EXTERN(int) bo_tax_categories(bo_book *book, bo_cursor **out);

/**
 * Compute the tax on @p amount (minor units) in @p category. Needs
 * ledger.read.
 * @param inclusive  non-zero when @p amount includes the tax.
 * @param net        out: the amount before tax.
 * @param tax        out: the total tax; net + tax is the gross amount
 *                   (equal to @p amount when inclusive).
 * @return 0, BO_ENOTFOUND (category), BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_tax_compute(bo_book *book, const char *category,
                              int64_t amount, int inclusive, int64_t *net,
                              int64_t *tax);

/** Party role: a customer (we invoice them). Roles combine with |. */
#define BO_PARTY_CUSTOMER 1
/** Party role: a vendor or supplier (they bill us). */
#define BO_PARTY_VENDOR 2

/**
 * Add a party. Needs party.write.
 * @param code      unique code ("C-1001", "ACME").
 * @param name      display name.
 * @param roles     #BO_PARTY_CUSTOMER, #BO_PARTY_VENDOR or both.
 * @param currency  the party's trading currency, or NULL for the book's.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_ECURRENCY, BO_EUTF8, BO_ETOOLONG,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_party_add(bo_book *book, const char *code, const char *name,
                            int roles, const char *currency);

/** The version of #bo_party_changes this header describes. */
#define BO_PARTY_CHANGES_VERSION 1

/** The changes to a party, for bo_party_update(). Initialise with
 *  BO_PARTY_CHANGES_INIT or bo_party_changes_init() (every member
 *  unchanged), then set the members to change; members are only ever
 *  appended. Text members: NULL leaves the field unchanged, "" clears an
 *  optional one (name and currency cannot be cleared). */
typedef struct bo_party_changes {
    unsigned int version;            /**< BO_PARTY_CHANGES_VERSION */
    const char *name;                /**< display name */
    int roles;                       /**< #BO_PARTY_CUSTOMER, #BO_PARTY_VENDOR
                                          or both; #BO_UNCHANGED */
    const char *currency;            /**< the trading currency */
    const char *tax_id;              /**< tax registration number */
    const char *email;               /**< e-mail address */
    const char *phone;               /**< telephone number */
    const char *address;             /**< postal address */
    int terms_days;                  /**< payment terms, 0..3650 days;
                                          #BO_UNCHANGED */
    const char *receivable_account;  /**< account codes, checked */
    const char *payable_account;     /**< see @c receivable_account */
    const char *revenue_account;     /**< see @c receivable_account */
    const char *expense_account;     /**< see @c receivable_account */
    int active;                      /**< 1 or 0; #BO_UNCHANGED */
} bo_party_changes;

/** Static initialiser for #bo_party_changes: nothing changed. */
#define BO_PARTY_CHANGES_INIT \
    { BO_PARTY_CHANGES_VERSION, NULL, BO_UNCHANGED, NULL, NULL, NULL, NULL, NULL, \
      BO_UNCHANGED, NULL, NULL, NULL, NULL, BO_UNCHANGED }

/**
 * Initialise @p changes to version @p version with every member unchanged
 * (for callers that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_party_changes_init(bo_party_changes *changes, unsigned int version);

/**
 * Change party @p code: every member of @p changes that is not unchanged,
 * all or nothing (each is checked, then all are written; a bad one is an
 * error naming it and changes nothing). At least one change is required.
 * Needs party.write.
 * @return 0, BO_ENOTFOUND (party, account), BO_EINVAL (options, nothing to
 *         change, a member), BO_ECURRENCY, BO_EUTF8, BO_ETOOLONG,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_party_update(bo_book *book, const char *code,
                               const bo_party_changes *changes);

/**
 * One party as a one-row cursor with every field: code, name, roles,
 * currency, tax_id, email, phone, address, terms_days, receivable_account,
 * payable_account, revenue_account, expense_account, active. Needs
 * party.read. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_party_get(bo_book *book, const char *code, bo_cursor **out);

/**
 * List parties having all of @p roles (0: every party), by code: code,
 * name, roles, currency, terms_days, active. Needs party.read.
 */
BO_EXTERN(int) bo_parties(bo_book *book, int roles, bo_cursor **out);

BO_END_DECLS

#endif
