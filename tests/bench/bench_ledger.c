/*
 * Ledger benchmark: the same deterministic entries posted through the C API
 * and through a plain SQLite program writing the same rows (see run_raw),
 * side by side in one run, so the ratio library/raw means something on a
 * noisy machine. Each measurement runs in its own forked process (its peak
 * RSS is read with wait4) and is repeated; medians are printed.
 *
 *   bench_ledger [--sizes 10000,100000] [--million] [--modes txn,batch,commit]
 *                [--repeat 3] [--batch 1000] [--commit-max 100000]
 *                [--lookups 1000] [--sync full|normal|off]
 *                [--commit-sync full|normal|off] [--side both|lib|raw]
 *                [--procs 1,8|none] [--procs-entries 8000]
 *                [--procs-dates index|commit]
 *                [--dir DIR] [--seed S] [--verbose]
 *
 * Modes: txn = one transaction for everything, batch = a commit every
 * --batch entries, commit = one commit per entry. Batched modes use --sync
 * (default FULL, the library's default); per-commit runs use --commit-sync
 * (default NORMAL) on both sides, because 10^5 fsyncs would measure the disk,
 * not the code, and are skipped above --commit-max entries. --million adds
 * 10^6 entries. Besides the rates: peak RSS, bytes of the closed book per
 * entry, and WAL frames per commit (commit mode). --procs: that many
 * processes posting into one book, one commit per entry; the entries are
 * the same whatever the number of processes, but which process posts which
 * one, and so the order they reach the book in, is not: with
 * --procs-dates index (the default) process k posts entries k, k + P, ...,
 * each dated by its number, so a process that waited behind another's run
 * of commits posts entries dated days before the book's last ones, and
 * every such entry moves the later days' balances (work one process in
 * order never does); with --procs-dates commit each process takes the next
 * number once inside its write transaction (bo_book_begin), so the entries
 * reach the book in date order, as they do from one process. The ROW lines at
 * the end feed tests/bench/bench_table.py.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "backoffice.h"

enum { MODE_TXN, MODE_BATCH, MODE_COMMIT, MODE_COUNT };
static const char *const mode_names[MODE_COUNT] = {"txn", "batch", "commit"};
enum { SIDE_LIB, SIDE_RAW };
static const char *const sync_names[] = {"FULL", "NORMAL", "OFF"};

#define MAX_SIZES 8
#define MAX_REPEAT 15

typedef struct config {
    long sizes[MAX_SIZES];
    int nsizes;
    int modes[MODE_COUNT];
    int repeat, batch, lookups, sync, commit_sync, verbose;
    int lib, raw;
    long commit_max;
    int procs[MAX_SIZES], nprocs;
    long procs_entries;
    int procs_commit_order;
    uint64_t seed;
    const char *dir;
} config;

/* ---- the chart and the entries ------------------------------------------ */

typedef struct account {
    const char *code, *name;
    int type;
    const char *parent;
} account;

static const account chart[] = {
    {"1000", "Cash", BO_ACCOUNT_ASSET, NULL},
    {"1010", "Cash: till 1", BO_ACCOUNT_ASSET, "1000"},
    {"1020", "Cash: till 2", BO_ACCOUNT_ASSET, "1000"},
    {"1100", "Bank", BO_ACCOUNT_ASSET, NULL},
    {"1200", "Receivables", BO_ACCOUNT_ASSET, NULL},
    {"1300", "Inventory", BO_ACCOUNT_ASSET, NULL},
    {"1500", "Equipment", BO_ACCOUNT_ASSET, NULL},
    {"2000", "Payables", BO_ACCOUNT_LIABILITY, NULL},
    {"2100", "Sales tax", BO_ACCOUNT_LIABILITY, NULL},
    {"2200", "Wages payable", BO_ACCOUNT_LIABILITY, NULL},
    {"3000", "Equity", BO_ACCOUNT_EQUITY, NULL},
    {"3100", "Retained earnings", BO_ACCOUNT_EQUITY, NULL},
    {"4000", "Sales", BO_ACCOUNT_INCOME, NULL},
    {"4010", "Sales: online", BO_ACCOUNT_INCOME, "4000"},
    {"4100", "Services", BO_ACCOUNT_INCOME, NULL},
    {"5000", "Cost of goods", BO_ACCOUNT_EXPENSE, NULL},
    {"5100", "Wages", BO_ACCOUNT_EXPENSE, NULL},
    {"5200", "Rent", BO_ACCOUNT_EXPENSE, NULL},
    {"5300", "Utilities", BO_ACCOUNT_EXPENSE, NULL},
    {"5400", "Bank fees", BO_ACCOUNT_EXPENSE, NULL},
};
#define NACCOUNTS ((int)(sizeof chart / sizeof chart[0]))

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

typedef struct entry {
    int n;
    int account[4];
    int64_t amount[4];
    bo_date date;
    char key[24];
    char date_text[11];
} entry;

static bo_date jan1;

static void date_text(bo_date d, char *out)
{
    /* 2025 is not a leap year; days since Jan 1 -> month/day by table. */
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int doy = d - jan1, m = 0;
    while (doy >= mdays[m])
        doy -= mdays[m++];
    m += 1;
    doy += 1;
    memcpy(out, "2025-", 5);
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + doy / 10);
    out[9] = (char)('0' + doy % 10);
    out[10] = '\0';
}

