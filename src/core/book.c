/* Opening, creating and closing books. */
#include "core/book.h"
#include "core/feed.h"
#include "core/domain.h"
#include "core/verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_VERSION[] =
    "SELECT value FROM bo_meta WHERE key = 'schema_version'";
static const char SQL_META_GET[] = "SELECT key, value FROM bo_meta";
static const char SQL_META_SET[] =
    "INSERT INTO bo_meta (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int bo_book_options_init(bo_book_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_BOOK_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d",
                             version, BO_BOOK_OPTIONS_VERSION);
    bo_book_options init = BO_BOOK_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static int meta_set(bo__store *st, const char *key, const char *value)
{
    return bo__store_run(st, SQL_META_SET, "tt", key, value);
}

/* True when the store already holds a book of the current schema version,
 * found without taking the write lock. */
static int schema_current(bo__store *st)
{
    bo__stmt *s;
    bo__error_state es;
    bo__error_save(&es);
    if (bo__stmt_new(st, SQL_VERSION, &s)) { /* no bo_meta table yet */
        bo__error_restore(&es);
        return 0;
    }
    int current = bo__stmt_step(s) == BO_DRIVER_ROW &&
                  atoi(bo__stmt_col_text(s, 0)) == bo__schema_version();
    bo__stmt_done(s);
    bo__error_restore(&es);
    return current;
}

static int load_meta(bo_book *b)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_META_GET, &s);
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        const char *k = bo__stmt_col_text(s, 0), *v = bo__stmt_col_text(s, 1);
        if (strcmp(k, "base_currency") == 0) {
            strncpy(b->base_currency, v, BO_CURRENCY_MAX);
            b->base_currency[BO_CURRENCY_MAX] = '\0';
        } else if (strcmp(k, "name") == 0) {
            char *n = bo__strdup(v);
            if (!n) {
                rc = BO_ENOMEM;
                break;
            }
            bo__free(b->name);
            b->name = n;
        } else if (strcmp(k, "generation") == 0) {
            b->gen_seen = strtoll(v, NULL, 10);
        }
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    if (!b->base_currency[0])
        return bo__error_set(BO_ECORRUPT, "book: no base currency recorded");
    return bo__feed_probe(b);
}

/* Create or migrate in one write transaction. With keep_open, the store
 * must be empty (BO_EEXISTS otherwise) and the transaction that created the
 * book is left open as the book's outermost level. */
static int prepare_book(bo_book *b, const bo_book_options *o, int keep_open)
{
    int rc = bo__store_begin(b->store, BO__STORE_ALONE);
    if (rc)
        return rc;
    int created = 0, from = 0;
    bo__verify_forget(b);
    rc = bo__schema_prepare_from(b->store, o->create, &created, &from);
    if (!rc)
        rc = bo__feed_probe(b);
    if (!rc && keep_open && !created)
        rc = bo__error_set(BO_EEXISTS, "uri: the store already holds a book");
    if (!rc && created) {
        const char *cur = o->base_currency ? o->base_currency : "USD";
        if (!(rc = meta_set(b->store, "base_currency", cur)) &&
            !(rc = meta_set(b->store, "name", "")) &&
            !(rc = meta_set(b->store, "generation", "1"))) {
            b->depth = 1; /* audit_append and bootstrap run inside this tx */
            rc = bo__security_bootstrap(b, o->actor);
            if (!rc)
                rc = bo__audit_append(b, "book.create", "book", cur);
            /* The built-in owner role and the creator's grant are part of
             * what the first record's states cover. */
            if (!rc)
                rc = bo__audit_touch_name(b, "role", "owner");
            if (!rc)
                rc = bo__audit_touch_name(b, "grant", o->actor);
            /* Rows the domains need beyond the schema (the built-in
             * document types), recorded with the first record. */
            if (!rc)
                rc = bo__domains_seed(b, 0);
            b->depth = 0;
        }
    } else if (!rc && from > 0 && from < bo__schema_version()) {
        /* Upgraded: the domains add the rows the versions since need, then,
         * from an older version than the audit states, the chain starts
         * covering the tables from here. (A later migration that changes
         * what a kind's rows hold must carry their states over itself:
         * recording every state as found again would take in any edit made
         * before it.) */
        b->depth = 1;
        /* Version 14 numbers audit records from the identity sequence where
         * writers run side by side (the chain's lanes): start it after the
         * records written before. */
        rc = from < 14 ? bo__store_sync_identity(b->store, "audit_log", "seq") : 0;
        if (!rc)
            rc = bo__domains_seed(b, from);
        if (!rc && from < BO__SCHEMA_AUDIT_STATES) {
            rc = bo__verify_backfill(b, from);
        } else if (!rc && !(rc = bo__verify_carry_book(b, from))) {
            /* The states the seeds added or carried over (the settings
             * moved by version 12) and the book's own keys (its schema
             * version) are held by a record of the upgrade. */
            char detail[96];
            snprintf(detail, sizeof detail, "schema %d to %d: the states of what "
                     "the upgrade moved or added", from, bo__schema_version());
            rc = bo__audit_append(b, "audit.upgrade", "book", detail);
        }
        b->depth = 0;
    }
    if (rc) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(b->store);
        bo__verify_forget(b);
        return bo__error_restore(&es);
    }
    if (keep_open) {
        b->marks = bo__malloc(8 * sizeof *b->marks);
        if (!b->marks) {
            bo__store_rollback(b->store);
            return BO_ENOMEM;
        }
        b->marks_cap = 8;
        b->marks[0] = 0;
        b->depth = 1;
        return 0;
    }
    /* Read what the handle keeps before the commit: once the book exists,
     * nothing may fail (an allocation, a read) and report the creating
     * call as failed. */
    if ((rc = load_meta(b)) || (rc = bo__verify_flush(b)) || (rc = bo__feed_flush(b)) ||
        (rc = bo__store_commit(b->store))) {
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(b->store);
        bo__verify_forget(b);
        b->audit_valid = 0;
        return bo__error_restore(&es);
    }
    bo__verify_forget(b);
    b->audit_valid = 0;
    return 0;
}

