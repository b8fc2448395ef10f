/* Approvals: rules, pending commands, decisions, separation of duties,
 * expiry, the owner's override, conflicting roles, the YAML section, and
 * the access matrix of every approvable command. */
#include "testutil.h"

#include "core/approval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *path;
static bo_book *book; /* olivia, the owner */
static int64_t (*system_clock)(void);

static bo_book *open_as(const char *actor)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static void setup(void)
{
    system_clock = bo__approval_clock;
    path = bo_test_path("approvals");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "olivia";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    bo_test_chart(book);
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read,ledger.post,approval.read,"
                                "inventory.read,inventory.write,sales.post,billing.read,billing.post"));
    bo_assert_ok(bo_role_define(book, "manager", "ledger.read,ledger.post,approval.read,"
                                "inventory.read,inventory.write,sales.post,billing.read,"
                                "billing.post"));
    bo_assert_ok(bo_role_define(book, "auditor", "ledger.read,approval.read"));
    bo_assert_ok(bo_role_grant(book, "carl", "clerk"));
    bo_assert_ok(bo_role_grant(book, "mia", "manager"));
    bo_assert_ok(bo_role_grant(book, "mike", "manager"));
    bo_assert_ok(bo_role_grant(book, "ann", "auditor"));
}

static int64_t fake_now;
static int64_t fake_clock(void)
{
    return fake_now;
}

static void teardown(void)
{
    bo__approval_clock = system_clock;
    bo_test_book_free(book);
    book = NULL;
    free(path);
}

static void rule(const char *command, int has_min, int64_t min, const char *accounts,
                 int approvers, const char *roles)
{
    bo_approval_rule r;
    bo_assert_ok(bo_approval_rule_init(&r, BO_APPROVAL_RULE_VERSION));
    r.command = command;
    r.has_min = has_min;
    r.min_amount = min;
    r.accounts = accounts;
    r.approvers = approvers;
    r.roles = roles;
    bo_assert_ok(bo_approval_rule_set(book, &r));
}

/* Post 1000 <- 3000 for amount, with key (or NULL): the return code. */
static int post(bo_book *b, int64_t amount, const char *key, const char *debit,
                int64_t *id)
{
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, 20454, "capital"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    bo_assert_ok(bo_entry_add(e, debit, amount, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -amount, NULL, NULL));
    int rc = bo_ledger_post(b, e, id);
    bo_entry_free(e);
    return rc;
}

static int64_t balance(const char *account)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(book, account, 30000, NULL, &v));
    return v;
}

static int64_t count_sql(const char *sql)
{
    return bo_test_raw_int(path, sql);
}

/* The request's column named col, as text ("" for NULL) or int. */
static void request(int64_t id, const char *col, char *text, size_t size, int64_t *num)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_requests(book, NULL, &c));
    int found = 0, rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        if (bo_cursor_int(c, 0) != id)
            continue;
        int k = bo_cursor_column_index(c, col);
        ck_assert_int_ge(k, 0);
        if (text)
            snprintf(text, size, "%s", bo_cursor_text(c, k) ? bo_cursor_text(c, k) : "");
        if (num)
            *num = bo_cursor_int(c, k);
        found = 1;
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert(found);
}

static void assert_status(int64_t id, const char *status)
{
    char s[32];
    request(id, "status", s, sizeof s, NULL);
    ck_assert_str_eq(s, status);
}

/* A clerk's large posting: BO_EPENDING and its request id. */
static int64_t pending_post_to(bo_book *carl, int64_t amount, const char *key,
                               const char *debit)
{
    int64_t id = -1, rid = 0;
    bo_assert_err(post(carl, amount, key, debit, &id), BO_EPENDING);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "waits for approval"));
    ck_assert_int_eq(id, -1);
    bo_assert_ok(bo_approval_last(carl, &rid));
    ck_assert_int_gt(rid, 0);
    return rid;
}

static int64_t pending_post(bo_book *carl, int64_t amount, const char *key)
{
    return pending_post_to(carl, amount, key, "1000");
}

START_TEST(test_approval_entry_above_threshold_waits)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl");
    int64_t id = 0;
    bo_assert_ok(post(carl, 99999, NULL, "1000", &id)); /* below: posts */
    ck_assert_int_gt(id, 0);
    int64_t entries = count_sql("SELECT count(*) FROM entries");
    int64_t rid = pending_post(carl, 100000, "k1");
    /* Nothing else changed: no entry, no balance. */
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries"), entries);
    ck_assert_int_eq(balance("1000"), 99999);
    assert_status(rid, "pending");
    /* A replay of the key answers the same request. */
    int64_t again = 0;
    bo_assert_err(post(carl, 100000, "k1", "1000", NULL), BO_EPENDING);
    bo_assert_ok(bo_approval_last(carl, &again));
    ck_assert_int_eq(again, rid);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    /* The key with other content. */
    bo_assert_err(post(carl, 100001, "k1", "1000", NULL), BO_EKEYREUSE);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A handle whose posts found no rule (its cache of the rules warm, its
 * posts committed one after another) sees a rule another handle sets at
 * its very next post: the post asks for rules inside its own transaction,
 * whose start sees the other connection's commit. */
START_TEST(test_approval_rule_set_elsewhere_gates_next_post)
{
    bo_book *carl = open_as("carl");
    int64_t id = 0;
    bo_assert_ok(post(carl, 100000, NULL, "1000", &id)); /* no rule yet: posts */
    bo_assert_ok(post(carl, 100000, NULL, "1000", &id));
    int64_t entries = count_sql("SELECT count(*) FROM entries");
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager"); /* the owner's handle */
    pending_post(carl, 100000, "k1");
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries"), entries);
    bo_assert_ok(post(carl, 99999, NULL, "1000", &id)); /* below it: posts */
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries"), entries + 1);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_executes_as_maker)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t rid = pending_post(carl, 500000, "big");
    int64_t result = 0;
    bo_assert_ok(bo_approval_approve(mia, rid, &result));
    ck_assert_int_gt(result, 0);
    ck_assert_int_eq(balance("1000"), 500000);
    assert_status(rid, "executed");
    int64_t res = 0;
    request(rid, "result", NULL, 0, &res);
    ck_assert_int_eq(res, result);
    /* The audit log: the entry is the maker's, the approval the approver's. */
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action ="
             " 'ledger.entry.post' AND actor = 'carl'");
    ck_assert_int_eq(count_sql(sql), 1);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action ="
                               " 'approval.approve' AND actor = 'mia'"), 1);
    /* The maker's replay of the key now answers the posted entry. */
    int64_t id = 0;
    bo_assert_ok(post(carl, 500000, "big", "1000", &id));
    ck_assert_int_eq(id, result);
    ck_assert_int_eq(balance("1000"), 500000);
    /* Decided: no second approval. */
    bo_book *mike = open_as("mike");
    bo_assert_err(bo_approval_approve(mike, rid, NULL), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "already executed"));
    bo_book_free(mike);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_maker_never_approves_own)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    /* mia is a manager; she makes the posting herself. */
    bo_book *mia = open_as("mia");
    int64_t rid = pending_post(mia, 200000, NULL);
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "separation of duties"));
    bo_assert_err(bo_approval_reject(mia, rid, "no"), BO_EDENIED);
    /* Even the owner who made it: a clerk and owner cannot override herself. */
    bo_assert_ok(bo_role_grant(book, "carl", "manager")); /* second role */
    bo_book *carl = open_as("carl");
    int64_t rid2 = pending_post(carl, 300000, NULL);
    bo_assert_err(bo_approval_approve(carl, rid2, NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "made this command"));
    ck_assert_int_eq(balance("1000"), 0);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_decisions"), 0);
    assert_status(rid, "pending");
    assert_status(rid2, "pending");
    bo_book_free(carl);
    bo_book_free(mia);
}
END_TEST

