/* Roster gaps: unavailability (a rule of every assignment, shifts.c), the
 * minimum headcount per role and hour with the understaffing report, open
 * shifts claimed by an eligible employee, and swaps (the colleague
 * accepts, a manager approves; the rules are checked for the colleague). */
#include "people/people.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- keys ---------------------------------------------------------------------------- */

/* The keys of the roster's commands share one table: a key names one
 * command, whichever it was. */
static const char SQL_KEY_GET[] = "SELECT record_id, digest FROM people_keys WHERE idem_key = ?";
static const char SQL_KEY_ADD[] =
    "INSERT INTO people_keys (idem_key, command, record_id, digest) VALUES (?, ?, ?, ?)";

/* Inside the write, before anything: what key names (*replay 1: the
 * same command, *id its record). */
static int key_claim(bo_book *b, const char *key, const char *what, const char *digest,
                     int64_t *id, int *replay)
{
    int state = BO__IDEM_NEW;
    int rc = bo__idem_claim(b, SQL_KEY_GET, what, key, digest, id, &state);
    *replay = state == BO__IDEM_REPLAY;
    return rc;
}

/* Inside the write, after the record: keep its key (none: nothing). */
static int key_keep(bo_book *b, const char *key, const char *command, int64_t id,
                    const char *digest)
{
    if (!key)
        return 0;
    int rc = bo__store_run(b->store, SQL_KEY_ADD, "ttit", key, command, id, digest);
    return rc ? rc : bo__audit_touch_name(b, "people_key", key);
}

/* ---- unavailability ------------------------------------------------------------ */

static const char SQL_UNAV_ADD[] =
    "INSERT INTO people_unavailability (employee_id, from_at, to_at) VALUES (?, ?, ?)"
    " RETURNING id";
static const char SQL_UNAV_ADD_PLAIN[] =
    "INSERT INTO people_unavailability (employee_id, from_at, to_at) VALUES (?, ?, ?)";

struct unav_ctx {
    int64_t emp, from, until, id;
    const char *key;
    char digest[BO_HASH_HEX_SIZE];
};

static int unav_tx(bo_book *b, void *p)
{
    struct unav_ctx *c = p;
    int replay, rc = key_claim(b, c->key, "unavailability", c->digest, &c->id, &replay);
    if (rc || replay ||
        (rc = bo__store_insert(b->store, SQL_UNAV_ADD, SQL_UNAV_ADD_PLAIN, &c->id, "iii",
                               c->emp, c->from, c->until)) ||
        (rc = key_keep(b, c->key, "unavailability", c->id, c->digest)))
        return rc;
    char object[40];
    snprintf(object, sizeof object, "unavailability:%" PRId64, c->id);
    return bo__audit_append(b, "people.unavailability.add", object, "");
}

int bo_people_unavailable_add(bo_book *book, const char *number, const char *from,
                              const char *until, int64_t *id)
{
    return bo_people_unavailable_add_keyed(book, number, from, until, NULL, id);
}

