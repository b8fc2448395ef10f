/*
 * The demo's chapter on four eyes: a large refund at the till waits for
 * the manager. The cashier refunds one mug at once; five mugs wait, the
 * cashier cannot approve their own refund, the manager does, and the
 * refund is the cashier's in the books.
 */
#include "demo_parts.h"

#include <stdio.h>
#include <string.h>

static int failures;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo approvals: %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        failures++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "demo approvals: %s is %lld, expected %lld\n", what,
                (long long)got, (long long)want);
        failures++;
    }
}

static bo_book *open_as(bo_book *b, const char *actor)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = actor;
    bo_book *h = NULL;
    ok(bo_book_open(&h, bo_book_uri(b), &o), actor);
    return h;
}

static int64_t mugs(bo_book *b)
{
    int64_t q = 0;
    ok(bo_inventory_stock(b, "MUG", "MAIN", &q), "stock");
    return q;
}

int demo_approvals(demo_ctx *ctx)
{
    bo_book *b = ctx->book;
    bo_date d = 0;
    bo_date_parse("2026-02-20", &d);
    printf("\n== Four eyes at the till: 20 February 2026 ==\n");

    /* Who works the till, who manages it, and the rule: a refund of 50.00
     * or more waits for a manager, for at most eight hours. */
    ok(bo_role_define(b, "cashier", "sales.post inventory.read approval.read"), "role");
    ok(bo_role_define(b, "manager", "sales.post inventory.read approval.read"), "role");
    ok(bo_role_grant(b, "sam", "cashier"), "grant");
    ok(bo_role_grant(b, "maria", "manager"), "grant");
    bo_approval_rule rule = BO_APPROVAL_RULE_INIT;
    rule.command = "inventory.sale.return";
    rule.has_min = 1;
    rule.min_amount = 5000;
    rule.roles = "manager";
    rule.expires_hours = 8;
    ok(bo_approval_rule_set(b, &rule), "rule");
    printf("  rule: inventory.sale.return of 50.00 or more waits for a manager\n");
    ok(bo_inventory_receive(b, &(bo_inventory_move_options){
            .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "MUG", .location = "MAIN",
            .qty = 10, .cost = 4000, .date = d, .key = "main-po-mugs" }, NULL), "receive");

    bo_book *sam = open_as(b, "sam"), *maria = open_as(b, "maria");
    if (!sam || !maria) {
        bo_book_free(sam);
        bo_book_free(maria);
        return 1;
    }
    bo_sale *s = NULL;
    int64_t sale = 0, ret = 0, request = 0, refund = 0;
    if (ok(bo_sale_new(&s, d, "till"), "sale") == 0) {
        ok(bo_sale_set_key(s, "main-0100"), "sale key");
        ok(bo_sale_line(s, "MUG", "MAIN", 6, 1200, 0), "sale line");
        ok(bo_sale_payment(s, "cash", 10000), "payment");
        ok(bo_inventory_sale_post(sam, s, &sale), "sale post");
    }
    bo_sale_free(s);
    int64_t before = mugs(b);
    printf("  sam sells 6 mugs (sale %lld)\n", (long long)sale);

    bo_inventory_return_options ro = BO_INVENTORY_RETURN_OPTIONS_INIT;
    ro.sale_id = sale;
    ro.line = 1;
    ro.qty = 1;
    ro.date = d;
    ro.method = "cash";
    ro.key = "main-r-0100";
    ok(bo_inventory_return(sam, &ro, &ret), "small refund");
    printf("  sam refunds 1 mug at once (return %lld)\n", (long long)ret);
    expect(mugs(b), before + 1, "mugs after the small refund");

    ro.qty = 5;
    ro.key = "main-r-0101";
    int rc = bo_inventory_return(sam, &ro, &ret);
    expect(rc, BO_EPENDING, "the large refund");
    printf("  sam refunds 5 mugs: %s\n", bo_error_message());
    ok(bo_approval_last(sam, &request), "request");
    expect(mugs(b), before + 1, "mugs while the refund waits");

    rc = bo_approval_approve(sam, request, NULL);
    expect(rc, BO_EDENIED, "sam approving his own refund");
    printf("  sam tries to approve it: %s\n", bo_error_message());

    ok(bo_approval_approve(maria, request, &refund), "approve");
    printf("  maria approves: the refund is made (return %lld), as sam's\n",
           (long long)refund);
    expect(mugs(b), before + 6, "mugs after the approved refund");
    /* A replay at the till answers the refund made. */
    int64_t again = 0;
    ok(bo_inventory_return(sam, &ro, &again), "replay");
    expect(again, refund, "the replayed refund");

    bo_cursor *c = NULL;
    if (ok(bo_approval_requests(b, NULL, &c), "requests") == 0) {
        while (bo_cursor_next(c) == 0)
            printf("  request %lld: %s by %s, %s, approvals %lld of %lld\n",
                   (long long)bo_cursor_int(c, 0), bo_cursor_text(c, 1),
                   bo_cursor_text(c, 3), bo_cursor_text(c, 2),
                   (long long)bo_cursor_int(c, 6), (long long)bo_cursor_int(c, 7));
        bo_cursor_free(c);
    }
    ok(bo_audit_verify_full(b, NULL, NULL), "verify");
    bo_book_free(maria);
    bo_book_free(sam);
    return failures;
}
