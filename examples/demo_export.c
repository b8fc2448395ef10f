/*
 * The demo's last chapter: the whole book moved out and back in. The book
 * is exported to the lossless format, imported into a new store, and the
 * new book exported again: the two files are the same bytes and the audit
 * chains end at the same head.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "demo_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long file_bytes(const char *path, char **out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = buf;
    return n;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "demo: %s: %s: %s\n", what, bo_error_name(rc), bo_error_message());
    return 1;
}

int demo_export(demo_ctx *ctx)
{
    char a[4200], b[4200], db[4200], uri[4300];
    snprintf(a, sizeof a, "%s/shop-export.zip", ctx->dir);
    snprintf(b, sizeof b, "%s/shop-export-again.zip", ctx->dir);
    snprintf(db, sizeof db, "%s/shop-imported.db", ctx->dir);
    snprintf(uri, sizeof uri, "sqlite:%s", db);
    unlink(a);
    unlink(b);
    unlink(db);
    printf("\n== Moving out and back in ==\n");
    int rc = bo_book_export(ctx->book, a, NULL);
    if (rc)
        return fail("export", rc);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = bo_book_actor(ctx->book);
    if ((rc = bo_book_import(uri, a, &o, NULL)))
        return fail("import", rc);
    bo_book *copy = NULL;
    if ((rc = bo_book_open(&copy, uri, &o)))
        return fail("open the imported book", rc);
    rc = bo_book_export(copy, b, NULL);
    int64_t s1 = 0, s2 = 0;
    char h1[BO_HASH_HEX_SIZE] = "", h2[BO_HASH_HEX_SIZE] = "";
    if (!rc && !(rc = bo_audit_head(ctx->book, &s1, h1, sizeof h1)))
        rc = bo_audit_head(copy, &s2, h2, sizeof h2);
    bo_book_free(copy);
    if (rc)
        return fail("export the imported book", rc);
    char *x = NULL, *y = NULL;
    long nx = file_bytes(a, &x), ny = file_bytes(b, &y);
    int same = nx >= 0 && nx == ny && memcmp(x, y, (size_t)nx) == 0;
    free(x);
    free(y);
    printf("Exported %ld bytes, imported into a new store, exported again: %s.\n"
           "Audit heads: %lld %.16s... and %lld %.16s...\n", nx,
           same ? "byte-identical" : "DIFFERENT", (long long)s1, h1,
           (long long)s2, h2);
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char f[4300];
        snprintf(f, sizeof f, "%s%s", db, suffix[i]);
        unlink(f);
    }
    unlink(a);
    unlink(b);
    if (!same || s1 != s2 || strcmp(h1, h2) != 0) {
        fprintf(stderr, "demo: the round trip changed the book\n");
        return 1;
    }
    return 0;
}
