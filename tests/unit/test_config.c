/*
 * The YAML book configuration: valid files build the book they describe;
 * every bad file of tests/data/config gets the code, FILE:LINE:COLUMN and
 * words its first line ("# expect: CODE LINE:COLUMN words") announces, and
 * leaves no book behind; bombs are refused quickly.
 */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* tests/ folder of the source tree, found from this file's own path. */
static char tests_dir[4096];
/* bad_*.yaml files of the catalogue, sorted. */
static char *bad_files[256];
static int n_bad_files;

static void find_tests_dir(void)
{
    const char *f = __FILE__, *suffix = "unit/test_config.c";
    size_t n = strlen(f), s = strlen(suffix);
    if (n < s || strcmp(f + n - s, suffix) != 0) {
        fprintf(stderr, "cannot find the test data from %s\n", f);
        exit(EXIT_FAILURE);
    }
    snprintf(tests_dir, sizeof tests_dir, "%.*s", (int)(n - s), f);
}

static char *data_path(const char *name)
{
    char *p = malloc(8192);
    ck_assert_ptr_nonnull(p);
    snprintf(p, 8192, "%sdata/config/%s", tests_dir, name);
    return p;
}

static bo_book_options fast_opts(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.sync = BO_SYNC_OFF;
    return o;
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The store at uri holds no book, and no book is left open in this
 * process. An in-memory store cannot be reopened (a second open is a new,
 * empty database), so there the second half is the check: a failed create
 * that kept its connection (the only way an in-memory book could survive)
 * makes bo_set_allocator refuse with BO_ESTATE. */
static void assert_no_book(const char *uri)
{
    int rc = bo_set_allocator(NULL);
    ck_assert_msg(rc == 0, "a book is still open in this process (%s)", bo_error_message());
    if (strstr(uri, ":memory:"))
        return;
    bo_book_options o = fast_opts();
    o.actor = "admin";
    bo_book *b = NULL;
    rc = bo_book_open(&b, uri, &o);
    bo_book_free(b);
    ck_assert_msg(rc == BO_ENOTFOUND, "store %s: open without create gave %d "
                  "(%s), expected no book", uri, rc, bo_error_message());
}

static int count_rows(bo_cursor *cur)
{
    int n = 0, rc;
    while ((rc = bo_cursor_next(cur)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    return n;
}

/* The account row of code, as "name|type|parent|currency". */
static void account_row(bo_book *b, const char *code, char *out, size_t size)
{
    bo_cursor *cur = NULL;
    bo_assert_ok(bo_ledger_accounts(b, &cur));
    int c_code = bo_cursor_column_index(cur, "code");
    int c_name = bo_cursor_column_index(cur, "name");
    int c_type = bo_cursor_column_index(cur, "type");
    int c_parent = bo_cursor_column_index(cur, "parent");
    int c_cur = bo_cursor_column_index(cur, "currency");
    ck_assert(c_code >= 0 && c_name >= 0 && c_type >= 0 && c_parent >= 0 && c_cur >= 0);
    out[0] = '\0';
    while (bo_cursor_next(cur) == 0) {
        if (strcmp(bo_cursor_text(cur, c_code), code) != 0)
            continue;
        const char *parent = bo_cursor_text(cur, c_parent);
        snprintf(out, size, "%s|%s|%s|%s", bo_cursor_text(cur, c_name),
                 bo_cursor_text(cur, c_type), parent ? parent : "-",
                 bo_cursor_text(cur, c_cur));
    }
    bo_cursor_free(cur);
}

/* Whether actor holds permission in b (switching b's actor). */
static int can(bo_book *b, const char *actor, const char *permission)
{
    bo_assert_ok(bo_book_set_actor(b, actor));
    int rc = bo_actor_can(b, permission);
    ck_assert_msg(rc == 0 || rc == 1, "can %s %s: %d %s", actor, permission, rc,
                  bo_error_message());
    return rc;
}

/* ---- the catalogue of bad files ----------------------------------------- */

static int code_named(const char *name)
{
    if (strcmp(name, "ECONFIG") == 0)
        return BO_ECONFIG;
    if (strcmp(name, "ELIMIT") == 0)
        return BO_ELIMIT;
    ck_abort_msg("unknown code name %s", name);
    return 0;
}

/* Load file into a fresh store: the expected code, a message starting
 * "PATH:LINE:COLUMN: " and containing the expected words, and no book. */
static void check_bad_file(const char *name)
{
    char *path = data_path(name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[512] = "";
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    char code[32], pos[32];
    int words = 0;
    ck_assert_msg(sscanf(line, "# expect: %31s %31s %n", code, pos, &words) == 2 &&
                  words > 0, "%s: first line is not '# expect: CODE L:C words'", name);
    const char *expected_words = line + words;

    char *uri = bo_test_path("config-bad");
    bo_book_options o = fast_opts();
    bo_book *b = (bo_book *)&o; /* must be reset to NULL */
    int rc = bo_book_create_from_yaml(&b, path, uri, &o);
    bo_assert_err(rc, code_named(code));
    ck_assert_ptr_null(b);
    char prefix[8300];
    snprintf(prefix, sizeof prefix, "%s:%s: ", path, pos);
    const char *msg = bo_error_message();
    ck_assert_msg(strncmp(msg, prefix, strlen(prefix)) == 0,
                  "%s: message '%s' does not start with '%s'", name, msg, prefix);
    ck_assert_msg(strstr(msg, expected_words) != NULL,
                  "%s: message '%s' lacks '%s'", name, msg, expected_words);
    printf("%s -> %s\n", name, msg);
    assert_no_book(uri);
    free(uri);
    free(path);
}

START_TEST(test_bad_catalogue)
{
    check_bad_file(bad_files[_i]);
}
END_TEST

START_TEST(test_unknown_nested_key)
{
    check_bad_file("bad_unknown_nested.yaml");
}
END_TEST

START_TEST(test_duplicate_key)
{
    check_bad_file("bad_duplicate_key.yaml");
    check_bad_file("bad_duplicate_nested.yaml");
}
END_TEST

START_TEST(test_wrong_type)
{
    check_bad_file("bad_wrong_type_name.yaml");
    check_bad_file("bad_wrong_type_accounts.yaml");
}
END_TEST

START_TEST(test_bad_currency)
{
    check_bad_file("bad_currency.yaml");
    check_bad_file("bad_account_currency.yaml");
}
END_TEST

START_TEST(test_child_type_mismatch)
{
    check_bad_file("bad_child_type.yaml");
    check_bad_file("bad_parent_type.yaml");
}
END_TEST

/* A value only the security layer judges (a permission name) is found by
 * the rehearsal, before the real store is touched. */
START_TEST(test_bad_permission)
{
    check_bad_file("bad_permission.yaml");
}
END_TEST

/* A role granted at some locations only, from YAML: the grants are those
 * bo_role_grant_location() makes (one row a location), beside a plain
 * grant; and each bad form is BO_ECONFIG at its line:column, no book. */
#define GRANT_HEAD \
    "book: {name: Shop, base_currency: USD}\n" \
    "accounts: [{code: \"1000\", name: Cash, type: asset}]\n" \
    "roles:\n" \
    "  clerk: [ledger.read]\n" \
    "  store-manager: [people.read, people.write]\n" \
    "actors:\n"

START_TEST(test_grant_locations_yaml)
{
    static const char yaml[] = GRANT_HEAD
        "  sari: [clerk, {role: store-manager, locations: [MAIN, MALL]}]\n";
    int rc;
    char *uri;
    bo_book *b = bo_test_yaml_book("grant-yaml", yaml, &rc, &uri);
    bo_assert_ok(rc);
    bo_cursor *c;
    bo_assert_ok(bo_role_list(b, &c));
    int ia = bo_cursor_column_index(c, "actor"), ir = bo_cursor_column_index(c, "role");
    int il = bo_cursor_column_index(c, "location");
    char seen[256] = "";
    while (bo_cursor_next(c) == 0) {
        if (strcmp(bo_cursor_text(c, ia), "sari") != 0)
            continue;
        const char *loc = bo_cursor_text(c, il);
        size_t n = strlen(seen);
        snprintf(seen + n, sizeof seen - n, "%s@%s;", bo_cursor_text(c, ir),
                 loc ? loc : "*");
    }
    bo_cursor_free(c);
    ck_assert_str_eq(seen, "clerk@*;store-manager@MAIN;store-manager@MALL;");
    bo_book_free(b);
    free(uri);
}
END_TEST

START_TEST(test_grant_locations_yaml_bad)
{
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{role: store-manager, at: MAIN}]\n",
                         "<string>:7:", "unknown key 'at'");
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{role: store-manager}]\n", "<string>:7:",
                         "locations");
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{locations: [MAIN]}]\n", "<string>:7:",
                         "role");
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{role: store-manager, locations: []}]\n",
                         "<string>:7:43:", "no location");
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{role: store-manager, locations: MAIN}]\n",
                         "<string>:7:", "locations");
    bo_test_yaml_refused(GRANT_HEAD,
                         "  sari: [{role: store-manager, locations: [MAIN, \"\"]}]\n",
                         "<string>:7:50:", "locations[1]");
    bo_test_yaml_refused(GRANT_HEAD, "  sari: [{role: boss, locations: [MAIN]}]\n",
                         "<string>:7:17:", "unknown role 'boss'");
}
END_TEST

