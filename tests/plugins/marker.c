/*
 * A test library whose constructor appends a line to the file named by
 * $BO_TEST_MARKER: whether its code ever ran shows in that file. Built twice
 * (tests/CMakeLists.txt): bo_test_marker.so with the plugin manifest (a
 * plugin that registers nothing), bo_test_notplugin.so without it (a
 * library that is not a plugin, though it has the entry point).
 */
#include <backoffice/sys/plugin.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef BO_TEST_WITH_MANIFEST
BO_PLUGIN_MANIFEST;
#endif

__attribute__((constructor)) static void mark(void)
{
    const char *path = getenv("BO_TEST_MARKER");
    if (!path || !path[0])
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    static const char line[] = "constructor ran\n";
    ssize_t n = write(fd, line, sizeof line - 1);
    (void)n;
    close(fd);
}

__attribute__((visibility("default"))) int bo_plugin_init(const bo_plugin_host *h);

int bo_plugin_init(const bo_plugin_host *h)
{
    return h && h->version >= 1 ? 0 : -1;
}
