/* Billing worked examples to the minor unit, numbering without gaps, aging
 * as of a past date, and the bad-input catalogue (nothing changed). */
#include "test_billing_fixture.h"
#include "billing/billing.h"

#include <stdio.h>
#include <stdlib.h>

static void setup(void)
{
    book = bo_test_book("billing");
    billing_fixture();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

/* Exclusive tax with a discount, two rates, and an inclusive document.
 * Line 1: 3 x 19.99 = 59.97, less 10 % (5.997 -> 6.00) = 53.97; VAT 20 % of
 * 53.97 = 10.794 -> 10.79. Line 2: 4.50 at VAT 5 % = 0.225 -> 0.23 (half
 * away from zero). Net 58.47, tax 11.02, total 69.49. */
START_TEST(invoice_exclusive_and_inclusive_tax)
{
    bo_invoice *v;
    int64_t id, entry;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-02"), NULL));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "widgets", .quantity = 3000, .unit_price = 1999,
            .discount_ppm = 100000, .tax_category = "standard" }));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4010",
            .description = "book", .quantity = 1000, .unit_price = 450,
            .tax_category = "reduced" }));
    ck_assert_int_eq(bo_invoice_line_count(v), 2);
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);

    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 2), "draft");
    ck_assert_int_eq(bo_cursor_type(c, 4), BO_TYPE_NULL); /* no number */
    ck_assert_int_eq(bo_cursor_int(c, 10), 5847);
    ck_assert_int_eq(bo_cursor_int(c, 11), 1102);
    ck_assert_int_eq(bo_cursor_int(c, 12), 6949);
    ck_assert_str_eq(bo_cursor_text(c, 8), "2026-04-01"); /* 30 days' terms */
    bo_cursor_free(c);
    bo_assert_ok(bo_billing_invoice_lines(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), 5397);
    ck_assert_int_eq(bo_cursor_int(c, 8), 1079);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), 450);
    ck_assert_int_eq(bo_cursor_int(c, 8), 23);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);

    bo_assert_ok(bo_billing_invoice_post(book, id, D("2026-03-02"), &entry));
    ck_assert_int_eq(balance("1200", "2026-03-31"), 6949);
    ck_assert_int_eq(balance("4010", "2026-03-31"), -450);
    ck_assert_int_eq(balance("4000", "2026-03-31"), -5847); /* with 4010 */
    ck_assert_int_eq(balance("2100", "2026-03-31"), -1102);
    int64_t again;
    bo_assert_ok(bo_billing_invoice_post(book, id, D("2026-03-02"), &again));
    ck_assert_int_eq(again, entry); /* posting twice answers the first */
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 5), "INV-1");
    ck_assert_int_eq(bo_cursor_int(c, 13), 6949); /* base_total */
    bo_cursor_free(c);

    /* Inclusive: 2 x 9.99 = 19.98 less 5 % (0.999 -> 1.00) = 18.98 with tax:
     * net 15.82, tax 3.16 (15.83 would make 19.00). A bill: input tax. */
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_PURCHASE, "V1", D("2026-03-03"), NULL));
    bo_assert_ok(bo_invoice_set_inclusive(v, 1));
    bo_assert_ok(bo_invoice_set_reference(v, "V-778"));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "5000",
            .description = "supplies", .quantity = 2000, .unit_price = 999,
            .discount_ppm = 50000, .tax_category = "standard" }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    bo_assert_ok(bo_billing_invoice_post(book, id, D("2026-03-03"), &entry));
    ck_assert_int_eq(balance("5000", "2026-03-31"), 1582);
    ck_assert_int_eq(balance("1300", "2026-03-31"), 316);
    ck_assert_int_eq(balance("2000", "2026-03-31"), -1898);
    ck_assert_int_eq(open_of(id, "2026-03-31"), 1898);

    /* Tax report: sales 20 % base 53.97 tax 10.79, 5 % base 4.50 tax 0.23;
     * purchases 20 % base 15.82 tax 3.16. */
    bo_assert_ok(bo_billing_tax_report(book, D("2026-03-01"), D("2026-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "VAT20");
    ck_assert_int_eq(bo_cursor_int(c, 2), 5397);
    ck_assert_int_eq(bo_cursor_int(c, 3), 1079);
    ck_assert_int_eq(bo_cursor_int(c, 4), 1582);
    ck_assert_int_eq(bo_cursor_int(c, 5), 316);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "VAT5");
    ck_assert_int_eq(bo_cursor_int(c, 3), 23);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
}
END_TEST

/* Three invoices (100.00, 200.00, 50.00) paid with 349.50 and 0.50 written
 * off: Dr bank 349.50, Dr write-off 0.50, Cr receivable 350.00. */
START_TEST(payment_across_three_invoices_with_write_off)
{
    int64_t i1 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-01", NULL, "4000", 10000, NULL);
    int64_t i2 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-02", NULL, "4000", 20000, NULL);
    int64_t i3 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-03", NULL, "4000", 5000, NULL);
    ck_assert_int_eq(balance("1200", "2026-03-31"), 35000);

    bo_payment *p;
    int64_t pid, again;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-03-20"), .amount = 34950,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "bank-2026-03-20-1"));
    bo_assert_ok(bo_payment_set_reference(p, "TRX-1"));
    bo_assert_ok(bo_payment_allocate(p, i1, 10000, 0));
    bo_assert_ok(bo_payment_allocate(p, i2, 20000, 0));
    bo_assert_ok(bo_payment_allocate(p, i3, 4950, 50));
    bo_assert_ok(bo_billing_payment_post(book, p, &pid));
    bo_assert_ok(bo_billing_payment_post(book, p, &again)); /* replay */
    ck_assert_int_eq(again, pid);
    bo_payment_free(p);
    ck_assert_int_eq(balance("1100", "2026-03-31"), 34950);
    ck_assert_int_eq(balance("6900", "2026-03-31"), 50);
    ck_assert_int_eq(balance("1200", "2026-03-31"), 0);
    ck_assert_int_eq(open_of(i1, "2026-03-31"), 0);
    ck_assert_int_eq(open_of(i3, "2026-03-31"), 0);
    ck_assert_int_eq(open_of(i3, "2026-03-19"), 5000);
    int64_t open;
    bo_assert_err(bo_billing_invoice_open(book, 99999, D("2026-03-19"), &open), BO_ENOTFOUND);
    bo_cursor *c;
    bo_assert_ok(bo_billing_payments(book, "C1", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), 34950); /* allocated */
    ck_assert_int_eq(bo_cursor_int(c, 8), 0);     /* unapplied */
    bo_cursor_free(c);

    /* A write-off over the 1.00 limit is refused, nothing changed. */
    int64_t i4 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-04", NULL, "4000", 1000, NULL);
    int64_t seq = audit_seq();
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-03-21"), .amount = 800, .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "bank-2026-03-21-1"));
    bo_assert_ok(bo_payment_allocate(p, i4, 800, 200));
    bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EPAYMENT);
    bo_payment_free(p);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(open_of(i4, "2026-12-31"), 1000);
    ck_assert_int_eq(balance("1100", "2026-12-31"), 34950);
}
END_TEST

