/*
 * GnuCash's business objects read into the commerce and billing domains
 * (docs/import-export.md, "GnuCash in"): customers and vendors become
 * parties, tax tables tax rates and categories, invoices, bills and credit
 * notes with their lines billing documents (a job's of the job's owner, the
 * job on the memo), posted through billing (a foreign one at GnuCash's exact
 * rate), and the payments applied through an invoice's lot billing payments
 * allocated to it.
 *
 * An invoice's posting transaction and its payments' transactions are not
 * written as plain entries: billing posts the document and the payment, and
 * the entry billing made for a document is compared, account by account,
 * with the splits GnuCash posted (a difference is refused naming the
 * GnuCash invoice id, nothing imported). Everything is checked whole before
 * anything is written; amounts are exact or refused, never rounded.
 */
#include "book/gnucash.h"
#include "billing/billing.h"
#include "ledger/ledger.h"

#include <sqlite3.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIZ(g) (&(g)->biz)

static int grow(void **p, size_t *cap, size_t *n, size_t size)
{
    int rc = bo__grow(p, cap, *n, size);
    if (rc)
        return rc;
    memset((char *)*p + *n * size, 0, size);
    (*n)++;
    return 0;
}

/* ---- XML ------------------------------------------------------------------ */

int bo__gc_biz_start(gc *g, const char *name, int line)
{
    gc_biz *z = BIZ(g);
    int rc = 0;
    if (g->depth == 3) {
        if (!strcmp(name, "GncCustomer") || !strcmp(name, "GncVendor")) {
            if (!(rc = grow((void **)&z->party, &z->capparty, &z->nparty, sizeof *z->party))) {
                z->party[z->nparty - 1].line = line;
                z->party[z->nparty - 1].vendor = !strcmp(name, "GncVendor");
            }
        } else if (!strcmp(name, "GncTaxTable")) {
            if (!(rc = grow((void **)&z->tt, &z->captt, &z->ntt, sizeof *z->tt)))
                z->tt[z->ntt - 1].line = line;
        } else if (!strcmp(name, "GncEntry")) {
            if (!(rc = grow((void **)&z->entry, &z->capentry, &z->nentry, sizeof *z->entry)))
                z->entry[z->nentry - 1].line = line;
        } else if (!strcmp(name, "GncInvoice")) {
            if (!(rc = grow((void **)&z->inv, &z->capinv, &z->ninv, sizeof *z->inv))) {
                z->inv[z->ninv - 1].line = line;
                z->inv[z->ninv - 1].active = 1;
            }
        } else if (!strcmp(name, "GncJob")) {
            if (!(rc = grow((void **)&z->job, &z->capjob, &z->njob, sizeof *z->job)))
                z->job[z->njob - 1].line = line;
        }
    } else if (!strcmp(name, "GncTaxTableEntry") && !strcmp(g->stack[2], "GncTaxTable") &&
               z->ntt) {
        gc_taxtable *t = &z->tt[z->ntt - 1];
        if (t->n < GC_TTE_MAX)
            t->n++;
        else
            t->extra = 1;
    }
    return rc;
}

static int end_party(gc *g, gc_party *p, const char *name, const char *p1)
{
    if (!strcmp(p1, "currency")) {
        if (!strcmp(name, "space"))
            return bo__gc_keep(g, p->space, sizeof p->space, "party currency space");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, p->cur, sizeof p->cur, "party currency");
        return 0;
    }
    if (strcmp(p1, g->stack[2]))
        return 0;
    if (!strcmp(name, "guid"))
        return bo__gc_keep(g, p->guid, sizeof p->guid, "party guid");
    if (!strcmp(name, "id"))
        return bo__gc_keep(g, p->id, sizeof p->id, "party id");
    if (!strcmp(name, "name"))
        return bo__gc_keep_dup(g, &p->name, "party name");
    return 0;
}

static int end_taxtable(gc *g, gc_taxtable *t, const char *name, const char *p1)
{
    if (!strcmp(p1, "GncTaxTableEntry")) {
        if (t->extra || !t->n)
            return 0;
        gc_tte *e = &t->e[t->n - 1];
        if (!strcmp(name, "acct"))
            return bo__gc_keep(g, e->acct, sizeof e->acct, "tax table account");
        if (!strcmp(name, "amount"))
            return bo__gc_keep(g, e->amount, sizeof e->amount, "tax table amount");
        if (!strcmp(name, "type"))
            return bo__gc_keep(g, e->type, sizeof e->type, "tax table type");
        return 0;
    }
    if (strcmp(p1, "GncTaxTable"))
        return 0;
    if (!strcmp(name, "guid"))
        return bo__gc_keep(g, t->guid, sizeof t->guid, "tax table guid");
    if (!strcmp(name, "name"))
        return bo__gc_keep(g, t->name, sizeof t->name, "tax table name");
    if (!strcmp(name, "parent"))
        return bo__gc_keep(g, t->parent, sizeof t->parent, "tax table parent");
    if (!strcmp(name, "invisible"))
        t->invisible = g->text[0] == '1';
    return 0;
}

static int end_entry(gc *g, gc_entry *e, const char *name, const char *p1)
{
    if (strcmp(p1, "GncEntry"))
        return 0;
    static const char *const fields[] = { "guid", "invoice", "bill", "i-acct", "b-acct",
                                          "i-price", "b-price", "qty", "i-discount",
                                          "i-disc-type", "i-taxtable", "b-taxtable" };
    char *dst[] = { e->guid, e->doc, e->doc, e->acct, e->acct, e->price, e->price, e->qty,
                    e->disc, e->disc_type, e->tax, e->tax };
    size_t size[] = { sizeof e->guid, sizeof e->doc, sizeof e->doc, sizeof e->acct,
                      sizeof e->acct, sizeof e->price, sizeof e->price, sizeof e->qty,
                      sizeof e->disc, sizeof e->disc_type, sizeof e->tax, sizeof e->tax };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcmp(name, fields[i])) {
            if (!strcmp(name, "bill"))
                e->bill = 1;
            return bo__gc_keep(g, dst[i], size[i], fields[i]);
        }
    if (!strcmp(name, "description"))
        return bo__gc_keep_dup(g, &e->desc, "entry description");
    if (!strcmp(name, "i-taxable") || !strcmp(name, "b-taxable"))
        e->taxable = g->text[0] == '1';
    if (!strcmp(name, "i-taxincluded") || !strcmp(name, "b-taxincluded"))
        e->taxincl = g->text[0] == '1';
    return 0;
}

static int end_invoice(gc *g, gc_invoice *v, const char *name, const char *p1)
{
    if (!strcmp(p1, "owner")) {
        if (!strcmp(name, "type"))
            return bo__gc_keep(g, v->otype, sizeof v->otype, "invoice owner type");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, v->owner, sizeof v->owner, "invoice owner");
        return 0;
    }
    if (!strcmp(p1, "currency"))
        return !strcmp(name, "id") ? bo__gc_keep(g, v->cur, sizeof v->cur, "invoice currency")
                                   : 0;
    /* the invoice's own slots: credit-note */
    if (!strcmp(p1, "slot") && !strcmp(bo__gc_up(g, 2), "slots") &&
        !strcmp(bo__gc_up(g, 3), "GncInvoice")) {
        if (!strcmp(name, "key"))
            return bo__gc_keep(g, v->slot, sizeof v->slot, "invoice slot key");
        if (!strcmp(name, "value") && !strcmp(v->slot, "credit-note"))
            v->credit = g->text[0] == '1';
        return 0;
    }
    if (!strcmp(p1, "posted") || (!strcmp(p1, "opened") && !v->posted[0]))
        return !strcmp(name, "date") ? bo__gc_keep(g, v->posted, sizeof v->posted,
                                                   "invoice date")
                                     : 0;
    if (strcmp(p1, "GncInvoice"))
        return 0;
    if (!strcmp(name, "guid"))
        return bo__gc_keep(g, v->guid, sizeof v->guid, "invoice guid");
    if (!strcmp(name, "id"))
        return bo__gc_keep(g, v->id, sizeof v->id, "invoice id");
    if (!strcmp(name, "posttxn"))
        return bo__gc_keep(g, v->txn, sizeof v->txn, "invoice posttxn");
    if (!strcmp(name, "postlot"))
        return bo__gc_keep(g, v->lot, sizeof v->lot, "invoice postlot");
    if (!strcmp(name, "postacc"))
        return bo__gc_keep(g, v->acc, sizeof v->acc, "invoice postacc");
    if (!strcmp(name, "active"))
        v->active = g->text[0] == '1';
    return 0;
}

