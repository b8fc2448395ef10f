/* What the audit chain covers in the inventory tables (see
 * src/core/verify.h).
 *
 * Records of their own, their states stored with each change (the
 * settings are the core's, kind "setting"): locations, items (with their barcodes), stock rows (which item at which
 * location, the reorder point), FIFO layers, movements, transfers, holds,
 * sales (lines, taxes, payments and returns), purchase orders (lines,
 * receipts, landed costs), shipments (with their events), the carriers'
 * tracking events (each a record), counts (with
 * their lines) and till sessions (with their cash movements). The calls that change a record their audit record does not
 * name touch it (bo__audit_touch): a movement, a layer, a stock row when
 * made, the hold a sale takes, the sale a return changes, the order a
 * receipt fills, a transfer.
 *
 * Derived, recomputed: a stock row's on hand and value are the sums of its
 * movements, its reserved quantity the sum of its active holds; a
 * movement's layer draws sum to its quantity and value, and a FIFO row's
 * value is the cost of its layers. A hold that
 * expires (lazily, without a record of its own) keeps its state: "expired"
 * reads as "active" in it, and the check below finds a hold marked expired
 * before its time. */
#include "core/verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define P(table, key, order) { table, key, NULL, order, NULL, NULL, NULL, NULL, NULL, NULL }

static const bo__vpart location_parts[] = { P("inv_locations", "t.code", "code") };
static const bo__vpart item_parts[] = {
    P("inv_items", "t.id", "id"),
    P("inv_barcodes", "t.item_id", "barcode"),
    /* lots and serial numbers: made by the movements that first move them
     * (which touch the item); where a serial is now is derived (checked) */
    P("inv_track", "t.item_id", "item_id"),
    P("inv_lots", "t.item_id", "id"),
    { "inv_serials", "t.item_id", NULL, "id", "status location_id", NULL, NULL, NULL,
      NULL, NULL },
    P("inv_units", "t.item_id", "unit"),
};
static const bo__vpart stock_parts[] = {
    { "inv_stock", "t.id", NULL, "id", "on_hand reserved value", NULL, NULL, NULL,
      NULL, NULL },
};
static const bo__vpart layer_parts[] = { P("inv_layers", "t.id", "id") };
static const bo__vpart move_parts[] = {
    P("inv_moves", "t.id", "id"),
    /* open: what a return or an arrival has taken back since (derived) */
    { "inv_lot_moves", "t.move_id", NULL, "lot_id", "open", NULL, NULL, NULL, NULL, NULL },
    P("inv_serial_moves", "t.move_id", "serial_id"),
    P("inv_draws", "t.move_id", "id"), /* its layer draws (schema 15) */
};
static const bo__vpart transfer_parts[] = { P("inv_transfers", "t.id", "id") };
static const bo__vpart hold_parts[] = {
    { "inv_holds", "t.id", NULL, "id", NULL,
      "status=CASE WHEN t.status = 'expired' THEN 'active' ELSE t.status END",
      NULL, NULL, NULL, NULL },
};
static const bo__vpart sale_parts[] = {
    P("inv_sales", "t.id", "id"),
    P("inv_sale_lines", "t.sale_id", "line"),
    P("inv_sale_taxes", "t.sale_id", "line, seq"),
    P("inv_sale_payments", "t.sale_id", "seq"),
    P("inv_returns", "t.sale_id", "id"),
    P("inv_sale_pricing", "t.sale_id", "line"),
};
static const bo__vpart po_parts[] = {
    P("inv_pos", "t.id", "id"),
    P("inv_po_lines", "t.po_id", "line"),
    P("inv_po_receipts", "t.po_id", "move_id"),
    P("inv_landed", "t.po_id", "id"),
};
static const bo__vpart shipment_parts[] = {
    P("inv_shipments", "t.id", "id"),
    P("inv_shipment_events", "t.shipment_id", "seq"),
};
static const bo__vpart tracking_parts[] = { P("inv_tracking", "t.id", "id") };
static const bo__vpart count_parts[] = {
    P("inv_counts", "t.id", "id"),
    P("inv_count_lines", "t.count_id", "item_id"),
};

