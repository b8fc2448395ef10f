/*
 * The book out as a plain-text journal that hledger and ledger-cli both
 * read (docs/import-export.md, "Journals out"): the chart as account
 * lines, each entry with its postings at their currency's scale; an entry
 * that balances only in the book currency carries each foreign posting's
 * book-currency value as a total price (@@), which is how both programs
 * balance it. Read from one snapshot, checked while written to a temporary
 * file that replaces path only when complete.
 */
#include "book/transfer.h"
#include "core/book.h"
#include "ledger/ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct xpost {
    char account[BO_CODE_MAX + 1], cur[BO_CURRENCY_MAX + 1];
    int64_t amount, base;
    int has_base;
    char *memo;
} xpost;

/* minor units at exp decimals as a decimal: -1250, 2 -> "-12.50" */
static void decimal(int64_t v, int exp, char *out, size_t size)
{
    char digits[32];
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = snprintf(digits, sizeof digits, "%0*llu", exp + 1, (unsigned long long)u);
    if (exp == 0)
        snprintf(out, size, "%s%s", v < 0 ? "-" : "", digits);
    else
        snprintf(out, size, "%s%.*s.%s", v < 0 ? "-" : "", n - exp, digits, digits + n - exp);
}

/* "12.50 USD"; a code with digits quoted ("\"X1Y\" 5"). */
static int amount_text(const char *cur, int64_t v, char *out, size_t size, int bean)
{
    int exp;
    if (bo_currency_exponent(cur, &exp))
        return bo__error_set(BO_ECURRENCY, "currency %s: not known to this process (register "
                             "it first)", cur);
    char d[48];
    decimal(v, exp, d, sizeof d);
    int letters = 1;
    for (const char *c = cur; *c; c++)
        letters &= *c >= 'A' && *c <= 'Z';
    if (bean && !(cur[0] >= 'A' && cur[0] <= 'Z'))
        return bo__error_set(BO_ECURRENCY, "currency %s: beancount's start with a letter", cur);
    letters |= bean;
    snprintf(out, size, letters ? "%s %s" : "%s \"%s\"", d, cur);
    return 0;
}

static int code_ok(const char *code)
{
    size_t n = strlen(code);
    if (!n || code[0] == ' ' || code[n - 1] == ' ' || code[0] == '(' || code[0] == '[' ||
        strchr(code, '\t') || strchr(code, ';') || strchr(code, '\n') || strchr(code, '\r') ||
        strstr(code, "  ") || code[0] == '!' || code[0] == '*')
        return bo__error_set(BO_EINVAL, "account '%s': a journal cannot hold its code as an "
                             "account name (spaces at the ends or two together, a tab, ';', a "
                             "leading '(', '[', '*' or '!')", code);
    return 0;
}

static int line_ok(const char *what, int64_t entry, const char *s)
{
    if (s && (strchr(s, '\n') || strchr(s, '\r')))
        return bo__error_set(BO_EINVAL, "entry %lld: its %s has a line break, which a journal "
                             "line cannot hold", (long long)entry, what);
    return 0;
}

/* beancount: each code's account name there ("Assets:1100-1") */
typedef struct bname {
    char code[BO_CODE_MAX + 1];
    char name[BO_CODE_MAX + 16];
} bname;

typedef struct xctx {
    const char *base;
    int bean;
    bname *names;
    size_t nnames;
} xctx;

static int by_code(const void *a, const void *b)
{
    return strcmp(((const bname *)a)->code, ((const bname *)b)->code);
}

static const char *account_of(const xctx *x, const char *code)
{
    if (!x->bean)
        return code;
    bname key;
    snprintf(key.code, sizeof key.code, "%s", code);
    const bname *b = bsearch(&key, x->names, x->nnames, sizeof *x->names, by_code);
    return b ? b->name : code;
}

/* A beancount account name for a code of type t: the code itself when it
 * is one already ("Assets:Bank"), else the root of its type and the code
 * with what beancount cannot hold written '-' ("1100.1" ->
 * "Assets:1100-1"). */
