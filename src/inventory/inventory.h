/*
 * Inventory internals shared by the files of src/inventory: lookups of
 * items, locations, stock rows and settings, the valuation engine (stock in
 * and out through FIFO layers or the moving average), the movement log and
 * the builder of the ledger entry a write posts. Everything here runs
 * inside the caller's write transaction and checks no permission.
 */
#ifndef BO_INVENTORY_INVENTORY_H
#define BO_INVENTORY_INVENTORY_H

#include "core/book.h"
#include "core/domain.h"

typedef struct bo__inv_item {
    int64_t id;
    char sku[BO_CODE_MAX + 1];
    int scale;
    int method;
    int negative_ok;
    int active;
    char tax_category[BO_CODE_MAX + 1];    /* "" = no tax */
    char revenue_account[BO_CODE_MAX + 1]; /* "" = the default */
} bo__inv_item;

typedef struct bo__inv_loc {
    int64_t id;
    char code[BO_CODE_MAX + 1];
    int negative_ok;
    char account[BO_CODE_MAX + 1]; /* "" = the default inventory account */
} bo__inv_loc;

/* One (item, location) row: what a movement reads and writes back. */
typedef struct bo__inv_stock {
    int64_t id;
    int64_t on_hand, reserved, value;
    int has_point;
    int64_t point;
    int64_t avail_before; /* available when read, for the stock.low check */
} bo__inv_stock;

/* Find an item by SKU (or barcode when by_barcode). BO_ENOTFOUND names it
 * under field. */
int bo__inv_item_find(bo_book *b, const char *field, const char *sku,
                      int by_barcode, bo__inv_item *out);
int bo__inv_item_by_id(bo_book *b, int64_t id, bo__inv_item *out);
int bo__inv_loc_find(bo_book *b, const char *field, const char *code,
                     bo__inv_loc *out);
int bo__inv_loc_by_id(bo_book *b, int64_t id, bo__inv_loc *out);

/* A batch of sales in one transaction (the sync's, src/sync/push.c):
 * while on, the batch's sale keys and the stock rows its sales left are
 * kept on the handle; a rollback, the generation moving or the
 * transaction's end drops them, and the end of the transaction turns
 * keeping off. */
void bo__inv_batch_keep(bo_book *b, int on);
/* Items and locations found by code, tax categories with their rates and
 * the tracking of stock rows are kept on the handle (used and filled inside
 * transactions only) behind the book's generation counter, as the settings:
 * every writer of inv_items, inv_barcodes, inv_locations and inv_track
 * bumps it (tax rates and categories are never changed once added), and
 * a rollback or the generation moving drops them.
 * 1 and *out when kept (bo__inv_item_find and bo__inv_loc_find ask). */
int bo__inv_kept_item(bo_book *b, const char *code, int barcode, bo__inv_item *out);
void bo__inv_keep_item(bo_book *b, const char *code, int barcode, const bo__inv_item *it);
int bo__inv_kept_loc(bo_book *b, const char *code, bo__inv_loc *out);
void bo__inv_keep_loc(bo_book *b, const char *code, const bo__inv_loc *l);
/* bo__tax_compute, the category and its rates kept on the handle. */
struct bo__tax_result;
int bo__inv_tax_compute(bo_book *b, const char *category, int64_t amount, int inclusive,
                        struct bo__tax_result *r);
/* The tracking of a stock row (src/inventory/lots.c), kept on the handle:
 * found 0 when the item is tracked neither by lot nor by serial. */
typedef struct bo__inv_track {
    int found, mode, scale;
    int64_t item, loc;
    char sku[BO_CODE_MAX + 1];
} bo__inv_track;
int bo__inv_kept_track(bo_book *b, int64_t stock, bo__inv_track *out);
/* Whether the book has no promotion at all, as kept on the handle behind
 * the generation counter (bo_inventory_promotion_set bumps it): 1 none,
 * 0 some, -1 not known (outside a transaction, or not read since). */
int bo__inv_kept_no_promotions(bo_book *b);
void bo__inv_keep_no_promotions(bo_book *b, int none);
/* Whether the handle knows that no movement of stock row `stock` is dated
 * after date (settings.c: learnt from the backdating check, moved by each
 * movement written); keep what a read found (written 0: none after date)
 * or a movement written dated date (written 1). */
