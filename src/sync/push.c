/*
 * Synchronising a terminal with its central book.
 *
 *   hello  the terminal presents its instance nonce and a fresh one (kept
 *          locally first, so a sync cut after the central store took it is
 *          recognised when it is presented again); the central store
 *          rotates it, or refuses a copy of the file (BO_ECLONE), and
 *          measures the device clock against its own.
 *   push   queued commands in sequence order, a batch per central
 *          transaction: its key (terminal, seq) is UNIQUE in sync_inbox, a
 *          key found with the same digest answers the first result, with
 *          another digest it is BO_EKEYREUSE naming terminal and sequence.
 *          What the inbox already holds for the batch (and the chain link
 *          before it) is read once per batch, and the items and locations
 *          it names are looked up before it writes. A command is applied
 *          without a savepoint at any level of its write (flat_writes);
 *          one that fails makes the attempt roll back whole, and the batch
 *          runs again with that command in its own savepoint ("careful"),
 *          so a refused one is quarantined and the others go on. A store
 *          error ends the sync with nothing acknowledged that the central
 *          store did not keep. Then the terminal records the answers
 *          (synced, quarantined) in one local transaction.
 *   pull   a snapshot, then the deltas since the cursor (the central
 *          book's feed position): tax rates, items, unit prices, parties
 *          applied to the terminal's tables, stock levels kept, in one
 *          local transaction.
 *
 * A cut anywhere leaves either nothing done (the command goes again) or the
 * central store holding a command the terminal did not record (it goes
 * again and is answered as a replay). Order comes from the sequence only.
 */
#include "sync/sync.h"
#include "inventory/inventory.h"
#include "inventory/pricing.h"
#include "core/verify.h"
#include "backoffice/commerce.h"
#include "backoffice/feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OUT_APPLIED = 1, OUT_REPLAYED, OUT_QUARANTINED };

typedef struct cmd {
    int64_t seq, receipt, device_time, server_offset, price_version, amount;
    char kind[16];
    char digest[65];
    char chain_prev[65], chain_hash[65]; /* "" : queued before version 16 */
    char *body;
    /* applied in its own savepoint (a refusal is expected or was met) */
    int careful;
    /* the answer */
    int outcome, code, chain_bad;
    int64_t central_id;
    char reason[1024];
} cmd;

/* An inbox row of the terminal, as the batch's transaction sees it. */
typedef struct seen_row {
    int64_t seq, id, result;
    char digest[65], chain[65];
} seen_row;

typedef struct sync_ctx {
    bo__sync_state st;
    const char *terminal;
    int64_t skew, skew_max, device_now, central_now;
    cmd *cmds;
    int n;
    bo_sync_report *rep;
    /* the batch: the command a quick attempt found refused (-1: none),
     * whether the look-ups before it were made, the report's counts
     * before it */
    int refused, prechecked;
    int64_t negative0, skewed0;
    /* every inbox row of the terminal with seq in [seen_lo, seen_hi] (when
     * seen_on), read at the start of the batch and grown as it applies */
    seen_row *seen;
    int nseen, capseen, seen_on;
    int64_t seen_lo, seen_hi;
} sync_ctx;

/* ---- hello ---- */
static const char SQL_TERM_GET[] = "SELECT nonce FROM sync_terminals WHERE terminal = ?";
static const char SQL_TERM_ADD[] =
    "INSERT INTO sync_terminals (terminal, nonce, server_offset, seen) VALUES (?, ?, ?, ?)";
static const char SQL_TERM_PUT[] =
    "UPDATE sync_terminals SET nonce = ?, server_offset = ?, seen = ? WHERE terminal = ?";

static int central_hello_tx(bo_book *c, void *p)
{
    sync_ctx *x = p;
    char nonce[65] = "";
    int found = 0, rc;
    if ((rc = bo__require(c, BO__P_SALES_POST)) ||
        (rc = bo__store_row(c->store, SQL_TERM_GET, &found, "t>t", x->terminal, nonce,
                            sizeof nonce)))
        return rc;
    if (!found)
        rc = bo__store_run(c->store, SQL_TERM_ADD, "ttii", x->terminal, x->st.nonce_next,
                           x->skew, x->central_now);
    else if (!strcmp(nonce, x->st.nonce) || !strcmp(nonce, x->st.nonce_next))
        rc = bo__store_run(c->store, SQL_TERM_PUT, "tiit", x->st.nonce_next, x->skew,
                           x->central_now, x->terminal);
    else
        return bo__error_set(BO_ECLONE, "terminal '%s': this book's instance nonce is not "
                             "the one the central store knows: it is a copy of the "
                             "terminal's file (sync the device's own file, or set the "
                             "copy up as a new terminal)", x->terminal);
    if (rc)
        return rc;
    char object[BO_CODE_MAX + 24];
    snprintf(object, sizeof object, "sync_terminal:%s", x->terminal);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, x->skew);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(c, "sync.central.hello", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

/* The terminal keeps its next nonce before it is presented. */
static int local_nonce_tx(bo_book *t, void *p)
{
    sync_ctx *x = p;
    int rc;
    if ((rc = bo__require(t, BO__P_SYNC_READ)) || (rc = bo__sync_state_get(t, &x->st, NULL)))
        return rc;
    if (x->st.nonce_next[0])
        return 0;
    if ((rc = bo__sync_nonce(x->st.nonce_next)) || (rc = bo__sync_state_put(t, &x->st)))
        return rc;
    return bo__audit_append(t, "sync.terminal.hello", "terminal:1", "");
}

/* The central store took the next nonce: it is the terminal's now. */
static int local_rotated_tx(bo_book *t, void *p)
{
    sync_ctx *x = p;
    int rc;
    if ((rc = bo__sync_state_get(t, &x->st, NULL)))
        return rc;
    memcpy(x->st.nonce, x->st.nonce_next, sizeof x->st.nonce);
    x->st.nonce_next[0] = 0;
    x->st.server_offset = x->skew;
    if ((rc = bo__sync_state_put(t, &x->st)))
        return rc;
    return bo__audit_append(t, "sync.terminal.hello", "terminal:1", "");
}

/* ---- a command, centrally ---- */
static const char SQL_INBOX_GET[] =
    "SELECT id, digest, result_id FROM sync_inbox WHERE terminal = ? AND seq = ?";
static const char SQL_INBOX_ADD[] =
    "INSERT INTO sync_inbox (terminal, seq, digest, kind, receipt, result_id, device_time,"
    " server_offset, price_version, received_at, skew, skewed, chain_prev, chain_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_INBOX_ADD_PLAIN[] =
    "INSERT INTO sync_inbox (terminal, seq, digest, kind, receipt, result_id, device_time,"
    " server_offset, price_version, received_at, skew, skewed, chain_prev, chain_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_INBOX_LINK[] =
    "SELECT chain_hash FROM sync_inbox WHERE terminal = ? AND seq = ?";
static const char SQL_NEG_ADD[] =
    "INSERT INTO sync_negative (inbox_id, sale_id, sku, location, on_hand)"
    " VALUES (?, ?, ?, ?, ?)";

static const char SQL_INBOX_RANGE[] =
    "SELECT seq, id, digest, result_id, COALESCE(chain_hash, '') FROM sync_inbox"
    " WHERE terminal = ? AND seq >= ? AND seq <= ?";
/* The stock row's figure after a sale, in one statement. */
static const char SQL_NEG_PEEK[] =
    "SELECT s.on_hand FROM inv_stock s JOIN inv_items i ON i.id = s.item_id"
    " JOIN inv_locations l ON l.id = s.location_id WHERE i.sku = ? AND l.code = ?";

static int seen_add(sync_ctx *x, int64_t seq, int64_t id, int64_t result, const char *digest,
                    const char *chain)
{
    if (x->nseen == x->capseen) {
        int cap = x->capseen ? x->capseen * 2 : 256;
        seen_row *r = bo__realloc(x->seen, (size_t)cap * sizeof *r);
        if (!r)
            return BO_ENOMEM;
        x->seen = r;
        x->capseen = cap;
    }
    seen_row *r = &x->seen[x->nseen++];
    r->seq = seq;
    r->id = id;
    r->result = result;
    snprintf(r->digest, sizeof r->digest, "%s", digest ? digest : "");
    snprintf(r->chain, sizeof r->chain, "%s", chain ? chain : "");
    return 0;
}

/* Read the inbox rows of the batch's sequences (and the one before the
 * first) in one statement, when they lie close together: one round trip
 * instead of two per command. */
static int seen_load(bo_book *c, sync_ctx *x)
{
    x->nseen = 0;
    x->seen_on = 0;
    if (x->n == 0)
        return 0;
    int64_t lo = x->cmds[0].seq, hi = lo;
    for (int i = 1; i < x->n; i++) {
        if (x->cmds[i].seq < lo)
            lo = x->cmds[i].seq;
        if (x->cmds[i].seq > hi)
            hi = x->cmds[i].seq;
    }
    lo--;
    if (hi - lo > 4 * (int64_t)x->n + 16)
        return 0; /* scattered (resubmitted commands): one look-up each */
    bo__stmt *s;
    int rc = bo__stmt_get(c->store, SQL_INBOX_RANGE, &s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_bind(s, "tii", x->terminal, lo, hi))) {
        bo__stmt_done(s);
        return rc;
    }
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW)
        if ((rc = seen_add(x, bo__stmt_col_int(s, 0), bo__stmt_col_int(s, 1),
                           bo__stmt_col_int(s, 3), bo__stmt_col_text(s, 2),
                           bo__stmt_col_text(s, 4))))
            break;
    bo__stmt_done(s);
    if (rc != BO_DRIVER_DONE)
        return rc < 0 ? rc : bo__error_set(BO_ERROR, "inbox: read");
    x->seen_lo = lo;
    x->seen_hi = hi;
    x->seen_on = 1;
    return 0;
}

