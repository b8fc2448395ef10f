/* The entries' columns: a new book's first part and version 21's copy of
 * an older book's table make them with the same text. */
#define ENTRIES_COLS \
    " id {ID}," \
    " date TEXT{TEXT_C} NOT NULL," \
    " memo TEXT{TEXT_C} NOT NULL," \
    " idem_key TEXT{TEXT_C}," \
    " actor TEXT{TEXT_C}," \
    " digest TEXT{TEXT_C} NOT NULL)"

/*
 * The ledger's part of the schema: the chart, periods, entries and their
 * postings, day totals (version 1), year-end closes (version 9).
 */
#include "ledger/ledger.h"

static const char *const ledger_v1[] = {
    "CREATE TABLE accounts ("
    " id {ID},"
    " code TEXT{TEXT_C} NOT NULL UNIQUE,"
    " name TEXT{TEXT_C} NOT NULL,"
    " type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 5),"
    " parent_id BIGINT REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0,"
    " depth INTEGER NOT NULL,"
    " path TEXT{TEXT_C} NOT NULL)",

    "CREATE TABLE periods ("
    " id {ID},"
    " name TEXT{TEXT_C} NOT NULL UNIQUE,"
    " start_date TEXT{TEXT_C} NOT NULL,"
    " end_date TEXT{TEXT_C} NOT NULL,"
    " closed INTEGER NOT NULL DEFAULT 0)",

    "CREATE TABLE entries (" ENTRIES_COLS,
    /* Only keyed entries in the key's index (version 21, ledger_v21_keys). */
    "CREATE UNIQUE INDEX entries_by_key ON entries (idem_key) WHERE idem_key IS NOT NULL",

    /* Apart from entries, so the common entry carries no second index. */
    "CREATE TABLE reversals ("
    " entry_id BIGINT PRIMARY KEY REFERENCES entries(id),"
    " reversed_by BIGINT NOT NULL UNIQUE REFERENCES entries(id))",

    "CREATE TABLE postings ("
    " entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " line INTEGER NOT NULL,"
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " amount BIGINT NOT NULL CHECK (amount <> 0),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C},"
    " date TEXT{TEXT_C} NOT NULL,"
    " base_amount BIGINT," /* version 4 (ledger_v4_base_amount) */
    " PRIMARY KEY (entry_id, line)){CLUSTERED}",

    "CREATE INDEX postings_by_account ON postings (account_id, date, entry_id)",

    /* Per account, currency and day: the day's net change and the
     * cumulative balance at its end, so a balance as of any date is one
     * index seek whatever the size of the book. */
    "CREATE TABLE account_days ("
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " delta BIGINT NOT NULL,"
    " total BIGINT NOT NULL,"
    " PRIMARY KEY (account_id, currency, date)){CLUSTERED}",

    NULL
};

/* Version 9: year-end closes (src/ledger/close.c; at most one active, not
 * reopened, close per year end). */
static const char *const ledger_v9[] = {
    "CREATE TABLE ledger_closings ("
    " id {ID},"
    " year_end TEXT{TEXT_C} NOT NULL,"
    " account TEXT{TEXT_C} NOT NULL,"
    " entry_id BIGINT REFERENCES entries(id),"
    " reopened_by BIGINT,"
    " idem_key TEXT{TEXT_C} UNIQUE,"
    " digest TEXT{TEXT_C} NOT NULL,"
    " actor TEXT{TEXT_C})",
    "CREATE UNIQUE INDEX ledger_closings_active ON ledger_closings (year_end)"
    " WHERE reopened_by IS NULL",
    NULL
};

/* Version 4 (with billing's tables): the book-currency value beside each
 * posting (NULL when unknown: a foreign posting made without one), for books
 * made before it (new books have it from version 1). Existing
 * book-currency postings are worth their amount. */
static const char *const ledger_v4_base_amount[] = {
    "ALTER TABLE postings ADD COLUMN base_amount BIGINT",
    "UPDATE postings SET base_amount = amount WHERE currency ="
    " (SELECT value FROM bo_meta WHERE key = 'base_currency')",
    NULL
};

/* Version 16: day totals by lane (docs/architecture.md, "Day totals by
 * lane"). A write transaction that holds lane 2 or above of the audit chain
 * keeps its day totals in its lane's own rows (lane 1, a single writer's,
 * keeps account_days): per lane, account, currency and
 * day the change and the lane's running total, so writers posting to one
 * account never update one row. A balance is the account_days total plus,
 * for each lane listed in account_lanes for the account, that lane's
 * latest total: one index seek per lane. The lane comes first in the key
 * so each lane's rows sit in their own index pages. */
static const char *const ledger_v16_day_lanes[] = {
    "CREATE TABLE account_lane_days ("
    " lane INTEGER NOT NULL,"
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " date TEXT{TEXT_C} NOT NULL,"
    " delta BIGINT NOT NULL,"
    " total BIGINT NOT NULL,"
    " PRIMARY KEY (lane, account_id, currency, date)){CLUSTERED}",
    "CREATE TABLE account_lanes ("
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " lane INTEGER NOT NULL,"
    " PRIMARY KEY (account_id, currency, lane)){CLUSTERED}",
    NULL
};

/* Version 18: recurring entries (src/ledger/recurring.c): a template of
 * postings and its schedule. Occurrence k falls on start_date + k * every
 * periods; last_date is the last one posted, next_date the next one due
 * (NULL: none left), remaining the occurrences left (NULL: unlimited). */
