/*
 * The actors' access tokens (backoffice/security.h, schema version 17).
 *
 * A token is "bot_" and the hexadecimal of 32 random bytes (libsodium's
 * randombytes). The book keeps the SHA-256 of the token, never the token:
 * a secret of 256 random bits cannot be guessed or found from its hash by
 * trying candidates, so the slow, salted hashes made for passwords people
 * choose (crypto_pwhash) would only make every check of the live view
 * cost tens of milliseconds for no gain. A token is found by its hash
 * (a unique column), so no time is spent comparing a wrong token's
 * characters with a right one's.
 *
 * Making and revoking are writes like any other: one transaction, an audit
 * record (actor.token.create / actor.token.revoke, object
 * "actor_token:<id>"), and the row's state bound to the chain (kind
 * "actor_token", src/core/verify_core.c), so an edited row is found by the
 * full verification.
 */
#include "core/book.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_PREFIX "bot_"
#define TOKEN_RANDOM 32

static const char SQL_ACTOR_KNOWN[] = "SELECT COUNT(*) FROM grants WHERE actor = ?";
static const char SQL_INSERT[] =
    "INSERT INTO actor_tokens (actor, label, hash, created_at) VALUES (?, ?, ?, ?)"
    " RETURNING id";
static const char SQL_INSERT_PLAIN[] =
    "INSERT INTO actor_tokens (actor, label, hash, created_at) VALUES (?, ?, ?, ?)";
static const char SQL_GET[] =
    "SELECT actor, CASE WHEN revoked_at IS NULL THEN 0 ELSE 1 END FROM actor_tokens"
    " WHERE id = ?";
static const char SQL_REVOKE[] = "UPDATE actor_tokens SET revoked_at = ? WHERE id = ?";
static const char SQL_FIND[] =
    "SELECT id, actor FROM actor_tokens WHERE hash = ? AND revoked_at IS NULL";
static const char SQL_LIST[] =
    "SELECT id, actor, label, created_at, revoked_at FROM actor_tokens"
    " WHERE actor = ? OR ? = 1 ORDER BY id";

