/* The entry builder: validates each field as it is added. */
#include "ledger/ledger.h"

#include <stdint.h>
#include <string.h>

/* A copy of s in the entry's text[] while it fits, else allocated. */
static char *entry_strdup(bo_entry *e, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n <= sizeof e->text - e->text_used) {
        char *p = e->text + e->text_used;
        memcpy(p, s, n);
        e->text_used += n;
        return p;
    }
    return bo__strdup(s);
}

static void entry_free_text(bo_entry *e, char *p)
{
    uintptr_t at = (uintptr_t)p, lo = (uintptr_t)e->text;
    if (p && (at < lo || at >= lo + sizeof e->text))
        bo__free(p);
}

int bo_entry_new(bo_entry **out, bo_date date, const char *memo)
{
    bo__error_clear();
    if (!out)
        return bo__error_set(BO_EINVAL, "out: NULL");
    *out = NULL;
    if (date < BO_DATE_MIN || date > BO_DATE_MAX)
        return bo__error_set(BO_EINVAL, "date: %ld is outside 0001-01-01.."
                             "9999-12-31", (long)date);
    int rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, true);
    if (rc)
        return rc;
    bo_entry *e = bo__calloc(1, sizeof *e);
    if (!e)
        return BO_ENOMEM;
    e->date = date;
    e->postings = e->first;
    e->cap = BO__ENTRY_INLINE;
    if (!(e->memo = entry_strdup(e, memo ? memo : ""))) {
        bo__free(e);
        return BO_ENOMEM;
    }
    *out = e;
    return 0;
}

int bo_entry_set_key(bo_entry *e, const char *key)
{
    bo__error_clear();
    if (!e)
        return bo__error_set(BO_EINVAL, "entry: NULL");
    int rc = bo__text_check("key", key, BO_TEXT_MAX, false, false);
    if (rc)
        return rc;
    char *k = entry_strdup(e, key);
    if (!k)
        return BO_ENOMEM;
    entry_free_text(e, e->key);
    e->key = k;
    return 0;
}

static int add_posting(bo_entry *e, const char *account, int64_t amount,
                       const char *currency, int has_base, int64_t base,
                       const char *memo)
{
    bo__error_clear();
    if (!e)
        return bo__error_set(BO_EINVAL, "entry: NULL");
    int line = e->n + 1, rc, exp;
    if ((rc = bo__text_check("account", account, BO_CODE_MAX, false, false)) ||
        (rc = bo__text_check("memo", memo, BO_TEXT_MAX, true, true)))
        return bo__error_prefix("posting %d: ", line);
    if (amount == 0)
        return bo__error_set(BO_EINVAL, "posting %d: amount: zero (a posting "
                             "moves a non-zero amount)", line);
    if (currency && (rc = bo_currency_exponent(currency, &exp)))
        return bo__error_prefix("posting %d: currency: ", line);
    if (e->n >= BO_POSTINGS_MAX)
        return bo__error_set(BO_ELIMIT, "posting %d: an entry holds at most %d "
                             "postings", line, BO_POSTINGS_MAX);
    if (e->n == e->cap) {
        int cap = e->cap ? e->cap * 2 : 4;
        bo__posting *p = e->postings == e->first ? bo__malloc((size_t)cap * sizeof *p)
                                                 : bo__realloc(e->postings, (size_t)cap * sizeof *p);
        if (!p)
            return BO_ENOMEM;
        if (e->postings == e->first)
            memcpy(p, e->first, (size_t)e->n * sizeof *p);
        e->postings = p;
        e->cap = cap;
    }
    bo__posting *p = &e->postings[e->n];
    memset(p, 0, sizeof *p);
    p->amount = amount;
    p->has_base = has_base;
    p->base = base;
    if (currency)
        strcpy(p->currency, currency);
    if (!(p->account = entry_strdup(e, account)) ||
        (memo && !(p->memo = entry_strdup(e, memo)))) {
        entry_free_text(e, p->account);
        return BO_ENOMEM;
    }
    e->n++;
    return 0;
}

int bo_entry_add(bo_entry *e, const char *account, int64_t amount,
                 const char *currency, const char *memo)
{
    return add_posting(e, account, amount, currency, 0, 0, memo);
}

int bo_entry_add_base(bo_entry *e, const char *account, int64_t amount,
                      const char *currency, int64_t base_amount,
                      const char *memo)
{
    bo__error_clear();
    if (!currency)
        return bo__error_set(BO_EINVAL, "posting %d: currency: NULL (a posting "
                             "with a book-currency amount names its currency)",
                             e ? e->n + 1 : 0);
    /* The book-currency value moves the same way as the amount (or rounds
     * to nothing): a debit never becomes a credit in the book currency. */
    if ((amount > 0 && base_amount < 0) || (amount < 0 && base_amount > 0))
        return bo__error_set(BO_EINVAL, "posting %d: base_amount: sign differs "
                             "from the amount's", e ? e->n + 1 : 0);
    return add_posting(e, account, amount, currency, 1, base_amount, memo);
}

int bo_entry_count(const bo_entry *e)
{
    return e ? e->n : 0;
}

void bo_entry_free(bo_entry *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n; i++) {
        entry_free_text(e, e->postings[i].account);
        entry_free_text(e, e->postings[i].memo);
    }
    if (e->postings != e->first)
        bo__free(e->postings);
    entry_free_text(e, e->memo);
    entry_free_text(e, e->key);
    bo__free(e);
}
