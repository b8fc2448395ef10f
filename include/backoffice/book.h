/**
 * @file backoffice/book.h
 * @brief The book handle: one business's records in one store, transactions.
 *
 * A book is opened from a URI naming its store: "sqlite:shop.db" (or a plain
 * path), "sqlite::memory:" for a throwaway book, or any scheme a driver was
 * registered for. A handle is used by one thread at a time; any number of
 * handles, threads and processes may share one store.
 *
 * Every mutating call is atomic by itself. A host groups calls with
 * bo_book_begin()/bo_book_commit(); nested begins become savepoints.
 */
#ifndef BACKOFFICE_BOOK_H
#define BACKOFFICE_BOOK_H

#include "common.h"
#include "date.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** An open book (opaque). */
typedef struct bo_book bo_book;

/** Durability of commits on stores that support a choice (SQLite). */
typedef enum bo_sync {
    BO_SYNC_FULL = 0,   /**< default: a commit survives power loss */
    BO_SYNC_NORMAL = 1, /**< WAL NORMAL: survives a process crash, not power loss */
    BO_SYNC_OFF = 2     /**< no fsync: for throwaway books and tests only */
} bo_sync;

/** Current version of #bo_book_options. */
#define BO_BOOK_OPTIONS_VERSION 1

/** Options for bo_book_open(). Initialise with BO_BOOK_OPTIONS_INIT or
 *  bo_book_options_init(); members are only ever appended. */
typedef struct bo_book_options {
    unsigned int version;      /**< BO_BOOK_OPTIONS_VERSION */
    const char *actor;         /**< who acts through this handle; NULL: nobody
                                    (every permission check fails) */
    int create;                /**< non-zero: create the book if the store is
                                    empty; the actor becomes its owner */
    const char *base_currency; /**< for create: the book's currency ("USD" if NULL) */
    int busy_timeout_ms;       /**< wait this long for a locked store (5000) */
    int sync;                  /**< a #bo_sync value (BO_SYNC_FULL) */
} bo_book_options;

