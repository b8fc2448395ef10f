/* The inventory domain (backoffice/inventory.h) in Python and Lua: methods
 * on Book named without "bo_" (bo_inventory_receive -> Book.inv_receive), a Sale
 * class for the sale builder, and module functions for quantities. Output
 * arguments become return values (ids, quantities, cursors). Included by
 * backoffice.i after the Book, Entry and Cursor classes. */
%rename("$ignore", regextarget=1) "^bo_inventory_";
%rename("$ignore", regextarget=1) "^bo_sale_";
/* GS1: module functions written below (their text outputs need more room). */
%rename("$ignore", regextarget=1) "^bo_gs1_";
%ignore BO_GS1_VARIABLE_LAYOUT;
%rename(Sale) bo_sale;
/* Options structs stay in C: methods take their members as arguments. */
%ignore BO_INVENTORY_MOVE_OPTIONS_INIT;
%ignore BO_INVENTORY_MOVE_OPTIONS_VERSION;
%ignore BO_INVENTORY_RETURN_OPTIONS_INIT;
%ignore BO_INVENTORY_RETURN_OPTIONS_VERSION;
%ignore BO_INVENTORY_PO_LINE_OPTIONS_INIT;
%ignore BO_INVENTORY_PO_LINE_OPTIONS_VERSION;
%ignore BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
%ignore BO_INVENTORY_SHIPMENT_OPTIONS_VERSION;
%ignore BO_INVENTORY_COUNT_OPTIONS_INIT;
%ignore BO_INVENTORY_COUNT_OPTIONS_VERSION;
%ignore BO_INVENTORY_ITEM_CHANGES_INIT;
%ignore BO_INVENTORY_ITEM_CHANGES_VERSION;
%ignore BO_INVENTORY_LOCATION_CHANGES_INIT;
%ignore BO_INVENTORY_LOCATION_CHANGES_VERSION;
%ignore BO_INVENTORY_TRACKING_EVENT_INIT;
%ignore BO_INVENTORY_TRACKING_EVENT_VERSION;
%ignore BO_INVENTORY_PROMOTION_INIT;
%ignore BO_INVENTORY_PROMOTION_VERSION;
%ignore bo_inventory_promotion;
%include "backoffice/inventory.h"

#ifdef SWIGLUA
%{
/* The changes of a Lua table (see bo_lua_changes). */
static int bo_lua_item_changes(lua_State *L, int idx, const char *fn, bo_inventory_item_changes *ch)
{
#define M(m, k) { #m, offsetof(bo_inventory_item_changes, m), k }
    static const bo_lua_member members[] = {
        M(name, 's'), M(unit, 's'), M(category, 's'), M(tax_category, 's'),
        M(revenue_account, 's'), M(supplier, 's'), M(negative_stock, 'f'), M(active, 'f'),
    };
#undef M
    bo_inventory_item_changes_init(ch, BO_INVENTORY_ITEM_CHANGES_VERSION);
    return bo_lua_changes(L, idx, fn, ch, members, sizeof members / sizeof members[0]);
}
%}
%{
/* The changes of a Lua table (see bo_lua_changes). */
static int bo_lua_location_changes(lua_State *L, int idx, const char *fn, bo_inventory_location_changes *ch)
{
#define M(m, k) { #m, offsetof(bo_inventory_location_changes, m), k }
    static const bo_lua_member members[] = {
        M(name, 's'), M(negative_stock, 'f'), M(inventory_account, 's'),
    };
#undef M
    bo_inventory_location_changes_init(ch, BO_INVENTORY_LOCATION_CHANGES_VERSION);
    return bo_lua_changes(L, idx, fn, ch, members, sizeof members / sizeof members[0]);
}
%}
/* Its typemap is in backoffice.i, before the Book class. */
#endif

/* A Sale handle made by its constructor: raise when NULL; a freed one
 * raises StateError. */
