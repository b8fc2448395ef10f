/* Plugins: loading, refusing, and a book kept through the example "log"
 * driver (examples/plugin/logdriver.c), built next to the tests. */
#include "testutil.h"
#include "backoffice/sys/driver.h"

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char plugin_dir[PATH_MAX], plugin_path[PATH_MAX + 32];
/* The test libraries of tests/plugins/marker.c. */
static char marker_so[PATH_MAX + 32], notplugin_so[PATH_MAX + 32];

static void find_plugin(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    /* build/X/tests/test_plugin -> build/X/examples/plugins/ */
    const char *tests = dirname(exe); /* modifies exe */
    snprintf(plugin_dir, sizeof plugin_dir, "%s/../examples/plugins", tests);
    snprintf(plugin_path, sizeof plugin_path, "%s/bo_logdriver.so", plugin_dir);
    /* build/X/tests/test_plugin -> build/X/tests/plugins/ */
    snprintf(marker_so, sizeof marker_so, "%s/plugins/bo_test_marker.so", tests);
    snprintf(notplugin_so, sizeof notplugin_so, "%s/plugins/bo_test_notplugin.so", tests);
}

START_TEST(load_and_use)
{
    find_plugin();
    ck_assert_ptr_null(bo_driver_find("log"));
    bo_assert_ok(bo_plugin_load(plugin_path));
    ck_assert_ptr_nonnull(bo_driver_find("log"));
    bo_assert_ok(bo_plugin_load(plugin_path)); /* again: nothing happens */
    int n = -1;
    bo_assert_ok(bo_plugin_load_dir(plugin_dir, &n));
    ck_assert_int_eq(n, 1);

    char *path = bo_test_path("plugin");
    char *log = bo_test_path("plugin-log");
    setenv("BO_LOGDRIVER_FILE", log, 1);
    char uri[PATH_MAX + 16];
    snprintf(uri, sizeof uri, "log:sqlite:%s", path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    bo_book *b;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_test_chart(b);
    bo_test_post2(b, "2026-01-02", "1000", "4000", 4200);
    bo_book_free(b);
    unsetenv("BO_LOGDRIVER_FILE");

    /* the same file read directly by the built-in driver */
    o.create = 0;
    bo_assert_ok(bo_book_open(&b, path, &o));
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 4200);
    bo_assert_ok(bo_audit_verify(b, NULL));
    bo_book_free(b);

    FILE *f = fopen(log, "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    int prepares = 0, commits = 0;
    while (fgets(line, sizeof line, f)) {
        prepares += strncmp(line, "prepare ", 8) == 0;
        commits += strncmp(line, "commit", 6) == 0 && line[6] == '\n';
    }
    fclose(f);
    ck_assert_int_gt(prepares, 5);
    ck_assert_int_gt(commits, 5);
    free(path);
    free(log);
}
END_TEST

START_TEST(load_errors)
{
    find_plugin();
    bo_assert_err(bo_plugin_load("/nonexistent/plugin.so"), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "/nonexistent/plugin.so"));
    bo_assert_err(bo_plugin_load(""), BO_EINVAL);
    bo_assert_err(bo_plugin_load_dir("/nonexistent-dir", NULL), BO_ENOTFOUND);
    /* a shared object that is not a plugin: the maths library */
    bo_assert_err(bo_plugin_load("/lib/x86_64-linux-gnu/libm.so.6"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "not a libbackoffice plugin"));
    /* not a shared object at all */
    char *junk = bo_test_path("junk");
    FILE *f = fopen(junk, "w");
    fputs("not an ELF file", f);
    fclose(f);
    bo_assert_err(bo_plugin_load(junk), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "not a shared object"));
    free(junk);
    /* an inner scheme nobody registered */
    bo_assert_ok(bo_plugin_load(plugin_path));
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, "log:nosuch:x", &o), BO_EDRIVER);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "log:"));
}
END_TEST

/* ---- the checks before a file is loaded (issue 12, item 10) ------------- */

static char marker[PATH_MAX];

/* A fresh folder (mode 0755) in the scratch area, and the marker file the
 * test libraries' constructor writes, removed. */
static char *fresh_dir(const char *stem)
{
    char *dir = bo_test_file(stem);
    ck_assert_int_eq(mkdir(dir, 0755), 0);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    snprintf(marker, sizeof marker, "%s.marker", dir);
    unlink(marker);
    setenv("BO_TEST_MARKER", marker, 1);
    return dir;
}

static int marker_exists(void)
{
    return access(marker, F_OK) == 0;
}

/* Copy file from to dir/name with mode. */
static void copy_to(const char *from, const char *dir, const char *name, mode_t mode)
{
    char to[PATH_MAX + 64];
    snprintf(to, sizeof to, "%s/%s", dir, name);
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    ck_assert_msg(in && out, "copy %s to %s", from, to);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
    ck_assert_int_eq(chmod(to, mode), 0);
}

