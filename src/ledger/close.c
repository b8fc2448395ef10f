/*
 * Closing a fiscal year: one entry dated the year's last day moves every
 * income and expense account's balance (per currency) to a retained
 * earnings account, so the balance sheet shows the closed years' profit
 * in retained earnings and only the open year's as current earnings.
 * Reopening reverses that entry. The closing entry and its reversal are
 * left out of the income statement (they are not the year's income), and
 * may post into closed periods (the year's last month is usually closed
 * before the year is); a closing entry is reversed only by reopening.
 *
 * A closed year is closed to postings: any other entry dated on or before
 * the latest active close's year end is refused with BO_EPERIOD by the
 * same check as closed periods (bo__period_closed_at, cached per handle),
 * so the closing entry keeps zeroing the year's income and expense. A
 * close or reopen bumps the book's generation, which drops that cache in
 * every handle, in this process or another, at its next transaction.
 *
 * Order: a year is closed after every earlier closed year, and only the
 * latest close may be reopened, so each close moves exactly the profit
 * since the one before it.
 */
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_BY_KEY[] =
    "SELECT COALESCE(entry_id, 0), digest FROM ledger_closings WHERE idem_key = ?";
static const char SQL_ACTIVE_FROM[] =
    "SELECT year_end, entry_id FROM ledger_closings"
    " WHERE reopened_by IS NULL AND year_end >= ? ORDER BY year_end DESC";
static const char SQL_ACTIVE_AT[] =
    "SELECT id, entry_id FROM ledger_closings WHERE reopened_by IS NULL AND year_end = ?";
/* Each income or expense account's balance per currency at the end of ?1,
 * where it is not zero. */
#define SQL_TO_CLOSE_OF(T) \
    "SELECT a.code, d.currency, d.total FROM (" T("<=", "?1") ") d" \
    " JOIN accounts a ON a.id = d.account_id" \
    " WHERE a.type IN (4, 5) AND d.total <> 0" \
    " ORDER BY a.code, d.currency"
static const char SQL_TO_CLOSE[] = SQL_TO_CLOSE_OF(BO__LEDGER_TOTALS);
/* From the postings while the transaction holds back shifts of later day
 * totals (never written by a reader: bo__ledger_days_held). */
static const char SQL_TO_CLOSE_HELD[] = SQL_TO_CLOSE_OF(BO__LEDGER_POSTED);
static const char SQL_ADD[] =
    "INSERT INTO ledger_closings (year_end, account, entry_id, idem_key, digest, actor)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_REOPENED[] = "UPDATE ledger_closings SET reopened_by = ? WHERE id = ?";
static const char SQL_LIST[] =
    "SELECT year_end, account, entry_id, reopened_by, actor FROM ledger_closings"
    " ORDER BY id";

struct close_ctx {
    const char *retained, *key;
    char date[11];
    bo_date year_end;
    int64_t entry;
};

/* The canonical form of a close (bo__idem_claim): the year and the account. */
static int close_digest(const struct close_ctx *c, char out[65])
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "ledger.year.close");
    bo__buf_field(&d, c->date);
    bo__buf_field(&d, c->retained);
    return bo__buf_digest(&d, out);
}

/* Refuse a close on or before an active one. */
static int close_order(bo_book *b, const char *date)
{
    char at[11];
    int found;
    int rc = bo__store_row(b->store, SQL_ACTIVE_FROM, &found, "t>t", date, at, sizeof at);
    if (rc || !found)
        return rc;
    return strcmp(at, date) == 0
         ? bo__error_set(BO_EEXISTS, "year_end: the year ending %s is already closed", date)
         : bo__error_set(BO_ESTATE, "year_end: the year ending %s is closed; a year before "
                         "it cannot be closed after it", at);
}

/* The closing entry: every income and expense balance to zero, the sum per
 * currency to the retained earnings account. *e stays NULL when there is
 * nothing to close. */
