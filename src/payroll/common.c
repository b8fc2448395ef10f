/* Helpers shared by the payroll files: ids, audited reads, periods,
 * one-row document cursors. */
#include "payroll/payroll.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_EMP_ID[] = "SELECT id FROM pay_employees WHERE number = ?";

int bo__pay_employee_id(bo_book *book, const char *number, int64_t *id)
{
    int rc = bo__text_check("number", number, BO_PAY_TEXT_MAX, false, false);
    if (rc)
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(book->store, SQL_EMP_ID, &s)))
        return rc;
    if (!(rc = bo__stmt_text(s, 1, number))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            *id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            /* The number is an identifier: it is not repeated here. */
            rc = bo__error_set(BO_ENOTFOUND, "number: no such employee");
        }
    }
    bo__stmt_done(s);
    return rc;
}

struct audit_ctx {
    const char *action, *object;
};

static int audit_tx(bo_book *b, void *p)
{
    struct audit_ctx *c = p;
    return bo__audit_append(b, c->action, c->object, "");
}

int bo__pay_audit_read(bo_book *book, const char *action, const char *object)
{
    struct audit_ctx c = { action, object };
    return bo__write(book, audit_tx, &c);
}

int bo__pay_audit_read_id(bo_book *book, const char *action, const char *kind,
                          int64_t id)
{
    char object[48];
    snprintf(object, sizeof object, "%s:%" PRId64, kind, id);
    return bo__pay_audit_read(book, action, object);
}

int bo__pay_date_text(bo_date d, char out[11])
{
    bo__date_iso(d, out);
    if (!out[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    return 0;
}

int bo__pay_period_check(bo_book *book, bo_date date, const char *what)
{
    char iso[11];
    const char *closed;
    int rc = bo__pay_date_text(date, iso);
    if (!rc)
        rc = bo__ledger_period_closed(book, iso, &closed);
    if (!rc && closed)
        rc = bo__error_set(BO_EPERIOD, "%s: %s lies in closed period '%s'", what,
                           iso, closed);
    return rc;
}

static const char SQL_DOCUMENT[] = "SELECT ? AS document";
static const bo__col DOC_COLS[] = { { "document", BO_TYPE_TEXT } };

int bo__pay_document_cursor(bo_book *book, const char *text, bo_cursor **out)
{
    int rc = bo__cursor_new(book, SQL_DOCUMENT, DOC_COLS, 1, out);
    if (!rc && (rc = bo__stmt_text(bo__cursor_stmt(*out), 1, text))) {
        bo_cursor_free(*out);
        *out = NULL;
    }
    return rc;
}
