/*
 * Power-loss simulation: a child writes the mixed stream of mix.h to a
 * SQLite book through the fault VFS, which remembers what each sector held
 * at its last sync. At a random write, sync or truncate (the crash point)
 * the child rewinds the files to what a power failure leaves behind and
 * dies there:
 *   keep    every write reached the disk (a process crash);
 *   drop    no write since the last sync reached it;
 *   tear    a random half of the unsynced 512-byte sectors did, and the
 *           write in progress is torn (a random prefix of it landed);
 *   prefix  the unsynced sectors up to a random point in write order did.
 * The parent reopens the book with the plain "unix" VFS and checks the
 * model of mix.h: integrity, every acknowledged commit present (the default
 * synchronous=FULL promises exactly that), transactions all or nothing,
 * trial balance zero, audit chain intact. Then the next child goes on with
 * the same file.
 *
 * Control (--control): the same with synchronous=NORMAL, which does not
 * sync at commit: dropping unsynced writes must lose acknowledged commits,
 * and the check must see it (else the harness proves nothing).
 *
 *   powerloss_test [--iterations N] [--seed S] [--max-events E] [--dir DIR]
 *                  [--control] [--keep] [--quiet]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "faultvfs.h"
#include "mix.h"

#define CRASHED 77

static const char *const loss_name[] = { "keep", "drop", "tear", "prefix" };

typedef struct crash_plan {
    long at;          /* crash at this write/sync/truncate */
    fv_loss loss;
    uint64_t seed;
} crash_plan;

static void crash_now(void *ud)
{
    const crash_plan *p = ud;
    long d = fv_power_loss(p->loss, p->seed);
    if (getenv("FV_DEBUG"))
        fprintf(stderr, "dropped %ld sectors\n", d);
    if (d < 0)
        _exit(3);
    _exit(CRASHED);
}

static void child_setup(void *ud)
{
    crash_plan *p = ud;
    if (fv_register() != 0)
        _exit(2);
    fv_real_sync(0); /* durability is modelled; the real fsync adds nothing */
    fv_reset();
    fv_crash_at(p->at, p->loss == FV_TEAR, crash_now, p);
}

static void usage(void)
{
    fprintf(stderr, "usage: powerloss_test [--iterations N] [--seed S] [--max-events E]"
                    " [--dir DIR] [--control] [--keep] [--quiet]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int iterations = 200, keep = 0, quiet = 0, control = 0;
    long max_events = 400;
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
        } else if (strcmp(a, "--max-events") == 0 && v) {
            max_events = atol(v);
            i++;
        } else if (strcmp(a, "--dir") == 0 && v) {
            dir = v;
            i++;
        } else if (strcmp(a, "--control") == 0) {
            control = 1;
        } else if (strcmp(a, "--keep") == 0) {
            keep = 1;
        } else if (strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else {
            usage();
        }
    }
    if (iterations < 1 || max_events < 1)
        usage();
    mix_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.path, sizeof cfg.path, "%s/powerloss-%ld.db", dir, (long)getpid());
    cfg.seed = seed;
    cfg.sync = control ? BO_SYNC_NORMAL : BO_SYNC_FULL;
    cfg.replays = 2;
    st_unlink_db(cfg.path);
    printf("powerloss: seed %" PRIu64 " (rerun with --seed %" PRIu64 "), %d crashes at "
           "one of the first %ld writes/syncs, synchronous=%s, book %s\n", seed, seed,
           iterations, max_events, control ? "NORMAL (control)" : "FULL", cfg.path);

    mix_model *m = mix_model_new(&cfg);
    mix_model_quiet(m, control);
    st_rng r;
    st_rng_seed(&r, seed);
    long crashes = 0, bad_exits = 0, by_loss[4] = { 0 };
    double t0 = st_now();
    int it;
    for (it = 1; it <= iterations; it++) {
        crash_plan p;
        p.at = 1 + (long)st_rng_below(&r, (uint64_t)max_events);
        p.loss = control ? FV_DROP : (fv_loss)(it % 4);
        p.seed = st_rng_next(&r);
        int status = mix_round(m, &cfg, it, -1, 0, child_setup, &p);
        if (status < 0)
            return 1;
        if (WIFEXITED(status) && WEXITSTATUS(status) == CRASHED) {
            crashes++;
            by_loss[p.loss]++;
        } else {
            fprintf(stderr, "FAIL crash %d: the child did not reach its crash point "
                    "(status %d)\n", it, status);
            bad_exits++;
        }
        char what[48];
        snprintf(what, sizeof what, "crash %d (%s at event %ld)", it, loss_name[p.loss], p.at);
        long f = mix_verify(m, what);
        const mix_stats *s = mix_model_stats(m);
        if (!quiet)
            printf("crash %d: %s at event %ld, %ld acknowledged commits so far, %ld entries "
                   "in book%s\n", it, loss_name[p.loss], p.at, s->acked_commits,
                   s->entries_found, f ? "  FAILED" : "");
        if (control && s->lost > 0)
            break;
    }
    const mix_stats *s = mix_model_stats(m);
    int ok;
    if (control) {
        ok = s->lost > 0 && bad_exits == 0;
        printf("powerloss control: synchronous=NORMAL lost %ld acknowledged commit(s) "
               "after %ld drop crash(es): %s\n", s->lost, crashes,
               ok ? "the check sees unsynced commits vanish" : "NOT DETECTED");
    } else {
        long failures = s->failures + bad_exits;
        /* Crashes of every kind happened and commits were acknowledged
         * before them: otherwise nothing was shown. */
        if (crashes < 1 || s->acked_commits < crashes / 4 + 1 || s->groups_checked < 1) {
            printf("powerloss: too little work to show anything: %ld crashes, %ld "
                   "acknowledged commits, %ld transactions checked\n", crashes,
                   s->acked_commits, s->groups_checked);
            failures++;
        }
        ok = failures == 0;
        printf("powerloss: %ld crashes (%ld keep, %ld drop, %ld tear, %ld prefix), %ld "
               "acknowledged commits, %ld lost, %ld unbalanced\n", crashes, by_loss[FV_KEEP],
               by_loss[FV_DROP], by_loss[FV_TEAR], by_loss[FV_PREFIX], s->acked_commits,
               s->lost, s->unbalanced);
        printf("powerloss: %ld transactions checked all-or-nothing, %ld broken, %ld "
               "entries in the book, %ld failures, %.1f s\n", s->groups_checked,
               s->broken_groups, s->entries_found, failures, st_now() - t0);
    }
    if (!keep && ok)
        st_unlink_db(cfg.path);
    mix_model_free(m);
    return ok ? 0 : 1;
}
