/*
 * Parsed bank statements, before they are stored (bank_import.c: CSV,
 * camt053.c: ISO 20022 camt.053; reconcile.c stores and matches them).
 */
#ifndef BO_BILLING_BANK_H
#define BO_BILLING_BANK_H

#include "billing/billing.h"

typedef struct bo__bank_line {
    int line_no; /* line in the file */
    bo_date date;
    int64_t amount; /* positive: money in */
    char *reference; /* the bank's reference, or NULL */
    char *memo;
    int dup; /* repeats an earlier line's bank reference in the same file */
} bo__bank_line;

typedef struct bo__bank_file {
    bo__bank_line *lines;
    size_t n, cap;
    int64_t opening, closing;
} bo__bank_file;

void bo__bank_free(bo__bank_file *f);
int bo__bank_push(bo__bank_file *f, const bo__bank_line *l);
/* Mark lines repeating an earlier reference of the file and return the
 * sum of the others (what moves the balance) in *sum. */
int bo__bank_mark_dups(bo__bank_file *f, int64_t *sum);
/* Parse an amount with the given decimal mark ('.' or ','). */
int bo__bank_amount(const char *s, char decimal, const char *cur, int64_t *out);
int bo__bank_parse_csv(const char *data, const char *mapping, const char *cur,
                       bo__bank_file *f);
int bo__bank_parse_camt053(const char *data, const char *cur, bo__bank_file *f);

#endif
