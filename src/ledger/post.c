/*
 * Posting: validate against the chart and periods, check the balance per
 * currency, write the entry, its postings and the day totals, append to the
 * audit chain, queue the event. Runs inside one transaction level.
 */
#include "ledger/ledger.h"
#include "core/approval.h"
#include "util/fixed.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_BY_KEY[] = "SELECT id, digest FROM entries WHERE idem_key = ?";
/* A concurrent writer with the same key makes the insert return no row
 * (PostgreSQL); the caller then treats it as a replay. The key's index is
 * partial (schema version 21): the conflict target names its WHERE (an
 * older PostgreSQL book's UNIQUE constraint satisfies it as well). */
static const char SQL_INSERT_ENTRY[] =
    "INSERT INTO entries (date, memo, idem_key, actor, digest)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (idem_key) WHERE idem_key IS NOT NULL"
    " DO NOTHING RETURNING id";
/* The same for drivers that report the inserted key (cheaper on SQLite). */
static const char SQL_INSERT_ENTRY_PLAIN[] =
    "INSERT INTO entries (date, memo, idem_key, actor, digest)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (idem_key) WHERE idem_key IS NOT NULL DO NOTHING";
static const char SQL_INSERT_REVERSAL[] =
    "INSERT INTO reversals (entry_id, reversed_by) VALUES (?, ?)";
/* Postings go in up to four rows per statement: most entries have two to
 * four lines, and each statement run costs as much as the row itself. */
#define POSTING_COLS "INSERT INTO postings (entry_id, line, account_id, amount," \
    " currency, memo, date, base_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
#define POSTING_ROW ", (?, ?, ?, ?, ?, ?, ?, ?)"
static const char *const SQL_INSERT_POSTINGS[] = {
    POSTING_COLS,
    POSTING_COLS POSTING_ROW,
    POSTING_COLS POSTING_ROW POSTING_ROW,
    POSTING_COLS POSTING_ROW POSTING_ROW POSTING_ROW,
};
/* On SQLite, OR FAIL: a statement of several rows that may abort keeps a
 * statement journal to undo its own rows (about 4,000 instructions an
 * entry, most of it truncating the journal). Nothing here can fail a
 * constraint after the checks; if the store did, the command fails and
 * its transaction is rolled back (or must be), rows and all. */
#define POSTING_FAIL "INSERT OR FAIL INTO postings (entry_id, line, account_id, amount," \
    " currency, memo, date, base_amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
