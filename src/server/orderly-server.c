/* orderly-server.c: the sync backend
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderly-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ord-server.h"
#include "ord-store.h"
#include "ord-store-sync.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

/* ADDR:PORT, [V6ADDR]:PORT or a bare port (on 127.0.0.1). */
static GInetSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *colon = strrchr (text, ':');
  const char *port_text = colon ? colon + 1 : text;
  guint64 port = 0;

  if (colon == NULL)
    host = g_strdup ("127.0.0.1");
  else if (text[0] == '[' && colon > text && colon[-1] == ']')
    host = g_strndup (text + 1, colon - text - 2);
  else
    host = g_strndup (text, colon - text);

  if (!g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen “%s”: “%s” is not a port number (0 to 65535)"), text, port_text);
      return NULL;
    }
  if (!(address = g_inet_address_new_from_string (host)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--listen “%s”: “%s” is not an IP address"), text, host);
      return NULL;
    }

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *database = NULL;
  gboolean no_auth = FALSE;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (port 0 picks one)"), "ADDR:PORT" },
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database,
      N_("The server’s SQLite database"), "PATH" },
    { "no-auth", 0, 0, G_OPTION_ARG_NONE, &no_auth,
      N_("Trust X-Orderly-Role and X-Orderly-Subject headers (loopback only, for tests)"),
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;
  guint sigterm, sigint;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _("The Orderly sync server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("orderly-server: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("orderly-server: %s “%s”\n", _("unexpected argument"), argv[1]);
      return 2;
    }
  if (database == NULL)
    {
      g_printerr ("orderly-server: %s\n", _("--database PATH is required"));
      return 2;
    }

  if (!(address = parse_listen (listen ? listen : "127.0.0.1:8080", &error)))
    {
      g_printerr ("orderly-server: %s\n", error->message);
      return 2;
    }

  if (!no_auth)
    {
      /* Token verification (OIDC/JWT) plugs in through OrdServerAuthFunc;
       * until it does, the server refuses to run unauthenticated by accident. */
      g_printerr ("orderly-server: %s\n",
                  _("no token verifier is configured; use --no-auth on a loopback address"));
      return 2;
    }
  if (!g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address)))
    {
      g_printerr ("orderly-server: %s\n",
                  _("--no-auth is only allowed on a loopback address (127.0.0.1 or ::1)"));
      return 2;
    }

  store = ord_store_new_full (database, ORD_STORE_FLAGS_SYNC_FULL | ORD_STORE_FLAGS_NO_OUTBOX,
                              &error);
  /* 64 MiB of page cache: pushes and pulls touch the whole database. */
  if (store != NULL && !ord_store_set_cache (store, 65536, &error))
    g_clear_object (&store);
  if (store == NULL)
    {
      g_printerr ("orderly-server: %s\n", error->message);
      return 1;
    }

  server = ord_server_new (store, ord_server_auth_trust_headers, NULL, NULL);
  if (!(uri = ord_server_listen (server, address, &error)))
    {
      g_printerr ("orderly-server: %s\n", error->message);
      return 1;
    }

  g_print ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigterm);
  g_source_remove (sigint);

  /* Graceful: stop listening, answer waiting clients, let the open
   * connections wind down, close the database. */
  ord_server_shutdown (server);
  g_clear_object (&server);
  {
    gint64 until = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;

    while (g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
  }
  g_clear_object (&store);

  return 0;
}
