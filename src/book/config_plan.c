/*
 * The schema of the book configuration, checked strictly: every key is
 * known, every value has the expected type, references point backwards,
 * and each failure names FILE:LINE:COLUMN and where in the document it is
 * ("unknown key 'foo' in accounts[3]"; indices count from 0).
 *
 * The walk follows aliases by reference. It cannot run away: the parser
 * has already bounded the expanded size and height of every node.
 */
#include "config_plan.h"

#include <stdio.h>
#include <string.h>

#define CFG_WHERE_MAX 1024

typedef struct cfg_walk {
    bo__cfg_plan *p;
    bo__cfg_map codes; /* account code -> index in p->accounts */
    bo__cfg_map roles; /* role name -> index in p->roles */
} cfg_walk;

static const bo__cfg_node *cfg_at(const bo__cfg_plan *p, uint32_t idx)
{
    return bo__cfg_node_at(&p->doc, idx);
}

/* The node as written (an alias keeps its own position). */
static const bo__cfg_node *cfg_raw(const bo__cfg_plan *p, uint32_t idx)
{
    return &p->doc.nodes[idx];
}

static int cfg_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need)
        ncap *= 2;
    void *n = bo__realloc(*arr, ncap * elem);
    if (!n)
        return BO_ENOMEM;
    *arr = n;
    *cap = ncap;
    return 0;
}

/* "where.key" for messages. */
static const char *cfg_field(char *buf, size_t size, const char *where,
                             const char *key)
{
    snprintf(buf, size, "%s.%s", where, key);
    return buf;
}

/* 3 to 8 upper-case letters or digits, as bo_currency_register wants. */
static bool cfg_currency_shape(const char *code)
{
    size_t n = strlen(code);
    if (n < 3 || n > BO_CURRENCY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= 'A' && code[i] <= 'Z') || (code[i] >= '0' && code[i] <= '9')))
            return false;
    return true;
}

/* A currency named in the file: one the file declares or one the library
 * knows already. */
static int cfg_currency_ref(const bo__cfg_plan *p, const bo__cfg_node *v,
                            const char *field, const char **out)
{
    int rc = bo__cfg_text(&p->doc, v, field, out);
    if (rc)
        return rc;
    for (size_t i = 0; i < p->ncurrencies; i++)
        if (strcmp(p->currencies[i].code, *out) == 0)
            return 0;
    int exp;
    if (cfg_currency_shape(*out) && bo_currency_exponent(*out, &exp) == 0)
        return 0;
    char q[48];
    return bo__cfg_error(&p->doc, v, BO_ECONFIG,
                         "%s: unknown currency '%s' (declare it under "
                         "book.currencies)", field,
                         bo__cfg_quote(v->text, v->n, q, 32));
}

/* ---- book ---------------------------------------------------------------- */

