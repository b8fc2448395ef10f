/*
 * Store failures at every driver call. A wrapping driver ("faulty:", over
 * the backend's own driver) makes the k-th call of open, exec, begin,
 * commit, rollback, prepare, bind, step or sync_identity fail, once or from
 * then on, for the k values a fixed script of public calls reaches: every
 * k up to 96, then one drawn at random in each window of 4 (each k creates
 * a book), with a seed that changes every run and is printed, so the runs
 * together reach every k and BO_TEST_SEED=N replays a failure. The script
 * creates a book and a chart, posts every kind of entry (new, same and
 * back-dated days, keyed replays, many postings, several currencies, closed
 * periods), reverses, nests transactions and savepoints past the cached
 * levels, and reads everything back. Each call must succeed or fail with a
 * known code and a message; afterwards, with faults off, the same handle
 * must show a verifying audit chain and a balanced trial balance, and still
 * post. Further cases inject one code at one place: a failure inside a host
 * transaction marks it (store failures and partial writes only), a
 * serialization conflict at commit is retried, a busy store says so.
 */
#include "testutil.h"

#include <backoffice/sys/driver.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { K_OPEN, K_EXEC, K_BEGIN, K_COMMIT, K_ROLLBACK, K_PREPARE, K_BIND,
       K_STEP, K_DATA_VERSION, K_SYNC, K_ANY };

static const bo_driver *real;
static bo_driver faulty;
static long calls;      /* counted calls (of kind `only`, or all) */
static long fail_at;    /* 0: no faults */
static int persistent;  /* fail every counted call from fail_at on */
static int only = K_ANY;
static int fault_code = BO_EIO;
static long injected;

static int inject(int kind)
{
    if (only != K_ANY && kind != only)
        return 0;
    calls++;
    if (fail_at && (calls == fail_at || (persistent && calls > fail_at))) {
        injected++;
        return 1;
    }
    return 0;
}

static int f_open(const bo_driver *d, const char *target,
                  const bo_driver_settings *s, bo_driver_conn **out)
{
    (void)d;
    if (inject(K_OPEN)) {
        *out = NULL;
        return fault_code;
    }
    return real->open(real, target, s, out);
}

static int f_exec(bo_driver_conn *c, const char *sql)
{
    return inject(K_EXEC) ? fault_code : real->exec(c, sql);
}

static int f_begin(bo_driver_conn *c, int write)
{
    return inject(K_BEGIN) ? fault_code : real->begin(c, write);
}

/* A failed commit commits nothing. */
static int f_commit(bo_driver_conn *c)
{
    return inject(K_COMMIT) ? fault_code : real->commit(c);
}

/* A failed rollback still rolls back (the connection is reset) but reports
 * the failure: the core must not believe anything of it. */
static int f_rollback(bo_driver_conn *c)
{
    int rc = real->rollback(c);
    return inject(K_ROLLBACK) ? fault_code : rc;
}

static int f_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **out)
{
    return inject(K_PREPARE) ? fault_code : real->prepare(c, sql, out);
}

static int f_bind_int64(bo_driver_stmt *s, int idx, int64_t v)
{
    return inject(K_BIND) ? fault_code : real->bind_int64(s, idx, v);
}

static int f_bind_text(bo_driver_stmt *s, int idx, const char *t, size_t len)
{
    return inject(K_BIND) ? fault_code : real->bind_text(s, idx, t, len);
}

static int f_bind_null(bo_driver_stmt *s, int idx)
{
    return inject(K_BIND) ? fault_code : real->bind_null(s, idx);
}

static int f_step(bo_driver_stmt *s)
{
    return inject(K_STEP) ? fault_code : real->step(s);
}

/* An unknown data version: the core must re-read what it cached. */
static int64_t f_data_version(bo_driver_conn *c)
{
    return inject(K_DATA_VERSION) ? -1 : real->data_version(c);
}

/* Present even when the wrapped driver has none, so copies into a faulty:
 * store always go through it. */
static int f_sync_identity(bo_driver_conn *c, const char *table, const char *col)
{
    if (inject(K_SYNC))
        return fault_code;
    return real->sync_identity ? real->sync_identity(c, table, col) : 0;
}

static void faults_off(void)
{
    fail_at = 0;
    persistent = 0;
    only = K_ANY;
    fault_code = BO_EIO;
    calls = 0;
}

