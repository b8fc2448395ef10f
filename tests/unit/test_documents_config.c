/* The "documents" section of a book's YAML configuration: the store (root
 * relative to the YAML file), new and adjusted types with fields, retention
 * and holds; bad sections refused with FILE:LINE:COLUMN and no book made.
 * Runs on every backend. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char HEAD[] =
    "book: {name: Paper shop, base_currency: USD}\n"
    "accounts:\n"
    "  - {code: \"1000\", name: Cash, type: asset}\n";

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    ck_assert_ptr_nonnull(s);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    return s;
}

static bo_book *from_yaml(const char *body, int *rc)
{
    char *yaml = concat(HEAD, body), *uri = bo_test_path("doccfg");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    *rc = bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o);
    free(yaml);
    free(uri);
    return b;
}

static void expect_error(const char *body, int code, const char *where, const char *what)
{
    int rc;
    bo_book *b = from_yaml(body, &rc);
    ck_assert_msg(b == NULL, "accepted: %s", body);
    ck_assert_msg(rc == code, "rc %d (%s)", rc, bo_error_message());
    ck_assert_msg(strstr(bo_error_message(), where) != NULL, "%s: lacks %s",
                  bo_error_message(), where);
    ck_assert_msg(strstr(bo_error_message(), what) != NULL, "%s: lacks %s",
                  bo_error_message(), what);
}

/* The types listing as "name:years:hold:fields;..." */
static void types_are(bo_book *b, const char *name, const char *want)
{
    bo_cursor *c;
    char got[256] = "";
    bo_assert_ok(bo_document_types(b, &c));
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 0), name))
            snprintf(got, sizeof got, "%s:%lld:%lld:%s", name, (long long)bo_cursor_int(c, 1),
                     (long long)bo_cursor_int(c, 2),
                     bo_cursor_text(c, 3) ? bo_cursor_text(c, 3) : "");
    bo_cursor_free(c);
    ck_assert_str_eq(got, want);
}

START_TEST(test_types_fields_retention_holds)
{
    int rc;
    bo_book *b = from_yaml(
        "documents:\n"
        "  store: {kind: database}\n"
        "  types:\n"
        "    - name: supplier_contract\n"
        "      retention_years: 10\n"
        "      fields:\n"
        "        - {name: amount, kind: money}\n"
        "        - {name: signed, kind: date}\n"
        "    - {name: invoice, retention_years: 7}\n"
        "    - {name: memo, hold: true}\n"
        "  holds: [receipt]\n", &rc);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    types_are(b, "supplier_contract", "supplier_contract:10:0:amount:money,signed:date");
    types_are(b, "invoice", "invoice:7:0:");
    types_are(b, "memo", "memo:0:1:");
    types_are(b, "receipt", "receipt:10:1:");
    /* The fields are enforced. */
    bo_document *d;
    bo_assert_ok(bo_document_new(&d, "supplier_contract", "Lease", 0));
    bo_assert_ok(bo_document_set_meta(d, "amount", "12.50"));
    bo_assert_err(bo_document_create(b, d, NULL), BO_EINVAL);
    bo_document_free(d);
    bo_book_free(b);
}
END_TEST

/* documents.max_version_size: bytes or with a unit; the writer keeps to it. */
START_TEST(trust_doc_version_limit_yaml)
{
    int rc;
    bo_book *b = from_yaml("documents:\n  max_version_size: 64 KiB\n", &rc);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    int64_t lim = 0;
    bo_assert_ok(bo_document_version_limit(b, &lim));
    ck_assert_int_eq(lim, 65536);
    bo_document *d;
    int64_t id, v;
    bo_assert_ok(bo_document_new(&d, "other", "Big", 0));
    bo_assert_ok(bo_document_create(b, d, &id));
    bo_document_free(d);
    static char data[65537];
    bo_assert_err(bo_document_add_bytes(b, id, data, sizeof data, NULL, &v), BO_ELIMIT);
    bo_assert_ok(bo_document_add_bytes(b, id, data, sizeof data - 1, NULL, &v));
    bo_book_free(b);
    b = from_yaml("documents:\n  max_version_size: 1000000\n", &rc);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_assert_ok(bo_document_version_limit(b, &lim));
    ck_assert_int_eq(lim, 1000000);
    bo_book_free(b);
    b = from_yaml("documents:\n  max_version_size: 2GiB\n", &rc);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_assert_ok(bo_document_version_limit(b, &lim));
    ck_assert_int_eq(lim, (int64_t)2 << 30);
    bo_book_free(b);
    /* refused at the value's position, no book made */
    expect_error("documents:\n  max_version_size: 0 KiB\n", BO_ECONFIG, "<string>:5:21",
                 "documents.max_version_size: expected a positive size");
    expect_error("documents:\n  max_version_size: ten MiB\n", BO_ECONFIG, "<string>:5:21",
                 "documents.max_version_size");
    expect_error("documents:\n  max_version_size: 64 MB\n", BO_ECONFIG, "<string>:5:21",
                 "KiB, MiB");
    expect_error("documents:\n  max_version_size: 99999999999 TiB\n", BO_ECONFIG,
                 "<string>:5:21", "documents.max_version_size");
    expect_error("documents:\n  max_version_size: 99999999999999999999999\n", BO_ECONFIG,
                 "<string>:5:21", "documents.max_version_size");
    expect_error("documents:\n  max_version_size: [1]\n", BO_ECONFIG, "<string>:5:21",
                 "documents.max_version_size");
}
END_TEST

