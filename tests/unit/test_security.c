/* Actors, roles, deny-by-default, the audit chain under tampering, schema
 * versions, the allocator hook and driver registration. */
#include "testutil.h"

#include "backoffice/sys/driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *path;
static bo_book *book;

static void setup(void)
{
    path = bo_test_path("security");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "olivia";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    bo_test_chart(book);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static bo_book *open_as(const char *actor)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static void raw_sql(const char *sql)
{
    bo_test_raw_sql(path, sql);
}

/* Calls that create or reverse the same record for every permitted actor:
 * after the first, BO_EEXISTS is the data's answer, not a denial. */
static const char recreates[] = { 9, 10, 15, 16 };

/* Every ledger call for one actor: 1 allowed, 0 denied (BO_EDENIED with a
 * message naming the permission). */
static int try_call(bo_book *b, int which)
{
    bo_cursor *c = NULL;
    int64_t v;
    bo_date d = 20454; /* 2026-01-01 */
    bo_entry *e;
    int rc;
    switch (which) {
    case 0: rc = bo_ledger_accounts(b, &c); break;
    case 1: rc = bo_ledger_balance(b, "1000", d, NULL, &v); break;
    case 2: rc = bo_ledger_trial_balance(b, d, &c); break;
    case 3: rc = bo_ledger_journal(b, NULL, d, d, &c); break;
    case 4: rc = bo_ledger_balance_sheet(b, d, &c); break;
    case 5: rc = bo_ledger_income_statement(b, d, d, &c); break;
    case 6: rc = bo_ledger_periods(b, &c); break;
    case 7: rc = bo_ledger_entry(b, 1, &c); break;
    case 8:
        bo_assert_ok(bo_entry_new(&e, d, "m"));
        bo_entry_add(e, "1000", 1, NULL, NULL);
        bo_entry_add(e, "3000", -1, NULL, NULL);
        rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        break;
    case 9: rc = bo_ledger_account_add(b, "9100", "x", BO_ACCOUNT_ASSET, NULL, NULL); break;
    case 10: rc = bo_ledger_period_add(b, "p2030", 21915, 21945); break;
    case 11: rc = bo_audit_verify(b, NULL); break;
    case 12: { char h[65]; rc = bo_audit_head(b, &v, h, sizeof h); break; }
    case 13: rc = bo_audit_list(b, 1, &c); break;
    case 14: rc = bo_role_list(b, &c); break;
    case 15: rc = bo_role_define(b, "tmp", "ledger.read"); break;
    case 16: rc = bo_ledger_reverse(b, 1, d, NULL, NULL); break;
    default: rc = BO_ERROR;
    }
    bo_cursor_free(c);
    if (rc == BO_EDENIED) {
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "permission denied"));
        return 0;
    }
    /* Allowed means the call did its work: any other error is a failure of
     * the test, never counted as "allowed". The only refusals a permitted
     * actor may meet here are the ones the data explains: entry 1 reversed
     * already, a role or period or account created by an earlier actor. */
    ck_assert_msg(rc >= 0 || (rc == BO_EEXISTS && memchr(recreates, which, sizeof recreates)),
                  "call %d: neither allowed nor denied: %d %s", which, rc,
                  bo_error_message());
    return 1;
}

#define NCALLS 17
/* needs: R read, P post, A ledger admin, U audit, B book admin */
static const char needs[NCALLS] = "RRRRRRRRPAAUUUBBP";

