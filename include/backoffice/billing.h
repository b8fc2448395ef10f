/**
 * @file backoffice/billing.h
 * @brief The billing domain (being written).
 */
#ifndef BACKOFFICE_BILLING_H
#define BACKOFFICE_BILLING_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

BO_END_DECLS

#endif
