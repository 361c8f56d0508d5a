/* test-order-editor.c: creating, editing and cancelling orders in the editor
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ord-order-editor-private.h"
#include "ord-window-private.h"
#include "ord-ui-format.h"
#include "ui-test-util.h"

static OrdProduct *
save_product (OrdStore   *store,
              const char *sku,
              const char *name,
              gint64      unit_price)
{
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(GError) error = NULL;

  ord_product_set_sku (product, sku);
  ord_product_set_name (product, name);
  ord_product_set_unit_price (product, unit_price);
  ord_product_set_currency (product, "EUR");
  ord_product_set_active (product, TRUE);
  ord_store_save_product (store, product, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&product);
}

static OrdCustomer *
save_customer (OrdStore   *store,
               const char *name,
               const char *email)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GError) error = NULL;

  ord_customer_set_name (customer, name);
  ord_customer_set_email (customer, email);
  ord_store_save_customer (store, customer, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&customer);
}

/* An order of two bags of coffee, written through the store as the owner. */
static char *
save_order (OrdStore  *store,
            OrdStatus  status)
{
  g_autoptr(OrdCustomer) customer = save_customer (store, "Ines Keller", "ines@example.com");
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(GError) error = NULL;

  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_status (order, status);
  ord_order_item_set_name (item, "Coffee beans 1 kg");
  ord_order_item_set_unit_price (item, 1890);
  ord_order_item_set_quantity (item, 2);
  ord_order_add_item (order, item);
  ord_store_create_order (store, order, &error);
  g_assert_no_error (error);
  return g_strdup (ord_order_get_id (order));
}

static OrdOrderEditor *
open_editor (OrdStore   *store,
             const char *order_id)
{
  g_autoptr(OrdContext) context = ord_context_new (store, NULL);
  OrdOrderEditor *editor = ord_order_editor_new (NULL, context, order_id);

  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

static void
close_editor (OrdOrderEditor *editor)
{
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_finalize_object (editor);
}

static const char *
shown_error (OrdOrderEditor *editor)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (editor->error_label)))
    return NULL;
  return gtk_label_get_text (editor->error_label);
}

static void
test_create (void)
{
  UiTestDb db;
  OrdOrderEditor *editor;
  OrdEditorLine *line;
  g_autoptr(OrdProduct) beans = NULL;
  g_autoptr(OrdProduct) jug = NULL;
  g_autoptr(OrdCustomer) olga = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(OrdOrder) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_total = NULL;
  OrdOrderQuery query = { 0 };
  OrdOrder *listed;
  GtkWidget *remove_button;

  ui_test_db_init (&db);
  beans = save_product (db.store, "BEAN-1", "Espresso beans 1 kg", 1890);
  jug = save_product (db.store, "JUG-2", "Milk jug", 1250);
  olga = save_customer (db.store, "Olga Petrova", "olga@example.com");

  editor = open_editor (db.store, NULL);
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));

  /* The customer: typing finds her, picking her chooses her. */
  gtk_editable_set_text (editor->customer_entry, "olga");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor->customer_popover)));
  /* Olga, then "Create Customer “olga”". */
  g_assert_cmpuint (ord_order_editor_n_matches (editor->customer_matches), ==, 2);
  ord_order_editor_pick_match (editor->customer_matches, 0);
  g_assert_cmpstr (gtk_editable_get_text (editor->customer_entry), ==, "Olga Petrova");
  g_assert_cmpstr (shown_error (editor), ==, "Add at least one item");
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));

  /* A line: found by its SKU, priced from the catalogue. */
  line = ord_order_editor_add_line (editor);
  g_assert_cmpstr (shown_error (editor), ==, "Line 1: choose a product from the list");
  gtk_editable_set_text (line->product_entry, "JUG-2");
  g_assert_cmpuint (ord_order_editor_n_matches (line->matches), ==, 1);
  ord_order_editor_pick_match (line->matches, 0);
  g_assert_cmpstr (gtk_editable_get_text (line->product_entry), ==, "Milk jug");
  g_assert_cmpstr (gtk_editable_get_text (line->price_entry), ==, "12.50");
  g_assert_null (shown_error (editor));
  g_assert_true (gtk_widget_get_sensitive (editor->save_button));

  gtk_spin_button_set_value (line->quantity_spin, 0);
  g_assert_cmpstr (shown_error (editor), ==, "Line 1: quantity must be at least 1");
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));

  gtk_editable_set_text (line->price_entry, "twelve");
  gtk_spin_button_set_value (line->quantity_spin, 3);
  g_assert_nonnull (shown_error (editor));
  g_assert_true (g_str_has_prefix (shown_error (editor), "Line 1: unit price"));
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));

  /* 3 × 12.50 − 2.50 = 35.00 */
  gtk_editable_set_text (line->price_entry, "12.50");
  gtk_editable_set_text (line->discount_entry, "2.50");
  g_assert_null (shown_error (editor));
  expected_total = ord_format_order_total (3500, "EUR");
  g_assert_cmpstr (gtk_label_get_text (editor->total_label), ==, expected_total);
  g_assert_cmpstr (gtk_label_get_text (line->total_label), ==, expected_total);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor->notes_view), "Leave at the door",
                            -1);

  /* An empty second line stops Save and says so, until it is removed. */
  line = ord_order_editor_add_line (editor);
  g_assert_cmpstr (shown_error (editor), ==, "Line 2: choose a product from the list");
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));
  remove_button = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (line->row));
  remove_button = gtk_widget_get_last_child (remove_button);
  g_assert_true (GTK_IS_BUTTON (remove_button));
  g_signal_emit_by_name (remove_button, "clicked");
  g_assert_cmpuint (editor->lines->len, ==, 1);
  g_assert_null (shown_error (editor));

  g_assert_true (gtk_widget_get_sensitive (editor->save_button));
  g_object_ref (editor);
  g_signal_emit_by_name (editor->save_button, "clicked");
  /* Saved: the editor closed itself. */
  g_assert_finalize_object (editor);

  orders = ord_store_query_orders_at (db.store, &query, 0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  listed = g_ptr_array_index (orders, 0);
  saved = ord_store_get_order (db.store, ord_order_get_id (listed), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_order_get_customer_id (saved), ==, ord_customer_get_id (olga));
  g_assert_cmpint (ord_order_get_total (saved), ==, 3500);
  g_assert_cmpuint (ord_order_get_n_items (saved), ==, 1);
  g_assert_cmpstr (ord_order_get_notes (saved), ==, "Leave at the door");

  ui_test_db_clear (&db);
}

