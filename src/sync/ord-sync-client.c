/* ord-sync-client.c: the offline-first sync engine of a device
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "ord-store-sync.h"
#include "ord-sync-client.h"
#include "ord-sync-codec.h"

/* Pull pages start small (an incremental sync is a page or two) and
 * grow to the protocol's largest for an initial sync: fewer round trips
 * and local commits. */
#define PULL_PAGE_FIRST  1000
#define PULL_PAGE_MAX    ORD_SYNC_MAX_PAGE
/* The sync connection's page cache (KiB): applying a large page touches
 * the orders, items and search indexes all over. */
#define SYNC_CACHE_KIB   65536
#define DEBOUNCE_MS      300
#define MAX_GAP_RETRIES  3

G_DEFINE_ENUM_TYPE (OrdSyncState, ord_sync_state,
  G_DEFINE_ENUM_VALUE (ORD_SYNC_STATE_SYNCED, "synced"),
  G_DEFINE_ENUM_VALUE (ORD_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (ORD_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (ORD_SYNC_STATE_ERROR, "error"))

const char *
ord_sync_state_to_string (OrdSyncState state)
{
  static const char * const names[] = { "synced", "syncing", "offline", "error" };

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (names), NULL);

  return names[state];
}

guint
ord_sync_backoff_ms (guint  attempt,
                     double jitter)
{
  double delay = 1000.0 * (1u << MIN (attempt, 6));

  delay = MIN (delay, 60000.0);
  return (guint) (delay * (0.5 + CLAMP (jitter, 0.0, 1.0)));
}

/* What a run needs, copied so that it can go to a worker thread. */
typedef struct
{
  char    *db_path;
  char    *server_url;
  char    *subject;
  char    *token;
  OrdRole  role;
  gboolean has_identity;
  guint    batch_size;
} RunParams;

static void
run_params_free (RunParams *p)
{
  g_free (p->db_path);
  g_free (p->server_url);
  g_free (p->subject);
  g_free (p->token);
  g_free (p);
}

struct _OrdSyncClient
{
  GObject                  parent_instance;

  /* owned */
  OrdStore                *store;
  char                    *server_url;
  char                    *subject;
  char                    *token;
  char                    *last_error;
  GCancellable            *cancellable;
  SoupSession             *live_session;
  SoupWebsocketConnection *live;
  GRand                   *rand;

  /* borrowed */
  GNetworkMonitor         *monitor;

  OrdRole                  role;
  gboolean                 has_identity;
  guint                    batch_size;
  OrdSyncState             state;
  gint64                   pending_count;
  gint64                   last_success;

  gboolean                 started;
  gboolean                 running;
  gboolean                 again;
  gboolean                 emitting;
  guint                    attempt;
  guint                    live_attempt;
  gboolean                 live_was_up;  /* reconnecting: catch up with a sync */
  guint                    debounce_id;
  guint                    retry_id;
  guint                    live_retry_id;
  gulong                   changed_id;
  gulong                   network_id;
};

G_DEFINE_TYPE (OrdSyncClient, ord_sync_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SERVER_URL,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------ */
/* One run: blocking, on whatever thread calls it                      */

typedef struct
{
  RunParams    *p;
  SoupSession  *session;
  OrdStore     *store;
  GCancellable *cancellable;
} Run;

static SoupMessage *
new_message (Run        *run,
             const char *method,
             const char *path_and_query)
{
  g_autofree char *url = g_strconcat (run->p->server_url, path_and_query, NULL);
  SoupMessage *msg = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (msg == NULL)
    return NULL;
  headers = soup_message_get_request_headers (msg);
  if (run->p->has_identity)
    {
      soup_message_headers_replace (headers, "X-Orderly-Role", ord_role_to_string (run->p->role));
      if (run->p->subject)
        soup_message_headers_replace (headers, "X-Orderly-Subject", run->p->subject);
    }
  if (run->p->token)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", run->p->token, NULL);
      soup_message_headers_replace (headers, "Authorization", bearer);
    }

  return msg;
}

/* The server's own words from an error body, when it sent some. */
static char *
error_message (GBytes *body)
{
  g_autoptr(JsonNode) node = NULL;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  if (data != NULL && size > 0 && size < 65536)
    {
      g_autofree char *text = g_strndup (data, size);

      node = json_from_string (text, NULL);
    }
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      const char *message = json_object_get_string_member_with_default (
        json_node_get_object (node), "message", NULL);

      if (message != NULL)
        return g_strdup (message);
    }

  return NULL;
}

