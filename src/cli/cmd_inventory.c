/*
 * backoffice inventory VERB ...: items, locations, stock movements,
 * holds, sales and returns, purchase orders, counts, shipments, reports.
 * Quantities are typed as decimals ("1.250") and read at the item's scale;
 * money as decimals of the book's currency.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cli_inv_item_scale(cli *c, const char *sku, int *scale)
{
    bo_cursor *cur = NULL;
    int rc = bo_inventory_item_get(c->book, sku, &cur);
    if (rc == 0 && (rc = bo_cursor_next(cur)) == 0)
        *scale = (int)bo_cursor_int(cur, bo_cursor_column_index(cur, "scale"));
    bo_cursor_free(cur);
    return rc < 0 ? rc : 0;
}

static int qty(cli *c, const char *sku, const char *text, int64_t *out)
{
    int scale = 0, rc = cli_inv_item_scale(c, sku, &scale);
    if (rc == 0)
        rc = bo_inventory_qty_parse(text, scale, out);
    return rc;
}

int cli_inv_money(cli *c, const char *text, int64_t *out)
{
    return bo_money_parse(text, bo_book_base_currency(c->book), out);
}

static int need_date(const cli_args *a, const char *what, bo_date *d)
{
    const char *t = cli_opt_get(a, "date");
    if (t == NULL)
        return cli_usage_error("inventory %s: --date YYYY-MM-DD is required", what);
    return cli_date("--date", t, d);
}

static int location_add(cli *c, const cli_args *a)
{
    const char *kind = cli_opt_get(a, "kind"), *neg = cli_opt_get(a, "negative-stock");
    OPEN(c);
    return cli_check(c, bo_inventory_location_add(c->book, a->pos[0], a->pos[1],
                                            kind ? kind : "store",
                                            neg && strcmp(neg, "0") != 0));
}

static int item_add(cli *c, const cli_args *a)
{
    const char *scale = cli_opt_get(a, "scale"), *method = cli_opt_get(a, "method");
    int m = BO_INVENTORY_FIFO;
    if (method && strcmp(method, "average") == 0)
        m = BO_INVENTORY_AVERAGE;
    else if (method && strcmp(method, "fifo") != 0)
        return cli_usage_error("inventory item-add: --method is fifo or average");
    OPEN(c);
    return cli_check(c, bo_inventory_item_add(c->book, a->pos[0], a->pos[1],
                                        scale ? atoi(scale) : 0, m, cli_opt_get(a, "tax")));
}

static int item_set(cli *c, const cli_args *a)
{
    OPEN(c);
#define M(m, k) { #m, offsetof(bo_inventory_item_changes, m), k }
    static const cli_member members[] = {
        M(name, 't'), M(unit, 't'), M(category, 't'), M(tax_category, 't'),
        M(revenue_account, 't'), M(supplier, 't'), M(negative_stock, 'f'), M(active, 'f'),
    };
#undef M
    bo_inventory_item_changes ch = BO_INVENTORY_ITEM_CHANGES_INIT;
    int st = cli_change(&ch, members, sizeof members / sizeof members[0], "an item",
                        a->pos[1], a->npos > 2 ? a->pos[2] : NULL);
    return st ? st : cli_check(c, bo_inventory_item_update(c->book, a->pos[0], &ch));
}

static int location_set(cli *c, const cli_args *a)
{
    OPEN(c);
#define M(m, k) { #m, offsetof(bo_inventory_location_changes, m), k }
    static const cli_member members[] = {
        M(name, 't'), M(negative_stock, 'f'), M(inventory_account, 't'),
    };
#undef M
    bo_inventory_location_changes ch = BO_INVENTORY_LOCATION_CHANGES_INIT;
    int st = cli_change(&ch, members, sizeof members / sizeof members[0], "a location",
                        a->pos[1], a->npos > 2 ? a->pos[2] : NULL);
    return st ? st : cli_check(c, bo_inventory_location_update(c->book, a->pos[0], &ch));
}

static int setting_set(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_inventory_setting_set(c->book, a->pos[0], a->npos > 1 ? a->pos[1] : NULL));
}

static int barcode(cli *c, const cli_args *a)
{
    OPEN(c);
    return cli_check(c, bo_inventory_item_barcode_add(c->book, a->pos[0], a->pos[1]));
}

static int receive(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t q, cost, id;
    int st = need_date(a, "receive", &d);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[2], &q));
    CHECK(c, cli_inv_money(c, a->pos[3], &cost));
    /* --unit U: QTY in one of the item's units, converted exactly */
    CHECK(c, bo_inventory_receive_unit(c->book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = a->pos[0],
            .location = a->pos[1], .qty = q, .cost = cost, .date = d,
            .reference = cli_opt_get(a, "ref"), .key = cli_opt_get(a, "key") },
            cli_opt_get(a, "unit"), &id));
    return cli_render_int(c, "movement", id);
}

