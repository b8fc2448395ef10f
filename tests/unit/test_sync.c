/*
 * Offline terminals and their sync with a central book (src/sync): the
 * outbox a terminal's sale writes in its own transaction, gapless receipts,
 * exactly once under cuts at random driver calls and SIGKILL at each step,
 * quarantine without head-of-line blocking, stock as facts, clone
 * detection, device clocks off and jumping back, limits.
 *
 * The terminal is always a SQLite file; the central book is the backend
 * under test. Cuts go through a wrapping driver ("cut:" over SQLite for
 * the terminal, "cutc:" over the backend's driver for the central book)
 * that fails the k-th driver call of either, as tests/unit/test_store_faults.c
 * does for one store.
 */
#include "testutil.h"
#include "sync/sync.h"

#include <backoffice/sys/driver.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <execinfo.h>
#include <unistd.h>

/* ---- a wrapping driver: cut the k-th call, or kill the process ---- */
enum { K_COMMIT_T = 1, K_COMMIT_C };
static const bo_driver *real_t, *real_c;
static bo_driver cut_t, cut_c;
static long calls, fail_at;  /* fail_at 0: no cut */
static long injected;
static int kill_kind;        /* K_COMMIT_T/C: SIGKILL around the n-th commit */
static long kill_n, commits_t, commits_c;
static int kill_after;       /* after the real commit (else before) */

static int cut(void)
{
    calls++;
    if (fail_at && calls == fail_at) {
        injected++;
        if (getenv("SYNC_BT")) {
            void *bt[32];
            backtrace_symbols_fd(bt, backtrace(bt, 32), 2);
        }
        return 1;
    }
    return 0;
}

#define WRAP(side, real)                                                            \
    static int side##_open(const bo_driver *d, const char *target,                   \
                           const bo_driver_settings *s, bo_driver_conn **out)        \
    {                                                                               \
        (void)d;                                                                    \
        if (cut()) { *out = NULL; return BO_EIO; }                                  \
        return real->open(real, target, s, out);                                    \
    }                                                                               \
    static int side##_exec(bo_driver_conn *c, const char *sql)                       \
    { return cut() ? BO_EIO : real->exec(c, sql); }                                 \
    static int side##_begin(bo_driver_conn *c, int w)                               \
    { return cut() ? BO_EIO : real->begin(c, w); }                                  \
    static int side##_rollback(bo_driver_conn *c)                                   \
    { int rc = real->rollback(c); return cut() ? BO_EIO : rc; }                     \
    static int side##_prepare(bo_driver_conn *c, const char *sql, bo_driver_stmt **o) \
    { return cut() ? BO_EIO : real->prepare(c, sql, o); }                           \
    static int side##_step(bo_driver_stmt *s)                                       \
    { return cut() ? BO_EIO : real->step(s); }

WRAP(t, real_t)
WRAP(c, real_c)

static int commit_at(int kind, long *count, const bo_driver *real, bo_driver_conn *c)
{
    if (cut())
        return BO_EIO;
    ++*count;
    if (kill_kind == kind && *count == kill_n && !kill_after)
        raise(SIGKILL);
    int rc = real->commit(c);
    if (kill_kind == kind && *count == kill_n && kill_after)
        raise(SIGKILL);
    return rc;
}
static int t_commit(bo_driver_conn *c) { return commit_at(K_COMMIT_T, &commits_t, real_t, c); }
static int c_commit(bo_driver_conn *c) { return commit_at(K_COMMIT_C, &commits_c, real_c, c); }

static void faults_off(void)
{
    fail_at = 0;
    calls = 0;
    kill_kind = 0;
    kill_n = commits_t = commits_c = 0;
}

static void wrap(bo_driver *w, const bo_driver *real, const char *scheme)
{
    *w = *real;
    w->scheme = scheme;
    w->name = "cut for tests";
}

static void register_cut(void)
{
    faults_off();
    if (bo_driver_find("cut"))
        return;
    real_t = bo_driver_find("sqlite");
    real_c = bo_driver_find(bo_test_scheme());
    ck_assert_ptr_nonnull(real_t);
    ck_assert_ptr_nonnull(real_c);
    wrap(&cut_t, real_t, "cut");
    cut_t.open = t_open; cut_t.exec = t_exec; cut_t.begin = t_begin;
    cut_t.commit = t_commit; cut_t.rollback = t_rollback; cut_t.prepare = t_prepare;
    cut_t.step = t_step;
    wrap(&cut_c, real_c, "cutc");
    cut_c.open = c_open; cut_c.exec = c_exec; cut_c.begin = c_begin;
    cut_c.commit = c_commit; cut_c.rollback = c_rollback; cut_c.prepare = c_prepare;
    cut_c.step = c_step;
    bo_assert_ok(bo_driver_register(&cut_t));
    bo_assert_ok(bo_driver_register(&cut_c));
}

/* ---- books ---- */
static bo_book *central, *term;
static char *term_path, *central_uri;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

/* The shop every book of this suite has: accounts, settings, a store
 * (negative stock allowed on a terminal: it does not know the true
 * stock), items A (taxed 20 %) and B. */
static void shop(bo_book *b, int negative)
{
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "2200", "VAT", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    bo_assert_ok(bo_tax_rate_add(b, &(bo_tax_rate_options){
            .version = BO_TAX_RATE_OPTIONS_VERSION, .code = "VAT20", .name = "VAT 20%",
            .rate_ppm = 200000, .sales_account = "2200" }));
    bo_assert_ok(bo_tax_category_add(b, "standard", "Standard", "VAT20"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.inventory", "1200"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.cogs", "5100"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.grni", "2100"));
    bo_assert_ok(bo_inventory_setting_set(b, "account.revenue", "4000"));
    bo_assert_ok(bo_inventory_setting_set(b, "payment.cash", "1000"));
    bo_assert_ok(bo_inventory_setting_set(b, "payment.card", "1100"));
    bo_assert_ok(bo_inventory_location_add(b, "S1", "Store", "store", negative));
    bo_assert_ok(bo_inventory_item_add(b, "A", "Widget", 0, BO_INVENTORY_FIFO, "standard"));
    bo_assert_ok(bo_inventory_item_add(b, "B", "Beans", 0, BO_INVENTORY_AVERAGE, NULL));
}

static void receive(bo_book *b, const char *sku, int64_t qty)
{
    bo_assert_ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = sku, .location = "S1",
            .qty = qty, .cost = qty * 100, .date = D("2026-01-02"), .key = bo_test_key() },
            NULL));
}

static bo_book *open_uri(const char *uri, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_open(&b, uri, &o);
    ck_assert_msg(rc == 0, "open %s: %s", uri, bo_error_message());
    return b;
}

/* A new terminal book named id, central URI given. */
static bo_book *new_terminal(const char *stem, const char *id, char **path)
{
    *path = bo_test_file(stem);
    bo_book *b = open_uri(*path, 1);
    shop(b, 1);
    bo_assert_ok(bo_terminal_setup(b, id, central_uri ? central_uri : "central"));
    return b;
}

static void setup(void)
{
    register_cut();
    central = bo_test_book("sync_central");
    shop(central, 0);
    central_uri = strdup(bo_book_uri(central));
    term = new_terminal("sync_term", "T1", &term_path);
}

static void teardown(void)
{
    faults_off();
    bo_book_free(term);
    bo_test_book_free(central);
    term = central = NULL;
    free(term_path);
    free(central_uri);
    term_path = central_uri = NULL;
}

/* Sell qty of sku for price each (cash), key given; the sale's id. */
static int sell(bo_book *b, const char *key, const char *sku, int64_t qty, int64_t price,
                int64_t *id)
{
    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, D("2026-02-01"), "till"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, sku, "S1", qty, price, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", qty * price));
    int rc = bo_inventory_sale_post(b, s, id);
    bo_sale_free(s);
    return rc;
}

static int64_t rows(bo_cursor *c)
{
    int64_t n = 0;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        n++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    return n;
}

static int64_t outbox(bo_book *b, const char *state)
{
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(b, state, &c));
    return rows(c);
}

static int64_t inbox(bo_book *c, const char *terminal)
{
    bo_cursor *cur;
    bo_assert_ok(bo_sync_inbox(c, terminal, &cur));
    return rows(cur);
}

