/*
 * Out-of-memory loop. Through bo_set_allocator (which SQLite's allocations
 * go through too), fail the k-th allocation of a public call for every k
 * from 1 until the call succeeds without reaching k: once (only the k-th
 * fails) and persistently (every allocation from the k-th fails). Each time:
 *   - no crash, and a negative code with a message (BO_ENOMEM, or the store
 *     error SQLite turned it into);
 *   - no leak: every block allocated through the hook is freed once the
 *     book is closed and the allocator restored (SQLite shut down), counted
 *     here in every build and checked by LeakSanitizer in the ASan build;
 *   - the handle still works once memory is back (a read, a begin/rollback);
 *   - after restoring the allocator and reopening the book: integrity
 *     check ok, audit chain verifies, trial balance zero and equal to the
 *     journal, and the book is exactly as before the call (it failed) or
 *     exactly as after an undisturbed call (it succeeded): a fingerprint of
 *     accounts, periods, grants, journal, audit head and name says which.
 *
 *   oom_test [--only NAME] [--k K] [--dense N --stride S] [--max-k K]
 *            [--create-dense N --create-stride S] [--seed S] [--list]
 *            [--verbose]
 *
 * --dense N --stride S: every k up to N, then one k drawn at random in each
 * following window of S values (the sanitizer build's short form); the
 * default is every k.
 * --create-dense N --create-stride S: the same for the calls that create a
 * book (every domain's migration: some 29,000 allocations); N defaults to
 * 1,000 (or --dense when larger). Without them they too get the plain form.
 * --seed S: the draws of a sampled run; by default BO_TEST_SEED or a new
 * seed each run, printed first, so a run that failed can be replayed and
 * the runs together reach every k.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mix.h"

/* ---- the allocator ------------------------------------------------------------ */
static long n_alloc, fail_at, hits, live;
static int armed, persistent;

static int should_fail(void)
{
    if (!armed)
        return 0;
    long n = ++n_alloc;
    if (n == fail_at || (persistent && n > fail_at)) {
        hits++;
        return 1;
    }
    return 0;
}

static void *h_malloc(void *ud, size_t size)
{
    (void)ud;
    if (should_fail())
        return NULL;
    void *p = malloc(size);
    if (p)
        live++;
    return p;
}

static void *h_realloc(void *ud, void *p, size_t size)
{
    (void)ud;
    if (should_fail())
        return NULL;
    return realloc(p, size);
}

static void h_free(void *ud, void *p)
{
    (void)ud;
    if (p) {
        live--;
        free(p);
    }
}

static const bo_allocator hook = { BO_ALLOCATOR_VERSION, h_malloc, h_realloc, h_free, NULL };

static void arm(long k, int pers)
{
    n_alloc = 0;
    hits = 0;
    fail_at = k;
    persistent = pers;
    armed = 1;
}

static void disarm(void)
{
    armed = 0;
}

/* ---- the books ------------------------------------------------------------- */
static char template_path[4200], work_path[4200];
static int64_t reversible_id, template_max_id;

#define DAY(y, m, d) ymd(y, m, d)

static bo_date ymd(int y, int m, int d)
{
    bo_date out = 0;
    bo_date_from_ymd(y, m, d, &out);
    return out;
}

static const char yaml[] =
    "book:\n"
    "  name: Test Shop\n"
    "  base_currency: USD\n"
    "  currencies:\n"
    "    - {code: XBT, exponent: 8}\n"
    "fiscal_year:\n"
    "  start: 2026-01-01\n"
    "  periods: quarterly\n"
    "  years: 1\n"
    "accounts:\n"
    "  - code: 1000\n"
    "    name: Assets\n"
    "    type: asset\n"
    "    children:\n"
    "      - {code: \"1010\", name: Cash}\n"
    "      - {code: \"1020\", name: Bitcoin wallet, currency: XBT}\n"
    "  - {code: \"3000\", name: Equity, type: equity}\n"
    "  - {code: \"4000\", name: Sales, type: income}\n"
    "roles:\n"
    "  clerk: [ledger.read, ledger.post]\n"
    "actors:\n"
    "  bob: [clerk]\n";

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        fprintf(stderr, "copy %s -> %s failed\n", from, to);
        exit(99);
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) {
            fprintf(stderr, "copy %s -> %s failed\n", from, to);
            exit(99);
        }
    fclose(in);
    fclose(out);
}