int bo_people_unavailable_add_keyed(bo_book *book, const char *number, const char *from,
                                    const char *until, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct unav_ctx c;
    memset(&c, 0, sizeof c);
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_WRITE)) || (rc = bo__idem_check(key)) ||
        (rc = bo__ppl_instant("from", from, &c.from)) ||
        (rc = bo__ppl_instant("until", until, &c.until)))
        return rc;
    if (c.until <= c.from)
        return bo__error_set(BO_EINVAL, "until: not after from");
    if (c.until - c.from > (int64_t)BO_PEOPLE_RANGE_MAX * 1440)
        return bo__error_set(BO_ELIMIT, "until: more than %d days after from",
                             BO_PEOPLE_RANGE_MAX);
    if ((rc = bo__pay_employee_id(book, number, &c.emp)))
        return rc;
    c.key = key;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.unavailability");
    bo__buf_field(&d, number);
    bo__buf_field_int(&d, c.from);
    bo__buf_field_int(&d, c.until);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(book, unav_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

static const char SQL_UNAVS[] =
    "SELECT u.id, e.number, u.from_at, u.to_at FROM people_unavailability u"
    " JOIN pay_employees e ON e.id = u.employee_id"
    " WHERE (CAST(? AS TEXT) IS NULL OR e.number = ?) AND u.from_at < ? AND u.to_at > ?"
    " ORDER BY u.from_at, u.id";
static const bo__col UNAV_COLS[] = {
    { "id", BO_TYPE_INT }, { "employee", BO_TYPE_TEXT }, { "from_at", BO_TYPE_TEXT },
    { "until", BO_TYPE_TEXT },
};

int bo_people_unavailability(bo_book *book, const char *number, bo_date from, bo_date to,
                             bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if ((number && (rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false))) ||
        (rc = bo__ppl_range(from, to)) || (rc = bo__require(book, BO__P_PEOPLE_READ)))
        return rc;
    /* Read into memory: the instants are shown as text. */
    bo__stmt *s;
    bo__cell *cells = NULL;
    size_t n = 0;
    if ((rc = bo__stmt_get(book->store, SQL_UNAVS, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ttii", number, number, BO__PPL_AT(to + 1, 0),
                             BO__PPL_AT(from, 0)))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            bo__cell *more = bo__realloc(cells, (n + 1) * 4 * sizeof *cells);
            if (!more) {
                rc = BO_ENOMEM;
                break;
            }
            cells = more;
            bo__cell *r = cells + n * 4;
            memset(r, 0, 4 * sizeof *r);
            n++;
            char f[17], u[17];
            bo__ppl_instant_text(bo__stmt_col_int(s, 2), f);
            bo__ppl_instant_text(bo__stmt_col_int(s, 3), u);
            r[0].type = BO_TYPE_INT;
            r[0].i = bo__stmt_col_int(s, 0);
            r[1].type = r[2].type = r[3].type = BO_TYPE_TEXT;
            r[1].text = bo__strdup(bo__stmt_col_text(s, 1));
            r[2].text = bo__strdup(f);
            r[3].text = bo__strdup(u);
            if (!r[1].text || !r[2].text || !r[3].text) {
                rc = BO_ENOMEM;
                break;
            }
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc) {
        bo__cells_free(cells, n * 4);
        return rc;
    }
    return bo__cursor_rows(UNAV_COLS, 4, cells, n, out);
}

/* ---- headcount ------------------------------------------------------------------- */

static const char SQL_HEAD_SET[] =
    "INSERT INTO people_headcount (location, role, weekdays, from_min, to_min, minimum)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (location, role, weekdays, from_min) DO UPDATE"
    " SET to_min = excluded.to_min, minimum = excluded.minimum";
static const char SQL_HEAD_DEL[] =
    "DELETE FROM people_headcount WHERE location = ? AND role = ? AND weekdays = ?"
    " AND from_min = ?";

struct head_ctx {
    const char *location, *role;
    int weekdays, from, to, minimum;
};

static int head_tx(bo_book *b, void *p)
{
    struct head_ctx *c = p;
    int rc = c->minimum
                 ? bo__store_run(b->store, SQL_HEAD_SET, "ttiiii", c->location, c->role,
                                 (int64_t)c->weekdays, (int64_t)c->from, (int64_t)c->to,
                                 (int64_t)c->minimum)
                 : bo__store_run(b->store, SQL_HEAD_DEL, "ttii", c->location, c->role,
                                 (int64_t)c->weekdays, (int64_t)c->from);
    if (rc)
        return rc;
    char object[BO_PEOPLE_TEXT_MAX + 16], detail[BO_PEOPLE_TEXT_MAX + 48];
    snprintf(object, sizeof object, "headcount:%s", c->location);
    snprintf(detail, sizeof detail, "%s: %d", c->role, c->minimum);
    return bo__audit_append(b, "people.headcount.set", object, detail);
}

int bo_people_headcount_set(bo_book *book, const char *location, const char *role,
                            int weekdays, const char *from, const char *until, int minimum)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct head_ctx c = { location, role, weekdays, 0, 0, minimum };
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_APPROVE)) ||
        (rc = bo__ppl_code("location", location)) || (rc = bo__ppl_code("role", role)) ||
        (rc = bo__require_at(book, BO__P_PEOPLE_APPROVE, location)) ||
        (rc = bo__ppl_hhmm("from", from, &c.from)))
        return rc;
    if (until && strcmp(until, "24:00") == 0)
        c.to = 1440;
    else if ((rc = bo__ppl_hhmm("until", until, &c.to)))
        return rc;
    if (c.from % 60 || c.to % 60)
        return bo__error_set(BO_EINVAL, "%s: not on the hour", c.from % 60 ? "from" : "until");
    if (c.to <= c.from)
        return bo__error_set(BO_EINVAL, "until: not after from");
    if (weekdays <= 0 || weekdays > 127)
        return bo__error_set(BO_EINVAL, "weekdays: %d is not a set of weekdays (bits 0..6)",
                             weekdays);
    if (minimum < 0 || minimum > 10000)
        return bo__error_set(BO_EINVAL, "minimum: %d is outside 0..10000", minimum);
    return bo__write(book, head_tx, &c);
}