START_TEST(test_approval_unknown_or_unentitled_actor)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl");
    int64_t rid = pending_post(carl, 200000, NULL);
    bo_book *x = open_as("stranger");
    bo_assert_err(bo_approval_approve(x, rid, NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'stranger' is unknown"));
    bo_book *ann = open_as("ann");
    bo_assert_err(bo_approval_approve(ann, rid, NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "none of the approving roles"));
    bo_assert_err(bo_approval_approve(ann, 999, NULL), BO_ENOTFOUND);
    ck_assert_int_eq(balance("1000"), 0);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_decisions"), 0);
    assert_status(rid, "pending");
    bo_book_free(ann);
    bo_book_free(x);
    bo_book_free(carl);
}
END_TEST

START_TEST(test_approval_after_expiry)
{
    fake_now = 1800000000;
    bo__approval_clock = fake_clock;
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t rid = pending_post(carl, 200000, NULL);
    fake_now += 72 * 3600 + 1;
    int64_t seq_before = count_sql("SELECT count(*) FROM audit_log");
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "expired at"));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log"), seq_before);
    ck_assert_int_eq(balance("1000"), 0);
    assert_status(rid, "pending");
    int64_t n = 0;
    bo_assert_ok(bo_approval_expire(book, &n));
    ck_assert_int_eq(n, 1);
    assert_status(rid, "expired");
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ESTATE);
    /* Expiry needs approval.admin. */
    bo_assert_err(bo_approval_expire(carl, &n), BO_EDENIED);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_books_changed_before_approval)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t rid = pending_post(carl, 200000, "late");
    bo_assert_ok(bo_ledger_account_close(book, "1000"));
    /* The direct command's error ... */
    bo_assert_err(post(book, 1, NULL, "1000", NULL), BO_ECLOSED);
    /* ... is the approval's. */
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ECLOSED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "1000"));
    assert_status(rid, "failed");
    int64_t code = 0;
    char err[256];
    request(rid, "error_code", NULL, 0, &code);
    request(rid, "error", err, sizeof err, NULL);
    ck_assert_int_eq(code, BO_ECLOSED);
    ck_assert_ptr_nonnull(strstr(err, "1000"));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries WHERE idem_key = 'late'"), 0);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action = 'approval.fail'"
                               " AND actor = 'mia'"), 1);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_reject)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t rid = pending_post(carl, 200000, "r");
    bo_assert_ok(bo_approval_reject(mia, rid, "too large"));
    assert_status(rid, "rejected");
    ck_assert_int_eq(balance("1000"), 0);
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ESTATE);
    /* A replay of a rejected key is refused. */
    bo_assert_err(post(carl, 200000, "r", "1000", NULL), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "rejected"));
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_decisions(book, rid, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "mia");
    ck_assert_str_eq(bo_cursor_text(c, 2), "reject");
    ck_assert_str_eq(bo_cursor_text(c, 4), "too large");
    bo_cursor_free(c);
    bo_book_free(mia);
    bo_book_free(carl);
}
END_TEST

START_TEST(test_approval_two_approvers)
{
    rule("ledger.entry.post", 1, 100000, NULL, 2, "manager,auditor");
    bo_assert_ok(bo_role_define(book, "auditor2", "ledger.read"));
    bo_book *carl = open_as("carl"), *mia = open_as("mia"), *mike = open_as("mike");
    int64_t rid = pending_post(carl, 200000, NULL);
    int64_t result = -1;
    bo_assert_ok(bo_approval_approve(mia, rid, &result));
    ck_assert_int_eq(result, 0);
    ck_assert_int_eq(balance("1000"), 0);
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_EEXISTS);
    bo_assert_ok(bo_approval_approve(mike, rid, &result));
    ck_assert_int_gt(result, 0);
    ck_assert_int_eq(balance("1000"), 200000);
    int64_t n = 0;
    request(rid, "approvals", NULL, 0, &n);
    ck_assert_int_eq(n, 2);
    bo_book_free(mike);
    bo_book_free(mia);
    bo_book_free(carl);
}
END_TEST

START_TEST(test_approval_accounts_rule)
{
    rule("ledger.entry.post", 0, 0, "1100, 2000", 1, "manager");
    bo_book *carl = open_as("carl");
    bo_assert_ok(post(carl, 5, NULL, "1000", NULL));
    int64_t rid = pending_post_to(carl, 5, NULL, "1100");
    ck_assert_int_eq(balance("1100"), 0);
    bo_book *mia = open_as("mia");
    bo_assert_ok(bo_approval_approve(mia, rid, NULL));
    ck_assert_int_eq(balance("1100"), 5);
    bo_book_free(mia);
    bo_book_free(carl);
}
END_TEST

/* The events a handle delivered: "name:id;" each. */
static char seen[1024];
static void on_event(const char *event, int64_t id, void *user)
{
    (void)user;
    if (strncmp(event, "approval.", 9) != 0)
        return;
    size_t n = strlen(seen);
    snprintf(seen + n, sizeof seen - n, "%s:%lld;", event, (long long)id);
}

START_TEST(test_approval_owner_override)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    seen[0] = '\0';
    bo_assert_ok(bo_event_subscribe(carl, "*", on_event, NULL, NULL, NULL));
    bo_assert_ok(bo_event_subscribe(book, "*", on_event, NULL, NULL, NULL));
    int64_t rid = pending_post(carl, 200000, NULL);
    char want[128];
    snprintf(want, sizeof want, "approval.requested:%lld;", (long long)rid);
    ck_assert_str_eq(seen, want);
    seen[0] = '\0';
    bo_assert_err(bo_approval_override(mia, rid, "urgent", NULL), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "only an owner"));
    bo_assert_err(bo_approval_override(book, rid, NULL, NULL), BO_EINVAL);
    int64_t result = 0;
    bo_assert_ok(bo_approval_override(book, rid, "urgent", &result));
    ck_assert_int_gt(result, 0);
    ck_assert_int_eq(balance("1000"), 200000);
    assert_status(rid, "executed");
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action ="
                               " 'approval.override' AND actor = 'olivia'"), 1);
    /* Loud: its own event besides the decision's. */
    snprintf(want, sizeof want, "approval.decided:%lld;approval.override:%lld;",
             (long long)rid, (long long)rid);
    ck_assert_str_eq(seen, want);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A request's status read through handle b (its own transaction's view). */
static void status_via(bo_book *b, int64_t id, char *out, size_t size)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_requests(b, NULL, &c));
    out[0] = '\0';
    while (bo_cursor_next(c) == 0)
        if (bo_cursor_int(c, 0) == id)
            snprintf(out, size, "%s", bo_cursor_text(c, 2));
    bo_cursor_free(c);
}

