/* ord-context.c: what a window works with: the store, the settings and sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-context"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ord-context.h"
#include "ord-sync-controller.h"

#define SCHEMA_ID "io.github.orderly.Orderly"

struct _OrdContext
{
  GObject    parent_instance;

  /* owned */
  OrdStore          *store;
  GSettings         *settings;
  OrdSyncController *sync;
  GError            *error;
  char              *path;
};

G_DEFINE_FINAL_TYPE (OrdContext, ord_context, G_TYPE_OBJECT)

static void
ord_context_dispose (GObject *object)
{
  OrdContext *self = ORD_CONTEXT (object);

  /* Sync stops with the window: a run under way is cancelled. */
  if (self->sync != NULL)
    ord_sync_controller_stop (self->sync);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (ord_context_parent_class)->dispose (object);
}

static void
ord_context_finalize (GObject *object)
{
  OrdContext *self = ORD_CONTEXT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->error);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (ord_context_parent_class)->finalize (object);
}

static void
ord_context_class_init (OrdContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ord_context_dispose;
  object_class->finalize = ord_context_finalize;
}

static void
ord_context_init (OrdContext *self)
{
}

/* Syncs the store with the server the settings name, from now on. */
static void
start_sync (OrdContext *self)
{
  g_assert (self->sync == NULL);

  self->sync = ord_sync_controller_new (self->store, self->settings);
  ord_sync_controller_start (self->sync);
}

OrdContext *
ord_context_new (OrdStore  *store,
                 GSettings *settings)
{
  OrdContext *self;

  g_return_val_if_fail (store == NULL || ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ORD_TYPE_CONTEXT, NULL);
  g_set_object (&self->store, store);
  g_set_object (&self->settings, settings);
  if (store != NULL)
    {
      self->path = g_strdup (ord_store_get_path (store));
      start_sync (self);
    }

  return self;
}

/* SQLite's own words for these cases ("unable to open database file") do
 * not tell a person what to change. */
static gboolean
check_path (const char  *path,
            GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == ENOENT)
        return TRUE;  /* a new database; the store creates it and its folder */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _("“%s” is a folder; choose a database file"), display);
      return FALSE;
    }

  if (g_access (path, R_OK | W_OK) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("You may not read and change “%s”: %s"), display,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

OrdContext *
ord_context_open (const char *path,
                  GSettings  *settings)
{
  g_autoptr(OrdContext) self = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = ord_context_new (NULL, settings);
  self->path = g_strdup (path);

  if (check_path (path, &error))
    self->store = ord_store_new (path, &error);
  if (self->store == NULL)
    self->error = g_steal_pointer (&error);
  else
    start_sync (self);

  return g_steal_pointer (&self);
}

/**
 * ord_context_get_store:
 * @self: an #OrdContext
 *
 * Returns: (transfer none) (nullable): the store, %NULL when it could not
 *   be opened
 */
OrdStore *
ord_context_get_store (OrdContext *self)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (self), NULL);

  return self->store;
}

const GError *
ord_context_get_error (OrdContext *self)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (self), NULL);

  return self->error;
}

const char *
ord_context_get_path (OrdContext *self)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (self), NULL);

  return self->path;
}

/**
 * ord_context_get_sync_controller:
 * @self: an #OrdContext
 *
 * The store's sync, started with the context: it follows the server-url
 * and terminal-number settings. For the header bar's sync indicator.
 *
 * Returns: (transfer none) (nullable): the controller, %NULL when there
 *   is no store
 */
OrdSyncController *
ord_context_get_sync_controller (OrdContext *self)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (self), NULL);

  return self->sync;
}

/**
 * ord_context_get_settings:
 * @self: an #OrdContext
 *
 * Returns: (transfer none) (nullable): the settings, if there are any
 */
GSettings *
ord_context_get_settings (OrdContext *self)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (self), NULL);

  return self->settings;
}

GSettings *
ord_settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed: window size and sort order are not remembered",
               SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

char *
ord_settings_get_database_path (GSettings *settings)
{
  g_autofree char *path = NULL;

  if (ord_settings_has_key (settings, "database-path"))
    path = g_settings_get_string (settings, "database-path");
  if (path == NULL || path[0] == '\0')
    return ord_default_database_path ();

  return g_steal_pointer (&path);
}

gboolean
ord_settings_has_key (GSettings  *settings,
                      const char *key)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;

  g_object_get (settings, "settings-schema", &schema, NULL);

  return schema != NULL && g_settings_schema_has_key (schema, key);
}
