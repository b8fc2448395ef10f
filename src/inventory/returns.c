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
    " sl.revenue_account FROM inv_sale_lines sl WHERE sl.sale_id = ? AND sl.line = ?";
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

static int ret_tx(bo_book *b, void *p)
{
    struct ret_ctx *c = p;
    int state, rc;
    bo__stmt *s;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_RET_BY_KEY, "return", c->key, c->digest, &c->id,
                             &state)) || state == BO__IDEM_REPLAY ||
        (rc = bo__inv_sale_exists(b, c->sale)))
        return rc;
    int64_t stock = 0, qty = 0, net = 0, cost = 0, rq = 0, rnet = 0, rcost = 0;
    char revenue[BO_CODE_MAX + 1] = "";
    int found = 0;
    if ((rc = bo__stmt_get(b->store, SQL_LINE_GET, &s)))
        return rc;
    if (!(rc = bo__stmt_int(s, 1, c->sale)) && !(rc = bo__stmt_int(s, 2, c->line)) &&
        (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
        found = 1;
        stock = bo__stmt_col_int(s, 0);
        qty = bo__stmt_col_int(s, 1);
        net = bo__stmt_col_int(s, 2);
        cost = bo__stmt_col_int(s, 3);
        rq = bo__stmt_col_int(s, 4);
        rnet = bo__stmt_col_int(s, 5);
        rcost = bo__stmt_col_int(s, 6);
        snprintf(revenue, sizeof revenue, "%s", bo__stmt_col_text(s, 7));
    }
    rc = rc < 0 ? rc : 0;
    bo__stmt_done(s);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "line: sale %" PRId64 " has no line %d",
                             c->sale, c->line);
    if (c->qty > qty - rq)
        return bo__error_set(BO_EINVAL, "qty: %" PRId64 " is more than the %" PRId64
                             " sold and not yet returned on line %d", c->qty, qty - rq,
                             c->line);
    char key[BO_CODE_MAX + 1], refund[BO_CODE_MAX + 1], cogs[BO_CODE_MAX + 1],
        inv[BO_CODE_MAX + 1];
    snprintf(key, sizeof key, "payment.%s", c->method);
    if ((rc = bo__inv_setting(b, key, refund, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "method: '%s' has no account (setting '%s')",
                             c->method, key);
    int64_t done = rq + c->qty, this_net, this_cost, tax_total = 0;
    if ((rc = share(net, done, qty, &this_net)) || (rc = share(cost, done, qty, &this_cost)))
        return rc;
    this_net -= rnet;
    this_cost -= rcost;
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, revenue, this_net);
    /* The line's taxes, each by its own share. */
    ret_tax tx[BO_TAX_RATES_MAX];
    int nt = 0;
    if ((rc = bo__stmt_get(b->store, SQL_TAXES_GET, &s)))
        return rc;
    if (!(rc = bo__stmt_int(s, 1, c->sale)) && !(rc = bo__stmt_int(s, 2, c->line))) {
        while (nt < BO_TAX_RATES_MAX && (rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            tx[nt].seq = bo__stmt_col_int(s, 0);
            snprintf(tx[nt].account, sizeof tx[nt].account, "%s", bo__stmt_col_text(s, 1));
            tx[nt].amount = bo__stmt_col_int(s, 2);
            tx[nt].returned = bo__stmt_col_int(s, 3);
            snprintf(tx[nt].rate, sizeof tx[nt].rate, "%s", bo__stmt_col_text(s, 4));
            tx[nt].compound = bo__stmt_col_int(s, 5) != 0;
            nt++;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    for (int i = 0; i < nt && !rc; i++) {
        int64_t t;
        if ((rc = share(tx[i].amount, done, qty, &t)))
            break;
        int64_t part = t - tx[i].returned;
        tx[i].part = part;
        tx[i].base = this_net;
        if (tx[i].compound && bo_money_add(this_net, tax_total, &tx[i].base)) {
            rc = bo__error_set(BO_EOVERFLOW, "line %d: tax base overflows", c->line);
            break;
        }
        bo__inv_post_add(&e, tx[i].account, part);
        tax_total += part;
        rc = bo__store_run(b->store, SQL_TAX_RET, "iiii", t, c->sale, (int64_t)c->line, tx[i].seq);
    }
    if (rc) {
        bo__inv_post_free(&e);
        return rc;
    }
    bo__inv_post_add(&e, refund, -(this_net + tax_total));
    /* The goods come back at the cost they left with. */
    int64_t item, loc, settled, entry, mid;
    bo__inv_stock st;
    bo__inv_item it;
    bo__inv_loc l;
    if ((rc = bo__inv_stock_by_id(b, stock, &item, &loc, &st)) ||
        (rc = bo__inv_item_by_id(b, item, &it)) || (rc = bo__inv_loc_by_id(b, loc, &l)) ||
        (rc = bo__inv_loc_account(b, &l, inv)) ||
        (rc = bo__inv_account(b, "account.cogs", cogs)) ||
        (rc = bo__inv_in(b, &it, &st, c->qty, this_cost, c->date, &settled, NULL))) {
        bo__inv_post_free(&e);
        return rc;
    }
    bo__inv_post_add(&e, inv, this_cost - settled);
    bo__inv_post_add(&e, cogs, -(this_cost - settled));
    char ref[32];
    snprintf(ref, sizeof ref, "sale:%" PRId64, c->sale);
    if ((rc = bo__inv_post_commit(b, &e, c->date, "sale return", &entry)) ||
        (rc = bo__inv_move_add(b, st.id, "return", c->date, c->qty, this_cost - settled,
                               NULL, ref, NULL, NULL, entry, &mid)) ||
        (rc = bo__store_run(b->store, SQL_LINE_RET, "iiiii", done, rnet + this_net,
                            rcost + this_cost, c->sale, (int64_t)c->line)))
        return rc;
    if ((rc = bo__stmt_get(b->store, SQL_RET_ADD, &s)))
        return rc;
    if (!(rc = bo__stmt_int(s, 1, c->sale)) && !(rc = bo__stmt_int(s, 2, c->line)) &&
        !(rc = bo__stmt_int(s, 3, c->qty)) && !(rc = bo__stmt_text(s, 4, c->date)) &&
        !(rc = bo__stmt_text(s, 5, c->method)) && !(rc = bo__stmt_int(s, 6, this_net)) &&
        !(rc = bo__stmt_int(s, 7, tax_total)) && !(rc = bo__stmt_int(s, 8, this_cost)) &&
        !(rc = bo__stmt_text(s, 9, c->key)) && !(rc = bo__stmt_text(s, 10, c->digest)) &&
        !(rc = entry ? bo__stmt_int(s, 11, entry) : bo__stmt_null(s, 11)) &&
        !(rc = bo__stmt_int(s, 12, mid))) {
        rc = bo__stmt_step(s);
        if (rc == BO_DRIVER_ROW)
            c->id = bo__stmt_col_int(s, 0);
        rc = rc == BO_DRIVER_ROW ? 0 : rc < 0 ? rc
           : bo__error_set(BO_ERROR, "return: insert returned no id");
    }
    bo__stmt_done(s);
    /* The return is a row of the sale's, and changes its line. */
    if (rc || (rc = ret_tax_lines(b, c, entry, tx, nt)) ||
        (rc = bo__audit_touch(b, "sale", c->sale)))
        return rc;
    return bo__inv_audit_move(b, "inv.return", mid, it.sku, l.code, c->qty,
                              this_cost - settled);
}

int bo_inv_return(bo_book *b, int64_t sale_id, int line, int64_t qty, bo_date date,
                  const char *method, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    struct ret_ctx c = { sale_id, qty, 0, line, "", method, key, "" };
    int rc;
    if ((rc = bo__idem_require("a return", key)) || (rc = bo__inv_qty_check("qty", qty, 0)) ||
        (rc = bo__name_check("method", method, BO_CODE_MAX - 8)))
        return rc;
    if (line < 1)
        return bo__error_set(BO_EINVAL, "line: %d is not a line number", line);
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    if ((rc = return_digest(&c)))
        return rc;
    if (!(rc = bo__write(b, ret_tx, &c)) && id)
        *id = c.id;
    return rc;
}
