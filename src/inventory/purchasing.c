/* Purchase orders, partial receipts against their lines, and landed costs
 * split over an order's receipts by value. A line may be in one of the
 * item's units (a case of 24): its quantities and unit cost are in that
 * unit, and each receipt converts exactly to the stock unit (a remainder is
 * BO_EUNIT, never rounded). */
#include "inventory/inventory.h"
#include "inventory/pricing.h"
#include "commerce/commerce.h"
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_PO_ADD[] =
    "INSERT INTO inv_pos (number, supplier, date, status) VALUES (?, ?, ?, 'open')"
    " ON CONFLICT (number) DO NOTHING RETURNING id";
static const char SQL_PO_STATUS[] = "SELECT status FROM inv_pos WHERE id = ?";
static const char SQL_PO_NEXT_LINE[] =
    "SELECT COALESCE(MAX(line), 0) + 1 FROM inv_po_lines WHERE po_id = ?";
static const char SQL_PO_LINE_ADD[] =
    "INSERT INTO inv_po_lines (po_id, line, stock_id, qty, unit_cost, expected, unit,"
    " unit_num, unit_den) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_PO_LINE_GET[] =
    "SELECT stock_id, qty, received, unit_cost, unit_num, unit_den FROM inv_po_lines"
    " WHERE po_id = ? AND line = ?";
static const char SQL_PO_LINE_RECEIVED[] =
    "UPDATE inv_po_lines SET received = received + ? WHERE po_id = ? AND line = ?";
static const char SQL_PO_RECEIPT_ADD[] =
    "INSERT INTO inv_po_receipts (move_id, po_id, line, layer_id) VALUES (?, ?, ?, ?)";
static const char SQL_PO_RECEIPTS[] =
    "SELECT r.move_id, r.layer_id, m.qty, m.stock_id, p.unit_cost, p.unit_num, p.unit_den"
    " FROM inv_po_receipts r"
    " JOIN inv_moves m ON m.id = r.move_id"
    " JOIN inv_po_lines p ON p.po_id = r.po_id AND p.line = r.line"
    " WHERE r.po_id = ? ORDER BY r.move_id";
/* Stock on hand just before a movement: the movements of its row before it. */
static const char SQL_ON_HAND_BEFORE[] =
    "SELECT COALESCE(SUM(qty), 0) FROM inv_moves WHERE stock_id = ? AND id < ?";
static const char SQL_LANDED_BY_KEY[] =
    "SELECT entry_id, digest FROM inv_landed WHERE idem_key = ?";
static const char SQL_LANDED_ADD[] =
    "INSERT INTO inv_landed (po_id, amount, account, idem_key, digest, entry_id)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_LAYER_GET[] = "SELECT qty, remaining FROM inv_layers WHERE id = ?";
static const char SQL_LAYER_ADD_COST[] = "UPDATE inv_layers SET cost = cost + ? WHERE id = ?";
static const char SQL_STOCK_ADD_VALUE[] = "UPDATE inv_stock SET value = value + ? WHERE id = ?";
static const char SQL_PO_LINES[] =
    "SELECT p.line, i.sku, l.code, p.qty, p.received, p.unit_cost, p.expected, i.scale,"
    " p.unit"
    " FROM inv_po_lines p JOIN inv_stock s ON s.id = p.stock_id"
    " JOIN inv_items i ON i.id = s.item_id JOIN inv_locations l ON l.id = s.location_id"
    " WHERE p.po_id = ? ORDER BY p.line";

struct po_ctx {
    const char *number, *supplier, *sku, *loc, *key, *account;
    const char *unit; /* a line's unit (NULL: the stock unit) */
    int64_t po, qty, cost, id;
    int line;
    char date[11], expected[11];
    char digest[65]; /* of the keyed command's canonical form */
};

/* The canonical forms of the keyed purchasing commands (bo__idem_claim). */
static int po_receive_digest(struct po_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.po_receive");
    bo__buf_field_int(&d, c->po);
    bo__buf_field_int(&d, c->line);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field(&d, c->date);
    return bo__buf_digest(&d, c->digest);
}

