/*
 * The demo's chapters after the ledger month (demo.c): each domain tells
 * its part of the shop's story in its own file and checks it, returning 0
 * or printing what went wrong and returning non-zero.
 */
#ifndef BO_DEMO_PARTS_H
#define BO_DEMO_PARTS_H

#include <backoffice.h>

#include <stdint.h>

typedef struct demo_ctx {
    bo_book *book;
    const char *dir; /* a folder the demo may write files into */
    /* What earlier chapters made, for later ones to refer to. */
    int64_t purchase_orders[8];
    int npurchase_orders;
    int64_t invoices[8];
    int ninvoices;
    int64_t bills[8];
    int nbills;
} demo_ctx;

int demo_inventory(demo_ctx *ctx); /* demo_inventory.c: a day at the shop */
int demo_billing(demo_ctx *ctx);   /* demo_billing.c: an order invoiced, paid, reconciled */
int demo_payroll(demo_ctx *ctx);   /* demo_payroll.c: a month's payroll */
int demo_documents(demo_ctx *ctx); /* demo_documents.c: contracts and scans */
int demo_people(demo_ctx *ctx);    /* demo_people.c: a week's roster, attendance, leave */
int demo_export(demo_ctx *ctx);    /* demo_export.c: the book moved out and back in */
int demo_approvals(demo_ctx *ctx); /* demo_approvals.c: a large refund waits */
int demo_reports(demo_ctx *ctx);   /* demo_reports.c: sales by day, the dashboard */
int demo_pricing(demo_ctx *ctx);   /* demo_pricing.c: coffee by the 100 g, buy two get one */
int demo_lots(demo_ctx *ctx);      /* demo_lots.c: milk by lot, a phone by serial */
int demo_terminals(demo_ctx *ctx); /* demo_terminals.c: a till offline, synced; the feed */

#endif
