/* ord-order-cells.c: what the cells of an order list show
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-cells"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-order-cells.h"
#include "ord-ui-format.h"

char *
ord_order_cell_customer (GtkListItem *item,
                         const char  *name)
{
  if (name == NULL || name[0] == '\0')
    return g_strdup (_("No customer"));

  return g_strdup (name);
}

char *
ord_order_cell_total (GtkListItem *item,
                      gint64       total,
                      const char  *currency)
{
  if (currency == NULL)
    return g_strdup ("");

  return ord_format_order_total (total, currency);
}

char *
ord_order_cell_status (GtkListItem *item,
                       OrdStatus    status)
{
  if ((guint) status >= ORD_N_STATUSES)
    return g_strdup ("");

  return g_strdup (ord_status_get_label (status));
}

char **
ord_order_cell_status_css_classes (GtkListItem *item,
                                   OrdStatus    status)
{
  char **classes = g_new0 (char *, 3);

  classes[0] = g_strdup ("status-pill");
  classes[1] = g_strdup (ord_status_css_class (status));

  return classes;
}

#define SORT_KEY_DATA "ord-sort-key"

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  g_object_set_data ((GObject *) a, SORT_KEY_DATA, user_data);

  return GTK_ORDERING_SMALLER;
}

/**
 * ord_column_set_sort_key:
 * @column: a column of a GtkColumnView
 * @key: what it sorts by, for ord_column_view_sorter_get_key()
 *
 * Makes @column sortable; the list itself is sorted by whoever reads the
 * key (the store, for the order lists), not by the sorter.
 */
void
ord_column_set_sort_key (GtkColumnViewColumn *column,
                         guint                key)
{
  g_autoptr(GtkSorter) sorter = NULL;

  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare, GUINT_TO_POINTER (key + 1), NULL));
  gtk_column_view_column_set_sorter (column, sorter);
}

/**
 * ord_column_view_sorter_get_key:
 * @sorter: a GtkColumnView's sorter
 * @key: (out): the key of the column that sorts first
 * @descending: (out): its direction
 *
 * Returns: %FALSE when no column sorts
 */
gboolean
ord_column_view_sorter_get_key (GtkSorter *sorter,
                                guint     *key,
                                gboolean  *descending)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering ordering = gtk_sorter_compare (sorter, a, b);
  gpointer data = g_object_get_data (a, SORT_KEY_DATA);

  if (data == NULL)
    return FALSE;
  *key = GPOINTER_TO_UINT (data) - 1;
  *descending = ordering == GTK_ORDERING_LARGER;

  return TRUE;
}

/**
 * ord_order_cells_bind:
 * @widget_class: a class with a template whose order cells use them
 *
 * Binds the cell functions to the closure names the templates use.
 */
void
ord_order_cells_bind (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback_full (widget_class, "customer_label",
                                                G_CALLBACK (ord_order_cell_customer));
  gtk_widget_class_bind_template_callback_full (widget_class, "total_label",
                                                G_CALLBACK (ord_order_cell_total));
  gtk_widget_class_bind_template_callback_full (widget_class, "status_label",
                                                G_CALLBACK (ord_order_cell_status));
  gtk_widget_class_bind_template_callback_full (widget_class, "status_css_classes",
                                                G_CALLBACK (ord_order_cell_status_css_classes));
}
