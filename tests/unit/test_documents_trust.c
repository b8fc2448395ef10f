/* The documents domain against a hostile or careless user (issue 12,
 * items 11 to 13): a confidential document's text never sits in clear in
 * the book, a version cannot exceed the book's limit and leaves nothing
 * behind, links name records that exist, metadata fields are the type's.
 * Every refusal: the code, a message naming the field, nothing changed. */
#define _GNU_SOURCE 1
#include "testutil.h"

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *path;
static bo_book *book;
static char root[4096];
static const unsigned char key1[32] = "a host key of 32 bytes, for test";
static const unsigned char key2[32] = "another host key, 32 bytes long!";

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static bo_book *open_as(const char *actor, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static void setup(void)
{
    path = bo_test_path("doctrust");
    book = open_as("owner", 1);
    char *f = bo_test_file("doctrust-store");
    snprintf(root, sizeof root, "%s.d", f);
    free(f);
    ck_assert_int_eq(mkdir(root, 0700), 0);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static int64_t audit_seq(bo_book *b)
{
    int64_t seq;
    char h[65];
    bo_assert_ok(bo_audit_head(b, &seq, h, sizeof h));
    return seq;
}

static int64_t make_doc(bo_book *b, const char *type, const char *title, int cls,
                        const char *body)
{
    bo_document *d;
    int64_t id = 0;
    bo_assert_ok(bo_document_new(&d, type, title, D("2026-03-01")));
    bo_assert_ok(bo_document_set_class(d, cls));
    if (body)
        bo_assert_ok(bo_document_set_body(d, body));
    bo_assert_ok(bo_document_create(b, d, &id));
    bo_document_free(d);
    return id;
}

static int64_t count_words(bo_book *b, const char *words)
{
    bo_document_query *q;
    int64_t n = -1;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_text(q, words));
    bo_assert_ok(bo_document_count(b, q, &n));
    bo_document_query_free(q);
    return n;
}

/* The first id a search for words finds, 0 for none. */
static int64_t find_words(bo_book *b, const char *words)
{
    bo_document_query *q;
    bo_cursor *c;
    int64_t id = 0;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_text(q, words));
    bo_assert_ok(bo_document_search(b, q, &c));
    if (bo_cursor_next(c) == 0)
        id = bo_cursor_int(c, 0);
    bo_cursor_free(c);
    bo_document_query_free(q);
    return id;
}

/* ---- item 11: the text of confidential documents -------------------------- */

/* Search finds a confidential document by its words for an actor who may
 * see it and holds the key, by no word without the key; text cannot be
 * given without the key (BO_EKEY naming the body, nothing recorded). */