/* A command that could never execute is refused when it is requested, with
 * the direct command's own code and message, and nothing is stored. */
START_TEST(test_approval_dry_run_refuses_at_request)
{
    bo_assert_ok(bo_ledger_account_close(book, "1100"));
    char direct[256];
    int direct_rc = post(book, 200000, NULL, "1100", NULL);
    ck_assert_int_eq(direct_rc, BO_ECLOSED);
    snprintf(direct, sizeof direct, "%s", bo_error_message());
    int unknown_rc = post(book, 200000, NULL, "9999", NULL);
    ck_assert_int_eq(unknown_rc, BO_ENOTFOUND);
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl");
    int64_t audit = count_sql("SELECT count(*) FROM audit_log");
    bo_assert_err(post(carl, 200000, "d1", "1100", NULL), BO_ECLOSED);
    ck_assert_str_eq(bo_error_message(), direct);
    bo_assert_err(post(carl, 200000, "d2", "9999", NULL), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "9999"));
    int64_t last = 0;
    bo_assert_err(bo_approval_last(carl, &last), BO_ENOTFOUND);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 0);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log"), audit);
    /* A request that can execute is stored; its trial run left nothing. */
    int64_t entries = count_sql("SELECT count(*) FROM entries");
    int64_t rid = pending_post(carl, 200000, "d3");
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries"), entries);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    ck_assert_int_eq(balance("1000"), 0);
    bo_book *mia = open_as("mia");
    int64_t result = 0;
    bo_assert_ok(bo_approval_approve(mia, rid, &result));
    ck_assert_int_gt(result, 0);
    ck_assert_int_eq(balance("1000"), 200000);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* Inside a host's transaction: a request is stored by its commit (gone
 * with its rollback); an approval whose execution fails records the
 * failure in the approver's transaction: visible there at once, kept by
 * its commit, undone by its rollback (the request is pending again). */
START_TEST(test_approval_inside_host_transaction)
{
    rule("ledger.entry.post", 1, 100000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    bo_assert_ok(bo_book_begin(carl));
    int64_t rid = pending_post(carl, 200000, "h1");
    bo_assert_ok(bo_book_commit(carl));
    assert_status(rid, "pending");
    bo_assert_ok(bo_book_begin(carl));
    pending_post(carl, 300000, "h2");
    bo_assert_ok(bo_book_rollback(carl));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    /* The books change; the approval inside mia's transaction fails. */
    bo_assert_ok(bo_ledger_account_close(book, "1000"));
    char status[32];
    bo_assert_ok(bo_book_begin(mia));
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ECLOSED);
    status_via(mia, rid, status, sizeof status);
    ck_assert_str_eq(status, "failed");
    bo_assert_ok(bo_book_rollback(mia));
    assert_status(rid, "pending");
    bo_assert_ok(bo_book_begin(mia));
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ECLOSED);
    bo_assert_ok(bo_book_commit(mia));
    assert_status(rid, "failed");
    int64_t code = 0;
    request(rid, "error_code", NULL, 0, &code);
    ck_assert_int_eq(code, BO_ECLOSED);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action = 'approval.fail'"
                               " AND actor = 'mia'"), 1);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM entries WHERE idem_key = 'h1'"), 0);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

static int rules_count(void)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_rules(book, &c));
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

START_TEST(test_approval_rule_bad_input)
{
    bo_approval_rule r = BO_APPROVAL_RULE_INIT;
    r.command = "ledger.entry.burn";
    r.roles = "manager";
    bo_assert_err(bo_approval_rule_set(book, &r), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "command: unknown command"));
    r.command = "ledger.entry.post";
    r.roles = "manager,boss";
    bo_assert_err(bo_approval_rule_set(book, &r), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "roles: unknown role 'boss'"));
    r.roles = "manager";
    r.approvers = 0;
    bo_assert_err(bo_approval_rule_set(book, &r), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "approvers"));
    r.approvers = 1;
    r.expires_hours = 0;
    bo_assert_err(bo_approval_rule_set(book, &r), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "expires_hours"));
    r.expires_hours = 72;
    r.version = 99;
    bo_assert_err(bo_approval_rule_set(book, &r), BO_EINVAL);
    ck_assert_int_eq(rules_count(), 0);
    r.version = BO_APPROVAL_RULE_VERSION;
    int64_t last;
    bo_assert_err(bo_approval_last(book, &last), BO_ENOTFOUND);
    bo_assert_ok(bo_approval_rule_set(book, &r));
    ck_assert_int_eq(rules_count(), 1);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_rules(book, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "ledger.entry.post");
    bo_cursor_free(c);
    bo_assert_ok(bo_approval_commands(book, &c));
    int n = 0;
    while (bo_cursor_next(c) == 0)
        n++;
    ck_assert_int_ge(n, 2);
    bo_cursor_free(c);
    bo_assert_ok(bo_approval_rule_remove(book, "ledger.entry.post"));
    bo_assert_err(bo_approval_rule_remove(book, "ledger.entry.post"), BO_ENOTFOUND);
    bo_assert_err(bo_approval_requests(book, "lost", &c), BO_EINVAL);
    bo_assert_err(bo_approval_decisions(book, 42, &c), BO_ENOTFOUND);
}
END_TEST

START_TEST(test_approval_rule_needs_admin)
{
    bo_approval_rule r = BO_APPROVAL_RULE_INIT;
    r.command = "ledger.entry.post";
    r.roles = "manager";
    bo_book *carl = open_as("carl");
    bo_assert_err(bo_approval_rule_set(carl, &r), BO_EDENIED);
    bo_assert_err(bo_approval_rule_remove(carl, "ledger.entry.post"), BO_EDENIED);
    bo_assert_err(bo_approval_conflict_add(carl, "clerk", "manager"), BO_EDENIED);
    bo_book_free(carl);
    ck_assert_int_eq(rules_count(), 0);
}
END_TEST

START_TEST(test_approval_grant_and_conflicts)
{
    /* Conflicting roles: declared after mia got manager and auditor. */
    bo_assert_ok(bo_role_grant(book, "mia", "auditor"));
    bo_assert_ok(bo_approval_conflict_add(book, "manager", "auditor"));
    bo_assert_err(bo_approval_conflict_add(book, "manager", "manager"), BO_EINVAL);
    bo_assert_err(bo_approval_conflict_add(book, "manager", "boss"), BO_ENOTFOUND);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_conflicts(book, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "mia");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* Refused at grant time. */
    bo_assert_err(bo_role_grant(book, "ann", "manager"), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "conflicts with role 'auditor'"));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM grants WHERE actor = 'ann'"), 1);
    /* Grants of roles need approval: the owner asks, a manager approves. */
    rule("role.grant", 0, 0, NULL, 1, "manager");
    bo_assert_err(bo_role_grant(book, "nina", "clerk"), BO_EPENDING);
    int64_t rid = 0;
    bo_assert_ok(bo_approval_last(book, &rid));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM grants WHERE actor = 'nina'"), 0);
    bo_book *mike = open_as("mike");
    bo_assert_ok(bo_approval_approve(mike, rid, NULL));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM grants WHERE actor = 'nina'"), 1);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action = 'role.grant'"
                               " AND object = 'grant:nina' AND actor = 'olivia'"), 1);
    bo_book_free(mike);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* ---- inventory: adjustments and returns at the till ----------------------- */
