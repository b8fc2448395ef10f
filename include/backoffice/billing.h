/**
 * @file backoffice/billing.h
 * @brief Invoices and bills, payments, open items and aging, statements of
 *        account, tax and cash-flow reports, bank reconciliation and
 *        multi-currency (exchange rates, realized and unrealized gains).
 *
 * Documents are built with a #bo_invoice builder (not tied to a book),
 * saved as drafts (no number), then posted: posting assigns the next number
 * of the document's series and writes one balanced journal entry in the same
 * transaction, so a rolled-back post leaves no gap. Posted documents are
 * never edited: a credit note or a reversal corrects them.
 *
 * Amounts are int64 minor units of the document's currency. Quantities are
 * fixed-point with #BO_BILLING_QTY_SCALE (1000 = one unit). Discounts and tax
 * rates are in millionths (100000 = 10 %). Dates are #bo_date.
 *
 * Exchange rates are exact decimals ("1.0850": book-currency units per unit
 * of the foreign currency, at most 9 fraction digits). The rate used for a
 * date is the latest one on or before it; a currency without such a rate is
 * BO_ENORATE. Book-currency amounts are rounded half-even to the minor unit.
 *
 * Permissions: billing.read for listings and reports, billing.post for
 * documents and payments, billing.admin for settings, series and rates,
 * bank.reconcile for statements and matching.
 *
 * Limits: codes up to #BO_CODE_MAX bytes, texts up to #BO_TEXT_MAX bytes
 * (valid UTF-8), #BO_BILLING_LINES_MAX lines a document, #BO_BILLING_ALLOC_MAX
 * allocations a payment, statements up to #BO_BILLING_STATEMENT_MAX bytes and
 * #BO_BILLING_STATEMENT_LINES_MAX lines.
 */
#ifndef BACKOFFICE_BILLING_H
#define BACKOFFICE_BILLING_H

#include "book.h"
#include "cursor.h"
#include "date.h"
#include "ledger.h"

BO_BEGIN_DECLS

/** Document kinds. */
typedef enum bo_invoice_kind {
    BO_INVOICE_SALES = 1,           /**< an invoice to a customer */
    BO_INVOICE_PURCHASE = 2,        /**< a bill from a vendor */
    BO_INVOICE_SALES_CREDIT = 3,    /**< a credit note to a customer */
    BO_INVOICE_PURCHASE_CREDIT = 4  /**< a credit note from a vendor */
} bo_invoice_kind;

/** Payment directions. */
typedef enum bo_payment_kind {
    BO_PAYMENT_RECEIVED = 1, /**< from a customer (settles sales invoices) */
    BO_PAYMENT_MADE = 2      /**< to a vendor (settles bills) */
} bo_payment_kind;

/** Sides of the open items, for aging. */
typedef enum bo_billing_side {
    BO_BILLING_RECEIVABLE = 1, /**< what customers owe */
    BO_BILLING_PAYABLE = 2     /**< what the business owes vendors */
} bo_billing_side;

/** Fixed-point scale of quantities: 1000 means one unit. */
#define BO_BILLING_QTY_SCALE 1000
/** Most lines in one document. */
#define BO_BILLING_LINES_MAX 1000
/** Most allocations in one payment. */
#define BO_BILLING_ALLOC_MAX 1000
/** Largest bank statement accepted, in bytes. */
#define BO_BILLING_STATEMENT_MAX (64 * 1024 * 1024)
/** Most lines in one bank statement. */
#define BO_BILLING_STATEMENT_LINES_MAX 100000

/* ---- documents ----------------------------------------------------------- */

/** An invoice, bill or credit note being built (opaque). Not tied to a book. */
typedef struct bo_invoice bo_invoice;

/**
 * Start building a document.
 * @param out       receives the builder; the caller owns it (bo_invoice_free()).
 * @param kind      a #bo_invoice_kind.
 * @param party     the customer or vendor code (checked when saved).
 * @param date      the document date (due date defaults to it plus the
 *                  party's payment terms).
 * @param currency  the document currency, or NULL for the book's.
 * @return 0, BO_EINVAL (kind, date), BO_ECURRENCY (unknown code), BO_EUTF8,
 *         BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_new(bo_invoice **out, int kind, const char *party,
                              bo_date date, const char *currency);

/**
 * Set the numbering series by its code (default "INV", "BILL", "CN", "DN"
 * by kind); @p series NULL goes back to the default.
 * @return 0, BO_EINVAL (not a code), BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_set_series(bo_invoice *invoice, const char *series);

/**
 * Set the due date (default: the document date plus the party's payment
 * terms).
 * @return 0 or BO_EINVAL (outside BO_DATE_MIN..BO_DATE_MAX).
 */