/* Entry @p i of @p total: 2-4 postings, amounts 1..100,000.00, dates rising
 * through 2025. The same on both sides. */
static void gen(uint64_t seed, long i, long total, entry *e)
{
    uint64_t s = mix(seed ^ mix((uint64_t)i));
    e->n = 2 + (int)(s % 3);
    int64_t sum = 0;
    for (int k = 0; k < e->n; k++) {
        s = mix(s);
        e->account[k] = (int)(s % NACCOUNTS);
        if (k < e->n - 1) {
            int64_t v = 1 + (int64_t)((s >> 8) % 10000000);
            if ((s >> 40) & 1)
                v = -v;
            e->amount[k] = v;
            sum += v;
        }
    }
    if (sum == 0) {
        e->amount[0] += e->amount[0] > 0 ? 1 : -1;
        sum += e->amount[0] > 0 ? 1 : -1;
    }
    e->amount[e->n - 1] = -sum;
    e->date = jan1 + (bo_date)((int64_t)i * 365 / total);
    snprintf(e->key, sizeof e->key, "e%ld", i);
    date_text(e->date, e->date_text);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench: %s: %d (%s): %s\n", what, rc, bo_error_name(rc),
            bo_error_message());
    _exit(3);
}

/* What a measured child sends back. */
typedef struct result {
    double seconds;
    double lookup_us;  /* median balance lookup, 0 if not measured */
    long maxrss_kib;   /* filled by the parent from wait4 */
    double frames;     /* WAL frames per commit (commit mode), 0 if not measured */
    double disk_bytes; /* size of the closed book file */
    int ok;
} result;

/* WAL frames per commit (commit mode): the write-ahead log is read after
 * the run, before the book is closed; the frames of its current generation
 * (those carrying the header's salts) up to the last commit frame, over
 * the commit frames among them (a commit frame records the database's size).
 * The log restarts after each checkpoint, so this covers the last 40 to 80
 * commits of the run. */
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static double wal_frames_per_commit(const char *path)
{
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    FILE *f = fopen(wal, "rb");
    if (!f)
        return 0;
    unsigned char hdr[32], fh[24];
    long frames = 0, commits = 0, upto = 0;
    if (fread(hdr, 1, 32, f) == 32) {
        uint32_t ps = be32(hdr + 8);
        if (ps == 1)
            ps = 65536;
        while (ps >= 512 && fread(fh, 1, 24, f) == 24) {
            if (memcmp(fh + 8, hdr + 16, 8) != 0)
                break; /* a frame of an earlier generation */
            frames++;
            if (be32(fh + 4) != 0) {
                commits++;
                upto = frames;
            }
            if (fseek(f, (long)ps, SEEK_CUR) != 0)
                break;
        }
    }
    fclose(f);
    return commits ? (double)upto / (double)commits : 0;
}

static double disk_bytes(const char *path)
{
    static const char *const sfx[] = {"", "-wal"};
    char buf[4200];
    double total = 0;
    for (int i = 0; i < 2; i++) {
        struct stat st;
        snprintf(buf, sizeof buf, "%s%s", path, sfx[i]);
        if (stat(buf, &st) == 0)
            total += (double)st.st_size;
    }
    return total;
}

/* ---- through the library ------------------------------------------------- */

static void run_lib(const config *cfg, const char *path, long n, int mode,
                    int sync, int lookups, result *res)
{
    bo_book_options opts = BO_BOOK_OPTIONS_INIT;
    opts.actor = "owner";
    opts.create = 1;
    opts.sync = sync;
    bo_book *book = NULL;
    int rc = bo_book_open(&book, path, &opts);
    if (rc != 0)
        die("open", rc);
    for (int i = 0; i < NACCOUNTS; i++) {
        rc = bo_ledger_account_add(book, chart[i].code, chart[i].name, chart[i].type,
                                   chart[i].parent, NULL);
        if (rc != 0)
            die("account", rc);
    }
    long per = mode == MODE_TXN ? n : mode == MODE_BATCH ? cfg->batch : 0;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        if (per > 0 && i % per == 0 && (rc = bo_book_begin(book)) != 0)
            die("begin", rc);
        entry e;
        gen(cfg->seed, i, n, &e);
        bo_entry *b = NULL;
        if ((rc = bo_entry_new(&b, e.date, "bench")) != 0 ||
            (rc = bo_entry_set_key(b, e.key)) != 0)
            die("entry", rc);
        for (int k = 0; k < e.n; k++)
            if ((rc = bo_entry_add(b, chart[e.account[k]].code, e.amount[k], NULL,
                                   NULL)) != 0)
                die("posting", rc);
        if ((rc = bo_ledger_post(book, b, NULL)) != 0)
            die("post", rc);
        bo_entry_free(b);
        if (per > 0 && (i % per == per - 1 || i == n - 1) &&
            (rc = bo_book_commit(book)) != 0)
            die("commit", rc);
    }
    res->seconds = now() - t0;
    if (mode == MODE_COMMIT)
        res->frames = wal_frames_per_commit(path);

    if (lookups > 0) {
        double *t = malloc((size_t)lookups * sizeof *t);
        uint64_t s = mix(cfg->seed ^ 0x1234);
        for (int i = 0; i < lookups; i++) {
            s = mix(s);
            const char *code = chart[s % NACCOUNTS].code;
            bo_date d = jan1 + (bo_date)((s >> 16) % 365);
            int64_t bal = 0;
            double a = now();
            if ((rc = bo_ledger_balance(book, code, d, NULL, &bal)) != 0)
                die("balance", rc);
            t[i] = now() - a;
        }
        for (int i = 1; i < lookups; i++) /* insertion sort: 1,000 values */
            for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
                double x = t[j];
                t[j] = t[j - 1];
                t[j - 1] = x;
            }
        res->lookup_us = t[lookups / 2] * 1e6;
        free(t);
    }
    bo_book_free(book);
    res->disk_bytes = disk_bytes(path);
    res->ok = 1;
}

