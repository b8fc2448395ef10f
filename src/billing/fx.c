/*
 * Exchange rates as exact fractions, conversion to the book currency, and
 * the period-end revaluation of open foreign documents (unrealized gains
 * and losses, reversed the next day).
 *
 * A rate applies from its date until the next one: the rate for a date is
 * the latest on or before it. A currency with no such rate is BO_ENORATE.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_RATE_AT[] =
    "SELECT num, den FROM bill_rates WHERE currency = ? AND date <= ?"
    " ORDER BY date DESC LIMIT 1";
static const char SQL_RATE_SET[] =
    "INSERT INTO bill_rates (currency, date, num, den, text) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (currency, date) DO UPDATE SET num = excluded.num,"
    " den = excluded.den, text = excluded.text";

int bo__bill_rate(bo_book *b, const char *currency, const char *date,
                  int64_t *num, int64_t *den)
{
    if (strcmp(currency, b->base_currency) == 0) {
        *num = *den = 1;
        return 0;
    }
    int found;
    int rc = bo__store_row(b->store, SQL_RATE_AT, &found, "tt>ii", currency, date, num, den);
    if (!rc && !found)
        rc = bo__error_set(BO_ENORATE, "currency %s: no exchange rate on or before %s",
                           currency, date);
    return rc;
}

static int pow10_of(int n, int64_t *out)
{
    int64_t v = 1;
    for (int i = 0; i < n; i++)
        if (bo_money_muldiv(v, 10, 1, BO_ROUND_DOWN, &v))
            return BO_EOVERFLOW;
    *out = v;
    return 0;
}

int bo__bill_to_base(bo_book *b, int64_t amount, const char *currency,
                     int64_t num, int64_t den, int64_t *base)
{
    int ce, be, rc;
    if ((rc = bo_currency_exponent(currency, &ce)) ||
        (rc = bo_currency_exponent(b->base_currency, &be)))
        return rc;
    int64_t scale;
    /* One rounding: amount * num * 10^(be-ce) / den. */
    if (be >= ce) {
        if (pow10_of(be - ce, &scale) || bo_money_muldiv(num, scale, 1, BO_ROUND_DOWN, &num))
            return bo__error_set(BO_EOVERFLOW, "rate of %s: too large", currency);
    } else {
        if (pow10_of(ce - be, &scale) || bo_money_muldiv(den, scale, 1, BO_ROUND_DOWN, &den))
            return bo__error_set(BO_EOVERFLOW, "rate of %s: too precise", currency);
    }
    if (bo_money_muldiv(amount, num, den, BO_ROUND_HALF_EVEN, base))
        return bo__error_set(BO_EOVERFLOW, "amount in %s: book-currency value "
                             "overflows", currency);
    return 0;
}

/* "1.0850" -> 10850 / 10000. At most 9 fraction digits and 18 digits. */
static int rate_parse(const char *text, int64_t *num, int64_t *den)
{
    int64_t n = 0, d = 1;
    int digits = 0, frac = -1;
    const char *p = text;
    for (; *p; p++) {
        if (*p == '.' && frac < 0 && digits > 0) {
            frac = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || digits >= 18)
            goto bad;
        n = n * 10 + (*p - '0');
        digits++;
        if (frac >= 0) {
            if (++frac > 9)
                goto bad;
            d *= 10;
        }
    }
    if (!digits || frac == 0)
        goto bad;
    if (n == 0)
        return bo__error_set(BO_EINVAL, "rate: zero");
    *num = n;
    *den = d;
    return 0;
bad:;
    char q[80];
    bo__quote(text, 16, q, sizeof q);
    return bo__error_set(BO_EINVAL, "rate: \"%s\" is not a decimal with at most "
                         "9 fraction digits", q);
}

struct rate_ctx {
    const char *currency, *text;
    char date[11];
    int64_t num, den;
};

static int rate_tx(bo_book *b, void *p)
{
    struct rate_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_RATE_SET, "ttiit", c->currency, c->date, c->num,
                           c->den, c->text);
    if (rc)
        return rc;
    char detail[64], object[32];
    snprintf(detail, sizeof detail, "%s %s", c->date, c->text);
    snprintf(object, sizeof object, "rate:%s", c->currency);
    return bo__audit_append(b, "billing.rate.set", object, detail);
}

