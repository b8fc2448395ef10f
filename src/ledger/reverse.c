/* Reversal: the exact opposite of a posted entry, posted once. */
#include "ledger/ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char SQL_ENTRY[] = "SELECT memo FROM entries WHERE id = ?";
static const char SQL_REVERSED_BY[] =
    "SELECT e.id, e.idem_key FROM reversals r JOIN entries e ON e.id = r.reversed_by"
    " WHERE r.entry_id = ?";
static const char SQL_LINES[] =
    "SELECT a.code, p.amount, p.currency, p.memo, p.base_amount FROM postings p"
    " JOIN accounts a ON a.id = p.account_id WHERE p.entry_id = ? ORDER BY p.line";

struct rev_ctx {
    int64_t entry_id;
    bo_date date;
    const char *key;
    unsigned flags;
    int64_t id;
};

static int reverse_tx(bo_book *b, void *p)
{
    struct rev_ctx *c = p;
    int rc = (c->flags & BO__POST_TRUSTED) ? bo__tx_usable(b)
                                           : bo__require(b, BO__P_LEDGER_POST);
    if (rc)
        return rc;
    bo__stmt *s;
    char text[BO_TEXT_MAX + 1], memo[BO_TEXT_MAX + 64];
    int found;
    if ((rc = bo__store_row(b->store, SQL_ENTRY, &found, "i>t", c->entry_id, text,
                            sizeof text)))
        return rc;
    if (!found)
        return bo__error_set(BO_ENOTFOUND, "entry %" PRId64 ": not found", c->entry_id);
    snprintf(memo, sizeof memo, "Reversal of entry %" PRId64 ": %s", c->entry_id, text);
    /* Keep the memo within the limit, on a UTF-8 boundary. */
    size_t len = strlen(memo);
    if (len > BO_TEXT_MAX) {
        len = BO_TEXT_MAX;
        while (len && ((unsigned char)memo[len] & 0xC0) == 0x80)
            len--;
        memo[len] = '\0';
    }
    if (!(c->flags & BO__POST_CLOSING)) {
        int closing = 0;
        if ((rc = bo__ledger_is_closing(b, c->entry_id, &closing)))
            return rc;
        if (closing)
            return bo__error_set(BO_ESTATE, "entry %" PRId64 ": a year-end closing entry "
                                 "is reversed by reopening its year", c->entry_id);
    }
    bo_entry *e = NULL;
    if ((rc = bo_entry_new(&e, c->date, memo)))
        return rc;
    if (c->key && (rc = bo_entry_set_key(e, c->key)))
        goto out;
    if ((rc = bo__stmt_new(b->store, SQL_LINES, &s)))
        goto out;
    if (!(rc = bo__stmt_bind(s, "i", c->entry_id))) {
        while ((rc = bo__stmt_step(s)) == BO_DRIVER_ROW) {
            int64_t amount = bo__stmt_col_int(s, 1);
            /* amounts are never INT64_MIN: postings are checked on entry */
            const char *cur = bo__stmt_col_text(s, 2);
            /* A foreign posting with a book-currency value reverses at that
             * same value, so the reversal undoes it exactly. */
            if (!bo__stmt_is_null(s, 4) && strcmp(cur, b->base_currency) != 0)
                rc = bo_entry_add_base(e, bo__stmt_col_text(s, 0), -amount, cur,
                                       -bo__stmt_col_int(s, 4),
                                       bo__stmt_col_text(s, 3));
            else
                rc = bo_entry_add(e, bo__stmt_col_text(s, 0), -amount, cur,
                                  bo__stmt_col_text(s, 3));
            if (rc)
                break;
        }
        if (rc == BO_DRIVER_DONE)
            rc = 0;
    }
    bo__stmt_done(s);
    if (rc)
        goto out;
    int64_t by = 0;
    char key[BO_TEXT_MAX + 1] = ""; /* NULL reads "" */
    if ((rc = bo__store_row(b->store, SQL_REVERSED_BY, &found, "i>it", c->entry_id, &by,
                            key, sizeof key)))
        goto out;
    /* The same key again is a replay; post() checks the content. */
    if (found && !(c->key && key[0] && strcmp(key, c->key) == 0))
        rc = bo__error_set(BO_EEXISTS, "entry %" PRId64 ": already reversed by entry "
                           "%" PRId64, c->entry_id, by);
    if (!rc)
        rc = bo__ledger_post(b, e, c->entry_id, c->flags, &c->id);
out:
    bo_entry_free(e);
    return rc;
}

int bo__ledger_reverse(bo_book *book, int64_t entry_id, bo_date date,
                       const char *key, unsigned flags, int64_t *id)
{
    struct rev_ctx c = { entry_id, date, key, flags, 0 };
    int rc = reverse_tx(book, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}

int bo_ledger_reverse(bo_book *book, int64_t entry_id, bo_date date,
                      const char *key, int64_t *id)
{
    bo__error_clear();
    if (!book)
        return bo__error_set(BO_EINVAL, "book: NULL");
    int rc = bo__text_check("key", key, BO_TEXT_MAX, true, false);
    if (rc)
        return rc;
    struct rev_ctx c = { entry_id, date, key, 0, 0 };
    rc = bo__write_checked(book, reverse_tx, &c);
    if (!rc && id)
        *id = c.id;
    return rc;
}
