/*
 * The checks a domain's YAML section is read with (src/<domain>/config_*.c):
 * each failure is BO_ECONFIG naming the node's FILE:LINE:COLUMN. The book
 * layer (src/book/config_plan.c) reads the document and hands each domain
 * its section's node. Internal.
 */
#include "core/config_check.h"

#include <stdio.h>
#include <string.h>

/* A check's failure (BO_EINVAL, BO_EUTF8, ...) as BO_ECONFIG at node at,
 * keeping the check's words. */
int bo__cfg_checked(const bo__cfg_doc *d, const bo__cfg_node *at, int rc)
{
    if (rc == 0 || rc == BO_ENOMEM)
        return rc;
    bo__error_state es;
    bo__error_save(&es);
    return bo__cfg_error(d, at, BO_ECONFIG, "%s", es.msg);
}

/* Pick the values of the known keys of a mapping; any other key is an
 * error naming where the mapping is. vals[i] is NULL for a key not given. */
int bo__cfg_fields(const bo__cfg_doc *d, const bo__cfg_node *map,
                      const char *where, const char *const *names,
                      const bo__cfg_node **vals, size_t n)
{
    for (size_t i = 0; i < n; i++)
        vals[i] = NULL;
    for (uint32_t k = 0; k < map->n; k += 2) {
        const bo__cfg_node *key = bo__cfg_node_at(d, map->kids[k]);
        size_t i = 0;
        while (i < n && strcmp(names[i], key->text) != 0)
            i++;
        if (i == n) {
            char q[80];
            return bo__cfg_error(d, &d->nodes[map->kids[k]], BO_ECONFIG,
                                 "unknown key '%s' in %s",
                                 bo__cfg_quote(key->text, key->n, q, 64), where);
        }
        vals[i] = bo__cfg_node_at(d, map->kids[k + 1]);
    }
    return 0;
}

int bo__cfg_missing(const bo__cfg_doc *d, const bo__cfg_node *map,
                       const char *where, const char *key)
{
    return bo__cfg_error(d, map, BO_ECONFIG, "missing key '%s' in %s",
                         key, where);
}

int bo__cfg_kind(const bo__cfg_doc *d, const bo__cfg_node *v, int kind,
                    const char *field)
{
    if (v->kind == kind)
        return 0;
    return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected %s, got %s", field,
                         kind == BO__CFG_MAP ? "a mapping" : "a sequence",
                         bo__cfg_kind_name(v));
}

/* Text: any scalar but null and booleans, taken as written, so an
 * unquoted 1000 or 4000.10 is the code "1000" or "4000.10". */
int bo__cfg_text(const bo__cfg_doc *d, const bo__cfg_node *v,
                    const char *field, const char **out)
{
    *out = NULL;
    if (v->kind != BO__CFG_SCALAR || v->type == BO__CFG_NULL ||
        v->type == BO__CFG_BOOL)
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: expected text, got %s",
                             field, bo__cfg_kind_name(v));
    *out = v->text;
    return 0;
}

int bo__cfg_int(const bo__cfg_doc *d, const bo__cfg_node *v,
                   const char *field, int min, int max, int *out)
{
    *out = min;
    if (v->kind != BO__CFG_SCALAR || v->type != BO__CFG_INT)
        return bo__cfg_error(d, v, BO_ECONFIG,
                             "%s: expected an integer, got %s", field,
                             bo__cfg_kind_name(v));
    const char *s = v->text;
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    long long value = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return bo__cfg_error(d, v, BO_ECONFIG,
                                 "%s: expected a decimal integer", field);
        if (value < 1000000000)
            value = value * 10 + (*s - '0');
    }
    if (neg)
        value = -value;
    if (value < min || value > max) {
        char q[48];
        return bo__cfg_error(d, v, BO_ECONFIG, "%s: %s is not in %d..%d",
                             field, bo__cfg_quote(v->text, v->n, q, 32), min, max);
    }
    *out = (int)value;
    return 0;
}

/* A failed call while applying: put the YAML position in front of the
 * call's own message. Errors that a value in the file caused become
 * BO_ECONFIG (so "already exists" cannot be mistaken for "the store already
 * holds a book"); store errors keep their code. */
int bo__cfg_apply_error(const bo__cfg_doc *doc, const bo__cfg_node *at, int rc)
{
    switch (rc) {
    case BO_EINVAL:
    case BO_ENOTFOUND:
    case BO_EEXISTS:
    case BO_ECURRENCY:
    case BO_EUTF8:
    case BO_ETOOLONG:
    case BO_EUNIT: {
        bo__error_state es;
        bo__error_save(&es);
        return bo__cfg_error(doc, at, BO_ECONFIG, "%s", es.msg);
    }
    default:
        return bo__error_prefix("%s:%u:%u: ", doc->file,
                                at ? (unsigned)at->line : 1u,
                                at ? (unsigned)at->column : 1u);
    }
}