static int end_job(gc *g, gc_job *j, const char *name, const char *p1)
{
    if (!strcmp(p1, "owner")) {
        if (!strcmp(name, "type"))
            return bo__gc_keep(g, j->otype, sizeof j->otype, "job owner type");
        if (!strcmp(name, "id"))
            return bo__gc_keep(g, j->owner, sizeof j->owner, "job owner");
        return 0;
    }
    if (strcmp(p1, "GncJob"))
        return 0;
    if (!strcmp(name, "guid"))
        return bo__gc_keep(g, j->guid, sizeof j->guid, "job guid");
    if (!strcmp(name, "id"))
        return bo__gc_keep(g, j->id, sizeof j->id, "job id");
    if (!strcmp(name, "name"))
        return bo__gc_keep(g, j->name, sizeof j->name, "job name");
    return 0;
}

int bo__gc_biz_end(gc *g, const char *name)
{
    gc_biz *z = BIZ(g);
    const char *top = g->stack[2], *p1 = bo__gc_up(g, 1);
    if ((!strcmp(top, "GncCustomer") || !strcmp(top, "GncVendor")) && z->nparty)
        return end_party(g, &z->party[z->nparty - 1], name, p1);
    if (!strcmp(top, "GncTaxTable") && z->ntt)
        return end_taxtable(g, &z->tt[z->ntt - 1], name, p1);
    if (!strcmp(top, "GncEntry") && z->nentry)
        return end_entry(g, &z->entry[z->nentry - 1], name, p1);
    if (!strcmp(top, "GncInvoice") && z->ninv)
        return end_invoice(g, &z->inv[z->ninv - 1], name, p1);
    if (!strcmp(top, "GncJob") && z->njob)
        return end_job(g, &z->job[z->njob - 1], name, p1);
    return 0;
}

void bo__gc_biz_free(gc *g)
{
    gc_biz *z = BIZ(g);
    for (size_t i = 0; i < z->nparty; i++)
        bo__free(z->party[i].name);
    for (size_t i = 0; i < z->nentry; i++)
        bo__free(z->entry[i].desc);
    bo__free(z->party);
    bo__free(z->tt);
    bo__free(z->entry);
    bo__free(z->inv);
    bo__free(z->job);
    memset(z, 0, sizeof *z);
}

/* ---- SQLite --------------------------------------------------------------- */

static const char *col(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static int put(gc *g, char *dst, size_t size, const char *src, const char *table, int row,
               const char *what)
{
    if (strlen(src) >= size)
        return bo__error_set(BO_ETOOLONG, "%s row %d: %s: longer than %zu bytes", table, row,
                             what, size - 1);
    memcpy(dst, src, strlen(src) + 1);
    (void)g;
    return 0;
}

static void frac(char *dst, size_t size, sqlite3_stmt *st, int i)
{
    snprintf(dst, size, "%lld/%lld", (long long)sqlite3_column_int64(st, i),
             (long long)sqlite3_column_int64(st, i + 1));
}

/* One query over a table the book may lack (a book without business
 * objects from GnuCash 2.6): *st NULL then. */
static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
    *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
        if (strstr(sqlite3_errmsg(db), "no such table"))
            return 0;
        return bo__error_set(BO_EINVAL, "not a GnuCash SQLite book: %s: %s", sql,
                             sqlite3_errmsg(db));
    }
    return 0;
}

