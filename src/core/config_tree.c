/*
 * Bounded YAML reading for the book configuration.
 *
 * libyaml's document loader copies every alias into a full tree and has no
 * depth limit (Debian's 0.2.5), so a 342-byte alias bomb or a file of '['
 * takes it minutes and gigabytes. Here the event API feeds a tree we build
 * ourselves, and every limit is checked on the event that would break it:
 * nesting depth when a collection opens, node and alias counts when a node
 * arrives, and the expanded size of aliases as each node joins its parent
 * (an alias counts as the whole subtree it names). Aliases are kept as
 * references, never copied, so memory follows the input, not its expansion.
 */
#include "config_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* ---- messages ----------------------------------------------------------- */

static int cfg_verror(const bo__cfg_doc *doc, size_t line, size_t column,
                      int code, const char *fmt, va_list ap)
    BO__PRINTF(5, 0);

static int cfg_verror(const bo__cfg_doc *doc, size_t line, size_t column,
                      int code, const char *fmt, va_list ap)
{
    char msg[768];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return bo__error_set(code, "%s:%zu:%zu: %s", doc->file, line, column, msg);
}

static int cfg_error_at(const bo__cfg_doc *doc, size_t line, size_t column,
                        int code, const char *fmt, ...) BO__PRINTF(5, 6);

static int cfg_error_at(const bo__cfg_doc *doc, size_t line, size_t column,
                        int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = cfg_verror(doc, line, column, code, fmt, ap);
    va_end(ap);
    return rc;
}

int bo__cfg_error(const bo__cfg_doc *doc, const bo__cfg_node *at, int code,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = cfg_verror(doc, at ? at->line : 1, at ? at->column : 1, code,
                        fmt, ap);
    va_end(ap);
    return rc;
}

char *bo__cfg_quote(const char *s, size_t len, char *out, size_t max)
{
    size_t i = 0, o = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t cl = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + cl > len)
            cl = len - i;
        if (o + cl > max) {
            memcpy(out + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && !bo__utf8_valid(s + i, cl))) {
            /* Control characters and broken bytes would garble a message
             * (and a binding decoding it as UTF-8). */
            out[o++] = '?';
            i++;
            continue;
        }
        memcpy(out + o, s + i, cl);
        o += cl;
        i += cl;
    }
    out[o] = '\0';
    return out;
}

const char *bo__cfg_kind_name(const bo__cfg_node *node)
{
    if (!node)
        return "nothing";
    switch (node->kind) {
    case BO__CFG_SEQ: return "a sequence";
    case BO__CFG_MAP: return "a mapping";
    case BO__CFG_SCALAR:
        switch (node->type) {
        case BO__CFG_NULL: return "null";
        case BO__CFG_BOOL: return "a boolean";
        case BO__CFG_INT: return "an integer";
        case BO__CFG_FLOAT: return "a number";
        default: return "text";
        }
    default: return "an alias";
    }
}

/* ---- string -> index table ---------------------------------------------- */

struct bo__cfg_slot {
    char *key;
    uint32_t value;
    uint32_t hash;
};

static uint32_t cfg_hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static struct bo__cfg_slot *cfg_map_find(struct bo__cfg_slot *slots, size_t cap,
                                         const char *key, uint32_t h)
{
    size_t i = h & (cap - 1);
    while (slots[i].key && (slots[i].hash != h || strcmp(slots[i].key, key) != 0))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int cfg_map_grow(bo__cfg_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    struct bo__cfg_slot *slots = bo__calloc(cap, sizeof *slots);
    if (!slots)
        return BO_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key)
            *cfg_map_find(slots, cap, m->slots[i].key, m->slots[i].hash) = m->slots[i];
    }
    bo__free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int bo__cfg_map_put(bo__cfg_map *m, const char *key, uint32_t value,
                    uint32_t *old)
{
    if ((m->count + 1) * 2 > m->cap) {
        int rc = cfg_map_grow(m);
        if (rc)
            return rc;
    }
    uint32_t h = cfg_hash(key);
    struct bo__cfg_slot *s = cfg_map_find(m->slots, m->cap, key, h);
    if (old)
        *old = s->key ? s->value : BO__CFG_NONE;
    if (!s->key) {
        char *k = m->copy_keys ? bo__strdup(key) : (char *)key;
        if (!k)
            return BO_ENOMEM;
        s->key = k;
        s->hash = h;
        m->count++;
    }
    s->value = value;
    return 0;
}

