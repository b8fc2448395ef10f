/*
 * The approvals domain (docs/architecture.md, "Approvals"): its tables,
 * audit coverage, YAML section, permissions and public API. The gate and
 * its operations are the core's (src/core/approval.h); the approvable
 * command kinds are defined by the domains owning the commands and listed
 * here, in the descriptor.
 */
#ifndef BO_APPROVALS_APPROVALS_H
#define BO_APPROVALS_APPROVALS_H

#include "core/domain.h"
#include "core/approval.h"
#include "backoffice/approvals.h"
#include "inventory/inventory.h"
#include "billing/billing.h"
#include "payroll/payroll.h"

/* The schema version that made the approvals tables. */
#define BO__SCHEMA_APPROVALS 13

extern const bo__domain bo__domain_approvals;
extern const bo__schema_part bo__parts_approvals[];
extern const bo__table bo__tables_approvals[];
extern const int bo__ntables_approvals;
extern const bo__vdomain bo__verify_approvals;

extern unsigned bo__perms_approvals[2];
#define BO__P_APPROVAL_READ (bo__perms_approvals[0])
#define BO__P_APPROVAL_ADMIN (bo__perms_approvals[1])

int bo__cfg_section_approvals(bo_book *book, const bo__cfg_doc *doc,
                              const bo__cfg_node *node);

/* The approvable commands, each defined next to its command. */
extern const bo__approval_kind bo__approval_ledger_post;    /* src/ledger/approval_ledger.c */
/* src/inventory/approval_inventory.c: bo__approval_inventory_adjust,
 * bo__approval_inventory_return (declared in inventory/inventory.h);
 * src/billing/approval_billing.c: bo__approval_billing_payment,
 * bo__approval_billing_credit;
 * src/payroll/approval_payroll.c: bo__approval_payroll_post. */

#endif
