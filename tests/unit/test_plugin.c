/* Plugins: loading, refusing, and a book kept through the example "log"
 * driver (examples/plugin/logdriver.c), built next to the tests. */
#include "testutil.h"
#include "backoffice/sys/driver.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char plugin_dir[PATH_MAX], plugin_path[PATH_MAX + 32];

static void find_plugin(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ck_assert_int_gt(n, 0);
    exe[n] = '\0';
    /* build/X/tests/test_plugin -> build/X/examples/plugins/ */
    snprintf(plugin_dir, sizeof plugin_dir, "%s/../examples/plugins", dirname(exe));
    snprintf(plugin_path, sizeof plugin_path, "%s/bo_logdriver.so", plugin_dir);
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
    /* a shared object without the entry point: the C library itself */
    bo_assert_err(bo_plugin_load("/lib/x86_64-linux-gnu/libm.so.6"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "bo_plugin_init"));
    /* not a shared object at all */
    char *junk = bo_test_path("junk");
    FILE *f = fopen(junk, "w");
    fputs("not an ELF file", f);
    fclose(f);
    bo_assert_err(bo_plugin_load(junk), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "cannot load"));
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

static Suite *suite(void)
{
    Suite *s = suite_create("plugin");
    TCase *t = tcase_create("plugin");
    tcase_add_test(t, load_and_use);
    tcase_add_test(t, load_errors);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
