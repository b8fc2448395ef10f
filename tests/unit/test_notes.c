/*
 * The example domain of issue 14 ("Platform", item 2): tests/domains/notes,
 * built only into this program and added to the table of domains before
 * the first book is opened (bo__domains_add, the registration a domain
 * outside the library's own table uses). Nothing else knows it: the schema
 * runner makes its table, the YAML loader applies its section, the
 * permission names take its permission, the full audit verification covers
 * its table and the copier copies it, all by iterating the table.
 */
#include "testutil.h"
#include "book/domains.h"
#include "notes/notes.h"

#include <stdlib.h>
#include <string.h>

static const char YAML[] =
    "book: { name: Notes, base_currency: USD }\n"
    "accounts:\n"
    "  - { code: '1000', name: Cash, type: asset }\n"
    "roles:\n"
    "  scribe: [notes.write, ledger.read]\n"
    "actors:\n"
    "  ann: [scribe]\n"
    "notes:\n"
    "  - { code: welcome, body: First note }\n"
    "  - { code: second, body: Another }\n";

static bo_book *yaml_book(const char *stem, char **uri)
{
    bo_book *b = NULL;
    *uri = bo_test_path(stem);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, YAML, strlen(YAML), *uri, &o));
    return b;
}

static int64_t count_notes(bo_book *b)
{
    /* No public listing: count through the store, as the domain would. */
    bo__stmt *s;
    ck_assert_int_eq(bo__stmt_get(b->store, "SELECT COUNT(*) FROM notes", &s), 0);
    ck_assert_int_eq(bo__stmt_step(s), BO_DRIVER_ROW);
    int64_t n = bo__stmt_col_int(s, 0);
    bo__stmt_done(s);
    return n;
}

/* The YAML section, the table and the audited writes of a domain the
 * library does not list. */
START_TEST(platform_notes_domain_yaml_table_audit)
{
    char *uri;
    bo_book *b = yaml_book("notes_yaml", &uri);
    ck_assert_int_eq(count_notes(b), 2);
    /* Written by the section through the domain's own call: its cache. */
    ck_assert_int_eq(bo__notes_added(b), 2);
    /* Its part made the book reach the version after the library's. */
    ck_assert_int_eq(bo__schema_version(), BO__NOTES_SCHEMA_VERSION);
    /* The full verification knows its kind and its action. */
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_assert_ok(bo__notes_add(b, "third", "Yet another"));
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    /* A bad section names the file position and leaves no book. */
    char *uri2 = bo_test_path("notes_bad");
    static const char BAD[] =
        "book: { name: Bad, base_currency: USD }\n"
        "accounts:\n"
        "  - { code: '1000', name: Cash, type: asset }\n"
        "notes:\n"
        "  - { code: x, title: nope }\n";
    bo_book *bad = NULL;
    bo_assert_err(bo_book_create_from_yaml_string(&bad, BAD, strlen(BAD), uri2, NULL),
                  BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "unknown key 'title' in notes[0]"));
    ck_assert_ptr_null(bad);
    bo_test_book_free(b);
    free(uri);
    free(uri2);
}
END_TEST

/* Its permission is a name like any other: granted through a role, named
 * when missing, refused when misspelt. */
START_TEST(platform_notes_domain_permission)
{
    char *uri;
    bo_book *b = yaml_book("notes_perm", &uri);
    ck_assert_int_eq(bo_actor_can(b, "notes.write"), 1);
    bo_assert_ok(bo_book_set_actor(b, "ann"));
    ck_assert_int_eq(bo_actor_can(b, "notes.write"), 1);
    bo_assert_ok(bo__notes_add(b, "ann1", "by ann"));
    bo_assert_ok(bo_book_set_actor(b, "nobody"));
    bo_assert_err(bo__notes_add(b, "nope", "denied"), BO_EDENIED);
    ck_assert_str_eq(bo_error_message(),
                     "permission denied: actor 'nobody' lacks notes.write");
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    bo_assert_err(bo_role_define(b, "bad", "notes.read"), BO_EINVAL);
    ck_assert_str_eq(bo_error_message(), "permissions: unknown permission 'notes.read'");
    bo_assert_err(bo__notes_add(b, "ann1", "again"), BO_EEXISTS);
    ck_assert_int_eq(count_notes(b), 3);
    bo_test_book_free(b);
    free(uri);
}
END_TEST

/* A direct edit of its table is found and named by the full verification. */
START_TEST(platform_notes_domain_tamper_named)
{
    char *uri;
    bo_book *b = yaml_book("notes_tamper", &uri);
    bo_assert_ok(bo_audit_verify_full(b, NULL, NULL));
    bo_test_raw_sql(uri, "UPDATE notes SET body = 'forged' WHERE code = 'second'");
    int64_t bad = -1;
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "notes"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "second"));
    bo_test_book_free(b);
    free(uri);
}
END_TEST

/* The copier copies its table with the others. */
START_TEST(platform_notes_domain_copied)
{
    char *uri;
    bo_book *b = yaml_book("notes_copy_from", &uri);
    bo_book_free(b);
    char *to = bo_test_path("notes_copy_to");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    bo_assert_ok(bo_book_copy(uri, to, &o, NULL, NULL));
    bo_book *c = NULL;
    bo_assert_ok(bo_book_open(&c, to, &o));
    ck_assert_int_eq(count_notes(c), 2);
    bo_assert_ok(bo_audit_verify_full(c, NULL, NULL));
    bo_test_book_free(c);
    free(uri);
    free(to);
}
END_TEST

/* The table of domains is fixed once a book is open. */
START_TEST(platform_notes_domain_added_late_refused)
{
    bo_book *b = bo_test_book("notes_late");
    static const bo__domain late = { .name = "late" };
    bo_assert_err(bo__domains_add(&late), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "domain late:"));
    bo_test_book_free(b);
}
END_TEST

static void on_note(const char *event, int64_t id, void *user)
{
    (void)id;
    if (strcmp(event, "note.added") == 0)
        (*(int *)user)++;
}

/* Its event is delivered after commit like the library's own. */
START_TEST(platform_notes_domain_event)
{
    bo_book *b = bo_test_book("notes_event");
    int seen = 0;
    bo_assert_ok(bo_event_subscribe(b, "note.added", on_note, &seen, NULL, NULL));
    bo_assert_ok(bo__notes_add(b, "n1", "body"));
    ck_assert_int_eq(seen, 1);
    bo_test_book_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("notes");
    TCase *tc = tcase_create("notes");
    tcase_add_test(tc, platform_notes_domain_yaml_table_audit);
    tcase_add_test(tc, platform_notes_domain_permission);
    tcase_add_test(tc, platform_notes_domain_added_late_refused);
    tcase_add_test(tc, platform_notes_domain_event);
    suite_add_tcase(s, tc);
    TCase *re = tcase_create("notes_reopen");
    tcase_set_tags(re, BO_TEST_TAG_REOPEN);
    tcase_add_test(re, platform_notes_domain_tamper_named);
    tcase_add_test(re, platform_notes_domain_copied);
    suite_add_tcase(s, re);
    return s;
}

int main(void)
{
    /* The one line that makes notes a domain of this program's books. */
    if (bo__domains_add(&bo__domain_notes) != 0)
        return 1;
    return bo_test_run(suite());
}
