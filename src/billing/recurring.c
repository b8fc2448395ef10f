/*
 * Recurring documents: a posted or draft document is the template of a
 * schedule; each run copies it (lines and taxes as they were computed) for
 * every due date up to the run's date, and posts the copy. A copy carries
 * the key "recurring:<schedule>:<date>", so a rerun creates nothing twice.
 * Occurrence k falls on the start + k * months, the start's day clamped to
 * the month's end (util: bo__date_next_occurrence, the one schedule
 * arithmetic, as the ledger's recurring entries): a schedule from January
 * 31 runs on February 28, March 31, April 30. The row keeps its start, the
 * occurrences made and the next one due.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO bill_recurring (template_id, months, next_date, start_date, made)"
    " VALUES (?, ?, ?, ?, 0)"
    " RETURNING id";
static const char SQL_EXISTS[] = "SELECT kind FROM bill_invoices WHERE id = ?";

struct add_ctx {
    int64_t invoice;
    int months;
    char start[11];
    int64_t id;
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_EXISTS, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", c->invoice))) {
        rc = bo__stmt_step(s);
        rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
           : bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", c->invoice);
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__stmt_get(b->store, SQL_ADD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iitt", c->invoice, c->months, c->start, c->start))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            c->id = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "schedule: no id returned");
        }
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[32];
    snprintf(object, sizeof object, "recurring:%" PRId64, c->id);
    return bo__audit_append(b, "billing.recurring.add", object, c->start);
}

int bo_billing_recurring_add(bo_book *book, int64_t invoice, int months, bo_date start,
                          int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) || (rc = bo__bill_date_ok("start", start)))
        return rc;
    if (months < 1 || months > 120)
        return bo__error_set(BO_EINVAL, "months: outside 1..120");
    struct add_ctx c = { invoice, months, "", 0 };
    bo__date_iso(start, c.start);
    rc = bo__write(book, add_tx, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}

static const char SQL_DUE[] =
    "SELECT id, template_id, months, next_date, start_date, made FROM bill_recurring"
    " WHERE next_date <= ?"
    " ORDER BY next_date, id LIMIT 1";
static const char SQL_BY_KEY[] = "SELECT id, digest FROM bill_invoices WHERE idem_key = ?";
/* The copy: the template's terms (due - date in days) are applied in C. */
static const char SQL_COPY[] =
    "INSERT INTO bill_invoices (kind, status, series, party, date, due_date, currency,"
    " inclusive, account, net, tax, total, reference, memo, idem_key, digest)"
    " SELECT kind, 0, series, party, ?, ?, currency, inclusive, account, net, tax, total,"
    " reference, memo, ?, digest FROM bill_invoices WHERE id = ? RETURNING id";
static const char SQL_COPY_LINES[] =
    "INSERT INTO bill_invoice_lines (invoice_id, line, account, description, quantity,"
    " unit_price, discount_ppm, tax_category, net, tax, gross) SELECT ?, line, account,"
    " description, quantity, unit_price, discount_ppm, tax_category, net, tax, gross"
    " FROM bill_invoice_lines WHERE invoice_id = ?";
static const char SQL_COPY_TAXES[] =
    "INSERT INTO bill_invoice_taxes (invoice_id, seq, rate, account, base, amount)"
    " SELECT ?, seq, rate, account, base, amount FROM bill_invoice_taxes"
    " WHERE invoice_id = ?";
static const char SQL_TEMPLATE_DATES[] =
    "SELECT date, due_date, digest FROM bill_invoices WHERE id = ?";
static const char SQL_ADVANCE[] =
    "UPDATE bill_recurring SET next_date = ?, made = ? WHERE id = ?";

struct run_ctx {
    char as_of[11];
    int64_t created;
    int more;
};

