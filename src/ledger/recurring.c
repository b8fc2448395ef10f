/*
 * Recurring entries: a template of postings and a schedule. Occurrence k
 * falls on the start + k * every periods (util: bo__date_next_occurrence,
 * the one schedule arithmetic); a run posts each occurrence due as an
 * entry with the key "recurring:<id>:<date>", so a rerun posts nothing
 * twice. The row keeps the last occurrence posted, the next one due
 * (NULL when none is left) and the occurrences left (NULL: unlimited).
 */
#include "ledger/ledger.h"
#include "core/approval.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ADD[] =
    "INSERT INTO ledger_recurring (memo, period, every, start_date, end_date, remaining,"
    " last_date, next_date, enabled, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_ADD_LINE[] =
    "INSERT INTO ledger_recurring_lines (recurring_id, line, account_id, amount, currency,"
    " memo) VALUES (?, ?, ?, ?, ?, ?)";

static const char *const period_names[] = { "", "day", "week", "month", "month_end", "year" };

/* The next occurrence after last (or the first, on or after start), or
 * *has = 0 when the end or the count is reached. */
static int next_of(bo_date start, const bo__recur *r, int has_last, bo_date last, bo_date *next,
                   int *has)
{
    *has = 0;
    if (r->remaining == 0)
        return 0;
    int rc = bo__date_next_occurrence(start, r->period, r->every, has_last ? last : start - 1,
                                      next);
    if (rc == BO_EINVAL && has_last) { /* past 9999: none left */
        bo__error_clear();
        return 0;
    }
    if (rc)
        return rc;
    *has = !r->has_end || *next <= r->end;
    return 0;
}

int bo__ledger_recurring_add(bo_book *b, const bo_entry *e, const bo__recur *r, int64_t *id)
{
    if (r->period < BO_RECUR_DAY || r->period > BO_RECUR_YEAR)
        return bo__error_set(BO_EINVAL, "period: %d is not a period", r->period);
    if (r->every < 1 || r->every > 1000)
        return bo__error_set(BO_EINVAL, "every: %d is outside 1..1000", r->every);
    if (r->enabled != 0 && r->enabled != 1)
        return bo__error_set(BO_EINVAL, "enabled: %d is not 0 or 1", r->enabled);
    if (r->has_end && r->end < e->date)
        return bo__error_set(BO_EINVAL, "end: before the first occurrence");
    if (e->n < 2)
        return bo__error_set(BO_EINVAL, "template: %d postings, 2 needed", e->n);
    /* the postings as bo_ledger_post() checks them: accounts, currencies,
     * and the sum per currency */
    struct { char cur[BO_CURRENCY_MAX + 1]; int64_t sum; } sums[16];
    int nsums = 0, rc;
    for (int i = 0; i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        const bo__account *a;
        if (p->has_base)
            return bo__error_set(BO_EINVAL, "posting %d: a book-currency value is not kept "
                                 "in a template", i + 1);
        if ((rc = bo__account_find(b, p->account, &a)))
            return bo__error_prefix("posting %d: ", i + 1);
        if (a->closed)
            return bo__error_set(BO_ECLOSED, "posting %d: account %s is closed", i + 1,
                                 a->code);
        const char *cur = p->currency[0] ? p->currency : a->currency;
        if (strcmp(cur, a->currency))
            return bo__error_set(BO_ECURRENCY, "posting %d: %s differs from account %s's %s",
                                 i + 1, cur, a->code, a->currency);
        int k = 0;
        while (k < nsums && strcmp(sums[k].cur, cur))
            k++;
        if (k == nsums) {
            if (nsums == (int)(sizeof sums / sizeof sums[0]))
                return bo__error_set(BO_ELIMIT, "template: more than 16 currencies");
            snprintf(sums[nsums].cur, sizeof sums[nsums].cur, "%s", cur);
            sums[nsums++].sum = 0;
        }
        if (bo_money_add(sums[k].sum, p->amount, &sums[k].sum))
            return bo__error_set(BO_EOVERFLOW, "template: the %s postings overflow", cur);
    }
    for (int k = 0; k < nsums; k++)
        if (sums[k].sum)
            return bo__error_set(BO_EUNBALANCED, "template: %s does not balance (%+" PRId64
                                 ")", sums[k].cur, sums[k].sum);
    bo_date next;
    int has_next;
    if ((rc = next_of(e->date, r, r->has_last, r->last, &next, &has_next)))
        return rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_ADD, &s)))
        return rc;
    int64_t rid = 0;
    if (!(rc = bo__stmt_bind(s, "tiid?d?i?d?dit", e->memo ? e->memo : "", r->period, r->every,
                             e->date, r->has_end, r->end, r->remaining >= 0, r->remaining,
                             r->has_last, r->last, has_next, next, r->enabled,
                             bo_book_actor(b)))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW) {
            rid = bo__stmt_col_int(s, 0);
            rc = 0;
        } else if (rc >= 0) {
            rc = bo__error_set(BO_ERROR, "recurring entry: no id returned");
        }
    }
    bo__stmt_done(s);
    for (int i = 0; !rc && i < e->n; i++) {
        const bo__posting *p = &e->postings[i];
        const bo__account *a;
        if (!(rc = bo__account_find(b, p->account, &a)))
            rc = bo__store_run(b->store, SQL_ADD_LINE, "iiiitt", rid, i + 1, a->id, p->amount,
                               p->currency[0] ? p->currency : a->currency, p->memo);
    }
    if (rc)
        return rc;
    char object[48];
    snprintf(object, sizeof object, "recurring_entry:%" PRId64, rid);
    if ((rc = bo__audit_append(b, "ledger.recurring.add", object, period_names[r->period])) ||
        (rc = bo__audit_touch(b, "recurring_entry", rid)))
        return rc;
    if (id)
        *id = rid;
    return 0;
}

