/*
 * Idempotency keys in every domain (issue 12, item 6), on every backend.
 *
 * Each keyed command runs through one table entry: how to call it with a
 * key (or none) and with one of two contents. For every command a terminal
 * retries:
 *   trust_keys_required_<command>  no key: BO_EINVAL naming "key", nothing
 *                                  recorded (audit head, ledger, stock);
 *   trust_keys_replay_<command>    the same key three times: one record,
 *                                  the same id each time;
 *   trust_keys_reuse_<command>     the same key with other content:
 *                                  BO_EKEYREUSE with the one message
 *                                  'key: "K" was used for a different KIND
 *                                  (id N)', nothing recorded.
 * Commands whose key is optional get the replay and reuse tests. The
 * reused contents differ in a field the 0.2 comparisons did not look at
 * (a receipt's cost, an issue's reason, a hold's expiry...).
 */
#include "testutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bo_book *book;
static int64_t sale_id;  /* a sale of 3 A at S1: returns and shipments */
static int64_t po_id;    /* a purchase order with one line of 50 A for WH */
static int64_t count_a, count_b; /* two open counts with a counted line */

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static void load_pack(const char *name)
{
    char path[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(path, sizeof path, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    bo_assert_ok(bo_payroll_pack_load(book, buf, len, name));
}

/* ---- what "nothing changed" means ------------------------------------------ */

typedef struct state {
    int64_t audit_seq, debits, moves, stock_s1, stock_wh;
} state;

/* The audit head (every write appends to it), the ledger's total debits,
 * the number of stock movements and two stock figures. No audited read. */
static state snapshot(void)
{
    state s = { 0, 0, 0, 0, 0 };
    char hex[BO_HASH_HEX_SIZE];
    bo_assert_ok(bo_audit_head(book, &s.audit_seq, hex, sizeof hex));
    bo_cursor *c;
    int rc;
    bo_assert_ok(bo_ledger_trial_balance(book, BO_DATE_MAX, &c));
    while ((rc = bo_cursor_next(c)) == 0)
        s.debits += bo_cursor_int(c, 4);
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_inventory_history(book, NULL, NULL, BO_DATE_MIN, BO_DATE_MAX, &c));
    while ((rc = bo_cursor_next(c)) == 0)
        s.moves++;
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_inventory_stock(book, "A", "S1", &s.stock_s1));
    bo_assert_ok(bo_inventory_stock(book, "A", "WH", &s.stock_wh));
    return s;
}

static void assert_same(state a, state b, const char *what)
{
    ck_assert_msg(a.audit_seq == b.audit_seq, "%s: the audit log grew from %" PRId64
                  " to %" PRId64, what, a.audit_seq, b.audit_seq);
    ck_assert_msg(a.debits == b.debits, "%s: the ledger changed", what);
    ck_assert_msg(a.moves == b.moves, "%s: stock movements changed", what);
    ck_assert_msg(a.stock_s1 == b.stock_s1 && a.stock_wh == b.stock_wh,
                  "%s: stock changed", what);
}

/* ---- the commands ------------------------------------------------------------ */

/* Run a command under key (NULL: none) with content 0 or 1; *id receives
 * what it answers (0 when it answers no id). */
typedef int (*command_fn)(const char *key, int content, int64_t *id);

static int cmd_sale(const char *key, int content, int64_t *id)
{
    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, D("2025-03-02"), "till 1"));
    if (key)
        bo_assert_ok(bo_sale_set_key(s, key));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 1, content ? 600 : 500, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 1000));
    int rc = bo_inventory_sale_post(book, s, id);
    bo_sale_free(s);
    return rc;
}

static int cmd_receive(const char *key, int content, int64_t *id)
{
    return bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 5,
            .cost = content ? 700 : 500, .date = D("2025-03-03"), .reference = "delivery 9",
            .key = key }, id);
}

static int cmd_issue(const char *key, int content, int64_t *id)
{
    return bo_inventory_issue(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1", .qty = 1,
            .date = D("2025-03-03"), .reason = content ? "sample" : "damaged", .key = key }, id);
}

static int cmd_transfer(const char *key, int content, int64_t *id)
{
    return bo_inventory_transfer(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "WH",
            .to = "S1", .qty = 2, .date = D(content ? "2025-03-04" : "2025-03-03"),
            .reference = "T-1", .key = key }, id);
}

