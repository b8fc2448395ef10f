/*
 * I/O error loop. A child registers the fault VFS as SQLite's default (so
 * the library opens its files through it without knowing) and runs a fixed
 * script of the mixed stream of mix.h: create the book, posts, multi-entry
 * transactions (one with a read in the middle, one from a host that commits
 * even after a failure), a reversal, an account, a period, a grant, the
 * name, a close and reopen, more posts. The k-th open, read, write, sync or
 * truncate fails with EIO (SQLITE_IOERR_*, SQLITE_CANTOPEN for an open) or
 * ENOSPC (SQLITE_FULL), once or from then on, for every k the script
 * reaches. The child carries on after each error like a host that logs it,
 * closes the book, and then loses power: every write not synced is dropped.
 * The parent reopens the book with the plain VFS and checks the model of
 * mix.h: integrity, no crash, every failure has a message, every
 * acknowledged commit present, transactions all or nothing (a transaction
 * SQLite rolled back on its own must not let later calls run outside it),
 * trial balance zero, audit chain intact.
 *
 *   io_test [--dense N] [--stride S] [--create-dense N --create-stride S]
 *           [--kinds open,read,write,sync,truncate]
 *           [--errors eio,enospc] [--modes once,persistent] [--k K]
 *           [--cache-pages N] [--seed S] [--sample-seed S] [--dir DIR]
 *           [--verbose]
 *
 * --dense N --stride S: every k up to N, then one k drawn at random in each
 * following window of S values, instead of every k (the default).
 * --create-dense N --create-stride S: the same for the operations that
 * create the book (its schema, every domain's tables, the chart), which are
 * most of a run's operations (e.g. some 750 of 1,400 writes) and the same
 * code in every run; the script's own operations after them are sampled
 * with --dense and --stride counted from the first of them. By default the
 * book's creation is sampled like the rest.
 * --sample-seed S: the draws; by default BO_TEST_SEED or a new seed each
 * run, printed first, so a failed run can be replayed and the runs together
 * reach every k. (--seed is the seed of the entries the script posts.)
 *
 * --cache-pages N gives the library's connections a page cache of N pages
 * (PRAGMA cache_size through an SQLite auto-extension), so that writes
 * spill into the WAL and pages are read back in the middle of
 * transactions: I/O errors then strike inside a transaction, not only at
 * its commit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "faultvfs.h"
#include "mix.h"

static const mix_op script[] = {
    MX_POST, MX_GROUP, MX_REVERSE, MX_ACCOUNT, MX_GROUP, MX_PERIOD, MX_ROLE,
    MX_NAME, MX_GROUP_NAIVE, MX_READ, MX_POST, MX_REOPEN, MX_POST, MX_GROUP,
    MX_REVERSE, MX_GROUP_NAIVE, MX_POST
};

static const char *const kind_name[] = { "open", "read", "write", "sync", "truncate" };

typedef struct run {
    int armed;
    fv_kind kind;
    long k;
    fv_errno err;
    int persistent;
    int cache_pages;
    char counts_path[4200];  /* the counting run writes its counts here */
} run;

static int cache_pages;
/* The counts when the book was created (the child's, for the counting run). */
static long created_counts[FV_NKIND];

static void child_created(void)
{
    for (int i = 0; i < FV_NKIND; i++)
        created_counts[i] = fv_count((fv_kind)i);
}

static int small_cache(sqlite3 *db, const char **err, const void *api)
{
    (void)err;
    (void)api;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=%d", cache_pages);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
    return SQLITE_OK;
}

static void child_setup(void *ud)
{
    run *r = ud;
    if (fv_register() != 0)
        _exit(2);
    fv_real_sync(0); /* durability is modelled: the power loss drops what no sync covered */
    if (r->cache_pages > 0) {
        cache_pages = r->cache_pages;
        sqlite3_auto_extension((void (*)(void))small_cache);
    }
    fv_reset();
    if (r->armed)
        fv_arm(r->kind, r->k, r->err, r->persistent);
}

static void child_end(void *ud)
{
    run *r = ud;
    fv_disarm();
    long injected = fv_injected();
    long counts[FV_NKIND];
    for (int i = 0; i < FV_NKIND; i++)
        counts[i] = fv_count((fv_kind)i);
    if (fv_power_loss(FV_DROP, 1) < 0)
        _exit(3);
    if (r->counts_path[0]) {
        FILE *f = fopen(r->counts_path, "w");
        if (!f)
            _exit(4);
        for (int i = 0; i < FV_NKIND; i++)
            fprintf(f, "%ld %ld\n", counts[i], created_counts[i]);
        fclose(f);
    }
    /* The exit status says whether the fault was injected at all. */
    _exit(injected > 0 ? 10 : 11);
}

typedef struct totals {
    long runs, injected, failures, crashes;
    long acked, failed_calls, refused, broken, lost, unacked_durable;
} totals;