START_TEST(access_matrix)
{
    bo_test_post2(book, "2026-01-01", "1000", "3000", 5); /* entry 1 */
    bo_assert_ok(bo_role_define(book, "reader", "ledger.read"));
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read, ledger.post"));
    bo_assert_ok(bo_role_define(book, "accountant", "ledger.read ledger.post ledger.admin"));
    bo_assert_ok(bo_role_define(book, "auditor", "audit.read"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    bo_assert_ok(bo_role_grant(book, "carl", "clerk"));
    bo_assert_ok(bo_role_grant(book, "anna", "accountant"));
    bo_assert_ok(bo_role_grant(book, "aude", "auditor"));
    struct { const char *actor; const char *has; } who[] = {
        { "nobody", "" }, { "rita", "R" }, { "carl", "RP" }, { "anna", "RPA" },
        { "aude", "U" }, { "olivia", "RPAUB" },
    };
    int denied = 0, allowed = 0;
    for (size_t w = 0; w < sizeof who / sizeof *who; w++) {
        bo_book *b = open_as(who[w].actor);
        for (int call = 0; call < NCALLS; call++) {
            int expect = strchr(who[w].has, needs[call]) != NULL;
            int got = try_call(b, call);
            ck_assert_msg(got == expect, "%s call %d: got %d expected %d (%s)",
                          who[w].actor, call, got, expect, bo_error_message());
            denied += !got;
            allowed += got;
        }
        bo_book_free(b);
    }
    ck_assert_int_gt(denied, 40);
    ck_assert_int_gt(allowed, 30);
    /* an actor-less handle can do nothing */
    bo_book *b = open_as(NULL);
    for (int call = 0; call < NCALLS; call++)
        ck_assert_int_eq(try_call(b, call), 0);
    bo_book_free(b);
}
END_TEST

START_TEST(roles_admin)
{
    bo_assert_err(bo_role_define(book, "x", "ledger.read ledger.fly"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "ledger.fly"));
    bo_assert_err(bo_role_define(book, "owner", "ledger.read"), BO_EINVAL);
    bo_assert_err(bo_role_grant(book, "bob", "ghost"), BO_ENOTFOUND);
    bo_assert_err(bo_role_revoke(book, "bob", "owner"), BO_ENOTFOUND);
    bo_assert_err(bo_role_revoke(book, "olivia", "owner"), BO_ESTATE);
    bo_assert_ok(bo_role_grant(book, "otto", "owner"));
    bo_assert_ok(bo_role_revoke(book, "olivia", "owner"));
    ck_assert_int_eq(bo_actor_can(book, "ledger.read"), 0);
    bo_assert_ok(bo_book_set_actor(book, "otto"));
    ck_assert_int_eq(bo_actor_can(book, "book.admin"), 1);
    bo_assert_err(bo_actor_can(book, "no.such"), BO_EINVAL);
    bo_assert_err(bo_book_set_actor(book, "has space"), BO_EINVAL);
    /* grants changed by another handle take effect at once */
    bo_book *other = open_as("otto");
    bo_assert_ok(bo_role_define(other, "r", "ledger.read"));
    bo_assert_ok(bo_role_grant(other, "zed", "r"));
    bo_assert_ok(bo_book_set_actor(book, "zed"));
    ck_assert_int_eq(bo_actor_can(book, "ledger.read"), 1);
    bo_assert_ok(bo_role_revoke(other, "zed", "r"));
    bo_cursor *c;
    bo_assert_err(bo_ledger_accounts(book, &c), BO_EDENIED);
    bo_book_free(other);
}
END_TEST

START_TEST(audit_detects_tampering)
{
    for (int i = 0; i < 5; i++)
        bo_test_post2(book, "2026-01-02", "1000", "4000", 100 + i);
    int64_t bad = -1, seq;
    char head[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_verify(book, &bad));
    ck_assert_int_eq(bad, 0);
    bo_assert_ok(bo_audit_head(book, &seq, head, sizeof head));
    ck_assert_int_eq(strlen(head), 64);
    ck_assert_int_gt(seq, 10);

    /* change one byte of a record's detail */
    raw_sql("CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = 11;"
            "UPDATE audit_log SET detail = detail || ' ' WHERE seq = 11");
    bo_assert_err(bo_audit_verify(book, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 11);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "record 11"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "altered"));
    raw_sql("UPDATE audit_log SET detail = (SELECT detail FROM saved) WHERE seq = 11;"
            "DROP TABLE saved");
    bo_assert_ok(bo_audit_verify(book, NULL));

    /* delete a record */
    raw_sql("CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = 9");
    raw_sql("DELETE FROM audit_log WHERE seq = 9");
    bo_assert_err(bo_audit_verify(book, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 9);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "missing"));
    raw_sql("INSERT INTO audit_log SELECT * FROM saved; DROP TABLE saved");
    bo_assert_ok(bo_audit_verify(book, NULL));

    /* swap two records' contents (reorder) */
    raw_sql("UPDATE audit_log SET seq = -1 WHERE seq = 12;"
            "UPDATE audit_log SET seq = 12 WHERE seq = 13;"
            "UPDATE audit_log SET seq = 13 WHERE seq = -1");
    bo_assert_err(bo_audit_verify(book, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 12);
    raw_sql("UPDATE audit_log SET seq = -1 WHERE seq = 12;"
            "UPDATE audit_log SET seq = 12 WHERE seq = 13;"
            "UPDATE audit_log SET seq = 13 WHERE seq = -1");
    bo_assert_ok(bo_audit_verify(book, NULL));

    /* insert a forged record in the middle (renumbering those after it) */
    raw_sql("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 10;"
            "UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1010;"
            "INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash,"
            " hash) SELECT 10, at, actor, action, object, 'forged',"
            " prev_hash, hash FROM audit_log WHERE seq = 11");
    bo_assert_err(bo_audit_verify(book, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 10);

    /* the listing still shows the records */
    bo_cursor *c;
    bo_assert_ok(bo_audit_list(book, 1, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 0), 1);
    ck_assert_str_eq(bo_cursor_text(c, 3), "book.create");
    bo_cursor_free(c);
}
END_TEST

START_TEST(newer_schema_refused)
{
    bo_book_free(book);
    book = NULL;
    raw_sql("UPDATE bo_meta SET value = '999' WHERE key = 'schema_version'");
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, path, NULL), BO_ESCHEMA);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "999"));
    ck_assert_ptr_null(b);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE bo_meta SET value = '%d' WHERE key = "
             "'schema_version'", bo_book_schema_version());
    raw_sql(sql);
    book = open_as("olivia");
}
END_TEST