static int issue(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t q, id;
    int st = need_date(a, "issue", &d);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[2], &q));
    CHECK(c, bo_inventory_issue(c->book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = a->pos[0],
            .location = a->pos[1], .qty = q, .date = d, .reason = cli_opt_get(a, "reason"),
            .reference = cli_opt_get(a, "ref"), .key = cli_opt_get(a, "key") }, &id));
    return cli_render_int(c, "movement", id);
}

static int adjust(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t q, id, cost = -1;
    int st = need_date(a, "adjust", &d);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[2], &q));
    if (cli_opt_get(a, "cost"))
        CHECK(c, cli_inv_money(c, cli_opt_get(a, "cost"), &cost));
    CHECK(c, bo_inventory_adjust(c->book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = a->pos[0],
            .location = a->pos[1], .qty = q, .cost = cost, .date = d,
            .reason = cli_opt_get(a, "reason"), .key = cli_opt_get(a, "key") }, &id));
    return cli_render_int(c, "movement", id);
}

static int transfer(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t q, id;
    int st = need_date(a, "transfer", &d);
    if (st)
        return st;
    const char *transit = cli_opt_get(a, "in-transit");
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[3], &q));
    CHECK(c, bo_inventory_transfer(c->book, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = a->pos[0],
            .location = a->pos[1], .to = a->pos[2], .qty = q, .date = d,
            .in_transit = transit && strcmp(transit, "0") != 0,
            .reference = cli_opt_get(a, "ref"), .key = cli_opt_get(a, "key") }, &id));
    return cli_render_int(c, "transfer", id);
}

static int arrive(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t id;
    int st = need_date(a, "arrive", &d);
    if (st || (st = cli_int64("TRANSFER", a->pos[0], &id)))
        return st;
    OPEN(c);
    return cli_check(c, bo_inventory_transfer_arrive(c->book, id, d));
}

static int stock(cli *c, const cli_args *a)
{
    bo_cursor *cur = NULL;
    OPEN(c);
    int rc = bo_inventory_stock_list(c->book, cli_opt_get(a, "sku"), cli_opt_get(a, "location"), &cur);
    return cli_show(c, rc, cur);
}

static int history(cli *c, const cli_args *a)
{
    bo_date from, to;
    bo_cursor *cur = NULL;
    int st;
    bo_date first, last;
    bo_date_parse("1900-01-01", &first);
    bo_date_parse("9999-12-31", &last);
    if ((st = cli_opt_date(a, "from", first, &from)) ||
        (st = cli_opt_date(a, "to", last, &to)))
        return st;
    OPEN(c);
    int rc = bo_inventory_history(c->book, cli_opt_get(a, "sku"), cli_opt_get(a, "location"),
                            from, to, &cur);
    return cli_show(c, rc, cur);
}

/* A line "SKU@LOCATION=QTYxPRICE[-DISCOUNT]" or a payment "pay:METHOD=AMOUNT". */
static int sale_arg(cli *c, bo_sale *s, const char *arg)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", arg);
    char *eq = strrchr(buf, '=');
    if (eq == NULL)
        return cli_usage_error("inventory sell: \"%s\" is not SKU@LOCATION=QTYxPRICE "
                               "or pay:METHOD=AMOUNT", arg);
    *eq++ = '\0';
    int64_t amount, q, disc = 0;
    if (strncmp(buf, "pay:", 4) == 0) {
        CHECK(c, cli_inv_money(c, eq, &amount));
        CHECK(c, bo_sale_payment(s, buf + 4, amount));
        return 0;
    }
    char *at = strchr(buf, '@'), *x = strchr(eq, 'x');
    char *unit = strchr(eq, '/'); /* QTY/UNIT: in one of the item's units */
    if (at == NULL || (x == NULL && unit == NULL))
        return cli_usage_error("inventory sell: \"%s\" is not SKU@LOCATION=QTYxPRICE", arg);
    *at++ = '\0';
    if (x)
        *x++ = '\0';
    if (unit)
        *unit++ = '\0';
    char *minus = x ? strchr(x, '-') : NULL;
    if (minus) {
        *minus++ = '\0';
        CHECK(c, cli_inv_money(c, minus, &disc));
    }
    CHECK(c, qty(c, buf, eq, &q));
    if (x)
        CHECK(c, cli_inv_money(c, x, &amount));
    else
        amount = BO_SALE_PRICE_AUTO; /* the price lists' price */
    if (unit || !x)
        CHECK(c, bo_sale_line_unit(s, buf, at, q, unit, amount, disc));
    else
        CHECK(c, bo_sale_line(s, buf, at, q, amount, disc));
    return 0;
}

