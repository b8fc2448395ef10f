/*
 * The "taxes" and "parties" sections of a book's YAML configuration:
 *
 *   taxes:
 *     rates:
 *       - {code: ST, name: State sales tax, rate: 6.25%, account: "2100",
 *          purchase_account: "1400", compound: false}
 *     categories:
 *       - {code: standard, name: Standard rate, rates: [ST]}
 *       - {code: exempt, name: Exempt, rates: []}
 *   parties:
 *     - {code: ACME, name: Acme Wholesale, roles: [vendor], currency: USD,
 *        terms_days: 30, tax_id: ..., email: ..., phone: ..., address: ...,
 *        receivable_account: ..., payable_account: ..., revenue_account: ...,
 *        expense_account: ...}
 */
#include "commerce/commerce.h"

#include <stddef.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* A boolean scalar, or absent (false). */
static int cfg_bool(const bo__cfg_doc *d, const bo__cfg_node *v, const char *field,
                    int *out)
{
    *out = 0;
    if (!v)
        return 0;
    if (v->kind != BO__CFG_SCALAR || v->type != BO__CFG_BOOL)
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected true or false, got %s",
                             field, bo__cfg_kind_name(v));
    *out = strcmp(v->text, "true") == 0 || strcmp(v->text, "True") == 0 ||
           strcmp(v->text, "TRUE") == 0 || strcmp(v->text, "yes") == 0;
    return 0;
}

/* A sequence of texts joined by spaces into buf (names must not contain
 * spaces: they are codes). */
static int cfg_codes(const bo__cfg_doc *d, const bo__cfg_node *seq,
                     const char *field, bo__buf *buf)
{
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, field);
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const char *t;
        if ((rc = bo__cfg_text(d, bo__cfg_node_at(d, seq->kids[i]), field, &t)))
            break;
        bo__buf_printf(buf, "%s%s", i ? " " : "", t);
    }
    if (!rc && buf->failed)
        rc = BO_ENOMEM;
    return rc;
}

static int rates(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "name", "rate", "account",
                                       "purchase_account", "compound"};
    enum { K_CODE, K_NAME, K_RATE, K_ACCOUNT, K_PURCHASE, K_COMPOUND, K_N };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "taxes.rates");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "taxes.rates[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = K_CODE; k <= K_ACCOUNT; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code, *name, *rate, *account, *purchase = NULL;
        int compound;
        int64_t ppm;
        if ((rc = bo__cfg_text(d, v[K_CODE], "code", &code)) ||
            (rc = bo__cfg_text(d, v[K_NAME], "name", &name)) ||
            (rc = bo__cfg_text(d, v[K_RATE], "rate", &rate)) ||
            (rc = bo__cfg_text(d, v[K_ACCOUNT], "account", &account)) ||
            (v[K_PURCHASE] &&
             (rc = bo__cfg_text(d, v[K_PURCHASE], "purchase_account", &purchase))) ||
            (rc = cfg_bool(d, v[K_COMPOUND], "compound", &compound)))
            return rc;
        if (bo_tax_rate_parse(rate, &ppm))
            return bo__cfg_error(d, v[K_RATE], BO_ECONFIG, "%s.rate: expected a "
                                 "percentage such as 6.25%% (up to 4 decimals, at "
                                 "most 1000%%)", where);
        if ((rc = bo_tax_rate_add(b, &(bo_tax_rate_options){
                .version = BO_TAX_RATE_OPTIONS_VERSION, .code = code,
                .name = name, .rate_ppm = ppm, .sales_account = account,
                .purchase_account = purchase,
                .flags = compound ? BO_TAX_COMPOUND : 0 })))
            return bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}

