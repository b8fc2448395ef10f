/*
 * The demo's billing chapter, in March: an online order invoiced with
 * sales tax, paid in two parts, the bank's statement file imported and
 * reconciled (with a fee nobody booked); a euro customer paid at a better
 * rate (a realized gain) and a month-end revaluation reversed on 1 April.
 * Every figure is checked; a disagreement makes the chapter fail.
 */
#include "demo_parts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int fails;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "billing: %s: %s\n", what, bo_error_message());
        fails++;
    }
    return rc;
}

static void expect(const char *what, int64_t got, int64_t want)
{
    if (got != want) {
        fprintf(stderr, "billing: %s is %" PRId64 ", expected %" PRId64 "\n", what, got, want);
        fails++;
    }
}

static bo_date day(int m, int d)
{
    bo_date x = 0;
    bo_date_from_ymd(2026, m, d, &x);
    return x;
}

static int64_t bal(bo_book *b, const char *account, bo_date d)
{
    int64_t v = 0;
    ok(bo_ledger_balance(b, account, d, NULL, &v), account);
    return v;
}

static void show(const char *label, int64_t minor, const char *cur)
{
    char num[32];
    bo_money_format(minor, cur, num, sizeof num);
    printf("  %-46s %12s %s\n", label, num, cur);
}

static int64_t pay(bo_book *b, const char *party, bo_date d, int64_t amount,
                   const char *cur, const char *account, const char *key,
                   const char *ref, int64_t invoice)
{
    bo_payment *p = NULL;
    int64_t id = 0;
    if (!ok(bo_payment_new(&p, &(bo_payment_options){ .version = BO_PAYMENT_OPTIONS_VERSION,
            .kind = BO_PAYMENT_RECEIVED, .party = party, .date = d,
            .amount = amount, .currency = cur, .account = account }), "payment") &&
        !ok(bo_payment_set_key(p, key), "key") &&
        !ok(bo_payment_set_reference(p, ref), "reference") &&
        !ok(bo_payment_allocate(p, invoice, amount, 0), "allocate"))
        ok(bo_billing_payment_post(b, p, &id), "post payment");
    bo_payment_free(p);
    return id;
}

static int64_t invoice(bo_book *b, const char *party, bo_date d, const char *cur,
                       int64_t price, int with_mugs)
{
    bo_invoice *v = NULL;
    int64_t id = 0;
    if (ok(bo_invoice_new(&v, BO_INVOICE_SALES, party, d, cur), "invoice"))
        return 0;
    if (with_mugs) {
        ok(bo_invoice_line(v, &(bo_invoice_line_options){
                .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4020",
                .description = "Shop mug", .quantity = 2 * BO_BILLING_QTY_SCALE,
                .unit_price = 1250, .tax_category = "billing-online" }), "line");
        ok(bo_invoice_line(v, &(bo_invoice_line_options){
                .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4020",
                .description = "Shipping", .quantity = BO_BILLING_QTY_SCALE,
                .unit_price = 500 }), "line");
    } else {
        ok(bo_invoice_line(v, &(bo_invoice_line_options){
                .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4020",
                .description = "Coffee subscription",
                .quantity = BO_BILLING_QTY_SCALE, .unit_price = price }), "line");
    }
    if (!ok(bo_billing_invoice_save(b, v, &id), "save invoice"))
        ok(bo_billing_invoice_post(b, id, d, NULL), "post invoice");
    bo_invoice_free(v);
    return id;
}

/* The movement of the tax accounts (those the tax rates name) from..to. */
static int64_t tax_accounts_moved(bo_book *b, bo_date from, bo_date to)
{
    bo_cursor *c = NULL;
    char seen[8][BO_CODE_MAX + 1];
    int n = 0;
    int64_t moved = 0;
    if (ok(bo_tax_rates(b, &c), "tax rates"))
        return 0;
    while (bo_cursor_next(c) == 0)
        for (int k = 3; k <= 4; k++) {
            const char *a = bo_cursor_text(c, k);
            int dup = 0;
            for (int i = 0; i < n; i++)
                dup |= !strcmp(seen[i], a);
            if (dup || n == 8)
                continue;
            snprintf(seen[n++], sizeof seen[0], "%s", a);
            moved += bal(b, a, to) - bal(b, a, from - 1);
        }
    bo_cursor_free(c);
    return moved;
}

/* Each month's tax report, till sales (February) and invoices (March)
 * alike, adds up to the movement of the tax accounts in that month. */