static int sell(cli *c, const cli_args *a)
{
    bo_date d;
    int st = need_date(a, "sell", &d);
    if (st)
        return st;
    OPEN(c);
    bo_sale *s = NULL;
    int64_t id = 0;
    int rc = bo_sale_new(&s, d, cli_opt_get(a, "memo"));
    if (rc == 0 && cli_opt_get(a, "key"))
        rc = bo_sale_set_key(s, cli_opt_get(a, "key"));
    if (rc == 0 && cli_opt_get(a, "exclusive"))
        rc = bo_sale_set_inclusive(s, 0);
    if (rc == 0 && cli_opt_get(a, "customer"))
        rc = bo_sale_set_customer(s, cli_opt_get(a, "customer"));
    if (rc == 0 && cli_opt_get(a, "coupon"))
        rc = bo_sale_set_coupon(s, cli_opt_get(a, "coupon"));
    for (int i = 0; rc == 0 && st == 0 && i < a->npos; i++)
        st = sale_arg(c, s, a->pos[i]);
    if (rc == 0 && st == 0)
        rc = cli_opt_get(a, "picks")
           ? bo_inventory_sale_post_picked(c->book, s, cli_opt_get(a, "picks"), &id)
           : bo_inventory_sale_post(c->book, s, &id);
    bo_sale_free(s);
    if (st)
        return st;
    if (rc < 0)
        return cli_lib_error(c, rc);
    return cli_render_int(c, "sale", id);
}

static int sale_lines(cli *c, const cli_args *a)
{
    int64_t id;
    bo_cursor *cur = NULL;
    int st = cli_int64("SALE", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    int rc = bo_inventory_sale_lines(c->book, id, &cur);
    return cli_show(c, rc, cur);
}

/* The SKU of line @p line (a->pos[1]) of the record a->pos[0], from the
 * lines cursor a listing answered (rc, cur; freed here): 0, or the exit
 * status of the listing's error or of "inventory WHAT POS0 has no line". */
static int line_sku(cli *c, int rc, bo_cursor *cur, int64_t line, const cli_args *a,
                    const char *what, char *sku, size_t size)
{
    sku[0] = '\0';
    while (rc == 0 && (rc = bo_cursor_next(cur)) == 0)
        if (bo_cursor_int(cur, 0) == line)
            snprintf(sku, size, "%s", bo_cursor_text(cur, 1));
    bo_cursor_free(cur);
    if (rc < 0 && rc != BO_ITEROVER)
        return cli_lib_error(c, rc);
    if (!sku[0])
        return cli_usage_error("inventory %s %s has no line %s", what, a->pos[0], a->pos[1]);
    return 0;
}

static int return_(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t sale, line, id, q;
    int st = need_date(a, "return", &d);
    if (st || (st = cli_int64("SALE", a->pos[0], &sale)) ||
        (st = cli_int64("LINE", a->pos[1], &line)))
        return st;
    const char *method = cli_opt_get(a, "method");
    OPEN(c);
    /* The line's item gives the quantity's scale. */
    bo_cursor *cur = NULL;
    char sku[80];
    int rc = bo_inventory_sale_lines(c->book, sale, &cur);
    if ((st = line_sku(c, rc, cur, line, a, "return: sale", sku, sizeof sku)))
        return st;
    CHECK(c, qty(c, sku, a->pos[2], &q));
    CHECK(c, bo_inventory_return(c->book, &(bo_inventory_return_options){
            .version = BO_INVENTORY_RETURN_OPTIONS_VERSION, .sale_id = sale,
            .line = (int)line, .qty = q, .date = d,
            .method = method ? method : "cash", .key = cli_opt_get(a, "key") }, &id));
    return cli_render_int(c, "return", id);
}

static int hold(cli *c, const cli_args *a)
{
    int64_t q, id;
    const char *exp = cli_opt_get(a, "expires");
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[2], &q));
    /* --lot L holds lot L; --lot - the first to expire with QTY not held */
    const char *lot = cli_opt_get(a, "lot");
    CHECK(c, lot ? bo_inventory_hold_lot(c->book, a->pos[0], a->pos[1], q,
                                         strcmp(lot, "-") ? lot : NULL, exp ? exp : "900",
                                         cli_opt_get(a, "key"), &id)
                 : bo_inventory_hold(c->book, a->pos[0], a->pos[1], q, exp ? exp : "900",
                                     cli_opt_get(a, "key"), &id));
    return cli_render_int(c, "hold", id);
}

static int release(cli *c, const cli_args *a)
{
    int64_t id;
    int st = cli_int64("HOLD", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_inventory_hold_release(c->book, id));
}

static int expire(cli *c, const cli_args *a)
{
    int64_t n = 0;
    (void)a;
    OPEN(c);
    CHECK(c, bo_inventory_holds_expire(c->book, &n));
    return cli_render_int(c, "expired", n);
}

static int reorder_set(cli *c, const cli_args *a)
{
    int64_t point, q;
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[2], &point));
    CHECK(c, qty(c, a->pos[0], a->pos[3], &q));
    return cli_check(c, bo_inventory_reorder_set(c->book, a->pos[0], a->pos[1], point, q));
}