/* ---- through raw SQLite --------------------------------------------------- */

/* The floor: a plain SQLite program writing the same rows into the same
 * tables as the library (src/ledger/schema_ledger.c, src/core/schema_core.c),
 * so the same B-trees and about the same bytes: an entry with its unique
 * idempotency key (ON CONFLICT DO NOTHING, the id looked up on a replay), its
 * postings (clustered by entry and line) and their index by account and date,
 * the day totals per account (each (account, currency, day) row holds the
 * day's change and the balance at its end, updated or inserted as the entry
 * moves it; the last day per account kept in memory, as the library does),
 * and one audit record. It skips what the library checks and computes:
 * permissions, the chart and periods, the SHA-256 digests (its digest and
 * hash columns hold 64 characters made from the entry's number). */

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench: raw: %s: %s\n", sql, err ? err : "?");
        _exit(4);
    }
}

static void raw_check(sqlite3 *db, int rc, int want, const char *what)
{
    if (rc != want) {
        fprintf(stderr, "bench: raw: %s: %s\n", what, sqlite3_errmsg(db));
        _exit(4);
    }
}

static sqlite3_stmt *raw_prepare(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *s = NULL;
    raw_check(db, sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL),
              SQLITE_OK, sql);
    return s;
}

static void raw_run(sqlite3 *db, sqlite3_stmt *s, const char *what)
{
    raw_check(db, sqlite3_step(s), SQLITE_DONE, what);
    sqlite3_reset(s);
}

/* 64 hex characters from x (a digest's size, not a digest). */
static void fake_hash(uint64_t x, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 64; i++) {
        if (i % 16 == 0)
            x = mix(x);
        out[i] = hex[(x >> ((i % 16) * 4)) & 15];
    }
    out[64] = '\0';
}

