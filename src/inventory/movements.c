/* Receipts, issues, transfers and adjustments: each checks its arguments,
 * then inside one write reads the stock row, checks availability, moves
 * the stock through the valuation engine, posts the entry, appends the
 * movement and the audit record, and queues "stock.low" when it applies. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct mv {
    const char *sku, *loc, *loc2, *reason, *ref, *key;
    int64_t qty, cost;
    char date[11];
    int flag;
    int64_t id;
    char digest[65]; /* of the command's canonical form */
} mv;

/* The canonical forms of the keyed movement commands: the command's name,
 * then every input that defines it (see bo__idem_claim). */
static int receive_digest(mv *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.receive");
    bo__buf_field(&d, c->sku);
    bo__buf_field(&d, c->loc);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field_int(&d, c->cost);
    bo__buf_field(&d, c->date);
    bo__buf_field(&d, c->ref);
    return bo__buf_digest(&d, c->digest);
}

static int issue_digest(mv *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.issue");
    bo__buf_field(&d, c->sku);
    bo__buf_field(&d, c->loc);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field(&d, c->date);
    bo__buf_field(&d, c->reason);
    bo__buf_field(&d, c->ref);
    return bo__buf_digest(&d, c->digest);
}

static int adjust_digest(mv *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.adjust");
    bo__buf_field(&d, c->sku);
    bo__buf_field(&d, c->loc);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field_int(&d, c->cost);
    bo__buf_field(&d, c->date);
    bo__buf_field(&d, c->reason);
    return bo__buf_digest(&d, c->digest);
}

static int transfer_digest(mv *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.transfer");
    bo__buf_field(&d, c->sku);
    bo__buf_field(&d, c->loc);
    bo__buf_field(&d, c->loc2);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field(&d, c->date);
    bo__buf_field_int(&d, c->flag);
    bo__buf_field(&d, c->ref);
    return bo__buf_digest(&d, c->digest);
}

int bo__inv_audit_move(bo_book *b, const char *action, int64_t id,
                       const char *sku, const char *loc, int64_t qty, int64_t value)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, sku);
    bo__buf_field(&d, loc);
    bo__buf_field_int(&d, qty);
    bo__buf_field_int(&d, value);
    int rc = d.failed ? BO_ENOMEM : 0;
    if (!rc) {
        char object[48];
        snprintf(object, sizeof object, "move:%" PRId64, id);
        rc = bo__audit_append(b, action, object, d.ptr);
    }
    bo__buf_free(&d);
    return rc;
}

static int date_arg(bo_date date, char out[11])
{
    bo__date_iso(date, out);
    if (!out[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    return 0;
}

/* ---- receive ---------------------------------------------------------------- */

int bo__inv_receive_in_tx(bo_book *b, const bo__inv_item *it, const bo__inv_loc *l,
                          bo__inv_stock *st, int64_t qty, int64_t cost,
                          const char *date, const char *ref, const char *key,
                          const char *digest, int64_t *id, int64_t *layer)
{
    char inv[BO_CODE_MAX + 1], grni[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1];
    int rc, done;
    if ((rc = bo__inv_loc_account(b, l, inv)) ||
        (rc = bo__inv_account(b, "account.grni", grni)) ||
        (st->on_hand < 0 && (rc = bo__inv_account(b, "account.cogs", cogs))))
        return rc;
    int64_t settled, entry, value;
    if ((rc = bo__inv_backdated(b, it, l, st, date, qty, cost, "a receipt", &done, &value,
                                &settled, layer)) ||
        (done && settled && (rc = bo__inv_account(b, "account.cogs", cogs))) ||
        (!done && (rc = bo__inv_in(b, it, st, qty, cost, date, &settled, layer))))
        return rc;
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, inv, cost - settled);
    if (settled)
        bo__inv_post_add(&e, cogs, settled);
    bo__inv_post_add(&e, grni, -cost);
    if ((rc = bo__inv_post_commit(b, &e, date, "stock received", &entry)) ||
        (rc = bo__inv_move_add(b, st->id, "receive", date, qty, cost - settled,
                               NULL, ref, key, digest, entry, id)))
        return rc;
    return bo__inv_audit_move(b, "inventory.stock.receive", *id, it->sku, l->code, qty,
                              cost - settled);
}

static int receive_tx(bo_book *b, void *p)
{
    mv *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__inv_move_claim(b, c->key, c->digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)))
        return rc;
    return bo__inv_receive_in_tx(b, &it, &l, &st, c->qty, c->cost, c->date, c->ref,
                                 c->key, c->digest, &c->id, NULL);
}

