/* ord-preferences-window.h: the Preferences window: shop details and sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ORD_TYPE_PREFERENCES_WINDOW (ord_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (OrdPreferencesWindow, ord_preferences_window, ORD, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

gboolean              ord_preferences_window_can_edit (GSettings *settings);
OrdPreferencesWindow *ord_preferences_window_new      (GSettings *settings);

G_END_DECLS
