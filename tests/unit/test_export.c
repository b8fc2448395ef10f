/* The lossless export and import of a whole book (docs/export-format.md):
 * the round trip on every backend, SQLite to the backend under test and
 * back, and bad files refused with the part and line named, nothing
 * imported. */
#include "testutil.h"
#include "util/util.h"

#include <jansson.h>
#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bo_book_options opts(void)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    return o;
}

/* A small book of several currencies, a reversal, a closed period, a role. */
static void fill(bo_book *b)
{
    bo_assert_ok(bo_book_set_name(b, "Export \"and\" import"));
    bo_test_chart(b);
    bo_assert_ok(bo_ledger_account_add(b, "1010", "Cash EUR", BO_ACCOUNT_ASSET, NULL, "EUR"));
    bo_assert_ok(bo_ledger_account_add(b, "1020", "Cash JPY", BO_ACCOUNT_ASSET, NULL, "JPY"));
    bo_assert_ok(bo_ledger_period_add(b, "2026-01", 20454, 20484));
    for (int i = 0; i < 300; i++)
        bo_test_post2(b, i < 100 ? "2026-01-10" : "2026-02-10", "1000", "4010", 100 + i);
    bo_date d;
    bo_assert_ok(bo_date_parse("2026-02-11", &d));
    bo_entry *e = NULL;
    bo_assert_ok(bo_entry_new(&e, d, "foreign cash"));
    bo_assert_ok(bo_entry_add_base(e, "1010", 1234, "EUR", 1300, NULL));
    bo_assert_ok(bo_entry_add_base(e, "1020", 567, "JPY", 385, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", -1685, NULL, NULL));
    bo_assert_ok(bo_ledger_post(b, e, NULL));
    bo_entry_free(e);
    bo_assert_ok(bo_ledger_period_close(b, "2026-01"));
    bo_assert_ok(bo_ledger_reverse(b, 150, 20500, "rev-150", NULL));
    bo_assert_ok(bo_role_define(b, "clerk", "ledger.read ledger.post"));
    bo_assert_ok(bo_role_grant(b, "bob", "clerk"));
}

static int progress_calls;
static void on_progress(const char *stage, int64_t done, int64_t total, void *user)
{
    ck_assert_ptr_eq(user, &progress_calls);
    ck_assert_ptr_nonnull(stage);
    ck_assert_int_le(done, total);
    progress_calls++;
}

START_TEST(export_import_export_is_byte_identical)
{
    bo_book *b = bo_test_book("export-src");
    fill(b);
    /* the same book twice: the same bytes */
    char *a = bo_test_file("export-a"), *a2 = bo_test_file("export-a2");
    bo_transfer_options t;
    bo_assert_ok(bo_transfer_options_init(&t, BO_TRANSFER_OPTIONS_VERSION));
    t.progress = on_progress;
    t.user = &progress_calls;
    progress_calls = 0;
    bo_assert_ok(bo_book_export(b, a, &t));
    ck_assert_int_gt(progress_calls, 20);
    bo_assert_ok(bo_book_export(b, a2, NULL));
    size_t la, la2;
    char *ba = bo_test_slurp(a, &la), *ba2 = bo_test_slurp(a2, &la2);
    ck_assert_int_eq(la, la2);
    ck_assert_int_eq(memcmp(ba, ba2, la), 0);
    free(ba);
    free(ba2);
    ck_assert_int_gt(bo_test_round_trip(b), 1000);
    bo_test_book_free(b);
    free(a);
    free(a2);
}
END_TEST

/* The amounts and rates of the records, read from the archive. */
static char *entry_text(const char *path, const char *name)
{
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    ck_assert_ptr_nonnull(z);
    zip_stat_t st;
    ck_assert_int_eq(zip_stat(z, name, 0, &st), 0);
    char *buf = malloc(st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    ck_assert_int_eq(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
    buf[st.size] = '\0';
    zip_fclose(f);
    zip_discard(z);
    return buf;
}

START_TEST(amounts_are_decimals_of_their_currency)
{
    bo_book *b = bo_test_book("export-amounts");
    fill(b);
    char *a = bo_test_file("export-amounts");
    bo_assert_ok(bo_book_export(b, a, NULL));
    char *p = entry_text(a, "ledger/postings.jsonl");
    ck_assert_ptr_nonnull(strstr(p, "{\"account_id\":1,\"amount\":\"1.00\",\"base_amount\":\"1.00\","
                                    "\"currency\":\"USD\""));
    ck_assert_ptr_nonnull(strstr(p, "\"amount\":\"12.34\",\"base_amount\":"));
    ck_assert_ptr_nonnull(strstr(p, "\"amount\":\"567\",\"base_amount\":"));
    free(p);
    char *m = entry_text(a, "manifest.json");
    json_error_t je;
    json_t *j = json_loads(m, 0, &je);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "format_version")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(j, "base_currency")), "USD");
    ck_assert_int_eq(strlen(json_string_value(json_object_get(j, "book_id"))), 64);
    int64_t seq;
    char head[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, head, sizeof head));
    json_t *h = json_object_get(j, "audit_head");
    ck_assert_int_eq(json_integer_value(json_object_get(h, "seq")), seq);
    ck_assert_str_eq(json_string_value(json_object_get(h, "hash")), head);
    json_decref(j);
    free(m);
    bo_test_book_free(b);
    free(a);
}
END_TEST

