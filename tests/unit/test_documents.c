/* The documents domain: the store cannot be escaped, damage is found and
 * named, a wrong key is BO_EKEY, retention and holds gate disposal, and the
 * access matrix holds for every call, search results and counts included. */
#define _GNU_SOURCE 1
#include "testutil.h"

#include "documents/documents.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *path;
static bo_book *book;
static char root[4096], outside[4096];

static bo_date D(const char *iso)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(iso, &d));
    return d;
}

static void setup(void)
{
    path = bo_test_path("documents");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    char *f = bo_test_file("docstore");
    snprintf(root, sizeof root, "%s.d", f);
    snprintf(outside, sizeof outside, "%s.outside", f);
    free(f);
    ck_assert_int_eq(mkdir(root, 0700), 0);
    ck_assert_int_eq(mkdir(outside, 0700), 0);
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(path);
}

static int64_t new_doc(const char *type, const char *title, const char *date, int cls)
{
    bo_document *d;
    int64_t id;
    bo_assert_ok(bo_document_new(&d, type, title, D(date)));
    bo_assert_ok(bo_document_set_class(d, cls));
    bo_assert_ok(bo_document_create(book, d, &id));
    bo_document_free(d);
    return id;
}

static size_t read_all(int64_t id, int64_t version, char *buf, size_t cap, int *rc)
{
    bo_document_reader *r;
    size_t total = 0, got;
    *rc = bo_document_reader_open(book, id, version, &r);
    if (*rc)
        return 0;
    while (!(*rc = bo_document_reader_read(r, buf + total, cap - total, &got)) && got)
        total += got;
    bo_document_reader_free(r);
    return total;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void audit_head(int64_t *seq)
{
    char h[65];
    bo_assert_ok(bo_audit_head(book, seq, h, sizeof h));
}

/* ---- path attacks ------------------------------------------------------ */

START_TEST(store_names_refused)
{
    int rootfd, fd;
    bo_assert_ok(bo__docfs_root_open(root, &rootfd));
    static const char nul_name[] = "aa\0/../../x";
    char longname[600];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    const char *bad[] = { "../x", "tmp/../../x", "/etc/passwd", "aa/bb/../../../x",
                          longname, "", "aa/bb/zz", "AA", "tmp/", "./tmp" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        bo_assert_err(bo__docfs_open(rootfd, bad[i], strlen(bad[i]),
                                     O_WRONLY | O_CREAT, 0600, &fd), BO_EINVAL);
    bo_assert_err(bo__docfs_open(rootfd, nul_name, sizeof nul_name - 1,
                                 O_WRONLY | O_CREAT, 0600, &fd), BO_EINVAL);
    /* A relative root and a file as root are refused too. */
    bo_assert_err(bo_document_set_store(book, "files", "relative/dir"), BO_EINVAL);
    bo_assert_err(bo_document_set_store(book, "files", NULL), BO_EINVAL);
    bo_assert_err(bo_document_set_store(book, "cloud", root), BO_EINVAL);
    close(rootfd);
    ck_assert_int_eq(count_files(root), 0);
    ck_assert_int_eq(count_files(outside), 0);
}
END_TEST

START_TEST(hostile_titles_make_hash_names)
{
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("other", "../../../etc/passwd", "2026-01-05", BO_DOCUMENT_INTERNAL);
    int64_t v;
    bo_assert_ok(bo_document_add_bytes(book, id, "payload", 7, "../../x\n", &v));
    ck_assert_int_eq(v, 1);
    /* Only tmp/ and one two-hex-digit folder: the hash's. */
    unsigned char h[32];
    char hex[65], p[8192];
    bo__sha256("payload", 7, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
    struct stat st;
    ck_assert_int_eq(lstat(p, &st), 0);
    ck_assert(S_ISREG(st.st_mode));
    ck_assert_int_eq(count_files(root), 2);
    ck_assert_int_eq(count_files(outside), 0);
}
END_TEST

START_TEST(planted_symlinks_rejected)
{
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("other", "scan", "2026-01-05", BO_DOCUMENT_INTERNAL);
    /* 1: the hash's first folder is a link to a folder outside the root. */
    unsigned char h[32];
    char hex[65], p[8192];
    bo__sha256("secret bytes", 12, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s", root, hex);
    ck_assert_int_eq(symlink(outside, p), 0);
    int64_t seq0, seq1;
    audit_head(&seq0);
    bo_assert_err(bo_document_add_bytes(book, id, "secret bytes", 12, NULL, NULL), BO_ECORRUPT);
    audit_head(&seq1);
    ck_assert_int_eq(seq0, seq1);
    ck_assert_int_eq(count_files(outside), 0);
    bo_cursor *c;
    bo_assert_ok(bo_document_versions(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* The temporary file is gone as well. */
    snprintf(p, sizeof p, "%s/tmp", root);
    ck_assert_int_eq(count_files(p), 0);

    /* 2: a stored file replaced by a link to a file outside: refused on
     * read and reported by the integrity check. */
    int64_t v;
    bo_assert_ok(bo_document_add_bytes(book, id, "other bytes", 11, NULL, &v));
    bo__sha256("other bytes", 11, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
    char target[8192];
    snprintf(target, sizeof target, "%s/copy", outside);
    FILE *f = fopen(target, "w");
    fputs("other bytes", f);
    fclose(f);
    ck_assert_int_eq(unlink(p), 0);
    ck_assert_int_eq(symlink(target, p), 0);
    char buf[64];
    int rc;
    read_all(id, v, buf, sizeof buf, &rc);
    bo_assert_err(rc, BO_ECORRUPT);
    int64_t n;
    bo_assert_err(bo_document_verify(book, &n), BO_ECORRUPT);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "version 1"));
}
END_TEST

/* ---- integrity ----------------------------------------------------------- */

START_TEST(corrupt_byte_named)
{
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t a = new_doc("invoice", "INV-1", "2026-01-05", BO_DOCUMENT_INTERNAL);
    int64_t b = new_doc("invoice", "INV-2", "2026-01-06", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_document_add_bytes(book, a, "first invoice", 13, "a.pdf", NULL));
    bo_assert_ok(bo_document_add_bytes(book, b, "second invoice", 14, "b.pdf", NULL));
    bo_assert_ok(bo_document_add_bytes(book, b, "second invoice v2", 17, "b.pdf", NULL));
    int64_t n;
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 3);
    unsigned char h[32];
    char hex[65], p[8192];
    bo__sha256("second invoice v2", 17, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
    int fd = open(p, O_WRONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pwrite(fd, "S", 1, 0), 1); /* one byte: s -> S */
    close(fd);
    bo_assert_err(bo_document_verify(book, &n), BO_ECORRUPT);
    char want[64];
    snprintf(want, sizeof want, "document %lld version 2", (long long)b);
    ck_assert_msg(strstr(bo_error_message(), want), "%s", bo_error_message());
    char buf[64];
    int rc;
    read_all(b, 2, buf, sizeof buf, &rc);
    bo_assert_err(rc, BO_ECORRUPT);
    /* Version 1 is intact and reads back. */
    size_t got = read_all(b, 1, buf, sizeof buf, &rc);
    bo_assert_ok(rc);
    ck_assert_int_eq(got, 14);
    ck_assert(memcmp(buf, "second invoice", 14) == 0);
}
END_TEST

START_TEST(corrupt_byte_in_database)
{
    int64_t a = new_doc("receipt", "R-1", "2026-01-05", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_document_add_bytes(book, a, "hello world", 11, NULL, NULL));
    bo_assert_ok(bo_document_verify(book, NULL));
    bo_book_free(book);
    book = NULL;
    /* "hello world" -> "hellO world", whichever way the driver keeps bytes */
    if (!strcmp(bo_test_scheme(), "postgresql"))
        bo_test_raw_sql(path, "UPDATE doc_chunks SET data = '\\x68656c6c4f20776f726c64'::bytea");
    else
        bo_test_raw_sql(path, "UPDATE doc_chunks SET data = X'68656c6c4f20776f726c64'"
                              " WHERE data IS NOT NULL;"
                              " UPDATE doc_chunks SET data64 = 'aGVsbE8gd29ybGQ='"
                              " WHERE data64 IS NOT NULL");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, path, &o));
    bo_assert_err(bo_document_verify(book, NULL), BO_ECORRUPT);
    char want[64];
    snprintf(want, sizeof want, "document %lld version 1", (long long)a);
    ck_assert_msg(strstr(bo_error_message(), want), "%s", bo_error_message());
}
END_TEST

/* ---- encryption ------------------------------------------------------------ */

/* How many regular files under dir (recursively) contain the needle; the
 * bytes of all of them are added to *bytes. */
static int files_containing(const char *dir, const void *needle, size_t len, size_t *bytes)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        struct stat st;
        ck_assert_int_eq(lstat(p, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            found += files_containing(p, needle, len, bytes);
            continue;
        }
        if (!S_ISREG(st.st_mode))
            continue;
        FILE *f = fopen(p, "rb");
        ck_assert_ptr_nonnull(f);
        char *buf = malloc((size_t)st.st_size + 1);
        ck_assert_ptr_nonnull(buf);
        size_t got = fread(buf, 1, (size_t)st.st_size, f);
        fclose(f);
        *bytes += got;
        if (got >= len && memmem(buf, got, needle, len))
            found++;
        free(buf);
    }
    closedir(d);
    return found;
}

START_TEST(wrong_key_is_ekey)
{
    unsigned char k1[32], k2[32];
    memset(k1, 1, sizeof k1);
    memset(k2, 2, sizeof k2);
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("contract", "Supplier contract", "2026-01-02", BO_DOCUMENT_CONFIDENTIAL);
    bo_assert_err(bo_document_add_bytes(book, id, "terms", 5, NULL, NULL), BO_EKEY);
    bo_assert_err(bo_document_set_encryption_key(book, k1, 31), BO_EINVAL);
    bo_assert_ok(bo_document_set_encryption_key(book, k1, sizeof k1));
    /* 200 KiB: several secretstream messages */
    size_t n = 200 * 1024 + 7;
    char *data = malloc(n), *back = malloc(n + 16);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    int64_t v;
    bo_assert_ok(bo_document_add_bytes(book, id, data, n, "c.pdf", &v));
    int rc;
    size_t got = read_all(id, 0, back, n + 16, &rc);
    bo_assert_ok(rc);
    ck_assert_int_eq(got, n);
    ck_assert(memcmp(data, back, n) == 0);
    /* The stored file holds no plaintext: no file under the store's root
     * contains 32 bytes of it, and the ciphertext is there (as large as
     * the content at least). */
    size_t stored = 0;
    ck_assert_int_eq(files_containing(root, data, 32, &stored), 0);
    ck_assert_uint_ge(stored, n);
    /* The check sees plaintext where there is some: the same bytes as an
     * internal (unencrypted) document are found, in exactly one file. */
    int64_t plain = new_doc("contract", "Plain copy", "2026-01-02", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_document_add_bytes(book, plain, data, n, "p.pdf", NULL));
    stored = 0;
    ck_assert_int_eq(files_containing(root, data, 32, &stored), 1);
    bo_cursor *c;
    bo_assert_ok(bo_document_versions(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 4), 1);
    bo_cursor_free(c);
    bo_assert_ok(bo_document_set_encryption_key(book, k2, sizeof k2));
    read_all(id, 0, back, n, &rc);
    bo_assert_err(rc, BO_EKEY);
    bo_assert_err(bo_document_export_file(book, id, 0, outside), BO_EKEY);
    bo_assert_ok(bo_document_set_encryption_key(book, NULL, 0));
    read_all(id, 0, back, n, &rc);
    bo_assert_err(rc, BO_EKEY);
    /* Integrity needs no key. */
    bo_assert_ok(bo_document_verify(book, NULL));
    free(data);
    free(back);
}
END_TEST

/* ---- versions, dedupe, streaming ------------------------------------------- */

START_TEST(versions_dedupe_streaming)
{
    int64_t a = new_doc("financial_report", "Q1", "2026-03-31", BO_DOCUMENT_INTERNAL);
    int64_t b = new_doc("financial_report", "Q1 copy", "2026-03-31", BO_DOCUMENT_INTERNAL);
    bo_document_writer *w;
    bo_assert_ok(bo_document_writer_open(book, a, "q1.bin", &w));
    size_t total = 0;
    unsigned char block[4096];
    for (int i = 0; i < 700; i++) { /* 2.8 MB: three database chunks */
        memset(block, i & 255, sizeof block);
        bo_assert_ok(bo_document_writer_write(w, block, sizeof block));
        total += sizeof block;
    }
    int64_t v;
    bo_assert_ok(bo_document_writer_finish(w, &v));
    bo_assert_err(bo_document_writer_write(w, "x", 1), BO_ESTATE);
    bo_document_writer_free(w);
    ck_assert_int_eq(v, 1);
    bo_assert_ok(bo_document_add_bytes(book, a, "v2", 2, NULL, &v));
    ck_assert_int_eq(v, 2);
    /* An abandoned writer records nothing. */
    bo_assert_ok(bo_document_writer_open(book, a, NULL, &w));
    bo_assert_ok(bo_document_writer_write(w, "abandoned", 9));
    bo_document_writer_free(w);
    ck_assert_int_eq(bo_book_depth(book), 0);
    /* Export version 1 and import it into b: stored once. */
    char *f = bo_test_file("export");
    bo_assert_ok(bo_document_export_file(book, a, 1, f));
    struct stat st;
    ck_assert_int_eq(stat(f, &st), 0);
    ck_assert_int_eq((size_t)st.st_size, total);
    bo_assert_ok(bo_document_add_file(book, b, f, &v));
    ck_assert_int_eq(v, 1);
    free(f);
    bo_cursor *c;
    char sha_a[65], sha_b[65];
    bo_assert_ok(bo_document_versions(book, a, &c));
    bo_assert_ok(bo_cursor_next(c));
    snprintf(sha_a, sizeof sha_a, "%s", bo_cursor_text(c, 1));
    ck_assert_int_eq(bo_cursor_int(c, 2), (int64_t)total);
    ck_assert_str_eq(bo_cursor_text(c, 3), "q1.bin");
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_document_versions(book, b, &c));
    bo_assert_ok(bo_cursor_next(c));
    snprintf(sha_b, sizeof sha_b, "%s", bo_cursor_text(c, 1));
    bo_cursor_free(c);
    ck_assert_str_eq(sha_a, sha_b);
    bo__stmt *s;
    static const char q[] = "SELECT COUNT(*) FROM doc_contents";
    bo_assert_ok(bo__stmt_new(book->store, q, &s));
    ck_assert_int_eq(bo__stmt_step(s), BO_DRIVER_ROW);
    ck_assert_int_eq(bo__stmt_col_int(s, 0), 2); /* q1 content and "v2" */
    bo__stmt_done(s);
    bo_document_reader *r;
    bo_assert_ok(bo_document_reader_open(book, b, 0, &r));
    ck_assert_int_eq(bo_document_reader_size(r), (int64_t)total);
    size_t got, seen = 0;
    while (!bo_document_reader_read(r, block, 1000, &got) && got) {
        ck_assert_int_eq(block[0], (seen / 4096) & 255);
        seen += got;
    }
    ck_assert_int_eq(seen, total);
    bo_document_reader_free(r);
    bo_assert_err(bo_document_reader_open(book, a, 9, &r), BO_ENOTFOUND);
    int64_t n;
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 3);
    /* Stored content survives the lossless export, by content hash. */
    size_t bytes = bo_test_round_trip(book);
    ck_assert(bytes > 4096 || !strcmp(bo_test_backend(), "memory"));
}
END_TEST

