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

/* What a page does once asked whether to drop its form's changes before
 * it shows @id (NULL: a new record): @discard is the answer. */
typedef void (*OrdDiscardFunc) (GtkWidget  *page,
                                const char *id,
                                gboolean    discard);

/* Asks, over @page's window, whether to discard the changes of its form
 * (@body says which), then calls @func, unless @page is gone by then. */
void ord_ask_discard_changes (GtkWidget      *page,
                              const char     *body,
                              const char     *id,
                              OrdDiscardFunc  func);

/* How many list rows, @above pixels below the top of @window, its next
 * frame can show at most: from the window's height once it is shown, else
 * the height it opens at (@maximized: its monitor's). Rows are at least
 * ORD_UI_MIN_ROW_HEIGHT high; a list builds that many rows for its first
 * frame (OrdRowModel). */
#define ORD_UI_MIN_ROW_HEIGHT 24
guint ord_ui_first_screen_rows (GtkWindow *window,
                                gboolean   maximized,
                                int        above);

G_END_DECLS
