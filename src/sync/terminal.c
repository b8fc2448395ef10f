/*
 * A terminal book: its identity and state (sync_state), the outbox row
 * every sale writes in its own transaction (the inventory hook), gapless
 * receipt numbers, limits, and the outbox as the till sees it (status,
 * listing, resubmitting a quarantined command, closing a session).
 */
#include "sync/sync.h"
#include "inventory/inventory.h"
#include "util/fixed.h"
#include "core/verify.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t (*bo__sync_device_clock)(void);
int64_t (*bo__sync_central_clock)(void);

int64_t bo__sync_device_now(void)
{
    return bo__sync_device_clock ? bo__sync_device_clock() : (int64_t)time(NULL);
}

int64_t bo__sync_central_now(void)
{
    return bo__sync_central_clock ? bo__sync_central_clock() : (int64_t)time(NULL);
}

int bo__sync_nonce(char out[65])
{
    unsigned char r[32];
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        while (got < sizeof r) {
            ssize_t n = read(fd, r + got, sizeof r - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        close(fd);
    }
    if (got < sizeof r)
        return bo__error_set(BO_EIO, "nonce: no random bytes");
    bo__hex(r, sizeof r, out);
    return 0;
}

/* ---- the state row ---- */
static const char SQL_STATE_GET[] =
    "SELECT terminal, nonce, nonce_next, next_seq, next_receipt, queued, queued_value,"
    " server_offset, last_sync, pull_cursor, max_queued, max_value, max_hours"
    " FROM sync_state WHERE id = 1";
static const char SQL_STATE_PUT[] =
    "UPDATE sync_state SET nonce = ?, nonce_next = ?, next_seq = ?, next_receipt = ?,"
    " queued = ?, queued_value = ?, server_offset = ?, last_sync = ?, pull_cursor = ?,"
    " max_queued = ?, max_value = ?, max_hours = ? WHERE id = 1";
static const char SQL_STATE_ADD[] =
    "INSERT INTO sync_state (id, terminal, nonce, nonce_next, next_seq, next_receipt,"
    " queued, queued_value, server_offset, last_sync, pull_cursor, max_queued, max_value,"
    " max_hours) VALUES (1, ?, ?, NULL, 1, 1, 0, 0, 0, ?, 0, 0, 0, 0)";

/* Whether the book is a terminal at all, kept on the handle: a sale or a
 * return on a book that is none (a central book, a shop's own) asks
 * nothing of sync_state at each write. Only a book found not to be a
 * terminal is kept, behind the generation counter like the inventory's
 * settings: bo_terminal_setup bumps it, so this handle and every other
 * drop the flag at their next outermost transaction; a rollback drops it
 * too. Used inside a transaction only, where the counter was checked at
 * its start. */
typedef struct sync_cache {
    int not_terminal;
} sync_cache;

static void sync_forget(void *data)
{
    ((sync_cache *)data)->not_terminal = 0;
}

static void sync_tx_end(void *data, int rolled_back)
{
    if (rolled_back)
        sync_forget(data);
}

static void sync_cache_free(void *data)
{
    bo__free(data);
}

int bo__sync_slot;
const bo__domain_cache bo__sync_cache = { &bo__sync_slot, sync_tx_end, sync_forget,
                                          sync_cache_free, NULL };

static sync_cache *sync_cache_get(bo_book *b)
{
    if (b->depth == 0)
        return NULL;
    bo__ext *x = &b->ext[bo__sync_slot];
    if (!x->data)
        x->data = bo__calloc(1, sizeof(sync_cache)); /* NULL: read the store */
    return x->data;
}

/* The state for a hook: *found 0 (and no read) when the handle keeps that
 * the book is no terminal. */
static int hook_state(bo_book *b, bo__sync_state *st, int *found)
{
    sync_cache *c = sync_cache_get(b);
    *found = 0;
    if (c && c->not_terminal)
        return 0;
    int rc = bo__sync_state_get(b, st, found);
    if (!rc && !*found && c)
        c->not_terminal = 1;
    return rc;
}

int bo__sync_state_get(bo_book *b, bo__sync_state *st, int *found)
{
    int f = 0;
    memset(st, 0, sizeof *st);
    int rc = bo__store_row(b->store, SQL_STATE_GET, &f, ">tttiiiiiiiiii",
                           st->terminal, sizeof st->terminal, st->nonce, sizeof st->nonce,
                           st->nonce_next, sizeof st->nonce_next, &st->next_seq,
                           &st->next_receipt, &st->queued, &st->queued_value,
                           &st->server_offset, &st->last_sync, &st->cursor,
                           &st->max_queued, &st->max_value, &st->max_hours);
    if (rc)
        return rc;
    if (found)
        *found = f;
    else if (!f)
        return bo__error_set(BO_ESTATE, "book: not a terminal (bo_terminal_setup)");
    return 0;
}

int bo__sync_state_put(bo_book *b, const bo__sync_state *st)
{
    int rc = bo__store_run(b->store, SQL_STATE_PUT, "t?tiiiiiiiiii", st->nonce,
                           st->nonce_next[0] != 0, st->nonce_next, st->next_seq,
                           st->next_receipt, st->queued, st->queued_value,
                           st->server_offset, st->last_sync, st->cursor, st->max_queued,
                           st->max_value, st->max_hours);
    if (!rc)
        rc = bo__audit_touch(b, "terminal", 1);
    return rc;
}

/* ---- the outbox row of a sale (the inventory hook) ---- */
static const char SQL_OUTBOX_ADD[] =
    "INSERT INTO sync_outbox (seq, kind, receipt, local_id, body, digest, amount,"
    " device_time, server_offset, price_version, state, chain_prev, chain_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)";
static const char SQL_CHAIN_LAST[] =
    "SELECT chain_hash FROM sync_outbox WHERE seq = ?";

void bo__sync_chain_link(const char *prev, const char *terminal, int64_t seq,
                         const char *digest, char out[65])
{
    bo__sha h;
    bo__sha_init(&h);
    bo__sha_field(&h, prev, strlen(prev));
    bo__sha_field(&h, terminal, strlen(terminal));
    bo__sha_field_int(&h, seq);
    bo__sha_field(&h, digest, strlen(digest));
    bo__sha_hex(&h, out);
}

/* A new command needs this many free pages of the terminal's SQLite file
 * (a sale writes a few): the rest of the file's room is kept for the
 * syncs that empty the outbox. */
#define SYNC_DISK_MARGIN_PAGES 64

/* The terminal's file has room for a new command: its pages (PRAGMA
 * page_count, max_page_count, freelist_count) leave the margin, else
 * BO_EFULL naming the terminal. Stores other than SQLite are not checked
 * here (their own BO_EFULL is renamed by outbox_add). */
static int disk_room(bo_book *b, const bo__sync_state *st)
{
    const bo_driver *d = bo__store_driver(b->store);
    if (!d || strcmp(d->scheme, "sqlite"))
        return 0;
    int64_t pages = 0, max = 0, free_pages = 0;
    int rc;
    if ((rc = bo__store_row(b->store, "PRAGMA page_count", NULL, ">i", &pages)) ||
        (rc = bo__store_row(b->store, "PRAGMA max_page_count", NULL, ">i", &max)) ||
        (rc = bo__store_row(b->store, "PRAGMA freelist_count", NULL, ">i", &free_pages)))
        return rc;
    if (max - pages + free_pages >= SYNC_DISK_MARGIN_PAGES)
        return 0;
    return bo__error_set(BO_EFULL, "terminal '%s': the local disk is full (%" PRId64 " of %"
                         PRId64 " pages used): new sales are refused; the %" PRId64
                         " queued commands are kept and sync when the central store is "
                         "reached", st->terminal, pages - free_pages, max, st->queued);
}

/* 80 % of a limit or more. */
static int near(int64_t v, int64_t max)
{
    return max > 0 && v >= max - max / 5;
}

_Thread_local int bo__sync_applying;

/* A command into the outbox, in the caller's write: its sequence and
 * receipt number, the limits checked first. body is freed. */
static int outbox_add(bo_book *b, bo__sync_state st, const char *kind, int64_t local_id,
                      bo__buf *body, int64_t amount)
{
    int rc = 0;
    int64_t now = bo__sync_device_now(), value;
    if (st.max_queued && st.queued >= st.max_queued)
        rc = bo__error_set(BO_ELIMIT, "terminal '%s': %" PRId64 " commands queued, the "
                           "limit (max_queued) is %" PRId64 "; sync first", st.terminal,
                           st.queued, st.max_queued);
    else if (bo_money_add(st.queued_value, amount, &value))
        rc = bo__error_set(BO_EOVERFLOW, "terminal '%s': the queued value overflows",
                           st.terminal);
    else if (st.max_value && value > st.max_value)
        rc = bo__error_set(BO_ELIMIT, "terminal '%s': the queued value would pass its "
                           "limit (max_value); sync first", st.terminal);
    else if (st.max_hours && now - st.last_sync > st.max_hours * 3600)
        rc = bo__error_set(BO_ELIMIT, "terminal '%s': offline for more than %" PRId64
                           " hours (max_offline_hours); sync first", st.terminal,
                           st.max_hours);
    char d[65], prev[65] = "", link[65];
    if (!rc)
        rc = disk_room(b, &st);
    if (!rc)
        rc = body->failed ? BO_ENOMEM : bo__buf_hash(body, d);
    /* the terminal's command chain: this command's link continues the one
     * before it (none before the first, or before version 16) */
    if (!rc)
        rc = bo__store_row(b->store, SQL_CHAIN_LAST, NULL, "i>t", st.next_seq - 1, prev,
                           sizeof prev);
    if (!rc) {
        bo__sync_chain_link(prev, st.terminal, st.next_seq, d, link);
        rc = bo__store_run(b->store, SQL_OUTBOX_ADD, "itiittiiiitt", st.next_seq, kind,
                           st.next_receipt, local_id, body->ptr, d, amount, now,
                           st.server_offset, st.cursor, prev, link);
        if (rc == BO_EFULL)
            rc = bo__error_set(BO_EFULL, "terminal '%s': the local disk is full: new sales "
                               "are refused; the %" PRId64 " queued commands are kept",
                               st.terminal, st.queued);
    }
    bo__buf_free(body);
    if (rc || (rc = bo__audit_touch(b, "outbox", st.next_seq)))
        return rc;
    int was_near = near(st.queued, st.max_queued) || near(st.queued_value, st.max_value);
    st.next_seq++;
    st.next_receipt++;
    st.queued++;
    st.queued_value = value;
    if ((rc = bo__sync_state_put(b, &st)))
        return rc;
    if (!was_near && (near(st.queued, st.max_queued) || near(st.queued_value, st.max_value)))
        rc = bo__event_queue(b, "terminal.limit", st.next_seq - 1);
    return rc;
}

static const char SQL_LINE_PRICING[] =
    "SELECT p.unit_qty, p.unit_price, i.scale FROM inv_sale_pricing p"
    " JOIN inv_items i ON i.sku = ? WHERE p.sale_id = ? AND p.line = ?";

/* Copy one field of a canonical form. */
static int copy_field(const char **p, const char *end, bo__buf *out, int *kind, int64_t *v)
{
    const char *s;
    size_t len;
    if (bo__field_next(p, end, kind, &s, &len, v))
        return -1;
    if (*kind == 'i')
        return bo__buf_field_int(out, *v);
    if (*kind == 'n')
        return bo__buf_field(out, NULL);
    char *t = bo__malloc(len + 1);
    if (!t)
        return BO_ENOMEM;
    memcpy(t, s, len);
    t[len] = 0;
    int rc = bo__buf_field(out, t);
    bo__free(t);
    return rc;
}

/* The sale's form as the central book must post it: a line the terminal
 * priced itself (the price lists' price, or a unit other than the stock
 * unit) carries the price per stock unit it was sold at, so the central
 * book posts the fact, not its own price of the day. A line amount in
 * another unit that no whole price per stock unit gives takes the next
 * price up, the difference added to the line's discount. */
static int priced_line(bo_book *b, int64_t id, int64_t line, const char *sku, int64_t qty,
                       int64_t *price, int64_t *disc)
{
    int found = 0, rc;
    int64_t uqty = 0, uprice = 0, scale = 0, amount, p2, a2;
    if ((rc = bo__store_row(b->store, SQL_LINE_PRICING, &found, "tii>iii", sku, id, line,
                            &uqty, &uprice, &scale)))
        return rc;
    if (!found)
        return 0; /* priced as the sale gave it */
    if (uqty == qty) {
        *price = uprice;
        return 0;
    }
    if (qty <= 0 || bo__fx_mul(uprice, uqty, (int)scale, BO_ROUND_HALF_EVEN, &amount) ||
        bo__fx_div(amount, qty, (int)scale, BO_ROUND_CEILING, &p2) ||
        bo__fx_mul(p2, qty, (int)scale, BO_ROUND_HALF_EVEN, &a2) ||
        bo_money_add(*disc, a2 - amount, disc))
        return bo__error_set(BO_EOVERFLOW, "line %" PRId64 ": its price per stock unit "
                             "overflows", line);
    *price = p2;
    return 0;
}

/* What priced each line on the terminal, after the payments: "priced",
 * then per line active (0: priced as the sale gave it), unit, unit_qty,
 * unit_price, price list, its version, the promotions' discount and the
 * promotions applied with their versions. The central book posts the sale
 * with them (bo__inv_sale_post_priced): the terminal's prices and
 * discounts, no promotion applied twice. */
static const char SQL_LINE_RECORD[] =
    "SELECT unit, unit_qty, unit_price, price_list, COALESCE(price_list_version, 0),"
    " discount, promotions FROM inv_sale_pricing WHERE sale_id = ? AND line = ?";

static int priced_tail(bo_book *b, int64_t id, int64_t n, bo__buf *out)
{
    bo__buf_field(out, "priced");
    for (int64_t i = 0; i < n; i++) {
        char unit[BO_CODE_MAX + 1] = "", list[BO_CODE_MAX + 1] = "", rules[4096] = "";
        int64_t uqty = 0, uprice = 0, version = 0, promo = 0;
        int found = 0;
        int rc = bo__store_row(b->store, SQL_LINE_RECORD, &found, "ii>tiitiit", id, i + 1,
                               unit, sizeof unit, &uqty, &uprice, list, sizeof list, &version,
                               &promo, rules, sizeof rules);
        if (rc)
            return rc;
        if (strlen(rules) == sizeof rules - 1)
            return bo__error_set(BO_ELIMIT, "line %" PRId64 ": promotions: more than %zu "
                                 "bytes", i + 1, sizeof rules - 2);
        bo__buf_field_int(out, found);
        bo__buf_field(out, found && unit[0] ? unit : NULL);
        bo__buf_field_int(out, uqty);
        bo__buf_field_int(out, uprice);
        bo__buf_field(out, found && list[0] ? list : NULL);
        bo__buf_field_int(out, version);
        bo__buf_field_int(out, promo);
        bo__buf_field(out, found && rules[0] ? rules : NULL);
    }
    return 0;
}

static int priced_body(bo_book *b, int64_t id, const bo__buf *raw, bo__buf *out)
{
    const char *p = raw->ptr, *end = raw->ptr + raw->len, *s;
    size_t len;
    int kind, rc = 0;
    int64_t v = 0;
    for (int f = 0; f < 7 && !rc; f++) /* tag, date, memo, key, customer, inclusive, n */
        rc = copy_field(&p, end, out, &kind, &v);
    int64_t n = v;
    for (int64_t i = 0; i < n && !rc; i++) {
        char sku[BO_CODE_MAX + 1];
        int64_t qty, price, disc, hold;
        if (bo__field_next(&p, end, &kind, &s, &len, &v) || kind != 't' || len > BO_CODE_MAX) {
            rc = -1;
            break;
        }
        memcpy(sku, s, len);
        sku[len] = 0;
        bo__buf_field(out, sku);
        if ((rc = copy_field(&p, end, out, &kind, &v)))
            break;
        if (bo__field_next(&p, end, &kind, &s, &len, &qty) || kind != 'i' ||
            bo__field_next(&p, end, &kind, &s, &len, &price) || kind != 'i' ||
            bo__field_next(&p, end, &kind, &s, &len, &disc) || kind != 'i' ||
            bo__field_next(&p, end, &kind, &s, &len, &hold) || kind != 'i') {
            rc = -1;
            break;
        }
        if ((rc = priced_line(b, id, i + 1, sku, qty, &price, &disc)))
            break;
        bo__buf_field_int(out, qty);
        bo__buf_field_int(out, price);
        bo__buf_field_int(out, disc);
        bo__buf_field_int(out, hold);
    }
    while (!rc && p < end)
        rc = copy_field(&p, end, out, &kind, &v);
    if (!rc)
        rc = priced_tail(b, id, n, out);
    if (rc == -1)
        rc = bo__error_set(BO_ERROR, "sale %" PRId64 ": its canonical form", id);
    return rc ? rc : out->failed ? BO_ENOMEM : 0;
}

int bo__sync_sale_hook(bo_book *b, const bo_sale *sale, int64_t id, int64_t total,
                       const char *digest)
{
    (void)digest; /* the outbox keeps the digest of its own form */
    bo__sync_state st;
    int found, rc;
    if (bo__sync_applying || (rc = hook_state(b, &st, &found)) || !found)
        return bo__sync_applying ? 0 : rc;
    bo__buf raw = BO__BUF_INIT, body = BO__BUF_INIT;
    if (!(rc = bo__inv_sale_encode(sale, &raw)))
        rc = priced_body(b, id, &raw, &body);
    bo__buf_free(&raw);
    if (rc) {
        bo__buf_free(&body);
        return rc;
    }
    return outbox_add(b, st, "sale", id, &body, total);
}

static const char SQL_SALE_SEQ[] =
    "SELECT seq FROM sync_outbox WHERE kind = 'sale' AND local_id = ?";

/* A return names its sale by the sale's terminal sequence (0: a sale made
 * before this book was a terminal, which the central book cannot know: the
 * return is quarantined there). */
int bo__sync_return_hook(bo_book *b, int64_t sale, int line, int64_t qty, const char *date,
                         const char *method, const char *key, int64_t id, int64_t refund)
{
    bo__sync_state st;
    int found, rc;
    if (bo__sync_applying || (rc = hook_state(b, &st, &found)) || !found)
        return bo__sync_applying ? 0 : rc;
    int64_t seq = 0;
    if ((rc = bo__store_row(b->store, SQL_SALE_SEQ, NULL, "i>i", sale, &seq)))
        return rc;
    bo__buf body = BO__BUF_INIT;
    bo__buf_field(&body, "return");
    bo__buf_field_int(&body, seq);
    bo__buf_field_int(&body, line);
    bo__buf_field_int(&body, qty);
    bo__buf_field(&body, date);
    bo__buf_field(&body, method);
    bo__buf_field(&body, key);
    return outbox_add(b, st, "return", id, &body, refund);
}

/* ---- cash into and out of the till ---- */
struct cash_ctx {
    bo_date date;
    int64_t amount, entry;
    const char *account, *memo, *key;
};

static const char SQL_CASH_SEEN[] =
    "SELECT 1 FROM sync_outbox WHERE kind = 'cash' AND local_id = ?";

/* The entry of a cash movement (also the central book's, src/sync/push.c). */
int bo__sync_cash_entry(bo_book *b, bo_date date, int64_t amount, const char *account,
                        const char *memo, const char *key, int64_t *entry)
{
    char cash[BO_CODE_MAX + 1];
    int found = 0, rc;
    if ((rc = bo__inv_setting(b, "payment.cash", cash, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ECONFIG, "payment.cash: the till's cash account is not set");
    int64_t neg;
    if (bo_money_neg(amount, &neg))
        return bo__error_set(BO_EOVERFLOW, "amount: its negation overflows");
    bo_entry *e = NULL;
    if (!(rc = bo_entry_new(&e, date, memo ? memo : "till cash")) &&
        !(rc = bo_entry_set_key(e, key)) && !(rc = bo_entry_add(e, cash, amount, NULL, NULL)) &&
        !(rc = bo_entry_add(e, account, neg, NULL, NULL)))
        rc = bo_ledger_post(b, e, entry);
    bo_entry_free(e);
    return rc;
}

static int cash_tx(bo_book *b, void *p)
{
    struct cash_ctx *c = p;
    bo__sync_state st;
    int rc, seen = 0;
    if ((rc = bo__sync_state_get(b, &st, NULL)) ||
        (rc = bo__sync_cash_entry(b, c->date, c->amount, c->account, c->memo, c->key,
                                  &c->entry)) ||
        (rc = bo__store_row(b->store, SQL_CASH_SEEN, &seen, "i", c->entry)))
        return rc;
    if (seen) /* a replay of the key */
        return 0;
    char d[11];
    bo__date_iso(c->date, d);
    int64_t abs_amount;
    if (bo__fx_abs(c->amount, &abs_amount))
        return bo__error_set(BO_EOVERFLOW, "amount: out of range");
    bo__buf body = BO__BUF_INIT;
    bo__buf_field(&body, "cash");
    bo__buf_field(&body, d);
    bo__buf_field_int(&body, c->amount);
    bo__buf_field(&body, c->account);
    bo__buf_field(&body, c->memo);
    bo__buf_field(&body, c->key);
    return outbox_add(b, st, "cash", c->entry, &body, abs_amount);
}

int bo_terminal_cash(bo_book *b, bo_date date, int64_t amount, const char *account,
                     const char *memo, const char *key, int64_t *entry)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if (amount == 0)
        return bo__error_set(BO_EINVAL, "amount: 0 moves no cash");
    if ((rc = bo__idem_require("a cash movement", key)) ||
        (rc = bo__name_check("account", account, BO_CODE_MAX)) ||
        (rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, true)))
        return rc;
    struct cash_ctx c = { date, amount, 0, account, memo, key };
    if ((rc = bo__write(b, cash_tx, &c)))
        return rc;
    if (entry)
        *entry = c.entry;
    return 0;
}

/* ---- setup and limits ---- */
struct setup_ctx {
    const char *terminal, *central;
};

static int setup_tx(bo_book *b, void *p)
{
    struct setup_ctx *c = p;
    bo__sync_state st;
    int found, rc;
    if ((rc = bo__require(b, BO__P_SYNC_ADMIN)) ||
        (rc = bo__sync_state_get(b, &st, &found)))
        return rc;
    if (found) {
        char central[BO_TEXT_MAX + 1] = "";
        if ((rc = bo__setting_get(b, "sync", "central", central, sizeof central, NULL)))
            return rc;
        if (strcmp(st.terminal, c->terminal) || strcmp(central, c->central))
            return bo__error_set(BO_ESTATE, "terminal: this book is already terminal '%s'",
                                 st.terminal);
        return 0;
    }
    char nonce[65];
    if ((rc = bo__sync_nonce(nonce)) ||
        (rc = bo__store_run(b->store, SQL_STATE_ADD, "tti", c->terminal, nonce,
                            bo__sync_device_now())) ||
        (rc = bo__setting_put(b, "sync", "terminal", c->terminal)) ||
        (rc = bo__setting_put(b, "sync", "central", c->central)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->terminal);
    bo__buf_field(&d, c->central);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "sync.terminal.setup", "terminal:1", d.ptr);
    bo__buf_free(&d);
    /* Handles that kept "no terminal" (hook_state) read the state again. */
    return rc ? rc : bo__book_bump_generation(b);
}

int bo_terminal_setup(bo_book *b, const char *terminal, const char *central_uri)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__name_check("terminal", terminal, BO_CODE_MAX)) ||
        (rc = bo__text_check("central", central_uri, BO_TEXT_MAX, false, false)))
        return rc;
    struct setup_ctx c = { terminal, central_uri };
    return bo__write(b, setup_tx, &c);
}