int bo__gc_biz_sqlite(gc *g, void *handle)
{
    sqlite3 *db = handle;
    sqlite3_stmt *st;
    gc_biz *z = BIZ(g);
    int rc = 0;
    /* the versions of the business tables this reader knows */
    if (!(rc = prep(db, "SELECT table_name, table_version FROM versions WHERE table_name IN"
                        " ('customers', 'vendors', 'invoices', 'entries', 'taxtables',"
                        " 'taxtable_entries', 'jobs')", &st)) && st) {
        static const struct { const char *t; int lo, hi; } known[] = {
            { "customers", 2, 2 }, { "vendors", 1, 1 }, { "invoices", 3, 4 },
            { "entries", 3, 4 }, { "taxtables", 2, 2 }, { "taxtable_entries", 3, 3 },
            { "jobs", 1, 1 },
        };
        while (!rc && sqlite3_step(st) == SQLITE_ROW)
            for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
                if (!strcmp(col(st, 0), known[i].t) &&
                    (sqlite3_column_int(st, 1) < known[i].lo ||
                     sqlite3_column_int(st, 1) > known[i].hi))
                    rc = bo__error_set(BO_ESCHEMA, "versions: table %s is at version %d, not "
                                       "one this library reads (%d to %d)", known[i].t,
                                       sqlite3_column_int(st, 1), known[i].lo, known[i].hi);
        sqlite3_finalize(st);
    }
    static const char *const parties[2] = {
        "SELECT p.rowid, p.guid, p.id, p.name, COALESCE(c.namespace, ''),"
        " COALESCE(c.mnemonic, '') FROM customers p"
        " LEFT JOIN commodities c ON c.guid = p.currency ORDER BY p.rowid",
        "SELECT p.rowid, p.guid, p.id, p.name, COALESCE(c.namespace, ''),"
        " COALESCE(c.mnemonic, '') FROM vendors p"
        " LEFT JOIN commodities c ON c.guid = p.currency ORDER BY p.rowid",
    };
    for (int v = 0; v < 2 && !rc; v++) {
        const char *table = v ? "vendors" : "customers";
        if ((rc = prep(db, parties[v], &st)) || !st)
            continue;
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = grow((void **)&z->party, &z->capparty, &z->nparty, sizeof *z->party)))
                break;
            gc_party *p = &z->party[z->nparty - 1];
            p->line = row;
            p->vendor = v;
            if ((rc = put(g, p->guid, sizeof p->guid, col(st, 1), table, row, "guid")) ||
                (rc = put(g, p->id, sizeof p->id, col(st, 2), table, row, "id")) ||
                (rc = put(g, p->space, sizeof p->space, col(st, 4), table, row, "currency")) ||
                (rc = put(g, p->cur, sizeof p->cur, col(st, 5), table, row, "currency")))
                break;
            if (!(p->name = bo__strdup(col(st, 3))))
                rc = BO_ENOMEM;
        }
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = prep(db, "SELECT rowid, guid, name, invisible, COALESCE(parent, '')"
                               " FROM taxtables ORDER BY rowid", &st)) && st) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = grow((void **)&z->tt, &z->captt, &z->ntt, sizeof *z->tt)))
                break;
            gc_taxtable *t = &z->tt[z->ntt - 1];
            t->line = row;
            t->invisible = sqlite3_column_int(st, 3) != 0;
            if ((rc = put(g, t->guid, sizeof t->guid, col(st, 1), "taxtables", row, "guid")) ||
                (rc = put(g, t->name, sizeof t->name, col(st, 2), "taxtables", row, "name")) ||
                (rc = put(g, t->parent, sizeof t->parent, col(st, 4), "taxtables", row,
                          "parent")))
                break;
        }
        sqlite3_finalize(st);
    }
    /* the entries of a table in GnuCash's order (the XML file's is its own:
     * the rates of a category are a set, compared as one) */
    if (!rc && !(rc = prep(db, "SELECT id, taxtable, account, amount_num, amount_denom, type"
                               " FROM taxtable_entries ORDER BY id", &st)) && st) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            for (size_t i = 0; i < z->ntt; i++) {
                gc_taxtable *t = &z->tt[i];
                if (strcmp(t->guid, col(st, 1)))
                    continue;
                if (t->n == GC_TTE_MAX) {
                    t->extra = 1;
                    break;
                }
                gc_tte *e = &t->e[t->n++];
                int row = sqlite3_column_int(st, 0);
                frac(e->amount, sizeof e->amount, st, 3);
                snprintf(e->type, sizeof e->type, "%s",
                         sqlite3_column_int(st, 5) == 2 ? "PERCENT" : "VALUE");
                rc = put(g, e->acct, sizeof e->acct, col(st, 2), "taxtable_entries", row,
                         "account");
                break;
            }
        }
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = prep(db,
            "SELECT rowid, guid, COALESCE(invoice, ''), COALESCE(bill, ''), description,"
            " quantity_num, quantity_denom, COALESCE(i_acct, ''), i_price_num, i_price_denom,"
            " i_discount_num, i_discount_denom, COALESCE(i_disc_type, ''), i_taxable,"
            " i_taxincluded, COALESCE(i_taxtable, ''), COALESCE(b_acct, ''), b_price_num,"
            " b_price_denom, b_taxable, b_taxincluded, COALESCE(b_taxtable, '')"
            " FROM entries ORDER BY rowid", &st)) && st) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = grow((void **)&z->entry, &z->capentry, &z->nentry, sizeof *z->entry)))
                break;
            gc_entry *e = &z->entry[z->nentry - 1];
            e->line = row;
            e->bill = !col(st, 2)[0] && col(st, 3)[0];
            int b = e->bill ? 9 : 0; /* the bill's columns follow the invoice's */
            frac(e->qty, sizeof e->qty, st, 5);
            frac(e->price, sizeof e->price, st, 8 + b);
            if (!e->bill)
                frac(e->disc, sizeof e->disc, st, 10);
            e->taxable = sqlite3_column_int(st, e->bill ? 19 : 13) != 0;
            e->taxincl = sqlite3_column_int(st, e->bill ? 20 : 14) != 0;
            if ((rc = put(g, e->guid, sizeof e->guid, col(st, 1), "entries", row, "guid")) ||
                (rc = put(g, e->doc, sizeof e->doc, col(st, e->bill ? 3 : 2), "entries", row,
                          "invoice")) ||
                (rc = put(g, e->acct, sizeof e->acct, col(st, e->bill ? 16 : 7), "entries",
                          row, "account")) ||
                (rc = put(g, e->disc_type, sizeof e->disc_type, col(st, 12), "entries", row,
                          "i_disc_type")) ||
                (rc = put(g, e->tax, sizeof e->tax, col(st, e->bill ? 21 : 15), "entries", row,
                          "taxtable")))
                break;
            if (col(st, 4)[0] && !(e->desc = bo__strdup(col(st, 4))))
                rc = BO_ENOMEM;
        }
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = prep(db,
            "SELECT i.rowid, i.guid, i.id, i.owner_type, COALESCE(i.owner_guid, ''),"
            " COALESCE(i.date_posted, i.date_opened, ''), COALESCE(i.post_txn, ''), COALESCE(i.post_lot, ''),"
            " COALESCE(i.post_acc, ''), COALESCE(c.mnemonic, ''), i.active,"
            " COALESCE((SELECT s.int64_val FROM slots s WHERE s.obj_guid = i.guid"
            " AND s.name = 'credit-note'), 0) FROM invoices i"
            " LEFT JOIN commodities c ON c.guid = i.currency ORDER BY i.rowid", &st)) && st) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = grow((void **)&z->inv, &z->capinv, &z->ninv, sizeof *z->inv)))
                break;
            gc_invoice *v = &z->inv[z->ninv - 1];
            v->line = row;
            v->active = sqlite3_column_int(st, 10) != 0;
            v->credit = sqlite3_column_int(st, 11) != 0;
            int ot = sqlite3_column_int(st, 3);
            snprintf(v->otype, sizeof v->otype, "%s",
                     ot == 2 ? "gncCustomer" : ot == 4 ? "gncVendor" : ot == 3 ? "gncJob"
                     : ot == 5 ? "gncEmployee" : "unknown");
            if ((rc = put(g, v->guid, sizeof v->guid, col(st, 1), "invoices", row, "guid")) ||
                (rc = put(g, v->id, sizeof v->id, col(st, 2), "invoices", row, "id")) ||
                (rc = put(g, v->owner, sizeof v->owner, col(st, 4), "invoices", row,
                          "owner_guid")) ||
                (rc = put(g, v->posted, sizeof v->posted, col(st, 5), "invoices", row,
                          "date_posted")) ||
                (rc = put(g, v->txn, sizeof v->txn, col(st, 6), "invoices", row, "post_txn")) ||
                (rc = put(g, v->lot, sizeof v->lot, col(st, 7), "invoices", row, "post_lot")) ||
                (rc = put(g, v->acc, sizeof v->acc, col(st, 8), "invoices", row, "post_acc")) ||
                (rc = put(g, v->cur, sizeof v->cur, col(st, 9), "invoices", row, "currency")))
                break;
        }
        sqlite3_finalize(st);
    }
    if (!rc && !(rc = prep(db, "SELECT rowid, guid, id, name, owner_type,"
                               " COALESCE(owner_guid, '') FROM jobs ORDER BY rowid", &st)) &&
        st) {
        while (!rc && sqlite3_step(st) == SQLITE_ROW) {
            int row = sqlite3_column_int(st, 0);
            if ((rc = grow((void **)&z->job, &z->capjob, &z->njob, sizeof *z->job)))
                break;
            gc_job *j = &z->job[z->njob - 1];
            int ot = sqlite3_column_int(st, 4);
            j->line = row;
            snprintf(j->otype, sizeof j->otype, "%s",
                     ot == 2 ? "gncCustomer" : ot == 4 ? "gncVendor" : "unknown");
            if ((rc = put(g, j->guid, sizeof j->guid, col(st, 1), "jobs", row, "guid")) ||
                (rc = put(g, j->id, sizeof j->id, col(st, 2), "jobs", row, "id")) ||
                (rc = put(g, j->name, sizeof j->name, col(st, 3), "jobs", row, "name")) ||
                (rc = put(g, j->owner, sizeof j->owner, col(st, 5), "jobs", row,
                          "owner_guid")))
                break;
        }
        sqlite3_finalize(st);
    }
    return rc;
}

/* ---- checks --------------------------------------------------------------- */

static gc_party *party_of(gc *g, const char *guid)
{
    for (size_t i = 0; i < BIZ(g)->nparty; i++)
        if (!strcmp(BIZ(g)->party[i].guid, guid))
            return &BIZ(g)->party[i];
    return NULL;
}

static gc_taxtable *table_of(gc *g, const char *guid)
{
    for (size_t i = 0; i < BIZ(g)->ntt; i++)
        if (!strcmp(BIZ(g)->tt[i].guid, guid))
            return &BIZ(g)->tt[i];
    return NULL;
}

static gc_tx *tx_of(gc *g, const char *guid)
{
    for (size_t i = 0; i < g->ntx; i++)
        if (!strcmp(g->tx[i].guid, guid))
            return &g->tx[i];
    return NULL;
}

