/*
 * The GnuCash reader's model (gnucash.c reads accounts, transactions and
 * prices; gnucash_biz.c the business objects: customers, vendors, tax
 * tables, invoices, bills and credit notes with their lines, jobs, payments
 * through lots).
 */
#ifndef BO_BOOK_GNUCASH_H
#define BO_BOOK_GNUCASH_H

#include "core/book.h"
#include "book/provenance.h"
#include "util/xml.h"

#include <stddef.h>
#include <stdint.h>

typedef struct gc_party {
    char guid[33], id[64], cur[32], space[32];
    char code[BO_CODE_MAX + 1]; /* ours */
    char *name;
    int vendor, line, write;
    char digest[65];
} gc_party;

#define GC_TTE_MAX 4 /* BO_TAX_RATES_MAX */

typedef struct gc_tte {
    char acct[33], amount[48], type[16];
} gc_tte;

typedef struct gc_taxtable {
    char guid[33], name[64], parent[33];
    int invisible, line, n, write, extra; /* extra: entries past GC_TTE_MAX */
    gc_tte e[GC_TTE_MAX];
    char cat[BO_CODE_MAX + 1]; /* our category */
    char digest[65];
} gc_taxtable;

typedef struct gc_entry {
    char guid[33], doc[33], acct[33], price[48], qty[48], disc[48], disc_type[16],
        tax[33];
    char *desc;
    int bill, taxable, taxincl, line;
} gc_entry;

typedef struct gc_invoice {
    char guid[33], id[64], otype[16], owner[33], posted[40], txn[33], lot[33], acc[33],
        cur[32];
    char slot[32]; /* the key of the slot being read (XML) */
    int line, write, active;
    int credit; /* GnuCash's credit-note slot */
    char digest[65];
    int64_t our; /* our document id, once written or imported before */
    /* checked: */
    char party[33];             /* the owner, or a job's owner */
    int vendor;                 /* a vendor's bill (or credit note) */
    const struct gc_job *job;   /* the job that owns it, or NULL */
    int64_t rate_num, rate_den; /* a foreign document's exact rate (0: the book's) */
} gc_invoice;

/* A job (gnc:GncJob; the jobs table): owned by a customer or a vendor,
 * it owns invoices or bills. */
typedef struct gc_job {
    char guid[33], id[64], name[128], otype[16], owner[33];
    int line;
} gc_job;

/* A commodity that is not a currency (a security): its mnemonic becomes a
 * currency of the process at the decimals of its fraction. */
typedef struct gc_cmdty {
    char space[32], id[32], fraction[24];
    int line, exp;
} gc_cmdty;

typedef struct gc_biz {
    gc_party *party;
    size_t nparty, capparty;
    gc_taxtable *tt;
    size_t ntt, captt;
    gc_entry *entry;
    size_t nentry, capentry;
    gc_invoice *inv;
    size_t ninv, capinv;
    gc_job *job;
    size_t njob, capjob;
} gc_biz;

#define GC_DEPTH_MAX 32
#define GC_NAME 48
#define GC_TEXT_MAX (BO_TEXT_MAX * 4)

typedef struct gc_acct {
    char guid[33], parent[33], type[24], space[32], cmdty[32];
    char *name, *code;
    int placeholder, hidden, line, depth, skip;
    char our[BO_CODE_MAX + 1]; /* our code */
    int ourtype;
    char digest[65]; /* what GnuCash says of it (provenance) */
    int write;       /* to be written: new, or every one on a first import */
    int gain;        /* a security's account with value-only splits (realized
                        gains): they go to its child "<code>:<currency>" */
} gc_acct;

typedef struct gc_split {
    char account[33], lot[33];
    char value[48], quantity[48];
    char *memo;
    char reconcile; /* GnuCash's state: n, c, y, f, v */
} gc_split;

typedef struct gc_tx {
    char guid[33], space[32], cur[32], gdate[16], ts[40];
    char *desc;
    char *void_reason;
    gc_split *splits;
    size_t n, cap;
    int line, voided;
    char digest[65];
    int write;
    int owned;    /* 1: an invoice's posting, 2: a payment (gnucash_biz.c) */
    bo_date date; /* checked */
} gc_tx;

/* A price of the price database: value currency units per commodity unit,
 * an exact fraction. */
typedef struct gc_price {
    char guid[33], space[32], cmdty[32], cur[32], ts[40], source[64];
    char value[48];
    int line;
    char digest[65];
    int write;
} gc_price;

