/* The inventory tables (schema version 3): this part's migration and its
 * list of tables for copying a book (see src/store/schema.c).
 *
 * inv_stock holds on hand, reserved and value per (item, location), updated
 * in the same transaction as every movement, so a lookup is one index seek
 * whatever the history. inv_moves is append-only. FIFO layers keep the
 * remaining quantity and the exact cost of that remainder; consumed layers
 * stay (for history) and a partial index skips them. */
#include "inventory/inventory.h"

#include <stddef.h>

/* The columns and keys of the tables that version 21 stores again on
 * SQLite: a new book makes them with these in its first part, an older
 * book's copy (the version 21 parts below) with the same text, so both
 * come out alike (tests/unit/test_migration.c compares them). */
#define INV_SALE_LINES_COLS \
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id)," \
    " line INTEGER NOT NULL," \
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id)," \
    " qty BIGINT NOT NULL," \
    " net BIGINT NOT NULL," \
    " tax BIGINT NOT NULL," \
    " cost BIGINT NOT NULL," \
    " revenue_account TEXT{TEXT_C} NOT NULL," \
    " hold_id BIGINT," \
    " ret_qty BIGINT NOT NULL DEFAULT 0," \
    " ret_net BIGINT NOT NULL DEFAULT 0," \
    " ret_cost BIGINT NOT NULL DEFAULT 0," \
    " PRIMARY KEY (sale_id, line))"

#define INV_SALE_TAXES_COLS \
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id)," \
    " line INTEGER NOT NULL," \
    " seq INTEGER NOT NULL," \
    " rate TEXT{TEXT_C} NOT NULL," \
    " account TEXT{TEXT_C} NOT NULL," \
    " amount BIGINT NOT NULL," \
    " returned BIGINT NOT NULL DEFAULT 0," \
    " PRIMARY KEY (sale_id, line, seq))"

#define INV_SALE_PAYMENTS_COLS \
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id)," \
    " seq INTEGER NOT NULL," \
    " method TEXT{TEXT_C} NOT NULL," \
    " amount BIGINT NOT NULL," \
    " PRIMARY KEY (sale_id, seq))"

#define INV_SALE_PRICING_COLS \
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id)," \
    " line INTEGER NOT NULL," \
    " unit TEXT{TEXT_C}," \
    " unit_qty BIGINT NOT NULL," \
    " unit_price BIGINT NOT NULL," \
    " price_list TEXT{TEXT_C}," \
    " price_list_version BIGINT," \
    " discount BIGINT NOT NULL," \
    " promotions TEXT{TEXT_C}," \
    " PRIMARY KEY (sale_id, line))"

#define INV_MOVES_COLS \
    " id {ID}," \
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id)," \
    " kind TEXT{TEXT_C} NOT NULL," \
    " date TEXT{TEXT_C} NOT NULL," \
    " qty BIGINT NOT NULL," \
    " value BIGINT NOT NULL," \
    " reason TEXT{TEXT_C}," \
    " reference TEXT{TEXT_C}," \
    " idem_key TEXT{TEXT_C}," \
    " entry_id BIGINT REFERENCES entries(id)," \
    " actor TEXT{TEXT_C}," \
    " digest TEXT{TEXT_C})"

/* The settings (accounts, payment methods) are rows "inventory.<key>" of the
 * core's settings table since version 12; books made before kept them in
 * inv_settings, which that version moves and drops (inventory_v12). */