uint32_t bo__cfg_map_get(const bo__cfg_map *m, const char *key)
{
    if (!m->cap)
        return BO__CFG_NONE;
    struct bo__cfg_slot *s = cfg_map_find(m->slots, m->cap, key, cfg_hash(key));
    return s->key ? s->value : BO__CFG_NONE;
}

void bo__cfg_map_free(bo__cfg_map *m)
{
    if (m->copy_keys) {
        for (size_t i = 0; i < m->cap; i++)
            bo__free(m->slots[i].key);
    }
    bo__free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}

/* ---- reading ------------------------------------------------------------ */

/* strerror() may share one buffer between threads; the XSI strerror_r
 * writes into ours. */
static const char *cfg_strerror(int e, char *buf, size_t size)
{
    if (strerror_r(e, buf, size) != 0)
        snprintf(buf, size, "error %d", e);
    return buf;
}

int bo__cfg_read_file(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        char eb[128];
        return bo__error_set(e == ENOENT ? BO_ENOTFOUND : BO_EIO,
                             "%s: cannot open: %s", path,
                             cfg_strerror(e, eb, sizeof eb));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        char eb[128];
        close(fd);
        return bo__error_set(BO_EIO, "%s: cannot stat: %s", path,
                             cfg_strerror(e, eb, sizeof eb));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return bo__error_set(BO_EINVAL, "%s: is a directory", path);
    }
    const size_t limit = BO_CONFIG_MAX_BYTES;
    size_t cap = 65536;
    if (S_ISREG(st.st_mode)) {
        /* Refuse before reading a byte; the read below stays bounded even
         * if the file grows meanwhile. */
        if ((uintmax_t)st.st_size > limit) {
            close(fd);
            return bo__error_set(BO_ELIMIT,
                                 "%s:1:1: the file is %jd bytes, more than the "
                                 "limit of %zu", path, (intmax_t)st.st_size, limit);
        }
        cap = (size_t)st.st_size + 1; /* one more byte notices growth */
    }
    char *buf = bo__malloc(cap + 1);
    if (!buf) {
        close(fd);
        return BO_ENOMEM;
    }
    size_t n = 0;
    int rc = 0;
    for (;;) {
        if (n == cap) {
            if (cap > limit) {
                rc = bo__error_set(BO_ELIMIT, "%s:1:1: the input is more than "
                                   "%zu bytes", path, limit);
                break;
            }
            size_t ncap = cap * 2 > limit + 1 ? limit + 1 : cap * 2;
            char *nb = bo__realloc(buf, ncap + 1);
            if (!nb) {
                rc = BO_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            char eb[128];
            rc = bo__error_set(BO_EIO, "%s: cannot read: %s", path,
                               cfg_strerror(errno, eb, sizeof eb));
            break;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    if (rc) {
        bo__free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

/* ---- scalars ------------------------------------------------------------ */

static bool cfg_is_one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++) {
        if (strlen(*words) == n && memcmp(*words, s, n) == 0)
            return true;
    }
    return false;
}

static size_t cfg_span(const char *s, size_t n, const char *set)
{
    size_t i = 0;
    while (i < n && s[i] && strchr(set, s[i]))
        i++;
    return i;
}

/* The YAML 1.2 core schema's resolution of a plain scalar. */
static int cfg_resolve_plain(const char *s, size_t n)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"true", "True", "TRUE", "false",
                                        "False", "FALSE", NULL};
    static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf",
        "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
    static const char digits[] = "0123456789";
    if (cfg_is_one_of(s, n, nulls))
        return BO__CFG_NULL;
    if (cfg_is_one_of(s, n, bools))
        return BO__CFG_BOOL;
    if (cfg_is_one_of(s, n, specials))
        return BO__CFG_FLOAT;
    if (n > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
        const char *set = s[1] == 'o' ? "01234567" : "0123456789abcdefABCDEF";
        if (cfg_span(s + 2, n - 2, set) == n - 2)
            return BO__CFG_INT;
        return BO__CFG_STR;
    }
    size_t i = (n > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t intd = cfg_span(s + i, n - i, digits);
    i += intd;
    if (i == n)
        return intd ? BO__CFG_INT : BO__CFG_STR;
    size_t fracd = 0;
    if (s[i] == '.') {
        i++;
        fracd = cfg_span(s + i, n - i, digits);
        i += fracd;
    }
    if (intd + fracd == 0)
        return BO__CFG_STR;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        size_t expd = cfg_span(s + i, n - i, digits);
        if (!expd)
            return BO__CFG_STR;
        i += expd;
    }
    return i == n ? BO__CFG_FLOAT : BO__CFG_STR;
}

