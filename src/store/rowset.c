/*
 * The values of rows written in bulk (bo__store_rows, store.h): texts
 * borrowed from the caller, integers kept as numbers.
 */
#include "store/store.h"

#include <string.h>

int bo__rowset_init(bo__rowset *r, size_t values)
{
    memset(r, 0, sizeof *r);
    r->v = bo__malloc((values ? values : 1) * sizeof *r->v);
    if (!r->v)
        return BO_ENOMEM;
    r->cap = values;
    return 0;
}

void bo__rowset_text(bo__rowset *r, const char *text)
{
    if (r->n == r->cap) {
        r->over = 1;
        return;
    }
    r->v[r->n++] = (bo__rowval){ text, 0, 0 };
}

void bo__rowset_int(bo__rowset *r, int64_t v)
{
    if (r->n == r->cap) {
        r->over = 1;
        return;
    }
    r->v[r->n++] = (bo__rowval){ NULL, v, 1 };
}

void bo__rowset_free(bo__rowset *r)
{
    bo__free(r->v);
    memset(r, 0, sizeof *r);
}