static void tax_by_month(bo_book *b)
{
    static const int last[] = { 31, 28, 31 };
    printf("  tax report (book currency)           sales tax   purchase tax   other"
           "   tax accounts\n");
    for (int m = 1; m <= 3; m++) {
        bo_cursor *c = NULL;
        int64_t sales = 0, purchases = 0, other = 0;
        bo_date from = day(m, 1), to = day(m, last[m - 1]);
        if (ok(bo_billing_tax_report(b, from, to, &c), "tax report"))
            continue;
        while (bo_cursor_next(c) == 0) {
            sales += bo_cursor_int(c, bo_cursor_column_index(c, "sales_tax_book"));
            purchases += bo_cursor_int(c, bo_cursor_column_index(c, "purchase_tax_book"));
            other += bo_cursor_int(c, bo_cursor_column_index(c, "other_book"));
        }
        bo_cursor_free(c);
        int64_t moved = tax_accounts_moved(b, from, to);
        char s[32], p[32], o[32], t[32];
        bo_money_format(sales, "USD", s, sizeof s);
        bo_money_format(purchases, "USD", p, sizeof p);
        bo_money_format(other, "USD", o, sizeof o);
        bo_money_format(-moved, "USD", t, sizeof t);
        printf("  2026-%02d %35s %14s %7s %14s\n", m, s, p, o, t);
        expect("tax report = movement of the tax accounts", purchases - sales + other, moved);
        if (m == 2 && sales == 0)
            expect("tax on February's till sales", sales, -1);
    }
}

/* The online order's shipping label: ZPL for the packing table's printer,
 * and a PDF when the library was built with the renderer. */