struct limits_ctx {
    int64_t q, v, h;
};

static int limits_tx(bo_book *b, void *p)
{
    struct limits_ctx *c = p;
    bo__sync_state st;
    int rc;
    if ((rc = bo__require(b, BO__P_SYNC_ADMIN)) || (rc = bo__sync_state_get(b, &st, NULL)))
        return rc;
    st.max_queued = c->q;
    st.max_value = c->v;
    st.max_hours = c->h;
    if ((rc = bo__sync_state_put(b, &st)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field_int(&d, c->q);
    bo__buf_field_int(&d, c->v);
    bo__buf_field_int(&d, c->h);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "sync.terminal.limits", "terminal:1", d.ptr);
    bo__buf_free(&d);
    return rc;
}

int bo_terminal_limits(bo_book *b, int64_t max_queued, int64_t max_value,
                       int64_t max_offline_hours)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (max_queued < 0)
        return bo__error_set(BO_EINVAL, "max_queued: negative");
    if (max_value < 0)
        return bo__error_set(BO_EINVAL, "max_value: negative");
    if (max_offline_hours < 0 || max_offline_hours > INT64_MAX / 3600)
        return bo__error_set(BO_EINVAL, "max_offline_hours: negative or too large");
    struct limits_ctx c = { max_queued, max_value, max_offline_hours };
    return bo__write(b, limits_tx, &c);
}

