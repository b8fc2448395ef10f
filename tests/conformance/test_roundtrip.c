/*
 * Round trip, on the backend under test: every field of every record
 * (book, accounts, periods, entries and postings, roles and grants, audit
 * records) written with hostile text, INT64 extremes and the extreme dates,
 * then read back and compared byte for byte with what was written, and
 * with the same book built in a reference SQLite in-memory store in the
 * same process (so the two backends agree on every byte, ids included).
 */
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what is written ------------------------------------------------------ */

/* Hostile text: quotes, SQL, backslashes, escapes, control characters,
 * percent signs, every ASCII byte and multi-byte UTF-8 up to 4 bytes. */
static char long_text[BO_TEXT_MAX + 1];

static const char *const texts[] = {
    "'); DROP TABLE entries; --",
    "\"double\" 'single' `back` \\ \\\\ \\x00 \\n $1 ? ?1 :name @p %s %n",
    "tab\there, newline\nand cr\r, bell\a, esc\x1b[31m, del\x7f",
    "Ünïcödé ✓ 日本語 עברית 😀 e\xcc\x81 (combining)",
    " leading and trailing spaces ",
    "", /* empty memo */
    long_text,
};
#define NTEXTS (int)(sizeof texts / sizeof texts[0])

static void make_long_text(void)
{
    /* every printable and control ASCII byte (no NUL), then 4-byte UTF-8 */
    size_t n = 0;
    for (int c = 1; c < 128 && n < BO_TEXT_MAX; c++)
        long_text[n++] = (char)c;
    while (n + 4 <= BO_TEXT_MAX) {
        memcpy(long_text + n, "\xf0\x9f\x98\x80", 4);
        n += 4;
    }
    while (n < BO_TEXT_MAX)
        long_text[n++] = 'x';
    long_text[n] = '\0';
}

/* Codes may hold no spaces, commas or control characters; anything else. */
static const char *const codes[] = {
    "1000", "1000-1", "1000.1", "1000/1", "1000_1", "10001", "A", "a", "Z9",
    "x'y", "q\"r", "semi;colon", "back\\slash", "per%cent", "ques?tion",
    "Ü-umlaut", "日本", "😀", "--", "/*", "0", "9",
};
#define NCODES (int)(sizeof codes / sizeof codes[0])

static const int64_t amounts[] = {
    INT64_MAX, 1, -1, 4611686018427387904LL /* 2^62 */, 999999999999999999LL,
    -1000000000000000000LL, 42,
};

/* Account names may not be empty. */
static const char *name_of(int i)
{
    const char *t = texts[i % NTEXTS];
    return t[0] ? t : "-";
}

struct written {
    int64_t ids[16];
    int nids;
};

