/*
 * The book as a SAF-T Financial file, Norwegian profile 1.30
 * (docs/import-export.md has the mapping of every element).
 *
 * Shape of the work: one read snapshot; a first pass over the selected
 * entries checks them (every posting has a book-currency value, every
 * entry sums to zero in it) and adds up the control totals the header of
 * each section states before its records; then the file is streamed
 * through the book's XML writer (util/xml.h) into a temporary file beside
 * the target, renamed over it at the end. Memory stays flat: rows are
 * read with cursors, never gathered.
 */
#include "book/saft.h"
#include "book/transfer.h"
#include "billing/billing.h"
#include "commerce/commerce.h"
#include "core/book.h"
#include "ledger/ledger.h"
#include "util/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SAFT_NS "urn:StandardAuditFile-Taxation-Financial:NO"
#define SAFT_VERSION "1.30"

typedef struct saft {
    bo_book *book;
    bo__store *st;
    bo_saft_options o;
    const char *cur; /* the book currency */
    char from[16], to[16];
    bo__xml_writer *w;
    bo__saft_map *grouping, *taxcodes;
    size_t ngrouping, ntaxcodes;
    char *gtext, *ttext;
    /* the first pass's control totals */
    int64_t entries, debit, credit;
} saft;

/* ---- small helpers ----------------------------------------------------- */

/* s cut to at most max characters (SAF-T's lengths count characters) into
 * buf; descriptions only, never identifiers or amounts. */
const char *bo__saft_cut(const char *s, size_t max, char *buf, size_t size)
{
    size_t chars = 0, i = 0, keep = 0;
    if (!s)
        s = "";
    for (;; i++) {
        int start = ((unsigned char)s[i] & 0xC0) != 0x80;
        if (start) { /* a character ends before s[i] */
            keep = i;
            if (!s[i] || chars == max)
                break;
            chars++;
        }
        if (i + 1 >= size)
            break;
    }
    memcpy(buf, s, keep);
    buf[keep] = '\0';
    return buf;
}

size_t bo__saft_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* An identifier SAF-T bounds at max characters: refused, never cut. */
static int id_fits(const char *what, const char *s, size_t max)
{
    if (bo__saft_chars(s) > max)
        return bo__error_set(BO_ETOOLONG, "%s '%s': longer than the %zu characters "
                             "SAF-T allows", what, s, max);
    return 0;
}

/* Parse "KEY VALUE" lines (blank lines and '#' comments skipped). */
int bo__saft_map_parse(const char *field, const char *text, char **copy, bo__saft_map **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!text)
        return 0;
    int rc = bo__text_check(field, text, 1u << 20, false, true);
    if (rc)
        return rc;
    if (!(*copy = bo__strdup(text)))
        return BO_ENOMEM;
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    if (!(*out = bo__calloc(cap, sizeof **out)))
        return BO_ENOMEM;
    int line = 0;
    for (char *p = *copy, *next; p; p = next) {
        line++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(p, '#');
        if (hash)
            *hash = '\0';
        char *k = strtok(p, " \t\r"), *v = k ? strtok(NULL, " \t\r") : NULL;
        if (!k)
            continue;
        if (!v || strtok(NULL, " \t\r"))
            return bo__error_set(BO_EINVAL, "%s: line %d: expected two words "
                                 "(our code and the standard code)", field, line);
        (*out)[*n].key = k;
        (*out)[(*n)++].value = v;
    }
    return 0;
}

const char *bo__saft_map_find(const bo__saft_map *m, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].key, key))
            return m[i].value;
    return NULL;
}

static int is_code(const char *s, size_t min, size_t max, int digits_only)
{
    size_t n = strlen(s);
    if (n < min || n > max)
        return 0;
    for (; *s; s++) {
        int d = *s >= '0' && *s <= '9';
        int a = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
        if (!d && (digits_only || !a))
            return 0;
    }
    return 1;
}

/* A posting's value in the book currency. */
static int base_of(saft *s, bo__stmt *rd, int amount_col, int cur_col, int base_col,
                   int64_t entry, int64_t line, int64_t *out)
{
    if (!bo__stmt_is_null(rd, base_col)) {
        *out = bo__stmt_col_int(rd, base_col);
        return 0;
    }
    if (!strcmp(bo__stmt_col_text(rd, cur_col), s->cur)) {
        *out = bo__stmt_col_int(rd, amount_col);
        return 0;
    }
    return bo__error_set(BO_ECORRUPT, "entry %lld, posting %lld: a %s posting without "
                         "a %s value (SAF-T states every amount in the book currency)",
                         (long long)entry, (long long)line, bo__stmt_col_text(rd, cur_col),
                         s->cur);
}

