/* People with storage: recruitment (stages, openings, applicants with
 * their consent, hiring that makes payroll's employee in the same
 * transaction), the applicant's rights (the JSON export, erasure on
 * request, the retention purge after which no byte of the applicant's name
 * or e-mail is left in the store and the files are gone), light reviews
 * (the weighted score, exact), the access matrix of these calls and bad
 * input that changes nothing. Runs on every backend; the byte-level check
 * of the store is tagged "reopen" (not on the memory backend). */
#include "test_people_fixture.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A book with the stages screen, interview, offer and the opening CASHIER
 * at store S1. */
static bo_book *recruit_book(const char *stem)
{
    bo_book *b = bo_test_book(stem);
    bo_assert_ok(bo_people_stage_set(b, "interview", "Interview", 20));
    bo_assert_ok(bo_people_stage_set(b, "screen", "Screening", 10));
    bo_assert_ok(bo_people_stage_set(b, "offer", "Offer", 30));
    bo_assert_ok(bo_people_opening_add(b, "CASHIER", "Cashier, Ubud store", "S1", "cashier",
                                       D("2026-02-01")));
    return b;
}

static int64_t apply(bo_book *b, const char *name, const char *email, const char *applied,
                     const char *key)
{
    bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    o.name = name;
    o.email = email;
    o.phone = "+62 361 555 0101";
    o.consent = "I agree that my data is kept for this application and 30 days after it";
    o.applied = D(applied);
    o.key = key;
    int64_t id = 0;
    bo_assert_ok(bo_people_applicant_add(b, "CASHIER", &o, &id));
    ck_assert_int_gt(id, 0);
    return id;
}

static int64_t apply_to(bo_book *b, const char *opening)
{
    bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    o.name = "Ayu";
    o.email = "ayu@example.org";
    o.consent = "yes";
    o.applied = D("2026-01-10");
    int64_t id = 0;
    bo_assert_ok(bo_people_applicant_add(b, opening, &o, &id));
    return id;
}

/* A document of type application_form holding text, linked to the
 * applicant. */
static int64_t attach(bo_book *b, int64_t applicant, const char *title, const char *text,
                      const char *filename)
{
    bo_document *d = NULL;
    int64_t id = 0, v = 0;
    char ref[24];
    bo_assert_ok(bo_document_new(&d, "application_form", title, D("2026-02-10")));
    bo_assert_ok(bo_document_create(b, d, &id));
    bo_document_free(d);
    bo_assert_ok(bo_document_add_bytes(b, id, text, strlen(text), filename, &v));
    snprintf(ref, sizeof ref, "%lld", (long long)applicant);
    bo_assert_ok(bo_document_link(b, id, "applicant", ref));
    return id;
}

static const char *column(bo_cursor *c, const char *name)
{
    for (int i = 0; i < bo_cursor_column_count(c); i++)
        if (strcmp(bo_cursor_column_name(c, i), name) == 0)
            return bo_cursor_text(c, i);
    ck_abort_msg("no column %s", name);
    return NULL;
}

/* ---- recruitment and hiring ------------------------------------------------------ */