#define CFG_CORE_TAG "tag:yaml.org,2002:"

/* The core-schema type an explicit tag names (BO__CFG_STR.., or
 * BO__CFG_SEQ/BO__CFG_MAP + 16), or 0 for a tag we do not accept. */
static int cfg_tag_type(const char *tag)
{
    if (strcmp(tag, "!") == 0)
        return BO__CFG_STR;
    size_t p = sizeof CFG_CORE_TAG - 1;
    if (strncmp(tag, CFG_CORE_TAG, p) != 0)
        return 0;
    tag += p;
    if (strcmp(tag, "str") == 0) return BO__CFG_STR;
    if (strcmp(tag, "null") == 0) return BO__CFG_NULL;
    if (strcmp(tag, "bool") == 0) return BO__CFG_BOOL;
    if (strcmp(tag, "int") == 0) return BO__CFG_INT;
    if (strcmp(tag, "float") == 0) return BO__CFG_FLOAT;
    if (strcmp(tag, "seq") == 0) return 16 + BO__CFG_SEQ;
    if (strcmp(tag, "map") == 0) return 16 + BO__CFG_MAP;
    return 0;
}

/* ---- the event loop ----------------------------------------------------- */

typedef struct cfg_frame {
    uint32_t node;
    uint32_t *kids;
    uint32_t n, cap;
    uint32_t expanded; /* this collection and everything below it so far */
    uint32_t height;
} cfg_frame;

typedef struct cfg_state {
    bo__cfg_doc *doc;
    cfg_frame frames[BO_CONFIG_MAX_DEPTH];
    int depth;
    int documents;
    bo__cfg_map anchors;
} cfg_state;

#define LINE(m) ((m).line + 1)
#define COL(m) ((m).column + 1)

static int cfg_new_node(cfg_state *st, int kind, yaml_mark_t mark,
                        const yaml_char_t *anchor, uint32_t *out)
{
    bo__cfg_doc *doc = st->doc;
    if (doc->count >= BO_CONFIG_MAX_NODES)
        return cfg_error_at(doc, LINE(mark), COL(mark), BO_ELIMIT,
                            "more than %u nodes", (unsigned)BO_CONFIG_MAX_NODES);
    if (doc->count == doc->cap) {
        uint32_t cap = doc->cap ? doc->cap * 2 : 64;
        bo__cfg_node *nodes = bo__realloc(doc->nodes, (size_t)cap * sizeof *nodes);
        if (!nodes)
            return BO_ENOMEM;
        doc->nodes = nodes;
        doc->cap = cap;
    }
    uint32_t idx = doc->count++;
    bo__cfg_node *n = &doc->nodes[idx];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->line = (uint32_t)LINE(mark);
    n->column = (uint32_t)COL(mark);
    n->target = BO__CFG_NONE;
    n->expanded = 1;
    if (anchor) {
        /* A later anchor of the same name hides the earlier one, as YAML
         * says; aliases seen before still point where they pointed. */
        int rc = bo__cfg_map_put(&st->anchors, (const char *)anchor, idx, NULL);
        if (rc)
            return rc;
    }
    *out = idx;
    return 0;
}

/* Attach a finished node to the open collection (or make it the root),
 * checking the size and height it adds once aliases are expanded. */
