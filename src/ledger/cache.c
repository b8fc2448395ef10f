/*
 * The ledger's per-book cache.
 *
 * Chart: an account's id, type, currency and path never change once created;
 * only "closed" does, and closing bumps the book's generation, which makes
 * every handle drop this cache at its next transaction. Closed periods
 * and the end of the latest closed fiscal year follow the same rule (a
 * year close or reopen bumps the generation too). Day totals are the last (date, total) this
 * transaction knows per account and currency: valid only until the
 * transaction ends, since other writers may append after it.
 */
#include "ledger/ledger.h"

#include <stdio.h>
#include <string.h>

#define ACC_SLOTS 1024 /* power of two; a larger chart just misses more */
#define DAY_SLOTS 256

typedef struct day_slot {
    int used;
    int64_t account;
    char currency[BO_CURRENCY_MAX + 1];
    char date[11];
    int64_t total;
} day_slot;

typedef struct closed_period {
    char *name;
    char start[11], end[11];
} closed_period;

struct bo__ledger {
    bo__account *acc[ACC_SLOTS];
    int nacc;
    int periods_loaded;
    closed_period *periods;
    int nperiods;
    char year_end[11]; /* the latest active year close's last day, or "" */
    char year_name[40]; /* "fiscal year ending <year_end>" */
    day_slot days[DAY_SLOTS];
    int ndays;
    bo__ledger_held held;
    bo__shifts *shifts; /* held-back shifts of later day totals (days.c) */
    bo__buf scratch[BO__LEDGER_SCRATCH]; /* bo__ledger_scratch_take */
};

static void clear_chart(bo__ledger *l)
{
    for (int i = 0; i < ACC_SLOTS; i++) {
        if (l->acc[i]) {
            bo__free(l->acc[i]->path);
            bo__free(l->acc[i]);
            l->acc[i] = NULL;
        }
    }
    l->nacc = 0;
    for (int i = 0; i < l->nperiods; i++)
        bo__free(l->periods[i].name);
    bo__free(l->periods);
    l->periods = NULL;
    l->nperiods = 0;
    l->year_end[0] = '\0';
    l->periods_loaded = 0;
}

static void on_tx_end(void *data, int rolled_back)
{
    (void)rolled_back;
    bo__ledger *l = data;
    memset(l->days, 0, sizeof l->days);
    l->ndays = 0;
    l->held.on = l->held.has = 0;
    l->held.id = 0;
    l->held.form.len = 0;
    /* The points left are those of the level rolled back (every level
     * flushes its points before a savepoint opens inside it) or of a
     * transaction that committed after flushing them: none to keep. */
    bo__shifts_clear(l->shifts);
}

/* Before a savepoint opens and before the outermost commit. */
static int on_flush(bo_book *b, void *data)
{
    bo__ledger *l = data;
    return bo__shifts_flush(b, l->shifts);
}

static void on_invalidate(void *data)
{
    clear_chart(data);
}

static void on_free(void *data)
{
    clear_chart(data);
    bo__buf_free(&((bo__ledger *)data)->held.form);
    for (int i = 0; i < BO__LEDGER_SCRATCH; i++)
        bo__buf_free(&((bo__ledger *)data)->scratch[i]);
    bo__shifts_free(((bo__ledger *)data)->shifts);
    bo__free(data);
}

/* The ledger's cache on a handle (src/core/domain.h). */
int bo__ledger_slot;
const bo__domain_cache bo__ledger_cache = { &bo__ledger_slot, on_tx_end,
                                            on_invalidate, on_free, on_flush };

bo__ledger *bo__ledger_get(bo_book *b)
{
    bo__ext *x = &b->ext[bo__ledger_slot];
    if (!x->data) {
        bo__ledger *l = bo__calloc(1, sizeof *l);
        if (!l)
            return NULL;
        x->data = l;
    }
    return x->data;
}

bo__shifts *bo__ledger_shifts(bo__ledger *l)
{
    if (!l->shifts)
        l->shifts = bo__shifts_new();
    return l->shifts;
}

bo__shifts *bo__ledger_days_held(bo_book *b)
{
    bo__ext *x = &b->ext[bo__ledger_slot];
    bo__ledger *l = x->data;
    return l && b->depth > 0 && bo__shifts_pending(l->shifts) ? l->shifts : NULL;
}

