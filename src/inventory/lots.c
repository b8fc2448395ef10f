/* Lots, expiry and serial numbers: which items are tracked, the picks a
 * command names ("L1:5,L2:3", "SN1,SN2", per sale line "1=L1;2=SN1"), and
 * the hook every movement runs (bo__inv_track_move, from the movement log):
 * for a tracked item it moves the named lots or serials, or picks them
 * (first expired first out for lots; the oldest serial in stock), in the
 * movement's own transaction, so per lot and location stock is always
 * receipts - issues and a serial is in one place at most. An untracked
 * item costs the hook one indexed lookup. */
#include "inventory/inventory.h"
#include "inventory/lots.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- picks ---------------------------------------------------------------- */

typedef struct pick {
    int line;            /* sale line (1..), or 0 for a one-movement command */
    char code[BO_CODE_MAX + 1];
    int64_t qty;         /* 0: the whole movement (one lot) or one serial */
} pick;

struct bo__picks {
    int n, cap;
    pick *p;
    const char *expiry, *best_before; /* ISO dates of new lots, or NULL */
};

/* The picks of the command running on this thread: set by the *_picked
 * calls around the command, read by the movement hook. Read only, so a
 * retried transaction sees the same picks. */
static _Thread_local const bo__picks *current;

void bo__picks_free(bo__picks *p)
{
    if (p) {
        free(p->p);
        free(p);
    }
}

static int code_char(unsigned char c)
{
    return c > ' ' && c < 0x7f && c != ',' && c != ';' && c != ':' && c != '=';
}

int bo__picks_parse(const char *text, int sale, bo__picks **out)
{
    *out = NULL;
    if (!text)
        return bo__error_set(BO_EINVAL, "picks: NULL");
    size_t len = strlen(text);
    if (len > BO_INVENTORY_PICKS_TEXT_MAX)
        return bo__error_set(BO_ELIMIT, "picks: %zu bytes, at most %d", len,
                             BO_INVENTORY_PICKS_TEXT_MAX);
    bo__picks *ps = calloc(1, sizeof *ps);
    if (!ps)
        return bo__error_set(BO_ENOMEM, "picks: out of memory");
    const char *s = text;
    int rc = 0, line = 0;
    while (*s && !rc) {
        size_t at = (size_t)(s - text) + 1;
        if (sale) {
            /* LINE= starts each group */
            int64_t v = 0;
            const char *d = s;
            while (*s >= '0' && *s <= '9' && v <= BO_SALE_LINES_MAX)
                v = v * 10 + (*s++ - '0');
            if (s == d || *s != '=' || v < 1 || v > BO_SALE_LINES_MAX) {
                rc = bo__error_set(BO_EINVAL, "picks: position %zu: a sale line number"
                                   " 1..%d and '=' expected", at, BO_SALE_LINES_MAX);
                break;
            }
            line = (int)v;
            s++;
        }
        for (;;) {
            at = (size_t)(s - text) + 1;
            const char *c = s;
            while (code_char((unsigned char)*s))
                s++;
            size_t n = (size_t)(s - c);
            if (n == 0 || n > BO_CODE_MAX) {
                rc = bo__error_set(BO_EINVAL, "picks: position %zu: a lot or serial of"
                                   " 1..%d printable characters expected", at, BO_CODE_MAX);
                break;
            }
            int64_t q = 0;
            if (*s == ':') {
                const char *d = ++s;
                while (*s >= '0' && *s <= '9' && q <= (INT64_MAX - 9) / 10)
                    q = q * 10 + (*s++ - '0');
                if (s == d || q <= 0 || (*s >= '0' && *s <= '9')) {
                    rc = bo__error_set(BO_EINVAL, "picks: position %zu: a quantity > 0"
                                       " expected", (size_t)(d - text) + 1);
                    break;
                }
            }
            if (ps->n == BO_INVENTORY_PICKS_MAX) {
                rc = bo__error_set(BO_ELIMIT, "picks: more than %d", BO_INVENTORY_PICKS_MAX);
                break;
            }
            if (ps->n == ps->cap) {
                int cap = ps->cap ? ps->cap * 2 : 8;
                pick *np = realloc(ps->p, (size_t)cap * sizeof *np);
                if (!np) {
                    rc = bo__error_set(BO_ENOMEM, "picks: out of memory");
                    break;
                }
                ps->p = np;
                ps->cap = cap;
            }
            pick *pk = &ps->p[ps->n++];
            pk->line = line;
            memcpy(pk->code, c, n);
            pk->code[n] = 0;
            pk->qty = q;
            if (*s == ',') {
                s++;
                continue;
            }
            break;
        }
        if (rc)
            break;
        if (*s == ';' && sale && s[1]) {
            s++;
            continue;
        }
        if (*s) {
            rc = bo__error_set(BO_EINVAL, "picks: position %zu: unexpected '%c'",
                               (size_t)(s - text) + 1, *s >= ' ' && *s < 0x7f ? *s : '?');
            break;
        }
    }
    if (!rc && ps->n == 0)
        rc = bo__error_set(BO_EINVAL, "picks: empty");
    if (rc) {
        bo__picks_free(ps);
        return rc;
    }
    *out = ps;
    return 0;
}

