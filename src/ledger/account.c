/* The chart of accounts. */
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const type_names[] = {
    NULL, "asset", "liability", "equity", "income", "expense"
};

int bo_account_type_parse(const char *name)
{
    bo__error_clear();
    for (int t = BO_ACCOUNT_ASSET; t <= BO_ACCOUNT_EXPENSE; t++)
        if (name && strcmp(name, type_names[t]) == 0)
            return t;
    return bo__error_set(BO_EINVAL, "type: '%.32s' is not one of asset, "
                         "liability, equity, income, expense", name ? name : "");
}

const char *bo_account_type_name(int type)
{
    return type >= BO_ACCOUNT_ASSET && type <= BO_ACCOUNT_EXPENSE
         ? type_names[type] : NULL;
}

static const char SQL_INSERT[] =
    "INSERT INTO accounts (code, name, type, parent_id, currency, depth, path)"
    " VALUES (?, ?, ?, ?, ?, ?, '') RETURNING id";
static const char SQL_SET_PATH[] = "UPDATE accounts SET path = ? WHERE id = ?";
static const char SQL_EXISTS[] = "SELECT 1 FROM accounts WHERE code = ?";
static const char SQL_DEPTH[] = "SELECT depth FROM accounts WHERE id = ?";
static const char SQL_CLOSE[] = "UPDATE accounts SET closed = 1 WHERE code = ?";

struct add_ctx {
    const char *code, *name, *parent, *currency;
    int type;
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    int rc, found;
    if ((rc = bo__require(b, BO__P_LEDGER_ADMIN)))
        return rc;
    if ((rc = bo__store_row(b->store, SQL_EXISTS, &found, "t", c->code)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: account '%s' already exists", c->code);
    const bo__account *parent = NULL;
    int64_t depth = 0;
    if (c->parent) {
        if ((rc = bo__account_find(b, c->parent, &parent)))
            return bo__error_prefix("parent: ");
        if (parent->type != c->type)
            return bo__error_set(BO_EINVAL, "type: account '%s' is %s but its "
                                 "parent '%s' is %s", c->code,
                                 bo_account_type_name(c->type), c->parent,
                                 bo_account_type_name(parent->type));
        if ((rc = bo__store_row(b->store, SQL_DEPTH, NULL, "i>i", parent->id, &depth)))
            return rc;
        depth++; /* 1 below a parent whose depth is not recorded */
    }
    const char *cur = c->currency ? c->currency : b->base_currency;
    int64_t id;
    if ((rc = bo__store_insert(b->store, SQL_INSERT, NULL, &id, "ttiIti", c->code, c->name,
                               c->type, parent ? parent->id : 0, cur, depth)))
        return rc;
    if (!id)
        return bo__error_set(BO_ERROR, "account: insert returned no id");
    bo__buf path = BO__BUF_INIT;
    bo__buf_printf(&path, "%s%" PRId64 "/", parent ? parent->path : "/", id);
    if (path.failed)
        return BO_ENOMEM;
    rc = bo__store_run(b->store, SQL_SET_PATH, "ti", path.ptr, id);
    bo__buf_free(&path);
    if (rc)
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->name);
    bo__buf_field(&d, bo_account_type_name(c->type));
    bo__buf_field(&d, c->parent);
    bo__buf_field(&d, cur);
    rc = d.failed ? BO_ENOMEM : 0;
    if (!rc) {
        char object[BO_CODE_MAX + 16];
        snprintf(object, sizeof object, "account:%s", c->code);
        rc = bo__audit_append(b, "ledger.account.add", object, d.ptr);
    }
    bo__buf_free(&d);
    return rc;
}

int bo_ledger_account_add(bo_book *b, const char *code, const char *name,
                          int type, const char *parent, const char *currency)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc, exp;
    if ((rc = bo__name_check("code", code, BO_CODE_MAX)) ||
        (rc = bo__text_check("name", name, BO_TEXT_MAX, false, false)) ||
        (parent && (rc = bo__name_check("parent", parent, BO_CODE_MAX))))
        return rc;
    if (!bo_account_type_name(type))
        return bo__error_set(BO_EINVAL, "type: %d is not an account type", type);
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    struct add_ctx c = { code, name, parent, currency, type };
    return bo__write(b, add_tx, &c);
}

static int close_tx(bo_book *b, void *p)
{
    const char *code = p;
    int rc;
    if ((rc = bo__require(b, BO__P_LEDGER_ADMIN)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_CLOSE, "t", code)))
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_ENOTFOUND, "code: account '%s' not found", code);
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "account:%s", code);
    if ((rc = bo__audit_append(b, "ledger.account.close", object, "")))
        return rc;
    return bo__book_bump_generation(b);
}

int bo_ledger_account_close(bo_book *b, const char *code)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__name_check("code", code, BO_CODE_MAX);
    if (rc)
        return rc;
    return bo__write(b, close_tx, (void *)code);
}

static const char SQL_LIST[] =
    "SELECT a.code, a.name, CASE a.type WHEN 1 THEN 'asset' WHEN 2 THEN 'liability'"
    " WHEN 3 THEN 'equity' WHEN 4 THEN 'income' ELSE 'expense' END,"
    " p.code, a.currency, a.closed"
    " FROM accounts a LEFT JOIN accounts p ON p.id = a.parent_id ORDER BY a.code";

static const bo__col list_cols[] = {
    { "code", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "type", BO_TYPE_TEXT },
    { "parent", BO_TYPE_TEXT }, { "currency", BO_TYPE_TEXT }, { "closed", BO_TYPE_INT },
};

int bo_ledger_accounts(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_LIST, list_cols, 6, out, "");
}
