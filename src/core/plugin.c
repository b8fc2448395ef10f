/*
 * The plugin loader: check the folder and the file, read the plugin's
 * manifest (an ELF note) without running any of its code, then dlopen it,
 * find its entry point and hand it the host table. Plugins are never
 * unloaded: the drivers they register are referenced by the registry and by
 * open books.
 *
 * A plugin is trusted code: it runs in the host's process with the host's
 * privileges. What the checks give is that only a file placed by the user
 * or root, in a folder only they can change, and built as a plugin (it
 * carries the manifest note of include/backoffice/sys/plugin.h), is ever
 * mapped; a library that is not a plugin is refused before dlopen, so its
 * constructors never run.
 *
 * The folder is opened once (O_DIRECTORY) and checked through that
 * descriptor; the file is opened relative to it with O_NOFOLLOW and checked
 * through its own descriptor, and that very file is what dlopen maps (by
 * /proc/self/fd/N). Renaming or replacing the path after the checks changes
 * nothing. Left to the plugin's author: the libraries a plugin needs
 * (DT_NEEDED) are found by the dynamic linker's usual search, as for the
 * host program itself.
 */
#include "util/util.h"
#include "backoffice/sys/plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PLUGINS 64
/* Bounds on what is read of a file before it is loaded. */
#define MAX_PHDRS 512
#define MAX_NOTE_BYTES (64 * 1024)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static void *loaded[MAX_PLUGINS];
static int nloaded;

static void *host_alloc(size_t size)
{
    return bo__malloc(size);
}

#define BO__STR2(x) #x
#define BO__STR(x) BO__STR2(x)

/* Static: a plugin may keep the pointer for as long as it is loaded. */
static const bo_plugin_host host = {
    .version = BO_PLUGIN_HOST_VERSION,
    .library_version = BO__STR(BO_VERSION_MAJOR) "." BO__STR(BO_VERSION_MINOR)
                       "." BO__STR(BO_VERSION_PATCH),
    .driver_register = bo_driver_register,
    .driver_find = bo_driver_find,
    .alloc = host_alloc,
    .release = bo__free,
    .carrier_register = bo_carrier_register,
};

/* ---- checks before anything is mapped ------------------------------------ */

/* Owned by root or by the user running the process, and writable by nobody
 * else. */
static int safe_owner_mode(const struct stat *st, const char *what, const char *path)
{
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return bo__error_set(BO_EDENIED, "plugin %s '%s': owned by user %ld, not by "
                             "root or the user running this program (a plugin "
                             "is trusted code)", what, path, (long)st->st_uid);
    if (st->st_mode & (S_IWGRP | S_IWOTH))
        return bo__error_set(BO_EDENIED, "plugin %s '%s': writable by %s (mode %04o); "
                             "a plugin is trusted code: make it writable by its "
                             "owner only", what, path,
                             st->st_mode & S_IWOTH ? "others" : "its group",
                             (unsigned)(st->st_mode & 07777));
    return 0;
}

/* Open folder dir and check it through the descriptor. */
static int dir_open(const char *dir, int *fd)
{
    *fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*fd < 0)
        return bo__error_set(BO_ENOTFOUND, "plugin folder '%s': cannot open: %s",
                             dir, strerror(errno));
    struct stat st;
    int rc = fstat(*fd, &st) != 0
           ? bo__error_set(BO_EIO, "plugin folder '%s': %s", dir, strerror(errno))
           : safe_owner_mode(&st, "folder", dir);
    if (rc) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

static int read_at(int fd, void *buf, size_t len, off_t off)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

/* Walk the notes of one PT_NOTE segment for the manifest. */
static int has_manifest_note(const unsigned char *p, size_t len, size_t align)
{
    size_t off = 0;
    while (len - off >= 12) {
        uint32_t namesz, descsz, type;
        memcpy(&namesz, p + off, 4);
        memcpy(&descsz, p + off + 4, 4);
        memcpy(&type, p + off + 8, 4);
        off += 12;
        size_t name_len = ((size_t)namesz + align - 1) & ~(align - 1);
        size_t desc_len = ((size_t)descsz + align - 1) & ~(align - 1);
        if (name_len > len - off || desc_len > len - off - name_len)
            return 0;
        if (type == BO_PLUGIN_NOTE_TYPE && namesz == sizeof BO_PLUGIN_NOTE_NAME &&
            memcmp(p + off, BO_PLUGIN_NOTE_NAME, sizeof BO_PLUGIN_NOTE_NAME) == 0 &&
            descsz >= 4) {
            uint32_t version;
            memcpy(&version, p + off + name_len, 4);
            return version >= 1 ? 1 : 0;
        }
        off += name_len + desc_len;
    }
    return 0;
}

