/*
 * The document builder and saving drafts: lines priced, discounted and taxed
 * (bo__tax_compute), totals computed, stored without a number.
 */
#include "billing/billing.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct inv_line {
    char *account, *description, *tax;
    int64_t qty, price, disc;
} inv_line;

struct bo_invoice {
    int kind;
    char party[BO_CODE_MAX + 1];
    bo_date date, due;
    int has_due, inclusive;
    char currency[BO_CURRENCY_MAX + 1]; /* "" = the party's or the book's */
    char *series, *memo, *reference, *key, *account;
    int64_t credits, number;
    inv_line *lines;
    int n, cap;
};

int bo_invoice_new(bo_invoice **out, int kind, const char *party, bo_date date,
                   const char *currency)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    int rc, exp;
    if (kind < BO_INVOICE_SALES || kind > BO_INVOICE_PURCHASE_CREDIT)
        return bo__error_set(BO_EINVAL, "kind: %d is not a document kind", kind);
    if ((rc = bo__text_check("party", party, BO_CODE_MAX, false, false)) ||
        (rc = bo__bill_date_ok("date", date)))
        return rc;
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("currency: ");
    bo_invoice *v = bo__calloc(1, sizeof *v);
    if (!v)
        return BO_ENOMEM;
    v->kind = kind;
    strcpy(v->party, party);
    v->date = date;
    if (currency)
        strcpy(v->currency, currency);
    *out = v;
    return 0;
}

static int parse_id(const char *field, const char *value, int64_t *out)
{
    char *end;
    long long v = value ? strtoll(value, &end, 10) : 0;
    if (!value) {
        *out = 0;
        return 0;
    }
    if (!*value || *end || v < 1)
        return bo__error_set(BO_EINVAL, "%s: not a positive number", field);
    *out = v;
    return 0;
}

static int invoice_set(bo_invoice *v, const char *field, const char *value);

int bo_invoice_set_key(bo_invoice *v, const char *key)
{
    return invoice_set(v, "key", key);
}

static int invoice_set(bo_invoice *v, const char *field, const char *value)
{
    bo__error_clear();
    if (!v || !field)
        return bo__error_set(BO_EINVAL, "invoice/field: NULL");
    if (!strcmp(field, "series")) {
        int rc;
        if (value && (rc = bo__name_check("series", value, BO_CODE_MAX)))
            return rc;
        return bo__text_set(&v->series, field, value, BO_CODE_MAX);
    }
    if (!strcmp(field, "memo"))
        return bo__text_set(&v->memo, field, value, BO_TEXT_MAX);
    if (!strcmp(field, "reference"))
        return bo__text_set(&v->reference, field, value, BO_TEXT_MAX);
    if (!strcmp(field, "key"))
        return bo__text_set(&v->key, field, value, BO_TEXT_MAX);
    if (!strcmp(field, "account"))
        return bo__text_set(&v->account, field, value, BO_CODE_MAX);
    if (!strcmp(field, "due")) {
        if (!value) {
            v->has_due = 0;
            return 0;
        }
        int rc = bo_date_parse(value, &v->due);
        if (rc)
            return bo__error_prefix("due: ");
        v->has_due = 1;
        return 0;
    }
    if (!strcmp(field, "inclusive")) {
        if (value && strcmp(value, "0") && strcmp(value, "1"))
            return bo__error_set(BO_EINVAL, "inclusive: expected \"0\" or \"1\"");
        v->inclusive = value && value[0] == '1';
        return 0;
    }
    if (!strcmp(field, "credits"))
        return parse_id("credits", value, &v->credits);
    if (!strcmp(field, "number"))
        return parse_id("number", value, &v->number);
    return bo__error_set(BO_EINVAL, "field: unknown document field");
}

int bo_invoice_set_series(bo_invoice *v, const char *series)
{
    return invoice_set(v, "series", series);
}

int bo_invoice_set_due(bo_invoice *v, bo_date due)
{
    bo__error_clear();
    if (!v)
        return bo__error_set(BO_EINVAL, "invoice: NULL");
    if (due < BO_DATE_MIN || due > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "due: outside 0001-01-01..9999-12-31");
    v->due = due;
    v->has_due = 1;
    return 0;
}

int bo_invoice_set_memo(bo_invoice *v, const char *memo)
{
    return invoice_set(v, "memo", memo);
}

