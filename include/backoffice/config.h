/**
 * @file backoffice/config.h
 * @brief Create a book from a YAML description of a business.
 *
 * The file names the storage URI, base currency, extra currencies, fiscal
 * year, chart of accounts, roles and actors (see docs/api.md for the
 * format). Parsing is strict: an unknown key, a wrong type or a bad value is
 * BO_ECONFIG with a message "FILE:LINE:COLUMN: ...". It is bounded: input
 * over 4 MiB, nesting deeper than 64 levels, more than 1,000 aliases or more
 * than 100,000 nodes is BO_ELIMIT before any expansion.
 */
#ifndef BACKOFFICE_CONFIG_H
#define BACKOFFICE_CONFIG_H

#include "book.h"

BO_BEGIN_DECLS

/** Largest YAML input accepted, in bytes. */
#define BO_CONFIG_MAX_BYTES (4u * 1024u * 1024u)
/** Deepest nesting of mappings and sequences accepted. */
#define BO_CONFIG_MAX_DEPTH 64
/** Most aliases (*name) accepted in one document. */
#define BO_CONFIG_MAX_ALIASES 1000
/** Most nodes (scalars, mappings, sequences, alias uses) in one document. */
#define BO_CONFIG_MAX_NODES 100000

/**
 * Create a new book from the YAML file at @p path, in one transaction.
 * @param out   receives the book; the caller owns it.
 * @param uri   the store, or NULL to use the file's "storage" key.
 * @param opts  NULL for defaults; opts->actor (default "admin") becomes the
 *              owner; opts->create is implied.
 * @return 0; BO_ECONFIG or BO_ELIMIT with FILE:LINE:COLUMN; BO_EEXISTS when
 *         the store already holds a book; any error of the calls it makes.
 */
BO_EXTERN(int) bo_book_create_from_yaml(bo_book **out, const char *path,
                                        const char *uri,
                                        const bo_book_options *opts);

/**
 * As bo_book_create_from_yaml(), from @p len bytes of YAML text at @p yaml
 * (messages name "<string>" as the file).
 */
BO_EXTERN(int) bo_book_create_from_yaml_string(bo_book **out, const char *yaml,
                                               size_t len, const char *uri,
                                               const bo_book_options *opts);

BO_END_DECLS

#endif
