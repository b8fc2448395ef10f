/**
 * @file backoffice/plugin.h
 * @brief Load plugins: shared objects that add storage drivers (and, later,
 *        validators, event handlers and payroll rule functions).
 *
 * A plugin is trusted code: loading runs it in the host process with the
 * host's privileges. Before a file is mapped the loader checks that it and
 * its folder belong to root or the user running the process and are
 * writable by their owner only, that the file is not a symbolic link, and
 * that it carries the plugin manifest (an ELF note, see
 * include/backoffice/sys/plugin.h): a library that is not a plugin is
 * refused before any of its code (constructors included) runs. The file
 * checked, through its descriptor, is the file loaded.
 */
#ifndef BACKOFFICE_PLUGIN_H
#define BACKOFFICE_PLUGIN_H

#include "common.h"

BO_BEGIN_DECLS

/**
 * Load the plugin at @p path (a shared object exporting "bo_plugin_init")
 * and run its entry point. Loading the same file again does nothing and
 * returns 0. Plugins stay loaded until the process ends (drivers they
 * register must outlive every book).
 * @return 0; BO_ENOTFOUND (no such file or it cannot be loaded: the message
 *         says why); BO_EDENIED (the file or its folder is owned by another
 *         user or writable by its group or others, or the file is a
 *         symbolic link); BO_EINVAL (not a shared object, no manifest, or
 *         no entry point); the entry point's own negative code (the plugin
 *         refused, e.g. BO_EEXISTS for a scheme already taken).
 */
BO_EXTERN(int) bo_plugin_load(const char *path);

/**
 * Load every "*.so" file in folder @p dir, in name order, stopping at the
 * first failure. Hidden files (names starting with a dot) are skipped. The
 * folder is checked as for bo_plugin_load(). @p loaded (may be NULL)
 * receives how many were loaded (already-loaded ones count).
 * @return 0, BO_ENOTFOUND (no such folder), BO_EDENIED (the folder is
 *         not safe), or the first failure's code (the message names the
 *         file).
 */
BO_EXTERN(int) bo_plugin_load_dir(const char *dir, int *loaded);

BO_END_DECLS

#endif
