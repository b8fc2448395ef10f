/*
 * Crash loop over a mixed stream: a child writes single entries,
 * multi-entry transactions (some with a read in the middle, some from a
 * host that commits after a failure), reversals, accounts and their
 * closing, periods and their closing, roles and grants and the book's name
 * to a SQLite book (synchronous FULL), reporting every acknowledgement
 * through a pipe; the parent kills it with SIGKILL at a random moment,
 * reopens the book and checks the model of mix.h: integrity, nothing
 * acknowledged lost, transactions all or nothing, trial balance zero,
 * audit chain intact. The next child retries the keys that were in flight
 * and replays acknowledged ones.
 *
 *   crash_mix [--iterations N] [--seed S] [--max-delay-ms MS] [--dir DIR]
 *             [--keep] [--quiet]
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mix.h"

static void usage(void)
{
    fprintf(stderr, "usage: crash_mix [--iterations N] [--seed S] [--max-delay-ms MS]"
                    " [--dir DIR] [--keep] [--quiet]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int iterations = 100, max_delay_us = 30000, keep = 0, quiet = 0;
    uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
    const char *dir = st_tmpdir();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--iterations") == 0 && v) {
            iterations = atoi(v);
            i++;
        } else if (strcmp(a, "--seed") == 0 && v) {
            seed = strtoull(v, NULL, 0);
            i++;
        } else if (strcmp(a, "--max-delay-ms") == 0 && v) {
            max_delay_us = atoi(v) * 1000;
            i++;
        } else if (strcmp(a, "--dir") == 0 && v) {
            dir = v;
            i++;
        } else if (strcmp(a, "--keep") == 0) {
            keep = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else {
            usage();
        }
    }
    if (iterations < 1 || max_delay_us < 0)
        usage();
    mix_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.path, sizeof cfg.path, "%s/crash-mix-%ld.db", dir, (long)getpid());
    cfg.seed = seed;
    cfg.sync = BO_SYNC_FULL;
    cfg.replays = 2;
    st_unlink_db(cfg.path);
    printf("crash_mix: seed %" PRIu64 " (rerun with --seed %" PRIu64 "), %d kills, "
           "delay 0-%d ms, book %s\n", seed, seed, iterations, max_delay_us / 1000, cfg.path);

    mix_model *m = mix_model_new(&cfg);
    st_rng r;
    st_rng_seed(&r, seed);
    long bad_exits = 0, kills = 0;
    double t0 = st_now();
    for (int it = 1; it <= iterations; it++) {
        /* One kill in four lands during open and recovery. */
        int from_fork = it % 4 == 0;
        long delay = (long)st_rng_below(&r, (uint64_t)max_delay_us + 1);
        int status = mix_round(m, &cfg, it, delay, from_fork, NULL, NULL);
        if (status < 0)
            return 1;
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            fprintf(stderr, "FAIL kill %d: the child ended by itself (status %d)\n", it, status);
            bad_exits++;
        } else {
            kills++;
        }
        char what[32];
        snprintf(what, sizeof what, "kill %d", it);
        long f = mix_verify(m, what);
        const mix_stats *s = mix_model_stats(m);
        if (!quiet)
            printf("kill %d: %s + %.3f ms, %ld acknowledged commits so far, %ld entries "
                   "in book%s\n", it, from_fork ? "fork" : "open", delay / 1000.0,
                   s->acked_commits, s->entries_found, f ? "  FAILED" : "");
    }
    const mix_stats *s = mix_model_stats(m);
    long failures = s->failures + bad_exits;
    printf("crash_mix: %ld kills, %ld acknowledged commits (%ld entries, %ld transactions, "
           "%ld reversals, %ld accounts, %ld periods, %ld grants, %ld names), %ld lost, "
           "%ld unbalanced\n", kills, s->acked_commits, s->acked_entries,
           s->op_acked[MX_GROUP], s->op_acked[MX_REVERSE],
           s->op_acked[MX_ACCOUNT], s->op_acked[MX_PERIOD], s->op_acked[MX_ROLE],
           s->op_acked[MX_NAME], s->lost, s->unbalanced);
    printf("crash_mix: %ld transactions checked all-or-nothing, %ld broken, %ld replays "
           "returned the original id, %ld entries in the book, %ld failures, %.1f s\n",
           s->groups_checked, s->broken_groups, s->replays, s->entries_found, failures,
           st_now() - t0);
    /* A run without commits or checked transactions proved nothing. */
    if (s->acked_commits < kills / 4 + 1 || s->groups_checked < 1) {
        printf("crash_mix: too little work to show anything: %ld acknowledged commits "
               "(at least %ld), %ld transactions checked\n", s->acked_commits, kills / 4 + 1,
               s->groups_checked);
        failures++;
    }
    if (!keep && failures == 0)
        st_unlink_db(cfg.path);
    mix_model_free(m);
    return failures == 0 ? 0 : 1;
}
