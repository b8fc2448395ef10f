/* Light reviews: a cycle with weighted criteria, one review per employee
 * and cycle, self and manager scores with notes, and the weighted score
 * computed exactly: the sum of weight x score in 128 bits, divided once by
 * the sum of the weights and rounded half up (util/fixed.h). */
#include "people/people.h"
#include "util/fixed.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Longest note, in bytes. */
#define NOTE_MAX 4096
#define WEIGHT_MAX 10000
#define SCORE_MIN 100
#define SCORE_MAX 500

/* ---- cycles and criteria ------------------------------------------------------ */

static const char SQL_CYCLE_ADD[] =
    "INSERT INTO people_review_cycles (code, name, from_date, to_date, status)"
    " VALUES (?, ?, ?, ?, 'open') ON CONFLICT (code) DO NOTHING";

struct cycle_ctx {
    const char *code, *name, *criterion;
    bo_date from, to;
    int64_t weight;
};

static int cycle_object(const char *code, char out[BO_PEOPLE_TEXT_MAX + 16])
{
    snprintf(out, BO_PEOPLE_TEXT_MAX + 16, "review_cycle:%s", code);
    return 0;
}

static int cycle_tx(bo_book *b, void *p)
{
    struct cycle_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_CYCLE_ADD, "ttdd", c->code, c->name, c->from, c->to);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "code: review cycle \"%s\" exists", c->code);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    cycle_object(c->code, object);
    return bo__audit_append(b, "people.review_cycle.add", object, "");
}

int bo_people_review_cycle_add(bo_book *book, const char *code, const char *name,
                               bo_date from, bo_date to)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)) ||
        (rc = bo__text_check("name", name, BO_PEOPLE_TEXT_MAX, false, false)))
        return rc;
    if (from < BO_DATE_MIN || to > BO_DATE_MAX || from > to)
        return bo__error_set(BO_EINVAL, "to: the cycle ends before it starts");
    struct cycle_ctx c = { code, name, NULL, from, to, 0 };
    return bo__write(book, cycle_tx, &c);
}

static const char SQL_CYCLE_EXISTS[] = "SELECT 1 FROM people_review_cycles WHERE code = ?";
static const char SQL_CYCLE_REVIEWS[] = "SELECT COUNT(*) FROM people_reviews WHERE cycle = ?";
static const char SQL_CRITERION_ADD[] =
    "INSERT INTO people_review_criteria (cycle, code, name, weight) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (cycle, code) DO NOTHING";

static int cycle_check(bo_book *b, const char *cycle)
{
    int found = 0;
    int64_t one;
    int rc = bo__store_row(b->store, SQL_CYCLE_EXISTS, &found, "t>i", cycle, &one);
    if (!rc && !found) {
        char q[80];
        bo__quote(cycle, 32, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "cycle: no review cycle \"%s\"", q);
    }
    return rc;
}

static int criterion_tx(bo_book *b, void *p)
{
    struct cycle_ctx *c = p;
    int64_t reviews = 0;
    int rc = cycle_check(b, c->code);
    if (rc || (rc = bo__store_row(b->store, SQL_CYCLE_REVIEWS, NULL, "t>i", c->code, &reviews)))
        return rc;
    if (reviews > 0)
        return bo__error_set(BO_ESTATE, "cycle: \"%s\" has reviews; its criteria are fixed",
                             c->code);
    if ((rc = bo__store_run(b->store, SQL_CRITERION_ADD, "ttti", c->code, c->criterion,
                            c->name, c->weight)))
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "code: criterion \"%s\" exists", c->criterion);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    cycle_object(c->code, object);
    return bo__audit_append(b, "people.review_cycle.criterion_add", object, c->criterion);
}

int bo_people_review_criterion_add(bo_book *book, const char *cycle, const char *code,
                                   const char *name, int64_t weight)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("cycle", cycle)) ||
        (rc = bo__ppl_code("code", code)) ||
        (rc = bo__text_check("name", name, BO_PEOPLE_TEXT_MAX, false, false)))
        return rc;
    if (weight < 1 || weight > WEIGHT_MAX)
        return bo__error_set(BO_EINVAL, "weight: outside 1..%d", WEIGHT_MAX);
    struct cycle_ctx c = { cycle, name, code, 0, 0, weight };
    return bo__write(book, criterion_tx, &c);
}