/* Does the ELF file open at fd (of size size) carry the plugin manifest? It
 * is read with bounded reads and never mapped or run. */
static int manifest_check(int fd, off_t size, const char *path)
{
    ElfW(Ehdr) eh;
    if (size < (off_t)sizeof eh || read_at(fd, &eh, sizeof eh, 0) != 0 ||
        memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return bo__error_set(BO_EINVAL, "plugin '%s': not a shared object (no ELF "
                             "header)", path);
#if __SIZEOF_POINTER__ == 8
    const int want_class = ELFCLASS64;
#else
    const int want_class = ELFCLASS32;
#endif
    if (eh.e_ident[EI_CLASS] != want_class || eh.e_type != ET_DYN ||
        eh.e_phentsize != sizeof(ElfW(Phdr)) || eh.e_phnum == 0 ||
        eh.e_phnum > MAX_PHDRS || eh.e_phoff == 0 ||
        (uint64_t)eh.e_phoff > (uint64_t)size ||
        (uint64_t)eh.e_phnum * sizeof(ElfW(Phdr)) > (uint64_t)size - eh.e_phoff)
        return bo__error_set(BO_EINVAL, "plugin '%s': not a shared object for this "
                             "machine", path);
    int found = 0, rc = 0;
    unsigned char *buf = NULL;
    for (int i = 0; i < eh.e_phnum && !found && !rc; i++) {
        ElfW(Phdr) ph;
        if (read_at(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (size_t)i * sizeof ph)) != 0) {
            rc = bo__error_set(BO_EIO, "plugin '%s': cannot read its headers", path);
            break;
        }
        if (ph.p_type != PT_NOTE || ph.p_filesz < 12 || ph.p_filesz > MAX_NOTE_BYTES ||
            (uint64_t)ph.p_offset > (uint64_t)size ||
            (uint64_t)ph.p_filesz > (uint64_t)size - ph.p_offset)
            continue;
        unsigned char *nb = bo__realloc(buf, ph.p_filesz);
        if (!nb) {
            rc = BO_ENOMEM;
            break;
        }
        buf = nb;
        if (read_at(fd, buf, ph.p_filesz, (off_t)ph.p_offset) != 0) {
            rc = bo__error_set(BO_EIO, "plugin '%s': cannot read its notes", path);
            break;
        }
        found = has_manifest_note(buf, ph.p_filesz, ph.p_align == 8 ? 8 : 4);
    }
    bo__free(buf);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_EINVAL, "plugin '%s': not a libbackoffice plugin (it "
                             "carries no BO_PLUGIN_MANIFEST note); not loaded", path);
    return 0;
}

/* Open name inside the checked folder dfd and check the file. */
static int file_open(int dfd, const char *name, const char *path, int *fd)
{
    *fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0) {
        int e = errno;
        if (e == ELOOP)
            return bo__error_set(BO_EDENIED, "plugin '%s': a symbolic link; plugins "
                                 "are loaded from regular files only", path);
        return bo__error_set(e == ENOENT ? BO_ENOTFOUND : BO_EIO,
                             "plugin '%s': %s: %s", path,
                             e == ENOENT ? "no such file" : "cannot open", strerror(e));
    }
    struct stat st;
    int rc;
    if (fstat(*fd, &st) != 0)
        rc = bo__error_set(BO_EIO, "plugin '%s': %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = bo__error_set(BO_ENOTFOUND, "plugin '%s': no such file (not a regular "
                           "file)", path);
    else if (!(rc = safe_owner_mode(&st, "file", path)))
        rc = manifest_check(*fd, st.st_size, path);
    if (rc) {
        close(*fd);
        *fd = -1;
    }
    return rc;
}

/* ---- loading -------------------------------------------------------------- */

/* Load the checked file open at fd (path only for messages). The object is
 * mapped from that descriptor, named /proc/self/fd/N; the dynamic linker
 * also finds already-loaded objects by name, so the descriptor of an object
 * that stays loaded stays open (at most MAX_PLUGINS of them): its number,
 * and with it the name, is never reused for another file. Takes fd. */
