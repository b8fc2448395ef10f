/*
 * The change feed (include/backoffice/feed.h): one event per audit record,
 * gap-free positions in commit order, reading from any position kept,
 * the expiry error, consumers that save their position with their own
 * writes, and the wake-up.
 */
#include "testutil.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static bo_book *open_at(const char *path, int create)
{
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.create = create;
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_open(&b, path, &o));
    return b;
}

static int64_t last_position(bo_book *b)
{
    int64_t first = -1, last = -1;
    bo_assert_ok(bo_feed_head(b, &first, &last));
    return last;
}

static bo_date D(const char *s)
{
    bo_date d = 0;
    bo_assert_ok(bo_date_parse(s, &d));
    return d;
}

static int64_t balance(bo_book *b, const char *account)
{
    int64_t v = 0;
    bo_assert_ok(bo_ledger_balance(b, account, D("2026-12-31"), NULL, &v));
    return v;
}

/* Every command is one event, positions 1, 2, 3 ... without a gap. */
START_TEST(feed_one_event_per_command)
{
    bo_book *b = bo_test_book("feed-one");
    bo_test_chart(b);
    int64_t before = last_position(b);
    ck_assert_int_gt(before, 0); /* the book's creation and its chart */
    int64_t id = bo_test_post2(b, "2026-03-01", "1000", "4000", 1250);
    ck_assert_int_eq(last_position(b), before + 1);
    bo_cursor *c = NULL;
    bo_assert_ok(bo_feed_read(b, before, 10, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 0), before + 1);
    ck_assert_str_eq(bo_cursor_text(c, 3), "ledger.entry.post");
    char obj[32];
    snprintf(obj, sizeof obj, "entry:%" PRId64, id);
    ck_assert_str_eq(bo_cursor_text(c, 4), obj);
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    /* A rolled-back command leaves no event and no gap. */
    bo_assert_ok(bo_book_begin(b));
    bo_test_post2(b, "2026-03-02", "1000", "4000", 1);
    bo_assert_ok(bo_book_rollback(b));
    ck_assert_int_eq(last_position(b), before + 1);
    bo_test_post2(b, "2026-03-03", "1000", "4000", 2);
    ck_assert_int_eq(last_position(b), before + 2);
    bo_assert_ok(bo_feed_read(b, 0, BO_FEED_READ_MAX, &c));
    int64_t want = 1;
    while (bo_cursor_next(c) == 0)
        ck_assert_int_eq(bo_cursor_int(c, 0), want++);
    ck_assert_int_eq(want, before + 3);
    bo_cursor_free(c);
    bo_test_book_free(b);
}
END_TEST

/* Replaying from position 0 gives the audit chain: one event per record,
 * the same records in the same order. */
START_TEST(feed_replay_matches_audit_chain)
{
    bo_book *b = bo_test_book("feed-replay");
    bo_test_chart(b);
    for (int i = 0; i < 20; i++)
        bo_test_post2(b, "2026-04-01", i % 2 ? "1000" : "1100", "4000", 100 + i);
    bo_assert_ok(bo_feed_retention_set(b, 7));
    bo_cursor *a = NULL, *f = NULL;
    bo_assert_ok(bo_audit_list(b, 0, &a));
    bo_assert_ok(bo_feed_read(b, 0, BO_FEED_READ_MAX, &f));
    int n = 0;
    for (;; n++) {
        int ra = bo_cursor_next(a), rf = bo_cursor_next(f);
        ck_assert_int_eq(ra, rf);
        if (ra == BO_ITEROVER)
            break;
        ck_assert_int_eq(bo_cursor_int(f, 0), n + 1);                  /* position */
        ck_assert_int_eq(bo_cursor_int(f, 1), bo_cursor_int(a, 0));    /* id = seq */
        ck_assert_str_eq(bo_cursor_text(f, 2), bo_cursor_text(a, 1));  /* at */
        ck_assert_str_eq(bo_cursor_text(f, 3), bo_cursor_text(a, 3));  /* kind */
        ck_assert_str_eq(bo_cursor_text(f, 4), bo_cursor_text(a, 4));  /* object */
    }
    ck_assert_int_ge(n, 22);
    bo_cursor_free(a);
    bo_cursor_free(f);
    int days = 0;
    bo_assert_ok(bo_feed_retention(b, &days));
    ck_assert_int_eq(days, 7);
    bo_test_book_free(b);
}
END_TEST

