/* The Indonesian pack (data/payroll/id-2024.yaml) against the fourteen
 * worked examples of PMK 168/2023, Lampiran B (tax year 2024), every
 * printed figure to the rupiah: the monthly withholding, the last period's
 * figure and the lines of the annual computation, read from the payslips
 * (kind "figure") as a user reads them. Then the year of a seeded random
 * workforce, bad input, the caps by date and the overtime caps. */
#include "testutil.h"
#include "payroll/run.h" /* bo__pay_money_id */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R(x) ((int64_t)(x) * 100) /* rupiah -> sen */

static char *read_pack(const char *name, size_t *len)
{
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static bo_date ymd(int y, int m, int d)
{
    bo_date v;
    bo_assert_ok(bo_date_from_ymd(y, m, d, &v));
    return v;
}

static int month_end(int m)
{
    static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[m - 1];
}

/* A book with the pack's accounts and the Indonesian pack. */
static bo_book *id_book(const char *stem)
{
    bo_book *b = bo_test_book(stem);
    bo_test_chart(b);
    static const char *const acc[][2] = {
        { "2100", "Net pay payable" }, { "2210", "PPh 21 payable" },
        { "2220", "BPJS Kesehatan and pension payable" }, { "2230", "BPJS TK payable" },
        { "2240", "Zakat payable" },
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        bo_assert_ok(bo_ledger_account_add(b, acc[i][0], acc[i][1], BO_ACCOUNT_LIABILITY,
                                           NULL, "IDR"));
    bo_assert_ok(bo_ledger_account_add(b, "5100", "Wages", BO_ACCOUNT_EXPENSE, NULL, "IDR"));
    bo_assert_ok(bo_ledger_account_add(b, "5200", "Employer contributions",
                                       BO_ACCOUNT_EXPENSE, NULL, "IDR"));
    size_t len;
    char *s = read_pack("id-2024.yaml", &len);
    bo_assert_ok(bo_payroll_pack_load(b, s, len, "id-2024.yaml"));
    free(s);
    return b;
}

/* An employee from start (to end, or NULL) with a monthly salary in rupiah. */
static void hire(bo_book *b, const char *num, const char *status, const char *start,
                 const char *end, const char *recipient, int64_t salary)
{
    bo_assert_ok(bo_payroll_employee_add(b, num, "Tuan", D(start)));
    bo_assert_ok(bo_payroll_employee_set(b, num, "tax_status", status));
    if (end)
        bo_assert_ok(bo_payroll_employee_set(b, num, "end_date", end));
    if (recipient)
        bo_assert_ok(bo_payroll_employee_set(b, num, "recipient", recipient));
    bo_assert_ok(bo_payroll_terms_set(b, num, D(start), "salary", R(salary),
                                      BO_PAYROLL_MONTHLY));
}

/* input NAME of rupiah in months m1..m2 of 2024 */
static void input(bo_book *b, const char *num, const char *name, int m1, int m2,
                  int64_t rupiah)
{
    bo_assert_ok(bo_payroll_input_add(b, num, name, ymd(2024, m1, 1),
                                      ymd(2024, m2, month_end(m2)), R(rupiah)));
}

static int run_seq;

/* The run of month m of 2024, calculated; posted too when post. */
static int64_t run_month(bo_book *b, int m, int post)
{
    char key[32];
    snprintf(key, sizeof key, "id-%d-%d", m, ++run_seq);
    int64_t id, entry;
    bo_payroll_run_options o = BO_PAYROLL_RUN_OPTIONS_INIT;
    o.key = key;
    o.pack = "id-2024";
    o.schedule = BO_PAYROLL_MONTHLY;
    o.period_start = ymd(2024, m, 1);
    o.period_end = o.pay_date = ymd(2024, m, month_end(m));
    bo_assert_ok(bo_payroll_run_create(b, &o, &id));
    int rc = bo_payroll_run_calculate(b, id);
    ck_assert_msg(rc == 0, "month %d: %s", m, bo_error_message());
    if (post) {
        bo_assert_ok(bo_payroll_run_approve(b, id));
        bo_assert_ok(bo_payroll_run_post(b, id, &entry));
    }
    return id;
}

/* A line of a payslip, by component (0 when the slip has no such line);
 * *kind receives its kind when not NULL. */
static int64_t slip_line(bo_book *b, int64_t run, const char *num, const char *comp)
{
    bo_cursor *c;
    bo_assert_ok(bo_payroll_payslip(b, run, num, &c));
    int64_t v = 0;
    while (bo_cursor_next(c) == 0)
        if (strcmp(bo_cursor_text(c, 1), comp) == 0 && bo_cursor_type(c, 5) == BO_TYPE_NULL)
            v = bo_cursor_int(c, 3);
    bo_cursor_free(c);
    return v;
}

static int has_line(bo_book *b, int64_t run, const char *num, const char *comp,
                    const char *kind)
{
    bo_cursor *c;
    bo_assert_ok(bo_payroll_payslip(b, run, num, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0)
        if (strcmp(bo_cursor_text(c, 1), comp) == 0)
            found = strcmp(bo_cursor_text(c, 2), kind) == 0;
    bo_cursor_free(c);
    return found;
}

#define LINE(run, num, comp, rupiah) \
    ck_assert_int_eq(slip_line(b, run, num, comp), R(rupiah))

/* The lines of the annual computation on the last period's slip. */
typedef struct annual {
    int64_t bruto_year, biaya_jabatan, pension_year, zakat_year, neto, neto_annual,
            ptkp, pkp, pph21_annual, pph21_year, withheld, pph21, refund;
} annual;

static void check_annual(bo_book *b, int64_t run, const char *num, const annual *a)
{
    LINE(run, num, "bruto_year", a->bruto_year);
    LINE(run, num, "biaya_jabatan", a->biaya_jabatan);
    LINE(run, num, "pension_year", a->pension_year);
    LINE(run, num, "zakat_year", a->zakat_year);
    LINE(run, num, "neto", a->neto);
    LINE(run, num, "neto_annual", a->neto_annual);
    LINE(run, num, "ptkp", a->ptkp);
    LINE(run, num, "pkp", a->pkp);
    LINE(run, num, "pph21_annual", a->pph21_annual);
    LINE(run, num, "pph21_year", a->pph21_year);
    LINE(run, num, "withheld", a->withheld);
    LINE(run, num, "pph21", a->pph21);
    LINE(run, num, "pph21_refund", a->refund);
    ck_assert(has_line(b, run, num, "neto", "figure"));
}

/* 1. Tuan A, K/0, the whole year. */
START_TEST(pph21_case_01_tuan_a_whole_year)
{
    bo_book *b = id_book("pph21_01");
    hire(b, "A", "K/0", "2020-01-01", NULL, NULL, 10000000);
    input(b, "A", "allowance", 1, 12, 20000000);
    input(b, "A", "jkk", 1, 12, 50000);            /* 0.50 % of gaji */
    input(b, "A", "jkm", 1, 12, 30000);            /* 0.30 % */
    input(b, "A", "overtime", 2, 2, 5000000);
    input(b, "A", "overtime", 5, 5, 5000000);
    input(b, "A", "bonus", 7, 7, 20000000);
    input(b, "A", "thr", 12, 12, 60000000);
    input(b, "A", "pension", 1, 12, 100000);
    input(b, "A", "zakat", 1, 12, 200000);
    input(b, "A", "pension_employer", 1, 12, 200000); /* not bruto */
    static const int64_t ter[12] = { 3910400, 4911200, 3910400, 3910400, 4911200,
                                     3910400, 9014400, 3910400, 3910400, 3910400,
                                     3910400, 0 };
    static const int64_t bruto[12] = { 30080000, 35080000, 30080000, 30080000,
                                       35080000, 30080000, 50080000, 30080000,
                                       30080000, 30080000, 30080000, 90080000 };
    int64_t run = 0, sum = 0;
    for (int m = 1; m <= 12; m++) {
        run = run_month(b, m, 1);
        LINE(run, "A", "bruto_month", bruto[m - 1]);
        if (m < 12)
            LINE(run, "A", "pph21", ter[m - 1]);
        sum += ter[m - 1];
    }
    ck_assert_int_eq(sum, 50120000); /* Jan-Nov */
    annual a = { 450960000, 6000000, 1200000, 2400000, 441360000, 441360000, 58500000,
                 382860000, 64715000, 64715000, 50120000, 14595000, 0 };
    check_annual(b, run, "A", &a);
    /* the ledger's tax payable holds the year's tax */
    int64_t bal;
    bo_assert_ok(bo_ledger_balance(b, "2210", D("2024-12-31"), NULL, &bal));
    ck_assert_int_eq(bal, -R(64715000));
    bo_test_book_free(b);
}
END_TEST

/* 2. Tuan B, TK/0, joins on 1 September: not annualised; refund. */
START_TEST(pph21_case_02_tuan_b_joins_september)
{
    bo_book *b = id_book("pph21_02");
    hire(b, "B", "TK/0", "2024-09-01", NULL, NULL, 15500000);
    input(b, "B", "pension", 9, 12, 100000);
    int64_t run = 0;
    for (int m = 9; m <= 12; m++) {
        run = run_month(b, m, 1);
        if (m < 12)
            LINE(run, "B", "pph21", 1085000);
    }
    annual a = { 62000000, 2000000, 400000, 0, 59600000, 59600000, 54000000, 5600000,
                 280000, 280000, 3255000, 0, 2975000 };
    check_annual(b, run, "B", &a);
    ck_assert(has_line(b, run, "B", "pph21_refund", "earning"));
    int64_t bal;
    bo_assert_ok(bo_ledger_balance(b, "2210", D("2024-12-31"), NULL, &bal));
    ck_assert_int_eq(bal, -R(280000));
    bo_test_book_free(b);
}
END_TEST

/* 3. Tuan C, TK/0, a foreigner resident from 1 September: 12/4, then 4/12. */
START_TEST(pph21_case_03_tuan_c_resident_from_september)
{
    bo_book *b = id_book("pph21_03");
    hire(b, "C", "TK/0", "2024-09-01", NULL, NULL, 15500000);
    input(b, "C", "zakat", 9, 12, 775000); /* obligatory religious donation */
    input(b, "C", "part_year_resident", 1, 12, 1);
    int64_t run = 0;
    for (int m = 9; m <= 12; m++) {
        run = run_month(b, m, 1);
        if (m < 12)
            LINE(run, "C", "pph21", 1085000);
    }
    annual a = { 62000000, 2000000, 0, 3100000, 56900000, 170700000, 54000000,
                 116700000, 11505000, 3835000, 3255000, 580000, 0 };
    check_annual(b, run, "C", &a);
    bo_test_book_free(b);
}
END_TEST

/* 4. Tuan D leaves employer W on 1 September (last period August) and
 * joins AB: (a) without W's slip, (b) with it, the slip's figures read
 * from W's August payslip. */
START_TEST(pph21_case_04_tuan_d_changes_employer)
{
    bo_book *w = id_book("pph21_04w");
    bo_book *b = w;
    hire(w, "D", "TK/0", "2020-01-01", "2024-08-31", NULL, 17500000);
    input(w, "D", "pension", 1, 12, 100000);
    int64_t run = 0;
    for (int m = 1; m <= 8; m++) {
        run = run_month(w, m, 1);
        if (m < 8)
            LINE(run, "D", "pph21", 1400000);
    }
    annual aw = { 140000000, 4000000, 800000, 0, 135200000, 135200000, 54000000,
                  81200000, 6180000, 6180000, 9800000, 0, 3620000 };
    check_annual(w, run, "D", &aw);
    bo_payroll_previous prev;
    bo_assert_ok(bo_payroll_previous_init(&prev, BO_PAYROLL_PREVIOUS_VERSION));
    prev.year = 2024;
    prev.period_start = D("2024-01-01");
    prev.period_end = D("2024-08-31");
    prev.bruto = slip_line(w, run, "D", "bruto_year");
    prev.neto = slip_line(w, run, "D", "neto");
    prev.tax = slip_line(w, run, "D", "pph21_year");
    bo_test_book_free(w);

    b = id_book("pph21_04ab");
    hire(b, "Da", "TK/0", "2024-09-01", NULL, NULL, 22500000); /* (a) */
    hire(b, "Db", "TK/0", "2024-09-01", NULL, NULL, 22500000); /* (b) */
    input(b, "Da", "pension", 9, 12, 100000);
    input(b, "Db", "pension", 9, 12, 100000);
    bo_assert_ok(bo_payroll_previous_add(b, "Db", &prev));
    for (int m = 9; m <= 12; m++) {
        run = run_month(b, m, 1);
        if (m < 12) {
            LINE(run, "Da", "pph21", 2025000);
            LINE(run, "Db", "pph21", 2025000);
        }
    }
    annual a = { 90000000, 2000000, 400000, 0, 87600000, 87600000, 54000000, 33600000,
                 1680000, 1680000, 6075000, 0, 4395000 };
    check_annual(b, run, "Da", &a);
    annual ab = { 90000000, 2000000, 400000, 0, 222800000, 222800000, 54000000,
                  168800000, 19320000, 19320000, 6180000 + 6075000, 7065000, 0 };
    check_annual(b, run, "Db", &ab);
    LINE(run, "Db", "neto_previous", 135200000);
    bo_test_book_free(b);
}
END_TEST

/* 5. Tuan E leaves Indonesia on 1 September: 12/8, then 8/12. */
START_TEST(pph21_case_05_tuan_e_leaves_indonesia)
{
    bo_book *b = id_book("pph21_05");
    hire(b, "E", "TK/0", "2020-01-01", "2024-08-31", NULL, 17500000);
    input(b, "E", "part_year_resident", 1, 12, 1);
    int64_t run = 0;
    for (int m = 1; m <= 8; m++) {
        run = run_month(b, m, 1);
        if (m < 8)
            LINE(run, "E", "pph21", 1400000);
    }
    annual a = { 140000000, 4000000, 0, 0, 136000000, 204000000, 54000000, 150000000,
                 16500000, 11000000, 9800000, 1200000, 0 };
    check_annual(b, run, "E", &a);
    bo_test_book_free(b);
}
END_TEST

/* 6. Tuan F, K/3: US$2,000 at 15,000 (the host converts) = 30,000,000;
 * TER C 11 %. */
START_TEST(pph21_case_06_tuan_f_k3_foreign_currency)
{
    bo_book *b = id_book("pph21_06");
    hire(b, "F", "K/3", "2020-01-01", NULL, NULL, 2000 * 15000);
    int64_t run = run_month(b, 3, 0);
    LINE(run, "F", "bruto_month", 30000000);
    LINE(run, "F", "pph21", 3300000);
    bo_test_book_free(b);
}
END_TEST

/* 7. Tuan G, TK/0, August, the tax borne by the employer: the gross-up. */
START_TEST(pph21_case_07_tuan_g_gross_up)
{
    bo_book *b = id_book("pph21_07");
    hire(b, "G", "TK/0", "2020-01-01", NULL, NULL, 51827997);
    input(b, "G", "tax_borne", 1, 12, 1);
    int64_t run = run_month(b, 8, 0);
    LINE(run, "G", "tax_allowance", 13777062);
    LINE(run, "G", "bruto_month", 65605059);
    LINE(run, "G", "pph21", 13777062); /* 65,605,059 x 21 % = 13,777,062.39 */
    /* net pay: the salary exactly */
    bo_cursor *c;
    bo_assert_ok(bo_payroll_register(b, run, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "net")), R(51827997));
    bo_cursor_free(c);
    bo_test_book_free(b);
}
END_TEST

/* 8. Tuan H, K/2, July: a tax allowance of 300,000; TER B 0.5 %. */
START_TEST(pph21_case_08_tuan_h_tax_allowance)
{
    bo_book *b = id_book("pph21_08");
    hire(b, "H", "K/2", "2020-01-01", NULL, NULL, 6500000);
    input(b, "H", "tax_allowance", 7, 7, 300000);
    int64_t run = run_month(b, 7, 0);
    LINE(run, "H", "bruto_month", 6800000);
    LINE(run, "H", "pph21", 34000);
    bo_test_book_free(b);
}
END_TEST

/* 9. Tuan I, K/1, January: a scholarship of 20,000,000. The appendix
 * prints 10,545,000, which is 19 % of 55,500,000, not of the example's own
 * bruto of 55,000,000: a misprint. The correct figure is 10,450,000. */
START_TEST(pph21_case_09_tuan_i_scholarship)
{
    bo_book *b = id_book("pph21_09");
    hire(b, "I", "K/1", "2020-01-01", NULL, NULL, 35000000);
    input(b, "I", "scholarship", 1, 1, 20000000);
    int64_t run = run_month(b, 1, 0);
    LINE(run, "I", "bruto_month", 55000000);
    LINE(run, "I", "pph21", 10450000);
    ck_assert_int_ne(slip_line(b, run, "I", "pph21"), R(10545000)); /* the misprint */
    ck_assert_int_eq(55500000LL * 19 / 100, 10545000);                /* its origin */
    bo_test_book_free(b);
}
END_TEST

/* 10. Tuan J, a pensioner, K/2: biaya pensiun instead of biaya jabatan. */
START_TEST(pph21_case_10_tuan_j_pensioner)
{
    bo_book *b = id_book("pph21_10");
    hire(b, "J", "K/2", "2020-01-01", NULL, "pensioner", 6300000);
    int64_t run = 0, sum = 0;
    for (int m = 1; m <= 12; m++) {
        run = run_month(b, m, 1);
        if (m < 12) {
            LINE(run, "J", "pph21", 15750);
            sum += slip_line(b, run, "J", "pph21");
        }
    }
    ck_assert_int_eq(sum, R(173250));
    annual a = { 75600000, 0, 0, 0, 73200000, 73200000, 67500000, 5700000, 285000,
                 285000, 173250, 111750, 0 };
    check_annual(b, run, "J", &a);
    LINE(run, "J", "biaya_pensiun", 2400000);
    bo_test_book_free(b);
}
END_TEST

/* 11. A commissioner (not a permanent employee), TK/0: TER A 20 %. */
START_TEST(pph21_case_11_commissioner)
{
    bo_book *b = id_book("pph21_11");
    hire(b, "K", "TK/0", "2020-01-01", NULL, "commissioner", 0);
    input(b, "K", "wage", 1, 12, 60000000);
    int64_t run = run_month(b, 12, 0); /* no annual reconciliation */
    LINE(run, "K", "pph21", 12000000);
    ck_assert_int_eq(slip_line(b, run, "K", "pkp"), 0); /* no annual computation */
    ck_assert_int_eq(slip_line(b, run, "K", "bruto_year"), 0);
    bo_test_book_free(b);
}
END_TEST

static void work_days(bo_book *b, const char *num, int days)
{
    for (int d = 1; d <= days; d++) {
        bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_hours_add(b, num, ymd(2024, 3, d + 3), "regular", 480,
                                          &o, NULL));
    }
}

/* 12. Daily workers: the daily TER and Pasal 17 on half the day's bruto. */
START_TEST(pph21_case_12_daily_workers)
{
    bo_book *b = id_book("pph21_12");
    hire(b, "L1", "TK/0", "2020-01-01", NULL, "daily", 0);
    hire(b, "L2", "TK/0", "2020-01-01", NULL, "daily", 0);
    hire(b, "L3", "TK/0", "2020-01-01", NULL, "daily", 0);
    hire(b, "L4", "TK/0", "2020-01-01", NULL, "daily", 0);
    input(b, "L1", "daily_wage", 3, 3, 500000);
    input(b, "L2", "daily_wage", 3, 3, 450000);
    input(b, "L3", "daily_wage", 3, 3, 3000000);
    input(b, "L4", "daily_wage", 3, 3, 3000000);
    work_days(b, "L1", 1);
    work_days(b, "L2", 1);
    work_days(b, "L3", 1);
    work_days(b, "L4", 5);
    int64_t run = run_month(b, 3, 0);
    LINE(run, "L1", "pph21", 2500);
    LINE(run, "L2", "pph21", 0);
    LINE(run, "L3", "pph21", 75000);   /* 5 % x 50 % x 3,000,000 */
    LINE(run, "L4", "pph21", 375000);  /* 5 days */
    LINE(run, "L4", "wage", 15000000);
    bo_test_book_free(b);
}
END_TEST

/* 13. Tuan N, TK/0, a casual worker paid monthly: TER A each month,
 * December included (no annual reconciliation). */
START_TEST(pph21_case_13_tuan_n_casual_monthly)
{
    bo_book *b = id_book("pph21_13");
    hire(b, "N", "TK/0", "2020-01-01", NULL, "casual", 0);
    static const int64_t bruto[12] = { 4, 7, 1, 7, 8, 6, 7, 8, 6, 9, 2, 8 };
    static const int64_t tax[12] = { 0, 87500, 0, 87500, 120000, 45000, 87500, 120000,
                                     45000, 157500, 0, 120000 };
    int64_t sb = 0, st = 0;
    for (int m = 1; m <= 12; m++) {
        input(b, "N", "wage", m, m, bruto[m - 1] * 1000000);
        int64_t run = run_month(b, m, 1);
        LINE(run, "N", "pph21", tax[m - 1]);
        sb += slip_line(b, run, "N", "bruto_month");
        st += slip_line(b, run, "N", "pph21");
    }
    ck_assert_int_eq(sb, R(73000000));
    ck_assert_int_eq(st, R(870000));
    bo_test_book_free(b);
}
END_TEST

/* 14. Non-employees (Pasal 17 on 50 % of bruto, cumulative within the
 * year), a prize and pension-fund withdrawals (Pasal 17 on bruto). */
START_TEST(pph21_case_14_non_employees_prizes_withdrawals)
{
    bo_book *b = id_book("pph21_14");
    hire(b, "M1", "TK/0", "2020-01-01", NULL, "non-employee", 0);
    hire(b, "M2", "TK/0", "2020-01-01", NULL, "non-employee", 0);
    hire(b, "M3", "TK/0", "2020-01-01", NULL, "non-employee", 0);
    hire(b, "P1", "TK/0", "2020-01-01", NULL, "prize", 0);
    hire(b, "W1", "TK/0", "2020-01-01", NULL, "pension-withdrawal", 0);
    hire(b, "W2", "TK/0", "2020-01-01", NULL, "pension-withdrawal", 0);
    input(b, "M1", "wage", 4, 4, 400000000);
    input(b, "M2", "wage", 4, 4, 7000000);
    input(b, "M3", "wage", 4, 4, 10000000);
    input(b, "M3", "non_taxable", 4, 4, 5500000);
    input(b, "P1", "wage", 4, 4, 200000000);
    input(b, "W1", "wage", 4, 4, 20000000);
    input(b, "W2", "wage", 4, 4, 15000000);
    int64_t run = run_month(b, 4, 1);
    LINE(run, "M1", "dpp", 200000000);
    LINE(run, "M1", "pph21", 24000000);
    LINE(run, "M2", "dpp", 3500000);
    LINE(run, "M2", "pph21", 175000);
    LINE(run, "M3", "dpp", 2250000);
    LINE(run, "M3", "pph21", 112500);
    LINE(run, "P1", "pph21", 24000000);
    LINE(run, "W1", "pph21", 1000000);
    LINE(run, "W2", "pph21", 750000);
    /* cumulative: M2 is paid 400,000,000 in May; the year's DPP is
     * 203,500,000: 3,000,000 + 15 % x 143,500,000 = 24,525,000, less the
     * 175,000 withheld in April */
    input(b, "M2", "wage", 5, 5, 400000000);
    run = run_month(b, 5, 1);
    LINE(run, "M2", "pph21", 24350000);
    bo_test_book_free(b);
}
END_TEST


/* ---- bad input: a specific error, nothing changed ------------------------- */

static int64_t run_create_only(bo_book *b, int y, int m)
{
    char key[32];
    snprintf(key, sizeof key, "bad-%d-%d-%d", y, m, ++run_seq);
    int64_t id;
    bo_payroll_run_options o = BO_PAYROLL_RUN_OPTIONS_INIT;
    o.key = key;
    o.pack = "id-2024";
    o.schedule = BO_PAYROLL_MONTHLY;
    o.period_start = ymd(y, m, 1);
    o.period_end = o.pay_date = ymd(y, m, month_end(m) - (m == 2 && y % 4 ? 1 : 0));
    bo_assert_ok(bo_payroll_run_create(b, &o, &id));
    return id;
}

static int64_t slips_of(bo_book *b, int64_t run)
{
    bo_cursor *c;
    bo_assert_ok(bo_payroll_runs(b, &c));
    int64_t n = -1;
    while (bo_cursor_next(c) == 0)
        if (bo_cursor_int(c, 0) == run)
            n = bo_cursor_int(c, bo_cursor_column_index(c, "employees"));
    bo_cursor_free(c);
    return n;
}

static void assert_draft_empty(bo_book *b, int64_t run)
{
    int st;
    bo_assert_ok(bo_payroll_run_state(b, run, &st));
    ck_assert_int_eq(st, BO_PAYROLL_DRAFT);
    ck_assert_int_eq(slips_of(b, run), 0);
}

START_TEST(pph21_bad_unknown_ptkp_status)
{
    bo_book *b = id_book("pph21_bad1");
    hire(b, "X", "X/9", "2020-01-01", NULL, NULL, 10000000);
    int64_t run = run_create_only(b, 2024, 3);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EEVAL);
    const char *m = bo_error_message();
    ck_assert_msg(strstr(m, "ter_category") && strstr(m, "employee #") &&
                  strstr(m, "id-2024.yaml:"), "%s", m);
    ck_assert_ptr_null(strstr(m, "X/9")); /* personal data stays out */
    assert_draft_empty(b, run);
    /* and in the last period the PTKP table refuses it the same way */
    bo_assert_ok(bo_payroll_employee_set(b, "X", "recipient", "daily"));
    bo_assert_ok(bo_payroll_employee_set(b, "X", "recipient", NULL));
    bo_test_book_free(b);
}
END_TEST

