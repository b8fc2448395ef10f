/*
 * bo_ledger_post_many() set-wise: a batch of entries checked first, then
 * written many rows to a statement (docs/architecture.md, "Posting a batch
 * set-wise"). One code path for every store; what differs is only how the
 * rows are sent (bo__store_rows: one COPY a table, or inserts of up to 64
 * rows, within both SQLite's and PostgreSQL's parameter limits).
 *
 *  1. The keys of the batch are read in one statement a 64 keys (512
 *     while 256 or more are left).
 *  2. Every entry is checked in order exactly as bo__ledger_post checks it
 *     (the same refusals and messages, "entry N: " before them): the
 *     accounts, currencies and balance, the canonical form and its digest,
 *     then what its key names (a replay answers the first id, a key of
 *     other content BO_EKEYREUSE), a closed account, a closed period.
 *     Nothing is written before every entry passed.
 *  3. The day totals of each new entry, in order, through the posting
 *     engine's own planning (post.c, bo__ledger_entry_days: the later days'
 *     shifts held back per batch, days.c).
 *  4. The entries' rows (the ids after the largest stored one,
 *     write_entries; on a lane of the audit chain, writers side by side,
 *     drawn from the entries' identity sequence in one statement instead),
 *     their postings and their audit records
 *     (bo__audit_append_many: the chain, the feed and the digests exactly
 *     as one by one), each table's rows through one writer
 *     (bo__store_rows: PostgreSQL's COPY, or inserts of up to 64 rows a
 *     statement); then the events, one per new entry, in order.
 *
 * What it leaves to the one-by-one loop (post.c, many_tx; nothing written
 * before): a key repeated in the call with other content (its refusal names
 * the first entry's id, not taken yet when the call is checked), a record
 * held by the caller (bo__ledger_hold_record), a batch of one entry.
 */
#include "ledger/ledger.h"

#include "util/fixed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The batch's amounts, all accounts together, below 2^53: see write_days. */
#define BULK_GROSS_MAX ((int64_t)1 << 53)

enum { NEW, REPLAY_STORED, REPLAY_CALL };

typedef struct item {
    const bo_entry *e;
    const bo__account **acc;
    char date[11];
    char digest[65];
    bo__buf canon;
    bo__buf extra;
    char object[48];
    int first;          /* the call's first entry with this key (itself) */
    int found;          /* first's key is stored: found_id, found_digest */
    int64_t found_id;
    char found_digest[65];
    int kind;
    int64_t id;
} item;

#define KEYS_PER_READ 64
#define KEYS_PER_BIG_READ 512
#define Q8 "?,?,?,?,?,?,?,?,"
#define Q64 Q8 Q8 Q8 Q8 Q8 Q8 Q8 Q8
/* 64 keys a statement, or 512 while 256 or more are left (a batch of 1,000
 * keys in 2 reads rather than 16: a round trip each on a server); fewer
 * repeat the first (one prepared statement a size). */
static const char SQL_KEYS[] =
    "SELECT idem_key, id, digest FROM entries WHERE idem_key IN ("
    Q8 Q8 Q8 Q8 Q8 Q8 Q8 "?,?,?,?,?,?,?,?)";
static const char SQL_KEYS_BIG[] =
    "SELECT idem_key, id, digest FROM entries WHERE idem_key IN ("
    Q64 Q64 Q64 Q64 Q64 Q64 Q64 Q8 Q8 Q8 Q8 Q8 Q8 Q8 "?,?,?,?,?,?,?,?)";

/* The batch's rows through bo__store_rows (store.h): PostgreSQL's COPY, or
 * inserts of up to 64 rows (SQLite, the memory store, drivers without
 * copy_rows). */
#define E_COLS "id, date, memo, idem_key, actor, digest"
static const char *const SQL_ENTRIES[BO__ROWS_SHAPES] = BO__ROWS_SHAPED(
    "INSERT INTO entries (" E_COLS ") VALUES (?, ?, ?, ?, ?, ?)", ", (?, ?, ?, ?, ?, ?)", "");
static const bo__rows_table ENTRY_ROWS = { "entries", E_COLS, 6, SQL_ENTRIES, NULL };

