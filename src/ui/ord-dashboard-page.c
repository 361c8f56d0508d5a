/* ord-dashboard-page.c: the owner's dashboard: counts per status, every
 * order in a table, status changes on many orders at once, one order's detail
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-dashboard-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ord-dashboard-page-private.h"
#include "ord-order-cells.h"
#include "ord-store-sync.h"
#include "ord-ui-format.h"
#include "ord-ui.h"

G_DEFINE_FINAL_TYPE (OrdDashboardPage, ord_dashboard_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_FILTER,
  PROP_FIRST_SCREEN_ROWS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static OrdStore *
get_store (OrdDashboardPage *self)
{
  return ord_context_get_store (self->context);
}

static void
status_change_clear (gpointer data)
{
  OrdStatusChange *change = data;

  g_clear_pointer (&change->order_id, g_free);
}

static GArray *
status_changes_new (void)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (OrdStatusChange));

  g_array_set_clear_func (changes, status_change_clear);

  return changes;
}

/* Sorting: see ord_column_set_sort_key(). */

#define SORT_BY_STATUS ORD_N_SORT_KEYS  /* no key of the store's: past the last */


static void
on_sorter_changed (GtkSorter        *sorter,
                   GtkSorterChange   change,
                   OrdDashboardPage *self)
{
  guint key = 0;
  gboolean descending = FALSE;
  gboolean by_status;
  OrdSortKey sort;

  if (self->model == NULL)
    return;
  /* No column sorts: keep the order the list has. */
  if (!ord_column_view_sorter_get_key (sorter, &key, &descending))
    return;
  /* Oldest first within each status: the order work is done in. */
  by_status = key == SORT_BY_STATUS;
  sort = by_status ? ORD_SORT_CREATED : (OrdSortKey) key;

  ord_row_model_begin_query (self->rows);
  ord_order_list_model_set_sort_full (self->model, by_status, sort, descending);
  ord_row_model_end_query (self->rows);
}

/* Counters */

static gboolean
status_from_filter (const char *filter,
                    OrdStatus  *status)
{
  return filter != NULL && ord_status_from_string (filter, status);
}

static void
set_count_label (GtkLabel *label,
                 gint64    count)
{
  g_autofree char *text = NULL;

  if (count < 0)
    text = g_strdup ("…");
  else
    text = g_strdup_printf ("%'" G_GINT64_FORMAT, count);
  gtk_label_set_label (label, text);
}

static GtkLabel *
count_label (OrdDashboardPage *self,
             OrdStatus         status)
{
  switch (status)
    {
    case ORD_STATUS_PENDING: return self->count_pending;
    case ORD_STATUS_CONFIRMED: return self->count_confirmed;
    case ORD_STATUS_PREPARING: return self->count_preparing;
    case ORD_STATUS_SHIPPED: return self->count_shipped;
    case ORD_STATUS_CANCELLED: return self->count_cancelled;
    case ORD_STATUS_DELIVERED:
    default: return NULL;
    }
}

static void update_page (OrdDashboardPage *self);

/* After midnight by this much, the new day is surely the clock's. */
#define NEW_DAY_MARGIN_MS 100

static gboolean
on_new_day (gpointer data)
{
  OrdDashboardPage *self = data;

  self->new_day_id = 0;
  ord_dashboard_page_update_counts (self);

  return G_SOURCE_REMOVE;
}

/**
 * ord_dashboard_page_update_counts:
 * @self: an #OrdDashboardPage
 *
 * Reads the counts per status (kept by the store) and the orders delivered
 * today (an indexed count: delivered, last changed since local midnight).
 */
void
ord_dashboard_page_update_counts (OrdDashboardPage *self)
{
  g_autoptr(GError) error = NULL;
  OrdStore *store;
  gint64 all = 0;
  gint64 day_start;
  gint64 attention;
  OrdOrderQuery delivered = { .status_mask = 1u << ORD_STATUS_DELIVERED };

  g_return_if_fail (ORD_IS_DASHBOARD_PAGE (self));

  store = get_store (self);
  if (store == NULL)
    return;

  if (!ord_store_count_by_status (store, self->counts, &error))
    {
      g_warning ("Could not count the orders: %s", error->message);
      return;
    }
  for (guint s = 0; s < ORD_N_STATUSES; s++)
    {
      GtkLabel *label = count_label (self, s);

      all += self->counts[s];
      if (label != NULL)
        set_count_label (label, self->counts[s]);
    }
  set_count_label (self->count_all, all);

  /* A new day: "delivered today" starts again from zero. */
  day_start = ord_dashboard_day_start (ord_store_get_now (store));
  if (day_start != self->day_start)
    {
      self->day_start = day_start;
      if (g_strcmp0 (self->filter, ORD_DASHBOARD_FILTER_DELIVERED_TODAY) == 0)
        {
          ord_row_model_begin_query (self->rows);
          ord_order_list_model_set_updated_from (self->model, day_start);
          ord_row_model_end_query (self->rows);
        }
    }

  /* The counter starts again at midnight, also when nothing changes. */
  g_clear_handle_id (&self->new_day_id, g_source_remove);
  self->new_day_id = g_timeout_add ((guint) MIN ((ord_dashboard_next_day_start (ord_store_get_now (store)) -
                                                  ord_store_get_now (store)) / 1000 + NEW_DAY_MARGIN_MS,
                                                 G_MAXUINT),
                                    on_new_day, self);

  /* However long ago the order was made: the store's index on (status,
   * updated_at) answers this without a walk. */
  delivered.updated_from = day_start;
  self->delivered_today = ord_store_count_orders (store, &delivered, &error);
  if (self->delivered_today < 0)
    g_warning ("Could not count the orders delivered today: %s", error->message);
  set_count_label (self->count_delivered_today, self->delivered_today);

  /* Held or rejected changes, and customers' changes waiting for the
   * owner: a counter only while there are any (or while it filters). */
  attention = ord_store_count_attention (store, &error);
  if (attention < 0)
    g_warning ("Could not count the orders that need attention: %s", error->message);
  set_count_label (self->count_attention, attention);
  gtk_widget_set_visible (self->attention_counter,
                          attention > 0 ||
                          g_strcmp0 (self->filter, ORD_DASHBOARD_FILTER_ATTENTION) == 0);

  update_page (self);
}

/* The table, its empty states */