int bo__inv_kept_none_after(bo_book *b, int64_t stock, const char *date);
void bo__inv_keep_none_after(bo_book *b, int64_t stock, const char *date, int written);
void bo__inv_keep_track(bo_book *b, int64_t stock, const bo__inv_track *t);
/* The batch's sale keys claimed in one read a 64 keys, while keeping (the
 * sync knows every key of its batch): bo__inv_sale_claimed then answers
 * 1 (a sale holds the key: *id, digest), 0 (none does) or -1 (not claimed
 * here, or asked already: read it), once per key, as bo__idem_claim would
 * have read it. A rollback drops the claims with the rest. */
int bo__inv_sale_keys_claim(bo_book *b, const char *const *keys, int n);
int bo__inv_sale_claimed(bo_book *b, const char *key, int64_t *id, char *digest, size_t cap);
/* The stock rows a sale left, while keeping: begin before the sale, each
 * line's row noted as it is written (lost: a row not noted, as a
 * revaluation may leave); bo__inv_left gives 1 and the row's on-hand
 * figure after the sale, -1 when not known (read the row). */
void bo__inv_left_begin(bo_book *b);
void bo__inv_left_note(bo_book *b, const char *sku, const char *loc, int64_t on_hand);
void bo__inv_left_lost(bo_book *b);
int bo__inv_left(bo_book *b, const char *sku, const char *loc, int64_t *on_hand);

/* A setting's value into out (size BO_CODE_MAX + 1); *found = 0 without.
 * Inside a transaction it comes from the handle's cache, kept behind the
 * book's generation counter (bo_inventory_setting_set bumps it). */
int bo__inv_setting(bo_book *b, const char *key, char *out, int *found);
/* The descriptor's seed hook: the upgrade to version 12 carries the audit
 * states of inv_settings over to the settings table. */
int bo__inv_seed(bo_book *b, int from);
/* The account of a required setting; BO_ECONFIG names the key. */
int bo__inv_account(bo_book *b, const char *key, char out[BO_CODE_MAX + 1]);
/* The inventory account of a location (its own, or the default). */
int bo__inv_loc_account(bo_book *b, const bo__inv_loc *l,
                        char out[BO_CODE_MAX + 1]);

/* The stock row of (item, location), created when missing (create) or
 * zeroes with id 0. Expired holds of the row are swept first (inside a
 * write) so they never count against available stock. */
int bo__inv_stock_get(bo_book *b, int64_t item, int64_t loc, int create,
                      bo__inv_stock *out);
int bo__inv_stock_by_id(bo_book *b, int64_t id, int64_t *item, int64_t *loc,
                        bo__inv_stock *out);
/* The row as a write would find it, read only: holds whose time has passed
 * do not count as reserved (the write sweeps them). No row: zeroes, id 0. */
int bo__inv_stock_peek(bo_book *b, int64_t item, int64_t loc, bo__inv_stock *out);
/* Expire the row's holds whose time has passed (a write). */
int bo__inv_holds_sweep(bo_book *b, bo__inv_stock *st);

/* Check that qty (> 0) can leave the row: BO_ESTOCK naming what unless
 * negative stock is allowed. reserved_ok: qty already reserved by a hold
 * being committed. */
int bo__inv_check_out(const bo__inv_item *it, const bo__inv_loc *l,
                      const bo__inv_stock *st, int64_t qty, int64_t held,
                      const char *what);
/* Take qty (> 0) out of the row at its valuation cost (*cost >= 0) and
 * write the row. held: quantity of a committed hold to drop from reserved. */
int bo__inv_out(bo_book *b, const bo__inv_item *it, bo__inv_stock *st,
                int64_t qty, int64_t held, int64_t *cost);
/* Put qty (> 0) into the row at a total cost (>= 0) and write the row.
 * When the row is below zero the first units settle the shortage:
 * *settled is the part of cost that covers units already issued (it goes
 * to COGS, not to stock). *layer receives the FIFO layer id (or 0). */
int bo__inv_in(bo_book *b, const bo__inv_item *it, bo__inv_stock *st,
               int64_t qty, int64_t cost, const char *date, int64_t *settled,
               int64_t *layer);
/* Record a draw of a movement (move 0: the movement logged next for the
 * stock row, see bo__inv_move_add) from layer (0: none) in inv_draws:
 * signed qty and cost; *head is 1 for a call's first row, then 0. A draw
 * of move 0 is kept on the handle, pending, until that movement is logged
 * (bo__inv_draws_attach writes it with the movement's id); a rollback of
 * the level that made it drops it. */
