/* Recruitment: stages, openings, applicants with their consent, hiring
 * (payroll's employee made in the same transaction), and the applicant's
 * rights: an export of everything held (JSON), erasure on request and the
 * retention purge. An applicant's personal data lives only in the name,
 * email, phone and consent columns of people_applicants and in the
 * documents linked to it (kind "applicant"); erasing overwrites the one
 * and erases the others (src/documents/retention.c), then the store is
 * scrubbed so no bytes of them remain (bo__store_scrub). Audit records
 * name the applicant's id and what was erased, never the data. */
#include "people/people.h"
#include "documents/documents.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* ---- stages ------------------------------------------------------------------ */

static const char SQL_STAGE_SET[] =
    "INSERT INTO people_stages (code, position, name) VALUES (?, ?, ?)"
    " ON CONFLICT (code) DO UPDATE SET position = excluded.position, name = excluded.name";

struct stage_ctx {
    const char *code, *name;
    int position;
};

static int stage_tx(bo_book *b, void *p)
{
    struct stage_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_STAGE_SET, "tit", c->code, (int64_t)c->position,
                           c->name);
    if (rc)
        return rc;
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "stage:%s", c->code);
    return bo__audit_append(b, "people.stage.set", object, "");
}

int bo_people_stage_set(bo_book *book, const char *code, const char *name, int position)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)) ||
        (rc = bo__text_check("name", name, BO_PEOPLE_TEXT_MAX, false, false)))
        return rc;
    if (position < 0 || position > 1000)
        return bo__error_set(BO_EINVAL, "position: %d is outside 0..1000", position);
    struct stage_ctx c = { code, name, position };
    return bo__write(book, stage_tx, &c);
}

static const char SQL_STAGES[] =
    "SELECT code, position, name FROM people_stages ORDER BY position, code";
static const bo__col STAGE_COLS[] = {
    { "code", BO_TYPE_TEXT }, { "position", BO_TYPE_INT }, { "name", BO_TYPE_TEXT },
};

int bo_people_stages(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_STAGES, STAGE_COLS, 3, out, "");
}

/* ---- openings ---------------------------------------------------------------- */

static const char SQL_OPENING_ADD[] =
    "INSERT INTO people_openings (code, title, location, role, opened, status)"
    " VALUES (?, ?, ?, ?, ?, 'open') ON CONFLICT (code) DO NOTHING";
static const char SQL_OPENING_STATUS[] = "SELECT status FROM people_openings WHERE code = ?";
static const char SQL_OPENING_CLOSE[] =
    "UPDATE people_openings SET status = 'closed' WHERE code = ?";

struct opening_ctx {
    const char *code, *title, *location, *role;
    bo_date opened;
};

static int opening_tx(bo_book *b, void *p)
{
    struct opening_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_OPENING_ADD, "ttttd", c->code, c->title, c->location,
                           c->role, c->opened);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "code: opening \"%s\" exists", c->code);
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "opening:%s", c->code);
    return bo__audit_append(b, "people.opening.add", object, "");
}

int bo_people_opening_add(bo_book *book, const char *code, const char *title,
                          const char *location, const char *role, bo_date opened)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)) ||
        (rc = bo__text_check("title", title, BO_PEOPLE_TEXT_MAX, false, false)) ||
        (rc = bo__ppl_code("location", location)) || (rc = bo__ppl_code("role", role)))
        return rc;
    if (opened < BO_DATE_MIN || opened > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "opened: out of range");
    struct opening_ctx c = { code, title, location, role, opened };
    return bo__write(book, opening_tx, &c);
}

