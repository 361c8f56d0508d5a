/* ord-context.h: what a window works with: the store, the settings and sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-core.h"
#include "ord-sync-controller.h"

G_BEGIN_DECLS

#define ORD_TYPE_CONTEXT (ord_context_get_type ())
G_DECLARE_FINAL_TYPE (OrdContext, ord_context, ORD, CONTEXT, GObject)

/* Tests build a context from their own store and settings (both may be
 * NULL: no settings means nothing is remembered). With a store, the context
 * syncs it with the server the settings name (none by default). */
OrdContext   *ord_context_new                 (OrdStore    *store,
                                               GSettings   *settings);
/* Opens the database at @path; when that fails the context has no store
 * and says why in ord_context_get_error(). */
OrdContext   *ord_context_open                (const char  *path,
                                               GSettings   *settings);
OrdStore     *ord_context_get_store           (OrdContext  *self);
const GError *ord_context_get_error           (OrdContext  *self);
const char   *ord_context_get_path            (OrdContext  *self);
GSettings    *ord_context_get_settings        (OrdContext  *self);
OrdSyncController *ord_context_get_sync_controller (OrdContext *self);

/* The application's settings, or NULL when the schema is not installed
 * (an uninstalled build run without GSETTINGS_SCHEMA_DIR). */
GSettings    *ord_settings_new_if_installed   (void);
/* The database-path setting, or the default file when it is empty. */
char         *ord_settings_get_database_path  (GSettings   *settings);
/* Whether @settings (nullable) has @key: a stale compiled schema may lack
 * a newer key, and reading a missing key aborts. */
gboolean      ord_settings_has_key            (GSettings   *settings,
                                               const char  *key);

G_END_DECLS