static int cmd_adjust(const char *key, int content, int64_t *id)
{
    return bo_inventory_adjust(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = -1, .cost = -1, .date = D("2025-03-03"),
            .reason = content ? "broken" : "lost", .key = key }, id);
}

static int cmd_return(const char *key, int content, int64_t *id)
{
    return bo_inventory_return(book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale_id,
            .line = 1, .qty = 1, .date = D("2025-03-04"),
            .method = content ? "card" : "cash", .key = key }, id);
}

static int cmd_po_receive(const char *key, int content, int64_t *id)
{
    return bo_inventory_po_receive(book, po_id, 1, 2, D(content ? "2025-03-06" : "2025-03-05"),
                             key, id);
}

static int cmd_shipment(const char *key, int content, int64_t *id)
{
    bo_inventory_shipment_options o;
    bo_assert_ok(bo_inventory_shipment_options_init(&o, BO_INVENTORY_SHIPMENT_OPTIONS_VERSION));
    ck_assert_ptr_null(o.key);
    o.key = key;
    return bo_inventory_shipment_add(book, sale_id, content ? "UPS" : "DHL", "express", "JD1",
                                  &o, id);
}

static int cmd_count_start(const char *key, int content, int64_t *id)
{
    bo_inventory_count_options o;
    bo_assert_ok(bo_inventory_count_options_init(&o, BO_INVENTORY_COUNT_OPTIONS_VERSION));
    o.key = key;
    return bo_inventory_count_start(book, content ? "WH" : "S1", D("2025-03-07"), &o, id);
}

static int cmd_count_post(const char *key, int content, int64_t *id)
{
    bo_inventory_count_options o = BO_INVENTORY_COUNT_OPTIONS_INIT;
    o.key = key;
    *id = content ? count_b : count_a;
    return bo_inventory_count_post(book, *id, &o);
}

static int cmd_clock(const char *key, int content, int64_t *id)
{
    bo_payroll_time_options o;
    bo_assert_ok(bo_payroll_time_options_init(&o, BO_PAYROLL_TIME_OPTIONS_VERSION));
    o.key = key;
    return bo_payroll_clock(book, "E1", D("2024-01-05"), content ? "09:00" : "08:00", "16:00",
                           &o, id);
}

static int cmd_hours(const char *key, int content, int64_t *id)
{
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = key;
    return bo_payroll_hours_add(book, "E1", D("2024-01-08"), "regular", content ? 90 : 60,
                               &o, id);
}

static int cmd_pay_run(const char *key, int content, int64_t *id)
{
    return bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = key, .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2024-01-01"),
            .period_end = D("2024-01-31"), .pay_date = D(content ? "2024-02-01" : "2024-01-31") }, id);
}

static int cmd_payment(const char *key, int content, int64_t *id)
{
    bo_payment *p;
    bo_assert_ok(bo_payment_new(&p, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "C1", .date = D("2025-03-08"), .amount = content ? 2000 : 1000,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(p, key));
    int rc = bo_billing_payment_post(book, p, id);
    bo_payment_free(p);
    return rc;
}

/* Commands whose key is optional. */

static int cmd_entry(const char *key, int content, int64_t *id)
{
    bo_entry *e;
    bo_assert_ok(bo_entry_new(&e, D("2025-03-09"), "owner's money"));
    if (key)
        bo_assert_ok(bo_entry_set_key(e, key));
    bo_assert_ok(bo_entry_add(e, "1000", content ? 300 : 200, NULL, NULL));
    bo_assert_ok(bo_entry_add(e, "3000", content ? -300 : -200, NULL, NULL));
    int rc = bo_ledger_post(book, e, id);
    bo_entry_free(e);
    return rc;
}

static int cmd_invoice(const char *key, int content, int64_t *id)
{
    bo_invoice *v;
    bo_assert_ok(bo_invoice_new(&v, BO_INVOICE_SALES, "C1", D("2025-03-09"), NULL));
    bo_assert_ok(bo_invoice_set_key(v, key));
    bo_assert_ok(bo_invoice_line(v, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "goods", .quantity = 1000,
            .unit_price = content ? 1500 : 1000 }));
    int rc = bo_billing_invoice_save(book, v, id);
    bo_invoice_free(v);
    return rc;
}

static int cmd_hold(const char *key, int content, int64_t *id)
{
    return bo_inventory_hold(book, "A", "S1", 2, content ? "1200" : "900", key, id);
}