static int opening_close_tx(bo_book *b, void *p)
{
    const char *code = p;
    char status[16] = "";
    int found = 0;
    int rc = bo__store_row(b->store, SQL_OPENING_STATUS, &found, "t>t", code, status,
                           sizeof status);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "opening: no opening \"%s\"", code);
    if (strcmp(status, "open") != 0)
        return bo__error_set(BO_ESTATE, "opening: \"%s\" is already closed", code);
    if ((rc = bo__store_run(b->store, SQL_OPENING_CLOSE, "t", code)))
        return rc;
    char object[BO_PEOPLE_TEXT_MAX + 16];
    snprintf(object, sizeof object, "opening:%s", code);
    return bo__audit_append(b, "people.opening.close", object, "");
}

int bo_people_opening_close(bo_book *book, const char *code)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("code", code)))
        return rc;
    return bo__write(book, opening_close_tx, (void *)code);
}

static const char SQL_OPENINGS[] =
    "SELECT o.code, o.title, o.location, o.role, o.opened, o.status,"
    " (SELECT COUNT(*) FROM people_applicants a WHERE a.opening = o.code)"
    " FROM people_openings o ORDER BY o.code";
static const bo__col OPENING_COLS[] = {
    { "code", BO_TYPE_TEXT }, { "title", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "role", BO_TYPE_TEXT }, { "opened", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "applicants", BO_TYPE_INT },
};

int bo_people_openings(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(book, BO__P_PEOPLE_READ, NULL, SQL_OPENINGS, OPENING_COLS, 7, out, "");
}

/* ---- applicants --------------------------------------------------------------- */

int bo_people_applicant_options_init(bo_people_applicant_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_PEOPLE_APPLICANT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_PEOPLE_APPLICANT_OPTIONS_VERSION);
    bo_people_applicant_options init = BO_PEOPLE_APPLICANT_OPTIONS_INIT;
    *opts = init;
    return 0;
}

/* Longest e-mail address and phone number, in bytes. */
#define EMAIL_MAX 254
#define PHONE_MAX 32
/* Longest consent text, in bytes. */
#define CONSENT_MAX 2048

static const char SQL_FIRST_STAGE[] =
    "SELECT code FROM people_stages ORDER BY position, code LIMIT 1";
static const char SQL_APPLICANT_BY_KEY[] =
    "SELECT id, digest FROM people_applicants WHERE idem_key = ?";
static const char SQL_APPLICANT_ADD[] =
    "INSERT INTO people_applicants (opening, name, email, phone, applied, consent,"
    " consent_date, stage, status, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
    " 'active', ?, ?) RETURNING id";
static const char SQL_APPLICANT_ADD_PLAIN[] =
    "INSERT INTO people_applicants (opening, name, email, phone, applied, consent,"
    " consent_date, stage, status, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
    " 'active', ?, ?)";
static const char SQL_MOVE_ADD[] =
    "INSERT INTO people_applicant_moves (applicant_id, date, stage, status)"
    " VALUES (?, ?, ?, ?)";

struct applicant_ctx {
    const char *opening;
    const bo_people_applicant_options *o;
    bo_date consent_date;
    char digest[65];
    int64_t id;
};

static int applicant_object(int64_t id, char out[40])
{
    snprintf(out, 40, "applicant:%" PRId64, id);
    return 0;
}

