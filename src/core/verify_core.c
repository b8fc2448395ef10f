/* What the audit chain covers in the core tables (see src/core/verify.h):
 * the book's own keys, roles, grants and the domains' settings. audit_log and audit_states are the
 * chain itself, checked by the engine. */
#include "core/verify.h"

/* bo_meta: one record, "book". The generation only tells other handles to
 * drop their caches; it changes with every chart, period or role change and
 * is left out (editing it makes other handles re-read what they cache). */
static const bo__vpart book_parts[] = {
    { "bo_meta", "'book' || ''", NULL, "key", NULL, NULL,
      "t.key <> 'generation'", NULL, NULL, NULL },
};
static const bo__vpart role_parts[] = {
    { "roles", "t.name", NULL, "name", NULL, NULL, NULL, NULL, NULL, NULL },
};
/* An actor's grants, all roles together. */
static const bo__vpart grant_parts[] = {
    { "grants", "t.actor", NULL, "actor, role", NULL, NULL, NULL, NULL, NULL, NULL },
};

/* Every domain's settings, one record per key ("inventory.account.cogs").
 * The domains' calls that write one touch it (bo__setting_put); their
 * actions (inventory.setting.set, billing.setting.set,
 * documents.settings.store_set, ...; objects "setting:<domain>.<key>") are
 * declared by the domains. Books older than version 12 recorded them as kinds
 * inv.setting, bill.setting (one record per key) and doc.settings (one
 * record, "documents"): those states stay in the chain; the upgrade carried
 * them over (bo__setting_carry). */
/* An actor's grants limited to locations (version 15). */
static const bo__vpart grant_location_parts[] = {
    { "grant_locations", "t.actor", NULL, "role, location", NULL, NULL, NULL, NULL, NULL,
      NULL },
};

static const bo__vpart setting_parts[] = {
    { "settings", "t.key", NULL, "key", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vkind kinds[] = {
    { "book", 1, book_parts, BO__VN(book_parts) },
    { "role", 1, role_parts, BO__VN(role_parts) },
    { "grant", 1, grant_parts, BO__VN(grant_parts) },
    { "setting", 1, setting_parts, BO__VN(setting_parts) },
    { "grant_location", 1, grant_location_parts, BO__VN(grant_location_parts) },
};

static const bo__vaction actions[] = {
    { "book.create", "book", NULL, NULL },
    { "book.rename", "book", NULL, NULL },
    /* A journal import records a commodity's scale as the setting
     * book.currency.CODE (src/book/journal.c). */
    { "book.currency.register", NULL, NULL, NULL },
    /* Before 0.3 these objects were the bare name ("clerk", "bob"), under
     * the same action names; only a new record's object is read. */
    { "role.define", "role", "role:", NULL },
    { "role.grant", "grant", "grant:", NULL },
    { "role.revoke", "grant", "grant:", NULL },
    { "role.grant_location", "grant_location", "grant_location:", NULL },
    { "role.revoke_location", "grant_location", "grant_location:", NULL },
    /* The chain's own records: their states are what they carry. */
    { "audit.state", NULL, NULL, NULL },
    { "audit.upgrade", NULL, NULL, NULL },
    /* The change feed's retention: a setting (bo__setting_put touches it). */
    { "feed.retention.set", NULL, NULL, NULL },
};

const bo__vdomain bo__verify_core = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};