/* Over-payment stays as credit and is applied to a later invoice. */
START_TEST(over_payment_left_as_credit)
{
    int64_t i1 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-01", NULL, "4000", 10000, NULL);
    bo_payment *p;
    int64_t pid;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-03-05"), .amount = 15000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "over-1"));
    bo_assert_ok(bo_payment_allocate(p, i1, 10000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, &pid));
    bo_payment_free(p);
    ck_assert_int_eq(balance("1200", "2026-03-31"), -5000); /* the credit */
    int64_t i2 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-10", NULL, "4000", 3000, NULL);
    bo_assert_err(bo_billing_credit_apply(book, pid, i2, 6000, D("2026-03-11")), BO_EPAYMENT);
    for (int64_t bad = -1; bad <= 0; bad++) {
        bo_assert_err(bo_billing_credit_apply(book, pid, i2, bad, D("2026-03-11")), BO_EINVAL);
        ck_assert_str_eq(bo_error_message(), "amount: must be positive");
    }
    bo_assert_ok(bo_billing_credit_apply(book, pid, i2, 3000, D("2026-03-11")));
    ck_assert_int_eq(open_of(i2, "2026-03-11"), 0);
    ck_assert_int_eq(open_of(i2, "2026-03-10"), 3000);
    bo_cursor *c;
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-03-31"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), -2000); /* credit left */
    bo_cursor_free(c);
    /* Statement: opening 0, invoice 100, payment 150, invoice 30 = -20. */
    bo_assert_ok(bo_billing_statement(book, "C1", D("2026-03-01"), D("2026-03-31"), &c));
    int64_t last = 0, rows = 0;
    while (bo_cursor_next(c) == 0) {
        last = bo_cursor_int(c, 6);
        rows++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(rows, 4);
    ck_assert_int_eq(last, -2000);
}
END_TEST

/* 100.00 EUR invoiced at 1.10 (110.00 USD), paid at 1.15 (115.00 USD) into
 * the euro bank: a realized gain of 5.00. */
START_TEST(foreign_invoice_realized_gain)
{
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.10"));
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-02-01"), "1.15"));
    int64_t base;
    bo_assert_ok(bo_billing_convert(book, 10000, "EUR", D("2026-01-31"), &base));
    ck_assert_int_eq(base, 11000);
    int64_t id = invoice1(BO_INVOICE_SALES, "C2", "2026-01-10", NULL, "4000", 10000, NULL);
    ck_assert_int_eq(balance("1210", "2026-01-31"), 10000); /* EUR */
    ck_assert_int_eq(balance("4000", "2026-01-31"), -11000); /* USD */
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 9), "EUR");
    ck_assert_int_eq(bo_cursor_int(c, 13), 11000);
    int64_t entry = bo_cursor_int(c, 15);
    bo_cursor_free(c);
    /* The entry keeps both amounts beside each posting. */
    bo_assert_ok(bo_ledger_entry(book, entry, &c));
    int col = bo_cursor_column_index(c, "base_amount");
    ck_assert_int_ge(col, 0);
    int64_t base_sum = 0;
    while (bo_cursor_next(c) == 0)
        base_sum += bo_cursor_int(c, col);
    bo_cursor_free(c);
    ck_assert_int_eq(base_sum, 0);

    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C2", .date = D("2026-02-10"), .amount = 10000,
            .currency = "EUR", .account = "1110" }));
    bo_assert_ok(bo_payment_set_key(p, "eur-1"));
    bo_assert_ok(bo_payment_allocate(p, id, 10000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    ck_assert_int_eq(balance("1110", "2026-02-28"), 10000);
    ck_assert_int_eq(balance("1210", "2026-02-28"), 0);
    ck_assert_int_eq(balance("7000", "2026-02-28"), -500); /* gain 5.00 */
    ck_assert_int_eq(open_of(id, "2026-02-28"), 0);
}
END_TEST

/* An importer's document at its source's exact rate (25/23, not a decimal)
 * with no rate of the book at all, and its part payment worth the carried
 * value of what it settles: no exchange difference (bo__bill_invoice_post_at,
 * bo__payment_set_rate; the GnuCash import). */
START_TEST(foreign_invoice_at_a_given_rate)
{
    bo_invoice *v;
    int64_t id, entry;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C2", D("2026-01-10"), "EUR"));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "goods", .quantity = 1000, .unit_price = 10000 }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    bo_assert_err(bo_billing_invoice_post(book, id, D("2026-01-10"), &entry), BO_ENORATE);
    bo_assert_err(bo__bill_invoice_post_at(book, id, D("2026-01-10"), 0, 23, &entry),
                  BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "rate: 0/23"), "%s", bo_error_message());
    bo_assert_ok(bo__bill_invoice_post_at(book, id, D("2026-01-10"), 25, 23, &entry));
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 14), "25/23");
    ck_assert_int_eq(bo_cursor_int(c, 13), 10870); /* 100.00 x 25/23 = 108.6956... */
    bo_cursor_free(c);
    ck_assert_int_eq(balance("4000", "2026-01-31"), -10870);
    /* a third paid into the euro bank, weeks later */
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C2", .date = D("2026-02-10"), .amount = 3333,
            .currency = "EUR", .account = "1110" }));
    bo_assert_ok(bo_payment_set_key(p, "eur-given"));
    bo_assert_ok(bo_payment_allocate(p, id, 3333, 0));
    bo_assert_err(bo__payment_set_rate(p, 25, 0), BO_EINVAL);
    bo_assert_ok(bo__payment_set_rate(p, 25, 23));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    ck_assert_int_eq(balance("1110", "2026-02-28"), 3333);
    ck_assert_int_eq(balance("1210", "2026-02-28"), 10000 - 3333);
    ck_assert_int_eq(balance("7000", "2026-02-28"), 0); /* no gain */
    ck_assert_int_eq(balance("7100", "2026-02-28"), 0); /* no loss */
    ck_assert_int_eq(open_of(id, "2026-02-28"), 10000 - 3333);
    /* the bank's book-currency value is what the payment settled is carried
     * at: 33.33 of 100.00 carried at 108.70 */
    bo_assert_ok(bo_billing_payments(book, "C2", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    int64_t pay_entry = bo_cursor_int(c, 9);
    bo_cursor_free(c);
    bo_assert_ok(bo_ledger_entry(book, pay_entry, &c));
    int col = bo_cursor_column_index(c, "base_amount"), n = 0;
    ck_assert_int_ge(col, 0);
    while (bo_cursor_next(c) == 0) {
        n++;
        ck_assert_int_eq(bo_cursor_int(c, col) < 0 ? -bo_cursor_int(c, col)
                                                   : bo_cursor_int(c, col), 3623);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(n, 2); /* the bank and the receivable, nothing else */
}
END_TEST

/* An importer's credit note applied later to an invoice of its customer
 * (GnuCash's lot link): an allocation, no entry; what is more than either
 * has open, a bill, a date before a posting: refused, nothing recorded
 * (bo__bill_credit_note_apply). */
START_TEST(credit_note_applied_by_an_importer)
{
    int64_t inv = invoice1(BO_INVOICE_SALES, "C1", "2026-01-10", NULL, "4000", 10000, NULL);
    int64_t cn = invoice1(BO_INVOICE_SALES_CREDIT, "C1", "2026-01-12", NULL, "4000", 3000,
                          NULL);
    int64_t bill = invoice1(BO_INVOICE_PURCHASE, "V1", "2026-01-10", NULL, "5000", 500, NULL);
    int64_t recv = balance("1200", "2026-01-31");
    bo_assert_err(bo__bill_credit_note_apply(book, cn, inv, 3001, D("2026-01-20")),
                  BO_EPAYMENT);
    ck_assert_msg(strstr(bo_error_message(), "more than credit note"), "%s",
                  bo_error_message());
    bo_assert_err(bo__bill_credit_note_apply(book, cn, bill, 100, D("2026-01-20")),
                  BO_EINVAL);
    bo_assert_err(bo__bill_credit_note_apply(book, inv, cn, 100, D("2026-01-20")),
                  BO_EINVAL);
    bo_assert_err(bo__bill_credit_note_apply(book, cn, inv, 100, D("2026-01-11")), BO_EDATE);
    for (int64_t bad = -1; bad <= 0; bad++) {
        bo_assert_err(bo__bill_credit_note_apply(book, cn, inv, bad, D("2026-01-20")),
                      BO_EINVAL);
        ck_assert_str_eq(bo_error_message(), "amount: must be positive");
    }
    ck_assert_int_eq(open_of(inv, "2026-01-31"), 10000);
    ck_assert_int_eq(open_of(cn, "2026-01-31"), 3000);
    bo_assert_ok(bo__bill_credit_note_apply(book, cn, inv, 1000, D("2026-01-20")));
    bo_assert_ok(bo__bill_credit_note_apply(book, cn, inv, 2000, D("2026-01-21")));
    ck_assert_int_eq(open_of(inv, "2026-01-31"), 7000);
    ck_assert_int_eq(open_of(inv, "2026-01-20"), 9000); /* as of a past day */
    ck_assert_int_eq(open_of(cn, "2026-01-31"), 0);
    ck_assert_int_eq(balance("1200", "2026-01-31"), recv); /* no entry */
    bo_assert_err(bo__bill_credit_note_apply(book, cn, inv, 1, D("2026-01-22")), BO_EPAYMENT);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* 200.00 EUR open at 1.10 (220.00); on 31 January the rate is 1.12, so the
 * open item is worth 224.00: Dr revaluation 4.00, Cr unrealized 4.00, and
 * the opposite on 1 February. */
START_TEST(month_end_revaluation_and_reversal)
{
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.10"));
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-31"), "1.12"));
    invoice1(BO_INVOICE_SALES, "C2", "2026-01-15", "EUR", "4000", 20000, NULL);
    int64_t entry, again;
    bo_assert_ok(bo_billing_revalue(book, D("2026-01-31"), &entry));
    ck_assert_int_gt(entry, 0);
    ck_assert_int_eq(balance("1290", "2026-01-31"), 400);
    ck_assert_int_eq(balance("7200", "2026-01-31"), -400);
    ck_assert_int_eq(balance("1290", "2026-02-01"), 0);
    ck_assert_int_eq(balance("7200", "2026-02-01"), 0);
    bo_assert_ok(bo_billing_revalue(book, D("2026-01-31"), &again));
    ck_assert_int_eq(again, entry);
    ck_assert_int_eq(balance("1290", "2026-01-31"), 400);
}
END_TEST

START_TEST(aging_as_of_past_date_is_stable)
{
    /* Due dates: terms 30 days. */
    int64_t a = invoice1(BO_INVOICE_SALES, "C1", "2026-01-05", NULL, "4000", 10000, NULL);
    invoice1(BO_INVOICE_SALES, "C1", "2026-02-20", NULL, "4000", 20000, NULL);
    invoice1(BO_INVOICE_SALES, "C1", "2026-04-01", NULL, "4000", 30000, NULL);
    invoice1(BO_INVOICE_PURCHASE, "V1", "2026-03-01", NULL, "5000", 7000, NULL);
    int64_t before[8], after[8];
    bo_cursor *c;
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-04-10"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    for (int i = 0; i < 6; i++)
        before[i] = bo_cursor_int(c, i + 2);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* due 02-04 (65 days), 03-22 (19 days), 05-01 (current) */
    ck_assert_int_eq(before[0], 30000);
    ck_assert_int_eq(before[1], 20000);
    ck_assert_int_eq(before[3], 10000);
    ck_assert_int_eq(before[5], 60000);

    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-04-20"), .amount = 10000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "late-1"));
    bo_assert_ok(bo_payment_allocate(p, a, 10000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);

    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-04-10"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    for (int i = 0; i < 6; i++)
        after[i] = bo_cursor_int(c, i + 2);
    bo_cursor_free(c);
    ck_assert_mem_eq(before, after, 6 * sizeof before[0]);
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_RECEIVABLE, D("2026-04-20"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), 50000);
    bo_cursor_free(c);
    bo_assert_ok(bo_billing_aging(book, BO_BILLING_PAYABLE, D("2026-04-10"), &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 0), "V1");
    ck_assert_int_eq(bo_cursor_int(c, 3), 7000); /* due 03-31: 10 days */
    bo_cursor_free(c);
}
END_TEST

START_TEST(numbering_without_gaps)
{
    bo_assert_ok(bo_billing_series_add(book, "S26", "2026/", 1001));
    bo_assert_ok(bo_billing_series_set_next(book, "S26", 5001)); /* nothing used yet */
    bo_invoice *v;
    int64_t id1, id2;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-01"), NULL));
    bo_assert_ok(bo_invoice_set_series(v, "S26"));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 100 }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id1));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id2));
    bo_invoice_free(v);
    /* A post rolled back by the host leaves no gap. */
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_billing_invoice_post(book, id1, D("2026-03-01"), NULL));
    bo_assert_ok(bo_book_rollback(book));
    bo_assert_ok(bo_billing_invoice_post(book, id2, D("2026-03-01"), NULL));
    bo_assert_ok(bo_billing_invoice_post(book, id1, D("2026-03-01"), NULL));
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoice_get(book, id2, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 5), "2026/5001");
    bo_cursor_free(c);
    bo_assert_ok(bo_billing_invoice_get(book, id1, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 4), 5002);
    bo_cursor_free(c);
    bo_assert_ok(bo_billing_series(book, &c));
    ck_assert_int_eq(count_rows(c), 1);
    bo_assert_ok(bo_billing_settings(book, &c));
    ck_assert_int_eq(count_rows(c), 8);
}
END_TEST

