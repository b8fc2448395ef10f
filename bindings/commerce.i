/* Tax rates and categories, parties (backoffice/commerce.h) in Python and
 * Lua: methods on Book. Included by backoffice.i after the classes. */
%rename("$ignore", regextarget=1) "^bo_tax_(rate_add|category_add|rates|categories|compute)$";
%rename("$ignore", regextarget=1) "^bo_part";
%include "backoffice/commerce.h"

%extend bo_book {
    int tax_rate_add(const char *code, const char *name, int64_t rate_ppm,
                     const char *sales_account, const char *purchase_account = NULL,
                     int flags = 0) {
        return bo_tax_rate_add(self, code, name, rate_ppm, sales_account,
                               purchase_account, flags);
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
    /* value None/nil clears an optional field. */
    int party_set(const char *code, const char *field, const char *value = NULL) {
        return bo_party_set(self, code, field, value);
    }
    int party_get(bo_cursor **out, const char *code) {
        return bo_party_get(self, code, out);
    }
    int parties(bo_cursor **out, int roles = 0) {
        return bo_parties(self, roles, out);
    }
}