/* ---- retention and holds ----------------------------------------------------- */

START_TEST(retention_and_holds)
{
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("contract", "Lease 2015", "2015-03-01", BO_DOCUMENT_INTERNAL);
    int64_t keep = new_doc("contract", "Lease copy", "2020-03-01", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_document_add_bytes(book, id, "lease v1", 8, NULL, NULL));
    bo_assert_ok(bo_document_add_bytes(book, id, "shared", 6, NULL, NULL));
    bo_assert_ok(bo_document_add_bytes(book, keep, "shared", 6, NULL, NULL));
    bo_assert_ok(bo_party_add(book, "ACME", "Acme", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_document_link(book, id, "party", "ACME"));
    int64_t seq0, seq1;
    audit_head(&seq0);
    /* Before the end of retention: 2015-03-01 + 10 years = 2025-03-01. */
    bo_assert_err(bo_document_dispose(book, id, D("2025-02-28")), BO_ERETAINED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "2025-03-01"));
    /* Under a hold, on the document, then on the type. */
    bo_assert_ok(bo_document_hold(book, id, 1));
    bo_assert_err(bo_document_dispose(book, id, D("2026-01-01")), BO_ERETAINED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "hold"));
    bo_assert_ok(bo_document_hold(book, id, 0));
    bo_assert_ok(bo_document_type_hold(book, "contract", 1));
    bo_assert_err(bo_document_dispose(book, id, D("2026-01-01")), BO_ERETAINED);
    bo_assert_ok(bo_document_type_hold(book, "contract", 0));
    /* A type without a rule is kept for ever. */
    int64_t other = new_doc("other", "note", "2000-01-01", BO_DOCUMENT_INTERNAL);
    bo_assert_err(bo_document_dispose(book, other, D("2099-01-01")), BO_ERETAINED);
    audit_head(&seq1);
    ck_assert_int_eq(seq1, seq0 + 4 + 1); /* holds on/off x2, plus the note */
    int files_before = count_files(root);
    (void)files_before;
    bo_assert_ok(bo_document_dispose(book, id, D("2025-03-01")));
    bo_assert_err(bo_document_dispose(book, id, D("2025-03-01")), BO_ESTATE);
    /* The tombstone stays; content is gone, shared content kept. */
    bo_cursor *c;
    bo_assert_ok(bo_document_get(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 2), "Lease 2015");
    ck_assert_int_eq(bo_cursor_type(c, 11), BO_TYPE_TEXT);
    ck_assert_str_eq(bo_cursor_text(c, 10), "2025-03-01");
    bo_cursor_free(c);
    bo_assert_ok(bo_document_versions(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_type(c, 1), BO_TYPE_NULL);
    bo_cursor_free(c);
    int rc;
    char buf[32];
    read_all(id, 0, buf, sizeof buf, &rc);
    bo_assert_err(rc, BO_ESTATE);
    size_t got = read_all(keep, 0, buf, sizeof buf, &rc);
    bo_assert_ok(rc);
    ck_assert_int_eq(got, 6);
    unsigned char h[32];
    char hex[65], p[8192];
    bo__sha256("lease v1", 8, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
    struct stat st;
    ck_assert_int_ne(stat(p, &st), 0);
    bo__sha256("shared", 6, h);
    bo__hex(h, 32, hex);
    snprintf(p, sizeof p, "%s/%.2s/%.2s/%s", root, hex, hex + 2, hex);
    ck_assert_int_eq(stat(p, &st), 0);
    /* The audit record. */
    bo_assert_ok(bo_audit_list(book, seq1 + 1, &c));
    int found = 0;
    while (bo_cursor_next(c) == 0)
        for (int i = 0; i < bo_cursor_column_count(c); i++)
            if (bo_cursor_type(c, i) == BO_TYPE_TEXT &&
                !strcmp(bo_cursor_text(c, i), "documents.document.dispose"))
                found = 1;
    bo_cursor_free(c);
    ck_assert(found);
    /* Search skips it unless asked. */
    bo_document_query *q;
    int64_t n;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_type(q, "contract"));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 1);
    bo_assert_ok(bo_document_query_disposed(q, 1));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 2);
    bo_document_query_free(q);
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 1);
    bo_assert_err(bo_document_add_bytes(book, id, "x", 1, NULL, NULL), BO_ESTATE);
    /* Every call that starts on a live document refuses it, naming it. */
    char want[64];
    snprintf(want, sizeof want, "document %lld: disposed of", (long long)id);
    bo_assert_err(bo_document_checkout(book, id), BO_ESTATE);
    ck_assert_str_eq(bo_error_message(), want);
    bo_assert_err(bo_document_tag(book, id, "late"), BO_ESTATE);
    ck_assert_str_eq(bo_error_message(), want);
    bo_document_reader *r = NULL;
    bo_assert_err(bo_document_reader_open(book, id, 0, &r), BO_ESTATE);
    ck_assert_str_eq(bo_error_message(), want);
    ck_assert_ptr_null(r);
}
END_TEST

