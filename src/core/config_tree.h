/*
 * The YAML layer of the book configuration: a bounded read of the input and
 * a small read-only tree built from libyaml's event API, with the limits of
 * backoffice/config.h enforced while the events arrive (libyaml 0.2.5 has
 * no depth limit of its own, and its document loader copies aliases).
 * Internal: nothing here is exported.
 */
#ifndef BO_CORE_CONFIG_TREE_H
#define BO_CORE_CONFIG_TREE_H

#include "util/util.h"

/* Node kinds. An alias is kept as its own node (with its own position)
 * that refers to the anchored node: nothing is ever copied. */
enum {
    BO__CFG_SCALAR = 1,
    BO__CFG_SEQ = 2,
    BO__CFG_MAP = 3,
    BO__CFG_ALIAS = 4
};

/* What a scalar resolves to under the YAML 1.2 core schema (quoted and
 * "!"-tagged scalars are always text). */
enum {
    BO__CFG_STR = 1,
    BO__CFG_NULL = 2,
    BO__CFG_BOOL = 3,
    BO__CFG_INT = 4,
    BO__CFG_FLOAT = 5
};

#define BO__CFG_NONE UINT32_MAX

typedef struct bo__cfg_node {
    uint8_t kind;     /* BO__CFG_SCALAR.. */
    uint8_t type;     /* scalars: BO__CFG_STR.. */
    uint8_t done;     /* the node's end event was seen */
    uint32_t line;    /* 1-based position of the node's first character */
    uint32_t column;  /* 1-based, in characters */
    uint32_t n;       /* scalar: bytes of text; seq: items; map: 2 x pairs */
    uint32_t target;  /* alias: index of the anchored node */
    uint32_t expanded;/* nodes a walk visits, aliases expanded (<= limit) */
    uint32_t height;  /* nesting levels below and including it, aliases
                         expanded (<= BO_CONFIG_MAX_DEPTH) */
    char *text;       /* scalar: NUL-terminated, contains no NUL */
    uint32_t *kids;   /* seq: item indices; map: key, value, key, value.. */
} bo__cfg_node;

typedef struct bo__cfg_doc {
    const char *file;     /* name used in messages ("<string>") */
    bo__cfg_node *nodes;
    uint32_t count, cap;
    uint32_t root;        /* BO__CFG_NONE for an empty stream */
    uint32_t aliases;
} bo__cfg_doc;

/* Read at most BO_CONFIG_MAX_BYTES from the file at path into a new
 * NUL-terminated buffer (free with bo__free). A larger file is BO_ELIMIT,
 * found before its contents are read when it is a regular file. */
int bo__cfg_read_file(const char *path, char **data, size_t *len);

/* Parse len bytes of YAML into doc. file names the input in messages.
 * On failure doc holds nothing (bo__cfg_doc_free is still safe). Errors:
 * BO_ELIMIT (size, depth, nodes, aliases, alias expansion), BO_ECONFIG
 * (syntax, several documents, unknown tag or anchor, recursive alias,
 * duplicate or non-scalar key, NUL in a scalar), BO_ENOMEM. Every message
 * starts "FILE:LINE:COLUMN: ". */
int bo__cfg_parse(bo__cfg_doc *doc, const char *file, const char *data,
                  size_t len);
void bo__cfg_doc_free(bo__cfg_doc *doc);

/* The node at idx with aliases followed (NULL for BO__CFG_NONE). */
const bo__cfg_node *bo__cfg_node_at(const bo__cfg_doc *doc, uint32_t idx);

/* Set code with "FILE:LINE:COLUMN: <message>" at node (or 1:1 for NULL). */
int bo__cfg_error(const bo__cfg_doc *doc, const bo__cfg_node *at, int code,
                  const char *fmt, ...) BO__PRINTF(4, 5);

/* Copy at most max bytes of s (len bytes) into out (at least max + 4 bytes)
 * for quoting in a message: cut on a UTF-8 boundary, control characters
 * shown as '?', "..." appended when cut. Returns out. */
char *bo__cfg_quote(const char *s, size_t len, char *out, size_t max);

/* "a mapping", "null", "text", ... for messages. */
const char *bo__cfg_kind_name(const bo__cfg_node *node);

/* A string -> index hash table (anchors, account codes). Keys are
 * borrowed unless the table was told to copy them. */
typedef struct bo__cfg_map {
    struct bo__cfg_slot *slots;
    size_t cap, count;
    int copy_keys;
} bo__cfg_map;
#define BO__CFG_MAP_INIT { NULL, 0, 0, 0 }
/* Insert or replace; old value in *old when not NULL (BO__CFG_NONE if
 * new). Returns 0 or BO_ENOMEM. */
int bo__cfg_map_put(bo__cfg_map *m, const char *key, uint32_t value,
                    uint32_t *old);
uint32_t bo__cfg_map_get(const bo__cfg_map *m, const char *key);
void bo__cfg_map_free(bo__cfg_map *m);

#endif