/* ---- what the till sees ---- */
static const char SQL_COUNT_STATE[] = "SELECT COUNT(*) FROM sync_outbox WHERE state = ?";

int bo_terminal_status_get(bo_book *b, bo_terminal_status *out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    int rc;
    if ((rc = bo__opts_version(out->version, BO_TERMINAL_STATUS_VERSION)) ||
        (rc = bo__require(b, BO__P_SYNC_READ)))
        return rc;
    bo__sync_state st;
    int64_t q = 0, s = 0;
    if ((rc = bo__sync_state_get(b, &st, NULL)) ||
        (rc = bo__store_row(b->store, SQL_COUNT_STATE, NULL, "t>i", "quarantined", &q)) ||
        (rc = bo__store_row(b->store, SQL_COUNT_STATE, NULL, "t>i", "synced", &s)))
        return rc;
    out->queued = st.queued;
    out->queued_value = st.queued_value;
    out->quarantined = q;
    out->synced = s;
    out->next_seq = st.next_seq;
    out->next_receipt = st.next_receipt;
    out->server_offset = st.server_offset;
    out->offline_seconds = bo__sync_device_now() - st.last_sync;
    out->warnings = (near(st.queued, st.max_queued) ? BO_TERMINAL_WARN_COUNT : 0) |
                    (near(st.queued_value, st.max_value) ? BO_TERMINAL_WARN_VALUE : 0) |
                    (st.max_hours && near(out->offline_seconds, st.max_hours * 3600)
                         ? BO_TERMINAL_WARN_AGE : 0);
    return 0;
}