START_TEST(open_errors)
{
    bo_book *b = NULL;
    char *p = bo_test_path("missing");
    bo_assert_err(bo_book_open(&b, p, NULL), BO_ENOTFOUND);
    free(p);
    bo_assert_err(bo_book_open(&b, "nosuch:thing", NULL), BO_EDRIVER);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "nosuch"));
    bo_assert_err(bo_book_open(&b, "sqlite:", NULL), BO_EINVAL);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.create = 1;
    bo_assert_err(bo_book_open(&b, "sqlite::memory:", &o), BO_EINVAL); /* no actor */
    o.actor = "me";
    o.base_currency = "XX";
    bo_assert_err(bo_book_open(&b, "sqlite::memory:", &o), BO_ECURRENCY);
    o.base_currency = "JPY";
    bo_assert_ok(bo_book_open(&b, "sqlite::memory:", &o));
    ck_assert_str_eq(bo_book_base_currency(b), "JPY");
    ck_assert_str_eq(bo_book_uri(b), "sqlite::memory:");
    ck_assert_str_eq(bo_book_actor(b), "me");
    bo_assert_ok(bo_book_set_name(b, "Ünïcode shop"));
    ck_assert_str_eq(bo_book_name(b), "Ünïcode shop");
    bo_book_free(b);
    o.version = 99;
    bo_assert_err(bo_book_open(&b, "sqlite::memory:", &o), BO_EINVAL);
    bo_assert_err(bo_book_options_init(&o, 99), BO_EINVAL);
    bo_assert_ok(bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION));
    ck_assert_int_eq(o.busy_timeout_ms, 5000);
    bo_book_free(NULL);
    ck_assert_str_eq(bo_version(), "0.3.0");
    ck_assert_int_eq(bo_version_number(), BO_VERSION_NUMBER);
    ck_assert_str_eq(bo_error_name(BO_EUNBALANCED), "unbalanced entry");
    ck_assert_str_eq(bo_error_name(12345), "unknown error");
}
END_TEST

START_TEST(name_survives_reopen)
{
    bo_assert_ok(bo_book_set_name(book, "Corner Shop"));
    bo_book_free(book);
    book = open_as("olivia");
    ck_assert_str_eq(bo_book_name(book), "Corner Shop");
    ck_assert_str_eq(bo_book_base_currency(book), "USD");
}
END_TEST

static int post_one(bo_book *b, int64_t amount);

/* ---- allocator hook --------------------------------------------------- */

