/* The valuation engine: stock rows, stock in and out through FIFO layers or
 * the moving average, exact to the minor unit. A layer keeps its remaining
 * quantity and the exact cost of that remainder; taking part of it costs
 * cost x taken / remaining (half-even) and taking the rest costs the rest,
 * so no remainder is ever lost. The average works the same way on the
 * row's value: when the last unit leaves, the remaining value goes with it. */
#include "core/verify.h"
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_STOCK_GET[] =
    "SELECT id, on_hand, reserved, value, reorder_point FROM inv_stock"
    " WHERE item_id = ? AND location_id = ?";
static const char SQL_STOCK_BY_ID[] =
    "SELECT id, on_hand, reserved, value, reorder_point, item_id, location_id"
    " FROM inv_stock WHERE id = ?";
static const char SQL_STOCK_ADD[] =
    "INSERT INTO inv_stock (item_id, location_id) VALUES (?, ?) RETURNING id";
static const char SQL_STOCK_PUT[] =
    "UPDATE inv_stock SET on_hand = ?, reserved = ?, value = ? WHERE id = ?";
static const char SQL_EXPIRED_SUM[] =
    "SELECT COALESCE(SUM(qty), 0) FROM inv_holds"
    " WHERE stock_id = ? AND status = 'active' AND expires <= ?";
static const char SQL_EXPIRE[] =
    "UPDATE inv_holds SET status = 'expired'"
    " WHERE stock_id = ? AND status = 'active' AND expires <= ?";
/* Oldest first by date (a receipt dated before others is consumed before
 * them), in the order made within a day. */
static const char SQL_LAYERS_OPEN[] =
    "SELECT id, remaining, cost, date, qty FROM inv_layers WHERE stock_id = ? AND is_open = 1"
    " AND remaining > 0 ORDER BY date, id LIMIT 16";
/* A layer left with stock keeps its flag (inv_layers_open_by_date is not
 * written: schema 24); the one emptied is closed. */
static const char SQL_LAYER_PUT[] =
    "UPDATE inv_layers SET remaining = ?, cost = ? WHERE id = ?";
static const char SQL_LAYER_CLOSE[] =
    "UPDATE inv_layers SET remaining = ?, cost = ?, is_open = 0 WHERE id = ?";
static const char SQL_LAYER_ADD[] =
    "INSERT INTO inv_layers (stock_id, date, qty, remaining, cost)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_DRAW_ADD[] =
    "INSERT INTO inv_draws (move_id, stock_id, layer_id, head, qty, cost)"
    " VALUES (?, ?, ?, ?, ?, ?)";
/* The newest open layer: the row's open layers through
 * inv_layers_open_by_date, the highest id kept (schema 21 dropped the index
 * by id, which every issue wrote again; a row has few open layers). */
static const char SQL_LAYER_NEWEST[] =
    "SELECT remaining, cost FROM inv_layers WHERE stock_id = ? AND is_open = 1"
    " AND remaining > 0 ORDER BY id DESC LIMIT 1";

int bo__inv_holds_sweep(bo_book *b, bo__inv_stock *st)
{
    char now[64];
    bo__now_iso(now);
    int64_t sum = 0;
    int rc = bo__store_row(b->store, SQL_EXPIRED_SUM, NULL, "it>i", st->id, now, &sum);
    if (rc || sum == 0)
        return rc;
    if ((rc = bo__store_run(b->store, SQL_EXPIRE, "it", st->id, now)))
        return rc;
    st->reserved -= sum;
    return bo__store_run(b->store, SQL_STOCK_PUT, "iiii", st->on_hand, st->reserved,
                         st->value, st->id);
}

int bo__inv_stock_get(bo_book *b, int64_t item, int64_t loc, int create,
                      bo__inv_stock *out)
{
    memset(out, 0, sizeof *out);
    int found = 0;
    int rc = bo__store_row(b->store, SQL_STOCK_GET, &found, "ii>iiii?i", item, loc,
                           &out->id, &out->on_hand, &out->reserved, &out->value,
                           &out->has_point, &out->point);
    if (rc)
        return rc;
    if (!found && create) {
        if ((rc = bo__store_insert(b->store, SQL_STOCK_ADD, NULL, &out->id, "ii", item, loc)))
            return rc;
        if (!out->id)
            return bo__error_set(BO_ERROR, "stock: insert returned no id");
        if ((rc = bo__audit_touch(b, "stock", out->id)))
            return rc;
    }
    if (found && create && out->reserved > 0 && (rc = bo__inv_holds_sweep(b, out)))
        return rc;
    out->avail_before = out->on_hand - out->reserved;
    return 0;
}

