/**
 * @file backoffice/payroll.h
 * @brief Payroll: employees, pay terms, time, rule packs, pay runs,
 *        payslips, the payroll register and postings to the ledger.
 *
 * Every figure of a payslip is reproducible from the rule pack and the
 * inputs. A rule pack (YAML, see docs/payroll.md) defines components:
 * earnings, employee deductions and employer contributions, each computed
 * by an expression of a small deterministic language (integers and
 * fixed-point decimals with 6 places; no host code runs). The pack is
 * compiled when it is loaded: unknown names, cycles between components and
 * bracket tables out of order are refused with the YAML line:column.
 *
 * A pay run goes draft -> calculated -> approved -> posted -> paid. It is
 * recalculated only while draft or calculated; posting writes one balanced
 * journal entry (aggregated per account and cost centre); a posted run is
 * corrected by reversal, never edited.
 *
 * Privacy: employees' personal and pay data are read only with
 * payroll.read, and every such read appends an audit record. Error
 * messages never contain salaries, amounts or personal identifiers. The
 * tax, social security and bank identifiers (tax_id, social_id,
 * bank_account) are stored encrypted with the host's key, the one
 * bo_document_set_encryption_key() gives the handle: setting or reading them needs it.
 *
 * Amounts are int64 minor units of the pack's currency. Dates are
 * #bo_date. Limits: employee numbers, codes and names up to
 * #BO_PAYROLL_TEXT_MAX bytes of UTF-8; a rule pack up to #BO_PAYROLL_PACK_MAX bytes,
 * each expression up to #BO_PAYROLL_EXPR_MAX bytes nested up to
 * #BO_PAYROLL_EXPR_DEPTH_MAX levels, #BO_PAYROLL_PACK_NODES_MAX nodes in all
 * (beyond them: BO_ELIMIT naming FILE:LINE:COLUMN).
 */
#ifndef BACKOFFICE_PAYROLL_H
#define BACKOFFICE_PAYROLL_H

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** Longest employee number, name, code or field value, in bytes. */
#define BO_PAYROLL_TEXT_MAX 256
/** Largest rule pack source, in bytes. */
#define BO_PAYROLL_PACK_MAX (1024 * 1024)
/** Fixed-point scale of expression values: 6 decimal places. */
#define BO_PAYROLL_SCALE 1000000
/** Most arguments of a function registered with bo_payroll_function_register(). */
#define BO_PAYROLL_ARGS_MAX 8
/** Longest expression of one rule-pack component, in bytes. */
#define BO_PAYROLL_EXPR_MAX 16384
/** Deepest nesting of an expression: each parenthesis, function call,
 *  unary minus and `not` opens one level. */
#define BO_PAYROLL_EXPR_DEPTH_MAX 64
/** Most nodes (numbers, texts, names, operators, calls) in all the
 *  expressions of one rule pack. */
#define BO_PAYROLL_PACK_NODES_MAX 100000

/* ---- rule packs ------------------------------------------------------- */

/**
 * Compile a rule pack without storing it (no book needed): checks the YAML,
 * every expression, names, the component graph and the tables.
 * @param yaml  the pack source; @p len its length in bytes.
 * @param file  the name used in messages ("id-2024.yaml"), or NULL.
 * @return 0; BO_ECONFIG with "FILE:LINE:COLUMN: ..." (unknown name, cycle,
 *         table out of order, syntax); BO_ELIMIT with "FILE:LINE:COLUMN: ..."
 *         (the pack's size, an expression's length or nesting, the pack's
 *         nodes, the YAML limits of backoffice/config.h); BO_ENOMEM.
 */
BO_EXTERN(int) bo_payroll_pack_check(const char *yaml, size_t len, const char *file);

/**
 * Compile and store a rule pack under the name given in its "pack:" key,
 * replacing an earlier version of that name (runs already calculated keep
 * their figures). Needs payroll.admin.
 * @param yaml  the pack source; @p len its length in bytes.
 * @param file  the name used in messages, or NULL.
 * @return 0, the errors of bo_payroll_pack_check(), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_pack_load(bo_book *book, const char *yaml, size_t len,
                                const char *file);

/**
 * The stored rule packs. Needs payroll.read.
 * Columns: name TEXT, currency TEXT, digest TEXT (SHA-256 of the source),
 * loaded_at TEXT, components INT.
 */