static int cfg_attach(cfg_state *st, uint32_t idx)
{
    bo__cfg_doc *doc = st->doc;
    const bo__cfg_node *n = &doc->nodes[idx];
    if (st->depth == 0) {
        doc->root = idx;
        return 0;
    }
    cfg_frame *f = &st->frames[st->depth - 1];
    if (n->expanded > BO_CONFIG_MAX_NODES - f->expanded)
        return bo__cfg_error(doc, n, BO_ELIMIT,
                             "aliases expand to more than %u nodes",
                             (unsigned)BO_CONFIG_MAX_NODES);
    if (n->height + 1 > BO_CONFIG_MAX_DEPTH)
        return bo__cfg_error(doc, n, BO_ELIMIT,
                             "aliases nest deeper than %d levels",
                             BO_CONFIG_MAX_DEPTH);
    if (f->n == f->cap) {
        uint32_t cap = f->cap ? f->cap * 2 : 4;
        uint32_t *kids = bo__realloc(f->kids, (size_t)cap * sizeof *kids);
        if (!kids)
            return BO_ENOMEM;
        f->kids = kids;
        f->cap = cap;
    }
    f->kids[f->n++] = idx;
    f->expanded += n->expanded;
    if (n->height + 1 > f->height)
        f->height = n->height + 1;
    return 0;
}

static int cfg_on_scalar(cfg_state *st, const yaml_event_t *ev)
{
    bo__cfg_doc *doc = st->doc;
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    yaml_mark_t m = ev->start_mark;
    if (memchr(text, '\0', len))
        return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                            "a scalar contains a NUL character");
    int type;
    const char *tag = (const char *)ev->data.scalar.tag;
    if (!tag) {
        type = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                   ? cfg_resolve_plain(text, len) : BO__CFG_STR;
    } else {
        char q[80];
        type = cfg_tag_type(tag);
        if (type == 0 || type > 16)
            return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                                "unsupported tag '%s' on a scalar",
                                bo__cfg_quote(tag, strlen(tag), q, 64));
        if (type != BO__CFG_STR && cfg_resolve_plain(text, len) != type)
            return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                                "'%s' does not match its tag '%s'",
                                bo__cfg_quote(text, len, q, 32), tag);
    }
    uint32_t idx;
    int rc = cfg_new_node(st, BO__CFG_SCALAR, m, ev->data.scalar.anchor, &idx);
    if (rc)
        return rc;
    bo__cfg_node *n = &doc->nodes[idx];
    n->type = (uint8_t)type;
    n->text = bo__strndup(text, len);
    if (!n->text)
        return BO_ENOMEM;
    n->n = (uint32_t)len;
    n->done = 1;
    return cfg_attach(st, idx);
}

static int cfg_on_alias(cfg_state *st, const yaml_event_t *ev)
{
    bo__cfg_doc *doc = st->doc;
    yaml_mark_t m = ev->start_mark;
    const char *name = (const char *)ev->data.alias.anchor;
    char q[80];
    if (doc->aliases >= BO_CONFIG_MAX_ALIASES)
        return cfg_error_at(doc, LINE(m), COL(m), BO_ELIMIT,
                            "more than %u aliases", (unsigned)BO_CONFIG_MAX_ALIASES);
    doc->aliases++;
    uint32_t target = bo__cfg_map_get(&st->anchors, name);
    if (target == BO__CFG_NONE)
        return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                            "alias '*%s' names no anchor defined before it",
                            bo__cfg_quote(name, strlen(name), q, 64));
    if (!doc->nodes[target].done)
        return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                            "alias '*%s' refers to a collection that contains it",
                            bo__cfg_quote(name, strlen(name), q, 64));
    uint32_t idx;
    int rc = cfg_new_node(st, BO__CFG_ALIAS, m, NULL, &idx);
    if (rc)
        return rc;
    bo__cfg_node *n = &doc->nodes[idx];
    const bo__cfg_node *t = &doc->nodes[target];
    n->target = target;
    n->type = t->type;
    n->expanded = t->expanded;
    n->height = t->height;
    n->done = 1;
    return cfg_attach(st, idx);
}

