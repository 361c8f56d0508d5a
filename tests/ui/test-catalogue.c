/* test-catalogue.c: adding, refusing, deactivating products; editing
 * customers and reading their orders and totals, through the pages
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ord-catalogue-page-private.h"
#include "ord-customers-page-private.h"
#include "ord-ui.h"
#include "ord-ui-format.h"
#include "ui-test-util.h"

static GtkWidget *
show_page (GtkWidget *page)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
close_page (GtkWidget *window,
            GtkWidget *page)
{
  g_object_ref (page);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (page);
}

/* Lets the idle work (list refreshes, search delays) happen. */
static void
run_main_loop (guint ms)
{
  gboolean done = FALSE;
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (!done)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      done = g_get_monotonic_time () >= end;
      if (!done)
        g_usleep (10000);
    }
}

static const char *
shown_error (GtkLabel *label)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;
  return gtk_label_get_text (label);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }

  return NULL;
}

/* What a click on a response button does: respond, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  run_main_loop (50);
}

static OrdProduct *
save_product (OrdStore   *store,
              const char *sku,
              const char *name,
              gint64      price)
{
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(GError) error = NULL;

  ord_product_set_sku (product, sku);
  ord_product_set_name (product, name);
  ord_product_set_unit_price (product, price);
  ord_product_set_currency (product, "EUR");
  ord_product_set_active (product, TRUE);
  g_assert_true (ord_store_save_product (store, product, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&product);
}

static void
test_add_product (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdProduct) saved = NULL;
  g_autoptr(GError) error = NULL;
  OrdCataloguePage *page;
  GtkWidget *window;

  ui_test_db_init (&db);
  context = ord_context_new (db.store, NULL);
  page = ORD_CATALOGUE_PAGE (ord_catalogue_page_new (context));
  window = show_page (GTK_WIDGET (page));

  /* An empty catalogue says so, and offers to add. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->list_stack), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->detail_stack), ==, "none");

  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.add", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->detail_stack), ==, "form");
  g_assert_cmpstr (gtk_label_get_text (page->title_label), ==, "New Product");
  g_assert_cmpstr (gtk_label_get_text (page->currency_label), ==, "EUR");
  g_assert_true (gtk_switch_get_active (page->active_switch));

  gtk_editable_set_text (page->sku_row, "TEA-07");
  gtk_editable_set_text (page->name_row, "Sencha green tea, 100 g");
  gtk_editable_set_text (page->price_row, "12.50");
  g_assert_null (shown_error (page->error_label));
  g_assert_true (gtk_widget_get_sensitive (page->save_button));
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_null (shown_error (page->error_label));

  saved = ord_store_get_product_by_sku (db.store, "TEA-07", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_product_get_name (saved), ==, "Sencha green tea, 100 g");
  g_assert_cmpint (ord_product_get_unit_price (saved), ==, 1250);
  g_assert_cmpstr (ord_product_get_currency (saved), ==, "EUR");
  g_assert_true (ord_product_get_active (saved));

  /* The list shows it, and the form now edits it. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->list_stack), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (page->title_label), ==, "Sencha green tea, 100 g");
  g_assert_cmpstr (gtk_label_get_text (page->count_label), ==, "1 active product");
  g_assert_false (gtk_widget_get_sensitive (page->save_button));

  close_page (window, GTK_WIDGET (page));
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

/* Wrong values are refused with a message in words, and nothing is
 * written. */