const char *const bo__ddl_inventory[] = {
    "CREATE TABLE inv_locations ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " negative_stock INTEGER NOT NULL DEFAULT 0,"
    " inventory_account TEXT{TEXT_C})",

    "CREATE TABLE inv_items ("
    " id {ID},"
    " sku TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " scale INTEGER NOT NULL CHECK (scale BETWEEN 0 AND 6),"
    " method INTEGER NOT NULL CHECK (method IN (1, 2)),"
    " unit TEXT{TEXT_C},"
    " category TEXT{TEXT_C},"
    " tax_category TEXT{TEXT_C},"
    " revenue_account TEXT{TEXT_C},"
    " supplier TEXT{TEXT_C},"
    " negative_stock INTEGER NOT NULL DEFAULT 0,"
    " active INTEGER NOT NULL DEFAULT 1)",

    "CREATE TABLE inv_barcodes ("
    " barcode TEXT{TEXT_C} PRIMARY KEY,"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id))",

    "CREATE TABLE inv_stock ("
    " id {ID},"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " location_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " on_hand BIGINT NOT NULL DEFAULT 0,"
    " reserved BIGINT NOT NULL DEFAULT 0 CHECK (reserved >= 0),"
    " value BIGINT NOT NULL DEFAULT 0,"
    " reorder_point BIGINT,"
    " reorder_qty BIGINT,"
    " UNIQUE (item_id, location_id))",

    "CREATE TABLE inv_layers ("
    " id {ID},"
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " qty BIGINT NOT NULL,"
    " remaining BIGINT NOT NULL CHECK (remaining >= 0),"
    " cost BIGINT NOT NULL CHECK (cost >= 0),"
    /* version 24 (inventory_v24_layer_open) */
    " is_open INTEGER NOT NULL DEFAULT 1 CHECK (is_open = 1 OR remaining = 0))",
    /* The open layers' index (stock_id, id) WHERE remaining > 0 was made
     * here until version 21 (inventory_v21_layers_open); version 15 made
     * the one by date that serves its readers. */

    "CREATE TABLE inv_moves (" INV_MOVES_COLS,
    "CREATE INDEX inv_moves_by_stock ON inv_moves (stock_id, date, id)",
    "CREATE INDEX inv_moves_by_date ON inv_moves (date, id)",
    /* Only the movements of keyed commands (receipts, adjustments ...) have
     * a key; a sale's movements (the sale holds the key) add nothing to it
     * (version 21, inventory_v21_move_keys). */
    "CREATE UNIQUE INDEX inv_moves_by_key ON inv_moves (idem_key)"
    " WHERE idem_key IS NOT NULL",

    "CREATE TABLE inv_transfers ("
    " id {ID},"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " from_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " to_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " qty BIGINT NOT NULL,"
    " value BIGINT NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " arrived TEXT{TEXT_C},"
    " reference TEXT{TEXT_C},"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C})",

    "CREATE TABLE inv_holds ("
    " id {ID},"
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id),"
    " qty BIGINT NOT NULL CHECK (qty > 0),"
    " expires TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " sale_id BIGINT,"
    " digest TEXT{TEXT_C})",
    "CREATE INDEX inv_holds_active ON inv_holds (stock_id, expires) WHERE status = 'active'",

    "CREATE TABLE inv_sales ("
    " id {ID},"
    " date TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " customer TEXT{TEXT_C},"
    " inclusive INTEGER NOT NULL,"
    " total BIGINT NOT NULL,"
    " tax BIGINT NOT NULL,"
    " change_given BIGINT NOT NULL,"
    " entry_id BIGINT REFERENCES entries(id),"
    " actor TEXT{TEXT_C})",

    "CREATE TABLE inv_sale_lines (" INV_SALE_LINES_COLS "{CLUSTERED}",

    "CREATE TABLE inv_sale_taxes (" INV_SALE_TAXES_COLS "{CLUSTERED}",

    "CREATE TABLE inv_sale_payments (" INV_SALE_PAYMENTS_COLS "{CLUSTERED}",

    "CREATE TABLE inv_returns ("
    " id {ID},"
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
    " line INTEGER NOT NULL,"
    " qty BIGINT NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " method TEXT{TEXT_C} NOT NULL,"
    " net BIGINT NOT NULL,"
    " tax BIGINT NOT NULL,"
    " cost BIGINT NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " entry_id BIGINT REFERENCES entries(id),"
    " move_id BIGINT REFERENCES inv_moves(id),"
    " digest TEXT{TEXT_C})",

    "CREATE TABLE inv_pos ("
    " id {ID},"
    " number TEXT{TEXT_C} NOT NULL UNIQUE,"
    " supplier TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE inv_po_lines ("
    " po_id BIGINT NOT NULL REFERENCES inv_pos(id),"
    " line INTEGER NOT NULL,"
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id),"
    " qty BIGINT NOT NULL,"
    " received BIGINT NOT NULL DEFAULT 0,"
    " unit_cost BIGINT NOT NULL,"
    " expected TEXT{TEXT_C} NOT NULL,"
    " PRIMARY KEY (po_id, line))",

    "CREATE TABLE inv_po_receipts ("
    " move_id BIGINT PRIMARY KEY REFERENCES inv_moves(id),"
    " po_id BIGINT NOT NULL REFERENCES inv_pos(id),"
    " line INTEGER NOT NULL,"
    " layer_id BIGINT)",
    "CREATE INDEX inv_po_receipts_by_po ON inv_po_receipts (po_id, move_id)",

    "CREATE TABLE inv_landed ("
    " id {ID},"
    " po_id BIGINT NOT NULL REFERENCES inv_pos(id),"
    " amount BIGINT NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " entry_id BIGINT REFERENCES entries(id),"
    " digest TEXT{TEXT_C})",

    "CREATE TABLE inv_shipments ("
    " id {ID},"
    " sale_id BIGINT NOT NULL REFERENCES inv_sales(id),"
    " carrier TEXT{TEXT_C},"
    " service TEXT{TEXT_C},"
    " tracking TEXT{TEXT_C},"
    " status TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C},"
    " digest TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX inv_shipments_by_key ON inv_shipments (idem_key)",

    "CREATE TABLE inv_shipment_events ("
    " shipment_id BIGINT NOT NULL REFERENCES inv_shipments(id),"
    " seq INTEGER NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " at TEXT{TEXT_C} NOT NULL,"
    " note TEXT{TEXT_C},"
    " PRIMARY KEY (shipment_id, seq))",

    "CREATE TABLE inv_counts ("
    " id {ID},"
    " location_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " idem_key TEXT{TEXT_C},"
    " digest TEXT{TEXT_C},"
    " post_key TEXT{TEXT_C},"
    " post_digest TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX inv_counts_by_key ON inv_counts (idem_key)",
    "CREATE UNIQUE INDEX inv_counts_by_post_key ON inv_counts (post_key)",

    "CREATE TABLE inv_count_lines ("
    " count_id BIGINT NOT NULL REFERENCES inv_counts(id),"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " counted BIGINT NOT NULL,"
    " expected BIGINT,"
    " value BIGINT,"
    " PRIMARY KEY (count_id, item_id))",
    NULL
};

