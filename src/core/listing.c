/* Listings: the permission, the record listed (when there is one), and a
 * cursor with its parameters bound, the same way for every domain. */
#include "core/book.h"

#include <inttypes.h>
#include <stdarg.h>

/* The parent named by the listing's first argument exists. */
static int parent_check(bo_book *b, const bo__parent *parent, const char *fmt, int n,
                        va_list ap)
{
    if (n < 1 || (fmt[0] != 'i' && fmt[0] != 't'))
        return bo__error_set(BO_ERROR, "listing: the parent of %s is not the first "
                             "parameter", parent->name);
    va_list cp;
    va_copy(cp, ap);
    bo__arg v = va_arg(cp, bo__arg);
    va_end(cp);
    int found = 0, rc;
    if (fmt[0] == 'i' && v.kind == BO__ARG_INT) {
        rc = bo__store_row(b->store, parent->sql, &found, "i", v.i);
        if (!rc && !found)
            rc = bo__error_set(BO_ENOTFOUND, "%s %" PRId64 "%s", parent->name, v.i,
                               parent->tail);
    } else if (fmt[0] == 't' && v.kind == BO__ARG_PTR && v.p) {
        rc = bo__store_row(b->store, parent->sql, &found, "t", (const char *)v.p);
        if (!rc && !found)
            rc = bo__error_set(BO_ENOTFOUND, "%s '%s'%s", parent->name,
                               (const char *)v.p, parent->tail);
    } else {
        rc = bo__error_set(BO_ERROR, "listing: the parent of %s is not given",
                           parent->name);
    }
    return rc;
}

int bo__listing_(bo_book *b, unsigned perm, const bo__parent *parent,
                 const char *sql, const bo__col *cols, int ncols, bo_cursor **out,
                 const char *fmt, int n, ...)
{
    *out = NULL;
    int rc = perm ? bo__require(b, perm) : 0;
    va_list ap;
    va_start(ap, n);
    if (!rc && parent)
        rc = parent_check(b, parent, fmt, n, ap);
    if (!rc && !(rc = bo__cursor_new(b, sql, cols, ncols, out)) &&
        (rc = bo__stmt_vbind(bo__cursor_stmt(*out), 1, fmt, n, ap))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    va_end(ap);
    return rc;
}
