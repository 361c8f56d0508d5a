/* ord-row-model.c: the rows a column view of orders shows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-row-model"

#include "config.h"

#include "ord-row-model.h"

/*
 * Why rows, and not the orders themselves, are the view's items.
 *
 * A GtkColumnView of GTK 4.8 keeps 200 rows of widgets, whatever its
 * height, and keeps a row's widgets only for the same item: a new sort,
 * search or filter gives new orders at every position, so the view threw
 * away its 200 rows and built new ones (some 400 M instructions, callgrind
 * on a million orders). An OrdRow is what a row of the view shows: between
 * ord_row_model_begin_query() and ord_row_model_end_query(), the rows the
 * view has are given the new query's first orders, and the view, finding
 * the same items at the same positions, keeps their widgets; the cells
 * follow the row's order ("notify::order").
 *
 * Outside a new query, a row follows its order, as the orders follow
 * their ids in OrdOrderListModel: after a refresh the order that moved is
 * the same row in a new place, so the view's selection and focus follow
 * it.
 *
 * The first frame after start-up, or after a query that has more rows
 * than the view has widgets for, gets a screenful of rows; the rest follow
 * in the next frame, or at once on a key press or click in the view (so
 * that Ctrl+A selects every row).
 */

/* The rows of widgets a GtkColumnView keeps (GTK_LIST_VIEW_MAX_LIST_ITEMS). */
#define VIEW_ROWS 200

struct _OrdRow
{
  GObject   parent_instance;

  OrdOrder *order;      /* owned */
  gulong    notify_id;  /* on @order */
  guint     position;   /* where it was last given out: a hint */
};

G_DEFINE_FINAL_TYPE (OrdRow, ord_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_ORDER,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

enum {
  ROW_ORDER_NOTIFY,
  ROW_N_SIGNALS
};

static guint row_signals[ROW_N_SIGNALS];

static void
on_order_notify (OrdOrder   *order,
                 GParamSpec *pspec,
                 OrdRow     *self)
{
  g_signal_emit (self, row_signals[ROW_ORDER_NOTIFY], g_param_spec_get_name_quark (pspec), pspec);
}

/* One handler a row, not one a cell: a reused row changes hands once. */
static void
ord_row_take_order (OrdRow   *self,
                    OrdOrder *order)
{
  if (self->order != NULL)
    g_clear_signal_handler (&self->notify_id, self->order);
  g_set_object (&self->order, order);
  if (order != NULL)
    self->notify_id = g_signal_connect (order, "notify", G_CALLBACK (on_order_notify), self);
}

static void
ord_row_finalize (GObject *object)
{
  OrdRow *self = ORD_ROW (object);

  ord_row_take_order (self, NULL);

  G_OBJECT_CLASS (ord_row_parent_class)->finalize (object);
}

static void
ord_row_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  OrdRow *self = ORD_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_ORDER:
      g_value_set_object (value, self->order);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_row_class_init (OrdRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ord_row_finalize;
  object_class->get_property = ord_row_get_property;

  row_properties[ROW_PROP_ORDER] =
    g_param_spec_object ("order", NULL, NULL,
                         ORD_TYPE_ORDER,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);

  /**
   * OrdRow::order-notify:
   * @row: the row
   * @pspec: the property of the row's order that changed
   *
   * The row's order's #GObject::notify, with its detail (the order's
   * property): a cell follows what it shows through its row.
   */
  row_signals[ROW_ORDER_NOTIFY] =
    g_signal_new ("order-notify",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED | G_SIGNAL_NO_RECURSE,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__PARAM,
                  G_TYPE_NONE, 1, G_TYPE_PARAM);
}

static void
ord_row_init (OrdRow *self)
{
}

static void
ord_row_set_order (OrdRow   *self,
                   OrdOrder *order)
{
  if (self->order == order)
    return;
  ord_row_take_order (self, order);
  g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_ORDER]);
}

/**
 * ord_row_get_order:
 * @self: a row
 *
 * Returns: (transfer none): the order @self shows
 */
OrdOrder *
ord_row_get_order (OrdRow *self)
{
  g_return_val_if_fail (ORD_IS_ROW (self), NULL);

  return self->order;
}

struct _OrdRowModel
{
  GObject     parent_instance;

  GListModel *orders;      /* owned */
  GWeakRef    view;
  guint       screenful;

