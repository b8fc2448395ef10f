/*
 * Payroll internals: the compiled rule pack, the expression evaluator, the
 * function registry and the helpers the pay-run files share. Internal.
 */
#ifndef BO_PAYROLL_PAYROLL_H
#define BO_PAYROLL_PAYROLL_H

#include "core/book.h"
#include "core/domain.h"
#include "backoffice/payroll.h"

#define BO__PAY_SCALE ((int64_t)BO_PAYROLL_SCALE)
#define BO__PAY_PLACES 6 /* decimals of a value: BO__PAY_SCALE = 10^6 */

/* Component kinds. CALC is a named intermediate: computed, never paid,
 * posted or shown on a payslip. */
enum { BO__PAY_EARNING = 1, BO__PAY_DEDUCTION, BO__PAY_EMPLOYER, BO__PAY_CALC,
       BO__PAY_FIGURE };
/* FIGURE: computed and shown on the payslip as a line of kind "figure"
 * (bruto of the month, the annual computation's lines), counted in the
 * year to date, never paid or posted. */
const char *bo__pay_kind_name(int kind);

/* Input slots of an evaluation (values scaled by BO__PAY_SCALE). */
enum {
    BO__IN_BASE_SALARY, BO__IN_HOURLY_RATE, BO__IN_HOURS_REGULAR,
    BO__IN_HOURS_OVERTIME, BO__IN_HOURS_HOLIDAY, BO__IN_DAYS_WORKED,
    BO__IN_LEAVE_DAYS,
    /* the period and the year (calc.c): month 1..12 of the period's end,
     * its year, 1 in the employee's last period of the year (December or
     * the month of leaving), the pay date as YYYYMMDD, the months of the
     * year worked up to the period's end */
    BO__IN_PERIOD_MONTH, BO__IN_PERIOD_YEAR, BO__IN_PERIOD_LAST,
    BO__IN_PAY_DATE, BO__IN_MONTHS_WORKED,
    /* a previous employer's withholding slips of the same year (sums) */
    BO__IN_PREV_BRUTO, BO__IN_PREV_NETO, BO__IN_PREV_TAX,
    /* overtime and rest-day hours weighted per PP 35/2021 (calc.c; 0 unless
     * the pack sets time.work_days_per_week) */
    BO__IN_HOURS_OT_WEIGHTED,
    /* the pack's fixed point (pack key fixpoint: COMPONENT): the least
     * v >= 0 with v = COMPONENT evaluated with fixpoint = v (pack.c) */
    BO__IN_FIXPOINT,
    BO__IN_COUNT
};
/* Employee attributes an expression may read (text). */
enum {
    BO__ATTR_TAX_STATUS, BO__ATTR_RISK_CLASS, BO__ATTR_DEPARTMENT,
    BO__ATTR_COST_CENTER, BO__ATTR_PAY_GROUP, BO__ATTR_RECIPIENT, BO__ATTR_COUNT
};
extern const char *const bo__pay_input_names[BO__IN_COUNT];
extern const char *const bo__pay_attr_names[BO__ATTR_COUNT];

enum { BO__TABLE_BRACKETS = 1, BO__TABLE_FLAT, BO__TABLE_MAP };

typedef struct bo__pay_table {
    char *name;
    int type;
    int n;
    int64_t *bound;  /* brackets: lower bound; flat: upper bound (INT64_MAX
                        = none); minor units x SCALE */
    int64_t *value;  /* rate or value x SCALE */
    char **keys;     /* map only */
} bo__pay_table;

typedef struct bo__pay_node bo__pay_node;

typedef struct bo__pay_comp {
    char *name;
    int kind;
    char *account, *expense_account;
    int first, root;       /* its expression's nodes: first..root of the
                              pool, root the top of its tree */
    uint32_t line, column; /* of the expression in the YAML */
    int oneline;           /* the expression is on one line: columns add up */
    int quoted;            /* 1 when the scalar starts with a quote */
    int last_only;         /* a figure shown: 0 always, 1 only in the last
                              period, 2 when not 0 */
} bo__pay_comp;

