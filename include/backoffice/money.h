/**
 * @file backoffice/money.h
 * @brief Money as int64 minor units, checked arithmetic, rounding and exact
 *        splitting. No floating point anywhere on the money path.
 *
 * An amount is an int64_t count of a currency's minor units (cents for USD,
 * yen for JPY, 1/1000 dinar for KWD). The currency's exponent comes from the
 * ISO 4217 table built into the library, which bo_currency_register() can
 * extend. Every operation checks overflow and returns BO_EOVERFLOW instead of
 * wrapping.
 */
#ifndef BACKOFFICE_MONEY_H
#define BACKOFFICE_MONEY_H

#include "common.h"

BO_BEGIN_DECLS

/** Longest currency code accepted (ISO 4217 uses 3; registered ones up to 8). */
#define BO_CURRENCY_MAX 8

/** Rounding modes. Half-even (banker's rounding) is the default everywhere. */
typedef enum bo_rounding {
    BO_ROUND_HALF_EVEN = 0, /**< to nearest, ties to even */
    BO_ROUND_HALF_UP = 1,   /**< to nearest, ties away from zero */
    BO_ROUND_HALF_DOWN = 2, /**< to nearest, ties toward zero */
    BO_ROUND_DOWN = 3,      /**< toward zero (truncate) */
    BO_ROUND_UP = 4,        /**< away from zero */
    BO_ROUND_FLOOR = 5,     /**< toward negative infinity */
    BO_ROUND_CEILING = 6    /**< toward positive infinity */
} bo_rounding;

/**
 * The number of minor-unit digits of @p currency (2 for "USD", 0 for "JPY").
 * @return 0, or BO_ECURRENCY for an unknown or malformed code.
 */
BO_EXTERN(int) bo_currency_exponent(const char *currency, int *exponent);

/**
 * Add a currency (or change a registered one) for the whole process:
 * @p code is 3 to 8 upper-case letters or digits, @p exponent 0..18.
 * Thread-safe. Built-in ISO 4217 codes cannot be changed.
 * @return 0, BO_EINVAL, BO_EEXISTS for a built-in code with another exponent,
 *         or BO_ELIMIT when 1024 currencies are already registered.
 */
BO_EXTERN(int) bo_currency_register(const char *code, int exponent);

/** @p out = a + b. @return 0 or BO_EOVERFLOW (out untouched). */
BO_EXTERN(int) bo_money_add(int64_t a, int64_t b, int64_t *out);

/** @p out = a - b. @return 0 or BO_EOVERFLOW (out untouched). */
BO_EXTERN(int) bo_money_sub(int64_t a, int64_t b, int64_t *out);

/** @p out = -a. @return 0 or BO_EOVERFLOW for INT64_MIN. */
BO_EXTERN(int) bo_money_neg(int64_t a, int64_t *out);

/**
 * @p out = amount * numerator / denominator, rounded by @p mode, computed
 * exactly in 128-bit arithmetic (price x quantity, tax rates, ratios).
 * @return 0, BO_EINVAL for a zero denominator, BO_EOVERFLOW if the result
 *         does not fit int64.
 */
BO_EXTERN(int) bo_money_muldiv(int64_t amount, int64_t numerator,
                               int64_t denominator, bo_rounding mode,
                               int64_t *out);

/**
 * Change the number of decimal digits of @p amount from @p from_exp to
 * @p to_exp (each 0..18), rounding by @p mode when digits are dropped.
 * @return 0, BO_EINVAL, or BO_EOVERFLOW.
 */
BO_EXTERN(int) bo_money_rescale(int64_t amount, int from_exp, int to_exp,
                                bo_rounding mode, int64_t *out);

/**
 * Split @p total into @p n parts proportional to @p weights (each >= 0, not
 * all zero) so that the parts sum exactly to @p total: each part is rounded
 * down and the remainder is handed out one minor unit at a time to the parts
 * with the largest fractional remainders (ties to the earlier part).
 * @p parts must have room for @p n values.
 * @return 0, BO_EINVAL (n == 0, negative weight, all zero), BO_ENOMEM.
 */
BO_EXTERN(int) bo_money_split(int64_t total, const int64_t *weights, size_t n,
                              int64_t *parts);

/**
 * Parse a decimal text ("-1234.50", "0.5") into minor units of @p currency.
 * More fraction digits than the currency's exponent is an error (no silent
 * rounding); fewer are padded. No thousands separators, no exponent.
 * @return 0, BO_EINVAL (malformed, message quotes the text), BO_ECURRENCY,
 *         or BO_EOVERFLOW.
 */
BO_EXTERN(int) bo_money_parse(const char *text, const char *currency,
                              int64_t *out);

/**
 * Format @p amount of @p currency as a plain decimal ("-1234.50") into
 * @p buf of @p size bytes (32 is always enough), NUL-terminated.
 * @return 0, BO_ECURRENCY, or BO_ETOOLONG when @p size is too small.
 */
BO_EXTERN(int) bo_money_format(int64_t amount, const char *currency,
                               char *buf, size_t size);

BO_END_DECLS

#endif