START_TEST(trust_doc_confidential_search)
{
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    int64_t pub = make_doc(book, "contract", "Open letter", BO_DOCUMENT_INTERNAL,
                           "quetzalcoatl appears in public too");
    int64_t conf = make_doc(book, "contract", "Supply agreement", BO_DOCUMENT_CONFIDENTIAL,
                            "The Xylophonic clause of Quetzalcoatl Holdings");
    int64_t restr = make_doc(book, "contract", "Board minutes", BO_DOCUMENT_RESTRICTED,
                             "mergers and zanzibarian acquisitions");
    ck_assert_int_eq(count_words(book, "xylophonic"), 1);
    ck_assert_int_eq(find_words(book, "XYLOPHONIC clause"), conf);
    ck_assert_int_eq(count_words(book, "quetzalcoatl"), 2); /* both, by word and hash */
    ck_assert_int_eq(count_words(book, "supply agreement"), 1); /* the title too */
    ck_assert_int_eq(find_words(book, "zanzibarian"), restr);
    ck_assert_int_eq(count_words(book, "xylo"), 0); /* words, not prefixes */
    /* a tag keeps the extracted text's hashes and adds its own */
    bo_assert_ok(bo_document_tag(book, conf, "negotiated"));
    ck_assert_int_eq(find_words(book, "negotiated xylophonic"), conf);

    /* Without the key: found by no word, and no new text can be given. */
    bo_assert_ok(bo_document_set_encryption_key(book, NULL, 0));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);
    ck_assert_int_eq(find_words(book, "quetzalcoatl"), pub);
    int64_t before = audit_seq(book);
    bo_assert_err(bo_document_body(book, conf, "replacement text"), BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "body"));
    bo_document *d;
    bo_assert_ok(bo_document_new(&d, "contract", "Another", D("2026-03-02")));
    bo_assert_ok(bo_document_set_class(d, BO_DOCUMENT_CONFIDENTIAL));
    bo_assert_ok(bo_document_set_body(d, "secret words"));
    int64_t id = -1;
    bo_assert_err(bo_document_create(book, d, &id), BO_EKEY);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "body"));
    ck_assert_int_eq(id, 0);
    bo_document_free(d);
    ck_assert_int_eq(audit_seq(book), before); /* nothing changed */
    /* A record without text can be made without the key; tags keep the
     * index as it is. */
    int64_t bare = make_doc(book, "contract", "Untexted", BO_DOCUMENT_CONFIDENTIAL, NULL);
    bo_assert_ok(bo_document_tag(book, conf, "later"));
    /* With the key again: found as before; another key finds nothing. */
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    ck_assert_int_eq(find_words(book, "xylophonic negotiated"), conf);
    ck_assert_int_eq(count_words(book, "untexted"), 0); /* indexed once text is set */
    bo_assert_ok(bo_document_body(book, bare, "now with words"));
    ck_assert_int_eq(find_words(book, "untexted words"), bare);
    bo_assert_ok(bo_document_set_encryption_key(book, key2, sizeof key2));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);

    /* An actor who may not see it never finds it, key or not. */
    bo_assert_ok(bo_role_define(book, "reader", "documents.read"));
    bo_assert_ok(bo_role_grant(book, "rita", "reader"));
    bo_assert_ok(bo_book_set_actor(book, "rita"));
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    ck_assert_int_eq(count_words(book, "xylophonic"), 0);
    ck_assert_int_eq(find_words(book, "quetzalcoatl"), pub);
}
END_TEST

/* What `strings` on the book shows: no word of a confidential document's
 * text or content, in any table, index, FTS shadow table or free page;
 * the public document's words are there (the check can find words). */
START_TEST(trust_doc_confidential_text_hidden)
{
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    make_doc(book, "contract", "Open letter", BO_DOCUMENT_INTERNAL, "plainvisibleword here");
    int64_t conf = make_doc(book, "contract", "Supply agreement", BO_DOCUMENT_CONFIDENTIAL,
                            "The Xylophonic clause of Quetzalcoatl Holdings");
    static const char content[] = "content mentions zebraphantom terms";
    bo_assert_ok(bo_document_add_bytes(book, conf, content, sizeof content - 1, "c.txt", NULL));
    bo_assert_ok(bo_document_tag(book, conf, "negotiated"));
    bo_assert_ok(bo_document_body(book, conf, "Revised Xylophonic clause, Kallisteia annex"));
    ck_assert_int_eq(find_words(book, "kallisteia"), conf);
    bo_book_free(book); /* the last connection: SQLite checkpoints the WAL */
    book = NULL;

    ck_assert(bo_test_store_has(path, "plainvisibleword"));
    static const char *const hidden[] = {
        "Xylophonic", "xylophonic", "XYLOPHONIC", "Quetzalcoatl", "quetzalcoatl",
        "Kallisteia", "kallisteia", "zebraphantom",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
        ck_assert_msg(!bo_test_store_has(path, hidden[i]), "'%s' is in the book",
                      hidden[i]);
    if (strcmp(bo_test_scheme(), "sqlite") == 0) {
        /* The terms of the full-text index, listed by SQLite itself. */
        sqlite3 *db;
        ck_assert_int_eq(sqlite3_open_v2(bo_test_target(path), &db,
                                         SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE temp.v USING"
                                      " fts5vocab(main, doc_fts, row)", NULL, NULL,
                                      NULL), SQLITE_OK);
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT term FROM temp.v", -1, &st,
                                            NULL), SQLITE_OK);
        int terms = 0, hashes = 0, plain = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *t = (const char *)sqlite3_column_text(st, 0);
            terms++;
            hashes += t[0] == 'h' && strlen(t) == 33;
            plain += strcmp(t, "plainvisibleword") == 0;
            for (size_t i = 0; i < sizeof hidden / sizeof *hidden; i++)
                ck_assert_msg(strcasecmp(t, hidden[i]) != 0, "index term '%s'", t);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        ck_assert_int_eq(plain, 1);
        ck_assert_int_ge(hashes, 8); /* title, tag and text words */
        ck_assert_int_gt(terms, hashes);
    }
    /* Still found by an actor who may see it, with the key. */
    book = open_as("owner", 0);
    bo_assert_ok(bo_document_set_encryption_key(book, key1, sizeof key1));
    ck_assert_int_eq(find_words(book, "xylophonic kallisteia negotiated"), conf);
}
END_TEST