static int close_plan(bo_book *b, struct close_ctx *c, const bo__account *ret, bo_entry **e)
{
    enum { MAXCUR = 16 };
    struct { char cur[BO_CURRENCY_MAX + 1]; int64_t sum; } sums[MAXCUR];
    int n = 0;
    *e = NULL;
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, bo__ledger_days_held(b) ? SQL_TO_CLOSE_HELD
                                                            : SQL_TO_CLOSE, &s);
    if (rc)
        return rc;
    char memo[64];
    snprintf(memo, sizeof memo, "Year-end close %s", c->date);
    if ((rc = bo_entry_new(e, c->year_end, memo)) ||
        (c->key && (rc = bo_entry_set_key(*e, c->key))) ||
        (rc = bo__stmt_bind(s, "t", c->date)))
        goto out;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        const char *code = bo__stmt_col_text(s, 0), *cur = bo__stmt_col_text(s, 1);
        int64_t total = bo__stmt_col_int(s, 2), back;
        if (strcmp(cur, ret->currency) != 0) {
            rc = bo__error_set(BO_ECURRENCY, "retained: account '%s' is in %s, but "
                               "account '%s' has a %s balance to close", ret->code,
                               ret->currency, code, cur);
            goto out;
        }
        if ((rc = bo_money_neg(total, &back))) {
            rc = bo__error_set(BO_EOVERFLOW, "account '%s': its %s balance cannot be "
                               "reversed (INT64_MIN)", code, cur);
            goto out;
        }
        if ((rc = bo_entry_add(*e, code, back, cur, "year-end close")))
            goto out;
        int k;
        for (k = 0; k < n && strcmp(sums[k].cur, cur); k++)
            ;
        if (k == n) {
            if (n == MAXCUR) {
                rc = bo__error_set(BO_ELIMIT, "year_end: more than %d currencies", MAXCUR);
                goto out;
            }
            snprintf(sums[n].cur, sizeof sums[n].cur, "%s", cur);
            sums[n++].sum = 0;
        }
        if ((rc = bo_money_add(sums[k].sum, total, &sums[k].sum))) {
            rc = bo__error_set(BO_EOVERFLOW, "year_end: the %s result of the year "
                               "overflows", cur);
            goto out;
        }
    }
    if (rc < 0)
        goto out;
    rc = 0;
    for (int k = 0; k < n && !rc; k++)
        if (sums[k].sum != 0)
            rc = bo_entry_add(*e, ret->code, sums[k].sum, sums[k].cur,
                              "result of the year");
    if (!rc && bo_entry_count(*e) == 0) {
        bo_entry_free(*e);
        *e = NULL;
    }
out:
    bo__stmt_done(s);
    if (rc) {
        bo_entry_free(*e);
        *e = NULL;
    }
    return rc;
}

static int close_tx(bo_book *b, void *p)
{
    struct close_ctx *c = p;
    const bo__account *ret;
    char digest[65];
    int rc, state;
    /* Its totals must include every posting that commits before it: it
     * runs alone, or in the host's transaction, which no posting at
     * REPEATABLE READ on a lane runs beside. */
    if ((rc = bo__tx_alone(b, "year-end close")) ||
        (rc = bo__require(b, BO__P_LEDGER_ADMIN)) || (rc = close_digest(c, digest)) ||
        (rc = bo__idem_claim(b, SQL_BY_KEY, "year-end close", c->key, digest, &c->entry,
                             &state)) || state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__account_find(b, c->retained, &ret)))
        return bo__error_prefix("retained: ");
    if (ret->type != BO_ACCOUNT_EQUITY)
        return bo__error_set(BO_EINVAL, "retained: account '%s' is not an equity account",
                             c->retained);
    if (ret->closed)
        return bo__error_set(BO_ECLOSED, "retained: account '%s' is closed", c->retained);
    if ((rc = close_order(b, c->date)))
        return rc;
    bo_entry *e = NULL;
    if ((rc = close_plan(b, c, ret, &e)))
        return rc;
    c->entry = 0;
    if (e)
        rc = bo__ledger_post(b, e, 0, BO__POST_TRUSTED | BO__POST_CLOSING, &c->entry);
    bo_entry_free(e);
    if (rc)
        return rc;
    if ((rc = bo__store_run(b->store, SQL_ADD, "ttIttt", c->date, c->retained, c->entry,
                            c->key, digest, bo_book_actor(b))))
        return rc;
    char object[32], detail[96];
    snprintf(object, sizeof object, "year:%s", c->date);
    snprintf(detail, sizeof detail, "retained %s, entry %" PRId64, c->retained, c->entry);
    if ((rc = bo__audit_append(b, "ledger.year.close", object, detail)) ||
        (rc = bo__event_queue(b, "year.closed", c->entry)))
        return rc;
    return bo__book_bump_generation(b); /* the year is closed to postings */
}