/* The checks every movement command makes before its write; what: the
 * command ("a receipt") for the message when the key is missing. */
static int mv_checks(mv *c, bo_date date, int signed_qty, const char *what)
{
    int rc;
    if ((rc = bo__idem_require(what, c->key)) ||
        (rc = bo__inv_qty_check(signed_qty ? "delta" : "qty", c->qty, signed_qty)) ||
        (rc = bo__inv_opt_text("reference", c->ref)) ||
        (rc = bo__inv_opt_text("reason", c->reason)))
        return rc;
    return date_arg(date, c->date);
}

static int receive_args(bo_book *b, const char *sku, const char *location, int64_t qty,
                   int64_t cost, bo_date date, const char *reference,
                   const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    mv c = { sku, location, NULL, NULL, reference, key, qty, cost, "", 0, 0, "" };
    int rc = mv_checks(&c, date, 0, "a receipt");
    if (rc)
        return rc;
    if (cost < 0)
        return bo__error_set(BO_EINVAL, "cost: %" PRId64 " must not be negative", cost);
    if ((rc = receive_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, receive_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* ---- issue ------------------------------------------------------------------- */

static int issue_tx(bo_book *b, void *p)
{
    mv *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    char inv[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1];
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__inv_move_claim(b, c->key, c->digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)) ||
        (rc = bo__inv_check_out(&it, &l, &st, c->qty, 0, "qty")) ||
        (rc = bo__inv_loc_account(b, &l, inv)) ||
        (rc = bo__inv_account(b, "account.cogs", cogs)))
        return rc;
    /* Dated before later movements: it takes its place in date order and
     * they are valued again (revalue.c). */
    int64_t cost, entry, back = 0, settled;
    int done;
    if ((rc = bo__inv_backdated(b, &it, &l, &st, c->date, -c->qty, 0, "an issue", &done,
                                &back, &settled, NULL)) ||
        (!done && (rc = bo__inv_out(b, &it, &st, c->qty, 0, &cost))))
        return rc;
    if (done)
        cost = -back;
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, cogs, cost);
    bo__inv_post_add(&e, inv, -cost);
    if ((rc = bo__inv_post_commit(b, &e, c->date, "stock issued", &entry)) ||
        (rc = bo__inv_move_add(b, st.id, "issue", c->date, -c->qty, -cost, c->reason,
                               c->ref, c->key, c->digest, entry, &c->id)) ||
        (rc = bo__inv_audit_move(b, "inventory.stock.issue", c->id, it.sku, l.code, -c->qty, -cost)))
        return rc;
    return bo__inv_low_check(b, &st);
}

