/* Links from documents to the records they support, both ways. A record is
 * named by (kind, ref) text; a link is made only to a record that exists
 * (and that the actor may read: the kind's read permission), looked up in
 * the owning domain's table by the one descriptor per kind below. */
#include "documents/documents.h"
#include "ledger/ledger.h"
#include "commerce/commerce.h"
#include "billing/billing.h"
#include "inventory/inventory.h"
#include "payroll/payroll.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* What a link may point at. by_id: ref is the record's id (a positive
 * whole number written without sign or leading zero, so one record has one
 * ref); otherwise its code. */
static const char SQL_ENTRY[] = "SELECT 1 FROM " BO__LEDGER_ENTRIES " e WHERE id = ?";
static const char SQL_INVOICE[] = "SELECT 1 FROM bill_invoices WHERE id = ?";
static const char SQL_PAYMENT[] = "SELECT 1 FROM bill_payments WHERE id = ?";
static const char SQL_ITEM[] = "SELECT 1 FROM inv_items WHERE sku = ?";
static const char SQL_PO[] = "SELECT 1 FROM inv_pos WHERE id = ?";
static const char SQL_SALE[] = "SELECT 1 FROM inv_sales WHERE id = ?";
static const char SQL_MOVE[] = "SELECT 1 FROM inv_moves WHERE id = ?";
static const char SQL_EMPLOYEE[] = "SELECT 1 FROM pay_employees WHERE number = ?";
static const char SQL_PAY_RUN[] = "SELECT 1 FROM pay_runs WHERE id = ?";
static const char SQL_PARTY[] = "SELECT 1 FROM parties WHERE code = ?";
/* An applicant of the people domain (above this one: its table is named
 * here, its permission looked up by name, never its symbols). */
static const char SQL_APPLICANT[] =
    "SELECT 1 FROM people_applicants WHERE id = ? AND status <> 'erased'";
static const unsigned applicant_perm = 0; /* a marker: see applicant_bit() */

static const struct link_kind {
    const char *kind;
    const char *sql; /* NULL: a document, checked for sight */
    const unsigned *perm; /* needed to learn whether the record exists (its
                             bit is assigned when the library starts) */
    int by_id;
} kinds[] = {
    { "entry", SQL_ENTRY, &BO__P_LEDGER_READ, 1 },
    { "invoice", SQL_INVOICE, &BO__P_BILLING_READ, 1 },
    { "payment", SQL_PAYMENT, &BO__P_BILLING_READ, 1 },
    { "item", SQL_ITEM, &BO__P_INVENTORY_READ, 0 },
    { "purchase_order", SQL_PO, &BO__P_INVENTORY_READ, 1 },
    { "sale", SQL_SALE, &BO__P_INVENTORY_READ, 1 },
    { "stock_movement", SQL_MOVE, &BO__P_INVENTORY_READ, 1 },
    { "employee", SQL_EMPLOYEE, &BO__P_PAYROLL_READ, 0 },
    { "pay_run", SQL_PAY_RUN, &BO__P_PAYROLL_READ, 1 },
    { "party", SQL_PARTY, &BO__P_PARTY_READ, 0 },
    { "document", NULL, &BO__P_DOCUMENTS_READ, 1 },
    { "applicant", SQL_APPLICANT, &applicant_perm, 1 },
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const struct link_kind *kind_of(const char *kind)
{
    for (size_t i = 0; kind && i < NKINDS; i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return &kinds[i];
    return NULL;
}

int bo__doc_link_kind_check(const char *kind)
{
    if (kind_of(kind))
        return 0;
    return bo__error_set(BO_EINVAL, "kind: not one of entry, invoice, payment, item, "
                         "purchase_order, sale, stock_movement, employee, pay_run, "
                         "party, document, applicant");
}

/* The id ref names: digits only, no leading zero, within int64. */
static int ref_id(const struct link_kind *k, const char *ref, int64_t *id)
{
    uint64_t v = 0;
    const char *p = ref;
    for (; *p >= '0' && *p <= '9' && p - ref < 19; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    if (p == ref || *p || ref[0] == '0' || v > INT64_MAX)
        return bo__error_set(BO_EINVAL, "ref: a %s is named by its id, a positive whole "
                             "number without sign or leading zero", k->kind);
    *id = (int64_t)v;
    return 0;
}

/* The bit of people.admin, the permission an applicant's data needs
 * (every bit is assigned before the first book opens). */
static unsigned applicant_bit(void)
{
    const char *name;
    unsigned bit;
    for (int i = 0; bo__perm_at(i, &name, &bit); i++)
        if (strcmp(name, "people.admin") == 0)
            return bit;
    return ~0u; /* no people domain: only "*" passes */
}

/* The record (k, ref) exists and the actor may know it. */
static int target_check(bo_book *b, const struct link_kind *k, const char *ref)
{
    int64_t id = 0;
    int rc;
    unsigned perm = k->perm == &applicant_perm ? applicant_bit() : *k->perm;
    if ((k->by_id && (rc = ref_id(k, ref, &id))) || (rc = bo__require(b, perm)))
        return rc;
    if (!k->sql) {
        bo__doc_row row;
        if ((rc = bo__doc_load(b, id, &row)) == BO_ENOTFOUND)
            return bo__error_set(BO_ENOTFOUND, "ref: no document %" PRId64, id);
        return rc;
    }
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, k->sql, &s)))
        return rc;
    rc = k->by_id ? bo__stmt_bind(s, "i", id) : bo__stmt_bind(s, "t", ref);
    if (!rc) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            rc = 0;
        } else if (rc >= 0) {
            char q[80];
            bo__quote(ref, 48, q, sizeof q);
            rc = k->by_id ? bo__error_set(BO_ENOTFOUND, "ref: no %s %" PRId64, k->kind, id)
                          : bo__error_set(BO_ENOTFOUND, "ref: no %s %s", k->kind, q);
        }
    }
    bo__stmt_done(s);
    return rc;
}