START_TEST(test_recruitment_to_hire)
{
    bo_book *b = recruit_book("rec_hire");
    bo_cursor *c;
    bo_assert_ok(bo_people_stages(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "screen");
    bo_cursor_free(c);

    int64_t id = apply(b, "Made Ayu", "made.ayu@example.org", "2026-02-10", "web-17");
    /* the same form sent again is recorded once; another under its key is refused */
    ck_assert_int_eq(apply(b, "Made Ayu", "made.ayu@example.org", "2026-02-10", "web-17"), id);
    bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    o.name = "Someone Else";
    o.email = "else@example.org";
    o.consent = "yes";
    o.applied = D("2026-02-10");
    o.key = "web-17";
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_EKEYREUSE);

    bo_assert_ok(bo_people_applicants(b, "CASHIER", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "stage"), "screen");
    ck_assert_str_eq(column(c, "status"), "active");
    ck_assert_str_eq(column(c, "name"), "Made Ayu");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);

    bo_assert_ok(bo_people_applicant_move(b, id, "interview", D("2026-02-15")));
    bo_assert_ok(bo_people_applicant_move(b, id, "offer", D("2026-02-20")));
    bo_assert_err(bo_people_applicant_move(b, id, "nope", D("2026-02-21")), BO_ENOTFOUND);

    /* hiring with a number payroll already has fails as a whole: the
     * applicant stays active, no second employee appears */
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Budi", D("2020-01-01")));
    bo_assert_err(bo_people_applicant_hire(b, id, "E1", D("2026-03-01")), BO_EEXISTS);
    bo_assert_ok(bo_payroll_employees(b, &c));
    ck_assert_int_eq(count_rows(c), 1);
    bo_assert_ok(bo_people_applicants(b, NULL, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "status"), "active");
    bo_cursor_free(c);

    bo_assert_ok(bo_people_applicant_hire(b, id, "E2", D("2026-03-01")));
    bo_assert_ok(bo_payroll_employee_get(b, "E2", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "name"), "Made Ayu");
    ck_assert_str_eq(column(c, "contact"), "made.ayu@example.org");
    bo_cursor_free(c);
    bo_assert_ok(bo_people_applicants(b, NULL, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "status"), "hired");
    ck_assert_str_eq(column(c, "employee"), "E2");
    bo_cursor_free(c);
    bo_assert_err(bo_people_applicant_hire(b, id, "E3", D("2026-03-01")), BO_ESTATE);

    bo_assert_ok(bo_people_openings(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 6), 1);
    bo_cursor_free(c);
    bo_assert_ok(bo_people_opening_close(b, "CASHIER"));
    bo_assert_err(bo_people_opening_close(b, "CASHIER"), BO_ESTATE);
    o.key = NULL;
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "closed"), "%s", bo_error_message());
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

/* ---- the retention purge leaves no trace ------------------------------------------ */

static const char NAME[] = "Sekar Wulandari";
static const char EMAIL[] = "sekar.wulandari@example.org";

/* A new book at @p uri with a screening stage, an opening for a cashier
 * and a retention of 30 days: the purge tests' start. */
static bo_book *purge_book(const char *uri)
{
    bo_book_options bo;
    bo_book_options_init(&bo, BO_BOOK_OPTIONS_VERSION);
    bo.actor = "owner";
    bo.create = 1;
    bo.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, uri, &bo));
    bo_assert_ok(bo_people_stage_set(b, "screen", "Screening", 10));
    bo_assert_ok(bo_people_opening_add(b, "CASHIER", "Cashier", "S1", "cashier",
                                       D("2026-02-01")));
    bo_assert_ok(bo_people_applicant_retention_set(b, 30));
    return b;
}

START_TEST(test_purge_leaves_no_trace)
{
    char *uri = bo_test_path("rec_purge");
    bo_book *b = purge_book(uri);
    int64_t keep = apply(b, "Kadek Other", "kadek@example.org", "2026-02-10", NULL);
    int64_t id = apply(b, NAME, EMAIL, "2026-02-10", "form-sekar.wulandari@example.org");
    char cv[256];
    snprintf(cv, sizeof cv, "Curriculum vitae of %s, %s: five years at a bakery", NAME, EMAIL);
    int64_t doc = attach(b, id, "CV", cv, "Sekar_Wulandari_CV.txt");
    attach(b, id, "Application form", "Name: Sekar Wulandari / sekar.wulandari@example.org",
           "form-sekar-wulandari.txt");
    bo_assert_ok(bo_people_applicant_close(b, id, BO_PEOPLE_REJECTED, D("2026-02-20")));
    bo_assert_ok(bo_people_applicant_close(b, keep, BO_PEOPLE_WITHDRAWN, D("2026-03-20")));

    /* the name, the e-mail and the file name are in the store before */
    ck_assert_int_eq(bo_test_store_has(uri, NAME), 1);
    ck_assert_int_eq(bo_test_store_has(uri, EMAIL), 1);
    ck_assert_int_eq(bo_test_store_has(uri, "Sekar_Wulandari_CV"), 1);

    /* within the retention nothing goes */
    int64_t n = -1;
    bo_assert_ok(bo_people_applicant_purge(b, D("2026-03-22"), &n));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(bo_test_store_has(uri, NAME), 1);

    bo_assert_ok(bo_people_applicant_purge(b, D("2026-03-23"), &n));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(bo_test_store_has(uri, NAME), 0);
    ck_assert_int_eq(bo_test_store_has(uri, EMAIL), 0);
    ck_assert_int_eq(bo_test_store_has(uri, "Sekar_Wulandari_CV"), 0);
    ck_assert_int_eq(bo_test_store_has(uri, "five years at a bakery"), 0);
    /* the other applicant, still within its retention, is kept */
    ck_assert_int_eq(bo_test_store_has(uri, "Kadek Other"), 1);
    /* the attached contents are gone */
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_chunks"), 0);
    ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_contents"), 0);
    bo_document_reader *r = NULL;
    ck_assert_int_ne(bo_document_reader_open(b, doc, 0, &r), 0);
    ck_assert_ptr_null(r);
    /* the audit log says what was erased, not the data */
    bo_cursor *c;
    int erased = 0;
    bo_assert_ok(bo_audit_list(b, 1, &c));
    while (bo_cursor_next(c) == 0) {
        const char *action = bo_cursor_text(c, 3), *detail = bo_cursor_text(c, 5);
        if (strcmp(action, "people.applicant.erase") == 0) {
            char object[40];
            snprintf(object, sizeof object, "applicant:%lld", (long long)id);
            ck_assert_str_eq(bo_cursor_text(c, 4), object);
            ck_assert_msg(strstr(detail, "retention ended") &&
                          strstr(detail, "name, e-mail, phone, consent text and 2 document(s)"
                                         " erased"), "%s", detail);
            erased++;
        }
    }
    bo_cursor_free(c);
    ck_assert_int_eq(erased, 1);
    bo_assert_ok(bo_people_applicants(b, NULL, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "status"), "withdrawn");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "status"), "erased");
    ck_assert_str_eq(column(c, "name"), "erased");
    bo_cursor_free(c);
    /* the purge is done: a second one erases nothing more */
    bo_assert_ok(bo_people_applicant_purge(b, D("2026-03-23"), &n));
    ck_assert_int_eq(n, 0);
    verify_clean(b);
    bo_book_free(b);
    free(uri);
}
END_TEST