/* Price groups, price lists and promotions (uom.c, pricelists.c,
 * promotions.c). */
static const bo__vpart price_group_parts[] = {
    P("inv_customer_groups", "t.party", "party"),
};
static const bo__vpart pricelist_parts[] = {
    P("inv_pricelists", "t.id", "id"),
    P("inv_pricelist_prices", "t.list_id", "item_id, unit, min_qty"),
};
static const bo__vpart promotion_parts[] = { P("inv_promotions", "t.id", "id") };
/* Till sessions with their cash movements (tills.c, schema 16). */
static const bo__vpart till_parts[] = {
    P("inv_tills", "t.id", "id"),
    P("inv_till_moves", "t.till_id", "id"),
};

static const bo__vkind kinds[] = {
    { "location", 1, location_parts, BO__VN(location_parts) },
    { "item", 0, item_parts, BO__VN(item_parts) },
    { "stock", 0, stock_parts, BO__VN(stock_parts) },
    { "layer", 0, layer_parts, BO__VN(layer_parts) },
    { "move", 0, move_parts, BO__VN(move_parts) },
    { "transfer", 0, transfer_parts, BO__VN(transfer_parts) },
    { "hold", 0, hold_parts, BO__VN(hold_parts) },
    { "sale", 0, sale_parts, BO__VN(sale_parts) },
    { "po", 0, po_parts, BO__VN(po_parts) },
    { "shipment", 0, shipment_parts, BO__VN(shipment_parts) },
    { "tracking", 0, tracking_parts, BO__VN(tracking_parts) },
    { "count", 0, count_parts, BO__VN(count_parts) },
    { "price_group", 1, price_group_parts, BO__VN(price_group_parts) },
    { "pricelist", 0, pricelist_parts, BO__VN(pricelist_parts) },
    { "promotion", 0, promotion_parts, BO__VN(promotion_parts) },
    { "till", 0, till_parts, BO__VN(till_parts) },
};

static const char SQL_ITEM_BY_SKU[] = "SELECT id FROM inv_items WHERE sku = ?";
static const char SQL_PRICELIST_BY_CODE[] = "SELECT id FROM inv_pricelists WHERE code = ?";
static const char SQL_PROMOTION_BY_CODE[] = "SELECT id FROM inv_promotions WHERE code = ?";

static const bo__vaction actions[] = {
    { "inventory.setting.set", NULL, NULL, NULL },
    { "inventory.location.add", "location", "location:", NULL },
    { "inventory.location.set", "location", "location:", NULL },
    { "inventory.item.add", "item", "item:", SQL_ITEM_BY_SKU },
    { "inventory.item.set", "item", "item:", SQL_ITEM_BY_SKU },
    { "inventory.item.barcode_add", "item", "item:", SQL_ITEM_BY_SKU },
    { "inventory.item.track", "item", "item:", SQL_ITEM_BY_SKU },
    { "inventory.stock.reorder_set", "stock", "stock:", NULL },
    { "inventory.stock.receive", "move", "move:", NULL },
    { "inventory.stock.issue", "move", "move:", NULL },
    { "inventory.stock.adjust", "move", "move:", NULL },
    { "inventory.stock.count", "move", "move:", NULL },
    { "inventory.stock.transfer_out", "move", "move:", NULL },
    { "inventory.stock.transfer_in", "move", "move:", NULL },
    { "inventory.stock.return", "move", "move:", NULL },
    { "inventory.hold.place", "hold", "hold:", NULL },
    { "inventory.hold.release", "hold", "hold:", NULL },
    /* Expiry changes nothing a hold's state holds (see above). */
    { "inventory.hold.expire", NULL, NULL, NULL },
    { "inventory.sale.post", "sale", "sale:", NULL },
    { "inventory.po.add", "po", "po:", NULL },
    { "inventory.po.line_add", "po", "po:", NULL },
    { "inventory.po.landed_cost", "po", "po:", NULL },
    { "inventory.shipment.add", "shipment", "shipment:", NULL },
    { "inventory.shipment.track", "tracking", "tracking:", NULL },
    { "inventory.count.start", "count", "count:", NULL },
    { "inventory.count.set", "count", "count:", NULL },
    { "inventory.count.post", "count", "count:", NULL },
    { "inventory.unit.set", "item", "item:", SQL_ITEM_BY_SKU },
    { "inventory.group.set", "price_group", "price_group:", NULL },
    { "inventory.pricelist.add", "pricelist", "pricelist:", SQL_PRICELIST_BY_CODE },
    { "inventory.pricelist.price", "pricelist", "pricelist:", SQL_PRICELIST_BY_CODE },
    { "inventory.promotion.set", "promotion", "promotion:", SQL_PROMOTION_BY_CODE },
    { "inventory.till.open", "till", "till:", NULL },
    { "inventory.till.cash", "till", "till:", NULL },
    { "inventory.till.close", "till", "till:", NULL },
    /* Settings are recorded by bo__setting_put (the core's kind "setting",
     * keyed "<domain>.<key>"; before version 12 the domain's own kind). */
};