BO_EXTERN(int) bo_invoice_set_due(bo_invoice *invoice, bo_date due);

/**
 * Set the memo; @p memo NULL clears it.
 * @return 0, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_set_memo(bo_invoice *invoice, const char *memo);

/**
 * Set the reference (the vendor's own number, a PO...); NULL clears it.
 * @return 0, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_set_reference(bo_invoice *invoice, const char *reference);

/**
 * Say whether line prices include tax (@p inclusive 1) or not (0, the
 * default).
 * @return 0 or BO_EINVAL (neither 0 nor 1).
 */
BO_EXTERN(int) bo_invoice_set_inclusive(bo_invoice *invoice, int inclusive);

/**
 * Make the document a credit (or debit) note correcting the posted document
 * @p invoice_id (> 0); 0 clears it.
 * @return 0 or BO_EINVAL (negative).
 */
BO_EXTERN(int) bo_invoice_set_credits(bo_invoice *invoice, int64_t invoice_id);

/**
 * Give the document an explicit @p number (> 0), which must be its series'
 * next one (BO_ESEQUENCE at posting otherwise); 0 clears it.
 * @return 0 or BO_EINVAL (negative).
 */
BO_EXTERN(int) bo_invoice_set_number(bo_invoice *invoice, int64_t number);

/**
 * Post to receivable/payable @p account instead of the party's or the
 * book's default; NULL clears it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_set_account(bo_invoice *invoice, const char *account);

/**
 * Set the idempotency key of the save: a second save with the same key and content records
 * nothing and answers the first document's id. Optional. @p key NULL
 * clears it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_set_key(bo_invoice *invoice, const char *key);

/** The version of #bo_invoice_line_options this header describes. */
#define BO_INVOICE_LINE_OPTIONS_VERSION 1

/** One line of a document, for bo_invoice_line(). Initialise with
 *  BO_INVOICE_LINE_OPTIONS_INIT or bo_invoice_line_options_init(), then set
 *  the members; members are only ever appended. */
typedef struct bo_invoice_line_options {
    unsigned int version;     /**< BO_INVOICE_LINE_OPTIONS_VERSION */
    const char *account;      /**< revenue (sales) or expense (purchases)
                                   account code (required) */
    const char *description;  /**< line text (NULL: "") */
    int64_t quantity;         /**< fixed-point, #BO_BILLING_QTY_SCALE (> 0) */
    int64_t unit_price;       /**< minor units (>= 0) */
    int64_t discount_ppm;     /**< discount in millionths, 0..1000000 */
    const char *tax_category; /**< the line's tax category (NULL: no tax) */
} bo_invoice_line_options;