START_TEST(pph21_bad_overtime_above_cap)
{
    bo_book *b = id_book("pph21_bad2");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    bo_assert_ok(bo_payroll_employee_set(b, "O", "risk_class", "low"));
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    /* a day: 8 regular + 5 overtime hours clocked, above 4 a day */
    o.key = "ot-1";
    bo_assert_ok(bo_payroll_clock(b, "O", D("2024-03-05"), "08:00", "21:00", &o, NULL));
    int64_t run = run_create_only(b, 2024, 3);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "hours.overtime") &&
                  strstr(bo_error_message(), "2024-03-05") &&
                  strstr(bo_error_message(), "overtime_max_per_day"), "%s",
                  bo_error_message());
    assert_draft_empty(b, run);
    /* a week: 4 hours on each of five days (20 > 18), each day within its cap */
    bo_test_book_free(b);
    b = id_book("pph21_bad2w");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    for (int d = 4; d <= 8; d++) { /* Monday 4 March .. Friday 8 March 2024 */
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_hours_add(b, "O", ymd(2024, 3, d), "overtime", 240, &o,
                                          NULL));
    }
    run = run_create_only(b, 2024, 3);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "week of 2024-03-04") &&
                  strstr(bo_error_message(), "20:00") &&
                  strstr(bo_error_message(), "overtime_max_per_week"), "%s",
                  bo_error_message());
    assert_draft_empty(b, run);
    /* 18 hours in the week are allowed, paid per PP 35/2021: four days of
     * 1.5 + 3 x 2 = 7.5 and one of 1.5 + 2 = 3.5, 33.5 hours at
     * 10,000,000 / 173 = 1,936,416.18 */
    bo_test_book_free(b);
    b = id_book("pph21_bad2ok");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    for (int d = 4; d <= 8; d++) {
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_hours_add(b, "O", ymd(2024, 3, d), "overtime",
                                          d == 8 ? 120 : 240, &o, NULL));
    }
    run = run_month(b, 3, 0);
    LINE(run, "O", "overtime", 1936416);
    bo_test_book_free(b);
}
END_TEST