static int post2(bo_book *b, const char *key, const char *dr, const char *cr,
                 int64_t amount, bo_date date, int64_t *id)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, date, "oom");
    if (!rc && key)
        rc = bo_entry_set_key(e, key);
    if (!rc)
        rc = bo_entry_add(e, dr, amount, NULL, NULL);
    if (!rc)
        rc = bo_entry_add(e, cr, -amount, NULL, NULL);
    if (!rc)
        rc = bo_ledger_post(b, e, id);
    bo_entry_free(e);
    return rc;
}

static void must(int rc, const char *what)
{
    if (rc != 0) {
        fprintf(stderr, "setup: %s: %d %s\n", what, rc, bo_error_message());
        exit(99);
    }
}

/* The book every call starts from: the stress chart, a few entries (one to
 * reverse), an open period, a role granted to a clerk. */
static void make_template(void)
{
    st_unlink_db(template_path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    must(bo_book_open(&b, template_path, &o), "create template");
    must(st_chart_ensure(b), "chart");
    int64_t id = 0;
    for (int i = 0; i < 6; i++) {
        char key[16];
        snprintf(key, sizeof key, "t%d", i);
        must(post2(b, key, i % 2 ? "1000" : "1100", i % 3 ? "4000" : "4010",
                   1000 + i, DAY(2025, 1 + i, 10), &id), "post");
        if (i == 2)
            reversible_id = id;
    }
    template_max_id = id;
    must(bo_ledger_period_add(b, "2025-Q1", DAY(2025, 1, 1), DAY(2025, 3, 31)), "period");
    must(bo_ledger_period_add(b, "2025-Q2", DAY(2025, 4, 1), DAY(2025, 6, 30)), "period");
    must(bo_role_define(b, "clerk", "ledger.read ledger.post"), "role");
    must(bo_role_grant(b, "bob", "clerk"), "grant");
    must(bo_role_grant(b, "carol", "clerk"), "grant");
    bo_book_free(b);
}

static void reset_work(int empty)
{
    st_unlink_db(work_path);
    if (!empty)
        copy_file(template_path, work_path);
}

static int open_work(bo_book **b)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return bo_book_open(b, work_path, &o);
}

/* ---- fingerprint: the book's whole visible state (times excluded) ------------ */
typedef struct print {
    int exists;
    uint64_t accounts, periods, grants, journal, trial;
    long naccounts, nperiods, ngrants, nrows;
    int64_t audit_seq;
    char name[64];
} print;

static uint64_t fnv(uint64_t h, const char *s)
{
    if (!s)
        s = "\x01";
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

static uint64_t fnv_int(uint64_t h, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return fnv(h, buf);
}

/* Hash every column of every row; -1 when the cursor failed. */
static long hash_cursor(int rc, bo_cursor *c, uint64_t *h)
{
    long rows = 0;
    *h = 0xcbf29ce484222325ULL;
    if (rc != 0)
        return -1;
    while ((rc = bo_cursor_next(c)) == 0) {
        rows++;
        for (int i = 0; i < bo_cursor_column_count(c); i++)
            *h = bo_cursor_type(c, i) == BO_TYPE_INT ? fnv_int(*h, bo_cursor_int(c, i))
                                                     : fnv(*h, bo_cursor_text(c, i));
    }
    bo_cursor_free(c);
    return rc < 0 ? -1 : rows;
}

static long failures;

#define FAIL(...) do { \
    fprintf(stderr, "FAIL "); \
    fprintf(stderr, __VA_ARGS__); \
    fputc('\n', stderr); \
    failures++; \
} while (0)