static int applicant_tx(bo_book *b, void *p)
{
    struct applicant_ctx *c = p;
    int state = BO__IDEM_NEW, rc = 0;
    if (c->o->key && ((rc = bo__idem_claim(b, SQL_APPLICANT_BY_KEY, "applicant", c->o->key,
                                           c->digest, &c->id, &state)) ||
                      state == BO__IDEM_REPLAY))
        return rc;
    char status[16] = "", stage[BO_PEOPLE_TEXT_MAX + 1] = "";
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_OPENING_STATUS, &found, "t>t", c->opening, status,
                            sizeof status)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "opening: no opening \"%s\"", c->opening);
    if (strcmp(status, "open") != 0)
        return bo__error_set(BO_ESTATE, "opening: \"%s\" is closed", c->opening);
    found = 0;
    if ((rc = bo__store_row(b->store, SQL_FIRST_STAGE, &found, ">t", stage, sizeof stage)))
        return rc;
    if (!found)
        return bo__error_set(BO_ESTATE, "stage: no recruitment stage is defined"
                             " (bo_people_stage_set)");
    if ((rc = bo__store_insert(b->store, SQL_APPLICANT_ADD, SQL_APPLICANT_ADD_PLAIN, &c->id,
                               "ttttdtdttt", c->opening, c->o->name, c->o->email, c->o->phone,
                               c->o->applied, c->o->consent, c->consent_date, stage,
                               c->o->key, c->o->key ? c->digest : NULL)) ||
        (rc = bo__store_run(b->store, SQL_MOVE_ADD, "idtt", c->id, c->o->applied, stage,
                            "active")))
        return rc;
    char object[40];
    applicant_object(c->id, object);
    /* What was recorded, never the data: the consent is recorded with it. */
    return bo__audit_append(b, "people.applicant.add", object, "with consent");
}

int bo_people_applicant_add(bo_book *book, const char *opening,
                            const bo_people_applicant_options *o, int64_t *id)
{
    bo__error_clear();
    if (!book || !o)
        return bo__error_set(BO_EINVAL, "book/options: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) ||
        (rc = bo__opts_version(o->version, BO_PEOPLE_APPLICANT_OPTIONS_VERSION)) ||
        (rc = bo__ppl_code("opening", opening)) ||
        (rc = bo__text_check("name", o->name, BO_PEOPLE_TEXT_MAX, false, false)) ||
        (rc = bo__text_check("email", o->email, EMAIL_MAX, false, false)) ||
        (rc = bo__text_check("phone", o->phone, PHONE_MAX, true, false)) ||
        (rc = bo__text_check("consent", o->consent, CONSENT_MAX, false, false)) ||
        (rc = bo__idem_check(o->key)))
        return rc;
    const char *at = strchr(o->email, '@');
    if (!at || at == o->email || !at[1] || strchr(at + 1, '@'))
        return bo__error_set(BO_EINVAL, "email: not an address (one '@' between a name and"
                             " a domain)");
    if (o->applied < BO_DATE_MIN || o->applied > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "applied: out of range");
    bo_date consent_date = o->consent_date ? o->consent_date : o->applied;
    if (consent_date < BO_DATE_MIN || consent_date > o->applied)
        return bo__error_set(BO_EINVAL, "consent_date: after the application or out of range");
    struct applicant_ctx c;
    memset(&c, 0, sizeof c);
    c.opening = opening;
    c.o = o;
    c.consent_date = consent_date;
    char day[11];
    bo__date_iso(o->applied, day);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.applicant.add");
    bo__buf_field(&d, opening);
    bo__buf_field(&d, o->name);
    bo__buf_field(&d, o->email);
    bo__buf_field(&d, o->phone ? o->phone : "");
    bo__buf_field(&d, day);
    bo__buf_field(&d, o->consent);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(book, applicant_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

/* One applicant as the calls need it. */
typedef struct applicant {
    int64_t id;
    char name[BO_PEOPLE_TEXT_MAX + 1];
    char email[EMAIL_MAX + 1];
    char stage[BO_PEOPLE_TEXT_MAX + 1];
    char status[16];
} applicant;

static const char SQL_APPLICANT[] =
    "SELECT name, email, stage, status FROM people_applicants WHERE id = ?";

static int applicant_get(bo_book *b, int64_t id, applicant *a, int active)
{
    int found = 0;
    memset(a, 0, sizeof *a);
    a->id = id;
    int rc = bo__store_row(b->store, SQL_APPLICANT, &found, "i>tttt", id, a->name,
                           sizeof a->name, a->email, sizeof a->email, a->stage,
                           sizeof a->stage, a->status, sizeof a->status);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "applicant: no applicant %" PRId64, id);
    if (active && strcmp(a->status, "active") != 0)
        return bo__error_set(BO_ESTATE, "applicant: applicant %" PRId64 " is %s, not active",
                             id, a->status);
    if (!active && strcmp(a->status, "erased") == 0)
        return bo__error_set(BO_ESTATE, "applicant: applicant %" PRId64 " is erased", id);
    return 0;
}

static const char SQL_STAGE_EXISTS[] = "SELECT 1 FROM people_stages WHERE code = ?";
static const char SQL_APPLICANT_STAGE[] =
    "UPDATE people_applicants SET stage = ? WHERE id = ?";

struct move_ctx {
    int64_t id;
    const char *stage;
    bo_date date;
    int outcome;
    const char *number;
    char retain[11];
};

static int move_tx(bo_book *b, void *p)
{
    struct move_ctx *c = p;
    applicant a;
    int found = 0;
    int64_t one = 0;
    int rc = applicant_get(b, c->id, &a, 1);
    if (rc || (rc = bo__store_row(b->store, SQL_STAGE_EXISTS, &found, "t>i", c->stage, &one)))
        return rc;
    if (!found) {
        char q[80];
        bo__quote(c->stage, 32, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "stage: no stage \"%s\"", q);
    }
    if ((rc = bo__store_run(b->store, SQL_APPLICANT_STAGE, "ti", c->stage, c->id)) ||
        (rc = bo__store_run(b->store, SQL_MOVE_ADD, "idtt", c->id, c->date, c->stage,
                            "active")))
        return rc;
    char object[40];
    applicant_object(c->id, object);
    return bo__audit_append(b, "people.applicant.move", object, c->stage);
}

int bo_people_applicant_move(bo_book *book, int64_t id, const char *stage, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN)) || (rc = bo__ppl_code("stage", stage)))
        return rc;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    struct move_ctx c = { id, stage, date, 0, NULL, "" };
    return bo__write(book, move_tx, &c);
}