typedef struct need {
    char role[BO_PEOPLE_TEXT_MAX + 1];
    int weekdays, from, to, minimum;
} need;

typedef struct cover {
    char role[BO_PEOPLE_TEXT_MAX + 1];
    int64_t start, end;
} cover;

static const char SQL_NEEDS[] =
    "SELECT role, weekdays, from_min, to_min, minimum FROM people_headcount"
    " WHERE location = ? ORDER BY role, from_min";
static const char SQL_COVERS[] =
    "SELECT role, start_at, end_at FROM people_shifts WHERE location = ? AND date >= ?"
    " AND date <= ? AND end_at > start_at";


static const bo__col UNDER_COLS[] = {
    { "date", BO_TYPE_TEXT }, { "hour", BO_TYPE_TEXT }, { "role", BO_TYPE_TEXT },
    { "required", BO_TYPE_INT }, { "scheduled", BO_TYPE_INT }, { "missing", BO_TYPE_INT },
};

/* Monday 0 .. Sunday 6. */
static int weekday_of(bo_date d)
{
    return (int)((((int64_t)d + 3) % 7 + 7) % 7);
}

int bo_people_understaffed(bo_book *book, const char *location, bo_date from, bo_date to,
                           bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    if ((rc = bo__ppl_code("location", location)) || (rc = bo__ppl_range(from, to)) ||
        (rc = bo__require_at(book, BO__P_PEOPLE_READ, location)))
        return rc;
    need *needs = NULL;
    cover *covers = NULL;
    bo__cell *cells = NULL;
    size_t nn = 0, cn = 0, ncap = 0, ccap = 0, rows = 0, rcap = 0;
    bo__stmt *s;
    if ((rc = bo__stmt_get(book->store, SQL_NEEDS, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "t", location))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if ((rc = bo__grow((void **)&needs, &ncap, nn, sizeof *needs)))
                break;
            need *x = &needs[nn++];
            snprintf(x->role, sizeof x->role, "%s", bo__stmt_col_text(s, 0));
            x->weekdays = (int)bo__stmt_col_int(s, 1);
            x->from = (int)bo__stmt_col_int(s, 2);
            x->to = (int)bo__stmt_col_int(s, 3);
            x->minimum = (int)bo__stmt_col_int(s, 4);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    /* Shifts from the day before: a night shift covers the next morning. */
    if (!rc && !(rc = bo__stmt_get(book->store, SQL_COVERS, &s))) {
        if (!(rc = bo__stmt_bind(s, "tdd", location, (bo_date)(from - 1), to))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                if ((rc = bo__grow((void **)&covers, &ccap, cn, sizeof *covers)))
                    break;
                cover *x = &covers[cn++];
                snprintf(x->role, sizeof x->role, "%s", bo__stmt_col_text(s, 0));
                x->start = bo__stmt_col_int(s, 1);
                x->end = bo__stmt_col_int(s, 2);
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
    }
    for (bo_date d = from; !rc && d <= to; d++) {
        char day[11];
        bo__date_iso(d, day);
        for (int h = 0; !rc && h < 24; h++) {
            for (size_t k = 0; !rc && k < nn; k++) {
                const need *x = &needs[k];
                if (!(x->weekdays & (1 << weekday_of(d))) || h * 60 < x->from ||
                    h * 60 >= x->to)
                    continue;
                int64_t hs = BO__PPL_AT(d, h * 60), he = hs + 60, have = 0;
                for (size_t j = 0; j < cn; j++)
                    have += strcmp(covers[j].role, x->role) == 0 && covers[j].start <= hs &&
                            covers[j].end >= he;
                if (have >= x->minimum)
                    continue;
                if ((rc = bo__grow((void **)&cells, &rcap, rows * 6 + 6, sizeof *cells)))
                    break;
                bo__cell *r = cells + rows * 6;
                memset(r, 0, 6 * sizeof *r);
                rows++;
                char hour[8];
                snprintf(hour, sizeof hour, "%02d:00", h);
                r[0].type = r[1].type = r[2].type = BO_TYPE_TEXT;
                r[3].type = r[4].type = r[5].type = BO_TYPE_INT;
                r[0].text = bo__strdup(day);
                r[1].text = bo__strdup(hour);
                r[2].text = bo__strdup(x->role);
                r[3].i = x->minimum;
                r[4].i = have;
                r[5].i = x->minimum - have;
                if (!r[0].text || !r[1].text || !r[2].text)
                    rc = BO_ENOMEM;
            }
        }
    }
    bo__free(needs);
    bo__free(covers);
    if (rc) {
        bo__cells_free(cells, rows * 6);
        return rc;
    }
    return bo__cursor_rows(UNDER_COLS, 6, cells, rows, out);
}

/* ---- open shifts ----------------------------------------------------------------- */

static const char SQL_OPEN_ADD[] =
    "INSERT INTO people_open_shifts (date, shift, location, role) VALUES (?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_OPEN_ADD_PLAIN[] =
    "INSERT INTO people_open_shifts (date, shift, location, role) VALUES (?, ?, ?, ?)";
static const char SQL_OPEN_GET[] =
    "SELECT date, shift, location, role, shift_id FROM people_open_shifts WHERE id = ?";
static const char SQL_OPEN_CLAIM[] =
    "UPDATE people_open_shifts SET shift_id = ? WHERE id = ? AND shift_id IS NULL";

struct open_ctx {
    bo_date date;
    const char *shift, *location, *role;
    int64_t id, emp, shift_id;
    const char *key;
    char digest[BO_HASH_HEX_SIZE];
};

static int open_object(int64_t id, char out[40])
{
    snprintf(out, 40, "open_shift:%" PRId64, id);
    return 0;
}

static int open_add_tx(bo_book *b, void *p)
{
    struct open_ctx *c = p;
    int replay, rc = key_claim(b, c->key, "open shift", c->digest, &c->id, &replay);
    if (rc || replay ||
        (rc = bo__store_insert(b->store, SQL_OPEN_ADD, SQL_OPEN_ADD_PLAIN, &c->id, "dttt",
                               c->date, c->shift, c->location, c->role)) ||
        (rc = key_keep(b, c->key, "open_shift", c->id, c->digest)))
        return rc;
    char object[40];
    open_object(c->id, object);
    return bo__audit_append(b, "people.open_shift.add", object, "");
}

int bo_people_open_shift_add(bo_book *book, bo_date date, const char *shift,
                             const char *location, const char *role, int64_t *id)
{
    return bo_people_open_shift_add_keyed(book, date, shift, location, role, NULL, id);
}

int bo_people_open_shift_add_keyed(bo_book *book, bo_date date, const char *shift,
                                   const char *location, const char *role, const char *key,
                                   int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    bo__ppl_type t;
    if ((rc = bo__require(book, BO__P_PEOPLE_APPROVE)) || (rc = bo__ppl_code("shift", shift)) ||
        (rc = bo__ppl_code("location", location)) || (rc = bo__ppl_code("role", role)) ||
        (rc = bo__idem_check(key)) ||
        (rc = bo__require_at(book, BO__P_PEOPLE_APPROVE, location)))
        return rc;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX - 1)
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = bo__ppl_type_get(book, shift, &t)))
        return rc;
    struct open_ctx c;
    memset(&c, 0, sizeof c);
    c.date = date;
    c.shift = shift;
    c.location = location;
    c.role = role;
    c.key = key;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.open_shift");
    bo__buf_field_int(&d, date);
    bo__buf_field(&d, shift);
    bo__buf_field(&d, location);
    bo__buf_field(&d, role);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(book, open_add_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

static int claim_tx(bo_book *b, void *p)
{
    struct open_ctx *c = p;
    char day[11] = "", shift[BO_PEOPLE_TEXT_MAX + 1] = "", location[BO_PEOPLE_TEXT_MAX + 1] = "",
         role[BO_PEOPLE_TEXT_MAX + 1] = "";
    int64_t taken = 0;
    int found = 0, has = 0;
    int rc = bo__store_row(b->store, SQL_OPEN_GET, &found, "i>tttt?i", c->id, day, sizeof day,
                           shift, sizeof shift, location, sizeof location, role, sizeof role,
                           &has, &taken);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "open_shift: no open shift %" PRId64, c->id);
    if ((rc = bo__require_at(b, BO__P_PEOPLE_WRITE, location)))
        return rc;
    if (has)
        return bo__error_set(BO_ESTATE, "open_shift: %" PRId64 " is already claimed", c->id);
    bo__ppl_type t;
    bo_date d;
    if (bo_date_parse(day, &d))
        return bo__error_set(BO_ECORRUPT, "people_open_shifts: bad date");
    if ((rc = bo__ppl_type_get(b, shift, &t)) ||
        (rc = bo__ppl_assign(b, c->emp, d, &t, location, role, &c->shift_id)) ||
        (rc = bo__store_run(b->store, SQL_OPEN_CLAIM, "ii", c->shift_id, c->id)))
        return rc;
    char object[40], detail[40];
    open_object(c->id, object);
    snprintf(detail, sizeof detail, "shift:%" PRId64, c->shift_id);
    return bo__audit_append(b, "people.open_shift.claim", object, detail);
}

