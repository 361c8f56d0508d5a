/* ord-order-cells.c: what the cells of an order list show
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-cells"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-cell-text.h"
#include "ord-order-cells.h"
#include "ord-ui-format.h"

/* What each column shows, the property it follows, and how it looks. */
typedef struct
{
  const char *property;     /* of the order: the cell shows it */
  const char *property2;    /* another, or NULL */
  const char *css_class;    /* besides "numeric" when @numeric */
  gboolean    numeric;
  float       xalign;
  guint       min_chars;
  guint       nat_chars;
  PangoEllipsizeMode ellipsize;
} CellInfo;

static const CellInfo cell_info[] = {
  [ORD_ORDER_CELL_NUMBER] = { "number", NULL, "order-number", TRUE, 0.f, 6, 10,
                              PANGO_ELLIPSIZE_END },
  [ORD_ORDER_CELL_CUSTOMER] = { "customer-name", NULL, NULL, FALSE, 0.f, 12, 24,
                                PANGO_ELLIPSIZE_END },
  [ORD_ORDER_CELL_CREATED] = { "created-at", NULL, NULL, TRUE, 0.f, 8, 18,
                               PANGO_ELLIPSIZE_END },
  [ORD_ORDER_CELL_DUE] = { "due-at", NULL, NULL, TRUE, 0.f, 8, 18,
                           PANGO_ELLIPSIZE_END },
  [ORD_ORDER_CELL_ITEMS] = { "item-count", NULL, NULL, TRUE, 1.f, 2, 4,
                             PANGO_ELLIPSIZE_END },
  [ORD_ORDER_CELL_TOTAL] = { "total", "currency", "order-total", TRUE, 1.f, 6, 12,
                             PANGO_ELLIPSIZE_START },
  [ORD_ORDER_CELL_STATUS] = { "status", NULL, NULL, FALSE, 0.f, 0, 0,
                              PANGO_ELLIPSIZE_NONE },
};

/* The present, for the times of the rows: one clock and time zone
 * lookup a second, not two a row (a new query shows 200 rows). */
static GDateTime *
now_local (void)
{
  static GDateTime *now;
  static gint64 read_at;
  gint64 monotonic = g_get_monotonic_time ();

  if (now == NULL || monotonic - read_at >= G_USEC_PER_SEC || monotonic < read_at)
    {
      g_clear_pointer (&now, g_date_time_unref);
      now = g_date_time_new_now_local ();
      read_at = monotonic;
    }

  return g_date_time_ref (now);
}

/**
 * ord_order_cell_text:
 * @cell: a column
 * @order: (nullable): the row's order
 *
 * Returns: (transfer full): what the cell shows for @order
 */
char *
ord_order_cell_text (OrdOrderCell  cell,
                     OrdOrder     *order)
{
  g_autoptr(GDateTime) now = NULL;
  const char *name;
  OrdStatus status;

  if (order == NULL)
    return g_strdup ("");

  switch (cell)
    {
    case ORD_ORDER_CELL_NUMBER:
      return g_strdup (ord_order_get_number (order));

    case ORD_ORDER_CELL_CUSTOMER:
      name = ord_order_get_customer_name (order);
      return g_strdup (name != NULL && name[0] != '\0' ? name : _("No customer"));

    case ORD_ORDER_CELL_CREATED:
    case ORD_ORDER_CELL_DUE:
      now = now_local ();
      return ord_format_order_time (cell == ORD_ORDER_CELL_CREATED ? ord_order_get_created_at (order)
                                                                    : ord_order_get_due_at (order),
                                    now);

    case ORD_ORDER_CELL_ITEMS:
      return g_strdup_printf ("%u", ord_order_get_item_count (order));

    case ORD_ORDER_CELL_TOTAL:
      if (ord_order_get_currency (order) == NULL)
        return g_strdup ("");
      return ord_format_order_total (ord_order_get_total (order), ord_order_get_currency (order));

    case ORD_ORDER_CELL_STATUS:
      status = ord_order_get_status (order);
      return g_strdup ((guint) status < ORD_N_STATUSES ? ord_status_get_label (status) : "");

    default:
      g_return_val_if_reached (NULL);
    }
}

typedef struct
{
  OrdOrderCell        cell;
  OrdOrderCellPressed pressed;
} CellFactory;

/* What a bound cell follows: its row. */
typedef struct
{
  OrdRow *row;              /* (weak): the list item's item */
  gulong  order_handler;
  gulong  notify_handler;
} CellBinding;

#define CELL_FACTORY_DATA "ord-order-cell"
#define CELL_BINDING_DATA "ord-order-cell-binding"

