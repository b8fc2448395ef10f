/*
 * The book configuration checked against its schema: everything a new book
 * needs, validated without touching any store. Internal.
 */
#ifndef BO_CORE_CONFIG_PLAN_H
#define BO_CORE_CONFIG_PLAN_H

#include "config_tree.h"

/* Strings point into the parsed document (or, for permissions, are owned
 * by the plan); "at" is the node errors are reported at. */
typedef struct bo__cfg_currency {
    const bo__cfg_node *at;
    const char *code;
    int exponent;
} bo__cfg_currency;

typedef struct bo__cfg_account {
    const bo__cfg_node *at;
    const char *code, *name, *parent, *currency;
    int type;
} bo__cfg_account;

typedef struct bo__cfg_period {
    char name[16];
    bo_date start, end;
} bo__cfg_period;

typedef struct bo__cfg_role {
    const bo__cfg_node *at;
    const char *name;
    char *permissions; /* space-separated, owned */
} bo__cfg_role;

typedef struct bo__cfg_grant {
    const bo__cfg_node *at;
    const char *actor, *role;
} bo__cfg_grant;

/* The domains' top-level sections, applied after the chart, periods and
 * roles, in this order, in the transaction that creates the book. */
enum {
    BO__CFG_TAXES,     /* src/commerce/config_commerce.c */
    BO__CFG_PARTIES,   /* src/commerce/config_commerce.c */
    BO__CFG_INVENTORY, /* src/inventory/config_inventory.c */
    BO__CFG_BILLING,   /* src/billing/config_billing.c */
    BO__CFG_PAYROLL,   /* src/payroll/config_payroll.c */
    BO__CFG_DOCUMENTS, /* src/documents/config_documents.c */
    BO__CFG_NSECTIONS
};

/* Apply one section (node: its value) to the book being created. Errors
 * name FILE:LINE:COLUMN of the offending node: bo__cfg_error(), or
 * bo__cfg_apply_error() around a failed API call. */
typedef int (*bo__cfg_section_fn)(bo_book *book, const bo__cfg_doc *doc,
                                  const bo__cfg_node *node);
int bo__cfg_section_taxes(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);
int bo__cfg_section_parties(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);
int bo__cfg_section_inventory(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);
int bo__cfg_section_billing(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);
int bo__cfg_section_payroll(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);
int bo__cfg_section_documents(bo_book *, const bo__cfg_doc *, const bo__cfg_node *);

/* ---- checks for sections: each names the node's FILE:LINE:COLUMN ---------- */
/* Pick the values of the known keys of a mapping; any other key is an
 * error naming where ("unknown key 'x' in inventory.locations[2]"). vals[i]
 * is NULL for a key not given. */
int bo__cfg_fields(const bo__cfg_doc *doc, const bo__cfg_node *map,
                   const char *where, const char *const *names,
                   const bo__cfg_node **vals, size_t n);
int bo__cfg_missing(const bo__cfg_doc *doc, const bo__cfg_node *map,
                    const char *where, const char *key);
/* kind: BO__CFG_MAP or BO__CFG_SEQ. */
int bo__cfg_kind(const bo__cfg_doc *doc, const bo__cfg_node *v, int kind,
                 const char *field);
/* Any scalar but null and booleans, as written (1000 is "1000"). */
int bo__cfg_text(const bo__cfg_doc *doc, const bo__cfg_node *v,
                 const char *field, const char **out);
int bo__cfg_int(const bo__cfg_doc *doc, const bo__cfg_node *v,
                const char *field, int min, int max, int *out);
/* A failed check's message (BO_EINVAL, ...) as BO_ECONFIG at node at. */
int bo__cfg_checked(const bo__cfg_doc *doc, const bo__cfg_node *at, int rc);
/* A failed API call while applying: the YAML position in front of the
 * call's message; errors a value caused become BO_ECONFIG. */
int bo__cfg_apply_error(const bo__cfg_doc *doc, const bo__cfg_node *at, int rc);

typedef struct bo__cfg_plan {
    bo__cfg_doc doc;
    const bo__cfg_node *book_at, *name_at, *fiscal_at;
    const char *name, *storage, *base_currency;
    bo__cfg_currency *currencies;
    size_t ncurrencies;
    bo__cfg_account *accounts;
    size_t naccounts, accounts_cap;
    bo__cfg_period *periods;
    size_t nperiods;
    bo__cfg_role *roles;
    size_t nroles;
    bo__cfg_grant *grants;
    size_t ngrants, grants_cap;
    const bo__cfg_node *sections[BO__CFG_NSECTIONS]; /* NULL when absent */
} bo__cfg_plan;

/* Parse len bytes of YAML (file names it in messages) and check it
 * against the schema. On failure the plan holds nothing. Errors:
 * BO_ECONFIG, BO_ELIMIT (with FILE:LINE:COLUMN), BO_ENOMEM. */
int bo__cfg_plan_build(bo__cfg_plan *plan, const char *file, const char *data,
                       size_t len);
void bo__cfg_plan_free(bo__cfg_plan *plan);

#endif