/* One run from an empty store. Returns the model's failures. */
static long one_run(const mix_cfg *base, run *r, totals *t, int verbose)
{
    mix_cfg cfg = *base;
    st_unlink_db(cfg.path);
    fv_forget();
    mix_model *m = mix_model_new(&cfg);
    char what[96];
    if (r->armed)
        snprintf(what, sizeof what, "%s k=%ld %s %s", kind_name[r->kind], r->k,
                 r->err == FV_EIO ? "EIO" : "ENOSPC", r->persistent ? "persistent" : "once");
    else
        snprintf(what, sizeof what, "no fault");
    int status = mix_round(m, &cfg, 0, -1, 0, child_setup, r);
    long extra = 0;
    if (status < 0) {
        extra++;
    } else if (!WIFEXITED(status) || (WEXITSTATUS(status) != 10 && WEXITSTATUS(status) != 11)) {
        fprintf(stderr, "FAIL %s: the child crashed (status %d)\n", what, status);
        t->crashes++;
        extra++;
    } else if (WEXITSTATUS(status) == 10) {
        t->injected++;
    }
    long f = mix_verify(m, what) + extra;
    const mix_stats *s = mix_model_stats(m);
    t->runs++;
    t->failures += f;
    t->acked += s->acked_commits;
    t->failed_calls += s->failed_calls;
    t->refused += s->refused_estate;
    t->broken += s->broken_groups;
    t->lost += s->lost;
    t->unacked_durable += s->unacked_durable;
    if (verbose)
        printf("io: %s: %ld acknowledged, %ld calls failed (%ld refused as failed "
               "transactions)%s\n", what, s->acked_commits, s->failed_calls,
               s->refused_estate, f ? "  FAILED" : "");
    mix_model_free(m);
    return f;
}

/* The k after k: in 1..c (creating the book) one of its samples, else one
 * of the script's, counted from c. */
static long next_k(st_rng *rng, long k, long c, long cdense, long cstride, long dense,
                   long stride)
{
    if (k < c) {
        long next = st_sample_next(rng, k, cdense, cstride);
        if (next <= c)
            return next;
        k = c;
    }
    return c + st_sample_next(rng, k - c, dense, stride);
}

