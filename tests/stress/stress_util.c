#include "stress_util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

uint64_t st_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

void st_rng_seed(st_rng *r, uint64_t seed)
{
    r->s = st_mix(seed);
}

uint64_t st_rng_next(st_rng *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return st_mix(r->s);
}

uint64_t st_rng_below(st_rng *r, uint64_t n)
{
    return st_rng_next(r) % n;
}

uint64_t st_run_seed(const char *prog, const char *opt, const char *arg)
{
    const char *env = getenv("BO_TEST_SEED");
    uint64_t seed;
    if (arg && *arg)
        seed = strtoull(arg, NULL, 0);
    else if (env && *env)
        seed = strtoull(env, NULL, 0);
    else
        seed = st_mix((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32)) % 1000000000u;
    printf("%s: seed %" PRIu64 " (replay: %s %" PRIu64 ")\n", prog, seed, opt, seed);
    fflush(stdout);
    return seed;
}

long st_sample_next(st_rng *r, long k, long dense, long stride)
{
    if (stride <= 1 || k < dense)
        return k + 1;
    long w = k <= dense ? 0 : (k - dense - 1) / stride + 1; /* the next window */
    return dense + 1 + w * stride + (long)st_rng_below(r, (uint64_t)stride);
}

const st_account st_chart[] = {
    {"1000", "Cash", BO_ACCOUNT_ASSET, NULL, "USD"},
    {"1100", "Bank", BO_ACCOUNT_ASSET, NULL, "USD"},
    {"1200", "Bank (EUR)", BO_ACCOUNT_ASSET, NULL, "EUR"},
    {"2000", "Payables", BO_ACCOUNT_LIABILITY, NULL, "USD"},
    {"3000", "Equity", BO_ACCOUNT_EQUITY, NULL, "USD"},
    {"4000", "Sales", BO_ACCOUNT_INCOME, NULL, "USD"},
    {"4010", "Sales: online", BO_ACCOUNT_INCOME, "4000", "USD"},
    {"5000", "Expenses", BO_ACCOUNT_EXPENSE, NULL, "USD"},
    {"5100", "Expenses (EUR)", BO_ACCOUNT_EXPENSE, NULL, "EUR"},
};
const size_t st_chart_len = sizeof st_chart / sizeof st_chart[0];

/* Indices into st_chart by currency, for the generator. */
static const int usd_accounts[] = {0, 1, 3, 4, 5, 6, 7};
static const int eur_accounts[] = {2, 8};
#define N_USD ((int)(sizeof usd_accounts / sizeof usd_accounts[0]))
#define N_EUR ((int)(sizeof eur_accounts / sizeof eur_accounts[0]))

int st_chart_index(const char *code)
{
    for (size_t i = 0; i < st_chart_len; i++)
        if (strcmp(st_chart[i].code, code) == 0)
            return (int)i;
    return -1;
}

int st_chart_ensure(bo_book *book)
{
    for (size_t i = 0; i < st_chart_len; i++) {
        const st_account *a = &st_chart[i];
        int rc = bo_ledger_account_add(book, a->code, a->name, a->type,
                                       a->parent, a->currency);
        if (rc != 0 && rc != BO_EEXISTS)
            return rc;
    }
    return 0;
}

static int64_t amount(st_rng *r)
{
    return 1 + (int64_t)st_rng_below(r, 1000000);
}