static void
update_page (OrdDashboardPage *self)
{
  gint64 all = 0;

  for (guint s = 0; s < ORD_N_STATUSES; s++)
    all += self->counts[s];

  if (self->model == NULL || all == 0)
    {
      gtk_stack_set_visible_child_name (self->page_stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->page_stack, "dashboard");
  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0
                                      ? "list" : "no-results");
}

static void
on_model_notify (OrdDashboardPage *self,
                 GParamSpec       *pspec,
                 GObject          *model)
{
  update_page (self);
}

/* Detail pane */

static GtkWidget *
detail_label (const char *text,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

static GtkWidget *
money_row (const char *title,
           gint64      amount,
           const char *currency,
           gboolean    strong)
{
  g_autofree char *text = ord_format_order_total (amount, currency);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (value, "numeric");
  if (strong)
    gtk_widget_add_css_class (value, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);

  return row;
}

static void
clear_detail (OrdDashboardPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
}

static void
show_detail_message (OrdDashboardPage *self,
                     const char       *title,
                     const char       *description)
{
  g_clear_pointer (&self->detail_id, g_free);
  clear_detail (self);
  adw_status_page_set_title (self->detail_status, title);
  adw_status_page_set_description (self->detail_status, description);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
}

static const char *
held_change_title (const OrdHeldChange *change)
{
  static const struct { const char *field; const char *title; } fields[] = {
    { "notes", N_("Notes") },
    { "due_at", N_("Due date") },
    { "discount", N_("Discount") },
    { "tax_rate", N_("Tax rate") },
    { "currency", N_("Currency") },
    { "customer_id", N_("Customer") },
  };

  switch (change->kind)
    {
    case ORD_HELD_CHANGE_LINE_ADDED:
      /* Translators: a change a customer asks for */
      return _("New item");
    case ORD_HELD_CHANGE_LINE_REMOVED:
      /* Translators: a change a customer asks for */
      return _("Item removed");
    case ORD_HELD_CHANGE_LINE_CHANGED:
      /* Translators: a change a customer asks for */
      return _("Item changed");
    case ORD_HELD_CHANGE_FIELD:
    default:
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        if (g_strcmp0 (change->field, fields[i].field) == 0)
          return _(fields[i].title);
      return change->field;
    }
}

/* "no nuts → add candles"; an empty value reads "none". */
static char *
held_change_subtitle (const OrdHeldChange *change)
{
  const char *before = change->before;
  const char *after = change->after;

  if (change->kind == ORD_HELD_CHANGE_LINE_ADDED)
    return g_strdup (after);
  if (change->kind == ORD_HELD_CHANGE_LINE_REMOVED)
    return g_strdup (before);
  /* Translators: a value the order has now, and the one asked for:
   * "no nuts → add candles" */
  return g_strdup_printf (_("%s → %s"),
                          before && before[0] ? before : C_("value", "none"),
                          after && after[0] ? after : C_("value", "none"));
}

/* The customer's amendments of a confirmed order that wait for the shop,
 * with what they change and, for the owner, Approve and Decline…. */
static void
add_held_group (OrdDashboardPage *self,
                GPtrArray        *held,
                GDateTime        *now)
{
  gboolean owner = ord_store_get_role (get_store (self)) == ORD_ROLE_OWNER;

  for (guint i = 0; i < held->len; i++)
    {
      OrdHeldAmendment *h = g_ptr_array_index (held, i);
      g_autofree char *when = ord_format_order_time (h->created_at, now);
      g_autofree char *description = NULL;
      const char *who = h->customer_name && h->customer_name[0] ? h->customer_name
                                                                 : _("The customer");
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Requested Changes"));
      /* Translators: who asked for changes to a confirmed order, and when:
       * "Alice Smith asked 2 hours ago" */
      description = g_strdup_printf (_("%s asked %s, after the order was confirmed"), who, when);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
      gtk_widget_add_css_class (group, "held-amendment");

      for (guint k = 0; k < h->changes->len; k++)
        {
          const OrdHeldChange *change = g_ptr_array_index (h->changes, k);
          g_autofree char *subtitle = held_change_subtitle (change);
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), held_change_title (change));
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      if (h->changes->len == 0)
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                   detail_label (g_strcmp0 (h->decision, "approved") == 0
                                                   ? _("The order has the change")
                                                   : _("Nothing that still differs from the order"),
                                                 "dim-label"));

      if (h->decision != NULL)
        {
          g_autofree char *state = NULL;

          if (g_strcmp0 (h->decision, "approved") == 0)
            state = g_strdup (_("Approved; sent with the next sync"));
          else if (h->reason != NULL)
            /* Translators: %s is the reason the shop gave */
            state = g_strdup_printf (_("Declined (%s); sent with the next sync"), h->reason);
          else
            state = g_strdup (_("Declined; sent with the next sync"));
          adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                                   detail_label (state, "dim-label"));
        }
      else if (!owner)
        adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (group),
                                                 detail_label (_("Waiting for the shop"),
                                                               "dim-label"));

      gtk_box_append (self->detail_box, group);

      /* The decision, under what it decides on. */
      if (h->decision == NULL && owner)
        {
          GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
          GtkWidget *decline = gtk_button_new_with_mnemonic (_("_Decline…"));
          GtkWidget *approve = gtk_button_new_with_mnemonic (_("_Approve"));

          gtk_widget_set_halign (buttons, GTK_ALIGN_END);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (decline), "dashboard.decline-held");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (decline), "s", h->id);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (approve), "dashboard.approve-held");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (approve), "s", h->id);
          gtk_widget_add_css_class (approve, "suggested-action");
          gtk_box_append (GTK_BOX (buttons), decline);
          gtk_box_append (GTK_BOX (buttons), approve);
          gtk_box_append (self->detail_box, buttons);
        }
    }
}