int bo_people_open_shift_claim(bo_book *book, int64_t id, const char *number,
                               int64_t *shift_id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct open_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_WRITE)) ||
        (rc = bo__pay_employee_id(book, number, &c.emp)) || (rc = bo__write(book, claim_tx, &c)))
        return rc;
    if (shift_id)
        *shift_id = c.shift_id;
    return 0;
}

static const char SQL_OPENS[] =
    "SELECT o.id, o.date, o.shift, o.location, o.role, CASE WHEN o.shift_id IS NULL THEN"
    " 'open' ELSE 'claimed' END, e.number, o.shift_id FROM people_open_shifts o"
    " LEFT JOIN people_shifts s ON s.id = o.shift_id"
    " LEFT JOIN pay_employees e ON e.id = s.employee_id"
    " WHERE " BO__SCOPE_SQL("o.location") " AND (CAST(? AS TEXT) IS NULL OR o.location = ?)"
    " AND o.date >= ? AND o.date <= ? ORDER BY o.date, o.id";
static const bo__col OPEN_COLS[] = {
    { "id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT }, { "shift", BO_TYPE_TEXT },
    { "location", BO_TYPE_TEXT }, { "role", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "claimed_by", BO_TYPE_TEXT }, { "shift_id", BO_TYPE_INT },
};

int bo_people_open_shifts(bo_book *book, const char *location, bo_date from, bo_date to,
                          bo_cursor **out)
{
    bo__error_clear();
    return bo__ppl_listing(book, location, from, to, SQL_OPENS, OPEN_COLS, 8, out, "ttdd",
                           location, location, from, to);
}

/* ---- swaps ------------------------------------------------------------------------- */

static const char SQL_SHIFT_GET[] =
    "SELECT s.employee_id, s.date, s.shift, s.location, s.published,"
    " (SELECT COUNT(*) FROM people_attendance a WHERE a.shift_id = s.id)"
    " FROM people_shifts s WHERE s.id = ?";
static const char SQL_SWAP_PENDING[] =
    "SELECT COUNT(*) FROM people_swaps WHERE shift_id = ? AND status IN ('proposed',"
    " 'accepted')";
static const char SQL_SWAP_ADD[] =
    "INSERT INTO people_swaps (shift_id, from_employee, to_employee, status)"
    " VALUES (?, ?, ?, 'proposed') RETURNING id";
static const char SQL_SWAP_ADD_PLAIN[] =
    "INSERT INTO people_swaps (shift_id, from_employee, to_employee, status)"
    " VALUES (?, ?, ?, 'proposed')";
static const char SQL_SWAP_GET[] =
    "SELECT shift_id, from_employee, to_employee, status FROM people_swaps WHERE id = ?";
static const char SQL_SWAP_STATUS[] = "UPDATE people_swaps SET status = ? WHERE id = ?";
static const char SQL_SHIFT_MOVE[] =
    "UPDATE people_shifts SET employee_id = ? WHERE id = ? AND employee_id = ?";
static const char SQL_SHIFT_PARK[] = "UPDATE people_shifts SET end_at = start_at WHERE id = ?";
static const char SQL_SHIFT_UNPARK[] = "UPDATE people_shifts SET end_at = ? WHERE id = ?";

typedef struct shift_row {
    int64_t emp, published, results;
    char date[11], shift[BO_PEOPLE_TEXT_MAX + 1], location[BO_PEOPLE_TEXT_MAX + 1];
} shift_row;

static int shift_get(bo_book *b, int64_t id, shift_row *r)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_SHIFT_GET, &found, "i>itttii", id, &r->emp, r->date,
                           sizeof r->date, r->shift, sizeof r->shift, r->location,
                           sizeof r->location, &r->published, &r->results);
    if (!rc && !found)
        return bo__error_set(BO_ENOTFOUND, "shift: no shift %" PRId64, id);
    return rc;
}