/* ---- valid books ---------------------------------------------------------- */

START_TEST(test_valid_file)
{
    char *path = data_path("valid_basic.yaml");
    char *uri = bo_test_path("config-valid");
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml(&b, path, uri, &o));
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(bo_book_name(b), "Test Shop");
    ck_assert_str_eq(bo_book_base_currency(b), "USD");
    ck_assert_str_eq(bo_book_actor(b), "admin");
    ck_assert_int_eq(bo_book_depth(b), 0);

    bo_cursor *cur = NULL;
    bo_assert_ok(bo_ledger_accounts(b, &cur));
    ck_assert_int_eq(count_rows(cur), 9);
    bo_cursor_free(cur);
    char row[512];
    account_row(b, "1000", row, sizeof row); /* written unquoted: 1000 */
    ck_assert_str_eq(row, "Assets|asset|-|USD");
    account_row(b, "1020", row, sizeof row);
    ck_assert_str_eq(row, "Bitcoin wallet|asset|1000|XBT");
    account_row(b, "4010", row, sizeof row);
    ck_assert_str_eq(row, "Sales: in-store|income|4000|USD");
    account_row(b, "4020", row, sizeof row); /* "parent:" form, type inherited */
    ck_assert_str_eq(row, "Sales: online|income|4000|USD");
    int exp = -1;
    bo_assert_ok(bo_currency_exponent("XBT", &exp));
    ck_assert_int_eq(exp, 8);

    bo_assert_ok(bo_ledger_periods(b, &cur));
    static const char *const names[] = {"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
                                        "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"};
    int n = 0, c_name = bo_cursor_column_index(cur, "name");
    int c_start = bo_cursor_column_index(cur, "start");
    int c_end = bo_cursor_column_index(cur, "end");
    while (bo_cursor_next(cur) == 0) {
        ck_assert_int_lt(n, 8);
        ck_assert_str_eq(bo_cursor_text(cur, c_name), names[n]);
        if (n == 0) {
            ck_assert_str_eq(bo_cursor_text(cur, c_start), "2026-01-01");
            ck_assert_str_eq(bo_cursor_text(cur, c_end), "2026-03-31");
        }
        if (n == 7)
            ck_assert_str_eq(bo_cursor_text(cur, c_end), "2027-12-31");
        n++;
    }
    ck_assert_int_eq(n, 8);
    bo_cursor_free(cur);

    ck_assert_int_eq(can(b, "admin", "book.admin"), 1);
    ck_assert_int_eq(can(b, "alice", "ledger.admin"), 1);
    ck_assert_int_eq(can(b, "bob", "ledger.post"), 1);
    ck_assert_int_eq(can(b, "bob", "ledger.admin"), 0);
    ck_assert_int_eq(can(b, "bob", "audit.read"), 0);
    ck_assert_int_eq(can(b, "carol", "ledger.post"), 1); /* cashier: the alias */
    ck_assert_int_eq(can(b, "carol", "audit.read"), 1);
    ck_assert_int_eq(can(b, "carol", "book.admin"), 0);
    ck_assert_int_eq(can(b, "mallory", "ledger.read"), 0);
    bo_book_free(b);

    /* It is durable: open again without create. */
    o.actor = "bob";
    bo_assert_ok(bo_book_open(&b, uri, &o));
    bo_assert_ok(bo_ledger_accounts(b, &cur));
    ck_assert_int_eq(count_rows(cur), 9);
    bo_cursor_free(cur);
    bo_book_free(b);
    free(uri);
    free(path);
}
END_TEST