static void
show_detail (OrdDashboardPage *self,
             const char       *order_id)
{
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *created = NULL;
  g_autofree char *subtitle = NULL;
  const char *currency;
  const char *notes;
  GtkWidget *header, *title, *pill, *group, *button, *list;

  order = ord_store_get_order (get_store (self), order_id, &error);
  if (order == NULL)
    {
      show_detail_message (self, _("Order Not Found"), error ? error->message : NULL);
      return;
    }
  events = ord_store_get_events (get_store (self), order_id, &error);
  if (events == NULL)
    g_warning ("Could not read the timeline of %s: %s", order_id, error->message);
  g_clear_error (&error);
  held = ord_store_list_held (get_store (self), order_id, &error);
  if (held == NULL)
    g_warning ("Could not read the held changes of %s: %s", order_id, error->message);

  if (self->detail_id != order_id)
    {
      g_free (self->detail_id);
      self->detail_id = g_strdup (order_id);
    }
  clear_detail (self);
  currency = ord_order_get_currency (order);

  /* Number, status, customer, dates. */
  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  title = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (title), detail_label (ord_order_get_number (order), "title-2"));
  pill = gtk_label_new (ord_status_get_label (ord_order_get_status (order)));
  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (pill, TRUE);
  gtk_widget_set_halign (pill, GTK_ALIGN_END);
  gtk_widget_add_css_class (pill, "status-pill");
  gtk_widget_add_css_class (pill, ord_status_css_class (ord_order_get_status (order)));
  gtk_box_append (GTK_BOX (title), pill);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header),
                  detail_label (ord_order_get_customer_name (order)
                                  ? ord_order_get_customer_name (order) : _("No customer"),
                                "heading"));
  created = ord_format_order_time (ord_order_get_created_at (order), now);
  if (ord_order_get_due_at (order) > 0)
    {
      g_autofree char *due = ord_format_order_time (ord_order_get_due_at (order), now);

      /* Translators: when an order was made, and when it is due */
      subtitle = g_strdup_printf (_("Created %s · Due %s"), created, due);
    }
  else
    /* Translators: when an order was made */
    subtitle = g_strdup_printf (_("Created %s"), created);
  gtk_box_append (GTK_BOX (header), detail_label (subtitle, "dim-label"));
  gtk_box_append (self->detail_box, header);

  /* What the customer asks to change, first: it is why the order is here. */
  if (held != NULL)
    add_held_group (self, held, now);

  /* Lines. */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Items"));
  for (guint i = 0; i < ord_order_get_n_items (order); i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);
      g_autofree char *price = ord_format_order_total (ord_order_item_get_unit_price (item),
                                                       currency);
      g_autofree char *count = NULL;
      g_autofree char *quantity = NULL;
      g_autofree char *amount = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value;

      count = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) ord_order_item_get_quantity (item));
      /* Translators: a line's quantity and unit price: "2 × €3.50" */
      quantity = g_strdup_printf (_("%s × %s"), count, price);
      amount = ord_format_order_total (ord_order_item_get_unit_price (item) *
                                       ord_order_item_get_quantity (item) -
                                       ord_order_item_get_discount (item), currency);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ord_order_item_get_name (item));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), quantity);
      value = gtk_label_new (amount);
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }
  if (ord_order_get_n_items (order) == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _("No items"));
  gtk_box_append (self->detail_box, group);

  /* Totals. */
  group = adw_preferences_group_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             money_row (_("Subtotal"), ord_order_get_subtotal (order),
                                        currency, FALSE));
  if (ord_order_get_discount (order) != 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               money_row (_("Discount"), -ord_order_get_discount (order),
                                          currency, FALSE));
  if (ord_order_get_tax (order) != 0)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                               money_row (_("Tax"), ord_order_get_tax (order), currency, FALSE));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             money_row (_("Total"), ord_order_get_total (order), currency, TRUE));
  gtk_box_append (self->detail_box, group);

  /* Notes. */
  notes = ord_order_get_notes (order);
  if (notes != NULL && notes[0] != '\0')
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Notes"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), detail_label (notes, NULL));
      gtk_box_append (self->detail_box, group);
    }

  /* Timeline, newest first. */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Timeline"));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = events != NULL ? events->len : 0; i > 0; i--)
    {
      OrdOrderEvent *event = g_ptr_array_index (events, i - 1);
      g_autofree char *text = ord_order_event_describe (event);
      g_autofree char *when = ord_format_order_time (ord_order_event_get_at (event), now);
      const char *actor = ord_order_event_get_actor (event);
      g_autofree char *meta = NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label;

      if (actor != NULL && *actor != '\0')
        /* Translators: a timeline entry's time, then who did it */
        meta = g_strdup_printf (_("%s · %s"), when, actor);
      else
        meta = g_strdup (when);

      gtk_box_append (GTK_BOX (box), detail_label (text, NULL));
      label = detail_label (meta, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_add_css_class (box, "timeline-entry");
      gtk_list_box_append (GTK_LIST_BOX (list), box);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  gtk_box_append (self->detail_box, group);

  button = gtk_button_new_with_mnemonic (_("_Open Order"));
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "dashboard.open");
  gtk_box_append (self->detail_box, button);

  gtk_stack_set_visible_child_name (self->detail_stack, "order");
}

/* Selection */

static guint
n_selected (OrdDashboardPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return 0;
  selected = gtk_selection_model_get_selection (self->selection);

  return (guint) MIN (gtk_bitset_get_size (selected), (guint64) G_MAXUINT);
}

/* The selected orders, as the list shows them (their status is the one
 * the user saw: the compare of the compare-and-set). */
static GPtrArray *
selected_orders (OrdDashboardPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GPtrArray *orders = g_ptr_array_new_with_free_func (g_object_unref);
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL)
    return orders;

  selected = gtk_selection_model_get_selection (self->selection);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      OrdOrder *order = ord_rows_get_order (G_LIST_MODEL (self->selection), position);

      if (order != NULL)
        g_ptr_array_add (orders, order);
    }

  return orders;
}

static const char *
advance_label (OrdStatus status)
{
  switch (status)
    {
    case ORD_STATUS_PENDING: return _("_Confirm");
    case ORD_STATUS_CONFIRMED: return _("Start _Preparing");
    case ORD_STATUS_PREPARING: return _("Mark _Shipped");
    case ORD_STATUS_SHIPPED: return _("Mark _Delivered");
    case ORD_STATUS_DELIVERED:
    case ORD_STATUS_CANCELLED:
    default: return _("_Next Status");
    }
}