#ifdef SWIGPYTHON
%typemap(out) bo_sale *, struct bo_sale * {
    if (!$1) {
        bo_py_raise_last(bo_swig_rc ? bo_swig_rc : BO_ERROR);
        SWIG_fail;
    }
    $result = SWIG_NewPointerObj(SWIG_as_voidptr($1), $descriptor, $owner | %newpointer_flags);
}
%typemap(check) struct bo_sale *self, const bo_sale *sale {
    if (!$1) {
        bo_py_raise(BO_EINVAL, "sale: None or a closed Sale");
        SWIG_fail;
    }
}
#endif
#ifdef SWIGLUA
%typemap(out) bo_sale *, struct bo_sale * {
    if (!$1) {
        bo_lua_push_error(L, bo_swig_rc ? bo_swig_rc : BO_ERROR, bo_error_message());
        SWIG_fail;
    }
    SWIG_NewPointerObj(L, $1, $descriptor, $owner);
    SWIG_arg++;
}
%typemap(check) struct bo_sale *self, const bo_sale *sale {
    if (!$1) {
        bo_lua_push_error(L, BO_EINVAL, "sale: nil or a closed Sale");
        SWIG_fail;
    }
}
#endif

%apply int BO_VALUE { int line_count };

%feature("docstring", "A sale being built: Sale(date, memo=None); add lines and
payments, then book.inv_sale_post(sale).") bo_sale;

struct bo_sale {};

%extend bo_sale {
    bo_sale(bo_date date, const char *memo = NULL) {
        bo_sale *sale = NULL;
        bo_swig_rc = bo_sale_new(&sale, date, memo);
        return sale;
    }
    ~bo_sale() {
        bo_sale_free(self);
    }
    /* No bodies: SWIG calls bo_sale_<method>(self, ...) directly. */
    int set_key(const char *key);
    int set_inclusive(int inclusive);
    int set_customer(const char *party);
    int line(const char *sku, const char *location, int64_t qty, int64_t unit_price,
             int64_t discount = 0);
    int line_hold(int64_t hold_id, int64_t unit_price, int64_t discount = 0);
    int payment(const char *method, int64_t amount);
    int line_count();
    /* unit None/nil: the stock unit; unit_price SALE_PRICE_AUTO: the lists'. */
    int line_unit(const char *sku, const char *location, int64_t qty, const char *unit = NULL,
                  int64_t unit_price = BO_SALE_PRICE_AUTO, int64_t discount = 0);
    int set_coupon(const char *code);
#ifdef SWIGPYTHON
%pythoncode %{
    def close(self):
        """Release the builder now. Idempotent."""
        _backoffice._release(self)
%}
/* Its typemap is in backoffice.i, before the Book class. */
#endif
}

%inline %{
/* Parse "1.250" at scale decimals into the item's smallest unit. */
static int inv_qty_parse(int64_t *out, const char *text, int scale) {
    return bo_inventory_qty_parse(text, scale, out);
}
/* Format a quantity at scale decimals ("1.250"). */
static int inv_qty_format(char *buf, size_t size, int64_t qty, int scale) {
    return bo_inventory_qty_format(qty, scale, buf, size);
}
%}

%extend bo_book {
    /* value None/nil removes the setting. */
    int inv_setting_set(const char *key, const char *value = NULL) {
        return bo_inventory_setting_set(self, key, value);
    }
    int inv_settings(bo_cursor **out) {
        return bo_inventory_settings(self, out);
    }
    int inv_location_add(const char *code, const char *name, const char *kind = "store",
                         int negative_stock = 0) {
        return bo_inventory_location_add(self, code, name, kind, negative_stock);
    }
#ifdef SWIGLUA
    /* Lua: the changes as a table, b.inventory:location_update("S1", {name = "x"}). */
    int inv_location_update(const char *code, const bo_inventory_location_changes *changes) {
        return bo_inventory_location_update(self, code, changes);
    }
#else
    /* Python: the members of bo_inventory_location_changes as keyword
     * arguments; one left out is unchanged. */
    int inv_location_update(const char *code, const char *name = NULL,
                            int negative_stock = BO_UNCHANGED,
                            const char *inventory_account = NULL) {
        bo_inventory_location_changes ch;
        int rc = bo_inventory_location_changes_init(&ch, BO_INVENTORY_LOCATION_CHANGES_VERSION);
        if (rc)
            return rc;
        ch.name = name;
        ch.negative_stock = negative_stock;
        ch.inventory_account = inventory_account;
        return bo_inventory_location_update(self, code, &ch);
    }
#endif
    int inv_locations(bo_cursor **out) {
        return bo_inventory_locations(self, out);
    }
    int inv_item_add(const char *sku, const char *name, int scale = 0,
                     int method = BO_INVENTORY_FIFO, const char *tax_category = NULL) {
        return bo_inventory_item_add(self, sku, name, scale, method, tax_category);
    }
#ifdef SWIGLUA
    /* Lua: the changes as a table, b.inventory:item_update("A", {unit = "kg"}). */
    int inv_item_update(const char *sku, const bo_inventory_item_changes *changes) {
        return bo_inventory_item_update(self, sku, changes);
    }
#else
    /* Python: the members of bo_inventory_item_changes as keyword arguments;
     * one left out is unchanged, "" clears an optional text field. */
    int inv_item_update(const char *sku, const char *name = NULL, const char *unit = NULL,
                        const char *category = NULL, const char *tax_category = NULL,
                        const char *revenue_account = NULL, const char *supplier = NULL,
                        int negative_stock = BO_UNCHANGED, int active = BO_UNCHANGED) {
        bo_inventory_item_changes ch;
        int rc = bo_inventory_item_changes_init(&ch, BO_INVENTORY_ITEM_CHANGES_VERSION);
        if (rc)
            return rc;
        ch.name = name;
        ch.unit = unit;
        ch.category = category;
        ch.tax_category = tax_category;
        ch.revenue_account = revenue_account;
        ch.supplier = supplier;
        ch.negative_stock = negative_stock;
        ch.active = active;
        return bo_inventory_item_update(self, sku, &ch);
    }
#endif
    int inv_item_barcode_add(const char *sku, const char *barcode) {
        return bo_inventory_item_barcode_add(self, sku, barcode);
    }
    int inv_item_get(bo_cursor **out, const char *sku_or_barcode) {
        return bo_inventory_item_get(self, sku_or_barcode, out);
    }
    int inv_items(bo_cursor **out) {
        return bo_inventory_items(self, out);
    }
    /* Returns the movement's id. */
    int inv_receive(int64_t *id, const char *sku, const char *location, int64_t qty,
                    int64_t cost, bo_date date, const char *reference = NULL,
                    const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.cost = cost;
        o.date = date;
        o.reference = reference;
        o.key = key;
        return bo_inventory_receive(self, &o, id);
    }
    int inv_issue(int64_t *id, const char *sku, const char *location, int64_t qty,
                  bo_date date, const char *reason, const char *reference = NULL,
                  const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.date = date;
        o.reason = reason;
        o.reference = reference;
        o.key = key;
        return bo_inventory_issue(self, &o, id);
    }
    int inv_transfer(int64_t *id, const char *sku, const char *from, const char *to,
                     int64_t qty, bo_date date, int in_transit = 0,
                     const char *reference = NULL, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = from;
        o.to = to;
        o.qty = qty;
        o.date = date;
        o.in_transit = in_transit;
        o.reference = reference;
        o.key = key;
        return bo_inventory_transfer(self, &o, id);
    }
    int inv_transfer_arrive(int64_t transfer_id, bo_date date) {
        return bo_inventory_transfer_arrive(self, transfer_id, date);
    }
    int inv_adjust(int64_t *id, const char *sku, const char *location, int64_t delta,
                   int64_t cost, bo_date date, const char *reason, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = delta;
        o.cost = cost;
        o.date = date;
        o.reason = reason;
        o.key = key;
        return bo_inventory_adjust(self, &o, id);
    }
    int inv_stock(int64_t *out, const char *sku, const char *location) {
        return bo_inventory_stock(self, sku, location, out);
    }
    int inv_available(int64_t *out, const char *sku, const char *location) {
        return bo_inventory_available(self, sku, location, out);
    }
    int inv_stock_list(bo_cursor **out, const char *sku = NULL, const char *location = NULL) {
        return bo_inventory_stock_list(self, sku, location, out);
    }
    /* Every item, location and date unless told. */
    int inv_history(bo_cursor **out, const char *sku = NULL, const char *location = NULL,
                    bo_opt_date from = BO_DATE_MIN, bo_opt_date to = BO_DATE_MAX) {
        return bo_inventory_history(self, sku, location, from, to, out);
    }
    int inv_value(int64_t *out, const char *sku, const char *location) {
        return bo_inventory_value(self, sku, location, out);
    }
    int inv_valuation(bo_cursor **out) {
        return bo_inventory_valuation(self, out);
    }
    int inv_layers(bo_cursor **out, const char *sku, const char *location) {
        return bo_inventory_layers(self, sku, location, out);
    }
    /* Returns the hold's id. */
    int inv_hold(int64_t *id, const char *sku, const char *location, int64_t qty,
                 const char *expires, const char *key = NULL) {
        return bo_inventory_hold(self, sku, location, qty, expires, key, id);
    }
    int inv_hold_release(int64_t hold_id) {
        return bo_inventory_hold_release(self, hold_id);
    }
    /* Returns how many holds expired. */
    int inv_holds_expire(int64_t *count) {
        return bo_inventory_holds_expire(self, count);
    }
    int inv_holds(bo_cursor **out, const char *sku = NULL) {
        return bo_inventory_holds(self, sku, out);
    }
    /* Returns the sale's id (the first sale's for a replayed key). */
    int inv_sale_post(int64_t *id, const bo_sale *sale) {
        return bo_inventory_sale_post(self, sale, id);
    }
    int inv_sale_lines(bo_cursor **out, int64_t sale_id) {
        return bo_inventory_sale_lines(self, sale_id, out);
    }
    int inv_return(int64_t *id, int64_t sale_id, int line, int64_t qty, bo_date date,
                   const char *method, const char *key = NULL) {
        bo_inventory_return_options o;
        int rc = bo_inventory_return_options_init(&o, BO_INVENTORY_RETURN_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sale_id = sale_id;
        o.line = line;
        o.qty = qty;
        o.date = date;
        o.method = method;
        o.key = key;
        return bo_inventory_return(self, &o, id);
    }
    int inv_po_add(int64_t *id, const char *number, const char *supplier, bo_date date) {
        return bo_inventory_po_add(self, number, supplier, date, id);
    }
    /* Returns the line number. */
    int inv_po_line(int *line, int64_t po_id, const char *sku, const char *location,
                    int64_t qty, int64_t unit_cost, bo_date expected) {
        bo_inventory_po_line_options o;
        int rc = bo_inventory_po_line_options_init(&o, BO_INVENTORY_PO_LINE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.po_id = po_id;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.unit_cost = unit_cost;
        o.expected = expected;
        return bo_inventory_po_line(self, &o, line);
    }
    int inv_po_receive(int64_t *id, int64_t po_id, int line, int64_t qty, bo_date date,
                       const char *key = NULL) {
        return bo_inventory_po_receive(self, po_id, line, qty, date, key, id);
    }
    int inv_landed_cost(int64_t *id, int64_t po_id, int64_t amount, const char *account,
                        bo_date date, const char *key = NULL) {
        return bo_inventory_landed_cost(self, po_id, amount, account, date, key, id);
    }
    int inv_po_lines(bo_cursor **out, int64_t po_id) {
        return bo_inventory_po_lines(self, po_id, out);
    }
    int inv_reorder_set(const char *sku, const char *location, int64_t point, int64_t qty) {
        return bo_inventory_reorder_set(self, sku, location, point, qty);
    }
    int inv_reorder_suggest(bo_cursor **out) {
        return bo_inventory_reorder_suggest(self, out);
    }
    int inv_stock_row(bo_cursor **out, int64_t stock_id) {
        return bo_inventory_stock_row(self, stock_id, out);
    }
    /* key: the idempotency key a shipment requires (without one the call
     * refuses, naming the key). */
    int inv_shipment_add(int64_t *id, int64_t sale_id, const char *carrier = NULL,
                         const char *service = NULL, const char *tracking = NULL,
                         const char *key = NULL) {
        bo_inventory_shipment_options opts;
        int rc;
        if ((rc = bo_inventory_shipment_options_init(&opts, BO_INVENTORY_SHIPMENT_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_inventory_shipment_add(self, sale_id, carrier, service, tracking, &opts, id);
    }
    int inv_shipment_status(int64_t shipment_id, const char *status,
                            const char *note = NULL) {
        return bo_inventory_shipment_status(self, shipment_id, status, note);
    }
    int inv_shipment_history(bo_cursor **out, int64_t shipment_id) {
        return bo_inventory_shipment_history(self, shipment_id, out);
    }
    /* A carrier's tracking event; returns 1 when new, 0 for a duplicate. */
    int inv_shipment_track(int *recorded, const char *carrier, const char *tracking,
                           const char *at, const char *code, const char *status,
                           const char *description = NULL) {
        bo_inventory_tracking_event ev;
        int rc;
        if ((rc = bo_inventory_tracking_event_init(&ev, BO_INVENTORY_TRACKING_EVENT_VERSION)))
            return rc;
        ev.carrier = carrier;
        ev.tracking = tracking;
        ev.at = at;
        ev.code = code;
        ev.status = status;
        ev.description = description;
        return bo_inventory_shipment_track(self, &ev, recorded);
    }
    int inv_shipment_tracking(bo_cursor **out, int64_t shipment_id) {
        return bo_inventory_shipment_tracking(self, shipment_id, out);
    }
    /* key: the idempotency key a count's start and posting require. */
    int inv_count_start(int64_t *id, const char *location, bo_date date,
                        const char *key = NULL) {
        bo_inventory_count_options opts;
        int rc;
        if ((rc = bo_inventory_count_options_init(&opts, BO_INVENTORY_COUNT_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_inventory_count_start(self, location, date, &opts, id);
    }
    int inv_count_set(int64_t count_id, const char *sku, int64_t qty) {
        return bo_inventory_count_set(self, count_id, sku, qty);
    }
    int inv_count_post(int64_t count_id, const char *key = NULL) {
        bo_inventory_count_options opts;
        int rc;
        if ((rc = bo_inventory_count_options_init(&opts, BO_INVENTORY_COUNT_OPTIONS_VERSION)))
            return rc;
        opts.key = key;
        return bo_inventory_count_post(self, count_id, &opts);
    }
    int inv_count_lines(bo_cursor **out, int64_t count_id) {
        return bo_inventory_count_lines(self, count_id, out);
    }
    /* ---- lots, expiry and serial numbers ---- */
    int inv_track_set(const char *sku, int mode) {
        return bo_inventory_track_set(self, sku, mode);
    }
    int inv_track_get(int *mode, const char *sku) {
        return bo_inventory_track_get(self, sku, mode);
    }
    /* picks: "L1", "L1:5,L2:3" or "SN1,SN2"; dates "YYYY-MM-DD" or None. */
    int inv_receive_picked(int64_t *id, const char *sku, const char *location, int64_t qty,
                           int64_t cost, bo_date date, const char *picks,
                           const char *expiry = NULL, const char *best_before = NULL,
                           const char *reference = NULL, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.cost = cost;
        o.date = date;
        o.reference = reference;
        o.key = key;
        return bo_inventory_receive_picked(self, &o, picks, expiry, best_before, id);
    }
    /* picks None: first expired first out. */
    int inv_issue_picked(int64_t *id, const char *sku, const char *location, int64_t qty,
                         bo_date date, const char *reason, const char *picks = NULL,
                         const char *reference = NULL, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.date = date;
        o.reason = reason;
        o.reference = reference;
        o.key = key;
        return bo_inventory_issue_picked(self, &o, picks, id);
    }
    int inv_transfer_picked(int64_t *id, const char *sku, const char *from, const char *to,
                            int64_t qty, bo_date date, const char *picks = NULL,
                            int in_transit = 0, const char *reference = NULL,
                            const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = from;
        o.to = to;
        o.qty = qty;
        o.date = date;
        o.in_transit = in_transit;
        o.reference = reference;
        o.key = key;
        return bo_inventory_transfer_picked(self, &o, picks, id);
    }
    int inv_adjust_picked(int64_t *id, const char *sku, const char *location, int64_t delta,
                          int64_t cost, bo_date date, const char *reason,
                          const char *picks = NULL, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = delta;
        o.cost = cost;
        o.date = date;
        o.reason = reason;
        o.key = key;
        return bo_inventory_adjust_picked(self, &o, picks, id);
    }
    /* picks per line: "1=L1:5,L2:3;2=SN7", or None. */
    int inv_sale_post_picked(int64_t *id, const bo_sale *sale, const char *picks = NULL) {
        return bo_inventory_sale_post_picked(self, sale, picks, id);
    }
    int inv_lot_stock(int64_t *on_hand, const char *sku, const char *lot,
                      const char *location) {
        return bo_inventory_lot_stock(self, sku, lot, location, on_hand);
    }
    int inv_lots(bo_cursor **out, const char *sku) {
        return bo_inventory_lots(self, sku, out);
    }
    int inv_expiring(bo_cursor **out, bo_date date, int days) {
        return bo_inventory_expiring(self, date, days, out);
    }
    int inv_expiring_value(int64_t *value, bo_date date, int days) {
        return bo_inventory_expiring_value(self, date, days, value);
    }
    int inv_lot_recall(bo_cursor **out, const char *sku, const char *lot) {
        return bo_inventory_lot_recall(self, sku, lot, out);
    }
    int inv_serials(bo_cursor **out, const char *sku) {
        return bo_inventory_serials(self, sku, out);
    }
    int inv_serial_history(bo_cursor **out, const char *sku, const char *serial) {
        return bo_inventory_serial_history(self, sku, serial, out);
    }
    /* Units of measure, price lists and promotions. price -1: none. */
    int inv_unit_set(const char *sku, const char *unit, int64_t num, int64_t den,
                     int64_t price = -1) {
        return bo_inventory_unit_set(self, sku, unit, num, den, price);
    }
    /* Returns qty (at the item's scale) converted exactly; None/nil: the
     * stock unit. */
    int inv_unit_convert(int64_t *out, const char *sku, const char *from, const char *to,
                         int64_t qty) {
        return bo_inventory_unit_convert(self, sku, from, to, qty, out);
    }
    /* qty in unit (None/nil: the stock unit); returns the movement's id. */
    int inv_receive_unit(int64_t *id, const char *sku, const char *location, int64_t qty,
                         const char *unit, int64_t cost, bo_date date,
                         const char *reference = NULL, const char *key = NULL) {
        bo_inventory_move_options o;
        int rc = bo_inventory_move_options_init(&o, BO_INVENTORY_MOVE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.cost = cost;
        o.date = date;
        o.reference = reference;
        o.key = key;
        return bo_inventory_receive_unit(self, &o, unit, id);
    }
    /* qty in unit (None/nil: the stock unit), unit_cost per unit; returns the line. */
    int inv_po_line_unit(int *line, int64_t po_id, const char *sku, const char *location,
                         int64_t qty, const char *unit, int64_t unit_cost, bo_date expected) {
        bo_inventory_po_line_options o;
        int rc = bo_inventory_po_line_options_init(&o, BO_INVENTORY_PO_LINE_OPTIONS_VERSION);
        if (rc)
            return rc;
        o.po_id = po_id;
        o.sku = sku;
        o.location = location;
        o.qty = qty;
        o.unit_cost = unit_cost;
        o.expected = expected;
        return bo_inventory_po_line_unit(self, &o, unit, line);
    }
    /* picks: "L1", "L1:5,L2:3" or "SN1,SN2"; dates "YYYY-MM-DD" or None. */
    int inv_po_receive_picked(int64_t *id, int64_t po_id, int line, int64_t qty,
                              bo_date date, const char *picks, const char *expiry = NULL,
                              const char *best_before = NULL, const char *key = NULL) {
        return bo_inventory_po_receive_picked(self, po_id, line, qty, date, key, picks,
                                              expiry, best_before, id);
    }
    int inv_units(bo_cursor **out, const char *sku = NULL) {
        return bo_inventory_units(self, sku, out);
    }
    int inv_customer_group_set(const char *party, const char *group = NULL) {
        return bo_inventory_customer_group_set(self, party, group);
    }
    int inv_pricelist_add(const char *code, const char *group = NULL,
                          const char *location = NULL, bo_opt_date from = BO_DATE_MIN,
                          bo_opt_date to = BO_DATE_MAX) {
        return bo_inventory_pricelist_add(self, code, group, location, from, to);
    }
    int inv_pricelist_price(const char *list, const char *sku, const char *unit,
                            int64_t min_qty, int64_t price) {
        return bo_inventory_pricelist_price(self, list, sku, unit, min_qty, price);
    }
    int inv_pricelists(bo_cursor **out) {
        return bo_inventory_pricelists(self, out);
    }
    /* The members of bo_inventory_promotion as arguments (keywords in
     * Python). */
    int inv_promotion_set(const char *code, const char *kind, const char *sku = NULL,
                          int64_t value = 0, int64_t buy = 0, int64_t get = 0,
                          const char *sku2 = NULL, const char *coupon = NULL,
                          bo_opt_date from = BO_DATE_MIN, bo_opt_date to = BO_DATE_MAX) {
        bo_inventory_promotion p;
        int rc = bo_inventory_promotion_init(&p, BO_INVENTORY_PROMOTION_VERSION);
        if (rc)
            return rc;
        p.code = code;
        p.kind = kind;
        p.sku = sku;
        p.sku2 = sku2;
        p.buy = buy;
        p.get = get;
        p.value = value;
        p.coupon = coupon;
        p.from = from;
        p.to = to;
        return bo_inventory_promotion_set(self, &p);
    }
    int inv_promotions(bo_cursor **out) {
        return bo_inventory_promotions(self, out);
    }
    /* ---- tracking through a carrier's API ---- */
    int inv_shipment_poll(int64_t *recorded, int64_t shipment_id) {
        return bo_inventory_shipment_poll(self, shipment_id, recorded);
    }
    /* ---- till sessions ---- */
    int inv_till_open(int64_t *id, const char *location, bo_date date, int64_t opening_float,
                      const char *key) {
        return bo_inventory_till_open(self, location, date, opening_float, key, id);
    }
    int inv_till_cash(int64_t *entry, int64_t till, bo_date date, int64_t amount,
                      const char *account, const char *memo, const char *key) {
        return bo_inventory_till_cash(self, till, date, amount, account, memo, key, entry);
    }
    int inv_till_close(int64_t *difference, int64_t till, bo_date date, int64_t counted,
                       const char *key) {
        return bo_inventory_till_close(self, till, date, counted, key, difference);
    }
    int inv_tills(bo_cursor **out, bo_date from, bo_date to) {
        return bo_inventory_tills(self, from, to, out);
    }
    /* Returns the hold's id; lot None: the first to expire with qty not held. */
    int inv_hold_lot(int64_t *id, const char *sku, const char *location, int64_t qty,
                     const char *expires, const char *lot = NULL, const char *key = NULL) {
        return bo_inventory_hold_lot(self, sku, location, qty, lot, expires, key, id);
    }
}

/* GS1 element strings and variable-measure EAN-13 codes (module functions). */
%inline %{
/* The human-readable form "(01)...(10)..." of a GS1 element string. */
static int gs1_normalize(char *gs1, size_t size, const char *text) {
    return bo_gs1_normalize(text, gs1, size);
}
/* The data of one AI ("01", "10", "21") of a GS1 element string. */
static int gs1_get(char *gs1, size_t size, const char *text, const char *ai) {
    return bo_gs1_get(text, ai, gs1, size);
}
/* The expiry date (AI 17) as a day number; DD 00 is the month's last day. */
static int gs1_expiry(bo_date *out, const char *text) {
    return bo_gs1_expiry(text, out);
}
/* The net weight in kg (AI 310n): (value, decimals). */
static int gs1_net_weight(int64_t *value, int *decimals, const char *text) {
    return bo_gs1_net_weight(text, value, decimals);
}
/* A variable-measure EAN-13 (prefix 20-29) read after layout (None: the
 * default "PPIIIIIVVVVVC"): (item, value). */
static int gs1_variable_measure(char *gs1, size_t size, int64_t *value, const char *ean13,
                                const char *layout) {
    return bo_gs1_variable_measure(ean13, layout, gs1, size, value);
}
%}
