/*
 * backoffice billing VERB ...: settings, exchange rates, one-line
 * invoices and bills, payments, reports, bank statements. Each verb
 * is a cli_command of its own, run with the shared argument parser.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int today_or(const cli_args *a, const char *name, bo_date *out)
{
    return cli_opt_date(a, name, bo_date_today(), out);
}

static int parse_money(cli *c, const char *text, const char *currency, int64_t *out)
{
    int rc = bo_money_parse(text, currency ? currency : bo_book_base_currency(c->book), out);
    return rc ? cli_lib_error(c, rc) : 0;
}

/* ---- setting, rate, revalue ---------------------------------------------------- */

static int setting(cli *c, const cli_args *a)
{
    int st = cli_open(c);
    return st ? st : cli_check(c, bo_billing_setting_set(c->book, a->pos[0], a->pos[1]));
}

static int rate(cli *c, const cli_args *a)
{
    bo_date d;
    int st = cli_date("DATE", a->pos[1], &d);
    if (st || (st = cli_open(c)))
        return st;
    return cli_check(c, bo_billing_rate_set(c->book, a->pos[0], d, a->pos[2]));
}

static int revalue(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t entry = 0;
    int st = cli_date("DATE", a->pos[0], &d);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_revalue(c->book, d, &entry);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "entry", BO_TYPE_INT, entry, NULL } };
    return cli_render_record(c, f, 1, NULL);
}

/* ---- invoice, pay ---------------------------------------------------------- */

static int invoice(cli *c, const cli_args *a)
{
    bo_date d;
    const char *kind_s = cli_opt_get(a, "kind");
    int kind = !kind_s || !strcmp(kind_s, "sales") ? BO_INVOICE_SALES
             : !strcmp(kind_s, "purchase") ? BO_INVOICE_PURCHASE
             : !strcmp(kind_s, "sales-credit") ? BO_INVOICE_SALES_CREDIT
             : !strcmp(kind_s, "purchase-credit") ? BO_INVOICE_PURCHASE_CREDIT : 0;
    if (!kind)
        return cli_usage_error("--kind: expected sales, purchase, sales-credit or "
                               "purchase-credit");
    int st = today_or(a, "date", &d);
    if (st || (st = cli_open(c)))
        return st;
    const char *cur = cli_opt_get(a, "currency");
    int64_t price, id = 0, entry = 0;
    if ((st = parse_money(c, a->pos[2], cur, &price)))
        return st;
    bo_invoice *v = NULL;
    int rc = bo_invoice_new(&v, kind, a->pos[0], d, cur);
    if (!rc && cli_opt_get(a, "key"))
        rc = bo_invoice_set_key(v, cli_opt_get(a, "key"));
    if (!rc && cli_opt_get(a, "inclusive"))
        rc = bo_invoice_set_inclusive(v, 1);
    if (!rc)
        rc = bo_invoice_line(v, &(bo_invoice_line_options){
                .version = BO_INVOICE_LINE_OPTIONS_VERSION,
                .account = a->pos[1],
                .description = cli_opt_get(a, "description"),
                .quantity = BO_BILLING_QTY_SCALE, .unit_price = price,
                .tax_category = cli_opt_get(a, "tax") });
    if (!rc)
        rc = bo_billing_invoice_save(c->book, v, &id);
    bo_invoice_free(v);
    if (!rc)
        rc = bo_billing_invoice_post(c->book, id, d, &entry);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "invoice", BO_TYPE_INT, id, NULL },
                      { "entry", BO_TYPE_INT, entry, NULL } };
    return cli_render_record(c, f, 2, NULL);
}

