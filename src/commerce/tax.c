/* Tax rates, tax categories and the tax on an amount. */
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_RATE_INSERT[] =
    "INSERT INTO tax_rates (code, name, rate_ppm, sales_account,"
    " purchase_account, compound) VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_RATE_EXISTS[] = "SELECT 1 FROM tax_rates WHERE code = ?";
static const char SQL_RATE_GET[] =
    "SELECT rate_ppm, compound, sales_account, purchase_account FROM tax_rates"
    " WHERE code = ?";
static const char SQL_CATEGORY_INSERT[] =
    "INSERT INTO tax_categories (code, name, rates) VALUES (?, ?, ?)";
static const char SQL_CATEGORY_EXISTS[] = "SELECT 1 FROM tax_categories WHERE code = ?";
static const char SQL_CATEGORY_RATES[] =
    "SELECT rates FROM tax_categories WHERE code = ?";
static const char SQL_RATES[] =
    "SELECT code, name, rate_ppm, sales_account, purchase_account, compound"
    " FROM tax_rates ORDER BY code";
static const char SQL_CATEGORIES[] =
    "SELECT code, name, rates FROM tax_categories ORDER BY code";

/* ---- rates --------------------------------------------------------------- */

struct rate_ctx {
    const char *code, *name, *sales, *purchase;
    int64_t ppm;
    int flags;
};

static int rate_add_tx(bo_book *b, void *p)
{
    struct rate_ctx *c = p;
    int rc, found;
    bo__ledger_acct acc;
    if ((rc = bo__require(b, BO__P_TAX_ADMIN)))
        return rc;
    if ((rc = bo__store_row(b->store, SQL_RATE_EXISTS, &found, "t", c->code)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: tax rate '%s' already exists", c->code);
    if ((rc = bo__ledger_account(b, c->sales, &acc)))
        return bo__error_prefix("sales_account: ");
    if ((rc = bo__ledger_account(b, c->purchase, &acc)))
        return bo__error_prefix("purchase_account: ");
    char ppm[24], compound[4];
    snprintf(ppm, sizeof ppm, "%" PRId64, c->ppm);
    snprintf(compound, sizeof compound, "%d", c->flags & BO_TAX_COMPOUND ? 1 : 0);
    if ((rc = bo__store_run(b->store, SQL_RATE_INSERT, "ttitti", c->code, c->name, c->ppm,
                            c->sales, c->purchase, c->flags & BO_TAX_COMPOUND ? 1 : 0)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->name);
    bo__buf_field(&d, ppm);
    bo__buf_field(&d, c->sales);
    bo__buf_field(&d, c->purchase);
    bo__buf_field(&d, compound);
    rc = d.failed ? BO_ENOMEM : 0;
    if (!rc) {
        char object[BO_CODE_MAX + 16];
        snprintf(object, sizeof object, "tax_rate:%s", c->code);
        rc = bo__audit_append(b, "commerce.tax_rate.add", object, d.ptr);
    }
    bo__buf_free(&d);
    return rc;
}

int bo_tax_rate_options_init(bo_tax_rate_options *opts, unsigned int version)
{
    static const bo_tax_rate_options defaults = BO_TAX_RATE_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_TAX_RATE_OPTIONS_VERSION, &defaults,
                         sizeof defaults);
}

int bo_tax_rate_add(bo_book *b, const bo_tax_rate_options *o)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__opts_check(o, BO_TAX_RATE_OPTIONS_VERSION)))
        return rc;
    const char *code = o->code, *name = o->name, *sales_account = o->sales_account,
               *purchase_account = o->purchase_account;
    int64_t rate_ppm = o->rate_ppm;
    int flags = o->flags;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)) ||
        (rc = bo__name_check("sales_account", sales_account, BO_CODE_MAX)) ||
        (purchase_account &&
         (rc = bo__name_check("purchase_account", purchase_account, BO_CODE_MAX))))
        return rc;
    if (rate_ppm < 0 || rate_ppm > BO_TAX_RATE_MAX)
        return bo__error_set(BO_EINVAL, "rate_ppm: %" PRId64 " is not in 0..%d",
                             rate_ppm, BO_TAX_RATE_MAX);
    if (flags & ~BO_TAX_COMPOUND)
        return bo__error_set(BO_EINVAL, "flags: unknown flag 0x%x", (unsigned)flags);
    struct rate_ctx c = { code, name, sales_account,
                          purchase_account ? purchase_account : sales_account,
                          rate_ppm, flags };
    return bo__write(b, rate_add_tx, &c);
}

/* "6.25%", "20 %" or "0%": a percentage with up to 4 decimals, as
 * millionths. */
static int percent(const char *s, int64_t *ppm)
{
    int64_t whole = 0, frac = 0;
    int digits = 0, decimals = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        if (whole > 100000)
            return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++) {
            if (++decimals > 4)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
    while (*p == ' ')
        p++;
    if (!digits || *p != '%' || p[1] != '\0')
        return -1;
    while (decimals++ < 4)
        frac *= 10;
    *ppm = whole * 10000 + frac;
    return *ppm <= BO_TAX_RATE_MAX ? 0 : -1;
}

