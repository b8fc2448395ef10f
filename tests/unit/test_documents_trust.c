/* The documents domain against a hostile or careless user (issue 12,
 * items 11 to 13): a confidential document's text never sits in clear in
 * the book, a version cannot exceed the book's limit and leaves nothing
 * behind, links name records that exist, metadata fields are the type's.
 * Every refusal: the code, a message naming the field, nothing changed. */
#define _GNU_SOURCE 1
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *path;
static bo_book *book;
static char root[4096];
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
    path = bo_test_path("doctrust");
    book = open_as("owner", 1);
    char *f = bo_test_file("doctrust-store");
    snprintf(root, sizeof root, "%s.d", f);
    free(f);
    ck_assert_int_eq(mkdir(root, 0700), 0);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static int64_t audit_seq(bo_book *b)
{
    int64_t seq;
    char h[65];
    bo_assert_ok(bo_audit_head(b, &seq, h, sizeof h));
    return seq;
}

static int64_t make_doc(bo_book *b, const char *type, const char *title, int cls,
                        const char *body)
{
    bo_doc *d;
    int64_t id = 0;
    bo_assert_ok(bo_doc_new(&d, type, title, D("2026-03-01")));
    bo_assert_ok(bo_doc_set_class(d, cls));
    if (body)
        bo_assert_ok(bo_doc_set_body(d, body));
    bo_assert_ok(bo_doc_create(b, d, &id));
    bo_doc_free(d);
    return id;
}

static int64_t count_words(bo_book *b, const char *words)
{
    bo_doc_query *q;
    int64_t n = -1;
    bo_assert_ok(bo_doc_query_new(&q));
    bo_assert_ok(bo_doc_query_text(q, words));
    bo_assert_ok(bo_doc_count(b, q, &n));
    bo_doc_query_free(q);
    return n;
}

/* The first id a search for words finds, 0 for none. */
static int64_t find_words(bo_book *b, const char *words)
{
    bo_doc_query *q;
    bo_cursor *c;
    int64_t id = 0;
    bo_assert_ok(bo_doc_query_new(&q));
    bo_assert_ok(bo_doc_query_text(q, words));
    bo_assert_ok(bo_doc_search(b, q, &c));
    if (bo_cursor_next(c) == 0)
        id = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    bo_doc_query_free(q);
    return id;
}

/* ---- item 11: the text of confidential documents -------------------------- */

/* Search finds a confidential document by its words for an actor who may
 * see it and holds the key, by no word without the key; text cannot be
 * given without the key (BO_EKEY naming the body, nothing recorded). */
START_TEST(trust_doc_confidential_search)
{
    bo_assert_ok(bo_doc_set_key(book, key1, sizeof key1));
    int64_t pub = make_doc(book, "contract", "Open letter", BO_DOC_INTERNAL,
                           "quetzalcoatl appears in public too");
    int64_t conf = make_doc(book, "contract", "Supply agreement", BO_DOC_CONFIDENTIAL,
                            "The Xylophonic clause of Quetzalcoatl Holdings");
    int64_t restr = make_doc(book, "contract", "Board minutes", BO_DOC_RESTRICTED,
                             "mergers and zanzibarian acquisitions");
    ck_assert_int_eq(count_words(book, "xylophonic"), 1);
    ck_assert_int_eq(find_words(book, "XYLOPHONIC clause"), conf);
    ck_assert_int_eq(count_words(book, "quetzalcoatl"), 2); /* both, by word and hash */
    ck_assert_int_eq(count_words(book, "supply agreement"), 1); /* the title too */
    ck_assert_int_eq(find_words(book, "zanzibarian"), restr);
    ck_assert_int_eq(count_words(book, "xylo"), 0); /* words, not prefixes */
    /* a tag keeps the extracted text's hashes and adds its own */
    bo_assert_ok(bo_doc_tag(book, conf, "negotiated"));
    ck_assert_int_eq(find_words(book, "negotiated xylophonic"), conf);

    /* Without the key: found by no word, and no new text can be given. */
    bo_assert_ok(bo_doc_set_key(book, NULL, 0));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);
    ck_assert_int_eq(find_words(book, "quetzalcoatl"), pub);
    int64_t before = audit_seq(book);
    bo_assert_err(bo_doc_body(book, conf, "replacement text"), BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "body"));
    bo_doc *d;
    bo_assert_ok(bo_doc_new(&d, "contract", "Another", D("2026-03-02")));
    bo_assert_ok(bo_doc_set_class(d, BO_DOC_CONFIDENTIAL));
    bo_assert_ok(bo_doc_set_body(d, "secret words"));
    int64_t id = -1;
    bo_assert_err(bo_doc_create(book, d, &id), BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "body"));
    ck_assert_int_eq(id, 0);
    bo_doc_free(d);
    ck_assert_int_eq(audit_seq(book), before); /* nothing changed */
    /* A record without text can be made without the key; tags keep the
     * index as it is. */
    int64_t bare = make_doc(book, "contract", "Untexted", BO_DOC_CONFIDENTIAL, NULL);
    bo_assert_ok(bo_doc_tag(book, conf, "later"));
    /* With the key again: found as before; another key finds nothing. */
    bo_assert_ok(bo_doc_set_key(book, key1, sizeof key1));
    ck_assert_int_eq(find_words(book, "xylophonic negotiated"), conf);
    ck_assert_int_eq(count_words(book, "untexted"), 0); /* indexed once text is set */
    bo_assert_ok(bo_doc_body(book, bare, "now with words"));
    ck_assert_int_eq(find_words(book, "untexted words"), bare);
    bo_assert_ok(bo_doc_set_key(book, key2, sizeof key2));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);

    /* An actor who may not see it never finds it, key or not. */
    bo_assert_ok(bo_role_define(book, "reader", "documents.read"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    bo_assert_ok(bo_book_set_actor(book, "rita"));
    bo_assert_ok(bo_doc_set_key(book, key1, sizeof key1));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);
    ck_assert_int_eq(find_words(book, "quetzalcoatl"), pub);
}
END_TEST

