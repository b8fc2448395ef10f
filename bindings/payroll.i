/* The payroll domain (backoffice/payroll.h) in Python and Lua: methods on
 * Book, plus module functions for what needs no book. Included by
 * backoffice.i after the Book, Entry and Cursor classes. Dates are day
 * numbers (bo_date), as elsewhere in the modules. */
%rename("$ignore", %$isfunction, regextarget=1) "^bo_payroll_";
%ignore bo_payroll_function;
%ignore bo_payroll_free_fn;
/* Options structs stay in C: methods take their members as arguments. */
%ignore bo_payroll_time_options;
%ignore BO_PAYROLL_TIME_OPTIONS_INIT;
%ignore BO_PAYROLL_TIME_OPTIONS_VERSION;
%ignore bo_payroll_run_options;
%ignore BO_PAYROLL_RUN_OPTIONS_INIT;
%ignore BO_PAYROLL_RUN_OPTIONS_VERSION;
%ignore bo_payroll_previous;
%ignore BO_PAYROLL_PREVIOUS_INIT;
%ignore BO_PAYROLL_PREVIOUS_VERSION;
%include "backoffice/payroll.h"

%apply int BO_VALUE { int pay_schedule_parse };
%inline %{
/* Compile a rule pack without a book (raises on a bad pack). */
static int pay_pack_check(const char *yaml, size_t len, const char *file) {
    return bo_payroll_pack_check(yaml, len, file);
}
/* The schedule number for "monthly", "semi-monthly", "bi-weekly", "weekly". */
static int pay_schedule_parse(const char *name) {
    return bo_payroll_schedule_parse(name);
}
%}

