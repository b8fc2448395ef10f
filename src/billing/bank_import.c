/*
 * Bank statement import: CSV (RFC 4180 quoting) with a YAML column mapping,
 * and ISO 20022 camt.053 read by a small parser of the subset it needs
 * (elements, attributes, the five predefined entities; no DTDs). The whole
 * file is parsed and checked before anything is written; a malformed line
 * is named by its line number. Lines already stored for the account (same
 * bank reference, or the same date, amount and text at the same occurrence)
 * are counted as duplicates and not stored again.
 *
 * Limits (docs/billing.md): the statement's size (BO_BILLING_STATEMENT_MAX,
 * checked by the caller), its lines (BO_BILLING_STATEMENT_LINES_MAX, here in
 * bo__bank_push for both formats), a CSV record's fields (CSV_MAX_FIELDS)
 * and bytes (CSV_RECORD_MAX), the mapping through the bounded YAML reader.
 * Both readers are loops: nothing recurses on the input.
 */
#include "billing/billing.h"
#include "billing/bank.h"
#include "core/config_check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bo__bank_free(bo__bank_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        bo__free(f->lines[i].reference);
        bo__free(f->lines[i].memo);
    }
    bo__free(f->lines);
    memset(f, 0, sizeof *f);
}

int bo__bank_push(bo__bank_file *f, const bo__bank_line *l)
{
    if (f->n >= BO_BILLING_STATEMENT_LINES_MAX)
        return bo__error_set(BO_ELIMIT, "line %d: the statement has more than %d "
                             "lines", l->line_no, BO_BILLING_STATEMENT_LINES_MAX);
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 64;
        bo__bank_line *p = bo__realloc(f->lines, cap * sizeof *p);
        if (!p)
            return BO_ENOMEM;
        f->lines = p;
        f->cap = cap;
    }
    f->lines[f->n++] = *l;
    return 0;
}

int bo__bank_mark_dups(bo__bank_file *f, int64_t *sum)
{
    bo__cfg_map seen = BO__CFG_MAP_INIT;
    int rc = 0;
    *sum = 0;
    for (size_t i = 0; i < f->n && !rc; i++) {
        bo__bank_line *l = &f->lines[i];
        if (l->reference) {
            uint32_t old;
            if ((rc = bo__cfg_map_put(&seen, l->reference, (uint32_t)i, &old)))
                break;
            l->dup = old != BO__CFG_NONE;
        }
        if (!l->dup && bo_money_add(*sum, l->amount, sum))
            rc = bo__error_set(BO_EOVERFLOW, "line %d: amount: total overflows", l->line_no);
    }
    bo__cfg_map_free(&seen);
    return rc;
}

/* ---- CSV ------------------------------------------------------------------- */

typedef struct csv_map {
    int date, amount, debit, credit, reference, memo, balance; /* 1-based, 0 unset */
    const char *names[7]; /* header names to resolve */
    int header;
    char delim, decimal;
    int date_format; /* 0 ISO, 1 DD.MM.YYYY, 2 MM/DD/YYYY */
    int has_opening;
    int64_t opening;
} csv_map;

static const char *const map_keys[] = {
    "date", "amount", "debit", "credit", "reference", "memo", "balance",
    "header", "delimiter", "decimal", "date_format", "opening",
};
#define NKEYS (sizeof map_keys / sizeof map_keys[0])