static int cfg_on_start(cfg_state *st, const yaml_event_t *ev, int kind)
{
    bo__cfg_doc *doc = st->doc;
    yaml_mark_t m = ev->start_mark;
    if (st->depth >= BO_CONFIG_MAX_DEPTH)
        return cfg_error_at(doc, LINE(m), COL(m), BO_ELIMIT,
                            "nesting deeper than %d levels", BO_CONFIG_MAX_DEPTH);
    const char *tag;
    const yaml_char_t *anchor;
    if (kind == BO__CFG_SEQ) {
        tag = (const char *)ev->data.sequence_start.tag;
        anchor = ev->data.sequence_start.anchor;
    } else {
        tag = (const char *)ev->data.mapping_start.tag;
        anchor = ev->data.mapping_start.anchor;
    }
    if (tag && strcmp(tag, "!") != 0 && cfg_tag_type(tag) != 16 + kind) {
        char q[80];
        return cfg_error_at(doc, LINE(m), COL(m), BO_ECONFIG,
                            "unsupported tag '%s' on a %s",
                            bo__cfg_quote(tag, strlen(tag), q, 64),
                            kind == BO__CFG_SEQ ? "sequence" : "mapping");
    }
    uint32_t idx;
    int rc = cfg_new_node(st, kind, m, anchor, &idx);
    if (rc)
        return rc;
    cfg_frame *f = &st->frames[st->depth++];
    memset(f, 0, sizeof *f);
    f->node = idx;
    f->expanded = 1;
    f->height = 1;
    return 0;
}

typedef struct cfg_key {
    const char *text;
    uint32_t len;
    uint32_t pos; /* index of the key node in the mapping's kids */
} cfg_key;