  GHashTable *rows;        /* OrdOrder → OrdRow (weak): every row given out */
  guint       n_orders;    /* of @orders, as last passed on */
  guint       limit;       /* the most rows given: G_MAXUINT, or a screenful */
  guint       n_shown;     /* MIN (n_orders, limit), but for within a change */
  GtkSelectionModel *selection;  /* (weak) the view's, ord_row_model_new_selection () */
  guint       frozen;      /* begin_query () depth */
  gboolean    frozen_changed;  /* @orders changed since begin_query () */
  gulong      map_id;
  GdkFrameClock *clock;    /* (weak) whose next frame grows the list */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OrdRowModel, ord_row_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
on_row_finalized (gpointer  data,
                  GObject  *where_the_object_was)
{
  OrdRowModel *self = data;
  OrdRow *row = (OrdRow *) where_the_object_was;

  /* Still readable: weak references are notified before finalize. A
   * reused row may have left its order to another row. */
  if (row->order != NULL && g_hash_table_lookup (self->rows, row->order) == row)
    g_hash_table_remove (self->rows, row->order);
}

/* The row for @order (transfer full), at @position. */
static OrdRow *
row_for (OrdRowModel *self,
         OrdOrder    *order,
         guint        position)
{
  OrdRow *row = g_hash_table_lookup (self->rows, order);

  if (row == NULL)
    {
      row = g_object_new (ORD_TYPE_ROW, NULL);
      ord_row_take_order (row, order);
      g_hash_table_insert (self->rows, order, row);
      g_object_weak_ref (G_OBJECT (row), on_row_finalized, self);
    }
  else
    g_object_ref (row);
  row->position = position;

  return row;
}

static GType
ord_row_model_get_item_type (GListModel *model)
{
  return ORD_TYPE_ROW;
}

static guint
ord_row_model_get_n_items (GListModel *model)
{
  return ORD_ROW_MODEL (model)->n_shown;
}

static gpointer
ord_row_model_get_item (GListModel *model,
                        guint       position)
{
  OrdRowModel *self = ORD_ROW_MODEL (model);
  g_autoptr(OrdOrder) order = NULL;

  if (position >= self->n_shown)
    return NULL;
  order = g_list_model_get_item (self->orders, position);
  if (order == NULL)
    return NULL;

  return row_for (self, order, position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ord_row_model_get_item_type;
  iface->get_n_items = ord_row_model_get_n_items;
  iface->get_item = ord_row_model_get_item;
}

/* Growing to the whole list */

static void
grow (OrdRowModel *self)
{
  guint old = self->n_shown;

  if (self->clock != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->clock, self);
      g_clear_weak_pointer (&self->clock);
    }
  self->limit = G_MAXUINT;
  if (self->frozen > 0)
    return;

  self->n_shown = self->n_orders;
  if (self->n_shown > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, self->n_shown - old);
}

static void
on_after_paint (GdkFrameClock *clock,
                OrdRowModel   *self)
{
  grow (self);
}

static void
grow_after_next_frame (OrdRowModel *self,
                       GtkWidget   *view)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (view);

