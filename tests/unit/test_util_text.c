/* The text setters the builders share (src/util): bo__strdup_into replaces
 * a slot by a copy or by NULL and leaves it as it was when memory runs out;
 * bo__text_set checks the text first and changes nothing on bad input. */
#include "testutil.h"
#include "util/util.h"

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

int main(void)
{
    Suite *s = suite_create("util_text");
    TCase *t = tcase_create("text");
    tcase_add_test(t, strdup_into_replaces_and_clears);
    tcase_add_test(t, strdup_into_out_of_memory_keeps_the_slot);
    tcase_add_test(t, text_set_checks_first);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