static int landed_digest(struct po_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.landed_cost");
    bo__buf_field_int(&d, c->po);
    bo__buf_field_int(&d, c->cost);
    bo__buf_field(&d, c->account);
    bo__buf_field(&d, c->date);
    return bo__buf_digest(&d, c->digest);
}

static int ints(bo_book *b, const char *sql, int64_t a, int64_t c2, int64_t *v, int n,
                int *found)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, sql, &s);
    if (rc)
        return rc;
    *found = 0;
    if (!(rc = bo__stmt_bind(s, "i", a)) && (c2 < 0 || !(rc = bo__stmt_bind_at(s, 2, "i", c2))) &&
        (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        *found = 1;
        for (int i = 0; i < n; i++)
            v[i] = bo__stmt_col_int(s, i);
    }
    rc = rc < 0 ? rc : 0;
    bo__stmt_done(s);
    return rc;
}

static const char SQL_PO_LINE_UNIT[] =
    "SELECT unit FROM inv_po_lines WHERE po_id = ? AND line = ?";

/* The unit of a line written in one, for messages. */
static int line_unit_name(bo_book *b, int64_t po, int line, char *out, size_t size)
{
    return bo__store_row(b->store, SQL_PO_LINE_UNIT, NULL, "ii>t", po, (int64_t)line, out,
                         size);
}

static int po_open(bo_book *b, int64_t po)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_PO_STATUS, &s);
    if (rc)
        return rc;
    int found = 0, open = 0;
    if (!(rc = bo__stmt_bind(s, "i", po)) && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        found = 1;
        open = !strcmp(bo__stmt_col_text(s, 0), "open");
    }
    rc = rc < 0 ? rc : 0;
    bo__stmt_done(s);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "purchase order %" PRId64 " not found", po);
    if (!rc && !open)
        rc = bo__error_set(BO_ESTATE, "purchase order %" PRId64 " is closed", po);
    return rc;
}

static int po_add_tx(bo_book *b, void *p)
{
    struct po_ctx *c = p;
    bo__party party;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)))
        return rc;
    if ((rc = bo__party_find(b, c->supplier, &party)))
        return bo__error_prefix("supplier: ");
    if (!(party.roles & BO_PARTY_VENDOR))
        return bo__error_set(BO_EINVAL, "supplier: party '%s' is not a vendor", c->supplier);
    bo__stmt *s;
    if ((rc = bo__stmt_get(b->store, SQL_PO_ADD, &s)))
        return rc;
    if (!(rc = bo__stmt_bind(s, "ttt", c->number, c->supplier, c->date))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            c->id = bo__stmt_col_int(s, 0);
        rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
           : bo__error_set(BO_EEXISTS, "number: purchase order '%s' exists", c->number);
    }
    bo__stmt_done(s);
    if (rc)
        return rc;
    char object[48];
    snprintf(object, sizeof object, "po:%" PRId64, c->id);
    return bo__audit_append(b, "inventory.po.add", object, c->number);
}

int bo_inventory_po_add(bo_book *b, const char *number, const char *supplier, bo_date date,
                  int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct po_ctx c = { number, supplier, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, "", "", "" };
    int rc;
    if ((rc = bo__name_check("number", number, BO_CODE_MAX)) ||
        (rc = bo__name_check("supplier", supplier, BO_CODE_MAX)))
        return rc;
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if (!(rc = bo__write(b, po_add_tx, &c)) && id)
        *id = c.id;
    return rc;
}

