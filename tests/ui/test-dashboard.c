/* test-dashboard.c: the owner's dashboard: counters, filters, bulk status
 * changes with undo, and its list model against 100,000 orders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ord-customers-page-private.h"
#include "ord-dashboard-page-private.h"
#include "ord-store-sync.h"
#include "ord-window-private.h"
#include "ui-test-util.h"

#define N_BIG 100000

static GtkWindow *
open_page (OrdStore          *store,
           OrdDashboardPage **page)
{
  g_autoptr(OrdContext) context = ord_context_new (store, NULL);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  *page = ord_dashboard_page_new (context);
  gtk_window_set_default_size (window, 1200, 700);
  gtk_window_set_child (window, GTK_WIDGET (*page));
  gtk_window_present (window);
  /* As a user finds it: shown, with all its rows after the first frame. */
  ui_test_wait_frame (GTK_WIDGET (window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL ((*page)->selection)), ==,
                    g_list_model_get_n_items (G_LIST_MODEL ((*page)->model)));

  return window;
}

static void
close_page (GtkWindow        *window,
            OrdDashboardPage *page)
{
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_ref (window);
  gtk_window_destroy (window);
  g_assert_finalize_object (window);
  g_assert_null (page);
}

static guint
n_rows (OrdDashboardPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (ord_dashboard_page_get_model (page)));
}

/* The rows the column view has now. */
static guint
view_rows (OrdDashboardPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (page->selection));
}

/* Hands a key press to the list's key controllers, as GTK does. */
static void
press_key_on_list (OrdDashboardPage *page,
                   guint             keyval,
                   GdkModifierType   state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (page->column_view));
  guint n_keys = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      n_keys++;
    }
  g_assert_cmpuint (n_keys, >, 0);
}

static gint64
label_count (GtkLabel *label)
{
  return g_ascii_strtoll (gtk_label_get_label (label), NULL, 10);
}

static gint64
store_count (OrdStore  *store,
             OrdStatus  status)
{
  gint64 counts[ORD_N_STATUSES];
  g_autoptr(GError) error = NULL;

  ord_store_count_by_status (store, counts, &error);
  g_assert_no_error (error);

  return counts[status];
}

/* A new order, created at @created (0: now), with one line. */
static OrdOrder *
create_order_at (OrdStore *store,
                 gint64    created)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(GError) error = NULL;

  ord_customer_set_name (customer, "Ada Lovelace");
  ord_store_save_customer (store, customer, &error);
  g_assert_no_error (error);
  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_created_at (order, created);
  ord_order_item_set_name (item, "Sourdough loaf");
  ord_order_item_set_unit_price (item, 450);
  ord_order_item_set_quantity (item, 2);
  ord_order_add_item (order, item);
  ord_store_create_order (store, order, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&order);
}

static OrdOrder *
create_order (OrdStore *store)
{
  return create_order_at (store, 0);
}

/* Moves @order from pending to @to at @when, by the store's clock. */
static void
set_status_at (OrdStore  *store,
               OrdOrder  *order,
               OrdStatus  to,
               gint64     when)
{
  g_autoptr(GError) error = NULL;

  ord_store_set_now (store, when);
  ord_store_set_status (store, ord_order_get_id (order), ORD_STATUS_PENDING, to, NULL, &error);
  g_assert_no_error (error);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gboolean   *changed)
{
  *changed = TRUE;
}

