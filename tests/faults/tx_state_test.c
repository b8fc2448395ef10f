/*
 * Focused checks of what a failure leaves behind in a book handle's
 * transaction state (each one also caught, among thousands of runs, by
 * io_test --cache-pages 2 and oom_test):
 *
 * 1. read_error_inside_transaction: begin; post A; a balance fails with an
 *    I/O error (SQLite then rolls back the whole transaction by itself);
 *    the host ignores it and posts B; commit. B must not be recorded
 *    unless A is (the later calls must be refused, or the transaction kept).
 * 2. spill_full_inside_transaction: the same with a disk that is full when
 *    a read has to spill the page cache (SQLITE_FULL).
 * 3. oom_inside_transaction_read: the same with the allocation failing in
 *    SQLite during the read.
 * 4. handle_after_persistent_oom: a post fails because memory runs out and
 *    stays out (so even its rollback fails); once memory is back the same
 *    handle must write again, and must not hold the store's write lock
 *    meanwhile.
 *
 *   tx_state_test [--dir DIR]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "faultvfs.h"
#include "mix.h"

static long failures;
static char path[4200];

#define CHECK(cond, ...) do { \
    if (!(cond)) { \
        fprintf(stderr, "FAIL %s: ", scenario); \
        fprintf(stderr, __VA_ARGS__); \
        fputc('\n', stderr); \
        failures++; \
    } \
} while (0)

/* ---- an allocator that fails from the k-th allocation on, when armed ---- */
static long n_alloc, fail_from;
static int armed;

static int fail_now(void)
{
    return armed && ++n_alloc >= fail_from;
}
static void *h_malloc(void *ud, size_t n) { (void)ud; return fail_now() ? NULL : malloc(n); }
static void *h_realloc(void *ud, void *p, size_t n)
{
    (void)ud;
    return fail_now() ? NULL : realloc(p, n);
}
static void h_free(void *ud, void *p) { (void)ud; free(p); }
static const bo_allocator hook = { BO_ALLOCATOR_VERSION, h_malloc, h_realloc, h_free, NULL };

static int small_cache(sqlite3 *db, const char **err, const void *api)
{
    (void)err;
    (void)api;
    sqlite3_exec(db, "PRAGMA cache_size=2", NULL, NULL, NULL);
    return SQLITE_OK;
}

static bo_book *open_book(int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = create;
    o.sync = BO_SYNC_OFF; /* durability is not what this is about */
    bo_book *b = NULL;
    int rc = bo_book_open(&b, path, &o);
    if (rc) {
        fprintf(stderr, "open: %d %s\n", rc, bo_error_message());
        exit(99);
    }
    return b;
}

static int post(bo_book *b, const char *key, int64_t amount)
{
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, 20454, "tx");
    if (!rc)
        rc = bo_entry_set_key(e, key);
    if (!rc)
        rc = bo_entry_add(e, "1000", amount, NULL, NULL);
    if (!rc)
        rc = bo_entry_add(e, "3000", -amount, NULL, NULL);
    if (!rc)
        rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    return rc;
}

/* A fresh book with two accounts and enough entries that the page cache of
 * two pages must read and spill. */
static void fresh_book(void)
{
    st_unlink_db(path);
    bo_book *b = open_book(1);
    if (bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL) ||
        bo_ledger_account_add(b, "3000", "Equity", BO_ACCOUNT_EQUITY, NULL, NULL)) {
        fprintf(stderr, "chart: %s\n", bo_error_message());
        exit(99);
    }
    for (int i = 0; i < 40; i++) {
        char key[16];
        snprintf(key, sizeof key, "seed%d", i);
        if (post(b, key, 10 + i)) {
            fprintf(stderr, "seed: %s\n", bo_error_message());
            exit(99);
        }
    }
    bo_book_free(b);
}