static int po_line_tx(bo_book *b, void *p)
{
    struct po_ctx *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    bo__uom u;
    int64_t next = 0, stock_qty;
    int found, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) || (rc = po_open(b, c->po)) ||
        (rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)))
        return rc;
    /* the whole order converts exactly, or the line is refused */
    if (c->unit && (rc = bo__uom_to_stock(b, &it, c->unit, c->qty, &stock_qty, &u)))
        return rc;
    int stock_unit = !c->unit || !strcmp(u.unit, u.stock_unit);
    if ((rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)) ||
        (rc = ints(b, SQL_PO_NEXT_LINE, c->po, -1, &next, 1, &found)) ||
        (rc = bo__store_run(b->store, SQL_PO_LINE_ADD, "iiiiittii", c->po, next, st.id,
                            c->qty, c->cost, c->expected, stock_unit ? NULL : u.unit,
                            stock_unit ? (int64_t)1 : u.num,
                            stock_unit ? (int64_t)1 : u.den)))
        return rc;
    c->line = (int)next;
    char object[48];
    snprintf(object, sizeof object, "po:%" PRId64, c->po);
    return bo__audit_append(b, "inventory.po.line_add", object, it.sku);
}

int bo_inventory_po_line_options_init(bo_inventory_po_line_options *opts, unsigned int version)
{
    static const bo_inventory_po_line_options defaults = BO_INVENTORY_PO_LINE_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_INVENTORY_PO_LINE_OPTIONS_VERSION, &defaults,
                         sizeof defaults);
}

static int po_line(bo_book *b, const bo_inventory_po_line_options *o, const char *unit,
                   int *line)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__opts_check(o, BO_INVENTORY_PO_LINE_OPTIONS_VERSION);
    if (rc || (unit && (rc = bo__name_check("unit", unit, BO_CODE_MAX))))
        return rc;
    int64_t qty = o->qty, unit_cost = o->unit_cost;
    bo_date expected = o->expected;
    struct po_ctx c = { NULL, NULL, o->sku, o->location, NULL, NULL, NULL, o->po_id, qty, unit_cost,
                        0, 0, "", "", "" };
    rc = bo__inv_qty_check("qty", qty, 0);
    if (rc)
        return rc;
    if (unit_cost < 0)
        return bo__error_set(BO_EINVAL, "unit_cost: must not be negative");
    bo__date_iso(expected, c.expected);
    if (!c.expected[0])
        return bo__error_set(BO_EINVAL, "expected: out of range");
    c.unit = unit;
    if (!(rc = bo__write(b, po_line_tx, &c)) && line)
        *line = c.line;
    return rc;
}

int bo_inventory_po_line(bo_book *b, const bo_inventory_po_line_options *o, int *line)
{
    return po_line(b, o, NULL, line);
}

int bo_inventory_po_line_unit(bo_book *b, const bo_inventory_po_line_options *o,
                              const char *unit, int *line)
{
    return po_line(b, o, unit, line);
}