static GBytes *
send (Run          *run,
      SoupMessage  *msg,
      guint        *status,
      GError      **error)
{
  GBytes *body = soup_session_send_and_read (run->session, msg, run->cancellable, error);

  *status = soup_message_get_status (msg);
  return body;
}

static gboolean
http_failure (guint    status,
              GBytes  *body,
              GError **error)
{
  g_autofree char *message = error_message (body);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_UNAUTHORIZED,
                 _("The server refused the account (%u): %s"), status,
                 message ? message : soup_status_get_phrase (status));
  else
    g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_HTTP,
                 _("The server answered %u: %s"), status,
                 message ? message : soup_status_get_phrase (status));

  return FALSE;
}

static gint64
gap_expected (GBytes *body)
{
  g_autoptr(JsonNode) node = NULL;
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;
  g_autofree char *text = data ? g_strndup (data, size) : NULL;

  if (text)
    node = json_from_string (text, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;

  return json_object_get_int_member_with_default (json_node_get_object (node), "expected", 0);
}

static gboolean
push_all (Run           *run,
          const char    *client_id,
          OrdSyncStats  *stats,
          GError       **error)
{
  guint batch = run->p->batch_size;
  guint gap_retries = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) request = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(OrdSyncPushResponse) response = NULL;
      char *text;
      gsize length;
      guint status;

      if (!(rows = ord_store_sync_read_outbox (run->store, 0, batch, error)))
        return FALSE;
      if (rows->len == 0)
        return TRUE;

      text = ord_sync_push_request_build (client_id, rows, &length);
      if (length > ORD_SYNC_MAX_BODY && batch > 1)
        {
          g_free (text);
          batch = MAX (1, batch / 2);
          continue;
        }
      request = g_bytes_new_take (text, length);

      if (!(msg = new_message (run, "POST", "/v1/sync/push")))
        {
          g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_HTTP,
                       _("“%s” is not a server address"), run->p->server_url);
          return FALSE;
        }
      soup_message_set_request_body_from_bytes (msg, "application/json", request);

      if (!(body = send (run, msg, &status, error)))
        return FALSE;

      if (status == SOUP_STATUS_CONFLICT)
        {
          OrdOutboxRow *first = g_ptr_array_index (rows, 0);
          gint64 expected = gap_expected (body);

          /* The server lost what it had acknowledged (a restored backup):
           * the outbox moves down to where the server is. */
          if (expected <= 0 || expected > first->mutation_id || ++gap_retries > MAX_GAP_RETRIES)
            {
              g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_GAP,
                           _("The server expects change %" G_GINT64_FORMAT
                             " but this device has %" G_GINT64_FORMAT " next"),
                           expected, first->mutation_id);
              return FALSE;
            }
          g_message ("server expects mutation %" G_GINT64_FORMAT ", renumbering the outbox"
                     " from %" G_GINT64_FORMAT, expected, first->mutation_id);
          if (!ord_store_sync_renumber_outbox (run->store, expected, error))
            return FALSE;
          continue;
        }
      if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE && batch > 1)
        {
          batch = MAX (1, batch / 2);
          continue;
        }
      if (status != SOUP_STATUS_OK)
        return http_failure (status, body, error);

      if (!(response = ord_sync_push_response_parse (g_bytes_get_data (body, NULL),
                                                     g_bytes_get_size (body), error)))
        {
          g_prefix_error (error, _("The server’s answer to a push: "));
          return FALSE;
        }
      if (response->n_acks != rows->len)
        {
          g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID,
                       _("The server answered %u results for %u changes"),
                       response->n_acks, rows->len);
          return FALSE;
        }

      if (!ord_store_sync_apply_acks (run->store, response->acks, response->n_acks, error))
        return FALSE;

      for (guint i = 0; i < response->n_acks; i++)
        {
          stats->pushed++;
          if (response->acks[i].outcome == ORD_SYNC_HELD)
            stats->held++;
          else if (response->acks[i].outcome == ORD_SYNC_REJECTED)
            stats->rejected++;
        }
      gap_retries = 0;
    }
}