static const char *const SQL_INSERT_POSTINGS_FAIL[] = {
    POSTING_FAIL,
    POSTING_FAIL POSTING_ROW,
    POSTING_FAIL POSTING_ROW POSTING_ROW,
    POSTING_FAIL POSTING_ROW POSTING_ROW POSTING_ROW,
};
#define POSTINGS_PER_INSERT 4
static const char SQL_LAST_DAY[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " ORDER BY date DESC LIMIT 1";
static const char SQL_DAY_AT_OR_BEFORE[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " AND date <= ? ORDER BY date DESC LIMIT 1";
static const char SQL_DAY_INSERT[] =
    "INSERT INTO account_days (account_id, currency, date, delta, total)"
    " VALUES (?, ?, ?, ?, ?)";
/* New day rows of account_days go in up to four rows per statement, like
 * the postings (OR FAIL on SQLite, the same reasoning: plan_day found no
 * row at or after the date, so nothing can conflict). */
#define DAY_COLS "INSERT INTO account_days (account_id, currency, date, delta, total)" \
    " VALUES (?, ?, ?, ?, ?)"
#define DAY_FAIL "INSERT OR FAIL INTO account_days (account_id, currency, date, delta," \
    " total) VALUES (?, ?, ?, ?, ?)"
#define DAY_ROW ", (?, ?, ?, ?, ?)"
static const char *const SQL_DAY_INSERTS[] = {
    DAY_COLS,
    DAY_COLS DAY_ROW,
    DAY_COLS DAY_ROW DAY_ROW,
    DAY_COLS DAY_ROW DAY_ROW DAY_ROW,
};
static const char *const SQL_DAY_INSERTS_FAIL[] = {
    DAY_FAIL,
    DAY_FAIL DAY_ROW,
    DAY_FAIL DAY_ROW DAY_ROW,
    DAY_FAIL DAY_ROW DAY_ROW DAY_ROW,
};
#define DAYS_PER_INSERT 4
/* The new rows a batch holds over several dates (bo__day_pend): 1, 2, 4,
 * ... 64 rows a statement (320 parameters, BO__ROWS_SHAPED). */
static const char *const SQL_PEND_INSERTS[BO__ROWS_SHAPES] = BO__ROWS_SHAPED(DAY_COLS, DAY_ROW, "");
static const char *const SQL_PEND_INSERTS_FAIL[BO__ROWS_SHAPES] =
    BO__ROWS_SHAPED(DAY_FAIL, DAY_ROW, "");
/* ... through bo__store_rows: PostgreSQL's COPY, else those inserts. */
static const bo__rows_table DAY_ROWS = { "account_days",
                                         "account_id, currency, date, delta, total", 5,
                                         SQL_PEND_INSERTS, SQL_PEND_INSERTS_FAIL };
static const char SQL_DAY_UPDATE[] =
    "UPDATE account_days SET delta = delta + ?, total = ?"
    " WHERE account_id = ? AND currency = ? AND date = ?";
/* The rows a batch updates, held (bo__day_pend) and written in one
 * statement where the store takes set-wise ones (PostgreSQL): each column
 * an array, joined to the rows by their key (an index scan a row, in the
 * generic plan too; docs/performance.md). */
#define DAY_SET_FROM(arrays, cols)                                                      \
    " FROM unnest(" arrays "?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])" \
    " AS v(" cols "account_id, currency, date, delta, total)"                           \
    " WHERE d.account_id = v.account_id AND d.currency = v.currency COLLATE \"C\""    \
    " AND d.date = v.date COLLATE \"C\""
static const char SQL_DAY_SET[] =
    "UPDATE account_days AS d SET delta = d.delta + v.delta, total = v.total"
    DAY_SET_FROM("", "");
static const char SQL_LANE_DAY_SET[] =
    "UPDATE account_lane_days AS d SET delta = d.delta + v.delta, total = v.total"
    DAY_SET_FROM("?::int[], ", "lane, ") " AND d.lane = v.lane";
static const char SQL_LATER_RANGE[] =
    "SELECT MIN(total), MAX(total) FROM account_days"
    " WHERE account_id = ? AND currency = ? AND date > ?";
static const char SQL_LATER_SHIFT[] =
    "UPDATE account_days SET total = total + ?"
    " WHERE account_id = ? AND currency = ? AND date > ?";

/* The same in a lane's own rows (version 16, docs/architecture.md "Day
 * totals by lane"): a write transaction that holds lane 2 or above of the
 * audit chain touches only these, never a row another writer touches.
 * Lane 1, the first taken (a single writer's), keeps account_days, as do
 * transactions that run alone (no writer runs beside them). */
static const char SQL_LANE_LAST[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? ORDER BY date DESC LIMIT 1";
static const char SQL_LANE_AT_OR_BEFORE[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? AND date <= ? ORDER BY date DESC LIMIT 1";
static const char SQL_LANE_INSERT[] =
    "INSERT INTO account_lane_days (lane, account_id, currency, date, delta, total)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_LANE_UPDATE[] =
    "UPDATE account_lane_days SET delta = delta + ?, total = ?"
    " WHERE lane = ? AND account_id = ? AND currency = ? AND date = ?";
static const char SQL_LANE_LATER_RANGE[] =
    "SELECT MIN(total), MAX(total) FROM account_lane_days"
    " WHERE lane = ? AND account_id = ? AND currency = ? AND date > ?";
static const char SQL_LANE_LATER_SHIFT[] =
    "UPDATE account_lane_days SET total = total + ?"
    " WHERE lane = ? AND account_id = ? AND currency = ? AND date > ?";
/* The new rows of a lane a batch holds over several dates, as
 * SQL_PEND_INSERTS (64 rows: 384 parameters). */
#define LANE_COLS "INSERT INTO account_lane_days (lane, account_id, currency, date, delta," \
    " total) VALUES (?, ?, ?, ?, ?, ?)"
#define LANE_ROW ", (?, ?, ?, ?, ?, ?)"
static const char *const SQL_LANE_PEND_INSERTS[BO__ROWS_SHAPES] =
    BO__ROWS_SHAPED(LANE_COLS, LANE_ROW, "");
/* The lane's first row for the account and currency lists the lane, so a
 * balance reads one row per lane that ever wrote to the account. */
static const char SQL_LANE_JOIN[] =
    "INSERT INTO account_lanes (account_id, currency, lane) VALUES (?, ?, ?)";

/* Find the latest day row at or before date ("9999-99-99" = the last), in
 * account_days (lane 0) or the lane's rows. */
static int day_before(bo_book *b, int lane, int64_t acc, const char *cur, const char *date,
                      int last, char found[11], int64_t *total, int *exists)
{
    found[0] = '\0';
    *total = 0;
    if (lane > 0) {
        if (last)
            return bo__store_row(b->store, SQL_LANE_LAST, exists, "iit>ti", (int64_t)lane,
                                 acc, cur, found, 11, total);
        return bo__store_row(b->store, SQL_LANE_AT_OR_BEFORE, exists, "iitt>ti",
                             (int64_t)lane, acc, cur, date, found, 11, total);
    }
    if (last)
        return bo__store_row(b->store, SQL_LAST_DAY, exists, "it>ti", acc, cur, found, 11,
                             total);
    return bo__store_row(b->store, SQL_DAY_AT_OR_BEFORE, exists, "itt>ti", acc, cur, date,
                         found, 11, total);
}

static int day_write(bo_book *b, int lane, int update, int64_t acc, const char *cur,
                     const char *date, int64_t delta, int64_t total)
{
    if (lane > 0) {
        if (update)
            return bo__store_run(b->store, SQL_LANE_UPDATE, "iiiitt", delta, total,
                                 (int64_t)lane, acc, cur, date);
        return bo__store_run(b->store, SQL_LANE_INSERT, "iittii", (int64_t)lane, acc, cur,
                             date, delta, total);
    }
    if (update)
        return bo__store_run(b->store, SQL_DAY_UPDATE, "iiitt", delta, total, acc, cur, date);
    return bo__store_run(b->store, SQL_DAY_INSERT, "ittii", acc, cur, date, delta, total);
}

/* What posting an entry does to one (account, currency): planned and
 * checked for overflow before anything is written, so a refused entry
 * never leaves half its rows behind. */
typedef struct day_plan {
    const bo__account *a;
    int lane;           /* the lane's own rows (> 0) or account_days (0) */
    int first;          /* the lane's first row for the account and currency */
    const char *cur;
    int64_t amount;     /* the entry's net amount for this account and currency */
    int kind;           /* DAY_NEW, DAY_SAME or DAY_BACK */
    int64_t total;      /* the day's total after the entry */
    int row_at_date;    /* DAY_BACK: a row for the date exists */
    int shift;          /* DAY_BACK: later rows exist and move by amount */
    char last[11];      /* the account's last day after the entry ... */
    int64_t last_total; /* ... and its total */
    int64_t stored;     /* a new row of account_days: the total it stores */
    int batched;        /* ... written by write_new_days */
} day_plan;

enum { DAY_NEW, DAY_SAME, DAY_BACK };

static int overflow(const day_plan *p)
{
    return bo__error_set(BO_EOVERFLOW, "account '%s': balance in %s would "
                         "overflow", p->a->code, p->cur);
}

/* Write the new rows held (pend), in the order they were planned: rows of
 * account_days, or (a transaction on lane 2 or above) of its lane. */
/* The held rows of account_days pend->r[at..end) in one bo__store_rows. */
static int pend_rows(bo_book *b, const bo__day_pend *pend, int at, int end)
{
    bo__rowset r;
    int rc = bo__rowset_init(&r, (size_t)(end - at) * 5);
    if (rc)
        return rc;
    for (; at < end; at++) {
        const bo__day_pend_row *p = &pend->r[at];
        bo__rowset_int(&r, p->acc);
        bo__rowset_text(&r, p->cur);
        bo__rowset_text(&r, p->date);
        bo__rowset_int(&r, p->delta);
        bo__rowset_int(&r, p->stored);
    }
    rc = bo__store_rows(b->store, &DAY_ROWS, &r);
    bo__rowset_free(&r);
    return rc;
}

/* The rows held updated, those of account_days (lanes = 0) or of the
 * lanes, in one UPDATE. */
static int pend_updates(bo_book *b, const bo__day_pend *pend, int lanes)
{
    bo__buf a[6] = { BO__BUF_INIT, BO__BUF_INIT, BO__BUF_INIT,
                     BO__BUF_INIT, BO__BUF_INIT, BO__BUF_INIT };
    int rows = 0;
    for (int k = 0; k < pend->nu; k++) {
        const bo__day_pend_row *p = &pend->u[k];
        if ((p->lane > 0) != lanes)
            continue;
        if (lanes)
            bo__arr_int(&a[0], p->lane);
        bo__arr_int(&a[1], p->acc);
        bo__arr_text(&a[2], p->cur);
        bo__arr_text(&a[3], p->date);
        bo__arr_int(&a[4], p->delta);
        bo__arr_int(&a[5], p->stored);
        rows++;
    }
    if (rows)
        return bo__arr_run(b, lanes ? SQL_LANE_DAY_SET : SQL_DAY_SET, a, !lanes, 6);
    for (int k = 0; k < 6; k++)
        bo__buf_free(&a[k]);
    return 0;
}

int bo__day_pend_flush(bo_book *b, bo__day_pend *pend)
{
    int rc = 0, at = 0;
    while (!rc && at < pend->n) {
        int lane = pend->r[at].lane, same = at;
        while (same < pend->n && pend->r[same].lane == lane)
            same++;
        if (lane == 0) { /* account_days: all of them at once */
            rc = pend_rows(b, pend, at, same);
            at = same;
            continue;
        }
        int shape = bo__rows_shape((size_t)(same - at));
        int rows = 1 << shape, cols = lane > 0 ? 6 : 5;
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, SQL_LANE_PEND_INSERTS[shape], &s)))
            break;
        bo__stmt_borrow(s); /* the rows live until bo__stmt_done */
        for (int r = 0; r < rows && !rc; r++) {
            const bo__day_pend_row *p = &pend->r[at + r];
            int k = r * cols;
            if (lane > 0 && (rc = bo__stmt_int(s, ++k, (int64_t)lane)))
                break;
            if (!(rc = bo__stmt_int(s, k + 1, p->acc)) &&
                !(rc = bo__stmt_text(s, k + 2, p->cur)) &&
                !(rc = bo__stmt_text(s, k + 3, p->date)) &&
                !(rc = bo__stmt_int(s, k + 4, p->delta)))
                rc = bo__stmt_int(s, k + 5, p->stored);
        }
        if (!rc)
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
        at += rows;
    }
    /* After the new rows: an update never names one (a batch plans each
     * date once), but so it would find it. */
    if (!rc && pend->nu)
        rc = pend_updates(b, pend, 0);
    if (!rc && pend->nu)
        rc = pend_updates(b, pend, 1);
    pend->n = pend->nu = pend->nkeys = 0;
    if (pend->slot)
        memset(pend->slot, 0, (size_t)pend->nslots * sizeof *pend->slot);
    return rc;
}

void bo__day_pend_free(bo__day_pend *pend)
{
    bo__free(pend->r);
    bo__free(pend->u);
    bo__free(pend->slot);
    memset(pend, 0, sizeof *pend);
}

static size_t pend_hash(int64_t acc, const char *cur)
{
    uint64_t h = bo__hash_bytes(cur, strlen(cur), 0) ^ (uint64_t)acc * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29));
}