static void usage(void)
{
    fprintf(stderr, "usage: io_test [--dense N] [--stride S]"
                    " [--create-dense N --create-stride S]"
                    " [--kinds open,read,write,sync,truncate]"
                    " [--errors eio,enospc] [--modes once,persistent] [--k K]"
                    " [--cache-pages N] [--seed S] [--sample-seed S] [--dir DIR]"
                    " [--verbose]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long stride = 1, only_k = 0, dense = 0, create_stride = 0, create_dense = -1;
    int verbose = 0, kinds[FV_NKIND] = { 1, 1, 1, 1, 1 }, errs[2] = { 1, 1 }, modes[2] = { 1, 1 };
    uint64_t seed = 20250101;
    const char *dir = st_tmpdir(), *sample_seed = NULL;
    run proto;
    memset(&proto, 0, sizeof proto);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--stride") == 0 && v) {
            stride = atol(v);
            i++;
        } else if (strcmp(a, "--dense") == 0 && v) {
            dense = atol(v);
            i++;
        } else if (strcmp(a, "--create-stride") == 0 && v) {
            create_stride = atol(v);
            i++;
        } else if (strcmp(a, "--create-dense") == 0 && v) {
            create_dense = atol(v);
            i++;
        } else if (strcmp(a, "--kinds") == 0 && v) {
            for (int k = 0; k < FV_NKIND; k++)
                kinds[k] = strstr(v, kind_name[k]) != NULL;
            i++;
        } else if (strcmp(a, "--errors") == 0 && v) {
            errs[FV_EIO] = strstr(v, "eio") != NULL;
            errs[FV_ENOSPC] = strstr(v, "enospc") != NULL;
            i++;
        } else if (strcmp(a, "--modes") == 0 && v) {
            modes[0] = strstr(v, "once") != NULL;
            modes[1] = strstr(v, "persistent") != NULL;
            i++;
        } else if (strcmp(a, "--k") == 0 && v) {
            only_k = atol(v);
            i++;
        } else if (strcmp(a, "--cache-pages") == 0 && v) {
            proto.cache_pages = atoi(v);
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            seed = strtoull(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--sample-seed") == 0 && v) {
            sample_seed = v;
            i++;
        } else if (strcmp(a, "--dir") == 0 && v) {
            dir = v;
            i++;
        } else if (strcmp(a, "--verbose") == 0) {
            verbose = 1;
        } else {
            usage();
        }
    }
    if (stride < 1 || create_stride < 0)
        usage();
    int split = create_stride > 0; /* the book's creation sampled on its own */
    if (create_stride == 0)
        create_stride = stride;
    if (create_dense < 0)
        create_dense = dense;
    uint64_t kseed = st_run_seed("io", "--sample-seed", sample_seed);
    st_rng rng;
    mix_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.path, sizeof cfg.path, "%s/io-%ld.db", dir, (long)getpid());
    cfg.seed = seed;
    cfg.sync = BO_SYNC_FULL;
    cfg.script = script;
    cfg.nscript = (int)(sizeof script / sizeof script[0]);
    cfg.child_end = child_end;
    cfg.child_created = child_created;

    /* Counting run: how many operations of each kind the script does. */
    totals t;
    memset(&t, 0, sizeof t);
    run count = proto;
    snprintf(count.counts_path, sizeof count.counts_path, "%s.counts", cfg.path);
    if (one_run(&cfg, &count, &t, verbose) != 0) {
        fprintf(stderr, "io: the script fails without any fault\n");
        return 1;
    }
    long n[FV_NKIND] = { 0 }, nc[FV_NKIND] = { 0 };
    FILE *f = fopen(count.counts_path, "r");
    for (int i = 0; f && i < FV_NKIND; i++)
        if (fscanf(f, "%ld %ld", &n[i], &nc[i]) != 2)
            n[i] = nc[i] = 0;
    if (f)
        fclose(f);
    remove(count.counts_path);
    printf("io: script of %d operations, cache %s: %ld opens, %ld reads, %ld writes, "
           "%ld syncs, %ld truncates (creating the book: %ld, %ld, %ld, %ld, %ld); ",
           cfg.nscript, proto.cache_pages > 0 ? "small" : "default", n[FV_OPEN], n[FV_READ],
           n[FV_WRITE], n[FV_SYNC], n[FV_TRUNCATE], nc[FV_OPEN], nc[FV_READ], nc[FV_WRITE],
           nc[FV_SYNC], nc[FV_TRUNCATE]);
    if (split)
        printf("creating the book: every k up to %ld, then one in every %ld; after it: "
               "every k up to %ld more, then one in every %ld\n", create_dense, create_stride,
               dense, stride);
    else
        printf("every k up to %ld, then one in every %ld\n", dense, stride);

    double t0 = st_now();
    for (int kind = 0; kind < FV_NKIND; kind++) {
        if (!kinds[kind])
            continue;
        for (int err = FV_EIO; err <= FV_ENOSPC; err++) {
            if ((kind == FV_READ && err == FV_ENOSPC) || !errs[err])
                continue; /* a read cannot run out of space */
            for (int persistent = 0; persistent <= 1; persistent++) {
                if (!modes[persistent])
                    continue;
                totals before = t;
                long tried = 0;
                /* Each kind, error and mode draws from its own stream of
                 * the seed: --kinds/--errors/--modes replay a part alone. */
                st_rng_seed(&rng, kseed ^ st_mix((uint64_t)(kind * 4 + err * 2 + persistent)));
                /* The book's creation is k = 1..c, the script after it
                 * k = c + 1..n[kind], each sampled on its own. */
                long c = split ? nc[kind] : 0;
                for (long k = only_k ? only_k : next_k(&rng, 0, c, create_dense, create_stride,
                                                       dense, stride);
                     k <= (only_k ? only_k : n[kind]);
                     k = only_k ? k + 1 : next_k(&rng, k, c, create_dense, create_stride,
                                                 dense, stride)) {
                    run r = proto;
                    r.armed = 1;
                    r.kind = (fv_kind)kind;
                    r.k = k;
                    r.err = (fv_errno)err;
                    r.persistent = persistent;
                    one_run(&cfg, &r, &t, verbose);
                    tried++;
                }
                printf("io: %-8s %-6s %-10s: %3ld k values, %3ld injected, %4ld calls "
                       "failed, %3ld refused (failed transaction), %4ld acknowledged, "
                       "%ld lost, %ld broken, %ld failures\n", kind_name[kind],
                       err == FV_EIO ? "EIO" : "ENOSPC", persistent ? "persistent" : "once",
                       tried, t.injected - before.injected, t.failed_calls - before.failed_calls,
                       t.refused - before.refused, t.acked - before.acked,
                       t.lost - before.lost, t.broken - before.broken,
                       t.failures - before.failures);
                /* Every k is below the count of its kind, so every run
                 * must have had its fault injected: a run without one
                 * checked nothing. */
                if (t.injected - before.injected != tried) {
                    fprintf(stderr, "io: %s: %ld runs but %ld faults injected\n",
                            kind_name[kind], tried, t.injected - before.injected);
                    t.failures++;
                }
            }
        }
    }
    printf("io: %ld runs, %ld with a fault injected, %ld crashes, %ld acknowledged commits, "
           "%ld lost, %ld broken transactions, %ld unacknowledged but durable, %ld failures, "
           "%.1f s\n", t.runs, t.injected, t.crashes, t.acked, t.lost, t.broken,
           t.unacked_durable, t.failures, st_now() - t0);
    if (t.runs < 2 || t.injected < 1 || t.failed_calls < 1 || t.acked < 1) {
        fprintf(stderr, "io: too little work to show anything: %ld runs, %ld faults "
                "injected, %ld calls failed, %ld acknowledged commits\n", t.runs,
                t.injected, t.failed_calls, t.acked);
        t.failures++;
    }
    if (t.failures == 0)
        st_unlink_db(cfg.path);
    return t.failures == 0 ? 0 : 1;
}