#define P_COLS "entry_id, line, account_id, amount, currency, memo, date, base_amount"
#define P_INTO " INTO postings (" P_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
#define P_ROW ", (?, ?, ?, ?, ?, ?, ?, ?)"
static const char *const SQL_POSTINGS[BO__ROWS_SHAPES] =
    BO__ROWS_SHAPED("INSERT" P_INTO, P_ROW, "");
/* OR FAIL on SQLite: no statement journal (post.c, SQL_INSERT_POSTINGS_FAIL). */
static const char *const SQL_POSTINGS_FAIL[BO__ROWS_SHAPES] =
    BO__ROWS_SHAPED("INSERT OR FAIL" P_INTO, P_ROW, "");
static const bo__rows_table POSTING_ROWS = { "postings", P_COLS, 8, SQL_POSTINGS,
                                             SQL_POSTINGS_FAIL };

/* New entries whose rows are gathered before they are written (bounds the
 * memory of a large batch; a batch of the usual size is one write). */
#define PER_WRITE 16384

static uint64_t key_hash(const char *k)
{
    return bo__hash_bytes(k, strlen(k), 0);
}

/* items[i].first for every keyed entry; slots: 2^k >= 2n indexes + 1. */
static void keys_index(item *it, size_t n, int *slots, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        it[i].first = (int)i;
        const char *k = it[i].e->key;
        if (!k)
            continue;
        for (size_t s = key_hash(k) & (cap - 1);; s = (s + 1) & (cap - 1)) {
            if (!slots[s]) {
                slots[s] = (int)i + 1;
                break;
            }
            if (!strcmp(it[slots[s] - 1].e->key, k)) {
                it[i].first = slots[s] - 1;
                break;
            }
        }
    }
}

static item *key_find(item *it, const int *slots, size_t cap, const char *k)
{
    for (size_t s = key_hash(k) & (cap - 1); slots[s]; s = (s + 1) & (cap - 1))
        if (!strcmp(it[slots[s] - 1].e->key, k))
            return &it[slots[s] - 1];
    return NULL;
}

/* What the stored entries say of the call's keys, 64 or 512 keys a read. */
static int keys_read(bo_book *b, item *it, size_t n, const int *slots, size_t cap)
{
    const char *keys[KEYS_PER_BIG_READ];
    size_t i = 0, left = 0;
    int rc = 0;
    for (size_t j = 0; j < n; j++)
        left += it[j].e->key && it[j].first == (int)j;
    while (!rc && i < n) {
        int nk = 0, per = left >= KEYS_PER_BIG_READ / 2 ? KEYS_PER_BIG_READ : KEYS_PER_READ;
        for (; i < n && nk < per; i++)
            if (it[i].e->key && it[i].first == (int)i)
                keys[nk++] = it[i].e->key;
        if (!nk)
            break;
        bo__stmt *s;
        left -= (size_t)nk;
        if ((rc = bo__stmt_get(b->store, per == KEYS_PER_READ ? SQL_KEYS : SQL_KEYS_BIG, &s)))
            break;
        bo__stmt_borrow(s); /* the keys outlive bo__stmt_done */
        for (int j = 0; j < per && !rc; j++)
            rc = bo__stmt_text(s, j + 1, keys[j < nk ? j : 0]);
        while (!rc && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            const char *k = bo__stmt_col_text(s, 0), *d = bo__stmt_col_text(s, 2);
            item *f = k ? key_find(it, slots, cap, k) : NULL;
            rc = 0;
            if (!f)
                continue;
            f->found = 1;
            f->found_id = bo__stmt_col_int(s, 1);
            size_t dl = d ? strlen(d) : 0;
            if (dl >= sizeof f->found_digest)
                dl = sizeof f->found_digest - 1;
            memcpy(f->found_digest, d ? d : "", dl);
            f->found_digest[dl] = '\0';
        }
        bo__stmt_done(s);
        if (rc == BO_DRIVER_DONE)
            rc = 0;
        else if (rc > 0)
            rc = bo__error_set(BO_ERROR, "entries: keys: read");
    }
    return rc;
}

/* Entry it checked as bo__ledger_post checks it, in the same order, with
 * what its key names taken from the read (or the call's earlier entry). */
