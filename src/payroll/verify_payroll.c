/* What the audit chain covers in the payroll tables (see
 * src/core/verify.h). All are records of their own, their states stored
 * with each change: rule packs (by name), employees (with their terms
 * history and time), pay runs (with their payslips and payslip lines:
 * recalculating a run replaces its slips, and the run's state covers
 * them). Reads of payroll data are audited too; they change nothing. */
#include "core/verify.h"

#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart pack_parts[] = { P("pay_packs", "t.name", "name") };
static const bo__vpart employee_parts[] = {
    P("pay_employees", "t.id", "id"),
    P("pay_terms", "t.employee_id", "effective, id"),
    P("pay_time", "t.employee_id", "date, id"),
    P("pay_inputs", "t.employee_id", "id"),
    P("pay_previous", "t.employee_id", "id"),
};
static const bo__vpart run_parts[] = {
    P("pay_runs", "t.id", "id"),
    P("pay_slips", "t.run_id", "employee_id"),
    { "pay_lines", "s.run_id", "pay_lines t JOIN pay_slips s ON s.id = t.slip_id",
      "slip_id, line", NULL, NULL, NULL, NULL, NULL,
      "SELECT 'slip ' || t.slip_id || ' line ' || t.line FROM pay_lines t"
      " WHERE NOT EXISTS (SELECT 1 FROM pay_slips s WHERE s.id = t.slip_id)"
      " LIMIT 1" },
};

static const bo__vkind kinds[] = {
    { "pack", 1, pack_parts, BO__VN(pack_parts) },
    { "employee", 0, employee_parts, BO__VN(employee_parts) },
    { "payrun", 0, run_parts, BO__VN(run_parts) },
};

static const bo__vaction actions[] = {
    { "payroll.pack.load", "pack", "pack:", NULL },
    { "payroll.employee.add", "employee", "employee:", NULL },
    { "payroll.employee.set", "employee", "employee:", NULL },
    { "payroll.terms.set", "employee", "employee:", NULL },
    { "payroll.time.add", "employee", "employee:", NULL },
    { "payroll.input.set", "employee", "employee:", NULL },
    { "payroll.previous.add", "employee", "employee:", NULL },
    { "payroll.run.create", "payrun", "payrun:", NULL },
    { "payroll.run.slips", "payrun", "payrun:", NULL },
    { "payroll.run.calculate", "payrun", "payrun:", NULL },
    { "payroll.run.approve", "payrun", "payrun:", NULL },
    { "payroll.run.post", "payrun", "payrun:", NULL },
    { "payroll.run.pay", "payrun", "payrun:", NULL },
    { "payroll.run.reverse", "payrun", "payrun:", NULL },
    /* Audited reads: they change nothing. */
    { "payroll.employee.read", NULL, NULL, NULL },
    { "payroll.employee.list", NULL, NULL, NULL },
    { "payroll.employee.search", NULL, NULL, NULL },
    { "payroll.terms.read", NULL, NULL, NULL },
    { "payroll.time.read", NULL, NULL, NULL },
    { "payroll.payslip.read", NULL, NULL, NULL },
    { "payroll.payslip.render", NULL, NULL, NULL },
    { "payroll.run.register", NULL, NULL, NULL },
    { "payroll.ytd.read", NULL, NULL, NULL },
    /* The names written before 0.3 (read-only history: books written by
     * 0.1 and 0.2 keep them in their chain, and nothing writes them now). */
    { "pack.load", "pack", "pack:", NULL },
    { "employee.add", "employee", "employee:", NULL },
    { "employee.set", "employee", "employee:", NULL },
    { "terms.set", "employee", "employee:", NULL },
    { "time.add", "employee", "employee:", NULL },
    { "payrun.create", "payrun", "payrun:", NULL },
    { "payrun.slips", "payrun", "payrun:", NULL },
    { "payrun.calculate", "payrun", "payrun:", NULL },
    { "payrun.approve", "payrun", "payrun:", NULL },
    { "payrun.post", "payrun", "payrun:", NULL },
    { "payrun.pay", "payrun", "payrun:", NULL },
    { "payrun.reverse", "payrun", "payrun:", NULL },
    { "employee.read", NULL, NULL, NULL },
    { "employee.list", NULL, NULL, NULL },
    { "employee.search", NULL, NULL, NULL },
    { "terms.read", NULL, NULL, NULL },
    { "time.read", NULL, NULL, NULL },
    { "payslip.read", NULL, NULL, NULL },
    { "payslip.render", NULL, NULL, NULL },
    { "payrun.register", NULL, NULL, NULL },
    { "ytd.read", NULL, NULL, NULL },
};

const bo__vdomain bo__verify_payroll = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0,
};