static void
update_selection (OrdDashboardPage *self)
{
  guint n = n_selected (self);
  gboolean owner = get_store (self) != NULL &&
                   ord_store_get_role (get_store (self)) == ORD_ROLE_OWNER;
  g_autofree char *text = NULL;
  int common = -1;

  gtk_action_bar_set_revealed (self->action_bar, n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.set-status", owner && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.advance", owner && n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.open", n == 1);

  /* Translators: how many orders are selected */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order selected",
                                       "%'u orders selected", n), n);
  gtk_label_set_label (self->selection_label, text);

  if (n == 1)
    {
      g_autoptr(GPtrArray) orders = selected_orders (self);

      if (orders->len == 1)
        {
          OrdOrder *order = g_ptr_array_index (orders, 0);

          common = ord_order_get_status (order);
          if (g_strcmp0 (self->detail_id, ord_order_get_id (order)) != 0)
            show_detail (self, ord_order_get_id (order));
        }
    }
  else if (n > 1)
    {
      g_autofree char *title = NULL;

      if (n <= 200)
        {
          g_autoptr(GPtrArray) orders = selected_orders (self);

          for (guint i = 0; i < orders->len; i++)
            {
              int status = ord_order_get_status (g_ptr_array_index (orders, i));

              if (common == -1)
                common = status;
              else if (common != status)
                common = ORD_N_STATUSES;
            }
        }
      /* Translators: the detail pane when several orders are selected */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u Order Selected",
                                            "%'u Orders Selected", n), n);
      show_detail_message (self, title,
                           _("Change their status with the buttons below, the context menu "
                             "or the keyboard."));
    }
  else
    show_detail_message (self, _("No Order Selected"),
                         _("Select an order to see its lines and its timeline."));

  gtk_button_set_label (self->advance_button,
                        common >= 0 ? advance_label (common) : _("_Next Status"));
  {
    g_autofree char *tooltip = g_strdup (gtk_button_get_label (self->advance_button));
    char *underline = strchr (tooltip, '_');

    /* The label without its mnemonic, as the compact button's tooltip. */
    if (underline != NULL)
      memmove (underline, underline + 1, strlen (underline));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->advance_icon_button), tooltip);
  }
}

static void
on_selection_changed (OrdDashboardPage  *self,
                      guint              position,
                      guint              n_items,
                      GtkSelectionModel *selection)
{
  update_selection (self);
}

/* Rows that leave the list leave the selection without a
 * selection-changed signal. */
static void
on_rows_changed (OrdDashboardPage  *self,
                 guint              position,
                 guint              removed,
                 guint              added,
                 GtkSelectionModel *selection)
{
  if (removed > 0)
    update_selection (self);
}

/* Store changes arrive on the thread that wrote: one idle refresh of the
 * counters and the detail pane, in the main context. The list refreshes
 * itself (OrdOrderListModel). */

static gboolean
store_changed_idle (gpointer data)
{
  g_autoptr(OrdDashboardPage) self = g_weak_ref_get (data);

  if (self == NULL)
    return G_SOURCE_REMOVE;

  g_atomic_int_set (&self->refresh_queued, FALSE);
  ord_dashboard_page_update_counts (self);
  if (self->detail_id != NULL)
    {
      g_autofree char *id = g_strdup (self->detail_id);

      show_detail (self, id);
    }

  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_store_changed (OrdStore         *store,
                  const char       *entity,
                  const char       *id,
                  OrdDashboardPage *self)
{
  GWeakRef *weak;

  if (g_strcmp0 (entity, "order") != 0 && g_strcmp0 (entity, "customer") != 0)
    return;
  if (!g_atomic_int_compare_and_exchange (&self->refresh_queued, FALSE, TRUE))
    return;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, store_changed_idle, weak, weak_ref_free);
}

/* Status changes */

typedef struct
{
  GArray     *changes;   /* OrdStatusChange; those that failed are removed */
  const char *reason;
  guint       n_lost;    /* changed by someone else meanwhile */
} Batch;

static gboolean
apply_batch_txn (OrdStore  *store,
                 gpointer   user_data,
                 GError   **error)
{
  Batch *batch = user_data;

  for (guint i = 0; i < batch->changes->len;)
    {
      OrdStatusChange *change = &g_array_index (batch->changes, OrdStatusChange, i);
      g_autoptr(GError) local_error = NULL;

      if (ord_store_set_status (store, change->order_id, change->from, change->to,
                                batch->reason, &local_error))
        {
          i++;
          continue;
        }

      /* Another terminal or window moved it first: leave it as it is. */
      if (g_error_matches (local_error, ORD_STORE_ERROR, ORD_STORE_ERROR_CONFLICT) ||
          g_error_matches (local_error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND) ||
          local_error->domain == ORD_STATUS_ERROR)
        {
          batch->n_lost++;
          g_array_remove_index (batch->changes, i);
          continue;
        }

      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* Writes @changes in one transaction (one commit, one refresh); those that
 * lost their compare-and-set are dropped from @changes. */
static gboolean
apply_changes (OrdDashboardPage  *self,
               GArray            *changes,
               const char        *reason,
               guint             *n_lost,
               GError           **error)
{
  Batch batch = { changes, reason, 0 };
  gboolean ok;

  ok = ord_store_transaction (get_store (self), apply_batch_txn, &batch, error);
  *n_lost = batch.n_lost;

  return ok;
}

static void
on_undo_toast_dismissed (OrdDashboardPage *self,
                         AdwToast         *toast)
{
  if (self->undo_toast == toast)
    {
      self->undo_toast = NULL;
      g_clear_pointer (&self->undo, g_array_unref);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.undo", FALSE);
    }
}

static void
on_undo_clicked (OrdDashboardPage *self,
                 AdwToast         *toast)
{
  ord_dashboard_page_undo (self);
}

static void
show_toast (OrdDashboardPage *self,
            const char       *title,
            gboolean          with_undo)
{
  g_autofree char *markup = g_markup_escape_text (title, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, with_undo ? 8 : 5);
  if (with_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_clicked), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_toast_dismissed), self,
                               G_CONNECT_SWAPPED);
      self->undo_toast = toast;
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static char *
describe_batch (OrdStatus to,
                guint     n)
{
  switch (to)
    {
    case ORD_STATUS_PENDING:
      /* Translators: a toast after a status change; %'u is a number of orders */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order moved back to pending",
                                           "%'u orders moved back to pending", n), n);
    case ORD_STATUS_CONFIRMED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order confirmed",
                                           "%'u orders confirmed", n), n);
    case ORD_STATUS_PREPARING:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order in preparation",
                                           "%'u orders in preparation", n), n);
    case ORD_STATUS_SHIPPED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order shipped",
                                           "%'u orders shipped", n), n);
    case ORD_STATUS_DELIVERED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order delivered",
                                           "%'u orders delivered", n), n);
    case ORD_STATUS_CANCELLED:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order cancelled",
                                           "%'u orders cancelled", n), n);
    }
}

/* The changes the status machine allows for the selected orders, and how
 * many it refused (or were already there); sets *@reversible when every
 * change can be moved back, which is what Undo does. */