/* Days an ended application's data is kept unless set otherwise. */
#define RETENTION_DEFAULT 180

static const char SQL_APPLICANT_END[] =
    "UPDATE people_applicants SET status = ?, ended = ?, retain_until = ? WHERE id = ?";

static int close_tx(bo_book *b, void *p)
{
    struct move_ctx *c = p;
    applicant a;
    int64_t days;
    int rc = applicant_get(b, c->id, &a, 1);
    if (rc || (rc = bo__setting_int(b, "people", "applicant_retention_days",
                                    RETENTION_DEFAULT, &days)))
        return rc;
    const char *status = c->outcome == BO_PEOPLE_REJECTED ? "rejected" : "withdrawn";
    bo_date until = c->date + (bo_date)days;
    if (until > BO_DATE_MAX)
        until = BO_DATE_MAX;
    bo__date_iso(until, c->retain);
    if ((rc = bo__store_run(b->store, SQL_APPLICANT_END, "tdti", status, c->date, c->retain,
                            c->id)) ||
        (rc = bo__store_run(b->store, SQL_MOVE_ADD, "idtt", c->id, c->date, a.stage, status)))
        return rc;
    char object[40], detail[48];
    applicant_object(c->id, object);
    snprintf(detail, sizeof detail, "%s; kept until %s", status, c->retain);
    return bo__audit_append(b, "people.applicant.close", object, detail);
}

int bo_people_applicant_close(bo_book *book, int64_t id, int outcome, bo_date date)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc)
        return rc;
    if (outcome != BO_PEOPLE_REJECTED && outcome != BO_PEOPLE_WITHDRAWN)
        return bo__error_set(BO_EINVAL, "outcome: %d is not rejected (1) or withdrawn (2)",
                             outcome);
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: out of range");
    struct move_ctx c = { id, NULL, date, outcome, NULL, "" };
    return bo__write(book, close_tx, &c);
}

