/* Roles against a careless or hostile user (issue 12, item 13): an actor
 * hands out only what it holds, so only an owner grants (or takes) the
 * owner role, and a denial always names the permission, the copy's too.
 * Every refusal: BO_EDENIED, the permission named, nothing changed. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *path;
static bo_book *book;

static bo_book *open_as(const char *actor, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static void setup(void)
{
    path = bo_test_path("sectrust");
    book = open_as("olivia", 1); /* the owner */
    bo_assert_ok(bo_role_define(book, "admin", "book.admin ledger.read"));
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read ledger.post"));
    bo_assert_ok(bo_role_grant(book, "adam", "admin"));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static int64_t audit_seq(void)
{
    int64_t seq;
    char h[65];
    const char *actor = bo_book_actor(book);
    char keep[64];
    snprintf(keep, sizeof keep, "%s", actor ? actor : "");
    bo_assert_ok(bo_book_set_actor(book, "olivia"));
    bo_assert_ok(bo_audit_head(book, &seq, h, sizeof h));
    bo_assert_ok(bo_book_set_actor(book, keep));
    return seq;
}

/* Who holds which roles, as "actor:role;...", listed by owner as. */
static void grants_are(const char *as, const char *want)
{
    char got[512] = "";
    bo_assert_ok(bo_book_set_actor(book, as));
    bo_cursor *c;
    bo_assert_ok(bo_role_list(book, &c));
    while (bo_cursor_next(c) == 0) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s:%s;", bo_cursor_text(c, 0),
                 bo_cursor_text(c, 1));
    }
    bo_cursor_free(c);
    ck_assert_str_eq(got, want);
}

static void denied_naming(int rc, const char *permission)
{
    bo_assert_err(rc, BO_EDENIED);
    ck_assert_msg(strstr(bo_error_message(), permission), "'%s' lacks %s",
                  bo_error_message(), permission);
    ck_assert_ptr_null(strstr(bo_error_message(), "?"));
}

START_TEST(trust_owner_grants_owner)
{
    static const char before[] = "adam:admin;olivia:owner;";
    grants_are("olivia", before);
    int64_t seq = audit_seq();
    /* A book.admin who is not an owner cannot make anyone an owner, nor
     * take the role from one. */
    bo_assert_ok(bo_book_set_actor(book, "adam"));
    denied_naming(bo_role_grant(book, "adam", "owner"), "lacks *");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "only an owner"));
    denied_naming(bo_role_grant(book, "mallory", "owner"), "lacks *");
    denied_naming(bo_role_revoke(book, "olivia", "owner"), "lacks *");
    /* Nor go round it: a role with what the admin lacks can be neither
     * defined nor granted by it. */
    denied_naming(bo_role_define(book, "boss", "*"), "lacks *");
    denied_naming(bo_role_define(book, "admin", "book.admin ledger.read ledger.post"),
                  "lacks ledger.post");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "role 'admin'"));
    denied_naming(bo_role_grant(book, "adam", "clerk"), "lacks ledger.post");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "grant role 'clerk'"));
    ck_assert_int_eq(audit_seq(), seq);
    grants_are("olivia", before);
    /* What the admin holds it may hand out. */
    bo_assert_ok(bo_book_set_actor(book, "adam"));
    bo_assert_ok(bo_role_define(book, "reader", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    /* An owner grants owner, and takes it back. */
    bo_assert_ok(bo_book_set_actor(book, "olivia"));
    bo_assert_ok(bo_role_grant(book, "otto", "owner"));
    bo_assert_ok(bo_book_set_actor(book, "otto"));
    bo_assert_ok(bo_role_grant(book, "adam", "clerk"));
    bo_assert_ok(bo_role_revoke(book, "olivia", "owner"));
    grants_are("otto", "adam:admin;adam:clerk;otto:owner;rita:reader;");
}
END_TEST

/* The copy is refused naming every permission the actor lacks (it was
 * "lacks ?"), and no destination is made. */
START_TEST(trust_copy_denial_names_permission)
{
    bo_assert_ok(bo_role_grant(book, "carl", "clerk"));
    bo_book_free(book);
    book = NULL;
    char *to = bo_test_file("sectrust-copy");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "carl";
    o.sync = BO_SYNC_OFF;
    int rc = bo_book_copy(path, to, &o, NULL, NULL);
    denied_naming(rc, "book.admin");
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "audit.read"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "carl"));
    ck_assert_ptr_null(strstr(bo_error_message(), "ledger.read")); /* carl has it */
    ck_assert_int_ne(access(to, F_OK), 0);
    o.actor = "adam"; /* book.admin and ledger.read, no audit.read */
    denied_naming(bo_book_copy(path, to, &o, NULL, NULL), "lacks audit.read");
    ck_assert_ptr_null(strstr(bo_error_message(), "book.admin"));
    ck_assert_int_ne(access(to, F_OK), 0);
    free(to);
    book = open_as("olivia", 0);
}
END_TEST

/* Any denial names what is missing, even for a call needing several. */
START_TEST(trust_denial_names_every_missing_permission)
{
    bo_book_free(book);
    book = NULL;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.sync = BO_SYNC_OFF;
    o.actor = NULL;
    char *to = bo_test_file("sectrust-copy2");
    bo_book_options n = o;
    n.actor = "nobody";
    denied_naming(bo_book_copy(path, to, &n, NULL, NULL),
                  "lacks ledger.read and audit.read and book.admin");
    free(to);
    book = open_as("olivia", 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("security_trust");
    TCase *t = tcase_create("security_trust");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_owner_grants_owner);
    suite_add_tcase(s, t);
    t = tcase_create("security_trust_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_copy_denial_names_permission);
    tcase_add_test(t, trust_denial_names_every_missing_permission);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
