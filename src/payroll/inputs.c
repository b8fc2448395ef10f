/* Dated pay inputs (input.NAME in a pack: allowances, bonuses, zakat paid
 * through the employer...) and previous employers' withholding slips of
 * the same tax year (previous.bruto, .neto, .tax). Both are records of the
 * employee, audited, never overwritten: a correction is a further record
 * (a negative input, for instance). */
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_INPUT_ADD[] =
    "INSERT INTO pay_inputs (employee_id, name, date_from, date_to, amount,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?)";

struct input_ctx {
    int64_t id, amount;
    const char *name;
    char from[11], to[11];
};

static int input_tx(bo_book *b, void *p)
{
    struct input_ctx *c = p;
    char now[64];
    bo__now_iso(now);
    int rc = bo__store_run(b->store, SQL_INPUT_ADD, "itttit", c->id, c->name, c->from,
                           c->to, c->amount, now);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    /* No amount in the audit detail: the log is readable with audit.read. */
    return bo__audit_append(b, "payroll.input.set", object, c->name);
}

int bo_payroll_input_add(bo_book *book, const char *number, const char *name,
                         bo_date from, bo_date to, int64_t amount)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_WRITE);
    if (rc || (rc = bo__text_check("name", name, 64, false, false)))
        return rc;
    int ok = (*name >= 'a' && *name <= 'z') || *name == '_';
    for (const char *s = name; *s && ok; s++)
        ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_';
    if (!ok)
        return bo__error_set(BO_EINVAL, "name: an input name is [a-z_][a-z0-9_]*");
    if (to < from)
        return bo__error_set(BO_EINVAL, "to: before from");
    struct input_ctx c = { 0, amount, name, "", "" };
    if ((rc = bo__pay_date_text(from, c.from)))
        return bo__error_prefix("from: ");
    if ((rc = bo__pay_date_text(to, c.to)))
        return bo__error_prefix("to: ");
    if ((rc = bo__pay_employee_id(book, number, &c.id)))
        return rc;
    return bo__write(book, input_tx, &c);
}

int bo_payroll_previous_init(bo_payroll_previous *slip, unsigned int version)
{
    bo__error_clear();
    if (!slip || version != BO_PAYROLL_PREVIOUS_VERSION)
        return bo__error_set(BO_EINVAL, "slip: version %u is not %d", version,
                             BO_PAYROLL_PREVIOUS_VERSION);
    bo_payroll_previous init = BO_PAYROLL_PREVIOUS_INIT;
    *slip = init;
    return 0;
}

static const char SQL_PREV_ADD[] =
    "INSERT INTO pay_previous (employee_id, year, period_start, period_end, bruto,"
    " neto, tax, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_EMP_START[] = "SELECT start_date FROM pay_employees WHERE id = ?";

struct prev_ctx {
    int64_t id;
    const bo_payroll_previous *s;
    char start[11], end[11];
};

static int prev_tx(bo_book *b, void *p)
{
    struct prev_ctx *c = p;
    char hired[11] = "", now[64];
    int found, rc = bo__store_row(b->store, SQL_EMP_START, &found, "i>t", c->id, hired,
                                  sizeof hired);
    if (rc)
        return rc;
    if (found && strcmp(c->end, hired) >= 0)
        return bo__error_set(BO_EINVAL, "period_end: %s is not before the employee's "
                             "start with this employer", c->end);
    bo__now_iso(now);
    if ((rc = bo__store_run(b->store, SQL_PREV_ADD, "iittiiit", c->id, (int64_t)c->s->year,
                            c->start, c->end, c->s->bruto, c->s->neto, c->s->tax, now)))
        return rc;
    char object[40], detail[16];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    snprintf(detail, sizeof detail, "%d", c->s->year);
    return bo__audit_append(b, "payroll.previous.add", object, detail);
}

int bo_payroll_previous_add(bo_book *book, const char *number,
                            const bo_payroll_previous *slip)
{
    bo__error_clear();
    if (!book || !slip)
        return bo__error_set(BO_EINVAL, "book/slip: NULL");
    if (slip->version != BO_PAYROLL_PREVIOUS_VERSION)
        return bo__error_set(BO_EINVAL, "slip: version %u is not %d", slip->version,
                             BO_PAYROLL_PREVIOUS_VERSION);
    int rc = bo__require(book, BO__P_PAYROLL_WRITE);
    if (rc)
        return rc;
    if (slip->year < 1900 || slip->year > 9999)
        return bo__error_set(BO_EINVAL, "year: %d is not a tax year", slip->year);
    struct prev_ctx c = { 0, slip, "", "" };
    if ((rc = bo__pay_date_text(slip->period_start, c.start)))
        return bo__error_prefix("period_start: ");
    if ((rc = bo__pay_date_text(slip->period_end, c.end)))
        return bo__error_prefix("period_end: ");
    if (atoi(c.start) != slip->year)
        return bo__error_set(BO_EINVAL, "period_start: %s is not in tax year %d "
                             "(a previous employer's slip counts in its own year)",
                             c.start, slip->year);
    if (atoi(c.end) != slip->year)
        return bo__error_set(BO_EINVAL, "period_end: %s is not in tax year %d "
                             "(a previous employer's slip counts in its own year)",
                             c.end, slip->year);
    if (slip->period_end < slip->period_start)
        return bo__error_set(BO_EINVAL, "period_end: before period_start");
    if (slip->bruto < 0 || slip->tax < 0)
        return bo__error_set(BO_EINVAL, "%s: negative", slip->bruto < 0 ? "bruto" : "tax");
    if (slip->neto > slip->bruto)
        return bo__error_set(BO_EINVAL, "neto: above bruto");
    if ((rc = bo__pay_employee_id(book, number, &c.id)))
        return rc;
    return bo__write(book, prev_tx, &c);
}