static void
test_refuse_product (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdProduct) mug = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  OrdCataloguePage *page;
  GtkWidget *window;

  ui_test_db_init (&db);
  mug = save_product (db.store, "MUG-01", "Enamel mug", 995);
  context = ord_context_new (db.store, NULL);
  page = ORD_CATALOGUE_PAGE (ord_catalogue_page_new (context));
  window = show_page (GTK_WIDGET (page));

  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.add", NULL);
  gtk_editable_set_text (page->sku_row, "MUG-01");
  gtk_editable_set_text (page->name_row, "Another mug");
  gtk_editable_set_text (page->price_row, "7");
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_cmpstr (shown_error (page->error_label), ==,
                   "Another product already has the SKU “MUG-01”");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (page->sku_row), "error"));
  /* Still the new product's form, with what was typed. */
  g_assert_cmpstr (gtk_label_get_text (page->title_label), ==, "New Product");
  g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, "Another mug");

  gtk_editable_set_text (page->sku_row, "MUG-02");
  gtk_editable_set_text (page->price_row, "-3");
  g_assert_cmpstr (shown_error (page->error_label), ==, "The price must not be negative");
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_cmpstr (shown_error (page->error_label), ==, "The price must not be negative");

  gtk_editable_set_text (page->price_row, "seven");
  g_assert_cmpstr (shown_error (page->error_label), ==, "“seven” is not a price");

  gtk_editable_set_text (page->price_row, "7.00");
  gtk_editable_set_text (page->name_row, "   ");
  g_assert_null (shown_error (page->error_label));
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_cmpstr (shown_error (page->error_label), ==, "Enter the product’s name");

  all = ord_store_find_products (db.store, NULL, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);

  /* Corrected, it is saved. */
  gtk_editable_set_text (page->name_row, "Tall mug");
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_null (shown_error (page->error_label));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = ord_store_find_products (db.store, NULL, FALSE, 0, &error);
  g_assert_cmpuint (all->len, ==, 2);

  close_page (window, GTK_WIDGET (page));
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

static void
test_deactivate_product (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdProduct) mug = NULL;
  g_autoptr(OrdProduct) jug = NULL;
  g_autoptr(OrdProduct) stored = NULL;
  g_autoptr(GPtrArray) pickable = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdProduct) first = NULL;
  OrdCataloguePage *page;
  GtkWidget *window;

  ui_test_db_init (&db);
  mug = save_product (db.store, "MUG-01", "Enamel mug", 995);
  jug = save_product (db.store, "JUG-02", "Milk jug", 1250);
  context = ord_context_new (db.store, NULL);
  page = ORD_CATALOGUE_PAGE (ord_catalogue_page_new (context));
  window = show_page (GTK_WIDGET (page));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 2);
  g_assert_cmpstr (gtk_label_get_text (page->count_label), ==, "2 active products");

  /* By name: the mug comes first. Choosing it fills the form. */
  first = g_list_model_get_item (G_LIST_MODEL (page->model), 0);
  g_assert_cmpstr (ord_product_get_sku (first), ==, "MUG-01");
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), 0, TRUE);
  g_assert_cmpstr (gtk_editable_get_text (page->sku_row), ==, "MUG-01");
  g_assert_cmpstr (gtk_editable_get_text (page->price_row), ==, "9.95");
  g_assert_false (gtk_widget_get_sensitive (page->save_button));

  /* Changes are not dropped by choosing another product unasked. */
  gtk_editable_set_text (page->name_row, "Enamel mug, blue");
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), 1, TRUE);
  respond (find_dialog (), "cancel");
  g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, "Enamel mug, blue");
  g_assert_cmpstr (gtk_editable_get_text (page->sku_row), ==, "MUG-01");
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), 1, TRUE);
  respond (find_dialog (), "discard");
  g_assert_cmpstr (gtk_editable_get_text (page->sku_row), ==, "JUG-02");
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), 0, TRUE);
  g_assert_null (find_dialog ());
  g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, "Enamel mug");

  gtk_switch_set_active (page->active_switch, FALSE);
  g_assert_true (gtk_widget_get_sensitive (page->save_button));
  gtk_widget_activate_action (GTK_WIDGET (page), "catalogue.save", NULL);
  g_assert_null (shown_error (page->error_label));

  stored = ord_store_get_product (db.store, ord_product_get_id (mug), &error);
  g_assert_no_error (error);
  g_assert_false (ord_product_get_active (stored));
  pickable = ord_store_find_products (db.store, NULL, TRUE, 0, &error);
  g_assert_cmpuint (pickable->len, ==, 1);

  /* Gone from the active list, in the inactive one. */
  run_main_loop (50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (page->model), 0);
  g_assert_cmpstr (ord_product_get_sku (first), ==, "JUG-02");
  g_assert_cmpstr (gtk_label_get_text (page->count_label), ==, "1 active product");

  gtk_toggle_button_set_active (page->filter_inactive, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (page->model), 0);
  g_assert_cmpstr (ord_product_get_sku (first), ==, "MUG-01");
  g_assert_cmpstr (gtk_label_get_text (page->count_label), ==, "1 inactive product");

  /* A search finds within the filter. */
  gtk_toggle_button_set_active (page->filter_all, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 2);
  gtk_editable_set_text (page->search_entry, "jug");
  run_main_loop (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);
  gtk_editable_set_text (page->search_entry, "nothing like it");
  run_main_loop (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->list_stack), ==, "no-results");

  close_page (window, GTK_WIDGET (page));
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