START_TEST(test_shop_example)
{
    char path[8192];
    snprintf(path, sizeof path, "%s../examples/shop.yaml", tests_dir);
    char *uri = bo_test_path("config-shop");
    bo_book_options o = fast_opts();
    o.actor = "alice";
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml(&b, path, uri, &o));
    ck_assert_str_eq(bo_book_name(b), "Corner Shop");
    bo_cursor *cur = NULL;
    bo_assert_ok(bo_ledger_accounts(b, &cur));
    int accounts = count_rows(cur);
    bo_cursor_free(cur);
    ck_assert_int_ge(accounts, 25);
    char row[512];
    account_row(b, "2100", row, sizeof row);
    ck_assert_str_eq(row, "Sales tax payable|liability|2000|USD");
    account_row(b, "6400", row, sizeof row);
    ck_assert_str_eq(row, "Shipping and packaging|expense|6000|USD");
    bo_assert_ok(bo_ledger_periods(b, &cur));
    ck_assert_int_eq(count_rows(cur), 12);
    bo_cursor_free(cur);
    ck_assert_int_eq(can(b, "alice", "book.admin"), 1);
    ck_assert_int_eq(can(b, "bob", "ledger.post"), 1);
    ck_assert_int_eq(can(b, "bob", "ledger.admin"), 0);
    ck_assert_int_eq(can(b, "carol", "ledger.admin"), 1);
    ck_assert_int_eq(can(b, "dave", "audit.read"), 1);
    ck_assert_int_eq(can(b, "dave", "ledger.post"), 0);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* No URI: the file's storage key names the store. */