const bo__picks *bo__picks_swap(const bo__picks *p)
{
    const bo__picks *old = current;
    current = p;
    return old;
}

void bo__picks_dates(bo__picks *p, const char *expiry, const char *best_before)
{
    p->expiry = expiry;
    p->best_before = best_before;
}

/* ---- tracking mode ---------------------------------------------------------- */

static const char SQL_TRACK_OF_STOCK[] =
    "SELECT t.mode, s.item_id, s.location_id, i.sku, i.scale FROM inv_stock s"
    " JOIN inv_track t ON t.item_id = s.item_id"
    " JOIN inv_items i ON i.id = s.item_id WHERE s.id = ?";
static const char SQL_TRACK_GET[] = "SELECT mode FROM inv_track WHERE item_id = ?";
static const char SQL_TRACK_SET[] =
    "INSERT INTO inv_track (item_id, mode) VALUES (?, ?)"
    " ON CONFLICT (item_id) DO UPDATE SET mode = excluded.mode";
static const char SQL_TRACK_DEL[] = "DELETE FROM inv_track WHERE item_id = ?";
static const char SQL_ITEM_HELD[] =
    "SELECT COUNT(*) FROM inv_stock WHERE item_id = ? AND on_hand <> 0";
static const char SQL_ITEM_TRANSIT[] =
    "SELECT COUNT(*) FROM inv_transfers WHERE item_id = ? AND arrived IS NULL";

typedef struct track_args {
    const char *sku;
    int mode;
} track_args;

static int track_tx(bo_book *b, void *p)
{
    track_args *a = p;
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_ADMIN)) ||
        (rc = bo__inv_item_find(b, "sku", a->sku, 0, &it)))
        return rc;
    int64_t mode = 0, held = 0, transit = 0;
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_TRACK_GET, &found, "i>i", it.id, &mode)) ||
        (rc = bo__store_row(b->store, SQL_ITEM_HELD, NULL, "i>i", it.id, &held)) ||
        (rc = bo__store_row(b->store, SQL_ITEM_TRANSIT, NULL, "i>i", it.id, &transit)))
        return rc;
    if (mode == a->mode)
        return 0;
    if (held || transit)
        return bo__error_set(BO_ESTATE, "sku: %s has stock (on hand or in transit):"
                             " tracking changes only while it has none", it.sku);
    if (a->mode == BO_INVENTORY_TRACK_SERIAL && it.scale != 0)
        return bo__error_set(BO_EINVAL, "mode: %s has scale %d; serial numbers need"
                             " whole units (scale 0)", it.sku, it.scale);
    rc = a->mode == BO_INVENTORY_TRACK_NONE
       ? bo__store_run(b->store, SQL_TRACK_DEL, "i", it.id)
       : bo__store_run(b->store, SQL_TRACK_SET, "ii", it.id, (int64_t)a->mode);
    /* Every handle drops the stock rows' tracking it kept (settings.c). */
    if (rc || (rc = bo__book_bump_generation(b)))
        return rc;
    char object[BO_CODE_MAX + 8], detail[16];
    snprintf(object, sizeof object, "item:%s", it.sku);
    snprintf(detail, sizeof detail, "%d", a->mode);
    return bo__audit_append(b, "inventory.item.track", object, detail);
}

int bo_inventory_track_set(bo_book *book, const char *sku, int mode)
{
    bo__error_clear();
    if (!book || !sku)
        return bo__error_set(BO_EINVAL, "book/sku: NULL");
    if (mode != BO_INVENTORY_TRACK_NONE && mode != BO_INVENTORY_TRACK_LOT &&
        mode != BO_INVENTORY_TRACK_SERIAL)
        return bo__error_set(BO_EINVAL, "mode: %d is not none (0), lot (1) or serial (2)",
                             mode);
    track_args a = { sku, mode };
    return bo__write(book, track_tx, &a);
}

int bo_inventory_track_get(bo_book *book, const char *sku, int *mode)
{
    bo__error_clear();
    if (!book || !sku || !mode)
        return bo__error_set(BO_EINVAL, "book/sku/mode: NULL");
    bo__inv_item it;
    int rc;
    if ((rc = bo__require(book, BO__P_INVENTORY_READ)) ||
        (rc = bo__inv_item_find(book, "sku", sku, 0, &it)))
        return rc;
    int64_t m = 0;
    if ((rc = bo__store_row(book->store, SQL_TRACK_GET, NULL, "i>i", it.id, &m)))
        return rc;
    *mode = (int)m;
    return 0;
}

/* ---- the movement hook ------------------------------------------------------- */