START_TEST(bad_forced_gap)
{
    invoice1(BO_INVOICE_SALES, "C1", "2026-03-01", NULL, "4000", 100, NULL);
    int64_t seq = audit_seq();
    bo_assert_err(bo_billing_series_set_next(book, "INV", 5), BO_ESEQUENCE);
    bo_assert_err(bo_billing_series_set_next(book, "INV", 1), BO_ESEQUENCE);
    bo_assert_ok(bo_billing_series_set_next(book, "INV", 2)); /* the same: fine */
    ck_assert_int_eq(audit_seq(), seq);
    /* An explicit number that skips is refused at posting. */
    bo_invoice *v;
    int64_t id;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-02"), NULL));
    bo_assert_ok(bo_invoice_set_number(v, 4));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 100 }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    seq = audit_seq();
    int64_t cash = balance("1200", "2026-12-31");
    bo_assert_err(bo_billing_invoice_post(book, id, D("2026-03-02"), NULL), BO_ESEQUENCE);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(balance("1200", "2026-12-31"), cash);
    bo_cursor *c;
    bo_assert_ok(bo_billing_series(book, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 2), 2);
    bo_cursor_free(c);
}
END_TEST

START_TEST(bad_payment_in_closed_period)
{
    int64_t id = invoice1(BO_INVOICE_SALES, "C1", "2026-01-10", NULL, "4000", 10000, NULL);
    bo_assert_ok(bo_ledger_period_add(book, "2026-01", D("2026-01-01"), D("2026-01-31")));
    bo_assert_ok(bo_ledger_period_close(book, "2026-01"));
    int64_t seq = audit_seq();
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-01-20"), .amount = 10000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "closed-1"));
    bo_assert_ok(bo_payment_allocate(p, id, 10000, 0));
    bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EPERIOD);
    bo_payment_free(p);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(open_of(id, "2026-12-31"), 10000);
    bo_cursor *c;
    bo_assert_ok(bo_billing_payments(book, NULL, &c));
    ck_assert_int_eq(count_rows(c), 0);
    /* A payment without a key is refused before anything. */
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-02-20"), .amount = 10000,
            .account = "1100" }));
    bo_assert_err(bo_billing_payment_post(book, p, NULL), BO_EINVAL);
    bo_payment_free(p);
}
END_TEST

