/**
 * @file backoffice/payroll.h
 * @brief The payroll domain (being written).
 */
#ifndef BACKOFFICE_PAYROLL_H
#define BACKOFFICE_PAYROLL_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

BO_END_DECLS

#endif
