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

BO_END_DECLS

#endif