START_TEST(test_string_uses_storage)
{
    char *file = bo_test_path("config-storage");
    char yaml[8192];
    int len = snprintf(yaml, sizeof yaml,
                       "book:\n  name: Stored\n  storage: \"%s\"\n"
                       "  base_currency: EUR\naccounts:\n"
                       "  - {code: \"1000\", name: Cash, type: asset}\n", file);
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, (size_t)len, NULL, &o));
    ck_assert_str_eq(bo_book_base_currency(b), "EUR");
    bo_book_free(b);
    o.actor = "admin";
    bo_assert_ok(bo_book_open(&b, file, &o)); /* the store holds the book */
    ck_assert_str_eq(bo_book_name(b), "Stored");
    bo_book_free(b);
    free(file);
}
END_TEST

/* The uri argument wins over the file's storage key. */
START_TEST(test_uri_overrides_storage)
{
    char *file = bo_test_path("config-ignored");
    char *uri = bo_test_path("config-chosen");
    char yaml[8192];
    int len = snprintf(yaml, sizeof yaml,
                       "book: {name: X, storage: \"%s\", base_currency: USD}\n"
                       "accounts: []\n", file);
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, (size_t)len, uri, &o));
    ck_assert_str_eq(bo_book_uri(b), uri);
    bo_book_free(b);
    assert_no_book(file);
    free(file);
    free(uri);
}
END_TEST

