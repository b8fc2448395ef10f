/* What the audit chain covers in the ledger (see src/core/verify.h).
 *
 * accounts and periods are records of their own (their states are stored
 * with each change), and so are the year-end closes of a year (keyed by the
 * year's last day: a year closed, reopened and closed again has a row for
 * each close). entries, postings and reversals are checked against
 * the audit record of each entry, whose detail is the entry's canonical
 * form (src/ledger/post.c) and whose extra holds its idempotency key: the
 * postings are compared field by field, so a difference is named down to
 * the posting line and the field. account_days is recomputed from the
 * postings: each day's change, and the running total. */
#include "core/verify.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const bo__vpart account_parts[] = {
    { "accounts", "t.code", NULL, "code", NULL, NULL, NULL, NULL, NULL, NULL },
};
static const bo__vpart period_parts[] = {
    { "periods", "t.name", NULL, "name", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vpart year_parts[] = {
    { "ledger_closings", "t.year_end", NULL, "id", NULL, NULL, NULL, NULL, NULL, NULL },
};

/* A recurring entry (version 18): its schedule's row and its template's
 * lines, stored with each change (added, each occurrence posted). */
static const bo__vpart recurring_parts[] = {
    { "ledger_recurring", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
    { "ledger_recurring_lines", "t.recurring_id", NULL, "line", NULL, NULL, NULL, NULL, NULL,
      NULL },
};

static const bo__vkind kinds[] = {
    { "account", 1, account_parts, BO__VN(account_parts) },
    { "period", 1, period_parts, BO__VN(period_parts) },
    { "year", 1, year_parts, BO__VN(year_parts) },
    { "recurring_entry", 0, recurring_parts, BO__VN(recurring_parts) },
};

static const bo__vaction actions[] = {
    { "ledger.account.add", "account", "account:", NULL },
    { "ledger.account.close", "account", "account:", NULL },
    { "ledger.period.add", "period", "period:", NULL },
    { "ledger.period.close", "period", "period:", NULL },
    { "ledger.year.close", "year", "year:", NULL },
    { "ledger.year.reopen", "year", "year:", NULL },
    { "ledger.recurring.add", "recurring_entry", "recurring_entry:", NULL },
    { "ledger.recurring.run", "recurring_entry", "recurring_entry:", NULL },
    /* Entries: checked against their records' details (below). */
    { "ledger.entry.post", NULL, NULL, NULL },
    { "ledger.entry.reverse", NULL, NULL, NULL },
};

/* The names written before 0.3 (books written by 0.1 and 0.2 keep them in
 * their chain; nothing writes them now), read as the actions they became. */
static const bo__valias aliases[] = {
    { "account.add", "ledger.account.add", NULL },
    { "account.close", "ledger.account.close", NULL },
    { "period.add", "ledger.period.add", "" },
    { "period.close", "ledger.period.close", "" },
    { "entry.post", "ledger.entry.post", NULL },
    { "entry.reverse", "ledger.entry.reverse", NULL },
};

/* ---- entries ------------------------------------------------------------- */

static const char SQL_E[] =
    "SELECT id, date, memo, idem_key, actor, digest FROM entries"
    " ORDER BY id LIMIT 512";
static const char SQL_E_NEXT[] =
    "SELECT id, date, memo, idem_key, actor, digest FROM entries"
    " WHERE id > ? ORDER BY id LIMIT 512";
static const char SQL_P[] =
    "SELECT p.entry_id, p.line, a.code, p.amount, p.currency, p.memo, p.date,"
    " p.base_amount FROM postings p LEFT JOIN accounts a ON a.id = p.account_id"
    " ORDER BY p.entry_id, p.line LIMIT 512";
static const char SQL_P_NEXT[] =
    "SELECT p.entry_id, p.line, a.code, p.amount, p.currency, p.memo, p.date,"
    " p.base_amount FROM postings p LEFT JOIN accounts a ON a.id = p.account_id"
    " WHERE (p.entry_id, p.line) > (?, ?) ORDER BY p.entry_id, p.line LIMIT 512";
static const char SQL_R[] =
    "SELECT reversed_by, entry_id FROM reversals ORDER BY reversed_by LIMIT 512";
static const char SQL_R_NEXT[] =
    "SELECT reversed_by, entry_id FROM reversals WHERE reversed_by > ?"
    " ORDER BY reversed_by LIMIT 512";
/* A sale's record carries its entry where writers take turns (one record
 * per sale since 0.3: "entry" and "entry_form" in its extra,
 * bo__ledger_hold_record); one without them (written before, or with
 * lanes) is passed over: its entry has a record of its own. */
static const char SQL_A[] =
    "SELECT seq, object, detail, extra, actor FROM audit_log"
    " WHERE action IN ('ledger.entry.post', 'ledger.entry.reverse',"
    "                  'entry.post', 'entry.reverse'," /* before 0.3 */
    "                  'inventory.sale.post')"
    " ORDER BY seq LIMIT 512";
static const char SQL_A_NEXT[] =
    "SELECT seq, object, detail, extra, actor FROM audit_log"
    " WHERE action IN ('ledger.entry.post', 'ledger.entry.reverse',"
    "                  'entry.post', 'entry.reverse', 'inventory.sale.post')"
    " AND seq > ? ORDER BY seq LIMIT 512";

/* With several lanes of the audit chain (writers side by side) entry ids
 * and record numbers come from two sequences that writers draw from in
 * turns, so records do not come in the order of their entries' ids: they
 * are read in that order instead ("entry:N" by length, then text, is N's
 * order), with the number after them. Columns shift by one. */
#define A_BY_ENTRY(where) \
    "SELECT LENGTH(object), object, seq, detail, extra, actor FROM audit_log" \
    " WHERE action IN ('ledger.entry.post', 'ledger.entry.reverse'," \
    "                  'entry.post', 'entry.reverse')" where \
    " ORDER BY LENGTH(object), object, seq LIMIT 512"
static const char SQL_A_LANES[] = A_BY_ENTRY("");
static const char SQL_A_LANES_NEXT[] =
    A_BY_ENTRY(" AND (LENGTH(object), object, seq) > (?, ?, ?)");
static const char SQL_HAS_LANES[] = "SELECT 1 FROM audit_log WHERE lane > 0 LIMIT 1";

typedef struct field {
    int kind; /* 't', 'n', 'i' */
    const char *s;
    size_t len;
    int64_t v;
} field;

static int text_eq(const field *f, const char *s, size_t len)
{
    if (f->kind == 'n')
        return s == NULL;
    return f->kind == 't' && s && f->len == len && memcmp(f->s, s, len) == 0;
}

/* The fields of a detail, parsed once. */
typedef struct fields {
    field *f;
    size_t n, cap;
} fields;

static int parse(const char *detail, fields *out)
{
    out->n = 0;
    const char *p = detail ? detail : "", *end = p + strlen(p);
    while (p < end) {
        if (out->n == out->cap) {
            size_t cap = out->cap ? out->cap * 2 : 32;
            field *nf = bo__realloc(out->f, cap * sizeof *nf);
            if (!nf)
                return BO_ENOMEM;
            out->f = nf;
            out->cap = cap;
        }
        field *f = &out->f[out->n];
        if (bo__field_next(&p, end, &f->kind, &f->s, &f->len, &f->v))
            return 1; /* not a canonical form */
        out->n++;
    }
    return 0;
}

typedef struct ectx {
    bo__verify *v;
    bo_book *b;
    bo__vstream E, P, R, A;
    int e, p, r, a; /* BO_DRIVER_ROW when the stream holds a row */
    fields fl;
    size_t *post, npost; /* where each recorded posting starts in fl */
} ectx;

static int adv(bo__vstream *st, int *row)
{
    int rc = bo__vstream_next(st);
    *row = rc;
    return rc < 0 ? rc : 0;
}

#define FOUND(...)                                            \
    do {                                                      \
        int found_rc_ = bo__verify_found(__VA_ARGS__);        \
        if (found_rc_)                                        \
            return found_rc_;                                 \
    } while (0)

static int parse_entry_id_len(const char *object, size_t len, int64_t *id)
{
    if (!object || len < 7 || len > 26 || strncmp(object, "entry:", 6) != 0)
        return -1;
    char num[24];
    memcpy(num, object + 6, len - 6);
    num[len - 6] = '\0';
    char *end;
    long long v = strtoll(num, &end, 10);
    if (*end || !num[0])
        return -1;
    *id = v;
    return 0;
}

static int parse_entry_id(const char *object, int64_t *id)
{
    return parse_entry_id_len(object, object ? strlen(object) : 0, id);
}

/* The entry an audit record row (object at column 1; detail, extra at
 * columns 2, 3 shifted by ao) writes: 0 with *id and, when the record is a sale's
 * carrying it, its form in *form (allocated; NULL: the record's detail);
 * 1 when the record carries none (a sale whose entry has its own record);
 * -1 when it names no entry. */
static int record_entry(bo__stmt *s, int ao, int64_t *id, char **form)
{
    *form = NULL;
    const char *object = bo__stmt_col_text(s, 1); /* both queries: column 1 */
    if (!object || strncmp(object, "sale:", 5) != 0)
        return parse_entry_id(object, id);
    size_t n = 0, fn = 0;
    const char *extra = bo__stmt_col_text(s, 3 + ao);
    const char *e = bo__verify_extra(extra, "entry", &n);
    if (!e)
        return 1;
    const char *f = bo__verify_extra(extra, "entry_form", &fn);
    if (parse_entry_id_len(e, n, id) || !f)
        return -1;
    *form = bo__malloc(fn + 1);
    if (!*form)
        return -2;
    memcpy(*form, f, fn);
    (*form)[fn] = '\0';
    return 0;
}

/* Skip every row of entry id in the postings and reversals. */
static int skip_rows(ectx *c, int64_t id)
{
    int rc;
    while (c->p == BO_DRIVER_ROW && bo__stmt_col_int(c->P.s, 0) == id)
        if ((rc = adv(&c->P, &c->p)))
            return rc;
    while (c->r == BO_DRIVER_ROW && bo__stmt_col_int(c->R.s, 0) == id)
        if ((rc = adv(&c->R, &c->r)))
            return rc;
    return 0;
}

/* Compare entry id's rows with its audit record (seq, detail, extra, actor). */
static int check_entry(ectx *c, int64_t id, int64_t seq, const char *detail,
                       const char *extra, const char *actor, int has_row)
{
    bo__verify *v = c->v;
    char rec[64], line_rec[96];
    snprintf(rec, sizeof rec, "entry %" PRId64, id);
    int rc = parse(detail, &c->fl);
    if (rc < 0)
        return rc;
    field *f = c->fl.f;
    size_t n = c->fl.n;
    if (rc || n < 3 || f[0].kind != 't' || (f[1].kind != 't') || f[2].kind != 'i') {
        FOUND(v, seq, "audit_log", rec, "audit record %" PRId64 " holds no "
              "canonical entry", seq);
        return skip_rows(c, id);
    }
    /* The entry's own row. */
    if (has_row) {
        bo__stmt *s = c->E.s;
        size_t len;
        const char *date = bo__stmt_col_text_len(s, 1, &len);
        if (!text_eq(&f[0], date, len))
            FOUND(v, seq, "entries", rec, "date differs from audit record %" PRId64, seq);
        const char *memo = bo__stmt_col_text_len(s, 2, &len);
        if (!text_eq(&f[1], memo, len))
            FOUND(v, seq, "entries", rec, "memo differs from audit record %" PRId64, seq);
        const char *who = bo__stmt_col_text(s, 4);
        if ((!who) != (!actor) || (who && strcmp(who, actor) != 0))
            FOUND(v, seq, "entries", rec, "actor differs from audit record %" PRId64, seq);
        unsigned char h[BO__SHA256_BYTES];
        char hex[65];
        bo__sha256(detail, strlen(detail), h);
        bo__hex(h, sizeof h, hex);
        const char *dg = bo__stmt_col_text(s, 5);
        if (!dg || strcmp(dg, hex) != 0)
            FOUND(v, seq, "entries", rec, "digest differs from audit record %" PRId64, seq);
        size_t kl = 0;
        const char *kv = bo__verify_extra(extra, "key", &kl);
        int keyed = kv != NULL;
        if (extra) { /* written since schema 10: the key is in the chain */
            const char *key = bo__stmt_col_text_len(s, 3, &len);
            if ((!key) != (!keyed) || (key && (kl != len || memcmp(key, kv, len) != 0)))
                FOUND(v, seq, "entries", rec, "idempotency key differs from audit "
                      "record %" PRId64, seq);
        }
    }
    /* The reversal it records. */
    int64_t reverses = f[2].v;
    int64_t have_rev = 0;
    if (c->r == BO_DRIVER_ROW && bo__stmt_col_int(c->R.s, 0) == id) {
        have_rev = bo__stmt_col_int(c->R.s, 1);
        if ((rc = adv(&c->R, &c->r)))
            return rc;
        if (have_rev == 0)
            have_rev = -1;
    }
    if (have_rev != reverses)
        FOUND(v, seq, "reversals", rec, "%s audit record %" PRId64,
              !reverses ? "reverses an entry, unlike"
              : !have_rev ? "the reversal is missing, recorded by"
                          : "reverses another entry than", seq);
    /* The postings recorded: code, amount, currency, memo and, when one was
     * given, "base" and the book-currency value. */
    const char *date = f[0].s;
    size_t datelen = f[0].len;
    size_t m = 0;
    for (size_t i = 3; i < n;) {
        if (i + 4 > n || f[i].kind != 't' || f[i + 1].kind != 'i' ||
            f[i + 2].kind != 't' || f[i + 3].kind == 'i') {
            FOUND(v, seq, "audit_log", rec, "audit record %" PRId64 " holds no "
                  "canonical entry", seq);
            return skip_rows(c, id);
        }
        if (m == c->npost) {
            size_t cap = c->npost ? c->npost * 2 : 16;
            size_t *np = bo__realloc(c->post, cap * sizeof *np);
            if (!np)
                return BO_ENOMEM;
            c->post = np;
            c->npost = cap;
        }
        c->post[m++] = i;
        i += 4;
        if (i + 1 < n && f[i].kind == 't' && f[i].len == 4 &&
            memcmp(f[i].s, "base", 4) == 0 && f[i + 1].kind == 'i' &&
            (i + 2 == n || f[i + 2].kind == 't'))
            i += 2;
    }
    /* Merged with the rows by line number. */
    size_t j = 1;
    for (;;) {
        int has_post = c->p == BO_DRIVER_ROW && bo__stmt_col_int(c->P.s, 0) == id;
        int64_t rl = has_post ? bo__stmt_col_int(c->P.s, 1) : INT64_MAX;
        if (j > m && !has_post)
            break;
        if (j <= m && rl > (int64_t)j) {
            snprintf(line_rec, sizeof line_rec, "entry %" PRId64 " line %zu", id, j);
            FOUND(v, seq, "postings", line_rec, "missing (deleted or renumbered), "
                  "recorded by audit record %" PRId64, seq);
            j++;
            continue;
        }
        if (j > m || rl < (int64_t)j) {
            snprintf(line_rec, sizeof line_rec, "entry %" PRId64 " line %" PRId64, id, rl);
            FOUND(v, seq, "postings", line_rec, "not in audit record %" PRId64
                  " (inserted)", seq);
            if ((rc = adv(&c->P, &c->p)))
                return rc;
            continue;
        }
        const field *code = &f[c->post[j - 1]], *amount = code + 1, *cur = code + 2,
                    *memo = code + 3, *base = NULL;
        size_t after = c->post[j - 1] + 4;
        if (after < n && (j == m || after != c->post[j]))
            base = &f[after + 1];
        bo__stmt *s = c->P.s;
        size_t len;
        const char *what = NULL;
        const char *acode = bo__stmt_col_text_len(s, 2, &len);
        const char *pc, *pm, *pd;
        if (!acode || !text_eq(code, acode, len))
            what = "account";
        else if (bo__stmt_is_null(s, 3) || bo__stmt_col_int(s, 3) != amount->v)
            what = "amount";
        else if ((pc = bo__stmt_col_text_len(s, 4, &len), !text_eq(cur, pc, len)))
            what = "currency";
        else if ((pm = bo__stmt_col_text_len(s, 5, &len), !text_eq(memo, pm, len)))
            what = "memo";
        else if ((pd = bo__stmt_col_text_len(s, 6, &len),
                  !pd || len != datelen || memcmp(pd, date, len) != 0))
            what = "date";
        if (!what) {
            /* base_amount: given, the amount of a book-currency posting, or
             * unknown (NULL). */
            int want_null = 0;
            int64_t want = 0;
            if (base)
                want = base->v;
            else if (cur->len == strlen(c->b->base_currency) &&
                     memcmp(cur->s, c->b->base_currency, cur->len) == 0)
                want = amount->v;
            else
                want_null = 1;
            int is_null = bo__stmt_is_null(s, 7);
            if (is_null != want_null || (!is_null && bo__stmt_col_int(s, 7) != want))
                what = "base_amount";
        }
        if (what) {
            snprintf(line_rec, sizeof line_rec, "entry %" PRId64 " line %" PRId64, id, rl);
            FOUND(v, seq, "postings", line_rec, "%s differs from audit record %"
                  PRId64, what, seq);
        }
        if ((rc = adv(&c->P, &c->p)))
            return rc;
        j++;
    }
    if (m < 2)
        FOUND(v, seq, "audit_log", rec, "audit record %" PRId64 " holds no "
              "canonical entry", seq);
    return 0;
}

static int check_entries(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    ectx c;
    memset(&c, 0, sizeof c);
    c.v = v;
    c.b = b;
    bo__vstream_init(&c.E, b->store, SQL_E, SQL_E_NEXT, "i");
    bo__vstream_init(&c.P, b->store, SQL_P, SQL_P_NEXT, "ii");
    bo__vstream_init(&c.R, b->store, SQL_R, SQL_R_NEXT, "i");
    int rc, lanes = 0;
    char *form = NULL; /* the entry's form from a sale's record */
    if ((rc = bo__store_row(b->store, SQL_HAS_LANES, &lanes, "")))
        return rc;
    int ao = lanes ? 1 : 0; /* the columns' shift */
    if (lanes)
        bo__vstream_init(&c.A, b->store, SQL_A_LANES, SQL_A_LANES_NEXT, "iti");
    else
        bo__vstream_init(&c.A, b->store, SQL_A, SQL_A_NEXT, "i");
    if ((rc = adv(&c.E, &c.e)) || (rc = adv(&c.P, &c.p)) || (rc = adv(&c.R, &c.r)) ||
        (rc = adv(&c.A, &c.a)))
        goto out;
    int64_t last = INT64_MIN;
    for (;;) {
        /* The next audit record's entry: they come in the order entries were
         * written (one writer at a time), so ids rise with seq; with lanes
         * they are read by entry id (SQL_A_LANES). */
        int64_t aid = 0, seq = 0;
        int has_a = 0;
        bo__free(form);
        form = NULL;
        while (c.a == BO_DRIVER_ROW) {
            seq = bo__stmt_col_int(c.A.s, ao ? 2 : 0);
            char rec[48];
            rec[0] = '\0';
            int re = record_entry(c.A.s, ao, &aid, &form);
            if (re == -2) {
                rc = BO_ENOMEM;
                goto out;
            }
            if (re == 1) { /* a sale's record, its entry recorded apart */
                if ((rc = adv(&c.A, &c.a)))
                    goto out;
                continue;
            }
            if (re || aid <= last)
                snprintf(rec, sizeof rec, "record %" PRId64, seq);
            if (re) {
                if ((rc = bo__verify_found(v, seq, "audit_log", rec, "names no entry")))
                    goto out;
            } else if (aid <= last) {
                bo__free(form);
                form = NULL;
                if ((rc = bo__verify_found(v, seq, "audit_log", rec, "names entry %"
                                           PRId64 " out of order", aid)))
                    goto out;
            } else {
                has_a = 1;
                break;
            }
            if ((rc = adv(&c.A, &c.a)))
                goto out;
        }
        int64_t id = 0;
        int have = 0;
#define CANDIDATE(cond, val)                        \
        if (cond) {                                 \
            int64_t x_ = (val);                     \
            if (!have || x_ < id) {                 \
                id = x_;                            \
                have = 1;                           \
            }                                       \
        }
        CANDIDATE(has_a, aid)
        CANDIDATE(c.e == BO_DRIVER_ROW, bo__stmt_col_int(c.E.s, 0))
        CANDIDATE(c.p == BO_DRIVER_ROW, bo__stmt_col_int(c.P.s, 0))
        CANDIDATE(c.r == BO_DRIVER_ROW, bo__stmt_col_int(c.R.s, 0))
#undef CANDIDATE
        if (!have)
            break;
        last = id;
        char rec[64];
        int has_row = c.e == BO_DRIVER_ROW && bo__stmt_col_int(c.E.s, 0) == id;
        if (!has_a || aid != id || !has_row)
            snprintf(rec, sizeof rec, "entry %" PRId64, id);
        if (!has_a || aid != id) {
            const char *table = has_row ? "entries"
                : (c.p == BO_DRIVER_ROW && bo__stmt_col_int(c.P.s, 0) == id) ? "postings"
                : "reversals";
            if ((rc = bo__verify_found(v, 0, table, rec, "no audit record wrote it "
                                       "(inserted, or renumbered)")) ||
                (rc = skip_rows(&c, id)) || (has_row && (rc = adv(&c.E, &c.e))))
                goto out;
            continue;
        }
        if (!has_row && (rc = bo__verify_found(v, seq, "entries", rec, "missing "
                                               "(deleted or renumbered), recorded by "
                                               "audit record %" PRId64, seq)))
            goto out;
        const char *dt = form ? form : bo__stmt_col_text(c.A.s, 2 + ao);
        char *detail = bo__strdup(dt ? dt : "");
        const char *x = bo__stmt_col_text(c.A.s, 3 + ao), *who = bo__stmt_col_text(c.A.s, 4 + ao);
        char *extra = x ? bo__strdup(x) : NULL, *actor = who ? bo__strdup(who) : NULL;
        if (!detail || (x && !extra) || (who && !actor)) {
            rc = BO_ENOMEM;
        } else {
            rc = check_entry(&c, id, seq, detail, extra, actor, has_row);
        }
        bo__free(detail);
        bo__free(extra);
        bo__free(actor);
        if (rc || (rc = skip_rows(&c, id)) || (has_row && (rc = adv(&c.E, &c.e))) ||
            (rc = adv(&c.A, &c.a)))
            goto out;
    }
out:
    bo__free(form);
    bo__free(c.fl.f);
    bo__free(c.post);
    bo__vstream_close(&c.E);
    bo__vstream_close(&c.P);
    bo__vstream_close(&c.R);
    bo__vstream_close(&c.A);
    return rc;
}

/* ---- day totals ----------------------------------------------------------- */

/* A posting's currency is its account's, so per account the days of
 * account_days (ordered by account, currency, date) follow the date. Each
 * day's rows of account_days and of the lanes (version 16) are read as one:
 * the day's change over all of them (3), account_days' own change (4) and
 * total (5), and whether account_days has the day (6). */
#define DAYS_UNION(where) \
    "SELECT account_id, currency, date, SUM(delta), SUM(own), SUM(total), MAX(has)" \
    " FROM (SELECT account_id, currency, date, delta, delta AS own, total, 1 AS has" \
    "  FROM account_days" where \
    "  UNION ALL SELECT account_id, currency, date, delta, 0, NULL, 0" \
    "  FROM account_lane_days" where ") u" \
    " GROUP BY account_id, currency, date ORDER BY account_id, currency, date LIMIT 512"
static const char SQL_D[] = DAYS_UNION("");
static const char SQL_D_NEXT[] =
    DAYS_UNION(" WHERE (account_id, currency, date) > (?1, ?2, ?3)");
static const char SQL_S[] =
    "SELECT account_id, date, MIN(currency), MAX(currency), SUM(amount)"
    " FROM postings GROUP BY account_id, date ORDER BY account_id, date LIMIT 512";
static const char SQL_S_NEXT[] =
    "SELECT account_id, date, MIN(currency), MAX(currency), SUM(amount)"
    " FROM postings WHERE (account_id, date) > (?, ?)"
    " GROUP BY account_id, date ORDER BY account_id, date LIMIT 512";

static int check_days(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    /* Shifts of later day totals held back by this transaction: added to
     * the stored totals as read, never written here. */
    bo__shifts *held = bo__ledger_days_held(b);
    int rc;
    bo__vstream D, S;
    bo__vstream_init(&D, b->store, SQL_D, SQL_D_NEXT, "itt");
    bo__vstream_init(&S, b->store, SQL_S, SQL_S_NEXT, "it");
    int d, s;
    if ((rc = adv(&D, &d)) || (rc = adv(&S, &s)))
        goto out;
    int64_t acc = INT64_MIN, total = 0;
    char rec[96];
    while (d == BO_DRIVER_ROW || s == BO_DRIVER_ROW) {
        int64_t da = d == BO_DRIVER_ROW ? bo__stmt_col_int(D.s, 0) : INT64_MAX;
        int64_t sa = s == BO_DRIVER_ROW ? bo__stmt_col_int(S.s, 0) : INT64_MAX;
        const char *dd = d == BO_DRIVER_ROW ? bo__stmt_col_text(D.s, 2) : NULL;
        const char *sd = s == BO_DRIVER_ROW ? bo__stmt_col_text(S.s, 1) : NULL;
        int cmp = da != sa ? (da < sa ? -1 : 1)
                : strcmp(dd ? dd : "", sd ? sd : "");
        int64_t a = cmp <= 0 ? da : sa;
        const char *date = cmp <= 0 ? dd : sd;
#define DAY_REC() snprintf(rec, sizeof rec, "account %" PRId64 " day %s", a, date ? date : "?")
        if (a != acc) {
            acc = a;
            total = 0;
        }
        int64_t sum = 0;
        if (cmp >= 0) {
            const char *c1 = bo__stmt_col_text(S.s, 2), *c2 = bo__stmt_col_text(S.s, 3);
            if (!c1 || !c2 || strcmp(c1, c2) != 0) {
                DAY_REC();
                if ((rc = bo__verify_found(v, 0, "postings", rec, "postings in more "
                                           "than one currency on one account")))
                    goto out;
            }
            sum = bo__stmt_col_int(S.s, 4);
            const char *dc = cmp == 0 ? bo__stmt_col_text(D.s, 1) : NULL;
            if (cmp == 0 && (!dc || !c1 || strcmp(dc, c1) != 0)) {
                DAY_REC();
                if ((rc = bo__verify_found(v, 0, "account_days", rec, "currency "
                                           "differs from its postings")))
                    goto out;
            }
        }
        if (cmp < 0 || cmp == 0) {
            int64_t delta = bo__stmt_col_int(D.s, 3), own = bo__stmt_col_int(D.s, 4);
            int64_t t = bo__stmt_col_int(D.s, 5), lanes_part = 0;
            int has = bo__stmt_col_int(D.s, 6) != 0, told = 0;
            if (has && held && bo__ledger_days_fold(held, 0, a, bo__stmt_col_text(D.s, 1),
                                                    date, &t))
                t = INT64_MIN; /* cannot be the true total: reported below */
            if (delta != sum) {
                DAY_REC();
                told = 1;
                if ((rc = bo__verify_found(v, 0, "account_days", rec, cmp < 0
                                           ? "no postings on that day (inserted)"
                                           : "the day's change differs from its "
                                             "postings")))
                    goto out;
            }
            /* account_days' own running total: the postings less what the
             * lanes took (all of them without lanes) */
            int over = bo_money_sub(delta, own, &lanes_part) ||
                       bo_money_sub(sum, lanes_part, &lanes_part) ||
                       bo_money_add(total, lanes_part, &total);
            if (has && (over || t != total)) {
                if (!told) {
                    DAY_REC();
                    if ((rc = bo__verify_found(v, 0, "account_days", rec, "the balance "
                                               "differs from the sum of the postings")))
                        goto out;
                }
                total = t; /* one finding per altered row, not per later day */
            }
            if ((rc = adv(&D, &d)))
                goto out;
        } else {
            if (sum != 0)
                DAY_REC();
            if (sum != 0 &&
                (rc = bo__verify_found(v, 0, "account_days", rec, "missing: the "
                                       "postings of that day have no day total")))
                goto out;
            if (bo_money_add(total, sum, &total))
                total = 0;
        }
        if (cmp >= 0 && (rc = adv(&S, &s)))
            goto out;
    }
out:
    if (rc == BO_EOVERFLOW) {
        /* SUM() over amounts altered past the int64 range. */
        bo__error_clear();
        rc = bo__verify_found(v, 0, "postings", NULL, "amounts overflow when "
                              "summed per account and day (altered)");
    }
    bo__vstream_close(&D);
    bo__vstream_close(&S);
    return rc;
}

/* Each lane's rows (version 16): its total is the running sum of its own
 * changes (their sum with account_days' is checked against the postings
 * above), and the lane is listed for the account, or balances would not
 * read it (column 6: 0 when it is not). */
#define LANE_ROWS(where) \
    "SELECT d.lane, d.account_id, d.currency, d.date, d.delta, d.total," \
    " (SELECT COUNT(*) FROM account_lanes l WHERE l.account_id = d.account_id" \
    "  AND l.currency = d.currency AND l.lane = d.lane)" \
    " FROM account_lane_days d" where \
    " ORDER BY d.lane, d.account_id, d.currency, d.date LIMIT 512"
static const char SQL_L[] = LANE_ROWS("");
static const char SQL_L_NEXT[] =
    LANE_ROWS(" WHERE (d.lane, d.account_id, d.currency, d.date) > (?, ?, ?, ?)");

static const char SQL_LANES_EMPTY[] =
    "SELECT l.account_id, l.currency, l.lane FROM account_lanes l WHERE NOT EXISTS"
    " (SELECT 1 FROM account_lane_days d WHERE d.lane = l.lane"
    "  AND d.account_id = l.account_id AND d.currency = l.currency)"
    " ORDER BY l.account_id, l.currency, l.lane";

static int check_lanes(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    bo__shifts *held = bo__ledger_days_held(b); /* folded in, as above */
    bo__vstream L;
    bo__vstream_init(&L, b->store, SQL_L, SQL_L_NEXT, "iitt");
    int row, rc;
    int64_t lane = -1, acc = -1, total = 0;
    char cur[BO_CURRENCY_MAX + 1] = "", rec[128];
    while (!(rc = adv(&L, &row)) && row == BO_DRIVER_ROW) {
        int64_t ln = bo__stmt_col_int(L.s, 0), a = bo__stmt_col_int(L.s, 1);
        const char *c = bo__stmt_col_text(L.s, 2), *date = bo__stmt_col_text(L.s, 3);
        int64_t delta = bo__stmt_col_int(L.s, 4), t = bo__stmt_col_int(L.s, 5);
        if (held && bo__ledger_days_fold(held, (int)ln, a, c ? c : "", date, &t))
            t = INT64_MIN; /* cannot be the true total: reported below */
        snprintf(rec, sizeof rec, "lane %" PRId64 " account %" PRId64 " day %s", ln, a,
                 date ? date : "?");
        if (ln != lane || a != acc || strcmp(c ? c : "", cur) != 0) {
            lane = ln;
            acc = a;
            snprintf(cur, sizeof cur, "%s", c ? c : "");
            total = 0;
            if (bo__stmt_col_int(L.s, 6) == 0 &&
                (rc = bo__verify_found(v, 0, "account_lanes", rec, "missing: the lane's "
                                       "day totals are not listed for the account")))
                break;
        }
        if (bo_money_add(total, delta, &total) || t != total) {
            if ((rc = bo__verify_found(v, 0, "account_lane_days", rec, "the lane's balance "
                                       "differs from the sum of its changes")))
                break;
            total = t;
        }
    }
    bo__vstream_close(&L);
    if (rc)
        return rc;
    /* and every lane listed for an account has day totals for it */
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_LANES_EMPTY, &s)))
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        snprintf(rec, sizeof rec, "lane %" PRId64 " account %" PRId64 " %s",
                 bo__stmt_col_int(s, 2), bo__stmt_col_int(s, 0), bo__stmt_col_text(s, 1));
        if ((rc = bo__verify_found(v, 0, "account_lanes", rec, "the lane has no day "
                                   "totals for the account (inserted)")))
            break;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

/* ---- closed years --------------------------------------------------------- */

/* A closed year takes no posting after its close (bo__period_closed_at):
 * a posting dated on or before an active close's year end in an entry
 * written after its closing entry (ids rise with commits: the close runs
 * alone) was not written by the library. A year closed with nothing to
 * move has no entry to order by; rows inserted there are found by the
 * entries' check alone (no audit record wrote them). A book whose closed
 * year took postings before closed years refused them shows them here
 * too: reopening the year and closing it again (a new closing entry,
 * after them) settles it. */
static const char SQL_IN_CLOSED[] =
    "SELECT p.entry_id, p.line, p.date, c.year_end, c.entry_id"
    " FROM ledger_closings c JOIN postings p ON p.entry_id > c.entry_id"
    " AND p.date <= c.year_end"
    " WHERE c.reopened_by IS NULL AND c.entry_id IS NOT NULL"
    " ORDER BY p.entry_id, p.line";

static int check_closed_years(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_IN_CLOSED, &s);
    if (rc)
        return rc;
    char rec[96];
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        const char *date = bo__stmt_col_text(s, 2), *end = bo__stmt_col_text(s, 3);
        snprintf(rec, sizeof rec, "entry %" PRId64 " line %" PRId64,
                 bo__stmt_col_int(s, 0), bo__stmt_col_int(s, 1));
        if ((rc = bo__verify_found(v, 0, "postings", rec, "dated %s, in the fiscal year "
                                   "ending %s, but written after its closing entry %"
                                   PRId64, date ? date : "?", end ? end : "?",
                                   bo__stmt_col_int(s, 4))))
            break;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc;
}

static const bo__vcheck checks[] = {
    { "entries postings reversals", check_entries },
    { "account_days", check_days },
    { "account_lane_days account_lanes", check_lanes },
    { "postings ledger_closings", check_closed_years },
};

const bo__vdomain bo__verify_ledger = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), checks, BO__VN(checks),
    aliases, BO__VN(aliases),
};