/** Static initialiser for #bo_invoice_line_options. */
#define BO_INVOICE_LINE_OPTIONS_INIT \
    { BO_INVOICE_LINE_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_invoice_line_options_init(bo_invoice_line_options *opts,
                                            unsigned int version);

/**
 * Append a line: @p opts->quantity (fixed-point, #BO_BILLING_QTY_SCALE)
 * times @p opts->unit_price (minor units) less @p opts->discount_ppm,
 * rounded half-even to the minor unit, taxed by @p opts->tax_category
 * (NULL: no tax), on account @p opts->account with text
 * @p opts->description.
 * @return 0, BO_EINVAL (options, quantity <= 0, negative price, discount
 *         outside 0..1000000), BO_EOVERFLOW, BO_ELIMIT, BO_EUTF8,
 *         BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_invoice_line(bo_invoice *invoice, const bo_invoice_line_options *opts);

/** Number of lines added so far (0 for NULL). */
BO_EXTERN(int) bo_invoice_line_count(const bo_invoice *invoice);

/** Release the builder. Accepts NULL. */
BO_EXTERN(void) bo_invoice_free(bo_invoice *invoice);

/**
 * Save @p invoice as a draft: computes the lines, taxes and totals (with
 * the book's tax rates) and stores them without a number. Needs
 * billing.post.
 * @param id receives the document id (the first one for a replayed key).
 * @return 0, BO_ENOTFOUND (party, account, tax category, credited document),
 *         BO_EINVAL (no lines; party lacks the role; credit of a wrong kind),
 *         BO_ECURRENCY, BO_EOVERFLOW, BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_save(bo_book *book, const bo_invoice *invoice,
                                    int64_t *id);

/**
 * Post draft @p id dated @p date: assigns the series' next number and posts
 * one balanced entry (sales: debit receivable, credit revenue per line and
 * tax payable per rate; bills the mirror; credit notes the opposite), in one
 * transaction, with its tax lines for the tax report. A foreign-currency
 * document converts at the rate of @p date and keeps both amounts on each
 * posting. A book-currency credit note settles the document it credits as
 * far as that is still posted and open. Posting a posted document again
 * answers its entry. Needs billing.post.
 * @param entry receives the journal entry id (may be NULL).
 * @return 0, BO_ENOTFOUND, BO_ESTATE (reversed), BO_ESEQUENCE (explicit
 *         number not the next), BO_ENORATE, BO_EPERIOD, BO_ECLOSED,
 *         BO_EDATE (a credit note dated before the document it credits was
 *         posted), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_post(bo_book *book, int64_t id, bo_date date,
                                    int64_t *entry);

/**
 * Reverse posted document @p id (no payment applied to it) with the exact
 * opposite entry dated @p date; the document keeps its number and becomes
 * "reversed". Needs billing.post.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (draft, already reversed, or paid in
 *         part: issue a credit note instead), BO_EDATE (@p date before the
 *         posting), BO_EPERIOD, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_reverse(bo_book *book, int64_t id, bo_date date,
                                       int64_t *entry);

/**
 * One document as a one-row cursor. Needs billing.read.
 * Columns: id INT, kind TEXT ("sales", "purchase", "sales_credit",
 * "purchase_credit"), status TEXT ("draft", "posted", "reversed"), series
 * TEXT, number INT (NULL for a draft), doc_number TEXT (prefix + number),
 * party TEXT, date TEXT, due TEXT, currency TEXT, net INT, tax INT,
 * total INT, base_total INT (book currency, NULL for a draft), rate TEXT,
 * entry INT, credits INT, reference TEXT, memo TEXT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_get(bo_book *book, int64_t id, bo_cursor **out);

/**
 * The lines of document @p id, in order. Needs billing.read.
 * Columns: line INT, account TEXT, description TEXT, quantity INT,
 * unit_price INT, discount_ppm INT, tax_category TEXT, net INT, tax INT,
 * gross INT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_lines(bo_book *book, int64_t id,
                                     bo_cursor **out);

/**
 * Documents of @p party (NULL: every party), by id. Needs billing.read.
 * Columns: id INT, kind TEXT, status TEXT, doc_number TEXT, party TEXT,
 * date TEXT, due TEXT, currency TEXT, total INT, open INT (what is still
 * due today, in the document currency).
 */
BO_EXTERN(int) bo_billing_invoices(bo_book *book, const char *party,
                                bo_cursor **out);

/**
 * What is still due on document @p id at the end of @p as_of, in its
 * currency: its total less allocations and write-offs dated up to
 * @p as_of (0 before its date). Needs billing.read.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_invoice_open(bo_book *book, int64_t id, bo_date as_of,
                                    int64_t *open);

/* ---- numbering ------------------------------------------------------------ */

/**
 * Add numbering series @p code: documents get @p prefix followed by
 * consecutive numbers from @p next (>= 1). Series are created on first use
 * with prefix "CODE-" and next 1. Needs billing.admin.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_series_add(bo_book *book, const char *code,
                                  const char *prefix, int64_t next);

/**
 * Set the next number of series @p code. Allowed only while it has numbered
 * nothing (a series starting at 1001); afterwards any other value than the
 * current next would skip or repeat numbers. Needs billing.admin.
 * @return 0, BO_ENOTFOUND, BO_ESEQUENCE, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_series_set_next(bo_book *book, const char *code,
                                       int64_t next);

/**
 * The numbering series. Needs billing.read.
 * Columns: code TEXT, prefix TEXT, next INT, used INT (documents numbered).
 */
BO_EXTERN(int) bo_billing_series(bo_book *book, bo_cursor **out);

/* ---- settings ------------------------------------------------------------- */

/**
 * Set a billing setting. Needs billing.admin. Keys (account codes are
 * checked): receivable_account, payable_account (defaults when a party has
 * none), write_off_account, write_off_limit (largest write-off per document,
 * a decimal amount of the book currency), fx_gain_account, fx_loss_account
 * (realized), fx_unrealized_account (revaluation gains and losses),
 * fx_revaluation_account (book-currency adjustment of open foreign items);
 * for payment batches (bo_billing_pain001()): debtor_iban, debtor_bic,
 * debtor_name, and a vendor's account "iban.PARTY", "bic.PARTY" (IBAN check
 * digits and BIC form checked).
 * @return 0, BO_EINVAL (key or value), BO_ENOTFOUND (account), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_setting_set(bo_book *book, const char *key,
                                   const char *value);

/**
 * The billing settings, by key. Needs billing.read.
 * Columns: key TEXT, value TEXT.
 */
BO_EXTERN(int) bo_billing_settings(bo_book *book, bo_cursor **out);

/* ---- payments ------------------------------------------------------------- */

/** A payment being built (opaque). Not tied to a book. */
typedef struct bo_payment bo_payment;

/** The version of #bo_payment_options this header describes. */
#define BO_PAYMENT_OPTIONS_VERSION 1

/** What a payment is, for bo_payment_new(). Initialise with
 *  BO_PAYMENT_OPTIONS_INIT or bo_payment_options_init(), then set the
 *  members; members are only ever appended. The idempotency key is set on
 *  the builder (bo_payment_set_key()). */
typedef struct bo_payment_options {
    unsigned int version;  /**< BO_PAYMENT_OPTIONS_VERSION */
    int kind;              /**< #BO_PAYMENT_RECEIVED or #BO_PAYMENT_MADE */
    const char *party;     /**< the party paying or paid (required) */
    bo_date date;          /**< the day of the payment */
    int64_t amount;        /**< minor units of @c currency (> 0) */
    const char *currency;  /**< NULL: the book's */
    const char *account;   /**< the bank or cash account (required) */
} bo_payment_options;

/** Static initialiser for #bo_payment_options. */
#define BO_PAYMENT_OPTIONS_INIT \
    { BO_PAYMENT_OPTIONS_VERSION, 0, NULL, 0, 0, NULL, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_payment_options_init(bo_payment_options *opts, unsigned int version);

/**
 * Start building a payment of @p opts->amount (> 0) minor units of
 * @p opts->currency (NULL: the book's) received from or made to
 * @p opts->party on @p opts->date, through bank or cash account
 * @p opts->account.
 * @param out receives the builder; the caller owns it (bo_payment_free()).
 * @return 0, BO_EINVAL (also: options), BO_ECURRENCY, BO_EUTF8,
 *         BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_payment_new(bo_payment **out, const bo_payment_options *opts);

/**
 * Set the memo; @p memo NULL clears it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_payment_set_memo(bo_payment *payment, const char *memo);

/**
 * Set the bank's reference (used by reconciliation); NULL clears it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_payment_set_reference(bo_payment *payment, const char *reference);

/**
 * Set the idempotency key, which
 * bo_billing_payment_post() requires: a second posting with the same key and
 * content records nothing and answers the first payment's id. @p key NULL
 * clears it.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_payment_set_key(bo_payment *payment, const char *key);

/**
 * Apply @p amount (> 0) of the payment to document @p invoice and write off
 * @p write_off (>= 0, in the document currency) of what remains due on it.
 * What is not allocated stays as the party's credit.
 * @return 0, BO_EINVAL, BO_ELIMIT, BO_ENOMEM.
 */
BO_EXTERN(int) bo_payment_allocate(bo_payment *payment, int64_t invoice,
                                   int64_t amount, int64_t write_off);

/** Release the builder. Accepts NULL. */
BO_EXTERN(void) bo_payment_free(bo_payment *payment);

/**
 * Post @p payment: one entry (received: debit the bank account, credit
 * receivable; made: the mirror), allocations and write-offs (to the
 * write-off account), and, for foreign documents settled at another rate
 * than they were posted at, the realized gain or loss. Needs billing.post.
 * @param id receives the payment id (the first one for a replayed key).
 * @return 0; BO_EINVAL (no key: "key: a payment needs an idempotency key",
 *         nothing recorded); BO_ENOTFOUND (party, document, account);
 *         BO_EPAYMENT (allocation over what is due, allocations over the
 *         amount, write-off over the limit, document of another party or
 *         currency); BO_EDATE (a document posted after the payment's date:
 *         "allocation N: date: ..."); BO_ENORATE; BO_EPERIOD (a closed
 *         period, or none where the book defines periods); BO_EKEYREUSE;
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_payment_post(bo_book *book, const bo_payment *payment,
                                    int64_t *id);

/**
 * Apply @p amount of the unapplied credit of payment @p payment to document
 * @p invoice of the same party and currency, dated @p date. The credit is
 * valued cumulatively at the payment's rate (all credit applied so far
 * with this amount, less without it), so pieces add up to the value the
 * payment credited. Records no journal entry (the payment already credited
 * the party) unless that value differs from what the document carries for
 * the amount (a realized gain or loss). Needs billing.post.
 * @return 0, BO_ENOTFOUND, BO_EPAYMENT (more than the credit or the amount
 *         due), BO_EDATE (@p date before the payment's date or the
 *         document's posting), BO_EPERIOD (closed, or outside every period
 *         the book defines), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_credit_apply(bo_book *book, int64_t payment,
                                    int64_t invoice, int64_t amount,
                                    bo_date date);

/**
 * Payments of @p party (NULL: all), by id. Needs billing.read.
 * Columns: id INT, kind TEXT ("received", "made"), party TEXT, date TEXT,
 * amount INT, currency TEXT, account TEXT, allocated INT, unapplied INT,
 * entry INT, reference TEXT.
 */
BO_EXTERN(int) bo_billing_payments(bo_book *book, const char *party,
                                bo_cursor **out);

/* ---- reports -------------------------------------------------------------- */

/**
 * Aging of open items at the end of @p as_of, per party and currency, by
 * days past due: computed from documents and allocations dated up to
 * @p as_of, so the answer for a past date never changes. Credit left on
 * payments is a negative current item. The total per side and currency is
 * the balance of the party accounts as of @p as_of. Needs billing.read.
 * @param side a #bo_billing_side.
 * Columns: party TEXT, currency TEXT, current INT, d1_30 INT, d31_60 INT,
 * d61_90 INT, over_90 INT, total INT.
 */
BO_EXTERN(int) bo_billing_aging(bo_book *book, int side, bo_date as_of,
                             bo_cursor **out);

/**
 * Statement of account of @p party (per currency) from @p from to @p to:
 * a first row "opening", then documents, payments, credits applied and
 * write-offs in date order with the running balance (positive: the party
 * owes us). Needs billing.read.
 * Columns: date TEXT, kind TEXT, reference TEXT, currency TEXT, debit INT,
 * credit INT, balance INT.
 */
BO_EXTERN(int) bo_billing_statement(bo_book *book, const char *party,
                                 bo_date from, bo_date to, bo_cursor **out);

/**
 * Tax report for @p from .. @p to, read from the postings of the tax
 * accounts (those the tax rates name) in the period, each explained by the
 * tax lines of the entry that made it: invoices, bills, credit notes, till
 * sales and returns. A reversal shows negated in the period it was posted
 * in, so a closed period's report does not change. Per tax rate and
 * document currency: the taxable base and the tax on sales (credit notes
 * and returns deducted) and on purchases, in that currency, and the tax in
 * the book currency; a last row with rate NULL holds what no tax line
 * explains (settlements, manual adjustments), debits positive. Over all
 * rows, purchase_tax_book - sales_tax_book + other_book is the movement of
 * the tax accounts in the period. Needs billing.read.
 * Columns: rate TEXT (NULL: other), currency TEXT, sales_base INT,
 * sales_tax INT, purchase_base INT, purchase_tax INT, sales_tax_book INT,
 * purchase_tax_book INT, other_book INT.
 */
BO_EXTERN(int) bo_billing_tax_report(bo_book *book, bo_date from, bo_date to,
                                  bo_cursor **out);

/**
 * Cash-flow statement, direct method, for @p from .. @p to in the book
 * currency: the postings of every entry that moves a cash account (the
 * accounts with bank statements, billing payments went through, a till
 * takes payment into, or pay runs were paid from) grouped by
 * counter-account, classified by its type: income, expense, party, tax,
 * stock and payroll accounts are "operating", other assets "investing",
 * liabilities and equity "financing". A sale's cost of goods (stock
 * postings that cancel out in the entry) is left out, so inflows less
 * outflows are the movement of the cash accounts. Needs billing.read.
 * Columns: section TEXT, account TEXT, inflow INT, outflow INT.
 */
BO_EXTERN(int) bo_billing_cash_flow(bo_book *book, bo_date from, bo_date to,
                                 bo_cursor **out);

/* ---- multi-currency ------------------------------------------------------- */

/**
 * Record the rate of @p currency on @p date: @p rate book-currency units
 * per unit of @p currency, an exact decimal ("1.0850", at most 9 fraction
 * digits). A second rate for the same day replaces the first. Needs
 * billing.admin.
 * @return 0, BO_ECURRENCY (unknown, or the book currency), BO_EINVAL
 *         (malformed or zero rate), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_rate_set(bo_book *book, const char *currency,
                                bo_date date, const char *rate);

/**
 * Convert @p amount of @p currency to the book currency at the rate of
 * @p date (the latest on or before it), rounded half-even. Needs
 * billing.read.
 * @return 0, BO_ECURRENCY, BO_ENORATE, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_convert(bo_book *book, int64_t amount,
                               const char *currency, bo_date date,
                               int64_t *base);

/**
 * The rates of @p currency (NULL: all), by currency and date. Needs
 * billing.read. Columns: currency TEXT, date TEXT, rate TEXT.
 */
BO_EXTERN(int) bo_billing_rates(bo_book *book, const char *currency,
                             bo_cursor **out);

/**
 * Period-end revaluation: every foreign-currency document open at the end
 * of @p date is valued at the rate of @p date; the difference from its
 * carried book-currency value goes to fx_unrealized_account against
 * fx_revaluation_account, in one entry dated @p date, reversed by an entry
 * dated the next day. Running it again for the same date answers the same
 * entry. Needs billing.post.
 * @param entry receives the revaluation entry (0 when nothing moved).
 * @return 0, BO_ENORATE, BO_EINVAL (accounts not set), BO_EPERIOD,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_revalue(bo_book *book, bo_date date, int64_t *entry);

/* ---- bank reconciliation ---------------------------------------------------- */

/**
 * Import a bank statement for ledger account @p account.
 * @param format   "csv" or "camt053" (ISO 20022 BankToCustomerStatement).
 * @param data     the file's content (NUL-terminated, at most
 *                 #BO_BILLING_STATEMENT_MAX bytes).
 * @param mapping  for "csv": a YAML mapping of column numbers (1-based) or
 *                 header names: date, amount (or debit and credit),
 *                 reference, memo, balance (running balance: the last
 *                 line's is the closing balance), plus header (true/false),
 *                 delimiter, decimal ("." or ","), date_format
 *                 ("YYYY-MM-DD", "DD.MM.YYYY", "MM/DD/YYYY"), opening
 *                 (decimal); NULL for "camt053".
 * Lines already imported (same bank reference, or same date, amount and
 * text) are counted as duplicates and not stored again.
 * @param statement receives the statement id.
 * @return 0, BO_EINVAL (malformed input: the message names the line),
 *         BO_ENOTFOUND (account), BO_ECURRENCY (statement currency differs
 *         from the account's), BO_ELIMIT (size, lines, a CSV record's
 *         fields or bytes, camt.053 nesting, the mapping's YAML limits: the
 *         message names the line), BO_EOVERFLOW, BO_ECONFIG (mapping),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_import(bo_book *book, const char *account,
                                   const char *format, const char *data,
                                   const char *mapping, int64_t *statement);

/**
 * The statements of @p account (NULL: all), by id. Needs bank.reconcile.
 * Columns: id INT, account TEXT, currency TEXT, opening INT, closing INT,
 * lines INT, duplicates INT, unmatched INT, closed INT (0/1).
 */
BO_EXTERN(int) bo_billing_bank_statements(bo_book *book, const char *account,
                                       bo_cursor **out);

/**
 * The lines of statement @p statement, in file order. Needs bank.reconcile.
 * Columns: id INT, line INT (line number in the file), date TEXT,
 * amount INT, reference TEXT, memo TEXT, status TEXT ("unmatched",
 * "matched", "created"), entry INT (the matched entry, or NULL), currency
 * TEXT (the statement's).
 */
BO_EXTERN(int) bo_billing_bank_lines(bo_book *book, int64_t statement,
                                  bo_cursor **out);

/**
 * Match the unmatched lines of @p statement to unreconciled postings on its
 * account: first one posting of exactly the line's amount dated within
 * @p window_days (the nearest date, then the lowest entry id), then a
 * posting whose entry memo or payment reference contains the line's bank
 * reference, then several postings of one day whose amounts sum to the
 * line's (many-to-one). Needs bank.reconcile.
 * @param matched receives the number of lines matched.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (window outside 0..366), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_match(bo_book *book, int64_t statement,
                                  int window_days, int64_t *matched);

/**
 * Match statement line @p line by hand to the postings of entry @p entry on
 * the statement's account; their amounts must sum to the line's. Needs
 * bank.reconcile.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (line or posting already matched),
 *         BO_EPAYMENT (amounts differ), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_accept(bo_book *book, int64_t line, int64_t entry);

/**
 * Create the missing entry for unmatched line @p line (bank fees,
 * interest): the bank account against @p counter_account, dated as the
 * line, and match it. Needs bank.reconcile and posts as trusted.
 * @param entry receives the new entry id (may be NULL).
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already matched), BO_EPERIOD,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_create(bo_book *book, int64_t line,
                                   const char *counter_account,
                                   const char *memo, int64_t *entry);

/**
 * The reconciled balance of bank account @p account: the opening balance of
 * its first statement plus every posting matched to a statement line.
 * Needs bank.reconcile.
 * @return 0, BO_ENOTFOUND, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_reconciled(bo_book *book, const char *account,
                                       int64_t *balance);

/**
 * Close statement @p statement: every line must be matched and the
 * account's reconciled balance must equal the statement's closing balance.
 * Needs bank.reconcile.
 * @return 0, BO_ESTATE (unmatched lines, named by line number),
 *         BO_EUNBALANCED (reconciled balance differs: the message gives the
 *         difference), BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_bank_close(bo_book *book, int64_t statement);

/* ---- recurring ------------------------------------------------------------ */

/**
 * Make document @p invoice (a draft or posted one) the template of a
 * schedule: a copy every @p months months from @p start. Occurrence k is
 * dated @p start + k * @p months months, the start's day clamped to the
 * month's end (from January 31 monthly: February 28, March 31, April 30).
 * Needs billing.post.
 * @param id receives the schedule id.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (months outside 1..120), BO_EDENIED.
 */
BO_EXTERN(int) bo_billing_recurring_add(bo_book *book, int64_t invoice,
                                     int months, bo_date start, int64_t *id);

/**
 * Create and post every scheduled document due on or before @p as_of, each
 * with the idempotency key "recurring:<schedule>:<date>" so a rerun creates
 * nothing twice. Needs billing.post.
 * @param created receives the number of documents posted.
 * @return 0, or the first failure (the documents before it stay posted).
 */
BO_EXTERN(int) bo_billing_recurring_run(bo_book *book, bo_date as_of,
                                     int64_t *created);

/**
 * Write a vendor-bill payment batch as ISO 20022 pain.001.001.03 (customer
 * credit transfer initiation; docs/billing.md, "Payment batches") to
 * @p path: one credit transfer per posted vendor bill of @p party (NULL:
 * every vendor) with an amount still open, for that amount in the bill's
 * currency, end-to-end id and remittance text the bill's number, requested
 * for @p execution. The debtor account is @p debtor_iban and
 * @p debtor_bic, or when NULL the billing settings debtor_iban and
 * debtor_bic (the BIC may be absent: "NOTPROVIDED"); its name the setting
 * debtor_name. Each vendor's account is the billing setting "iban.PARTY"
 * (and "bic.PARTY", optional). Every IBAN's check digits are verified
 * (ISO 13616, mod 97) before anything is written. The group header and the
 * payment block state the number of transactions and the control sum, the
 * sum of the amounts. Written through libxml2 with mode 0600 beside
 * @p path and renamed over it; on error no file is left. Needs
 * billing.read and party.read.
 * @return the number of transactions (> 0); BO_EINVAL (an IBAN or BIC:
 *         the message names the field, e.g. "debtor_iban" or
 *         "iban.V-1"; path, dates); BO_ECONFIG (no debtor IBAN, a vendor
 *         without "iban.PARTY"); BO_ENOTFOUND (no open bill, party);
 *         BO_ECURRENCY (currencies of different scales: one batch per
 *         currency); BO_ELIMIT (more than 10,000 bills); BO_EOVERFLOW;
 *         BO_ESTATE (inside a transaction); BO_EDENIED; BO_EIO.
 */
BO_EXTERN(int) bo_billing_pain001(bo_book *book, const char *path, const char *party,
                                  bo_date execution, const char *debtor_iban,
                                  const char *debtor_bic);

BO_END_DECLS

#endif