static void
test_create_customer (void)
{
  UiTestDb db;
  OrdOrderEditor *editor;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  ui_test_db_init (&db);
  editor = open_editor (db.store, NULL);

  gtk_editable_set_text (editor->customer_entry, "Nadia Brandt");
  n = ord_order_editor_n_matches (editor->customer_matches);
  g_assert_cmpuint (n, ==, 1);
  ord_order_editor_pick_match (editor->customer_matches, n - 1);
  g_assert_nonnull (editor->customer);

  found = ord_store_find_customers (db.store, "Nadia", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (ord_customer_get_name (g_ptr_array_index (found, 0)), ==, "Nadia Brandt");

  /* A customer alone is something typed: closing asks first. */
  gtk_window_close (GTK_WINDOW (editor));
  g_assert_nonnull (editor->discard_dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_object_ref (editor);
  adw_message_dialog_response (editor->discard_dialog, "discard");
  g_assert_finalize_object (editor);

  ui_test_db_clear (&db);
}

static void
test_forbidden_edit (void)
{
  UiTestDb db;
  OrdOrderEditor *editor;
  g_autofree char *confirmed = NULL;
  g_autofree char *preparing = NULL;
  g_autoptr(GError) edit_error = NULL;
  g_autoptr(GError) cancel_error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  ui_test_db_init (&db);
  confirmed = save_order (db.store, ORD_STATUS_CONFIRMED);
  preparing = save_order (db.store, ORD_STATUS_PREPARING);
  ord_store_set_actor (db.store, ORD_ROLE_CUSTOMER, "ines@example.com");

  /* What the status machine says, the editor shows. */
  g_assert_false (ord_status_check_edit (ORD_ROLE_CUSTOMER, ORD_STATUS_CONFIRMED, &edit_error));
  editor = open_editor (db.store, confirmed);
  g_assert_true (gtk_widget_get_visible (editor->notice_box));
  g_assert_cmpstr (gtk_label_get_text (editor->notice_label), ==, edit_error->message);
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (editor->lines_box)));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (editor->customer_entry)));
  g_assert_false (gtk_text_view_get_editable (editor->notes_view));
  /* A customer may still cancel a confirmed order. */
  g_assert_true (gtk_widget_get_visible (editor->cancel_order_button));
  g_assert_true (gtk_widget_get_sensitive (editor->cancel_order_button));
  /* The timeline shows every event. */
  events = ord_store_get_events (db.store, confirmed, NULL);
  g_assert_nonnull (events);
  g_assert_true (gtk_widget_get_visible (editor->timeline_pane));
  g_assert_cmpuint (ord_order_editor_n_matches (editor->timeline_list), ==, events->len);
  close_editor (editor);

  /* ... but not once the shop has started on it. */
  g_assert_false (ord_status_check_transition (ORD_ROLE_CUSTOMER, ORD_STATUS_PREPARING,
                                               ORD_STATUS_CANCELLED, NULL, &cancel_error));
  editor = open_editor (db.store, preparing);
  g_assert_false (gtk_widget_get_sensitive (editor->cancel_order_button));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (editor->cancel_order_button), ==,
                   cancel_error->message);
  close_editor (editor);

  ui_test_db_clear (&db);
}

