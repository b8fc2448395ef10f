/* Roles and deny-by-default permissions. */
#include "core/approval.h"
#include "core/book.h"
#include "core/domain.h"

#include <stdio.h>
#include <string.h>

/* The permission names are the domains' (each in its descriptor, bits
 * from the table of domains) and the core's: bo__perm_at (domain.c). */

static const char SQL_ACTOR_PERMS[] =
    "SELECT r.permissions FROM grants g JOIN roles r ON r.name = g.role"
    " WHERE g.actor = ?";
static const char SQL_ROLE_UPSERT[] =
    "INSERT INTO roles (name, permissions) VALUES (?, ?)"
    " ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions";
static const char SQL_GRANT[] =
    "INSERT INTO grants (actor, role) VALUES (?, ?) ON CONFLICT DO NOTHING";
static const char SQL_REVOKE[] = "DELETE FROM grants WHERE actor = ? AND role = ?";
static const char SQL_OWNERS[] =
    "SELECT COUNT(*) FROM grants WHERE role = 'owner'";
/* Grants limited to locations (grant_locations, version 15). */
static const char SQL_AT_ADD[] =
    "INSERT INTO grant_locations (actor, role, location) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING";
static const char SQL_AT_CLEAR[] = "DELETE FROM grant_locations WHERE actor = ? AND role = ?";
static const char SQL_AT_HELD[] =
    "SELECT (SELECT COUNT(*) FROM grants WHERE actor = ? AND role = ?),"
    " (SELECT COUNT(*) FROM grant_locations WHERE actor = ? AND role = ?)";
/* The permissions of the actor's grants that hold everywhere. */
static const char SQL_PERMS_EVERYWHERE[] =
    "SELECT r.permissions FROM grants g JOIN roles r ON r.name = g.role WHERE g.actor = ?"
    " AND NOT EXISTS (SELECT 1 FROM grant_locations l WHERE l.actor = g.actor"
    " AND l.role = g.role)";
/* The permissions of the actor's grants limited to locations, by location. */
static const char SQL_PERMS_SCOPED[] =
    "SELECT l.location, r.permissions FROM grant_locations l"
    " JOIN grants g ON g.actor = l.actor AND g.role = l.role"
    " JOIN roles r ON r.name = l.role WHERE l.actor = ? ORDER BY l.location";
static const char SQL_PERMS_AT[] =
    "SELECT r.permissions FROM grant_locations l"
    " JOIN grants g ON g.actor = l.actor AND g.role = l.role"
    " JOIN roles r ON r.name = l.role WHERE l.actor = ? AND l.location = ?";
static const char SQL_LIST[] =
    "SELECT g.actor, g.role, r.permissions, l.location FROM grants g"
    " JOIN roles r ON r.name = g.role"
    " LEFT JOIN grant_locations l ON l.actor = g.actor AND l.role = g.role"
    " ORDER BY g.actor, g.role, l.location";

/* The names of the permissions in mask, in table order, joined with
 * " and " ("*" for all of them). */
static const char *perm_list(unsigned mask, char *out, size_t size)
{
    if (mask == BO__P_ALL)
        return "*";
    size_t n = 0;
    out[0] = '\0';
    const char *name;
    unsigned bit;
    for (int i = 0; bo__perm_at(i, &name, &bit) && n < size; i++) {
        if (bit == BO__P_ALL || !(mask & bit))
            continue;
        int w = snprintf(out + n, size - n, "%s%s", n ? " and " : "", name);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return out;
}

/* Parse "a.b c.d,e.f" into a mask; BO_EINVAL names an unknown one. */
static int parse_perms(const char *list, unsigned *mask)
{
    *mask = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, " ,");
        if (!n)
            break;
        const char *name;
        unsigned bit;
        int found = 0;
        /* strncmp stops at the end of a shorter name; no strlen per name */
        for (int i = 0; !found && bo__perm_at(i, &name, &bit); i++)
            found = strncmp(name, p, n) == 0 && name[n] == '\0';
        if (!found)
            return bo__error_set(BO_EINVAL, "permissions: unknown permission "
                                 "'%.*s'", (int)(n > 64 ? 64 : n), p);
        *mask |= bit;
        p += n;
    }
    return 0;
}

