/**
 * @file backoffice/sync.h
 * @brief Offline terminals and their synchronisation with a central book.
 *
 * A terminal book is an ordinary (SQLite) book given a terminal identity
 * with bo_terminal_setup() or the YAML section `terminal:` (its id and the
 * URI of the central store). From then on every sale posted in it with
 * bo_inventory_sale_post() also writes an outbox row in the same local
 * transaction, before the call returns (so before a receipt is printed):
 * the command's canonical form and digest, the terminal sequence, a
 * gapless receipt number, the device time, the last known server offset
 * and the version of the prices and tax rates it used (the pull cursor).
 *
 * bo_sync_run() pushes the outbox, in sequence order and in batches, to the
 * central book (SQLite or PostgreSQL). Each command is applied exactly
 * once: the central store keeps (terminal, sequence, digest) under a
 * UNIQUE constraint; sending a command again answers the first result, and
 * the same (terminal, sequence) with another digest is #BO_EKEYREUSE
 * naming the terminal and the sequence. A command the central store
 * refuses (an item it does not know, a closed period) is quarantined with
 * its code and reason, and the others go on; bo_terminal_resubmit() queues
 * it again once the cause is corrected. A synced sale is a fact: it is
 * accepted centrally even when stock goes negative, with a `stock.negative`
 * event and a row in bo_sync_negative(). A terminal file copied onto a
 * second device is found at its first sync (the instance nonce rotates at
 * every sync) and refused with #BO_ECLONE, never posted twice.
 *
 * A terminal whose local disk is full (its SQLite file cannot grow by a
 * margin of 64 pages: the disk, or PRAGMA max_page_count) refuses a new
 * sale, return or cash movement with #BO_EFULL naming the terminal; the
 * commands already queued stay and sync, the room kept back being the
 * sync's. Each command carries the terminal's chain link (the hash of the
 * link before it and of its digest); the central store refuses an altered
 * command, an altered link or a gap in the chain with #BO_ECORRUPT naming
 * the terminal and the sequence, and quarantines it.
 */
#ifndef BACKOFFICE_SYNC_H
#define BACKOFFICE_SYNC_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

/** The version of #bo_terminal_status this header describes. */
#define BO_TERMINAL_STATUS_VERSION 1

/** Warning bits of #bo_terminal_status: a limit is at 80 % or more. */
#define BO_TERMINAL_WARN_COUNT 1
/** The queued value is at 80 % or more of its limit. */
#define BO_TERMINAL_WARN_VALUE 2
/** The terminal has been offline for 80 % or more of its maximum age. */
#define BO_TERMINAL_WARN_AGE 4

/** What a terminal holds, from bo_terminal_status(). */
typedef struct bo_terminal_status {
    unsigned int version;   /**< BO_TERMINAL_STATUS_VERSION */
    int64_t queued;         /**< commands neither synced nor quarantined */
    int64_t queued_value;   /**< their value in minor units of the base currency */
    int64_t quarantined;    /**< commands the central store refused */
    int64_t synced;         /**< commands the central store holds */
    int64_t next_seq;       /**< the sequence the next command takes */
    int64_t next_receipt;   /**< the receipt number the next sale takes */
    int64_t server_offset;  /**< server clock minus device clock, seconds,
                                 at the last sync */
    int64_t offline_seconds; /**< device seconds since the last sync */
    int warnings;           /**< BO_TERMINAL_WARN_* bits */
} bo_terminal_status;

/** Static initialiser for #bo_terminal_status. */
#define BO_TERMINAL_STATUS_INIT { BO_TERMINAL_STATUS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Make @p book a terminal named @p terminal whose central store is at
 * @p central_uri (settings sync.terminal and sync.central), with a fresh
 * instance nonce. A book is set up once: another call with the same
 * values changes nothing, with others it is #BO_ESTATE. Needs inventory.admin.
 * @return 0, BO_EINVAL (names the argument), BO_ESTATE, BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_setup(bo_book *book, const char *terminal,
                                 const char *central_uri);

/**
 * Set the terminal's limits: at most @p max_queued commands, @p max_value
 * minor units queued, and @p max_offline_hours since the last sync (0: no
 * limit). A sale that would pass one is refused with #BO_ELIMIT naming it;
 * bo_terminal_status() warns from 80 %. Needs inventory.admin.
 * @return 0, BO_EINVAL (a negative limit), BO_ESTATE (not a terminal), BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_limits(bo_book *book, int64_t max_queued, int64_t max_value,
                                  int64_t max_offline_hours);

/**
 * The terminal's counts and warnings into @p out (its version set by the
 * caller). Needs inventory.read.
 * @return 0, BO_EINVAL, BO_ESTATE (not a terminal), BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_status_get(bo_book *book, bo_terminal_status *out);

/**
 * The outbox, in sequence order: @p state "queued", "synced",
 * "quarantined" or NULL for all. Needs inventory.read. Columns: seq INT, kind
 * TEXT, receipt INT, state TEXT, device_time INT (Unix seconds), amount INT,
 * central_id INT (or NULL), code INT (the refusal's error code, or NULL),
 * reason TEXT (or NULL), digest TEXT.
 * @return 0, BO_EINVAL (state), BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_outbox(bo_book *book, const char *state, bo_cursor **out);

/**
 * A cash movement of the till: @p amount minor units into the drawer
 * (> 0: a float, a deposit) or out of it (< 0: a payout, a bank drop),
 * against account @p account, on @p date. One entry (the till's cash
 * account, the inventory setting payment.cash, against @p account) and its
 * outbox row in one transaction; the central book posts the same entry
 * when it is synced. @p key is the idempotency key (required): a replay
 * answers the first entry and writes no second row. Needs ledger.post.
 * @param entry receives the entry's id.
 * @return 0, BO_EINVAL (amount 0, no key, text), BO_ENOTFOUND (account),
 *         BO_ECONFIG (payment.cash unset), BO_ESTATE (not a terminal),
 *         BO_ELIMIT, BO_EKEYREUSE, BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_cash(bo_book *book, bo_date date, int64_t amount,
                                const char *account, const char *memo, const char *key,
                                int64_t *entry);

/**
 * The receipt number of sale @p sale_id posted on this terminal: gapless
 * per terminal, taken in the sale's own transaction. Needs inventory.read.
 * @return 0, BO_ENOTFOUND (not a sale of this terminal), BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_receipt(bo_book *book, int64_t sale_id, int64_t *receipt);

/**
 * Queue quarantined command @p seq again (its cause corrected centrally):
 * the next bo_sync_run() sends it as it was. Needs inventory.admin.
 * @return 0, BO_ENOTFOUND (seq), BO_ESTATE (not quarantined), BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_resubmit(bo_book *book, int64_t seq);

/**
 * May the till session close? 0 when every command is synced or
 * quarantined, else #BO_ESTATE naming how many are still queued.
 * Needs inventory.read.
 * @return 0, BO_ESTATE, BO_EDENIED.
 */
