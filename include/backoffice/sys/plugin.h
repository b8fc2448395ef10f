/**
 * @file backoffice/sys/plugin.h
 * @brief What a plugin (a shared object loaded with bo_plugin_load()) sees.
 *
 * A plugin carries a manifest, #BO_PLUGIN_MANIFEST (an ELF note the loader
 * reads before it maps the file: a library without it is refused before
 * any of its code, constructors included, can run), and exports one
 * function, named by #BO_PLUGIN_ENTRY, of type #bo_plugin_init_fn. The library calls it once, right after loading, with
 * a table of host functions; the plugin registers what it brings (drivers
 * and carriers today; validators, event handlers and payroll functions later) through
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
#define BO_PLUGIN_HOST_VERSION 2

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

/** Current version of #bo_carrier. */
#define BO_CARRIER_VERSION 1

/** Current version of #bo_carrier_event. */
#define BO_CARRIER_EVENT_VERSION 1

/** One tracking event as a carrier plugin reports it (the strings need
 *  only live until the emit function returns). */
typedef struct bo_carrier_event {
    unsigned int version;    /**< BO_CARRIER_EVENT_VERSION */
    const char *at;          /**< the carrier's time, UTC "YYYY-MM-DDTHH:MM:SSZ" */
    const char *code;        /**< the carrier's own status code */
    const char *status;      /**< the normalised status ("in_transit", ...) */
    const char *description; /**< the carrier's text, or NULL */
} bo_carrier_event;

/** What a carrier's fetch hands each event to: return 0 to go on, or the
 *  negative code to stop with (fetch returns it). */
typedef int (*bo_carrier_emit_fn)(void *ctx, const bo_carrier_event *ev);

/**
 * A carrier's tracking API (bo_carrier_register(), or a plugin through
 * #bo_plugin_host.carrier_register): the function table that fetches the
 * events of a tracking number. Members are only ever appended; @c version
 * says which exist. The table must live as long as the process.
 */
typedef struct bo_carrier {
    unsigned int version; /**< BO_CARRIER_VERSION */
    const char *name;     /**< the carrier as shipments name it ("DHL") */
    /** Fetch the events of @p tracking (all of them, or the recent ones: a
     *  duplicate is dropped when ingested) and call @p emit for each, in
     *  any order. Called outside any transaction of the book; may block on
     *  the network. Returns 0 or a negative bo_error_code. */
    int (*fetch)(const struct bo_carrier *carrier, const char *tracking,
                 bo_carrier_emit_fn emit, void *ctx);
    void *data;           /**< the plugin's own state, for fetch */
} bo_carrier;

/**
 * Register carrier @p carrier for bo_inventory_shipment_poll(). The
 * table is referenced, not copied.
 * @return 0, BO_EINVAL (NULL, no name or fetch, a version this library
 *         does not know), BO_EEXISTS (the name is taken), BO_ELIMIT.
 */
BO_EXTERN(int) bo_carrier_register(const bo_carrier *carrier);

/**
 * The carrier registered under @p name, or NULL.
 */
BO_EXTERN(const bo_carrier *) bo_carrier_find(const char *name);

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
    /** Register a carrier's tracking API (see bo_carrier_register());
     *  version 2. */
    int (*carrier_register)(const bo_carrier *carrier);
} bo_plugin_host;

/** The entry point's type: return 0, or a negative code to refuse loading. */
typedef int (*bo_plugin_init_fn)(const bo_plugin_host *host);

BO_END_DECLS

#endif