/* Whether an entry with idempotency key @p key is in the book: posting it
 * again (inside a transaction rolled back at once) appends no audit record
 * when it is a replay. */
static int has_key(const char *key, int64_t amount)
{
    bo_book *b = open_book(0);
    int64_t seq0 = -1, seq1 = -2;
    char hex[BO_HASH_HEX_SIZE];
    int rc = bo_book_begin(b);
    if (!rc)
        rc = bo_audit_head(b, &seq0, hex, sizeof hex);
    if (!rc)
        rc = post(b, key, amount);
    if (!rc)
        rc = bo_audit_head(b, &seq1, hex, sizeof hex);
    while (bo_book_depth(b) > 0)
        bo_book_rollback(b);
    bo_book_free(b);
    if (rc) {
        fprintf(stderr, "probe %s: %d %s\n", key, rc, bo_error_message());
        exit(99);
    }
    return seq1 == seq0;
}

typedef int (*read_fault)(bo_book *b); /* arms a fault, runs a read, disarms */

static int read_with_io_fault(bo_book *b, fv_kind kind, fv_errno err)
{
    fv_arm(kind, 1, err, 0);
    int64_t v;
    int rc = bo_ledger_balance(b, "1000", BO_DATE_MAX, NULL, &v);
    bo_cursor *c = NULL;
    if (bo_ledger_trial_balance(b, BO_DATE_MAX, &c) == 0)
        while (bo_cursor_next(c) == 0) {
        }
    bo_cursor_free(c);
    fv_disarm();
    return rc;
}

static int read_eio(bo_book *b) { return read_with_io_fault(b, FV_READ, FV_EIO); }
static int read_full(bo_book *b) { return read_with_io_fault(b, FV_WRITE, FV_ENOSPC); }

static long oom_k;
static int read_oom(bo_book *b)
{
    n_alloc = 0;
    fail_from = oom_k;
    armed = 1;
    bo_cursor *c = NULL;
    int rc = bo_ledger_trial_balance(b, BO_DATE_MAX, &c);
    while (rc == 0 && (rc = bo_cursor_next(c)) == 0) {
    }
    armed = 0;
    bo_cursor_free(c);
    return rc == BO_ITEROVER ? 0 : rc;
}

/* begin; post A; a failing read; post B; commit. Returns 1 when the
 * transaction was not all or nothing. @p quiet: 0 prints the outcome; n > 0
 * (in a loop) prints only the first bad case. */
static int run_read_scenario(const char *scenario, read_fault fault, int quiet)
{
    fresh_book();
    bo_book *b = open_book(0);
    int rc = bo_book_begin(b);
    if (!rc)
        rc = post(b, "A", 100);
    if (rc) {
        fprintf(stderr, "%s: setup: %s\n", scenario, bo_error_message());
        exit(99);
    }
    int frc = fault(b);
    int brc = post(b, "B", 200);
    char bmsg[256];
    snprintf(bmsg, sizeof bmsg, "%s", bo_error_message());
    int crc = bo_book_commit(b);
    char cmsg[256];
    snprintf(cmsg, sizeof cmsg, "%s", bo_error_message());
    while (bo_book_depth(b) > 0)
        bo_book_rollback(b);
    bo_book_free(b);
    int a = has_key("A", 100), bb = has_key("B", 200);
    int bad = a != bb || (crc == 0) != (a && bb);
    if (quiet && (!bad || quiet++ > 1))
        return bad; /* in a loop: report the first bad case only */
    if (!quiet)
        printf("%s: read returned %d; post B returned %d (%s); commit returned %d (%s); "
               "A %s, B %s\n", scenario, frc, brc, brc ? bmsg : "ok", crc, crc ? cmsg : "ok",
               a ? "present" : "absent", bb ? "present" : "absent");
    CHECK(a == bb, "entries A and B of one transaction: A %s, B %s (post B returned %d, "
          "commit %d: %s)", a ? "present" : "absent", bb ? "present" : "absent", brc, crc,
          crc ? cmsg : "ok");
    CHECK((crc == 0) == (a && bb), "commit returned %d but A is %s", crc,
          a ? "present" : "absent");
    return bad;
}

