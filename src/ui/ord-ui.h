/* ord-ui.h: what the desktop application's files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ORD_UI_RESOURCE_PATH "/io/github/orderly/Orderly"

/* Registers the widget templates, style sheets and icons; safe to call
 * more than once. */
void ord_ui_ensure_resources (void);

/* Adds a "Reason" entry to @dialog; @response is enabled only while the
 * entry holds more than blanks. Returns the entry. */
GtkEditable *ord_message_dialog_add_reason (AdwMessageDialog *dialog,
                                            const char       *response);

/* How many list rows, @above pixels below the top of @window, its next
 * frame can show at most: from the window's height once it is shown, else
 * the height it opens at (@maximized: its monitor's). Rows are at least
 * ORD_UI_MIN_ROW_HEIGHT high; a list builds that many rows for its first
 * frame (OrdRowModel). */
#define ORD_UI_MIN_ROW_HEIGHT 24
guint ord_window_first_screen_rows (GtkWindow *window,
                                    gboolean   maximized,
                                    int        above);

G_END_DECLS