static int parse_mapping(const char *yaml, const char *cur, csv_map *m, bo__cfg_doc *doc)
{
    memset(m, 0, sizeof *m);
    m->delim = ',';
    m->decimal = '.';
    m->header = 1;
    if (!yaml)
        return bo__error_set(BO_ECONFIG, "mapping: a CSV statement needs a column "
                             "mapping");
    int rc = bo__cfg_parse(doc, "mapping", yaml, strlen(yaml));
    if (rc)
        return rc;
    const bo__cfg_node *root = bo__cfg_node_at(doc, doc->root);
    if (!root || root->kind != BO__CFG_MAP)
        return bo__cfg_error(doc, root, BO_ECONFIG, "mapping: expected a mapping");
    const bo__cfg_node *v[NKEYS];
    if ((rc = bo__cfg_fields(doc, root, "mapping", map_keys, v, NKEYS)))
        return rc;
    int *cols[] = { &m->date, &m->amount, &m->debit, &m->credit, &m->reference,
                    &m->memo, &m->balance };
    for (int i = 0; i < 7; i++) {
        if (!v[i])
            continue;
        if (v[i]->kind != BO__CFG_SCALAR)
            return bo__cfg_error(doc, v[i], BO_ECONFIG, "%s: expected a column "
                                 "number or header name", map_keys[i]);
        if (v[i]->type == BO__CFG_INT) {
            long c = strtol(v[i]->text, NULL, 10);
            if (c < 1 || c > 1000)
                return bo__cfg_error(doc, v[i], BO_ECONFIG, "%s: column outside "
                                     "1..1000", map_keys[i]);
            *cols[i] = (int)c;
        } else {
            m->names[i] = v[i]->text;
        }
    }
    if (v[7]) {
        if (v[7]->kind != BO__CFG_SCALAR || v[7]->type != BO__CFG_BOOL)
            return bo__cfg_error(doc, v[7], BO_ECONFIG, "header: expected true or false");
        m->header = v[7]->text[0] == 't' || v[7]->text[0] == 'T';
    }
    if (v[8]) {
        const char *d = v[8]->kind == BO__CFG_SCALAR ? v[8]->text : "";
        if (!strcmp(d, "\\t") || !strcmp(d, "tab"))
            d = "\t";
        if (strlen(d) != 1 || d[0] == '"' || d[0] == '\n' || d[0] == '\r')
            return bo__cfg_error(doc, v[8], BO_ECONFIG, "delimiter: expected one "
                                 "character");
        m->delim = d[0];
    }
    if (v[9]) {
        const char *d = v[9]->kind == BO__CFG_SCALAR ? v[9]->text : "";
        if (strcmp(d, ".") && strcmp(d, ","))
            return bo__cfg_error(doc, v[9], BO_ECONFIG, "decimal: expected \".\" or \",\"");
        m->decimal = d[0];
    }
    if (v[10]) {
        const char *d = v[10]->kind == BO__CFG_SCALAR ? v[10]->text : "";
        m->date_format = !strcmp(d, "YYYY-MM-DD") ? 0 : !strcmp(d, "DD.MM.YYYY") ? 1
                       : !strcmp(d, "MM/DD/YYYY") ? 2 : -1;
        if (m->date_format < 0)
            return bo__cfg_error(doc, v[10], BO_ECONFIG, "date_format: expected "
                                 "YYYY-MM-DD, DD.MM.YYYY or MM/DD/YYYY");
    }
    if (v[11]) {
        if (v[11]->kind != BO__CFG_SCALAR ||
            bo_money_parse(v[11]->text, cur, &m->opening))
            return bo__cfg_error(doc, v[11], BO_ECONFIG, "opening: expected an "
                                 "amount in %s", cur);
        m->has_opening = 1;
    }
    if (!v[0] || !(v[1] || (v[2] && v[3])))
        return bo__cfg_error(doc, root, BO_ECONFIG, "mapping: needs date and amount "
                             "(or debit and credit)");
    if (!m->header)
        for (int i = 0; i < 7; i++)
            if (m->names[i])
                return bo__cfg_error(doc, v[i], BO_ECONFIG, "%s: a header name needs "
                                     "header: true", map_keys[i]);
    return 0;
}

/* Split one CSV record starting at *p (RFC 4180: quoted fields may hold the
 * delimiter, "" and line breaks). Fields are written into buf, NUL
 * separated; *lines counts the line breaks consumed. A record is at most
 * CSV_MAX_FIELDS fields and CSV_RECORD_MAX bytes (a quote never closed
 * would otherwise gather the rest of a 64 MiB file into one field). */