/* Register "faulty:" over the backend's driver (once per process). */
static void register_faulty(void)
{
    faults_off();
    if (bo_driver_find("faulty"))
        return;
    real = bo_driver_find(bo_test_scheme());
    ck_assert_ptr_nonnull(real);
    faulty = *real;
    faulty.scheme = "faulty";
    faulty.name = "fault injection";
    faulty.open = f_open;
    faulty.exec = f_exec;
    faulty.begin = f_begin;
    faulty.commit = f_commit;
    faulty.rollback = f_rollback;
    faulty.prepare = f_prepare;
    faulty.bind_int64 = f_bind_int64;
    faulty.bind_text = f_bind_text;
    faulty.bind_null = f_bind_null;
    faulty.step = f_step;
    if (real->data_version)
        faulty.data_version = f_data_version;
    faulty.sync_identity = f_sync_identity;
    bo_assert_ok(bo_driver_register(&faulty));
}

/* A fresh store of the backend, addressed through the faulty driver. */
static char *faulty_uri(const char *stem)
{
    char *uri = bo_test_path(stem);
    const char *target = bo_test_target(uri);
    char *out = malloc(strlen(target) + 8);
    ck_assert_ptr_nonnull(out);
    sprintf(out, "faulty:%s", target);
    free(uri);
    return out;
}

/* Remove the files of a faulty: SQLite store (nothing for other backends,
 * whose stores the test fixture drops). */
static void drop_store(char *uri)
{
    if (strcmp(bo_test_backend(), "sqlite") == 0) {
        static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
        const char *path = uri + strlen("faulty:");
        char buf[4096];
        for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
            snprintf(buf, sizeof buf, "%s%s", path, suffix[i]);
            unlink(buf);
        }
    }
    free(uri);
}

/* A call's result: 0 (or a positive status), or a known code with a
 * message. Returns non-zero on failure. */
static int checked(int rc, const char *what)
{
    if (rc < 0) {
        ck_assert_msg(strcmp(bo_error_name(rc), "unknown error") != 0,
                      "%s: unknown code %d", what, rc);
        ck_assert_msg(bo_error_message()[0] != '\0', "%s: %s without a message",
                      what, bo_error_name(rc));
    }
    return rc < 0;
}