static int po_receive_tx(bo_book *b, void *p)
{
    struct po_ctx *c = p;
    int64_t v[6], item, loc;
    int found, state, rc;
    bo__inv_stock st;
    bo__inv_item it;
    bo__inv_loc l;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__inv_move_claim(b, c->key, c->digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY ||
        (rc = ints(b, SQL_PO_LINE_GET, c->po, c->line, v, 6, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "line: purchase order %" PRId64 " has no "
                             "line %d", c->po, c->line);
    if ((rc = po_open(b, c->po)))
        return rc;
    if (c->qty > v[1] - v[2])
        return bo__error_set(BO_EINVAL, "qty: %" PRId64 " is more than the %" PRId64
                             " ordered and not yet received", c->qty, v[1] - v[2]);
    if ((rc = bo__inv_stock_by_id(b, v[0], &item, &loc, &st)) ||
        (rc = bo__inv_item_by_id(b, item, &it)) || (rc = bo__inv_loc_by_id(b, loc, &l)))
        return rc;
    /* qty is in the line's unit: into the stock unit, exactly */
    int64_t cost, layer, qty = c->qty;
    if (v[4] != 1 || v[5] != 1) {
        bo__uom from, to;
        if ((rc = bo__uom_find(b, &it, NULL, &to)))
            return rc;
        from = to;
        to.num = to.den = 1;
        from.num = v[4];
        from.den = v[5];
        if ((rc = line_unit_name(b, c->po, c->line, from.unit, sizeof from.unit)) ||
            (rc = bo__uom_convert(&it, &from, &to, c->qty, &qty)))
            return rc;
    }
    if ((rc = bo_money_muldiv(v[3], c->qty, bo__inv_pow10(it.scale), BO_ROUND_HALF_EVEN,
                              &cost)))
        return bo__error_prefix("cost: ");
    char ref[48];
    snprintf(ref, sizeof ref, "po:%" PRId64, c->po);
    if ((rc = bo__inv_receive_in_tx(b, &it, &l, &st, qty, cost, c->date, ref, c->key,
                                    c->digest, &c->id, &layer)) ||
        (rc = bo__store_run(b->store, SQL_PO_LINE_RECEIVED, "iii", c->qty, c->po,
                            (int64_t)c->line)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_PO_RECEIPT_ADD, "iiii", c->id, c->po,
                            (int64_t)c->line, layer)) ||
        (rc = bo__audit_touch(b, "po", c->po)))
        return rc;
    return bo__inv_low_check(b, &st);
}

int bo_inventory_po_receive(bo_book *b, int64_t po_id, int line, int64_t qty, bo_date date,
                      const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct po_ctx c = { NULL, NULL, NULL, NULL, key, NULL, NULL, po_id, qty, 0, 0, line, "", "",
                        "" };
    int rc;
    if ((rc = bo__idem_require("a receipt", key)) || (rc = bo__inv_qty_check("qty", qty, 0)))
        return rc;
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = po_receive_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, po_receive_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* ---- landed costs ------------------------------------------------------------ */

#define RECEIPTS_MAX 1000

/* One receipt of the order: its movement, FIFO layer, units, stock row,
 * and what the landed cost needs: its full cost (units x the line's unit
 * cost, rounded as the receipt was), and how many of its units settled a
 * shortage (stock was negative before it) and never entered stock. */
typedef struct receipt {
    int64_t move, layer, qty, stock, unit_cost, cost, short_;
    int64_t num, den; /* the line's unit: num/den of the stock unit */
    /* the landed cost's plan: its part, what stays in stock, where */
    int64_t part, kept;
    int fifo;
    char inv[BO_CODE_MAX + 1];
} receipt;

/* Read the order's receipts, with each one's full cost and shortage. */
static int landed_receipts(bo_book *b, int64_t po, receipt *r, int *n)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_PO_RECEIPTS, &s);
    if (rc)
        return rc;
    *n = 0;
    if (!(rc = bo__stmt_bind(s, "i", po))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW && *n < RECEIPTS_MAX) {
            receipt *x = &r[(*n)++];
            x->move = bo__stmt_col_int(s, 0);
            x->layer = bo__stmt_col_int(s, 1);
            x->qty = bo__stmt_col_int(s, 2);
            x->stock = bo__stmt_col_int(s, 3);
            x->unit_cost = bo__stmt_col_int(s, 4);
            x->num = bo__stmt_col_int(s, 5);
            x->den = bo__stmt_col_int(s, 6);
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    for (int i = 0; i < *n && !rc; i++) {
        int64_t item, loc, before = 0, in_unit = r[i].qty;
        int found;
        bo__inv_stock st;
        bo__inv_item it;
        /* the receipt's units in its line's unit (it converted exactly) */
        if (r[i].num != 1 || r[i].den != 1) {
            if (__builtin_mul_overflow(r[i].qty, r[i].den, &in_unit) || r[i].num <= 0) {
                rc = bo__error_set(BO_EOVERFLOW, "qty: receipt %" PRId64 " overflows",
                                   r[i].move);
                break;
            }
            in_unit /= r[i].num;
        }
        if ((rc = bo__inv_stock_by_id(b, r[i].stock, &item, &loc, &st)) ||
            (rc = bo__inv_item_by_id(b, item, &it)) ||
            (rc = bo_money_muldiv(r[i].unit_cost, in_unit, bo__inv_pow10(it.scale),
                                  BO_ROUND_HALF_EVEN, &r[i].cost)) ||
            (rc = ints(b, SQL_ON_HAND_BEFORE, r[i].stock, r[i].move, &before, 1, &found)))
            break;
        r[i].short_ = before >= 0 ? 0 : -before < r[i].qty ? -before : r[i].qty;
    }
    return rc;
}

/* The part of a receipt's landed cost that stays in stock: the share of
 * its units still held. FIFO: the units left in the receipt's layer, out of
 * the receipt's units (the layer holds only those that did not settle a
 * shortage, and loses those sold since). Moving average: the units that
 * entered stock, at most what is on hand now. The rest went to customers
 * or settled a shortage, and belongs to cost of goods sold. */
static int landed_kept(bo_book *b, const receipt *r, const bo__inv_item *it,
                       const bo__inv_stock *st, int64_t part, int64_t *kept)
{
    int64_t held = 0;
    *kept = 0;
    if (it->method == BO_INVENTORY_FIFO) {
        int64_t lv[2] = { 0, 0 };
        int found = 0, rc;
        if (r->layer && (rc = ints(b, SQL_LAYER_GET, r->layer, -1, lv, 2, &found)))
            return rc;
        held = found ? lv[1] : 0;
    } else {
        held = r->qty - r->short_;
        if (st->on_hand < held)
            held = st->on_hand;
    }
    if (held <= 0 || r->qty <= 0)
        return 0;
    return bo_money_muldiv(part, held, r->qty, BO_ROUND_HALF_EVEN, kept);
}

/* Read and check everything the landed cost needs and split it over the
 * receipts (r, *n): each one's part and what stays in stock; *replay when
 * its key names one already recorded (c->id). Writes nothing. */
static int landed_check(bo_book *b, struct po_ctx *c, receipt *r, int *n,
                        char cogs[BO_CODE_MAX + 1], int *replay)
{
    int state, rc;
    bo__ledger_acct acc;
    *replay = 0;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__idem_claim(b, SQL_LANDED_BY_KEY, "landed cost", c->key, c->digest,
                             &c->id, &state)))
        return rc;
    if (state == BO__IDEM_REPLAY) {
        *replay = 1;
        return 0;
    }
    if ((rc = bo__ledger_account(b, c->account, &acc)))
        return bo__error_prefix("account: ");
    if ((rc = landed_receipts(b, c->po, r, n)))
        return rc;
    if (*n == 0)
        return bo__error_set(BO_ESTATE, "purchase order %" PRId64 ": nothing received yet",
                             c->po);
    /* Split over the receipts by their full cost (by units when nothing
     * had a cost): a receipt that settled a shortage weighs all its units. */
    int64_t total_cost = 0, *w = bo__calloc((size_t)*n, sizeof *w),
            *parts = bo__calloc((size_t)*n, sizeof *parts);
    if (!w || !parts)
        rc = BO_ENOMEM;
    for (int i = 0; i < *n && !rc; i++)
        rc = bo_money_add(total_cost, r[i].cost, &total_cost);
    for (int i = 0; i < *n && !rc; i++)
        w[i] = total_cost > 0 ? r[i].cost : r[i].qty;
    if (!rc && !(rc = bo_money_split(c->cost, w, (size_t)*n, parts)))
        for (int i = 0; i < *n; i++)
            r[i].part = parts[i];
    bo__free(w);
    bo__free(parts);
    if (rc || (rc = bo__inv_account(b, "account.cogs", cogs)))
        return rc;
    for (int i = 0; i < *n; i++) {
        int64_t item, loc;
        bo__inv_stock st;
        bo__inv_item it;
        bo__inv_loc l;
        if ((rc = bo__inv_stock_by_id(b, r[i].stock, &item, &loc, &st)) ||
            (rc = bo__inv_item_by_id(b, item, &it)) || (rc = bo__inv_loc_by_id(b, loc, &l)) ||
            (rc = bo__inv_loc_account(b, &l, r[i].inv)) ||
            (rc = landed_kept(b, &r[i], &it, &st, r[i].part, &r[i].kept)))
            return rc;
        r[i].fifo = it.method == BO_INVENTORY_FIFO;
    }
    return 0;
}

