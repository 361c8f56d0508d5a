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

G_END_DECLS
