/*
 * Settings, numbering series without gaps, and the small helpers the other
 * billing files share.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int bo__bill_party_sign(int kind)
{
    return kind == BO_INVOICE_SALES || kind == BO_INVOICE_PURCHASE_CREDIT ? 1 : -1;
}

int bo__bill_side(int kind)
{
    return kind == BO_INVOICE_SALES || kind == BO_INVOICE_SALES_CREDIT
               ? BO_BILLING_RECEIVABLE : BO_BILLING_PAYABLE;
}

const char *bo__bill_kind_name(int kind)
{
    switch (kind) {
    case BO_INVOICE_SALES: return "sales";
    case BO_INVOICE_PURCHASE: return "purchase";
    case BO_INVOICE_SALES_CREDIT: return "sales_credit";
    case BO_INVOICE_PURCHASE_CREDIT: return "purchase_credit";
    default: return "?";
    }
}

int bo__bill_date_ok(const char *field, bo_date d)
{
    if (d < BO_DATE_MIN || d > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "%s: outside 0001-01-01..9999-12-31", field);
    return 0;
}

/* ---- settings ------------------------------------------------------------- */

int bo__bill_setting(bo_book *b, const char *key, char *out, size_t size)
{
    int found;
    int rc = bo__setting_get(b, "billing", key, out, size, &found);
    return rc ? rc : found;
}

/* The schedules after id, one at a time, with the columns their audit
 * state held before version 19, and that state as last recorded. */
static const char SQL_CARRY_NEXT[] =
    "SELECT id, template_id, months, next_date FROM bill_recurring WHERE id > ?"
    " ORDER BY id LIMIT 1";
/* Every recorded state of the schedules, by schedule and in the chain's
 * order: one pass (audit_states has no index by record since version 20,
 * docs/architecture.md "Storing the states"), the last of each kept. */
static const char SQL_CARRY_STATES[] =
    "SELECT id, digest FROM audit_states WHERE kind = 'recurring' AND name = ''"
    " ORDER BY id, seq";

typedef struct carried {
    int64_t id;
    char digest[BO_HASH_HEX_SIZE + 8];
} carried;

/* The last recorded state of every schedule, by id: *out (bo__free it). */
static int carry_last_states(bo_book *b, carried **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_CARRY_STATES, &s);
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t id = bo__stmt_col_int(s, 0);
        const char *d = bo__stmt_col_text(s, 1);
        if (*n == 0 || (*out)[*n - 1].id != id) {
            void *m = *out;
            rc = bo__grow(&m, &cap, *n, sizeof **out);
            *out = m;
            if (rc)
                break;
            (*out)[(*n)++].id = id;
        }
        snprintf((*out)[*n - 1].digest, sizeof (*out)[0].digest, "%s", d ? d : "");
    }
    bo__stmt_done(s);
    if (rc < 0) {
        bo__free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    return 0;
}