/* Sales in the central book: its sale ids through the inbox are distinct
 * and each names a sale (no duplicate, no loss). */
static int64_t central_sales(bo_book *c)
{
    bo_cursor *cur;
    bo_assert_ok(bo_sync_inbox(c, NULL, &cur));
    int64_t n = 0, prev_seq = 0;
    char prev_t[64] = "";
    int rc;
    while ((rc = bo_cursor_next(cur)) == 0) {
        const char *t = bo_cursor_text(cur, 1);
        int64_t seq = bo_cursor_int(cur, 2), sale = bo_cursor_int(cur, 5);
        ck_assert_msg(strcmp(t, prev_t) || seq > prev_seq, "inbox order %s %" PRId64, t, seq);
        snprintf(prev_t, sizeof prev_t, "%s", t);
        prev_seq = seq;
        bo_cursor *l;
        bo_assert_ok(bo_inventory_sale_lines(c, sale, &l));
        ck_assert_int_eq(rows(l), 1);
        n++;
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(cur);
    return n;
}

static void verify(bo_book *b)
{
    int64_t bad = 0;
    int rc = bo_audit_verify_full(b, NULL, &bad);
    ck_assert_msg(rc == 0, "verify: %s (record %" PRId64 ")", bo_error_message(), bad);
}

static int sync_now(bo_book *t, bo_book *c, bo_sync_report *rep)
{
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.batch = 50;
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    int rc = bo_sync_run(t, c, &o, rep ? rep : &r);
    return rc;
}

/* ---- the terminal book ---- */

/* Each sale writes its outbox row in its own transaction: sequence and
 * receipt gapless, device time, server offset and price version kept; a
 * refused sale leaves no row and takes no number. */
START_TEST(terminal_sale_writes_outbox)
{
    int64_t id, receipt;
    bo_assert_ok(sell(term, "k1", "A", 2, 1200, &id));
    bo_assert_ok(bo_terminal_receipt(term, id, &receipt));
    ck_assert_int_eq(receipt, 1);
    bo_assert_err(sell(term, "k2", "NOPE", 1, 100, NULL), BO_ENOTFOUND);
    ck_assert_int_eq(outbox(term, NULL), 1);
    bo_assert_ok(sell(term, "k3", "B", 1, 500, &id));
    bo_assert_ok(bo_terminal_receipt(term, id, &receipt));
    ck_assert_int_eq(receipt, 2);
    /* a replay of a key writes nothing more */
    bo_assert_ok(sell(term, "k3", "B", 1, 500, NULL));
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_ok(bo_terminal_status_get(term, &st));
    ck_assert_int_eq(st.queued, 2);
    ck_assert_int_eq(st.queued_value, 2 * 1200 + 500);
    ck_assert_int_eq(st.next_seq, 3);
    ck_assert_int_eq(st.next_receipt, 3);
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(term, "queued", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), 1);
    ck_assert_str_eq(bo_cursor_text(c, 1), "sale");
    ck_assert_int_eq(bo_cursor_int(c, 2), 1);
    ck_assert_int_gt(bo_cursor_int(c, 4), 0);
    ck_assert_int_eq(bo_cursor_int(c, 5), 2400);
    bo_cursor_free(c);
    bo_assert_err(bo_terminal_outbox(term, "lost", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "state"));
    bo_assert_err(bo_terminal_receipt(term, 999, &receipt), BO_ENOTFOUND);
    bo_assert_err(bo_terminal_close_check(term), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "2 commands"));
    verify(term);
}
END_TEST

/* A book found to be no terminal is kept so on the handle (its sales ask
 * sync_state nothing): a terminal set up on another handle of the same
 * file, or on this one, is seen by the next sale, which queues its
 * outbox row; a rolled back setup leaves the book no terminal. */
START_TEST(terminal_setup_elsewhere_seen_by_next_sale)
{
    char *path = bo_test_file("sync_late");
    bo_book *b = open_uri(path, 1);
    shop(b, 1);
    receive(b, "A", 10);
    bo_assert_ok(sell(b, "late-1", "A", 1, 500, NULL));
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_err(bo_terminal_status_get(b, &st), BO_ESTATE);
    /* Set up by another handle: the sale after it is queued. */
    bo_book *other = open_uri(path, 0);
    bo_assert_ok(bo_terminal_setup(other, "T7", central_uri));
    bo_assert_ok(sell(b, "late-2", "A", 1, 500, NULL));
    ck_assert_int_eq(outbox(b, "queued"), 1);
    ck_assert_int_eq(outbox(other, "queued"), 1);
    bo_book_free(other);
    bo_book_free(b);
    free(path);

    /* Set up on the same handle, once inside a transaction rolled back. */
    path = bo_test_file("sync_late_same");
    b = open_uri(path, 1);
    shop(b, 1);
    receive(b, "A", 10);
    bo_assert_ok(sell(b, "same-1", "A", 1, 500, NULL));
    bo_assert_ok(bo_book_begin(b));
    bo_assert_ok(bo_terminal_setup(b, "T8", central_uri));
    bo_assert_ok(sell(b, "same-2", "A", 1, 500, NULL));
    ck_assert_int_eq(outbox(b, "queued"), 1);
    bo_assert_ok(bo_book_rollback(b));
    bo_assert_ok(sell(b, "same-3", "A", 1, 500, NULL));
    bo_assert_err(bo_terminal_status_get(b, &st), BO_ESTATE);
    bo_assert_ok(bo_terminal_setup(b, "T8", central_uri));
    bo_assert_ok(sell(b, "same-4", "A", 1, 500, NULL));
    ck_assert_int_eq(outbox(b, "queued"), 1);
    verify(b);
    bo_book_free(b);
    free(path);
}
END_TEST

/* Setting up: the terminal id is checked and kept; a book that is no
 * terminal refuses the terminal calls. */
START_TEST(terminal_setup_checked)
{
    bo_assert_err(bo_terminal_setup(term, "T 1", "x"), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "terminal"));
    bo_assert_ok(bo_terminal_setup(term, "T1", central_uri));
    bo_assert_err(bo_terminal_setup(term, "T2", central_uri), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "'T1'"));
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_err(bo_terminal_status_get(central, &st), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "not a terminal"));
    bo_assert_err(sync_now(central, term, NULL), BO_ESTATE);
    bo_assert_err(bo_terminal_limits(term, -1, 0, 0), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_queued"));
    bo_sync_options o;
    bo_assert_err(bo_sync_options_init(&o, 9), BO_EINVAL);
    bo_assert_ok(bo_sync_options_init(&o, BO_SYNC_OPTIONS_VERSION));
    ck_assert_int_eq(o.push, 1);
}
END_TEST

