/*
 * Billing internals shared by the files of src/billing: settings, numbering,
 * exchange rates, open amounts, and small statement helpers.
 */
#ifndef BO_BILLING_BILLING_H
#define BO_BILLING_BILLING_H

#include "core/book.h"
#include "core/domain.h"
#include "ledger/ledger.h"
#include "commerce/commerce.h"

/* Document status. */
enum { BO__BILL_DRAFT = 0, BO__BILL_POSTED = 1, BO__BILL_REVERSED = 2 };

/* +1 when the document is a debit on the party's account (a sales invoice,
 * a vendor's credit note), -1 otherwise. */
int bo__bill_party_sign(int kind);
/* 1 for the receivable side (sales documents), 2 for payables. */
int bo__bill_side(int kind);
const char *bo__bill_kind_name(int kind);

/* A setting's value into out (size bytes): 1 when set, 0 when not, < 0 on
 * a store error. */
int bo__bill_setting(bo_book *book, const char *key, char *out, size_t size);
/* An IBAN (ISO 13616: country, check digits, 11..30 letters and digits,
 * mod 97 = 1) or a BIC (ISO 9362: 8 or 11), else BO_EINVAL naming field. */
int bo__iban_check(const char *field, const char *iban);
int bo__bic_check(const char *field, const char *bic);
/* The version whose part gave recurring schedules their start and count
 * (billing_v19_recurring_start). */
#define BO__SCHEMA_BILL_RECURRING_START 19
/* The descriptor's seed hook: the upgrade to version 12 carries the audit
 * states of bill_settings over to the settings table; the upgrade to
 * version 19 those of the recurring schedules it gave two columns. */
int bo__bill_seed(bo_book *b, int from);
/* The account a setting names, or BO_EINVAL naming the missing setting. */
int bo__bill_setting_account(bo_book *book, const char *key,
                             char out[BO_CODE_MAX + 1]);

/* Take the next number of series (created "CODE-"/1 on first use) inside
 * the caller's transaction. want > 0 must be that number (BO_ESEQUENCE). */
int bo__bill_number_take(bo_book *book, const char *series, int64_t want,
                         int64_t *number);
/* Its two steps. _next: the number the series gives next, checked the
 * same way, and whether the series is *made yet; writes nothing. _use:
 * take that number (making the series first when it is not). */
int bo__bill_number_next(bo_book *book, const char *series, int64_t want,
                         int64_t *number, int *made);
int bo__bill_number_use(bo_book *book, const char *series, int64_t number, int made);

/* The rate of currency on ISO date (latest on or before): num/den, or 1/1
 * for the book currency. BO_ENORATE names the currency and date. */
int bo__bill_rate(bo_book *book, const char *currency, const char *date,
                  int64_t *num, int64_t *den);
/* amount of currency at num/den into book-currency minor units, rounded
 * half-even once. BO_EOVERFLOW. */
int bo__bill_to_base(bo_book *book, int64_t amount, const char *currency,
                     int64_t num, int64_t den, int64_t *base);

/* A posted document's facts for settling it. */
typedef struct bo__bill_doc {
    int64_t id;
    int kind;
    int status;
    char party[BO_CODE_MAX + 1];
    char currency[BO_CURRENCY_MAX + 1];
    char account[BO_CODE_MAX + 1]; /* receivable or payable */
    char date[11];
    char post_date[11]; /* "" for a draft */
    int64_t total, base_total;
    int64_t open;      /* what is due now: total - settled; 0 unless posted */
    int64_t open_base; /* carried book-currency value of open */
} bo__bill_doc;
int bo__bill_doc_load(bo_book *book, int64_t id, bo__bill_doc *doc);

/* The book-currency value that settling `amount` of doc takes off it: a
 * proportional share, or everything left when it settles the rest. */
int bo__bill_carried(const bo__bill_doc *doc, int64_t amount, int64_t *base);

/* Add a posting of `amount` in the document currency to account, with its
 * book-currency value `base`: in the document currency (with the value
 * beside it when foreign) when the account is kept in it, else in the book
 * currency at the value. Zero amounts are skipped. */
int bo__bill_add(bo_book *book, bo_entry *e, const char *account,
                 int64_t amount, const char *currency, int64_t base,
                 const char *memo);

/* Record an allocation row. */
int bo__bill_alloc_insert(bo_book *book, int64_t invoice, int64_t payment,
                          int64_t credit, const char *date, int64_t amount,
                          int64_t write_off, int64_t base, int64_t entry);

/* A report cursor over ?1 = from, ?2 = to (ISO), after billing.read. */
int bo__bill_period_cursor(bo_book *b, const char *sql, const bo__col *cols, int n,
                           bo_date from, bo_date to, bo_cursor **out);

/* Check a date argument. */
int bo__bill_date_ok(const char *field, bo_date d);
/* The checks before credit is applied to a document (a payment's,
 * payments.c, or a credit note's, credit_note.c): the actor may post, the
 * date is a date and the amount positive. */
int bo__bill_apply_ok(bo_book *book, int64_t amount, bo_date date);

/* Post inside a transaction: draft id at date (invoice_post.c). */
int bo__bill_invoice_post_tx(bo_book *book, int64_t id, bo_date date,
                             int64_t *entry);
