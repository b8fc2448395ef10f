/* Backdated movements. A receipt or an adjustment dated before movements
 * already logged for its stock row does not become the newest layer: it
 * takes its place in date order and the movements after it are valued
 * again, as if everything had been posted in date order.
 *
 * Only the later movements of that item at that location are read and
 * rewritten. The state of the row on the backdated date is the row today
 * less the later movements (their quantities and values); for FIFO, the
 * layers those movements drew from get back what they gave (inv_draws
 * records every draw) and the layers they made are set aside. Then the
 * backdated movement is applied, the later ones replayed in (date, id)
 * order through the same arithmetic as src/inventory/stock.c, and what
 * changed is written back: layers, draws, the movements' values, the cost
 * of sale lines, the stock row. The differences are posted as one entry,
 * dated the backdated movement's date: the location's inventory account
 * against cost of goods sold (issues, sales, shortages settled by a later
 * receipt) or the adjustments account (later losses).
 *
 * FIFO: later issues redraw their layers in date order. Moving average:
 * the average from that date on is recomputed; each later issue leaves at
 * the recomputed average. A later receipt keeps its cost; a later gain
 * keeps the value it was given (an estimate made when it was posted is not
 * made again); a later arrival of a transfer keeps the value it left its
 * source with. A later transfer out leaves at its replayed cost and carries
 * it: the transfer's value is rewritten and, once it has arrived, the
 * destination row is replayed from its arrival (each destination once,
 * from its earliest changed arrival), in the same entry: the source's
 * inventory account against the destination's, then the destination's
 * movements as any. A later return comes back at its share of its sale line's
 * cost as the replay values that sale (the return's own share arithmetic,
 * src/inventory/returns.c); the return's and the line's returned cost are
 * rewritten with it. A return of a sale dated before the backdated one
 * keeps its cost.
 *
 * Refused, nothing changed: a later movement (or the backdated date) in a
 * closed period, here or at a destination (BO_EPERIOD naming the period and
 * the movement); a later landed cost, spread over receipts as they stood
 * on its date (BO_ESTATE naming the movement); a transfer whose arrival is
 * not told apart from another, or that reaches a row already replayed
 * (BO_ESTATE naming the transfer); a later FIFO movement logged
 * before the draws were kept (schema 15; BO_ESTATE); a later issue that the
 * replay would leave short where negative stock is not allowed
 * (BO_ESTOCK naming the movement). */
#include "inventory/inventory.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_LATER_ANY[] =
    "SELECT id FROM inv_moves WHERE stock_id = ? AND date > ? ORDER BY date, id LIMIT 1";
static const char SQL_LATER[] =
    "SELECT id, kind, date, qty, value, reference FROM inv_moves"
    " WHERE stock_id = ? AND (date > ? OR (date = ? AND id >= ?)) ORDER BY date, id";
/* A later transfer out: the transfers of the item from the location on its
 * date and the row's transfer-out movements of that date, matched in
 * order; then the arrival at the destination. */
static const char SQL_TOUT_MOVES[] =
    "SELECT id FROM inv_moves WHERE stock_id = ? AND kind = 'transfer_out' AND date = ?"
    " ORDER BY id";
static const char SQL_TRANSFERS_ON[] =
    "SELECT id, to_id, arrived FROM inv_transfers WHERE item_id = ? AND from_id = ?"
    " AND date = ? ORDER BY id";
static const char SQL_TRANSFER_VALUE[] = "UPDATE inv_transfers SET value = ? WHERE id = ?";
static const char SQL_ARRIVALS[] =
    "SELECT id FROM inv_moves WHERE stock_id = ? AND kind = 'transfer_in' AND date = ?"
    " AND qty = ? ORDER BY id";
static const char SQL_DRAWS_OF[] =
    "SELECT layer_id, qty, cost FROM inv_draws WHERE move_id = ? ORDER BY id";
static const char SQL_DRAWS_DEL[] = "DELETE FROM inv_draws WHERE move_id = ?";
/* The open layers dated up to the date, by (date, id), a page after key. */
static const char SQL_LAYERS_AT[] =
    "SELECT id, date, qty, remaining, cost FROM inv_layers"
    " WHERE stock_id = ? AND is_open = 1 AND remaining > 0 AND date <= ?"
    " AND (date > ? OR (date = ? AND id > ?)) ORDER BY date, id LIMIT 64";
static const char SQL_LAYER_GET[] =
    "SELECT date, qty, remaining, cost FROM inv_layers WHERE id = ?";
static const char SQL_LAYER_SET[] =
    "UPDATE inv_layers SET qty = ?, remaining = ?, cost = ?, is_open = ? WHERE id = ?";
/* is_open: 0 for a layer written empty (schema 24: kept out of the open
 * layers' index). */
static const char SQL_LAYER_ADD[] =
    "INSERT INTO inv_layers (stock_id, date, qty, remaining, cost, is_open)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_MOVE_VALUE[] = "UPDATE inv_moves SET value = ? WHERE id = ?";
static const char SQL_SALE_MOVES[] =
    "SELECT id FROM inv_moves WHERE reference = ? AND stock_id = ? ORDER BY id";
static const char SQL_SALE_LINES[] =
    "SELECT line FROM inv_sale_lines WHERE sale_id = ? AND stock_id = ? ORDER BY line";
static const char SQL_SALE_COST[] =
    "UPDATE inv_sale_lines SET cost = ? WHERE sale_id = ? AND line = ?";