/* The pull is a pipeline: a fetcher thread, with a session of its own,
 * downloads and checks page n + 1 while this thread applies page n. Pages
 * are still applied one at a time, in order, each with its cursor in one
 * transaction; the fetcher is at most PULL_AHEAD pages ahead. */
#define PULL_AHEAD 2

typedef struct
{
  OrdSyncPullResponse *page;   /* NULL with @error */
  GError              *error;
} Fetched;

typedef struct
{
  RunParams    *p;
  GCancellable *cancellable;   /* cancelled when the run is, or gives up */
  GAsyncQueue  *pages;         /* Fetched, in order */
  GAsyncQueue  *credits;       /* a page may be fetched per credit; a
                                * credit is an applied Fetched to free
                                * (a tree of 5,000 records takes a while),
                                * or the Fetcher itself */
  gint64        since;
  gint          stop;          /* atomic */
} Fetcher;

static void
fetched_free (Fetched *f)
{
  g_clear_pointer (&f->page, ord_sync_pull_response_free);
  g_clear_error (&f->error);
  g_free (f);
}

static OrdSyncPullResponse *
fetch_page (Run           *run,
            gint64         cursor,
            guint          limit,
            GError       **error)
{
  g_autofree char *path = g_strdup_printf ("/v1/sync/pull?since=%" G_GINT64_FORMAT
                                           "&limit=%u", cursor, limit);
  g_autoptr(SoupMessage) msg = new_message (run, "GET", path);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(OrdSyncPullResponse) page = NULL;
  guint status;

  if (msg == NULL)
    {
      g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_HTTP,
                   _("“%s” is not a server address"), run->p->server_url);
      return NULL;
    }
  if (!(body = send (run, msg, &status, error)))
    return NULL;
  if (status != SOUP_STATUS_OK)
    {
      http_failure (status, body, error);
      return NULL;
    }

  if (!(page = ord_sync_pull_response_parse (g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), error)))
    {
      g_prefix_error (error, _("The server’s change feed: "));
      return NULL;
    }
  if (page->cursor < cursor)
    {
      g_set_error (error, ORD_SYNC_ERROR, ORD_SYNC_ERROR_INVALID,
                   _("The server’s cursor went back from %" G_GINT64_FORMAT
                     " to %" G_GINT64_FORMAT), cursor, page->cursor);
      return NULL;
    }

  return g_steal_pointer (&page);
}

static gpointer
fetcher_thread (gpointer data)
{
  Fetcher *f = data;
  g_autoptr(SoupSession) session = NULL;
  Run run = { f->p, NULL, NULL, f->cancellable };
  gint64 cursor = f->since;
  guint limit = PULL_PAGE_FIRST;

  session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                           "user-agent", "Orderly/" PACKAGE_VERSION, NULL);
  run.session = session;

  for (;;)
    {
      Fetched *item = g_new0 (Fetched, 1);
      gboolean more;

      gpointer credit = g_async_queue_pop (f->credits);

      if (credit != f)
        fetched_free (credit);
      if (g_atomic_int_get (&f->stop))
        {
          g_free (item);
          break;
        }

      item->page = fetch_page (&run, cursor, limit, &item->error);
      if (item->page != NULL)
        ord_store_sync_prepare_records (item->page->changes, item->page->n_changes);
      /* The item belongs to the other thread once it is in the queue. */
      more = item->page != NULL && item->page->has_more;
      if (more)
        cursor = item->page->cursor;
      g_async_queue_push (f->pages, item);
      if (!more)
        break;
      limit = MIN (2 * limit, PULL_PAGE_MAX);
    }

  return NULL;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      data)
{
  g_cancellable_cancel (data);
}

