/*
 * The one settings table of every domain (schema version 12), keyed
 * "<domain>.<key>", its typed getters and setters, and the carrying over of
 * the audit states of the three tables it replaced (inv_settings,
 * bill_settings, doc_settings). The domains check their own keys, values
 * and permissions and append their own audit records.
 */
#include "core/book.h"
#include "core/verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FULL_KEY_MAX 256

static const char SQL_GET[] = "SELECT value FROM settings WHERE key = ?";
static const char SQL_PUT[] =
    "INSERT INTO settings (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
static const char SQL_DEL[] = "DELETE FROM settings WHERE key = ?";
/* A domain's keys: from "<domain>." up to "<domain>/" ('/' follows '.'). */
static const char SQL_LIST[] =
    "SELECT substr(key, CAST(? AS INTEGER)), value FROM settings"
    " WHERE key >= ? AND key < ? ORDER BY key";
static const char SQL_OF_DOMAIN[] =
    "SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key";

static int full_key(const char *domain, const char *key, char out[FULL_KEY_MAX])
{
    int n = snprintf(out, FULL_KEY_MAX, "%s.%s", domain, key);
    if (n < 0 || n >= FULL_KEY_MAX)
        return bo__error_set(BO_ETOOLONG, "key: a %s setting's key is longer than %d "
                             "bytes", domain, FULL_KEY_MAX - 1);
    return 0;
}

/* The range of a domain's keys: [lo, hi). */
static void domain_range(const char *domain, char lo[FULL_KEY_MAX], char hi[FULL_KEY_MAX])
{
    snprintf(lo, FULL_KEY_MAX, "%s.", domain);
    snprintf(hi, FULL_KEY_MAX, "%s/", domain);
}

int bo__setting_get(bo_book *b, const char *domain, const char *key, char *out,
                    size_t size, int *found)
{
    char k[FULL_KEY_MAX];
    int got = 0, rc;
    out[0] = '\0';
    if (!(rc = full_key(domain, key, k)))
        rc = bo__store_row(b->store, SQL_GET, &got, "t>t", k, out, size);
    if (found)
        *found = !rc && got;
    return rc;
}

static int dup_row(bo__stmt *s, void *out)
{
    return (*(char **)out = bo__strdup(bo__stmt_col_text(s, 0))) ? 0 : BO_ENOMEM;
}

int bo__setting_dup(bo_book *b, const char *domain, const char *key, char **out)
{
    char k[FULL_KEY_MAX];
    *out = NULL;
    int rc = full_key(domain, key, k);
    return rc ? rc : bo__store_row_read(b->store, SQL_GET, dup_row, out, NULL, "t", k);
}

int bo__setting_int(bo_book *b, const char *domain, const char *key, int64_t dflt,
                    int64_t *out)
{
    char v[32];
    int found, rc;
    *out = dflt;
    if ((rc = bo__setting_get(b, domain, key, v, sizeof v, &found)) || !found)
        return rc;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end || end == v)
        return bo__error_set(BO_ECORRUPT, "%s setting %s: '%.32s' is not an integer",
                             domain, key, v);
    *out = n;
    return 0;
}

int bo__setting_put(bo_book *b, const char *domain, const char *key, const char *value)
{
    char k[FULL_KEY_MAX];
    int rc;
    if ((rc = full_key(domain, key, k)))
        return rc;
    rc = value ? bo__store_run(b->store, SQL_PUT, "tt", k, value)
               : bo__store_run(b->store, SQL_DEL, "t", k);
    return rc ? rc : bo__audit_touch_name(b, "setting", k);
}

int bo__setting_put_int(bo_book *b, const char *domain, const char *key, int64_t value)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, value);
    return bo__setting_put(b, domain, key, text);
}

static const bo__col list_cols[] = { { "key", BO_TYPE_TEXT }, { "value", BO_TYPE_TEXT } };

int bo__setting_list(bo_book *b, unsigned perm, const char *domain, bo_cursor **out)
{
    char lo[FULL_KEY_MAX], hi[FULL_KEY_MAX];
    domain_range(domain, lo, hi);
    return bo__listing(b, perm, NULL, SQL_LIST, list_cols, 2, out, "itt",
                       (int64_t)strlen(lo) + 1, lo, hi);
}

/* ---- the upgrade to one table ---------------------------------------------------- */

/* The last state recorded for a text key of a kind. */
static const char SQL_LAST_STATE[] =
    "SELECT digest FROM audit_states WHERE kind = ? AND id = 0 AND name = ?"
    " ORDER BY seq DESC LIMIT 1";
static const char SQL_STATES_FIRST[] =
    "SELECT s.name, s.digest FROM audit_states s WHERE s.kind = ? AND s.id = 0"
    " AND s.seq = (SELECT MAX(x.seq) FROM audit_states x WHERE x.kind = s.kind"
    " AND x.id = 0 AND x.name = s.name) ORDER BY s.name LIMIT 512";