static int one_tx(bo_book *b, void *p)
{
    struct run_ctx *c = p;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_DUE, &s);
    if (rc)
        return rc;
    int64_t id = 0, tmpl = 0, months = 0, made = 0;
    char next[11] = "", start[11] = "";
    if (!(rc = bo__stmt_bind(s, "t", c->as_of))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            id = bo__stmt_col_int(s, 0);
            tmpl = bo__stmt_col_int(s, 1);
            months = bo__stmt_col_int(s, 2);
            snprintf(next, sizeof next, "%s", bo__stmt_col_text(s, 3));
            const char *st = bo__stmt_col_text(s, 4);
            snprintf(start, sizeof start, "%s", st ? st : "");
            made = bo__stmt_col_int(s, 5);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    c->more = id != 0;
    if (rc || !id)
        return rc;
    bo_date d, td, tdue, nd, sd;
    char digest[65] = "";
    if ((rc = bo_date_parse(next, &d)) ||
        (rc = bo_date_parse(start, &sd)))
        return bo__error_prefix("recurring %" PRId64 ": ", id);
    if ((rc = bo__stmt_get(b->store, SQL_TEMPLATE_DATES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "i", tmpl))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            rc = bo_date_parse(bo__stmt_col_text(s, 0), &td);
            if (!rc)
                rc = bo_date_parse(bo__stmt_col_text(s, 1), &tdue);
            snprintf(digest, sizeof digest, "%s", bo__stmt_col_text(s, 2));
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ENOTFOUND, "document %" PRId64 ": not found", tmpl);
        }
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    char key[96], due[11];
    snprintf(key, sizeof key, "recurring:%" PRId64 ":%s", id, next);
    bo__date_iso(d + (tdue - td), due);
    int64_t doc = 0, entry;
    int state;
    /* The copy carries its template's digest: a rerun finds it by its key. */
    if ((rc = bo__idem_claim(b, SQL_BY_KEY, "billing document", key, digest, &doc, &state)))
        return rc;
    if (state == BO__IDEM_NEW) {
        if ((rc = bo__stmt_get(b->store, SQL_COPY, &s)))
            return rc;
        if (!(rc = bo__stmt_bind(s, "ttti", next, due, key, tmpl))) {
            rc = bo__stmt_step(s);
            if (rc == BO_DRIVER_ROW) {
                doc = bo__stmt_col_int(s, 0);
                rc = 0;
            } else if (rc >= 0) {
                rc = bo__error_set(BO_ERROR, "recurring: copy failed");
            }
        }
        bo__stmt_done(s);
        if (rc || (rc = bo__store_run(b->store, SQL_COPY_LINES, "ii", doc, tmpl)) ||
            (rc = bo__store_run(b->store, SQL_COPY_TAXES, "ii", doc, tmpl)))
            return rc;
        c->created++;
    }
    if ((rc = bo__bill_invoice_post_tx(b, doc, d, &entry)))
        return bo__error_prefix("recurring %" PRId64 " on %s: ", id, next);
    /* The occurrence after this one, counted from the start (stepping from
     * the last date would keep a clamped day: Jan 31, Feb 28, Mar 28). */
    if ((rc = bo__date_next_occurrence(sd, BO_RECUR_MONTH, (int)months, d, &nd)))
        return bo__error_prefix("recurring %" PRId64 ": ", id);
    char nexts[11];
    bo__date_iso(nd, nexts);
    if ((rc = bo__store_run(b->store, SQL_ADVANCE, "tii", nexts, made + 1, id)))
        return rc;
    return bo__audit_touch(b, "recurring", id);
}

int bo_billing_recurring_run(bo_book *book, bo_date as_of, int64_t *created)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_BILLING_POST)) || (rc = bo__bill_date_ok("as_of", as_of)))
        return rc;
    struct run_ctx c = { "", 0, 1 };
    bo__date_iso(as_of, c.as_of);
    /* One document a transaction: those before a failure stay posted. */
    for (int guard = 0; c.more && guard < 100000 && !rc; guard++)
        rc = bo__write(book, one_tx, &c);
    if (created)
        *created = c.created;
    return rc;
}