static const bo__day_pend_row *pend_row(const bo__day_pend *pend, int slot)
{
    return slot > 0 ? &pend->r[slot - 1] : &pend->u[-slot - 1];
}

/* The slot of (acc, cur): its row's reference, or a free slot (0). */
static int *pend_slot(const bo__day_pend *pend, int64_t acc, const char *cur)
{
    size_t mask = (size_t)pend->nslots - 1, i = pend_hash(acc, cur) & mask;
    for (; pend->slot[i]; i = (i + 1) & mask) {
        const bo__day_pend_row *r = pend_row(pend, pend->slot[i]);
        if (r->acc == acc && strcmp(r->cur, cur) == 0)
            break;
    }
    return &pend->slot[i];
}

/* Hold a row for p on date: a new one, or (update) one updated. */
static int pend_hold(bo__day_pend *pend, const day_plan *p, int update, const char *date,
                     int64_t stored)
{
    if (2 * (pend->nkeys + 1) > pend->nslots) {
        int nslots = pend->nslots ? 2 * pend->nslots : 64, *old = pend->slot;
        int *slot = bo__calloc((size_t)nslots, sizeof *slot), n = pend->nslots;
        if (!slot)
            return BO_ENOMEM;
        pend->slot = slot;
        pend->nslots = nslots;
        for (int k = 0; k < n; k++)
            if (old[k]) {
                const bo__day_pend_row *r = pend_row(pend, old[k]);
                *pend_slot(pend, r->acc, r->cur) = old[k];
            }
        bo__free(old);
    }
    bo__day_pend_row **rows = update ? &pend->u : &pend->r;
    int *n = update ? &pend->nu : &pend->n;
    void *r = *rows;
    int rc = bo__grow(&r, update ? &pend->ucap : &pend->cap, (size_t)*n, sizeof **rows);
    *rows = r;
    if (rc)
        return rc;
    bo__day_pend_row *row = &(*rows)[*n];
    row->lane = p->lane;
    row->acc = p->a->id;
    strcpy(row->cur, p->cur);
    memcpy(row->date, date, 11);
    row->delta = p->amount;
    row->stored = stored;
    (*n)++;
    int *slot = pend_slot(pend, p->a->id, p->cur);
    if (!*slot) {
        *slot = update ? -*n : *n;
        pend->nkeys++;
    }
    return 0;
}

/* Before account_days is read or moved for (acc, cur): the rows held for
 * it written (every row held, in order), so the store answers as if each
 * date's rows had gone at once. Every read and shift of the day totals
 * names one account and currency; a row held for another cannot change
 * its answer. */
static int pend_ready(bo_book *b, bo__day_pend *pend, int64_t acc, const char *cur)
{
    if (!pend || !pend->nkeys || !*pend_slot(pend, acc, cur))
        return 0;
    return bo__day_pend_flush(b, pend);
}

/* Min and max of the totals after date as stored (*any = 0 when there are
 * none). */