static int po_add(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t id;
    int st = need_date(a, "po-add", &d);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, bo_inventory_po_add(c->book, a->pos[0], a->pos[1], d, &id));
    return cli_render_int(c, "po", id);
}

static int po_line(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t po, q, cost;
    int line = 0;
    int st = cli_opt_date(a, "expected", bo_date_today(), &d);
    if (st || (st = cli_int64("PO", a->pos[0], &po)))
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[1], a->pos[3], &q));
    CHECK(c, cli_inv_money(c, a->pos[4], &cost));
    /* --unit U: QTY and UNIT_COST in one of the item's units (a case) */
    CHECK(c, bo_inventory_po_line_unit(c->book, &(bo_inventory_po_line_options){
            .version = BO_INVENTORY_PO_LINE_OPTIONS_VERSION, .po_id = po,
            .sku = a->pos[1], .location = a->pos[2], .qty = q, .unit_cost = cost,
            .expected = d }, cli_opt_get(a, "unit"), &line));
    return cli_render_int(c, "line", line);
}

static int po_receive(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t po, line, q, id;
    int st = need_date(a, "po-receive", &d);
    if (st || (st = cli_int64("PO", a->pos[0], &po)) ||
        (st = cli_int64("LINE", a->pos[1], &line)))
        return st;
    OPEN(c);
    /* The quantity's scale is the line's item's. */
    bo_cursor *cur = NULL;
    char sku[80];
    int rc = bo_inventory_po_lines(c->book, po, &cur);
    if ((st = line_sku(c, rc, cur, line, a, "po-receive: order", sku, sizeof sku)))
        return st;
    CHECK(c, qty(c, sku, a->pos[2], &q));
    /* --picks P: a tracked item's lots or serials, new lots with --expiry */
    const char *picks = cli_opt_get(a, "picks");
    CHECK(c, picks ? bo_inventory_po_receive_picked(c->book, po, (int)line, q, d,
                                                    cli_opt_get(a, "key"), picks,
                                                    cli_opt_get(a, "expiry"),
                                                    cli_opt_get(a, "best-before"), &id)
                   : bo_inventory_po_receive(c->book, po, (int)line, q, d,
                                             cli_opt_get(a, "key"), &id));
    return cli_render_int(c, "movement", id);
}

static int landed(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t po, amount, id;
    int st = need_date(a, "landed-cost", &d);
    if (st || (st = cli_int64("PO", a->pos[0], &po)))
        return st;
    OPEN(c);
    CHECK(c, cli_inv_money(c, a->pos[1], &amount));
    CHECK(c, bo_inventory_landed_cost(c->book, po, amount, a->pos[2], d, cli_opt_get(a, "key"), &id));
    return cli_render_int(c, "entry", id);
}

static int count_start(cli *c, const cli_args *a)
{
    bo_date d;
    int64_t id;
    int st = need_date(a, "count-start", &d);
    if (st)
        return st;
    bo_inventory_count_options o = BO_INVENTORY_COUNT_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    CHECK(c, bo_inventory_count_start(c->book, a->pos[0], d, &o, &id));
    return cli_render_int(c, "count", id);
}

static int count_post(cli *c, const cli_args *a)
{
    int64_t id;
    int st = cli_int64("COUNT", a->pos[0], &id);
    if (st)
        return st;
    bo_inventory_count_options o = BO_INVENTORY_COUNT_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    return cli_check(c, bo_inventory_count_post(c->book, id, &o));
}

static int count_set(cli *c, const cli_args *a)
{
    int64_t id, q;
    int st = cli_int64("COUNT", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[1], a->pos[2], &q));
    return cli_check(c, bo_inventory_count_set(c->book, id, a->pos[1], q));
}

