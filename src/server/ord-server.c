/* ord-server.c: the sync backend's HTTP endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderly-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ord-server.h"
#include "ord-store-sync.h"
#include "ord-sync-codec.h"

#define DEFAULT_PAGE      1000
#define WAIT_TIMEOUT_S    25
#define N_BUCKETS         12

static const double latency_buckets[N_BUCKETS] = {
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
};

static const char * const routes[] = {
  "/v1/sync/push", "/v1/sync/pull", "/v1/sync/wait", "/v1/sync/live", "/healthz", "/metrics",
};

typedef struct
{
  guint64 count;
  double  sum;
  guint64 buckets[N_BUCKETS];
} Histogram;

struct _OrdServer
{
  GObject            parent_instance;

  /* owned */
  OrdStore          *store;
  SoupServer        *soup;
  GPtrArray         *live;       /* SoupWebsocketConnection */
  GPtrArray         *waiters;    /* SoupServerMessage, long-polls paused */
  GHashTable        *requests;   /* "route\tstatus" → guint64 count */
  Histogram          latency[G_N_ELEMENTS (routes) + 1];
  guint64            outcomes[ORD_SYNC_N_OUTCOMES];
  guint64            replayed;
  gint64             notified_seq;

  OrdServerAuthFunc  auth_func;
  gpointer           auth_data;
  GDestroyNotify     auth_destroy;
};

G_DEFINE_TYPE (OrdServer, ord_server, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ */
/* Replies                                                             */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            char              *body,
            gsize              length)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    length ? length : strlen (body));
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message)
{
  reply_json (msg, status, ord_sync_error_build (code, message, NULL, 0), 0);
}

static int
route_index (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_strcmp0 (path, routes[i]) == 0)
      return (int) i;

  return G_N_ELEMENTS (routes);
}

static const char *
route_name (int index)
{
  return index < (int) G_N_ELEMENTS (routes) ? routes[index] : "other";
}

/* Who asks; on failure the reply is already set. */
static gboolean
authenticate (OrdServer         *self,
              SoupServerMessage *msg,
              OrdServerIdentity *identity)
{
  g_autoptr(GError) error = NULL;

  if (self->auth_func (msg, identity, self->auth_data, &error))
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer");
  reply_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized", error->message);
  return FALSE;
}

static gboolean
require_method (SoupServerMessage *msg,
                const char        *method)
{
  if (g_strcmp0 (soup_server_message_get_method (msg), method) == 0)
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
               method[0] == 'G' ? "Use GET" : "Use POST");
  return FALSE;
}

static gboolean
query_int (GHashTable        *query,
           const char        *name,
           gint64             min,
           gint64             max,
           gint64            *value,
           SoupServerMessage *msg)
{
  const char *text = query ? g_hash_table_lookup (query, name) : NULL;
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, min, max, value, &error))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", name, error->message);
      reply_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid", message);
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Live notification                                                   */

static void
answer_waiter (OrdServer         *self,
               SoupServerMessage *msg,
               gint64             cursor)
{
  g_autofree char *body = g_strdup_printf ("{\"cursor\":%" G_GINT64_FORMAT "}", cursor);

  g_object_set_data (G_OBJECT (msg), "ord-wait-source", NULL);
  reply_json (msg, SOUP_STATUS_OK, g_steal_pointer (&body), 0);
  soup_server_message_unpause (msg);
}

static void
notify_live (OrdServer *self)
{
  gint64 seq = ord_store_sync_latest_seq (self->store);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) waiters = NULL;

  if (seq <= self->notified_seq)
    return;
  self->notified_seq = seq;

  text = g_strdup_printf ("{\"cursor\":%" G_GINT64_FORMAT "}", seq);
  for (guint i = 0; i < self->live->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->live, i);

      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (conn, text);
    }

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiters->len; i++)
    answer_waiter (self, g_ptr_array_index (waiters, i), seq);
}

static void
live_closed_cb (SoupWebsocketConnection *conn,
                OrdServer               *self)
{
  g_ptr_array_remove (self->live, conn);
}

static void
live_cb (SoupServer              *server,
         SoupServerMessage       *msg,
         const char              *path,
         SoupWebsocketConnection *conn,
         gpointer                 user_data)
{
  OrdServer *self = user_data;
  g_auto(OrdServerIdentity) identity = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *hello = NULL;

  if (!self->auth_func (msg, &identity, self->auth_data, &error))
    {
      soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       error->message);
      return;
    }

  g_ptr_array_add (self->live, g_object_ref (conn));
  g_signal_connect_object (conn, "closed", G_CALLBACK (live_closed_cb), self, 0);

  /* The current cursor at once: a client that missed a message catches up. */
  hello = g_strdup_printf ("{\"cursor\":%" G_GINT64_FORMAT "}",
                           ord_store_sync_latest_seq (self->store));
  soup_websocket_connection_send_text (conn, hello);
}

