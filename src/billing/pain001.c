/*
 * Vendor-bill payment batches as ISO 20022 pain.001.001.03 (customer credit
 * transfer initiation; docs/billing.md, "Payment batches"): the posted
 * vendor bills still open, one transaction each for what is open, from the
 * debtor account (IBAN, BIC) to each vendor's (billing settings
 * "iban.PARTY", "bic.PARTY"). Every IBAN's check digits are verified
 * before anything is written; the group header and the payment block state
 * the number of transactions and the control sum, the sum of the amounts.
 * Written through libxml2 (util/xml.h) into a file beside the target with
 * mode 0600, renamed over it at the end.
 */
#include "billing/billing.h"
#include "util/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAIN001_NS "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#define PAIN001_MAX 10000 /* transactions in one batch */

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

int bo__iban_check(const char *field, const char *iban)
{
    size_t n = iban ? strlen(iban) : 0;
    if (n < 15 || n > 34 || !is_upper(iban[0]) || !is_upper(iban[1]) || !is_digit(iban[2]) ||
        !is_digit(iban[3]))
        return bo__error_set(BO_EINVAL, "%s: not an IBAN (two letters, two check digits, up "
                             "to 30 letters and digits, no spaces)", field);
    unsigned r = 0;
    for (size_t i = 0; i < n; i++) {
        char c = iban[(i + 4) % n]; /* the first four moved to the end */
        if (is_digit(c))
            r = (r * 10 + (unsigned)(c - '0')) % 97;
        else if (is_upper(c))
            r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return bo__error_set(BO_EINVAL, "%s: character %zu is not a capital letter or "
                                 "a digit", field, (i + 4) % n + 1);
    }
    if (r != 1)
        return bo__error_set(BO_EINVAL, "%s: the IBAN's check digits do not match (ISO 13616 "
                             "mod 97)", field);
    return 0;
}

int bo__bic_check(const char *field, const char *bic)
{
    size_t n = bic ? strlen(bic) : 0;
    int ok = n == 8 || n == 11;
    for (size_t i = 0; ok && i < n; i++)
        ok = i < 6 ? is_upper(bic[i]) : is_upper(bic[i]) || is_digit(bic[i]);
    return ok ? 0 : bo__error_set(BO_EINVAL, "%s: not a BIC (8 or 11 letters and digits)",
                                  field);
}

typedef struct pain_tx {
    int64_t id, amount;
    char doc[64], party[BO_CODE_MAX + 1], currency[BO_CURRENCY_MAX + 1];
    char iban[40], bic[16], name[BO_TEXT_MAX + 1];
} pain_tx;

/* The open posted vendor bills of party (NULL: every vendor), each with
 * its vendor's account, checked. */
static int gather(bo_book *book, const char *party, pain_tx **out, size_t *n)
{
    bo_cursor *c;
    int rc = bo_billing_invoices(book, party, &c);
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (rc)
        return rc;
    while (!rc && (rc = bo_cursor_next(c)) == 0) {
        if (strcmp(bo_cursor_text(c, 1), "purchase") || strcmp(bo_cursor_text(c, 2), "posted") ||
            bo_cursor_int(c, 9) <= 0)
            continue;
        if (*n == PAIN001_MAX) {
            rc = bo__error_set(BO_ELIMIT, "more than %d open bills: name a vendor",
                               PAIN001_MAX);
            break;
        }
        if (*n == cap) {
            size_t k = cap ? cap * 2 : 16;
            pain_tx *q = bo__realloc(*out, k * sizeof *q);
            if (!q) {
                rc = BO_ENOMEM;
                break;
            }
            *out = q;
            cap = k;
        }
        pain_tx *t = &(*out)[(*n)++];
        memset(t, 0, sizeof *t);
        t->id = bo_cursor_int(c, 0);
        t->amount = bo_cursor_int(c, 9);
        snprintf(t->doc, sizeof t->doc, "%s", bo_cursor_text(c, 3));
        snprintf(t->party, sizeof t->party, "%s", bo_cursor_text(c, 4));
        snprintf(t->currency, sizeof t->currency, "%s", bo_cursor_text(c, 7));
    }
    bo_cursor_free(c);
    if (rc == BO_ENOTFOUND || rc == 1)
        rc = 0;
    for (size_t i = 0; i < *n && rc >= 0 && !(rc = 0); i++) {
        pain_tx *t = &(*out)[i];
        char key[BO_CODE_MAX + 8];
        snprintf(key, sizeof key, "iban.%s", t->party);
        int set = bo__bill_setting(book, key, t->iban, sizeof t->iban);
        if (set < 0)
            rc = set;
        else if (!set)
            rc = bo__error_set(BO_ECONFIG, "%s: bill %s: the vendor's IBAN is not set (billing "
                               "setting %s)", key, t->doc, key);
        else if (!(rc = bo__iban_check(key, t->iban))) {
            snprintf(key, sizeof key, "bic.%s", t->party);
            if ((set = bo__bill_setting(book, key, t->bic, sizeof t->bic)) < 0)
                rc = set;
            else if (set)
                rc = bo__bic_check(key, t->bic);
        }
        bo_cursor *pc;
        if (!rc && !(rc = bo_party_get(book, t->party, &pc))) {
            if (bo_cursor_next(pc) == 0)
                snprintf(t->name, sizeof t->name, "%s", bo_cursor_text(pc, 1));
            bo_cursor_free(pc);
        }
    }
    if (!rc && !*n)
        rc = bo__error_set(BO_ENOTFOUND, "no open vendor bill%s%s", party ? " of " : "",
                           party ? party : "");
    return rc;
}

