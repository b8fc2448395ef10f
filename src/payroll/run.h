/* Pay-run internals shared by run.c, calc.c, post.c and payslip.c. */
#ifndef BO_PAYROLL_RUN_H
#define BO_PAYROLL_RUN_H

#include "payroll/payroll.h"

typedef struct bo__pay_run {
    int64_t id;
    char key[BO_TEXT_MAX + 1];
    char pack[BO_PAYROLL_TEXT_MAX + 1];
    char group[BO_PAYROLL_TEXT_MAX + 1];
    int has_group;
    int schedule;
    char start[11], end[11], pay_date[11];
    int state;
    int64_t entry_id, payment_id;
} bo__pay_run;

const char *bo__pay_state_name(int state);
int bo__pay_run_load(bo_book *b, int64_t id, bo__pay_run *r);
/* Set the state and audit the change as action. */
int bo__pay_run_set_state(bo_book *b, const bo__pay_run *r, int state,
                          const char *action);

/* ---- shared by the renderings (payslip.c, forms_id.c) ---- */
/* Append s escaped: for HTML (html != 0) the five markup characters as
 * entities; control characters other than a line break as '?'. */
void bo__pay_esc(bo__buf *b, const char *s, int html);
/* One quoted CSV field, a leading formula character neutralised. */
void bo__pay_csv_field(bo__buf *o, const char *s);
/* An employee identifier as stored (sealed, or clear from 0.2) opened
 * with the handle's key: *out NULL when stored is NULL, else freed with
 * bo__free; BO_EKEY naming field without the key (employees.c). */
int bo__pay_open_id(bo_book *book, int64_t emp_id, const char *field, const char *stored,
                    char **out);
/* Money in the Indonesian manner: "Rp 12.345.000", "-Rp 1.000,50" (the
 * minor digits only when not zero; another currency's code instead of
 * "Rp"); without the symbol when sym is 0 (forms_id.c). */
void bo__pay_money_id(char out[64], int64_t v, const char *cur, int exponent, int sym);
/* The Indonesian label of a component of the id pack, or NULL. */
const char *bo__pay_label_id(const char *component);
/* The Indonesian name of a line kind ("penghasilan", "potongan", ...). */
const char *bo__pay_kind_id(const char *kind);

#endif