struct swap_ctx {
    int64_t shift_id, to, id;
    int yes;
    const char *key;
    char digest[BO_HASH_HEX_SIZE];
};

static int swap_object(int64_t id, char out[40])
{
    snprintf(out, 40, "swap:%" PRId64, id);
    return 0;
}

static int propose_tx(bo_book *b, void *p)
{
    struct swap_ctx *c = p;
    shift_row r;
    int64_t pending = 0;
    int replay = 0, rc = shift_get(b, c->shift_id, &r);
    if (rc || (rc = bo__require_at(b, BO__P_PEOPLE_WRITE, r.location)) ||
        (rc = key_claim(b, c->key, "swap", c->digest, &c->id, &replay)) || replay ||
        (rc = bo__store_row(b->store, SQL_SWAP_PENDING, NULL, "i>i", c->shift_id, &pending)))
        return rc;
    if (r.results)
        return bo__error_set(BO_ESTATE, "shift: %" PRId64 " has an attendance result",
                             c->shift_id);
    if (pending)
        return bo__error_set(BO_ESTATE, "shift: a swap of shift %" PRId64 " is pending",
                             c->shift_id);
    if (r.emp == c->to)
        return bo__error_set(BO_ESTATE, "number: the colleague already has shift %" PRId64,
                             c->shift_id);
    if ((rc = bo__store_insert(b->store, SQL_SWAP_ADD, SQL_SWAP_ADD_PLAIN, &c->id, "iii",
                               c->shift_id, r.emp, c->to)) ||
        (rc = key_keep(b, c->key, "swap", c->id, c->digest)))
        return rc;
    char object[40], detail[40];
    swap_object(c->id, object);
    snprintf(detail, sizeof detail, "shift:%" PRId64, c->shift_id);
    return bo__audit_append(b, "people.swap.propose", object, detail);
}