static void bean_name(const char *code, int t, char *out, size_t size)
{
    static const char *const roots[] = { "", "Assets", "Liabilities", "Equity", "Income",
                                         "Expenses" };
    const char *root = t >= 1 && t <= 5 ? roots[t] : "Equity";
    size_t rn = strlen(root);
    int own = !strncmp(code, root, rn) && code[rn] == ':';
    size_t k = (size_t)snprintf(out, size, "%s", own ? "" : root);
    for (const char *c = code; *c && k + 2 < size; c++) {
        int start = c == code ? !own : c[-1] == ':';
        if (start && *c != ':' && k > 0 && out[k - 1] != ':')
            out[k++] = ':';
        char ch = *c;
        if (ch == ':') {
            if (k && out[k - 1] != ':')
                out[k++] = ':';
            continue;
        }
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 (!start && ((ch >= 'a' && ch <= 'z') || ch == '-'));
        if (!ok && start && ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A'), ok = 1;
        if (!ok && start)
            out[k++] = 'X';
        out[k++] = ok ? ch : '-';
    }
    out[k] = '\0';
}

/* A beancount string: quotes and backslashes escaped. */
static void bean_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int flush_entry(FILE *f, const xctx *x, int64_t id, const char *date,
                       const char *memo, xpost *p, size_t n)
{
    const char *base = x->base;
    int rc;
    if ((rc = line_ok("memo", id, memo)))
        return rc;
    /* balanced per currency? then no prices */
    int per_currency = 1;
    for (size_t i = 0; i < n && per_currency; i++) {
        int64_t sum = 0;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(p[k].cur, p[i].cur) && bo_money_add(sum, p[k].amount, &sum))
                return bo__error_set(BO_EOVERFLOW, "entry %lld: its sum overflows",
                                     (long long)id);
        per_currency = sum == 0;
    }
    if (x->bean) {
        fprintf(f, "%s * ", date);
        bean_string(f, memo);
        fputc('\n', f);
    } else
        fprintf(f, "%s %s\n", date, memo && memo[0] ? memo : "-");
    for (size_t i = 0; i < n; i++) {
        char amt[96], cost[128] = "";
        if ((rc = line_ok("posting memo", id, p[i].memo)) ||
            (rc = amount_text(p[i].cur, p[i].amount, amt, sizeof amt, x->bean)))
            return rc;
        if (!per_currency && strcmp(p[i].cur, base)) {
            if (!p[i].has_base)
                return bo__error_set(BO_ECORRUPT, "entry %lld: a %s posting without a %s "
                                     "value in an entry that does not balance per currency",
                                     (long long)id, p[i].cur, base);
            char b[96];
            if ((rc = amount_text(base, p[i].base < 0 ? -p[i].base : p[i].base, b, sizeof b,
                                   x->bean)))
                return rc;
            snprintf(cost, sizeof cost, " @@ %s", b);
        }
        fprintf(f, "    %s  %s%s", account_of(x, p[i].account), amt, cost);
        if (p[i].memo && p[i].memo[0])
            fprintf(f, "  ; %s", p[i].memo);
        fputc('\n', f);
    }
    fputc('\n', f);
    return 0;
}

static const char SQL_ACCOUNTS[] =
    "SELECT code, name, type, currency, closed FROM accounts ORDER BY path";
static const char SQL_POSTINGS[] =
    "SELECT e.id, e.date, e.memo, a.code, p.amount, p.currency, p.base_amount, p.memo"
    " FROM entries e JOIN postings p ON p.entry_id = e.id"
    " JOIN accounts a ON a.id = p.account_id ORDER BY e.date, e.id, p.line";

static const char SQL_CURRENCIES[] =
    "SELECT substr(key, 15), value FROM settings"
    " WHERE key >= 'book.currency.' AND key < 'book.currency/'";

/* The currencies a journal import recorded with the book
 * ("book.currency.CODE" = its decimals), registered when this process
 * does not know them yet. */
static int register_currencies(bo__store *st)
{
    bo__stmt *rd;
    int rc = bo__stmt_new(st, SQL_CURRENCIES, &rd), exp;
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        const char *code = bo__stmt_col_text(rd, 0), *v = bo__stmt_col_text(rd, 1);
        char *end;
        long e = strtol(v, &end, 10);
        if (*end || end == v || e < 0 || e > 18) {
            rc = bo__error_set(BO_ECORRUPT, "setting book.currency.%s: '%.16s' is not a "
                               "number of decimals", code, v);
            break;
        }
        if (bo_currency_exponent(code, &exp) && (rc = bo_currency_register(code, (int)e)))
            break;
    }
    bo__stmt_done(rd);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

static const char SQL_FIRST[] = "SELECT COALESCE(MIN(date), '1970-01-01') FROM entries";