static int issue_args(bo_book *b, const char *sku, const char *location, int64_t qty,
                 bo_date date, const char *reason, const char *reference,
                 const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    mv c = { sku, location, NULL, reason, reference, key, qty, 0, "", 0, 0, "" };
    int rc = mv_checks(&c, date, 0, "an issue");
    if (rc)
        return rc;
    if (!reason || !reason[0])
        return bo__error_set(BO_EINVAL, "reason: required for an issue");
    if ((rc = issue_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, issue_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* ---- adjust ------------------------------------------------------------------ */

static int adjust_tx(bo_book *b, void *p)
{
    mv *c = p;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_stock st;
    char inv[BO_CODE_MAX + 1], adj[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1];
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__inv_move_claim(b, c->key, c->digest, &c->id, &state)) ||
        state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__inv_stock_get(b, it.id, l.id, 1, &st)) ||
        (rc = bo__inv_loc_account(b, &l, inv)) ||
        (rc = bo__inv_account(b, "account.adjustments", adj)))
        return rc;
    int64_t value, entry, settled = 0, back;
    int done;
    if (c->qty < 0) {
        if ((rc = bo__inv_check_out(&it, &l, &st, -c->qty, 0, "delta")) ||
            (rc = bo__inv_backdated(b, &it, &l, &st, c->date, c->qty, 0, "an adjustment",
                                    &done, &back, &settled, NULL)) ||
            (!done && (rc = bo__inv_out(b, &it, &st, -c->qty, 0, &value))))
            return rc;
        value = done ? back : -value;
    } else {
        if (st.on_hand < 0 && (rc = bo__inv_account(b, "account.cogs", cogs)))
            return rc;
        value = c->cost;
        if (value < 0 && (rc = bo__inv_unit_cost_estimate(b, &it, &st, c->qty, &value)))
            return rc;
        if ((rc = bo__inv_backdated(b, &it, &l, &st, c->date, c->qty, value, "an adjustment",
                                    &done, &back, &settled, NULL)) ||
            (done && settled && (rc = bo__inv_account(b, "account.cogs", cogs))) ||
            (!done && (rc = bo__inv_in(b, &it, &st, c->qty, value, c->date, &settled, NULL))))
            return rc;
    }
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, inv, value - settled);
    if (settled)
        bo__inv_post_add(&e, cogs, settled);
    bo__inv_post_add(&e, adj, -value);
    const char *kind = c->flag ? "count" : "adjust";
    if ((rc = bo__inv_post_commit(b, &e, c->date, c->flag ? "stock count variance"
                                  : "stock adjusted", &entry)) ||
        (rc = bo__inv_move_add(b, st.id, kind, c->date, c->qty, value - settled,
                               c->reason, c->ref, c->key, c->digest, entry, &c->id)) ||
        (rc = bo__inv_audit_move(b, c->flag ? "inventory.stock.count" : "inventory.stock.adjust", c->id,
                                 it.sku, l.code, c->qty, value - settled)))
        return rc;
    c->cost = value - settled;
    return bo__inv_low_check(b, &st);
}

/* Used by the count posting too (kind "count"), inside its transaction. */
int bo__inv_adjust_in_tx(bo_book *b, const char *sku, const char *loc,
                         int64_t delta, const char *date, const char *ref,
                         int64_t *value)
{
    mv c = { sku, loc, NULL, "count", ref, NULL, delta, -1, "", 1, 0, "" };
    memcpy(c.date, date, 11);
    int rc = adjust_tx(b, &c);
    *value = c.cost;
    return rc;
}

static int adjust_args(bo_book *b, const char *sku, const char *location, int64_t delta,
                  int64_t cost, bo_date date, const char *reason, const char *key,
                  int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    mv c = { sku, location, NULL, reason, NULL, key, delta, cost, "", 0, 0, "" };
    int rc = mv_checks(&c, date, 1, "an adjustment");
    if (rc)
        return rc;
    if (cost < -1)
        return bo__error_set(BO_EINVAL, "cost: %" PRId64 " must be >= 0 (or -1)", cost);
    if (!reason || !reason[0])
        return bo__error_set(BO_EINVAL, "reason: required for an adjustment");
    if ((rc = bo__inv_adjust_approval(b, sku, location, delta, cost, date, reason, key)))
        return rc;
    if ((rc = adjust_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, adjust_tx, &c)) && id)
        *id = c.id;
    return rc;
}

/* ---- transfers ------------------------------------------------------------- */

static const char SQL_TRANSFER_ADD[] =
    "INSERT INTO inv_transfers (item_id, from_id, to_id, qty, value, date,"
    " arrived, reference, idem_key, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_TRANSFER_BY_KEY[] =
    "SELECT id, digest FROM inv_transfers WHERE idem_key = ?";
static const char SQL_TRANSFER_GET[] =
    "SELECT item_id, from_id, to_id, qty, value, arrived FROM inv_transfers WHERE id = ?";
static const char SQL_TRANSFER_ARRIVED[] =
    "UPDATE inv_transfers SET arrived = ? WHERE id = ?";

/* Book stock arriving at its destination: into the row, the value from
 * the source's account to the destination's (when they differ). */
