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

/* Lines of the log file at path starting with prefix. */
static int log_lines(const char *path, const char *prefix)
{
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += strncmp(line, prefix, strlen(prefix)) == 0;
    fclose(f);
    return n;
}

/* A batch of three entries (bo_ledger_post_many) on b: its rows go through
 * the driver's copy_rows. */
static void post_batch(bo_book *b)
{
    bo_entry *e[3] = { NULL, NULL, NULL };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_entry_new(&e[i], BO_DATE_MAX - 10 + i, "batch"));
        bo_assert_ok(bo_entry_add(e[i], "1000", 100 * (i + 1), NULL, NULL));
        bo_assert_ok(bo_entry_add(e[i], "4000", -100 * (i + 1), NULL, NULL));
    }
    bo_assert_ok(bo_entry_set_key(e[1], "batch-2"));
    int64_t ids[3] = { 0, 0, 0 };
    bo_assert_ok(bo_ledger_post_many(b, e, 3, ids));
    ck_assert_int_eq(ids[1], ids[0] + 1);
    ck_assert_int_eq(ids[2], ids[1] + 1);
    /* the keyed one replays: its row holds the key */
    int64_t again = 0;
    bo_assert_ok(bo_ledger_post(b, e[1], &again));
    ck_assert_int_eq(again, ids[1]);
    for (int i = 0; i < 3; i++)
        bo_entry_free(e[i]);
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 4200 + 600);
    bo_test_expect_verified(b);
}

/* An inner driver with rows in bulk: the built-in SQLite driver under
 * another scheme, whose copy_rows counts its calls and writes the rows
 * with one INSERT each. */
static bo_driver sqlcopy;
static int sqlcopy_calls;

static int sqlcopy_copy(bo_driver_conn *c, const char *table, const char *columns,
                        int ncols, size_t nrows, const char *const *values)
{
    const bo_driver *q = bo_driver_find("sqlite");
    char sql[512];
    int n = snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (?", table, columns);
    for (int i = 1; i < ncols; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, ", ?");
    snprintf(sql + n, sizeof sql - (size_t)n, ")");
    bo_driver_stmt *st;
    int rc = q->prepare(c, sql, &st);
    for (size_t r = 0; r < nrows && !rc; r++) {
        for (int i = 0; i < ncols && !rc; i++) {
            const char *v = values[r * (size_t)ncols + (size_t)i];
            rc = v ? q->bind_text(st, i + 1, v, strlen(v)) : q->bind_null(st, i + 1);
        }
        if (!rc)
            rc = q->step(st) == BO_DRIVER_DONE ? q->reset(st) : BO_ERROR;
    }
    if (st)
        q->finalize(st);
    sqlcopy_calls++;
    return rc;
}

/* copy_rows through the log driver: forwarded to an inner driver that has
 * one, written by the log driver itself over one that has none (SQLite);
 * either way the batch is the same, and the log names each copy. */
START_TEST(copy_rows_forwarded)
{
    find_plugin();
    bo_assert_ok(bo_plugin_load(plugin_path));
    const bo_driver *lg = bo_driver_find("log");
    ck_assert_int_ge((int)lg->version, 5);
    ck_assert_ptr_nonnull(lg->copy_rows);
    sqlcopy = *bo_driver_find("sqlite");
    ck_assert_ptr_null(sqlcopy.copy_rows);
    sqlcopy.scheme = "sqlcopy";
    sqlcopy.copy_rows = sqlcopy_copy;
    bo_assert_ok(bo_driver_register(&sqlcopy));
    const char *inner[2] = { "sqlite", "sqlcopy" };
    for (int k = 0; k < 2; k++) {
        char *path = bo_test_path("plugin-copy");
        char *log = bo_test_path("plugin-copy-log");
        setenv("BO_LOGDRIVER_FILE", log, 1);
        char uri[PATH_MAX + 32];
        snprintf(uri, sizeof uri, "log:%s:%s", inner[k], path);
        bo_book_options o = BO_BOOK_OPTIONS_INIT;
        o.actor = "owner";
        o.create = 1;
        bo_book *b;
        bo_assert_ok(bo_book_open(&b, uri, &o));
        bo_test_chart(b);
        bo_test_post2(b, "2026-01-02", "1000", "4000", 4200);
        int calls = sqlcopy_calls;
        post_batch(b);
        bo_book_free(b);
        unsetenv("BO_LOGDRIVER_FILE");
        const char *mine = k ? "copy entries" : "copy by insert entries";
        const char *other = k ? "copy by insert " : "copy entries";
        ck_assert_int_eq(log_lines(log, mine), 1);
        ck_assert_int_eq(log_lines(log, k ? "copy postings" : "copy by insert postings"), 1);
        ck_assert_int_eq(log_lines(log, other), 0);
        ck_assert_int_eq(sqlcopy_calls - calls, k ? log_lines(log, "copy ") : 0);
        /* the same file read directly by the built-in driver */
        o.create = 0;
        bo_assert_ok(bo_book_open(&b, path, &o));
        int64_t v;
        bo_assert_ok(bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v));
        ck_assert_int_eq(v, 4800);
        bo_test_expect_verified(b);
        bo_book_free(b);
        free(path);
        free(log);
    }
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
    tcase_add_test(t, copy_rows_forwarded);
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