int bo__inv_draw_add(bo_book *b, int64_t move, int64_t stock, int64_t layer,
                     int *head, int64_t qty, int64_t cost);
/* Write the pending draws of the oldest call not yet logged for the stock
 * row (from its first draw to the next call's head) as movement move's
 * (and their rows in the movement's captured state, cap). */
struct bo__vcap;
int bo__inv_draws_attach(bo_book *b, int64_t move, int64_t stock, struct bo__vcap *cap);

/* A draw waiting for its movement (settings.c keeps them on the handle). */
typedef struct bo__inv_draw {
    int64_t stock, layer, qty, cost;
    int head, depth; /* depth: the transaction level that made it */
} bo__inv_draw;
typedef struct bo__inv_draws {
    bo__inv_draw *d;
    int n, cap;
} bo__inv_draws;
/* The handle's pending draws (NULL outside a transaction or without memory). */
bo__inv_draws *bo__inv_draws_pending(bo_book *b);
/* A movement of qty (signed, != 0; an inflow at cost) dated date into the
 * row: when movements dated after it are logged for the row, it is put in
 * its place in date order, the later ones are valued again and the
 * difference posted as one entry (src/inventory/revalue.c); *done = 1,
 * the row is written, *value is the movement's value (and *settled the
 * part of an inflow's cost that settled a shortage, *layer its layer).
 * *done = 0 and nothing done otherwise. what: "a receipt" for messages. */
int bo__inv_backdated(bo_book *b, const bo__inv_item *it, const bo__inv_loc *l,
                      bo__inv_stock *st, const char *date, int64_t qty, int64_t cost,
                      const char *what, int *done, int64_t *value, int64_t *settled,
                      int64_t *layer);
/* The unit cost a gain is valued at when none is given: the average, or
 * the newest layer's; 0 when the row has no value. */
int bo__inv_unit_cost_estimate(bo_book *b, const bo__inv_item *it,
                               const bo__inv_stock *st, int64_t qty,
                               int64_t *cost);
/* Queue "stock.low" when available went from >= point to < point. */
int bo__inv_low_check(bo_book *b, const bo__inv_stock *st);

/* Append a movement; key may be NULL (digest: of the command that made
 * it, stored with the key). */
int bo__inv_move_add(bo_book *b, int64_t stock, const char *kind,
                     const char *date, int64_t qty, int64_t value,
                     const char *reason, const char *reference,
                     const char *key, const char *digest, int64_t entry,
                     int64_t *id);
/* bo__idem_claim() over the movements' keys (receipts, issues,
 * adjustments, purchase order receipts share them). */
int bo__inv_move_claim(bo_book *b, const char *key, const char *digest,
                       int64_t *id, int *state);

/* Append the audit record of a movement. */
int bo__inv_audit_move(bo_book *b, const char *action, int64_t id,
                       const char *sku, const char *loc, int64_t qty, int64_t value);
/* An adjustment of kind "count" valued at the current cost, inside the
 * caller's transaction (movements.c); *value its signed value. */
int bo__inv_adjust_in_tx(bo_book *b, const char *sku, const char *loc,
                         int64_t delta, const char *date, const char *ref,
                         int64_t *value);

/* Receive into a row already read (movements.c): posts, logs, audits. */
int bo__inv_receive_in_tx(bo_book *b, const bo__inv_item *it, const bo__inv_loc *l,
                          bo__inv_stock *st, int64_t qty, int64_t cost,
                          const char *date, const char *ref, const char *key,
                          const char *digest, int64_t *id, int64_t *layer);

/* Postings netted per account, posted as one entry (or none when every
 * account nets to zero). */
typedef struct bo__inv_post {
    int n, cap;
    struct { char account[BO_CODE_MAX + 1]; int64_t amount; } *p;
    int failed; /* an add overflowed or ran out of memory */
} bo__inv_post;
int bo__inv_post_add(bo__inv_post *p, const char *account, int64_t amount);
/* Post with BO__POST_TRUSTED; *entry = 0 when nothing nets. Frees p. */
int bo__inv_post_commit(bo_book *b, bo__inv_post *p, const char *date,
                        const char *memo, int64_t *entry);
void bo__inv_post_free(bo__inv_post *p);

/* Checks of arguments, naming the field: quantity > 0 (or != 0 when
 * signed_ok), text (NULL ok). Keys: bo__idem_check/bo__idem_require. */
