/* The tax lines of posted entries: what the tax report reads beside the
 * postings of the tax accounts (see commerce.h). */
#include "commerce/commerce.h"
#include "core/verify.h"

#include <string.h>

/* src into dst of size bytes, cut as snprintf "%s" would (a sale adds two
 * a line: snprintf costs ten times this). */
static void copy_cut(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    while (n + 1 < size && src[n])
        n++;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int bo__tax_lines_add(bo__tax_lines *t, int side, const char *rate,
                      const char *account, int64_t base, int64_t amount, int64_t book)
{
    int k;
    for (k = 0; k < t->n; k++)
        if (t->rows[k].side == side && !strcmp(t->rows[k].rate, rate) &&
            !strcmp(t->rows[k].account, account))
            break;
    if (k == t->n) {
        if (t->n == t->cap) {
            int cap = t->cap ? t->cap * 2 : 4;
            bo__tax_row *r = bo__realloc(t->rows, (size_t)cap * sizeof *r);
            if (!r)
                return BO_ENOMEM;
            t->rows = r;
            t->cap = cap;
        }
        bo__tax_row *r = &t->rows[t->n++];
        memset(r, 0, sizeof *r);
        r->side = side;
        copy_cut(r->rate, sizeof r->rate, rate);
        copy_cut(r->account, sizeof r->account, account);
    }
    bo__tax_row *r = &t->rows[k];
    if (bo_money_add(r->base, base, &r->base) || bo_money_add(r->amount, amount, &r->amount) ||
        bo_money_add(r->book, book, &r->book))
        return bo__error_set(BO_EOVERFLOW, "tax '%s': the total overflows", rate);
    return 0;
}

static const char SQL_TAX_LINE[] =
    "INSERT INTO tax_lines (entry_id, seq, date, source, side, rate, account, currency,"
    " base, amount, book) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int bo__tax_lines_write(bo_book *b, const bo__tax_lines *t, int64_t entry,
                        const char *date, const char *source, const char *currency)
{
    if (!entry || t->n == 0)
        return 0;
    /* The document's audit record names the document, not the entry: the
     * lines are a record of their own for the audit chain. They are written
     * once, all here, with the new entry: their state is captured from the
     * rows written rather than read back at the commit (core/verify.h). */
    bo__vcap cap;
    bo__vcap_begin(b, &cap, "entry-tax", entry);
    int rc = 0;
    for (int k = 0; k < t->n && !rc; k++) {
        const bo__tax_row *r = &t->rows[k];
        if (!(rc = bo__store_run(b->store, SQL_TAX_LINE, "iittitttiii", entry, k + 1, date,
                                 source, r->side, r->rate, r->account, currency, r->base,
                                 r->amount, r->book)))
            rc = bo__vcap_row(&cap, "tax_lines", "iittitttiii", entry, (int64_t)k + 1, date,
                              source, (int64_t)r->side, r->rate, r->account, currency,
                              r->base, r->amount, r->book);
    }
    return rc ? rc : bo__vcap_end(b, &cap);
}

void bo__tax_lines_free(bo__tax_lines *t)
{
    if (!t)
        return;
    bo__free(t->rows);
    t->rows = NULL;
    t->n = t->cap = 0;
}