static bo_date day(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

/* Post an entry of n (account, amount) pairs; returns the id or 0. */
static int64_t post(bo_book *b, const char *date, const char *key, int n,
                    const char *const *acc, const int64_t *amt, const char *cur)
{
    bo_entry *e = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_entry_new(&e, day(date), "scripted entry"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    for (int i = 0; i < n; i++)
        bo_assert_ok(bo_entry_add(e, acc[i], amt[i], cur, "line"));
    if (checked(bo_ledger_post(b, e, &id), "post"))
        id = 0;
    bo_entry_free(e);
    return id;
}

static int64_t post2(bo_book *b, const char *date, const char *key,
                     const char *dr, const char *cr, int64_t amount)
{
    const char *acc[] = { dr, cr };
    const int64_t amt[] = { amount, -amount };
    return post(b, date, key, 2, acc, amt, NULL);
}

static void read_all(bo_cursor *c)
{
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        ;
    checked(rc == BO_ITEROVER ? 0 : rc, "cursor");
    bo_cursor_free(c);
}

/* The fixed script. Carries on after every failure, as a host that logs
 * errors would; returns the book (NULL if it could not be opened). */
static bo_book *script(const char *uri)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    if (checked(bo_book_open(&b, uri, &o), "open"))
        return NULL;
    checked(bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL), "acc");
    checked(bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL), "acc");
    checked(bo_ledger_account_add(b, "4010", "Online", BO_ACCOUNT_INCOME, "4000", NULL), "acc");
    checked(bo_ledger_account_add(b, "1300", "Euro cash", BO_ACCOUNT_ASSET, NULL, "EUR"), "acc");
    checked(bo_ledger_account_add(b, "4300", "Euro sales", BO_ACCOUNT_INCOME, NULL, "EUR"), "acc");
    checked(bo_ledger_period_add(b, "2025", day("2025-01-01"), day("2025-12-31")), "period");

    int64_t first = post2(b, "2026-01-10", NULL, "1000", "4000", 500);
    post2(b, "2026-01-10", NULL, "1000", "4010", 700);      /* same day */
    post2(b, "2026-01-20", NULL, "1000", "4000", 300);      /* a later day */
    post2(b, "2026-01-05", NULL, "1000", "4000", 200);      /* back-dated */
    post2(b, "2026-01-10", NULL, "1000", "4010", 100);      /* back, on a row */
    post2(b, "2025-06-01", "k0", "1000", "4000", 50);       /* before the close */
    post2(b, "2026-02-01", "k1", "1000", "4000", 900);
    post2(b, "2026-02-01", "k1", "1000", "4000", 900);      /* replay */
    post2(b, "2026-02-01", "k1", "1000", "4000", 901);      /* key reuse */
    {
        const char *acc[] = { "1000", "1000", "1000", "1000", "1000",
                              "4000", "4000", "4010", "4010", "1000" };
        const int64_t a2[] = { 10, 20, 30, 40, 50, -60, -40, -25, -24, -1 };
        post(b, "2026-02-02", NULL, 10, acc, a2, NULL);    /* many postings */
        const char *eur[] = { "1300", "4300" };
        const int64_t e[] = { 1234, -1234 };
        post(b, "2026-02-03", "eur", 2, eur, e, "EUR");
        const char *net[] = { "1000", "1000", "4000", "4000" };
        const int64_t n[] = { 5, -5, 7, -7 };
        post(b, "2026-02-04", NULL, 4, net, n, NULL);      /* nets to nothing */
    }
    int64_t rid = 0;
    if (first)
        checked(bo_ledger_reverse(b, first, day("2026-03-01"), "rev1", &rid), "reverse");
    checked(bo_ledger_period_close(b, "2025"), "close period");
    post2(b, "2025-06-01", "k0", "1000", "4000", 50);       /* replay in closed */
    post2(b, "2025-07-01", NULL, "1000", "4000", 50);       /* refused: closed */

    /* a host transaction with a savepoint rolled back */
    if (!checked(bo_book_begin(b), "begin")) {
        post2(b, "2026-03-02", NULL, "1000", "4000", 11);
        if (!checked(bo_book_begin(b), "savepoint")) {
            post2(b, "2026-03-02", NULL, "1000", "4000", 12);
            checked(bo_book_rollback(b), "rollback savepoint");
        }
        post2(b, "2026-03-03", NULL, "1000", "4010", 13);
        checked(bo_book_commit(b), "commit");
    }
    /* nesting past the cached savepoint statements */
    int opened = 0;
    for (int i = 0; i < 10; i++)
        if (!checked(bo_book_begin(b), "nested begin"))
            opened++;
    post2(b, "2026-03-04", NULL, "1000", "4000", 14);
    for (int i = 0; i < opened; i++)
        checked(i % 3 == 1 ? bo_book_rollback(b) : bo_book_commit(b), "nested end");

    checked(bo_ledger_account_close(b, "4010"), "account close");
    post2(b, "2026-03-05", NULL, "1000", "4010", 15);       /* refused: closed */
    checked(bo_book_set_name(b, "Faulty shop"), "set name");

    int64_t bad = 0, seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    checked(bo_audit_verify(b, &bad), "verify");
    checked(bo_audit_head(b, &seq, hex, sizeof hex), "head");
    bo_cursor *c = NULL;
    if (!checked(bo_audit_list(b, 1, &c), "audit list"))
        read_all(c);
    if (!checked(bo_ledger_trial_balance(b, day("2026-12-31"), &c), "trial"))
        read_all(c);
    if (!checked(bo_ledger_journal(b, NULL, day("2026-01-01"), day("2026-12-31"), &c),
                 "journal"))
        read_all(c);
    int64_t bal = 0;
    checked(bo_ledger_balance(b, "4000", day("2026-12-31"), NULL, &bal), "balance");
    return b;
}

/* With faults off: the handle recovers, its books balance, its audit
 * chain verifies, and it still posts. */
