/*
 * The checks a domain reads its YAML section with, and the shape of a
 * section's apply function. Every failure is BO_ECONFIG naming the node's
 * FILE:LINE:COLUMN. The book layer (src/book/config_plan.c) reads and
 * checks the document; each domain applies its own section. Internal.
 */
#ifndef BO_CORE_CONFIG_CHECK_H
#define BO_CORE_CONFIG_CHECK_H

#include "core/config_tree.h"

/* Apply one section (node: its value) to the book being created. Errors
 * name FILE:LINE:COLUMN of the offending node: bo__cfg_error(), or
 * bo__cfg_apply_error() around a failed API call. */
typedef int (*bo__cfg_section_fn)(bo_book *book, const bo__cfg_doc *doc,
                                  const bo__cfg_node *node);
/* ---- checks for sections: each names the node's FILE:LINE:COLUMN ---------- */
/* Pick the values of the known keys of a mapping; any other key is an
 * error naming where ("unknown key 'x' in inventory.locations[2]"). vals[i]
 * is NULL for a key not given. */
int bo__cfg_fields(const bo__cfg_doc *doc, const bo__cfg_node *map,
                   const char *where, const char *const *names,
                   const bo__cfg_node **vals, size_t n);
int bo__cfg_missing(const bo__cfg_doc *doc, const bo__cfg_node *map,
                    const char *where, const char *key);
/* kind: BO__CFG_MAP or BO__CFG_SEQ. */
int bo__cfg_kind(const bo__cfg_doc *doc, const bo__cfg_node *v, int kind,
                 const char *field);
/* Any scalar but null and booleans, as written (1000 is "1000"). */
int bo__cfg_text(const bo__cfg_doc *doc, const bo__cfg_node *v,
                 const char *field, const char **out);
int bo__cfg_int(const bo__cfg_doc *doc, const bo__cfg_node *v,
                const char *field, int min, int max, int *out);
/* A failed check's message (BO_EINVAL, ...) as BO_ECONFIG at node at. */
int bo__cfg_checked(const bo__cfg_doc *doc, const bo__cfg_node *at, int rc);
/* A failed API call while applying: the YAML position in front of the
 * call's message; errors a value caused become BO_ECONFIG. */
int bo__cfg_apply_error(const bo__cfg_doc *doc, const bo__cfg_node *at, int rc);

#endif