/* Add what stays in stock to its layers and rows, log it, post the entry,
 * record the landed cost, audit. */
static int landed_write(bo_book *b, struct po_ctx *c, const receipt *r, int n,
                        const char *cogs)
{
    bo__inv_post e = { 0 };
    int rc = 0;
    char ref[48];
    snprintf(ref, sizeof ref, "po:%" PRId64, c->po);
    for (int i = 0; i < n && !rc; i++) {
        int64_t kept = r[i].kept, mid;
        if (kept && r[i].fifo &&
            ((rc = bo__store_run(b->store, SQL_LAYER_ADD_COST, "ii", kept, r[i].layer)) ||
             (rc = bo__audit_touch(b, "layer", r[i].layer))))
            break;
        if (kept && (rc = bo__store_run(b->store, SQL_STOCK_ADD_VALUE, "ii", kept, r[i].stock)))
            break;
        bo__inv_post_add(&e, r[i].inv, kept);
        bo__inv_post_add(&e, cogs, r[i].part - kept);
        if (kept)
            rc = bo__inv_move_add(b, r[i].stock, "landed", c->date, 0, kept, NULL, ref, NULL,
                                  NULL, 0, &mid);
    }
    if (!rc)
        bo__inv_post_add(&e, c->account, -c->cost);
    if (rc || (rc = bo__inv_post_commit(b, &e, c->date, "landed cost", &c->id)) ||
        (rc = bo__store_run(b->store, SQL_LANDED_ADD, "iittti", c->po, c->cost, c->account,
                            c->key, c->key ? c->digest : NULL, c->id))) {
        bo__inv_post_free(&e);
        return rc;
    }
    char object[48];
    snprintf(object, sizeof object, "po:%" PRId64, c->po);
    return bo__audit_append(b, "inventory.po.landed_cost", object, c->account);
}