int bo__ledger_days_fold(bo__shifts *held, int lane, int64_t account,
                         const char *currency, const char *date, int64_t *total)
{
    int64_t sum;
    const bo__shift_group *g = bo__shifts_find(held, lane, account, currency);
    if (!g || !date)
        return 0;
    if (bo__shifts_before(g, date, &sum) || bo_money_add(*total, sum, total))
        return BO_EOVERFLOW;
    return 0;
}

bo__buf bo__ledger_scratch_take(bo__ledger *l, int which)
{
    bo__buf b = l->scratch[which];
    l->scratch[which] = (bo__buf)BO__BUF_INIT;
    b.len = 0;
    b.failed = 0;
    if (b.ptr)
        b.ptr[0] = '\0';
    return b;
}

void bo__ledger_scratch_give(bo__ledger *l, int which, bo__buf *b)
{
    if (!l->scratch[which].ptr && !b->failed && b->cap <= 4096) {
        l->scratch[which] = *b;
        *b = (bo__buf)BO__BUF_INIT;
    } else {
        bo__buf_free(b);
    }
}

bo__ledger_held *bo__ledger_held_of(bo__ledger *l)
{
    return &l->held;
}

static uint64_t hash_str(const char *s)
{
    return bo__hash_bytes(s, strlen(s), 0);
}

static const char SQL_ACCOUNT[] =
    "SELECT id, type, closed, currency, path FROM accounts WHERE code = ?";

static int account_row(bo__stmt *s, void *out)
{
    bo__account *a = bo__calloc(1, sizeof *a);
    if (!a)
        return BO_ENOMEM;
    a->id = bo__stmt_col_int(s, 0);
    a->type = (int)bo__stmt_col_int(s, 1);
    a->closed = (int)bo__stmt_col_int(s, 2);
    strncpy(a->currency, bo__stmt_col_text(s, 3), BO_CURRENCY_MAX);
    if (!(a->path = bo__strdup(bo__stmt_col_text(s, 4)))) {
        bo__free(a);
        return BO_ENOMEM;
    }
    *(bo__account **)out = a;
    return 0;
}

/* a into the chart's cache (not there yet), which takes it over. */
static const bo__account *account_keep(bo__ledger *l, bo__account *a)
{
    if (l->nacc >= ACC_SLOTS / 2) /* keep probes short: start over */
        clear_chart(l);
    size_t i = hash_str(a->code) & (ACC_SLOTS - 1);
    while (l->acc[i])
        i = (i + 1) & (ACC_SLOTS - 1);
    l->acc[i] = a;
    l->nacc++;
    return a;
}

int bo__account_find(bo_book *b, const char *code, const bo__account **out)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    size_t i = hash_str(code) & (ACC_SLOTS - 1);
    for (size_t n = 0; n < ACC_SLOTS && l->acc[i]; n++, i = (i + 1) & (ACC_SLOTS - 1)) {
        if (strcmp(l->acc[i]->code, code) == 0) {
            *out = l->acc[i];
            return 0;
        }
    }
    bo__account *a = NULL;
    int found;
    int rc = bo__store_row_read(b->store, SQL_ACCOUNT, account_row, &a, &found, "t", code);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "account '%s' not found", code);
    strncpy(a->code, code, BO_CODE_MAX);
    *out = account_keep(l, a);
    return 0;
}

/* The accounts of many codes, a shape (BO__ROWS_SHAPED) of 1, 2, 4 ... 64
 * codes a statement; a chunk of fewer repeats its first code. */
static const char *const SQL_ACCOUNTS[BO__ROWS_SHAPES] = BO__ROWS_SHAPED(
    "SELECT id, type, closed, currency, path, code FROM accounts WHERE code IN (?", ", ?",
    ")");

/* The smallest shape of at least n (1 to BO__ROWS_MAX) rows. */
static int shape_for(size_t n)
{
    int s = bo__rows_shape(n);
    return ((size_t)1 << s) < n ? s + 1 : s;
}

static int account_cached(const bo__ledger *l, const char *code)
{
    size_t i = hash_str(code) & (ACC_SLOTS - 1);
    for (size_t n = 0; n < ACC_SLOTS && l->acc[i]; n++, i = (i + 1) & (ACC_SLOTS - 1))
        if (strcmp(l->acc[i]->code, code) == 0)
            return 1;
    return 0;
}

/* The accounts of want[0..m) (codes not cached, each once) read in one
 * statement into the cache; none when they would start the chart over
 * (bo__account_find reads them then). */
