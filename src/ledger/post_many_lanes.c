/*
 * bo_ledger_post_many's set-wise batch on a lane of the audit chain
 * (PostgreSQL, writers side by side: docs/architecture.md, "A batch on a
 * lane"). The batch is checked and its day totals planned as everywhere
 * (post_many.c; the day rows go to the lane's own rows in account_lane_days,
 * held over the batch's dates and written 64 a statement, post.c); what
 * differs is where the numbers come from. Writers taking turns give the
 * entries the ids after the largest stored one; beside other writers two
 * batches would take the same, so here the ids are drawn from the
 * entries' identity sequence in one statement (bo__store_draw_ids: never
 * the same id twice, never a wait), and the audit records' numbers from
 * the record sequence the same way (src/core/audit_bulk.c). A key another
 * writer inserted since the batch read it fails the append with a unique
 * violation, which on a lane is a conflict (BO_ECONFLICT): the batch is
 * run again and finds the key.
 */
#include "ledger/post_many.h"


int bo__set_lanes_ok(bo__store *st)
{
    return !bo__store_has_lanes(st) || !bo__store_has_copy(st) || bo__store_draws_ids(st);
}

#define E_TABLE "entries"
#define E_NAMES "id, date, memo, idem_key, actor, digest"

int bo__set_lane_entries(bo_book *b, bo__set_item **fresh, int nf)
{
    if (nf <= 0)
        return 0;
    int64_t *ids = bo__malloc((size_t)nf * sizeof *ids);
    if (!ids)
        return BO_ENOMEM;
    int rc = bo__store_draw_ids(b->store, E_TABLE, "id", (size_t)nf, ids);
    bo__rowset r;
    if (!rc && !(rc = bo__rowset_init(&r, (size_t)nf * 6, (size_t)nf))) {
        for (int f = 0; f < nf; f++) {
            bo__set_item *it = fresh[f];
            it->id = ids[f];
            bo__rowset_int(&r, it->id);
            bo__rowset_text(&r, it->date);
            bo__rowset_text(&r, it->e->memo);
            bo__rowset_text(&r, it->e->key);
            bo__rowset_text(&r, b->actor);
            bo__rowset_text(&r, it->digest);
        }
        rc = bo__store_copy(b->store, E_TABLE, E_NAMES, 6, &r);
        bo__rowset_free(&r);
    }
    bo__free(ids);
    return rc;
}