BO_EXTERN(int) bo_payroll_packs(bo_book *book, bo_cursor **out);

/**
 * Evaluate one component of a stored pack for a set of inputs, without
 * writing anything (for testing a pack against published examples).
 * Needs payroll.read.
 * @param pack       the pack's name.
 * @param inputs     "name=value" pairs separated by ';' or newlines:
 *                   base_salary, hourly_rate, hours.regular, hours.overtime,
 *                   hours.holiday, days_worked, leave_days,
 *                   period.month, period.year, period.last,
 *                   period.pay_date (YYYYMMDD), months_worked,
 *                   previous.bruto, previous.neto, previous.tax,
 *                   fixpoint (solved instead when the pack names its
 *                   fixpoint component), input.NAME (decimals
 *                   allowed), ytd.COMPONENT and mtd.COMPONENT (minor
 *                   units) and employee.ATTR (text). Inputs not given are
 *                   0 or "".
 * @param component  the component to report.
 * @param out        receives its value in minor units ("gross": the sum
 *                   of the earnings); a calc component's value is
 *                   reported scaled by #BO_PAYROLL_SCALE (0.015 is 15000).
 * @return 0, BO_ENOTFOUND (pack or component), BO_EINVAL (inputs),
 *         BO_EEVAL (names the component and YAML line:column), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_pack_eval(bo_book *book, const char *pack,
                                const char *inputs, const char *component,
                                int64_t *out);

/**
 * A function that rule packs may call. Arguments and the result are
 * fixed-point values scaled by #BO_PAYROLL_SCALE (minor units times 10^6).
 * Return 0, or a negative code (the evaluation fails with BO_EEVAL).
 * The function must be deterministic: the same arguments give the same
 * result.
 */
typedef int (*bo_payroll_function)(const int64_t *args, int nargs,
                               int64_t *result, void *user);

/** Releases the user pointer of a registered function (may be NULL). */
typedef void (*bo_payroll_free_fn)(void *user);

/**
 * Register (or replace) function @p name for every rule pack compiled
 * after the call, process-wide and thread-safe: for hosts and plugins.
 * Built-in names (if, min, max, clamp, round, floor, ceil, bracket,
 * lookup, major) cannot be replaced.
 * @param name   a lower-case identifier ([a-z_][a-z0-9_]*), up to 32 bytes.
 * @param arity  the number of arguments, 0..#BO_PAYROLL_ARGS_MAX.
 * @param fn     the function; @p user is passed to it; @p free_user (may be
 *               NULL) releases @p user when the function is replaced.
 * @return 0, BO_EINVAL (name, arity, NULL fn), BO_EEXISTS (a built-in),
 *         BO_ELIMIT (64 functions already), BO_ENOMEM.
 */
BO_EXTERN(int) bo_payroll_function_register(const char *name, int arity,
                                        bo_payroll_function fn, void *user,
                                        bo_payroll_free_fn free_user);

/* ---- employees -------------------------------------------------------- */