static int load_perms(bo_book *b)
{
    /* Until they are read again, nothing is cached: a read that fails must
     * not leave an empty set marked valid for the next transaction. */
    b->perms = 0;
    b->perms_valid = 0;
    if (!b->actor) {
        b->perms_valid = b->depth > 0;
        return 0;
    }
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_ACTOR_PERMS, &s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_bind(s, "t", b->actor))) {
        bo__stmt_done(s);
        return rc;
    }
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        unsigned m;
        if (parse_perms(bo__stmt_col_text(s, 0), &m) == 0)
            b->perms |= m;
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    /* Outside a transaction another writer may change grants at any time,
     * so only a transaction's view is cached. */
    b->perms_valid = b->depth > 0;
    return 0;
}

int bo__require(bo_book *b, unsigned perm)
{
    int usable = bo__tx_usable(b);
    if (usable)
        return usable;
    if (!b->perms_valid || b->depth == 0) {
        int rc = load_perms(b);
        if (rc)
            return rc;
    }
    if ((b->perms & perm) == perm)
        return 0;
    /* Name what is missing, every permission of it (a call may need
     * several: copying a book needs book.admin, audit.read and ledger.read). */
    char names[512];
    if (!b->actor)
        return bo__error_set(BO_EDENIED, "permission denied: no actor is set "
                             "on this book handle (needs %s)",
                             perm_list(perm, names, sizeof names));
    return bo__error_set(BO_EDENIED, "permission denied: actor '%s' lacks %s",
                         b->actor, perm_list(perm == BO__P_ALL ? perm : perm & ~b->perms,
                                             names, sizeof names));
}

int bo__has(bo_book *b, unsigned perm)
{
    int usable = bo__tx_usable(b);
    if (usable)
        return usable;
    if (!b->perms_valid || b->depth == 0) {
        int rc = load_perms(b);
        if (rc)
            return rc;
    }
    return (b->perms & perm) == perm;
}

int bo__security_bootstrap(bo_book *b, const char *actor)
{
    return bo__store_run(b->store, SQL_GRANT, "tt", actor, "owner");
}

int bo_actor_can(bo_book *b, const char *permission)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("permission", permission, BO_NAME_MAX, false, false);
    unsigned m;
    if (rc || (rc = parse_perms(permission, &m)))
        return rc;
    if ((rc = load_perms(b)))
        return rc;
    return (b->perms & m) == m ? 1 : 0;
}

struct role_ctx {
    const char *role, *actor, *perms, *location;
};

/* An actor hands out only what it holds: defining a role, or granting
 * one, with a permission the actor lacks would let a book.admin make
 * itself anything (the owner role is "*": only an owner grants it). */
static int hand_out(bo_book *b, unsigned mask, const char *what, const char *role)
{
    int rc = bo__require(b, mask);
    if (rc == BO_EDENIED && strcmp(role, "owner") == 0)
        return bo__error_set(BO_EDENIED, "%s role 'owner': permission denied: actor "
                             "'%s' lacks * (only an owner grants or revokes the owner "
                             "role)", what, b->actor ? b->actor : "");
    if (rc == BO_EDENIED)
        return bo__error_prefix("%s role '%s': ", what, role);
    return rc;
}

static const char SQL_ROLE_PERMS[] = "SELECT permissions FROM roles WHERE name = ?";

static int define_tx(bo_book *b, void *p)
{
    struct role_ctx *c = p;
    unsigned m;
    int rc = parse_perms(c->perms, &m);
    if (rc || (rc = hand_out(b, m, "define", c->role)))
        return rc;
    rc = bo__store_run(b->store, SQL_ROLE_UPSERT, "tt", c->role, c->perms);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->perms);
    char object[BO_NAME_MAX + 16];
    snprintf(object, sizeof object, "role:%s", c->role);
    if (!rc && !(rc = d.failed ? BO_ENOMEM : 0))
        rc = bo__audit_append(b, "role.define", object, d.ptr);
    bo__buf_free(&d);
    return rc ? rc : bo__book_bump_generation(b);
}

int bo_role_define(bo_book *b, const char *role, const char *permissions)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    unsigned m;
    if ((rc = bo__name_check("role", role, BO_NAME_MAX)) ||
        (rc = bo__text_check("permissions", permissions, BO_TEXT_MAX, false, true)) ||
        (rc = parse_perms(permissions, &m)))
        return rc;
    if (strcmp(role, "owner") == 0)
        return bo__error_set(BO_EINVAL, "role: 'owner' is built in and cannot "
                             "be redefined");
    if ((rc = bo__require(b, BO__P_BOOK_ADMIN)))
        return rc;
    struct role_ctx c = { role, NULL, permissions, NULL };
    return bo__write(b, define_tx, &c);
}