static int check(bo_book *b, item *all, item *it, int *per_entry)
{
    const bo_entry *e = it->e;
    int rc, closed_at = 0;
    if (e->n < 2)
        return bo__error_set(BO_EINVAL, "entry: has %d posting(s), needs at least 2", e->n);
    bo__date_iso(e->date, it->date);
    if ((rc = bo__ledger_entry_form(b, e, it->date, 0, it->acc, &closed_at, &it->canon,
                                    it->digest)))
        return rc;
    if (e->key) {
        item *f = &all[it->first];
        if (f->found) {
            /* A replay (the first id) or BO_EKEYREUSE, whatever else the
             * entry meets: one by one it answers the same. */
            int state;
            it->kind = REPLAY_STORED;
            return bo__idem_judge("entry", e->key, 1, f->found_id, f->found_digest, it->digest,
                                  &it->id, &state);
        }
        if (f != it) {
            if (strcmp(f->digest, it->digest) != 0) {
                /* Refused with the first's id, not taken yet: one by one. */
                *per_entry = 1;
                return 0;
            }
            it->kind = REPLAY_CALL;
            return 0;
        }
    }
    if (closed_at)
        return bo__error_set(BO_ECLOSED, "posting %d: account '%s' is closed", closed_at,
                             e->postings[closed_at - 1].account);
    const char *closed = NULL;
    if ((rc = bo__period_closed_at(b, it->date, &closed)))
        return rc;
    if (closed)
        return bo__error_set(BO_EPERIOD, "date: %s lies in closed period '%s'", it->date,
                             closed);
    it->kind = NEW;
    return 0;
}

/* The rows of the new entries fresh[0..nf). A batch that runs alone
 * (writers take turns) gives its entries the ids after the largest stored
 * one (entries are never deleted), written with their rows; then the
 * identity is moved past them. Beside other writers (a lane of the audit
 * chain, PostgreSQL: docs/architecture.md "A batch on a lane") two batches
 * would take the same ids, so there they are drawn from the entries'
 * identity sequence in one statement (bo__store_draw_ids: never the same
 * id twice, never a wait). A key another writer inserted since the read
 * fails the write (a unique violation; on a lane a conflict, BO_ECONFLICT:
 * the batch runs again and finds the key). */
static const char SQL_LAST_ENTRY[] = "SELECT COALESCE(MAX(id), 0) FROM entries";

static int write_entries(bo_book *b, item **fresh, int nf)
{
    int lanes = bo__store_has_lanes(b->store), rc = 0;
    int64_t last = 0, *drawn = NULL;
    if (!lanes)
        rc = bo__store_row(b->store, SQL_LAST_ENTRY, NULL, ">i", &last);
    else if (!(drawn = bo__malloc((size_t)nf * sizeof *drawn)))
        return BO_ENOMEM;
    else
        rc = bo__store_draw_ids(b->store, "entries", "id", (size_t)nf, drawn);
    for (int f = 0; f < nf && !rc;) {
        int k = nf - f < PER_WRITE ? nf - f : PER_WRITE;
        bo__rowset r;
        if ((rc = bo__rowset_init(&r, (size_t)k * 6)))
            break;
        for (; k > 0; k--, f++) {
            item *it = fresh[f];
            it->id = drawn ? drawn[f] : last + 1 + f;
            bo__rowset_int(&r, it->id);
            bo__rowset_text(&r, it->date);
            bo__rowset_text(&r, it->e->memo);
            bo__rowset_text(&r, it->e->key);
            bo__rowset_text(&r, b->actor);
            bo__rowset_text(&r, it->digest);
        }
        rc = bo__store_rows(b->store, &ENTRY_ROWS, &r);
        bo__rowset_free(&r);
    }
    bo__free(drawn);
    return rc || lanes ? rc : bo__store_sync_identity(b->store, "entries", "id");
}

/* Every posting of the new entries fresh[0..nf), with the currency (the
 * account's where the line names none) and the base amount derived here
 * for every store. */
