/* Till sessions (cashier sessions): one per cashier and store, opened with
 * a float, closed with the cash counted. What the session counts in is
 * fixed by id windows taken at the open and the close: the cashier's sales
 * with a line at the store (their cash part: cash paid less change given),
 * the cash refunds the cashier recorded there, and the session's own cash
 * movements. The close stores the figures and posts the difference between
 * counted and expected cash to the over/short account in its transaction.
 * The sync domain's terminal (include/backoffice/sync.h) is the device the
 * same till runs on; its bo_terminal_close_check() is what a terminal asks
 * before it closes a session here. */
#include "inventory/inventory.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_TILL_ADD[] =
    "INSERT INTO inv_tills (cashier, location_id, date, opening_float, status, sale_from,"
    " return_from, idem_key, digest) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id";
static const char SQL_TILL_BY_KEY[] = "SELECT id, digest FROM inv_tills WHERE idem_key = ?";
static const char SQL_TILL_BY_CLOSE_KEY[] =
    "SELECT id, close_digest FROM inv_tills WHERE close_key = ?";
static const char SQL_TILL_OPEN_OF[] =
    "SELECT id FROM inv_tills WHERE cashier = ? AND location_id = ? AND status = 'open'";
static const char SQL_TILL_GET[] =
    "SELECT t.status, t.cashier, t.date, l.code, t.location_id, t.opening_float,"
    " t.sale_from, t.return_from FROM inv_tills t"
    " JOIN inv_locations l ON l.id = t.location_id WHERE t.id = ?";
static const char SQL_NEXT_IDS[] =
    "SELECT (SELECT COALESCE(MAX(id), 0) FROM inv_sales),"
    " (SELECT COALESCE(MAX(id), 0) FROM inv_returns)";
/* The cash part of the cashier's sales at the store in the window. */
static const char SQL_CASH_SALES[] =
    "SELECT COUNT(*), COALESCE(SUM((SELECT SUM(p.amount) FROM inv_sale_payments p"
    " WHERE p.sale_id = s.id AND p.method = 'cash') - s.change_given), 0)"
    " FROM inv_sales s WHERE s.id >= ? AND s.id <= ? AND COALESCE(s.actor, '') = ?"
    " AND EXISTS (SELECT 1 FROM inv_sale_payments p WHERE p.sale_id = s.id"
    "  AND p.method = 'cash')"
    " AND EXISTS (SELECT 1 FROM inv_sale_lines l JOIN inv_stock st ON st.id = l.stock_id"
    "  WHERE l.sale_id = s.id AND st.location_id = ?)";
/* The cash refunds the cashier recorded at the store in the window. */
static const char SQL_REFUNDS[] =
    "SELECT COALESCE(SUM(r.net + r.tax), 0) FROM inv_returns r"
    " JOIN inv_sale_lines l ON l.sale_id = r.sale_id AND l.line = r.line"
    " JOIN inv_stock st ON st.id = l.stock_id"
    " WHERE r.id >= ? AND r.id <= ? AND r.method = 'cash' AND st.location_id = ?"
    " AND EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'inventory.stock.return'"
    "  AND a.object = 'move:' || CAST(r.move_id AS TEXT) AND COALESCE(a.actor, '') = ?)";
static const char SQL_MOVES_SUM[] =
    "SELECT COALESCE(SUM(amount), 0) FROM inv_till_moves WHERE till_id = ?";
static const char SQL_TILL_CLOSE[] =
    "UPDATE inv_tills SET status = 'closed', close_date = ?, sale_to = ?, return_to = ?,"
    " cash_sales = ?, refunds = ?, movements = ?, expected = ?, counted = ?,"
    " difference = ?, entry_id = ?, close_key = ?, close_digest = ? WHERE id = ?";
static const char SQL_MOVE_ADD[] =
    "INSERT INTO inv_till_moves (till_id, date, amount, account, memo, entry_id, idem_key,"
    " digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_MOVE_BY_KEY[] = "SELECT id, digest FROM inv_till_moves WHERE idem_key = ?";
static const char SQL_MOVE_ENTRY[] = "SELECT entry_id FROM inv_till_moves WHERE id = ?";
static const char SQL_TILL_RESULT[] = "SELECT difference FROM inv_tills WHERE id = ?";

