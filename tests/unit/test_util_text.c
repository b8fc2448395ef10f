/* The text setters the builders share (src/util): bo__strdup_into replaces
 * a slot by a copy or by NULL and leaves it as it was when memory runs out;
 * bo__text_set checks the text first and changes nothing on bad input. */
#include "testutil.h"
#include "util/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* An allocator that refuses from the fail-th allocation on (0: never). */
static int allocs, fail_at;

static void *t_malloc(void *ud, size_t size)
{
    (void)ud;
    if (fail_at && ++allocs >= fail_at)
        return NULL;
    return malloc(size);
}

static void *t_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (fail_at && ++allocs >= fail_at)
        return NULL;
    return realloc(ptr, size);
}

static void t_free(void *ud, void *ptr)
{
    (void)ud;
    free(ptr);
}

START_TEST(strdup_into_replaces_and_clears)
{
    char *slot = NULL;
    ck_assert_int_eq(bo__strdup_into(&slot, "first"), 0);
    ck_assert_str_eq(slot, "first");
    const char *before = slot;
    ck_assert_int_eq(bo__strdup_into(&slot, "second"), 0);
    ck_assert_str_eq(slot, "second");
    ck_assert_ptr_ne(slot, before);
    ck_assert_int_eq(bo__strdup_into(&slot, ""), 0);
    ck_assert_str_eq(slot, "");
    ck_assert_int_eq(bo__strdup_into(&slot, NULL), 0);
    ck_assert_ptr_null(slot);
}
END_TEST

START_TEST(strdup_into_out_of_memory_keeps_the_slot)
{
    bo_allocator a = { BO_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free, NULL };
    bo_assert_ok(bo_set_allocator(&a));
    char *slot = NULL;
    ck_assert_int_eq(bo__strdup_into(&slot, "kept"), 0);
    allocs = 0;
    fail_at = 1;
    ck_assert_int_eq(bo__strdup_into(&slot, "lost"), BO_ENOMEM);
    ck_assert_str_eq(slot, "kept");
    ck_assert_int_eq(bo__text_set(&slot, "memo", "lost", 10), BO_ENOMEM);
    ck_assert_str_eq(slot, "kept");
    /* a NULL needs no memory */
    ck_assert_int_eq(bo__strdup_into(&slot, NULL), 0);
    ck_assert_ptr_null(slot);
    fail_at = 0;
    bo_assert_ok(bo_set_allocator(NULL));
}
END_TEST

START_TEST(text_set_checks_first)
{
    char *slot = NULL;
    ck_assert_int_eq(bo__text_set(&slot, "memo", "hello", 5), 0);
    ck_assert_str_eq(slot, "hello");
    ck_assert_int_eq(bo__text_set(&slot, "memo", "hello!", 5), BO_ETOOLONG);
    ck_assert_str_eq(bo_error_message(), "memo: longer than 5 bytes");
    ck_assert_str_eq(slot, "hello");
    ck_assert_int_eq(bo__text_set(&slot, "reference", "", 5), BO_EINVAL);
    ck_assert_str_eq(bo_error_message(), "reference: empty");
    ck_assert_str_eq(slot, "hello");
    ck_assert_int_eq(bo__text_set(&slot, "key", "a\xff", 5), BO_EUTF8);
    ck_assert_str_eq(bo_error_message(), "key: not valid UTF-8");
    ck_assert_str_eq(slot, "hello");
    ck_assert_int_eq(bo__text_set(&slot, "memo", NULL, 5), 0);
    ck_assert_ptr_null(slot);
}
END_TEST

/* bo__sha_field/_int hash exactly what bo__buf_field/_int append, for
 * fields of every length around the gathering buffer's size, NULL, and
 * integers at both ends of the range. Fails when a field formed in the
 * buffer differs from the one put piece by piece. */
START_TEST(sha_fields_hash_the_buffered_form)
{
    static char text[1200];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('a' + i % 26);
    const int64_t ints[] = { 0, 7, -1, 10, -10, 1234567890123LL, INT64_MAX, INT64_MIN };
    for (size_t start = 0; start < 600; start += 37) {
        bo__buf b = BO__BUF_INIT;
        bo__sha h;
        bo__sha_init(&h);
        /* a prefix that leaves the buffer at every fill level */
        char pre[600];
        memcpy(pre, text, start);
        pre[start] = '\0';
        bo__buf_puts(&b, pre);
        bo__sha_put(&h, pre, start);
        for (size_t len = 0; len < sizeof text; len += len < 40 ? 1 : 97) {
            char save = text[len];
            text[len] = '\0';
            bo__buf_field(&b, text);
            bo__sha_field(&h, text, len);
            text[len] = save;
            bo__buf_field_int(&b, ints[len % 8]);
            bo__sha_field_int(&h, ints[len % 8]);
        }
        bo__buf_field(&b, NULL);
        bo__sha_field(&h, NULL, 0);
        char want[65], got[65];
        ck_assert_int_eq(bo__buf_hash(&b, want), 0);
        bo__sha_hex(&h, got);
        ck_assert_str_eq(got, want);
        bo__buf_free(&b);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("util_text");
    TCase *t = tcase_create("text");
    tcase_add_test(t, strdup_into_replaces_and_clears);
    tcase_add_test(t, strdup_into_out_of_memory_keeps_the_slot);
    tcase_add_test(t, text_set_checks_first);
    tcase_add_test(t, sha_fields_hash_the_buffered_form);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
