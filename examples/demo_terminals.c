/*
 * The demo's chapter on offline terminals and the change feed: a till at
 * a pop-up stall is set up from the shop's own file as a terminal of the
 * shop's book, loses its connection, keeps selling (each sale and its
 * outbox row in one local transaction, a gapless receipt number each),
 * comes back and syncs; the web shop, listening on the shop book's change
 * feed, sees every synced sale once, and nothing again when it asks a
 * second time.
 */
#include "demo_parts.h"

#include <stdio.h>
#include <string.h>

static int failures;

static int ok(int rc, const char *what)
{
    if (rc < 0) {
        fprintf(stderr, "demo terminals: %s: %s: %s\n", what, bo_error_name(rc),
                bo_error_message());
        failures++;
    }
    return rc;
}

static void expect(int64_t got, int64_t want, const char *what)
{
    if (got != want) {
        fprintf(stderr, "demo terminals: %s is %lld, expected %lld\n", what, (long long)got,
                (long long)want);
        failures++;
    }
}

/* The web shop's listener: counts the sales the shop book received from
 * its terminals (one event "sync.central.receive" each). */
static int web_shop(bo_book *book, const bo_feed_event *ev, void *user)
{
    (void)book;
    if (!strcmp(ev->kind, "sync.central.receive"))
        ++*(int64_t *)user;
    return 0;
}

int demo_terminals(demo_ctx *ctx)
{
    bo_book *shop = ctx->book;
    printf("\n== A till at the pop-up stall: offline, then synced ==\n");
    int64_t first = 0, last = 0;
    /* the web shop starts listening now */
    if (ok(bo_feed_head(shop, &first, &last), "feed head") ||
        ok(bo_feed_save(shop, "webshop", last), "web shop position"))
        return 1;

    char path[4200], yaml[4200];
    snprintf(path, sizeof path, "%s/till.db", ctx->dir);
    snprintf(yaml, sizeof yaml, "%s/shop.yaml", BO_EXAMPLES_DIR);
    remove(path);
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "admin";
    bo_book *till = NULL;
    if (ok(bo_book_create_from_yaml(&till, yaml, path, &o), "the till's book"))
        return 1;
    ok(bo_inventory_location_add(till, "POP", "Pop-up stall", "store", 1), "till location");
    ok(bo_inventory_location_add(shop, "POP", "Pop-up stall", "store", 0), "shop location");
    ok(bo_terminal_setup(till, "TILL1", bo_book_uri(shop)), "terminal setup");

    /* offline: three sales, nothing reaches the shop's book */
    static const struct { const char *key, *sku; int64_t qty, price; } sales[] = {
        { "pop-1", "MUG", 1, 1200 }, { "pop-2", "MUG", 2, 1200 }, { "pop-3", "MUG", 1, 1100 },
    };
    bo_date d = 0;
    bo_date_parse("2026-03-07", &d);
    for (size_t i = 0; i < sizeof sales / sizeof sales[0]; i++) {
        bo_sale *s = NULL;
        int64_t id = 0, receipt = 0;
        if (ok(bo_sale_new(&s, d, "pop-up stall"), "sale") ||
            ok(bo_sale_set_key(s, sales[i].key), "key") ||
            ok(bo_sale_line(s, sales[i].sku, "POP", sales[i].qty, sales[i].price, 0),
               "line") ||
            ok(bo_sale_payment(s, "cash", sales[i].qty * sales[i].price), "payment") ||
            ok(bo_inventory_sale_post(till, s, &id), "offline sale") ||
            ok(bo_terminal_receipt(till, id, &receipt), "receipt")) {
            bo_sale_free(s);
            bo_book_free(till);
            return 1;
        }
        bo_sale_free(s);
        printf("offline sale %s: receipt %lld\n", sales[i].key, (long long)receipt);
    }
    bo_terminal_status st = BO_TERMINAL_STATUS_INIT;
    ok(bo_terminal_status_get(till, &st), "status");
    printf("the till holds %lld queued sales worth %lld.%02lld\n", (long long)st.queued,
           (long long)(st.queued_value / 100), (long long)(st.queued_value % 100));
    expect(st.queued, 3, "queued sales");
    if (bo_terminal_close_check(till) == BO_ESTATE)
        printf("the till session cannot close yet: %s\n", bo_error_message());

    /* back online: one sync pushes them, exactly once */
    bo_sync_report r = BO_SYNC_REPORT_INIT;
    ok(bo_sync_run(till, shop, NULL, &r), "sync");
    printf("synced: %lld pushed, %lld quarantined, %lld rows pulled\n", (long long)r.pushed,
           (long long)r.quarantined, (long long)r.pulled);
    expect(r.pushed, 3, "pushed");
    bo_sync_report again = BO_SYNC_REPORT_INIT;
    ok(bo_sync_run(till, shop, NULL, &again), "second sync");
    expect(again.pushed, 0, "pushed by a second sync");
    ok(bo_terminal_close_check(till), "close check");

    /* the web shop reads the feed from its position: each sale once */
    int64_t seen = 0;
    int consumed = 0;
    ok(bo_feed_consume(shop, "webshop", 10000, web_shop, &seen, &consumed), "web shop");
    printf("the web shop's listener saw %lld synced sales (%d events)\n", (long long)seen,
           consumed);
    expect(seen, 3, "sales the web shop saw");
    int64_t seen2 = 0;
    ok(bo_feed_consume(shop, "webshop", 10000, web_shop, &seen2, NULL), "web shop again");
    printf("asked again: %lld new sales (every sale seen once)\n", (long long)seen2);
    expect(seen2, 0, "sales the web shop saw twice");
    bo_book_free(till);
    remove(path);
    return failures ? 1 : 0;
}