/* Schema version 8: every keyed command keeps its key and the digest of
 * its canonical form (bo__idem_claim). Rows written before have no digest
 * and answer a replay of their key as the same command. New keys: shipments,
 * counts (started, and posted). SQLite adds no UNIQUE column: the keys
 * get unique indexes. This part only upgrades a book whose inventory tables
 * an older release created: the CREATE statements above already end with
 * these columns and indexes, in this order (each ALTER makes SQLite parse
 * the whole schema again, which tripled the cost of creating a book). */
const char *const bo__ddl_inventory_keys[] = {
    "ALTER TABLE inv_moves ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_transfers ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_holds ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_returns ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_landed ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_shipments ADD COLUMN idem_key TEXT{TEXT_C}",
    "ALTER TABLE inv_shipments ADD COLUMN digest TEXT{TEXT_C}",
    "CREATE UNIQUE INDEX inv_shipments_by_key ON inv_shipments (idem_key)",
    "ALTER TABLE inv_counts ADD COLUMN idem_key TEXT{TEXT_C}",
    "ALTER TABLE inv_counts ADD COLUMN digest TEXT{TEXT_C}",
    "ALTER TABLE inv_counts ADD COLUMN post_key TEXT{TEXT_C}",
    "ALTER TABLE inv_counts ADD COLUMN post_digest TEXT{TEXT_C}",
    "CREATE UNIQUE INDEX inv_counts_by_key ON inv_counts (idem_key)",
    "CREATE UNIQUE INDEX inv_counts_by_post_key ON inv_counts (post_key)",
    NULL
};