/* types[].open_fields: the type accepts undeclared metadata fields. */
START_TEST(trust_metadata_undeclared_yaml)
{
    int rc;
    bo_book *b = from_yaml("documents:\n  types:\n    - {name: memo, open_fields: true}\n"
                           "    - {name: invoice, open_fields: false}\n", &rc);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    types_are(b, "memo", "memo:0:0:");
    bo_document *d;
    bo_assert_ok(bo_document_new(&d, "memo", "Note", 0));
    bo_assert_ok(bo_document_set_meta(d, "anything", "goes"));
    bo_assert_ok(bo_document_create(b, d, NULL));
    bo_document_free(d);
    bo_assert_ok(bo_document_new(&d, "invoice", "Bill", 0));
    bo_assert_ok(bo_document_set_meta(d, "anything", "goes"));
    bo_assert_err(bo_document_create(b, d, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "anything: not a field of type"));
    bo_document_free(d);
    bo_book_free(b);
    expect_error("documents:\n  types:\n    - {name: memo, open_fields: maybe}\n",
                 BO_ECONFIG, "<string>:6:33", "open_fields: expected true or false");
}
END_TEST

START_TEST(test_store_root_relative_to_file)
{
    char *base = bo_test_file("doccfg-dir");
    char dir[1024], yaml[1100], store[1100];
    snprintf(dir, sizeof dir, "%s.d", base);
    free(base);
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    snprintf(store, sizeof store, "%s/docstore", dir);
    ck_assert_int_eq(mkdir(store, 0700), 0);
    snprintf(yaml, sizeof yaml, "%s/book.yaml", dir);
    FILE *f = fopen(yaml, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%sdocuments:\n  store: {kind: files, root: docstore}\n", HEAD);
    fclose(f);
    char *uri = bo_test_path("doccfg-file");
    bo_book_options o;
    bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION);
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_create_from_yaml(&b, yaml, uri, &o);
    ck_assert_msg(rc == 0, "%s", bo_error_message());
    bo_document *d;
    int64_t id;
    bo_assert_ok(bo_document_new(&d, "other", "Note", 0));
    bo_assert_ok(bo_document_create(b, d, &id));
    bo_document_free(d);
    bo_assert_ok(bo_document_add_bytes(b, id, "hello", 5, NULL, NULL));
    bo_cursor *c;
    bo_assert_ok(bo_document_versions(b, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, bo_cursor_column_index(c, "store")), "files");
    bo_cursor_free(c);
    bo_book_free(b);
    free(uri);
    /* A root that is not there is refused at its position. */
    f = fopen(yaml, "wb");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%sdocuments:\n  store: {kind: files, root: missing}\n", HEAD);
    fclose(f);
    uri = bo_test_path("doccfg-file2");
    rc = bo_book_create_from_yaml(&b, yaml, uri, &o);
    ck_assert_int_eq(rc, BO_ECONFIG);
    ck_assert_msg(strstr(bo_error_message(), "book.yaml:5:") != NULL, "%s", bo_error_message());
    free(uri);
    remove(yaml);
}
END_TEST

START_TEST(test_bad_sections)
{
    /* HEAD has 3 lines; "documents:" is line 4. */
    expect_error("documents: [1]\n", BO_ECONFIG, "<string>:4:12", "documents");
    expect_error("documents:\n  kind: x\n", BO_ECONFIG, "<string>:5:3", "unknown key 'kind'");
    expect_error("documents:\n  store: {root: /tmp}\n", BO_ECONFIG, "<string>:5:10", "'kind'");
    expect_error("documents:\n  store: {kind: cloud}\n", BO_ECONFIG, "<string>:5:17",
                 "expected database or files");
    expect_error("documents:\n  store: {kind: files}\n", BO_ECONFIG, "<string>:5:10", "'root'");
    expect_error("documents:\n  store: {kind: database, root: x}\n", BO_ECONFIG,
                 "<string>:5:33", "only for kind files");
    expect_error("documents:\n  types: {name: x}\n", BO_ECONFIG, "<string>:5:10", "types");
    expect_error("documents:\n  types:\n    - {retention_years: 3}\n", BO_ECONFIG,
                 "<string>:6:7", "'name'");
    expect_error("documents:\n  types:\n    - {name: memo, retention_years: 500}\n",
                 BO_ECONFIG, "<string>:6:37", "retention_years");
    expect_error("documents:\n  types:\n    - {name: memo, hold: maybe}\n", BO_ECONFIG,
                 "<string>:6:26", "expected true or false");
    expect_error("documents:\n  types:\n    - {name: "
                 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}\n",
                 BO_ECONFIG, "<string>:6:14", "longer than 64");
    expect_error("documents:\n  types:\n    - name: memo\n      fields:\n"
                 "        - {name: amount, kind: float}\n", BO_ECONFIG, "<string>:8:11", "kind");
    expect_error("documents:\n  types:\n    - name: memo\n      fields:\n"
                 "        - {name: amount}\n", BO_ECONFIG, "<string>:8:11", "'kind'");
    expect_error("documents:\n  types:\n    - name: memo\n      fields:\n"
                 "        - {name: a, kind: text}\n        - {name: a, kind: int}\n",
                 BO_ECONFIG, "<string>:9:11", "");
    expect_error("documents:\n  holds: [nope]\n", BO_ECONFIG, "<string>:5:11", "nope");
    expect_error("documents:\n  holds: [[x]]\n", BO_ECONFIG, "<string>:5:11", "holds");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("documents_config");
    TCase *tc = tcase_create("documents_config");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_types_fields_retention_holds);
    tcase_add_test(tc, test_store_root_relative_to_file);
    tcase_add_test(tc, test_bad_sections);
    tcase_add_test(tc, trust_doc_version_limit_yaml);
    tcase_add_test(tc, trust_metadata_undeclared_yaml);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
