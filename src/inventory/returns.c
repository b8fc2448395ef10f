/* Returns: reverse exactly the returned part of one sale line. Each figure
 * (net, every tax line, cost) is returned as share(cumulative returned qty)
 * minus what earlier returns of the line took, where share(q) = figure x q /
 * qty rounded half-even and share(qty) = figure: so the parts of a line
 * always add up to the whole line, and a line returned at once is exact. */
#include "inventory/inventory.h"
#include "commerce/commerce.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_RET_BY_KEY[] = "SELECT id, digest FROM inv_returns WHERE idem_key = ?";
static const char SQL_LINE_GET[] =
    "SELECT sl.stock_id, sl.qty, sl.net, sl.cost, sl.ret_qty, sl.ret_net, sl.ret_cost,"
    " sl.revenue_account, s.date FROM inv_sale_lines sl JOIN inv_sales s ON s.id = sl.sale_id"
    " WHERE sl.sale_id = ? AND sl.line = ?";
static const char SQL_TAXES_GET[] =
    "SELECT t.seq, t.account, t.amount, t.returned, t.rate,"
    " COALESCE((SELECT r.compound FROM tax_rates r WHERE r.code = t.rate), 0)"
    " FROM inv_sale_taxes t WHERE t.sale_id = ? AND t.line = ? ORDER BY t.seq";
static const char SQL_TAX_RET[] =
    "UPDATE inv_sale_taxes SET returned = ? WHERE sale_id = ? AND line = ? AND seq = ?";
static const char SQL_LINE_RET[] =
    "UPDATE inv_sale_lines SET ret_qty = ?, ret_net = ?, ret_cost = ?"
    " WHERE sale_id = ? AND line = ?";
static const char SQL_RET_ADD[] =
    "INSERT INTO inv_returns (sale_id, line, qty, date, method, net, tax, cost,"
    " idem_key, digest, entry_id, move_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";

struct ret_ctx {
    int64_t sale, qty, id;
    int line;
    char date[11];
    const char *method, *key;
    char digest[65];
};

/* One tax of the line being returned: what the sale charged and earlier
 * returns took back, and this return's part (with the base it is on). */
typedef struct ret_tax {
    int64_t seq, amount, returned, part, base;
    int compound;
    char account[BO_CODE_MAX + 1], rate[BO_CODE_MAX + 1];
} ret_tax;

/* The return's tax lines for the tax report (commerce.h): negative sales
 * tax, each rate on the returned net (a compound rate also on the taxes
 * before it). */
static int ret_tax_lines(bo_book *b, const struct ret_ctx *c, int64_t entry,
                         const ret_tax *tx, int nt)
{
    bo__tax_lines t = BO__TAX_LINES_INIT;
    int rc = 0;
    for (int i = 0; i < nt && !rc; i++)
        rc = bo__tax_lines_add(&t, BO__TAX_SALES, tx[i].rate, tx[i].account, -tx[i].base,
                               -tx[i].part, -tx[i].part);
    char source[48];
    snprintf(source, sizeof source, "inv.return:%" PRId64, c->id);
    if (!rc)
        rc = bo__tax_lines_write(b, &t, entry, c->date, source, b->base_currency);
    bo__tax_lines_free(&t);
    return rc;
}

/* The canonical form of a return (bo__idem_claim). */
static int return_digest(struct ret_ctx *c)
{
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.return");
    bo__buf_field_int(&d, c->sale);
    bo__buf_field_int(&d, c->line);
    bo__buf_field_int(&d, c->qty);
    bo__buf_field(&d, c->date);
    bo__buf_field(&d, c->method);
    return bo__buf_digest(&d, c->digest);
}

/* figure x done / qty, the whole figure when done == qty. */
static int share(int64_t figure, int64_t done, int64_t qty, int64_t *out)
{
    if (done == qty) {
        *out = figure;
        return 0;
    }
    return bo_money_muldiv(figure, done, qty, BO_ROUND_HALF_EVEN, out);
}

/* What a return writes, read and checked before anything is written. */
typedef struct ret_plan {
    /* the line as sold, and as returned so far */
    int64_t stock, qty, net, cost, rq, rnet, rcost;
    char revenue[BO_CODE_MAX + 1];
    /* this return: the line's returned quantity with it, its parts */
    int64_t done, this_net, this_cost, tax_total;
    ret_tax tx[BO_TAX_RATES_MAX];
    int nt;
    char refund[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1], inv[BO_CODE_MAX + 1];
    bo__inv_stock st;
    bo__inv_item it;
    bo__inv_loc l;
    bo__inv_post e; /* the entry, less the cost's lines (known once stock is in) */
} ret_plan;