typedef struct till_row {
    char status[16];
    char cashier[BO_CODE_MAX + 1];
    char date[11];
    char loc[BO_CODE_MAX + 1];
    int64_t loc_id, opening_float, sale_from, return_from;
} till_row;

struct till_ctx {
    const char *loc, *account, *memo, *key;
    int64_t id, amount, out;
    char date[11];
    char digest[65];
};

static const char *cashier_of(const bo_book *b)
{
    return b->actor ? b->actor : "";
}

static int till_get(bo_book *b, int64_t id, till_row *t)
{
    int found = 0;
    int rc = bo__store_row(b->store, SQL_TILL_GET, &found, "i>ttttiiii", id, t->status,
                           sizeof t->status, t->cashier, sizeof t->cashier, t->date,
                           sizeof t->date, t->loc, sizeof t->loc, &t->loc_id,
                           &t->opening_float, &t->sale_from, &t->return_from);
    if (!rc && !found)
        rc = bo__error_set(BO_ENOTFOUND, "till: session %" PRId64 " not found", id);
    if (!rc && strcmp(t->status, "open"))
        rc = bo__error_set(BO_ESTATE, "till: session %" PRId64 " is closed already", id);
    return rc;
}

static int audit(bo_book *b, const char *action, int64_t id, const char *detail)
{
    char object[48];
    snprintf(object, sizeof object, "till:%" PRId64, id);
    return bo__audit_append(b, action, object, detail);
}

/* ---- open ---- */

static int open_tx(bo_book *b, void *p)
{
    struct till_ctx *c = p;
    bo__inv_loc l;
    int state, found = 0, rc;
    int64_t other = 0, sale_max = 0, ret_max = 0;
    const char *cashier = cashier_of(b);
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_TILL_BY_KEY, "till session", c->key, c->digest, &c->id,
                             &state)) || state == BO__IDEM_REPLAY ||
        (rc = bo__inv_loc_find(b, "location", c->loc, &l)) ||
        (rc = bo__require_at(b, BO__P_SALES_POST, l.code)) ||
        (rc = bo__store_row(b->store, SQL_TILL_OPEN_OF, &found, "ti>i", cashier, l.id, &other)))
        return rc;
    if (found)
        return bo__error_set(BO_ESTATE, "location: cashier '%s' has session %" PRId64
                             " open at '%s' already", cashier, other, l.code);
    if ((rc = bo__store_row(b->store, SQL_NEXT_IDS, NULL, ">ii", &sale_max, &ret_max)) ||
        (rc = bo__store_insert(b->store, SQL_TILL_ADD, NULL, &c->id, "titiiitt", cashier,
                               l.id, c->date, c->amount, sale_max + 1, ret_max + 1, c->key,
                               c->digest)))
        return rc;
    if (!c->id)
        return bo__error_set(BO_ERROR, "till: insert returned no id");
    return audit(b, "inventory.till.open", c->id, l.code);
}

int bo_inventory_till_open(bo_book *b, const char *location, bo_date date,
                           int64_t opening_float, const char *key, int64_t *id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (opening_float < 0)
        return bo__error_set(BO_EINVAL, "opening_float: %" PRId64 " must not be negative",
                             opening_float);
    struct till_ctx c = { location, NULL, NULL, key, 0, opening_float, 0, "", "" };
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    int rc;
    if ((rc = bo__idem_require("a till session", key)) ||
        (rc = bo__name_check("location", location, BO_CODE_MAX)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.till.open");
    bo__buf_field(&d, cashier_of(b));
    bo__buf_field(&d, location);
    bo__buf_field(&d, c.date);
    bo__buf_field_int(&d, opening_float);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(b, open_tx, &c)))
        return rc;
    if (id)
        *id = c.id;
    return 0;
}

/* ---- cash movements ---- */

