/* Opening and creating a book: the table of domains first, then the core. */
#include "book/domains.h"

int bo_book_open(bo_book **out, const char *uri, const bo_book_options *opts)
{
    bo__error_clear();
    int rc = bo__domains_init();
    if (rc)
        return rc;
    return bo__book_open(out, uri, opts, 0);
}

int bo__book_create_open(bo_book **out, const char *uri, const bo_book_options *opts)
{
    int rc = bo__domains_init();
    if (rc)
        return rc;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    if (opts)
        o = *opts;
    o.create = 1;
    return bo__book_open(out, uri, &o, 1);
}
