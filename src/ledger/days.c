/*
 * The shifts of later day totals that a write transaction holds back
 * (docs/architecture.md, "Day totals"). A back-dated entry moves the total
 * of every later day of its accounts; written at once, a batch of N such
 * entries rewrites the same rows N times (on PostgreSQL each time a new row
 * version that the rest of the transaction walks). Instead each (lane,
 * account, currency) keeps its pending shifts as points (date, amount):
 * the total stored in a row dated r is its true total less the sum of the
 * amounts of the points dated before r. Every reader of the day totals
 * adds that sum and never writes: the posting path and bo_ledger_balance
 * and the full verification fold it in (bo__shifts_before,
 * bo__ledger_days_fold), the reports and the year-end close read the
 * postings while any point is held (bo__ledger_days_held). Only the flush
 * moves the rows, each later row once, by its whole sum: one UPDATE per
 * stretch between two points. It runs before a savepoint opens and before
 * the outermost commit (the domain cache's flush hook), where a failure
 * fails the whole transaction, so the points of a level that rolls back
 * are the only ones a rollback drops (src/ledger/cache.c).
 */
#include "ledger/ledger.h"

#include <inttypes.h>
#include <string.h>

struct bo__shift_group {
    int lane;
    int64_t account;
    char currency[BO_CURRENCY_MAX + 1];
    struct { char date[11]; int64_t amount; } *pts; /* by date, one a date */
    int n, cap;
    int64_t neg, pos; /* the sums of the negative and of the positive amounts */
    /* The group's rows as stored, read once a batch (bo__dayrows_load):
     * every row dated from on ("" = all of them), kept in step with the
     * posting path's writes, dropped when any stored total moves otherwise
     * (a flush, a shift made at once) and at the end of the level. */
    struct { char date[11]; int64_t total; } *rows; /* by date */
    int nrows, loaded;
    size_t rcap;
    char from[11];
};

struct bo__shifts {
    bo__shift_group *g;
    int n, cap;
    int *slot;   /* open addressing: index + 1 into g, 0 = free */
    int nslots;  /* a power of two, at least twice n */
};