/**
 * Add an employee. Needs payroll.write.
 * @param number  the unique employee number ("E-001").
 * @param name    full name (personal data: never in messages).
 * @param start   first day of employment.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_employee_add(bo_book *book, const char *number,
                                   const char *name, bo_date start);

/**
 * Set one field of an employee. Needs payroll.write. Fields: name,
 * contact, tax_id, social_id, bank_account, start_date, end_date
 * ("YYYY-MM-DD"), department, cost_center, pay_group, tax_status
 * (e.g. "K/1"), risk_class (e.g. "0.24"), recipient (the kind of
 * recipient a pack distinguishes, e.g. the Indonesian pack's "pensioner",
 * "casual", "daily", "non-employee", "commissioner", "prize",
 * "pension-withdrawal"; empty: a permanent employee). @p value NULL clears an
 * optional field. tax_id, social_id and bank_account are sealed with the
 * handle's key (bo_document_set_encryption_key()) before they are stored.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (field or value), BO_EUTF8,
 *         BO_ETOOLONG, BO_EKEY (an identifier without the key), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_employee_set(bo_book *book, const char *number,
                                   const char *field, const char *value);

/**
 * One employee with every field, as a one-row cursor. Needs payroll.read;
 * the read is audited. Columns: number, name, contact, tax_id, social_id,
 * bank_account, start_date, end_date, department, cost_center, pay_group,
 * tax_status, risk_class, recipient (all TEXT). The identifiers are opened with the
 * handle's key.
 * @return 0, BO_ENOTFOUND, BO_EKEY (identifiers stored and no key, another
 *         key, or altered; the message names the field), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_employee_get(bo_book *book, const char *number,
                                   bo_cursor **out);

/**
 * The employees by number. Needs payroll.read; audited.
 * Columns: number TEXT, name TEXT, department TEXT, cost_center TEXT,
 * pay_group TEXT, start_date TEXT, end_date TEXT.
 */
BO_EXTERN(int) bo_payroll_employees(bo_book *book, bo_cursor **out);

/**
 * Employees whose number or name contains @p text (case-sensitive), by
 * number, with the columns of bo_payroll_employees(). Needs payroll.read;
 * audited (the search text is not recorded).
 */
BO_EXTERN(int) bo_payroll_employee_search(bo_book *book, const char *text,
                                      bo_cursor **out);

/* ---- pay terms -------------------------------------------------------- */

/** Pay schedules. */
typedef enum bo_payroll_schedule {
    BO_PAYROLL_MONTHLY = 1,      /**< twelve periods a year */
    BO_PAYROLL_SEMI_MONTHLY = 2, /**< 1st-15th and 16th-end of month */
    BO_PAYROLL_BI_WEEKLY = 3,    /**< every 14 days */
    BO_PAYROLL_WEEKLY = 4        /**< every 7 days */
} bo_payroll_schedule;

/**
 * The schedule named @p name ("monthly", "semi-monthly", "bi-weekly",
 * "weekly"). @return the #bo_payroll_schedule, or BO_EINVAL.
 */
BO_EXTERN(int) bo_payroll_schedule_parse(const char *name);

/**
 * Record pay terms in force from @p effective (which may lie in the past:
 * the next run computes back pay for periods already paid). Needs
 * payroll.write.
 * @param kind      "salary" (@p amount per pay period) or "hourly"
 *                  (@p amount per hour).
 * @param amount    minor units, >= 0.
 * @param schedule  a #bo_payroll_schedule.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_terms_set(bo_book *book, const char *number,
                                bo_date effective, const char *kind,
                                int64_t amount, int schedule);

/**
 * The terms history of an employee, by effective date. Needs payroll.read;
 * audited. Columns: effective TEXT, kind TEXT, amount INT, schedule TEXT,
 * recorded_at TEXT.
 */
BO_EXTERN(int) bo_payroll_terms(bo_book *book, const char *number, bo_cursor **out);

/* ---- pay inputs and previous employers --------------------------------- */

/**
 * Record a pay input of an employee: @p amount (minor units, may be
 * negative to correct an earlier record) under @p name for the dates
 * @p from..@p to inclusive. A pack reads it as input.NAME: the sum of the
 * employee's records named NAME whose dates overlap the run's period (so a
 * record from 1 January to 31 December counts in every monthly run of the
 * year, one dated 15 July only in July's). Examples: allowances, bonus,
 * THR, overtime pay, zakat paid through the employer. Needs payroll.write;
 * audited (without the amount).
 * @param name  [a-z_][a-z0-9_]*, up to 64 bytes.
 * @return 0, BO_ENOTFOUND (employee), BO_EINVAL (name, dates),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_input_add(bo_book *book, const char *number,
                                    const char *name, bo_date from, bo_date to,
                                    int64_t amount);

/** The version of #bo_payroll_previous this header describes. */
#define BO_PAYROLL_PREVIOUS_VERSION 1