static const char SQL_LINK[] =
    "INSERT INTO doc_links (doc_id, kind, ref) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
static const char SQL_UNLINK[] =
    "DELETE FROM doc_links WHERE doc_id = ? AND kind = ? AND ref = ?";

struct link_ctx {
    int64_t id;
    const char *kind, *ref;
    int remove;
};

static int link_tx(bo_book *b, void *p)
{
    struct link_ctx *c = p;
    bo__doc_row row;
    int rc;
    if ((rc = bo__require(b, BO__P_DOCUMENTS_WRITE)) || (rc = bo__doc_load(b, c->id, &row)))
        return rc;
    /* A link names a record that exists; one that was made before the
     * record went away can still be removed. */
    if (!c->remove && (rc = target_check(b, kind_of(c->kind), c->ref)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, c->remove ? SQL_UNLINK : SQL_LINK, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "itt", c->id, c->kind, c->ref)))
        rc = bo__stmt_run(s);
    bo__stmt_done(s);
    if (rc)
        return rc;
    int64_t n = bo__store_changes(b->store);
    if (c->remove && n == 0)
        return bo__error_set(BO_ENOTFOUND, "link: document %lld is not linked to "
                             "that %s", (long long)c->id, c->kind);
    if (n == 0)
        return 0;
    char object[32];
    bo__doc_object(c->id, object);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->kind);
    bo__buf_field(&d, c->ref);
    rc = d.failed ? BO_ENOMEM
       : bo__audit_append(b, c->remove ? "documents.document.unlink" : "documents.document.link", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

static int link_common(bo_book *b, int64_t id, const char *kind, const char *ref,
                       int remove)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__doc_link_kind_check(kind)) ||
        (rc = bo__text_check("ref", ref, BO_DOCUMENT_TEXT_MAX, false, false)))
        return rc;
    struct link_ctx c = { id, kind, ref, remove };
    return bo__write(b, link_tx, &c);
}

int bo_document_link(bo_book *b, int64_t id, const char *kind, const char *ref)
{
    return link_common(b, id, kind, ref, 0);
}

int bo_document_unlink(bo_book *b, int64_t id, const char *kind, const char *ref)
{
    return link_common(b, id, kind, ref, 1);
}

static const char SQL_LINKS[] =
    "SELECT kind, ref FROM doc_links WHERE doc_id = ? ORDER BY kind, ref";
static const bo__col link_cols[] = { { "kind", BO_TYPE_TEXT }, { "ref", BO_TYPE_TEXT } };

int bo_document_links(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__doc_read_cursor(b, id, SQL_LINKS, link_cols, 2, 1, "documents.document.read", out);
}

static const char SQL_LINKED[] =
    "SELECT d.id, d.type, d.title, d.doc_date, CASE d.classification WHEN 0 THEN"
    " 'public' WHEN 1 THEN 'internal' WHEN 2 THEN 'confidential' ELSE 'restricted'"
    " END FROM doc_links l JOIN doc_documents d ON d.id = l.doc_id"
    " WHERE l.kind = ? AND l.ref = ? AND " BO__DOC_VISIBLE("d") " ORDER BY d.id";
static const bo__col linked_cols[] = {
    { "id", BO_TYPE_INT }, { "type", BO_TYPE_TEXT }, { "title", BO_TYPE_TEXT },
    { "date", BO_TYPE_TEXT }, { "classification", BO_TYPE_TEXT },
};

int bo_document_linked(bo_book *b, const char *kind, const char *ref, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    int rc;
    bo__doc_who w;
    if ((rc = bo__doc_link_kind_check(kind)) ||
        (rc = bo__text_check("ref", ref, BO_DOCUMENT_TEXT_MAX, false, false)) ||
        (rc = bo__require(b, BO__P_DOCUMENTS_READ)) || (rc = bo__doc_who_get(b, &w)))
        return rc;
    return bo__listing(b, 0, NULL, SQL_LINKED, linked_cols, 5, out, "tttii", kind, ref,
                       w.actor, w.conf, w.restr);
}
