/* The book's one XML reader (src/util/xml.c, libxml2): what a hostile file
 * could use is switched off. An internal DTD with entities (billion laughs),
 * an external entity naming a local file (XXE), an external DTD over the
 * network: refused at the DOCTYPE, nothing read, nothing fetched. Nesting
 * 100,000 deep: refused at the limit in milliseconds. Errors name the line
 * and column. */
#include "testutil.h"
#include "util/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct seen {
    int elements, depth_max, depth;
    char text[256];
} seen;

static int on_start(bo__xml *x, void *u, const char *name, const bo__xml_attr *a, int n)
{
    (void)x, (void)name, (void)a, (void)n;
    seen *s = u;
    s->elements++;
    if (++s->depth > s->depth_max)
        s->depth_max = s->depth;
    return 0;
}

static int on_end(bo__xml *x, void *u, const char *name)
{
    (void)x, (void)name;
    ((seen *)u)->depth--;
    return 0;
}

static int on_text(bo__xml *x, void *u, const char *s, size_t n)
{
    (void)x;
    seen *v = u;
    size_t have = strlen(v->text);
    if (have + n < sizeof v->text) {
        memcpy(v->text + have, s, n);
        v->text[have + n] = '\0';
    }
    return 0;
}

static const bo__xml_handlers H = { on_start, on_end, on_text };

static int parse(const char *xml, seen *s)
{
    memset(s, 0, sizeof *s);
    bo__error_clear();
    return bo__xml_parse(xml, strlen(xml), 32, &H, s);
}

START_TEST(xml_predefined_entities_only)
{
    seen s;
    bo_assert_ok(parse("<a>x &amp; &lt;y&gt; &#65;<![CDATA[<z>]]></a>", &s));
    ck_assert_str_eq(s.text, "x & <y> A<z>");
    ck_assert_int_eq(s.elements, 1);
    /* an undeclared entity is an error, not an empty string */
    bo_assert_err(parse("<a>&foo;</a>", &s), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 1, column"));
}
END_TEST

START_TEST(xml_billion_laughs_refused)
{
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        "]>\n<lolz>&lol4;</lolz>\n";
    seen s;
    bo_assert_err(parse(bomb, &s), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "DOCTYPE and declarations are not accepted"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 2"));
    ck_assert_int_eq(s.elements, 0);
    ck_assert_str_eq(s.text, "");
}
END_TEST

START_TEST(xml_external_entity_refused)
{
    /* XXE: a local file and a URL; neither is read or fetched. */
    static const char xxe[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE r [<!ENTITY f SYSTEM \"file:///etc/passwd\">]>\n<r>&f;</r>";
    static const char net[] =
        "<!DOCTYPE r SYSTEM \"http://203.0.113.1/evil.dtd\">\n<r/>";
    seen s;
    bo_assert_err(parse(xxe, &s), BO_EINVAL);
    ck_assert_ptr_null(strstr(s.text, "root"));
    ck_assert_int_eq(s.elements, 0);
    bo_assert_err(parse(net, &s), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 1, column 1: DOCTYPE"));
}
END_TEST

START_TEST(xml_depth_100000_refused)
{
    size_t n = 100000;
    char *xml = malloc(n * 8 + 16), *p = xml;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "<a>\n");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "</a>");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    seen s;
    bo_assert_err(parse(xml, &s), BO_ELIMIT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("100,000-deep XML refused in %.2f ms\n", ms);
    ck_assert_ptr_nonnull(strstr(bo_error_message(),
                                 "line 33, column 1: elements nested deeper than 32 levels"));
    ck_assert_int_eq(s.depth_max, 32);
    ck_assert_double_lt(ms, 2000);
    free(xml);
}
END_TEST

START_TEST(xml_malformed_named_by_line)
{
    seen s;
    bo_assert_err(parse("<a>\n<b></c>\n</a>", &s), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 2"));
    bo_assert_err(parse("", &s), BO_EINVAL);
    bo_assert_err(parse("<a>", &s), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 1"));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xml");
    TCase *tc = tcase_create("xml");
    tcase_add_test(tc, xml_predefined_entities_only);
    tcase_add_test(tc, xml_billion_laughs_refused);
    tcase_add_test(tc, xml_external_entity_refused);
    tcase_add_test(tc, xml_depth_100000_refused);
    tcase_add_test(tc, xml_malformed_named_by_line);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
