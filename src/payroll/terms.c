/* Pay terms with effective dates: a history, never overwritten, so a
 * backdated change shows which periods were paid on the old terms. */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const SCHEDULES[] = { NULL, "monthly", "semi-monthly",
                                         "bi-weekly", "weekly" };

int bo_payroll_schedule_parse(const char *name)
{
    bo__error_clear();
    for (int i = 1; name && i <= 4; i++)
        if (strcmp(SCHEDULES[i], name) == 0)
            return i;
    return bo__error_set(BO_EINVAL, "schedule: expected monthly, semi-monthly, "
                         "bi-weekly or weekly");
}

static const char SQL_TERMS_ADD[] =
    "INSERT INTO pay_terms (employee_id, effective, kind, amount, schedule,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?)";

struct terms_ctx {
    int64_t id, amount;
    char effective[11];
    const char *kind;
    int schedule;
};

static int terms_tx(bo_book *b, void *p)
{
    struct terms_ctx *c = p;
    char now[64];
    bo__now_iso(now);
    int rc = bo__store_run(b->store, SQL_TERMS_ADD, "ittiit", c->id, c->effective, c->kind,
                           c->amount, c->schedule, now);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    /* No amount in the audit detail: the log is readable with audit.read. */
    return bo__audit_append(b, "payroll.terms.set", object, c->effective);
}

int bo_payroll_terms_set(bo_book *book, const char *number, bo_date effective,
                     const char *kind, int64_t amount, int schedule)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_WRITE);
    if (rc)
        return rc;
    if (!kind || (strcmp(kind, "salary") != 0 && strcmp(kind, "hourly") != 0))
        return bo__error_set(BO_EINVAL, "kind: expected salary or hourly");
    if (amount < 0)
        return bo__error_set(BO_EINVAL, "amount: negative");
    if (schedule < BO_PAYROLL_MONTHLY || schedule > BO_PAYROLL_WEEKLY)
        return bo__error_set(BO_EINVAL, "schedule: not a schedule");
    struct terms_ctx c = { 0, amount, "", kind, schedule };
    if ((rc = bo__pay_date_text(effective, c.effective)))
        return bo__error_prefix("effective: ");
    if ((rc = bo__pay_employee_id(book, number, &c.id)) ||
        (rc = bo__pay_terms_approval(book, number, effective, kind, amount, schedule)))
        return rc;
    return bo__write(book, terms_tx, &c);
}

static const char SQL_TERMS[] =
    "SELECT effective, kind, amount, CASE schedule WHEN 1 THEN 'monthly'"
    " WHEN 2 THEN 'semi-monthly' WHEN 3 THEN 'bi-weekly' ELSE 'weekly' END,"
    " recorded_at FROM pay_terms WHERE employee_id = ? ORDER BY effective, id";
static const bo__col TERMS_COLS[] = {
    { "effective", BO_TYPE_TEXT }, { "kind", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
    { "schedule", BO_TYPE_TEXT }, { "recorded_at", BO_TYPE_TEXT },
};

int bo_payroll_terms(bo_book *book, const char *number, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int64_t id;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_employee_id(book, number, &id)))
        return rc;
    if ((rc = bo__pay_audit_read_id(book, "payroll.terms.read", "employee", id)))
        return rc;
    return bo__listing(book, 0, NULL, SQL_TERMS, TERMS_COLS, 5, out, "i", id);
}
