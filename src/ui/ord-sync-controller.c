/* ord-sync-controller.c: keeps a store in sync with the server the settings name
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-sync-controller"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-context.h"
#include "ord-store-sync.h"
#include "ord-sync-controller.h"

G_DEFINE_QUARK (ord-sync-controller-error-quark, ord_sync_controller_error)

struct _OrdSyncController
{
  GObject        parent_instance;

  /* borrowed */
  GThread       *thread;         /* the main thread, that made it */

  /* owned */
  OrdStore      *store;
  GSettings     *settings;       /* nullable */
  OrdSyncClient *client;         /* nullable: no valid address, or stopped */
  char          *server_url;     /* as set; NULL or "" = none */
  char          *token;
  char          *url_error;      /* why server_url is not used */
  char          *last_error;

  OrdSyncState   state;
  gint64         pending_count;
  gint64         last_success;
  gboolean       started;
  gboolean       configured;
  gint           refresh_queued;  /* atomic */

  gulong         url_changed_id;
  gulong         terminal_changed_id;
  gulong         store_changed_id;
};

G_DEFINE_FINAL_TYPE (OrdSyncController, ord_sync_controller, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_CONFIGURED,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Clients that were stopped but whose last run may still be ending (it
 * holds a reference until it has been cancelled). Atomic. */
static gint n_draining;

/* Without a client, the changes waiting are counted again this long after
 * the store changed: an import changes it many times a second. */
#define STORE_REFRESH_MS 250

/* ------------------------------------------------------------------ */
/* The address                                                         */

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps the brackets of an IPv6 literal out of the host. */
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * ord_sync_check_server_url:
 * @url: (nullable): a server address as a person typed it
 * @error: a #GError, with a message that says what to type instead
 *
 * Returns: %TRUE when Orderly may sync with @url (or @url is empty: no sync)
 */
gboolean
ord_sync_check_server_url (const char  *url,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || url[0] == '\0')
    return TRUE;

  /* A path is kept (a server behind a proxy's folder); a query, a
   * fragment or a password in the address would be lost or leaked. */
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, ORD_SYNC_CONTROLLER_ERROR, ORD_SYNC_CONTROLLER_ERROR_INVALID_URL,
                   _("“%s” is not a server address: type one such as "
                     "https://orders.example.com"), url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !is_loopback_host (host))
    {
      g_set_error (error, ORD_SYNC_CONTROLLER_ERROR, ORD_SYNC_CONTROLLER_ERROR_INSECURE_URL,
                   _("“%s” would send the orders unencrypted: use https:// (http:// is "
                     "only for a server on this computer)"), url);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Status, always set on the main thread                               */

static void
set_state (OrdSyncController *self,
           OrdSyncState       state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending_count (OrdSyncController *self,
                   gint64             n)
{
  if (self->pending_count == n)
    return;
  self->pending_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

static void
set_last_success (OrdSyncController *self,
                  gint64             when)
{
  if (self->last_success == when)
    return;
  self->last_success = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

static void
set_last_error (OrdSyncController *self,
                const char        *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_configured (OrdSyncController *self,
                gboolean           configured)
{
  configured = !!configured;
  if (self->configured == configured)
    return;
  self->configured = configured;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIGURED]);
}

/* Copies the client's status; without a client, what the store knows. */
static void
refresh (OrdSyncController *self)
{
  g_object_freeze_notify (G_OBJECT (self));

  if (self->client != NULL)
    {
      set_pending_count (self, ord_sync_client_get_pending_count (self->client));
      set_last_success (self, ord_sync_client_get_last_success (self->client));
      set_last_error (self, ord_sync_client_get_last_error (self->client));
      set_state (self, ord_sync_client_get_state (self->client));
    }
  else
    {
      set_pending_count (self, ord_store_count_outbox (self->store));
      set_last_error (self, self->url_error);
      set_state (self, self->url_error ? ORD_SYNC_STATE_ERROR : ORD_SYNC_STATE_SYNCED);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
refresh_later_cb (gpointer data)
{
  GWeakRef *weak = data;
  g_autoptr(OrdSyncController) self = g_weak_ref_get (weak);

  if (self != NULL)
    {
      g_atomic_int_set (&self->refresh_queued, FALSE);
      refresh (self);
    }

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* The store and the client may speak from a worker thread (an import, a
 * sync run): the widgets that show the status hear of it on the main
 * thread, and never after the controller is gone. */
static void
queue_refresh (OrdSyncController *self,
               guint              delay_ms)
{
  GWeakRef *weak;

  if (!g_atomic_int_compare_and_exchange (&self->refresh_queued, FALSE, TRUE))
    return;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, refresh_later_cb, weak, weak_ref_free);
}

static void
client_notify_cb (OrdSyncClient     *client,
                  GParamSpec        *pspec,
                  OrdSyncController *self)
{
  if (g_thread_self () == self->thread)
    refresh (self);
  else
    queue_refresh (self, 0);
}

static void
store_changed_cb (OrdStore          *store,
                  const char        *entity,
                  const char        *id,
                  OrdSyncController *self)
{
  /* With a client, its own count follows the store. */
  if (self->client == NULL)
    queue_refresh (self, STORE_REFRESH_MS);
}

/* ------------------------------------------------------------------ */
/* The client                                                          */

static void
client_finalized_cb (gpointer  data,
                     GObject  *where_the_object_was)
{
  g_assert (g_atomic_int_get (&n_draining) > 0);
  g_atomic_int_add (&n_draining, -1);
}

static void
drop_client (OrdSyncController *self)
{
  OrdSyncClient *client = g_steal_pointer (&self->client);

  if (client == NULL)
    return;

  /* Nothing of the old client reaches this controller any more; a run it
   * has going is cancelled and ends on its own. */
  g_signal_handlers_disconnect_by_data (client, self);
  ord_sync_client_stop (client);
  g_atomic_int_inc (&n_draining);
  g_object_weak_ref (G_OBJECT (client), client_finalized_cb, NULL);
  g_object_unref (client);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
make_client (OrdSyncController *self)
{
  g_autoptr(GError) error = NULL;
  static const char *const followed[] = {
    "notify::state", "notify::pending-count", "notify::last-success", "notify::last-error",
  };

  g_assert (self->client == NULL);

  g_clear_pointer (&self->url_error, g_free);
  if (self->server_url == NULL || self->server_url[0] == '\0')
    {
      set_configured (self, FALSE);
      return;
    }
  if (!ord_sync_check_server_url (self->server_url, &error))
    {
      self->url_error = g_strdup (error->message);
      set_configured (self, FALSE);
      return;
    }

  self->client = ord_sync_client_new (self->store, self->server_url);
  /* Sign-in goes here: until it exists the app is the shop's owner on a
   * server run with --no-auth, which trusts this computer. */
  if (self->token != NULL)
    ord_sync_client_set_access_token (self->client, self->token);
  for (guint i = 0; i < G_N_ELEMENTS (followed); i++)
    g_signal_connect (self->client, followed[i], G_CALLBACK (client_notify_cb), self);

  set_configured (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
  ord_sync_client_start (self->client);
}

/* Drops the client and makes the one the address asks for now. */
static void
restart (OrdSyncController *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  drop_client (self);
  if (self->started)
    make_client (self);
  refresh (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* ------------------------------------------------------------------ */
/* Settings                                                            */

static void
apply_terminal (OrdSyncController *self)
{
  g_autoptr(GError) error = NULL;
  guint terminal = g_settings_get_uint (self->settings, "terminal-number");

  if (terminal == ord_store_get_terminal (self->store))
    return;
  if (!ord_store_set_terminal (self->store, terminal, &error))
    g_warning ("Could not set the terminal number: %s", error->message);
}

static void
url_changed_cb (GSettings         *settings,
                const char        *key,
                OrdSyncController *self)
{
  g_autofree char *url = g_settings_get_string (settings, "server-url");

  ord_sync_controller_set_server_url (self, url);
}

static void
terminal_changed_cb (GSettings         *settings,
                     const char        *key,
                     OrdSyncController *self)
{
  apply_terminal (self);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
ord_sync_controller_dispose (GObject *object)
{
  OrdSyncController *self = ORD_SYNC_CONTROLLER (object);

  ord_sync_controller_stop (self);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ord_sync_controller_parent_class)->dispose (object);
}

static void
ord_sync_controller_finalize (GObject *object)
{
  OrdSyncController *self = ORD_SYNC_CONTROLLER (object);

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->url_error, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (ord_sync_controller_parent_class)->finalize (object);
}

static void
ord_sync_controller_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OrdSyncController *self = ORD_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_SERVER_URL: g_value_set_string (value, self->server_url); break;
    case PROP_CONFIGURED: g_value_set_boolean (value, self->configured); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PENDING_COUNT: g_value_set_int64 (value, self->pending_count); break;
    case PROP_LAST_SUCCESS: g_value_set_int64 (value, self->last_success); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    case PROP_CLIENT: g_value_set_object (value, self->client); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_controller_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  OrdSyncController *self = ORD_SYNC_CONTROLLER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      ord_sync_controller_set_server_url (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_controller_constructed (GObject *object)
{
  OrdSyncController *self = ORD_SYNC_CONTROLLER (object);
  g_autofree char *last = NULL;

  G_OBJECT_CLASS (ord_sync_controller_parent_class)->constructed (object);

  g_assert (ORD_IS_STORE (self->store));
  self->store_changed_id = g_signal_connect (self->store, "changed",
                                             G_CALLBACK (store_changed_cb), self);
  self->pending_count = ord_store_count_outbox (self->store);
  last = ord_store_sync_get_state (self->store, "last_success");
  if (last != NULL)
    g_ascii_string_to_signed (last, 10, 0, G_MAXINT64, &self->last_success, NULL);
}

static void
ord_sync_controller_class_init (OrdSyncControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ord_sync_controller_constructed;
  object_class->dispose = ord_sync_controller_dispose;
  object_class->finalize = ord_sync_controller_finalize;
  object_class->get_property = ord_sync_controller_get_property;
  object_class->set_property = ord_sync_controller_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ORD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIGURED] =
    g_param_spec_boolean ("configured", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, ORD_TYPE_SYNC_STATE, ORD_SYNC_STATE_SYNCED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_int64 ("pending-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, ORD_TYPE_SYNC_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_sync_controller_init (OrdSyncController *self)
{
  self->state = ORD_SYNC_STATE_SYNCED;
  self->thread = g_thread_self ();
}

/* ------------------------------------------------------------------ */
/* Public                                                              */

/**
 * ord_sync_controller_new:
 * @store: the store to keep in sync
 * @settings: (nullable): the application's settings: the server address
 *   and the terminal number are read from them and followed
 *
 * Returns: (transfer full): a controller, idle until started
 */
OrdSyncController *
ord_sync_controller_new (OrdStore  *store,
                         GSettings *settings)
{
  OrdSyncController *self;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ORD_TYPE_SYNC_CONTROLLER, "store", store, NULL);
  /* A stale compiled schema may lack the keys: then no settings. */
  if (ord_settings_has_key (settings, "server-url") &&
      ord_settings_has_key (settings, "terminal-number"))
    self->settings = g_object_ref (settings);

  return self;
}

/**
 * ord_sync_controller_start:
 * @self: an #OrdSyncController
 *
 * Applies the settings (the terminal number to the store, the address) and
 * follows their changes; syncs while an address is set.
 */
void
ord_sync_controller_start (OrdSyncController *self)
{
  g_return_if_fail (ORD_IS_SYNC_CONTROLLER (self));

  if (self->started)
    return;
  self->started = TRUE;

  if (self->settings != NULL)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "server-url");

      apply_terminal (self);
      self->url_changed_id = g_signal_connect (self->settings, "changed::server-url",
                                               G_CALLBACK (url_changed_cb), self);
      self->terminal_changed_id = g_signal_connect (self->settings, "changed::terminal-number",
                                                    G_CALLBACK (terminal_changed_cb), self);
      if (g_strcmp0 (url, self->server_url) != 0)
        {
          g_free (self->server_url);
          self->server_url = g_steal_pointer (&url);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
        }
    }

  restart (self);
}

/**
 * ord_sync_controller_stop:
 * @self: an #OrdSyncController
 *
 * Stops syncing (a run under way is cancelled; what it committed stays)
 * and stops following the settings.
 */
void
ord_sync_controller_stop (OrdSyncController *self)
{
  g_return_if_fail (ORD_IS_SYNC_CONTROLLER (self));

  if (!self->started)
    return;
  self->started = FALSE;

  if (self->settings != NULL)
    {
      g_clear_signal_handler (&self->url_changed_id, self->settings);
      g_clear_signal_handler (&self->terminal_changed_id, self->settings);
    }
  drop_client (self);
}

gboolean
ord_sync_controller_is_started (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), FALSE);

  return self->started;
}

/**
 * ord_sync_controller_get_store:
 * @self: an #OrdSyncController
 *
 * Returns: (transfer none): the store
 */
OrdStore *
ord_sync_controller_get_store (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), NULL);

  return self->store;
}

/**
 * ord_sync_controller_get_server_url:
 * @self: an #OrdSyncController
 *
 * Returns: (nullable): the address as set, valid or not
 */
const char *
ord_sync_controller_get_server_url (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), NULL);

  return self->server_url;
}

/**
 * ord_sync_controller_set_server_url:
 * @self: an #OrdSyncController
 * @url: (nullable): the server's address; %NULL or "" = no sync
 *
 * A new address stops the client of the old one and, when started, starts
 * one for the new. Controllers with settings are told by them.
 */
void
ord_sync_controller_set_server_url (OrdSyncController *self,
                                    const char        *url)
{
  g_return_if_fail (ORD_IS_SYNC_CONTROLLER (self));

  if (g_strcmp0 (url, self->server_url) == 0)
    return;

  g_free (self->server_url);
  self->server_url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);

  if (self->started)
    restart (self);
}

gboolean
ord_sync_controller_get_configured (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), FALSE);

  return self->configured;
}