typedef struct tmove {
    bo_book *b;
    int64_t stock, move, item, loc, qty; /* qty: signed, as the movement */
    int mode, scale;
    char sku[BO_CODE_MAX + 1];
    const char *kind, *date, *ref;
    int line;
    const pick *p; /* this movement's picks, np of them (NULL: none named) */
    int np;
} tmove;

static const char SQL_SALE_LINE_NOW[] =
    "SELECT MAX(line) FROM inv_sale_lines WHERE sale_id = ?";
static const char SQL_LOT_FIND[] =
    "SELECT id, expiry, best_before FROM inv_lots WHERE item_id = ? AND code = ?";
static const char SQL_LOT_ADD[] =
    "INSERT INTO inv_lots (item_id, code, expiry, best_before) VALUES (?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_LOT_ADD_PLAIN[] =
    "INSERT INTO inv_lots (item_id, code, expiry, best_before) VALUES (?, ?, ?, ?)";
static const char SQL_LOT_STOCK_GET[] =
    "SELECT on_hand FROM inv_lot_stock WHERE lot_id = ? AND location_id = ?";
static const char SQL_LOT_STOCK_ADD[] =
    "INSERT INTO inv_lot_stock (lot_id, location_id, on_hand) VALUES (?, ?, ?)"
    " ON CONFLICT (lot_id, location_id) DO UPDATE"
    " SET on_hand = inv_lot_stock.on_hand + excluded.on_hand";
/* A negative row would fail the CHECK before the conflict is resolved:
 * what leaves a lot updates its row, which exists. */
static const char SQL_LOT_STOCK_TAKE[] =
    "UPDATE inv_lot_stock SET on_hand = on_hand + ? WHERE lot_id = ? AND location_id = ?";
static const char SQL_LOT_MOVE_ADD[] =
    "INSERT INTO inv_lot_moves (move_id, lot_id, qty, open) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (move_id, lot_id) DO UPDATE"
    " SET qty = inv_lot_moves.qty + excluded.qty, open = inv_lot_moves.open + excluded.open";
/* What the holds of a lot reserve at a location: active ones that have
 * not expired (at ?3, now). */
#define LOT_HELD                                                                  \
    "(SELECT COALESCE(SUM(h.qty), 0) FROM inv_holds h JOIN inv_stock hs"           \
    " ON hs.id = h.stock_id WHERE h.lot_id = l.id AND hs.location_id = s.location_id" \
    " AND h.status = 'active' AND h.expires > ?)"
/* First expired, first out: dated lots by expiry, then undated ones; with
 * what holds reserve of each. */
static const char SQL_LOT_FEFO[] =
    "SELECT l.id, l.code, l.expiry, s.on_hand, " LOT_HELD " FROM inv_lot_stock s"
    " JOIN inv_lots l ON l.id = s.lot_id"
    " WHERE s.location_id = ? AND l.item_id = ? AND s.on_hand > 0"
    " ORDER BY CASE WHEN l.expiry IS NULL THEN 1 ELSE 0 END, l.expiry, l.id";
static const char SQL_LOT_HELD[] =
    "SELECT " LOT_HELD " FROM inv_lot_stock s JOIN inv_lots l ON l.id = s.lot_id"
    " WHERE s.lot_id = ? AND s.location_id = ?";
/* The lot the hold of the sale line being written reserved (its newest). */
static const char SQL_LINE_HOLD_LOT[] =
    "SELECT l.code FROM inv_sale_lines sl JOIN inv_holds h ON h.id = sl.hold_id"
    " JOIN inv_lots l ON l.id = h.lot_id WHERE sl.sale_id = ?"
    " AND sl.line = (SELECT MAX(line) FROM inv_sale_lines WHERE sale_id = ?)";
/* The lots a sale (reference $2) took from this stock row and may take
 * back: the latest expiry first (what comes back should last longest). */
static const char SQL_LOT_OPEN_OF_SALE[] =
    "SELECT lm.move_id, lm.lot_id, lm.open FROM inv_lot_moves lm"
    " JOIN inv_moves m ON m.id = lm.move_id JOIN inv_lots l ON l.id = lm.lot_id"
    " WHERE m.stock_id = ? AND m.kind = 'sale' AND m.reference = ? AND lm.open > 0"
    " ORDER BY lm.move_id, CASE WHEN l.expiry IS NULL THEN 0 ELSE 1 END, l.expiry DESC,"
    " l.id DESC";
/* The lots of this item still in transit, newest transfer first. */
static const char SQL_LOT_OPEN_TRANSIT[] =
    "SELECT lm.move_id, lm.lot_id, lm.open FROM inv_lot_moves lm"
    " JOIN inv_moves m ON m.id = lm.move_id JOIN inv_stock s ON s.id = m.stock_id"
    " WHERE s.item_id = ? AND m.kind = 'transfer_out' AND lm.open > 0"
    " ORDER BY lm.move_id DESC, lm.lot_id";