static GArray *
plan_changes (OrdDashboardPage  *self,
              GPtrArray         *orders,
              OrdStatus          to,
              gboolean           advance,
              guint             *n_refused,
              char             **refusal,
              gboolean          *reversible)
{
  OrdRole role = ord_store_get_role (get_store (self));
  GArray *changes = status_changes_new ();

  *n_refused = 0;
  *refusal = NULL;
  *reversible = TRUE;

  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      OrdStatus from = ord_order_get_status (order);
      OrdStatus target = to;
      OrdTransition transition;
      OrdStatusChange change;
      GError *error = NULL;

      if (advance)
        {
          if (from >= ORD_STATUS_DELIVERED)
            {
              if (*refusal == NULL)
                *refusal = g_strdup_printf (_("%s: %s"), ord_order_get_number (order),
                                            _("it has no next status"));
              (*n_refused)++;
              continue;
            }
          target = from + 1;
        }

      if (from == target)
        continue;  /* already there: neither a change nor a refusal */
      if (!ord_status_check_transition (role, from, target, &transition, &error))
        {
          /* The first one says why, with its number. */
          if (*refusal == NULL)
            /* Translators: an order number, then why its status cannot change */
            *refusal = g_strdup_printf (_("%s: %s"), ord_order_get_number (order),
                                        error->message);
          g_clear_error (&error);
          (*n_refused)++;
          continue;
        }
      if (!ord_status_check_transition (role, target, from, NULL, NULL))
        *reversible = FALSE;

      change.order_id = g_strdup (ord_order_get_id (order));
      change.from = from;
      change.to = target;
      g_array_append_val (changes, change);
    }

  return changes;
}

static void
report_batch (OrdDashboardPage *self,
              GArray           *changes,
              OrdStatus         to,
              gboolean          mixed,
              guint             n_refused,
              const char       *refusal,
              gboolean          undoable)
{
  g_autofree char *title = NULL;

  if (changes->len == 0)
    {
      if (n_refused == 1 && refusal != NULL)
        show_toast (self, refusal, FALSE);
      else
        show_toast (self, n_refused > 0 ? _("The selected orders cannot move to that status")
                                        : _("The selected orders already have that status"),
                    FALSE);
      return;
    }

  if (mixed)
    /* Translators: a toast after moving orders each one status on */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u order moved on",
                                          "%'u orders moved on", changes->len), changes->len);
  else
    title = describe_batch (to, changes->len);

  if (n_refused > 0)
    {
      g_autofree char *longer = NULL;

      if (refusal != NULL)
        /* Translators: a toast: "3 orders shipped, 2 left as they were (T1-0042: why)" */
        longer = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %'u left as it was (%s)",
                                               "%s, %'u left as they were (%s…)", n_refused),
                                  title, n_refused, refusal);
      else
        /* Translators: a toast: "3 orders shipped, 2 left as they were" */
        longer = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %'u left as it was",
                                               "%s, %'u left as they were", n_refused),
                                  title, n_refused);
      g_free (title);
      title = g_steal_pointer (&longer);
    }

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  if (undoable)
    {
      g_clear_pointer (&self->undo, g_array_unref);
      self->undo = g_array_ref (changes);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.undo", TRUE);
    }
  show_toast (self, title, undoable);
}

/* Applies the planned changes and says what happened. */
static guint
run_changes (OrdDashboardPage *self,
             GArray           *changes,
             OrdStatus         to,
             gboolean          mixed,
             const char       *reason,
             guint             n_refused,
             const char       *refusal,
             gboolean          undoable)
{
  g_autoptr(GError) error = NULL;
  guint n_lost = 0;

  if (changes->len > 0 && !apply_changes (self, changes, reason, &n_lost, &error))
    {
      g_autofree char *title = g_strdup_printf (_("Could not change the orders: %s"),
                                                error->message);

      show_toast (self, title, FALSE);
      return 0;
    }

  report_batch (self, changes, to, mixed, n_refused + n_lost, refusal, undoable);

  return changes->len;
}

guint
ord_dashboard_page_set_selected_status (OrdDashboardPage *self,
                                        OrdStatus         to,
                                        const char       *reason)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autofree char *refusal = NULL;
  guint n_refused;
  gboolean reversible;

  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), 0);
  g_return_val_if_fail ((guint) to < ORD_N_STATUSES, 0);

  orders = selected_orders (self);
  changes = plan_changes (self, orders, to, FALSE, &n_refused, &refusal, &reversible);

  return run_changes (self, changes, to, FALSE, reason, n_refused, refusal, reversible);
}

/**
 * ord_dashboard_page_undo:
 * @self: an #OrdDashboardPage
 *
 * Moves each order of the last batch back where it was, as an owner's
 * logged reopen; an order someone changed since is left alone.
 *
 * Returns: how many orders moved back
 */
guint
ord_dashboard_page_undo (OrdDashboardPage *self)
{
  g_autoptr(GArray) undo = NULL;
  g_autoptr(GArray) reverse = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint n_lost = 0;

  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), 0);

  undo = g_steal_pointer (&self->undo);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.undo", FALSE);
  if (self->undo_toast != NULL)
    {
      AdwToast *toast = g_steal_pointer (&self->undo_toast);

      adw_toast_dismiss (toast);
    }
  if (undo == NULL || undo->len == 0)
    return 0;

  reverse = status_changes_new ();
  for (guint i = 0; i < undo->len; i++)
    {
      OrdStatusChange *change = &g_array_index (undo, OrdStatusChange, i);
      OrdStatusChange back = { g_strdup (change->order_id), change->to, change->from };

      g_array_append_val (reverse, back);
    }

  /* Translators: the reason written in the timeline of an undone change */
  if (!apply_changes (self, reverse, _("Undone"), &n_lost, &error))
    {
      title = g_strdup_printf (_("Could not undo: %s"), error->message);
      show_toast (self, title, FALSE);
      return 0;
    }

  if (n_lost > 0)
    /* Translators: a toast after Undo when some orders had changed since */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Undone; %'u order had changed since and was left",
                                          "Undone; %'u orders had changed since and were left",
                                          n_lost), n_lost);
  else
    title = g_strdup (_("Undone"));
  show_toast (self, title, FALSE);

  return reverse->len;
}

/* Changes that cannot be undone (ship, deliver, cancel) are confirmed
 * first; cancelling asks for the reason the timeline keeps. */

typedef struct
{
  OrdDashboardPage *self;
  GArray           *changes;
  GtkEditable      *reason_entry;   /* borrowed: the dialog's */
  OrdStatus         to;
  gboolean          mixed;
  guint             n_refused;
  char             *refusal;
} Confirm;