int bo_ledger_year_close(bo_book *b, bo_date year_end, const char *retained,
                         const char *key, int64_t *entry)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("retained", retained, BO_CODE_MAX)) || (rc = bo__idem_check(key)))
        return rc;
    struct close_ctx c = { retained, key, "", year_end, 0 };
    bo__date_iso(year_end, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "year_end: outside 0001-01-01..9999-12-31");
    int was = bo__write_mode(b, BO__STORE_ALONE);
    rc = bo__write(b, close_tx, &c);
    bo__write_mode(b, was);
    if (!rc && entry)
        *entry = c.entry;
    return rc;
}

static int reopen_tx(bo_book *b, void *p)
{
    struct close_ctx *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_LEDGER_ADMIN)))
        return rc;
    int64_t id = 0, closing = 0; /* NULL reads 0 */
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_ACTIVE_AT, &found, "t>ii", c->date, &id, &closing)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "year_end: no closed year ends on %s", c->date);
    /* Only the latest close: a later one would otherwise carry this
     * year's result twice. */
    char next[11];
    bo_date after = c->year_end + 1;
    bo__date_iso(after, next);
    if (next[0] && (rc = close_order(b, next)) != 0) {
        if (rc == BO_ESTATE || rc == BO_EEXISTS)
            rc = bo__error_set(BO_ESTATE, "year_end: a later year is closed; reopen it "
                               "first");
        return rc;
    }
    c->entry = 0;
    if (closing && (rc = bo__ledger_reverse(b, closing, c->year_end, c->key,
                                            BO__POST_TRUSTED | BO__POST_CLOSING, &c->entry)))
        return rc;
    /* A year closed with nothing to move is reopened by the mark alone: -id
     * keeps reopened_by non-NULL without naming an entry. */
    if ((rc = bo__store_run(b->store, SQL_REOPENED, "ii", c->entry ? c->entry : -id, id)))
        return rc;
    char object[32], detail[48];
    snprintf(object, sizeof object, "year:%s", c->date);
    snprintf(detail, sizeof detail, "reversal entry %" PRId64, c->entry);
    if ((rc = bo__audit_append(b, "ledger.year.reopen", object, detail)) ||
        (rc = bo__event_queue(b, "year.reopened", c->entry)))
        return rc;
    return bo__book_bump_generation(b); /* open to postings again */
}

int bo_ledger_year_reopen(bo_book *b, bo_date year_end, const char *key, int64_t *entry)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__idem_check(key);
    if (rc)
        return rc;
    struct close_ctx c = { NULL, key, "", year_end, 0 };
    bo__date_iso(year_end, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "year_end: outside 0001-01-01..9999-12-31");
    if (!(rc = bo__write(b, reopen_tx, &c)) && entry)
        *entry = c.entry;
    return rc;
}

static const bo__col list_cols[] = {
    { "year_end", BO_TYPE_TEXT }, { "retained", BO_TYPE_TEXT }, { "entry", BO_TYPE_INT },
    { "reopened_by", BO_TYPE_INT }, { "actor", BO_TYPE_TEXT },
};

int bo_ledger_year_closings(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_LIST, list_cols, 5, out, "");
}

int bo__ledger_is_closing(bo_book *b, int64_t entry, int *closing)
{
    static const char SQL_IS[] =
        "SELECT 1 FROM ledger_closings WHERE entry_id = ? OR reopened_by = ?";
    return bo__store_row(b->store, SQL_IS, closing, "ii", entry, entry);
}
