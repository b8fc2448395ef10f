/* Bank reconciliation: a generated statement of a few hundred lines with
 * unmatched and duplicated lines ends with closing = reconciled balance;
 * camt.053; malformed files named by line; recurring documents; cash flow. */
#include "test_billing_fixture.h"

#include <stdio.h>
#include <stdlib.h>

static void setup(void)
{
    book = bo_test_book("billing_bank");
    billing_fixture();
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
}

static void money(char *out, size_t size, int64_t v)
{
    ck_assert_int_eq(bo_money_format(v, "USD", out, size), 0);
}

static int64_t statements_count(void)
{
    bo_cursor *c;
    bo_assert_ok(bo_billing_bank_statements(book, NULL, &c));
    return count_rows(c);
}

#define NPOST 250
#define NFEES 5
#define NDUPS 10

START_TEST(generated_statement_reconciles)
{
    char *csv = malloc(1 << 20);
    size_t len = 0;
    int64_t opening = 10000, running = opening;
    char a[32], bal[32];
    len += (size_t)sprintf(csv + len, "Date;Ref;Text;Amount;Balance\n");
    bo_assert_ok(bo_book_begin(book));
    for (int i = 0; i < NPOST; i++) {
        /* Money in and out, each amount unique; the bank books 0..2 days
         * after the ledger. */
        int64_t amount = (i % 3 == 0 ? -1 : 1) * (1000 + 7 * i);
        char date[11], bdate[11];
        snprintf(date, sizeof date, "2026-03-%02d", 1 + i % 25);
        snprintf(bdate, sizeof bdate, "2026-03-%02d", 1 + i % 25 + i % 3);
        if (amount > 0)
            bo_test_post2(book, date, "1100", "4000", amount);
        else
            bo_test_post2(book, date, "5000", "1100", -amount);
        running += amount;
        money(a, sizeof a, amount);
        money(bal, sizeof bal, running);
        len += (size_t)sprintf(csv + len, "%s;B%04d;\"Line; %d\";%s;%s\n", bdate, i, i, a, bal);
        if (i < NDUPS) /* the bank sent these twice */
            len += (size_t)sprintf(csv + len, "%s;B%04d;\"Line; %d\";%s;%s\n", bdate, i, i,
                                   a, bal);
    }
    /* A deposit of three receipts of one day: many-to-one. */
    bo_test_post2(book, "2026-03-27", "1100", "4000", 50011);
    bo_test_post2(book, "2026-03-27", "1100", "4000", 70013);
    bo_test_post2(book, "2026-03-27", "1100", "4000", 80017);
    running += 200041;
    money(bal, sizeof bal, running);
    len += (size_t)sprintf(csv + len, "2026-03-28;DEP1;deposit;2000.41;%s\n", bal);
    bo_assert_ok(bo_book_commit(book));
    /* A payment found by its reference though the bank booked it weeks later. */
    int64_t inv = invoice1(BO_INVOICE_SALES, "C1", "2026-03-02", NULL, "4000", 33333, NULL);
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2026-03-03"), .amount = 33333,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, "pay-ref-77"));
    bo_assert_ok(bo_payment_set_reference(p, "TRX-77"));
    bo_assert_ok(bo_payment_allocate(p, inv, 33333, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    running += 33333;
    money(bal, sizeof bal, running);
    len += (size_t)sprintf(csv + len, "2026-04-20;TRX-77;C1 invoice;333.33;%s\n", bal);
    /* Bank fees nobody booked: unmatched until entries are created. */
    for (int i = 0; i < NFEES; i++) {
        running -= 250;
        money(bal, sizeof bal, running);
        len += (size_t)sprintf(csv + len, "2026-03-31;FEE%d;fee;-2.50;%s\n", i, bal);
    }
    const char *mapping =
        "header: true\ndelimiter: \";\"\ndate: Date\nreference: Ref\nmemo: Text\n"
        "amount: Amount\nbalance: Balance\n";
    int64_t st;
    bo_assert_ok(bo_billing_bank_import(book, "1100", "csv", csv, mapping, &st));
    bo_cursor *c;
    bo_assert_ok(bo_billing_bank_statements(book, "1100", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 3), opening);
    ck_assert_int_eq(bo_cursor_int(c, 4), running); /* closing */
    ck_assert_int_eq(bo_cursor_int(c, 5), NPOST + 2 + NFEES);
    ck_assert_int_eq(bo_cursor_int(c, 6), NDUPS);
    bo_cursor_free(c);

    int64_t matched;
    bo_assert_ok(bo_billing_bank_match(book, st, 3, &matched));
    ck_assert_int_eq(matched, NPOST + 2);
    bo_assert_err(bo_billing_bank_close(book, st), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line"));
    /* Create the missing fee entries. */
    bo_assert_ok(bo_billing_bank_lines(book, st, &c));
    int64_t fee_lines[NFEES];
    int nf = 0;
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 6), "unmatched"))
            fee_lines[nf++] = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    ck_assert_int_eq(nf, NFEES);
    for (int i = 0; i < nf; i++)
        bo_assert_ok(bo_billing_bank_create(book, fee_lines[i], "6950", "bank fee", NULL));
    bo_assert_err(bo_billing_bank_create(book, fee_lines[0], "6950", NULL, NULL), BO_ESTATE);
    bo_assert_ok(bo_billing_bank_close(book, st));
    int64_t rec;
    bo_assert_ok(bo_billing_bank_reconciled(book, "1100", &rec));
    ck_assert_int_eq(rec, running);
    /* The ledger's bank balance has no opening: it differs by exactly that. */
    ck_assert_int_eq(balance("1100", "2026-12-31"), running - opening);
    ck_assert_int_eq(balance("6950", "2026-12-31"), 250 * NFEES);

    /* The same file again: every line a duplicate, nothing stored. */
    int64_t st2;
    bo_assert_ok(bo_billing_bank_import(book, "1100", "csv", csv, mapping, &st2));
    bo_assert_ok(bo_billing_bank_statements(book, "1100", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 5), 0);
    ck_assert_int_eq(bo_cursor_int(c, 6), NPOST + NDUPS + 2 + NFEES);
    bo_cursor_free(c);

    /* Cash flow of March: sales in, expenses and fees out (operating). */
    bo_assert_ok(bo_billing_cash_flow(book, D("2026-03-01"), D("2026-04-30"), &c));
    int64_t in = 0, out = 0;
    while (bo_cursor_next(c) == 0) {
        ck_assert_str_eq(bo_cursor_text(c, 0), "operating");
        in += bo_cursor_int(c, 2);
        out += bo_cursor_int(c, 3);
    }
    bo_cursor_free(c);
    ck_assert_int_eq(in - out, running - opening);
    free(csv);
}
END_TEST