/* Savepoints: a level rolled back takes its events away and the events
 * of the levels around it stay, even when something read the feed inside
 * the level (the transaction's events are written in one statement before
 * a read or the commit); positions stay gap-free and replay the chain. */
/* Run twice on PostgreSQL: writers taking turns (_i 0), where the
 * transaction positions its own events, and side by side on lanes (_i 1),
 * where events get positions only once committed (src/core/feed.c), so a
 * read inside the transaction sees none of its own. */
START_TEST(feed_savepoint_rollback_keeps_positions)
{
    const char *was = getenv("BO_PG_LANES");
    char *saved = was ? strdup(was) : NULL;
    int lanes = _i && strcmp(bo_test_backend(), "postgresql") == 0;
    setenv("BO_PG_LANES", _i ? "1" : "0", 1);
    bo_book *b = bo_test_book(_i ? "feed-savepoint-lanes" : "feed-savepoint");
    bo_test_chart(b);
    int64_t before = last_position(b);
    bo_assert_ok(bo_book_begin(b));
    bo_test_post2(b, "2026-05-01", "1000", "4000", 201);
    bo_assert_ok(bo_book_begin(b));
    bo_test_post2(b, "2026-05-02", "1000", "4000", 202);
    /* read inside the level */
    ck_assert_int_eq(last_position(b), before + (lanes ? 0 : 2));
    bo_assert_ok(bo_book_rollback(b));
    ck_assert_int_eq(last_position(b), before + (lanes ? 0 : 1));
    bo_assert_ok(bo_book_begin(b));
    bo_test_post2(b, "2026-05-03", "1000", "4000", 203);
    bo_assert_ok(bo_book_rollback(b)); /* nothing read inside */
    bo_test_post2(b, "2026-05-04", "1000", "4000", 204);
    bo_assert_ok(bo_book_commit(b));
    ck_assert_int_eq(last_position(b), before + 2);
    bo_test_post2(b, "2026-05-05", "1000", "4000", 205);
    ck_assert_int_eq(last_position(b), before + 3);
    bo_cursor *a = NULL, *f = NULL;
    bo_assert_ok(bo_audit_list(b, 0, &a));
    bo_assert_ok(bo_feed_read(b, 0, BO_FEED_READ_MAX, &f));
    int n = 0;
    for (;; n++) {
        int ra = bo_cursor_next(a), rf = bo_cursor_next(f);
        ck_assert_int_eq(ra, rf);
        if (ra == BO_ITEROVER)
            break;
        ck_assert_int_eq(bo_cursor_int(f, 0), n + 1);
        ck_assert_int_eq(bo_cursor_int(f, 1), bo_cursor_int(a, 0));
        ck_assert_str_eq(bo_cursor_text(f, 3), bo_cursor_text(a, 3));
        ck_assert_str_eq(bo_cursor_text(f, 4), bo_cursor_text(a, 4));
    }
    ck_assert_int_eq(n, before + 3);
    bo_cursor_free(a);
    bo_cursor_free(f);
    bo_test_book_free(b);
    if (saved)
        setenv("BO_PG_LANES", saved, 1);
    else
        unsetenv("BO_PG_LANES");
    free(saved);
}
END_TEST

/* Two transactions that commit in the reverse order of their start are
 * both seen by a poller, in commit order. On PostgreSQL the two writers run
 * side by side (lanes); on SQLite writers take turns, so the second starts
 * after the first commits and the poller sees nothing uncommitted. */