static const char SQL_LOT_OPEN_TAKE[] =
    "UPDATE inv_lot_moves SET open = open - ? WHERE move_id = ? AND lot_id = ?";

static int lot_stock_add(tmove *m, int64_t lot, int64_t delta, int64_t open)
{
    int rc = delta < 0
           ? bo__store_run(m->b->store, SQL_LOT_STOCK_TAKE, "iii", delta, lot, m->loc)
           : bo__store_run(m->b->store, SQL_LOT_STOCK_ADD, "iii", lot, m->loc, delta);
    if (!rc)
        rc = bo__store_run(m->b->store, SQL_LOT_MOVE_ADD, "iiii", m->move, lot, delta, open);
    return rc;
}

static int lot_find(tmove *m, const char *code, int64_t *id, char expiry[11],
                    char best[11], int *found)
{
    return bo__store_row(m->b->store, SQL_LOT_FIND, found, "it>itt", m->item, code, id,
                         expiry, (size_t)11, best, (size_t)11);
}

/* A return or an arrival naming its lots takes them from what the sale or
 * the transfer left open, as one that names none does (lot_in_open): q of
 * lot @p lot, or BO_EINVAL when the sale or transfer did not take that much
 * of it. */
static int lot_take_open(tmove *m, int64_t lot, int64_t q)
{
    int ret = strcmp(m->kind, "return") == 0;
    if (!ret && strcmp(m->kind, "transfer_in") != 0)
        return 0;
    bo__stmt *st;
    int rc = bo__stmt_get(m->b->store, ret ? SQL_LOT_OPEN_OF_SALE : SQL_LOT_OPEN_TRANSIT,
                          &st);
    if (rc)
        return rc;
    rc = ret ? bo__stmt_bind(st, "it", m->stock, m->ref) : bo__stmt_bind(st, "i", m->item);
    struct { int64_t move, take; } took[256];
    int nt = 0;
    int64_t need = q;
    while (!rc && need > 0 && nt < 256) {
        int s = bo__stmt_step(st);
        if (s == BO_DRIVER_DONE)
            break;
        if (s != BO_DRIVER_ROW) {
            rc = s < 0 ? s : BO_ERROR;
            break;
        }
        if (bo__stmt_col_int(st, 1) != lot)
            continue;
        int64_t open = bo__stmt_col_int(st, 2);
        took[nt].move = bo__stmt_col_int(st, 0);
        took[nt].take = open < need ? open : need;
        need -= took[nt++].take;
    }
    bo__stmt_done(st);
    if (rc)
        return rc;
    if (need > 0)
        return bo__error_set(BO_EINVAL, "picks: %s of %s: %" PRId64 " more of the lot than"
                             " the %s took", m->kind, m->sku, need,
                             ret ? "sale" : "transfer");
    for (int i = 0; i < nt && !rc; i++)
        rc = bo__store_run(m->b->store, SQL_LOT_OPEN_TAKE, "iii", took[i].take,
                           took[i].move, lot);
    return rc;
}

/* Incoming stock into named lots (created on a receipt). */
static int lot_in_named(tmove *m, const bo__picks *ps)
{
    int rc = 0;
    for (int i = 0; i < m->np && !rc; i++) {
        const pick *pk = &m->p[i];
        int64_t id = 0, q = pk->qty ? pk->qty : m->qty;
        char exp[11] = "", best[11] = "";
        int found = 0;
        if ((rc = lot_find(m, pk->code, &id, exp, best, &found)))
            break;
        const char *e = ps ? ps->expiry : NULL, *bb = ps ? ps->best_before : NULL;
        if (!found) {
            if (strcmp(m->kind, "receive") != 0)
                return bo__error_set(BO_ENOTFOUND, "lot: %s of %s does not exist (a %s"
                                     " puts stock back into a known lot)", pk->code, m->sku,
                                     m->kind);
            rc = bo__store_insert(m->b->store, SQL_LOT_ADD, SQL_LOT_ADD_PLAIN, &id, "ittt",
                                  m->item, pk->code, e, bb);
            if (!rc && !id)
                rc = bo__error_set(BO_ERROR, "lot: insert returned no id");
            if (!rc) /* a new lot is part of its item's record */
                rc = bo__audit_touch(m->b, "item", m->item);
        } else if ((e && strcmp(e, exp) != 0) || (bb && strcmp(bb, best) != 0)) {
            return bo__error_set(BO_EINVAL, "expiry: lot %s of %s has expiry %s and best"
                                 " before %s already", pk->code, m->sku,
                                 exp[0] ? exp : "(none)", best[0] ? best : "(none)");
        }
        if (!rc)
            rc = lot_take_open(m, id, q);
        if (!rc)
            rc = lot_stock_add(m, id, q, 0);
    }
    return rc;
}

