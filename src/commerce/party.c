/* Parties: the customers and vendors the business trades with. */
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stddef.h>
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

/* The fields bo_party_update may change, each with its member of
 * bo_party_changes and its own UPDATE, so statements stay cached and no
 * column name is ever built from input. */
enum { F_TEXT, F_ACCOUNT, F_CURRENCY, F_ROLES, F_TERMS, F_ACTIVE };
#define PC(m) offsetof(bo_party_changes, m)
static const struct {
    const char *name;
    int kind;
    int required; /* cannot be cleared */
    size_t member;
    const char *sql;
} fields[] = {
    { "name", F_TEXT, 1, PC(name), "UPDATE parties SET name = ? WHERE code = ?" },
    { "roles", F_ROLES, 1, PC(roles), "UPDATE parties SET roles = ? WHERE code = ?" },
    { "currency", F_CURRENCY, 1, PC(currency),
      "UPDATE parties SET currency = ? WHERE code = ?" },
    { "tax_id", F_TEXT, 0, PC(tax_id), "UPDATE parties SET tax_id = ? WHERE code = ?" },
    { "email", F_TEXT, 0, PC(email), "UPDATE parties SET email = ? WHERE code = ?" },
    { "phone", F_TEXT, 0, PC(phone), "UPDATE parties SET phone = ? WHERE code = ?" },
    { "address", F_TEXT, 0, PC(address), "UPDATE parties SET address = ? WHERE code = ?" },
    { "terms_days", F_TERMS, 1, PC(terms_days),
      "UPDATE parties SET terms_days = ? WHERE code = ?" },
    { "receivable_account", F_ACCOUNT, 0, PC(receivable_account),
      "UPDATE parties SET receivable_account = ? WHERE code = ?" },
    { "payable_account", F_ACCOUNT, 0, PC(payable_account),
      "UPDATE parties SET payable_account = ? WHERE code = ?" },
    { "revenue_account", F_ACCOUNT, 0, PC(revenue_account),
      "UPDATE parties SET revenue_account = ? WHERE code = ?" },
    { "expense_account", F_ACCOUNT, 0, PC(expense_account),
      "UPDATE parties SET expense_account = ? WHERE code = ?" },
    { "active", F_ACTIVE, 1, PC(active), "UPDATE parties SET active = ? WHERE code = ?" },
};
#undef PC
#define NFIELDS (sizeof fields / sizeof fields[0])

static int check_roles(int roles)
{
    if (roles < BO_PARTY_CUSTOMER || roles > (BO_PARTY_CUSTOMER | BO_PARTY_VENDOR))
        return bo__error_set(BO_EINVAL, "roles: %d is not customer (1), vendor "
                             "(2) or both (3)", roles);
    return 0;
}

/* "customer", "vendor", "customer,vendor" (or "vendor customer"). */
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

/* A change: the field, and its value as text (NULL clears; integers in
 * decimal, as the audit record shows them). */
struct change { size_t field; const char *value; char num[24]; };
struct update_ctx { const char *code; struct change ch[NFIELDS]; size_t n; };

/* Check (write 0) or write (write 1) the change @ch of party @code. */
static int party_change(bo_book *b, const char *code, const struct change *ch, int write)
{
    int rc, kind = fields[ch->field].kind;
    const char *name = fields[ch->field].name, *value = ch->value;
    if (!write) {
        bo__ledger_acct acc;
        if (value && kind == F_ACCOUNT && bo__ledger_account(b, value, &acc))
            return bo__error_prefix("%s: ", name);
        return 0;
    }
    if (value && (kind == F_ROLES || kind == F_TERMS || kind == F_ACTIVE))
        rc = bo__store_run(b->store, fields[ch->field].sql, "it",
                           strtoll(value, NULL, 10), code);
    else
        rc = bo__store_run(b->store, fields[ch->field].sql, "tt", value, code);
    if (rc)
        return rc;
    char object[BO_CODE_MAX + 16];
    audit_object(object, sizeof object, code);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, name);
    bo__buf_field(&d, value);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "commerce.party.set", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

static int update_tx(bo_book *b, void *p)
{
    struct update_ctx *c = p;
    int rc, found = 0;
    if ((rc = bo__require(b, BO__P_PARTY_WRITE)) ||
        (rc = bo__store_row(b->store, SQL_EXISTS, &found, "t", c->code)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "party '%s' not found", c->code);
    for (int write = 0; write <= 1; write++)
        for (size_t i = 0; i < c->n; i++)
            if ((rc = party_change(b, c->code, &c->ch[i], write)))
                return rc;
    return 0;
}

/* The member of field @i in @o as a change (or nothing when unchanged),
 * checked. */
static int party_member(const bo_party_changes *o, size_t i, struct change *ch, size_t *n)
{
    const char *field = fields[i].name;
    const char *p = (const char *)o + fields[i].member;
    int rc = 0, kind = fields[i].kind, exp;
    ch->field = i;
    if (kind == F_ROLES || kind == F_TERMS || kind == F_ACTIVE) {
        int v = *(const int *)(const void *)p;
        if (v == BO_UNCHANGED)
            return 0;
        if (kind == F_ROLES)
            rc = check_roles(v);
        else if (v < 0 || v > (kind == F_TERMS ? 3650 : 1))
            rc = bo__error_set(BO_EINVAL, "%s: expected an integer in 0..%d", field,
                               kind == F_TERMS ? 3650 : 1);
        if (rc)
            return rc;
        snprintf(ch->num, sizeof ch->num, "%d", v);
        ch->value = ch->num;
        ++*n;
        return 0;
    }
    const char *v = *(const char *const *)(const void *)p;
    if (!v)
        return 0;
    if (!*v && !fields[i].required) {
        ch->value = NULL; /* "" clears an optional field */
        ++*n;
        return 0;
    }
    switch (kind) {
    case F_TEXT:
        rc = bo__text_check(field, v, BO_TEXT_MAX, false, false);
        break;
    case F_ACCOUNT:
        rc = bo__name_check(field, v, BO_CODE_MAX);
        break;
    default: /* F_CURRENCY */
        if ((rc = bo_currency_exponent(v, &exp)))
            rc = bo__error_prefix("%s: ", field);
        break;
    }
    if (rc)
        return rc;
    ch->value = v;
    ++*n;
    return 0;
}

int bo_party_changes_init(bo_party_changes *changes, unsigned int version)
{
    static const bo_party_changes defaults = BO_PARTY_CHANGES_INIT;
    return bo__opts_init(changes, version, BO_PARTY_CHANGES_VERSION, &defaults,
                         sizeof defaults);
}

int bo_party_update(bo_book *b, const char *code, const bo_party_changes *o)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__opts_check(o, BO_PARTY_CHANGES_VERSION)) ||
        (rc = bo__name_check("code", code, BO_CODE_MAX)))
        return rc;
    struct update_ctx c;
    c.code = code;
    c.n = 0;
    for (size_t i = 0; i < NFIELDS; i++)
        if ((rc = party_member(o, i, &c.ch[c.n], &c.n)))
            return rc;
    if (!c.n)
        return bo__error_set(BO_EINVAL, "changes: nothing to change");
    return bo__write(b, update_tx, &c);
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