int bo_billing_rate_set(bo_book *book, const char *currency, bo_date date,
                     const char *rate)
{
    bo__error_clear();
    if (!book || !currency || !rate)
        return bo__error_set(BO_EINVAL, "book/currency/rate: NULL");
    int rc, exp;
    if ((rc = bo__require(book, BO__P_BILLING_ADMIN)))
        return rc;
    if ((rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    if (strcmp(currency, book->base_currency) == 0)
        return bo__error_set(BO_ECURRENCY, "currency: %s is the book currency "
                             "(its rate is 1)", currency);
    if ((rc = bo__bill_date_ok("date", date)))
        return rc;
    struct rate_ctx c = { currency, rate, "", 0, 0 };
    if ((rc = rate_parse(rate, &c.num, &c.den)))
        return rc;
    bo__date_iso(date, c.date);
    return bo__write(book, rate_tx, &c);
}

int bo_billing_convert(bo_book *book, int64_t amount, const char *currency,
                    bo_date date, int64_t *base)
{
    bo__error_clear();
    if (!book || !currency || !base)
        return bo__error_set(BO_EINVAL, "book/currency/base: NULL");
    int rc, exp;
    if ((rc = bo__require(book, BO__P_BILLING_READ)))
        return rc;
    if ((rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    if ((rc = bo__bill_date_ok("date", date)))
        return rc;
    char iso[11];
    bo__date_iso(date, iso);
    int64_t num, den;
    if ((rc = bo__bill_rate(book, currency, iso, &num, &den)))
        return rc;
    return bo__bill_to_base(book, amount, currency, num, den, base);
}

static const char SQL_RATES[] =
    "SELECT currency, date, text FROM bill_rates WHERE currency = COALESCE(?, currency)"
    " ORDER BY currency, date";
static const bo__col rate_cols[] = {
    { "currency", BO_TYPE_TEXT }, { "date", BO_TYPE_TEXT }, { "rate", BO_TYPE_TEXT },
};

int bo_billing_rates(bo_book *book, const char *currency, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_BILLING_READ, NULL, SQL_RATES, rate_cols, 3, out, "t",
                       currency);
}

/* ---- revaluation ------------------------------------------------------------ */

static const char SQL_REVAL_GET[] =
    "SELECT entry_id FROM bill_revaluations WHERE date = ?";
static const char SQL_REVAL_ADD[] =
    "INSERT INTO bill_revaluations (date, entry_id, reversal_id)"
    " VALUES (?, NULLIF(?, 0), NULLIF(?, 0))";
/* Foreign documents posted by the date and still open at its end, with
 * what is settled by then (amount and carried value). */
static const char SQL_OPEN_FOREIGN[] =
    "SELECT i.id, i.kind, i.currency, i.total, i.base_total,"
    " COALESCE((SELECT SUM(a.amount + a.write_off) FROM bill_allocations a"
    "   WHERE a.invoice_id = i.id AND a.date <= ?1), 0)"
    " + COALESCE((SELECT SUM(a.amount) FROM bill_allocations a"
    "   WHERE a.credit_id = i.id AND a.date <= ?1), 0),"
    " COALESCE((SELECT SUM(a.base) FROM bill_allocations a"
    "   WHERE (a.invoice_id = i.id OR a.credit_id = i.id) AND a.date <= ?1), 0)"
    " FROM bill_invoices i WHERE i.status > 0 AND i.currency <> ?2"
    " AND i.post_date <= ?1 AND (i.rev_date IS NULL OR i.rev_date > ?1)"
    " ORDER BY i.id";

struct reval_ctx {
    bo_date date;
    char iso[11];
    int64_t entry;
};

static int reval_tx(bo_book *b, void *p)
{
    struct reval_ctx *c = p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_REVAL_GET, &s);
    if (rc)
        return rc;
    int found = 0;
    if (!(rc = bo__stmt_bind(s, "t", c->iso))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            found = 1;
            c->entry = bo__stmt_is_null(s, 0) ? 0 : bo__stmt_col_int(s, 0);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || found)
        return rc;
    /* Sum the change in book-currency value, debit-positive. */
    int64_t diff = 0;
    if ((rc = bo__stmt_new(b->store, SQL_OPEN_FOREIGN, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "tt", c->iso, b->base_currency))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int kind = (int)bo__stmt_col_int(s, 1);
            char cur[BO_CURRENCY_MAX + 1];
            snprintf(cur, sizeof cur, "%s", bo__stmt_col_text(s, 2));
            int64_t open = bo__stmt_col_int(s, 3) - bo__stmt_col_int(s, 5);
            int64_t carried = bo__stmt_col_int(s, 4) - bo__stmt_col_int(s, 6);
            if (open == 0)
                continue;
            int64_t num, den, now, d;
            if ((rc = bo__bill_rate(b, cur, c->iso, &num, &den)) ||
                (rc = bo__bill_to_base(b, open, cur, num, den, &now)))
                break;
            if (bo_money_sub(now, carried, &d) ||
                bo_money_add(diff, bo__bill_party_sign(kind) * d, &diff)) {
                rc = bo__error_set(BO_EOVERFLOW, "revaluation: overflows");
                break;
            }
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    int64_t rev = 0;
    char unreal[BO_CODE_MAX + 1], adjust[BO_CODE_MAX + 1];
    if (diff != 0 && ((rc = bo__bill_setting_account(b, "fx_unrealized_account", unreal)) ||
                      (rc = bo__bill_setting_account(b, "fx_revaluation_account", adjust))))
        return rc;
    if (diff != 0) {
        bo_entry *e = NULL;
        char key[64], rkey[64];
        snprintf(key, sizeof key, "billing:revalue:%s", c->iso);
        snprintf(rkey, sizeof rkey, "billing:revalue-reversal:%s", c->iso);
        if (!(rc = bo_entry_new(&e, c->date, "Revaluation of open foreign items")) &&
            !(rc = bo_entry_set_key(e, key)) &&
            !(rc = bo_entry_add(e, adjust, diff, b->base_currency, NULL)) &&
            !(rc = bo_entry_add(e, unreal, -diff, b->base_currency, NULL)))
            rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED, &c->entry);
        bo_entry_free(e);
        if (rc)
            return rc;
        if ((rc = bo__ledger_reverse(b, c->entry, c->date + 1, rkey,
                                     BO__POST_TRUSTED, &rev)))
            return bo__error_prefix("reversal on the next day: ");
    }
    if ((rc = bo__store_run(b->store, SQL_REVAL_ADD, "tii", c->iso, c->entry, rev)))
        return rc;
    char object[32];
    snprintf(object, sizeof object, "revaluation:%s", c->iso);
    return bo__audit_append(b, "billing.revaluation.post", object, "");
}

int bo_billing_revalue(bo_book *book, bo_date date, int64_t *entry)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) ||
        (rc = bo__bill_date_ok("date", date)))
        return rc;
    if (date >= BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: no next day to reverse on");
    struct reval_ctx c = { date, "", 0 };
    bo__date_iso(date, c.iso);
    rc = bo__write(book, reval_tx, &c);
    if (!rc && entry)
        *entry = c.entry;
    return rc;
}