START_TEST(pph21_bad_last_period_twice)
{
    bo_book *b = id_book("pph21_bad3");
    hire(b, "T", "TK/0", "2024-11-01", NULL, NULL, 15500000);
    run_month(b, 11, 1);
    int64_t dec = run_month(b, 12, 1);
    int64_t again = run_create_only(b, 2024, 12);
    bo_assert_err(bo_payroll_run_calculate(b, again), BO_ESTATE);
    char want[64];
    snprintf(want, sizeof want, "already settled by run %lld", (long long)dec);
    ck_assert_msg(strstr(bo_error_message(), want) &&
                  strstr(bo_error_message(), "last period of 2024"), "%s",
                  bo_error_message());
    assert_draft_empty(b, again);
    /* once the first is reversed, the year is settled again */
    bo_assert_ok(bo_payroll_run_reverse(b, dec, D("2024-12-31")));
    bo_assert_ok(bo_payroll_run_calculate(b, again));
    bo_test_book_free(b);
}
END_TEST

START_TEST(pph21_bad_previous_slip_other_year)
{
    bo_book *b = id_book("pph21_bad4");
    hire(b, "P", "TK/0", "2024-09-01", NULL, NULL, 22500000);
    bo_payroll_previous prev = BO_PAYROLL_PREVIOUS_INIT;
    prev.year = 2024;
    prev.period_start = D("2023-01-01");
    prev.period_end = D("2023-08-31");
    prev.bruto = R(140000000);
    prev.neto = R(135200000);
    prev.tax = R(6180000);
    bo_assert_err(bo_payroll_previous_add(b, "P", &prev), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "period_start: 2023-01-01 is not in tax "
                         "year 2024"), "%s", bo_error_message());
    prev.period_start = D("2024-01-01");
    bo_assert_err(bo_payroll_previous_add(b, "P", &prev), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "period_end: 2023-08-31 is not in tax "
                         "year 2024"), "%s", bo_error_message());
    prev.period_end = D("2024-09-30"); /* overlaps the employment here */
    bo_assert_err(bo_payroll_previous_add(b, "P", &prev), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "period_end"), "%s", bo_error_message());
    prev.period_end = D("2024-08-31");
    prev.version = 99;
    bo_assert_err(bo_payroll_previous_add(b, "P", &prev), BO_EINVAL);
    bo_assert_err(bo_payroll_previous_init(&prev, 99), BO_EINVAL);
    bo_assert_err(bo_payroll_input_add(b, "P", "Bad-Name", D("2024-01-01"),
                                       D("2024-12-31"), 1), BO_EINVAL);
    bo_assert_err(bo_payroll_input_add(b, "P", "bonus", D("2024-12-31"),
                                       D("2024-01-01"), 1), BO_EINVAL);
    bo_assert_err(bo_payroll_input_add(b, "NOPE", "bonus", D("2024-01-01"),
                                       D("2024-12-31"), 1), BO_ENOTFOUND);
    /* nothing was stored: December settles without a previous employer */
    int64_t run = 0;
    for (int m = 9; m <= 12; m++)
        run = run_month(b, m, 1);
    LINE(run, "P", "neto_previous", 0);
    LINE(run, "P", "withheld", 3 * 2025000);
    bo_test_book_free(b);
}
END_TEST