START_TEST(feed_reverse_commit_order_seen_by_poller)
{
    int pg = strcmp(bo_test_backend(), "postgresql") == 0;
    const char *was = getenv("BO_PG_LANES");
    char *saved = was ? strdup(was) : NULL;
    if (pg)
        setenv("BO_PG_LANES", "1", 1);
    char *path = bo_test_path("feed-order");
    bo_book *a = open_at(path, 1);
    bo_test_chart(a);
    bo_book *b = open_at(path, 0), *poller = open_at(path, 0);
    int64_t seen = last_position(poller);
    bo_assert_ok(bo_book_begin(a));
    bo_test_post2(a, "2026-05-01", "1000", "4000", 111);
    int64_t first_started = 0, second_started = 0;
    if (pg) {
        bo_assert_ok(bo_book_begin(b));
        bo_test_post2(b, "2026-05-02", "1100", "2000", 222);
        ck_assert_int_eq(last_position(poller), seen); /* nothing committed */
        bo_assert_ok(bo_book_commit(b)); /* started second, commits first */
        second_started = 1;
    }
    ck_assert_int_eq(last_position(poller), seen + (pg ? 1 : 0));
    bo_cursor *c = NULL;
    bo_assert_ok(bo_feed_read(poller, seen, 10, &c));
    if (pg) {
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_int_eq(bo_cursor_int(c, 0), seen + 1);
        second_started = bo_cursor_int(c, 1);
        seen++;
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    bo_assert_ok(bo_book_commit(a));
    if (!pg) {
        bo_test_post2(b, "2026-05-02", "1100", "2000", 222);
    }
    /* The poller goes on from the last position it saw: the earlier
     * transaction, committed later, comes after it, nothing skipped. */
    bo_assert_ok(bo_feed_read(poller, seen, 10, &c));
    ck_assert_int_eq(bo_cursor_next(c), 0);
    ck_assert_int_eq(bo_cursor_int(c, 0), seen + 1);
    first_started = bo_cursor_int(c, 1);
    if (pg) /* its audit record was numbered first, its position is later */
        ck_assert_int_lt(first_started, second_started);
    if (!pg) {
        ck_assert_int_eq(bo_cursor_next(c), 0);
        ck_assert_int_eq(bo_cursor_int(c, 0), seen + 2);
    }
    ck_assert_int_eq(bo_cursor_next(c), BO_ITEROVER);
    bo_cursor_free(c);
    ck_assert_int_eq(balance(poller, "1000"), 111);
    ck_assert_int_eq(balance(poller, "1100"), 222);
    bo_book_free(a);
    bo_book_free(b);
    bo_book_free(poller);
    free(path);
    if (saved)
        setenv("BO_PG_LANES", saved, 1);
    else
        unsetenv("BO_PG_LANES");
    free(saved);
}
END_TEST

/* The consumer's handler posts one entry of 1 to Expenses per event. */
static int apply(bo_book *b, const bo_feed_event *ev, void *user)
{
    int *kill_after = user;
    bo_entry *e = NULL;
    int rc = bo_entry_new(&e, D("2026-06-01"), "journal");
    if (!rc)
        rc = bo_entry_add(e, "5000", 1, NULL, ev->kind);
    if (!rc)
        rc = bo_entry_add(e, "1000", -1, NULL, NULL);
    if (!rc)
        rc = bo_ledger_post(b, e, NULL);
    bo_entry_free(e);
    if (!rc && kill_after && --*kill_after == 0)
        raise(SIGKILL); /* applied, position not saved yet */
    return rc;
}

static void kill_on_post(const char *event, int64_t id, void *user)
{
    int *left = user;
    (void)event;
    (void)id;
    if (--*left == 0)
        raise(SIGKILL); /* the entry committed; nothing after it ran */
}

/* A child process consumes as "ledger-mirror" and is killed: in_handler,
 * inside the handler after its write; else right after the commit of the
 * n-th write the handler made. */
static void consume_and_die(const char *path, int in_handler, int n)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        bo_book *child = open_at(path, 0);
        int left = n;
        if (!in_handler)
            bo_assert_ok(bo_event_subscribe(child, "entry.posted", kill_on_post, &left, NULL,
                                            NULL));
        bo_feed_consume(child, "ledger-mirror", 1000, apply, in_handler ? &left : NULL, NULL);
        _exit(0); /* not reached */
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

/* A consumer killed after applying an event and before its position is
 * saved finds the event again, its writes gone: each event's effect once.
 * Killed inside the handler, and right after the commit of what it
 * applied (a consumer that saved its position in a transaction of its own
 * would apply that event twice). */
START_TEST(feed_killed_consumer_applies_once)
{
    char *path = bo_test_path("feed-kill");
    bo_book *b = open_at(path, 1);
    bo_test_chart(b);
    int64_t events = last_position(b);
    ck_assert_int_gt(events, 5);
    consume_and_die(path, 1, 3);
    int64_t pos = -1;
    bo_assert_ok(bo_feed_position(b, "ledger-mirror", &pos));
    ck_assert_int_eq(pos, 2); /* two events applied and saved, the third not */
    ck_assert_int_eq(balance(b, "5000"), 2);
    consume_and_die(path, 0, 2);
    bo_assert_ok(bo_feed_position(b, "ledger-mirror", &pos));
    ck_assert_int_eq(pos, 4);
    ck_assert_int_eq(balance(b, "5000"), 4);
    /* The events up to the first run's start (the consumer's own postings
     * are events after them). */
    int n = 0;
    bo_assert_ok(bo_feed_consume(b, "ledger-mirror", (int)(events - pos), apply, NULL, &n));
    ck_assert_int_eq(n, events - 4);
    ck_assert_int_eq(balance(b, "5000"), events); /* once per event */
    bo_assert_ok(bo_feed_position(b, "ledger-mirror", &pos));
    ck_assert_int_eq(pos, events);
    /* Saving behind the saved position is refused: another run got there. */
    bo_assert_err(bo_feed_save(b, "ledger-mirror", events), BO_ESEQUENCE);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "ledger-mirror"));
    bo_book_free(b);
    free(path);
}
END_TEST

