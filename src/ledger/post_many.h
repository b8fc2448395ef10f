/*
 * What the set-wise batch (post_many.c) shares with its writer on lanes of
 * the audit chain (post_many_lanes.c): an entry of the batch as checked.
 */
#ifndef BO_LEDGER_POST_MANY_H
#define BO_LEDGER_POST_MANY_H

#include "ledger/ledger.h"

#include <stdint.h>

typedef struct bo__set_item {
    const bo_entry *e;
    const bo__account **acc;
    char date[11];
    char digest[65];
    bo__buf canon;
    bo__buf extra;
    char object[32];
    int first;          /* the call's first entry with this key (itself) */
    int found;          /* first's key is stored: found_id, found_digest */
    int64_t found_id;
    char found_digest[65];
    int kind;
    int64_t id;
} bo__set_item;

/* post_many_lanes.c. Whether a batch is written set-wise on this store's
 * lanes (the entries' rows appended in bulk need their ids drawn in one
 * statement, bo__store_draws_ids); 1 on a store without lanes. */
int bo__set_lanes_ok(bo__store *st);
/* The rows of the new entries fresh[0..nf) appended in bulk on a lane
 * (bo__store_copy), their ids drawn from the identity sequence first, in
 * the call's order. */
int bo__set_lane_entries(bo_book *book, bo__set_item **fresh, int nf);

#endif