const bo__table bo__tables_inventory[] = {
    { "inv_locations", "id, code, name, kind, negative_stock, inventory_account",
      "itttit", "id", "id" },
    { "inv_items", "id, sku, name, scale, method, unit, category, tax_category,"
      " revenue_account, supplier, negative_stock, active", "ittiitttttii",
      "id", "id" },
    { "inv_barcodes", "barcode, item_id", "ti", "barcode", NULL },
    { "inv_stock", "id, item_id, location_id, on_hand, reserved, value,"
      " reorder_point, reorder_qty", "iiiiiiii", "id", "id" },
    { "inv_layers", "id, stock_id, date, qty, remaining, cost", "iitiii", "id", "id" },
    { "inv_moves", "id, stock_id, kind, date, qty, value, reason, reference,"
      " idem_key, entry_id, actor, digest", "iittiitttitt", "id", "id" },
    { "inv_transfers", "id, item_id, from_id, to_id, qty, value, date, arrived,"
      " reference, idem_key, digest", "iiiiiittttt", "id", "id" },
    { "inv_holds", "id, stock_id, qty, expires, status, idem_key, sale_id, digest, lot_id",
      "iiitttiti", "id", "id" },
    { "inv_sales", "id, date, memo, idem_key, digest, customer, inclusive, total,"
      " tax, change_given, entry_id, actor", "itttttiiiiit", "id", "id" },
    { "inv_sale_lines", "sale_id, line, stock_id, qty, net, tax, cost,"
      " revenue_account, hold_id, ret_qty, ret_net, ret_cost", "iiiiiiitiiii",
      "sale_id, line", NULL },
    { "inv_sale_taxes", "sale_id, line, seq, rate, account, amount, returned",
      "iiittii", "sale_id, line, seq", NULL },
    { "inv_sale_payments", "sale_id, seq, method, amount", "iiti", "sale_id, seq", NULL },
    { "inv_returns", "id, sale_id, line, qty, date, method, net, tax, cost,"
      " idem_key, entry_id, move_id, digest", "iiiittiiitiit", "id", "id" },
    { "inv_pos", "id, number, supplier, date, status", "itttt", "id", "id" },
    { "inv_po_lines", "po_id, line, stock_id, qty, received, unit_cost, expected, unit,"
      " unit_num, unit_den", "iiiiiittii", "po_id, line", NULL },
    { "inv_po_receipts", "move_id, po_id, line, layer_id", "iiii", "move_id", NULL },
    { "inv_landed", "id, po_id, amount, account, idem_key, entry_id, digest",
      "iiittit", "id", "id" },
    { "inv_shipments", "id, sale_id, carrier, service, tracking, status, idem_key,"
      " digest", "iitttttt", "id", "id" },
    { "inv_shipment_events", "shipment_id, seq, status, at, note", "iittt",
      "shipment_id, seq", NULL },
    { "inv_tracking", "id, shipment_id, carrier, tracking, at, code, status, description",
      "iitttttt", "id", "id" },
    { "inv_counts", "id, location_id, date, status, idem_key, digest, post_key,"
      " post_digest", "iitttttt", "id", "id" },
    { "inv_count_lines", "count_id, item_id, counted, expected, value", "iiiii",
      "count_id, item_id", NULL },
    /* lots and serial numbers (version 15, inventory_v15_lots) */
    { "inv_track", "item_id, mode", "ii", "item_id", NULL },
    { "inv_lots", "id, item_id, code, expiry, best_before", "iittt", "id", "id" },
    { "inv_lot_stock", "lot_id, location_id, on_hand", "iii", "lot_id, location_id", NULL },
    { "inv_lot_moves", "move_id, lot_id, qty, open", "iiii", "move_id, lot_id", NULL },
    { "inv_serials", "id, item_id, serial, status, location_id", "iitti", "id", "id" },
    { "inv_serial_moves", "move_id, serial_id", "ii", "move_id, serial_id", NULL },
    { "inv_units", "item_id, unit, num, den, price", "itiii", "item_id, unit", NULL },
    { "inv_customer_groups", "party, grp", "tt", "party", NULL },
    { "inv_pricelists", "id, code, grp, location_id, date_from, date_to, version",
      "ittitti", "id", "id" },
    { "inv_pricelist_prices", "list_id, item_id, unit, min_qty, price", "iitii",
      "list_id, item_id, unit, min_qty", NULL },
    { "inv_promotions", "id, code, kind, item_id, item2_id, buy_qty, get_qty, value, coupon,"
      " date_from, date_to, version", "ittiiiiittti", "id", "id" },
    { "inv_sale_pricing", "sale_id, line, unit, unit_qty, unit_price, price_list,"
      " price_list_version, discount, promotions", "iitiitiit", "sale_id, line", NULL },
    { "inv_draws", "id, move_id, stock_id, layer_id, head, qty, cost", "iiiiiii", "id", "id" },
    /* till sessions (version 16, inventory_v16_tills) */
    { "inv_tills", "id, cashier, location_id, date, opening_float, status, sale_from,"
      " return_from, sale_to, return_to, close_date, cash_sales, refunds, movements,"
      " expected, counted, difference, entry_id, idem_key, digest, close_key, close_digest",
      "itititiiiitiiiiiiitttt", "id", "id" },
    { "inv_till_moves", "id, till_id, date, amount, account, memo, entry_id, idem_key, digest",
      "iitittitt", "id", "id" },
};
const int bo__ntables_inventory =
    (int)(sizeof bo__tables_inventory / sizeof bo__tables_inventory[0]);

/* Version 10: indexes a full verification needs to read a table in the
 * order of the records that own its rows (src/inventory/verify_inventory.c). */
static const char *const inventory_v10[] = {
    "CREATE INDEX inv_returns_by_sale ON inv_returns (sale_id, id)",
    "CREATE INDEX inv_landed_by_po ON inv_landed (po_id, id)",
    NULL
};

/* Its parts of the schema, by version (src/store/schema.c). */
/* Version 12, for books made before it: the settings move to the core's
 * table as "inventory.<key>" (their audit states are carried over by the
 * seed hook: bo__inv_seed). */
static const char *const inventory_v12[] = {
    "INSERT INTO settings (key, value)"
    " SELECT 'inventory.' || key, value FROM inv_settings",
    "DROP TABLE inv_settings",
    NULL
};

/* Version 13: the carrier's tracking events of shipments, each once by
 * (carrier, number, time, carrier code). */