/* What `strings` on the book shows: no word of a confidential document's
 * text or content, in any table, index, FTS shadow table or free page;
 * the public document's words are there (the check can find words). */
START_TEST(trust_doc_confidential_text_hidden)
{
    bo_assert_ok(bo_doc_set_key(book, key1, sizeof key1));
    make_doc(book, "contract", "Open letter", BO_DOC_INTERNAL, "plainvisibleword here");
    int64_t conf = make_doc(book, "contract", "Supply agreement", BO_DOC_CONFIDENTIAL,
                            "The Xylophonic clause of Quetzalcoatl Holdings");
    static const char content[] = "content mentions zebraphantom terms";
    bo_assert_ok(bo_doc_add_bytes(book, conf, content, sizeof content - 1, "c.txt", NULL));
    bo_assert_ok(bo_doc_tag(book, conf, "negotiated"));
    bo_assert_ok(bo_doc_body(book, conf, "Revised Xylophonic clause, Kallisteia annex"));
    ck_assert_int_eq(find_words(book, "kallisteia"), conf);
    bo_book_free(book); /* the last connection: SQLite checkpoints the WAL */
    book = NULL;

    ck_assert(bo_test_store_has(path, "plainvisibleword"));
    static const char *const hidden[] = {
        "Xylophonic", "xylophonic", "XYLOPHONIC", "Quetzalcoatl", "quetzalcoatl",
        "Kallisteia", "kallisteia", "zebraphantom",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
        ck_assert_msg(!bo_test_store_has(path, hidden[i]), "'%s' is in the book",
                      hidden[i]);
    if (strcmp(bo_test_scheme(), "sqlite") == 0) {
        /* The terms of the full-text index, listed by SQLite itself. */
        sqlite3 *db;
        ck_assert_int_eq(sqlite3_open_v2(bo_test_target(path), &db,
                                         SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.v USING"
                                      " fts5vocab(main, doc_fts, row)", NULL, NULL,
                                      NULL), SQLITE_OK);
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT term FROM temp.v", -1, &st,
                                            NULL), SQLITE_OK);
        int terms = 0, hashes = 0, plain = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            terms++;
            hashes += t[0] == 'h' && strlen(t) == 33;
            plain += strcmp(t, "plainvisibleword") == 0;
            for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
                ck_assert_msg(strcasecmp(t, hidden[i]) != 0, "index term '%s'", t);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        ck_assert_int_eq(plain, 1);
        ck_assert_int_ge(hashes, 8); /* title, tag and text words */
        ck_assert_int_gt(terms, hashes);
    }
    /* Still found by an actor who may see it, with the key. */
    book = open_as("owner", 0);
    bo_assert_ok(bo_doc_set_key(book, key1, sizeof key1));
    ck_assert_int_eq(find_words(book, "xylophonic kallisteia negotiated"), conf);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("documents_trust");
    TCase *t = tcase_create("documents_trust");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_doc_confidential_search);
    suite_add_tcase(s, t);
    t = tcase_create("documents_trust_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_doc_confidential_text_hidden);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