static gboolean
pull_all (Run           *run,
          OrdSyncStats  *stats,
          GError       **error)
{
  g_autoptr(GCancellable) fetch_cancellable = g_cancellable_new ();
  Fetcher f = { run->p, fetch_cancellable, g_async_queue_new (), g_async_queue_new (),
                ord_store_sync_get_cursor (run->store), 0 };
  GThread *thread;
  gulong handler = 0;
  gboolean ok = TRUE;
  gboolean bulk = FALSE;
  Fetched *item;

  if (run->cancellable)
    handler = g_cancellable_connect (run->cancellable, G_CALLBACK (forward_cancel_cb),
                                     fetch_cancellable, NULL);
  for (guint i = 0; i < PULL_AHEAD; i++)
    g_async_queue_push (f.credits, &f);
  thread = g_thread_new ("ord-sync-pull", fetcher_thread, &f);

  for (;;)
    {
      OrdSyncPullResponse *page;

      item = g_async_queue_pop (f.pages);
      if (item->page == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&item->error));
          fetched_free (item);
          ok = FALSE;
          break;
        }
      page = item->page;

      if (!ord_store_sync_apply_page (run->store, page->changes, page->n_changes, page->cursor,
                                      error))
        {
          fetched_free (item);
          ok = FALSE;
          break;
        }

      stats->pulled += page->n_changes;
      stats->pages++;
      stats->cursor = page->cursor;

      if (!page->has_more)
        {
          fetched_free (item);
          break;
        }
      /* More pages: an initial sync, or a device back after long. */
      if (!bulk)
        ord_store_sync_set_bulk (run->store, bulk = TRUE);
      g_async_queue_push (f.credits, item);
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        {
          ok = FALSE;
          break;
        }
    }

  /* Stop the fetcher (it may be waiting for a credit or for the server),
   * then drop what it fetched ahead. */
  g_atomic_int_set (&f.stop, 1);
  if (!ok)
    g_cancellable_cancel (fetch_cancellable);
  g_async_queue_push (f.credits, &f);
  g_thread_join (thread);
  if (handler)
    g_cancellable_disconnect (run->cancellable, handler);
  while ((item = g_async_queue_try_pop (f.pages)))
    fetched_free (item);
  while ((item = g_async_queue_try_pop (f.credits)))
    if ((gpointer) item != &f)
      fetched_free (item);
  g_async_queue_unref (f.pages);
  g_async_queue_unref (f.credits);
  if (bulk)
    ord_store_sync_set_bulk (run->store, FALSE);

  return ok;
}

static gboolean
run_sync (RunParams     *p,
          GCancellable  *cancellable,
          OrdSyncStats  *stats,
          GError       **error)
{
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *now = NULL;
  Run run = { p, NULL, NULL, cancellable };
  gint64 start;

  memset (stats, 0, sizeof *stats);

  if (!(store = ord_store_new (p->db_path, error)))
    return FALSE;
  /* This connection is the run's own: a larger cache only for it. */
  if (!ord_store_set_cache (store, SYNC_CACHE_KIB, error))
    return FALSE;
  if (!(client_id = ord_store_sync_ensure_client_id (store, error)))
    return FALSE;

  session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                           "user-agent", "Orderly/" PACKAGE_VERSION, NULL);
  run.session = session;
  run.store = store;

  /* Push first: the pull then brings back what the server made of it. */
  start = g_get_monotonic_time ();
  if (!push_all (&run, client_id, stats, error))
    return FALSE;
  stats->push_usec = g_get_monotonic_time () - start;
  start = g_get_monotonic_time ();
  if (!pull_all (&run, stats, error))
    return FALSE;
  stats->pull_usec = g_get_monotonic_time () - start;

  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  return ord_store_sync_set_state (store, "last_success", now, error);
}

static RunParams *
params_for (OrdSyncClient *self)
{
  RunParams *p = g_new0 (RunParams, 1);

  p->db_path = g_strdup (ord_store_get_path (self->store));
  p->server_url = g_strdup (self->server_url);
  p->subject = g_strdup (self->subject);
  p->token = g_strdup (self->token);
  p->role = self->role;
  p->has_identity = self->has_identity;
  p->batch_size = self->batch_size;

  return p;
}

/* ------------------------------------------------------------------ */
/* Status                                                              */