static int arrive(bo_book *b, const bo__inv_item *it, const bo__inv_loc *from,
                  const bo__inv_loc *to, int64_t qty, int64_t value,
                  const char *date, const char *ref)
{
    bo__inv_stock st;
    char a_from[BO_CODE_MAX + 1], a_to[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1];
    int rc;
    if ((rc = bo__inv_stock_get(b, it->id, to->id, 1, &st)) ||
        (rc = bo__inv_loc_account(b, from, a_from)) ||
        (rc = bo__inv_loc_account(b, to, a_to)) ||
        (st.on_hand < 0 && (rc = bo__inv_account(b, "account.cogs", cogs))))
        return rc;
    int64_t settled, entry, mid;
    if ((rc = bo__inv_in(b, it, &st, qty, value, date, &settled, NULL)))
        return rc;
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, a_to, value - settled);
    if (settled)
        bo__inv_post_add(&e, cogs, settled);
    bo__inv_post_add(&e, a_from, -value);
    if ((rc = bo__inv_post_commit(b, &e, date, "stock transferred", &entry)) ||
        (rc = bo__inv_move_add(b, st.id, "transfer_in", date, qty, value - settled,
                               NULL, ref, NULL, NULL, entry, &mid)))
        return rc;
    return bo__inv_audit_move(b, "inventory.stock.transfer_in", mid, it->sku, to->code, qty,
                              value - settled);
}

static int transfer_tx(bo_book *b, void *p)
{
    mv *c = p;
    bo__inv_item it;
    bo__inv_loc from, to;
    bo__inv_stock st;
    int state, rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)) ||
        (rc = bo__idem_claim(b, SQL_TRANSFER_BY_KEY, "transfer", c->key, c->digest,
                             &c->id, &state)) || state == BO__IDEM_REPLAY)
        return rc;
    if ((rc = bo__inv_item_find(b, "sku", c->sku, 0, &it)) ||
        (rc = bo__inv_loc_find(b, "from", c->loc, &from)) ||
        (rc = bo__inv_loc_find(b, "to", c->loc2, &to)))
        return rc;
    if (from.id == to.id)
        return bo__error_set(BO_EINVAL, "to: same location as from");
    if ((rc = bo__inv_stock_get(b, it.id, from.id, 1, &st)) ||
        (rc = bo__inv_check_out(&it, &from, &st, c->qty, 0, "qty")))
        return rc;
    int64_t value, mid;
    if ((rc = bo__inv_out(b, &it, &st, c->qty, 0, &value)) ||
        (rc = bo__inv_move_add(b, st.id, "transfer_out", c->date, -c->qty, -value,
                               NULL, c->ref, NULL, NULL, 0, &mid)) ||
        (rc = bo__inv_audit_move(b, "inventory.stock.transfer_out", mid, it.sku, from.code,
                                 -c->qty, -value)) ||
        (rc = bo__inv_low_check(b, &st)))
        return rc;
    if ((rc = bo__store_insert(b->store, SQL_TRANSFER_ADD, NULL, &c->id, "iiiiittttt",
                               it.id, from.id, to.id, c->qty, value, c->date,
                               c->flag ? NULL : c->date, c->ref, c->key, c->digest)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ERROR, "transfer: insert returned no id");
    if ((rc = bo__audit_touch(b, "transfer", c->id)) || c->flag)
        return rc;
    return arrive(b, &it, &from, &to, c->qty, value, c->date, c->ref);
}

static int transfer_args(bo_book *b, const char *sku, const char *from, const char *to,
                    int64_t qty, bo_date date, int in_transit, const char *reference,
                    const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    mv c = { sku, from, to, NULL, reference, key, qty, 0, "", in_transit != 0, 0, "" };
    int rc = mv_checks(&c, date, 0, "a transfer");
    if (rc || (rc = transfer_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, transfer_tx, &c)) && id)
        *id = c.id;
    return rc;
}

