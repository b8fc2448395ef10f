/*
 * Hostile text through a real posting. The input is split at NUL bytes into
 * an account code, an account name, the entry memo, the idempotency key,
 * two posting memos, an amount and a date. Each goes through the public
 * calls on an in-memory book. Properties:
 *  - each text is accepted exactly when the documented rules say (valid
 *    UTF-8, length limits, codes without spaces, commas or control
 *    characters), checked by a reference independent of the library; a
 *    refusal has a specific code and a message;
 *  - what is accepted reads back byte for byte (chart, entry, postings);
 *  - a refused posting records nothing; a replay with the same key returns
 *    the same id; the audit chain verifies and the trial balance is zero.
 * Each input runs inside a host transaction on one in-memory book, rolled
 * back at the end: every input meets the same book.
 */
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

enum { F_CODE, F_NAME, F_MEMO, F_KEY, F_LMEMO1, F_LMEMO2, F_AMOUNT, F_DATE, NF };

static bool text_ok(const char *s, size_t max, bool allow_empty)
{
    size_t n = strlen(s);
    return n <= max && (allow_empty || n > 0) &&
           fz_utf8_valid((const unsigned char *)s, n);
}

static bool code_ok(const char *s)
{
    if (!text_ok(s, BO_CODE_MAX, false))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == ',')
            return false;
    return true;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bo_book *new_book(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    if (bo_book_open(&b, "sqlite::memory:", &o) != 0 ||
        bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL) ||
        bo_ledger_account_add(b, "4000", "Sales", BO_ACCOUNT_INCOME, NULL, NULL))
        FZ_ASSERT(0, "cannot set up a book");
    return b;
}

/* The chart holds code with exactly this name. */
static bool chart_has(bo_book *b, const char *code, const char *name)
{
    bo_cursor *c = NULL;
    FZ_ASSERT(bo_ledger_accounts(b, &c) == 0, "accounts");
    int cc = bo_cursor_column_index(c, "code"), nc = bo_cursor_column_index(c, "name");
    bool found = false;
    int rc;
    while ((rc = bo_cursor_next(c)) == 0)
        if (same(bo_cursor_text(c, cc), code))
            found = same(bo_cursor_text(c, nc), name);
    FZ_ASSERT(rc == BO_ITEROVER, "accounts cursor %d", rc);
    bo_cursor_free(c);
    return found;
}

typedef struct expect {
    const char *memo, *key, *acc2, *lm1, *lm2;
    int64_t amount;
    bo_date date;
} expect;

static void check_entry(bo_book *b, int64_t id, const expect *x)
{
    bo_cursor *c = NULL;
    FZ_ASSERT(bo_ledger_entry(b, id, &c) == 0, "entry %lld", (long long)id);
    char date[11];
    bo_date_format(x->date, date, sizeof date);
    int rows = 0, rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        rows++;
        int line = (int)bo_cursor_int(c, bo_cursor_column_index(c, "line"));
        FZ_ASSERT(same(bo_cursor_text(c, bo_cursor_column_index(c, "memo")), x->memo),
                  "memo differs");
        const char *key = bo_cursor_text(c, bo_cursor_column_index(c, "key"));
        FZ_ASSERT(x->key ? same(key, x->key) : key == NULL, "key differs");
        FZ_ASSERT(same(bo_cursor_text(c, bo_cursor_column_index(c, "date")), date),
                  "date differs");
        const char *acc = bo_cursor_text(c, bo_cursor_column_index(c, "account"));
        const char *lm = bo_cursor_text(c, bo_cursor_column_index(c, "line_memo"));
        int64_t amount = bo_cursor_int(c, bo_cursor_column_index(c, "amount"));
        const char *want_lm = line == 1 ? x->lm1 : x->lm2;
        FZ_ASSERT(same(acc, line == 1 ? "1000" : x->acc2), "line %d account", line);
        FZ_ASSERT(want_lm ? same(lm, want_lm) : lm == NULL, "line %d memo", line);
        FZ_ASSERT(amount == (line == 1 ? x->amount : -x->amount), "line %d amount",
                  line);
    }
    FZ_ASSERT(rc == BO_ITEROVER && rows == 2, "entry rows %d rc %d", rows, rc);
    bo_cursor_free(c);
}