static int later_range(bo_book *b, const day_plan *p, const char *date,
                       int64_t *lo, int64_t *hi, int *any)
{
    *any = 0;
    if (p->lane > 0)
        return bo__store_row(b->store, SQL_LANE_LATER_RANGE, NULL, "iitt>?ii",
                             (int64_t)p->lane, p->a->id, p->cur, date, any, lo, hi);
    return bo__store_row(b->store, SQL_LATER_RANGE, NULL, "itt>?ii", p->a->id, p->cur, date,
                         any, lo, hi);
}

static const char SQL_LATER_ROWS[] =
    "SELECT date, total FROM account_days WHERE account_id = ? AND currency = ?"
    " AND date > ? ORDER BY date";
static const char SQL_LANE_LATER_ROWS[] =
    "SELECT date, total FROM account_lane_days WHERE lane = ? AND account_id = ?"
    " AND currency = ? AND date > ? ORDER BY date";

/* Whether every later total, its held-back shifts added, stays in range
 * with the amount added: row by row (the bounds of the shifts were too
 * wide to tell). BO_EOVERFLOW when one does not. */
static int later_rows_fit(bo_book *b, const day_plan *p, const bo__shift_group *g,
                          const char *date)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, p->lane > 0 ? SQL_LANE_LATER_ROWS : SQL_LATER_ROWS, &s);
    if (rc)
        return rc;
    rc = p->lane > 0 ? bo__stmt_bind(s, "iitt", (int64_t)p->lane, p->a->id, p->cur, date)
                     : bo__stmt_bind(s, "itt", p->a->id, p->cur, date);
    while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        int64_t held, t;
        rc = bo__shifts_before(g, bo__stmt_col_text(s, 0), &held) ||
             bo__fx_add(bo__stmt_col_int(s, 1), held, &t) ||
             bo__fx_add(t, p->amount, &t) ? overflow(p) : 0;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

/* The true total of a row read as stored (dated found): its held-back
 * shifts added. */
static int true_total(const day_plan *p, const bo__shift_group *g, const char *found,
                      int64_t *total)
{
    int64_t held;
    if (!g || !found[0])
        return 0;
    if (bo__shifts_before(g, found, &held) || bo__fx_add(*total, held, total))
        return overflow(p);
    return 0;
}

/* Read what is needed and check every total the entry would produce. */
static int plan_day(bo_book *b, bo__ledger *l, day_plan *p, const char *date,
                    bo__day_pend *pend)
{
    int64_t total, t;
    int exists, rc;
    bo__shift_group *g = bo__shifts_find(bo__ledger_shifts(l), p->lane, p->a->id,
                                               p->cur);
    if (bo__day_lookup(l, p->a->id, p->cur, p->last, &total))
        exists = p->last[0] != '\0'; /* "": known to have no row */
    else if ((rc = pend_ready(b, pend, p->a->id, p->cur)) ||
             (rc = day_before(b, p->lane, p->a->id, p->cur, NULL, 1, p->last, &total,
                              &exists)) ||
             (exists && (rc = true_total(p, g, p->last, &total))))
        return rc;
    p->first = p->lane > 0 && !exists;
    int cmp = exists ? strcmp(date, p->last) : 1;
    if (cmp >= 0) {
        if (bo__fx_add(exists ? total : 0, p->amount, &t))
            return overflow(p);
        p->kind = cmp == 0 ? DAY_SAME : DAY_NEW;
        p->total = p->last_total = t;
        memcpy(p->last, date, 11);
        return 0;
    }
    /* Back-dated: the day's own total comes from the row at or before it,
     * and every later day moves by the amount (held back: write_day). The
     * rows held for the batch are written before the store is read, not
     * before the rows read once answer (they are kept in step). */
    char before[11];
    int64_t prior, lo = 0, hi = 0, neg, pos;
    int have, any;
    bo__shift_group *rows = g;
    /* A group already holding a point is a batch back-dating into the
     * account again: its rows are read once and answer from then on. A
     * batch on a set-wise store reads them at its first back-dated day of
     * the account (two reads an account, not four; its rows held are then
     * written once, at the end of its days). */
    int once = pend && bo__ledger_set_wise(b->store);
    if (once && !rows &&
        !(rows = bo__shifts_group(bo__ledger_shifts(l), p->lane, p->a->id, p->cur)))
        return BO_ENOMEM;
    if (rows && !bo__dayrows_covers(rows, date) && (once || bo__shifts_bounds(g, &neg, &pos)) &&
        ((rc = pend_ready(b, pend, p->a->id, p->cur)) ||
         (rc = bo__dayrows_load(b, rows, date))))
        return rc;
    if (bo__dayrows_covers(rows, date)) {
        bo__dayrows_before(rows, date, before, &prior, &have);
        bo__dayrows_later(rows, date, &lo, &hi, &any);
        if (have && (rc = true_total(p, g, before, &prior)))
            return rc;
    } else if ((rc = pend_ready(b, pend, p->a->id, p->cur)) ||
               (rc = day_before(b, p->lane, p->a->id, p->cur, date, 0, before, &prior,
                                &have)) ||
               (have && (rc = true_total(p, g, before, &prior))) ||
               (rc = later_range(b, p, date, &lo, &hi, &any))) {
        return rc;
    }
    if (bo__fx_add(have ? prior : 0, p->amount, &p->total) ||
        bo__fx_add(total, p->amount, &p->last_total))
        return overflow(p);
    if (any && bo__shifts_bounds(g, &neg, &pos)) {
        /* The stored range widened by every held-back shift bounds the true
         * one; only when that is too wide are the rows read one by one. */
        if ((bo__fx_add(lo, neg, &lo) || bo__fx_add(lo, p->amount, &t) ||
             bo__fx_add(hi, pos, &hi) || bo__fx_add(hi, p->amount, &t)) &&
            ((rc = pend_ready(b, pend, p->a->id, p->cur)) ||
             (rc = later_rows_fit(b, p, g, date))))
            return rc;
    } else if (any && (bo__fx_add(lo, p->amount, &t) || bo__fx_add(hi, p->amount, &t))) {
        return overflow(p);
    }
    p->kind = DAY_BACK;
    p->row_at_date = have && strcmp(before, date) == 0;
    p->shift = any;
    return 0;
}

/* Shift every day after date by the amount now (when held-back shifts
 * could not take it). */