/* Take n from the open quantities listed by sql (a sale's lots for a
 * return, the lots in transit for an arrival) into this movement. */
static int lot_in_open(tmove *m, const char *sql, const char *what)
{
    bo__stmt *st;
    int rc = bo__stmt_get(m->b->store, sql, &st);
    if (rc)
        return rc;
    if (sql == SQL_LOT_OPEN_OF_SALE)
        rc = bo__stmt_bind(st, "it", m->stock, m->ref);
    else
        rc = bo__stmt_bind(st, "i", m->item);
    int64_t need = m->qty;
    struct { int64_t move, lot, take; } took[256];
    int nt = 0;
    while (!rc && need > 0 && nt < 256) {
        int s = bo__stmt_step(st);
        if (s == BO_DRIVER_DONE)
            break;
        if (s != BO_DRIVER_ROW) {
            rc = s < 0 ? s : BO_ERROR;
            break;
        }
        int64_t open = bo__stmt_col_int(st, 2);
        int64_t take = open < need ? open : need;
        took[nt].move = bo__stmt_col_int(st, 0);
        took[nt].lot = bo__stmt_col_int(st, 1);
        took[nt++].take = take;
        need -= take;
    }
    bo__stmt_done(st);
    if (rc)
        return rc;
    if (need > 0)
        return bo__error_set(BO_EINVAL, "lot: %s of %s at %s: no lot is open for %s;"
                             " name the lots", m->kind, m->sku, m->date, what);
    for (int i = 0; i < nt && !rc; i++) {
        if (!(rc = bo__store_run(m->b->store, SQL_LOT_OPEN_TAKE, "iii", took[i].take,
                                 took[i].move, took[i].lot)))
            rc = lot_stock_add(m, took[i].lot, took[i].take, 0);
    }
    return rc;
}

/* What an outgoing movement leaves open: a sale may come back, a transfer
 * arrives. */
static int64_t out_open(const tmove *m, int64_t q)
{
    return strcmp(m->kind, "sale") == 0 || strcmp(m->kind, "transfer_out") == 0 ? q : 0;
}

static int lot_out_named(tmove *m)
{
    int sale = strcmp(m->kind, "sale") == 0;
    int rc = 0;
    for (int i = 0; i < m->np && !rc; i++) {
        const pick *pk = &m->p[i];
        int64_t id = 0, have = 0, q = pk->qty ? pk->qty : -m->qty;
        char exp[11] = "", best[11] = "";
        int found = 0;
        if ((rc = lot_find(m, pk->code, &id, exp, best, &found)))
            break;
        if (!found)
            return bo__error_set(BO_ENOTFOUND, "lot: %s of %s does not exist", pk->code,
                                 m->sku);
        if (sale && exp[0] && strcmp(exp, m->date) < 0)
            return bo__error_set(BO_EEXPIRED, "lot: %s of %s expired on %s (sale dated %s)",
                                 pk->code, m->sku, exp, m->date);
        if ((rc = bo__store_row(m->b->store, SQL_LOT_STOCK_GET, NULL, "ii>i", id, m->loc,
                                &have)))
            break;
        /* a sale leaves what holds of others reserve of the lot */
        int64_t held = 0;
        char now[64];
        bo__now_iso(now);
        if (sale && (rc = bo__store_row(m->b->store, SQL_LOT_HELD, NULL, "tii>i", now, id,
                                        m->loc, &held)))
            break;
        if (held > 0 && have - held < q)
            return bo__error_set(BO_ESTOCK, "lot: %s of %s has %" PRId64 " here, %" PRId64
                                 " of them held, %" PRId64 " asked", pk->code, m->sku,
                                 have, held, q);
        if (have < q)
            return bo__error_set(BO_ESTOCK, "lot: %s of %s has %" PRId64 " here, %" PRId64
                                 " asked", pk->code, m->sku, have, q);
        rc = lot_stock_add(m, id, -q, out_open(m, q));
    }
    return rc;
}