START_TEST(bad_currency_and_missing_rate)
{
    bo_invoice *v = NULL;
    bo_assert_err(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-01"), "QQQ"),
                  BO_ECURRENCY);
    ck_assert_ptr_null(v);
    bo_assert_err(bo_billing_rate_set(book, "QQQ", D("2026-03-01"), "1.5"), BO_ECURRENCY);
    bo_assert_err(bo_billing_rate_set(book, "USD", D("2026-03-01"), "1.5"), BO_ECURRENCY);
    bo_assert_err(bo_billing_rate_set(book, "EUR", D("2026-03-01"), "1,5"), BO_EINVAL);
    bo_assert_err(bo_billing_rate_set(book, "EUR", D("2026-03-01"), "0"), BO_EINVAL);
    int64_t base;
    bo_assert_err(bo_billing_convert(book, 100, "EUR", D("2026-03-01"), &base), BO_ENORATE);
    /* A rate after the date does not apply to it. */
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-03-05"), "1.2"));
    bo_assert_err(bo_billing_convert(book, 100, "EUR", D("2026-03-04"), &base), BO_ENORATE);
    bo_assert_ok(bo_billing_convert(book, 100, "EUR", D("2026-03-09"), &base));
    ck_assert_int_eq(base, 120);
    bo_cursor *c;
    bo_assert_ok(bo_billing_rates(book, "EUR", &c));
    ck_assert_int_eq(count_rows(c), 1);

    /* A GBP invoice without a GBP rate: the draft stays a draft. */
    int64_t id;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-06"), "GBP"));
    bo_assert_ok(bo_invoice_set_account(v, "1200"));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 100 }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &id));
    bo_invoice_free(v);
    int64_t seq = audit_seq();
    bo_assert_err(bo_billing_invoice_post(book, id, D("2026-03-06"), NULL), BO_ENORATE);
    ck_assert_int_eq(audit_seq(), seq);
    bo_assert_ok(bo_billing_invoice_get(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_str_eq(bo_cursor_text(c, 2), "draft");
    bo_cursor_free(c);
}
END_TEST

START_TEST(credit_note_and_reversal)
{
    int64_t id = invoice1(BO_INVOICE_SALES, "C1", "2026-03-01", NULL, "4000", 10000,
                          "standard");
    ck_assert_int_eq(balance("1200", "2026-03-31"), 12000);
    bo_invoice *v;
    int64_t cn;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES_CREDIT, "C1", D("2026-03-05"), NULL));
    bo_assert_ok(bo_invoice_set_credits(v, id));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "returned", .quantity = 1000, .unit_price = 2500,
            .tax_category = "standard" }));
    bo_assert_ok(bo_billing_invoice_save(book, v, &cn));
    bo_invoice_free(v);
    bo_assert_ok(bo_billing_invoice_post(book, cn, D("2026-03-05"), NULL));
    ck_assert_int_eq(balance("1200", "2026-03-31"), 9000);
    ck_assert_int_eq(balance("2100", "2026-03-31"), -1500);
    ck_assert_int_eq(open_of(id, "2026-03-31"), 9000);
    ck_assert_int_eq(open_of(cn, "2026-03-31"), 0);
    /* Settled in part: not reversible. A fresh one is. */
    bo_assert_err(bo_billing_invoice_reverse(book, id, D("2026-03-06"), NULL), BO_ESTATE);
    int64_t id2 = invoice1(BO_INVOICE_SALES, "C1", "2026-03-02", NULL, "4000", 700, NULL);
    int64_t rev;
    bo_assert_ok(bo_billing_invoice_reverse(book, id2, D("2026-03-06"), &rev));
    ck_assert_int_gt(rev, 0);
    ck_assert_int_eq(open_of(id2, "2026-03-05"), 700);
    ck_assert_int_eq(open_of(id2, "2026-03-06"), 0);
    bo_assert_err(bo_billing_invoice_reverse(book, id2, D("2026-03-06"), NULL), BO_ESTATE);
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoices(book, "C1", &c));
    ck_assert_int_eq(count_rows(c), 3);
    bo_assert_ok(bo_billing_invoices(book, NULL, &c));
    ck_assert_int_eq(count_rows(c), 3);
}
END_TEST

