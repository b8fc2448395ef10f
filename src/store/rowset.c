/*
 * The values of rows appended in bulk (bo__store_copy, store.h): texts
 * borrowed from the caller, integers written out here in slots made once.
 */
#include "store/store.h"

#include <string.h>

#define NUM_SLOT 21 /* "-9223372036854775808" and its NUL */

int bo__rowset_init(bo__rowset *r, size_t values, size_t ints)
{
    memset(r, 0, sizeof *r);
    r->v = bo__malloc((values ? values : 1) * sizeof *r->v);
    r->num = bo__malloc((ints ? ints : 1) * NUM_SLOT);
    if (!r->v || !r->num) {
        bo__rowset_free(r);
        return BO_ENOMEM;
    }
    r->cap = values;
    r->numcap = ints;
    return 0;
}

void bo__rowset_text(bo__rowset *r, const char *text)
{
    if (r->n == r->cap) {
        r->over = 1;
        return;
    }
    r->v[r->n++] = text;
}

void bo__rowset_int(bo__rowset *r, int64_t v)
{
    if (r->nnum == r->numcap || r->n == r->cap) {
        r->over = 1;
        return;
    }
    char d[NUM_SLOT], *p = d + sizeof d;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    *--p = '\0';
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    char *slot = r->num + r->nnum++ * NUM_SLOT;
    memcpy(slot, p, (size_t)(d + sizeof d - p));
    r->v[r->n++] = slot;
}

void bo__rowset_free(bo__rowset *r)
{
    bo__free(r->v);
    bo__free(r->num);
    memset(r, 0, sizeof *r);
}
