/*
 * The ledger as France's FEC, the Fichier des Écritures Comptables (Livre
 * des procédures fiscales, art. A.47 A-1; docs/import-export.md, "FEC"):
 * a header line of the 18 field names, then one line per posting, fields
 * separated by a tab; dates YYYYMMDD; amounts in the book currency with a
 * comma before the decimals and no thousands separator, a debit and a
 * credit column each; every entry's debits equal its credits.
 *
 * One read snapshot; a first pass checks that every entry balances in the
 * book currency (and that every posting has a book-currency value), then
 * the lines are streamed into a temporary file beside the target (mode
 * 0600: personal data), renamed over it at the end.
 */
#include "core/book.h"
#include "ledger/ledger.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const fec_fields[18] = {
    "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
};

static const char SQL_FEC[] =
    "SELECT e.id, e.date, e.memo, p.line, a.code, a.name, p.amount, p.currency,"
    " p.base_amount, p.memo FROM entries e JOIN postings p ON p.entry_id = e.id"
    " JOIN accounts a ON a.id = p.account_id"
    " WHERE e.date >= ? AND e.date <= ? ORDER BY e.date, e.id, p.line";

/* |v| at exp decimals with a decimal comma: "1234,50". */
static void fec_amount(int64_t v, int exp, char out[48])
{
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%0*llu", exp + 1, (unsigned long long)u);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (i == n - exp)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

/* YYYY-MM-DD as YYYYMMDD. */
static void fec_date(const char *d, char out[9])
{
    snprintf(out, 9, "%.4s%.2s%.2s", d, d + 5, d + 8);
}

/* A text field: tabs, line ends and other control characters become
 * spaces (a field never holds the separator). */
static void fec_text(FILE *f, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

/* A posting's value in the book currency. */
static int fec_base(bo__stmt *rd, const char *cur, int64_t *out)
{
    if (!bo__stmt_is_null(rd, 8)) {
        *out = bo__stmt_col_int(rd, 8);
        return 0;
    }
    if (!strcmp(bo__stmt_col_text(rd, 7), cur)) {
        *out = bo__stmt_col_int(rd, 6);
        return 0;
    }
    return bo__error_set(BO_ECORRUPT, "entry %lld, posting %lld: a %s posting without a %s "
                         "value (the FEC states every amount in the book currency)",
                         (long long)bo__stmt_col_int(rd, 0), (long long)bo__stmt_col_int(rd, 3),
                         bo__stmt_col_text(rd, 7), cur);
}

static int fec_query(bo__store *st, const char *from, const char *to, bo__stmt **out)
{
    int rc = bo__stmt_new(st, SQL_FEC, out);
    if (!rc && (rc = bo__stmt_bind(*out, "tt", from, to))) {
        bo__stmt_done(*out);
        *out = NULL;
    }
    return rc;
}

/* The first pass: every entry sums to zero in the book currency. */
static int fec_check(bo__store *st, const char *cur, const char *from, const char *to)
{
    bo__stmt *rd;
    int rc = fec_query(st, from, to, &rd);
    int64_t id = -1, sum = 0, v;
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        if (bo__stmt_col_int(rd, 0) != id) {
            if (id >= 0 && sum) {
                rc = bo__error_set(BO_ECORRUPT, "entry %lld: its debits and credits differ "
                                   "in %s", (long long)id, cur);
                break;
            }
            id = bo__stmt_col_int(rd, 0);
            sum = 0;
        }
        if ((rc = fec_base(rd, cur, &v)))
            break;
        if (bo_money_add(sum, v, &sum))
            rc = bo__error_set(BO_EOVERFLOW, "entry %lld: its lines overflow", (long long)id);
    }
    if (rc == BO_DRIVER_DONE && sum)
        rc = bo__error_set(BO_ECORRUPT, "entry %lld: its debits and credits differ in %s",
                           (long long)id, cur);
    else if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    return rc;
}

static int fec_write(bo__store *st, const char *cur, int exp, const char *from,
                     const char *to, FILE *f)
{
    for (int i = 0; i < 18; i++)
        fprintf(f, "%s%c", fec_fields[i], i < 17 ? '\t' : '\n');
    bo__stmt *rd;
    int rc = fec_query(st, from, to, &rd);
    while (!rc && (rc = bo__stmt_step(rd)) == BO_DRIVER_ROW) {
        rc = 0;
        int64_t v;
        if ((rc = fec_base(rd, cur, &v)))
            break;
        char date[9], amt[48], num[24];
        fec_date(bo__stmt_col_text(rd, 1), date);
        fec_amount(v, exp, amt);
        snprintf(num, sizeof num, "%lld", (long long)bo__stmt_col_int(rd, 0));
        const char *memo = bo__stmt_is_null(rd, 9) ? NULL : bo__stmt_col_text(rd, 9);
        if (!memo || !memo[0])
            memo = bo__stmt_col_text(rd, 2);
        /* JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib */
        fprintf(f, "OD\tOpérations diverses\t%s\t%s\t", num, date);
        fec_text(f, bo__stmt_col_text(rd, 4));
        fputc('\t', f);
        fec_text(f, bo__stmt_col_text(rd, 5));
        /* CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib */
        fprintf(f, "\t\t\t%s\t%s\t", num, date);
        fec_text(f, memo);
        /* Debit Credit EcritureLet DateLet ValidDate */
        fprintf(f, "\t%s\t%s\t\t\t%s\t", v > 0 ? amt : exp ? "0,00" : "0",
                v > 0 ? (exp ? "0,00" : "0") : amt, date);
        /* Montantdevise Idevise: a posting in another currency */
        const char *pc = bo__stmt_col_text(rd, 7);
        int pe;
        if (strcmp(pc, cur) && !bo_currency_exponent(pc, &pe)) {
            int64_t pa = bo__stmt_col_int(rd, 6);
            fec_amount(pa, pe, amt);
            fprintf(f, "%s%s\t%s\n", pa < 0 ? "-" : "", amt, pc);
        } else
            fputs("\t\n", f);
        bo__error_clear();
    }
    if (rc == BO_DRIVER_DONE)
        rc = 0;
    bo__stmt_done(rd);
    if (!rc && ferror(f))
        rc = bo__error_set(BO_EIO, "write: %s", strerror(errno));
    return rc;
}

int bo_book_export_fec(bo_book *book, const char *path, bo_date from, bo_date to)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc, exp;
    char lo[16], hi[16];
    if ((rc = bo__text_check("path", path, 4096, false, false)))
        goto done;
    if (bo_date_format(from, lo, sizeof lo) || bo_date_format(to, hi, sizeof hi)) {
        rc = bo__error_set(BO_EINVAL, "from, to: not dates");
        goto done;
    }
    if (from > to) {
        rc = bo__error_set(BO_EINVAL, "from: %s is after to: %s", lo, hi);
        goto done;
    }
    if ((rc = bo_currency_exponent(book->base_currency, &exp)))
        goto done;
    if (bo_book_depth(book) > 0) {
        rc = bo__error_set(BO_ESTATE, "inside a transaction");
        goto done;
    }
    if ((rc = bo__require(book, BO__P_LEDGER_READ)))
        goto done;
    if ((rc = bo__store_begin(book->store, 0)))
        goto done;
    if (!(rc = fec_check(book->store, book->base_currency, lo, hi))) {
        bo__outfile of = { 0 };
        FILE *f = NULL;
        if (!(rc = bo__outfile_open(&of, path, "fec"))) {
            if ((f = fdopen(of.fd, "w")))
                of.fd = -1; /* the stream owns it */
            else
                rc = bo__error_set(BO_EIO, "%s: %s", path, strerror(errno));
        }
        if (!rc)
            rc = fec_write(book->store, book->base_currency, exp, lo, hi, f);
        if (f && fclose(f) && !rc)
            rc = bo__error_set(BO_EIO, "%s: %s", path, strerror(errno));
        rc = bo__outfile_end(&of, rc);
    }
    bo__error_state es;
    bo__error_save(&es);
    bo__store_rollback(book->store);
    bo__error_restore(&es);
done:
    if (rc)
        bo__error_prefix("FEC: ");
    return rc;
}