/* Check the invariants of the book at work_path and take its fingerprint. */
static void inspect(print *p, const char *what)
{
    memset(p, 0, sizeof *p);
    int integ = mix_integrity(work_path);
    if (integ == 0)
        FAIL("%s: integrity_check", what);
    bo_book *b = NULL;
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    int rc = integ < 0 ? BO_ENOTFOUND : bo_book_open(&b, work_path, &o);
    if (rc == BO_ENOTFOUND)
        return;
    if (rc != 0) {
        FAIL("%s: reopen: %d %s", what, rc, bo_error_message());
        return;
    }
    p->exists = 1;
    bo_cursor *c = NULL;
    rc = bo_ledger_accounts(b, &c);
    p->naccounts = hash_cursor(rc, c, &p->accounts);
    rc = bo_ledger_periods(b, &c);
    p->nperiods = hash_cursor(rc, c, &p->periods);
    rc = bo_role_list(b, &c);
    p->ngrants = hash_cursor(rc, c, &p->grants);
    rc = bo_ledger_journal(b, NULL, BO_DATE_MIN, BO_DATE_MAX, &c);
    p->nrows = hash_cursor(rc, c, &p->journal);
    if (p->naccounts < 0 || p->nperiods < 0 || p->ngrants < 0 || p->nrows < 0)
        FAIL("%s: a listing failed: %s", what, bo_error_message());
    /* Trial balance: zero per currency, and each row equal to the net of
     * the journal's postings to that account and currency. */
    int64_t dr[2] = { 0, 0 }, cr[2] = { 0, 0 };
    st_map net;
    st_map_init(&net);
    if (bo_ledger_journal(b, NULL, BO_DATE_MIN, BO_DATE_MAX, &c) == 0) {
        int ca = st_col(c, "account"), cc = st_col(c, "currency"), cm = st_col(c, "amount");
        while (bo_cursor_next(c) == 0) {
            int64_t key = (int64_t)fnv(fnv(0, bo_cursor_text(c, ca)), bo_cursor_text(c, cc)), v = 0;
            st_map_get(&net, key, &v);
            st_map_put(&net, key, v + bo_cursor_int(c, cm));
        }
        bo_cursor_free(c);
    }
    if (bo_ledger_trial_balance(b, BO_DATE_MAX, &c) == 0) {
        int ca = st_col(c, "code"), cc = st_col(c, "currency"), cd = st_col(c, "debit");
        int ccr = st_col(c, "credit");
        uint64_t h = 0xcbf29ce484222325ULL;
        while (bo_cursor_next(c) == 0) {
            const char *code = bo_cursor_text(c, ca), *cur = bo_cursor_text(c, cc);
            int i = cur && strcmp(cur, "EUR") == 0;
            int64_t d = bo_cursor_int(c, cd), k = bo_cursor_int(c, ccr), v = 0;
            int64_t key = (int64_t)fnv(fnv(0, code), cur);
            st_map_get(&net, key, &v);
            if (v != d - k)
                FAIL("%s: trial balance of %s %s is %" PRId64 ", its postings sum to %"
                     PRId64, what, code, cur, d - k, v);
            st_map_put(&net, key, 0);
            dr[i] += d;
            cr[i] += k;
            h = fnv(fnv(fnv_int(fnv_int(h, d), k), code), cur);
        }
        p->trial = h;
        bo_cursor_free(c);
    } else {
        FAIL("%s: trial balance: %s", what, bo_error_message());
    }
    for (size_t i = 0; i < net.cap; i++)
        if (net.used[i] && net.vals[i] != 0)
            FAIL("%s: postings with a net of %" PRId64 " missing from the trial balance",
                 what, net.vals[i]);
    st_map_free(&net);
    for (int i = 0; i < 2; i++)
        if (dr[i] != cr[i])
            FAIL("%s: trial balance %s not zero: debit %" PRId64 " credit %" PRId64, what,
                 i ? "EUR" : "USD", dr[i], cr[i]);
    int64_t bad = -1;
    if (bo_audit_verify_full(b, NULL, &bad) != 0 || bad != 0)
        FAIL("%s: audit verification failed at %" PRId64 ": %s", what, bad, bo_error_message());
    char hex[BO_HASH_HEX_SIZE];
    if (bo_audit_head(b, &p->audit_seq, hex, sizeof hex) != 0)
        FAIL("%s: audit head: %s", what, bo_error_message());
    snprintf(p->name, sizeof p->name, "%s", bo_book_name(b));
    bo_book_free(b);
}

static int same_print(const print *a, const print *b)
{
    return a->exists == b->exists && a->accounts == b->accounts &&
           a->periods == b->periods && a->grants == b->grants &&
           a->journal == b->journal && a->trial == b->trial &&
           a->naccounts == b->naccounts && a->nperiods == b->nperiods &&
           a->ngrants == b->ngrants && a->nrows == b->nrows &&
           a->audit_seq == b->audit_seq && strcmp(a->name, b->name) == 0;
}

static void describe(const print *p, char *buf, size_t size)
{
    snprintf(buf, size, "%s, %ld accounts, %ld periods, %ld grants, %ld journal rows, "
             "audit seq %" PRId64 ", name '%s'", p->exists ? "book" : "no book",
             p->naccounts, p->nperiods, p->ngrants, p->nrows, p->audit_seq, p->name);
}

/* ---- the calls ------------------------------------------------------------------ */
typedef struct ctx {
    char msg[256];     /* a multi-step call's first error message */
    bo_book *book;
    bo_entry *entry;
    bo_cursor *cursor;
    int freed;         /* times the event subscription's user was released */
    int sub_id;
} ctx;