static void fill(bo_book *b, struct written *w)
{
    bo_assert_ok(bo_book_set_name(b, texts[1]));
    static const int types[] = { BO_ACCOUNT_ASSET, BO_ACCOUNT_LIABILITY,
                                 BO_ACCOUNT_EQUITY, BO_ACCOUNT_INCOME,
                                 BO_ACCOUNT_EXPENSE };
    for (int i = 0; i < NCODES; i++) {
        const char *parent = i > 0 && i % 4 == 0 ? codes[i - 1] : NULL;
        int type = types[i % 5];
        if (parent)
            type = types[(i - 1) % 5]; /* a sub-account has its parent's type */
        bo_assert_ok(bo_ledger_account_add(b, codes[i], name_of(i), type,
                                           parent, NULL));
    }
    bo_assert_ok(bo_ledger_account_add(b, "eur1", "Bank (EUR)", BO_ACCOUNT_ASSET,
                                       NULL, "EUR"));
    bo_assert_ok(bo_ledger_account_add(b, "eur2", "Sales (EUR)", BO_ACCOUNT_INCOME,
                                       NULL, "EUR"));
    /* accounts for the extremes, each with a counterpart */
    bo_assert_ok(bo_ledger_account_add(b, "max", "max", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "min", "min", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "half", "half", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(b, "half2", "half2", BO_ACCOUNT_ASSET, NULL, NULL));

    bo_assert_ok(bo_ledger_period_add(b, texts[0], BO_DATE_MIN, BO_DATE_MIN + 30));
    bo_assert_ok(bo_ledger_period_add(b, texts[3], BO_DATE_MIN + 31, BO_DATE_MIN + 60));
    bo_assert_ok(bo_ledger_period_add(b, "last", BO_DATE_MAX - 10, BO_DATE_MAX));

    /* entries: every text as memo, key and line memo; extreme dates */
    w->nids = 0;
    for (int t = 0; t < NTEXTS; t++) {
        bo_entry *e = NULL;
        bo_date d = t % 2 ? BO_DATE_MAX : BO_DATE_MIN + t;
        bo_assert_ok(bo_entry_new(&e, d, texts[t]));
        if (texts[t][0])
            bo_assert_ok(bo_entry_set_key(e, texts[t]));
        int64_t a = amounts[t % 7];
        bo_assert_ok(bo_entry_add(e, codes[t], a, NULL, texts[(t + 1) % NTEXTS]));
        bo_assert_ok(bo_entry_add(e, codes[t + 7], -a, NULL, NULL));
        bo_assert_ok(bo_ledger_post(b, e, &w->ids[w->nids++]));
        bo_entry_free(e);
    }
    /* INT64_MAX and INT64_MIN totals, EUR beside USD in one entry */
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, BO_DATE_MAX, "extremes"));
    bo_assert_ok(bo_entry_add(e, "max", INT64_MAX, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "half", -4611686018427387904LL, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "half2", -4611686018427387903LL, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "eur1", 7, "EUR", "eur"));
    bo_assert_ok(bo_entry_add(e, "eur2", -7, "EUR", NULL));
    bo_assert_ok(bo_ledger_post(b, e, &w->ids[w->nids++]));
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, BO_DATE_MAX, "minimum"));
    bo_assert_ok(bo_entry_add(e, "min", INT64_MIN, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "half", 4611686018427387904LL, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "half2", 4611686018427387904LL, NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, &w->ids[w->nids++]));
    bo_entry_free(e);
    bo_assert_ok(bo_ledger_reverse(b, w->ids[0], BO_DATE_MAX, "rev'\"\\;--😀",
                                  &w->ids[w->nids++]));
    bo_assert_ok(bo_ledger_period_close(b, texts[0]));
    bo_assert_ok(bo_ledger_account_close(b, codes[NCODES - 1]));

    bo_assert_ok(bo_role_define(b, "clerk", "ledger.read, ledger.post"));
    bo_assert_ok(bo_role_define(b, "r'o\"le;--", "audit.read ledger.read"));
    bo_assert_ok(bo_role_grant(b, "x'y\"z", "r'o\"le;--"));
    bo_assert_ok(bo_role_grant(b, "😀", "clerk"));
}

/* ---- what is read --------------------------------------------------------- */

typedef struct dump {
    char *p;
    size_t len, cap;
} dump;

static void put(dump *d, const char *s, size_t n)
{
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->p = realloc(d->p, d->cap);
        ck_assert_ptr_nonnull(d->p);
    }
    memcpy(d->p + d->len, s, n);
    d->len += n;
    d->p[d->len] = '\0';
}

