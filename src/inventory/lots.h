/*
 * Lots and serial numbers inside the inventory (lots.c): the picks a
 * command names, and the hook the movement log runs for every movement.
 */
#ifndef BO_INVENTORY_LOTS_H
#define BO_INVENTORY_LOTS_H

#include "inventory/inventory.h"

typedef struct bo__picks bo__picks;

/* Parse picks text: "L1", "L1:5,L2:3", "SN1,SN2"; with sale != 0 groups
 * per sale line "1=L1:5,L2:3;2=SN1". BO_EINVAL names the position. */
int bo__picks_parse(const char *text, int sale, bo__picks **out);
void bo__picks_free(bo__picks *p);
/* The dates new lots of a receipt get (ISO text or NULL; borrowed). */
void bo__picks_dates(bo__picks *p, const char *expiry, const char *best_before);
/* Make p the picks of the command this thread runs next; returns the
 * previous ones (restore them after the command). */
const bo__picks *bo__picks_swap(const bo__picks *p);

/* The movement log's hook (move_log.c): move the lots or serials of a
 * tracked item for movement `move` of stock row `stock`, inside the
 * caller's transaction. 0 for an untracked item. */
int bo__inv_track_move(bo_book *b, int64_t stock, const char *kind, const char *date,
                       int64_t qty, const char *ref, int64_t move);

#endif
