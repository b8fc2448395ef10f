/*
 * A book written by release 0.1 (schema version 1: the ledger only) is
 * opened by this library: it is migrated to the current schema in one
 * transaction, and nothing committed before is lost or changed.
 *
 * tests/data/books/schema1.db was made with the 0.1 command-line program:
 *   init tests/cli/book.yaml; period-add 2026-01 2026-01-01 2026-01-31;
 *   post 2026-01-05 "Cash sale" --key r-1 1000=25.00 4000=-25.00;
 *   post 2026-01-06 "Supplies" 5000=7.50 2000=-7.50;
 *   post 2026-01-07 "Euro sale" 1300=10.00:EUR 4300=-10.00:EUR;
 *   reverse 2 --date 2026-01-08; period-close 2026-01;
 *   post 2026-02-02 "Online" 1100=12.34 4010=-12.34;
 *   role-define clerk ledger.read ledger.post; grant bob clerk
 * Its audit head was seq 24, hash 8426c3fc...7eea.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char src_path[4096];
static char *path;

static void setup(void)
{
    const char *f = __FILE__, *suffix = "unit/test_migration.c";
    size_t n = strlen(f), s = strlen(suffix);
    ck_assert(n > s && strcmp(f + n - s, suffix) == 0);
    snprintf(src_path, sizeof src_path, "%.*sdata/books/schema1.db", (int)(n - s), f);
    path = bo_test_file("migration.db");
    FILE *in = fopen(src_path, "rb"), *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, got, out), got);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

static void teardown(void)
{
    free(path);
}

/* tests/data/books/schema6.db: the shop of release 0.2.1's demo (every
 * domain: ledger, inventory, billing, payroll, documents), made with
 * "examples/demo schema6.db" and vacuumed. Its audit head was seq 317,
 * hash dce3684e...e922. */
static void setup6(void)
{
    const char *f = __FILE__, *suffix = "unit/test_migration.c";
    size_t n = strlen(f), s = strlen(suffix);
    snprintf(src_path, sizeof src_path, "%.*sdata/books/schema6.db", (int)(n - s), f);
    path = bo_test_file("migration6.db");
    FILE *in = fopen(src_path, "rb"), *out = fopen(path, "wb");
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(out);
    char buf[8192];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, in)) > 0)
        ck_assert_uint_eq(fwrite(buf, 1, got, out), got);
    fclose(in);
    ck_assert_int_eq(fclose(out), 0);
}

static void raw(const char *sql)
{
    bo_test_raw_sql(path, sql);
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

static bo_date ymd(int y, int m, int d)
{
    bo_date out;
    bo_assert_ok(bo_date_from_ymd(y, m, d, &out));
    return out;
}

static int64_t balance(bo_book *b, const char *account, const char *currency)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(b, account, BO_DATE_MAX, currency, &v));
    return v;
}