/* Every column of every row, length-prefixed, skipping the named ones. */
static void dump_cursor(dump *d, bo_cursor *c, const char *skip)
{
    int rc, n = bo_cursor_column_count(c);
    while ((rc = bo_cursor_next(c)) == 0) {
        for (int i = 0; i < n; i++) {
            char head[64];
            const char *name = bo_cursor_column_name(c, i);
            if (skip && strstr(skip, name))
                continue;
            switch (bo_cursor_type(c, i)) {
            case BO_TYPE_INT:
                snprintf(head, sizeof head, "%s=I%lld;", name,
                         (long long)bo_cursor_int(c, i));
                put(d, head, strlen(head));
                break;
            case BO_TYPE_TEXT: {
                const char *t = bo_cursor_text(c, i);
                snprintf(head, sizeof head, "%s=T%zu:", name, strlen(t));
                put(d, head, strlen(head));
                put(d, t, strlen(t));
                put(d, ";", 1);
                break;
            }
            default:
                snprintf(head, sizeof head, "%s=N;", name);
                put(d, head, strlen(head));
            }
        }
        put(d, "\n", 1);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
}

static void dump_book(bo_book *b, const struct written *w, dump *d)
{
    bo_cursor *c;
    put(d, bo_book_name(b), strlen(bo_book_name(b)));
    put(d, "|", 1);
    put(d, bo_book_base_currency(b), strlen(bo_book_base_currency(b)));
    put(d, "\n", 1);
    bo_assert_ok(bo_ledger_accounts(b, &c));
    dump_cursor(d, c, NULL);
    bo_assert_ok(bo_ledger_periods(b, &c));
    dump_cursor(d, c, NULL);
    for (int i = 0; i < w->nids; i++) {
        bo_assert_ok(bo_ledger_entry(b, w->ids[i], &c));
        dump_cursor(d, c, NULL);
    }
    bo_assert_ok(bo_role_list(b, &c));
    dump_cursor(d, c, NULL);
    /* "at" is the time of writing and "hash" covers it: they differ between
     * two books; bo_audit_verify checks them against every stored field. */
    bo_assert_ok(bo_audit_list(b, 1, &c));
    dump_cursor(d, c, "at hash");
    static const char *const all[] = { "max", "min", "half", "half2", "1000", "A", "a",
                                       "eur1", "eur2" };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        int64_t v;
        char line[96];
        bo_assert_ok(bo_ledger_balance(b, all[i], BO_DATE_MAX, NULL, &v));
        snprintf(line, sizeof line, "balance %s %lld\n", all[i], (long long)v);
        put(d, line, strlen(line));
    }
}

/* ---- the cases -------------------------------------------------------------- */

static bo_book *reference(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, "sqlite::memory:", &o));
    return b;
}