/* Runs the main loop until the list refreshed after a store change. */
static void
wait_for_refresh (OrdDashboardPage *page)
{
  gboolean changed = FALSE;
  gulong id;

  id = g_signal_connect (ord_dashboard_page_get_model (page), "items-changed",
                         G_CALLBACK (on_items_changed), &changed);
  ui_test_wait_for (&changed, 30000);
  g_signal_handler_disconnect (ord_dashboard_page_get_model (page), id);
  /* The counters refresh in the same idle round or the next. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The counters are the store's; each filters the table to what it counts. */
static void
test_counters (void)
{
  static const struct
  {
    const char *filter;
    OrdStatus   status;
  } filters[] = {
    { "pending", ORD_STATUS_PENDING },
    { "confirmed", ORD_STATUS_CONFIRMED },
    { "preparing", ORD_STATUS_PREPARING },
    { "shipped", ORD_STATUS_SHIPPED },
    { "cancelled", ORD_STATUS_CANCELLED },
  };
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  OrdDashboardPage *page;
  GtkWindow *window;
  UiTestDb db;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 2000);
  window = open_page (db.store, &page);

  g_assert_cmpint (label_count (page->count_all), ==, 2000);
  g_assert_cmpint (label_count (page->count_pending), ==, db.per_status[ORD_STATUS_PENDING]);
  g_assert_cmpint (label_count (page->count_shipped), ==, db.per_status[ORD_STATUS_SHIPPED]);
  g_assert_cmpint (label_count (page->count_cancelled), ==,
                   db.per_status[ORD_STATUS_CANCELLED]);
  /* The filled orders changed long ago. */
  g_assert_cmpint (label_count (page->count_delivered_today), ==, 0);
  g_assert_cmpuint (n_rows (page), ==, 2000);

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      guint n;

      /* As clicking the counter does. */
      gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", filters[i].filter);
      g_assert_cmpstr (ord_dashboard_page_get_filter (page), ==, filters[i].filter);
      n = n_rows (page);
      g_assert_cmpuint (n, ==, db.per_status[filters[i].status]);
      for (guint k = 0; k < n; k += 37)
        {
          g_autoptr(OrdOrder) row = NULL;

          row = g_list_model_get_item (G_LIST_MODEL (ord_dashboard_page_get_model (page)), k);

          g_assert_cmpint (ord_order_get_status (row), ==, filters[i].status);
        }
    }

  /* An order delivered now counts as delivered today, and only it shows. */
  order = create_order (db.store);
  ord_store_set_status (db.store, ord_order_get_id (order), ORD_STATUS_PENDING,
                        ORD_STATUS_DELIVERED, NULL, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "delivered-today");
  wait_for_refresh (page);
  g_assert_cmpint (label_count (page->count_delivered_today), ==, 1);
  g_assert_cmpint (label_count (page->count_all), ==, 2001);
  g_assert_cmpuint (n_rows (page), ==, 1);
  {
    GListModel *model = G_LIST_MODEL (ord_dashboard_page_get_model (page));
    g_autoptr(OrdOrder) row = g_list_model_get_item (model, 0);

    g_assert_cmpstr (ord_order_get_id (row), ==, ord_order_get_id (order));
  }

  /* A search narrows the filter further. */
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "all");
  ord_dashboard_page_set_search (page, "quillfeather");
  g_assert_cmpuint (n_rows (page), ==, db.n_rare);
  ord_dashboard_page_set_search (page, "no such words anywhere");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->list_stack), ==, "no-results");
  ord_dashboard_page_set_search (page, NULL);
  g_assert_cmpuint (n_rows (page), ==, 2001);

  close_page (window, page);
  ui_test_db_clear (&db);
}

/* The orders delivered since local midnight, counted from every order. */
static GHashTable *
delivered_since (OrdStore *store,
                 gint64    day_start)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  OrdOrderQuery everything = { 0 };

  all = ord_store_query_orders (store, &everything, NULL, 100000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (all, i);

      if (ord_order_get_status (order) == ORD_STATUS_DELIVERED &&
          ord_order_get_updated_at (order) >= day_start)
        g_hash_table_add (ids, g_strdup (ord_order_get_id (order)));
    }

  return ids;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* An order made two months ago and delivered today is delivered today:
 * counted and listed, however old; one delivered yesterday is not. */
