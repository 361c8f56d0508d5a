/* ord-order-cells.c: what the cells of an order list show
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-cells"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-order-cells.h"
#include "ord-ui-format.h"

/* What each column shows, the property it follows, and how it looks. */
typedef struct
{
  const char *signal;       /* "notify::property": the cell shows it */
  const char *signal2;      /* another, or NULL */
  const char *css_class;    /* besides "numeric" when @numeric */
  gboolean    numeric;
  float       xalign;
  guint       min_chars;
  guint       nat_chars;
  GtkInscriptionOverflow overflow;
} CellInfo;

static const CellInfo cell_info[] = {
  [ORD_ORDER_CELL_NUMBER] = { "notify::number", NULL, "order-number", TRUE, 0.f, 6, 10,
                              GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END },
  [ORD_ORDER_CELL_CUSTOMER] = { "notify::customer-name", NULL, NULL, FALSE, 0.f, 12, 24,
                                GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END },
  [ORD_ORDER_CELL_CREATED] = { "notify::created-at", NULL, NULL, TRUE, 0.f, 8, 18,
                               GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END },
  [ORD_ORDER_CELL_DUE] = { "notify::due-at", NULL, NULL, TRUE, 0.f, 8, 18,
                           GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END },
  [ORD_ORDER_CELL_ITEMS] = { "notify::item-count", NULL, NULL, TRUE, 1.f, 2, 4,
                             GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END },
  [ORD_ORDER_CELL_TOTAL] = { "notify::total", "notify::currency", "order-total", TRUE, 1.f, 6, 12,
                             GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_START },
  [ORD_ORDER_CELL_STATUS] = { "notify::status", NULL, NULL, FALSE, 0.f, 0, 0,
                              GTK_INSCRIPTION_OVERFLOW_CLIP },
};

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
      now = g_date_time_new_now_local ();
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

#define CELL_HANDLER_DATA "ord-order-cell-handler"

static void
cell_update (GtkListItem  *item,
             OrdOrderCell  cell)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  OrdOrder *order = gtk_list_item_get_item (item);
  g_autofree char *text = ord_order_cell_text (cell, order);

  if (cell == ORD_ORDER_CELL_STATUS)
    {
      const char *classes[] = { "status-pill", NULL, NULL };

      if (order != NULL)
        classes[1] = ord_status_css_class (ord_order_get_status (order));
      gtk_label_set_label (GTK_LABEL (child), text);
      gtk_widget_set_css_classes (child, classes);
    }
  else
    {
      gtk_inscription_set_text (GTK_INSCRIPTION (child), text);
    }
}

static void
on_order_notify (OrdOrder    *order,
                 GParamSpec  *pspec,
                 GtkListItem *item)
{
  CellFactory *factory = g_object_get_data (G_OBJECT (item), "ord-order-cell");

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
      gtk_widget_set_halign (child, GTK_ALIGN_START);
      gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
    }
  else
    {
      child = g_object_new (GTK_TYPE_INSCRIPTION,
                            "xalign", info->xalign,
                            "min-chars", info->min_chars,
                            "nat-chars", info->nat_chars,
                            "text-overflow", info->overflow,
                            "hexpand", TRUE,
                            NULL);
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

  g_object_set_data (G_OBJECT (item), "ord-order-cell", cf);
  gtk_list_item_set_child (item, child);
}

static void
on_bind (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         CellFactory              *cf)
{
  const CellInfo *info = &cell_info[cf->cell];
  OrdOrder *order = gtk_list_item_get_item (item);

  cell_update (item, cf->cell);
  if (order == NULL)
    return;

  /* The list updates the orders it gave out in place. */
  g_object_set_data (G_OBJECT (item), CELL_HANDLER_DATA,
                     GSIZE_TO_POINTER (g_signal_connect_data (order,
                                                             info->signal,
                                                             G_CALLBACK (on_order_notify),
                                                             item, NULL, 0)));
  if (info->signal2)
    g_object_set_data (G_OBJECT (item), CELL_HANDLER_DATA "2",
                       GSIZE_TO_POINTER (g_signal_connect_data (order,
                                                               info->signal2,
                                                               G_CALLBACK (on_order_notify),
                                                               item, NULL, 0)));
}