struct add_ctx {
    const bo_entry *e;
    bo__recur r;
    int64_t id;
};

static int add_tx(bo_book *b, void *p)
{
    struct add_ctx *c = p;
    return bo__ledger_recurring_add(b, c->e, &c->r, &c->id);
}

int bo_ledger_recurring_add(bo_book *book, const bo_entry *entry, int period, int every,
                            bo_date end, int count, int enabled, int64_t *id)
{
    bo__error_clear();
    if (!book || !entry)
        return bo__error_set(BO_EINVAL, "book/entry: NULL");
    int rc = bo__require(book, BO__P_LEDGER_ADMIN);
    if (rc)
        return rc;
    if (count < 0)
        return bo__error_set(BO_EINVAL, "count: %d is below 0", count);
    if (end < BO_DATE_MIN || end > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "end: not a date");
    struct add_ctx c = { entry, { period, every, enabled, end != BO_DATE_MAX, 0, end, 0,
                                  count ? count : -1 }, 0 };
    rc = bo__write(book, add_tx, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}

/* ---- running ----------------------------------------------------------------- */

static const char SQL_DUE[] =
    "SELECT id, memo, period, every, start_date, COALESCE(end_date, ''),"
    " COALESCE(remaining, -1), next_date FROM ledger_recurring"
    " WHERE enabled = 1 AND next_date <= ? ORDER BY next_date, id LIMIT 1";
static const char SQL_LINES[] =
    "SELECT a.code, l.amount, l.currency, l.memo FROM ledger_recurring_lines l"
    " JOIN accounts a ON a.id = l.account_id WHERE l.recurring_id = ? ORDER BY l.line";
static const char SQL_ADVANCE[] =
    "UPDATE ledger_recurring SET last_date = ?, next_date = ?, remaining = ? WHERE id = ?";

struct run_ctx {
    bo_date as_of;
    int64_t posted;
    int more;
};

static int one_tx(bo_book *b, void *p)
{
    struct run_ctx *c = p;
    char memo[BO_TEXT_MAX + 1] = "", start[11] = "", end[11] = "", next[11] = "";
    int64_t id = 0, remaining = -1;
    int period = 0, every = 0, found = 0;
    int rc = bo__store_row(b->store, SQL_DUE, &found, "d>itiittit", c->as_of, &id, memo,
                           sizeof memo, &period, &every, start, sizeof start, end, sizeof end,
                           &remaining, next, sizeof next);
    c->more = found;
    if (rc || !found)
        return rc;
    bo_date d, s;
    bo__recur r = { period, every, 1, end[0] != 0, 1, 0, 0, remaining };
    if ((rc = bo_date_parse(next, &d)) || (rc = bo_date_parse(start, &s)) ||
        (end[0] && (rc = bo_date_parse(end, &r.end))))
        return rc;
    bo_entry *e;
    if ((rc = bo_entry_new(&e, d, memo)))
        return rc;
    char key[64];
    snprintf(key, sizeof key, "recurring:%" PRId64 ":%s", id, next);
    rc = bo_entry_set_key(e, key);
    bo__stmt *st;
    if (!rc && !(rc = bo__stmt_get(b->store, SQL_LINES, &st))) {
        if (!(rc = bo__stmt_bind(st, "i", id)))
            while ((rc = bo__stmt_step(st)) == BO_DRIVER_ROW &&
                   !(rc = bo_entry_add(e, bo__stmt_col_text(st, 0), bo__stmt_col_int(st, 1),
                                       bo__stmt_col_text(st, 2), bo__stmt_col_text(st, 3))))
                ;
        rc = rc < 0 ? rc : 0;
        bo__stmt_done(st);
    }
    int64_t entry = 0;
    if (!rc)
        rc = bo__ledger_post(b, e, 0, 0, &entry);
    bo_entry_free(e);
    if (rc)
        return bo__error_prefix("recurring %" PRId64 " on %s: ", id, next);
    if (r.remaining > 0)
        r.remaining--;
    bo_date nd;
    int has;
    if ((rc = next_of(s, &r, 1, d, &nd, &has)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_ADVANCE, "d?d?ii", d, has, nd, r.remaining >= 0,
                            r.remaining, id)))
        return rc;
    char object[48];
    snprintf(object, sizeof object, "recurring_entry:%" PRId64, id);
    if ((rc = bo__audit_append(b, "ledger.recurring.run", object, next)) ||
        (rc = bo__audit_touch(b, "recurring_entry", id)))
        return rc;
    c->posted++;
    return 0;
}