static const char SQL_APPLICANT_HIRED[] =
    "UPDATE people_applicants SET status = 'hired', ended = ?, employee_id = ? WHERE id = ?";

static int hire_tx(bo_book *b, void *p)
{
    struct move_ctx *c = p;
    applicant a;
    int64_t emp = 0;
    int rc = applicant_get(b, c->id, &a, 1);
    /* Payroll's own calls: its checks, its audit records, the same
     * transaction (a failure of either leaves neither). */
    if (rc || (rc = bo_payroll_employee_add(b, c->number, a.name, c->date)) ||
        (rc = bo_payroll_employee_set(b, c->number, "contact", a.email)) ||
        (rc = bo__pay_employee_id(b, c->number, &emp)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_APPLICANT_HIRED, "dii", c->date, emp, c->id)) ||
        (rc = bo__store_run(b->store, SQL_MOVE_ADD, "idtt", c->id, c->date, a.stage, "hired")))
        return rc;
    char object[40], detail[40];
    applicant_object(c->id, object);
    snprintf(detail, sizeof detail, "employee:%" PRId64, emp);
    return bo__audit_append(b, "people.applicant.hire", object, detail);
}

int bo_people_applicant_hire(bo_book *book, int64_t id, const char *number, bo_date start)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_ADMIN | BO__P_PAYROLL_WRITE)) ||
        (rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false)))
        return rc;
    if (start < BO_DATE_MIN || start > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "start: out of range");
    struct move_ctx c = { id, NULL, start, 0, number, "" };
    return bo__write(book, hire_tx, &c);
}

static const char SQL_APPLICANTS[] =
    "SELECT a.id, a.opening, a.name, a.email, a.stage, a.status, a.applied, a.retain_until,"
    " e.number FROM people_applicants a LEFT JOIN pay_employees e ON e.id = a.employee_id"
    " WHERE CAST(? AS TEXT) IS NULL OR a.opening = ? ORDER BY a.id";
static const bo__col APPLICANT_COLS[] = {
    { "id", BO_TYPE_INT }, { "opening", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT },
    { "email", BO_TYPE_TEXT }, { "stage", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "applied", BO_TYPE_TEXT }, { "retain_until", BO_TYPE_TEXT },
    { "employee", BO_TYPE_TEXT },
};

int bo_people_applicants(bo_book *book, const char *opening, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if (opening && (rc = bo__ppl_code("opening", opening)))
        return rc;
    return bo__listing(book, BO__P_PEOPLE_ADMIN, NULL, SQL_APPLICANTS, APPLICANT_COLS, 9, out,
                       "tt", opening, opening);
}

struct retention_ctx {
    int64_t days;
};

static int retention_tx(bo_book *b, void *p)
{
    struct retention_ctx *c = p;
    int rc = bo__setting_put_int(b, "people", "applicant_retention_days", c->days);
    return rc ? rc : bo__audit_append(b, "people.applicant.retention_set",
                                      "applicant_retention_days", "");
}

int bo_people_applicant_retention_set(bo_book *book, int days)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc)
        return rc;
    if (days < 1 || days > 3660)
        return bo__error_set(BO_EINVAL, "days: %d is outside 1..3660", days);
    struct retention_ctx c = { days };
    return bo__write(book, retention_tx, &c);
}

/* ---- erasure ------------------------------------------------------------------- */

static const char SQL_APPLICANT_DOCS[] =
    "SELECT doc_id FROM doc_links WHERE kind = 'applicant' AND ref = ? ORDER BY doc_id";
static const char SQL_APPLICANT_ERASE[] =
    "UPDATE people_applicants SET name = 'erased', email = 'erased', phone = NULL,"
    " consent = 'erased', idem_key = NULL, digest = NULL, status = 'erased', erased = ?"
    " WHERE id = ?";