static const char SQL_OUTBOX_LIST[] =
    "SELECT seq, kind, receipt, state, device_time, amount, central_id, code, reason, digest"
    " FROM sync_outbox WHERE (CAST(? AS TEXT) IS NULL OR state = ?) ORDER BY seq";
static const bo__col outbox_cols[] = {
    { "seq", BO_TYPE_INT }, { "kind", BO_TYPE_TEXT }, { "receipt", BO_TYPE_INT },
    { "state", BO_TYPE_TEXT }, { "device_time", BO_TYPE_INT }, { "amount", BO_TYPE_INT },
    { "central_id", BO_TYPE_INT }, { "code", BO_TYPE_INT }, { "reason", BO_TYPE_TEXT },
    { "digest", BO_TYPE_TEXT },
};

int bo_terminal_outbox(bo_book *b, const char *state, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    *out = NULL;
    if (state && strcmp(state, "queued") && strcmp(state, "synced") &&
        strcmp(state, "quarantined"))
        return bo__error_set(BO_EINVAL, "state: not queued, synced or quarantined");
    return bo__listing(b, BO__P_SYNC_READ, NULL, SQL_OUTBOX_LIST, outbox_cols, 10, out,
                       "?t?t", state != NULL, state, state != NULL, state);
}

static const char SQL_OUTBOX_GET[] =
    "SELECT state, amount FROM sync_outbox WHERE seq = ?";