static const carried *carried_find(const carried *c, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c[mid].id == id)
            return &c[mid];
        if (c[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Version 19 added start_date and made to every schedule (start = its next
 * date, none made), which changes the state the full verification reads.
 * A schedule whose recorded state is its state as found before (id,
 * template_id, months, next_date: src/core/verify.c, hash_row) has its new
 * state recorded by the upgrade's record; otherwise the recorded state
 * stays, so an edit made before the upgrade is still found. */
static int carry_recurring(bo_book *b)
{
    carried *last;
    size_t nlast;
    int rc = carry_last_states(b, &last, &nlast);
    if (rc)
        return rc;
    int64_t after = 0;
    for (;;) {
        int found = 0;
        int64_t id = 0, tmpl = 0, months = 0;
        char next[64] = "", before[65];
        if ((rc = bo__store_row(b->store, SQL_CARRY_NEXT, &found, "i>iiit", after, &id, &tmpl,
                                &months, next, sizeof next)) || !found)
            break;
        after = id;
        bo__sha h;
        bo__sha_init(&h);
        bo__sha_field_int(&h, id);
        bo__sha_field_int(&h, tmpl);
        bo__sha_field_int(&h, months);
        bo__sha_field(&h, next, strlen(next));
        bo__sha_hex(&h, before);
        const carried *was = carried_find(last, nlast, id);
        if (was && strcmp(was->digest, before) == 0 && (rc = bo__audit_touch(b, "recurring", id)))
            break;
    }
    bo__free(last);
    return rc;
}

int bo__bill_seed(bo_book *b, int from)
{
    /* Books that kept audit states: carry those of bill_settings over
     * (older ones record every state at their upgrade). */
    if (from < BO__SCHEMA_AUDIT_STATES)
        return 0;
    int rc = 0;
    if (from < BO__SCHEMA_SETTINGS)
        rc = bo__setting_carry(b, "bill.setting", "billing", NULL);
    if (!rc && from < BO__SCHEMA_BILL_RECURRING_START)
        rc = carry_recurring(b);
    return rc;
}

int bo__bill_setting_account(bo_book *b, const char *key, char out[BO_CODE_MAX + 1])
{
    int rc = bo__bill_setting(b, key, out, BO_CODE_MAX + 1);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return bo__error_set(BO_EINVAL, "settings: %s is not set", key);
    return 0;
}

static const char *const account_keys[] = {
    "receivable_account", "payable_account", "write_off_account",
    "fx_gain_account", "fx_loss_account", "fx_unrealized_account",
    "fx_revaluation_account", NULL
};

struct setting_ctx {
    const char *key, *value;
};

static int setting_tx(bo_book *b, void *p)
{
    struct setting_ctx *c = p;
    int rc = bo__setting_put(b, "billing", c->key, c->value);
    char object[BO_CODE_MAX + 32];
    snprintf(object, sizeof object, "setting:billing.%s", c->key);
    if (!rc)
        rc = bo__audit_append(b, "billing.setting.set", object, c->value);
    return rc;
}

int bo_billing_setting_set(bo_book *book, const char *key, const char *value)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_ADMIN)) ||
        (rc = bo__text_check("key", key, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("value", value, BO_TEXT_MAX, false, false)))
        return rc;
    int is_account = 0;
    for (int i = 0; account_keys[i]; i++)
        is_account |= strcmp(key, account_keys[i]) == 0;
    if (is_account) {
        bo__ledger_acct a;
        if ((rc = bo__ledger_account(book, value, &a)))
            return bo__error_prefix("%s: ", key);
        if (strcmp(a.currency, book->base_currency) != 0 &&
            strcmp(key, "receivable_account") && strcmp(key, "payable_account"))
            return bo__error_set(BO_ECURRENCY, "%s: account '%s' is not kept in "
                                 "the book currency %s", key, value,
                                 book->base_currency);
    } else if (strcmp(key, "write_off_limit") == 0) {
        int64_t v;
        if ((rc = bo_money_parse(value, book->base_currency, &v)))
            return bo__error_prefix("write_off_limit: ");
        if (v < 0)
            return bo__error_set(BO_EINVAL, "write_off_limit: negative");
    } else if (!strcmp(key, "debtor_iban") || !strncmp(key, "iban.", 5)) {
        /* payment batches (pain001.c): our account, a vendor's account */
        if ((rc = bo__iban_check(key, value)))
            return rc;
    } else if (!strcmp(key, "debtor_bic") || !strncmp(key, "bic.", 4)) {
        if ((rc = bo__bic_check(key, value)))
            return rc;
    } else if (strcmp(key, "debtor_name")) {
        return bo__error_set(BO_EINVAL, "key: unknown billing setting");
    }
    struct setting_ctx c = { key, value };
    return bo__write(book, setting_tx, &c);
}

int bo_billing_settings(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__setting_list(book, BO__P_BILLING_READ, "billing", out);
}

/* ---- series --------------------------------------------------------------- */

static const char SQL_SERIES[] =
    "SELECT prefix, next_number, used FROM bill_series WHERE code = ?";
static const char SQL_SERIES_ADD[] =
    "INSERT INTO bill_series (code, prefix, next_number, used) VALUES (?, ?, ?, 0)";
/* Guarded by the number read, so a concurrent taker fails instead of
 * repeating a number (the UNIQUE (series, number) is the last guard). */
static const char SQL_SERIES_TAKE[] =
    "UPDATE bill_series SET next_number = next_number + 1, used = used + 1"
    " WHERE code = ? AND next_number = ?";
static const char SQL_SERIES_NEXT[] =
    "UPDATE bill_series SET next_number = ? WHERE code = ?";

static int series_read(bo_book *b, const char *code, int64_t *next, int64_t *used,
                       int *found)
{
    return bo__store_row(b->store, SQL_SERIES, found, "t>-ii", code, next, used);
}