/* A later return: its sale line, how much of the line earlier returns
 * took, and the line's movement (the k-th sale movement of the row is its
 * k-th line there). */
static const char SQL_RETURN_OF_MOVE[] =
    "SELECT r.sale_id, r.line, r.qty, r.cost, sl.qty,"
    " (SELECT COALESCE(SUM(r2.qty), 0) FROM inv_returns r2 WHERE r2.sale_id = r.sale_id"
    "  AND r2.line = r.line AND r2.id < r.id)"
    " FROM inv_returns r JOIN inv_sale_lines sl ON sl.sale_id = r.sale_id AND sl.line = r.line"
    " WHERE r.move_id = ?";
static const char SQL_SALE_ONLY_MOVES[] =
    "SELECT id FROM inv_moves WHERE reference = ? AND stock_id = ? AND kind = 'sale'"
    " ORDER BY id";
static const char SQL_RETURN_COST[] = "UPDATE inv_returns SET cost = ? WHERE move_id = ?";
static const char SQL_LINE_RET_COST[] =
    "UPDATE inv_sale_lines SET ret_cost = ret_cost + ? WHERE sale_id = ? AND line = ?";
static const char SQL_STOCK_PUT[] =
    "UPDATE inv_stock SET on_hand = ?, reserved = ?, value = ? WHERE id = ?";

typedef struct lay {
    int64_t id; /* 0: made by the replay, inserted when written */
    char date[11];
    int64_t qty, rem, cost;
    int dirty;
} lay;

typedef struct drw {
    int lay; /* index into the layers, -1: no layer (layer 0) */
    int64_t qty, cost;
} drw;

typedef struct lmv {
    int64_t id, qty, value, gross, nvalue;
    char kind[16], date[11], ref[40];
    int64_t old_layer; /* the layer it made (an inflow), 0 none */
    int nlay;          /* index of the layer the replay gave it, -1 none */
    int d0, dn;        /* its new draws */
    int out;           /* an outflow */
    int ret;           /* a return */
    int64_t sale, line, cost0; /* a return's sale line and its cost as recorded */
    int arr;                   /* an arrival given a new value, by dgross */
    int64_t dgross;
} lmv;

typedef struct mref {
    int64_t id;
    int idx;
} mref;

typedef struct rv {
    bo_book *b;
    const bo__inv_item *it;
    const bo__inv_loc *l;
    int64_t stock;
    int fifo, neg_ok;
    lmv *m;
    int n, cap;
    lay *y;
    int ny, capy, front;
    drw *d;
    int nd, capd;
    int64_t oh, val; /* the simulated row */
    mref *byid;      /* the later movements by id, built when a return needs it */
    int64_t *made;   /* the layers the later movements made (ids, sorted) */
    int nmade;
    int64_t from;    /* a destination's replay: its arrival, the first movement */
} rv;

static int grow(void **p, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return 0;
    int c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *np = bo__realloc(*p, (size_t)c * size);
    if (!np)
        return BO_ENOMEM;
    *p = np;
    *cap = c;
    return 0;
}

static int draw_push(rv *r, int layer, int64_t qty, int64_t cost)
{
    if (grow((void **)&r->d, &r->capd, r->nd + 1, sizeof *r->d))
        return BO_ENOMEM;
    r->d[r->nd++] = (drw){ layer, qty, cost };
    return 0;
}

static int lay_push(rv *r, const lay *l)
{
    if (grow((void **)&r->y, &r->capy, r->ny + 1, sizeof *r->y))
        return BO_ENOMEM;
    r->y[r->ny++] = *l;
    return 0;
}

static int overflow(const rv *r)
{
    return bo__error_set(BO_EOVERFLOW, "item '%s': stock quantity or value would "
                         "overflow", r->it->sku);
}

/* Out of the simulated row, as bo__inv_out: *cost >= 0. */
static int sim_out(rv *r, int64_t qty, int64_t *cost)
{
    int rc;
    *cost = 0;
    int64_t covered = r->oh <= 0 ? 0 : qty < r->oh ? qty : r->oh;
    if (covered > 0) {
        if (r->fifo) {
            int64_t need = covered;
            while (need > 0 && r->front < r->ny) {
                lay *l = &r->y[r->front];
                if (l->rem == 0) {
                    r->front++;
                    continue;
                }
                int64_t take = need < l->rem ? need : l->rem, c;
                if (take == l->rem)
                    c = l->cost;
                else if ((rc = bo_money_muldiv(l->cost, take, l->rem, BO_ROUND_HALF_EVEN, &c)))
                    return rc;
                l->rem -= take;
                l->cost -= c;
                l->dirty = 1;
                if ((rc = draw_push(r, r->front, -take, -c)))
                    return rc;
                need -= take;
                if (bo_money_add(*cost, c, cost))
                    return overflow(r);
            }
            if (need > 0 && (rc = draw_push(r, -1, -need, 0)))
                return rc;
        } else if (covered == r->oh) {
            *cost = r->val;
        } else if ((rc = bo_money_muldiv(r->val, covered, r->oh, BO_ROUND_HALF_EVEN, cost))) {
            return rc;
        }
    }
    if (r->fifo && covered < qty && (rc = draw_push(r, -1, covered - qty, 0)))
        return rc;
    if (bo_money_sub(r->oh, qty, &r->oh))
        return overflow(r);
    r->val -= *cost;
    return 0;
}

/* Into the simulated row, as bo__inv_in; *layer the index of the layer
 * made (-1 none), reusing layer id reuse when it is not 0. */
