/*
 * Idempotency: the one claim step of every keyed command.
 *
 * A keyed command stores its key (a UNIQUE column of its own table) and the
 * digest of its canonical form: every input that defines the command,
 * length-prefixed (bo__buf_field), hashed with bo__buf_digest(). Before it
 * writes anything, the command asks bo__idem_claim() what its key names:
 * nothing yet (go on), the same command (answer the original id, write
 * nothing), or another command (BO_EKEYREUSE, one message in every domain).
 */
#include "core/book.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int bo__idem_check(const char *key)
{
    return key ? bo__text_check("key", key, BO_TEXT_MAX, false, false) : 0;
}

int bo__idem_require(const char *what, const char *key)
{
    if (!key)
        return bo__error_set(BO_EINVAL, "key: %s needs an idempotency key", what);
    return bo__idem_check(key);
}

int bo__idem_reuse(const char *key, const char *kind, int64_t id)
{
    char q[300];
    bo__quote(key, 64, q, sizeof q);
    return bo__error_set(BO_EKEYREUSE, "key: %s was used for a different %s (id %"
                         PRId64 ")", q, kind, id);
}

int bo__idem_judge(const char *kind, const char *key, int found, int64_t found_id,
                   const char *stored, const char *digest, int64_t *id, int *state)
{
    *state = BO__IDEM_NEW;
    if (!key || !found)
        return 0;
    /* A row written before its table kept digests (schema 6 and older) has
     * none: it is taken as the same command. */
    int same = !stored[0] || strcmp(stored, digest) == 0;
    if (!same)
        return bo__idem_reuse(key, kind, found_id);
    *id = found_id;
    *state = BO__IDEM_REPLAY;
    return 0;
}

int bo__idem_claim(bo_book *b, const char *sql, const char *kind, const char *key,
                   const char *digest, int64_t *id, int *state)
{
    *state = BO__IDEM_NEW;
    if (!key)
        return 0;
    int64_t found_id = 0;
    int found = 0;
    char d[BO_HASH_HEX_SIZE] = ""; /* NULL reads "" */
    int rc = bo__store_row(b->store, sql, &found, "t>it", key, &found_id, d, sizeof d);
    if (rc)
        return rc;
    return bo__idem_judge(kind, key, found, found_id, d, digest, id, state);
}

int bo__opts_version(unsigned int version, unsigned int current)
{
    if (version < 1 || version > current)
        return bo__error_set(BO_EINVAL, "options: version %u is not between 1 and %u",
                             version, current);
    return 0;
}