int bo_invoice_set_reference(bo_invoice *v, const char *reference)
{
    return invoice_set(v, "reference", reference);
}

int bo_invoice_set_inclusive(bo_invoice *v, int inclusive)
{
    bo__error_clear();
    if (inclusive != 0 && inclusive != 1)
        return bo__error_set(BO_EINVAL, "inclusive: expected 0 or 1");
    return invoice_set(v, "inclusive", inclusive ? "1" : "0");
}

/* An id or number: > 0, or 0 for none. */
static int set_id(bo_invoice *v, const char *field, int64_t value)
{
    bo__error_clear();
    if (value < 0)
        return bo__error_set(BO_EINVAL, "%s: not a positive number", field);
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, value);
    return invoice_set(v, field, value ? text : NULL);
}

int bo_invoice_set_credits(bo_invoice *v, int64_t invoice_id)
{
    return set_id(v, "credits", invoice_id);
}

int bo_invoice_set_number(bo_invoice *v, int64_t number)
{
    return set_id(v, "number", number);
}

int bo_invoice_set_account(bo_invoice *v, const char *account)
{
    return invoice_set(v, "account", account);
}

int bo_invoice_line_options_init(bo_invoice_line_options *opts, unsigned int version)
{
    static const bo_invoice_line_options defaults = BO_INVOICE_LINE_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_INVOICE_LINE_OPTIONS_VERSION, &defaults,
                         sizeof defaults);
}

int bo_invoice_line(bo_invoice *v, const bo_invoice_line_options *o)
{
    bo__error_clear();
    if (!v)
        return bo__error_set(BO_EINVAL, "invoice: NULL");
    int rc0 = bo__opts_check(o, BO_INVOICE_LINE_OPTIONS_VERSION);
    if (rc0)
        return rc0;
    const char *account = o->account, *description = o->description,
               *tax_category = o->tax_category;
    int64_t quantity = o->quantity, unit_price = o->unit_price,
            discount_ppm = o->discount_ppm;
    int line = v->n + 1, rc;
    if ((rc = bo__text_check("account", account, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("description", description, BO_TEXT_MAX, true, true)) ||
        (rc = bo__text_check("tax_category", tax_category, BO_CODE_MAX, true, false)))
        return bo__error_prefix("line %d: ", line);
    if (quantity <= 0)
        return bo__error_set(BO_EINVAL, "line %d: quantity: must be positive", line);
    if (unit_price < 0)
        return bo__error_set(BO_EINVAL, "line %d: unit_price: negative", line);
    if (discount_ppm < 0 || discount_ppm > 1000000)
        return bo__error_set(BO_EINVAL, "line %d: discount_ppm: outside 0..1000000",
                             line);
    int64_t t;
    if (bo_money_muldiv(quantity, unit_price, BO_BILLING_QTY_SCALE, BO_ROUND_HALF_EVEN, &t))
        return bo__error_set(BO_EOVERFLOW, "line %d: quantity x unit_price "
                             "overflows", line);
    if (v->n >= BO_BILLING_LINES_MAX)
        return bo__error_set(BO_ELIMIT, "line %d: a document holds at most %d lines",
                             line, BO_BILLING_LINES_MAX);
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        inv_line *p = bo__realloc(v->lines, (size_t)cap * sizeof *p);
        if (!p)
            return BO_ENOMEM;
        v->lines = p;
        v->cap = cap;
    }
    inv_line *l = &v->lines[v->n];
    memset(l, 0, sizeof *l);
    l->qty = quantity;
    l->price = unit_price;
    l->disc = discount_ppm;
    if (!(l->account = bo__strdup(account)) ||
        !(l->description = bo__strdup(description ? description : "")) ||
        (tax_category && !(l->tax = bo__strdup(tax_category)))) {
        bo__free(l->account);
        bo__free(l->description);
        return BO_ENOMEM;
    }
    v->n++;
    return 0;
}

int bo_invoice_line_count(const bo_invoice *v)
{
    return v ? v->n : 0;
}

void bo_invoice_free(bo_invoice *v)
{
    if (!v)
        return;
    for (int i = 0; i < v->n; i++) {
        bo__free(v->lines[i].account);
        bo__free(v->lines[i].description);
        bo__free(v->lines[i].tax);
    }
    bo__free(v->lines);
    bo__free(v->series);
    bo__free(v->memo);
    bo__free(v->reference);
    bo__free(v->key);
    bo__free(v->account);
    bo__free(v);
}