int bo__bill_number_next(bo_book *b, const char *series, int64_t want, int64_t *number,
                         int *made)
{
    int64_t used = 0;
    *number = 1;
    int rc = series_read(b, series, number, &used, made);
    if (rc)
        return rc;
    if (!*made)
        *number = 1;
    if (want > 0 && want != *number)
        return bo__error_set(BO_ESEQUENCE, "number: %" PRId64 " in series '%s' "
                             "would %s: the next number is %" PRId64, want, series,
                             want > *number ? "leave a gap" : "repeat a number", *number);
    return 0;
}

int bo__bill_number_use(bo_book *b, const char *series, int64_t number, int made)
{
    int rc;
    if (!made) {
        char prefix[BO_CODE_MAX + 2];
        snprintf(prefix, sizeof prefix, "%s-", series);
        if ((rc = bo__store_run(b->store, SQL_SERIES_ADD, "tti", series, prefix, (int64_t)1)))
            return rc;
    }
    if ((rc = bo__store_run(b->store, SQL_SERIES_TAKE, "ti", series, number)))
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_ECONFLICT, "series '%s': taken by another writer",
                             series);
    return bo__audit_touch_name(b, "series", series); /* named by the document's record */
}

int bo__bill_number_take(bo_book *b, const char *series, int64_t want, int64_t *number)
{
    int64_t next;
    int made;
    int rc = bo__bill_number_next(b, series, want, &next, &made);
    if (!rc && !(rc = bo__bill_number_use(b, series, next, made)))
        *number = next;
    return rc;
}

struct series_ctx {
    const char *code, *prefix;
    int64_t next;
};

static int series_add_tx(bo_book *b, void *p)
{
    struct series_ctx *c = p;
    int64_t next, used;
    int found, rc;
    if ((rc = series_read(b, c->code, &next, &used, &found)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "series '%s': already exists", c->code);
    if ((rc = bo__store_run(b->store, SQL_SERIES_ADD, "tti", c->code, c->prefix, c->next)))
        return rc;
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "series:%s", c->code);
    return bo__audit_append(b, "billing.series.add", object, c->prefix);
}

int bo_billing_series_add(bo_book *book, const char *code, const char *prefix,
                       int64_t next)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_ADMIN)) ||
        (rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("prefix", prefix, BO_CODE_MAX, false, true)))
        return rc;
    if (next < 1)
        return bo__error_set(BO_EINVAL, "next: must be at least 1");
    struct series_ctx c = { code, prefix, next };
    return bo__write(book, series_add_tx, &c);
}

static int series_next_tx(bo_book *b, void *p)
{
    struct series_ctx *c = p;
    int64_t next, used;
    int found, rc;
    if ((rc = series_read(b, c->code, &next, &used, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "series '%s': not found", c->code);
    if (c->next == next)
        return 0;
    if (used > 0)
        return bo__error_set(BO_ESEQUENCE, "next: series '%s' has numbered %" PRId64
                             " document(s); moving its next number from %" PRId64
                             " to %" PRId64 " would %s", c->code, used, next, c->next,
                             c->next > next ? "leave a gap" : "repeat numbers");
    if ((rc = bo__store_run(b->store, SQL_SERIES_NEXT, "it", c->next, c->code)))
        return rc;
    char detail[32], object[BO_CODE_MAX + 16];
    snprintf(detail, sizeof detail, "%" PRId64, c->next);
    snprintf(object, sizeof object, "series:%s", c->code);
    return bo__audit_append(b, "billing.series.set_next", object, detail);
}

int bo_billing_series_set_next(bo_book *book, const char *code, int64_t next)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_ADMIN)) ||
        (rc = bo__text_check("code", code, BO_CODE_MAX, false, false)))
        return rc;
    if (next < 1)
        return bo__error_set(BO_EINVAL, "next: must be at least 1");
    struct series_ctx c = { code, NULL, next };
    return bo__write(book, series_next_tx, &c);
}

static const char SQL_SERIES_LIST[] =
    "SELECT code, prefix, next_number, used FROM bill_series ORDER BY code";
static const bo__col series_cols[] = {
    { "code", BO_TYPE_TEXT }, { "prefix", BO_TYPE_TEXT },
    { "next", BO_TYPE_INT }, { "used", BO_TYPE_INT },
};

int bo_billing_series(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(book, BO__P_BILLING_READ, NULL, SQL_SERIES_LIST, series_cols, 4, out,
                       "");
}
