/* Parties: the customers and vendors the business trades with. */
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_INSERT[] =
    "INSERT INTO parties (code, name, roles, currency) VALUES (?, ?, ?, ?)";
static const char SQL_EXISTS[] = "SELECT 1 FROM parties WHERE code = ?";
static const char SQL_FIND[] =
    "SELECT id, roles, active, terms_days, currency, receivable_account,"
    " payable_account, revenue_account, expense_account FROM parties WHERE code = ?";
static const char SQL_GET[] =
    "SELECT code, name, roles, currency, tax_id, email, phone, address,"
    " terms_days, receivable_account, payable_account, revenue_account,"
    " expense_account, active FROM parties WHERE code = ?";
static const char SQL_LIST[] =
    "SELECT code, name, roles, currency, terms_days, active FROM parties"
    " WHERE (roles & ?) = ? ORDER BY code";

/* The settable fields; each has its own UPDATE so statements stay cached
 * and no column name is ever built from input. */
enum { F_TEXT, F_ACCOUNT, F_CURRENCY, F_ROLES, F_TERMS, F_ACTIVE };
static const struct {
    const char *name;
    int kind;
    int required; /* cannot be cleared */
    const char *sql;
} fields[] = {
    { "name", F_TEXT, 1, "UPDATE parties SET name = ? WHERE code = ?" },
    { "roles", F_ROLES, 1, "UPDATE parties SET roles = ? WHERE code = ?" },
    { "currency", F_CURRENCY, 1, "UPDATE parties SET currency = ? WHERE code = ?" },
    { "tax_id", F_TEXT, 0, "UPDATE parties SET tax_id = ? WHERE code = ?" },
    { "email", F_TEXT, 0, "UPDATE parties SET email = ? WHERE code = ?" },
    { "phone", F_TEXT, 0, "UPDATE parties SET phone = ? WHERE code = ?" },
    { "address", F_TEXT, 0, "UPDATE parties SET address = ? WHERE code = ?" },
    { "terms_days", F_TERMS, 1, "UPDATE parties SET terms_days = ? WHERE code = ?" },
    { "receivable_account", F_ACCOUNT, 0,
      "UPDATE parties SET receivable_account = ? WHERE code = ?" },
    { "payable_account", F_ACCOUNT, 0,
      "UPDATE parties SET payable_account = ? WHERE code = ?" },
    { "revenue_account", F_ACCOUNT, 0,
      "UPDATE parties SET revenue_account = ? WHERE code = ?" },
    { "expense_account", F_ACCOUNT, 0,
      "UPDATE parties SET expense_account = ? WHERE code = ?" },
    { "active", F_ACTIVE, 1, "UPDATE parties SET active = ? WHERE code = ?" },
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static int check_roles(int roles)
{
    if (roles < BO_PARTY_CUSTOMER || roles > (BO_PARTY_CUSTOMER | BO_PARTY_VENDOR))
        return bo__error_set(BO_EINVAL, "roles: %d is not customer (1), vendor "
                             "(2) or both (3)", roles);
    return 0;
}

/* "customer", "vendor", "customer,vendor" (or "vendor customer"). */
static int parse_roles(const char *text, int *roles)
{
    *roles = 0;
    for (const char *p = text; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, " ,");
        if (!n)
            break;
        if (n == 8 && memcmp(p, "customer", 8) == 0)
            *roles |= BO_PARTY_CUSTOMER;
        else if (n == 6 && memcmp(p, "vendor", 6) == 0)
            *roles |= BO_PARTY_VENDOR;
        else
            return bo__error_set(BO_EINVAL, "roles: '%.*s' is not customer or "
                                 "vendor", (int)(n > 32 ? 32 : n), p);
        p += n;
    }
    return check_roles(*roles);
}

static void audit_object(char *out, size_t size, const char *code)
{
    snprintf(out, size, "party:%s", code);
}

struct add_ctx {
    const char *code, *name, *currency;
    int roles;
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_PARTY_WRITE)))
        return rc;
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_EXISTS, &found, "t", c->code)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: party '%s' already exists", c->code);
    const char *cur = c->currency ? c->currency : b->base_currency;
    if ((rc = bo__store_run(b->store, SQL_INSERT, "ttit", c->code, c->name, c->roles, cur)))
        return rc;
    char roles[4], object[BO_CODE_MAX + 16];
    snprintf(roles, sizeof roles, "%d", c->roles);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->name);
    bo__buf_field(&d, roles);
    bo__buf_field(&d, cur);
    rc = d.failed ? BO_ENOMEM : 0;
    audit_object(object, sizeof object, c->code);
    if (!rc)
        rc = bo__audit_append(b, "commerce.party.add", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

int bo_party_add(bo_book *b, const char *code, const char *name, int roles,
                 const char *currency)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc, exp;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)) ||
        (rc = check_roles(roles)))
        return rc;
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    struct add_ctx c = { code, name, currency, roles };
    return bo__write(b, add_tx, &c);
}

struct set_ctx {
    const char *code, *value;
    size_t field;
};