static gc_invoice *invoice_by_lot(gc *g, const char *lot)
{
    for (size_t i = 0; lot[0] && i < BIZ(g)->ninv; i++)
        if (!strcmp(BIZ(g)->inv[i].lot, lot) && BIZ(g)->inv[i].txn[0])
            return &BIZ(g)->inv[i];
    return NULL;
}

/* The side a document's lot is open on: 1 when its balance is a debit (an
 * invoice, a vendor's credit note), -1 when a credit (a bill, a customer's
 * credit note). A split settles it when its value has the other sign. */
static int doc_sign(const gc_invoice *v)
{
    return (v->vendor ? -1 : 1) * (v->credit ? -1 : 1);
}

#define GC_SETTLE_MAX 64

static const gc_job *job_of(gc *g, const char *guid)
{
    for (size_t i = 0; i < BIZ(g)->njob; i++)
        if (!strcmp(BIZ(g)->job[i].guid, guid))
            return &BIZ(g)->job[i];
    return NULL;
}

/* "num/den" as a fraction in lowest terms with den > 0: 0, or -1. */
static int fraction(const char *text, int64_t *num, int64_t *den)
{
    long long n, d;
    char tail;
    if (sscanf(text, "%lld/%lld%c", &n, &d, &tail) != 2 || d <= 0)
        return -1;
    long long x = n < 0 ? -n : n, r = d;
    while (r) {
        long long t = x % r;
        x = r;
        r = t;
    }
    *num = x ? n / x : 0;
    *den = x ? d / x : 1;
    return 0;
}

/* a/b * c/d in lowest terms, or -1 when it overflows. */
static int frac_mul(int64_t a, int64_t b, int64_t c, int64_t d, int64_t *num, int64_t *den)
{
    __int128 n = (__int128)a * c, m = (__int128)b * d;
    if (m < 0) {
        n = -n;
        m = -m;
    }
    __int128 x = n < 0 ? -n : n, r = m;
    while (r) {
        __int128 t = x % r;
        x = r;
        r = t;
    }
    if (x > 1) {
        n /= x;
        m /= x;
    }
    if (n > INT64_MAX || n < INT64_MIN || m > INT64_MAX || m == 0)
        return -1;
    *num = (int64_t)n;
    *den = (int64_t)m;
    return 0;
}

/* A foreign document's rate, exactly as GnuCash posted it (book-currency
 * units per unit of the document's currency): the price of the posting day
 * between the two currencies (GnuCash's invoice dialog records the rate it
 * posts at in the price database), else the quantity over the value of the
 * posting's largest split in a book-currency account; a posting without
 * one leaves the book's rate of the day. 0, or -1 when it overflows. */
static int doc_rate(gc *g, gc_invoice *v, const gc_tx *t, const char *base)
{
    int64_t n, d;
    for (size_t i = g->nprice; i-- > 0;) {
        const gc_price *p = &g->price[i];
        if (strncmp(p->ts, v->posted, 10) || fraction(p->value, &n, &d) || n <= 0)
            continue;
        if (!strcmp(p->cmdty, v->cur) && !strcmp(p->cur, base))
            return frac_mul(n, d, 1, 1, &v->rate_num, &v->rate_den);
        if (!strcmp(p->cmdty, base) && !strcmp(p->cur, v->cur))
            return frac_mul(d, n, 1, 1, &v->rate_num, &v->rate_den);
    }
    int64_t best = 0;
    for (size_t k = 0; k < t->n; k++) {
        const gc_split *s = &t->splits[k];
        gc_acct *a = bo__gc_acct(g, s->account);
        int64_t vn, vd, qn, qd;
        if (!a || strcmp(a->cmdty, base) || fraction(s->value, &vn, &vd) ||
            fraction(s->quantity, &qn, &qd) || vn == 0 || qn == 0 || (vn < 0) != (qn < 0))
            continue;
        int64_t mag = vn < 0 ? -vn : vn; /* compared at one scale below */
        if (bo_money_muldiv(mag, 1000000, vd, BO_ROUND_DOWN, &mag) || mag <= best)
            continue;
        best = mag;
        if (frac_mul(qn, qd, vd, vn, &v->rate_num, &v->rate_den))
            return -1;
    }
    return 0;
}

/* The table whose category a table stands for: GnuCash copies a table an
 * entry uses into an invisible child. */
static gc_taxtable *table_root(gc *g, gc_taxtable *t)
{
    for (int hops = 0; t && t->parent[0] && hops < 8; hops++) {
        gc_taxtable *p = table_of(g, t->parent);
        if (!p)
            break;
        t = p;
    }
    return t;
}

/* Rate code of a tax table entry: the account's code and the rate. */
static void rate_code(gc *g, const gc_tte *e, char *out, size_t size, int64_t *ppm)
{
    bo__gc_minor(e->amount, 4, ppm);
    gc_acct *a = bo__gc_acct(g, e->acct);
    snprintf(out, size, "gc-%s-%" PRId64, a ? a->our : "?", *ppm);
}

#define FAIL(code, ...) bo__error_set(code, __VA_ARGS__)