/* ---- access matrix ---------------------------------------------------------- */

enum { PUB, CONF, RESTR }; /* documents owned by "owner" */
static int64_t ids[3];

/* Every documents call for one actor on document `which`: 1 allowed,
 * 0 denied (BO_EDENIED, or BO_ENOTFOUND for a document it may not see). */
static int try_call(int call, int which)
{
    bo_cursor *c = NULL;
    bo_document *d = NULL;
    bo_document_query *q = NULL;
    bo_document_reader *r = NULL;
    bo_document_writer *w = NULL;
    int64_t id = ids[which], n = -1;
    int rc;
    switch (call) {
    case 0: rc = bo_document_get(book, id, &c); break;
    case 1: rc = bo_document_meta(book, id, &c); break;
    case 2: rc = bo_document_versions(book, id, &c); break;
    case 3: rc = bo_document_links(book, id, &c); break;
    case 4: rc = bo_document_reader_open(book, id, 0, &r); break;
    case 5: {
        char *f = bo_test_file("matrix-export");
        rc = bo_document_export_file(book, id, 0, f);
        unlink(f);
        free(f);
        break;
    }
    case 6: rc = bo_document_writer_open(book, id, NULL, &w); break;
    case 7: rc = bo_document_tag(book, id, "seen"); break;
    case 8: rc = bo_document_body(book, id, "text"); break;
    case 9: { /* to another document it may see */
        char ref[24];
        snprintf(ref, sizeof ref, "%lld", (long long)ids[PUB]);
        rc = bo_document_link(book, id, "document", ref);
        break;
    }
    case 10:
        rc = bo_document_checkout(book, id);
        if (!rc)
            bo_assert_ok(bo_document_checkin(book, id));
        break;
    case 11: rc = bo_document_hold(book, id, 0); break;
    case 12: rc = bo_document_verify(book, NULL); break;
    case 13: rc = bo_document_types(book, &c); break;
    case 14: rc = bo_document_type_retention(book, "receipt", 10); break;
    case 15:
        bo_assert_ok(bo_document_new(&d, "other", "new", D("2026-01-01")));
        bo_document_set_class(d, which == PUB ? BO_DOCUMENT_PUBLIC : BO_DOCUMENT_CONFIDENTIAL);
        rc = bo_document_create(book, d, NULL);
        break;
    case 16: /* search must find it */
        bo_assert_ok(bo_document_query_new(&q));
        bo_assert_ok(bo_document_query_text(q, which == PUB ? "alpha" : which == CONF ? "bravo" : "charlie"));
        rc = bo_document_search(book, q, &c);
        if (!rc)
            rc = bo_cursor_next(c) == 0 ? 0 : 1;
        break;
    case 17: /* and count it */
        bo_assert_ok(bo_document_query_new(&q));
        bo_assert_ok(bo_document_query_text(q, which == PUB ? "alpha" : which == CONF ? "bravo" : "charlie"));
        rc = bo_document_count(book, q, &n);
        if (!rc)
            rc = n == 1 ? 0 : 1;
        break;
    case 18: /* linked lists it */
        rc = bo_document_linked(book, "entry", which == PUB ? "1" : which == CONF ? "2" : "3", &c);
        if (!rc)
            rc = bo_cursor_next(c) == 0 ? 0 : 1;
        break;
    case 19: rc = bo_document_set_store(book, "database", NULL); break;
    case 20: rc = bo_document_type_add(book, "memo", 0); break;
    case 21: rc = bo_document_type_field_add(book, "receipt", "total", "money"); break;
    case 22: rc = bo_document_type_hold(book, "receipt", 0); break;
    case 23:
        rc = bo_document_unlink(book, id, "entry", "nope");
        if (rc == BO_ENOTFOUND && strstr(bo_error_message(), "not linked"))
            rc = 0;
        break;
    case 24:
        rc = bo_document_dispose(book, id, D("2020-01-01"));
        if (rc == BO_ERETAINED)
            rc = 0;
        break;
    default: rc = BO_ERROR;
    }
    bo_cursor_free(c);
    bo_document_free(d);
    bo_document_query_free(q);
    bo_document_reader_free(r);
    bo_document_writer_free(w);
    if (rc == 1) /* filtered out of results or counts */
        return 0;
    if (rc == BO_EDENIED || rc == BO_ENOTFOUND) {
        ck_assert_msg(bo_error_message()[0], "empty message");
        /* Never a title or content in a refusal. */
        ck_assert_ptr_null(strstr(bo_error_message(), "bravo"));
        ck_assert_ptr_null(strstr(bo_error_message(), "charlie"));
        return 0;
    }
    ck_assert_msg(rc == 0 || rc == BO_EEXISTS, "call %d: %s (%s)", call,
                  bo_error_name(rc), bo_error_message());
    return 1;
}