START_TEST(test_no_storage)
{
    const char yaml[] = "book: {name: X, base_currency: USD}\naccounts: []\n";
    bo_book *b = NULL;
    bo_book_options o = fast_opts();
    bo_assert_err(bo_book_create_from_yaml_string(&b, yaml, sizeof yaml - 1, NULL, &o),
                  BO_ECONFIG);
    ck_assert_ptr_null(b);
    ck_assert_msg(strncmp(bo_error_message(), "<string>:1:7: ", 14) == 0 &&
                  strstr(bo_error_message(), "book.storage"), "%s", bo_error_message());
}
END_TEST

/* NULL options: the creator is "admin", who owns the book. */
START_TEST(test_default_actor)
{
    char *uri = bo_test_path("config-admin");
    const char yaml[] = "book: {name: X, base_currency: USD}\naccounts: []\n";
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, sizeof yaml - 1, uri, NULL));
    ck_assert_str_eq(bo_book_actor(b), "admin");
    ck_assert_int_eq(bo_actor_can(b, "book.admin"), 1);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* A store that already holds a book is refused and left as it was. */
START_TEST(test_existing_book)
{
    char *uri = bo_test_path("config-twice");
    char *path = data_path("valid_basic.yaml");
    char shop[8192];
    snprintf(shop, sizeof shop, "%s../examples/shop.yaml", tests_dir);
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml(&b, shop, uri, &o));
    bo_book_free(b);
    b = NULL;
    bo_assert_err(bo_book_create_from_yaml(&b, path, uri, &o), BO_EEXISTS);
    ck_assert_ptr_null(b);
    o.actor = "admin";
    bo_assert_ok(bo_book_open(&b, uri, &o));
    ck_assert_str_eq(bo_book_name(b), "Corner Shop");
    char row[512];
    account_row(b, "4020", row, sizeof row);
    ck_assert_str_eq(row, "Sales: online|income|4000|USD");
    account_row(b, "5000", row, sizeof row);
    ck_assert_str_eq(row, "Direct costs|expense|-|USD");
    bo_book_free(b);
    free(path);
    free(uri);
}
END_TEST

START_TEST(test_missing_file)
{
    char *path = data_path("no_such_file.yaml");
    char *uri = bo_test_path("config-nofile");
    bo_book *b = NULL;
    bo_assert_err(bo_book_create_from_yaml(&b, path, uri, NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "no_such_file.yaml"));
    assert_no_book(uri);
    free(path);
    free(uri);
}
END_TEST

START_TEST(test_null_arguments)
{
    bo_book *b = NULL;
    bo_assert_err(bo_book_create_from_yaml(NULL, "x.yaml", "sqlite::memory:", NULL),
                  BO_EINVAL);
    bo_assert_err(bo_book_create_from_yaml(&b, NULL, "sqlite::memory:", NULL),
                  BO_EINVAL);
    bo_assert_err(bo_book_create_from_yaml_string(&b, NULL, 0, "sqlite::memory:", NULL),
                  BO_EINVAL);
    bo_assert_err(bo_book_create_from_yaml_string(&b, "", 0, "sqlite::memory:", NULL),
                  BO_ECONFIG);
    ck_assert_ptr_null(b);
}
END_TEST

/* Aliases may name whole collections (a shared permission list); they are
 * followed by reference, and scalars tagged with core tags are accepted. */