static void check_after(bo_book *b, const char *what, long k)
{
    faults_off();
    while (bo_book_depth(b) > 0)
        bo_book_rollback(b);
    int64_t bad = -1;
    int rc = bo_audit_verify(b, &bad);
    ck_assert_msg(rc == 0, "%s k=%ld: audit chain: %s (record %lld)", what, k,
                  bo_error_message(), (long long)bad);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_ledger_trial_balance(b, BO_DATE_MAX, &c));
    int64_t dr = 0, cr = 0;
    while (bo_cursor_next(c) == 0) {
        dr += bo_cursor_int(c, 4);
        cr += bo_cursor_int(c, 5);
    }
    bo_cursor_free(c);
    ck_assert_msg(dr == cr, "%s k=%ld: trial balance %lld / %lld", what, k,
                  (long long)dr, (long long)cr);
    bo_cursor *acc = NULL;
    bo_assert_ok(bo_ledger_accounts(b, &acc));
    int have = 0;
    while (bo_cursor_next(acc) == 0) {
        const char *code = bo_cursor_text(acc, 0);
        have += strcmp(code, "1000") == 0 || strcmp(code, "4000") == 0;
    }
    bo_cursor_free(acc);
    if (have == 2) {
        const char *a[] = { "1000", "4000" };
        const int64_t m[] = { 1, -1 };
        ck_assert_msg(post(b, "2026-04-01", NULL, 2, a, m, NULL) > 0,
                      "%s k=%ld: cannot post after the faults", what, k);
    }
}

/* Every k from 1 to the number of counted calls of a clean run. */
static void fault_loop(int kind, int persist, const char *what)
{
    register_faulty();
    char *uri = faulty_uri("faults_clean");
    only = kind;
    injected = 0;
    bo_book *b = script(uri);
    long total = calls;
    ck_assert_msg(b != NULL && injected == 0, "clean run failed");
    check_after(b, what, 0);
    bo_book_free(b);
    drop_store(uri);
    /* Each k creates a book (every domain's migration) and runs the
     * script: every k up to 96 (opening the store, the first tables),
     * then one drawn at random in each window of 4, or on a server backend
     * (a database per store) of total / 40. The seed changes every run and
     * is printed, so the runs together reach every k and a failure can be
     * replayed (BO_TEST_SEED). */
    int pg = strcmp(bo_test_backend(), "postgresql") == 0;
    long dense = pg ? 0 : 96, stride = pg ? total / 40 + 1 : 4;
    uint64_t draws = bo_test_seed(what) ^ (uint64_t)kind;
    long failed_runs = 0;
    printf("%s: %ld driver calls, every k up to %ld, then one in every %ld\n", what, total,
           dense, stride);
    for (long k = bo_test_sample_next(&draws, 0, dense, stride); k <= total;
         k = bo_test_sample_next(&draws, k, dense, stride)) {
        uri = faulty_uri("faults");
        faults_off();
        only = kind;
        fail_at = k;
        persistent = persist;
        long before = injected;
        b = script(uri);
        ck_assert_msg(injected > before, "%s k=%ld: no fault was injected", what, k);
        failed_runs++;
        if (b) {
            check_after(b, what, k);
            bo_book_free(b);
        }
        drop_store(uri);
    }
    faults_off();
    /* The script reaches hundreds of driver calls; each kind at least once
     * when the driver has it. */
    if (kind == K_ANY)
        ck_assert_int_gt(total, 100);
    ck_assert_int_ge(failed_runs, total > 0 ? 1 : 0);
}

START_TEST(every_call_fails_once)
{
    fault_loop(K_ANY, 0, "once");
}
END_TEST

START_TEST(every_call_fails_from_then_on)
{
    fault_loop(K_ANY, 1, "persistent");
}
END_TEST

START_TEST(every_commit_and_rollback_fails)
{
    fault_loop(K_COMMIT, 0, "commit");
    fault_loop(K_ROLLBACK, 0, "rollback");
    fault_loop(K_DATA_VERSION, 1, "data version");
}
END_TEST

/* Set up a book through the faulty driver with the small chart. */
static char *book_uri; /* of the last faulty_book() */

static bo_book *faulty_book(void)
{
    register_faulty();
    book_uri = faulty_uri("faults_one");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, book_uri, &o));
    bo_test_chart(b);
    return b;
}

static void faulty_book_free(bo_book *b)
{
    bo_book_free(b);
    drop_store(book_uri);
    book_uri = NULL;
}

/* Fail the next counted call of kind with code. */
static void fail_next(int kind, int code)
{
    faults_off();
    only = kind;
    fault_code = code;
    fail_at = 1;
}

/* Inside a host transaction, a posting that fails in the store at its
 * k-th statement marks the transaction failed when the failure is the
 * store's own or something was already written (commit is then refused and
 * rolls back); a refusal before any write leaves the transaction usable. */
