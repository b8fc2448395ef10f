/* What the audit chain covers in the core tables (see src/core/verify.h):
 * the book's own keys, roles, grants and the domains' settings. audit_log and audit_states are the
 * chain itself, checked by the engine. */
#include "core/verify.h"
#include "core/book.h"
#include "core/feed.h"

#include "backoffice/feed.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

/* bo_meta: one record, "book". The generation only tells other handles to
 * drop their caches; it changes with every chart, period or role change and
 * is left out (editing it makes other handles re-read what they cache). */
static const bo__vpart book_parts[] = {
    { "bo_meta", "'book' || ''", NULL, "key", NULL, NULL,
      "t.key <> 'generation'", NULL, NULL, NULL },
};
static const bo__vpart role_parts[] = {
    { "roles", "t.name", NULL, "name", NULL, NULL, NULL, NULL, NULL, NULL },
};
/* An actor's grants, all roles together. */
static const bo__vpart grant_parts[] = {
    { "grants", "t.actor", NULL, "actor, role", NULL, NULL, NULL, NULL, NULL, NULL },
};

/* Every domain's settings, one record per key ("inventory.account.cogs").
 * The domains' calls that write one touch it (bo__setting_put); their
 * actions (inventory.setting.set, billing.setting.set,
 * documents.settings.store_set, ...; objects "setting:<domain>.<key>") are
 * declared by the domains. Books older than version 12 recorded them as kinds
 * inv.setting, bill.setting (one record per key) and doc.settings (one
 * record, "documents"): those states stay in the chain; the upgrade carried
 * them over (bo__setting_carry). */
/* An actor's grants limited to locations (version 15). */
static const bo__vpart grant_location_parts[] = {
    { "grant_locations", "t.actor", NULL, "role, location", NULL, NULL, NULL, NULL, NULL,
      NULL },
};