START_TEST(test_aliases_and_core_tags)
{
    char *uri = bo_test_path("config-alias");
    const char yaml[] =
        "%YAML 1.1\n---\n"
        "book: {name: !!str 2026, base_currency: &ccy USD}\n"
        "accounts:\n"
        "  - &cash {code: !!int 1000, name: Cash, type: asset, currency: *ccy}\n"
        "  - {code: 4000.10, name: *ccy, type: !!str income}\n"
        "roles:\n"
        "  a: &perms [ledger.read, ledger.post]\n"
        "  b: *perms\n"
        "actors: {bob: [b]}\n"
        "...\n";
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, sizeof yaml - 1, uri, &o));
    ck_assert_str_eq(bo_book_name(b), "2026");
    char row[512];
    account_row(b, "4000.10", row, sizeof row);
    ck_assert_str_eq(row, "USD|income|-|USD");
    ck_assert_int_eq(can(b, "bob", "ledger.post"), 1);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* ---- limits ----------------------------------------------------------------- */

/* The message of the last expect_string_error() (later calls clear it). */
static char last_msg[1100];

/* Create from yaml into a fresh store: code expected, message starting
 * "<string>:" and containing words, no book left; returns milliseconds. */
static double expect_string_error(const char *yaml, size_t len, int code,
                                  const char *words)
{
    char *uri = bo_test_path("config-limit");
    bo_book_options o = fast_opts();
    bo_book *b = NULL;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = bo_book_create_from_yaml_string(&b, yaml, len, uri, &o);
    double ms = ms_since(&t0);
    bo_assert_err(rc, code);
    ck_assert_ptr_null(b);
    const char *msg = bo_error_message();
    ck_assert_msg(strncmp(msg, "<string>:", 9) == 0 && strstr(msg, words),
                  "message '%s' lacks '%s'", msg, words);
    printf("%.2f ms: %s\n", ms, msg);
    snprintf(last_msg, sizeof last_msg, "%s", msg);
    assert_no_book(uri);
    free(uri);
    return ms;
}

/* 9 levels of 10 aliases: 10^9 nodes if expanded. */
START_TEST(test_billion_laughs)
{
    char yaml[4096];
    size_t n = 0;
    n += (size_t)snprintf(yaml + n, sizeof yaml - n,
                          "book: {name: lol, base_currency: USD}\naccounts: []\n"
                          "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level <= 9; level++) {
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "l%d: &l%d [", level, level);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(yaml + n, sizeof yaml - n, "%s*l%d", k ? ", " : "",
                                  level - 1);
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "]\n");
    }
    ck_assert_uint_lt(n, sizeof yaml - 1);
    double ms = expect_string_error(yaml, n, BO_ELIMIT, "aliases expand to more than");
    printf("billion laughs (%zu bytes) rejected in %.2f ms\n", n, ms);
    ck_assert_msg(ms < 2000.0, "took %.1f ms", ms);
}
END_TEST

static void deep(char open, char close, const char *name)
{
    size_t depth = 100000;
    char *yaml = malloc(2 * depth);
    ck_assert_ptr_nonnull(yaml);
    memset(yaml, open, depth);
    memset(yaml + depth, close, depth);
    double ms = expect_string_error(yaml, 2 * depth, BO_ELIMIT,
                                    "nesting deeper than 64 levels");
    ck_assert_msg(strncmp(last_msg, "<string>:1:65: ", 15) == 0, "%s", last_msg);
    printf("100,000-deep %s rejected in %.2f ms\n", name, ms);
    ck_assert_msg(ms < 2000.0, "took %.1f ms", ms);
    free(yaml);
}

START_TEST(test_deep_brackets)
{
    deep('[', ']', "'['");
}
END_TEST

START_TEST(test_deep_braces)
{
    deep('{', '}', "'{'");
}
END_TEST