/* The names written before 0.3, and the objects they carried then
 * ("inv.move:12" where 0.3 writes "move:12"). */
static const bo__valias aliases[] = {
    { "inv.setting", "inventory.setting.set", NULL },
    { "inv.location.add", "inventory.location.add", NULL },
    { "inv.location.set", "inventory.location.set", NULL },
    { "inv.item.add", "inventory.item.add", NULL },
    { "inv.item.set", "inventory.item.set", NULL },
    { "inv.item.barcode", "inventory.item.barcode_add", NULL },
    { "inv.reorder.set", "inventory.stock.reorder_set", "inv.stock:" },
    { "inv.receive", "inventory.stock.receive", "inv.move:" },
    { "inv.issue", "inventory.stock.issue", "inv.move:" },
    { "inv.adjust", "inventory.stock.adjust", "inv.move:" },
    { "inv.count", "inventory.stock.count", "inv.move:" },
    { "inv.transfer.out", "inventory.stock.transfer_out", "inv.move:" },
    { "inv.transfer.in", "inventory.stock.transfer_in", "inv.move:" },
    { "inv.return", "inventory.stock.return", "inv.move:" },
    { "inv.hold", "inventory.hold.place", "inv.hold:" },
    { "inv.hold.release", "inventory.hold.release", "inv.hold:" },
    { "inv.holds.expire", "inventory.hold.expire", NULL },
    { "inv.sale", "inventory.sale.post", "inv.sale:" },
    { "inv.po.add", "inventory.po.add", "inv.po:" },
    { "inv.po.line", "inventory.po.line_add", "inv.po:" },
    { "inv.landed", "inventory.po.landed_cost", "inv.po:" },
    { "inv.shipment", "inventory.shipment.add", "inv.shipment:" },
    { "inv.count.start", "inventory.count.start", "inv.count:" },
    { "inv.count.set", "inventory.count.set", "inv.count:" },
    { "inv.count.post", "inventory.count.post", "inv.count:" },
};

/* ---- stock on hand, value and reserved ------------------------------------ */

static const char SQL_ST[] =
    "SELECT id, on_hand, value, reserved FROM inv_stock ORDER BY id LIMIT 512";
static const char SQL_ST_NEXT[] =
    "SELECT id, on_hand, value, reserved FROM inv_stock WHERE id > ?"
    " ORDER BY id LIMIT 512";
static const char SQL_MV[] =
    "SELECT stock_id, SUM(qty), SUM(value) FROM inv_moves GROUP BY stock_id"
    " ORDER BY stock_id LIMIT 512";
static const char SQL_MV_NEXT[] =
    "SELECT stock_id, SUM(qty), SUM(value) FROM inv_moves WHERE stock_id > ?"
    " GROUP BY stock_id ORDER BY stock_id LIMIT 512";
static const char SQL_HD[] =
    "SELECT stock_id, SUM(qty) FROM inv_holds WHERE status = 'active'"
    " GROUP BY stock_id ORDER BY stock_id LIMIT 512";