typedef struct bo__pay_pack {
    char *name, *file;
    char currency[BO_CURRENCY_MAX + 1];
    int exponent;
    char *net_account;
    int64_t regular_minutes; /* per day, for attendance (0: no split) */
    int64_t ot_day_max, ot_week_max; /* overtime caps in minutes (0: none) */
    int week_days;           /* 5 or 6: PP 35/2021 weighting (0: none) */
    char **inames;           /* the pay inputs (input.NAME) the pack reads */
    int ninames;
    int uses_last;           /* an expression reads period.last: the pack
                                settles the year in the last period */
    int uses_mtd;            /* an expression reads mtd.COMPONENT */
    int fixpoint;            /* the component the input fixpoint is solved
                                for (pack key fixpoint), or -1 */
    bo__pay_comp *comps;
    int ncomps;
    int *order;              /* evaluation order: component indices, with
                                -1 where the gross total is computed */
    int norder;
    bo__pay_table *tables;
    int ntables;
    bo__pay_node *nodes;
    int nnodes, nodes_cap;
    int *args;
    int nargs, args_cap;
    char digest[65];
} bo__pay_pack;

/* Compile len bytes of YAML into a new pack (free with bo__pay_pack_free).
 * BO_ECONFIG/BO_ELIMIT with FILE:LINE:COLUMN, BO_ENOMEM. */
int bo__pay_pack_compile(const char *yaml, size_t len, const char *file,
                         bo__pay_pack **out);
void bo__pay_pack_free(bo__pay_pack *p);
int bo__pay_comp_index(const bo__pay_pack *p, const char *name);

/* One evaluation's inputs. ytd[i] is component i's year to date before
 * this slip, in minor units (NULL: all 0). */
typedef struct bo__pay_input {
    int64_t in[BO__IN_COUNT];
    const int64_t *ytd;
    const int64_t *mtd;      /* the same within the pay date's calendar
                                month (mtd.COMPONENT; NULL: all 0) */
    const int64_t *items;    /* the pay inputs, by the pack's inames, scaled
                                (NULL: all 0) */
    const char *attr[BO__ATTR_COUNT];
} bo__pay_input;

/* Evaluate every component in order into values[ncomps] (minor units,
 * each rounded half away from zero; calc components scaled by
 * BO__PAY_SCALE, unrounded) and *gross (minor units). BO_EEVAL / BO_EOVERFLOW
 * naming the component and its YAML line:column. */
int bo__pay_eval(const bo__pay_pack *p, const bo__pay_input *in,
                 int64_t *values, int64_t *gross);

/* ---- the expression language (expr.c) ------------------------------------ */
/* Parse text (one component's expression, comp) into p's node pool; names
 * are resolved against p's components, tables, inputs and functions.
 * Returns the root index in *root (and records comp's first node); on
 * error BO_ECONFIG, or BO_ELIMIT (length, nesting, the pack's nodes: see
 * BO_PAYROLL_EXPR_MAX and its neighbours), with *err_off the byte offset in
 * text and the message (without position) set. */
int bo__pay_parse(bo__pay_pack *p, int comp, const char *text, int *root,
                  size_t *err_off);
/* Component indices the expression of component comp refers to (not
 * through ytd): calls fn(ctx, index) for each (perhaps more than once);
 * index == ncomps for the gross total. */
void bo__pay_refs(const bo__pay_pack *p, int comp,
                  void (*fn)(void *ctx, int index), void *ctx);
void bo__pay_nodes_free(bo__pay_pack *p);
int bo__pay_eval_node(const bo__pay_pack *p, int comp, int root,
                      const bo__pay_input *in, const int64_t *values,
                      int64_t gross, int64_t *out);