START_TEST(test_deep_block_sequences)
{
    size_t depth = 100000;
    char *yaml = malloc(2 * depth + 2);
    ck_assert_ptr_nonnull(yaml);
    for (size_t i = 0; i < depth; i++)
        memcpy(yaml + 2 * i, "- ", 2);
    memcpy(yaml + 2 * depth, "x", 2);
    double ms = expect_string_error(yaml, 2 * depth + 1, BO_ELIMIT,
                                    "nesting deeper than 64 levels");
    ck_assert_msg(ms < 2000.0, "took %.1f ms", ms);
    free(yaml);
}
END_TEST

/* Aliases cannot stack shallow collections into deep ones. */
START_TEST(test_deep_through_aliases)
{
    char yaml[8192];
    size_t n = 0;
    for (int level = 0; level < 4; level++) {
        n += (size_t)snprintf(yaml + n, sizeof yaml - n, "a%d: &a%d ", level, level);
        for (int k = 0; k < 30; k++)
            yaml[n++] = '[';
        if (level)
            n += (size_t)snprintf(yaml + n, sizeof yaml - n, "*a%d", level - 1);
        else
            yaml[n++] = 'x';
        for (int k = 0; k < 30; k++)
            yaml[n++] = ']';
        yaml[n++] = '\n';
    }
    expect_string_error(yaml, n, BO_ELIMIT, "aliases nest deeper than 64 levels");
}
END_TEST

START_TEST(test_too_many_aliases)
{
    size_t cap = 16 + 4 * (BO_CONFIG_MAX_ALIASES + 1) + 8;
    char *yaml = malloc(cap);
    ck_assert_ptr_nonnull(yaml);
    size_t n = (size_t)snprintf(yaml, cap, "x: &x 1\ny: [");
    for (unsigned i = 0; i <= BO_CONFIG_MAX_ALIASES; i++)
        n += (size_t)snprintf(yaml + n, cap - n, "%s*x", i ? "," : "");
    n += (size_t)snprintf(yaml + n, cap - n, "]\n");
    expect_string_error(yaml, n, BO_ELIMIT, "more than 1000 aliases");
    free(yaml);
}
END_TEST

START_TEST(test_too_many_nodes)
{
    size_t items = BO_CONFIG_MAX_NODES + 1, cap = 2 * items + 16;
    char *yaml = malloc(cap);
    ck_assert_ptr_nonnull(yaml);
    size_t n = 0;
    yaml[n++] = '[';
    for (size_t i = 0; i < items; i++) {
        yaml[n++] = '1';
        yaml[n++] = ',';
    }
    yaml[n - 1] = ']';
    double ms = expect_string_error(yaml, n, BO_ELIMIT, "more than 100000 nodes");
    ck_assert_msg(ms < 2000.0, "took %.1f ms", ms);
    free(yaml);
}
END_TEST

START_TEST(test_string_too_big)
{
    size_t len = BO_CONFIG_MAX_BYTES + 1;
    char *yaml = malloc(len);
    ck_assert_ptr_nonnull(yaml);
    memset(yaml, '#', len);
    expect_string_error(yaml, len, BO_ELIMIT, "<string>:1:1: ");
    free(yaml);
}
END_TEST

/* A file one byte over the limit is refused from its size alone (it is
 * sparse here: reading it would not even be slow). */
START_TEST(test_file_too_big)
{
    char *path = bo_test_file("config-big");
    char *uri = bo_test_path("config-big-store");
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)BO_CONFIG_MAX_BYTES + 1), 0);
    close(fd);
    bo_book *b = NULL;
    bo_book_options o = fast_opts();
    bo_assert_err(bo_book_create_from_yaml(&b, path, uri, &o), BO_ELIMIT);
    char prefix[8300];
    snprintf(prefix, sizeof prefix, "%s:1:1: ", path);
    ck_assert_msg(strncmp(bo_error_message(), prefix, strlen(prefix)) == 0, "%s",
                  bo_error_message());
    assert_no_book(uri);
    unlink(path);
    free(path);
    free(uri);
}
END_TEST

