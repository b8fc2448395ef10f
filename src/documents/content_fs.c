/*
 * The file store: content under a root folder, named by the SHA-256 of the
 * stored bytes ("aa/bb/<64 hex>"), never by anything a user typed. Every
 * open is relative to the root's descriptor through openat2 with
 * RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, so "..",
 * absolute paths and symlinks planted anywhere inside the store cannot lead
 * outside it; and names are checked against the two shapes the store makes
 * before any system call. New content is written to "tmp/<random>", synced,
 * then renamed into place and the folder synced.
 */
#define _GNU_SOURCE 1
#include "documents/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define RESOLVE_FLAGS (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

static int fs_error(int err, const char *what)
{
    int code = err == ENOSPC || err == EDQUOT ? BO_EFULL
             : err == ENOMEM ? BO_ENOMEM
             : err == ELOOP || err == EXDEV || err == ENOTDIR ? BO_ECORRUPT : BO_EIO;
    if (code == BO_ECORRUPT)
        return bo__error_set(code, "document store: %s: a symlink or a path "
                             "leading outside the store root", what);
    return bo__error_set(code, "document store: %s: %s", what, strerror(err));
}

static int is_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return 0;
    return 1;
}

int bo__docfs_name_check(const char *name, size_t len)
{
    /* The only names the store makes: "tmp", "tmp/<32 hex>", "aa", "aa/bb",
     * "aa/bb/<64 hex>". Everything else (.., /abs, NUL, long names) is
     * refused here, before the kernel sees it. */
    if (!name || len == 0 || len > 70 || memchr(name, '\0', len))
        goto bad;
    if (len == 3 && memcmp(name, "tmp", 3) == 0)
        return 0;
    if (len == 36 && memcmp(name, "tmp/", 4) == 0 && is_hex(name + 4, 32))
        return 0;
    if (len == 2 && is_hex(name, 2))
        return 0;
    if (len == 5 && is_hex(name, 2) && name[2] == '/' && is_hex(name + 3, 2))
        return 0;
    if (len == 70 && is_hex(name, 2) && name[2] == '/' && is_hex(name + 3, 2) &&
        name[5] == '/' && is_hex(name + 6, 64) && memcmp(name, name + 6, 2) == 0 &&
        memcmp(name + 3, name + 8, 2) == 0)
        return 0;
bad:
    return bo__error_set(BO_EINVAL, "document store: a file name the store "
                         "did not make (only hash-derived names are used)");
}

int bo__docfs_open(int rootfd, const char *name, size_t len, int flags,
                   int mode, int *fd)
{
    *fd = -1;
    int rc = bo__docfs_name_check(name, len);
    if (rc)
        return rc;
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
    how.mode = (flags & O_CREAT) ? (uint64_t)mode : 0;
    how.resolve = RESOLVE_FLAGS;
    long r = syscall(SYS_openat2, rootfd, name, &how, sizeof how);
    if (r < 0)
        return fs_error(errno, name);
    *fd = (int)r;
    return 0;
}

int bo__docfs_root_open(const char *root, int *fd)
{
    *fd = -1;
    if (!root || root[0] != '/')
        return bo__error_set(BO_EINVAL, "root: the file store root must be an "
                             "absolute path");
    int r = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r < 0)
        return bo__error_set(errno == ENOENT || errno == ENOTDIR ? BO_EINVAL : BO_EIO,
                             "root: not a directory that can be opened: %s",
                             strerror(errno));
    *fd = r;
    return 0;
}

void bo__docfs_path(const char *hex, char out[72])
{
    snprintf(out, 72, "%.2s/%.2s/%.64s", hex, hex + 2, hex);
}

/* Make directory name (a store name) beneath the root unless it exists. */
static int ensure_dir(int rootfd, const char *name)
{
    int fd, rc = bo__docfs_name_check(name, strlen(name));
    if (rc)
        return rc;
    const char *slash = strrchr(name, '/');
    int parent = rootfd, own = 0;
    if (slash) {
        char up[8];
        snprintf(up, sizeof up, "%.*s", (int)(slash - name), name);
        if ((rc = bo__docfs_open(rootfd, up, strlen(up), O_RDONLY | O_DIRECTORY, 0,
                                 &parent)))
            return rc;
        own = 1;
    }
    if (mkdirat(parent, slash ? slash + 1 : name, 0700) != 0 && errno != EEXIST)
        rc = fs_error(errno, name);
    if (own)
        close(parent);
    if (rc)
        return rc;
    /* It must be a real directory beneath the root, not a planted link. */
    if ((rc = bo__docfs_open(rootfd, name, strlen(name), O_RDONLY | O_DIRECTORY, 0, &fd)))
        return rc;
    close(fd);
    return 0;
}

/* ---- sink ---------------------------------------------------------------- */