START_TEST(builder_errors)
{
    bo_invoice *v;
    bo_assert_err(bo_invoice_new(&v, 9, "C1", D("2026-03-01"), NULL), BO_EINVAL);
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2026-03-01"), NULL));
    bo_assert_err(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .unit_price = 100 }), BO_EINVAL);
    bo_assert_err(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = -1 }), BO_EINVAL);
    bo_assert_err(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 1, .discount_ppm = 1000001 }), BO_EINVAL);
    bo_assert_err(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = INT64_MAX, .unit_price = INT64_MAX }),
                  BO_EOVERFLOW);
    bo_assert_err(bo_invoice_set_credits(v, -1), BO_EINVAL);
    bo_assert_err(bo_invoice_set_due(v, BO_DATE_MAX + 1), BO_EINVAL);
    bo_assert_err(bo_invoice_set_inclusive(v, 2), BO_EINVAL);
    bo_assert_ok(bo_invoice_set_memo(v, "typed setters"));
    bo_assert_err(bo_billing_invoice_save(book, v, NULL), BO_EINVAL); /* no lines */
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "9999",
            .quantity = 1000, .unit_price = 100 }));
    bo_assert_err(bo_billing_invoice_save(book, v, NULL), BO_ENOTFOUND);
    bo_invoice_free(v);
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "V1", D("2026-03-01"), NULL));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .quantity = 1000, .unit_price = 100 }));
    bo_assert_err(bo_billing_invoice_save(book, v, NULL), BO_EINVAL); /* not a customer */
    bo_invoice_free(v);
    bo_payment *p;
    bo_assert_err(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = 3, .party = "C1",
            .date = D("2026-03-01"), .amount = 1, .account = "1100" }), BO_EINVAL);
    bo_assert_err(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = 1, .party = "C1",
            .date = D("2026-03-01"), .account = "1100" }), BO_EINVAL);
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = 1, .party = "C1",
            .date = D("2026-03-01"), .amount = 1, .account = "1100" }));
    bo_assert_err(bo_payment_allocate(p, 1, 0, 0), BO_EINVAL);
    bo_assert_ok(bo_payment_allocate(p, 1, 1, 0));
    bo_assert_err(bo_payment_allocate(p, 1, 1, 0), BO_EINVAL);
    bo_assert_err(bo_payment_set_memo(NULL, "red"), BO_EINVAL);
    bo_assert_ok(bo_payment_set_memo(p, "typed setters"));
    bo_payment_free(p);
    bo_assert_err(bo_billing_setting_set(book, "colour", "red"), BO_EINVAL);
    bo_assert_err(bo_billing_setting_set(book, "write_off_account", "9999"), BO_ENOTFOUND);
    bo_assert_err(bo_billing_setting_set(book, "write_off_limit", "abc"), BO_EINVAL);
}
END_TEST