/** A previous employer's withholding slip of the same tax year (the
 *  figures of its form 1721-A1), for bo_payroll_previous_add().
 *  Initialise with BO_PAYROLL_PREVIOUS_INIT or bo_payroll_previous_init();
 *  members are only ever appended. */
typedef struct bo_payroll_previous {
    unsigned int version; /**< BO_PAYROLL_PREVIOUS_VERSION */
    int year;             /**< the tax year */
    bo_date period_start; /**< first day of the slip's period (in @p year) */
    bo_date period_end;   /**< last day (in @p year, before the employee's
                               start with this employer) */
    int64_t bruto;        /**< gross income of the period, minor units */
    int64_t neto;         /**< net income (after biaya jabatan and the
                               employee's pension contributions) */
    int64_t tax;          /**< the tax of the period settled by that
                               employer (PPh 21 terutang) */
} bo_payroll_previous;

/** Static initialiser for #bo_payroll_previous. */
#define BO_PAYROLL_PREVIOUS_INIT { BO_PAYROLL_PREVIOUS_VERSION, 0, 0, 0, 0, 0, 0 }

/**
 * Initialise @p slip to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_payroll_previous_init(bo_payroll_previous *slip,
                                        unsigned int version);

/**
 * Record a previous employer's withholding slip of an employee. Packs read
 * the sums of the slips of the run's year as previous.bruto, previous.neto
 * and previous.tax (the Indonesian pack adds them in the last period's
 * annual computation). Needs payroll.write; audited (without amounts).
 * @return 0, BO_ENOTFOUND (employee), BO_EINVAL (version; year; a period
 *         not inside @p slip->year: "period_end: 2023-08-31 is not in tax
 *         year 2024"; a period ending on or after the employee's start
 *         date; negative bruto or tax; neto above bruto), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_previous_add(bo_book *book, const char *number,
                                       const bo_payroll_previous *slip);

/* ---- time ------------------------------------------------------------- */

/*
 * Idempotency of time records: clock events and timesheet hours come from
 * terminals that retry, so they require a key (in #bo_payroll_time_options;
 * without one bo_payroll_clock() and bo_payroll_hours_add() refuse with
 * BO_EINVAL). Leave takes an optional key. A second
 * call with the same key and content records nothing and answers the
 * first record's id; the same key with other content is BO_EKEYREUSE.
 */

/** Current version of #bo_payroll_time_options. */
#define BO_PAYROLL_TIME_OPTIONS_VERSION 1

/** Options for bo_payroll_clock(), bo_payroll_hours_add() and
 *  bo_payroll_leave_add(). Initialise with BO_PAYROLL_TIME_OPTIONS_INIT or
 *  bo_payroll_time_options_init(); members are only ever appended. */
typedef struct bo_payroll_time_options {
    unsigned int version; /**< BO_PAYROLL_TIME_OPTIONS_VERSION */
    const char *key;      /**< idempotency key (required for clock events
                               and hours, optional for leave) */
} bo_payroll_time_options;

/** Static initialiser for #bo_payroll_time_options. */
#define BO_PAYROLL_TIME_OPTIONS_INIT { BO_PAYROLL_TIME_OPTIONS_VERSION, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_payroll_time_options_init(bo_payroll_time_options *opts,
                                        unsigned int version);