static int write_postings(bo_book *b, item **fresh, int nf)
{
    int rc = 0;
    for (int f = 0; f < nf && !rc;) {
        int end = nf - f < PER_WRITE ? nf : f + PER_WRITE;
        size_t np = 0;
        for (int g = f; g < end; g++)
            np += (size_t)fresh[g]->e->n;
        bo__rowset r;
        if ((rc = bo__rowset_init(&r, np * 8)))
            return rc;
        for (; f < end; f++) {
            const item *it = fresh[f];
            for (int i = 0; i < it->e->n; i++) {
                const bo__posting *q = &it->e->postings[i];
                const char *cur = q->currency[0] ? q->currency : it->acc[i]->currency;
                int64_t base = 0;
                int known = bo__ledger_posting_base(b, q, cur, &base);
                bo__rowset_int(&r, it->id);
                bo__rowset_int(&r, i + 1);
                bo__rowset_int(&r, it->acc[i]->id);
                bo__rowset_int(&r, q->amount);
                bo__rowset_text(&r, cur);
                bo__rowset_text(&r, q->memo);
                bo__rowset_text(&r, it->date);
                if (known)
                    bo__rowset_int(&r, base);
                else
                    bo__rowset_text(&r, NULL);
            }
        }
        rc = bo__store_rows(b->store, &POSTING_ROWS, &r);
        bo__rowset_free(&r);
    }
    return rc;
}

static int cmp_date(const void *a, const void *b)
{
    const item *x = *(item *const *)a, *y = *(item *const *)b;
    if (x->e->date != y->e->date)
        return x->e->date < y->e->date ? -1 : 1;
    return (x > y) - (x < y);
}

/* Step 3: the day totals, one plan a day of the batch rather than one an
 * entry: the new entries of each date, in the order of the dates, as one
 * entry of all their postings (netted per account and currency by the
 * planner, as it nets an entry's lines). The rows and totals are those the
 * entries one by one leave; every total written is checked as it is
 * planned. BO_EOVERFLOW: a total would not fit; the caller posts the batch
 * again one by one for the entry's own refusal. */
static int write_days(bo_book *b, item **fresh, int nf)
{
    if (nf == 0) /* every entry a replay */
        return 0;
    item **by = bo__malloc((size_t)nf * sizeof *by);
    bo__day_pend pend = { .r = NULL };
    int total = 0, rc = 0;
    for (int f = 0; f < nf; f++)
        total += fresh[f]->e->n;
    bo__posting *p = bo__malloc((size_t)total * sizeof *p);
    const bo__account **acc = bo__malloc((size_t)total * sizeof *acc);
    if (!by || !p || !acc) {
        rc = BO_ENOMEM;
        goto out;
    }
    memcpy(by, fresh, (size_t)nf * sizeof *by);
    qsort(by, (size_t)nf, sizeof *by, cmp_date);
    for (int f = 0, np = 0; f < nf; np += by[f++]->e->n) {
        memcpy(p + np, by[f]->e->postings, (size_t)by[f]->e->n * sizeof *p);
        memcpy(acc + np, by[f]->acc, (size_t)by[f]->e->n * sizeof *acc);
    }
    /* The latest day row of every account and currency, in one read
     * (account_days: lane 0, or lane 1 which keeps it). */
    if (bo__store_audit_lane(b->store) <= 1)
        rc = bo__day_load(b, p, acc, total);
    for (int f = 0, at = 0; f < nf && !rc;) {
        int g = f, np = 0;
        for (; g < nf && by[g]->e->date == by[f]->e->date; g++)
            np += by[g]->e->n;
        bo_entry day = *by[f]->e;
        day.postings = p + at;
        day.n = day.cap = np;
        rc = bo__ledger_entry_days(b, &day, acc + at, by[f]->date, &pend);
        at += np;
        f = g;
    }
    if (!rc)
        rc = bo__day_pend_flush(b, &pend);
out:
    bo__day_pend_free(&pend);
    bo__free(by);
    bo__free(p);
    bo__free(acc);
    return rc;
}