/* Whether text has the form of a token. */
static int token_form(const char *t)
{
    size_t plen = sizeof TOKEN_PREFIX - 1;
    if (strncmp(t, TOKEN_PREFIX, plen) != 0 || strlen(t) != BO_ACTOR_TOKEN_LEN)
        return 0;
    for (const char *p = t + plen; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static void token_hash(const char *token, char out[65])
{
    unsigned char d[BO__SHA256_BYTES];
    bo__sha256(token, strlen(token), d);
    bo__hex(d, sizeof d, out);
    sodium_memzero(d, sizeof d);
}

/* Another actor's tokens are an owner's business: a token is the actor's
 * identity, so making one for someone else hands out all it holds. */
static int may_act_for(bo_book *b, const char *actor, const char *what)
{
    if (b->actor && strcmp(b->actor, actor) == 0)
        return 0;
    int rc = bo__require(b, BO__P_ALL);
    if (rc == BO_EDENIED)
        return bo__error_prefix("%s for actor '%s': ", what, actor);
    return rc;
}

struct create_ctx {
    const char *actor, *label;
    char token[BO_ACTOR_TOKEN_LEN + 1];
    int64_t id;
};

static int create_tx(bo_book *b, void *p)
{
    struct create_ctx *c = p;
    int64_t held = 0;
    int rc = bo__store_row(b->store, SQL_ACTOR_KNOWN, NULL, "t>i", c->actor, &held);
    if (rc)
        return rc;
    if (!held)
        return bo__error_set(BO_ENOTFOUND, "actor: '%s' holds no role in this book",
                             c->actor);
    if ((rc = may_act_for(b, c->actor, "token")))
        return rc;
    unsigned char raw[TOKEN_RANDOM];
    randombytes_buf(raw, sizeof raw);
    memcpy(c->token, TOKEN_PREFIX, sizeof TOKEN_PREFIX - 1);
    bo__hex(raw, sizeof raw, c->token + sizeof TOKEN_PREFIX - 1);
    sodium_memzero(raw, sizeof raw);
    char hash[65], at[64];
    token_hash(c->token, hash);
    bo__now_iso(at);
    if ((rc = bo__store_insert(b->store, SQL_INSERT, SQL_INSERT_PLAIN, &c->id, "tttt",
                               c->actor, c->label, hash, at)))
        return rc;
    if (c->id <= 0)
        return bo__error_set(BO_ERROR, "token: the store gave no id");
    char object[48];
    snprintf(object, sizeof object, "actor_token:%" PRId64, c->id);
    bo__buf d = BO__BUF_INIT;
    bo__buf_field(&d, c->actor);
    bo__buf_field(&d, c->label);
    rc = d.failed ? BO_ENOMEM : bo__audit_append(b, "actor.token.create", object, d.ptr);
    bo__buf_free(&d);
    return rc;
}

int bo_actor_token_create(bo_book *b, const char *actor, const char *label, int64_t *id,
                          char *token_out, size_t size)
{
    bo__error_clear();
    if (id)
        *id = 0;
    if (token_out && size)
        token_out[0] = '\0';
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (!token_out || size < BO_ACTOR_TOKEN_LEN + 1)
        return bo__error_set(BO_EINVAL, "token_out: needs %d bytes", BO_ACTOR_TOKEN_LEN + 1);
    int rc;
    if ((rc = bo__name_check("actor", actor, BO_NAME_MAX)) ||
        (rc = bo__text_check("label", label, BO_ACTOR_TOKEN_LABEL_MAX, false, false)))
        return rc;
    if (sodium_init() < 0)
        return bo__error_set(BO_ERROR, "token: the random source is not available");
    struct create_ctx c = { actor, label, "", 0 };
    rc = bo__write(b, create_tx, &c);
    if (!rc) {
        memcpy(token_out, c.token, sizeof c.token);
        if (id)
            *id = c.id;
    }
    sodium_memzero(c.token, sizeof c.token);
    return rc;
}

static int revoke_tx(bo_book *b, void *p)
{
    int64_t id = *(int64_t *)p, revoked = 0;
    char actor[BO_NAME_MAX + 1] = "";
    int found = 0;
    int rc = bo__store_row(b->store, SQL_GET, &found, "i>ti", id, actor, sizeof actor,
                           &revoked);
    if (rc)
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "id: no token %" PRId64, id);
    if ((rc = may_act_for(b, actor, "revoke token")))
        return rc;
    if (revoked)
        return bo__error_set(BO_ESTATE, "id: token %" PRId64 " is already revoked", id);
    char at[64], object[48];
    bo__now_iso(at);
    if ((rc = bo__store_run(b->store, SQL_REVOKE, "ti", at, id)))
        return rc;
    snprintf(object, sizeof object, "actor_token:%" PRId64, id);
    return bo__audit_append(b, "actor.token.revoke", object, actor);
}

int bo_actor_token_revoke(bo_book *b, int64_t id)
{
    bo__error_clear();
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (id <= 0)
        return bo__error_set(BO_EINVAL, "id: %" PRId64 " is not a token id", id);
    return bo__write(b, revoke_tx, &id);
}

int bo_actor_token_check(bo_book *b, const char *token, int64_t *id, char *actor_out,
                         size_t size)
{
    bo__error_clear();
    if (id)
        *id = 0;
    if (actor_out && size)
        actor_out[0] = '\0';
    if (!b)
        return bo__error_set(BO_EINVAL, "book: NULL");
    if (!actor_out || size < BO_NAME_MAX + 1)
        return bo__error_set(BO_EINVAL, "actor_out: needs %d bytes", BO_NAME_MAX + 1);
    if (!token || !token_form(token))
        return bo__error_set(BO_EINVAL, "token: not a token (\"" TOKEN_PREFIX
                             "\" and 64 hexadecimal digits)");
    int rc = bo__tx_usable(b);
    if (rc)
        return rc;
    char hash[65];
    token_hash(token, hash);
    int64_t tid = 0;
    int found = 0;
    if ((rc = bo__store_row(b->store, SQL_FIND, &found, "t>it", hash, &tid, actor_out,
                            size)))
        return rc;
    if (!found) {
        actor_out[0] = '\0';
        return bo__error_set(BO_EDENIED, "token: not a valid token of this book (unknown "
                             "or revoked)");
    }
    if (id)
        *id = tid;
    return 0;
}

static const bo__col list_cols[] = {
    { "id", BO_TYPE_INT },          { "actor", BO_TYPE_TEXT },
    { "label", BO_TYPE_TEXT },      { "created_at", BO_TYPE_TEXT },
    { "revoked_at", BO_TYPE_TEXT },
};

int bo_actor_tokens(bo_book *b, bo_cursor **out)
{
    bo__error_clear();
    if (out)
        *out = NULL;
    if (!b || !out)
        return bo__error_set(BO_EINVAL, "book/out: NULL");
    if (!b->actor)
        return bo__require(b, BO__P_ALL);
    int all = bo__has(b, BO__P_ALL);
    if (all < 0)
        return all;
    return bo__listing(b, 0, NULL, SQL_LIST, list_cols, 5, out, "ti", b->actor,
                       (int64_t)all);
}