typedef struct call {
    const char *name;
    int book;      /* 0: no book; 1: open the template first; 2: an empty store;
                      3: the template, not opened */
    int mutates;   /* compare the fingerprint with before/after */
    void (*setup)(ctx *c);        /* not armed */
    int (*run)(ctx *c);           /* armed, unless it arms itself */
    int self_arm;
} call;

static void rearm(void)
{
    /* For calls that arm themselves: the counter continues where it was. */
    armed = 1;
}

static int drain_cursor(bo_cursor *cur)
{
    int rc;
    while ((rc = bo_cursor_next(cur)) == 0) {
    }
    return rc == BO_ITEROVER ? 0 : rc;
}

static void setup_entry(ctx *c) { must(bo_entry_new(&c->entry, DAY(2025, 7, 1), "memo"), "entry"); }

static void setup_post(ctx *c)
{
    setup_entry(c);
    must(bo_entry_set_key(c->entry, "oom-post"), "key");
    must(bo_entry_add(c->entry, "1000", 777, NULL, "line"), "add");
    must(bo_entry_add(c->entry, "1200", 55, "EUR", NULL), "add");
    must(bo_entry_add(c->entry, "5100", -55, "EUR", NULL), "add");
    must(bo_entry_add(c->entry, "4000", -777, NULL, NULL), "add");
}

static int run_open(ctx *c) { return open_work(&c->book); }

static int run_create(ctx *c)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.base_currency = "EUR";
    o.sync = BO_SYNC_OFF;
    return bo_book_open(&c->book, work_path, &o);
}

static int run_yaml(ctx *c)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return bo_book_create_from_yaml_string(&c->book, yaml, sizeof yaml - 1, work_path, &o);
}

static int run_set_actor(ctx *c) { return bo_book_set_actor(c->book, "carol"); }
static int run_account_add(ctx *c)
{
    return bo_ledger_account_add(c->book, "4020", "Sales: shop", BO_ACCOUNT_INCOME, "4000", NULL);
}
static int run_account_close(ctx *c) { return bo_ledger_account_close(c->book, "5100"); }
static int run_entry_new(ctx *c) { return bo_entry_new(&c->entry, DAY(2025, 7, 1), "a memo"); }
static int run_entry_add(ctx *c) { return bo_entry_add(c->entry, "1000", 5, NULL, "a line memo"); }
static int run_entry_key(ctx *c) { return bo_entry_set_key(c->entry, "a-key"); }
static int run_post(ctx *c) { return bo_ledger_post(c->book, c->entry, NULL); }
static int run_reverse(ctx *c)
{
    return bo_ledger_reverse(c->book, reversible_id, DAY(2025, 7, 2), "oom-rev", NULL);
}
static int run_balance(ctx *c)
{
    int64_t v;
    return bo_ledger_balance(c->book, "4000", DAY(2025, 12, 31), NULL, &v);
}
static int run_set_name(ctx *c) { return bo_book_set_name(c->book, "Corner Shop"); }
static int run_period_add(ctx *c)
{
    return bo_ledger_period_add(c->book, "2025-Q3", DAY(2025, 7, 1), DAY(2025, 9, 30));
}
static int run_period_close(ctx *c) { return bo_ledger_period_close(c->book, "2025-Q1"); }
static int run_role_define(ctx *c) { return bo_role_define(c->book, "auditor", "ledger.read audit.read"); }
static int run_role_grant(ctx *c) { return bo_role_grant(c->book, "dave", "clerk"); }
static int run_role_revoke(ctx *c) { return bo_role_revoke(c->book, "carol", "clerk"); }
static int run_actor_can(ctx *c)
{
    int rc = bo_actor_can(c->book, "ledger.post");
    return rc == 1 ? 0 : rc == 0 ? BO_ERROR : rc;
}
static int run_audit_verify(ctx *c) { return bo_audit_verify(c->book, NULL); }
static int run_audit_verify_full(ctx *c) { return bo_audit_verify_full(c->book, NULL, NULL); }
static int run_audit_head(ctx *c)
{
    int64_t seq;
    char hex[BO_HASH_HEX_SIZE];
    return bo_audit_head(c->book, &seq, hex, sizeof hex);
}