START_TEST(permissions_denied)
{
    bo_assert_ok(bo_role_define(book, "clerk", "ledger.read"));
    bo_assert_ok(bo_role_grant(book, "bob", "clerk"));
    bo_assert_ok(bo_book_set_actor(book, "bob"));
    bo_cursor *c;
    bo_assert_err(bo_billing_invoices(book, NULL, &c), BO_EDENIED);
    bo_assert_err(bo_billing_aging(book, 1, D("2026-01-01"), &c), BO_EDENIED);
    bo_assert_err(bo_billing_cash_flow(book, D("2026-01-01"), D("2026-01-31"), &c), BO_EDENIED);
    bo_assert_err(bo_billing_bank_statements(book, NULL, &c), BO_EDENIED);
    bo_assert_err(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.1"), BO_EDENIED);
}
END_TEST

/* The ledger's book-currency values: given for foreign postings, equal to
 * the amount for book-currency ones, balanced in the book currency. */
START_TEST(ledger_base_amounts)
{
    bo_entry *e;
    int64_t id;
    bo_assert_ok(bo_entry_new(&e, D("2026-03-01"), "fx"));
    bo_assert_err(bo_entry_add_base(e, "1110", 100, "EUR", -110, NULL), BO_EINVAL);
    bo_assert_err(bo_entry_add_base(e, "1110", 100, NULL, 110, NULL), BO_EINVAL);
    bo_assert_ok(bo_entry_add_base(e, "1110", 100, "EUR", 110, NULL));
    bo_assert_ok(bo_entry_add(e, "1100", -109, NULL, NULL));
    int64_t seq = audit_seq();
    bo_assert_err(bo_ledger_post(book, e, &id), BO_EUNBALANCED); /* off by 0.01 USD */
    ck_assert_int_eq(audit_seq(), seq);
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, D("2026-03-01"), "fx"));
    bo_assert_ok(bo_entry_add_base(e, "1100", 100, "USD", 101, NULL));
    bo_assert_ok(bo_entry_add(e, "1000", -100, NULL, NULL));
    bo_assert_err(bo_ledger_post(book, e, &id), BO_EINVAL); /* USD base differs */
    bo_entry_free(e);
    bo_assert_ok(bo_entry_new(&e, D("2026-03-01"), "fx"));
    bo_assert_ok(bo_entry_set_key(e, "fx-1"));
    bo_assert_ok(bo_entry_add_base(e, "1110", 100, "EUR", 110, NULL));
    bo_assert_ok(bo_entry_add(e, "1100", -110, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    int64_t again;
    bo_assert_ok(bo_ledger_post(book, e, &again));
    ck_assert_int_eq(again, id);
    bo_entry_free(e);
    int64_t rev;
    bo_assert_ok(bo_ledger_reverse(book, id, D("2026-03-02"), NULL, &rev));
    bo_cursor *c;
    bo_assert_ok(bo_ledger_entry(book, rev, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 7), -100);
    ck_assert_int_eq(bo_cursor_int(c, 10), -110);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 10), 110);
    bo_cursor_free(c);
    /* A foreign entry without values still balances per currency; its
     * values stay unknown. */
    bo_assert_ok(bo_entry_new(&e, D("2026-03-03"), "eur only"));
    bo_assert_ok(bo_entry_add(e, "1110", 500, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "1210", -500, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &id));
    bo_entry_free(e);
    bo_assert_ok(bo_ledger_entry(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_type(c, 10), BO_TYPE_NULL);
    bo_cursor_free(c);
}
END_TEST

