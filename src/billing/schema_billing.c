/* The billing tables: this part's migration and its list of tables for copying
 * a book (see src/store/schema.c). */
#include "billing/billing.h"

#include <stddef.h>

/* Version 4 also gave the ledger's postings their book-currency value
 * (postings.base_amount): the ledger's part of that version, in
 * src/ledger/schema_ledger.c. */
/* The settings (accounts, the write-off limit) are rows "billing.<key>" of
 * the core's settings table since version 12; books made before kept them
 * in bill_settings, which that version moves and drops (billing_v12). */
const char *const bo__ddl_billing[] = {
    /* One row per series: the next number is taken and advanced inside the
     * posting transaction, so a rolled-back post leaves no gap. */
    "CREATE TABLE bill_series ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " prefix TEXT{TEXT_C} NOT NULL,"
    " next_number BIGINT NOT NULL CHECK (next_number >= 1),"
    " used BIGINT NOT NULL DEFAULT 0)",

    /* status: 0 draft, 1 posted, 2 reversed. Amounts in the document
     * currency; base_total in the book currency at rate_num/rate_den. */
    "CREATE TABLE bill_invoices ("
    " id {ID},"
    " kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),"
    " status INTEGER NOT NULL DEFAULT 0,"
    " series TEXT{TEXT_C} NOT NULL,"
    " number BIGINT,"
    " want_number BIGINT,"
    " party TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " due_date TEXT{TEXT_C} NOT NULL,"
    " post_date TEXT{TEXT_C},"
    " rev_date TEXT{TEXT_C},"
    " currency TEXT{TEXT_C} NOT NULL,"
    " inclusive INTEGER NOT NULL,"
    " account TEXT{TEXT_C},"
    " net BIGINT NOT NULL,"
    " tax BIGINT NOT NULL,"
    " total BIGINT NOT NULL,"
    " rate_num BIGINT,"
    " rate_den BIGINT,"
    " base_total BIGINT,"
    " entry_id BIGINT REFERENCES entries(id),"
    " rev_entry_id BIGINT REFERENCES entries(id),"
    " credits BIGINT REFERENCES bill_invoices(id),"
    " reference TEXT{TEXT_C},"
    " memo TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " sale_id BIGINT," /* version 9 (bo__ddl_billing_sale) */
    " UNIQUE (series, number))",
    "CREATE INDEX bill_invoices_by_party ON bill_invoices (party, date)",

    "CREATE TABLE bill_invoice_lines ("
    " invoice_id BIGINT NOT NULL REFERENCES bill_invoices(id),"
    " line INTEGER NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " description TEXT{TEXT_C} NOT NULL,"
    " quantity BIGINT NOT NULL,"
    " unit_price BIGINT NOT NULL,"
    " discount_ppm BIGINT NOT NULL,"
    " tax_category TEXT{TEXT_C},"
    " net BIGINT NOT NULL,"
    " tax BIGINT NOT NULL,"
    " gross BIGINT NOT NULL,"
    " PRIMARY KEY (invoice_id, line))",

    /* The document's tax per rate (summed over its lines). */
    "CREATE TABLE bill_invoice_taxes ("
    " invoice_id BIGINT NOT NULL REFERENCES bill_invoices(id),"
    " seq INTEGER NOT NULL,"
    " rate TEXT{TEXT_C} NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " base BIGINT NOT NULL,"
    " amount BIGINT NOT NULL,"
    " PRIMARY KEY (invoice_id, seq))",

    "CREATE TABLE bill_payments ("
    " id {ID},"
    " kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 2),"
    " party TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL CHECK (amount > 0),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " rate_num BIGINT NOT NULL,"
    " rate_den BIGINT NOT NULL,"
    " base_amount BIGINT NOT NULL,"
    " entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " reference TEXT{TEXT_C},"
    " memo TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} NOT NULL UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX bill_payments_by_party ON bill_payments (party, date)",

    /* What settles a document, dated: a payment's share (payment_id), a
     * credit note's (credit_id), a write-off. base is the book-currency
     * value the allocation takes off the document (its carried value), so
     * open items keep an exact carried value for revaluation. Nothing here
     * is ever updated: aging as of a past date reads only rows dated up to
     * that date. */
    "CREATE TABLE bill_allocations ("
    " id {ID},"
    " invoice_id BIGINT NOT NULL REFERENCES bill_invoices(id),"
    " payment_id BIGINT REFERENCES bill_payments(id),"
    " credit_id BIGINT REFERENCES bill_invoices(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " write_off BIGINT NOT NULL,"
    " base BIGINT NOT NULL,"
    " entry_id BIGINT REFERENCES entries(id))",
    "CREATE INDEX bill_allocations_by_invoice ON bill_allocations (invoice_id, date)",
    "CREATE INDEX bill_allocations_by_payment ON bill_allocations (payment_id, date)",
    "CREATE INDEX bill_allocations_by_credit ON bill_allocations (credit_id, date)",

    /* rate = num / den book-currency units per unit (exact decimal). */
    "CREATE TABLE bill_rates ("
    " currency TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " num BIGINT NOT NULL CHECK (num > 0),"
    " den BIGINT NOT NULL CHECK (den > 0),"
    " text TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (currency, date))",

    "CREATE TABLE bill_revaluations ("
    " date TEXT{TEXT_C} PRIMARY KEY,"
    " entry_id BIGINT REFERENCES entries(id),"
    " reversal_id BIGINT REFERENCES entries(id))",

    "CREATE TABLE bill_statements ("
    " id {ID},"
    " account TEXT{TEXT_C} NOT NULL,"
    " currency TEXT{TEXT_C} NOT NULL,"
    " format TEXT{TEXT_C} NOT NULL,"
    " opening BIGINT NOT NULL,"
    " closing BIGINT NOT NULL,"
    " lines BIGINT NOT NULL,"
    " duplicates BIGINT NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0)",

    /* status: 0 unmatched, 1 matched, 2 created. hash identifies a bank
     * line per account (its bank reference, or date + amount + text), so a
     * line in two overlapping files is stored once. */
    "CREATE TABLE bill_statement_lines ("
    " id {ID},"
    " statement_id BIGINT NOT NULL REFERENCES bill_statements(id),"
    " line_no BIGINT NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " reference TEXT{TEXT_C},"
    " memo TEXT{TEXT_C} NOT NULL,"
    " hash TEXT{TEXT_C} NOT NULL UNIQUE,"
    " status INTEGER NOT NULL DEFAULT 0,"
    " entry_id BIGINT REFERENCES entries(id))",
    "CREATE INDEX bill_statement_lines_by_statement ON bill_statement_lines"
    " (statement_id, line_no)",

    /* A posting is reconciled once: (entry_id, posting_line) is its key. */
    "CREATE TABLE bill_bank_matches ("
    " entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " posting_line INTEGER NOT NULL,"
    " line_id BIGINT NOT NULL REFERENCES bill_statement_lines(id),"
    " account TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " PRIMARY KEY (entry_id, posting_line))",
    "CREATE INDEX bill_bank_matches_by_account ON bill_bank_matches (account)",

    /* A schedule: occurrence k falls on start_date + k * months (the
     * start's day, clamped to the month's end: bo__date_next_occurrence);
     * made counts the occurrences run, next_date is occurrence made.
     * start_date and made: version 19 (billing_v19_recurring_start). */
    "CREATE TABLE bill_recurring ("
    " id {ID},"
    " template_id BIGINT NOT NULL REFERENCES bill_invoices(id),"
    " months INTEGER NOT NULL,"
    " next_date TEXT{TEXT_C} NOT NULL,"
    " start_date TEXT{TEXT_C},"
    " made BIGINT NOT NULL DEFAULT 0)",
    NULL
};