/* Open a statement on the snapshot and bind two dates (from, to). */
static int query(saft *s, const char *sql, bo__stmt **out)
{
    int rc = bo__stmt_new(s->st, sql, out);
    if (!rc && strchr(sql, '?'))
        rc = bo__stmt_bind(*out, "tt", s->from, s->to);
    if (rc) {
        bo__stmt_done(*out);
        *out = NULL;
    }
    return rc;
}

/* <name><Amount>x</Amount></name> in the book currency. */
static int amount_struct(saft *s, const char *name, int64_t v)
{
    int rc;
    if ((rc = bo__xml_start(s->w, name, NULL)) ||
        (rc = bo__xml_elem_amount(s->w, "Amount", v, s->cur)))
        return rc;
    return bo__xml_end(s->w);
}

static int absolute(int64_t v, int64_t *out, const char *what)
{
    if (v < 0 && bo_money_neg(v, out))
        return bo__error_set(BO_EOVERFLOW, "%s: the amount overflows", what);
    if (v >= 0)
        *out = v;
    return 0;
}

/* ---- the first pass: checks and control totals ------------------------- */

static const char SQL_LINES[] =
    "SELECT e.id, e.date, e.memo, p.line, a.code, p.amount, p.currency, p.base_amount,"
    " p.memo FROM entries e JOIN postings p ON p.entry_id = e.id"
    " JOIN accounts a ON a.id = p.account_id"
    " WHERE e.date >= ? AND e.date <= ? ORDER BY e.id, p.line";

static int check_entries(saft *s)
{
    bo__stmt *rd;
    int rc = query(s, SQL_LINES, &rd);
    int64_t cur = -1, sum = 0;
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t id = bo__stmt_col_int(rd, 0), v;
        if (id != cur) {
            if (cur >= 0 && sum != 0) {
                rc = bo__error_set(BO_ECORRUPT, "entry %lld: its lines sum to %lld in %s, "
                                   "not 0", (long long)cur, (long long)sum, s->cur);
                break;
            }
            cur = id;
            sum = 0;
            s->entries++;
        }
        if ((rc = base_of(s, rd, 5, 6, 7, id, bo__stmt_col_int(rd, 3), &v)))
            break;
        if (bo_money_add(sum, v, &sum) ||
            (v > 0 ? bo_money_add(s->debit, v, &s->debit)
                   : bo_money_sub(s->credit, v, &s->credit)))
            rc = bo__error_set(BO_EOVERFLOW, "entry %lld: the totals overflow",
                               (long long)id);
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    if (!rc && cur >= 0 && sum != 0)
        rc = bo__error_set(BO_ECORRUPT, "entry %lld: its lines sum to %lld in %s, not 0",
                           (long long)cur, (long long)sum, s->cur);
    if (!rc && s->debit != s->credit)
        rc = bo__error_set(BO_ECORRUPT, "the total debit differs from the total credit");
    bo__stmt_done(rd);
    return rc;
}

/* ---- header -------------------------------------------------------------- */

static int header(saft *s)
{
    bo__xml_writer *w = s->w;
    char today[16], name[260];
    int rc = bo_date_format(bo_date_today(), today, sizeof today);
    const char *company = s->o.company_name ? s->o.company_name : bo_book_name(s->book);
    if (!company || !company[0])
        company = "-";
    if (rc || (rc = bo__xml_start(w, "Header", NULL)) ||
        (rc = bo__xml_elem(w, "AuditFileVersion", SAFT_VERSION)) ||
        (rc = bo__xml_elem(w, "AuditFileCountry", s->o.country)) ||
        (rc = bo__xml_elem(w, "AuditFileDateCreated", today)) ||
        (rc = bo__xml_elem(w, "SoftwareCompanyName", "libbackoffice")) ||
        (rc = bo__xml_elem(w, "SoftwareID", "libbackoffice")) ||
        (rc = bo__xml_elem(w, "SoftwareVersion", bo_version())) ||
        (rc = bo__xml_start(w, "Company", NULL)) ||
        (rc = bo__xml_elem(w, "RegistrationNumber", s->o.registration_number)) ||
        (rc = bo__xml_elem(w, "Name", bo__saft_cut(company, 256, name, sizeof name))) ||
        (rc = bo__xml_start(w, "Contact", NULL)) ||
        (rc = bo__xml_start(w, "ContactPerson", NULL)) ||
        (rc = bo__xml_elem(w, "FirstName", s->o.contact_first_name)) ||
        (rc = bo__xml_elem(w, "LastName", s->o.contact_last_name)) ||
        (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)))
        return rc;
    if (s->o.vat_number &&
        ((rc = bo__xml_start(w, "TaxRegistration", NULL)) ||
         (rc = bo__xml_elem(w, "TaxRegistrationNumber", s->o.vat_number)) ||
         (rc = bo__xml_elem(w, "TaxType", "MVA")) || (rc = bo__xml_end(w))))
        return rc;
    if ((rc = bo__xml_end(w)) || /* Company */
        (rc = bo__xml_elem(w, "DefaultCurrencyCode", s->cur)) ||
        (rc = bo__xml_start(w, "SelectionCriteria", NULL)) ||
        (rc = bo__xml_elem(w, "SelectionStartDate", s->from)) ||
        (rc = bo__xml_elem(w, "SelectionEndDate", s->to)) || (rc = bo__xml_end(w)) ||
        (rc = bo__xml_elem(w, "TaxAccountingBasis", "A")))
        return rc;
    return bo__xml_end(w);
}

