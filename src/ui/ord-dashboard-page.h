/* ord-dashboard-page.h: the owner's dashboard: counts per status, every
 * order in a table, status changes on many orders at once, one order's detail
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"
#include "ord-order-list-model.h"

G_BEGIN_DECLS

#define ORD_TYPE_DASHBOARD_PAGE (ord_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (OrdDashboardPage, ord_dashboard_page, ORD, DASHBOARD_PAGE, AdwBin)

/* What the counters filter by: one status, every order, or "delivered
 * today" (delivered, last changed since local midnight). */
#define ORD_DASHBOARD_FILTER_ALL             "all"
#define ORD_DASHBOARD_FILTER_DELIVERED_TODAY "delivered-today"
#define ORD_DASHBOARD_FILTER_ATTENTION       "attention"

OrdDashboardPage  *ord_dashboard_page_new         (OrdContext       *context);
OrdContext        *ord_dashboard_page_get_context (OrdDashboardPage *self);
/* NULL when the context has no store. */
OrdOrderListModel *ord_dashboard_page_get_model   (OrdDashboardPage *self);
/* "all", a status ("pending", …), "delivered-today" or "attention". */
const char        *ord_dashboard_page_get_filter  (OrdDashboardPage *self);
void               ord_dashboard_page_set_filter  (OrdDashboardPage *self,
                                                   const char       *filter);
/* The words the list is searched for (the window's search entry). */
/* As a click on the header of @key's column (by status: SORT_BY_STATUS is
 * not a key of the store's; here ORD_N_SORT_KEYS). */
void               ord_dashboard_page_sort_by     (OrdDashboardPage *self,
                                                   guint             key,
                                                   gboolean          descending);
/* Whether the table has been given all of its rows (see OrdRowModel). */
gboolean           ord_dashboard_page_is_list_whole (OrdDashboardPage *self);
void               ord_dashboard_page_set_search  (OrdDashboardPage *self,
                                                   const char       *text);

G_END_DECLS