static void setup_inventory(void)
{
    setup();
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    static const char *const kv[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" },      { "account.adjustments", "5200" },
        { "account.revenue", "4000" },   { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, kv[i][0], kv[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 10, .cost = 1000, .date = 20454, .key = "r1" }, NULL)); /* 10 @ 1.00 */
}

static int adjust(bo_book *b, int64_t qty, const char *key)
{
    return bo_inventory_adjust(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = qty, .cost = -1, .date = 20455, .reason = "breakage", .key = key }, NULL);
}

static int64_t on_hand(void)
{
    int64_t n = 0;
    bo_assert_ok(bo_inventory_stock(book, "A", "S1", &n));
    return n;
}

static int64_t sell(bo_book *b, int64_t qty, int64_t price, const char *key)
{
    bo_sale *s = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_sale_new(&s, 20455, "till 1"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, "A", "S1", qty, price, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", qty * price));
    int rc = bo_inventory_sale_post(b, s, &id);
    bo_sale_free(s);
    bo_assert_ok(rc);
    return id;
}

START_TEST(test_approval_adjustment_above_value_then_stock_sold_out)
{
    rule("inventory.stock.adjust", 1, 500, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    bo_assert_ok(adjust(carl, -3, "a1")); /* 3.00: below */
    ck_assert_int_eq(on_hand(), 7);
    bo_assert_err(adjust(carl, -6, "a2"), BO_EPENDING); /* 6.00 */
    int64_t rid = 0;
    bo_assert_ok(bo_approval_last(carl, &rid));
    ck_assert_int_eq(on_hand(), 7);
    int64_t value = 0;
    request(rid, "measure", NULL, 0, &value);
    ck_assert_int_eq(value, 600);
    /* The stock sells out before the approval: the adjustment's own error. */
    sell(book, 7, 250, "s1");
    ck_assert_int_eq(on_hand(), 0);
    bo_assert_err(adjust(book, -1, "direct"), BO_ESTOCK);
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ESTOCK);
    assert_status(rid, "failed");
    int64_t code = 0;
    request(rid, "error_code", NULL, 0, &code);
    ck_assert_int_eq(code, BO_ESTOCK);
    ck_assert_int_eq(on_hand(), 0);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_till_refund_waits_for_manager)
{
    rule("inventory.sale.return", 1, 10000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t sale = sell(carl, 5, 5000, "s1");
    int64_t ret = 0;
    bo_assert_ok(bo_inventory_return(carl, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale, .line = 1, .qty = 1,
            .date = 20456, .method = "cash", .key = "ret1"
        }, &ret));
    ck_assert_int_gt(ret, 0);
    ck_assert_int_eq(on_hand(), 6);
    int64_t cash = balance("1000");
    bo_assert_err(bo_inventory_return(carl, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale, .line = 1, .qty = 3,
            .date = 20456, .method = "cash", .key = "ret2"
        }, &ret),
                  BO_EPENDING);
    int64_t rid = 0, refund = 0;
    bo_assert_ok(bo_approval_last(carl, &rid));
    request(rid, "measure", NULL, 0, &refund);
    ck_assert_int_eq(refund, 15000);
    ck_assert_int_eq(on_hand(), 6);
    ck_assert_int_eq(balance("1000"), cash);
    bo_assert_err(bo_approval_approve(carl, rid, NULL), BO_EDENIED);
    int64_t result = 0;
    bo_assert_ok(bo_approval_approve(mia, rid, &result));
    ck_assert_int_gt(result, ret);
    ck_assert_int_eq(on_hand(), 9);
    ck_assert_int_eq(balance("1000"), cash - 15000);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A sale of qty at price less discount, key: the return code (id in *id). */
static int sell_at(bo_book *b, int64_t qty, int64_t price, int64_t discount,
                   const char *key, int64_t *id)
{
    bo_sale *s = NULL;
    bo_assert_ok(bo_sale_new(&s, 20455, "till 1"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, "A", "S1", qty, price, discount));
    if (qty * price > discount)
        bo_assert_ok(bo_sale_payment(s, "cash", qty * price - discount));
    int rc = bo_inventory_sale_post(b, s, id);
    bo_sale_free(s);
    return rc;
}

START_TEST(test_approval_till_discount_above_percent)
{
    rule("inventory.sale.discount", 1, 1000, NULL, 1, "manager"); /* 10.00% */
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t id = 0, rid = 0, again = 0, share = 0;
    bo_assert_ok(sell_at(carl, 1, 5000, 499, "d1", &id)); /* 9.98%: below */
    ck_assert_int_gt(id, 0);
    ck_assert_int_eq(on_hand(), 9);
    int64_t cash = balance("1000"), sales = count_sql("SELECT count(*) FROM inv_sales");
    bo_assert_err(sell_at(carl, 2, 5000, 1000, "d2", &id), BO_EPENDING); /* 10.00% */
    bo_assert_ok(bo_approval_last(carl, &rid));
    request(rid, "measure", NULL, 0, &share);
    ck_assert_int_eq(share, 1000);
    ck_assert_int_eq(on_hand(), 9);
    ck_assert_int_eq(balance("1000"), cash);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM inv_sales"), sales);
    /* A replay of the key answers the same request. */
    bo_assert_err(sell_at(carl, 2, 5000, 1000, "d2", &id), BO_EPENDING);
    bo_assert_ok(bo_approval_last(carl, &again));
    ck_assert_int_eq(again, rid);
    /* A price cut to nothing is a discount of 100%. */
    bo_assert_err(sell_at(carl, 1, 5000, 5000, "d3", &id), BO_EPENDING);
    int64_t rid3 = 0;
    bo_assert_ok(bo_approval_last(carl, &rid3));
    request(rid3, "measure", NULL, 0, &share);
    ck_assert_int_eq(share, 10000);
    bo_assert_err(bo_approval_approve(carl, rid, NULL), BO_EDENIED);
    int64_t sale = 0;
    bo_assert_ok(bo_approval_approve(mia, rid, &sale));
    ck_assert_int_gt(sale, 0);
    ck_assert_int_eq(on_hand(), 7);
    ck_assert_int_eq(balance("1000"), cash + 9000);
    /* The audit log: the sale is the maker's. */
    ck_assert_int_eq(count_sql("SELECT count(*) FROM inv_sales WHERE idem_key = 'd2'"
                               " AND actor = 'carl'"), 1);
    /* The maker's replay now answers the sale. */
    bo_assert_ok(sell_at(carl, 2, 5000, 1000, "d2", &id));
    ck_assert_int_eq(id, sale);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A sale's rule check runs inside its own transaction, from the handle's
 * cache of which commands have rules: a rule set on another handle holds
 * the next sale, one removed there lets the next through, and one set in
 * a transaction rolled back holds nothing. */
START_TEST(test_approval_till_discount_rule_seen)
{
    bo_book *carl = open_as("carl");
    int64_t id = 0;
    bo_assert_ok(sell_at(carl, 1, 5000, 1000, "r1", &id)); /* no rule yet */
    rule("inventory.sale.discount", 1, 1000, NULL, 1, "manager");
    bo_assert_err(sell_at(carl, 1, 5000, 1000, "r2", &id), BO_EPENDING);
    ck_assert_int_eq(on_hand(), 9);
    bo_assert_ok(bo_approval_rule_remove(book, "inventory.sale.discount"));
    bo_assert_ok(sell_at(carl, 1, 5000, 1000, "r3", &id));
    bo_assert_ok(bo_book_begin(book));
    rule("inventory.sale.discount", 1, 1000, NULL, 1, "manager");
    bo_assert_ok(bo_book_rollback(book));
    bo_assert_ok(sell_at(book, 1, 5000, 1000, "r4", &id));
    bo_assert_ok(sell_at(carl, 1, 5000, 1000, "r5", &id));
    ck_assert_int_eq(on_hand(), 6);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* A sale whose line names a unit and a coupon waits like any other, and
 * the approval posts it with its unit and coupon (read back from the
 * request's payload): a box of 2 at 50.00 less 10.00 and the coupon's
 * 1.00, 2 taken from stock. */
START_TEST(test_approval_till_discount_unit_line)
{
    rule("inventory.sale.discount", 1, 1000, NULL, 1, "manager");
    bo_assert_ok(bo_inventory_unit_set(book, "A", "box", 2, 1, -1));
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    p.code = "P";
    p.kind = "amount";
    p.value = 100;
    p.coupon = "C";
    bo_assert_ok(bo_inventory_promotion_set(book, &p));
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    bo_sale *s = NULL;
    bo_assert_ok(bo_sale_new(&s, 20455, "till 1"));
    bo_assert_ok(bo_sale_set_key(s, "u1"));
    bo_assert_ok(bo_sale_set_coupon(s, "C"));
    bo_assert_ok(bo_sale_line_unit(s, "A", "S1", 1, "box", 5000, 1000));
    bo_assert_ok(bo_sale_payment(s, "cash", 3900));
    int64_t cash = balance("1000"), rid = 0, sale = 0;
    bo_assert_err(bo_inventory_sale_post(carl, s, NULL), BO_EPENDING);
    bo_sale_free(s);
    ck_assert_int_eq(on_hand(), 10);
    bo_assert_ok(bo_approval_last(carl, &rid));
    bo_assert_ok(bo_approval_approve(mia, rid, &sale));
    ck_assert_int_gt(sale, 0);
    ck_assert_int_eq(on_hand(), 8);
    ck_assert_int_eq(balance("1000"), cash + 3900);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

START_TEST(test_approval_till_discount_then_stock_sold_out)
{
    rule("inventory.sale.discount", 1, 1000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t rid = 0;
    bo_assert_err(sell_at(carl, 6, 1000, 3000, "half", NULL), BO_EPENDING);
    bo_assert_ok(bo_approval_last(carl, &rid));
    /* More than there is: refused when requested, nothing stored. */
    bo_assert_err(sell_at(carl, 11, 1000, 3000, "more", NULL), BO_ESTOCK);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    /* The stock sells out before the approval: the sale's own error. */
    sell(book, 7, 1000, "s1");
    ck_assert_int_eq(on_hand(), 3);
    int direct = sell_at(book, 6, 1000, 0, "direct", NULL);
    ck_assert_int_eq(direct, BO_ESTOCK);
    bo_assert_err(bo_approval_approve(mia, rid, NULL), BO_ESTOCK);
    assert_status(rid, "failed");
    int64_t code = 0;
    request(rid, "error_code", NULL, 0, &code);
    ck_assert_int_eq(code, BO_ESTOCK);
    ck_assert_int_eq(on_hand(), 3);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM inv_sales WHERE idem_key = 'half'"), 0);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* ---- billing: payments and refunds ----------------------------------------- */
static void setup_billing(void)
{
    setup();
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Receivables", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_party_add(book, "C1", "Customer One", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_add(book, "V1", "Vendor One", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1200"));
    bo_assert_ok(bo_billing_setting_set(book, "payable_account", "2000"));
}

static int pay(bo_book *b, int kind, const char *party, int64_t amount, const char *key)
{
    bo_payment *p = NULL;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = kind, .party = party, .date = 20460,
            .amount = amount, .account = "1100"
        }));
    bo_assert_ok(bo_payment_set_key(p, key));
    bo_assert_ok(bo_payment_set_memo(p, "refund"));
    int rc = bo_billing_payment_post(b, p, NULL);
    bo_payment_free(p);
    return rc;
}

START_TEST(test_approval_payment_above_amount_then_account_closed)
{
    rule("billing.payment.post", 1, 10000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    bo_assert_ok(pay(carl, BO_PAYMENT_MADE, "V1", 9999, "p1"));
    ck_assert_int_eq(balance("1100"), -9999);
    bo_assert_err(pay(carl, BO_PAYMENT_MADE, "V1", 20000, "p2"), BO_EPENDING);
    int64_t rid = 0, result = 0;
    bo_assert_ok(bo_approval_last(carl, &rid));
    bo_assert_err(pay(carl, BO_PAYMENT_RECEIVED, "C1", 50000, "p3"), BO_EPENDING);
    int64_t rid3 = 0;
    bo_assert_ok(bo_approval_last(carl, &rid3));
    ck_assert_int_eq(balance("1100"), -9999);
    bo_assert_ok(bo_approval_approve(mia, rid, &result));
    ck_assert_int_gt(result, 0);
    ck_assert_int_eq(balance("1100"), -29999);
    /* The bank account is closed before the second approval. */
    bo_assert_ok(bo_ledger_account_close(book, "1100"));
    bo_assert_err(bo_approval_approve(mia, rid3, NULL), BO_ECLOSED);
    assert_status(rid3, "failed");
    ck_assert_int_eq(balance("1100"), -29999);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* ---- payroll: pay runs ------------------------------------------------------- */
static void setup_payroll(void)
{
    setup();
    bo_assert_ok(bo_ledger_account_add(book, "2100", "Net pay", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2210", "Income tax", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2220", "Pension", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5200", "Employer", BO_ACCOUNT_EXPENSE, NULL, NULL));
    char file[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(file, sizeof file, "%.*s/../../data/payroll/generic.yaml",
             (int)(slash ? slash - here : 1), slash ? here : ".");
    FILE *f = fopen(file, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", file);
    char *buf = malloc(1 << 20);
    size_t len = fread(buf, 1, (1 << 20) - 1, f);
    fclose(f);
    bo_assert_ok(bo_payroll_pack_load(book, buf, len, "generic.yaml"));
    free(buf);
    bo_assert_ok(bo_payroll_employee_add(book, "E1", "Worker", 19358));
    bo_assert_ok(bo_payroll_terms_set(book, "E1", 19723, "salary", 300000, BO_PAYROLL_MONTHLY));
    const char *perms = "payroll.read,payroll.write,payroll.run,payroll.approve,approval.read";
    bo_assert_ok(bo_role_define(book, "payclerk", perms));
    bo_assert_ok(bo_role_define(book, "paymanager", perms));
    bo_assert_ok(bo_role_grant(book, "pat", "payclerk"));
    bo_assert_ok(bo_role_grant(book, "pat", "paymanager")); /* two roles */
    bo_assert_ok(bo_role_grant(book, "pam", "paymanager"));
}

START_TEST(test_approval_pay_run_four_eyes)
{
    rule("payroll.run.post", 0, 0, NULL, 1, "paymanager");
    bo_book *pat = open_as("pat"), *pam = open_as("pam");
    int64_t run = 0, entry = 0;
    bo_assert_ok(bo_payroll_run_create(pat, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-1", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = 19723, .period_end = 19753,
            .pay_date = 19753 }, &run));
    bo_assert_ok(bo_payroll_run_calculate(pat, run));
    /* The approval step refuses who calculated the run, whatever roles. */
    bo_assert_err(bo_payroll_run_approve(pat, run), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "calculated this run"));
    int state = 0;
    bo_assert_ok(bo_payroll_run_state(book, run, &state));
    ck_assert_int_eq(state, BO_PAYROLL_CALCULATED);
    bo_assert_ok(bo_payroll_run_approve(pam, run));
    /* Posting waits for an approver who is not the maker. */
    bo_assert_err(bo_payroll_run_post(pat, run, &entry), BO_EPENDING);
    int64_t rid = 0;
    bo_assert_ok(bo_approval_last(pat, &rid));
    bo_assert_ok(bo_payroll_run_state(book, run, &state));
    ck_assert_int_eq(state, BO_PAYROLL_APPROVED);
    bo_assert_err(bo_approval_approve(pat, rid, NULL), BO_EDENIED);
    bo_assert_ok(bo_approval_approve(pam, rid, &entry));
    ck_assert_int_gt(entry, 0);
    bo_assert_ok(bo_payroll_run_state(book, run, &state));
    ck_assert_int_eq(state, BO_PAYROLL_POSTED);
    bo_book_free(pam);
    bo_book_free(pat);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

static const unsigned char KEY[32] = "0123456789abcdef0123456789abcdef";

static bo_book *open_keyed(const char *actor)
{
    bo_book *b = open_as(actor);
    bo_assert_ok(bo_document_set_encryption_key(b, KEY, sizeof KEY));
    return b;
}

static char *bank_account_of(const char *number)
{
    bo_cursor *c = NULL;
    bo_assert_ok(bo_document_set_encryption_key(book, KEY, sizeof KEY));
    bo_assert_ok(bo_payroll_employee_get(book, number, &c));
    bo_assert_ok(bo_cursor_next(c));
    const char *v = bo_cursor_text(c, 5);
    char *out = strdup(v ? v : "");
    bo_cursor_free(c);
    return out;
}

START_TEST(test_approval_pay_terms_and_bank_account)
{
    rule("payroll.terms.set", 0, 0, NULL, 1, "paymanager");
    bo_book *pat = open_keyed("pat"), *pam = open_keyed("pam");
    /* Pay terms: every change waits. */
    int64_t terms = count_sql("SELECT count(*) FROM pay_terms");
    bo_assert_err(bo_payroll_terms_set(pat, "E1", 19800, "salary", 350000,
                                       BO_PAYROLL_MONTHLY), BO_EPENDING);
    int64_t rid = 0;
    bo_assert_ok(bo_approval_last(pat, &rid));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM pay_terms"), terms);
    /* Bad terms are refused as the direct call refuses them, nothing stored. */
    bo_assert_err(bo_payroll_terms_set(pat, "E9", 19800, "salary", 1, BO_PAYROLL_MONTHLY),
                  BO_ENOTFOUND);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"), 1);
    bo_assert_err(bo_approval_approve(pat, rid, NULL), BO_EDENIED); /* the maker */
    bo_assert_ok(bo_approval_approve(pam, rid, NULL));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM pay_terms WHERE amount = 350000"), 1);
    ck_assert_int_eq(count_sql("SELECT count(*) FROM audit_log WHERE action ="
                               " 'payroll.terms.set' AND actor = 'pat'"), 1);
    /* Bank account: waits sealed; another field does not wait. */
    bo_assert_ok(bo_payroll_employee_set(pat, "E1", "bank_account", "DE00 1111"));
    char *acct = bank_account_of("E1");
    ck_assert_str_eq(acct, "DE00 1111"); /* no rule on it yet */
    free(acct);
    rule("payroll.bank_account.set", 0, 0, NULL, 1, "paymanager");
    bo_assert_err(bo_payroll_employee_set(pat, "E1", "bank_account", "DE89 3704 0044"),
                  BO_EPENDING);
    int64_t bank = 0;
    bo_assert_ok(bo_approval_last(pat, &bank));
    ck_assert_int_eq(count_sql("SELECT count(*) FROM approval_requests"
                               " WHERE payload LIKE '%3704%'"), 0);
    bo_assert_ok(bo_payroll_employee_set(pat, "E1", "department", "Shop"));
    acct = bank_account_of("E1");
    ck_assert_str_eq(acct, "DE00 1111");
    free(acct);
    /* An approver's handle without the key cannot open it: still pending. */
    bo_book *keyless = open_as("pam");
    bo_assert_err(bo_approval_approve(keyless, bank, NULL), BO_EKEY);
    bo_book_free(keyless);
    assert_status(bank, "pending");
    bo_assert_ok(bo_approval_approve(pam, bank, NULL));
    acct = bank_account_of("E1");
    ck_assert_str_eq(acct, "DE89 3704 0044");
    free(acct);
    assert_status(bank, "executed");
    bo_book_free(pam);
    bo_book_free(pat);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

static int64_t credit_note(bo_book *b, int64_t amount);

/* ---- the access matrix -------------------------------------------------------
 * Every approvable command x maker (a clerk, a manager) x approver (another
 * clerk, another manager, the maker, an actor of another role, an actor
 * unknown to the book): nothing executes without its approval, only
 * another actor holding the rule's role approves, nobody their own. */
static const char *const MATRIX_COMMANDS[] = {
    "role.grant", "ledger.entry.post", "billing.payment.post",
    "inventory.stock.adjust", "inventory.sale.return", "payroll.run.post",
    "billing.credit_note.post", "inventory.sale.discount", "payroll.terms.set",
    "payroll.bank_account.set",
};
#define NCOMMANDS (int)(sizeof MATRIX_COMMANDS / sizeof MATRIX_COMMANDS[0])
static int64_t matrix_sale, matrix_runs[12], matrix_credits[12];

static void setup_matrix(void)
{
    setup_payroll();
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "1210", "Receivables", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2050", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5300", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5400", "Shrinkage", BO_ACCOUNT_EXPENSE, NULL, NULL));
    static const char *const kv[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5300" },
        { "account.grni", "2050" },      { "account.adjustments", "5400" },
        { "account.revenue", "4000" },   { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, kv[i][0], kv[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 100, .cost = 10000, .date = 20454, .key = "r1" }, NULL));
    matrix_sale = sell(book, 40, 500, "sale-1");
    bo_assert_ok(bo_party_add(book, "V1", "Vendor One", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_party_add(book, "C1", "Customer One", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1210"));
    bo_assert_ok(bo_billing_setting_set(book, "payable_account", "2000"));
    /* Twelve approved runs, one a month of 2024, made before the rules. */
    for (int m = 0; m < 12; m++) {
        char key[16];
        bo_date from, to;
        bo_assert_ok(bo_date_from_ymd(2024, m + 1, 1, &from));
        bo_assert_ok(bo_date_add_months(from, 1, &to));
        snprintf(key, sizeof key, "run-%d", m);
        bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
                .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = key, .pack = "generic",
                .schedule = BO_PAYROLL_MONTHLY, .period_start = from, .period_end = to - 1,
                .pay_date = to - 1 }, &matrix_runs[m]));
        bo_assert_ok(bo_payroll_run_calculate(book, matrix_runs[m]));
        bo_assert_ok(bo_payroll_run_approve(book, matrix_runs[m]));
    }
    const char *all = "ledger.read,ledger.post,approval.read,inventory.read,inventory.write,"
                      "sales.post,billing.read,billing.post,payroll.read,payroll.approve,"
                      "book.admin,payroll.write";
    bo_assert_ok(bo_role_define(book, "clerk", all));
    bo_assert_ok(bo_role_define(book, "manager", all));
    bo_assert_ok(bo_role_grant(book, "cleo", "clerk"));
}

/* Make command c as b, cell n: its return code. */
static int matrix_make(bo_book *b, int c, int n)
{
    char key[16];
    snprintf(key, sizeof key, "m%d", n);
    switch (c) {
    case 0: {
        char who[16];
        snprintf(who, sizeof who, "new%d", n);
        return bo_role_grant(b, who, "auditor");
    }
    case 1: return post(b, 7, key, "1000", NULL);
    case 2: return pay(b, BO_PAYMENT_MADE, "V1", 700, key);
    case 3: return adjust(b, -1, key);
    case 4: return bo_inventory_return(b, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = matrix_sale, .line = 1,
            .qty = 1, .date = 20456, .method = "cash", .key = key
        }, NULL);
    case 5: return bo_payroll_run_post(b, matrix_runs[n % 12], NULL);
    case 7: return sell_at(b, 1, 500, 100, key, NULL); /* 20% off */
    case 8: return bo_payroll_terms_set(b, "E1", 19723 + n, "salary", 400000 + n,
                                        BO_PAYROLL_MONTHLY);
    case 9: {
        char account[16];
        snprintf(account, sizeof account, "ACC-%d", n);
        return bo_payroll_employee_set(b, "E1", "bank_account", account);
    }
    default:
        matrix_credits[n % 12] = credit_note(b, 1500);
        return bo_billing_invoice_post(b, matrix_credits[n % 12], 20460, NULL);
    }
}

static int64_t matrix_effect(int c, int n)
{
    char sql[200];
    static const char *const where[] = {
        "grants WHERE actor = 'new", "entries WHERE idem_key = 'm",
        "bill_payments WHERE idem_key = 'm", "inv_moves WHERE idem_key = 'm",
        "inv_returns WHERE idem_key = 'm",
    };
    if (c == 9) {
        char want[16], *have = bank_account_of("E1");
        snprintf(want, sizeof want, "ACC-%d", n);
        int64_t same = strcmp(have, want) == 0;
        free(have);
        return same;
    }
    if (c == 7)
        snprintf(sql, sizeof sql, "SELECT count(*) FROM inv_sales WHERE idem_key = 'm%d'", n);
    else if (c == 8)
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pay_terms WHERE amount = %d",
                 400000 + n);
    else if (c < 5)
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s%d'", where[c], n);
    else if (c == 6)
        snprintf(sql, sizeof sql, "SELECT count(*) FROM bill_invoices WHERE id = %lld"
                 " AND status = 1", (long long)matrix_credits[n % 12]);
    else
        snprintf(sql, sizeof sql, "SELECT count(*) FROM pay_runs WHERE id = %lld"
                 " AND entry_id IS NOT NULL", (long long)matrix_runs[n % 12]);
    return count_sql(sql);
}

START_TEST(test_approval_access_matrix)
{
    static const char *const makers[] = { "carl", "mia" };
    static const char *const approvers[] = { "carl", "cleo", "mia", "mike", "ann",
                                             "stranger" };
    int cells = 0, executed = 0;
    for (int c = 0; c < NCOMMANDS; c++) {
        rule(MATRIX_COMMANDS[c], 0, 0, NULL, 1, "manager");
        for (int m = 0; m < 2; m++) {
            for (int a = 0; a < 6; a++) {
                int n = m * 6 + a;
                bo_book *maker = open_keyed(makers[m]), *approver = open_keyed(approvers[a]);
                bo_assert_err(matrix_make(maker, c, n), BO_EPENDING);
                int64_t rid = 0;
                bo_assert_ok(bo_approval_last(maker, &rid));
                ck_assert_msg(matrix_effect(c, n) == 0, "%s executed before approval",
                              MATRIX_COMMANDS[c]);
                int allowed = a != (m ? 2 : 0) && (a == 2 || a == 3);
                int rc = bo_approval_approve(approver, rid, NULL);
                if (allowed) {
                    ck_assert_msg(rc == 0, "%s by %s approved by %s: %s", MATRIX_COMMANDS[c],
                                  makers[m], approvers[a], bo_error_message());
                    ck_assert_int_eq(matrix_effect(c, n), 1);
                    executed++;
                } else {
                    ck_assert_msg(rc == BO_EDENIED, "%s by %s approved by %s: %d",
                                  MATRIX_COMMANDS[c], makers[m], approvers[a], rc);
                    ck_assert_int_eq(matrix_effect(c, n), 0);
                    assert_status(rid, "pending");
                }
                cells++;
                bo_book_free(approver);
                bo_book_free(maker);
            }
        }
        bo_assert_ok(bo_approval_rule_remove(book, MATRIX_COMMANDS[c]));
    }
    ck_assert_int_eq(cells, NCOMMANDS * 12);
    ck_assert_int_eq(executed, NCOMMANDS * 3); /* mike for both, mia for carl's */
    bo_cursor *cur = NULL;
    bo_assert_ok(bo_approval_commands(book, &cur));
    int known = 0;
    while (bo_cursor_next(cur) == 0)
        known++;
    bo_cursor_free(cur);
    ck_assert_int_eq(known, NCOMMANDS); /* every approvable command is in the matrix */
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* ---- the YAML section ----------------------------------------------------------- */
static const char YAML_HEAD[] =
    "book: { name: Shop, base_currency: USD }\n"
    "accounts:\n"
    "  - { code: '1000', name: Cash, type: asset }\n"
    "  - { code: '3000', name: Equity, type: equity }\n"
    "roles:\n"
    "  clerk: [ledger.read, ledger.post]\n"
    "  manager: [ledger.read, ledger.post, approval.read]\n"
    "actors:\n"
    "  carl: [clerk]\n"
    "  mia: [manager]\n";

static int yaml_book(const char *section, bo_book **out)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", YAML_HEAD, section);
    char *uri = bo_test_path("approvals-yaml");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    *out = NULL;
    int rc = bo_book_create_from_yaml_string(out, text, strlen(text), uri, &o);
    free(uri);
    return rc;
}

START_TEST(test_approval_yaml_section)
{
    bo_book *b = NULL;
    bo_assert_ok(yaml_book("approvals:\n"
                           "  rules:\n"
                           "    - { command: ledger.entry.post, min_amount: 100000,\n"
                           "        accounts: ['1000'], approvers: 1, roles: [manager],\n"
                           "        expires_hours: 24 }\n"
                           "    - { command: inventory.sale.discount, min_amount: 1500,\n"
                           "        roles: [manager] }\n"
                           "    - { command: payroll.terms.set, roles: [manager] }\n"
                           "    - { command: payroll.bank_account.set, roles: manager }\n"
                           "  conflicts:\n"
                           "    - [clerk, manager]\n", &b));
    bo_cursor *c = NULL;
    bo_assert_ok(bo_approval_rules(b, &c)); /* by command */
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "inventory.sale.discount");
    ck_assert_int_eq(bo_cursor_int(c, 1), 1500);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "ledger.entry.post");
    ck_assert_int_eq(bo_cursor_int(c, 1), 100000);
    ck_assert_str_eq(bo_cursor_text(c, 2), "1000");
    ck_assert_int_eq(bo_cursor_int(c, 5), 24);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "payroll.bank_account.set");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "payroll.terms.set");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_err(bo_role_grant(b, "carl", "manager"), BO_EDENIED);
    bo_test_book_free(b);
}
END_TEST

START_TEST(test_approval_yaml_unknown_command_or_role)
{
    bo_book *b = NULL;
    bo_assert_err(yaml_book("approvals:\n"
                            "  rules:\n"
                            "    - { command: ledger.entry.burn, roles: [manager] }\n", &b),
                  BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:13:18:"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "unknown command 'ledger.entry.burn'"));
    ck_assert_ptr_null(b);
    bo_assert_err(yaml_book("approvals:\n"
                            "  rules:\n"
                            "    - command: ledger.entry.post\n"
                            "      roles: [manager, boss]\n", &b),
                  BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:14:24:"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "unknown role 'boss'"));
    bo_assert_err(yaml_book("approvals:\n"
                            "  rules:\n"
                            "    - { command: ledger.entry.post, roles: manager, when: x }\n",
                            &b), BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "when"));
    bo_assert_err(yaml_book("approvals:\n"
                            "  conflicts:\n"
                            "    - [clerk, boss]\n", &b), BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:13:15:"));
}
END_TEST

/* A draft credit note of amount to C1, saved by b: its id. */
static int64_t credit_note(bo_book *b, int64_t amount)
{
    bo_invoice *v = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES_CREDIT, "C1", 20460, NULL));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "goods back", .quantity = 1000, .unit_price = amount
        }));
    bo_assert_ok(bo_billing_invoice_save(b, v, &id));
    bo_invoice_free(v);
    return id;
}