static int shift_now(bo_book *b, bo__shifts *sh, const day_plan *p, const char *date)
{
    bo__dayrows_drop(bo__shifts_find(sh, p->lane, p->a->id, p->cur));
    return p->lane > 0
         ? bo__store_run(b->store, SQL_LANE_LATER_SHIFT, "iiitt", p->amount,
                         (int64_t)p->lane, p->a->id, p->cur, date)
         : bo__store_run(b->store, SQL_LATER_SHIFT, "iitt", p->amount, p->a->id, p->cur,
                         date);
}

static int write_day(bo_book *b, bo__ledger *l, day_plan *p, const char *date, int batch,
                     bo__day_pend *pend)
{
    int rc;
    bo__shifts *sh = bo__ledger_shifts(l);
    if (!sh)
        return BO_ENOMEM;
    if (p->kind == DAY_BACK && p->shift) {
        /* Held back until the level ends (days.c); a group whose sums
         * would overflow is written first and this shift made now (the
         * rows held for the account written before they move). */
        rc = bo__shifts_add(sh, p->lane, p->a->id, p->cur, date, p->amount);
        if (rc == BO_EOVERFLOW && !(rc = pend_ready(b, pend, p->a->id, p->cur)) &&
            !(rc = bo__shifts_flush_group(b, bo__shifts_find(sh, p->lane, p->a->id, p->cur))))
            rc = shift_now(b, sh, p, date);
        if (rc)
            return rc;
    }
    if (p->first && (rc = bo__store_run(b->store, SQL_LANE_JOIN, "iti", p->a->id, p->cur,
                                        (int64_t)p->lane)))
        return rc;
    /* The row keeps its true total less the shifts held back before it. */
    bo__shift_group *g = bo__shifts_find(sh, p->lane, p->a->id, p->cur);
    int64_t held = 0, stored = p->total;
    if (g && (bo__shifts_before(g, date, &held) || bo__fx_sub(p->total, held, &stored))) {
        if ((rc = pend_ready(b, pend, p->a->id, p->cur)) ||
            (rc = bo__shifts_flush_group(b, g)))
            return rc;
        stored = p->total;
    }
    int update = p->kind == DAY_SAME || (p->kind == DAY_BACK && p->row_at_date);
    if (pend && (!update || bo__ledger_set_wise(b->store))) {
        /* Held for the batch's later dates (bo__day_pend_flush). */
        if ((rc = pend_hold(pend, p, update, date, stored)))
            return rc;
    } else if (batch && !update && p->lane == 0) {
        /* A new row of account_days: written with the others (below). */
        p->stored = stored;
        p->batched = 1;
    } else if ((rc = day_write(b, p->lane, update, p->a->id, p->cur, date, p->amount,
                               stored))) {
        return rc;
    }
    bo__dayrows_set(g, date, stored);
    bo__day_store(l, p->a->id, p->cur, p->last, p->last_total);
    return 0;
}

/* The new rows of account_days that write_day left (batched): a statement
 * run costs about what its row does, and an entry on a new day writes one
 * row per account. */
