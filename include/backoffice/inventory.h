/**
 * @file backoffice/inventory.h
 * @brief Items, stock across stores and warehouses, reservations, valuation
 *        (FIFO and moving average), purchasing, sales, returns, shipping,
 *        stock counts and reordering.
 *
 * Quantities are int64 counts of an item's smallest unit: an item has a
 * scale (0..6 decimals), so with scale 3 a quantity of 1250 is 1.250 kg.
 * Money is int64 minor units of the book's base currency. Unit prices and
 * unit costs are per whole unit (per kg, per piece).
 *
 * Stock on hand and reserved quantity are kept per (item, location) and
 * updated in the same transaction as each movement, so looking them up
 * costs the same whatever the history. Available = on hand - reserved,
 * where holds that have expired no longer count. Negative stock is refused
 * (#BO_ESTOCK) unless the item or the location allows it.
 *
 * Every movement with a value posts one ledger entry in the same commit:
 * receipts Dr inventory / Cr goods received not invoiced; sales Dr COGS /
 * Cr inventory (plus revenue, tax and payments); adjustments and count
 * variances inventory against the adjustments account; landed costs Dr
 * inventory / Cr the given account. The accounts come from the settings
 * (bo_inventory_setting_set()); a location may name its own inventory account.
 * So the inventory accounts' balance always equals bo_inventory_valuation().
 *
 * Idempotency: every creating call takes a key; the calls a terminal
 * retries require one (#BO_EINVAL "key: ... needs an idempotency key",
 * nothing recorded): sales (bo_sale_set_key()), receipts (including
 * purchase order receipts), issues, transfers, adjustments, returns,
 * shipments and stock counts (started and posted). Holds and landed costs
 * take an optional key. A second call with the same key and the same
 * content records nothing and answers the first call's id; the same key
 * with other content is #BO_EKEYREUSE. Movements, shipments and counts
 * take their key in an options struct (#bo_inventory_move_options,
 * #bo_inventory_shipment_options, #bo_inventory_count_options). Items, locations, barcodes and purchase orders are named
 * by a unique code the caller chooses, which is their key: a repeat is
 * #BO_EEXISTS and changes nothing (docs/api.md has the table).
 *
 * Permissions: inventory.read for every listing and lookup,
 * inventory.write for movements, purchase orders, shipments and counts,
 * inventory.admin for items, locations, settings and reorder points,
 * sales.post for sales, returns and holds (reservations).
 *
 * Limits: SKUs, codes and barcodes up to 64 bytes; names, reasons,
 * references and keys up to 1024 bytes, all valid UTF-8; a sale holds at
 * most #BO_SALE_LINES_MAX lines and #BO_SALE_PAYMENTS_MAX payments.
 */
#ifndef BACKOFFICE_INVENTORY_H
#define BACKOFFICE_INVENTORY_H

#include "book.h"
#include "cursor.h"
#include "date.h"

BO_BEGIN_DECLS

/** Valuation by first-in first-out cost layers. */
#define BO_INVENTORY_FIFO 1
/** Valuation by moving average cost per item and location. */
#define BO_INVENTORY_AVERAGE 2
/** Largest item scale (decimals of the quantity). */
#define BO_INVENTORY_SCALE_MAX 6
/** Most lines in one sale. */
#define BO_SALE_LINES_MAX 1000
/** Most payments in one sale. */
#define BO_SALE_PAYMENTS_MAX 16

/* ---- quantities ---------------------------------------------------------- */

/**
 * Parse a decimal quantity ("1.250", "3") at @p scale decimals into the
 * item's smallest unit (1250). A quantity with more decimals than the scale
 * is refused, never rounded.
 * @return 0, BO_EINVAL (malformed, or finer than the scale: the message
 *         says both), BO_EOVERFLOW.
 */
BO_EXTERN(int) bo_inventory_qty_parse(const char *text, int scale, int64_t *out);

/**
 * Format @p qty of an item with @p scale decimals ("1.250") into @p buf of
 * @p size bytes (32 is always enough), NUL-terminated.
 * @return 0, BO_EINVAL (scale), BO_ETOOLONG (@p size too small).
 */
BO_EXTERN(int) bo_inventory_qty_format(int64_t qty, int scale, char *buf, size_t size);

/* ---- settings ------------------------------------------------------------ */

/**
 * Set one inventory setting. Needs inventory.admin. Keys:
 * "account.inventory", "account.cogs", "account.grni",
 * "account.adjustments", "account.revenue", "account.over_short" (where
 * a till session's cash difference goes; account codes, checked to
 * exist), and "payment.METHOD" (the account a payment method such as
 * "payment.cash" or "payment.card" is debited to). "payment.cash" is the
 * method that may give change. "zone.CODE": the time zone of location
 * CODE ("zone.*": every other) as the reports read it: UTC, WIB, WITA,
 * WIT, +HH:MM or an IANA name ("Asia/Jakarta"). @p value NULL removes the
 * setting.
 * @return 0, BO_EINVAL (key; value: not a time zone), BO_ENOTFOUND
 *         (account, location), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_setting_set(bo_book *book, const char *key,
                                  const char *value);

/**
 * The inventory settings, by key. Needs inventory.read.
 * Columns: key TEXT, value TEXT.
 */
BO_EXTERN(int) bo_inventory_settings(bo_book *book, bo_cursor **out);

/* ---- locations ------------------------------------------------------------ */

/**
 * Add a location. Needs inventory.admin.
 * @param code   unique code ("S1", "WH").
 * @param name   display name.
 * @param kind   "store", "warehouse" or "bin".
 * @param negative_stock  non-zero: stock here may go below zero.
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_location_add(bo_book *book, const char *code,
                                   const char *name, const char *kind,
                                   int negative_stock);

/** The version of #bo_inventory_location_changes this header describes. */
#define BO_INVENTORY_LOCATION_CHANGES_VERSION 1

/** The changes to a location, for bo_inventory_location_update().
 *  Initialise with BO_INVENTORY_LOCATION_CHANGES_INIT or
 *  bo_inventory_location_changes_init() (every member unchanged), then set
 *  the members to change; members are only ever appended. */
typedef struct bo_inventory_location_changes {
    unsigned int version;           /**< BO_INVENTORY_LOCATION_CHANGES_VERSION */
    const char *name;               /**< display name; NULL: unchanged */
    int negative_stock;             /**< 1 or 0 (stock here may go below
                                         zero); #BO_UNCHANGED: unchanged */
    const char *inventory_account;  /**< the account of the stock held here;
                                         "": the default inventory account;
                                         NULL: unchanged. Changes only while
                                         the location holds no stock value */
} bo_inventory_location_changes;

/** Static initialiser for #bo_inventory_location_changes: nothing changed. */
#define BO_INVENTORY_LOCATION_CHANGES_INIT \
    { BO_INVENTORY_LOCATION_CHANGES_VERSION, NULL, BO_UNCHANGED, NULL }

/**
 * Initialise @p changes to version @p version with every member unchanged
 * (for callers that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_location_changes_init(bo_inventory_location_changes *changes,
                                                  unsigned int version);

/**
 * Change location @p code: every member of @p changes that is not
 * unchanged, all or nothing (each is checked, then all are written; a bad
 * one is BO_EINVAL naming it and changes nothing). At least one change is
 * required. Needs inventory.admin.
 * @return 0, BO_ENOTFOUND (location, account), BO_EINVAL (options, nothing
 *         to change, a member), BO_ESTATE (account of a location holding
 *         stock value), BO_EUTF8, BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_location_update(bo_book *book, const char *code,
                                            const bo_inventory_location_changes *changes);

/**
 * The locations by code. Needs inventory.read.
 * Columns: code TEXT, name TEXT, kind TEXT, negative_stock INT,
 * inventory_account TEXT (or NULL).
 */
BO_EXTERN(int) bo_inventory_locations(bo_book *book, bo_cursor **out);

/* ---- items -------------------------------------------------------------- */

/**
 * Add an item. Needs inventory.admin.
 * @param sku           unique stock-keeping unit code.
 * @param name          display name.
 * @param scale         decimals of its quantities, 0..#BO_INVENTORY_SCALE_MAX.
 * @param method        #BO_INVENTORY_FIFO or #BO_INVENTORY_AVERAGE.
 * @param tax_category  the tax category of its sales, or NULL (no tax).
 * @return 0, BO_EEXISTS, BO_EINVAL, BO_ENOTFOUND (tax category), BO_EUTF8,
 *         BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_item_add(bo_book *book, const char *sku,
                               const char *name, int scale, int method,
                               const char *tax_category);

/** The version of #bo_inventory_item_changes this header describes. */
#define BO_INVENTORY_ITEM_CHANGES_VERSION 1