/* ---- saving --------------------------------------------------------------- */

static const char SQL_BY_KEY[] = "SELECT id, digest FROM bill_invoices WHERE idem_key = ?";
static const char SQL_INSERT[] =
    "INSERT INTO bill_invoices (kind, status, series, want_number, party, date,"
    " due_date, currency, inclusive, account, net, tax, total, credits, reference,"
    " memo, idem_key, digest) VALUES (?, 0, ?, NULLIF(?, 0), ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, NULLIF(?, 0), ?, ?, ?, ?) RETURNING id";
static const char SQL_INSERT_LINE[] =
    "INSERT INTO bill_invoice_lines (invoice_id, line, account, description,"
    " quantity, unit_price, discount_ppm, tax_category, net, tax, gross)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_INSERT_TAX[] =
    "INSERT INTO bill_invoice_taxes (invoice_id, seq, rate, account, base, amount)"
    " VALUES (?, ?, ?, ?, ?, ?)";

typedef struct tax_sum {
    char rate[BO_CODE_MAX + 1], account[BO_CODE_MAX + 1];
    int64_t base, amount;
} tax_sum;

struct save_ctx {
    const bo_invoice *v;
    int64_t id;
    int64_t *net, *tax; /* per line */
    tax_sum *taxes;
    int ntaxes;
};

/* An account a document may post to: kept in its currency or the book's. */
static int check_account(bo_book *b, const char *code, const char *cur, const char *what)
{
    bo__ledger_acct a;
    int rc = bo__ledger_account(b, code, &a);
    if (rc)
        return bo__error_prefix("%s: ", what);
    if (a.closed)
        return bo__error_set(BO_ECLOSED, "%s: account '%s' is closed", what, code);
    if (strcmp(a.currency, cur) && strcmp(a.currency, b->base_currency))
        return bo__error_set(BO_ECURRENCY, "%s: account '%s' is kept in %s, not "
                             "in %s or the book currency", what, code, a.currency, cur);
    return 0;
}

static int digest_of(const bo_invoice *v, const char *cur, char out[65])
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, v->kind);
    bo__buf_field(&d, v->party);
    bo__buf_field_int(&d, v->date);
    bo__buf_field(&d, cur);
    bo__buf_field(&d, v->series);
    bo__buf_field(&d, v->memo);
    bo__buf_field(&d, v->reference);
    bo__buf_field(&d, v->account);
    bo__buf_field_int(&d, v->has_due ? v->due : 0);
    bo__buf_field_int(&d, v->inclusive);
    bo__buf_field_int(&d, v->credits);
    bo__buf_field_int(&d, v->number);
    for (int i = 0; i < v->n; i++) {
        bo__buf_field(&d, v->lines[i].account);
        bo__buf_field(&d, v->lines[i].description);
        bo__buf_field(&d, v->lines[i].tax);
        bo__buf_field_int(&d, v->lines[i].qty);
        bo__buf_field_int(&d, v->lines[i].price);
        bo__buf_field_int(&d, v->lines[i].disc);
    }
    return bo__buf_digest(&d, out);
}

static int add_tax(struct save_ctx *c, const bo__tax_line *t, int purchase, int line)
{
    const char *acct = purchase && t->purchase_account[0] ? t->purchase_account
                                                          : t->sales_account;
    int k;
    for (k = 0; k < c->ntaxes; k++)
        if (!strcmp(c->taxes[k].rate, t->rate) && !strcmp(c->taxes[k].account, acct))
            break;
    if (k == c->ntaxes) {
        memset(&c->taxes[k], 0, sizeof c->taxes[k]);
        snprintf(c->taxes[k].rate, sizeof c->taxes[k].rate, "%s", t->rate);
        snprintf(c->taxes[k].account, sizeof c->taxes[k].account, "%s", acct);
        c->ntaxes++;
    }
    if (bo_money_add(c->taxes[k].base, t->base, &c->taxes[k].base) ||
        bo_money_add(c->taxes[k].amount, t->amount, &c->taxes[k].amount))
        return bo__error_set(BO_EOVERFLOW, "line %d: tax total overflows", line);
    return 0;
}

/* What saving a document writes, read and checked before anything is. */
typedef struct save_plan {
    const char *cur, *series;
    char digest[65], account[BO_CODE_MAX + 1], date[11], dues[11];
    int64_t net, tax, total;
} save_plan;

