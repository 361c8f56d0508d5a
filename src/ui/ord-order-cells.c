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