/* PP 35/2021 on a rest day of a 5-day week: 11 hours = 8 x 2 + 1 x 3 +
 * 2 x 4 = 27 hours; with a working day of 8 + 2 hours (1.5 + 2 = 3.5):
 * 30.5 hours at 10,000,000 / 173 = 1,763,005.78 */
START_TEST(pph21_overtime_pp35_tables)
{
    bo_book *b = id_book("pph21_pp35");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = "pp35-1";
    bo_assert_ok(bo_payroll_hours_add(b, "O", D("2024-03-09"), "holiday", 11 * 60, &o,
                                      NULL));
    o.key = "pp35-2";
    bo_assert_ok(bo_payroll_clock(b, "O", D("2024-03-11"), "08:00", "18:00", &o, NULL));
    int64_t run = run_month(b, 3, 0);
    LINE(run, "O", "overtime", 1763006);
    int64_t v;
    bo_assert_ok(bo_payroll_pack_eval(b, "id-2024", "base_salary=1000000000;"
                                      " employee.tax_status=TK/0; hours.overtime_weighted=30.5",
                                      "overtime", &v));
    ck_assert_int_eq(v, R(1763006));
    bo_test_book_free(b);
}
END_TEST


/* Inputs and previous slips at the int64 limits: the sums and the scaling
 * to 6 decimals are checked, the run refused with BO_EOVERFLOW naming the
 * input (never an amount), nothing written. */
START_TEST(pph21_inputs_int64_limits)
{
    bo_book *b = id_book("pph21_lim");
    hire(b, "Z", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    static const int64_t amounts[][2] = {
        { INT64_MAX, INT64_MAX }, { INT64_MIN, 0 }, { INT64_MAX, 0 },
        { INT64_MIN, INT64_MIN }, { 9223372036854LL, 1 },
    };
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        char name[16];
        snprintf(name, sizeof name, "bonus");
        bo_test_book_free(b);
        char stem[32];
        snprintf(stem, sizeof stem, "pph21_lim%zu", i);
        b = id_book(stem);
        hire(b, "Z", "TK/0", "2020-01-01", NULL, NULL, 10000000);
        bo_assert_ok(bo_payroll_input_add(b, "Z", name, D("2024-03-01"), D("2024-03-31"),
                                          amounts[i][0]));
        if (amounts[i][1])
            bo_assert_ok(bo_payroll_input_add(b, "Z", name, D("2024-03-01"),
                                              D("2024-03-31"), amounts[i][1]));
        int64_t run = run_create_only(b, 2024, 3);
        int rc = bo_payroll_run_calculate(b, run);
        ck_assert_msg(rc == BO_EOVERFLOW, "%zu: %d %s", i, rc, bo_error_message());
        ck_assert_msg(strstr(bo_error_message(), "employee #") != NULL, "%s",
                      bo_error_message());
        ck_assert_ptr_null(strstr(bo_error_message(), "9223372036854"));
        assert_draft_empty(b, run);
    }
    bo_payroll_previous prev = BO_PAYROLL_PREVIOUS_INIT;
    prev.year = 2024;
    prev.period_start = D("2024-01-01");
    prev.period_end = D("2024-01-31");
    prev.bruto = prev.neto = prev.tax = INT64_MAX;
    bo_assert_ok(bo_payroll_employee_set(b, "Z", "start_date", "2024-02-01"));
    bo_assert_ok(bo_payroll_previous_add(b, "Z", &prev));
    bo_assert_ok(bo_payroll_previous_add(b, "Z", &prev));
    int64_t run = run_create_only(b, 2024, 12);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EOVERFLOW);
    ck_assert_msg(strstr(bo_error_message(), "previous.bruto"), "%s", bo_error_message());
    assert_draft_empty(b, run);
    bo_test_book_free(b);
}
END_TEST

/* ---- caps by date ---------------------------------------------------------- */

/* JP's wage cap changes every March: a run uses the cap in force on its
 * pay date (1 % of 9,559,600 / 10,042,300 / 10,547,400 / 11,086,300). */
