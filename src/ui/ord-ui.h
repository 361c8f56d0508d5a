/* ord-ui.h: what the desktop application's files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_UI_RESOURCE_PATH "/io/github/orderly/Orderly"

/* Registers the widget templates, style sheets and icons; safe to call
 * more than once. */
void ord_ui_ensure_resources (void);

G_END_DECLS