static void
confirm_free (Confirm *confirm)
{
  g_clear_object (&confirm->self);
  g_clear_pointer (&confirm->changes, g_array_unref);
  g_clear_pointer (&confirm->refusal, g_free);
  g_free (confirm);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  if (g_strcmp0 (response, "apply") == 0)
    {
      const char *reason = NULL;

      if (confirm->reason_entry != NULL)
        reason = gtk_editable_get_text (confirm->reason_entry);
      run_changes (confirm->self, confirm->changes, confirm->to, confirm->mixed, reason,
                   confirm->n_refused, confirm->refusal, FALSE);
    }
  confirm_free (confirm);
}

static void
ask_confirmation (OrdDashboardPage *self,
                  GArray           *changes,
                  OrdStatus         to,
                  gboolean          mixed,
                  guint             n_refused,
                  const char       *refusal)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  const char *body;
  const char *apply;
  AdwMessageDialog *dialog;
  Confirm *confirm;
  guint n = changes->len;

  if (to == ORD_STATUS_CANCELLED)
    {
      /* Translators: the heading of a confirmation; %'u is a number of orders */
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Cancel %'u Order?",
                                              "Cancel %'u Orders?", n), n);
      body = _("Cancelled orders cannot be reopened. The reason goes into each order’s "
               "timeline, where the customer sees it.");
      apply = _("Cancel _Orders");
    }
  else
    {
      heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Move %'u Order On?",
                                              "Move %'u Orders On?", n), n);
      body = _("Shipped and delivered orders cannot be moved back, so this cannot be "
               "undone.");
      apply = _("_Move On");
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Keep As They Are"),
                                    "apply", apply, NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  confirm = g_new0 (Confirm, 1);
  confirm->self = g_object_ref (self);
  confirm->changes = g_array_ref (changes);
  confirm->to = to;
  confirm->mixed = mixed;
  confirm->n_refused = n_refused;
  confirm->refusal = g_strdup (refusal);

  if (to == ORD_STATUS_CANCELLED)
    {
      confirm->reason_entry = ord_message_dialog_add_reason (dialog, "apply");
      gtk_entry_set_activates_default (GTK_ENTRY (confirm->reason_entry), TRUE);
      adw_message_dialog_set_response_appearance (dialog, "apply",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);

  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), confirm);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_selected (OrdDashboardPage *self,
                 OrdStatus         to,
                 gboolean          advance)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GArray) changes = NULL;
  g_autofree char *refusal = NULL;
  guint n_refused;
  gboolean reversible;

  if (get_store (self) == NULL || n_selected (self) == 0)
    return;

  orders = selected_orders (self);
  changes = plan_changes (self, orders, to, advance, &n_refused, &refusal, &reversible);

  if (changes->len > 0 && (!reversible || to == ORD_STATUS_CANCELLED))
    ask_confirmation (self, changes, to, advance, n_refused, refusal);
  else
    run_changes (self, changes, to, advance, NULL, n_refused, refusal, TRUE);
}

/* Actions */

static void
action_set_status (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OrdStatus to;

  if (!ord_status_from_string (g_variant_get_string (parameter, NULL), &to))
    return;

  change_selected (ORD_DASHBOARD_PAGE (widget), to, FALSE);
}

static void
action_advance (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  change_selected (ORD_DASHBOARD_PAGE (widget), ORD_STATUS_PENDING, TRUE);
}

static void
action_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ord_dashboard_page_undo (ORD_DASHBOARD_PAGE (widget));
}

static void
action_open (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (widget);
  g_autoptr(GPtrArray) orders = NULL;

  if (n_selected (self) != 1)
    return;
  orders = selected_orders (self);
  if (orders->len == 1)
    gtk_widget_activate_action (widget, "win.edit-order", "s",
                                ord_order_get_id (g_ptr_array_index (orders, 0)));
}

/* Held amendments: the owner decides; the decision goes into the outbox
 * like any change, so it works offline too. */
static void
action_approve_held (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (ord_store_resolve_held (get_store (self), g_variant_get_string (parameter, NULL), TRUE,
                              NULL, &error))
    /* Translators: a toast after the owner approved a customer's change */
    show_toast (self, _("Change approved"), FALSE);
  else
    show_toast (self, error->message, FALSE);
}

typedef struct
{
  OrdDashboardPage *self;
  char             *held_id;
} Decline;

static void
decline_free (Decline *decline)
{
  g_clear_object (&decline->self);
  g_free (decline->held_id);
  g_free (decline);
}

static void
on_decline_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Decline          *decline)
{
  OrdDashboardPage *self = decline->self;

  if (g_strcmp0 (response, "decline") == 0)
    {
      g_autoptr(GError) error = NULL;
      const char *reason = gtk_editable_get_text (self->decline_reason);

      if (ord_store_resolve_held (get_store (self), decline->held_id, FALSE, reason, &error))
        /* Translators: a toast after the owner declined a customer's change */
        show_toast (self, _("Change declined"), FALSE);
      else
        show_toast (self, error->message, FALSE);
    }
  if (self->decline_dialog == dialog)
    {
      self->decline_dialog = NULL;
      self->decline_reason = NULL;
    }
  decline_free (decline);
}

