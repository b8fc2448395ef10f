/* The notes domain: its table, write, YAML section, cache and audit
 * coverage. Only the core's internal interface is used. */
#include "notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */
static const char *const notes_v1[] = {
    "CREATE TABLE notes ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " body TEXT{TEXT_C} NOT NULL)",
    NULL
};
static const bo__schema_part parts[] = {
    { BO__NOTES_SCHEMA_VERSION, notes_v1, 0, NULL },
    { 0, NULL, 0, NULL },
};
static const bo__table tables[] = {
    { "notes", "code, body", "tt", "code", NULL },
};
static const int ntables = 1;

/* ---- cache: how many notes this handle added ---- */
typedef struct notes_cache {
    int64_t added;
} notes_cache;
static int slot;
static void cache_free(void *data)
{
    bo__free(data);
}
static const bo__domain_cache cache = { &slot, NULL, NULL, cache_free, NULL };

int64_t bo__notes_added(bo_book *b)
{
    notes_cache *c = b->ext[slot].data;
    return c ? c->added : -1;
}

/* ---- the audited write ---- */
static const char SQL_EXISTS[] = "SELECT 1 FROM notes WHERE code = ?";
static const char SQL_INSERT[] = "INSERT INTO notes (code, body) VALUES (?, ?)";

struct add_ctx {
    const char *code, *body;
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    int found = 0;
    int rc = bo__store_row(b->store, SQL_EXISTS, &found, "t", c->code);
    if (rc)
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "code: note '%s' already exists", c->code);
    if ((rc = bo__store_run(b->store, SQL_INSERT, "tt", c->code, c->body)))
        return rc;
    char object[BO_NAME_MAX + 8];
    snprintf(object, sizeof object, "note:%s", c->code);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->code);
    bo__buf_field(&d, c->body);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "notes.note.add", object, d.ptr);
    bo__buf_free(&d);
    if (!rc)
        rc = bo__event_queue(b, "note.added", 0);
    return rc;
}

int bo__notes_add(bo_book *b, const char *code, const char *body)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("code", code, BO_NAME_MAX)) ||
        (rc = bo__text_check("body", body, BO_TEXT_MAX, false, true)) ||
        (rc = bo__require(b, BO__P_NOTES_WRITE)))
        return rc;
    notes_cache *nc = b->ext[slot].data;
    if (!nc) {
        if (!(nc = bo__calloc(1, sizeof *nc)))
            return BO_ENOMEM;
        b->ext[slot].data = nc;
    }
    struct add_ctx c = { code, body };
    if ((rc = bo__write(b, add_tx, &c)))
        return rc;
    nc->added++;
    return 0;
}

/* ---- YAML: "notes: [{code: ..., body: ...}, ...]" ---- */
static int section_notes(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node)
{
    static const char *const keys[] = {"code", "body"};
    int rc = bo__cfg_kind(d, node, BO__CFG_SEQ, "notes");
    for (uint32_t i = 0; !rc && i < node->n; i++) {
        const bo__cfg_node *item = bo__cfg_node_at(d, node->kids[i]), *v[2];
        char where[32];
        snprintf(where, sizeof where, "notes[%u]", (unsigned)i);
        const char *code, *body;
        if ((rc = bo__cfg_kind(d, item, BO__CFG_MAP, where)) ||
            (rc = bo__cfg_fields(d, item, where, keys, v, 2)))
            return rc;
        if (!v[0] || !v[1])
            return bo__cfg_missing(d, item, where, v[0] ? "body" : "code");
        if ((rc = bo__cfg_text(d, v[0], "code", &code)) ||
            (rc = bo__cfg_text(d, v[1], "body", &body)))
            return rc;
        if ((rc = bo__notes_add(b, code, body)))
            rc = bo__cfg_apply_error(d, item, rc);
    }
    return rc;
}
static const bo__domain_section sections[] = {
    { "notes", section_notes },
    { NULL, NULL },
};

/* ---- audit coverage: a note is a record keyed by its code ---- */
static const bo__vpart note_parts[] = {
    { "notes", "t.code", NULL, "code", NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vkind kinds[] = {
    { "note", 1, note_parts, BO__VN(note_parts) },
};
static const bo__vaction actions[] = {
    { "notes.note.add", "note", "note:", NULL },
};
static const bo__vdomain verify = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0, NULL, 0,
};

/* ---- the descriptor ---- */
unsigned bo__perms_notes[1];
static const char *const perms[] = { "notes.write", NULL };
static const char *const events[] = { "note.added", NULL };

const bo__domain bo__domain_notes = {
    .name = "notes",
    .parts = parts,
    .tables = tables,
    .ntables = &ntables,
    .sections = sections,
    .cache = &cache,
    .perms = perms,
    .perm_bits = bo__perms_notes,
    .verify = &verify,
    .events = events,
};