static int categories(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "name", "rates"};
    enum { K_CODE, K_NAME, K_RATES, K_N };
    int rc = bo__cfg_kind(d, seq, BO__CFG_SEQ, "taxes.categories");
    for (uint32_t i = 0; !rc && i < seq->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, seq->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "taxes.categories[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = 0; k < K_N; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code, *name;
        if ((rc = bo__cfg_text(d, v[K_CODE], "code", &code)) ||
            (rc = bo__cfg_text(d, v[K_NAME], "name", &name)))
            return rc;
        bo__buf list = BO__BUF_INIT;
        if (!(rc = cfg_codes(d, v[K_RATES], "rates", &list)) &&
            (rc = bo_tax_category_add(b, code, name, list.ptr ? list.ptr : "")))
            rc = bo__cfg_apply_error(d, item, rc);
        bo__buf_free(&list);
    }
    return rc;
}

int bo__cfg_section_taxes(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = {"rates", "categories"};
    const bo__cfg_node *v[2];
    int rc;
    if ((rc = bo__cfg_kind(d, node, BO__CFG_MAP, "taxes")) ||
        (rc = bo__cfg_fields(d, node, "taxes", keys, v, 2)))
        return rc;
    if (v[0] && (rc = rates(b, d, v[0])))
        return rc;
    if (v[1] && (rc = categories(b, d, v[1])))
        return rc;
    return 0;
}

int bo__cfg_section_parties(bo_book *b, const bo__cfg_doc *d,
                            const bo__cfg_node *node)
{
    /* Everything after "currency" is set with bo_party_update, one key at a
     * time so an error points at its key. */
    static const char *const keys[] = {
        "code", "name", "roles", "currency", "tax_id", "email", "phone",
        "address", "terms_days", "receivable_account", "payable_account",
        "revenue_account", "expense_account"};
    enum { K_CODE, K_NAME, K_ROLES, K_CURRENCY, K_SETTABLE, K_TERMS = 8, K_N = 13 };
#define PC(m) offsetof(bo_party_changes, m)
    static const size_t text_members[K_N] = {
        0, 0, 0, 0, PC(tax_id), PC(email), PC(phone), PC(address), 0,
        PC(receivable_account), PC(payable_account), PC(revenue_account),
        PC(expense_account)};
#undef PC
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "parties");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[K_N];
        char where[48];
        snprintf(where, sizeof where, "parties[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, K_N)))
            return rc;
        for (int k = K_CODE; k <= K_ROLES; k++)
            if (!v[k])
                return bo__cfg_missing(d, item, where, keys[k]);
        const char *code, *name, *currency = NULL;
        if ((rc = bo__cfg_text(d, v[K_CODE], "code", &code)) ||
            (rc = bo__cfg_text(d, v[K_NAME], "name", &name)) ||
            (v[K_CURRENCY] && (rc = bo__cfg_text(d, v[K_CURRENCY], "currency", &currency))))
            return rc;
        int roles = 0;
        if ((rc = bo__cfg_kind(d, v[K_ROLES], BO__CFG_SEQ, "roles")))
            return rc;
        for (uint32_t r = 0; r < v[K_ROLES]->n; r++) {
            const bo__cfg_node *role = bo__cfg_node_at(d, v[K_ROLES]->kids[r]);
            const char *t;
            if ((rc = bo__cfg_text(d, role, "roles", &t)))
                return rc;
            if (strcmp(t, "customer") == 0)
                roles |= BO_PARTY_CUSTOMER;
            else if (strcmp(t, "vendor") == 0)
                roles |= BO_PARTY_VENDOR;
            else
                return bo__cfg_error(d, role, BO_ECONFIG, "%s.roles: expected "
                                     "customer or vendor", where);
        }
        if ((rc = bo_party_add(b, code, name, roles, currency)))
            return bo__cfg_apply_error(d, item, rc);
        for (int k = K_SETTABLE; k < K_N; k++) {
            bo_party_changes ch = BO_PARTY_CHANGES_INIT;
            if (!v[k])
                continue;
            if (k == K_TERMS)
                rc = bo__cfg_int(d, v[k], keys[k], 0, 3650, &ch.terms_days);
            else
                rc = bo__cfg_text(d, v[k], keys[k],
                                  (const char **)(void *)((char *)&ch + text_members[k]));
            if (rc)
                return rc;
            if ((rc = bo_party_update(b, code, &ch)))
                return bo__cfg_apply_error(d, v[k], rc);
        }
    }
    return rc;
}
