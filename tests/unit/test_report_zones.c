/* Each store's time zone by its IANA name (inventory setting "zone.CODE",
 * or the report's zones), with daylight saving from the tz database.
 *
 * Store NY is on America/New_York (EDT, UTC-4, from 2021-03-14):
 *   sale 1, dated 2021-03-31, recorded 2021-04-01 03:30 UTC = 23:30 on
 *     03-31 in New York: it stays in March (on UTC it would be April);
 *   sale 2, dated 2021-04-01, recorded 2021-04-01 04:30 UTC = 00:30 on
 *     04-01 (a fixed -05:00 would put it at 23:30 on 03-31).
 * Store JK is on Asia/Jakarta (WIB, UTC+7):
 *   sale 3, dated 2021-04-01, recorded 2021-03-31 17:15 UTC = 00:15 on
 *     04-01 in Jakarta.
 * Each sale is one unit at 10.00. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bo_book *book;
static char *uri;

static bo_date D(const char *s)
{
    bo_date d;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static void sell(const char *date, const char *loc, const char *at)
{
    bo_sale *s;
    int64_t id = 0;
    bo_assert_ok(bo_sale_new(&s, D(date), "till"));
    bo_assert_ok(bo_sale_set_key(s, bo_test_key()));
    bo_assert_ok(bo_sale_line(s, "A", loc, 1, 1000, 0));
    bo_assert_ok(bo_sale_payment(s, "cash", 1000));
    bo_assert_ok(bo_inventory_sale_post(book, s, &id));
    bo_sale_free(s);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE audit_log SET at = '%s' WHERE object = 'sale:%lld'"
             " AND action = 'inventory.sale.post'", at, (long long)id);
    bo_test_raw_sql(uri, sql);
}

static void setup_book(void)
{
    uri = bo_test_path("report_zones");
    bo_book_options bo = BO_BOOK_OPTIONS_INIT;
    bo.actor = "owner";
    bo.create = 1;
    bo.sync = BO_SYNC_OFF;
    bo_assert_ok(bo_book_open(&book, uri, &bo));
    bo_test_chart(book);
    bo_assert_ok(bo_ledger_account_add(book, "1200", "Inventory", BO_ACCOUNT_ASSET, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "2100", "GRNI", BO_ACCOUNT_LIABILITY, NULL, NULL));
    bo_assert_ok(bo_ledger_account_add(book, "5100", "COGS", BO_ACCOUNT_EXPENSE, NULL, NULL));
    const char *settings[][2] = {
        { "account.inventory", "1200" }, { "account.cogs", "5100" },
        { "account.grni", "2100" },      { "account.revenue", "4000" },
        { "payment.cash", "1000" },
    };
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
        bo_assert_ok(bo_inventory_setting_set(book, settings[i][0], settings[i][1]));
    bo_assert_ok(bo_inventory_location_add(book, "NY", "New York", "store", 0));
    bo_assert_ok(bo_inventory_location_add(book, "JK", "Jakarta", "store", 0));
    bo_assert_ok(bo_inventory_item_add(book, "A", "Widget", 0, BO_INVENTORY_FIFO, NULL));
    const char *locs[] = { "NY", "JK" };
    for (int i = 0; i < 2; i++)
        bo_assert_ok(bo_inventory_receive(book, &(bo_inventory_move_options){
                .version = BO_INVENTORY_MOVE_OPTIONS_VERSION, .sku = "A", .location = locs[i],
                .qty = 10, .cost = 1000, .date = D("2021-01-01"), .key = bo_test_key() },
                NULL));
}

static void setup(void)
{
    setup_book();
    sell("2021-03-31", "NY", "2021-04-01T03:30:00Z");
    sell("2021-04-01", "NY", "2021-04-01T04:30:00Z");
    sell("2021-04-01", "JK", "2021-03-31T17:15:00Z");
}

static void teardown(void)
{
    bo_book_free(book);
    book = NULL;
    free(uri);
}

/* "key:sales:net" of each row with sales, joined by spaces. */
static void rows(int group, const char *from, const char *to, const char *zones, char *out,
                 size_t size)
{
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D(from);
    o.to = D(to);
    o.group = group;
    o.zones = zones;
    bo_cursor *c;
    bo_assert_ok(bo_report_metrics(book, &o, &c));
    size_t len = 0;
    out[0] = '\0';
    int rc;
    while ((rc = bo_cursor_next(c)) == 0) {
        if (bo_cursor_int(c, 1) == 0)
            continue;
        len += (size_t)snprintf(out + len, size - len, "%s%s:%lld:%lld", len ? " " : "",
                                bo_cursor_text(c, 0), (long long)bo_cursor_int(c, 1),
                                (long long)bo_cursor_int(c, 7));
        ck_assert_uint_lt(len, size);
    }
    ck_assert_int_eq(rc, BO_ITEROVER);
    bo_cursor_free(c);
}