#define CSV_MAX_FIELDS 64
#define CSV_RECORD_MAX 65536
static int csv_record(const char **pp, char delim, bo__buf *buf, size_t *offs,
                      int *nf, int *lines, int line_no)
{
    const char *p = *pp;
    buf->len = 0;
    *nf = 0;
    for (;;) {
        if (buf->len > CSV_RECORD_MAX)
            return bo__error_set(BO_ELIMIT, "line %d: the record is longer than "
                                 "%d bytes", line_no, CSV_RECORD_MAX);
        if (*nf == CSV_MAX_FIELDS)
            return bo__error_set(BO_ELIMIT, "line %d: more than %d fields", line_no,
                                 CSV_MAX_FIELDS);
        offs[(*nf)++] = buf->len;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return bo__error_set(BO_EINVAL, "line %d: quoted field not "
                                         "closed", line_no);
                if (*p == '"' && p[1] == '"') {
                    bo__buf_put(buf, p, 1);
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    if (*p == '\n')
                        (*lines)++;
                    bo__buf_put(buf, p++, 1);
                }
                if (buf->len > CSV_RECORD_MAX)
                    return bo__error_set(BO_ELIMIT, "line %d: the record is longer "
                                         "than %d bytes", line_no, CSV_RECORD_MAX);
            }
            if (*p && *p != delim && *p != '\n' && *p != '\r')
                return bo__error_set(BO_EINVAL, "line %d: text after a closing quote",
                                     line_no);
        } else {
            while (*p && *p != delim && *p != '\n' && *p != '\r') {
                if (*p == '"')
                    return bo__error_set(BO_EINVAL, "line %d: quote inside an "
                                         "unquoted field", line_no);
                if (buf->len > CSV_RECORD_MAX)
                    return bo__error_set(BO_ELIMIT, "line %d: the record is longer "
                                         "than %d bytes", line_no, CSV_RECORD_MAX);
                bo__buf_put(buf, p++, 1);
            }
        }
        bo__buf_put(buf, "", 1);
        if (*p == delim) {
            p++;
            continue;
        }
        /* CRLF, LF or a lone CR (old Mac files) ends the record and a line */
        if (*p == '\r' || *p == '\n') {
            if (*p++ == '\r' && *p == '\n')
                p++;
            (*lines)++;
        }
        break;
    }
    *pp = p;
    return buf->failed ? BO_ENOMEM : 0;
}

static int parse_date(const char *s, int fmt, bo_date *out)
{
    int y, m, d;
    char tail;
    int ok = fmt == 0 ? sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
           : fmt == 1 ? sscanf(s, "%2d.%2d.%4d%c", &d, &m, &y, &tail) == 3
                      : sscanf(s, "%2d/%2d/%4d%c", &m, &d, &y, &tail) == 3;
    return ok ? bo_date_from_ymd(y, m, d, out) : BO_EINVAL;
}

int bo__bank_amount(const char *s, char decimal, const char *cur, int64_t *out)
{
    char tmp[64];
    size_t n = 0;
    for (; *s == ' '; s++) {}
    if (*s == '+')
        s++;
    for (; *s && n < sizeof tmp - 1; s++) {
        if (*s == ' ')
            continue;
        tmp[n++] = *s == decimal ? '.' : *s == '.' && decimal == ',' ? 'x' : *s;
    }
    tmp[n] = '\0';
    if (!n || *s)
        return BO_EINVAL;
    return bo_money_parse(tmp, cur, out);
}

static int resolve_header(csv_map *m, const bo__bank_file *f, const char *buf,
                          const size_t *offs, int nf)
{
    int *cols[] = { &m->date, &m->amount, &m->debit, &m->credit, &m->reference,
                    &m->memo, &m->balance };
    (void)f;
    for (int i = 0; i < 7; i++) {
        if (!m->names[i])
            continue;
        for (int k = 0; k < nf; k++)
            if (!strcmp(buf + offs[k], m->names[i]))
                *cols[i] = k + 1;
        if (!*cols[i])
            return bo__error_set(BO_ECONFIG, "mapping: %s: no column named \"%.64s\" "
                                 "in the header", map_keys[i], m->names[i]);
    }
    return 0;
}

static const char *field(const char *buf, const size_t *offs, int nf, int col)
{
    return col >= 1 && col <= nf ? buf + offs[col - 1] : NULL;
}