int bo_people_swap_propose(bo_book *book, int64_t shift_id, const char *number, int64_t *id)
{
    return bo_people_swap_propose_keyed(book, shift_id, number, NULL, id);
}

int bo_people_swap_propose_keyed(bo_book *book, int64_t shift_id, const char *number,
                                 const char *key, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct swap_ctx c;
    memset(&c, 0, sizeof c);
    c.shift_id = shift_id;
    c.key = key;
    int rc;
    if ((rc = bo__require(book, BO__P_PEOPLE_WRITE)) || (rc = bo__idem_check(key)) ||
        (rc = bo__pay_employee_id(book, number, &c.to)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "people.swap");
    bo__buf_field_int(&d, shift_id);
    bo__buf_field(&d, number);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(book, propose_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

typedef struct swap_row {
    int64_t shift_id, from, to;
    char status[16];
} swap_row;

static int swap_get(bo_book *b, int64_t id, swap_row *w, const char *want)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_SWAP_GET, &found, "i>iiit", id, &w->shift_id, &w->from,
                           &w->to, w->status, sizeof w->status);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "swap: no swap %" PRId64, id);
    if (strcmp(w->status, want) != 0)
        return bo__error_set(BO_ESTATE, "swap: %" PRId64 " is %s, not %s", id, w->status, want);
    return 0;
}

