/* ord-application.c: the Orderly application: command line, windows, about
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-application.h"
#include "ord-context.h"
#include "ord-preferences-window.h"
#include "ord-sync-controller.h"
#include "ord-timings.h"
#include "ord-ui.h"
#include "ord-window.h"

struct _OrdApplication
{
  AdwApplication  parent_instance;

  /* owned; NULL when the schema is not installed */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (OrdApplication, ord_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "database", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Open the orders in FILE instead of the usual database"), N_("FILE") },
  { "view", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Show VIEW first: orders, dashboard, products or customers"), N_("VIEW") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

/* One window per database: asking again for the same file shows it. */
static OrdWindow *
find_window (OrdApplication *self,
             const char     *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (ORD_IS_WINDOW (l->data) &&
          g_strcmp0 (ord_context_get_path (ord_window_get_context (l->data)), path) == 0)
        return l->data;
    }

  return NULL;
}

/* Opens (or shows) the window of the database at @path (NULL: the usual
 * one), on @view when given. */
static OrdWindow *
open_window (OrdApplication *self,
             const char     *path,
             const char     *view)
{
  g_autoptr(OrdContext) context = NULL;
  g_autofree char *default_path = NULL;
  OrdWindow *window;

  if (path == NULL)
    path = default_path = ord_settings_get_database_path (self->settings);

  window = find_window (self, path);
  if (window == NULL)
    {
      ord_timings_mark ("open-database");
      context = ord_context_open (path, self->settings);
      ord_timings_mark ("database-open");
      if (ord_context_get_error (context) != NULL)
        g_printerr ("%s\n", ord_context_get_error (context)->message);
      window = ord_window_new (GTK_APPLICATION (self), context);
      ord_timings_mark ("window-built");
    }

  /* Before the window is shown, so that it opens there. */
  if (view != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", view);
  gtk_window_present (GTK_WINDOW (window));
  ord_timings_watch_window (GTK_WINDOW (window));

  return window;
}

static int
ord_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return -1;  /* go on: the primary instance opens the window */
}

static int
ord_application_command_line (GApplication            *application,
                              GApplicationCommandLine *command_line)
{
  static const char *const views[] = { "orders", "dashboard", "products", "customers", NULL };
  OrdApplication *self = ORD_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *path = NULL;
  const char *arg = NULL;
  const char *view = NULL;

  if (g_variant_dict_lookup (options, "view", "&s", &view) && !g_strv_contains (views, view))
    {
      g_application_command_line_printerr (command_line,
                                           _("--view: “%s” is not a view; use orders, "
                                             "dashboard, products or customers\n"),
                                           view);
      return EXIT_FAILURE;
    }

  if (g_variant_dict_lookup (options, "database", "^&ay", &arg) && arg[0] != '\0')
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, arg);

      path = g_file_get_path (file);
      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          g_application_command_line_printerr (command_line,
                                               _("“%s” is not on this computer: Orderly opens "
                                                 "databases only from local folders\n"),
                                               uri);
          return EXIT_FAILURE;
        }
    }

  open_window (self, path, view);

  return EXIT_SUCCESS;
}

static void
ord_application_activate (GApplication *application)
{
  open_window (ORD_APPLICATION (application), NULL, NULL);
}

static void
action_about (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "The Orderly developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Orderly"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Orderly developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Take, track and understand the orders of a small shop, "
                                      "on your own computer."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
action_preferences (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  OrdApplication *self = user_data;
  OrdPreferencesWindow *window;

  /* The action is disabled without the schema; this is a second guard. */
  if (!ord_preferences_window_can_edit (self->settings))
    return;

  window = ord_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (window));
}

static void
action_quit (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GtkApplication *application = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (application));

  /* Closing saves each window's state and cancels its work; a job still
   * finishing its batch holds the application until it is done. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static const GActionEntry app_entries[] = {
  { .name = "about", .activate = action_about },
  { .name = "preferences", .activate = action_preferences },
  { .name = "quit", .activate = action_quit },
};

static void
ord_application_startup (GApplication *application)
{
  OrdApplication *self = ORD_APPLICATION (application);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.new-order", { "<Control>n", NULL } },
    { "win.import", { "<Control>o", NULL } },
    { "win.export", { "<Control>e", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  ord_timings_mark ("startup");
  G_APPLICATION_CLASS (ord_application_parent_class)->startup (application);
  ord_timings_mark ("gtk-started");

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = ord_settings_new_if_installed ();

  /* Without the schema (or with a stale one) there is nothing to edit. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "preferences")),
                               ord_preferences_window_can_edit (self->settings));
}

/* The windows are closed and their sync stopped: a sync run still ending
 * (cancelled, it ends within moments) finishes its transaction first. */
static void
ord_application_shutdown (GApplication *application)
{
  ord_sync_controller_drain (5000);

  G_APPLICATION_CLASS (ord_application_parent_class)->shutdown (application);
}

static void
ord_application_dispose (GObject *object)
{
  OrdApplication *self = ORD_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ord_application_parent_class)->dispose (object);
}

static void
ord_application_class_init (OrdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ord_application_dispose;

  application_class->handle_local_options = ord_application_handle_local_options;
  application_class->command_line = ord_application_command_line;
  application_class->activate = ord_application_activate;
  application_class->startup = ord_application_startup;
  application_class->shutdown = ord_application_shutdown;
}

static void
ord_application_init (OrdApplication *self)
{
  ord_ui_ensure_resources ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Take, track and understand the orders of a small "
                                              "shop."));
}

OrdApplication *
ord_application_new (void)
{
  /* The resources sit under one path whatever the application ID
   * (development builds end in .Devel). */
  return g_object_new (ORD_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", ORD_UI_RESOURCE_PATH,
                       NULL);
}