/* 1: the inbox holds seq (*out), 0: it does not, -1: not read, ask it. */
static int seen_find(const sync_ctx *x, int64_t seq, const seen_row **out)
{
    if (!x->seen_on || seq < x->seen_lo || seq > x->seen_hi)
        return -1;
    for (int i = x->nseen - 1; i >= 0; i--)
        if (x->seen[i].seq == seq) {
            *out = &x->seen[i];
            return 1;
        }
    return 0;
}

/* One line of a decoded sale, for the stock.negative check. */
typedef struct neg_line {
    char sku[BO_CODE_MAX + 1], loc[BO_CODE_MAX + 1];
    int64_t qty;
} neg_line;

static int bad_body(const cmd *k)
{
    return bo__error_set(BO_EINVAL, "seq %" PRId64 ": the command's body is not a sale",
                         k->seq);
}

/* Text field into a NUL-terminated copy (NULL for a NULL field). */
static int field_text(const char **p, const char *end, char **out, int null_ok)
{
    int kind;
    const char *s;
    size_t len;
    int64_t v;
    *out = NULL;
    if (bo__field_next(p, end, &kind, &s, &len, &v) ||
        (kind != 't' && !(kind == 'n' && null_ok)))
        return -1;
    if (kind == 'n')
        return 0;
    if (!(*out = bo__malloc(len + 1)))
        return BO_ENOMEM;
    memcpy(*out, s, len);
    (*out)[len] = 0;
    return 0;
}

static int field_int(const char **p, const char *end, int64_t *v)
{
    int kind;
    const char *s;
    size_t len;
    return bo__field_next(p, end, &kind, &s, &len, v) || kind != 'i' ? -1 : 0;
}

/* Rebuild the sale a command carries, with the central key "TERMINAL:SEQ". */
/* The terminal's pricing of each line after the payments (terminal.c,
 * priced_tail), into given[n]; bodies from before it have none. */
static int decode_priced(const char **p, const char *end, int64_t n, bo__price_line **given)
{
    char *tag = NULL;
    if (*p == end)
        return 0;
    if (field_text(p, end, &tag, 0) || strcmp(tag, "priced")) {
        bo__free(tag);
        return -1;
    }
    bo__free(tag);
    bo__price_line *g = bo__calloc((size_t)n, sizeof *g);
    if (!g)
        return BO_ENOMEM;
    int rc = 0;
    for (int64_t i = 0; i < n && !rc; i++) {
        char *unit = NULL, *list = NULL, *rules = NULL;
        int64_t active;
        if (field_int(p, end, &active) || field_text(p, end, &unit, 1) ||
            field_int(p, end, &g[i].qty) || field_int(p, end, &g[i].unit_price) ||
            field_text(p, end, &list, 1) || field_int(p, end, &g[i].list_version) ||
            field_int(p, end, &g[i].promo) || field_text(p, end, &rules, 1) ||
            (unit && strlen(unit) > BO_CODE_MAX) || (list && strlen(list) > BO_CODE_MAX))
            rc = -1;
        if (!rc) {
            g[i].active = active != 0;
            g[i].unit = unit ? g[i].unit_name : NULL;
            snprintf(g[i].unit_name, sizeof g[i].unit_name, "%s", unit ? unit : "");
            snprintf(g[i].list, sizeof g[i].list, "%s", list ? list : "");
            if (rules && bo__buf_puts(&g[i].rules, rules))
                rc = BO_ENOMEM;
        }
        bo__free(unit);
        bo__free(list);
        bo__free(rules);
    }
    if (rc) {
        bo__pricing_free(g, (int)n);
        return rc;
    }
    *given = g;
    return 0;
}

static int decode_sale(const sync_ctx *x, const cmd *k, bo_sale **out, neg_line **lines,
                       int *nlines, bo__price_line **given)
{
    const char *p = k->body, *end = k->body + strlen(k->body);
    char *tag = NULL, *date = NULL, *memo = NULL, *key = NULL, *customer = NULL;
    int64_t inclusive, n, npay;
    bo_sale *s = NULL;
    neg_line *nl = NULL;
    int rc = -1;
    *out = NULL;
    if (field_text(&p, end, &tag, 0) || strcmp(tag, "sale") ||
        field_text(&p, end, &date, 0) || field_text(&p, end, &memo, 0) ||
        field_text(&p, end, &key, 1) || field_text(&p, end, &customer, 1) ||
        field_int(&p, end, &inclusive) || field_int(&p, end, &n) || n < 1 ||
        n > BO_SALE_LINES_MAX)
        goto done;
    bo_date d;
    if ((rc = bo_date_parse(date, &d)) || (rc = bo_sale_new(&s, d, memo)) ||
        (rc = bo_sale_set_inclusive(s, (int)inclusive)) ||
        (customer && (rc = bo_sale_set_customer(s, customer))))
        goto done;
    char ckey[BO_CODE_MAX + 32];
    snprintf(ckey, sizeof ckey, "%s:%" PRId64, x->terminal, k->seq);
    if ((rc = bo_sale_set_key(s, ckey)))
        goto done;
    if (!(nl = bo__calloc((size_t)n, sizeof *nl))) {
        rc = BO_ENOMEM;
        goto done;
    }
    rc = -1;
    for (int64_t i = 0; i < n; i++) {
        char *sku = NULL, *loc = NULL;
        int64_t qty, price, disc, hold;
        if (field_text(&p, end, &sku, 1) || field_text(&p, end, &loc, 1) ||
            field_int(&p, end, &qty) || field_int(&p, end, &price) ||
            field_int(&p, end, &disc) || field_int(&p, end, &hold) || hold || !sku || !loc) {
            bo__free(sku);
            bo__free(loc);
            rc = -1;
            goto done;
        }
        snprintf(nl[i].sku, sizeof nl[i].sku, "%s", sku);
        snprintf(nl[i].loc, sizeof nl[i].loc, "%s", loc);
        nl[i].qty = qty;
        rc = bo_sale_line(s, sku, loc, qty, price, disc);
        bo__free(sku);
        bo__free(loc);
        if (rc)
            goto done;
        rc = -1;
    }
    if (field_int(&p, end, &npay) || npay < 0 || npay > BO_SALE_PAYMENTS_MAX)
        goto done;
    for (int64_t i = 0; i < npay; i++) {
        char *method = NULL;
        int64_t amount;
        if (field_text(&p, end, &method, 0) || field_int(&p, end, &amount)) {
            bo__free(method);
            rc = -1;
            goto done;
        }
        rc = bo_sale_payment(s, method, amount);
        bo__free(method);
        if (rc)
            goto done;
    }
    *given = NULL;
    rc = decode_priced(&p, end, n, given);
    if (!rc && p != end) {
        bo__pricing_free(*given, (int)n);
        *given = NULL;
        rc = -1;
    }
done:
    if (rc == -1)
        rc = bad_body(k);
    bo__free(tag);
    bo__free(date);
    bo__free(memo);
    bo__free(key);
    bo__free(customer);
    if (rc) {
        bo_sale_free(s);
        bo__free(nl);
        return rc;
    }
    *out = s;
    *lines = nl;
    *nlines = (int)n;
    return 0;
}