START_TEST(pph21_jp_cap_by_pay_date)
{
    bo_book *b = id_book("pph21_cap");
    hire(b, "J", "TK/0", "2020-01-01", NULL, NULL, 15000000);
    bo_assert_ok(bo_payroll_employee_set(b, "J", "risk_class", "very-low"));
    static const struct { int y, m; int64_t jp; } rows[] = {
        { 2023, 3, 95596 }, { 2024, 2, 95596 }, { 2024, 3, 100423 },
        { 2025, 2, 100423 }, { 2025, 3, 105474 }, { 2026, 2, 105474 },
        { 2026, 3, 110863 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t run = run_create_only(b, rows[i].y, rows[i].m);
        bo_assert_ok(bo_payroll_run_calculate(b, run));
        ck_assert_msg(slip_line(b, run, "J", "jp") == R(rows[i].jp), "%d-%02d: %lld",
                      rows[i].y, rows[i].m, (long long)slip_line(b, run, "J", "jp"));
        ck_assert_int_eq(slip_line(b, run, "J", "jp_employer"), R(rows[i].jp * 2));
    }
    bo_test_book_free(b);
}
END_TEST

/* ---- a year of a random workforce ------------------------------------------ */

static int64_t pasal17(int64_t pkp)
{
    static const int64_t lo[] = { 0, 60000000, 250000000, 500000000, 5000000000LL };
    static const int64_t pct[] = { 5, 15, 25, 30, 35 };
    int64_t tax = 0;
    for (int k = 0; k < 5 && pkp > lo[k]; k++) {
        int64_t top = k < 4 && pkp > lo[k + 1] ? lo[k + 1] : pkp;
        tax += (top - lo[k]) * pct[k] / 100;
    }
    return tax;
}

/* Joiners, leavers and a mid-year raise over twelve posted runs, a fifth
 * of the workforce with the tax borne by the employer: for each employee
 * the year's withholding (less refunds) equals the year's tax of the last
 * slip and of an independent model of the rules (on the slips' bruto, the
 * gross-up included), and the tax payable account holds the sum of the
 * slips. */
START_TEST(pph21_random_year_sums)
{
    bo_book *b = id_book("pph21_rand");
    unsigned seed = 20240101;
    srand(seed);
    enum { N = 16 };
    static const char *const st[] = { "TK/0", "TK/1", "TK/2", "TK/3", "K/0", "K/1",
                                       "K/2", "K/3" };
    static const int64_t ptkp[] = { 54000000, 58500000, 63000000, 67500000, 58500000,
                                    63000000, 67500000, 72000000 };
    int first[N], last[N], sidx[N];
    for (int i = 0; i < N; i++) {
        char num[8], start[11], end[11];
        snprintf(num, sizeof num, "R%02d", i);
        sidx[i] = rand() % 8;
        first[i] = i % 4 == 1 ? 2 + rand() % 9 : 1;      /* joiners */
        last[i] = i % 4 == 2 ? 3 + rand() % 9 : 12;       /* leavers */
        snprintf(start, sizeof start, "2024-%02d-01", first[i]);
        snprintf(end, sizeof end, "2024-%02d-%02d", last[i], month_end(last[i]));
        int64_t salary = (5000 + rand() % 55000) * 1000LL;
        hire(b, num, st[sidx[i]], first[i] == 1 ? "2020-01-01" : start,
             last[i] < 12 ? end : NULL, NULL, salary);
        if (i % 3 == 0) /* a raise from July */
            bo_assert_ok(bo_payroll_terms_set(b, num, D("2024-07-01"), "salary",
                                              R(salary + salary / 10), BO_PAYROLL_MONTHLY));
        if (rand() % 2)
            input(b, num, "bonus", 1 + rand() % 12, 12, (1 + rand() % 20) * 500000LL);
        input(b, num, "pension", 1, 12, 100000);
        if (i % 5 == 4) /* the employer bears the tax: gross-up, the last period's too */
            input(b, num, "tax_borne", 1, 12, 1);
    }
    int64_t runs[13], withheld[N] = { 0 }, bruto[N] = { 0 }, total = 0;
    for (int m = 1; m <= 12; m++)
        runs[m] = run_month(b, m, 1);
    for (int i = 0; i < N; i++) {
        char num[8];
        snprintf(num, sizeof num, "R%02d", i);
        for (int m = first[i]; m <= last[i]; m++) {
            withheld[i] += slip_line(b, runs[m], num, "pph21") -
                           slip_line(b, runs[m], num, "pph21_refund");
            bruto[i] += slip_line(b, runs[m], num, "bruto_month");
        }
        int64_t year = slip_line(b, runs[last[i]], num, "pph21_year");
        if (i % 5 == 4) /* the allowance of the last period is its tax, exactly */
            ck_assert_int_eq(slip_line(b, runs[last[i]], num, "tax_allowance"),
                             slip_line(b, runs[last[i]], num, "pph21"));
        ck_assert_msg(withheld[i] == year, "%s: withheld %lld, the year's tax %lld", num,
                      (long long)withheld[i], (long long)year);
        /* the model, in rupiah (the bruto here is whole rupiah) */
        int64_t months = last[i] - first[i] + 1, br = bruto[i] / 100;
        int64_t bj = br / 20;
        if (bj > 500000 * months)
            bj = 500000 * months;
        if (bj > 6000000)
            bj = 6000000;
        int64_t neto = br - bj - 100000 * months, pkp = neto - ptkp[sidx[i]];
        pkp = pkp < 0 ? 0 : pkp / 1000 * 1000;
        ck_assert_msg(R(pasal17(pkp)) == year, "%s: model %lld, pack %lld", num,
                      (long long)R(pasal17(pkp)), (long long)year);
        total += withheld[i];
    }
    int64_t bal;
    bo_assert_ok(bo_ledger_balance(b, "2210", D("2024-12-31"), NULL, &bal));
    ck_assert_int_eq(bal, -total);
    bo_test_book_free(b);
}
END_TEST

/* ---- what PMK 168/2023 asks beyond the fourteen examples ------------------ */

/* The tax borne by the employer over a whole year: January..November the
 * TER gross-up, and in December (the last period) the allowance equal to
 * the December tax of the annual computation, to the rupiah: net pay is
 * the salary and the bonus every month, the twelve months' withholding is
 * the year's tax, and an independent model of the annual computation
 * reproduces the December allowance as its own fixed point. */
START_TEST(pph21_gross_up_last_period)
{
    bo_book *b = id_book("pph21_gu");
    hire(b, "G", "TK/0", "2020-01-01", NULL, NULL, 20000000);
    input(b, "G", "tax_borne", 1, 12, 1);
    input(b, "G", "bonus", 12, 12, 35000000);
    int64_t runs[13], withheld = 0, bruto = 0;
    for (int m = 1; m <= 12; m++) {
        runs[m] = run_month(b, m, 1);
        int64_t allowance = slip_line(b, runs[m], "G", "tax_allowance");
        int64_t tax = slip_line(b, runs[m], "G", "pph21");
        ck_assert_msg(allowance == tax, "month %d: allowance %lld, tax %lld", m,
                      (long long)allowance, (long long)tax);
        ck_assert_int_gt(tax, 0);
        withheld += tax - slip_line(b, runs[m], "G", "pph21_refund");
        if (m < 12)
            bruto += slip_line(b, runs[m], "G", "bruto_month");
        bo_cursor *c;
        bo_assert_ok(bo_payroll_register(b, runs[m], &c));
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "net")),
                         R(20000000) + (m == 12 ? R(35000000) : 0));
        bo_cursor_free(c);
    }
    int64_t year = slip_line(b, runs[12], "G", "pph21_year");
    ck_assert_int_eq(withheld, year);
    /* the model, in sen: t = tax(bruto Jan..Nov + December's 55,000,000 + t)
     * - withheld Jan..Nov */
    int64_t t = slip_line(b, runs[12], "G", "tax_allowance");
    int64_t w = withheld - t;
    int64_t by = bruto + R(55000000) + t;
    ck_assert_int_eq(by, slip_line(b, runs[12], "G", "bruto_year"));
    int64_t bj = (by * 5 + 50) / 100;
    if (bj > R(6000000))
        bj = R(6000000);
    int64_t pkp = (by - bj - R(54000000)) / R(1000) * 1000; /* rupiah */
    ck_assert_int_eq(R(pasal17(pkp)) - w, t);
    ck_assert_int_eq(slip_line(b, runs[12], "G", "pkp"), R(pkp));
    /* one sen less is not a fixed point: the tax it raises is not itself */
    by -= 1;
    bj = (by * 5 + 50) / 100;
    if (bj > R(6000000))
        bj = R(6000000);
    pkp = (by - bj - R(54000000)) / R(1000) * 1000;
    ck_assert_int_ne(R(pasal17(pkp)) - w, t - 1);
    /* the ledger: tax payable holds the year's withholding */
    int64_t bal;
    bo_assert_ok(bo_ledger_balance(b, "2210", D("2024-12-31"), NULL, &bal));
    ck_assert_int_eq(bal, -year);
    bo_test_book_free(b);
}
END_TEST

/* A daily worker whose month's bruto passes 2,500,000 (a day's wage not
 * above it) is taxed by the monthly TER of the category on the month's
 * bruto; at 2,500,000 exactly the daily TER stays. */
START_TEST(pph21_daily_worker_monthly_threshold)
{
    bo_book *b = id_book("pph21_daily");
    hire(b, "D1", "TK/0", "2020-01-01", NULL, "daily", 0);
    hire(b, "D2", "TK/0", "2020-01-01", NULL, "daily", 0);
    hire(b, "D3", "K/3", "2020-01-01", NULL, "daily", 0);
    hire(b, "D4", "TK/0", "2020-01-01", NULL, "daily", 0);
    input(b, "D1", "daily_wage", 3, 3, 600000);  /* 10 days: 6,000,000 */
    input(b, "D2", "daily_wage", 3, 3, 500000);  /* 5 days: 2,500,000 */
    input(b, "D3", "daily_wage", 3, 3, 900000);  /* 10 days: 9,000,000 */
    input(b, "D4", "daily_wage", 3, 3, 450000);  /* 6 days: 2,700,000 */
    work_days(b, "D1", 10);
    work_days(b, "D2", 5);
    work_days(b, "D3", 10);
    work_days(b, "D4", 6);
    int64_t run = run_month(b, 3, 0);
    LINE(run, "D1", "bruto_month", 6000000);
    LINE(run, "D1", "pph21", 45000);   /* TER A 0.75 %, not 10 x 3,000 */
    LINE(run, "D2", "pph21", 12500);   /* the daily TER: 5 x 2,500 */
    LINE(run, "D3", "pph21", 112500);  /* TER C 1.25 % of 9,000,000 */
    LINE(run, "D4", "pph21", 0);       /* TER A 0 % of 2,700,000 */
    bo_test_book_free(b);
}
END_TEST

/* A daily worker paid by weekly runs: while the calendar month's bruto is
 * within 2,500,000 the daily TER, then the monthly TER of the month so far
 * less what the month's earlier runs withheld, so the month's withholding
 * is the monthly TER of its bruto (TER A 4 % of 12,000,000). */
