#include "util/util.h"

#define BO__STR2(x) #x
#define BO__STR(x) BO__STR2(x)

const char *bo_version(void)
{
    return BO__STR(BO_VERSION_MAJOR) "." BO__STR(BO_VERSION_MINOR) "."
        BO__STR(BO_VERSION_PATCH);
}

int bo_version_number(void)
{
    return BO_VERSION_NUMBER;
}