static int load_fd(int fd, const char *path)
{
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    void *h = dlopen(self, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        close(fd);
        return bo__error_set(BO_ENOTFOUND, "plugin '%s': cannot load: %s", path,
                             why ? why : "unknown reason");
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < nloaded; i++) {
        if (loaded[i] == h) { /* dlopen counted one more reference: drop it */
            pthread_mutex_unlock(&lock);
            dlclose(h);
            close(fd);
            return 0;
        }
    }
    int rc = 0;
    bo_plugin_init_fn init = NULL;
    if (nloaded == MAX_PLUGINS) {
        rc = bo__error_set(BO_ELIMIT, "plugin '%s': at most %d plugins", path,
                           MAX_PLUGINS);
    } else {
        *(void **)&init = dlsym(h, BO_PLUGIN_ENTRY);
        if (!init)
            rc = bo__error_set(BO_EINVAL, "plugin '%s': no function '%s'", path,
                               BO_PLUGIN_ENTRY);
    }
    if (rc) {
        pthread_mutex_unlock(&lock);
        dlclose(h);
        close(fd);
        return rc;
    }
    bo__error_clear();
    rc = init(&host);
    if (rc < 0) {
        pthread_mutex_unlock(&lock);
        /* The plugin may have registered something before refusing: keep
         * it loaded (and its descriptor open) rather than leave dangling
         * pointers behind. */
        if (bo_error_message()[0])
            return bo__error_prefix("plugin '%s': ", path);
        return bo__error_set(rc, "plugin '%s': its entry point refused to "
                             "load (%s)", path, bo_error_name(rc));
    }
    loaded[nloaded++] = h;
    pthread_mutex_unlock(&lock);
    bo__error_clear();
    return 0;
}

/* Check and load name in the checked folder dfd. */
static int load_in(int dfd, const char *name, const char *path)
{
    int fd;
    int rc = file_open(dfd, name, path, &fd);
    return rc ? rc : load_fd(fd, path);
}

int bo_plugin_load(const char *path)
{
    bo__error_clear();
    int rc = bo__text_check("path", path, 4096, false, false);
    if (rc)
        return rc;
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!name[0])
        return bo__error_set(BO_EINVAL, "path: '%s' names a folder, not a file", path);
    char *dir = slash ? bo__strndup(path, slash == path ? 1 : (size_t)(slash - path))
                      : bo__strdup(".");
    if (!dir)
        return BO_ENOMEM;
    int dfd;
    if ((rc = dir_open(dir, &dfd)) == 0) {
        rc = load_in(dfd, name, path);
        close(dfd);
    } else {
        bo__error_prefix("plugin '%s': ", path);
    }
    bo__free(dir);
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int bo_plugin_load_dir(const char *dir, int *count)
{
    bo__error_clear();
    if (count)
        *count = 0;
    int rc = bo__text_check("dir", dir, 4096, false, false);
    if (rc)
        return rc;
    int dfd;
    if ((rc = dir_open(dir, &dfd)))
        return rc;
    /* Listed through a second descriptor of the same folder (closedir
     * closes it); files are opened relative to dfd. */
    int lfd = dup(dfd);
    DIR *d = lfd < 0 ? NULL : fdopendir(lfd);
    if (!d) {
        if (lfd >= 0)
            close(lfd);
        close(dfd);
        return bo__error_set(BO_EIO, "plugin folder '%s': cannot list: %s", dir,
                             strerror(errno));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        /* Hidden files (editor backups, half-copied files) are skipped. */
        if (ent->d_name[0] == '.' || len < 4 || strcmp(ent->d_name + len - 3, ".so") != 0)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            char **p = bo__realloc(names, nc * sizeof *p);
            if (!p) {
                rc = BO_ENOMEM;
                break;
            }
            names = p;
            cap = nc;
        }
        if (!(names[n] = bo__strdup(ent->d_name))) {
            rc = BO_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (!rc && n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && !rc; i++) {
        bo__buf full = BO__BUF_INIT;
        bo__buf_printf(&full, "%s/%s", dir, names[i]);
        if (full.failed)
            rc = BO_ENOMEM;
        else if ((rc = load_in(dfd, names[i], full.ptr)) == 0 && count)
            (*count)++;
        bo__buf_free(&full);
    }
    for (size_t i = 0; i < n; i++)
        bo__free(names[i]);
    bo__free(names);
    close(dfd);
    return rc;
}