OrdSyncState
ord_sync_controller_get_state (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), ORD_SYNC_STATE_ERROR);

  return self->state;
}

gint64
ord_sync_controller_get_pending_count (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), 0);

  return self->pending_count;
}

gint64
ord_sync_controller_get_last_success (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), 0);

  return self->last_success;
}

/**
 * ord_sync_controller_get_last_error:
 * @self: an #OrdSyncController
 *
 * Returns: (nullable): why the last sync failed, or why the address is not
 *   used; %NULL when all is well
 */
const char *
ord_sync_controller_get_last_error (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), NULL);

  return self->last_error;
}

/**
 * ord_sync_controller_get_client:
 * @self: an #OrdSyncController
 *
 * Returns: (transfer none) (nullable): the client in use
 */
OrdSyncClient *
ord_sync_controller_get_client (OrdSyncController *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (self), NULL);

  return self->client;
}

void
ord_sync_controller_sync_now (OrdSyncController *self)
{
  g_return_if_fail (ORD_IS_SYNC_CONTROLLER (self));

  if (self->client == NULL)
    return;

  ord_sync_client_request_sync (self->client);
}

void
ord_sync_controller_set_access_token (OrdSyncController *self,
                                      const char        *token)
{
  g_return_if_fail (ORD_IS_SYNC_CONTROLLER (self));

  if (g_strcmp0 (token, self->token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);

  /* The live channel connects with the token it had: start over. */
  if (self->client != NULL)
    restart (self);
}

void
ord_sync_controller_drain (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_atomic_int_get (&n_draining) > 0 && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}