/* Make the events up to position upto (all when upto is 0) two days old:
 * on SQLite the event's time is its audit record's (schema 22: the feed
 * is read from audit_log), elsewhere its row's in feed_events. */
static void age_events(const char *path, int upto)
{
    char sql[256];
    if (!strcmp(bo_test_backend(), "sqlite"))
        snprintf(sql, sizeof sql, "UPDATE audit_log SET at = '2000-01-01T00:00:00.000Z'"
                 " WHERE seq IN (SELECT event_id FROM feed_events WHERE position <= %d)",
                 upto ? upto : 1 << 30);
    else
        snprintf(sql, sizeof sql, "UPDATE feed_events SET at = '2000-01-01T00:00:00.000Z'"
                 " WHERE position <= %d", upto ? upto : 1 << 30);
    bo_test_raw_sql(path, sql);
}

/* Past the retention, reading from a pruned position is BO_EEXPIRED naming
 * the position, never a silent skip; from the oldest kept on, nothing is
 * missing. */
START_TEST(feed_retention_expired_position)
{
    char *path = bo_test_path("feed-retention");
    bo_book *b = open_at(path, 1);
    bo_test_chart(b);
    for (int i = 0; i < 10; i++)
        bo_test_post2(b, "2026-07-01", "1000", "4000", 10 + i);
    int64_t last = last_position(b);
    bo_assert_ok(bo_feed_retention_set(b, 1));
    last++;
    /* The first 8 events are two days old. */
    age_events(path, 8);
    int64_t removed = 0;
    bo_assert_ok(bo_feed_prune(b, &removed));
    ck_assert_int_eq(removed, 8);
    int64_t first = 0, now = 0;
    bo_assert_ok(bo_feed_head(b, &first, &now));
    ck_assert_int_eq(first, 9);
    ck_assert_int_eq(now, last);
    bo_cursor *c = NULL;
    bo_assert_err(bo_feed_read(b, 0, 10, &c), BO_EEXPIRED);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position 0"));
    bo_assert_err(bo_feed_read(b, 7, 10, &c), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position 7"));
    bo_assert_ok(bo_feed_read(b, 8, BO_FEED_READ_MAX, &c));
    int64_t want = 9;
    while (bo_cursor_next(c) == 0)
        ck_assert_int_eq(bo_cursor_int(c, 0), want++);
    ck_assert_int_eq(want, last + 1);
    bo_cursor_free(c);
    /* A dead consumer at 0 holds nothing back; when it comes back it is told. */
    int n = -1;
    bo_assert_err(bo_feed_consume(b, "dead-shop", 10, apply, NULL, &n), BO_EEXPIRED);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "consumer 'dead-shop'"));
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(balance(b, "5000"), 0);
    /* The newest event is always kept: positions never start again. */
    age_events(path, 0);
    bo_assert_ok(bo_feed_prune(b, &removed));
    bo_assert_ok(bo_feed_head(b, &first, &now));
    ck_assert_int_eq(first, last);
    ck_assert_int_eq(now, last);
    bo_test_post2(b, "2026-07-02", "1000", "4000", 5);
    ck_assert_int_eq(last_position(b), last + 1);
    bo_book_free(b);
    free(path);
}
END_TEST