#define NCALLS 25
/* What each call needs: r read, w write, a admin, c create (write + conf for
 * protected classes); and whether it is about one document (sight applies). */
static const char needs[NCALLS + 1] = "rrrrrrwwwwwaarawrrraaaawa";
static const char sight[NCALLS + 1] = "1111111111110000111000011";

static int may_see(const char *perms, const char *actor, int which)
{
    int conf = strchr(perms, 'c') != NULL, admin = strchr(perms, 'a') != NULL;
    if (!strcmp(actor, "owner") || which == PUB)
        return 1;
    return which == CONF ? conf : conf && admin;
}

START_TEST(access_matrix)
{
    unsigned char key[32] = { 7 };
    bo_assert_ok(bo_document_set_encryption_key(book, key, sizeof key));
    const char *titles[3] = { "alpha plan", "bravo salaries", "charlie merger" };
    const char *refs[3] = { "1", "2", "3" }; /* entries */
    bo_test_chart(book);
    for (int i = 0; i < 3; i++)
        bo_test_post2(book, "2026-01-02", "1000", "4000", 100 + i);
    for (int i = 0; i < 3; i++) {
        ids[i] = new_doc("contract", titles[i], "2026-01-10",
                         i == PUB ? BO_DOCUMENT_PUBLIC : i == CONF ? BO_DOCUMENT_CONFIDENTIAL
                                                             : BO_DOCUMENT_RESTRICTED);
        bo_assert_ok(bo_document_add_bytes(book, ids[i], "content", 7, NULL, NULL));
        bo_assert_ok(bo_document_link(book, ids[i], "entry", refs[i]));
    }
    bo_assert_ok(bo_role_define(book, "dr", "documents.read"));
    bo_assert_ok(bo_role_define(book, "dw", "documents.read documents.write"));
    bo_assert_ok(bo_role_define(book, "dc", "documents.read documents.write documents.confidential"));
    bo_assert_ok(bo_role_define(book, "da", "documents.read documents.write documents.admin"));
    bo_assert_ok(bo_role_define(book, "dac", "documents.read documents.write documents.admin"
                                " documents.confidential"));
    bo_assert_ok(bo_role_define(book, "led", "ledger.read ledger.post"));
    struct { const char *actor, *role, *perms; } who[] = {
        { "nobody", NULL, "" }, { "ledger", "led", "" }, { "rita", "dr", "r" },
        { "wes", "dw", "rw" }, { "cora", "dc", "rwc" }, { "adam", "da", "rwa" },
        { "alma", "dac", "rwac" }, { "owner", NULL, "rwac" },
    };
    int denied = 0, allowed = 0;
    for (size_t k = 0; k < sizeof who / sizeof *who; k++)
        if (who[k].role)
            bo_assert_ok(bo_role_grant(book, who[k].actor, who[k].role));
    for (size_t k = 0; k < sizeof who / sizeof *who; k++) {
        bo_assert_ok(bo_book_set_actor(book, who[k].actor));
        bo_assert_ok(bo_document_set_encryption_key(book, key, sizeof key));
        for (int which = 0; which < 3; which++)
            for (int call = 0; call < NCALLS; call++) {
                int need = strchr(who[k].perms, needs[call]) != NULL;
                if (needs[call] == 'w' && call == 15 && which != PUB)
                    need = need && strchr(who[k].perms, 'c');
                if (call == 15 && which != PUB)
                    need = strchr(who[k].perms, 'w') && strchr(who[k].perms, 'c');
                if (sight[call] == '1')
                    need = need && may_see(who[k].perms, who[k].actor, which);
                int got = try_call(call, which);
                ck_assert_msg(got == need, "%s call %d doc %d: got %d expected %d (%s)",
                              who[k].actor, call, which, got, need, bo_error_message());
                denied += !got;
                allowed += got;
            }
    }
    ck_assert_int_gt(denied, 150);
    ck_assert_int_gt(allowed, 150);
    /* Counts never include what the actor cannot see. */
    bo_assert_ok(bo_book_set_actor(book, "rita"));
    bo_document_query *q;
    int64_t n;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_ok(bo_document_query_type(q, "contract"));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 1);
    bo_assert_ok(bo_book_set_actor(book, "cora"));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 2);
    bo_assert_ok(bo_book_set_actor(book, "alma"));
    bo_assert_ok(bo_document_count(book, q, &n));
    ck_assert_int_eq(n, 3);
    bo_document_query_free(q);
    /* Reads of protected documents were audited. */
    bo_assert_ok(bo_book_set_actor(book, "owner"));
    bo_cursor *c;
    bo_assert_ok(bo_audit_list(book, 1, &c));
    int reads = 0;
    int col = bo_cursor_column_index(c, "action");
    while (bo_cursor_next(c) == 0)
        reads += !strncmp(bo_cursor_text(c, col), "documents.document.read", 23);
    bo_cursor_free(c);
    ck_assert_int_gt(reads, 20);
}
END_TEST