/* The amount at its currency's scale, a dot before the decimals. */
static int amount_text(int64_t v, const char *currency, char out[48])
{
    int e;
    if (bo_currency_exponent(currency, &e))
        return BO_ECURRENCY;
    char d[32];
    int n = snprintf(d, sizeof d, "%0*lld", e + 1, (long long)v), k = 0;
    for (int i = 0; i < n; i++) {
        if (e && i == n - e)
            out[k++] = '.';
        out[k++] = d[i];
    }
    out[k] = '\0';
    return 0;
}

static int write_doc(bo__xml_writer *w, const pain_tx *t, size_t n, const char *msgid,
                     const char *ctrl, const char *exec, const char *dname,
                     const char *diban, const char *dbic)
{
    time_t now = time(NULL);
    struct tm tm;
    char ts[32], count[24], amt[48];
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(count, sizeof count, "%zu", n);
    int rc;
    if ((rc = bo__xml_start(w, "Document", PAIN001_NS)) ||
        (rc = bo__xml_start(w, "CstmrCdtTrfInitn", NULL)) ||
        (rc = bo__xml_start(w, "GrpHdr", NULL)) || (rc = bo__xml_elem(w, "MsgId", msgid)) ||
        (rc = bo__xml_elem(w, "CreDtTm", ts)) || (rc = bo__xml_elem(w, "NbOfTxs", count)) ||
        (rc = bo__xml_elem(w, "CtrlSum", ctrl)) || (rc = bo__xml_start(w, "InitgPty", NULL)) ||
        (rc = bo__xml_elem(w, "Nm", dname)) || (rc = bo__xml_end(w)) ||
        (rc = bo__xml_end(w)) || /* GrpHdr */
        (rc = bo__xml_start(w, "PmtInf", NULL)) || (rc = bo__xml_elem(w, "PmtInfId", msgid)) ||
        (rc = bo__xml_elem(w, "PmtMtd", "TRF")) || (rc = bo__xml_elem(w, "NbOfTxs", count)) ||
        (rc = bo__xml_elem(w, "CtrlSum", ctrl)) || (rc = bo__xml_elem(w, "ReqdExctnDt", exec)) ||
        (rc = bo__xml_start(w, "Dbtr", NULL)) || (rc = bo__xml_elem(w, "Nm", dname)) ||
        (rc = bo__xml_end(w)) || (rc = bo__xml_start(w, "DbtrAcct", NULL)) ||
        (rc = bo__xml_start(w, "Id", NULL)) || (rc = bo__xml_elem(w, "IBAN", diban)) ||
        (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)) ||
        (rc = bo__xml_start(w, "DbtrAgt", NULL)) || (rc = bo__xml_start(w, "FinInstnId", NULL)))
        return rc;
    if (dbic)
        rc = bo__xml_elem(w, "BIC", dbic);
    else if (!(rc = bo__xml_start(w, "Othr", NULL)) && !(rc = bo__xml_elem(w, "Id", "NOTPROVIDED")))
        rc = bo__xml_end(w);
    if (rc || (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)) || /* FinInstnId, DbtrAgt */
        (rc = bo__xml_elem(w, "ChrgBr", "SLEV")))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        const pain_tx *x = &t[i];
        char e2e[96];
        snprintf(e2e, sizeof e2e, "%.35s", x->doc);
        if ((rc = amount_text(x->amount, x->currency, amt)) ||
            (rc = bo__xml_start(w, "CdtTrfTxInf", NULL)) ||
            (rc = bo__xml_start(w, "PmtId", NULL)) || (rc = bo__xml_elem(w, "EndToEndId", e2e)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_start(w, "Amt", NULL)) ||
            (rc = bo__xml_start(w, "InstdAmt", NULL)) ||
            (rc = bo__xml_attr_write(w, "Ccy", x->currency)) || (rc = bo__xml_text(w, amt)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)))
            break;
        if (x->bic[0] &&
            ((rc = bo__xml_start(w, "CdtrAgt", NULL)) ||
             (rc = bo__xml_start(w, "FinInstnId", NULL)) || (rc = bo__xml_elem(w, "BIC", x->bic)) ||
             (rc = bo__xml_end(w)) || (rc = bo__xml_end(w))))
            break;
        char nm[80];
        snprintf(nm, sizeof nm, "%.70s", x->name[0] ? x->name : x->party);
        if ((rc = bo__xml_start(w, "Cdtr", NULL)) || (rc = bo__xml_elem(w, "Nm", nm)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_start(w, "CdtrAcct", NULL)) ||
            (rc = bo__xml_start(w, "Id", NULL)) || (rc = bo__xml_elem(w, "IBAN", x->iban)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)) ||
            (rc = bo__xml_start(w, "RmtInf", NULL)) || (rc = bo__xml_elem(w, "Ustrd", x->doc)) ||
            (rc = bo__xml_end(w)) || (rc = bo__xml_end(w)))
            break;
    }
    return rc;
}

