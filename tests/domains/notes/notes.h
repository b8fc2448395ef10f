/*
 * An example domain built only in the tests: notes, each a code and a body.
 * It shows what a domain is (docs/architecture.md, "How to add a domain"):
 * a folder of its own and one descriptor, registered the way the library's
 * domains are listed in src/book/domains.c, touching no other domain's file
 * and no core file. Its pieces: a table and its schema part, a permission,
 * a YAML section, an audited write covered by the full audit verification,
 * a cache on the handle and an event.
 */
#ifndef BO_TEST_NOTES_H
#define BO_TEST_NOTES_H

#include "core/book.h"
#include "core/domain.h"

/* Its one table arrives with the version after the library's own. */
#define BO__NOTES_SCHEMA_VERSION (BO__SCHEMA_VERSION + 1)

extern const bo__domain bo__domain_notes;
extern unsigned bo__perms_notes[1];
#define BO__P_NOTES_WRITE (bo__perms_notes[0])

/* Add note code with body (notes.write; audit action "notes.note.add",
 * object "note:CODE"; event "note.added"). BO_EEXISTS for a known code. */
int bo__notes_add(bo_book *book, const char *code, const char *body);
/* How many notes this handle added (its cache), -1 when it has none. */
int64_t bo__notes_added(bo_book *book);

#endif
