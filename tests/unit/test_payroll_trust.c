/* Payroll against a careless or hostile user (issue 12, item 13): the tax,
 * social security and bank identifiers of employees are encrypted at rest
 * with the host's key, like confidential documents. Runs on every backend;
 * the cases that read the store's raw bytes are tagged "reopen". */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *path;
static bo_book *book;
static const unsigned char key1[32] = "a host key of 32 bytes, for test";
static const unsigned char key2[32] = "another host key, 32 bytes long!";

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static bo_book *open_as(const char *actor, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static void setup(void)
{
    path = bo_test_path("paytrust");
    book = open_as("owner", 1);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static int64_t audit_seq(void)
{
    int64_t seq;
    char h[65];
    bo_assert_ok(bo_audit_head(book, &seq, h, sizeof h));
    return seq;
}

/* Field col of employee number as read through the API (NULL for NULL;
 * the caller frees), or NULL with *rc set when the read fails. */
static char *field_of(const char *number, const char *col, int *rc)
{
    bo_cursor *c = NULL;
    char *v = NULL;
    *rc = bo_payroll_employee_get(book, number, &c);
    if (*rc)
        return NULL;
    *rc = bo_cursor_next(c);
    if (*rc == 0) {
        const char *t = bo_cursor_text(c, bo_cursor_column_index(c, col));
        v = t ? strdup(t) : NULL;
    }
    bo_cursor_free(c);
    return v;
}

static void field_is(const char *number, const char *col, const char *want)
{
    int rc;
    char *v = field_of(number, col, &rc);
    bo_assert_ok(rc);
    if (want)
        ck_assert_msg(v && !strcmp(v, want), "%s %s: %s", number, col, v ? v : "NULL");
    else
        ck_assert_ptr_null(v);
    free(v);
}

static const char *const secrets[][2] = {
    { "tax_id", "TAX-QUOKKA-31337" },
    { "social_id", "SSN-WOMBAT-0777" },
    { "bank_account", "IBAN-NUMBAT-0042" },
};

static void hire_with_ids(void)
{
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    bo_assert_ok(bo_payroll_employee_add(book, "E-1", "Ann Lee", D("2025-01-01")));
    bo_assert_ok(bo_payroll_employee_add(book, "E-2", "Bob Hill", D("2025-01-01")));
    for (int i = 0; i < 3; i++)
        bo_assert_ok(bo_payroll_employee_set(book, "E-1", secrets[i][0], secrets[i][1]));
    bo_assert_ok(bo_payroll_employee_set(book, "E-1", "department", "Stores"));
}

/* Through the API: read back with the key; without it (or with another)
 * refused with BO_EKEY naming the field, and nothing changed by a refused
 * write. */
START_TEST(trust_employee_ids_encrypted)
{
    hire_with_ids();
    for (int i = 0; i < 3; i++)
        field_is("E-1", secrets[i][0], secrets[i][1]);
    field_is("E-1", "department", "Stores");
    field_is("E-2", "tax_id", NULL);

    bo_assert_ok(bo_document_set_encryption_key(book, NULL, 0));
    int64_t before = audit_seq();
    for (int i = 0; i < 3; i++) {
        bo_assert_err(bo_payroll_employee_set(book, "E-2", secrets[i][0], "NEW-VALUE"), BO_EKEY);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), secrets[i][0]));
        ck_assert_ptr_null(strstr(bo_error_message(), "NEW-VALUE"));
    }
    ck_assert_int_eq(audit_seq(), before);
    int rc;
    char *v = field_of("E-1", "tax_id", &rc);
    bo_assert_err(rc, BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "tax_id"));
    ck_assert_ptr_null(strstr(bo_error_message(), "QUOKKA"));
    ck_assert_ptr_null(v);
    /* An employee without identifiers reads without the key; clearing one
     * needs no key either. */
    field_is("E-2", "name", "Bob Hill");
    bo_assert_ok(bo_payroll_employee_set(book, "E-1", "social_id", NULL));
    /* Another key opens nothing. */
    bo_assert_ok(bo_document_set_encryption_key(book, key2, sizeof key2));
    v = field_of("E-1", "bank_account", &rc);
    bo_assert_err(rc, BO_EKEY);
    ck_assert_ptr_null(v);
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    field_is("E-1", "social_id", NULL);
    field_is("E-1", "tax_id", secrets[0][1]);
    field_is("E-1", "bank_account", secrets[2][1]);
    /* Search is by number and name, as before. */
    bo_cursor *c;
    bo_assert_ok(bo_payroll_employee_search(book, "Ann", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    bo_cursor_free(c);
    bo_assert_ok(bo_payroll_employee_search(book, "QUOKKA", &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
}
END_TEST

/* In the store: no byte of the identifiers; each value sealed ("bo1:");
 * a sealed value moved to another employee does not open; a value written
 * in clear by 0.2 still reads. */
START_TEST(trust_employee_ids_encrypted_at_rest)
{
    hire_with_ids();
    bo_book_free(book);
    book = NULL;
    static const char *const words[] = { "QUOKKA", "WOMBAT", "NUMBAT" };
    for (int i = 0; i < 3; i++)
        ck_assert_msg(!bo_test_store_has(path, words[i]), "%s is in the book", words[i]);
    ck_assert(bo_test_store_has(path, "Stores")); /* the check sees plain fields */
    ck_assert_int_eq(bo_test_raw_int(path, "SELECT COUNT(*) FROM pay_employees WHERE"
                                     " tax_id LIKE 'bo1:%' AND social_id LIKE 'bo1:%'"
                                     " AND bank_account LIKE 'bo1:%'"), 1);
    bo_test_raw_sql(path, "UPDATE pay_employees SET tax_id = (SELECT tax_id FROM"
                          " pay_employees WHERE number = 'E-1'), contact = 'legacy' WHERE"
                          " number = 'E-2'");
    bo_test_raw_sql(path, "UPDATE pay_employees SET bank_account = 'CLEAR-0.2-VALUE'"
                          " WHERE number = 'E-2'");
    book = open_as("owner", 0);
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    int rc;
    char *v = field_of("E-2", "tax_id", &rc);
    bo_assert_err(rc, BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "tax_id"));
    ck_assert_ptr_null(v);
    bo_assert_ok(bo_payroll_employee_set(book, "E-2", "tax_id", NULL));
    field_is("E-2", "bank_account", "CLEAR-0.2-VALUE");
    field_is("E-1", "tax_id", secrets[0][1]);
}
END_TEST

/* A configuration cannot carry identifiers: it has no key. */
START_TEST(trust_employee_ids_not_in_yaml)
{
    static const char yaml[] =
        "book: {name: Shop, base_currency: USD}\n"
        "accounts:\n"
        "  - {code: \"1000\", name: Cash, type: asset}\n"
        "payroll:\n"
        "  employees:\n"
        "    - {number: E-1, name: Ann Lee, start: 2025-01-01, tax_id: TAX-1}\n";
    char *uri = bo_test_path("paytrust-yaml");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    int rc = bo_book_create_from_yaml_string(&b, yaml, sizeof yaml - 1, uri, &o);
    ck_assert_int_eq(rc, BO_EKEY);
    ck_assert_ptr_null(b);
    ck_assert_msg(strstr(bo_error_message(), "<string>:6:") &&
                  strstr(bo_error_message(), "tax_id"), "%s", bo_error_message());
    free(uri);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("payroll_trust");
    TCase *t = tcase_create("payroll_trust");
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_employee_ids_encrypted);
    tcase_add_test(t, trust_employee_ids_not_in_yaml);
    suite_add_tcase(s, t);
    t = tcase_create("payroll_trust_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 60);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_employee_ids_encrypted_at_rest);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
