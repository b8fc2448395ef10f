/*
 * Payslips and the payroll register as files people keep
 * (bo_report_payslip_write, bo_report_payroll_register_write): read
 * through payroll's own public calls (so its permissions, its audit of
 * reads and its figures apply), laid out as a statement table and drawn by
 * the statements' renderers (HTML, PDF, CSV, XLSX).
 */
#include "reports/reports.h"

#include "backoffice/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The run's period and its pack's currency. */
typedef struct run_info {
    char start[11], end[11], pay[11];
    char currency[16];
} run_info;

static int find_run(bo_book *b, int64_t run_id, run_info *ri)
{
    bo_cursor *c;
    char pack[256] = "";
    int rc = bo_payroll_runs(b, &c), found = 0;
    if (rc)
        return rc;
    while (!found && (rc = bo_cursor_next(c)) == 0) {
        if (bo_cursor_int(c, 0) != run_id)
            continue;
        found = 1;
        snprintf(pack, sizeof pack, "%s", bo_cursor_text(c, 2) ? bo_cursor_text(c, 2) : "");
        snprintf(ri->start, sizeof ri->start, "%s", bo_cursor_text(c, 5) ? bo_cursor_text(c, 5) : "");
        snprintf(ri->end, sizeof ri->end, "%s", bo_cursor_text(c, 6) ? bo_cursor_text(c, 6) : "");
        snprintf(ri->pay, sizeof ri->pay, "%s", bo_cursor_text(c, 7) ? bo_cursor_text(c, 7) : "");
    }
    bo_cursor_free(c);
    if (!found)
        return rc == BO_ITEROVER || rc == 0
                   ? bo__error_set(BO_ENOTFOUND, "run_id: no pay run %" PRId64, run_id)
                   : rc;
    if ((rc = bo_payroll_packs(b, &c)))
        return rc;
    while ((rc = bo_cursor_next(c)) == 0)
        if (strcmp(bo_cursor_text(c, 0), pack) == 0)
            snprintf(ri->currency, sizeof ri->currency, "%s", bo_cursor_text(c, 1));
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        return rc;
    if (!ri->currency[0])
        return bo__error_set(BO_ECORRUPT, "run_id: the pack of run %" PRId64 " is missing",
                             run_id);
    return 0;
}

static void heading(bo_book *b, bo__st *st, int64_t run_id, const run_info *ri)
{
    const char *name = bo_book_name(b);
    snprintf(st->book, sizeof st->book, "%s", name && name[0] ? name : "Book");
    snprintf(st->period, sizeof st->period, "Pay run %" PRId64 ": %s to %s, paid %s", run_id,
             ri->start, ri->end, ri->pay);
}

static int check(bo_book *b, int format, const char *path)
{
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (!path || !path[0])
        return bo__error_set(BO_EINVAL, "path: NULL or empty");
    return bo__st_format_check(format);
}

/* A row of the register's columns 4..7 (gross, deductions, net, employer
 * cost) from the register cursor's columns 3..6. */
#define REG_MONEY 4

