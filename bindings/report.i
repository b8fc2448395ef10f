/* Reports (backoffice/report.h) in Python and Lua: the metrics and the
 * dashboard as methods of the book (book.reports.metrics(...),
 * book.reports.dashboard(...)), and report_money() as a module function.
 * The options struct stays in C: the methods take its members as
 * arguments. Included by backoffice.i after the domains. */
%rename("$ignore", regextarget=1, %$isfunction) "^bo_report_";
%ignore bo_report_options;
%ignore BO_REPORT_OPTIONS_INIT;
%ignore BO_REPORT_OPTIONS_VERSION;
%include "backoffice/report.h"

%inline %{
/* Money for people: "Rp 12.345.000", "$1,234.50" (never the C locale). */
static int report_money(char *buf, size_t size, int64_t amount, const char *currency) {
    return bo_report_money(amount, currency, buf, size);
}
%}

%extend bo_book {
    /* The sales metrics of from .. to (local days), grouped by group
     * (REPORT_DAY ...), compared with compare (REPORT_COMPARE_WEEK ...),
     * in the stores' zones ("S1=WIB,*=WITA"), for one store or all. */
    int report_metrics(bo_cursor **out, bo_date from, bo_date to, int group = 1,
                       int compare = 0, const char *zones = NULL,
                       const char *store = NULL) {
        bo_report_options o;
        int rc = bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.from = from;
        o.to = to;
        o.group = group;
        o.compare = compare;
        o.zones = zones;
        o.store = store;
        return bo_report_metrics(self, &o, out);
    }
    /* Write statement (REPORT_BALANCE_SHEET ...) of from .. to to path in
     * format (REPORT_HTML, REPORT_PDF, REPORT_CSV, REPORT_XLSX), with a
     * comparison column when compare is given. */
    int report_statement(int statement, int format, const char *path, bo_date from,
                         bo_date to, int compare = 0) {
        bo_report_options o;
        int rc = bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.from = from;
        o.to = to;
        o.compare = compare;
        return bo_report_statement_write(self, statement, &o, format, path);
    }
    /* Write the dashboard of from .. to to the HTML file path. */
    int report_dashboard(const char *path, bo_date from, bo_date to,
                         const char *zones = NULL, const char *store = NULL) {
        bo_report_options o;
        int rc = bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.from = from;
        o.to = to;
        o.zones = zones;
        o.store = store;
        return bo_report_dashboard(self, &o, path);
    }
    /* The cash-flow statement of from .. to (indirect method), with the
     * classes of accounts ("1000=cash,1500=investing", None: the book's). */
    int report_cash_flow(bo_cursor **out, bo_date from, bo_date to,
                         const char *classes = NULL) {
        bo_report_options o;
        int rc = bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.from = from;
        o.to = to;
        return bo_report_cash_flow(self, &o, classes, out);
    }
    /* Write the cash-flow statement of from .. to to path in format. */
    int report_cash_flow_write(int format, const char *path, bo_date from, bo_date to,
                               const char *classes = NULL) {
        bo_report_options o;
        int rc = bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.from = from;
        o.to = to;
        return bo_report_cash_flow_write(self, &o, classes, format, path);
    }
    /* Write the payslip of employee number in run run_id to path in format. */
    int report_payslip_write(int64_t run_id, const char *number, int format,
                             const char *path) {
        return bo_report_payslip_write(self, run_id, number, format, path);
    }
    /* Write the payroll register of run run_id to path in format. */
    int report_payroll_register_write(int64_t run_id, int format, const char *path) {
        return bo_report_payroll_register_write(self, run_id, format, path);
    }
}
