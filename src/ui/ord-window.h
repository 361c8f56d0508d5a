/* ord-window.h: the main window: the orders, or what to do without any
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"
#include "ord-order-list-model.h"

G_BEGIN_DECLS

#define ORD_TYPE_WINDOW (ord_window_get_type ())
G_DECLARE_FINAL_TYPE (OrdWindow, ord_window, ORD, WINDOW, AdwApplicationWindow)

OrdWindow         *ord_window_new         (GtkApplication *application,
                                           OrdContext     *context);
OrdContext        *ord_window_get_context (OrdWindow      *self);
/* NULL when the database could not be opened. */
OrdOrderListModel *ord_window_get_model   (OrdWindow      *self);

G_END_DECLS