/* Bad input: specific codes, the field named, nothing changed. */
START_TEST(feed_bad_input)
{
    bo_book *b = bo_test_book("feed-bad");
    bo_test_chart(b);
    int64_t last = last_position(b), pos = -1;
    bo_cursor *c = NULL;
    bo_assert_err(bo_feed_read(b, -1, 10, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "after"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "-1"));
    bo_assert_err(bo_feed_read(b, 0, 0, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "limit"));
    bo_assert_err(bo_feed_read(b, last + 5, 10, &c), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "beyond"));
    ck_assert_ptr_null(c);
    bo_assert_err(bo_feed_save(b, "shop; DROP TABLE x", 1), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "consumer"));
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "0x3b"));
    bo_assert_err(bo_feed_save(b, "", 1), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "consumer"));
    char longname[BO_FEED_CONSUMER_MAX + 2];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    bo_assert_err(bo_feed_position(b, longname, &pos), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "consumer"));
    bo_assert_err(bo_feed_save(b, "shop", -3), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position: -3"));
    bo_assert_err(bo_feed_save(b, "shop", last + 1), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "position"));
    bo_assert_err(bo_feed_retention_set(b, 0), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "days"));
    bo_assert_err(bo_feed_consume(b, "shop", 0, apply, NULL, NULL), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "max_events"));
    bo_assert_err(bo_feed_wait(b, -2, 10, &pos), BO_EINVAL);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "after"));
    bo_assert_ok(bo_book_begin(b));
    bo_assert_err(bo_feed_consume(b, "shop", 5, apply, NULL, NULL), BO_ESTATE);
    bo_assert_err(bo_feed_wait(b, 0, 10, &pos), BO_ESTATE);
    bo_assert_ok(bo_book_rollback(b));
    /* Nothing changed. */
    ck_assert_int_eq(last_position(b), last);
    bo_assert_ok(bo_feed_position(b, "shop", &pos));
    ck_assert_int_eq(pos, 0);
    int days = 0;
    bo_assert_ok(bo_feed_retention(b, &days));
    ck_assert_int_eq(days, BO_FEED_RETENTION_DEFAULT);
    /* A good save, then the same name again. */
    bo_assert_ok(bo_feed_save(b, "shop.web_1", 2));
    bo_assert_ok(bo_feed_position(b, "shop.web_1", &pos));
    ck_assert_int_eq(pos, 2);
    /* Read needs audit.read. */
    bo_assert_ok(bo_role_define(b, "clerk", "ledger.read"));
    bo_assert_ok(bo_role_grant(b, "tim", "clerk"));
    bo_assert_ok(bo_book_set_actor(b, "tim"));
    bo_assert_err(bo_feed_read(b, 0, 10, &c), BO_EDENIED);
    bo_assert_err(bo_feed_save(b, "shop.web_1", 3), BO_EDENIED);
    bo_test_book_free(b);
}
END_TEST