static const char *const ledger_v18_recurring[] = {
    "CREATE TABLE ledger_recurring ("
    " id {ID},"
    " memo TEXT{TEXT_C} NOT NULL,"
    " period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 5),"
    " every INTEGER NOT NULL CHECK (every BETWEEN 1 AND 1000),"
    " start_date TEXT{TEXT_C} NOT NULL,"
    " end_date TEXT{TEXT_C},"
    " remaining INTEGER CHECK (remaining >= 0),"
    " last_date TEXT{TEXT_C},"
    " next_date TEXT{TEXT_C},"
    " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),"
    " actor TEXT{TEXT_C})",
    "CREATE TABLE ledger_recurring_lines ("
    " recurring_id BIGINT NOT NULL REFERENCES ledger_recurring(id),"
    " line INTEGER NOT NULL,"
    " account_id BIGINT NOT NULL REFERENCES accounts(id),"
    " amount BIGINT NOT NULL CHECK (amount <> 0),"
    " currency TEXT{TEXT_C} NOT NULL,"
    " memo TEXT{TEXT_C},"
    " PRIMARY KEY (recurring_id, line)){CLUSTERED}",
    NULL
};

/* Version 21, on SQLite: the entries' key index holds only the keys. The
 * column was UNIQUE, and that index held an entry for every entry, NULL
 * for one posted without a key (a sale's, a return's, an invoice's: the
 * document holds the key): a leaf page each commit. The partial unique
 * index serves the key's look-up (post.c: idem_key = ?, and the insert's
 * ON CONFLICT, which names its WHERE) and refuses a key twice as before.
 * SQLite cannot drop a column's UNIQUE: the table is copied, every entry
 * with its id. (PostgreSQL keeps an older book's constraint; a new book
 * there has the partial index too.) */
static const char *const ledger_v21_keys[] = {
    "{SQLITE}CREATE TABLE entries_v21 (" ENTRIES_COLS,
    "{SQLITE}INSERT INTO entries_v21 (id, date, memo, idem_key, actor, digest)"
    " SELECT id, date, memo, idem_key, actor, digest FROM entries ORDER BY id",
    "{SQLITE}DROP TABLE entries",
    "{SQLITE}ALTER TABLE entries_v21 RENAME TO entries",
    "{SQLITE}CREATE UNIQUE INDEX entries_by_key ON entries (idem_key)"
    " WHERE idem_key IS NOT NULL",
    NULL
};

/* Version 23: on PostgreSQL, no foreign keys from postings and account_days
 * (SQLite never enforced them: no PRAGMA foreign_keys). The posting engine
 * finds every account before it writes and gives the postings the id its
 * own insert returned; the server's check was one query per row, half the
 * cost of a batch's postings (docs/performance.md, "PostgreSQL, one
 * client, batched: written set-wise"). Nothing deletes an entry or an
 * account; the verification reads the rows against the chain. */
static const char *const ledger_v23_unchecked_refs[] = {
    "{PG}ALTER TABLE postings DROP CONSTRAINT IF EXISTS postings_entry_id_fkey",
    "{PG}ALTER TABLE postings DROP CONSTRAINT IF EXISTS postings_account_id_fkey",
    "{PG}ALTER TABLE account_days DROP CONSTRAINT IF EXISTS account_days_account_id_fkey",
    NULL
};

const bo__schema_part bo__parts_ledger[] = {
    { 1, ledger_v1, 0, NULL },
    { 4, ledger_v4_base_amount, 1, NULL },
    { 9, ledger_v9, 0, NULL },
    { 16, ledger_v16_day_lanes, 0, NULL },
    { 18, ledger_v18_recurring, 0, NULL },
    { 21, ledger_v21_keys, 1, NULL }, /* a new book makes it so at 1 */
    { 23, ledger_v23_unchecked_refs, 0, NULL },
    { 0, NULL, 0, NULL },
};

/* Its tables, in reference order, for copying a book. */
const bo__table bo__tables_ledger[] = {
    { "accounts", "id, code, name, type, parent_id, currency, closed, depth, path",
      "ittiitiit", "id", "id" },
    { "periods", "id, name, start_date, end_date, closed", "ittti", "id", "id" },
    { "entries", "id, date, memo, idem_key, actor, digest", "ittttt", "id", "id" },
    { "reversals", "entry_id, reversed_by", "ii", "entry_id", NULL },
    /* base_amount: version 4 (multi-currency). */
    { "postings", "entry_id, line, account_id, amount, currency, memo, date,"
      " base_amount", "iiiittti", "entry_id, line", NULL },
    { "account_days", "account_id, currency, date, delta, total", "ittii",
      "account_id, currency, date", NULL },
    { "ledger_closings", "id, year_end, account, entry_id, reopened_by, idem_key, digest,"
      " actor", "ittiittt", "id", "id" },
    /* version 16 */
    { "account_lanes", "account_id, currency, lane", "iti", "account_id, currency, lane",
      NULL },
    { "account_lane_days", "lane, account_id, currency, date, delta, total", "iittii",
      "lane, account_id, currency, date", NULL },
    /* version 18 */
    { "ledger_recurring", "id, memo, period, every, start_date, end_date, remaining,"
      " last_date, next_date, enabled, actor", "itiittittit", "id", "id" },
    { "ledger_recurring_lines", "recurring_id, line, account_id, amount, currency, memo",
      "iiiitt", "recurring_id, line", NULL },
};
const int bo__ntables_ledger = (int)(sizeof bo__tables_ledger / sizeof bo__tables_ledger[0]);