/* The marker plugin itself loads, and its constructor leaves the mark: the
 * checks below can tell whether any code ran. */
START_TEST(trust_plugin_marker_runs_when_loaded)
{
    find_plugin();
    char *dir = fresh_dir("plug-ok");
    copy_to(marker_so, dir, "marker.so", 0644);
    int n = -1;
    bo_assert_ok(bo_plugin_load_dir(dir, &n));
    ck_assert_int_eq(n, 1);
    ck_assert(marker_exists());
    free(dir);
}
END_TEST

START_TEST(trust_plugin_world_writable_folder)
{
    find_plugin();
    char *dir = fresh_dir("plug-ww");
    copy_to(marker_so, dir, "marker.so", 0644);
    ck_assert_int_eq(chmod(dir, 0777), 0);
    int n = -1;
    bo_assert_err(bo_plugin_load_dir(dir, &n), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), dir));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "writable by others"));
    ck_assert_int_eq(n, 0);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/marker.so", dir);
    bo_assert_err(bo_plugin_load(path), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "writable by others"));
    /* group-writable is refused too */
    ck_assert_int_eq(chmod(dir, 0775), 0);
    bo_assert_err(bo_plugin_load_dir(dir, NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "writable by its group"));
    ck_assert(!marker_exists());
    free(dir);
}
END_TEST

START_TEST(trust_plugin_group_writable_file)
{
    find_plugin();
    char *dir = fresh_dir("plug-gw");
    copy_to(marker_so, dir, "marker.so", 0664);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/marker.so", dir);
    bo_assert_err(bo_plugin_load(path), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), path));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "writable by its group"));
    int n = -1;
    bo_assert_err(bo_plugin_load_dir(dir, &n), BO_EDENIED);
    ck_assert_int_eq(n, 0);
    /* owned by another user (only root can make one) */
    if (geteuid() == 0) {
        ck_assert_int_eq(chmod(path, 0644), 0);
        ck_assert_int_eq(chown(path, 65534, 65534), 0);
        bo_assert_err(bo_plugin_load(path), BO_EDENIED);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "owned by user 65534"));
    }
    ck_assert(!marker_exists());
    free(dir);
}
END_TEST

START_TEST(trust_plugin_hidden_file_skipped)
{
    find_plugin();
    char *dir = fresh_dir("plug-hidden");
    copy_to(marker_so, dir, ".marker.so", 0644);
    int n = -1;
    bo_assert_ok(bo_plugin_load_dir(dir, &n));
    ck_assert_int_eq(n, 0);
    ck_assert(!marker_exists());
    free(dir);
}
END_TEST

/* A symbolic link is refused, even to a good plugin in a good folder: the
 * loader opens regular files only (O_NOFOLLOW), in the folder it checked. */
START_TEST(trust_plugin_symlink_refused)
{
    find_plugin();
    char *real = fresh_dir("plug-real");
    copy_to(marker_so, real, "marker.so", 0644);
    char *dir = fresh_dir("plug-link");
    char target[PATH_MAX + 64], link[PATH_MAX + 64];
    snprintf(target, sizeof target, "%s/marker.so", real);
    snprintf(link, sizeof link, "%s/link.so", dir);
    ck_assert_int_eq(symlink(target, link), 0);
    bo_assert_err(bo_plugin_load(link), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "symbolic link"));
    int n = -1;
    bo_assert_err(bo_plugin_load_dir(dir, &n), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "link.so"));
    ck_assert_int_eq(n, 0);
    ck_assert(!marker_exists());
    free(real);
    free(dir);
}
END_TEST

/* A library without the manifest is refused before it is mapped: its
 * constructor never runs, though it even has the entry point. */
START_TEST(trust_plugin_not_a_plugin_never_runs)
{
    find_plugin();
    char *dir = fresh_dir("plug-not");
    copy_to(notplugin_so, dir, "notplugin.so", 0644);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/notplugin.so", dir);
    bo_assert_err(bo_plugin_load(path), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), path));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "BO_PLUGIN_MANIFEST"));
    int n = -1;
    bo_assert_err(bo_plugin_load_dir(dir, &n), BO_EINVAL);
    ck_assert_int_eq(n, 0);
    ck_assert(!marker_exists());
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("plugin");
    TCase *t = tcase_create("plugin");
    tcase_add_test(t, load_and_use);
    tcase_add_test(t, load_errors);
    tcase_add_test(t, trust_plugin_marker_runs_when_loaded);
    tcase_add_test(t, trust_plugin_world_writable_folder);
    tcase_add_test(t, trust_plugin_group_writable_file);
    tcase_add_test(t, trust_plugin_hidden_file_skipped);
    tcase_add_test(t, trust_plugin_symlink_refused);
    tcase_add_test(t, trust_plugin_not_a_plugin_never_runs);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