static int cfg_key_cmp(const void *a, const void *b)
{
    const cfg_key *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    int c = memcmp(x->text, y->text, x->len);
    if (c)
        return c;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Keys must be scalars and distinct. Sorting keeps this O(n log n) for a
 * mapping of 100,000 keys; the later duplicate is the one reported. */
static int cfg_check_keys(bo__cfg_doc *doc, const bo__cfg_node *map)
{
    uint32_t pairs = map->n / 2;
    if (pairs == 0)
        return 0;
    cfg_key *keys = bo__malloc((size_t)pairs * sizeof *keys);
    if (!keys)
        return BO_ENOMEM;
    int rc = 0;
    for (uint32_t i = 0; i < pairs && !rc; i++) {
        const bo__cfg_node *k = bo__cfg_node_at(doc, map->kids[2 * i]);
        if (k->kind != BO__CFG_SCALAR) {
            rc = bo__cfg_error(doc, &doc->nodes[map->kids[2 * i]], BO_ECONFIG,
                               "a mapping key must be a scalar, not %s",
                               bo__cfg_kind_name(k));
            break;
        }
        keys[i].text = k->text;
        keys[i].len = k->n;
        keys[i].pos = 2 * i;
    }
    if (!rc) {
        qsort(keys, pairs, sizeof *keys, cfg_key_cmp);
        for (uint32_t i = 1; i < pairs; i++) {
            if (keys[i].len == keys[i - 1].len &&
                memcmp(keys[i].text, keys[i - 1].text, keys[i].len) == 0) {
                const bo__cfg_node *first = &doc->nodes[map->kids[keys[i - 1].pos]];
                char q[80];
                rc = bo__cfg_error(doc, &doc->nodes[map->kids[keys[i].pos]],
                                   BO_ECONFIG, "duplicate key '%s' (first at %u:%u)",
                                   bo__cfg_quote(keys[i].text, keys[i].len, q, 64),
                                   (unsigned)first->line, (unsigned)first->column);
                break;
            }
        }
    }
    bo__free(keys);
    return rc;
}

static int cfg_on_end(cfg_state *st)
{
    bo__cfg_doc *doc = st->doc;
    cfg_frame *f = &st->frames[--st->depth];
    bo__cfg_node *n = &doc->nodes[f->node];
    n->kids = f->kids;
    n->n = f->n;
    f->kids = NULL;
    n->expanded = f->expanded;
    n->height = f->height;
    n->done = 1;
    if (n->kind == BO__CFG_MAP) {
        int rc = cfg_check_keys(doc, n);
        if (rc)
            return rc;
    }
    return cfg_attach(st, f->node);
}

/* Report libyaml's own error. Reader errors (bad encoding) carry a byte
 * offset instead of a mark: turn it into line:column. */
static int cfg_parser_error(bo__cfg_doc *doc, const yaml_parser_t *p,
                            const char *data, size_t len)
{
    if (p->error == YAML_MEMORY_ERROR)
        return bo__error_set(BO_ENOMEM, "%s: out of memory while parsing", doc->file);
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->error == YAML_READER_ERROR) {
        size_t line = 1, col = 1, end = p->problem_offset < len ? p->problem_offset : len;
        for (size_t i = 0; i < end; i++) {
            if (data[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        if (p->problem_value != -1)
            return cfg_error_at(doc, line, col, BO_ECONFIG, "%s (byte 0x%02x)",
                                problem, (unsigned)p->problem_value & 0xffu);
        return cfg_error_at(doc, line, col, BO_ECONFIG, "%s", problem);
    }
    if (p->context)
        return cfg_error_at(doc, LINE(p->problem_mark), COL(p->problem_mark),
                            BO_ECONFIG, "%s (%s at %zu:%zu)", problem, p->context,
                            (size_t)LINE(p->context_mark),
                            (size_t)COL(p->context_mark));
    return cfg_error_at(doc, LINE(p->problem_mark), COL(p->problem_mark),
                        BO_ECONFIG, "%s", problem);
}

static int cfg_on_event(cfg_state *st, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++st->documents > 1)
            return cfg_error_at(st->doc, LINE(ev->start_mark), COL(ev->start_mark),
                                BO_ECONFIG, "only one YAML document is allowed");
        return 0;
    case YAML_SCALAR_EVENT:
        return cfg_on_scalar(st, ev);
    case YAML_ALIAS_EVENT:
        return cfg_on_alias(st, ev);
    case YAML_SEQUENCE_START_EVENT:
        return cfg_on_start(st, ev, BO__CFG_SEQ);
    case YAML_MAPPING_START_EVENT:
        return cfg_on_start(st, ev, BO__CFG_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return cfg_on_end(st);
    default:
        return 0;
    }
}

int bo__cfg_parse(bo__cfg_doc *doc, const char *file, const char *data,
                  size_t len)
{
    memset(doc, 0, sizeof *doc);
    doc->file = file;
    doc->root = BO__CFG_NONE;
    if (len > BO_CONFIG_MAX_BYTES)
        return bo__error_set(BO_ELIMIT, "%s:1:1: the input is %zu bytes, more "
                             "than the limit of %zu", file, len,
                             (size_t)BO_CONFIG_MAX_BYTES);
    cfg_state *st = bo__calloc(1, sizeof *st);
    if (!st)
        return BO_ENOMEM;
    st->doc = doc;
    st->anchors.copy_keys = 1;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        bo__free(st);
        return bo__error_set(BO_ENOMEM, "%s: out of memory", file);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = cfg_parser_error(doc, &parser, data, len);
            break;
        }
        rc = cfg_on_event(st, &ev);
        int type = ev.type;
        yaml_event_delete(&ev);
        if (rc || type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&parser);
    for (int i = 0; i < st->depth; i++)
        bo__free(st->frames[i].kids);
    bo__cfg_map_free(&st->anchors);
    bo__free(st);
    if (rc)
        bo__cfg_doc_free(doc);
    return rc;
}

void bo__cfg_doc_free(bo__cfg_doc *doc)
{
    for (uint32_t i = 0; i < doc->count; i++) {
        bo__free(doc->nodes[i].text);
        bo__free(doc->nodes[i].kids);
    }
    bo__free(doc->nodes);
    doc->nodes = NULL;
    doc->count = doc->cap = 0;
    doc->root = BO__CFG_NONE;
}

const bo__cfg_node *bo__cfg_node_at(const bo__cfg_doc *doc, uint32_t idx)
{
    if (idx == BO__CFG_NONE || idx >= doc->count)
        return NULL;
    const bo__cfg_node *n = &doc->nodes[idx];
    /* An alias always names a finished, non-alias node. */
    return n->kind == BO__CFG_ALIAS ? &doc->nodes[n->target] : n;
}