START_TEST(test_migrated_without_loss)
{
    bo_book *b = open_as("admin");
    /* The ledger as it was. */
    ck_assert_int_eq(balance(b, "1000", NULL), 2500);
    ck_assert_int_eq(balance(b, "1100", NULL), 1234);
    ck_assert_int_eq(balance(b, "1300", "EUR"), 1000);
    ck_assert_int_eq(balance(b, "5000", NULL), 0); /* posted, then reversed */
    ck_assert_int_eq(balance(b, "4000", NULL), -2500 - 1234); /* with 4010 */
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    /* The chain as it was, and one record more: the upgrade to schema 7
     * recorded the state of every record as found ("audit.upgrade"). */
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_eq(seq, 25);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_list(b, 24, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), 24);
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "hash")),
                     "8426c3fc77908e8692825fb825c92749f901c5314f91becdb7315a01f34a7eea");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "action")), "audit.upgrade");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* From here on the chain covers the tables too. */
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    /* Its rules still hold: the closed period, the idempotency key, the
     * reversal done once, the grants. */
    bo_entry *e;
    int64_t id = 0;
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 1, 5), "Cash sale"));
    bo_assert_ok(bo_entry_add(e, "1000", 2500, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -2500, NULL, NULL));
    bo_assert_ok(bo_entry_set_key(e, "r-1"));
    bo_assert_ok(bo_ledger_post(b, e, &id)); /* a replay, answered */
    ck_assert_int_eq(id, 1);
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, ymd(2026, 1, 20), "late"));
    bo_assert_ok(bo_entry_add(e, "1000", 100, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "4000", -100, NULL, NULL));
    bo_assert_err(bo_ledger_post(b, e, &id), BO_EPERIOD);
    bo_entry_free(e);
    bo_assert_err(bo_ledger_reverse(b, 2, ymd(2026, 2, 3), NULL, &id),
                  BO_EEXISTS);
    bo_book_free(b);
    b = open_as("bob");
    ck_assert_int_eq(bo_actor_can(b, "ledger.post"), 1);
    ck_assert_int_eq(bo_actor_can(b, "tax.admin"), 0);
    bo_book_free(b);
}
END_TEST

/* The new parts work on the migrated book, and a second open does not
 * migrate again. */
START_TEST(test_new_parts_usable)
{
    bo_book *b = open_as("admin");
    bo_assert_ok(bo_tax_rate_add(b, "ST", "State tax", 62500, "2000", NULL, 0));
    bo_assert_ok(bo_tax_category_add(b, "standard", "Standard", "ST"));
    bo_assert_ok(bo_party_add(b, "ACME", "Acme", BO_PARTY_VENDOR, NULL));
    bo_book_free(b);
    b = open_as("admin");
    int64_t net, tax;
    bo_assert_ok(bo_tax_compute(b, "standard", 1000, 0, &net, &tax));
    ck_assert_int_eq(tax, 63);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify(b, &bad));
    ck_assert_int_eq(bad, 0);
    bo_book_free(b);
}
END_TEST

/* A book of release 0.2 is covered from its upgrade on: the state of every
 * record, recorded in one audit record, and then any edit is found. */
START_TEST(trust_upgrade_covers_every_table)
{
    bo_book *b = open_as("admin");
    int64_t seq = 0;
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, hex, sizeof hex));
    ck_assert_int_eq(seq, 318);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_list(b, 317, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "hash")),
                     "dce3684edd63fb6807947b15a3d9170f014b4098cc23a8f383fb8c5ecfdde922");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "action")), "audit.upgrade");
    bo_cursor_free(c);
    int64_t bad = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad));
    ck_assert_int_eq(bad, 0);
    raw("UPDATE inv_sale_lines SET qty = qty + 1 WHERE sale_id = 1 AND line = 1");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_int_eq(bad, 318);
    ck_assert_str_eq(bo_error_message(), "inv_sale_lines: sale 1: rows differ (altered, "
                     "inserted or deleted): not the state recorded by audit record 318");
    raw("UPDATE inv_sale_lines SET qty = qty - 1 WHERE sale_id = 1 AND line = 1;"
        " UPDATE postings SET memo = 'x' WHERE entry_id = 83 AND line = 1");
    bo_assert_err(bo_audit_verify_full(b, NULL, &bad), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "postings: entry 83 line 1: memo "
                                                     "differs from audit record "));
    raw("UPDATE postings SET memo = NULL WHERE entry_id = 83 AND line = 1");
    bo_book_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("migration");
    TCase *tc = tcase_create("migration");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_migrated_without_loss);
    tcase_add_test(tc, test_new_parts_usable);
    suite_add_tcase(s, tc);
    TCase *tc6 = tcase_create("migration from 0.2");
    tcase_add_checked_fixture(tc6, setup6, teardown);
    tcase_add_test(tc6, trust_upgrade_covers_every_table);
    suite_add_tcase(s, tc6);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