int bo__gc_biz_check(gc *g, const char *base)
{
    gc_biz *z = BIZ(g);
    const char *u = g->unit;
    /* parties: a code of ours; a vendor whose id a customer has is
     * "V-<id>" */
    for (size_t i = 0; i < z->nparty; i++) {
        gc_party *p = &z->party[i];
        int exp;
        if (!p->id[0] || strlen(p->id) > BO_CODE_MAX - 2)
            return FAIL(BO_EINVAL, "%s %d: %s %s: id '%s' is empty or longer than %d bytes",
                        u, p->line, p->vendor ? "vendor" : "customer", p->guid, p->id,
                        BO_CODE_MAX - 2);
        if (bo_currency_exponent(p->cur, &exp))
            return FAIL(BO_ECURRENCY, "%s %d: %s %s: currency %s is not an ISO 4217 currency",
                        u, p->line, p->vendor ? "vendor" : "customer", p->id, p->cur);
        snprintf(p->code, sizeof p->code, "%s", p->id);
        for (size_t k = 0; k < z->nparty; k++)
            if (k != i && p->vendor && !z->party[k].vendor && !strcmp(z->party[k].id, p->id))
                snprintf(p->code, sizeof p->code, "V-%.*s", (int)sizeof p->code - 3, p->id);
    }
    /* tax tables: percentages on accounts of the book */
    for (size_t i = 0; i < z->ntt; i++) {
        gc_taxtable *t = &z->tt[i];
        if (t->extra)
            return FAIL(BO_ENOTSUP, "%s %d: tax table '%s': more than %d rates", u, t->line,
                        t->name, GC_TTE_MAX);
        for (int k = 0; k < t->n; k++) {
            int64_t ppm;
            gc_acct *a = bo__gc_acct(g, t->e[k].acct);
            if (strcmp(t->e[k].type, "PERCENT"))
                return FAIL(BO_ENOTSUP, "%s %d: tax table '%s', rate %d: a %s amount (only "
                            "percentages are imported)", u, t->line, t->name, k + 1,
                            t->e[k].type);
            int rc = bo__gc_minor(t->e[k].amount, 4, &ppm);
            if (rc || ppm < 0 || ppm > BO_TAX_RATE_MAX)
                return FAIL(BO_EINVAL, "%s %d: tax table '%s', rate %d: %s %% does not fit "
                            "millionths between 0 and %d (refused, never rounded)", u,
                            t->line, t->name, k + 1, t->e[k].amount, BO_TAX_RATE_MAX);
            if (!a || a->skip)
                return FAIL(BO_EINVAL, "%s %d: tax table '%s', rate %d: account %s is not in "
                            "the book", u, t->line, t->name, k + 1, t->e[k].acct);
        }
        gc_taxtable *r = table_root(g, t);
        snprintf(t->cat, sizeof t->cat, "gc-%.12s", r->guid);
    }
    /* jobs: owned by a customer or a vendor of the book */
    for (size_t i = 0; i < z->njob; i++) {
        gc_job *j = &z->job[i];
        gc_party *p = party_of(g, j->owner);
        int vendor = !strcmp(j->otype, "gncVendor");
        if ((!vendor && strcmp(j->otype, "gncCustomer")) || !p || p->vendor != vendor)
            return FAIL(BO_EINVAL, "%s %d: job %s '%s': owner %s (%s) is not a customer or "
                        "vendor of the book", u, j->line, j->id, j->name, j->owner, j->otype);
    }
    /* invoices: owner, currency, the posting transaction; their lines */
    for (size_t i = 0; i < z->ninv; i++) {
        gc_invoice *v = &z->inv[i];
        const char *otype = v->otype, *owner = v->owner;
        const char *what = v->credit ? "credit note" : "invoice";
        v->job = NULL;
        if (!strcmp(otype, "gncJob")) {
            v->job = job_of(g, owner);
            if (!v->job)
                return FAIL(BO_EINVAL, "%s %d: %s %s: job %s is not a job of the book", u,
                            v->line, what, v->id, owner);
            otype = v->job->otype;
            owner = v->job->owner;
        }
        int vendor = !strcmp(otype, "gncVendor"), exp;
        gc_party *p = party_of(g, owner);
        if (!vendor && strcmp(otype, "gncCustomer"))
            return FAIL(BO_ENOTSUP, "%s %d: %s %s: its owner is a %s (customers' and jobs' "
                        "invoices and vendors' bills are imported)", u, v->line, what, v->id,
                        otype);
        if (!p || p->vendor != vendor)
            return FAIL(BO_EINVAL, "%s %d: %s %s: owner %s is not a %s of the book", u,
                        v->line, what, v->id, owner, vendor ? "vendor" : "customer");
        snprintf(v->party, sizeof v->party, "%s", p->guid);
        v->vendor = vendor;
        if (bo_currency_exponent(v->cur, &exp))
            return FAIL(BO_ECURRENCY, "%s %d: %s %s: currency '%s' is not an ISO 4217 "
                        "currency", u, v->line, what, v->id, v->cur);
        v->rate_num = v->rate_den = 0;
        if (v->txn[0]) {
            gc_tx *t = tx_of(g, v->txn);
            gc_acct *a = bo__gc_acct(g, v->acc);
            if (!t || t->voided || !a || a->skip)
                return FAIL(BO_EINVAL, "%s %d: %s %s: its posting transaction %s or "
                            "account %s is not in the book", u, v->line, what, v->id, v->txn,
                            v->acc);
            if (strcmp(t->cur, v->cur) || strcmp(a->cmdty, v->cur))
                return FAIL(BO_EINVAL, "%s %d: %s %s: in %s, but posted in %s to an account "
                            "in %s", u, v->line, what, v->id, v->cur, t->cur, a->cmdty);
            t->owned = 1;
            if (strcmp(v->cur, base) && doc_rate(g, v, t, base))
                return FAIL(BO_EINVAL, "%s %d: %s %s: its rate of %s in %s overflows", u,
                            v->line, what, v->id, v->cur, base);
        }
        int lines = 0, incl = -1;
        for (size_t k = 0; k < z->nentry; k++) {
            gc_entry *e = &z->entry[k];
            if (strcmp(e->doc, v->guid))
                continue;
            lines++;
            int64_t q, price, disc = 0;
            gc_acct *a = bo__gc_acct(g, e->acct);
            if (e->bill != vendor)
                return FAIL(BO_EINVAL, "%s %d: invoice %s, entry %s: a %s line on a %s", u,
                            e->line, v->id, e->guid, e->bill ? "bill" : "invoice",
                            vendor ? "bill" : "invoice");
            /* a credit note's quantities are kept negative (GnuCash's
             * document quantity is their opposite) */
            if (!a || a->skip)
                return FAIL(BO_EINVAL, "%s %d: invoice %s, entry %s: account %s is not in "
                            "the book", u, e->line, v->id, e->guid, e->acct);
            if (bo__gc_minor(e->qty, 3, &q) || (v->credit ? -q : q) <= 0)
                return FAIL(BO_EINVAL, "%s %d: %s %s, entry %s: quantity %s does not "
                            "fit thousandths %s 0 (refused, never rounded)", u, e->line,
                            what, v->id, e->guid, e->qty, v->credit ? "below" : "above");
            if (bo__gc_minor(e->price, exp, &price) || price < 0)
                return FAIL(BO_EINVAL, "%s %d: %s %s, entry %s: price %s does not fit "
                            "the scale of %s (refused, never rounded)", u, e->line, what, v->id,
                            e->guid, e->price, v->cur);
            if (e->disc[0] && (bo__gc_minor(e->disc, 4, &disc) || disc < 0 || disc > 1000000 ||
                               (disc && strcmp(e->disc_type, "PERCENT"))))
                return FAIL(BO_ENOTSUP, "%s %d: invoice %s, entry %s: discount %s %s is not "
                            "a percentage in millionths", u, e->line, v->id, e->guid, e->disc,
                            e->disc_type);
            if (e->taxable && e->tax[0] && !table_of(g, e->tax))
                return FAIL(BO_EINVAL, "%s %d: invoice %s, entry %s: tax table %s is not in "
                            "the book", u, e->line, v->id, e->guid, e->tax);
            if (incl >= 0 && incl != e->taxincl)
                return FAIL(BO_ENOTSUP, "%s %d: invoice %s: lines with and without tax "
                            "included", u, e->line, v->id);
            incl = e->taxincl;
        }
        if (!lines)
            return FAIL(BO_EINVAL, "%s %d: invoice %s: no lines", u, v->line, v->id);
        int y, mo, d;
        bo_date day;
        if (!v->txn[0] && (sscanf(v->posted, "%4d-%2d-%2d", &y, &mo, &d) != 3 ||
                           bo_date_from_ymd(y, mo, d, &day)))
            return FAIL(BO_EINVAL, "%s %d: invoice %s: date '%s' is not a date", u, v->line,
                        v->id, v->posted);
    }
    /* payments and links: a transaction with splits in documents' lots that
     * is not a posting, each split settling its document (moving its lot
     * toward 0), of one owner, in one currency at one rate; the rest one
     * split (the bank: a payment, or a refund out of a credit note's lot) or
     * none (GnuCash's link of a credit note's lot with an invoice's) */
    for (size_t i = 0; i < g->ntx; i++) {
        gc_tx *t = &g->tx[i];
        if (t->owned || t->voided)
            continue;
        int lots = 0, other = 0;
        const char *owner = NULL, *bank = NULL;
        const gc_invoice *first = NULL;
        for (size_t k = 0; k < t->n; k++) {
            gc_invoice *v = invoice_by_lot(g, t->splits[k].lot);
            if (!v) {
                other++;
                bank = t->splits[k].account;
                continue;
            }
            if (owner && strcmp(owner, v->party))
                return FAIL(BO_ENOTSUP, "%s %d: transaction %s: pays documents of two "
                            "owners", u, t->line, t->guid);
            if (first && (strcmp(first->cur, v->cur) || first->rate_num != v->rate_num ||
                          first->rate_den != v->rate_den))
                return FAIL(BO_ENOTSUP, "%s %d: transaction %s: pays documents in two "
                            "currencies or at two rates (%s and %s)", u, t->line, t->guid,
                            first->id, v->id);
            int64_t a;
            int exp;
            bo_currency_exponent(v->cur, &exp);
            if (bo__gc_minor(t->splits[k].value, exp, &a) || a == 0 ||
                (a > 0) == (doc_sign(v) > 0))
                return FAIL(BO_ENOTSUP, "%s %d: transaction %s: split %zu (%s) does not "
                            "settle %s %s: it moves its lot away from 0, or by a part of "
                            "a minor unit", u, t->line, t->guid, k + 1, t->splits[k].value,
                            v->credit ? "credit note" : "invoice", v->id);
            owner = v->party;
            first = v;
            lots++;
        }
        if (!lots)
            continue;
        gc_acct *ba = other == 1 ? bo__gc_acct(g, bank) : NULL;
        if (other > 1 || strcmp(t->cur, first->cur) || (other && (!ba || strcmp(ba->cmdty,
                                                                                t->cur))))
            return FAIL(BO_ENOTSUP, "%s %d: transaction %s: a payment through lots with %d "
                        "splits outside them, in %s (one bank split in the documents' "
                        "currency %s, or none, is imported; from an account in another "
                        "currency GnuCash posts no exchange gain or loss)", u, t->line,
                        t->guid, other, ba ? ba->cmdty : t->cur, first->cur);
        if (lots + other > GC_SETTLE_MAX)
            return FAIL(BO_ENOTSUP, "%s %d: transaction %s: more than %d splits through "
                        "lots", u, t->line, t->guid, GC_SETTLE_MAX);
        t->owned = other ? 2 : 3;
    }
    return 0;
}