/* ---- reviews -------------------------------------------------------------------- */

static const char SQL_CRITERIA_COUNT[] =
    "SELECT COUNT(*) FROM people_review_criteria WHERE cycle = ?";
static const char SQL_REVIEW_ADD[] =
    "INSERT INTO people_reviews (cycle, employee_id, status) VALUES (?, ?, 'open')"
    " ON CONFLICT (cycle, employee_id) DO NOTHING RETURNING id";
static const char SQL_REVIEW_ADD_PLAIN[] =
    "INSERT INTO people_reviews (cycle, employee_id, status) VALUES (?, ?, 'open')"
    " ON CONFLICT (cycle, employee_id) DO NOTHING";

struct review_ctx {
    const char *cycle;
    int64_t emp, id;
    const char *criterion, *note;
    int who;
    int64_t score;
};

static int review_object(int64_t id, char out[40])
{
    snprintf(out, 40, "review:%" PRId64, id);
    return 0;
}

static int open_tx(bo_book *b, void *p)
{
    struct review_ctx *c = p;
    int64_t n = 0;
    int rc = cycle_check(b, c->cycle);
    if (rc || (rc = bo__store_row(b->store, SQL_CRITERIA_COUNT, NULL, "t>i", c->cycle, &n)))
        return rc;
    if (n == 0)
        return bo__error_set(BO_ESTATE, "cycle: \"%s\" has no criteria", c->cycle);
    if ((rc = bo__store_insert(b->store, SQL_REVIEW_ADD, SQL_REVIEW_ADD_PLAIN, &c->id, "ti",
                               c->cycle, c->emp)))
        return rc;
    if (c->id == 0)
        return bo__error_set(BO_EEXISTS, "number: the employee already has a review in"
                             " \"%s\"", c->cycle);
    char object[40];
    review_object(c->id, object);
    return bo__audit_append(b, "people.review.open", object, c->cycle);
}

int bo_people_review_open(bo_book *book, const char *cycle, const char *number, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct review_ctx c;
    memset(&c, 0, sizeof c);
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_APPROVE)) || (rc = bo__ppl_code("cycle", cycle)) ||
        (rc = bo__pay_employee_id(book, number, &c.emp)))
        return rc;
    c.cycle = cycle;
    if ((rc = bo__write(book, open_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

static const char SQL_REVIEW_CYCLE[] = "SELECT cycle FROM people_reviews WHERE id = ?";
static const char SQL_CRITERION_EXISTS[] =
    "SELECT weight FROM people_review_criteria WHERE cycle = ? AND code = ?";
static const char SQL_SCORE_SELF[] =
    "INSERT INTO people_review_scores (review_id, criterion, self_score, self_note)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (review_id, criterion) DO UPDATE SET"
    " self_score = excluded.self_score, self_note = excluded.self_note";
static const char SQL_SCORE_MANAGER[] =
    "INSERT INTO people_review_scores (review_id, criterion, manager_score, manager_note)"
    " VALUES (?, ?, ?, ?) ON CONFLICT (review_id, criterion) DO UPDATE SET"
    " manager_score = excluded.manager_score, manager_note = excluded.manager_note";

static int review_cycle(bo_book *b, int64_t id, char cycle[BO_PEOPLE_TEXT_MAX + 1])
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_REVIEW_CYCLE, &found, "i>t", id, cycle,
                           (size_t)BO_PEOPLE_TEXT_MAX + 1);
    if (!rc && !found)
        return bo__error_set(BO_ENOTFOUND, "review: no review %" PRId64, id);
    return rc;
}

static int score_tx(bo_book *b, void *p)
{
    struct review_ctx *c = p;
    char cycle[BO_PEOPLE_TEXT_MAX + 1];
    int found = 0;
    int64_t weight;
    int rc = review_cycle(b, c->id, cycle);
    if (rc || (rc = bo__store_row(b->store, SQL_CRITERION_EXISTS, &found, "tt>i", cycle,
                                  c->criterion, &weight)))
        return rc;
    if (!found) {
        char q[80];
        bo__quote(c->criterion, 32, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "criterion: no criterion \"%s\" in the cycle", q);
    }
    if ((rc = bo__store_run(b->store, c->who == BO_PEOPLE_SELF ? SQL_SCORE_SELF
                                                                : SQL_SCORE_MANAGER,
                            "itit", c->id, c->criterion, c->score, c->note)))
        return rc;
    char object[40];
    review_object(c->id, object);
    return bo__audit_append(b, c->who == BO_PEOPLE_SELF ? "people.review.score_self"
                                                        : "people.review.score_manager",
                            object, c->criterion);
}

int bo_people_review_score(bo_book *book, int64_t review, const char *criterion, int who,
                           int64_t score, const char *note)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (who != BO_PEOPLE_SELF && who != BO_PEOPLE_MANAGER)
        return bo__error_set(BO_EINVAL, "who: %d is not self (1) or manager (2)", who);
    int rc;
    if ((rc = bo__require(book, who == BO_PEOPLE_SELF ? BO__P_PEOPLE_WRITE
                                                      : BO__P_PEOPLE_APPROVE)) ||
        (rc = bo__ppl_code("criterion", criterion)) ||
        (rc = bo__text_check("note", note, NOTE_MAX, true, true)))
        return rc;
    if (score < SCORE_MIN || score > SCORE_MAX)
        return bo__error_set(BO_EINVAL, "score: outside %d..%d (1.00 .. 5.00)", SCORE_MIN,
                             SCORE_MAX);
    struct review_ctx c;
    memset(&c, 0, sizeof c);
    c.id = review;
    c.criterion = criterion;
    c.who = who;
    c.score = score;
    c.note = note;
    return bo__write(book, score_tx, &c);
}