struct apply_ctx {
    sync_ctx *x;
    cmd *k;
};

/* A cash movement: the same entry, under the key "TERMINAL:SEQ". */
static int apply_cash(bo_book *c, sync_ctx *x, cmd *k, int64_t *result)
{
    const char *p = k->body, *end = k->body + strlen(k->body);
    char *tag = NULL, *date = NULL, *account = NULL, *memo = NULL, *key = NULL;
    int64_t amount = 0;
    int rc = 0;
    if (field_text(&p, end, &tag, 0) || strcmp(tag, "cash") ||
        field_text(&p, end, &date, 0) || field_int(&p, end, &amount) ||
        field_text(&p, end, &account, 0) || field_text(&p, end, &memo, 1) ||
        field_text(&p, end, &key, 1) || p != end)
        rc = bo__error_set(BO_EINVAL, "seq %" PRId64 ": the command's body is not a cash "
                           "movement", k->seq);
    bo_date d = 0;
    if (!rc)
        rc = bo_date_parse(date, &d);
    if (!rc) {
        char ckey[BO_CODE_MAX + 32];
        snprintf(ckey, sizeof ckey, "%s:%" PRId64, x->terminal, k->seq);
        rc = bo__sync_cash_entry(c, d, amount, account, memo, ckey, result);
    }
    bo__free(tag);
    bo__free(date);
    bo__free(account);
    bo__free(memo);
    bo__free(key);
    return rc;
}

/* A return: its sale is the central sale of the terminal's sale sequence
 * (which came first: order is the sequence). */
static int apply_return(bo_book *c, sync_ctx *x, cmd *k, int64_t *result)
{
    const char *p = k->body, *end = k->body + strlen(k->body);
    char *tag = NULL, *date = NULL, *method = NULL, *key = NULL;
    int64_t sale_seq, line, qty;
    int rc = 0;
    if (field_text(&p, end, &tag, 0) || strcmp(tag, "return") ||
        field_int(&p, end, &sale_seq) || field_int(&p, end, &line) ||
        field_int(&p, end, &qty) || field_text(&p, end, &date, 0) ||
        field_text(&p, end, &method, 0) || field_text(&p, end, &key, 1) || p != end ||
        line < 1 || line > BO_SALE_LINES_MAX)
        rc = bo__error_set(BO_EINVAL, "seq %" PRId64 ": the command's body is not a return",
                           k->seq);
    int64_t id = 0, sale = 0;
    char digest[65];
    int found = 0;
    if (!rc)
        rc = bo__store_row(c->store, SQL_INBOX_GET, &found, "ti>iti", x->terminal, sale_seq,
                           &id, digest, sizeof digest, &sale);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "seq %" PRId64 ": the sale it returns (seq %" PRId64
                           ") is not in the central book", k->seq, sale_seq);
    bo_date d = 0;
    if (!rc)
        rc = bo_date_parse(date, &d);
    if (!rc) {
        char ckey[BO_CODE_MAX + 32];
        snprintf(ckey, sizeof ckey, "%s:%" PRId64, x->terminal, k->seq);
        bo_inventory_return_options o = BO_INVENTORY_RETURN_OPTIONS_INIT;
        o.sale_id = sale;
        o.line = (int)line;
        o.qty = qty;
        o.date = d;
        o.method = method;
        o.key = ckey;
        rc = bo_inventory_return(c, &o, result);
    }
    bo__free(tag);
    bo__free(date);
    bo__free(method);
    bo__free(key);
    return rc;
}

/* Stock below zero after the sale, and not before it: a finding. */
static int negative_check(bo_book *c, sync_ctx *x, int64_t inbox, int64_t sale,
                          const neg_line *nl, int n)
{
    int rc;
    for (int i = 0; i < n; i++) {
        int dup = 0;
        int64_t qty = 0;
        for (int j = 0; j < n; j++)
            if (!strcmp(nl[j].sku, nl[i].sku) && !strcmp(nl[j].loc, nl[i].loc)) {
                if (j < i)
                    dup = 1;
                else if (bo_money_add(qty, nl[j].qty, &qty))
                    return bo__error_set(BO_EOVERFLOW, "line %d: the quantity overflows",
                                         i + 1);
            }
        if (dup)
            continue;
        int64_t on_hand = 0, before;
        /* the row as the sale left it, else read it */
        int found = bo__inv_left(c, nl[i].sku, nl[i].loc, &on_hand) > 0;
        if (!found && (rc = bo__store_row(c->store, SQL_NEG_PEEK, &found, "tt>i",
                                          nl[i].sku, nl[i].loc, &on_hand)))
            return rc;
        if (!found || on_hand >= 0 || bo_money_add(on_hand, qty, &before) || before < 0)
            continue;
        if ((rc = bo__store_run(c->store, SQL_NEG_ADD, "iitti", inbox, sale, nl[i].sku,
                                nl[i].loc, on_hand)) ||
            (rc = bo__event_queue(c, "stock.negative", inbox)))
            return rc;
        x->rep->negative++;
    }
    return 0;
}

/* The terminal's command chain, checked before a command is applied: the
 * body is the one its digest was taken of, its link is the hash of the
 * link before it, and that link is the one the central store received
 * with the command before it. A break is BO_ECORRUPT naming the terminal
 * and the sequence; the command is quarantined, never applied. */
static int chain_bad(cmd *k, const sync_ctx *x, const char *what)
{
    k->chain_bad = 1;
    return bo__error_set(BO_ECORRUPT, "terminal '%s' sequence %" PRId64 ": %s; refused, "
                         "not applied (the terminal's chain does not verify)", x->terminal,
                         k->seq, what);
}

static int chain_check(bo_book *c, sync_ctx *x, cmd *k)
{
    char d[65], link[65], before[65] = "";
    unsigned char raw[32];
    bo__sha256(k->body, strlen(k->body), raw);
    bo__hex(raw, sizeof raw, d);
    if (strcmp(d, k->digest))
        return chain_bad(k, x, "the command was altered after it was queued (its body "
                         "does not match its digest)");
    if (!k->chain_hash[0])
        return 0; /* queued before the chain existed */
    bo__sync_chain_link(k->chain_prev, x->terminal, k->seq, k->digest, link);
    if (strcmp(link, k->chain_hash))
        return chain_bad(k, x, "its chain link is not the hash of its previous link and "
                         "digest (the link was altered)");
    int found = 0, rc;
    const seen_row *sr;
    if ((found = seen_find(x, k->seq - 1, &sr)) > 0)
        snprintf(before, sizeof before, "%s", sr->chain);
    else if (found < 0 && (found = 0, rc = bo__store_row(c->store, SQL_INBOX_LINK, &found,
                                                         "ti>t", x->terminal, k->seq - 1,
                                                         before, sizeof before)))
        return rc;
    if (found && before[0] && strcmp(before, k->chain_prev))
        return chain_bad(k, x, "its previous link is not the link the central store "
                         "received with the command before it (a gap or a rewritten "
                         "chain)");
    if (k->seq == 1 && k->chain_prev[0])
        return chain_bad(k, x, "the first command names a previous link");
    return 0;
}