static int cfg_currencies(bo__cfg_plan *p, const bo__cfg_node *seq)
{
    static const char *const keys[] = {"code", "exponent"};
    int rc = bo__cfg_kind(&p->doc, seq, BO__CFG_SEQ, "book.currencies");
    if (rc)
        return rc;
    if (seq->n == 0)
        return 0;
    p->currencies = bo__calloc(seq->n, sizeof *p->currencies);
    if (!p->currencies)
        return BO_ENOMEM;
    for (uint32_t i = 0; i < seq->n; i++) {
        const bo__cfg_node *item = cfg_at(p, seq->kids[i]), *v[2];
        char where[64], f[96];
        snprintf(where, sizeof where, "book.currencies[%u]", (unsigned)i);
        if ((rc = bo__cfg_kind(&p->doc, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(&p->doc, item, where, keys, v, 2)))
            return rc;
        for (int k = 0; k < 2; k++)
            if (!v[k])
                return bo__cfg_missing(&p->doc, item, where, keys[k]);
        bo__cfg_currency *c = &p->currencies[i];
        c->at = item;
        if ((rc = bo__cfg_text(&p->doc, v[0], cfg_field(f, sizeof f, where, "code"), &c->code)) ||
            (rc = bo__cfg_int(&p->doc, v[1], cfg_field(f, sizeof f, where, "exponent"), 0, 18,
                          &c->exponent)))
            return rc;
        if (!cfg_currency_shape(c->code)) {
            char q[48];
            return bo__cfg_error(&p->doc, v[0], BO_ECONFIG,
                                 "%s.code: '%s' is not 3 to 8 upper-case "
                                 "letters or digits", where,
                                 bo__cfg_quote(v[0]->text, v[0]->n, q, 32));
        }
        for (uint32_t j = 0; j < i; j++) {
            if (strcmp(p->currencies[j].code, c->code) == 0)
                return bo__cfg_error(&p->doc, v[0], BO_ECONFIG,
                                     "%s.code: '%s' is declared twice", where,
                                     c->code);
        }
        int exp;
        if (bo_currency_exponent(c->code, &exp) == 0 && exp != c->exponent) {
            /* Built-in codes cannot change; a registered one could, but
             * silently changing a process-wide table from a file is worse. */
            return bo__cfg_error(&p->doc, v[1], BO_ECONFIG,
                                 "%s.exponent: %s already has exponent %d",
                                 where, c->code, exp);
        }
        p->ncurrencies = i + 1;
    }
    return 0;
}

static int cfg_book(bo__cfg_plan *p, const bo__cfg_node *map)
{
    static const char *const keys[] = {"name", "storage", "base_currency",
                                       "currencies"};
    const bo__cfg_node *v[4];
    int rc;
    p->book_at = map;
    if ((rc = bo__cfg_kind(&p->doc, map, BO__CFG_MAP, "book")) ||
        (rc = bo__cfg_fields(&p->doc, map, "book", keys, v, 4)))
        return rc;
    if (!v[0])
        return bo__cfg_missing(&p->doc, map, "book", "name");
    if (!v[2])
        return bo__cfg_missing(&p->doc, map, "book", "base_currency");
    p->name_at = v[0];
    if ((rc = bo__cfg_text(&p->doc, v[0], "book.name", &p->name)) ||
        (rc = bo__cfg_checked(&p->doc, v[0], bo__text_check("book.name", p->name,
                                                  BO_TEXT_MAX, false, false))))
        return rc;
    if (v[1] && ((rc = bo__cfg_text(&p->doc, v[1], "book.storage", &p->storage)) ||
                 (rc = bo__cfg_checked(&p->doc, v[1], bo__text_check("book.storage",
                                   p->storage, 4096, false, false)))))
        return rc;
    if (v[3] && (rc = cfg_currencies(p, v[3])))
        return rc;
    return cfg_currency_ref(p, v[2], "book.base_currency", &p->base_currency);
}

/* ---- fiscal year --------------------------------------------------------- */

enum { CFG_MONTHLY, CFG_QUARTERLY, CFG_YEARLY };

static int cfg_fiscal(bo__cfg_plan *p, const bo__cfg_node *map)
{
    static const char *const keys[] = {"start", "periods", "years"};
    const bo__cfg_node *v[3];
    int rc;
    p->fiscal_at = map;
    if ((rc = bo__cfg_kind(&p->doc, map, BO__CFG_MAP, "fiscal_year")) ||
        (rc = bo__cfg_fields(&p->doc, map, "fiscal_year", keys, v, 3)))
        return rc;
    if (!v[0])
        return bo__cfg_missing(&p->doc, map, "fiscal_year", "start");
    const char *text;
    bo_date start;
    int y, m, d;
    if ((rc = bo__cfg_text(&p->doc, v[0], "fiscal_year.start", &text)))
        return rc;
    if (bo_date_parse(text, &start) != 0 || bo_date_to_ymd(start, &y, &m, &d) != 0) {
        char q[48];
        return bo__cfg_error(&p->doc, v[0], BO_ECONFIG,
                             "fiscal_year.start: '%s' is not a date YYYY-MM-DD",
                             bo__cfg_quote(v[0]->text, v[0]->n, q, 32));
    }
    if (d != 1)
        return bo__cfg_error(&p->doc, v[0], BO_ECONFIG,
                             "fiscal_year.start: must be the first day of a month");
    int kind = CFG_MONTHLY, years = 1;
    if (v[1]) {
        if ((rc = bo__cfg_text(&p->doc, v[1], "fiscal_year.periods", &text)))
            return rc;
        if (strcmp(text, "monthly") == 0)
            kind = CFG_MONTHLY;
        else if (strcmp(text, "quarterly") == 0)
            kind = CFG_QUARTERLY;
        else if (strcmp(text, "yearly") == 0)
            kind = CFG_YEARLY;
        else {
            char q[48];
            return bo__cfg_error(&p->doc, v[1], BO_ECONFIG,
                                 "fiscal_year.periods: '%s' is not monthly, "
                                 "quarterly or yearly",
                                 bo__cfg_quote(v[1]->text, v[1]->n, q, 32));
        }
    }
    if (v[2] && (rc = bo__cfg_int(&p->doc, v[2], "fiscal_year.years", 1, 10, &years)))
        return rc;

    /* Periods are named by the calendar month ("2026-04") or by the fiscal
     * year they belong to, which is named by the year it starts in
     * ("2026-Q1", "2026"). */
    int months = kind == CFG_MONTHLY ? 1 : kind == CFG_QUARTERLY ? 3 : 12;
    size_t count = (size_t)(12 / months) * (size_t)years;
    p->periods = bo__calloc(count, sizeof *p->periods);
    if (!p->periods)
        return BO_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        bo__cfg_period *q = &p->periods[i];
        bo_date next;
        int py, pm, pd;
        if (bo_date_add_months(start, (int)i * months, &q->start) != 0 ||
            bo_date_add_months(start, (int)(i + 1) * months, &next) != 0 ||
            next - 1 < BO_DATE_MIN || bo_date_to_ymd(q->start, &py, &pm, &pd) != 0)
            return bo__cfg_error(&p->doc, v[0], BO_ECONFIG,
                                 "fiscal_year: periods reach past 9999-12-31");
        q->end = next - 1;
        int fy = y + (int)(i * (size_t)months / 12);
        if (kind == CFG_MONTHLY)
            snprintf(q->name, sizeof q->name, "%04d-%02d", py, pm);
        else if (kind == CFG_QUARTERLY)
            snprintf(q->name, sizeof q->name, "%04d-Q%d", fy, (int)(i % 4) + 1);
        else
            snprintf(q->name, sizeof q->name, "%04d", fy);
        p->nperiods = i + 1;
    }
    return 0;
}