/* An actor's access token (version 17, src/core/credentials.c). */
static const bo__vpart actor_token_parts[] = {
    { "actor_tokens", NULL, NULL, "id", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vpart setting_parts[] = {
    { "settings", "t.key", NULL, "key", NULL, NULL, NULL, NULL, NULL, NULL },
};

static const bo__vkind kinds[] = {
    { "book", 1, book_parts, BO__VN(book_parts) },
    { "role", 1, role_parts, BO__VN(role_parts) },
    { "grant", 1, grant_parts, BO__VN(grant_parts) },
    { "setting", 1, setting_parts, BO__VN(setting_parts) },
    { "grant_location", 1, grant_location_parts, BO__VN(grant_location_parts) },
    { "actor_token", 0, actor_token_parts, BO__VN(actor_token_parts) },
};

static const bo__vaction actions[] = {
    { "book.create", "book", NULL, NULL },
    { "book.rename", "book", NULL, NULL },
    /* A journal import records a commodity's scale as the setting
     * book.currency.CODE (src/book/journal.c). */
    { "book.currency.register", NULL, NULL, NULL },
    /* Before 0.3 these objects were the bare name ("clerk", "bob"), under
     * the same action names; only a new record's object is read. */
    { "role.define", "role", "role:", NULL },
    { "role.grant", "grant", "grant:", NULL },
    { "role.revoke", "grant", "grant:", NULL },
    { "role.grant_location", "grant_location", "grant_location:", NULL },
    { "role.revoke_location", "grant_location", "grant_location:", NULL },
    /* The chain's own records: their states are what they carry. */
    { "audit.state", NULL, NULL, NULL },
    { "audit.upgrade", NULL, NULL, NULL },
    /* The change feed's retention: a setting (bo__setting_put touches it). */
    { "feed.retention.set", NULL, NULL, NULL },
    /* Access tokens (version 17): object "actor_token:<id>". */
    { "actor.token.create", "actor_token", "actor_token:", NULL },
    { "actor.token.revoke", "actor_token", "actor_token:", NULL },
};

/* The change feed (schema 15, src/core/feed.c): derived from the chain,
 * so checked against it. Each event is its audit record's (number, time,
 * action, object); the positions given are 1, 2, 3 ... without a gap from
 * the oldest kept; feed_head (the sequencers' lock; a row only where a
 * store keeps one) holds no position before the last; no consumer is past
 * the last. On SQLite (schema 22) the events from feed_log.first_seq on are
 * the records themselves, at record + shift: what is checked there is the
 * events feed_kept holds (as the table's above), that feed_log has its one
 * row, that the records from first_seq on are numbered without a gap and
 * follow the last kept position, and that no record newer than the
 * retention is below the low-water mark without a kept event (first_seq
 * raised, a kept event deleted). */
#define FEED_ODD(T)                                                                 \
    "SELECT f.event_id FROM " T " f LEFT JOIN audit_log a ON a.seq = f.event_id"   \
    " WHERE a.seq IS NULL OR a.action <> f.kind OR a.object <> f.object OR a.at <> f.at" \
    " ORDER BY f.event_id LIMIT 1"
#define FEED_SPAN(T)                                                                \
    "SELECT COALESCE(MIN(position), 0), COALESCE(MAX(position), 0), COUNT(position),"   \
    " COUNT(DISTINCT position) FROM " T
#define FEED_EARLY(T)                                                               \
    "SELECT event_id FROM " T " WHERE position IS NULL AND event_id <"              \
    " (SELECT MIN(event_id) FROM " T " WHERE position IS NOT NULL)"                  \
    " ORDER BY event_id LIMIT 1"
/* [0]: feed_events, [1]: feed_kept (SQLite, schema 22) */
static const char *const SQL_FEED_ODD[] = { FEED_ODD("feed_events"), FEED_ODD("feed_kept") };
static const char *const SQL_FEED_SPAN[] = { FEED_SPAN("feed_events"), FEED_SPAN("feed_kept") };
static const char *const SQL_FEED_EARLY[] = { FEED_EARLY("feed_events"),
                                              FEED_EARLY("feed_kept") };
static const char SQL_FEED_MISSING[] =
    "SELECT a.seq FROM audit_log a LEFT JOIN feed_events f ON f.event_id = a.seq"
    " WHERE f.event_id IS NULL AND a.at >= ? ORDER BY a.seq LIMIT 1";
static const char SQL_FEED_HEAD[] = "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM feed_head";
static const char SQL_FEED_PAST[] =
    "SELECT name FROM feed_consumers WHERE position < 0 OR position > ? ORDER BY name LIMIT 1";
/* SQLite, schema 22 */
static const char SQL_FEED_LOG[] =
    "SELECT COUNT(*), COALESCE(MAX(shift), 0), COALESCE(MAX(first_seq), 1) FROM feed_log";
static const char SQL_FEED_LOG_SPAN[] =
    "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0), COUNT(*) FROM audit_log"
    " WHERE seq >= ?";
static const char SQL_FEED_LOG_MISSING[] =
    "SELECT a.seq FROM audit_log a WHERE a.seq < ? AND a.at >= ? AND NOT EXISTS"
    " (SELECT 1 FROM feed_kept f WHERE f.event_id = a.seq) ORDER BY a.seq LIMIT 1";

static int check_feed(bo__verify *v)
{
    bo_book *b = bo__verify_book(v);
    int64_t id = 0, lo = 0, hi = 0, n = 0, distinct = 0, heads = 0, head = 0;
    int64_t logs = 1, shift = 0, first_seq = 1;
    int found = 0, rc;
    int from_log = b->feed_log;
    const char *table = from_log ? "feed_kept" : "feed_events";
    char rec[96];
    if ((rc = bo__feed_settle(b)) ||
        (rc = bo__store_row(b->store, SQL_FEED_ODD[from_log], &found,
                            ">i", &id)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "event %" PRId64, id);
        if ((rc = bo__verify_found(v, id, table, rec, "its time, kind or object is "
                                   "not its audit record's, or it has none (altered or "
                                   "inserted)")))
            return rc;
    }
    if ((rc = bo__store_row(b->store, SQL_FEED_SPAN[from_log], NULL,
                            ">iiii", &lo, &hi, &n, &distinct)))
        return rc;
    int gap = n && (distinct != n || hi - lo + 1 != n);
    if (from_log) {
        int64_t slo = 0, shi = 0, sn = 0;
        if ((rc = bo__store_row(b->store, SQL_FEED_LOG, NULL, ">iii", &logs, &shift,
                                &first_seq)))
            return rc;
        if (logs != 1 &&
            (rc = bo__verify_found(v, 0, "feed_log", "row", "the feed has %" PRId64
                                   " rows of its start and shift, not one (deleted or "
                                   "inserted)", logs)))
            return rc;
        if ((rc = bo__store_row(b->store, SQL_FEED_LOG_SPAN, NULL, "i>iii", first_seq, &slo,
                                &shi, &sn)))
            return rc;
        /* the records' numbers from first_seq on: gap-free, after the last
         * kept position */
        if (sn && (shi - slo + 1 != sn || (n && slo + shift != hi + 1)))
            gap = 1;
        if (sn) {
            if (!n)
                lo = slo + shift;
            hi = shi + shift;
        }
    }
    if (gap && (rc = bo__verify_found(v, 0, table, "positions", "the positions given "
                                      "are not consecutive from the oldest kept (deleted, "
                                      "inserted or renumbered)")))
        return rc;
    /* an event pending a position before the oldest positioned one: never
     * (the sequencer gives positions in event order at each commit) */
    if ((rc = bo__store_row(b->store, SQL_FEED_EARLY[from_log],
                            &found, ">i", &id)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "event %" PRId64, id);
        if ((rc = bo__verify_found(v, id, table, rec, "it has no position while "
                                   "later events have one (altered)")))
            return rc;
    }
    /* a record newer than the retention (less an hour) has its event:
     * only older ones are pruned */
    int days = BO_FEED_RETENTION_DEFAULT;
    if ((rc = bo_feed_retention(b, &days)))
        return rc;
    time_t cut = time(NULL) - (time_t)days * 86400 + 3600;
    struct tm tm;
    char at[40];
    gmtime_r(&cut, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    if ((rc = from_log ? bo__store_row(b->store, SQL_FEED_LOG_MISSING, &found, "it>i",
                                       first_seq, at, &id)
                       : bo__store_row(b->store, SQL_FEED_MISSING, &found, "t>i", at, &id)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "event %" PRId64, id);
        if ((rc = bo__verify_found(v, id, from_log ? "feed_log" : "feed_events", rec,
                                   "audit record %" PRId64 " is newer than the retention "
                                   "and has no event (deleted)", id)))
            return rc;
    }
    if ((rc = bo__store_row(b->store, SQL_FEED_HEAD, NULL, ">ii", &heads, &head)))
        return rc;
    if ((heads > 1 || (heads && hi && head < hi)) &&
        (rc = bo__verify_found(v, 0, "feed_head", "head", "the last position is not the "
                               "feed's last (altered)")))
        return rc;
    char name[BO_CODE_MAX + 1] = "";
    if ((rc = bo__store_row(b->store, SQL_FEED_PAST, &found, "i>t", hi, name, sizeof name)))
        return rc;
    if (found) {
        snprintf(rec, sizeof rec, "consumer %.64s", name);
        if ((rc = bo__verify_found(v, 0, "feed_consumers", rec, "its position is past "
                                   "the feed's last (altered)")))
            return rc;
    }
    return 0;
}

static const bo__vcheck checks[] = {
    { "feed_events feed_head feed_consumers feed_kept feed_log", check_feed },
};

const bo__vdomain bo__verify_core = {
    kinds, BO__VN(kinds), actions, BO__VN(actions), checks, BO__VN(checks), NULL, 0,
};