static const char SQL_OUTBOX_REQUEUE[] =
    "UPDATE sync_outbox SET state = 'queued', code = NULL, reason = NULL WHERE seq = ?";

static int resubmit_tx(bo_book *b, void *p)
{
    int64_t seq = *(int64_t *)p, amount = 0;
    char state[16] = "";
    int found = 0, rc;
    bo__sync_state st;
    if ((rc = bo__require(b, BO__P_SYNC_ADMIN)) || (rc = bo__sync_state_get(b, &st, NULL)) ||
        (rc = bo__store_row(b->store, SQL_OUTBOX_GET, &found, "i>ti", seq, state,
                            sizeof state, &amount)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "seq: command %" PRId64 " not found", seq);
    if (strcmp(state, "quarantined"))
        return bo__error_set(BO_ESTATE, "seq: command %" PRId64 " is %s, not quarantined",
                             seq, state);
    if (bo_money_add(st.queued_value, amount, &st.queued_value))
        return bo__error_set(BO_EOVERFLOW, "terminal: the queued value overflows");
    st.queued++;
    char object[40];
    snprintf(object, sizeof object, "outbox:%" PRId64, seq);
    if ((rc = bo__store_run(b->store, SQL_OUTBOX_REQUEUE, "i", seq)) ||
        (rc = bo__sync_state_put(b, &st)))
        return rc;
    return bo__audit_append(b, "sync.outbox.resubmit", object, "");
}

int bo_terminal_resubmit(bo_book *b, int64_t seq)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    return bo__write(b, resubmit_tx, &seq);
}

int bo_terminal_close_check(bo_book *b)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    bo__sync_state st;
    if ((rc = bo__require(b, BO__P_SYNC_READ)) || (rc = bo__sync_state_get(b, &st, NULL)))
        return rc;
    if (st.queued)
        return bo__error_set(BO_ESTATE, "session: %" PRId64 " commands are neither synced "
                             "nor quarantined; sync before closing", st.queued);
    return 0;
}

static const char SQL_RECEIPT[] =
    "SELECT receipt FROM sync_outbox WHERE kind = 'sale' AND local_id = ?";

int bo_terminal_receipt(bo_book *b, int64_t sale_id, int64_t *receipt)
{
    bo__error_clear();
    if (!b || !receipt)
        return bo__error_set(BO_EINVAL, "book/receipt: NULL");
    int found = 0, rc;
    if ((rc = bo__require(b, BO__P_SYNC_READ)) ||
        (rc = bo__store_row(b->store, SQL_RECEIPT, &found, "i>i", sale_id, receipt)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "sale: %" PRId64 " has no receipt on this "
                             "terminal", sale_id);
    return 0;
}
