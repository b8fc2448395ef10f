/* The payroll tables: this part's migration and its list of tables for copying
 * a book (see src/store/schema.c). Amounts are minor units; dates ISO text. */
#include "payroll/payroll.h"

#include <stddef.h>

const char *const bo__ddl_payroll[] = {
    /* Rule packs: the source is kept so a pack is recompiled exactly. */
    "CREATE TABLE pay_packs ("
    " id {ID},"
    " name TEXT{TEXT_C} NOT NULL UNIQUE,"
    " currency TEXT{TEXT_C} NOT NULL,"
    " source TEXT{TEXT_C} NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " components INTEGER NOT NULL,"
    " loaded_at TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE pay_employees ("
    " id {ID},"
    " number TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " contact TEXT{TEXT_C},"
    " tax_id TEXT{TEXT_C},"
    " social_id TEXT{TEXT_C},"
    " bank_account TEXT{TEXT_C},"
    " start_date TEXT{TEXT_C} NOT NULL,"
    " end_date TEXT{TEXT_C},"
    " department TEXT{TEXT_C},"
    " cost_center TEXT{TEXT_C},"
    " pay_group TEXT{TEXT_C},"
    " tax_status TEXT{TEXT_C},"
    " risk_class TEXT{TEXT_C},"
    " recipient TEXT{TEXT_C})",

    /* Terms history: the row in force for a date is the latest effective
     * on or before it (ties: the latest recorded). */
    "CREATE TABLE pay_terms ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " effective TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " schedule INTEGER NOT NULL,"
    " recorded_at TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX pay_terms_by_employee ON pay_terms (employee_id, effective, id)",

    /* Time: attendance, timesheet hours and leave days, in minutes. */
    "CREATE TABLE pay_time ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " type TEXT{TEXT_C} NOT NULL,"
    " minutes BIGINT NOT NULL,"
    " clock_in TEXT{TEXT_C},"
    " clock_out TEXT{TEXT_C},"
    " idem_key TEXT{TEXT_C},"
    " digest TEXT{TEXT_C})",
    "CREATE INDEX pay_time_by_employee ON pay_time (employee_id, date)",
    "CREATE UNIQUE INDEX pay_time_by_key ON pay_time (idem_key)",

    "CREATE TABLE pay_runs ("
    " id {ID},"
    " idem_key TEXT{TEXT_C} NOT NULL UNIQUE,"
    " pack TEXT{TEXT_C} NOT NULL,"
    " pay_group TEXT{TEXT_C},"
    " schedule INTEGER NOT NULL,"
    " period_start TEXT{TEXT_C} NOT NULL,"
    " period_end TEXT{TEXT_C} NOT NULL,"
    " pay_date TEXT{TEXT_C} NOT NULL,"
    " state INTEGER NOT NULL,"
    " entry_id BIGINT REFERENCES entries(id),"
    " payment_id BIGINT REFERENCES entries(id),"
    " actor TEXT{TEXT_C},"
    " digest TEXT{TEXT_C})",

    /* One slip per employee and run; terms_amount is what the slip was
     * computed from, so a later change of terms shows as back pay. */
    "CREATE TABLE pay_slips ("
    " id {ID},"
    " run_id BIGINT NOT NULL REFERENCES pay_runs(id),"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " terms_amount BIGINT NOT NULL,"
    " gross BIGINT NOT NULL,"
    " deductions BIGINT NOT NULL,"
    " employer BIGINT NOT NULL,"
    " net BIGINT NOT NULL,"
    " UNIQUE (run_id, employee_id))",
    "CREATE INDEX pay_slips_by_employee ON pay_slips (employee_id, run_id)",

    "CREATE TABLE pay_lines ("
    " slip_id BIGINT NOT NULL REFERENCES pay_slips(id),"
    " line INTEGER NOT NULL,"
    " component TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " expense_account TEXT{TEXT_C},"
    " amount BIGINT NOT NULL,"
    " backpay_for TEXT{TEXT_C},"
    " PRIMARY KEY (slip_id, line)){CLUSTERED}",
    NULL
};

/* Schema version 8: pay runs keep the digest of their canonical form, and
 * time records (clock events, timesheet hours, leave) a key and digest
 * (bo__idem_claim). Runs created before have no digest and answer a replay
 * of their key as the same run. This part only upgrades a book whose
 * payroll tables an older release created: the CREATE statements above
 * already end with these columns and the index. */