/* bo_billing_invoice_post() of a foreign-currency document at the exact
 * rate num/den (book-currency units per unit of its currency) instead of
 * the book's rate of the date: an importer's, whose source posted the
 * document at a rate of its own (a book-currency one ignores it). */
int bo__bill_invoice_post_at(bo_book *book, int64_t id, bo_date date, int64_t num,
                             int64_t den, int64_t *entry);
/* A foreign-currency payment of an importer whose source moved the
 * currency alone: worth the carried value of what it settles (no exchange
 * difference), its unapplied part at the exact rate num/den instead of the
 * book's rate of the date (payments.c). */
int bo__payment_set_rate(bo_payment *payment, int64_t num, int64_t den);
/* Apply amount of posted credit note `credit` to posted document `invoice`
 * of its side, party, currency and party account, dated date: an
 * allocation and no entry (credit_note.c). An importer's (GnuCash links a
 * credit note's lot with an invoice's). BO_EPAYMENT (more than either has
 * open, another party, currency or account), BO_ENOTSUP (the two carry the
 * amount at different book-currency values), BO_EDATE, BO_ESTATE. */
int bo__bill_credit_note_apply(bo_book *book, int64_t credit, int64_t invoice,
                               int64_t amount, bo_date date);

/* Till sales on account (sale_account.c). The receivable account of a
 * customer for a sale in the book currency: the party's, else the
 * receivable_account setting. */
int bo__bill_sale_account(bo_book *book, const char *customer,
                          char out[BO_CODE_MAX + 1]);
/* Record the part of sale_id left on account (due) as a posted sales
 * invoice of customer on account, whose receivable the sale's entry already
 * debited; revenue names its one line's account. */
int bo__bill_sale_invoice(bo_book *book, const char *customer, bo_date date,
                          int64_t due, const char *account, const char *revenue,
                          int64_t sale_id, int64_t entry, int64_t *invoice);

/* Its YAML section (config_billing.c), applied by the book layer. */
int bo__cfg_section_billing(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

/* ---- the domain (domain_billing.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_billing;
extern const bo__schema_part bo__parts_billing[];
extern const bo__table bo__tables_billing[];
extern const int bo__ntables_billing;
extern const bo__vdomain bo__verify_billing;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_billing[4];
#define BO__P_BILLING_READ (bo__perms_billing[0])
#define BO__P_BILLING_POST (bo__perms_billing[1])
#define BO__P_BILLING_ADMIN (bo__perms_billing[2])
#define BO__P_BANK_RECONCILE (bo__perms_billing[3])

/* The approval gate of a payment (payments.c) and its kind
 * (approval_billing.c): 0 to go on, BO_EPENDING when it waits. */
int bo__bill_payment_approval(bo_book *book, const bo_payment *payment);
extern const struct bo__approval_kind bo__approval_billing_payment;
/* The approval gate of posting a draft credit note (approval_billing.c). */
int bo__bill_credit_approval(bo_book *book, int64_t id, bo_date date);
extern const struct bo__approval_kind bo__approval_billing_credit;

/* The accounts a book's use marks as cash or as working capital, for the
 * cash-flow statements (billing/cashflow.c, reports/cashflow.c), as SQL
 * over the tables of billing, commerce, inventory and payroll (a book has
 * them all). BO__BILLING_CASH_WHERE is a condition on an account row `a`:
 * the accounts payments went through, bank statements were imported for,
 * a till takes payment into, pay runs were paid from.
 * BO__BILLING_OPERATING_CODES selects the codes of working capital (column
 * `code`, maybe NULL): party, invoice, tax, stock and payroll accounts. */
#define BO__BILLING_CASH_WHERE \
    " a.code IN" \
    "  (SELECT account FROM bill_payments UNION SELECT account FROM bill_statements" \
    "   UNION SELECT value FROM settings WHERE key LIKE 'inventory.payment.%')" \
    "  OR a.id IN (SELECT p.account_id FROM pay_runs r" \
    "   JOIN " BO__LEDGER_POSTINGS " p ON p.entry_id = r.payment_id WHERE p.amount < 0)"
#define BO__BILLING_OPERATING_CODES \
    " SELECT account AS code FROM bill_invoices WHERE account IS NOT NULL" \
    "  UNION SELECT account FROM bill_invoice_taxes" \
    "  UNION SELECT sales_account FROM tax_rates UNION SELECT purchase_account FROM tax_rates" \
    "  UNION SELECT value FROM settings" \
    "   WHERE key IN ('billing.receivable_account', 'billing.payable_account')" \
    "  UNION SELECT receivable_account FROM parties" \
    "  UNION SELECT payable_account FROM parties" \
    "  UNION SELECT value FROM settings WHERE key LIKE 'inventory.account.%'" \
    "  UNION SELECT inventory_account FROM inv_locations" \
    "  UNION SELECT a.code FROM " BO__LEDGER_POSTINGS " p" \
    "   JOIN " BO__LEDGER_ACCOUNTS " a ON a.id = p.account_id" \
    "   WHERE p.entry_id IN (SELECT entry_id FROM pay_runs" \
    "    UNION SELECT payment_id FROM pay_runs)"

#endif