/* Limits: refused at the limit naming it, warned from 80 %. */
START_TEST(terminal_limits_warned_then_refused)
{
    bo_assert_ok(bo_terminal_limits(term, 5, 0, 0));
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    for (int i = 0; i < 4; i++) {
        char k[16];
        snprintf(k, sizeof k, "l%d", i);
        bo_assert_ok(sell(term, k, "B", 1, 100, NULL));
    }
    bo_assert_ok(bo_terminal_status_get(term, &st));
    ck_assert_int_eq(st.warnings & BO_TERMINAL_WARN_COUNT, BO_TERMINAL_WARN_COUNT);
    bo_assert_ok(sell(term, "l4", "B", 1, 100, NULL));
    bo_assert_err(sell(term, "l5", "B", 1, 100, NULL), BO_ELIMIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_queued"));
    ck_assert_int_eq(outbox(term, NULL), 5);
    bo_assert_ok(bo_terminal_limits(term, 0, 1000, 0));
    bo_assert_err(sell(term, "l6", "B", 1, 600, NULL), BO_ELIMIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_value"));
    bo_assert_ok(sync_now(term, central, NULL));
    bo_assert_ok(sell(term, "l6", "B", 1, 600, NULL));
}
END_TEST

/* ---- sync ---- */

/* Every command once; a second sync sends nothing; the figures match. */
START_TEST(sync_exactly_once)
{
    receive(central, "A", 100);
    for (int i = 0; i < 120; i++) {
        char k[16];
        snprintf(k, sizeof k, "s%d", i);
        bo_assert_ok(sell(term, k, "A", 1, 1200, NULL));
    }
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 120);
    ck_assert_int_eq(r.batches, 3);
    ck_assert_int_eq(r.negative, 1); /* 100 received, 120 sold */
    ck_assert_int_gt(r.pulled, 0);
    ck_assert_int_eq(central_sales(central), 120);
    int64_t on_hand;
    bo_assert_ok(bo_inventory_stock(central, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -20);
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    ck_assert_int_eq(r2.pushed + r2.replayed + r2.quarantined, 0);
    ck_assert_int_eq(r2.pulled, 0);
    ck_assert_int_eq(outbox(term, "synced"), 120);
    bo_assert_ok(bo_terminal_close_check(term));
    verify(term);
    verify(central);
}
END_TEST

/* The same (terminal, sequence) with other content: BO_EKEYREUSE naming
 * both, quarantined; nothing else changes. */
START_TEST(sync_same_key_other_content_conflict)
{
    bo_assert_ok(sell(term, "c1", "B", 1, 100, NULL));
    bo_assert_ok(sync_now(term, central, NULL));
    /* the terminal's file rewritten: seq 1 again, other content */
    bo_book_free(term);
    bo_test_raw_sql(term_path, "UPDATE sync_outbox SET state = 'queued', digest = 'x' WHERE seq = 1;"
                    "UPDATE sync_state SET queued = 1");
    term = open_uri(term_path, 0);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.quarantined, 1);
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(term, "quarantined", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 7), BO_EKEYREUSE);
    ck_assert_ptr_nonnull(strstr(bo_cursor_text(c, 8), "terminal 'T1' sequence 1"));
    bo_cursor_free(c);
    ck_assert_int_eq(inbox(central, "T1"), 1);
    bo_assert_ok(bo_terminal_close_check(term));
}
END_TEST

/* A sale posted in the central book itself under the key a synced sale
 * takes there ("T1:2") with other content: the batch's keys are claimed in
 * one read, and that command is still BO_EKEYREUSE, quarantined, while the
 * others of its batch apply. */
START_TEST(sync_central_key_taken_other_content)
{
    receive(central, "B", 10);
    bo_assert_ok(sell(central, "T1:2", "B", 1, 999, NULL));
    for (int i = 1; i <= 3; i++) {
        char k[16];
        snprintf(k, sizeof k, "k%d", i);
        bo_assert_ok(sell(term, k, "B", 1, 100, NULL));
    }
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 2);
    ck_assert_int_eq(r.quarantined, 1);
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(term, "quarantined", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 7), BO_EKEYREUSE);
    ck_assert_ptr_nonnull(strstr(bo_cursor_text(c, 8), "T1:2"));
    bo_cursor_free(c);
    ck_assert_int_eq(inbox(central, "T1"), 2);
    verify(central);
}
END_TEST

/* One poisoned sale among many (an item the central book does not know):
 * the others apply, the quarantine shows the one; corrected and
 * resubmitted, it goes. */
START_TEST(sync_poisoned_sale_quarantined)
{
    enum { N = 2000, POISON = 777 };
    bo_assert_ok(bo_inventory_item_add(term, "LOCAL", "Only here", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_book_begin(term));
    for (int i = 0; i < N; i++) {
        char k[16];
        snprintf(k, sizeof k, "p%d", i);
        bo_assert_ok(sell(term, k, i == POISON ? "LOCAL" : "B", 1, 100, NULL));
    }
    bo_assert_ok(bo_book_commit(term));
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.batch = 500;
    bo_assert_ok(bo_sync_run(term, central, &o, &r));
    ck_assert_int_eq(r.pushed, N - 1);
    ck_assert_int_eq(r.quarantined, 1);
    ck_assert_int_eq(inbox(central, "T1"), N - 1);
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(term, "quarantined", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), POISON + 1);
    ck_assert_int_eq(bo_cursor_int(c, 7), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_cursor_text(c, 8), "LOCAL"));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_terminal_close_check(term)); /* quarantined is not queued */
    bo_assert_err(bo_terminal_resubmit(term, 1), BO_ESTATE);
    bo_assert_err(bo_terminal_resubmit(term, 99999), BO_ENOTFOUND);
    bo_assert_ok(bo_inventory_item_add(central, "LOCAL", "Now known", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_terminal_resubmit(term, POISON + 1));
    bo_assert_err(bo_terminal_close_check(term), BO_ESTATE);
    bo_assert_ok(bo_sync_run(term, central, &o, &r));
    ck_assert_int_eq(inbox(central, "T1"), N);
    ck_assert_int_eq(outbox(term, "quarantined"), 0);
    verify(central);
    verify(term);
}
END_TEST

/* Two offline terminals sell the last unit: both sales stand, stock ends
 * at -1 and one stock.negative event and report row say so. */
static int negative_events;
static void on_negative(const char *event, int64_t id, void *user)
{
    (void)id; (void)user;
    ck_assert_str_eq(event, "stock.negative");
    negative_events++;
}

START_TEST(sync_two_terminals_last_unit)
{
    receive(central, "A", 1);
    char *p2;
    bo_book *t2 = new_terminal("sync_term2", "T2", &p2);
    bo_assert_ok(sell(term, "u1", "A", 1, 1200, NULL));
    bo_assert_ok(sell(t2, "u1", "A", 1, 1200, NULL)); /* same key, other terminal */
    negative_events = 0;
    bo_assert_ok(bo_event_subscribe(central, "stock.negative", on_negative, NULL, NULL, NULL));
    bo_sync_report r1 = BO_SYNC_REPORT_INIT, r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r1));
    bo_assert_ok(sync_now(t2, central, &r2));
    ck_assert_int_eq(r1.pushed + r2.pushed, 2);
    ck_assert_int_eq(r1.negative + r2.negative, 1);
    ck_assert_int_eq(negative_events, 1);
    int64_t on_hand;
    bo_assert_ok(bo_inventory_stock(central, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -1);
    bo_cursor *c;
    bo_assert_ok(bo_sync_negative(central, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "T2");
    ck_assert_str_eq(bo_cursor_text(c, 4), "A");
    ck_assert_int_eq(bo_cursor_int(c, 6), -1);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_book_free(t2);
    free(p2);
    verify(central);
}
END_TEST

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *bytes = bo_test_slurp(from, &len);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    free(bytes);
}

/* A terminal's file copied onto a second device: the first sync of the
 * copy after the original's is a clone conflict, and posts nothing. */
START_TEST(sync_clone_conflict)
{
    bo_assert_ok(sell(term, "d1", "B", 1, 100, NULL));
    bo_assert_ok(sync_now(term, central, NULL));
    bo_assert_ok(sell(term, "d2", "B", 1, 100, NULL));
    bo_book_free(term);
    char *copy = bo_test_file("sync_clone");
    copy_file(term_path, copy);
    term = open_uri(term_path, 0);
    bo_book *clone = open_uri(copy, 0);
    bo_assert_ok(sync_now(term, central, NULL));
    ck_assert_int_eq(inbox(central, "T1"), 2);
    bo_assert_ok(sell(clone, "d3", "B", 1, 100, NULL));
    bo_assert_err(sync_now(clone, central, NULL), BO_ECLONE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "terminal 'T1'"));
    ck_assert_int_eq(inbox(central, "T1"), 2);
    ck_assert_int_eq(outbox(clone, "queued"), 2);
    /* the original goes on */
    bo_assert_ok(sell(term, "d4", "B", 1, 100, NULL));
    bo_assert_ok(sync_now(term, central, NULL));
    ck_assert_int_eq(inbox(central, "T1"), 3);
    bo_book_free(clone);
    free(copy);
}
END_TEST

/* The device clock 48 hours ahead, then set back two hours while
 * offline: order follows the sequence, the figures are the sales', the
 * central store flags the skew. */
static int64_t device_shift;
static int64_t shifted_clock(void)
{
    return (int64_t)time(NULL) + device_shift;
}