static void
cell_update (GtkListItem  *item,
             OrdOrderCell  cell)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  OrdRow *row = gtk_list_item_get_item (item);
  OrdOrder *order = row != NULL ? ord_row_get_order (row) : NULL;
  g_autofree char *text = ord_order_cell_text (cell, order);

  if (cell == ORD_ORDER_CELL_STATUS)
    {
      const char *classes[] = { "status-pill", NULL, NULL };

      if (order != NULL)
        classes[1] = ord_status_css_class (ord_order_get_status (order));
      gtk_label_set_label (GTK_LABEL (child), text);
      /* A new style costs more than the text: only when it changes. */
      if (g_object_get_data (G_OBJECT (child), "ord-status-class") != classes[1])
        {
          gtk_widget_set_css_classes (child, classes);
          g_object_set_data (G_OBJECT (child), "ord-status-class", (gpointer) classes[1]);
        }
    }
  else
    {
      ord_cell_text_set_text (ORD_CELL_TEXT (child), text);
    }
}

/* The row shows another order (the view reused it for a new query). */
static void
on_row_order (OrdRow      *row,
              GParamSpec  *pspec,
              GtkListItem *item)
{
  CellFactory *factory = g_object_get_data (G_OBJECT (item), CELL_FACTORY_DATA);

  cell_update (item, factory->cell);
}

/* The row's order changed in place (the list updates the orders it gave
 * out): only what the cell shows matters. */
static void
on_row_order_notify (OrdRow      *row,
                     GParamSpec  *pspec,
                     GtkListItem *item)
{
  CellFactory *factory = g_object_get_data (G_OBJECT (item), CELL_FACTORY_DATA);
  const CellInfo *info = &cell_info[factory->cell];

  if (g_strcmp0 (pspec->name, info->property) == 0 || g_strcmp0 (pspec->name, info->property2) == 0)
    cell_update (item, factory->cell);
}

static void
on_setup (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          CellFactory              *cf)
{
  const CellInfo *info = &cell_info[cf->cell];
  GtkWidget *child;

  if (cf->cell == ORD_ORDER_CELL_STATUS)
    {
      child = gtk_label_new (NULL);
      gtk_widget_add_css_class (child, "status-pill");
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
    }
  else
    {
      child = ord_cell_text_new (info->xalign, info->ellipsize, info->min_chars, info->nat_chars,
                                 info->numeric);
      gtk_widget_set_hexpand (child, TRUE);
      if (info->numeric)
        gtk_widget_add_css_class (child, "numeric");
      if (info->css_class)
        gtk_widget_add_css_class (child, info->css_class);
    }

  if (cf->pressed)
    {
      GtkGesture *gesture = gtk_gesture_click_new ();

      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
      g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (cf->pressed), item);
      gtk_widget_add_controller (child, GTK_EVENT_CONTROLLER (gesture));
    }

  g_object_set_data (G_OBJECT (item), CELL_FACTORY_DATA, cf);
  g_object_set_data_full (G_OBJECT (item), CELL_BINDING_DATA, g_new0 (CellBinding, 1), g_free);
  gtk_list_item_set_child (item, child);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         CellFactory              *cf)
{
  CellBinding *binding = g_object_get_data (G_OBJECT (item), CELL_BINDING_DATA);
  OrdRow *row = gtk_list_item_get_item (item);

  cell_update (item, cf->cell);
  if (row == NULL)
    return;

  binding->row = row;
  binding->order_handler = g_signal_connect (row, "notify::order", G_CALLBACK (on_row_order), item);
  binding->notify_handler = g_signal_connect (row, "order-notify", G_CALLBACK (on_row_order_notify),
                                              item);
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CellFactory              *cf)
{
  CellBinding *binding = g_object_get_data (G_OBJECT (item), CELL_BINDING_DATA);

  if (binding->row == NULL)
    return;
  g_clear_signal_handler (&binding->order_handler, binding->row);
  g_clear_signal_handler (&binding->notify_handler, binding->row);
  binding->row = NULL;
}

/**
 * ord_order_cell_factory_new:
 * @cell: the column
 * @pressed: (nullable): called on a secondary click on a cell
 *
 * Returns: (transfer full): a factory for @cell's cells
 */
GtkListItemFactory *
ord_order_cell_factory_new (OrdOrderCell        cell,
                            OrdOrderCellPressed pressed)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellFactory *cf;

  g_return_val_if_fail ((guint) cell < G_N_ELEMENTS (cell_info), NULL);

  cf = g_new0 (CellFactory, 1);
  cf->cell = cell;
  cf->pressed = pressed;
  g_object_set_data_full (G_OBJECT (factory), CELL_FACTORY_DATA, cf, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), cf);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), cf);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), cf);

  return factory;
}

void
ord_column_set_cells (GtkColumnViewColumn *column,
                      OrdOrderCell         cell,
                      OrdOrderCellPressed  pressed)
{
  g_autoptr(GtkListItemFactory) factory = ord_order_cell_factory_new (cell, pressed);

  gtk_column_view_column_set_factory (column, factory);
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
