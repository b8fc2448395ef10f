/*
 * The demo's documents chapter: the paper trail behind the figures. The
 * supplier contract (confidential, so encrypted under a demo key) and one
 * invoice scan per purchase order of the inventory chapter (or per bill,
 * or a journal entry when there are none) are stored, linked to what they
 * support, found again by a search, checked by the integrity check, and a
 * scan's disposal is refused because its retention has not ended. The
 * types come from shop.yaml's "documents" section.
 * Checked: every scan is found and counted, the contract is linked to every
 * order, the integrity check covers every version, the contract reads back
 * byte for byte, a wrong key is told apart (BO_EKEY), and disposal answers
 * BO_ERETAINED with the end date.
 */
#include "demo_parts.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int fails;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "documents: %s: %s\n", what, bo_error_message());
        fails++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "documents: %s is %" PRId64 ", expected %" PRId64 "\n", what, got,
                want);
        fails++;
    }
}

static int64_t record(bo_book *b, const char *type, const char *title, const char *date,
                      int cls, const char *body)
{
    bo_document *d = NULL;
    bo_date day = 0;
    int64_t id = 0;
    if (ok(bo_date_parse(date, &day), "date") || ok(bo_document_new(&d, type, title, day), title))
        return 0;
    ok(bo_document_set_class(d, cls), "class");
    ok(bo_document_add_tag(d, "supplier"), "tag");
    if (body)
        ok(bo_document_set_body(d, body), "text");
    ok(bo_document_create(b, d, &id), title);
    bo_document_free(d);
    return id;
}