/* The document's receivable or payable account: given, the party's, or
 * the setting's; checked. */
static int doc_account(bo_book *b, const bo_invoice *v, const bo__party *party, int side,
                       save_plan *pl)
{
    int rc;
    const char *pa = side == BO_BILLING_RECEIVABLE ? party->receivable_account
                                                 : party->payable_account;
    if (v->account)
        snprintf(pl->account, sizeof pl->account, "%s", v->account);
    else if (pa[0])
        snprintf(pl->account, sizeof pl->account, "%s", pa);
    else if ((rc = bo__bill_setting_account(b, side == BO_BILLING_RECEIVABLE ?
                                            "receivable_account" : "payable_account",
                                            pl->account)))
        return rc;
    return check_account(b, pl->account, pl->cur, "account");
}

/* The document a credit note credits: posted, of this party and currency. */
static int credits_check(bo_book *b, const bo_invoice *v, const char *cur)
{
    bo__bill_doc d;
    if (bo__bill_doc_load(b, v->credits, &d))
        return bo__error_prefix("credits: ");
    int want = v->kind == BO_INVOICE_SALES_CREDIT ? BO_INVOICE_SALES
             : v->kind == BO_INVOICE_PURCHASE_CREDIT ? BO_INVOICE_PURCHASE : 0;
    if (d.kind != want || d.status != BO__BILL_POSTED || strcmp(d.party, v->party) ||
        strcmp(d.currency, cur))
        return bo__error_set(BO_EINVAL, "credits: document %" PRId64 " is not a "
                             "posted %s of this party in %s", v->credits,
                             want ? bo__bill_kind_name(want) : "document", cur);
    return 0;
}

/* Each line's net and tax (c->net, c->tax), the taxes by rate and account
 * (c->taxes), and the document's totals. */
static int plan_lines(bo_book *b, struct save_ctx *c, int purchase, save_plan *pl)
{
    const bo_invoice *v = c->v;
    int rc;
    for (int i = 0; i < v->n; i++) {
        const inv_line *l = &v->lines[i];
        char what[32];
        snprintf(what, sizeof what, "line %d: account", i + 1);
        if ((rc = check_account(b, l->account, pl->cur, what)))
            return rc;
        int64_t amount, disc;
        if (bo_money_muldiv(l->qty, l->price, BO_BILLING_QTY_SCALE, BO_ROUND_HALF_EVEN, &amount) ||
            bo_money_muldiv(amount, l->disc, 1000000, BO_ROUND_HALF_EVEN, &disc))
            return bo__error_set(BO_EOVERFLOW, "line %d: amount overflows", i + 1);
        amount -= disc;
        if (l->tax) {
            bo__tax_result r;
            if ((rc = bo__tax_compute(b, l->tax, amount, v->inclusive, &r)))
                return bo__error_prefix("line %d: tax_category: ", i + 1);
            c->net[i] = r.net;
            c->tax[i] = r.tax;
            for (int k = 0; k < r.n; k++)
                if ((rc = add_tax(c, &r.lines[k], purchase, i + 1)))
                    return rc;
        } else {
            c->net[i] = amount;
            c->tax[i] = 0;
        }
        if (bo_money_add(pl->net, c->net[i], &pl->net) ||
            bo_money_add(pl->tax, c->tax[i], &pl->tax))
            return bo__error_set(BO_EOVERFLOW, "line %d: document total overflows", i + 1);
    }
    for (int k = 0; k < c->ntaxes; k++)
        if ((rc = check_account(b, c->taxes[k].account, pl->cur, "tax account")))
            return rc;
    if (bo_money_add(pl->net, pl->tax, &pl->total))
        return bo__error_set(BO_EOVERFLOW, "total: overflows");
    return 0;
}

/* Read and check everything the document needs; *replay when its key names
 * a document already saved (c->id). Writes nothing. */