static int write_all(bo_book *book, FILE *f, xctx *x)
{
    bo__store *st = book->store;
    bo__stmt *rd;
    char first[16] = "1970-01-01";
    int rc = register_currencies(st);
    if (!rc && x->bean && !(rc = bo__stmt_new(st, SQL_FIRST, &rd))) {
        if ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW)
            snprintf(first, sizeof first, "%s", bo__stmt_col_text(rd, 0));
        rc = rc == BO_DRIVER_ROW || rc == BO_DRIVER_DONE ? 0 : rc;
        bo__stmt_done(rd);
    }
    if (rc || (rc = bo__stmt_new(st, SQL_ACCOUNTS, &rd)))
        return rc;
    fprintf(f, "; the book \"%s\" in %s, written by libbackoffice\n\n",
            book->name ? book->name : "", book->base_currency);
    if (x->bean)
        fprintf(f, "option \"operating_currency\" \"%s\"\n\n", book->base_currency);
    size_t ncap = 0;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        const char *code = bo__stmt_col_text(rd, 0);
        rc = 0;
        if (!x->bean) {
            if ((rc = code_ok(code)))
                break;
            fprintf(f, "account %s\n", code);
            continue;
        }
        if (x->nnames == ncap) {
            size_t c = ncap ? ncap * 2 : 64;
            bname *q = bo__realloc(x->names, c * sizeof *q);
            if (!q) {
                rc = BO_ENOMEM;
                break;
            }
            x->names = q;
            ncap = c;
        }
        bname *b = &x->names[x->nnames++];
        snprintf(b->code, sizeof b->code, "%s", code);
        bean_name(code, (int)bo__stmt_col_int(rd, 2), b->name, sizeof b->name);
        for (size_t i = 0; i + 1 < x->nnames && !rc; i++)
            if (!strcmp(x->names[i].name, b->name))
                rc = bo__error_set(BO_EINVAL, "accounts '%s' and '%s': both would be '%s' in "
                                   "beancount", x->names[i].code, code, b->name);
        if (rc)
            break;
        fprintf(f, "%s open %s %s\n", first, b->name, bo__stmt_col_text(rd, 3));
    }
    bo__stmt_done(rd);
    if (rc != BO_DRIVER_DONE)
        return rc;
    if (x->bean)
        qsort(x->names, x->nnames, sizeof *x->names, by_code);
    fputc('\n', f);
    if ((rc = bo__stmt_new(st, SQL_POSTINGS, &rd)))
        return rc;
    xpost *p = NULL;
    size_t n = 0, cap = 0;
    int64_t cur = -1;
    char date[16] = "", *memo = NULL;
    while ((rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        int64_t id = bo__stmt_col_int(rd, 0);
        if (id != cur) {
            if (cur >= 0 && (rc = flush_entry(f, x, cur, date, memo, p, n)))
                break;
            for (size_t i = 0; i < n; i++)
                bo__free(p[i].memo);
            n = 0;
            cur = id;
            snprintf(date, sizeof date, "%s", bo__stmt_col_text(rd, 1));
            bo__free(memo);
            if (!(memo = bo__strdup(bo__stmt_col_text(rd, 2)))) {
                rc = BO_ENOMEM;
                break;
            }
        }
        if (n == cap) {
            size_t c = cap ? cap * 2 : 16;
            xpost *q = bo__realloc(p, c * sizeof *q);
            if (!q) {
                rc = BO_ENOMEM;
                break;
            }
            p = q;
            cap = c;
        }
        xpost *y = &p[n];
        memset(y, 0, sizeof *y);
        const char *code = bo__stmt_col_text(rd, 3);
        snprintf(y->account, sizeof y->account, "%s", code);
        y->amount = bo__stmt_col_int(rd, 4);
        snprintf(y->cur, sizeof y->cur, "%s", bo__stmt_col_text(rd, 5));
        y->has_base = !bo__stmt_is_null(rd, 6);
        y->base = y->has_base ? bo__stmt_col_int(rd, 6) : 0;
        if (!bo__stmt_is_null(rd, 7) && !(y->memo = bo__strdup(bo__stmt_col_text(rd, 7)))) {
            rc = BO_ENOMEM;
            break;
        }
        n++;
    }
    if (rc == BO_DRIVER_DONE)
        rc = cur >= 0 ? flush_entry(f, x, cur, date, memo, p, n) : 0;
    bo__stmt_done(rd);
    for (size_t i = 0; i < n; i++)
        bo__free(p[i].memo);
    bo__free(p);
    bo__free(memo);
    return rc;
}

int bo_book_export_journal(bo_book *book, const char *path, const bo_journal_options *opts)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    bo_journal_options o;
    int rc;
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (rc = bo__journal_options(opts, path, &o)))
        return rc;
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "journal export: inside a transaction");
    if ((rc = bo__require(book, BO__P_LEDGER_READ)))
        return rc;
    size_t n = strlen(path) + 16;
    char *tmp = bo__malloc(n);
    if (!tmp)
        return BO_ENOMEM;
    snprintf(tmp, n, "%s.jrnlXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = bo__error_set(BO_EIO, "%s: cannot write a file beside it: %s", path,
                           strerror(errno));
        bo__free(tmp);
        return rc;
    }
    /* mkstemp's 0600 is kept: the journal carries personal data
     * (book/files.h) */
    FILE *f = fdopen(fd, "w");
    if (!f) {
        rc = bo__error_set(BO_EIO, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        bo__free(tmp);
        return rc;
    }
    xctx x = { book->base_currency, o.dialect == BO_JOURNAL_BEANCOUNT, NULL, 0 };
    if (!(rc = bo__store_begin(book->store, 0))) {
        rc = write_all(book, f, &x);
        bo__free(x.names);
        bo__error_state es;
        bo__error_save(&es);
        bo__store_rollback(book->store);
        bo__error_restore(&es);
    }
    if (fflush(f) || ferror(f)) {
        if (!rc)
            rc = bo__error_set(BO_EIO, "%s: cannot be written: %s", path, strerror(errno));
    }
    if (fclose(f) && !rc)
        rc = bo__error_set(BO_EIO, "%s: cannot be written: %s", path, strerror(errno));
    if (!rc && rename(tmp, path))
        rc = bo__error_set(BO_EIO, "%s: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    bo__free(tmp);
    if (rc)
        bo__error_prefix("journal export: ");
    return rc;
}
