/* ord-sync-indicator.h: the header bar's sync status, with a popover
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-sync-controller.h"

G_BEGIN_DECLS

#define ORD_TYPE_SYNC_INDICATOR (ord_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (OrdSyncIndicator, ord_sync_indicator, ORD, SYNC_INDICATOR, AdwBin)

/* A menu button whose icon tells the sync state; its popover says it in
 * words: the state, the changes waiting, the last sync, the last error, a
 * "Sync Now" button (action "sync.now") and, when no server is set or
 * syncing fails, a way to Preferences (app.preferences). */
GtkWidget          *ord_sync_indicator_new            (OrdSyncController *controller);
OrdSyncController  *ord_sync_indicator_get_controller (OrdSyncIndicator  *self);

/* "Just now", "5 minutes ago", "Yesterday at 14:05", "Never" (@when and
 * @now in µs since the epoch; @when 0 = never). */
char               *ord_sync_format_last_success      (gint64             when,
                                                       gint64             now);

G_END_DECLS