static int write_new_days(bo_book *b, const day_plan *plans, int nplans, const char *date)
{
    const char *const *ins = bo__store_is_sqlite(b->store) ? SQL_DAY_INSERTS_FAIL
                                                           : SQL_DAY_INSERTS;
    int rc = 0, k = 0;
    while (!rc && k < nplans) {
        int rows = 0, at[DAYS_PER_INSERT];
        for (; k < nplans && rows < DAYS_PER_INSERT; k++)
            if (plans[k].batched)
                at[rows++] = k;
        if (!rows)
            break;
        bo__stmt *s;
        if ((rc = bo__stmt_get(b->store, ins[rows - 1], &s)))
            break;
        bo__stmt_borrow(s); /* the plans and the date live until bo__stmt_done */
        for (int r = 0; r < rows && !rc; r++) {
            const day_plan *p = &plans[at[r]];
            int at0 = r * 5;
            if (!(rc = bo__stmt_int(s, at0 + 1, p->a->id)) &&
                !(rc = bo__stmt_text(s, at0 + 2, p->cur)) &&
                !(rc = bo__stmt_text(s, at0 + 3, date)) &&
                !(rc = bo__stmt_int(s, at0 + 4, p->amount)))
                rc = bo__stmt_int(s, at0 + 5, p->stored);
        }
        if (!rc)
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    return rc;
}

/* One plan per (account, currency) of the entry, amounts netted. */
static int plan_days(bo_book *b, bo__ledger *l, const bo_entry *e,
                     const bo__account **acc, const char *date,
                     day_plan *plans, int *nplans, bo__day_pend *pend)
{
    int n = 0, rc;
    for (int i = 0; i < e->n; i++) {
        const char *cur = e->postings[i].currency[0] ? e->postings[i].currency
                                                     : acc[i]->currency;
        int k;
        for (k = 0; k < n; k++)
            if (plans[k].a == acc[i] && strcmp(plans[k].cur, cur) == 0)
                break;
        if (k == n) {
            memset(&plans[n], 0, sizeof plans[n]);
            plans[n].a = acc[i];
            plans[n].cur = cur;
            n++;
        }
        if (bo__fx_add(plans[k].amount, e->postings[i].amount, &plans[k].amount))
            return bo__error_set(BO_EOVERFLOW, "posting %d: amount: the entry's "
                                 "total for account '%s' overflows", i + 1,
                                 acc[i]->code);
    }
    int kept = 0, lane = bo__store_audit_lane(b->store);
    for (int k = 0; k < n; k++) {
        if (plans[k].amount == 0)
            continue; /* nets to nothing on this account */
        plans[kept] = plans[k];
        /* lane 1 (a writer alone holds it) keeps account_days */
        plans[kept].lane = lane > 1 ? lane : 0;
        if ((rc = plan_day(b, l, &plans[kept], date, pend)))
            return rc;
        kept++;
    }
    *nplans = kept;
    return 0;
}

/* The canonical, unambiguous text of an entry: its digest identifies the
 * content for idempotent replays and its text goes to the audit chain. */
static int canonical(const bo_entry *e, const char *date, int64_t reverses,
                     const bo__account **acc, bo__buf *out, char digest[65])
{
    bo__buf_field(out, date);
    bo__buf_field(out, e->memo);
    bo__buf_field_int(out, reverses);
    for (int i = 0; i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        bo__buf_field(out, acc[i]->code);
        bo__buf_field_int(out, p->amount);
        bo__buf_field(out, p->currency[0] ? p->currency : acc[i]->currency);
        bo__buf_field(out, p->memo);
        if (p->has_base) {
            /* Only for postings given a book-currency value, so the digest
             * of every other entry is what it was before this existed. */
            bo__buf_field(out, "base");
            bo__buf_field_int(out, p->base);
        }
    }
    return bo__buf_hash(out, digest);
}

/* The book-currency value of posting p in currency cur: 1 when known. */
static int posting_base(const bo_book *b, const bo__posting *p, const char *cur,
                        int64_t *base)
{
    if (p->has_base) {
        *base = p->base;
        return 1;
    }
    if (strcmp(cur, b->base_currency) == 0) {
        *base = p->amount;
        return 1;
    }
    return 0;
}

/* Sum per currency and in the book currency. An entry balances per
 * currency, or, when every posting has a book-currency value and the entry
 * mixes currencies, in the book currency; a single-currency entry always
 * balances in its currency. BO_EUNBALANCED names the first sum off. */
static int check_balance(const bo_book *b, const bo_entry *e,
                         const bo__account **acc)
{
    enum { MAXCUR = 16 };
    struct { const char *cur; int64_t sum; } sums[MAXCUR];
    int n = 0, all_known = 1;
    int64_t base_sum = 0;
    for (int i = 0; i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        const char *cur = p->currency[0] ? p->currency : acc[i]->currency;
        int k;
        for (k = 0; k < n; k++)
            if (strcmp(sums[k].cur, cur) == 0)
                break;
        if (k == n) {
            if (n == MAXCUR)
                return bo__error_set(BO_ELIMIT, "posting %d: an entry may use at "
                                     "most %d currencies", i + 1, MAXCUR);
            sums[n].cur = cur;
            sums[n++].sum = 0;
        }
        if (bo__fx_add(sums[k].sum, p->amount, &sums[k].sum))
            return bo__error_set(BO_EOVERFLOW, "posting %d: amount: the entry's "
                                 "%s total overflows", i + 1, cur);
        int64_t base;
        if (p->has_base && strcmp(cur, b->base_currency) == 0 && p->base != p->amount)
            return bo__error_set(BO_EINVAL, "posting %d: base_amount: differs "
                                 "from the amount of a %s posting", i + 1, cur);
        if (!posting_base(b, p, cur, &base))
            all_known = 0;
        else if (bo__fx_add(base_sum, base, &base_sum))
            return bo__error_set(BO_EOVERFLOW, "posting %d: base_amount: the "
                                 "entry's %s total overflows", i + 1,
                                 b->base_currency);
    }
    if (all_known && base_sum != 0) {
        char a[48];
        bo__amount_str(base_sum, b->base_currency, a);
        return bo__error_set(BO_EUNBALANCED, "entry does not balance in the "
                             "book currency: debits minus credits = %s", a);
    }
    if (all_known && n > 1)
        return 0;
    for (int k = 0; k < n; k++) {
        if (sums[k].sum != 0) {
            char a[48];
            bo__amount_str(sums[k].sum, sums[k].cur, a);
            return bo__error_set(BO_EUNBALANCED, "entry does not balance: "
                                 "debits minus credits in %s = %s", sums[k].cur, a);
        }
    }
    return 0;
}

/* The entry's row; *id = 0 when its key exists (bo__store_insert, bound
 * one by one). */
static int insert_entry(bo_book *b, const char *date, const bo_entry *e, const char *digest,
                        int64_t *id)
{
    *id = 0;
    int plain = bo__store_has_insert_id(b->store);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, plain ? SQL_INSERT_ENTRY_PLAIN : SQL_INSERT_ENTRY, &s);
    if (rc)
        return rc;
    bo__stmt_borrow(s); /* every text outlives bo__stmt_done */
    if (!(rc = bo__stmt_text(s, 1, date)) && !(rc = bo__stmt_text(s, 2, e->memo)) &&
        !(rc = bo__stmt_text(s, 3, e->key)) && !(rc = bo__stmt_text(s, 4, b->actor)) &&
        !(rc = bo__stmt_text(s, 5, digest)) && (rc = bo__stmt_step(s)) >= 0) {
        if (rc == BO_DRIVER_ROW)
            *id = bo__stmt_col_int(s, 0);
        else if (plain && bo__store_changes(b->store) == 1)
            *id = bo__store_insert_id(b->store);
        rc = 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* "entry:<id>", the object of an entry's audit record (snprintf cost
 * about 700 instructions an entry). */
static void entry_object(char out[48], int64_t id)
{
    bo__id_name(out, "entry:", id);
}

/* The key is taken: 0 with the original id when the content is the same
 * (nothing new is recorded), BO_EKEYREUSE otherwise, BO_ENOTFOUND if the
 * key is unknown after all. */
static int replay(bo_book *b, const char *key, const char *digest, int64_t *id)
{
    int state;
    int rc = bo__idem_claim(b, SQL_BY_KEY, "entry", key, digest, id, &state);
    return rc ? rc : state == BO__IDEM_REPLAY ? 0 : BO_ENOTFOUND;
}

/* A refusal (rc, message set) that does not apply to the replay of an
 * entry posted earlier under the same key: 0 with the original id for a
 * replay, BO_EKEYREUSE for the key with other content, rc otherwise. */
static int unless_replay(bo_book *b, const char *key, const char *digest,
                         int64_t *id, int rc)
{
    if (!key)
        return rc;
    bo__error_state es;
    bo__error_save(&es);
    int r = replay(b, key, digest, id);
    if (r == 0) {
        bo__error_clear();
        return 0;
    }
    if (r == BO_ENOTFOUND)
        return bo__error_restore(&es);
    return r;
}

/* Inlined in bo__ledger_post (its hot path); bo__ledger_entry_form for
 * post_many.c. */
static inline int entry_form(bo_book *b, const bo_entry *e, const char *date,
                             int64_t reverses, const bo__account **acc, int *closed_at,
                             bo__buf *canon, char digest[65])
{
    int rc;
    *closed_at = 0;
    for (int i = 0; i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        if ((rc = bo__account_find(b, p->account, &acc[i])))
            return bo__error_prefix("posting %d: ", i + 1);
        if (acc[i]->closed && !*closed_at) {
            /* Refused by the caller, unless this is the replay of an entry
             * posted before the account was closed. */
            *closed_at = i + 1;
        }
        if (p->currency[0] && strcmp(p->currency, acc[i]->currency) != 0)
            return bo__error_set(BO_ECURRENCY, "posting %d: currency %s differs "
                                 "from account '%s' currency %s", i + 1,
                                 p->currency, p->account, acc[i]->currency);
    }
    if ((rc = check_balance(b, e, acc)))
        return rc;
    return canonical(e, date, reverses, acc, canon, digest);
}

int bo__ledger_entry_form(bo_book *b, const bo_entry *e, const char *date, int64_t reverses,
                          const bo__account **acc, int *closed_at, bo__buf *canon,
                          char digest[65])
{
    return entry_form(b, e, date, reverses, acc, closed_at, canon, digest);
}

int bo__ledger_entry_days(bo_book *b, const bo_entry *e, const bo__account **acc,
                          const char *date, bo__day_pend *pend)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    day_plan stack_plans[8];
    day_plan *plans = e->n <= 8 ? stack_plans : bo__malloc((size_t)e->n * sizeof *plans);
    if (!plans)
        return BO_ENOMEM;
    int nplans = 0;
    int rc = plan_days(b, l, e, acc, date, plans, &nplans, pend);
    for (int k = 0; k < nplans && !rc; k++)
        rc = write_day(b, l, &plans[k], date, 1, pend);
    if (!rc && !pend)
        rc = write_new_days(b, plans, nplans, date);
    if (plans != stack_plans)
        bo__free(plans);
    return rc;
}