/* First expired, first out; a sale skips expired lots. */
static int lot_out_fefo(tmove *m)
{
    int sale = strcmp(m->kind, "sale") == 0;
    bo__stmt *st;
    int rc = bo__stmt_get(m->b->store, SQL_LOT_FEFO, &st);
    if (rc)
        return rc;
    char now[64];
    bo__now_iso(now);
    rc = bo__stmt_bind(st, "tii", now, m->loc, m->item);
    int64_t need = -m->qty;
    enum { TAKE_MAX = 256 };
    struct { int64_t lot, take; } took[TAKE_MAX];
    int nt = 0;
    char expired[BO_CODE_MAX + 1] = "", expired_on[11] = "";
    while (!rc && need > 0 && nt < TAKE_MAX) {
        int s = bo__stmt_step(st);
        if (s == BO_DRIVER_DONE)
            break;
        if (s != BO_DRIVER_ROW) {
            rc = s < 0 ? s : BO_ERROR;
            break;
        }
        const char *exp = bo__stmt_col_text(st, 2);
        if (sale && exp && strcmp(exp, m->date) < 0) {
            if (!expired[0]) {
                snprintf(expired, sizeof expired, "%s", bo__stmt_col_text(st, 1));
                snprintf(expired_on, sizeof expired_on, "%s", exp);
            }
            continue;
        }
        int64_t have = bo__stmt_col_int(st, 3);
        if (sale) /* what holds reserve is not sold to others */
            have -= bo__stmt_col_int(st, 4);
        if (have <= 0)
            continue;
        int64_t take = have < need ? have : need;
        took[nt].lot = bo__stmt_col_int(st, 0);
        took[nt++].take = take;
        need -= take;
    }
    bo__stmt_done(st);
    if (rc)
        return rc;
    if (need > 0 && expired[0])
        return bo__error_set(BO_EEXPIRED, "lot: %s of %s expired on %s; the unexpired lots"
                             " here lack %" PRId64 " (sale dated %s)", expired, m->sku,
                             expired_on, need, m->date);
    if (need > 0)
        return bo__error_set(BO_ESTOCK, "lot: the lots of %s here lack %" PRId64
                             " (a %s of %" PRId64 ")", m->sku, need, m->kind, -m->qty);
    for (int i = 0; i < nt && !rc; i++)
        rc = lot_stock_add(m, took[i].lot, -took[i].take, out_open(m, took[i].take));
    return rc;
}

static int sum_check(const tmove *m, int64_t want)
{
    int64_t sum = 0;
    for (int i = 0; i < m->np; i++) {
        if (!m->p[i].qty && m->np > 1)
            return bo__error_set(BO_EINVAL, "picks: %s of %s needs a quantity (%s:N) when"
                                 " several are named", m->p[i].code, m->sku, m->p[i].code);
        int64_t q = m->p[i].qty ? m->p[i].qty : want;
        if (bo_money_add(sum, q, &sum))
            return bo__error_set(BO_EOVERFLOW, "picks: quantities overflow");
    }
    if (sum != want)
        return bo__error_set(BO_EINVAL, "picks: name %" PRId64 " of %s, not %" PRId64
                             "%s%.0d", want, m->sku, sum,
                             m->line ? " on sale line " : "", m->line);
    return 0;
}

static int lot_move(tmove *m)
{
    int rc;
    if (m->qty > 0) {
        if (m->p) {
            if ((rc = sum_check(m, m->qty)))
                return rc;
            return lot_in_named(m, current);
        }
        if (strcmp(m->kind, "return") == 0)
            return lot_in_open(m, SQL_LOT_OPEN_OF_SALE, "the sale returned");
        if (strcmp(m->kind, "transfer_in") == 0)
            return lot_in_open(m, SQL_LOT_OPEN_TRANSIT, "a transfer");
        return bo__error_set(BO_EINVAL, "lot: %s is tracked by lot: a %s names its lot"
                             " (the picked form of the call)", m->sku, m->kind);
    }
    if (m->p) {
        if ((rc = sum_check(m, -m->qty)))
            return rc;
        return lot_out_named(m);
    }
    return lot_out_fefo(m);
}

/* ---- serials ------------------------------------------------------------------ */

static const char SQL_SERIAL_FIND[] =
    "SELECT id, status, location_id FROM inv_serials WHERE item_id = ? AND serial = ?";
static const char SQL_SERIAL_ADD[] =
    "INSERT INTO inv_serials (item_id, serial, status, location_id) VALUES (?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_SERIAL_ADD_PLAIN[] =
    "INSERT INTO inv_serials (item_id, serial, status, location_id) VALUES (?, ?, ?, ?)";
static const char SQL_SERIAL_SET[] =
    "UPDATE inv_serials SET status = ?, location_id = ? WHERE id = ?";
static const char SQL_SERIAL_MOVE_ADD[] =
    "INSERT INTO inv_serial_moves (move_id, serial_id) VALUES (?, ?)";
static const char SQL_SERIAL_OLDEST[] =
    "SELECT id, serial FROM inv_serials WHERE item_id = ? AND location_id = ?"
    " AND status = 'stock' ORDER BY id";
/* The serials a sale moved ($2: its reference) that are still sold. */
static const char SQL_SERIAL_OF_SALE[] =
    "SELECT s.id, s.serial FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    " JOIN inv_serials s ON s.id = sm.serial_id"
    " WHERE m.stock_id = ? AND m.kind = 'sale' AND m.reference = ? AND s.status = 'sold'"
    " ORDER BY sm.move_id, s.id";
/* The serials of this item in transit, newest transfer first. */
static const char SQL_SERIAL_TRANSIT[] =
    "SELECT s.id, s.serial FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    " JOIN inv_serials s ON s.id = sm.serial_id"
    " WHERE s.item_id = ? AND m.kind = 'transfer_out' AND s.status = 'transit'"
    " ORDER BY sm.move_id DESC, s.id";

