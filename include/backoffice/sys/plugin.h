/**
 * @file backoffice/sys/plugin.h
 * @brief What a plugin (a shared object loaded with bo_plugin_load()) sees.
 *
 * A plugin carries a manifest, #BO_PLUGIN_MANIFEST (an ELF note the loader
 * reads before it maps the file: a library without it is refused before
 * any of its code, constructors included, can run), and exports one
 * function, named by #BO_PLUGIN_ENTRY, of type #bo_plugin_init_fn. The library calls it once, right after loading, with
 * a table of host functions; the plugin registers what it brings (drivers
 * today; validators, event handlers and payroll functions later) through
 * that table, and returns 0 or a negative bo_error_code. The table lives
 * as long as the process: the plugin may keep the pointer. A plugin should
 * use only the host table, not link against libbackoffice, so one plugin
 * binary works with every library of a compatible version.
 *
 * Stable through a minor version: members of #bo_plugin_host are only
 * appended, and #bo_plugin_host.version says which exist.
 */
#ifndef BACKOFFICE_SYS_PLUGIN_H
#define BACKOFFICE_SYS_PLUGIN_H

#include "driver.h"

BO_BEGIN_DECLS

/** Current version of #bo_plugin_host. */
#define BO_PLUGIN_HOST_VERSION 1

/** The name of the function every plugin exports. */
#define BO_PLUGIN_ENTRY "bo_plugin_init"

/** The owner name of the manifest note (with its NUL: 14 bytes). */
#define BO_PLUGIN_NOTE_NAME "libbackoffice"
/** The type of the manifest note. */
#define BO_PLUGIN_NOTE_TYPE 0x626f0001u

/**
 * The plugin's manifest: write `BO_PLUGIN_MANIFEST;` once, at file scope, in
 * one source file of the plugin. It places an ELF note (owner
 * #BO_PLUGIN_NOTE_NAME, type #BO_PLUGIN_NOTE_TYPE, a 4-byte description
 * holding the #BO_PLUGIN_HOST_VERSION the plugin was built against) in a
 * section of its own, which the linker puts in a PT_NOTE segment.
 * bo_plugin_load() refuses a file without it before loading the file.
 * GCC and Clang.
 */
#define BO_PLUGIN_MANIFEST                                                  \
    __attribute__((section(".note.libbackoffice"), aligned(4), used))      \
    const struct {                                                          \
        unsigned int namesz, descsz, type;                                  \
        char name[16];                                                      \
        unsigned int version;                                               \
    } bo_plugin_manifest = {                                                \
        sizeof BO_PLUGIN_NOTE_NAME, 4, BO_PLUGIN_NOTE_TYPE,                 \
        BO_PLUGIN_NOTE_NAME, BO_PLUGIN_HOST_VERSION                         \
    }

/** The host functions handed to a plugin. */
typedef struct bo_plugin_host {
    unsigned int version;       /**< BO_PLUGIN_HOST_VERSION of the library */
    const char *library_version;/**< "major.minor.patch" of the library */
    /** Register a storage driver (see bo_driver_register()). */
    int (*driver_register)(const bo_driver *driver);
    /** The driver registered for a scheme, or NULL (to wrap another one). */
    const bo_driver *(*driver_find)(const char *scheme);
    /** Allocate through the library's allocator (NULL on failure). */
    void *(*alloc)(size_t size);
    /** Release memory from @c alloc. Accepts NULL. */
    void (*release)(void *ptr);
} bo_plugin_host;

/** The entry point's type: return 0, or a negative code to refuse loading. */
typedef int (*bo_plugin_init_fn)(const bo_plugin_host *host);

BO_END_DECLS

#endif