/* ---- records, search, links, check-out --------------------------------------- */

START_TEST(records_and_search)
{
    bo_assert_ok(bo_document_type_add(book, "delivery_note", 3));
    bo_assert_err(bo_document_type_add(book, "delivery_note", 3), BO_EEXISTS);
    bo_assert_ok(bo_document_type_field_add(book, "invoice", "amount", "money"));
    bo_assert_ok(bo_document_type_field_add(book, "invoice", "due", "date"));
    bo_assert_err(bo_document_type_field_add(book, "invoice", "x", "float"), BO_EINVAL);
    bo_assert_err(bo_document_type_field_add(book, "nope", "x", "int"), BO_ENOTFOUND);
    bo_document *d;
    int64_t seq0, seq1, id, again;
    bo_assert_ok(bo_document_new(&d, "invoice", "Invoice 4711 from Acme", D("2026-02-03")));
    bo_assert_ok(bo_document_set_meta(d, "amount", "12.50"));
    bo_assert_ok(bo_document_add_tag(d, "supplier"));
    bo_assert_ok(bo_document_add_tag(d, "supplier"));
    bo_assert_ok(bo_document_set_body(d, "Widgets delivered, payable within thirty days"));
    bo_assert_ok(bo_document_set_key(d, "scan-4711"));
    audit_head(&seq0);
    bo_assert_err(bo_document_create(book, d, &id), BO_EINVAL); /* 12.50 is not minor units */
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "amount"));
    audit_head(&seq1);
    ck_assert_int_eq(seq0, seq1);
    bo_assert_ok(bo_document_set_meta(d, "amount", "1250"));
    bo_assert_ok(bo_document_set_meta(d, "due", "2026-03-05"));
    bo_assert_ok(bo_document_create(book, d, &id));
    bo_assert_ok(bo_document_create(book, d, &again));
    ck_assert_int_eq(id, again);
    bo_assert_ok(bo_document_set_meta(d, "due", "2026-03-06"));
    bo_assert_err(bo_document_create(book, d, &again), BO_EKEYREUSE);
    bo_document_free(d);
    bo_assert_err(bo_document_new(&d, "invoice", "", D("2026-01-01")), BO_EINVAL);
    bo_assert_ok(bo_document_new(&d, "nope", "x", D("2026-01-01")));
    bo_assert_err(bo_document_create(book, d, NULL), BO_ENOTFOUND);
    bo_document_free(d);
    int64_t other = new_doc("receipt", "Taxi receipt", "2026-01-15", BO_DOCUMENT_PUBLIC);
    bo_test_chart(book);
    bo_test_post2(book, "2026-01-15", "5000", "1000", 3500); /* entry 1 */
    bo_assert_ok(bo_party_add(book, "PO-7", "Acme", BO_PARTY_VENDOR, NULL));
    bo_assert_ok(bo_document_link(book, id, "party", "PO-7"));
    bo_assert_ok(bo_document_link(book, id, "party", "PO-7"));
    bo_assert_ok(bo_document_link(book, other, "entry", "1"));
    bo_assert_err(bo_document_link(book, id, "spaceship", "1"), BO_EINVAL);
    bo_assert_ok(bo_document_tag(book, other, "travel"));
    bo_assert_ok(bo_document_body(book, other, "Airport ride"));

    bo_cursor *c;
    bo_assert_ok(bo_document_meta(book, id, &c));
    const char *want[][2] = { { "amount", "1250" }, { "due", "2026-03-05" },
                              { "tag", "supplier" } };
    for (int i = 0; i < 3; i++) {
        bo_assert_ok(bo_cursor_next(c));
        ck_assert_str_eq(bo_cursor_text(c, 0), want[i][0]);
        ck_assert_str_eq(bo_cursor_text(c, 1), want[i][1]);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_document_links(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 0), "party");
    ck_assert_str_eq(bo_cursor_text(c, 1), "PO-7");
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_document_linked(book, "party", "PO-7", &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_int_eq(bo_cursor_int(c, 0), id);
    bo_cursor_free(c);
    bo_assert_ok(bo_document_unlink(book, other, "entry", "1"));
    bo_assert_err(bo_document_unlink(book, other, "entry", "1"), BO_ENOTFOUND);
    bo_assert_ok(bo_document_link(book, other, "entry", "1"));

    struct { const char *text, *type, *tag, *from, *to, *kind, *ref; int64_t n; } cases[] = {
        { "widgets", NULL, NULL, NULL, NULL, NULL, NULL, 1 },
        { "WIDGETS thirty", NULL, NULL, NULL, NULL, NULL, NULL, 1 },
        { "widgets airport", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
        { "acme", NULL, NULL, NULL, NULL, NULL, NULL, 1 },      /* title */
        { "2026 03 05", NULL, NULL, NULL, NULL, NULL, NULL, 1 }, /* metadata */
        { "travel", NULL, NULL, NULL, NULL, NULL, NULL, 1 },     /* tag words */
        { "\"') OR 1=1 --", NULL, NULL, NULL, NULL, NULL, NULL, 0 },
        { NULL, "receipt", NULL, NULL, NULL, NULL, NULL, 1 },
        { NULL, NULL, "supplier", NULL, NULL, NULL, NULL, 1 },
        { NULL, NULL, NULL, "2026-02-01", "2026-02-28", NULL, NULL, 1 },
        { NULL, NULL, NULL, "2026-01-01", NULL, NULL, NULL, 2 },
        { NULL, NULL, NULL, NULL, NULL, "entry", "1", 1 },
        { "airport", "receipt", "travel", "2026-01-15", "2026-01-15", "entry", "1", 1 },
        { "airport", "invoice", NULL, NULL, NULL, NULL, NULL, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bo_document_query *q;
        bo_assert_ok(bo_document_query_new(&q));
        bo_assert_ok(bo_document_query_text(q, cases[i].text));
        bo_assert_ok(bo_document_query_type(q, cases[i].type));
        bo_assert_ok(bo_document_query_tag(q, cases[i].tag));
        bo_assert_ok(bo_document_query_dates(q, cases[i].from ? D(cases[i].from) : 0,
                                        cases[i].to ? D(cases[i].to) : 0));
        bo_assert_ok(bo_document_query_link(q, cases[i].kind, cases[i].ref));
        int64_t n;
        bo_assert_ok(bo_document_count(book, q, &n));
        ck_assert_msg(n == cases[i].n, "case %zu: %lld", i, (long long)n);
        bo_assert_ok(bo_document_query_page(q, 1, 0));
        bo_assert_ok(bo_document_search(book, q, &c));
        int rows = 0;
        while (bo_cursor_next(c) == 0)
            rows++;
        bo_cursor_free(c);
        ck_assert_int_eq(rows, cases[i].n ? 1 : 0);
        bo_document_query_free(q);
    }
    bo_document_query *q;
    bo_assert_ok(bo_document_query_new(&q));
    bo_assert_err(bo_document_query_dates(q, D("2026-02-01"), D("2026-01-01")), BO_EINVAL);
    bo_assert_err(bo_document_query_page(q, -1, 0), BO_EINVAL);
    bo_assert_err(bo_document_query_link(q, "bogus", "1"), BO_EINVAL);
    bo_document_query_free(q);
    bo_assert_ok(bo_document_types(book, &c));
    int types = 0, fields_ok = 0;
    while (bo_cursor_next(c) == 0) {
        types++;
        if (!strcmp(bo_cursor_text(c, 0), "invoice"))
            fields_ok = !strcmp(bo_cursor_text(c, 3), "amount:money,due:date");
    }
    bo_cursor_free(c);
    ck_assert_int_eq(types, 7);
    ck_assert(fields_ok);
    bo_assert_ok(bo_document_type_retention(book, "delivery_note", 5));
    bo_assert_err(bo_document_type_retention(book, "delivery_note", 500), BO_EINVAL);
    ck_assert_str_eq(bo_document_class_name(bo_document_class_parse("restricted")), "restricted");
    bo_assert_err(bo_document_class_parse("secret"), BO_EINVAL);
    ck_assert_ptr_null(bo_document_class_name(9));
}
END_TEST

START_TEST(checkout_locks_others)
{
    bo_assert_ok(bo_role_define(book, "dw", "documents.read documents.write"));
    bo_assert_ok(bo_role_grant(book, "wes", "dw"));
    bo_assert_ok(bo_role_grant(book, "val", "dw"));
    int64_t id = new_doc("application_form", "Form", "2026-01-10", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_book_set_actor(book, "wes"));
    bo_assert_ok(bo_document_checkout(book, id));
    bo_assert_ok(bo_document_checkout(book, id));
    bo_assert_ok(bo_document_add_bytes(book, id, "wes v1", 6, NULL, NULL));
    bo_assert_ok(bo_book_set_actor(book, "val"));
    bo_assert_err(bo_document_add_bytes(book, id, "val v2", 6, NULL, NULL), BO_ELOCKED);
    bo_assert_err(bo_document_checkout(book, id), BO_ELOCKED);
    bo_assert_err(bo_document_checkin(book, id), BO_ELOCKED);
    bo_cursor *c;
    bo_assert_ok(bo_document_get(book, id, &c));
    bo_assert_ok(bo_cursor_next(c));
    ck_assert_str_eq(bo_cursor_text(c, 8), "wes");
    ck_assert_int_eq(bo_cursor_int(c, 7), 1);
    bo_cursor_free(c);
    bo_assert_ok(bo_book_set_actor(book, "owner")); /* documents.admin releases */
    bo_assert_ok(bo_document_checkin(book, id));
    bo_assert_err(bo_document_checkin(book, id), BO_ESTATE);
    bo_assert_ok(bo_book_set_actor(book, "val"));
    bo_assert_ok(bo_document_add_bytes(book, id, "val v2", 6, NULL, NULL));
}
END_TEST

START_TEST(inside_host_transaction)
{
    int64_t id = new_doc("other", "tx", "2026-01-10", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_document_add_bytes(book, id, "rolled back", 11, NULL, NULL));
    bo_assert_ok(bo_book_rollback(book));
    bo_cursor *c;
    bo_assert_ok(bo_document_versions(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_document_add_bytes(book, id, "kept", 4, NULL, NULL));
    bo_assert_ok(bo_book_commit(book));
    char buf[8];
    int rc;
    ck_assert_int_eq(read_all(id, 1, buf, sizeof buf, &rc), 4);
    bo_assert_ok(rc);
}
END_TEST

/* A writer opened inside the host's transaction, which the host then ends:
 * the writer refuses to go on and never ends the host's level. */
START_TEST(writer_outlived_by_host_level)
{
    int64_t id = new_doc("other", "tx", "2026-01-10", BO_DOCUMENT_INTERNAL);
    bo_document_writer *w = NULL;
    /* The host rolls back the level the writer wrote into. */
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_document_writer_open(book, id, "a.txt", &w));
    ck_assert_int_eq(bo_book_depth(book), 2);
    bo_assert_ok(bo_document_writer_write(w, "abc", 3));
    bo_assert_ok(bo_book_rollback(book)); /* the writer's level */
    bo_assert_err(bo_document_writer_write(w, "def", 3), BO_ESTATE);
    int64_t v = -1;
    bo_assert_err(bo_document_writer_finish(w, &v), BO_ESTATE);
    ck_assert_int_eq(v, 0);
    bo_document_writer_free(w);
    ck_assert_int_eq(bo_book_depth(book), 1); /* the host's level untouched */
    bo_assert_ok(bo_book_commit(book));
    /* A writer opened outside any transaction holds no level while it
     * streams: the host may begin one meanwhile, and the version is linked
     * in it (and rolled back with it). */
    bo_assert_ok(bo_document_writer_open(book, id, "b.txt", &w));
    ck_assert_int_eq(bo_book_depth(book), 0);
    bo_assert_ok(bo_document_writer_write(w, "def", 3));
    bo_assert_ok(bo_book_begin(book));
    bo_assert_ok(bo_document_writer_finish(w, &v));
    ck_assert_int_eq(v, 1);
    bo_document_writer_free(w);
    ck_assert_int_eq(bo_book_depth(book), 1);
    bo_assert_ok(bo_book_rollback(book));
    ck_assert_int_eq(bo_book_depth(book), 0);
    bo_cursor *c;
    bo_assert_ok(bo_document_versions(book, id, &c));
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER); /* nothing recorded */
    bo_cursor_free(c);
}
END_TEST

/* ---- staged uploads ------------------------------------------------------------ */

static int nblobs;
static int blob_seen(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)f;
    if (flag == FTW_F && strncmp(p + strlen(root), "/tmp/", 5) != 0)
        nblobs++;
    return 0;
}

