/*
 * The sync domain's internals: offline terminals (the outbox every sale of
 * a terminal book writes in its own transaction) and the synchronisation
 * of a terminal with its central book (push exactly once, quarantine,
 * stock as facts, clone detection, pull).
 */
#ifndef BO_SYNC_SYNC_H
#define BO_SYNC_SYNC_H

#include "core/book.h"
#include "core/domain.h"
#include "backoffice/sync.h"

extern const bo__domain bo__domain_sync;
extern const bo__schema_part bo__parts_sync[];
extern const bo__table bo__tables_sync[];
extern const int bo__ntables_sync;
extern const bo__vdomain bo__verify_sync;

/* No permissions of its own (the table of domains has no bits left): a
 * terminal's outbox is read with inventory.read and set up with
 * inventory.admin; pushing into a central book needs sales.post there. */
#include "inventory/inventory.h"
#define BO__P_SYNC_READ BO__P_INVENTORY_READ
#define BO__P_SYNC_ADMIN BO__P_INVENTORY_ADMIN

/* The clocks (Unix seconds): the device's and the central store's. NULL:
 * time(). Tests set them to move a terminal's clock. */
extern int64_t (*bo__sync_device_clock)(void);
extern int64_t (*bo__sync_central_clock)(void);
int64_t bo__sync_device_now(void);
int64_t bo__sync_central_now(void);

/* The terminal's state row (sync_state, id 1). */
typedef struct bo__sync_state {
    char terminal[BO_CODE_MAX + 1];
    char nonce[65], nonce_next[65];
    int64_t next_seq, next_receipt, queued, queued_value, server_offset,
            last_sync, cursor, max_queued, max_value, max_hours;
} bo__sync_state;
/* The state of a terminal book; BO_ESTATE "book: not a terminal" when it
 * is none (*found 0 when found is not NULL, and no error). */
int bo__sync_state_get(bo_book *b, bo__sync_state *st, int *found);
/* What the handle keeps of the sync domain (terminal.c). */
extern const bo__domain_cache bo__sync_cache;
int bo__sync_state_put(bo_book *b, const bo__sync_state *st);

/* The outbox part of a sale's write (the inventory hook). */
int bo__sync_sale_hook(bo_book *b, const bo_sale *sale, int64_t id, int64_t total,
                       const char *digest);
/* The outbox part of a return's write (the inventory hook). */
int bo__sync_return_hook(bo_book *b, int64_t sale, int line, int64_t qty, const char *date,
                         const char *method, const char *key, int64_t id, int64_t refund);
/* Set while a sync applies commands to a central book: the hooks write no
 * outbox there (a book may be both). */
extern _Thread_local int bo__sync_applying;
/* A cash movement's entry: the till's cash account against account. */
int bo__sync_cash_entry(bo_book *b, bo_date date, int64_t amount, const char *account,
                        const char *memo, const char *key, int64_t *entry);
/* The link of a terminal's command chain: SHA-256 (hex) of the fields
 * prev ("" for the first), terminal, seq and the command's digest. */
void bo__sync_chain_link(const char *prev, const char *terminal, int64_t seq,
                         const char *digest, char out[65]);
/* A fresh random nonce (64 hex digits). */
int bo__sync_nonce(char out[65]);

/* YAML: "terminal: {id: T1, central: URI, max_queued: N, ...}". */
int bo__cfg_section_terminal(bo_book *b, const bo__cfg_doc *d, const bo__cfg_node *node);

#endif