static void
test_delivered_today_old_order (void)
{
  g_autoptr(GDateTime) noon = g_date_time_new_local (2025, 3, 14, 12, 0, 0);
  g_autoptr(GDateTime) midnight = g_date_time_new_local (2025, 3, 14, 0, 0, 0);
  g_autoptr(GDateTime) made = g_date_time_add_months (noon, -2);
  g_autoptr(OrdOrder) old_today = NULL;
  g_autoptr(OrdOrder) old_yesterday = NULL;
  g_autoptr(OrdOrder) new_today = NULL;
  g_autoptr(OrdOrder) old_shipped = NULL;
  g_autoptr(OrdOrder) later = NULL;
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GDateTime) next_midnight = NULL;
  gint64 tomorrow;
  gboolean waited = FALSE;
  guint timeout_id;
  const gint64 now = g_date_time_to_unix (noon) * G_USEC_PER_SEC;
  const gint64 day_start = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
  const gint64 two_months_ago = g_date_time_to_unix (made) * G_USEC_PER_SEC;
  OrdDashboardPage *page;
  GtkWindow *window;
  UiTestDb db;
  guint n;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 500);

  old_today = create_order_at (db.store, two_months_ago);
  set_status_at (db.store, old_today, ORD_STATUS_DELIVERED, now - G_TIME_SPAN_HOUR);
  old_yesterday = create_order_at (db.store, two_months_ago);
  set_status_at (db.store, old_yesterday, ORD_STATUS_DELIVERED, day_start - G_TIME_SPAN_MINUTE);
  new_today = create_order_at (db.store, now - 2 * G_TIME_SPAN_HOUR);
  set_status_at (db.store, new_today, ORD_STATUS_DELIVERED, now - G_TIME_SPAN_MINUTE);
  old_shipped = create_order_at (db.store, two_months_ago);
  set_status_at (db.store, old_shipped, ORD_STATUS_SHIPPED, now - G_TIME_SPAN_MINUTE);
  /* The dashboard's "today" is the store's. */
  ord_store_set_now (db.store, now);

  expected = delivered_since (db.store, day_start);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 2);
  g_assert_true (g_hash_table_contains (expected, ord_order_get_id (old_today)));

  window = open_page (db.store, &page);
  g_assert_cmpint (label_count (page->count_delivered_today), ==, g_hash_table_size (expected));

  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "delivered-today");
  n = n_rows (page);
  g_assert_cmpuint (n, ==, g_hash_table_size (expected));
  for (guint i = 0; i < n; i++)
    {
      GListModel *model = G_LIST_MODEL (ord_dashboard_page_get_model (page));
      g_autoptr(OrdOrder) row = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_contains (expected, ord_order_get_id (row)));
    }

  /* One more, made two months ago and delivered now, while the page shows. */
  later = create_order_at (db.store, two_months_ago + G_TIME_SPAN_HOUR);
  set_status_at (db.store, later, ORD_STATUS_DELIVERED, now);
  wait_for_refresh (page);
  g_clear_pointer (&expected, g_hash_table_unref);
  expected = delivered_since (db.store, day_start);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 3);
  g_assert_cmpint (label_count (page->count_delivered_today), ==, 3);
  g_assert_cmpuint (n_rows (page), ==, 3);

  /* Midnight comes while the page shows and nothing changes: the counter
   * and the filtered list start again from zero. */
  next_midnight = g_date_time_add_days (midnight, 1);
  tomorrow = g_date_time_to_unix (next_midnight) * G_USEC_PER_SEC;
  ord_store_set_now (db.store, tomorrow - 300 * 1000);
  ord_dashboard_page_update_counts (page);
  g_assert_cmpint (label_count (page->count_delivered_today), ==, 3);
  ord_store_set_now (db.store, tomorrow + G_USEC_PER_SEC);
  timeout_id = g_timeout_add (2000, on_timeout, &waited);
  while (!waited && label_count (page->count_delivered_today) != 0)
    g_main_context_iteration (NULL, TRUE);
  if (!waited)
    g_source_remove (timeout_id);
  g_assert_cmpint (label_count (page->count_delivered_today), ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_rows (page), ==, 0);

  close_page (window, page);
  ui_test_db_clear (&db);
}

/* Clicking the Items column sorts by the number of lines, both ways. */
static void
test_sort_by_items (void)
{
  OrdDashboardPage *page;
  OrdOrderListModel *model;
  GtkWindow *window;
  UiTestDb db;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 600);
  window = open_page (db.store, &page);
  model = ord_dashboard_page_get_model (page);

  for (int descending = 0; descending <= 1; descending++)
    {
      guint lines[4] = { 0 };
      guint previous = descending ? G_MAXUINT : 0;

      gtk_column_view_sort_by_column (page->column_view, page->items_column,
                                      descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
      g_assert_cmpint (ord_order_list_model_get_sort (model), ==, ORD_SORT_ITEMS);
      g_assert_cmpint (ord_order_list_model_get_descending (model), ==, descending);
      g_assert_false (ord_order_list_model_get_by_status (model));
      g_assert_cmpuint (n_rows (page), ==, 600);

      for (guint i = 0; i < 600; i++)
        {
          g_autoptr(OrdOrder) row = g_list_model_get_item (G_LIST_MODEL (model), i);
          guint count = ord_order_get_item_count (row);

          if (descending)
            g_assert_cmpuint (count, <=, previous);
          else
            g_assert_cmpuint (count, >=, previous);
          g_assert_cmpuint (count, <, G_N_ELEMENTS (lines));
          lines[count]++;
          previous = count;
        }
      /* The filled orders have one to three lines: all of them show. */
      g_assert_cmpuint (lines[0], ==, 0);
      g_assert_cmpuint (lines[1], >, 0);
      g_assert_cmpuint (lines[3], >, 0);
    }

  close_page (window, page);
  ui_test_db_clear (&db);
}