START_TEST(pph21_daily_worker_weekly_runs)
{
    bo_book *b = id_book("pph21_dailyw");
    bo_assert_ok(bo_payroll_employee_add(b, "W", "Tuan", D("2020-01-01")));
    bo_assert_ok(bo_payroll_employee_set(b, "W", "tax_status", "TK/0"));
    bo_assert_ok(bo_payroll_employee_set(b, "W", "recipient", "daily"));
    bo_assert_ok(bo_payroll_terms_set(b, "W", D("2020-01-01"), "salary", 0,
                                      BO_PAYROLL_WEEKLY));
    input(b, "W", "daily_wage", 3, 3, 2000000);
    static const int days[] = { 4, 11, 12, 13, 18, 19 };
    for (size_t k = 0; k < sizeof days / sizeof days[0]; k++) {
        bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_hours_add(b, "W", ymd(2024, 3, days[k]), "regular", 480, &o,
                                          NULL));
    }
    static const int64_t want[] = { 10000, 110000, 360000 }; /* 1, 3 and 2 days */
    int64_t sum = 0;
    for (int w = 0; w < 3; w++) {
        char key[16];
        snprintf(key, sizeof key, "week-%d", w);
        int64_t id, entry;
        bo_payroll_run_options o = BO_PAYROLL_RUN_OPTIONS_INIT;
        o.key = key;
        o.pack = "id-2024";
        o.schedule = BO_PAYROLL_WEEKLY;
        o.period_start = ymd(2024, 3, 1 + 7 * w);
        o.period_end = o.pay_date = ymd(2024, 3, 7 + 7 * w);
        bo_assert_ok(bo_payroll_run_create(b, &o, &id));
        int rc = bo_payroll_run_calculate(b, id);
        ck_assert_msg(rc == 0, "%s", bo_error_message());
        bo_assert_ok(bo_payroll_run_approve(b, id));
        bo_assert_ok(bo_payroll_run_post(b, id, &entry));
        ck_assert_msg(slip_line(b, id, "W", "pph21") == R(want[w]), "week %d: %lld", w,
                      (long long)slip_line(b, id, "W", "pph21"));
        sum += want[w];
    }
    ck_assert_int_eq(sum, 480000);
    int64_t v;
    bo_assert_ok(bo_payroll_pack_eval(b, "id-2024", "employee.tax_status=TK/0;"
                                      " employee.recipient=daily; input.daily_wage=200000000;"
                                      " days_worked=2; mtd.bruto_month=800000000;"
                                      " mtd.pph21=12000000", "pph21", &v));
    ck_assert_int_eq(v, R(360000));
    bo_test_book_free(b);
}
END_TEST

/* The weekly overtime cap counts the whole week when it spans two pay
 * periods: Monday 26 February .. Sunday 3 March 2024. */
START_TEST(pph21_overtime_week_across_periods)
{
    bo_book *b = id_book("pph21_otw");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    for (int d = 26; d <= 29; d++) { /* 16 hours in February */
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_hours_add(b, "O", ymd(2024, 2, d), "overtime", 240, &o,
                                          NULL));
    }
    o.key = bo_test_key(); /* 4 more on Friday 1 March: 20 in the week */
    bo_assert_ok(bo_payroll_hours_add(b, "O", ymd(2024, 3, 1), "overtime", 240, &o, NULL));
    run_month(b, 2, 1);
    int64_t run = run_create_only(b, 2024, 3);
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "week of 2024-02-26") &&
                  strstr(bo_error_message(), "20:00") &&
                  strstr(bo_error_message(), "overtime_max_per_week"), "%s",
                  bo_error_message());
    assert_draft_empty(b, run);
    /* attendance beyond the day counts as well: a new book, 2 hours on
     * Friday by the clock (8 + 2), 18 in the week: allowed */
    bo_test_book_free(b);
    b = id_book("pph21_otw2");
    hire(b, "O", "TK/0", "2020-01-01", NULL, NULL, 10000000);
    for (int d = 26; d <= 29; d++) {
        o.key = bo_test_key();
        bo_assert_ok(bo_payroll_clock(b, "O", ymd(2024, 2, d), "08:00", "20:00", &o, NULL));
    }
    o.key = bo_test_key();
    bo_assert_ok(bo_payroll_clock(b, "O", ymd(2024, 3, 1), "08:00", "18:00", &o, NULL));
    run_month(b, 2, 1);
    run = run_month(b, 3, 0);
    LINE(run, "O", "overtime", 202312); /* 1.5 + 2 = 3.5 hours at 10,000,000 / 173 */
    o.key = bo_test_key(); /* one minute more on Saturday's regular day: over */
    bo_assert_ok(bo_payroll_hours_add(b, "O", ymd(2024, 3, 2), "overtime", 1, &o, NULL));
    bo_assert_err(bo_payroll_run_calculate(b, run), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "18:01"), "%s", bo_error_message());
    bo_test_book_free(b);
}
END_TEST

/* ---- the outputs: form 1721-A1, the month's CSV, an Indonesian payslip ----- */

/* The one document of a rendering cursor, copied (free it). */
static char *document(bo_cursor *c)
{
    bo_assert_ok(bo_cursor_next(c));
    char *d = strdup(bo_cursor_text(c, 0));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    return d;
}

/* An amount the Indonesian way ("12.345.000", "(2.975.000)", "1.000,50")
 * in sen. */
static int64_t id_amount(const char *s, const char *end)
{
    int neg = 0;
    int64_t v = 0, sen = 0;
    while (s < end && (*s == ' ' || *s == '-' || *s == '(')) {
        neg |= *s == '-' || *s == '(';
        s++;
    }
    if (s + 3 <= end && strncmp(s, "Rp ", 3) == 0)
        s += 3;
    for (; s < end && *s != ',' && *s != ')' && *s != '\n' && *s != '<'; s++)
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (*s - '0');
    if (s < end && *s == ',')
        sen = (s[1] - '0') * 10 + (s[2] - '0');
    return (neg ? -1 : 1) * (v * 100 + sen);
}

/* Line k of a text form 1721-A1, in sen. */
static int64_t form_line(const char *doc, int k)
{
    char head[8];
    snprintf(head, sizeof head, "\n%2d. ", k);
    const char *p = strstr(doc, head);
    ck_assert_msg(p != NULL, "line %d missing", k);
    const char *eol = strchr(p + 1, '\n');
    const char *q = eol;
    while (q > p && q[-1] != ' ')
        q--;
    return id_amount(q, eol);
}

/* The figure of an HTML form's line k (its cell id="line-k"), in sen. */
static int64_t form_html_line(const char *doc, int k)
{
    char id[24];
    snprintf(id, sizeof id, "id=\"line-%d\">", k);
    const char *p = strstr(doc, id);
    ck_assert_msg(p != NULL, "line %d missing", k);
    p += strlen(id);
    return id_amount(p, strchr(p, '<'));
}

/* Well-formed markup: every tag closed in order (void elements written
 * "<meta ... />"), attributes quoted, only known entities, no stray '<'
 * or '>' in text. */
static void assert_well_formed(const char *doc)
{
    const char *stack[64];
    size_t depth = 0, lens[64];
    const char *p = doc;
    ck_assert(strncmp(p, "<!DOCTYPE html>", 15) == 0);
    p += 15;
    while (*p) {
        if (*p == '<') {
            const char *gt = strchr(p, '>');
            ck_assert_msg(gt != NULL, "unclosed tag at %.20s", p);
            for (const char *q = p + 1; q < gt; q++)
                ck_assert_msg(*q != '<', "'<' inside a tag at %.20s", p);
            if (p[1] == '/') {
                size_t n = (size_t)(gt - p - 2);
                ck_assert_msg(depth > 0 && lens[depth - 1] == n &&
                              strncmp(stack[depth - 1], p + 2, n) == 0,
                              "</%.*s> does not close the open element", (int)n, p + 2);
                depth--;
            } else if (gt[-1] != '/') {
                size_t n = strcspn(p + 1, " >");
                ck_assert(depth < 64);
                stack[depth] = p + 1;
                lens[depth++] = n;
            }
            int quotes = 0;
            for (const char *q = p; q < gt; q++)
                quotes += *q == '"';
            ck_assert_msg(quotes % 2 == 0, "unbalanced quotes at %.20s", p);
            p = gt + 1;
        } else if (*p == '&') {
            static const char *const ents[] = { "&lt;", "&gt;", "&amp;", "&quot;", "&#39;",
                                                "&#8212;" };
            int ok = 0;
            for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++)
                ok |= strncmp(p, ents[k], strlen(ents[k])) == 0;
            ck_assert_msg(ok, "unknown entity at %.12s", p);
            p++;
        } else {
            ck_assert_msg(*p != '>', "stray '>' at %.20s", p);
            p++;
        }
    }
    ck_assert_int_eq(depth, 0);
}

/* Example 1 (Tuan A) over a posted year, the name hostile to markup. */
static bo_book *case_01_year(const char *stem, int64_t runs[13])
{
    bo_book *b = id_book(stem);
    hire(b, "A", "K/0", "2020-01-01", NULL, NULL, 10000000);
    bo_assert_ok(bo_payroll_employee_set(b, "A", "name", "<b>\"Tuan & A'</b>"));
    input(b, "A", "allowance", 1, 12, 20000000);
    input(b, "A", "jkk", 1, 12, 50000);
    input(b, "A", "jkm", 1, 12, 30000);
    input(b, "A", "overtime", 2, 2, 5000000);
    input(b, "A", "overtime", 5, 5, 5000000);
    input(b, "A", "bonus", 7, 7, 20000000);
    input(b, "A", "thr", 12, 12, 60000000);
    input(b, "A", "pension", 1, 12, 100000);
    input(b, "A", "zakat", 1, 12, 200000);
    input(b, "A", "pension_employer", 1, 12, 200000);
    for (int m = 1; m <= 12; m++)
        runs[m] = run_month(b, m, 1);
    return b;
}

/* Form 1721-A1 of example 1, text and HTML: every line's figure as the
 * appendix prints it and as the slips give it; 19 + 21 + 22 = 20. */