static const char *out_status(const char *kind)
{
    if (strcmp(kind, "sale") == 0)
        return "sold";
    if (strcmp(kind, "transfer_out") == 0)
        return "transit";
    return "out";
}

static int serial_put(tmove *m, int64_t id, const char *status, int64_t loc)
{
    int rc = bo__store_run(m->b->store, SQL_SERIAL_SET, "tIi", status, loc, id);
    return rc ? rc : bo__store_run(m->b->store, SQL_SERIAL_MOVE_ADD, "ii", m->move, id);
}

/* The units a movement of qty moves: one serial each. */
static int serial_count(const tmove *m, int64_t *n)
{
    int64_t q = m->qty < 0 ? -m->qty : m->qty;
    if (m->np) {
        for (int i = 0; i < m->np; i++)
            if (m->p[i].qty > 1)
                return bo__error_set(BO_EINVAL, "picks: serial %s of %s: a serial is one"
                                     " unit", m->p[i].code, m->sku);
        if (m->np != q)
            return bo__error_set(BO_EINVAL, "picks: name %" PRId64 " serials of %s, not %d",
                                 q, m->sku, m->np);
    }
    *n = q;
    return 0;
}

/* Serials listed by sql back into stock here (a return, an arrival). */
static int serial_in_open(tmove *m, const char *sql, int64_t n, const char *what)
{
    bo__stmt *st;
    int rc = bo__stmt_get(m->b->store, sql, &st);
    if (rc)
        return rc;
    rc = sql == SQL_SERIAL_OF_SALE ? bo__stmt_bind(st, "it", m->stock, m->ref)
                                   : bo__stmt_bind(st, "i", m->item);
    int64_t ids[256];
    int k = 0;
    while (!rc && k < n && k < 256) {
        int s = bo__stmt_step(st);
        if (s == BO_DRIVER_DONE)
            break;
        if (s != BO_DRIVER_ROW) {
            rc = s < 0 ? s : BO_ERROR;
            break;
        }
        ids[k++] = bo__stmt_col_int(st, 0);
    }
    bo__stmt_done(st);
    if (!rc && k < n)
        rc = bo__error_set(BO_ESERIAL, "serial: %s of %s: %" PRId64 " units come back but"
                           " %d serials are open for %s; name them", m->kind, m->sku, n, k,
                           what);
    for (int i = 0; i < k && !rc; i++)
        rc = serial_put(m, ids[i], "stock", m->loc);
    return rc;
}

static int serial_move(tmove *m)
{
    int64_t n;
    int rc = serial_count(m, &n);
    if (rc)
        return rc;
    int in = m->qty > 0;
    if (!m->np) {
        if (in && strcmp(m->kind, "return") == 0)
            return serial_in_open(m, SQL_SERIAL_OF_SALE, n, "the sale returned");
        if (in && strcmp(m->kind, "transfer_in") == 0)
            return serial_in_open(m, SQL_SERIAL_TRANSIT, n, "a transfer");
        if (in)
            return bo__error_set(BO_EINVAL, "serial: %s is tracked by serial number: a %s"
                                 " names its serials (the picked form of the call)", m->sku,
                                 m->kind);
        /* Out with none named: the oldest in stock here. */
        bo__stmt *st;
        if ((rc = bo__stmt_get(m->b->store, SQL_SERIAL_OLDEST, &st)))
            return rc;
        rc = bo__stmt_bind(st, "ii", m->item, m->loc);
        int64_t ids[256];
        int k = 0;
        while (!rc && k < n && k < 256) {
            int s = bo__stmt_step(st);
            if (s == BO_DRIVER_DONE)
                break;
            if (s != BO_DRIVER_ROW) {
                rc = s < 0 ? s : BO_ERROR;
                break;
            }
            ids[k++] = bo__stmt_col_int(st, 0);
        }
        bo__stmt_done(st);
        if (!rc && k < n)
            rc = bo__error_set(BO_ESERIAL, "serial: %s has %d serials in stock here, %"
                               PRId64 " asked", m->sku, k, n);
        for (int i = 0; i < k && !rc; i++)
            rc = serial_put(m, ids[i], out_status(m->kind), 0);
        return rc;
    }
    for (int i = 0; i < m->np && !rc; i++) {
        const char *sn = m->p[i].code;
        int64_t id = 0, loc = 0;
        char status[16] = "";
        int found = 0;
        if ((rc = bo__store_row(m->b->store, SQL_SERIAL_FIND, &found, "it>iti", m->item, sn,
                                &id, status, sizeof status, &loc)))
            break;
        if (in) {
            int again = found && strcmp(m->kind, "receive") != 0 &&
                        (strcmp(status, "out") == 0 ||
                         (strcmp(status, "sold") == 0 && strcmp(m->kind, "return") == 0) ||
                         (strcmp(status, "transit") == 0 &&
                          strcmp(m->kind, "transfer_in") == 0));
            if (found && !again)
                return bo__error_set(BO_ESERIAL, "serial: %s of %s was received already"
                                     " (now %s)%s", sn, m->sku, status,
                                     strcmp(status, "stock") == 0 ? ": it is in stock" : "");
            if (!found) {
                if ((rc = bo__store_insert(m->b->store, SQL_SERIAL_ADD, SQL_SERIAL_ADD_PLAIN,
                                           &id, "itti", m->item, sn, "stock", m->loc)))
                    break;
                if (!id)
                    return bo__error_set(BO_ERROR, "serial: insert returned no id");
                if ((rc = bo__audit_touch(m->b, "item", m->item)))
                    break;
                rc = bo__store_run(m->b->store, SQL_SERIAL_MOVE_ADD, "ii", m->move, id);
            } else {
                rc = serial_put(m, id, "stock", m->loc);
            }
        } else {
            if (!found)
                return bo__error_set(BO_ENOTFOUND, "serial: %s of %s was never received", sn,
                                     m->sku);
            if (strcmp(status, "stock") != 0 || loc != m->loc)
                return bo__error_set(BO_ESERIAL, "serial: %s of %s is not in stock here"
                                     " (%s%s)", sn, m->sku, status,
                                     strcmp(status, "stock") == 0 ? " elsewhere" : "");
            rc = serial_put(m, id, out_status(m->kind), 0);
        }
    }
    return rc;
}