/* An export made from a SQLite book, imported into the backend under test,
 * exported again and imported back into SQLite: the same bytes each time. */
START_TEST(sqlite_book_into_this_store_and_back)
{
    char *src = bo_test_file("export-sqlite");
    bo_book_options o = opts();
    o.create = 1;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, src, &o));
    fill(b);
    char *a = bo_test_file("export-x"), *c = bo_test_file("export-y"),
         *d = bo_test_file("export-z");
    bo_assert_ok(bo_book_export(b, a, NULL));
    bo_book_free(b);
    o = opts();
    char *mid = bo_test_path("export-mid"), *back = bo_test_file("export-back");
    bo_assert_ok(bo_book_import(mid, a, &o, NULL));
    bo_book *m = NULL;
    bo_assert_ok(bo_book_open(&m, mid, &o));
    bo_assert_ok(bo_book_export(m, c, NULL));
    bo_assert_ok(bo_audit_verify_full(m, NULL, NULL));
    bo_test_book_free(m);
    bo_assert_ok(bo_book_import(back, c, &o, NULL));
    bo_assert_ok(bo_book_open(&m, back, &o));
    bo_assert_ok(bo_book_export(m, d, NULL));
    bo_book_free(m);
    size_t l1, l2, l3;
    char *x = bo_test_slurp(a, &l1), *y = bo_test_slurp(c, &l2), *z = bo_test_slurp(d, &l3);
    ck_assert_msg(l1 == l2 && memcmp(x, y, l1) == 0, "SQLite -> %s differs", bo_test_backend());
    ck_assert_msg(l1 == l3 && memcmp(x, z, l1) == 0, "and back differs");
    free(x); free(y); free(z);
    free(src); free(a); free(c); free(d); free(mid); free(back);
}
END_TEST

/* ---- bad files --------------------------------------------------------- */

static char *good_export(void)
{
    char *src = bo_test_file("export-good-src");
    bo_book_options o = opts();
    o.create = 1;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, src, &o));
    fill(b);
    char *a = bo_test_file("export-good");
    bo_assert_ok(bo_book_export(b, a, NULL));
    bo_book_free(b);
    free(src);
    return a;
}

static void copy_file(const char *from, const char *to, size_t keep)
{
    size_t n;
    char *buf = bo_test_slurp(from, &n);
    FILE *f = fopen(to, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(buf, 1, keep && keep < n ? keep : n, f),
                     keep && keep < n ? keep : n);
    fclose(f);
    free(buf);
}

static void put_entry(zip_t *z, const char *name, const char *text)
{
    /* libzip does not free an empty buffer it was given */
    char *copy = *text ? strdup(text) : NULL;
    zip_source_t *s = copy ? zip_source_buffer(z, copy, strlen(copy), 1)
                           : zip_source_buffer(z, "", 0, 0);
    ck_assert_ptr_nonnull(s);
    zip_int64_t i = zip_name_locate(z, name, 0);
    if (i >= 0)
        ck_assert_int_eq(zip_file_replace(z, (zip_uint64_t)i, s, 0), 0);
    else
        ck_assert_int_ge(zip_file_add(z, name, s, 0), 0);
}

static void sha_hex(const char *text, char out[65])
{
    unsigned char h[BO__SHA256_BYTES];
    bo__sha256(text, strlen(text), h);
    bo__hex(h, sizeof h, out);
}

/* Rewrite entry `name` of a copy of `from` with `edit` applied to its text;
 * `fix` also updates the manifest's hash of it (so the record check, not
 * the hash, must catch the change). */
