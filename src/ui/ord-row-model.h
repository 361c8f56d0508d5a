/* ord-row-model.h: the rows a column view of orders shows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ord-core.h"

G_BEGIN_DECLS

/* A row of the view: the order it shows, which changes when the row is
 * reused for another order ("notify::order"). */
#define ORD_TYPE_ROW (ord_row_get_type ())
G_DECLARE_FINAL_TYPE (OrdRow, ord_row, ORD, ROW, GObject)

OrdOrder *ord_row_get_order (OrdRow *self);

#define ORD_TYPE_ROW_MODEL (ord_row_model_get_type ())
G_DECLARE_FINAL_TYPE (OrdRowModel, ord_row_model, ORD, ROW_MODEL, GObject)

/* A GListModel of OrdRow, one for each order of @orders (a GListModel of
 * OrdOrder), made for @view, a GtkColumnView or GtkListView that shows
 * the whole list: @screenful is how many rows it can show at once. */
OrdRowModel *ord_row_model_new         (GListModel  *orders,
                                        GtkWidget   *view,
                                        guint        screenful);
/* A GtkMultiSelection of @rows' rows for the view, taking @rows'
 * reference as gtk_multi_selection_new() does. A new query (below) clears
 * it: the rows it would keep selected are given other orders. */
GtkSelectionModel *ord_row_model_new_selection (OrdRowModel *rows);

/* Around a change of @orders' query (sort, search, filter): the rows the
 * view has are reused for the new query's first rows, with nothing
 * selected, and the view starts at the top. */
void         ord_row_model_begin_query (OrdRowModel *self);
void         ord_row_model_end_query   (OrdRowModel *self);

/* Whether the model gives all of @orders' rows (it gives a screenful until
 * the frame after start-up or after a query that needs new rows). */
gboolean     ord_row_model_is_whole    (OrdRowModel *self);

/* The order at @position of a GListModel of OrdRow (of a selection model
 * of one, say); (transfer full), or %NULL. */
OrdOrder    *ord_rows_get_order        (GListModel  *rows,
                                        guint        position);

G_END_DECLS