int bo_ledger_recurring_run(bo_book *book, bo_date as_of, int64_t *posted)
{
    bo__error_clear();
    if (posted)
        *posted = 0;
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__require(book, BO__P_LEDGER_POST)))
        return rc;
    if (as_of < BO_DATE_MIN || as_of > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "as_of: not a date");
    /* An occurrence is not held for approval: under a rule none is posted. */
    if ((rc = bo__approval_wanted(book, "ledger.entry.post")) < 0)
        return rc;
    if (rc > 0)
        return bo__error_set(BO_ESTATE, "recurring entries: an approval rule covers "
                             "ledger.entry.post; post the occurrences one by one");
    struct run_ctx c = { as_of, 0, 1 };
    /* One occurrence a transaction: those before a refusal stay posted. */
    while (c.more && !rc)
        rc = bo__write(book, one_tx, &c);
    if (posted)
        *posted = c.posted;
    return rc;
}

/* ---- listings ------------------------------------------------------------------ */

static const char SQL_LIST[] =
    "SELECT id, memo, CASE period WHEN 1 THEN 'day' WHEN 2 THEN 'week' WHEN 3 THEN 'month'"
    " WHEN 4 THEN 'month_end' ELSE 'year' END, every, start_date, end_date, remaining,"
    " last_date, next_date, enabled FROM ledger_recurring ORDER BY id";
static const bo__col list_cols[] = {
    { "id", BO_TYPE_INT },        { "memo", BO_TYPE_TEXT },   { "period", BO_TYPE_TEXT },
    { "every", BO_TYPE_INT },     { "start", BO_TYPE_TEXT },  { "end", BO_TYPE_TEXT },
    { "times_left", BO_TYPE_INT }, { "last", BO_TYPE_TEXT },   { "next", BO_TYPE_TEXT },
    { "enabled", BO_TYPE_INT },
};

int bo_ledger_recurring_list(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, NULL, SQL_LIST, list_cols, 10, out, "");
}

static const char SQL_POSTINGS[] =
    "SELECT l.line, a.code, l.amount, l.currency, l.memo FROM ledger_recurring_lines l"
    " JOIN accounts a ON a.id = l.account_id WHERE l.recurring_id = ? ORDER BY l.line";
static const bo__col posting_cols[] = {
    { "line", BO_TYPE_INT },      { "account", BO_TYPE_TEXT }, { "amount", BO_TYPE_INT },
    { "currency", BO_TYPE_TEXT }, { "memo", BO_TYPE_TEXT },
};
static const bo__parent PARENT = { "SELECT 1 FROM ledger_recurring WHERE id = ?",
                                   "recurring entry", ": not found" };

int bo_ledger_recurring_postings(bo_book *b, int64_t id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    return bo__listing(b, BO__P_LEDGER_READ, &PARENT, SQL_POSTINGS, posting_cols, 5, out, "i",
                       id);
}
