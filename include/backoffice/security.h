/**
 * @file backoffice/security.h
 * @brief Actors, roles and deny-by-default permissions.
 *
 * The host authenticates people; the library authorizes them. A book handle
 * carries an actor (bo_book_set_actor()); an actor holds roles; a role holds
 * permissions. Nothing is allowed unless a role grants it. Permissions:
 *
 * | permission   | allows                                              |
 * |--------------|-----------------------------------------------------|
 * | ledger.read  | accounts, entries, balances, reports, periods       |
 * | ledger.post  | post and reverse entries                            |
 * | ledger.admin | add and close accounts, add and close periods       |
 * | audit.read   | read and verify the audit log, export its head      |
 * | book.admin   | define roles, grant and revoke them                 |
 * | inventory.read  | items, locations, stock, movements, valuation    |
 * | inventory.write | receive, issue, transfer, adjust, counts, orders |
 * | inventory.admin | items, locations, reorder points, policies       |
 * | sales.post      | sales, returns, reservations                     |
 * | billing.read    | invoices, bills, payments, aging, statements     |
 * | billing.post    | post invoices, bills, credit notes, payments     |
 * | billing.admin   | numbering series, exchange rates, revaluation    |
 * | bank.reconcile  | import bank statements and reconcile them        |
 * | payroll.read    | employees' personal and pay data, payslips       |
 * | payroll.write   | employees, pay terms, attendance and timesheets  |
 * | payroll.run     | create and calculate pay runs                    |
 * | payroll.approve | approve, post, pay and reverse pay runs          |
 * | payroll.admin   | rule packs                                       |
 * | documents.read  | documents the actor may see (see documents.h)    |
 * | documents.write | add documents and versions, links, check-out     |
 * | documents.admin | types, retention rules, legal holds, disposal    |
 * | documents.confidential | confidential and restricted documents     |
 * | party.read      | customers and vendors                            |
 * | party.write     | add and change customers and vendors             |
 * | tax.admin       | tax rates and tax categories                     |
 * | *            | everything (the built-in "owner" role)              |
 *
 * The actor that creates a book is granted the built-in role "owner".
 * An actor hands out only what it holds: defining a role, or granting one,
 * needs every permission of the role besides book.admin, so only an owner
 * (holding *) grants or revokes the owner role. A denial names the actor
 * and every permission it lacks for the call, never any data.
 */
#ifndef BACKOFFICE_SECURITY_H
#define BACKOFFICE_SECURITY_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** Longest actor or role name, in bytes. */
#define BO_NAME_MAX 64

/**
 * Define (or redefine) @p role with a space- or comma-separated list of
 * permissions ("ledger.read ledger.post"). Needs book.admin and every
 * permission listed.
 * @return 0, BO_EINVAL (unknown permission, bad name), BO_EDENIED (naming
 *         the permissions the actor lacks).
 */
BO_EXTERN(int) bo_role_define(bo_book *book, const char *role,
                              const char *permissions);

/**
 * Grant @p role to @p actor. Needs book.admin and every permission of the
 * role (the owner role: *, so only an owner grants it). Granting twice is a
 * no-op.
 * @return 0, BO_ENOTFOUND (unknown role), BO_EINVAL, BO_EDENIED (naming the
 *         permissions the granting actor lacks).
 */
BO_EXTERN(int) bo_role_grant(bo_book *book, const char *actor, const char *role);

/**
 * Take @p role from @p actor. Needs book.admin; taking the owner role needs
 * * (an owner). The last owner cannot be revoked (BO_ESTATE).
 * @return 0, BO_ENOTFOUND (the actor does not hold it), BO_EDENIED, BO_ESTATE.
 */
BO_EXTERN(int) bo_role_revoke(bo_book *book, const char *actor, const char *role);

/**
 * Whether the book's current actor holds @p permission.
 * @return 1 allowed, 0 denied, or a negative error (BO_EINVAL for an unknown
 *         permission name).
 */
BO_EXTERN(int) bo_actor_can(bo_book *book, const char *permission);

