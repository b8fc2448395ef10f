/*
 * Postings per second with 1, 4 and 8 concurrent clients on any backend.
 *
 *   bench_clients --uri URI [--clients 1,4,8] [--entries N] [--repeat R]
 *   bench_clients --uri postgresql:... --sqlite sqlite:PATH --batched N [--repeat R]
 *
 * Each client is a process with its own book handle, posting N two-line
 * entries with idempotency keys, one commit each, to a shared chart. The
 * book is created fresh for each client count (URI must name an empty
 * store; for SQLite a file path, removed first). Prints one line per
 * client count: total entries, seconds, entries/s (median of R runs).
 *
 * On PostgreSQL the same run also measures a plain libpq program doing the
 * same writes with the same number of client processes: per entry one
 * transaction (READ COMMITTED, the server's default) that inserts the entry
 * with its idempotency key (ON CONFLICT DO NOTHING RETURNING id), its two
 * postings in one statement, and upserts the day total of each of its two
 * accounts in rows of its own (account, currency, writer, day): per-writer
 * totals, so plain writers never wait for each other's balance rows. Each
 * statement is prepared once and is one round trip, as ours are. A line
 *   ROW pg.clients.<n> ours=<rate> plain=<rate> ratio=<ours/plain> unit=entries/s
 * follows each client count (SQLite: sqlite.procs.<n>, where plain is one
 * process's rate, so the ratio is the scaling).
 *
 * With --batched, one client posts N keyed entries in transactions of
 * 1,000 (sync off), on PostgreSQL and on SQLite in turn, each transaction's
 * entries in one bo_ledger_post_many() call: the line
 *   ROW pg.batched ours=<postgresql> plain=<sqlite> ratio=... unit=entries/s
 * The same entries posted one bo_ledger_post() call each inside
 * bo_book_begin/commit (the figure before the bulk path) are printed
 * beside it.
 *
 *   bench_clients --uri postgresql:... --sqlite sqlite:PATH --batched N --batches B
 *                 [--pg-pid PID] [--repeat R]
 *
 * With --batches, one book gets B batches of N entries of the batched
 * journal, one bo_ledger_post_many call each (its own transaction, sync
 * off): the first makes the book's day rows (300 dates), every later one
 * back-dates into them (each of its days an update of a row, each later day
 * a shift). The rate of batches 2..B, PostgreSQL against SQLite:
 *   ROW pg.batched.later ours=<postgresql> plain=<sqlite> ratio=... unit=entries/s
 * With --pg-pid (the server's postmaster, on this machine) the CPU its
 * backends used per later batch is printed beside it.
 */
#define _POSIX_C_SOURCE 200809L
#include <backoffice.h>
#include <dirent.h>
#include <libpq-fe.h>

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

/* ---- plain PostgreSQL doing the same writes ---- */

/* A libpq connection string for @p base with search_path @p schema. */
static void plain_conninfo(const char *base, const char *schema, char *out, size_t cap)
{
    if (strncmp(base, "postgresql://", 13) == 0)
        snprintf(out, cap, "%s%coptions=-csearch_path%%3D%s", base,
                 strchr(base, '?') ? '&' : '?', schema);
    else /* "postgresql:" alone (the PG* environment) or "postgresql:k=v ..." */
        snprintf(out, cap, "options='-csearch_path=%s' %s", schema, base + 11);
}

static PGconn *plain_connect(const char *conninfo)
{
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "bench_clients: plain: %s", PQerrorMessage(c));
        exit(1);
    }
    return c;
}

static void plain_ok(PGconn *c, PGresult *r, const char *what)
{
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_clients: plain: %s: %s", what, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
}