/* A document whose title and text carry a distinctive word: after the
 * purge no search finds it, and no byte of it is left in the full-text
 * index (SQLite: the FTS5 table and its shadow tables; PostgreSQL: the
 * tsvector of every row) nor anywhere else in the store. */
static int64_t attach_indexed(bo_book *b, int64_t applicant, const char *title,
                              const char *body)
{
    bo_document *d = NULL;
    int64_t id = 0;
    char ref[24];
    bo_assert_ok(bo_document_new(&d, "application_form", title, D("2026-02-10")));
    bo_assert_ok(bo_document_set_body(d, body));
    bo_assert_ok(bo_document_create(b, d, &id));
    bo_document_free(d);
    snprintf(ref, sizeof ref, "%lld", (long long)applicant);
    bo_assert_ok(bo_document_link(b, id, "applicant", ref));
    return id;
}

static int64_t found_by_word(bo_book *b, const char *word)
{
    bo_document_query *q = NULL;
    int64_t n = -1;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_text(q, word));
    bo_assert_ok(bo_document_count(b, q, &n));
    bo_document_query_free(q);
    return n;
}

START_TEST(test_purge_clears_the_text_index)
{
    char *uri = bo_test_path("rec_fts");
    bo_book *b = purge_book(uri);
    int64_t keep = apply(b, "Kadek Other", "kadek@example.org", "2026-02-10", NULL);
    int64_t id = apply(b, NAME, EMAIL, "2026-02-10", NULL);
    /* many words around it, so the index has several segments and terms */
    char body[4096];
    int o = snprintf(body, sizeof body, "Form of Zanzibarquux Wulandari:");
    for (int i = 0; i < 200 && o < (int)sizeof body - 16; i++)
        o += snprintf(body + o, sizeof body - (size_t)o, " w%dx", i);
    attach_indexed(b, id, "Zanzibarquux application", body);
    attach_indexed(b, keep, "Kadek's form", "Flamingoquux plays the gamelan");
    for (int i = 0; i < 5; i++) /* more segments after it */
        attach_indexed(b, keep, "Note", "Flamingoquux again and again");
    bo_assert_ok(bo_people_applicant_close(b, id, BO_PEOPLE_REJECTED, D("2026-02-20")));
    ck_assert_int_eq(found_by_word(b, "Zanzibarquux"), 1);
    ck_assert_int_eq(bo_test_store_has(uri, "nzibarquux"), 1);

    int64_t n = -1;
    bo_assert_ok(bo_people_applicant_purge(b, D("2026-03-23"), &n));
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(found_by_word(b, "Zanzibarquux"), 0);
    ck_assert_int_eq(found_by_word(b, "Flamingoquux"), 6); /* the index still works */
    /* raw SQL on the index */
    if (strcmp(bo_test_scheme(), "postgresql") == 0) {
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_text WHERE"
                                              " to_tsvector('simple', body) @@"
                                              " to_tsquery('simple', 'zanzibarquux')"), 0);
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_text WHERE"
                                              " to_tsvector('simple', body)::text"
                                              " LIKE '%nzibarquux%'"), 0);
    } else {
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_fts WHERE doc_fts"
                                              " MATCH 'zanzibarquux'"), 0);
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_fts_data WHERE"
                                              " instr(block, 'nzibarquux') > 0"), 0);
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_fts_idx WHERE"
                                              " instr(term, 'nzibarquux') > 0"), 0);
        ck_assert_int_eq(bo_test_raw_int(uri, "SELECT COUNT(*) FROM doc_text WHERE"
                                              " instr(body, 'nzibarquux') > 0"), 0);
    }
    /* and no byte of it anywhere in the store (SQLite: the file, its WAL
     * and free pages) */
    ck_assert_int_eq(bo_test_store_has(uri, "nzibarquux"), 0);
    ck_assert_int_eq(bo_test_store_has(uri, "Wulandari"), 0);
    ck_assert_int_eq(bo_test_store_has(uri, "lamingoquux"), 1);
    verify_clean(b);
    bo_book_free(b);
    free(uri);
}
END_TEST

