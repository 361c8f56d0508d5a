/* ord-sync-client.h: the offline-first sync engine of a device
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-store.h"

G_BEGIN_DECLS

typedef enum
{
  ORD_SYNC_STATE_SYNCED,
  ORD_SYNC_STATE_SYNCING,
  ORD_SYNC_STATE_OFFLINE,
  ORD_SYNC_STATE_ERROR,
} OrdSyncState;

/* What one sync run did. */
typedef struct
{
  guint   pushed;          /* mutations the server judged */
  guint   held;
  guint   rejected;
  guint   pulled;          /* changes applied */
  guint   pages;
  gint64  cursor;
  gint64  push_usec;       /* wall time of the push (µs) */
  gint64  pull_usec;       /* wall time of the pull that follows it (µs) */
} OrdSyncStats;

#define ORD_TYPE_SYNC_STATE (ord_sync_state_get_type ())
GType          ord_sync_state_get_type          (void) G_GNUC_CONST;
const char    *ord_sync_state_to_string         (OrdSyncState state);

/* Exponential backoff with jitter: the delay before retry @attempt (0 =
 * first retry), @jitter in [0, 1): base 1 s doubled each time, capped at
 * 60 s, scaled by 0.5 + @jitter. */
guint          ord_sync_backoff_ms              (guint        attempt,
                                                 double       jitter);

#define ORD_TYPE_SYNC_CLIENT (ord_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (OrdSyncClient, ord_sync_client, ORD, SYNC_CLIENT, GObject)

/* Properties: store (construct-only), server-url, state, pending-count,
 * last-success (µs since the epoch, 0 = never), last-error (nullable). */
OrdSyncClient *ord_sync_client_new              (OrdStore      *store,
                                                 const char    *server_url);
OrdStore      *ord_sync_client_get_store        (OrdSyncClient *self);
const char    *ord_sync_client_get_server_url   (OrdSyncClient *self);
OrdSyncState   ord_sync_client_get_state        (OrdSyncClient *self);
gint64         ord_sync_client_get_pending_count (OrdSyncClient *self);
gint64         ord_sync_client_get_last_success (OrdSyncClient *self);
const char    *ord_sync_client_get_last_error   (OrdSyncClient *self);

/* Development servers (--no-auth) take the role and subject as headers. */
void           ord_sync_client_set_identity     (OrdSyncClient *self,
                                                 OrdRole        role,
                                                 const char    *subject);
/* Sent as "Authorization: Bearer"; kept in memory only. */
void           ord_sync_client_set_access_token (OrdSyncClient *self,
                                                 const char    *token);
/* At most this many mutations per push (1 to 500; default 500). */
void           ord_sync_client_set_batch_size   (OrdSyncClient *self,
                                                 guint          batch_size);

/* One push of the whole outbox and pull to the newest cursor, blocking the
 * calling thread (for orderlyctl and tests; never the main thread of the
 * app). It uses its own connection to the database file. */
gboolean       ord_sync_client_sync_once        (OrdSyncClient *self,
                                                 GCancellable  *cancellable,
                                                 OrdSyncStats  *stats,
                                                 GError       **error);
/* The same in a worker thread. */
void           ord_sync_client_sync_async       (OrdSyncClient       *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       ord_sync_client_sync_finish      (OrdSyncClient       *self,
                                                 GAsyncResult        *result,
                                                 OrdSyncStats        *stats,
                                                 GError             **error);

/* Keeps the device in sync on its own: after local changes, when the
 * server announces a new cursor on its live channel, when the network
 * comes back, and with backoff after failures. */
void           ord_sync_client_start            (OrdSyncClient *self);
void           ord_sync_client_stop             (OrdSyncClient *self);
void           ord_sync_client_request_sync     (OrdSyncClient *self);

G_END_DECLS