/* Content-addressed files under the store root (tmp/ left out). */
static int count_blobs(void)
{
    nblobs = 0;
    ck_assert_int_eq(nftw(root, blob_seen, 16, FTW_PHYS), 0);
    return nblobs;
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

static bo_book *second_handle(int busy_ms)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.busy_timeout_ms = busy_ms;
    bo_book *b2;
    bo_assert_ok(bo_book_open(&b2, book->uri, &o));
    return b2;
}

/* An upload holds no lock while its bytes stream: mid-stream, another
 * handle posts a journal entry and commits without waiting (its busy
 * timeout is 200 ms), on both stores; the version is linked at finish. */
static void upload_with_a_writer_between(const char *kind)
{
    bo_test_chart(book);
    if (!strcmp(kind, "files"))
        bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("other", "scan", "2026-02-01", BO_DOCUMENT_INTERNAL);
    bo_document_writer *w;
    bo_assert_ok(bo_document_writer_open(book, id, "scan.bin", &w));
    static unsigned char block[64 * 1024];
    for (int i = 0; i < 16; i++) {
        memset(block, i, sizeof block);
        bo_assert_ok(bo_document_writer_write(w, block, sizeof block));
        if (i == 7) {
            bo_book *other = second_handle(200);
            bo_entry *e;
            int64_t entry = 0;
            bo_assert_ok(bo_entry_new(&e, D("2026-02-01"), "while the upload streams"));
            bo_assert_ok(bo_entry_set_key(e, "mid-upload"));
            bo_assert_ok(bo_entry_add(e, "1000", 700, NULL, NULL));
            bo_assert_ok(bo_entry_add(e, "4000", -700, NULL, NULL));
            bo_assert_ok(bo_ledger_post(other, e, &entry));
            ck_assert_int_gt(entry, 0);
            bo_entry_free(e);
            bo_book_free(other);
        }
    }
    int64_t v = 0;
    bo_assert_ok(bo_document_writer_finish(w, &v));
    bo_document_writer_free(w);
    ck_assert_int_eq(v, 1);
    int64_t bal = 0;
    bo_assert_ok(bo_ledger_balance(book, "1000", D("2026-12-31"), NULL, &bal));
    ck_assert_int_eq(bal, 700);
    static char back[16 * 64 * 1024 + 1];
    int rc;
    ck_assert_int_eq(read_all(id, 1, back, sizeof back, &rc), 16 * 64 * 1024);
    bo_assert_ok(rc);
    ck_assert_int_eq((unsigned char)back[8 * 64 * 1024], 8);
    int64_t n;
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 1);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}