typedef struct
{
  gint64      n_orders;
  gint64      spend;
  gint64      last;
  const char *newest_id;
} Expected;

/* From every order, through the orders list: what the page must show. */
static GPtrArray *
orders_of (OrdStore   *store,
           const char *customer_id,
           Expected   *e)
{
  OrdOrderQuery query = { 0 };
  OrdOrderCursor cursor = { 0 };
  GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);

  memset (e, 0, sizeof *e);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = ord_store_query_orders (store, &query, &cursor, 500, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        {
          OrdOrder *order = g_ptr_array_index (page, i);

          if (g_strcmp0 (ord_order_get_customer_id (order), customer_id) != 0)
            continue;
          g_ptr_array_add (mine, g_object_ref (order));
          e->n_orders++;
          if (ord_order_get_status (order) != ORD_STATUS_CANCELLED)
            e->spend += ord_order_get_total (order);
          if (ord_order_get_created_at (order) >= e->last)
            {
              e->last = ord_order_get_created_at (order);
              e->newest_id = ord_order_get_id (order);
            }
        }
    }
  ord_order_cursor_clear (&cursor);

  return mine;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (list)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LIST_BOX_ROW (w))
      n++;

  return n;
}

static OrdCustomersPage *
open_customers (OrdContext  *context,
                GtkWidget  **window)
{
  OrdCustomersPage *page = ORD_CUSTOMERS_PAGE (ord_customers_page_new (context));

  *window = show_page (GTK_WIDGET (page));

  return page;
}

/* Finds the rare customer by searching and chooses them. */
static OrdCustomer *
choose_rare_customer (OrdCustomersPage *page)
{
  OrdCustomer *customer;

  gtk_editable_set_text (page->search_entry, "quillfeather");
  run_main_loop (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);
  customer = g_list_model_get_item (G_LIST_MODEL (page->model), 0);
  g_assert_cmpstr (ord_customer_get_name (customer), ==, UI_TEST_RARE_CUSTOMER);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), 0, TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (page->detail_stack), ==, "form");

  return customer;
}