/* ---- provenance ------------------------------------------------------------ */

int bo__gc_biz_digest(gc *g)
{
    gc_biz *z = BIZ(g);
    int rc = 0;
    for (size_t i = 0; !rc && i < z->nparty; i++) {
        gc_party *p = &z->party[i];
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, p->vendor ? "vendor" : "customer");
        bo__buf_field(&b, p->guid);
        bo__buf_field(&b, p->id);
        bo__buf_field(&b, p->name ? p->name : "");
        bo__buf_field(&b, p->cur);
        rc = bo__buf_digest(&b, p->digest);
    }
    for (size_t i = 0; !rc && i < z->ntt; i++) {
        gc_taxtable *t = &z->tt[i];
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "taxtable");
        bo__buf_field(&b, t->guid);
        bo__buf_field(&b, t->name);
        bo__buf_field(&b, t->parent);
        /* the rates as a set: sorted by their code */
        char codes[GC_TTE_MAX][BO_CODE_MAX + 32];
        int64_t ppm;
        for (int k = 0; k < t->n; k++)
            rate_code(g, &t->e[k], codes[k], sizeof codes[k], &ppm);
        qsort(codes, (size_t)t->n, sizeof codes[0], (int (*)(const void *, const void *))strcmp);
        for (int k = 0; k < t->n; k++)
            bo__buf_field(&b, codes[k]);
        rc = bo__buf_digest(&b, t->digest);
    }
    for (size_t i = 0; !rc && i < z->ninv; i++) {
        gc_invoice *v = &z->inv[i];
        bo__buf b = BO__BUF_INIT;
        bo__buf_field(&b, "invoice");
        bo__buf_field(&b, v->guid);
        bo__buf_field(&b, v->id);
        bo__buf_field(&b, v->owner);
        bo__buf_field(&b, v->cur);
        bo__buf_field(&b, v->txn);
        bo__buf_field(&b, v->acc);
        if (v->credit)
            bo__buf_field(&b, "credit-note");
        const gc_job *j = v->job ? v->job : job_of(g, v->owner);
        if (j) { /* its job's id and name are kept on the document */
            bo__buf_field(&b, j->id);
            bo__buf_field(&b, j->name);
        }
        for (size_t k = 0; k < z->nentry; k++) {
            gc_entry *e = &z->entry[k];
            if (strcmp(e->doc, v->guid))
                continue;
            int64_t q = 0, p = 0, d = 0;
            bo__gc_minor(e->qty, 3, &q);
            bo__gc_minor(e->price, 9, &p);
            if (e->disc[0])
                bo__gc_minor(e->disc, 4, &d);
            bo__buf_field(&b, e->guid);
            bo__buf_field(&b, e->acct);
            bo__buf_field(&b, e->desc ? e->desc : "");
            bo__buf_field_int(&b, q);
            bo__buf_field_int(&b, p);
            bo__buf_field_int(&b, d);
            bo__buf_field(&b, e->taxable ? e->tax : "");
            bo__buf_field_int(&b, e->taxincl);
        }
        rc = bo__buf_digest(&b, v->digest);
    }
    return rc;
}

int bo__gc_biz_diff(gc *g, bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3])
{
    gc_biz *z = BIZ(g);
    int rc = 0;
    size_t total = z->nparty + z->ntt + z->ninv;
    for (size_t i = 0; !rc && i < total; i++) {
        gc_party *p = i < z->nparty ? &z->party[i] : NULL;
        gc_taxtable *t = !p && i < z->nparty + z->ntt ? &z->tt[i - z->nparty] : NULL;
        gc_invoice *v = !p && !t ? &z->inv[i - z->nparty - z->ntt] : NULL;
        const char *id = p ? p->guid : t ? t->guid : v->guid;
        const char *digest = p ? p->digest : t ? t->digest : v->digest;
        const char *kind = p ? "party" : t ? "tax table" : "invoice";
        int *write = p ? &p->write : t ? &t->write : &v->write;
        bo__prov_row *r;
        rc = bo__prov_compare_one(rows, n, kind, id, digest, write, &r, d, counts);
        if (r && v && !strncmp(r->record, "invoice:", 8))
            v->our = strtoll(r->record + 8, NULL, 10);
    }
    return rc;
}

int bo__gc_biz_owns(const gc *g, const gc_tx *t)
{
    (void)g;
    return t->owned != 0;
}

/* ---- writing -------------------------------------------------------------- */

static int write_parties(gc *g, bo_book *book, int64_t *written)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < BIZ(g)->nparty; i++) {
        gc_party *p = &BIZ(g)->party[i];
        if (!p->write)
            continue;
        char record[BO_CODE_MAX + 16];
        snprintf(record, sizeof record, "party:%s", p->code);
        if ((rc = bo_party_add(book, p->code, p->name && p->name[0] ? p->name : p->id,
                               p->vendor ? BO_PARTY_VENDOR : BO_PARTY_CUSTOMER, p->cur)) ||
            (rc = bo__prov_put(book, "gnucash", g->book_guid, p->guid, p->digest, record,
                               p->vendor ? "vendor" : "customer")))
            bo__error_prefix("%s %d: %s %s: ", g->unit, p->line,
                             p->vendor ? "vendor" : "customer", p->id);
        (*written)++;
    }
    return rc;
}

/* A tax table: its rates (one per account and percentage, shared by the
 * tables that have it), and a category for each visible table; an
 * invisible copy stands for its parent's category. */
