/* The export format's description of a table (transfer.h). */
#include "book/transfer.h"

#include <stdio.h>
#include <string.h>

static int col_index(const bo__xcols *c, const char *name)
{
    for (int i = 0; name && i < c->n; i++)
        if (strcmp(c->names[i], name) == 0)
            return i;
    return -1;
}

int bo__xcols_of(const bo__domain *d, const bo__table *t, bo__xcols *out)
{
    memset(out, 0, sizeof *out);
    const char *p = t->columns;
    int n = 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (!len)
            break;
        if (n == BO__EXPORT_COLS_MAX || len >= BO__EXPORT_NAME_MAX)
            return bo__error_set(BO_ELIMIT, "table %s: too many or too long columns",
                                 t->name);
        memcpy(out->names[n], p, len);
        out->names[n][len] = '\0';
        out->other[n] = -1;
        n++;
        p += len;
    }
    if ((size_t)n != strlen(t->types))
        return bo__error_set(BO_ERROR, "table %s: %d columns but %zu types",
                             t->name, n, strlen(t->types));
    out->n = n;
    memcpy(out->types, t->types, (size_t)n);
    for (const bo__export_col *x = d->export_cols; x && x->table; x++) {
        if (strcmp(x->table, t->name) != 0)
            continue;
        int a = col_index(out, x->column), b = col_index(out, x->other);
        if (a < 0 || out->types[a] != 'i' || (x->other && b < 0) ||
            (x->rate_key && (b < 0 || out->types[b] != 'i')))
            return bo__error_set(BO_ERROR, "table %s: export column %s is not "
                                 "an integer column with its %s", t->name,
                                 x->column, x->rate_key ? "denominator" : "currency");
        if (x->rate_key) {
            out->kind[a] = BO__XC_RATE_NUM;
            out->kind[b] = BO__XC_RATE_DEN;
            out->other[a] = b;
            out->other[b] = a;
            out->rate_key[a] = out->rate_key[b] = x->rate_key;
        } else {
            out->kind[a] = BO__XC_AMOUNT;
            out->other[a] = b;
        }
    }
    return 0;
}

int bo__xpart_name(const bo__domain *d, const bo__table *t, char *out, size_t size)
{
    int n = snprintf(out, size, "%s/%s.jsonl", d->name, t->name);
    return n < 0 || (size_t)n >= size
        ? bo__error_set(BO_ELIMIT, "table %s: part name too long", t->name) : 0;
}