START_TEST(malformed_csv_named_by_line)
{
    const char *csv =
        "date,amount,ref\n"
        "2026-03-01,10.00,A1\n"
        "2026-03-02,-5.00,A2\n"
        "2026-03-03,12.3x,A3\n";
    const char *mapping = "date: 1\namount: 2\nreference: 3\n";
    int64_t seq = audit_seq();
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", csv, mapping, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 4"));
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(statements_count(), 0);
    /* A quoted field left open, a bad date, a bad mapping. */
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv",
                                      "date,amount\n2026-03-01,\"10.00\n", "date: 1\namount: 2\n",
                                      NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 2"));
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", "d,a\n2026-13-01,1.00\n",
                                      "date: 1\namount: 2\n", NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 2"));
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", "d,a\n", "date: 1\ncolour: 2\n",
                                      NULL), BO_ECONFIG);
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", "d,a\n", "date: 1\n", NULL),
                  BO_ECONFIG);
    bo_assert_err(bo_billing_bank_import(book, "1100", "csv", "d,a\n", "date: [1\n", NULL),
                  BO_ECONFIG);
    bo_assert_err(bo_billing_bank_import(book, "1100", "qif", "x", NULL, NULL), BO_EINVAL);
    bo_assert_err(bo_billing_bank_import(book, "9999", "csv", "x", "date: 1\namount: 2\n",
                                      NULL), BO_ENOTFOUND);
    ck_assert_int_eq(statements_count(), 0);
    ck_assert_int_eq(audit_seq(), seq);
    /* European format: DD.MM.YYYY, decimal comma, debit and credit columns. */
    int64_t st;
    bo_assert_ok(bo_billing_bank_import(book, "1100", "csv",
                                     "Datum;Soll;Haben\n01.03.2026;;10,50\n02.03.2026;3,25;\n",
                                     "delimiter: \";\"\ndecimal: \",\"\ndate_format: DD.MM.YYYY\n"
                                     "date: 1\ndebit: 2\ncredit: 3\nopening: \"1.00\"\n", &st));
    bo_cursor *c;
    bo_assert_ok(bo_billing_bank_statements(book, "1100", &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 4), 100 + 1050 - 325);
    bo_cursor_free(c);
}
END_TEST