static int cmd_landed_cost(const char *key, int content, int64_t *id)
{
    return bo_inventory_landed_cost(book, po_id, 100, content ? "3000" : "2000", D("2025-03-06"),
                              key, id);
}

static int cmd_document(const char *key, int content, int64_t *id)
{
    bo_document *d;
    bo_assert_ok(bo_document_new(&d, "receipt", content ? "Taxi" : "Train", D("2025-03-09")));
    bo_assert_ok(bo_document_set_key(d, key));
    int rc = bo_document_create(book, d, id);
    bo_document_free(d);
    return rc;
}

static int cmd_leave(const char *key, int content, int64_t *id)
{
    bo_payroll_time_options o = BO_PAYROLL_TIME_OPTIONS_INIT;
    o.key = key;
    return bo_payroll_leave_add(book, "E1", D("2024-01-15"), D("2024-01-16"),
                               content ? "unpaid" : "paid", &o, id);
}

/* ---- the three checks -------------------------------------------------------- */

static void check_required(command_fn run, const char *what)
{
    state before = snapshot();
    int64_t id = -1;
    bo_assert_err(run(NULL, 0, &id), BO_EINVAL);
    char want[128];
    snprintf(want, sizeof want, "key: %s needs an idempotency key", what);
    ck_assert_msg(strcmp(bo_error_message(), want) == 0, "message \"%s\", expected \"%s\"",
                  bo_error_message(), want);
    assert_same(before, snapshot(), "refused without a key");
}

static void check_replay(command_fn run, const char *key)
{
    int64_t first = 0, again = 0;
    bo_assert_ok(run(key, 0, &first));
    state after_first = snapshot();
    for (int i = 0; i < 2; i++) {
        again = -1;
        bo_assert_ok(run(key, 0, &again));
        ck_assert_msg(again == first, "replay %d answered %" PRId64 ", the first call %"
                      PRId64, i + 1, again, first);
    }
    assert_same(after_first, snapshot(), "replayed");
}

static void check_reuse(command_fn run, const char *key, const char *kind)
{
    int64_t first = 0, other = 0;
    bo_assert_ok(run(key, 0, &first));
    state before = snapshot();
    bo_assert_err(run(key, 1, &other), BO_EKEYREUSE);
    char want[256];
    snprintf(want, sizeof want, "key: \"%s\" was used for a different %s (id %" PRId64 ")",
             key, kind, first);
    ck_assert_msg(strcmp(bo_error_message(), want) == 0, "message \"%s\", expected \"%s\"",
                  bo_error_message(), want);
    assert_same(before, snapshot(), "refused reuse");
}