static int arrive_tx(bo_book *b, void *p)
{
    mv *c = p;
    int rc;
    if ((rc = bo__require(b, BO__P_INVENTORY_WRITE)))
        return rc;
    int found = 0, arrived = 0;
    int64_t v[5] = { 0 };
    if ((rc = bo__store_row(b->store, SQL_TRANSFER_GET, &found, "i>iiiii?-", c->id, &v[0],
                            &v[1], &v[2], &v[3], &v[4], &arrived)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "transfer %" PRId64 " not found", c->id);
    if (arrived)
        return bo__error_set(BO_ESTATE, "transfer %" PRId64 " has arrived already", c->id);
    bo__inv_item it;
    bo__inv_loc from, to;
    if ((rc = bo__inv_item_by_id(b, v[0], &it)) || (rc = bo__inv_loc_by_id(b, v[1], &from)) ||
        (rc = bo__inv_loc_by_id(b, v[2], &to)) ||
        (rc = arrive(b, &it, &from, &to, v[3], v[4], c->date, NULL)))
        return rc;
    if ((rc = bo__store_run(b->store, SQL_TRANSFER_ARRIVED, "ti", c->date, c->id)))
        return rc;
    return bo__audit_touch(b, "transfer", c->id);
}

int bo_inventory_transfer_arrive(bo_book *b, int64_t transfer_id, bo_date date)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    mv c = { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, "", 0, transfer_id, "" };
    int rc = date_arg(date, c.date);
    return rc ? rc : bo__write(b, arrive_tx, &c);
}

/* ---- the public calls: one options struct for every movement ------------------ */

int bo_inventory_move_options_init(bo_inventory_move_options *opts, unsigned int version)
{
    bo__error_clear();
    if (!opts || version != BO_INVENTORY_MOVE_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", version,
                             BO_INVENTORY_MOVE_OPTIONS_VERSION);
    bo_inventory_move_options init = BO_INVENTORY_MOVE_OPTIONS_INIT;
    *opts = init;
    return 0;
}

/* The options of a movement, and no member the call does not read: @unused
 * holds the names of those ("to in_transit reason"...). */
static int move_opts(const bo_inventory_move_options *o, const char *unused)
{
    if (!o)
        return bo__error_set(BO_EINVAL, "options: NULL");
    if (o->version != BO_INVENTORY_MOVE_OPTIONS_VERSION)
        return bo__error_set(BO_EINVAL, "options: version %u is not %d", o->version,
                             BO_INVENTORY_MOVE_OPTIONS_VERSION);
    static const struct {
        const char *name;
        size_t off;
        int text;
    } members[] = {
        { "to", offsetof(bo_inventory_move_options, to), 1 },
        { "reason", offsetof(bo_inventory_move_options, reason), 1 },
        { "reference", offsetof(bo_inventory_move_options, reference), 1 },
        { "cost", offsetof(bo_inventory_move_options, cost), 0 },
        { "in_transit", offsetof(bo_inventory_move_options, in_transit), 2 },
    };
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        const char *m = members[i].name, *at = strstr(unused, m);
        size_t n = strlen(m);
        if (!at || (at[n] && at[n] != ' '))
            continue;
        const char *p = (const char *)o + members[i].off;
        int set = members[i].text == 1 ? *(const char *const *)(const void *)p != NULL
                : members[i].text == 2 ? *(const int *)(const void *)p != 0
                : *(const int64_t *)(const void *)p != 0;
        if (set)
            return bo__error_set(BO_EINVAL, "%s: not read by this movement", m);
    }
    return 0;
}

int bo_inventory_receive(bo_book *b, const bo_inventory_move_options *o, int64_t *id)
{
    bo__error_clear();
    int rc = move_opts(o, "to in_transit reason");
    return rc ? rc : receive_args(b, o->sku, o->location, o->qty, o->cost, o->date,
                                  o->reference, o->key, id);
}

int bo_inventory_issue(bo_book *b, const bo_inventory_move_options *o, int64_t *id)
{
    bo__error_clear();
    int rc = move_opts(o, "to in_transit cost");
    return rc ? rc : issue_args(b, o->sku, o->location, o->qty, o->date, o->reason,
                                o->reference, o->key, id);
}

int bo_inventory_adjust(bo_book *b, const bo_inventory_move_options *o, int64_t *id)
{
    bo__error_clear();
    int rc = move_opts(o, "to in_transit reference");
    return rc ? rc : adjust_args(b, o->sku, o->location, o->qty, o->cost, o->date,
                                 o->reason, o->key, id);
}

int bo_inventory_transfer(bo_book *b, const bo_inventory_move_options *o, int64_t *id)
{
    bo__error_clear();
    int rc = move_opts(o, "reason cost");
    return rc ? rc : transfer_args(b, o->sku, o->location, o->to, o->qty, o->date,
                                   o->in_transit, o->reference, o->key, id);
}