static const char CAMT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
    " <BkToCstmrStmt><Stmt>\n"
    "  <Acct><Id><IBAN>DE00123</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
    "  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>\n"
    "   <Amt Ccy=\"EUR\">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>\n"
    "  <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp>\n"
    "   <Amt Ccy=\"EUR\">145.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>\n"
    "  <Ntry>\n"
    "   <Amt Ccy=\"EUR\">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>\n"
    "   <BookgDt><Dt>2026-02-11</Dt></BookgDt>\n"
    "   <AcctSvcrRef>E-1</AcctSvcrRef>\n"
    "   <NtryDtls><TxDtls><RmtInf><Ustrd>Rechnung &amp; Dank</Ustrd></RmtInf></TxDtls></NtryDtls>\n"
    "  </Ntry>\n"
    "  <!-- a fee -->\n"
    "  <Ntry><Amt Ccy=\"EUR\">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd>\n"
    "   <BookgDt><Dt>2026-02-12</Dt></BookgDt><AcctSvcrRef>E-2</AcctSvcrRef></Ntry>\n"
    " </Stmt></BkToCstmrStmt>\n"
    "</Document>\n";

START_TEST(camt053_statement)
{
    bo_assert_ok(bo_billing_rate_set(book, "EUR", D("2026-01-01"), "1.10"));
    int64_t id = invoice1(BO_INVOICE_SALES, "C2", "2026-02-01", NULL, "4000", 10000, NULL);
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C2", .date = D("2026-02-10"), .amount = 10000,
            .currency = "EUR", .account = "1110" }));
    bo_assert_ok(bo_payment_set_key(p, "camt-1"));
    bo_assert_ok(bo_payment_allocate(p, id, 10000, 0));
    bo_assert_ok(bo_billing_payment_post(book, p, NULL));
    bo_payment_free(p);
    /* USD account: the statement's currency is refused. */
    bo_assert_err(bo_billing_bank_import(book, "1100", "camt053", CAMT, NULL, NULL),
                  BO_ECURRENCY);
    int64_t st, matched;
    bo_assert_ok(bo_billing_bank_import(book, "1110", "camt053", CAMT, NULL, &st));
    bo_assert_ok(bo_billing_bank_match(book, st, 2, &matched));
    ck_assert_int_eq(matched, 1);
    bo_cursor *c;
    bo_assert_ok(bo_billing_bank_lines(book, st, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 1), 9); /* the Ntry's line in the file */
    ck_assert_str_eq(bo_cursor_text(c, 5), "Rechnung & Dank");
    ck_assert_str_eq(bo_cursor_text(c, 6), "matched");
    ck_assert_int_eq(bo_cursor_next(c), 0);
    int64_t fee = bo_cursor_int(c, 0);
    ck_assert_int_eq(bo_cursor_int(c, 3), -500);
    bo_cursor_free(c);
    /* The fee is booked by hand, then accepted. */
    bo_entry *e;
    int64_t eid;
    bo_assert_ok(bo_entry_new(&e, D("2026-02-12"), "fee"));
    bo_assert_ok(bo_entry_add_base(e, "1110", -500, "EUR", -550, NULL));
    bo_assert_ok(bo_entry_add(e, "6950", 550, NULL, NULL));
    bo_assert_ok(bo_ledger_post(book, e, &eid));
    bo_entry_free(e);
    bo_assert_err(bo_billing_bank_accept(book, fee, id), BO_ENOTFOUND);
    bo_assert_ok(bo_billing_bank_accept(book, fee, eid));
    bo_assert_ok(bo_billing_bank_close(book, st));
    int64_t rec;
    bo_assert_ok(bo_billing_bank_reconciled(book, "1110", &rec));
    ck_assert_int_eq(rec, 14500);

    /* Malformed: a closing tag that does not match, named by line. */
    char bad[sizeof CAMT + 16];
    snprintf(bad, sizeof bad, "%s", CAMT);
    char *at = strstr(bad, "</AcctSvcrRef>");
    memcpy(at, "</AcctSvcrXef>", 14);
    int64_t seq = audit_seq();
    bo_assert_err(bo_billing_bank_import(book, "1110", "camt053", bad, NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "line 12"));
    bo_assert_err(bo_billing_bank_import(book, "1110", "camt053",
                                      "<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", NULL, NULL),
                  BO_EINVAL);
    ck_assert_int_eq(audit_seq(), seq);
}
END_TEST

