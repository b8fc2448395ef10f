/**
 * @file backoffice/report.h
 * @brief What people look at: sales metrics across the domains, and the
 *        shop's dashboard as one self-contained HTML file.
 *
 * The metrics read the till's sales and returns (inventory), the ledger and
 * billing; they write nothing. Every figure is exact integer money in minor
 * units of the book's base currency. The definitions (docs/reports.md):
 *
 * - gross sales: the lines' amounts before their discounts, without tax;
 * - discounts: the line discounts given at the till, without tax (the part
 *   of a tax-inclusive discount that was tax is left out, split exactly);
 * - returns: the net amount of what was returned, on the day it came back;
 * - net sales = gross - discounts - returns;
 * - cost: the cost of goods recorded on each sale line when it was sold,
 *   less the recorded cost of what was returned (never today's cost);
 * - margin = net sales - cost;
 * - sales: the number of sales (baskets) in the group;
 * - average basket = (gross - discounts) / sales, rounded half-even.
 *
 * Time: a sale's moment is when the till recorded it (its record in the
 * audit chain, UTC). It counts on the local day and hour of its store (the
 * location of its first line) in that store's time zone: in Jakarta (WIB,
 * UTC+7) a sale recorded at 23:30 UTC counts at 06:30 on the next day. A
 * store's zone is the inventory setting "zone.CODE" (an IANA name such as
 * "Asia/Jakarta", whose daylight saving applies, or UTC, WIB, WITA, WIT,
 * +HH:MM), and the options' zones override it for one call.
 * A sale recorded more than a day away from its own date (entered
 * afterwards, imported) counts on its date, at an unknown hour.
 *
 * Permissions: inventory.read and ledger.read for the metrics; the
 * dashboard also needs billing.read.
 */
#ifndef BACKOFFICE_REPORT_H
#define BACKOFFICE_REPORT_H

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** How bo_report_metrics() groups its rows. */
typedef enum bo_report_group {
    BO_REPORT_TOTAL = 0,        /**< one row, key "total" */
    BO_REPORT_DAY = 1,          /**< local day, key "YYYY-MM-DD" */
    BO_REPORT_HOUR = 2,         /**< local hour, key "00".."23" or "unknown" */
    BO_REPORT_WEEKDAY_HOUR = 3, /**< key "Mon 06" (weekday Mon..Sun, hour) */
    BO_REPORT_STORE = 4,        /**< the store's location code */
    BO_REPORT_ITEM = 5,         /**< the item's SKU */
    BO_REPORT_CATEGORY = 6,     /**< the item's category, "(none)" without */
    BO_REPORT_CASHIER = 7,      /**< the actor who recorded the sale, "(none)" */
    BO_REPORT_PAYMENT = 8,      /**< payment method; a sale shared among its
                                     methods by the amounts paid */
    BO_REPORT_WEEKDAY = 9       /**< key "Mon".."Sun" */
} bo_report_group;

/** The comparison period of bo_report_metrics(). */
typedef enum bo_report_compare {
    BO_REPORT_COMPARE_NONE = 0, /**< prev_* columns are 0 */
    BO_REPORT_COMPARE_WEEK = 1, /**< the same days seven days earlier */
    BO_REPORT_COMPARE_YEAR = 2, /**< the same dates a year earlier */
    BO_REPORT_COMPARE_PERIOD = 3 /**< the days just before, as many as the period */
} bo_report_compare;

/** The version of #bo_report_options this header describes. */
#define BO_REPORT_OPTIONS_VERSION 1

/** What bo_report_metrics() and bo_report_dashboard() read. Initialise with
 *  BO_REPORT_OPTIONS_INIT or bo_report_options_init(). */
typedef struct bo_report_options {
    unsigned int version; /**< BO_REPORT_OPTIONS_VERSION */
    bo_date from;         /**< first local day */
    bo_date to;           /**< last local day (>= from, at most 3660 days on) */
    int group;            /**< a #bo_report_group */
    int compare;          /**< a #bo_report_compare */
    /** Time zones of the stores: "S1=WIB,S2=Asia/Makassar,*=+09:00". A zone
     *  is UTC, WIB (+07:00), WITA (+08:00), WIT (+09:00), an offset
     *  +HH:MM / -HH:MM, or an IANA name of the tz database; "*" is every
     *  other store. Laid over the stores' zones kept in the book (inventory
     *  settings "zone.CODE"); NULL: those alone (UTC where none). */
    const char *zones;
    const char *store;    /**< only this location code, or NULL for all */
} bo_report_options;

/** Defaults of #bo_report_options: every day from 0 (1970-01-01) to 0,
 *  grouped by day, no comparison, UTC. */