/* The ids of the documents linked to applicant id (caller frees). */
static int applicant_docs(bo_book *b, int64_t id, int64_t **out, size_t *n)
{
    char ref[24];
    snprintf(ref, sizeof ref, "%" PRId64, id);
    *out = NULL;
    *n = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_APPLICANT_DOCS, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "t", ref))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t *more = bo__realloc(*out, (*n + 1) * sizeof **out);
            if (!more) {
                rc = BO_ENOMEM;
                break;
            }
            *out = more;
            (*out)[(*n)++] = bo__stmt_col_int(s, 0);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

struct erase_ctx {
    int64_t id;      /* one applicant (erase), or 0 (purge) */
    bo_date today;
    int64_t count;
    size_t docs; /* documents erased: the text index is compacted once */
    bo__doc_gone gone;
};

/* Erase applicant id inside the write; why goes into the audit records. */
static int erase_one(bo_book *b, struct erase_ctx *c, int64_t id, const char *why)
{
    int64_t *docs;
    size_t n;
    char today[11];
    bo__date_iso(c->today, today);
    int rc = applicant_docs(b, id, &docs, &n);
    for (size_t i = 0; i < n && !rc; i++)
        rc = bo__doc_erase(b, docs[i], why, &c->gone);
    bo__free(docs);
    c->docs += n;
    if (rc || (rc = bo__store_run(b->store, SQL_APPLICANT_ERASE, "ti", today, id)))
        return rc;
    char object[40], detail[160];
    applicant_object(id, object);
    snprintf(detail, sizeof detail, "%s: name, e-mail, phone, consent text and %zu"
             " document(s) erased", why, n);
    c->count++;
    return bo__audit_append(b, "people.applicant.erase", object, detail);
}

static int erase_tx(bo_book *b, void *p)
{
    struct erase_ctx *c = p;
    applicant a;
    int rc = applicant_get(b, c->id, &a, 0);
    if (rc || (rc = erase_one(b, c, c->id, "on request")))
        return rc;
    return c->docs ? bo__doc_fts_compact(b) : 0;
}

static const char SQL_EXPIRED[] =
    "SELECT id FROM people_applicants WHERE status IN ('rejected', 'withdrawn')"
    " AND retain_until < ? ORDER BY id";

static int purge_tx(bo_book *b, void *p)
{
    struct erase_ctx *c = p;
    int64_t *ids = NULL;
    size_t n = 0;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_EXPIRED, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "d", c->today))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t *more = bo__realloc(ids, (n + 1) * sizeof *ids);
            if (!more) {
                rc = BO_ENOMEM;
                break;
            }
            ids = more;
            ids[n++] = bo__stmt_col_int(s, 0);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    for (size_t i = 0; i < n && !rc; i++)
        rc = erase_one(b, c, ids[i], "retention ended");
    bo__free(ids);
    if (rc || (c->docs && (rc = bo__doc_fts_compact(b))))
        return rc;
    char today[11], detail[48];
    bo__date_iso(c->today, today);
    snprintf(detail, sizeof detail, "%" PRId64 " applicant(s)", c->count);
    char object[24];
    snprintf(object, sizeof object, "date:%s", today);
    return bo__audit_append(b, "people.applicant.purge", object, detail);
}

/* Write, then (committed, outside a host's transaction) remove the files
 * and scrub the store. */
static int erase_run(bo_book *book, bo__write_fn fn, struct erase_ctx *c)
{
    int rc = bo__write(book, fn, c);
    bo__doc_gone_finish(book, &c->gone, rc == 0);
    /* The purge scrubs even when it erased nothing: a scrub that failed
     * after an earlier commit (the store busy) is done by the next purge. */
    if (!rc && book->depth == 0 && (c->count > 0 || fn == purge_tx))
        rc = bo__store_scrub(book->store);
    return rc;
}

int bo_people_applicant_erase(bo_book *book, int64_t id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc)
        return rc;
    struct erase_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.today = bo_date_today();
    return erase_run(book, erase_tx, &c);
}