static bo_book *yaml_book(const char *billing)
{
    char *uri = bo_test_path("billing_yaml");
    char yaml[4096];
    int len = snprintf(yaml, sizeof yaml,
                       "book: {name: Y, base_currency: USD}\n"
                       "accounts:\n"
                       "  - {code: \"1200\", name: AR, type: asset}\n"
                       "  - {code: \"6900\", name: WO, type: expense}\n"
                       "billing:\n%s", billing);
    bo_book_options o;
    bo_assert_ok(bo_book_options_init(&o, BO_BOOK_OPTIONS_VERSION));
    o.sync = BO_SYNC_OFF;
    o.actor = "owner";
    bo_book *b = NULL;
    int rc = bo_book_create_from_yaml_string(&b, yaml, (size_t)len, uri, &o);
    free(uri);
    if (rc)
        ck_assert_ptr_null(b);
    return b;
}

START_TEST(yaml_section)
{
    bo_book *b = yaml_book("  settings: {receivable_account: \"1200\", write_off_limit: \"2.00\"}\n"
                           "  series: [{code: INV, prefix: \"26/\", next: 7}]\n"
                           "  rates: [{currency: EUR, date: 2026-01-01, rate: \"1.25\"}]\n");
    ck_assert_ptr_nonnull(b);
    int64_t base;
    bo_assert_ok(bo_billing_convert(b, 1000, "EUR", D("2026-02-01"), &base));
    ck_assert_int_eq(base, 1250);
    bo_cursor *c;
    bo_assert_ok(bo_billing_series(b, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 2), 7);
    bo_cursor_free(c);
    bo_book_free(b);
    /* Bad YAML: unknown keys, a bad account, a bad rate; each named. */
    ck_assert_ptr_null(yaml_book("  colour: red\n"));
    ck_assert_int_eq(bo_error_code_last(), BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:6:"));
    ck_assert_ptr_null(yaml_book("  settings: {write_off_account: \"9999\"}\n"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:6:"));
    ck_assert_ptr_null(yaml_book("  rates: [{currency: EUR, date: 2026-01-01, rate: \"x\"}]\n"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "<string>:6:"));
    ck_assert_ptr_null(yaml_book("  rates: [{currency: EUR, date: 2026-02-30, rate: \"1\"}]\n"));
    ck_assert_int_eq(bo_error_code_last(), BO_ECONFIG);
    ck_assert_ptr_null(yaml_book("  series: [{prefix: A}]\n"));
    ck_assert_int_eq(bo_error_code_last(), BO_ECONFIG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("billing");
    TCase *t = tcase_create("billing");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, invoice_exclusive_and_inclusive_tax);
    tcase_add_test(t, payment_across_three_invoices_with_write_off);
    tcase_add_test(t, over_payment_left_as_credit);
    tcase_add_test(t, foreign_invoice_realized_gain);
    tcase_add_test(t, foreign_invoice_at_a_given_rate);
    tcase_add_test(t, credit_note_applied_by_an_importer);
    tcase_add_test(t, month_end_revaluation_and_reversal);
    tcase_add_test(t, aging_as_of_past_date_is_stable);
    tcase_add_test(t, numbering_without_gaps);
    tcase_add_test(t, bad_forced_gap);
    tcase_add_test(t, bad_payment_in_closed_period);
    tcase_add_test(t, bad_currency_and_missing_rate);
    tcase_add_test(t, credit_note_and_reversal);
    tcase_add_test(t, builder_errors);
    tcase_add_test(t, permissions_denied);
    tcase_add_test(t, yaml_section);
    tcase_add_test(t, ledger_base_amounts);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
