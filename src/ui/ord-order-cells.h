/* ord-order-cells.h: what the cells of an order list show, shared by the
 * column views of the Orders page and the Dashboard
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ord-core.h"

G_BEGIN_DECLS

char   *ord_order_cell_customer  (GtkListItem *item,
                                  const char  *name);
char   *ord_order_cell_total     (GtkListItem *item,
                                  gint64       total,
                                  const char  *currency);
char   *ord_order_cell_status    (GtkListItem *item,
                                  OrdStatus    status);
char  **ord_order_cell_status_css_classes (GtkListItem *item,
                                           OrdStatus    status);

/* Column sorting. GTK 4.8 cannot tell which column of a GtkColumnView
 * sorts first (gtk_column_view_sorter_get_primary_sort_column() is 4.10):
 * each column's sorter marks what it compares with its key, and
 * ord_column_view_sorter_get_key() asks the view's sorter with two probes. */
void      ord_column_set_sort_key        (GtkColumnViewColumn *column,
                                          guint                key);
gboolean  ord_column_view_sorter_get_key (GtkSorter           *sorter,
                                          guint               *key,
                                          gboolean            *descending);

/* Binds the functions above to a template's closures "customer_label",
 * "total_label", "status_label" and "status_css_classes". */
void    ord_order_cells_bind     (GtkWidgetClass *widget_class);

G_END_DECLS