static const char SQL_HD_NEXT[] =
    "SELECT stock_id, SUM(qty) FROM inv_holds WHERE status = 'active'"
    " AND stock_id > ? GROUP BY stock_id ORDER BY stock_id LIMIT 512";
static const char SQL_EARLY[] =
    "SELECT id FROM inv_holds WHERE status = 'expired' AND expires > ?"
    " ORDER BY id LIMIT 1";

static int adv(bo__vstream *st, int *row)
{
    int rc = bo__vstream_next(st);
    *row = rc;
    return rc < 0 ? rc : 0;
}

static int check_stock(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    bo__vstream S, M, H;
    bo__vstream_init(&S, b->store, SQL_ST, SQL_ST_NEXT, "i");
    bo__vstream_init(&M, b->store, SQL_MV, SQL_MV_NEXT, "i");
    bo__vstream_init(&H, b->store, SQL_HD, SQL_HD_NEXT, "i");
    int s, m, h, rc;
    if ((rc = adv(&S, &s)) || (rc = adv(&M, &m)) || (rc = adv(&H, &h)))
        goto out;
    while (s == BO_DRIVER_ROW || m == BO_DRIVER_ROW || h == BO_DRIVER_ROW) {
        int64_t si = s == BO_DRIVER_ROW ? bo__stmt_col_int(S.s, 0) : INT64_MAX;
        int64_t mi = m == BO_DRIVER_ROW ? bo__stmt_col_int(M.s, 0) : INT64_MAX;
        int64_t hi = h == BO_DRIVER_ROW ? bo__stmt_col_int(H.s, 0) : INT64_MAX;
        int64_t id = si < mi ? si : mi;
        if (hi < id)
            id = hi;
        char rec[48];
        snprintf(rec, sizeof rec, "stock %" PRId64, id); /* a few per stock row */
        int64_t qty = 0, value = 0, held = 0;
        if (mi == id) {
            qty = bo__stmt_col_int(M.s, 1);
            value = bo__stmt_col_int(M.s, 2);
            if ((rc = adv(&M, &m)))
                goto out;
        }
        if (hi == id) {
            held = bo__stmt_col_int(H.s, 1);
            if ((rc = adv(&H, &h)))
                goto out;
        }
        if (si != id) {
            if ((rc = bo__verify_found(v, 0, mi == id ? "inv_moves" : "inv_holds", rec,
                                       "the stock row is missing")))
                goto out;
            continue;
        }
        const char *what = bo__stmt_col_int(S.s, 1) != qty ? "on_hand"
                         : bo__stmt_col_int(S.s, 2) != value ? "value"
                         : bo__stmt_col_int(S.s, 3) != held ? "reserved" : NULL;
        if (what && (rc = bo__verify_found(v, 0, "inv_stock", rec, "%s differs from %s",
                                           what, held && what[0] == 'r'
                                               ? "its active holds" : "its movements")))
            goto out;
        if ((rc = adv(&S, &s)))
            goto out;
    }
    /* A hold marked expired before its time. */
    char now[64];
    bo__now_iso(now);
    bo__stmt *q;
    if ((rc = bo__stmt_get(b->store, SQL_EARLY, &q)))
        goto out;
    if (!(rc = bo__stmt_bind(q, "t", now)) && (rc = bo__stmt_step(q)) == BO_DRIVER_ROW) {
        char rec[48];
        snprintf(rec, sizeof rec, "hold %" PRId64, bo__stmt_col_int(q, 0));
        bo__stmt_done(q);
        rc = bo__verify_found(v, 0, "inv_holds", rec, "marked expired before it "
                              "expires (altered)");
        goto out;
    }
    bo__stmt_done(q);
    rc = rc < 0 ? rc : 0;
out:
    if (rc == BO_EOVERFLOW) {
        bo__error_clear();
        rc = bo__verify_found(v, 0, "inv_moves", NULL, "quantities or values "
                              "overflow when summed per stock row (altered)");
    }
    bo__vstream_close(&S);
    bo__vstream_close(&M);
    bo__vstream_close(&H);
    return rc;
}

/* ---- stock per lot, where each serial is ----------------------------------- */

/* A lot's stock at a location is the sum of its movements there; a serial
 * is in stock exactly when its movements net to one, at the location of
 * its last one. */