int bo__inv_stock_peek(bo_book *b, int64_t item, int64_t loc, bo__inv_stock *out)
{
    int rc = bo__inv_stock_get(b, item, loc, 0, out);
    if (rc || !out->id || out->reserved <= 0)
        return rc;
    char now[64];
    bo__now_iso(now);
    int64_t sum = 0;
    if ((rc = bo__store_row(b->store, SQL_EXPIRED_SUM, NULL, "it>i", out->id, now, &sum)))
        return rc;
    out->reserved -= sum;
    out->avail_before = out->on_hand - out->reserved;
    return 0;
}

int bo__inv_stock_by_id(bo_book *b, int64_t id, int64_t *item, int64_t *loc,
                        bo__inv_stock *out)
{
    memset(out, 0, sizeof *out);
    int found = 0;
    int rc = bo__store_row(b->store, SQL_STOCK_BY_ID, &found, "i>iiii?iii", id, &out->id,
                           &out->on_hand, &out->reserved, &out->value, &out->has_point,
                           &out->point, item, loc);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "stock row %" PRId64 " not found", id);
    if (!rc && out->reserved > 0 && b->depth > 0)
        rc = bo__inv_holds_sweep(b, out);
    out->avail_before = out->on_hand - out->reserved;
    return rc;
}

int bo__inv_check_out(const bo__inv_item *it, const bo__inv_loc *l,
                      const bo__inv_stock *st, int64_t qty, int64_t held,
                      const char *what)
{
    if (it->negative_ok || l->negative_ok)
        return 0;
    int64_t avail = st->on_hand - (st->reserved - held);
    if (qty > avail) {
        char a[32], q[32];
        bo_inventory_qty_format(avail, it->scale, a, sizeof a);
        bo_inventory_qty_format(qty, it->scale, q, sizeof q);
        return bo__error_set(BO_ESTOCK, "%s: item '%s' at '%s': %s available, "
                             "%s wanted", what, it->sku, l->code, a, q);
    }
    return 0;
}

static int put_row(bo_book *b, const bo__inv_stock *st)
{
    return bo__store_run(b->store, SQL_STOCK_PUT, "iiii", st->on_hand, st->reserved,
                         st->value, st->id);
}

static int overflow(const bo__inv_item *it)
{
    return bo__error_set(BO_EOVERFLOW, "item '%s': stock quantity or value "
                         "would overflow", it->sku);
}

int bo__inv_draw_add(bo_book *b, int64_t move, int64_t stock, int64_t layer,
                     int *head, int64_t qty, int64_t cost)
{
    int h = *head;
    *head = 0;
    if (move)
        return bo__store_run(b->store, SQL_DRAW_ADD, "iiiiii", move, stock, layer,
                             (int64_t)h, qty, cost);
    /* Pending until its movement is logged: written once, with its id. */
    bo__inv_draws *p = bo__inv_draws_pending(b);
    if (!p)
        return BO_ENOMEM;
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 16;
        bo__inv_draw *d = bo__realloc(p->d, (size_t)cap * sizeof *d);
        if (!d)
            return BO_ENOMEM;
        p->d = d;
        p->cap = cap;
    }
    p->d[p->n++] = (bo__inv_draw){ stock, layer, qty, cost, h, b->depth };
    return 0;
}

int bo__inv_draws_attach(bo_book *b, int64_t move, int64_t stock, bo__vcap *cap)
{
    bo__inv_draws *p = bo__inv_draws_pending(b);
    if (!p)
        return 0;
    int first = -1, end = p->n, rc = 0;
    for (int i = 0; i < p->n; i++) {
        if (p->d[i].stock != stock)
            continue;
        if (first < 0) {
            first = i;
        } else if (p->d[i].head) {
            end = i;
            break;
        }
    }
    if (first < 0)
        return 0;
    /* The call's draws, in the order made; the others keep theirs. */
    int n = first;
    for (int i = first; i < p->n; i++) {
        const bo__inv_draw *d = &p->d[i];
        if (i < end && d->stock == stock) {
            if (!rc)
                rc = bo__store_run(b->store, SQL_DRAW_ADD, "iiiiii", move, stock, d->layer,
                                   (int64_t)d->head, d->qty, d->cost);
            if (!rc && cap->kind) /* the row's id: a capture is on SQLite only */
                rc = bo__vcap_row(cap, "inv_draws", "iiiiiii", bo__store_insert_id(b->store),
                                  move, stock, d->layer, (int64_t)d->head, d->qty, d->cost);
        } else {
            p->d[n++] = *d;
        }
    }
    p->n = n;
    return rc;
}