/* 1 when the stored permissions no longer parse. */
static int perms_row(bo__stmt *s, void *mask)
{
    return parse_perms(bo__stmt_col_text(s, 0), mask) ? 1 : 0;
}

/* The permissions of role (BO_ENOTFOUND when there is none). */
static int role_perms(bo_book *b, const char *role, unsigned *mask)
{
    *mask = 0;
    int found;
    int rc = bo__store_row_read(b->store, SQL_ROLE_PERMS, perms_row, mask, &found, "t",
                                role);
    if (rc == 1)
        return bo__error_set(BO_ECORRUPT, "role '%s': its permissions are not "
                             "readable", role);
    if (!rc && !found)
        return bo__error_set(BO_ENOTFOUND, "role: no role named '%s'", role);
    return rc;
}

static int grant_tx(bo_book *b, void *p)
{
    struct role_ctx *c = p;
    unsigned m;
    int rc = role_perms(b, c->role, &m);
    if (rc || (rc = hand_out(b, m, "grant", c->role)) ||
        (rc = bo__approval_grant_check(b, c->actor, c->role)))
        return rc;
    int64_t held = 0, places = 0;
    if ((rc = bo__store_row(b->store, SQL_AT_HELD, NULL, "tttt>ii", c->actor, c->role,
                            c->actor, c->role, &held, &places)))
        return rc;
    if (c->location && held && !places)
        return bo__error_set(BO_ESTATE, "location: actor '%s' already holds role '%s' at"
                             " every location", c->actor, c->role);
    rc = bo__store_run(b->store, SQL_GRANT, "tt", c->actor, c->role);
    char object[BO_NAME_MAX + 24];
    snprintf(object, sizeof object, "grant:%s", c->actor);
    if (!rc)
        rc = bo__audit_append(b, "role.grant", object, c->role);
    /* A grant without a location holds everywhere: one limited before
     * is widened. */
    if (!rc && (c->location || places)) {
        rc = c->location
                 ? bo__store_run(b->store, SQL_AT_ADD, "ttt", c->actor, c->role, c->location)
                 : bo__store_run(b->store, SQL_AT_CLEAR, "tt", c->actor, c->role);
        snprintf(object, sizeof object, "grant_location:%s", c->actor);
        bo__buf d = BO__BUF_INIT;
        bo__buf_field(&d, c->role);
        bo__buf_field(&d, c->location ? c->location : "*");
        if (!rc && !(rc = d.failed ? BO_ENOMEM : 0))
            rc = bo__audit_append(b, "role.grant_location", object, d.ptr);
        bo__buf_free(&d);
    }
    return rc ? rc : bo__book_bump_generation(b);
}

static int revoke_tx(bo_book *b, void *p)
{
    struct role_ctx *c = p;
    int rc;
    /* Only an owner takes the owner role from someone. */
    if (strcmp(c->role, "owner") == 0 && (rc = hand_out(b, BO__P_ALL, "revoke", c->role)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_AT_CLEAR, "tt", c->actor, c->role)))
        return rc;
    int limited = bo__store_changes(b->store) > 0;
    rc = bo__store_run(b->store, SQL_REVOKE, "tt", c->actor, c->role);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) == 0)
        return bo__error_set(BO_ENOTFOUND, "grant: actor '%s' does not hold "
                             "role '%s'", c->actor, c->role);
    if (strcmp(c->role, "owner") == 0) {
        int64_t n = 0;
        if ((rc = bo__store_row(b->store, SQL_OWNERS, NULL, ">i", &n)))
            return rc;
        if (n == 0)
            return bo__error_set(BO_ESTATE, "grant: cannot revoke the last owner");
    }
    char object[BO_NAME_MAX + 24];
    snprintf(object, sizeof object, "grant:%s", c->actor);
    rc = bo__audit_append(b, "role.revoke", object, c->role);
    if (!rc && limited) {
        snprintf(object, sizeof object, "grant_location:%s", c->actor);
        rc = bo__audit_append(b, "role.revoke_location", object, c->role);
    }
    return rc ? rc : bo__book_bump_generation(b);
}

static int grant_args(bo_book *b, const char *actor, const char *role)
{
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("actor", actor, BO_NAME_MAX)) ||
        (rc = bo__name_check("role", role, BO_NAME_MAX)))
        return rc;
    return bo__require(b, BO__P_BOOK_ADMIN);
}