static GPtrArray *
pending_ids (OrdStore *store)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  OrdOrderQuery query = { .status_mask = 1u << ORD_STATUS_PENDING };

  orders = ord_store_query_orders (store, &query, NULL, 100000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < orders->len; i++)
    g_ptr_array_add (ids, g_strdup (ord_order_get_id (g_ptr_array_index (orders, i))));

  return ids;
}

static OrdStatus
stored_status (OrdStore   *store,
               const char *id)
{
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  order = ord_store_get_order (store, id, &error);
  g_assert_no_error (error);

  return ord_order_get_status (order);
}

/* Every pending order confirmed at once, then put back by Undo (Ctrl+Z),
 * each with its timeline entries. */
static void
test_bulk_status_and_undo (void)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  OrdDashboardPage *page;
  GtkWindow *window;
  UiTestDb db;
  gint64 confirmed;
  guint n_pending;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 1500);
  n_pending = db.per_status[ORD_STATUS_PENDING];
  confirmed = store_count (db.store, ORD_STATUS_CONFIRMED);
  ids = pending_ids (db.store);
  g_assert_cmpuint (ids->len, ==, n_pending);
  g_assert_cmpuint (n_pending, >, 100);

  window = open_page (db.store, &page);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (page->action_bar)) &&
                  gtk_action_bar_get_revealed (page->action_bar));

  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "pending");
  g_assert_cmpuint (n_rows (page), ==, n_pending);
  /* Ctrl+A on the list selects every row (also in the frame after a new
   * query that shows a screenful: test-window checks that). */
  press_key_on_list (page, GDK_KEY_a, GDK_CONTROL_MASK);
  g_assert_cmpuint (view_rows (page), ==, n_pending);
  gtk_selection_model_select_all (page->selection);
  g_assert_true (gtk_action_bar_get_revealed (page->action_bar));

  /* Confirming can be undone: no question asked. */
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.set-status", "s", "confirmed");
  g_assert_cmpint (store_count (db.store, ORD_STATUS_PENDING), ==, 0);
  g_assert_cmpint (store_count (db.store, ORD_STATUS_CONFIRMED), ==, confirmed + n_pending);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (stored_status (db.store, ids->pdata[i]), ==, ORD_STATUS_CONFIRMED);
  g_assert_nonnull (page->undo_toast);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (page)));
  wait_for_refresh (page);
  g_assert_cmpuint (n_rows (page), ==, 0);
  g_assert_cmpint (label_count (page->count_pending), ==, 0);

  /* Ctrl+Z activates dashboard.undo. */
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.undo", NULL);
  g_assert_cmpint (store_count (db.store, ORD_STATUS_PENDING), ==, n_pending);
  g_assert_cmpint (store_count (db.store, ORD_STATUS_CONFIRMED), ==, confirmed);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (stored_status (db.store, ids->pdata[i]), ==, ORD_STATUS_PENDING);
  g_assert_null (page->undo_toast);
  wait_for_refresh (page);
  g_assert_cmpuint (n_rows (page), ==, n_pending);
  g_assert_cmpint (label_count (page->count_pending), ==, n_pending);

  /* The timeline says both: confirmed, then moved back. */
  events = ord_store_get_events (db.store, ids->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 3);
  g_assert_cmpint (ord_order_event_get_to_status (g_ptr_array_index (events, events->len - 2)),
                   ==, ORD_STATUS_CONFIRMED);
  g_assert_cmpint (ord_order_event_get_to_status (g_ptr_array_index (events, events->len - 1)),
                   ==, ORD_STATUS_PENDING);

  /* A second undo has nothing left to do. */
  g_assert_cmpuint (ord_dashboard_page_undo (page), ==, 0);
  g_assert_cmpint (store_count (db.store, ORD_STATUS_PENDING), ==, n_pending);

  /* Shipping cannot be moved back: it gives no undo. */
  gtk_selection_model_unselect_all (page->selection);
  gtk_selection_model_select_item (page->selection, 0, TRUE);
  g_assert_cmpuint (ord_dashboard_page_set_selected_status (page, ORD_STATUS_SHIPPED, NULL),
                    ==, 1);
  g_assert_null (page->undo);
  g_assert_cmpint (store_count (db.store, ORD_STATUS_PENDING), ==, n_pending - 1);

  /* A delivered order cannot go back: the status machine refuses, the
   * store keeps it as it was. */
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "delivered");
  gtk_selection_model_select_item (page->selection, 0, TRUE);
  {
    g_autoptr(OrdOrder) delivered = ord_rows_get_order (G_LIST_MODEL (page->selection), 0);

    g_assert_cmpuint (ord_dashboard_page_set_selected_status (page, ORD_STATUS_CONFIRMED, NULL),
                      ==, 0);
    g_assert_cmpint (stored_status (db.store, ord_order_get_id (delivered)), ==,
                     ORD_STATUS_DELIVERED);
  }

  close_page (window, page);
  ui_test_db_clear (&db);
}