static void
test_customer_history (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(OrdCustomer) stored = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *spend = NULL;
  OrdCustomersPage *page;
  GtkWidget *window;
  GtkListBoxRow *row;
  Expected e;

  ui_test_db_init (&db);
  /* More of the rare customer's orders than one page of the history. */
  ui_test_db_fill (&db, 60 * UI_TEST_RARE_EVERY);
  g_assert_cmpuint (db.n_rare, >, ORD_CUSTOMERS_PAGE_HISTORY_PAGE);
  context = ord_context_new (db.store, NULL);
  page = open_customers (context, &window);

  customer = choose_rare_customer (page);
  mine = orders_of (db.store, ord_customer_get_id (customer), &e);
  g_assert_cmpint (e.n_orders, ==, db.n_rare);

  g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, UI_TEST_RARE_CUSTOMER);
  count = g_strdup_printf ("%'" G_GINT64_FORMAT, e.n_orders);
  g_assert_cmpstr (gtk_label_get_text (page->orders_value), ==, count);
  spend = ord_format_order_total (e.spend, "EUR");
  g_assert_cmpstr (gtk_label_get_text (page->spend_value), ==, spend);

  /* The newest order first, one page of them, then more on demand. */
  g_assert_cmpuint (count_rows (page->history_list), ==, ORD_CUSTOMERS_PAGE_HISTORY_PAGE);
  row = gtk_list_box_get_row_at_index (page->history_list, 0);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "order-id"), ==, e.newest_id);
  g_assert_true (gtk_widget_get_sensitive (page->show_more_button));
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.show-more", NULL);
  g_assert_cmpuint (count_rows (page->history_list), ==, db.n_rare);
  g_assert_false (gtk_widget_get_sensitive (page->show_more_button));

  /* Edit: a wrong email is refused in words, a right one is saved. */
  gtk_editable_set_text (page->email_row, "zebedee at example");
  g_assert_cmpstr (shown_error (page->error_label), ==,
                   "“zebedee at example” is not an email address");
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.save", NULL);
  gtk_editable_set_text (page->email_row, "zebedee@example.com");
  gtk_editable_set_text (page->phone_row, "+44 20 7946 0018");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page->notes_view), "Ring twice", -1);
  g_assert_null (shown_error (page->error_label));
  g_assert_true (gtk_widget_get_sensitive (page->save_button));
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.save", NULL);
  g_assert_null (shown_error (page->error_label));

  stored = ord_store_get_customer (db.store, ord_customer_get_id (customer), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_customer_get_email (stored), ==, "zebedee@example.com");
  g_assert_cmpstr (ord_customer_get_phone (stored), ==, "+44 20 7946 0018");
  g_assert_cmpstr (ord_customer_get_notes (stored), ==, "Ring twice");
  g_assert_cmpstr (ord_customer_get_name (stored), ==, UI_TEST_RARE_CUSTOMER);
  g_assert_cmpstr (gtk_label_get_text (page->orders_value), ==, count);
  g_assert_false (gtk_widget_get_sensitive (page->save_button));

  /* A customer without orders says so. */
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.add", NULL);
  g_assert_false (gtk_widget_get_visible (page->history_box));
  gtk_editable_set_text (page->name_row, "Nora Quillfeather");
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.save", NULL);
  g_assert_null (shown_error (page->error_label));
  g_assert_true (gtk_widget_get_visible (page->history_box));
  g_assert_true (gtk_widget_get_visible (page->history_empty));
  g_assert_cmpstr (gtk_label_get_text (page->orders_value), ==, "0");
  run_main_loop (50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 2);

  /* An order entered elsewhere for the customer on show appears. */
  {
    g_autoptr(OrdOrder) order = ord_order_new ();
    g_autoptr(OrdOrderItem) item = ord_order_item_new ();
    g_autofree char *total = NULL;

    ord_order_set_customer_id (order, ord_customer_get_id (page->customer));
    ord_order_set_currency (order, "EUR");
    ord_order_item_set_name (item, "Quill, goose feather");
    ord_order_item_set_unit_price (item, 450);
    ord_order_item_set_quantity (item, 3);
    ord_order_add_item (order, item);
    g_assert_true (ord_store_create_order (db.store, order, &error));
    g_assert_no_error (error);
    run_main_loop (100);

    g_assert_cmpstr (gtk_label_get_text (page->orders_value), ==, "1");
    total = ord_format_order_total (1350, "EUR");
    g_assert_cmpstr (gtk_label_get_text (page->spend_value), ==, total);
    g_assert_false (gtk_widget_get_visible (page->history_empty));
    row = gtk_list_box_get_row_at_index (page->history_list, 0);
    g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "order-id"), ==,
                     ord_order_get_id (order));
  }

  /* Changes are not dropped by choosing another customer unasked. */
  {
    g_autofree char *shown_id = g_strdup (ord_customer_get_id (page->customer));
    guint other = G_MAXUINT;

    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (page->model)); i++)
      {
        g_autoptr(OrdCustomer) c = g_list_model_get_item (G_LIST_MODEL (page->model), i);

        if (g_strcmp0 (ord_customer_get_id (c), shown_id) != 0)
          other = i;
      }
    g_assert_cmpuint (other, !=, G_MAXUINT);
    gtk_editable_set_text (page->name_row, "Nora Q.");
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), other, TRUE);
    respond (find_dialog (), "cancel");
    g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, "Nora Q.");
    g_assert_cmpstr (ord_customer_get_id (page->customer), ==, shown_id);
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (page->selection), other, TRUE);
    respond (find_dialog (), "discard");
    g_assert_cmpstr (gtk_editable_get_text (page->name_row), ==, UI_TEST_RARE_CUSTOMER);
    g_assert_cmpstr (ord_customer_get_id (page->customer), !=, shown_id);
  }

  close_page (window, GTK_WIDGET (page));
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