static int apply_tx(bo_book *c, void *p)
{
    struct apply_ctx *a = p;
    sync_ctx *x = a->x;
    cmd *k = a->k;
    int64_t id = 0, result = 0;
    char digest[65] = "";
    int found = 0, rc;
    const seen_row *sr;
    if ((found = seen_find(x, k->seq, &sr)) > 0) {
        id = sr->id;
        result = sr->result;
        snprintf(digest, sizeof digest, "%s", sr->digest);
    } else if (found < 0 && (found = 0, rc = bo__store_row(c->store, SQL_INBOX_GET, &found,
                                                           "ti>iti", x->terminal, k->seq,
                                                           &id, digest, sizeof digest,
                                                           &result))) {
        return rc;
    }
    if (found) {
        if (strcmp(digest, k->digest))
            return bo__error_set(BO_EKEYREUSE, "terminal '%s' sequence %" PRId64 ": already "
                                 "received with different content (inbox %" PRId64 ")",
                                 x->terminal, k->seq, id);
        k->outcome = OUT_REPLAYED;
        k->central_id = result;
        return 0;
    }
    if ((rc = chain_check(c, x, k)))
        return rc;
    neg_line *nl = NULL;
    int nn = 0;
    if (!strcmp(k->kind, "cash")) {
        if ((rc = apply_cash(c, x, k, &result)))
            return rc;
    } else if (!strcmp(k->kind, "return")) {
        if ((rc = apply_return(c, x, k, &result)))
            return rc;
    } else if (!strcmp(k->kind, "sale")) {
        bo_sale *s;
        bo__price_line *given = NULL;
        if ((rc = decode_sale(x, k, &s, &nl, &nn, &given)))
            return rc;
        bo__inv_left_begin(c); /* a replayed key leaves no rows */
        rc = given ? bo__inv_sale_post_priced(c, s, given, &result)
                   : bo__inv_sale_post_fact(c, s, &result);
        bo__pricing_free(given, nn);
        bo_sale_free(s);
    } else {
        return bo__error_set(BO_ENOTSUP, "seq %" PRId64 ": kind '%s' cannot be synced",
                             k->seq, k->kind);
    }
    /* the device clock against the central one at this sync, and a command
     * stamped after the device's own present (a clock set back) */
    int64_t off = x->skew < 0 ? -x->skew : x->skew;
    int skewed = off > x->skew_max || k->device_time > x->device_now + x->skew_max;
    if (!rc)
        rc = bo__store_insert(c->store, SQL_INBOX_ADD, SQL_INBOX_ADD_PLAIN, &id,
                              "tittiiiiiiii?t?t", x->terminal, k->seq, k->digest, k->kind,
                              k->receipt, result, k->device_time, k->server_offset,
                              k->price_version, x->central_now, x->skew, (int64_t)skewed,
                              k->chain_hash[0] != 0, k->chain_prev, k->chain_hash[0] != 0,
                              k->chain_hash);
    if (!rc)
        rc = negative_check(c, x, id, result, nl, nn);
    bo__free(nl);
    if (rc)
        return rc;
    char object[40];
    snprintf(object, sizeof object, "inbox:%" PRId64, id);
    if ((rc = bo__audit_append_digest(c, "sync.central.receive", object, k->body, k->digest)))
        return rc;
    if (x->seen_on && k->seq >= x->seen_lo && k->seq <= x->seen_hi &&
        (rc = seen_add(x, k->seq, id, result, k->digest, k->chain_hash)))
        return rc;
    k->outcome = OUT_APPLIED;
    k->central_id = result;
    if (skewed)
        x->rep->skewed++;
    return 0;
}

/* A refusal is the command's own fault: it is quarantined and the others
 * go on. Anything else (the store, memory, a conflict) ends the sync. */
static int is_refusal(int rc)
{
    switch (rc) {
    case BO_ENOMEM: case BO_EBUSY: case BO_EIO: case BO_EFULL: case BO_EDRIVER:
    case BO_ECONFLICT: case BO_ERROR: case BO_ECORRUPT: case BO_ESCHEMA:
    case BO_ECONSTRAINT: case BO_EDENIED:
        return 0;
    default:
        return 1;
    }
}

/* Look-ups before the batch writes anything: a command that cannot apply
 * (a body that is not a sale, an item or a location the central book does
 * not know, an inactive item, a kind it cannot sync) is marked careful, so
 * it runs in its own savepoint from the start and is quarantined there
 * without undoing the rest. Each item and location is looked up once a
 * batch. */
typedef struct known_code {
    char code[BO_CODE_MAX + 1];
    int loc, ok;
} known_code;

static int known(bo_book *c, known_code **kn, int *nk, int *cap, const char *code, int loc,
                 int *ok)
{
    for (int i = 0; i < *nk; i++)
        if ((*kn)[i].loc == loc && !strcmp((*kn)[i].code, code)) {
            *ok = (*kn)[i].ok;
            return 0;
        }
    int rc;
    if (loc) {
        bo__inv_loc l;
        rc = bo__inv_loc_find(c, "location", code, &l);
        *ok = !rc;
    } else {
        bo__inv_item it;
        rc = bo__inv_item_find(c, "sku", code, 1, &it);
        *ok = !rc && it.active;
    }
    if (rc == BO_ENOTFOUND || rc == BO_EINVAL)
        bo__error_clear();
    else if (rc)
        return rc;
    if (*nk == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        known_code *r = bo__realloc(*kn, (size_t)ncap * sizeof *r);
        if (!r)
            return BO_ENOMEM;
        *kn = r;
        *cap = ncap;
    }
    known_code *k = &(*kn)[(*nk)++];
    snprintf(k->code, sizeof k->code, "%s", code);
    k->loc = loc;
    k->ok = *ok;
    return 0;
}

static int precheck(bo_book *c, sync_ctx *x)
{
    known_code *kn = NULL;
    int nk = 0, cap = 0, rc = 0;
    for (int i = 0; i < x->n && !rc; i++) {
        cmd *k = &x->cmds[i];
        if (k->careful || !strcmp(k->kind, "cash") || !strcmp(k->kind, "return"))
            continue;
        bo_sale *sale = NULL;
        neg_line *nl = NULL;
        bo__price_line *given = NULL;
        int nn = 0;
        if (strcmp(k->kind, "sale") || decode_sale(x, k, &sale, &nl, &nn, &given)) {
            bo__error_clear();
            k->careful = 1;
            continue;
        }
        bo_sale_free(sale);
        bo__pricing_free(given, nn);
        for (int j = 0; j < nn && !rc && !k->careful; j++) {
            int ok1 = 0, ok2 = 0;
            if (!(rc = known(c, &kn, &nk, &cap, nl[j].sku, 0, &ok1)) &&
                !(rc = known(c, &kn, &nk, &cap, nl[j].loc, 1, &ok2)))
                k->careful = !ok1 || !ok2;
        }
        bo__free(nl);
    }
    bo__free(kn);
    return rc;
}

/* One central transaction for the batch. A command not marked careful is
 * applied in the transaction itself: a refusal of one makes the attempt
 * give up (the caller rolls it back, marks that command careful and runs
 * the batch again). A careful command runs in its own savepoint: refused,
 * it is undone alone and quarantined, and the others go on. */
static int batch_end(bo_book *c, int rc)
{
    bo__inv_batch_keep(c, 0);
    return rc;
}

/* The central keys of the batch's sales the inbox does not answer,
 * claimed in one read a 64 (bo__inv_sale_keys_claim) instead of one a
 * sale. */
static int claim_keys(bo_book *c, sync_ctx *x)
{
    char (*keys)[BO_CODE_MAX + 32] = bo__calloc((size_t)x->n + 1, sizeof *keys);
    const char **kp = bo__calloc((size_t)x->n + 1, sizeof *kp);
    int n = 0, rc = 0;
    if (!keys || !kp) {
        rc = BO_ENOMEM;
        goto done;
    }
    for (int i = 0; i < x->n; i++) {
        const seen_row *sr;
        if (strcmp(x->cmds[i].kind, "sale") || seen_find(x, x->cmds[i].seq, &sr) > 0)
            continue;
        snprintf(keys[n], sizeof keys[n], "%s:%" PRId64, x->terminal, x->cmds[i].seq);
        kp[n] = keys[n];
        n++;
    }
    rc = bo__inv_sale_keys_claim(c, kp, n);
done:
    bo__free(keys);
    bo__free(kp);
    return rc;
}

static int batch_tx(bo_book *c, void *p)
{
    sync_ctx *x = p;
    int rc;
    if ((rc = bo__require(c, BO__P_SALES_POST)))
        return rc;
    x->central_now = bo__sync_central_now();
    x->rep->negative = x->negative0; /* an attempt rolled back counts nothing */
    x->rep->skewed = x->skewed0;
    x->refused = -1;
    bo__inv_batch_keep(c, 1); /* items, locations, tax rates read once a batch */
    if ((rc = seen_load(c, x)) || (!x->prechecked && (rc = precheck(c, x))) ||
        (rc = claim_keys(c, x)))
        return batch_end(c, rc);
    x->prechecked = 1;
    bo__sync_applying = 1;
    for (int i = 0; i < x->n; i++) {
        cmd *k = &x->cmds[i];
        struct apply_ctx a = { x, k };
        k->outcome = 0;
        k->chain_bad = 0;
        if (k->careful) {
            rc = bo__write(c, apply_tx, &a);
        } else {
            /* no savepoint at any level of the command's write (a
             * PostgreSQL transaction with hundreds of subtransactions is
             * slow): anything going wrong makes the attempt give up */
            c->flat_writes = 1;
            rc = apply_tx(c, &a);
            c->flat_writes = 0;
            if (!rc && c->failed_depth)
                rc = bo__error_set(BO_ESTATE, "seq %" PRId64 ": an inner write failed",
                                   k->seq);
            if (rc) {
                x->refused = i;
                bo__sync_applying = 0;
                return batch_end(c, rc);
            }
        }
        if (rc && !is_refusal(rc) && !k->chain_bad) {
            bo__sync_applying = 0;
            return batch_end(c, rc);
        }
        if (rc) {
            k->outcome = OUT_QUARANTINED;
            k->code = rc;
            snprintf(k->reason, sizeof k->reason, "%s", bo_error_message());
        }
    }
    bo__sync_applying = 0;
    return batch_end(c, 0);
}