static const char *const inventory_v13[] = {
    "CREATE TABLE inv_tracking ("
    " id {ID},"
    " shipment_id BIGINT NOT NULL REFERENCES inv_shipments(id),"
    " carrier TEXT{TEXT_C} NOT NULL,"
    " tracking TEXT{TEXT_C} NOT NULL,"
    " at TEXT{TEXT_C} NOT NULL,"
    " code TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " description TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX inv_tracking_once ON inv_tracking (carrier, tracking, at, code)",
    "CREATE INDEX inv_tracking_by_shipment ON inv_tracking (shipment_id, at)",
    NULL
};

/* Version 15, lots and serial numbers (src/inventory/lots.c): which items
 * are tracked and how, the lots of an item with their dates, stock per lot
 * and location (receipts - issues, kept in the movement's transaction), the
 * lots each movement moved (open: what a sale may still take back, or a
 * transfer still has in transit), and each serial with where it is now and
 * the movements that moved it. */
static const char *const inventory_v15_lots[] = {
    "CREATE TABLE inv_track ("
    " item_id BIGINT PRIMARY KEY REFERENCES inv_items(id),"
    " mode INTEGER NOT NULL CHECK (mode IN (1, 2)))",
    "CREATE TABLE inv_lots ("
    " id {ID},"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " code TEXT{TEXT_C} NOT NULL,"
    " expiry TEXT{TEXT_C},"
    " best_before TEXT{TEXT_C},"
    " UNIQUE (item_id, code))",
    "CREATE INDEX inv_lots_by_expiry ON inv_lots (expiry, id)",
    "CREATE TABLE inv_lot_stock ("
    " lot_id BIGINT NOT NULL REFERENCES inv_lots(id),"
    " location_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " on_hand BIGINT NOT NULL CHECK (on_hand >= 0),"
    " PRIMARY KEY (lot_id, location_id))",
    "CREATE TABLE inv_lot_moves ("
    " move_id BIGINT NOT NULL REFERENCES inv_moves(id),"
    " lot_id BIGINT NOT NULL REFERENCES inv_lots(id),"
    " qty BIGINT NOT NULL,"
    " open BIGINT NOT NULL DEFAULT 0 CHECK (open >= 0),"
    " PRIMARY KEY (move_id, lot_id))",
    "CREATE INDEX inv_lot_moves_by_lot ON inv_lot_moves (lot_id, move_id)",
    "CREATE TABLE inv_serials ("
    " id {ID},"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " serial TEXT{TEXT_C} NOT NULL,"
    " status TEXT{TEXT_C} NOT NULL,"
    " location_id BIGINT REFERENCES inv_locations(id),"
    " UNIQUE (item_id, serial))",
    "CREATE TABLE inv_serial_moves ("
    " move_id BIGINT NOT NULL REFERENCES inv_moves(id),"
    " serial_id BIGINT NOT NULL REFERENCES inv_serials(id),"
    " PRIMARY KEY (move_id, serial_id))",
    "CREATE INDEX inv_serial_moves_by_serial ON inv_serial_moves (serial_id, move_id)",
    NULL
};

/* Version 15, units of measure, price lists and promotions (uom.c,
 * pricelists.c): the units an item is bought and sold in, as exact
 * fractions of its stock unit; customer groups; price lists by group, store
 * and dates with their quantity breaks; promotions; and what each sale line
 * was priced by (its unit, list and promotions with their versions). */
static const char *const inventory_v15_pricing[] = {
    "CREATE TABLE inv_units ("
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " unit TEXT{TEXT_C} NOT NULL,"
    " num BIGINT NOT NULL CHECK (num > 0),"
    " den BIGINT NOT NULL CHECK (den > 0),"
    " price BIGINT CHECK (price >= 0),"
    " PRIMARY KEY (item_id, unit))",
    "CREATE TABLE inv_customer_groups ("
    " party TEXT{TEXT_C} PRIMARY KEY,"
    " grp TEXT{TEXT_C} NOT NULL)",
    "CREATE TABLE inv_pricelists ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " grp TEXT{TEXT_C},"
    " location_id BIGINT REFERENCES inv_locations(id),"
    " date_from TEXT{TEXT_C} NOT NULL,"
    " date_to TEXT{TEXT_C} NOT NULL,"
    " version BIGINT NOT NULL)",
    "CREATE TABLE inv_pricelist_prices ("
    " list_id BIGINT NOT NULL REFERENCES inv_pricelists(id),"
    " item_id BIGINT NOT NULL REFERENCES inv_items(id),"
    " unit TEXT{TEXT_C} NOT NULL,"
    " min_qty BIGINT NOT NULL CHECK (min_qty >= 0),"
    " price BIGINT NOT NULL CHECK (price >= 0),"
    " PRIMARY KEY (list_id, item_id, unit, min_qty))",
    "CREATE TABLE inv_promotions ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " item_id BIGINT REFERENCES inv_items(id),"
    " item2_id BIGINT REFERENCES inv_items(id),"
    " buy_qty BIGINT NOT NULL,"
    " get_qty BIGINT NOT NULL,"
    " value BIGINT NOT NULL,"
    " coupon TEXT{TEXT_C},"
    " date_from TEXT{TEXT_C} NOT NULL,"
    " date_to TEXT{TEXT_C} NOT NULL,"
    " version BIGINT NOT NULL)",
    "CREATE TABLE inv_sale_pricing (" INV_SALE_PRICING_COLS "{CLUSTERED}",
    NULL
};