static int sim_in(rv *r, int64_t qty, int64_t cost, const char *date, int64_t reuse,
                  int64_t *settled, int *layer)
{
    int rc;
    *settled = 0;
    *layer = -1;
    int64_t rest = qty;
    if (r->oh < 0) {
        int64_t short_ = r->oh + qty > 0 ? -r->oh : qty;
        if (short_ == qty)
            *settled = cost;
        else if ((rc = bo_money_muldiv(cost, short_, qty, BO_ROUND_HALF_EVEN, settled)))
            return rc;
        rest = qty - short_;
    }
    int64_t rest_cost = cost - *settled;
    if ((rest < qty || (r->fifo && rest == 0)) &&
        (rc = draw_push(r, -1, qty - rest, *settled)))
        return rc;
    if (r->fifo && rest > 0) {
        lay l = { reuse, "", rest, rest, rest_cost, 1 };
        snprintf(l.date, sizeof l.date, "%s", date);
        if ((rc = lay_push(r, &l)) || (rc = draw_push(r, r->ny - 1, rest, rest_cost)))
            return rc;
        *layer = r->ny - 1;
    }
    if (bo_money_add(r->oh, qty, &r->oh) || bo_money_add(r->val, rest_cost, &r->val))
        return overflow(r);
    return 0;
}

/* ---- reading the later movements --------------------------------------------- */

static int load_later(rv *r, const char *date)
{
    bo__stmt *s;
    int rc = bo__stmt_get(r->b->store, SQL_LATER, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "itti", r->stock, date, date,
                             r->from ? r->from : INT64_MAX))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            if (grow((void **)&r->m, &r->cap, r->n + 1, sizeof *r->m)) {
                rc = BO_ENOMEM;
                break;
            }
            lmv *m = &r->m[r->n++];
            memset(m, 0, sizeof *m);
            m->id = bo__stmt_col_int(s, 0);
            const char *k = bo__stmt_col_text(s, 1), *d = bo__stmt_col_text(s, 2),
                       *ref = bo__stmt_col_text(s, 5);
            snprintf(m->kind, sizeof m->kind, "%s", k ? k : "");
            snprintf(m->date, sizeof m->date, "%s", d ? d : "");
            snprintf(m->ref, sizeof m->ref, "%s", ref ? ref : "");
            m->qty = bo__stmt_col_int(s, 3);
            m->value = bo__stmt_col_int(s, 4);
            m->gross = m->value;
            m->nlay = -1;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    return rc;
}

/* What each later movement may be, and the periods it lies in. */
static int check_later(rv *r, const char *date, const char *what)
{
    const char *closed = NULL;
    int rc = bo__ledger_period_closed(r->b, date, &closed);
    if (rc)
        return rc;
    if (closed && !r->from)
        return bo__error_set(BO_EPERIOD, "date: %s dated %s lies in closed period '%s'",
                             what, date, closed);
    for (int i = 0; i < r->n; i++) {
        lmv *m = &r->m[i];
        if ((rc = bo__ledger_period_closed(r->b, m->date, &closed)))
            return rc;
        if (closed)
            return bo__error_set(BO_EPERIOD, "date: %s dated %s would revalue movement %"
                                 PRId64 " of %s in closed period '%s'", what, date, m->id,
                                 m->date, closed);
        int in = !strcmp(m->kind, "receive") || !strcmp(m->kind, "transfer_in") ||
                 !strcmp(m->kind, "return") ||
                 ((!strcmp(m->kind, "adjust") || !strcmp(m->kind, "count")) && m->qty > 0);
        int out = !strcmp(m->kind, "issue") || !strcmp(m->kind, "sale") ||
                  !strcmp(m->kind, "transfer_out") ||
                  ((!strcmp(m->kind, "adjust") || !strcmp(m->kind, "count")) && m->qty < 0);
        if (!in && !out)
            return bo__error_set(BO_ESTATE, "date: %s dated %s would revalue movement %"
                                 PRId64 " (%s of %s), whose value reaches other records;"
                                 " post it dated %s or later", what, date, m->id, m->kind,
                                 m->date, r->m[r->n - 1].date);
        m->out = out;
        m->ret = !strcmp(m->kind, "return");
    }
    return 0;
}

/* The share of figure for done of qty units, as a return takes it. */
static int ret_share(int64_t figure, int64_t done, int64_t qty, int64_t *out)
{
    if (done == qty) {
        *out = figure;
        return 0;
    }
    return bo_money_muldiv(figure, done, qty, BO_ROUND_HALF_EVEN, out);
}

/* The later movements by id (r->byid, built once): the index in r->m of
 * movement id, -1 when it is not a later one. */
static int cmp_byid(const void *a, const void *b)
{
    int64_t x = ((const mref *)a)->id, y = ((const mref *)b)->id;
    return x < y ? -1 : x > y;
}

static int later_index(rv *r, int64_t id, int *k)
{
    *k = -1;
    if (!r->byid) {
        r->byid = bo__malloc((size_t)(r->n ? r->n : 1) * sizeof *r->byid);
        if (!r->byid)
            return BO_ENOMEM;
        for (int j = 0; j < r->n; j++)
            r->byid[j] = (mref){ r->m[j].id, j };
        qsort(r->byid, (size_t)r->n, sizeof *r->byid, cmp_byid);
    }
    mref key = { id, 0 };
    const mref *f = bsearch(&key, r->byid, (size_t)r->n, sizeof *r->byid, cmp_byid);
    if (f)
        *k = f->idx;
    return 0;
}