/* ---- item 12: the largest version ----------------------------------------- */

#define LIMIT (1536 * 1024) /* 24 pieces of 64 KiB; more than one 1 MiB chunk */

static int tmp_files(void)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/tmp", root);
    DIR *d = opendir(tmp);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static int64_t versions_of(int64_t id)
{
    bo_cursor *c;
    int64_t n = 0;
    bo_assert_ok(bo_document_versions(book, id, &c));
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

/* A generator larger than the limit, through the writer: refused at the
 * first piece past the limit with BO_ELIMIT naming it, nothing kept even
 * before the writer is freed; a version of exactly the limit is fine. */
static void over_limit(const char *store)
{
    bo_assert_ok(bo_document_set_store(book, store, strcmp(store, "files") ? NULL : root));
    int64_t id = make_doc(book, "other", store, BO_DOCUMENT_INTERNAL, NULL);
    int64_t before = audit_seq(book);
    static char piece[64 * 1024];
    memset(piece, 'L', sizeof piece);
    bo_document_writer *w;
    bo_assert_ok(bo_document_writer_open(book, id, "huge.bin", &w));
    int64_t written = 0;
    int rc;
    while ((rc = bo_document_writer_write(w, piece, sizeof piece)) == 0) {
        written += (int64_t)sizeof piece;
        ck_assert_int_le(written, LIMIT); /* a generator without end is stopped */
    }
    bo_assert_err(rc, BO_ELIMIT);
    ck_assert_int_eq(written, LIMIT);
    ck_assert_msg(strstr(bo_error_message(), "1572864") &&
                  strstr(bo_error_message(), "max_version_bytes"), "%s", bo_error_message());
    ck_assert_int_eq(tmp_files(), 0); /* at once, not only when freed */
    ck_assert_int_eq(bo_book_depth(book), 0); /* the writer's level is gone */
    bo_assert_err(bo_document_writer_write(w, "x", 1), BO_ESTATE);
    int64_t v = -1;
    bo_assert_err(bo_document_writer_finish(w, &v), BO_ESTATE);
    bo_document_writer_free(w);
    ck_assert_int_eq(versions_of(id), 0);
    ck_assert_int_eq(audit_seq(book), before);
    ck_assert_int_eq(tmp_files(), 0);

    /* Exactly the limit is accepted; one byte more is not. */
    char *big = malloc(LIMIT + 1);
    memset(big, 'x', LIMIT + 1);
    bo_assert_ok(bo_document_add_bytes(book, id, big, LIMIT, NULL, &v));
    ck_assert_int_eq(v, 1);
    big[0] = 'y';
    bo_assert_err(bo_document_add_bytes(book, id, big, LIMIT + 1, NULL, &v), BO_ELIMIT);
    ck_assert_int_eq(v, 0);
    free(big);
    /* A file that never ends: read up to the limit and one byte, refused. */
    bo_assert_err(bo_document_add_file(book, id, "/dev/zero", &v), BO_ELIMIT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_version_bytes"));
    ck_assert_int_eq(versions_of(id), 1);
    ck_assert_int_eq(tmp_files(), 0);

    /* Inside a host's transaction only the writer's level goes. */
    bo_assert_ok(bo_book_begin(book));
    int64_t inner = make_doc(book, "other", "inner", BO_DOCUMENT_INTERNAL, NULL);
    bo_assert_err(bo_document_add_file(book, inner, "/dev/zero", &v), BO_ELIMIT);
    ck_assert_int_eq(bo_book_depth(book), 1);
    bo_assert_ok(bo_book_commit(book));
    ck_assert_int_eq(versions_of(inner), 0);
    ck_assert_int_eq(tmp_files(), 0);
}

START_TEST(trust_doc_version_limit)
{
    int64_t lim = 0;
    bo_assert_ok(bo_document_version_limit(book, &lim));
    ck_assert_int_eq(lim, BO_DOCUMENT_VERSION_MAX_DEFAULT);
    ck_assert_int_eq(lim, 256 * 1024 * 1024);
    int64_t before = audit_seq(book);
    bo_assert_err(bo_document_set_version_limit(book, 0), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_version_bytes"));
    bo_assert_err(bo_document_set_version_limit(book, -1), BO_EINVAL);
    bo_assert_ok(bo_role_define(book, "clerk", "documents.read documents.write"));
    bo_assert_ok(bo_role_grant(book, "carl", "clerk"));
    bo_assert_ok(bo_book_set_actor(book, "carl"));
    bo_assert_err(bo_document_set_version_limit(book, 10), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "documents.admin"));
    bo_assert_ok(bo_document_version_limit(book, &lim)); /* documents.read may look */
    ck_assert_int_eq(lim, BO_DOCUMENT_VERSION_MAX_DEFAULT);
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    ck_assert_int_eq(audit_seq(book), before + 2); /* the role and the grant */
    bo_assert_ok(bo_document_set_version_limit(book, LIMIT));
    bo_assert_ok(bo_document_version_limit(book, &lim));
    ck_assert_int_eq(lim, LIMIT);
    over_limit("database");
    over_limit("files");
}
END_TEST

/* No partial content in the store: the rows a refused version wrote (a
 * whole 1 MiB chunk had gone into doc_chunks) are gone. */
START_TEST(trust_doc_version_limit_nothing_kept)
{
    bo_assert_ok(bo_document_set_version_limit(book, LIMIT));
    int64_t id = make_doc(book, "other", "big", BO_DOCUMENT_INTERNAL, NULL);
    bo_assert_ok(bo_document_add_bytes(book, id, "small", 5, NULL, NULL));
    static const char *const counts[] = {
        "SELECT COUNT(*) FROM doc_contents", "SELECT COUNT(*) FROM doc_chunks",
        "SELECT COUNT(*) FROM doc_versions", "SELECT COUNT(*) FROM audit_log",
    };
    int64_t before[4];
    for (int i = 0; i < 4; i++)
        before[i] = bo_test_raw_int(path, counts[i]);
    int64_t v;
    bo_assert_err(bo_document_add_file(book, id, "/dev/zero", &v), BO_ELIMIT);
    bo_book_free(book);
    book = NULL;
    for (int i = 0; i < 4; i++)
        ck_assert_msg(bo_test_raw_int(path, counts[i]) == before[i], "%s changed",
                      counts[i]);
    book = open_as("owner", 0);
}
END_TEST

/* ---- item 13: links name records that exist -------------------------------- */

static char *read_pack(const char *name, size_t *len)
{
    char file[1024];
    const char *here = __FILE__, *slash = strrchr(here, '/');
    snprintf(file, sizeof file, "%.*s/../../data/payroll/%s",
             (int)(slash ? slash - here : 1), slash ? here : ".", name);
    FILE *f = fopen(file, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", file);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* One record of every kind a link may name; ids as text in refs[]. */
enum { K_ENTRY, K_INVOICE, K_PAYMENT, K_ITEM, K_PO, K_SALE, K_MOVE, K_EMPLOYEE,
       K_PAY_RUN, K_PARTY, K_DOCUMENT, K_N };
static const char *const kind_names[K_N] = {
    "entry", "invoice", "payment", "item", "purchase_order", "sale", "stock_movement",
    "employee", "pay_run", "party", "document",
};
static char refs[K_N][32];

static void id_ref(int k, int64_t id)
{
    snprintf(refs[k], sizeof refs[k], "%lld", (long long)id);
}

static void every_kind(void)
{
    bo_test_chart(book);
    static const struct { const char *code, *name; int type; } acc[] = {
        { "1200", "Inventory", BO_ACCOUNT_ASSET }, { "1300", "Receivables", BO_ACCOUNT_ASSET },
        { "2100", "Net pay payable", BO_ACCOUNT_LIABILITY },
        { "2150", "GRNI", BO_ACCOUNT_LIABILITY },
        { "2210", "Income tax payable", BO_ACCOUNT_LIABILITY },
        { "2220", "Pension payable", BO_ACCOUNT_LIABILITY },
        { "5100", "Wages", BO_ACCOUNT_EXPENSE }, { "5150", "COGS", BO_ACCOUNT_EXPENSE },
        { "5200", "Employer contributions", BO_ACCOUNT_EXPENSE },
        { "5250", "Shrinkage", BO_ACCOUNT_EXPENSE },
    };
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++)
        bo_assert_ok(bo_ledger_account_add(book, acc[i].code, acc[i].name, acc[i].type,
                                           NULL, NULL));
    id_ref(K_ENTRY, bo_test_post2(book, "2026-01-02", "1000", "3000", 100000));
    /* parties, items, stock */
    bo_assert_ok(bo_party_add(book, "ACME", "Acme", BO_PARTY_CUSTOMER | BO_PARTY_VENDOR, NULL));
    snprintf(refs[K_PARTY], sizeof refs[K_PARTY], "ACME");
    static const char *const inv[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5150" },
        { "account.grni", "2150" }, { "account.adjustments", "5250" },
        { "account.revenue", "4000" }, { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof inv / sizeof inv[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, inv[i][0], inv[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "S1", "Store", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "WIDGET-1", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    snprintf(refs[K_ITEM], sizeof refs[K_ITEM], "WIDGET-1");
    int64_t id;
    bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "WIDGET-1", .location = "S1",
            .qty = 10, .cost = 500, .date = D("2026-01-03"), .key = "recv-1" }, &id));
    id_ref(K_MOVE, id);
    bo_assert_ok(bo_inventory_po_add(book, "PO-7", "ACME", D("2026-01-03"), &id));
    id_ref(K_PO, id);
    bo_sale *sale;
    bo_assert_ok(bo_sale_new(&sale, D("2026-01-04"), "till 1"));
    bo_assert_ok(bo_sale_set_key(sale, "sale-1"));
    bo_assert_ok(bo_sale_line(sale, "WIDGET-1", "S1", 2, 900, 0));
    bo_assert_ok(bo_sale_payment(sale, "cash", 1800));
    bo_assert_ok(bo_inventory_sale_post(book, sale, &id));
    bo_sale_free(sale);
    id_ref(K_SALE, id);
    /* billing */
    bo_assert_ok(bo_billing_setting_set(book, "receivable_account", "1300"));
    bo_assert_ok(bo_billing_setting_set(book, "payable_account", "2000"));
    bo_invoice *inv1;
    bo_assert_ok(bo_invoice_new(&inv1, BO_INVOICE_SALES, "ACME", D("2026-01-05"), NULL));
    bo_assert_ok(bo_invoice_line(inv1, &(bo_invoice_line_options){
            .version = BO_INVOICE_LINE_OPTIONS_VERSION, .account = "4000",
            .description = "Service", .quantity = 1000, .unit_price = 2500 }));
    bo_assert_ok(bo_billing_invoice_save(book, inv1, &id));
    bo_invoice_free(inv1);
    id_ref(K_INVOICE, id);
    bo_payment *pay;
    bo_assert_ok(bo_payment_new(&pay, &(bo_payment_options){
            .version = BO_PAYMENT_OPTIONS_VERSION, .kind = BO_PAYMENT_RECEIVED,
            .party = "ACME", .date = D("2026-01-06"), .amount = 2500,
            .account = "1100" }));
    bo_assert_ok(bo_payment_set_key(pay, "pay-1"));
    bo_assert_ok(bo_billing_payment_post(book, pay, &id));
    bo_payment_free(pay);
    id_ref(K_PAYMENT, id);
    /* payroll */
    size_t len;
    char *pack = read_pack("generic.yaml", &len);
    bo_assert_ok(bo_payroll_pack_load(book, pack, len, "generic.yaml"));
    free(pack);
    bo_assert_ok(bo_payroll_employee_add(book, "E-1", "Ann Lee", D("2025-01-01")));
    snprintf(refs[K_EMPLOYEE], sizeof refs[K_EMPLOYEE], "E-1");
    bo_assert_ok(bo_payroll_run_create(book, &(bo_payroll_run_options){
            .version = BO_PAYROLL_RUN_OPTIONS_VERSION, .key = "run-1", .pack = "generic",
            .schedule = BO_PAYROLL_MONTHLY, .period_start = D("2026-01-01"),
            .period_end = D("2026-01-31"), .pay_date = D("2026-01-31") }, &id));
    id_ref(K_PAY_RUN, id);
    id_ref(K_DOCUMENT, make_doc(book, "other", "Target", BO_DOCUMENT_INTERNAL, NULL));
}

static int64_t links_of(int64_t id)
{
    bo_cursor *c;
    int64_t n = 0;
    bo_assert_ok(bo_document_links(book, id, &c));
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

/* A link to a record that does not exist is refused, BO_ENOTFOUND naming
 * the kind and ref, nothing changed; refs that cannot be ids BO_EINVAL;
 * links reach every kind, sales, payments, pay runs and stock movements
 * included. */
START_TEST(trust_link_target_must_exist)
{
    every_kind();
    int64_t doc = make_doc(book, "contract", "Supporting paper", BO_DOCUMENT_INTERNAL, NULL);
    int64_t before = audit_seq(book);
    static const char *const missing[K_N] = {
        "999", "999", "999", "NO-SUCH-SKU", "999", "999", "999", "E-404", "999", "NOBODY",
        "999",
    };
    for (int k = 0; k < K_N; k++) {
        bo_assert_err(bo_document_link(book, doc, kind_names[k], missing[k]), BO_ENOTFOUND);
        char want[96];
        snprintf(want, sizeof want, "ref: no %s", kind_names[k]);
        ck_assert_msg(strstr(bo_error_message(), want) &&
                      strstr(bo_error_message(), missing[k]), "%s", bo_error_message());
    }
    static const char *const not_ids[] = { "0", "007", "-1", "+1", "1.5", "1e3", " 1",
                                           "99999999999999999999", "" };
    for (size_t i = 0; i < sizeof not_ids / sizeof *not_ids; i++) {
        int rc = bo_document_link(book, doc, "sale", not_ids[i]);
        ck_assert_msg(rc == BO_EINVAL, "'%s': %s", not_ids[i], bo_error_message());
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "ref"));
    }
    ck_assert_int_eq(links_of(doc), 0);
    ck_assert_int_eq(audit_seq(book), before);
    /* Every kind that exists can be linked, and found back. */
    for (int k = 0; k < K_N; k++) {
        bo_assert_ok(bo_document_link(book, doc, kind_names[k], refs[k]));
        bo_cursor *c;
        bo_assert_ok(bo_document_linked(book, kind_names[k], refs[k], &c));
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_int_eq(bo_cursor_int(c, 0), doc);
        bo_cursor_free(c);
    }
    ck_assert_int_eq(links_of(doc), K_N);
    ck_assert_int_eq(audit_seq(book), before + K_N);
    /* A link made stays removable. */
    bo_assert_ok(bo_document_unlink(book, doc, "sale", refs[K_SALE]));
}
END_TEST

/* Whether a record exists is told only to an actor who may read its
 * domain; an invisible document is not told apart from a missing one. */
START_TEST(trust_link_needs_read_permission)
{
    every_kind();
    int64_t conf = make_doc(book, "contract", "Owner's secret", BO_DOCUMENT_CONFIDENTIAL, NULL);
    bo_assert_ok(bo_role_define(book, "dw", "documents.read documents.write audit.read"));
    bo_assert_ok(bo_role_grant(book, "wes", "dw"));
    bo_assert_ok(bo_book_set_actor(book, "wes"));
    int64_t doc = make_doc(book, "other", "Wes's note", BO_DOCUMENT_INTERNAL, NULL);
    int64_t before = audit_seq(book);
    static const char *const perm[K_N] = {
        "ledger.read", "billing.read", "billing.read", "inventory.read", "inventory.read",
        "inventory.read", "inventory.read", "payroll.read", "payroll.read", "party.read", NULL,
    };
    for (int k = 0; k < K_DOCUMENT; k++) {
        /* the same answer whether the record exists or not */
        bo_assert_err(bo_document_link(book, doc, kind_names[k], refs[k]), BO_EDENIED);
        ck_assert_msg(strstr(bo_error_message(), perm[k]), "%s", bo_error_message());
        bo_assert_err(bo_document_link(book, doc, kind_names[k],
                                  k == K_ITEM || k == K_EMPLOYEE || k == K_PARTY ? "ZZZ"
                                                                                : "999"),
                      BO_EDENIED);
    }
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)conf);
    bo_assert_err(bo_document_link(book, doc, "document", ref), BO_ENOTFOUND);
    ck_assert_msg(strstr(bo_error_message(), "no document"), "%s", bo_error_message());
    ck_assert_ptr_null(strstr(bo_error_message(), "secret"));
    bo_assert_ok(bo_document_link(book, doc, "document", refs[K_DOCUMENT]));
    ck_assert_int_eq(links_of(doc), 1);
    ck_assert_int_eq(audit_seq(book), before + 1);
}
END_TEST

/* ---- item 13: metadata fields are the type's ------------------------------- */

START_TEST(trust_metadata_undeclared)
{
    bo_assert_ok(bo_document_type_field_add(book, "invoice", "amount", "money"));
    bo_document *d;
    bo_assert_ok(bo_document_new(&d, "invoice", "Invoice 9", D("2026-03-01")));
    bo_assert_ok(bo_document_set_meta(d, "amount", "1250"));
    bo_assert_ok(bo_document_set_meta(d, "discount_code", "FREE-100"));
    int64_t before = audit_seq(book), id = -1, n = -1;
    bo_assert_err(bo_document_create(book, d, &id), BO_EINVAL);
    ck_assert_msg(strstr(bo_error_message(), "discount_code: not a field of type "
                         "'invoice'"), "%s", bo_error_message());
    ck_assert_int_eq(id, 0);
    ck_assert_int_eq(audit_seq(book), before);
    bo_document_query *q;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 0);
    /* Built-in types are closed too. */
    bo_document *o;
    bo_assert_ok(bo_document_new(&o, "other", "Note", D("2026-03-01")));
    bo_assert_ok(bo_document_set_meta(o, "colour", "red"));
    bo_assert_err(bo_document_create(book, o, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "colour"));
    /* Opening a type's fields needs documents.admin. */
    bo_assert_ok(bo_role_define(book, "dw", "documents.read documents.write"));
    bo_assert_ok(bo_role_grant(book, "wes", "dw"));
    bo_assert_ok(bo_book_set_actor(book, "wes"));
    bo_assert_err(bo_document_type_open_fields(book, "invoice", 1), BO_EDENIED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "documents.admin"));
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    bo_assert_err(bo_document_type_open_fields(book, "nope", 1), BO_ENOTFOUND);
    /* Open: undeclared fields are accepted; declared ones still checked. */
    bo_assert_ok(bo_document_type_open_fields(book, "invoice", 1));
    bo_assert_ok(bo_document_create(book, d, &id));
    ck_assert_int_gt(id, 0);
    bo_assert_ok(bo_document_set_meta(d, "amount", "12.50"));
    bo_assert_err(bo_document_create(book, d, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    bo_cursor *c;
    bo_assert_ok(bo_document_types(book, &c));
    int seen = 0;
    while (bo_cursor_next(c) == 0)
        if (!strcmp(bo_cursor_text(c, 0), "invoice")) {
            ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "open_fields")), 1);
            seen = 1;
        } else {
            ck_assert_int_eq(bo_cursor_int(c, bo_cursor_column_index(c, "open_fields")), 0);
        }
    bo_cursor_free(c);
    ck_assert(seen);
    /* Closed again. */
    bo_assert_ok(bo_document_type_open_fields(book, "invoice", 0));
    bo_assert_ok(bo_document_set_meta(d, "amount", "1300"));
    bo_assert_err(bo_document_create(book, d, NULL), BO_EINVAL);
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 1);
    bo_document_query_free(q);
    bo_document_free(d);
    bo_document_free(o);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("documents_trust");
    TCase *t = tcase_create("documents_trust");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_doc_confidential_search);
    tcase_add_test(t, trust_doc_version_limit);
    tcase_add_test(t, trust_link_target_must_exist);
    tcase_add_test(t, trust_link_needs_read_permission);
    tcase_add_test(t, trust_metadata_undeclared);
    suite_add_tcase(s, t);
    t = tcase_create("documents_trust_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, trust_doc_confidential_text_hidden);
    tcase_add_test(t, trust_doc_version_limit_nothing_kept);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