/* The batch: each refusal met by an attempt marks its command careful and
 * the batch runs again; after four, every command is careful. */
static int batch_run(bo_book *c, sync_ctx *x)
{
    x->negative0 = x->rep->negative;
    x->skewed0 = x->rep->skewed;
    x->prechecked = 0;
    for (int i = 0; i < x->n; i++)
        x->cmds[i].careful = 0;
    int rc;
    for (int attempt = 0;; attempt++) {
        rc = bo__write(c, batch_tx, x);
        if (!rc || x->refused < 0)
            break;
        bo__error_clear();
        if (attempt < 3) {
            x->cmds[x->refused].careful = 1;
        } else {
            for (int i = 0; i < x->n; i++)
                x->cmds[i].careful = 1;
        }
    }
    x->seen_on = 0;
    if (rc) {
        x->rep->negative = x->negative0;
        x->rep->skewed = x->skewed0;
    }
    return rc;
}

/* ---- the terminal's side ---- */
static const char SQL_QUEUED[] =
    "SELECT seq, kind, receipt, body, digest, device_time, server_offset, price_version,"
    " amount, chain_prev, chain_hash FROM sync_outbox WHERE state = 'queued' ORDER BY seq"
    " LIMIT ?";
static const char SQL_ACK[] =
    "UPDATE sync_outbox SET state = ?, central_id = ?, code = ?, reason = ?"
    " WHERE seq = ? AND state = 'queued'";

static void cmds_free(sync_ctx *x)
{
    for (int i = 0; i < x->n; i++)
        bo__free(x->cmds[i].body);
    x->n = 0;
}

static int load_batch(bo_book *t, sync_ctx *x, int batch)
{
    bo__stmt *s;
    int rc = bo__stmt_get(t->store, SQL_QUEUED, &s);
    if (rc)
        return rc;
    if ((rc = bo__stmt_bind(s, "i", (int64_t)batch))) {
        bo__stmt_done(s);
        return rc;
    }
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        cmd *k = &x->cmds[x->n];
        memset(k, 0, sizeof *k);
        k->seq = bo__stmt_col_int(s, 0);
        snprintf(k->kind, sizeof k->kind, "%s", bo__stmt_col_text(s, 1));
        k->receipt = bo__stmt_col_int(s, 2);
        const char *body = bo__stmt_col_text(s, 3);
        snprintf(k->digest, sizeof k->digest, "%s", bo__stmt_col_text(s, 4));
        k->device_time = bo__stmt_col_int(s, 5);
        k->server_offset = bo__stmt_col_int(s, 6);
        k->price_version = bo__stmt_col_int(s, 7);
        k->amount = bo__stmt_col_int(s, 8);
        const char *cp = bo__stmt_col_text(s, 9), *ch = bo__stmt_col_text(s, 10);
        snprintf(k->chain_prev, sizeof k->chain_prev, "%s", cp ? cp : "");
        snprintf(k->chain_hash, sizeof k->chain_hash, "%s", ch ? ch : "");
        if (!(k->body = bo__strdup(body ? body : ""))) {
            rc = BO_ENOMEM;
            break;
        }
        x->n++;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc < 0 ? rc : bo__error_set(BO_ERROR, "outbox: read");
}

static int ack_tx(bo_book *t, void *p)
{
    sync_ctx *x = p;
    int rc;
    if ((rc = bo__sync_state_get(t, &x->st, NULL)))
        return rc;
    for (int i = 0; i < x->n; i++) {
        cmd *k = &x->cmds[i];
        int q = k->outcome == OUT_QUARANTINED;
        if ((rc = bo__store_run(t->store, SQL_ACK, "t?i?i?ti", q ? "quarantined" : "synced",
                                !q, k->central_id, q, (int64_t)k->code, q, k->reason,
                                k->seq)))
            return rc;
        if (!bo__store_changes(t->store))
            continue;
        if ((rc = bo__audit_touch(t, "outbox", k->seq)))
            return rc;
        x->st.queued--;
        x->st.queued_value -= k->amount; /* bounded: the queued value holds it */
    }
    x->st.last_sync = bo__sync_device_now();
    if ((rc = bo__sync_state_put(t, &x->st)))
        return rc;
    return bo__audit_append(t, "sync.terminal.ack", "terminal:1", "");
}

/* ---- pull ----
 *
 * The cursor is the central book's feed position the terminal last
 * applied. A first pull (cursor 0), or one whose cursor the central feed
 * no longer keeps (BO_EEXPIRED), takes the whole snapshot; later ones read
 * the feed's events after the cursor and take again only the kinds of
 * rows those events changed (the deltas). Every row that differs from
 * what the terminal holds is applied to the terminal's own tables (tax
 * rates and categories, items, unit prices, parties and their price
 * groups, price lists with their prices and promotions at the central
 * versions; stock levels are
 * kept as the central figure in sync_pulled, the terminal's own stock
 * being its local facts) and the cursor moves, all in one local
 * transaction: a pull cut anywhere leaves the terminal as it was, and the
 * next one applies the same rows once. */
enum { PULL_RATE = 1, PULL_ITEM = 2, PULL_PRICE = 4, PULL_PARTY = 8, PULL_STOCK = 16,
       PULL_ALL = 31 };

static const char SQL_PULL_CATS[] =
    "SELECT 'tax_category', code, name, 0, rates, 0, '' FROM tax_categories ORDER BY code";
static const char SQL_PULL_RATES[] =
    "SELECT 'tax_rate', code, name, rate_ppm, sales_account || ' ' || purchase_account,"
    " compound, '' FROM tax_rates ORDER BY code";
static const char SQL_PULL_ITEMS[] =
    "SELECT 'item', sku, name, scale * 10 + method, COALESCE(tax_category, ''), active,"
    " COALESCE(unit, '') FROM inv_items ORDER BY sku";
static const char SQL_PULL_PRICES[] =
    "SELECT 'price', i.sku || '/' || u.unit, u.num || '/' || u.den, COALESCE(u.price, -1),"
    " '', 0, '' FROM inv_units u JOIN inv_items i ON i.id = u.item_id ORDER BY i.sku, u.unit";
static const char SQL_PULL_STOCK[] =
    "SELECT 'stock', i.sku || '@' || l.code, '', s.on_hand, '', s.reserved, '' FROM inv_stock s"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " ORDER BY i.sku, l.code";
static const char SQL_PULL_PARTIES[] =
    "SELECT 'party', p.code, p.name, p.roles, p.currency, p.active, COALESCE(g.grp, '')"
    " FROM parties p LEFT JOIN inv_customer_groups g ON g.party = p.code ORDER BY p.code";
/* Price lists (group, store, dates, version), their prices (a quantity
 * break each, with the list's version) and promotions (with their
 * versions): the terminal prices its sales as the central book would and
 * records the same versions. */
static const char SQL_PULL_LISTS[] =
    "SELECT 'pricelist', l.code, COALESCE(l.grp, ''), l.version, COALESCE(lo.code, ''), 0,"
    " l.date_from || ' ' || l.date_to FROM inv_pricelists l"
    " LEFT JOIN inv_locations lo ON lo.id = l.location_id ORDER BY l.code";
static const char SQL_PULL_LIST_PRICES[] =
    "SELECT 'listprice', l.code || '/' || i.sku || '/' || p.unit || '/' || p.min_qty, l.code,"
    " p.price, i.sku, l.version, p.unit FROM inv_pricelist_prices p"
    " JOIN inv_pricelists l ON l.id = p.list_id JOIN inv_items i ON i.id = p.item_id"
    " ORDER BY l.code, i.sku, p.unit, p.min_qty";