/* A change elsewhere refreshes the rows; the selected order stays selected. */
static void
test_selection_survives_refresh (void)
{
  g_autoptr(OrdOrder) selected = NULL;
  g_autoptr(OrdOrder) other = NULL;
  g_autoptr(OrdOrder) after = NULL;
  g_autoptr(GtkBitset) selection = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;
  OrdDashboardPage *page;
  GtkWindow *window;
  UiTestDb db;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 800);
  window = open_page (db.store, &page);
  model = G_LIST_MODEL (ord_dashboard_page_get_model (page));

  /* Pending orders come first: move the second one on, select the fifth. */
  gtk_selection_model_select_item (page->selection, 4, TRUE);
  selected = g_list_model_get_item (model, 4);
  other = g_list_model_get_item (model, 1);
  g_assert_cmpint (ord_order_get_status (other), ==, ORD_STATUS_PENDING);
  g_assert_cmpint (ord_order_get_status (selected), ==, ORD_STATUS_PENDING);
  g_assert_nonnull (page->detail_id);
  g_assert_cmpstr (page->detail_id, ==, ord_order_get_id (selected));

  ord_store_set_status (db.store, ord_order_get_id (other), ORD_STATUS_PENDING,
                        ORD_STATUS_CONFIRMED, NULL, &error);
  g_assert_no_error (error);
  wait_for_refresh (page);

  /* The row moved up one place, still selected, updated in place. */
  selection = gtk_selection_model_get_selection (page->selection);
  g_assert_cmpuint (gtk_bitset_get_size (selection), ==, 1);
  after = g_list_model_get_item (model, gtk_bitset_get_minimum (selection));
  g_assert_cmpstr (ord_order_get_id (after), ==, ord_order_get_id (selected));
  g_assert_cmpint (ord_order_get_status (other), ==, ORD_STATUS_CONFIRMED);
  g_assert_cmpstr (page->detail_id, ==, ord_order_get_id (selected));

  close_page (window, page);
  ui_test_db_clear (&db);
}

/* A customer's amendment of @order, as the change feed brings it. */
static void
feed_held (OrdStore   *store,
           const char *held_id,
           OrdOrder   *order,
           const char *notes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf (
    "{\"id\":\"%s\",\"order_id\":\"%s\",\"order_number\":null,\"customer_name\":\"Ada Lovelace\","
    "\"subject\":\"ada\",\"args\":{\"order_id\":\"%s\",\"base_version\":0,"
    "\"fields\":{\"notes\":\"%s\"},\"items\":{\"add\":[{\"id\":\"line-%s\",\"product_id\":null,"
    "\"sku\":null,\"name\":\"Butter\",\"unit_price\":300,\"quantity\":1,\"discount\":0}],"
    "\"change\":[],\"remove\":[],\"order\":[]}},\"created_at\":%" G_GINT64_FORMAT "}",
    held_id, ord_order_get_id (order), ord_order_get_id (order), notes, held_id,
    g_get_real_time ());
  g_autoptr(JsonNode) data = json_from_string (text, &error);
  OrdSyncRecord record = { "held", held_id, 1, FALSE, NULL, NULL };

  g_assert_no_error (error);
  record.data = json_node_get_object (data);
  ord_store_sync_apply_page (store, &record, 1, 1, &error);
  g_assert_no_error (error);
}

/* The first button in @widget's tree bound to @action. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
tree_has_label (GtkWidget  *widget,
                const char *part)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), part) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (tree_has_label (child, part))
      return TRUE;

  return FALSE;
}

static void
select_order (OrdDashboardPage *page,
              OrdOrder         *order)
{
  GListModel *model = G_LIST_MODEL (ord_dashboard_page_get_model (page));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OrdOrder) row = g_list_model_get_item (model, i);

      if (g_strcmp0 (ord_order_get_id (row), ord_order_get_id (order)) == 0)
        {
          gtk_selection_model_select_item (page->selection, i, TRUE);
          g_assert_cmpstr (page->detail_id, ==, ord_order_get_id (order));
          return;
        }
    }
  g_assert_not_reached ();
}

/* The resolve_held rows of the outbox whose arguments say @part. */
static guint
outbox_resolves (OrdStore   *store,
                 const char *part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ord_store_sync_read_outbox (store, 0, 1000, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      OrdOutboxRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->name, "resolve_held") == 0 && strstr (row->args, part) != NULL)
        n++;
    }

  return n;
}

