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

#endif