static const char SQL_LOT_BAD[] =
    "SELECT COALESCE(s.lot_id, x.lot_id), COALESCE(s.location_id, x.location_id)"
    " FROM inv_lot_stock s FULL JOIN ("
    "  SELECT lm.lot_id, st.location_id, SUM(lm.qty) AS q FROM inv_lot_moves lm"
    "  JOIN inv_moves m ON m.id = lm.move_id JOIN inv_stock st ON st.id = m.stock_id"
    "  GROUP BY lm.lot_id, st.location_id) x"
    " ON x.lot_id = s.lot_id AND x.location_id = s.location_id"
    " WHERE COALESCE(s.on_hand, 0) <> COALESCE(x.q, 0) LIMIT 1";
static const char SQL_SERIAL_BAD[] =
    "SELECT s.id FROM inv_serials s WHERE"
    " (CASE WHEN s.status = 'stock' THEN 1 ELSE 0 END) <>"
    "  (SELECT COALESCE(SUM(CASE WHEN m.qty > 0 THEN 1 ELSE -1 END), 0)"
    "   FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    "   WHERE sm.serial_id = s.id)"
    " OR (s.status = 'stock' AND s.location_id IS DISTINCT FROM"
    "  (SELECT st.location_id FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    "   JOIN inv_stock st ON st.id = m.stock_id WHERE sm.serial_id = s.id"
    "   ORDER BY sm.move_id DESC LIMIT 1))"
    /* out of stock: the status its last movement gave (lots.c, out_status) */
    " OR (s.status <> 'stock' AND s.status IS DISTINCT FROM"
    "  (SELECT CASE WHEN m.qty > 0 THEN 'stock' WHEN m.kind = 'sale' THEN 'sold'"
    "   WHEN m.kind = 'transfer_out' THEN 'transit' ELSE 'out' END"
    "   FROM inv_serial_moves sm JOIN inv_moves m ON m.id = sm.move_id"
    "   WHERE sm.serial_id = s.id ORDER BY sm.move_id DESC LIMIT 1))"
    " OR (s.status <> 'stock' AND s.location_id IS NOT NULL)"
    " ORDER BY s.id LIMIT 1";

/* What an outgoing movement leaves open (derived): per lot and stock row,
 * the sales' open quantities are what they took less what came back
 * (returns), and per lot and item the transfers' what left less what
 * arrived; no other movement has any open. */
static const char SQL_LOT_OPEN_BAD[] =
    "SELECT MIN(lm.move_id) FROM inv_lot_moves lm JOIN inv_moves m ON m.id = lm.move_id"
    " WHERE m.kind IN ('sale', 'return') GROUP BY lm.lot_id, m.stock_id"
    " HAVING SUM(CASE WHEN m.kind = 'sale' THEN lm.open ELSE 0 END) + SUM(lm.qty) <> 0"
    " UNION ALL SELECT MIN(lm.move_id) FROM inv_lot_moves lm"
    " JOIN inv_moves m ON m.id = lm.move_id JOIN inv_stock st ON st.id = m.stock_id"
    " WHERE m.kind IN ('transfer_out', 'transfer_in') GROUP BY lm.lot_id, st.item_id"
    " HAVING SUM(CASE WHEN m.kind = 'transfer_out' THEN lm.open ELSE 0 END)"
    " + SUM(lm.qty) <> 0"
    " UNION ALL SELECT lm.move_id FROM inv_lot_moves lm JOIN inv_moves m ON m.id = lm.move_id"
    " WHERE m.kind NOT IN ('sale', 'transfer_out') AND lm.open <> 0"
    " LIMIT 1";