/* Subcommands taking one id: list things by id. */
static int by_id(cli *c, const cli_args *a)
{
    int64_t id;
    bo_cursor *cur = NULL;
    const char *n = c->cmd->name;
    int st = cli_int64("ID", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    int rc = !strcmp(n, "count-lines") ? bo_inventory_count_lines(c->book, id, &cur)
           : !strcmp(n, "po-lines") ? bo_inventory_po_lines(c->book, id, &cur)
           : !strcmp(n, "ship-history") ? bo_inventory_shipment_history(c->book, id, &cur)
           : bo_inventory_stock_row(c->book, id, &cur);
    return cli_show(c, rc, cur);
}

static int ship(cli *c, const cli_args *a)
{
    int64_t sale, id;
    int st = cli_int64("SALE", a->pos[0], &sale);
    if (st)
        return st;
    bo_inventory_shipment_options o = BO_INVENTORY_SHIPMENT_OPTIONS_INIT;
    o.key = cli_opt_get(a, "key");
    OPEN(c);
    CHECK(c, bo_inventory_shipment_add(c->book, sale, cli_opt_get(a, "carrier"),
                                    cli_opt_get(a, "service"), cli_opt_get(a, "tracking"),
                                    &o, &id));
    return cli_render_int(c, "shipment", id);
}

static int ship_status(cli *c, const cli_args *a)
{
    int64_t id;
    int st = cli_int64("SHIPMENT", a->pos[0], &id);
    if (st)
        return st;
    OPEN(c);
    return cli_check(c, bo_inventory_shipment_status(c->book, id, a->pos[1], cli_opt_get(a, "note")));
}

/* Listings without arguments. */
static int listing(cli *c, const cli_args *a)
{
    bo_cursor *cur = NULL;
    const char *n = c->cmd->name;
    OPEN(c);
    int rc = !strcmp(n, "items") ? bo_inventory_items(c->book, &cur)
           : !strcmp(n, "locations") ? bo_inventory_locations(c->book, &cur)
           : !strcmp(n, "settings") ? bo_inventory_settings(c->book, &cur)
           : !strcmp(n, "valuation") ? bo_inventory_valuation(c->book, &cur)
           : !strcmp(n, "reorder") ? bo_inventory_reorder_suggest(c->book, &cur)
           : !strcmp(n, "holds") ? bo_inventory_holds(c->book, cli_opt_get(a, "sku"), &cur)
           : !strcmp(n, "item") ? bo_inventory_item_get(c->book, a->pos[0], &cur)
           : bo_inventory_layers(c->book, a->pos[0], a->pos[1], &cur);
    return cli_show(c, rc, cur);
}

/* ---- lots, expiry, serial numbers and GS1 barcodes ---- */

static int track(cli *c, const cli_args *a)
{
    const char *m = a->pos[1];
    int mode = !strcmp(m, "lot") ? BO_INVENTORY_TRACK_LOT
             : !strcmp(m, "serial") ? BO_INVENTORY_TRACK_SERIAL
             : !strcmp(m, "none") ? BO_INVENTORY_TRACK_NONE : -1;
    if (mode < 0)
        return cli_usage_error("MODE: '%s' is not lot, serial or none", m);
    OPEN(c);
    return cli_check(c, bo_inventory_track_set(c->book, a->pos[0], mode));
}

/* receive-picked, issue-picked, transfer-picked, adjust-picked: the
 * movement with its lots or serials named (PICKS: L1, L1:5,L2:3, SN1,SN2;
 * "-": first expired first out where the movement allows it). */
static int picked(cli *c, const cli_args *a)
{
    const char *n = c->cmd->name;
    int tr = !strcmp(n, "transfer-picked");
    bo_date d;
    int64_t q, id, cost = !strcmp(n, "adjust-picked") ? -1 : 0;
    int st = need_date(a, n, &d);
    if (st)
        return st;
    OPEN(c);
    CHECK(c, qty(c, a->pos[0], a->pos[tr ? 3 : 2], &q));
    int money_at = !strcmp(n, "receive-picked") ? 3 : -1;
    if (money_at > 0)
        CHECK(c, cli_inv_money(c, a->pos[money_at], &cost));
    else if (cli_opt_get(a, "cost"))
        CHECK(c, cli_inv_money(c, cli_opt_get(a, "cost"), &cost));
    const char *picks = a->pos[a->npos - 1];
    if (!strcmp(picks, "-"))
        picks = NULL;
    bo_inventory_move_options o = BO_INVENTORY_MOVE_OPTIONS_INIT;
    o.sku = a->pos[0];
    o.location = a->pos[1];
    o.to = tr ? a->pos[2] : NULL;
    o.qty = q;
    o.cost = cost;
    o.date = d;
    o.reason = cli_opt_get(a, "reason");
    o.reference = cli_opt_get(a, "ref");
    o.key = cli_opt_get(a, "key");
    int rc = !strcmp(n, "receive-picked")
           ? bo_inventory_receive_picked(c->book, &o, picks, cli_opt_get(a, "expiry"),
                                         cli_opt_get(a, "best-before"), &id)
           : !strcmp(n, "issue-picked") ? bo_inventory_issue_picked(c->book, &o, picks, &id)
           : tr ? bo_inventory_transfer_picked(c->book, &o, picks, &id)
           : bo_inventory_adjust_picked(c->book, &o, picks, &id);
    CHECK(c, rc);
    return cli_render_int(c, tr ? "transfer" : "movement", id);
}

static int lot_listing(cli *c, const cli_args *a)
{
    bo_cursor *cur = NULL;
    const char *n = c->cmd->name;
    OPEN(c);
    int rc;
    if (!strcmp(n, "expiring")) {
        bo_date d = bo_date_today();
        int64_t days = 0;
        const char *t = cli_opt_get(a, "date"), *k = cli_opt_get(a, "days");
        if (t && bo_date_parse(t, &d))
            return cli_usage_error("--date: '%s' is not a date YYYY-MM-DD", t);
        if (k && (cli_int64("--days", k, &days) || days < 0 || days > 100000))
            return cli_usage_error("--days: '%s' is not a number of days", k);
        rc = bo_inventory_expiring(c->book, d, (int)days, &cur);
    } else {
        rc = !strcmp(n, "lots") ? bo_inventory_lots(c->book, a->pos[0], &cur)
           : !strcmp(n, "recall") ? bo_inventory_lot_recall(c->book, a->pos[0], a->pos[1], &cur)
           : !strcmp(n, "serials") ? bo_inventory_serials(c->book, a->pos[0], &cur)
           : bo_inventory_serial_history(c->book, a->pos[0], a->pos[1], &cur);
    }
    return cli_show(c, rc, cur);
}

/* The elements of a GS1 element string (no book needed). */
static int gs1(cli *c, const cli_args *a)
{
    char norm[1200], gtin[32] = "", lot[32] = "", serial[32] = "", exp[16] = "";
    int rc = bo_gs1_normalize(a->pos[0], norm, sizeof norm);
    if (rc < 0)
        return cli_lib_error(c, rc);
    bo_gs1_get(a->pos[0], "01", gtin, sizeof gtin);
    bo_gs1_get(a->pos[0], "10", lot, sizeof lot);
    bo_gs1_get(a->pos[0], "21", serial, sizeof serial);
    bo_date d;
    if (bo_gs1_expiry(a->pos[0], &d) == 0)
        bo_date_format(d, exp, sizeof exp);
    cli_field f[] = {
        {"elements", BO_TYPE_TEXT, 0, norm}, {"gtin", BO_TYPE_TEXT, 0, gtin[0] ? gtin : NULL},
        {"lot", BO_TYPE_TEXT, 0, lot[0] ? lot : NULL},
        {"expiry", BO_TYPE_TEXT, 0, exp[0] ? exp : NULL},
        {"serial", BO_TYPE_TEXT, 0, serial[0] ? serial : NULL},
    };
    return cli_render_record(c, f, 5, NULL);
}

static const cli_sub subs[] = {
    {{"location-add", "CODE NAME [--kind store|warehouse|bin] "
      "[--negative-stock 1]", "Add a store, warehouse or bin.\n", NULL},
     {"kind", "negative-stock"}, 2, 2, location_add},
    {{"location-set", "CODE FIELD [VALUE]",
      "Set name, negative_stock or inventory_account of a location.\n", NULL}, {0}, 2, 3,
     location_set},
    {{"locations", "", "List the locations.\n", NULL}, {0}, 0, 0, listing},
    {{"item-add", "SKU NAME [--scale N] [--method fifo|average] [--tax CAT]",
      "Add an item; quantities have N decimals.\n", NULL}, {"scale", "method", "tax"}, 2, 2,
     item_add},
    {{"item-set", "SKU FIELD [VALUE]",
      "Set name, unit, category, tax_category, revenue_account, supplier,\n"
      "negative_stock or active of an item; no VALUE clears it.\n", NULL}, {0}, 2, 3, item_set},
    {{"barcode-add", "SKU BARCODE", "Add a barcode to an item.\n", NULL},
     {0}, 2, 2, barcode},
    {{"item", "SKU|BARCODE", "Show one item.\n", NULL}, {0}, 1, 1, listing},
    {{"items", "", "List the items.\n", NULL}, {0}, 0, 0, listing},
    {{"setting-set", "KEY [ACCOUNT]",
      "Set account.inventory, account.cogs, account.grni, account.adjustments,\n"
      "account.revenue or payment.METHOD.\n", NULL}, {0}, 1, 2, setting_set},
    {{"settings", "", "List the settings.\n", NULL}, {0}, 0, 0, listing},
    {{"receive", "SKU LOCATION QTY COST --date D --key K [--ref R] [--unit U]",
      "Receive QTY (in unit U: one of the item's units) at a total COST. K is the\n"
      "idempotency key: the same command again with K records nothing and prints\n"
      "the first id.\n", NULL},
     {"date", "ref", "key", "unit"}, 4, 4, receive},
    {{"issue", "SKU LOCATION QTY --date D --reason R --key K [--ref R]",
      "Issue stock at its cost (K: the idempotency key).\n", NULL},
     {"date", "reason", "ref", "key"}, 3, 3, issue},
    {{"adjust", "SKU LOCATION DELTA --date D --reason R --key K [--cost C]",
      "Adjust stock by DELTA (negative for a loss; K: the idempotency key).\n", NULL},
     {"date", "reason", "cost", "key"}, 3, 3, adjust},
    {{"transfer", "SKU FROM TO QTY --date D --key K [--in-transit 1] "
      "[--ref R]", "Move stock between locations (K: the idempotency key).\n", NULL},
     {"date", "in-transit", "ref", "key"}, 4, 4, transfer},
    {{"arrive", "TRANSFER --date D", "Book a transfer's arrival.\n", NULL},
     {"date"}, 1, 1, arrive},
    {{"stock", "[--sku S] [--location L]",
      "Stock on hand, reserved, available and value.\n", NULL}, {"sku", "location"}, 0, 0, stock},
    {{"history", "[--sku S] [--location L] [--from D] [--to D]",
      "Movements.\n", NULL}, {"sku", "location", "from", "to"}, 0, 0, history},
    {{"valuation", "", "Stock value per item and location.\n", NULL},
     {0}, 0, 0, listing},
    {{"layers", "SKU LOCATION", "Open FIFO cost layers.\n", NULL}, {0}, 2, 2,
     listing},
    {{"sell", "--date D --key K [--exclusive 1] [--customer P] [--coupon C] [--picks P] "
      "SKU@LOCATION=QTY[/UNIT][xPRICE[-DISCOUNT]]... pay:METHOD=AMOUNT...",
      "Record a sale in one transaction. K is the idempotency key (the till and\n"
      "receipt number): a retry with K records nothing and prints the first sale.\n"
      "--picks names the lots or serials per line: 1=L1:5,L2:3;2=SN7.\n"
      "QTY/UNIT sells in one of the item's units; without xPRICE the price lists\n"
      "price the line.\n",
      NULL},
     {"date", "key", "memo", "exclusive", "customer", "picks", "coupon"}, 1, -1, sell},
    {{"sale", "SALE", "The lines of a sale.\n", NULL}, {0}, 1, 1, sale_lines},
    {{"return", "SALE LINE QTY --date D --key K [--method M]",
      "Return part of a sale line (K: the idempotency key).\n", NULL},
     {"date", "method", "key"}, 3, 3, return_},
    {{"hold", "SKU LOCATION QTY [--expires SECONDS|TIME] [--key K] [--lot L|-]",
      "Reserve stock. --lot holds one lot of an item tracked by lot (-: the first\n"
      "to expire with QTY not held).\n", NULL}, {"expires", "key", "lot"}, 3, 3, hold},
    {{"release", "HOLD", "Release a hold.\n", NULL}, {0}, 1, 1, release},
    {{"holds", "[--sku S]", "List holds.\n", NULL}, {"sku"}, 0, 0, listing},
    {{"expire", "", "Expire holds whose time has passed.\n", NULL}, {0}, 0, 0,
     expire},
    {{"reorder-set", "SKU LOCATION POINT QTY",
      "Set a reorder point and quantity.\n", NULL}, {0}, 4, 4, reorder_set},
    {{"reorder", "", "Suggested purchases by supplier.\n", NULL}, {0}, 0, 0,
     listing},
    {{"stock-row", "ID", "The stock row of a stock.low event.\n", NULL},
     {0}, 1, 1, by_id},
    {{"po-add", "NUMBER SUPPLIER --date D", "Open a purchase order.\n", NULL},
     {"date"}, 2, 2, po_add},
    {{"po-line", "PO SKU LOCATION QTY UNIT_COST [--expected D] [--unit U]",
      "Add a line to a purchase order. --unit U orders QTY in one of the item's\n"
      "units (a case) at UNIT_COST per U; the line is received in U.\n", NULL},
     {"expected", "unit"}, 5, 5, po_line},
    {{"po-receive", "PO LINE QTY --date D --key K [--picks P] [--expiry D] "
      "[--best-before D]",
      "Receive part of a purchase order line (K: the idempotency key), QTY in the\n"
      "line's unit. --picks names a tracked item's lots or serials (L1:5,L2:3 or\n"
      "SN1,SN2, in the stock unit); new lots get --expiry and --best-before.\n", NULL},
     {"date", "key", "picks", "expiry", "best-before"}, 3, 3, po_receive},
    {{"po-lines", "PO", "The lines of a purchase order.\n", NULL}, {0}, 1, 1,
     by_id},
    {{"landed-cost", "PO AMOUNT ACCOUNT --date D [--key K]",
      "Add freight or duty to a purchase order's receipts.\n", NULL}, {"date", "key"}, 3, 3,
     landed},
    {{"count-start", "LOCATION --date D --key K",
      "Start a stock count (K: the idempotency key).\n", NULL}, {"date", "key"}, 1, 1,
     count_start},
    {{"count-set", "COUNT SKU QTY", "Record a counted quantity.\n", NULL},
     {0}, 3, 3, count_set},
    {{"count-post", "COUNT --key K",
      "Post a count's variances (K: the idempotency key).\n", NULL}, {"key"}, 1, 1,
     count_post},
    {{"count-lines", "COUNT", "The lines of a count.\n", NULL}, {0}, 1, 1,
     by_id},
    {{"ship", "SALE --key K [--carrier C] [--service S] [--tracking T]",
      "Create a shipment for a sale (K: the idempotency key).\n", NULL},
     {"carrier", "service", "tracking", "key"}, 1, 1, ship},
    {{"ship-status", "SHIPMENT STATUS [--note N]",
      "Move a shipment to shipped, in_transit, delivered or returned.\n", NULL}, {"note"}, 2, 2,
     ship_status},
    {{"ship-history", "SHIPMENT", "A shipment's status history.\n",
      NULL}, {0}, 1, 1, by_id},
    {{"track", "SKU lot|serial|none",
      "Track an item by lot or serial number (only while it has no stock).\n", NULL},
     {0}, 2, 2, track},
    {{"receive-picked", "SKU LOCATION QTY COST PICKS --date D --key K [--expiry D] "
      "[--best-before D] [--ref R]",
      "Receive into lots (PICKS: L1 or L1:5,L2:3, quantities in the item's\n"
      "smallest unit) or serial numbers (SN1,SN2); new lots get the dates.\n", NULL},
     {"date", "key", "expiry", "best-before", "ref"}, 5, 5, picked},
    {{"issue-picked", "SKU LOCATION QTY PICKS|- --date D --reason R --key K [--ref R]",
      "Issue from named lots or serials (-: first expired first out).\n", NULL},
     {"date", "reason", "ref", "key"}, 4, 4, picked},
    {{"transfer-picked", "SKU FROM TO QTY PICKS|- --date D --key K [--ref R]",
      "Transfer named lots or serials (-: first expired first out).\n", NULL},
     {"date", "ref", "key"}, 5, 5, picked},
    {{"adjust-picked", "SKU LOCATION DELTA PICKS|- --date D --reason R --key K [--cost C]",
      "Adjust named lots or serials (a gain names known lots).\n", NULL},
     {"date", "reason", "cost", "key"}, 4, 4, picked},
    {{"lots", "SKU", "An item's lots with their stock per location, by expiry.\n", NULL},
     {0}, 1, 1, lot_listing},
    {{"expiring", "[--date D] [--days N]",
      "Lots expiring within N days of D (today), with their stock's value.\n", NULL},
     {"date", "days"}, 0, 0, lot_listing},
    {{"recall", "SKU LOT", "Every sale and customer that took a lot.\n", NULL},
     {0}, 2, 2, lot_listing},
    {{"serials", "SKU", "An item's serial numbers and where each is.\n", NULL},
     {0}, 1, 1, lot_listing},
    {{"serial", "SKU SERIAL", "The movements of one serial number.\n", NULL},
     {0}, 2, 2, lot_listing},
    {{"gs1", "TEXT",
      "Read a GS1 element string: (01)...(17)...(10)... or as scanned (GS as FNC1).\n",
      NULL}, {0}, 1, 1, gs1},
    /* units of measure, price lists, promotions (cmd_inventory_pricing.c) */
    {{"unit-set", "SKU UNIT NUM DEN [--price P]",
      "Give an item a unit: one UNIT is NUM/DEN of its stock unit, at price P.\n", NULL},
     {"price"}, 4, 4, cli_inv_unit_set},
    {{"unit-convert", "SKU QTY [--from U] [--to U]",
      "Convert a quantity between an item's units, exactly (no --from/--to:\n"
      "the stock unit).\n", NULL}, {"from", "to"}, 2, 2, cli_inv_unit_convert},
    {{"units", "[--sku S]", "List the items' units.\n", NULL}, {"sku"}, 0, 0,
     cli_inv_pricing_listing},
    {{"group-set", "PARTY [GROUP]", "Put a customer in a price group (none: out).\n",
      NULL}, {0}, 1, 2, cli_inv_group_set},
    {{"pricelist-add", "CODE [--group G] [--location L] [--from D] [--to D]",
      "Add a price list.\n", NULL}, {"group", "location", "from", "to"}, 1, 1,
     cli_inv_pricelist_add},
    {{"pricelist-price", "LIST SKU MIN_QTY PRICE [--unit U]",
      "Price an item on a list from MIN_QTY (0: the base price).\n", NULL}, {"unit"}, 4, 4,
     cli_inv_pricelist_price},
    {{"pricelists", "", "List the price lists and their prices.\n", NULL}, {0}, 0, 0,
     cli_inv_pricing_listing},
    {{"promotion-set", "CODE KIND [--sku S] [--sku2 S] [--buy N] [--get N] [--value V] "
      "[--coupon C] [--from D] [--to D]",
      "Add or replace a promotion: percent (V in basis points), amount, buy_get\n"
      "or bundle (V money).\n", NULL},
     {"sku", "sku2", "buy", "get", "value", "coupon", "from", "to"}, 2, 2,
     cli_inv_promotion_set},
    {{"promotions", "", "List the promotions.\n", NULL}, {0}, 0, 0, cli_inv_pricing_listing},
};

const cli_domain cli_inventory_domain = {
    "inventory", "inventory",
    "items, locations, stock, sales and returns, purchase orders, counts, shipments",
    subs, sizeof subs / sizeof *subs, NULL, 0,
};