/* Version 15, backdated movements: which FIFO layers each movement drew
 * from or filled (signed quantity and cost: a movement's rows sum to its
 * quantity and value; layer 0 is the part no layer covered, a shortage or
 * the units that settled one), so a movement dated before later ones can
 * undo and redraw only those (src/inventory/revalue.c). Rows of a movement
 * not yet logged have move_id 0 and the first row of each call head = 1.
 * Layers are consumed in date order. */
static const char *const inventory_v15_draws[] = {
    "CREATE TABLE inv_draws ("
    " id {ID},"
    " move_id BIGINT NOT NULL,"
    " stock_id BIGINT NOT NULL REFERENCES inv_stock(id),"
    " layer_id BIGINT NOT NULL,"
    " head INTEGER NOT NULL,"
    " qty BIGINT NOT NULL,"
    " cost BIGINT NOT NULL)",
    "CREATE INDEX inv_draws_by_move ON inv_draws (move_id, id)",
    /* inv_layers_open (stock_id, id) stayed for the newest open layer,
     * which prices a gain without a cost (stock.c), until version 21. */
    "CREATE INDEX inv_layers_open_by_date ON inv_layers (stock_id, date, id) WHERE remaining > 0",
    NULL
};

/* Version 16, purchase order lines in a unit of measure (purchasing.c):
 * the line's unit and its factor num/den of the stock unit as it was when
 * the line was written (the order keeps its terms if the unit changes);
 * qty, received and unit_cost are in that unit. NULL unit, 1/1: the stock
 * unit, as every line written before. */
static const char *const inventory_v16_po_units[] = {
    "ALTER TABLE inv_po_lines ADD COLUMN unit TEXT{TEXT_C}",
    "ALTER TABLE inv_po_lines ADD COLUMN unit_num BIGINT NOT NULL DEFAULT 1",
    "ALTER TABLE inv_po_lines ADD COLUMN unit_den BIGINT NOT NULL DEFAULT 1",
    NULL
};

/* Version 16, till sessions (src/inventory/tills.c): a session per cashier
 * and store (at most one open), the id windows of the sales and returns it
 * counts in, the figures of its close and the over/short entry; and its
 * cash movements with their entries. */
static const char *const inventory_v16_tills[] = {
    "CREATE TABLE inv_tills ("
    " id {ID},"
    " cashier TEXT{TEXT_C} NOT NULL,"
    " location_id BIGINT NOT NULL REFERENCES inv_locations(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " opening_float BIGINT NOT NULL CHECK (opening_float >= 0),"
    " status TEXT{TEXT_C} NOT NULL,"
    " sale_from BIGINT NOT NULL,"
    " return_from BIGINT NOT NULL,"
    " sale_to BIGINT,"
    " return_to BIGINT,"
    " close_date TEXT{TEXT_C},"
    " cash_sales BIGINT,"
    " refunds BIGINT,"
    " movements BIGINT,"
    " expected BIGINT,"
    " counted BIGINT,"
    " difference BIGINT,"
    " entry_id BIGINT REFERENCES entries(id),"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C},"
    " close_key TEXT{TEXT_C} UNIQUE,"
    " close_digest TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX inv_tills_one_open ON inv_tills (cashier, location_id)"
    " WHERE status = 'open'",
    "CREATE INDEX inv_tills_by_date ON inv_tills (date, id)",
    "CREATE TABLE inv_till_moves ("
    " id {ID},"
    " till_id BIGINT NOT NULL REFERENCES inv_tills(id),"
    " date TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C},"
    " entry_id BIGINT REFERENCES entries(id),"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C})",
    "CREATE INDEX inv_till_moves_by_till ON inv_till_moves (till_id, id)",
    NULL
};

/* Version 17, backdating by lookup (revalue.c): the movements of one sale
 * at a row are found by their reference, a return by its movement, so a
 * backdated movement reads what follows it and not the whole book. */