/* ---- accounts ------------------------------------------------------------ */

static const char *cfg_type_names = "asset, liability, equity, income or expense";

/* One list of accounts: the top-level one (parent BO__CFG_NONE) or the
 * children of account parent. where is the list's path, e.g. "accounts" or
 * "accounts[2].children"; nesting is bounded by the parser's depth limit. */
static int cfg_accounts(cfg_walk *w, const bo__cfg_node *seq, uint32_t parent,
                        const char *where)
{
    static const char *const keys[] = {"code", "name", "type", "parent",
                                       "currency", "children"};
    enum { K_CODE, K_NAME, K_TYPE, K_PARENT, K_CURRENCY, K_CHILDREN, K_N };
    bo__cfg_plan *p = w->p;
    int rc = bo__cfg_kind(&p->doc, seq, BO__CFG_SEQ, where);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < seq->n; i++) {
        const bo__cfg_node *item = cfg_at(p, seq->kids[i]), *v[K_N];
        char at[CFG_WHERE_MAX], f[CFG_WHERE_MAX + 16];
        snprintf(at, sizeof at, "%s[%u]", where, (unsigned)i);
        if ((rc = bo__cfg_kind(&p->doc, item, BO__CFG_MAP, at)) ||
            (rc = bo__cfg_fields(&p->doc, item, at, keys, v, K_N)))
            return rc;
        if (!v[K_CODE])
            return bo__cfg_missing(&p->doc, item, at, "code");
        if (!v[K_NAME])
            return bo__cfg_missing(&p->doc, item, at, "name");
        bo__cfg_account a = { item, NULL, NULL, NULL, NULL, 0 };
        if ((rc = bo__cfg_text(&p->doc, v[K_CODE], cfg_field(f, sizeof f, at, "code"), &a.code)) ||
            (rc = bo__cfg_checked(&p->doc, v[K_CODE], bo__name_check(f, a.code, BO_CODE_MAX))) ||
            (rc = bo__cfg_text(&p->doc, v[K_NAME], cfg_field(f, sizeof f, at, "name"), &a.name)) ||
            (rc = bo__cfg_checked(&p->doc, v[K_NAME], bo__text_check(f, a.name, BO_TEXT_MAX,
                                                           false, false))))
            return rc;

        uint32_t up = parent;
        if (v[K_PARENT]) {
            if ((rc = bo__cfg_text(&p->doc, v[K_PARENT], cfg_field(f, sizeof f, at, "parent"),
                               &a.parent)))
                return rc;
            if (parent != BO__CFG_NONE)
                return bo__cfg_error(&p->doc, v[K_PARENT], BO_ECONFIG,
                                     "%s: not allowed under 'children' (the "
                                     "parent is '%s')", f, p->accounts[parent].code);
            up = bo__cfg_map_get(&w->codes, a.parent);
            if (up == BO__CFG_NONE) {
                char q[80];
                return bo__cfg_error(&p->doc, v[K_PARENT], BO_ECONFIG,
                                     "%s: no account '%s' is defined before it", f,
                                     bo__cfg_quote(v[K_PARENT]->text,
                                                   v[K_PARENT]->n, q, 64));
            }
        }
        const bo__cfg_account *pa = up == BO__CFG_NONE ? NULL : &p->accounts[up];
        if (pa)
            a.parent = pa->code;

        if (v[K_TYPE]) {
            const char *t;
            if ((rc = bo__cfg_text(&p->doc, v[K_TYPE], cfg_field(f, sizeof f, at, "type"), &t)))
                return rc;
            a.type = bo_account_type_parse(t);
            if (a.type < 0) {
                char q[48];
                return bo__cfg_error(&p->doc, v[K_TYPE], BO_ECONFIG,
                                     "%s: '%s' is not %s", f,
                                     bo__cfg_quote(v[K_TYPE]->text, v[K_TYPE]->n,
                                                   q, 32), cfg_type_names);
            }
            if (pa && a.type != pa->type)
                return bo__cfg_error(&p->doc, v[K_TYPE], BO_ECONFIG,
                                     "%s: '%s' differs from the type of its "
                                     "parent '%s' (%s)", f, t, pa->code,
                                     bo_account_type_name(pa->type));
        } else if (pa) {
            a.type = pa->type;
        } else {
            return bo__cfg_error(&p->doc, item, BO_ECONFIG,
                                 "missing key 'type' in %s (an account without "
                                 "a parent needs one)", at);
        }
        if (v[K_CURRENCY] &&
            (rc = cfg_currency_ref(p, v[K_CURRENCY],
                                   cfg_field(f, sizeof f, at, "currency"), &a.currency)))
            return rc;

        uint32_t self = (uint32_t)p->naccounts, old;
        if ((rc = bo__cfg_map_put(&w->codes, a.code, self, &old)))
            return rc;
        if (old != BO__CFG_NONE) {
            const bo__cfg_node *first = p->accounts[old].at;
            char q[80];
            return bo__cfg_error(&p->doc, v[K_CODE], BO_ECONFIG,
                                 "%s.code: account '%s' is already defined at "
                                 "%u:%u", at,
                                 bo__cfg_quote(v[K_CODE]->text, v[K_CODE]->n, q, 64),
                                 (unsigned)first->line, (unsigned)first->column);
        }
        if ((rc = cfg_grow((void **)&p->accounts, &p->accounts_cap, self + 1,
                           sizeof *p->accounts)))
            return rc;
        p->accounts[self] = a;
        p->naccounts = self + 1;

        if (v[K_CHILDREN] &&
            (rc = cfg_accounts(w, v[K_CHILDREN], self,
                               cfg_field(f, sizeof f, at, "children"))))
            return rc;
    }
    return 0;
}

