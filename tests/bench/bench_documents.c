/*
 * bench_documents: figures for the documents domain (not a test).
 *
 *   bench_documents [--quick] [--files N] [--file-mb M] [--big-mb M]
 *                   [--queries Q] [--docs N1,N2]
 *
 * 1. Ingest: N files of M MiB (generated) stored through bo_document_add_file
 *    into the file store, in MB/s, next to `sha256sum` over the same files
 *    in the same run (both read the files from the page cache), alternating,
 *    each ingest into a new book and store; medians of --repeat runs (3).
 *    Prints `ROW documents.ingest ours=<MB/s> plain=<sha256sum MB/s> ...`;
 *    --ingest-only stops there.
 * 2. Search latency: the median of Q full-text queries (one word plus a
 *    type filter) over books of N1 and N2 documents.
 * 3. Peak memory (VmHWM) while one file of --big-mb MiB (default 1024) is
 *    written through a bo_document_writer in 1 MiB pieces generated on the fly,
 *    and read back through a reader.
 * --quick: 4 files of 4 MiB, 1000 and 10000 documents, a 64 MiB file.
 */
#define _POSIX_C_SOURCE 200809L
#include <backoffice.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_documents: %s: %s (%s)\n", what, bo_error_name(rc),
            bo_error_message());
    exit(1);
}

#define CHECK(what, call) do { int rc_ = (call); if (rc_ < 0) die(what, rc_); } while (0)

/* VmHWM of this process, in KiB. */
static long vm_hwm_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

static uint64_t rng = 88172645463325252ull;
static void fill(unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        memcpy(p + i, &rng, n - i < 8 ? n - i : 8);
    }
}

static bo_book *open_book(const char *path)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "bench";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    CHECK("open", bo_book_open(&b, path, &o));
    return b;
}

static int64_t new_doc(bo_book *b, const char *type, const char *title, bo_date date,
                       const char *body)
{
    bo_document *d = NULL;
    int64_t id = 0;
    CHECK("doc_new", bo_document_new(&d, type, title, date));
    if (body)
        CHECK("doc_set_body", bo_document_set_body(d, body));
    CHECK("doc_create", bo_document_create(b, d, &id));
    bo_document_free(d);
    return id;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *const WORDS[] = {
    "invoice", "widget", "contract", "lease", "supplier", "acme", "blue", "green", "steel",
    "paper", "scan", "receipt", "freight", "tax", "bolt", "screw", "order", "delivery",
    "copper", "timber", "glass", "cable", "motor", "pump", "valve", "filter", "sensor",
    "panel", "frame", "wheel", "spring", "gear"};
#define NWORDS (sizeof WORDS / sizeof *WORDS)

/* Median milliseconds of q searches over a book of n documents. */
static void search_bench(const char *dir, long n, int q, double *create_s, double *median_ms,
                         double *count_ms)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/search-%ld.db", dir, n);
    bo_book *b = open_book(path);
    static const char *const types[] = {"invoice", "receipt", "contract", "other"};
    double t0 = now();
    CHECK("begin", bo_book_begin(b));
    for (long i = 0; i < n; i++) {
        char title[128], body[256];
        snprintf(title, sizeof title, "%s %s %ld", WORDS[i % NWORDS],
                 WORDS[(i / NWORDS) % NWORDS], i);
        snprintf(body, sizeof body, "%s %s %s total %ld", WORDS[(i * 7) % NWORDS],
                 WORDS[(i * 13) % NWORDS], WORDS[(i * 29) % NWORDS], i * 37 % 100000);
        new_doc(b, types[i % 4], title, (bo_date)(19000 + i % 2000), body);
        if (i % 5000 == 4999) {
            CHECK("commit", bo_book_commit(b));
            CHECK("begin", bo_book_begin(b));
        }
    }
    CHECK("commit", bo_book_commit(b));
    *create_s = now() - t0;
    double *t = malloc(sizeof *t * (size_t)q), *tc = malloc(sizeof *tc * (size_t)q);
    for (int i = 0; i < q; i++) {
        bo_document_query *query;
        bo_cursor *c = NULL;
        int64_t count;
        char words[64];
        snprintf(words, sizeof words, "%s %s", WORDS[(i * 5) % NWORDS],
                 WORDS[(i * 11 + 3) % NWORDS]);
        CHECK("query", bo_document_query_new(&query));
        CHECK("query", bo_document_query_text(query, words));
        CHECK("query", bo_document_query_type(query, types[i % 4]));
        CHECK("query", bo_document_query_page(query, 20, 0));
        double s = now();
        CHECK("search", bo_document_search(b, query, &c));
        while (bo_cursor_next(c) == 0)
            ;
        t[i] = (now() - s) * 1000;
        bo_cursor_free(c);
        s = now();
        CHECK("count", bo_document_count(b, query, &count));
        tc[i] = (now() - s) * 1000;
        bo_document_query_free(query);
    }
    qsort(t, (size_t)q, sizeof *t, cmp_double);
    qsort(tc, (size_t)q, sizeof *tc, cmp_double);
    *median_ms = t[q / 2];
    *count_ms = tc[q / 2];
    free(t);
    free(tc);
    bo_book_free(b);
}