static int set_tx(bo_book *b, void *p)
{
    struct set_ctx *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_PARTY_WRITE)))
        return rc;
    const char *value = c->value;
    char num[24];
    int kind = fields[c->field].kind;
    if (value && kind == F_ACCOUNT) {
        bo__ledger_acct acc;
        if ((rc = bo__ledger_account(b, value, &acc)))
            return bo__error_prefix("%s: ", fields[c->field].name);
    } else if (value && kind == F_ROLES) {
        int roles;
        if ((rc = parse_roles(value, &roles)))
            return rc;
        snprintf(num, sizeof num, "%d", roles);
        value = num;
    }
    if (value && (kind == F_ROLES || kind == F_TERMS || kind == F_ACTIVE))
        rc = bo__store_run(b->store, fields[c->field].sql, "it",
                           strtoll(value, NULL, 10), c->code);
    else
        rc = bo__store_run(b->store, fields[c->field].sql, "tt", value, c->code);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_ENOTFOUND, "party '%s' not found", c->code);
    char object[BO_CODE_MAX + 16];
    audit_object(object, sizeof object, c->code);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, fields[c->field].name);
    bo__buf_field(&d, value);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "commerce.party.set", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

/* A decimal integer in lo..hi, as text. */
static int check_int_text(const char *field, const char *v, long lo, long hi)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < lo || n > hi)
        return bo__error_set(BO_EINVAL, "%s: expected an integer in %ld..%ld",
                             field, lo, hi);
    return 0;
}

int bo_party_set(bo_book *b, const char *code, const char *field,
                 const char *value)
{
    bo__error_clear();
    if (!b || !field)
        return bo__error_set(BO_EINVAL, "book/field: NULL");
    int rc, exp;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)))
        return rc;
    size_t i = 0;
    while (i < NFIELDS && strcmp(fields[i].name, field) != 0)
        i++;
    if (i == NFIELDS) {
        char q[80];
        bo__quote(field, 32, q, sizeof q);
        return bo__error_set(BO_EINVAL, "field: '%s' is not a party field", q);
    }
    if (!value && fields[i].required)
        return bo__error_set(BO_EINVAL, "%s: cannot be cleared", field);
    if (value) {
        switch (fields[i].kind) {
        case F_TEXT:
            rc = bo__text_check(field, value, BO_TEXT_MAX, false, !fields[i].required);
            break;
        case F_ACCOUNT:
            rc = bo__name_check(field, value, BO_CODE_MAX);
            break;
        case F_CURRENCY:
            if ((rc = bo_currency_exponent(value, &exp)))
                rc = bo__error_prefix("%s: ", field);
            break;
        case F_ROLES:
            rc = bo__text_check(field, value, 64, false, false);
            break;
        case F_TERMS:
            rc = check_int_text(field, value, 0, 3650);
            break;
        case F_ACTIVE:
            rc = check_int_text(field, value, 0, 1);
            break;
        }
        if (rc)
            return rc;
    }
    struct set_ctx c = { code, value, i };
    return bo__write(b, set_tx, &c);
}

static const bo__col get_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "roles", BO_TYPE_INT },
    { "currency", BO_TYPE_TEXT }, { "tax_id", BO_TYPE_TEXT }, { "email", BO_TYPE_TEXT },
    { "phone", BO_TYPE_TEXT }, { "address", BO_TYPE_TEXT },
    { "terms_days", BO_TYPE_INT }, { "receivable_account", BO_TYPE_TEXT },
    { "payable_account", BO_TYPE_TEXT }, { "revenue_account", BO_TYPE_TEXT },
    { "expense_account", BO_TYPE_TEXT }, { "active", BO_TYPE_INT },
};
static const bo__col list_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "roles", BO_TYPE_INT },
    { "currency", BO_TYPE_TEXT }, { "terms_days", BO_TYPE_INT },
    { "active", BO_TYPE_INT },
};

int bo_party_get(bo_book *b, const char *code, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__require(b, BO__P_PARTY_READ)))
        return rc;
    bo__party p;
    if ((rc = bo__party_find(b, code, &p)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_GET, get_cols, 14, out, "t", code);
}

int bo_parties(bo_book *b, int roles, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc;
    if (roles && (rc = check_roles(roles)))
        return rc;
    return bo__listing(b, BO__P_PARTY_READ, NULL, SQL_LIST, list_cols, 6, out, "ii",
                       roles, roles);
}

int bo__party_find(bo_book *b, const char *code, bo__party *out)
{
    memset(out, 0, sizeof *out);
    int found;
    int rc = bo__store_row(b->store, SQL_FIND, &found, "t>iiiittttt", code, &out->id,
                           &out->roles, &out->active, &out->terms_days, out->currency,
                           sizeof out->currency, out->receivable_account,
                           sizeof out->receivable_account, out->payable_account,
                           sizeof out->payable_account, out->revenue_account,
                           sizeof out->revenue_account, out->expense_account,
                           sizeof out->expense_account);
    if (!rc && found) {
        snprintf(out->code, sizeof out->code, "%s", code);
    } else if (!rc) {
        char q[BO_CODE_MAX * 4 + 8];
        bo__quote(code, BO_CODE_MAX, q, sizeof q);
        rc = bo__error_set(BO_ENOTFOUND, "party %s not found", q);
    }
    return rc;
}