static void
test_edit (void)
{
  UiTestDb db;
  OrdOrderEditor *editor;
  OrdEditorLine *line;
  g_autofree char *id = NULL;
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderEvent *last;

  ui_test_db_init (&db);
  id = save_order (db.store, ORD_STATUS_PENDING);

  editor = open_editor (db.store, id);
  g_assert_false (gtk_widget_get_visible (editor->notice_box));
  g_assert_cmpuint (editor->lines->len, ==, 1);
  line = g_ptr_array_index (editor->lines, 0);
  g_assert_cmpstr (gtk_editable_get_text (line->price_entry), ==, "18.90");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (line->quantity_spin), ==, 2);

  /* Five bags instead of two: 5 × 18.90 = 94.50 */
  gtk_spin_button_set_value (line->quantity_spin, 5);
  g_assert_true (gtk_widget_get_sensitive (editor->save_button));
  g_object_ref (editor);
  g_signal_emit_by_name (editor->save_button, "clicked");
  g_assert_finalize_object (editor);

  order = ord_store_get_order (db.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_get_total (order), ==, 9450);
  events = ord_store_get_events (db.store, id, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpint (ord_order_event_get_kind (last), ==, ORD_EVENT_EDITED);

  ui_test_db_clear (&db);
}

static void
test_cancel (void)
{
  UiTestDb db;
  OrdOrderEditor *editor;
  AdwMessageDialog *dialog;
  g_autofree char *id = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderEvent *last;

  ui_test_db_init (&db);
  id = save_order (db.store, ORD_STATUS_PENDING);

  editor = open_editor (db.store, id);
  g_assert_null (shown_error (editor));
  /* Nothing changed, nothing to save. */
  g_assert_false (gtk_widget_get_sensitive (editor->save_button));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (editor->notes_view), "Call first", -1);
  g_assert_true (gtk_widget_get_sensitive (editor->save_button));
  g_assert_true (gtk_widget_get_sensitive (editor->cancel_order_button));
  g_signal_emit_by_name (editor->cancel_order_button, "clicked");
  dialog = editor->cancel_dialog;
  g_assert_nonnull (dialog);
  /* No reason, no cancellation. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "cancel-order"));
  gtk_editable_set_text (editor->cancel_reason_entry, "Ordered twice by mistake");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "cancel-order"));

  g_object_ref (editor);
  adw_message_dialog_response (dialog, "cancel-order");
  g_assert_finalize_object (editor);

  order = ord_store_get_order (db.store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_get_status (order), ==, ORD_STATUS_CANCELLED);
  events = ord_store_get_events (db.store, id, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpint (ord_order_event_get_kind (last), ==, ORD_EVENT_CANCELLED);
  g_assert_cmpstr (ord_order_event_get_reason (last), ==, "Ordered twice by mistake");

  ui_test_db_clear (&db);
}

/* The one editor open, or NULL. */
static OrdOrderEditor *
find_editor (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  OrdOrderEditor *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ORD_IS_ORDER_EDITOR (l->data))
      {
        g_assert_null (found);
        found = l->data;
      }
  return found;
}

static void
test_window_opens_editor (void)
{
  UiTestDb db;
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdOrder) first = NULL;
  OrdWindow *window;
  OrdOrderEditor *editor;

  ui_test_db_init (&db);
  ui_test_db_fill (&db, 5);
  context = ord_context_new (db.store, NULL);
  window = ord_window_new (NULL, context);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (find_editor ());

  /* Ctrl+N, the menu item and the "+" button. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "new-order", NULL);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_null (ord_order_editor_get_order_id (editor));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));
  close_editor (editor);

  /* Activating a row edits its order. */
  first = g_list_model_get_item (G_LIST_MODEL (ord_window_get_model (window)), 0);
  g_signal_emit_by_name (window->column_view, "activate", 0);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (ord_order_editor_get_order_id (editor), ==, ord_order_get_id (first));
  close_editor (editor);

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
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
      /* build-aux/test.sh runs this suite under xvfb-run. */
      g_test_add_func ("/order-editor/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/order-editor/create", test_create);
  g_test_add_func ("/order-editor/create-customer", test_create_customer);
  g_test_add_func ("/order-editor/forbidden-edit", test_forbidden_edit);
  g_test_add_func ("/order-editor/edit", test_edit);
  g_test_add_func ("/order-editor/cancel", test_cancel);
  g_test_add_func ("/order-editor/window", test_window_opens_editor);

  return g_test_run ();
}
