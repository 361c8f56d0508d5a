/* ord-cli-sync.c: orderlyctl sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderlyctl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>

#include "ord-cli-sync.h"
#include "ord-core.h"
#include "ord-sync-client.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static void
notify_cb (OrdSyncClient *client,
           GParamSpec    *pspec,
           gpointer       user_data)
{
  OrdSyncState state = ord_sync_client_get_state (client);
  const char *error = ord_sync_client_get_last_error (client);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%H:%M:%S");

  if (state == ORD_SYNC_STATE_ERROR || state == ORD_SYNC_STATE_OFFLINE)
    g_print ("%s %s: %s\n", when, ord_sync_state_to_string (state), error ? error : "");
  else
    g_print ("%s %s, %" G_GINT64_FORMAT " waiting\n", when, ord_sync_state_to_string (state),
             ord_sync_client_get_pending_count (client));
  fflush (stdout);
}

int
ord_cli_cmd_sync (int    argc,
                  char **argv)
{
  g_autofree char *server = NULL;
  g_autofree char *database = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *subject = NULL;
  gboolean watch = FALSE;
  GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("The orderly-server to sync with, e.g. http://127.0.0.1:8080"), N_("URL") },
    { "watch", 'w', 0, G_OPTION_ARG_NONE, &watch,
      N_("Keep syncing as changes happen, until interrupted"), NULL },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The database file (default: $XDG_DATA_HOME/orderly/orderly.db)"), N_("PATH") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text,
      N_("With a server run with --no-auth: “owner” or “customer”"), N_("ROLE") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject,
      N_("With a server run with --no-auth: the account"), N_("SUB") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdSyncClient) client = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) args = NULL;
  int n_args;
  OrdRole role = ORD_ROLE_OWNER;

  g_option_context_set_summary (context, _("Push this device’s changes to the server and "
                                           "pull everyone else’s"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* Parse "program sync …" as "program-sync …". */
  args = g_new0 (char *, MAX (argc, 1) + 1);
  args[0] = g_strdup_printf ("%s sync", argc > 0 ? argv[0] : "orderlyctl");
  for (int i = 2; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("orderlyctl sync: %s\n", error->message);
      return 2;
    }
  n_args = g_strv_length (args);
  if (n_args > 1)
    {
      g_printerr ("orderlyctl sync: %s “%s”\n", _("unexpected argument"), args[1]);
      return 2;
    }
  if (server == NULL)
    {
      g_printerr ("orderlyctl sync: %s\n", _("--server URL is required"));
      return 2;
    }
  uri = g_uri_parse (server, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL)
    {
      g_printerr ("orderlyctl sync: %s\n",
                  _("--server must be an http:// or https:// address, e.g. http://127.0.0.1:8080"));
      return 2;
    }
  if (role_text != NULL && !ord_role_from_string (role_text, &role))
    {
      g_printerr ("orderlyctl sync: --role “%s”: %s\n", role_text, _("use owner or customer"));
      return 2;
    }

  path = database ? g_strdup (database) : ord_default_database_path ();
  if (!(store = ord_store_new (path, &error)))
    {
      g_printerr ("orderlyctl sync: %s\n", error->message);
      return 1;
    }

  client = ord_sync_client_new (store, server);
  if (role_text != NULL || subject != NULL)
    ord_sync_client_set_identity (client, role, subject);

  if (!watch)
    {
      OrdSyncStats stats;

      if (!ord_sync_client_sync_once (client, NULL, &stats, &error))
        {
          g_printerr ("orderlyctl sync: %s\n", error->message);
          g_printerr ("orderlyctl sync: %s\n",
                      _("nothing was lost: the changes stay on this device and go up next time"));
          return 1;
        }
      g_print (_("Pushed %u changes (%u held, %u rejected), pulled %u; cursor %" G_GINT64_FORMAT
                 "\n"), stats.pushed, stats.held, stats.rejected, stats.pulled, stats.cursor);
      if (stats.held > 0 || stats.rejected > 0)
        g_print ("%s\n", _("Held and rejected changes are in the orders’ timelines, with the "
                           "reason"));
      return 0;
    }

  {
    g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    guint sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
    guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);

    g_signal_connect (client, "notify::state", G_CALLBACK (notify_cb), NULL);
    g_signal_connect (client, "notify::pending-count", G_CALLBACK (notify_cb), NULL);
    ord_sync_client_start (client);
    g_main_loop_run (loop);
    ord_sync_client_stop (client);
    g_source_remove (sigint);
    g_source_remove (sigterm);
  }

  return 0;
}