static int write_tables(gc *g, bo_book *book, int64_t *written)
{
    int rc = 0;
    for (size_t i = 0; !rc && i < BIZ(g)->ntt; i++) {
        gc_taxtable *t = &BIZ(g)->tt[i];
        if (!t->write)
            continue;
        char rates[GC_TTE_MAX * (BO_CODE_MAX + 2)] = "", record[BO_CODE_MAX + 8];
        int own = table_root(g, t) == t;
        for (int k = 0; own && k < t->n && !rc; k++) {
            char code[BO_CODE_MAX + 32], name[160];
            int64_t ppm;
            rate_code(g, &t->e[k], code, sizeof code, &ppm);
            gc_acct *a = bo__gc_acct(g, t->e[k].acct);
            snprintf(name, sizeof name, "%s %" PRId64 ".%04" PRId64 " %%", t->name,
                     ppm / 10000, ppm % 10000);
            bo_tax_rate_options o = BO_TAX_RATE_OPTIONS_INIT;
            o.code = code;
            o.name = name;
            o.rate_ppm = ppm;
            o.sales_account = a->our;
            rc = bo_tax_rate_add(book, &o);
            if (rc == BO_EEXISTS) /* another table's rate */
                rc = 0;
            snprintf(rates + strlen(rates), sizeof rates - strlen(rates), "%s%s",
                     k ? " " : "", code);
        }
        if (!rc && own)
            rc = bo_tax_category_add(book, t->cat, t->name, rates);
        snprintf(record, sizeof record, "tax:%s", t->cat);
        if (!rc)
            rc = bo__prov_put(book, "gnucash", g->book_guid, t->guid, t->digest, record,
                              own ? "taxtable" : "taxtable copy");
        if (rc)
            bo__error_prefix("%s %d: tax table '%s': ", g->unit, t->line, t->name);
        (*written)++;
    }
    return rc;
}

/* Our entry for a document against GnuCash's posting: the same sum on
 * every account, or BO_ECONFLICT naming the invoice and the account. */
static int same_posting(gc *g, bo_book *book, const gc_invoice *v, const gc_tx *t,
                        int64_t entry)
{
    bo_cursor *c;
    int rc = bo_ledger_entry(book, entry, &c);
    if (rc)
        return rc;
    struct { const char *acct; int64_t ours, theirs; } sum[64];
    int n = 0;
    while (!rc && bo_cursor_next(c) == 0) {
        const char *a = bo_cursor_text(c, 6);
        int k = 0;
        while (k < n && strcmp(sum[k].acct, a))
            k++;
        if (k == n) {
            if (n == 64) {
                rc = FAIL(BO_ENOTSUP, "more than 64 accounts");
                break;
            }
            /* the cursor's text lives until the cursor is freed: copy */
            sum[n].acct = bo__strdup(a);
            sum[n].ours = sum[n].theirs = 0;
            if (!sum[n++].acct)
                rc = BO_ENOMEM;
        }
        if (!rc && bo_money_add(sum[k].ours, bo_cursor_int(c, 7), &sum[k].ours))
            rc = BO_EOVERFLOW;
    }
    bo_cursor_free(c);
    for (size_t s = 0; !rc && s < t->n; s++) {
        gc_acct *a = bo__gc_acct(g, t->splits[s].account);
        int64_t q;
        int exp;
        bo_currency_exponent(a->cmdty, &exp);
        if (bo__gc_minor(t->splits[s].quantity, exp, &q))
            rc = FAIL(BO_EINVAL, "split %zu: not an amount", s + 1);
        int k = 0;
        while (!rc && k < n && strcmp(sum[k].acct, a->our))
            k++;
        if (rc)
            break;
        if (k == n) {
            if (n == 64) {
                rc = FAIL(BO_ENOTSUP, "more than 64 accounts");
                break;
            }
            sum[n].acct = bo__strdup(a->our);
            sum[n].ours = sum[n].theirs = 0;
            if (!sum[n++].acct) {
                rc = BO_ENOMEM;
                break;
            }
        }
        if (bo_money_add(sum[k].theirs, q, &sum[k].theirs))
            rc = BO_EOVERFLOW;
    }
    for (int k = 0; !rc && k < n; k++)
        if (sum[k].ours != sum[k].theirs)
            rc = FAIL(BO_ECONFLICT, "invoice %s: its lines recomputed make %" PRId64
                      " on account %s where GnuCash posted %" PRId64 " (transaction %s); "
                      "refused", v->id, sum[k].ours, sum[k].acct, sum[k].theirs, t->guid);
    for (int k = 0; k < n; k++)
        bo__free((void *)sum[k].acct);
    return rc;
}

static int write_invoice(gc *g, bo_book *book, gc_invoice *v, int64_t *written)
{
    gc_biz *z = BIZ(g);
    int vendor = v->vendor, rc, exp;
    gc_party *p = party_of(g, v->party);
    gc_tx *t = v->txn[0] ? tx_of(g, v->txn) : NULL;
    bo_date date = t ? t->date : 0;
    if (!t) { /* a draft: dated as opened (checked) */
        int y, mo, d;
        sscanf(v->posted, "%4d-%2d-%2d", &y, &mo, &d);
        bo_date_from_ymd(y, mo, d, &date);
    }
    bo_currency_exponent(v->cur, &exp);
    bo_invoice *doc = NULL;
    char key[48];
    snprintf(key, sizeof key, "gnucash:%s", v->guid);
    gc_acct *pa = v->acc[0] ? bo__gc_acct(g, v->acc) : NULL;
    int kind = v->credit ? (vendor ? BO_INVOICE_PURCHASE_CREDIT : BO_INVOICE_SALES_CREDIT)
                         : (vendor ? BO_INVOICE_PURCHASE : BO_INVOICE_SALES);
    char memo[256];
    if (v->job) /* the job that owns it, by its id and name */
        snprintf(memo, sizeof memo, "job %s: %s", v->job->id, v->job->name);
    if ((rc = bo_invoice_new(&doc, kind, p->code, date, v->cur)) ||
        (rc = bo_invoice_set_key(doc, key)) || (rc = bo_invoice_set_reference(doc, v->id)) ||
        (v->job && (rc = bo_invoice_set_memo(doc, memo))) ||
        (pa && (rc = bo_invoice_set_account(doc, pa->our))))
        goto out;
    for (size_t k = 0; k < z->nentry && !rc; k++) {
        gc_entry *e = &z->entry[k];
        if (strcmp(e->doc, v->guid))
            continue;
        bo_invoice_line_options o = BO_INVOICE_LINE_OPTIONS_INIT;
        gc_acct *a = bo__gc_acct(g, e->acct);
        gc_taxtable *tt = e->taxable && e->tax[0] ? table_of(g, e->tax) : NULL;
        o.account = a->our;
        o.description = e->desc;
        bo__gc_minor(e->qty, 3, &o.quantity);
        if (v->credit) /* kept negative in a credit note */
            o.quantity = -o.quantity;
        bo__gc_minor(e->price, exp, &o.unit_price);
        if (e->disc[0])
            bo__gc_minor(e->disc, 4, &o.discount_ppm);
        o.tax_category = tt ? tt->cat : NULL;
        if (e->taxincl)
            rc = bo_invoice_set_inclusive(doc, 1);
        if (!rc && (rc = bo_invoice_line(doc, &o)))
            bo__error_prefix("entry %s: ", e->guid);
    }
    int64_t id = 0, entry = 0;
    if (!rc)
        rc = bo_billing_invoice_save(book, doc, &id);
    if (!rc && t)
        rc = v->rate_den ? bo__bill_invoice_post_at(book, id, date, v->rate_num, v->rate_den,
                                                    &entry)
                         : bo_billing_invoice_post(book, id, date, &entry);
    if (!rc && t)
        rc = same_posting(g, book, v, t, entry);
    char record[48];
    snprintf(record, sizeof record, "invoice:%" PRId64, id);
    if (!rc)
        rc = bo__prov_put(book, "gnucash", g->book_guid, v->guid, v->digest, record,
                          v->credit ? "credit note" : vendor ? "bill" : "invoice");
    if (!rc && t && t->write) { /* the posting transaction: billing's entry */
        bo__buf attrs = BO__BUF_INIT;
        snprintf(record, sizeof record, "entry:%" PRId64, entry);
        if (!(rc = bo__gc_tx_attrs(t, &attrs)))
            rc = bo__prov_put(book, "gnucash", g->book_guid, t->guid, t->digest, record,
                              attrs.ptr);
        bo__buf_free(&attrs);
        (*written)++;
    }
    v->our = id;
out:
    bo_invoice_free(doc);
    if (rc)
        bo__error_prefix("%s %d: %s %s: ", g->unit, v->line, v->credit ? "credit note"
                         : "invoice", v->id);
    (*written)++;
    return rc;
}