/**
 * Record attendance under the idempotency key @p opts->key (required):
 * clocked in at @p clock_in and out at @p clock_out ("HH:MM", out after
 * in, same day) on @p date. The worked minutes count as regular hours up
 * to the pack's regular_hours_per_day and as overtime beyond. Needs
 * payroll.write.
 * @param id  receives the time record's id (the first one's for a
 *            replayed key); may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (also: no key, options version),
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_clock(bo_book *book, const char *number, bo_date date,
                               const char *clock_in, const char *clock_out,
                               const bo_payroll_time_options *opts, int64_t *id);

/**
 * Record timesheet hours under the idempotency key @p opts->key
 * (required): @p minutes of @p type ("regular", "overtime", "holiday") on
 * @p date. Needs payroll.write.
 * @param id  receives the time record's id; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (also: no key, options version),
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_hours_add(bo_book *book, const char *number,
                                   bo_date date, const char *type,
                                   int64_t minutes,
                                   const bo_payroll_time_options *opts, int64_t *id);

/**
 * bo_payroll_leave_add() with options: an optional idempotency key
 * @p opts->key (NULL options or key: none).
 * @param id  receives the id of the first day's record; may be NULL.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_leave_add(bo_book *book, const char *number,
                                   bo_date from, bo_date to, const char *kind,
                                   const bo_payroll_time_options *opts, int64_t *id);

/**
 * Time recorded for an employee between @p from and @p to inclusive.
 * Needs payroll.read; audited. Columns: date TEXT, type TEXT (regular,
 * overtime, holiday, attendance, leave-paid, leave-unpaid), minutes INT.
 */
BO_EXTERN(int) bo_payroll_time(bo_book *book, const char *number, bo_date from,
                           bo_date to, bo_cursor **out);

/* ---- pay runs --------------------------------------------------------- */

/** Pay run states. */
typedef enum bo_payroll_state {
    BO_PAYROLL_DRAFT = 1,      /**< created, no figures yet */
    BO_PAYROLL_CALCULATED = 2, /**< payslips computed; may be recalculated */
    BO_PAYROLL_APPROVED = 3,   /**< approved; figures frozen */
    BO_PAYROLL_POSTED = 4,     /**< journal entry posted */
    BO_PAYROLL_PAID = 5,       /**< net pay paid out */
    BO_PAYROLL_REVERSED = 6    /**< posting (and payment) reversed */
} bo_payroll_state;

/** The version of #bo_payroll_run_options this header describes. */
#define BO_PAYROLL_RUN_OPTIONS_VERSION 1

/** What a pay run covers, for bo_payroll_run_create(). Initialise with
 *  BO_PAYROLL_RUN_OPTIONS_INIT or bo_payroll_run_options_init(); members
 *  are only ever appended. */
typedef struct bo_payroll_run_options {
    unsigned int version;   /**< BO_PAYROLL_RUN_OPTIONS_VERSION */
    const char *pack;       /**< the rule pack's name (required) */
    const char *pay_group;  /**< only employees of this group, or NULL for all */
    int schedule;           /**< a #bo_payroll_schedule: only employees on it
                                 are paid (required) */
    bo_date period_start;   /**< first day of the period */
    bo_date period_end;     /**< last day of the period */
    bo_date pay_date;       /**< the date of the journal entry */
    const char *key;        /**< the idempotency key (required) */
} bo_payroll_run_options;