int demo_documents(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    /* A fixed demo key: a real host keeps its key outside the book. */
    static const unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES] = "demo key: never use it for real";
    static const char contract[] =
        "SUPPLY AGREEMENT\nAcme Wholesale supplies the shop with goods at the prices\n"
        "of its list, net 30 days, for two years from 2 January 2026.\n";
    char kind[32], ref[32], title[96], scan[512], what[96];
    int64_t versions = 0;

    printf("\n== Documents: the paper trail ==\n");
    ok(bo_document_set_encryption_key(b, key, sizeof key), "key");
    int64_t cid = record(b, "supplier_contract", "Supply agreement, Acme Wholesale",
                         "2026-01-02", BO_DOCUMENT_CONFIDENTIAL,
                         "supply agreement acme wholesale net 30 days");
    ok(bo_document_add_bytes(b, cid, contract, sizeof contract - 1, "agreement.txt", NULL),
       "contract content");
    versions++;
    printf("  contract %" PRId64 ": confidential, stored encrypted (%zu bytes)\n", cid,
           sizeof contract - 1);

    /* What the scans support: the purchase orders, else the bills. */
    int n = ctx->npurchase_orders, nscans = n ? n : ctx->nbills ? ctx->nbills : 1;
    snprintf(kind, sizeof kind, "%s", n ? "purchase_order" : ctx->nbills ? "invoice" : "entry");
    if (nscans > 3)
        nscans = 3;
    for (int i = 0; i < nscans; i++) {
        int64_t target = n ? ctx->purchase_orders[i] : ctx->nbills ? ctx->bills[i] : 1;
        snprintf(ref, sizeof ref, "%" PRId64, target);
        snprintf(title, sizeof title, "Invoice scan for %s %s", kind, ref);
        /* A small generated "scan" (a real host stores the PDF or image). */
        int len = snprintf(scan, sizeof scan, "%%PDF-1.4\n%% scanned invoice\n"
                           "Acme Wholesale invoice for %s %s\n%%%%EOF\n", kind, ref);
        int64_t sid = record(b, "invoice", title, "2026-04-03", BO_DOCUMENT_INTERNAL,
                             "acme wholesale invoice scan");
        ok(bo_document_add_bytes(b, sid, scan, (size_t)len, "scan.pdf", NULL), "scan content");
        versions++;
        ok(bo_document_link(b, sid, kind, ref), "link scan");
        ok(bo_document_link(b, cid, kind, ref), "link contract");
        printf("  scan %" PRId64 ": linked to %s %s\n", sid, kind, ref);
        if (i == 0) {
            /* Each bill or invoice of billing's chapter gets its scan too. */
            for (int k = 0; n && k < ctx->nbills && k < 3; k++) {
                snprintf(ref, sizeof ref, "%" PRId64, ctx->bills[k]);
                ok(bo_document_link(b, sid, "invoice", ref), "link bill");
            }
        }
    }

    /* Found again: a search with a filter, and a count. */
    bo_document_query *q = NULL;
    bo_cursor *c = NULL;
    int64_t count = 0, rows = 0;
    ok(bo_document_query_new(&q), "query");
    ok(bo_document_query_text(q, "acme invoice"), "query text");
    ok(bo_document_query_type(q, "invoice"), "query type");
    if (!ok(bo_document_search(b, q, &c), "search")) {
        while (bo_cursor_next(c) == 0)
            rows++;
        bo_cursor_free(c);
    }
    ok(bo_document_count(b, q, &count), "count");
    bo_document_query_free(q);
    printf("  search \"acme invoice\" (type invoice): %" PRId64 " found\n", rows);
    expect(rows, nscans, "scans found");
    expect(count, nscans, "scans counted");
    snprintf(ref, sizeof ref, "%" PRId64, n ? ctx->purchase_orders[0]
                                            : ctx->nbills ? ctx->bills[0] : 1);
    rows = 0;
    if (!ok(bo_document_linked(b, kind, ref, &c), "linked")) {
        while (bo_cursor_next(c) == 0)
            rows++;
        bo_cursor_free(c);
    }
    printf("  documents behind %s %s: %" PRId64 " (its scan and the contract)\n", kind, ref,
           rows);
    expect(rows, 2, "documents linked to the first record");

    /* Integrity: every stored version re-hashed. */
    int64_t checked = 0;
    ok(bo_document_verify(b, &checked), "integrity check");
    printf("  integrity check: %" PRId64 " versions, all match their SHA-256\n", checked);
    expect(checked, versions, "versions checked");

    /* The contract reads back; under another key it does not. */
    bo_document_reader *r = NULL;
    char back[512];
    size_t got = 0, total = 0;
    if (!ok(bo_document_reader_open(b, cid, 0, &r), "read contract")) {
        do {
            if (ok(bo_document_reader_read(r, back + total, sizeof back - total, &got), "read"))
                break;
            total += got;
        } while (got && total < sizeof back);
        bo_document_reader_free(r);
    }
    expect(total == sizeof contract - 1 && !memcmp(back, contract, total), 1,
           "contract read back");
    static const unsigned char wrong[BO_DOCUMENT_ENCRYPTION_KEY_BYTES] = "not the key the contract used";
    ok(bo_document_set_encryption_key(b, wrong, sizeof wrong), "wrong key");
    int rc = bo_document_reader_open(b, cid, 0, &r);
    expect(rc, BO_EKEY, "reading under a wrong key");
    if (rc == BO_EKEY)
        printf("  under another key: refused (%s)\n", bo_error_name(rc));
    ok(bo_document_set_encryption_key(b, key, sizeof key), "key");

    /* Retention: invoices are kept 10 years from their date. */
    bo_date today = 0;
    ok(bo_date_parse("2026-04-30", &today), "date");
    rc = bo_document_dispose(b, cid + 1, today);
    snprintf(what, sizeof what, "%s", bo_error_message());
    expect(rc, BO_ERETAINED, "disposal before the end of retention");
    if (rc == BO_ERETAINED)
        printf("  disposing of scan %" PRId64 " today: refused: %s\n", cid + 1, what);
    if (rc == BO_ERETAINED && !strstr(what, "2036-04-03")) {
        fprintf(stderr, "documents: the refusal does not name 2036-04-03: %s\n", what);
        fails++;
    }
    return fails ? 1 : 0;
}