/* Files of a file store go with the applicant erased on request. */
static int files_under(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4200];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0)
            n += S_ISDIR(st.st_mode) ? files_under(path) : 1;
    }
    closedir(d);
    return n;
}

START_TEST(test_export_and_erase_on_request)
{
    bo_book *b = recruit_book("rec_erase");
    char *root = bo_test_file("rec_erase_files");
    mkdir(root, 0700);
    bo_assert_ok(bo_document_set_store(b, "files", root));
    int64_t id = apply(b, NAME, EMAIL, "2026-02-10", NULL);
    attach(b, id, "CV", "Sekar's CV", "cv.txt");
    bo_assert_ok(bo_people_applicant_move(b, id, "interview", D("2026-02-12")));
    ck_assert_int_eq(files_under(root), 1);

    /* the export holds everything, the content in base64 */
    char *json = bo_test_file("rec_export.json");
    bo_assert_ok(bo_people_applicant_export(b, id, json));
    size_t len;
    char *text = bo_test_slurp(json, &len);
    ck_assert_ptr_nonnull(strstr(text, "\"name\": \"Sekar Wulandari\""));
    ck_assert_ptr_nonnull(strstr(text, "\"email\": \"sekar.wulandari@example.org\""));
    ck_assert_ptr_nonnull(strstr(text, "\"consent\": \"I agree"));
    ck_assert_ptr_nonnull(strstr(text, "\"stage\": \"interview\""));
    ck_assert_ptr_nonnull(strstr(text, "\"filename\": \"cv.txt\""));
    ck_assert_ptr_nonnull(strstr(text, "\"content\": \"U2VrYXIncyBDVg==\"")); /* Sekar's CV */
    free(text);

    bo_assert_ok(bo_people_applicant_erase(b, id));
    ck_assert_int_eq(files_under(root), 0);
    bo_assert_err(bo_people_applicant_erase(b, id), BO_ESTATE);
    bo_assert_err(bo_people_applicant_export(b, id, json), BO_ESTATE);
    bo_assert_err(bo_people_applicant_erase(b, 424242), BO_ENOTFOUND);
    bo_cursor *c;
    bo_assert_ok(bo_document_linked(b, "applicant", "1", &c));
    ck_assert_int_eq(count_rows(c), 0);
    verify_clean(b);
    bo_test_book_free(b);
    free(json);
    free(root);
}
END_TEST

/* ---- reviews -------------------------------------------------------------------- */

