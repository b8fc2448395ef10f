/* The commerce tables (schema version 2): tax rates and categories,
 * parties. Account codes are kept as text and checked when written: the
 * domains post by code, as the ledger API does. */
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <stddef.h>

const char *const bo__ddl_commerce[] = {
    "CREATE TABLE tax_rates ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " name TEXT{TEXT_C} NOT NULL,"
    " rate_ppm BIGINT NOT NULL CHECK (rate_ppm BETWEEN 0 AND 10000000),"
    " sales_account TEXT{TEXT_C} NOT NULL,"
    " purchase_account TEXT{TEXT_C} NOT NULL,"
    " compound INTEGER NOT NULL)",

    /* rates: the rate codes in order, space-separated ("" = exempt). */
    "CREATE TABLE tax_categories ("
    " code TEXT{TEXT_C} PRIMARY KEY,"
    " name TEXT{TEXT_C} NOT NULL,"
    " rates TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE parties ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " roles INTEGER NOT NULL CHECK (roles BETWEEN 1 AND 3),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " tax_id TEXT{TEXT_C},"
    " email TEXT{TEXT_C},"
    " phone TEXT{TEXT_C},"
    " address TEXT{TEXT_C},"
    " terms_days INTEGER NOT NULL DEFAULT 30,"
    " receivable_account TEXT{TEXT_C},"
    " payable_account TEXT{TEXT_C},"
    " revenue_account TEXT{TEXT_C},"
    " expense_account TEXT{TEXT_C},"
    " active INTEGER NOT NULL DEFAULT 1)",
    NULL
};

/* The tax lines' columns and key: version 7's table and version 21's copy
 * of it on SQLite are made with the same text. */
#define TAX_LINES_COLS \
    " entry_id BIGINT NOT NULL REFERENCES entries(id)," \
    " seq INTEGER NOT NULL," \
    " date TEXT{TEXT_C} NOT NULL," \
    " source TEXT{TEXT_C} NOT NULL," \
    " side INTEGER NOT NULL CHECK (side IN (1, 2))," \
    " rate TEXT{TEXT_C} NOT NULL," \
    " account TEXT{TEXT_C} NOT NULL," \
    " currency TEXT{TEXT_C} NOT NULL," \
    " base BIGINT NOT NULL," \
    " amount BIGINT NOT NULL," \
    " book BIGINT NOT NULL," \
    " PRIMARY KEY (entry_id, seq))"

/* Schema version 7: the tax lines of posted entries (see commerce.h), read
 * by the tax report beside the postings of the tax accounts. Signed as the
 * report shows them: a credit note or a return negative. The entries made
 * before are filled in from what their documents kept: invoices and bills
 * per rate (a foreign document whose rates share one tax account puts that
 * account's book-currency value on its first rate), till sales per rate,
 * returns of lines taxed at one rate (a return of a line with several
 * rates kept its total only, and is left to the report's "other"). */
