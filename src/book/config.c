/*
 * A book from a YAML description: read and parse with limits
 * (src/core/config_tree.c), check the whole file against the schema into a plan
 * (config_plan.c), then apply the plan.
 *
 * Bad input must change nothing. Everything that can be checked without a
 * store is checked first; then the book is created and filled in the one
 * transaction that creates it (bo__book_create_open), so a value only the
 * ledger or the security layer can judge (a permission name, say) rolls the
 * whole book back and the store is left holding none.
 */
#include "config_plan.h"

#include <string.h>

/* Fill a freshly created book; the caller commits or rolls back. */
static int cfg_fill(bo_book *b, const bo__cfg_plan *p)
{
    /* Another process may have made a book between our check and the
     * create: inside the write transaction, fill only an empty chart. */
    bo_cursor *cur = NULL;
    int rc = bo_ledger_accounts(b, &cur);
    if (rc)
        return rc;
    rc = bo_cursor_next(cur);
    bo_cursor_free(cur);
    if (rc == 0)
        return bo__error_set(BO_EEXISTS, "%s: the store already holds a book",
                             bo_book_uri(b));
    if (rc != BO_ITEROVER)
        return rc;
    if ((rc = bo_book_set_name(b, p->name)))
        return bo__cfg_apply_error(&p->doc, p->name_at, rc);
    for (size_t i = 0; i < p->naccounts; i++) {
        const bo__cfg_account *a = &p->accounts[i];
        if ((rc = bo_ledger_account_add(b, a->code, a->name, a->type, a->parent,
                                        a->currency)))
            return bo__cfg_apply_error(&p->doc, a->at, rc);
    }
    for (size_t i = 0; i < p->nperiods; i++) {
        const bo__cfg_period *q = &p->periods[i];
        if ((rc = bo_ledger_period_add(b, q->name, q->start, q->end)))
            return bo__cfg_apply_error(&p->doc, p->fiscal_at, rc);
    }
    for (size_t i = 0; i < p->nroles; i++) {
        const bo__cfg_role *r = &p->roles[i];
        if ((rc = bo_role_define(b, r->name, r->permissions)))
            return bo__cfg_apply_error(&p->doc, r->at, rc);
    }
    for (size_t i = 0; i < p->ngrants; i++) {
        const bo__cfg_grant *g = &p->grants[i];
        if ((rc = g->location ? bo_role_grant_location(b, g->actor, g->role, g->location)
                              : bo_role_grant(b, g->actor, g->role)))
            return bo__cfg_apply_error(&p->doc, g->at, rc);
    }
    for (int i = 0; i < p->nsections; i++)
        if (p->sections[i] &&
            (rc = p->section_of[i]->apply(b, &p->doc, p->sections[i])))
            return rc;
    return 0;
}

/* Create the book at uri and fill it in the transaction that creates it. */
static int cfg_apply(const bo__cfg_plan *p, const char *uri,
                     const bo_book_options *o, bo_book **out)
{
    bo_book *b = NULL;
    int rc = bo__book_create_open(&b, uri, o);
    if (rc) {
        if (rc == BO_EEXISTS)
            rc = bo__error_set(BO_EEXISTS, "%s: the store already holds a book", uri);
        return rc;
    }
    rc = cfg_fill(b, p);
    if (rc == 0)
        rc = bo_book_commit(b);
    if (rc && bo_book_depth(b) > 0) {
        bo__error_state es;
        bo__error_save(&es);
        bo_book_rollback(b);
        bo__error_restore(&es);
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo_book_free(b);
        bo__error_restore(&es);
        return rc;
    }
    *out = b;
    return 0;
}

static int cfg_create(bo_book **out, const char *file, const char *data,
                      size_t len, const char *uri, const bo_book_options *opts)
{
    bo__cfg_plan plan;
    int rc = bo__domains_init();
    if (!rc)
        rc = bo__cfg_plan_build(&plan, file, data, len);
    if (rc)
        return rc;
    if (!uri)
        uri = plan.storage;
    if (!uri) {
        rc = bo__cfg_error(&plan.doc, plan.book_at, BO_ECONFIG,
                           "book.storage: missing, and no URI was given");
        goto done;
    }
    /* Currencies are process-wide and the base currency may be one of
     * them, so they exist before any book is opened. */
    for (size_t i = 0; i < plan.ncurrencies; i++) {
        const bo__cfg_currency *c = &plan.currencies[i];
        if ((rc = bo_currency_register(c->code, c->exponent))) {
            rc = bo__cfg_apply_error(&plan.doc, c->at, rc);
            goto done;
        }
    }

    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    if (opts)
        o = *opts;
    if (!o.actor)
        o.actor = "admin";
    o.base_currency = plan.base_currency;

    rc = cfg_apply(&plan, uri, &o, out);
done:
    {
        bo__error_state es;
        bo__error_save(&es);
        bo__cfg_plan_free(&plan);
        if (rc)
            bo__error_restore(&es);
    }
    return rc;
}

int bo_book_create_from_yaml(bo_book **out, const char *path, const char *uri,
                             const bo_book_options *opts)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (!path || !path[0])
        return bo__error_set(BO_EINVAL, "path: missing");
    char *data;
    size_t len;
    int rc = bo__cfg_read_file(path, &data, &len);
    if (rc)
        return rc;
    rc = cfg_create(out, path, data, len, uri, opts);
    bo__free(data);
    return rc;
}

int bo_book_create_from_yaml_string(bo_book **out, const char *yaml, size_t len,
                                    const char *uri, const bo_book_options *opts)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (!yaml)
        return bo__error_set(BO_EINVAL, "yaml: NULL");
    return cfg_create(out, "<string>", yaml, len, uri, opts);
}
