/* The sync domain's tables (schema version 15, part "sync"): a terminal's
 * state and outbox, and on the central store the terminals it knows, the
 * commands it received (UNIQUE per terminal and sequence: exactly once)
 * and the stock.negative report. */
#include "sync/sync.h"

#include <stddef.h>

static const char *const sync_v15[] = {
    /* A terminal book: one row, id 1 (the code writes no other). */
    "CREATE TABLE sync_state ("
    " id INTEGER PRIMARY KEY,"
    " terminal TEXT{TEXT_C} NOT NULL,"
    " nonce TEXT{TEXT_C} NOT NULL,"
    " nonce_next TEXT{TEXT_C},"
    " next_seq BIGINT NOT NULL,"
    " next_receipt BIGINT NOT NULL,"
    " queued BIGINT NOT NULL,"
    " queued_value BIGINT NOT NULL,"
    " server_offset BIGINT NOT NULL,"
    " last_sync BIGINT NOT NULL,"
    " pull_cursor BIGINT NOT NULL,"
    " max_queued BIGINT NOT NULL,"
    " max_value BIGINT NOT NULL,"
    " max_hours BIGINT NOT NULL)",

    /* The outbox: a command per terminal sequence, in the transaction of
     * the sale it carries. */
    "CREATE TABLE sync_outbox ("
    " seq BIGINT PRIMARY KEY,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " receipt BIGINT NOT NULL UNIQUE,"
    " local_id BIGINT NOT NULL,"
    " body TEXT{TEXT_C} NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " amount BIGINT NOT NULL,"
    " device_time BIGINT NOT NULL,"
    " server_offset BIGINT NOT NULL,"
    " price_version BIGINT NOT NULL,"
    " state TEXT{TEXT_C} NOT NULL," /* queued, synced or quarantined */
    " central_id BIGINT,"
    " code INTEGER,"
    " reason TEXT{TEXT_C})",
    "CREATE INDEX sync_outbox_by_state ON sync_outbox (state, seq)",

    /* The central store: each terminal's instance nonce (a copied file
     * presents an old one). */
    "CREATE TABLE sync_terminals ("
    " terminal TEXT{TEXT_C} PRIMARY KEY,"
    " nonce TEXT{TEXT_C} NOT NULL,"
    " server_offset BIGINT NOT NULL,"
    " seen BIGINT NOT NULL)",

    /* Every command received, once: (terminal, seq) is the key, digest
     * the content it was first applied with. */
    "CREATE TABLE sync_inbox ("
    " id {ID},"
    " terminal TEXT{TEXT_C} NOT NULL,"
    " seq BIGINT NOT NULL,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " kind TEXT{TEXT_C} NOT NULL,"
    " receipt BIGINT NOT NULL,"
    " result_id BIGINT NOT NULL,"
    " device_time BIGINT NOT NULL,"
    " server_offset BIGINT NOT NULL,"
    " price_version BIGINT NOT NULL,"
    " received_at BIGINT NOT NULL,"
    " skew BIGINT NOT NULL,"
    " skewed INTEGER NOT NULL,"
    " UNIQUE (terminal, seq))",

    /* The stock.negative report: a synced sale that took stock below 0. */
    "CREATE TABLE sync_negative ("
    " id {ID},"
    " inbox_id BIGINT NOT NULL REFERENCES sync_inbox(id),"
    " sale_id BIGINT NOT NULL,"
    " sku TEXT{TEXT_C} NOT NULL,"
    " location TEXT{TEXT_C} NOT NULL,"
    " on_hand BIGINT NOT NULL)",
    "CREATE INDEX sync_negative_by_inbox ON sync_negative (inbox_id, id)",

    /* A terminal's pulled snapshot: what the central book said about each
     * item, tax rate, stock level and party, at which pull cursor. */
    "CREATE TABLE sync_pulled ("
    " kind TEXT{TEXT_C} NOT NULL,"
    " code TEXT{TEXT_C} NOT NULL,"
    " body TEXT{TEXT_C} NOT NULL,"
    " cursor_at BIGINT NOT NULL,"
    " PRIMARY KEY (kind, code))",
    NULL
};

/* Version 16, part "sync_chain": the terminal's command chain. Each
 * outbox row carries the link of the one before it and its own
 * (chain_hash = SHA-256 of the fields chain_prev, terminal, seq, digest);
 * the central store keeps both in its inbox row and checks that each
 * command continues the chain of the one before it. Rows queued before
 * have none (NULL: not checked). */
static const char *const sync_v16_chain[] = {
    "ALTER TABLE sync_outbox ADD COLUMN chain_prev TEXT{TEXT_C}",
    "ALTER TABLE sync_outbox ADD COLUMN chain_hash TEXT{TEXT_C}",
    "ALTER TABLE sync_inbox ADD COLUMN chain_prev TEXT{TEXT_C}",
    "ALTER TABLE sync_inbox ADD COLUMN chain_hash TEXT{TEXT_C}",
    NULL
};

const bo__schema_part bo__parts_sync[] = {
    { 15, sync_v15, 0, NULL }, /* sync: terminals, outbox, inbox */
    { 16, sync_v16_chain, 0, NULL }, /* sync_chain: the terminal's command chain */
    { 0, NULL, 0, NULL },
};

const bo__table bo__tables_sync[] = {
    { "sync_state", "id, terminal, nonce, nonce_next, next_seq, next_receipt, queued,"
      " queued_value, server_offset, last_sync, pull_cursor, max_queued, max_value,"
      " max_hours", "itttiiiiiiiiii", "id", NULL },
    { "sync_outbox", "seq, kind, receipt, local_id, body, digest, amount, device_time,"
      " server_offset, price_version, state, central_id, code, reason, chain_prev, chain_hash",
      "itiittiiiitiittt", "seq", NULL },
    { "sync_terminals", "terminal, nonce, server_offset, seen", "ttii", "terminal", NULL },
    { "sync_inbox", "id, terminal, seq, digest, kind, receipt, result_id, device_time,"
      " server_offset, price_version, received_at, skew, skewed, chain_prev, chain_hash",
      "itittiiiiiiiitt", "id",
      "id" },
    { "sync_negative", "id, inbox_id, sale_id, sku, location, on_hand", "iiitti", "id",
      "id" },
    { "sync_pulled", "kind, code, body, cursor_at", "ttti", "kind, code", NULL },
};
const int bo__ntables_sync = (int)(sizeof bo__tables_sync / sizeof bo__tables_sync[0]);
