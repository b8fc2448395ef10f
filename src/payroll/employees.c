/* Employees: personal and pay data, written with payroll.write and read
 * only with payroll.read, every read audited. The tax, social security and
 * bank identifiers are sealed with the host's key (src/core/crypt.c), bound
 * to the employee and the field, and opened only when read. */
#include "payroll/run.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO pay_employees (number, name, start_date) VALUES (?, ?, ?)"
    " ON CONFLICT (number) DO NOTHING";

struct add_ctx {
    const char *number, *name;
    char start[11];
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    int rc = bo__store_run(b->store, SQL_ADD, "ttt", c->number, c->name, c->start);
    if (rc)
        return rc;
    if (bo__store_changes(b->store) != 1)
        return bo__error_set(BO_EEXISTS, "number: an employee with this number exists");
    int64_t id;
    if ((rc = bo__pay_employee_id(b, c->number, &id)))
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, id);
    return bo__audit_append(b, "payroll.employee.add", object, "");
}

int bo_payroll_employee_add(bo_book *book, const char *number, const char *name,
                        bo_date start)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_WRITE);
    if (rc || (rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false)) ||
        (rc = bo__text_check("name", name, BO_PAYROLL_TEXT_MAX, false, false)))
        return rc;
    struct add_ctx c = { number, name, "" };
    if ((rc = bo__pay_date_text(start, c.start)))
        return bo__error_prefix("start: ");
    return bo__write(book, add_tx, &c);
}

/* Settable fields; the SQL of each is a static string (cache key). sealed:
 * an identifier, stored encrypted. */
static const struct field {
    const char *name;
    const char *sql;
    int required, date, sealed;
} FIELDS[] = {
#define F(n, req, date, sealed) \
    { #n, "UPDATE pay_employees SET " #n " = ? WHERE id = ?", req, date, sealed }
    F(name, 1, 0, 0), F(contact, 0, 0, 0), F(tax_id, 0, 0, 1), F(social_id, 0, 0, 1),
    F(bank_account, 0, 0, 1), F(start_date, 1, 1, 0), F(end_date, 0, 1, 0),
    F(department, 0, 0, 0), F(cost_center, 0, 0, 0), F(pay_group, 0, 0, 0),
    F(tax_status, 0, 0, 0), F(risk_class, 0, 0, 0), F(recipient, 0, 0, 0),
#undef F
};

/* What a sealed identifier is bound to: the employee and the field, so a
 * value copied to another row or column does not open. */
static void seal_ad(int64_t id, const char *field, char out[80])
{
    snprintf(out, 80, "employee:%" PRId64 ":%s", id, field);
}

int bo__pay_open_id(bo_book *book, int64_t emp_id, const char *field, const char *stored,
                    char **out)
{
    char ad[80];
    *out = NULL;
    if (!stored)
        return 0;
    seal_ad(emp_id, field, ad);
    return bo__unseal_text(book->key, field, ad, stored, out);
}

struct set_ctx {
    const struct field *f;
    int64_t id;
    const char *value;
};

static int set_tx(bo_book *b, void *p)
{
    struct set_ctx *c = p;
    int rc = bo__store_run(b->store, c->f->sql, "ti", c->value, c->id);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "employee:%" PRId64, c->id);
    /* The field's name is recorded, never its value. */
    return bo__audit_append(b, "payroll.employee.set", object, c->f->name);
}

int bo_payroll_employee_set(bo_book *book, const char *number, const char *field,
                        const char *value)
{
    bo__error_clear();
    if (!book || !field)
        return bo__error_set(BO_EINVAL, "book/field: NULL");
    int rc = bo__require(book, BO__P_PAYROLL_WRITE);
    if (rc)
        return rc;
    const struct field *f = NULL;
    for (size_t k = 0; k < sizeof FIELDS / sizeof FIELDS[0]; k++)
        if (strcmp(FIELDS[k].name, field) == 0)
            f = &FIELDS[k];
    if (!f) {
        char q[80];
        bo__quote(field, 32, q, sizeof q);
        return bo__error_set(BO_EINVAL, "field: unknown field \"%s\"", q);
    }
    if ((rc = bo__text_check(f->name, value, BO_PAYROLL_TEXT_MAX, !f->required, false)))
        return rc;
    if (f->date && value) {
        bo_date d;
        if (bo_date_parse(value, &d))
            return bo__error_set(BO_EINVAL, "%s: expected YYYY-MM-DD", f->name);
    }
    if (f->sealed && value && !book->key)
        return bo__error_set(BO_EKEY, "%s: employee identifiers are stored encrypted, "
                             "and this handle has no key (bo_document_set_encryption_key)", f->name);
    struct set_ctx c = { f, 0, value };
    if ((rc = bo__pay_employee_id(book, number, &c.id)) ||
        (rc = bo__pay_bank_approval(book, number, f->name, value)))
        return rc;
    char *sealed = NULL;
    if (f->sealed && value) {
        char ad[80];
        seal_ad(c.id, f->name, ad);
        if ((rc = bo__seal_text(book->key, ad, value, &sealed)))
            return rc;
        c.value = sealed;
    }
    rc = bo__write(book, set_tx, &c);
    bo__free(sealed);
    return rc;
}

static const char SQL_GET[] =
    "SELECT number, name, contact, tax_id, social_id, bank_account, start_date,"
    " end_date, department, cost_center, pay_group, tax_status, risk_class,"
    " recipient FROM pay_employees WHERE id = ?";