static const char SQL_PULL_PROMOS[] =
    "SELECT 'promotion', p.code, p.kind, p.version, COALESCE(a.sku, '-') || ' ' ||"
    " COALESCE(c.sku, '-') || ' ' || COALESCE(p.coupon, '-') || ' ' || p.buy_qty || ' ' ||"
    " p.get_qty, p.value, p.date_from || ' ' || p.date_to FROM inv_promotions p"
    " LEFT JOIN inv_items a ON a.id = p.item_id LEFT JOIN inv_items c ON c.id = p.item2_id"
    " ORDER BY p.code";
/* The central versions, kept by the terminal's copies (the terminal's own
 * calls count versions from 1). */
static const char SQL_LIST_LOCAL[] = "SELECT 1 FROM inv_pricelists WHERE code = ?";
static const char SQL_LIST_VERSION[] = "UPDATE inv_pricelists SET version = ? WHERE code = ?";
static const char SQL_PROMO_VERSION[] = "UPDATE inv_promotions SET version = ? WHERE code = ?";
static const char SQL_LOC_LOCAL[] = "SELECT 1 FROM inv_locations WHERE code = ?";
static const char SQL_PULLED_GET[] = "SELECT body FROM sync_pulled WHERE kind = ? AND code = ?";
static const char SQL_PULLED_PUT[] =
    "INSERT INTO sync_pulled (kind, code, body, cursor_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (kind, code) DO UPDATE SET body = excluded.body,"
    " cursor_at = excluded.cursor_at";

typedef struct pull_row {
    char kind[16], code[4 * BO_CODE_MAX + 32];
    char *body;
    /* the fields, for applying it */
    char *t2, *t4, *t6;
    int64_t i3, i5;
} pull_row;

typedef struct pull_ctx {
    sync_ctx *x;
    pull_row *rows;
    size_t n, cap;
    int64_t head;
} pull_ctx;

static int pull_read(bo_book *c, pull_ctx *pc, const char *sql)
{
    bo__stmt *s;
    int rc = bo__stmt_get(c->store, sql, &s);
    if (rc)
        return rc;
    while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        if (pc->n == pc->cap) {
            size_t cap = pc->cap ? pc->cap * 2 : 64;
            pull_row *r = bo__realloc(pc->rows, cap * sizeof *r);
            if (!r) {
                rc = BO_ENOMEM;
                break;
            }
            pc->rows = r;
            pc->cap = cap;
        }
        pull_row *r = &pc->rows[pc->n];
        memset(r, 0, sizeof *r);
        snprintf(r->kind, sizeof r->kind, "%s", bo__stmt_col_text(s, 0));
        snprintf(r->code, sizeof r->code, "%s", bo__stmt_col_text(s, 1));
        bo__buf b = BO__BUF_INIT;
        const char *t2 = bo__stmt_col_text(s, 2), *t4 = bo__stmt_col_text(s, 4),
                   *t6 = bo__stmt_col_text(s, 6);
        r->i3 = bo__stmt_col_int(s, 3);
        r->i5 = bo__stmt_col_int(s, 5);
        bo__buf_field(&b, t2 ? t2 : "");
        bo__buf_field_int(&b, r->i3);
        bo__buf_field(&b, t4 ? t4 : "");
        bo__buf_field_int(&b, r->i5);
        bo__buf_field(&b, t6 ? t6 : "");
        r->t2 = bo__strdup(t2 ? t2 : "");
        r->t4 = bo__strdup(t4 ? t4 : "");
        r->t6 = bo__strdup(t6 ? t6 : "");
        pc->n++;
        if (b.failed || !r->t2 || !r->t4 || !r->t6) {
            bo__buf_free(&b);
            rc = BO_ENOMEM;
            break;
        }
        r->body = b.ptr;
    }
    bo__stmt_done(s);
    return rc == BO_DRIVER_DONE ? 0 : rc < 0 ? rc : bo__error_set(BO_ERROR, "pull: read");
}

/* The kinds of rows an event of the central feed may have changed. */
static int event_kinds(const char *kind)
{
    if (!strncmp(kind, "commerce.tax_", 13))
        return PULL_RATE;
    if (!strncmp(kind, "commerce.party.", 15))
        return PULL_PARTY;
    if (!strncmp(kind, "inventory.item.", 15))
        return PULL_ITEM;
    if (!strncmp(kind, "inventory.unit.", 15) || !strncmp(kind, "inventory.pricelist.", 20) ||
        !strncmp(kind, "inventory.promotion.", 20))
        return PULL_PRICE;
    if (!strncmp(kind, "inventory.group.", 16))
        return PULL_PARTY;
    if (!strncmp(kind, "inventory.", 10) || !strncmp(kind, "sync.central.receive", 20))
        return PULL_STOCK;
    return 0;
}

/* The kinds changed after @p after up to @p head (PULL_ALL when the feed
 * no longer keeps them: a snapshot). */
static int pull_deltas(bo_book *c, int64_t after, int64_t head, int *kinds)
{
    *kinds = 0;
    if (after <= 0) {
        *kinds = PULL_ALL;
        return 0;
    }
    while (after < head) {
        bo_cursor *cur = NULL;
        int rc = bo_feed_read(c, after, BO_FEED_READ_MAX, &cur);
        if (rc == BO_EEXPIRED) {
            bo__error_clear();
            *kinds = PULL_ALL;
            return 0;
        }
        if (rc)
            return rc;
        int64_t seen = after;
        while ((rc = bo_cursor_next(cur)) == 0) {
            seen = bo_cursor_int(cur, 0);
            if (seen > head)
                break;
            const char *k = bo_cursor_text(cur, 3);
            *kinds |= event_kinds(k ? k : "");
        }
        bo_cursor_free(cur);
        if (rc != 0 && rc != BO_ITEROVER)
            return rc;
        if (seen == after)
            break; /* nothing more committed */
        after = seen;
    }
    return 0;
}

/* The central stock level into the terminal's own stock: where the
 * terminal book has the location (its own, or one it was given) and the
 * item, an adjustment of kind "count" (valued at the current cost, against
 * account.adjustments) makes its on-hand figure the central one, dated the
 * device's day or the stock row's latest movement when that is later. A
 * terminal without account.adjustments keeps the central figure in
 * sync_pulled only. */
static const char SQL_LOCAL_STOCK[] =
    "SELECT COALESCE(s.on_hand, 0), (SELECT MAX(m.date) FROM inv_moves m"
    " WHERE m.stock_id = s.id) FROM inv_items i JOIN inv_locations l ON l.code = ?"
    " LEFT JOIN inv_stock s ON s.item_id = i.id AND s.location_id = l.id WHERE i.sku = ?";

struct stock_set {
    const char *sku, *loc, *date;
    int64_t delta;
};

static int stock_set_tx(bo_book *t, void *p)
{
    struct stock_set *ss = p;
    int64_t value = 0;
    return bo__inv_adjust_in_tx(t, ss->sku, ss->loc, ss->delta, ss->date,
                                "central stock level", &value);
}

static int pull_stock(bo_book *t, const pull_row *r)
{
    char sku[BO_CODE_MAX + 1], loc[BO_CODE_MAX + 1], last[16] = "", day[16];
    const char *at = strchr(r->code, '@');
    if (!at || at - r->code > BO_CODE_MAX || strlen(at + 1) > BO_CODE_MAX)
        return bo__error_set(BO_EINVAL, "pull: stock '%s': not SKU@location", r->code);
    snprintf(sku, sizeof sku, "%.*s", (int)(at - r->code), r->code);
    snprintf(loc, sizeof loc, "%s", at + 1);
    int64_t local = 0;
    int found = 0, rc;
    if ((rc = bo__store_row(t->store, SQL_LOCAL_STOCK, &found, "tt>it", loc, sku, &local,
                            last, sizeof last)))
        return rc;
    if (!found || local == r->i3)
        return 0; /* not a location or item of this terminal, or the same figure */
    time_t now = (time_t)bo__sync_device_now();
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y-%m-%d", &tm);
    struct stock_set ss = { sku, loc, strcmp(last, day) > 0 ? last : day, 0 };
    if (bo_money_sub(r->i3, local, &ss.delta))
        return bo__error_set(BO_EOVERFLOW, "pull: stock '%s': the difference overflows",
                             r->code);
    rc = bo__write(t, stock_set_tx, &ss);
    if (rc == BO_ECONFIG) {
        bo__error_clear(); /* no account.adjustments: the figure stays in sync_pulled */
        return 0;
    }
    return rc;
}

