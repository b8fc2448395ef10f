/* What the audit chain covers in the billing tables (see
 * src/core/verify.h). All are records of their own, their states stored
 * with each change (the settings are the core's, kind "setting"): number
 * series, documents (an invoice or bill with its lines, taxes and the
 * allocations that settle it), payments,
 * exchange rates (per currency), revaluations (per date), bank statements,
 * statement lines (with their matches to postings) and recurring
 * documents. The calls that change a record their audit record does not
 * name touch it: taking a number from a series, settling a document,
 * advancing a recurring document. */
#include "core/verify.h"

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

const bo__vdomain bo__verify_billing = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0,
    aliases, BO__VN(aliases),
};