/* The YAML section `feed:` sets the retention; a bad value names its
 * line and key, and no book is made. The full verification is clean. */
START_TEST(feed_yaml_section)
{
    const char *yaml = "book: {name: Feed shop, base_currency: USD}\n"
                       "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
                       "feed:\n  retention_days: 12\n";
    char *uri = bo_test_path("feed-yaml");
    bo_book_options o = BO_BOOK_OPTIONS_INIT;
    o.actor = "owner";
    o.sync = BO_SYNC_OFF;
    bo_book *b = NULL;
    bo_assert_ok(bo_book_create_from_yaml_string(&b, yaml, strlen(yaml), uri, &o));
    int days = 0;
    bo_assert_ok(bo_feed_retention(b, &days));
    ck_assert_int_eq(days, 12);
    int64_t bad_seq = -1;
    bo_assert_ok(bo_audit_verify_full(b, NULL, &bad_seq));
    bo_book_free(b);
    free(uri);
    const char *bad = "book: {name: Feed shop, base_currency: USD}\n"
                      "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
                      "feed:\n  retention_days: 0\n";
    uri = bo_test_path("feed-yaml-bad");
    b = NULL;
    bo_assert_err(bo_book_create_from_yaml_string(&b, bad, strlen(bad), uri, &o), BO_ECONFIG);
    ck_assert_msg(strstr(bo_error_message(), ":5:") &&
                  strstr(bo_error_message(), "retention_days"), "%s", bo_error_message());
    ck_assert_ptr_null(b);
    const char *unknown = "book: {name: Feed shop, base_currency: USD}\n"
                          "accounts:\n  - {code: \"1000\", name: Cash, type: asset}\n"
                          "feed:\n  keep: 3\n";
    bo_assert_err(bo_book_create_from_yaml_string(&b, unknown, strlen(unknown), uri, &o),
                  BO_ECONFIG);
    ck_assert_ptr_nonnull(strstr(bo_error_message(), "keep"));
    free(uri);
}
END_TEST

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A waiter is woken by another process's commit (LISTEN/NOTIFY on
 * PostgreSQL, polling elsewhere), and returns at its timeout otherwise. */
START_TEST(feed_wait_wakes_on_commit)
{
    char *path = bo_test_path("feed-wait");
    bo_book *b = open_at(path, 1);
    bo_test_chart(b);
    int64_t last = last_position(b), got = -1;
    int64_t t0 = ms_now();
    bo_assert_ok(bo_feed_wait(b, last, 150, &got));
    ck_assert_int_eq(got, last);
    ck_assert_int_ge(ms_now() - t0, 140);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        bo_book *w = open_at(path, 0);
        struct timespec ts = { 0, 200 * 1000000L };
        nanosleep(&ts, NULL);
        bo_test_post2(w, "2026-08-01", "1000", "4000", 7);
        bo_book_free(w);
        _exit(0);
    }
    t0 = ms_now();
    bo_assert_ok(bo_feed_wait(b, last, 20000, &got));
    ck_assert_int_eq(got, last + 1);
    ck_assert_int_lt(ms_now() - t0, 15000);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    bo_book_free(b);
    free(path);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("feed");
    TCase *t = tcase_create("feed");
    tcase_add_test(t, feed_one_event_per_command);
    tcase_add_test(t, feed_replay_matches_audit_chain);
    tcase_add_loop_test(t, feed_savepoint_rollback_keeps_positions, 0, 2);
    tcase_add_test(t, feed_bad_input);
    tcase_add_test(t, feed_yaml_section);
    suite_add_tcase(s, t);
    TCase *two = tcase_create("other handles");
    tcase_set_tags(two, BO_TEST_TAG_REOPEN);
    tcase_add_test(two, feed_reverse_commit_order_seen_by_poller);
    tcase_add_test(two, feed_killed_consumer_applies_once);
    tcase_add_test(two, feed_retention_expired_position);
    tcase_add_test(two, feed_wait_wakes_on_commit);
    suite_add_tcase(s, two);
    return s;
}

int main(void)
{
    return bo_test_run(suite());
}