static int check_lots(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    int64_t lot = 0, loc = 0, serial = 0, move = 0;
    int found = 0, rc;
    if ((rc = bo__store_row(b->store, SQL_LOT_BAD, &found, ">ii", &lot, &loc)))
        return rc;
    if (found) {
        char rec[64];
        snprintf(rec, sizeof rec, "lot %" PRId64 " location %" PRId64, lot, loc);
        if ((rc = bo__verify_found(v, 0, "inv_lot_stock", rec,
                                   "on_hand differs from its movements")))
            return rc;
    }
    if ((rc = bo__store_row(b->store, SQL_LOT_OPEN_BAD, &found, ">i", &move)))
        return rc;
    if (found) {
        char rec[48];
        snprintf(rec, sizeof rec, "move %" PRId64, move);
        if ((rc = bo__verify_found(v, 0, "inv_lot_moves", rec,
                                   "open differs from what came back or arrived")))
            return rc;
    }
    if ((rc = bo__store_row(b->store, SQL_SERIAL_BAD, &found, ">i", &serial)))
        return rc;
    if (found) {
        char rec[48];
        snprintf(rec, sizeof rec, "serial %" PRId64, serial);
        return bo__verify_found(v, 0, "inv_serials", rec,
                                "where it is differs from its movements");
    }
    return 0;
}

/* ---- the draws of movements and the FIFO layers --------------------------------- */

/* The draws of a FIFO movement (src/inventory/revalue.c) sum to its
 * quantity, their costs from layers to its value; none is left without its
 * movement; a FIFO row's value is the cost of its layers. (Movements logged
 * before schema 15 have no draws.) */
static const char SQL_DRAW_BAD[] =
    "SELECT d.move_id FROM (SELECT move_id, SUM(qty) AS q,"
    " SUM(CASE WHEN layer_id > 0 THEN cost ELSE 0 END) AS c FROM inv_draws"
    " GROUP BY move_id) d LEFT JOIN inv_moves m ON m.id = d.move_id"
    " WHERE m.id IS NULL OR (EXISTS (SELECT 1 FROM inv_stock s JOIN inv_items i"
    " ON i.id = s.item_id WHERE s.id = m.stock_id AND i.method = 1)"
    " AND (d.q <> m.qty OR d.c <> m.value))"
    " ORDER BY d.move_id LIMIT 1";
static const char SQL_FIFO_BAD[] =
    "SELECT s.id FROM inv_stock s JOIN inv_items i ON i.id = s.item_id"
    " WHERE i.method = 1 AND s.value <> (SELECT COALESCE(SUM(y.cost), 0)"
    " FROM inv_layers y WHERE y.stock_id = s.id) ORDER BY s.id LIMIT 1";

/* A layer holding stock is open (schema 24: the CHECK refuses it otherwise;
 * a row written with the checks off would hide its stock from FIFO). */
static const char SQL_LAYER_HIDDEN[] =
    "SELECT id FROM inv_layers WHERE is_open = 0 AND remaining > 0 ORDER BY id LIMIT 1";

static int check_draws(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    int found = 0;
    int64_t id = 0;
    int rc = bo__store_row(b->store, SQL_DRAW_BAD, &found, ">i", &id);
    if (!rc && found) {
        char rec[48];
        snprintf(rec, sizeof rec, "move %" PRId64, id);
        rc = bo__verify_found(v, 0, "inv_draws", rec, id ? "its layer draws differ from "
                              "its quantity or value" : "a draw no movement took");
    }
    if (!rc && !(rc = bo__store_row(b->store, SQL_FIFO_BAD, &found, ">i", &id)) && found) {
        char rec[48];
        snprintf(rec, sizeof rec, "stock %" PRId64, id);
        rc = bo__verify_found(v, 0, "inv_layers", rec, "the value of a FIFO row differs "
                              "from the cost of its layers");
    }
    if (!rc && !(rc = bo__store_row(b->store, SQL_LAYER_HIDDEN, &found, ">i", &id)) &&
        found) {
        char rec[48];
        snprintf(rec, sizeof rec, "layer %" PRId64, id);
        rc = bo__verify_found(v, 0, "inv_layers", rec, "a layer holding stock is marked "
                              "closed");
    }
    return rc;
}

static const bo__vcheck checks[] = {
    { "inv_stock", check_stock },
    { "inv_lot_stock", check_lots },
    { "inv_draws", check_draws },
};

const bo__vdomain bo__verify_inventory = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), checks, BO__VN(checks),
    aliases, BO__VN(aliases),
};
