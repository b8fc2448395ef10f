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
 * | *            | everything (the built-in "owner" role)              |
 *
 * The actor that creates a book is granted the built-in role "owner".
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
 * permissions ("ledger.read ledger.post"). Needs book.admin.
 * @return 0, BO_EINVAL (unknown permission, bad name), BO_EDENIED.
 */
BO_EXTERN(int) bo_role_define(bo_book *book, const char *role,
                              const char *permissions);

/**
 * Grant @p role to @p actor. Needs book.admin. Granting twice is a no-op.
 * @return 0, BO_ENOTFOUND (unknown role), BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_role_grant(bo_book *book, const char *actor, const char *role);

/**
 * Take @p role from @p actor. Needs book.admin. The last owner cannot be
 * revoked (BO_ESTATE).
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
 * Columns: actor TEXT, role TEXT, permissions TEXT.
 */
BO_EXTERN(int) bo_role_list(bo_book *book, bo_cursor **out);

BO_END_DECLS

#endif