START_TEST(recurring_documents)
{
    int64_t tmpl = invoice1(BO_INVOICE_SALES, "C1", "2026-01-31", NULL, "4000", 5000,
                            "standard");
    int64_t sched, created;
    bo_assert_ok(bo_billing_recurring_add(book, tmpl, 1, D("2026-02-28"), &sched));
    bo_assert_err(bo_billing_recurring_add(book, tmpl, 0, D("2026-02-28"), NULL), BO_EINVAL);
    bo_assert_err(bo_billing_recurring_add(book, 9999, 1, D("2026-02-28"), NULL), BO_ENOTFOUND);
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-04-30"), &created));
    ck_assert_int_eq(created, 3); /* Feb 28, Mar 28, Apr 28 */
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-04-30"), &created));
    ck_assert_int_eq(created, 0);
    ck_assert_int_eq(balance("1200", "2026-04-30"), 4 * 6000);
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoices(book, "C1", &c));
    ck_assert_int_eq(count_rows(c), 4);
}
END_TEST

/* The dates of party's documents but skip, in the order listed, joined
 * by spaces. */
static void dates_of(const char *party, int64_t skip, char *out, size_t size)
{
    bo_cursor *c;
    bo_assert_ok(bo_billing_invoices(book, party, &c));
    int id = bo_cursor_column_index(c, "id"), date = bo_cursor_column_index(c, "date");
    ck_assert_int_ge(id, 0);
    ck_assert_int_ge(date, 0);
    size_t used = 0;
    out[0] = '\0';
    while (bo_cursor_next(c) == 0) {
        if (bo_cursor_int(c, id) == skip)
            continue;
        int w = snprintf(out + used, size - used, "%s%s", used ? " " : "",
                         bo_cursor_text(c, date));
        ck_assert(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
    bo_cursor_free(c);
}

/* A schedule counts its dates from its start: from January 31 every month
 * it runs on each month's last day when the month is shorter (Feb 28) and
 * on the 31st again when it is not (Mar 31), never drifting to the 28th;
 * a run in two steps gives the same dates, and a rerun makes nothing. */
START_TEST(recurring_counts_from_the_start)
{
    int64_t tmpl = invoice1(BO_INVOICE_SALES, "C1", "2025-01-31", NULL, "4000", 5000,
                            "standard");
    int64_t sched, created;
    bo_assert_ok(bo_billing_recurring_add(book, tmpl, 1, D("2025-01-31"), &sched));
    bo_assert_ok(bo_billing_recurring_run(book, D("2025-03-30"), &created));
    ck_assert_int_eq(created, 2); /* Jan 31, Feb 28 */
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-02-28"), &created));
    ck_assert_int_eq(created, 12);
    char got[1024];
    dates_of("C1", tmpl, got, sizeof got);
    ck_assert_str_eq(got, "2025-01-31 2025-02-28 2025-03-31 2025-04-30 2025-05-31 2025-06-30"
                     " 2025-07-31 2025-08-31 2025-09-30 2025-10-31 2025-11-30 2025-12-31"
                     " 2026-01-31 2026-02-28");
    int64_t seq = audit_seq();
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-02-28"), &created));
    ck_assert_int_eq(created, 0);
    ck_assert_int_eq(audit_seq(), seq);
    ck_assert_int_eq(balance("1200", "2026-02-28"), 15 * 6000);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

/* From February 29 every twelve months: February 28 in common years, the
 * 29th again in the next leap year. */
START_TEST(recurring_yearly_from_leap_day)
{
    int64_t tmpl = invoice1(BO_INVOICE_SALES, "C1", "2024-02-29", NULL, "4000", 5000,
                            "standard");
    int64_t created;
    bo_assert_ok(bo_billing_recurring_add(book, tmpl, 12, D("2024-02-29"), NULL));
    bo_assert_ok(bo_billing_recurring_run(book, D("2028-03-01"), &created));
    ck_assert_int_eq(created, 5);
    char got[256];
    dates_of("C1", tmpl, got, sizeof got);
    ck_assert_str_eq(got, "2024-02-29 2025-02-28 2026-02-28 2027-02-28 2028-02-29");
    bo_assert_ok(bo_billing_recurring_run(book, D("2028-03-01"), &created));
    ck_assert_int_eq(created, 0);
}
END_TEST

/* The full verification finds a schedule whose next date was set before
 * its start outside the library, beside the state that no longer matches:
 * a finding of its own, naming the schedule and both columns. An intact
 * schedule run to its next date gives none. */
START_TEST(recurring_next_before_start_found)
{
    char *path = bo_test_path("billing_bank_tamper");
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = BO_SYNC_OFF;
    bo_book_free(book);
    book = NULL;
    bo_assert_ok(bo_book_open(&book, path, &opts));
    billing_fixture();
    int64_t tmpl = invoice1(BO_INVOICE_SALES, "C1", "2026-01-31", NULL, "4000", 5000,
                            "standard");
    int64_t sched, other, created;
    bo_assert_ok(bo_billing_recurring_add(book, tmpl, 1, D("2026-01-31"), &sched));
    bo_assert_ok(bo_billing_recurring_add(book, tmpl, 3, D("2026-03-15"), &other));
    bo_assert_ok(bo_billing_recurring_run(book, D("2026-03-01"), &created));
    ck_assert_int_eq(created, 2);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
    bo_book_free(book);
    book = NULL;

    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE bill_recurring SET next_date = '2025-12-31'"
             " WHERE id = %lld", (long long)sched);
    bo_test_raw_sql(path, sql);
    opts.create = 0;
    bo_assert_ok(bo_book_open(&book, path, &opts));
    int64_t bad = 0;
    bo_assert_err(bo_audit_verify_full(book, NULL, &bad), BO_ECORRUPT);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_audit_verify_list(book, NULL, &c));
    char want[64];
    snprintf(want, sizeof want, "recurring %lld", (long long)sched);
    int found = 0, n = 0;
    while (bo_cursor_next(c) == 0) {
        n++;
        ck_assert_str_eq(bo_cursor_text(c, 1), "bill_recurring");
        ck_assert_str_eq(bo_cursor_text(c, 2), want);
        if (!strcmp(bo_cursor_text(c, 3), "next_date is before start_date (altered)"))
            found++;
    }
    bo_cursor_free(c);
    ck_assert_int_eq(found, 1);
    ck_assert_int_eq(n, 2); /* the state that differs, and this */
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("billing_bank");
    TCase *t = tcase_create("bank");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 300);
    tcase_add_test(t, generated_statement_reconciles);
    tcase_add_test(t, malformed_csv_named_by_line);
    tcase_add_test(t, camt053_statement);
    tcase_add_test(t, recurring_documents);
    tcase_add_test(t, recurring_counts_from_the_start);
    tcase_add_test(t, recurring_yearly_from_leap_day);
    suite_add_tcase(s, t);
    TCase *raw = tcase_create("tamper");
    tcase_add_checked_fixture(raw, setup, teardown);
    tcase_set_tags(raw, BO_TEST_TAG_REOPEN); /* raw SQL on the store */
    tcase_set_timeout(raw, 300);
    tcase_add_test(raw, recurring_next_before_start_found);
    suite_add_tcase(s, raw);
    return bo_test_run(s);
}
