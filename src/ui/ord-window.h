/* ord-window.h: the main window: a view switcher over the orders, the
 * dashboard and what other pages are added
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"
#include "ord-dashboard-page.h"
#include "ord-order-list-model.h"

G_BEGIN_DECLS

#define ORD_TYPE_WINDOW (ord_window_get_type ())
G_DECLARE_FINAL_TYPE (OrdWindow, ord_window, ORD, WINDOW, AdwApplicationWindow)

OrdWindow         *ord_window_new         (GtkApplication *application,
                                           OrdContext     *context);
OrdContext        *ord_window_get_context (OrdWindow      *self);
/* NULL when the database could not be opened. */
OrdOrderListModel *ord_window_get_model   (OrdWindow      *self);
gboolean           ord_window_is_list_whole (OrdWindow    *self);
void               ord_window_sort_by     (OrdWindow      *self,
                                           OrdSortKey      key,
                                           gboolean        descending);
void               ord_window_search      (OrdWindow      *self,
                                           const char     *text);
/* The dashboard page, once it has been shown; else NULL. */
OrdDashboardPage  *ord_window_get_dashboard (OrdWindow    *self);

/* Adds a page to the view switcher (after the others); the page is a
 * widget such as xxx_page_new (ord_window_get_context (window)). */
AdwViewStackPage  *ord_window_add_page    (OrdWindow      *self,
                                           GtkWidget      *page,
                                           const char     *name,
                                           const char     *title,
                                           const char     *icon_name);
/* Puts @widget (nullable) at the start of the header bar, before the
 * buttons: a status indicator such as the sync state. */
void               ord_window_set_header_extra (OrdWindow *self,
                                                GtkWidget *widget);

G_END_DECLS