int bo_report_payroll_register_write(bo_book *book, int64_t run_id, int format,
                                     const char *path)
{
    bo__error_clear();
    int rc;
    if ((rc = check(book, format, path)))
        return rc;
    run_info ri;
    memset(&ri, 0, sizeof ri);
    if ((rc = find_run(book, run_id, &ri)))
        return rc;
    bo__st st;
    memset(&st, 0, sizeof st);
    static const char *const head[] = { "Number", "Name", "Cost center", "Currency",
                                        "Gross", "Deductions", "Net", "Employer cost" };
    st.title = "Payroll register";
    st.ncols = 8;
    for (int k = 0; k < 8; k++) {
        st.head[k] = head[k];
        st.money[k] = k >= REG_MONEY;
    }
    heading(book, &st, run_id, &ri);
    bo_cursor *c;
    if ((rc = bo_payroll_register(book, run_id, &c)))
        goto out;
    int64_t total[4] = { 0 };
    size_t employees = 0;
    while ((rc = bo_cursor_next(c)) == 0) {
        bo__st_row *r;
        if ((rc = bo__st_add(&st, &r)) || (rc = bo__st_text(r, 0, bo_cursor_text(c, 0))) ||
            (rc = bo__st_text(r, 1, bo_cursor_text(c, 1))) ||
            (rc = bo__st_text(r, 2, bo_cursor_text(c, 2))) ||
            (rc = bo__st_text(r, 3, ri.currency)))
            break;
        snprintf(r->currency, sizeof r->currency, "%s", ri.currency);
        for (int k = 0; k < 4; k++) {
            r->v[REG_MONEY + k] = bo_cursor_int(c, 3 + k);
            r->has[REG_MONEY + k] = 1;
            if (bo_money_add(total[k], r->v[REG_MONEY + k], &total[k])) {
                rc = bo__error_set(BO_EOVERFLOW, "register: the total of %s overflows",
                                   head[REG_MONEY + k]);
                break;
            }
        }
        if (rc)
            break;
        employees++;
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        goto out;
    bo__st_row *r;
    char label[48];
    snprintf(label, sizeof label, "Total (%zu employees)", employees);
    if ((rc = bo__st_add(&st, &r)) || (rc = bo__st_text(r, 1, label)) ||
        (rc = bo__st_text(r, 3, ri.currency)))
        goto out;
    r->bold = 1;
    snprintf(r->currency, sizeof r->currency, "%s", ri.currency);
    for (int k = 0; k < 4; k++) {
        r->v[REG_MONEY + k] = total[k];
        r->has[REG_MONEY + k] = 1;
    }
    rc = bo__st_render(&st, format, path);
out:
    bo__st_free(&st);
    if (!rc)
        bo__error_clear();
    return rc;
}

int bo_report_payslip_write(bo_book *book, int64_t run_id, const char *number, int format,
                            const char *path)
{
    bo__error_clear();
    int rc;
    if ((rc = check(book, format, path)) ||
        (rc = bo__text_check("number", number, BO_CODE_MAX, false, false)))
        return rc;
    run_info ri;
    memset(&ri, 0, sizeof ri);
    if ((rc = find_run(book, run_id, &ri)))
        return rc;
    /* The employee's row of the register: name and the slip's totals, as
     * payroll computed them. */
    bo_cursor *c;
    if ((rc = bo_payroll_register(book, run_id, &c)))
        return rc;
    char name[512] = "", cost_center[256] = "";
    int64_t sums[4] = { 0 };
    int found = 0;
    while (!found && (rc = bo_cursor_next(c)) == 0) {
        if (strcmp(bo_cursor_text(c, 0), number) != 0)
            continue;
        found = 1;
        snprintf(name, sizeof name, "%s", bo_cursor_text(c, 1) ? bo_cursor_text(c, 1) : "");
        snprintf(cost_center, sizeof cost_center, "%s",
                 bo_cursor_text(c, 2) ? bo_cursor_text(c, 2) : "");
        for (int k = 0; k < 4; k++)
            sums[k] = bo_cursor_int(c, 3 + k);
    }
    bo_cursor_free(c);
    if (!found) {
        if (rc != BO_ITEROVER && rc != 0)
            return rc;
        char q[300];
        bo__quote(number, 64, q, sizeof q);
        return bo__error_set(BO_ENOTFOUND, "number: no payslip for %s in run %" PRId64, q,
                             run_id);
    }
    bo__st st;
    memset(&st, 0, sizeof st);
    static const char *const head[] = { "Component", "Kind", "Currency", "Amount",
                                        "Year to date" };
    st.title = "Payslip";
    st.ncols = 5;
    for (int k = 0; k < 5; k++) {
        st.head[k] = head[k];
        st.money[k] = k >= 3;
    }
    heading(book, &st, run_id, &ri);
    bo__st_row *r;
    char who[800];
    snprintf(who, sizeof who, "Employee %s: %s%s%s", number, name,
             cost_center[0] ? ", cost center " : "", cost_center);
    if ((rc = bo__st_add(&st, &r)) || (rc = bo__st_text(r, 0, who)))
        goto out;
    r->bold = 1;
    if ((rc = bo_payroll_payslip(book, run_id, number, &c)))
        goto out;
    while ((rc = bo_cursor_next(c)) == 0) {
        const char *comp = bo_cursor_text(c, 1), *kind = bo_cursor_text(c, 2),
                   *backpay = bo_cursor_text(c, 5);
        char label[300];
        snprintf(label, sizeof label, "%s%s%s", comp ? comp : "",
                 backpay ? " (back pay for " : "", backpay ? backpay : "");
        if (backpay)
            snprintf(label + strlen(label), sizeof label - strlen(label), ")");
        if ((rc = bo__st_add(&st, &r)) || (rc = bo__st_text(r, 0, label)) ||
            (rc = bo__st_text(r, 1, kind)) || (rc = bo__st_text(r, 2, ri.currency)))
            break;
        r->depth = 1;
        snprintf(r->currency, sizeof r->currency, "%s", ri.currency);
        r->v[3] = bo_cursor_int(c, 3);
        r->has[3] = 1;
        r->v[4] = bo_cursor_int(c, 4);
        r->has[4] = 1;
    }
    bo_cursor_free(c);
    if (rc != BO_ITEROVER)
        goto out;
    static const char *const totals[] = { "Gross pay", "Deductions", "Net pay",
                                          "Employer contributions" };
    for (int k = 0; k < 4; k++) {
        if ((rc = bo__st_add(&st, &r)) || (rc = bo__st_text(r, 0, totals[k])) ||
            (rc = bo__st_text(r, 2, ri.currency)))
            goto out;
        r->bold = k == 2;
        snprintf(r->currency, sizeof r->currency, "%s", ri.currency);
        r->v[3] = sums[k];
        r->has[3] = 1;
    }
    rc = bo__st_render(&st, format, path);
out:
    bo__st_free(&st);
    if (!rc)
        bo__error_clear();
    return rc;
}