/* A layer just updated, all of its row known (read in this transaction,
 * then written): its state captured from it rather than read back at the
 * commit (core/verify.h); a date not read whole is read back. */
static int layer_capture(bo_book *b, int64_t stock, int64_t id, const char *date,
                         int64_t qty, int64_t remaining, int64_t cost)
{
    bo__vcap cap;
    bo__vcap_begin(b, &cap, "layer", id);
    if (!date[0])
        cap.kind = NULL;
    int rc = bo__vcap_row(&cap, "inv_layers", "iitiii", id, stock, date, qty, remaining,
                          cost);
    return rc ? rc : bo__vcap_end(b, &cap);
}

/* Take need units from the open layers, oldest first; *cost what they cost
 * (units beyond the layers cost nothing: negative stock). Each layer drawn
 * from is recorded, pending for the movement logged next (inv_draws). */
static int fifo_take(bo_book *b, int64_t stock, int64_t need, int64_t *cost, int *head)
{
    *cost = 0;
    while (need > 0) {
        struct { int64_t id, rem, cost, qty; char date[16]; } l[16];
        int n = 0;
        int64_t seen = 0; /* what the layers read so far hold */
        bo__stmt *s;
        int rc = bo__stmt_get(b->store, SQL_LAYERS_OPEN, &s);
        if (rc)
            return rc;
        /* Read no further than the layers that cover the need: the step
         * past them (usually the one that finds no more) is not taken. */
        if (!(rc = bo__stmt_bind(s, "i", stock))) {
            while (n < 16 && seen < need && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                l[n].id = bo__stmt_col_int(s, 0);
                l[n].rem = bo__stmt_col_int(s, 1);
                l[n].cost = bo__stmt_col_int(s, 2);
                /* The rest of the row, for its state captured below. */
                const char *d = bo__stmt_col_text(s, 3);
                size_t dl = d ? strlen(d) : sizeof l[n].date;
                if (dl < sizeof l[n].date)
                    memcpy(l[n].date, d, dl + 1);
                else
                    l[n].date[0] = '\0'; /* not a plain date: read back */
                l[n].qty = bo__stmt_col_int(s, 4);
                /* remaining > 0 (the query's); a sum past int64 only
                 * ends the read (the need is below it). */
                if (bo_money_add(seen, l[n].rem, &seen))
                    seen = need;
                n++;
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
        if (rc)
            return rc;
        if (n == 0) /* beyond the layers: a shortage */
            return bo__inv_draw_add(b, 0, stock, 0, head, -need, 0);
        for (int i = 0; i < n && need > 0; i++) {
            int64_t take = need < l[i].rem ? need : l[i].rem, c;
            if (take == l[i].rem)
                c = l[i].cost;
            else if ((rc = bo_money_muldiv(l[i].cost, take, l[i].rem,
                                           BO_ROUND_HALF_EVEN, &c)))
                return rc;
            if ((rc = bo__store_run(b->store, take == l[i].rem ? SQL_LAYER_CLOSE
                                    : SQL_LAYER_PUT, "iii", l[i].rem - take,
                                    l[i].cost - c, l[i].id)) ||
                (rc = layer_capture(b, stock, l[i].id, l[i].date, l[i].qty,
                                    l[i].rem - take, l[i].cost - c)) ||
                (rc = bo__inv_draw_add(b, 0, stock, l[i].id, head, -take, -c)))
                return rc;
            need -= take;
            if (bo_money_add(*cost, c, cost))
                return bo__error_set(BO_EOVERFLOW, "cost of the issue overflows");
        }
    }
    return 0;
}

int bo__inv_out(bo_book *b, const bo__inv_item *it, bo__inv_stock *st,
                int64_t qty, int64_t held, int64_t *cost)
{
    int64_t on_hand;
    int rc;
    if (bo_money_sub(st->on_hand, qty, &on_hand))
        return overflow(it);
    *cost = 0;
    int64_t covered = st->on_hand <= 0 ? 0 : qty < st->on_hand ? qty : st->on_hand;
    int head = 1;
    if (covered > 0) {
        if (it->method == BO_INVENTORY_FIFO) {
            if ((rc = fifo_take(b, st->id, covered, cost, &head)))
                return rc;
        } else if (covered == st->on_hand) {
            *cost = st->value;
        } else if ((rc = bo_money_muldiv(st->value, covered, st->on_hand,
                                         BO_ROUND_HALF_EVEN, cost))) {
            return rc;
        }
    }
    /* A FIFO movement's draws always start with a row; the units no layer
     * covered are layer 0's. */
    if (it->method == BO_INVENTORY_FIFO && (covered < qty || head) &&
        (rc = bo__inv_draw_add(b, 0, st->id, 0, &head, covered - qty, 0)))
        return rc;
    st->on_hand = on_hand;
    st->value -= *cost;
    st->reserved -= held;
    return put_row(b, st);
}

int bo__inv_in(bo_book *b, const bo__inv_item *it, bo__inv_stock *st,
               int64_t qty, int64_t cost, const char *date, int64_t *settled,
               int64_t *layer)
{
    int64_t on_hand, value;
    int rc;
    *settled = 0;
    if (layer)
        *layer = 0;
    if (bo_money_add(st->on_hand, qty, &on_hand))
        return overflow(it);
    int64_t rest = qty;
    if (st->on_hand < 0) {
        /* on_hand may be INT64_MIN: compare without negating it */
        int64_t short_ = st->on_hand + qty > 0 ? -st->on_hand : qty;
        if (short_ == qty)
            *settled = cost;
        else if ((rc = bo_money_muldiv(cost, short_, qty, BO_ROUND_HALF_EVEN, settled)))
            return rc;
        rest = qty - short_;
    }
    int64_t rest_cost = cost - *settled;
    if (bo_money_add(st->value, rest_cost, &value))
        return overflow(it);
    /* The units that settled a shortage and what they cost (to COGS), then
     * the layer: what a backdated movement needs to replay this one. */
    int head = 1;
    if ((rest < qty || (it->method == BO_INVENTORY_FIFO && rest == 0)) &&
        (rc = bo__inv_draw_add(b, 0, st->id, 0, &head, qty - rest, *settled)))
        return rc;
    if (it->method == BO_INVENTORY_FIFO && rest > 0) {
        int64_t id;
        if ((rc = bo__store_insert(b->store, SQL_LAYER_ADD, NULL, &id, "itiii", st->id, date,
                                   rest, rest, rest_cost)) ||
            (rc = bo__audit_touch(b, "layer", id)) ||
            (rc = bo__inv_draw_add(b, 0, st->id, id, &head, rest, rest_cost)))
            return rc;
        if (layer)
            *layer = id;
    }
    st->on_hand = on_hand;
    st->value = value;
    return put_row(b, st);
}

int bo__inv_unit_cost_estimate(bo_book *b, const bo__inv_item *it,
                               const bo__inv_stock *st, int64_t qty,
                               int64_t *cost)
{
    *cost = 0;
    if (st->on_hand <= 0 || st->value <= 0)
        return 0;
    if (it->method == BO_INVENTORY_AVERAGE)
        return bo_money_muldiv(st->value, qty, st->on_hand, BO_ROUND_HALF_EVEN, cost);
    int64_t rem = 0, c = 0;
    int rc = bo__store_row(b->store, SQL_LAYER_NEWEST, NULL, "i>ii", st->id, &rem, &c);
    if (!rc && rem > 0)
        rc = bo_money_muldiv(c, qty, rem, BO_ROUND_HALF_EVEN, cost);
    return rc;
}

int bo__inv_low_check(bo_book *b, const bo__inv_stock *st)
{
    if (!st->has_point)
        return 0;
    int64_t now = st->on_hand - st->reserved;
    if (st->avail_before >= st->point && now < st->point)
        return bo__event_queue(b, "stock.low", st->id);
    return 0;
}