/* ---- functions (functions.c) ---------------------------------------------- */
/* Registry of plugin functions. Internal form used by built-in plugins. */
int bo__pay_function_register(const char *name, int arity, bo_payroll_function fn);
/* Index of a registered function, or -1; *arity receives its arity. */
int bo__pay_function_find(const char *name, int *arity);
/* Call registered function idx. */
int bo__pay_function_call(int idx, const int64_t *args, int nargs, int64_t *out);

/* ---- fixed-point helpers (expr.c) ----------------------------------------- */
/* x rounded to a multiple of 10^(6 - places) scaled units; mode 0 half away
 * from zero, 1 floor, 2 ceil. BO_EOVERFLOW when it does not fit. */
int bo__pay_round(int64_t x, int places, int mode, int64_t *out);

/* ---- shared helpers of the pay files --------------------------------------- */
/* The cached compiled pack named name (compiled from the stored source when
 * the digest changed). Borrowed until the book is freed or the pack reloaded. */
int bo__pay_pack_get(bo_book *book, const char *name, const bo__pay_pack **out);
/* Index of pay input name in p->inames, adding it (BO_ENOMEM); at most
 * 64 names (BO_ELIMIT). */
int bo__pay_iname(bo__pay_pack *p, const char *name, int *index);
/* Employee id by number (employees.c): BO_ENOTFOUND names no identifier. */
int bo__pay_employee_id(bo_book *book, const char *number, int64_t *id);
/* Append an audit record for a read of protected data, in its own write
 * (or inside the caller's transaction) (reads.c). */
int bo__pay_audit_read(bo_book *book, const char *action, const char *object);
/* The same for the object "<kind>:<id>" ("employee:7", "slip:12"). */
int bo__pay_audit_read_id(bo_book *book, const char *action, const char *kind,
                          int64_t id);
/* A one-row cursor whose single TEXT column "document" holds text; the
 * caller checked the permission (reads.c). */
int bo__pay_document_cursor(bo_book *book, const char *text, bo_cursor **out);
/* Date d as "YYYY-MM-DD"; BO_EINVAL "date: out of range" (dates.c). */
int bo__pay_date_text(bo_date d, char out[11]);
/* BO_EPERIOD "<what>: <date> lies in closed period '<name>'" when date is
 * in a closed period, else 0 (dates.c). */
int bo__pay_period_check(bo_book *book, bo_date date, const char *what);

/* Its YAML section (config_payroll.c), applied by the book layer. */
int bo__cfg_section_payroll(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

/* ---- the domain (domain_payroll.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_payroll;
extern const bo__schema_part bo__parts_payroll[];
extern const bo__table bo__tables_payroll[];
extern const int bo__ntables_payroll;
extern const bo__vdomain bo__verify_payroll;
extern int bo__payroll_slot;
extern const bo__domain_cache bo__payroll_cache;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_payroll[5];
#define BO__P_PAYROLL_READ (bo__perms_payroll[0])
#define BO__P_PAYROLL_WRITE (bo__perms_payroll[1])
#define BO__P_PAYROLL_RUN (bo__perms_payroll[2])
#define BO__P_PAYROLL_APPROVE (bo__perms_payroll[3])
#define BO__P_PAYROLL_ADMIN (bo__perms_payroll[4])

/* Pay runs under four eyes (approval_payroll.c): the gate of posting a
 * run, and the approval step's refusal of the actor who calculated it. */
int bo__pay_post_approval(bo_book *book, int64_t run_id);
int bo__pay_approve_check(bo_book *book, int64_t run_id);
extern const struct bo__approval_kind bo__approval_payroll_post;
/* The approval gates of changes of pay terms and of the bank account
 * (approval_payroll.c; bank: 0 at once for any other field). */
int bo__pay_terms_approval(bo_book *book, const char *number, bo_date effective,
                           const char *kind, int64_t amount, int schedule);
int bo__pay_bank_approval(bo_book *book, const char *number, const char *field,
                          const char *value);
extern const struct bo__approval_kind bo__approval_payroll_terms;
extern const struct bo__approval_kind bo__approval_payroll_bank;

#endif