/* Version 9: the till sale whose part on account an invoice records (new
 * books have the column from their CREATE statement above). */
const char *const bo__ddl_billing_sale[] = {
    "ALTER TABLE bill_invoices ADD COLUMN sale_id BIGINT",
    NULL
};

const bo__table bo__tables_billing[] = {
    { "bill_series", "code, prefix, next_number, used", "ttii", "code", NULL },
    { "bill_invoices", "id, kind, status, series, number, want_number, party,"
      " date, due_date, post_date, rev_date, currency, inclusive, account, net,"
      " tax, total, rate_num, rate_den, base_total, entry_id, rev_entry_id,"
      " credits, reference, memo, idem_key, digest, sale_id",
      "iiitii" "tttttt" "it" "iiiiiiiii" "tttt" "i", "id", "id" },
    { "bill_invoice_lines", "invoice_id, line, account, description, quantity,"
      " unit_price, discount_ppm, tax_category, net, tax, gross", "iittiiitiii",
      "invoice_id, line", NULL },
    { "bill_invoice_taxes", "invoice_id, seq, rate, account, base, amount",
      "iittii", "invoice_id, seq", NULL },
    { "bill_payments", "id, kind, party, date, amount, currency, account,"
      " rate_num, rate_den, base_amount, entry_id, reference, memo, idem_key,"
      " digest", "iittittiiiitttt", "id", "id" },
    { "bill_allocations", "id, invoice_id, payment_id, credit_id, date, amount,"
      " write_off, base, entry_id", "iiiitiiii", "id", "id" },
    { "bill_rates", "currency, date, num, den, text", "ttiit", "currency, date", NULL },
    { "bill_revaluations", "date, entry_id, reversal_id", "tii", "date", NULL },
    { "bill_statements", "id, account, currency, format, opening, closing, lines,"
      " duplicates, closed", "itttiiiii", "id", "id" },
    { "bill_statement_lines", "id, statement_id, line_no, date, amount, reference,"
      " memo, hash, status, entry_id", "iiititttii", "id", "id" },
    { "bill_bank_matches", "entry_id, posting_line, line_id, account, amount",
      "iiiti", "entry_id, posting_line", NULL },
    { "bill_recurring", "id, template_id, months, next_date, start_date, made", "iiitti",
      "id", "id" },
};
const int bo__ntables_billing = sizeof bo__tables_billing / sizeof bo__tables_billing[0];

