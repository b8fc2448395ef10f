/*
 * The book configuration checked against its schema: everything a new book
 * needs, validated without touching any store. Internal.
 */
#ifndef BO_BOOK_CONFIG_PLAN_H
#define BO_BOOK_CONFIG_PLAN_H

#include "book/domains.h"

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
    const char *location; /* NULL: every location */
} bo__cfg_grant;

/* The domains' top-level sections (each in its descriptor: taxes,
 * parties, inventory, ...), applied after the chart, periods and roles, in
 * the order of the table of domains, in the transaction that creates the
 * book. */
#define BO__CFG_SECTIONS_MAX 32

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
    /* The sections of the table of domains, in its order, and their
     * nodes (NULL when absent). */
    const bo__domain_section *section_of[BO__CFG_SECTIONS_MAX];
    const bo__cfg_node *sections[BO__CFG_SECTIONS_MAX];
    int nsections;
} bo__cfg_plan;

/* Parse len bytes of YAML (file names it in messages) and check it
 * against the schema. On failure the plan holds nothing. Errors:
 * BO_ECONFIG, BO_ELIMIT (with FILE:LINE:COLUMN), BO_ENOMEM. */
int bo__cfg_plan_build(bo__cfg_plan *plan, const char *file, const char *data,
                       size_t len);
void bo__cfg_plan_free(bo__cfg_plan *plan);

#endif
