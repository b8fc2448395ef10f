/*
 * Journal import benchmark (prints figures; never a test): how long
 * bo_book_import_journal takes on an hledger journal of --n transactions
 * (default 10^5; 2 to 4 postings each, 14 accounts, dates rising over
 * years, amounts to the cent), against the floor: a plain SQLite program
 * inserting the same rows (the accounts, one entry row and its posting rows
 * per transaction, with the library's CREATE TABLE statements for them) in
 * one transaction, the amounts already in memory, no parsing. Both on
 * SQLite files, synchronous off, WAL.
 *
 *   bench_journal [--n 100000] [--dir DIR] [--keep]
 *
 * Prints the journal's size, wall and CPU seconds of each side (CPU: the
 * process's user + system time around the call, which a shared machine
 * disturbs less than the wall clock), and
 *   ROW import.journal ours=<tx/CPU s> plain=<tx/CPU s> ratio=<ours/plain> unit=tx/s
 */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backoffice.h"

#define BENCH_NAME "bench_journal"
#include "bench_book.h"

static const char *const names[] = {
    "Assets:Bank:Checking", "Assets:Bank:Savings", "Assets:Cash", "Assets:Receivable",
    "Liabilities:Card", "Liabilities:Loan", "Equity:Opening", "Income:Sales",
    "Income:Interest", "Expenses:Food", "Expenses:Rent", "Expenses:Travel",
    "Expenses:Office:Paper", "Expenses:Office:Ink",
};
#define NNAMES ((int)(sizeof names / sizeof names[0]))

typedef struct tx {
    int n;
    int acct[4];
    int64_t amount[4];
    bo_date date;
} tx;

static double cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
           (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static void make(tx *t, long n)
{
    bo_date d0;
    bo_date_parse("2015-01-01", &d0);
    for (long i = 0; i < n; i++) {
        uint64_t r = mix((uint64_t)i);
        t[i].n = 2 + (int)(r % 3);
        t[i].date = d0 + (bo_date)(i * 3000 / n);
        int64_t sum = 0;
        for (int k = 0; k < t[i].n; k++) {
            uint64_t q = mix(r + (uint64_t)k + 1);
            t[i].acct[k] = (int)(q % NNAMES);
            if (k > 0 && t[i].acct[k] == t[i].acct[k - 1])
                t[i].acct[k] = (t[i].acct[k] + 1) % NNAMES;
            if (k < t[i].n - 1) {
                t[i].amount[k] = 1 + (int64_t)((q >> 8) % 10000000);
                if (q & 1)
                    t[i].amount[k] = -t[i].amount[k];
                sum += t[i].amount[k];
            } else
                t[i].amount[k] = -sum;
        }
        if (t[i].amount[t[i].n - 1] == 0) { /* never a zero posting */
            t[i].amount[0] += 1;
            t[i].amount[t[i].n - 1] -= 1;
        }
    }
}

static void write_journal(const char *path, const tx *t, long n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    for (long i = 0; i < n; i++) {
        char d[11];
        bo_date_format(t[i].date, d, sizeof d);
        fprintf(f, "%s * transaction %ld  ; bench\n", d, i + 1);
        for (int k = 0; k < t[i].n; k++) {
            int64_t a = t[i].amount[k];
            fprintf(f, "    %s  %s$%" PRId64 ".%02d\n", names[t[i].acct[k]], a < 0 ? "-" : "",
                    (a < 0 ? -a : a) / 100, (int)((a < 0 ? -a : a) % 100));
        }
        fputc('\n', f);
    }
    fclose(f);
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, BENCH_NAME ": %s: %s\n", sql, err);
        exit(4);
    }
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, BENCH_NAME ": %s: %s\n", sql, sqlite3_errmsg(db));
        exit(4);
    }
    return s;
}

static void step(sqlite3 *db, sqlite3_stmt *s)
{
    if (sqlite3_step(s) != SQLITE_DONE) {
        fprintf(stderr, BENCH_NAME ": step: %s\n", sqlite3_errmsg(db));
        exit(4);
    }
    sqlite3_reset(s);
}