/** Static initialiser for #bo_book_options. */
#define BO_BOOK_OPTIONS_INIT \
    { BO_BOOK_OPTIONS_VERSION, NULL, 0, NULL, 5000, BO_SYNC_FULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers that
 * cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_book_options_init(bo_book_options *opts, unsigned int version);

/**
 * Open the book stored at @p uri, migrating its schema forward in one
 * transaction when it is older than this library's.
 *
 * @param out   receives the handle; the caller owns it (bo_book_free()).
 * @param uri   "sqlite:PATH", "sqlite::memory:", a plain path, or
 *              "SCHEME:..." of a registered driver.
 * @param opts  NULL for the defaults.
 * @return 0; BO_ENOTFOUND when the store holds no book and opts->create is 0;
 *         BO_ESCHEMA when the book was written by a newer library;
 *         BO_EDRIVER for an unknown scheme; BO_EIO, BO_ENOMEM; BO_EBUSY
 *         when the store stayed locked, or on PostgreSQL when a handle whose
 *         writers run in the other mode (BO_PG_LANES: side by side or taking
 *         turns) is open on the same book (every handle on a book must be in
 *         one mode; the message names both).
 */
BO_EXTERN(int) bo_book_open(bo_book **out, const char *uri,
                            const bo_book_options *opts);

/**
 * Close the book. An open transaction is rolled back. Cursors still open
 * keep the store alive until they are freed, so any order of freeing is safe.
 * Accepts NULL.
 */
BO_EXTERN(void) bo_book_free(bo_book *book);

/**
 * Start a transaction, or a savepoint inside the current one.
 * Write transactions take the store's write lock at once (SQLite
 * BEGIN IMMEDIATE), so a group of calls never fails half-way on a lock.
 * On PostgreSQL with writers side by side (BO_PG_LANES=1 in the
 * environment; by default they take turns) such a transaction runs beside
 * the host's other transactions, SERIALIZABLE, but never beside the
 * library's own commands outside a transaction (lone postings at
 * REPEATABLE READ among them): it waits for those in flight and they wait
 * for its end, so what it reads (a balance) is not changed unseen before
 * it writes from it. Beside another host transaction a call or the commit
 * may fail with BO_ECONFLICT: roll back and run it again.
 * @return 0, BO_EBUSY, BO_EIO.
 */
BO_EXTERN(int) bo_book_begin(bo_book *book);

/**
 * Commit the innermost transaction level (release its savepoint, or commit
 * for real at the outermost level, then deliver the queued events).
 * @return 0, BO_ESTATE when no transaction is open, BO_EIO, BO_EFULL,
 *         BO_ECONFLICT.
 */
BO_EXTERN(int) bo_book_commit(bo_book *book);

/**
 * Undo the innermost transaction level (roll back to its savepoint, or roll
 * back for real at the outermost level, dropping queued events).
 * @return 0 or BO_ESTATE when no transaction is open.
 */
BO_EXTERN(int) bo_book_rollback(bo_book *book);

/** How many transaction levels are open (0 outside any transaction). */
BO_EXTERN(int) bo_book_depth(const bo_book *book);

/**
 * Change who acts through this handle. @p actor NULL: nobody.
 * @return 0, BO_EINVAL for an invalid name, BO_ESTATE inside a transaction.
 */
BO_EXTERN(int) bo_book_set_actor(bo_book *book, const char *actor);

/** The current actor, or NULL. Borrowed: valid until the actor changes. */
BO_EXTERN(const char *) bo_book_actor(const bo_book *book);

/** The book's base currency ("USD"). Borrowed from the book. */
BO_EXTERN(const char *) bo_book_base_currency(const bo_book *book);

/** The book's name ("" if none). Borrowed from the book. */
BO_EXTERN(const char *) bo_book_name(const bo_book *book);

/**
 * Set the book's display name (stored in the book). Needs book.admin.
 * @return 0, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_book_set_name(bo_book *book, const char *name);

/**
 * Progress of a long operation: @p stage names what is being done (a table
 * name while copying), @p done of @p total units are finished.
 */
typedef void (*bo_progress_fn)(const char *stage, int64_t done, int64_t total,
                               void *user);

/**
 * Copy the whole book at @p from_uri into the empty store @p to_uri (any
 * registered backends: SQLite to PostgreSQL and back), in one transaction on
 * the destination, from one consistent snapshot of the source. Every record
 * is copied as it is, audit chain included, so the copy's chain head equals
 * the source's. Afterwards the copy is verified: same trial balance, same
 * audit chain head, and its chain verifies. The actor in @p opts needs
 * book.admin and audit.read on the source; @p progress (may be NULL) is
 * called as rows are copied.
 * @return 0; BO_EEXISTS (the destination holds a book); BO_ECORRUPT (the
 *         verification failed: the message says how); BO_EDENIED; store
 *         errors (the destination is then left without a book).
 */
BO_EXTERN(int) bo_book_copy(const char *from_uri, const char *to_uri,
                            const bo_book_options *opts,
                            bo_progress_fn progress, void *user);

/** The version of the export format bo_book_export() writes and
 *  bo_book_import() reads (the manifest's "format_version"). */
#define BO_EXPORT_FORMAT_VERSION 1

/** The current version of bo_transfer_options. */
#define BO_TRANSFER_OPTIONS_VERSION 1

/** Options for bo_book_export() and bo_book_import(). Initialise with
 *  BO_TRANSFER_OPTIONS_INIT or bo_transfer_options_init(); members are only
 *  ever appended. */
typedef struct bo_transfer_options {
    unsigned int version;    /**< BO_TRANSFER_OPTIONS_VERSION */
    bo_progress_fn progress; /**< called as records are written or read
                                  (stage: the record kind), or NULL */
    void *user;              /**< handed to @c progress */
} bo_transfer_options;

/** Initialiser of bo_transfer_options. */
#define BO_TRANSFER_OPTIONS_INIT { BO_TRANSFER_OPTIONS_VERSION, NULL, NULL }

/**
 * Initialise @p opts to the defaults of @p version (FFI callers cannot
 * expand BO_TRANSFER_OPTIONS_INIT).
 * @return 0, or BO_EINVAL for another version.
 */
BO_EXTERN(int) bo_transfer_options_init(bo_transfer_options *opts,
                                        unsigned int version);

/**
 * Write the whole book to @p path, a new file (an existing one is
 * replaced), in the lossless export format (docs/export-format.md; its
 * records are described by docs/export-schema.json): a zip of
 * "manifest.json" (format version, book id, base currency, counts and the
 * SHA-256 of every part) and one JSON-lines part per record kind, the core
 * and then each domain in the order of the table of domains, parents first,
 * records in key order; amounts as decimal strings at their currency's
 * scale, rates as exact fractions "n/d", document content as parts named by
 * their SHA-256, the audit chain as it is. The same book always gives the
 * same bytes. Read from one consistent snapshot; memory stays flat however
 * large the book (records are streamed through a temporary file). Needs
 * every permission ("*": the export holds payroll and documents).
 * @return 0; BO_EDENIED; BO_EIO (the file could not be written); store
 *         errors. On error no file is left at @p path.
 */
BO_EXTERN(int) bo_book_export(bo_book *book, const char *path,
                              const bo_transfer_options *opts);

/**
 * Read an export written by bo_book_export() into the empty store @p uri,
 * in one transaction: the new book holds the same records, so exporting it
 * gives the same bytes and its audit chain head is the exporter's. The file
 * is checked whole (manifest, every part's SHA-256 and record count, every
 * record's fields, amounts at their currency's scale) before the
 * transaction commits; afterwards the book is verified with
 * bo_audit_verify_full(). @p book supplies the actor and store settings
 * (its @c create is ignored; may be NULL).
 * @return 0; BO_EEXISTS (the store already holds a book); BO_ECORRUPT (not
 *         a zip, truncated, a hash or count differs from the manifest, or
 *         the imported book failed its verification); BO_ESCHEMA (an unknown
 *         format or schema version); BO_EINVAL (a malformed record or an
 *         unknown record kind: the message names the part and line);
 *         store errors. On error before the commit nothing is imported.
 */
BO_EXTERN(int) bo_book_import(const char *uri, const char *path,
                              const bo_book_options *book,
                              const bo_transfer_options *opts);

/** The current version of bo_saft_options. */
#define BO_SAFT_OPTIONS_VERSION 1

/** Options for bo_book_export_saft(). Initialise with BO_SAFT_OPTIONS_INIT
 *  or bo_saft_options_init(); members are only ever appended. Texts are
 *  borrowed for the call. */
typedef struct bo_saft_options {
    unsigned int version;            /**< BO_SAFT_OPTIONS_VERSION */
    bo_date from;                    /**< first day of the selection
                                          (BO_DATE_MIN: the first entry's) */
    bo_date to;                      /**< last day (BO_DATE_MAX: the last
                                          entry's) */
    const char *company_name;        /**< NULL: the book's name */
    const char *registration_number; /**< the company's organisation
                                          number (required) */
    const char *vat_number;          /**< the VAT registration, or NULL */
    const char *country;             /**< ISO 3166 code; NULL: "NO" */
    const char *contact_first_name;  /**< the contact person (required by
                                          the schema); NULL: "-" */
    const char *contact_last_name;   /**< NULL: "-" */
    const char *grouping_category;   /**< the standard code list the
                                          grouping codes come from;
                                          NULL: "RF-1167" */
    const char *grouping;            /**< lines "ACCOUNT CODE": each account's
                                          standard grouping code; an account
                                          not listed whose own code is four
                                          digits is its own; NULL: none */
    const char *tax_codes;           /**< lines "RATE CODE": each tax rate's
                                          standard tax code (1-2 letters or
                                          digits); not listed: "NA" */
} bo_saft_options;

/** Initialiser of bo_saft_options. */
#define BO_SAFT_OPTIONS_INIT \
    { BO_SAFT_OPTIONS_VERSION, BO_DATE_MIN, BO_DATE_MAX, NULL, NULL, NULL, NULL, \
      NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise @p opts to the defaults of @p version (FFI callers cannot
 * expand BO_SAFT_OPTIONS_INIT).
 * @return 0, or BO_EINVAL for another version.
 */
BO_EXTERN(int) bo_saft_options_init(bo_saft_options *opts, unsigned int version);

/**
 * Write the book as a SAF-T Financial file, Norwegian profile 1.30
 * (docs/import-export.md has the mapping), to @p path (an existing file is
 * replaced): the header (company, registration, the selected period, the
 * book currency), the master files (every account with its opening and
 * closing balance in the book currency and its grouping code, the
 * customers, the suppliers, the tax table), the general-ledger entries
 * dated in the period with their lines, and the posted sales invoices and
 * the payments of the period as source documents. Amounts are decimals at
 * the book currency's scale (SAF-T allows at most 2 places: a book
 * currency with more is refused). Before anything is written the figures
 * are checked: every entry's lines sum to zero in the book currency, and
 * the total debit equals the total credit. Read from one consistent
 * snapshot; needs ledger.read, party.read and billing.read.
 * @return 0; BO_EINVAL (an option, a grouping or tax-code line, an account
 *         without a grouping code: the message names it); BO_ECURRENCY (a
 *         book currency with more than 2 decimals); BO_ECORRUPT (a posting
 *         without a book-currency value, an unbalanced entry: named);
 *         BO_ETOOLONG (an identifier longer than SAF-T allows: named);
 *         BO_EDENIED; BO_EIO. On error no file is left at @p path.
 */
BO_EXTERN(int) bo_book_export_saft(bo_book *book, const char *path,
                                   const bo_saft_options *opts);

/**
 * Write the point-of-sale journal as a SAF-T Cash Register file, Norwegian
 * version 1.00 (docs/import-export.md has the mapping), to @p path (an
 * existing file is replaced): the header (the period, the book currency),
 * the company (@p opts: registration_number, company_name, vat_number,
 * country; tax_codes maps tax rates to standard VAT codes, "NA" when not
 * listed), the chart, the tax rates, the cashiers as employees, the items
 * sold as articles, and per stock location one cash register with its
 * events (till sessions opened and closed, sales and return receipts) and
 * its transactions: every sale (lines with quantity, amounts with and
 * without VAT, each line's VAT, the VAT per rate, the payments and the
 * change given, the cashier) and every return. A transaction's signature
 * is the hash of its record in the audit chain. Dates select sales,
 * returns and sessions from @p opts->from to @p opts->to (default: the
 * first to the last). Before anything is written every sale's lines are
 * checked to add up to its total and every line's taxes to its tax. Read
 * from one consistent snapshot; needs ledger.read and inventory.read.
 * @param location a stock location's code: only its cash register; NULL:
 *        every location that sold, took back or opened a till.
 * @return 0; BO_EINVAL (an option, from after to: named); BO_ENOTFOUND (an
 *         unknown @p location); BO_ECURRENCY (a book currency with more
 *         than 2 decimals); BO_ECORRUPT (a sale whose lines do not add up:
 *         named); BO_ETOOLONG (an identifier longer than SAF-T allows:
 *         named); BO_EDENIED; BO_EIO. On error no file is left at @p path.
 */
BO_EXTERN(int) bo_book_export_saft_cr(bo_book *book, const char *path,
                                      const bo_saft_options *opts, const char *location);

/** The current version of bo_gnucash_options. */
#define BO_GNUCASH_OPTIONS_VERSION 2

/** Options for bo_book_import_gnucash(). Initialise with
 *  BO_GNUCASH_OPTIONS_INIT or bo_gnucash_options_init(); members are only
 *  ever appended. */
typedef struct bo_gnucash_options {
    unsigned int version;      /**< BO_GNUCASH_OPTIONS_VERSION */
    const char *base_currency; /**< the new book's currency; NULL: the
                                    currency most transactions use */
    int has_utc_offset;        /**< 1: utc_offset_minutes dates the
                                    transactions that have neither a
                                    date-posted slot nor a 10:59 UTC time */
    int utc_offset_minutes;    /**< the books' time zone, -840..840 */
    /* version 2 */
    int write_added;           /**< importing a book again: 1 writes the
                                    accounts and transactions that are new
                                    since, when none changed or went
                                    missing; 0 writes nothing but the same
                                    book */
} bo_gnucash_options;

/** Initialiser of bo_gnucash_options. */
#define BO_GNUCASH_OPTIONS_INIT { BO_GNUCASH_OPTIONS_VERSION, NULL, 0, 0, 0 }

/**
 * Initialise @p opts to the defaults of @p version (FFI callers cannot
 * expand BO_GNUCASH_OPTIONS_INIT).
 * @return 0, or BO_EINVAL for another version.
 */
BO_EXTERN(int) bo_gnucash_options_init(bo_gnucash_options *opts, unsigned int version);

/**
 * Read a GnuCash book, the gzip-compressed (or plain) XML file of GnuCash
 * 2.6 to 5 (book version "2.0.0") or its SQLite book (tables at the
 * versions GnuCash 2.6 to 5 write; told by the file's first bytes), into a
 * new book at @p uri
 * (docs/import-export.md has the mapping): the account tree from parent
 * ids (the root and the template accounts skipped; the account's GnuCash
 * code, or "gc-" and the first 12 hex digits of its id, as our code), each
 * transaction as an entry with its splits' exact quantities in their
 * accounts' currencies (a transaction mixing currencies carries each
 * posting's book-currency value where it is exact). Voided transactions
 * are skipped. Dates: the date-posted slot, else a 10:59 UTC time, else
 * @c utc_offset_minutes. The file is read whole and checked before the
 * book is created; then everything is written in one transaction.
 * @p book supplies the actor and store settings (its @c create and
 * @c base_currency are set here; may be NULL).
 * @return 0; BO_ESCHEMA (a book version other than 2.0.0); BO_EINVAL (not
 *         a GnuCash book, malformed XML, an amount finer than its
 *         currency's scale, a date without a time zone: the message names
 *         the line and transaction); BO_ECURRENCY (not an ISO 4217
 *         currency); BO_ENOTSUP (securities, realized-gain splits);
 *         BO_ESCHEMA also for an SQLite table at an unknown version;
 *         BO_EEXISTS (the store's book has accounts, none imported from
 *         this GnuCash book); BO_ECONFLICT (importing a book again: an
 *         account or transaction changed or went missing since, or new
 *         ones without @c write_added; the message gives the counts and
 *         the first, named by its GnuCash id; nothing is written);
 *         BO_EIO; store errors. On error before the commit nothing is
 *         imported.
 *
 * Every account and transaction read is recorded in the book's provenance
 * (bo_book_provenance(): system "gnucash", source the GnuCash book's id,
 * object the account's or transaction's id, the digest of its fields, our
 * record "account:CODE" or "entry:ID", empty for a voided transaction).
 * Importing the same file into the same store again adds nothing and
 * returns 0; a changed file is compared first (bo_book_gnucash_diff()).
 */
BO_EXTERN(int) bo_book_import_gnucash(const char *uri, const char *path,
                                      const bo_book_options *book,
                                      const bo_gnucash_options *opts);

/**
 * Compare a GnuCash book (as bo_book_import_gnucash() reads it) with what
 * @p book recorded of it when it was imported; nothing is written. One row
 * per difference, accounts first, then transactions in the file's order,
 * then those the book holds and the file no longer has: change ("added",
 * "changed", "missing"), kind ("account", "transaction"), object (its
 * GnuCash id), record (ours, "account:1100" or "entry:12"; empty for an
 * added one). No row: importing the file again adds nothing. Needs
 * ledger.read.
 * @return 0; the errors of bo_book_import_gnucash() reading the file;
 *         BO_EDENIED; store errors.
 */
BO_EXTERN(int) bo_book_gnucash_diff(bo_book *book, const char *path,
                                    const bo_gnucash_options *opts, bo_cursor **out);

/**
 * Where imported records came from: a cursor over the provenance rows of
 * source system @p system ("gnucash") and, unless NULL, of source book
 * @p source only, ordered by source and object: system, source, object
 * (the id in the source), digest (SHA-256 hex of what the source said),
 * record (ours: "account:1100", "entry:12"; empty when none was made),
 * attrs (what the source says that our records have no place for: a
 * GnuCash account's "placeholder" and "hidden", a transaction's
 * "reconcile=" with each split's state and "void=REASON", a price
 * "price EUR/USD 10869/10000 DATE SOURCE").
 * Needs ledger.read.
 * @return 0; BO_EINVAL (a name); BO_EDENIED; store errors.
 */
BO_EXTERN(int) bo_book_provenance(bo_book *book, const char *system, const char *source,
                                  bo_cursor **out);

/** The plain-text journal formats. */
typedef enum bo_journal_dialect {
    BO_JOURNAL_AUTO = 0,     /**< told from the file's name: .beancount and
                                  .bean beancount, .ledger and .dat ledger,
                                  anything else hledger */
    BO_JOURNAL_LEDGER = 1,   /**< ledger-cli (3.x) */
    BO_JOURNAL_HLEDGER = 2,  /**< hledger (1.x) */
    BO_JOURNAL_BEANCOUNT = 3 /**< beancount (2.x) */
} bo_journal_dialect;

/** The current version of bo_journal_options. */
#define BO_JOURNAL_OPTIONS_VERSION 1

/** Options for bo_book_import_journal() and bo_book_export_journal().
 *  Initialise with BO_JOURNAL_OPTIONS_INIT or bo_journal_options_init();
 *  members are only ever appended. */
typedef struct bo_journal_options {
    unsigned int version;      /**< BO_JOURNAL_OPTIONS_VERSION */
    int dialect;               /**< a #bo_journal_dialect */
    const char *base_currency; /**< import: the new book's currency; NULL:
                                    the commodity costs are given in most,
                                    else the one most postings use */
    const char *dollar;        /**< import: the currency "$" stands for;
                                    NULL: "USD" */
} bo_journal_options;

/** Initialiser of bo_journal_options. */
#define BO_JOURNAL_OPTIONS_INIT { BO_JOURNAL_OPTIONS_VERSION, BO_JOURNAL_AUTO, NULL, NULL }

/**
 * Initialise @p opts to the defaults of @p version (FFI callers cannot
 * expand BO_JOURNAL_OPTIONS_INIT).
 * @return 0, or BO_EINVAL for another version.
 */
BO_EXTERN(int) bo_journal_options_init(bo_journal_options *opts, unsigned int version);

/**
 * Read a plain-text journal (ledger-cli, hledger or beancount, the
 * @c dialect of @p opts) into a new book at @p uri (docs/import-export.md,
 * "Plain-text journals in"): every account named (its full name, parents
 * included, becomes its code; its type from the first part, Assets,
 * Liabilities, Equity, Income or Expenses), every transaction as an entry
 * dated as written with its postings' exact amounts (a commodity that is
 * not an ISO 4217 currency becomes a currency of the process at the
 * scale the file writes it with; an account holding a second commodity
 * gets a child account for it, "Assets:Broker:AAPL"), costs and prices
 * (@ @@ {} {{}}) as each posting's exact value in the book currency, the
 * description and comments (metadata, tags) as memos, and the source
 * "DIALECT:FILE:LINE" as each entry's idempotency key. Balance assertions
 * (= == =* ==* and beancount's balance) are checked. The file is read
 * whole and checked before the book is created; then everything is
 * written in one transaction. @p book supplies the actor and store
 * settings (may be NULL).
 * @return 0; BO_EINVAL (a syntax error, an amount finer than its
 *         commodity's scale, an account whose type cannot be told); BO_EUNBALANCED
 *         (a transaction that does not balance, a balance assertion that
 *         fails); BO_ECURRENCY (a commodity that cannot be a currency);
 *         BO_ENOTSUP (virtual postings, automated or periodic transactions,
 *         include, pad, a cost in another currency than the book's);
 *         BO_ETOOLONG; BO_EUTF8; BO_EOVERFLOW; BO_EEXISTS (the store's book
 *         has accounts, none imported from this journal); BO_ECONFLICT
 *         (importing a journal again that changed since: an account or
 *         transaction added, changed or missing; the message gives the
 *         counts and the first; nothing is written); BO_EIO; store errors.
 *         Every refusal names the file, line and column; on error nothing
 *         is imported.
 *
 * Every account and transaction read is recorded in the book's provenance
 * (bo_book_journal_diff() describes the rows): importing the same journal
 * into the same store again adds nothing and returns 0.
 */
BO_EXTERN(int) bo_book_import_journal(const char *uri, const char *path,
                                      const bo_book_options *book,
                                      const bo_journal_options *opts);

/**
 * Compare a plain-text journal (as bo_book_import_journal() reads it) with
 * what @p book recorded of it when it was imported; nothing is written.
 * An import records each account and transaction in the book's provenance
 * (bo_book_provenance(): system the dialect, "hledger", "ledger" or
 * "beancount"; source the file's name; object "account:NAME" or
 * "tx:DATE#N", the N-th transaction of that date; the SHA-256 of what the
 * file says of it; our record "account:CODE" or "entry:ID"). One row per
 * difference, accounts first, then transactions by date, then those the
 * book holds and the file no longer has: change ("added", "changed",
 * "missing"), kind ("account", "transaction"), object, record (ours; empty
 * for an added one). No row: importing the file again adds nothing. Needs
 * ledger.read.
 * @return 0; the errors of bo_book_import_journal() reading the file;
 *         BO_EDENIED; store errors.
 */
BO_EXTERN(int) bo_book_journal_diff(bo_book *book, const char *path,
                                    const bo_journal_options *opts, bo_cursor **out);

/**
 * Write the book's chart and journal to @p path as a plain-text journal
 * that hledger and ledger-cli both read (BO_JOURNAL_AUTO, _HLEDGER and
 * _LEDGER write the same file), or with BO_JOURNAL_BEANCOUNT a beancount
 * file (an open directive per account, named under its type's root;
 * docs/import-export.md, "Journals out"):
 * an @c account line per account (its code), then each entry in date
 * order with its memo, each posting with its amount at its currency's
 * scale and its memo as a comment; a posting of an entry that balances
 * only in the book currency carries its book-currency value as a total
 * price (@@). An existing file is replaced; on error no file is left.
 * Read from one consistent snapshot; needs ledger.read.
 * @return 0; BO_EINVAL (an account code or memo a journal line cannot
 *         hold, two codes with one beancount name: named);
 *         BO_ECURRENCY (a currency this process does not know, or for
 *         beancount one not starting with a letter); BO_ECORRUPT;
 *         BO_EDENIED; BO_ESTATE (inside a transaction); BO_EIO.
 */
BO_EXTERN(int) bo_book_export_journal(bo_book *book, const char *path,
                                      const bo_journal_options *opts);

/**
 * Onboard a chart of accounts and its opening balances from the CSV file
 * @p path (docs/import-export.md, "CSV onboarding"): a header line naming
 * the columns, in any order, among code (required), name, type, parent,
 * currency and balance; then one account per line. A code the book does
 * not have is a new account (name and type required: asset, liability,
 * equity, income or expense; parent an account of the book or of an
 * earlier line; currency default the book's); a code it has takes only a
 * balance (its currency, when given, must be the account's). Balances are
 * decimals at the currency's scale, positive for a debit; each currency's
 * balances must sum to zero (include the opening-balance equity line).
 * The new accounts and one entry dated @p date with memo @p memo (NULL:
 * "opening balances") holding every non-zero balance are written in one
 * transaction, after the whole file is checked. Needs ledger.admin and
 * ledger.post.
 * @return 0; BO_EINVAL (a column, a field, a type, a parent, a balance
 *         finer than its currency: the message names file:line and the
 *         column); BO_EUNBALANCED (a currency whose balances do not sum to
 *         zero: named with the difference); BO_ECURRENCY; BO_EEXISTS (a
 *         code on two lines); BO_EUTF8; BO_ELIMIT; BO_EOVERFLOW;
 *         BO_EPERIOD; BO_ESTATE (inside a transaction); BO_EDENIED; BO_EIO.
 *         On error nothing is written.
 */
BO_EXTERN(int) bo_book_import_opening_csv(bo_book *book, const char *path, bo_date date,
                                          const char *memo);

/**
 * Onboard parties, items with their stock and cost, or employees from the
 * CSV file @p path (docs/import-export.md, "CSV onboarding: parties, items,
 * employees"): a header line naming columns of @p kind, in any order, then
 * one record per line.
 * - "parties": code (required), name, roles (customer, vendor or both;
 *   default customer), currency, tax_id, email, phone, address, terms_days.
 * - "items": sku (required), name, scale, method (fifo or average),
 *   tax_category, unit, category, location, quantity, cost. A line with a
 *   location receives quantity (at the item's scale) into it at the total
 *   cost (a decimal of the base currency) on @p date, reference "opening
 *   stock", idempotency key "onboard:SKU@LOCATION"; further lines of a SKU
 *   name further locations.
 * - "employees": number (required), name, start_date (YYYY-MM-DD), end_date,
 *   contact, department, cost_center, pay_group, tax_status, tax_id,
 *   social_id, bank_account (the last three sealed with the handle's key).
 * A record whose key (code, SKU, number) the book has already is left as it
 * is, so a second run adds nothing. The whole file is checked, then every
 * new record is written in one transaction; a refusal while writing rolls
 * all of it back. Needs the domains' own permissions (party.write,
 * inventory.admin and inventory.write, payroll.write).
 * @return the number of records added (>= 0); BO_EINVAL (kind, a column, a
 *         field, a quantity or cost finer than its scale: the message names
 *         file:line and the column); BO_EEXISTS (a key on two lines);
 *         BO_ENOTFOUND (a location); BO_ECURRENCY; BO_EKEYREUSE (a stock
 *         line changed since a first run); BO_EKEY; BO_EUTF8; BO_ELIMIT;
 *         BO_EOVERFLOW; BO_ESTATE (inside a transaction); BO_ECONFIG;
 *         BO_EDENIED; BO_EIO. On error nothing is written.
 */
BO_EXTERN(int) bo_book_import_csv(bo_book *book, const char *kind, const char *path,
                                  bo_date date);

/**
 * Write the entries dated @p from to @p to (inclusive) as France's FEC,
 * the Fichier des Écritures Comptables (docs/import-export.md, "FEC"), to
 * @p path: a header line of the 18 field names (JournalCode ... Idevise),
 * then one line per posting in date and entry order, fields separated by a
 * tab, UTF-8; dates YYYYMMDD; Debit and Credit in the book currency with a
 * decimal comma and no thousands separator ("1234,50"); a posting in
 * another currency also as Montantdevise and Idevise. Every entry is
 * checked first to have debits equal to credits in the book currency. The
 * file is written with mode 0600 beside @p path and renamed over it; on
 * error no file is left. Read from one consistent snapshot; needs
 * ledger.read.
 * @return 0; BO_EINVAL (dates, path); BO_ECORRUPT (an entry whose debits
 *         and credits differ, a posting without a book-currency value:
 *         named); BO_ECURRENCY; BO_ESTATE (inside a transaction);
 *         BO_EDENIED; BO_EIO.
 */
BO_EXTERN(int) bo_book_export_fec(bo_book *book, const char *path, bo_date from,
                                  bo_date to);

/** The schema version this library writes. */
BO_EXTERN(int) bo_book_schema_version(void);

/** The URI the book was opened with. Borrowed from the book. */
BO_EXTERN(const char *) bo_book_uri(const bo_book *book);

BO_END_DECLS

#endif