int bo_tax_rate_parse(const char *text, int64_t *rate_ppm)
{
    bo__error_clear();
    if (!text || !rate_ppm)
        return bo__error_set(BO_EINVAL, "rate: NULL");
    if (percent(text, rate_ppm)) {
        char q[80];
        bo__quote(text, 16, q, sizeof q);
        return bo__error_set(BO_EINVAL, "rate: '%s' is not a percentage such as "
                             "6.25%% (up to 4 decimals, at most 1000%%)", q);
    }
    return 0;
}

/* ---- categories ---------------------------------------------------------- */

/* Split "A, B C" into codes; BO_EINVAL past BO_TAX_RATES_MAX or for a code
 * that is too long. */
static int split_rates(const char *list, char codes[BO_TAX_RATES_MAX][BO_CODE_MAX + 1],
                       int *n)
{
    *n = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, " ,");
        if (!len)
            break;
        if (*n == BO_TAX_RATES_MAX)
            return bo__error_set(BO_EINVAL, "rates: more than %d rates",
                                 BO_TAX_RATES_MAX);
        if (len > BO_CODE_MAX)
            return bo__error_set(BO_ETOOLONG, "rates: a rate code is longer "
                                 "than %d bytes", BO_CODE_MAX);
        memcpy(codes[*n], p, len);
        codes[*n][len] = '\0';
        for (int i = 0; i < *n; i++)
            if (strcmp(codes[i], codes[*n]) == 0)
                return bo__error_set(BO_EINVAL, "rates: '%s' is listed twice",
                                     codes[i]);
        (*n)++;
        p += len;
    }
    return 0;
}

struct cat_ctx {
    const char *code, *name, *rates;
};

static int category_add_tx(bo_book *b, void *p)
{
    struct cat_ctx *c = p;
    int rc, found, n;
    char codes[BO_TAX_RATES_MAX][BO_CODE_MAX + 1];
    if ((rc = bo__require(b, BO__P_TAX_ADMIN)))
        return rc;
    if ((rc = split_rates(c->rates, codes, &n)))
        return rc;
    if ((rc = bo__store_row(b->store, SQL_CATEGORY_EXISTS, &found, "t", c->code)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: tax category '%s' already exists",
                             c->code);
    bo__buf norm = BO__BUF_INIT;
    for (int i = 0; i < n && !rc; i++) {
        if ((rc = bo__store_row(b->store, SQL_RATE_EXISTS, &found, "t", codes[i])))
            break;
        if (!found)
            rc = bo__error_set(BO_ENOTFOUND, "rates: tax rate '%s' not found",
                               codes[i]);
        bo__buf_printf(&norm, "%s%s", i ? " " : "", codes[i]);
    }
    if (!rc && norm.failed)
        rc = BO_ENOMEM;
    if (!rc)
        rc = bo__store_run(b->store, SQL_CATEGORY_INSERT, "ttt", c->code, c->name,
                           norm.ptr ? norm.ptr : "");
    if (!rc) {
        bo__buf d = BO__BUF_INIT;
        bo__buf_field(&d, c->name);
        bo__buf_field(&d, norm.ptr ? norm.ptr : "");
        rc = d.failed ? BO_ENOMEM : 0;
        char object[BO_CODE_MAX + 16];
        snprintf(object, sizeof object, "tax_category:%s", c->code);
        if (!rc)
            rc = bo__audit_append(b, "commerce.tax_category.add", object, d.ptr);
        bo__buf_free(&d);
    }
    bo__buf_free(&norm);
    return rc;
}

int bo_tax_category_add(bo_book *b, const char *code, const char *name,
                        const char *rates)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)) ||
        (rc = bo__text_check("rates", rates, BO_TEXT_MAX, false, true)))
        return rc;
    struct cat_ctx c = { code, name, rates };
    return bo__write(b, category_add_tx, &c);
}

/* ---- lists --------------------------------------------------------------- */

static const bo__col rate_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "rate_ppm", BO_TYPE_INT },
    { "sales_account", BO_TYPE_TEXT }, { "purchase_account", BO_TYPE_TEXT },
    { "compound", BO_TYPE_INT },
};
static const bo__col category_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "rates", BO_TYPE_TEXT },
};

int bo_tax_rates(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_RATES, rate_cols, 6, out, "");
}

int bo_tax_categories(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_CATEGORIES, category_cols, 3, out,
                       "");
}

/* ---- computation ---------------------------------------------------------- */

/* The taxes on net (>= 0) by the category's rates, in order. */
static int taxes_on(bo__tax_result *r, int64_t net)
{
    int64_t before = 0; /* taxes so far, for compound rates */
    r->net = net;
    r->tax = 0;
    for (int i = 0; i < r->n; i++) {
        bo__tax_line *t = &r->lines[i];
        int rc;
        if (t->compound && (rc = bo_money_add(net, before, &t->base)))
            return rc;
        if (!t->compound)
            t->base = net;
        if ((rc = bo_money_muldiv(t->base, t->rate_ppm, 1000000, BO_ROUND_HALF_UP,
                                  &t->amount)) ||
            (rc = bo_money_add(before, t->amount, &before)))
            return rc;
    }
    r->tax = before;
    return bo_money_add(net, before, &r->gross);
}