/* The floor: the same rows, inserted by a plain program. */
static void plain(const char *path, const tx *t, long n)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        exit(4);
    raw_exec(db, "PRAGMA journal_mode=WAL");
    raw_exec(db, "PRAGMA synchronous=OFF");
    raw_exec(db, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
                 " name TEXT NOT NULL, type INTEGER NOT NULL, parent_id BIGINT,"
                 " currency TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0,"
                 " depth INTEGER NOT NULL, path TEXT NOT NULL)");
    raw_exec(db, "CREATE TABLE entries (id INTEGER PRIMARY KEY, date TEXT NOT NULL,"
                 " memo TEXT NOT NULL, idem_key TEXT UNIQUE, actor TEXT,"
                 " digest TEXT NOT NULL)");
    raw_exec(db, "CREATE TABLE postings (entry_id BIGINT NOT NULL, line INTEGER NOT NULL,"
                 " account_id BIGINT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,"
                 " memo TEXT, date TEXT NOT NULL, base_amount BIGINT,"
                 " PRIMARY KEY (entry_id, line)) WITHOUT ROWID");
    raw_exec(db, "CREATE INDEX postings_by_account ON postings (account_id, date, entry_id)");
    raw_exec(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *a = prep(db, "INSERT INTO accounts (id, code, name, type, currency, depth,"
                               " path) VALUES (?, ?, ?, 1, 'USD', 1, ?)");
    for (int i = 0; i < NNAMES; i++) {
        sqlite3_bind_int(a, 1, i + 1);
        sqlite3_bind_text(a, 2, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 3, names[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 4, names[i], -1, SQLITE_STATIC);
        step(db, a);
    }
    sqlite3_stmt *e = prep(db, "INSERT INTO entries (date, memo, idem_key, actor, digest)"
                               " VALUES (?, ?, ?, 'owner', '-')");
    sqlite3_stmt *p = prep(db, "INSERT INTO postings VALUES (?, ?, ?, ?, 'USD', NULL, ?, ?)");
    for (long i = 0; i < n; i++) {
        char d[11], memo[64], key[64];
        bo_date_format(t[i].date, d, sizeof d);
        snprintf(memo, sizeof memo, "transaction %ld ; bench", i + 1);
        snprintf(key, sizeof key, "hledger:bench.journal:%ld", i + 1);
        sqlite3_bind_text(e, 1, d, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(e, 2, memo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(e, 3, key, -1, SQLITE_TRANSIENT);
        step(db, e);
        int64_t id = sqlite3_last_insert_rowid(db);
        for (int k = 0; k < t[i].n; k++) {
            sqlite3_bind_int64(p, 1, id);
            sqlite3_bind_int(p, 2, k + 1);
            sqlite3_bind_int(p, 3, t[i].acct[k] + 1);
            sqlite3_bind_int64(p, 4, t[i].amount[k]);
            sqlite3_bind_text(p, 5, d, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(p, 6, t[i].amount[k]);
            step(db, p);
        }
    }
    raw_exec(db, "COMMIT");
    sqlite3_finalize(a);
    sqlite3_finalize(e);
    sqlite3_finalize(p);
    sqlite3_close(db);
}

int main(int argc, char **argv)
{
    long n = 100000;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = atol(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--keep"))
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_journal [--n N] [--dir DIR] [--keep]\n");
            return 2;
        }
    }
    tx *t = calloc((size_t)n, sizeof *t);
    if (!t)
        return 2;
    make(t, n);
    char jpath[4096], ours[4200], floor_db[4200];
    snprintf(jpath, sizeof jpath, "%s/bench.journal", dir);
    snprintf(ours, sizeof ours, "%s/bench-journal-ours.db", dir);
    snprintf(floor_db, sizeof floor_db, "%s/bench-journal-plain.db", dir);
    write_journal(jpath, t, n);
    struct stat st;
    stat(jpath, &st);
    unlink_db(ours);
    unlink_db(floor_db);

    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    double w0 = now(), c0 = cpu();
    int rc = bo_book_import_journal(ours, jpath, &o, NULL);
    double ow = now() - w0, oc = cpu() - c0;
    if (rc)
        die("import", rc);
    w0 = now();
    c0 = cpu();
    plain(floor_db, t, n);
    double pw = now() - w0, pc = cpu() - c0;

    /* the import is right: a balance equals the rows' sum */
    bo_book *b = open_book(ours, 0);
    int64_t want = 0, have = 0;
    for (long i = 0; i < n; i++)
        for (int k = 0; k < t[i].n; k++)
            if (t[i].acct[k] == 0)
                want += t[i].amount[k];
    if ((rc = bo_ledger_balance(b, names[0], BO_DATE_MAX, "USD", &have)))
        die("balance", rc);
    bo_book_free(b);
    if (have != want) {
        fprintf(stderr, BENCH_NAME ": %s: %" PRId64 ", not %" PRId64 "\n", names[0], have, want);
        return 3;
    }
    printf("bench_journal: %ld transactions, journal %.1f MiB\n", n,
           (double)st.st_size / 1048576.0);
    printf("  ours  (bo_book_import_journal): wall %.2f s, cpu %.2f s\n", ow, oc);
    printf("  plain (SQLite inserts, no parse): wall %.2f s, cpu %.2f s\n", pw, pc);
    printf("ROW import.journal ours=%.0f plain=%.0f ratio=%.2f unit=tx/s\n", (double)n / oc,
           (double)n / pc, pc / oc);
    if (!keep) {
        unlink(jpath);
        unlink_db(ours);
        unlink_db(floor_db);
    }
    free(t);
    return 0;
}