static long allocs, fail_at;
static void *t_malloc(void *ud, size_t n)
{
    (void)ud;
    if (fail_at && ++allocs >= fail_at)
        return NULL;
    return malloc(n);
}
static void *t_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    if (fail_at && ++allocs >= fail_at)
        return NULL;
    return realloc(p, n);
}
static void t_free(void *ud, void *p) { (void)ud; free(p); }

START_TEST(allocator_hook_and_oom)
{
    bo_book_free(book);
    book = NULL;
    bo_allocator a = { BO_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free, NULL };
    bo_assert_ok(bo_set_allocator(&a));
    /* counting pass: everything, SQLite included, goes through the hook */
    allocs = 0;
    fail_at = 1L << 40;
    bo_book *b = open_as("olivia");
    long used = allocs;
    ck_assert_int_gt(used, 10);
    bo_assert_err(bo_set_allocator(NULL), BO_ESTATE); /* a book is open */
    bo_book_free(b);
    /* count open + post, then fail the k-th allocation along them for
     * every k: the loop must reach the post (failures after the book
     * opened), not only the open */
    allocs = 0;
    fail_at = 1L << 40;
    b = open_as("olivia");
    long opened = allocs;
    bo_assert_ok(post_one(b, 1));
    long total = allocs;
    bo_book_free(b);
    ck_assert_int_gt(total, opened);
    int failures = 0, post_failures = 0;
    int64_t posted = 1;
    for (long k = 1; k <= total + 5; k++) {
        allocs = 0;
        fail_at = k;
        bo_book_options o = BO_BOOK_OPTIONS_INIT;
        o.actor = "olivia";
        o.sync = BO_SYNC_OFF;
        int rc = bo_book_open(&b, path, &o);
        if (rc == 0) {
            rc = post_one(b, 1);
            if (rc)
                post_failures++;
            else
                posted++;
            bo_book_free(b);
        }
        if (rc) {
            failures++;
            ck_assert_msg(rc < 0 && bo_error_message()[0], "k=%ld rc=%d", k, rc);
        }
    }
    fail_at = 0;
    bo_assert_ok(bo_set_allocator(NULL));
    ck_assert_int_gt(failures, 0);
    ck_assert_int_gt(post_failures, 0); /* the post path itself was failed */
    /* the book is intact: exactly the successful posts are in it, every one
     * balanced, and the chain verifies */
    book = open_as("olivia");
    bo_assert_ok(bo_audit_verify(book, NULL));
    int64_t cash, eq;
    bo_assert_ok(bo_ledger_balance(book, "1000", 2932896, NULL, &cash));
    bo_assert_ok(bo_ledger_balance(book, "3000", 2932896, NULL, &eq));
    ck_assert_int_eq(cash, -eq);
    ck_assert_int_eq(cash, posted);
    bo_assert_err(bo_set_allocator(&a), BO_ESTATE);
    bo_assert_err(bo_set_allocator(&(bo_allocator){ 7, t_malloc, t_realloc, t_free, NULL }),
                  BO_EINVAL);
}
END_TEST


/* Two handles on one store take turns: each must see the other's commits
 * (balances, chain head) although it keeps what it learnt between its own
 * transactions. */
START_TEST(two_handles_take_turns)
{
    bo_book *other = open_as("olivia");
    int64_t expect = 0;
    for (int i = 0; i < 50; i++) {
        bo_book *b = (i % 3 == 0) ? other : book;
        bo_assert_ok(post_one(b, i + 1));
        expect += i + 1;
        if (i % 7 == 0) { /* a transaction of several, then a rollback */
            bo_assert_ok(bo_book_begin(b));
            bo_assert_ok(post_one(b, 1000));
            bo_assert_ok(bo_book_rollback(b));
        }
        int64_t v1, v2;
        bo_assert_ok(bo_ledger_balance(book, "1000", BO_DATE_MAX, NULL, &v1));
        bo_assert_ok(bo_ledger_balance(other, "1000", BO_DATE_MAX, NULL, &v2));
        ck_assert_int_eq(v1, expect);
        ck_assert_int_eq(v2, expect);
    }
    bo_assert_ok(bo_audit_verify(book, NULL));
    bo_cursor *c;
    bo_assert_ok(bo_ledger_trial_balance(book, BO_DATE_MAX, &c));
    int64_t d = 0, cr = 0;
    while (bo_cursor_next(c) == 0) {
        d += bo_cursor_int(c, 4);
        cr += bo_cursor_int(c, 5);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(d, expect);
    ck_assert_int_eq(cr, expect);
    bo_book_free(other);
}
END_TEST

static int post_one(bo_book *b, int64_t amount)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, 20454, "oom");
    if (!rc) rc = bo_entry_add(e, "1000", amount, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, "3000", -amount, NULL, NULL);
    if (!rc) rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    return rc;
}

