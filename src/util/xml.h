/*
 * The one XML library of the book: libxml2, through two narrow doors.
 *
 * Reading (bo__xml_parse): a SAX pass over a document in memory, with
 * what a hostile file could use switched off. No DTD is loaded, no
 * external entity is fetched, the network is never used (XML_PARSE_NONET,
 * never XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE): a DOCTYPE is
 * refused where it starts, so no entity can be declared, and only the five
 * predefined entities and character references are read. Elements nest at
 * most depth_max deep (BO_ELIMIT at the element that goes too deep); text
 * nodes keep libxml2's own 10 MB limit and the caller bounds what it keeps.
 * Errors name "line L, column C". Nothing recurses in the callbacks, so a
 * hostile file costs one pass over its bytes.
 *
 * Writing (bo__xml_writer_*): libxml2's text writer into a bo__buf, UTF-8,
 * indented, every text escaped by libxml2.
 */
#ifndef BO_UTIL_XML_H
#define BO_UTIL_XML_H

#include "util/util.h"

#include <stddef.h>

#define BO__XML_ATTRS_MAX 32

typedef struct bo__xml bo__xml; /* the parse under way */

typedef struct bo__xml_attr {
    const char *name; /* local name, without a prefix */
    const char *value; /* not NUL-terminated: value[0..len) */
    size_t len;
} bo__xml_attr;

/* Callbacks return 0, or an error code with the message set (the parse
 * stops and bo__xml_parse returns that code). Names are local names. */
typedef struct bo__xml_handlers {
    int (*start)(bo__xml *x, void *user, const char *name, const bo__xml_attr *attrs,
                 int nattrs);
    int (*end)(bo__xml *x, void *user, const char *name);
    int (*text)(bo__xml *x, void *user, const char *s, size_t len);
} bo__xml_handlers;

/* Parse data[0..len) (the document's own encoding declaration is honoured;
 * UTF-8 without one). Returns 0 or the first error: a callback's, or
 * BO_EINVAL "line L, column C: <what libxml2 found>", BO_ELIMIT for
 * nesting deeper than depth_max, BO_ENOMEM. */
int bo__xml_parse(const char *data, size_t len, int depth_max, const bo__xml_handlers *h,
                  void *user);
/* The same over a file (gzip-compressed files are read through zlib, as
 * libxml2 does). Errors are prefixed with the file's name. */
int bo__xml_parse_file(const char *path, int depth_max, const bo__xml_handlers *h,
                       void *user);

/* Inside a callback: the line of the current element's '<' (start and end
 * tags) or of the text being read. */
int bo__xml_line(const bo__xml *x);
/* Inside a callback: set code with "line L, column C: <fmt>" at the
 * current tag's '<' (line only when reading a file). Returns code. */
int bo__xml_fail(bo__xml *x, int code, const char *fmt, ...) BO__PRINTF(3, 4);
/* The attribute called name, or NULL. */
const bo__xml_attr *bo__xml_attr_find(const bo__xml_attr *attrs, int nattrs,
                                      const char *name);

/* ---- writing ---------------------------------------------------------- */
typedef struct bo__xml_writer bo__xml_writer;

/* A document in UTF-8 with the XML declaration, in memory (path NULL) or
 * streamed to the file path; NULL with the error set. */
bo__xml_writer *bo__xml_writer_new(const char *path);
/* Open an element; ns (or NULL) becomes its default namespace. */
int bo__xml_start(bo__xml_writer *w, const char *name, const char *ns);
int bo__xml_attr_write(bo__xml_writer *w, const char *name, const char *value);
int bo__xml_end(bo__xml_writer *w);
/* <name>text</name>; a NULL text writes nothing (an optional element). */
int bo__xml_elem(bo__xml_writer *w, const char *name, const char *text);
int bo__xml_elem_int(bo__xml_writer *w, const char *name, long long v);
/* Text inside the element open now (after its attributes). */
int bo__xml_text(bo__xml_writer *w, const char *text);
/* <name>amount</name>: minor units of currency as a decimal at the
 * currency's scale (bo_money_format). */
int bo__xml_elem_amount(bo__xml_writer *w, const char *name, int64_t minor,
                        const char *currency);
/* End every open element and the document; for a writer in memory hand
 * the bytes to *out (the caller frees them with bo__free; out may be NULL
 * for a file), and free the writer. */
int bo__xml_writer_finish(bo__xml_writer *w, char **out, size_t *len);
void bo__xml_writer_free(bo__xml_writer *w);

#endif