static char *edited(const char *from, const char *name,
                    char *(*edit)(const char *text), int fix)
{
    char *to = bo_test_file("export-bad");
    copy_file(from, to, 0);
    char *text = entry_text(from, name), *man = entry_text(from, "manifest.json");
    char *changed = edit(text);
    int err;
    zip_t *z = zip_open(to, 0, &err);
    ck_assert_ptr_nonnull(z);
    put_entry(z, name, changed);
    if (fix) {
        json_error_t je;
        json_t *m = json_loads(man, 0, &je), *p;
        size_t i;
        char hex[65];
        sha_hex(changed, hex);
        json_array_foreach(json_object_get(m, "parts"), i, p)
            if (!strcmp(json_string_value(json_object_get(p, "name")), name))
                json_object_set_new(p, "sha256", json_string(hex));
        char *mt = json_dumps(m, JSON_INDENT(1) | JSON_SORT_KEYS);
        put_entry(z, "manifest.json", mt);
        free(mt);
        json_decref(m);
    }
    ck_assert_int_eq(zip_close(z), 0);
    free(text);
    free(man);
    free(changed);
    return to;
}

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "%s not found", from);
    char *out = malloc(strlen(text) + strlen(to) + 1);
    sprintf(out, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return out;
}

static char *finer_amount(const char *t) { return replace_once(t, "\"amount\":\"1.00\"", "\"amount\":\"1.005\""); }
static char *other_amount(const char *t) { return replace_once(t, "\"amount\":\"1.00\"", "\"amount\":\"9.00\""); }
static char *version_2(const char *t) { return replace_once(t, "\"format_version\": 1", "\"format_version\": 2"); }
static char *unknown_field(const char *t) { return replace_once(t, "{\"account_id\":1,", "{\"colour\":\"red\",\"account_id\":1,"); }
static char *unknown_kind(const char *t)
{
    return replace_once(t, "\"parts\": [", "\"parts\": [{\"bytes\": 0, \"domain\": \"ledger\","
                        " \"kind\": \"ghosts\", \"name\": \"ledger/ghosts.jsonl\", \"records\": 0,"
                        " \"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"},");
}

/* The import was refused with `code`, the message names `what`, and the
 * store holds no book. */
static void refused2(const char *file, int code, const char *what, const char *also)
{
    char *dst = bo_test_path("export-refused");
    bo_book_options o = opts();
    bo_assert_err(bo_book_import(dst, file, &o, NULL), code);
    ck_assert_msg(strstr(bo_error_message(), what) != NULL, "\"%s\" does not name %s",
                  bo_error_message(), what);
    ck_assert_msg(strstr(bo_error_message(), file) != NULL, "\"%s\" does not name the file",
                  bo_error_message());
    ck_assert_msg(!also || strstr(bo_error_message(), also) != NULL, "\"%s\" does not "
                  "say %s", bo_error_message(), also);
    bo_book *b = NULL;
    bo_assert_err(bo_book_open(&b, dst, &o), BO_ENOTFOUND);
    free(dst);
}

static void refused(const char *file, int code, const char *what)
{
    refused2(file, code, what, NULL);
}

START_TEST(truncated_zip_is_refused)
{
    char *good = good_export(), *bad = bo_test_file("export-truncated");
    size_t n;
    free(bo_test_slurp(good, &n));
    copy_file(good, bad, n / 2);
    refused(bad, BO_ECORRUPT, "not a readable export");
    free(good);
    free(bad);
}
END_TEST

START_TEST(manifest_hash_mismatch_is_refused)
{
    char *good = good_export(), *bad = edited(good, "ledger/postings.jsonl", other_amount, 0);
    refused(bad, BO_ECORRUPT, "ledger/postings.jsonl: SHA-256 differs from the manifest");
    free(good);
    free(bad);
}
END_TEST

START_TEST(unknown_format_version_is_refused)
{
    char *good = good_export(), *bad = edited(good, "manifest.json", version_2, 0);
    refused(bad, BO_ESCHEMA, "manifest.json: format_version");
    free(good);
    free(bad);
}
END_TEST