static int store_failure(int code)
{
    return code == BO_EIO || code == BO_EFULL || code == BO_ENOMEM ||
           code == BO_ECORRUPT || code == BO_ERROR || code == BO_ECONFLICT ||
           code == BO_EBUSY;
}

static int post_in_transaction(bo_book *b)
{
    /* Accounts not used before in the transaction: reads come first. */
    const char *acc[] = { "1100", "4010" };
    const int64_t amt[] = { 5, -5 };
    bo_entry *e = NULL;
    int64_t id = 0;
    bo_assert_ok(bo_entry_new(&e, day("2026-01-03"), "x"));
    for (int k = 0; k < 2; k++)
        bo_assert_ok(bo_entry_add(e, acc[k], amt[k], NULL, NULL));
    int rc = bo_ledger_post(b, e, &id);
    bo_entry_free(e);
    return rc;
}

START_TEST(failure_inside_transaction)
{
    static const int codes[] = { BO_ECONSTRAINT, BO_EIO, BO_EFULL, BO_ENOMEM,
                                 BO_ECORRUPT, BO_ERROR, BO_ECONFLICT, BO_EBUSY };
    int server = strcmp(bo_test_backend(), "postgresql") == 0;
    size_t ncodes = server ? 2 : sizeof codes / sizeof codes[0];
    /* How many statements the posting steps through. */
    bo_book *b = faulty_book();
    bo_assert_ok(bo_book_begin(b));
    bo_test_post2(b, "2026-01-02", "1000", "4000", 100);
    faults_off();
    only = K_STEP;
    bo_assert_ok(post_in_transaction(b));
    long steps = calls;
    faults_off();
    bo_assert_ok(bo_book_commit(b));
    faulty_book_free(b);
    ck_assert_int_gt(steps, 2);
    int marked = 0, usable = 0;
    for (size_t i = 0; i < ncodes; i++) {
        for (long k = 1; k <= steps; k++) {
            b = faulty_book();
            bo_assert_ok(bo_book_begin(b));
            bo_test_post2(b, "2026-01-02", "1000", "4000", 100);
            fail_next(K_STEP, codes[i]);
            fail_at = k;
            bo_assert_err(post_in_transaction(b), codes[i]);
            faults_off();
            if (strstr(bo_error_message(), "rolled back")) {
                marked++;
                bo_assert_err(post_in_transaction(b), BO_ESTATE);
                bo_assert_err(bo_book_commit(b), BO_ESTATE);
                ck_assert_int_eq(bo_book_depth(b), 0);
            } else {
                ck_assert_msg(!store_failure(codes[i]), "code %d at step %ld: "
                              "not marked: %s", codes[i], k, bo_error_message());
                usable++;
                bo_assert_ok(post_in_transaction(b));
                bo_assert_ok(bo_book_commit(b));
            }
            check_after(b, "in transaction", k);
            faulty_book_free(b);
        }
    }
    ck_assert_int_gt(marked, 0);
    ck_assert_int_gt(usable, 0);
}
END_TEST

/* A serialization conflict at commit is retried inside the library: the
 * entry is recorded once. Persistent conflicts give up with BO_ECONFLICT. */
START_TEST(conflict_at_commit_is_retried)
{
    bo_book *b = faulty_book();
    fail_next(K_COMMIT, BO_ECONFLICT);
    int64_t id = bo_test_post2(b, "2026-01-02", "1000", "4000", 100);
    ck_assert_int_eq(injected, 1);
    faults_off();
    bo_cursor *c = NULL;
    bo_assert_ok(bo_ledger_entry(b, id, &c));
    int rows = 0;
    while (bo_cursor_next(c) == 0)
        rows++;
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 2);
    ck_assert_int_eq(bo_ledger_entry(b, id + 1, &c), BO_ENOTFOUND);

    fail_next(K_COMMIT, BO_ECONFLICT);
    persistent = 1;
    const char *acc[] = { "1000", "4000" };
    const int64_t amt[] = { 7, -7 };
    ck_assert_int_eq(post(b, "2026-01-03", NULL, 2, acc, amt, NULL), 0);
    ck_assert_int_eq(bo_error_code_last(), BO_ECONFLICT);
    ck_assert_int_gt(injected, 5);
    check_after(b, "conflict", 0);
    faulty_book_free(b);
}
END_TEST

