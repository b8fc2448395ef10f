/* Tax rates and categories, parties (backoffice/commerce.h) in Python and
 * Lua: methods on Book. Included by backoffice.i after the classes. */
%rename("$ignore", regextarget=1) "^bo_tax_(rate_add|category_add|rates|categories|compute)$";
%rename("$ignore", regextarget=1) "^bo_part";
/* Options structs stay in C: methods take their members as arguments. */
%ignore bo_tax_rate_options;
%ignore bo_tax_rate_options_init;
%ignore BO_TAX_RATE_OPTIONS_INIT;
%ignore BO_TAX_RATE_OPTIONS_VERSION;
%ignore BO_PARTY_CHANGES_INIT;
%ignore BO_PARTY_CHANGES_VERSION;
%include "backoffice/commerce.h"

#ifdef SWIGLUA
%{
/* The changes of a Lua table (see bo_lua_changes). */
static int bo_lua_party_changes(lua_State *L, int idx, const char *fn, bo_party_changes *ch)
{
#define M(m, k) { #m, offsetof(bo_party_changes, m), k }
    static const bo_lua_member members[] = {
        M(name, 's'), M(roles, 'e'), M(currency, 's'), M(tax_id, 's'), M(email, 's'),
        M(phone, 's'), M(address, 's'), M(terms_days, 'i'), M(receivable_account, 's'),
        M(payable_account, 's'), M(revenue_account, 's'), M(expense_account, 's'),
        M(active, 'f'),
    };
#undef M
    bo_party_changes_init(ch, BO_PARTY_CHANGES_VERSION);
    return bo_lua_changes(L, idx, fn, ch, members, sizeof members / sizeof members[0]);
}
%}
/* Its typemap is in backoffice.i, before the Book class. */
#endif

%extend bo_book {
    int tax_rate_add(const char *code, const char *name, int64_t rate_ppm,
                     const char *sales_account, const char *purchase_account = NULL,
                     int flags = 0) {
        bo_tax_rate_options o;
        int rc = bo_tax_rate_options_init(&o, BO_TAX_RATE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.code = code;
        o.name = name;
        o.rate_ppm = rate_ppm;
        o.sales_account = sales_account;
        o.purchase_account = purchase_account;
        o.flags = flags;
        return bo_tax_rate_add(self, &o);
    }
    int tax_category_add(const char *code, const char *name, const char *rates = "") {
        return bo_tax_category_add(self, code, name, rates);
    }
    int tax_rates(bo_cursor **out) {
        return bo_tax_rates(self, out);
    }
    int tax_categories(bo_cursor **out) {
        return bo_tax_categories(self, out);
    }
    /* Returns (net, tax). */
    int tax_compute(int64_t *net, int64_t *tax, const char *category,
                    int64_t amount, int inclusive = 0) {
        return bo_tax_compute(self, category, amount, inclusive, net, tax);
    }
    int party_add(const char *code, const char *name, int roles,
                  const char *currency = NULL) {
        return bo_party_add(self, code, name, roles, currency);
    }
#ifdef SWIGLUA
    /* Lua: the changes as a table, b.commerce:party_update("C1", {email = "x"}). */
    int party_update(const char *code, const bo_party_changes *changes) {
        return bo_party_update(self, code, changes);
    }
#else
    /* Python: the members of bo_party_changes as keyword arguments; one left
     * out is unchanged, "" clears an optional text field. */
    int party_update(const char *code, const char *name = NULL, int roles = BO_UNCHANGED,
                     const char *currency = NULL, const char *tax_id = NULL,
                     const char *email = NULL, const char *phone = NULL,
                     const char *address = NULL, int terms_days = BO_UNCHANGED,
                     const char *receivable_account = NULL,
                     const char *payable_account = NULL,
                     const char *revenue_account = NULL,
                     const char *expense_account = NULL, int active = BO_UNCHANGED) {
        bo_party_changes ch;
        int rc = bo_party_changes_init(&ch, BO_PARTY_CHANGES_VERSION);
        if (rc)
            return rc;
        ch.name = name;
        ch.roles = roles;
        ch.currency = currency;
        ch.tax_id = tax_id;
        ch.email = email;
        ch.phone = phone;
        ch.address = address;
        ch.terms_days = terms_days;
        ch.receivable_account = receivable_account;
        ch.payable_account = payable_account;
        ch.revenue_account = revenue_account;
        ch.expense_account = expense_account;
        ch.active = active;
        return bo_party_update(self, code, &ch);
    }
#endif
    int party_get(bo_cursor **out, const char *code) {
        return bo_party_get(self, code, out);
    }
    int parties(bo_cursor **out, int roles = 0) {
        return bo_parties(self, roles, out);
    }
}