static const char *const inventory_v17_backdate_lookup[] = {
    "CREATE INDEX inv_moves_by_reference ON inv_moves (reference, stock_id, id)",
    "CREATE INDEX inv_returns_by_move ON inv_returns (move_id)",
    NULL
};

/* Version 17, holds of a lot (holds.c): the lot a hold reserves, NULL for
 * a hold of the row. No foreign key: an import writes inv_holds before
 * inv_lots (the order of the table list), and holds.c writes only lots it
 * read. */
static const char *const inventory_v17_hold_lots[] = {
    "ALTER TABLE inv_holds ADD COLUMN lot_id BIGINT",
    "CREATE INDEX inv_holds_by_lot ON inv_holds (lot_id) WHERE lot_id IS NOT NULL",
    NULL
};

/* Version 17: sales and returns by date, for the readers of a period (the
 * reports' metrics, src/reports/metrics.c): a seek to the period's first
 * day, where they read every sale of the book before; and the audit records
 * of a sale and of a return by their object, one seek each for the readers
 * of a sale's or a return's own record (the metrics, the till sessions).
 * Those two are partial indexes of the core's audit_log: a record of any
 * other kind (every ledger entry) adds nothing to them. */
static const char *const inventory_v17_by_date[] = {
    "CREATE INDEX inv_sales_by_date ON inv_sales (date, id)",
    "CREATE INDEX inv_returns_by_date ON inv_returns (date, id)",
    "CREATE INDEX audit_log_sale_records ON audit_log (object, seq)"
    " WHERE action = 'inventory.sale.post'",
    "CREATE INDEX audit_log_return_records ON audit_log (object, seq)"
    " WHERE action = 'inventory.stock.return'",
    NULL
};

/* Version 21, on SQLite: a sale's lines, tax lines, payments and pricing
 * are stored by their key (WITHOUT ROWID, as the postings), not in a rowid
 * table beside an index of the key: a sale wrote a page of each table and a
 * page of each key index, one WAL frame a table less now (docs/
 * performance.md, "A sale's pages"). Every reader finds their rows by the
 * key (sale, line); none reads their rowid. New books make them so with
 * version 3 (and 15, the pricing); an older book's rows are copied.
 * PostgreSQL's tables are a heap and the key's index there either
 * way: nothing changes. */
#define INV_V21_REBUILD(t, cols, ddl) \
    "{SQLITE}CREATE TABLE " t "_v21 (" ddl "{CLUSTERED}", \
    "{SQLITE}INSERT INTO " t "_v21 (" cols ") SELECT " cols " FROM " t, \
    "{SQLITE}DROP TABLE " t, \
    "{SQLITE}ALTER TABLE " t "_v21 RENAME TO " t
static const char *const inventory_v21_sale_rows[] = {
    INV_V21_REBUILD("inv_sale_lines", "sale_id, line, stock_id, qty, net, tax, cost,"
                    " revenue_account, hold_id, ret_qty, ret_net, ret_cost",
                    INV_SALE_LINES_COLS),
    INV_V21_REBUILD("inv_sale_taxes", "sale_id, line, seq, rate, account, amount, returned",
                    INV_SALE_TAXES_COLS),
    INV_V21_REBUILD("inv_sale_payments", "sale_id, seq, method, amount",
                    INV_SALE_PAYMENTS_COLS),
    NULL
};
/* Version 21, on SQLite: the movements' key index holds only the keys.
 * The column was UNIQUE, and that index held an entry for every movement,
 * NULL for a sale's (its key is the sale's): a leaf page a sale. The
 * partial unique index serves the one reader, the key's look-up
 * (move_log.c, idem_key = ?), and refuses a key twice as before. SQLite
 * cannot drop a column's UNIQUE: the table is copied, every row with its
 * id, and its indexes made again. (PostgreSQL keeps an older book's
 * constraint; a new book there has the partial index too.) */
static const char *const inventory_v21_move_keys[] = {
    "{SQLITE}CREATE TABLE inv_moves_v21 (" INV_MOVES_COLS,
    "{SQLITE}INSERT INTO inv_moves_v21 (id, stock_id, kind, date, qty, value, reason,"
    " reference, idem_key, entry_id, actor, digest) SELECT id, stock_id, kind, date, qty,"
    " value, reason, reference, idem_key, entry_id, actor, digest FROM inv_moves ORDER BY id",
    "{SQLITE}DROP TABLE inv_moves",
    "{SQLITE}ALTER TABLE inv_moves_v21 RENAME TO inv_moves",
    "{SQLITE}CREATE INDEX inv_moves_by_stock ON inv_moves (stock_id, date, id)",
    "{SQLITE}CREATE INDEX inv_moves_by_date ON inv_moves (date, id)",
    "{SQLITE}CREATE UNIQUE INDEX inv_moves_by_key ON inv_moves (idem_key)"
    " WHERE idem_key IS NOT NULL",
    "{SQLITE}CREATE INDEX inv_moves_by_reference ON inv_moves (reference, stock_id, id)",
    NULL
};