void st_entry_gen(uint64_t seed, uint64_t n, st_entry *e)
{
    st_rng r;
    st_rng_seed(&r, seed ^ st_mix(n + 1));
    memset(e, 0, sizeof *e);
    bo_date jan1;
    bo_date_from_ymd(2025, 1, 1, &jan1);
    e->date = jan1 + (bo_date)st_rng_below(&r, 365);
    unsigned kind = (unsigned)st_rng_below(&r, 10);
    if (kind == 0) {
        /* USD and EUR in one entry: each currency balances on its own. */
        int64_t a = amount(&r), b = amount(&r);
        e->n = 4;
        e->p[0] = (st_posting){usd_accounts[st_rng_below(&r, N_USD)], a};
        e->p[1] = (st_posting){eur_accounts[st_rng_below(&r, N_EUR)], b};
        e->p[2] = (st_posting){usd_accounts[st_rng_below(&r, N_USD)], -a};
        e->p[3] = (st_posting){eur_accounts[st_rng_below(&r, N_EUR)], -b};
        return;
    }
    const int *pool = kind == 1 ? eur_accounts : usd_accounts;
    int pool_n = kind == 1 ? N_EUR : N_USD;
    e->n = kind == 1 ? 2 : 2 + (int)st_rng_below(&r, 3);
    int64_t sum = 0;
    for (int i = 0; i < e->n - 1; i++) {
        int64_t v = amount(&r);
        if (st_rng_below(&r, 2))
            v = -v;
        e->p[i] = (st_posting){pool[st_rng_below(&r, (uint64_t)pool_n)], v};
        sum += v;
    }
    if (sum == 0) {
        /* The closing posting may not be zero: nudge the first one. */
        e->p[0].amount += e->p[0].amount > 0 ? 1 : -1;
        sum += e->p[0].amount > 0 ? 1 : -1;
    }
    e->p[e->n - 1] = (st_posting){pool[st_rng_below(&r, (uint64_t)pool_n)], -sum};
}

int st_entry_build(const st_entry *e, const char *key, bo_entry **out)
{
    bo_entry *b = NULL;
    int rc = bo_entry_new(&b, e->date, "stress");
    if (rc == 0 && key)
        rc = bo_entry_set_key(b, key);
    for (int i = 0; rc == 0 && i < e->n; i++) {
        const st_account *a = &st_chart[e->p[i].account];
        rc = bo_entry_add(b, a->code, e->p[i].amount, a->currency, NULL);
    }
    if (rc != 0) {
        bo_entry_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

/* ---- hash map ------------------------------------------------------------ */

void st_map_init(st_map *m)
{
    memset(m, 0, sizeof *m);
}

void st_map_free(st_map *m)
{
    free(m->keys);
    free(m->vals);
    free(m->used);
    memset(m, 0, sizeof *m);
}

static size_t slot(const st_map *m, int64_t k)
{
    size_t i = (size_t)st_mix((uint64_t)k) & (m->cap - 1);
    while (m->used[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void grow(st_map *m)
{
    st_map bigger;
    bigger.cap = m->cap ? m->cap * 2 : 64;
    bigger.len = 0;
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    bigger.used = calloc(bigger.cap, 1);
    if (!bigger.keys || !bigger.vals || !bigger.used) {
        fprintf(stderr, "out of memory\n");
        exit(99);
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->used[i])
            st_map_put(&bigger, m->keys[i], m->vals[i]);
    st_map_free(m);
    *m = bigger;
}

void st_map_put(st_map *m, int64_t k, int64_t v)
{
    if ((m->len + 1) * 2 > m->cap)
        grow(m);
    size_t i = slot(m, k);
    if (!m->used[i]) {
        m->used[i] = 1;
        m->keys[i] = k;
        m->len++;
    }
    m->vals[i] = v;
}

int st_map_get(const st_map *m, int64_t k, int64_t *v)
{
    if (m->cap == 0)
        return 0;
    size_t i = slot(m, k);
    if (!m->used[i])
        return 0;
    if (v)
        *v = m->vals[i];
    return 1;
}

/* ---- misc ------------------------------------------------------------------ */

double st_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int st_col(const bo_cursor *c, const char *name)
{
    int i = bo_cursor_column_index(c, name);
    if (i < 0) {
        fprintf(stderr, "cursor has no column '%s'\n", name);
        exit(98);
    }
    return i;
}

void st_report(const char *what, int rc)
{
    fprintf(stderr, "%s: %d (%s): %s\n", what, rc, bo_error_name(rc),
            bo_error_message());
}

const char *st_tmpdir(void)
{
    const char *d = getenv("BO_TEST_TMPDIR");
    if (!d || !*d)
        d = getenv("TMPDIR");
    return d && *d ? d : "/tmp";
}

void st_unlink_db(const char *path)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
    char buf[4200];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s", path, sfx[i]);
        unlink(buf);
    }
}