START_TEST(sync_clock_off_and_backwards)
{
    bo__sync_device_clock = shifted_clock;
    device_shift = 48 * 3600;
    bo_assert_ok(sell(term, "w1", "B", 1, 100, NULL));
    bo_assert_ok(sell(term, "w2", "B", 2, 100, NULL));
    device_shift = 46 * 3600; /* set back two hours */
    bo_assert_ok(sell(term, "w3", "B", 3, 100, NULL));
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 3);
    ck_assert_int_eq(r.skewed, 3);
    bo_cursor *c;
    bo_assert_ok(bo_sync_inbox(central, "T1", &c));
    int64_t seq = 0, t_prev = 0, total = 0;
    int backwards = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_int_eq(bo_cursor_int(c, 2), ++seq);
        ck_assert_int_eq(bo_cursor_int(c, 10), 1);
        int64_t t = bo_cursor_int(c, 7);
        backwards |= t < t_prev;
        t_prev = t;
        bo_cursor *l;
        bo_assert_ok(bo_inventory_sale_lines(central, bo_cursor_int(c, 5), &l));
        bo_assert_ok(bo_cursor_next(l));
        total += bo_cursor_int(l, 6);
        bo_cursor_free(l);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(seq, 3);
    ck_assert_int_eq(backwards, 1);
    ck_assert_int_eq(total, 600);
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_ok(bo_terminal_status_get(term, &st));
    ck_assert_int_lt(st.server_offset, -46 * 3600 + 60);
    bo__sync_device_clock = NULL;
}
END_TEST

/* A return on the terminal: its own outbox row and receipt number, synced
 * after its sale onto the central sale; a return of a sale the central book
 * never received is quarantined. */
START_TEST(sync_return_follows_its_sale)
{
    receive(central, "A", 10);
    int64_t sale, ret, receipt;
    bo_assert_ok(sell(term, "r1", "A", 3, 1200, &sale));
    bo_inventory_return_options o = BO_INVENTORY_RETURN_OPTIONS_INIT;
    o.sale_id = sale;
    o.line = 1;
    o.qty = 2;
    o.date = D("2026-02-02");
    o.method = "cash";
    o.key = "ret1";
    bo_assert_ok(bo_inventory_return(term, &o, &ret));
    bo_assert_ok(bo_inventory_return(term, &o, &ret)); /* replay: no second row */
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(term, NULL, &c));
    bo_assert_ok(bo_cursor_next(c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "return");
    ck_assert_int_eq(bo_cursor_int(c, 2), 2);
    ck_assert_int_eq(bo_cursor_int(c, 5), 2400);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_terminal_receipt(term, sale, &receipt));
    ck_assert_int_eq(receipt, 1);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 2);
    int64_t on_hand;
    bo_assert_ok(bo_inventory_stock(central, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, 10 - 3 + 2);
    bo_assert_ok(bo_sync_inbox(central, "T1", &c));
    bo_assert_ok(bo_cursor_next(c));
    int64_t central_sale = bo_cursor_int(c, 5);
    bo_cursor_free(c);
    bo_cursor *l;
    bo_assert_ok(bo_inventory_sale_lines(central, central_sale, &l));
    bo_assert_ok(bo_cursor_next(l));
    ck_assert_int_eq(bo_cursor_int(l, 8), 2);
    bo_cursor_free(l);
    /* the return of a sale the central book refused waits with it */
    bo_assert_ok(bo_inventory_item_add(term, "LOCAL", "Here only", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(sell(term, "r2", "LOCAL", 1, 100, &sale));
    o.sale_id = sale;
    o.qty = 1;
    o.key = "ret2";
    bo_assert_ok(bo_inventory_return(term, &o, &ret));
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.quarantined, 2);
    bo_assert_ok(bo_terminal_outbox(term, "quarantined", &c));
    bo_assert_ok(bo_cursor_next(c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "return");
    ck_assert_int_eq(bo_cursor_int(c, 7), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_cursor_text(c, 8), "the sale it returns (seq 3)"));
    bo_cursor_free(c);
    verify(central);
    verify(term);
}
END_TEST

/* Cash into and out of the till: an entry and its outbox row in one
 * transaction, replayed by key, posted once centrally; refusals change
 * nothing. */
static int64_t balance_of(bo_book *b, const char *account)
{
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, account, D("2026-12-31"), NULL, &v));
    return v;
}

START_TEST(terminal_cash_movements_synced)
{
    int64_t e1, e2;
    bo_assert_ok(bo_terminal_cash(term, D("2026-02-01"), 10000, "3000", "float", "c1", &e1));
    bo_assert_ok(bo_terminal_cash(term, D("2026-02-01"), 10000, "3000", "float", "c1", &e2));
    ck_assert_int_eq(e1, e2);
    bo_assert_ok(bo_terminal_cash(term, D("2026-02-01"), -2500, "5000", "payout", "c2", NULL));
    bo_assert_err(bo_terminal_cash(term, D("2026-02-01"), 0, "5000", NULL, "c3", NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    bo_assert_err(bo_terminal_cash(term, D("2026-02-01"), 100, "5000", NULL, NULL, NULL),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "key"));
    bo_assert_err(bo_terminal_cash(term, D("2026-02-01"), 100, "9999", NULL, "c4", NULL),
                  BO_ENOTFOUND);
    ck_assert_int_eq(outbox(term, NULL), 2);
    ck_assert_int_eq(balance_of(term, "1000"), 7500);
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_ok(bo_terminal_status_get(term, &st));
    ck_assert_int_eq(st.queued_value, 12500);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 2);
    ck_assert_int_eq(balance_of(central, "1000"), 7500);
    ck_assert_int_eq(balance_of(central, "5000"), 2500);
    bo_assert_err(bo_terminal_cash(central, D("2026-02-01"), 100, "5000", NULL, "c5", NULL),
                  BO_ESTATE);
    ck_assert_int_eq(balance_of(central, "1000"), 7500);
    verify(term);
    verify(central);
}
END_TEST

/* ---- the pull ---- */

/* What a terminal holds of what it pulls, as one text, a part per table
 * ending in '#': its tax rates and categories, items, unit prices,
 * parties, then the pulled rows and the cursor. */
static char *pulled_state(bo_book *t)
{
    static const struct { const char *sql; int cols; } q[] = {
        { "SELECT code, name, rate_ppm FROM tax_rates ORDER BY code", 3 },
        { "SELECT code, rates FROM tax_categories ORDER BY code", 2 },
        { "SELECT sku, name, scale, method, COALESCE(tax_category, '-'), COALESCE(unit, '-'),"
          " active FROM inv_items ORDER BY sku", 7 },
        { "SELECT i.sku, u.unit, u.num, u.den, COALESCE(u.price, -1) FROM inv_units u"
          " JOIN inv_items i ON i.id = u.item_id ORDER BY i.sku, u.unit", 5 },
        { "SELECT code, name, roles, active FROM parties ORDER BY code", 4 },
        { "SELECT kind, code, body, cursor_at FROM sync_pulled ORDER BY kind, code", 4 },
        { "SELECT pull_cursor FROM sync_state", 1 },
    };
    size_t cap = 1 << 18, len = 0;
    char *out = calloc(1, cap);
    ck_assert_ptr_nonnull(out);
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        bo__stmt *st;
        bo_assert_ok(bo__stmt_get(t->store, q[i].sql, &st));
        int rc;
        while ((rc = bo__stmt_step(st)) == BO_DRIVER_ROW) {
            for (int c = 0; c < q[i].cols; c++) {
                const char *v = bo__stmt_col_text(st, c);
                len += (size_t)snprintf(out + len, cap - len, "%s|", v ? v : "NULL");
                ck_assert_uint_lt(len, cap - 256);
            }
            out[len++] = '\n';
        }
        bo__stmt_done(st);
        ck_assert_int_eq(rc, BO_DRIVER_DONE);
        out[len++] = '#';
    }
    return out;
}

static int64_t pull_cursor(bo_book *t)
{
    int64_t v = -1;
    bo_assert_ok(bo__store_row(t->store, "SELECT pull_cursor FROM sync_state", NULL, ">i", &v));
    return v;
}

/* Sell one of sku at the price lists' (or the unit's) price, paid with
 * paid in cash; the sale's gross. */