/* Append the decimal digits of v (no sprintf: the floor stays cheap). */
static char *digits(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Append "len:text;" (the library's canonical field). */
static char *field(char *p, const char *t)
{
    size_t n = strlen(t);
    p = digits(p, n);
    *p++ = ':';
    memcpy(p, t, n);
    p += n;
    *p++ = ';';
    return p;
}

/* Append "i<amount>;" (the library's canonical integer field). */
static char *field_int(char *p, int64_t v)
{
    *p++ = 'i';
    if (v < 0)
        *p++ = '-';
    p = digits(p, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    *p++ = ';';
    return p;
}

typedef struct raw_day {
    char date[11];
    int64_t total;
} raw_day;

static void run_raw(const config *cfg, const char *path, long n, int mode, int sync,
                    result *res)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench: raw open: %s\n", sqlite3_errmsg(db));
        _exit(4);
    }
    raw_exec(db, "PRAGMA journal_mode=WAL");
    raw_exec(db, sync == BO_SYNC_FULL ? "PRAGMA synchronous=FULL"
                 : sync == BO_SYNC_NORMAL ? "PRAGMA synchronous=NORMAL"
                                          : "PRAGMA synchronous=OFF");
    raw_exec(db, "CREATE TABLE entries (id INTEGER PRIMARY KEY, date TEXT NOT NULL,"
                 " memo TEXT NOT NULL, idem_key TEXT UNIQUE, actor TEXT,"
                 " digest TEXT NOT NULL)");
    raw_exec(db, "CREATE TABLE postings (entry_id BIGINT NOT NULL, line INTEGER NOT NULL,"
                 " account_id BIGINT NOT NULL, amount BIGINT NOT NULL, currency TEXT NOT NULL,"
                 " memo TEXT, date TEXT NOT NULL, base_amount BIGINT,"
                 " PRIMARY KEY (entry_id, line)) WITHOUT ROWID");
    raw_exec(db, "CREATE INDEX postings_by_account ON postings (account_id, date, entry_id)");
    raw_exec(db, "CREATE TABLE account_days (account_id BIGINT NOT NULL,"
                 " currency TEXT NOT NULL, date TEXT NOT NULL, delta BIGINT NOT NULL,"
                 " total BIGINT NOT NULL, PRIMARY KEY (account_id, currency, date))"
                 " WITHOUT ROWID");
    raw_exec(db, "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL,"
                 " actor TEXT, action TEXT NOT NULL, object TEXT NOT NULL,"
                 " detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,"
                 " extra TEXT)");
    sqlite3_stmt *ins_e = raw_prepare(db, "INSERT INTO entries (date, memo, idem_key, actor,"
                                      " digest) VALUES (?, ?, ?, ?, ?)"
                                      " ON CONFLICT (idem_key) DO NOTHING");
    sqlite3_stmt *ins_p = raw_prepare(db, "INSERT INTO postings VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *find = raw_prepare(db, "SELECT id FROM entries WHERE idem_key = ?");
    sqlite3_stmt *day_ins = raw_prepare(db, "INSERT INTO account_days (account_id, currency,"
                                        " date, delta, total) VALUES (?, ?, ?, ?, ?)");
    sqlite3_stmt *day_upd = raw_prepare(db, "UPDATE account_days SET delta = delta + ?,"
                                        " total = ? WHERE account_id = ? AND currency = ?"
                                        " AND date = ?");
    sqlite3_stmt *ins_a = raw_prepare(db, "INSERT INTO audit_log (seq, at, actor, action,"
                                      " object, detail, prev_hash, hash, extra)"
                                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_stmt *begin = raw_prepare(db, "BEGIN IMMEDIATE");
    sqlite3_stmt *commit = raw_prepare(db, "COMMIT");
    raw_day days[NACCOUNTS];
    memset(days, 0, sizeof days);
    char prev[65], hash[65], digest[65], detail[512], extra[64], object[32];
    fake_hash(0, prev);
    long per = mode == MODE_TXN ? n : mode == MODE_BATCH ? cfg->batch : 1;
    double t0 = now();
    for (long i = 0; i < n; i++) {
        if (i % per == 0)
            raw_run(db, begin, "begin");
        entry e;
        gen(cfg->seed, i, n, &e);
        /* The balance check and the net amount per account. */
        int64_t sum = 0, net[NACCOUNTS];
        memset(net, 0, sizeof net);
        for (int k = 0; k < e.n; k++) {
            sum += e.amount[k];
            net[e.account[k]] += e.amount[k];
        }
        if (sum != 0)
            _exit(5);
        fake_hash((uint64_t)i, digest);
        sqlite3_bind_text(ins_e, 1, e.date_text, 10, SQLITE_STATIC);
        sqlite3_bind_text(ins_e, 2, "bench", 5, SQLITE_STATIC);
        sqlite3_bind_text(ins_e, 3, e.key, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_e, 4, "owner", 5, SQLITE_STATIC);
        sqlite3_bind_text(ins_e, 5, digest, 64, SQLITE_STATIC);
        raw_run(db, ins_e, "insert entry");
        int64_t id;
        if (sqlite3_changes(db) == 0) {
            /* A replayed key: return the first id (never happens here). */
            sqlite3_bind_text(find, 1, e.key, -1, SQLITE_STATIC);
            raw_check(db, sqlite3_step(find), SQLITE_ROW, "find");
            id = sqlite3_column_int64(find, 0);
            sqlite3_reset(find);
            continue;
        }
        id = sqlite3_last_insert_rowid(db);
        char *d = detail;
        d = field(d, e.date_text);
        d = field(d, "bench");
        d = field_int(d, 0);
        for (int k = 0; k < e.n; k++) {
            sqlite3_bind_int64(ins_p, 1, id);
            sqlite3_bind_int(ins_p, 2, k + 1);
            sqlite3_bind_int(ins_p, 3, e.account[k] + 1);
            sqlite3_bind_int64(ins_p, 4, e.amount[k]);
            sqlite3_bind_text(ins_p, 5, "USD", 3, SQLITE_STATIC);
            sqlite3_bind_null(ins_p, 6);
            sqlite3_bind_text(ins_p, 7, e.date_text, 10, SQLITE_STATIC);
            sqlite3_bind_int64(ins_p, 8, e.amount[k]);
            raw_run(db, ins_p, "insert posting");
            d = field(d, chart[e.account[k]].code);
            d = field_int(d, e.amount[k]);
            d = field(d, "USD");
            *d++ = '-';
            *d++ = ';';
        }
        for (int a = 0; a < NACCOUNTS; a++) {
            if (net[a] == 0)
                continue;
            raw_day *rd = &days[a];
            int same = strcmp(rd->date, e.date_text) == 0;
            rd->total += net[a];
            memcpy(rd->date, e.date_text, 11);
            sqlite3_stmt *s = same ? day_upd : day_ins;
            if (same) {
                sqlite3_bind_int64(s, 1, net[a]);
                sqlite3_bind_int64(s, 2, rd->total);
                sqlite3_bind_int(s, 3, a + 1);
                sqlite3_bind_text(s, 4, "USD", 3, SQLITE_STATIC);
                sqlite3_bind_text(s, 5, e.date_text, 10, SQLITE_STATIC);
            } else {
                sqlite3_bind_int(s, 1, a + 1);
                sqlite3_bind_text(s, 2, "USD", 3, SQLITE_STATIC);
                sqlite3_bind_text(s, 3, e.date_text, 10, SQLITE_STATIC);
                sqlite3_bind_int64(s, 4, net[a]);
                sqlite3_bind_int64(s, 5, rd->total);
            }
            raw_run(db, s, "day total");
        }
        fake_hash((uint64_t)i ^ 0xa5a5, hash);
        memcpy(object, "entry:", 6);
        *digits(object + 6, (uint64_t)id) = '\0';
        char *x = field(extra, "key");
        x = field(x, e.key);
        *x = '\0';
        sqlite3_bind_int64(ins_a, 1, id);
        sqlite3_bind_text(ins_a, 2, "2026-12-06T10:00:00.000Z", 24, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 3, "owner", 5, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 4, "ledger.entry.post", 17, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 5, object, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 6, detail, (int)(d - detail), SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 7, prev, 64, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 8, hash, 64, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 9, extra, -1, SQLITE_STATIC);
        raw_run(db, ins_a, "audit record");
        memcpy(prev, hash, sizeof prev);
        if (i % per == per - 1 || i == n - 1)
            raw_run(db, commit, "commit");
    }
    res->seconds = now() - t0;
    if (mode == MODE_COMMIT)
        res->frames = wal_frames_per_commit(path);
    sqlite3_stmt *all[] = {ins_e, ins_p, find, day_ins, day_upd, ins_a, begin, commit};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        sqlite3_finalize(all[k]);
    sqlite3_close(db);
    res->disk_bytes = disk_bytes(path);
    res->ok = 1;
}

/* ---- one measurement in its own process ----------------------------------- */

static void unlink_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char buf[4200];
    for (int i = 0; i < 4; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, sfx[i]);
        unlink(buf);
    }
}

static int measure(const config *cfg, int side, long n, int mode, int lookups,
                   result *res)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bench-%ld-%s.db", cfg->dir, (long)getpid(),
             side == SIDE_LIB ? "lib" : "raw");
    unlink_db(path);
    int sync = mode == MODE_COMMIT ? cfg->commit_sync : cfg->sync;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        result r;
        memset(&r, 0, sizeof r);
        if (side == SIDE_LIB)
            run_lib(cfg, path, n, mode, sync, lookups, &r);
        else
            run_raw(cfg, path, n, mode, sync, &r);
        if (write(fds[1], &r, sizeof r) != (ssize_t)sizeof r)
            _exit(6);
        _exit(0);
    }
    close(fds[1]);
    memset(res, 0, sizeof *res);
    ssize_t got;
    do
        got = read(fds[0], res, sizeof *res);
    while (got < 0 && errno == EINTR);
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    wait4(pid, &status, 0, &ru);
    unlink_db(path);
    res->maxrss_kib = ru.ru_maxrss;
    if (got != (ssize_t)sizeof *res || !res->ok || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: %s run of %ld entries (%s) failed (status %d)\n",
                side == SIDE_LIB ? "library" : "raw", n, mode_names[mode], status);
        return -1;
    }
    if (cfg->verbose)
        printf("  run: %-3s %8ld %-6s %8.3f s %10.0f entries/s %8ld KiB%s\n",
               side == SIDE_LIB ? "lib" : "raw", n, mode_names[mode], res->seconds,
               (double)n / res->seconds, res->maxrss_kib,
               res->lookup_us > 0 ? " (+ lookups)" : "");
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- machine line ----------------------------------------------------------- */