int bo_role_grant(bo_book *b, const char *actor, const char *role)
{
    bo__error_clear();
    int rc = grant_args(b, actor, role);
    if (rc || (rc = bo__grant_approval(b, actor, role, NULL)))
        return rc;
    struct role_ctx c = { role, actor, NULL, NULL };
    return bo__write(b, grant_tx, &c);
}

int bo_role_grant_location(bo_book *b, const char *actor, const char *role,
                           const char *location)
{
    bo__error_clear();
    int rc = grant_args(b, actor, role);
    if (rc || (rc = bo__name_check("location", location, BO_NAME_MAX)) ||
        (rc = bo__grant_approval(b, actor, role, location)))
        return rc;
    struct role_ctx c = { role, actor, NULL, location };
    return bo__write(b, grant_tx, &c);
}

/* The permissions of sql's rows (column col) for the actor, OR-ed. */
static int perms_of(bo_book *b, const char *sql, const char *location, unsigned *mask)
{
    *mask = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    if (!(rc = location ? bo__stmt_bind(s, "tt", b->actor, location)
                        : bo__stmt_bind(s, "t", b->actor))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            unsigned m;
            if (parse_perms(bo__stmt_col_text(s, 0), &m) == 0)
                *mask |= m;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

int bo__require_at(bo_book *b, unsigned perm, const char *location)
{
    int rc = bo__require(b, perm);
    if (rc || !b->actor)
        return rc;
    unsigned all, here;
    if ((rc = perms_of(b, SQL_PERMS_EVERYWHERE, NULL, &all)))
        return rc;
    if ((all & perm) == perm)
        return 0;
    if ((rc = perms_of(b, SQL_PERMS_AT, location, &here)))
        return rc;
    if (((all | here) & perm) == perm)
        return 0;
    char names[512], q[300];
    bo__quote(location, 64, q, sizeof q);
    return bo__error_set(BO_EDENIED, "permission denied: actor '%s' lacks %s at location %s",
                         b->actor, perm_list(perm & ~(all | here), names, sizeof names), q);
}

int bo__scope_locations(bo_book *b, unsigned perm, char **list)
{
    *list = NULL;
    int rc = bo__require(b, perm);
    if (rc || !b->actor)
        return rc;
    unsigned all;
    if ((rc = perms_of(b, SQL_PERMS_EVERYWHERE, NULL, &all)))
        return rc;
    if ((all & perm) == perm)
        return 0;
    bo__buf out = BO__BUF_INIT;
    bo__buf_put(&out, ",", 1);
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_PERMS_SCOPED, &s))) {
        bo__buf_free(&out);
        return rc;
    }
    char place[BO_NAME_MAX + 1] = "";
    unsigned m = 0;
    int any = 0;
    if (!(rc = bo__stmt_bind(s, "t", b->actor))) {
        for (;;) {
            rc = bo__stmt_step(s);
            const char *loc = rc == BO_DRIVER_ROW ? bo__stmt_col_text(s, 0) : NULL;
            /* one location's grants read: keep it when they hold perm */
            if (any && (!loc || strcmp(loc, place) != 0)) {
                if (((all | m) & perm) == perm) {
                    bo__buf_puts(&out, place);
                    bo__buf_put(&out, ",", 1);
                }
                m = 0;
            }
            if (!loc)
                break;
            snprintf(place, sizeof place, "%s", loc);
            any = 1;
            unsigned p;
            if (parse_perms(bo__stmt_col_text(s, 1), &p) == 0)
                m |= p;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    bo__buf_put(&out, "", 1);
    if (!rc && out.failed)
        rc = BO_ENOMEM;
    if (rc) {
        bo__buf_free(&out);
        return rc;
    }
    *list = out.ptr;
    return 0;
}

int bo_role_revoke(bo_book *b, const char *actor, const char *role)
{
    bo__error_clear();
    int rc = grant_args(b, actor, role);
    if (rc)
        return rc;
    struct role_ctx c = { role, actor, NULL, NULL };
    return bo__write(b, revoke_tx, &c);
}

static const bo__col list_cols[] = {
    { "actor", BO_TYPE_TEXT }, { "role", BO_TYPE_TEXT }, { "permissions", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT },
};

int bo_role_list(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_BOOK_ADMIN, NULL, SQL_LIST, list_cols, 4, out, "");
}