/* A scheduled transaction (gnucash_sx.c): its schedule and template. */
#define GC_SX_SPLITS 32
typedef struct gc_sx_split {
    char account[33], debit[64], credit[64], memo[256];
    int row;
    int64_t amount; /* checked: debit - credit in minor units */
} gc_sx_split;

/* A split of a template transaction of the XML file, with its
 * transaction's currency and description (linked to its scheduled
 * transaction by the template account when checked). */
typedef struct gc_tsplit {
    char tacct[33], cur[32], desc[256];
    gc_sx_split s;
} gc_tsplit;

typedef struct gc_sx {
    char guid[33], name[201], desc[256], cur[32], tacct[33];
    char start[20], end[20], last[20], pstart[20], ptype[24], wadj[16];
    int line, enabled, autocreate, num, rem, mult, nrec, n, extra, write;
    gc_sx_split s[GC_SX_SPLITS];
    /* checked */
    int period, has_end, has_last;
    bo_date d_start, d_end, d_last;
    char digest[65];
} gc_sx;

typedef struct gc {
    bo__xml *x;
    char stack[GC_DEPTH_MAX][GC_NAME];
    int depth;
    char *text;
    size_t tlen;
    int template_depth; /* > 0 inside template-transactions */
    int seen_book;
    char book_guid[33]; /* the GnuCash book's id: the source of provenance */
    /* slots: the key of the slot being read */
    char slot_key[64];
    gc_acct *acc;
    size_t nacc, capacc;
    gc_tx *tx;
    size_t ntx, captx;
    gc_price *price;
    size_t nprice, capprice;
    int64_t voided;
    gc_cmdty *cmdty;
    size_t ncmdty, capcmdty;
    const char *book_cur; /* the book currency, once known */
    gc_biz biz; /* customers, vendors, tax tables, invoices (gnucash_biz.c) */
    const char *unit; /* where a record is: "line" (XML), "row" (SQLite) */
    gc_sx *sx;        /* scheduled transactions (gnucash_sx.c) */
    size_t nsx, capsx;
    gc_tsplit *ts;    /* the XML file's template splits */
    size_t nts, capts;
    char tcur[32], tdesc[256]; /* the template transaction being read */
} gc;

const char *bo__gc_up(const gc *g, int n);
int bo__gc_keep(gc *g, char *dst, size_t size, const char *what);
int bo__gc_keep_dup(gc *g, char **dst, const char *what);
gc_acct *bo__gc_acct(gc *g, const char *guid);
/* "num/den" as exact minor units at exp decimals: 0, 1 when finer, or an
 * error code. */
int bo__gc_minor(const char *frac, int exp, int64_t *out);

/* gnucash_biz.c: the XML elements of the business objects (the element
 * just opened or closed at depth g->depth, under <gnc:book>). */
int bo__gc_biz_start(gc *g, const char *name, int line);
int bo__gc_biz_end(gc *g, const char *name);
/* Read the business tables of an SQLite book. */
int bo__gc_biz_sqlite(gc *g, void *db);
void bo__gc_biz_free(gc *g);
/* Check them whole (before anything is written); base: the book currency. */
int bo__gc_biz_check(gc *g, const char *base);
int bo__gc_biz_digest(gc *g);
/* Compare with the provenance rows as diff_model does (gnucash.c). */
int bo__gc_biz_diff(gc *g, bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3]);
/* A transaction's attributes ("reconcile=..."), NUL-terminated in b. */
int bo__gc_tx_attrs(const gc_tx *t, bo__buf *b);
/* Transactions that an invoice posting or a payment writes (kept out of the
 * plain entries): 1 when t is one. */
int bo__gc_biz_owns(const gc *g, const gc_tx *t);
/* Write parties, tax rates and categories, invoices and payments marked to
 * be written; *written counts them. */
int bo__gc_biz_write(gc *g, bo_book *book, int64_t *written);

/* gnucash_sx.c: scheduled transactions as recurring entries. Read from an
 * SQLite book, checked (after the accounts), digested, compared, written. */
int bo__gc_sx_sqlite(gc *g, void *db);
/* The XML elements: a <gnc:schedxaction> under the book, and everything
 * under <gnc:template-transactions> (the element just opened or closed). */
int bo__gc_sx_start(gc *g, const char *name, int line);
int bo__gc_sx_end(gc *g, const char *name);
int bo__gc_sx_check(gc *g);
int bo__gc_sx_digest(gc *g);
int bo__gc_sx_diff(gc *g, bo__prov_row *rows, size_t n, bo__prov_diff *d, int counts[3]);
int bo__gc_sx_write(gc *g, bo_book *book, int64_t *written);

#endif