/* A post that fails part-way inside a host transaction marks it failed:
 * nothing more is accepted and commit rolls everything back; a post that
 * fails before writing leaves the transaction usable. Either way the book
 * ends exactly as the successful commits say. */
START_TEST(oom_inside_transaction)
{
    bo_book_free(book);
    book = NULL;
    bo_allocator a = { BO_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free, NULL };
    bo_assert_ok(bo_set_allocator(&a));
    fail_at = 0;
    bo_book *b = open_as("olivia");
    int64_t expect = 0;
    int refused = 0, kept = 0;
    for (long k = 1; k < 200; k++) {
        fail_at = 0;
        bo_assert_ok(bo_book_begin(b));
        bo_assert_ok(post_one(b, 1));
        allocs = 0;
        fail_at = k;
        int rc = post_one(b, 100);
        fail_at = 0;
        int crc = bo_book_commit(b);
        if (crc == 0) {
            expect += 1 + (rc == 0 ? 100 : 0);
            kept += rc != 0;
        } else {
            ck_assert_int_eq(crc, BO_ESTATE);
            ck_assert_ptr_nonnull(strstr(bo_error_message(), "roll"));
            ck_assert_int_eq(bo_book_depth(b), 0);
            refused++;
        }
    }
    bo_book_free(b);
    bo_assert_ok(bo_set_allocator(NULL));
    book = open_as("olivia");
    int64_t cash;
    bo_assert_ok(bo_ledger_balance(book, "1000", 2932896, NULL, &cash));
    ck_assert_int_eq(cash, expect);
    bo_assert_ok(bo_audit_verify(book, NULL));
    ck_assert_int_gt(kept, 0);    /* failed before writing: transaction kept */
    ck_assert_int_gt(refused, 0); /* failed part-way: transaction refused */
}
END_TEST

START_TEST(driver_registry)
{
    ck_assert_ptr_nonnull(bo_driver_find("sqlite"));
    ck_assert_ptr_null(bo_driver_find("nope"));
    bo_assert_err(bo_driver_register(NULL), BO_EINVAL);
    bo_assert_err(bo_driver_register(bo_driver_find("sqlite")), BO_EEXISTS);
    bo_driver copy = *bo_driver_find("sqlite");
    copy.scheme = "Bad Scheme";
    bo_assert_err(bo_driver_register(&copy), BO_EINVAL);
    copy.scheme = "sqlite2";
    copy.version = 99;
    bo_assert_err(bo_driver_register(&copy), BO_EINVAL);
    /* the backend's own driver under another scheme */
    static bo_driver alias;
    alias = *bo_driver_find(bo_test_scheme());
    alias.scheme = "store-alias";
    bo_assert_ok(bo_driver_register(&alias));
    bo_book *b = NULL;
    char uri[4200];
    snprintf(uri, sizeof uri, "store-alias:%s", bo_test_target(path));
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "olivia";
    bo_assert_ok(bo_book_open(&b, uri, &o));
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "1000", 0, NULL, &v));
    bo_book_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("security");
    TCase *t = tcase_create("security");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, open_errors);
    suite_add_tcase(s, t);
    /* Second handles, reopens and raw SQL on the store. */
    t = tcase_create("security_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, access_matrix);
    tcase_add_test(t, roles_admin);
    tcase_add_test(t, audit_detects_tampering);
    tcase_add_test(t, newer_schema_refused);
    tcase_add_test(t, name_survives_reopen);
    tcase_add_test(t, allocator_hook_and_oom);
    tcase_add_test(t, oom_inside_transaction);
    tcase_add_test(t, two_handles_take_turns);
    tcase_add_test(t, driver_registry);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
