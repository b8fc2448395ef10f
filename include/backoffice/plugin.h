/**
 * @file backoffice/plugin.h
 * @brief Load plugins: shared objects that add storage drivers (and, later,
 *        validators, event handlers and payroll rule functions).
 *
 * Loading runs the plugin's code in the host process with the host's
 * privileges: load only files you trust, from folders only trusted users
 * can write. See include/backoffice/sys/plugin.h for writing one.
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
 *         says why); BO_EINVAL (no entry point); the entry point's own
 *         negative code (the plugin refused, e.g. BO_EEXISTS for a scheme
 *         already taken).
 */
BO_EXTERN(int) bo_plugin_load(const char *path);

/**
 * Load every "*.so" file in folder @p dir, in name order, stopping at the
 * first failure. @p loaded (may be NULL) receives how many were loaded
 * (already-loaded ones count).
 * @return 0, BO_ENOTFOUND (no such folder), or the first failure's code
 *         (the message names the file).
 */
BO_EXTERN(int) bo_plugin_load_dir(const char *dir, int *loaded);

BO_END_DECLS

#endif