struct category_rates {
    char codes[BO_TAX_RATES_MAX][BO_CODE_MAX + 1];
    int n;
};

static int category_row(bo__stmt *s, void *p)
{
    struct category_rates *c = p;
    return split_rates(bo__stmt_col_text(s, 0), c->codes, &c->n);
}

static int load_category(bo_book *b, const char *category, bo__tax_result *r)
{
    struct category_rates c;
    int found;
    c.n = 0;
    int rc = bo__store_row_read(b->store, SQL_CATEGORY_RATES, category_row, &c, &found,
                                "t", category);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "tax category '%s' not found", category);
    r->n = rc ? 0 : c.n;
    for (int i = 0; i < r->n && !rc; i++) {
        bo__tax_line *t = &r->lines[i];
        strcpy(t->rate, c.codes[i]);
        rc = bo__store_row(b->store, SQL_RATE_GET, &found, "t>iitt", c.codes[i],
                           &t->rate_ppm, &t->compound, t->sales_account,
                           sizeof t->sales_account, t->purchase_account,
                           sizeof t->purchase_account);
        if (!rc && !found)
            rc = bo__error_set(BO_ENOTFOUND, "tax category '%s': rate '%s' "
                               "not found", category, c.codes[i]);
    }
    return rc;
}

int bo__tax_category_load(bo_book *b, const char *category, bo__tax_result *r)
{
    memset(r, 0, sizeof *r);
    return load_category(b, category, r);
}

int bo__tax_compute(bo_book *b, const char *category, int64_t amount,
                    int inclusive, bo__tax_result *r)
{
    bo__tax_result rates;
    int rc = bo__tax_category_load(b, category, &rates);
    return rc ? rc : bo__tax_compute_loaded(&rates, amount, inclusive, r);
}

int bo__tax_compute_loaded(const bo__tax_result *rates, int64_t amount, int inclusive,
                           bo__tax_result *r)
{
    int rc;
    memset(r, 0, sizeof *r);
    r->n = rates->n;
    for (int i = 0; i < r->n; i++) {
        bo__tax_line *t = &r->lines[i];
        memcpy(t->rate, rates->lines[i].rate, sizeof t->rate);
        t->rate_ppm = rates->lines[i].rate_ppm;
        t->compound = rates->lines[i].compound;
        memcpy(t->sales_account, rates->lines[i].sales_account, sizeof t->sales_account);
        memcpy(t->purchase_account, rates->lines[i].purchase_account,
               sizeof t->purchase_account);
    }
    if (amount == INT64_MIN)
        return bo__error_set(BO_EOVERFLOW, "amount: out of range");
    int negative = amount < 0;
    int64_t a = negative ? -amount : amount;
    if (!inclusive) {
        if ((rc = taxes_on(r, a)))
            return bo__error_prefix("tax on %" PRId64 ": ", amount);
    } else {
        /* The largest net whose gross does not exceed the price: gross is
         * non-decreasing in net, so a binary search finds it exactly. */
        int64_t lo = 0, hi = a;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if ((rc = taxes_on(r, mid)))
                return bo__error_prefix("tax in %" PRId64 ": ", amount);
            if (r->gross <= a)
                lo = mid;
            else
                hi = mid - 1;
        }
        if ((rc = taxes_on(r, lo)))
            return rc;
        /* Rounding may leave a unit or two: the last rate takes it, so net
         * plus taxes is the price exactly. */
        int64_t rest = a - r->gross;
        if (rest && r->n) {
            r->lines[r->n - 1].amount += rest;
            r->tax += rest;
        } else if (rest) {
            r->net += rest;
        }
        r->gross = a;
    }
    if (negative) {
        r->net = -r->net;
        r->tax = -r->tax;
        r->gross = -r->gross;
        for (int i = 0; i < r->n; i++) {
            r->lines[i].base = -r->lines[i].base;
            r->lines[i].amount = -r->lines[i].amount;
        }
    }
    return 0;
}

int bo_tax_compute(bo_book *b, const char *category, int64_t amount,
                   int inclusive, int64_t *net, int64_t *tax)
{
    bo__error_clear();
    if (!b || !net || !tax)
        return bo__error_set(BO_EINVAL, "book/net/tax: NULL");
    int rc;
    if ((rc = bo__name_check("category", category, BO_CODE_MAX)) ||
        (rc = bo__require(b, BO__P_LEDGER_READ)))
        return rc;
    bo__tax_result r;
    if ((rc = bo__tax_compute(b, category, amount, inclusive, &r)))
        return rc;
    *net = r.net;
    *tax = r.tax;
    return 0;
}