/* The detail pane lists a customer's held change with what it changes;
 * Approve applies it, Decline… asks for a reason; both are queued for the
 * server and take the order out of "Needs attention". */
static void
test_held_detail (void)
{
  g_autoptr(OrdOrder) first = NULL;
  g_autoptr(OrdOrder) second = NULL;
  g_autoptr(GError) error = NULL;
  OrdDashboardPage *page;
  GtkWindow *window;
  GtkWidget *button;
  UiTestDb db;

  ui_test_db_init (&db);
  first = create_order (db.store);
  second = create_order (db.store);
  set_status_at (db.store, first, ORD_STATUS_CONFIRMED, g_get_real_time ());
  set_status_at (db.store, second, ORD_STATUS_CONFIRMED, g_get_real_time ());
  feed_held (db.store, "7", first, "extra butter");
  feed_held (db.store, "8", second, "no crust");
  g_assert_cmpint (ord_store_count_attention (db.store, NULL), ==, 2);

  window = open_page (db.store, &page);
  /* A counter shows them and filters the table to them. */
  g_assert_true (gtk_widget_get_visible (page->attention_counter));
  g_assert_cmpint (label_count (page->count_attention), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "attention");
  g_assert_cmpuint (n_rows (page), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (page), "dashboard.filter", "s", "all");
  select_order (page, first);
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "Requested Changes"));
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "Ada Lovelace asked"));
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "→ extra butter"));
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "1 × Butter"));
  /* ORD_TEST_SCREENSHOT_PAUSE=ms keeps the pane on screen for a look. */
  if (g_getenv ("ORD_TEST_SCREENSHOT_PAUSE"))
    {
      gint64 until = g_get_monotonic_time () +
                     1000 * (gint64) g_ascii_strtoull (g_getenv ("ORD_TEST_SCREENSHOT_PAUSE"),
                                                       NULL, 10);

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
    }

  /* Approve: the order changes here at once; the decision waits in the
   * outbox. */
  button = find_action_button (GTK_WIDGET (page->detail_box), "dashboard.approve-held");
  g_assert_nonnull (button);
  /* As a click does (activate would press it for a moment first). */
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (outbox_resolves (db.store, "\"approve\""), ==, 1);
  {
    g_autoptr(OrdOrder) x = ord_store_get_order (db.store, ord_order_get_id (first), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ord_order_get_notes (x), ==, "extra butter");
    g_assert_cmpuint (ord_order_get_n_items (x), ==, 2);
  }
  g_assert_cmpuint (outbox_resolves (db.store, "\"approve\""), ==, 1);
  g_assert_cmpint (ord_store_count_attention (db.store, NULL), ==, 1);
  wait_for_refresh (page);
  g_assert_cmpint (label_count (page->count_attention), ==, 1);
  g_assert_cmpstr (page->detail_id, ==, ord_order_get_id (first));
  g_assert_null (find_action_button (GTK_WIDGET (page->detail_box), "dashboard.approve-held"));
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "Approved; sent with the next"));
  /* The order now has the change: nothing is left to list as "old → new". */
  g_assert_false (tree_has_label (GTK_WIDGET (page->detail_box), "→ extra butter"));
  g_assert_false (tree_has_label (GTK_WIDGET (page->detail_box), "1 × Butter"));
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "The order has the change"));

  /* Decline…: a reason is required, then the order stays as it was. */
  select_order (page, second);
  button = find_action_button (GTK_WIDGET (page->detail_box), "dashboard.decline-held");
  g_assert_nonnull (button);
  /* As a click does (activate would press it for a moment first). */
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (page->decline_dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (page->decline_dialog, "decline"));
  gtk_editable_set_text (page->decline_reason, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (page->decline_dialog, "decline"));
  gtk_editable_set_text (page->decline_reason, "Out of butter");
  g_assert_true (adw_message_dialog_get_response_enabled (page->decline_dialog, "decline"));
  adw_message_dialog_response (page->decline_dialog, "decline");
  g_assert_null (page->decline_dialog);
  {
    g_autoptr(OrdOrder) x = ord_store_get_order (db.store, ord_order_get_id (second), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ord_order_get_notes (x), ==, "");
    g_assert_cmpuint (ord_order_get_n_items (x), ==, 1);
  }
  g_assert_cmpuint (outbox_resolves (db.store, "\"Out of butter\""), ==, 1);
  g_assert_cmpint (ord_store_count_attention (db.store, NULL), ==, 0);
  wait_for_refresh (page);
  g_assert_true (tree_has_label (GTK_WIDGET (page->detail_box), "Declined (Out of butter)"));
  /* Nothing needs attention any more: the counter goes. */
  g_assert_false (gtk_widget_get_visible (page->attention_counter));

  close_page (window, page);
  ui_test_db_clear (&db);
}