START_TEST(test_approval_credit_note_above_amount)
{
    rule("billing.credit_note.post", 1, 10000, NULL, 1, "manager");
    bo_book *carl = open_as("carl"), *mia = open_as("mia");
    int64_t small = credit_note(carl, 5000), big = credit_note(carl, 20000), entry = 0;
    bo_assert_ok(bo_billing_invoice_post(carl, small, 20460, &entry));
    ck_assert_int_gt(entry, 0);
    int64_t receivable = balance("1200");
    bo_assert_err(bo_billing_invoice_post(carl, big, 20460, &entry), BO_EPENDING);
    int64_t rid = 0, measure = 0;
    bo_assert_ok(bo_approval_last(carl, &rid));
    request(rid, "measure", NULL, 0, &measure);
    ck_assert_int_eq(measure, 20000);
    ck_assert_int_eq(balance("1200"), receivable);
    bo_assert_err(bo_approval_approve(carl, rid, NULL), BO_EDENIED);
    bo_assert_ok(bo_approval_approve(mia, rid, &entry));
    ck_assert_int_gt(entry, 0);
    ck_assert_int_eq(balance("1200"), receivable - 20000);
    /* Posting it again answers its entry, without a new request. */
    int64_t again = 0;
    bo_assert_ok(bo_billing_invoice_post(carl, big, 20460, &again));
    ck_assert_int_eq(again, entry);
    bo_book_free(mia);
    bo_book_free(carl);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

Suite *approvals_suite(void);
Suite *approvals_suite(void)
{
    Suite *s = suite_create("approvals");
    TCase *tc = tcase_create("core");
    tcase_set_tags(tc, BO_TEST_TAG_REOPEN); /* several actors' handles */
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_approval_entry_above_threshold_waits);
    tcase_add_test(tc, test_approval_rule_set_elsewhere_gates_next_post);
    tcase_add_test(tc, test_approval_executes_as_maker);
    tcase_add_test(tc, test_approval_maker_never_approves_own);
    tcase_add_test(tc, test_approval_unknown_or_unentitled_actor);
    tcase_add_test(tc, test_approval_after_expiry);
    tcase_add_test(tc, test_approval_books_changed_before_approval);
    tcase_add_test(tc, test_approval_reject);
    tcase_add_test(tc, test_approval_two_approvers);
    tcase_add_test(tc, test_approval_accounts_rule);
    tcase_add_test(tc, test_approval_owner_override);
    tcase_add_test(tc, test_approval_rule_needs_admin);
    tcase_add_test(tc, test_approval_grant_and_conflicts);
    tcase_add_test(tc, test_approval_dry_run_refuses_at_request);
    tcase_add_test(tc, test_approval_inside_host_transaction);
    suite_add_tcase(s, tc);
    TCase *inv = tcase_create("inventory");
    tcase_set_tags(inv, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(inv, setup_inventory, teardown);
    tcase_add_test(inv, test_approval_adjustment_above_value_then_stock_sold_out);
    tcase_add_test(inv, test_approval_till_refund_waits_for_manager);
    tcase_add_test(inv, test_approval_till_discount_above_percent);
    tcase_add_test(inv, test_approval_till_discount_rule_seen);
    tcase_add_test(inv, test_approval_till_discount_unit_line);
    tcase_add_test(inv, test_approval_till_discount_then_stock_sold_out);
    suite_add_tcase(s, inv);
    TCase *bill = tcase_create("billing");
    tcase_set_tags(bill, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(bill, setup_billing, teardown);
    tcase_add_test(bill, test_approval_payment_above_amount_then_account_closed);
    tcase_add_test(bill, test_approval_credit_note_above_amount);
    suite_add_tcase(s, bill);
    TCase *pay = tcase_create("payroll");
    tcase_set_tags(pay, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(pay, setup_payroll, teardown);
    tcase_add_test(pay, test_approval_pay_run_four_eyes);
    tcase_add_test(pay, test_approval_pay_terms_and_bank_account);
    suite_add_tcase(s, pay);
    TCase *mx = tcase_create("matrix");
    tcase_set_tags(mx, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(mx, 600);
    tcase_add_checked_fixture(mx, setup_matrix, teardown);
    tcase_add_test(mx, test_approval_access_matrix);
    suite_add_tcase(s, mx);
    TCase *one = tcase_create("one_handle");
    tcase_add_checked_fixture(one, setup, teardown);
    tcase_add_test(one, test_approval_rule_bad_input);
    tcase_add_test(one, test_approval_yaml_section);
    tcase_add_test(one, test_approval_yaml_unknown_command_or_role);
    suite_add_tcase(s, one);
    return s;
}

int main(void)
{
    return bo_test_run(approvals_suite());
}