/* ---- roles and actors ---------------------------------------------------- */

static int cfg_roles(cfg_walk *w, const bo__cfg_node *map)
{
    bo__cfg_plan *p = w->p;
    int rc = bo__cfg_kind(&p->doc, map, BO__CFG_MAP, "roles");
    if (rc || map->n == 0)
        return rc;
    p->roles = bo__calloc(map->n / 2, sizeof *p->roles);
    if (!p->roles)
        return BO_ENOMEM;
    for (uint32_t k = 0; k < map->n; k += 2) {
        const bo__cfg_node *key = cfg_at(p, map->kids[k]);
        const bo__cfg_node *list = cfg_at(p, map->kids[k + 1]);
        bo__cfg_role *r = &p->roles[p->nroles];
        char where[CFG_WHERE_MAX];
        char q[80];
        snprintf(where, sizeof where, "roles.%s",
                 bo__cfg_quote(key->text, key->n, q, 64));
        r->at = cfg_raw(p, map->kids[k]);
        if ((rc = bo__cfg_text(&p->doc, key, "roles", &r->name)) ||
            (rc = bo__cfg_checked(&p->doc, r->at, bo__name_check(where, r->name, BO_NAME_MAX))) ||
            (rc = bo__cfg_kind(&p->doc, list, BO__CFG_SEQ, where)))
            return rc;
        bo__buf perms = BO__BUF_INIT;
        for (uint32_t i = 0; i < list->n && !rc; i++) {
            const bo__cfg_node *item = cfg_at(p, list->kids[i]);
            const char *perm;
            char f[CFG_WHERE_MAX + 16];
            snprintf(f, sizeof f, "%s[%u]", where, (unsigned)i);
            if (!(rc = bo__cfg_text(&p->doc, item, f, &perm)) &&
                !(rc = bo__cfg_checked(&p->doc, item, bo__name_check(f, perm, BO_NAME_MAX)))) {
                if (i)
                    bo__buf_puts(&perms, " ");
                bo__buf_puts(&perms, perm);
            }
        }
        if (!rc && (perms.failed || !(r->permissions = bo__strndup(perms.ptr ? perms.ptr : "", perms.len))))
            rc = BO_ENOMEM;
        bo__buf_free(&perms);
        if (rc)
            return rc;
        p->nroles++; /* the plan owns r->permissions now, even if the map fails */
        if ((rc = bo__cfg_map_put(&w->roles, r->name, (uint32_t)p->nroles - 1, NULL)))
            return rc;
    }
    return 0;
}

