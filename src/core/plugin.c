/*
 * The plugin loader: dlopen a shared object, find its entry point, hand it
 * the host table. Plugins are never unloaded: the drivers they register are
 * referenced by the registry and by open books.
 */
#include "core.h"
#include "backoffice/sys/plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PLUGINS 64

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
};

static int load_one(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return bo__error_set(BO_ENOTFOUND, "plugin '%s': no such file", path);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        return bo__error_set(BO_ENOTFOUND, "plugin '%s': cannot load: %s", path,
                             why ? why : "unknown reason");
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < nloaded; i++) {
        if (loaded[i] == h) { /* dlopen counted one more reference: drop it */
            pthread_mutex_unlock(&lock);
            dlclose(h);
            return 0;
        }
    }
    if (nloaded == MAX_PLUGINS) {
        pthread_mutex_unlock(&lock);
        dlclose(h);
        return bo__error_set(BO_ELIMIT, "plugin '%s': at most %d plugins",
                             path, MAX_PLUGINS);
    }
    bo_plugin_init_fn init;
    *(void **)&init = dlsym(h, BO_PLUGIN_ENTRY);
    if (!init) {
        pthread_mutex_unlock(&lock);
        dlclose(h);
        return bo__error_set(BO_EINVAL, "plugin '%s': no function '%s'", path,
                             BO_PLUGIN_ENTRY);
    }
    bo__error_clear();
    int rc = init(&host);
    if (rc < 0) {
        pthread_mutex_unlock(&lock);
        /* The plugin may have registered something before refusing: keep
         * it loaded rather than leave dangling pointers behind. */
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

int bo_plugin_load(const char *path)
{
    bo__error_clear();
    int rc = bo__text_check("path", path, 4096, false, false);
    if (rc)
        return rc;
    return load_one(path);
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
    DIR *d = opendir(dir);
    if (!d)
        return bo__error_set(BO_ENOTFOUND, "plugin folder '%s': cannot open", dir);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        size_t len = strlen(ent->d_name);
        if (len < 4 || strcmp(ent->d_name + len - 3, ".so") != 0)
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
        bo__buf full = BO__BUF_INIT;
        bo__buf_printf(&full, "%s/%s", dir, ent->d_name);
        if (full.failed) {
            rc = BO_ENOMEM;
            break;
        }
        names[n++] = full.ptr;
    }
    closedir(d);
    if (!rc && n)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = load_one(names[i])) == 0 && count)
            (*count)++;
    }
    for (size_t i = 0; i < n; i++)
        bo__free(names[i]);
    bo__free(names);
    return rc;
}
