/* The movement log: every change of stock appends a movement, and the
 * idempotency keys of the commands that make movements. */
#include "core/verify.h"
#include "inventory/inventory.h"
#include "inventory/lots.h"

static const char SQL_MOVE_BY_KEY[] = "SELECT id, digest FROM inv_moves WHERE idem_key = ?";
static const char SQL_MOVE_ADD[] =
    "INSERT INTO inv_moves (stock_id, kind, date, qty, value, reason, reference,"
    " idem_key, digest, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id";
/* The same for drivers that report the inserted key: RETURNING costs
 * SQLite a temporary table per statement. */
static const char SQL_MOVE_ADD_PLAIN[] =
    "INSERT INTO inv_moves (stock_id, kind, date, qty, value, reason, reference,"
    " idem_key, digest, entry_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int bo__inv_move_add(bo_book *b, int64_t stock, const char *kind,
                     const char *date, int64_t qty, int64_t value,
                     const char *reason, const char *reference,
                     const char *key, const char *digest, int64_t entry, int64_t *id)
{
    int64_t mid;
    int rc = bo__store_insert(b->store, SQL_MOVE_ADD, SQL_MOVE_ADD_PLAIN, &mid,
                              "ittiittttIt", stock, kind, date, qty, value, reason,
                              reference, key, key ? digest : NULL, entry, b->actor);
    if (!rc && !mid)
        rc = bo__error_set(BO_ERROR, "movement: insert returned no id");
    if (!rc) /* the row's newest date the handle keeps (settings.c) */
        bo__inv_keep_none_after(b, stock, date, 1);
    if (!rc && id)
        *id = mid;
    if (!rc) /* lots and serial numbers of a tracked item (lots.c) */
        rc = bo__inv_track_move(b, stock, kind, date, qty, reference, mid);
    if (rc)
        return rc;
    /* The movement is new and written here: its state is captured from its
     * rows (core/verify.h), unless its item is tracked (lots.c wrote its
     * lots or serial numbers) or its tracking is not known. */
    bo__vcap cap;
    bo__inv_track kt;
    bo__vcap_begin(b, &cap, "move", mid);
    if (!bo__inv_kept_track(b, stock, &kt) || kt.found)
        cap.kind = NULL;
    if ((rc = bo__vcap_row(&cap, "inv_moves", "iittiitttItt", mid, stock, kind, date, qty,
                           value, reason, reference, key, entry, b->actor,
                           key ? digest : NULL)))
        return rc;
    /* The draws of the oldest call not yet logged for the stock row (a
     * sale takes every line's stock, then logs the lines in the same
     * order), written with the movement's id (stock.c). */
    if (qty != 0 && (rc = bo__inv_draws_attach(b, mid, stock, &cap)))
        return rc;
    /* A sale's or a landed cost's movements have no record of their own. */
    return bo__vcap_end(b, &cap);
}

int bo__inv_move_claim(bo_book *b, const char *key, const char *digest,
                       int64_t *id, int *state)
{
    return bo__idem_claim(b, SQL_MOVE_BY_KEY, "movement", key, digest, id, state);
}