static void free_user(void *user)
{
    ((ctx *)user)->freed++;
}
static void on_event(const char *event, int64_t id, void *user)
{
    (void)event;
    (void)id;
    (void)user;
}
static int run_subscribe(ctx *c)
{
    int rc = bo_event_subscribe(c->book, "entry.posted", on_event, c, free_user, &c->sub_id);
    if (rc != 0 && c->freed != 1)
        FAIL("event subscribe failed (%d) and released its user %d times, not once", rc,
             c->freed);
    if (rc == 0 && c->freed != 0)
        FAIL("event subscribe succeeded and released its user");
    return rc;
}

/* A host transaction of two posts, every allocation of it counted. */
static int run_tx(ctx *c)
{
    int rc = bo_book_begin(c->book);
    if (!rc)
        rc = post2(c->book, "tx-a", "1000", "4000", 300, DAY(2025, 7, 3), NULL);
    if (!rc)
        rc = post2(c->book, "tx-b", "1100", "4010", 400, DAY(2025, 7, 4), NULL);
    if (!rc)
        return bo_book_commit(c->book);
    snprintf(c->msg, sizeof c->msg, "%s", bo_error_message());
    while (bo_book_depth(c->book) > 0)
        bo_book_rollback(c->book);
    return rc;
}

/* Reads inside a host transaction, whose failure the host ignores, then a
 * second post and the commit: the transaction is all or nothing. The
 * presence of A and B follows the commit's result. */
static int run_read_in_tx(ctx *c)
{
    disarm();
    int rc = bo_book_begin(c->book);
    if (!rc)
        rc = post2(c->book, "rt-a", "1000", "4000", 300, DAY(2025, 7, 3), NULL);
    if (rc) {
        FAIL("read_in_tx: setup: %s", bo_error_message());
        return rc;
    }
    rearm();
    bo_cursor *cur = NULL;
    int rrc = bo_ledger_trial_balance(c->book, BO_DATE_MAX, &cur);
    if (!rrc)
        rrc = drain_cursor(cur);
    bo_cursor_free(cur);
    int64_t v;
    int brc = bo_ledger_balance(c->book, "1000", BO_DATE_MAX, NULL, &v);
    disarm();
    if (rrc > 0 || brc > 0)
        FAIL("read_in_tx: positive read result %d %d", rrc, brc);
    /* The host ignores the failed reads and goes on. */
    int prc = post2(c->book, "rt-b", "1100", "4010", 400, DAY(2025, 7, 4), NULL);
    int crc = bo_book_commit(c->book);
    snprintf(c->msg, sizeof c->msg, "%s", bo_error_message());
    while (bo_book_depth(c->book) > 0)
        bo_book_rollback(c->book);
    if (crc == 0 && prc != 0)
        FAIL("read_in_tx: the commit succeeded after post B failed (%d)", prc);
    return crc;
}

static int run_accounts(ctx *c) { return bo_ledger_accounts(c->book, &c->cursor); }
static int run_trial_balance(ctx *c)
{
    return bo_ledger_trial_balance(c->book, DAY(2025, 12, 31), &c->cursor);
}
static int run_journal(ctx *c)
{
    return bo_ledger_journal(c->book, NULL, DAY(2025, 1, 1), DAY(2025, 12, 31), &c->cursor);
}
static int run_balance_sheet(ctx *c)
{
    return bo_ledger_balance_sheet(c->book, DAY(2025, 12, 31), &c->cursor);
}
static int run_income_statement(ctx *c)
{
    return bo_ledger_income_statement(c->book, DAY(2025, 1, 1), DAY(2025, 12, 31), &c->cursor);
}
static int run_periods(ctx *c) { return bo_ledger_periods(c->book, &c->cursor); }
static void setup_accounts(ctx *c) { must(run_accounts(c), "accounts"); }
static void setup_trial_balance(ctx *c) { must(run_trial_balance(c), "trial balance"); }
static void setup_journal(ctx *c) { must(run_journal(c), "journal"); }
static void setup_balance_sheet(ctx *c) { must(run_balance_sheet(c), "balance sheet"); }
static void setup_income_statement(ctx *c) { must(run_income_statement(c), "income statement"); }
static void setup_periods(ctx *c) { must(run_periods(c), "periods"); }
static int run_entry(ctx *c) { return bo_ledger_entry(c->book, reversible_id, &c->cursor); }
static void setup_entry_cursor(ctx *c) { must(run_entry(c), "entry"); }
static int run_role_list(ctx *c) { return bo_role_list(c->book, &c->cursor); }
static void setup_role_list(ctx *c) { must(run_role_list(c), "role_list"); }
static int run_audit_list(ctx *c) { return bo_audit_list(c->book, 1, &c->cursor); }
static void setup_audit_list(ctx *c) { must(run_audit_list(c), "audit_list"); }
static int run_next(ctx *c) { return drain_cursor(c->cursor); }