static gboolean
waiter_timeout_cb (gpointer data)
{
  SoupServerMessage *msg = data;
  OrdServer *self = g_object_get_data (G_OBJECT (msg), "ord-server");

  g_object_set_data (G_OBJECT (msg), "ord-wait-source", NULL);
  if (self != NULL && g_ptr_array_find (self->waiters, msg, NULL))
    {
      g_object_ref (msg);
      g_ptr_array_remove (self->waiters, msg);
      answer_waiter (self, msg, ord_store_sync_latest_seq (self->store));
      g_object_unref (msg);
    }

  return G_SOURCE_REMOVE;
}

static void
wait_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  OrdServer *self = user_data;
  g_auto(OrdServerIdentity) identity = { 0, };
  gint64 since = 0;
  gint64 latest;
  guint source;

  if (!require_method (msg, "GET") || !authenticate (self, msg, &identity) ||
      !query_int (query, "since", 0, G_MAXINT64, &since, msg))
    return;

  latest = ord_store_sync_latest_seq (self->store);
  if (latest > since)
    {
      g_autofree char *body = g_strdup_printf ("{\"cursor\":%" G_GINT64_FORMAT "}", latest);
      reply_json (msg, SOUP_STATUS_OK, g_steal_pointer (&body), 0);
      return;
    }

  g_object_set_data (G_OBJECT (msg), "ord-server", self);
  g_ptr_array_add (self->waiters, g_object_ref (msg));
  soup_server_message_pause (msg);
  source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, WAIT_TIMEOUT_S, waiter_timeout_cb,
                                       g_object_ref (msg), g_object_unref);
  g_object_set_data_full (G_OBJECT (msg), "ord-wait-source", GUINT_TO_POINTER (source),
                          (GDestroyNotify) g_source_remove);
}

/* ------------------------------------------------------------------ */
/* Push and pull                                                       */

static void
push_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  OrdServer *self = user_data;
  g_auto(OrdServerIdentity) identity = { 0, };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(OrdSyncPushRequest) request = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  OrdSyncPushStats stats;
  gint64 expected = 0;
  gsize length;
  char *text;

  if (!require_method (msg, "POST") || !authenticate (self, msg, &identity))
    return;

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > ORD_SYNC_MAX_BODY)
    {
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   _("A push may have at most 8 MiB; send fewer mutations at once"));
      return;
    }

  request = ord_sync_push_request_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                         &error);
  if (request == NULL)
    {
      reply_error (msg, g_error_matches (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_TOO_LARGE)
                          ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                   error->domain == ORD_SYNC_ERROR && error->code == ORD_SYNC_ERROR_MALFORMED
                     ? "malformed" : "invalid", error->message);
      return;
    }

  if (!ord_store_sync_push (self->store, request->client_id, identity.role, identity.subject,
                            request->mutations, request->n_mutations, results, &expected,
                            &stats, &error))
    {
      if (g_error_matches (error, ORD_STORE_SYNC_ERROR, ORD_STORE_SYNC_ERROR_GAP))
        reply_json (msg, SOUP_STATUS_CONFLICT,
                    ord_sync_error_build ("gap", error->message, "expected", expected), 0);
      else if (g_error_matches (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID))
        reply_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden", error->message);
      else
        {
          g_message ("push from %s failed: %s", request->client_id, error->message);
          reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                       _("The server could not store the changes; try again"));
        }
      return;
    }

  for (guint i = 0; i < ORD_SYNC_N_OUTCOMES; i++)
    self->outcomes[i] += stats.counts[i];
  self->replayed += stats.replayed;

  text = ord_sync_push_response_build (results, &length);
  reply_json (msg, SOUP_STATUS_OK, text, length);

  notify_live (self);
}

static void
pull_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  OrdServer *self = user_data;
  g_auto(OrdServerIdentity) identity = { 0, };
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 since = 0;
  gint64 limit = DEFAULT_PAGE;
  gint64 cursor = 0;
  gboolean has_more = FALSE;
  gsize length;
  char *text;

  if (!require_method (msg, "GET") || !authenticate (self, msg, &identity) ||
      !query_int (query, "since", 0, G_MAXINT64, &since, msg) ||
      !query_int (query, "limit", 1, ORD_SYNC_MAX_PAGE, &limit, msg))
    return;

  if (!ord_store_sync_pull_text (self->store, since, (guint) limit, identity.role,
                                 identity.subject, changes, NULL, &cursor, &has_more, &error))
    {
      g_message ("pull failed: %s", error->message);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                   _("The server could not read the changes; try again"));
      return;
    }

  text = ord_sync_pull_response_build_text (changes->str, changes->len, cursor, has_more,
                                            &length);
  reply_json (msg, SOUP_STATUS_OK, text, length);
}

