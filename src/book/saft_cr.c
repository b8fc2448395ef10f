/*
 * The point-of-sale journal as a SAF-T Cash Register file, Norwegian
 * version 1.00 (docs/import-export.md has the mapping of every element).
 *
 * What the file holds: the company; the chart as the general ledger the
 * VAT lines point into; the tax rates as VAT codes; the cashiers as
 * employees; the items sold as articles; the fixed code lists ("basics")
 * the events, lines and payments are typed by; and one location with one
 * cash register per stock location that sold, took back or opened a till
 * in the period: its events (till sessions opened and closed, each sales
 * and return receipt) and its cash transactions (each sale and each
 * return, their lines, VAT and payments). A sale belongs to the location
 * of its first line, a return to the location of the line it takes back.
 * Each transaction's signature is the hash of its record in the book's
 * audit chain (keyVersion "audit-sha256"): the chain is what makes the
 * journal tamper-evident here.
 *
 * Shape of the work: one read snapshot; a first check that every sale's
 * lines add up to its total and every line's taxes to its tax (named
 * otherwise, nothing written); then the file is streamed through the
 * book's XML writer into a temporary file beside the target, renamed over
 * it at the end.
 */
#include "book/saft.h"
#include "book/transfer.h"
#include "core/book.h"
#include "inventory/inventory.h"
#include "ledger/ledger.h"
#include "util/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CR_NS "urn:StandardAuditFile-Taxation-CashRegister:NO"
#define CR_VERSION "1.00"
#define CR_KEY "audit-sha256"

typedef struct cr {
    bo_book *book;
    bo__store *st;
    bo_saft_options o;
    const char *cur;
    const char *location; /* the one location asked for, or NULL */
    int64_t location_id;
    char from[16], to[16];
    bo__xml_writer *w;
    bo__saft_map *taxcodes;
    size_t ntaxcodes;
    char *ttext;
} cr;

/* ---- small helpers ----------------------------------------------------- */

static int id_fits(const char *what, const char *s, size_t max)
{
    if (bo__saft_chars(s) > max)
        return bo__error_set(BO_ETOOLONG, "%s '%s': longer than the %zu characters "
                             "SAF-T allows", what, s, max);
    return 0;
}

/* Open a statement and bind its parameters ("tt": from, to, once, twice
 * ("tttt") or three times ("tttttt"); "tti": from, to and a location id;
 * "i": an id). */
static int query(cr *s, const char *sql, const char *types, int64_t id, bo__stmt **out)
{
    int rc = bo__stmt_new(s->st, sql, out);
    if (!rc && !strcmp(types, "tt"))
        rc = bo__stmt_bind(*out, "tt", s->from, s->to);
    else if (!rc && !strcmp(types, "tttt"))
        rc = bo__stmt_bind(*out, "tttt", s->from, s->to, s->from, s->to);
    else if (!rc && !strcmp(types, "tttttt"))
        rc = bo__stmt_bind(*out, "tttttt", s->from, s->to, s->from, s->to, s->from, s->to);
    else if (!rc && !strcmp(types, "tti"))
        rc = bo__stmt_bind(*out, "tti", s->from, s->to, id);
    else if (!rc && !strcmp(types, "i"))
        rc = bo__stmt_bind(*out, "i", id);
    if (rc) {
        bo__stmt_done(*out);
        *out = NULL;
    }
    return rc;
}

/* A quantity of scale decimals: 1500 at 3 -> "1.500". */
static void qty_str(int64_t q, int scale, char *out, size_t size)
{
    uint64_t u = q < 0 ? (uint64_t)0 - (uint64_t)q : (uint64_t)q, p = 1;
    for (int i = 0; i < scale; i++)
        p *= 10;
    if (!scale)
        snprintf(out, size, "%s%llu", q < 0 ? "-" : "", (unsigned long long)u);
    else
        snprintf(out, size, "%s%llu.%0*llu", q < 0 ? "-" : "", (unsigned long long)(u / p),
                 scale, (unsigned long long)(u % p));
}

/* The time of an audit record's "at" (YYYY-MM-DDTHH:MM:SS...), or
 * midnight when the record has none. */
static const char *time_of(const char *at, char buf[9])
{
    if (!at || strlen(at) < 19 || at[10] != 'T') {
        memcpy(buf, "00:00:00", 9);
        return buf;
    }
    memcpy(buf, at + 11, 8);
    buf[8] = '\0';
    return buf;
}

/* ---- the checks before anything is written ----------------------------- */

/* A sale whose lines do not add up to its total, or a line whose taxes do
 * not add up to its tax. */
static const char SQL_CHECK_SALES[] =
    "SELECT s.id, s.total, CAST(COALESCE((SELECT SUM(l.net + l.tax) FROM inv_sale_lines l"
    "  WHERE l.sale_id = s.id), 0) AS BIGINT)"
    " FROM inv_sales s WHERE s.date >= ? AND s.date <= ? AND s.total <>"
    " COALESCE((SELECT SUM(l.net + l.tax) FROM inv_sale_lines l WHERE l.sale_id = s.id), 0)"
    " ORDER BY s.id";
