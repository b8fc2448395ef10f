/*
 * The sync domain as the library sees it (offline terminals and their
 * synchronisation with a central book): its permissions, its YAML section
 * `terminal:`, its events, the audit coverage of its tables; listed once
 * in the table of domains (src/book/domains.c).
 *
 * Audit coverage: a terminal's state row (kind "terminal") and each outbox
 * row (kind "outbox") are touched by the sale that writes them and by the
 * sync that acknowledges them; on the central store, each terminal's row
 * (kind "sync_terminal") by the hello of every sync, each received command
 * (kind "inbox", with its stock.negative rows) by its own audit record, and
 * a terminal's pulled snapshot (kind "pulled") by the pull.
 */
#include "sync/sync.h"
#include "core/config_check.h"
#include "core/verify.h"

#include <stdio.h>
#include <string.h>


/* ---- YAML: "terminal: {id: T1, central: URI, max_queued: N, ...}" ---- */
int bo__cfg_section_terminal(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = { "id", "central", "max_queued", "max_value",
                                        "max_offline_hours" };
    const bo__cfg_node *v[5];
    int rc;
    if ((rc = bo__cfg_kind(d, node, BO__CFG_MAP, "terminal")) ||
        (rc = bo__cfg_fields(d, node, "terminal", keys, v, 5)))
        return rc;
    if (!v[0] || !v[1])
        return bo__cfg_missing(d, node, "terminal", v[0] ? "central" : "id");
    const char *id, *central;
    int lim[3] = { 0, 0, 0 };
    if ((rc = bo__cfg_text(d, v[0], "terminal.id", &id)) ||
        (rc = bo__cfg_text(d, v[1], "terminal.central", &central)))
        return rc;
    for (int i = 0; i < 3; i++)
        if (v[2 + i] && (rc = bo__cfg_int(d, v[2 + i], keys[2 + i], 0, 2000000000, &lim[i])))
            return rc;
    if ((rc = bo_terminal_setup(b, id, central)))
        return bo__cfg_apply_error(d, node, rc);
    if ((v[2] || v[3] || v[4]) && (rc = bo_terminal_limits(b, lim[0], lim[1], lim[2])))
        return bo__cfg_apply_error(d, node, rc);
    return 0;
}

static const bo__domain_section sections[] = {
    { "terminal", bo__cfg_section_terminal },
    { NULL, NULL },
};

static const char *const events[] = {
    "stock.negative",
    "terminal.limit",
    NULL,
};

/* ---- audit coverage ---- */
#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart terminal_parts[] = { P("sync_state", "t.id", "id") };
static const bo__vpart outbox_parts[] = { P("sync_outbox", "t.seq", "seq") };
static const bo__vpart central_parts[] = { P("sync_terminals", "t.terminal", "terminal") };
static const bo__vpart inbox_parts[] = {
    P("sync_inbox", "t.id", "id"),
    P("sync_negative", "t.inbox_id", "id"),
};
static const bo__vpart pulled_parts[] = {
    P("sync_pulled", "t.kind || ':' || t.code", "kind, code"),
};

static const bo__vkind kinds[] = {
    { "terminal", 0, terminal_parts, BO__VN(terminal_parts) },
    { "outbox", 0, outbox_parts, BO__VN(outbox_parts) },
    { "sync_terminal", 1, central_parts, BO__VN(central_parts) },
    { "inbox", 0, inbox_parts, BO__VN(inbox_parts) },
    { "pulled", 1, pulled_parts, BO__VN(pulled_parts) },
};

static const bo__vaction actions[] = {
    { "sync.terminal.setup", "terminal", "terminal:", NULL },
    { "sync.terminal.limits", "terminal", "terminal:", NULL },
    { "sync.outbox.resubmit", "outbox", "outbox:", NULL },
    /* The terminal's side of a sync touches the rows it changes. */
    { "sync.terminal.ack", NULL, NULL, NULL },
    { "sync.terminal.hello", NULL, NULL, NULL },
    { "sync.terminal.pull", NULL, NULL, NULL },
    { "sync.central.hello", "sync_terminal", "sync_terminal:", NULL },
    { "sync.central.receive", "inbox", "inbox:", NULL },
};

const bo__vdomain bo__verify_sync = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};

const bo__domain bo__domain_sync = {
    .name = "sync",
    .parts = bo__parts_sync,
    .tables = bo__tables_sync,
    .ntables = &bo__ntables_sync,
    .sections = sections,
    .verify = &bo__verify_sync,
    .events = events,
    .cache = &bo__sync_cache,
};