static int pay(cli *c, const cli_args *a)
{
    bo_date d;
    int st = today_or(a, "date", &d);
    if (st)
        return st;
    int64_t inv = 0;
    const char *inv_s = cli_opt_get(a, "invoice");
    if (inv_s && (st = cli_int64("--invoice", inv_s, &inv)))
        return st;
    if ((st = cli_open(c)))
        return st;
    const char *cur = cli_opt_get(a, "currency");
    int64_t amount, id = 0;
    if ((st = parse_money(c, a->pos[1], cur, &amount)))
        return st;
    bo_payment *p = NULL;
    int kind = cli_opt_get(a, "made") ? BO_PAYMENT_MADE : BO_PAYMENT_RECEIVED;
    int rc = bo_payment_new(&p, &(bo_payment_options){ .version = BO_PAYMENT_OPTIONS_VERSION,
            .kind = kind, .party = a->pos[0], .date = d, .amount = amount,
            .currency = cur, .account = a->pos[2] });
    if (!rc)
        rc = bo_payment_set_key(p, cli_opt_get(a, "key"));
    if (!rc && cli_opt_get(a, "reference"))
        rc = bo_payment_set_reference(p, cli_opt_get(a, "reference"));
    if (!rc && inv) {
        int64_t open = 0;
        rc = bo_billing_invoice_open(c->book, inv, BO_DATE_MAX, &open);
        if (!rc)
            rc = bo_payment_allocate(p, inv, open < amount ? open : amount, 0);
    }
    if (!rc)
        rc = bo_billing_payment_post(c->book, p, &id);
    bo_payment_free(p);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "payment", BO_TYPE_INT, id, NULL } };
    return cli_render_record(c, f, 1, NULL);
}

/* ---- reports ----------------------------------------------------------------- */

static int invoices(cli *c, const cli_args *a)
{
    bo_cursor *cur = NULL;
    int st = cli_open(c);
    if (st)
        return st;
    int rc = bo_billing_invoices(c->book, a->npos ? a->pos[0] : NULL, &cur);
    return cli_show(c, rc, cur);
}

static int aging(cli *c, const cli_args *a)
{
    bo_date d;
    bo_cursor *cur = NULL;
    int st = today_or(a, "as-of", &d);
    if (st || (st = cli_open(c)))
        return st;
    int side = cli_opt_get(a, "payable") ? BO_BILLING_PAYABLE : BO_BILLING_RECEIVABLE;
    int rc = bo_billing_aging(c->book, side, d, &cur);
    return cli_show(c, rc, cur);
}

static int period(const cli_args *a, bo_date *from, bo_date *to)
{
    if (!cli_opt_get(a, "from") || !cli_opt_get(a, "to"))
        return cli_usage_error("--from and --to are required");
    int st = cli_opt_date(a, "from", 0, from);
    return st ? st : cli_opt_date(a, "to", 0, to);
}

static int statement(cli *c, const cli_args *a)
{
    bo_date from, to;
    bo_cursor *cur = NULL;
    int st = period(a, &from, &to);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_statement(c->book, a->pos[0], from, to, &cur);
    return cli_show(c, rc, cur);
}

static int tax_report(cli *c, const cli_args *a)
{
    bo_date from, to;
    bo_cursor *cur = NULL;
    int st = period(a, &from, &to);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_tax_report(c->book, from, to, &cur);
    return cli_show(c, rc, cur);
}

static int cash_flow(cli *c, const cli_args *a)
{
    bo_date from, to;
    bo_cursor *cur = NULL;
    int st = period(a, &from, &to);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_cash_flow(c->book, from, to, &cur);
    return cli_show(c, rc, cur);
}

/* ---- bank ------------------------------------------------------------------- */