/** Static initialiser for #bo_payroll_run_options. */
#define BO_PAYROLL_RUN_OPTIONS_INIT \
    { BO_PAYROLL_RUN_OPTIONS_VERSION, NULL, NULL, 0, 0, 0, 0, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_payroll_run_options_init(bo_payroll_run_options *opts,
                                           unsigned int version);

/**
 * Create a pay run in the draft state for what @p opts describes (see
 * #bo_payroll_run_options). Needs payroll.run. Replaying @p opts->key with
 * the same content returns the first run's id; no key is BO_EINVAL
 * ("key: a pay run needs an idempotency key").
 * @param id  receives the run's id.
 * @return 0, BO_ENOTFOUND (pack), BO_EINVAL (options, dates), BO_EPERIOD
 *         (the pay date lies in a closed fiscal period), BO_EKEYREUSE,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_create(bo_book *book, const bo_payroll_run_options *opts,
                                     int64_t *id);

/**
 * Compute the payslips of run @p run_id from the pack, the terms in force
 * at the period's end and the time recorded in the period, plus back pay
 * for earlier paid periods whose terms changed since. Allowed while draft
 * or calculated (replaces earlier figures). Needs payroll.run.
 * @return 0, BO_ENOTFOUND, BO_ESTATE, BO_EPERIOD, BO_EEVAL (names the
 *         employee number, component and YAML line:column), BO_EOVERFLOW,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_calculate(bo_book *book, int64_t run_id);

/**
 * Approve a calculated run. Needs payroll.approve.
 * @return 0, BO_ENOTFOUND, BO_ESTATE, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_approve(bo_book *book, int64_t run_id);

/**
 * Post an approved run: one balanced journal entry dated the pay date,
 * with the run's key. Earnings debit their expense accounts; deductions
 * credit their payable accounts; employer contributions debit their
 * expense and credit their payable accounts; net pay credits the pack's
 * net pay account. Lines are aggregated per account and cost centre; the
 * cost centre is the line memo ("cc:SHOP"). Needs payroll.approve.
 * @param entry_id  receives the entry's id (may be NULL).
 * @return 0, BO_ENOTFOUND, BO_ESTATE, BO_EPERIOD, the ledger's errors
 *         (unknown or closed account), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_post(bo_book *book, int64_t run_id,
                               int64_t *entry_id);

/**
 * Pay a posted run: one entry debiting net pay payable and crediting
 * @p account (the bank) with the run's total net pay, dated @p date.
 * Needs payroll.approve.
 * @return 0, BO_ENOTFOUND, BO_ESTATE, BO_EPERIOD, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_pay(bo_book *book, int64_t run_id,
                              const char *account, bo_date date,
                              int64_t *entry_id);

/**
 * Reverse a posted or paid run, dated @p date: the posting entry (and the
 * payment entry, if any) are reversed with the ledger's reversal and the
 * run's payslips no longer count towards year-to-date figures. Needs
 * payroll.approve.
 * @return 0, BO_ENOTFOUND, BO_ESTATE, BO_EPERIOD, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_reverse(bo_book *book, int64_t run_id, bo_date date);

/**
 * The pay runs by id. Needs payroll.read. Columns: id INT, key TEXT,
 * pack TEXT, pay_group TEXT, schedule TEXT, period_start TEXT,
 * period_end TEXT, pay_date TEXT, state TEXT, entry INT, payment INT,
 * employees INT.
 */
BO_EXTERN(int) bo_payroll_runs(bo_book *book, bo_cursor **out);

/**
 * The state of run @p run_id (a #bo_payroll_state). Needs payroll.read.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_run_state(bo_book *book, int64_t run_id, int *state);

/* ---- payslips and reports --------------------------------------------- */

/**
 * The lines of one payslip. Needs payroll.read; audited.
 * Columns: line INT, component TEXT, kind TEXT (earning, deduction,
 * employer, or figure: a line the pack shows and does not pay, such as
 * the Indonesian pack's bruto and its last period's annual computation:
 * bruto_year, biaya_jabatan, neto, ptkp, pkp, pph21_year), amount INT, ytd_amount INT (the year to date including this
 * slip), backpay_for TEXT (the period start a back-pay line corrects, or NULL).
 * @return 0, BO_ENOTFOUND (run, or no slip for the employee), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_payslip(bo_book *book, int64_t run_id,
                              const char *number, bo_cursor **out);

/**
 * One payslip rendered as a document: a one-row cursor with the column
 * document TEXT. @p format is "text" or "html" (every value escaped), or
 * "text-id" / "html-id" for the same in Indonesian: labels in Bahasa
 * Indonesia (the components of the id-2024 pack by name, others as they
 * are) and money as "Rp 12.345.000" (the minor digits only when not zero,
 * "Rp 1.000,50"). Needs payroll.read; audited.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (format), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_payslip_render(bo_book *book, int64_t run_id,
                                     const char *number, const char *format,
                                     bo_cursor **out);

/**
 * The payroll register of a run: one row per employee, by number. Needs
 * payroll.read; audited. Columns: number TEXT, name TEXT, cost_center TEXT,
 * gross INT, deductions_total INT, net INT, employer_cost INT. (Money
 * columns are named amount, gross, net or end in _amount, _total, _cost.)
 */
BO_EXTERN(int) bo_payroll_register(bo_book *book, int64_t run_id, bo_cursor **out);

/**
 * Year-to-date totals per component of an employee for calendar year
 * @p year, from runs posted or paid and not reversed. Needs payroll.read;
 * audited. Columns: component TEXT, kind TEXT, amount INT.
 */
BO_EXTERN(int) bo_payroll_ytd(bo_book *book, const char *number, int year,
                          bo_cursor **out);

/**
 * Export the register of a run as one document: a one-row cursor with
 * the column document TEXT; @p format is "csv" (RFC 4180) or "json".
 * Columns as bo_payroll_register() plus currency (the pack's): CSV shows money
 * as decimals of that currency ("2500.00") and neutralises text that a
 * spreadsheet would run as a formula (a leading '=', '+', '-', '@', tab or
 * carriage return gets a single quote before it); JSON keeps minor-unit
 * integers. Needs payroll.read; audited.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (format), BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_export(bo_book *book, int64_t run_id,
                             const char *format, bo_cursor **out);

/**
 * The annual withholding slip of an employee for tax year @p year: the
 * figures of form 1721-A1 (Indonesia, PPh 21 of permanent employees and
 * pensioners) as one document, a one-row cursor with the column document
 * TEXT; @p format is "text" or "html" (self-contained, every value
 * escaped). Made from the slips of the year's posted runs (not reversed)
 * up to the employee's last period, which must be posted: lines 1 to 7
 * (bruto by kind: gaji, tunjangan PPh, other allowances and overtime,
 * honorarium, employer-paid insurance premiums, benefits in kind, bonus
 * and THR) are the sums of the components of a pack shaped like
 * data/payroll/id-2024.yaml, and must add up to the last period's
 * bruto_year (line 8); lines 9 to 20 are its annual computation
 * (biaya jabatan or pensiun, iuran pensiun/JHT/JP, zakat, neto, a previous
 * employer's neto, neto annualised, PTKP, PKP, Pasal 17 tax, a previous
 * employer's tax, the tax of the year); line 21 is what the earlier
 * periods withheld and line 22 the last period's withholding (a refund in
 * parentheses), so 19 + 21 + 22 = 20. The header carries the tax id
 * (NPWP or NIK: the employee's tax_id, opened with the handle's key), the
 * PTKP status and the tax-object code (21-100-01, pensioners 21-100-02).
 * Needs payroll.read; audited.
 * @return 0, BO_ENOTFOUND (employee, or no posted last period in the
 *         year), BO_EINVAL (format, year, a recipient who is not a
 *         permanent employee or pensioner), BO_ESTATE (the components do
 *         not add up to bruto_year), BO_EKEY (tax_id without the key),
 *         BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_form_1721a1(bo_book *book, const char *number, int year,
                                      const char *format, bo_cursor **out);

/**
 * The withholding lines of month @p month of @p year for the monthly
 * return (Indonesia, SPT Masa PPh 21): one row per slip of a run posted
 * (not reversed) with its pay date in that month, as one CSV document
 * (RFC 4180; a one-row cursor with the column document TEXT); @p format
 * must be "csv". Columns: period (YYYY-MM), number, tax_id (NPWP or NIK:
 * the employee's tax_id opened with the handle's key, empty when none),
 * name, ptkp_status, tax_object_code (kode objek pajak by the employee's
 * recipient: 21-100-01 permanent, -02 pensioner, -03 casual and daily,
 * -08 non-employee, -09 commissioner, -11 pension withdrawal, -12 prize),
 * bruto (the month's bruto), pph21 (withheld, less a refund), ter_category
 * (A, B, C, or "harian"), ter_rate_percent, method ("ter", "annual" for
 * the last period's annual computation, "daily", "pasal17"), currency.
 * Money as decimals of the pack's currency; text a spreadsheet would run
 * as a formula gets a single quote before it. Reads a pack shaped like
 * data/payroll/id-2024.yaml (components bruto_month, pph21, pph21_refund,
 * pph21_year; tables ter_category, ter_a, ter_b, ter_c). Needs
 * payroll.read; audited.
 * @return 0, BO_EINVAL (format, year, month), BO_EKEY, BO_EOVERFLOW,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_payroll_withholding_export(bo_book *book, int year, int month,
                                             const char *format, bo_cursor **out);

BO_END_DECLS

#endif