const char *const bo__ddl_tax_lines[] = {
    "CREATE TABLE tax_lines (" TAX_LINES_COLS "{CLUSTERED}",
    "CREATE INDEX tax_lines_by_date ON tax_lines (date, entry_id)",

    "INSERT INTO tax_lines (entry_id, seq, date, source, side, rate, account,"
    " currency, base, amount, book)"
    " SELECT i.entry_id, t.seq, i.post_date, 'invoice:' || CAST(i.id AS TEXT),"
    " CASE WHEN i.kind IN (1, 3) THEN 1 ELSE 2 END, t.rate, t.account, i.currency,"
    " CASE WHEN i.kind IN (1, 2) THEN t.base ELSE -t.base END,"
    " CASE WHEN i.kind IN (1, 2) THEN t.amount ELSE -t.amount END,"
    " CASE WHEN i.currency = (SELECT value FROM bo_meta WHERE key = 'base_currency')"
    "  THEN CASE WHEN i.kind IN (1, 2) THEN t.amount ELSE -t.amount END"
    "  WHEN t.seq = (SELECT MIN(t2.seq) FROM bill_invoice_taxes t2"
    "   WHERE t2.invoice_id = t.invoice_id AND t2.account = t.account)"
    "  THEN CASE WHEN i.kind IN (1, 3) THEN -1 ELSE 1 END"
    "   * COALESCE((SELECT SUM(p.book_amount) FROM " BO__LEDGER_POSTINGS " p"
    "   JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id"
    "   WHERE p.entry_id = i.entry_id AND a.code = t.account), 0)"
    "  ELSE 0 END"
    " FROM bill_invoice_taxes t JOIN bill_invoices i ON i.id = t.invoice_id"
    " WHERE i.entry_id IS NOT NULL",

    "INSERT INTO tax_lines (entry_id, seq, date, source, side, rate, account,"
    " currency, base, amount, book)"
    " SELECT s.entry_id, ROW_NUMBER() OVER (PARTITION BY s.entry_id"
    " ORDER BY x.rate, x.account), s.date, 'inv.sale:' || CAST(s.id AS TEXT), 1,"
    " x.rate, x.account, (SELECT value FROM bo_meta WHERE key = 'base_currency'),"
    " SUM(x.base), SUM(x.amount), SUM(x.amount)"
    " FROM (SELECT t.sale_id, t.rate, t.account, t.amount, l.net + CASE WHEN"
    "  COALESCE((SELECT r.compound FROM tax_rates r WHERE r.code = t.rate), 0) = 1"
    "  THEN COALESCE((SELECT SUM(t2.amount) FROM inv_sale_taxes t2"
    "   WHERE t2.sale_id = t.sale_id AND t2.line = t.line AND t2.seq < t.seq), 0)"
    "  ELSE 0 END AS base"
    "  FROM inv_sale_taxes t JOIN inv_sale_lines l"
    "  ON l.sale_id = t.sale_id AND l.line = t.line) x"
    " JOIN inv_sales s ON s.id = x.sale_id WHERE s.entry_id IS NOT NULL"
    " GROUP BY s.id, s.entry_id, s.date, x.rate, x.account",

    "INSERT INTO tax_lines (entry_id, seq, date, source, side, rate, account,"
    " currency, base, amount, book)"
    " SELECT rt.entry_id, 1, rt.date, 'inv.return:' || CAST(rt.id AS TEXT), 1,"
    " t.rate, t.account, (SELECT value FROM bo_meta WHERE key = 'base_currency'),"
    " -rt.net, -rt.tax, -rt.tax"
    " FROM inv_returns rt JOIN inv_sale_taxes t"
    " ON t.sale_id = rt.sale_id AND t.line = rt.line"
    " WHERE rt.entry_id IS NOT NULL AND (SELECT COUNT(*) FROM inv_sale_taxes t2"
    "  WHERE t2.sale_id = rt.sale_id AND t2.line = rt.line) = 1",
    NULL
};

const bo__table bo__tables_commerce[] = {
    { "tax_rates", "code, name, rate_ppm, sales_account, purchase_account, compound",
      "ttitti", "code", NULL },
    { "tax_categories", "code, name, rates", "ttt", "code", NULL },
    { "parties", "id, code, name, roles, currency, tax_id, email, phone, address,"
      " terms_days, receivable_account, payable_account, revenue_account,"
      " expense_account, active", "ittitttttitttti", "id", "id" },
    { "tax_lines", "entry_id, seq, date, source, side, rate, account, currency, base,"
      " amount, book", "iittittt" "iii", "entry_id, seq", NULL },
};
const int bo__ntables_commerce = 4;

/* Version 21, on SQLite: the tax lines stored by their key (entry, seq)
 * (WITHOUT ROWID, as the postings), not in a rowid table beside an index
 * of the key: every sale, invoice and return wrote a page of each, one WAL
 * frame less now. Readers find them by entry or, through tax_lines_by_date,
 * by date; none reads their rowid. A book made at version 7 or later has
 * its rows copied (a book made before gets the table in this shape from
 * version 7). PostgreSQL's table is a heap and the key's index either way. */
static const char *const commerce_v21_tax_lines[] = {
    "{SQLITE}CREATE TABLE tax_lines_v21 (" TAX_LINES_COLS "{CLUSTERED}",
    "{SQLITE}INSERT INTO tax_lines_v21 (entry_id, seq, date, source, side, rate, account,"
    " currency, base, amount, book) SELECT entry_id, seq, date, source, side, rate, account,"
    " currency, base, amount, book FROM tax_lines",
    "{SQLITE}DROP TABLE tax_lines",
    "{SQLITE}ALTER TABLE tax_lines_v21 RENAME TO tax_lines",
    "{SQLITE}CREATE INDEX tax_lines_by_date ON tax_lines (date, entry_id)",
    NULL
};

/* Its parts of the schema, by version (src/store/schema.c). */
const bo__schema_part bo__parts_commerce[] = {
    { 2, bo__ddl_commerce, 0, NULL },
    { 7, bo__ddl_tax_lines, 0, NULL }, /* the tax lines of posted entries */
    { 21, commerce_v21_tax_lines, 7, NULL }, /* a new book makes it so at 7 */
    { 0, NULL, 0, NULL },
};