static const call calls[] = {
    { "book_open", 3, 0, NULL, run_open, 0 },
    { "book_open_create", 2, 1, NULL, run_create, 0 },
    { "book_create_from_yaml_string", 2, 1, NULL, run_yaml, 0 },
    { "book_set_actor", 1, 0, NULL, run_set_actor, 0 },
    { "book_set_name", 1, 1, NULL, run_set_name, 0 },
    { "ledger_account_add", 1, 1, NULL, run_account_add, 0 },
    { "ledger_account_close", 1, 1, NULL, run_account_close, 0 },
    { "entry_new", 0, 0, NULL, run_entry_new, 0 },
    { "entry_add", 0, 0, setup_entry, run_entry_add, 0 },
    { "entry_set_key", 0, 0, setup_entry, run_entry_key, 0 },
    { "ledger_post", 1, 1, setup_post, run_post, 0 },
    { "ledger_reverse", 1, 1, NULL, run_reverse, 0 },
    { "ledger_balance", 1, 0, NULL, run_balance, 0 },
    { "ledger_period_add", 1, 1, NULL, run_period_add, 0 },
    { "ledger_period_close", 1, 1, NULL, run_period_close, 0 },
    { "role_define", 1, 1, NULL, run_role_define, 0 },
    { "role_grant", 1, 1, NULL, run_role_grant, 0 },
    { "role_revoke", 1, 1, NULL, run_role_revoke, 0 },
    { "actor_can", 1, 0, NULL, run_actor_can, 0 },
    { "audit_verify", 1, 0, NULL, run_audit_verify, 0 },
    { "audit_verify_full", 1, 0, NULL, run_audit_verify_full, 0 },
    { "audit_head", 1, 0, NULL, run_audit_head, 0 },
    { "event_subscribe", 1, 0, NULL, run_subscribe, 0 },
    { "transaction_of_two_posts", 1, 1, NULL, run_tx, 0 },
    { "reads_inside_a_transaction", 1, 1, NULL, run_read_in_tx, 1 },
    { "ledger_accounts", 1, 0, NULL, run_accounts, 0 },
    { "ledger_accounts+next", 1, 0, setup_accounts, run_next, 0 },
    { "ledger_entry", 1, 0, NULL, run_entry, 0 },
    { "ledger_entry+next", 1, 0, setup_entry_cursor, run_next, 0 },
    { "ledger_trial_balance", 1, 0, NULL, run_trial_balance, 0 },
    { "ledger_trial_balance+next", 1, 0, setup_trial_balance, run_next, 0 },
    { "ledger_journal", 1, 0, NULL, run_journal, 0 },
    { "ledger_journal+next", 1, 0, setup_journal, run_next, 0 },
    { "ledger_balance_sheet", 1, 0, NULL, run_balance_sheet, 0 },
    { "ledger_balance_sheet+next", 1, 0, setup_balance_sheet, run_next, 0 },
    { "ledger_income_statement", 1, 0, NULL, run_income_statement, 0 },
    { "ledger_income_statement+next", 1, 0, setup_income_statement, run_next, 0 },
    { "ledger_periods", 1, 0, NULL, run_periods, 0 },
    { "ledger_periods+next", 1, 0, setup_periods, run_next, 0 },
    { "role_list", 1, 0, NULL, run_role_list, 0 },
    { "role_list+next", 1, 0, setup_role_list, run_next, 0 },
    { "audit_list", 1, 0, NULL, run_audit_list, 0 },
    { "audit_list+next", 1, 0, setup_audit_list, run_next, 0 },
};
#define NCALLS ((int)(sizeof calls / sizeof calls[0]))

/* ---- one k ---------------------------------------------------------------------- */
typedef struct outcome {
    int rc, hit;
} outcome;

static long codes[32];   /* how often each -code was returned */
static long call_codes[32]; /* the same, for the current call */
static long committed_anyway; /* errors returned after the change was committed */
static long runs, verbose;