static void
on_unbind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CellFactory              *cf)
{
  OrdOrder *order = gtk_list_item_get_item (item);
  static const char *const keys[] = { CELL_HANDLER_DATA, CELL_HANDLER_DATA "2" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gulong handler = GPOINTER_TO_SIZE (g_object_steal_data (G_OBJECT (item), keys[i]));

      if (handler != 0 && order != NULL)
        g_signal_handler_disconnect (order, handler);
    }
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
  g_object_set_data_full (G_OBJECT (factory), "ord-order-cell", cf, g_free);
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

/* First screen */

#define FIRST_SCREEN_ROWS_DATA "ord-first-screen-rows"
#define FIRST_SCREEN_VIEW_DATA "ord-first-screen-view"

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_first_paint (GdkFrameClock     *clock,
                GtkSliceListModel *slice)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, slice);
  gtk_slice_list_model_set_size (slice, G_MAXUINT);
}

static void
grow_after_next_frame (GtkWidget         *view,
                       GtkSliceListModel *slice)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);

  g_signal_handlers_disconnect_by_func (clock, on_first_paint, slice);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint), slice, 0);
}

static void
on_view_map (GtkWidget         *view,
             GtkSliceListModel *slice)
{
  g_signal_handlers_disconnect_by_func (view, on_view_map, slice);
  grow_after_next_frame (view, slice);
}

/* Returns FALSE: the event goes on to the view. */
static gboolean
on_view_input (GtkSliceListModel *slice)
{
  gtk_slice_list_model_set_size (slice, G_MAXUINT);

  return FALSE;
}

/* A new query empties the list, then fills it: the frame that shows it
 * builds a screenful again. */
static void
on_model_changed (GListModel        *model,
                  guint              position,
                  guint              removed,
                  guint              added,
                  GtkSliceListModel *slice)
{
  g_autoptr(GtkWidget) view = NULL;

  if (removed == 0 || added != 0 || g_list_model_get_n_items (model) != 0)
    return;
  view = g_weak_ref_get (g_object_get_data (G_OBJECT (slice), FIRST_SCREEN_VIEW_DATA));
  if (view == NULL || !gtk_widget_get_mapped (view))
    return;

  gtk_slice_list_model_set_size (slice, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (slice),
                                                                             FIRST_SCREEN_ROWS_DATA)));
  grow_after_next_frame (view, slice);
}

/**
 * ord_first_screen_model_new:
 * @model: the whole list
 * @view: the widget that shows it
 * @rows: how many rows its first frame can show, at most
 *
 * Returns: (transfer full): a model of @model's first @rows rows until
 *   @view's first frame, and of all of them after it; again after each
 *   time @model empties
 */
GListModel *
ord_first_screen_model_new (GListModel *model,
                            GtkWidget  *view,
                            guint       rows)
{
  GtkSliceListModel *slice;
  GtkEventController *key;
  GtkGesture *click;
  GWeakRef *view_ref;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  rows = MAX (rows, 1);
  slice = gtk_slice_list_model_new (g_object_ref (model), 0, rows);
  g_object_set_data (G_OBJECT (slice), FIRST_SCREEN_ROWS_DATA, GUINT_TO_POINTER (rows));
  /* The view holds the slice, not the other way round. */
  view_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (view_ref, view);
  g_object_set_data_full (G_OBJECT (slice), FIRST_SCREEN_VIEW_DATA, view_ref, weak_ref_free);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_model_changed), slice, 0);
  if (gtk_widget_get_mapped (view))
    on_view_map (view, slice);
  else
    g_signal_connect_object (view, "map", G_CALLBACK (on_view_map), slice, 0);

  /* What the user does acts on the whole list: Ctrl+A selects every row,
   * End goes to the last one, even within a frame of a new query. */
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (on_view_input), slice, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, key);
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_view_input), slice, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));

  return G_LIST_MODEL (slice);
}

gboolean
ord_first_screen_model_is_whole (GListModel *first_screen)
{
  g_return_val_if_fail (GTK_IS_SLICE_LIST_MODEL (first_screen), FALSE);

  return gtk_slice_list_model_get_size (GTK_SLICE_LIST_MODEL (first_screen)) == G_MAXUINT;
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
