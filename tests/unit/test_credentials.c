/* The actors' access tokens (backoffice/security.h): made once, checked,
 * revoked, never stored, bad input refused without a change, and an edited
 * token row found by the full verification. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *path;
static bo_book *book;

static void setup(void)
{
    path = bo_test_path("credentials");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "olivia";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    bo_assert_ok(bo_role_define(book, "viewer", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "clerk", "viewer"));
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

/* The audit chain's last record, read as the owner. */
static int64_t head(void)
{
    int64_t seq = 0;
    char hex[65], actor[BO_NAME_MAX + 1] = "";
    const char *was = bo_book_actor(book);
    if (was)
        snprintf(actor, sizeof actor, "%s", was);
    bo_assert_ok(bo_book_set_actor(book, "olivia"));
    bo_assert_ok(bo_audit_head(book, &seq, hex, sizeof hex));
    bo_assert_ok(bo_book_set_actor(book, was ? actor : NULL));
    return seq;
}

static int ntokens(void)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_actor_tokens(book, &c));
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

#define MSG_HAS(s) ck_assert_msg(strstr(bo_error_message(), (s)) != NULL, \
                                 "message '%s' lacks '%s'", bo_error_message(), (s))

START_TEST(token_create_check_revoke)
{
    char tok[BO_ACTOR_TOKEN_LEN + 1], who[BO_NAME_MAX + 1];
    int64_t id = 0, got = 0;
    bo_assert_ok(bo_actor_token_create(book, "olivia", "dashboard", &id, tok, sizeof tok));
    ck_assert_int_gt(id, 0);
    ck_assert_uint_eq(strlen(tok), BO_ACTOR_TOKEN_LEN);
    ck_assert(strncmp(tok, "bot_", 4) == 0);
    bo_assert_ok(bo_actor_token_check(book, tok, &got, who, sizeof who));
    ck_assert_str_eq(who, "olivia");
    ck_assert_int_eq(got, id);
    /* two tokens are never the same */
    char tok2[BO_ACTOR_TOKEN_LEN + 1];
    int64_t id2;
    bo_assert_ok(bo_actor_token_create(book, "clerk", "front desk", &id2, tok2, sizeof tok2));
    ck_assert_str_ne(tok, tok2);
    bo_assert_ok(bo_actor_token_check(book, tok2, NULL, who, sizeof who));
    ck_assert_str_eq(who, "clerk");
    ck_assert_int_eq(ntokens(), 2);
    /* revoked: it authenticates nobody, the other one still does */
    bo_assert_ok(bo_actor_token_revoke(book, id));
    bo_assert_err(bo_actor_token_check(book, tok, &got, who, sizeof who), BO_EDENIED);
    MSG_HAS("token");
    ck_assert_str_eq(who, "");
    ck_assert_int_eq(got, 0);
    bo_assert_ok(bo_actor_token_check(book, tok2, NULL, who, sizeof who));
    /* a token one digit off is nobody's */
    tok2[10] = tok2[10] == 'a' ? 'b' : 'a';
    bo_assert_err(bo_actor_token_check(book, tok2, NULL, who, sizeof who), BO_EDENIED);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(token_bad_input_changes_nothing)
{
    char tok[BO_ACTOR_TOKEN_LEN + 1], who[BO_NAME_MAX + 1];
    int64_t id = 0;
    bo_assert_ok(bo_actor_token_create(book, "olivia", "dashboard", &id, tok, sizeof tok));
    int64_t seq = head();
    char out[BO_ACTOR_TOKEN_LEN + 1];
    int64_t nid = 7;
    char small[BO_ACTOR_TOKEN_LEN];
    bo_assert_err(bo_actor_token_create(book, "nobody", "x", &nid, out, sizeof out),
                  BO_ENOTFOUND);
    MSG_HAS("actor");
    MSG_HAS("nobody");
    ck_assert_int_eq(nid, 0);
    bo_assert_err(bo_actor_token_create(book, "olivia", "", NULL, out, sizeof out), BO_EINVAL);
    MSG_HAS("label");
    bo_assert_err(bo_actor_token_create(book, "olivia", NULL, NULL, out, sizeof out),
                  BO_EINVAL);
    MSG_HAS("label");
    char longlabel[BO_ACTOR_TOKEN_LABEL_MAX + 2];
    memset(longlabel, 'x', sizeof longlabel - 1);
    longlabel[sizeof longlabel - 1] = '\0';
    bo_assert_err(bo_actor_token_create(book, "olivia", longlabel, NULL, out, sizeof out),
                  BO_ETOOLONG);
    MSG_HAS("label");
    bo_assert_err(bo_actor_token_create(book, "bad actor", "x", NULL, out, sizeof out),
                  BO_EINVAL);
    MSG_HAS("actor");
    bo_assert_err(bo_actor_token_create(book, "olivia", "x", NULL, small, sizeof small),
                  BO_EINVAL);
    MSG_HAS("token_out");
    bo_assert_err(bo_actor_token_check(book, "bot_123", NULL, who, sizeof who), BO_EINVAL);
    MSG_HAS("token");
    bo_assert_err(bo_actor_token_check(book, NULL, NULL, who, sizeof who), BO_EINVAL);
    MSG_HAS("token");
    bo_assert_err(bo_actor_token_check(book, tok, NULL, who, 8), BO_EINVAL);
    MSG_HAS("actor_out");
    /* upper-case digits are not the token's form */
    char upper[BO_ACTOR_TOKEN_LEN + 1];
    memcpy(upper, tok, sizeof upper);
    for (char *p = upper + 4; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    if (strcmp(upper, tok) != 0)
        bo_assert_err(bo_actor_token_check(book, upper, NULL, who, sizeof who), BO_EINVAL);
    bo_assert_err(bo_actor_token_revoke(book, 0), BO_EINVAL);
    MSG_HAS("id");
    bo_assert_err(bo_actor_token_revoke(book, id + 100), BO_ENOTFOUND);
    MSG_HAS("id");
    /* nothing was written */
    ck_assert_int_eq(head(), seq);
    ck_assert_int_eq(ntokens(), 1);
    bo_assert_ok(bo_actor_token_check(book, tok, NULL, who, sizeof who));
    /* revoked twice: the second is refused, changing nothing */
    bo_assert_ok(bo_actor_token_revoke(book, id));
    seq = head();
    bo_assert_err(bo_actor_token_revoke(book, id), BO_ESTATE);
    MSG_HAS("revoked");
    ck_assert_int_eq(head(), seq);
}
END_TEST

START_TEST(token_for_another_actor_needs_an_owner)
{
    char tok[BO_ACTOR_TOKEN_LEN + 1], who[BO_NAME_MAX + 1];
    int64_t owner_id, own_id;
    bo_assert_ok(bo_actor_token_create(book, "olivia", "mine", &owner_id, tok, sizeof tok));
    bo_assert_ok(bo_book_set_actor(book, "clerk"));
    int64_t seq = head();
    /* the clerk cannot make a token that is olivia, nor revoke hers */
    bo_assert_err(bo_actor_token_create(book, "olivia", "steal", NULL, tok, sizeof tok),
                  BO_EDENIED);
    MSG_HAS("olivia");
    bo_assert_err(bo_actor_token_revoke(book, owner_id), BO_EDENIED);
    ck_assert_int_eq(head(), seq);
    /* its own, yes; and it lists only its own */
    bo_assert_ok(bo_actor_token_create(book, "clerk", "desk", &own_id, tok, sizeof tok));
    ck_assert_int_eq(ntokens(), 1);
    bo_assert_ok(bo_actor_token_check(book, tok, NULL, who, sizeof who));
    ck_assert_str_eq(who, "clerk");
    bo_assert_ok(bo_actor_token_revoke(book, own_id));
    /* without an actor: nothing */
    bo_assert_ok(bo_book_set_actor(book, NULL));
    bo_assert_err(bo_actor_token_create(book, "clerk", "desk", NULL, tok, sizeof tok),
                  BO_EDENIED);
    bo_cursor *c = NULL;
    bo_assert_err(bo_actor_tokens(book, &c), BO_EDENIED);
    /* the owner sees and revokes everyone's */
    bo_assert_ok(bo_book_set_actor(book, "olivia"));
    ck_assert_int_eq(ntokens(), 2);
}
END_TEST

START_TEST(token_never_stored)
{
    char tok[BO_ACTOR_TOKEN_LEN + 1];
    bo_assert_ok(bo_actor_token_create(book, "olivia", "dashboard", NULL, tok, sizeof tok));
    bo_book_free(book);
    book = NULL;
    ck_assert_int_eq(bo_test_store_has(path, tok + 4), 0);
    ck_assert_int_eq(bo_test_raw_int(path, "SELECT COUNT(*) FROM actor_tokens"), 1);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "olivia";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    char who[BO_NAME_MAX + 1];
    bo_assert_ok(bo_actor_token_check(book, tok, NULL, who, sizeof who));
}
END_TEST

START_TEST(token_edit_found_by_verify)
{
    char tok[BO_ACTOR_TOKEN_LEN + 1];
    int64_t id;
    bo_assert_ok(bo_actor_token_create(book, "clerk", "desk", &id, tok, sizeof tok));
    bo_assert_ok(bo_actor_token_revoke(book, id));
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    /* un-revoking a token by hand, or giving it to another actor */
    bo_test_raw_sql(path, "UPDATE actor_tokens SET revoked_at = NULL");
    bo_assert_err(bo_audit_verify_full(book, NULL, NULL), BO_ECORRUPT);
    MSG_HAS("actor_tokens");
    bo_test_raw_sql(path, "UPDATE actor_tokens SET revoked_at = created_at,"
                    " actor = 'olivia'");
    bo_assert_err(bo_audit_verify_full(book, NULL, NULL), BO_ECORRUPT);
    MSG_HAS("actor_tokens");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("credentials");
    TCase *t = tcase_create("credentials");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, token_create_check_revoke);
    tcase_add_test(t, token_bad_input_changes_nothing);
    tcase_add_test(t, token_for_another_actor_needs_an_owner);
    suite_add_tcase(s, t);
    t = tcase_create("credentials_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, token_never_stored);
    tcase_add_test(t, token_edit_found_by_verify);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