static int bank_import(cli *c, const cli_args *a)
{
    const char *format = cli_opt_get(a, "format") ? cli_opt_get(a, "format") : "csv";
    char *data = NULL, *mapping = NULL;
    int st = cli_read_text(a->pos[1], BO_BILLING_STATEMENT_MAX, &data);
    if (!st && cli_opt_get(a, "mapping"))
        st = cli_read_text(cli_opt_get(a, "mapping"), BO_BILLING_STATEMENT_MAX, &mapping);
    if (!st)
        st = cli_open(c);
    int64_t id = 0;
    if (!st) {
        int rc = bo_billing_bank_import(c->book, a->pos[0], format, data, mapping, &id);
        st = rc < 0 ? cli_lib_error(c, rc) : 0;
    }
    free(data);
    free(mapping);
    if (st)
        return st;
    bo_cursor *cur = NULL;
    int rc = bo_billing_bank_statements(c->book, a->pos[0], &cur);
    return cli_show(c, rc, cur);
}

static int bank_match(cli *c, const cli_args *a)
{
    int64_t id, matched = 0, window = 3;
    int st = cli_int64("STATEMENT", a->pos[0], &id);
    if (!st && cli_opt_get(a, "window"))
        st = cli_int64("--window", cli_opt_get(a, "window"), &window);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_bank_match(c->book, id, window > 366 ? 367 : (int)window, &matched);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "matched", BO_TYPE_INT, matched, NULL } };
    return cli_render_record(c, f, 1, NULL);
}

static int bank_lines(cli *c, const cli_args *a)
{
    int64_t id;
    bo_cursor *cur = NULL;
    int st = cli_int64("STATEMENT", a->pos[0], &id);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_bank_lines(c->book, id, &cur);
    return cli_show(c, rc, cur);
}

static int bank_create(cli *c, const cli_args *a)
{
    int64_t line, entry = 0;
    int st = cli_int64("LINE", a->pos[0], &line);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_bank_create(c->book, line, a->pos[1], cli_opt_get(a, "memo"), &entry);
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "entry", BO_TYPE_INT, entry, NULL } };
    return cli_render_record(c, f, 1, NULL);
}

static int bank_close(cli *c, const cli_args *a)
{
    int64_t id;
    int st = cli_int64("STATEMENT", a->pos[0], &id);
    if (st || (st = cli_open(c)))
        return st;
    return cli_check(c, bo_billing_bank_close(c->book, id));
}

/* ---- payment batches ---------------------------------------------------------- */

/* pain001 --out FILE [--party P] [--date D] [--debtor-iban IBAN]
 * [--debtor-bic BIC]: the open vendor bills as one ISO 20022 pain.001
 * credit-transfer batch requested for D (default today). */
static int pain001(cli *c, const cli_args *a)
{
    bo_date d;
    const char *out = cli_opt_get(a, "out");
    if (!out || !out[0])
        return cli_usage_error("pain001: --out FILE is required");
    int st = today_or(a, "date", &d);
    if (st || (st = cli_open(c)))
        return st;
    int rc = bo_billing_pain001(c->book, out, cli_opt_get(a, "party"), d,
                                cli_opt_get(a, "debtor-iban"), cli_opt_get(a, "debtor-bic"));
    if (rc < 0)
        return cli_lib_error(c, rc);
    cli_field f[] = { { "file", BO_TYPE_TEXT, 0, out },
                      { "transactions", BO_TYPE_INT, rc, NULL } };
    return cli_render_record(c, f, 2, NULL);
}

/* ---- the table ------------------------------------------------------------- */

/* Option lists shared by several subcommands. */
#define O_INVOICE { "date", "tax", "currency", "kind", "key", "description", "inclusive" }
#define O_PAY { "date", "currency", "key", "invoice", "made", "reference" }
#define O_AGING { "as-of", "payable" }
#define O_PERIOD { "from", "to" }
#define O_IMPORT { "format", "mapping" }
#define O_WINDOW { "window" }
#define O_MEMO { "memo" }
#define O_PAIN001 { "out", "party", "date", "debtor-iban", "debtor-bic" }