/* Every written field read back as written. */
START_TEST(fields_read_back_as_written)
{
    make_long_text();
    bo_book *b = bo_test_book("roundtrip");
    struct written w;
    fill(b, &w);
    ck_assert_str_eq(bo_book_name(b), texts[1]);

    bo_cursor *c;
    int n = 0;
    bo_assert_ok(bo_ledger_accounts(b, &c));
    while (bo_cursor_next(c) == 0) {
        const char *code = bo_cursor_text(c, bo_cursor_column_index(c, "code"));
        const char *name = bo_cursor_text(c, bo_cursor_column_index(c, "name"));
        for (int i = 0; i < NCODES; i++) {
            if (strcmp(code, codes[i]) != 0)
                continue;
            ck_assert_str_eq(name, name_of(i));
            ck_assert_int_eq(strlen(name), strlen(name_of(i)));
            ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "closed")),
                             i == NCODES - 1);
            n++;
        }
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, NCODES);

    for (int t = 0; t < NTEXTS; t++) {
        bo_assert_ok(bo_ledger_entry(b, w.ids[t], &c));
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_int_eq(bo_cursor_int(c, 0), w.ids[t]);
        char iso[16];
        bo_date d = t % 2 ? BO_DATE_MAX : BO_DATE_MIN + t;
        ck_assert_int_eq(bo_date_format(d, iso, sizeof iso) >= 0, 1);
        ck_assert_str_eq(bo_cursor_text(c, 1), iso);
        ck_assert_str_eq(bo_cursor_text(c, 2), texts[t]);
        if (texts[t][0])
            ck_assert_str_eq(bo_cursor_text(c, 3), texts[t]);
        else
            ck_assert_int_eq(bo_cursor_type(c, 3), BO_TYPE_NULL);
        ck_assert_int_eq(bo_cursor_int(c, 7), amounts[t % 7]);
        ck_assert_str_eq(bo_cursor_text(c, 9), texts[(t + 1) % NTEXTS]);
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_int_eq(bo_cursor_int(c, 7), -amounts[t % 7]);
        ck_assert_int_eq(bo_cursor_type(c, 9), BO_TYPE_NULL);
        ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
        bo_cursor_free(c);
    }
    int64_t v;
    bo_assert_ok(bo_ledger_balance(b, "max", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, INT64_MAX);
    bo_assert_ok(bo_ledger_balance(b, "min", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, INT64_MIN);
    bo_assert_ok(bo_ledger_balance(b, "half", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 0);
    bo_assert_ok(bo_ledger_balance(b, "half2", BO_DATE_MAX, NULL, &v));
    ck_assert_int_eq(v, 1);
    /* the replayed keys give back the same ids (not for the amounts that
     * would overflow if posted twice: the engine plans the day totals
     * before it looks the key up) */
    for (int t = 0; t < NTEXTS; t++) {
        if (!texts[t][0] || t % 7 == 0 || t % 7 == 3)
            continue;
        bo_entry *e = NULL;
        bo_assert_ok(bo_entry_new(&e, t % 2 ? BO_DATE_MAX : BO_DATE_MIN + t, texts[t]));
        bo_assert_ok(bo_entry_set_key(e, texts[t]));
        bo_assert_ok(bo_entry_add(e, codes[t], amounts[t % 7], NULL, texts[(t + 1) % NTEXTS]));
        bo_assert_ok(bo_entry_add(e, codes[t + 7], -amounts[t % 7], NULL, NULL));
        int64_t id = 0;
        bo_assert_ok(bo_ledger_post(b, e, &id));
        ck_assert_int_eq(id, w.ids[t]);
        bo_entry_free(e);
    }
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST

/* The backend and the reference SQLite store agree on every byte. */
START_TEST(same_bytes_as_reference)
{
    make_long_text();
    bo_book *b = bo_test_book("roundtrip-ref");
    bo_book *r = reference();
    struct written wb, wr;
    fill(b, &wb);
    fill(r, &wr);
    dump db = { 0 }, dr = { 0 };
    dump_book(b, &wb, &db);
    dump_book(r, &wr, &dr);
    ck_assert_int_gt(db.len, 8000);
    if (db.len != dr.len || memcmp(db.p, dr.p, db.len) != 0) {
        size_t i = 0;
        while (i < db.len && i < dr.len && db.p[i] == dr.p[i])
            i++;
        size_t from = i > 60 ? i - 60 : 0;
        ck_abort_msg("%s differs from the reference at byte %zu:\n%.120s\n---\n%.120s",
                     bo_test_backend(), i, db.p + from, dr.p + from);
    }
    free(db.p);
    free(dr.p);
    bo_book_free(b);
    bo_book_free(r);
}
END_TEST

/* Written, closed, opened again: still the same bytes. */
START_TEST(same_bytes_after_reopen)
{
    make_long_text();
    char *uri = bo_test_path("roundtrip-reopen");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    struct written w;
    fill(b, &w);
    dump before = { 0 }, after = { 0 };
    dump_book(b, &w, &before);
    bo_book_free(b);
    o.create = 0;
    bo_assert_ok(bo_book_open(&b, uri, &o));
    dump_book(b, &w, &after);
    ck_assert_int_eq(before.len, after.len);
    ck_assert_int_eq(memcmp(before.p, after.p, before.len), 0);
    bo_assert_ok(bo_audit_verify(b, NULL));
    free(before.p);
    free(after.p);
    bo_book_free(b);
    free(uri);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("roundtrip");
    TCase *t = tcase_create("roundtrip");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, fields_read_back_as_written);
    tcase_add_test(t, same_bytes_as_reference);
    suite_add_tcase(s, t);
    t = tcase_create("roundtrip_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, same_bytes_after_reopen);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