START_TEST(zone_iana_late_sale_stays_in_its_month)
{
    char got[512];
    bo_assert_ok(bo_inventory_setting_set(book, "zone.NY", "America/New_York"));
    bo_assert_ok(bo_inventory_setting_set(book, "zone.JK", "Asia/Jakarta"));
    /* March: only sale 1, at 23:30 on the 31st. */
    rows(BO_REPORT_TOTAL, "2021-03-01", "2021-03-31", NULL, got, sizeof got);
    ck_assert_str_eq(got, "total:1:1000");
    rows(BO_REPORT_DAY, "2021-03-31", "2021-04-01", NULL, got, sizeof got);
    ck_assert_str_eq(got, "2021-03-31:1:1000 2021-04-01:2:2000");
    rows(BO_REPORT_HOUR, "2021-03-31", "2021-04-01", NULL, got, sizeof got);
    ck_assert_str_eq(got, "00:2:2000 23:1:1000");
    /* The report's zones replace a store's stored one: a fixed -05:00
     * (no daylight saving) moves sale 2 to 23:30 on 03-31. */
    rows(BO_REPORT_DAY, "2021-03-31", "2021-04-01", "NY=-05:00", got, sizeof got);
    ck_assert_str_eq(got, "2021-03-31:2:2000 2021-04-01:1:1000");
    /* On UTC everywhere (no setting): sale 1 counts in April, sale 3 in March. */
    bo_assert_ok(bo_inventory_setting_set(book, "zone.NY", NULL));
    bo_assert_ok(bo_inventory_setting_set(book, "zone.JK", NULL));
    rows(BO_REPORT_DAY, "2021-03-31", "2021-04-01", NULL, got, sizeof got);
    ck_assert_str_eq(got, "2021-03-31:1:1000 2021-04-01:2:2000");
    rows(BO_REPORT_HOUR, "2021-03-31", "2021-04-01", NULL, got, sizeof got);
    ck_assert_str_eq(got, "03:1:1000 04:1:1000 17:1:1000");
    /* The same through the zones alone, and "*" for every other store. */
    rows(BO_REPORT_TOTAL, "2021-03-01", "2021-03-31", "NY=America/New_York,*=Asia/Jakarta",
         got, sizeof got);
    ck_assert_str_eq(got, "total:1:1000");
}
END_TEST

static int64_t settings_count(void)
{
    bo_cursor *c;
    int64_t n = 0;
    bo_assert_ok(bo_inventory_settings(book, &c));
    while (bo_cursor_next(c) == 0)
        n++;
    bo_cursor_free(c);
    return n;
}

