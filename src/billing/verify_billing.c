/* What the audit chain covers in the billing tables (see
 * src/core/verify.h). All are records of their own, their states stored
 * with each change (the settings are the core's, kind "setting"): number
 * series, documents (an invoice or bill with its lines, taxes and the
 * allocations that settle it), payments,
 * exchange rates (per currency), revaluations (per date), bank statements,
 * statement lines (with their matches to postings) and recurring
 * documents. The calls that change a record their audit record does not
 * name touch it: taking a number from a series, settling a document,
 * advancing a recurring document. A check reads the schedules for a next
 * date before their start (a row altered outside the library, or a chain
 * that recorded it so). */
#include "core/verify.h"

#include <inttypes.h>
#include <stdio.h>

#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart series_parts[] = { P("bill_series", "t.code", "code") };
static const bo__vpart invoice_parts[] = {
    P("bill_invoices", "t.id", "id"),
    P("bill_invoice_lines", "t.invoice_id", "line"),
    P("bill_invoice_taxes", "t.invoice_id", "seq"),
    P("bill_allocations", "t.invoice_id", "date, id"),
};
static const bo__vpart payment_parts[] = { P("bill_payments", "t.id", "id") };
static const bo__vpart rate_parts[] = { P("bill_rates", "t.currency", "date") };
static const bo__vpart reval_parts[] = { P("bill_revaluations", "t.date", "date") };
static const bo__vpart statement_parts[] = { P("bill_statements", "t.id", "id") };
static const bo__vpart line_parts[] = {
    P("bill_statement_lines", "t.id", "id"),
    P("bill_bank_matches", "t.line_id", "entry_id, posting_line"),
};
static const bo__vpart recurring_parts[] = { P("bill_recurring", "t.id", "id") };

static const bo__vkind kinds[] = {
    { "series", 1, series_parts, BO__VN(series_parts) },
    { "invoice", 0, invoice_parts, BO__VN(invoice_parts) },
    { "payment", 0, payment_parts, BO__VN(payment_parts) },
    { "rate", 1, rate_parts, BO__VN(rate_parts) },
    { "revaluation", 1, reval_parts, BO__VN(reval_parts) },
    { "statement", 0, statement_parts, BO__VN(statement_parts) },
    { "statement-line", 0, line_parts, BO__VN(line_parts) },
    { "recurring", 0, recurring_parts, BO__VN(recurring_parts) },
};

/* The lines of a statement (an import, a matching run over it). */
static const char SQL_STATEMENT_LINES[] =
    "SELECT id FROM bill_statement_lines WHERE statement_id = ?";

static const bo__vaction actions[] = {
    { "billing.setting.set", NULL, NULL, NULL },
    { "billing.series.add", "series", "series:", NULL },
    { "billing.series.set_next", "series", "series:", NULL },
    { "billing.invoice.save", "invoice", "invoice:", NULL },
    { "billing.invoice.post", "invoice", "invoice:", NULL },
    { "billing.invoice.reverse", "invoice", "invoice:", NULL },
    { "billing.payment.post", "payment", "payment:", NULL },
    { "billing.credit.apply", "payment", "payment:", NULL },
    { "billing.credit_note.apply", "invoice", "invoice:", NULL },
    { "billing.rate.set", "rate", "rate:", NULL },
    { "billing.revaluation.post", "revaluation", "revaluation:", NULL },
    { "billing.recurring.add", "recurring", "recurring:", NULL },
    { "billing.statement.import", "statement", "statement:", NULL },
    { "billing.statement.import", "statement-line", "statement:", SQL_STATEMENT_LINES },
    { "billing.statement.match", "statement", "statement:", NULL },
    { "billing.statement.match", "statement-line", "statement:", SQL_STATEMENT_LINES },
    { "billing.statement_line.accept", "statement-line", "statement-line:", NULL },
    { "billing.statement_line.create", "statement-line", "statement-line:", NULL },
    { "billing.statement.close", "statement", "statement:", NULL },
    /* Settings are recorded by bo__setting_put (the core's kind "setting",
     * keyed "<domain>.<key>"; before version 12 the domain's own kind). */
};

/* The names written before 0.3 (books written by 0.1 and 0.2 keep them in
 * their chain; nothing writes them now), read as the actions they became. */
static const bo__valias aliases[] = {
    { "billing.setting", "billing.setting.set", NULL },
    { "billing.series_add", "billing.series.add", "" },
    { "billing.series_next", "billing.series.set_next", "" },
    { "billing.invoice_save", "billing.invoice.save", NULL },
    { "billing.invoice_post", "billing.invoice.post", NULL },
    { "billing.invoice_reverse", "billing.invoice.reverse", NULL },
    { "billing.payment", "billing.payment.post", NULL },
    { "billing.credit_apply", "billing.credit.apply", NULL },
    { "billing.rate", "billing.rate.set", "" },
    { "billing.revalue", "billing.revaluation.post", "" },
    { "billing.recurring_add", "billing.recurring.add", NULL },
    { "bank.import", "billing.statement.import", NULL },
    { "bank.match", "billing.statement.match", NULL },
    { "bank.accept", "billing.statement_line.accept", NULL },
    { "bank.create", "billing.statement_line.create", NULL },
    { "bank.close", "billing.statement.close", NULL },
};

/* A schedule's occurrences fall on its start and after it (made counts
 * them from 0), so its next date is never before its start date; a start
 * of NULL (a schedule older than version 19 the migration did not reach)
 * is not compared. Dates are ISO text: their order is the text's. */
static const char SQL_SCHEDULES_BEFORE_START[] =
    "SELECT id FROM bill_recurring WHERE start_date IS NOT NULL"
    " AND next_date < start_date ORDER BY id LIMIT 512";
static const char SQL_SCHEDULES_BEFORE_START_NEXT[] =
    "SELECT id FROM bill_recurring WHERE start_date IS NOT NULL"
    " AND next_date < start_date AND id > ? ORDER BY id LIMIT 512";

static int check_schedules(bo__verify *v)
{
    bo__vstream st;
    bo__vstream_init(&st, bo__verify_book(v)->store, SQL_SCHEDULES_BEFORE_START,
                     SQL_SCHEDULES_BEFORE_START_NEXT, "i");
    int rc;
    while ((rc = bo__vstream_next(&st)) == BO_DRIVER_ROW) {
        char rec[48];
        snprintf(rec, sizeof rec, "recurring %" PRId64, bo__stmt_col_int(st.s, 0));
        if ((rc = bo__verify_found(v, 0, "bill_recurring", rec, "next_date is before "
                                   "start_date (altered)")))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__vstream_close(&st);
    return rc;
}

/* The table is a kind's too (its rows' states); the check adds what a state
 * cannot tell: a row the chain recorded as it is, yet impossible. */
static const bo__vcheck checks[] = {
    { "bill_recurring", check_schedules },
};

const bo__vdomain bo__verify_billing = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), checks, BO__VN(checks),
    aliases, BO__VN(aliases),
};