START_TEST(test_review_weighted_score)
{
    bo_book *b = bo_test_book("rev_score");
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    bo_assert_ok(bo_payroll_employee_add(b, "E2", "Budi", D("2020-01-01")));
    bo_assert_ok(bo_people_review_cycle_add(b, "H1", "First half 2026", D("2026-01-01"),
                                            D("2026-06-30")));
    bo_assert_ok(bo_people_review_criterion_add(b, "H1", "service", "Service", 1));
    bo_assert_ok(bo_people_review_criterion_add(b, "H1", "speed", "Speed", 1));
    bo_assert_ok(bo_people_review_criterion_add(b, "H1", "teamwork", "Teamwork", 1));
    int64_t r = 0, score = -1;
    bo_assert_ok(bo_people_review_open(b, "H1", "E1", &r));
    bo_assert_err(bo_people_review_open(b, "H1", "E1", NULL), BO_EEXISTS);
    bo_assert_err(bo_people_review_criterion_add(b, "H1", "late", "Late", 1), BO_ESTATE);
    bo_assert_ok(bo_people_review_score(b, r, "service", BO_PEOPLE_MANAGER, 400, "friendly"));
    bo_assert_ok(bo_people_review_score(b, r, "speed", BO_PEOPLE_MANAGER, 400, NULL));
    /* a criterion without a score: no result yet, naming it */
    bo_assert_err(bo_people_review_result(b, r, BO_PEOPLE_MANAGER, &score), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "teamwork"), "%s", bo_error_message());
    bo_assert_ok(bo_people_review_score(b, r, "teamwork", BO_PEOPLE_MANAGER, 500, NULL));
    /* (4 + 4 + 5) / 3 = 4.333...: 4.33 */
    bo_assert_ok(bo_people_review_result(b, r, BO_PEOPLE_MANAGER, &score));
    ck_assert_int_eq(score, 433);
    bo_assert_ok(bo_people_review_score(b, r, "service", BO_PEOPLE_SELF, 500, NULL));
    bo_assert_ok(bo_people_review_score(b, r, "speed", BO_PEOPLE_SELF, 500, NULL));
    bo_assert_ok(bo_people_review_score(b, r, "teamwork", BO_PEOPLE_SELF, 400, "busy month"));
    /* (5 + 5 + 4) / 3 = 4.666...: 4.67, rounded half up */
    bo_assert_ok(bo_people_review_result(b, r, BO_PEOPLE_SELF, &score));
    ck_assert_int_eq(score, 467);
    /* scoring again replaces the score */
    bo_assert_ok(bo_people_review_score(b, r, "teamwork", BO_PEOPLE_SELF, 450, NULL));
    bo_assert_ok(bo_people_review_result(b, r, BO_PEOPLE_SELF, &score));
    ck_assert_int_eq(score, 483); /* 14.5 / 3 = 4.8333 */

    /* weights 50/30/20 on a second cycle: 0.5*3.75 + 0.3*2.10 + 0.2*5.00 = 3.505 -> 3.51 */
    bo_assert_ok(bo_people_review_cycle_add(b, "H2", "Second half", D("2026-07-01"),
                                            D("2026-12-31")));
    bo_assert_ok(bo_people_review_criterion_add(b, "H2", "a", "A", 50));
    bo_assert_ok(bo_people_review_criterion_add(b, "H2", "b", "B", 30));
    bo_assert_ok(bo_people_review_criterion_add(b, "H2", "c", "C", 20));
    int64_t r2 = 0;
    bo_assert_ok(bo_people_review_open(b, "H2", "E2", &r2));
    bo_assert_ok(bo_people_review_score(b, r2, "a", BO_PEOPLE_MANAGER, 375, NULL));
    bo_assert_ok(bo_people_review_score(b, r2, "b", BO_PEOPLE_MANAGER, 210, NULL));
    bo_assert_ok(bo_people_review_score(b, r2, "c", BO_PEOPLE_MANAGER, 500, NULL));
    bo_assert_ok(bo_people_review_result(b, r2, BO_PEOPLE_MANAGER, &score));
    ck_assert_int_eq(score, 351);

    /* bad input changes nothing */
    bo_assert_err(bo_people_review_score(b, r2, "a", BO_PEOPLE_MANAGER, 501, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "score"), "%s", bo_error_message());
    bo_assert_err(bo_people_review_score(b, r2, "a", 3, 300, NULL), BO_EINVAL);
    bo_assert_err(bo_people_review_score(b, r2, "zz", BO_PEOPLE_MANAGER, 300, NULL),
                  BO_ENOTFOUND);
    bo_assert_err(bo_people_review_score(b, 99999, "a", BO_PEOPLE_MANAGER, 300, NULL),
                  BO_ENOTFOUND);
    bo_assert_err(bo_people_review_criterion_add(b, "H2", "d", "D", 0), BO_EINVAL);
    bo_assert_err(bo_people_review_cycle_add(b, "H3", "x", D("2026-07-01"), D("2026-06-01")),
                  BO_EINVAL);
    bo_assert_ok(bo_people_review_result(b, r2, BO_PEOPLE_MANAGER, &score));
    ck_assert_int_eq(score, 351);
    bo_cursor *c;
    bo_assert_ok(bo_people_review_scores(b, r, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "service");
    ck_assert_int_eq(bo_cursor_int(c, 3), 500);
    ck_assert_int_eq(bo_cursor_int(c, 4), 400);
    ck_assert_str_eq(bo_cursor_text(c, 6), "friendly");
    bo_cursor_free(c);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

/* ---- the YAML section ---------------------------------------------------------- */

START_TEST(test_recruit_yaml_section)
{
    const char *yaml =
        "book: {name: People shop, base_currency: USD}\n"
        "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
        "people:\n"
        "  stages: [{code: screen, name: Screening}, {code: interview, position: 25}]\n"
        "  applicant_retention_days: 90\n"
        "  headcount:\n"
        "    - {location: S1, role: cashier, from: \"08:00\", until: \"18:00\", minimum: 2,"
        " weekdays: 31}\n"
        "  review_cycles:\n"
        "    - {code: H1, name: First half, from: 2026-01-01, to: 2026-06-30,\n"
        "       criteria: [{code: service, weight: 2}, {code: speed}]}\n";
    char *uri;
    int rc;
    bo_book *b = bo_test_yaml_book("rec_yaml", yaml, &rc, &uri);
    bo_assert_ok(rc);
    bo_cursor *c;
    bo_assert_ok(bo_people_stages(b, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "screen");
    ck_assert_int_eq(bo_cursor_int(c, 1), 10);
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 1), 25);
    bo_cursor_free(c);
    bo_assert_ok(bo_people_understaffed(b, "S1", D("2026-03-02"), D("2026-03-02"), &c));
    ck_assert_int_eq(count_rows(c), 10);
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    int64_t r = 0, score = 0;
    bo_assert_ok(bo_people_review_open(b, "H1", "E1", &r));
    bo_assert_ok(bo_people_review_score(b, r, "service", BO_PEOPLE_MANAGER, 500, NULL));
    bo_assert_ok(bo_people_review_score(b, r, "speed", BO_PEOPLE_MANAGER, 200, NULL));
    bo_assert_ok(bo_people_review_result(b, r, BO_PEOPLE_MANAGER, &score));
    ck_assert_int_eq(score, 400);
    bo_assert_ok(bo_people_opening_add(b, "C", "Cashier", "S1", "cashier", D("2026-01-01")));
    int64_t id = apply_to(b, "C");
    bo_assert_ok(bo_people_applicant_close(b, id, BO_PEOPLE_REJECTED, D("2026-02-01")));
    bo_assert_ok(bo_people_applicants(b, NULL, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(column(c, "retain_until"), "2026-05-02"); /* 90 days */
    bo_cursor_free(c);
    verify_clean(b);
    bo_book_free(b);
    free(uri);

    const char *bad = "book: {name: P, base_currency: USD}\naccounts:\n"
                      "  - {code: \"1000\", name: Cash, type: asset}\n"
                      "people:\n  headcount:\n"
                      "    - {location: S1, role: cashier, from: \"08:30\", until: \"18:00\","
                      " minimum: 2}\n";
    bo_test_yaml_refused(bad, "", ":6:", "from");
}
END_TEST

/* ---- access and bad input -------------------------------------------------------- */

/* Every new call by every role: allowed only with its permission; a store
 * manager (people.read, write, approve) runs her roster and reviews but
 * never sees an applicant's data. */
START_TEST(test_recruit_access_matrix)
{
    bo_book *b = recruit_book("rec_access");
    bo_assert_ok(bo_payroll_employee_add(b, "E1", "Ayu", D("2020-01-01")));
    int64_t app = apply(b, NAME, EMAIL, "2026-02-10", NULL);
    bo_assert_ok(bo_people_review_cycle_add(b, "H1", "H1", D("2026-01-01"), D("2026-06-30")));
    bo_assert_ok(bo_people_review_criterion_add(b, "H1", "service", "Service", 1));
    int64_t rev = 0;
    bo_assert_ok(bo_people_review_open(b, "H1", "E1", &rev));
    bo_assert_ok(bo_role_define(b, "reader", "people.read"));
    bo_assert_ok(bo_role_define(b, "writer", "people.write"));
    bo_assert_ok(bo_role_define(b, "approver", "people.approve"));
    bo_assert_ok(bo_role_define(b, "admin", "people.admin payroll.write documents.write"));
    bo_assert_ok(bo_role_define(b, "manager", "people.read people.write people.approve"
                                              " documents.read documents.write"));
    const char *actors[] = { "reader", "writer", "approver", "admin", "manager", "nobody" };
    for (int a = 0; a < 5; a++)
        bo_assert_ok(bo_role_grant(b, actors[a], actors[a]));
    enum { R, W, A, M };
    const int need[] = { M, R, M, M, R, M, M, M, M, M, M, M, M, M, M, M, A, W, A, R, R, M };
    const int ncalls = (int)(sizeof need / sizeof need[0]);
    char *json = bo_test_file("rec_access.json");
    int64_t doc = 0;
    bo_document *d = NULL;
    bo_assert_ok(bo_document_new(&d, "application_form", "CV", D("2026-02-10")));
    bo_assert_ok(bo_document_create(b, d, &doc));
    bo_document_free(d);
    for (int a = 0; a < 6; a++) {
        bo_assert_ok(bo_book_set_actor(b, actors[a]));
        for (int k = 0; k < ncalls; k++) {
            bo_cursor *c = NULL;
            int64_t v = 0;
            int rc = 0;
            char code[32], ref[24];
            snprintf(code, sizeof code, "X%d_%d", a, k);
            snprintf(ref, sizeof ref, "%lld", (long long)app);
            bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
            o.name = "N";
            o.email = "n@example.org";
            o.consent = "yes";
            o.applied = D("2026-02-11");
            switch (k) {
            case 0: rc = bo_people_stage_set(b, code, "x", 40 + k); break;
            case 1: rc = bo_people_stages(b, &c); break;
            case 2: rc = bo_people_opening_add(b, code, "t", "S1", "r", D("2026-02-01")); break;
            case 3: rc = bo_people_opening_close(b, "NOPE"); break;
            case 4: rc = bo_people_openings(b, &c); break;
            case 5: rc = bo_people_applicant_add(b, "CASHIER", &o, &v); break;
            case 6: rc = bo_people_applicant_move(b, app, "screen", D("2026-02-12")); break;
            case 7: rc = bo_people_applicant_close(b, 999999, 1, D("2026-02-12")); break;
            case 8: rc = bo_people_applicant_hire(b, 999999, code, D("2026-02-12")); break;
            case 9: rc = bo_people_applicants(b, NULL, &c); break;
            case 10: rc = bo_people_applicant_retention_set(b, 90); break;
            case 11: rc = bo_people_applicant_export(b, app, json); break;
            case 12: rc = bo_people_applicant_erase(b, 999999); break;
            case 13: rc = bo_people_applicant_purge(b, D("2026-01-01"), &v); break;
            case 14: rc = bo_people_review_cycle_add(b, code, "c", D("2026-01-01"),
                                                     D("2026-02-01")); break;
            case 15: rc = bo_people_review_criterion_add(b, "NOPE", code, "c", 1); break;
            case 16: rc = bo_people_review_open(b, "NOPE", "E1", &v); break;
            case 17: rc = bo_people_review_score(b, rev, "service", BO_PEOPLE_SELF, 300,
                                                 NULL); break;
            case 18: rc = bo_people_review_score(b, rev, "service", BO_PEOPLE_MANAGER, 300,
                                                 NULL); break;
            case 19: rc = bo_people_review_result(b, rev, BO_PEOPLE_MANAGER, &v); break;
            case 20: rc = bo_people_review_scores(b, rev, &c); break;
            /* linking a CV to an applicant: knowing the applicant needs people.admin */
            case 21: rc = bo_document_link(b, doc, "applicant", ref); break;
            }
            bo_cursor_free(c);
            int allowed = (need[k] == R && (a == 0 || a == 4)) ||
                          (need[k] == W && (a == 1 || a == 4)) ||
                          (need[k] == A && (a == 2 || a == 4)) || (need[k] == M && a == 3);
            if (allowed) {
                ck_assert_msg(rc != BO_EDENIED, "%s call %d: %s", actors[a], k,
                              bo_error_message());
            } else {
                ck_assert_msg(rc == BO_EDENIED, "%s call %d: rc %d %s", actors[a], k, rc,
                              bo_error_message());
                ck_assert_ptr_null(strstr(bo_error_message(), "Sekar"));
            }
        }
    }
    bo_assert_ok(bo_book_set_actor(b, "owner"));
    verify_clean(b);
    bo_test_book_free(b);
    free(json);
}
END_TEST

START_TEST(test_recruit_bad_input_changes_nothing)
{
    bo_book *b = bo_test_book("rec_bad");
    bo_assert_ok(bo_people_opening_add(b, "CASHIER", "Cashier", "S1", "cashier",
                                       D("2026-02-01")));
    bo_people_applicant_options o = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    o.name = "Ayu";
    o.email = "ayu@example.org";
    o.consent = "yes";
    o.applied = D("2026-02-10");
    /* no stage yet */
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_ESTATE);
    ck_assert_msg(strstr(bo_error_message(), "stage"), "%s", bo_error_message());
    bo_assert_ok(bo_people_stage_set(b, "screen", "Screening", 10));
    o.consent = NULL;
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "consent"), "%s", bo_error_message());
    o.consent = "yes";
    o.email = "ayu.example.org";
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "email"), "%s", bo_error_message());
    o.email = "ayu@example.org";
    o.consent_date = D("2026-02-11");
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "consent_date"), "%s", bo_error_message());
    o.consent_date = 0;
    o.version = 7;
    bo_assert_err(bo_people_applicant_add(b, "CASHIER", &o, NULL), BO_EINVAL);
    o.version = BO_PEOPLE_APPLICANT_OPTIONS_VERSION;
    bo_assert_err(bo_people_applicant_add(b, "NOPE", &o, NULL), BO_ENOTFOUND);
    bo_assert_err(bo_people_opening_add(b, "CASHIER", "x", "S1", "r", D("2026-02-01")),
                  BO_EEXISTS);
    bo_assert_err(bo_people_stage_set(b, "x", "X", -1), BO_EINVAL);
    bo_assert_err(bo_people_applicant_retention_set(b, 0), BO_EINVAL);
    bo_assert_err(bo_people_applicant_close(b, 1, 3, D("2026-02-10")), BO_EINVAL);
    bo_assert_err(bo_people_applicant_options_init(&o, 2), BO_EINVAL);
    bo_cursor *c;
    bo_assert_ok(bo_people_applicants(b, NULL, &c));
    ck_assert_int_eq(count_rows(c), 0);
    bo_assert_ok(bo_people_applicant_options_init(&o, BO_PEOPLE_APPLICANT_OPTIONS_VERSION));
    ck_assert_ptr_null(o.name);
    /* a link to an applicant that does not exist */
    bo_document *d = NULL;
    int64_t doc = 0;
    bo_assert_ok(bo_document_new(&d, "application_form", "CV", D("2026-02-10")));
    bo_assert_ok(bo_document_create(b, d, &doc));
    bo_document_free(d);
    bo_assert_err(bo_document_link(b, doc, "applicant", "77"), BO_ENOTFOUND);
    bo_assert_err(bo_document_link(b, doc, "applicant", "x"), BO_EINVAL);
    verify_clean(b);
    bo_test_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("people_recruit");
    TCase *tc = tcase_create("recruit");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_recruitment_to_hire);
    tcase_add_test(tc, test_export_and_erase_on_request);
    tcase_add_test(tc, test_review_weighted_score);
    tcase_add_test(tc, test_recruit_yaml_section);
    tcase_add_test(tc, test_recruit_access_matrix);
    tcase_add_test(tc, test_recruit_bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    TCase *bytes = tcase_create("bytes");
    tcase_set_timeout(bytes, 120);
    tcase_set_tags(bytes, BO_TEST_TAG_REOPEN); /* reads the store's bytes */
    tcase_add_test(bytes, test_purge_leaves_no_trace);
    tcase_add_test(bytes, test_purge_clears_the_text_index);
    suite_add_tcase(s, bytes);
    return bo_test_run(s);
}