/** The changes to an item, for bo_inventory_item_update(). Initialise with
 *  BO_INVENTORY_ITEM_CHANGES_INIT or bo_inventory_item_changes_init()
 *  (every member unchanged), then set the members to change; members are
 *  only ever appended. Text members: NULL leaves the field unchanged, ""
 *  clears an optional one. Scale and method never change. */
typedef struct bo_inventory_item_changes {
    unsigned int version;         /**< BO_INVENTORY_ITEM_CHANGES_VERSION */
    const char *name;             /**< display name (cannot be cleared) */
    const char *unit;             /**< "kg", "pc" */
    const char *category;         /**< a free category code */
    const char *tax_category;     /**< the tax category of its sales */
    const char *revenue_account;  /**< the account its sales credit */
    const char *supplier;         /**< a party code with the vendor role */
    int negative_stock;           /**< 1 or 0; #BO_UNCHANGED: unchanged */
    int active;                   /**< 1 or 0; #BO_UNCHANGED: unchanged */
} bo_inventory_item_changes;

/** Static initialiser for #bo_inventory_item_changes: nothing changed. */
#define BO_INVENTORY_ITEM_CHANGES_INIT \
    { BO_INVENTORY_ITEM_CHANGES_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, \
      BO_UNCHANGED, BO_UNCHANGED }

/**
 * Initialise @p changes to version @p version with every member unchanged
 * (for callers that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_item_changes_init(bo_inventory_item_changes *changes,
                                              unsigned int version);

/**
 * Change item @p sku: every member of @p changes that is not unchanged,
 * all or nothing (each is checked, then all are written; a bad one is an
 * error naming it and changes nothing). At least one change is required.
 * Needs inventory.admin.
 * @return 0, BO_ENOTFOUND (item, account, party, category), BO_EINVAL
 *         (options, nothing to change, a member), BO_EUTF8, BO_ETOOLONG,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_item_update(bo_book *book, const char *sku,
                                        const bo_inventory_item_changes *changes);

/**
 * Add a barcode to an item (an item may have several; a barcode names one
 * item). Needs inventory.admin.
 * @return 0, BO_ENOTFOUND, BO_EEXISTS, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_item_barcode_add(bo_book *book, const char *sku,
                                       const char *barcode);

/**
 * One item found by SKU or barcode, as a one-row cursor. Needs
 * inventory.read. Columns: sku TEXT, name TEXT, scale INT, method TEXT
 * ("fifo"/"average"), unit TEXT, category TEXT, tax_category TEXT,
 * revenue_account TEXT, supplier TEXT, negative_stock INT, active INT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_item_get(bo_book *book, const char *sku_or_barcode,
                               bo_cursor **out);

/**
 * The items by SKU. Needs inventory.read. Columns as bo_inventory_item_get().
 */
BO_EXTERN(int) bo_inventory_items(bo_book *book, bo_cursor **out);

/* ---- movements ------------------------------------------------------------ */

/** The version of #bo_inventory_move_options this header describes. */
#define BO_INVENTORY_MOVE_OPTIONS_VERSION 1

/** One movement of stock, for bo_inventory_receive(), bo_inventory_issue(),
 *  bo_inventory_adjust() and bo_inventory_transfer(). Initialise with
 *  BO_INVENTORY_MOVE_OPTIONS_INIT or bo_inventory_move_options_init(), then
 *  set the members the call reads; members are only ever appended. A member
 *  a call does not read must stay at its default (a non-default one is
 *  BO_EINVAL naming it, so a value meant for another call is not lost
 *  silently). */
typedef struct bo_inventory_move_options {
    unsigned int version;  /**< BO_INVENTORY_MOVE_OPTIONS_VERSION */
    const char *sku;       /**< the item (required) */
    const char *location;  /**< where the stock is (a transfer: from where) */
    const char *to;        /**< transfer only: the destination */
    int64_t qty;           /**< the quantity (> 0); adjust: the signed change
                                (non-zero, negative for a loss) */
    int64_t cost;          /**< receive: the total cost in minor units (>= 0);
                                adjust: the value of a gain (>= 0, or -1 for
                                the current unit cost) */
    bo_date date;          /**< the day of the movement */
    const char *reason;    /**< issue and adjust: why (required) */
    const char *reference; /**< receive, issue, transfer: the source document,
                                or NULL */
    int in_transit;        /**< transfer only: non-zero to leave the stock in
                                transit until bo_inventory_transfer_arrive() */
    const char *key;       /**< the idempotency key (required) */
} bo_inventory_move_options;