/* ---- the weighted score --------------------------------------------------------- */

static const char SQL_RESULT[] =
    "SELECT c.code, c.weight, s.self_score, s.manager_score FROM people_review_criteria c"
    " LEFT JOIN people_review_scores s ON s.review_id = ? AND s.criterion = c.code"
    " WHERE c.cycle = ? ORDER BY c.code";

int bo_people_review_result(bo_book *book, int64_t review, int who, int64_t *score)
{
    bo__error_clear();
    if (!book || !score)
        return bo__error_set(BO_EINVAL, "book/score: NULL");
    if (who != BO_PEOPLE_SELF && who != BO_PEOPLE_MANAGER)
        return bo__error_set(BO_EINVAL, "who: %d is not self (1) or manager (2)", who);
    char cycle[BO_PEOPLE_TEXT_MAX + 1];
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_READ)) || (rc = review_cycle(book, review, cycle)))
        return rc;
    bo__i128 sum = 0, weights = 0;
    char missing[BO_PEOPLE_TEXT_MAX + 1] = "";
    bo__stmt *s;
    if ((rc = bo__stmt_get(book->store, SQL_RESULT, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "it", review, cycle))) {
        int col = who == BO_PEOPLE_SELF ? 2 : 3;
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (bo__stmt_is_null(s, col)) {
                if (!missing[0])
                    snprintf(missing, sizeof missing, "%s", bo__stmt_col_text(s, 0));
                continue;
            }
            int64_t w = bo__stmt_col_int(s, 1);
            sum += (bo__i128)w * bo__stmt_col_int(s, col);
            weights += w;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (missing[0])
        return bo__error_set(BO_ESTATE, "criterion: \"%s\" has no %s score yet", missing,
                             who == BO_PEOPLE_SELF ? "self" : "manager");
    if (weights == 0)
        return bo__error_set(BO_ESTATE, "cycle: \"%s\" has no criteria", cycle);
    return bo__fx_narrow(bo__fx_div128(sum, weights, BO_ROUND_HALF_UP), score);
}

static const char SQL_SCORES[] =
    "SELECT c.code, c.name, c.weight, s.self_score, s.manager_score, s.self_note,"
    " s.manager_note FROM people_reviews r JOIN people_review_criteria c ON c.cycle = r.cycle"
    " LEFT JOIN people_review_scores s ON s.review_id = r.id AND s.criterion = c.code"
    " WHERE r.id = ? ORDER BY c.code";
static const bo__col SCORE_COLS[] = {
    { "criterion", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "weight", BO_TYPE_INT },
    { "self_score", BO_TYPE_INT }, { "manager_score", BO_TYPE_INT },
    { "self_note", BO_TYPE_TEXT }, { "manager_note", BO_TYPE_TEXT },
};

int bo_people_review_scores(bo_book *book, int64_t review, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_SCORES, SCORE_COLS, 7, out, "i",
                       review);
}