static const char SQL_ROWS_BEFORE[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " AND date <= ? ORDER BY date DESC LIMIT 1";
static const char SQL_LANE_ROWS_BEFORE[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? AND date <= ? ORDER BY date DESC LIMIT 1";
static const char SQL_ROWS_FROM[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " AND date >= ? ORDER BY date";
static const char SQL_LANE_ROWS_FROM[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? AND date >= ? ORDER BY date";
/* Rows below those already read (a batch that goes back further). */
static const char SQL_ROWS_SPAN[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " AND date >= ? AND date < ? ORDER BY date";
static const char SQL_LANE_ROWS_SPAN[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? AND date >= ? AND date < ? ORDER BY date";
static const char SQL_SHIFT_SPAN[] =
    "UPDATE account_days SET total = total + ?"
    " WHERE account_id = ? AND currency = ? AND date > ? AND date <= ?";
static const char SQL_LANE_SHIFT_SPAN[] =
    "UPDATE account_lane_days SET total = total + ?"
    " WHERE lane = ? AND account_id = ? AND currency = ? AND date > ? AND date <= ?";

/* PostgreSQL: every held-back stretch of every group in one statement, the
 * stretches as arrays joined to the rows by their range (an index range
 * scan per stretch; a generic plan keeps it, docs/performance.md). The
 * stretches of a group do not overlap: each row moves once, by its sum. */
#define SHIFT_SET_FROM(arrays, cols)                                                      \
    " FROM unnest(" arrays "?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[])"  \
    " AS v(" cols "account_id, currency, lo, hi, amount)"                                 \
    " WHERE d.account_id = v.account_id AND d.currency = v.currency COLLATE \"C\""      \
    " AND d.date > v.lo COLLATE \"C\" AND d.date <= v.hi COLLATE \"C\""
static const char SQL_SHIFT_SET[] =
    "UPDATE account_days AS d SET total = d.total + v.amount" SHIFT_SET_FROM("", "");
static const char SQL_LANE_SHIFT_SET[] =
    "UPDATE account_lane_days AS d SET total = d.total + v.amount"
    SHIFT_SET_FROM("?::int[], ", "lane, ") " AND d.lane = v.lane";

void bo__arr_int(bo__buf *a, int64_t v)
{
    bo__buf_puts(a, a->len ? "," : "{");
    bo__buf_printf(a, "%" PRId64, v);
}

void bo__arr_text(bo__buf *a, const char *t)
{
    bo__buf_puts(a, a->len ? ",\"" : "{\"");
    for (const char *p = t; *p; p++) {
        const char *q = p;
        while (*q && *q != '"' && *q != '\\')
            q++;
        bo__buf_put(a, p, (size_t)(q - p));
        if (!*q)
            break;
        bo__buf_put(a, "\\", 1);
        bo__buf_put(a, q, 1);
        p = q;
    }
    bo__buf_puts(a, "\"");
}

const char *bo__arr_end(bo__buf *a)
{
    bo__buf_puts(a, a->len ? "}" : "{}");
    return a->failed ? NULL : a->ptr;
}

int bo__arr_run(bo_book *b, const char *sql, bo__buf *a, int from, int n)
{
    bo__stmt *s = NULL;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (!rc)
        bo__stmt_borrow(s); /* the arrays outlive bo__stmt_done */
    for (int k = from; k < n && !rc; k++) {
        const char *v = bo__arr_end(&a[k]);
        rc = v ? bo__stmt_text(s, k - from + 1, v) : BO_ENOMEM;
    }
    if (!rc)
        rc = bo__stmt_run(s);
    if (s)
        bo__stmt_done(s);
    for (int k = 0; k < n; k++)
        bo__buf_free(&a[k]);
    return rc;
}

int bo__ledger_set_wise(const bo__store *st)
{
    return bo__store_draws_ids(st);
}

static size_t hash_key(int lane, int64_t account, const char *currency)
{
    uint64_t h = bo__hash_bytes(currency, strlen(currency), 0);
    h ^= (uint64_t)account * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)lane * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

static int same_key(const bo__shift_group *g, int lane, int64_t account, const char *currency)
{
    return g->lane == lane && g->account == account && strcmp(g->currency, currency) == 0;
}

bo__shift_group *bo__shifts_find(bo__shifts *s, int lane, int64_t account,
                                 const char *currency)
{
    if (!s || s->n == 0)
        return NULL;
    size_t mask = (size_t)s->nslots - 1, i = hash_key(lane, account, currency) & mask;
    for (; s->slot[i]; i = (i + 1) & mask)
        if (same_key(&s->g[s->slot[i] - 1], lane, account, currency))
            return &s->g[s->slot[i] - 1];
    return NULL;
}

static int rehash(bo__shifts *s, int nslots)
{
    int *slot = bo__calloc((size_t)nslots, sizeof *slot);
    if (!slot)
        return BO_ENOMEM;
    size_t mask = (size_t)nslots - 1;
    for (int k = 0; k < s->n; k++) {
        const bo__shift_group *g = &s->g[k];
        size_t i = hash_key(g->lane, g->account, g->currency) & mask;
        while (slot[i])
            i = (i + 1) & mask;
        slot[i] = k + 1;
    }
    bo__free(s->slot);
    s->slot = slot;
    s->nslots = nslots;
    return 0;
}

static bo__shift_group *group_add(bo__shifts *s, int lane, int64_t account,
                                  const char *currency)
{
    bo__shift_group *g = bo__shifts_find(s, lane, account, currency);
    if (g)
        return g;
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 16;
        bo__shift_group *n = bo__realloc(s->g, (size_t)cap * sizeof *n);
        if (!n)
            return NULL;
        s->g = n;
        s->cap = cap;
    }
    if (2 * (s->n + 1) > s->nslots && rehash(s, s->nslots ? s->nslots * 2 : 64))
        return NULL;
    g = &s->g[s->n];
    memset(g, 0, sizeof *g);
    g->lane = lane;
    g->account = account;
    strcpy(g->currency, currency);
    size_t mask = (size_t)s->nslots - 1, i = hash_key(lane, account, currency) & mask;
    while (s->slot[i])
        i = (i + 1) & mask;
    s->slot[i] = ++s->n;
    return g;
}

int bo__shifts_before(const bo__shift_group *g, const char *date, int64_t *sum)
{
    *sum = 0;
    if (!g)
        return 0;
    for (int k = 0; k < g->n && strcmp(g->pts[k].date, date) < 0; k++)
        if (bo_money_add(*sum, g->pts[k].amount, sum))
            return BO_EOVERFLOW;
    return 0;
}

int bo__shifts_bounds(const bo__shift_group *g, int64_t *neg, int64_t *pos)
{
    *neg = g ? g->neg : 0;
    *pos = g ? g->pos : 0;
    return g && g->n > 0;
}

int bo__shifts_add(bo__shifts *s, int lane, int64_t account, const char *currency,
                   const char *date, int64_t amount)
{
    bo__shift_group *g = group_add(s, lane, account, currency);
    if (!g)
        return BO_ENOMEM;
    int k = 0;
    while (k < g->n && strcmp(g->pts[k].date, date) < 0)
        k++;
    int at = k < g->n && strcmp(g->pts[k].date, date) == 0;
    int64_t merged = amount, neg = g->neg, pos = g->pos;
    if ((at && bo_money_add(g->pts[k].amount, amount, &merged)) ||
        bo_money_add(amount < 0 ? neg : pos, amount, amount < 0 ? &neg : &pos))
        return BO_EOVERFLOW; /* the caller shifts now instead */
    if (!at) {
        if (g->n == g->cap) {
            int cap = g->cap ? g->cap * 2 : 8;
            void *n = bo__realloc(g->pts, (size_t)cap * sizeof *g->pts);
            if (!n)
                return BO_ENOMEM;
            g->pts = n;
            g->cap = cap;
        }
        memmove(&g->pts[k + 1], &g->pts[k], (size_t)(g->n - k) * sizeof *g->pts);
        memcpy(g->pts[k].date, date, 11);
        g->n++;
    }
    g->pts[k].amount = merged;
    g->neg = neg;
    g->pos = pos;
    return 0;
}

/* Move every row after the group's first point by the sum of the points
 * before it: one UPDATE per stretch (point k, point k + 1]. */
static int flush_group(bo_book *b, bo__shift_group *g)
{
    int64_t sum = 0;
    int rc = 0;
    for (int k = 0; k < g->n && !rc; k++) {
        if (bo_money_add(sum, g->pts[k].amount, &sum))
            return bo__error_set(BO_EOVERFLOW, "day totals: the shift of later days "
                                 "overflows");
        if (sum == 0)
            continue;
        const char *upto = k + 1 < g->n ? g->pts[k + 1].date : "9999-99-99";
        rc = g->lane > 0
           ? bo__store_run(b->store, SQL_LANE_SHIFT_SPAN, "iiittt", sum, (int64_t)g->lane,
                           g->account, g->currency, g->pts[k].date, upto)
           : bo__store_run(b->store, SQL_SHIFT_SPAN, "iittt", sum, g->account, g->currency,
                           g->pts[k].date, upto);
    }
    if (!rc) {
        g->n = 0;
        g->neg = g->pos = 0;
    }
    bo__dayrows_drop(g); /* the stored totals moved (or may have) */
    return rc;
}

int bo__shifts_flush_group(bo_book *b, bo__shift_group *g)
{
    return g && g->n ? flush_group(b, g) : 0;
}

/* The stretches of the groups on lanes (lanes) or of account_days in one
 * UPDATE; BO_EOVERFLOW when a group's running sum would not fit. */
static int flush_set(bo_book *b, bo__shifts *s, int lanes)
{
    bo__buf a[6] = { BO__BUF_INIT, BO__BUF_INIT, BO__BUF_INIT,
                     BO__BUF_INIT, BO__BUF_INIT, BO__BUF_INIT };
    int rows = 0, rc = 0;
    for (int i = 0; i < s->n && !rc; i++) {
        const bo__shift_group *g = &s->g[i];
        int64_t sum = 0;
        if ((g->lane > 0) != lanes)
            continue;
        for (int k = 0; k < g->n; k++) {
            if (bo_money_add(sum, g->pts[k].amount, &sum)) {
                rc = bo__error_set(BO_EOVERFLOW, "day totals: the shift of later days "
                                   "overflows");
                break;
            }
            if (sum == 0)
                continue;
            if (lanes)
                bo__arr_int(&a[0], g->lane);
            bo__arr_int(&a[1], g->account);
            bo__arr_text(&a[2], g->currency);
            bo__arr_text(&a[3], g->pts[k].date);
            bo__arr_text(&a[4], k + 1 < g->n ? g->pts[k + 1].date : "9999-99-99");
            bo__arr_int(&a[5], sum);
            rows++;
        }
    }
    if (!rc && rows)
        return bo__arr_run(b, lanes ? SQL_LANE_SHIFT_SET : SQL_SHIFT_SET, a, !lanes, 6);
    for (int k = 0; k < 6; k++)
        bo__buf_free(&a[k]);
    return rc;
}

int bo__shifts_flush(bo_book *b, bo__shifts *s)
{
    if (!s || s->n == 0)
        return 0;
    if (bo__ledger_set_wise(b->store)) {
        int rc = flush_set(b, s, 0);
        if (!rc)
            rc = flush_set(b, s, 1);
        for (int k = 0; k < s->n; k++)
            bo__dayrows_drop(&s->g[k]); /* the stored totals moved (or may have) */
        if (rc)
            return rc;
        bo__shifts_clear(s);
        return 0;
    }
    for (int k = 0; k < s->n; k++) {
        int rc = bo__shifts_flush_group(b, &s->g[k]);
        if (rc)
            return rc;
    }
    bo__shifts_clear(s);
    return 0;
}

int bo__shifts_pending(const bo__shifts *s)
{
    /* A group may hold rows read (bo__dayrows_load) and no point. */
    for (int k = 0; s && k < s->n; k++)
        if (s->g[k].n > 0)
            return 1;
    return 0;
}

void bo__shifts_clear(bo__shifts *s)
{
    if (!s)
        return;
    for (int k = 0; k < s->n; k++) {
        bo__free(s->g[k].pts);
        bo__free(s->g[k].rows);
    }
    s->n = 0;
    if (s->slot)
        memset(s->slot, 0, (size_t)s->nslots * sizeof *s->slot);
}

void bo__shifts_free(bo__shifts *s)
{
    if (!s)
        return;
    bo__shifts_clear(s);
    bo__free(s->g);
    bo__free(s->slot);
    bo__free(s);
}

bo__shift_group *bo__shifts_group(bo__shifts *s, int lane, int64_t account,
                                  const char *currency)
{
    return s ? group_add(s, lane, account, currency) : NULL;
}

/* The day rows of a group, read once a batch. A batch back-dating many
 * entries into one account read, per entry, the row at or before the date
 * and the range of the later rows: on PostgreSQL two round trips, and the
 * range walked every later row with the row versions this transaction had
 * left behind, so each read cost more as the batch grew. */

int bo__dayrows_covers(const bo__shift_group *g, const char *date)
{
    return g && g->loaded && strcmp(g->from, date) <= 0;
}

void bo__dayrows_drop(bo__shift_group *g)
{
    if (g) {
        g->nrows = 0;
        g->loaded = 0;
    }
}

/* The index of the first row dated after date. */
static int rows_after(const bo__shift_group *g, const char *date)
{
    int lo = 0, hi = g->nrows;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(g->rows[mid].date, date) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int rows_put(bo__shift_group *g, const char *date, int64_t total)
{
    int k = rows_after(g, date);
    if (k > 0 && strcmp(g->rows[k - 1].date, date) == 0) {
        g->rows[k - 1].total = total;
        return 0;
    }
    void *rows = g->rows;
    int rc = bo__grow(&rows, &g->rcap, (size_t)g->nrows, sizeof *g->rows);
    g->rows = rows;
    if (rc)
        return rc;
    memmove(&g->rows[k + 1], &g->rows[k], (size_t)(g->nrows - k) * sizeof *g->rows);
    memcpy(g->rows[k].date, date, 11);
    g->rows[k].total = total;
    g->nrows++;
    return 0;
}

void bo__dayrows_set(bo__shift_group *g, const char *date, int64_t total)
{
    if (bo__dayrows_covers(g, date) && rows_put(g, date, total))
        bo__dayrows_drop(g); /* out of memory: forgetting them is always right */
}

int bo__dayrows_load(bo_book *b, bo__shift_group *g, const char *date)
{
    char from[11] = "";
    int64_t total;
    int found, rc, extend = g->loaded; /* read only the rows below those held */
    if (bo__dayrows_covers(g, date))
        return 0;
    rc = g->lane > 0
       ? bo__store_row(b->store, SQL_LANE_ROWS_BEFORE, &found, "iitt>ti", (int64_t)g->lane,
                       g->account, g->currency, date, from, 11, &total)
       : bo__store_row(b->store, SQL_ROWS_BEFORE, &found, "itt>ti", g->account, g->currency,
                       date, from, 11, &total);
    if (rc) {
        bo__dayrows_drop(g);
        return rc;
    }
    if (!found)
        from[0] = '\0';
    bo__stmt *s;
    const char *sql = g->lane > 0 ? (extend ? SQL_LANE_ROWS_SPAN : SQL_LANE_ROWS_FROM)
                                  : (extend ? SQL_ROWS_SPAN : SQL_ROWS_FROM);
    if ((rc = bo__stmt_get(b->store, sql, &s))) {
        bo__dayrows_drop(g);
        return rc;
    }
    if (g->lane > 0)
        rc = extend ? bo__stmt_bind(s, "iittt", (int64_t)g->lane, g->account, g->currency,
                                    from, g->from)
                    : bo__stmt_bind(s, "iitt", (int64_t)g->lane, g->account, g->currency,
                                    from);
    else
        rc = extend ? bo__stmt_bind(s, "ittt", g->account, g->currency, from, g->from)
                    : bo__stmt_bind(s, "itt", g->account, g->currency, from);
    while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW)
        rc = rows_put(g, bo__stmt_col_text(s, 0), bo__stmt_col_int(s, 1));
    bo__stmt_done(s);
    if (rc != BO_DRIVER_DONE) {
        bo__dayrows_drop(g);
        return rc;
    }
    memcpy(g->from, from, 11);
    g->loaded = 1;
    return 0;
}

void bo__dayrows_before(const bo__shift_group *g, const char *date, char found[11],
                        int64_t *total, int *have)
{
    int k = rows_after(g, date);
    *have = k > 0;
    found[0] = '\0';
    *total = 0;
    if (k > 0) {
        memcpy(found, g->rows[k - 1].date, 11);
        *total = g->rows[k - 1].total;
    }
}

void bo__dayrows_later(const bo__shift_group *g, const char *date, int64_t *lo,
                       int64_t *hi, int *any)
{
    int k = rows_after(g, date);
    *any = k < g->nrows;
    *lo = *hi = *any ? g->rows[k].total : 0;
    for (; k < g->nrows; k++) {
        if (g->rows[k].total < *lo)
            *lo = g->rows[k].total;
        if (g->rows[k].total > *hi)
            *hi = g->rows[k].total;
    }
}

bo__shifts *bo__shifts_new(void)
{
    return bo__calloc(1, sizeof(bo__shifts));
}
