/*
 * Postings per second with 1, 4 and 8 concurrent clients on any backend.
 *
 *   bench_clients --uri URI [--clients 1,4,8] [--entries N] [--repeat R]
 *
 * Each client is a process with its own book handle, posting N two-line
 * entries with idempotency keys, one commit each, to a shared chart. The
 * book is created fresh for each client count (URI must name an empty
 * store; for SQLite a file path, removed first). Prints one line per
 * client count: total entries, seconds, entries/s (median of R runs).
 */
#define _POSIX_C_SOURCE 200809L
#include <backoffice.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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
    fprintf(stderr, "bench_clients: %s: %s: %s\n", what, bo_error_name(rc),
            bo_error_message());
    exit(1);
}

static bo_book *open_book(const char *uri, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "bench";
    o.create = create;
    o.sync = BO_SYNC_NORMAL;
    o.busy_timeout_ms = 60000;
    bo_book *b;
    int rc = bo_book_open(&b, uri, &o);
    if (rc)
        die("open", rc);
    return b;
}

static void client(const char *uri, int id, int entries)
{
    bo_book *b = open_book(uri, 0);
    for (int i = 0; i < entries; i++) {
        bo_entry *e;
        char key[64], acc[8];
        snprintf(key, sizeof key, "c%d-%d", id, i);
        snprintf(acc, sizeof acc, "4%03d", i % 10);
        int rc = bo_entry_new(&e, 20454 + i % 300, "bench");
        if (!rc) rc = bo_entry_set_key(e, key);
        if (!rc) rc = bo_entry_add(e, "1000", 100 + i, NULL, NULL);
        if (!rc) rc = bo_entry_add(e, acc, -(100 + i), NULL, NULL);
        if (!rc) rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        if (rc)
            die("post", rc);
    }
    bo_book_free(b);
    exit(0);
}

static double run(const char *base, int clients, int entries)
{
    /* A fresh store each run: a new file, or a new PostgreSQL schema. */
    static int serial;
    char uri[4200];
    if (strncmp(base, "postgresql:", 11) == 0)
        snprintf(uri, sizeof uri, "%s?options=-csearch_path%%3Dbench_%ld_%d", base,
                 (long)getpid(), serial++);
    else
        snprintf(uri, sizeof uri, "%s", base);
    if (strncmp(uri, "sqlite:", 7) == 0) {
        char side[4200];
        unlink(uri + 7);
        snprintf(side, sizeof side, "%s-wal", uri + 7);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", uri + 7);
        unlink(side);
    }
    bo_book *b = open_book(uri, 1);
    int rc = bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL);
    for (int i = 0; !rc && i < 10; i++) {
        char code[8];
        snprintf(code, sizeof code, "4%03d", i);
        rc = bo_ledger_account_add(b, code, "Sales", BO_ACCOUNT_INCOME, NULL, NULL);
    }
    if (rc)
        die("chart", rc);
    bo_book_free(b);
    fflush(stdout); /* or every child prints what is buffered */
    double t0 = now();
    for (int c = 0; c < clients; c++)
        if (fork() == 0)
            client(uri, c, entries);
    int failed = 0, status;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    double dt = now() - t0;
    if (failed) {
        fprintf(stderr, "bench_clients: a client failed\n");
        exit(1);
    }
    return dt;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *uri = NULL, *list = "1,4,8";
    int entries = 500, repeat = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--uri")) uri = argv[i + 1];
        else if (!strcmp(argv[i], "--clients")) list = argv[i + 1];
        else if (!strcmp(argv[i], "--entries")) entries = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--repeat")) repeat = atoi(argv[i + 1]);
    }
    if (!uri || entries <= 0 || repeat <= 0 || repeat > 15) {
        fprintf(stderr, "usage: bench_clients --uri URI [--clients 1,4,8] "
                "[--entries N] [--repeat R]\n");
        return 2;
    }
    printf("  backend     clients  entries  seconds  entries/s (median of %d runs, "
           "one commit per entry)\n", repeat);
    char *copy = strdup(list);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        int clients = atoi(tok);
        double t[15];
        for (int r = 0; r < repeat; r++)
            t[r] = run(uri, clients, entries);
        qsort(t, (size_t)repeat, sizeof *t, cmp);
        double med = t[repeat / 2];
        char scheme[16];
        snprintf(scheme, sizeof scheme, "%.*s", (int)strcspn(uri, ":"), uri);
        printf("  %-11s %7d %8d %8.2f %10.0f\n", scheme, clients,
               clients * entries, med, clients * entries / med);
        fflush(stdout);
    }
    free(copy);
    return 0;
}