START_TEST(zone_bad_names_refused)
{
    int64_t before = settings_count();
    static const struct { const char *key, *value; int code; const char *msg; } bad[] = {
        { "zone.NY", "Mars/Olympus_Mons", BO_EINVAL, "value: no time zone \"Mars/Olympus_Mons\"" },
        { "zone.NY", "../../etc/passwd", BO_EINVAL, "is not UTC, WIB, WITA, WIT, +HH:MM" },
        { "zone.NY", "/etc/passwd", BO_EINVAL, "value:" },
        { "zone.NY", "+15:00", BO_EINVAL, "value:" },
        { "zone.NY", "Asia/", BO_EINVAL, "value:" },
        { "zone.NY", "posixrules/..", BO_EINVAL, "value:" },
        { "zone.XX", "Asia/Jakarta", BO_ENOTFOUND, "no location 'XX'" },
        { "zone.", "Asia/Jakarta", BO_EINVAL, "key:" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_assert_err(bo_inventory_setting_set(book, bad[i].key, bad[i].value), bad[i].code);
        ck_assert_msg(strstr(bo_error_message(), bad[i].msg), "%s=%s: %s", bad[i].key,
                      bad[i].value, bo_error_message());
    }
    ck_assert_int_eq(settings_count(), before);
    /* A zone folder that is not one: TZif checks refuse what is not. */
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D("2021-03-01");
    o.to = D("2021-03-31");
    bo_cursor *c;
    o.zones = "NY=Europe/Nowhere";
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "zones: item 1: no time zone"));
    o.zones = "NY=WIB,JK=zone1970.tab";
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "zones: item 2"));
}
END_TEST

static void put_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* The tz database is outside input: sizes and counts bounded, refused with
 * the zone named, nothing stored. TZDIR points at files made here. */
START_TEST(zone_tzif_limits)
{
    char *dir = bo_test_file("tzdir");
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    size_t big = 300 * 1024;
    unsigned char *b = calloc(1, big);
    memcpy(b, "TZif2", 5);
    put_file(dir, "Big", b, big);
    /* a header claiming 2^32-1 transitions */
    memset(b + 32, 0xff, 4);
    b[39] = 1;
    put_file(dir, "Huge", b, 44);
    /* New York cut short */
    size_t len;
    char *ny = bo_test_slurp("/usr/share/zoneinfo/America/New_York", &len);
    put_file(dir, "Short", (unsigned char *)ny, len / 2);
    put_file(dir, "Whole", (unsigned char *)ny, len);
    free(ny);
    free(b);
    ck_assert_int_eq(setenv("TZDIR", dir, 1), 0);
    static const struct { const char *zone, *msg; } bad[] = {
        { "Big", "larger than 256 KiB" },
        { "Huge", "counts out of range" },
        { "Short", "truncated" },
    };
    int64_t before = settings_count();
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bo_assert_err(bo_inventory_setting_set(book, "zone.NY", bad[i].zone), BO_EINVAL);
        ck_assert_msg(strstr(bo_error_message(), bad[i].msg), "%s: %s", bad[i].zone,
                      bo_error_message());
        ck_assert_ptr_nonnull(strstr(bo_error_message(), "value:"));
    }
    ck_assert_int_eq(settings_count(), before);
    bo_assert_ok(bo_inventory_setting_set(book, "zone.NY", "Whole"));
    /* A zones string over 4096 bytes. */
    char *spec = malloc(5000);
    memset(spec, 'x', 4999);
    spec[4999] = '\0';
    bo_report_options o;
    bo_assert_ok(bo_report_options_init(&o, BO_REPORT_OPTIONS_VERSION));
    o.from = D("2021-03-01");
    o.to = D("2021-03-31");
    o.zones = spec;
    bo_cursor *c;
    bo_assert_err(bo_report_metrics(book, &o, &c), BO_ETOOLONG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "zones"));
    free(spec);
    unsetenv("TZDIR");
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report_zones");
    TCase *tc = tcase_create("zones");
    tcase_set_tags(tc, BO_TEST_TAG_REOPEN); /* raw SQL sets when sales were recorded */
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, zone_iana_late_sale_stays_in_its_month);
    suite_add_tcase(s, tc);
    TCase *tn = tcase_create("zone_names");
    tcase_add_checked_fixture(tn, setup_book, teardown);
    tcase_add_test(tn, zone_bad_names_refused);
    tcase_add_test(tn, zone_tzif_limits);
    suite_add_tcase(s, tn);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