static outcome run_once(const call *cl, long k, int pers, const print *before,
                        const print *after, int check)
{
    outcome o = { 0, 0 };
    ctx c;
    memset(&c, 0, sizeof c);
    reset_work(cl->book == 2);
    if (bo_set_allocator(&hook) != 0) {
        FAIL("%s: cannot install the allocator: %s", cl->name, bo_error_message());
        return o;
    }
    live = 0;
    if (cl->book == 1)
        must(open_work(&c.book), "open");
    if (cl->setup)
        cl->setup(&c);
    arm(k, pers);
    if (k == 0)
        disarm();
    o.rc = cl->run(&c);
    disarm();
    o.hit = hits > 0;
    runs++;
    const char *mode = pers ? "persistent" : "once";
    char what[160];
    snprintf(what, sizeof what, "%s k=%ld %s", cl->name, k, mode);
    if (o.rc > 0)
        FAIL("%s: positive result %d", what, o.rc);
    if (o.rc < 0) {
        const char *msg = c.msg[0] ? c.msg : bo_error_message();
        if (!msg[0])
            FAIL("%s: error %d without a message", what, o.rc);
        if (-o.rc < 32) {
            codes[-o.rc]++;
            call_codes[-o.rc]++;
        }
        if (!o.hit && !cl->self_arm)
            FAIL("%s: error %d (%s) although no allocation failed", what, o.rc, msg);
        if (verbose)
            printf("  %s: %d %s\n", what, o.rc, msg);
    }
    /* Memory is back: the handle must work again. */
    if (c.book) {
        bo_cursor *cur = NULL;
        int rc = bo_ledger_accounts(c.book, &cur);
        if (!rc)
            rc = drain_cursor(cur);
        bo_cursor_free(cur);
        if (rc)
            FAIL("%s: listing the accounts afterwards fails: %d %s", what, rc,
                 bo_error_message());
        rc = bo_book_begin(c.book);
        if (!rc)
            rc = bo_book_rollback(c.book);
        if (rc)
            FAIL("%s: begin/rollback afterwards fails: %d %s", what, rc, bo_error_message());
    }
    bo_cursor_free(c.cursor);
    bo_entry_free(c.entry);
    int subscribed = cl->run == run_subscribe && o.rc == 0;
    bo_book_free(c.book);
    if (subscribed && c.freed != 1)
        FAIL("%s: the subscription's user released %d times at close", what, c.freed);
    if (bo_set_allocator(NULL) != 0)
        FAIL("%s: cannot restore the allocator: %s", what, bo_error_message());
    if (live != 0)
        FAIL("%s: %ld block(s) allocated through the hook never freed", what, live);
    if (!check || cl->book == 0)
        return o;
    print now;
    inspect(&now, what);
    if (!cl->mutates) {
        if (!same_print(&now, before)) {
            char a[256], b[256];
            describe(before, a, sizeof a);
            describe(&now, b, sizeof b);
            FAIL("%s: a call that changes nothing changed the book: was %s; now %s", what, a, b);
        }
        return o;
    }
    const print *want = o.rc == 0 ? after : before;
    if (o.rc != 0 && same_print(&now, after)) {
        /* Complete, but reported as failed: an error after the commit. A
         * host that retries without a key would do the work twice: a
         * failure of the test, not a statistic. */
        committed_anyway++;
        FAIL("%s: returned %d (%s) although the change was committed", what, o.rc,
             c.msg[0] ? c.msg : bo_error_message());
    } else if (!same_print(&now, want)) {
        char a[256], b[256];
        describe(want, a, sizeof a);
        describe(&now, b, sizeof b);
        FAIL("%s: returned %d but the book is not as %s: expected %s; found %s%s", what,
             o.rc, o.rc == 0 ? "after the call" : "before it", a, b,
             same_print(&now, before) ? " (success reported, nothing done)"
             : " (a half state)");
    }
    return o;
}

