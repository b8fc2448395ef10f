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
    if (l->nacc >= ACC_SLOTS / 2) /* keep probes short: start over */
        clear_chart(l);
    i = hash_str(code) & (ACC_SLOTS - 1);
    while (l->acc[i])
        i = (i + 1) & (ACC_SLOTS - 1);
    l->acc[i] = a;
    l->nacc++;
    *out = a;
    return 0;
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