/* A price list, one of its prices or a promotion into the terminal's
 * copy, at the central version. A list of a store the terminal does not
 * have prices none of its sales: it and its prices are left out. */
static int pull_pricing(bo_book *t, const pull_row *r)
{
    int found = 0, rc;
    if (!strcmp(r->kind, "pricelist")) {
        char from[16] = "", to[16] = "";
        bo_date f, e;
        if (sscanf(r->t6, "%15s %15s", from, to) != 2 || bo_date_parse(from, &f) ||
            bo_date_parse(to, &e))
            return bo__error_set(BO_EINVAL, "pull: price list '%s': dates '%s'", r->code,
                                 r->t6);
        if ((rc = bo__store_row(t->store, SQL_LIST_LOCAL, &found, "t", r->code)))
            return rc;
        int store = 1;
        if (!found && r->t4[0] &&
            ((rc = bo__store_row(t->store, SQL_LOC_LOCAL, &store, "t", r->t4)) || !store))
            return rc; /* not a store of this terminal */
        if (!found && (rc = bo_inventory_pricelist_add(t, r->code, r->t2[0] ? r->t2 : NULL,
                                                       r->t4[0] ? r->t4 : NULL, f, e)))
            return rc;
        return bo__store_run(t->store, SQL_LIST_VERSION, "it", r->i3, r->code);
    }
    if (!strcmp(r->kind, "listprice")) {
        const char *slash = strrchr(r->code, '/');
        long long min = -1;
        if (!slash || sscanf(slash + 1, "%lld", &min) != 1 || min < 0)
            return bo__error_set(BO_EINVAL, "pull: list price '%s': no minimum quantity",
                                 r->code);
        if ((rc = bo__store_row(t->store, SQL_LIST_LOCAL, &found, "t", r->t2)) || !found)
            return rc; /* a list left out */
        if ((rc = bo_inventory_pricelist_price(t, r->t2, r->t4, r->t6[0] ? r->t6 : NULL,
                                               (int64_t)min, r->i3)))
            return rc;
        return bo__store_run(t->store, SQL_LIST_VERSION, "it", r->i5, r->t2);
    }
    char sku[BO_CODE_MAX + 1] = "", sku2[BO_CODE_MAX + 1] = "", coupon[BO_CODE_MAX + 1] = "",
         from[16] = "", to[16] = "";
    long long buy = 0, get = 0;
    bo_inventory_promotion p = BO_INVENTORY_PROMOTION_INIT;
    if (sscanf(r->t4, "%64s %64s %64s %lld %lld", sku, sku2, coupon, &buy, &get) != 5 ||
        sscanf(r->t6, "%15s %15s", from, to) != 2 || bo_date_parse(from, &p.from) ||
        bo_date_parse(to, &p.to))
        return bo__error_set(BO_EINVAL, "pull: promotion '%s': '%s' '%s'", r->code, r->t4,
                             r->t6);
    p.code = r->code;
    p.kind = r->t2;
    p.sku = strcmp(sku, "-") ? sku : NULL;
    p.sku2 = strcmp(sku2, "-") ? sku2 : NULL;
    p.coupon = strcmp(coupon, "-") ? coupon : NULL;
    p.buy = buy;
    p.get = get;
    p.value = r->i5;
    if ((rc = bo_inventory_promotion_set(t, &p)))
        return rc;
    return bo__store_run(t->store, SQL_PROMO_VERSION, "it", r->i3, r->code);
}

/* A row that differs from what the terminal holds, into the terminal's
 * tables (nested writes of the pull's transaction). */
static int pull_apply(bo_book *t, const pull_row *r, int known)
{
    int rc = 0;
    if (!strcmp(r->kind, "tax_rate")) {
        if (known)
            return 0; /* a rate never changes once defined */
        char sales[BO_CODE_MAX + 1] = "", purchase[BO_CODE_MAX + 1] = "";
        sscanf(r->t4, "%64s %64s", sales, purchase);
        bo_tax_rate_options o = BO_TAX_RATE_OPTIONS_INIT;
        o.code = r->code;
        o.name = r->t2;
        o.rate_ppm = r->i3;
        o.sales_account = sales;
        o.purchase_account = purchase[0] ? purchase : NULL;
        o.flags = r->i5 ? BO_TAX_COMPOUND : 0;
        rc = bo_tax_rate_add(t, &o);
        return rc == BO_EEXISTS ? (bo__error_clear(), 0) : rc;
    }
    if (!strcmp(r->kind, "tax_category")) {
        if (known)
            return 0;
        rc = bo_tax_category_add(t, r->code, r->t2, r->t4);
        return rc == BO_EEXISTS ? (bo__error_clear(), 0) : rc;
    }
    if (!strcmp(r->kind, "item")) {
        bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
        ch.name = r->t2;
        ch.tax_category = r->t4;
        ch.unit = r->t6;
        ch.active = r->i5 ? 1 : 0;
        rc = bo_inventory_item_update(t, r->code, &ch);
        if (rc == BO_ENOTFOUND) {
            bo__error_clear();
            if (!(rc = bo_inventory_item_add(t, r->code, r->t2, (int)(r->i3 / 10),
                                             (int)(r->i3 % 10), r->t4[0] ? r->t4 : NULL)) &&
                (!r->i5 || r->t6[0]))
                rc = bo_inventory_item_update(t, r->code, &ch);
        }
        return rc;
    }
    if (!strcmp(r->kind, "price")) {
        char sku[BO_CODE_MAX + 1], unit[BO_CODE_MAX + 1];
        long long num = 0, den = 0;
        const char *slash = strchr(r->code, '/');
        if (!slash || slash - r->code > BO_CODE_MAX || sscanf(r->t2, "%lld/%lld", &num, &den) != 2)
            return bo__error_set(BO_EINVAL, "pull: price '%s': not SKU/unit", r->code);
        snprintf(sku, sizeof sku, "%.*s", (int)(slash - r->code), r->code);
        snprintf(unit, sizeof unit, "%s", slash + 1);
        return bo_inventory_unit_set(t, sku, unit, num, den, r->i3);
    }
    if (!strcmp(r->kind, "party")) {
        bo_party_changes ch = BO_PARTY_CHANGES_INIT;
        ch.name = r->t2;
        ch.roles = (int)r->i3;
        ch.active = r->i5 ? 1 : 0;
        rc = bo_party_update(t, r->code, &ch);
        if (rc == BO_ENOTFOUND) {
            bo__error_clear();
            if (!(rc = bo_party_add(t, r->code, r->t2, (int)r->i3, r->t4)) && !r->i5)
                rc = bo_party_update(t, r->code, &ch);
        }
        /* its price group, for the price lists of a customer group */
        if (rc || (!r->t6[0] && !known))
            return rc;
        return bo_inventory_customer_group_set(t, r->code, r->t6[0] ? r->t6 : NULL);
    }
    if (!strcmp(r->kind, "pricelist") || !strcmp(r->kind, "listprice") ||
        !strcmp(r->kind, "promotion"))
        return pull_pricing(t, r);
    if (!strcmp(r->kind, "stock"))
        return pull_stock(t, r);
    return 0;
}