static int save_check(bo_book *b, struct save_ctx *c, save_plan *pl, int *replay)
{
    const bo_invoice *v = c->v;
    int rc;
    *replay = 0;
    c->ntaxes = 0;
    bo__party party;
    if ((rc = bo__party_find(b, v->party, &party)))
        return bo__error_prefix("party: ");
    int side = bo__bill_side(v->kind);
    int need = side == BO_BILLING_RECEIVABLE ? BO_PARTY_CUSTOMER : BO_PARTY_VENDOR;
    if (!(party.roles & need))
        return bo__error_set(BO_EINVAL, "party '%s': not a %s", v->party,
                             need == BO_PARTY_CUSTOMER ? "customer" : "vendor");
    pl->cur = v->currency[0] ? v->currency
            : party.currency[0] ? party.currency : b->base_currency;
    if ((rc = digest_of(v, pl->cur, pl->digest)))
        return rc;
    int state;
    if ((rc = bo__idem_claim(b, SQL_BY_KEY, "billing document", v->key, pl->digest, &c->id,
                             &state)))
        return rc;
    if (state == BO__IDEM_REPLAY) {
        *replay = 1;
        return 0;
    }
    if (v->n == 0)
        return bo__error_set(BO_EINVAL, "lines: a document needs at least one line");
    if ((rc = doc_account(b, v, &party, side, pl)) ||
        (v->credits && (rc = credits_check(b, v, pl->cur))) ||
        (rc = plan_lines(b, c, side == BO_BILLING_PAYABLE, pl)))
        return rc;
    bo_date due = v->has_due ? v->due : v->date + party.terms_days;
    bo__date_iso(v->date, pl->date);
    bo__date_iso(due, pl->dues);
    pl->series = v->series ? v->series
               : v->kind == BO_INVOICE_SALES ? "INV"
               : v->kind == BO_INVOICE_PURCHASE ? "BILL"
               : v->kind == BO_INVOICE_SALES_CREDIT ? "CN" : "DN";
    return 0;
}

/* Insert the document, its lines and taxes; audit. */
static int save_write(bo_book *b, struct save_ctx *c, const save_plan *pl)
{
    const bo_invoice *v = c->v;
    int rc = bo__store_insert(b->store, SQL_INSERT, NULL, &c->id, "itittttitiiiitttt",
                              v->kind, pl->series, v->number, v->party, pl->date, pl->dues,
                              pl->cur, v->inclusive, pl->account, pl->net, pl->tax,
                              pl->total, v->credits, v->reference,
                              v->memo ? v->memo : "", v->key, pl->digest);
    if (!rc && !c->id)
        rc = bo__error_set(BO_ECONFLICT, "key: taken by another writer");
    for (int i = 0; i < v->n && !rc; i++) {
        const inv_line *l = &v->lines[i];
        rc = bo__store_run(b->store, SQL_INSERT_LINE, "iittiiitiii", c->id, (int64_t)(i + 1),
                           l->account, l->description, l->qty, l->price, l->disc,
                           l->tax, c->net[i], c->tax[i], c->net[i] + c->tax[i]);
    }
    for (int k = 0; k < c->ntaxes && !rc; k++)
        rc = bo__store_run(b->store, SQL_INSERT_TAX, "iittii", c->id, (int64_t)(k + 1),
                           c->taxes[k].rate, c->taxes[k].account, c->taxes[k].base,
                           c->taxes[k].amount);
    if (rc)
        return rc;
    char object[32];
    snprintf(object, sizeof object, "invoice:%" PRId64, c->id);
    return bo__audit_append(b, "billing.invoice.save", object, pl->digest);
}

static int save_tx(bo_book *b, void *p)
{
    save_plan pl = { .cur = NULL };
    int replay;
    int rc = save_check(b, p, &pl, &replay);
    return rc || replay ? rc : save_write(b, p, &pl);
}

int bo_billing_invoice_save(bo_book *book, const bo_invoice *invoice, int64_t *id)
{
    bo__error_clear();
    if (!book || !invoice)
        return bo__error_set(BO_EINVAL, "book/invoice: NULL");
    int rc = bo__require(book, BO__P_BILLING_POST);
    if (rc)
        return rc;
    struct save_ctx c = { invoice, 0, NULL, NULL, NULL, 0 };
    size_t n = (size_t)invoice->n + 1;
    c.net = bo__calloc(n, sizeof *c.net);
    c.tax = bo__calloc(n, sizeof *c.tax);
    c.taxes = bo__calloc(n * BO_TAX_RATES_MAX, sizeof *c.taxes);
    if (!c.net || !c.tax || !c.taxes)
        rc = BO_ENOMEM;
    else
        rc = bo__write(book, save_tx, &c);
    bo__free(c.net);
    bo__free(c.tax);
    bo__free(c.taxes);
    if (!rc && id)
        *id = c.id;
    return rc;
}