/* Version 10: an index a full verification needs to read the matches in
 * the order of their bank lines (src/billing/verify_billing.c). */
static const char *const billing_v10[] = {
    "CREATE INDEX bill_bank_matches_by_line ON bill_bank_matches (line_id)",
    NULL
};

/* Its parts of the schema, by version (src/store/schema.c). */
/* Version 12, for books made before it: the settings move to the core's
 * table as "billing.<key>" (their audit states are carried over by the
 * seed hook: bo__bill_seed). */
static const char *const billing_v12[] = {
    "INSERT INTO settings (key, value)"
    " SELECT 'billing.' || key, value FROM bill_settings",
    "DROP TABLE bill_settings",
    NULL
};

/* Version 19, for books made before it: a schedule counts its dates from
 * its start instead of stepping from the last one (which drifted: Jan 31,
 * Feb 28, Mar 28, ...). A schedule made before starts at its next date,
 * none made, so its next occurrence is the one it had; the states the
 * audit chain recorded for them are carried over (bo__bill_seed). A new
 * book has the columns from its CREATE statement above. */
static const char *const billing_v19_recurring_start[] = {
    "ALTER TABLE bill_recurring ADD COLUMN start_date TEXT{TEXT_C}",
    "ALTER TABLE bill_recurring ADD COLUMN made BIGINT NOT NULL DEFAULT 0",
    "UPDATE bill_recurring SET start_date = next_date",
    NULL
};

const bo__schema_part bo__parts_billing[] = {
    { 4, bo__ddl_billing, 0, NULL },
    { 9, bo__ddl_billing_sale, 4, NULL }, /* the till sale behind an invoice */
    { 10, billing_v10, 0, NULL },
    { 12, billing_v12, 4, NULL }, /* bill_settings into the settings table */
    { 19, billing_v19_recurring_start, 4, NULL }, /* schedules from their start */
    { 0, NULL, 0, NULL },
};