START_TEST(unknown_record_kind_is_refused)
{
    char *good = good_export(), *bad = edited(good, "manifest.json", unknown_kind, 0);
    /* the part exists in the archive too */
    int err;
    zip_t *z = zip_open(bad, 0, &err);
    put_entry(z, "ledger/ghosts.jsonl", "");
    ck_assert_int_eq(zip_close(z), 0);
    refused(bad, BO_EINVAL, "unknown record kind ledger/ghosts");
    free(bad);
    /* a part the manifest does not list */
    bad = bo_test_file("export-extra");
    copy_file(good, bad, 0);
    z = zip_open(bad, 0, &err);
    put_entry(z, "ledger/ghosts.jsonl", "{}\n");
    ck_assert_int_eq(zip_close(z), 0);
    refused(bad, BO_EINVAL, "ledger/ghosts.jsonl: unknown record kind");
    free(bad);
    /* a field no table has */
    bad = edited(good, "ledger/postings.jsonl", unknown_field, 1);
    refused(bad, BO_EINVAL, "ledger/postings.jsonl: line 1: colour: unknown field");
    free(good);
    free(bad);
}
END_TEST

START_TEST(amount_finer_than_its_currency_is_refused)
{
    char *good = good_export(), *bad = edited(good, "ledger/postings.jsonl", finer_amount, 1);
    refused2(bad, BO_EINVAL, "ledger/postings.jsonl: line 1: amount", "1.005");
    free(good);
    free(bad);
}
END_TEST

/* A record nested 100,000 levels deep is refused at its line, quickly. */
static char *deep(const char *t)
{
    size_t n = 100000, len = strlen(t);
    char *out = malloc(len + n + 2);
    memset(out, '[', n);
    out[n] = '\n';
    memcpy(out + n + 1, t, len + 1);
    return out;
}

START_TEST(deeply_nested_record_is_refused)
{
    char *good = good_export(), *bad = edited(good, "ledger/postings.jsonl", deep, 1);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    refused(bad, BO_EINVAL, "ledger/postings.jsonl: line 1: ");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 10);
    free(good);
    free(bad);
}
END_TEST

START_TEST(non_empty_store_is_refused)
{
    char *good = good_export();
    bo_book *b = bo_test_book("export-occupied");
    int64_t seq;
    char head[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq, head, sizeof head));
    bo_book_options o = opts();
    bo_assert_err(bo_book_import(bo_book_uri(b), good, &o, NULL), BO_EEXISTS);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "already holds a book"));
    int64_t seq2;
    char head2[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(b, &seq2, head2, sizeof head2));
    ck_assert_int_eq(seq, seq2);
    ck_assert_str_eq(head, head2);
    bo_test_book_free(b);
    free(good);
}
END_TEST

START_TEST(arguments_are_checked)
{
    bo_book *b = bo_test_book("export-args");
    bo_assert_err(bo_book_export(NULL, "x", NULL), BO_EINVAL);
    bo_assert_err(bo_book_export(b, NULL, NULL), BO_EINVAL);
    bo_transfer_options t = BO_TRANSFER_OPTIONS_INIT;
    t.version = 99;
    bo_assert_err(bo_book_export(b, "x", &t), BO_EINVAL);
    bo_assert_err(bo_transfer_options_init(&t, 2), BO_EINVAL);
    bo_assert_err(bo_book_import(NULL, "x", NULL, NULL), BO_EINVAL);
    char *missing = bo_test_file("export-missing");
    bo_assert_err(bo_book_import("sqlite::memory:", missing, NULL, NULL), BO_ENOTFOUND);
    /* a clerk may not export the whole book */
    bo_assert_ok(bo_role_define(b, "clerk", "ledger.read"));
    bo_assert_ok(bo_role_grant(b, "bob", "clerk"));
    bo_assert_ok(bo_book_set_actor(b, "bob"));
    bo_assert_err(bo_book_export(b, missing, NULL), BO_EDENIED);
    FILE *f = fopen(missing, "rb");
    ck_assert_ptr_null(f);
    bo_test_book_free(b);
    free(missing);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("export");
    TCase *t = tcase_create("export");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, amounts_are_decimals_of_their_currency);
    tcase_add_test(t, arguments_are_checked);
    suite_add_tcase(s, t);
    /* these reopen what they import */
    TCase *r = tcase_create("import");
    tcase_set_tags(r, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(r, 120);
    tcase_add_test(r, export_import_export_is_byte_identical);
    tcase_add_test(r, sqlite_book_into_this_store_and_back);
    tcase_add_test(r, truncated_zip_is_refused);
    tcase_add_test(r, manifest_hash_mismatch_is_refused);
    tcase_add_test(r, unknown_format_version_is_refused);
    tcase_add_test(r, unknown_record_kind_is_refused);
    tcase_add_test(r, amount_finer_than_its_currency_is_refused);
    tcase_add_test(r, non_empty_store_is_refused);
    tcase_add_test(r, deeply_nested_record_is_refused);
    suite_add_tcase(s, r);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