static int cash_tx(bo_book *b, void *p)
{
    struct till_ctx *c = p;
    till_row t;
    char cash[BO_CODE_MAX + 1];
    int state, found = 0, rc;
    int64_t mid = 0, neg;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_MOVE_BY_KEY, "till cash movement", c->key, c->digest,
                             &mid, &state)))
        return rc;
    if (state == BO__IDEM_REPLAY)
        return bo__store_row(b->store, SQL_MOVE_ENTRY, &found, "i>i", mid, &c->out);
    if ((rc = till_get(b, c->id, &t)) || (rc = bo__require_at(b, BO__P_SALES_POST, t.loc)) ||
        (rc = bo__inv_setting(b, "payment.cash", cash, &found)))
        return rc;
    if (!found)
        return bo__error_set(BO_ECONFIG, "payment.cash: the till's cash account is not set");
    if (strcmp(c->date, t.date) < 0)
        return bo__error_set(BO_EINVAL, "date: %s is before the session opened (%s)", c->date,
                             t.date);
    if (bo_money_neg(c->amount, &neg))
        return bo__error_set(BO_EOVERFLOW, "amount: its negation overflows");
    bo__inv_post e = { 0 };
    bo__inv_post_add(&e, cash, c->amount);
    bo__inv_post_add(&e, c->account, neg);
    if ((rc = bo__inv_post_commit(b, &e, c->date, c->memo ? c->memo : "till cash", &c->out)))
        return rc == BO_ENOTFOUND ? bo__error_prefix("account: ") : rc;
    if ((rc = bo__store_insert(b->store, SQL_MOVE_ADD, NULL, &mid, "itittitt", c->id, c->date,
                               c->amount, c->account, c->memo, c->out, c->key, c->digest)))
        return rc;
    if (!mid)
        return bo__error_set(BO_ERROR, "till: insert returned no id");
    char detail[64];
    snprintf(detail, sizeof detail, "%" PRId64, c->amount);
    return audit(b, "inventory.till.cash", c->id, detail);
}

int bo_inventory_till_cash(bo_book *b, int64_t till, bo_date date, int64_t amount,
                           const char *account, const char *memo, const char *key,
                           int64_t *entry)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (amount == 0)
        return bo__error_set(BO_EINVAL, "amount: must not be 0");
    struct till_ctx c = { NULL, account, memo, key, till, amount, 0, "", "" };
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    int rc;
    if ((rc = bo__idem_require("a till cash movement", key)) ||
        (rc = bo__name_check("account", account, BO_CODE_MAX)) ||
        (rc = bo__inv_opt_text("memo", memo)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.till.cash");
    bo__buf_field_int(&d, till);
    bo__buf_field(&d, c.date);
    bo__buf_field_int(&d, amount);
    bo__buf_field(&d, account);
    bo__buf_field(&d, memo);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(b, cash_tx, &c)))
        return rc;
    if (entry)
        *entry = c.out;
    return 0;
}

/* ---- close ---- */

static int close_tx(bo_book *b, void *p)
{
    struct till_ctx *c = p;
    till_row t;
    int state, rc;
    int64_t closed = 0;
    if ((rc = bo__require(b, BO__P_SALES_POST)) ||
        (rc = bo__idem_claim(b, SQL_TILL_BY_CLOSE_KEY, "till close", c->key, c->digest,
                             &closed, &state)))
        return rc;
    if (state == BO__IDEM_REPLAY)
        return bo__store_row(b->store, SQL_TILL_RESULT, NULL, "i>i", closed, &c->out);
    if ((rc = till_get(b, c->id, &t)) || (rc = bo__require_at(b, BO__P_SALES_POST, t.loc)))
        return rc;
    if (strcmp(t.cashier, cashier_of(b)) && (rc = bo__require(b, BO__P_INVENTORY_ADMIN)))
        return bo__error_prefix("till: session %" PRId64 " is cashier '%s''s: ", c->id,
                                t.cashier);
    if (strcmp(c->date, t.date) < 0)
        return bo__error_set(BO_EINVAL, "date: %s is before the session opened (%s)", c->date,
                             t.date);
    int64_t sale_to = 0, ret_to = 0, nsales = 0, sales = 0, refunds = 0, moves = 0;
    if ((rc = bo__store_row(b->store, SQL_NEXT_IDS, NULL, ">ii", &sale_to, &ret_to)) ||
        (rc = bo__store_row(b->store, SQL_CASH_SALES, NULL, "iiti>ii", t.sale_from, sale_to,
                            t.cashier, t.loc_id, &nsales, &sales)) ||
        (rc = bo__store_row(b->store, SQL_REFUNDS, NULL, "iiit>i", t.return_from, ret_to,
                            t.loc_id, t.cashier, &refunds)) ||
        (rc = bo__store_row(b->store, SQL_MOVES_SUM, NULL, "i>i", c->id, &moves)))
        return rc;
    int64_t expected, diff;
    if (bo_money_add(t.opening_float, sales, &expected) ||
        bo_money_sub(expected, refunds, &expected) || bo_money_add(expected, moves, &expected) ||
        bo_money_sub(c->amount, expected, &diff))
        return bo__error_set(BO_EOVERFLOW, "till: session %" PRId64 ": expected cash "
                             "overflows", c->id);
    int64_t entry = 0;
    if (diff) {
        char cash[BO_CODE_MAX + 1], over[BO_CODE_MAX + 1];
        int64_t neg;
        if ((rc = bo__inv_account(b, "payment.cash", cash)) ||
            (rc = bo__inv_account(b, "account.over_short", over)))
            return rc;
        if (bo_money_neg(diff, &neg))
            return bo__error_set(BO_EOVERFLOW, "counted: the difference overflows");
        bo__inv_post e = { 0 };
        bo__inv_post_add(&e, cash, diff);
        bo__inv_post_add(&e, over, neg);
        if ((rc = bo__inv_post_commit(b, &e, c->date, "till cash over/short", &entry)))
            return rc;
    }
    if ((rc = bo__store_run(b->store, SQL_TILL_CLOSE, "tiiiiiiiiIttI", c->date, sale_to,
                            ret_to, sales, refunds, moves, expected, c->amount, diff, entry,
                            c->key, c->digest, c->id)))
        return rc;
    c->out = diff;
    char detail[96];
    snprintf(detail, sizeof detail, "expected %" PRId64 " counted %" PRId64, expected,
             c->amount);
    return audit(b, "inventory.till.close", c->id, detail);
}