static int64_t sell_auto(bo_book *b, const char *key, const char *sku, int64_t paid)
{
    bo_sale *s;
    int64_t id;
    bo_assert_ok(bo_sale_new(&s, D("2026-02-01"), "till"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line_unit(s, sku, "S1", 1, NULL, BO_SALE_PRICE_AUTO, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", paid));
    int rc = bo_inventory_sale_post(b, s, &id);
    bo_sale_free(s);
    ck_assert_msg(rc == 0, "sale %s: %s", key, bo_error_message());
    bo_cursor *lc;
    bo_assert_ok(bo_inventory_sale_lines(b, id, &lc));
    bo_assert_ok(bo_cursor_next(lc));
    int64_t gross = bo_cursor_int(lc, bo_cursor_column_index(lc, "gross"));
    bo_cursor_free(lc);
    return gross;
}

/* A price changed centrally reaches the terminal's next sale: the pull
 * is a snapshot, then the deltas since the cursor (the central book's
 * feed position), applied to the terminal's own items, prices, tax rates
 * and parties. */
START_TEST(sync_pull_price_reaches_next_sale)
{
    bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
    ch.unit = "pc";
    bo_assert_ok(bo_inventory_item_update(central, "A", &ch));
    bo_assert_ok(bo_inventory_unit_set(central, "A", "pc", 1, 1, 1500));
    bo_assert_ok(bo_inventory_item_add(central, "C", "Cocoa", 0, BO_INVENTORY_FIFO,
                                       "standard"));
    bo_assert_ok(bo_party_add(central, "CUST1", "Ada", BO_PARTY_CUSTOMER, NULL));
    receive(central, "A", 10);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    int64_t first, last;
    bo_assert_ok(bo_feed_head(central, &first, &last));
    ck_assert_int_eq(r.cursor, last);
    ck_assert_int_eq(pull_cursor(term), last);
    ck_assert_int_ge(r.pulled, 8); /* rate, category, items A B C, price, party, stock */
    /* the snapshot reached the terminal's own tables */
    bo_cursor *pc;
    bo_assert_ok(bo_party_get(term, "CUST1", &pc));
    bo_cursor_free(pc);
    ck_assert_int_eq(sell_auto(term, "p1", "A", 1500), 1500);
    /* the price changes centrally: only the deltas since the cursor come */
    bo_assert_ok(bo_inventory_unit_set(central, "A", "pc", 1, 1, 1750));
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    {
        bo_cursor *q;
        bo_assert_ok(bo_terminal_outbox(term, "quarantined", &q));
        ck_assert_msg(bo_cursor_next(q) == BO_ITEROVER, "quarantined: %s",
                      bo_cursor_text(q, 8));
        bo_cursor_free(q);
    }
    ck_assert_int_eq(r2.pushed, 1);
    ck_assert_int_eq(r2.pulled, 2); /* the price, and stock A@S1 the pushed sale moved */
    ck_assert_int_eq(sell_auto(term, "p2", "A", 1750), 1750);
    /* nothing changed: nothing pulled, the cursor stays */
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.push = 0;
    bo_sync_report r3 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(bo_sync_run(term, central, &o, &r3));
    ck_assert_int_eq(r3.pulled, 0);
    verify(term);
    verify(central);
}
END_TEST

/* The pull writes the central stock level of the terminal's location into
 * the terminal's own stock (an adjustment of kind "count" against
 * account.adjustments), so the till shows it; selling on stays allowed.
 * A terminal without account.adjustments keeps its own figure. */
START_TEST(sync_pull_stock_level_into_terminal)
{
    bo_assert_ok(bo_ledger_account_add(term, "5300", "Stock adjustments", BO_ACCOUNT_EXPENSE,
                                       NULL, NULL));
    bo_assert_ok(bo_inventory_setting_set(term, "account.adjustments", "5300"));
    receive(central, "A", 10);
    for (int i = 0; i < 3; i++) {
        char k[16];
        snprintf(k, sizeof k, "st%d", i);
        bo_assert_ok(sell(term, k, "A", 1, 1200, NULL));
    }
    int64_t on_hand;
    bo_assert_ok(bo_inventory_stock(term, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -3); /* the terminal never received any */
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 3);
    bo_assert_ok(bo_inventory_stock(central, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, 7);
    bo_assert_ok(bo_inventory_stock(term, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, 7);
    /* selling past it stays allowed: the figure goes on from there */
    for (int i = 0; i < 8; i++) {
        char k[16];
        snprintf(k, sizeof k, "su%d", i);
        bo_assert_ok(sell(term, k, "A", 1, 1200, NULL));
    }
    bo_assert_ok(bo_inventory_stock(term, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -1);
    /* more arrives centrally; the next sync brings the terminal to it */
    receive(central, "A", 5);
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    ck_assert_int_eq(r2.pushed, 8);
    bo_assert_ok(bo_inventory_stock(central, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, 4);
    bo_assert_ok(bo_inventory_stock(term, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, 4);
    /* a second terminal without account.adjustments keeps its own figure */
    char *p2 = NULL;
    bo_book *t2 = new_terminal("sync_term_noadj", "T2", &p2);
    bo_assert_ok(sell(t2, "n1", "A", 1, 1200, NULL));
    bo_sync_report r3 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(t2, central, &r3));
    ck_assert_int_eq(r3.pushed, 1);
    bo_assert_ok(bo_inventory_stock(t2, "A", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -1);
    verify(term);
    verify(t2);
    verify(central);
    bo_book_free(t2);
    free(p2);
}
END_TEST

/* The change feed's consumers' positions are exported and read back: the
 * imported book keeps them (its events keep their positions), and its
 * export is the same bytes. feed_head, the sequencers' lock, holds no row
 * and is not exported. */
START_TEST(feed_consumers_exported_and_read_back)
{
    if (!strcmp(bo_test_backend(), "memory"))
        return; /* an import opens a second store */
    int64_t last = 0, pos = 0;
    bo_assert_ok(bo_feed_head(central, NULL, &last));
    ck_assert_int_gt(last, 2);
    bo_assert_ok(bo_feed_save(central, "webshop", last - 1));
    bo_assert_ok(bo_feed_save(central, "dashboard", 2));
    char *a = bo_test_file("feed-export-a"), *b = bo_test_file("feed-export-b");
    char *dst = bo_test_path("feed-import");
    bo_assert_ok(bo_book_export(central, a, NULL));
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = bo_book_actor(central);
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_import(dst, a, &o, NULL));
    bo_book *copy = NULL;
    bo_assert_ok(bo_book_open(&copy, dst, &o));
    bo_assert_ok(bo_feed_position(copy, "webshop", &pos));
    ck_assert_int_eq(pos, last - 1);
    bo_assert_ok(bo_feed_position(copy, "dashboard", &pos));
    ck_assert_int_eq(pos, 2);
    int64_t last2 = 0;
    bo_assert_ok(bo_feed_head(copy, NULL, &last2));
    ck_assert_int_eq(last2, last);
    bo_assert_ok(bo_book_export(copy, b, NULL));
    size_t la, lb;
    char *ba = bo_test_slurp(a, &la), *bb = bo_test_slurp(b, &lb);
    ck_assert_msg(la == lb && memcmp(ba, bb, la) == 0,
                  "the export of the imported book differs (%zu and %zu bytes)", la, lb);
    int named = 0; /* the archive has a part for the table (its name is stored plain) */
    for (size_t i = 0; i + 14 <= la && !named; i++)
        named = !memcmp(ba + i, "feed_consumers", 14);
    ck_assert_msg(named, "the export has no feed_consumers part");
    free(ba);
    free(bb);
    bo_assert_ok(bo_audit_verify_full(copy, NULL, NULL));
    bo_test_book_free(copy);
    free(a);
    free(b);
    free(dst);
}
END_TEST

/* A pull cut at a random driver call (either side), then run again, ends
 * in the terminal state an uncut pull reaches: nothing twice, nothing
 * lost, the cursor where the central feed is. */
START_TEST(sync_pull_cut_then_repeated_same_state)
{
    /* what the central book changes between pulls */
    bo_assert_ok(bo_party_add(central, "P0", "Zero", BO_PARTY_CUSTOMER, NULL));
    /* a reference terminal that is never cut */
    char *rpath;
    bo_book *ref = new_terminal("sync_ref", "R1", &rpath);
    char *tpath = term_path;
    bo_book_free(term);
    term = NULL;
    char turi[4096], curi[4096];
    snprintf(turi, sizeof turi, "cut:%s", tpath);
    snprintf(curi, sizeof curi, "cutc:%s", bo_test_target(central_uri));
    bo_book *t = open_uri(turi, 0), *c = open_uri(curi, 0);
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.push = 0;
    srand(1919);
    int cuts = 0;
    for (int run = 0; run < 40; run++) {
        char code[32], name[32];
        snprintf(code, sizeof code, "P%d", run + 1);
        snprintf(name, sizeof name, "Party %d", run + 1);
        bo_assert_ok(bo_party_add(central, code, name, BO_PARTY_CUSTOMER, NULL));
        bo_assert_ok(bo_inventory_unit_set(central, "B", "bag", 1, 1, 100 + run));
        if (run % 5 == 0) {
            char sku[16];
            snprintf(sku, sizeof sku, "N%d", run);
            bo_assert_ok(bo_inventory_item_add(central, sku, "New", 0, BO_INVENTORY_FIFO,
                                               NULL));
        }
        calls = 0;
        fail_at = 1 + rand() % 90;
        int rc = bo_sync_run(t, c, &o, NULL);
        fail_at = 0;
        if (rc) {
            cuts++;
            ck_assert_msg(bo_error_message()[0], "run %d: error without a message", run);
        }
        if (bo_book_depth(t))
            bo_book_rollback(t);
        if (bo_book_depth(c))
            bo_book_rollback(c);
        bo_assert_ok(bo_sync_run(t, c, &o, NULL));
        bo_assert_ok(bo_sync_run(ref, central, &o, NULL));
        char *a = pulled_state(t), *b = pulled_state(ref);
        /* items, prices, rates, categories, parties: equal */
        char *sa = a, *sb = b;
        for (int part = 0; part < 5; part++) {
            char *ea = strchr(sa, '#'), *eb = strchr(sb, '#');
            ck_assert_msg(ea - sa == eb - sb && !memcmp(sa, sb, (size_t)(ea - sa)),
                          "run %d part %d differs:\n%.*s\n--\n%.*s", run, part,
                          (int)(ea - sa), sa, (int)(eb - sb), sb);
            sa = ea + 1;
            sb = eb + 1;
        }
        free(a);
        free(b);
    }
    ck_assert_int_gt(cuts, 10);
    /* the cursor is the central feed's position when the last pull read
     * it (a later sync's hello is an event of its own) */
    int64_t last;
    bo_assert_ok(bo_feed_head(c, NULL, &last));
    bo_assert_ok(bo_sync_run(t, c, &o, NULL));
    ck_assert_int_eq(pull_cursor(t), last + 1);
    /* no duplicates: every party once */
    int64_t n = 0, distinct = 0;
    bo_assert_ok(bo__store_row(t->store, "SELECT COUNT(*), COUNT(DISTINCT code) FROM parties",
                               NULL, ">ii", &n, &distinct));
    ck_assert_int_eq(n, distinct);
    ck_assert_int_eq(n, 41);
    verify(t);
    bo_book_free(t);
    bo_book_free(c);
    bo_book_free(ref);
    free(rpath);
    term = open_uri(tpath, 0);
    fprintf(stderr, "sync pull cut: 40 runs, %d cut\n", cuts);
}
END_TEST

/* ---- the terminal's chain, verified centrally ---- */

static void outbox_row(bo_book *t, int64_t seq, char *state, size_t n, int64_t *code,
                       char *reason, size_t rn)
{
    bo_cursor *c;
    bo_assert_ok(bo_terminal_outbox(t, NULL, &c));
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        if (bo_cursor_int(c, 0) == seq) {
            snprintf(state, n, "%s", bo_cursor_text(c, 3));
            *code = bo_cursor_type(c, 7) == BO_TYPE_NULL ? 0 : bo_cursor_int(c, 7);
            const char *r = bo_cursor_text(c, 8);
            snprintf(reason, rn, "%s", r ? r : "");
            break;
        }
    ck_assert_int_eq(rc, 0);
    bo_cursor_free(c);
}

/* One queued command altered on the terminal's disk: the central store
 * refuses it with BO_ECORRUPT naming the terminal and the sequence, and
 * quarantines it; the commands around it apply. A chain rewritten
 * consistently from one command on is refused at the next one: its
 * previous link is not the one the central store received. */
START_TEST(sync_tampered_command_refused_centrally)
{
    for (int i = 0; i < 3; i++) {
        char k[16];
        snprintf(k, sizeof k, "ch%d", i);
        bo_assert_ok(sell(term, k, "B", 1, 100, NULL));
    }
    bo_book_free(term);
    bo_test_raw_sql(term_path, "UPDATE sync_outbox SET body = replace(body, '100', '1')"
                               " WHERE seq = 2");
    term = open_uri(term_path, 0);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 2);
    ck_assert_int_eq(r.quarantined, 1);
    char state[16], reason[1024];
    int64_t code;
    outbox_row(term, 2, state, sizeof state, &code, reason, sizeof reason);
    ck_assert_str_eq(state, "quarantined");
    ck_assert_int_eq(code, BO_ECORRUPT);
    ck_assert_msg(strstr(reason, "terminal 'T1' sequence 2") && strstr(reason, "altered"),
                  "%s", reason);
    ck_assert_int_eq(inbox(central, "T1"), 2); /* seq 2 was not applied */
    /* a chain rewritten from seq 4 on (body, digest and link recomputed):
     * seq 5 still names seq 4's old link */
    for (int i = 3; i < 5; i++) {
        char k[16];
        snprintf(k, sizeof k, "ch%d", i);
        bo_assert_ok(sell(term, k, "B", 1, 100, NULL));
    }
    bo_book_free(term);
    term = NULL;
    bo_book *raw = open_uri(term_path, 0);
    char body[4096], prev[65], d[65], link[65];
    bo_assert_ok(bo__store_row(raw->store, "SELECT replace(body, '100', '1'), chain_prev"
                               " FROM sync_outbox WHERE seq = 4", NULL, ">tt", body,
                               sizeof body, prev, sizeof prev));
    unsigned char h[32];
    bo__sha256(body, strlen(body), h);
    bo__hex(h, sizeof h, d);
    bo__sync_chain_link(prev, "T1", 4, d, link);
    bo_book_free(raw);
    char sql[8192];
    snprintf(sql, sizeof sql, "UPDATE sync_outbox SET body = '%s', digest = '%s',"
             " chain_hash = '%s' WHERE seq = 4", body, d, link);
    bo_test_raw_sql(term_path, sql);
    term = open_uri(term_path, 0);
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    ck_assert_int_eq(r2.quarantined, 1);
    outbox_row(term, 5, state, sizeof state, &code, reason, sizeof reason);
    ck_assert_str_eq(state, "quarantined");
    ck_assert_int_eq(code, BO_ECORRUPT);
    ck_assert_msg(strstr(reason, "terminal 'T1' sequence 5") && strstr(reason, "gap"),
                  "%s", reason);
    verify(central);
}
END_TEST

/* ---- a full local disk ---- */

/* The terminal's file has no room left (SQLite's max_page_count): a new
 * sale is refused with BO_EFULL naming the terminal, and leaves nothing;
 * the queued sales stay and sync once the central store is reached (the
 * room kept back is the sync's). */
START_TEST(terminal_full_disk_refuses_new_sales_keeps_queued)
{
    bo_assert_ok(sell(term, "fd0", "B", 1, 100, NULL));
    bo_assert_ok(sell(term, "fd1", "B", 1, 100, NULL));
    int64_t pages = 0, max = 0;
    bo_assert_ok(bo__store_row(term->store, "PRAGMA page_count", NULL, ">i", &pages));
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %" PRId64, pages + 72);
    bo_assert_ok(bo__store_row(term->store, sql, NULL, ">i", &max));
    ck_assert_int_eq(max, pages + 72);
    int ok = 0, rc = 0;
    for (int i = 0; i < 500; i++) {
        char k[16];
        snprintf(k, sizeof k, "fd%d", i + 2);
        if ((rc = sell(term, k, "B", 1, 100, NULL)))
            break;
        ok++;
    }
    ck_assert_int_eq(rc, BO_EFULL);
    ck_assert_msg(strstr(bo_error_message(), "terminal 'T1'") &&
                  strstr(bo_error_message(), "disk is full"), "%s", bo_error_message());
    /* the refused sale left nothing; the queued ones are all there */
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_ok(bo_terminal_status_get(term, &st));
    ck_assert_int_eq(st.queued, 2 + ok);
    ck_assert_int_eq(st.next_seq, 3 + ok);
    ck_assert_int_eq(outbox(term, "queued"), 2 + ok);
    char k[16];
    snprintf(k, sizeof k, "fd%d", ok + 2);
    bo_assert_err(sell(term, k, "B", 1, 100, NULL), BO_EFULL);
    /* they sync later, from the room kept back */
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_eq(r.pushed, 2 + ok);
    ck_assert_int_eq(outbox(term, "synced"), 2 + ok);
    ck_assert_int_eq(inbox(central, "T1"), 2 + ok);
    fprintf(stderr, "sync full disk: %d sales fitted before the refusal\n", ok);
}
END_TEST

/* ---- cuts and kills ---- */

/* Many syncs cut at a random driver call (central or terminal side, in a
 * request or its answer), each finished by another sync: central sales =
 * local sales, none twice, none lost. */
static void cut_runs(int runs)
{
    char *tpath = term_path;
    bo_book_free(term);
    term = NULL;
    char turi[4096], curi[4096];
    snprintf(turi, sizeof turi, "cut:%s", tpath);
    snprintf(curi, sizeof curi, "cutc:%s", bo_test_target(central_uri));
    bo_book *t = open_uri(turi, 0), *c = open_uri(curi, 0);
    srand(19);
    int64_t sold = 0, failures = 0;
    for (int run = 0; run < runs; run++) {
        int n = 1 + rand() % 3;
        for (int i = 0; i < n; i++) {
            char k[32];
            snprintf(k, sizeof k, "cut%d.%d", run, i);
            bo_assert_ok(sell(t, k, "B", 1, 100, NULL));
            sold++;
        }
        calls = 0;
        fail_at = 1 + rand() % 120;
        int rc = sync_now(t, c, NULL);
        if (rc) {
            failures++;
            ck_assert_msg(bo_error_message()[0], "run %d: error without a message", run);
        }
        long cut_was = fail_at;
        fail_at = 0;
        if (bo_book_depth(t))
            bo_book_rollback(t);
        if (bo_book_depth(c))
            bo_book_rollback(c);
        if (getenv("SYNC_DEBUG"))
            fprintf(stderr, "run %d cut %ld: %d %s\n", run, cut_was, rc, rc ? bo_error_message() : "");
        bo_assert_ok(sync_now(t, c, NULL));
        ck_assert_int_eq(outbox(t, "synced"), sold);
    }
    ck_assert_int_gt(failures, runs / 4);
    ck_assert_int_eq(central_sales(c), sold);
    ck_assert_int_eq(inbox(c, "T1"), sold);
    ck_assert_int_eq(outbox(t, "quarantined"), 0);
    int64_t on_hand;
    bo_assert_ok(bo_inventory_stock(c, "B", "S1", &on_hand));
    ck_assert_int_eq(on_hand, -sold);
    verify(c);
    verify(t);
    bo_book_free(t);
    bo_book_free(c);
    term = open_uri(tpath, 0);
    fprintf(stderr, "sync cut: %d runs, %" PRId64 " cut, %" PRId64 " sales\n", runs,
            failures, sold);
}

START_TEST(sync_cut_at_random_points)
{
    cut_runs(strcmp(bo_test_backend(), "postgresql") ? 1000 : 200);
}
END_TEST

/* SIGKILL of the terminal: before the sale commits, after it commits,
 * after the central store committed the push, before the terminal stored
 * the acknowledgement. Reopened, the till retries the sale with its key
 * and syncs: one sale everywhere. */
static void kill_case(int kind, long n, int after, int expect_local)
{
    bo_book_free(term);
    term = NULL;
    bo_book_free(central);
    central = NULL;
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char turi[4096], curi[4096];
        snprintf(turi, sizeof turi, "cut:%s", term_path);
        snprintf(curi, sizeof curi, "cutc:%s", bo_test_target(central_uri));
        bo_book *t = open_uri(turi, 0), *c = open_uri(curi, 0);
        faults_off();
        kill_kind = kind;
        kill_n = n;
        kill_after = after;
        bo_sync_options o = BO_SYNC_OPTIONS_INIT;
        o.pull = 0;
        if (sell(t, "kk", "B", 1, 100, NULL) == 0 && kind == K_COMMIT_T && n == 1 && after)
            raise(SIGKILL);
        bo_sync_run(t, c, &o, NULL);
        _exit(3); /* the kill did not happen */
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "status %d", status);
    term = open_uri(term_path, 0);
    central = open_uri(central_uri, 0);
    ck_assert_int_eq(outbox(term, NULL), expect_local);
    bo_assert_ok(sell(term, "kk", "B", 1, 100, NULL)); /* the till retries */
    bo_assert_ok(sync_now(term, central, NULL));
    bo_assert_ok(sync_now(term, central, NULL));
    ck_assert_int_eq(outbox(term, NULL), 1);
    ck_assert_int_eq(outbox(term, "synced"), 1);
    ck_assert_int_eq(central_sales(central), 1);
    verify(term);
    verify(central);
}

START_TEST(sync_kill_before_commit) { kill_case(K_COMMIT_T, 1, 0, 0); }
END_TEST
START_TEST(sync_kill_after_commit) { kill_case(K_COMMIT_T, 1, 1, 1); }
END_TEST
/* the central store's commit of the first batch (after hello) */
START_TEST(sync_kill_after_send) { kill_case(K_COMMIT_C, 2, 1, 1); }
END_TEST
/* the terminal's commits: sale, nonce, rotation, then the acknowledgement */
START_TEST(sync_kill_before_ack_stored) { kill_case(K_COMMIT_T, 4, 0, 1); }
END_TEST

/* The YAML section makes a terminal, and names a bad value by position. */
START_TEST(terminal_yaml_section)
{
    static const char yaml[] = "book:\n  name: Till\n  base_currency: USD\n"
        "accounts:\n  - { code: '1000', name: Cash, type: asset }\n"
        "terminal:\n  id: T9\n  central: x\n  max_queued: 10\n";
    bo_book *b = NULL;
    char *uri = bo_test_path("sync_yaml");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    int rc = bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    bo_assert_ok(bo_terminal_status_get(b, &st));
    ck_assert_int_eq(st.next_seq, 1);
    bo_test_book_free(b);
    free(uri);
    static const char bad[] = "book:\n  name: Till\n  base_currency: USD\n"
        "accounts:\n  - { code: '1000', name: Cash, type: asset }\n"
        "terminal:\n  id: T9\n";
    uri = bo_test_path("sync_yaml2");
    bo_assert_err(bo_book_create_from_yaml_string(&b, bad, strlen(bad), uri, &o), BO_ECONFIG);
    ck_assert_msg(strstr(bo_error_message(), "central"), "%s", bo_error_message());
    free(uri);
}
END_TEST

/* ---- what the terminal priced stays priced ---- */

/* The last sale the central book received from terminal T1. */
static int64_t central_last_sale(bo_book *c)
{
    bo_cursor *cur;
    bo_assert_ok(bo_sync_inbox(c, "T1", &cur));
    int64_t sale = 0;
    int rc;
    while ((rc = bo_cursor_next(cur)) == 0)
        sale = bo_cursor_int(cur, 5);
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(cur);
    ck_assert_int_gt(sale, 0);
    return sale;
}

/* Line 1 of sale id as "qty|net|tax|gross|unit_price|list|version|discount|promotions". */
static void line_form(bo_book *b, int64_t id, char *out, size_t n)
{
    static const char *const cols[] = { "qty", "net", "tax", "gross", "unit_price",
                                        "price_list", "price_list_version",
                                        "promotion_discount", "promotions" };
    bo_cursor *lc;
    bo_assert_ok(bo_inventory_sale_lines(b, id, &lc));
    bo_assert_ok(bo_cursor_next(lc));
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        int c = bo_cursor_column_index(lc, cols[i]);
        ck_assert_int_ge(c, 0);
        int type = bo_cursor_type(lc, c);
        if (type == BO_TYPE_NULL)
            len += (size_t)snprintf(out + len, n - len, "NULL|");
        else if (type == BO_TYPE_INT)
            len += (size_t)snprintf(out + len, n - len, "%" PRId64 "|", bo_cursor_int(lc, c));
        else
            len += (size_t)snprintf(out + len, n - len, "%s|", bo_cursor_text(lc, c));
        ck_assert_uint_lt(len, n);
    }
    ck_assert_int_eq(bo_cursor_next(lc), BO_ITEROVER);
    bo_cursor_free(lc);
}

/* Sell qty of A at the price lists' price, paid exactly; the sale's id. */
static int64_t sell_list(bo_book *b, const char *key, int64_t qty, int64_t paid)
{
    bo_sale *s;
    int64_t id;
    bo_assert_ok(bo_sale_new(&s, D("2026-02-01"), "till"));
    bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line_unit(s, "A", "S1", qty, NULL, BO_SALE_PRICE_AUTO, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", paid));
    int rc = bo_inventory_sale_post(b, s, &id);
    bo_sale_free(s);
    ck_assert_msg(rc == 0, "sale %s: %s", key, bo_error_message());
    return id;
}

static void no_quarantine(bo_book *t)
{
    bo_cursor *q;
    bo_assert_ok(bo_terminal_outbox(t, "quarantined", &q));
    ck_assert_msg(bo_cursor_next(q) == BO_ITEROVER, "quarantined: %s", bo_cursor_text(q, 8));
    bo_cursor_free(q);
}

/* A price list with a quantity break and a buy-two-get-one promotion
 * created centrally reach the terminal with their versions; its sale gets
 * the list price and the promotion, and the central book posts that sale
 * with the same lines, discount and totals (no second discount). The
 * promotion ended centrally and pulled again: the next sale has none. */
START_TEST(sync_pull_pricelist_and_promotion_priced_once)
{
    bo_assert_ok(bo_inventory_pricelist_add(central, "L1", NULL, "S1", D("2026-01-01"),
                                            BO_DATE_MAX));
    bo_assert_ok(bo_inventory_pricelist_price(central, "L1", "A", NULL, 0, 1000));
    bo_assert_ok(bo_inventory_pricelist_price(central, "L1", "A", NULL, 3, 900));
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    p.code = "B2G1";
    p.kind = "buy_get";
    p.sku = "A";
    p.buy = 2;
    p.get = 1;
    p.from = D("2026-01-01");
    p.to = D("2026-12-31");
    bo_assert_ok(bo_inventory_promotion_set(central, &p));
    p.to = D("2026-06-30");
    bo_assert_ok(bo_inventory_promotion_set(central, &p)); /* version 2 */
    receive(central, "A", 20);
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r));
    ck_assert_int_ge(r.pulled, 4); /* list, its two prices, the promotion */
    /* the terminal's copies carry the central versions */
    int64_t v = 0;
    bo_assert_ok(bo__store_row(term->store, "SELECT version FROM inv_pricelists"
                               " WHERE code = 'L1'", NULL, ">i", &v));
    ck_assert_int_eq(v, 3);
    bo_assert_ok(bo__store_row(term->store, "SELECT version FROM inv_promotions"
                               " WHERE code = 'B2G1'", NULL, ">i", &v));
    ck_assert_int_eq(v, 2);
    /* 3 at the break price 9.00, one free: 18.00 */
    int64_t id = sell_list(term, "q1", 3, 1800);
    char tf[512], cf[512];
    line_form(term, id, tf, sizeof tf);
    ck_assert_str_eq(tf, "3|1500|300|1800|900|L1|3|900|B2G1@v2:-900|");
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    no_quarantine(term);
    ck_assert_int_eq(r2.pushed, 1);
    int64_t cid = central_last_sale(central);
    line_form(central, cid, cf, sizeof cf);
    ck_assert_str_eq(cf, tf);
    int64_t total = 0;
    bo_assert_ok(bo__store_row(central->store, "SELECT total FROM inv_sales WHERE id = ?",
                               NULL, "i>i", cid, &total));
    ck_assert_int_eq(total, 1800);
    /* the promotion ends centrally; pulled, the next sale has none */
    p.to = D("2026-01-31");
    bo_assert_ok(bo_inventory_promotion_set(central, &p));
    bo_sync_report r3 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r3));
    bo_assert_ok(bo__store_row(term->store, "SELECT version FROM inv_promotions"
                               " WHERE code = 'B2G1'", NULL, ">i", &v));
    ck_assert_int_eq(v, 3);
    int64_t id2 = sell_list(term, "q2", 3, 2700);
    line_form(term, id2, tf, sizeof tf);
    ck_assert_str_eq(tf, "3|2250|450|2700|900|L1|3|0|NULL|");
    bo_sync_report r4 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r4));
    no_quarantine(term);
    ck_assert_int_eq(r4.pushed, 1);
    line_form(central, central_last_sale(central), cf, sizeof cf);
    ck_assert_str_eq(cf, tf);
    verify(term);
    verify(central);
}
END_TEST