static void machine_line(const config *cfg)
{
    char model[256] = "unknown", line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *p = strchr(line, ':');
            if (p) {
                p += 1 + (p[1] == ' ');
                p[strcspn(p, "\n")] = '\0';
                snprintf(model, sizeof model, "%s", p);
            }
            break;
        }
    }
    if (f)
        fclose(f);
    const char *fs = "unknown";
    struct statfs sf;
    if (statfs(cfg->dir, &sf) == 0) {
        switch ((unsigned long)sf.f_type) {
        case 0xEF53UL: fs = "ext4"; break;
        case 0x01021994UL: fs = "tmpfs"; break;
        case 0x58465342UL: fs = "xfs"; break;
        case 0x9123683EUL: fs = "btrfs"; break;
        case 0x794c7630UL: fs = "overlayfs"; break;
        default: fs = "other"; break;
        }
    }
    printf("machine: nproc %ld, cpu \"%s\", sqlite %s, libbackoffice %s, "
           "files in %s (%s)\n", sysconf(_SC_NPROCESSORS_ONLN), model,
           sqlite3_libversion(), bo_version(), cfg->dir, fs);
}

/* ---- arguments ------------------------------------------------------------- */

static void usage_to(FILE *f)
{
    fprintf(f,
            "usage: bench_ledger [--sizes N,N,..] [--modes txn,batch,commit] [--repeat R]\n"
            "                    [--batch B] [--commit-max N] [--lookups L]\n"
            "                    [--sync full|normal|off] [--commit-sync full|normal|off]\n"
            "                    [--side both|lib|raw] [--dir DIR] [--seed S] [--verbose]\n"
            "                    [--million] [--procs 1,8|none] [--procs-entries N]\n"
            "                    [--procs-dates index|commit]\n");
}

static void usage(void)
{
    usage_to(stderr);
    exit(2);
}