/* The line's taxes, each by its own share. */
static int plan_taxes(bo_book *b, const struct ret_ctx *c, ret_plan *pl)
{
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_TAXES_GET, &s);
    if (rc)
        return rc;
    if (!(rc = bo__stmt_bind(s, "ii", c->sale, c->line))) {
        while (pl->nt < BO_TAX_RATES_MAX && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            ret_tax *t = &pl->tx[pl->nt++];
            t->seq = bo__stmt_col_int(s, 0);
            snprintf(t->account, sizeof t->account, "%s", bo__stmt_col_text(s, 1));
            t->amount = bo__stmt_col_int(s, 2);
            t->returned = bo__stmt_col_int(s, 3);
            snprintf(t->rate, sizeof t->rate, "%s", bo__stmt_col_text(s, 4));
            t->compound = bo__stmt_col_int(s, 5) != 0;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    for (int i = 0; i < pl->nt && !rc; i++) {
        ret_tax *t = &pl->tx[i];
        int64_t upto;
        if ((rc = share(t->amount, pl->done, pl->qty, &upto)))
            break;
        t->part = upto - t->returned;
        t->base = pl->this_net;
        if (t->compound && bo_money_add(pl->this_net, pl->tax_total, &t->base))
            return bo__error_set(BO_EOVERFLOW, "line %d: tax base overflows", c->line);
        bo__inv_post_add(&pl->e, t->account, t->part);
        pl->tax_total += t->part;
    }
    return rc;
}

/* Read and check everything the return needs; *replay when its key names
 * a return already made (c->id). Writes nothing. */
static int ret_check(bo_book *b, struct ret_ctx *c, ret_plan *pl, int *replay)
{
    int state, rc, found;
    char sold[11] = "";
    *replay = 0;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_RET_BY_KEY, "return", c->key, c->digest, &c->id,
                             &state)))
        return rc;
    if (state == BO__IDEM_REPLAY) {
        *replay = 1;
        return 0;
    }
    if ((rc = bo__inv_sale_exists(b, c->sale)) ||
        (rc = bo__store_row(b->store, SQL_LINE_GET, &found, "ii>iiiiiiitt", c->sale, c->line,
                            &pl->stock, &pl->qty, &pl->net, &pl->cost, &pl->rq, &pl->rnet,
                            &pl->rcost, pl->revenue, sizeof pl->revenue, sold,
                            sizeof sold)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "line: sale %" PRId64 " has no line %d",
                             c->sale, c->line);
    /* Goods come back after they left: a return dated before its sale
     * would keep its cost when a backdated movement between the two
     * revalues the sale, and the line's later returns would go negative. */
    if (strcmp(c->date, sold) < 0)
        return bo__error_set(BO_EDATE, "date: %s is before sale %" PRId64 " dated %s",
                             c->date, c->sale, sold);
    if (c->qty > pl->qty - pl->rq)
        return bo__error_set(BO_EINVAL, "qty: %" PRId64 " is more than the %" PRId64
                             " sold and not yet returned on line %d", c->qty,
                             pl->qty - pl->rq, c->line);
    char key[BO_CODE_MAX + 1];
    snprintf(key, sizeof key, "payment.%s", c->method);
    if ((rc = bo__inv_setting(b, key, pl->refund, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "method: '%s' has no account (setting '%s')",
                             c->method, key);
    pl->done = pl->rq + c->qty;
    if ((rc = share(pl->net, pl->done, pl->qty, &pl->this_net)) ||
        (rc = share(pl->cost, pl->done, pl->qty, &pl->this_cost)))
        return rc;
    pl->this_net -= pl->rnet;
    pl->this_cost -= pl->rcost;
    bo__inv_post_add(&pl->e, pl->revenue, pl->this_net);
    if ((rc = plan_taxes(b, c, pl)))
        return rc;
    bo__inv_post_add(&pl->e, pl->refund, -(pl->this_net + pl->tax_total));
    int64_t item, loc;
    if ((rc = bo__inv_stock_by_id(b, pl->stock, &item, &loc, &pl->st)) ||
        (rc = bo__inv_item_by_id(b, item, &pl->it)) ||
        (rc = bo__inv_loc_by_id(b, loc, &pl->l)) ||
        (rc = bo__inv_loc_account(b, &pl->l, pl->inv)))
        return rc;
    return bo__inv_account(b, "account.cogs", pl->cogs);
}

/* Take the goods back, post, log the movement, record the return. */
static int ret_write(bo_book *b, struct ret_ctx *c, ret_plan *pl)
{
    int rc = 0;
    for (int i = 0; i < pl->nt && !rc; i++)
        rc = bo__store_run(b->store, SQL_TAX_RET, "iiii", pl->tx[i].returned + pl->tx[i].part,
                           c->sale, c->line, pl->tx[i].seq);
    /* The goods come back at the cost they left with. */
    int64_t settled, entry, mid;
    if (rc || (rc = bo__inv_in(b, &pl->it, &pl->st, c->qty, pl->this_cost, c->date,
                               &settled, NULL)))
        return rc;
    bo__inv_post_add(&pl->e, pl->inv, pl->this_cost - settled);
    bo__inv_post_add(&pl->e, pl->cogs, -(pl->this_cost - settled));
    char ref[32];
    snprintf(ref, sizeof ref, "sale:%" PRId64, c->sale);
    if ((rc = bo__inv_post_commit(b, &pl->e, c->date, "sale return", &entry)) ||
        (rc = bo__inv_move_add(b, pl->st.id, "return", c->date, c->qty,
                               pl->this_cost - settled, NULL, ref, NULL, NULL, entry,
                               &mid)) ||
        (rc = bo__store_run(b->store, SQL_LINE_RET, "iiiii", pl->done,
                            pl->rnet + pl->this_net, pl->rcost + pl->this_cost, c->sale,
                            c->line)) ||
        (rc = bo__store_insert(b->store, SQL_RET_ADD, NULL, &c->id, "iiittiiittIi", c->sale,
                               c->line, c->qty, c->date, c->method, pl->this_net,
                               pl->tax_total, pl->this_cost, c->key, c->digest, entry, mid)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ERROR, "return: insert returned no id");
    /* The return is a row of the sale's, and changes its line. */
    if ((rc = ret_tax_lines(b, c, entry, pl->tx, pl->nt)) ||
        (rc = bo__audit_touch(b, "sale", c->sale)))
        return rc;
    rc = bo__inv_audit_move(b, "inventory.stock.return", mid, pl->it.sku, pl->l.code, c->qty,
                            pl->this_cost - settled);
    int64_t refund;
    if (!rc && bo__inv_return_hook) { /* a terminal's outbox (src/sync) */
        if (bo_money_add(pl->this_net, pl->tax_total, &refund))
            return bo__error_set(BO_EOVERFLOW, "return: the amount refunded overflows");
        rc = bo__inv_return_hook(b, c->sale, c->line, c->qty, c->date, c->method, c->key,
                                 c->id, refund);
    }
    return rc;
}

bo__inv_return_hook_fn bo__inv_return_hook;

static int ret_tx(bo_book *b, void *p)
{
    ret_plan pl;
    memset(&pl, 0, sizeof pl);
    int replay;
    int rc = ret_check(b, p, &pl, &replay);
    if (!rc && !replay)
        rc = ret_write(b, p, &pl);
    bo__inv_post_free(&pl.e);
    return rc;
}

int bo_inventory_return_options_init(bo_inventory_return_options *opts, unsigned int version)
{
    static const bo_inventory_return_options defaults = BO_INVENTORY_RETURN_OPTIONS_INIT;
    return bo__opts_init(opts, version, BO_INVENTORY_RETURN_OPTIONS_VERSION, &defaults,
                         sizeof defaults);
}

int bo_inventory_return(bo_book *b, const bo_inventory_return_options *o, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc;
    if ((rc = bo__opts_check(o, BO_INVENTORY_RETURN_OPTIONS_VERSION)))
        return rc;
    int line = o->line;
    int64_t qty = o->qty;
    bo_date date = o->date;
    const char *method = o->method, *key = o->key;
    struct ret_ctx c = { o->sale_id, qty, 0, line, "", method, key, "" };
    if ((rc = bo__idem_require("a return", key)) || (rc = bo__inv_qty_check("qty", qty, 0)) ||
        (rc = bo__name_check("method", method, BO_CODE_MAX - 8)))
        return rc;
    if (line < 1)
        return bo__error_set(BO_EINVAL, "line: %d is not a line number", line);
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = bo__inv_return_approval(b, o->sale_id, line, qty, date, method, key)))
        return rc;
    if ((rc = return_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, ret_tx, &c)) && id)
        *id = c.id;
    return rc;
}