int bo_billing_pain001(bo_book *book, const char *path, const char *party, bo_date execution,
                       const char *debtor_iban, const char *debtor_bic)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    char exec[16], diban[40] = "", dbic[16] = "", dname[BO_TEXT_MAX + 1] = "";
    if ((rc = bo__text_check("path", path, 4096, false, false)) ||
        (party && (rc = bo__text_check("party", party, BO_CODE_MAX, false, false))) ||
        (debtor_iban && (rc = bo__text_check("debtor_iban", debtor_iban, 39, false, false))) ||
        (debtor_bic && (rc = bo__text_check("debtor_bic", debtor_bic, 15, false, false))))
        return rc;
    if (bo_date_format(execution, exec, sizeof exec))
        return bo__error_set(BO_EINVAL, "execution: not a date");
    if (bo_book_depth(book) > 0)
        return bo__error_set(BO_ESTATE, "pain.001: inside a transaction");
    if ((rc = bo__require(book, BO__P_BILLING_READ)))
        return rc;
    /* the debtor: the arguments, else the settings */
    int set;
    if (debtor_iban)
        snprintf(diban, sizeof diban, "%s", debtor_iban);
    else if ((set = bo__bill_setting(book, "debtor_iban", diban, sizeof diban)) <= 0)
        return set < 0 ? set
                       : bo__error_set(BO_ECONFIG, "debtor_iban: not given and not set "
                                       "(billing setting debtor_iban)");
    if (debtor_bic)
        snprintf(dbic, sizeof dbic, "%s", debtor_bic);
    else if ((set = bo__bill_setting(book, "debtor_bic", dbic, sizeof dbic)) < 0)
        return set;
    if ((set = bo__bill_setting(book, "debtor_name", dname, sizeof dname)) < 0)
        return set;
    if ((rc = bo__iban_check("debtor_iban", diban)) ||
        (dbic[0] && (rc = bo__bic_check("debtor_bic", dbic))))
        return rc;
    pain_tx *t = NULL;
    size_t n = 0;
    int64_t sum = 0;
    char ctrl[48], msgid[48];
    if (!(rc = gather(book, party, &t, &n)))
        for (size_t i = 0; i < n && !rc; i++)
            if (bo_money_add(sum, t[i].amount, &sum))
                rc = bo__error_set(BO_EOVERFLOW, "the control sum overflows");
    /* the control sum: the amounts as decimals (one currency's scale when
     * they share one, else each added at its own) */
    if (!rc) {
        int e0 = -1, same = 1, e;
        for (size_t i = 0; i < n && !rc; i++) {
            if ((rc = bo_currency_exponent(t[i].currency, &e)))
                break;
            same &= e0 < 0 || e == e0;
            e0 = e;
        }
        if (!rc && !same)
            rc = bo__error_set(BO_ECURRENCY, "the open bills' currencies have different "
                               "decimals: one batch per currency (name a vendor)");
        if (!rc)
            rc = amount_text(sum, t[0].currency, ctrl);
    }
    time_t now = time(NULL);
    snprintf(msgid, sizeof msgid, "BO-%lld-%zu", (long long)now, n);
    bo__outfile of = { 0 };
    bo__xml_writer *w = NULL;
    if (!rc && !(rc = bo__outfile_open(&of, path, "pain")) && !(rc = bo__outfile_close_fd(&of)) &&
        !(w = bo__xml_writer_new(of.tmp)))
        rc = BO_EIO;
    if (!rc && !(rc = write_doc(w, t, n, msgid, ctrl, exec, dname[0] ? dname : "-", diban,
                                dbic[0] ? dbic : NULL))) {
        rc = bo__xml_writer_finish(w, NULL, NULL);
        w = NULL;
    }
    bo__xml_writer_free(w);
    rc = bo__outfile_end(&of, rc);
    bo__free(t);
    if (rc) {
        bo__error_prefix("pain.001: ");
        return rc;
    }
    return (int)n;
}