static void
healthz_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  OrdServer *self = user_data;
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"status\":\"ok\",\"schema\":%d,\"cursor\":%" G_GINT64_FORMAT "}",
                          ord_store_get_schema_version (self->store),
                          ord_store_sync_latest_seq (self->store));
  reply_json (msg, SOUP_STATUS_OK, g_steal_pointer (&body), 0);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static void
metrics_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  OrdServer *self = user_data;
  GString *s = g_string_new (NULL);
  g_autoptr(GList) keys = g_hash_table_get_keys (self->requests);
  const char *db = ord_store_get_path (self->store);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  gsize length;

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  g_string_append (s, "# HELP orderly_http_requests_total HTTP requests by route and status.\n"
                      "# TYPE orderly_http_requests_total counter\n");
  for (GList *l = keys; l; l = l->next)
    {
      g_auto(GStrv) parts = g_strsplit (l->data, "\t", 2);
      guint64 *n = g_hash_table_lookup (self->requests, l->data);

      g_string_append_printf (s, "orderly_http_requests_total{route=\"%s\",status=\"%s\"} %"
                                 G_GUINT64_FORMAT "\n", parts[0], parts[1], *n);
    }

  g_string_append (s, "# HELP orderly_http_request_duration_seconds Time to answer a request.\n"
                      "# TYPE orderly_http_request_duration_seconds histogram\n");
  for (guint r = 0; r <= G_N_ELEMENTS (routes); r++)
    {
      Histogram *h = &self->latency[r];
      guint64 cumulative = 0;

      if (h->count == 0)
        continue;
      for (guint b = 0; b < N_BUCKETS; b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          cumulative += h->buckets[b];
          g_ascii_formatd (le, sizeof le, "%g", latency_buckets[b]);
          g_string_append_printf (s, "orderly_http_request_duration_seconds_bucket{route=\"%s\","
                                     "le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                  route_name (r), le, cumulative);
        }
      g_string_append_printf (s, "orderly_http_request_duration_seconds_bucket{route=\"%s\","
                                 "le=\"+Inf\"} %" G_GUINT64_FORMAT "\n", route_name (r), h->count);
      g_string_append_printf (s, "orderly_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
                              route_name (r), h->sum);
      g_string_append_printf (s, "orderly_http_request_duration_seconds_count{route=\"%s\"} %"
                                 G_GUINT64_FORMAT "\n", route_name (r), h->count);
    }

  g_string_append (s, "# HELP orderly_sync_mutations_total Pushed mutations by outcome.\n"
                      "# TYPE orderly_sync_mutations_total counter\n");
  for (guint i = 0; i < ORD_SYNC_N_OUTCOMES; i++)
    g_string_append_printf (s, "orderly_sync_mutations_total{outcome=\"%s\"} %" G_GUINT64_FORMAT
                               "\n", ord_sync_outcome_to_string (i), self->outcomes[i]);
  g_string_append_printf (s, "# HELP orderly_sync_mutations_replayed_total Mutations pushed again"
                             " and answered from the stored result.\n"
                             "# TYPE orderly_sync_mutations_replayed_total counter\n"
                             "orderly_sync_mutations_replayed_total %" G_GUINT64_FORMAT "\n",
                          self->replayed);
  g_string_append_printf (s, "# HELP orderly_sync_live_clients Clients waiting for changes.\n"
                             "# TYPE orderly_sync_live_clients gauge\n"
                             "orderly_sync_live_clients %u\n",
                          self->live->len + self->waiters->len);
  g_string_append_printf (s, "# HELP orderly_sync_cursor The newest change feed sequence.\n"
                             "# TYPE orderly_sync_cursor gauge\n"
                             "orderly_sync_cursor %" G_GINT64_FORMAT "\n",
                          ord_store_sync_latest_seq (self->store));
  g_string_append_printf (s, "# HELP orderly_database_size_bytes The database and its WAL.\n"
                             "# TYPE orderly_database_size_bytes gauge\n"
                             "orderly_database_size_bytes %" G_GINT64_FORMAT "\n",
                          file_size (db) + file_size (wal));

  length = s->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_TAKE,
                                    g_string_free (s, FALSE), length);
}

static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  reply_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such endpoint");
}