/* Version 21: the open layers by id (stock_id, id) WHERE remaining > 0
 * dropped. Every issue updates its layer's remaining, which is in the
 * index's WHERE: SQLite wrote the layer's entry again in each of the two
 * partial indexes (a leaf page each a sale), PostgreSQL can make no HOT
 * update of the row. Its one reader, the newest open layer of a row
 * (stock.c, a gain without a cost), reads the open layers of the row by
 * date instead (inv_layers_open_by_date, version 15), the same row: a row
 * has few open layers, and FIFO issues read them through that index
 * already. A book made before version 3 never had it. */
static const char *const inventory_v21_layers_open[] = {
    "DROP INDEX IF EXISTS inv_layers_open",
    NULL
};

/* The same for the pricing of a book made at version 15 or later (its
 * table is made by version 15, in the new shape for a book made before). */
static const char *const inventory_v21_sale_pricing[] = {
    INV_V21_REBUILD("inv_sale_pricing", "sale_id, line, unit, unit_qty, unit_price,"
                    " price_list, price_list_version, discount, promotions",
                    INV_SALE_PRICING_COLS),
    NULL
};

/* Version 24: the open layers' index keyed on a flag that changes only
 * when a layer closes (docs/performance.md, "The open layers' index
 * written only when a layer closes"). inv_layers_open_by_date was partial
 * on remaining > 0, and every FIFO issue updates remaining: SQLite
 * deleted and wrote again the layer's entry at each issue (a leaf page a
 * sale), PostgreSQL could make no HOT update. is_open is 1 while the layer
 * may hold stock; an issue that empties the layer sets it to 0, a
 * revaluation sets it from the remaining it writes. The CHECK keeps it from
 * hiding a layer that holds stock (is_open = 0 needs remaining = 0); a layer
 * read in by an import or a copy starts open and is closed when the table is
 * done (src/book/walk.c). The readers ask for is_open = 1 AND remaining > 0,
 * so a layer left open with nothing in it is only read past. Not part of a
 * layer's state (the verification's columns are the table list's). */
static const char *const inventory_v24_layer_open[] = {
    "ALTER TABLE inv_layers ADD COLUMN"
    " is_open INTEGER NOT NULL DEFAULT 1 CHECK (is_open = 1 OR remaining = 0)",
    "UPDATE inv_layers SET is_open = 0 WHERE remaining = 0",
    NULL
};
static const char *const inventory_v24_open_index[] = {
    "DROP INDEX IF EXISTS inv_layers_open_by_date",
    "CREATE INDEX inv_layers_open_by_date ON inv_layers (stock_id, date, id)"
    " WHERE is_open = 1",
    NULL
};

const bo__schema_part bo__parts_inventory[] = {
    { 3, bo__ddl_inventory, 0, NULL },
    { 8, bo__ddl_inventory_keys, 3, NULL }, /* keys and digests of keyed commands */
    { 10, inventory_v10, 0, NULL },
    { 12, inventory_v12, 3, NULL }, /* inv_settings into the settings table */
    { 13, inventory_v13, 0, NULL }, /* tracking events */
    { 15, inventory_v15_lots, 0, NULL }, /* lots and serial numbers */
    { 15, inventory_v15_pricing, 0, NULL }, /* units, price lists, promotions */
    { 15, inventory_v15_draws, 0, NULL }, /* backdating: layer draws */
    { 16, inventory_v16_po_units, 0, NULL }, /* purchase order lines in a unit */
    { 16, inventory_v16_tills, 0, NULL }, /* till sessions */
    { 17, inventory_v17_backdate_lookup, 0, NULL }, /* backdating by lookup */
    { 17, inventory_v17_hold_lots, 0, NULL }, /* holds of a lot */
    { 17, inventory_v17_by_date, 0, NULL }, /* sales and returns by date */
    { 21, inventory_v21_sale_rows, 3, NULL }, /* a new book makes them so at 3 */
    { 21, inventory_v21_sale_pricing, 15, NULL }, /* and the pricing at 15 */
    { 21, inventory_v21_move_keys, 3, NULL }, /* the movements' key index, at 3 */
    { 21, inventory_v21_layers_open, 3, NULL }, /* the open layers by id dropped */
    { 24, inventory_v24_layer_open, 3, NULL }, /* a new book makes it so at 3 */
    { 24, inventory_v24_open_index, 0, NULL }, /* the open layers by the flag */
    { 0, NULL, 0, NULL },
};