static int accounts_read(bo_book *b, bo__ledger *l, const char *const *want, int m)
{
    if (l->nacc + m >= ACC_SLOTS / 2)
        return 0;
    int shape = shape_for((size_t)m), rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_ACCOUNTS[shape], &s)))
        return rc;
    bo__stmt_borrow(s); /* the codes outlive bo__stmt_done */
    for (int j = 0; j < 1 << shape && !rc; j++)
        rc = bo__stmt_text(s, j + 1, want[j < m ? j : 0]);
    while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        bo__account *a = NULL;
        const char *code = bo__stmt_col_text(s, 5);
        rc = 0;
        if (!code || strlen(code) > BO_CODE_MAX || account_cached(l, code))
            continue;
        if ((rc = account_row(s, &a)))
            break;
        strcpy(a->code, code);
        account_keep(l, a);
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

int bo__account_load(bo_book *b, bo_entry *const *e, size_t n)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    const char *want[BO__ROWS_MAX];
    int m = 0, rc = 0;
    for (size_t i = 0; i < n && !rc; i++)
        for (int k = 0; k < e[i]->n && !rc; k++) {
            const char *code = e[i]->postings[k].account;
            int seen = !code || account_cached(l, code);
            for (int j = 0; j < m && !seen; j++)
                seen = strcmp(want[j], code) == 0;
            if (seen)
                continue;
            want[m++] = code;
            if (m == BO__ROWS_MAX) {
                rc = accounts_read(b, l, want, m);
                m = 0;
            }
        }
    return rc || !m ? rc : accounts_read(b, l, want, m);
}

/* The closed periods, then one row (name NULL) with the last day of the
 * latest active year close (NULL when none): years close in order, so every
 * date up to it lies in a closed year. One statement, read once per
 * generation. */
static const char SQL_CLOSED[] =
    "SELECT name, start_date, end_date FROM periods WHERE closed = 1"
    " UNION ALL SELECT NULL, NULL, MAX(year_end) FROM ledger_closings"
    " WHERE reopened_by IS NULL";

static int load_periods(bo_book *b, bo__ledger *l)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_CLOSED, &s);
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        if (bo__stmt_is_null(s, 0)) { /* the year row */
            const char *end = bo__stmt_is_null(s, 2) ? NULL : bo__stmt_col_text(s, 2);
            if (end && strlen(end) == 10) {
                memcpy(l->year_end, end, 11);
                snprintf(l->year_name, sizeof l->year_name, "fiscal year ending %s", end);
            }
            continue;
        }
        closed_period *p = bo__realloc(l->periods,
                                       (size_t)(l->nperiods + 1) * sizeof *p);
        if (!p) {
            rc = BO_ENOMEM;
            break;
        }
        l->periods = p;
        p = &l->periods[l->nperiods];
        if (!(p->name = bo__strdup(bo__stmt_col_text(s, 0)))) {
            rc = BO_ENOMEM;
            break;
        }
        strncpy(p->start, bo__stmt_col_text(s, 1), 10);
        p->start[10] = '\0';
        strncpy(p->end, bo__stmt_col_text(s, 2), 10);
        p->end[10] = '\0';
        l->nperiods++;
    }
    bo__stmt_done(s);
    if (rc < 0) {
        clear_chart(l);
        return rc;
    }
    l->periods_loaded = 1;
    return 0;
}

int bo__period_closed_at(bo_book *b, const char *date, const char **name)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    *name = NULL;
    int rc;
    if (!l->periods_loaded && (rc = load_periods(b, l)))
        return rc;
    for (int i = 0; i < l->nperiods; i++)
        if (strcmp(l->periods[i].start, date) <= 0 &&
            strcmp(date, l->periods[i].end) <= 0) {
            *name = l->periods[i].name;
            return 0;
        }
    if (l->year_end[0] && strcmp(date, l->year_end) <= 0)
        *name = l->year_name;
    return 0;
}

static size_t day_slot_of(int64_t account, const char *currency)
{
    return (size_t)((hash_str(currency) ^ ((uint64_t)account * 0x9E3779B97F4A7C15ull))
                    & (DAY_SLOTS - 1));
}

int bo__day_lookup(bo__ledger *l, int64_t account, const char *currency,
                   char date[11], int64_t *total)
{
    size_t i = day_slot_of(account, currency);
    for (size_t n = 0; n < DAY_SLOTS && l->days[i].used; n++, i = (i + 1) & (DAY_SLOTS - 1)) {
        day_slot *d = &l->days[i];
        if (d->account == account && strcmp(d->currency, currency) == 0) {
            memcpy(date, d->date, 11);
            *total = d->total;
            return 1;
        }
    }
    return 0;
}