/* A busy store says who is in the way; the failure changes nothing. */
START_TEST(busy_store_is_named)
{
    bo_book *b = faulty_book();
    fail_next(K_BEGIN, BO_EBUSY);
    const char *acc[] = { "1000", "4000" };
    const int64_t amt[] = { 7, -7 };
    ck_assert_int_eq(post(b, "2026-01-03", NULL, 2, acc, amt, NULL), 0);
    ck_assert_int_eq(bo_error_code_last(), BO_EBUSY);
    ck_assert_msg(strstr(bo_error_message(), "locked") != NULL, "%s",
                  bo_error_message());
    check_after(b, "busy", 0);
    faulty_book_free(b);
}
END_TEST

/* Inside a host transaction a conflict is not retried (only the outermost
 * level can be): the caller gets it, once. */
START_TEST(conflict_inside_transaction_is_reported)
{
    bo_book *b = faulty_book();
    bo_assert_ok(bo_book_begin(b));
    fail_next(K_STEP, BO_ECONFLICT);
    bo_assert_err(bo_ledger_account_add(b, "1900", "Other", BO_ACCOUNT_ASSET, NULL,
                                        NULL), BO_ECONFLICT);
    ck_assert_int_eq(injected, 1);
    faults_off();
    bo_assert_ok(bo_book_rollback(b));
    check_after(b, "conflict in transaction", 0);
    faulty_book_free(b);
}
END_TEST

/* Copying a book into a store whose keys cannot be brought in step after
 * the copy fails with the driver's code, and leaves no book there. */
START_TEST(copy_fails_when_keys_cannot_be_synced)
{
    bo_book *b = faulty_book();
    bo_test_post2(b, "2026-01-02", "1000", "4000", 100);
    faults_off();
    bo_book_free(b);
    char *dst = faulty_uri("faults_copy");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    fail_next(K_SYNC, BO_EIO);
    int rc = bo_book_copy(book_uri, dst, &o, NULL, NULL);
    long hit = injected;
    faults_off();
    ck_assert_int_eq(hit, 1);
    bo_assert_err(rc, BO_EIO);
    bo_book *c = NULL;
    bo_assert_err(bo_book_open(&c, dst, &o), BO_ENOTFOUND);
    drop_store(dst);
    drop_store(book_uri);
    book_uri = NULL;
}
END_TEST

/* Opening fails cleanly at every step of creating a book (sampled). */
START_TEST(open_fails_at_every_step)
{
    register_faulty();
    char *uri = faulty_uri("faults_open");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    faults_off();
    bo_assert_ok(bo_book_open(&b, uri, &o));
    long total = calls;
    bo_book_free(b);
    drop_store(uri);
    /* Sampled as in fault_loop(): every k up to 96, then one in every 4. */
    uint64_t draws = bo_test_seed("open");
    printf("open: %ld driver calls, every k up to 96, then one in every 4\n", total);
    for (long k = bo_test_sample_next(&draws, 0, 96, 4); k <= total;
         k = bo_test_sample_next(&draws, k, 96, 4)) {
        uri = faulty_uri("faults_open");
        faults_off();
        fail_at = k;
        b = (bo_book *)&o; /* must be reset on failure */
        int rc = bo_book_open(&b, uri, &o);
        if (rc == 0) {
            check_after(b, "open", k); /* the failure was survived */
            bo_book_free(b);
        } else {
            checked(rc, "open");
            ck_assert_ptr_null(b);
        }
        drop_store(uri);
    }
    faults_off();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("store_faults");
    TCase *tc = tcase_create("faults");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, every_call_fails_once);
    tcase_add_test(tc, every_call_fails_from_then_on);
    tcase_add_test(tc, every_commit_and_rollback_fails);
    tcase_add_test(tc, failure_inside_transaction);
    tcase_add_test(tc, conflict_at_commit_is_retried);
    tcase_add_test(tc, busy_store_is_named);
    tcase_add_test(tc, open_fails_at_every_step);
    tcase_add_test(tc, conflict_inside_transaction_is_reported);
    suite_add_tcase(s, tc);
    /* A copy reads its source twice: not for stores that vanish on close. */
    TCase *copy = tcase_create("copy");
    tcase_set_tags(copy, BO_TEST_TAG_REOPEN);
    tcase_add_test(copy, copy_fails_when_keys_cannot_be_synced);
    suite_add_tcase(s, copy);
    return bo_test_run(s);
}