static void
set_state (OrdSyncClient *self,
           OrdSyncState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (OrdSyncClient *self,
                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
update_pending (OrdSyncClient *self)
{
  gint64 n = ord_store_count_outbox (self->store);

  if (n == self->pending_count)
    return;
  self->pending_count = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

static void
set_last_success (OrdSyncClient *self,
                  gint64         when)
{
  if (self->last_success == when)
    return;
  self->last_success = when;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

static gboolean
is_offline_error (const GError *error)
{
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
         error->domain == G_TLS_ERROR;
}

static void
finish_run (OrdSyncClient      *self,
            const OrdSyncStats *stats,
            const GError       *error)
{
  update_pending (self);

  /* The app's own store did not see the worker's writes: tell it. */
  if (stats != NULL && (stats->pulled > 0 || stats->pushed > 0))
    {
      self->emitting = TRUE;
      g_signal_emit_by_name (self->store, "changed", "order", NULL);
      g_signal_emit_by_name (self->store, "changed", "customer", NULL);
      g_signal_emit_by_name (self->store, "changed", "product", NULL);
      self->emitting = FALSE;
    }

  if (error == NULL)
    {
      self->attempt = 0;
      set_last_error (self, NULL);
      set_last_success (self, g_get_real_time ());
      set_state (self, self->pending_count > 0 ? ORD_SYNC_STATE_SYNCING : ORD_SYNC_STATE_SYNCED);
    }
  else
    {
      set_last_error (self, error->message);
      set_state (self, is_offline_error (error) ? ORD_SYNC_STATE_OFFLINE : ORD_SYNC_STATE_ERROR);
    }
}

/* ------------------------------------------------------------------ */
/* Public: one run                                                     */

gboolean
ord_sync_client_sync_once (OrdSyncClient  *self,
                           GCancellable   *cancellable,
                           OrdSyncStats   *stats,
                           GError        **error)
{
  RunParams *p;
  OrdSyncStats local_stats;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), FALSE);

  p = params_for (self);
  ok = run_sync (p, cancellable, stats ? stats : &local_stats, &local_error);
  run_params_free (p);

  finish_run (self, stats ? stats : &local_stats, local_error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return ok;
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OrdSyncStats *stats = g_new0 (OrdSyncStats, 1);
  GError *error = NULL;

  if (!run_sync (task_data, cancellable, stats, &error))
    {
      g_free (stats);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, stats, g_free);
}

void
ord_sync_client_sync_async (OrdSyncClient       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ord_sync_client_sync_async);
  g_task_set_task_data (task, params_for (self), (GDestroyNotify) run_params_free);
  set_state (self, ORD_SYNC_STATE_SYNCING);
  g_task_run_in_thread (task, sync_thread);
}

gboolean
ord_sync_client_sync_finish (OrdSyncClient  *self,
                             GAsyncResult   *result,
                             OrdSyncStats   *stats,
                             GError        **error)
{
  g_autofree OrdSyncStats *out = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  out = g_task_propagate_pointer (G_TASK (result), &local_error);
  finish_run (self, out, local_error);
  if (out == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (stats)
    *stats = *out;

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Automatic mode                                                      */

static void request_sync (OrdSyncClient *self);
static void connect_live (OrdSyncClient *self);

static gboolean
retry_cb (gpointer data)
{
  OrdSyncClient *self = data;

  self->retry_id = 0;
  request_sync (self);
  return G_SOURCE_REMOVE;
}

static void
auto_sync_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  OrdSyncClient *self = ORD_SYNC_CLIENT (object);
  g_autoptr(GError) error = NULL;

  self->running = FALSE;
  if (!ord_sync_client_sync_finish (self, result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
        return;

      /* Later, a little later each time, never in step with other devices. */
      g_clear_handle_id (&self->retry_id, g_source_remove);
      self->retry_id = g_timeout_add (ord_sync_backoff_ms (self->attempt++,
                                                           g_rand_double (self->rand)),
                                      retry_cb, self);
      return;
    }

  if (self->again && self->started)
    {
      self->again = FALSE;
      request_sync (self);
    }
}

/* A server on this computer is there whatever the network does. */
static gboolean
server_is_loopback (OrdSyncClient *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->server_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  return host != NULL && (g_str_equal (host, "localhost") || g_str_equal (host, "::1") ||
                          g_str_has_prefix (host, "127."));
}

static void
request_sync (OrdSyncClient *self)
{
  if (!self->started)
    return;
  if (self->running)
    {
      self->again = TRUE;
      return;
    }
  if (self->monitor != NULL && !g_network_monitor_get_network_available (self->monitor) &&
      !server_is_loopback (self))
    {
      set_state (self, ORD_SYNC_STATE_OFFLINE);
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->running = TRUE;
  self->again = FALSE;
  ord_sync_client_sync_async (self, self->cancellable, auto_sync_done, NULL);
}

/**
 * ord_sync_client_request_sync:
 * @self: a started #OrdSyncClient
 *
 * Syncs now (“Sync Now”): at once when idle, right after the run under
 * way otherwise, without waiting for a retry's backoff. Does nothing
 * before ord_sync_client_start().
 */
void
ord_sync_client_request_sync (OrdSyncClient *self)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  request_sync (self);
}

static gboolean
debounce_cb (gpointer data)
{
  OrdSyncClient *self = data;

  self->debounce_id = 0;
  request_sync (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (OrdStore      *store,
                  const char    *entity,
                  const char    *id,
                  OrdSyncClient *self)
{
  if (self->emitting)
    return;

  update_pending (self);
  if (!self->started)
    return;
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    OrdSyncClient   *self)
{
  if (!available && !server_is_loopback (self))
    {
      set_state (self, ORD_SYNC_STATE_OFFLINE);
      return;
    }

  self->attempt = 0;
  request_sync (self);
  if (self->live == NULL && self->live_retry_id == 0)
    connect_live (self);
}

static void
live_message_cb (SoupWebsocketConnection *conn,
                 gint                     type,
                 GBytes                  *message,
                 OrdSyncClient           *self)
{
  /* {"cursor": N}: a new change exists; the pull finds it. */
  request_sync (self);
}

static gboolean
live_retry_cb (gpointer data)
{
  OrdSyncClient *self = data;

  self->live_retry_id = 0;
  connect_live (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_live_retry (OrdSyncClient *self)
{
  if (!self->started || self->live_retry_id != 0)
    return;
  self->live_retry_id = g_timeout_add (ord_sync_backoff_ms (self->live_attempt++,
                                                            g_rand_double (self->rand)),
                                       live_retry_cb, self);
}

static void
live_closed_cb (SoupWebsocketConnection *conn,
                OrdSyncClient           *self)
{
  g_signal_handlers_disconnect_by_data (conn, self);
  g_clear_object (&self->live);
  schedule_live_retry (self);
}

static void
live_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OrdSyncClient) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (conn == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("live channel: %s", error->message);
          schedule_live_retry (self);
        }
      return;
    }
  if (!self->started)
    {
      g_object_unref (conn);
      return;
    }

  self->live_attempt = 0;
  self->live = conn;
  g_signal_connect (conn, "message", G_CALLBACK (live_message_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (live_closed_cb), self);

  /* What the server announced while the channel was down is fetched now,
   * not at the next local change. */
  if (self->live_was_up)
    request_sync (self);
  self->live_was_up = TRUE;
}

static void
connect_live (OrdSyncClient *self)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  if (!self->started || self->live != NULL)
    return;

  if (g_str_has_prefix (self->server_url, "https://"))
    url = g_strconcat ("wss://", self->server_url + 8, "/v1/sync/live", NULL);
  else if (g_str_has_prefix (self->server_url, "http://"))
    url = g_strconcat ("ws://", self->server_url + 7, "/v1/sync/live", NULL);
  else
    return;

  if (self->live_session == NULL)
    self->live_session = soup_session_new ();
  if (!(msg = soup_message_new ("GET", url)))
    return;
  if (self->has_identity)
    {
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

      soup_message_headers_replace (headers, "X-Orderly-Role", ord_role_to_string (self->role));
      if (self->subject)
        soup_message_headers_replace (headers, "X-Orderly-Subject", self->subject);
    }
  if (self->token)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }

  soup_session_websocket_connect_async (self->live_session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, live_connected_cb,
                                        g_object_ref (self));
}

void
ord_sync_client_start (OrdSyncClient *self)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  if (self->started)
    return;
  self->started = TRUE;

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->monitor = g_network_monitor_get_default ();
  self->network_id = g_signal_connect (self->monitor, "network-changed",
                                       G_CALLBACK (network_changed_cb), self);

  connect_live (self);
  request_sync (self);
}

void
ord_sync_client_stop (OrdSyncClient *self)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  if (!self->started)
    return;
  self->started = FALSE;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->debounce_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  if (self->monitor && self->network_id)
    g_clear_signal_handler (&self->network_id, self->monitor);
  self->monitor = NULL;
  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      if (soup_websocket_connection_get_state (self->live) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->live, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->live);
    }
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static void
ord_sync_client_dispose (GObject *object)
{
  OrdSyncClient *self = (OrdSyncClient *) object;

  ord_sync_client_stop (self);
  if (self->store && self->changed_id)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->live_session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (ord_sync_client_parent_class)->dispose (object);
}

static void
ord_sync_client_finalize (GObject *object)
{
  OrdSyncClient *self = (OrdSyncClient *) object;

  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (ord_sync_client_parent_class)->finalize (object);
}

static void
ord_sync_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  OrdSyncClient *self = ORD_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_SERVER_URL: g_value_set_string (value, self->server_url); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_PENDING_COUNT: g_value_set_int64 (value, self->pending_count); break;
    case PROP_LAST_SUCCESS: g_value_set_int64 (value, self->last_success); break;
    case PROP_LAST_ERROR: g_value_set_string (value, self->last_error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  OrdSyncClient *self = ORD_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SERVER_URL:
      {
        g_autofree char *url = g_value_dup_string (value);

        /* "http://host:port/" and "http://host:port" are the same server. */
        while (url && g_str_has_suffix (url, "/"))
          url[strlen (url) - 1] = '\0';
        if (g_strcmp0 (url, self->server_url) == 0)
          break;
        g_free (self->server_url);
        self->server_url = g_steal_pointer (&url);
        g_object_notify_by_pspec (object, pspec);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_client_constructed (GObject *object)
{
  OrdSyncClient *self = ORD_SYNC_CLIENT (object);
  g_autofree char *last = NULL;

  G_OBJECT_CLASS (ord_sync_client_parent_class)->constructed (object);

  g_assert (ORD_IS_STORE (self->store));
  self->changed_id = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->pending_count = ord_store_count_outbox (self->store);
  last = ord_store_sync_get_state (self->store, "last_success");
  if (last != NULL)
    g_ascii_string_to_signed (last, 10, 0, G_MAXINT64, &self->last_success, NULL);
  self->state = self->pending_count > 0 ? ORD_SYNC_STATE_SYNCING : ORD_SYNC_STATE_SYNCED;
}

static void
ord_sync_client_class_init (OrdSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ord_sync_client_constructed;
  object_class->dispose = ord_sync_client_dispose;
  object_class->finalize = ord_sync_client_finalize;
  object_class->get_property = ord_sync_client_get_property;
  object_class->set_property = ord_sync_client_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ORD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ord_sync_client_init (OrdSyncClient *self)
{
  self->batch_size = ORD_SYNC_MAX_MUTATIONS;
  self->role = ORD_ROLE_OWNER;
  self->rand = g_rand_new ();
}

/**
 * ord_sync_client_new:
 * @store: the device's store
 * @server_url: "http://127.0.0.1:8080" (no trailing path)
 *
 * Returns: (transfer full): a sync client, idle until started or asked
 */
OrdSyncClient *
ord_sync_client_new (OrdStore   *store,
                     const char *server_url)
{
  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (ORD_TYPE_SYNC_CLIENT, "store", store, "server-url", server_url, NULL);
}

OrdStore *
ord_sync_client_get_store (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), NULL);
  return self->store;
}

const char *
ord_sync_client_get_server_url (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), NULL);
  return self->server_url;
}

OrdSyncState
ord_sync_client_get_state (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), ORD_SYNC_STATE_ERROR);
  return self->state;
}

gint64
ord_sync_client_get_pending_count (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), 0);
  return self->pending_count;
}

gint64
ord_sync_client_get_last_success (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), 0);
  return self->last_success;
}

const char *
ord_sync_client_get_last_error (OrdSyncClient *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

void
ord_sync_client_set_identity (OrdSyncClient *self,
                              OrdRole        role,
                              const char    *subject)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  self->has_identity = TRUE;
  self->role = role;
  g_free (self->subject);
  self->subject = g_strdup (subject);
}

void
ord_sync_client_set_access_token (OrdSyncClient *self,
                                  const char    *token)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

void
ord_sync_client_set_batch_size (OrdSyncClient *self,
                                guint          batch_size)
{
  g_return_if_fail (ORD_IS_SYNC_CLIENT (self));

  self->batch_size = CLAMP (batch_size, 1, ORD_SYNC_MAX_MUTATIONS);
}
