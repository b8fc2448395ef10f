/* Fiscal periods and closing. */
#include "ledger/ledger.h"

#include <stdio.h>

static const char SQL_OVERLAP[] =
    "SELECT name FROM periods WHERE name = ? OR (start_date <= ? AND end_date >= ?)";
static const char SQL_ADD[] =
    "INSERT INTO periods (name, start_date, end_date) VALUES (?, ?, ?)";
static const char SQL_STATE[] = "SELECT closed FROM periods WHERE name = ?";
static const char SQL_CLOSE[] = "UPDATE periods SET closed = 1 WHERE name = ?";
static const char SQL_LIST[] =
    "SELECT name, start_date, end_date, closed FROM periods ORDER BY start_date";

struct period_ctx {
    const char *name;
    char start[11], end[11];
};

static int add_tx(bo_book *b, void *p)
{
    struct period_ctx *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_LEDGER_ADMIN)))
        return rc;
    char other[BO_CODE_MAX + 1];
    int found;
    if ((rc = bo__store_row(b->store, SQL_OVERLAP, &found, "ttt>t", c->name, c->end,
                            c->start, other, sizeof other)))
        return rc;
    if (found)
        return bo__error_set(BO_EEXISTS, "period '%s': overlaps or has the name of "
                             "period '%s'", c->name, other);
    if ((rc = bo__store_run(b->store, SQL_ADD, "ttt", c->name, c->start, c->end)))
        return rc;
    char detail[32];
    snprintf(detail, sizeof detail, "%s..%s", c->start, c->end);
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "period:%s", c->name);
    return bo__audit_append(b, "ledger.period.add", object, detail);
}

int bo_ledger_period_add(bo_book *b, const char *name, bo_date start, bo_date end)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("name", name, BO_CODE_MAX, false, false);
    if (rc)
        return rc;
    struct period_ctx c = { name, "", "" };
    int y, m, d;
    if (bo_date_to_ymd(start, &y, &m, &d) || bo_date_to_ymd(end, &y, &m, &d))
        return bo__error_set(BO_EINVAL, "period '%s': start or end outside "
                             "0001-01-01..9999-12-31", name);
    if (end < start)
        return bo__error_set(BO_EINVAL, "period '%s': end is before start", name);
    bo__date_iso(start, c.start);
    bo__date_iso(end, c.end);
    return bo__write(b, add_tx, &c);
}

static int close_tx(bo_book *b, void *p)
{
    const char *name = p;
    int rc;
    if ((rc = bo__require(b, BO__P_LEDGER_ADMIN)))
        return rc;
    int found, closed = 0;
    if ((rc = bo__store_row(b->store, SQL_STATE, &found, "t>i", name, &closed)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "period '%s': not found", name);
    if (closed)
        return bo__error_set(BO_ESTATE, "period '%s': already closed", name);
    char object[BO_CODE_MAX + 16];
    snprintf(object, sizeof object, "period:%s", name);
    if ((rc = bo__store_run(b->store, SQL_CLOSE, "t", name)) ||
        (rc = bo__audit_append(b, "ledger.period.close", object, "")) ||
        (rc = bo__event_queue(b, "period.closed", 0)))
        return rc;
    return bo__book_bump_generation(b);
}

int bo_ledger_period_close(bo_book *b, const char *name)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("name", name, BO_CODE_MAX, false, false);
    if (rc)
        return rc;
    return bo__write(b, close_tx, (void *)name);
}

static const bo__col list_cols[] = {
    { "name", BO_TYPE_TEXT }, { "start", BO_TYPE_TEXT },
    { "end", BO_TYPE_TEXT }, { "closed", BO_TYPE_INT },
};

int bo_ledger_periods(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_LIST, list_cols, 4, out, "");
}

/* Whether a date lies in a fiscal period, for records that must (payments):
 * a book that defines no periods has no such rule. */
static const char SQL_COVERS[] =
    "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM periods) OR EXISTS (SELECT 1"
    " FROM periods WHERE start_date <= ? AND end_date >= ?) THEN 1 ELSE 0 END";

int bo__period_covers(bo_book *b, const char *field, const char *date)
{
    int found, covered = 0;
    int rc = bo__store_row(b->store, SQL_COVERS, &found, "tt>i", date, date, &covered);
    if (!rc && !found)
        return bo__error_set(BO_ERROR, "periods: no answer");
    if (!rc && !covered)
        rc = bo__error_set(BO_EPERIOD, "%s: %s lies outside every fiscal period",
                           field, date);
    return rc;
}