/* What a payment or a link settles: each document's split, and the bank's
 * (v NULL), on the side of the lot it settles. */
typedef struct gc_settle {
    gc_invoice *v;
    int64_t left;
} gc_settle;

/* A payment (a refund: money out of a credit note's lot), GnuCash's link
 * of a credit note with an invoice, or both at once: the documents whose
 * lots are open on one side are paired, in split order, with those open on
 * the other and the bank's split (on the side opposite to the documents it
 * pays): a document with the bank is a payment's allocation, a credit note
 * with a document a credit note applied (billing's allocations). */
static int write_payment(gc *g, bo_book *book, gc_tx *t, int64_t *written)
{
    gc_settle side[2][GC_SETTLE_MAX], alloc[GC_SETTLE_MAX];
    int n[2] = { 0, 0 }, nalloc = 0, rc = 0, exp, d = 0;
    bo_currency_exponent(t->cur, &exp);
    const gc_split *bank = NULL;
    gc_invoice *first = NULL;
    int64_t bank_value = 0;
    for (size_t k = 0; k < t->n; k++) {
        gc_invoice *v = invoice_by_lot(g, t->splits[k].lot);
        int64_t a;
        bo__gc_minor(t->splits[k].value, exp, &a);
        if (!v) {
            bank = &t->splits[k];
            bank_value = a;
            continue;
        }
        if (!first)
            first = v;
        if (!v->our) {
            rc = FAIL(BO_ENOTFOUND, "invoice %s: not imported", v->id);
            goto out;
        }
        int s = doc_sign(v) > 0;
        side[s][n[s]++] = (gc_settle){ v, a < 0 ? -a : a };
    }
    if (bank) { /* money in settles debit lots, money out credit lots */
        d = bank_value > 0 ? 1 : -1;
        int s = d < 0;
        side[s][n[s]++] = (gc_settle){ NULL, bank_value < 0 ? -bank_value : bank_value };
    }
    int64_t cn_id = 0, doc_id = 0;
    for (int i = 0, j = 0; !rc && i < n[0] && j < n[1];) {
        gc_settle *x = &side[0][i], *y = &side[1][j];
        int64_t amt = x->left < y->left ? x->left : y->left;
        if (!x->v || !y->v) { /* the bank's: an allocation of the payment */
            gc_invoice *v = x->v ? x->v : y->v;
            int k = 0;
            while (k < nalloc && alloc[k].v != v)
                k++;
            if (k == nalloc)
                alloc[nalloc++] = (gc_settle){ v, 0 };
            alloc[k].left += amt;
        } else { /* a credit note applied to a document */
            gc_invoice *cn = x->v->credit ? x->v : y->v, *doc = x->v->credit ? y->v : x->v;
            if (cn->credit == doc->credit)
                rc = FAIL(BO_ENOTSUP, "settles %s %s with %s %s (not a credit note and a "
                          "document)", x->v->credit ? "credit note" : "invoice", x->v->id,
                          y->v->credit ? "credit note" : "invoice", y->v->id);
            else if ((rc = bo__bill_credit_note_apply(book, cn->our, doc->our, amt, t->date)))
                bo__error_prefix("credit note %s applied to %s: ", cn->id, doc->id);
            if (!cn_id) {
                cn_id = cn->our;
                doc_id = doc->our;
            }
        }
        x->left -= amt;
        y->left -= amt;
        i += x->left == 0;
        j += y->left == 0;
    }
    int64_t id = 0;
    char record[64];
    if (!rc && bank) {
        bo_payment *pay = NULL;
        gc_party *p = party_of(g, first->party);
        gc_acct *ba = bo__gc_acct(g, bank->account);
        bo_payment_options o = BO_PAYMENT_OPTIONS_INIT;
        o.kind = d > 0 ? BO_PAYMENT_RECEIVED : BO_PAYMENT_MADE;
        o.party = p->code;
        o.date = t->date;
        o.amount = d * bank_value;
        o.currency = t->cur;
        o.account = ba->our;
        char key[48];
        snprintf(key, sizeof key, "gnucash:%s", t->guid);
        if (!(rc = bo_payment_new(&pay, &o)) && !(rc = bo_payment_set_key(pay, key)) &&
            t->desc && t->desc[0])
            rc = bo_payment_set_memo(pay, t->desc);
        /* in a foreign currency: at its documents' rate (GnuCash moves the
         * currency alone, with no gain or loss) */
        if (!rc && first->rate_den)
            rc = bo__payment_set_rate(pay, first->rate_num, first->rate_den);
        for (int k = 0; k < nalloc && !rc; k++)
            rc = bo_payment_allocate(pay, alloc[k].v->our, alloc[k].left, 0);
        if (!rc)
            rc = bo_billing_payment_post(book, pay, &id);
        bo_payment_free(pay);
        snprintf(record, sizeof record, "payment:%" PRId64, id);
    } else
        snprintf(record, sizeof record, "credit-note:%" PRId64 ":%" PRId64, cn_id, doc_id);
    bo__buf attrs = BO__BUF_INIT;
    if (!rc && !(rc = bo__gc_tx_attrs(t, &attrs)))
        rc = bo__prov_put(book, "gnucash", g->book_guid, t->guid, t->digest, record, attrs.ptr);
    bo__buf_free(&attrs);
out:
    if (rc)
        bo__error_prefix("%s %d: %s %s: ", g->unit, t->line, bank ? "payment" : "link",
                         t->guid);
    (*written)++;
    return rc;
}

/* Documents are numbered by billing in the order they are posted: by
 * date, then GnuCash id, so that the XML and the SQLite file of one book
 * (which list them in different orders) give the same numbers. */
static int inv_order(const void *a, const void *b)
{
    const gc_invoice *x = *(gc_invoice *const *)a, *y = *(gc_invoice *const *)b;
    int c = strcmp(x->posted, y->posted);
    return c ? c : strcmp(x->id, y->id);
}

static int pay_order(const void *a, const void *b)
{
    const gc_tx *x = *(gc_tx *const *)a, *y = *(gc_tx *const *)b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    int c = strcmp(x->desc ? x->desc : "", y->desc ? y->desc : "");
    return c ? c : strcmp(x->digest, y->digest);
}

int bo__gc_biz_write(gc *g, bo_book *book, int64_t *written)
{
    gc_biz *z = BIZ(g);
    int rc = write_parties(g, book, written);
    if (!rc)
        rc = write_tables(g, book, written);
    size_t n = z->ninv > g->ntx ? z->ninv : g->ntx;
    void **order = n ? bo__malloc(n * sizeof *order) : NULL;
    if (n && !order)
        rc = rc ? rc : BO_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; !rc && i < z->ninv; i++)
        if (z->inv[i].write)
            order[k++] = &z->inv[i];
    if (!rc && k) /* qsort may not be given NULL, even for no element */
        qsort(order, k, sizeof *order, inv_order);
    for (size_t i = 0; !rc && i < k; i++)
        rc = write_invoice(g, book, order[i], written);
    /* payments and links after the documents they settle */
    k = 0;
    for (size_t i = 0; !rc && i < g->ntx; i++)
        if (g->tx[i].owned >= 2 && g->tx[i].write)
            order[k++] = &g->tx[i];
    if (!rc && k)
        qsort(order, k, sizeof *order, pay_order);
    for (size_t i = 0; !rc && i < k; i++)
        rc = write_payment(g, book, order[i], written);
    bo__free(order);
    return rc;
}