/* ---- master files -------------------------------------------------------- */

static const char SQL_ACCOUNTS[] =
    "SELECT a.code, a.name,"
    " CAST((SELECT COALESCE(SUM(COALESCE(p.base_amount, p.amount)), 0) FROM postings p"
    "  JOIN entries e ON e.id = p.entry_id WHERE p.account_id = a.id AND e.date < ?)"
    "  AS BIGINT),"
    " CAST((SELECT COALESCE(SUM(COALESCE(p.base_amount, p.amount)), 0) FROM postings p"
    "  JOIN entries e ON e.id = p.entry_id WHERE p.account_id = a.id AND e.date <= ?)"
    "  AS BIGINT)"
    " FROM accounts a ORDER BY a.code";

static int balance_elem(saft *s, const char *debit, const char *credit, int64_t v,
                        const char *code)
{
    int64_t a;
    int rc = absolute(v, &a, code);
    return rc ? rc : bo__xml_elem_amount(s->w, v >= 0 ? debit : credit, a, s->cur);
}

static int accounts(saft *s)
{
    bo__stmt *rd;
    int rc = query(s, SQL_ACCOUNTS, &rd);
    char desc[1100];
    if (!rc)
        rc = bo__xml_start(s->w, "GeneralLedgerAccounts", NULL);
    int any = 0;
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        const char *code = bo__stmt_col_text(rd, 0);
        const char *group = bo__saft_map_find(s->grouping, s->ngrouping, code);
        if (!group && is_code(code, 4, 4, 1))
            group = code;
        if (!group) {
            rc = bo__error_set(BO_EINVAL, "account %s: no grouping code (give it a line "
                               "in the grouping mapping)", code);
            break;
        }
        if ((rc = id_fits("grouping code", group, 35)))
            break;
        any = 1;
        if ((rc = bo__xml_start(s->w, "Account", NULL)) ||
            (rc = bo__xml_elem(s->w, "AccountID", code)) ||
            (rc = bo__xml_elem(s->w, "AccountDescription",
                               bo__saft_cut(bo__stmt_col_text(rd, 1), 256, desc, sizeof desc))) ||
            (rc = bo__xml_elem(s->w, "GroupingCategory", s->o.grouping_category)) ||
            (rc = bo__xml_elem(s->w, "GroupingCode", group)) ||
            (rc = bo__xml_elem(s->w, "AccountType", "GL")) ||
            (rc = balance_elem(s, "OpeningDebitBalance", "OpeningCreditBalance",
                               bo__stmt_col_int(rd, 2), code)) ||
            (rc = balance_elem(s, "ClosingDebitBalance", "ClosingCreditBalance",
                               bo__stmt_col_int(rd, 3), code)) ||
            (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = any ? bo__xml_end(s->w)
                 : bo__error_set(BO_EINVAL, "the book has no accounts (SAF-T needs one)");
    bo__stmt_done(rd);
    return rc;
}

static const char SQL_PARTIES[] =
    "SELECT code, name, tax_id, roles FROM parties ORDER BY code";

static int parties(saft *s, int role, const char *list, const char *one, const char *idname)
{
    bo__stmt *rd;
    int rc = query(s, SQL_PARTIES, &rd), open = 0;
    char name[1100];
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        if (!(bo__stmt_col_int(rd, 3) & role))
            continue;
        const char *code = bo__stmt_col_text(rd, 0);
        const char *tax = bo__stmt_col_text(rd, 2);
        if ((rc = id_fits(idname, code, 35)) ||
            (tax && tax[0] && (rc = id_fits("tax registration", tax, 35))))
            break;
        if (!open && (rc = bo__xml_start(s->w, list, NULL)))
            break;
        open = 1;
        if ((rc = bo__xml_start(s->w, one, NULL)) ||
            (rc = bo__xml_elem(s->w, "Name",
                               bo__saft_cut(bo__stmt_col_text(rd, 1), 256, name, sizeof name))))
            break;
        if (tax && tax[0] &&
            ((rc = bo__xml_start(s->w, "TaxRegistration", NULL)) ||
             (rc = bo__xml_elem(s->w, "TaxRegistrationNumber", tax)) ||
             (rc = bo__xml_end(s->w))))
            break;
        if ((rc = bo__xml_elem(s->w, idname, code)) || (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = open ? bo__xml_end(s->w) : 0;
    bo__stmt_done(rd);
    return rc;
}

/* 250000 ppm -> "25", 125000 -> "12.5". */
void bo__saft_percent(int64_t ppm, char *out, size_t size)
{
    int64_t whole = ppm / 10000, frac = ppm % 10000;
    if (!frac) {
        snprintf(out, size, "%lld", (long long)whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof f, "%04lld", (long long)frac);
    for (int i = 3; i > 0 && f[i] == '0'; i--)
        f[i] = '\0';
    snprintf(out, size, "%lld.%s", (long long)whole, f);
}

static const char SQL_TAX[] = "SELECT code, name, rate_ppm FROM tax_rates ORDER BY code";

static int tax_table(saft *s)
{
    bo__stmt *rd;
    int rc = query(s, SQL_TAX, &rd), open = 0;
    char desc[1100], pct[32];
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        const char *code = bo__stmt_col_text(rd, 0);
        const char *std = bo__saft_map_find(s->taxcodes, s->ntaxcodes, code);
        if (std && !is_code(std, 1, 2, 0)) {
            rc = bo__error_set(BO_EINVAL, "tax_codes: rate %s: '%s' is not a standard "
                               "tax code (1 or 2 letters or digits)", code, std);
            break;
        }
        if ((rc = id_fits("tax rate", code, 70)))
            break;
        if (!open && ((rc = bo__xml_start(s->w, "TaxTable", NULL)) ||
                      (rc = bo__xml_start(s->w, "TaxTableEntry", NULL)) ||
                      (rc = bo__xml_elem(s->w, "TaxType", "MVA")) ||
                      (rc = bo__xml_elem(s->w, "Description", "Merverdiavgift"))))
            break;
        open = 1;
        bo__saft_percent(bo__stmt_col_int(rd, 2), pct, sizeof pct);
        if ((rc = bo__xml_start(s->w, "TaxCodeDetails", NULL)) ||
            (rc = bo__xml_elem(s->w, "TaxCode", code)) ||
            (rc = bo__xml_elem(s->w, "Description",
                               bo__saft_cut(bo__stmt_col_text(rd, 1), 256, desc, sizeof desc))) ||
            (rc = bo__xml_elem(s->w, "TaxPercentage", pct)) ||
            (rc = bo__xml_elem(s->w, "Country", s->o.country)) ||
            (rc = bo__xml_elem(s->w, "StandardTaxCode", std ? std : "NA")) ||
            (rc = bo__xml_elem(s->w, "BaseRate", "100")) || (rc = bo__xml_end(s->w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = open ? ((rc = bo__xml_end(s->w)) ? rc : bo__xml_end(s->w)) : 0;
    bo__stmt_done(rd);
    return rc;
}

static int master_files(saft *s)
{
    int rc;
    if ((rc = bo__xml_start(s->w, "MasterFiles", NULL)) || (rc = accounts(s)) ||
        (rc = parties(s, BO_PARTY_CUSTOMER, "Customers", "Customer", "CustomerID")) ||
        (rc = parties(s, BO_PARTY_VENDOR, "Suppliers", "Supplier", "SupplierID")) ||
        (rc = tax_table(s)))
        return rc;
    return bo__xml_end(s->w);
}

/* ---- general ledger entries ---------------------------------------------- */

static int ymd(const char *date, int *y, int *m)
{
    bo_date d;
    int day;
    if (bo_date_parse(date, &d) || bo_date_to_ymd(d, y, m, &day))
        return bo__error_set(BO_ECORRUPT, "date '%s': not a date", date);
    return 0;
}

static int entries(saft *s)
{
    bo__xml_writer *w = s->w;
    int rc;
    if ((rc = bo__xml_start(w, "GeneralLedgerEntries", NULL)) ||
        (rc = bo__xml_elem_int(w, "NumberOfEntries", s->entries)) ||
        (rc = bo__xml_elem_amount(w, "TotalDebit", s->debit, s->cur)) ||
        (rc = bo__xml_elem_amount(w, "TotalCredit", s->credit, s->cur)))
        return rc;
    if (!s->entries)
        return bo__xml_end(w);
    if ((rc = bo__xml_start(w, "Journal", NULL)) ||
        (rc = bo__xml_elem(w, "JournalID", "GL")) ||
        (rc = bo__xml_elem(w, "Description", "General ledger")) ||
        (rc = bo__xml_elem(w, "Type", "GL")))
        return rc;
    bo__stmt *rd;
    if ((rc = query(s, SQL_LINES, &rd)))
        return rc;
    int64_t cur = -1;
    char memo[1100], id[32];
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t eid = bo__stmt_col_int(rd, 0), line = bo__stmt_col_int(rd, 3), v, a;
        const char *date = bo__stmt_col_text(rd, 1);
        if (eid != cur) {
            int y, m;
            if ((cur >= 0 && (rc = bo__xml_end(w))) || (rc = ymd(date, &y, &m)))
                break;
            cur = eid;
            snprintf(id, sizeof id, "%lld", (long long)eid);
            if ((rc = bo__xml_start(w, "Transaction", NULL)) ||
                (rc = bo__xml_elem(w, "TransactionID", id)) ||
                (rc = bo__xml_elem_int(w, "Period", m)) ||
                (rc = bo__xml_elem_int(w, "PeriodYear", y)) ||
                (rc = bo__xml_elem(w, "TransactionDate", date)) ||
                (rc = bo__xml_elem(w, "Description",
                                   bo__saft_cut(bo__stmt_col_text(rd, 2), 256, memo,
                                                sizeof memo))) ||
                (rc = bo__xml_elem(w, "SystemEntryDate", date)) ||
                (rc = bo__xml_elem(w, "GLPostingDate", date)))
                break;
        }
        const char *pm = bo__stmt_is_null(rd, 8) ? NULL : bo__stmt_col_text(rd, 8);
        if (!pm || !pm[0])
            pm = bo__stmt_col_text(rd, 2);
        if ((rc = base_of(s, rd, 5, 6, 7, eid, line, &v)) || (rc = absolute(v, &a, id)))
            break;
        const char *pcur = bo__stmt_col_text(rd, 6);
        if ((rc = bo__xml_start(w, "Line", NULL)) ||
            (rc = bo__xml_elem_int(w, "RecordID", line)) ||
            (rc = bo__xml_elem(w, "AccountID", bo__stmt_col_text(rd, 4))) ||
            (rc = bo__xml_elem(w, "Description", bo__saft_cut(pm, 256, memo, sizeof memo))) ||
            (rc = bo__xml_start(w, v >= 0 ? "DebitAmount" : "CreditAmount", NULL)) ||
            (rc = bo__xml_elem_amount(w, "Amount", a, s->cur)))
            break;
        if (strcmp(pcur, s->cur)) {
            /* The amount in its own currency, when SAF-T can say it (at most
             * two decimals). */
            int64_t pa;
            int e;
            if ((rc = absolute(bo__stmt_col_int(rd, 5), &pa, id)) ||
                (rc = bo_currency_exponent(pcur, &e)))
                break;
            if (e <= 2 && ((rc = bo__xml_elem(w, "CurrencyCode", pcur)) ||
                           (rc = bo__xml_elem_amount(w, "CurrencyAmount", pa, pcur))))
                break;
        }
        if ((rc = bo__xml_end(w)) || (rc = bo__xml_end(w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = bo__xml_end(w); /* the last Transaction */
    bo__stmt_done(rd);
    if (!rc && !(rc = bo__xml_end(w))) /* Journal */
        rc = bo__xml_end(w);
    return rc;
}

/* ---- source documents ---------------------------------------------------- */

/* The posted sales invoices and credit notes dated in the period, their
 * lines in the book currency at the document's rate. */
static const char SQL_INVOICES[] =
    "SELECT i.id, i.kind, i.series, i.number, i.party, i.date, i.currency,"
    " COALESCE(i.rate_num, 1), COALESCE(i.rate_den, 1), l.line, l.description,"
    " l.unit_price, l.net, l.account, pa.address"
    " FROM bill_invoices i JOIN bill_invoice_lines l ON l.invoice_id = i.id"
    " LEFT JOIN parties pa ON pa.code = i.party"
    " WHERE i.kind IN (1, 3) AND i.status >= 1 AND i.date >= ? AND i.date <= ?"
    " ORDER BY i.id, l.line";

typedef struct doc_totals {
    int64_t n, debit, credit;
} doc_totals;

/* One pass: when w is NULL only the totals are added up. */
static int invoices_pass(saft *s, bo__xml_writer *w, doc_totals *t)
{
    bo__stmt *rd;
    int rc = query(s, SQL_INVOICES, &rd);
    int64_t cur = -1;
    char no[96], desc[1100];
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t id = bo__stmt_col_int(rd, 0), net, up, base, ubase;
        int kind = (int)bo__stmt_col_int(rd, 1);
        const char *dcur = bo__stmt_col_text(rd, 6), *date = bo__stmt_col_text(rd, 5);
        net = bo__stmt_col_int(rd, 12);
        up = bo__stmt_col_int(rd, 11);
        if ((rc = bo__bill_to_base(s->book, net, dcur, bo__stmt_col_int(rd, 7),
                                   bo__stmt_col_int(rd, 8), &base)) ||
            (rc = bo__bill_to_base(s->book, up, dcur, bo__stmt_col_int(rd, 7),
                                   bo__stmt_col_int(rd, 8), &ubase)))
            break;
        /* a sales invoice credits revenue; a credit note debits it */
        int credit = (kind == BO_INVOICE_SALES) == (base >= 0);
        int64_t a;
        if ((rc = absolute(base, &a, "invoice line")) || (rc = absolute(ubase, &ubase, "unit price")))
            break;
        if (id != cur) {
            t->n++;
            if (w) {
                if (bo__stmt_is_null(rd, 3))
                    snprintf(no, sizeof no, "%s-draft-%lld", bo__stmt_col_text(rd, 2),
                             (long long)id);
                else
                    snprintf(no, sizeof no, "%s-%lld", bo__stmt_col_text(rd, 2),
                             (long long)bo__stmt_col_int(rd, 3));
                if ((cur >= 0 && (rc = bo__xml_end(w))) ||
                    (rc = id_fits("invoice number", no, 70)) ||
                    (rc = bo__xml_start(w, "Invoice", NULL)) ||
                    (rc = bo__xml_elem(w, "InvoiceNo", no)) ||
                    (rc = bo__xml_start(w, "CustomerInfo", NULL)) ||
                    (rc = bo__xml_elem(w, "CustomerID", bo__stmt_col_text(rd, 4))) ||
                    (rc = bo__xml_start(w, "BillingAddress", NULL)))
                    break;
                /* the party's address is one free text: its street line */
                if (!bo__stmt_is_null(rd, 14) &&
                    (rc = bo__xml_elem(w, "StreetName", bo__saft_cut(bo__stmt_col_text(rd, 14), 256,
                                                            desc, sizeof desc))))
                    break;
                if ((rc = bo__xml_end(w)) || (rc = bo__xml_end(w)) ||
                    (rc = bo__xml_elem(w, "InvoiceDate", date)))
                    break;
            }
            cur = id;
        }
        if (credit ? bo_money_add(t->credit, a, &t->credit)
                   : bo_money_add(t->debit, a, &t->debit)) {
            rc = bo__error_set(BO_EOVERFLOW, "sales invoices: the totals overflow");
            break;
        }
        if (w && ((rc = bo__xml_start(w, "Line", NULL)) ||
                  (rc = bo__xml_elem_int(w, "LineNumber", bo__stmt_col_int(rd, 9))) ||
                  (rc = bo__xml_elem(w, "AccountID", bo__stmt_col_text(rd, 13))) ||
                  (rc = bo__xml_elem_amount(w, "UnitPrice", ubase, s->cur)) ||
                  (rc = bo__xml_elem(w, "TaxPointDate", date)) ||
                  (rc = bo__xml_elem(w, "Description",
                                     bo__saft_cut(bo__stmt_col_text(rd, 10), 256, desc,
                                                  sizeof desc))) ||
                  (rc = amount_struct(s, "InvoiceLineAmount", a)) ||
                  (rc = bo__xml_elem(w, "DebitCreditIndicator", credit ? "C" : "D")) ||
                  (rc = bo__xml_end(w))))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = w && cur >= 0 ? bo__xml_end(w) : 0;
    bo__stmt_done(rd);
    return rc;
}

static const char SQL_PAYMENTS[] =
    "SELECT id, kind, party, date, memo, base_amount, account FROM bill_payments"
    " WHERE date >= ? AND date <= ? ORDER BY id";

static int payments_pass(saft *s, bo__xml_writer *w, doc_totals *t)
{
    bo__stmt *rd;
    int rc = query(s, SQL_PAYMENTS, &rd);
    char ref[32], desc[1100];
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int received = bo__stmt_col_int(rd, 1) == BO_PAYMENT_RECEIVED;
        int64_t a = bo__stmt_col_int(rd, 5);
        t->n++;
        /* the party's side: a customer's receivable is credited, a
         * vendor's payable debited */
        if (received ? bo_money_add(t->credit, a, &t->credit)
                     : bo_money_add(t->debit, a, &t->debit)) {
            rc = bo__error_set(BO_EOVERFLOW, "payments: the totals overflow");
            break;
        }
        if (!w)
            continue;
        snprintf(ref, sizeof ref, "%lld", (long long)bo__stmt_col_int(rd, 0));
        const char *party = bo__stmt_col_text(rd, 2);
        if ((rc = bo__xml_start(w, "Payment", NULL)) ||
            (rc = bo__xml_elem(w, "PaymentRefNo", ref)) ||
            (rc = bo__xml_elem(w, "TransactionDate", bo__stmt_col_text(rd, 3))) ||
            (rc = bo__xml_elem(w, "Description",
                               bo__saft_cut(bo__stmt_col_text(rd, 4), 256, desc, sizeof desc))) ||
            (rc = bo__xml_start(w, "Line", NULL)) ||
            (rc = bo__xml_elem(w, "LineNumber", "1")) ||
            (rc = bo__xml_elem(w, received ? "CustomerID" : "SupplierID", party)) ||
            (rc = bo__xml_elem(w, "DebitCreditIndicator", received ? "C" : "D")) ||
            (rc = amount_struct(s, "PaymentLineAmount", a)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)))
            break;
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

static int totals_elems(saft *s, const doc_totals *t, const char *count)
{
    int rc;
    if ((rc = bo__xml_elem_int(s->w, count, t->n)) ||
        (rc = bo__xml_elem_amount(s->w, "TotalDebit", t->debit, s->cur)))
        return rc;
    return bo__xml_elem_amount(s->w, "TotalCredit", t->credit, s->cur);
}

static int source_documents(saft *s)
{
    doc_totals inv = { 0, 0, 0 }, pay = { 0, 0, 0 }, dummy = { 0, 0, 0 };
    int rc;
    if ((rc = invoices_pass(s, NULL, &inv)) || (rc = payments_pass(s, NULL, &pay)))
        return rc;
    if (!inv.n && !pay.n)
        return 0;
    if ((rc = bo__xml_start(s->w, "SourceDocuments", NULL)))
        return rc;
    if (inv.n && ((rc = bo__xml_start(s->w, "SalesInvoices", NULL)) ||
                  (rc = totals_elems(s, &inv, "NumberOfEntries")) ||
                  (rc = invoices_pass(s, s->w, &dummy)) || (rc = bo__xml_end(s->w))))
        return rc;
    memset(&dummy, 0, sizeof dummy);
    if (pay.n && ((rc = bo__xml_start(s->w, "Payments", NULL)) ||
                  (rc = totals_elems(s, &pay, "NumberOfEntries")) ||
                  (rc = payments_pass(s, s->w, &dummy)) || (rc = bo__xml_end(s->w))))
        return rc;
    return bo__xml_end(s->w);
}

/* ---- the call ------------------------------------------------------------ */

int bo_saft_options_init(bo_saft_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_SAFT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_SAFT_OPTIONS_VERSION);
    bo_saft_options init = BO_SAFT_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static int check_options(saft *s, const bo_saft_options *opts)
{
    int rc;
    if (!opts)
        return bo__error_set(BO_EINVAL, "options: NULL (registration_number is required)");
    if (opts->version < 1 || opts->version > BO_SAFT_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", opts->version,
                             BO_SAFT_OPTIONS_VERSION);
    s->o = *opts;
    bo_saft_options *o = &s->o;
    if (!o->country)
        o->country = "NO";
    if (!o->contact_first_name)
        o->contact_first_name = "-";
    if (!o->contact_last_name)
        o->contact_last_name = "-";
    if (!o->grouping_category)
        o->grouping_category = "RF-1167";
    if ((rc = bo__text_check("registration_number", o->registration_number, 35, false,
                             false)) ||
        (rc = bo__text_check("company_name", o->company_name, BO_TEXT_MAX, true, true)) ||
        (rc = bo__text_check("vat_number", o->vat_number, 35, true, false)) ||
        (rc = bo__text_check("contact_first_name", o->contact_first_name, 35, false,
                             false)) ||
        (rc = bo__text_check("contact_last_name", o->contact_last_name, 70, false, false)) ||
        (rc = bo__text_check("grouping_category", o->grouping_category, 256, false,
                             false)))
        return rc;
    if (strlen(o->country) != 2 || o->country[0] < 'A' || o->country[0] > 'Z' ||
        o->country[1] < 'A' || o->country[1] > 'Z')
        return bo__error_set(BO_EINVAL, "country: '%s' is not an ISO 3166 code "
                             "(two capital letters)", o->country);
    if (o->from > o->to)
        return bo__error_set(BO_EINVAL, "from: after to");
    if ((rc = bo__saft_map_parse("grouping", o->grouping, &s->gtext, &s->grouping,
                                 &s->ngrouping)) ||
        (rc = bo__saft_map_parse("tax_codes", o->tax_codes, &s->ttext, &s->taxcodes,
                                 &s->ntaxcodes)))
        return rc;
    return 0;
}

int bo__saft_period(bo__store *st, const char *sql, const char *what, bo_date opt_from,
                    bo_date opt_to, char from[16], char to[16])
{
    bo__stmt *rd;
    int rc = bo__stmt_new(st, sql, &rd);
    if (rc)
        return rc;
    char today[16];
    bo_date_format(bo_date_today(), today, sizeof today);
    if ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        const char *lo = bo__stmt_is_null(rd, 0) ? today : bo__stmt_col_text(rd, 0);
        const char *hi = bo__stmt_is_null(rd, 1) ? today : bo__stmt_col_text(rd, 1);
        rc = 0;
        if (opt_from == BO_DATE_MIN)
            snprintf(from, 16, "%.10s", lo);
        else
            rc = bo_date_format(opt_from, from, 16);
        if (!rc && opt_to == BO_DATE_MAX)
            snprintf(to, 16, "%.10s", hi);
        else if (!rc)
            rc = bo_date_format(opt_to, to, 16);
        if (!rc && strcmp(from, to) > 0)
            snprintf(to, 16, "%s", from);
    } else if (rc >= 0)
        rc = bo__error_set(BO_ECORRUPT, "%s: no dates", what);
    bo__stmt_done(rd);
    return rc;
}

/* The selection's dates: as given, or the first and last entry's. */
static int period(saft *s)
{
    return bo__saft_period(s->st, "SELECT MIN(date), MAX(date) FROM entries", "entries",
                           s->o.from, s->o.to, s->from, s->to);
}

int bo__saft_begin(bo_book *book, unsigned perm)
{
    int rc, exp;
    if ((rc = bo_currency_exponent(book->base_currency, &exp)))
        return rc;
    if (exp > 2)
        return bo__error_set(BO_ECURRENCY, "book currency %s: %d decimals; SAF-T amounts "
                             "have at most 2", book->base_currency, exp);
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "inside a transaction");
    if ((rc = bo__require(book, perm)))
        return rc;
    return bo__store_begin(book->store, 0);
}

int bo__saft_open(bo__outfile *of, const char *path, bo__xml_writer **w, const char *root,
                  const char *ns)
{
    int rc;
    if ((rc = bo__outfile_open(of, path, "saft")) || (rc = bo__outfile_close_fd(of)))
        return rc;
    if (!(*w = bo__xml_writer_new(of->tmp)))
        return BO_EIO;
    return bo__xml_start(*w, root, ns);
}

int bo__saft_end(bo_book *book, bo__outfile *of, bo__xml_writer **w, int rc)
{
    if (!rc && *w) {
        rc = bo__xml_writer_finish(*w, NULL, NULL);
        *w = NULL;
    }
    bo__xml_writer_free(*w);
    *w = NULL;
    rc = bo__outfile_end(of, rc);
    bo__error_state es;
    bo__error_save(&es);
    bo__store_rollback(book->store);
    bo__error_restore(&es);
    return rc;
}

int bo_book_export_saft(bo_book *book, const char *path, const bo_saft_options *opts)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    saft s;
    memset(&s, 0, sizeof s);
    s.book = book;
    s.st = book->store;
    s.cur = book->base_currency;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = check_options(&s, opts)))
        goto done;
    if ((rc = bo__saft_begin(book, BO__P_LEDGER_READ | BO__P_PARTY_READ | BO__P_BILLING_READ)))
        goto done;
    bo__outfile of = { 0 };
    if (!(rc = period(&s)) && !(rc = check_entries(&s)) &&
        !(rc = bo__saft_open(&of, path, &s.w, "AuditFile", SAFT_NS)) && !(rc = header(&s)) &&
        !(rc = master_files(&s)) && !(rc = entries(&s)))
        rc = source_documents(&s);
    rc = bo__saft_end(book, &of, &s.w, rc);
done:
    bo__free(s.grouping);
    bo__free(s.taxcodes);
    bo__free(s.gtext);
    bo__free(s.ttext);
    if (rc)
        bo__error_prefix("SAF-T: ");
    return rc;
}
