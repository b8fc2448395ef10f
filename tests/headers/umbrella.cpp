/*
 * The public headers from C++11: they must compile with -pedantic -Werror,
 * declare everything extern "C" (this program links against the library
 * and calls it), and their initialiser macros must work in C++.
 */
#include <backoffice.h>
#include <backoffice/sys/driver.h>

#include <cstdio>
#include <cstring>

int main()
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    static_assert(BO_EKEYREUSE == -25, "codes are stable");
    if (opts.version != BO_BOOK_OPTIONS_VERSION)
        return 1;
    if (bo_version_number() != BO_VERSION_NUMBER) {
        std::fprintf(stderr, "header %d, library %d\n", BO_VERSION_NUMBER,
                     bo_version_number());
        return 1;
    }
    if (std::strcmp(bo_error_name(BO_EUNBALANCED), "unknown error") == 0)
        return 1;
    bo_date d = 0;
    if (bo_date_parse("2026-02-28", &d) != 0)
        return 1;
    char buf[16];
    if (bo_date_format(d, buf, sizeof buf) != 0 ||
        std::strcmp(buf, "2026-02-28") != 0)
        return 1;
    std::printf("C++ host OK with libbackoffice %s\n", bo_version());
    return 0;
}