static const char SQL_CHECK_LINES[] =
    "SELECT l.sale_id, l.line FROM inv_sale_lines l JOIN inv_sales s ON s.id = l.sale_id"
    " WHERE s.date >= ? AND s.date <= ? AND l.tax <>"
    " COALESCE((SELECT SUM(t.amount) FROM inv_sale_taxes t"
    "  WHERE t.sale_id = l.sale_id AND t.line = l.line), 0)"
    " ORDER BY l.sale_id, l.line";

static int check_sales(cr *s)
{
    bo__stmt *rd;
    int rc = query(s, SQL_CHECK_SALES, "tt", 0, &rd);
    if (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        char a[48], b[48];
        bo__amount_str(bo__stmt_col_int(rd, 1), s->cur, a);
        bo__amount_str(bo__stmt_col_int(rd, 2), s->cur, b);
        rc = bo__error_set(BO_ECORRUPT, "sale %lld: its total %s differs from the sum of "
                           "its lines %s", (long long)bo__stmt_col_int(rd, 0), a, b);
    } else if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (rc)
        return rc;
    rc = query(s, SQL_CHECK_LINES, "tt", 0, &rd);
    if (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW)
        rc = bo__error_set(BO_ECORRUPT, "sale %lld, line %lld: its tax differs from the "
                           "sum of its tax rows", (long long)bo__stmt_col_int(rd, 0),
                           (long long)bo__stmt_col_int(rd, 1));
    else if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

/* ---- header and company -------------------------------------------------- */

static int header(cr *s)
{
    bo__xml_writer *w = s->w;
    char today[16], now[64], year[8], t[9];
    int rc = bo_date_format(bo_date_today(), today, sizeof today);
    bo__now_iso(now);
    snprintf(year, sizeof year, "%.4s", s->from);
    if (rc || (rc = bo__xml_start(w, "header", NULL)) ||
        (rc = bo__xml_elem(w, "fiscalYear", year)) ||
        (rc = bo__xml_elem(w, "startDate", s->from)) ||
        (rc = bo__xml_elem(w, "endDate", s->to)) ||
        (rc = bo__xml_elem(w, "curCode", s->cur)) ||
        (rc = bo__xml_elem(w, "dateCreated", today)) ||
        (rc = bo__xml_elem(w, "timeCreated", time_of(now, t))) ||
        (rc = bo__xml_elem(w, "softwareDesc", "libbackoffice")) ||
        (rc = bo__xml_elem(w, "softwareVersion", bo_version())) ||
        (rc = bo__xml_elem(w, "softwareCompanyName", "libbackoffice")) ||
        (rc = bo__xml_elem(w, "auditfileVersion", CR_VERSION)))
        return rc;
    if (s->location) {
        char c[160];
        snprintf(c, sizeof c, "Selection criteria: location %s", s->location);
        if ((rc = bo__xml_elem(w, "headerComment", c)))
            return rc;
    }
    return bo__xml_end(w);
}

/* ---- master data ------------------------------------------------------------ */

/* A section of master data: the rows of sql (its parameters as query()
 * binds them) inside one element wrap, written only when there is a row.
 * Each row is first checked (its identifiers fit), then written. */
typedef struct cr_section {
    const char *sql, *types, *wrap;
    int (*check)(cr *s, bo__stmt *rd);
    int (*write)(cr *s, bo__stmt *rd);
} cr_section;

static int section(cr *s, const cr_section *sec)
{
    bo__stmt *rd;
    int rc = query(s, sec->sql, sec->types, 0, &rd), open = 0;
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        if ((rc = sec->check(s, rd)))
            break;
        if (!open && (rc = bo__xml_start(s->w, sec->wrap, NULL)))
            break;
        open = 1;
        if ((rc = sec->write(s, rd)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = open ? bo__xml_end(s->w) : 0;
    bo__stmt_done(rd);
    return rc;
}

static const char SQL_ACCOUNTS[] = "SELECT code, name FROM accounts ORDER BY code";

static int account_check(cr *s, bo__stmt *rd)
{
    (void)s;
    return id_fits("account", bo__stmt_col_text(rd, 0), 35);
}

static int account_write(cr *s, bo__stmt *rd)
{
    char desc[4000];
    int rc;
    if ((rc = bo__xml_start(s->w, "ledgerAccount", NULL)) ||
        (rc = bo__xml_elem(s->w, "accID", bo__stmt_col_text(rd, 0))) ||
        (rc = bo__xml_elem(s->w, "accDesc", bo__saft_cut(bo__stmt_col_text(rd, 1), 999,
                                                         desc, sizeof desc))))
        return rc;
    return bo__xml_end(s->w);
}

static const cr_section LEDGER_ACCOUNTS = {
    SQL_ACCOUNTS, "", "generalLedger", account_check, account_write,
};

static const char SQL_TAX[] = "SELECT code, name, rate_ppm FROM tax_rates ORDER BY code";

static int vat_code_check(cr *s, bo__stmt *rd)
{
    const char *code = bo__stmt_col_text(rd, 0);
    const char *std = bo__saft_map_find(s->taxcodes, s->ntaxcodes, code);
    int rc;
    if ((rc = id_fits("tax rate", code, 20)) ||
        (std && (rc = id_fits("tax_codes: standard code", std, 9))))
        return rc;
    return 0;
}

static int vat_code_write(cr *s, bo__stmt *rd)
{
    char desc[400], pct[32];
    const char *code = bo__stmt_col_text(rd, 0);
    const char *std = bo__saft_map_find(s->taxcodes, s->ntaxcodes, code);
    int rc;
    bo__saft_percent(bo__stmt_col_int(rd, 2), pct, sizeof pct);
    if ((rc = bo__xml_start(s->w, "vatCodeDetail", NULL)) ||
        (rc = bo__xml_elem(s->w, "vatCode", code)) ||
        (rc = bo__xml_elem(s->w, "dateOfEntry", s->from)) ||
        (rc = bo__xml_elem(s->w, "vatDesc", bo__saft_cut(bo__stmt_col_text(rd, 1), 100,
                                                         desc, sizeof desc))) ||
        (rc = bo__xml_elem(s->w, "standardVatCode", std ? std : "NA")))
        return rc;
    return bo__xml_end(s->w);
}

static const cr_section VAT_CODES = {
    SQL_TAX, "", "vatCodeDetails", vat_code_check, vat_code_write,
};

/* The cashiers of the period: the actors of its sales, returns and till
 * sessions. */
static const char SQL_CASHIERS[] =
    "SELECT actor FROM inv_sales WHERE date >= ? AND date <= ? AND actor IS NOT NULL"
    " UNION SELECT a.actor FROM inv_returns r JOIN audit_log a"
    "  ON a.action = 'inventory.stock.return' AND a.object = 'move:' || CAST(r.move_id AS TEXT)"
    "  WHERE r.date >= ? AND r.date <= ? AND a.actor IS NOT NULL"
    " UNION SELECT cashier FROM inv_tills WHERE date >= ? AND date <= ? AND cashier <> ''"
    " ORDER BY 1";

static int employee_check(cr *s, bo__stmt *rd)
{
    (void)s;
    return id_fits("cashier", bo__stmt_col_text(rd, 0), 35);
}

static int employee_write(cr *s, bo__stmt *rd)
{
    char name[400];
    const char *id = bo__stmt_col_text(rd, 0);
    int rc;
    if ((rc = bo__xml_start(s->w, "employee", NULL)) ||
        (rc = bo__xml_elem(s->w, "empID", id)) ||
        (rc = bo__xml_elem(s->w, "dateOfEntry", s->from)) ||
        (rc = bo__xml_elem(s->w, "timeOfEntry", "00:00:00")) ||
        (rc = bo__xml_elem(s->w, "surName", bo__saft_cut(id, 100, name, sizeof name))) ||
        (rc = bo__xml_start(s->w, "employeeRole", NULL)) ||
        (rc = bo__xml_elem(s->w, "roleType", "Cashier")) ||
        (rc = bo__xml_end(s->w)))
        return rc;
    return bo__xml_end(s->w);
}

static const cr_section EMPLOYEES = {
    SQL_CASHIERS, "tttttt", "employees", employee_check, employee_write,
};

/* The items sold or taken back in the period. */
static const char SQL_ARTICLES[] =
    "SELECT i.sku, i.name FROM inv_items i WHERE EXISTS (SELECT 1 FROM inv_sale_lines l"
    "  JOIN inv_stock st ON st.id = l.stock_id JOIN inv_sales s ON s.id = l.sale_id"
    "  WHERE st.item_id = i.id AND s.date >= ? AND s.date <= ?)"
    " OR EXISTS (SELECT 1 FROM inv_returns r JOIN inv_sale_lines l"
    "  ON l.sale_id = r.sale_id AND l.line = r.line JOIN inv_stock st ON st.id = l.stock_id"
    "  WHERE st.item_id = i.id AND r.date >= ? AND r.date <= ?)"
    " ORDER BY i.sku";

static int article_check(cr *s, bo__stmt *rd)
{
    (void)s;
    return id_fits("item", bo__stmt_col_text(rd, 0), 35);
}

static int article_write(cr *s, bo__stmt *rd)
{
    char desc[4000];
    int rc;
    if ((rc = bo__xml_start(s->w, "article", NULL)) ||
        (rc = bo__xml_elem(s->w, "artID", bo__stmt_col_text(rd, 0))) ||
        (rc = bo__xml_elem(s->w, "dateOfEntry", s->from)) ||
        (rc = bo__xml_elem(s->w, "artDesc", bo__saft_cut(bo__stmt_col_text(rd, 1), 999,
                                                         desc, sizeof desc))))
        return rc;
    return bo__xml_end(s->w);
}

static const cr_section ARTICLES = {
    SQL_ARTICLES, "tttt", "articles", article_check, article_write,
};

/* The code lists the file's types point into (the standard's predefined
 * codes: 05 line types, 11 transaction types, 12 payment types, 13 event
 * types). */
static const struct {
    const char *type, *id, *predefined, *desc;
} BASICS[] = {
    { "05", "SAL", NULL, "Sale line" },
    { "05", "RET", NULL, "Return line" },
    { "11", "CASHSAL", "11001", "Cash sale" },
    { "11", "RETURNSAL", "11006", "Return sale" },
    { "13", "EMPIN", "13003", "Till session opened (employee log in)" },
    { "13", "EMPOUT", "13004", "Till session closed (employee log out)" },
    { "13", "SALREC", "13012", "Sales receipt" },
    { "13", "RETREC", "13013", "Return receipt" },
};

static int basic(cr *s, const char *type, const char *id, const char *pre, const char *desc)
{
    int rc;
    if ((rc = bo__xml_start(s->w, "basic", NULL)) ||
        (rc = bo__xml_elem(s->w, "basicType", type)) ||
        (rc = bo__xml_elem(s->w, "basicID", id)) ||
        (rc = bo__xml_elem(s->w, "predefinedBasicID", pre)) ||
        (rc = bo__xml_elem(s->w, "basicDesc", desc)))
        return rc;
    return bo__xml_end(s->w);
}

/* The payment methods used: cash is 12001, card 12002, the rest 12999. */
static const char SQL_METHODS[] =
    "SELECT p.method FROM inv_sale_payments p JOIN inv_sales s ON s.id = p.sale_id"
    " WHERE s.date >= ? AND s.date <= ?"
    " UNION SELECT method FROM inv_returns WHERE date >= ? AND date <= ? ORDER BY 1";

static int basics(cr *s)
{
    int rc = bo__xml_start(s->w, "basics", NULL);
    for (size_t i = 0; !rc && i < sizeof BASICS / sizeof BASICS[0]; i++)
        rc = basic(s, BASICS[i].type, BASICS[i].id, BASICS[i].predefined, BASICS[i].desc);
    bo__stmt *rd = NULL;
    int cash = 0;
    if (!rc)
        rc = query(s, SQL_METHODS, "tttt", 0, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        const char *m = bo__stmt_col_text(rd, 0);
        if ((rc = id_fits("payment method", m, 35)))
            break;
        cash |= !strcmp(m, "cash");
        rc = basic(s, "12", m, !strcmp(m, "cash") ? "12001" : !strcmp(m, "card") ? "12002"
                                                                                  : "12999",
                   m);
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    /* change given back is a cash payment out */
    if (!rc && !cash)
        rc = basic(s, "12", "cash", "12001", "cash");
    return rc ? rc : bo__xml_end(s->w);
}

/* ---- locations, their events and transactions ----------------------------- */

/* The sale's location: its first line's. */
#define SALE_LOCATION                                                                      \
    "(SELECT st.location_id FROM inv_sale_lines l JOIN inv_stock st ON st.id = l.stock_id" \
    " WHERE l.sale_id = s.id ORDER BY l.line LIMIT 1)"

static const char SQL_SALES[] =
    "SELECT s.id, s.date, s.memo, s.customer, s.total, s.tax, s.change_given, s.actor,"
    " a.at, a.hash FROM inv_sales s LEFT JOIN audit_log a ON a.action = 'inventory.sale.post'"
    " AND a.object = 'sale:' || CAST(s.id AS TEXT)"
    " WHERE s.date >= ? AND s.date <= ? AND " SALE_LOCATION " = ? ORDER BY s.id";

static const char SQL_RETURNS[] =
    "SELECT r.id, r.sale_id, r.line, r.qty, r.date, r.method, r.net, r.tax, i.sku, i.scale,"
    " a.actor, a.at, a.hash,"
    " (SELECT MIN(t.rate) FROM inv_sale_taxes t WHERE t.sale_id = r.sale_id"
    "  AND t.line = r.line),"
    " (SELECT COUNT(DISTINCT t.rate) FROM inv_sale_taxes t WHERE t.sale_id = r.sale_id"
    "  AND t.line = r.line)"
    " FROM inv_returns r JOIN inv_sale_lines l ON l.sale_id = r.sale_id AND l.line = r.line"
    " JOIN inv_stock st ON st.id = l.stock_id JOIN inv_items i ON i.id = st.item_id"
    " LEFT JOIN audit_log a ON a.action = 'inventory.stock.return'"
    " AND a.object = 'move:' || CAST(r.move_id AS TEXT)"
    " WHERE r.date >= ? AND r.date <= ? AND st.location_id = ? ORDER BY r.id";

static const char SQL_TILLS[] =
    "SELECT id, cashier, date, close_date FROM inv_tills"
    " WHERE date >= ? AND date <= ? AND location_id = ? ORDER BY id";

static int event(cr *s, const char *id, const char *type, const char *trans, const char *emp,
                 const char *date, const char *time)
{
    int rc;
    if ((rc = bo__xml_start(s->w, "event", NULL)) ||
        (rc = bo__xml_elem(s->w, "eventID", id)) ||
        (rc = bo__xml_elem(s->w, "eventType", type)) ||
        (rc = bo__xml_elem(s->w, "transID", trans)) ||
        (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
        (rc = bo__xml_elem(s->w, "eventDate", date)) ||
        (rc = bo__xml_elem(s->w, "eventTime", time)))
        return rc;
    return bo__xml_end(s->w);
}

static int events(cr *s, int64_t loc)
{
    bo__stmt *rd;
    char id[40], tr[40], t[9];
    int rc = query(s, SQL_TILLS, "tti", loc, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        long long till = (long long)bo__stmt_col_int(rd, 0);
        const char *who = bo__stmt_col_text(rd, 1);
        snprintf(id, sizeof id, "T%lld-open", till);
        rc = event(s, id, "EMPIN", NULL, who, bo__stmt_col_text(rd, 2), "00:00:00");
        if (!rc && !bo__stmt_is_null(rd, 3)) {
            snprintf(id, sizeof id, "T%lld-close", till);
            rc = event(s, id, "EMPOUT", NULL, who, bo__stmt_col_text(rd, 3), "23:59:59");
        }
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (rc || (rc = query(s, SQL_SALES, "tti", loc, &rd)))
        return rc;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        long long sale = (long long)bo__stmt_col_int(rd, 0);
        snprintf(id, sizeof id, "S%lld", sale);
        snprintf(tr, sizeof tr, "S%lld", sale);
        if ((rc = event(s, id, "SALREC", tr, bo__stmt_col_text(rd, 7), bo__stmt_col_text(rd, 1),
                        time_of(bo__stmt_col_text(rd, 8), t))))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (rc || (rc = query(s, SQL_RETURNS, "tti", loc, &rd)))
        return rc;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        long long ret = (long long)bo__stmt_col_int(rd, 0);
        snprintf(id, sizeof id, "R%lld", ret);
        snprintf(tr, sizeof tr, "R%lld", ret);
        if ((rc = event(s, id, "RETREC", tr, bo__stmt_col_text(rd, 10),
                        bo__stmt_col_text(rd, 4), time_of(bo__stmt_col_text(rd, 11), t))))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

/* <vat> with a code and percentage when known. */
static int vat_elem(cr *s, const char *code, int64_t ppm, int have_ppm, int64_t amount,
                    const char *tp, int64_t base, const char *account)
{
    char pct[32], p3[40];
    int rc;
    if ((rc = bo__xml_start(s->w, "vat", NULL)) ||
        (code && (rc = bo__xml_elem(s->w, "vatCode", code))))
        return rc;
    if (have_ppm) { /* Decimal8: at most 3 decimals */
        bo__saft_percent(ppm, pct, sizeof pct);
        const char *dot = strchr(pct, '.');
        snprintf(p3, sizeof p3, "%.*s", dot && strlen(dot) > 4 ? (int)(dot - pct) + 4
                                                                : (int)strlen(pct), pct);
        if ((rc = bo__xml_elem(s->w, "vatPerc", p3)))
            return rc;
    }
    if ((rc = bo__xml_elem_amount(s->w, "vatAmnt", amount, s->cur)) ||
        (rc = bo__xml_elem(s->w, "vatAmntTp", tp)) ||
        (rc = bo__xml_elem_amount(s->w, "vatBasAmnt", base, s->cur)) ||
        (account && (rc = bo__xml_elem(s->w, "accID", account))))
        return rc;
    return bo__xml_end(s->w);
}

static const char SQL_LINES[] =
    "SELECT l.line, i.sku, i.scale, l.qty, l.net, l.tax,"
    " (SELECT COUNT(DISTINCT t.rate) FROM inv_sale_taxes t WHERE t.sale_id = l.sale_id"
    "  AND t.line = l.line),"
    " (SELECT MIN(t.rate) FROM inv_sale_taxes t WHERE t.sale_id = l.sale_id"
    "  AND t.line = l.line),"
    " (SELECT MIN(r.rate_ppm) FROM inv_sale_taxes t JOIN tax_rates r ON r.code = t.rate"
    "  WHERE t.sale_id = l.sale_id AND t.line = l.line)"
    " FROM inv_sale_lines l JOIN inv_stock st ON st.id = l.stock_id"
    " JOIN inv_items i ON i.id = st.item_id WHERE l.sale_id = ? ORDER BY l.line";

static const char SQL_SALE_VAT[] =
    "SELECT t.rate, MIN(r.rate_ppm), MIN(t.account), CAST(SUM(t.amount) AS BIGINT),"
    " CAST(SUM(l.net) AS BIGINT), COUNT(r.code)"
    " FROM inv_sale_taxes t JOIN inv_sale_lines l ON l.sale_id = t.sale_id AND l.line = t.line"
    " LEFT JOIN tax_rates r ON r.code = t.rate WHERE t.sale_id = ? GROUP BY t.rate"
    " ORDER BY t.rate";

static const char SQL_SALE_PAY[] =
    "SELECT method, amount FROM inv_sale_payments WHERE sale_id = ? ORDER BY seq";

static int payment(cr *s, const char *method, int64_t amount, const char *emp, const char *ref)
{
    int rc;
    if ((rc = bo__xml_start(s->w, "payment", NULL)) ||
        (rc = bo__xml_elem(s->w, "paymentType", method)) ||
        (rc = bo__xml_elem_amount(s->w, "paidAmnt", amount, s->cur)) ||
        (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
        (rc = bo__xml_elem(s->w, "curCode", s->cur)) ||
        (rc = bo__xml_elem(s->w, "paymentRefID", ref)))
        return rc;
    return bo__xml_end(s->w);
}

static int sale_details(cr *s, int64_t sale, const char *emp, const char *date,
                        const char *time)
{
    bo__stmt *rd;
    char nr[32], q[48], line[16];
    snprintf(nr, sizeof nr, "%lld", (long long)sale);
    int rc = query(s, SQL_LINES, "i", sale, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        int64_t net = bo__stmt_col_int(rd, 4), tax = bo__stmt_col_int(rd, 5), in;
        const char *sku = bo__stmt_col_text(rd, 1);
        if (bo_money_add(net, tax, &in)) {
            rc = bo__error_set(BO_EOVERFLOW, "sale %s: a line's amount overflows", nr);
            break;
        }
        snprintf(line, sizeof line, "%lld", (long long)bo__stmt_col_int(rd, 0));
        qty_str(bo__stmt_col_int(rd, 3), (int)bo__stmt_col_int(rd, 2), q, sizeof q);
        int single = bo__stmt_col_int(rd, 6) == 1;
        if ((rc = bo__xml_start(s->w, "ctLine", NULL)) ||
            (rc = bo__xml_elem(s->w, "nr", nr)) || (rc = bo__xml_elem(s->w, "lineID", line)) ||
            (rc = bo__xml_elem(s->w, "lineType", "SAL")) ||
            (rc = bo__xml_elem(s->w, "artID", sku)) || (rc = bo__xml_elem(s->w, "qnt", q)) ||
            (rc = bo__xml_elem_amount(s->w, "lineAmntIn", in, s->cur)) ||
            (rc = bo__xml_elem_amount(s->w, "lineAmntEx", net, s->cur)) ||
            (rc = bo__xml_elem(s->w, "amntTp", "C")) ||
            (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
            (rc = bo__xml_elem(s->w, "lineDate", date)) ||
            (rc = bo__xml_elem(s->w, "lineTime", time)))
            break;
        if (bo__stmt_col_int(rd, 6) > 0 &&
            (rc = vat_elem(s, single ? bo__stmt_col_text(rd, 7) : NULL,
                           bo__stmt_col_int(rd, 8), single && !bo__stmt_is_null(rd, 8), tax,
                           "C", net, NULL)))
            break;
        if ((rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (rc || (rc = query(s, SQL_SALE_VAT, "i", sale, &rd)))
        return rc;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        if ((rc = id_fits("tax account", bo__stmt_col_text(rd, 2), 35)) ||
            (rc = vat_elem(s, bo__stmt_col_text(rd, 0), bo__stmt_col_int(rd, 1),
                           bo__stmt_col_int(rd, 5) > 0, bo__stmt_col_int(rd, 3), "C",
                           bo__stmt_col_int(rd, 4), bo__stmt_col_text(rd, 2))))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (rc || (rc = query(s, SQL_SALE_PAY, "i", sale, &rd)))
        return rc;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        if ((rc = payment(s, bo__stmt_col_text(rd, 0), bo__stmt_col_int(rd, 1), emp, NULL)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

static int sales(cr *s, int64_t loc)
{
    bo__stmt *rd;
    char nr[32], tr[40], t[9], desc[4000];
    int rc = query(s, SQL_SALES, "tti", loc, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t id = bo__stmt_col_int(rd, 0), total = bo__stmt_col_int(rd, 4);
        int64_t tax = bo__stmt_col_int(rd, 5), change = bo__stmt_col_int(rd, 6), ex, out;
        const char *emp = bo__stmt_col_text(rd, 7), *date = bo__stmt_col_text(rd, 1);
        const char *cust = bo__stmt_col_text(rd, 3);
        if (bo_money_sub(total, tax, &ex) || bo_money_neg(change, &out)) {
            rc = bo__error_set(BO_EOVERFLOW, "sale %lld: its amounts overflow", (long long)id);
            break;
        }
        if (cust && (rc = id_fits("customer", cust, 35)))
            break;
        snprintf(nr, sizeof nr, "%lld", (long long)id);
        snprintf(tr, sizeof tr, "S%lld", (long long)id);
        time_of(bo__stmt_col_text(rd, 8), t);
        if ((rc = bo__xml_start(s->w, "cashtransaction", NULL)) ||
            (rc = bo__xml_elem(s->w, "nr", nr)) || (rc = bo__xml_elem(s->w, "transID", tr)) ||
            (rc = bo__xml_elem(s->w, "transType", "CASHSAL")) ||
            (rc = bo__xml_elem_amount(s->w, "transAmntIn", total, s->cur)) ||
            (rc = bo__xml_elem_amount(s->w, "transAmntEx", ex, s->cur)) ||
            (rc = bo__xml_elem(s->w, "amntTp", "C")) ||
            (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
            (rc = bo__xml_elem(s->w, "custSupID", cust && cust[0] ? cust : NULL)) ||
            (rc = bo__xml_elem(s->w, "transDate", date)) ||
            (rc = bo__xml_elem(s->w, "transTime", t)) ||
            (rc = bo__xml_elem(s->w, "desc", bo__saft_cut(bo__stmt_col_text(rd, 2), 999, desc,
                                                          sizeof desc))) ||
            (rc = sale_details(s, id, emp, date, t)))
            break;
        /* the change given back: cash paid out, so the payments add up to
         * the total */
        if (change && (rc = payment(s, "cash", out, emp, "change")))
            break;
        if ((rc = bo__xml_elem(s->w, "signature", bo__stmt_is_null(rd, 9)
                                                      ? "-" : bo__stmt_col_text(rd, 9))) ||
            (rc = bo__xml_elem(s->w, "keyVersion", CR_KEY)) || (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

static int returns(cr *s, int64_t loc)
{
    bo__stmt *rd;
    char nr[32], tr[40], ref[40], t[9], q[48], line[16];
    int rc = query(s, SQL_RETURNS, "tti", loc, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t id = bo__stmt_col_int(rd, 0), net = bo__stmt_col_int(rd, 6);
        int64_t tax = bo__stmt_col_int(rd, 7), in, out;
        const char *emp = bo__stmt_col_text(rd, 10), *date = bo__stmt_col_text(rd, 4);
        const char *method = bo__stmt_col_text(rd, 5), *rate = bo__stmt_col_text(rd, 13);
        int single = bo__stmt_col_int(rd, 14) == 1;
        if (bo_money_add(net, tax, &in) || bo_money_neg(in, &out)) {
            rc = bo__error_set(BO_EOVERFLOW, "return %lld: its amounts overflow",
                               (long long)id);
            break;
        }
        snprintf(nr, sizeof nr, "%lld", (long long)id);
        snprintf(tr, sizeof tr, "R%lld", (long long)id);
        snprintf(ref, sizeof ref, "S%lld", (long long)bo__stmt_col_int(rd, 1));
        snprintf(line, sizeof line, "%lld", (long long)bo__stmt_col_int(rd, 2));
        qty_str(bo__stmt_col_int(rd, 3), (int)bo__stmt_col_int(rd, 9), q, sizeof q);
        time_of(bo__stmt_col_text(rd, 11), t);
        if ((rc = bo__xml_start(s->w, "cashtransaction", NULL)) ||
            (rc = bo__xml_elem(s->w, "nr", nr)) || (rc = bo__xml_elem(s->w, "transID", tr)) ||
            (rc = bo__xml_elem(s->w, "transType", "RETURNSAL")) ||
            (rc = bo__xml_elem_amount(s->w, "transAmntIn", in, s->cur)) ||
            (rc = bo__xml_elem_amount(s->w, "transAmntEx", net, s->cur)) ||
            (rc = bo__xml_elem(s->w, "amntTp", "D")) ||
            (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
            (rc = bo__xml_elem(s->w, "transDate", date)) ||
            (rc = bo__xml_elem(s->w, "transTime", t)) ||
            (rc = bo__xml_elem(s->w, "refID", ref)) ||
            (rc = bo__xml_start(s->w, "ctLine", NULL)) ||
            (rc = bo__xml_elem(s->w, "nr", nr)) || (rc = bo__xml_elem(s->w, "lineID", line)) ||
            (rc = bo__xml_elem(s->w, "lineType", "RET")) ||
            (rc = bo__xml_elem(s->w, "artID", bo__stmt_col_text(rd, 8))) ||
            (rc = bo__xml_elem(s->w, "qnt", q)) ||
            (rc = bo__xml_elem_amount(s->w, "lineAmntIn", in, s->cur)) ||
            (rc = bo__xml_elem_amount(s->w, "lineAmntEx", net, s->cur)) ||
            (rc = bo__xml_elem(s->w, "amntTp", "D")) ||
            (rc = bo__xml_elem(s->w, "empID", emp && emp[0] ? emp : NULL)) ||
            (rc = bo__xml_elem(s->w, "lineDate", date)) ||
            (rc = bo__xml_elem(s->w, "lineTime", t)))
            break;
        if (rate && (rc = vat_elem(s, single ? rate : NULL, 0, 0, tax, "D", net, NULL)))
            break;
        if ((rc = bo__xml_end(s->w)) ||
            (rate && (rc = vat_elem(s, single ? rate : NULL, 0, 0, tax, "D", net, NULL))) ||
            (rc = payment(s, method, out, emp, NULL)) ||
            (rc = bo__xml_elem(s->w, "signature", bo__stmt_is_null(rd, 12)
                                                      ? "-" : bo__stmt_col_text(rd, 12))) ||
            (rc = bo__xml_elem(s->w, "keyVersion", CR_KEY)) || (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

/* The locations with a sale, a return or a till session in the period (or
 * the one asked for). */
static const char SQL_LOCATIONS[] =
    "SELECT l.id, l.code, l.name FROM inv_locations l WHERE l.id = ? OR (? = 0 AND ("
    " EXISTS (SELECT 1 FROM inv_sales s WHERE s.date >= ? AND s.date <= ?"
    "  AND " SALE_LOCATION " = l.id)"
    " OR EXISTS (SELECT 1 FROM inv_returns r JOIN inv_sale_lines sl ON sl.sale_id = r.sale_id"
    "  AND sl.line = r.line JOIN inv_stock st ON st.id = sl.stock_id"
    "  WHERE st.location_id = l.id AND r.date >= ? AND r.date <= ?)"
    " OR EXISTS (SELECT 1 FROM inv_tills t WHERE t.location_id = l.id"
    "  AND t.date >= ? AND t.date <= ?))) ORDER BY l.code";

static int locations(cr *s)
{
    bo__stmt *rd;
    char name[400], code[120];
    int rc = bo__stmt_new(s->st, SQL_LOCATIONS, &rd);
    if (!rc && (rc = bo__stmt_bind(rd, "iitttttt", s->location_id, s->location_id, s->from,
                                   s->to, s->from, s->to, s->from, s->to))) {
        bo__stmt_done(rd);
        return rc;
    }
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        int64_t id = bo__stmt_col_int(rd, 0);
        snprintf(code, sizeof code, "%s", bo__stmt_col_text(rd, 1));
        if ((rc = bo__xml_start(s->w, "location", NULL)) ||
            (rc = bo__xml_elem(s->w, "name", bo__saft_cut(bo__stmt_col_text(rd, 2), 100, name,
                                                          sizeof name))) ||
            (rc = bo__xml_start(s->w, "cashregister", NULL)) ||
            (rc = bo__xml_elem(s->w, "registerID", bo__saft_cut(code, 100, name, sizeof name))) ||
            (rc = bo__xml_elem(s->w, "regDesc", "The location's till")) ||
            (rc = events(s, id)) || (rc = sales(s, id)) || (rc = returns(s, id)) ||
            (rc = bo__xml_end(s->w)) || (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

static int company(cr *s)
{
    const char *name = s->o.company_name ? s->o.company_name : bo_book_name(s->book);
    char n[400];
    int rc;
    if (!name || !name[0])
        name = "-";
    if ((rc = bo__xml_start(s->w, "company", NULL)) ||
        (rc = bo__xml_elem(s->w, "companyIdent", s->o.registration_number)) ||
        (rc = bo__xml_elem(s->w, "companyName", bo__saft_cut(name, 100, n, sizeof n))) ||
        (rc = bo__xml_elem(s->w, "taxRegistrationCountry", s->o.country)) ||
        (rc = bo__xml_elem(s->w, "taxRegIdent", s->o.vat_number)) ||
        (rc = section(s, &LEDGER_ACCOUNTS)) || (rc = section(s, &VAT_CODES)) ||
        (rc = section(s, &EMPLOYEES)) || (rc = section(s, &ARTICLES)) || (rc = basics(s)) ||
        (rc = locations(s)))
        return rc;
    return bo__xml_end(s->w);
}

/* ---- the call ------------------------------------------------------------ */

static int check_options(cr *s, const bo_saft_options *opts)
{
    int rc;
    if (!opts)
        return bo__error_set(BO_EINVAL, "options: NULL (registration_number is required)");
    if (opts->version < 1 || opts->version > BO_SAFT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", opts->version,
                             BO_SAFT_OPTIONS_VERSION);
    s->o = *opts;
    if (!s->o.country)
        s->o.country = "NO";
    if ((rc = bo__text_check("registration_number", s->o.registration_number, 35, false,
                             false)) ||
        (rc = bo__text_check("company_name", s->o.company_name, BO_TEXT_MAX, true, true)) ||
        (rc = bo__text_check("vat_number", s->o.vat_number, 50, true, false)) ||
        (rc = bo__text_check("location", s->location, 256, true, false)))
        return rc;
    const char *c = s->o.country;
    if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z')
        return bo__error_set(BO_EINVAL, "country: '%s' is not an ISO 3166 code "
                             "(two capital letters)", c);
    if (s->o.from > s->o.to)
        return bo__error_set(BO_EINVAL, "from: after to");
    return bo__saft_map_parse("tax_codes", s->o.tax_codes, &s->ttext, &s->taxcodes,
                              &s->ntaxcodes);
}

/* The selection's dates: as given, or the first and last sale's, return's
 * or till session's (today when there is none). */
static const char SQL_PERIOD[] =
    "SELECT MIN(d), MAX(d) FROM (SELECT date AS d FROM inv_sales"
    " UNION ALL SELECT date FROM inv_returns UNION ALL SELECT date FROM inv_tills) x";

static int period(cr *s)
{
    return bo__saft_period(s->st, SQL_PERIOD, "sales", s->o.from, s->o.to, s->from, s->to);
}

static int find_location(cr *s)
{
    if (!s->location)
        return 0;
    int found = 0;
    int rc = bo__store_row(s->st, "SELECT id FROM inv_locations WHERE code = ?", &found,
                           "t>i", s->location, &s->location_id);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "location '%s': no such location", s->location);
    return rc;
}

int bo_book_export_saft_cr(bo_book *book, const char *path, const bo_saft_options *opts,
                           const char *location)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    cr s;
    memset(&s, 0, sizeof s);
    s.book = book;
    s.st = book->store;
    s.cur = book->base_currency;
    s.location = location;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = check_options(&s, opts)))
        goto done;
    if ((rc = bo__saft_begin(book, BO__P_LEDGER_READ | BO__P_INVENTORY_READ)))
        goto done;
    bo__outfile of = { 0 };
    if (!(rc = find_location(&s)) && !(rc = period(&s)) && !(rc = check_sales(&s)) &&
        !(rc = bo__saft_open(&of, path, &s.w, "auditfile", CR_NS)) && !(rc = header(&s)))
        rc = company(&s);
    rc = bo__saft_end(book, &of, &s.w, rc);
done:
    bo__free(s.taxcodes);
    bo__free(s.ttext);
    if (rc)
        bo__error_prefix("SAF-T Cash Register: ");
    return rc;
}