START_TEST(pph21_form_1721a1_case_01)
{
    int64_t runs[13];
    bo_book *b = case_01_year("pph21_f01", runs);
    static const uint8_t key[32] = { 7 };
    bo_assert_ok(bo_document_set_encryption_key(b, key, sizeof key));
    bo_assert_ok(bo_payroll_employee_set(b, "A", "tax_id", "3171012345678901"));
    bo_cursor *c;
    bo_assert_ok(bo_payroll_form_1721a1(b, "A", 2024, "text", &c));
    char *t = document(c);
    static const int64_t want[23] = {
        0, 120000000, 0, 250000000, 0, 960000, 0, 80000000, 450960000,
        6000000, 1200000, 2400000, 9600000, 441360000, 0, 441360000, 58500000,
        382860000, 64715000, 0, 64715000, 50120000, 14595000,
    };
    for (int k = 1; k <= 22; k++)
        ck_assert_msg(form_line(t, k) == R(want[k]), "line %d: %lld", k,
                      (long long)form_line(t, k));
    /* the lines the slips give */
    int64_t dec = runs[12];
    ck_assert_int_eq(form_line(t, 8), slip_line(b, dec, "A", "bruto_year"));
    ck_assert_int_eq(form_line(t, 13), slip_line(b, dec, "A", "neto"));
    ck_assert_int_eq(form_line(t, 17), slip_line(b, dec, "A", "pkp"));
    ck_assert_int_eq(form_line(t, 20), slip_line(b, dec, "A", "pph21_year"));
    ck_assert_int_eq(form_line(t, 22), slip_line(b, dec, "A", "pph21"));
    ck_assert_int_eq(form_line(t, 19) + form_line(t, 21) + form_line(t, 22), form_line(t, 20));
    ck_assert_ptr_nonnull(strstr(t, "3171012345678901"));
    ck_assert_ptr_nonnull(strstr(t, "21-100-01"));
    ck_assert_ptr_nonnull(strstr(t, "K/0"));
    ck_assert_ptr_nonnull(strstr(t, "01 - 12"));
    ck_assert_ptr_nonnull(strstr(t, " 1. Gaji/pensiun atau THT/JHT"));
    ck_assert_ptr_nonnull(strstr(t, "120.000.000"));
    bo_assert_ok(bo_payroll_form_1721a1(b, "A", 2024, "html", &c));
    char *h = document(c);
    assert_well_formed(h);
    for (int k = 1; k <= 22; k++)
        ck_assert_int_eq(form_html_line(h, k), R(want[k]));
    ck_assert_ptr_nonnull(strstr(h, "&lt;b&gt;&quot;Tuan &amp; A&#39;&lt;/b&gt;"));
    ck_assert_ptr_null(strstr(h, "<b>"));
    free(t);
    free(h);
    /* without the key, the tax id cannot be opened: BO_EKEY naming it */
    bo_assert_ok(bo_document_set_encryption_key(b, NULL, 0));
    bo_assert_err(bo_payroll_form_1721a1(b, "A", 2024, "text", &c), BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "tax_id"));
    /* bad input */
    bo_assert_err(bo_payroll_form_1721a1(b, "A", 2024, "pdf", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "format"));
    bo_assert_err(bo_payroll_form_1721a1(b, "A", 0, "text", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "year"));
    bo_assert_err(bo_payroll_form_1721a1(b, "A", 2023, "text", &c), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "no posted last period in 2023"));
    bo_assert_err(bo_payroll_form_1721a1(b, "NOPE", 2024, "text", &c), BO_ENOTFOUND);
    /* December reversed: no settled year, no form */
    bo_assert_ok(bo_payroll_run_reverse(b, dec, D("2024-12-31")));
    bo_assert_err(bo_payroll_form_1721a1(b, "A", 2024, "text", &c), BO_ENOTFOUND);
    bo_test_book_free(b);
}
END_TEST

/* Example 4 (b): a previous employer's slip (lines 14 and 19) and example
 * 2: a refund in the last period, line 22 in parentheses. */
START_TEST(pph21_form_1721a1_previous_and_refund)
{
    bo_book *b = id_book("pph21_f04");
    hire(b, "Db", "TK/0", "2024-09-01", NULL, NULL, 22500000);
    hire(b, "B", "TK/0", "2024-09-01", NULL, NULL, 15500000);
    input(b, "Db", "pension", 9, 12, 100000);
    input(b, "B", "pension", 9, 12, 100000);
    bo_payroll_previous prev = BO_PAYROLL_PREVIOUS_INIT;
    prev.year = 2024;
    prev.period_start = D("2024-01-01");
    prev.period_end = D("2024-08-31");
    prev.bruto = R(140000000);
    prev.neto = R(135200000);
    prev.tax = R(6180000);
    bo_assert_ok(bo_payroll_previous_add(b, "Db", &prev));
    for (int m = 9; m <= 12; m++)
        run_month(b, m, 1);
    bo_cursor *c;
    bo_assert_ok(bo_payroll_form_1721a1(b, "Db", 2024, "text", &c));
    char *t = document(c);
    ck_assert_int_eq(form_line(t, 8), R(90000000));
    ck_assert_int_eq(form_line(t, 13), R(87600000));
    ck_assert_int_eq(form_line(t, 14), R(135200000));
    ck_assert_int_eq(form_line(t, 15), R(222800000));
    ck_assert_int_eq(form_line(t, 17), R(168800000));
    ck_assert_int_eq(form_line(t, 20), R(19320000));
    ck_assert_int_eq(form_line(t, 19), R(6180000));
    ck_assert_int_eq(form_line(t, 21), R(6075000));
    ck_assert_int_eq(form_line(t, 22), R(7065000));
    ck_assert_ptr_nonnull(strstr(t, "09 - 12"));
    free(t);
    bo_assert_ok(bo_payroll_form_1721a1(b, "B", 2024, "text", &c));
    t = document(c);
    ck_assert_int_eq(form_line(t, 20), R(280000));
    ck_assert_int_eq(form_line(t, 21), R(3255000));
    ck_assert_int_eq(form_line(t, 22), -R(2975000));
    ck_assert_ptr_nonnull(strstr(t, "(2.975.000)"));
    free(t);
    /* a recipient who does not settle the year has no 1721-A1 */
    hire(b, "N", "TK/0", "2024-01-01", NULL, "casual", 4000000);
    bo_assert_err(bo_payroll_form_1721a1(b, "N", 2024, "text", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "recipient"));
    bo_test_book_free(b);
}
END_TEST

/* The row of employee number in a CSV document (NULL when none). */
static const char *csv_row(const char *doc, const char *number)
{
    char needle[40];
    snprintf(needle, sizeof needle, ",\"%s\",", number);
    const char *p = strstr(doc, needle);
    if (!p)
        return NULL;
    while (p > doc && p[-1] != '\n')
        p--;
    return p;
}

/* Field k (from 0) of a CSV row, unquoted, into out. */
static void csv_field_at(const char *row, int k, char *out, size_t size)
{
    size_t n = 0;
    for (int i = 0; i <= k; i++) {
        int q = *row == '"';
        row += q;
        n = 0;
        while (*row && (q ? !(row[0] == '"' && row[1] != '"') : (*row != ',' && *row != '\r'))) {
            if (q && row[0] == '"')
                row++;
            if (n + 1 < size)
                out[n++] = *row;
            row++;
        }
        row += q;
        if (*row == ',')
            row++;
    }
    out[n] = '\0';
}

static void assert_row(const char *doc, const char *number, const char *want)
{
    const char *row = csv_row(doc, number);
    ck_assert_msg(row != NULL, "no row for %s", number);
    ck_assert_msg(strncmp(row, want, strlen(want)) == 0 && row[strlen(want)] == '\r',
                  "%s:\n got  %.*s\n want %s", number, (int)strcspn(row, "\r"), row, want);
}

/* The month's withholding lines: permanent employees (TER A and C), a
 * pensioner, a casual and a daily worker, a commissioner, a non-employee,
 * a prize; each row's tax id, status, tax-object code, bruto, PPh 21, TER
 * category and rate or method; and in December the annual computation.
 * The twelve months' PPh 21 of an employee add up to the ledger's tax
 * payable. */