/* The window's shell: the dashboard is a page of the view switcher, and
 * the window's search reaches it. */
static void
test_window_pages (void)
{
  g_autoptr(OrdContext) context = NULL;
  OrdCustomersPage *customers;
  GtkWidget *bin;
  OrdWindow *window;
  UiTestDb db;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 300);
  context = ord_context_new (db.store, NULL);
  window = ord_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));

  /* The owner's pages are built when first shown. */
  g_assert_null (window->dashboard);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "orders");
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("dashboard"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (window->view_stack), ==, "dashboard");
  g_assert_nonnull (window->dashboard);
  g_assert_true (adw_bin_get_child (ADW_BIN (adw_view_stack_get_child_by_name (
                   window->view_stack, "dashboard"))) == GTK_WIDGET (window->dashboard));

  /* The owner's other pages, and another one is a few lines. The
   * customers are read only once their page is shown. */
  g_assert_nonnull (adw_view_stack_get_child_by_name (window->view_stack, "products"));
  bin = adw_view_stack_get_child_by_name (window->view_stack, "customers");
  g_assert_nonnull (bin);
  g_assert_null (adw_bin_get_child (ADW_BIN (bin)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("customers"));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  customers = (OrdCustomersPage *) adw_bin_get_child (ADW_BIN (bin));
  g_assert_nonnull (customers);
  g_assert_true (ord_catalogue_list_model_is_loaded (customers->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (customers->model)), >, 0);
  ord_window_add_page (window, gtk_label_new ("Reports"), "reports", "Reports",
                       "x-office-document-symbolic");
  g_assert_nonnull (adw_view_stack_get_child_by_name (window->view_stack, "reports"));

  /* The header bar holds the sync indicator when the context syncs. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->header_extra)) ==
                 (ord_context_get_sync_controller (context) != NULL));
  ord_window_set_header_extra (window, gtk_label_new ("Synced"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->header_extra)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-page",
                                  g_variant_new_string ("dashboard"));

  gtk_editable_set_text (GTK_EDITABLE (window->search_entry), "quillfeather");
  g_signal_emit_by_name (window->search_entry, "search-changed");
  g_assert_cmpuint (n_rows (window->dashboard), ==, db.n_rare);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

/* The model of the dashboard against 100,000 orders. */

static void
assert_row (OrdOrderListModel   *model,
            OrdStore            *store,
            const OrdOrderQuery *query,
            guint                position)
{
  g_autoptr(OrdOrder) row = g_list_model_get_item (G_LIST_MODEL (model), position);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;

  expected = ord_store_query_orders_at (store, query, position, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, ==, 1);
  g_assert_nonnull (row);
  g_assert_cmpstr (ord_order_get_id (row), ==, ord_order_get_id (g_ptr_array_index (expected, 0)));
}

static void
test_model_big (void)
{
  static const struct
  {
    guint       mask;
    const char *text;
  } filters[] = {
    { 0, NULL },
    { 1u << ORD_STATUS_PENDING, NULL },
    { 1u << ORD_STATUS_CONFIRMED, NULL },
    { 1u << ORD_STATUS_PREPARING, NULL },
    { 1u << ORD_STATUS_SHIPPED, NULL },
    { 1u << ORD_STATUS_DELIVERED, NULL },
    { 1u << ORD_STATUS_CANCELLED, NULL },
    { (1u << ORD_STATUS_PENDING) | (1u << ORD_STATUS_CONFIRMED), NULL },
    { 0, "quillfeather" },
    { 1u << ORD_STATUS_SHIPPED, "zebedee" },
  };
  g_autoptr(OrdOrderListModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (31);
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(OrdOrder) previous = NULL;
  gint64 counts[ORD_N_STATUSES];
  g_autoptr(GError) error = NULL;
  UiTestDb db;
  guint start;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, N_BIG);
  model = ord_order_list_model_new (db.store);

  /* Each sort, both ways, under each filter: the count and rows at random
   * places (the first and last among them) are the store's own. */
  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    for (OrdSortKey key = 0; key < ORD_N_SORT_KEYS; key++)
      for (int descending = 0; descending <= 1; descending++)
        {
          OrdOrderQuery query = {
            .status_mask = filters[f].mask,
            .sort = key,
            .descending = descending,
            .text = filters[f].text,
          };
          gint64 expected_n;
          guint n;

          ord_order_list_model_set_status_mask (model, filters[f].mask);
          ord_order_list_model_set_text (model, filters[f].text);
          ord_order_list_model_set_sort (model, key, descending);

          expected_n = ord_store_count_orders (db.store, &query, &error);
          g_assert_no_error (error);
          n = g_list_model_get_n_items (G_LIST_MODEL (model));
          g_assert_cmpint (n, ==, expected_n);
          if (n == 0)
            continue;

          assert_row (model, db.store, &query, 0);
          assert_row (model, db.store, &query, n - 1);
          for (guint i = 0; i < 4; i++)
            assert_row (model, db.store, &query, g_rand_int_range (rand, 0, n));
        }

  /* Grouped by status (the Status column): as many rows as the counters
   * say; each row at a random place is the store's row of its status at
   * the offset within its group. */
  ord_order_list_model_set_status_mask (model, 0);
  ord_order_list_model_set_text (model, NULL);
  ord_store_count_by_status (db.store, counts, &error);
  g_assert_no_error (error);
  for (int descending = 0; descending <= 1; descending++)
    {
      ord_order_list_model_set_sort_full (model, TRUE, ORD_SORT_TOTAL, descending);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_BIG);

      for (guint i = 0; i < 24; i++)
        {
          guint position = g_rand_int_range (rand, 0, N_BIG);
          OrdOrderQuery query = { .sort = ORD_SORT_TOTAL, .descending = descending };
          guint offset = position;
          int s;

          for (s = descending ? ORD_N_STATUSES - 1 : 0;
               offset >= counts[s];
               s += descending ? -1 : 1)
            offset -= counts[s];
          query.status_mask = 1u << s;
          {
            g_autoptr(OrdOrder) row = g_list_model_get_item (G_LIST_MODEL (model), position);
            g_autoptr(GPtrArray) expected = ord_store_query_orders_at (db.store, &query, offset,
                                                                      1, &error);

            g_assert_no_error (error);
            g_assert_cmpint (ord_order_get_status (row), ==, s);
            g_assert_cmpstr (ord_order_get_id (row), ==,
                             ord_order_get_id (g_ptr_array_index (expected, 0)));
          }
        }
    }

  /* And one walk over all of it: each order once, statuses in order,
   * oldest first within each. */
  ord_order_list_model_set_sort_full (model, TRUE, ORD_SORT_CREATED, FALSE);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  start = 0;
  for (guint i = 0; i < N_BIG; i++)
    {
      g_autoptr(OrdOrder) row = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_nonnull (row);
      g_assert_true (g_hash_table_add (seen, g_strdup (ord_order_get_id (row))));
      if (previous != NULL)
        {
          OrdStatus a = ord_order_get_status (previous), b = ord_order_get_status (row);

          g_assert_cmpint (a, <=, b);
          if (a == b)
            g_assert_cmpint (ord_order_get_created_at (previous), <=,
                             ord_order_get_created_at (row));
          else
            {
              g_assert_cmpint (i - start, ==, counts[a]);
              start = i;
            }
        }
      g_set_object (&previous, row);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_BIG);

  g_clear_object (&previous);
  g_assert_finalize_object (g_steal_pointer (&model));
  ui_test_db_clear (&db);
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run the UI tests under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  /* Counts are read back as the C locale writes them. */
  gtk_disable_setlocale ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/dashboard/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/dashboard/counters", test_counters);
  g_test_add_func ("/dashboard/delivered-today-old-order", test_delivered_today_old_order);
  g_test_add_func ("/dashboard/sort-by-items", test_sort_by_items);
  g_test_add_func ("/dashboard/bulk-status-and-undo", test_bulk_status_and_undo);
  g_test_add_func ("/dashboard/selection-survives-refresh", test_selection_survives_refresh);
  g_test_add_func ("/dashboard/window-pages", test_window_pages);
  g_test_add_func ("/dashboard/held-detail", test_held_detail);
  g_test_add_func ("/dashboard/model-100k", test_model_big);

  return g_test_run ();
}