int bo__bank_parse_csv(const char *data, const char *mapping, const char *cur,
                       bo__bank_file *f)
{
    csv_map m;
    bo__cfg_doc doc;
    memset(&doc, 0, sizeof doc);
    int rc = parse_mapping(mapping, cur, &m, &doc);
    bo__buf buf = BO__BUF_INIT;
    size_t offs[CSV_MAX_FIELDS];
    const char *p = data;
    int line = 1, have_balance = 0;
    int64_t last_balance = 0, sum = 0;
    if (!rc && !strncmp(p, "\xEF\xBB\xBF", 3))
        p += 3; /* a byte-order mark */
    for (int first = 1; !rc && *p; first = 0) {
        int nf, consumed = 0, at = line;
        if ((rc = csv_record(&p, m.delim, &buf, offs, &nf, &consumed, at)))
            break;
        line += consumed;
        if (nf == 1 && buf.ptr[0] == '\0')
            continue; /* an empty line */
        if (first && m.header) {
            rc = resolve_header(&m, f, buf.ptr, offs, nf);
            continue;
        }
        bo__bank_line l;
        memset(&l, 0, sizeof l);
        l.line_no = at;
        const char *ds = field(buf.ptr, offs, nf, m.date);
        if (!ds || parse_date(ds, m.date_format, &l.date)) {
            rc = bo__error_set(BO_EINVAL, "line %d: date: not a date in the mapped "
                               "format", at);
            break;
        }
        if (m.amount) {
            const char *as = field(buf.ptr, offs, nf, m.amount);
            if (!as || bo__bank_amount(as, m.decimal, cur, &l.amount)) {
                rc = bo__error_set(BO_EINVAL, "line %d: amount: not an amount in %s",
                                   at, cur);
                break;
            }
        } else {
            const char *dr = field(buf.ptr, offs, nf, m.debit);
            const char *cr = field(buf.ptr, offs, nf, m.credit);
            int64_t dv = 0, cv = 0;
            if (!dr || !cr || (*dr && bo__bank_amount(dr, m.decimal, cur, &dv)) ||
                (*cr && bo__bank_amount(cr, m.decimal, cur, &cv))) {
                rc = bo__error_set(BO_EINVAL, "line %d: debit/credit: not an amount "
                                   "in %s", at, cur);
                break;
            }
            if (bo_money_sub(cv, dv, &l.amount)) {
                rc = bo__error_set(BO_EOVERFLOW, "line %d: debit/credit: the "
                                   "difference overflows", at);
                break;
            }
        }
        if (l.amount == 0) {
            rc = bo__error_set(BO_EINVAL, "line %d: amount: zero", at);
            break;
        }
        const char *ref = field(buf.ptr, offs, nf, m.reference);
        const char *memo = field(buf.ptr, offs, nf, m.memo);
        if ((ref && (rc = bo__text_check("reference", ref, BO_TEXT_MAX, false, true))) ||
            (memo && (rc = bo__text_check("memo", memo, BO_TEXT_MAX, false, true)))) {
            bo__error_prefix("line %d: ", at);
            break;
        }
        if (m.balance) {
            const char *bs = field(buf.ptr, offs, nf, m.balance);
            if (!bs || bo__bank_amount(bs, m.decimal, cur, &last_balance)) {
                rc = bo__error_set(BO_EINVAL, "line %d: balance: not an amount in %s",
                                   at, cur);
                break;
            }
            if (!have_balance && !m.has_opening) {
                if (bo_money_sub(last_balance, l.amount, &m.opening)) {
                    rc = bo__error_set(BO_EOVERFLOW, "line %d: balance: the "
                                       "opening balance overflows", at);
                    break;
                }
                m.has_opening = 1;
            }
            have_balance = 1;
        }
        if (!(l.reference = bo__strdup(ref && *ref ? ref : "")) ||
            !(l.memo = bo__strdup(memo ? memo : ""))) {
            bo__free(l.reference);
            rc = BO_ENOMEM;
            break;
        }
        if (!*l.reference) {
            bo__free(l.reference);
            l.reference = NULL;
        }
        if ((rc = bo__bank_push(f, &l))) {
            bo__free(l.reference);
            bo__free(l.memo);
        }
    }
    bo__buf_free(&buf);
    bo__cfg_doc_free(&doc);
    if (rc || (rc = bo__bank_mark_dups(f, &sum)))
        return rc;
    f->opening = m.has_opening ? m.opening : 0;
    if (bo_money_add(f->opening, sum, &f->closing))
        return bo__error_set(BO_EOVERFLOW, "closing balance overflows");
    if (have_balance && f->closing != last_balance)
        return bo__error_set(BO_EINVAL, "line %d: balance: the running balance does "
                             "not follow from the amounts", line);
    return 0;
}