  if (clock == self->clock)
    return;
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_set_weak_pointer (&self->clock, clock);
  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

static void
on_view_map (GtkWidget   *view,
             OrdRowModel *self)
{
  g_clear_signal_handler (&self->map_id, view);
  if (self->limit != G_MAXUINT)
    grow_after_next_frame (self, view);
}

/* Until the view's next frame (or the one after it is shown), a
 * screenful of rows, or the rows it has widgets for. */
static void
limit_to_screenful (OrdRowModel *self,
                    guint        rows)
{
  g_autoptr(GtkWidget) view = g_weak_ref_get (&self->view);

  if (view == NULL)
    return;

  self->limit = MAX (self->screenful, rows);
  if (gtk_widget_get_mapped (view))
    grow_after_next_frame (self, view);
  else if (self->map_id == 0)
    self->map_id = g_signal_connect (view, "map", G_CALLBACK (on_view_map), self);
}

/* Returns FALSE: the event goes on to the view. */
static gboolean
on_view_input (OrdRowModel *self)
{
  if (self->limit != G_MAXUINT)
    grow (self);

  return FALSE;
}

/* Changes of the orders */

static void
on_orders_changed (GListModel  *orders,
                   guint        position,
                   guint        removed,
                   guint        added,
                   OrdRowModel *self)
{
  guint old_shown = self->n_shown;
  guint new_shown;

  if (self->frozen > 0)
    {
      self->frozen_changed = TRUE;
      return;
    }

  self->n_orders = self->n_orders - removed + added;
  /* Emptied (a refresh that counts other rows empties the list, then
   * fills it): the frame that shows it full again builds a screenful. */
  if (self->n_orders == 0 && removed > 0)
    limit_to_screenful (self, 0);

  new_shown = MIN (self->n_orders, self->limit);
  if (position >= old_shown && position >= new_shown)
    return;

  self->n_shown = new_shown;
  if (removed == added)
    {
      removed = added = MIN (removed, old_shown - position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), position, old_shown - position,
                                new_shown - position);
}

static int
compare_position (gconstpointer a,
                  gconstpointer b)
{
  const OrdRow *x = *(OrdRow * const *) a;
  const OrdRow *y = *(OrdRow * const *) b;

  return (x->position > y->position) - (x->position < y->position);
}

/* The new query's orders: the rows given out (the view's), in their order,
 * are given the first orders; then the view is told that every row
 * changed, the first ones to the same rows, in two signals (one that both
 * removes and adds many rows makes GTK 4.8 ask for every added row). */
static void
replace_all (OrdRowModel *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  guint old_shown = self->n_shown;
  guint new_shown, keep;
  GHashTableIter iter;
  gpointer value;

  /* The rows given out, held while they change hands. */
  rows = g_ptr_array_new_full (g_hash_table_size (self->rows), g_object_unref);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (rows, g_object_ref (value));
  g_ptr_array_sort (rows, compare_position);

  self->n_orders = g_list_model_get_n_items (self->orders);
  if (self->n_orders > rows->len && rows->len < VIEW_ROWS)
    limit_to_screenful (self, rows->len);
  new_shown = MIN (self->n_orders, self->limit);
  keep = MIN (rows->len, new_shown);

  for (guint i = 0; i < keep; i++)
    {
      OrdRow *row = g_ptr_array_index (rows, i);
      g_autoptr(OrdOrder) order = g_list_model_get_item (self->orders, i);

      if (order == NULL)
        {
          keep = i;
          break;
        }
      if (g_hash_table_lookup (self->rows, row->order) == row)
        g_hash_table_remove (self->rows, row->order);
      g_hash_table_insert (self->rows, order, row);
      row->position = i;
      ord_row_set_order (row, order);
    }

  self->n_shown = keep;
  if (old_shown > 0 || keep > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_shown, keep);
  self->n_shown = new_shown;
  if (new_shown > keep)
    g_list_model_items_changed (G_LIST_MODEL (self), keep, 0, new_shown - keep);
}

/**
 * ord_row_model_begin_query:
 * @self: a row model
 *
 * Changes of the orders from now on to ord_row_model_end_query() are a
 * new query: they reach the view as one, reusing its rows.
 */
void
ord_row_model_begin_query (OrdRowModel *self)
{
  g_autoptr(GtkWidget) view = NULL;

  g_return_if_fail (ORD_IS_ROW_MODEL (self));

  if (self->frozen++ > 0)
    return;

  /* The rows selected now will show other orders. */
  if (self->selection != NULL)
    gtk_selection_model_unselect_all (self->selection);

  /* A new query starts at its top: the view goes to the top of the old
   * one first, while it can place the rows it has, and the rows at the
   * top keep their place. */
  view = g_weak_ref_get (&self->view);
  if (view != NULL && GTK_IS_SCROLLABLE (view))
    {
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));

      if (adjustment != NULL &&
          gtk_adjustment_get_value (adjustment) != gtk_adjustment_get_lower (adjustment))
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
    }
}

void
ord_row_model_end_query (OrdRowModel *self)
{
  g_return_if_fail (ORD_IS_ROW_MODEL (self));
  g_return_if_fail (self->frozen > 0);

  /* A query that turned out the same (a filter set to what it was) keeps
   * the rows as they are. */
  if (--self->frozen == 0 && self->frozen_changed)
    {
      self->frozen_changed = FALSE;
      replace_all (self);
    }
}