static int parse_sync(const char *v)
{
    if (strcmp(v, "full") == 0)
        return BO_SYNC_FULL;
    if (strcmp(v, "normal") == 0)
        return BO_SYNC_NORMAL;
    if (strcmp(v, "off") == 0)
        return BO_SYNC_OFF;
    usage();
    return 0;
}

static void parse(config *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--verbose") == 0) {
            cfg->verbose = 1;
            continue;
        }
        if (strcmp(a, "--million") == 0) { /* 10^6 too (batched; commit stops at --commit-max) */
            if (cfg->nsizes < MAX_SIZES)
                cfg->sizes[cfg->nsizes++] = 1000000;
            continue;
        }
        if (strcmp(a, "--help") == 0) {
            usage_to(stdout);
            exit(0);
        }
        if (i + 1 >= argc)
            usage();
        char *v = argv[++i];
        if (strcmp(a, "--sizes") == 0) {
            cfg->nsizes = 0;
            for (char *t = strtok(v, ","); t && cfg->nsizes < MAX_SIZES; t = strtok(NULL, ","))
                cfg->sizes[cfg->nsizes++] = strtol(t, NULL, 10);
        } else if (strcmp(a, "--modes") == 0) {
            memset(cfg->modes, 0, sizeof cfg->modes);
            for (char *t = strtok(v, ","); t; t = strtok(NULL, ",")) {
                int found = 0;
                for (int m = 0; m < MODE_COUNT; m++)
                    if (strcmp(t, mode_names[m]) == 0)
                        cfg->modes[m] = found = 1;
                if (!found)
                    usage();
            }
        } else if (strcmp(a, "--repeat") == 0) {
            cfg->repeat = atoi(v);
        } else if (strcmp(a, "--batch") == 0) {
            cfg->batch = atoi(v);
        } else if (strcmp(a, "--commit-max") == 0) {
            cfg->commit_max = strtol(v, NULL, 10);
        } else if (strcmp(a, "--lookups") == 0) {
            cfg->lookups = atoi(v);
        } else if (strcmp(a, "--sync") == 0) {
            cfg->sync = parse_sync(v);
        } else if (strcmp(a, "--commit-sync") == 0) {
            cfg->commit_sync = parse_sync(v);
        } else if (strcmp(a, "--side") == 0) {
            cfg->lib = strcmp(v, "raw") != 0;
            cfg->raw = strcmp(v, "lib") != 0;
        } else if (strcmp(a, "--dir") == 0) {
            cfg->dir = v;
        } else if (strcmp(a, "--procs") == 0) {
            cfg->nprocs = 0;
            if (strcmp(v, "none") != 0)
                for (char *t = strtok(v, ","); t && cfg->nprocs < MAX_SIZES;
                     t = strtok(NULL, ","))
                    cfg->procs[cfg->nprocs++] = atoi(t);
        } else if (strcmp(a, "--procs-dates") == 0) {
            if (strcmp(v, "index") != 0 && strcmp(v, "commit") != 0)
                usage();
            cfg->procs_commit_order = strcmp(v, "commit") == 0;
        } else if (strcmp(a, "--procs-entries") == 0) {
            cfg->procs_entries = strtol(v, NULL, 10);
        } else if (strcmp(a, "--seed") == 0) {
            cfg->seed = strtoull(v, NULL, 0);
        } else {
            usage();
        }
    }
    if (cfg->nsizes == 0 || cfg->repeat < 1 || cfg->repeat > MAX_REPEAT ||
        cfg->batch < 1 || cfg->lookups < 0)
        usage();
    for (int i = 0; i < cfg->nsizes; i++)
        if (cfg->sizes[i] < 1)
            usage();
    for (int i = 0; i < cfg->nprocs; i++)
        if (cfg->procs[i] < 1 || cfg->procs[i] > 64)
            usage();
    if (cfg->procs_entries < 1)
        usage();
}

/* ---- several processes on one book ---------------------------------------- */

/* procs processes, each with its own handle on one book, post the entries
 * i = k, k + procs, ... of total between them, one commit each at
 * --commit-sync; the rate is every entry over the time from the moment all
 * are released together to the last one's exit. */
