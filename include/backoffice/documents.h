/**
 * @file backoffice/documents.h
 * @brief The documents domain (being written).
 */
#ifndef BACKOFFICE_DOCUMENTS_H
#define BACKOFFICE_DOCUMENTS_H

#include "book.h"
#include "cursor.h"

BO_BEGIN_DECLS

BO_END_DECLS

#endif