static const char SQL_STATES_NEXT[] =
    "SELECT s.name, s.digest FROM audit_states s WHERE s.kind = ? AND s.id = 0"
    " AND s.name > ? AND s.seq = (SELECT MAX(x.seq) FROM audit_states x WHERE"
    " x.kind = s.kind AND x.id = 0 AND x.name = s.name) ORDER BY s.name LIMIT 512";

/* The former state of one row (key without its prefix, value): the digest
 * the verification computed over the row of a (key, value) table. */
static void old_row(bo__sha *h, const char *key, size_t klen, const char *value,
                    size_t vlen)
{
    bo__sha_field(h, key, klen);
    bo__sha_field(h, value, vlen);
}

/* One record per key (inv.setting, bill.setting). */
static int carry_keys(bo_book *b, const char *old_kind, const char *domain)
{
    bo__vstream st;
    bo__vstream_init(&st, b->store, SQL_STATES_FIRST, SQL_STATES_NEXT, "t");
    st.nbind = 1;
    st.bind_text = old_kind;
    int rc;
    while ((rc = bo__vstream_next(&st)) == BO_DRIVER_ROW) {
        const char *key = bo__stmt_col_text(st.s, 0);
        const char *was = bo__stmt_col_text(st.s, 1);
        char k[FULL_KEY_MAX];
        if ((rc = full_key(domain, key ? key : "", k)))
            break;
        char *value = NULL;
        if ((rc = bo__store_row_read(b->store, SQL_GET, dup_row, &value, NULL, "t", k)))
            break;
        if (!was || strcmp(was, "-") == 0) {
            /* Deleted: still deleted, or present against the record. */
            if (value)
                rc = bo__audit_touch_state(b, "setting", k, "-");
        } else {
            char now[65] = "-";
            if (value) {
                bo__sha h;
                bo__sha_init(&h);
                old_row(&h, key, strlen(key), value, strlen(value));
                bo__sha_hex(&h, now);
            }
            /* As recorded: vouched for as before. Otherwise the former
             * state is carried as it is, so the verification finds it. */
            rc = strcmp(now, was) == 0 ? bo__audit_touch_name(b, "setting", k)
                                       : bo__audit_touch_state(b, "setting", k, was);
        }
        bo__free(value);
        if (rc)
            break;
    }
    bo__vstream_close(&st);
    return rc < 0 ? rc : 0;
}

/* One pass over the domain's rows: the former state of them all (now, "-"
 * without rows), or (mark non-NULL) record each row's state: as found, or
 * the former one carried over. */
static int carry_pass(bo_book *b, const char *domain, char now[65], const char *mark)
{
    char lo[FULL_KEY_MAX], hi[FULL_KEY_MAX];
    domain_range(domain, lo, hi);
    size_t plen = strlen(lo);
    bo__stmt *s;
    int rc = bo__stmt_get(b->store, SQL_OF_DOMAIN, &s), any = 0;
    if (rc)
        return rc;
    bo__sha h;
    bo__sha_init(&h);
    if (!(rc = bo__stmt_bind(s, "tt", lo, hi))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            size_t klen, vlen;
            const char *k = bo__stmt_col_text_len(s, 0, &klen);
            const char *v = bo__stmt_col_text_len(s, 1, &vlen);
            if (!k || klen < plen)
                continue;
            any = 1;
            if (!mark) {
                old_row(&h, k + plen, klen - plen, v, vlen);
                continue;
            }
            /* The key is copied: recording may run statements. */
            char key[FULL_KEY_MAX];
            snprintf(key, sizeof key, "%.*s", (int)klen, k);
            rc = *mark ? bo__audit_touch_state(b, "setting", key, mark)
                       : bo__audit_touch_name(b, "setting", key);
            if (rc)
                break;
        }
        rc = rc < 0 ? rc : 0;
    }
    bo__stmt_done(s);
    if (!mark) {
        bo__sha_hex(&h, now);
        if (!any)
            strcpy(now, "-");
    }
    return rc;
}

/* One record holding all of the domain's settings (doc.settings). */
static int carry_whole(bo_book *b, const char *old_kind, const char *domain,
                       const char *whole)
{
    char was[8 * 65 + 1] = "", now[65]; /* a state: up to 8 digests */
    int found = 0, rc;
    if ((rc = bo__store_row(b->store, SQL_LAST_STATE, &found, "tt>t", old_kind, whole,
                            was, sizeof was)) ||
        (rc = carry_pass(b, domain, now, NULL)))
        return rc;
    if (!found || strcmp(was, now) == 0)
        /* As recorded (or never recorded: rows are then found inserted). */
        return found ? carry_pass(b, domain, now, "") : 0;
    if (strcmp(now, "-") == 0)
        /* Every row gone: the record itself is found missing. */
        return bo__audit_touch_state(b, "setting", whole, was);
    /* Which row differs cannot be told: every one carries the former state. */
    return carry_pass(b, domain, now, was);
}

int bo__setting_carry(bo_book *b, const char *old_kind, const char *domain,
                      const char *whole)
{
    return whole ? carry_whole(b, old_kind, domain, whole)
                 : carry_keys(b, old_kind, domain);
}