%extend bo_book {
    int pay_pack_load(const char *yaml, size_t len, const char *file = NULL) {
        return bo_payroll_pack_load(self, yaml, len, file);
    }
    int pay_packs(bo_cursor **out) {
        return bo_payroll_packs(self, out);
    }
    /* Returns the component's value. */
    int pay_pack_eval(int64_t *out, const char *pack, const char *inputs,
                      const char *component) {
        return bo_payroll_pack_eval(self, pack, inputs, component, out);
    }
    int pay_employee_add(const char *number, const char *name, bo_date start) {
        return bo_payroll_employee_add(self, number, name, start);
    }
    /* value None/nil clears an optional field. */
    int pay_employee_set(const char *number, const char *field, const char *value = NULL) {
        return bo_payroll_employee_set(self, number, field, value);
    }
    int pay_employee_get(bo_cursor **out, const char *number) {
        return bo_payroll_employee_get(self, number, out);
    }
    int pay_employees(bo_cursor **out) {
        return bo_payroll_employees(self, out);
    }
    int pay_employee_search(bo_cursor **out, const char *text) {
        return bo_payroll_employee_search(self, text, out);
    }
    int pay_terms_set(const char *number, bo_date effective, const char *kind,
                      int64_t amount, int schedule) {
        return bo_payroll_terms_set(self, number, effective, kind, amount, schedule);
    }
    int pay_terms(bo_cursor **out, const char *number) {
        return bo_payroll_terms(self, number, out);
    }
    /* Time records return the record's id. key: the idempotency key a clock
     * event and timesheet hours require (optional for leave); without one
     * clock and hours refuse, naming the key. */
    int pay_clock(int64_t *id, const char *number, bo_date date, const char *clock_in,
                  const char *clock_out, const char *key = NULL) {
        bo_payroll_time_options opts;
        int rc;
        *id = 0;
        if ((rc = bo_payroll_time_options_init(&opts, BO_PAYROLL_TIME_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_payroll_clock(self, number, date, clock_in, clock_out, &opts, id);
    }
    int pay_hours_add(int64_t *id, const char *number, bo_date date, const char *type,
                      int64_t minutes, const char *key = NULL) {
        bo_payroll_time_options opts;
        int rc;
        *id = 0;
        if ((rc = bo_payroll_time_options_init(&opts, BO_PAYROLL_TIME_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_payroll_hours_add(self, number, date, type, minutes, &opts, id);
    }
    int pay_leave_add(int64_t *id, const char *number, bo_date from, bo_date to,
                      const char *kind, const char *key = NULL) {
        bo_payroll_time_options opts;
        int rc;
        *id = 0;
        if ((rc = bo_payroll_time_options_init(&opts, BO_PAYROLL_TIME_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_payroll_leave_add(self, number, from, to, kind, &opts, id);
    }
    int pay_input_add(const char *number, const char *name, bo_date from, bo_date to,
                      int64_t amount) {
        return bo_payroll_input_add(self, number, name, from, to, amount);
    }
    /* A previous employer's slip of the same tax year (its members). */
    int pay_previous_add(const char *number, int year, bo_date period_start,
                         bo_date period_end, int64_t bruto, int64_t neto, int64_t tax) {
        bo_payroll_previous s;
        int rc = bo_payroll_previous_init(&s, BO_PAYROLL_PREVIOUS_VERSION);
        if (rc)
            return rc;
        s.year = year;
        s.period_start = period_start;
        s.period_end = period_end;
        s.bruto = bruto;
        s.neto = neto;
        s.tax = tax;
        return bo_payroll_previous_add(self, number, &s);
    }
    /* Every date unless told. */
    int pay_time(bo_cursor **out, const char *number, bo_opt_date from = BO_DATE_MIN,
                 bo_opt_date to = BO_DATE_MAX) {
        return bo_payroll_time(self, number, from, to, out);
    }
    /* Returns the run's id. Every pay group unless told. */
    int pay_run_create(int64_t *id, const char *key, const char *pack, int schedule,
                       bo_date period_start, bo_date period_end, bo_date pay_date,
                       const char *pay_group = NULL) {
        bo_payroll_run_options o;
        int rc = bo_payroll_run_options_init(&o, BO_PAYROLL_RUN_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.key = key;
        o.pack = pack;
        o.pay_group = pay_group;
        o.schedule = schedule;
        o.period_start = period_start;
        o.period_end = period_end;
        o.pay_date = pay_date;
        return bo_payroll_run_create(self, &o, id);
    }
    int pay_run_calculate(int64_t run_id) {
        return bo_payroll_run_calculate(self, run_id);
    }
    int pay_run_approve(int64_t run_id) {
        return bo_payroll_run_approve(self, run_id);
    }
    /* Returns the journal entry's id. */
    int pay_run_post(int64_t *entry_id, int64_t run_id) {
        return bo_payroll_run_post(self, run_id, entry_id);
    }
    int pay_run_pay(int64_t *entry_id, int64_t run_id, const char *account, bo_date date) {
        return bo_payroll_run_pay(self, run_id, account, date, entry_id);
    }
    int pay_run_reverse(int64_t run_id, bo_date date) {
        return bo_payroll_run_reverse(self, run_id, date);
    }
    int pay_runs(bo_cursor **out) {
        return bo_payroll_runs(self, out);
    }
    /* Returns the state number (BO_PAYROLL_DRAFT ..). */
    int pay_run_state(int *state, int64_t run_id) {
        return bo_payroll_run_state(self, run_id, state);
    }
    int pay_payslip(bo_cursor **out, int64_t run_id, const char *number) {
        return bo_payroll_payslip(self, run_id, number, out);
    }
    int pay_payslip_render(bo_cursor **out, int64_t run_id, const char *number,
                           const char *format = "text") {
        return bo_payroll_payslip_render(self, run_id, number, format, out);
    }
    int pay_register(bo_cursor **out, int64_t run_id) {
        return bo_payroll_register(self, run_id, out);
    }
    int pay_ytd(bo_cursor **out, const char *number, int year) {
        return bo_payroll_ytd(self, number, year, out);
    }
    int pay_export(bo_cursor **out, int64_t run_id, const char *format = "csv") {
        return bo_payroll_export(self, run_id, format, out);
    }
    int pay_form_1721a1(bo_cursor **out, const char *number, int year,
                        const char *format = "text") {
        return bo_payroll_form_1721a1(self, number, year, format, out);
    }
    int pay_withholding_export(bo_cursor **out, int year, int month,
                               const char *format = "csv") {
        return bo_payroll_withholding_export(self, year, month, format, out);
    }
}