static void usage(void)
{
    fprintf(stderr, "usage: oom_test [--only NAME] [--k K] [--dense N --stride S]"
                    " [--create-dense N --create-stride S] [--seed S] [--max-k K] [--list]"
                    " [--verbose]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *only = NULL, *seed_arg = NULL;
    long max_k = 1000000, only_k = 0, dense = 0, stride = 1, create_stride = 1;
    long create_dense = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--only") == 0 && v) {
            only = v;
            i++;
        } else if (strcmp(a, "--k") == 0 && v) {
            only_k = atol(v);
            i++;
        } else if (strcmp(a, "--dense") == 0 && v) {
            dense = atol(v);
            i++;
        } else if (strcmp(a, "--create-stride") == 0 && v) {
            create_stride = atol(v);
            i++;
        } else if (strcmp(a, "--create-dense") == 0 && v) {
            create_dense = atol(v);
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            seed_arg = v;
            i++;
        } else if (strcmp(a, "--stride") == 0 && v) {
            stride = atol(v);
            i++;
        } else if (strcmp(a, "--max-k") == 0 && v) {
            max_k = atol(v);
            i++;
        } else if (strcmp(a, "--list") == 0) {
            for (int j = 0; j < NCALLS; j++)
                puts(calls[j].name);
            return 0;
        } else if (strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else {
            usage();
        }
    }
    if (stride < 1 || max_k < 1 || create_stride < 1)
        usage();
    if (create_dense < 0)
        create_dense = dense > 1000 ? dense : 1000;
    /* Each call and mode draws from its own stream of the seed, so that
     * --seed S --only NAME tries the same k values as the whole run did. */
    uint64_t seed = st_run_seed("oom", "--seed", seed_arg);
    st_rng rng;
    if (stride > 1)
        printf("oom: every k up to %ld, then one at random in every %ld\n", dense, stride);
    if (create_stride > stride)
        printf("oom: creating a book: every k up to %ld, then one at random in every %ld\n",
               create_dense, create_stride);
    const char *dir = st_tmpdir();
    snprintf(template_path, sizeof template_path, "%s/oom-template-%ld.db", dir, (long)getpid());
    snprintf(work_path, sizeof work_path, "%s/oom-work-%ld.db", dir, (long)getpid());
    make_template();
    double t0 = st_now();
    long total_k = 0, ncalls = 0, max_seen = 0;
    for (int i = 0; i < NCALLS; i++) {
        const call *cl = &calls[i];
        if (only && strcmp(only, cl->name) != 0)
            continue;
        ncalls++;
        /* The book before the call, and after an undisturbed call. */
        print before, after;
        memset(&before, 0, sizeof before);
        if (cl->book) {
            reset_work(cl->book == 2);
            inspect(&before, cl->name);
        }
        outcome ref = run_once(cl, 0, 0, &before, &before, 0);
        if (ref.rc != 0) {
            FAIL("%s: fails without any allocation failure: %d %s", cl->name, ref.rc,
                 bo_error_message());
            continue;
        }
        if (cl->book)
            inspect(&after, cl->name);
        if (cl->mutates && same_print(&before, &after))
            FAIL("%s: the undisturbed call changed nothing visible", cl->name);
        long ks[2] = { 0, 0 }, errs[2] = { 0, 0 }, anyway = committed_anyway, call_runs = 0;
        double call_t0 = st_now();
        long c_dense = dense, c_stride = stride;
        if (cl->book == 2 && create_stride > stride) {
            c_stride = create_stride;
            c_dense = create_dense;
        }
        memset(call_codes, 0, sizeof call_codes);
        for (int pers = 0; pers <= 1; pers++) {
            long k, tried = 0;
            st_rng_seed(&rng, seed ^ fnv(0, cl->name) ^ (uint64_t)pers);
            for (k = only_k ? only_k : 1; k <= max_k;
                 k = st_sample_next(&rng, k, c_dense, c_stride)) {
                outcome o = run_once(cl, k, pers, &before, &after, 1);
                tried++;
                if (only_k)
                    break;
                errs[pers] += o.rc != 0;
                if (!o.hit && o.rc == 0)
                    break;
            }
            if (k > max_k)
                FAIL("%s: still failing at k=%ld", cl->name, max_k);
            ks[pers] = k;
            total_k += tried;
            call_runs += tried;
            if (k > max_seen)
                max_seen = k;
        }
        printf("oom: %-30s once: k 1..%ld, %4ld errors; persistent: k 1..%ld, %4ld errors;"
               " %ld runs, %.1f s;", cl->name, ks[0], errs[0], ks[1], errs[1], call_runs,
               st_now() - call_t0);
        for (int j = 1; j < 32; j++)
            if (call_codes[j])
                printf(" %s x%ld", bo_error_name(-j), call_codes[j]);
        if (committed_anyway > anyway)
            printf("; committed although an error was returned x%ld", committed_anyway - anyway);
        printf("\n");
        fflush(stdout);
    }
    printf("oom: error codes returned:");
    for (int i = 1; i < 32; i++)
        if (codes[i])
            printf(" %s x%ld", bo_error_name(-i), codes[i]);
    printf("\n");
    printf("oom: %ld calls x k values: %ld runs (largest k %ld), %ld returned an error "
           "after committing, %ld failures, %.1f s\n", ncalls, total_k, max_seen,
           committed_anyway, failures, st_now() - t0);
    st_unlink_db(template_path);
    st_unlink_db(work_path);
    return failures == 0 ? 0 : 1;
}