int bo__inv_qty_check(const char *field, int64_t qty, int signed_ok);
int bo__inv_opt_text(const char *field, const char *s);

/* 10^scale. */
int64_t bo__inv_pow10(int scale);
/* "YYYY-MM-DDTHH:MM:SS" UTC now plus seconds. */
void bo__inv_time_after(int64_t seconds, char out[32]);

/* Commit hold id into a sale: it must be active and not expired
 * (BO_ESTATE "hold N expired at ..."); marks it sold. */
int bo__inv_hold_take(bo_book *b, int64_t id, int64_t sale, int64_t *stock,
                      int64_t *qty);

/* 0 when sale id exists, else BO_ENOTFOUND naming it. */
int bo__inv_sale_exists(bo_book *b, int64_t id);

/* Its YAML section (config_inventory.c), applied by the book layer. */
int bo__cfg_section_inventory(bo_book *book, const bo__cfg_doc *doc, const bo__cfg_node *node);

/* ---- the domain (domain_inventory.c, src/core/domain.h) ---- */
extern const bo__domain bo__domain_inventory;
extern const bo__schema_part bo__parts_inventory[];
extern const bo__table bo__tables_inventory[];
extern const int bo__ntables_inventory;
extern const bo__vdomain bo__verify_inventory;
/* Its cache on a handle (settings.c): the settings a sale reads, the
 * layer draws waiting for their movement. */
extern int bo__inventory_slot;
extern const bo__domain_cache bo__inventory_cache;
/* Its permissions: bits from the table of domains, in the order of its names. */
extern unsigned bo__perms_inventory[4];
#define BO__P_INVENTORY_READ (bo__perms_inventory[0])
#define BO__P_INVENTORY_WRITE (bo__perms_inventory[1])
#define BO__P_INVENTORY_ADMIN (bo__perms_inventory[2])
#define BO__P_SALES_POST (bo__perms_inventory[3])

/* The approval gates of adjustments and returns (approval_inventory.c):
 * 0 to go on, BO_EPENDING when the command waits for approval. */
int bo__inv_adjust_approval(bo_book *book, const char *sku, const char *location,
                            int64_t delta, int64_t cost, bo_date date,
                            const char *reason, const char *key);
int bo__inv_return_approval(bo_book *book, int64_t sale, int line, int64_t qty,
                            bo_date date, const char *method, const char *key);
extern const struct bo__approval_kind bo__approval_inventory_adjust;
extern const struct bo__approval_kind bo__approval_inventory_return;
/* The approval gate of a sale below its prices (approval_inventory.c),
 * given the sale's canonical form (sales.c) and its counts of lines and
 * payments. */
int bo__inv_sale_approval(bo_book *book, const char *key, int lines, int payments,
                          const bo__buf *canonical);
extern const struct bo__approval_kind bo__approval_inventory_sale;

/* ---- offline terminals (the sync domain's hooks in sales.c) ----
 * A sale's own part of a terminal's outbox: called at the end of every
 * sale's write, in its transaction, with the sale's id, total and digest
 * (set once by the table of domains; NULL: nothing). A synced offline sale
 * is a fact: bo__inv_sale_post_fact posts it without the stock check
 * (stock may go negative) and without the hook, inside the caller's write. */
typedef int (*bo__inv_sale_hook_fn)(bo_book *book, const bo_sale *sale, int64_t id,
                                    int64_t total, const char *digest);
extern bo__inv_sale_hook_fn bo__inv_sale_hook;
int bo__inv_sale_post_fact(bo_book *book, const bo_sale *sale, int64_t *id);
/* The sale as fields (bo__buf_field): "sale", date, memo, key, customer,
 * inclusive, the count of lines and each line's sku, location, qty, price,
 * discount and hold, the count of payments and each one's method and
 * amount. Rebuilt with the public builder (src/sync). */
int bo__inv_sale_encode(const bo_sale *sale, bo__buf *out);
/* A return's part of a terminal's outbox (returns.c), called at the end of
 * a return's write with the return's id and the amount refunded. */
typedef int (*bo__inv_return_hook_fn)(bo_book *book, int64_t sale, int line, int64_t qty,
                                      const char *date, const char *method, const char *key,
                                      int64_t id, int64_t refund);
extern bo__inv_return_hook_fn bo__inv_return_hook;

#endif