int bo__ledger_posting_base(const bo_book *b, const bo__posting *p, const char *cur,
                            int64_t *base)
{
    return posting_base(b, p, cur, base);
}

void bo__ledger_entry_object(char out[48], int64_t id)
{
    entry_object(out, id);
}

/* The posting's static pieces inlined into it as when it was their only
 * caller (post_many.c shares them through the wrappers above; about 200
 * instructions an entry otherwise). */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((flatten))
#endif
int bo__ledger_post(bo_book *b, const bo_entry *e, int64_t reverses,
                    unsigned flags, int64_t *id)
{
    int rc = (flags & BO__POST_TRUSTED) ? bo__tx_usable(b)
                                        : bo__require(b, BO__P_LEDGER_POST);
    if (rc)
        return rc;
    if (e->n < 2)
        return bo__error_set(BO_EINVAL, "entry: has %d posting(s), needs at "
                             "least 2", e->n);
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    char date[11];
    bo__date_iso(e->date, date);

    const bo__account *stack_acc[8];
    day_plan stack_plans[8];
    const bo__account **acc = e->n <= 8 ? stack_acc
                            : bo__malloc((size_t)e->n * sizeof *acc);
    day_plan *plans = e->n <= 8 ? stack_plans
                    : bo__malloc((size_t)e->n * sizeof *plans);
    int nplans = 0;
    if (!acc || !plans) {
        if (acc != stack_acc)
            bo__free(acc);
        if (plans != stack_plans)
            bo__free(plans);
        return BO_ENOMEM;
    }
    bo__buf canon = bo__ledger_scratch_take(l, 0);
    char digest[65];

    int closed_at = 0; /* the first posting to a closed account */
    if ((rc = entry_form(b, e, date, reverses, acc, &closed_at, &canon, digest)))
        goto out;
    if (closed_at && !(flags & BO__POST_CLOSING)) {
        rc = bo__error_set(BO_ECLOSED, "posting %d: account '%s' is closed",
                           closed_at, e->postings[closed_at - 1].account);
        rc = unless_replay(b, e->key, digest, id, rc);
        goto out;
    }
    const char *closed = NULL;
    if (!(flags & BO__POST_CLOSING) && (rc = bo__period_closed_at(b, date, &closed)))
        goto out;
    if (closed) {
        /* A replay of an entry posted before the close still answers. */
        if (!e->key || (rc = replay(b, e->key, digest, id)) == BO_ENOTFOUND)
            rc = bo__error_set(BO_EPERIOD, "date: %s lies in closed period '%s'",
                               date, closed);
        goto out;
    }
    /* Everything is checked before the first write: from here on only the
     * store itself can fail. */
    if ((rc = plan_days(b, l, e, acc, date, plans, &nplans, NULL))) {
        /* A replay never adds to the balances, so it cannot overflow them. */
        if (rc == BO_EOVERFLOW)
            rc = unless_replay(b, e->key, digest, id, rc);
        goto out;
    }

    if ((rc = insert_entry(b, date, e, digest, id)))
        goto out;
    if (!*id) { /* the key exists: a replay, or a reuse */
        rc = e->key ? replay(b, e->key, digest, id) : BO_ERROR;
        if (rc == BO_ENOTFOUND) /* cannot happen in one transaction */
            rc = bo__error_set(BO_ECONFLICT, "key: changed by another writer");
        goto out;
    }
    if (reverses && (rc = bo__store_run(b->store, SQL_INSERT_REVERSAL, "ii", reverses, *id)))
        goto out;

    bo__stmt *s;
    const char *const *ins = bo__store_is_sqlite(b->store) ? SQL_INSERT_POSTINGS_FAIL
                                                           : SQL_INSERT_POSTINGS;
    for (int first = 0; first < e->n && !rc; first += POSTINGS_PER_INSERT) {
        int rows = e->n - first < POSTINGS_PER_INSERT ? e->n - first : POSTINGS_PER_INSERT;
        if ((rc = bo__stmt_get(b->store, ins[rows - 1], &s)))
            break;
        bo__stmt_borrow(s); /* the entry's text lives until bo__stmt_done */
        for (int r = 0; r < rows && !rc; r++) {
            int i = first + r, k = r * 8;
            const bo__posting *p = &e->postings[i];
            const char *cur = p->currency[0] ? p->currency : acc[i]->currency;
            int64_t base = 0;
            int known = posting_base(b, p, cur, &base);
            /* Bound one by one (no format to read: a lone entry binds
             * about 25 of these). */
            if ((rc = bo__stmt_int(s, k + 1, *id)) || (rc = bo__stmt_int(s, k + 2, i + 1)) ||
                (rc = bo__stmt_int(s, k + 3, acc[i]->id)) ||
                (rc = bo__stmt_int(s, k + 4, p->amount)) ||
                (rc = bo__stmt_text(s, k + 5, cur)) || (rc = bo__stmt_text(s, k + 6, p->memo)) ||
                (rc = bo__stmt_text(s, k + 7, date)))
                break;
            rc = known ? bo__stmt_int(s, k + 8, base) : bo__stmt_null(s, k + 8);
        }
        if (!rc)
            rc = bo__stmt_run(s);
        bo__stmt_done(s);
    }
    for (int k = 0; k < nplans && !rc; k++)
        rc = write_day(b, l, &plans[k], date, 1, NULL);
    if (!rc)
        rc = write_new_days(b, plans, nplans, date);
    if (rc)
        goto out;
    bo__ledger_held *held = bo__ledger_held_of(l);
    if (held->on && !reverses && !bo__store_has_lanes(b->store)) {
        /* The caller's record carries the entry (bo__ledger_hold_record). */
        bo__buf t = held->form;
        held->form = canon;
        canon = t;
        canon.len = 0;
        held->on = 0;
        held->has = 1;
        held->id = *id;
        rc = bo__event_queue(b, "entry.posted", *id);
        goto out;
    }
    char object[48];
    entry_object(object, *id);
    /* The idempotency key is not in the canonical form (it names the
     * request, not the content): the chain keeps it beside, so a key
     * changed in the table is found (src/ledger/verify_ledger.c). */
    bo__buf extra = bo__ledger_scratch_take(l, 1);
    bo__buf_field(&extra, "key");
    bo__buf_field(&extra, e->key);
    rc = extra.failed ? BO_ENOMEM
       : bo__audit_append_extra(b, reverses ? "ledger.entry.reverse" : "ledger.entry.post",
                                object, canon.ptr, digest, extra.ptr);
    bo__ledger_scratch_give(l, 1, &extra);
    if (rc)
        goto out;
    rc = bo__event_queue(b, reverses ? "entry.reversed" : "entry.posted", *id);
out:
    bo__ledger_scratch_give(l, 0, &canon);
    if (acc != stack_acc)
        bo__free(acc);
    if (plans != stack_plans)
        bo__free(plans);
    return rc;
}