int bo_people_applicant_purge(bo_book *book, bo_date today, int64_t *count)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc)
        return rc;
    if (today < BO_DATE_MIN || today > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "today: out of range");
    struct erase_ctx c;
    memset(&c, 0, sizeof c);
    c.today = today;
    if ((rc = erase_run(book, purge_tx, &c)))
        return rc;
    if (count)
        *count = c.count;
    return 0;
}

/* ---- export --------------------------------------------------------------------- */

/* text as a JSON string (NULL: null). */
static void json_str(bo__buf *o, const char *text)
{
    if (!text) {
        bo__buf_puts(o, "null");
        return;
    }
    bo__buf_puts(o, "\"");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            bo__buf_printf(o, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            bo__buf_printf(o, "\\u%04x", *p);
        else
            bo__buf_put(o, p, 1);
    }
    bo__buf_puts(o, "\"");
}

static const char SQL_EXPORT[] =
    "SELECT opening, name, email, phone, applied, consent, consent_date, stage, status,"
    " ended, retain_until FROM people_applicants WHERE id = ?";
static const char SQL_EXPORT_MOVES[] =
    "SELECT date, stage, status FROM people_applicant_moves WHERE applicant_id = ?"
    " ORDER BY id";
static const char SQL_EXPORT_DOC[] =
    "SELECT d.type, d.title, d.doc_date, v.version, v.filename, c.size, c.sha256"
    " FROM doc_documents d LEFT JOIN doc_versions v ON v.doc_id = d.id AND v.version ="
    " (SELECT MAX(version) FROM doc_versions w WHERE w.doc_id = d.id)"
    " LEFT JOIN doc_contents c ON c.id = v.content_id WHERE d.id = ?";

static const char *const EXPORT_FIELDS[] = {
    "opening", "name", "email", "phone", "applied", "consent", "consent_date", "stage",
    "status", "ended", "retain_until",
};

/* The content of document id in base64, or null when the actor may not
 * read it (the export still lists the document). */
static void json_content(bo_book *b, bo__buf *o, int64_t id)
{
    bo_document_reader *r = NULL;
    bo__error_state es;
    bo__error_save(&es);
    if (bo_document_reader_open(b, id, 0, &r)) {
        bo__error_restore(&es);
        bo__buf_puts(o, "null");
        return;
    }
    bo__buf raw = BO__BUF_INIT;
    unsigned char chunk[8192];
    size_t got = 0;
    int rc;
    while (!(rc = bo_document_reader_read(r, chunk, sizeof chunk, &got)) && got > 0)
        bo__buf_put(&raw, chunk, got);
    bo_document_reader_free(r);
    bo__error_restore(&es);
    if (rc || raw.failed) {
        bo__buf_free(&raw);
        bo__buf_puts(o, "null");
        return;
    }
    size_t n = sodium_base64_encoded_len(raw.len, sodium_base64_VARIANT_ORIGINAL);
    char *text = bo__malloc(n);
    if (!text) {
        o->failed = 1;
    } else {
        sodium_bin2base64(text, n, raw.len ? (const unsigned char *)raw.ptr
                                           : (const unsigned char *)"", raw.len,
                          sodium_base64_VARIANT_ORIGINAL);
        json_str(o, text);
        bo__free(text);
    }
    bo__buf_free(&raw);
}

struct export_ctx {
    int64_t id;
    const char *path;
    bo__buf out;
};