static void handle_after_persistent_oom(void)
{
    const char *scenario = "handle_after_persistent_oom";
    fresh_book();
    long bad = 0, first_bad = 0, tried = 0;
    if (bo_set_allocator(&hook) != 0) {
        fprintf(stderr, "allocator: %s\n", bo_error_message());
        exit(99);
    }
    for (long k = 1; k < 2000; k++) {
        bo_book *b = open_book(0);
        n_alloc = 0;
        fail_from = k;
        armed = 1;
        int rc = post(b, "oom", 5);
        armed = 0;
        tried++;
        /* Memory is back: this handle and another one must write. */
        int again = post(b, "after", 7);
        char msg[256];
        snprintf(msg, sizeof msg, "%s", again ? bo_error_message() : "ok");
        bo_book *other = NULL;
        bo_book_options o = BO_BOOK_OPTIONS_INIT;
        o.actor = "owner";
        o.busy_timeout_ms = 0;
        int orc = bo_book_open(&other, path, &o);
        if (!orc) {
            orc = bo_book_begin(other);
            if (!orc)
                bo_book_rollback(other);
        }
        bo_book_free(other);
        if (again != 0 || orc != 0) {
            if (!bad++)
                first_bad = k;
            if (bad == 1)
                fprintf(stderr, "FAIL %s: k=%ld: post failed with %d; with memory back the "
                        "handle's next post returns %d (%s) and another handle's begin %d\n",
                        scenario, k, rc, again, msg, orc);
        }
        bo_book_free(b);
        if (rc == 0)
            break;
    }
    bo_set_allocator(NULL);
    CHECK(bad == 0, "%ld of %ld k values left the handle unable to write (first k=%ld)",
          bad, tried, first_bad);
    printf("%s: %ld k values, %ld left the handle stuck in a transaction\n", scenario, tried,
           bad);
}

int main(int argc, char **argv)
{
    const char *dir = st_tmpdir();
    if (argc == 3 && strcmp(argv[1], "--dir") == 0)
        dir = argv[2];
    else if (argc != 1) {
        fprintf(stderr, "usage: tx_state_test [--dir DIR]\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/tx-state-%ld.db", dir, (long)getpid());

    /* 4 first: it needs SQLite shut down to install the allocator, before
     * the VFS and the small cache are registered. */
    handle_after_persistent_oom();

    if (fv_register() != 0 || sqlite3_auto_extension((void (*)(void))small_cache) != SQLITE_OK) {
        fprintf(stderr, "cannot register the VFS\n");
        return 99;
    }
    fv_real_sync(0);
    run_read_scenario("read_error_inside_transaction", read_eio, 0);
    run_read_scenario("spill_full_inside_transaction", read_full, 0);
    /* 3: fail each allocation of the read in turn (the library's and
     * SQLite's), with the plain VFS and cache. */
    sqlite3_reset_auto_extension();
    if (bo_set_allocator(&hook) != 0) {
        fprintf(stderr, "allocator: %s\n", bo_error_message());
        return 99;
    }
    long hit = 0, k_max = 0;
    for (oom_k = 1; oom_k < 1000; oom_k++) {
        hit += run_read_scenario("oom_inside_transaction_read", read_oom, hit ? 2 : 1);
        if (n_alloc < oom_k) {
            k_max = oom_k;
            break; /* the read no longer reaches the failing allocation */
        }
    }
    bo_set_allocator(NULL);
    printf("oom_inside_transaction_read: k 1..%ld, %ld left the transaction half "
           "committed\n", k_max, hit);
    st_unlink_db(path);
    printf("tx_state: %ld failures\n", failures);
    return failures == 0 ? 0 : 1;
}