/* Steps 3 and 4 for the new entries (fresh[0..nf), in the call's order). */
static int write_all(bo_book *b, item *all, size_t n, item **fresh, int nf)
{
    int rc = write_days(b, fresh, nf);
    if (!rc && nf)
        rc = write_entries(b, fresh, nf);
    if (!rc)
        rc = write_postings(b, fresh, nf);
    if (rc)
        return rc;
    bo__audit_rec *recs = bo__malloc((size_t)(nf ? nf : 1) * sizeof *recs);
    if (!recs)
        return BO_ENOMEM;
    for (int f = 0; f < nf && !rc; f++) {
        item *it = fresh[f];
        bo__ledger_entry_object(it->object, it->id);
        /* The key beside the canonical form, as one by one (post.c). */
        bo__buf_field(&it->extra, "key");
        bo__buf_field(&it->extra, it->e->key);
        if (it->extra.failed || it->canon.failed) {
            rc = BO_ENOMEM;
            break;
        }
        recs[f] = (bo__audit_rec){ it->object, it->canon.ptr, it->digest, it->extra.ptr };
    }
    if (!rc)
        rc = bo__audit_append_many(b, "ledger.entry.post", recs, (size_t)nf);
    bo__free(recs);
    for (int f = 0; f < nf && !rc; f++)
        rc = bo__event_queue(b, "entry.posted", fresh[f]->id);
    for (size_t i = 0; i < n && !rc; i++)
        if (all[i].kind == REPLAY_CALL)
            all[i].id = all[all[i].first].id;
    return rc;
}

int bo__ledger_post_set(bo_book *b, bo_entry *const *e, size_t n, int64_t *ids,
                        int *per_entry)
{
    *per_entry = 0;
    if (n < 2 || (bo__store_has_lanes(b->store) && !bo__store_draws_ids(b->store))) {
        /* one entry: the one-by-one path is the same work; lanes on a
         * store that cannot draw ids in bulk (write_entries) */
        *per_entry = 1;
        return 0;
    }
    int rc = bo__require(b, BO__P_LEDGER_POST);
    if (rc)
        return bo__error_prefix("entry 1: ");
    bo__ledger *l = bo__ledger_get(b);
    if (!l)
        return BO_ENOMEM;
    if (bo__ledger_held_of(l)->on) { /* the caller's record carries one entry */
        *per_entry = 1;
        return 0;
    }
    size_t npost = 0, cap = 16;
    int64_t gross = 0;
    for (size_t i = 0; i < n; i++) {
        npost += (size_t)(e[i]->n > 0 ? e[i]->n : 0);
        for (int k = 0; k < e[i]->n; k++) {
            int64_t a = e[i]->postings[k].amount;
            if (a == INT64_MIN || bo__fx_add(gross, a < 0 ? -a : a, &gross))
                gross = BULK_GROSS_MAX;
        }
    }
    if (gross >= BULK_GROSS_MAX) {
        /* The days of the batch are planned a day at a time (write_days):
         * amounts this large are left to the entry-by-entry checks. */
        *per_entry = 1;
        return 0;
    }
    while (cap < 2 * n)
        cap *= 2;
    item *it = bo__calloc(n, sizeof *it);
    const bo__account **acc = bo__calloc(npost ? npost : 1, sizeof *acc);
    int *slots = bo__calloc(cap, sizeof *slots);
    item **fresh = bo__calloc(n, sizeof *fresh);
    if (!it || !acc || !slots || !fresh) {
        rc = BO_ENOMEM;
        goto out;
    }
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        it[i].e = e[i];
        it[i].acc = acc + at;
        at += (size_t)(e[i]->n > 0 ? e[i]->n : 0);
        it[i].canon = (bo__buf)BO__BUF_INIT;
        it[i].extra = (bo__buf)BO__BUF_INIT;
    }
    keys_index(it, n, slots, cap);
    /* The batch's accounts in one read, then its keys. */
    if ((rc = bo__account_load(b, e, n)) || (rc = keys_read(b, it, n, slots, cap)))
        goto out;
    int nf = 0;
    for (size_t i = 0; i < n; i++) {
        if ((rc = check(b, it, &it[i], per_entry))) {
            bo__error_prefix("entry %zu: ", i + 1);
            goto out;
        }
        if (*per_entry)
            goto out;
        if (it[i].kind == NEW)
            fresh[nf++] = &it[i];
    }
    if ((rc = write_all(b, it, n, fresh, nf))) {
        if (rc == BO_EOVERFLOW)
            *per_entry = 2; /* rolled back, then one by one */
        goto out;
    }
    if (ids)
        for (size_t i = 0; i < n; i++)
            ids[i] = it[i].id;
out:
    if (it) {
        for (size_t i = 0; i < n; i++) {
            bo__buf_free(&it[i].canon);
            bo__buf_free(&it[i].extra);
        }
    }
    bo__free(it);
    bo__free(acc);
    bo__free(slots);
    bo__free(fresh);
    return rc;
}