/* ------------------------------------------------------------------ */
/* Bookkeeping of every request                                        */

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  /* Refuse a body that is too large before reading it. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      length > ORD_SYNC_MAX_BODY)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      reply_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                   _("A push may have at most 8 MiB; send fewer mutations at once"));
    }
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    OrdServer         *self)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), "ord-start", start, g_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
}

static void
request_done_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 OrdServer         *self)
{
  gint64 *start = g_object_get_data (G_OBJECT (msg), "ord-start");
  GUri *uri = soup_server_message_get_uri (msg);
  int route = route_index (uri ? g_uri_get_path (uri) : NULL);
  g_autofree char *key = g_strdup_printf ("%s\t%u", route_name (route),
                                          soup_server_message_get_status (msg));
  guint64 *n = g_hash_table_lookup (self->requests, key);
  Histogram *h = &self->latency[route];

  if (n == NULL)
    {
      n = g_new0 (guint64, 1);
      g_hash_table_insert (self->requests, g_steal_pointer (&key), n);
    }
  (*n)++;

  if (start != NULL)
    {
      double seconds = (g_get_monotonic_time () - *start) / 1e6;

      h->count++;
      h->sum += seconds;
      for (guint b = 0; b < N_BUCKETS; b++)
        if (seconds <= latency_buckets[b])
          {
            h->buckets[b]++;
            break;
          }
    }
}

/* ------------------------------------------------------------------ */

static void
ord_server_dispose (GObject *object)
{
  OrdServer *self = (OrdServer *) object;

  ord_server_shutdown (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ord_server_parent_class)->dispose (object);
}

static void
ord_server_finalize (GObject *object)
{
  OrdServer *self = (OrdServer *) object;

  g_clear_pointer (&self->live, g_ptr_array_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  if (self->auth_destroy)
    g_clear_pointer (&self->auth_data, self->auth_destroy);

  G_OBJECT_CLASS (ord_server_parent_class)->finalize (object);
}

static void
ord_server_class_init (OrdServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ord_server_dispose;
  object_class->finalize = ord_server_finalize;
}

static void
ord_server_init (OrdServer *self)
{
  self->live = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * ord_server_new:
 * @store: the server's store
 * @auth_func: how requests are verified
 * @auth_data: its data
 * @auth_destroy: (nullable): frees @auth_data
 *
 * Returns: (transfer full): a server, not listening yet
 */
OrdServer *
ord_server_new (OrdStore          *store,
                OrdServerAuthFunc  auth_func,
                gpointer           auth_data,
                GDestroyNotify     auth_destroy)
{
  OrdServer *self;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (auth_func != NULL, NULL);

  self = g_object_new (ORD_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  self->auth_func = auth_func;
  self->auth_data = auth_data;
  self->auth_destroy = auth_destroy;
  self->notified_seq = ord_store_sync_latest_seq (store);

  self->soup = soup_server_new ("server-header", "orderly-server/" PACKAGE_VERSION, NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_done_cb), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_done_cb), self, 0);

  soup_server_add_handler (self->soup, NULL, not_found_cb, self, NULL);
  soup_server_add_handler (self->soup, "/v1/sync/push", push_cb, self, NULL);
  soup_server_add_handler (self->soup, "/v1/sync/pull", pull_cb, self, NULL);
  soup_server_add_handler (self->soup, "/v1/sync/wait", wait_cb, self, NULL);
  soup_server_add_handler (self->soup, "/healthz", healthz_cb, self, NULL);
  soup_server_add_handler (self->soup, "/metrics", metrics_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/v1/sync/live", NULL, NULL, live_cb, self,
                                     NULL);

  return self;
}

char *
ord_server_listen (OrdServer           *self,
                   GInetSocketAddress  *address,
                   GError             **error)
{
  g_autoptr(GSList) listeners = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (ORD_IS_SERVER (self), NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);

  if (!soup_server_listen (self->soup, G_SOCKET_ADDRESS (address), 0, error))
    return NULL;

  /* The port the kernel picked, from the socket itself. */
  listeners = soup_server_get_listeners (self->soup);
  if (listeners == NULL || !(local = g_socket_get_local_address (listeners->data, error)))
    return NULL;

  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  return g_strdup_printf (strchr (host, ':') ? "http://[%s]:%u" : "http://%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

void
ord_server_shutdown (OrdServer *self)
{
  g_return_if_fail (ORD_IS_SERVER (self));

  for (guint i = 0; self->live && i < self->live->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->live, i);

      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
  if (self->live)
    g_ptr_array_set_size (self->live, 0);

  while (self->waiters && self->waiters->len > 0)
    {
      SoupServerMessage *msg = g_ptr_array_steal_index (self->waiters, 0);

      g_object_set_data (G_OBJECT (msg), "ord-wait-source", NULL);
      g_object_set_data (G_OBJECT (msg), "ord-server", NULL);
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting_down", "The server stops");
      soup_server_message_unpause (msg);
      g_object_unref (msg);
    }

  if (self->soup)
    soup_server_disconnect (self->soup);
}

SoupServer *
ord_server_get_soup (OrdServer *self)
{
  g_return_val_if_fail (ORD_IS_SERVER (self), NULL);

  return self->soup;
}