gboolean
ord_row_model_is_whole (OrdRowModel *self)
{
  g_return_val_if_fail (ORD_IS_ROW_MODEL (self), FALSE);

  return self->limit == G_MAXUINT && self->frozen == 0;
}

GtkSelectionModel *
ord_row_model_new_selection (OrdRowModel *rows)
{
  GtkSelectionModel *selection;

  g_return_val_if_fail (ORD_IS_ROW_MODEL (rows), NULL);

  /* The selection holds the rows: a weak pointer back. */
  selection = GTK_SELECTION_MODEL (gtk_multi_selection_new (G_LIST_MODEL (rows)));
  g_set_weak_pointer (&rows->selection, selection);

  return selection;
}

/**
 * ord_rows_get_order:
 * @rows: a #GListModel of #OrdRow
 * @position: a position in it
 *
 * Returns: (transfer full) (nullable): the order of the row at @position
 */
OrdOrder *
ord_rows_get_order (GListModel *rows,
                    guint       position)
{
  g_autoptr(GObject) item = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (rows), NULL);

  item = g_list_model_get_item (rows, position);
  if (item == NULL || !ORD_IS_ROW (item) || ORD_ROW (item)->order == NULL)
    return NULL;

  return g_object_ref (ORD_ROW (item)->order);
}

static void
ord_row_model_dispose (GObject *object)
{
  OrdRowModel *self = ORD_ROW_MODEL (object);
  g_autoptr(GtkWidget) view = g_weak_ref_get (&self->view);

  if (self->orders != NULL)
    g_signal_handlers_disconnect_by_data (self->orders, self);
  if (view != NULL)
    g_clear_signal_handler (&self->map_id, view);
  if (self->clock != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->clock, self);
      g_clear_weak_pointer (&self->clock);
    }
  g_clear_weak_pointer (&self->selection);

  /* The rows may outlive the model. */
  if (self->rows != NULL)
    {
      GHashTableIter iter;
      gpointer row;

      g_hash_table_iter_init (&iter, self->rows);
      while (g_hash_table_iter_next (&iter, NULL, &row))
        g_object_weak_unref (row, on_row_finalized, self);
      g_hash_table_remove_all (self->rows);
    }

  G_OBJECT_CLASS (ord_row_model_parent_class)->dispose (object);
}

static void
ord_row_model_finalize (GObject *object)
{
  OrdRowModel *self = ORD_ROW_MODEL (object);

  g_clear_object (&self->orders);
  g_weak_ref_clear (&self->view);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (ord_row_model_parent_class)->finalize (object);
}

static void
ord_row_model_class_init (OrdRowModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ord_row_model_dispose;
  object_class->finalize = ord_row_model_finalize;
}

static void
ord_row_model_init (OrdRowModel *self)
{
  self->rows = g_hash_table_new (NULL, NULL);
  self->limit = G_MAXUINT;
  g_weak_ref_init (&self->view, NULL);
}

/**
 * ord_row_model_new:
 * @orders: a #GListModel of #OrdOrder
 * @view: the widget that shows the rows
 * @screenful: how many rows @view shows at most at once
 *
 * Returns: (transfer full): a #GListModel of #OrdRow, one for each order
 */
OrdRowModel *
ord_row_model_new (GListModel *orders,
                   GtkWidget  *view,
                   guint       screenful)
{
  OrdRowModel *self;
  GtkEventController *key;
  GtkGesture *click;

  g_return_val_if_fail (G_IS_LIST_MODEL (orders), NULL);
  g_return_val_if_fail (g_type_is_a (g_list_model_get_item_type (orders), ORD_TYPE_ORDER), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  self = g_object_new (ORD_TYPE_ROW_MODEL, NULL);
  self->orders = g_object_ref (orders);
  g_weak_ref_set (&self->view, view);
  self->screenful = MAX (screenful, 1);
  self->n_orders = g_list_model_get_n_items (orders);
  g_signal_connect (orders, "items-changed", G_CALLBACK (on_orders_changed), self);

  /* The first frame: a screenful. */
  limit_to_screenful (self, 0);
  self->n_shown = MIN (self->n_orders, self->limit);

  /* What the user does acts on the whole list: Ctrl+A selects every row,
   * End goes to the last one, even within the frame of a new query. */
  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (on_view_input), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, key);
  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_view_input), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));

  return self;
}