int bo__docfs_sink_open(bo__sink *k, const char *root);
int bo__docfs_sink_open(bo__sink *k, const char *root)
{
    int rc = bo__docfs_root_open(root, &k->rootfd);
    if (rc)
        return rc;
    if ((rc = ensure_dir(k->rootfd, "tmp")))
        return rc;
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    char hex[33];
    bo__hex(rnd, sizeof rnd, hex);
    snprintf(k->tmpname, sizeof k->tmpname, "tmp/%s", hex);
    return bo__docfs_open(k->rootfd, k->tmpname, strlen(k->tmpname),
                          O_WRONLY | O_CREAT | O_EXCL, 0600, &k->tmpfd);
}

int bo__docfs_sink_write(bo__sink *k, const void *data, size_t len);
int bo__docfs_sink_write(bo__sink *k, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(k->tmpfd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fs_error(errno, "write");
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int bo__docfs_sink_finish(bo__sink *k, const char *hex);
int bo__docfs_sink_finish(bo__sink *k, const char *hex)
{
    if (fsync(k->tmpfd) != 0)
        return fs_error(errno, "fsync");
    close(k->tmpfd);
    k->tmpfd = -1;
    char path[72], dir[8];
    bo__docfs_path(hex, path);
    snprintf(dir, sizeof dir, "%.2s", hex);
    int rc, dirfd, tmpdir;
    if ((rc = ensure_dir(k->rootfd, dir)))
        return rc;
    snprintf(dir, sizeof dir, "%.5s", path);
    if ((rc = ensure_dir(k->rootfd, dir)))
        return rc;
    if ((rc = bo__docfs_open(k->rootfd, dir, 5, O_RDONLY | O_DIRECTORY, 0, &dirfd)))
        return rc;
    if ((rc = bo__docfs_open(k->rootfd, "tmp", 3, O_RDONLY | O_DIRECTORY, 0, &tmpdir))) {
        close(dirfd);
        return rc;
    }
    /* Both ends are descriptors opened beneath the root, and rename never
     * follows a final symlink: it replaces the link itself. */
    if (renameat(tmpdir, k->tmpname + 4, dirfd, path + 6) != 0)
        rc = fs_error(errno, "rename");
    else
        k->tmpname[0] = '\0';
    if (!rc && fsync(dirfd) != 0)
        rc = fs_error(errno, "fsync of the folder");
    close(tmpdir);
    close(dirfd);
    return rc;
}

void bo__docfs_sink_abort(bo__sink *k);
void bo__docfs_sink_abort(bo__sink *k)
{
    if (k->tmpfd >= 0)
        close(k->tmpfd);
    k->tmpfd = -1;
    if (k->tmpname[0] && k->rootfd >= 0) {
        int tmpdir;
        bo__error_state es;
        bo__error_save(&es);
        if (!bo__docfs_open(k->rootfd, "tmp", 3, O_RDONLY | O_DIRECTORY, 0, &tmpdir)) {
            unlinkat(tmpdir, k->tmpname + 4, 0);
            close(tmpdir);
        }
        bo__error_restore(&es);
    }
    k->tmpname[0] = '\0';
    if (k->rootfd >= 0)
        close(k->rootfd);
    k->rootfd = -1;
}

/* ---- source ---------------------------------------------------------------- */

int bo__docfs_source_open(bo__source *s, const char *root, const char *hex);
int bo__docfs_source_open(bo__source *s, const char *root, const char *hex)
{
    int rootfd, rc = bo__docfs_root_open(root, &rootfd);
    if (rc)
        return rc;
    char path[72];
    bo__docfs_path(hex, path);
    rc = bo__docfs_open(rootfd, path, strlen(path), O_RDONLY, 0, &s->fd);
    close(rootfd);
    if (rc)
        return rc;
    struct stat st;
    if (fstat(s->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(s->fd);
        s->fd = -1;
        return bo__error_set(BO_ECORRUPT, "document store: %s is not a regular file", path);
    }
    return 0;
}

int bo__docfs_source_read(bo__source *s, void *buf, size_t cap, size_t *got);
int bo__docfs_source_read(bo__source *s, void *buf, size_t cap, size_t *got)
{
    for (;;) {
        ssize_t n = read(s->fd, buf, cap);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR)
            return fs_error(errno, "read");
    }
}

int bo__docfs_unlink(const char *root, const char *hex)
{
    int rootfd, dirfd, rc = bo__docfs_root_open(root, &rootfd);
    if (rc)
        return rc;
    char path[72];
    bo__docfs_path(hex, path);
    char dir[8];
    snprintf(dir, sizeof dir, "%.5s", path);
    rc = bo__docfs_open(rootfd, dir, 5, O_RDONLY | O_DIRECTORY, 0, &dirfd);
    close(rootfd);
    if (rc)
        return rc;
    if (unlinkat(dirfd, path + 6, 0) != 0 && errno != ENOENT)
        rc = fs_error(errno, "unlink");
    else if (fsync(dirfd) != 0)
        rc = fs_error(errno, "fsync of the folder");
    close(dirfd);
    return rc;
}