void bo__ledger_hold_record(bo_book *b)
{
    bo__ledger *l = bo__ledger_get(b);
    if (l) { /* without its cache the entry writes its own record */
        bo__ledger_held *h = bo__ledger_held_of(l);
        h->on = 1;
        h->has = 0;
    }
}

int bo__ledger_held_record(bo_book *b, bo__buf *extra)
{
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return 0;
    bo__ledger_held *h = bo__ledger_held_of(l);
    int has = h->has;
    h->on = h->has = 0;
    if (!has)
        return 0;
    char object[48];
    entry_object(object, h->id);
    bo__buf_field(extra, "entry");
    bo__buf_field(extra, object);
    bo__buf_field(extra, "entry_form");
    bo__buf_field(extra, h->form.ptr ? h->form.ptr : "");
    return extra->failed ? BO_ENOMEM : 0;
}

struct post_ctx {
    const bo_entry *e;
    int64_t id;
};

static int post_tx(bo_book *b, void *p)
{
    struct post_ctx *c = p;
    return bo__ledger_post(b, c->e, 0, 0, &c->id);
}

static int post_gate(bo_book *b, void *p)
{
    return bo__ledger_approval(b, ((struct post_ctx *)p)->e);
}

int bo_ledger_post(bo_book *book, const bo_entry *entry, int64_t *id)
{
    bo__error_clear();
    if (!book || !entry)
        return bo__error_set(BO_EINVAL, "book/entry: NULL");
    /* The approval rule is asked inside the posting's own transaction when
     * the caller holds none (bo__write_gated). */
    struct post_ctx c = { entry, 0 };
    /* On its own (no transaction open), on a lane at REPEATABLE READ
     * where the store allows it: docs/architecture.md, "Isolation of
     * writers on lanes". */
    int was = bo__write_mode(book, BO__STORE_SNAPSHOT);
    int rc = bo__write_gated(book, "ledger.entry.post", 1, post_tx, post_gate, &c);
    bo__write_mode(book, was);
    if (!rc && id)
        *id = c.id;
    return rc;
}

struct many_ctx {
    bo_entry *const *e;
    size_t n;
    int64_t *ids;
    int each;   /* entry by entry (the set-wise attempt asked for it) */
};

static int many_tx(bo_book *b, void *p)
{
    struct many_ctx *c = p;
    if (!c->each) {
        /* Set-wise (post_many.c); a batch it leaves to this loop makes it
         * write nothing and say so (1), or fail and be run again (2). */
        int per_entry = 0;
        int rc = bo__ledger_post_set(b, c->e, c->n, c->ids, &per_entry);
        if (per_entry == 2)
            c->each = 1;
        if (per_entry != 1)
            return rc;
    }
    for (size_t i = 0; i < c->n; i++) {
        int64_t id = 0;
        if (bo__ledger_post(b, c->e[i], 0, 0, &id))
            return bo__error_prefix("entry %zu: ", i + 1);
        if (c->ids)
            c->ids[i] = id;
    }
    return 0;
}

int bo_ledger_post_many(bo_book *book, bo_entry *const *entries, size_t n,
                        int64_t *ids)
{
    bo__error_clear();
    if (!book || (!entries && n))
        return bo__error_set(BO_EINVAL, "book/entries: NULL");
    if (ids && n)
        memset(ids, 0, n * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        if (!entries[i])
            return bo__error_set(BO_EINVAL, "entry %zu: NULL", i + 1);
    if (n == 0)
        return 0;
    /* An entry held for approval cannot join an all-or-nothing batch. */
    int rc = bo__approval_wanted(book, "ledger.entry.post");
    if (rc < 0)
        return rc;
    if (rc > 0)
        return bo__error_set(BO_ESTATE, "entries: an approval rule covers "
                             "ledger.entry.post; post them one by one");
    struct many_ctx c = { entries, n, ids, 0 };
    int was = bo__write_mode(book, BO__STORE_SNAPSHOT);
    rc = bo__write(book, many_tx, &c);
    if (rc && c.each) { /* a day total would overflow: the entry's own refusal */
        bo__error_clear();
        rc = bo__write(book, many_tx, &c);
    }
    bo__write_mode(book, was);
    if (rc && ids)
        memset(ids, 0, n * sizeof *ids);
    return rc;
}