/**
 * List the grants. Needs book.admin.
 * Columns: actor TEXT, role TEXT, permissions TEXT, location TEXT (NULL:
 * every location; a grant limited to locations, bo_role_grant_location(),
 * has one row per location).
 */
BO_EXTERN(int) bo_role_list(bo_book *book, bo_cursor **out);

/**
 * Grant @p role to @p actor at @p location only (a store or warehouse
 * code): the domains that know locations (people's rosters, shifts,
 * attendance, open shifts and swaps) let the actor read and change only
 * those of the locations it holds the role at, and their listings show only
 * those. Call it again for more locations; bo_role_grant() widens the grant
 * to every location, bo_role_revoke() takes it everywhere. Needs what
 * bo_role_grant() needs (and goes through the same approval rule,
 * "role.grant").
 * @return 0, BO_ENOTFOUND (unknown role), BO_EINVAL (naming actor, role or
 *         location), BO_EDENIED, BO_ESTATE (the actor already holds the role
 *         at every location).
 */
BO_EXTERN(int) bo_role_grant_location(bo_book *book, const char *actor, const char *role,
                                      const char *location);

/* ---- access tokens (0.3) ------------------------------------------------
 * The library authorizes; a host that must authenticate people itself (the
 * `backoffice serve` live view) asks the book who holds a token. A token
 * is "bot_" and 64 hexadecimal digits (32 random bytes); the book keeps
 * only its SHA-256, so the token is shown once, when it is made. */

/** Length of a token in characters; a buffer for one needs one more. */
#define BO_ACTOR_TOKEN_LEN 68

/** Longest token label, in bytes. */
#define BO_ACTOR_TOKEN_LABEL_MAX 200

/**
 * Make an access token for @p actor, described by @p label ("dashboard on
 * the back-office PC"), and write the token into @p token_out (@p size at
 * least BO_ACTOR_TOKEN_LEN + 1). The token is not stored and cannot be
 * shown again. The actor must hold a role; the book's actor makes tokens
 * for itself, and only an owner (holding *) for another actor. Recorded in
 * the audit chain as actor.token.create (the token's id and label, never
 * the token).
 * @param id  receives the token's id (for bo_actor_token_revoke()), or NULL.
 * @return 0, BO_EINVAL (actor, label, token_out: the message names it),
 *         BO_ETOOLONG (label), BO_ENOTFOUND (the actor holds no role),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_actor_token_create(bo_book *book, const char *actor, const char *label,
                                     int64_t *id, char *token_out, size_t size);

/**
 * Revoke token @p id: it no longer authenticates anyone. The book's actor
 * revokes its own tokens; only an owner (holding *) another actor's.
 * Recorded as actor.token.revoke.
 * @return 0, BO_EINVAL (id), BO_ENOTFOUND (no token @p id), BO_ESTATE
 *         (already revoked), BO_EDENIED.
 */
BO_EXTERN(int) bo_actor_token_revoke(bo_book *book, int64_t id);

/**
 * Who holds @p token: its actor into @p actor_out (@p size at least
 * BO_NAME_MAX + 1) and its id into @p id (or NULL). Needs no permission
 * (it is how a host finds the actor to set); it reads, never writes. The
 * comparison is of SHA-256 digests, so its time does not depend on how
 * much of a token is right.
 * @return 0, BO_EINVAL (token: not the form of a token; actor_out),
 *         BO_EDENIED (no such token, or it was revoked: the message does
 *         not say which).
 */
BO_EXTERN(int) bo_actor_token_check(bo_book *book, const char *token, int64_t *id,
                                    char *actor_out, size_t size);

/**
 * List the access tokens, never their secrets: the book's actor's own, or
 * every actor's for an owner (holding *).
 * Columns: id INT, actor TEXT, label TEXT, created_at TEXT, revoked_at TEXT
 * (NULL while valid).
 */
BO_EXTERN(int) bo_actor_tokens(bo_book *book, bo_cursor **out);

BO_END_DECLS

#endif
