/*
 * Files written out whole: a temporary file beside the target, renamed over
 * it when complete (util.h, "files written out").
 */
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h> /* mkstemp */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int bo__outfile_open(bo__outfile *of, const char *target, const char *tag)
{
    of->target = target;
    of->fd = -1;
    size_t n = strlen(target) + strlen(tag) + 9;
    if (!(of->tmp = bo__malloc(n)))
        return BO_ENOMEM;
    snprintf(of->tmp, n, "%s.%sXXXXXX", target, tag);
    if ((of->fd = mkstemp(of->tmp)) < 0 || fchmod(of->fd, 0600)) {
        int e = errno;
        if (of->fd >= 0) {
            close(of->fd);
            unlink(of->tmp);
            of->fd = -1;
        }
        bo__free(of->tmp);
        of->tmp = NULL;
        return bo__error_set(BO_EIO, "%s: cannot write a file beside it: %s", target,
                             strerror(e));
    }
    return 0;
}

int bo__outfile_close_fd(bo__outfile *of)
{
    if (of->fd < 0)
        return 0;
    int r = close(of->fd);
    of->fd = -1;
    return r ? bo__error_set(BO_EIO, "%s: %s", of->target, strerror(errno)) : 0;
}

int bo__outfile_end(bo__outfile *of, int rc)
{
    if (!of->tmp)
        return rc;
    if (of->fd >= 0) {
        if (rc)
            close(of->fd), of->fd = -1;
        else
            rc = bo__outfile_close_fd(of);
    }
    if (!rc && rename(of->tmp, of->target))
        rc = bo__error_set(BO_EIO, "%s: %s", of->target, strerror(errno));
    if (rc)
        unlink(of->tmp);
    bo__free(of->tmp);
    of->tmp = NULL;
    return rc;
}