/* A sale the terminal priced before the central book changed its list
 * price and started a promotion keeps the terminal's price centrally, and
 * gets no promotion the terminal did not apply. */
START_TEST(sync_terminal_priced_sale_keeps_price)
{
    bo_assert_ok(bo_inventory_pricelist_add(central, "L1", NULL, NULL, D("2026-01-01"),
                                            BO_DATE_MAX));
    bo_assert_ok(bo_inventory_pricelist_price(central, "L1", "A", NULL, 0, 1000));
    receive(central, "A", 20);
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    o.push = 0;
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    bo_assert_ok(bo_sync_run(term, central, &o, &r));
    int64_t id = sell_list(term, "k1", 2, 2000);
    char tf[512], cf[512];
    line_form(term, id, tf, sizeof tf);
    ck_assert_str_eq(tf, "2|1667|333|2000|1000|L1|2|0|NULL|");
    /* centrally, before the sale arrives: a new price and 10 % off */
    bo_assert_ok(bo_inventory_pricelist_price(central, "L1", "A", NULL, 0, 1200));
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    p.code = "P10";
    p.kind = "percent";
    p.value = 1000;
    bo_assert_ok(bo_inventory_promotion_set(central, &p));
    bo_sync_report r2 = BO_SYNC_REPORT_INIT;
    bo_assert_ok(sync_now(term, central, &r2));
    no_quarantine(term);
    ck_assert_int_eq(r2.pushed, 1);
    line_form(central, central_last_sale(central), cf, sizeof cf);
    ck_assert_str_eq(cf, tf);
    verify(central);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sync");
    TCase *tc = tcase_create("terminal");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, terminal_sale_writes_outbox);
    tcase_add_test(tc, terminal_setup_checked);
    tcase_add_test(tc, terminal_setup_elsewhere_seen_by_next_sale);
    tcase_add_test(tc, terminal_limits_warned_then_refused);
    tcase_add_test(tc, sync_exactly_once);
    tcase_add_test(tc, sync_poisoned_sale_quarantined);
    tcase_add_test(tc, sync_central_key_taken_other_content);
    tcase_add_test(tc, sync_two_terminals_last_unit);
    tcase_add_test(tc, sync_clock_off_and_backwards);
    tcase_add_test(tc, terminal_yaml_section);
    tcase_add_test(tc, sync_return_follows_its_sale);
    tcase_add_test(tc, terminal_cash_movements_synced);
    tcase_add_test(tc, sync_pull_stock_level_into_terminal);
    tcase_add_test(tc, feed_consumers_exported_and_read_back);
    tcase_add_test(tc, sync_pull_pricelist_and_promotion_priced_once);
    tcase_add_test(tc, sync_terminal_priced_sale_keeps_price);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("reopen");
    tcase_set_tags(tr, BO_TEST_TAG_REOPEN);
    tcase_add_checked_fixture(tr, setup, teardown);
    tcase_set_timeout(tr, 1200);
    tcase_add_test(tr, sync_same_key_other_content_conflict);
    tcase_add_test(tr, sync_clone_conflict);
    tcase_add_test(tr, sync_cut_at_random_points);
    tcase_add_test(tr, sync_kill_before_commit);
    tcase_add_test(tr, sync_kill_after_commit);
    tcase_add_test(tr, sync_kill_after_send);
    tcase_add_test(tr, sync_kill_before_ack_stored);
    tcase_add_test(tr, sync_pull_price_reaches_next_sale);
    tcase_add_test(tr, sync_pull_cut_then_repeated_same_state);
    tcase_add_test(tr, sync_tampered_command_refused_centrally);
    tcase_add_test(tr, terminal_full_disk_refuses_new_sales_keeps_queued);
    
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
