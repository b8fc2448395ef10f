/**
 * @file backoffice.h
 * @brief Umbrella header: everything a host needs from libbackoffice.
 */
#ifndef BACKOFFICE_H
#define BACKOFFICE_H

#include "backoffice/common.h"
#include "backoffice/errors.h"
#include "backoffice/alloc.h"
#include "backoffice/money.h"
#include "backoffice/date.h"
#include "backoffice/book.h"
#include "backoffice/cursor.h"
#include "backoffice/security.h"
#include "backoffice/audit.h"
#include "backoffice/events.h"
#include "backoffice/feed.h"
#include "backoffice/ledger.h"
#include "backoffice/config.h"
#include "backoffice/plugin.h"
#include "backoffice/commerce.h"
#include "backoffice/inventory.h"
#include "backoffice/label.h"
#include "backoffice/billing.h"
#include "backoffice/payroll.h"
#include "backoffice/people.h"
#include "backoffice/documents.h"
#include "backoffice/approvals.h"
#include "backoffice/report.h"
#include "backoffice/sync.h"

#endif