BO_EXTERN(int) bo_terminal_close_check(bo_book *book);

/** The version of #bo_sync_options this header describes. */
#define BO_SYNC_OPTIONS_VERSION 1

/** How bo_sync_run() runs. Initialise with BO_SYNC_OPTIONS_INIT or
 *  bo_sync_options_init(); members are only ever appended. */
typedef struct bo_sync_options {
    unsigned int version;   /**< BO_SYNC_OPTIONS_VERSION */
    int batch;              /**< commands per central transaction (0: 200) */
    int64_t skew_seconds;   /**< flag a device clock off by more (0: 300) */
    int push;               /**< push the outbox (default 1) */
    int pull;               /**< pull items, prices, tax rates, stock
                                 levels and parties (default 1) */
} bo_sync_options;

/** Static initialiser for #bo_sync_options. */
#define BO_SYNC_OPTIONS_INIT { BO_SYNC_OPTIONS_VERSION, 0, 0, 1, 1 }

/**
 * Initialise @p opts to the defaults of version @p version.
 * @return 0 or BO_EINVAL for an unknown version.
 */
BO_EXTERN(int) bo_sync_options_init(bo_sync_options *opts, unsigned int version);

/** The version of #bo_sync_report this header describes. */
#define BO_SYNC_REPORT_VERSION 1

/** What bo_sync_run() did. */
typedef struct bo_sync_report {
    unsigned int version;  /**< BO_SYNC_REPORT_VERSION */
    int64_t pushed;        /**< commands applied centrally by this sync */
    int64_t replayed;      /**< commands the central store already held */
    int64_t quarantined;   /**< commands refused and quarantined */
    int64_t negative;      /**< stock.negative findings */
    int64_t skewed;        /**< commands flagged for clock skew */
    int64_t batches;       /**< central transactions */
    int64_t pulled;        /**< snapshot rows pulled */
    int64_t cursor;        /**< the pull cursor reached */
} bo_sync_report;

/** Static initialiser for #bo_sync_report. */
#define BO_SYNC_REPORT_INIT { BO_SYNC_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }

/**
 * Synchronise terminal book @p terminal with the central book @p central
 * (NULL: open the terminal's sync.central URI for the call). Pushes the
 * queued outbox in sequence order, @p opts->batch commands per central
 * transaction, each exactly once; refused commands are quarantined and the
 * rest go on. Then pulls items, tax rates, stock levels and parties: the
 * whole snapshot first, then what changed since the terminal's cursor. A
 * sync cut anywhere (a lost connection, a killed process) is finished by
 * running it again. @p opts NULL: the defaults; @p report may be NULL.
 * The terminal's actor needs inventory.read there, the central book's actor
 * sales.post.
 * @return 0, BO_ECLONE (this file's nonce is not the terminal's: a copy),
 *         BO_ESTATE (not a terminal), BO_EINVAL, a store error (nothing
 *         acknowledged is lost; run it again), BO_EDENIED.
 */
BO_EXTERN(int) bo_sync_run(bo_book *terminal, bo_book *central,
                           const bo_sync_options *opts, bo_sync_report *report);

/**
 * The commands the central book received from @p terminal (NULL: all),
 * in (terminal, seq) order. Needs inventory.read. Columns: id INT, terminal
 * TEXT, seq INT, kind TEXT, receipt INT, result INT (the sale's id), digest
 * TEXT, device_time INT, received_at INT (Unix seconds), skew INT (seconds
 * the device clock was off), skewed INT (1: beyond the threshold).
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_sync_inbox(bo_book *central, const char *terminal, bo_cursor **out);

/**
 * The stock.negative report: synced sales that took stock below zero.
 * Needs inventory.read. Columns: id INT, terminal TEXT, seq INT, sale INT, sku
 * TEXT, location TEXT, on_hand INT (after the sale, in the item's smallest
 * unit), scale INT.
 * @return 0, BO_EDENIED.
 */
BO_EXTERN(int) bo_sync_negative(bo_book *central, bo_cursor **out);

BO_END_DECLS

#endif