int bo_inventory_till_close(bo_book *b, int64_t till, bo_date date, int64_t counted,
                            const char *key, int64_t *difference)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (counted < 0)
        return bo__error_set(BO_EINVAL, "counted: %" PRId64 " must not be negative", counted);
    struct till_ctx c = { NULL, NULL, NULL, key, till, counted, 0, "", "" };
    bo__date_iso(date, c.date);
    if (!c.date[0])
        return bo__error_set(BO_EINVAL, "date: out of range");
    int rc;
    if ((rc = bo__idem_require("a till close", key)))
        return rc;
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, "inv.till.close");
    bo__buf_field_int(&d, till);
    bo__buf_field(&d, c.date);
    bo__buf_field_int(&d, counted);
    if ((rc = bo__buf_digest(&d, c.digest)) || (rc = bo__write(b, close_tx, &c)))
        return rc;
    if (difference)
        *difference = c.out;
    return 0;
}

/* ---- listing ---- */

static const char SQL_TILLS[] =
    "SELECT t.id, t.cashier, l.code, t.date, t.close_date, t.status, t.opening_float,"
    " t.cash_sales, t.refunds, t.movements, t.expected, t.counted, t.difference, t.entry_id"
    " FROM inv_tills t JOIN inv_locations l ON l.id = t.location_id"
    " WHERE t.date BETWEEN ? AND ? ORDER BY t.date, l.code, t.id";

static const bo__col till_cols[] = {
    { "id", BO_TYPE_INT }, { "cashier", BO_TYPE_TEXT }, { "location", BO_TYPE_TEXT },
    { "opened", BO_TYPE_TEXT }, { "closed", BO_TYPE_TEXT }, { "status", BO_TYPE_TEXT },
    { "opening_float", BO_TYPE_INT }, { "cash_sales", BO_TYPE_INT },
    { "refunds", BO_TYPE_INT }, { "movements", BO_TYPE_INT }, { "expected", BO_TYPE_INT },
    { "counted", BO_TYPE_INT }, { "difference", BO_TYPE_INT }, { "entry", BO_TYPE_INT },
};

int bo_inventory_tills(bo_book *b, bo_date from, bo_date to, bo_cursor **out)
{
    bo__error_clear();
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    char f[11], t[11];
    bo__date_iso(from, f);
    bo__date_iso(to, t);
    if (!f[0] || !t[0])
        return bo__error_set(BO_EINVAL, "from/to: out of range");
    return bo__listing(b, BO__P_INVENTORY_READ, NULL, SQL_TILLS, till_cols, 14, out, "tt", f,
                       t);
}