const char *const bo__ddl_payroll_keys[] = {
    "ALTER TABLE pay_runs ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE pay_time ADD COLUMN idem_key TEXT{TEXT_C}",
    "ALTER TABLE pay_time ADD COLUMN digest TEXT{TEXT_C}",
    "CREATE UNIQUE INDEX pay_time_by_key ON pay_time (idem_key)",
    NULL
};

/* Schema version 13: the recipient kind of an employee (the Indonesian
 * pack's pegawai tetap, pensioner, daily, casual, non-employee...), dated
 * pay inputs (allowances, bonuses, zakat: input.NAME in a pack) and the
 * withholding slips of previous employers of the same year (previous.*). */
const char *const bo__ddl_payroll_recipient[] = {
    /* only for a book whose payroll tables an older release created: the
     * CREATE above already ends with the column (an ALTER makes SQLite
     * parse the whole schema again, which a new book need not pay) */
    "ALTER TABLE pay_employees ADD COLUMN recipient TEXT{TEXT_C}",
    NULL
};
const char *const bo__ddl_payroll_inputs[] = {
    "CREATE TABLE pay_inputs ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " name TEXT{TEXT_C} NOT NULL,"
    " date_from TEXT{TEXT_C} NOT NULL,"
    " date_to TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " recorded_at TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX pay_inputs_by_employee ON pay_inputs (employee_id, date_from)",
    "CREATE TABLE pay_previous ("
    " id {ID},"
    " employee_id BIGINT NOT NULL REFERENCES pay_employees(id),"
    " year INTEGER NOT NULL,"
    " period_start TEXT{TEXT_C} NOT NULL,"
    " period_end TEXT{TEXT_C} NOT NULL,"
    " bruto BIGINT NOT NULL,"
    " neto BIGINT NOT NULL,"
    " tax BIGINT NOT NULL,"
    " recorded_at TEXT{TEXT_C} NOT NULL)",
    "CREATE INDEX pay_previous_by_employee ON pay_previous (employee_id, year)",
    /* back pay looks up the basis lines of an employee's slips: without it,
     * every line of every slip of the year is read for each prior period */
    "CREATE INDEX pay_lines_basis ON pay_lines (slip_id, backpay_for) WHERE kind = 'basis'",
    NULL
};

const bo__table bo__tables_payroll[] = {
    { "pay_packs", "id, name, currency, source, digest, components, loaded_at",
      "ittttit", "id", "id" },
    { "pay_employees", "id, number, name, contact, tax_id, social_id, bank_account,"
      " start_date, end_date, department, cost_center, pay_group, tax_status,"
      " risk_class, recipient", "itttttttttttttt", "id", "id" },
    { "pay_terms", "id, employee_id, effective, kind, amount, schedule, recorded_at",
      "iittiit", "id", "id" },
    { "pay_time", "id, employee_id, date, type, minutes, clock_in, clock_out,"
      " idem_key, digest", "iittitttt", "id", "id" },
    { "pay_runs", "id, idem_key, pack, pay_group, schedule, period_start,"
      " period_end, pay_date, state, entry_id, payment_id, actor, digest",
      "itttitttiiitt", "id", "id" },
    { "pay_slips", "id, run_id, employee_id, terms_amount, gross, deductions,"
      " employer, net", "iiiiiiii", "id", "id" },
    { "pay_lines", "slip_id, line, component, kind, account, expense_account,"
      " amount, backpay_for", "iittttit", "slip_id, line", NULL },
    { "pay_inputs", "id, employee_id, name, date_from, date_to, amount, recorded_at",
      "iitttit", "id", "id" },
    { "pay_previous", "id, employee_id, year, period_start, period_end, bruto, neto,"
      " tax, recorded_at", "iiittiiit", "id", "id" },
};
const int bo__ntables_payroll = sizeof bo__tables_payroll / sizeof bo__tables_payroll[0];

/* Its parts of the schema, by version (src/store/schema.c). */
const bo__schema_part bo__parts_payroll[] = {
    { 5, bo__ddl_payroll, 0, NULL },
    { 8, bo__ddl_payroll_keys, 5, NULL }, /* the key and digest of a pay run */
    { 13, bo__ddl_payroll_recipient, 5, NULL }, /* an employee's recipient kind */
    { 13, bo__ddl_payroll_inputs, 0, NULL }, /* inputs, previous slips */
    { 0, NULL, 0, NULL },
};