/** Static initialiser for #bo_inventory_move_options. */
#define BO_INVENTORY_MOVE_OPTIONS_INIT \
    { BO_INVENTORY_MOVE_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, 0, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_move_options_init(bo_inventory_move_options *opts,
                                              unsigned int version);

/**
 * Receive @p opts->qty of @p opts->sku into @p opts->location at a total
 * cost of @p opts->cost minor units (>= 0), on @p opts->date, with
 * @p opts->reference (the source document: "PO-12", "delivery 77", or
 * NULL) and the idempotency key @p opts->key (required). Posts Dr inventory
 * / Cr goods received not invoiced. Needs inventory.write.
 * Dated before movements already logged for the item at the location, the
 * receipt takes its place in date order and those later movements are
 * valued again (FIFO issues redraw their layers, the moving average is
 * recomputed), the difference posted as one more entry (docs/inventory.md,
 * "Backdated movements").
 * @param id  receives the movement's id (the first one's for a replayed
 *            key).
 * @return 0, BO_ENOTFOUND (item, location), BO_EINVAL (options, quantity,
 *         cost, no key), BO_ECONFIG (an account setting is missing),
 *         BO_EOVERFLOW, BO_EKEYREUSE, BO_EDENIED; backdated: BO_EPERIOD (a
 *         later movement in a closed period, naming both), BO_ESTATE (a
 *         later transfer out or landed cost), BO_ESTOCK.
 */
BO_EXTERN(int) bo_inventory_receive(bo_book *book, const bo_inventory_move_options *opts,
                                    int64_t *id);

/**
 * Issue @p opts->qty of @p opts->sku from @p opts->location (use, waste, a
 * sample) at its valuation cost, for @p opts->reason (required: "damaged",
 * "internal use"), with @p opts->reference (or NULL) and the idempotency key
 * @p opts->key (required). Posts Dr COGS / Cr inventory. Needs
 * inventory.write. Dated before later movements of the item there, it
 * leaves at the cost of its date and those are valued again, as a
 * backdated receipt does (docs/inventory.md, "Backdated movements").
 * @param id  receives the movement's id.
 * @return 0, BO_ESTOCK (not enough available, now or on its date),
 *         BO_ENOTFOUND, BO_EINVAL (also: options, no key), BO_ECONFIG,
 *         BO_EKEYREUSE, BO_EDENIED; backdated: BO_EPERIOD, BO_ESTATE as
 *         bo_inventory_receive().
 */
BO_EXTERN(int) bo_inventory_issue(bo_book *book, const bo_inventory_move_options *opts,
                                  int64_t *id);

/**
 * Move @p opts->qty of @p opts->sku from @p opts->location to @p opts->to at
 * cost. With @p opts->in_transit zero the stock arrives at once; otherwise
 * it leaves now and stays in transit (still valued, not available anywhere)
 * until bo_inventory_transfer_arrive(). When the two locations have
 * different inventory accounts the value moves between them on arrival.
 * @p opts->key is the idempotency key (required). Needs inventory.write.
 * @param id  receives the transfer's id.
 * @return 0, BO_ESTOCK, BO_ENOTFOUND, BO_EINVAL (options, same location, no
 *         key), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_transfer(bo_book *book, const bo_inventory_move_options *opts,
                                     int64_t *id);

/**
 * Book the arrival of transfer @p transfer_id at its destination.
 * Needs inventory.write.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already arrived), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_transfer_arrive(bo_book *book, int64_t transfer_id,
                                      bo_date date);

/**
 * Adjust the stock of @p opts->sku at @p opts->location by @p opts->qty
 * (non-zero; negative for a loss), for @p opts->reason (required). A gain
 * is valued at @p opts->cost minor units in total (>= 0; -1: at the current
 * average or last layer's unit cost); a loss at its valuation cost. Posts
 * inventory against the adjustments account. @p opts->key is the
 * idempotency key (required). Needs inventory.write. Dated before later
 * movements, it revalues them as a backdated receipt does
 * (bo_inventory_receive()).
 * @param id  receives the movement's id.
 * @return 0, BO_ESTOCK (also: a later issue the loss would leave short),
 *         BO_ENOTFOUND, BO_EINVAL (also: options, no key), BO_ECONFIG,
 *         BO_EKEYREUSE, BO_EDENIED; backdated: BO_EPERIOD, BO_ESTATE.
 */
BO_EXTERN(int) bo_inventory_adjust(bo_book *book, const bo_inventory_move_options *opts,
                                   int64_t *id);

/**
 * Stock on hand of @p sku at @p location. Time does not grow with the
 * history. Needs inventory.read.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_stock(bo_book *book, const char *sku,
                            const char *location, int64_t *on_hand);

/**
 * Stock available for sale of @p sku at @p location: on hand minus the
 * quantity held by holds that have not expired. Needs inventory.read.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_available(bo_book *book, const char *sku,
                                const char *location, int64_t *available);

/**
 * Stock per item and location with a row (@p sku / @p location NULL: all),
 * by SKU then location. Needs inventory.read. Columns: sku TEXT,
 * location TEXT, on_hand INT, reserved INT, available INT, value INT,
 * reorder_point INT (or NULL), reorder_qty INT (or NULL), scale INT (the
 * item's decimals, to read the quantities).
 */
BO_EXTERN(int) bo_inventory_stock_list(bo_book *book, const char *sku,
                                 const char *location, bo_cursor **out);

/**
 * Movements of @p sku (NULL: every item) at @p location (NULL: every
 * location) dated @p from .. @p to inclusive, in the order they were
 * recorded. Streams. Needs inventory.read. Columns: id INT, date TEXT,
 * kind TEXT (receive, issue, sale, return, transfer_out, transfer_in,
 * adjust, count), sku TEXT, location TEXT, qty INT (signed), value INT
 * (signed cost), reason TEXT, reference TEXT, entry INT (or NULL), scale INT
 * (the item's decimals).
 */
BO_EXTERN(int) bo_inventory_history(bo_book *book, const char *sku,
                              const char *location, bo_date from, bo_date to,
                              bo_cursor **out);

/* ---- valuation ------------------------------------------------------------ */

/**
 * Value of the stock of @p sku at @p location, in minor units. Needs
 * inventory.read. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_value(bo_book *book, const char *sku,
                            const char *location, int64_t *value);

/**
 * Valuation report: one row per item and location with stock or value,
 * plus one row per transfer in transit (location "(transit)"), by SKU.
 * The value column sums to the inventory accounts' balance. Needs
 * inventory.read. Columns: sku TEXT, location TEXT, method TEXT,
 * on_hand INT, value INT, account TEXT, scale INT (the item's decimals).
 */
BO_EXTERN(int) bo_inventory_valuation(bo_book *book, bo_cursor **out);

/**
 * The open FIFO cost layers of @p sku at @p location, oldest first. Needs
 * inventory.read. Columns: id INT, date TEXT, qty INT (received),
 * remaining INT, cost INT (cost of the remaining quantity), scale INT (the
 * item's decimals).
 */
BO_EXTERN(int) bo_inventory_layers(bo_book *book, const char *sku,
                             const char *location, bo_cursor **out);

/* ---- reservations ------------------------------------------------------- */

/**
 * Hold @p qty of @p sku at @p location for a cart or an order until
 * @p expires: a UTC time "YYYY-MM-DDTHH:MM:SS" or a number of seconds from
 * now ("900"). The check and the hold happen in one write transaction, so
 * holds never make available stock negative. Needs sales.post.
 * @param key  idempotency key, or NULL.
 * @param id   receives the hold's id.
 * @return 0, BO_ESTOCK, BO_ENOTFOUND, BO_EINVAL (quantity, expiry in the
 *         past), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_hold(bo_book *book, const char *sku,
                           const char *location, int64_t qty,
                           const char *expires, const char *key, int64_t *id);

/**
 * Release hold @p hold_id: its quantity is available again. Needs
 * sales.post.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (already released, expired or sold:
 *         the message says which), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_hold_release(bo_book *book, int64_t hold_id);

/**
 * Mark every hold whose expiry has passed as expired and give its
 * quantity back. Expired holds already stop counting against available
 * stock without this sweep; it keeps the reserved figures tidy. Needs
 * sales.post.
 * @param count  receives the number of holds expired.
 */
BO_EXTERN(int) bo_inventory_holds_expire(bo_book *book, int64_t *count);

/**
 * Holds of @p sku (NULL: all), newest first. Needs inventory.read.
 * Columns: id INT, sku TEXT, location TEXT, qty INT, expires TEXT,
 * status TEXT (active, released, expired, sold), sale INT (or NULL), scale
 * INT (the item's decimals), lot TEXT (the lot held, or NULL).
 */
BO_EXTERN(int) bo_inventory_holds(bo_book *book, const char *sku, bo_cursor **out);

/* ---- sales ---------------------------------------------------------------- */

/** A sale being built (opaque): a POS receipt or an order. Not tied to a
 *  book until posted. */
typedef struct bo_sale bo_sale;

/**
 * Start a sale dated @p date with memo @p memo (NULL: "").
 * @param out receives the builder; free it with bo_sale_free().
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG, BO_ENOMEM.
 */
BO_EXTERN(int) bo_sale_new(bo_sale **out, bo_date date, const char *memo);

/**
 * Set the idempotency key, which bo_inventory_sale_post() requires: posting a
 * sale whose key was already posted records nothing and answers the first
 * sale's id.
 * @return 0, BO_EINVAL, BO_EUTF8, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_sale_set_key(bo_sale *sale, const char *key);

/**
 * Say whether the line prices include tax (non-zero, the default for a
 * shop till) or exclude it (tax is added on top).
 * @return 0.
 */
BO_EXTERN(int) bo_sale_set_inclusive(bo_sale *sale, int inclusive);

/**
 * Name the customer (the code of a party with the customer role, checked
 * when the sale is posted), or NULL for an anonymous sale.
 * @return 0, BO_EINVAL, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_sale_set_customer(bo_sale *sale, const char *party);

/**
 * Add a line: @p qty (in the item's smallest unit) of @p sku from
 * @p location at @p unit_price minor units per whole unit, less
 * @p discount minor units off the line. The line amount is
 * unit_price x qty / 10^scale, rounded half-even, minus the discount.
 * Checked again when posted (the item's scale is known then).
 * @return 0, BO_EINVAL (naming the line and field), BO_ELIMIT, BO_ENOMEM.
 */
BO_EXTERN(int) bo_sale_line(bo_sale *sale, const char *sku,
                            const char *location, int64_t qty,
                            int64_t unit_price, int64_t discount);

/**
 * Add a line that commits hold @p hold_id: its item, location and quantity
 * are sold, at @p unit_price less @p discount as for bo_sale_line().
 * @return 0, BO_EINVAL, BO_ELIMIT, BO_ENOMEM.
 */
BO_EXTERN(int) bo_sale_line_hold(bo_sale *sale, int64_t hold_id,
                                 int64_t unit_price, int64_t discount);

/**
 * Add a payment of @p amount minor units (> 0) by @p method ("cash",
 * "card": the setting "payment.METHOD" names its account).
 * @return 0, BO_EINVAL, BO_ELIMIT.
 */
BO_EXTERN(int) bo_sale_payment(bo_sale *sale, const char *method,
                               int64_t amount);

/** Number of lines added so far. */
BO_EXTERN(int) bo_sale_line_count(const bo_sale *sale);

/** Release the builder. Accepts NULL. */
BO_EXTERN(void) bo_sale_free(bo_sale *sale);

/**
 * Post @p sale in one transaction: stock issued from each line's location
 * (available stock checked inside the write), holds committed, tax per
 * item tax category, and one ledger entry: Dr payment accounts, Cr revenue
 * (the item's revenue account or the default), Cr tax payable per rate's
 * sales account, Dr COGS / Cr inventory. Payments must cover the total;
 * cash beyond it is change given back (only when a cash payment covers
 * the excess). Needs sales.post. A line dated before later movements of
 * its item there (not one from a hold) leaves at the cost of the sale's
 * date and those are valued again, as a backdated receipt does
 * (docs/inventory.md, "Backdated movements"; BO_EPERIOD, BO_ESTATE and
 * BO_ESTOCK as bo_inventory_receive()).
 * @param id  receives the sale's id (the first sale's for a replayed key).
 * @return 0, BO_ESTOCK (names the line), BO_EPAYMENT (payments do not cover
 *         the total), BO_ENOTFOUND (item, location, hold, payment method),
 *         BO_EINVAL (no key: nothing is recorded; a quantity finer than the
 *         scale, an empty sale),
 *         BO_ESTATE (hold expired, released or used), BO_ECONFIG (a missing
 *         account setting), BO_EOVERFLOW, BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_sale_post(bo_book *book, const bo_sale *sale,
                                int64_t *id);

/**
 * The lines of sale @p sale_id. Needs inventory.read. Columns: line INT,
 * sku TEXT, location TEXT, qty INT, net INT, tax INT, gross INT, cost INT,
 * returned INT (quantity returned so far), entry INT (the sale's entry),
 * scale INT (the item's decimals).
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_sale_lines(bo_book *book, int64_t sale_id,
                                 bo_cursor **out);

/** The version of #bo_inventory_return_options this header describes. */
#define BO_INVENTORY_RETURN_OPTIONS_VERSION 1

/** A return of part of a sale, for bo_inventory_return(). Initialise with
 *  BO_INVENTORY_RETURN_OPTIONS_INIT or bo_inventory_return_options_init(),
 *  then set the members; members are only ever appended. */
typedef struct bo_inventory_return_options {
    unsigned int version;  /**< BO_INVENTORY_RETURN_OPTIONS_VERSION */
    int64_t sale_id;       /**< the sale */
    int line;              /**< its line (1-based) */
    int64_t qty;           /**< the quantity returned (> 0) */
    bo_date date;          /**< the day of the return */
    const char *method;    /**< the payment method refunded */
    const char *key;       /**< the idempotency key (required) */
} bo_inventory_return_options;

/** Static initialiser for #bo_inventory_return_options. */
#define BO_INVENTORY_RETURN_OPTIONS_INIT \
    { BO_INVENTORY_RETURN_OPTIONS_VERSION, 0, 0, 0, 0, NULL, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_return_options_init(bo_inventory_return_options *opts,
                                                unsigned int version);

/**
 * Return @p opts->qty of line @p opts->line of sale @p opts->sale_id: the
 * stock goes back to the line's location at the original cost, and one
 * entry reverses exactly that part of the sale (revenue, each tax, COGS),
 * refunded to payment method @p opts->method, on @p opts->date. Returning
 * a whole line reverses its figures exactly; parts of a line add up to the
 * whole. @p opts->key is the idempotency key (required). Needs sales.post.
 * @param id   receives the return's id.
 * @return 0, BO_ENOTFOUND (sale, line, method), BO_EINVAL (options, more
 *         than was sold and not yet returned, quantity, no key),
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_return(bo_book *book, const bo_inventory_return_options *opts,
                                   int64_t *id);

/* ---- purchasing ---------------------------------------------------------- */

/**
 * Open a purchase order @p number to @p supplier (a party with the vendor
 * role). Needs inventory.write.
 * @param id  receives the order's id.
 * @return 0, BO_EEXISTS (number), BO_ENOTFOUND (supplier), BO_EINVAL
 *         (not a vendor), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_po_add(bo_book *book, const char *number,
                             const char *supplier, bo_date date, int64_t *id);

/** The version of #bo_inventory_po_line_options this header describes. */
#define BO_INVENTORY_PO_LINE_OPTIONS_VERSION 1

/** A line of a purchase order, for bo_inventory_po_line(). Initialise with
 *  BO_INVENTORY_PO_LINE_OPTIONS_INIT or bo_inventory_po_line_options_init(),
 *  then set the members; members are only ever appended. */
typedef struct bo_inventory_po_line_options {
    unsigned int version;  /**< BO_INVENTORY_PO_LINE_OPTIONS_VERSION */
    int64_t po_id;         /**< the purchase order */
    const char *sku;       /**< the item ordered */
    const char *location;  /**< where it is to be received */
    int64_t qty;           /**< the quantity ordered (> 0) */
    int64_t unit_cost;     /**< minor units per whole unit (>= 0) */
    bo_date expected;      /**< the day it is expected */
} bo_inventory_po_line_options;

/** Static initialiser for #bo_inventory_po_line_options. */
#define BO_INVENTORY_PO_LINE_OPTIONS_INIT \
    { BO_INVENTORY_PO_LINE_OPTIONS_VERSION, 0, NULL, NULL, 0, 0, 0 }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_po_line_options_init(bo_inventory_po_line_options *opts,
                                                 unsigned int version);

/**
 * Add a line to purchase order @p opts->po_id: @p opts->qty of
 * @p opts->sku for @p opts->location at @p opts->unit_cost minor units per
 * whole unit, expected on @p opts->expected. Needs inventory.write.
 * @param line  receives the line number (1-based).
 * @return 0, BO_ENOTFOUND, BO_EINVAL (also: options), BO_ESTATE (order
 *         closed), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_po_line(bo_book *book, const bo_inventory_po_line_options *opts,
                                    int *line);

/**
 * Receive @p qty of line @p line of purchase order @p po_id (partial
 * receipts allowed, never more than ordered and not yet received) at the
 * line's unit cost; @p qty is in the line's unit (bo_inventory_po_line_unit())
 * and converts exactly to the stock unit (BO_EUNIT otherwise). A tracked
 * item is received with bo_inventory_po_receive_picked(). Needs
 * inventory.write.
 * @param key  idempotency key (required: a receipt).
 * @param id   receives the movement's id.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (too much, no key), BO_EKEYREUSE,
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_po_receive(bo_book *book, int64_t po_id, int line,
                                 int64_t qty, bo_date date, const char *key,
                                 int64_t *id);

/**
 * Add a landed cost (freight, duty) of @p amount minor units to the goods
 * received so far on purchase order @p po_id, split over its receipts by
 * value so the parts sum exactly to @p amount. The share of goods still in
 * stock raises their cost; the share of goods already gone goes to COGS.
 * Posts Dr inventory (and COGS) / Cr @p account. Needs inventory.write.
 * @param key  idempotency key, or NULL.
 * @param id   receives the ledger entry's id.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (nothing received), BO_EINVAL,
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_landed_cost(bo_book *book, int64_t po_id, int64_t amount,
                                  const char *account, bo_date date,
                                  const char *key, int64_t *id);

/**
 * The lines of purchase order @p po_id. Needs inventory.read. Columns:
 * line INT, sku TEXT, location TEXT, qty INT, received INT, unit_cost INT,
 * expected TEXT, scale INT (the item's decimals), unit TEXT (the line's
 * unit, NULL: the stock unit; qty, received and unit_cost are in it).
 */
BO_EXTERN(int) bo_inventory_po_lines(bo_book *book, int64_t po_id, bo_cursor **out);

/* ---- reordering ---------------------------------------------------------- */

/**
 * Set the reorder point and quantity of @p sku at @p location (point < 0:
 * remove). After a commit that takes available stock from at or above the
 * point to below it, the event "stock.low" is delivered with the id of the
 * item's stock row at that location. Needs inventory.admin.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_reorder_set(bo_book *book, const char *sku,
                                  const char *location, int64_t point,
                                  int64_t qty);

/**
 * Suggested purchases: every item and location whose available stock is
 * below its reorder point, by supplier (the item's supplier party, "" when
 * it has none). Needs inventory.read. Columns: supplier TEXT, sku TEXT,
 * location TEXT, available INT, reorder_point INT, quantity INT (the
 * reorder quantity, raised to reach the point when that is not enough),
 * scale INT (the item's decimals).
 */
BO_EXTERN(int) bo_inventory_reorder_suggest(bo_book *book, bo_cursor **out);

/**
 * The stock row behind a "stock.low" event's id: one row with columns
 * sku TEXT, location TEXT, available INT, reorder_point INT, scale INT. Needs
 * inventory.read. @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_stock_row(bo_book *book, int64_t stock_id,
                                bo_cursor **out);

/* ---- shipping ------------------------------------------------------------ */

/** Current version of #bo_inventory_shipment_options. */
#define BO_INVENTORY_SHIPMENT_OPTIONS_VERSION 1

/** Options for bo_inventory_shipment_add(). Initialise with
 *  BO_INVENTORY_SHIPMENT_OPTIONS_INIT or bo_inventory_shipment_options_init(); members
 *  are only ever appended. */
typedef struct bo_inventory_shipment_options {
    unsigned int version; /**< BO_INVENTORY_SHIPMENT_OPTIONS_VERSION */
    const char *key;      /**< idempotency key (required) */
} bo_inventory_shipment_options;

/** Static initialiser for #bo_inventory_shipment_options. */
#define BO_INVENTORY_SHIPMENT_OPTIONS_INIT { BO_INVENTORY_SHIPMENT_OPTIONS_VERSION, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_shipment_options_init(bo_inventory_shipment_options *opts,
                                            unsigned int version);

/**
 * Create a shipment for sale @p sale_id with @p carrier, @p service and
 * @p tracking number (each may be NULL), under the idempotency key
 * @p opts->key (required). Status starts as "created". A second call with
 * the same key and content records nothing and answers the first id.
 * Needs inventory.write.
 * @param opts  the options; NULL or no key: BO_EINVAL.
 * @param id    receives the shipment's id.
 * @return 0, BO_ENOTFOUND (sale), BO_EINVAL (text, no key, options
 *         version), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_shipment_add(bo_book *book, int64_t sale_id,
                                      const char *carrier, const char *service,
                                      const char *tracking,
                                      const bo_inventory_shipment_options *opts,
                                      int64_t *id);

/**
 * Move shipment @p shipment_id to @p status, one of the normalised
 * tracking statuses "pre_transit", "in_transit", "out_for_delivery",
 * "failed_attempt", "delivered", "returned", "exception" (or "shipped",
 * the 0.2 word for a parcel handed over), with an optional @p note (the
 * carrier's own code and text, say). Each change is kept in the status
 * history and records the event "shipment.status" with the shipment's id
 * (delivered after the commit). Delivered and returned are final. Needs
 * inventory.write.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (status), BO_ESTATE (delivered or
 *         returned already), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_shipment_status(bo_book *book, int64_t shipment_id,
                                      const char *status, const char *note);

/**
 * The status history of shipment @p shipment_id, oldest first. Needs
 * inventory.read. Columns: status TEXT, at TEXT (UTC time), note TEXT,
 * carrier TEXT, tracking TEXT.
 */
BO_EXTERN(int) bo_inventory_shipment_history(bo_book *book, int64_t shipment_id,
                                       bo_cursor **out);

/** Current version of #bo_inventory_tracking_event. */
#define BO_INVENTORY_TRACKING_EVENT_VERSION 1

/** A carrier's tracking event, for bo_inventory_shipment_track().
 *  Initialise with BO_INVENTORY_TRACKING_EVENT_INIT or
 *  bo_inventory_tracking_event_init(); members are only ever appended. */
typedef struct bo_inventory_tracking_event {
    unsigned int version;    /**< BO_INVENTORY_TRACKING_EVENT_VERSION */
    const char *carrier;     /**< the shipment's carrier (required) */
    const char *tracking;    /**< the shipment's tracking number (required) */
    const char *at;          /**< the carrier's time, UTC "YYYY-MM-DDTHH:MM:SSZ" */
    const char *code;        /**< the carrier's own status code (required) */
    const char *status;      /**< the normalised status (as bo_inventory_shipment_status(),
                                  without "shipped") */
    const char *description; /**< the carrier's text, or NULL */
} bo_inventory_tracking_event;

/** Static initialiser for #bo_inventory_tracking_event. */
#define BO_INVENTORY_TRACKING_EVENT_INIT \
    { BO_INVENTORY_TRACKING_EVENT_VERSION, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Initialise @p ev to the defaults of version @p version (for callers that
 * cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_tracking_event_init(bo_inventory_tracking_event *ev,
                                                unsigned int version);

/**
 * Ingest a carrier's tracking event @p ev for the shipment with that
 * carrier and tracking number. The event is kept with the carrier's own
 * code and text; the same (carrier, number, time, code) a second time is a
 * duplicate: nothing is recorded and *@p recorded is 0 (polling a carrier
 * twice is safe). The shipment's one status moves to the event's status
 * (its history and the event "shipment.status" as with
 * bo_inventory_shipment_status()) unless the event is older than one
 * already ingested, is the status it has, or the shipment is delivered or
 * returned. Needs inventory.write.
 * @param recorded receives 1 when the event was new, 0 for a duplicate
 *        (may be NULL).
 * @return 0, BO_ENOTFOUND (no shipment of that carrier and number),
 *         BO_EINVAL (a field: named; the options version), BO_EUTF8,
 *         BO_ETOOLONG, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_shipment_track(bo_book *book,
                                           const bo_inventory_tracking_event *ev,
                                           int *recorded);

/**
 * The carrier's tracking events of shipment @p shipment_id, by time. Needs
 * inventory.read. Columns: at TEXT, code TEXT (the carrier's), status TEXT
 * (normalised), description TEXT.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_shipment_tracking(bo_book *book, int64_t shipment_id,
                                              bo_cursor **out);

/* ---- stock counts ---------------------------------------------------------- */

/** Current version of #bo_inventory_count_options. */
#define BO_INVENTORY_COUNT_OPTIONS_VERSION 1

/** Options for bo_inventory_count_start() and bo_inventory_count_post().
 *  Initialise with BO_INVENTORY_COUNT_OPTIONS_INIT or bo_inventory_count_options_init();
 *  members are only ever appended. */
typedef struct bo_inventory_count_options {
    unsigned int version; /**< BO_INVENTORY_COUNT_OPTIONS_VERSION */
    const char *key;      /**< idempotency key (required) */
} bo_inventory_count_options;

/** Static initialiser for #bo_inventory_count_options. */
#define BO_INVENTORY_COUNT_OPTIONS_INIT { BO_INVENTORY_COUNT_OPTIONS_VERSION, NULL }

/**
 * Initialise @p opts to the defaults of version @p version (for callers
 * that cannot expand macros).
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_inventory_count_options_init(bo_inventory_count_options *opts,
                                         unsigned int version);

/**
 * Start a count of location @p location dated @p date under the
 * idempotency key @p opts->key (required): a second call with the same key
 * and content records nothing and answers the first count's id. Needs
 * inventory.write.
 * @param id  receives the count's id.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (no key, date, options version),
 *         BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_count_start(bo_book *book, const char *location,
                                     bo_date date, const bo_inventory_count_options *opts,
                                     int64_t *id);

/**
 * Record that @p qty of @p sku was counted in count @p count_id (a second
 * call for the same item replaces the figure). Needs inventory.write.
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_ESTATE (posted), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_count_set(bo_book *book, int64_t count_id,
                                const char *sku, int64_t qty);

/**
 * Post count @p count_id under the idempotency key @p opts->key
 * (required): every counted item whose stock differs gets an adjustment
 * (movement kind "count") valued as bo_inventory_adjust() values it. Items not
 * counted are left alone. Posting again with the same key changes nothing
 * and succeeds. Needs inventory.write.
 * @return 0, BO_ENOTFOUND, BO_ESTATE (posted already, under another key),
 *         BO_EINVAL (no key, options version), BO_EKEYREUSE (the key posted
 *         another count), BO_ECONFIG, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_count_post(bo_book *book, int64_t count_id,
                                    const bo_inventory_count_options *opts);

/**
 * The lines of count @p count_id. Needs inventory.read. Columns: sku TEXT,
 * counted INT, expected INT (stock when posted, or now while open),
 * variance INT, value INT (of the variance, once posted), scale INT (the
 * item's decimals).
 */
BO_EXTERN(int) bo_inventory_count_lines(bo_book *book, int64_t count_id,
                                  bo_cursor **out);

/* ---- lots, expiry and serial numbers ---------------------------------------- */

/*
 * An item may be tracked by lot (a batch with an expiry and a best-before
 * date: milk, medicine) or by serial number (one unit each: a phone).
 * Every movement of a tracked item moves named lots or serials, in the
 * movement's own transaction, so at every location the stock of each lot is
 * its receipts minus its issues, and a serial is in one place at most.
 *
 * A command names them in "picks" text, quantities in the item's smallest
 * unit: "L1" (the whole movement from or into lot L1), "L1:5,L2:3", or
 * serials "SN1,SN2" (one unit each); a sale names them per line,
 * "1=L1:5,L2:3;2=SN7". Codes are 1..64 printable ASCII characters without
 * space , ; : or =. A receipt of a tracked item must name them. An issue,
 * sale, transfer or loss that names none takes lots first expired first
 * out (lots without an expiry last) and the oldest serials in stock; a sale
 * never takes an expired lot (one expired before the sale's date):
 * #BO_EEXPIRED names it. A return puts the units back into the lots and
 * serials its sale took; a transfer's arrival into the lots it carried.
 */

/** Not tracked. */
#define BO_INVENTORY_TRACK_NONE 0
/** Tracked by lot. */
#define BO_INVENTORY_TRACK_LOT 1
/** Tracked by serial number (whole units: scale 0). */
#define BO_INVENTORY_TRACK_SERIAL 2
/** Most lots or serials in one picks text. */
#define BO_INVENTORY_PICKS_MAX 10000
/** Longest picks text in bytes. */
#define BO_INVENTORY_PICKS_TEXT_MAX 700000

/**
 * Track item @p sku by lot, by serial number, or not (@p mode one of
 * BO_INVENTORY_TRACK_*). Changes only while the item has no stock anywhere
 * (nor in transit). Needs inventory.admin.
 * @return 0, BO_ENOTFOUND, BO_EINVAL (mode; serial numbers of an item with
 *         decimals), BO_ESTATE (the item has stock), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_track_set(bo_book *book, const char *sku, int mode);

/**
 * How item @p sku is tracked, into @p mode (a BO_INVENTORY_TRACK_* value).
 * Needs inventory.read.
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_track_get(bo_book *book, const char *sku, int *mode);

/**
 * bo_inventory_receive() into the lots or serials named by @p picks. New
 * lots get the dates @p expiry and @p best_before ("YYYY-MM-DD", or NULL);
 * a lot received before keeps its dates (other dates given are BO_EINVAL).
 * A serial is received once (#BO_ESERIAL when it was received before).
 * @return as bo_inventory_receive(), and BO_EINVAL (picks, naming the
 *         position; quantities that do not add up), BO_ESERIAL, BO_ELIMIT.
 */
BO_EXTERN(int) bo_inventory_receive_picked(bo_book *book,
                                           const bo_inventory_move_options *opts,
                                           const char *picks, const char *expiry,
                                           const char *best_before, int64_t *id);

/**
 * bo_inventory_issue() from the lots or serials named by @p picks (NULL:
 * first expired first out, the oldest serials).
 * @return as bo_inventory_issue(), and BO_EINVAL (picks), BO_ENOTFOUND (a
 *         lot or serial), BO_ESTOCK (a lot has less here), BO_ESERIAL (a
 *         serial not in stock here).
 */
BO_EXTERN(int) bo_inventory_issue_picked(bo_book *book,
                                         const bo_inventory_move_options *opts,
                                         const char *picks, int64_t *id);

/**
 * bo_inventory_transfer() of the lots or serials named by @p picks (NULL:
 * first expired first out). They arrive with the transfer.
 * @return as bo_inventory_transfer() and bo_inventory_issue_picked().
 */
BO_EXTERN(int) bo_inventory_transfer_picked(bo_book *book,
                                            const bo_inventory_move_options *opts,
                                            const char *picks, int64_t *id);

/**
 * bo_inventory_adjust() of the lots or serials named by @p picks: a gain
 * goes into lots known already (or serials found again, or new ones), a
 * loss leaves them (NULL: first expired first out).
 * @return as bo_inventory_adjust() and bo_inventory_issue_picked().
 */
BO_EXTERN(int) bo_inventory_adjust_picked(bo_book *book,
                                          const bo_inventory_move_options *opts,
                                          const char *picks, int64_t *id);

/**
 * bo_inventory_sale_post() with the lots or serials of its lines named by
 * @p picks, per line: "1=L1:5,L2:3;2=SN7" (lines not named: first expired
 * first out, the oldest serials). An expired lot is #BO_EEXPIRED naming it
 * ("lot: L1 of MILK expired on 2026-03-01"); a serial sold already is
 * #BO_ESERIAL. Nothing is recorded then.
 * @return as bo_inventory_sale_post() and bo_inventory_issue_picked(),
 *         and BO_EEXPIRED.
 */
BO_EXTERN(int) bo_inventory_sale_post_picked(bo_book *book, const bo_sale *sale,
                                             const char *picks, int64_t *id);

/**
 * Stock of lot @p lot of @p sku at @p location into @p on_hand. Needs
 * inventory.read.
 * @return 0, BO_ENOTFOUND (item, lot, location), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_lot_stock(bo_book *book, const char *sku, const char *lot,
                                      const char *location, int64_t *on_hand);

/**
 * The lots of @p sku with their stock per location, by expiry. Needs
 * inventory.read. Columns: lot TEXT, expiry TEXT (or NULL), best_before
 * TEXT (or NULL), location TEXT, on_hand INT, scale INT (the item's decimals).
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_lots(bo_book *book, const char *sku, bo_cursor **out);

/**
 * What expires within @p days days after @p date (expiry <= date + days,
 * the expired included), per lot and location with stock, by expiry. A
 * lot's value is its share of its stock row's value: value x qty /
 * on_hand, rounded half-even (bo_inventory_expiring_value() adds them).
 * Needs inventory.read. Columns: sku TEXT, lot TEXT, expiry TEXT, location
 * TEXT, qty INT (of the lot), scale INT, on_hand INT and value INT (of the
 * item at that location).
 * @return 0, BO_EINVAL (days < 0, date), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_expiring(bo_book *book, bo_date date, int days,
                                     bo_cursor **out);

/**
 * The value of what bo_inventory_expiring() lists, in minor units, into
 * @p value. Needs inventory.read.
 * @return 0, BO_EINVAL, BO_EOVERFLOW, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_expiring_value(bo_book *book, bo_date date, int days,
                                           int64_t *value);

/**
 * A recall: every sale that took lot @p lot of @p sku, with its customer.
 * Needs inventory.read. Columns: sale INT, date TEXT, customer TEXT (or
 * NULL: anonymous), location TEXT, qty INT (taken from the lot), returned
 * INT (of it brought back), scale INT.
 * @return 0, BO_ENOTFOUND (item, lot), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_lot_recall(bo_book *book, const char *sku, const char *lot,
                                       bo_cursor **out);

/**
 * The serial numbers of @p sku and where each is. Needs inventory.read.
 * Columns: serial TEXT, status TEXT ("stock", "sold", "transit", "out"),
 * location TEXT (or NULL when not in stock).
 * @return 0, BO_ENOTFOUND, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_serials(bo_book *book, const char *sku, bo_cursor **out);

/**
 * The history of serial @p serial of @p sku: every movement that moved it,
 * in order. Needs inventory.read. Columns: id INT (the movement), kind TEXT,
 * date TEXT, location TEXT, qty INT (+1 in, -1 out), reference TEXT (or
 * NULL), scale INT (0).
 * @return 0, BO_ENOTFOUND (item, serial), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_serial_history(bo_book *book, const char *sku,
                                           const char *serial, bo_cursor **out);

/* ---- GS1 barcodes ------------------------------------------------------------ */

/*
 * What a scanner reads from a GS1-128 or GS1 DataMatrix symbol: an element
 * string of application identifiers (AIs) and their data, FNC1 sent as the
 * GS character (0x1D) after data of variable length, optionally after a
 * symbology identifier ("]C1", "]d2", "]Q3"); or its human-readable form
 * "(01)09506000134352(17)261231(10)L1", where a "(" of the data is written
 * "\(" (as the GS1 Barcode Syntax Engine writes it). Known AIs include 00 (SSCC), 01
 * and 02 (GTIN, check digit verified), 10 (lot), 11-17 (dates YYMMDD; 17 is
 * the expiry, DD 00 meaning the month's last day), 20, 21 (serial), 22, 30,
 * 310n-316n and 320n/330n (measures with n decimals: 310n the net weight in
 * kg), 37, 390n-393n, 400-403, 410-416 (GLNs), 420-422, 7003, 8005, 8020
 * and 90-99. A malformed string is #BO_EBARCODE naming the position
 * (1-based, bytes) and the AI ("gs1: position 17: AI (17) needs 6
 * characters, has 4"); a wrong check digit #BO_ECHECKDIGIT.
 */

/** Longest GS1 element string in bytes. */
#define BO_GS1_TEXT_MAX 512
/** Most elements in one GS1 element string. */
#define BO_GS1_ELEMENTS_MAX 64
/** The default layout of variable-measure EAN-13 codes: 2 prefix digits,
 *  5 item digits, 5 value digits, the check digit. */
#define BO_GS1_VARIABLE_LAYOUT "PPIIIIIVVVVVC"

/**
 * Check GS1 element string @p text and write its human-readable form
 * "(01)...(10)..." into @p buf of @p size bytes.
 * @return 0, BO_EINVAL, BO_EBARCODE, BO_ECHECKDIGIT, BO_ELIMIT,
 *         BO_ETOOLONG (@p size too small).
 */
BO_EXTERN(int) bo_gs1_normalize(const char *text, char *buf, size_t size);

/**
 * The data of application identifier @p ai ("01", "10", "3103") in GS1
 * element string @p text, into @p buf of @p size bytes.
 * @return 0, BO_ENOTFOUND (not in the string), BO_EINVAL, BO_EBARCODE,
 *         BO_ECHECKDIGIT, BO_ELIMIT, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_gs1_get(const char *text, const char *ai, char *buf, size_t size);

/**
 * The expiry date (AI 17) of GS1 element string @p text into @p out; a day
 * 00 is the last day of its month, the century the one that puts the year
 * within 49 years back and 50 ahead of today (GS1 General Specifications).
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EBARCODE, BO_ECHECKDIGIT.
 */
BO_EXTERN(int) bo_gs1_expiry(const char *text, bo_date *out);

/**
 * The net weight in kg (AI 310n) of GS1 element string @p text: @p value
 * with @p decimals decimals (3103 "001250": 1250 and 3, 1.250 kg).
 * @return 0, BO_ENOTFOUND, BO_EINVAL, BO_EBARCODE, BO_ECHECKDIGIT.
 */
BO_EXTERN(int) bo_gs1_net_weight(const char *text, int64_t *value, int *decimals);

/**
 * Read a variable-measure EAN-13 code of weighed goods (prefixes 20-29)
 * after @p layout (NULL: #BO_GS1_VARIABLE_LAYOUT), 13 letters: P the two
 * prefix digits, I item digits, V value digits (a weight in grams or a
 * price in minor units, as the shop sets its scales), X a price check digit
 * (not read), C the EAN check digit. The prefix and item digits go into
 * @p item (@p size bytes), the value into @p value.
 * @return 0, BO_EINVAL (layout), BO_EBARCODE (not 13 digits, prefix),
 *         BO_ECHECKDIGIT, BO_ETOOLONG.
 */
BO_EXTERN(int) bo_gs1_variable_measure(const char *ean13, const char *layout, char *item,
                                       size_t size, int64_t *value);
/* ---- units of measure, price lists and promotions -------------------------
 * An item's quantities are kept in its stock unit (bo_inventory_item_add()'s
 * unit, at its scale). Other units it is bought or sold in are exact
 * fractions of it: one "case" = 24/1 pieces, one "100g" = 1/10 kg. A
 * quantity in another unit is written at the item's scale too (scale 3:
 * 2500 is 2.500 cases) and converts only when the result is a whole number
 * of the item's smallest unit; otherwise #BO_EUNIT naming the item, both
 * units and the quantity (never rounded). A unit the item does not have is
 * #BO_EUNIT too ("unit: item 'X' has no unit 'lb'").
 *
 * A sale line's price, when the line gives none (#BO_SALE_PRICE_AUTO), is
 * decided in this order (docs/inventory.md, "Price lists and promotions"):
 * the price lists in force on the sale's date, the most specific first
 * (customer group and store, then group, then store, then neither; lists of
 * the same group and store may not overlap in dates), taking in the first
 * list that prices the item in the line's unit the break with the largest
 * minimum quantity not above the line's; then the unit's own price; else
 * #BO_ENOTFOUND. Promotions then apply to every line of their items, in the
 * order buy X get Y, bundle, percent off, amount off, and last the line's
 * own discount; the sale's lines listing shows the unit, the list and its
 * version, and each promotion with its version and discount. */

/** A sale line's unit price decided by the price lists (bo_sale_line_unit()). */
#define BO_SALE_PRICE_AUTO (-1)

/**
 * Give item @p sku the unit @p unit: one @p unit is @p num / @p den of its
 * stock unit (a case of 24: 24, 1; 100 g of an item kept in kg: 1, 10).
 * @p price is the price of one @p unit (minor units), or -1 for none. The
 * stock unit itself may be given a price with @p num = @p den = 1. Setting
 * a unit again replaces its factor and price. Needs inventory.admin.
 * @return 0, BO_EINVAL (factor not positive, price), BO_ENOTFOUND (item),
 *         BO_EUNIT (the stock unit with a factor other than 1),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_unit_set(bo_book *book, const char *sku, const char *unit,
                                     int64_t num, int64_t den, int64_t price);

/**
 * Convert @p qty of item @p sku in @p from (NULL: the stock unit) into
 * @p to (NULL: the stock unit), both at the item's scale, exactly.
 * Needs inventory.read.
 * @return 0, BO_EUNIT (no such unit, or a remainder: the message names
 *         the item, the units and the quantity), BO_ENOTFOUND (item),
 *         BO_EOVERFLOW.
 */
BO_EXTERN(int) bo_inventory_unit_convert(bo_book *book, const char *sku, const char *from,
                                         const char *to, int64_t qty, int64_t *out);

/**
 * The units of item @p sku (NULL: every item's). Needs inventory.read.
 * Columns: sku TEXT, unit TEXT, num INT, den INT, price INT (NULL: none).
 */
BO_EXTERN(int) bo_inventory_units(bo_book *book, const char *sku, bo_cursor **out);

/**
 * Receive as bo_inventory_receive() does, with @p opts->qty in @p unit
 * (NULL: the stock unit; at the item's scale: 2 bags is 2000 at scale 3)
 * and @p opts->cost the total cost: the quantity is converted exactly to
 * the stock unit in the same transaction (a receipt of a case of 24
 * records 24 pieces). Its key and replays are the receipt's.
 * @return as bo_inventory_receive(), and BO_EUNIT (no such unit, or a
 *         remainder, naming the item and the units).
 */
BO_EXTERN(int) bo_inventory_receive_unit(bo_book *book, const bo_inventory_move_options *opts,
                                         const char *unit, int64_t *id);

/**
 * bo_inventory_po_line() with @p opts->qty in @p unit (NULL: the stock
 * unit; at the item's scale) and @p opts->unit_cost per @p unit: the order
 * is placed in cases, received in cases. The whole quantity must convert
 * exactly to the stock unit; the line keeps the unit's factor of the day.
 * A receipt of the line (bo_inventory_po_receive()) then takes its
 * quantity in @p unit and converts it exactly. Needs inventory.write.
 * @return as bo_inventory_po_line(), and BO_EUNIT (no such unit, or a
 *         remainder: the message names the item, the units and the
 *         quantity; nothing is written).
 */
BO_EXTERN(int) bo_inventory_po_line_unit(bo_book *book,
                                         const bo_inventory_po_line_options *opts,
                                         const char *unit, int *line);

/**
 * bo_inventory_po_receive() of a tracked item into the lots or serials
 * named by @p picks ("L1", "L1:5,L2:3", "SN1,SN2"; quantities in the stock
 * unit), as bo_inventory_receive_picked() does: new lots get @p expiry and
 * @p best_before ("YYYY-MM-DD", or NULL), a serial is received once.
 * @return as bo_inventory_po_receive() and bo_inventory_receive_picked()
 *         (BO_EINVAL for picks that do not add up to the receipt, naming
 *         the item; BO_ESERIAL; BO_EUNIT for a line in a unit when the
 *         quantity does not convert exactly). Nothing is written then.
 */
BO_EXTERN(int) bo_inventory_po_receive_picked(bo_book *book, int64_t po_id, int line,
                                              int64_t qty, bo_date date, const char *key,
                                              const char *picks, const char *expiry,
                                              const char *best_before, int64_t *id);

/**
 * Add a line of @p qty of @p sku in @p unit (NULL: the stock unit; at the
 * item's scale) at @p unit_price per @p unit, or #BO_SALE_PRICE_AUTO for
 * the price lists' price, less @p discount. The quantity is converted
 * exactly to the stock unit when the sale posts (#BO_EUNIT otherwise).
 * @return 0, BO_EINVAL, BO_ELIMIT.
 */
BO_EXTERN(int) bo_sale_line_unit(bo_sale *sale, const char *sku, const char *location,
                                 int64_t qty, const char *unit, int64_t unit_price,
                                 int64_t discount);

/**
 * Give the sale coupon @p code (NULL: none): the promotions with that
 * coupon apply. An unknown coupon is #BO_ENOTFOUND and an expired one
 * #BO_EEXPIRED when the sale posts, naming the field "coupon".
 * @return 0, BO_EINVAL.
 */
BO_EXTERN(int) bo_sale_set_coupon(bo_sale *sale, const char *code);

/**
 * Put customer @p party in price group @p group (NULL: in none). Needs
 * inventory.admin.
 * @return 0, BO_EINVAL, BO_ENOTFOUND (party), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_customer_group_set(bo_book *book, const char *party,
                                               const char *group);

/**
 * Add price list @p code for customer group @p group (NULL: every
 * customer and sales without one) at location @p location (NULL: every
 * store), in force from @p from to @p to inclusive (BO_DATE_MIN, BO_DATE_MAX
 * for open ends). Lists of the same group and location may not overlap.
 * The list starts at version 1. Needs inventory.admin.
 * @return 0, BO_EEXISTS (code, or an overlap: the message names the list
 *         it overlaps and the field "from"), BO_EINVAL (dates), BO_ENOTFOUND
 *         (location), BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_pricelist_add(bo_book *book, const char *code, const char *group,
                                          const char *location, bo_date from, bo_date to);

/**
 * Set the price of @p sku in @p unit (NULL: the stock unit) on price list
 * @p list for lines of at least @p min_qty (in that unit, at the item's
 * scale; 0 for the base price): @p price per one unit. Raises the list's
 * version by one. Needs inventory.admin.
 * @return 0, BO_EINVAL, BO_ENOTFOUND (list, item), BO_EUNIT, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_pricelist_price(bo_book *book, const char *list, const char *sku,
                                            const char *unit, int64_t min_qty, int64_t price);

/**
 * The price lists' prices. Needs inventory.read. Columns: list TEXT,
 * group TEXT, location TEXT, from TEXT, to TEXT, version INT, sku TEXT,
 * unit TEXT, min_qty INT, price INT, scale INT (the item's decimals; a
 * list without prices: one row with NULL sku).
 */
BO_EXTERN(int) bo_inventory_pricelists(bo_book *book, bo_cursor **out);

/** The version of #bo_inventory_promotion this header describes. */
#define BO_INVENTORY_PROMOTION_VERSION 1

/** A promotion, for bo_inventory_promotion_set(). Initialise with
 *  BO_INVENTORY_PROMOTION_INIT or bo_inventory_promotion_init(); members
 *  are only ever appended. */
typedef struct bo_inventory_promotion {
    unsigned int version; /**< BO_INVENTORY_PROMOTION_VERSION */
    const char *code;     /**< unique code */
    const char *kind;     /**< "percent" (value in basis points: 1000 = 10%),
                               "amount" (value off each line, minor units),
                               "buy_get" (buy @c buy units, get @c get free),
                               "bundle" (one @c sku and one @c sku2 together
                               for value) */
    const char *sku;      /**< the item; NULL: every item (percent, amount) */
    const char *sku2;     /**< the bundle's second item */
    int64_t buy, get;     /**< buy_get: whole units bought and given */
    int64_t value;        /**< see kind */
    const char *coupon;   /**< NULL: applies without a coupon */
    bo_date from, to;     /**< in force, inclusive */
} bo_inventory_promotion;

/** Static initialiser for #bo_inventory_promotion. */
#define BO_INVENTORY_PROMOTION_INIT \
    { BO_INVENTORY_PROMOTION_VERSION, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, \
      BO_DATE_MIN, BO_DATE_MAX }

/**
 * Initialise @p p as BO_INVENTORY_PROMOTION_INIT does.
 * @return 0, BO_EINVAL (NULL, or a version this library does not know).
 */
BO_EXTERN(int) bo_inventory_promotion_init(bo_inventory_promotion *p, unsigned int version);

/**
 * Add promotion @p p, or replace the one of the same code, raising its
 * version by one (a new promotion is version 1). Needs inventory.admin.
 * @return 0, BO_EINVAL (kind, values, dates), BO_ENOTFOUND (item),
 *         BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_promotion_set(bo_book *book, const bo_inventory_promotion *p);

/**
 * The promotions. Needs inventory.read. Columns: code TEXT, kind TEXT,
 * sku TEXT, sku2 TEXT, buy INT, get INT, amount INT (the value of an
 * amount or bundle promotion, minor units), basis_points INT (the value of
 * a percent one), coupon TEXT, from TEXT, to TEXT, version INT.
 */
BO_EXTERN(int) bo_inventory_promotions(bo_book *book, bo_cursor **out);

/* ---- tracking through a carrier's API ---- */

/**
 * Poll the carrier of shipment @p shipment_id for the events of its
 * tracking number, through the tracking API registered under the
 * shipment's carrier name (bo_carrier_register() in
 * include/backoffice/sys/plugin.h, or a plugin). The carrier is asked
 * outside any transaction; then each event it answered (at most 1000) is
 * ingested as by bo_inventory_shipment_track(): duplicates by (carrier,
 * number, time, code) are dropped, a newer status moves the shipment and
 * queues "shipment.status". A refused event stops the poll (the events
 * before it stay; polling again is safe). Needs inventory.write.
 * @param recorded receives the number of new events (may be NULL).
 * @return 0, BO_ENOTFOUND (shipment; no API for its carrier), BO_ESTATE
 *         (no carrier or number), BO_EINVAL, BO_ELIMIT, BO_ETOOLONG (an
 *         event, named), the carrier's own error code, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_shipment_poll(bo_book *book, int64_t shipment_id,
                                          int64_t *recorded);

/* ---- cashier sessions (till sessions) ---- */

/**
 * Open a till session for the book's actor (the cashier; no actor: the
 * cashier "") at store @p location on @p date, with @p opening_float minor
 * units of cash in the drawer (>= 0; not posted: the float is cash the book
 * already holds on the till's account, the inventory setting payment.cash).
 * A cashier has at most one open session per store. While it is open, the
 * session counts in the cash part of every sale the cashier posts with a
 * line at the store (cash paid less change given), every cash refund
 * (return with method "cash") the cashier records there, and the cash
 * movements of bo_inventory_till_cash(). On a terminal book (sync.h) these
 * are the same till and drawer whose commands bo_terminal_close_check()
 * checks before the close. @p key is the idempotency key (required): a
 * replay answers the first session. Needs sales.post.
 * @param id receives the session's id.
 * @return 0, BO_EINVAL (float, date, no key), BO_ENOTFOUND (location),
 *         BO_ESTATE (the cashier's session at the store is open already,
 *         naming it), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_till_open(bo_book *book, const char *location, bo_date date,
                                      int64_t opening_float, const char *key, int64_t *id);

/**
 * A cash movement of open session @p till: @p amount minor units into the
 * drawer (> 0: a float top-up) or out of it (< 0: a payout, a bank drop),
 * against account @p account, on @p date: one entry (payment.cash against
 * @p account) and the movement in one transaction, counted in the session's
 * expected cash. @p key is required: a replay answers the first entry.
 * Needs sales.post.
 * @param entry receives the entry's id.
 * @return 0, BO_EINVAL (amount 0, no key, text), BO_ENOTFOUND (session,
 *         account), BO_ESTATE (the session is closed), BO_ECONFIG
 *         (payment.cash unset), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_till_cash(bo_book *book, int64_t till, bo_date date,
                                      int64_t amount, const char *account, const char *memo,
                                      const char *key, int64_t *entry);

/**
 * Close session @p till on @p date with @p counted minor units of cash
 * counted in the drawer (>= 0). Expected cash = opening float + cash sales
 * - cash refunds + cash movements; the difference (counted - expected) is
 * posted in the same transaction as the close: payment.cash against the
 * inventory setting account.over_short (a shortage debits it, an overage
 * credits it; no entry when they agree). Only the session's cashier (or an
 * actor holding inventory.admin) closes it. @p key is required: a replay
 * answers the first close. Needs sales.post.
 * @param difference receives counted - expected (may be NULL).
 * @return 0, BO_EINVAL (counted < 0, date before the opening, no key),
 *         BO_ENOTFOUND (session), BO_ESTATE (closed already), BO_ECONFIG
 *         (payment.cash or account.over_short unset while there is a
 *         difference), BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_till_close(bo_book *book, int64_t till, bo_date date,
                                       int64_t counted, const char *key, int64_t *difference);

/**
 * The till sessions opened from @p from to @p to (inclusive), by opening
 * date, store and id. Needs inventory.read. Columns: id INT, cashier TEXT,
 * location TEXT, opened TEXT, closed TEXT (or NULL while open), status TEXT
 * ("open", "closed"), opening_float INT, cash_sales INT, refunds INT,
 * movements INT, expected INT, counted INT, difference INT (the last five
 * as counted at the close; while open, cash_sales, refunds, movements and
 * expected so far and counted and difference NULL), entry INT (the
 * over/short entry, or NULL).
 * @return 0, BO_EINVAL, BO_EDENIED.
 */
BO_EXTERN(int) bo_inventory_tills(bo_book *book, bo_date from, bo_date to, bo_cursor **out);

/**
 * Hold (reserve) @p qty of @p sku at @p location from one lot of an item
 * tracked by lot: lot @p lot, or (NULL) the first to expire that has
 * @p qty not held by others, chosen now. Until it is sold, released or
 * expires, that quantity of the lot is neither sold to other sales (named
 * or first expired first out) nor held again; a sale line from the hold
 * (bo_sale_line_hold()) takes that lot. The row's available stock drops as
 * bo_inventory_hold() does. @p expires and @p key as bo_inventory_hold().
 * Needs sales.post.
 * @param id  receives the hold's id.
 * @return 0, BO_EINVAL (the item is not tracked by lot, bad qty or
 *         expires), BO_ENOTFOUND (item, location, lot), BO_EEXPIRED (the
 *         lot expired before today; without @p lot, when only expired lots
 *         would do), BO_ESTOCK (the lot, or no lot, has @p qty not held;
 *         the row has not @p qty available), BO_EKEYREUSE, BO_EDENIED.
 *         Nothing is written on an error.
 */
BO_EXTERN(int) bo_inventory_hold_lot(bo_book *book, const char *sku, const char *location,
                                     int64_t qty, const char *lot, const char *expires,
                                     const char *key, int64_t *id);

BO_END_DECLS

#endif