#define BO_REPORT_OPTIONS_INIT \
    { BO_REPORT_OPTIONS_VERSION, 0, 0, BO_REPORT_DAY, BO_REPORT_COMPARE_NONE, NULL, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_report_options_init(bo_report_options *opts, unsigned int version);

/**
 * The sales metrics of @p opts->from .. @p opts->to (local days of each
 * store), one row per group in key order (weekdays Monday first). Needs
 * inventory.read and ledger.read.
 * Columns: key TEXT, sales INT, lines INT, qty INT (in the item's smallest
 * unit; meaningful per item), gross INT, discounts INT, returns INT,
 * net INT, cost INT, margin INT, basket INT, prev_sales INT, prev_net INT,
 * prev_margin INT, prev_basket INT (the comparison period's, matched by
 * key; a day is matched with the day 7 days or a year before it), scale INT (the item's
 * decimals when grouped by item, else 0).
 * @return 0, BO_EINVAL (options, group, compare, from/to, zones: the message
 *         names the part), BO_EOVERFLOW, BO_EDENIED, BO_ENOMEM.
 */
BO_EXTERN(int) bo_report_metrics(bo_book *book, const bo_report_options *opts,
                                 bo_cursor **out);

/**
 * Format @p amount minor units of @p currency for people, with the
 * currency's symbol and its country's separators, by the library's own
 * table (never the C locale): IDR "Rp 12.345.000", USD "$1,234.50",
 * EUR "€1.234,50", negative "-Rp 5.000" / "-$1,234.50"; a currency the
 * table does not know as "1,234.50 XYZ". Into @p buf of @p size bytes
 * (48 is always enough).
 * @return 0, BO_ECURRENCY, BO_ETOOLONG (@p size too small).
 */
BO_EXTERN(int) bo_report_money(int64_t amount, const char *currency, char *buf,
                               size_t size);

/**
 * Write the shop's dashboard for @p opts->from .. @p opts->to (grouping
 * and comparison are the dashboard's own; zones and store are used) to
 * the file @p path: one HTML file with inline SVG charts, no script and no
 * outside reference. Its parts (docs/reports.md): sales tiles with their
 * change against the previous week, net sales by day, the weekday x hour
 * heatmap, top items by revenue, quantity and margin, low stock with days
 * of cover, receivables aging and payables due within seven days of
 * @p opts->to, the cash position from the ledger, and the cashier
 * sessions. Every chart has a title and a table of its figures; every bar
 * carries its value in a data-value attribute. The same book and options
 * give the same bytes. The file is written whole (a temporary name,
 * renamed) or not at all. Needs inventory.read, ledger.read and
 * billing.read.
 * @return 0, as bo_report_metrics(), BO_EIO.
 */
BO_EXTERN(int) bo_report_dashboard(bo_book *book, const bo_report_options *opts,
                                   const char *path);

/** The statements of bo_report_statement_write(). */
typedef enum bo_report_statement {
    BO_REPORT_BALANCE_SHEET = 1,    /**< bo_ledger_balance_sheet() at @p to */
    BO_REPORT_INCOME_STATEMENT = 2, /**< bo_ledger_income_statement() of from..to */
    BO_REPORT_TRIAL_BALANCE = 3,    /**< bo_ledger_trial_balance() at @p to */
    BO_REPORT_AGING = 4,            /**< receivables: bo_billing_aging() at @p to */
    BO_REPORT_AGING_PAYABLE = 5,    /**< payables: bo_billing_aging() at @p to */
    BO_REPORT_CASH_FLOW = 6         /**< bo_report_cash_flow() of from..to, the
                                         book's own classes of accounts */
} bo_report_statement;

/** The file formats of bo_report_statement_write(). */
typedef enum bo_report_format {
    BO_REPORT_HTML = 1, /**< one self-contained HTML page */
    BO_REPORT_PDF = 2,  /**< A4 pages with "Page N of M" (the renderer's build) */
    BO_REPORT_CSV = 3,  /**< the table, money as decimals of its currency */
    BO_REPORT_XLSX = 4  /**< one worksheet, money as numbers (BO_WITH_XLSX builds) */
} bo_report_format;

/**
 * Write statement @p statement (#bo_report_statement) of @p opts->from ..
 * @p opts->to (balance sheet, trial balance and aging: at the end of
 * @p opts->to) to the file @p path in @p format (#bo_report_format), with
 * the book's name, the statement's title and its period; PDF pages number
 * themselves "Page N of M". With @p opts->compare (#bo_report_compare) the
 * balance sheet and the income statement add a column for the comparison
 * period (the balance sheet at its end). Amounts are the ledger's and
 * billing's own figures in each row's currency; CSV cells of text are
 * neutralised against formula injection; XLSX holds money as numbers at
 * their currency's decimals (an amount beyond 2^53 minor units, which a
 * spreadsheet number cannot hold exactly, as text). The file is written
 * whole or not at all. Needs ledger.read (aging: billing.read).
 * @return 0, BO_EINVAL (statement, format, options), BO_ENOTSUP (PDF or
 *         XLSX in a build without them), BO_EDENIED, BO_EOVERFLOW, BO_EIO,
 *         BO_ENOMEM.
 */
BO_EXTERN(int) bo_report_statement_write(bo_book *book, int statement,
                                         const bo_report_options *opts, int format,
                                         const char *path);

/**
 * The cash-flow statement of @p opts->from .. @p opts->to by the indirect
 * method, in the book's base currency (the postings' book-currency
 * values): net income, then minus the movement of every balance-sheet
 * account that is not cash, each in its section, and the cash at the
 * beginning and at the end of the period. Year-end closing entries are
 * left out, as the income statement leaves them out. The sections add up
 * to the movement of the cash accounts, to the minor unit (a last row
 * "Unexplained" shows a gap if the book's entries do not balance in the
 * base currency).
 *
 * Each asset, liability and equity account is in one class: cash,
 * operating (working capital), investing or financing. By default, as
 * bo_billing_cash_flow() finds them: cash are the accounts payments went
 * through, bank statements were imported for, a till takes payment into
 * (inventory settings "payment.METHOD") and pay runs were paid from;
 * operating are the party, invoice, tax, stock and payroll accounts; other
 * assets are investing, other liabilities and equity financing. A
 * sub-account takes the class of its nearest ancestor that has one.
 * @p classes overrides them: "1000=cash,1500=investing,2100=operating"
 * (an account's class covers its sub-accounts unless they name their own;
 * NULL: the defaults).
 *
 * Rows: section TEXT ("operating", "investing", "financing", "total",
 * "cash"), code TEXT (the account, NULL on heading, net income and total
 * rows), name TEXT, currency TEXT, amount INT (NULL on a section's
 * heading). Needs ledger.read. @p opts->group, compare, zones and store
 * are not used.
 * @return 0, BO_EINVAL (options, from/to; classes: the message names the
 *         item: not ACCOUNT=CLASS, an unknown class, an account not on the
 *         balance sheet, cash that is not an asset), BO_ENOTFOUND
 *         (classes: no such account), BO_ETOOLONG (classes over 4096
 *         bytes), BO_EUTF8, BO_EOVERFLOW, BO_EDENIED, BO_ENOMEM.
 */
BO_EXTERN(int) bo_report_cash_flow(bo_book *book, const bo_report_options *opts,
                                   const char *classes, bo_cursor **out);

/**
 * Write the cash-flow statement (bo_report_cash_flow(), with @p classes)
 * to the file @p path in @p format (#bo_report_format), as
 * bo_report_statement_write() writes the other statements.
 * @return as bo_report_statement_write() and bo_report_cash_flow().
 */
BO_EXTERN(int) bo_report_cash_flow_write(bo_book *book, const bo_report_options *opts,
                                         const char *classes, int format,
                                         const char *path);

/**
 * Write the payroll register of pay run @p run_id to the file @p path in
 * @p format (#bo_report_format): one row per employee by number (number,
 * name, cost center, currency, gross, deductions, net, employer cost, as
 * bo_payroll_register() gives them) and a total row whose figures are the
 * sums of the columns, with the book's name, the title "Payroll register"
 * and the run's period and pay date; PDF pages number themselves. Money is
 * in the currency of the run's pack. Needs payroll.read (the reads are
 * audited as payroll audits them). The file is written whole or not at all.
 * @return 0, BO_EINVAL (path, format), BO_ENOTSUP (the format's renderer is
 *         not built), BO_ENOTFOUND (run_id), BO_EDENIED, BO_EOVERFLOW,
 *         BO_EIO, BO_ENOMEM.
 */
BO_EXTERN(int) bo_report_payroll_register_write(bo_book *book, int64_t run_id, int format,
                                                const char *path);

/**
 * Write the payslip of employee @p number in pay run @p run_id to the file
 * @p path in @p format (#bo_report_format): the employee's number, name and
 * cost center, each line of bo_payroll_payslip() (component, kind, amount
 * and year to date; a back-pay line names the period it corrects), then
 * gross pay, deductions, net pay and employer contributions as the payroll
 * register gives them; with the book's name, the title "Payslip" and the
 * run's period and pay date. Needs payroll.read (audited as payroll audits
 * it). The file is written whole or not at all.
 * @return 0, BO_EINVAL (path, format, number), BO_ENOTSUP, BO_ENOTFOUND
 *         (run_id; number: no slip in that run), BO_EDENIED, BO_EIO,
 *         BO_ENOMEM.
 */
BO_EXTERN(int) bo_report_payslip_write(bo_book *book, int64_t run_id, const char *number,
                                       int format, const char *path);

BO_END_DECLS

#endif