static int cfg_actors(cfg_walk *w, const bo__cfg_node *map)
{
    bo__cfg_plan *p = w->p;
    int rc = bo__cfg_kind(&p->doc, map, BO__CFG_MAP, "actors");
    if (rc)
        return rc;
    for (uint32_t k = 0; k < map->n; k += 2) {
        const bo__cfg_node *key = cfg_at(p, map->kids[k]);
        const bo__cfg_node *list = cfg_at(p, map->kids[k + 1]);
        const char *actor;
        char where[CFG_WHERE_MAX];
        char q[80];
        snprintf(where, sizeof where, "actors.%s",
                 bo__cfg_quote(key->text, key->n, q, 64));
        if ((rc = bo__cfg_text(&p->doc, key, "actors", &actor)) ||
            (rc = bo__cfg_checked(&p->doc, cfg_raw(p, map->kids[k]),
                              bo__name_check(where, actor, BO_NAME_MAX))) ||
            (rc = bo__cfg_kind(&p->doc, list, BO__CFG_SEQ, where)))
            return rc;
        for (uint32_t i = 0; i < list->n; i++) {
            const bo__cfg_node *item = cfg_at(p, list->kids[i]);
            const bo__cfg_node *rnode = item, *locs = NULL;
            uint32_t ridx = list->kids[i];
            const char *role;
            char f[CFG_WHERE_MAX + 16], lf[CFG_WHERE_MAX + 48];
            snprintf(f, sizeof f, "%s[%u]", where, (unsigned)i);
            if (item->kind == BO__CFG_MAP) {
                /* {role: R, locations: [A, B]}: the role at those
                 * locations only (bo_role_grant_location) */
                static const char *const names[] = { "role", "locations" };
                const bo__cfg_node *vals[2];
                if ((rc = bo__cfg_fields(&p->doc, item, f, names, vals, 2)))
                    return rc;
                if (!vals[0])
                    return bo__cfg_missing(&p->doc, item, f, "role");
                if (!vals[1])
                    return bo__cfg_missing(&p->doc, item, f, "locations");
                rnode = vals[0];
                locs = vals[1];
                for (uint32_t k2 = 0; k2 + 1 < item->n; k2 += 2)
                    if (cfg_at(p, item->kids[k2 + 1]) == rnode)
                        ridx = item->kids[k2 + 1];
                snprintf(lf, sizeof lf, "%s.locations", f);
                if ((rc = bo__cfg_kind(&p->doc, locs, BO__CFG_SEQ, lf)))
                    return rc;
                if (locs->n == 0)
                    return bo__cfg_error(&p->doc, locs, BO_ECONFIG,
                                         "%s: no location (leave the role plain to "
                                         "grant it at every location)", lf);
            }
            if ((rc = bo__cfg_text(&p->doc, rnode, f, &role)))
                return rc;
            if (strcmp(role, "owner") != 0 &&
                bo__cfg_map_get(&w->roles, role) == BO__CFG_NONE)
                return bo__cfg_error(&p->doc, cfg_raw(p, ridx), BO_ECONFIG,
                                     "%s: unknown role '%s' (define it under "
                                     "roles)", f,
                                     bo__cfg_quote(rnode->text, rnode->n, q, 64));
            uint32_t nloc = locs ? locs->n : 1;
            for (uint32_t j = 0; j < nloc; j++) {
                const bo__cfg_node *at = cfg_raw(p, ridx);
                const char *loc = NULL;
                if (locs) {
                    snprintf(lf, sizeof lf, "%s.locations[%u]", f, (unsigned)j);
                    at = cfg_raw(p, locs->kids[j]);
                    if ((rc = bo__cfg_text(&p->doc, cfg_at(p, locs->kids[j]), lf, &loc)) ||
                        (rc = bo__cfg_checked(&p->doc, at,
                                              bo__name_check(lf, loc, BO_NAME_MAX))))
                        return rc;
                }
                if ((rc = cfg_grow((void **)&p->grants, &p->grants_cap, p->ngrants + 1,
                                   sizeof *p->grants)))
                    return rc;
                bo__cfg_grant g = { at, actor, role, loc };
                p->grants[p->ngrants++] = g;
            }
        }
    }
    return 0;
}