static int export_tx(bo_book *b, void *p)
{
    struct export_ctx *c = p;
    applicant a;
    int rc = applicant_get(b, c->id, &a, 0);
    if (rc)
        return rc;
    bo__buf *o = &c->out;
    o->len = 0; /* a retried transaction starts again */
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_EXPORT, &s)))
        return rc;
    bo__buf_printf(o, "{\"applicant\": {\"id\": %" PRId64, c->id);
    if (!(rc = bo__stmt_bind(s, "i", c->id)) && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        rc = 0;
        for (int i = 0; i < 11; i++) {
            bo__buf_printf(o, ", \"%s\": ", EXPORT_FIELDS[i]);
            json_str(o, bo__stmt_is_null(s, i) ? NULL : bo__stmt_col_text(s, i));
        }
    }
    bo__stmt_done(s);
    if (rc < 0)
        return rc;
    bo__buf_puts(o, "},\n \"history\": [");
    if ((rc = bo__stmt_get(b->store, SQL_EXPORT_MOVES, &s)))
        return rc;
    int k = 0;
    if (!(rc = bo__stmt_bind(s, "i", c->id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo__buf_puts(o, k++ ? ", {\"date\": " : "{\"date\": ");
            json_str(o, bo__stmt_col_text(s, 0));
            bo__buf_puts(o, ", \"stage\": ");
            json_str(o, bo__stmt_col_text(s, 1));
            bo__buf_puts(o, ", \"status\": ");
            json_str(o, bo__stmt_col_text(s, 2));
            bo__buf_puts(o, "}");
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    bo__buf_puts(o, "],\n \"documents\": [");
    int64_t *docs;
    size_t n;
    if ((rc = applicant_docs(b, c->id, &docs, &n)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        if ((rc = bo__stmt_get(b->store, SQL_EXPORT_DOC, &s)))
            break;
        if (!(rc = bo__stmt_bind(s, "i", docs[i])) &&
            (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            rc = 0;
            bo__buf_printf(o, "%s{\"id\": %" PRId64 ", \"type\": ", i ? ", " : "", docs[i]);
            json_str(o, bo__stmt_col_text(s, 0));
            bo__buf_puts(o, ", \"title\": ");
            json_str(o, bo__stmt_col_text(s, 1));
            bo__buf_puts(o, ", \"date\": ");
            json_str(o, bo__stmt_col_text(s, 2));
            bo__buf_puts(o, ", \"filename\": ");
            json_str(o, bo__stmt_is_null(s, 4) ? NULL : bo__stmt_col_text(s, 4));
            bo__buf_printf(o, ", \"size\": %" PRId64 ", \"sha256\": ",
                           bo__stmt_is_null(s, 5) ? 0 : bo__stmt_col_int(s, 5));
            json_str(o, bo__stmt_is_null(s, 6) ? NULL : bo__stmt_col_text(s, 6));
            int has = !bo__stmt_is_null(s, 3);
            bo__stmt_done(s);
            bo__buf_puts(o, ", \"content\": ");
            if (has)
                json_content(b, o, docs[i]);
            else
                bo__buf_puts(o, "null");
            bo__buf_puts(o, "}");
        } else {
            rc = rc < 0 ? rc : 0;
            bo__stmt_done(s);
        }
    }
    bo__free(docs);
    if (rc)
        return rc;
    bo__buf_puts(o, "]}\n");
    if (o->failed)
        return BO_ENOMEM;
    FILE *f = fopen(c->path, "wb");
    if (!f)
        return bo__error_set(BO_EIO, "path: cannot be written");
    size_t put = fwrite(o->ptr, 1, o->len, f);
    if (fclose(f) != 0 || put != o->len)
        return bo__error_set(BO_EIO, "path: writing failed");
    char object[40];
    applicant_object(c->id, object);
    return bo__audit_append(b, "people.applicant.export", object, "all data, JSON");
}

int bo_people_applicant_export(bo_book *book, int64_t id, const char *path)
{
    bo__error_clear();
    if (!book || !path)
        return bo__error_set(BO_EINVAL, "book/path: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_ADMIN);
    if (rc || (rc = bo__text_check("path", path, 4096, false, false)))
        return rc;
    struct export_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.path = path;
    rc = bo__write(book, export_tx, &c);
    bo__buf_free(&c.out);
    return rc;
}
