/*
 * The top of the library: the table of domains (domains.c) and the calls
 * that need every domain (open.c, config.c, copy.c). Internal.
 */
#ifndef BO_BOOK_DOMAINS_H
#define BO_BOOK_DOMAINS_H

#include "core/domain.h"

/* Register the table of domains with the core, once per process (every
 * public call of this layer runs it first). */
int bo__domains_init(void);
/* Add a domain the library's table does not list (a test's example
 * domain, built beside the library and linked into its test program):
 * before the first book is opened; BO_ESTATE after, BO_ELIMIT when full. */
int bo__domains_add(const bo__domain *domain);

/* Create a new book at uri and leave the transaction that created it open
 * (depth 1): the caller fills the book and commits, or rolls back and the
 * store holds no book. BO_EEXISTS when the store already holds one. */
int bo__book_create_open(bo_book **out, const char *uri,
                         const bo_book_options *opts);

#endif
