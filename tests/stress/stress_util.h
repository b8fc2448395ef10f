/* Helpers shared by the stress programs: a seeded generator, the chart they
 * post to, deterministic entries, an int64 hash map and cursor sums.
 * Only the public API of libbackoffice is used. */
#ifndef BO_STRESS_UTIL_H
#define BO_STRESS_UTIL_H

#include <stdint.h>
#include <stddef.h>

#include "backoffice.h"

/* ---- random numbers: splitmix64, seeded, reproducible ------------------ */
uint64_t st_mix(uint64_t x);
typedef struct st_rng { uint64_t s; } st_rng;
void st_rng_seed(st_rng *r, uint64_t seed);
uint64_t st_rng_next(st_rng *r);
/* Uniform in [0, n) (n > 0). */
uint64_t st_rng_below(st_rng *r, uint64_t n);

/* ---- sampled fault points ----------------------------------------------- */
/* The seed of a sampled run: @p arg when given (the value of option
 * @p opt), else BO_TEST_SEED from the environment, else one that changes
 * every run (time and process id). Printed as "<prog>: seed N (replay: <opt>
 * N)" so that a failure can be run again exactly. */
uint64_t st_run_seed(const char *prog, const char *opt, const char *arg);
/* The k after @p k (start with 0) of a sampled sweep: every k up to
 * @p dense, then one k drawn with @p r in each following window of
 * @p stride values (dense+1..dense+stride, the next stride, ...). With a
 * stride of 1 every k; over runs with different seeds every k is reached,
 * and every region of the k range is tried in each run. */
long st_sample_next(st_rng *r, long k, long dense, long stride);

/* ---- the chart ---------------------------------------------------------- */
typedef struct st_account {
    const char *code, *name;
    int type;
    const char *parent, *currency;
} st_account;

extern const st_account st_chart[];
extern const size_t st_chart_len;
/* Index of @p code in st_chart, or -1. */
int st_chart_index(const char *code);
/* Add every account of st_chart that is missing (BO_EEXISTS is fine, so a
 * half-made chart left by a killed process is completed). 0 or an error. */
int st_chart_ensure(bo_book *book);

/* ---- deterministic entries ---------------------------------------------- */
typedef struct st_posting {
    int account;          /* index into st_chart */
    int64_t amount;
} st_posting;

typedef struct st_entry {
    int n;                /* 2..4 postings */
    st_posting p[4];
    bo_date date;
} st_entry;

/* Entry number @p n of the stream seeded with @p seed: 2-4 postings,
 * amounts 1..1,000,000 minor units, balanced per currency (some in EUR,
 * some mixing USD and EUR), dated in 2025. Same inputs, same entry. */
void st_entry_gen(uint64_t seed, uint64_t n, st_entry *e);
/* Build a bo_entry for @p e with key @p key (may be NULL). 0 or an error. */
int st_entry_build(const st_entry *e, const char *key, bo_entry **out);

/* ---- int64 -> int64 hash map (open addressing, grows) ------------------- */
typedef struct st_map {
    int64_t *keys, *vals;
    unsigned char *used;
    size_t cap, len;
} st_map;
void st_map_init(st_map *m);
void st_map_free(st_map *m);
/* Set m[k] = v. */
void st_map_put(st_map *m, int64_t k, int64_t v);
/* 1 and *v = m[k] when present, else 0. v may be NULL. */
int st_map_get(const st_map *m, int64_t k, int64_t *v);

/* ---- misc --------------------------------------------------------------- */
/* Monotonic clock in seconds. */
double st_now(void);
/* Column index of @p name in @p c, aborting the program when missing. */
int st_col(const bo_cursor *c, const char *name);
/* Print "what: rc (name): message" to stderr. */
void st_report(const char *what, int rc);
/* The scratch folder: BO_TEST_TMPDIR, TMPDIR or /tmp. */
const char *st_tmpdir(void);
/* Remove PATH, PATH-wal, PATH-shm, PATH-journal. */
void st_unlink_db(const char *path);

#endif