#define REQUIRED(name, what)                                                  \
    START_TEST(trust_keys_required_##name) { check_required(cmd_##name, what); } \
    END_TEST
#define REPLAY_REUSE(name, kind)                                              \
    START_TEST(trust_keys_replay_##name) { check_replay(cmd_##name, "k/" #name); } \
    END_TEST                                                                  \
    START_TEST(trust_keys_reuse_##name) { check_reuse(cmd_##name, "k/" #name, kind); } \
    END_TEST

REQUIRED(sale, "a sale")
REQUIRED(receive, "a receipt")
REQUIRED(issue, "an issue")
REQUIRED(transfer, "a transfer")
REQUIRED(adjust, "an adjustment")
REQUIRED(return, "a return")
REQUIRED(po_receive, "a receipt")
REQUIRED(shipment, "a shipment")
REQUIRED(count_start, "a stock count")
REQUIRED(count_post, "a count posting")
REQUIRED(clock, "a clock event")
REQUIRED(hours, "a timesheet entry")
REQUIRED(pay_run, "a pay run")
REQUIRED(payment, "a payment")

REPLAY_REUSE(sale, "sale")
REPLAY_REUSE(receive, "movement")
REPLAY_REUSE(issue, "movement")
REPLAY_REUSE(transfer, "transfer")
REPLAY_REUSE(adjust, "movement")
REPLAY_REUSE(return, "return")
REPLAY_REUSE(po_receive, "movement")
REPLAY_REUSE(shipment, "shipment")
REPLAY_REUSE(count_start, "stock count")
REPLAY_REUSE(count_post, "count posting")
REPLAY_REUSE(clock, "time record")
REPLAY_REUSE(hours, "time record")
REPLAY_REUSE(pay_run, "pay run")
REPLAY_REUSE(payment, "payment")
REPLAY_REUSE(entry, "entry")
REPLAY_REUSE(invoice, "billing document")
REPLAY_REUSE(hold, "hold")
REPLAY_REUSE(landed_cost, "landed cost")
REPLAY_REUSE(document, "document")
REPLAY_REUSE(leave, "time record")

/* The doubled sale of 0.2: a terminal retried a sale sent without a key
 * and the shop sold twice. Both attempts are refused now, and nothing is
 * recorded. */
START_TEST(trust_keys_sale_retry_without_key)
{
    state before = snapshot();
    for (int attempt = 0; attempt < 2; attempt++) {
        int64_t id = 0;
        bo_assert_err(cmd_sale(NULL, 0, &id), BO_EINVAL);
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "key:"));
    }
    assert_same(before, snapshot(), "a sale without a key");
}
END_TEST

/* The positional calls that cannot carry a key refuse, naming the call that
 * can; the options' version is checked. */
START_TEST(trust_keys_positional_calls_refuse)
{
    state before = snapshot();
    int64_t id = 0;
    assert_same(before, snapshot(), "positional calls");

    bo_inventory_shipment_options so;
    bo_assert_err(bo_inventory_shipment_options_init(&so, 2), BO_EINVAL);
    bo_inventory_count_options co;
    bo_assert_err(bo_inventory_count_options_init(&co, 0), BO_EINVAL);
    bo_payroll_time_options to;
    bo_assert_err(bo_payroll_time_options_init(&to, 7), BO_EINVAL);
    to.version = 99;
    to.key = "k";
    bo_assert_err(bo_payroll_clock(book, "E1", D("2024-01-05"), "08:00", "16:00", &to, &id),
                  BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 99"));
    /* NULL options: the defaults, so no key. */
    bo_assert_err(bo_inventory_count_post(book, count_a, NULL), BO_EINVAL);
    assert_same(before, snapshot(), "bad options");
}
END_TEST

/* Issue 14, item 4: a call with many inputs takes one versioned options
 * struct; a NULL or unknown version, or a member the call does not read,
 * is refused naming it, and changes nothing. */
START_TEST(args_options_structs_refuse)
{
    state before = snapshot();
    int64_t id = 0;
    bo_inventory_move_options m;
    bo_assert_err(bo_inventory_move_options_init(&m, 2), BO_EINVAL);
    bo_assert_ok(bo_inventory_move_options_init(&m, BO_INVENTORY_MOVE_OPTIONS_VERSION));
    ck_assert_uint_eq(m.version, BO_INVENTORY_MOVE_OPTIONS_VERSION);
    ck_assert_ptr_null(m.sku);
    ck_assert_ptr_null(m.key);
    bo_assert_err(bo_inventory_receive(book, NULL, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    m.sku = "A";
    m.location = "S1";
    m.qty = 1;
    m.date = D("2025-03-07");
    m.key = "args-1";
    m.to = "WH";
    bo_assert_err(bo_inventory_receive(book, &m, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "to: not read"));
    m.to = NULL;
    m.cost = 5;
    bo_assert_err(bo_inventory_issue(book, &m, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "cost: not read"));
    m.cost = 0;
    m.reference = "R";
    bo_assert_err(bo_inventory_adjust(book, &m, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "reference: not read"));
    m.reference = NULL;
    m.reason = "moved";
    bo_assert_err(bo_inventory_transfer(book, &m, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "reason: not read"));
    m.version = 7;
    bo_assert_err(bo_inventory_issue(book, &m, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 7"));

    bo_payroll_run_options r;
    bo_assert_err(bo_payroll_run_options_init(&r, 0), BO_EINVAL);
    bo_assert_ok(bo_payroll_run_options_init(&r, BO_PAYROLL_RUN_OPTIONS_VERSION));
    ck_assert_ptr_null(r.pack);
    bo_assert_err(bo_payroll_run_create(book, NULL, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    r.version = 3;
    bo_assert_err(bo_payroll_run_create(book, &r, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 3"));
    assert_same(before, snapshot(), "bad options structs");
}
END_TEST

/* Issue 14, item 4: every call with more than five inputs besides its handle
 * and its out-parameter takes a versioned options struct: an unknown
 * version of init(), NULL options or a struct of another version are
 * refused naming them, and change nothing. */
START_TEST(args_options_structs_versioned)
{
    state before = snapshot();
    int64_t id = 0;
    int line = 0;

    bo_inventory_return_options ro;
    bo_assert_err(bo_inventory_return_options_init(&ro, 2), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 2"));
    bo_assert_ok(bo_inventory_return_options_init(&ro, BO_INVENTORY_RETURN_OPTIONS_VERSION));
    ck_assert_uint_eq(ro.version, BO_INVENTORY_RETURN_OPTIONS_VERSION);
    ck_assert_ptr_null(ro.key);
    bo_assert_err(bo_inventory_return(book, NULL, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    ro.sale_id = sale_id;
    ro.line = 1;
    ro.qty = 1;
    ro.date = D("2025-03-08");
    ro.method = "card";
    ro.key = "args-ret";
    ro.version = 9;
    bo_assert_err(bo_inventory_return(book, &ro, &id), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 9"));

    bo_inventory_po_line_options po;
    bo_assert_err(bo_inventory_po_line_options_init(&po, 0), BO_EINVAL);
    bo_assert_ok(bo_inventory_po_line_options_init(&po, BO_INVENTORY_PO_LINE_OPTIONS_VERSION));
    ck_assert_ptr_null(po.sku);
    bo_assert_err(bo_inventory_po_line(book, NULL, &line), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    po.po_id = po_id;
    po.sku = "A";
    po.location = "WH";
    po.qty = 5;
    po.expected = D("2025-03-09");
    po.version = 2;
    bo_assert_err(bo_inventory_po_line(book, &po, &line), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 2"));

    bo_tax_rate_options tr;
    bo_assert_err(bo_tax_rate_options_init(&tr, 5), BO_EINVAL);
    bo_assert_ok(bo_tax_rate_options_init(&tr, BO_TAX_RATE_OPTIONS_VERSION));
    ck_assert_int_eq(tr.flags, 0);
    bo_assert_err(bo_tax_rate_add(book, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    tr.code = "ARGS";
    tr.name = "Args";
    tr.rate_ppm = 1000;
    tr.sales_account = "2100";
    tr.version = 3;
    bo_assert_err(bo_tax_rate_add(book, &tr), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 3"));
    bo_cursor *c;
    bo_assert_ok(bo_tax_rates(book, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);

    bo_invoice *inv;
    bo_assert_ok(bo_invoice_new(&inv, BO_INVOICE_SALES, "C1", D("2025-03-08"), NULL));
    bo_invoice_line_options lo;
    bo_assert_err(bo_invoice_line_options_init(&lo, 4), BO_EINVAL);
    bo_assert_ok(bo_invoice_line_options_init(&lo, BO_INVOICE_LINE_OPTIONS_VERSION));
    ck_assert_ptr_null(lo.tax_category);
    bo_assert_err(bo_invoice_line(inv, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    lo.account = "4000";
    lo.quantity = BO_BILLING_QTY_SCALE;
    lo.unit_price = 100;
    lo.version = 8;
    bo_assert_err(bo_invoice_line(inv, &lo), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 8"));
    ck_assert_int_eq(bo_invoice_line_count(inv), 0);
    lo.version = BO_INVOICE_LINE_OPTIONS_VERSION;
    bo_assert_ok(bo_invoice_line(inv, &lo));
    ck_assert_int_eq(bo_invoice_line_count(inv), 1);
    bo_invoice_free(inv);

    bo_payment *pay = NULL;
    bo_payment_options pa;
    bo_assert_err(bo_payment_options_init(&pa, 6), BO_EINVAL);
    bo_assert_ok(bo_payment_options_init(&pa, BO_PAYMENT_OPTIONS_VERSION));
    ck_assert_ptr_null(pa.currency);
    bo_assert_err(bo_payment_new(&pay, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    ck_assert_ptr_null(pay);
    pa.kind = BO_PAYMENT_RECEIVED;
    pa.party = "C1";
    pa.date = D("2025-03-08");
    pa.amount = 100;
    pa.account = "1000";
    pa.version = 2;
    bo_assert_err(bo_payment_new(&pay, &pa), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 2"));
    ck_assert_ptr_null(pay);
    assert_same(before, snapshot(), "bad options structs");
}
END_TEST

/* Issue 14, item 4: by-name updates of fixed columns became typed: one call
 * per record with a versioned changes struct; unchanged members are left
 * alone, at least one change is needed, each member is checked with a
 * message naming it, and a bad member changes nothing, the good ones
 * included. Each change is still one audit record. */
START_TEST(args_changes_structs_typed)
{
    state before = snapshot();
    bo_party_changes pc;
    bo_assert_err(bo_party_changes_init(&pc, 2), BO_EINVAL);
    bo_assert_ok(bo_party_changes_init(&pc, BO_PARTY_CHANGES_VERSION));
    ck_assert_ptr_null(pc.name);
    ck_assert_int_eq(pc.roles, BO_UNCHANGED);
    ck_assert_int_eq(pc.terms_days, BO_UNCHANGED);
    ck_assert_int_eq(pc.active, BO_UNCHANGED);
    bo_assert_err(bo_party_update(book, "C1", &pc), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "changes: nothing to change"));
    bo_assert_err(bo_party_update(book, "C1", NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: NULL"));
    pc.name = "Renamed";
    pc.terms_days = 4000;
    bo_assert_err(bo_party_update(book, "C1", &pc), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "terms_days"));
    pc.terms_days = 30;
    pc.payable_account = "9999";
    bo_assert_err(bo_party_update(book, "C1", &pc), BO_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "payable_account"));
    pc.payable_account = NULL;
    pc.active = 2;
    bo_assert_err(bo_party_update(book, "C1", &pc), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "active"));
    pc.active = BO_UNCHANGED;
    pc.version = 5;
    bo_assert_err(bo_party_update(book, "C1", &pc), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "options: version 5"));

    bo_inventory_item_changes ic = BO_INVENTORY_ITEM_CHANGES_INIT;
    bo_assert_err(bo_inventory_item_changes_init(&ic, 0), BO_EINVAL);
    bo_assert_err(bo_inventory_item_update(book, "A", &ic), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "changes: nothing to change"));
    ic.unit = "kg";
    ic.negative_stock = 7;
    bo_assert_err(bo_inventory_item_update(book, "A", &ic), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "negative_stock"));
    ic.negative_stock = BO_UNCHANGED;
    ic.supplier = "C1"; /* a customer, not a vendor */
    bo_assert_err(bo_inventory_item_update(book, "A", &ic), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "supplier"));

    bo_inventory_location_changes lc = BO_INVENTORY_LOCATION_CHANGES_INIT;
    bo_assert_err(bo_inventory_location_changes_init(&lc, 3), BO_EINVAL);
    bo_assert_err(bo_inventory_location_update(book, "S1", &lc), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "changes: nothing to change"));
    lc.name = "Front store";
    lc.inventory_account = "1200"; /* S1 holds stock value */
    bo_assert_err(bo_inventory_location_update(book, "S1", &lc), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "inventory_account"));
    assert_same(before, snapshot(), "bad changes");

    /* Good changes: every member given, one audit record each. */
    pc.version = BO_PARTY_CHANGES_VERSION;
    pc.email = "c1@example.com";
    bo_assert_ok(bo_party_update(book, "C1", &pc));
    ic.supplier = "V1";
    ic.active = 0;
    bo_assert_ok(bo_inventory_item_update(book, "A", &ic));
    lc.inventory_account = NULL;
    bo_assert_ok(bo_inventory_location_update(book, "S1", &lc));
    state after = snapshot();
    ck_assert_int_eq(after.audit_seq - before.audit_seq, 3 + 3 + 1);
    bo_cursor *c;
    bo_assert_ok(bo_party_get(book, "C1", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 1), "Renamed");
    ck_assert_str_eq(bo_cursor_text(c, 5), "c1@example.com");
    ck_assert_int_eq(bo_cursor_int(c, 8), 30);
    ck_assert_int_eq(bo_cursor_int(c, 13), 1);
    bo_cursor_free(c);
    bo_assert_ok(bo_inventory_item_get(book, "A", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 4), "kg");
    ck_assert_str_eq(bo_cursor_text(c, 8), "V1");
    ck_assert_int_eq(bo_cursor_int(c, 10), 0);
    bo_cursor_free(c);
    /* "" clears an optional field. */
    bo_party_changes clear = BO_PARTY_CHANGES_INIT;
    clear.email = "";
    bo_assert_ok(bo_party_update(book, "C1", &clear));
    bo_assert_ok(bo_party_get(book, "C1", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_type(c, 5), BO_TYPE_NULL);
    bo_cursor_free(c);
}
END_TEST

/* An optional key may be left out: leave without a key is recorded (and
 * recorded again when sent again, which is why a terminal gives one). */
START_TEST(trust_keys_optional_leave)
{
    int64_t a = 0, b = 0;
    bo_assert_ok(bo_payroll_leave_add(book, "E1", D("2024-01-22"), D("2024-01-22"), "paid", NULL, NULL));
    bo_assert_ok(cmd_leave(NULL, 0, &a));
    bo_assert_ok(cmd_leave(NULL, 0, &b));
    ck_assert_int_ne(a, b);
}
END_TEST

/* A movement recorded before its table kept digests (schema 6) answers a
 * replay of its key as the same command, whatever the content now says:
 * old rows are taken as conflict-free. */
START_TEST(trust_keys_legacy_row_replays)
{
    int64_t id = 0, again = 0;
    bo_assert_ok(cmd_receive("legacy-1", 0, &id));
    bo_test_raw_sql(bo_book_uri(book),
                    "UPDATE inv_moves SET digest = NULL WHERE idem_key = 'legacy-1'");
    state before = snapshot();
    bo_assert_ok(cmd_receive("legacy-1", 1, &again));
    ck_assert_int_eq(again, id);
    assert_same(before, snapshot(), "legacy replay");
}
END_TEST

/* ---- the book ---------------------------------------------------------------- */

static void setup(void)
{
    book = bo_test_book("keys");
    bo_test_chart(book);
    struct { const char *code, *name; int type; } acc[] = {
        { "1200", "Inventory", BO_ACCOUNT_ASSET },
        { "1300", "Receivables", BO_ACCOUNT_ASSET },
        { "2100", "Net pay payable", BO_ACCOUNT_LIABILITY },
        { "2210", "Income tax payable", BO_ACCOUNT_LIABILITY },
        { "2220", "Pension payable", BO_ACCOUNT_LIABILITY },
        { "2300", "GRNI", BO_ACCOUNT_LIABILITY },
        { "5100", "Wages", BO_ACCOUNT_EXPENSE },
        { "5200", "Employer contributions", BO_ACCOUNT_EXPENSE },
        { "5300", "COGS", BO_ACCOUNT_EXPENSE },
        { "5400", "Shrinkage", BO_ACCOUNT_EXPENSE },
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        bo_assert_ok(bo_ledger_account_add(book, acc[i].code, acc[i].name, acc[i].type,
                                           NULL, NULL));
    const char *inv[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5300" },
        { "account.grni", "2300" }, { "account.adjustments", "5400" },
        { "account.revenue", "4000" }, { "payment.cash", "1000" }, { "payment.card", "1100" },
    };
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, inv[i][0], inv[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "WH", "Warehouse", "warehouse", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    bo_assert_ok(bo_party_add(book, "C1", "Customer", BO_PARTY_CUSTOMER, NULL));
    bo_assert_ok(bo_party_add(book, "V1", "Vendor", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1300"));
    bo_assert_ok(bo_billing_setting_set(book, "payable_account", "2000"));

    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "S1",
            .qty = 100, .cost = 10000, .date = D("2025-03-01"), .key = "init-s1" }, NULL));
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = "WH",
            .qty = 100, .cost = 10000, .date = D("2025-03-01"), .key = "init-wh" }, NULL));
    bo_sale *s;
    bo_assert_ok(bo_sale_new(&s, D("2025-03-02"), NULL));
    bo_assert_ok(bo_sale_set_key(s, "init-sale"));
    bo_assert_ok(bo_sale_line(s, "A", "S1", 3, 500, 0));
    bo_assert_ok(bo_sale_payment(s, "card", 1500));
    bo_assert_ok(bo_inventory_sale_post(book, s, &sale_id));
    bo_sale_free(s);
    bo_assert_ok(bo_inventory_po_add(book, "PO-1", "V1", D("2025-03-01"), &po_id));
    int line;
    bo_assert_ok(bo_inventory_po_line(book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po_id,
            .sku = "A", .location = "WH", .qty = 50, .unit_cost = 100,
            .expected = D("2025-03-05") }, &line));
    bo_assert_ok(bo_inventory_po_receive(book, po_id, 1, 10, D("2025-03-05"), "init-grn", NULL));
    bo_inventory_count_options co = BO_INVENTORY_COUNT_OPTIONS_INIT;
    co.key = "init-count-a";
    bo_assert_ok(bo_inventory_count_start(book, "S1", D("2025-03-07"), &co, &count_a));
    bo_assert_ok(bo_inventory_count_set(book, count_a, "A", 90));
    co.key = "init-count-b";
    bo_assert_ok(bo_inventory_count_start(book, "WH", D("2025-03-07"), &co, &count_b));
    bo_assert_ok(bo_inventory_count_set(book, count_b, "A", 100));

    load_pack("generic.yaml");
    bo_assert_ok(bo_payroll_employee_add(book, "E1", "Worker", D("2023-01-01")));
    bo_assert_ok(bo_payroll_terms_set(book, "E1", D("2024-01-01"), "hourly", 2000, BO_PAYROLL_MONTHLY));
}

static void teardown(void)
{
    bo_test_book_free(book);
    book = NULL;
}

int main(void)
{
    Suite *s = suite_create("keys");
    TCase *t = tcase_create("keys");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_keys_required_sale);
    tcase_add_test(t, trust_keys_required_receive);
    tcase_add_test(t, trust_keys_required_issue);
    tcase_add_test(t, trust_keys_required_transfer);
    tcase_add_test(t, trust_keys_required_adjust);
    tcase_add_test(t, trust_keys_required_return);
    tcase_add_test(t, trust_keys_required_po_receive);
    tcase_add_test(t, trust_keys_required_shipment);
    tcase_add_test(t, trust_keys_required_count_start);
    tcase_add_test(t, trust_keys_required_count_post);
    tcase_add_test(t, trust_keys_required_clock);
    tcase_add_test(t, trust_keys_required_hours);
    tcase_add_test(t, trust_keys_required_pay_run);
    tcase_add_test(t, trust_keys_required_payment);
    tcase_add_test(t, trust_keys_replay_sale);
    tcase_add_test(t, trust_keys_replay_receive);
    tcase_add_test(t, trust_keys_replay_issue);
    tcase_add_test(t, trust_keys_replay_transfer);
    tcase_add_test(t, trust_keys_replay_adjust);
    tcase_add_test(t, trust_keys_replay_return);
    tcase_add_test(t, trust_keys_replay_po_receive);
    tcase_add_test(t, trust_keys_replay_shipment);
    tcase_add_test(t, trust_keys_replay_count_start);
    tcase_add_test(t, trust_keys_replay_count_post);
    tcase_add_test(t, trust_keys_replay_clock);
    tcase_add_test(t, trust_keys_replay_hours);
    tcase_add_test(t, trust_keys_replay_pay_run);
    tcase_add_test(t, trust_keys_replay_payment);
    tcase_add_test(t, trust_keys_replay_entry);
    tcase_add_test(t, trust_keys_replay_invoice);
    tcase_add_test(t, trust_keys_replay_hold);
    tcase_add_test(t, trust_keys_replay_landed_cost);
    tcase_add_test(t, trust_keys_replay_document);
    tcase_add_test(t, trust_keys_replay_leave);
    tcase_add_test(t, trust_keys_reuse_sale);
    tcase_add_test(t, trust_keys_reuse_receive);
    tcase_add_test(t, trust_keys_reuse_issue);
    tcase_add_test(t, trust_keys_reuse_transfer);
    tcase_add_test(t, trust_keys_reuse_adjust);
    tcase_add_test(t, trust_keys_reuse_return);
    tcase_add_test(t, trust_keys_reuse_po_receive);
    tcase_add_test(t, trust_keys_reuse_shipment);
    tcase_add_test(t, trust_keys_reuse_count_start);
    tcase_add_test(t, trust_keys_reuse_count_post);
    tcase_add_test(t, trust_keys_reuse_clock);
    tcase_add_test(t, trust_keys_reuse_hours);
    tcase_add_test(t, trust_keys_reuse_pay_run);
    tcase_add_test(t, trust_keys_reuse_payment);
    tcase_add_test(t, trust_keys_reuse_entry);
    tcase_add_test(t, trust_keys_reuse_invoice);
    tcase_add_test(t, trust_keys_reuse_hold);
    tcase_add_test(t, trust_keys_reuse_landed_cost);
    tcase_add_test(t, trust_keys_reuse_document);
    tcase_add_test(t, trust_keys_reuse_leave);
    tcase_add_test(t, trust_keys_sale_retry_without_key);
    tcase_add_test(t, trust_keys_positional_calls_refuse);
    tcase_add_test(t, args_options_structs_refuse);
    tcase_add_test(t, args_options_structs_versioned);
    tcase_add_test(t, args_changes_structs_typed);
    tcase_add_test(t, trust_keys_optional_leave);
    suite_add_tcase(s, t);
    /* Raw SQL on the store: not on the memory backend. */
    t = tcase_create("keys_raw");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_keys_legacy_row_replays);
    suite_add_tcase(s, t);
    return bo_test_run(s);
}
