/**
 * @file backoffice/inventory.h
 * @brief The inventory domain (being written).
 */
#ifndef BACKOFFICE_INVENTORY_H
#define BACKOFFICE_INVENTORY_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

BO_END_DECLS

#endif