START_TEST(upload_streams_while_others_commit)
{
    upload_with_a_writer_between("database");
}
END_TEST

START_TEST(upload_streams_while_others_commit_files)
{
    upload_with_a_writer_between("files");
}
END_TEST

/* A crash in the middle of staging (the process ends, the writer never
 * finishes) loses nothing committed and links nothing; a link refused after
 * the blob reached its content address (the store changed meanwhile) leaves
 * that blob unreferenced, and the next ingest of the same content reuses it. */
START_TEST(staging_interrupted_loses_nothing)
{
    bo_assert_ok(bo_document_set_store(book, "files", root));
    int64_t id = new_doc("other", "lease", "2026-02-01", BO_DOCUMENT_INTERNAL);
    bo_assert_ok(bo_document_add_bytes(book, id, "first version", 13, "v1.txt", NULL));
    ck_assert_int_eq(count_blobs(), 1);

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        bo_book_options o = BO_BOOK_OPTIONS_INIT;
        o.actor = "owner";
        bo_book *b2;
        bo_document_writer *w;
        if (bo_book_open(&b2, book->uri, &o) || bo_document_writer_open(b2, id, "v2.txt", &w) ||
            bo_document_writer_write(w, "half of the second", 18))
            _exit(2);
        _exit(0); /* the crash: no finish, no free, no close */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_int_eq(versions_of(id), 1);
    ck_assert_int_eq(count_blobs(), 1);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/tmp", root);
    ck_assert_int_eq(count_files(tmp), 1); /* the half, never referenced */
    char buf[32];
    int rc;
    ck_assert_int_eq(read_all(id, 1, buf, sizeof buf, &rc), 13);
    bo_assert_ok(rc);
    ck_assert(!memcmp(buf, "first version", 13));
    int64_t n;
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 1);

    /* The link fails after the blob is in place: nothing is linked. */
    int64_t seq0, seq1;
    audit_head(&seq0);
    bo_document_writer *w;
    bo_assert_ok(bo_document_writer_open(book, id, "v2.txt", &w));
    bo_assert_ok(bo_document_writer_write(w, "the second version", 18));
    bo_book *other = second_handle(200);
    bo_assert_ok(bo_document_set_store(other, "database", NULL));
    int64_t v = -1;
    bo_assert_err(bo_document_writer_finish(w, &v), BO_ESTATE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "store changed"));
    ck_assert_int_eq(v, 0);
    bo_document_writer_free(w);
    ck_assert_int_eq(versions_of(id), 1);
    ck_assert_int_eq(count_blobs(), 2); /* complete, unreferenced */
    bo_assert_ok(bo_document_set_store(other, "files", root));
    bo_book_free(other);
    audit_head(&seq1);
    ck_assert_int_eq(seq1, seq0 + 2); /* the two store changes only */
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 1);

    /* The same content again: the blob is reused, and the version links. */
    bo_assert_ok(bo_document_add_bytes(book, id, "the second version", 18, "v2.txt", &v));
    ck_assert_int_eq(v, 2);
    ck_assert_int_eq(count_blobs(), 2);
    ck_assert_int_eq(read_all(id, 2, buf, sizeof buf, &rc), 18);
    bo_assert_ok(rc);
    ck_assert(!memcmp(buf, "the second version", 18));
    bo_assert_ok(bo_document_verify(book, &n));
    ck_assert_int_eq(n, 2);
    bo_assert_ok(bo_audit_verify_full(book, NULL, NULL));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("documents");
    TCase *t = tcase_create("documents");
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, store_names_refused);
    tcase_add_test(t, hostile_titles_make_hash_names);
    tcase_add_test(t, planted_symlinks_rejected);
    tcase_add_test(t, corrupt_byte_named);
    tcase_add_test(t, wrong_key_is_ekey);
    tcase_add_test(t, versions_dedupe_streaming);
    tcase_add_test(t, retention_and_holds);
    tcase_add_test(t, access_matrix);
    tcase_add_test(t, records_and_search);
    tcase_add_test(t, checkout_locks_others);
    tcase_add_test(t, inside_host_transaction);
    tcase_add_test(t, writer_outlived_by_host_level);
    suite_add_tcase(s, t);
    t = tcase_create("documents_reopen");
    tcase_set_tags(t, BO_TEST_TAG_REOPEN);
    tcase_set_timeout(t, 120);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, corrupt_byte_in_database);
    tcase_add_test(t, upload_streams_while_others_commit);
    tcase_add_test(t, upload_streams_while_others_commit_files);
    tcase_add_test(t, staging_interrupted_loses_nothing);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