static void
test_deactivate_customer (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(OrdCustomer) stored = NULL;
  g_autoptr(GPtrArray) picker = NULL;
  g_autoptr(GError) error = NULL;
  OrdCustomersPage *page;
  AdwMessageDialog *dialog;
  GtkWidget *window;
  guint n_active;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 300);
  context = ord_context_new (db.store, NULL);
  page = open_customers (context, &window);
  n_active = g_list_model_get_n_items (G_LIST_MODEL (page->model));

  customer = choose_rare_customer (page);
  gtk_editable_set_text (page->search_entry, "");
  run_main_loop (400);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, n_active);

  /* Asked first; cancelling changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.toggle-active", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "cancel");
  stored = ord_store_get_customer (db.store, ord_customer_get_id (customer), &error);
  g_assert_false (ord_customer_get_deleted (stored));
  g_clear_object (&stored);

  gtk_widget_activate_action (GTK_WIDGET (page), "customers.toggle-active", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  respond (dialog, "deactivate");

  stored = ord_store_get_customer (db.store, ord_customer_get_id (customer), &error);
  g_assert_no_error (error);
  g_assert_true (ord_customer_get_deleted (stored));
  g_clear_object (&stored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, n_active - 1);
  picker = ord_store_find_customers (db.store, "Quillfeather", 0, &error);
  g_assert_cmpuint (picker->len, ==, 0);
  g_assert_cmpstr (gtk_label_get_text (page->subtitle_label), ==,
                   "Deactivated: not offered when entering orders");
  /* The orders stay with them. */
  g_assert_cmpint (page->totals.n_orders, ==, db.n_rare);

  gtk_toggle_button_set_active (page->filter_inactive, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 1);

  /* Reactivating needs no question. */
  gtk_widget_activate_action (GTK_WIDGET (page), "customers.toggle-active", NULL);
  g_assert_null (find_dialog ());
  stored = ord_store_get_customer (db.store, ord_customer_get_id (customer), &error);
  g_assert_false (ord_customer_get_deleted (stored));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page->model)), ==, 0);

  close_page (window, GTK_WIDGET (page));
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  /* Messages are checked as the C locale writes them. */
  gtk_disable_setlocale ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/catalogue/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();
  ord_ui_ensure_resources ();

  g_test_add_func ("/catalogue/add-product", test_add_product);
  g_test_add_func ("/catalogue/refuse-product", test_refuse_product);
  g_test_add_func ("/catalogue/deactivate-product", test_deactivate_product);
  g_test_add_func ("/customers/history", test_customer_history);
  g_test_add_func ("/customers/deactivate", test_deactivate_customer);

  return g_test_run ();
}