static void
action_decline_held (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  Decline *decline = g_new0 (Decline, 1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       _("Decline the Change?"),
                                                       _("The order stays as it is. The "
                                                         "customer sees your reason in the "
                                                         "order’s timeline.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "decline", _("_Decline"), NULL);
  adw_message_dialog_set_default_response (dialog, "decline");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_appearance (dialog, "decline", ADW_RESPONSE_DESTRUCTIVE);
  self->decline_reason = ord_message_dialog_add_reason (dialog, "decline");
  gtk_entry_set_activates_default (GTK_ENTRY (self->decline_reason), TRUE);

  decline->self = g_object_ref (self);
  decline->held_id = g_strdup (g_variant_get_string (parameter, NULL));
  self->decline_dialog = dialog;
  g_signal_connect (dialog, "response", G_CALLBACK (on_decline_response), decline);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
action_show_details (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  adw_flap_set_reveal_flap (ORD_DASHBOARD_PAGE (widget)->flap, TRUE);
}

static void
popup_menu_at (OrdDashboardPage *self,
               double            x,
               double            y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
action_show_menu (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (widget);
  graphene_rect_t bounds;

  if (n_selected (self) == 0)
    return;
  if (!gtk_widget_compute_bounds (GTK_WIDGET (self->column_view), widget, &bounds))
    return;
  popup_menu_at (self, bounds.origin.x + bounds.size.width / 2, bounds.origin.y + 48);
}

static void
on_row_activated (OrdDashboardPage *self,
                  guint             position)
{
  g_autoptr(OrdOrder) order = g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (order != NULL && ord_order_get_id (order) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-order", "s",
                                ord_order_get_id (order));
}

/* Right click on a row: that row joins (or becomes) the selection, and
 * the menu acts on the selection. */
static void
on_cell_pressed (GtkListItem     *item,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkGestureClick *gesture)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (gtk_widget_get_ancestor (cell,
                                                                       ORD_TYPE_DASHBOARD_PAGE));
  guint position = gtk_list_item_get_position (item);
  graphene_point_t point;

  if (self == NULL || position == GTK_INVALID_LIST_POSITION)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (!gtk_selection_model_is_selected (self->selection, position))
    gtk_selection_model_select_item (self->selection, position, TRUE);

  if (!gtk_widget_compute_point (cell, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    return;
  popup_menu_at (self, point.x, point.y);
}

/* Filter */

const char *
ord_dashboard_page_get_filter (OrdDashboardPage *self)
{
  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), NULL);

  return self->filter;
}

/**
 * ord_dashboard_page_set_filter:
 * @self: an #OrdDashboardPage
 * @filter: "all", a status ("pending", …), "delivered-today" or "attention"
 *
 * Shows only the orders a counter counts, as clicking it does.
 */
void
ord_dashboard_page_set_filter (OrdDashboardPage *self,
                               const char       *filter)
{
  OrdStatus status;
  guint mask = 0;
  gint64 since = 0;
  gboolean attention = FALSE;

  g_return_if_fail (ORD_IS_DASHBOARD_PAGE (self));

  if (filter == NULL)
    filter = ORD_DASHBOARD_FILTER_ALL;

  if (g_strcmp0 (filter, ORD_DASHBOARD_FILTER_DELIVERED_TODAY) == 0)
    {
      mask = 1u << ORD_STATUS_DELIVERED;
      since = self->day_start;
    }
  else if (g_strcmp0 (filter, ORD_DASHBOARD_FILTER_ATTENTION) == 0)
    attention = TRUE;
  else if (status_from_filter (filter, &status))
    mask = 1u << status;
  else if (g_strcmp0 (filter, ORD_DASHBOARD_FILTER_ALL) != 0)
    {
      g_warning ("Unknown dashboard filter “%s”", filter);
      return;
    }

  if (g_strcmp0 (filter, self->filter) == 0)
    return;

  g_free (self->filter);
  self->filter = g_strdup (filter);

  if (self->model != NULL)
    {
      /* Each setter reloads, but a reload only counts: the rows are read
       * when the view shows them. */
      ord_row_model_begin_query (self->rows);
      ord_order_list_model_set_status_mask (self->model, mask);
      ord_order_list_model_set_updated_from (self->model, since);
      ord_order_list_model_set_attention_only (self->model, attention);
      ord_row_model_end_query (self->rows);
      update_page (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

void
ord_dashboard_page_sort_by (OrdDashboardPage *self,
                            guint             key,
                            gboolean          descending)
{
  GtkColumnViewColumn *columns[] = {
    [ORD_SORT_CREATED] = self->created_column,
    [ORD_SORT_DUE] = self->due_column,
    [ORD_SORT_TOTAL] = self->total_column,
    [ORD_SORT_NUMBER] = self->number_column,
    [ORD_SORT_CUSTOMER] = self->customer_column,
    [ORD_SORT_ITEMS] = self->items_column,
    [SORT_BY_STATUS] = self->status_column,
  };

  g_return_if_fail (ORD_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (key < G_N_ELEMENTS (columns) && columns[key] != NULL);

  gtk_column_view_sort_by_column (self->column_view, columns[key],
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

gboolean
ord_dashboard_page_is_list_whole (OrdDashboardPage *self)
{
  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), FALSE);

  return self->rows == NULL || ord_row_model_is_whole (self->rows);
}

void
ord_dashboard_page_set_search (OrdDashboardPage *self,
                               const char       *text)
{
  g_return_if_fail (ORD_IS_DASHBOARD_PAGE (self));

  if (self->model == NULL)
    return;

  ord_row_model_begin_query (self->rows);
  ord_order_list_model_set_text (self->model, text);
  ord_row_model_end_query (self->rows);
  update_page (self);
}

/* GtkWidget */

static void
ord_dashboard_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (widget);

  GTK_WIDGET_CLASS (ord_dashboard_page_parent_class)->size_allocate (widget, width, height,
                                                                     baseline);
  if (self->popover != NULL && gtk_widget_get_visible (self->popover))
    gtk_popover_present (GTK_POPOVER (self->popover));
}

/* GObject */

static void
ord_dashboard_page_constructed (GObject *object)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (object);
  OrdStore *store;

  G_OBJECT_CLASS (ord_dashboard_page_parent_class)->constructed (object);

  g_assert (ORD_IS_CONTEXT (self->context));

  store = get_store (self);
  if (store == NULL)
    {
      update_page (self);
      update_selection (self);
      return;
    }

  self->day_start = ord_dashboard_day_start (ord_store_get_now (store));
  self->model = ord_order_list_model_new (store);
  /* Oldest first within each status, pending on top: the work to do. */
  ord_order_list_model_set_sort_full (self->model, TRUE, ORD_SORT_CREATED, FALSE);
  /* The page's first frame builds a screenful of rows, not 200. */
  self->rows = ord_row_model_new (G_LIST_MODEL (self->model), GTK_WIDGET (self->column_view),
                                  self->first_screen_rows);
  self->selection = ord_row_model_new_selection (self->rows);
  gtk_column_view_set_model (self->column_view, self->selection);
  gtk_column_view_sort_by_column (self->column_view, self->status_column, GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, 0);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (on_rows_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (on_store_changed), self);

  ord_dashboard_page_update_counts (self);
  update_selection (self);
}

static void
ord_dashboard_page_dispose (GObject *object)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (object);

  if (self->context != NULL && get_store (self) != NULL)
    g_clear_signal_handler (&self->changed_id, get_store (self));
  g_clear_handle_id (&self->new_day_id, g_source_remove);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  self->undo_toast = NULL;

  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_DASHBOARD_PAGE);

  g_clear_object (&self->selection);
  self->rows = NULL;
  g_clear_object (&self->model);

  G_OBJECT_CLASS (ord_dashboard_page_parent_class)->dispose (object);
}

static void
ord_dashboard_page_finalize (GObject *object)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (object);

  g_clear_object (&self->context);
  g_clear_pointer (&self->filter, g_free);
  g_clear_pointer (&self->detail_id, g_free);
  g_clear_pointer (&self->undo, g_array_unref);

  G_OBJECT_CLASS (ord_dashboard_page_parent_class)->finalize (object);
}

static void
ord_dashboard_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;

    case PROP_FIRST_SCREEN_ROWS:
      g_value_set_uint (value, self->first_screen_rows);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_dashboard_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  OrdDashboardPage *self = ORD_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    case PROP_FILTER:
      ord_dashboard_page_set_filter (self, g_value_get_string (value));
      break;

    case PROP_FIRST_SCREEN_ROWS:
      self->first_screen_rows = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_dashboard_page_class_init (OrdDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct
  {
    guint           key;
    GdkModifierType modifiers;
    const char     *status;
  } status_keys[] = {
    { GDK_KEY_1, GDK_CONTROL_MASK, "confirmed" },
    { GDK_KEY_2, GDK_CONTROL_MASK, "preparing" },
    { GDK_KEY_3, GDK_CONTROL_MASK, "shipped" },
    { GDK_KEY_4, GDK_CONTROL_MASK, "delivered" },
    { GDK_KEY_Delete, 0, "cancelled" },
  };

  object_class->constructed = ord_dashboard_page_constructed;
  object_class->dispose = ord_dashboard_page_dispose;
  object_class->finalize = ord_dashboard_page_finalize;
  object_class->get_property = ord_dashboard_page_get_property;
  object_class->set_property = ord_dashboard_page_set_property;

  widget_class->size_allocate = ord_dashboard_page_size_allocate;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ORD_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OrdDashboardPage:filter:
   *
   * What the table shows: "all", a status or "delivered-today".
   */
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL,
                         ORD_DASHBOARD_FILTER_ALL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OrdDashboardPage:first-screen-rows:
   *
   * How many rows the table can show in the page's first frame, which
   * builds that many (OrdRowModel): the rest come in the next frame.
   */
  properties[PROP_FIRST_SCREEN_ROWS] =
    g_param_spec_uint ("first-screen-rows", NULL, NULL,
                       1, G_MAXUINT, 40,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ORD_TYPE_ORDER);
  ord_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               ORD_UI_RESOURCE_PATH "/ord-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, page_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_all);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_pending);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_confirmed);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_preparing);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_shipped);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_delivered_today);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_cancelled);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, count_attention);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, attention_counter);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, flap);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, number_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, customer_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, created_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, due_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, items_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, total_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, detail_status);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, detail_box);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, action_bar);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, advance_button);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, advance_icon_button);
  gtk_widget_class_bind_template_child (widget_class, OrdDashboardPage, context_menu);

  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_property_action (widget_class, "dashboard.filter", "filter");
  gtk_widget_class_install_action (widget_class, "dashboard.set-status", "s", action_set_status);
  gtk_widget_class_install_action (widget_class, "dashboard.advance", NULL, action_advance);
  gtk_widget_class_install_action (widget_class, "dashboard.undo", NULL, action_undo);
  gtk_widget_class_install_action (widget_class, "dashboard.open", NULL, action_open);
  gtk_widget_class_install_action (widget_class, "dashboard.approve-held", "s",
                                   action_approve_held);
  gtk_widget_class_install_action (widget_class, "dashboard.decline-held", "s",
                                   action_decline_held);
  gtk_widget_class_install_action (widget_class, "dashboard.show-details", NULL,
                                   action_show_details);
  gtk_widget_class_install_action (widget_class, "dashboard.show-menu", NULL, action_show_menu);

  for (guint i = 0; i < G_N_ELEMENTS (status_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, status_keys[i].key,
                                         status_keys[i].modifiers, "dashboard.set-status",
                                         "s", status_keys[i].status);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dashboard.advance", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "dashboard.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0,
                                       "dashboard.show-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "dashboard.show-menu", NULL);
}

static void
ord_dashboard_page_init (OrdDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = g_strdup (ORD_DASHBOARD_FILTER_ALL);
  self->delivered_today = -1;

  self->popover = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  ord_column_set_cells (self->number_column, ORD_ORDER_CELL_NUMBER, on_cell_pressed);
  ord_column_set_cells (self->customer_column, ORD_ORDER_CELL_CUSTOMER, on_cell_pressed);
  ord_column_set_cells (self->created_column, ORD_ORDER_CELL_CREATED, on_cell_pressed);
  ord_column_set_cells (self->due_column, ORD_ORDER_CELL_DUE, on_cell_pressed);
  ord_column_set_cells (self->items_column, ORD_ORDER_CELL_ITEMS, on_cell_pressed);
  ord_column_set_cells (self->total_column, ORD_ORDER_CELL_TOTAL, on_cell_pressed);
  ord_column_set_cells (self->status_column, ORD_ORDER_CELL_STATUS, on_cell_pressed);

  ord_column_set_sort_key (self->number_column, ORD_SORT_NUMBER);
  ord_column_set_sort_key (self->customer_column, ORD_SORT_CUSTOMER);
  ord_column_set_sort_key (self->created_column, ORD_SORT_CREATED);
  ord_column_set_sort_key (self->due_column, ORD_SORT_DUE);
  ord_column_set_sort_key (self->items_column, ORD_SORT_ITEMS);
  ord_column_set_sort_key (self->total_column, ORD_SORT_TOTAL);
  ord_column_set_sort_key (self->status_column, SORT_BY_STATUS);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.undo", FALSE);
}

/**
 * ord_dashboard_page_new:
 * @context: the store and settings to show
 *
 * Returns: (transfer floating): a new dashboard
 */
OrdDashboardPage *
ord_dashboard_page_new (OrdContext *context)
{
  g_return_val_if_fail (ORD_IS_CONTEXT (context), NULL);

  return g_object_new (ORD_TYPE_DASHBOARD_PAGE,
                       "context", context,
                       NULL);
}

OrdContext *
ord_dashboard_page_get_context (OrdDashboardPage *self)
{
  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), NULL);

  return self->context;
}

OrdOrderListModel *
ord_dashboard_page_get_model (OrdDashboardPage *self)
{
  g_return_val_if_fail (ORD_IS_DASHBOARD_PAGE (self), NULL);

  return self->model;
}