int bo__book_open(bo_book **out, const char *uri, const bo_book_options *opts,
                  int keep_open)
{
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (!bo__domains_ready())
        return bo__error_set(BO_ESTATE, "book: the table of domains is not "
                             "registered");
    if (!uri || !uri[0])
        return bo__error_set(BO_EINVAL, "uri: missing");
    int rc = bo__text_check("uri", uri, 4096, false, false);
    if (rc)
        return rc;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    if (opts) {
        if (opts->version != BO_BOOK_OPTIONS_VERSION)
            return bo__error_set(BO_EINVAL, "options: version %u is not %d",
                                 opts->version, BO_BOOK_OPTIONS_VERSION);
        o = *opts;
    }
    if (o.actor && (rc = bo__name_check("actor", o.actor, BO_NAME_MAX)))
        return rc;
    if (o.create && !o.actor)
        return bo__error_set(BO_EINVAL, "actor: required to create a book "
                             "(the creator becomes its owner)");
    if (o.base_currency) {
        int exp;
        if ((rc = bo_currency_exponent(o.base_currency, &exp)))
            return bo__error_prefix("base_currency: ");
    }
    if (o.busy_timeout_ms < 0 || o.sync < BO_SYNC_FULL || o.sync > BO_SYNC_OFF)
        return bo__error_set(BO_EINVAL, "options: busy_timeout_ms must be >= 0 "
                             "and sync a bo_sync value");
    if ((rc = bo__sqlite_init()))
        return rc;

    bo_driver_settings set = { 1, o.busy_timeout_ms, o.sync, o.create };
    bo_book *b = bo__calloc(1, sizeof *b);
    if (!b)
        return BO_ENOMEM;
    bo__books_opened(1);
    b->gen_seen = -1;
    b->data_version = -1;
    if ((rc = bo__store_open(&b->store, uri, &set)))
        goto fail;
    if (!(b->uri = bo__strdup(uri)) || (o.actor && !(b->actor = bo__strdup(o.actor)))) {
        rc = BO_ENOMEM;
        goto fail;
    }
    if (keep_open || !schema_current(b->store)) {
        if ((rc = prepare_book(b, &o, keep_open)))
            goto fail;
        if (keep_open && (rc = load_meta(b)))
            goto fail;
    } else if ((rc = load_meta(b))) {
        goto fail;
    }
    *out = b;
    return 0;
fail:
    {
        bo__error_state es;
        bo__error_save(&es);
        bo_book_free(b);
        return bo__error_restore(&es);
    }
}

void bo_book_free(bo_book *b)
{
    if (!b)
        return;
    if (b->depth > 0 && b->store) {
        bo__error_state es;
        bo__error_save(&es);
        while (b->depth > 0)
            bo__tx_rollback(b);
        bo__error_restore(&es);
    }
    bo__events_free(b);
    bo__verify_free(b);
    bo__domains_free(b);
    bo__key_forget(b);
    bo__store_release(b->store);
    bo__free(b->marks);
    bo__free(b->uri);
    bo__free(b->actor);
    bo__free(b->name);
    bo__free(b);
    bo__books_opened(-1);
}

int bo_book_set_actor(bo_book *b, const char *actor)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (b->depth > 0)
        return bo__error_set(BO_ESTATE, "actor: cannot change inside a transaction");
    int rc;
    if (actor && (rc = bo__name_check("actor", actor, BO_NAME_MAX)))
        return rc;
    char *copy = NULL;
    if (actor && !(copy = bo__strdup(actor)))
        return BO_ENOMEM;
    bo__free(b->actor);
    b->actor = copy;
    b->perms_valid = 0;
    return 0;
}

const char *bo_book_actor(const bo_book *b)
{
    return b ? b->actor : NULL;
}

const char *bo_book_base_currency(const bo_book *b)
{
    return b ? b->base_currency : NULL;
}

const char *bo_book_name(const bo_book *b)
{
    return b && b->name ? b->name : "";
}

const char *bo_book_uri(const bo_book *b)
{
    return b ? b->uri : NULL;
}

int bo_book_schema_version(void)
{
    return BO__SCHEMA_VERSION;
}

static int set_name_tx(bo_book *b, void *ctx)
{
    const char *name = ctx;
    int rc = meta_set(b->store, "name", name);
    if (!rc)
        rc = bo__audit_append(b, "book.rename", "book", name);
    return rc;
}

int bo_book_set_name(bo_book *b, const char *name)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("name", name, BO_TEXT_MAX, false, true);
    if (rc || (rc = bo__require(b, BO__P_BOOK_ADMIN)))
        return rc;
    char *copy = bo__strdup(name);
    if (!copy)
        return BO_ENOMEM;
    if ((rc = bo__write(b, set_name_tx, (void *)name))) {
        bo__free(copy);
        return rc;
    }
    bo__free(b->name);
    b->name = copy;
    return 0;
}