int main(int argc, char **argv)
{
    long files = 16, file_mb = 16, big_mb = 1024, docs[2] = {10000, 100000};
    int queries = 101, repeat = 3, ingest_only = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            files = 4, file_mb = 4, big_mb = 64, docs[0] = 1000, docs[1] = 10000, queries = 51;
        } else if (i + 1 < argc && !strcmp(argv[i], "--files")) {
            files = atol(argv[++i]);
        } else if (i + 1 < argc && !strcmp(argv[i], "--file-mb")) {
            file_mb = atol(argv[++i]);
        } else if (i + 1 < argc && !strcmp(argv[i], "--big-mb")) {
            big_mb = atol(argv[++i]);
        } else if (i + 1 < argc && !strcmp(argv[i], "--repeat")) {
            repeat = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--ingest-only")) {
            ingest_only = 1;
        } else if (i + 1 < argc && !strcmp(argv[i], "--queries")) {
            queries = atoi(argv[++i]);
        } else if (i + 1 < argc && !strcmp(argv[i], "--docs")) {
            if (sscanf(argv[++i], "%ld,%ld", &docs[0], &docs[1]) != 2)
                return fprintf(stderr, "--docs N1,N2\n"), 2;
        } else {
            fprintf(stderr, "usage: bench_documents [--quick] [--files N] [--file-mb M] "
                            "[--big-mb M] [--queries Q] [--docs N1,N2] [--repeat R] "
                            "[--ingest-only]\n");
            return 2;
        }
    }
    if (files < 1 || file_mb < 1 || big_mb < 1 || queries < 1 || docs[0] < 1 || docs[1] < 1 ||
        repeat < 1 || repeat > 15)
        return fprintf(stderr, "bench_documents: sizes must be positive\n"), 2;

    char dir[] = "/tmp/bench-documents-XXXXXX";
    const char *tmp = getenv("TMPDIR");
    char dirbuf[1024];
    if (tmp && *tmp) {
        snprintf(dirbuf, sizeof dirbuf, "%s/bench-documents-XXXXXX", tmp);
        if (!mkdtemp(dirbuf))
            return perror("mkdtemp"), 1;
    } else {
        if (!mkdtemp(dir))
            return perror("mkdtemp"), 1;
        snprintf(dirbuf, sizeof dirbuf, "%s", dir);
    }
    char path[1200], store[1200], cmd[8192], cmd2[3000];
    size_t piece = 1 << 20;
    unsigned char *buf = malloc(piece);
    long hwm_start = vm_hwm_kib();

    /* ---- 1. ingest vs sha256sum ---- */
    size_t used = (size_t)snprintf(cmd, sizeof cmd, "sha256sum");
    for (long f = 0; f < files; f++) {
        snprintf(path, sizeof path, "%s/in-%ld.bin", dirbuf, f);
        FILE *fp = fopen(path, "wb");
        for (long m = 0; m < file_mb; m++) {
            fill(buf, piece);
            fwrite(buf, 1, piece, fp);
        }
        fclose(fp);
        if (used + strlen(path) + 32 < sizeof cmd)
            used += (size_t)snprintf(cmd + used, sizeof cmd - used, " '%s'", path);
    }
    snprintf(cmd + used, sizeof cmd - used, " > /dev/null");
    /* Warm the page cache for both. */
    if (system(cmd) != 0)
        fprintf(stderr, "bench_documents: sha256sum failed\n");
    /* sha256sum and the ingest alternate, each into a new book and store;
     * medians of the repetitions. */
    double sha_t[16], ing_t[16], s;
    bo_book *b = NULL;
    for (int r = 0; r < repeat; r++) {
        s = now();
        if (system(cmd) != 0)
            fprintf(stderr, "bench_documents: sha256sum failed\n");
        sha_t[r] = now() - s;
        snprintf(path, sizeof path, "%s/ingest-%d.db", dirbuf, r);
        snprintf(store, sizeof store, "%s/store-%d", dirbuf, r);
        mkdir(store, 0700);
        b = open_book(path);
        CHECK("set_store", bo_document_set_store(b, "files", store));
        s = now();
        for (long f = 0; f < files; f++) {
            int64_t id = new_doc(b, "invoice", "scan", 20000, NULL);
            snprintf(path, sizeof path, "%s/in-%ld.bin", dirbuf, f);
            CHECK("add_file", bo_document_add_file(b, id, path, NULL));
        }
        ing_t[r] = now() - s;
        if (r + 1 < repeat) {
            bo_book_free(b);
            snprintf(cmd2, sizeof cmd2, "rm -rf '%s' '%s/ingest-%d.db'", store, dirbuf, r);
            if (system(cmd2) != 0)
                fprintf(stderr, "bench_documents: could not remove %s\n", store);
        }
    }
    qsort(sha_t, (size_t)repeat, sizeof *sha_t, cmp_double);
    qsort(ing_t, (size_t)repeat, sizeof *ing_t, cmp_double);
    double sha_s = sha_t[repeat / 2], ingest_s = ing_t[repeat / 2];
    double mb = (double)files * (double)file_mb * 1048576.0 / 1e6;
    if (ingest_only) {
        bo_book_free(b);
        printf("ingest %ld files x %ld MiB (bo_document_add_file, files store), median of %d: "
               "%.0f MB/s; sha256sum over the same files: %.0f MB/s; ingest / sha256sum %.2f\n",
               files, file_mb, repeat, mb / ingest_s, mb / sha_s, sha_s / ingest_s);
        printf("ROW documents.ingest ours=%.0f plain=%.0f ratio=%.2f unit=MB/s\n", mb / ingest_s,
               mb / sha_s, sha_s / ingest_s);
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dirbuf);
        return system(cmd) == 0 ? 0 : 1;
    }
    /* The same content encrypted (confidential). */
    unsigned char key[BO_DOCUMENT_ENCRYPTION_KEY_BYTES] = {1, 2, 3};
    CHECK("set_key", bo_document_set_encryption_key(b, key, sizeof key));
    s = now();
    for (long f = 0; f < files; f++) {
        bo_document *d;
        int64_t id;
        CHECK("doc_new", bo_document_new(&d, "contract", "secret", 20000));
        CHECK("class", bo_document_set_class(d, BO_DOCUMENT_CONFIDENTIAL));
        CHECK("create", bo_document_create(b, d, &id));
        bo_document_free(d);
        snprintf(path, sizeof path, "%s/in-%ld.bin", dirbuf, f);
        CHECK("add_file", bo_document_add_file(b, id, path, NULL));
    }
    double enc_s = now() - s;
    s = now();
    int64_t checked = 0;
    CHECK("verify", bo_document_verify(b, &checked));
    double verify_s = now() - s;
    bo_book_free(b);

    /* ---- 2. search latency ---- */
    double create_s[2], median_ms[2], count_ms[2];
    for (int k = 0; k < 2; k++)
        search_bench(dirbuf, docs[k], queries, &create_s[k], &median_ms[k], &count_ms[k]);

    /* ---- 3. peak memory while storing one big file through a writer ---- */
    snprintf(path, sizeof path, "%s/big.db", dirbuf);
    b = open_book(path);
    CHECK("set_store", bo_document_set_store(b, "files", store));
    /* The big file may pass the default limit of a version (256 MiB). */
    int64_t limit = 0;
    CHECK("version_limit", bo_document_version_limit(b, &limit));
    if (limit < (int64_t)big_mb * (int64_t)piece)
        CHECK("set_version_limit", bo_document_set_version_limit(b, (int64_t)big_mb * (int64_t)piece));
    int64_t id = new_doc(b, "other", "big", 20000, NULL);
    long hwm_before = vm_hwm_kib();
    bo_document_writer *w;
    s = now();
    CHECK("writer", bo_document_writer_open(b, id, "big.bin", &w));
    for (long m = 0; m < big_mb; m++) {
        fill(buf, piece);
        CHECK("write", bo_document_writer_write(w, buf, piece));
    }
    CHECK("finish", bo_document_writer_finish(w, NULL));
    bo_document_writer_free(w);
    double big_s = now() - s;
    long hwm_write = vm_hwm_kib();
    bo_document_reader *r;
    size_t got, total = 0;
    s = now();
    CHECK("reader", bo_document_reader_open(b, id, 0, &r));
    do {
        CHECK("read", bo_document_reader_read(r, buf, piece, &got));
        total += got;
    } while (got);
    bo_document_reader_free(r);
    double read_s = now() - s;
    long hwm_read = vm_hwm_kib();
    bo_book_free(b);
    if (total != (size_t)big_mb * piece)
        return fprintf(stderr, "bench_documents: read back %zu bytes\n", total), 1;

    printf("bench_documents (files store, SQLite book, sync off)\n\n");
    printf("| measure | figure |\n|---|---|\n");
    printf("| ingest %ld files x %ld MiB (bo_document_add_file), median of %d | %.0f MB/s |\n",
           files, file_mb, repeat, mb / ingest_s);
    printf("| ingest, confidential (encrypted) | %.0f MB/s |\n", mb / enc_s);
    printf("| sha256sum over the same files, same run, median of %d | %.0f MB/s |\n", repeat,
           mb / sha_s);
    printf("| ingest / sha256sum | %.2f |\n", sha_s / ingest_s);
    printf("| integrity check (%lld versions, %.0f MB) | %.0f MB/s |\n", (long long)checked,
           2 * mb, 2 * mb / verify_s);
    for (int k = 0; k < 2; k++) {
        printf("| %ld documents: create (with text) | %.0f docs/s |\n", docs[k],
               (double)docs[k] / create_s[k]);
        printf("| %ld documents: search, median of %d (2 words + type, 20 rows) | %.3f ms |\n",
               docs[k], queries, median_ms[k]);
        printf("| %ld documents: count, median of %d | %.3f ms |\n", docs[k], queries,
               count_ms[k]);
    }
    printf("| %ld MiB through the writer | %.0f MB/s |\n", big_mb,
           (double)big_mb * 1.048576 / big_s);
    printf("| %ld MiB through the reader (SHA-256 checked) | %.0f MB/s |\n", big_mb,
           (double)big_mb * 1.048576 / read_s);
    printf("| VmHWM: start / before the big file / after writing / after reading | "
           "%ld / %ld / %ld / %ld KiB |\n", hwm_start, hwm_before, hwm_write, hwm_read);
    printf("| peak memory growth while storing %ld MiB | %ld KiB |\n", big_mb,
           hwm_write - hwm_before);
    printf("ROW documents.ingest ours=%.0f plain=%.0f ratio=%.2f unit=MB/s\n", mb / ingest_s,
           mb / sha_s, sha_s / ingest_s);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dirbuf);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_documents: could not remove %s\n", dirbuf);
    free(buf);
    return 0;
}