void bo__day_store(bo__ledger *l, int64_t account, const char *currency,
                   const char *date, int64_t total)
{
    size_t i = day_slot_of(account, currency);
    for (size_t n = 0; n < DAY_SLOTS; n++, i = (i + 1) & (DAY_SLOTS - 1)) {
        day_slot *d = &l->days[i];
        if (!d->used || (d->account == account && strcmp(d->currency, currency) == 0)) {
            if (!d->used) {
                if (l->ndays >= DAY_SLOTS / 2) { /* full enough: forget all */
                    memset(l->days, 0, sizeof l->days);
                    l->ndays = 0;
                    bo__day_store(l, account, currency, date, total);
                    return;
                }
                l->ndays++;
            }
            d->used = 1;
            d->account = account;
            strcpy(d->currency, currency);
            memcpy(d->date, date, 11);
            d->total = total;
            return;
        }
    }
}

/* The latest row of account_days of each (account, currency) pair, a
 * shape of 1, 2, 4 ... 64 pairs a statement (a chunk of fewer repeats its
 * first pair): a row a pair, its date NULL when it has none. */
#define DAY_PAIR "(CAST(? AS BIGINT), CAST(? AS TEXT))"
#define DAY_LATEST(col)                                                       \
    "(SELECT d." col " FROM account_days d WHERE d.account_id = k.column1"     \
    " AND d.currency = k.column2 ORDER BY d.date DESC LIMIT 1)"
static const char *const SQL_DAYS_LATEST[BO__ROWS_SHAPES] = BO__ROWS_SHAPED(
    "SELECT k.column1, k.column2, " DAY_LATEST("date") ", " DAY_LATEST("total")
    " FROM (VALUES " DAY_PAIR, ", " DAY_PAIR, ") AS k");

typedef struct day_want {
    int64_t acc;
    const char *cur;
} day_want;

/* The pairs want[0..m) (not cached, each once) read in one statement into
 * the day cache, their totals with the shifts held back before them added
 * (a pair whose sum overflows is left out: plan_day reads it and refuses);
 * none when they would fill the cache (plan_day reads them then). */
static int days_read(bo_book *b, bo__ledger *l, const day_want *want, int m)
{
    if (l->ndays + m >= DAY_SLOTS / 2)
        return 0;
    bo__shifts *held = bo__ledger_shifts(l);
    if (!held)
        return BO_ENOMEM;
    int shape = shape_for((size_t)m), rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_DAYS_LATEST[shape], &s)))
        return rc;
    bo__stmt_borrow(s); /* the currencies outlive bo__stmt_done */
    for (int j = 0; j < 1 << shape && !rc; j++) {
        const day_want *w = &want[j < m ? j : 0];
        if (!(rc = bo__stmt_int(s, 2 * j + 1, w->acc)))
            rc = bo__stmt_text(s, 2 * j + 2, w->cur);
    }
    while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t acc = bo__stmt_col_int(s, 0), total = 0;
        const char *cur = bo__stmt_col_text(s, 1);
        char date[11] = "";
        rc = 0;
        if (!cur || strlen(cur) > BO_CURRENCY_MAX || bo__day_lookup(l, acc, cur, date, &total))
            continue; /* a chunk's repeated pair */
        date[0] = '\0';
        total = 0;
        if (!bo__stmt_is_null(s, 2)) {
            const char *found = bo__stmt_col_text(s, 2);
            total = bo__stmt_col_int(s, 3);
            if (!found || strlen(found) != 10 ||
                bo__ledger_days_fold(held, 0, acc, cur, found, &total))
                continue;
            memcpy(date, found, 11);
        }
        bo__day_store(l, acc, cur, date, total);
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

int bo__day_load(bo_book *b, const bo__posting *p, const bo__account *const *acc, int n)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    day_want want[BO__ROWS_MAX];
    int m = 0, rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const char *cur = p[i].currency[0] ? p[i].currency : acc[i]->currency;
        char date[11];
        int64_t total;
        int seen = bo__day_lookup(l, acc[i]->id, cur, date, &total);
        for (int j = 0; j < m && !seen; j++)
            seen = want[j].acc == acc[i]->id && strcmp(want[j].cur, cur) == 0;
        if (seen)
            continue;
        want[m++] = (day_want){ acc[i]->id, cur };
        if (m == BO__ROWS_MAX) {
            rc = days_read(b, l, want, m);
            m = 0;
        }
    }
    return rc || !m ? rc : days_read(b, l, want, m);
}
