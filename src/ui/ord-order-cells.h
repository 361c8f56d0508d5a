/* ord-order-cells.h: what the cells of an order list show, shared by the
 * column views of the Orders page and the Dashboard
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ord-core.h"
#include "ord-row-model.h"

G_BEGIN_DECLS

/* The columns of an order list. */
typedef enum
{
  ORD_ORDER_CELL_NUMBER,
  ORD_ORDER_CELL_CUSTOMER,
  ORD_ORDER_CELL_CREATED,
  ORD_ORDER_CELL_DUE,
  ORD_ORDER_CELL_ITEMS,
  ORD_ORDER_CELL_TOTAL,
  ORD_ORDER_CELL_STATUS,
} OrdOrderCell;

/* The handler of a secondary click on a cell: the list item comes first,
 * then GtkGestureClick::pressed's arguments, then the gesture. */
typedef void (*OrdOrderCellPressed) (GtkListItem     *item,
                                     int              n_press,
                                     double           x,
                                     double           y,
                                     GtkGestureClick *gesture);

/* A factory for one column's cells, for a list of OrdRow (OrdRowModel).
 * A GtkColumnView keeps 200 rows alive (GTK 4.8), so cells are built in C
 * (no GtkBuilder per cell) from OrdCellText, whose size does not depend
 * on its text, and follow their row's order and its properties while
 * bound. @pressed (nullable) gets a secondary click on a cell. */
GtkListItemFactory *ord_order_cell_factory_new (OrdOrderCell        cell,
                                                OrdOrderCellPressed pressed);

/* Sets @column's factory to ord_order_cell_factory_new (@cell, @pressed). */
void    ord_column_set_cells     (GtkColumnViewColumn *column,
                                  OrdOrderCell         cell,
                                  OrdOrderCellPressed  pressed);

/* The text of a cell (what the factory shows), also for tests. */
char   *ord_order_cell_text      (OrdOrderCell  cell,
                                  OrdOrder     *order);

/* Column sorting. GTK 4.8 cannot tell which column of a GtkColumnView
 * sorts first (gtk_column_view_sorter_get_primary_sort_column() is 4.10):
 * each column's sorter marks what it compares with its key, and
 * ord_column_view_sorter_get_key() asks the view's sorter with two probes. */
void      ord_column_set_sort_key        (GtkColumnViewColumn *column,
                                          guint                key);
gboolean  ord_column_view_sorter_get_key (GtkSorter           *sorter,
                                          guint               *key,
                                          gboolean            *descending);

G_END_DECLS