static int pull_store_tx(bo_book *t, void *p)
{
    pull_ctx *pc = p;
    int rc;
    if ((rc = bo__sync_state_get(t, &pc->x->st, NULL)))
        return rc;
    for (size_t i = 0; i < pc->n; i++) {
        pull_row *r = &pc->rows[i];
        int found = 0;
        char buf[2048] = "";
        if ((rc = bo__store_row(t->store, SQL_PULLED_GET, &found, "tt>t", r->kind, r->code,
                                buf, sizeof buf)))
            return rc;
        if (found && !strcmp(buf, r->body))
            continue;
        if ((rc = pull_apply(t, r, found))) {
            char why[512];
            snprintf(why, sizeof why, "%s", bo_error_message());
            return bo__error_set(rc, "pull: %s '%s' from the central book: %s", r->kind,
                                 r->code, why);
        }
        char key[4 * BO_CODE_MAX + 52];
        snprintf(key, sizeof key, "%s:%s", r->kind, r->code);
        if ((rc = bo__store_run(t->store, SQL_PULLED_PUT, "ttti", r->kind, r->code, r->body,
                                pc->head)) ||
            (rc = bo__audit_touch_name(t, "pulled", key)))
            return rc;
        pc->x->rep->pulled++;
    }
    pc->x->st.cursor = pc->head;
    if ((rc = bo__sync_state_put(t, &pc->x->st)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, pc->head);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(t, "sync.terminal.pull", "terminal:1", d.ptr);
    bo__buf_free(&d);
    return rc;
}

static int pull(bo_book *t, bo_book *c, sync_ctx *x)
{
    pull_ctx pc = { x, NULL, 0, 0, 0 };
    int rc, kinds = 0;
    if ((rc = bo__require(c, BO__P_INVENTORY_READ)) ||
        (rc = bo_feed_head(c, NULL, &pc.head)))
        return rc;
    x->rep->cursor = pc.head;
    if (pc.head == x->st.cursor)
        return 0; /* nothing changed since the cursor */
    if ((rc = pull_deltas(c, x->st.cursor > pc.head ? 0 : x->st.cursor, pc.head, &kinds)))
        return rc;
    /* rates and categories before the items naming them, items before
     * their prices */
    if (!rc && (kinds & PULL_RATE) && !(rc = pull_read(c, &pc, SQL_PULL_RATES)))
        rc = pull_read(c, &pc, SQL_PULL_CATS);
    if (!rc && (kinds & PULL_ITEM))
        rc = pull_read(c, &pc, SQL_PULL_ITEMS);
    if (!rc && (kinds & PULL_PRICE) && !(rc = pull_read(c, &pc, SQL_PULL_PRICES)) &&
        !(rc = pull_read(c, &pc, SQL_PULL_LISTS)) &&
        !(rc = pull_read(c, &pc, SQL_PULL_LIST_PRICES)))
        rc = pull_read(c, &pc, SQL_PULL_PROMOS);
    if (!rc && (kinds & PULL_PARTY))
        rc = pull_read(c, &pc, SQL_PULL_PARTIES);
    if (!rc && (kinds & PULL_STOCK))
        rc = pull_read(c, &pc, SQL_PULL_STOCK);
    if (!rc)
        rc = bo__write(t, pull_store_tx, &pc);
    for (size_t i = 0; i < pc.n; i++) {
        bo__free(pc.rows[i].body);
        bo__free(pc.rows[i].t2);
        bo__free(pc.rows[i].t4);
        bo__free(pc.rows[i].t6);
    }
    bo__free(pc.rows);
    return rc;
}

/* ---- the call ---- */
int bo_sync_options_init(bo_sync_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts)
        return bo__error_set(BO_EINVAL, "opts: NULL");
    int rc = bo__opts_version(version, BO_SYNC_OPTIONS_VERSION);
    if (rc)
        return rc;
    *opts = (bo_sync_options)BO_SYNC_OPTIONS_INIT;
    opts->version = version;
    return 0;
}

static int run(bo_book *t, bo_book *c, const bo_sync_options *o, sync_ctx *x)
{
    int rc;
    /* hello */
    if ((rc = bo__write(t, local_nonce_tx, x)))
        return rc;
    x->terminal = x->st.terminal;
    x->device_now = bo__sync_device_now();
    x->central_now = bo__sync_central_now();
    x->skew = x->central_now - x->device_now;
    if ((rc = bo__write(c, central_hello_tx, x)) || (rc = bo__write(t, local_rotated_tx, x)))
        return rc;
    /* push */
    int batch = o->batch > 0 ? o->batch : 200;
    if (o->push) {
        if (!(x->cmds = bo__calloc((size_t)batch, sizeof *x->cmds)))
            return BO_ENOMEM;
        for (;;) {
            if ((rc = load_batch(t, x, batch)) || x->n == 0)
                break;
            if ((rc = batch_run(c, x)))
                break;
            x->rep->batches++;
            if ((rc = bo__write(t, ack_tx, x)))
                break;
            for (int i = 0; i < x->n; i++) {
                int o2 = x->cmds[i].outcome;
                x->rep->pushed += o2 == OUT_APPLIED;
                x->rep->replayed += o2 == OUT_REPLAYED;
                x->rep->quarantined += o2 == OUT_QUARANTINED;
            }
            int last = x->n < batch;
            cmds_free(x);
            if (last)
                break;
        }
        cmds_free(x);
        if (rc)
            return rc;
    }
    return o->pull ? pull(t, c, x) : 0;
}

int bo_sync_run(bo_book *t, bo_book *c, const bo_sync_options *opts, bo_sync_report *report)
{
    bo__error_clear();
    if (!t)
        return bo__error_set(BO_EINVAL, "terminal: NULL");
    bo_sync_options o = BO_SYNC_OPTIONS_INIT;
    bo_sync_report rep = BO_SYNC_REPORT_INIT;
    int rc;
    if (opts) {
        if ((rc = bo__opts_version(opts->version, BO_SYNC_OPTIONS_VERSION)))
            return rc;
        o = *opts;
    }
    if (report && (rc = bo__opts_version(report->version, BO_SYNC_REPORT_VERSION)))
        return bo__error_set(rc, "report: version %u is not %d", report->version,
                             BO_SYNC_REPORT_VERSION);
    if (o.batch < 0 || o.batch > 100000)
        return bo__error_set(BO_EINVAL, "batch: not between 0 and 100000");
    if (o.skew_seconds < 0)
        return bo__error_set(BO_EINVAL, "skew_seconds: negative");
    if (c == t)
        return bo__error_set(BO_EINVAL, "central: the terminal itself");
    sync_ctx x;
    memset(&x, 0, sizeof x);
    x.rep = &rep;
    x.skew_max = o.skew_seconds ? o.skew_seconds : 300;
    if ((rc = bo__require(t, BO__P_SYNC_READ)) || (rc = bo__sync_state_get(t, &x.st, NULL)))
        return rc;
    bo_book *own = NULL;
    if (!c) {
        char *uri = NULL;
        if ((rc = bo__setting_dup(t, "sync", "central", &uri)))
            return rc;
        if (!uri)
            return bo__error_set(BO_ESTATE, "central: the terminal names no central store");
        bo_book_options bo = BO_BOOK_OPTIONS_INIT;
        bo.actor = t->actor;
        rc = bo__book_open(&own, uri, &bo, 0);
        bo__free(uri);
        if (rc)
            return rc;
        c = own;
    }
    rc = run(t, c, &o, &x);
    bo__error_state keep;
    bo__error_save(&keep);
    cmds_free(&x);
    bo__free(x.cmds);
    bo__free(x.seen);
    if (own)
        bo_book_free(own);
    bo__error_restore(&keep);
    if (report)
        *report = rep;
    return rc;
}

/* ---- central listings ---- */
static const char SQL_INBOX_LIST[] =
    "SELECT id, terminal, seq, kind, receipt, result_id, digest, device_time, received_at,"
    " skew, skewed FROM sync_inbox WHERE (CAST(? AS TEXT) IS NULL OR terminal = ?) ORDER BY terminal, seq";
static const bo__col inbox_cols[] = {
    { "id", BO_TYPE_INT }, { "terminal", BO_TYPE_TEXT }, { "seq", BO_TYPE_INT },
    { "kind", BO_TYPE_TEXT }, { "receipt", BO_TYPE_INT }, { "result", BO_TYPE_INT },
    { "digest", BO_TYPE_TEXT }, { "device_time", BO_TYPE_INT },
    { "received_at", BO_TYPE_INT }, { "skew", BO_TYPE_INT }, { "skewed", BO_TYPE_INT },
};

int bo_sync_inbox(bo_book *c, const char *terminal, bo_cursor **out)
{
    bo__error_clear();
    if (!c || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(c, BO__P_SYNC_READ, NULL, SQL_INBOX_LIST, inbox_cols, 11, out, "?t?t",
                       terminal != NULL, terminal, terminal != NULL, terminal);
}

static const char SQL_NEG_LIST[] =
    "SELECT n.id, i.terminal, i.seq, n.sale_id, n.sku, n.location, n.on_hand, it.scale"
    " FROM sync_negative n JOIN sync_inbox i ON i.id = n.inbox_id"
    " JOIN inv_items it ON it.sku = n.sku ORDER BY n.id";
static const bo__col neg_cols[] = {
    { "id", BO_TYPE_INT }, { "terminal", BO_TYPE_TEXT }, { "seq", BO_TYPE_INT },
    { "sale", BO_TYPE_INT }, { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "on_hand", BO_TYPE_INT }, { "scale", BO_TYPE_INT },
};

int bo_sync_negative(bo_book *c, bo_cursor **out)
{
    bo__error_clear();
    if (!c || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    return bo__listing(c, BO__P_SYNC_READ, NULL, SQL_NEG_LIST, neg_cols, 8, out, "");
}