/* The cost later return i comes back at (*cost): its share of its sale
 * line's cost, the line's as the replay valued it when its sale is among
 * the later movements (before i), else what it was recorded at. */
static int return_cost(rv *r, int i, int64_t *cost)
{
    lmv *m = &r->m[i];
    int64_t q = 0, sold = 0, before = 0;
    int found = 0;
    int rc = bo__store_row(r->b->store, SQL_RETURN_OF_MOVE, &found, "i>iiiiii", m->id,
                           &m->sale, &m->line, &q, &m->cost0, &sold, &before);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ERROR, "movement %" PRId64 ": its return is not found",
                             m->id);
    *cost = m->cost0;
    /* the line's movement: the k-th sale movement here is the k-th line */
    int64_t ids[64], lines[64], mv = 0;
    int nm = 0, nl = 0;
    bo__stmt *s;
    if ((rc = bo__stmt_get(r->b->store, SQL_SALE_ONLY_MOVES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ti", m->ref, r->stock))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nm < 64)
            ids[nm++] = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__stmt_get(r->b->store, SQL_SALE_LINES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", m->sale, r->stock))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nl < 64)
            lines[nl++] = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    for (int k = 0; k < nm && k < nl; k++)
        if (lines[k] == m->line)
            mv = ids[k];
    int k = -1;
    if (mv && (rc = later_index(r, mv, &k)))
        return rc;
    if (k >= 0 && k < i) {
        int64_t line_cost = -r->m[k].nvalue, a, b;
        if ((rc = ret_share(line_cost, before + q, sold, &a)) ||
            (rc = ret_share(line_cost, before, sold, &b)))
            return rc;
        *cost = a - b;
    }
    return 0;
}

/* The draws of each later movement: the layers it made, what it settled;
 * the layers drawn from before the date get back what they gave. */
typedef struct undo { int64_t layer, qty, cost; } undo;

static int cmp_undo(const void *a, const void *b)
{
    int64_t x = ((const undo *)a)->layer, y = ((const undo *)b)->layer;
    return x < y ? -1 : x > y;
}

static int cmp_lay_id(const void *a, const void *b)
{
    int64_t x = ((const lay *)a)->id, y = ((const lay *)b)->id;
    return x < y ? -1 : x > y;
}

static int cmp_lay_date(const void *a, const void *b)
{
    const lay *x = a, *y = b;
    int c = strcmp(x->date, y->date);
    return c ? c : x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int read_draws(rv *r, const char *what, const char *date, undo **u, int *nu)
{
    int capu = 0, nmade = 0, capm = 0, rc = 0;
    int64_t *made = NULL; /* layers the later movements made (ids) */
    *u = NULL;
    *nu = 0;
    for (int i = 0; i < r->n && !rc; i++) {
        lmv *m = &r->m[i];
        bo__stmt *s;
        if ((rc = bo__stmt_get(r->b->store, SQL_DRAWS_OF, &s)))
            break;
        int rows = 0;
        if (!(rc = bo__stmt_bind(s, "i", m->id))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                int64_t layer = bo__stmt_col_int(s, 0), q = bo__stmt_col_int(s, 1),
                        c = bo__stmt_col_int(s, 2);
                rows++;
                if (layer == 0) {
                    if (q > 0)
                        m->gross += c; /* it settled a shortage at c */
                } else if (q > 0) {
                    m->old_layer = layer;
                    if (grow((void **)&made, &capm, nmade + 1, sizeof *made)) {
                        rc = BO_ENOMEM;
                        break;
                    }
                    made[nmade++] = layer;
                } else {
                    if (grow((void **)u, &capu, *nu + 1, sizeof **u)) {
                        rc = BO_ENOMEM;
                        break;
                    }
                    (*u)[(*nu)++] = (undo){ layer, -q, -c };
                }
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
        if (!rc && r->fifo && rows == 0)
            rc = bo__error_set(BO_ESTATE, "date: %s dated %s would revalue movement %"
                               PRId64 " of %s, logged before its layers were kept;"
                               " post it dated %s or later", what, date, m->id, m->date,
                               r->m[r->n - 1].date);
    }
    /* Draws from layers the later movements made are redone by the replay. */
    if (!rc && nmade) {
        qsort(made, (size_t)nmade, sizeof *made, cmp_i64);
        r->made = made;
        r->nmade = nmade;
        int k = 0;
        for (int i = 0; i < *nu; i++)
            if (!bsearch(&(*u)[i].layer, made, (size_t)nmade, sizeof *made, cmp_i64))
                (*u)[k++] = (*u)[i];
        *nu = k;
    }
    if (made != r->made)
        bo__free(made);
    return rc;
}

/* The layers on the date: the open ones dated then or before, plus what
 * the later movements drew from layers of that time. Those draws took the
 * oldest of them (by date), so the layers the replay can reach are these
 * and the open ones after them, as far as need units (what the replayed
 * issues take): only so many are read; *all when every one was. */
static int layers_at(rv *r, const char *date, undo *u, int nu, int64_t need, int *all)
{
    int64_t have = 0;
    for (int i = 0; i < nu; i++)
        have += u[i].qty;
    char kdate[11] = "";
    int64_t kid = 0;
    int rc = 0, page = 64;
    *all = 0;
    while (!rc && have < need && page == 64) {
        bo__stmt *s;
        if ((rc = bo__stmt_get(r->b->store, SQL_LAYERS_AT, &s)))
            return rc;
        page = 0;
        if (!(rc = bo__stmt_bind(s, "ittti", r->stock, date, kdate, kdate, kid))) {
            while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
                lay l = { bo__stmt_col_int(s, 0), "", bo__stmt_col_int(s, 2),
                          bo__stmt_col_int(s, 3), bo__stmt_col_int(s, 4), 0 };
                const char *d = bo__stmt_col_text(s, 1);
                snprintf(l.date, sizeof l.date, "%s", d ? d : "");
                memcpy(kdate, l.date, sizeof kdate);
                kid = l.id;
                page++;
                /* a layer a later movement of the same day made */
                if (r->nmade && bsearch(&l.id, r->made, (size_t)r->nmade, sizeof *r->made,
                                        cmp_i64))
                    continue;
                if (lay_push(r, &l)) {
                    rc = BO_ENOMEM;
                    break;
                }
                have += l.rem;
            }
            rc = rc < 0 ? rc : 0;
        }
        bo__stmt_done(s);
    }
    *all = page < 64;
    if (rc || nu == 0)
        return rc;
    qsort(u, (size_t)nu, sizeof *u, cmp_undo);
    if (r->ny > 1)
        qsort(r->y, (size_t)r->ny, sizeof *r->y, cmp_lay_id);
    int open = r->ny;
    for (int i = 0; i < nu && !rc; i++) {
        lay key = { u[i].layer, "", 0, 0, 0, 0 };
        lay *l = open ? bsearch(&key, r->y, (size_t)open, sizeof *r->y, cmp_lay_id) : NULL;
        if (!l && r->ny > open && r->y[r->ny - 1].id == u[i].layer)
            l = &r->y[r->ny - 1];
        if (!l) {
            /* consumed since: read it */
            int found = 0;
            lay n = { u[i].layer, "", 0, 0, 0, 0 };
            if ((rc = bo__store_row(r->b->store, SQL_LAYER_GET, &found, "i>tiii", n.id,
                                    n.date, sizeof n.date, &n.qty, &n.rem, &n.cost)))
                break;
            if (!found) {
                rc = bo__error_set(BO_ERROR, "layer %" PRId64 " not found", n.id);
                break;
            }
            if ((rc = lay_push(r, &n)))
                break;
            l = &r->y[r->ny - 1];
        }
        if (bo_money_add(l->rem, u[i].qty, &l->rem) || bo_money_add(l->cost, u[i].cost, &l->cost))
            rc = overflow(r);
        l->dirty = 1;
    }
    if (!rc && r->ny > 1)
        qsort(r->y, (size_t)r->ny, sizeof *r->y, cmp_lay_date);
    return rc;
}

/* ---- writing back ------------------------------------------------------------- */

static int write_layers(rv *r)
{
    int rc = 0;
    for (int i = 0; i < r->ny && !rc; i++) {
        lay *l = &r->y[i];
        if (!l->dirty)
            continue;
        if (l->id == 0) {
            if (!(rc = bo__store_insert(r->b->store, SQL_LAYER_ADD, NULL, &l->id, "itiiii",
                                        r->stock, l->date, l->qty, l->rem, l->cost,
                                        (int64_t)(l->rem > 0))) &&
                !l->id)
                rc = bo__error_set(BO_ERROR, "layer: insert returned no id");
        } else {
            rc = bo__store_run(r->b->store, SQL_LAYER_SET, "iiiii", l->qty, l->rem, l->cost,
                               (int64_t)(l->rem > 0), l->id);
        }
        if (!rc)
            rc = bo__audit_touch(r->b, "layer", l->id);
    }
    return rc;
}

static int write_draws(rv *r, int64_t move, int d0, int dn)
{
    int rc = 0, head = 1;
    for (int k = d0; k < dn && !rc; k++) {
        const drw *d = &r->d[k];
        rc = bo__inv_draw_add(r->b, move, r->stock, d->lay < 0 ? 0 : r->y[d->lay].id, &head,
                              d->qty, d->cost);
    }
    return rc;
}

/* The line of sale "sale:N" a movement logged: the k-th line of that row is
 * the k-th movement of the sale at that row. */
static int sale_line_cost(rv *r, const lmv *m)
{
    int64_t sale = 0;
    if (sscanf(m->ref, "sale:%" SCNd64, &sale) != 1)
        return bo__error_set(BO_ERROR, "movement %" PRId64 ": no sale in its reference",
                             m->id);
    int64_t ids[64], lines[64];
    int nm = 0, nl = 0, rc;
    bo__stmt *s;
    if ((rc = bo__stmt_get(r->b->store, SQL_SALE_MOVES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ti", m->ref, r->stock))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nm < 64)
            ids[nm++] = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__stmt_get(r->b->store, SQL_SALE_LINES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", sale, r->stock))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nl < 64)
            lines[nl++] = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    for (int k = 0; k < nm && k < nl; k++)
        if (ids[k] == m->id) {
            if ((rc = bo__store_run(r->b->store, SQL_SALE_COST, "iii", -m->nvalue, sale,
                                    lines[k])))
                return rc;
            return bo__audit_touch(r->b, "sale", sale);
        }
    return bo__error_set(BO_ERROR, "movement %" PRId64 ": its sale line is not found", m->id);
}

/* ---- the backdated movement ---------------------------------------------------- */

static void rv_free(rv *r)
{
    bo__free(r->m);
    bo__free(r->y);
    bo__free(r->d);
    bo__free(r->byid);
    bo__free(r->made);
}

/* An arrival a transfer out's new value reaches: its row, the movement,
 * the value it now brings. */
typedef struct arrival {
    int64_t stock, loc, move, gross, transfer;
    char date[11];
} arrival;

/* One revaluation: the backdated movement, the stock rows its difference
 * reached (through later transfers out), the arrivals still to replay,
 * the entry they share. */
typedef struct chain {
    bo__inv_post e;
    const char *what, *date; /* the backdated movement, for messages */
    int64_t rows[16];        /* the stock rows revalued so far */
    int nrows;
    arrival *a;
    int na, capa;
} chain;

/* Later transfer out m of row r left with a new value: the transfer takes
 * it, and when it has arrived its arrival at the destination is valued
 * again with what followed it there (the same entry). The transfer is the
 * k-th of the item from the location on its date, as m is the k-th
 * transfer-out movement of the row on that date. */
static int transfer_on(rv *r, chain *ch, const lmv *m, int *arrived_)
{
    int64_t mv[64], tr[64], to[64];
    char arrived[64][11];
    int nm = 0, nt = 0, rc;
    bo__stmt *s;
    *arrived_ = 0;
    if ((rc = bo__stmt_get(r->b->store, SQL_TOUT_MOVES, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "it", r->stock, m->date))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nm < 64)
            mv[nm++] = bo__stmt_col_int(s, 0);
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc || (rc = bo__stmt_get(r->b->store, SQL_TRANSFERS_ON, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iit", r->it->id, r->l->id, m->date))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && nt < 64) {
            tr[nt] = bo__stmt_col_int(s, 0);
            to[nt] = bo__stmt_col_int(s, 1);
            const char *a = bo__stmt_col_text(s, 2);
            snprintf(arrived[nt], sizeof arrived[nt], "%s", a ? a : "");
            nt++;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    int k = 0;
    while (k < nm && k < nt && mv[k] != m->id)
        k++;
    if (k == nm || k == nt)
        return bo__error_set(BO_ERROR, "movement %" PRId64 ": its transfer is not found",
                             m->id);
    if ((rc = bo__store_run(r->b->store, SQL_TRANSFER_VALUE, "ii", -m->nvalue, tr[k])) ||
        (rc = bo__audit_touch(r->b, "transfer", tr[k])) || !arrived[k][0])
        return rc; /* in transit: its value leaves the source when it arrives */
    *arrived_ = 1;
    bo__inv_stock dst;
    if ((rc = bo__inv_stock_get(r->b, r->it->id, to[k], 0, &dst)))
        return rc;
    /* its arrival: the movement made with it, else the one of its day */
    int64_t arr = 0, c[2] = { 0, 0 };
    int nc = 0;
    if ((rc = bo__stmt_get(r->b->store, SQL_ARRIVALS, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "iti", dst.id, arrived[k], -m->qty))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t id = bo__stmt_col_int(s, 0);
            if (id == m->id + 1)
                arr = id;
            if (nc < 2)
                c[nc] = id;
            nc++;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (!arr && nc == 1)
        arr = c[0];
    if (!dst.id || !arr)
        return bo__error_set(BO_ESTATE, "date: %s dated %s would revalue transfer %" PRId64
                             ", whose arrival on %s is not told apart from others; post it"
                             " dated %s or later", ch->what, ch->date, tr[k], arrived[k],
                             m->date);
    if (grow((void **)&ch->a, &ch->capa, ch->na + 1, sizeof *ch->a))
        return BO_ENOMEM;
    arrival *a = &ch->a[ch->na++];
    *a = (arrival){ dst.id, to[k], arr, -m->nvalue, tr[k], "" };
    memcpy(a->date, arrived[k], sizeof a->date);
    return 0;
}

/* Replay the movements of row st from date on: after a backdated movement
 * of qty at cost (from 0), or from arrival from (a movement of the date),
 * the arrivals ar[0..nar) taking their new values. Adds its differences to
 * ch->e and writes the row. */
static int replay(bo_book *b, chain *ch, const bo__inv_item *it, const bo__inv_loc *l,
                  bo__inv_stock *st, const char *date, int64_t from, const arrival *ar,
                  int nar, int64_t qty, int64_t cost, int64_t *value, int64_t *settled,
                  int64_t *layer)
{
    const char *what = ch->what;
    rv r = { 0 };
    r.b = b;
    r.it = it;
    r.l = l;
    r.stock = st->id;
    r.from = from;
    r.fifo = it->method == BO_INVENTORY_FIFO;
    r.neg_ok = it->negative_ok || l->negative_ok;
    undo *u = NULL;
    int nu = 0, rc;
    char inv[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1], adj[BO_CODE_MAX + 1] = "";
    int64_t need = qty < 0 ? -qty : 0;
    int all = 0;
    if ((rc = load_later(&r, date)) || (rc = check_later(&r, ch->date, what)))
        goto out;
    for (int i = 0; i < r.n; i++)
        if (r.m[i].out && bo_money_sub(need, r.m[i].qty, &need)) {
            rc = overflow(&r);
            goto out;
        }
    if ((rc = read_draws(&r, what, ch->date, &u, &nu)) ||
        (r.fifo && (rc = layers_at(&r, date, u, nu, need, &all))) ||
        (rc = bo__inv_loc_account(b, l, inv)) ||
        (rc = bo__inv_account(b, "account.cogs", cogs)))
        goto out;
    for (int j = 0; j < nar && !rc; j++) {
        int k = -1;
        if ((rc = later_index(&r, ar[j].move, &k)))
            goto out;
        if (k < 0) {
            rc = bo__error_set(BO_ERROR, "movement %" PRId64 ": not found", ar[j].move);
            goto out;
        }
        r.m[k].arr = 1;
        r.m[k].dgross = ar[j].gross - r.m[k].gross;
        r.m[k].gross = ar[j].gross;
    }
    /* The row on the date. */
    r.oh = st->on_hand;
    r.val = st->value;
    for (int i = 0; i < r.n; i++)
        if (bo_money_sub(r.oh, r.m[i].qty, &r.oh) || bo_money_sub(r.val, r.m[i].value, &r.val)) {
            rc = overflow(&r);
            goto out;
        }
    if (r.fifo && all) {
        int64_t q = 0, c = 0;
        for (int i = 0; i < r.ny; i++) {
            q += r.y[i].rem;
            c += r.y[i].cost;
        }
        if (q != (r.oh > 0 ? r.oh : 0) || c != r.val) {
            rc = bo__error_set(BO_ERROR, "stock %" PRId64 ": its layers on %s do not match "
                               "its movements", r.stock, date);
            goto out;
        }
    }
    /* The backdated movement, its draws first. */
    int mlay = -1;
    if (qty > 0) {
        if ((rc = sim_in(&r, qty, cost, date, 0, settled, &mlay)))
            goto out;
        *value = cost - *settled;
    } else if (qty < 0) {
        int64_t c;
        if (!r.neg_ok && -qty > r.oh) {
            char a[32], w[32];
            bo_inventory_qty_format(r.oh, it->scale, a, sizeof a);
            bo_inventory_qty_format(-qty, it->scale, w, sizeof w);
            rc = bo__error_set(BO_ESTOCK, "delta: item '%s' at '%s' on %s: %s on hand, %s "
                               "wanted", it->sku, l->code, date, a, w);
            goto out;
        }
        if ((rc = sim_out(&r, -qty, &c)))
            goto out;
        *value = -c;
    }
    int mdraws = r.nd;
    /* The later movements, replayed. */
    for (int i = 0; i < r.n; i++) {
        lmv *m = &r.m[i];
        m->d0 = r.nd;
        if (m->out) {
            int64_t c;
            if (!r.neg_ok && -m->qty > r.oh) {
                char a[32], w[32];
                bo_inventory_qty_format(r.oh, it->scale, a, sizeof a);
                bo_inventory_qty_format(-m->qty, it->scale, w, sizeof w);
                rc = bo__error_set(BO_ESTOCK, "date: %s dated %s would leave movement %"
                                   PRId64 " of %s short: item '%s' at '%s': %s on hand, "
                                   "%s wanted", what, ch->date, m->id, m->date, it->sku,
                                   l->code, a, w);
                goto out;
            }
            if ((rc = sim_out(&r, -m->qty, &c)))
                goto out;
            m->nvalue = -c;
        } else {
            int64_t s;
            if (m->ret && (rc = return_cost(&r, i, &m->gross)))
                goto out;
            if ((rc = sim_in(&r, m->qty, m->gross, m->date, m->old_layer, &s, &m->nlay)))
                goto out;
            m->nvalue = m->gross - s;
        }
        m->dn = r.nd;
    }
    /* Layers a later movement made and no longer makes. */
    for (int i = 0; i < r.n; i++) {
        lmv *m = &r.m[i];
        if (m->old_layer && m->nlay < 0) {
            lay z = { m->old_layer, "", 0, 0, 0, 1 };
            snprintf(z.date, sizeof z.date, "%s", m->date);
            if ((rc = lay_push(&r, &z)))
                goto out;
        }
    }
    /* Write: layers, then draws (the backdated movement's pending for its
     * log), then the movements whose value changed and their sale lines. */
    if ((rc = write_layers(&r)) || (rc = write_draws(&r, 0, 0, mdraws)))
        goto out;
    if (layer && mlay >= 0)
        *layer = r.y[mlay].id;
    for (int i = 0; i < r.n && !rc; i++) {
        lmv *m = &r.m[i];
        if (r.fifo && ((rc = bo__store_run(b->store, SQL_DRAWS_DEL, "i", m->id)) ||
                       (rc = write_draws(&r, m->id, m->d0, m->dn)) ||
                       (rc = bo__audit_touch(b, "move", m->id))))
            break;
        int64_t diff = m->nvalue - m->value;
        if (m->ret && m->gross != m->cost0 &&
            ((rc = bo__store_run(b->store, SQL_RETURN_COST, "ii", m->gross, m->id)) ||
             (rc = bo__store_run(b->store, SQL_LINE_RET_COST, "iii", m->gross - m->cost0,
                                 m->sale, m->line)) ||
             (rc = bo__audit_touch(b, "sale", m->sale))))
            break;
        if (!r.fifo && !m->out && (diff || (m->arr && m->dgross))) {
            /* its settled part changed: rewrite its layer 0 row */
            if ((rc = bo__store_run(b->store, SQL_DRAWS_DEL, "i", m->id)) ||
                (rc = write_draws(&r, m->id, m->d0, m->dn)) ||
                (rc = bo__audit_touch(b, "move", m->id)))
                break;
        }
        /* The arrival a replay starts from: the source's account gave
         * dgross more; what settled a shortage went to COGS. */
        int64_t counter = m->arr ? m->dgross - diff : -diff;
        if (!diff && !counter)
            continue;
        int tout = !strcmp(m->kind, "transfer_out"), arrived = 0;
        int loss = m->out && !tout && strcmp(m->kind, "issue") && strcmp(m->kind, "sale");
        if (loss && !adj[0] && (rc = bo__inv_account(b, "account.adjustments", adj)))
            break;
        if (!tout) {
            bo__inv_post_add(&ch->e, inv, diff);
            bo__inv_post_add(&ch->e, loss ? adj : cogs, counter);
        }
        if (!diff)
            continue;
        if ((rc = bo__store_run(b->store, SQL_MOVE_VALUE, "ii", m->nvalue, m->id)) ||
            (rc = bo__audit_touch(b, "move", m->id)))
            break;
        if (!strcmp(m->kind, "sale"))
            rc = sale_line_cost(&r, m);
        /* a transfer out: the source's account gives what the arrival
         * takes (posted by the destination's replay), or keeps it while in
         * transit */
        else if (tout && !(rc = transfer_on(&r, ch, m, &arrived)) && arrived)
            bo__inv_post_add(&ch->e, inv, diff);
    }
    if (rc)
        goto out;
    if (from) {
        /* a destination row: its quantity stays, its value is replayed */
        st->value = r.val;
        rc = bo__store_run(b->store, SQL_STOCK_PUT, "iiii", st->on_hand, st->reserved,
                           st->value, st->id);
        goto out;
    }
    /* The row: the backdated movement's quantity, the replayed value. */
    int64_t oh;
    if (bo_money_add(st->on_hand, qty, &oh)) {
        rc = overflow(&r);
        goto out;
    }
    st->on_hand = oh;
    st->value = r.val;
    rc = bo__store_run(b->store, SQL_STOCK_PUT, "iiii", st->on_hand, st->reserved, st->value,
                       st->id);
out:
    bo__free(u);
    rv_free(&r);
    return rc;
}

static int cmp_arrival(const void *x, const void *y)
{
    const arrival *a = x, *b = y;
    if (a->stock != b->stock)
        return a->stock < b->stock ? -1 : 1;
    int c = strcmp(a->date, b->date);
    return c ? c : a->move < b->move ? -1 : a->move > b->move;
}

/* The rows the transfers out reached, each replayed once from its first
 * arrival given a new value, with every such arrival of it (which may
 * reach further rows). A row reached again after its replay (a transfer
 * back, or two ways to one row) is refused. */
static int destinations(bo_book *b, chain *ch, const bo__inv_item *it)
{
    int rc = 0;
    while (!rc && ch->na) {
        qsort(ch->a, (size_t)ch->na, sizeof *ch->a, cmp_arrival);
        int n = 1;
        while (n < ch->na && ch->a[n].stock == ch->a[0].stock)
            n++;
        arrival *batch = bo__malloc((size_t)n * sizeof *batch);
        if (!batch)
            return BO_ENOMEM;
        memcpy(batch, ch->a, (size_t)n * sizeof *batch);
        memmove(ch->a, ch->a + n, (size_t)(ch->na - n) * sizeof *ch->a);
        ch->na -= n;
        bo__inv_loc dl;
        bo__inv_stock dst;
        int seen = 0;
        for (int i = 0; i < ch->nrows; i++)
            seen |= ch->rows[i] == batch[0].stock;
        if (!(rc = bo__inv_loc_by_id(b, batch[0].loc, &dl))) {
            if (seen || ch->nrows == (int)(sizeof ch->rows / sizeof *ch->rows))
                rc = bo__error_set(BO_ESTATE, "date: %s dated %s would revalue transfer %"
                                   PRId64 " arriving %s at '%s', a row it revalues already;"
                                   " post it dated %s or later", ch->what, ch->date,
                                   batch[0].transfer, batch[0].date, dl.code, batch[0].date);
            else if (!(rc = bo__inv_stock_get(b, it->id, batch[0].loc, 0, &dst))) {
                ch->rows[ch->nrows++] = dst.id;
                int64_t v, st_, ly;
                rc = replay(b, ch, it, &dl, &dst, batch[0].date, batch[0].move, batch, n, 0, 0,
                            &v, &st_, &ly);
            }
        }
        bo__free(batch);
    }
    return rc;
}

int bo__inv_backdated(bo_book *b, const bo__inv_item *it, const bo__inv_loc *l,
                      bo__inv_stock *st, const char *date, int64_t qty, int64_t cost,
                      const char *what, int *done, int64_t *value, int64_t *settled,
                      int64_t *layer)
{
    *done = 0;
    *value = *settled = 0;
    if (layer)
        *layer = 0;
    if (!st->id)
        return 0;
    int found = 0;
    int64_t first;
    if (bo__inv_kept_none_after(b, st->id, date))
        return 0;
    int rc = bo__store_row(b->store, SQL_LATER_ANY, &found, "it>i", st->id, date, &first);
    if (!rc && !found)
        bo__inv_keep_none_after(b, st->id, date, 0);
    if (rc || !found)
        return rc;
    chain ch;
    memset(&ch, 0, sizeof ch);
    ch.what = what;
    ch.date = date;
    ch.rows[ch.nrows++] = st->id;
    bo__inv_stock row = *st;
    if (!(rc = replay(b, &ch, it, l, &row, date, 0, NULL, 0, qty, cost, value, settled,
                      layer)))
        rc = destinations(b, &ch, it);
    bo__free(ch.a);
    if (rc) {
        bo__inv_post_free(&ch.e);
        return rc;
    }
    int64_t entry;
    if ((rc = bo__inv_post_commit(b, &ch.e, date, "revaluation after a backdated movement",
                                  &entry)))
        return rc;
    *st = row;
    *done = 1;
    return 0;
}