static int accept_tx(bo_book *b, void *p)
{
    struct swap_ctx *c = p;
    swap_row w;
    int rc = swap_get(b, c->id, &w, "proposed");
    const char *status = c->yes ? "accepted" : "declined";
    if (rc || (rc = bo__ppl_require_shift(b, BO__P_PEOPLE_WRITE, w.shift_id)) ||
        (rc = bo__store_run(b->store, SQL_SWAP_STATUS, "ti", status, c->id)))
        return rc;
    char object[40];
    swap_object(c->id, object);
    return bo__audit_append(b, c->yes ? "people.swap.accept" : "people.swap.decline", object,
                            "");
}

int bo_people_swap_accept(bo_book *book, int64_t id, int accept)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_WRITE);
    if (rc)
        return rc;
    struct swap_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.yes = accept != 0;
    return bo__write(book, accept_tx, &c);
}

static int decide_tx(bo_book *b, void *p)
{
    struct swap_ctx *c = p;
    swap_row w;
    shift_row r;
    int rc = swap_get(b, c->id, &w, "accepted");
    if (rc || (rc = shift_get(b, w.shift_id, &r)) ||
        (rc = bo__require_at(b, BO__P_PEOPLE_APPROVE, r.location)))
        return rc;
    char object[40];
    swap_object(c->id, object);
    if (!c->yes) {
        if ((rc = bo__store_run(b->store, SQL_SWAP_STATUS, "ti", "refused", c->id)))
            return rc;
        return bo__audit_append(b, "people.swap.refuse", object, "");
    }
    if (r.results || r.emp != w.from)
        return bo__error_set(BO_ESTATE, "shift: %" PRId64 " changed since the swap was"
                             " proposed", w.shift_id);
    /* The colleague's rules, with the shift itself out of the way (its
     * own hours must not count against them twice). */
    bo__ppl_type t;
    bo_date d;
    int rule = 0;
    int64_t span;
    if (bo_date_parse(r.date, &d))
        return bo__error_set(BO_ECORRUPT, "people_shifts: bad date");
    if ((rc = bo__ppl_type_get(b, r.shift, &t)))
        return rc;
    span = bo__ppl_type_span(&t);
    if ((rc = bo__store_run(b->store, SQL_SHIFT_PARK, "i", w.shift_id)) ||
        (rc = bo__ppl_rules(b, w.to, d, &t, r.location, &rule)) ||
        (rc = bo__store_run(b->store, SQL_SHIFT_UNPARK, "ii",
                            BO__PPL_AT(d, t.start) + span, w.shift_id)) ||
        (rc = bo__store_run(b->store, SQL_SHIFT_MOVE, "iii", w.to, w.shift_id, w.from)) ||
        (rc = bo__store_run(b->store, SQL_SWAP_STATUS, "ti", "approved", c->id)) ||
        (rc = bo__audit_touch(b, "shift", w.shift_id)))
        return rc;
    char detail[40];
    snprintf(detail, sizeof detail, "shift:%" PRId64, w.shift_id);
    if ((rc = bo__audit_append(b, "people.swap.approve", object, detail)))
        return rc;
    return r.published ? bo__event_queue(b, "shift.published", w.shift_id) : 0;
}

int bo_people_swap_decide(bo_book *book, int64_t id, int approve)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PEOPLE_APPROVE);
    if (rc)
        return rc;
    struct swap_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.yes = approve != 0;
    return bo__write(book, decide_tx, &c);
}

static const char SQL_SWAPS[] =
    "SELECT w.id, w.shift_id, s.date, f.number, t.number, w.status FROM people_swaps w"
    " JOIN people_shifts s ON s.id = w.shift_id JOIN pay_employees f ON f.id = w.from_employee"
    " JOIN pay_employees t ON t.id = w.to_employee WHERE " BO__SCOPE_SQL("s.location")
    " AND s.date >= ? AND s.date <= ? ORDER BY w.id";
static const bo__col SWAP_COLS[] = {
    { "id", BO_TYPE_INT }, { "shift_id", BO_TYPE_INT }, { "date", BO_TYPE_TEXT },
    { "from_employee", BO_TYPE_TEXT }, { "to_employee", BO_TYPE_TEXT },
    { "status", BO_TYPE_TEXT },
};

int bo_people_swaps(bo_book *book, bo_date from, bo_date to, bo_cursor **out)
{
    bo__error_clear();
    return bo__ppl_listing(book, NULL, from, to, SQL_SWAPS, SWAP_COLS, 6, out, "dd", from, to);
}