static int run_procs(const config *cfg, int procs, long total, double *rate,
                     double *cpu_us)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/bench-%ld-procs.db", cfg->dir, (long)getpid());
    unlink_db(path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) { /* the book and its chart, from a process of its own */
        bo_book_options opts = BO_BOOK_OPTIONS_INIT;
        opts.actor = "owner";
        opts.create = 1;
        bo_book *book = NULL;
        int rc = bo_book_open(&book, path, &opts);
        if (rc != 0)
            die("open", rc);
        for (int i = 0; i < NACCOUNTS; i++)
            if ((rc = bo_ledger_account_add(book, chart[i].code, chart[i].name,
                                            chart[i].type, chart[i].parent, NULL)) != 0)
                die("account", rc);
        bo_book_free(book);
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    int gate[2];
    if (pipe(gate) != 0)
        return -1;
    /* --procs-dates commit: the next entry's number, shared by the children. */
    long *next = mmap(NULL, sizeof *next, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                      -1, 0);
    if (next == MAP_FAILED)
        return -1;
    *next = 0;
    pid_t kids[64];
    for (int k = 0; k < procs; k++) {
        fflush(NULL);
        if ((kids[k] = fork()) == 0) {
            close(gate[1]);
            bo_book_options opts = BO_BOOK_OPTIONS_INIT;
            opts.actor = "owner";
            opts.sync = cfg->commit_sync;
            opts.busy_timeout_ms = 60000;
            bo_book *book = NULL;
            int rc = bo_book_open(&book, path, &opts);
            if (rc != 0)
                die("open", rc);
            char c;
            while (read(gate[0], &c, 1) < 0 && errno == EINTR)
                ;
            for (long i = k; cfg->procs_commit_order || i < total; i += procs) {
                if (cfg->procs_commit_order) {
                    if ((rc = bo_book_begin(book)) != 0)
                        die("begin", rc);
                    i = __atomic_fetch_add(next, 1, __ATOMIC_SEQ_CST);
                    if (i >= total) {
                        bo_book_rollback(book);
                        break;
                    }
                }
                entry e;
                gen(cfg->seed, i, total, &e);
                bo_entry *b = NULL;
                if ((rc = bo_entry_new(&b, e.date, "bench")) != 0 ||
                    (rc = bo_entry_set_key(b, e.key)) != 0)
                    die("entry", rc);
                for (int j = 0; j < e.n; j++)
                    if ((rc = bo_entry_add(b, chart[e.account[j]].code, e.amount[j], NULL,
                                           NULL)) != 0)
                        die("posting", rc);
                if ((rc = bo_ledger_post(book, b, NULL)) != 0)
                    die("post", rc);
                if (cfg->procs_commit_order && (rc = bo_book_commit(book)) != 0)
                    die("commit", rc);
                bo_entry_free(b);
            }
            bo_book_free(book);
            _exit(0);
        }
    }
    close(gate[0]);
    double t0 = now();
    close(gate[1]); /* every child's read returns: go */
    int failed = 0;
    double cpu_s = 0;
    for (int k = 0; k < procs; k++) {
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        if (kids[k] < 0 || wait4(kids[k], &status, 0, &ru) != kids[k] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            failed = 1;
        cpu_s += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    }
    double t = now() - t0;
    munmap(next, sizeof *next);
    unlink_db(path);
    *rate = (double)total / t;
    *cpu_us = cpu_s * 1e6 / (double)total;
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.sizes[0] = 10000;
    cfg.sizes[1] = 100000;
    cfg.nsizes = 2;
    cfg.modes[MODE_BATCH] = cfg.modes[MODE_COMMIT] = 1;
    cfg.repeat = 3;
    cfg.batch = 1000;
    cfg.lookups = 1000;
    cfg.sync = BO_SYNC_FULL;
    cfg.commit_sync = BO_SYNC_NORMAL;
    cfg.commit_max = 100000;
    cfg.lib = cfg.raw = 1;
    cfg.seed = 20250101;
    cfg.procs[0] = 1;
    cfg.procs[1] = 8;
    cfg.nprocs = 2;
    cfg.procs_entries = 8000;
    cfg.dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/var/tmp";
    parse(&cfg, argc, argv);
    bo_date_from_ymd(2025, 1, 1, &jan1);

    machine_line(&cfg);
    printf("bench: medians of %d runs, each in its own process; txn/batch at "
           "synchronous=%s, commit at synchronous=%s (both sides); batch = %d entries; "
           "commit runs up to %ld entries\n", cfg.repeat, sync_names[cfg.sync],
           sync_names[cfg.commit_sync], cfg.batch, cfg.commit_max);
    printf("%9s %-6s %-6s %11s %11s %7s %9s %9s %8s %8s %9s %9s\n", "entries", "mode",
           "sync", "lib entr/s", "raw entr/s", "lib/raw", "lib KiB", "raw KiB",
           "lib B/e", "raw B/e", "lib fr/c", "raw fr/c");
    fflush(stdout);

    int first_mode = -1;
    for (int m = 0; m < MODE_COUNT; m++)
        if (cfg.modes[m] && first_mode < 0)
            first_mode = m;
    double lookup_med[MAX_SIZES] = {0};
    /* The ROW lines: the largest size run of each mode. */
    double row_lib[MODE_COUNT] = {0}, row_raw[MODE_COUNT] = {0};
    long row_n[MODE_COUNT] = {0};
    int failed = 0;
    for (int si = 0; si < cfg.nsizes; si++) {
        long n = cfg.sizes[si];
        for (int m = 0; m < MODE_COUNT; m++) {
            if (!cfg.modes[m] || (m == MODE_COMMIT && n > cfg.commit_max))
                continue;
            double lib_rate[MAX_REPEAT], raw_rate[MAX_REPEAT], look[MAX_REPEAT];
            double lib_rss[MAX_REPEAT], raw_rss[MAX_REPEAT];
            double lib_disk[MAX_REPEAT], raw_disk[MAX_REPEAT];
            double lib_fr[MAX_REPEAT], raw_fr[MAX_REPEAT];
            int nl = 0, nr = 0, nk = 0;
            for (int rep = 0; rep < cfg.repeat; rep++) {
                /* Alternate which side goes first, so neither always gets
                 * the warmer page cache. */
                for (int k = 0; k < 2; k++) {
                    int side = (rep + k) % 2 ? SIDE_RAW : SIDE_LIB;
                    if ((side == SIDE_LIB && !cfg.lib) || (side == SIDE_RAW && !cfg.raw))
                        continue;
                    result r;
                    int lookups = side == SIDE_LIB && m == first_mode ? cfg.lookups : 0;
                    if (measure(&cfg, side, n, m, lookups, &r) != 0) {
                        failed = 1;
                        continue;
                    }
                    if (side == SIDE_LIB) {
                        lib_rate[nl] = (double)n / r.seconds;
                        lib_disk[nl] = r.disk_bytes / (double)n;
                        lib_fr[nl] = r.frames;
                        lib_rss[nl++] = (double)r.maxrss_kib;
                        if (lookups > 0)
                            look[nk++] = r.lookup_us;
                    } else {
                        raw_rate[nr] = (double)n / r.seconds;
                        raw_disk[nr] = r.disk_bytes / (double)n;
                        raw_fr[nr] = r.frames;
                        raw_rss[nr++] = (double)r.maxrss_kib;
                    }
                }
            }
            double lr = median(lib_rate, nl), rr = median(raw_rate, nr);
            if (nk > 0) {
                lookup_med[si] = median(look, nk);
            }
            char ratio[16] = "-";
            if (nl > 0 && nr > 0)
                snprintf(ratio, sizeof ratio, "%.2f", lr / rr);
            printf("%9ld %-6s %-6s %11.0f %11.0f %7s %9.0f %9.0f %8.0f %8.0f %9.1f %9.1f\n",
                   n, mode_names[m],
                   sync_names[m == MODE_COMMIT ? cfg.commit_sync : cfg.sync], lr, rr,
                   ratio, median(lib_rss, nl), median(raw_rss, nr), median(lib_disk, nl),
                   median(raw_disk, nr), median(lib_fr, nl), median(raw_fr, nr));
            fflush(stdout);
            if (n >= row_n[m]) {
                row_n[m] = n;
                row_lib[m] = lr;
                row_raw[m] = rr;
            }
        }
    }
    if (cfg.lib && cfg.lookups > 0 && first_mode >= 0) {
        printf("balance lookup: bo_ledger_balance on random accounts and dates, median "
               "of %d calls per run, median of %d runs (book filled in %s mode)\n",
               cfg.lookups, cfg.repeat, mode_names[first_mode]);
        for (int si = 0; si < cfg.nsizes; si++)
            printf("%9ld entries: %8.1f us per lookup\n", cfg.sizes[si], lookup_med[si]);
    }
    double procs_rate[MAX_SIZES] = {0};
    if (cfg.lib && cfg.nprocs > 0) {
        printf("processes: P processes post %ld entries between them into one book, one "
               "commit each at synchronous=%s, median of %d runs (CPU: user + system of "
               "every process; dates in %s order)\n", cfg.procs_entries,
               sync_names[cfg.commit_sync], cfg.repeat,
               cfg.procs_commit_order ? "commit" : "index");
        for (int pi = 0; pi < cfg.nprocs; pi++) {
            double rates[MAX_REPEAT], cpus[MAX_REPEAT];
            int nrates = 0;
            for (int rep = 0; rep < cfg.repeat; rep++) {
                double r, cpu;
                if (run_procs(&cfg, cfg.procs[pi], cfg.procs_entries, &r, &cpu) != 0) {
                    fprintf(stderr, "bench: %d processes failed\n", cfg.procs[pi]);
                    failed = 1;
                    continue;
                }
                cpus[nrates] = cpu;
                rates[nrates++] = r;
            }
            procs_rate[pi] = median(rates, nrates);
            printf("%9d processes: %9.0f entries/s, %6.0f us of CPU per entry",
                   cfg.procs[pi], procs_rate[pi], median(cpus, nrates));
            if (pi > 0 && procs_rate[0] > 0)
                printf(" (%.2fx %d)", procs_rate[pi] / procs_rate[0], cfg.procs[0]);
            printf("\n");
            fflush(stdout);
        }
    }
    /* One line per row of the bench table (tests/bench/bench_table.py). */
    static const char *const row_id[MODE_COUNT] = {"ledger.c.txn", "ledger.c.batched",
                                                   "ledger.c.single"};
    for (int m = 0; m < MODE_COUNT; m++) {
        if (!row_n[m] || !cfg.lib || !cfg.raw)
            continue;
        printf("ROW %s ours=%.0f plain=%.0f ratio=%.2f unit=entries/s\n", row_id[m],
               row_lib[m], row_raw[m], row_raw[m] > 0 ? row_lib[m] / row_raw[m] : 0);
    }
    for (int pi = 0; pi < cfg.nprocs && cfg.lib; pi++) {
        if (procs_rate[pi] <= 0)
            continue;
        /* No plain program: the ratio is to the first count's rate. */
        printf("ROW sqlite.procs.%d ours=%.0f plain=- ratio=%.2f unit=entries/s\n",
               cfg.procs[pi], procs_rate[pi],
               procs_rate[0] > 0 ? procs_rate[pi] / procs_rate[0] : 0);
    }
    return failed ? 1 : 0;
}