int bo__inv_track_move(bo_book *b, int64_t stock, const char *kind, const char *date,
                       int64_t qty, const char *ref, int64_t move)
{
    if (qty == 0)
        return 0;
    tmove m = { 0 };
    m.b = b;
    m.stock = stock;
    m.move = move;
    m.qty = qty;
    m.kind = kind;
    m.date = date;
    m.ref = ref;
    int64_t mode = 0, scale = 0;
    int found = 0, rc;
    bo__inv_track kt;
    if (bo__inv_kept_track(b, stock, &kt)) {
        found = kt.found;
        mode = kt.mode;
        scale = kt.scale;
        m.item = kt.item;
        m.loc = kt.loc;
        memcpy(m.sku, kt.sku, sizeof m.sku);
    } else {
        if ((rc = bo__store_row(b->store, SQL_TRACK_OF_STOCK, &found, "i>iiiti", stock, &mode,
                                &m.item, &m.loc, m.sku, sizeof m.sku, &scale)))
            return rc;
        kt.found = found;
        kt.mode = (int)mode;
        kt.scale = (int)scale;
        kt.item = m.item;
        kt.loc = m.loc;
        memcpy(kt.sku, m.sku, sizeof kt.sku);
        bo__inv_keep_track(b, stock, &kt); /* behind the generation (settings.c) */
    }
    const bo__picks *ps = current;
    if (ps && strcmp(kind, "sale") == 0 && ref && strncmp(ref, "sale:", 5) == 0) {
        int64_t line = 0;
        if ((rc = bo__store_row(b->store, SQL_SALE_LINE_NOW, NULL, "i>i",
                                (int64_t)strtoll(ref + 5, NULL, 10), &line)))
            return rc;
        m.line = (int)line;
    }
    if (ps) {
        for (int i = 0; i < ps->n; i++) {
            if (ps->p[i].line != m.line)
                continue;
            if (!m.p)
                m.p = &ps->p[i];
            m.np++;
        }
    }
    if (!found) {
        if (m.p)
            return bo__error_set(BO_EINVAL, "picks: the item of this %s is not tracked by"
                                 " lot or serial%s%.0d", kind, m.line ? " (sale line " : "",
                                 m.line);
        return 0;
    }
    m.mode = (int)mode;
    m.scale = (int)scale;
    /* A sale line from a hold of a lot takes that lot. */
    pick held;
    if (!m.p && m.mode == BO_INVENTORY_TRACK_LOT && strcmp(kind, "sale") == 0 && ref &&
        strncmp(ref, "sale:", 5) == 0) {
        int64_t sale = (int64_t)strtoll(ref + 5, NULL, 10);
        memset(&held, 0, sizeof held);
        if ((rc = bo__store_row(b->store, SQL_LINE_HOLD_LOT, &found, "ii>t", sale, sale,
                                held.code, sizeof held.code)))
            return rc;
        if (found) {
            held.line = m.line;
            m.p = &held;
            m.np = 1;
        }
    }
    /* picks of one line are contiguous only when written so: insist */
    for (int i = 0, seen = 0; m.p && ps && i < ps->n; i++) {
        if (ps->p[i].line == m.line)
            seen++;
        else if (seen && seen < m.np)
            return bo__error_set(BO_EINVAL, "picks: sale line %d is named twice", m.line);
    }
    return m.mode == BO_INVENTORY_TRACK_LOT ? lot_move(&m) : serial_move(&m);
}