static const cli_sub subs[] = {
    { { "setting", "KEY VALUE",
        "Set a billing setting (receivable_account, payable_account,\n"
        "write_off_account, write_off_limit, fx_gain_account, fx_loss_account,\n"
        "fx_unrealized_account, fx_revaluation_account).\n", NULL }, {0}, 2, 2, setting },
    { { "rate", "CURRENCY DATE RATE",
        "Record an exchange rate: RATE book-currency units per unit (\"1.0850\").\n",
        NULL }, {0}, 3, 3, rate },
    { { "revalue", "DATE",
        "Revalue open foreign documents at DATE's rates; reversed the next day.\n",
        NULL }, {0}, 1, 1, revalue },
    { { "invoice", "PARTY ACCOUNT PRICE [--date D] [--tax CATEGORY]"
        " [--kind sales|purchase|sales-credit|purchase-credit] [--currency C] [--key K]"
        " [--description TEXT] [--inclusive yes]",
        "Create and post a one-line document; prints its id and entry.\n", NULL },
      O_INVOICE, 3, 3, invoice },
    { { "pay", "PARTY AMOUNT ACCOUNT --key KEY [--invoice ID] [--date D]"
        " [--currency C] [--made yes] [--reference R]",
        "Post a payment received (or made, with --made) through ACCOUNT,\n"
        "applied to --invoice as far as it is due; the rest stays as credit.\n", NULL },
      O_PAY, 3, 3, pay },
    { { "invoices", "[PARTY]", "List documents with what is open.\n",
        NULL }, {0}, 0, 1, invoices },
    { { "aging", "[--as-of D] [--payable yes]",
        "Receivables (or payables) aging as of a date.\n", NULL }, O_AGING, 0, 0, aging },
    { { "statement", "PARTY --from D --to D",
        "Statement of account of a party.\n", NULL }, O_PERIOD, 1, 1, statement },
    { { "tax-report", "--from D --to D",
        "Tax per rate on sales and purchases.\n", NULL }, O_PERIOD, 0, 0, tax_report },
    { { "cash-flow", "--from D --to D",
        "Cash-flow statement (direct method).\n", NULL }, O_PERIOD, 0, 0, cash_flow },
    { { "bank-import", "ACCOUNT FILE [--format csv|camt053]"
        " [--mapping YAML-FILE]",
        "Import a bank statement for ACCOUNT; prints the account's statements.\n",
        NULL }, O_IMPORT, 2, 2, bank_import },
    { { "bank-match", "STATEMENT [--window DAYS]",
        "Match statement lines to postings (default window 3 days).\n", NULL },
      O_WINDOW, 1, 1, bank_match },
    { { "bank-lines", "STATEMENT", "List a statement's lines.\n",
        NULL }, {0}, 1, 1, bank_lines },
    { { "bank-create", "LINE COUNTER-ACCOUNT [--memo TEXT]",
        "Post the missing entry for an unmatched line and match it.\n", NULL },
      O_MEMO, 2, 2, bank_create },
    { { "bank-close", "STATEMENT",
        "Close a statement: all lines matched, reconciled balance = closing.\n",
        NULL }, {0}, 1, 1, bank_close },
    { { "pain001", "--out FILE [--party PARTY] [--date D] [--debtor-iban IBAN]"
        " [--debtor-bic BIC]",
        "Write the open posted vendor bills (of --party, or every vendor) as one\n"
        "ISO 20022 pain.001.001.03 credit-transfer batch requested for --date\n"
        "(default today). The debtor account is --debtor-iban/--debtor-bic or\n"
        "the billing settings debtor_iban/debtor_bic; each vendor's the billing\n"
        "setting iban.PARTY (and bic.PARTY). Every IBAN's check digits are\n"
        "verified first; on error no file is written. Prints the number of\n"
        "transactions.\n", NULL }, O_PAIN001, 0, 0, pain001 },
};
#define NSUBS (sizeof subs / sizeof subs[0])

const cli_domain cli_billing_domain = {
    "billing", "billing",
    "invoices and bills, payments, aging, statements, bank reconciliation, rates",
    subs, NSUBS, NULL, 0,
};