static int landed_tx(bo_book *b, void *p)
{
    receipt *r = bo__calloc(RECEIPTS_MAX, sizeof *r);
    if (!r)
        return BO_ENOMEM;
    char cogs[BO_CODE_MAX + 1];
    int n = 0, replay;
    int rc = landed_check(b, p, r, &n, cogs, &replay);
    if (!rc && !replay)
        rc = landed_write(b, p, r, n, cogs);
    bo__free(r);
    return rc;
}

int bo_inventory_landed_cost(bo_book *b, int64_t po_id, int64_t amount, const char *account,
                       bo_date date, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct po_ctx c = { NULL, NULL, NULL, NULL, key, account, NULL, po_id, 0, amount, 0, 0, "", "",
                        "" };
    int rc;
    if ((rc = bo__idem_check(key)) || (rc = bo__name_check("account", account, BO_CODE_MAX)))
        return rc;
    if (amount <= 0)
        return bo__error_set(BO_EINVAL, "amount: must be positive");
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = landed_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, landed_tx, &c)) && id)
        *id = c.id;
    return rc;
}

static const bo__col po_cols[] = {
    { "line", BO_TYPE_INT }, { "sku", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "qty", BO_TYPE_INT }, { "received", BO_TYPE_INT }, { "unit_cost", BO_TYPE_INT },
    { "expected", BO_TYPE_TEXT }, { "scale", BO_TYPE_INT }, { "unit", BO_TYPE_TEXT },
};

int bo_inventory_po_lines(bo_book *b, int64_t po_id, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    static const bo__parent po = { SQL_PO_STATUS, "purchase order", " not found" };
    return bo__listing(b, BO__P_INVENTORY_READ, &po, SQL_PO_LINES, po_cols, 9, out, "i",
                       po_id);
}