/* ---- the document -------------------------------------------------------- */

static int cfg_document(cfg_walk *w)
{
    /* The book's own keys, then every domain's sections in table order. */
    enum { K_BOOK, K_FISCAL, K_ACCOUNTS, K_ROLES, K_ACTORS, K_SECTIONS,
           K_MAX = K_SECTIONS + BO__CFG_SECTIONS_MAX };
    const char *keys[K_MAX] = {"book", "fiscal_year", "accounts", "roles", "actors"};
    bo__cfg_plan *p = w->p;
    int rc, K_N = K_SECTIONS;
    p->nsections = 0;
    const bo__domain *dom;
    for (int d = 0; (dom = bo__domain_at(d)); d++)
        for (const bo__domain_section *sec = dom->sections; sec && sec->name; sec++) {
            if (p->nsections == BO__CFG_SECTIONS_MAX)
                return bo__error_set(BO_ELIMIT, "domain %s: more than %d YAML "
                                     "sections", dom->name, BO__CFG_SECTIONS_MAX);
            p->section_of[p->nsections++] = sec;
            keys[K_N++] = sec->name;
        }
    const bo__cfg_node *root = bo__cfg_node_at(&p->doc, p->doc.root), *v[K_MAX];
    if (!root || (root->kind == BO__CFG_SCALAR && root->type == BO__CFG_NULL))
        return bo__cfg_error(&p->doc, root, BO_ECONFIG, "the document is empty");
    if (root->kind != BO__CFG_MAP)
        return bo__cfg_error(&p->doc, root, BO_ECONFIG,
                             "expected a mapping at the top level, got %s",
                             bo__cfg_kind_name(root));
    if ((rc = bo__cfg_fields(&p->doc, root, "the document", keys, v, (size_t)K_N)))
        return rc;
    if (!v[K_BOOK])
        return bo__cfg_missing(&p->doc, root, "the document", "book");
    if (!v[K_ACCOUNTS])
        return bo__cfg_missing(&p->doc, root, "the document", "accounts");
    /* Roles come before actors whatever the order in the file. */
    if ((rc = cfg_book(p, v[K_BOOK])) ||
        (v[K_FISCAL] && (rc = cfg_fiscal(p, v[K_FISCAL]))) ||
        (rc = cfg_accounts(w, v[K_ACCOUNTS], BO__CFG_NONE, "accounts")) ||
        (v[K_ROLES] && (rc = cfg_roles(w, v[K_ROLES]))) ||
        (v[K_ACTORS] && (rc = cfg_actors(w, v[K_ACTORS]))))
        return rc;
    /* The domains check their sections while applying them, inside the
     * transaction that creates the book: a failure there leaves no book. */
    for (int i = 0; i < p->nsections; i++)
        p->sections[i] = v[K_SECTIONS + i];
    return 0;
}

int bo__cfg_plan_build(bo__cfg_plan *p, const char *file, const char *data,
                       size_t len)
{
    memset(p, 0, sizeof *p);
    int rc = bo__cfg_parse(&p->doc, file, data, len);
    if (rc)
        return rc;
    cfg_walk w = { p, BO__CFG_MAP_INIT, BO__CFG_MAP_INIT };
    rc = cfg_document(&w);
    bo__cfg_map_free(&w.codes);
    bo__cfg_map_free(&w.roles);
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__cfg_plan_free(p);
        bo__error_restore(&es);
    }
    return rc;
}

void bo__cfg_plan_free(bo__cfg_plan *p)
{
    for (size_t i = 0; i < p->nroles; i++)
        bo__free(p->roles[i].permissions);
    bo__free(p->roles);
    bo__free(p->grants);
    bo__free(p->accounts);
    bo__free(p->periods);
    bo__free(p->currencies);
    bo__cfg_doc_free(&p->doc);
    memset(p, 0, sizeof *p);
}