/* The row handed out: its values, identifiers opened, bound back. */
#define T "CAST(? AS TEXT)"
static const char SQL_GET_OUT[] =
    "SELECT " T ", " T ", " T ", " T ", " T ", " T ", " T ", " T ", " T ", " T ", " T
    ", " T ", " T ", " T;
#undef T
#define GET_N 14
static const bo__col GET_COLS[] = {
    { "number", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT }, { "contact", BO_TYPE_TEXT },
    { "tax_id", BO_TYPE_TEXT }, { "social_id", BO_TYPE_TEXT },
    { "bank_account", BO_TYPE_TEXT }, { "start_date", BO_TYPE_TEXT },
    { "end_date", BO_TYPE_TEXT }, { "department", BO_TYPE_TEXT },
    { "cost_center", BO_TYPE_TEXT }, { "pay_group", BO_TYPE_TEXT },
    { "tax_status", BO_TYPE_TEXT }, { "risk_class", BO_TYPE_TEXT },
    { "recipient", BO_TYPE_TEXT },
};

/* The employee's row, its identifiers opened with the handle's key. */
static int row_read(bo_book *b, int64_t id, char *v[GET_N])
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_GET, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", id))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            rc = 0;
            for (int k = 0; k < GET_N && !rc; k++) {
                const char *t = bo__stmt_is_null(s, k) ? NULL : bo__stmt_col_text(s, k);
                if (t && !(v[k] = bo__strdup(t)))
                    rc = BO_ENOMEM;
            }
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "employee: not found");
        }
    }
    bo__stmt_done(s);
    for (int k = 3; k <= 5 && !rc; k++) { /* tax_id, social_id, bank_account */
        if (!v[k])
            continue;
        char ad[80], *plain = NULL;
        seal_ad(id, GET_COLS[k].name, ad);
        if ((rc = bo__unseal_text(b->key, GET_COLS[k].name, ad, v[k], &plain)))
            break;
        bo__free(v[k]);
        v[k] = plain;
    }
    return rc;
}

int bo_payroll_employee_get(bo_book *book, const char *number, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int64_t id;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_employee_id(book, number, &id)))
        return rc;
    char *v[GET_N] = { 0 };
    if (!(rc = row_read(book, id, v)) &&
        !(rc = bo__pay_audit_read_id(book, "payroll.employee.read", "employee", id)) &&
        !(rc = bo__cursor_new(book, SQL_GET_OUT, GET_COLS, GET_N, out))) {
        for (int k = 0; k < GET_N && !rc; k++)
            rc = bo__stmt_text(bo__cursor_stmt(*out), k + 1, v[k]);
        if (rc) {
            bo_cursor_free(*out);
            *out = NULL;
        }
    }
    for (int k = 0; k < GET_N; k++) {
        if (v[k])
            sodium_memzero(v[k], strlen(v[k]));
        bo__free(v[k]);
    }
    return rc;
}

#define LIST_COLS "SELECT number, name, department, cost_center, pay_group," \
    " start_date, end_date FROM pay_employees"
static const char SQL_LIST[] = LIST_COLS " ORDER BY number";
/* instr() exists on SQLite and as strpos() on PostgreSQL; LIKE with the
 * pattern escaped works on both. */
static const char SQL_SEARCH[] = LIST_COLS
    " WHERE number LIKE ? ESCAPE '!' OR name LIKE ? ESCAPE '!' ORDER BY number";
static const bo__col LIST_COLUMNS[] = {
    { "number", BO_TYPE_TEXT }, { "name", BO_TYPE_TEXT },
    { "department", BO_TYPE_TEXT }, { "cost_center", BO_TYPE_TEXT },
    { "pay_group", BO_TYPE_TEXT }, { "start_date", BO_TYPE_TEXT },
    { "end_date", BO_TYPE_TEXT },
};

int bo_payroll_employees(bo_book *book, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__pay_audit_read(book, "payroll.employee.list", "employees")))
        return rc;
    return bo__listing(book, 0, NULL, SQL_LIST, LIST_COLUMNS, 7, out, "");
}

int bo_payroll_employee_search(bo_book *book, const char *text, bo_cursor **out)
{
    bo__error_clear();
    if (!book || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc = bo__require(book, BO__P_PAYROLL_READ);
    if (rc || (rc = bo__text_check("text", text, BO_PAYROLL_TEXT_MAX, false, true)))
        return rc;
    bo__buf pat = BO__BUF_INIT;
    bo__buf_puts(&pat, "%");
    for (const char *s = text; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '!')
            bo__buf_put(&pat, "!", 1);
        bo__buf_put(&pat, s, 1);
    }
    bo__buf_put(&pat, "%", 2); /* with the NUL */
    if (pat.failed) {
        bo__buf_free(&pat);
        return BO_ENOMEM;
    }
    if (!(rc = bo__pay_audit_read(book, "payroll.employee.search", "employees")))
        rc = bo__listing(book, 0, NULL, SQL_SEARCH, LIST_COLUMNS, 7, out, "tt", pat.ptr,
                         pat.ptr);
    bo__buf_free(&pat);
    return rc;
}

static const char SQL_EMP_ID[] = "SELECT id FROM pay_employees WHERE number = ?";

int bo__pay_employee_id(bo_book *book, const char *number, int64_t *id)
{
    int rc = bo__text_check("number", number, BO_PAYROLL_TEXT_MAX, false, false);
    int found;
    if (rc || (rc = bo__store_row(book->store, SQL_EMP_ID, &found, "t>i", number, id)))
        return rc;
    /* The number is an identifier: it is not repeated here. */
    return found ? 0 : bo__error_set(BO_ENOTFOUND, "number: no such employee");
}