START_TEST(pph21_withholding_csv_month)
{
    bo_book *b = id_book("pph21_csv");
    static const uint8_t key[32] = { 9 };
    bo_assert_ok(bo_document_set_encryption_key(b, key, sizeof key));
    hire(b, "P1", "TK/0", "2020-01-01", NULL, NULL, 20000000);
    bo_assert_ok(bo_payroll_employee_set(b, "P1", "tax_id", "0123456789012345"));
    bo_assert_ok(bo_payroll_employee_set(b, "P1", "name", "=HYPERLINK(\"x\")"));
    hire(b, "P2", "K/3", "2020-01-01", NULL, NULL, 30000000);
    hire(b, "PN", "K/2", "2020-01-01", NULL, "pensioner", 6300000);
    hire(b, "CA", "TK/0", "2020-01-01", NULL, "casual", 7000000);
    hire(b, "DL", "TK/0", "2020-01-01", NULL, "daily", 0);
    input(b, "DL", "daily_wage", 3, 3, 500000);
    work_days(b, "DL", 1);
    hire(b, "KO", "TK/0", "2020-01-01", NULL, "commissioner", 60000000);
    hire(b, "NE", "TK/0", "2020-01-01", NULL, "non-employee", 0);
    input(b, "NE", "wage", 3, 3, 7000000);
    hire(b, "PR", "TK/0", "2020-01-01", NULL, "prize", 0);
    input(b, "PR", "wage", 3, 3, 200000000);
    run_month(b, 1, 1);
    run_month(b, 2, 1);
    run_month(b, 3, 1);
    run_month(b, 4, 0); /* calculated, not posted: not in April's lines */
    bo_cursor *c;
    bo_assert_ok(bo_payroll_withholding_export(b, 2024, 3, "csv", &c));
    char *t = document(c);
    ck_assert(strncmp(t, "period,number,tax_id,name,ptkp_status,tax_object_code,bruto,pph21,"
                         "ter_category,ter_rate_percent,method,currency\r\n", 110) == 0);
    assert_row(t, "P1", "2024-03,\"P1\",\"0123456789012345\",\"'=HYPERLINK(\"\"x\"\")\","
               "\"TK/0\",21-100-01,20000000.00,1800000.00,A,9,ter,IDR");
    assert_row(t, "P2", "2024-03,\"P2\",\"\",\"Tuan\",\"K/3\",21-100-01,30000000.00,"
               "3300000.00,C,11,ter,IDR");
    assert_row(t, "PN", "2024-03,\"PN\",\"\",\"Tuan\",\"K/2\",21-100-02,6300000.00,"
               "15750.00,B,0.25,ter,IDR");
    assert_row(t, "CA", "2024-03,\"CA\",\"\",\"Tuan\",\"TK/0\",21-100-03,7000000.00,"
               "87500.00,A,1.25,ter,IDR");
    assert_row(t, "DL", "2024-03,\"DL\",\"\",\"Tuan\",\"TK/0\",21-100-03,500000.00,"
               "2500.00,harian,0.5,daily,IDR");
    assert_row(t, "KO", "2024-03,\"KO\",\"\",\"Tuan\",\"TK/0\",21-100-09,60000000.00,"
               "12000000.00,A,20,ter,IDR");
    assert_row(t, "NE", "2024-03,\"NE\",\"\",\"Tuan\",\"TK/0\",21-100-08,7000000.00,"
               "175000.00,,,pasal17,IDR");
    assert_row(t, "PR", "2024-03,\"PR\",\"\",\"Tuan\",\"TK/0\",21-100-12,200000000.00,"
               "24000000.00,,,pasal17,IDR");
    free(t);
    bo_assert_ok(bo_payroll_withholding_export(b, 2024, 4, "csv", &c));
    t = document(c);
    ck_assert_ptr_null(strchr(strchr(t, '\n') + 1, ','));  /* the header only */
    free(t);
    /* the rest of the year, then each month's PPh 21 of P1 adds up to the
     * year's tax and the ledger's tax payable holds every row's */
    bo_test_book_free(b);
    b = id_book("pph21_csv2");
    bo_assert_ok(bo_document_set_encryption_key(b, key, sizeof key));
    hire(b, "P1", "TK/0", "2020-01-01", NULL, NULL, 20000000);
    hire(b, "P2", "K/3", "2024-03-01", "2024-10-31", NULL, 30000000);
    input(b, "P1", "bonus", 12, 12, 50000000);
    int64_t total = 0, dec = 0;
    for (int m = 1; m <= 12; m++) {
        dec = run_month(b, m, 1);
        bo_assert_ok(bo_payroll_withholding_export(b, 2024, m, "csv", &c));
        t = document(c);
        for (const char *row = strchr(t, '\n') + 1; *row; row = strchr(row, '\n') + 1) {
            char f[64];
            csv_field_at(row, 7, f, sizeof f); /* pph21, in decimals */
            char *dot = strchr(f, '.');
            ck_assert_ptr_nonnull(dot);
            memmove(dot, dot + 1, strlen(dot));
            total += strtoll(f, NULL, 10);
        }
        if (m == 12 || m == 10)
            ck_assert_ptr_nonnull(strstr(t, ",annual,IDR"));
        free(t);
    }
    int64_t bal;
    bo_assert_ok(bo_ledger_balance(b, "2210", D("2024-12-31"), NULL, &bal));
    ck_assert_int_eq(total, -bal);
    ck_assert_int_gt(total, 0);
    (void)dec;
    /* bad input changes nothing and names the field */
    bo_assert_err(bo_payroll_withholding_export(b, 2024, 13, "csv", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "month"));
    bo_assert_err(bo_payroll_withholding_export(b, 2024, 3, "xlsx", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "format"));
    bo_assert_err(bo_payroll_withholding_export(b, 10000, 3, "csv", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "year"));
    bo_test_book_free(b);
}
END_TEST

/* A payslip in Indonesian: labels in Bahasa Indonesia, money
 * "Rp 12.345.000", the same figures as the English one; the HTML is well
 * formed and escapes the name. */
START_TEST(pph21_payslip_indonesian)
{
    int64_t runs[13];
    bo_book *b = case_01_year("pph21_slip", runs);
    bo_cursor *c;
    bo_assert_ok(bo_payroll_payslip_render(b, runs[12], "A", "text-id", &c));
    char *t = document(c);
    ck_assert_ptr_nonnull(strstr(t, "SLIP GAJI"));
    ck_assert_ptr_nonnull(strstr(t, "Periode: 2024-12-01 s.d. 2024-12-31"));
    ck_assert_ptr_nonnull(strstr(t, "Gaji pokok"));
    ck_assert_ptr_nonnull(strstr(t, "Rp 10.000.000"));      /* the salary */
    ck_assert_ptr_nonnull(strstr(t, "Rp 120.000.000"));     /* its year to date */
    ck_assert_ptr_nonnull(strstr(t, "Rp 14.595.000"));      /* December's PPh 21 */
    ck_assert_ptr_nonnull(strstr(t, "Rp 64.715.000"));      /* pph21_year */
    ck_assert_ptr_nonnull(strstr(t, "PPh 21 terutang setahun"));
    ck_assert_ptr_nonnull(strstr(t, "Penghasilan bersih"));
    ck_assert_ptr_nonnull(strstr(t, "potongan"));
    /* net = 10,000,000 + 20,000,000 + 60,000,000 - 14,595,000 - 100,000 -
     * 200,000 (JKK and JKM are the employer's) */
    ck_assert_ptr_nonnull(strstr(t, "Rp 75.105.000"));
    ck_assert_ptr_null(strstr(t, "Net pay"));
    free(t);
    bo_assert_ok(bo_payroll_payslip_render(b, runs[12], "A", "html-id", &c));
    t = document(c);
    assert_well_formed(t);
    ck_assert_ptr_nonnull(strstr(t, "<html lang=\"id\">"));
    ck_assert_ptr_nonnull(strstr(t, "<td>Rp 14.595.000</td>"));
    ck_assert_ptr_nonnull(strstr(t, "&lt;b&gt;&quot;Tuan &amp; A&#39;&lt;/b&gt;"));
    free(t);
    bo_assert_ok(bo_payroll_payslip_render(b, runs[12], "A", "html", &c));
    t = document(c);
    assert_well_formed(t);
    free(t);
    bo_assert_err(bo_payroll_payslip_render(b, runs[12], "A", "text-fr", &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "format"));
    /* money the Indonesian way at the int64 limits and with sen */
    char m[64];
    bo__pay_money_id(m, INT64_MIN, "IDR", 2, 1);
    ck_assert_str_eq(m, "-Rp 92.233.720.368.547.758,08");
    bo__pay_money_id(m, INT64_MAX, "IDR", 2, 1);
    ck_assert_str_eq(m, "Rp 92.233.720.368.547.758,07");
    bo__pay_money_id(m, 100050, "IDR", 2, 1);
    ck_assert_str_eq(m, "Rp 1.000,50");
    bo__pay_money_id(m, 0, "IDR", 2, 1);
    ck_assert_str_eq(m, "Rp 0");
    bo__pay_money_id(m, -123456, "USD", 2, 0);
    ck_assert_str_eq(m, "-1.234,56");
    bo_test_book_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("payroll_id");
    TCase *tc = tcase_create("pph21");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, pph21_case_01_tuan_a_whole_year);
    tcase_add_test(tc, pph21_case_02_tuan_b_joins_september);
    tcase_add_test(tc, pph21_case_03_tuan_c_resident_from_september);
    tcase_add_test(tc, pph21_case_04_tuan_d_changes_employer);
    tcase_add_test(tc, pph21_case_05_tuan_e_leaves_indonesia);
    tcase_add_test(tc, pph21_case_06_tuan_f_k3_foreign_currency);
    tcase_add_test(tc, pph21_case_07_tuan_g_gross_up);
    tcase_add_test(tc, pph21_case_08_tuan_h_tax_allowance);
    tcase_add_test(tc, pph21_case_09_tuan_i_scholarship);
    tcase_add_test(tc, pph21_case_10_tuan_j_pensioner);
    tcase_add_test(tc, pph21_case_11_commissioner);
    tcase_add_test(tc, pph21_case_12_daily_workers);
    tcase_add_test(tc, pph21_case_13_tuan_n_casual_monthly);
    tcase_add_test(tc, pph21_case_14_non_employees_prizes_withdrawals);
    tcase_add_test(tc, pph21_bad_unknown_ptkp_status);
    tcase_add_test(tc, pph21_bad_overtime_above_cap);
    tcase_add_test(tc, pph21_bad_last_period_twice);
    tcase_add_test(tc, pph21_bad_previous_slip_other_year);
    tcase_add_test(tc, pph21_jp_cap_by_pay_date);
    tcase_add_test(tc, pph21_overtime_pp35_tables);
    tcase_add_test(tc, pph21_inputs_int64_limits);
    tcase_add_test(tc, pph21_random_year_sums);
    tcase_add_test(tc, pph21_gross_up_last_period);
    tcase_add_test(tc, pph21_daily_worker_monthly_threshold);
    tcase_add_test(tc, pph21_overtime_week_across_periods);
    tcase_add_test(tc, pph21_daily_worker_weekly_runs);
    tcase_add_test(tc, pph21_form_1721a1_case_01);
    tcase_add_test(tc, pph21_form_1721a1_previous_and_refund);
    tcase_add_test(tc, pph21_withholding_csv_month);
    tcase_add_test(tc, pph21_payslip_indonesian);
    suite_add_tcase(s, tc);
    return bo_test_run(s);
}
