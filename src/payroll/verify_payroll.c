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
    { "payroll.form1721a1.read", NULL, NULL, NULL },
    { "payroll.withholding.export", NULL, NULL, NULL },
};

/* The names written before 0.3 (books written by 0.1 and 0.2 keep them in
 * their chain; nothing writes them now), read as the actions they became. */
static const bo__valias aliases[] = {
    { "pack.load", "payroll.pack.load", NULL },
    { "employee.add", "payroll.employee.add", NULL },
    { "employee.set", "payroll.employee.set", NULL },
    { "terms.set", "payroll.terms.set", NULL },
    { "time.add", "payroll.time.add", NULL },
    { "payrun.create", "payroll.run.create", NULL },
    { "payrun.slips", "payroll.run.slips", NULL },
    { "payrun.calculate", "payroll.run.calculate", NULL },
    { "payrun.approve", "payroll.run.approve", NULL },
    { "payrun.post", "payroll.run.post", NULL },
    { "payrun.pay", "payroll.run.pay", NULL },
    { "payrun.reverse", "payroll.run.reverse", NULL },
    { "employee.read", "payroll.employee.read", NULL },
    { "employee.list", "payroll.employee.list", NULL },
    { "employee.search", "payroll.employee.search", NULL },
    { "terms.read", "payroll.terms.read", NULL },
    { "time.read", "payroll.time.read", NULL },
    { "payslip.read", "payroll.payslip.read", NULL },
    { "payslip.render", "payroll.payslip.render", NULL },
    { "payrun.register", "payroll.run.register", NULL },
    { "ytd.read", "payroll.ytd.read", NULL },
};

const bo__vdomain bo__verify_payroll = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), NULL, 0,
    aliases, BO__VN(aliases),
};
