/**
 * @file backoffice/common.h
 * @brief Export macros, version numbers and memory release shared by every
 *        public header of libbackoffice.
 */
#ifndef BACKOFFICE_COMMON_H
#define BACKOFFICE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32) && defined(BO_BUILDING_LIBRARY)
#define BO_EXTERN(type) __declspec(dllexport) type
#elif defined(__GNUC__)
#define BO_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define BO_EXTERN(type) type
#endif

#ifdef __cplusplus
#define BO_BEGIN_DECLS extern "C" {
#define BO_END_DECLS }
#else
#define BO_BEGIN_DECLS
#define BO_END_DECLS
#endif

/** Major version: incompatible API/ABI changes. Names the SONAME (before
 *  1.0 with the minor: libbackoffice.so.0.3). */
#define BO_VERSION_MAJOR 0
/** Minor version: compatible additions (before 1.0 also an ABI break). */
#define BO_VERSION_MINOR 3
/** Patch version: fixes only. */
#define BO_VERSION_PATCH 0
/** The version as one integer: major*10000 + minor*100 + patch. */
#define BO_VERSION_NUMBER \
    (BO_VERSION_MAJOR * 10000 + BO_VERSION_MINOR * 100 + BO_VERSION_PATCH)

/** The value of an integer member of a changes struct (#bo_party_changes,
 *  #bo_inventory_item_changes, #bo_inventory_location_changes) that leaves
 *  its field as it is. Text members leave theirs with NULL. */
#define BO_UNCHANGED (-1)

BO_BEGIN_DECLS

/**
 * The version of the library actually linked, as "major.minor.patch".
 * The string is static; never free it.
 */
BO_EXTERN(const char *) bo_version(void);

/**
 * The version of the library actually linked as one integer
 * (see #BO_VERSION_NUMBER). Compare it with BO_VERSION_NUMBER to detect a
 * header/library mismatch.
 */
BO_EXTERN(int) bo_version_number(void);

/**
 * Release memory that a libbackoffice function handed to the caller
 * (documented as "free with bo_free"). Accepts NULL.
 */
BO_EXTERN(void) bo_free(void *ptr);

BO_END_DECLS

#endif