static const char PLAIN_SCHEMA[] =
    "CREATE TABLE accounts (id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE);"
    "CREATE TABLE entries (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    " date TEXT NOT NULL, memo TEXT, idem_key TEXT UNIQUE, actor TEXT,"
    " digest TEXT NOT NULL);"
    "CREATE TABLE postings (entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " line INTEGER NOT NULL, account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " amount BIGINT NOT NULL, currency TEXT NOT NULL, date TEXT NOT NULL,"
    " PRIMARY KEY (entry_id, line));"
    "CREATE INDEX postings_by_account ON postings (account_id, date);"
    "CREATE TABLE day_totals (account_id BIGINT NOT NULL, currency TEXT NOT NULL,"
    " writer INTEGER NOT NULL, date TEXT NOT NULL, delta BIGINT NOT NULL,"
    " total BIGINT NOT NULL, PRIMARY KEY (account_id, currency, writer, date));"
    "INSERT INTO accounts SELECT 1, '1000';"
    "INSERT INTO accounts SELECT 1 + i, '4' || lpad((i - 1)::text, 3, '0')"
    " FROM generate_series(1, 10) i";

static void plain_client(const char *conninfo, int id, int entries)
{
    PGconn *c = plain_connect(conninfo);
    plain_ok(c, PQexec(c, "SET synchronous_commit = on"), "settings");
    plain_ok(c, PQprepare(c, "entry", "INSERT INTO entries (date, memo, idem_key,"
                          " actor, digest) VALUES ($1, 'bench', $2, 'bench', $3)"
                          " ON CONFLICT (idem_key) DO NOTHING RETURNING id", 0, NULL),
             "prepare");
    plain_ok(c, PQprepare(c, "postings", "INSERT INTO postings (entry_id, line,"
                          " account_id, amount, currency, date) VALUES"
                          " ($1, 1, 1, $2, 'EUR', $4), ($1, 2, $3, -$2::bigint, 'EUR', $4)",
                          0, NULL), "prepare");
    plain_ok(c, PQprepare(c, "day", "INSERT INTO day_totals AS d (account_id,"
                          " currency, writer, date, delta, total) VALUES"
                          " ($1, 'EUR', $2, $3, $4, $4) ON CONFLICT (account_id,"
                          " currency, writer, date) DO UPDATE SET delta = d.delta"
                          " + excluded.delta, total = d.total + excluded.delta",
                          0, NULL), "prepare");
    for (int i = 0; i < entries; i++) {
        char key[64], date[16], amt[24], neg[24], acc[16], writer[16], digest[72];
        snprintf(key, sizeof key, "c%d-%d", id, i);
        bo_date_format(20454 + i % 300, date, sizeof date);
        snprintf(amt, sizeof amt, "%d", 100 + i);
        snprintf(neg, sizeof neg, "%d", -(100 + i));
        snprintf(acc, sizeof acc, "%d", 2 + i % 10);
        snprintf(writer, sizeof writer, "%d", id);
        snprintf(digest, sizeof digest, "%064d", i);
        plain_ok(c, PQexec(c, "BEGIN"), "begin");
        const char *pe[] = { date, key, digest };
        PGresult *r = PQexecPrepared(c, "entry", 3, pe, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
            plain_ok(c, r, "entry");
        char eid[24];
        snprintf(eid, sizeof eid, "%s", PQgetvalue(r, 0, 0));
        PQclear(r);
        const char *pp[] = { eid, amt, acc, date };
        plain_ok(c, PQexecPrepared(c, "postings", 4, pp, NULL, NULL, 0), "postings");
        const char *d1[] = { "1", writer, date, amt };
        plain_ok(c, PQexecPrepared(c, "day", 4, d1, NULL, NULL, 0), "day");
        const char *d2[] = { acc, writer, date, neg };
        plain_ok(c, PQexecPrepared(c, "day", 4, d2, NULL, NULL, 0), "day");
        plain_ok(c, PQexec(c, "COMMIT"), "commit");
    }
    PQfinish(c);
    exit(0);
}

static double run_plain(const char *base, int clients, int entries)
{
    static int serial;
    char schema[64], conninfo[4200];
    snprintf(schema, sizeof schema, "plain_%ld_%d", (long)getpid(), serial++);
    plain_conninfo(base, schema, conninfo, sizeof conninfo);
    PGconn *c = plain_connect(conninfo);
    char sql[128];
    snprintf(sql, sizeof sql, "SET client_min_messages = warning; CREATE SCHEMA %s", schema);
    plain_ok(c, PQexec(c, sql), "schema");
    plain_ok(c, PQexec(c, PLAIN_SCHEMA), "tables");
    PQfinish(c);
    fflush(stdout);
    double t0 = now();
    for (int i = 0; i < clients; i++)
        if (fork() == 0)
            plain_client(conninfo, i, entries);
    int failed = 0, status;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    double dt = now() - t0;
    if (failed) {
        fprintf(stderr, "bench_clients: a plain client failed\n");
        exit(1);
    }
    return dt;
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

/* Entry i of the batched journal (300 dates, 11 accounts, keyed). */
static bo_entry *batched_entry(int i)
{
    bo_entry *e;
    char key[64], acc[8];
    snprintf(key, sizeof key, "b-%d", i);
    snprintf(acc, sizeof acc, "4%03d", i % 10);
    int rc = bo_entry_new(&e, 20454 + i % 300, "bench");
    if (!rc) rc = bo_entry_set_key(e, key);
    if (!rc) rc = bo_entry_add(e, "1000", 100 + i, NULL, NULL);
    if (!rc) rc = bo_entry_add(e, acc, -(100 + i), NULL, NULL);
    if (rc)
        die("entry", rc);
    return e;
}

/* A fresh book for one client's batches (sync off), on PostgreSQL in a
 * schema of its own (prefix_pid_n), with the batched journal's chart. */
static bo_book *batch_book(const char *base, const char *prefix)
{
    static int serial;
    char uri[4200];
    if (strncmp(base, "postgresql:", 11) == 0) {
        snprintf(uri, sizeof uri, "%s?options=-csearch_path%%3D%s_%ld_%d", base, prefix,
                 (long)getpid(), serial++);
    } else {
        snprintf(uri, sizeof uri, "%s", base);
        unlink(uri + 7);
    }
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "bench";
    o.create = 1;
    o.sync = BO_SYNC_OFF;
    bo_book *b;
    int rc = bo_book_open(&b, uri, &o);
    if (rc)
        die("open", rc);
    rc = bo_ledger_account_add(b, "1000", "Cash", BO_ACCOUNT_ASSET, NULL, NULL);
    for (int i = 0; !rc && i < 10; i++) {
        char code[8];
        snprintf(code, sizeof code, "4%03d", i);
        rc = bo_ledger_account_add(b, code, "Sales", BO_ACCOUNT_INCOME, NULL, NULL);
    }
    if (rc)
        die("chart", rc);
    return b;
}

/* One client posting n keyed entries in transactions of 1,000 (sync off:
 * the commits are few), on a fresh store: entries per second. many: each
 * transaction's entries in one bo_ledger_post_many call (both build their
 * entries while the clock runs). */
static double batched(const char *base, int n, int many)
{
    int rc = 0;
    bo_book *b = batch_book(base, "batch");
    double t0 = now();
    if (many) {
        bo_entry *e[1000];
        for (int i = 0; i < n; i += 1000) {
            int k = n - i < 1000 ? n - i : 1000;
            for (int j = 0; j < k; j++)
                e[j] = batched_entry(i + j);
            rc = bo_ledger_post_many(b, e, (size_t)k, NULL);
            for (int j = 0; j < k; j++)
                bo_entry_free(e[j]);
            if (rc)
                die("post_many", rc);
        }
    }
    for (int i = 0; !many && i < n; i++) {
        if (i % 1000 == 0 && (rc = bo_book_begin(b)))
            die("begin", rc);
        bo_entry *e = batched_entry(i);
        rc = bo_ledger_post(b, e, NULL);
        bo_entry_free(e);
        if (rc)
            die("post", rc);
        if ((i % 1000 == 999 || i == n - 1) && (rc = bo_book_commit(b)))
            die("commit", rc);
    }
    double dt = now() - t0;
    bo_book_free(b);
    return n / dt;
}

/* The CPU (user + system, ms) used so far by the children of process pid
 * (a PostgreSQL server's backends); 0 without /proc. */
static double children_cpu_ms(long pid)
{
    double ms = 0, tick = (double)sysconf(_SC_CLK_TCK);
    DIR *d = pid > 0 ? opendir("/proc") : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        char path[300], buf[1024];
        if (de->d_name[0] < '1' || de->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        const char *p = strrchr(buf, ')'); /* after the command's name */
        long ppid = 0;
        unsigned long ut = 0, st = 0;
        if (p && sscanf(p + 2, "%*c %ld %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ppid,
                        &ut, &st) == 3 && ppid == pid)
            ms += (double)(ut + st) * 1000.0 / tick;
    }
    if (d)
        closedir(d);
    return ms;
}

/* One book, nb batches of size entries of the batched journal, one
 * bo_ledger_post_many call a batch: entries per second of batches 2..nb;
 * *cpu the CPU of the server's backends (pid) per later batch, in ms. */
static double later_batches(const char *base, int size, int nb, long pid, double *cpu)
{
    int rc = 0;
    bo_book *b = batch_book(base, "later");
    bo_entry **e = malloc((size_t)size * sizeof *e);
    if (!e)
        die("memory", BO_ENOMEM);
    double t0 = 0, c0 = 0;
    for (int k = 0; k < nb; k++) {
        if (k == 1) {
            t0 = now();
            c0 = children_cpu_ms(pid);
        }
        for (int j = 0; j < size; j++)
            e[j] = batched_entry(k * size + j);
        rc = bo_ledger_post_many(b, e, (size_t)size, NULL);
        for (int j = 0; j < size; j++)
            bo_entry_free(e[j]);
        if (rc)
            die("post_many", rc);
    }
    double dt = now() - t0;
    *cpu = (children_cpu_ms(pid) - c0) / (nb - 1);
    free(e);
    bo_book_free(b);
    return (double)size * (nb - 1) / dt;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *uri = NULL, *list = "1,4,8", *sqlite = NULL;
    int entries = 500, repeat = 3, nbatched = 0, nbatches = 0;
    long pg_pid = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--uri")) uri = argv[i + 1];
        else if (!strcmp(argv[i], "--batched")) nbatched = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--sqlite")) sqlite = argv[i + 1];
        else if (!strcmp(argv[i], "--batches")) nbatches = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--pg-pid")) pg_pid = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--clients")) list = argv[i + 1];
        else if (!strcmp(argv[i], "--entries")) entries = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--repeat")) repeat = atoi(argv[i + 1]);
    }
    if (!uri || entries <= 0 || repeat <= 0 || repeat > 15) {
        fprintf(stderr, "usage: bench_clients --uri URI [--clients 1,4,8] "
                "[--entries N] [--repeat R]\n");
        return 2;
    }
    int pg = strncmp(uri, "postgresql:", 11) == 0;
    if (nbatched > 0) {
        /* One client, batches of 1,000: PostgreSQL against SQLite on the
         * same journal, alternating, median of R runs each. */
        if (!pg || !sqlite || strncmp(sqlite, "sqlite:", 7) != 0) {
            fprintf(stderr, "bench_clients: --batched needs a postgresql: --uri and"
                    " --sqlite sqlite:PATH\n");
            return 2;
        }
        if (nbatches > 0) {
            /* Later batches: back-dated into the book's days. */
            if (nbatches < 2) {
                fprintf(stderr, "bench_clients: --batches needs 2 or more\n");
                return 2;
            }
            double lp[15], lq[15], cpu[15], none;
            for (int r = 0; r < repeat; r++) {
                lp[r] = later_batches(uri, nbatched, nbatches, pg_pid, &cpu[r]);
                lq[r] = later_batches(sqlite, nbatched, nbatches, 0, &none);
            }
            qsort(lp, (size_t)repeat, sizeof *lp, cmp);
            qsort(lq, (size_t)repeat, sizeof *lq, cmp);
            qsort(cpu, (size_t)repeat, sizeof *cpu, cmp);
            int m = repeat / 2;
            printf("  one client, %d batches of %d entries on one book, one"
                   " bo_ledger_post_many call a batch, sync off (median of %d), batches 2..%d"
                   " (back-dated into the book's days): postgresql %.0f entries/s, sqlite %.0f"
                   " entries/s (ratio %.2f)", nbatches, nbatched, repeat, nbatches, lp[m],
                   lq[m], lp[m] / lq[m]);
            if (pg_pid > 0)
                printf(", the server's CPU %.0f ms a later batch", cpu[m]);
            printf("\n");
            printf("ROW pg.batched.later ours=%.0f plain=%.0f ratio=%.2f unit=entries/s\n",
                   lp[m], lq[m], lp[m] / lq[m]);
            return 0;
        }
        double p[15], q[15], u[15], pm[15], qm[15];
        for (int r = 0; r < repeat; r++) {
            pm[r] = batched(uri, nbatched, 1);
            p[r] = batched(uri, nbatched, 0);
            setenv("BO_PG_PIPELINE", "0", 1); /* one round trip per statement */
            u[r] = batched(uri, nbatched, 0);
            unsetenv("BO_PG_PIPELINE");
            qm[r] = batched(sqlite, nbatched, 1);
            q[r] = batched(sqlite, nbatched, 0);
        }
        qsort(p, (size_t)repeat, sizeof *p, cmp);
        qsort(q, (size_t)repeat, sizeof *q, cmp);
        qsort(u, (size_t)repeat, sizeof *u, cmp);
        qsort(pm, (size_t)repeat, sizeof *pm, cmp);
        qsort(qm, (size_t)repeat, sizeof *qm, cmp);
        int m = repeat / 2;
        printf("  one client, %d entries in batches of 1,000, sync off (median of %d),"
               " one bo_ledger_post_many call a batch: postgresql %.0f entries/s,"
               " sqlite %.0f entries/s (ratio %.2f)\n", nbatched, repeat, pm[m], qm[m],
               pm[m] / qm[m]);
        printf("  one bo_ledger_post call an entry: postgresql %.0f entries/s (without"
               " pipelining %.0f), sqlite %.0f entries/s (ratio %.2f)\n", p[m], u[m], q[m],
               p[m] / q[m]);
        printf("ROW pg.batched ours=%.0f plain=%.0f ratio=%.2f unit=entries/s\n", pm[m],
               qm[m], pm[m] / qm[m]);
        return 0;
    }
    printf("  backend     clients  entries  seconds  entries/s (median of %d runs, "
           "one commit per entry)\n", repeat);
    char *copy = strdup(list);
    double one = 0, plain_one = 0;
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        int clients = atoi(tok);
        double t[15], p[15];
        for (int r = 0; r < repeat; r++) {
            t[r] = run(uri, clients, entries);
            if (pg) /* side by side, so both see the same load */
                p[r] = run_plain(uri, clients, entries);
        }
        qsort(t, (size_t)repeat, sizeof *t, cmp);
        double rate = clients * entries / t[repeat / 2];
        char scheme[16];
        snprintf(scheme, sizeof scheme, "%.*s", (int)strcspn(uri, ":"), uri);
        printf("  %-11s %7d %8d %8.2f %10.0f\n", scheme, clients,
               clients * entries, t[repeat / 2], rate);
        if (clients == 1)
            one = rate;
        if (pg) {
            qsort(p, (size_t)repeat, sizeof *p, cmp);
            double prate = clients * entries / p[repeat / 2];
            if (clients == 1)
                plain_one = prate;
            printf("  %-11s %7d %8d %8.2f %10.0f\n", "plain pg", clients,
                   clients * entries, p[repeat / 2], prate);
            if (one > 0 && plain_one > 0)
                printf("  %d clients: ours %.2fx one client, plain %.2fx one client\n",
                       clients, rate / one, prate / plain_one);
            printf("ROW pg.clients.%d ours=%.0f plain=%.0f ratio=%.2f unit=entries/s\n",
                   clients, rate, prate, rate / prate);
        } else if (one > 0) {
            printf("ROW sqlite.procs.%d ours=%.0f plain=%.0f ratio=%.2f unit=entries/s\n",
                   clients, rate, one, rate / one);
        }
        fflush(stdout);
    }
    free(copy);
    return 0;
}
