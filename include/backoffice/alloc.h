/**
 * @file backoffice/alloc.h
 * @brief The allocator hook: every allocation of the library, SQLite's
 *        included, goes through it.
 */
#ifndef BACKOFFICE_ALLOC_H
#define BACKOFFICE_ALLOC_H

#include "common.h"

BO_BEGIN_DECLS

/** Current version of #bo_allocator. */
#define BO_ALLOCATOR_VERSION 1

/**
 * A replacement allocator, in the shape of lua_Alloc split in three.
 * Every function receives @c ud. @c realloc must behave like C realloc for a
 * non-NULL pointer and non-zero size; the library never asks for size 0.
 */
typedef struct bo_allocator {
    unsigned int version;                          /**< BO_ALLOCATOR_VERSION */
    void *(*malloc_fn)(void *ud, size_t size);     /**< allocate */
    void *(*realloc_fn)(void *ud, void *ptr, size_t size); /**< resize */
    void (*free_fn)(void *ud, void *ptr);          /**< release; NULL is a no-op */
    void *ud;                                      /**< passed to every function */
} bo_allocator;

/**
 * Install @p allocator for the library and for SQLite, or restore the C
 * allocator when @p allocator is NULL. The struct is copied.
 *
 * Call it before any book is opened in the process (and before the process
 * uses SQLite in any other way): SQLite's allocator can only be replaced while
 * SQLite is not initialised.
 *
 * @return 0, BO_EINVAL for a bad version or a missing function, or BO_ESTATE
 *         when a book is open.
 */
BO_EXTERN(int) bo_set_allocator(const bo_allocator *allocator);

BO_END_DECLS

#endif