static void check_books(bo_book *b)
{
    int64_t bad = -1;
    FZ_ASSERT(bo_audit_verify(b, &bad) == 0 && bad == 0, "audit chain");
    bo_cursor *c = NULL;
    FZ_ASSERT(bo_ledger_trial_balance(b, BO_DATE_MAX, &c) == 0, "trial balance");
    int64_t dr = 0, cr = 0;
    int dc = bo_cursor_column_index(c, "debit"), kc = bo_cursor_column_index(c, "credit");
    while (bo_cursor_next(c) == 0) {
        dr += bo_cursor_int(c, dc);
        cr += bo_cursor_int(c, kc);
    }
    bo_cursor_free(c);
    FZ_ASSERT(dr == cr, "trial balance %lld != %lld", (long long)dr, (long long)cr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    char *f[NF], *buf;
    fz_split(data, size, f, NF, &buf);
    /* One book for the whole run; each input works inside a transaction
     * that is rolled back at the end, so every input meets the same book
     * (and runs many times faster than with a new book each time). */
    static bo_book *b;
    if (!b)
        b = new_book();
    FZ_ASSERT(bo_book_begin(b) == 0 && bo_book_depth(b) == 1, "begin");

    /* 1. an account with a hostile code and name */
    bool want = code_ok(f[F_CODE]) && text_ok(f[F_NAME], BO_TEXT_MAX, false) &&
                strcmp(f[F_CODE], "1000") != 0 && strcmp(f[F_CODE], "4000") != 0;
    int rc = bo_ledger_account_add(b, f[F_CODE], f[F_NAME], BO_ACCOUNT_INCOME,
                                   NULL, NULL);
    FZ_ASSERT((rc == 0) == want, "account_add: rc %d, expected %s", rc,
              want ? "success" : "refusal");
    if (rc)
        fz_check_refusal(rc, "bo_ledger_account_add");
    else
        FZ_ASSERT(chart_has(b, f[F_CODE], f[F_NAME]), "account does not read back");
    bool account_exists = rc == 0 || strcmp(f[F_CODE], "1000") == 0 ||
                          strcmp(f[F_CODE], "4000") == 0;

    /* 2. an entry with hostile memo, key and posting memos */
    expect x = { f[F_MEMO], NULL, f[F_CODE], f[F_LMEMO1], f[F_LMEMO2], 100, 0 };
    if (bo_money_parse(f[F_AMOUNT], "USD", &x.amount) != 0 || x.amount == 0 ||
        x.amount == INT64_MIN)
        x.amount = 100;
    if (bo_date_parse(f[F_DATE], &x.date) != 0)
        x.date = 20468; /* 2026-01-15 */

    bo_entry *e = NULL;
    want = text_ok(x.memo, BO_TEXT_MAX, true);
    rc = bo_entry_new(&e, x.date, x.memo);
    FZ_ASSERT((rc == 0) == want, "entry_new: rc %d", rc);
    if (rc) {
        fz_check_refusal(rc, "bo_entry_new");
        x.memo = "";
        FZ_ASSERT(bo_entry_new(&e, x.date, x.memo) == 0, "entry_new \"\"");
    }
    if (f[F_KEY][0]) {
        want = text_ok(f[F_KEY], BO_TEXT_MAX, false);
        rc = bo_entry_set_key(e, f[F_KEY]);
        FZ_ASSERT((rc == 0) == want, "set_key: rc %d", rc);
        if (rc)
            fz_check_refusal(rc, "bo_entry_set_key");
        else
            x.key = f[F_KEY];
    }
    want = text_ok(x.lm1, BO_TEXT_MAX, true);
    rc = bo_entry_add(e, "1000", x.amount, NULL, x.lm1);
    FZ_ASSERT((rc == 0) == want, "entry_add 1: rc %d", rc);
    if (rc) {
        fz_check_refusal(rc, "bo_entry_add");
        x.lm1 = NULL;
        FZ_ASSERT(bo_entry_add(e, "1000", x.amount, NULL, NULL) == 0, "entry_add 1");
    }
    bool memo2 = text_ok(x.lm2, BO_TEXT_MAX, true);
    want = memo2 && text_ok(x.acc2, BO_CODE_MAX, false);
    rc = bo_entry_add(e, x.acc2, -x.amount, NULL, x.lm2);
    FZ_ASSERT((rc == 0) == want, "entry_add 2: rc %d", rc);
    if (rc) {
        fz_check_refusal(rc, "bo_entry_add");
        if (!memo2)
            x.lm2 = NULL;
        if (!text_ok(x.acc2, BO_CODE_MAX, false)) {
            x.acc2 = "4000";
            account_exists = true;
        }
        FZ_ASSERT(bo_entry_add(e, x.acc2, -x.amount, NULL, x.lm2) == 0,
                  "entry_add 2 after refusal");
    }
    FZ_ASSERT(bo_entry_count(e) == 2, "two postings");

    /* 3. post, read back, replay */
    int64_t id = -1;
    rc = bo_ledger_post(b, e, &id);
    if (account_exists) {
        FZ_ASSERT(rc == 0, "post refused: %d", rc);
        check_entry(b, id, &x);
        /* Posting it again: the first entry's id with a key, whatever the
         * amounts (nothing new is added); without one a new entry, unless
         * an amount over half the int64 range would be added to the same
         * account twice (BO_EOVERFLOW). */
        int64_t id2 = -1;
        rc = bo_ledger_post(b, e, &id2);
        bool twice_overflows = x.amount > INT64_MAX / 2 || x.amount < INT64_MIN / 2;
        if (x.key) {
            FZ_ASSERT(rc == 0 && id2 == id, "replay: rc %d, id %lld then %lld", rc,
                      (long long)id, (long long)id2);
        } else if (rc == BO_EOVERFLOW && twice_overflows) {
            fz_check_refusal(rc, "bo_ledger_post (again)");
        } else {
            FZ_ASSERT(rc == 0 && id2 != id, "second post: rc %d, ids %lld, %lld",
                      rc, (long long)id, (long long)id2);
        }
    } else {
        FZ_ASSERT(rc == BO_ENOTFOUND, "post to a missing account: %d", rc);
        fz_check_refusal(rc, "bo_ledger_post");
        bo_cursor *c = NULL;
        FZ_ASSERT(bo_ledger_entry(b, 1, &c) == BO_ENOTFOUND, "refused entry stored");
    }
    check_books(b);
    bo_entry_free(e);
    FZ_ASSERT(bo_book_rollback(b) == 0 && bo_book_depth(b) == 0, "rollback");
    free(buf);
    return 0;
}