static void order_label(demo_ctx *ctx)
{
    bo_label *l = NULL;
    if (ok(bo_label_new(&l, BO_LABEL_4X6, 203), "label"))
        return;
    int sscc_digit = 0;
    char sscc[19] = "00614141100000001";
    ok(bo_label_sscc_check_digit(sscc, &sscc_digit), "sscc check digit");
    sscc[17] = (char)('0' + sscc_digit);
    sscc[18] = '\0';
    static const char *const fields[][2] = {
        { "tracking", "1Z999AA10123456784" }, { "order", "WEB-1001" },
        { "carrier", "UPS" }, { "service", "Ground" },
        { "sender_name", "Corner Shop" }, { "sender_phone", "+1 555 0100" },
        { "sender_address", "1 Market Street\nSpringfield 12345" },
        { "recipient_name", "Web Customer" }, { "recipient_phone", "+1 555 0199" },
        { "recipient_address", "42 Elm Road\nShelbyville 54321" },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        ok(bo_label_set(l, fields[i][0], fields[i][1]), fields[i][0]);
    ok(bo_label_set(l, "sscc", sscc), "sscc");
    ok(bo_label_set_weight(l, 900), "weight");
    char path[512];
    snprintf(path, sizeof path, "%s/label-WEB-1001.zpl", ctx->dir);
    if (!ok(bo_label_write(l, BO_LABEL_ZPL, path), "label (ZPL)"))
        printf("  shipping label for WEB-1001: %s\n", path);
    if (bo_label_renderer()) {
        snprintf(path, sizeof path, "%s/label-WEB-1001.pdf", ctx->dir);
        if (!ok(bo_label_write(l, BO_LABEL_PDF, path), "label (PDF)"))
            printf("  shipping label for WEB-1001: %s\n", path);
    }
    bo_label_free(l);
}

int demo_billing(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    fails = 0;
    printf("\n== Billing: an online order, the bank, a euro customer (March) ==\n");
    /* The tax category "billing-online" (8 %) and the customers WEB-1001 and
     * EU-7 (in euros, receivable 1110) come from shop.yaml's taxes and
     * parties sections. */
    int64_t net, tax;
    ok(bo_tax_compute(b, "billing-online", 10000, 0, &net, &tax), "tax category");
    if (tax != 800) {
        fprintf(stderr, "demo billing: 8%% of 100.00 is %lld, expected 800\n", (long long)tax);
        fails++;
    }
    if (fails)
        return 1;

    /* 2 mugs at 12.50 with 8 % tax (2.00) and 5.00 shipping: 32.00. */
    int64_t inv = invoice(b, "WEB-1001", day(3, 2), NULL, 0, 1);
    bo_cursor *c = NULL;
    if (!ok(bo_billing_invoice_get(b, inv, &c), "invoice") && bo_cursor_next(c) == 0) {
        printf("  invoice %s to WEB-1001\n", bo_cursor_text(c, 5));
        expect("invoice total", bo_cursor_int(c, 12), 3200);
        expect("invoice tax", bo_cursor_int(c, 11), 200);
    }
    bo_cursor_free(c);
    order_label(ctx);
    if (ctx->ninvoices < 8)
        ctx->invoices[ctx->ninvoices++] = inv;
    int64_t opening = bal(b, "1020", day(3, 1));
    pay(b, "WEB-1001", day(3, 5), 2000, NULL, "1020", "web-1001-pay-1", "WEB1001A", inv);
    int64_t open = -1;
    ok(bo_billing_invoice_open(b, inv, day(3, 10), &open), "open");
    expect("open after the first part", open, 1200);
    show("still due on 10 March", open, "USD");
    pay(b, "WEB-1001", day(3, 12), 1200, NULL, "1020", "web-1001-pay-2", "WEB1001B", inv);
    ok(bo_billing_invoice_open(b, inv, day(3, 12), &open), "open");
    expect("open after the second part", open, 0);
    /* Aging as of 10 March still shows the 12.00, whatever came later. */
    if (!ok(bo_billing_aging(b, BO_BILLING_RECEIVABLE, day(3, 10), &c), "aging")) {
        int64_t total = 0;
        while (bo_cursor_next(c) == 0)
            if (!strcmp(bo_cursor_text(c, 0), "WEB-1001"))
                total = bo_cursor_int(c, 7);
        expect("aging of WEB-1001 as of 10 March", total, 1200);
    }
    bo_cursor_free(c);

    /* The bank's file: both parts and a fee, with a running balance. */
    char path[512], line[160];
    snprintf(path, sizeof path, "%s/bank-2026-03.csv", ctx->dir);
    int64_t amounts[3] = { 2000, 1200, -35 }, run = opening;
    const char *dates[3] = { "2026-03-05", "2026-03-12", "2026-03-13" };
    const char *refs[3] = { "WEB1001A", "WEB1001B", "FEE-03" };
    char csv[1024] = "Date,Reference,Text,Amount,Balance\n";
    for (int i = 0; i < 3; i++) {
        char a[32], r[32];
        run += amounts[i];
        bo_money_format(amounts[i], "USD", a, sizeof a);
        bo_money_format(run, "USD", r, sizeof r);
        snprintf(line, sizeof line, "%s,%s,\"%s\",%s,%s\n", dates[i], refs[i],
                 i == 2 ? "Account fee" : "Card payout", a, r);
        strncat(csv, line, sizeof csv - strlen(csv) - 1);
    }
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(csv, f);
        fclose(f);
    }
    int64_t st = 0, matched = 0, rec = 0;
    ok(bo_billing_bank_import(b, "1020", "csv", csv,
                           "date: Date\nreference: Reference\nmemo: Text\namount: Amount\n"
                           "balance: Balance\n", &st), "bank import");
    ok(bo_billing_bank_match(b, st, 2, &matched), "bank match");
    expect("bank lines matched", matched, 2);
    if (!ok(bo_billing_bank_lines(b, st, &c), "bank lines")) {
        while (bo_cursor_next(c) == 0)
            if (!strcmp(bo_cursor_text(c, 6), "unmatched"))
                ok(bo_billing_bank_create(b, bo_cursor_int(c, 0), "6600", "Bank fee", NULL),
                   "bank fee entry");
    }
    bo_cursor_free(c);
    ok(bo_billing_bank_close(b, st), "close statement");
    ok(bo_billing_bank_reconciled(b, "1020", &rec), "reconciled");
    expect("reconciled balance = statement closing", rec, run);
    printf("  bank statement %s: 3 lines, 2 matched, fee booked\n", path);
    show("statement closing = reconciled balance", rec, "USD");

    /* Euro: 100.00 EUR invoiced at 1.0850 (108.50), paid at 1.10 (110.00). */
    int64_t eu = invoice(b, "EU-7", day(3, 3), "EUR", 10000, 0);
    ok(bo_billing_rate_set(b, "EUR", day(3, 20), "1.10"), "rate");
    pay(b, "EU-7", day(3, 20), 10000, "EUR", "1040", "eu-7-pay-1", "EU7-1", eu);
    expect("realized exchange gain", -bal(b, "4800", day(3, 31)), 150);
    show("realized exchange gain (4800)", -bal(b, "4800", day(3, 31)), "USD");
    /* 50.00 EUR open at 1.10 (55.00); 1.12 at month end (56.00). */
    invoice(b, "EU-7", day(3, 25), "EUR", 5000, 0);
    ok(bo_billing_rate_set(b, "EUR", day(3, 31), "1.12"), "rate");
    int64_t reval = 0;
    ok(bo_billing_revalue(b, day(3, 31), &reval), "revalue");
    expect("revaluation at 31 March", bal(b, "1190", day(3, 31)), 100);
    expect("revaluation reversed on 1 April", bal(b, "1190", day(4, 1)), 0);
    show("unrealized gain at 31 March (reversed 1 April)", bal(b, "1190", day(3, 31)), "USD");
    tax_by_month(b);
    if (fails)
        fprintf(stderr, "billing: %d figure(s) disagree\n", fails);
    return fails ? 1 : 0;
}
