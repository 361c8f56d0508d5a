/* ord-sync-controller.h: keeps a store in sync with the server the settings name
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-core.h"
#include "ord-sync-client.h"

G_BEGIN_DECLS

#define ORD_SYNC_CONTROLLER_ERROR (ord_sync_controller_error_quark ())

typedef enum
{
  ORD_SYNC_CONTROLLER_ERROR_INVALID_URL,  /* not an http(s) address with a host */
  ORD_SYNC_CONTROLLER_ERROR_INSECURE_URL, /* http:// to a host that is not this computer */
} OrdSyncControllerError;

GQuark              ord_sync_controller_error_quark   (void);

/* The rule for a server address, shared with Preferences: empty (no sync),
 * https:// with a host, or http:// to this computer only (127.0.0.1,
 * ::1, localhost), because the sign-in token must never cross a network in
 * clear text. */
gboolean            ord_sync_check_server_url         (const char          *url,
                                                       GError             **error);

#define ORD_TYPE_SYNC_CONTROLLER (ord_sync_controller_get_type ())
G_DECLARE_FINAL_TYPE (OrdSyncController, ord_sync_controller, ORD, SYNC_CONTROLLER, GObject)

/* Properties (read-only unless said, notified on the main thread):
 * store (construct-only), server-url (read-write; follows the
 * "server-url" setting when there are settings), configured (a valid
 * address is set), state (OrdSyncState), pending-count, last-success (µs
 * since the epoch, 0 = never), last-error (words a person can act on, or
 * NULL), client (the OrdSyncClient now in use, or NULL). */
OrdSyncController  *ord_sync_controller_new           (OrdStore          *store,
                                                       GSettings         *settings);
/* Follows the settings and keeps the store in sync while an address is
 * set; stop() ends both. Neither blocks the main loop. */
void                ord_sync_controller_start         (OrdSyncController *self);
void                ord_sync_controller_stop          (OrdSyncController *self);
gboolean            ord_sync_controller_is_started    (OrdSyncController *self);

OrdStore           *ord_sync_controller_get_store     (OrdSyncController *self);
const char         *ord_sync_controller_get_server_url (OrdSyncController *self);
void                ord_sync_controller_set_server_url (OrdSyncController *self,
                                                        const char        *url);
gboolean            ord_sync_controller_get_configured (OrdSyncController *self);
OrdSyncState        ord_sync_controller_get_state     (OrdSyncController *self);
gint64              ord_sync_controller_get_pending_count (OrdSyncController *self);
gint64              ord_sync_controller_get_last_success (OrdSyncController *self);
const char         *ord_sync_controller_get_last_error (OrdSyncController *self);
OrdSyncClient      *ord_sync_controller_get_client    (OrdSyncController *self);

/* Syncs as soon as possible (the indicator's "Sync Now"); waits for a run
 * already going. Does nothing without a server. */
void                ord_sync_controller_sync_now      (OrdSyncController *self);

/* Sign-in's place: the access token (kept in memory only) sent as
 * "Authorization: Bearer"; NULL = none (a server run with --no-auth on
 * this computer). A new token reconnects with it. */
void                ord_sync_controller_set_access_token (OrdSyncController *self,
                                                          const char        *token);

/* Runs the main context until the runs of stopped clients have ended (they
 * are cancelled when stopped), at most @timeout_ms: for a clean exit. */
void                ord_sync_controller_drain         (guint              timeout_ms);

G_END_DECLS