/* Exactly the limit is accepted. */
START_TEST(test_file_at_limit)
{
    char *path = bo_test_file("config-limit-ok");
    char *uri = bo_test_path("config-limit-ok-store");
    const char head[] = "book: {name: Big, base_currency: USD}\naccounts: []\n";
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(head, f);
    size_t left = BO_CONFIG_MAX_BYTES - (sizeof head - 1);
    char pad[4096];
    memset(pad, ' ', sizeof pad);
    pad[0] = '#';
    pad[sizeof pad - 1] = '\n';
    while (left >= sizeof pad) {
        ck_assert_uint_eq(fwrite(pad, 1, sizeof pad, f), sizeof pad);
        left -= sizeof pad;
    }
    memset(pad, '#', left);
    ck_assert_uint_eq(fwrite(pad, 1, left, f), left);
    ck_assert_int_eq(fclose(f), 0);
    bo_book *b = NULL;
    bo_book_options o = fast_opts();
    bo_assert_ok(bo_book_create_from_yaml(&b, path, uri, &o));
    ck_assert_str_eq(bo_book_name(b), "Big");
    bo_book_free(b);
    unlink(path);
    free(path);
    free(uri);
}
END_TEST

/* ---- the suite ---------------------------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_bad_files(void)
{
    char dir[8192];
    snprintf(dir, sizeof dir, "%sdata/config", tests_dir);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot list %s\n", dir);
        exit(EXIT_FAILURE);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (strncmp(e->d_name, "bad_", 4) == 0 && n > 5 &&
            strcmp(e->d_name + n - 5, ".yaml") == 0 &&
            n_bad_files < (int)(sizeof bad_files / sizeof bad_files[0]))
            bad_files[n_bad_files++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(bad_files, (size_t)n_bad_files, sizeof bad_files[0], name_cmp);
}

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("valid");
    tcase_add_test(tc, test_shop_example);
    tcase_add_test(tc, test_default_actor);
    tcase_add_test(tc, test_aliases_and_core_tags);
    tcase_add_test(tc, test_grant_locations_yaml);
    tcase_add_test(tc, test_grant_locations_yaml_bad);
    suite_add_tcase(s, tc);

    /* They open a store a second time. */
    tc = tcase_create("valid_reopen");
    tcase_set_tags(tc, BO_TEST_TAG_REOPEN);
    tcase_add_test(tc, test_valid_file);
    tcase_add_test(tc, test_string_uses_storage);
    tcase_add_test(tc, test_uri_overrides_storage);
    tcase_add_test(tc, test_existing_book);
    suite_add_tcase(s, tc);

    tc = tcase_create("invalid");
    tcase_add_loop_test(tc, test_bad_catalogue, 0, n_bad_files);
    tcase_add_test(tc, test_unknown_nested_key);
    tcase_add_test(tc, test_duplicate_key);
    tcase_add_test(tc, test_wrong_type);
    tcase_add_test(tc, test_bad_currency);
    tcase_add_test(tc, test_child_type_mismatch);
    tcase_add_test(tc, test_bad_permission);
    tcase_add_test(tc, test_no_storage);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_null_arguments);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, test_billion_laughs);
    tcase_add_test(tc, test_deep_brackets);
    tcase_add_test(tc, test_deep_braces);
    tcase_add_test(tc, test_deep_block_sequences);
    tcase_add_test(tc, test_deep_through_aliases);
    tcase_add_test(tc, test_too_many_aliases);
    tcase_add_test(tc, test_too_many_nodes);
    tcase_add_test(tc, test_string_too_big);
    tcase_add_test(tc, test_file_too_big);
    tcase_add_test(tc, test_file_at_limit);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    find_tests_dir();
    list_bad_files();
    if (n_bad_files < 40) {
        fprintf(stderr, "only %d bad_*.yaml files found\n", n_bad_files);
        return EXIT_FAILURE;
    }
    int rc = bo_test_run(config_suite());
    for (int i = 0; i < n_bad_files; i++)
        free(bad_files[i]);
    return rc;
}
